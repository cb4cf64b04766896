/*
 * Unit tests of conf.c and conf_action.c: syslog.conf text to struct conf.
 */
#include <atf-c.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define FAC_MAIL	2
#define FAC_NEWS	7
#define INFO		6
#define UPTO(s)		((unsigned)((1u << ((s) + 1)) - 1))

static const struct conf_env plain_env = { .eq_default = false };

/* Parses text as "t.conf"; errors go to errs. */
static struct conf *
parse(const char *text, struct strlist *errs)
{
	struct conf *c;

	c = conf_parse(text, strlen(text), "t.conf", &plain_env, errs);
	ATF_REQUIRE(c != NULL);
	return c;
}

/* Parses text that must have no errors. */
static struct conf *
parse_ok(const char *text)
{
	struct strlist errs = { NULL, 0 };
	struct conf *c = parse(text, &errs);
	size_t i;

	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "unexpected: %s\n", errs.v[i]);
	ATF_CHECK_EQ_MSG(errs.n, 0, "errors for \"%s\"", text);
	strlist_free(&errs);
	return c;
}

/*
 * Parses text and checks the exact errors (NULL-terminated list), then
 * that nrules rules were kept.
 */
static void
check_errors(const char *text, size_t nrules, ...)
{
	struct strlist errs = { NULL, 0 };
	struct conf *c = parse(text, &errs);
	const char *want;
	va_list ap;
	size_t i = 0;

	va_start(ap, nrules);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (i < errs.n)
			ATF_CHECK_STREQ_MSG(errs.v[i], want,
			    "error %zu of \"%s\"", i, text);
		else
			ATF_CHECK_MSG(false, "missing error \"%s\" for \"%s\"",
			    want, text);
		i++;
	}
	va_end(ap);
	for (; i < errs.n; i++)
		ATF_CHECK_MSG(false, "extra error \"%s\" for \"%s\"",
		    errs.v[i], text);
	ATF_CHECK_EQ_MSG(c->nrules, nrules, "rules of \"%s\"", text);
	strlist_free(&errs);
	conf_free(c);
}

/* One option line that must give exactly "t.conf:1: " want. */
static void
opt_bad(const char *line, const char *want)
{
	char full[512];

	snprintf(full, sizeof(full), "t.conf:1: %s", want);
	check_errors(line, 0, full, NULL);
}

static struct conf_action
act_ok(const char *text)
{
	struct conf_action a;
	char err[512];

	if (conf_action_parse(text, strlen(text), &a, err, sizeof(err)) != 0)
		atf_tc_fail("action \"%s\" rejected: %s", text, err);
	return a;
}

static void
act_bad(const char *text, const char *want)
{
	struct conf_action a;
	char err[512];

	ATF_CHECK_EQ_MSG(conf_action_parse(text, strlen(text), &a, err,
	    sizeof(err)), -1, "action \"%s\" accepted", text);
	ATF_CHECK_STREQ_MSG(err, want, "action \"%s\"", text);
}

/* ---- lines -------------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(empty_and_comments);
ATF_TC_BODY(empty_and_comments, tc)
{
	struct conf *c;

	c = parse_ok("");
	ATF_CHECK_EQ(c->nrules, 0);
	ATF_CHECK_STREQ(c->file, "t.conf");
	conf_free(c);
	c = parse_ok("\n\n  \n\t\n# comment\n   # indented comment\n#\n");
	ATF_CHECK_EQ(c->nrules, 0);
	conf_free(c);
	/* a "#" not at the start of a line is not a comment */
	check_errors("mail.info /var/log/x # note\n", 1, NULL);
}

