/*
 * Formatting of struct msg as a BSD (RFC 3164) or RFC 5424 line, and the
 * facility and severity names.
 *
 * Header fields are written as RFC 5424 requires them whatever the
 * message came in as: printable US-ASCII without spaces, cut to the RFC
 * lengths; any other byte is written as '?', as the parser does.
 */
#include "msg.h"
#include "strutil.h"
#include "tzcache.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char bom[] = "\xef\xbb\xbf";

/*
 * 0..11 and 16..23 are the names every syslog.h has.  12..15 have no
 * name in NetBSD; we use FreeBSD's "ntp" (12) and "console" (14), and
 * RFC 5424's descriptions for 13 ("audit": FreeBSD's "security" is an
 * alias of auth in NetBSD's syslog.conf) and 15 ("clock").
 */
static const char *const facnames[MSG_NFAC] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "console",
	"clock", "local0", "local1", "local2", "local3", "local4", "local5",
	"local6", "local7",
};

static const char *const sevnames[8] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

struct alias {
	const char	*name;
	int		 num;
};

static const struct alias facaliases[] = {
	{ "security", 4 },
};

static const struct alias sevaliases[] = {
	{ "panic", 0 }, { "error", 3 }, { "warn", 4 },
};

const char *
msg_facname(int fac)
{
	return fac >= 0 && fac < MSG_NFAC ? facnames[fac] : NULL;
}

const char *
msg_sevname(int sev)
{
	return sev >= 0 && sev < 8 ? sevnames[sev] : NULL;
}

static bool
name_is(const char *s, const char *name, size_t len)
{
	return strlen(s) == len && strncasecmp(s, name, len) == 0;
}

static int
lookup(const char *const *names, int n, const struct alias *al, size_t nal,
    const char *name, size_t len)
{
	size_t i;
	int j;

	for (j = 0; j < n; j++)
		if (name_is(names[j], name, len))
			return j;
	for (i = 0; i < nal; i++)
		if (name_is(al[i].name, name, len))
			return al[i].num;
	return -1;
}

int
msg_facnum(const char *name, size_t len)
{
	return lookup(facnames, MSG_NFAC, facaliases,
	    sizeof(facaliases) / sizeof(facaliases[0]), name, len);
}

int
msg_sevnum(const char *name, size_t len)
{
	return lookup(sevnames, 8, sevaliases,
	    sizeof(sevaliases) / sizeof(sevaliases[0]), name, len);
}

size_t
msg_verbose_tag(int fac, int sev, int verbose, char *out, size_t cap)
{
	const char *fn = msg_facname(fac), *sn = msg_sevname(sev);
	struct outbuf ob;

	ob_init(&ob, out, cap);
	if (verbose >= 2 && fn != NULL && sn != NULL)
		ob_printf(&ob, "<%s.%s> ", fn, sn);
	else if (verbose >= 1)
		ob_printf(&ob, "<%d.%d> ", fac, sev);
	return ob.len;
}

/* A header field: "-" when empty, else len bytes cut to max, see above. */
static void
put_field(struct outbuf *ob, const char *s, size_t len, size_t max)
{
	char tmp[MSG_HOST_MAX];
	size_t i;

	if (len == 0) {
		ob_putc(ob, '-');
		return;
	}
	if (len > max)
		len = max;
	for (i = 0; i < len; i++)
		tmp[i] = (unsigned char)s[i] > 0x20 &&
		    (unsigned char)s[i] < 0x7f ? s[i] : '?';
	ob_put(ob, tmp, len);
}

/* Free text; with ascii_only every byte >= 0x80 is written as \ooo. */
static void
put_body(struct outbuf *ob, const char *s, size_t n, bool ascii)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *r;
	char esc[4];

	if (!ascii) {
		ob_put(ob, s, n);
		return;
	}
	while (p < e) {
		for (r = p; r < e && *r < 0x80; r++)
			continue;
		ob_put(ob, (const char *)p, (size_t)(r - p));
		if (r == e)
			break;
		esc[0] = '\\';
		esc[1] = (char)('0' + (*r >> 6));
		esc[2] = (char)('0' + ((*r >> 3) & 7));
		esc[3] = (char)('0' + (*r & 7));
		ob_put(ob, esc, 4);
		p = r + 1;
	}
}

static char *
put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* "<PRI>" without the cost of printf on every line. */
static void
put_pri(struct outbuf *ob, int pri)
{
	char b[5], *p = b;

	*p++ = '<';
	if (pri >= 100)
		*p++ = (char)('0' + pri / 100);
	if (pri >= 10)
		*p++ = (char)('0' + pri / 10 % 10);
	*p++ = (char)('0' + pri % 10);
	*p++ = '>';
	ob_put(ob, b, (size_t)(p - b));
}

static const char *
pick_host(const struct msg *m)
{
	if (m->host[0] != '\0')
		return m->host;
	if (m->recvhost != NULL && m->recvhost[0] != '\0')
		return m->recvhost;
	return "";
}

/* Dotted quads and IPv6 addresses are not cut at the first dot. */
static size_t
short_host_len(const char *h)
{
	const char *dot = NULL, *p;
	bool ipv4 = true;

	for (p = h; *p != '\0'; p++) {
		if (*p == ':')
			return strlen(h);
		if (*p == '.' && dot == NULL)
			dot = p;
		if (*p != '.' && (*p < '0' || *p > '9'))
			ipv4 = false;
	}
	if (ipv4 || dot == NULL || dot == h)
		return (size_t)(p - h);
	return (size_t)(dot - h);
}

