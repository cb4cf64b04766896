/*
 * Unit tests of filter.c: selectors, program and host blocks.
 */
#include <atf-c.h>

#include <stdio.h>
#include <string.h>

#include "filter.h"

#define FAC_KERN	0
#define FAC_USER	1
#define FAC_MAIL	2
#define FAC_DAEMON	3
#define FAC_AUTH	4
#define FAC_NEWS	7
#define FAC_LOCAL0	16
#define FAC_LOCAL7	23

/* severities */
#define EMERG	0
#define ALERT	1
#define CRIT	2
#define ERR	3
#define WARNING	4
#define NOTICE	5
#define INFO	6
#define DEBUG	7

/* bit masks for "this level and more severe" */
#define UPTO(s)	((unsigned)((1u << ((s) + 1)) - 1))

static struct selector
sel_ok(const char *text, bool eq)
{
	struct selector s;
	char err[256];

	if (selector_parse(text, strlen(text), eq, &s, err, sizeof(err)) != 0)
		atf_tc_fail("selector \"%s\" rejected: %s", text, err);
	return s;
}

static void
sel_bad(const char *text, const char *want)
{
	struct selector s;
	char err[256];

	ATF_CHECK_EQ_MSG(selector_parse(text, strlen(text), false, &s, err,
	    sizeof(err)), -1, "selector \"%s\" accepted", text);
	ATF_CHECK_STREQ_MSG(err, want, "selector \"%s\"", text);
}

static void
check_mask(const struct selector *s, int fac, unsigned want, const char *what)
{
	ATF_CHECK_EQ_MSG(s->sevmask[fac], want,
	    "%s: facility %d mask 0x%02x, want 0x%02x", what, fac,
	    s->sevmask[fac], want);
}

/* every facility but the listed one has mask other */
static void
check_all_but(const struct selector *s, int except, unsigned other,
    const char *what)
{
	int f;

	for (f = 0; f < FILTER_FAC_MARK; f++)
		if (f != except)
			check_mask(s, f, other, what);
}

ATF_TC_WITHOUT_HEAD(sel_simple);
ATF_TC_BODY(sel_simple, tc)
{
	struct selector s = sel_ok("mail.info", false);

	check_mask(&s, FAC_MAIL, UPTO(INFO), "mail.info");
	check_all_but(&s, FAC_MAIL, 0, "mail.info");
	check_mask(&s, FILTER_FAC_MARK, 0, "mail.info");
	ATF_CHECK(selector_match(&s, FAC_MAIL, EMERG));
	ATF_CHECK(selector_match(&s, FAC_MAIL, INFO));
	ATF_CHECK(!selector_match(&s, FAC_MAIL, DEBUG));
	ATF_CHECK(!selector_match(&s, FAC_NEWS, EMERG));
}

ATF_TC_WITHOUT_HEAD(sel_facility_list);
ATF_TC_BODY(sel_facility_list, tc)
{
	struct selector s = sel_ok("mail,news,local7.err", false);

	check_mask(&s, FAC_MAIL, UPTO(ERR), "list");
	check_mask(&s, FAC_NEWS, UPTO(ERR), "list");
	check_mask(&s, FAC_LOCAL7, UPTO(ERR), "list");
	check_mask(&s, FAC_KERN, 0, "list");
	check_mask(&s, FAC_LOCAL0, 0, "list");
}

ATF_TC_WITHOUT_HEAD(sel_case_and_aliases);
ATF_TC_BODY(sel_case_and_aliases, tc)
{
	struct selector s;

	s = sel_ok("MAIL.INFO", false);
	check_mask(&s, FAC_MAIL, UPTO(INFO), "MAIL.INFO");
	s = sel_ok("Security.Warn", false);
	check_mask(&s, FAC_AUTH, UPTO(WARNING), "security = auth");
	s = sel_ok("user.panic", false);
	check_mask(&s, FAC_USER, UPTO(EMERG), "panic = emerg");
	s = sel_ok("user.error", false);
	check_mask(&s, FAC_USER, UPTO(ERR), "error = err");
	s = sel_ok("daemon.debug", false);
	check_mask(&s, FAC_DAEMON, 0xff, "debug");
	/* 12..15 by msg.c's names */
	s = sel_ok("ntp,audit,console,clock.err", false);
	check_mask(&s, 12, UPTO(ERR), "ntp");
	check_mask(&s, 15, UPTO(ERR), "clock");
	check_mask(&s, FAC_LOCAL0, 0, "clock");
}

