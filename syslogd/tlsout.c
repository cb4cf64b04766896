/*
 * @[host]:port destinations: outgoing TLS connections with a bounded
 * backlog, reconnects with back-off, a resend window and a spool file.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>

#include "action.h"
#include "daemon.h"
#include "frame.h"
#include "ilog.h"
#include "spool.h"
#include "tls.h"
#include "tlsnet.h"
#include "tlsnet_impl.h"


#define RECONNECT_MAX_SEC	60
#define STABLE_SEC		10	/* a connection up this long was fine */
/* Output kept in the connection's buffer; the rest waits in the backlog. */
#define TLS_OUT_HIGH		(256 * 1024)
#define TLS_OUT_LOW		(64 * 1024)
/*
 * What a collector may have acknowledged but not yet read when it dies:
 * frames this far back are sent again after a reconnect.
 */
#define RESEND_MARGIN		(256 * 1024)

enum td_state { TD_DOWN, TD_CONNECTING, TD_UP };

struct tls_dest {
	struct action	*a;
	struct bufferevent *bev;
	struct ctxref	*ref;
	struct tls_policy *policy;
	enum td_state	 state;
	struct event	*retry;
	int		 backoff;
	bool		 failure_reported;
	time_t		 up_since;
	/* copies of the frames most recently handed to the connection */
	struct evbuffer	*sent;
	size_t		 sent_frames;
	/* spool_dir: what the memory backlog cannot hold, and what was
	 * queued at exit; always newer than the memory backlog */
	struct spool	*spool;
	bool		 spool_reported;
};

static void td_connect(struct syslogd *, struct tls_dest *);

static const char *
td_port(const struct action *a)
{
	return a->rule->act.port ? a->rule->act.port : TLS_DEFAULT_PORT;
}

static void
td_retry(evutil_socket_t fd, short what, void *arg)
{
	struct tls_dest *td = arg;

	td_connect(td->a->sd, td);
}

/* Bytes the kernel still holds for the peer (unsent or unacknowledged). */
static long
kernel_unacked(int fd)
{
	int n;

#if defined(__linux__) && defined(TIOCOUTQ)
	if (ioctl(fd, TIOCOUTQ, &n) == 0)
		return n;
#elif defined(FIONWRITE)
	if (ioctl(fd, FIONWRITE, &n) == 0)
		return n;
#endif
	(void)fd;
	(void)n;
	return -1;
}

/* Length of the frame at the start of buf ("LEN " + LEN bytes), or 0. */
static size_t
frame_len_at(struct evbuffer *buf, size_t off)
{
	struct evbuffer_ptr p;
	char digits[16];
	size_t n = 0, len = 0;

	if (evbuffer_ptr_set(buf, &p, off, EVBUFFER_PTR_SET) == -1)
		return 0;
	if (evbuffer_copyout_from(buf, &p, digits, sizeof(digits)) <= 0)
		return 0;
	while (n < sizeof(digits) && digits[n] >= '0' && digits[n] <= '9')
		len = len * 10 + (size_t)(digits[n++] - '0');
	if (n == 0 || n == sizeof(digits) || digits[n] != ' ')
		return 0;
	return n + 1 + len;
}

/*
 * Forgets the frames that the peer surely has: all but the last
 * kernel-held + not-yet-written + margin bytes.  It runs while the
 * connection works, not when it fails: a peer that dies discards what it
 * had acknowledged but not read, and the frames kept since the last trim
 * stand in for that unknown amount.
 */
static void
window_trim(struct tls_dest *td, size_t margin)
{
	size_t keep, have, flen;
	long unacked = -1;
	int fd;

	if (td->bev != NULL && (fd = bufferevent_getfd(td->bev)) != -1)
		unacked = kernel_unacked(fd);
	if (unacked < 0)
		return;		/* unknown: keep what the limits allow */
	keep = (size_t)unacked + margin + (td->bev != NULL ?
	    evbuffer_get_length(bufferevent_get_output(td->bev)) : 0);
	while ((have = evbuffer_get_length(td->sent)) > keep &&
	    (flen = frame_len_at(td->sent, 0)) > 0 && flen <= have &&
	    have - flen >= keep) {
		evbuffer_drain(td->sent, flen);
		td->sent_frames--;
	}
}

