/*
 * The running configuration: loading and reloading it, routing messages
 * through it, the mark timer and the counters report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "action.h"
#include "conf.h"
#include "daemon.h"
#include "filter.h"
#include "ilog.h"
#include "net.h"
#include "resolver.h"
#include "sign.h"
#include "tlsnet.h"

static void dispatch_pending(struct syslogd *);

#define CONF_MAX	(4 * 1024 * 1024)	/* a syslog.conf is never this big */

uint64_t
daemon_clock_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Reads the whole file; NULL with errno set on failure. */
char *
daemon_read_file(const char *path, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb;

			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > CONF_MAX + 1 || (nb = realloc(buf, cap)) == NULL) {
				free(buf);
				close(fd);
				errno = cap > CONF_MAX + 1 ? EFBIG : ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static bool
wants_marks(const struct conf *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (c->rules[i].sel.sevmask[FILTER_FAC_MARK] != 0)
			return true;
	return false;
}

static void
mark_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;
	struct timeval now;
	struct msg *m = sd->scratch;
	time_t half = (time_t)sd->opt.mark_minutes * 30;

	gettimeofday(&now, NULL);
	msg_init_local(m, LOG_SYSLOG >> 3, LOG_INFO, "syslogd", -1, &now);
	msg_set_text(m, "-- MARK --", 10);
	m->flags |= MSG_F_MARK;
	m->recvhost = sd->fqdn;
	sd->fmt_for = NULL;
	for (size_t i = 0; i < sd->nactions; i++) {
		struct action *a = sd->actions[i];

		/* An action written to recently needs no proof of life. */
		if (!selector_match(&a->rule->sel, FILTER_FAC_MARK, LOG_INFO) ||
		    now.tv_sec - a->last_write < half)
			continue;
		action_submit(sd, a, m);
	}
	daemon_flush(sd);
}

static void
arm_marks(struct syslogd *sd)
{
	struct timeval tv = { (time_t)sd->opt.mark_minutes * 60, 0 };

	if (sd->mark_timer != NULL) {
		event_free(sd->mark_timer);
		sd->mark_timer = NULL;
	}
	if (sd->opt.mark_minutes <= 0 || !wants_marks(sd->conf))
		return;
	sd->mark_timer = event_new(sd->base, -1, EV_PERSIST, mark_timeout, sd);
	if (sd->mark_timer != NULL)
		event_add(sd->mark_timer, &tv);
}

void
daemon_free_config(struct syslogd *sd)
{
	struct action **acts = sd->actions;
	size_t n = sd->nactions;

	for (size_t i = 0; i < n; i++)
		action_flush_repeat(sd, acts[i]);
	sign_end(sd, acts, n);
	/* Messages logged while closing (unwritten bytes) still find the
	 * actions that are not yet closed. */
	for (size_t i = 0; i < n; i++) {
		sd->nactions = n - i - 1;
		sd->actions = acts + i + 1;
		action_free(sd, acts[i]);
	}
	free(acts);
	sd->actions = NULL;
	sd->nactions = 0;
	if (sd->flush_ev != NULL)
		event_free(sd->flush_ev);
	sd->flush_ev = NULL;
	if (sd->mark_timer != NULL)
		event_free(sd->mark_timer);
	sd->mark_timer = NULL;
	conf_free(sd->conf);
	sd->conf = NULL;
}

/*
 * Parses the file completely before touching anything.  At start-up a
 * file with errors still runs with the lines that parsed (a syslogd that
 * refuses to start loses everything); on reload any error keeps the old
 * configuration running unchanged.
 */