ATF_TC_WITHOUT_HEAD(simple_rule);
ATF_TC_BODY(simple_rule, tc)
{
	struct conf *c;
	struct conf_rule *r;

	c = parse_ok("# header\nmail.info\t/var/log/maillog\n");
	ATF_REQUIRE_EQ(c->nrules, 1);
	r = &c->rules[0];
	ATF_CHECK_EQ(r->line, 2);
	ATF_CHECK_STREQ(r->text, "mail.info\t/var/log/maillog");
	ATF_CHECK_EQ(r->act.type, ACT_FILE);
	ATF_CHECK_STREQ(r->act.target, "/var/log/maillog");
	ATF_CHECK(r->act.sync);
	ATF_CHECK(!r->act.keep_pri);
	ATF_CHECK_EQ(r->sel.sevmask[FAC_MAIL], UPTO(INFO));
	ATF_CHECK_EQ(r->sel.sevmask[FAC_NEWS], 0);
	ATF_CHECK_EQ(r->progs.names.n, 0);
	ATF_CHECK_EQ(r->hosts.names.n, 0);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(blanks);
ATF_TC_BODY(blanks, tc)
{
	struct conf *c;

	/* any blanks between, a leading blank, trailing blanks, CRLF */
	c = parse_ok("mail.info  \t  /a\n"
	    "  news.info /b  \t\n"
	    "\tmail.err\t\t/c\r\n"
	    "mail.crit /d\n");
	ATF_REQUIRE_EQ(c->nrules, 4);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/a");
	ATF_CHECK_STREQ(c->rules[1].act.target, "/b");
	ATF_CHECK_STREQ(c->rules[1].text, "news.info /b");
	ATF_CHECK_STREQ(c->rules[2].act.target, "/c");
	ATF_CHECK_STREQ(c->rules[3].act.target, "/d");
	ATF_CHECK_EQ(c->rules[3].line, 4);
	conf_free(c);

	/* a file without a final newline */
	c = parse_ok("mail.info /a");
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/a");
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(missing_action);
ATF_TC_BODY(missing_action, tc)
{
	check_errors("mail.info\n", 0,
	    "t.conf:1: missing action after selector \"mail.info\"", NULL);
	check_errors("mail.info  \t\nnews.info /x\n", 1,
	    "t.conf:1: missing action after selector \"mail.info\"", NULL);
}

ATF_TC_WITHOUT_HEAD(selector_errors);
ATF_TC_BODY(selector_errors, tc)
{
	check_errors("\n\nmial.info /x\nmail.infoo /y\nmail /z\n"
	    "mail.info /ok\n", 1,
	    "t.conf:3: unknown facility \"mial\"",
	    "t.conf:4: unknown level \"infoo\"",
	    "t.conf:5: missing \".\" in selector \"mail\"", NULL);
	/* a bad selector and a bad action on one line: both reported */
	check_errors("mial.info @\n", 0,
	    "t.conf:1: unknown facility \"mial\"",
	    "t.conf:1: missing host name after \"@\"", NULL);
}

ATF_TC_WITHOUT_HEAD(eq_default_env);
ATF_TC_BODY(eq_default_env, tc)
{
	struct conf_env env = { .eq_default = true };
	struct strlist errs = { NULL, 0 };
	struct conf *c;

	c = conf_parse("mail.info /x\n", 13, "t.conf", &env, &errs);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK_EQ(errs.n, 0);
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_EQ(c->rules[0].sel.sevmask[FAC_MAIL], 1u << INFO);
	conf_free(c);
	/* NULL env and NULL file name work */
	c = conf_parse("mail.info /x\nbad\n", strlen("mail.info /x\nbad\n"),
	    NULL, NULL, &errs);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK_EQ(c->rules[0].sel.sevmask[FAC_MAIL], UPTO(INFO));
	ATF_REQUIRE_EQ(errs.n, 1);
	ATF_CHECK_STREQ(errs.v[0],
	    "syslog.conf:2: missing action after selector \"bad\"");
	conf_free(c);
	strlist_free(&errs);
	/* NULL error list */
	c = conf_parse("bad\n", 4, "t.conf", NULL, NULL);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK_EQ(c->nrules, 0);
	conf_free(c);
	conf_free(NULL);
}

ATF_TC_WITHOUT_HEAD(continuation);
ATF_TC_BODY(continuation, tc)
{
	struct conf *c;

	c = parse_ok("mail.info \\\n\t/var/log/x\nnews.info /y\n"
	    "mail.err;\\\nnews.err /z\n");
	ATF_REQUIRE_EQ(c->nrules, 3);
	ATF_CHECK_EQ(c->rules[0].line, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/var/log/x");
	ATF_CHECK_STREQ(c->rules[0].text, "mail.info \t/var/log/x");
	ATF_CHECK_EQ(c->rules[1].line, 3);
	ATF_CHECK_EQ(c->rules[2].line, 4);
	ATF_CHECK_EQ(c->rules[2].sel.sevmask[FAC_NEWS], UPTO(3));
	conf_free(c);

	/* line numbers after continuation lines stay right */
	check_errors("mail.info \\\n \\\n /x\nmial.info /y\n", 1,
	    "t.conf:4: unknown facility \"mial\"", NULL);
	/* an error in a continued line names its first line */
	check_errors("\nmial.info \\\n /x\n", 0,
	    "t.conf:2: unknown facility \"mial\"", NULL);
	/* joined without a blank: the backslash and newline vanish */
	c = parse_ok("mail.info /var/\\\nlog/x\\\r\n\n");
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/var/log/x");
	conf_free(c);
	/* a backslash at the very end */
	c = parse_ok("mail.info /x\\");
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/x");
	conf_free(c);
	/* comments continue too */
	c = parse_ok("# a comment \\\nmail.info /x\nnews.info /y\n");
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/y");
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(long_lines);
ATF_TC_BODY(long_lines, tc)
{
	struct strlist errs = { NULL, 0 };
	struct conf *c;
	size_t n = 70000, i;
	char *text;

	ATF_REQUIRE((text = malloc(3 * n)) != NULL);
	/* 60000 bytes is fine */
	strcpy(text, "mail.info /");
	memset(text + 11, 'a', 60000);
	strcpy(text + 60011, "\n");
	c = parse_ok(text);
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_EQ(strlen(c->rules[0].act.target), 60001);
	conf_free(c);

	/* 70000 is too long; the next line is still read, numbered right */
	strcpy(text, "news.info /n\nmail.info /");
	i = strlen(text);
	memset(text + i, 'a', n);
	strcpy(text + i + n, "\nmail.info /x\n");
	c = parse(text, &errs);
	ATF_REQUIRE_EQ(errs.n, 1);
	ATF_CHECK_STREQ(errs.v[0],
	    "t.conf:2: line too long (more than 65536 bytes)");
	ATF_REQUIRE_EQ(c->nrules, 2);
	ATF_CHECK_EQ(c->rules[1].line, 3);
	conf_free(c);
	strlist_free(&errs);

	/* too long by continuation lines */
	text[0] = '\0';
	for (i = 0; i < 3; i++) {
		size_t l = strlen(text);

		memset(text + l, 'b', 30000);
		strcpy(text + l + 30000, "\\\n");
	}
	strcat(text, "\nmial.info /x\n");
	check_errors(text, 0, "t.conf:1: line too long (more than 65536 bytes)",
	    "t.conf:5: unknown facility \"mial\"", NULL);
	free(text);
}

ATF_TC_WITHOUT_HEAD(nul_byte);
ATF_TC_BODY(nul_byte, tc)
{
	static const char text[] = "mail.info /x\0y\nnews.info /n\n";
	struct strlist errs = { NULL, 0 };
	struct conf *c;

	c = conf_parse(text, sizeof(text) - 1, "t.conf", NULL, &errs);
	ATF_REQUIRE(c != NULL);
	ATF_REQUIRE_EQ(errs.n, 1);
	ATF_CHECK_STREQ(errs.v[0], "t.conf:1: NUL byte in line");
	ATF_REQUIRE_EQ(c->nrules, 1);
	ATF_CHECK_STREQ(c->rules[0].act.target, "/n");
	conf_free(c);
	strlist_free(&errs);
}

ATF_TC_WITHOUT_HEAD(many_rules);
ATF_TC_BODY(many_rules, tc)
{
	char text[200 * 32], *p = text;
	struct conf *c;
	int i;

	for (i = 0; i < 200; i++)
		p += sprintf(p, "local%d.info /var/log/%d\n", i % 8, i);
	c = parse_ok(text);
	ATF_REQUIRE_EQ(c->nrules, 200);
	ATF_CHECK_EQ(c->rules[199].line, 200);
	ATF_CHECK_STREQ(c->rules[199].act.target, "/var/log/199");
	conf_free(c);
}

/* ---- blocks ------------------------------------------------------------- */

static void
check_block(const struct conf_rule *r, const char *target, const char *progs,
    bool pneg, const char *hosts, bool hneg)
{
	char buf[256];
	size_t i;

	ATF_CHECK_STREQ(r->act.target, target);
	buf[0] = '\0';
	for (i = 0; i < r->progs.names.n; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, r->progs.names.v[i]);
	}
	ATF_CHECK_STREQ_MSG(buf, progs, "programs of %s", target);
	ATF_CHECK_EQ_MSG(r->progs.negate, pneg, "programs of %s", target);
	buf[0] = '\0';
	for (i = 0; i < r->hosts.names.n; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, r->hosts.names.v[i]);
	}
	ATF_CHECK_STREQ_MSG(buf, hosts, "hosts of %s", target);
	ATF_CHECK_EQ_MSG(r->hosts.negate, hneg, "hosts of %s", target);
}

ATF_TC_WITHOUT_HEAD(block_scoping);
ATF_TC_BODY(block_scoping, tc)
{
	struct conf *c;

	c = parse_ok("*.* /all0\n"
	    "!sshd\n"
	    "*.* /sshd\n"
	    "+gw\n"
	    "*.* /sshd-gw\n"
	    "!ntpd, cron\n"		/* replaces sshd; gw stays */
	    "*.* /ntp-gw\n"
	    "!*\n"
	    "*.* /all-gw\n"
	    "-gw,@\n"
	    "*.* /all-notgw\n"
	    "+*\n"
	    "*.* /all\n");
	ATF_REQUIRE_EQ(c->nrules, 7);
	check_block(&c->rules[0], "/all0", "", false, "", false);
	check_block(&c->rules[1], "/sshd", "sshd", false, "", false);
	check_block(&c->rules[2], "/sshd-gw", "sshd", false, "gw", false);
	check_block(&c->rules[3], "/ntp-gw", "ntpd,cron", false, "gw", false);
	check_block(&c->rules[4], "/all-gw", "", false, "gw", false);
	check_block(&c->rules[5], "/all-notgw", "", false, "gw,@", true);
	check_block(&c->rules[6], "/all", "", false, "", false);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(block_forms);
ATF_TC_BODY(block_forms, tc)
{
	struct conf *c;

	c = parse_ok("!-sshd\n*.* /a\n"
	    "!+sshd\n*.* /b\n"
	    "#!cron\n*.* /c\n"
	    "#!-cron\n*.* /d\n"
	    "!\n*.* /e\n"
	    "#+gw\n*.* /f\n"
	    "#-gw\n*.* /g\n"
	    "+\n*.* /h\n"
	    "-db\n*.* /i\n"
	    "-\n*.* /j\n"
	    "  !sshd\n*.* /k\n"
	    "!-*\n*.* /l\n"
	    "#!/usr/sbin/cron\n*.* /m\n"
	    "#!\n-*\n*.* /n\n");
	ATF_REQUIRE_EQ(c->nrules, 14);
	check_block(&c->rules[0], "/a", "sshd", true, "", false);
	check_block(&c->rules[1], "/b", "sshd", false, "", false);
	check_block(&c->rules[2], "/c", "cron", false, "", false);
	check_block(&c->rules[3], "/d", "cron", true, "", false);
	check_block(&c->rules[4], "/e", "", false, "", false);
	check_block(&c->rules[5], "/f", "", false, "gw", false);
	check_block(&c->rules[6], "/g", "", false, "gw", true);
	check_block(&c->rules[7], "/h", "", false, "", false);
	check_block(&c->rules[8], "/i", "", false, "db", true);
	check_block(&c->rules[9], "/j", "", false, "", false);
	check_block(&c->rules[10], "/k", "sshd", false, "", false);
	check_block(&c->rules[11], "/l", "", false, "", false);
	check_block(&c->rules[12], "/m", "/usr/sbin/cron", false, "", false);
	/* "-*": all hosts again */
	check_block(&c->rules[13], "/n", "", false, "", false);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(block_errors);
ATF_TC_BODY(block_errors, tc)
{
	struct strlist errs = { NULL, 0 };
	struct conf *c;

	/* the rules of a bad block are checked but not kept */
	c = parse("!sshd\n+bad/host\n*.* /x\nmial.* /y\n+*\n*.* /z\n"
	    "!a b\n*.* /w\n!\n*.* /v\n", &errs);
	ATF_REQUIRE_EQ(errs.n, 3);
	ATF_CHECK_STREQ(errs.v[0], "t.conf:2: invalid character in host name "
	    "\"bad/host\" (the rules up to the next host block are ignored)");
	ATF_CHECK_STREQ(errs.v[1], "t.conf:4: unknown facility \"mial\"");
	ATF_CHECK_STREQ(errs.v[2], "t.conf:7: invalid character in program "
	    "name \"a b\" (the rules up to the next program block are "
	    "ignored)");
	ATF_REQUIRE_EQ(c->nrules, 2);
	check_block(&c->rules[0], "/z", "sshd", false, "", false);
	check_block(&c->rules[1], "/v", "", false, "", false);
	conf_free(c);
	strlist_free(&errs);
}

/* ---- actions ------------------------------------------------------------ */

ATF_TC_WITHOUT_HEAD(action_files);
ATF_TC_BODY(action_files, tc)
{
	static const struct {
		const char *text, *target;
		enum action_type type;
		bool sync, keep_pri;
	} t[] = {
		{ "/var/log/x", "/var/log/x", ACT_FILE, true, false },
		{ "-/var/log/x", "/var/log/x", ACT_FILE, false, false },
		{ "+/var/log/x", "/var/log/x", ACT_FILE, true, true },
		{ "+-/var/log/x", "/var/log/x", ACT_FILE, false, true },
		{ "-+/var/log/x", "/var/log/x", ACT_FILE, false, true },
		{ "/dev/console", "/dev/console", ACT_CONSOLE, true, false },
		{ "-/dev/console", "/dev/console", ACT_CONSOLE, false, false },
		{ "/dev/console2", "/dev/console2", ACT_FILE, true, false },
		{ "/dev/ttyp0", "/dev/ttyp0", ACT_FILE, true, false },
		{ "/var/log/with space", "/var/log/with space", ACT_FILE,
		    true, false },
		{ "  /x  ", "/x", ACT_FILE, true, false },
	};
	struct conf_action a;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = act_ok(t[i].text);
		ATF_CHECK_EQ_MSG(a.type, t[i].type, "%s", t[i].text);
		ATF_CHECK_STREQ_MSG(a.target, t[i].target, "%s", t[i].text);
		ATF_CHECK_EQ_MSG(a.sync, t[i].sync, "%s", t[i].text);
		ATF_CHECK_EQ_MSG(a.keep_pri, t[i].keep_pri, "%s", t[i].text);
		ATF_CHECK(a.port == NULL);
		conf_action_free(&a);
	}
}

ATF_TC_WITHOUT_HEAD(action_prefix_errors);
ATF_TC_BODY(action_prefix_errors, tc)
{
	act_bad("", "missing action");
	act_bad(" \t", "missing action");
	act_bad("++/x", "invalid action \"++/x\" (repeated \"+\" or \"-\")");
	act_bad("--/x", "invalid action \"--/x\" (repeated \"+\" or \"-\")");
	act_bad("+-+/x", "invalid action \"+-+/x\" (repeated \"+\" or \"-\")");
	act_bad("+x", "invalid action \"+x\" (\"+\" and \"-\" must be "
	    "followed by /file or |command)");
	act_bad("-@host", "invalid action \"-@host\" (\"+\" and \"-\" must "
	    "be followed by /file or |command)");
	act_bad("+", "invalid action \"+\" (\"+\" and \"-\" must be "
	    "followed by /file or |command)");
}

ATF_TC_WITHOUT_HEAD(action_pipes);
ATF_TC_BODY(action_pipes, tc)
{
	struct conf_action a;

	a = act_ok("|/usr/bin/logger -t x");
	ATF_CHECK_EQ(a.type, ACT_PIPE);
	ATF_CHECK_STREQ(a.target, "/usr/bin/logger -t x");
	ATF_CHECK(!a.keep_pri);
	conf_action_free(&a);
	a = act_ok("+|  exec cat >>/tmp/x  ");
	ATF_CHECK_EQ(a.type, ACT_PIPE);
	ATF_CHECK_STREQ(a.target, "exec cat >>/tmp/x");
	ATF_CHECK(a.keep_pri);
	conf_action_free(&a);

	act_bad("|", "missing command after \"|\"");
	act_bad("| \t", "missing command after \"|\"");
	act_bad("-|cat", "invalid action \"-|cat\" (\"-\" applies to "
	    "files only)");
	act_bad("+-|cat", "invalid action \"+-|cat\" (\"-\" applies to "
	    "files only)");
}

ATF_TC_WITHOUT_HEAD(action_wall_users);
ATF_TC_BODY(action_wall_users, tc)
{
	struct conf_action a;

	a = act_ok("*");
	ATF_CHECK_EQ(a.type, ACT_WALL);
	ATF_CHECK(a.target == NULL);
	conf_action_free(&a);

	a = act_ok("root");
	ATF_CHECK_EQ(a.type, ACT_USERS);
	ATF_REQUIRE_EQ(a.users.n, 1);
	ATF_CHECK_STREQ(a.users.v[0], "root");
	conf_action_free(&a);

	a = act_ok("root,operator, admin ,\tj.doe_2-x");
	ATF_CHECK_EQ(a.type, ACT_USERS);
	ATF_REQUIRE_EQ(a.users.n, 4);
	ATF_CHECK_STREQ(a.users.v[0], "root");
	ATF_CHECK_STREQ(a.users.v[1], "operator");
	ATF_CHECK_STREQ(a.users.v[2], "admin");
	ATF_CHECK_STREQ(a.users.v[3], "j.doe_2-x");
	conf_action_free(&a);

	act_bad("**", "invalid action \"**\" (expected /file, |command, "
	    "@host, * or a list of user names)");
	act_bad("root operator", "invalid action \"root operator\" (expected "
	    "/file, |command, @host, * or a list of user names)");
	act_bad("var/log/x", "invalid action \"var/log/x\" (expected "
	    "/file, |command, @host, * or a list of user names)");
	act_bad("root,", "missing user name in \"root,\"");
	act_bad("root,,admin", "missing user name in \"root,,admin\"");
	act_bad(",root", "missing user name in \",root\"");
}

ATF_TC_WITHOUT_HEAD(action_udp);
ATF_TC_BODY(action_udp, tc)
{
	static const struct {
		const char *text, *target, *port;
	} t[] = {
		{ "@loghost",			"loghost",	NULL },
		{ "@loghost.example.org:514",	"loghost.example.org", "514" },
		{ "@loghost:syslog",		"loghost",	"syslog" },
		{ "@loghost:syslog-alt",	"loghost",	"syslog-alt" },
		{ "@10.0.0.1:5140",		"10.0.0.1",	"5140" },
		{ "@10.0.0.1:65535",		"10.0.0.1",	"65535" },
		/* two or more ":": an IPv6 literal, default port */
		{ "@::1",			"::1",		NULL },
		{ "@2001:db8::1",		"2001:db8::1",	NULL },
		{ "@fe80::1%em0",		"fe80::1%em0",	NULL },
	};
	struct conf_action a;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = act_ok(t[i].text);
		ATF_CHECK_EQ_MSG(a.type, ACT_UDP, "%s", t[i].text);
		ATF_CHECK_STREQ_MSG(a.target, t[i].target, "%s", t[i].text);
		if (t[i].port == NULL)
			ATF_CHECK_MSG(a.port == NULL, "%s", t[i].text);
		else
			ATF_CHECK_STREQ_MSG(a.port, t[i].port, "%s",
			    t[i].text);
		conf_action_free(&a);
	}

	act_bad("@", "missing host name after \"@\"");
	act_bad("@:514", "missing host name after \"@\"");
	act_bad("@host:", "missing port after \":\"");
	act_bad("@host:0", "invalid port \"0\" (a number from 1 to 65535 or "
	    "a service name)");
	act_bad("@host:65536", "invalid port \"65536\" (a number from 1 to "
	    "65535 or a service name)");
	act_bad("@host:sys_log", "invalid port \"sys_log\" (a number from 1 "
	    "to 65535 or a service name)");
	act_bad("@ho st", "invalid host name \"ho st\"");
	act_bad("@host/x", "invalid host name \"host/x\"");
	act_bad("@host:514 x", "invalid port \"514 x\" (a number from 1 to "
	    "65535 or a service name)");
}

ATF_TC_WITHOUT_HEAD(action_tls);
ATF_TC_BODY(action_tls, tc)
{
	static const struct {
		const char *text, *target, *port;
	} t[] = {
		{ "@[logserver]",		"logserver",	NULL },
		{ "@[logserver]:1234",		"logserver",	"1234" },
		{ "@[logserver]:syslog-tls",	"logserver",	"syslog-tls" },
		{ "@[10.0.0.1]",		"10.0.0.1",	NULL },
		/* brackets always mean TLS, IPv6 literals included */
		{ "@[::1]",			"::1",		NULL },
		{ "@[::1]:6514",		"::1",		"6514" },
		{ "@[logserver]  ",		"logserver",	NULL },
		{ "@[logserver]:1234 ()",	"logserver",	"1234" },
	};
	struct conf_action a;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = act_ok(t[i].text);
		ATF_CHECK_EQ_MSG(a.type, ACT_TLS, "%s", t[i].text);
		ATF_CHECK_STREQ_MSG(a.target, t[i].target, "%s", t[i].text);
		if (t[i].port == NULL)
			ATF_CHECK_MSG(a.port == NULL, "%s", t[i].text);
		else
			ATF_CHECK_STREQ_MSG(a.port, t[i].port, "%s",
			    t[i].text);
		ATF_CHECK_EQ(a.tls_verify, -1);
		ATF_CHECK_EQ(a.tls_subjects.n, 0);
		ATF_CHECK_EQ(a.tls_fingerprints.n, 0);
		ATF_CHECK(a.tls_certfile == NULL);
		conf_action_free(&a);
	}
}

ATF_TC_WITHOUT_HEAD(action_tls_options);
ATF_TC_BODY(action_tls_options, tc)
{
	struct conf_action a;

	/* the NetBSD manual's example */
	a = act_ok("@[logserver]:1234(fingerprint=\"SHA1:01:02:03\")");
	ATF_CHECK_EQ(a.type, ACT_TLS);
	ATF_CHECK_STREQ(a.port, "1234");
	ATF_REQUIRE_EQ(a.tls_fingerprints.n, 1);
	ATF_CHECK_STREQ(a.tls_fingerprints.v[0], "SHA1:01:02:03");
	conf_action_free(&a);

	a = act_ok("@[10.1.2.3] ( subject=\"log.example.org\", "
	    "Subject=alt.example.org fingerprint=\"sha-256:AA\","
	    "FINGERPRINT = sha1:BB , cert=\"/etc/peer.crt\", verify=\"opt\" )");
	ATF_CHECK(a.port == NULL);
	ATF_REQUIRE_EQ(a.tls_subjects.n, 2);
	ATF_CHECK_STREQ(a.tls_subjects.v[0], "log.example.org");
	ATF_CHECK_STREQ(a.tls_subjects.v[1], "alt.example.org");
	ATF_REQUIRE_EQ(a.tls_fingerprints.n, 2);
	ATF_CHECK_STREQ(a.tls_fingerprints.v[0], "sha-256:AA");
	ATF_CHECK_STREQ(a.tls_fingerprints.v[1], "sha1:BB");
	ATF_CHECK_STREQ(a.tls_certfile, "/etc/peer.crt");
	ATF_CHECK_EQ(a.tls_verify, TLS_VERIFY_OPT);
	conf_action_free(&a);

	a = act_ok("@[h](verify=off)");
	ATF_CHECK_EQ(a.tls_verify, TLS_VERIFY_OFF);
	conf_action_free(&a);
	a = act_ok("@[h](verify=ON)");
	ATF_CHECK_EQ(a.tls_verify, TLS_VERIFY_ON);
	conf_action_free(&a);
	/* later cert= and verify= win */
	a = act_ok("@[h](cert=/a cert=/b verify=on verify=off)");
	ATF_CHECK_STREQ(a.tls_certfile, "/b");
	ATF_CHECK_EQ(a.tls_verify, TLS_VERIFY_OFF);
	conf_action_free(&a);
	/* escapes in quoted values; a ")" inside quotes */
	a = act_ok("@[h](subject=\"a\\\"b\\\\c)d\")");
	ATF_REQUIRE_EQ(a.tls_subjects.n, 1);
	ATF_CHECK_STREQ(a.tls_subjects.v[0], "a\"b\\c)d");
	conf_action_free(&a);
}

ATF_TC_WITHOUT_HEAD(action_tls_malformed);
ATF_TC_BODY(action_tls_malformed, tc)
{
	act_bad("@[", "missing \"]\" after \"@[\"");
	act_bad("@[host", "missing \"]\" after \"@[\"");
	act_bad("@[]", "missing host name in \"@[]\"");
	act_bad("@[a b]", "invalid host name \"a b\"");
	act_bad("@[host]x", "unexpected \"x\" after TLS destination");
	act_bad("@[host]:", "missing port after \":\"");
	act_bad("@[host]:99999", "invalid port \"99999\" (a number from 1 "
	    "to 65535 or a service name)");
	act_bad("@[host]:514/x", "unexpected \"/x\" after TLS destination");
	act_bad("@[host](", "missing \")\" after TLS options");
	act_bad("@[host](subject=\"a\"", "missing \")\" after TLS options");
	act_bad("@[host](subject=a,", "missing \")\" after TLS options");
	act_bad("@[host](foo=1)", "unknown TLS option \"foo\" (subject, "
	    "fingerprint, cert or verify)");
	act_bad("@[host](subjects=a)", "unknown TLS option \"subjects\" "
	    "(subject, fingerprint, cert or verify)");
	act_bad("@[host](subject=\"abc)", "unterminated quoted value of TLS "
	    "option \"subject\"");
	act_bad("@[host](verify=on) x", "unexpected \"x\" after TLS "
	    "destination");
	act_bad("@[host](verify=on))", "unexpected \")\" after TLS "
	    "destination");
	act_bad("@[host](verify=maybe)", "invalid value \"maybe\" for TLS "
	    "option \"verify\" (off, opt or on)");
	act_bad("@[host](verify=\"\")", "missing value for TLS option "
	    "\"verify\"");
	act_bad("@[host](subject)", "missing \"=\" after TLS option "
	    "\"subject\"");
	act_bad("@[host](subject=)", "missing value for TLS option "
	    "\"subject\"");
	act_bad("@[host](=x)", "unexpected \"=x)\" in TLS options");
	act_bad("@[host](\"x\")", "unexpected \"\\\"x\\\")\" in TLS options");
	act_bad("@[host](subject=a\"b\")", "unexpected \"\\\"b\\\")\" in TLS "
	    "options");
	act_bad("@[host](verify=on;cert=x)", "invalid value \"on;cert=x\" for "
	    "TLS option \"verify\" (off, opt or on)");
}

/* Every prefix and every one-byte change of a long TLS action returns. */
ATF_TC_WITHOUT_HEAD(action_tls_never_hangs);
ATF_TC_BODY(action_tls_never_hangs, tc)
{
	static const char full[] = "@[log.example.org]:6514 "
	    "(subject=\"a\\\"b\", fingerprint=sha-256:AA:BB cert=\"/c\" "
	    "verify=opt)";
	static const char repl[] = "\"\\()=, [];:@x\t";
	char buf[sizeof(full)];
	struct conf_action a;
	char err[512];
	size_t len, i, j;
	int ok = 0;

	for (len = 0; len < sizeof(full); len++)
		if (conf_action_parse(full, len, &a, err, sizeof(err)) == 0) {
			conf_action_free(&a);
			ok++;
		}
	/*
	 * Accepted: "@[...]", "@[...]:6", ":65", ":651", ":6514", ":6514 "
	 * and the whole.
	 */
	ATF_CHECK_EQ(ok, 7);
	for (i = 0; i < sizeof(full) - 1; i++) {
		for (j = 0; j < sizeof(repl) - 1; j++) {
			memcpy(buf, full, sizeof(full));
			buf[i] = repl[j];
			if (conf_action_parse(buf, strlen(buf), &a, err,
			    sizeof(err)) == 0)
				conf_action_free(&a);
			else
				ATF_CHECK(err[0] != '\0');
		}
	}
}

ATF_TC_WITHOUT_HEAD(actions_in_file);
ATF_TC_BODY(actions_in_file, tc)
{
	struct conf *c;

	c = parse_ok("*.err\t/dev/console\n"
	    "*.emerg\t*\n"
	    "auth.*\troot, operator\n"
	    "mail.*\t-/var/log/maillog\n"
	    "local0.*\t+|  /usr/bin/verify\n"
	    "*.info\t@loghost:5140\n"
	    "*.info\t@[logserver]:1234 (verify=off)\n");
	ATF_REQUIRE_EQ(c->nrules, 7);
	ATF_CHECK_EQ(c->rules[0].act.type, ACT_CONSOLE);
	ATF_CHECK_EQ(c->rules[1].act.type, ACT_WALL);
	ATF_CHECK_EQ(c->rules[2].act.type, ACT_USERS);
	ATF_CHECK_EQ(c->rules[2].act.users.n, 2);
	ATF_CHECK_EQ(c->rules[3].act.type, ACT_FILE);
	ATF_CHECK(!c->rules[3].act.sync);
	ATF_CHECK_EQ(c->rules[4].act.type, ACT_PIPE);
	ATF_CHECK_STREQ(c->rules[4].act.target, "/usr/bin/verify");
	ATF_CHECK(c->rules[4].act.keep_pri);
	ATF_CHECK_EQ(c->rules[5].act.type, ACT_UDP);
	ATF_CHECK_STREQ(c->rules[5].act.port, "5140");
	ATF_CHECK_EQ(c->rules[6].act.type, ACT_TLS);
	ATF_CHECK_EQ(c->rules[6].act.tls_verify, TLS_VERIFY_OFF);
	ATF_CHECK_STREQ(c->rules[6].text,
	    "*.info\t@[logserver]:1234 (verify=off)");
	conf_free(c);

	check_errors("*.* @[h](foo=1)\n*.* @[h](subject=\"x\n*.* /ok\n", 1,
	    "t.conf:1: unknown TLS option \"foo\" (subject, fingerprint, "
	    "cert or verify)",
	    "t.conf:2: unterminated quoted value of TLS option \"subject\"",
	    NULL);
}

/* ---- global options ----------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(option_defaults);
ATF_TC_BODY(option_defaults, tc)
{
	struct conf *c = parse_ok("");
	const struct conf_options *o = &c->opt;

	ATF_CHECK(!o->tls_server);
	ATF_CHECK(o->tls_bindhost == NULL);
	ATF_CHECK_STREQ(o->tls_bindport, "6514");
	ATF_CHECK(!o->tls_gen_cert);
	ATF_CHECK_STREQ(o->tls_key, CONF_DEFAULT_TLS_KEY);
	ATF_CHECK_STREQ(o->tls_cert, CONF_DEFAULT_TLS_CERT);
	ATF_CHECK_STREQ(CONF_DEFAULT_TLS_KEY, "/etc/openssl/default.key");
	ATF_CHECK_STREQ(CONF_DEFAULT_TLS_CERT, "/etc/openssl/default.crt");
	ATF_CHECK(o->tls_ca == NULL);
	ATF_CHECK(o->tls_cadir == NULL);
	ATF_CHECK(o->tls_crl == NULL);
	ATF_CHECK_EQ(o->tls_verify, TLS_VERIFY_ON);
	ATF_CHECK_EQ(o->tls_allow_fingerprints.n, 0);
	ATF_CHECK_EQ(o->tls_allow_clientcerts.n, 0);
	ATF_CHECK_EQ(o->tls_allow_subjects.n, 0);
	ATF_CHECK(o->tls_ciphers == NULL);
	ATF_CHECK(o->tls_min_version == NULL);
	ATF_CHECK_EQ(o->tls_max_msg_size, 16384);
	ATF_CHECK_EQ(o->tls_max_connections, 256);
	ATF_CHECK_EQ(o->tls_handshake_timeout, 10);
	ATF_CHECK_EQ(o->tls_idle_timeout, 0);
	ATF_CHECK_EQ(o->tls_queue.length, -1);
	ATF_CHECK_EQ(o->tls_queue.size, 16 * 1024 * 1024);
	ATF_CHECK_EQ(o->file_queue.length, 1024);
	ATF_CHECK_EQ(o->file_queue.size, 1024 * 1024);
	ATF_CHECK_EQ(o->pipe_queue.length, 1024);
	ATF_CHECK_EQ(o->pipe_queue.size, 1024 * 1024);
	ATF_CHECK_EQ(o->fifo_queue.length, 1024);
	ATF_CHECK_EQ(o->fifo_queue.size, 1024 * 1024);
	ATF_CHECK(o->spool_dir == NULL);
	ATF_CHECK_EQ(o->spool_size, 64 * 1024 * 1024);
	ATF_CHECK_EQ(o->sign_sg, -1);
	ATF_CHECK_EQ(o->sign_delim_sg2.n, 0);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(option_strings);
ATF_TC_BODY(option_strings, tc)
{
	struct conf *c;
	const struct conf_options *o;

	c = parse_ok("tls_bindhost = 192.0.2.1\n"
	    "tls_key=/k\n"
	    "TLS_CERT\t=\t\"/with space/c.pem\"\n"
	    "Tls_Ca = \"/a\\\"b\\\\c\\d\"\n"
	    "tls_cadir = /etc/ca.d   # the CAs\n"
	    "tls_crl = /etc/crl.pem\n"
	    "tls_ciphers = HIGH:!aNULL\n"
	    "spool_dir = /var/spool/syslogd\n"
	    "tls_bindhost = ::\n"
	    "  tls_gen_cert = yes\n");
	o = &c->opt;
	ATF_CHECK_STREQ(o->tls_bindhost, "::");		/* later wins */
	ATF_CHECK_STREQ(o->tls_key, "/k");
	ATF_CHECK_STREQ(o->tls_cert, "/with space/c.pem");
	ATF_CHECK_STREQ(o->tls_ca, "/a\"b\\c\\d");
	ATF_CHECK_STREQ(o->tls_cadir, "/etc/ca.d");
	ATF_CHECK_STREQ(o->tls_crl, "/etc/crl.pem");
	ATF_CHECK_STREQ(o->tls_ciphers, "HIGH:!aNULL");
	ATF_CHECK_STREQ(o->spool_dir, "/var/spool/syslogd");
	ATF_CHECK(o->tls_gen_cert);
	ATF_CHECK_EQ(c->nrules, 0);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(option_keywords_whole);
ATF_TC_BODY(option_keywords_whole, tc)
{
	struct conf *c;

	/* NetBSD quirk 13: "tls_cadir" is not "tls_ca" plus junk */
	c = parse_ok("tls_cadir = /d\n");
	ATF_CHECK_STREQ(c->opt.tls_cadir, "/d");
	ATF_CHECK(c->opt.tls_ca == NULL);
	conf_free(c);

	opt_bad("tls_cax = 1", "unknown keyword \"tls_cax\"");
	opt_bad("tls = 1", "unknown keyword \"tls\"");
	opt_bad("foo = bar", "unknown keyword \"foo\"");
	opt_bad("tls_server on", "missing \"=\" after \"tls_server\"");
	opt_bad("TLS_SERVER", "missing \"=\" after \"tls_server\"");
	/* a keyword followed by anything but "=" is a mistake */
	check_errors("tls_server.info /x\n", 0,
	    "t.conf:1: missing \"=\" after \"tls_server\"", NULL);
}

ATF_TC_WITHOUT_HEAD(option_value_errors);
ATF_TC_BODY(option_value_errors, tc)
{
	struct conf *c;

	opt_bad("tls_ca =", "missing value for \"tls_ca\"");
	opt_bad("tls_ca =   # nothing", "missing value for \"tls_ca\"");
	opt_bad("tls_ca = \"\"", "empty value for \"tls_ca\"");
	opt_bad("tls_ca = \"/a", "unterminated quoted value of \"tls_ca\"");
	opt_bad("tls_ca = /a /b", "unexpected \"/b\" after the value of "
	    "\"tls_ca\"");
	opt_bad("tls_ca = \"/a\"/b", "unexpected \"/b\" after the value of "
	    "\"tls_ca\"");
	/* a bad value keeps the earlier one */
	c = parse("tls_verify = opt\ntls_verify = maybe\n", NULL);
	ATF_CHECK_EQ(c->opt.tls_verify, TLS_VERIFY_OPT);
	conf_free(c);
	/* an option line can be continued */
	c = parse_ok("tls_ca = \\\n  /etc/ca.pem\n");
	ATF_CHECK_STREQ(c->opt.tls_ca, "/etc/ca.pem");
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(option_booleans);
ATF_TC_BODY(option_booleans, tc)
{
	static const struct {
		const char *v;
		bool b;
	} t[] = {
		{ "on", true }, { "off", false }, { "yes", true },
		{ "no", false }, { "true", true }, { "false", false },
		{ "1", true }, { "0", false }, { "ON", true }, { "Off", false },
		{ "YES", true }, { "False", false }, { "\"on\"", true },
	};
	char line[64];
	struct conf *c;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "tls_server = %s\n"
		    "tls_gen_cert = %s\n", t[i].v, t[i].v);
		c = parse_ok(line);
		ATF_CHECK_EQ_MSG(c->opt.tls_server, t[i].b, "%s", t[i].v);
		ATF_CHECK_EQ_MSG(c->opt.tls_gen_cert, t[i].b, "%s", t[i].v);
		conf_free(c);
	}
	/* NetBSD quirk 12: "0" and "off" do not turn the listener on */
	c = parse_ok("tls_server = 0\n");
	ATF_CHECK(!c->opt.tls_server);
	conf_free(c);
	opt_bad("tls_server = maybe", "invalid value \"maybe\" for "
	    "\"tls_server\" (on/off, yes/no, true/false or 1/0)");
	opt_bad("tls_gen_cert = 2", "invalid value \"2\" for "
	    "\"tls_gen_cert\" (on/off, yes/no, true/false or 1/0)");
	opt_bad("tls_gen_cert = onn", "invalid value \"onn\" for "
	    "\"tls_gen_cert\" (on/off, yes/no, true/false or 1/0)");
}