/* Severity of a frame "LEN <PRI>...", for the backlog's drop order. */
static int
frame_sev(const char *f, size_t len)
{
	const char *p = memchr(f, '<', len < 16 ? len : 16);
	int pri = 0;

	if (p == NULL)
		return 7;
	while (++p < f + len && *p >= '0' && *p <= '9')
		pri = pri * 10 + (*p - '0');
	return pri & 7;
}

/*
 * The connection is gone.  Every frame it may not have delivered (the
 * resend window, which includes what was never written) goes back to
 * the front of the backlog, oldest first; duplicates at the collector
 * are possible and are counted as "resent".
 */
static void
requeue_window(struct tls_dest *td)
{
	struct action *a = td->a;
	size_t total = evbuffer_get_length(td->sent), off = 0, n = 0, flen;
	size_t *offs;
	char *flat;

	if (td->sent_frames == 0 || total == 0)
		return;
	if ((offs = calloc(td->sent_frames, sizeof(*offs))) == NULL ||
	    (flat = (char *)evbuffer_pullup(td->sent, -1)) == NULL) {
		free(offs);
		action_drop(a, DROP_NO_MEMORY, td->sent_frames);
		return;
	}
	while (off < total && n < td->sent_frames &&
	    (flen = frame_len_at(td->sent, off)) > 0 && off + flen <= total) {
		offs[n++] = off;
		off += flen;
	}
	for (size_t i = n; i-- > 0;) {
		size_t end = i + 1 < n ? offs[i + 1] : off;

		(void)mq_push_front(&a->backlog,
		    frame_sev(flat + offs[i], end - offs[i]), flat + offs[i],
		    end - offs[i]);
	}
	a->cnt.resent += n;
	if (a->cnt.written >= n)
		a->cnt.written -= n;
	free(offs);
	evbuffer_drain(td->sent, total);
	td->sent_frames = 0;
}

/* Closes the connection, with a close_notify when it was up. */
static void
td_hangup(struct tls_dest *td, bool was_up)
{
	SSL *ssl;

	if (td->bev == NULL)
		return;
	if (was_up && (ssl = bufferevent_openssl_get_ssl(td->bev)) != NULL)
		(void)SSL_shutdown(ssl);
	bufferevent_free(td->bev);
	td->bev = NULL;
	ERR_clear_error();	/* what the dead connection left */
}

static void
td_down(struct syslogd *sd, struct tls_dest *td, const char *why)
{
	struct action *a = td->a;
	bool was_up = td->state == TD_UP;
	struct timeval tv;

	/* First the state: what this logs may come back here to be sent. */
	td->state = TD_DOWN;
	/*
	 * A connection that lasted resets the back-off; one that a server
	 * refused right after the handshake (TLS 1.3 checks the client's
	 * certificate then) does not.
	 */
	if (was_up && time(NULL) - td->up_since >= STABLE_SEC) {
		td->backoff = 0;
		td->failure_reported = false;
	}
	td_hangup(td, was_up);
	requeue_window(td);
	if (!td->failure_reported || was_up) {
		ilog(sd, LOG_WARNING, "%s: %s; %zu messages queued, retrying "
		    "in the background", a->name, why, a->backlog.count);
		td->failure_reported = true;
	}
	td->backoff = td->backoff == 0 ? 1 : td->backoff * 2;
	if (td->backoff > RECONNECT_MAX_SEC)
		td->backoff = RECONNECT_MAX_SEC;
	tv.tv_sec = td->backoff;
	tv.tv_usec = 0;
	if (td->retry == NULL)
		td->retry = evtimer_new(sd->base, td_retry, td);
	if (td->retry != NULL)
		evtimer_add(td->retry, &tv);
}

