/*
 * Rotation notice.  See notice.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"

static bool
dig(const char *s, size_t len, size_t i)
{
	return i < len && isdigit((unsigned char)s[i]);
}

static bool
is_month(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i;

	for (i = 0; i < 36; i += 3)
		if (memcmp(s, months + i, 3) == 0)
			return true;
	return false;
}

void
ns_detect_line(const char *s, size_t len, struct ns_fmtinfo *fi)
{
	size_t i = 0;

	fi->fmt = NS_FMT_UNKNOWN;
	fi->pri = false;
	/* An optional "<PRI>" (a "+file" action keeps it). */
	if (len > 2 && s[0] == '<' && dig(s, len, 1)) {
		for (i = 1; dig(s, len, i) && i < 5; i++)
			;
		if (i < len && s[i] == '>') {
			fi->pri = true;
			i++;
		} else
			i = 0;
	}
	s += i;
	len -= i;
	/* RFC 5424 after PRI has its version: "1 ". */
	if (fi->pri && len >= 2 && s[0] == '1' && s[1] == ' ') {
		s += 2;
		len -= 2;
	}
	/* "YYYY-MM-DDT" */
	if (len >= 11 && dig(s, len, 0) && dig(s, len, 1) && dig(s, len, 2) &&
	    dig(s, len, 3) && s[4] == '-' && dig(s, len, 5) &&
	    dig(s, len, 6) && s[7] == '-' && dig(s, len, 8) &&
	    dig(s, len, 9) && (s[10] == 'T' || s[10] == 't')) {
		fi->fmt = NS_FMT_RFC5424;
		return;
	}
	/* "Mmm dd hh:mm:ss" */
	if (len >= 15 && is_month(s) && s[3] == ' ' &&
	    (s[4] == ' ' || dig(s, len, 4)) && dig(s, len, 5) &&
	    s[6] == ' ' && dig(s, len, 7) && dig(s, len, 8) && s[9] == ':' &&
	    dig(s, len, 10) && dig(s, len, 11) && s[12] == ':' &&
	    dig(s, len, 13) && dig(s, len, 14)) {
		fi->fmt = NS_FMT_BSD;
		return;
	}
	fi->pri = false;
}

void
ns_detect_format(const char *first, size_t flen, const char *last,
    size_t llen, struct ns_fmtinfo *fi)
{
	if (last != NULL) {
		ns_detect_line(last, llen, fi);
		if (fi->fmt != NS_FMT_UNKNOWN)
			return;
	}
	if (first != NULL) {
		ns_detect_line(first, flen, fi);
		if (fi->fmt != NS_FMT_UNKNOWN)
			return;
	}
	fi->fmt = NS_FMT_BSD;
	fi->pri = false;
}

/* The host up to its first dot, unless it is all digits and dots. */
static size_t
short_host_len(const char *host)
{
	const char *p;

	for (p = host; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			break;
	if (*p == '\0')
		return strlen(host);
	p = strchr(host, '.');
	return p != NULL ? (size_t)(p - host) : strlen(host);
}

size_t
ns_notice(char *out, size_t cap, const struct ns_fmtinfo *fi, time_t now,
    long usec, const char *host, long pid)
{
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;
	char pri[8] = "";
	long off;
	int n;

	if (cap == 0)
		return 0;
	if (host == NULL || *host == '\0')
		host = "-";
	if (localtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	if (fi->fmt == NS_FMT_RFC5424) {
		if (fi->pri)
			snprintf(pri, sizeof(pri), "<%d>1 ", NS_NOTICE_PRI);
		off = tm.tm_gmtoff / 60;
		n = snprintf(out, cap,
		    "%s%04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02ld:%02ld "
		    "%s newsyslog %ld - - %s\n", pri,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, usec,
		    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60,
		    host, pid, NS_NOTICE_TEXT);
	} else {
		if (fi->pri)
			snprintf(pri, sizeof(pri), "<%d>", NS_NOTICE_PRI);
		n = snprintf(out, cap,
		    "%s%s %2d %02d:%02d:%02d %.*s newsyslog[%ld]: %s\n", pri,
		    months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (int)short_host_len(host), host,
		    pid, NS_NOTICE_TEXT);
	}
	if (n < 0) {
		out[0] = '\0';
		return 0;
	}
	return (size_t)n >= cap ? cap - 1 : (size_t)n;
}