ATF_TC_WITHOUT_HEAD(sel_star_facility);
ATF_TC_BODY(sel_star_facility, tc)
{
	struct selector s = sel_ok("*.err", false);

	check_all_but(&s, -1, UPTO(ERR), "*.err");
	/* "*" is every facility but mark */
	check_mask(&s, FILTER_FAC_MARK, 0, "*.err");
	ATF_CHECK(!selector_match(&s, FILTER_FAC_MARK, EMERG));
}

ATF_TC_WITHOUT_HEAD(sel_mark_named);
ATF_TC_BODY(sel_mark_named, tc)
{
	struct selector s;

	s = sel_ok("mark.info", false);
	check_mask(&s, FILTER_FAC_MARK, UPTO(INFO), "mark.info");
	check_all_but(&s, -1, 0, "mark.info");
	ATF_CHECK(selector_match(&s, FILTER_FAC_MARK, INFO));

	s = sel_ok("*,mark.*", false);
	check_mask(&s, FILTER_FAC_MARK, 0xff, "*,mark");
	check_all_but(&s, -1, 0xff, "*,mark");

	s = sel_ok("*.*;MARK.info", false);
	check_mask(&s, FILTER_FAC_MARK, UPTO(INFO), "*.*;MARK.info");
}

ATF_TC_WITHOUT_HEAD(sel_star_level);
ATF_TC_BODY(sel_star_level, tc)
{
	struct selector s = sel_ok("*.*", false);
	int sev;

	check_all_but(&s, -1, 0xff, "*.*");
	for (sev = EMERG; sev <= DEBUG; sev++)
		ATF_CHECK(selector_match(&s, FAC_LOCAL0, sev));
	/* "*" ignores comparisons, as in NetBSD */
	s = sel_ok("mail.!*", false);
	check_mask(&s, FAC_MAIL, 0xff, "mail.!*");
	s = sel_ok("mail.*", true);
	check_mask(&s, FAC_MAIL, 0xff, "mail.* with -U");
}

ATF_TC_WITHOUT_HEAD(sel_none);
ATF_TC_BODY(sel_none, tc)
{
	struct selector s;

	s = sel_ok("*.info;mail.none", false);
	check_mask(&s, FAC_MAIL, 0, "mail.none");
	check_all_but(&s, FAC_MAIL, UPTO(INFO), "*.info;mail.none");
	ATF_CHECK(!selector_match(&s, FAC_MAIL, EMERG));

	s = sel_ok("*.none", false);
	check_all_but(&s, -1, 0, "*.none");
	s = sel_ok("mail.!none", false);
	check_mask(&s, FAC_MAIL, 0, "mail.!none");
	s = sel_ok("mail.NONE", false);
	check_mask(&s, FAC_MAIL, 0, "mail.NONE");
}

ATF_TC_WITHOUT_HEAD(sel_override_order);
ATF_TC_BODY(sel_override_order, tc)
{
	struct selector s;

	/* the later selector wins for the facilities it names */
	s = sel_ok("mail.crit;*.err", false);
	check_mask(&s, FAC_MAIL, UPTO(ERR), "mail.crit;*.err");
	s = sel_ok("*.err;mail.crit", false);
	check_mask(&s, FAC_MAIL, UPTO(CRIT), "*.err;mail.crit");
	check_mask(&s, FAC_NEWS, UPTO(ERR), "*.err;mail.crit");
	s = sel_ok("mail.none;*.info", false);
	check_mask(&s, FAC_MAIL, UPTO(INFO), "none then *");
	s = sel_ok("mail.debug;mail.=err", false);
	check_mask(&s, FAC_MAIL, 1u << ERR, "debug then =err");
}

