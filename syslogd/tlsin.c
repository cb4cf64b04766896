/*
 * The TLS listener (tls_server) and its incoming connections: frames
 * (RFC 5425 octet counting, RFC 6587 non-transparent framing as a
 * fallback) become messages.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
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
#include <event2/event.h>
#include <event2/listener.h>

#include "daemon.h"
#include "frame.h"
#include "ilog.h"
#include "net.h"
#include "tls.h"
#include "tlsnet.h"
#include "tlsnet_impl.h"

struct tls_in {
	struct tls_in	*next;
	struct tlsnet	*tn;
	int		 fd;
	struct event	*peek_ev;
	struct bufferevent *bev;
	struct ctxref	*ref;
	struct frame_dec dec;
	bool		 admitted;
	char		 peer[PEER_ADDRLEN];	/* numeric, kept per connection */
};

/* What one in_pull() decrypts at most before the frames are routed. */
#define PULL_CHUNK	(16 * 1024)
/* What one read callback decrypts at most (see in_read()). */
#define PULL_BUDGET	(64 * 1024)

static void in_event(struct bufferevent *, short, void *);

struct listener {
	struct listener		*next;
	struct evconnlistener	*l;
};

static void
in_close(struct tls_in *c, bool notify)
{
	struct tlsnet *tn = c->tn;
	struct tls_in **pp;

	for (pp = &tn->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	tn->nconns--;
	if (c->peek_ev != NULL)
		event_free(c->peek_ev);
	if (c->bev != NULL) {
		SSL *ssl = bufferevent_openssl_get_ssl(c->bev);

		/* close_notify, best effort: the socket is non-blocking. */
		if (notify && ssl != NULL && c->admitted)
			(void)SSL_shutdown(ssl);
		bufferevent_free(c->bev);
	} else if (c->fd != -1)
		close(c->fd);
	ERR_clear_error();
	ref_drop(c->ref);
	free(c);
}

/* Delivers one frame's message; the decoder says whether it was cut. */
static void
in_deliver(struct tls_in *c, const struct frame_out *out,
    const struct timeval *now)
{
	struct syslogd *sd = c->tn->sd;

	if (out->truncated) {
		c->tn->truncated++;
		ilog(sd, LOG_WARNING, "TLS: message from %s longer than %zu "
		    "bytes, truncated", c->peer, c->dec.max);
	}
	net_deliver(sd, out->msg, out->len, c->peer, now, true, false);
}

/*
 * Routes every complete frame; false when the connection was closed.
 * Frames are taken from one contiguous view of the input as long as it
 * holds what frame_next() needs (max + 16 bytes, or all there is), and
 * the input is drained once per view, not once per frame.
 */
static bool
in_drain(struct tls_in *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	size_t room = c->dec.max + 16;
	struct frame_out out;
	struct timeval now;
	enum frame_status st;
	size_t len, want, off, used;
	const char *p;

	gettimeofday(&now, NULL);	/* one arrival time for what was read */
	while ((len = evbuffer_get_length(in)) > 0) {
		want = len < room ? len : room;
		if ((p = (const char *)evbuffer_pullup(in, (ssize_t)want)) == NULL)
			break;
		/* pullup made the first chain at least want long: use it all */
		want = evbuffer_get_contiguous_space(in);
		off = 0;
		do {
			st = frame_next(&c->dec, p + off, want - off, &used,
			    &out);
			if (st == FRAME_ERROR) {
				ilog(c->tn->sd, LOG_WARNING, "TLS: framing "
				    "error from %s (neither octet counting "
				    "nor newline framing); closing the "
				    "connection", c->peer);
				daemon_flush(c->tn->sd);
				in_close(c, true);
				return false;
			}
			if (st == FRAME_MSG)
				in_deliver(c, &out, &now);
			off += used;
		} while (st == FRAME_MSG && off < want &&
		    (want == len || want - off >= room));
		evbuffer_drain(in, off);
		if (st == FRAME_MORE && (used == 0 || want == len))
			break;
	}
	return true;
}

/*
 * With read-ahead one read() brings many records into OpenSSL, but
 * libevent 2.1 decrypts only one per readable event, then as much as
 * SSL_pending() counts: the rest of that record.  The others would wait
 * in OpenSSL, the socket being empty, until the client sends more.
 * Decrypt them here, into the input, and count them in *pulled.  Returns
 * the SSL_get_error() code that stopped it, SSL_ERROR_NONE when the
 * space is full or OpenSSL holds nothing more.
 */
static int
in_pull(struct tls_in *c, SSL *ssl, size_t *pulled)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_iovec v;
	size_t got = 0;
	int r, err = SSL_ERROR_NONE;

	if (evbuffer_reserve_space(in, PULL_CHUNK, &v, 1) != 1)
		return SSL_ERROR_NONE;
	ERR_clear_error();	/* a success adds nothing to the queue */
	while (got < v.iov_len && SSL_has_pending(ssl)) {
		r = SSL_read(ssl, (char *)v.iov_base + got,
		    (int)(v.iov_len - got));
		if (r <= 0) {
			err = SSL_get_error(ssl, r);
			break;
		}
		got += (size_t)r;
	}
	v.iov_len = got;
	evbuffer_commit_space(in, &v, 1);
	*pulled += got;
	return err;
}

