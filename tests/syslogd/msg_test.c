/*
 * Unit tests of the msg module: parsing of RFC 3164 and RFC 5424 input,
 * formatting, escaping of hostile input, names.
 */
#include <atf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "tzcache.h"

#define NOW	1699012800LL	/* 2023-11-03T12:00:00Z */
#define NOWUS	123456

#define R	MSG_F_RFC5424
#define NP	MSG_F_NOPRI
#define NT	MSG_F_NOTIME
#define TR	MSG_F_TRUNCATED
#define ES	MSG_F_ESCAPED
#define BO	MSG_F_BOM

/* struct msg is big: keep the ones the tests use off the stack. */
static struct msg M, M2;
static char out[4 * MSG_TEXT_MAX];
/* Parsing and formatting go through a cache, as in the daemon. */
static struct tzcache TZ;

/* As the daemon at SIGHUP: a new zone, and the cache forgotten. */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
	tzcache_forget(&TZ);
}

static struct msg_parse_opts
opts_at(long long now)
{
	struct msg_parse_opts o;

	memset(&o, 0, sizeof(o));
	o.now.tv_sec = (time_t)now;
	o.now.tv_usec = NOWUS;
	o.default_pri = MSG_DEFAULT_PRI;
	o.tz = &TZ;
	return o;
}

static void
parse_at(struct msg *m, const char *s, size_t len, long long now)
{
	struct msg_parse_opts o = opts_at(now);

	m->recvhost = NULL;
	msg_parse(m, s, len, &o);
}

static void
parse(struct msg *m, const char *s)
{
	parse_at(m, s, strlen(s), NOW);
}

static const char *
format(const struct msg *m, enum msg_format f, bool ascii)
{
	struct msg_fmt_opts fo = { f, ascii, &TZ };
	size_t off, n;

	n = msg_format(m, &fo, out, sizeof(out), &off);
	ATF_REQUIRE_EQ(n, strlen(out));
	return out;
}

/* An independent UTF-8 check: decode, then judge the code point. */
static bool
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return false;
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* What no output line may contain, whatever the input was. */
static void
check_line(const char *s, bool ascii, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		ATF_CHECK_MSG(p[i] >= 0x20 || p[i] == '\t',
		    "%s: control byte %#x at %zu", what, p[i], i);
		ATF_CHECK_MSG(p[i] != 0x7f, "%s: DEL at %zu", what, i);
		if (ascii)
			ATF_CHECK_MSG(p[i] < 0x80, "%s: byte %#x at %zu",
			    what, p[i], i);
	}
	ATF_CHECK_MSG(utf8_valid(p, n), "%s: invalid UTF-8", what);
}

struct vec {
	const char	*in;
	int		 fac, sev;
	unsigned	 flags;
	const char	*host, *app, *procid, *msgid, *sd, *text;
	long long	 sec;
	int		 usec, fd, tzoff;
};

static void
check_vecs(const struct vec *v, size_t n)
{
	size_t i;

	set_tz("UTC");
	for (i = 0; i < n; i++, v++) {
		parse(&M, v->in);
#define F(cond, ...) ATF_CHECK_MSG(cond, "#%zu %s: " __VA_ARGS__)
		F(M.fac == v->fac && M.sev == v->sev, "pri %d.%d", i, v->in,
		    M.fac, M.sev);
		F(M.flags == v->flags, "flags %#x want %#x", i, v->in,
		    M.flags, v->flags);
		F(strcmp(M.host, v->host) == 0, "host '%s'", i, v->in, M.host);
		F(strcmp(M.app, v->app) == 0, "app '%s'", i, v->in, M.app);
		F(strcmp(M.procid, v->procid) == 0, "procid '%s'", i, v->in,
		    M.procid);
		F(strcmp(M.msgid, v->msgid) == 0, "msgid '%s'", i, v->in,
		    M.msgid);
		F(strcmp(M.sd, v->sd) == 0 && M.sdlen == strlen(v->sd),
		    "sd '%s'", i, v->in, M.sd);
		F(strcmp(M.text, v->text) == 0 && M.textlen == strlen(v->text),
		    "text '%s'", i, v->in, M.text);
		F(M.time.sec == v->sec && M.time.usec == v->usec &&
		    M.time.frac_digits == v->fd && M.time.tzoff == v->tzoff,
		    "time %lld.%06d/%d %+d", i, v->in, (long long)M.time.sec,
		    M.time.usec, M.time.frac_digits, M.time.tzoff);
#undef F
	}
}

#define NOTIME	NOW, NOWUS, 6, 0

ATF_TC_WITHOUT_HEAD(pri);
ATF_TC_BODY(pri, tc)
{
	static const struct vec v[] = {
		{ "<13>x", 1, 5, NT, "", "", "", "", "", "x", NOTIME },
		{ "<191>x", 23, 7, NT, "", "", "", "", "", "x", NOTIME },
		{ "<013>x", 1, 5, NT, "", "", "", "", "", "x", NOTIME },
		{ "<0>boot", 1, 0, NT, "", "", "", "", "", "boot", NOTIME },
		{ "<5>x", 1, 5, NT, "", "", "", "", "", "x", NOTIME },
		{ "hello", 1, 5, NP | NT, "", "", "", "", "", "hello", NOTIME },
		{ "<192>x", 1, 5, NP | NT, "", "", "", "", "", "<192>x",
		    NOTIME },
		{ "<999>x", 1, 5, NP | NT, "", "", "", "", "", "<999>x",
		    NOTIME },
		{ "<1000>x", 1, 5, NP | NT, "", "", "", "", "", "<1000>x",
		    NOTIME },
		{ "<>x", 1, 5, NP | NT, "", "", "", "", "", "<>x", NOTIME },
		{ "<-1>x", 1, 5, NP | NT, "", "", "", "", "", "<-1>x", NOTIME },
		{ "<13", 1, 5, NP | NT, "", "", "", "", "", "<13", NOTIME },
		{ "<1 3>x", 1, 5, NP | NT, "", "", "", "", "", "<1 3>x",
		    NOTIME },
		{ "", 1, 5, NP | NT, "", "", "", "", "", "", NOTIME },
		{ "<13>", 1, 5, NT, "", "", "", "", "", "", NOTIME },
	};

	check_vecs(v, sizeof(v) / sizeof(v[0]));
}