ATF_TC_WITHOUT_HEAD(sel_comparisons);
ATF_TC_BODY(sel_comparisons, tc)
{
	static const struct {
		const char *text;
		unsigned mask;
	} t[] = {
		{ "user.info",		0x7f },		/* >= */
		{ "user.=info",		0x40 },
		{ "user.<info",		0x80 },
		{ "user.>info",		0x3f },
		{ "user.<=info",	0xc0 },
		{ "user.=<info",	0xc0 },
		{ "user.>=info",	0x7f },
		{ "user.=>info",	0x7f },
		{ "user.<>info",	0xbf },
		{ "user.<=>info",	0xff },
		{ "user.!info",		0x80 },		/* same as < */
		{ "user.!=info",	0xbf },
		{ "user.!<info",	0x7f },
		{ "user.!>info",	0xc0 },
		{ "user.!<=info",	0x3f },
		{ "user.!>=info",	0x80 },
		{ "user.!<>info",	0x40 },
		{ "user.!<=>info",	0x00 },
		{ "user.=emerg",	0x01 },
		{ "user.<emerg",	0xfe },
		{ "user.>debug",	0x7f },
		{ "user.=debug",	0x80 },
	};
	struct selector s;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = sel_ok(t[i].text, false);
		check_mask(&s, FAC_USER, t[i].mask, t[i].text);
		check_mask(&s, FAC_MAIL, 0, t[i].text);
	}
}

ATF_TC_WITHOUT_HEAD(sel_eq_default);
ATF_TC_BODY(sel_eq_default, tc)
{
	struct selector s;

	/* -U: a level alone means that level only */
	s = sel_ok("user.info", true);
	check_mask(&s, FAC_USER, 0x40, "-U user.info");
	s = sel_ok("user.>=info", true);
	check_mask(&s, FAC_USER, 0x7f, "-U user.>=info");
	s = sel_ok("user.!info", true);
	check_mask(&s, FAC_USER, 0xbf, "-U user.!info");
	s = sel_ok("user.<info", true);
	check_mask(&s, FAC_USER, 0x80, "-U user.<info");
	s = sel_ok("*.none", true);
	check_all_but(&s, -1, 0, "-U *.none");
}

ATF_TC_WITHOUT_HEAD(sel_empty_parts);
ATF_TC_BODY(sel_empty_parts, tc)
{
	struct selector s;

	/* as NetBSD: ";;" and a trailing ";" are skipped */
	s = sel_ok("mail.info;", false);
	check_mask(&s, FAC_MAIL, 0x7f, "trailing ;");
	s = sel_ok(";;mail.err;;news.crit", false);
	check_mask(&s, FAC_MAIL, UPTO(ERR), ";;");
	check_mask(&s, FAC_NEWS, UPTO(CRIT), ";;");
}

ATF_TC_WITHOUT_HEAD(sel_errors);
ATF_TC_BODY(sel_errors, tc)
{
	sel_bad("mial.info", "unknown facility \"mial\"");
	sel_bad("mail.infoo", "unknown level \"infoo\"");
	sel_bad("mail", "missing \".\" in selector \"mail\"");
	sel_bad("mail.info;news", "missing \".\" in selector \"news\"");
	sel_bad("mail.", "missing level in selector \"mail.\"");
	sel_bad("mail.!=", "missing level in selector \"mail.!=\"");
	sel_bad(".info", "missing facility in selector \".info\"");
	sel_bad("mail,.info", "missing facility in selector \"mail,.info\"");
	sel_bad("mail,,news.info",
	    "missing facility in selector \"mail,,news.info\"");
	sel_bad("mail,bogus.info", "unknown facility \"bogus\"");
	sel_bad("mail.info,news.err", "unknown level \"info,news.err\"");
	sel_bad("", "empty selector");
	sel_bad(";", "empty selector");
	sel_bad("mail.*;kern.bad", "unknown level \"bad\"");
	sel_bad("mail.!!info", "unknown level \"!info\"");
	sel_bad("mail.info=", "unknown level \"info=\"");
	/* NetBSD takes numbers (the facility shifted); we do not */
	sel_bad("8.info",
	    "unknown facility \"8\" (numbers are not accepted, use a name)");
	sel_bad("mail.3",
	    "unknown level \"3\" (numbers are not accepted, use a name)");
	/* msg.c names only: no "mark" level, no "none" facility */
	sel_bad("none.info", "unknown facility \"none\"");
	sel_bad("mail.mark", "unknown level \"mark\"");
}

