/*
 * Unit tests of the newsyslog.conf parser (newsyslog/conf.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "conf.h"

/* Errors collected by the callback. */
struct errs {
	int	n;
	int	line[32];
	char	msg[32][256];
	char	file[32][64];
};

static void
collect(void *ctx, const char *file, int line, const char *msg)
{
	struct errs *e = ctx;

	if (e->n < 32) {
		e->line[e->n] = line;
		snprintf(e->msg[e->n], sizeof(e->msg[0]), "%s", msg);
		snprintf(e->file[e->n], sizeof(e->file[0]), "%s", file);
	}
	e->n++;
}

/* A fixed user database: root 0/0, daemon 1/1, john.doe 1000/100. */
static int
fake_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	(void)ctx;
	if (strcmp(name, "root") == 0) {
		*uid = 0;
		*gid = 0;
	} else if (strcmp(name, "daemon") == 0) {
		*uid = 1;
		*gid = 1;
	} else if (strcmp(name, "john.doe") == 0) {
		*uid = 1000;
		*gid = 100;
	} else
		return -1;
	return 0;
}

static int
fake_group(void *ctx, const char *name, gid_t *gid)
{
	(void)ctx;
	if (strcmp(name, "wheel") == 0)
		*gid = 0;
	else if (strcmp(name, "adm") == 0)
		*gid = 4;
	else
		return -1;
	return 0;
}

static const struct ns_resolver res = { fake_user, fake_group, NULL };

static int
parse(struct ns_conf *c, const char *text, struct errs *e)
{
	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	return ns_conf_parse(c, "test.conf", text, strlen(text), &res,
	    collect, e);
}

ATF_TC_WITHOUT_HEAD(basic);
ATF_TC_BODY(basic, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c, "/var/log/messages 644 10 250 * Z\n", &e),
	    0);
	ATF_REQUIRE_EQ(c.n, 1);
	ATF_CHECK_STREQ(c.v[0].path, "/var/log/messages");
	ATF_CHECK_STREQ(c.v[0].file, "test.conf");
	ATF_CHECK_EQ(c.v[0].line, 1);
	ATF_CHECK(!c.v[0].has_owner);
	ATF_CHECK_EQ(c.v[0].uid, (uid_t)-1);
	ATF_CHECK_EQ(c.v[0].gid, (gid_t)-1);
	ATF_CHECK_EQ(c.v[0].mode, 0644);
	ATF_CHECK_EQ(c.v[0].count, 10);
	ATF_CHECK_EQ(c.v[0].size_kib, 250);
	ATF_CHECK_EQ(c.v[0].when.interval, -1);
	ATF_CHECK_EQ(c.v[0].when.at.kind, NS_AT_NONE);
	ATF_CHECK_EQ(c.v[0].flags, 0);
	ATF_CHECK_EQ(c.v[0].comp, NS_COMP_GZIP);
	ATF_CHECK_STREQ(c.v[0].pidfile, ns_default_pidfile);
	ATF_CHECK_EQ(c.v[0].sig, SIGHUP);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(no_flags);