ATF_TC_WITHOUT_HEAD(pri_opts);
ATF_TC_BODY(pri_opts, tc)
{
	struct msg_parse_opts o = opts_at(NOW);

	set_tz("UTC");
	o.allow_kern = true;
	msg_parse(&M, "<0>x", 4, &o);
	ATF_CHECK_EQ(M.fac, 0);
	ATF_CHECK_EQ(M.sev, 0);
	o.default_pri = 5;		/* kern.notice, the kernel's default */
	msg_parse(&M, "x", 1, &o);
	ATF_CHECK_EQ(M.fac, 0);
	ATF_CHECK_EQ(M.sev, 5);
	ATF_CHECK(M.flags & MSG_F_NOPRI);
	o.allow_kern = false;
	msg_parse(&M, "x", 1, &o);
	ATF_CHECK_EQ(M.fac, 1);
	/* An unset default is not kern.emerg. */
	o.default_pri = 0;
	msg_parse(&M, "x", 1, &o);
	ATF_CHECK_EQ(M.fac, 1);
	ATF_CHECK_EQ(M.sev, 5);
}

ATF_TC_WITHOUT_HEAD(rfc3164);
ATF_TC_BODY(rfc3164, tc)
{
	static const struct vec v[] = {
		{ "<13>Nov  3 11:59:00 myhost sshd[123]: hello world", 1, 5,
		    0, "myhost", "sshd", "123", "", "", "hello world",
		    NOW - 60, 0, 0, 0 },
		{ "<13>sshd[99]: no stamp", 1, 5, NT, "", "sshd", "99", "",
		    "", "no stamp", NOTIME },
		{ "<13>Nov  3 11:59:00 sshd[1]: tag, no host", 1, 5, 0, "",
		    "sshd", "1", "", "", "tag, no host", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 su: x", 1, 5, 0, "", "su", "", "", "",
		    "x", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 host.example.com just text", 1, 5, 0,
		    "host.example.com", "", "", "", "", "just text",
		    NOW - 60, 0, 0, 0 },
		{ "<13>Nov 03 11:59:00 h t: x", 1, 5, 0, "h", "t", "", "", "",
		    "x", NOW - 60, 0, 0, 0 },
		{ "<13>Nov 3 11:59:00 h t: x", 1, 5, 0, "h", "t", "", "", "",
		    "x", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 h t:", 1, 5, 0, "h", "t", "", "", "",
		    "", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 h t: ", 1, 5, 0, "h", "t", "", "", "",
		    "", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 h t:  two", 1, 5, 0, "h", "t", "", "",
		    "", " two", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 h t:\tx", 1, 5, 0, "h", "", "", "", "",
		    "t:\tx", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 word", 1, 5, 0, "", "", "", "", "",
		    "word", NOW - 60, 0, 0, 0 },
		/* "-" is no host and no tag, as in RFC 5424 (found by fuzzing) */
		{ "<13>Nov  3 11:59:00 - -: x", 1, 5, 0, "", "", "", "", "",
		    "x", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00 - t[-]: x", 1, 5, 0, "", "t", "", "",
		    "", "x", NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00", 1, 5, 0, "", "", "", "", "", "",
		    NOW - 60, 0, 0, 0 },
		{ "<13>Nov  3 11:59:00x h t: x", 1, 5, NT, "", "", "", "", "",
		    "Nov  3 11:59:00x h t: x", NOTIME },
		{ "<13>Nov 32 11:59:00 h t: x", 1, 5, NT, "", "", "", "", "",
		    "Nov 32 11:59:00 h t: x", NOTIME },
		{ "<13>Nov 31 11:59:00 h t: x", 1, 5, NT, "", "", "", "", "",
		    "Nov 31 11:59:00 h t: x", NOTIME },
		{ "<13>Feb 29 11:59:00 h t: x", 1, 5, 0, "h", "t", "", "", "",
		    "x", 1677671940, 0, 0, 0 },
		{ "<13>nov  3 11:59:00 h t: x", 1, 5, NT, "", "", "", "", "",
		    "nov  3 11:59:00 h t: x", NOTIME },
		{ "<13>Nov  3 24:00:00 h t: x", 1, 5, NT, "", "", "", "", "",
		    "Nov  3 24:00:00 h t: x", NOTIME },
		{ "<13>Nov  3 1:00:00 h t: x", 1, 5, NT, "", "", "", "", "",
		    "Nov  3 1:00:00 h t: x", NOTIME },
		/* rsyslog's forwarding format: an RFC 3339 stamp. */
		{ "<13>2023-11-03T11:00:00.5+01:00 h t: x", 1, 5, 0, "h", "t",
		    "", "", "", "x", NOW - 7200, 500000, 1, 60 },
		{ "<13>2023-11-03T11:59:00Z h t: x", 1, 5, 0, "h", "t",
		    "", "", "", "x", NOW - 60, 0, 0, 0 },
		{ "<13>http://example.com/ is down", 1, 5, NT, "", "", "", "",
		    "", "http://example.com/ is down", NOTIME },
		{ "<13>t[1] x", 1, 5, NT, "", "", "", "", "", "t[1] x",
		    NOTIME },
		{ "<13>t[]: x", 1, 5, NT, "", "", "", "", "", "t[]: x",
		    NOTIME },
		{ "<13>t[1]x: y", 1, 5, NT, "", "", "", "", "", "t[1]x: y",
		    NOTIME },
		{ "<13>[1]: x", 1, 5, NT, "", "", "", "", "", "[1]: x",
		    NOTIME },
		{ "<13>a:b: x", 1, 5, NT, "", "", "", "", "", "a:b: x",
		    NOTIME },
		{ "<13>postfix/smtpd[42]: x", 1, 5, NT, "", "postfix/smtpd",
		    "42", "", "", "x", NOTIME },
		{ "<13>t[a b]: x", 1, 5, NT, "", "", "", "", "", "t[a b]: x",
		    NOTIME },
		/* 48 characters make a tag, 49 do not. */
		{ "<13>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x", 1, 5,
		    NT, "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "", "", "", "x", NOTIME },
		{ "<13>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x", 1, 5,
		    NT, "", "", "", "", "",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x",
		    NOTIME },
		/* Bytes a host may not hold become "?". */
		{ "<13>Nov  3 11:59:00 h\x01st t: x", 1, 5, 0, "h?st", "t", "",
		    "", "", "x", NOW - 60, 0, 0, 0 },
	};

	check_vecs(v, sizeof(v) / sizeof(v[0]));
}

ATF_TC_WITHOUT_HEAD(rfc5424);
ATF_TC_BODY(rfc5424, tc)
{
	static const struct vec v[] = {
		/* The examples of RFC 5424 section 6.5. */
		{ "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - "
		    "ID47 - 'su root' failed for lonvick on /dev/pts/8", 4, 2, R,
		    "mymachine.example.com", "su", "", "ID47", "",
		    "'su root' failed for lonvick on /dev/pts/8",
		    1065910455, 3000, 3, 0 },
		{ "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc "
		    "8710 - - %% It's time to make the do-nuts.", 20, 5, R,
		    "192.0.2.1", "myproc", "8710", "", "",
		    "%% It's time to make the do-nuts.",
		    1061727255, 3, 6, -420 },
		{ "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
		    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
		    "eventSource=\"Application\" eventID=\"1011\"] "
		    "\xEF\xBB\xBF" "An application event log entry...", 20, 5,
		    R | BO, "mymachine.example.com", "evntslog", "", "ID47",
		    "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
		    "eventID=\"1011\"]", "An application event log entry...",
		    1065910455, 3000, 3, 0 },
		{ "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
		    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
		    "eventSource=\"Application\" eventID=\"1011\"]"
		    "[examplePriority@32473 class=\"high\"]", 20, 5, R,
		    "mymachine.example.com", "evntslog", "", "ID47",
		    "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
		    "eventID=\"1011\"][examplePriority@32473 class=\"high\"]",
		    "", 1065910455, 3000, 3, 0 },
		/* Escapes in PARAM-VALUE are kept verbatim. */
		{ "<13>1 - h a - - [x@1 v=\"a\\\"b\\\\c\\]d\\e\"] m", 1, 5,
		    R | NT, "h", "a", "", "", "[x@1 v=\"a\\\"b\\\\c\\]d\\e\"]",
		    "m", NOTIME },
		{ "<13>1 - h a - - [x y=\"\" z=\"\xc3\xa9\"] m", 1, 5, R | NT,
		    "h", "a", "", "", "[x y=\"\" z=\"\xc3\xa9\"]", "m", NOTIME },
		/* Invalid SD: the rest is text. */
		{ "<13>1 - h a - - [x@1 v=unquoted] m", 1, 5, R | NT, "h", "a",
		    "", "", "", "[x@1 v=unquoted] m", NOTIME },
		{ "<13>1 - h a - - [x@1 v=\"a]b\"] m", 1, 5, R | NT, "h", "a",
		    "", "", "", "[x@1 v=\"a]b\"] m", NOTIME },
		{ "<13>1 - h a - - [x@1]m", 1, 5, R | NT, "h", "a", "", "", "",
		    "[x@1]m", NOTIME },
		{ "<13>1 - h a - - [] m", 1, 5, R | NT, "h", "a", "", "", "",
		    "[] m", NOTIME },
		{ "<13>1 - h a - - [x=y] m", 1, 5, R | NT, "h", "a", "", "",
		    "", "[x=y] m", NOTIME },
		{ "<13>1 - h a - - [x v=\"1\" ] m", 1, 5, R | NT, "h", "a", "",
		    "", "", "[x v=\"1\" ] m", NOTIME },
		{ "<13>1 - h a - - [x v=\"1\"", 1, 5, R | NT, "h", "a", "",
		    "", "", "[x v=\"1\"", NOTIME },
		{ "<13>1 - h a - - [x v=\"\x01\"] m", 1, 5, R | NT | ES, "h",
		    "a", "", "", "", "[x v=\"^A\"] m", NOTIME },
		{ "<13>1 - h a - - [x v=\"\xff\"] m", 1, 5, R | NT | ES, "h",
		    "a", "", "", "", "[x v=\"\\377\"] m", NOTIME },
		{ "<13>1 - h a - - [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa] m", 1, 5,
		    R | NT, "h", "a", "", "", "",
		    "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa] m", NOTIME },
		{ "<13>1 - h a - - -m", 1, 5, R | NT, "h", "a", "", "", "",
		    "-m", NOTIME },
		/* Nil everything, BOM without text. */
		{ "<13>1 - - - - - -", 1, 5, R | NT, "", "", "", "", "", "",
		    NOTIME },
		{ "<13>1 - - - - - - \xEF\xBB\xBF", 1, 5, R | NT | BO, "", "",
		    "", "", "", "", NOTIME },
		/* Bad timestamps: the rest is text. */
		{ "<13>1 2023-13-01T00:00:00Z h a - - - m", 1, 5, R | NT, "",
		    "", "", "", "", "2023-13-01T00:00:00Z h a - - - m",
		    NOTIME },
		{ "<13>1 2023-02-29T00:00:00Z h a - - - m", 1, 5, R | NT, "",
		    "", "", "", "", "2023-02-29T00:00:00Z h a - - - m",
		    NOTIME },
		{ "<13>1 2023-11-03T11:59:00.1234567Z h a - - - m", 1, 5,
		    R | NT, "", "", "", "", "",
		    "2023-11-03T11:59:00.1234567Z h a - - - m", NOTIME },
		{ "<13>1 2023-11-03T11:59:00z h a - - - m", 1, 5, R | NT, "",
		    "", "", "", "", "2023-11-03T11:59:00z h a - - - m",
		    NOTIME },
		{ "<13>1 2023-11-03T11:59:00 h a - - - m", 1, 5, R | NT, "",
		    "", "", "", "", "2023-11-03T11:59:00 h a - - - m",
		    NOTIME },
		{ "<13>1 2023-11-03T11:59:00.Z h a - - - m", 1, 5, R | NT, "",
		    "", "", "", "", "2023-11-03T11:59:00.Z h a - - - m",
		    NOTIME },
		{ "<13>1 2023-11-03 11:59:00Z h", 1, 5, R | NT, "", "", "", "",
		    "", "2023-11-03 11:59:00Z h", NOTIME },
		{ "<13>1 2024-02-29T00:00:00Z h a - - - m", 1, 5, R, "h", "a",
		    "", "", "", "m", 1709164800, 0, 0, 0 },
		/* Fractions and offsets. */
		{ "<13>1 2023-11-03T06:29:00.123456-05:30 h a p i - m", 1, 5,
		    R, "h", "a", "p", "i", "", "m", NOW - 60, 123456, 6,
		    -330 },
		{ "<13>1 2023-11-03T17:29:00.5+05:30 h a - - - m", 1, 5, R,
		    "h", "a", "", "", "", "m", NOW - 60, 500000, 1, 330 },
		/* A header cut short; an empty field. */
		{ "<13>1 2023-11-03T11:59:00Z h a", 1, 5, R, "h", "a", "", "",
		    "", "", NOW - 60, 0, 0, 0 },
		{ "<13>1 - host  app - - - m", 1, 5, R | NT, "host", "", "",
		    "", "", " app - - - m", NOTIME },
		{ "<13>1 - h\x01st a - - - m", 1, 5, R | NT, "h?st", "a", "",
		    "", "", "m", NOTIME },
		/* "1 " only counts right after a PRI. */
		{ "1 2023-11-03T11:59:00Z h a - - - m", 1, 5, NP | NT, "", "",
		    "", "", "", "1 2023-11-03T11:59:00Z h a - - - m", NOTIME },
		{ "<13>1  - h", 1, 5, R | NT, "", "", "", "", "", " - h",
		    NOTIME },
	};

	check_vecs(v, sizeof(v) / sizeof(v[0]));
}

ATF_TC_WITHOUT_HEAD(rfc5424_nil_time);
ATF_TC_BODY(rfc5424_nil_time, tc)
{
	struct msg_parse_opts o = opts_at(NOW);

	set_tz("UTC");
	parse(&M, "<13>1 - h a - - - m");
	ATF_CHECK(M.time.nil);
	ATF_CHECK_EQ(M.time.sec, NOW);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 - h a - - - m");
	/* BSD output has no nil: the receipt time stands in. */
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 12:00:00 h a: m");
	o.use_now = true;
	msg_parse(&M, "<13>1 - h a - - - m", 19, &o);
	ATF_CHECK(!M.time.nil);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-11-03T12:00:00.123456+00:00 h a - - - m");
}

ATF_TC_WITHOUT_HEAD(use_now);
ATF_TC_BODY(use_now, tc)
{
	struct msg_parse_opts o = opts_at(NOW);
	const char *in = "<13>Nov  3 01:00:00 h t[5]: x";

	set_tz("UTC");
	o.use_now = true;
	msg_parse(&M, in, strlen(in), &o);
	ATF_CHECK_EQ(M.time.sec, NOW);
	ATF_CHECK_EQ(M.time.usec, NOWUS);
	ATF_CHECK_EQ(M.time.frac_digits, 6);
	ATF_CHECK_EQ(M.flags & MSG_F_NOTIME, 0);
	ATF_CHECK_STREQ(M.host, "h");
	ATF_CHECK_STREQ(M.app, "t");
	ATF_CHECK_STREQ(M.procid, "5");
	ATF_CHECK_STREQ(M.text, "x");
	in = "<13>1 2003-10-11T22:14:15.003Z h a - - - m";
	msg_parse(&M, in, strlen(in), &o);
	ATF_CHECK_EQ(M.time.sec, NOW);
	ATF_CHECK_STREQ(M.app, "a");
}

ATF_TC_WITHOUT_HEAD(bsd_year);
ATF_TC_BODY(bsd_year, tc)
{
	static const struct {
		const char	*in;
		long long	 now, want;
	} v[] = {
		/* A December stamp seen in January. */
		{ "<13>Dec 31 23:00:00 h t: x", 1704153600, 1704063600 },
		/* A January stamp from a clock slightly ahead. */
		{ "<13>Jan  1 00:00:30 h t: x", 1704067140, 1704067230 },
		/* Up to 30 days ahead stays in this year... */
		{ "<13>Nov 20 00:00:00 h t: x", NOW, 1700438400 },
		/* ...further ahead is last year. */
		{ "<13>Dec 10 00:00:00 h t: x", NOW, 1670630400 },
	};
	size_t i;

	set_tz("UTC");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		parse_at(&M, v[i].in, strlen(v[i].in), v[i].now);
		ATF_CHECK_MSG(M.time.sec == v[i].want, "%s: %lld", v[i].in,
		    (long long)M.time.sec);
	}
}

