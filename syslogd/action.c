/*
 * What every action does the same way: repeat compression, the bounded
 * output queue, batching and error reporting.  The type-specific parts
 * are in act*.c.
 */
#include "action.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "daemon.h"
#include "ilog.h"
#include "sign.h"
#include "tlsnet.h"

/* Seconds before a pending "repeated" count is written, then backed off. */
static const int repeat_delays[] = { 30, 120, 600 };
#define NREPEAT_DELAYS (sizeof(repeat_delays) / sizeof(repeat_delays[0]))

static enum action_kind
kind_of(const struct conf_action *ca)
{
	switch (ca->type) {
	case ACT_FILE:		return K_FILE;	/* refined when opened */
	case ACT_CONSOLE:	return K_CONSOLE;
	case ACT_PIPE:		return K_PIPE;
	case ACT_USERS:		return K_USERS;
	case ACT_WALL:		return K_WALL;
	case ACT_UDP:		return K_UDP;
	case ACT_TLS:		return K_TLS;
	}
	return K_FILE;
}

static const struct action_ops *
ops_of(enum action_kind k)
{
	switch (k) {
	case K_FILE: case K_FIFO:		return &file_ops;
	case K_TTY: case K_CONSOLE:		return &tty_ops;
	case K_PIPE:				return &pipe_ops;
	case K_USERS: case K_WALL:		return &users_ops;
	case K_UDP:				return &udp_ops;
	case K_TLS:				return &tls_dest_ops;
	}
	return NULL;
}

static char *
display_name(const struct conf_action *ca)
{
	const char *pfx = "";
	size_t len;
	char *s;

	switch (ca->type) {
	case ACT_PIPE:		pfx = "|"; break;
	case ACT_UDP:		pfx = "@"; break;
	case ACT_TLS:		break;
	case ACT_WALL:		return strdup("*");
	case ACT_USERS:
		return strdup(ca->users.n > 0 ? ca->users.v[0] : "users");
	default:		break;
	}
	len = strlen(pfx) + strlen(ca->target ? ca->target : "") +
	    (ca->port ? strlen(ca->port) : 0) + 8;
	if ((s = malloc(len)) == NULL)
		return NULL;
	if (ca->type == ACT_TLS)
		snprintf(s, len, "@[%s]%s%s", ca->target, ca->port ? ":" : "",
		    ca->port ? ca->port : "");
	else if (ca->type == ACT_UDP && ca->port != NULL)
		snprintf(s, len, "@%s:%s", ca->target, ca->port);
	else
		snprintf(s, len, "%s%s", pfx, ca->target ? ca->target : "");
	return s;
}

struct action *
action_new(struct syslogd *sd, const struct conf_rule *r)
{
	struct action *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->sd = sd;
	a->rule = r;
	a->kind = kind_of(&r->act);
	a->ops = ops_of(a->kind);
	a->fd = -1;
	a->udp_fd4 = a->udp_fd6 = -1;
	a->child = -1;
	a->pipe_rfd = -1;
	a->sign_slot = -1;
	a->name = display_name(&r->act);
	a->out = evbuffer_new();
	action_set_limits(a, a->kind == K_PIPE ? &sd->conf->opt.pipe_queue :
	    a->kind == K_TLS ? &sd->conf->opt.tls_queue :
	    &sd->conf->opt.file_queue);
	if (a->name == NULL || a->out == NULL) {
		action_free(sd, a);
		return NULL;
	}
	if (a->kind == K_TLS)
		(void)tlsnet_adopt(sd, a, sd->old_actions, sd->nold_actions);
	if (a->ops->open(sd, a) == -1)
		a->broken = true;
	return a;
}

void
action_free(struct syslogd *sd, struct action *a)
{
	if (a == NULL)
		return;
	action_flush_repeat(sd, a);
	if (a->ops != NULL && !a->broken && a->out != NULL &&
	    evbuffer_get_length(a->out) > 0)
		a->ops->flush(sd, a);
	if (a->ops != NULL)
		a->ops->close(sd, a);
	if (a->queued_msgs + a->backlog.count > 0)
		ilog(sd, LOG_WARNING, "%s: %zu messages not written at close",
		    a->name, a->queued_msgs + a->backlog.count);
	action_discard(a, DROP_CLOSED);
	if (a->dirty) {
		struct action **pp;
		for (pp = &sd->dirty; *pp != NULL; pp = &(*pp)->next_dirty)
			if (*pp == a) {
				*pp = a->next_dirty;
				break;
			}
	}
	if (a->write_ev != NULL)
		event_free(a->write_ev);
	if (a->retry_timer != NULL)
		event_free(a->retry_timer);
	if (a->rep_timer != NULL)
		event_free(a->rep_timer);
	if (a->out != NULL)
		evbuffer_free(a->out);
	free(a->rep_key);
	free(a->name);
	free(a);
}

