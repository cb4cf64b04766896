/*
 * Parsing of received syslog messages (RFC 3164 and RFC 5424) into
 * struct msg, and the text escaping shared with msg_set_text().
 *
 * Everything works on [p, end) ranges of the received bytes, which may
 * hold NULs.  Nothing allocates and every loop only moves forward, so a
 * message costs time linear in its length, bounded by the field limits
 * of struct msg.  Formatting is in msgfmt.c.
 *
 * Text escaping (the manual page states this): valid UTF-8 and TAB are
 * kept; other C0 controls become ^@ .. ^_, DEL becomes ^?, and any byte
 * that is not part of a valid UTF-8 sequence becomes \ooo (octal).  C1
 * controls (U+0080..U+009F) count as invalid because terminals may act
 * on them as on ESC.  A literal backslash or caret is left alone, so the
 * escaping is for safety, not reversible.
 */
#include "msg.h"
#include "strutil.h"
#include "tzcache.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY		86400
#define FUTURE_DAYS	30	/* a BSD stamp may be this far ahead of us */

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Printable US-ASCII except space: what RFC 5424 header fields allow. */
static bool
is_print(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* Value of n decimal digits at p, or -1. */
static int
num(const unsigned char *p, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (!is_digit(*p))
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

/*
 * Length (2..4) of the valid UTF-8 sequence at p, or 0: overlong forms,
 * surrogates, code points past U+10FFFF and C1 controls are invalid.
 */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		if (c == 0xc2)
			lo = 0xa0;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(end - p) < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * The end of the run of bytes at s that are kept as they are: printable
 * ASCII and tab.  Messages are mostly such runs, so they are scanned
 * eight bytes at a time: a word holds only printable ASCII when no byte
 * is below 0x20 (subtracting 0x20 from it borrows) and none above 0x7e
 * (adding 1 to it, or the byte itself, sets its top bit).
 */
static const unsigned char *
plain_run(const unsigned char *s, const unsigned char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, tops = ones * 0x80;
	uint64_t w;

	for (; end - s >= 8; s += 8) {
		memcpy(&w, s, sizeof(w));
		if ((((w - ones * 0x20) & ~w) | (w + ones) | w) & tops)
			break;
	}
	while (s < end && ((*s >= 0x20 && *s < 0x7f) || *s == '\t'))
		s++;
	return s;
}

/*
 * Writes the escaped form of [s, end) into dst, which has room for room
 * bytes plus a NUL, and returns the length.  When it does not fit, it
 * stops before the first escape or UTF-8 sequence that would be split.
 */
static size_t
escape(char *dst, size_t room, const unsigned char *s,
    const unsigned char *end, unsigned *flags)
{
	const unsigned char *r;
	size_t o = 0, k;
	unsigned char c;

	while (s < end) {
		if ((r = plain_run(s, end)) > s) {
			k = (size_t)(r - s);
			if (k > room - o) {
				memcpy(dst + o, s, room - o);
				o = room;
				goto cut;
			}
			memcpy(dst + o, s, k);
			o += k;
			s = r;
			continue;
		}
		c = *s;
		if (c < 0x80) {
			if (room - o < 2)
				goto cut;
			dst[o++] = '^';
			dst[o++] = c == 0x7f ? '?' : (char)(c + 0x40);
			*flags |= MSG_F_ESCAPED;
			s++;
		} else if ((k = utf8_seq(s, end)) > 0) {
			if (room - o < k)
				goto cut;
			memcpy(dst + o, s, k);
			o += k;
			s += k;
		} else {
			if (room - o < 4)
				goto cut;
			dst[o++] = '\\';
			dst[o++] = (char)('0' + (c >> 6));
			dst[o++] = (char)('0' + ((c >> 3) & 7));
			dst[o++] = (char)('0' + (c & 7));
			*flags |= MSG_F_ESCAPED;
			s++;
		}
	}
	dst[o] = '\0';
	return o;
cut:
	*flags |= MSG_F_TRUNCATED;
	dst[o] = '\0';
	return o;
}

/* Drops the trailing NUL, CR and LF bytes senders append. */
static const unsigned char *
trim_end(const unsigned char *p, const unsigned char *end)
{
	while (end > p && (end[-1] == '\0' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		end--;
	return end;
}

static void
set_text(struct msg *m, const unsigned char *p, const unsigned char *end)
{
	m->textlen = escape(m->text, MSG_TEXT_MAX, p, end, &m->flags);
}

/*
 * Copies a header field, cut to max bytes; bytes that RFC 5424 does not
 * allow there become '?'.  A lone "-" is RFC 5424's NILVALUE, and what our
 * BSD lines show for a missing tag: no value, in either format, so that
 * it is not forwarded as a host or tag that the next hop reads as none.
 */
static void
copy_field(char *dst, size_t max, const unsigned char *s, size_t n,
    unsigned *flags)
{
	size_t i;

	if (n == 1 && s[0] == '-')
		n = 0;
	if (n > max) {
		n = max;
		*flags |= MSG_F_TRUNCATED;
	}
	for (i = 0; i < n; i++)
		dst[i] = is_print(s[i]) ? (char)s[i] : '?';
	dst[n] = '\0';
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian, y >= 1. */
static long long
days_from_civil(int y, int m, int d)
{
	static const short before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	long long ly = y - (m <= 2);	/* years whose Feb 29 is behind us */

	return 365LL * (y - 1970) + (ly / 4 - ly / 100 + ly / 400) -
	    (1969 / 4 - 1969 / 100 + 1969 / 400) + before[m - 1] + d - 1;
}

static int
mdays(int y, int m)
{
	static const unsigned char n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

static int
local_off(struct tzcache *tz, time_t t)
{
	struct tm tm;

	if (!tzcache_localtime(tz, t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

static void
time_now(struct msg_time *t, const struct timeval *now, struct tzcache *tz)
{
	t->sec = now->tv_sec;
	t->usec = now->tv_usec >= 0 && now->tv_usec < 1000000 ?
	    (int)now->tv_usec : 0;
	t->frac_digits = 6;
	t->tzoff = local_off(tz, t->sec);
	t->utc_z = false;
	t->nil = false;
}

/*
 * RFC 3339 as RFC 5424 restricts it: YYYY-MM-DDTHH:MM:SS[.1*6DIGIT]
 * then Z or +hh:mm / -hh:mm, upper-case T and Z, exactly n bytes.
 */
static bool
parse_rfc3339(const unsigned char *p, size_t n, struct msg_time *t)
{
	int y, mo, d, h, mi, s, usec = 0, fd = 0, off = 0, oh, om;
	size_t i = 19;

	if (n < 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':')
		return false;
	y = num(p, 4);
	mo = num(p + 5, 2);
	d = num(p + 8, 2);
	h = num(p + 11, 2);
	mi = num(p + 14, 2);
	s = num(p + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return false;
	if (p[i] == '.') {
		for (i++; i < n && is_digit(p[i]) && fd < 7; i++, fd++)
			usec = usec * 10 + (p[i] - '0');
		if (fd == 0 || fd > 6)
			return false;
	}
	if (i < n && p[i] == 'Z')
		i++;
	else if (i + 6 <= n && (p[i] == '+' || p[i] == '-') &&
	    p[i + 3] == ':') {
		oh = num(p + i + 1, 2);
		om = num(p + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
		off = (oh * 60 + om) * (p[i] == '-' ? -1 : 1);
		i += 6;
	} else
		return false;
	if (i != n)
		return false;
	for (i = (size_t)fd; i < 6; i++)
		usec *= 10;
	t->sec = (time_t)(days_from_civil(y, mo, d) * DAY +
	    h * 3600 + mi * 60 + s - off * 60);
	t->usec = usec;
	t->frac_digits = fd;
	t->tzoff = off;
	t->utc_z = p[n - 1] == 'Z';
	t->nil = false;
	return true;
}

/*
 * The epoch time of a local wall-clock time, and the offset in force
 * then.  off is a guess (the offset now); it is corrected once or twice
 * around a DST change.  A time inside a DST gap keeps the earlier offset.
 */
static time_t
local_to_utc(struct tzcache *tz, long long wall, int *off)
{
	struct tm tm;
	time_t t = (time_t)(wall - *off * 60LL);
	int i;

	for (i = 0; i < 2; i++) {
		if (!tzcache_localtime(tz, t, &tm) ||
		    tm.tm_gmtoff / 60 == *off)
			break;
		*off = (int)(tm.tm_gmtoff / 60);
		t = (time_t)(wall - *off * 60LL);
	}
	return t;
}

/*
 * "Mmm dd hh:mm:ss" (day space- or zero-padded, or a single digit) as
 * local time, followed by a space or the end.  BSD stamps carry no year:
 * take the one that puts the stamp at most FUTURE_DAYS ahead of now and
 * less than a year behind (a December stamp seen in January).
 */
static bool
parse_bsd_stamp(const unsigned char **pp, const unsigned char *end,
    struct msg_time *t, const struct timeval *now, struct tzcache *tz)
{
	const unsigned char *p = *pp, *q;
	int mon, day, h, mi, s, off, y;
	long long tod;
	struct tm tm;
	time_t when;

	if (end - p < 14 || p[3] != ' ')
		return false;
	for (mon = 0; mon < 12; mon++)
		if (memcmp(p, months + 3 * mon, 3) == 0)
			break;
	if (mon == 12)
		return false;
	q = p + 4;
	if (*q == ' ')
		q++;
	if (!is_digit(*q))
		return false;
	day = *q++ - '0';
	if (is_digit(*q))
		day = day * 10 + (*q++ - '0');
	if (*q++ != ' ' || end - q < 8 || q[2] != ':' || q[5] != ':')
		return false;
	h = num(q, 2);
	mi = num(q + 3, 2);
	s = num(q + 6, 2);
	q += 8;
	/* The year is not known yet: allow Feb 29 (2000 was leap). */
	if ((q < end && *q != ' ') || day < 1 || day > mdays(2000, mon + 1) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return false;

	if (!tzcache_localtime(tz, now->tv_sec, &tm))
		return false;
	off = (int)(tm.tm_gmtoff / 60);
	y = tm.tm_year + 1900;
	tod = h * 3600 + mi * 60 + s;
	when = local_to_utc(tz, days_from_civil(y, mon + 1, day) * DAY + tod,
	    &off);
	if (when > now->tv_sec + FUTURE_DAYS * DAY)
		y--;
	else if (when < now->tv_sec - (365 - FUTURE_DAYS) * DAY)
		y++;
	if (y != tm.tm_year + 1900)
		when = local_to_utc(tz, days_from_civil(y, mon + 1, day) * DAY +
		    tod, &off);
	t->sec = when;
	t->usec = 0;
	t->frac_digits = 0;
	t->tzoff = off;
	t->utc_z = false;
	t->nil = false;
	*pp = q;
	return true;
}

/*
 * The next space-delimited token.  Returns false, without moving, when
 * it is empty; otherwise moves *pp past it and the space after it.
 */
static bool
token(const unsigned char **pp, const unsigned char *end,
    const unsigned char **tok, size_t *len)
{
	const unsigned char *p = *pp, *sp;

	if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
		sp = end;
	if (sp == p)
		return false;
	*tok = p;
	*len = (size_t)(sp - p);
	*pp = sp < end ? sp + 1 : end;
	return true;
}

/* SD-NAME: 1*32 printable US-ASCII except = SP ] ".  Returns its length. */
static size_t
sd_name(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *s = p;

	while (p < end && p - s <= 32 && is_print(*p) && *p != '=' &&
	    *p != ']' && *p != '"')
		p++;
	return p - s > 32 ? 0 : (size_t)(p - s);
}

/* The end of the SD-ELEMENT starting with the '[' at p, or NULL. */
static const unsigned char *
sd_element(const unsigned char *p, const unsigned char *end)
{
	size_t n;

	if ((n = sd_name(++p, end)) == 0)
		return NULL;
	for (p += n; p < end && *p == ' '; p++) {	/* p++: closing '"' */
		if ((n = sd_name(++p, end)) == 0)
			return NULL;
		p += n;
		if (end - p < 2 || p[0] != '=' || p[1] != '"')
			return NULL;
		for (p += 2; p < end && *p != '"'; p += n) {
			n = 1;
			if (*p == '\\' && end - p > 1 && (p[1] == '"' ||
			    p[1] == '\\' || p[1] == ']'))
				n = 2;
			else if (*p == ']' || *p < 0x20 || *p == 0x7f)
				return NULL;
			else if (*p >= 0x80 && (n = utf8_seq(p, end)) == 0)
				return NULL;
		}
		if (p >= end)
			return NULL;
	}
	return p < end && *p == ']' ? p + 1 : NULL;
}

/*
 * Length of the STRUCTURED-DATA at p ("-" or SD-ELEMENTs) when it is
 * valid and followed by a space or the end, else 0.  Stricter than the
 * grammar where a log line is at stake: an unescaped ']', a control
 * character or invalid UTF-8 in a PARAM-VALUE makes it invalid, and the
 * sender's bytes then go to the escaped text instead.
 */
static size_t
sd_scan(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *s = p;

	if (p < end && *p == '-')
		p++;
	else if (p >= end || *p != '[')
		return 0;
	else
		while (p < end && *p == '[')
			if ((p = sd_element(p, end)) == NULL)
				return 0;
	if (p < end && *p != ' ')
		return 0;
	return (size_t)(p - s);
}

/*
 * RFC 5424 after "<PRI>1 ".  Returns whether a timestamp was found.
 * Where the header stops making sense, the rest becomes the text.
 */
static bool
parse5424(struct msg *m, const unsigned char *p, const unsigned char *end)
{
	static const size_t max[3] = {
		MSG_HOST_MAX, MSG_APP_MAX, MSG_PROCID_MAX
	};
	char *const field[3] = { m->host, m->app, m->procid };
	const unsigned char *tok;
	bool have_time = false;
	size_t n;
	int i;

	m->flags |= MSG_F_RFC5424;
	if (!token(&p, end, &tok, &n))
		goto text;
	if (n == 1 && *tok == '-')
		m->time.nil = true;
	else if (parse_rfc3339(tok, n, &m->time))
		have_time = true;
	else {
		p = tok;
		goto text;
	}
	for (i = 0; i < 4; i++) {
		if (!token(&p, end, &tok, &n))
			goto text;
		if (n == 1 && *tok == '-')
			continue;
		if (i < 3)
			copy_field(field[i], max[i], tok, n, &m->flags);
		else
			copy_field(m->msgid, MSG_MSGID_MAX, tok, n, &m->flags);
	}
	if ((n = sd_scan(p, end)) == 0 || n > MSG_SD_MAX)
		goto text;
	if (*p == '[') {
		memcpy(m->sd, p, n);
		m->sd[n] = '\0';
		m->sdlen = n;
	}
	p += n;
	if (p < end)
		p++;
	if (end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		p += 3;
		m->flags |= MSG_F_BOM;
	}
text:
	set_text(m, p, end);
	return have_time;
}

/* The word at p is a tag rather than a host: it has '[' or ends in ':'. */
static bool
is_tag_word(const unsigned char *p, const unsigned char *sp)
{
	return sp[-1] == ':' || memchr(p, '[', (size_t)(sp - p)) != NULL;
}

/*
 * BSD TAG: 1..MSG_APP_MAX printable bytes other than ':' and '[', an
 * optional "[PID]" and a ':' followed by a space or the end.  Anything
 * else is not a tag and stays in the text.  Returns where the text starts.
 */
static const unsigned char *
parse_tag(struct msg *m, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p, *r, *pid = NULL, *pidend = NULL;

	while (q < end && q - p <= MSG_APP_MAX && is_print(*q) &&
	    *q != ':' && *q != '[')
		q++;
	if (q == p || q - p > MSG_APP_MAX)
		return p;
	r = q;
	if (r < end && *r == '[') {
		for (pid = ++r; r < end && r - pid <= MSG_PROCID_MAX &&
		    is_print(*r) && *r != ']'; r++)
			continue;
		if (r == pid || r - pid > MSG_PROCID_MAX || r >= end ||
		    *r != ']')
			return p;
		pidend = r++;
	}
	if (r >= end || *r++ != ':' || (r < end && *r != ' '))
		return p;
	copy_field(m->app, MSG_APP_MAX, p, (size_t)(q - p), &m->flags);
	if (pid != NULL)
		copy_field(m->procid, MSG_PROCID_MAX, pid,
		    (size_t)(pidend - pid), &m->flags);
	return r < end ? r + 1 : r;
}

/* RFC 3164 after the PRI.  Returns whether a timestamp was found. */
static bool
parse3164(struct msg *m, const unsigned char *p, const unsigned char *end,
    const struct msg_parse_opts *o)
{
	const unsigned char *tok, *sp, *q = p;
	bool have_time;
	size_t n;

	have_time = parse_bsd_stamp(&q, end, &m->time, &o->now, o->tz);
	if (!have_time && token(&q, end, &tok, &n) &&
	    parse_rfc3339(tok, n, &m->time)) {
		have_time = true;
		q = tok + n;
	}
	if (have_time)
		p = q;
	if (have_time && p < end) {
		p++;			/* the space after the stamp */
		sp = memchr(p, ' ', (size_t)(end - p));
		if (sp != NULL && sp > p && !is_tag_word(p, sp)) {
			copy_field(m->host, MSG_HOST_MAX, p, (size_t)(sp - p),
			    &m->flags);
			p = sp + 1;
		}
	}
	p = parse_tag(m, p, end);
	set_text(m, p, end);
	return have_time;
}

/* "<N>" with 1..3 digits and N <= 191, or -1. */
static int
parse_pri(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	int v = 0, n;

	if (p >= end || *p++ != '<')
		return -1;
	for (n = 0; p < end && is_digit(*p) && n < 4; n++)
		v = v * 10 + (*p++ - '0');
	if (n == 0 || n > 3 || v > 191 || p >= end || *p != '>')
		return -1;
	*pp = p + 1;
	return v;
}

/* Empties every field but the big buffers, which only get a NUL. */
static void
msg_reset(struct msg *m)
{
	m->flags = 0;
	memset(&m->time, 0, sizeof(m->time));
	m->host[0] = m->app[0] = m->procid[0] = m->msgid[0] = '\0';
	m->sd[0] = m->text[0] = '\0';
	m->sdlen = m->textlen = 0;
}

void
msg_parse(struct msg *m, const char *buf, size_t len,
    const struct msg_parse_opts *o)
{
	const unsigned char *p = (const unsigned char *)buf;
	const unsigned char *end = trim_end(p, p + len);
	bool have_time;
	int pri;

	msg_reset(m);
	if ((pri = parse_pri(&p, end)) < 0) {
		/* 0 would be kern.emerg: an unset default is not that. */
		pri = o->default_pri > 0 && o->default_pri <= 191 ?
		    o->default_pri : MSG_DEFAULT_PRI;
		m->flags |= MSG_F_NOPRI;
	}
	m->fac = pri >> 3;
	m->sev = pri & 7;
	if (m->fac == 0 && !o->allow_kern)
		m->fac = 1;

	if (!(m->flags & MSG_F_NOPRI) && end - p >= 2 && p[0] == '1' &&
	    p[1] == ' ')
		have_time = parse5424(m, p + 2, end);
	else
		have_time = parse3164(m, p, end, o);
	if (!have_time) {
		bool nil = m->time.nil;

		m->flags |= MSG_F_NOTIME;
		time_now(&m->time, &o->now, o->tz);
		m->time.nil = nil && !o->use_now;
	} else if (o->use_now)
		time_now(&m->time, &o->now, o->tz);
}

void
msg_init_local(struct msg *m, int fac, int sev, const char *app, long pid,
    const struct timeval *now)
{
	msg_reset(m);
	m->fac = fac >= 0 && fac < MSG_NFAC ? fac : 1;
	m->sev = sev & 7;
	if (app != NULL && str_copy(m->app, app, sizeof(m->app)) >=
	    sizeof(m->app))
		m->flags |= MSG_F_TRUNCATED;
	if (pid >= 0)
		snprintf(m->procid, sizeof(m->procid), "%ld", pid);
	time_now(&m->time, now, NULL);
}

void
msg_set_text(struct msg *m, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;

	m->flags &= ~(unsigned)MSG_F_ESCAPED;
	set_text(m, p, trim_end(p, p + len));
}