int
daemon_load_config(struct syslogd *sd, bool initial)
{
	struct conf_env env = { sd->opt.eq_default };
	struct strlist errors = { NULL, 0 };
	struct action **acts;
	struct conf *c;
	struct action **oldacts;
	struct conf *old;
	char *text;
	size_t len, n, nold;

	if ((text = daemon_read_file(sd->opt.conf_file, &len)) == NULL) {
		int saved = errno;

		if (!initial) {
			ilog(sd, LOG_ERR, "%s: %s; keeping the running "
			    "configuration", sd->opt.conf_file, strerror(saved));
			return -1;
		}
		ilog(sd, LOG_ERR, "%s: %s; using *.err /dev/console and "
		    "*.panic *", sd->opt.conf_file, strerror(saved));
		c = conf_fallback(&env);
	} else {
		c = conf_parse(text, len, sd->opt.conf_file, &env, &errors);
		free(text);
	}
	if (c == NULL) {
		ilog(sd, LOG_ERR, "%s: out of memory", sd->opt.conf_file);
		strlist_free(&errors);
		return -1;
	}
	for (size_t i = 0; i < errors.n; i++)
		ilog(sd, LOG_ERR, "%s", errors.v[i]);
	if (errors.n > 0 && !initial) {
		ilog(sd, LOG_ERR, "%s: %zu error%s; keeping the running "
		    "configuration", sd->opt.conf_file, errors.n,
		    errors.n == 1 ? "" : "s");
		strlist_free(&errors);
		conf_free(c);
		return -1;
	}
	strlist_free(&errors);

	/* New actions are built while the old ones still run, so that TLS
	 * destinations can take over their connections; then the old ones
	 * are flushed and closed. */
	/* What this logs waits for the new actions, so that errors in the
	 * configuration reach the files it names. */
	sd->dispatch_depth++;
	/* The old actions' last lines are signed under the old session,
	 * before TLS destinations hand their connections over. */
	for (size_t i = 0; i < sd->nactions; i++)
		action_flush_repeat(sd, sd->actions[i]);
	sign_end(sd, sd->actions, sd->nactions);
	(void)tlsnet_configure(sd, c);
	if ((acts = calloc(c->nrules ? c->nrules : 1, sizeof(*acts))) == NULL) {
		sign_configure(sd);
		sd->dispatch_depth--;
		conf_free(c);
		return -1;
	}
	old = sd->conf;
	oldacts = sd->actions;
	nold = sd->nactions;
	sd->old_actions = oldacts;
	sd->nold_actions = nold;
	sd->conf = c;
	for (n = 0; n < c->nrules; n++)
		if ((acts[n] = action_new(sd, &c->rules[n])) == NULL)
			break;
	sd->old_actions = NULL;
	sd->nold_actions = 0;
	if (sd->mark_timer != NULL)
		event_free(sd->mark_timer);
	sd->mark_timer = NULL;
	sd->actions = acts;
	sd->nactions = n;
	sign_configure(sd);
	for (size_t i = 0; i < nold; i++)
		action_free(sd, oldacts[i]);
	free(oldacts);
	conf_free(old);
	(void)tlsnet_listen(sd);
	if (--sd->dispatch_depth == 0)
		dispatch_pending(sd);
	arm_marks(sd);
	return 0;
}

const char *
daemon_formatted(struct syslogd *sd, const struct msg *m, enum msg_format f,
    size_t *len, size_t *body_off)
{
	struct msg_fmt_opts fo = { f, false, &sd->tz };

	if (sd->fmt_for != m) {
		sd->fmt_for = m;
		sd->fmtdone[0] = sd->fmtdone[1] = false;
	}
	if (!sd->fmtdone[f]) {
		sd->fmtlen[f] = msg_format(m, &fo, sd->fmtbuf[f], FMTBUF_SIZE,
		    &sd->fmtbody[f]);
		sd->fmtdone[f] = true;
	}
	*len = sd->fmtlen[f];
	*body_off = sd->fmtbody[f];
	return sd->fmtbuf[f];
}

