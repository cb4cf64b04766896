/*
 * newsyslog.conf "when" field and the fixed test clock.  See when.h.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "when.h"

#define MAX_INTERVAL	(24 * 366 * 100)	/* a century, in hours */

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool
ns_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
ns_days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ns_is_leap(year))
		return 29;
	return days[month - 1];
}

/* n decimal digits at s, all of them digits; returns the value or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static void
at_clear(struct ns_at *at, enum ns_at_kind kind)
{
	at->kind = kind;
	at->year = NS_ANY;
	at->year2 = false;
	at->month = NS_ANY;
	at->mday = NS_ANY;
	at->wday = NS_ANY;
	at->hour = 0;
	at->min = 0;
	at->sec = 0;
}

int
ns_at_parse_iso(const char *s, struct ns_at *at, char *err, size_t errlen)
{
	const char *t;
	size_t dlen, tlen;

	at_clear(at, NS_AT_ISO);
	t = strpbrk(s, "Tt");
	dlen = t != NULL ? (size_t)(t - s) : strlen(s);
	tlen = t != NULL ? strlen(t + 1) : 0;
	if (dlen == 0 && t == NULL)
		return fail(err, errlen, "empty time after \"@\"");
	if (dlen % 2 != 0 || dlen > 8 || digits(s, dlen) < 0)
		return fail(err, errlen,
		    "bad date \"%.*s\" (want [[[[cc]yy]mm]dd])", (int)dlen, s);
	if (t != NULL && (tlen % 2 != 0 || tlen > 6 ||
	    digits(t + 1, tlen) < 0))
		return fail(err, errlen,
		    "bad time \"%s\" (want T[hh[mm[ss]]])", t + 1);

	/* The date is read from its right end: dd, then mm, yy, cc. */
	if (dlen >= 2)
		at->mday = digits(s + dlen - 2, 2);
	if (dlen >= 4)
		at->month = digits(s + dlen - 4, 2);
	if (dlen == 6) {
		at->year = digits(s, 2);
		at->year2 = true;
	} else if (dlen == 8)
		at->year = digits(s, 4);

	if (tlen >= 2)
		at->hour = digits(t + 1, 2);
	if (tlen >= 4)
		at->min = digits(t + 3, 2);
	if (tlen >= 6)
		at->sec = digits(t + 5, 2);

	if (at->month != NS_ANY && (at->month < 1 || at->month > 12))
		return fail(err, errlen, "month %d out of range 1-12",
		    at->month);
	if (at->mday != NS_ANY) {
		int max = 31;

		if (at->month != NS_ANY) {
			/* Without a full year, February may have 29 days. */
			max = ns_days_in_month(at->year != NS_ANY &&
			    !at->year2 ? at->year : 2000, at->month);
		}
		if (at->mday < 1 || at->mday > max)
			return fail(err, errlen, "day %d out of range 1-%d",
			    at->mday, max);
	}
	if (at->hour > 23)
		return fail(err, errlen, "hour %d out of range 0-23", at->hour);
	if (at->min > 59)
		return fail(err, errlen, "minute %d out of range 0-59",
		    at->min);
	if (at->sec > 59)
		return fail(err, errlen, "second %d out of range 0-59",
		    at->sec);
	return 0;
}

/* One or two digits at *sp; advances *sp.  Returns the value or -1. */
static int
small_number(const char **sp)
{
	const char *s = *sp;
	int v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	v = s[0] - '0';
	s++;
	if (isdigit((unsigned char)s[0])) {
		v = v * 10 + (s[0] - '0');
		s++;
	}
	*sp = s;
	return v;
}

int
ns_at_parse_dwm(const char *s, struct ns_at *at, char *err, size_t errlen)
{
	const char *p = s;
	bool seen_d = false, seen_w = false, seen_m = false;
	int v;

	at_clear(at, NS_AT_DWM);
	if (*p == '\0')
		return fail(err, errlen, "empty specification after \"$\"");
	while (*p != '\0') {
		char c = (char)toupper((unsigned char)*p);

		p++;
		switch (c) {
		case 'D':
			if (seen_d)
				return fail(err, errlen, "\"D\" given twice");
			seen_d = true;
			if ((v = small_number(&p)) < 0 || v > 23)
				return fail(err, errlen,
				    "\"D\" needs an hour 0-23");
			at->hour = v;
			break;
		case 'W':
			if (seen_w || seen_m)
				return fail(err, errlen, seen_w ?
				    "\"W\" given twice" :
				    "\"W\" and \"M\" cannot be combined");
			seen_w = true;
			if (!isdigit((unsigned char)*p) || *p > '6')
				return fail(err, errlen,
				    "\"W\" needs a weekday 0-6 (0 = Sunday)");
			at->wday = *p - '0';
			p++;
			break;
		case 'M':
			if (seen_m || seen_w)
				return fail(err, errlen, seen_m ?
				    "\"M\" given twice" :
				    "\"W\" and \"M\" cannot be combined");
			seen_m = true;
			if (*p == 'L' || *p == 'l') {
				at->mday = NS_MDAY_LAST;
				p++;
				break;
			}
			if ((v = small_number(&p)) < 1 || v > 31)
				return fail(err, errlen,
				    "\"M\" needs a day 1-31 or \"L\"");
			at->mday = v;
			break;
		default:
			return fail(err, errlen,
			    "unexpected \"%c\" in \"$%s\" (want D, W or M)",
			    p[-1], s);
		}
	}
	return 0;
}

