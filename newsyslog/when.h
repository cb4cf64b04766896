/*
 * The "when" field of newsyslog.conf: an interval in hours, a restricted
 * ISO 8601 time ("@"), a day/week/month specification ("$"), or both an
 * interval and one of the two.  Also the fixed clock of NEWSYSLOG_NOW.
 *
 * Pure: no I/O and no global state of our own.  Local time follows the TZ
 * environment through localtime_r() and mktime().
 */
#ifndef NEWSYSLOG_WHEN_H
#define NEWSYSLOG_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define NS_ANY		(-1)	/* a field that matches every value */
#define NS_MDAY_LAST	32	/* "L": the last day of the month */

enum ns_at_kind {
	NS_AT_NONE,		/* no time specification */
	NS_AT_ISO,		/* "@[[[[cc]yy]mm]dd][T[hh[mm[ss]]]]" */
	NS_AT_DWM		/* "$D..", "$W..", "$M.." */
};

/*
 * A recurring local time: it happens on every day whose year, month,
 * day of the month and day of the week match (NS_ANY matches all), at
 * hour:min:sec.  year2 is true when the year was written with two digits
 * and then belongs to the century of the current date.
 */
struct ns_at {
	enum ns_at_kind	kind;
	int		year;	/* full year, or 0..99 with year2, or NS_ANY */
	bool		year2;
	int		month;	/* 1..12 or NS_ANY */
	int		mday;	/* 1..31, NS_MDAY_LAST or NS_ANY */
	int		wday;	/* 0..6 (0 = Sunday) or NS_ANY */
	int		hour;	/* 0..23 */
	int		min;	/* 0..59 */
	int		sec;	/* 0..59 */
};

struct ns_when {
	int		interval;	/* hours, or -1 for none ("*") */
	struct ns_at	at;
};

/*
 * Parses a whole "when" field.  Returns 0, or -1 with a reason in err
 * (always NUL-terminated when errlen > 0).
 */
int	ns_when_parse(const char *s, struct ns_when *w, char *err, size_t errlen);

/* The parts after "@" and after "$" on their own (used by ns_when_parse). */
int	ns_at_parse_iso(const char *s, struct ns_at *at, char *err, size_t errlen);
int	ns_at_parse_dwm(const char *s, struct ns_at *at, char *err, size_t errlen);

/* Days in a month of a year of the Gregorian calendar (month 1..12). */
int	ns_days_in_month(int year, int month);
bool	ns_is_leap(int year);

/*
 * The latest time at or before now at which the specification happens,
 * looking back at most maxdays days before today; -1 when there is none.
 */
time_t	ns_at_prev(const struct ns_at *at, time_t now, int maxdays);

/*
 * The fixed clock: "SECONDS" since the epoch, or
 * "YYYY-MM-DDTHH:MM[:SS]" in local time, optionally followed by "Z" or a
 * "+hh:mm" / "-hh:mm" offset.  Returns 0, or -1 when malformed.
 */
int	ns_parse_now(const char *s, time_t *out);

#endif