ATF_TC_BODY(no_flags, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c, "/a 600 7 * 24\n"
	    "/b root:wheel 600 3 100 *\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 2);
	ATF_CHECK_EQ(c.v[0].size_kib, -1);
	ATF_CHECK_EQ(c.v[0].when.interval, 24);
	ATF_CHECK_EQ(c.v[0].comp, NS_COMP_NONE);
	ATF_CHECK(c.v[1].has_owner);
	ATF_CHECK_EQ(c.v[1].line, 2);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(owner_forms);
ATF_TC_BODY(owner_forms, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "/a root:wheel 600 1 * *\n"
	    "/b daemon.adm 600 1 * *\n"
	    "/c :adm 600 1 * *\n"
	    "/d daemon: 600 1 * *\n"
	    "/e 12:34 600 1 * *\n"
	    "/f john.doe 600 1 * *\n"
	    "/g john.doe:wheel 600 1 * *\n"
	    "/h 12. 600 1 * *\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 8);
	ATF_CHECK_EQ(c.v[0].uid, 0);
	ATF_CHECK_EQ(c.v[0].gid, 0);
	ATF_CHECK_EQ(c.v[1].uid, 1);
	ATF_CHECK_EQ(c.v[1].gid, 4);
	ATF_CHECK_EQ(c.v[2].uid, (uid_t)-1);	/* owner kept */
	ATF_CHECK_EQ(c.v[2].gid, 4);
	ATF_CHECK_EQ(c.v[3].uid, 1);
	ATF_CHECK_EQ(c.v[3].gid, 1);		/* primary group */
	ATF_CHECK_EQ(c.v[4].uid, 12);
	ATF_CHECK_EQ(c.v[4].gid, 34);
	ATF_CHECK_EQ(c.v[5].uid, 1000);		/* a name with a dot */
	ATF_CHECK_EQ(c.v[5].gid, 100);
	ATF_CHECK_EQ(c.v[6].uid, 1000);
	ATF_CHECK_EQ(c.v[6].gid, 0);
	ATF_CHECK_EQ(c.v[7].uid, 12);
	ATF_CHECK_EQ(c.v[7].gid, (gid_t)-1);	/* no primary group known */
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(owner_unknown);
ATF_TC_BODY(owner_unknown, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_CHECK_EQ(parse(&c,
	    "/a nobodyhere:wheel 600 1 * *\n"
	    "/b root:nogroup 600 1 * *\n", &e), 2);
	ATF_CHECK_EQ(c.n, 0);
	ATF_CHECK_EQ(e.line[0], 1);
	ATF_CHECK(strstr(e.msg[0], "unknown user \"nobodyhere\"") != NULL);
	ATF_CHECK_EQ(e.line[1], 2);
	ATF_CHECK(strstr(e.msg[1], "unknown group \"nogroup\"") != NULL);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(flags);
ATF_TC_BODY(flags, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "/a 600 1 * * BCNP\n"
	    "/b 600 1 * * -\n"
	    "/c 600 1 * * j\n"
	    "/d 600 1 * * X\n"
	    "/e 600 1 * * zjx\n"
	    "/f 600 1 * * XZ\n"
	    "/g 600 1 * * b-c\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 7);
	ATF_CHECK_EQ(c.v[0].flags,
	    NS_F_BINARY | NS_F_CREATE | NS_F_NOSIGNAL | NS_F_PLAIN0);
	ATF_CHECK_EQ(c.v[0].comp, NS_COMP_NONE);
	ATF_CHECK_EQ(c.v[1].flags, 0);
	ATF_CHECK_EQ(c.v[2].comp, NS_COMP_BZIP2);
	ATF_CHECK_EQ(c.v[3].comp, NS_COMP_XZ);
	ATF_CHECK_EQ(c.v[4].comp, NS_COMP_XZ);		/* the last wins */
	ATF_CHECK_EQ(c.v[5].comp, NS_COMP_GZIP);
	ATF_CHECK_EQ(c.v[6].flags, NS_F_BINARY | NS_F_CREATE);
	ns_conf_free(&c);

	ATF_CHECK_EQ(parse(&c, "/a 600 1 * * ZQ\n", &e), 1);
	ATF_CHECK(strstr(e.msg[0], "unknown flag \"Q\"") != NULL);
	ATF_CHECK_EQ(c.n, 0);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(pidfile_signal);
ATF_TC_BODY(pidfile_signal, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "/a 600 1 * * Z /var/run/a.pid\n"
	    "/b 600 1 * * Z /var/run/b.pid SIGUSR1\n"
	    "/c 600 1 * * Z /var/run/c.pid usr2\n"
	    "/d 600 1 * * - /var/run/d.pid 15\n"
	    "/e 600 1 * * /var/run/e.pid\n"
	    "/f 600 1 * * Z TERM\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 6);
	ATF_CHECK_STREQ(c.v[0].pidfile, "/var/run/a.pid");
	ATF_CHECK_EQ(c.v[0].sig, SIGHUP);
	ATF_CHECK_EQ(c.v[1].sig, SIGUSR1);
	ATF_CHECK_EQ(c.v[2].sig, SIGUSR2);
	ATF_CHECK_EQ(c.v[3].sig, 15);
	ATF_CHECK_STREQ(c.v[4].pidfile, "/var/run/e.pid");
	ATF_CHECK_EQ(c.v[4].comp, NS_COMP_NONE);
	ATF_CHECK_STREQ(c.v[5].pidfile, ns_default_pidfile);
	ATF_CHECK_EQ(c.v[5].sig, SIGTERM);
	ns_conf_free(&c);

	ATF_CHECK_EQ(parse(&c,
	    "/a 600 1 * * Z /var/run/a.pid SIGNOPE\n"
	    "/b 600 1 * * Z /var/run/a.pid HUP extra\n"
	    "/c 600 1 * * Z /x.pid /y.pid\n"
	    "/d 600 1 * * Z /x.pid 0\n", &e), 4);
	ATF_CHECK_EQ(c.n, 0);
	ATF_CHECK(strstr(e.msg[0], "unknown signal \"SIGNOPE\"") != NULL);
	ATF_CHECK(strstr(e.msg[1], "too many fields") != NULL ||
	    strstr(e.msg[1], "unexpected field") != NULL);
	ATF_CHECK(strstr(e.msg[2], "second pid file") != NULL);
	ATF_CHECK(strstr(e.msg[3], "unknown signal \"0\"") != NULL);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(sizes_and_modes);
ATF_TC_BODY(sizes_and_modes, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "/a 0640 1 0x10 *\n"
	    "/b 4755 1 010 *\n"
	    "/c 600 0 0 *\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 3);
	ATF_CHECK_EQ(c.v[0].mode, 0640);
	ATF_CHECK_EQ(c.v[0].size_kib, 16);
	ATF_CHECK_EQ(c.v[1].mode, 04755);
	ATF_CHECK_EQ(c.v[1].size_kib, 8);	/* base 0, as NetBSD */
	ATF_CHECK_EQ(c.v[2].count, 0);
	ns_conf_free(&c);

	ATF_CHECK_EQ(parse(&c,
	    "/a 648 1 * *\n"
	    "/b 77777 1 * *\n"
	    "/c 600 -1 * *\n"
	    "/d 600 1000 * *\n"
	    "/e 600 1 12k *\n"
	    "/f 600 1 -5 *\n"
	    "/g 600 x * *\n", &e), 7);
	ATF_CHECK_EQ(c.n, 0);
	ATF_CHECK(strstr(e.msg[0], "bad mode \"648\"") != NULL);
	ATF_CHECK(strstr(e.msg[1], "bad mode") != NULL);
	ATF_CHECK(strstr(e.msg[2], "bad count \"-1\"") != NULL);
	ATF_CHECK(strstr(e.msg[3], "bad count \"1000\"") != NULL);
	ATF_CHECK(strstr(e.msg[4], "bad size \"12k\"") != NULL);
	ATF_CHECK(strstr(e.msg[5], "bad size \"-5\"") != NULL);
	ATF_CHECK(strstr(e.msg[6], "bad count \"x\"") != NULL);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(when_field);
ATF_TC_BODY(when_field, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "/a 600 1 * 168\n"
	    "/b 600 1 * @T23\n"
	    "/c 600 1 * $W0D23\n"
	    "/d 600 1 * 24$MLD0\n", &e), 0);
	ATF_REQUIRE_EQ(c.n, 4);
	ATF_CHECK_EQ(c.v[0].when.interval, 168);
	ATF_CHECK_EQ(c.v[1].when.at.kind, NS_AT_ISO);
	ATF_CHECK_EQ(c.v[1].when.at.hour, 23);
	ATF_CHECK_EQ(c.v[2].when.at.kind, NS_AT_DWM);
	ATF_CHECK_EQ(c.v[2].when.at.wday, 0);
	ATF_CHECK_EQ(c.v[3].when.interval, 24);
	ATF_CHECK_EQ(c.v[3].when.at.mday, NS_MDAY_LAST);
	ns_conf_free(&c);

	ATF_CHECK_EQ(parse(&c, "/a 600 1 * $W9\n/b 600 1 * @T25\n", &e), 2);
	ATF_CHECK_EQ(e.line[0], 1);
	ATF_CHECK(strstr(e.msg[0], "weekday") != NULL);
	ATF_CHECK_EQ(e.line[1], 2);
	ATF_CHECK(strstr(e.msg[1], "hour") != NULL);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(comments_continuation);
ATF_TC_BODY(comments_continuation, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_REQUIRE_EQ(parse(&c,
	    "# a comment\n"
	    "\n"
	    "   \t  \n"
	    "/a 600 1 * * Z # trailing comment\n"
	    "/b 600 \\\n"
	    "   3 100 \\\n"
	    "   * J\n"
	    "/c\\#x 600 1 * *\n"
	    "/d 600 1 * * # comment \\\n"
	    "/e 600 2 * *\r\n"
	    "/f 600 1 * *", &e), 0);
	ATF_REQUIRE_EQ(c.n, 6);
	ATF_CHECK_STREQ(c.v[0].path, "/a");
	ATF_CHECK_EQ(c.v[0].line, 4);
	ATF_CHECK_STREQ(c.v[1].path, "/b");
	ATF_CHECK_EQ(c.v[1].line, 5);
	ATF_CHECK_EQ(c.v[1].count, 3);
	ATF_CHECK_EQ(c.v[1].comp, NS_COMP_BZIP2);
	ATF_CHECK_STREQ(c.v[2].path, "/c#x");
	ATF_CHECK_EQ(c.v[2].line, 8);
	ATF_CHECK_STREQ(c.v[3].path, "/d");	/* a comment never continues */
	ATF_CHECK_STREQ(c.v[4].path, "/e");
	ATF_CHECK_EQ(c.v[4].line, 10);
	ATF_CHECK_EQ(c.v[4].count, 2);
	ATF_CHECK_STREQ(c.v[5].path, "/f");	/* no final newline */
	ATF_CHECK_EQ(c.v[5].line, 11);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(errors_have_lines);
ATF_TC_BODY(errors_have_lines, tc)
{
	struct ns_conf c;
	struct errs e;

	ATF_CHECK_EQ(parse(&c,
	    "# header\n"					/* 1 */
	    "/ok1 600 1 * *\n"					/* 2 */
	    "relative 600 1 * *\n"				/* 3 */
	    "/short 600 1 *\n"					/* 4 */
	    "/ok2 600 \\\n"					/* 5 */
	    "  1 * *\n"						/* 6 */
	    "/cont 600 \\\n"					/* 7 */
	    "  1 * bad\n"					/* 8 */
	    "/many 600 1 * * Z /p HUP x y\n"			/* 9 */
	    "/ok1 600 1 * *\n"					/* 10 */
	    "/ok3 600 1 * *\n", &e), 5);			/* 11 */
	ATF_REQUIRE_EQ(e.n, 5);
	ATF_CHECK_EQ(e.line[0], 3);
	ATF_CHECK(strstr(e.msg[0], "absolute") != NULL);
	ATF_CHECK_EQ(e.line[1], 4);
	ATF_CHECK(strstr(e.msg[1], "too few fields") != NULL);
	ATF_CHECK_EQ(e.line[2], 7);
	ATF_CHECK(strstr(e.msg[2], "bad interval \"bad\"") != NULL);
	ATF_CHECK_EQ(e.line[3], 9);
	ATF_CHECK(strstr(e.msg[3], "too many fields") != NULL);
	ATF_CHECK_EQ(e.line[4], 10);
	ATF_CHECK(strstr(e.msg[4], "second entry for /ok1") != NULL);
	ATF_CHECK(strstr(e.msg[4], "test.conf:2") != NULL);
	ATF_CHECK_STREQ(e.file[0], "test.conf");
	ATF_REQUIRE_EQ(c.n, 3);
	ATF_CHECK_STREQ(c.v[0].path, "/ok1");
	ATF_CHECK_STREQ(c.v[1].path, "/ok2");
	ATF_CHECK_STREQ(c.v[2].path, "/ok3");
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(no_resolver);
ATF_TC_BODY(no_resolver, tc)
{
	struct ns_conf c;
	struct errs e;
	const char *text = "/a 0:5 600 1 * *\n/b root:wheel 600 1 * *\n";

	memset(&c, 0, sizeof(c));
	memset(&e, 0, sizeof(e));
	ATF_CHECK_EQ(ns_conf_parse(&c, "x", text, strlen(text), NULL,
	    collect, &e), 1);
	ATF_REQUIRE_EQ(c.n, 1);
	ATF_CHECK_EQ(c.v[0].uid, 0);
	ATF_CHECK_EQ(c.v[0].gid, 5);
	ATF_CHECK_EQ(e.line[0], 2);
	ns_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(signal_names);
ATF_TC_BODY(signal_names, tc)
{
	ATF_CHECK_EQ(ns_signum("HUP"), SIGHUP);
	ATF_CHECK_EQ(ns_signum("SIGHUP"), SIGHUP);
	ATF_CHECK_EQ(ns_signum("sigusr1"), SIGUSR1);
	ATF_CHECK_EQ(ns_signum("TERM"), SIGTERM);
	ATF_CHECK_EQ(ns_signum("1"), 1);
	ATF_CHECK_EQ(ns_signum("0"), -1);
	ATF_CHECK_EQ(ns_signum("99999"), -1);
	ATF_CHECK_EQ(ns_signum("1x"), -1);
	ATF_CHECK_EQ(ns_signum("SIG"), -1);
	ATF_CHECK_EQ(ns_signum(""), -1);
	ATF_CHECK_STREQ(ns_signame(SIGHUP), "HUP");
	ATF_CHECK_STREQ(ns_signame(SIGUSR2), "USR2");
	ATF_CHECK_STREQ(ns_comp_suffix(NS_COMP_XZ), ".xz");
	ATF_CHECK_STREQ(ns_comp_suffix(NS_COMP_NONE), "");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, basic);
	ATF_TP_ADD_TC(tp, no_flags);
	ATF_TP_ADD_TC(tp, owner_forms);
	ATF_TP_ADD_TC(tp, owner_unknown);
	ATF_TP_ADD_TC(tp, flags);
	ATF_TP_ADD_TC(tp, pidfile_signal);
	ATF_TP_ADD_TC(tp, sizes_and_modes);
	ATF_TP_ADD_TC(tp, when_field);
	ATF_TP_ADD_TC(tp, comments_continuation);
	ATF_TP_ADD_TC(tp, errors_have_lines);
	ATF_TP_ADD_TC(tp, no_resolver);
	ATF_TP_ADD_TC(tp, signal_names);
	return atf_no_error();
}