ATF_TC_WITHOUT_HEAD(bsd_dst);
ATF_TC_BODY(bsd_dst, tc)
{
	/* POSIX rules need no zoneinfo files. */
	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	parse(&M, "<13>Jul  1 12:00:00 h t: x");
	ATF_CHECK_EQ(M.time.sec, 1688205600);
	ATF_CHECK_EQ(M.time.tzoff, 120);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Jul  1 12:00:00 h t: x");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-07-01T12:00:00+02:00 h t - - - x");
	parse(&M, "<13>Nov  3 13:00:00 h t: x");
	ATF_CHECK_EQ(M.time.sec, NOW);
	ATF_CHECK_EQ(M.time.tzoff, 60);
	/* Receipt time carries the local offset too. */
	parse(&M, "<13>x");
	ATF_CHECK_EQ(M.time.tzoff, 60);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-11-03T13:00:00.123456+01:00 - - - - - x");
}

ATF_TC_WITHOUT_HEAD(roundtrip_bsd);
ATF_TC_BODY(roundtrip_bsd, tc)
{
	static const char *const same[] = {
		"<13>Nov  3 11:59:00 myhost sshd[123]: hello world",
		"<13>Nov 13 11:59:00 myhost sshd: hello",
		"<13>Nov  3 11:59:00 192.168.1.10 t: x",
		"<13>Nov  3 11:59:00 h t:",
		"<13>Nov  3 11:59:00 h -: no tag",
	};
	size_t i;

	set_tz("UTC");
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		parse(&M, same[i]);
		ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false), same[i]);
	}
	parse(&M, "<13>Nov  3 11:59:00 myhost sshd[123]: hello world");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-11-03T11:59:00+00:00 myhost sshd 123 - - "
	    "hello world");
	/* The host is cut at the first dot, except addresses. */
	parse(&M, "<13>Nov  3 11:59:00 a.example.com t: x");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 11:59:00 a t: x");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-11-03T11:59:00+00:00 a.example.com t - - - x");
	/* No host and no tag: the receiving host, "-". */
	parse(&M, "<13>plain text");
	M.recvhost = "relay.example.com";
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 12:00:00 relay -: plain text");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 2023-11-03T12:00:00.123456+00:00 relay.example.com "
	    "- - - - plain text");
	M.recvhost = "fe80::1";
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 12:00:00 fe80::1 -: plain text");
	M.recvhost = NULL;
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 12:00:00 - -: plain text");
	parse(&M, "<191>t: x");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<191>Nov  3 12:00:00 - t: x");
	parse(&M, "<8>t: x");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<8>Nov  3 12:00:00 - t: x");
}