void
action_error(struct syslogd *sd, struct action *a, int err, const char *what)
{
	if (err == a->last_errno)
		return;
	a->last_errno = err;
	ilog(sd, LOG_ERR, "%s: %s: %s", a->name, what, strerror(err));
}

void
action_mark_dirty(struct syslogd *sd, struct action *a)
{
	if (a->dirty)
		return;
	a->dirty = true;
	a->next_dirty = sd->dirty;
	sd->dirty = a;
}

void
action_set_limits(struct action *a, const struct queue_limit *q)
{
	a->backlog.max_count = q->length;
	a->backlog.max_bytes = q->size;
}

void
action_drop(struct action *a, enum drop_reason why, unsigned long long n)
{
	a->cnt.dropped += n;
	a->cnt.dropped_by[why] += n;
}

void
action_discard(struct action *a, enum drop_reason why)
{
	action_drop(a, why, a->queued_msgs + a->backlog.count);
	a->queued_msgs = 0;
	if (a->out != NULL)
		evbuffer_drain(a->out, evbuffer_get_length(a->out));
	mq_clear(&a->backlog);
}

/*
 * Files and pipes: the line without PRI (unless "+" keeps it), with the
 * -v tag in front.
 */
void
action_write_line(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len, size_t body_off)
{
	char tag[48];
	size_t taglen = 0;

	if (!a->rule->act.keep_pri) {
		wire += body_off;
		len -= body_off;
		if (sd->opt.verbose > 0)
			taglen = msg_verbose_tag(m->fac, m->sev,
			    sd->opt.verbose, tag, sizeof(tag));
	}
	action_enqueue(sd, a, m->sev, wire, len, tag, taglen);
}

bool
action_backlog(struct action *a, int sev, const char *rec, size_t len)
{
	int dropped = mq_push(&a->backlog, sev, rec, len);

	action_drop(a, dropped < 0 ? DROP_NO_MEMORY : DROP_QUEUE_FULL,
	    dropped < 0 ? 1 : (unsigned)dropped);
	return dropped == 0;
}

/*
 * The fast path appends to this batch's buffer; a destination that is
 * not taking lines gets them in its backlog, whose limits decide what is
 * dropped.
 */
bool
action_enqueue(struct syslogd *sd, struct action *a, int sev,
    const char *line, size_t len, const char *prefix, size_t prefixlen)
{
	char small[2048], *rec;
	size_t need = prefixlen + len + 1;
	bool ok;

	action_mark_dirty(sd, a);
	if (!a->blocked && a->backlog.count == 0) {
		if ((prefixlen > 0 &&
		    evbuffer_add(a->out, prefix, prefixlen) == -1) ||
		    evbuffer_add(a->out, line, len) == -1 ||
		    evbuffer_add(a->out, "\n", 1) == -1) {
			action_drop(a, DROP_NO_MEMORY, 1);
			return false;
		}
		a->queued_msgs++;
		return true;
	}
	rec = need <= sizeof(small) ? small : malloc(need);
	if (rec == NULL) {
		action_drop(a, DROP_NO_MEMORY, 1);
		return false;
	}
	memcpy(rec, prefix, prefixlen);
	memcpy(rec + prefixlen, line, len);
	rec[need - 1] = '\n';
	ok = action_backlog(a, sev, rec, need);
	if (rec != small)
		free(rec);
	return ok;
}

static void
write_ready(evutil_socket_t fd, short what, void *arg)
{
	struct action *a = arg;

	action_write_queue(a->sd, a);
}

/*
 * Writes as much of the queue as the descriptor takes.  A full pipe,
 * FIFO or terminal makes us wait for it to drain instead of blocking the
 * loop; a full disk keeps the bytes and retries later.
 */