/*
 * Everything received so far, decrypted and routed; the files are
 * written once this turn of the event loop is done, however many
 * connections it served.  A client that sends faster than we route gets
 * PULL_BUDGET bytes per turn, so that the others get theirs and the
 * files are written: what OpenSSL still holds then is taken in the next
 * turn, through a deferred read callback.
 */
static void
in_read(struct bufferevent *bev, void *arg)
{
	struct tls_in *c = arg;
	SSL *ssl = bufferevent_openssl_get_ssl(bev);
	size_t pulled = 0;
	int err = SSL_ERROR_NONE;

	for (;;) {
		if (!in_drain(c))
			return;
		if (err != SSL_ERROR_NONE || !SSL_has_pending(ssl))
			break;
		if (pulled >= PULL_BUDGET) {
			bufferevent_trigger(bev, EV_READ,
			    BEV_TRIG_IGNORE_WATERMARKS |
			    BEV_TRIG_DEFER_CALLBACKS);
			break;
		}
		err = in_pull(c, ssl, &pulled);
	}
	switch (err) {
	case SSL_ERROR_NONE:
	case SSL_ERROR_WANT_READ:	/* the rest of a record is to come */
	case SSL_ERROR_WANT_WRITE:	/* libevent retries on the next read */
		daemon_flush_soon(c->tn->sd);
		break;
	case SSL_ERROR_ZERO_RETURN:	/* close_notify */
		in_event(bev, BEV_EVENT_READING | BEV_EVENT_EOF, c);
		break;
	case SSL_ERROR_SYSCALL:		/* as libevent tells them apart */
		in_event(bev, BEV_EVENT_READING | (ERR_peek_error() == 0 ?
		    BEV_EVENT_EOF : BEV_EVENT_ERROR), c);
		break;
	default:
		in_event(bev, BEV_EVENT_READING | BEV_EVENT_ERROR, c);
		break;
	}
}