/* Hands a frame to the connection, keeping a copy for resending. */
static void
td_put(struct tls_dest *td, const char *frame, size_t len)
{
	evbuffer_add(bufferevent_get_output(td->bev), frame, len);
	evbuffer_add(td->sent, frame, len);
	td->sent_frames++;
	td->a->cnt.written++;
}

static void
td_spool_report(struct tls_dest *td)
{
	unsigned long long bad = spool_damaged(td->spool);

	if (bad > td->a->cnt.spool_damaged) {
		ilog(td->a->sd, LOG_ERR, "%s: spool file %s: %llu damaged "
		    "record%s skipped", td->a->name, spool_path(td->spool),
		    bad - td->a->cnt.spool_damaged, bad == 1 ? "" : "s");
		td->a->cnt.spool_damaged = bad;
	}
}

static void
td_spool_load(struct tls_dest *td)
{
	(void)spool_load(td->spool, &td->a->backlog, 1024);
	td_spool_report(td);
}

/*
 * Spools a frame when the memory backlog is full, or when older frames
 * are already spooled (the spool holds the newest messages).  A full
 * spool drops the frame, unless it is an emergency.  False when the
 * frame belongs in the memory backlog.
 */
static bool
td_spool(struct tls_dest *td, int sev, const char *frame, size_t len)
{
	struct action *a = td->a;
	int rc;

	if (td->spool == NULL || (spool_empty(td->spool) &&
	    mq_fits(&a->backlog, len)))
		return false;
	if ((rc = spool_append(td->spool, sev, frame, len)) == SPOOL_OK) {
		a->cnt.spooled++;
		return true;
	}
	if (!td->spool_reported) {
		td->spool_reported = true;
		ilog(a->sd, LOG_ERR, "%s: spool file %s: %s", a->name,
		    spool_path(td->spool), rc == SPOOL_FULL ?
		    "full (spool_size)" : strerror(errno));
	}
	/* Emergencies are never dropped: the memory backlog yields. */
	if (sev == LOG_EMERG)
		return false;
	action_drop(a, DROP_SPOOL_FULL, 1);
	return true;
}

/* Moves backlog into the connection while its buffer has room. */
static void
td_send_queue(struct syslogd *sd, struct tls_dest *td)
{
	struct action *a = td->a;
	struct evbuffer *out;
	struct mq_ent *e;

	if (td->state != TD_UP || td->bev == NULL)
		return;
	out = bufferevent_get_output(td->bev);
	while (evbuffer_get_length(out) < TLS_OUT_HIGH) {
		if (a->backlog.count == 0 && td->spool != NULL &&
		    !spool_empty(td->spool))
			td_spool_load(td);
		if ((e = mq_pop(&a->backlog)) == NULL)
			break;
		td_put(td, e->data, e->len);
		free(e);
	}
}

static void
td_read(struct bufferevent *bev, void *arg)
{
	/* A syslog receiver sends nothing; whatever it sends is ignored. */
	evbuffer_drain(bufferevent_get_input(bev),
	    evbuffer_get_length(bufferevent_get_input(bev)));
}

/* The output buffer drained below its low mark. */
static void
td_written(struct bufferevent *bev, void *arg)
{
	struct tls_dest *td = arg;

	window_trim(td, RESEND_MARGIN);
	td_send_queue(td->a->sd, td);
}