void
action_write_queue(struct syslogd *sd, struct action *a)
{
	struct mq_ent *e;
	size_t moved;
	int n;

	for (;;) {
		while (a->fd != -1 && evbuffer_get_length(a->out) > 0) {
			n = a->ops->write_out != NULL ? a->ops->write_out(a) :
			    evbuffer_write(a->out, a->fd);
			if (n > 0)
				continue;
			if (n == -1 && errno == EINTR)
				continue;
			a->blocked = true;
			if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				if (a->write_ev == NULL)
					a->write_ev = event_new(sd->base, a->fd,
					    EV_WRITE, write_ready, a);
				if (a->write_ev != NULL)
					event_add(a->write_ev, NULL);
				return;
			}
			if (n == -1 && a->ops->write_error != NULL)
				a->ops->write_error(sd, a, errno);
			else
				action_error(sd, a, n == -1 ? errno : EIO,
				    "write");
			return;
		}
		if (a->fd == -1) {
			a->blocked = true;
			return;
		}
		a->cnt.written += a->queued_msgs;
		a->queued_msgs = 0;
		a->blocked = false;
		if (a->last_errno != 0) {
			a->last_errno = 0;
			ilog(sd, LOG_NOTICE, "%s: writing again", a->name);
		}
		if (a->backlog.count == 0)
			return;
		/* The backlog goes out oldest first, a bounded chunk at a time. */
		for (moved = 0; moved < 256 * 1024 &&
		    (e = mq_pop(&a->backlog)) != NULL;) {
			evbuffer_add(a->out, e->data, e->len);
			moved += e->len;
			a->queued_msgs++;
			free(e);
		}
	}
}

/*
 * Repeat compression compares host, program, pid, MSGID, structured data
 * and text (NetBSD compares only the text, folding different programs'
 * messages; and RFC 5848 blocks, which have no text, differ only in
 * their SD).  The previous message's key is kept as
 * "host\0app\0procid\0msgid\0sd\0text\0".
 */
#define REP_PARTS	6
static void
repeat_parts(const struct msg *m, const char *parts[REP_PARTS],
    size_t lens[REP_PARTS])
{
	/* The host as written: a message without HOSTNAME is its sender's. */
	parts[0] = m->host[0] != '\0' ? m->host :
	    m->recvhost != NULL ? m->recvhost : "";
	lens[0] = strlen(parts[0]);
	parts[1] = m->app;	lens[1] = strlen(m->app);
	parts[2] = m->procid;	lens[2] = strlen(m->procid);
	parts[3] = m->msgid;	lens[3] = strlen(m->msgid);
	parts[4] = m->sd;	lens[4] = m->sdlen;
	parts[5] = m->text;	lens[5] = m->textlen;
}

static bool
repeat_same(const struct action *a, const struct msg *m)
{
	const char *parts[REP_PARTS];
	size_t lens[REP_PARTS], off = 0;

	if (a->rep_key == NULL || m->fac != a->rep_fac || m->sev != a->rep_sev)
		return false;
	repeat_parts(m, parts, lens);
	for (int i = 0; i < REP_PARTS; i++) {
		if (off + lens[i] + 1 > a->rep_keylen ||
		    memcmp(a->rep_key + off, parts[i], lens[i]) != 0 ||
		    a->rep_key[off + lens[i]] != '\0')
			return false;
		off += lens[i] + 1;
	}
	return off == a->rep_keylen;
}

static void
repeat_remember(struct action *a, const struct msg *m)
{
	const char *parts[REP_PARTS];
	size_t lens[REP_PARTS], need = 0, off = 0;
	char *nk;

	repeat_parts(m, parts, lens);
	for (int i = 0; i < REP_PARTS; i++)
		need += lens[i] + 1;
	if (need > a->rep_keycap) {
		if ((nk = realloc(a->rep_key, need)) == NULL) {
			free(a->rep_key);
			a->rep_key = NULL;
			a->rep_keycap = a->rep_keylen = 0;
			return;
		}
		a->rep_key = nk;
		a->rep_keycap = need;
	}
	for (int i = 0; i < REP_PARTS; i++) {
		memcpy(a->rep_key + off, parts[i], lens[i]);
		a->rep_key[off + lens[i]] = '\0';
		off += lens[i] + 1;
	}
	a->rep_keylen = need;
	a->rep_fac = m->fac;
	a->rep_sev = m->sev;
}

static void
deliver(struct syslogd *sd, struct action *a, const struct msg *m)
{
	size_t len, body;
	const char *wire;

	if (a->broken)
		return;
	wire = daemon_formatted(sd, m, sd->opt.format, &len, &body);
	a->ops->write(sd, a, m, wire, len, body);
	if (a->sign_slot >= 0)
		sign_add(sd, a, m, wire, len);
	if (m->flags & MSG_F_KERNEL)
		a->saw_kernel = true;
	a->last_write = time(NULL);
}

static void
repeat_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct action *a = arg;

	action_flush_repeat(a->sd, a);
	if (a->rep_step < (int)NREPEAT_DELAYS - 1)
		a->rep_step++;
	daemon_flush(a->sd);
}