/* syslogd's own messages that waited for a dispatch or a reload. */
static void
dispatch_pending(struct syslogd *sd)
{
	while (sd->npending > 0) {
		struct msg *own = sd->pending[0];

		memmove(sd->pending, sd->pending + 1,
		    --sd->npending * sizeof(*sd->pending));
		daemon_dispatch(sd, own);
		free(own);
	}
}

void
daemon_dispatch(struct syslogd *sd, struct msg *m)
{
	const char *prog = m->app;
	const char *host = m->host[0] ? m->host : m->recvhost;

	sd->fmt_for = NULL;
	sd->dispatch_depth++;
	for (size_t i = 0; i < sd->nactions; i++) {
		struct action *a = sd->actions[i];
		const struct conf_rule *r = a->rule;

		if (!selector_match(&r->sel, m->fac, m->sev) ||
		    !prog_match(&r->progs, prog) ||
		    !host_match(&r->hosts, host, sd->fqdn))
			continue;
		action_submit(sd, a, m);
	}
	sd->fmt_for = NULL;
	if (--sd->dispatch_depth == 0)
		dispatch_pending(sd);
}

#define PENDING_MAX	64

/*
 * A message of syslogd's own raised while another is being routed would
 * reuse the buffers that message is formatted in: it waits until the
 * outer dispatch is done.
 */
void
daemon_dispatch_own(struct syslogd *sd, struct msg *m)
{
	struct msg **np;

	if (sd->dispatch_depth == 0) {
		daemon_dispatch(sd, m);
		free(m);
		return;
	}
	if (sd->npending >= PENDING_MAX || (np = realloc(sd->pending,
	    (sd->npending + 1) * sizeof(*np))) == NULL) {
		sd->pending_dropped++;
		free(m);
		return;
	}
	sd->pending = np;
	sd->pending[sd->npending++] = m;
}

void
daemon_flush(struct syslogd *sd)
{
	struct action *a;

	while ((a = sd->dirty) != NULL) {
		sd->dirty = a->next_dirty;
		a->dirty = false;
		a->next_dirty = NULL;
		a->ops->flush(sd, a);
	}
	for (size_t i = 0; i < sd->nactions; i++)
		if (sd->actions[i]->cnt.dropped >
		    sd->actions[i]->cnt.dropped_reported)
			action_report_drops(sd, sd->actions[i]);
}

static void
flush_now(evutil_socket_t fd, short what, void *arg)
{
	daemon_flush(arg);
}

/*
 * libevent runs the callbacks made active while it works through a turn
 * after those that were already active, in the same turn, and does not
 * wait for events while any is active: this one comes after every
 * input that was readable and before the loop sleeps.
 */
void
daemon_flush_soon(struct syslogd *sd)
{
	if (sd->flush_ev == NULL && sd->conf != NULL)
		sd->flush_ev = event_new(sd->base, -1, 0, flush_now, sd);
	if (sd->flush_ev == NULL || sd->conf == NULL) {
		daemon_flush(sd);	/* exiting, or out of memory */
		return;
	}
	event_active(sd->flush_ev, EV_TIMEOUT, 0);	/* a no-op if active */
}

void
daemon_report_counters(struct syslogd *sd)
{
	net_report_counters(sd);
	resolver_report(sd);
	for (size_t i = 0; i < sd->nactions; i++) {
		const struct action *a = sd->actions[i];
		char why[256] = "";

		if (a->cnt.dropped > 0) {
			memcpy(why, "; dropped: ", 11);
			action_drop_reasons(a->cnt.dropped_by, a->last_errno,
			    why + 11, sizeof(why) - 11);
		}
		ilog(sd, LOG_INFO, "%s (line %d): %llu received, %llu written, "
		    "%zu queued, %llu spooled, %llu resent, %llu dropped, "
		    "%llu truncated%s", a->name, a->rule->line,
		    a->cnt.received, a->cnt.written,
		    a->queued_msgs + a->backlog.count, a->cnt.spooled,
		    a->cnt.resent, a->cnt.dropped, a->cnt.truncated, why);
	}
}