static void
in_event(struct bufferevent *bev, short what, void *arg)
{
	struct tls_in *c = arg;
	struct syslogd *sd = c->tn->sd;
	struct tls_verdict v;
	struct timeval idle = { 0, 0 };
	char line[2 * TLS_ERRLEN], err[TLS_ERRLEN];

	if (what & BEV_EVENT_CONNECTED) {
		tls_policy_check_ssl(c->ref->ctx->policy,
		    bufferevent_openssl_get_ssl(bev), &v);
		tls_verdict_line(&v, TLS_ROLE_SERVER, c->peer, line,
		    sizeof(line));
		ilog(sd, v.accept ? LOG_INFO : LOG_WARNING, "%s", line);
		if (!v.accept) {
			daemon_flush(sd);
			in_close(c, false);
			return;
		}
		c->admitted = true;
		idle.tv_sec = (time_t)sd->conf->opt.tls_idle_timeout;
		bufferevent_set_timeouts(bev, idle.tv_sec > 0 ? &idle : NULL,
		    NULL);
		daemon_flush(sd);
		/* Records read ahead with the handshake's last ones wait
		 * in OpenSSL: no readable event will come for them. */
		in_read(bev, c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		ilog(sd, LOG_NOTICE, "TLS: %s timeout for %s; closing",
		    c->admitted ? "idle" : "handshake", c->peer);
	else if ((what & BEV_EVENT_ERROR) && !c->admitted)
		ilog(sd, LOG_WARNING, "TLS: handshake with %s failed: %s",
		    c->peer, bev_error(bev, err, sizeof(err)));
	else if (what & BEV_EVENT_ERROR)
		dlog(sd, "TLS: connection from %s: %s", c->peer,
		    bev_error(bev, err, sizeof(err)));
	else
		dlog(sd, "TLS: %s closed the connection", c->peer);
	if (c->admitted && !in_drain(c))	/* what came before the close */
		return;
	daemon_flush(sd);
	in_close(c, (what & BEV_EVENT_EOF) != 0);
}

static bool
plaintext_reported(struct tlsnet *tn, const char *peer)
{
	for (unsigned i = 0; i < PLAINTEXT_MEMORY; i++)
		if (strcmp(tn->plaintext_seen[i], peer) == 0)
			return true;
	str_copy(tn->plaintext_seen[tn->plaintext_next++ % PLAINTEXT_MEMORY],
	    peer, PEER_ADDRLEN);
	return false;
}

/*
 * The first byte tells a TLS client (a handshake record, 22) from a
 * plaintext syslog sender, which gets one clear message instead of a
 * handshake error per connection.
 */
static void
in_peek(evutil_socket_t fd, short what, void *arg)
{
	struct tls_in *c = arg;
	struct tlsnet *tn = c->tn;
	struct syslogd *sd = tn->sd;
	struct timeval hs = { (time_t)sd->conf->opt.tls_handshake_timeout, 0 };
	unsigned char b;
	ssize_t n;
	SSL *ssl;

	if (what & EV_TIMEOUT) {
		dlog(sd, "TLS: %s sent nothing; closing", c->peer);
		in_close(c, false);
		return;
	}
	n = recv(fd, &b, 1, MSG_PEEK);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		in_close(c, false);
		return;
	}
	if (b != 22) {
		if (!plaintext_reported(tn, c->peer))
			ilog(sd, LOG_WARNING, "TLS: %s sends plaintext, not "
			    "TLS, to the TLS port; closing its connections",
			    c->peer);
		daemon_flush(sd);
		in_close(c, false);
		return;
	}
	event_free(c->peek_ev);
	c->peek_ev = NULL;
	/* Read-ahead: one read() for many records, not two per record. */
	if ((ssl = SSL_new(c->ref->ctx->server)) != NULL)
		SSL_set_read_ahead(ssl, 1);
	if (ssl == NULL ||
	    (c->bev = bufferevent_openssl_socket_new(sd->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		if (ssl != NULL)
			SSL_free(ssl);
		in_close(c, false);
		return;
	}
	c->fd = -1;	/* the bufferevent owns it now */
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	bufferevent_setcb(c->bev, in_read, NULL, in_event, c);
	bufferevent_set_timeouts(c->bev, hs.tv_sec > 0 ? &hs : NULL, NULL);
	/* Stop reading while a whole maximal message waits: bounded memory. */
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    c->dec.max + 16 + 64 * 1024);
	bufferevent_enable(c->bev, EV_READ);
}

static void
in_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct tlsnet *tn = arg;
	struct syslogd *sd = tn->sd;
	const struct conf_options *o = &sd->conf->opt;
	struct timeval hs = { (time_t)o->tls_handshake_timeout, 0 };
	char peer[PEER_ADDRLEN];
	struct tls_in *c;

	if (getnameinfo(sa, (socklen_t)salen, peer, sizeof(peer), NULL, 0,
	    NI_NUMERICHOST) != 0)
		str_copy(peer, "?", sizeof(peer));
	if (tn->cur == NULL || (o->tls_max_connections >= 0 &&
	    tn->nconns >= o->tls_max_connections)) {
		if (time(NULL) - tn->limit_reported_at >= 10) {
			tn->limit_reported_at = time(NULL);
			ilog(sd, LOG_WARNING, "TLS: %lld connections, the "
			    "limit (tls_max_connections); refusing %s",
			    tn->nconns, peer);
			daemon_flush(sd);
		}
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->tn = tn;
	c->fd = fd;
	c->ref = ref_take(tn->cur);
	str_copy(c->peer, peer, sizeof(c->peer));
	frame_init(&c->dec, (size_t)o->tls_max_msg_size);
	c->next = tn->conns;
	tn->conns = c;
	tn->nconns++;
	c->peek_ev = event_new(sd->base, fd, EV_READ | EV_PERSIST, in_peek, c);
	if (c->peek_ev == NULL ||
	    event_add(c->peek_ev, hs.tv_sec > 0 ? &hs : NULL) == -1)
		in_close(c, false);
}

static void
listeners_close(struct tlsnet *tn)
{
	struct listener *l, *next;

	for (l = tn->listeners; l != NULL; l = next) {
		next = l->next;
		evconnlistener_free(l->l);
		free(l);
	}
	tn->listeners = NULL;
	free(tn->bindhost);
	free(tn->bindport);
	tn->bindhost = tn->bindport = NULL;
}

int
tlsnet_listen(struct syslogd *sd)
{
	const struct conf_options *o = &sd->conf->opt;
	struct addrinfo hints, *res, *ai;
	struct tlsnet *tn = sd->tn;
	const char *port = o->tls_bindport ? o->tls_bindport : TLS_DEFAULT_PORT;
	int fd, on = 1, err;

	if (!o->tls_server) {
		if (tn != NULL)
			listeners_close(tn);
		return 0;
	}
	if (tn == NULL || tn->cur == NULL)
		return -1;
	if (tn->listeners != NULL && same_str(tn->bindhost, o->tls_bindhost) &&
	    same_str(tn->bindport, port))
		return 0;
	listeners_close(tn);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((err = getaddrinfo(o->tls_bindhost, port, &hints, &res)) != 0) {
		ilog(sd, LOG_ERR, "TLS: cannot listen on %s port %s: %s",
		    o->tls_bindhost ? o->tls_bindhost : "*", port,
		    gai_strerror(err));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct listener *l;

		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof(on));
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    evutil_make_socket_nonblocking(fd) == -1) {
			ilog(sd, LOG_ERR, "TLS: cannot listen on %s port %s: "
			    "%s", o->tls_bindhost ? o->tls_bindhost : "*",
			    port, strerror(errno));
			close(fd);
			continue;
		}
		if ((l = calloc(1, sizeof(*l))) == NULL ||
		    (l->l = evconnlistener_new(sd->base, in_accept, tn,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 128,
		    fd)) == NULL) {
			free(l);
			close(fd);
			continue;
		}
		l->next = tn->listeners;
		tn->listeners = l;
	}
	freeaddrinfo(res);
	tn->bindhost = o->tls_bindhost ? strdup(o->tls_bindhost) : NULL;
	tn->bindport = strdup(port);
	return tn->listeners != NULL ? 0 : -1;
}