ATF_TC_WITHOUT_HEAD(roundtrip_5424);
ATF_TC_BODY(roundtrip_5424, tc)
{
	static const char *const same[] = {
		"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - "
		    "ID47 - 'su root' failed for lonvick on /dev/pts/8",
		"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc "
		    "8710 - - %% It's time to make the do-nuts.",
		"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
		    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
		    "eventSource=\"Application\" eventID=\"1011\"] "
		    "\xEF\xBB\xBF" "An application event log entry...",
		"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com "
		    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
		    "eventSource=\"Application\" eventID=\"1011\"]"
		    "[examplePriority@32473 class=\"high\"]",
		"<13>1 - - - - - -",
		/* a BOM and nothing else stays (found by fuzzing) */
		"<13>1 - - - - - - \xEF\xBB\xBF",
		"<13>1 2023-11-03T17:30:00+05:30 h a p m [x v=\"\\]\"] t",
		"<13>1 2023-11-03T12:00:00.000000+00:00 h a - - - t",
		"<13>1 2023-11-03T12:00:00-00:30 h a - - - t",
	};
	size_t i, off;
	struct msg_fmt_opts fo = { MSG_FMT_RFC5424, false, &TZ };

	set_tz("UTC");
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		parse(&M, same[i]);
		ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false), same[i]);
	}
	parse(&M, same[2]);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<165>Oct 11 22:14:15 mymachine evntslog: [exampleSDID@32473 "
	    "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] "
	    "An application event log entry...");
	msg_format(&M, &fo, out, sizeof(out), &off);
	ATF_CHECK_EQ(off, 7);
	fo.fmt = MSG_FMT_BSD;
	msg_format(&M, &fo, out, sizeof(out), &off);
	ATF_CHECK_EQ(off, 5);
}

