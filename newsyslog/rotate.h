/*
 * The I/O part of newsyslog: looking at a log and its archives, shifting
 * and removing archives, writing the rotation notice, replacing the log,
 * signalling the daemon that writes it, waiting until that daemon has
 * reopened it, and compressing the newest archive.
 *
 * A run trims every log first (ns_trim) and then, in ns_finish(), sends
 * each distinct (pid file, signal) pair one signal, waits for the
 * evidence that the daemon let go of each rotated file, and compresses.
 */
#ifndef NEWSYSLOG_ROTATE_H
#define NEWSYSLOG_ROTATE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "conf.h"
#include "decide.h"

/* How long ns_finish() waits for a daemon to reopen its files. */
#ifndef NS_REOPEN_TIMEOUT_MS
#define NS_REOPEN_TIMEOUT_MS	10000
#endif

struct ns_opts {
	bool		dryrun;		/* -n: print, change nothing */
	bool		verbose;	/* -v (and -n): print each step */
	bool		nosignal;	/* -s */
	time_t		now;		/* the clock (NEWSYSLOG_NOW or real) */
	long		usec;
	const char	*host;		/* for the notice */
	long		pid;		/* for the notice */
	FILE		*out;		/* where -v and -n print */
	int		reopen_timeout_ms;
};

struct ns_pending;

/* What a run has left to do after the logs are trimmed. */
struct ns_run {
	struct ns_pending	*v;
	size_t			n;
	size_t			cap;
	int			errors;
};

/* Looks at the log and its newest archive.  Returns 0 or -1 (reported). */
int	ns_examine(const struct ns_entry *e, struct ns_logstate *st);

/* Creates a missing log (the C flag).  Returns 0 or -1 (reported). */
int	ns_create(const struct ns_entry *e, const struct ns_opts *o);

/*
 * Rotates one log: removes the archives from .count-1 up, compresses
 * archives left uncompressed, shifts .i to .i+1, writes the notice at
 * the end of the log and at the start of its replacement, and puts the
 * replacement in place (the old file becomes .0).  Signalling and the
 * compression of .0 are queued in run.  Returns 0 or -1 (reported).
 */
int	ns_trim(struct ns_run *run, const struct ns_entry *e,
	    const struct ns_opts *o);

/* Signals, waits, compresses; frees what run holds.  Returns the number of
 * errors of the whole run (including those counted by ns_trim). */
int	ns_finish(struct ns_run *run, const struct ns_opts *o);

#endif