ATF_TC_WITHOUT_HEAD(sel_error_quoting);
ATF_TC_BODY(sel_error_quoting, tc)
{
	char text[200], want[200];

	sel_bad("ma\"il.info", "unknown facility \"ma\\\"il\"");
	sel_bad("m\001il.info", "unknown facility \"m\\001il\"");
	/* long words are cut */
	memset(text, 'x', 100);
	strcpy(text + 100, ".info");
	snprintf(want, sizeof(want), "unknown facility \"%.64s...\"", text);
	sel_bad(text, want);
}

ATF_TC_WITHOUT_HEAD(sel_match_bounds);
ATF_TC_BODY(sel_match_bounds, tc)
{
	struct selector s = sel_ok("*.*;mark.*", false);

	ATF_CHECK(selector_match(&s, 0, 0));
	ATF_CHECK(selector_match(&s, FILTER_FAC_MARK, DEBUG));
	ATF_CHECK(!selector_match(&s, -1, 0));
	ATF_CHECK(!selector_match(&s, FILTER_NFAC, 0));
	ATF_CHECK(!selector_match(&s, 0, -1));
	ATF_CHECK(!selector_match(&s, 0, 8));
}

/* ---- namelists --------------------------------------------------------- */

static struct namelist
nl_ok(const char *text, bool negate, bool hosts)
{
	struct namelist nl;
	char err[256];

	if (namelist_parse(text, strlen(text), negate, hosts, &nl, err,
	    sizeof(err)) != 0)
		atf_tc_fail("list \"%s\" rejected: %s", text, err);
	return nl;
}

static void
nl_bad(const char *text, bool hosts, const char *want)
{
	struct namelist nl;
	char err[256];

	ATF_CHECK_EQ_MSG(namelist_parse(text, strlen(text), false, hosts, &nl,
	    err, sizeof(err)), -1, "list \"%s\" accepted", text);
	ATF_CHECK_STREQ(err, want);
}

ATF_TC_WITHOUT_HEAD(nl_parse);
ATF_TC_BODY(nl_parse, tc)
{
	struct namelist nl;

	nl = nl_ok("sshd, cron ,\tntpd", false, false);
	ATF_REQUIRE_EQ(nl.names.n, 3);
	ATF_CHECK_STREQ(nl.names.v[0], "sshd");
	ATF_CHECK_STREQ(nl.names.v[1], "cron");
	ATF_CHECK_STREQ(nl.names.v[2], "ntpd");
	ATF_CHECK(!nl.negate);
	namelist_free(&nl);
	ATF_CHECK_EQ(nl.names.n, 0);

	nl = nl_ok("  a  ", true, false);
	ATF_REQUIRE_EQ(nl.names.n, 1);
	ATF_CHECK_STREQ(nl.names.v[0], "a");
	ATF_CHECK(nl.negate);
	namelist_free(&nl);

	/* empty items are skipped, as NetBSD never matches them */
	nl = nl_ok("a,,b,", false, false);
	ATF_REQUIRE_EQ(nl.names.n, 2);
	ATF_CHECK_STREQ(nl.names.v[1], "b");
	namelist_free(&nl);

	/* len is honoured: no NUL needed */
	ATF_REQUIRE_EQ(namelist_parse("abc,def", 3, false, false, &nl, NULL,
	    0), 0);
	ATF_REQUIRE_EQ(nl.names.n, 1);
	ATF_CHECK_STREQ(nl.names.v[0], "abc");
	namelist_free(&nl);
}

ATF_TC_WITHOUT_HEAD(nl_reset);
ATF_TC_BODY(nl_reset, tc)
{
	static const char *const t[] = { "*", "", "  ", " * ", ",", "\t,\t" };
	struct namelist nl;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		nl = nl_ok(t[i], true, i % 2 == 0);
		ATF_CHECK_EQ_MSG(nl.names.n, 0, "\"%s\"", t[i]);
		ATF_CHECK_MSG(!nl.negate, "\"%s\" keeps negate", t[i]);
		ATF_CHECK(prog_match(&nl, "x"));
		ATF_CHECK(prog_match(&nl, NULL));
		ATF_CHECK(host_match(&nl, "x", "me"));
		namelist_free(&nl);
	}
}

