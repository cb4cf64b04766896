/*
 * The "log file turned over" notice, written in the format of the log
 * it goes into: BSD ("Mmm dd hh:mm:ss host newsyslog[pid]: ...") or
 * RFC 5424 ("2026-11-23T12:00:00.000000+00:00 host newsyslog pid - - ...").
 * Pure: the caller reads the lines and supplies time, host and pid.
 */
#ifndef NEWSYSLOG_NOTICE_H
#define NEWSYSLOG_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define NS_NOTICE_TEXT	"log file turned over"
#define NS_NOTICE_PRI	46	/* syslog.info, when the log keeps <PRI> */

enum ns_logfmt { NS_FMT_UNKNOWN, NS_FMT_BSD, NS_FMT_RFC5424 };

struct ns_fmtinfo {
	enum ns_logfmt	fmt;
	bool		pri;	/* the lines start with "<PRI>" */
};

/* The format of one line (without its newline). */
void	ns_detect_line(const char *line, size_t len, struct ns_fmtinfo *fi);

/*
 * The format of a log from its first and its last complete line (either
 * may be NULL): the last line decides when it is recognised, else the
 * first, else BSD without PRI.
 */
void	ns_detect_format(const char *first, size_t flen, const char *last,
	    size_t llen, struct ns_fmtinfo *fi);

/*
 * Writes the notice, with its newline, into out (cut to cap - 1 bytes,
 * NUL-terminated).  now and usec are the time; host is gethostname();
 * BSD lines use it up to the first dot (unless it is an IPv4 address).
 * Returns the length written.
 */
size_t	ns_notice(char *out, size_t cap, const struct ns_fmtinfo *fi,
	    time_t now, long usec, const char *host, long pid);

#endif