int
ns_when_parse(const char *s, struct ns_when *w, char *err, size_t errlen)
{
	const char *p = s;
	long v = 0;

	w->interval = -1;
	at_clear(&w->at, NS_AT_NONE);
	if (strcmp(s, "*") == 0)
		return 0;
	if (*s == '\0')
		return fail(err, errlen, "empty interval");
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p - '0');
		if (v > MAX_INTERVAL)
			return fail(err, errlen, "interval \"%s\" too large",
			    s);
		p++;
	}
	if (p != s)
		w->interval = (int)v;
	switch (*p) {
	case '\0':
		return 0;
	case '@':
		return ns_at_parse_iso(p + 1, &w->at, err, errlen);
	case '$':
		return ns_at_parse_dwm(p + 1, &w->at, err, errlen);
	default:
		return fail(err, errlen,
		    "bad interval \"%s\" (want hours, \"@time\", \"$spec\" "
		    "or \"*\")", s);
	}
}

/* Does the calendar day in tm (normalised by mktime) match the spec? */
static bool
day_matches(const struct ns_at *at, const struct tm *tm, int century)
{
	int year = tm->tm_year + 1900;
	int month = tm->tm_mon + 1;

	if (at->year != NS_ANY) {
		int want = at->year2 ? century + at->year : at->year;

		if (year != want)
			return false;
	}
	if (at->month != NS_ANY && month != at->month)
		return false;
	if (at->mday == NS_MDAY_LAST) {
		if (tm->tm_mday != ns_days_in_month(year, month))
			return false;
	} else if (at->mday != NS_ANY && tm->tm_mday != at->mday)
		return false;
	if (at->wday != NS_ANY && tm->tm_wday != at->wday)
		return false;
	return true;
}

time_t
ns_at_prev(const struct ns_at *at, time_t now, int maxdays)
{
	struct tm today, tm;
	int century, k;
	time_t t;

	if (at->kind == NS_AT_NONE || localtime_r(&now, &today) == NULL)
		return -1;
	century = (today.tm_year + 1900) / 100 * 100;
	for (k = 0; k <= maxdays; k++) {
		/* Noon of the day k days back: clear of any DST change. */
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = today.tm_year;
		tm.tm_mon = today.tm_mon;
		tm.tm_mday = today.tm_mday - k;
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		if (mktime(&tm) == (time_t)-1)
			continue;
		if (!day_matches(at, &tm, century))
			continue;
		tm.tm_hour = at->hour;
		tm.tm_min = at->min;
		tm.tm_sec = at->sec;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t != (time_t)-1 && t <= now)
			return t;
	}
	return -1;
}

int
ns_parse_now(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	long long v;
	int n, y, mo, d, h, mi, sec = 0, off = 0;
	bool zone = false;
	time_t t;

	if (*s == '\0')
		return -1;
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0') {
		errno = 0;
		v = strtoll(s, NULL, 10);
		if (errno != 0 || (long long)(time_t)v != v)
			return -1;
		*out = (time_t)v;
		return 0;
	}
	n = 0;
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &n) != 5 || n == 0)
		return -1;
	p = s + n;
	if (p[0] == ':' && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2])) {
		sec = digits(p + 1, 2);
		p += 3;
	}
	if (*p == 'Z' || *p == 'z') {
		zone = true;
		p++;
	} else if ((*p == '+' || *p == '-') && digits(p + 1, 2) >= 0 &&
	    p[3] == ':' && digits(p + 4, 2) >= 0) {
		zone = true;
		off = digits(p + 1, 2) * 60 + digits(p + 4, 2);
		if (*p == '-')
			off = -off;
		p += 6;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 ||
	    d > ns_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if (zone) {
		t = timegm(&tm);
		if (t == (time_t)-1)
			return -1;
		t -= (time_t)off * 60;
	} else {
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
	}
	*out = t;
	return 0;
}