ATF_TC_WITHOUT_HEAD(nl_characters);
ATF_TC_BODY(nl_characters, tc)
{
	struct namelist nl;

	nl = nl_ok("gw-1.example.org,::1,fe80::1,@,a_b,10.0.0.1", false, true);
	ATF_CHECK_EQ(nl.names.n, 6);
	namelist_free(&nl);
	nl = nl_ok("/usr/sbin/cron,postfix/smtpd,foo[1],a:b,*x", false, false);
	ATF_CHECK_EQ(nl.names.n, 5);
	namelist_free(&nl);

	nl_bad("gw,ho/st", true, "invalid character in host name \"ho/st\"");
	nl_bad("a b", true, "invalid character in host name \"a b\"");
	nl_bad("host*", true, "invalid character in host name \"host*\"");
	nl_bad("a b,c", false, "invalid character in program name \"a b\"");
	nl_bad("a\tb", false, "invalid character in program name \"a\\011b\"");
	nl_bad("caf\303\251", false,
	    "invalid character in program name \"caf\\303\\251\"");
}

ATF_TC_WITHOUT_HEAD(nl_copy);
ATF_TC_BODY(nl_copy, tc)
{
	struct namelist a, b;

	a = nl_ok("x,y", true, false);
	ATF_REQUIRE_EQ(namelist_copy(&b, &a), 0);
	namelist_free(&a);
	ATF_REQUIRE_EQ(b.names.n, 2);
	ATF_CHECK_STREQ(b.names.v[0], "x");
	ATF_CHECK_STREQ(b.names.v[1], "y");
	ATF_CHECK(b.negate);
	namelist_free(&b);

	a = nl_ok("*", false, false);
	ATF_REQUIRE_EQ(namelist_copy(&b, &a), 0);
	ATF_CHECK_EQ(b.names.n, 0);
	namelist_free(&b);
}

ATF_TC_WITHOUT_HEAD(prog_matching);
ATF_TC_BODY(prog_matching, tc)
{
	struct namelist pos, neg;

	pos = nl_ok("sshd,cron", false, false);
	neg = nl_ok("sshd,cron", true, false);

	ATF_CHECK(prog_match(&pos, "sshd"));
	ATF_CHECK(prog_match(&pos, "cron"));
	ATF_CHECK(!prog_match(&pos, "ntpd"));
	/* case-sensitive, whole names */
	ATF_CHECK(!prog_match(&pos, "SSHD"));
	ATF_CHECK(!prog_match(&pos, "ssh"));
	ATF_CHECK(!prog_match(&pos, "sshd2"));
	ATF_CHECK(!prog_match(&pos, "sshd,cron"));
	/* no program: not in a positive list, always in a negated one */
	ATF_CHECK(!prog_match(&pos, NULL));
	ATF_CHECK(!prog_match(&pos, ""));
	ATF_CHECK(prog_match(&neg, NULL));
	ATF_CHECK(prog_match(&neg, ""));

	ATF_CHECK(!prog_match(&neg, "sshd"));
	ATF_CHECK(!prog_match(&neg, "cron"));
	ATF_CHECK(prog_match(&neg, "ntpd"));
	ATF_CHECK(prog_match(&neg, "SSHD"));

	namelist_free(&pos);
	namelist_free(&neg);
}