/* NetBSD reads the sender's wall clock as local time; we do not. */
ATF_TC_WITHOUT_HEAD(offset_to_bsd);
ATF_TC_BODY(offset_to_bsd, tc)
{
	const char *in = "<13>1 2023-11-03T17:30:00+05:30 h.example.com "
	    "app 7 - - hi";

	set_tz("UTC");
	parse(&M, in);
	ATF_CHECK_EQ(M.time.sec, NOW);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 12:00:00 h app[7]: hi");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false), in);
	set_tz("EST5");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 07:00:00 h app[7]: hi");
	set_tz("IST-5:30");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<13>Nov  3 17:30:00 h app[7]: hi");
}

/*
 * The cache gives what localtime_r() gives: for the seconds it holds, for
 * a third one that evicts the older, going back in time, across a new
 * year and a DST change.
 */
ATF_TC_WITHOUT_HEAD(tzcache);
ATF_TC_BODY(tzcache, tc)
{
	static const long long secs[] = {
		NOW, NOW, NOW + 1, NOW, NOW + 2, NOW + 1, NOW - 1, NOW + 2,
		1704067199, 1704067200, 1704067199,
		1698541199, 1698541200, 1698541199, 1698537600,
	};
	struct tzcache c;
	struct tm got, want;
	time_t t;

	set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
	tzcache_forget(&c);
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		t = (time_t)secs[i];
		ATF_REQUIRE(localtime_r(&t, &want) != NULL);
		ATF_REQUIRE(tzcache_localtime(&c, t, &got));
		ATF_CHECK_MSG(got.tm_sec == want.tm_sec &&
		    got.tm_min == want.tm_min && got.tm_hour == want.tm_hour &&
		    got.tm_mday == want.tm_mday && got.tm_mon == want.tm_mon &&
		    got.tm_year == want.tm_year &&
		    got.tm_isdst == want.tm_isdst &&
		    got.tm_gmtoff == want.tm_gmtoff, "second %zu", i);
	}
}

/*
 * BSD stamps through the cache: the next second, an earlier one, a new
 * year, a new zone (forgotten as at SIGHUP) and a DST change.
 */
ATF_TC_WITHOUT_HEAD(bsd_time_cached);
ATF_TC_BODY(bsd_time_cached, tc)
{
	static const struct {
		const char	*tz;
		long long	 sec;
		const char	*want;
	} c[] = {
		{ "UTC", NOW, "<13>Nov  3 12:00:00 h app: hi" },
		{ "UTC", NOW, "<13>Nov  3 12:00:00 h app: hi" },
		{ "UTC", NOW + 1, "<13>Nov  3 12:00:01 h app: hi" },
		{ "UTC", NOW, "<13>Nov  3 12:00:00 h app: hi" },
		{ "UTC", 1704067199, "<13>Dec 31 23:59:59 h app: hi" },
		{ "UTC", 1704067200, "<13>Jan  1 00:00:00 h app: hi" },
		{ "EST5", 1704067200, "<13>Dec 31 19:00:00 h app: hi" },
		{ "IST-5:30", 1704067200, "<13>Jan  1 05:30:00 h app: hi" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", 1698541199,
		    "<13>Oct 29 02:59:59 h app: hi" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", 1698541200,
		    "<13>Oct 29 02:00:00 h app: hi" },
		{ "UTC", 1698541200, "<13>Oct 29 01:00:00 h app: hi" },
	};
	const char *tz = "";

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (strcmp(tz, c[i].tz) != 0)
			set_tz(tz = c[i].tz);
		parse(&M, "<13>1 - h app - - - hi");
		M.time.sec = (time_t)c[i].sec;
		M.time.nil = false;
		ATF_CHECK_STREQ_MSG(format(&M, MSG_FMT_BSD, false), c[i].want,
		    "case %zu", i);
	}
}