/* At exit, what each connection already holds is read, within bounds. */
#define EXIT_READ_MAX	(8 * 1024 * 1024)	/* bytes, per connection */
#define EXIT_READ_MSEC	1000			/* for all of them */

/* The socket is non-blocking: a peek does not wait. */
static bool
socket_has_data(evutil_socket_t fd)
{
	char b;

	return fd != -1 && recv(fd, &b, 1, MSG_PEEK) > 0;
}

/*
 * At exit: what the client sent and our kernel acknowledged would die
 * with the socket, and closing a socket with unread data resets the
 * connection.  Decrypt and route it first.  False when the connection
 * was closed meanwhile.
 */
static bool
in_read_rest(struct tls_in *c, uint64_t deadline)
{
	struct evbuffer_iovec v;
	struct evbuffer *in;
	size_t total = 0;
	SSL *ssl;
	int r;

	if (c->bev == NULL || !c->admitted ||
	    (ssl = bufferevent_openssl_get_ssl(c->bev)) == NULL)
		return true;
	in = bufferevent_get_input(c->bev);
	/* Idle connections, most of them, cost no buffers here. */
	while (total < EXIT_READ_MAX && daemon_clock_us() < deadline &&
	    (SSL_has_pending(ssl) ||
	    socket_has_data(bufferevent_getfd(c->bev))) &&
	    evbuffer_reserve_space(in, PULL_CHUNK, &v, 1) == 1) {
		r = SSL_read(ssl, v.iov_base, (int)v.iov_len);
		v.iov_len = r > 0 ? (size_t)r : 0;
		evbuffer_commit_space(in, &v, 1);
		if (r <= 0)
			break;		/* nothing more now, or closed */
		total += (size_t)r;
		if (!in_drain(c))
			return false;
	}
	ERR_clear_error();
	return in_drain(c);
}

void
tlsnet_shutdown(struct syslogd *sd)
{
	struct tlsnet *tn = sd->tn;
	uint64_t deadline = daemon_clock_us() + EXIT_READ_MSEC * 1000;

	if (tn == NULL)
		return;
	listeners_close(tn);
	while (tn->conns != NULL)
		if (in_read_rest(tn->conns, deadline))
			in_close(tn->conns, true);
	daemon_flush(sd);
	ref_drop(tn->cur);
	free(tn);
	sd->tn = NULL;
}

