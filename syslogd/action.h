/*
 * Actions: where matching messages go.  Each rule of the configuration
 * has one action; each action owns its output buffer (a bounded queue),
 * its repeat-compression state and its counters.  The type-specific
 * parts (files, pipes, terminals, UDP) live in act*.c behind struct
 * action_ops.
 */
#ifndef SYSLOGD_ACTION_H
#define SYSLOGD_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/types.h>

#include "conf.h"
#include "mqueue.h"
#include "msg.h"

struct syslogd;
struct action;
struct evbuffer;
struct event;
struct addrinfo;
struct evdns_getaddrinfo_request;
struct tls_dest;

/* Why messages were lost; each has its counter. */
enum drop_reason {
	DROP_QUEUE_FULL,	/* the backlog's limits */
	DROP_SPOOL_FULL,	/* spool_size reached, or the spool failed */
	DROP_WRITE_ERROR,	/* an error that waiting does not cure */
	DROP_UNUSABLE,		/* the action could not be set up */
	DROP_CLOSED,		/* still queued at exit or reload */
	DROP_CUT,		/* a pipe's command exited mid-line */
	DROP_NO_MEMORY,
	DROP_NREASONS
};

struct action_counters {
	unsigned long long	received;	/* messages that matched */
	unsigned long long	written;	/* handed to the kernel */
	unsigned long long	dropped;	/* lost, the sum of dropped_by */
	unsigned long long	dropped_by[DROP_NREASONS];
	unsigned long long	reported_by[DROP_NREASONS];
	unsigned long long	dropped_reported;
	unsigned long long	truncated;
	unsigned long long	resent;		/* TLS: sent again after a reconnect */
	unsigned long long	spooled;	/* TLS: written to the spool file */
	unsigned long long	spool_damaged;	/* records skipped, reported */
};

enum action_kind { K_FILE, K_FIFO, K_TTY, K_CONSOLE, K_PIPE, K_USERS,
	K_WALL, K_UDP, K_TLS };

struct action_ops {
	/* Opens what the action writes to.  Returns 0 or -1 (reported). */
	int	(*open)(struct syslogd *, struct action *);
	/*
	 * Takes one message; wire is its formatted form with <PRI>, and
	 * body_off where the line without PRI starts.  No newline.
	 */
	void	(*write)(struct syslogd *, struct action *, const struct msg *,
		    const char *wire, size_t len, size_t body_off);
	/* Writes what was buffered in this batch. */
	void	(*flush)(struct syslogd *, struct action *);
	void	(*close)(struct syslogd *, struct action *);
	/* Optional: a write failed with err (not EAGAIN).  Default: report. */
	void	(*write_error)(struct syslogd *, struct action *, int err);
	/* Optional: writes from out to fd, as evbuffer_write (the default). */
	int	(*write_out)(struct action *);
};

struct action {
	struct syslogd		*sd;		/* for event callbacks */
	const struct conf_rule	*rule;
	const struct action_ops	*ops;
	enum action_kind	 kind;
	char			*name;		/* for messages: path, |cmd, @host */
	int			 fd;
	bool			 broken;	/* unusable until next reload */
	int			 last_errno;	/* reported once per change */

	/*
	 * out holds this batch's lines until the end of the batch; while
	 * the destination cannot take them (blocked), lines wait in the
	 * bounded backlog instead, which drops the least severe first.
	 */
	struct evbuffer		*out;
	size_t			 queued_msgs;	/* messages in out */
	struct mqueue		 backlog;
	bool			 blocked;
	struct event		*write_ev;	/* waiting for the fd */
	struct event		*retry_timer;	/* ENOSPC and restarts */
	struct action		*next_dirty;
	bool			 dirty;
	bool			 saw_kernel;	/* -S: fsync at flush */

	/* repeat compression */
	char			*rep_key;	/* host\0app\0procid\0msgid\0sd\0text */
	size_t			 rep_keylen, rep_keycap;
	int			 rep_fac, rep_sev;
	unsigned		 rep_count;	/* suppressed duplicates */
	int			 rep_step;	/* back-off index */
	struct event		*rep_timer;
	time_t			 last_write;	/* for marks */
	time_t			 drop_reported_at;

	/* type-specific state */
	pid_t			 child;		/* pipes */
	time_t			 started;	/* pipes: last start */
	int			 pipe_rfd;	/* pipes: our copy of the read end */
	struct evbuffer		*unread;	/* pipes: what the command may not
						   have read, after one byte before */
	struct addrinfo		*addrs;		/* UDP destination */
	struct evdns_getaddrinfo_request *resolving;
	int			 backoff;	/* seconds until the next retry */
	int			 udp_fd4, udp_fd6;
	struct tls_dest		*tls;		/* TLS destinations */
	int			 sign_slot;	/* -1: not signed; sign_sg=3: its group */

	struct action_counters	 cnt;
};

/* Builds the action for rule r; never NULL unless out of memory. */
struct action	*action_new(struct syslogd *sd, const struct conf_rule *r);
void		 action_free(struct syslogd *sd, struct action *a);
/* Offers m to a; applies repeat compression and formatting. */
void		 action_submit(struct syslogd *sd, struct action *a,
		    const struct msg *m);
/* Writes a pending "last message repeated" line now. */
void		 action_flush_repeat(struct syslogd *sd, struct action *a);
/* Queues bytes for writing at the end of the batch, within limits. */
bool		 action_enqueue(struct syslogd *sd, struct action *a, int sev,
		    const char *line, size_t len, const char *prefix,
		    size_t prefixlen);
/* The write op of files and pipes: one line, without PRI unless kept. */
void		 action_write_line(struct syslogd *sd, struct action *a,
		    const struct msg *m, const char *wire, size_t len,
		    size_t body_off);
/* Puts a record (with its newline) into the backlog; counts drops. */
bool		 action_backlog(struct action *a, int sev, const char *rec,
		    size_t len);
/* Sets the backlog limits. */
void		 action_set_limits(struct action *a, const struct queue_limit *q);
/* Counts n messages lost for reason why. */
void		 action_drop(struct action *a, enum drop_reason why,
		    unsigned long long n);
/* Drops everything queued, counting it. */
void		 action_discard(struct action *a, enum drop_reason why);
/* Writes the queue to a.fd; registers for writability when needed. */
void		 action_write_queue(struct syslogd *sd, struct action *a);
/*
 * Formats counts (by reason) as "queue full" when there is one reason,
 * else "3 queue full, 2 write error"; a write error names err when set.
 */
size_t		 action_drop_reasons(const unsigned long long *counts, int err,
		    char *buf, size_t size);
/* Says how many messages were dropped since the last report, and why. */
void		 action_report_drops(struct syslogd *sd, struct action *a);
void		 action_mark_dirty(struct syslogd *sd, struct action *a);
/* Reports an error once until it changes. */
void		 action_error(struct syslogd *sd, struct action *a, int err,
		    const char *what);

/* SIGCHLD: reaps pipe commands. */
void		 pipe_reap(struct syslogd *sd);

extern const struct action_ops file_ops, pipe_ops, tty_ops, users_ops,
	    udp_ops;

#endif