ATF_TC_WITHOUT_HEAD(parse_bool);
ATF_TC_BODY(parse_bool, tc)
{
	static const char *const yes[] = { "on", "yes", "true", "1", "ON",
	    "Yes", "TRUE", "tRuE" };
	static const char *const no[] = { "off", "no", "false", "0", "OFF",
	    "No", "FALSE", "fAlSe" };
	static const char *const bad[] = { "", "2", "y", "n", "enable",
	    "on ", " on", "01", "yess", "-1" };
	size_t i;
	bool b;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		ATF_CHECK_EQ_MSG(conf_parse_bool(yes[i], &b), 0, "%s", yes[i]);
		ATF_CHECK_MSG(b, "%s", yes[i]);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		ATF_CHECK_EQ_MSG(conf_parse_bool(no[i], &b), 0, "%s", no[i]);
		ATF_CHECK_MSG(!b, "%s", no[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_EQ_MSG(conf_parse_bool(bad[i], &b), -1, "\"%s\"",
		    bad[i]);
}

ATF_TC_WITHOUT_HEAD(parse_size);
ATF_TC_BODY(parse_size, tc)
{
	static const struct {
		const char *s;
		long long v;
	} good[] = {
		{ "0", 0 }, { "1", 1 }, { "1024", 1024 }, { "16k", 16384 },
		{ "16K", 16384 }, { "1m", 1048576 }, { "1M", 1048576 },
		{ "16M", 16777216 }, { "2g", 2147483648LL },
		{ "2G", 2147483648LL }, { "-1", -1 }, { "007", 7 },
		{ "9223372036854775807", 9223372036854775807LL },
		{ "8589934591G", 8589934591LL << 30 },
	};
	static const char *const bad[] = { "", "k", "M", "1.5M", "1T", "1P",
	    "-2", "-0", "-1k", " 1", "1 ", "1kb", "1KiB", "+1", "0x10",
	    "1e3", "9223372036854775808", "99999999999999999999",
	    "8589934592G", "9007199254740992M", "--1", "1-" };
	long long v;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		ATF_CHECK_EQ_MSG(conf_parse_size(good[i].s, &v), 0, "%s",
		    good[i].s);
		ATF_CHECK_EQ_MSG(v, good[i].v, "%s", good[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_EQ_MSG(conf_parse_size(bad[i], &v), -1, "\"%s\"",
		    bad[i]);
}

ATF_TC_WITHOUT_HEAD(option_queues);
ATF_TC_BODY(option_queues, tc)
{
	static const char *const kw[] = { "tls_queue_length",
	    "tls_queue_size", "file_queue_length", "file_queue_size",
	    "pipe_queue_length", "pipe_queue_size", "fifo_queue_length",
	    "fifo_queue_size", "spool_size" };
	char line[128], want[256];
	struct conf *c;
	const struct conf_options *o;
	size_t i;

	c = parse_ok("tls_queue_length = 100\n"
	    "tls_queue_size = 1G\n"
	    "file_queue_length = -1\n"
	    "file_queue_size = 512k\n"
	    "pipe_queue_length = 0\n"
	    "pipe_queue_size = 2M\n"
	    "fifo_queue_length = 3\n"
	    "fifo_queue_size = -1\n"
	    "spool_size = 128m\n");
	o = &c->opt;
	ATF_CHECK_EQ(o->tls_queue.length, 100);
	ATF_CHECK_EQ(o->tls_queue.size, 1LL << 30);
	ATF_CHECK_EQ(o->file_queue.length, -1);
	ATF_CHECK_EQ(o->file_queue.size, 512 * 1024);
	ATF_CHECK_EQ(o->pipe_queue.length, 0);
	ATF_CHECK_EQ(o->pipe_queue.size, 2 * 1024 * 1024);
	ATF_CHECK_EQ(o->fifo_queue.length, 3);
	ATF_CHECK_EQ(o->fifo_queue.size, -1);
	ATF_CHECK_EQ(o->spool_size, 128LL << 20);
	conf_free(c);

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		snprintf(line, sizeof(line), "%s = 10X", kw[i]);
		snprintf(want, sizeof(want), "invalid value \"10X\" for \"%s\" "
		    "(a number with an optional k, M or G suffix, or -1 for "
		    "no limit)", kw[i]);
		opt_bad(line, want);
	}
}

ATF_TC_WITHOUT_HEAD(option_tls_limits);
ATF_TC_BODY(option_tls_limits, tc)
{
	struct conf *c;

	c = parse_ok("tls_max_msg_size = 8192\ntls_max_connections = 1\n"
	    "tls_handshake_timeout = 0\ntls_idle_timeout = 3600\n");
	ATF_CHECK_EQ(c->opt.tls_max_msg_size, 8192);
	ATF_CHECK_EQ(c->opt.tls_max_connections, 1);
	ATF_CHECK_EQ(c->opt.tls_handshake_timeout, 0);
	ATF_CHECK_EQ(c->opt.tls_idle_timeout, 3600);
	conf_free(c);
	c = parse_ok("tls_max_msg_size = 64k\ntls_max_connections = -1\n"
	    "tls_handshake_timeout = 30\n");
	ATF_CHECK_EQ(c->opt.tls_max_msg_size, 65536);
	ATF_CHECK_EQ(c->opt.tls_max_connections, -1);
	ATF_CHECK_EQ(c->opt.tls_handshake_timeout, 30);
	conf_free(c);

	opt_bad("tls_max_msg_size = 8191", "invalid value \"8191\" for "
	    "\"tls_max_msg_size\" (a size of at least 8192 bytes)");
	opt_bad("tls_max_msg_size = -1", "invalid value \"-1\" for "
	    "\"tls_max_msg_size\" (a size of at least 8192 bytes)");
	opt_bad("tls_max_msg_size = big", "invalid value \"big\" for "
	    "\"tls_max_msg_size\" (a size of at least 8192 bytes)");
	opt_bad("tls_max_connections = 0", "invalid value \"0\" for "
	    "\"tls_max_connections\" (a number of at least 1, or -1 for no "
	    "limit)");
	opt_bad("tls_max_connections = x", "invalid value \"x\" for "
	    "\"tls_max_connections\" (a number of at least 1, or -1 for no "
	    "limit)");
	opt_bad("tls_handshake_timeout = 1m", "invalid value \"1m\" for "
	    "\"tls_handshake_timeout\" (a number of seconds)");
	opt_bad("tls_idle_timeout = -1", "invalid value \"-1\" for "
	    "\"tls_idle_timeout\" (a number of seconds)");
	opt_bad("tls_idle_timeout = 99999999999", "invalid value "
	    "\"99999999999\" for \"tls_idle_timeout\" (a number of seconds)");
}

ATF_TC_WITHOUT_HEAD(option_tls_misc);
ATF_TC_BODY(option_tls_misc, tc)
{
	struct conf *c;

	c = parse_ok("tls_verify = off\n");
	ATF_CHECK_EQ(c->opt.tls_verify, TLS_VERIFY_OFF);
	conf_free(c);
	c = parse_ok("tls_verify = opt\n");
	ATF_CHECK_EQ(c->opt.tls_verify, TLS_VERIFY_OPT);
	conf_free(c);
	c = parse_ok("tls_verify = off\ntls_verify = ON\n");
	ATF_CHECK_EQ(c->opt.tls_verify, TLS_VERIFY_ON);
	conf_free(c);
	opt_bad("tls_verify = optional", "invalid value \"optional\" for "
	    "\"tls_verify\" (off, opt or on)");
	opt_bad("tls_verify = required", "invalid value \"required\" for "
	    "\"tls_verify\" (off, opt or on)");

	c = parse_ok("tls_min_version = 1.2\n");
	ATF_CHECK_STREQ(c->opt.tls_min_version, "1.2");
	conf_free(c);
	c = parse_ok("tls_min_version = \"1.3\"\n");
	ATF_CHECK_STREQ(c->opt.tls_min_version, "1.3");
	conf_free(c);
	opt_bad("tls_min_version = 1.1", "invalid value \"1.1\" for "
	    "\"tls_min_version\" (1.2 or 1.3)");
	opt_bad("tls_min_version = TLSv1.3", "invalid value \"TLSv1.3\" for "
	    "\"tls_min_version\" (1.2 or 1.3)");

	c = parse_ok("tls_bindport = 10514\n");
	ATF_CHECK_STREQ(c->opt.tls_bindport, "10514");
	conf_free(c);
	c = parse_ok("tls_bindport = syslog-tls\n");
	ATF_CHECK_STREQ(c->opt.tls_bindport, "syslog-tls");
	conf_free(c);
	opt_bad("tls_bindport = 0", "invalid value \"0\" for "
	    "\"tls_bindport\" (a port number from 1 to 65535 or a service "
	    "name)");
	opt_bad("tls_bindport = 70000", "invalid value \"70000\" for "
	    "\"tls_bindport\" (a port number from 1 to 65535 or a service "
	    "name)");
	opt_bad("tls_bindport = a_b", "invalid value \"a_b\" for "
	    "\"tls_bindport\" (a port number from 1 to 65535 or a service "
	    "name)");
}

ATF_TC_WITHOUT_HEAD(option_lists);
ATF_TC_BODY(option_lists, tc)
{
	struct conf *c;
	const struct conf_options *o;

	c = parse_ok("tls_allow_fingerprints = \"SHA1:AA:BB\" sha-256:CC\n"
	    "tls_allow_fingerprints=sha1:DD   # another one\n"
	    "tls_allow_clientcerts = /etc/a.pem \"/etc/with space.pem\"\n"
	    "tls_allow_subjects = a.example.org\tb.example.org\n"
	    "tls_allow_subjects = \"c \\\"d\\\"\"\n");
	o = &c->opt;
	ATF_REQUIRE_EQ(o->tls_allow_fingerprints.n, 3);
	ATF_CHECK_STREQ(o->tls_allow_fingerprints.v[0], "SHA1:AA:BB");
	ATF_CHECK_STREQ(o->tls_allow_fingerprints.v[1], "sha-256:CC");
	ATF_CHECK_STREQ(o->tls_allow_fingerprints.v[2], "sha1:DD");
	ATF_REQUIRE_EQ(o->tls_allow_clientcerts.n, 2);
	ATF_CHECK_STREQ(o->tls_allow_clientcerts.v[1], "/etc/with space.pem");
	ATF_REQUIRE_EQ(o->tls_allow_subjects.n, 3);
	ATF_CHECK_STREQ(o->tls_allow_subjects.v[0], "a.example.org");
	ATF_CHECK_STREQ(o->tls_allow_subjects.v[1], "b.example.org");
	ATF_CHECK_STREQ(o->tls_allow_subjects.v[2], "c \"d\"");
	conf_free(c);

	/* a bad list line adds nothing */
	c = parse("tls_allow_fingerprints = a\n"
	    "tls_allow_fingerprints = b \"c\n", NULL);
	ATF_REQUIRE_EQ(c->opt.tls_allow_fingerprints.n, 1);
	ATF_CHECK_STREQ(c->opt.tls_allow_fingerprints.v[0], "a");
	conf_free(c);
	opt_bad("tls_allow_fingerprints = b \"c", "unterminated quoted value "
	    "of \"tls_allow_fingerprints\"");
	opt_bad("tls_allow_clientcerts =", "missing value for "
	    "\"tls_allow_clientcerts\"");
}

ATF_TC_WITHOUT_HEAD(option_sign);
ATF_TC_BODY(option_sign, tc)
{
	struct conf *c;
	char line[32];
	int i;

	for (i = 0; i <= 3; i++) {
		snprintf(line, sizeof(line), "sign_sg = %d\n", i);
		c = parse_ok(line);
		ATF_CHECK_EQ(c->opt.sign_sg, i);
		conf_free(c);
	}
	opt_bad("sign_sg = 4", "invalid value \"4\" for \"sign_sg\" "
	    "(0, 1, 2 or 3)");
	opt_bad("sign_sg = 01", "invalid value \"01\" for \"sign_sg\" "
	    "(0, 1, 2 or 3)");
	opt_bad("sign_sg = on", "invalid value \"on\" for \"sign_sg\" "
	    "(0, 1, 2 or 3)");

	c = parse_ok("sign_sg = 2\nsign_delim_sg2 = 0 15 \"23\"\n"
	    "sign_delim_sg2 = 191 007\n");
	ATF_REQUIRE_EQ(c->opt.sign_delim_sg2.n, 5);
	ATF_CHECK_STREQ(c->opt.sign_delim_sg2.v[0], "0");
	ATF_CHECK_STREQ(c->opt.sign_delim_sg2.v[1], "15");
	ATF_CHECK_STREQ(c->opt.sign_delim_sg2.v[2], "23");
	ATF_CHECK_STREQ(c->opt.sign_delim_sg2.v[3], "191");
	ATF_CHECK_STREQ(c->opt.sign_delim_sg2.v[4], "7");
	conf_free(c);
	opt_bad("sign_delim_sg2 = 1 192", "invalid value \"192\" for "
	    "\"sign_delim_sg2\" (numbers from 0 to 191)");
	opt_bad("sign_delim_sg2 = x", "invalid value \"x\" for "
	    "\"sign_delim_sg2\" (numbers from 0 to 191)");
	opt_bad("sign_delim_sg2 = -1", "invalid value \"-1\" for "
	    "\"sign_delim_sg2\" (numbers from 0 to 191)");
	opt_bad("sign_delim_sg2 = 99999999999", "invalid value "
	    "\"99999999999\" for \"sign_delim_sg2\" (numbers from 0 to 191)");
	c = parse("sign_delim_sg2 = 1 2 300\n", NULL);
	ATF_CHECK_EQ(c->opt.sign_delim_sg2.n, 0);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(options_anywhere);
ATF_TC_BODY(options_anywhere, tc)
{
	struct conf *c;

	/* options after rules and inside blocks are global all the same */
	c = parse_ok("!sshd\n*.* /a\ntls_server = on\n+gw\n"
	    "*.* @[h]\n  tls_ca = /ca\n");
	ATF_CHECK(c->opt.tls_server);
	ATF_CHECK_STREQ(c->opt.tls_ca, "/ca");
	ATF_REQUIRE_EQ(c->nrules, 2);
	check_block(&c->rules[1], "h", "sshd", false, "gw", false);
	conf_free(c);
}

ATF_TC_WITHOUT_HEAD(error_report);
ATF_TC_BODY(error_report, tc)
{
	/* every error with its file:line, the good lines kept */
	check_errors("# sample\n"
	    "*.err\t/dev/console\n"
	    "foo = bar\n"
	    "mail.info \\\n"
	    "\t/var/log/maillog\n"
	    "tls_server = maybe\n"
	    "kern.*\n"
	    "*.* @[h](verify=x)\n"
	    "\n"
	    "news.crit\t|\n"
	    "*.emerg *\n", 3,
	    "t.conf:3: unknown keyword \"foo\"",
	    "t.conf:6: invalid value \"maybe\" for \"tls_server\" (on/off, "
	    "yes/no, true/false or 1/0)",
	    "t.conf:7: missing action after selector \"kern.*\"",
	    "t.conf:8: invalid value \"x\" for TLS option \"verify\" (off, opt "
	    "or on)",
	    "t.conf:10: missing command after \"|\"",
	    NULL);
}

ATF_TC_WITHOUT_HEAD(fallback);
ATF_TC_BODY(fallback, tc)
{
	struct conf_env env = { .eq_default = true };
	struct conf *c;
	int pass, f;

	for (pass = 0; pass < 3; pass++) {
		c = conf_fallback(pass == 0 ? NULL : pass == 1 ? &plain_env :
		    &env);
		ATF_REQUIRE(c != NULL);
		ATF_REQUIRE_EQ(c->nrules, 2);
		ATF_CHECK_EQ(c->rules[0].act.type, ACT_CONSOLE);
		ATF_CHECK_STREQ(c->rules[0].act.target, "/dev/console");
		ATF_CHECK_EQ(c->rules[1].act.type, ACT_WALL);
		/* err and more severe even with -U */
		for (f = 0; f < FILTER_FAC_MARK; f++) {
			ATF_CHECK_EQ(c->rules[0].sel.sevmask[f], 0x0f);
			ATF_CHECK_EQ(c->rules[1].sel.sevmask[f], 0x01);
		}
		ATF_CHECK_EQ(c->rules[0].sel.sevmask[FILTER_FAC_MARK], 0);
		ATF_CHECK_EQ(c->opt.sign_sg, -1);
		ATF_CHECK(!c->opt.tls_server);
		conf_free(c);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, empty_and_comments);
	ATF_TP_ADD_TC(tp, simple_rule);
	ATF_TP_ADD_TC(tp, blanks);
	ATF_TP_ADD_TC(tp, missing_action);
	ATF_TP_ADD_TC(tp, selector_errors);
	ATF_TP_ADD_TC(tp, eq_default_env);
	ATF_TP_ADD_TC(tp, continuation);
	ATF_TP_ADD_TC(tp, long_lines);
	ATF_TP_ADD_TC(tp, nul_byte);
	ATF_TP_ADD_TC(tp, many_rules);
	ATF_TP_ADD_TC(tp, block_scoping);
	ATF_TP_ADD_TC(tp, block_forms);
	ATF_TP_ADD_TC(tp, block_errors);
	ATF_TP_ADD_TC(tp, action_files);
	ATF_TP_ADD_TC(tp, action_prefix_errors);
	ATF_TP_ADD_TC(tp, action_pipes);
	ATF_TP_ADD_TC(tp, action_wall_users);
	ATF_TP_ADD_TC(tp, action_udp);
	ATF_TP_ADD_TC(tp, action_tls);
	ATF_TP_ADD_TC(tp, action_tls_options);
	ATF_TP_ADD_TC(tp, action_tls_malformed);
	ATF_TP_ADD_TC(tp, action_tls_never_hangs);
	ATF_TP_ADD_TC(tp, actions_in_file);
	ATF_TP_ADD_TC(tp, option_defaults);
	ATF_TP_ADD_TC(tp, option_strings);
	ATF_TP_ADD_TC(tp, option_keywords_whole);
	ATF_TP_ADD_TC(tp, option_value_errors);
	ATF_TP_ADD_TC(tp, option_booleans);
	ATF_TP_ADD_TC(tp, parse_bool);
	ATF_TP_ADD_TC(tp, parse_size);
	ATF_TP_ADD_TC(tp, option_queues);
	ATF_TP_ADD_TC(tp, option_tls_limits);
	ATF_TP_ADD_TC(tp, option_tls_misc);
	ATF_TP_ADD_TC(tp, option_lists);
	ATF_TP_ADD_TC(tp, option_sign);
	ATF_TP_ADD_TC(tp, options_anywhere);
	ATF_TP_ADD_TC(tp, error_report);
	ATF_TP_ADD_TC(tp, fallback);
	return atf_no_error();
}
