/*
 * The running daemon: its options, its inputs, its actions and the
 * configuration they were built from.  Everything the event loop needs is
 * reachable from one struct syslogd; there is no other global state.
 */
#ifndef SYSLOGD_DAEMON_H
#define SYSLOGD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "msg.h"
#include "strutil.h"
#include "tzcache.h"

struct event_base;
struct event;
struct evdns_base;
struct action;
struct input;
struct tlsnet;
struct resolver;
struct signer;

/* What the command line says; fixed for the life of the process. */
struct options {
	const char	*conf_file;
	const char	*pid_file;	/* NULL: none */
	bool		 pid_file_given;	/* -i */
	bool		 sockets_given;	/* -p or -P */
	struct strlist	 sockets;	/* -p, -P */
	struct strlist	 udp_binds;	/* -b */
	bool		 secure;	/* -s: no UDP reception */
	bool		 debug;		/* -d */
	bool		 foreground;	/* -F or -d */
	bool		 no_klog;	/* -K */
	bool		 keep_kern;	/* -k */
	bool		 numeric;	/* -n */
	bool		 no_repeat;	/* -r */
	bool		 sync_kernel;	/* -S */
	bool		 use_local_time;	/* -T */
	bool		 eq_default;	/* -U */
	bool		 no_overflow_report;	/* -X */
	int		 verbose;	/* -v count, at most 2 */
	int		 mark_minutes;	/* -m; 0: off */
	enum msg_format	 format;	/* -o */
	long		 rcvbuf;	/* -B; 0: built-in default */
	const char	*user, *group, *chroot_dir;
};

/* Counters of messages syslogd itself could not take in. */
struct input_stats {
	unsigned long long	received;
	unsigned long long	truncated;
	/* receive buffer full: datagrams (Linux), overflows (NetBSD) */
	unsigned long long	lost;
};

struct syslogd {
	struct options		 opt;
	struct event_base	*base;
	struct evdns_base	*dns;		/* created when a name is needed */
	char			 fqdn[MSG_HOST_MAX + 1];
	char			 shortname[MSG_HOST_MAX + 1];
	pid_t			 pid;

	/* the running configuration and the actions built from it */
	struct conf		*conf;
	struct action		**actions;	/* one per rule, same order */
	size_t			 nactions;

	struct input		*inputs;	/* linked list */
	struct tlsnet		*tn;		/* TLS listener, contexts */
	struct resolver		*resolver;	/* UDP senders' names, unless -n */
	bool			 resolver_failed;	/* could not be set up */
	struct signer		*signer;	/* syslog-sign: key, groups */
	/* during a reload: the old actions, for TLS destinations to adopt */
	struct action		**old_actions;
	size_t			 nold_actions;
	struct input_stats	 in_stats;

	struct event		*exit_timer;	/* SIGTERM: draining TLS */
	int			 exit_ticks;
	struct event		*mark_timer;	/* only when a rule wants marks */
	struct event		*sig_events[8];
	size_t			 nsig_events;

	/* scratch space for the one message being handled */
	struct msg		*scratch;
	/* buffers for each output format of that message */
	char			*fmtbuf[2];
	size_t			 fmtlen[2], fmtbody[2];
	bool			 fmtdone[2];
	const struct msg	*fmt_for;	/* what fmtbuf holds */
	struct tzcache		 tz;		/* for parsing and formatting */
	/* syslogd's own messages raised while routing another wait here */
	int			 dispatch_depth;
	struct msg		**pending;
	size_t			 npending;
	unsigned long long	 pending_dropped;
	/* actions with buffered output, written at the end of each batch */
	struct action		*dirty;
	struct event		*flush_ev;	/* daemon_flush_soon() */

	bool			 started;	/* the first configuration is live */
	bool			 privileged_reopen_warned;
};

#define FMTBUF_SIZE	(MSG_TEXT_MAX + MSG_SD_MAX + 1024)

/* Reads a whole (configuration) file; NULL with errno on failure. */
char	*daemon_read_file(const char *path, size_t *lenp);
/* Microseconds on the monotonic clock, for intervals and deadlines. */
uint64_t daemon_clock_us(void);
/* Loads conf_file; with initial unset a bad file keeps the old config. */
int	daemon_load_config(struct syslogd *sd, bool initial);
/* Routes one parsed message to every matching action. */
void	daemon_dispatch(struct syslogd *sd, struct msg *m);
/* Writes everything that actions buffered during this batch. */
void	daemon_flush(struct syslogd *sd);
/*
 * The same once every callback this turn of the event loop has ready has
 * run, before the loop sleeps: for inputs, so that a turn costs one write
 * per file however many connections and sockets it served.
 */
void	daemon_flush_soon(struct syslogd *sd);
/* Formats sd->scratch-or-m in format f once per dispatch. */
const char *daemon_formatted(struct syslogd *sd, const struct msg *m,
	    enum msg_format f, size_t *len, size_t *body_off);
void	daemon_free_config(struct syslogd *sd);
void	daemon_report_counters(struct syslogd *sd);
/* Routes a message of syslogd's own (malloc'ed; freed here). */
void	daemon_dispatch_own(struct syslogd *sd, struct msg *m);

#endif