ATF_TC_WITHOUT_HEAD(local_msg);
ATF_TC_BODY(local_msg, tc)
{
	struct timeval now = { (time_t)NOW, NOWUS };

	set_tz("UTC");
	M.recvhost = "myhost.example.com";
	msg_init_local(&M, 5, 6, "syslogd", 1234, &now);
	msg_set_text(&M, "restart\n", 8);
	ATF_CHECK_STREQ(M.host, "");
	ATF_CHECK_STREQ(M.procid, "1234");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<46>Nov  3 12:00:00 myhost syslogd[1234]: restart");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<46>1 2023-11-03T12:00:00.123456+00:00 myhost.example.com "
	    "syslogd 1234 - - restart");
	msg_init_local(&M, 5, 3, "syslogd", -1, &now);
	msg_set_text(&M, "a\nb", 3);
	ATF_CHECK(M.flags & MSG_F_ESCAPED);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<43>Nov  3 12:00:00 myhost syslogd: a^Jb");
	/* The daemon's own fields are made valid too. */
	msg_init_local(&M, 5, 6, "odd name\x01", -1, &now);
	msg_set_text(&M, "", 0);
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<46>1 2023-11-03T12:00:00.123456+00:00 myhost.example.com "
	    "odd?name? - - -");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, false),
	    "<46>Nov  3 12:00:00 myhost odd?name?:");
}

ATF_TC_WITHOUT_HEAD(hostile_controls);
ATF_TC_BODY(hostile_controls, tc)
{
	static const char nul[] = "<13>a\0b\r\n\0";
	static const char forge[] = "<13>t: x\n<13>Nov  3 11:59:00 h su: "
	    "root login\r\nmore";

	set_tz("UTC");
	parse_at(&M, nul, sizeof(nul) - 1, NOW);
	ATF_CHECK_EQ(M.textlen, 4);
	ATF_CHECK_STREQ(M.text, "a^@b");
	ATF_CHECK(M.flags & MSG_F_ESCAPED);

	parse(&M, "<13>t: clean\r\n");
	ATF_CHECK_STREQ(M.text, "clean");
	ATF_CHECK_EQ(M.flags & MSG_F_ESCAPED, 0);

	parse(&M, forge);
	ATF_CHECK_STREQ(M.text, "x^J<13>Nov  3 11:59:00 h su: root login"
	    "^M^Jmore");
	check_line(format(&M, MSG_FMT_BSD, false), false, "bsd");
	check_line(format(&M, MSG_FMT_RFC5424, false), false, "5424");

	parse(&M, "<13>t: \x1b[31mred\x7f\ttab");
	ATF_CHECK_STREQ(M.text, "^[[31mred^?\ttab");
}

ATF_TC_WITHOUT_HEAD(hostile_utf8);
ATF_TC_BODY(hostile_utf8, tc)
{
	static const struct {
		const char	*in, *text;
		bool		 escaped;
	} v[] = {
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x82\xac"
		    "\xf0\x9f\x98\x80", false },
		{ "\xc2\xa0\xef\xbf\xbd\xf4\x8f\xbf\xbf", "\xc2\xa0\xef\xbf\xbd"
		    "\xf4\x8f\xbf\xbf", false },
		{ "a\xc0\xaf", "a\\300\\257", true },		/* overlong / */
		{ "\xe0\x80\xaf", "\\340\\200\\257", true },
		{ "\xf0\x80\x80\xaf", "\\360\\200\\200\\257", true },
		{ "\xed\xa0\x80", "\\355\\240\\200", true },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\\364\\220\\200\\200", true },
		{ "\xf5\x80\x80\x80", "\\365\\200\\200\\200", true },
		{ "x\xe2\x82", "x\\342\\202", true },		/* cut short */
		{ "\xe2\x82x", "\\342\\202x", true },
		{ "\x80y", "\\200y", true },			/* lone */
		{ "\xff\xfe", "\\377\\376", true },
		{ "\xc2\x9b" "1m", "\\302\\2331m", true },	/* C1 CSI */
	};
	char buf[64];
	size_t i;

	set_tz("UTC");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(buf, sizeof(buf), "<13>t: %s", v[i].in);
		parse(&M, buf);
		ATF_CHECK_STREQ_MSG(M.text, v[i].text, "#%zu", i);
		ATF_CHECK_EQ_MSG((M.flags & MSG_F_ESCAPED) != 0, v[i].escaped,
		    "#%zu", i);
		check_line(format(&M, MSG_FMT_BSD, false), false, "bsd");
		check_line(format(&M, MSG_FMT_BSD, true), true, "ascii");
	}
	parse(&M, "<13>t: caf\xc3\xa9");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_BSD, true),
	    "<13>Nov  3 12:00:00 - t: caf\\303\\251");
	parse(&M, "<13>1 - h a - - [x v=\"\xc3\xa9\"] \xEF\xBB\xBF" "caf"
	    "\xc3\xa9");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, true),
	    "<13>1 - h a - - [x v=\"\\303\\251\"] caf\\303\\251");
	ATF_CHECK_STREQ(format(&M, MSG_FMT_RFC5424, false),
	    "<13>1 - h a - - [x v=\"\xc3\xa9\"] \xEF\xBB\xBF" "caf"
	    "\xc3\xa9");
}

static char big[200 * 1024 + 16];

