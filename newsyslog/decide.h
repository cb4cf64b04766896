/*
 * Whether a log is trimmed now: a pure function of the configuration
 * entry, what is known about the log and its newest archive, the time,
 * and -F.  The caller gathers the facts (rotate.c) and acts on the result.
 */
#ifndef NEWSYSLOG_DECIDE_H
#define NEWSYSLOG_DECIDE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "conf.h"

struct ns_logstate {
	bool	exists;		/* the log is there */
	bool	regular;	/* ... and is a regular file */
	off_t	size;		/* its length in bytes */
	bool	has_archive;	/* .0 exists, compressed or not */
	time_t	archive_mtime;	/* modification time of the newest .0 */
};

enum ns_verdict {
	NS_KEEP,		/* no condition is met */
	NS_TRIM_SIZE,		/* size >= the size field */
	NS_TRIM_AGE,		/* the interval has passed (or no archive yet) */
	NS_TRIM_TIME,		/* an "@" or "$" time came in the last hour */
	NS_TRIM_FORCE,		/* -F, and no other reason */
	NS_MISSING_CREATE,	/* the log is missing; the C flag creates it */
	NS_MISSING,		/* the log is missing; skipped */
	NS_NOT_REGULAR		/* not a regular file; skipped */
};

struct ns_decision {
	enum ns_verdict	verdict;
	long		size_kib;	/* the log's size, rounded down */
	int		age_hours;	/* of the archive, rounded; -1 if none */
	time_t		at;		/* the last "@"/"$" time; -1 if none */
};

/* A time specification is honoured for this long after it comes. */
#define NS_AT_WINDOW	3600

void	ns_decide(const struct ns_entry *e, const struct ns_logstate *st,
	    time_t now, bool force, struct ns_decision *d);

/* "log size >= size", ... : the reason for a verdict, for -v. */
const char *ns_verdict_str(enum ns_verdict v);

#endif