/*
 * "Mmm dd hh:mm:ss" in local time.  Converting from the epoch seconds
 * honours the offset an RFC 5424 sender gave (NetBSD drops it).
 */
static void
put_bsd_time(struct outbuf *ob, time_t sec, struct tzcache *tz)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	char b[15], *p = b;

	if (!tzcache_localtime(tz, sec, &tm)) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_mday = 1;
	}
	memcpy(p, months + 3 * tm.tm_mon, 3);
	p += 3;
	*p++ = ' ';
	*p++ = tm.tm_mday < 10 ? ' ' : (char)('0' + tm.tm_mday / 10);
	*p++ = (char)('0' + tm.tm_mday % 10);
	*p++ = ' ';
	p = put2(p, tm.tm_hour);
	*p++ = ':';
	p = put2(p, tm.tm_min);
	*p++ = ':';
	p = put2(p, tm.tm_sec);
	ob_put(ob, b, (size_t)(p - b));
}

/* RFC 3339 in the sender's own offset, or "-". */
static void
put_iso_time(struct outbuf *ob, const struct msg_time *t)
{
	char b[40], *p = b;
	int off = t->tzoff, fd = t->frac_digits, usec = t->usec, i, y;
	time_t local;
	struct tm tm;

	if (off <= -24 * 60 || off >= 24 * 60)
		off = 0;
	local = t->sec + (time_t)off * 60;
	if (t->nil || gmtime_r(&local, &tm) == NULL ||
	    (y = tm.tm_year + 1900) < 0 || y > 9999) {
		ob_putc(ob, '-');
		return;
	}
	p = put2(put2(p, y / 100), y % 100);
	*p++ = '-';
	p = put2(p, tm.tm_mon + 1);
	*p++ = '-';
	p = put2(p, tm.tm_mday);
	*p++ = 'T';
	p = put2(p, tm.tm_hour);
	*p++ = ':';
	p = put2(p, tm.tm_min);
	*p++ = ':';
	p = put2(p, tm.tm_sec);
	if (fd > 6)
		fd = 6;
	if (fd > 0) {
		*p++ = '.';
		if (usec < 0 || usec > 999999)
			usec = 0;
		for (i = 6; i > fd; i--)
			usec /= 10;
		for (i = fd; i > 0; i--, usec /= 10)
			p[i - 1] = (char)('0' + usec % 10);
		p += fd;
	}
	if (off == 0 && t->utc_z)
		*p++ = 'Z';
	else {
		*p++ = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		p = put2(p, off / 60);
		*p++ = ':';
		p = put2(p, off % 60);
	}
	ob_put(ob, b, (size_t)(p - b));
}

size_t
msg_format(const struct msg *m, const struct msg_fmt_opts *o, char *out,
    size_t cap, size_t *body_off)
{
	struct outbuf ob;
	const char *host = pick_host(m);
	bool bom_out;
	int pri = (m->fac >= 0 && m->fac < MSG_NFAC ? m->fac : 1) * 8 +
	    (m->sev & 7);

	ob_init(&ob, out, cap);
	put_pri(&ob, pri);
	if (o->fmt == MSG_FMT_RFC5424) {
		ob_put(&ob, "1 ", 2);
		*body_off = ob.len;
		put_iso_time(&ob, &m->time);
		ob_putc(&ob, ' ');
		put_field(&ob, host, strlen(host), MSG_HOST_MAX);
		ob_putc(&ob, ' ');
		put_field(&ob, m->app, strlen(m->app), MSG_APP_MAX);
		ob_putc(&ob, ' ');
		put_field(&ob, m->procid, strlen(m->procid), MSG_PROCID_MAX);
		ob_putc(&ob, ' ');
		put_field(&ob, m->msgid, strlen(m->msgid), MSG_MSGID_MAX);
		ob_putc(&ob, ' ');
		if (m->sdlen > 0)
			put_body(&ob, m->sd, m->sdlen, o->ascii_only);
		else
			ob_putc(&ob, '-');
		/* A BOM means nothing on a terminal. */
		bom_out = (m->flags & MSG_F_BOM) != 0 && !o->ascii_only;
		if (m->textlen > 0 || bom_out) {
			ob_putc(&ob, ' ');
			if (bom_out)
				ob_put(&ob, bom, 3);
			put_body(&ob, m->text, m->textlen, o->ascii_only);
		}
		return ob.len;
	}

	*body_off = ob.len;
	put_bsd_time(&ob, m->time.sec, o->tz);
	ob_putc(&ob, ' ');
	put_field(&ob, host, short_host_len(host), MSG_HOST_MAX);
	ob_putc(&ob, ' ');
	/* Every line has "TAG: " at the same place, "-: " when missing. */
	if (m->app[0] == '\0')
		ob_putc(&ob, '-');
	else {
		put_field(&ob, m->app, strlen(m->app), MSG_APP_MAX);
		if (m->procid[0] != '\0') {
			ob_putc(&ob, '[');
			put_field(&ob, m->procid, strlen(m->procid),
			    MSG_PROCID_MAX);
			ob_putc(&ob, ']');
		}
	}
	ob_putc(&ob, ':');
	if (m->sdlen > 0) {
		ob_putc(&ob, ' ');
		put_body(&ob, m->sd, m->sdlen, o->ascii_only);
	}
	if (m->textlen > 0) {
		ob_putc(&ob, ' ');
		put_body(&ob, m->text, m->textlen, o->ascii_only);
	}
	return ob.len;
}