ATF_TC_WITHOUT_HEAD(hostile_big);
ATF_TC_BODY(hostile_big, tc)
{
	static const struct {
		const char	*unit;
		size_t		 outlen;	/* bytes the unit becomes */
	} v[] = {
		{ "A", 1 }, { "\x01", 2 }, { "\xff", 4 }, { "\xe2\x82\xac", 3 },
		{ "\xf0\x9f\x98\x80", 4 }, { "ab\x01", 4 },
	};
	size_t i, k, n, ulen;

	set_tz("UTC");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ulen = strlen(v[i].unit);
		memcpy(big, "<13>t: ", 7);
		for (n = 7; n + ulen <= sizeof(big); n += ulen)
			memcpy(big + n, v[i].unit, ulen);
		parse_at(&M, big, n, NOW);
		ATF_CHECK(M.flags & MSG_F_TRUNCATED);
		ATF_CHECK(M.textlen <= MSG_TEXT_MAX);
		ATF_CHECK(M.textlen > MSG_TEXT_MAX - 4);
		ATF_CHECK_EQ(M.text[M.textlen], '\0');
		ATF_CHECK_EQ(strlen(M.text), M.textlen);
		/* Never cut inside an escape or a sequence. */
		ATF_CHECK_EQ_MSG(M.textlen % v[i].outlen, 0, "#%zu %zu", i,
		    M.textlen);
		ATF_CHECK(utf8_valid((unsigned char *)M.text, M.textlen));
		check_line(format(&M, MSG_FMT_BSD, false), false, "big");
	}
	/* An over-long header with a huge SD: no crash, the rest is text. */
	memcpy(big, "<13>1 - h a - - [x v=\"", 22);
	memset(big + 22, 'v', sizeof(big) - 22);
	memcpy(big + sizeof(big) - 4, "\"] m", 4);
	parse_at(&M, big, sizeof(big), NOW);
	ATF_CHECK_EQ(M.sdlen, 0);
	ATF_CHECK(M.flags & MSG_F_TRUNCATED);
	ATF_CHECK_EQ(strncmp(M.text, "[x v=\"vvv", 9), 0);
	for (k = 0; k < 3; k++)
		ATF_CHECK(format(&M, k == 0 ? MSG_FMT_BSD : MSG_FMT_RFC5424,
		    k == 2)[0] == '<');
}