void
action_flush_repeat(struct syslogd *sd, struct action *a)
{
	struct msg *m;
	struct timeval now;
	char text[64];
	int n;

	if (a->rep_count == 0)
		return;
	if (a->rep_timer != NULL)
		event_del(a->rep_timer);
	/* The pending count refers to the previous message; it is not the
	 * one in sd->scratch, so it gets a message of its own. */
	if ((m = malloc(sizeof(*m))) == NULL) {
		a->rep_count = 0;
		return;
	}
	gettimeofday(&now, NULL);
	msg_init_local(m, a->rep_fac, a->rep_sev, "syslogd", (long)sd->pid,
	    &now);
	m->recvhost = sd->fqdn;
	n = snprintf(text, sizeof(text), "last message repeated %u time%s",
	    a->rep_count, a->rep_count == 1 ? "" : "s");
	msg_set_text(m, text, (size_t)n);
	a->rep_count = 0;
	deliver(sd, a, m);
	free(m);
}

void
action_submit(struct syslogd *sd, struct action *a, const struct msg *m)
{
	a->cnt.received++;
	if (a->broken) {
		action_drop(a, DROP_UNUSABLE, 1);
		return;
	}
	if (sd->opt.no_repeat || (m->flags & MSG_F_MARK)) {
		deliver(sd, a, m);
		return;
	}
	if (repeat_same(a, m)) {
		if (++a->rep_count == 1) {
			struct timeval tv = { repeat_delays[a->rep_step], 0 };

			if (a->rep_timer == NULL)
				a->rep_timer = evtimer_new(sd->base,
				    repeat_timeout, a);
			if (a->rep_timer != NULL)
				evtimer_add(a->rep_timer, &tv);
		}
		return;
	}
	action_flush_repeat(sd, a);
	a->rep_step = 0;
	repeat_remember(a, m);
	deliver(sd, a, m);
}

static const char *const drop_reason_names[DROP_NREASONS] = {
	[DROP_QUEUE_FULL] = "queue full",
	[DROP_SPOOL_FULL] = "spool full",
	[DROP_WRITE_ERROR] = "write error",
	[DROP_UNUSABLE] = "action unusable",
	[DROP_CLOSED] = "not written at close",
	[DROP_CUT] = "cut by the command's exit",
	[DROP_NO_MEMORY] = "out of memory",
};

size_t
action_drop_reasons(const unsigned long long *counts, int err, char *buf,
    size_t size)
{
	size_t len = 0;
	int nreasons = 0, n;

	for (int i = 0; i < DROP_NREASONS; i++)
		nreasons += counts[i] > 0;
	if (size > 0)
		buf[0] = '\0';
	for (int i = 0; i < DROP_NREASONS && len < size; i++) {
		if (counts[i] == 0)
			continue;
		if (nreasons > 1)
			n = snprintf(buf + len, size - len, "%s%llu %s",
			    len > 0 ? ", " : "", counts[i],
			    drop_reason_names[i]);
		else
			n = snprintf(buf + len, size - len, "%s",
			    drop_reason_names[i]);
		if (n < 0)
			break;
		len += (size_t)n;
		if (i == DROP_WRITE_ERROR && err != 0 && len < size) {
			n = snprintf(buf + len, size - len, " (%s)",
			    strerror(err));
			if (n > 0)
				len += (size_t)n;
		}
	}
	return len < size ? len : size > 0 ? size - 1 : 0;
}

#define DROP_REPORT_SEC	10	/* at most one drop report per action per period */

/*
 * "N messages to X dropped: why": said when it happens, at most once per
 * period, and never from a timer (an idle daemon does not wake up to say
 * that nothing happened).
 */
void
action_report_drops(struct syslogd *sd, struct action *a)
{
	unsigned long long since[DROP_NREASONS], n;
	time_t now = time(NULL);
	char why[256];

	if (now - a->drop_reported_at < DROP_REPORT_SEC)
		return;
	for (int i = 0; i < DROP_NREASONS; i++) {
		since[i] = a->cnt.dropped_by[i] - a->cnt.reported_by[i];
		a->cnt.reported_by[i] = a->cnt.dropped_by[i];
	}
	n = a->cnt.dropped - a->cnt.dropped_reported;
	a->cnt.dropped_reported = a->cnt.dropped;
	a->drop_reported_at = now;
	action_drop_reasons(since, a->last_errno, why, sizeof(why));
	ilog(sd, LOG_WARNING, "%llu message%s to %s dropped: %s", n,
	    n == 1 ? "" : "s", a->name, why);
}
