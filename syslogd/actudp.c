/*
 * @host[:port]: one datagram per message (RFC 5426).  Names are resolved
 * with evdns, never blocking the loop; until a name resolves, lines wait
 * in the queue and resolution is retried with a capped back-off.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "action.h"
#include "daemon.h"
#include "ilog.h"

#define UDP_MSG_MAX		16384	/* longer messages are cut */
#define RESOLVE_RETRY_MAX	300	/* seconds */

static int
udp_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM, 0);

	if (fd == -1)
		return -1;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void resolve(struct syslogd *, struct action *);

static void
resolve_retry(evutil_socket_t fd, short what, void *arg)
{
	struct action *a = arg;

	resolve(a->sd, a);
}

static void
resolved(int err, struct evutil_addrinfo *res, void *arg)
{
	struct action *a = arg;
	struct syslogd *sd = a->sd;
	struct timeval tv;

	a->resolving = NULL;
	if (err == EVUTIL_EAI_CANCEL)
		return;
	if (err != 0) {
		if (a->last_errno != -err) {
			a->last_errno = -err;
			ilog(sd, LOG_ERR, "%s: cannot resolve: %s", a->name,
			    evutil_gai_strerror(err));
		}
		a->backoff = a->backoff == 0 ? 1 : a->backoff * 2;
		if (a->backoff > RESOLVE_RETRY_MAX)
			a->backoff = RESOLVE_RETRY_MAX;
		tv.tv_sec = a->backoff;
		tv.tv_usec = 0;
		if (a->retry_timer == NULL)
			a->retry_timer = evtimer_new(sd->base, resolve_retry, a);
		if (a->retry_timer != NULL)
			evtimer_add(a->retry_timer, &tv);
		return;
	}
	a->backoff = 0;
	a->last_errno = 0;
	a->addrs = res;
	a->blocked = false;
	action_mark_dirty(sd, a);
	daemon_flush(sd);
}

static void
resolve(struct syslogd *sd, struct action *a)
{
	struct evutil_addrinfo hints;
	const char *port = a->rule->act.port ? a->rule->act.port : "514";

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	if (sd->dns == NULL)
		sd->dns = evdns_base_new(sd->base,
		    EVDNS_BASE_INITIALIZE_NAMESERVERS |
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (sd->dns == NULL) {
		ilog(sd, LOG_ERR, "%s: cannot start the resolver", a->name);
		return;
	}
	a->resolving = evdns_getaddrinfo(sd->dns, a->rule->act.target, port,
	    &hints, resolved, a);
}

static int
udp_open(struct syslogd *sd, struct action *a)
{
	struct evutil_addrinfo hints, *res;
	const char *port = a->rule->act.port ? a->rule->act.port : "514";

	a->udp_fd4 = udp_socket(AF_INET);
	a->udp_fd6 = udp_socket(AF_INET6);
	if (a->udp_fd4 == -1 && a->udp_fd6 == -1) {
		action_error(sd, a, errno, "socket");
		return -1;
	}
	/* Addresses need no resolver; names go through evdns. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (evutil_getaddrinfo(a->rule->act.target, port, &hints, &res) == 0) {
		a->addrs = res;
		return 0;
	}
	a->blocked = true;	/* until the name resolves */
	resolve(sd, a);
	return 0;
}

static void
send_one(struct syslogd *sd, struct action *a, const char *buf, size_t len)
{
	struct evutil_addrinfo *ai = a->addrs;
	int fd = ai->ai_family == AF_INET6 ? a->udp_fd6 : a->udp_fd4;

	if (len > UDP_MSG_MAX) {
		len = UDP_MSG_MAX;
		a->cnt.truncated++;
	}
	if (fd != -1 &&
	    sendto(fd, buf, len, 0, ai->ai_addr, ai->ai_addrlen) != -1) {
		a->cnt.written++;
		if (a->last_errno != 0) {
			a->last_errno = 0;
			ilog(sd, LOG_NOTICE, "%s: sending again", a->name);
		}
		return;
	}
	action_drop(a, DROP_WRITE_ERROR, 1);
	/* Full socket buffers are a burst, not news; anything else is. */
	if (fd != -1 && errno != ENOBUFS && errno != EAGAIN)
		action_error(sd, a, errno, "sendto");
}

static void
udp_write(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len, size_t body_off)
{
	if (a->addrs != NULL)
		send_one(sd, a, wire, len);
	else
		action_enqueue(sd, a, m->sev, wire, len, NULL, 0);
}

/* Sends the lines that waited for the name to resolve. */
static void
udp_flush(struct syslogd *sd, struct action *a)
{
	struct mq_ent *e;

	if (a->addrs == NULL)
		return;
	while ((e = mq_pop(&a->backlog)) != NULL) {
		send_one(sd, a, e->data, e->len - 1);	/* without the newline */
		free(e);
	}
}

static void
udp_close(struct syslogd *sd, struct action *a)
{
	if (a->resolving != NULL)
		evdns_getaddrinfo_cancel(a->resolving);
	a->resolving = NULL;
	if (a->addrs != NULL)
		evutil_freeaddrinfo(a->addrs);
	a->addrs = NULL;
	if (a->udp_fd4 != -1)
		close(a->udp_fd4);
	if (a->udp_fd6 != -1)
		close(a->udp_fd6);
	a->udp_fd4 = a->udp_fd6 = -1;
}

const struct action_ops udp_ops = {
	.open = udp_open,
	.write = udp_write,
	.flush = udp_flush,
	.close = udp_close,
};