static void
td_event(struct bufferevent *bev, short what, void *arg)
{
	struct tls_dest *td = arg;
	struct action *a = td->a;
	struct syslogd *sd = a->sd;
	struct tls_verdict v;
	char line[2 * TLS_ERRLEN], err[TLS_ERRLEN], why[TLS_ERRLEN + 64];

	if (what & BEV_EVENT_CONNECTED) {
		tls_policy_check_ssl(td->policy,
		    bufferevent_openssl_get_ssl(bev), &v);
		tls_verdict_line(&v, TLS_ROLE_CLIENT, a->name, line,
		    sizeof(line));
		ilog(sd, v.accept ? LOG_INFO : LOG_WARNING, "%s", line);
		if (!v.accept) {
			td->failure_reported = true;
			td_down(sd, td, "server certificate refused");
			daemon_flush(sd);
			return;
		}
		td->state = TD_UP;
		td->up_since = time(NULL);
		bufferevent_set_timeouts(bev, NULL, NULL);
		bufferevent_setwatermark(bev, EV_WRITE, TLS_OUT_LOW, 0);
		bufferevent_enable(bev, EV_READ);
		td_send_queue(sd, td);
		daemon_flush(sd);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		snprintf(why, sizeof(why), "%s timed out", td->state == TD_UP ?
		    "connection" : "connect or handshake");
	else if ((what & BEV_EVENT_EOF) && td->state == TD_UP)
		snprintf(why, sizeof(why), "connection closed by the peer");
	else {
		int dns = bufferevent_socket_get_dns_error(bev);

		if (dns != 0)
			snprintf(why, sizeof(why), "cannot resolve: %s",
			    evutil_gai_strerror(dns));
		else
			snprintf(why, sizeof(why), "%s%s", td->state == TD_UP ?
			    "" : "cannot connect: ", bev_error(bev, err,
			    sizeof(err)));
	}
	td_down(sd, td, why);
	daemon_flush(sd);
}

static void
td_connect(struct syslogd *sd, struct tls_dest *td)
{
	struct action *a = td->a;
	struct tlsnet *tn = sd->tn;
	struct timeval hs = { (time_t)sd->conf->opt.tls_handshake_timeout, 0 };
	const char *host = a->rule->act.target;
	struct in6_addr addr;
	char *end;
	long port;
	SSL *ssl;

	if (td->state != TD_DOWN)
		return;
	if (tn == NULL || tn->cur == NULL) {
		td_down(sd, td, "no TLS context");
		return;
	}
	port = strtol(td_port(a), &end, 10);
	if (*end != '\0') {
		struct servent *se = getservbyname(td_port(a), "tcp");
		port = se != NULL ? ntohs((uint16_t)se->s_port) : -1;
	}
	if (port <= 0 || port > 65535) {
		td->failure_reported = true;
		ilog(sd, LOG_ERR, "%s: unknown port \"%s\"", a->name,
		    td_port(a));
		a->broken = true;
		return;
	}
	if (sd->dns == NULL)
		sd->dns = evdns_base_new(sd->base,
		    EVDNS_BASE_INITIALIZE_NAMESERVERS |
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	ref_drop(td->ref);
	td->ref = ref_take(tn->cur);
	if ((ssl = SSL_new(td->ref->ctx->client)) == NULL) {
		td_down(sd, td, "cannot create a TLS session");
		return;
	}
	/* SNI only for names: RFC 6066 has no place for addresses. */
	if (inet_pton(AF_INET, host, &addr) != 1 &&
	    inet_pton(AF_INET6, host, &addr) != 1)
		(void)SSL_set_tlsext_host_name(ssl, host);
	td->bev = bufferevent_openssl_socket_new(sd->base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	if (td->bev == NULL) {
		SSL_free(ssl);
		td_down(sd, td, "cannot create a connection");
		return;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(td->bev, 1);
	bufferevent_setcb(td->bev, td_read, td_written, td_event, td);
	bufferevent_set_timeouts(td->bev, hs.tv_sec > 0 ? &hs : NULL,
	    hs.tv_sec > 0 ? &hs : NULL);
	td->state = TD_CONNECTING;
	if (bufferevent_socket_connect_hostname(td->bev, sd->dns, AF_UNSPEC,
	    host, (int)port) == -1) {
		/* The event callback has not run; say why ourselves. */
		td->state = TD_CONNECTING;
		td_down(sd, td, "cannot connect");
	}
}

static int
td_open(struct syslogd *sd, struct action *a)
{
	char err[TLS_ERRLEN];
	struct tls_dest *td = a->tls;

	if (td == NULL) {
		if ((td = calloc(1, sizeof(*td))) == NULL)
			return -1;
		if ((td->sent = evbuffer_new()) == NULL) {
			free(td);
			return -1;
		}
		td->a = a;
		a->tls = td;
	}
	if (td->policy == NULL) {
		td->policy = tls_policy_client(&sd->conf->opt, &a->rule->act,
		    err, sizeof(err));
		if (td->policy == NULL) {
			ilog(sd, LOG_ERR, "%s (%s line %d): %s", a->name,
			    sd->conf->file, a->rule->line, err);
			return -1;
		}
	}
	if (td->spool == NULL && sd->conf->opt.spool_dir != NULL) {
		td->spool = spool_open(sd->conf->opt.spool_dir, a->name,
		    sd->conf->opt.spool_size, err, sizeof(err));
		if (td->spool == NULL)
			ilog(sd, LOG_ERR, "%s: %s", a->name, err);
		else if (!spool_empty(td->spool)) {
			ilog(sd, LOG_NOTICE, "%s: %llu bytes spooled in %s will "
			    "be sent first", a->name,
			    spool_pending(td->spool), spool_path(td->spool));
			td_spool_report(td);
		}
	}
	if (td->state == TD_DOWN && (td->retry == NULL ||
	    !evtimer_pending(td->retry, NULL)))
		td_connect(sd, td);
	return 0;
}

static void
td_write(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len, size_t body_off)
{
	struct tls_dest *td = a->tls;
	char small[2048], *frame;
	size_t plen, flen;

	if (td == NULL)
		return;
	flen = len + 22;
	if ((frame = flen <= sizeof(small) ? small : malloc(flen)) == NULL) {
		action_drop(a, DROP_NO_MEMORY, 1);
		return;
	}
	plen = frame_prefix(len, frame, 22);
	memcpy(frame + plen, wire, len);
	flen = plen + len;
	if (td->state == TD_UP && td->bev != NULL && a->backlog.count == 0 &&
	    (td->spool == NULL || spool_empty(td->spool)) &&
	    evbuffer_get_length(bufferevent_get_output(td->bev)) <
	    TLS_OUT_HIGH)
		td_put(td, frame, flen);
	else if (!td_spool(td, m->sev, frame, flen))
		(void)action_backlog(a, m->sev, frame, flen);
	if (frame != small)
		free(frame);
}

static void
td_flush(struct syslogd *sd, struct action *a)
{
	if (a->tls != NULL) {
		window_trim(a->tls, RESEND_MARGIN);
		td_send_queue(sd, a->tls);
	}
}

static void
td_close(struct syslogd *sd, struct action *a)
{
	struct tls_dest *td = a->tls;

	if (td == NULL)
		return;
	/* A live collector reads what it has: only what its kernel has
	 * not acknowledged yet needs keeping. */
	if (td->state == TD_UP)
		window_trim(td, 0);
	td_hangup(td, td->state == TD_UP);
	if (td->spool != NULL) {
		size_t n;

		/* Whatever the collector may not have: keep it on disk. */
		if (evbuffer_get_length(td->sent) > 0)
			requeue_window(td);
		n = a->backlog.count;
		if (spool_save_front(td->spool, &a->backlog) == 0) {
			a->cnt.spooled += n;
			if (n > 0 || !spool_empty(td->spool))
				ilog(sd, LOG_NOTICE, "%s: %llu bytes kept in "
				    "%s", a->name, spool_pending(td->spool),
				    spool_path(td->spool));
		} else
			ilog(sd, LOG_ERR, "%s: cannot save the queue to %s: "
			    "%s", a->name, spool_path(td->spool),
			    strerror(errno));
		spool_close(td->spool);
		td->spool = NULL;
	}
	if (td->retry != NULL)
		event_free(td->retry);
	evbuffer_free(td->sent);
	tls_policy_free(td->policy);
	ref_drop(td->ref);
	free(td);
	a->tls = NULL;
}

const struct action_ops tls_dest_ops = {
	.open = td_open,
	.write = td_write,
	.flush = td_flush,
	.close = td_close,
};

bool
tlsnet_pending(struct syslogd *sd)
{
	for (size_t i = 0; i < sd->nactions; i++) {
		struct tls_dest *td = sd->actions[i]->tls;

		if (td == NULL || td->state != TD_UP || td->bev == NULL)
			continue;
		if (sd->actions[i]->backlog.count > 0 || evbuffer_get_length(
		    bufferevent_get_output(td->bev)) > 0)
			return true;
	}
	return false;
}

void
tlsnet_retry_now(struct syslogd *sd)
{
	for (size_t i = 0; i < sd->nactions; i++) {
		struct tls_dest *td = sd->actions[i]->tls;

		if (td == NULL || td->state != TD_DOWN)
			continue;
		if (td->retry != NULL)
			evtimer_del(td->retry);
		td->backoff = 0;
		td_connect(sd, td);
	}
}

static bool
same_list(const struct strlist *x, const struct strlist *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->v[i], y->v[i]) != 0)
			return false;
	return true;
}

static bool
same_dest(const struct conf_action *x, const struct conf_action *y)
{
	return x->type == ACT_TLS && y->type == ACT_TLS &&
	    same_str(x->target, y->target) && same_str(x->port, y->port) &&
	    same_list(&x->tls_subjects, &y->tls_subjects) &&
	    same_list(&x->tls_fingerprints, &y->tls_fingerprints) &&
	    same_str(x->tls_certfile, y->tls_certfile) &&
	    x->tls_verify == y->tls_verify;
}

/*
 * The destination's connection is of an old configuration: close it,
 * keeping what it may not have delivered, and forget the options.
 */
static void
td_reset(struct tls_dest *td)
{
	td_hangup(td, td->state == TD_UP);
	requeue_window(td);
	if (td->retry != NULL)
		evtimer_del(td->retry);
	tls_policy_free(td->policy);
	td->policy = NULL;
	ref_drop(td->ref);
	td->ref = NULL;
	td->state = TD_DOWN;
	td->backoff = 0;
	td->failure_reported = false;
}

static void
td_move(struct syslogd *sd, struct action *a, struct action *o)
{
	a->tls = o->tls;
	a->tls->a = a;
	o->tls = NULL;
	/* The backlog moves too, limits and all (they are the same
	 * keywords, re-read into a by action_set_limits). */
	a->backlog = o->backlog;
	memset(&o->backlog, 0, sizeof(o->backlog));
	action_set_limits(a, &sd->conf->opt.tls_queue);
	a->cnt = o->cnt;
	memset(&o->cnt, 0, sizeof(o->cnt));
}

/*
 * A reload keeps a destination's connection and queue when the new
 * configuration has the same destination with the same options.  When
 * only the options changed, the queue, the resend window and the spool
 * file (named after the destination) move, and the connection is made
 * again with the new options.
 */
bool
tlsnet_adopt(struct syslogd *sd, struct action *a, struct action **old,
    size_t nold)
{
	for (size_t i = 0; i < nold; i++) {
		struct action *o = old[i];

		if (o != NULL && o->tls != NULL &&
		    same_dest(&o->rule->act, &a->rule->act)) {
			td_move(sd, a, o);
			return true;
		}
	}
	for (size_t i = 0; i < nold; i++) {
		struct action *o = old[i];

		if (o != NULL && o->tls != NULL &&
		    strcmp(o->name, a->name) == 0) {
			td_reset(o->tls);
			td_move(sd, a, o);
			return true;
		}
	}
	return false;
}