ATF_TC_WITHOUT_HEAD(host_matching);
ATF_TC_BODY(host_matching, tc)
{
	struct namelist nl;

	nl = nl_ok("gw,db.example.org,10.1.2.3,::1", false, true);
	/* case-insensitive */
	ATF_CHECK(host_match(&nl, "gw", "me"));
	ATF_CHECK(host_match(&nl, "GW", "me"));
	ATF_CHECK(host_match(&nl, "DB.Example.ORG", "me"));
	/* an entry without a dot matches a first label */
	ATF_CHECK(host_match(&nl, "gw.example.org", "me"));
	ATF_CHECK(host_match(&nl, "Gw.Example.Org", "me"));
	ATF_CHECK(!host_match(&nl, "gwx.example.org", "me"));
	ATF_CHECK(!host_match(&nl, "xgw", "me"));
	/* but an entry with a dot only matches itself */
	ATF_CHECK(!host_match(&nl, "db", "me"));
	ATF_CHECK(!host_match(&nl, "db.example.org.evil", "me"));
	ATF_CHECK(host_match(&nl, "10.1.2.3", "me"));
	ATF_CHECK(!host_match(&nl, "10.1.2.30", "me"));
	ATF_CHECK(host_match(&nl, "::1", "me"));
	ATF_CHECK(!host_match(&nl, "::2", "me"));
	ATF_CHECK(!host_match(&nl, "other", "me"));
	/* no host: localhost */
	ATF_CHECK(!host_match(&nl, NULL, "me"));
	ATF_CHECK(host_match(&nl, NULL, "gw"));
	ATF_CHECK(host_match(&nl, "", "gw.example.org"));
	namelist_free(&nl);

	/* no first-label rule for addresses */
	nl = nl_ok("10", false, true);
	ATF_CHECK(!host_match(&nl, "10.1.2.3", "me"));
	ATF_CHECK(host_match(&nl, "10", "me"));
	namelist_free(&nl);

	nl = nl_ok("gw", true, true);
	ATF_CHECK(!host_match(&nl, "gw", "me"));
	ATF_CHECK(!host_match(&nl, "gw.example.org", "me"));
	ATF_CHECK(host_match(&nl, "other", "me"));
	ATF_CHECK(host_match(&nl, NULL, "me"));
	ATF_CHECK(!host_match(&nl, NULL, "gw"));
	namelist_free(&nl);
}

ATF_TC_WITHOUT_HEAD(host_at_is_localhost);
ATF_TC_BODY(host_at_is_localhost, tc)
{
	struct namelist nl, neg;

	nl = nl_ok("@", false, true);
	neg = nl_ok("@", true, true);
	ATF_CHECK(host_match(&nl, "myhost", "myhost"));
	ATF_CHECK(host_match(&nl, "MYHOST", "myhost"));
	ATF_CHECK(host_match(&nl, "myhost.example.org", "myhost"));
	ATF_CHECK(host_match(&nl, NULL, "myhost"));
	ATF_CHECK(host_match(&nl, "", "myhost"));
	ATF_CHECK(!host_match(&nl, "other", "myhost"));
	ATF_CHECK(!host_match(&nl, "@", "myhost"));
	/* a full local name: the short name and the full one match */
	ATF_CHECK(host_match(&nl, "myhost", "myhost.example.org"));
	ATF_CHECK(host_match(&nl, "myhost.example.org", "myhost.example.org"));
	ATF_CHECK(!host_match(&nl, "other.example.org", "myhost.example.org"));
	/* no local name known: "@" matches nothing */
	ATF_CHECK(!host_match(&nl, "myhost", NULL));
	ATF_CHECK(!host_match(&nl, NULL, NULL));

	ATF_CHECK(!host_match(&neg, "myhost", "myhost"));
	ATF_CHECK(!host_match(&neg, NULL, "myhost"));
	ATF_CHECK(host_match(&neg, "other", "myhost"));
	namelist_free(&nl);
	namelist_free(&neg);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sel_simple);
	ATF_TP_ADD_TC(tp, sel_facility_list);
	ATF_TP_ADD_TC(tp, sel_case_and_aliases);
	ATF_TP_ADD_TC(tp, sel_star_facility);
	ATF_TP_ADD_TC(tp, sel_mark_named);
	ATF_TP_ADD_TC(tp, sel_star_level);
	ATF_TP_ADD_TC(tp, sel_none);
	ATF_TP_ADD_TC(tp, sel_override_order);
	ATF_TP_ADD_TC(tp, sel_comparisons);
	ATF_TP_ADD_TC(tp, sel_eq_default);
	ATF_TP_ADD_TC(tp, sel_empty_parts);
	ATF_TP_ADD_TC(tp, sel_errors);
	ATF_TP_ADD_TC(tp, sel_error_quoting);
	ATF_TP_ADD_TC(tp, sel_match_bounds);
	ATF_TP_ADD_TC(tp, nl_parse);
	ATF_TP_ADD_TC(tp, nl_reset);
	ATF_TP_ADD_TC(tp, nl_characters);
	ATF_TP_ADD_TC(tp, nl_copy);
	ATF_TP_ADD_TC(tp, prog_matching);
	ATF_TP_ADD_TC(tp, host_matching);
	ATF_TP_ADD_TC(tp, host_at_is_localhost);
	return atf_no_error();
}
