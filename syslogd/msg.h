/*
 * A syslog message, parsed once.  msg_parse() takes RFC 3164 (BSD) or
 * RFC 5424 text, detected per message, and never fails: whatever a sender
 * writes becomes a message whose fields are safe to write into a log line.
 * msg_format() writes one message in one output format.
 *
 * Both are pure: no I/O, no global state.  Local time conversions follow
 * the TZ environment, as everything else in the daemon does.
 */
#ifndef SYSLOGD_MSG_H
#define SYSLOGD_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

struct tzcache;

#define MSG_NFAC	24		/* facilities 0..23 (kern..local7) */
#define MSG_HOST_MAX	255
#define MSG_APP_MAX	48		/* RFC 5424 APP-NAME */
#define MSG_PROCID_MAX	128
#define MSG_MSGID_MAX	32
#define MSG_SD_MAX	8192
#define MSG_TEXT_MAX	65536

#define MSG_DEFAULT_PRI	13		/* user.notice */

/* msg.flags */
#define MSG_F_RFC5424	0x0001		/* arrived in RFC 5424 form */
#define MSG_F_NOPRI	0x0002		/* PRI missing or invalid: default used */
#define MSG_F_TRUNCATED	0x0004		/* a field or the text was cut */
#define MSG_F_BOM	0x0008		/* MSG carried a UTF-8 BOM (removed) */
#define MSG_F_MARK	0x0010		/* a -- MARK -- message */
#define MSG_F_NOTIME	0x0020		/* no usable timestamp: receipt time */
#define MSG_F_KERNEL	0x0040		/* read from the kernel log */
#define MSG_F_ESCAPED	0x0080		/* bytes in the text were escaped */

struct msg_time {
	time_t	sec;		/* seconds since the epoch (UTC) */
	int	usec;		/* microseconds */
	int	frac_digits;	/* fraction digits to print: 0..6 */
	int	tzoff;		/* sender's offset east of UTC, in minutes */
	bool	utc_z;		/* sender wrote "Z" rather than +00:00 */
	bool	nil;		/* RFC 5424 NILVALUE "-" */
};

struct msg {
	int		fac;		/* 0..23 */
	int		sev;		/* 0..7 */
	unsigned	flags;		/* MSG_F_* */
	struct msg_time	time;
	char		host[MSG_HOST_MAX + 1];		/* "" = none */
	char		app[MSG_APP_MAX + 1];		/* "" = none */
	char		procid[MSG_PROCID_MAX + 1];	/* "" = none */
	char		msgid[MSG_MSGID_MAX + 1];	/* "" = none */
	size_t		sdlen;
	char		sd[MSG_SD_MAX + 1];		/* "" = none; valid SD */
	size_t		textlen;
	char		text[MSG_TEXT_MAX + 1];		/* escaped, see msg.c */
	/* Who handed the message to us: used when host is "".  Not owned. */
	const char	*recvhost;
};

struct msg_parse_opts {
	struct timeval	now;		/* receipt time */
	bool		use_now;	/* -T, kernel: ignore the sender's time */
	bool		allow_kern;	/* keep facility kern (kernel log, -k) */
	int		default_pri;	/* when PRI is missing: MSG_DEFAULT_PRI */
	struct tzcache	*tz;		/* NULL: no cache */
};

/*
 * Parses len bytes of buf (NUL bytes allowed) into *m.  recvhost is left
 * as it was.  Trailing NUL, CR and LF bytes are not part of the message.
 */
void	msg_parse(struct msg *m, const char *buf, size_t len,
	    const struct msg_parse_opts *o);

/* Fills the header of a message that syslogd makes itself. */
void	msg_init_local(struct msg *m, int fac, int sev, const char *app,
	    long pid, const struct timeval *now);
/* Sets the text of a message, escaped as msg_parse() does. */
void	msg_set_text(struct msg *m, const char *text, size_t len);

enum msg_format { MSG_FMT_BSD, MSG_FMT_RFC5424 };

struct msg_fmt_opts {
	enum msg_format	fmt;
	bool		ascii_only;	/* terminals: escape every non-ASCII byte */
	struct tzcache	*tz;		/* NULL: no cache */
};

/*
 * Writes the whole wire form of m: "<PRI>" then, for BSD,
 * "Mmm dd hh:mm:ss host tag[pid]: [SD ]text", for RFC 5424,
 * "1 TIMESTAMP HOST APP PROCID MSGID SD[ [BOM]MSG]".  No newline.
 * The output is cut to cap - 1 bytes and NUL-terminated.  Returns the
 * length written.  *body_off is the offset just after "<PRI>" (BSD) or
 * "<PRI>1 " (RFC 5424), where file lines without PRI start.
 */
size_t	msg_format(const struct msg *m, const struct msg_fmt_opts *o,
	    char *out, size_t cap, size_t *body_off);

/*
 * "<fac.sev> " for -v: verbose 1 gives numbers ("<1.5> "), 2 or more gives
 * names ("<user.notice> ").  Returns the length written (cut to cap - 1).
 */
size_t	msg_verbose_tag(int fac, int sev, int verbose, char *out, size_t cap);

/* Facility and severity names: "kern", "user", ...; "emerg", ...; NULL if out of range. */
const char *msg_facname(int fac);
const char *msg_sevname(int sev);

/* Name to number, case-insensitive, with the classic aliases
 * ("security" = auth, "panic" = emerg, "error" = err, "warn" = warning).
 * Returns -1 when unknown.  msg_facnum("mark") returns -1: see filter.h. */
int	msg_facnum(const char *name, size_t len);
int	msg_sevnum(const char *name, size_t len);

#endif