ATF_TC_WITHOUT_HEAD(long_fields);
ATF_TC_BODY(long_fields, tc)
{
	char buf[2048], h[300], a[60], p[200], id[40];

	set_tz("UTC");
	memset(h, 'h', sizeof(h) - 1);
	h[sizeof(h) - 1] = '\0';
	memset(a, 'a', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memset(p, 'p', sizeof(p) - 1);
	p[sizeof(p) - 1] = '\0';
	memset(id, 'i', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	snprintf(buf, sizeof(buf), "<13>1 - %s %s %s %s - m", h, a, p, id);
	parse(&M, buf);
	ATF_CHECK_EQ(strlen(M.host), MSG_HOST_MAX);
	ATF_CHECK_EQ(strlen(M.app), MSG_APP_MAX);
	ATF_CHECK_EQ(strlen(M.procid), MSG_PROCID_MAX);
	ATF_CHECK_EQ(strlen(M.msgid), MSG_MSGID_MAX);
	ATF_CHECK(M.flags & MSG_F_TRUNCATED);
	ATF_CHECK_STREQ(M.text, "m");
	/* A BSD host as long as that is cut too. */
	snprintf(buf, sizeof(buf), "<13>Nov  3 11:59:00 %s t: m", h);
	parse(&M, buf);
	ATF_CHECK_EQ(strlen(M.host), MSG_HOST_MAX);
	ATF_CHECK_STREQ(M.app, "t");
	ATF_CHECK(M.flags & MSG_F_TRUNCATED);
	/* A BSD pid longer than PROCID is no tag. */
	snprintf(buf, sizeof(buf), "<13>t[%s]: m", p);
	parse(&M, buf);
	ATF_CHECK_STREQ(M.app, "");
}

ATF_TC_WITHOUT_HEAD(all_bytes);
ATF_TC_BODY(all_bytes, tc)
{
	/* '%' is replaced by each byte value in turn. */
	static const char *const tmpl[] = {
		"<%>x",
		"<13>%",
		"<13>t: a%b",
		"<13>Nov  3 11:59:00 h%st ta%g[1%2]: te%xt",
		"<13>Nov  3 11:59:00 %host t: x",
		"<13>ta%g: x",
		"<13>1 2023-11-03T11:59:00Z h% a% p% i% [x@1 v=\"%\"] m%",
		"<13>1 - h a - - [x% v=\"1\"] m",
		"<13>1 - h a - - - %m",
	};
	char buf[128], line[1024];
	size_t i, j, n, len;
	int b;

	set_tz("UTC");
	for (i = 0; i < sizeof(tmpl) / sizeof(tmpl[0]); i++) {
		for (b = 0; b < 256; b++) {
			for (n = j = 0; tmpl[i][j] != '\0'; j++)
				buf[n++] = tmpl[i][j] == '%' ? (char)b :
				    tmpl[i][j];
			parse_at(&M, buf, n, NOW);
			snprintf(line, sizeof(line), "tmpl %zu byte %d", i, b);
			check_line(M.host, true, line);
			check_line(M.app, true, line);
			check_line(M.procid, true, line);
			check_line(M.msgid, true, line);
			check_line(M.sd, false, line);
			check_line(M.text, false, line);
			check_line(format(&M, MSG_FMT_BSD, false), false, line);
			check_line(format(&M, MSG_FMT_BSD, true), true, line);
			check_line(format(&M, MSG_FMT_RFC5424, true), true,
			    line);
			/* RFC 5424 output reads back as the same message. */
			len = strlen(format(&M, MSG_FMT_RFC5424, false));
			check_line(out, false, line);
			parse_at(&M2, out, len, NOW);
			ATF_CHECK_MSG(M2.flags & MSG_F_RFC5424, "%s", line);
			ATF_CHECK_MSG(M2.fac == M.fac && M2.sev == M.sev &&
			    M2.time.sec == M.time.sec &&
			    strcmp(M2.host, M.host) == 0 &&
			    strcmp(M2.app, M.app) == 0 &&
			    strcmp(M2.procid, M.procid) == 0 &&
			    strcmp(M2.msgid, M.msgid) == 0 &&
			    strcmp(M2.sd, M.sd) == 0 &&
			    strcmp(M2.text, M.text) == 0, "%s: %s", line, out);
		}
	}
}

/*
 * Text is scanned by words: every single byte value at every position of
 * a run longer than two words is kept or escaped as if byte by byte.
 */
ATF_TC_WITHOUT_HEAD(escape_positions);
ATF_TC_BODY(escape_positions, tc)
{
	static const char head[] = "<13>t: ";
	char buf[64], want[64];
	size_t hl = sizeof(head) - 1, pos, n;
	int b;

	set_tz("UTC");
	memcpy(buf, head, hl);
	for (pos = 0; pos < 24; pos++) {
		for (b = 1; b < 256; b++) {
			if (b == '\r' || b == '\n')
				continue;	/* trimmed at the end */
			memset(buf + hl, 'x', 24);
			buf[hl + pos] = (char)b;
			memset(want, 'x', pos);
			n = pos;
			if ((b >= 0x20 && b < 0x7f) || b == '\t')
				want[n++] = (char)b;
			else if (b < 0x80) {
				want[n++] = '^';
				want[n++] = b == 0x7f ? '?' : (char)(b + 0x40);
			} else
				n += (size_t)snprintf(want + n, 5, "\\%03o", b);
			memset(want + n, 'x', 23 - pos);
			want[n + 23 - pos] = '\0';
			parse_at(&M, buf, hl + 24, NOW);
			ATF_CHECK_STREQ_MSG(M.text, want, "byte %d at %zu", b,
			    pos);
		}
	}
}

ATF_TC_WITHOUT_HEAD(format_cap);
ATF_TC_BODY(format_cap, tc)
{
	struct msg_fmt_opts fo = { MSG_FMT_BSD, false, &TZ };
	char small[16];
	size_t n, off, cap;

	set_tz("UTC");
	parse(&M, "<13>Nov  3 11:59:00 myhost sshd[123]: hello world");
	for (cap = 1; cap <= sizeof(small); cap++) {
		memset(small, 'Z', sizeof(small));
		n = msg_format(&M, &fo, small, cap, &off);
		ATF_CHECK_EQ(n, cap - 1);
		ATF_CHECK_EQ(small[cap - 1], '\0');
		ATF_CHECK(off <= n);
		ATF_CHECK_EQ(strncmp(small, "<13>Nov  3 11:59:00", n), 0);
	}
}

ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	static const char *const fac[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
		"news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit",
		"console", "clock", "local0", "local1", "local2", "local3",
		"local4", "local5", "local6", "local7",
	};
	static const char *const sev[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};
	int i;

	for (i = 0; i < MSG_NFAC; i++) {
		ATF_CHECK_STREQ(msg_facname(i), fac[i]);
		ATF_CHECK_EQ(msg_facnum(fac[i], strlen(fac[i])), i);
	}
	for (i = 0; i < 8; i++) {
		ATF_CHECK_STREQ(msg_sevname(i), sev[i]);
		ATF_CHECK_EQ(msg_sevnum(sev[i], strlen(sev[i])), i);
	}
	ATF_CHECK(msg_facname(-1) == NULL);
	ATF_CHECK(msg_facname(MSG_NFAC) == NULL);
	ATF_CHECK(msg_sevname(8) == NULL);
	ATF_CHECK_EQ(msg_facnum("security", 8), 4);
	ATF_CHECK_EQ(msg_facnum("AUTH", 4), 4);
	ATF_CHECK_EQ(msg_facnum("Local7", 6), 23);
	ATF_CHECK_EQ(msg_facnum("mark", 4), -1);
	ATF_CHECK_EQ(msg_facnum("*", 1), -1);
	ATF_CHECK_EQ(msg_facnum("kern.info", 4), 0);
	ATF_CHECK_EQ(msg_facnum("kern", 3), -1);
	ATF_CHECK_EQ(msg_facnum("", 0), -1);
	ATF_CHECK_EQ(msg_sevnum("panic", 5), 0);
	ATF_CHECK_EQ(msg_sevnum("error", 5), 3);
	ATF_CHECK_EQ(msg_sevnum("warn", 4), 4);
	ATF_CHECK_EQ(msg_sevnum("WARNING", 7), 4);
	ATF_CHECK_EQ(msg_sevnum("none", 4), -1);
	ATF_CHECK_EQ(msg_sevnum("*", 1), -1);
}

ATF_TC_WITHOUT_HEAD(verbose_tag);
ATF_TC_BODY(verbose_tag, tc)
{
	char buf[64];

	ATF_CHECK_EQ(msg_verbose_tag(1, 5, 1, buf, sizeof(buf)), 6);
	ATF_CHECK_STREQ(buf, "<1.5> ");
	ATF_CHECK_EQ(msg_verbose_tag(1, 5, 2, buf, sizeof(buf)), 14);
	ATF_CHECK_STREQ(buf, "<user.notice> ");
	ATF_CHECK_EQ(msg_verbose_tag(23, 0, 3, buf, sizeof(buf)), 15);
	ATF_CHECK_STREQ(buf, "<local7.emerg> ");
	ATF_CHECK_EQ(msg_verbose_tag(1, 5, 0, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "");
	ATF_CHECK_EQ(msg_verbose_tag(1, 5, 2, buf, 4), 3);
	ATF_CHECK_STREQ(buf, "<us");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pri);
	ATF_TP_ADD_TC(tp, pri_opts);
	ATF_TP_ADD_TC(tp, rfc3164);
	ATF_TP_ADD_TC(tp, rfc5424);
	ATF_TP_ADD_TC(tp, rfc5424_nil_time);
	ATF_TP_ADD_TC(tp, use_now);
	ATF_TP_ADD_TC(tp, bsd_year);
	ATF_TP_ADD_TC(tp, bsd_dst);
	ATF_TP_ADD_TC(tp, roundtrip_bsd);
	ATF_TP_ADD_TC(tp, roundtrip_5424);
	ATF_TP_ADD_TC(tp, offset_to_bsd);
	ATF_TP_ADD_TC(tp, local_msg);
	ATF_TP_ADD_TC(tp, hostile_controls);
	ATF_TP_ADD_TC(tp, hostile_utf8);
	ATF_TP_ADD_TC(tp, hostile_big);
	ATF_TP_ADD_TC(tp, long_fields);
	ATF_TP_ADD_TC(tp, all_bytes);
	ATF_TP_ADD_TC(tp, escape_positions);
	ATF_TP_ADD_TC(tp, format_cap);
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, verbose_tag);
	ATF_TP_ADD_TC(tp, tzcache);
	ATF_TP_ADD_TC(tp, bsd_time_cached);
	return atf_no_error();
}
