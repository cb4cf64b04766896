/*
 * Reading datagrams.  Each readable event takes a batch (recvmmsg where
 * the platform has it) and parses and routes every message; what the
 * actions buffered is written once the event loop has served every input
 * that was ready, so that a burst costs one write per file.  A UDP socket
 * with a steady flow is read on a timer instead (see pace()).
 *
 * Datagrams the kernel dropped because a socket's receive buffer was full
 * are counted where the system tells: on Linux SO_RXQ_OVFL attaches the
 * socket's cumulative drop count to each datagram received after drops;
 * on NetBSD SO_RERROR makes a receive fail with ENOBUFS once after an
 * overflow (an event, the number of datagrams is not known).  FreeBSD has
 * neither.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "ilog.h"
#include "net.h"
#include "resolver.h"

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__)
#define HAVE_RECVMMSG 1
#endif

#define DGRAM_MAX	(64 * 1024)	/* the largest UDP payload, and then some */
#define BATCH		64		/* datagrams per system call */
#define BATCHES_PER_EVENT 8		/* then let other inputs have a turn */
#define POLL_ENTER	16		/* datagrams per millisecond: poll */
#define POLL_LEAVE	8		/* fewer: read on arrival again */
#define POLL_TICK_MS	2
#define POLL_BATCHES	16		/* most batches one tick reads */
#define POLL_PAUSE_SEC	1		/* no polling after a loss or a flood */
#define POLL_SLACK_MS	20		/* how late a tick may be without loss */
#define DGRAM_OVERHEAD	768		/* charged beyond the payload (Linux: ~710) */
#define UNIX_RCVBUF	(256 * 1024)
#define UDP_RCVBUF	(4 * 1024 * 1024)
#define KLOG_MAX	8192
#define LOST_REPORT_SEC	10	/* at most one loss report per input per period */

#if defined(SO_RXQ_OVFL)
#define CTL_SPACE	CMSG_SPACE(sizeof(uint32_t))
#else
#define CTL_SPACE	1
#endif

enum input_kind { IN_UNIX, IN_UDP, IN_KLOG };

struct input {
	struct input	*next;
	struct syslogd	*sd;
	enum input_kind	 kind;
	int		 fd;
	struct event	*ev;
	/* UDP under load: read on a timer instead of on every arrival */
	struct event	*tick;
	bool		 polling;
	size_t		 rcvbuf;	/* what the socket got */
	size_t		 charged;	/* read since the last tick, kernel's count */
	unsigned	 got;		/* datagrams read since the last tick */
	uint64_t	 since;		/* the last tick or measure, in us */
	uint64_t	 poll_paused;	/* until then */
	unsigned long long lost_seen;
	char		*path;		/* unix socket, to unlink at exit */
	char		*buf;		/* BATCH * (DGRAM_MAX + 1) */
	char		*name;		/* "udp 127.0.0.1:514", "unix /dev/log" */
	/* datagrams (Linux) or overflows (NetBSD) lost in the kernel */
	bool		 ovfl;		/* the socket reports its drops */
	uint32_t	 drops_seen;	/* SO_RXQ_OVFL: the last count read */
	unsigned long long lost, lost_reported;
	time_t		 lost_reported_at;
	/* UDP: the last sender's address and its name, valid until then */
	struct sockaddr_storage peer;
	char		 peer_host[NI_MAXHOST];
	unsigned	 peer_gen;
	uint64_t	 peer_until;
	/* kernel log: a partial line waiting for its end */
	size_t		 klog_have;
};

static struct input *
input_add(struct syslogd *sd, enum input_kind kind, int fd)
{
	struct input *in;

	if ((in = calloc(1, sizeof(*in))) == NULL)
		return NULL;
	in->sd = sd;
	in->kind = kind;
	in->fd = fd;
	in->next = sd->inputs;
	sd->inputs = in;
	return in;
}

static const char *
input_name(const struct input *in)
{
	return in->name != NULL ? in->name : "?";	/* out of memory */
}

/* Asks the kernel to tell us about the datagrams it drops. */
static void
want_drops(struct input *in)
{
	int on = 1;

#if defined(SO_RXQ_OVFL)
	in->ovfl = setsockopt(in->fd, SOL_SOCKET, SO_RXQ_OVFL, &on,
	    sizeof(on)) == 0;
#elif defined(SO_RERROR)
	in->ovfl = setsockopt(in->fd, SOL_SOCKET, SO_RERROR, &on,
	    sizeof(on)) == 0;
#else
	(void)on;
	in->ovfl = false;
#endif
}

#if defined(SO_RXQ_OVFL) || defined(SO_RERROR)
static void
count_lost(struct input *in, unsigned long long n)
{
	in->lost += n;
	in->sd->in_stats.lost += n;
}
#endif

/*
 * "N messages lost on input X": when messages are being read, at most once
 * per period; never from a timer.
 */
static void
report_lost(struct input *in)
{
	unsigned long long n = in->lost - in->lost_reported;
	time_t now;

	if (n == 0 || in->sd->opt.no_overflow_report)
		return;
	now = time(NULL);
	if (now - in->lost_reported_at < LOST_REPORT_SEC)
		return;
	in->lost_reported = in->lost;
	in->lost_reported_at = now;
#if defined(SO_RXQ_OVFL)
	ilog(in->sd, LOG_WARNING, "%llu message%s lost on input %s: receive "
	    "buffer full (raise it with -B)", n, n == 1 ? "" : "s",
	    input_name(in));
#else
	ilog(in->sd, LOG_WARNING, "receive buffer of input %s overflowed "
	    "%llu time%s: messages lost, how many is not known (raise it with "
	    "-B)", input_name(in), n, n == 1 ? "" : "s");
#endif
}

void
net_report_counters(struct syslogd *sd)
{
	const struct input_stats *st = &sd->in_stats;

#if defined(SO_RXQ_OVFL)
	ilog(sd, LOG_INFO, "input: %llu received, %llu truncated, %llu lost "
	    "in the kernel", st->received, st->truncated, st->lost);
#elif defined(SO_RERROR)
	ilog(sd, LOG_INFO, "input: %llu received, %llu truncated, %llu "
	    "receive buffer overflows (messages lost, how many is not known)",
	    st->received, st->truncated, st->lost);
#else
	ilog(sd, LOG_INFO, "input: %llu received, %llu truncated",
	    st->received, st->truncated);
#endif
	for (struct input *in = sd->inputs; in != NULL; in = in->next) {
		if (in->lost == 0)
			continue;
#if defined(SO_RXQ_OVFL)
		ilog(sd, LOG_INFO, "input %s: %llu lost in the kernel",
		    input_name(in), in->lost);
#else
		ilog(sd, LOG_INFO, "input %s: %llu receive buffer overflows",
		    input_name(in), in->lost);
#endif
	}
}

/*
 * Only ever raises the buffer; halves the size until the system accepts
 * it.  Linux silently caps SO_RCVBUF at net.core.rmem_max, which root may
 * exceed.  Returns the size the socket has.
 */
static size_t
set_rcvbuf(int fd, long want)
{
	int cur = 0, v;
	socklen_t len = sizeof(cur);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == -1)
		cur = 0;
	for (v = (int)want; v > cur; v /= 2)
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) == 0)
			break;
	len = sizeof(cur);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == -1)
		return 0;
#if defined(SO_RCVBUFFORCE)
	/* Linux reports twice what was asked: its bookkeeping is counted. */
	if (cur / 2 < want) {
		v = (int)want;
		len = sizeof(cur);
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v,
		    sizeof(v)) == 0 &&
		    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == -1)
			return 0;
	}
#endif
	return (size_t)cur;
}

int
net_open_unix(struct syslogd *sd, const char *path)
{
	struct sockaddr_un sun;
	struct input *in;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		ilog(sd, LOG_ERR, "%s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0666) == -1) {
		ilog(sd, LOG_ERR, "%s: cannot create socket: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	(void)set_rcvbuf(fd, sd->opt.rcvbuf > 0 ? sd->opt.rcvbuf :
	    UNIX_RCVBUF);
	if ((in = input_add(sd, IN_UNIX, fd)) == NULL) {
		close(fd);
		return -1;
	}
	if ((in->path = strdup(path)) == NULL ||
	    (in->name = malloc(strlen(path) + 6)) == NULL)
		return -1;	/* closed with the others */
	sprintf(in->name, "unix %s", path);
	want_drops(in);
	return 0;
}

int
net_split_hostport(const char *spec, char *host, size_t hostcap,
    char *port, size_t portcap, const char *default_port)
{
	const char *colon, *end;
	size_t hl;

	str_copy(port, default_port, portcap);
	if (spec[0] == '[') {
		if ((end = strchr(spec, ']')) == NULL)
			return -1;
		hl = (size_t)(end - spec - 1);
		if (hl + 1 > hostcap)
			return -1;
		memcpy(host, spec + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			str_copy(port, end + 2, portcap);
		else if (end[1] != '\0')
			return -1;
		return port[0] == '\0' ? -1 : 0;
	}
	colon = strchr(spec, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL)
		colon = NULL;		/* a bare IPv6 address */
	hl = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	if (hl + 1 > hostcap)
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (colon != NULL)
		str_copy(port, colon + 1, portcap);
	return port[0] == '\0' ? -1 : 0;
}

/* "udp 127.0.0.1:514", "udp [::1]:514": how reports name the input. */
static void
udp_name(const struct addrinfo *ai, const char *spec, char *name, size_t cap)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), serv,
	    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(name, cap, "udp %s", spec);
	else
		snprintf(name, cap, ai->ai_family == AF_INET6 ?
		    "udp [%s]:%s" : "udp %s:%s", host, serv);
}

/* Binds UDP reception; at start-up only, so blocking resolution is fine. */
int
net_open_udp(struct syslogd *sd, const char *spec)
{
	struct addrinfo hints, *res, *ai;
	struct input *in;
	char host[256], port[64], name[NI_MAXHOST + NI_MAXSERV + 8];
	int fd, err, on = 1, opened = 0;
	size_t rcvbuf;

	if (net_split_hostport(spec, host, sizeof(host), port, sizeof(port),
	    "syslog") == -1) {
		ilog(sd, LOG_ERR, "-b %s: expected address[:port]", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	err = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (err == EAI_SERVICE && strcmp(port, "syslog") == 0)
		err = getaddrinfo(host[0] ? host : NULL, "514", &hints, &res);
	if (err != 0) {
		ilog(sd, LOG_ERR, "-b %s: %s", spec, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		if (ai->ai_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof(on));
		udp_name(ai, spec, name, sizeof(name));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			ilog(sd, LOG_ERR, "%s: bind: %s", name,
			    strerror(errno));
			close(fd);
			continue;
		}
		rcvbuf = set_rcvbuf(fd, sd->opt.rcvbuf > 0 ?
		    sd->opt.rcvbuf : UDP_RCVBUF);
		if ((in = input_add(sd, IN_UDP, fd)) == NULL) {
			close(fd);
			continue;
		}
		in->rcvbuf = rcvbuf;
		dlog(sd, "%s: receive buffer of %zu bytes", name, rcvbuf);
		in->name = strdup(name);
		want_drops(in);
		opened++;
	}
	freeaddrinfo(res);
	return opened > 0 ? 0 : -1;
}

int
net_open_klog(struct syslogd *sd)
{
#if defined(__linux__)
	const char *path = "/dev/kmsg";
#else
	const char *path = "/dev/klog";
#endif
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		dlog(sd, "%s: %s (kernel messages not read)", path,
		    strerror(errno));
		return 0;
	}
	if (input_add(sd, IN_KLOG, fd) == NULL) {
		close(fd);
		return -1;
	}
	return 0;
}

void
net_deliver(struct syslogd *sd, const char *buf, size_t len, const char *from,
    const struct timeval *now, bool network, bool kernel)
{
	struct msg_parse_opts po;
	struct msg *m = sd->scratch;

	po.now = *now;
	po.use_now = kernel || (network && sd->opt.use_local_time);
	po.allow_kern = kernel || sd->opt.keep_kern;
	po.default_pri = kernel ? (LOG_KERN | LOG_NOTICE) : MSG_DEFAULT_PRI;
	po.tz = &sd->tz;
	msg_parse(m, buf, len, &po);
	if (kernel)
		m->flags |= MSG_F_KERNEL;
	m->recvhost = from;
	sd->in_stats.received++;
	if (m->flags & MSG_F_TRUNCATED)
		sd->in_stats.truncated++;
	daemon_dispatch(sd, m);
}

const char *
net_addr_text(const struct sockaddr *sa, socklen_t len, char *buf,
    size_t cap)
{
	if (getnameinfo(sa, len, buf, (socklen_t)cap, NULL, 0,
	    NI_NUMERICHOST) != 0)
		str_copy(buf, "???", cap);
	return buf;
}

/*
 * NetBSD's SO_RERROR: a receive fails once with ENOBUFS after the buffer
 * overflowed.  Counted; the caller reads on.
 */
static bool
overflowed(struct input *in)
{
#if defined(SO_RERROR) && !defined(SO_RXQ_OVFL)
	if (errno != ENOBUFS || !in->ovfl)
		return false;
	count_lost(in, 1);
	return true;
#else
	(void)in;
	return false;
#endif
}

#if defined(SO_RXQ_OVFL)
/* The drop count the kernel attached to a datagram, if any. */
static void
read_drops(struct input *in, struct msghdr *mh)
{
	struct cmsghdr *cm;
	uint32_t v;

	if (mh->msg_controllen == 0)
		return;
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SO_RXQ_OVFL &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(v))) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			/* Cumulative, 32 bits: the difference wraps right. */
			count_lost(in, (uint32_t)(v - in->drops_seen));
			in->drops_seen = v;
		}
}
#endif

/* Whether ss is the sender the last datagram came from. */
static bool
same_peer(const struct input *in, const struct sockaddr_storage *ss,
    socklen_t len)
{
	const struct sockaddr_in *a4 = (const void *)ss,
	    *b4 = (const void *)&in->peer;
	const struct sockaddr_in6 *a6 = (const void *)ss,
	    *b6 = (const void *)&in->peer;

	if (ss->ss_family != in->peer.ss_family)
		return false;
	if (ss->ss_family == AF_INET && len >= (socklen_t)sizeof(*a4))
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (ss->ss_family == AF_INET6 && len >= (socklen_t)sizeof(*a6))
		return a6->sin6_scope_id == b6->sin6_scope_id &&
		    memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr)) == 0;
	return false;
}

/*
 * The name a datagram from ss is recorded under (its address with -n),
 * or NULL when the datagram waits for its sender's name (resolver.h).
 * A burst mostly comes from one sender: the last one's name is kept, for
 * as long as the resolver says it holds.  now: monotonic microseconds.
 */
static const char *
sender_name(struct input *in, const struct sockaddr_storage *ss,
    socklen_t len, const char *data, size_t dlen,
    const struct timeval *arrived, uint64_t now)
{
	struct syslogd *sd = in->sd;
	uint64_t until = UINT64_MAX;

	if (same_peer(in, ss, len) && (sd->opt.numeric ||
	    (in->peer_gen == resolver_generation(sd) && now < in->peer_until)))
		return in->peer_host;
	in->peer.ss_family = AF_UNSPEC;
	if (sd->opt.numeric)
		net_addr_text((const struct sockaddr *)ss, len, in->peer_host,
		    sizeof(in->peer_host));
	else if (!resolver_name(sd, (const struct sockaddr *)ss, len, data,
	    dlen, arrived, now, in->peer_host, sizeof(in->peer_host), &until))
		return NULL;
	if (until > now && (ss->ss_family == AF_INET ||
	    ss->ss_family == AF_INET6)) {
		memcpy(&in->peer, ss, ss->ss_family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
		in->peer_gen = resolver_generation(sd);
		in->peer_until = until;
	}
	return in->peer_host;
}

/* What pace() measures a UDP flow by. */
static void
count_udp(struct input *in, size_t len)
{
	in->got++;
	in->charged += len + DGRAM_OVERHEAD;
}

#ifdef HAVE_RECVMMSG
static int
read_batch(struct input *in)
{
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage from[BATCH];
	union {
		struct cmsghdr	align;
		char		buf[CTL_SPACE];
	} ctl[BATCH];
	struct timeval now;
	uint64_t mono = 0;
	int n;

	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = in->buf + (size_t)i * (DGRAM_MAX + 1);
		iov[i].iov_len = DGRAM_MAX;
		memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		if (in->kind == IN_UDP) {
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
#if defined(SO_RXQ_OVFL)
		if (in->ovfl) {
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
#endif
	}
	(void)ctl;
	while ((n = recvmmsg(in->fd, mm, BATCH, MSG_DONTWAIT, NULL)) == -1 &&
	    overflowed(in))
		continue;
	gettimeofday(&now, NULL);	/* one arrival time for the batch */
	if (n > 0 && in->kind == IN_UDP && !in->sd->opt.numeric)
		mono = daemon_clock_us();
	for (int i = 0; i < n; i++) {
		const char *who = in->sd->fqdn;

		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
			in->sd->in_stats.truncated++;
#if defined(SO_RXQ_OVFL)
		read_drops(in, &mm[i].msg_hdr);
#endif
		if (in->kind == IN_UDP) {
			count_udp(in, mm[i].msg_len);
			who = sender_name(in, &from[i],
			    mm[i].msg_hdr.msg_namelen, iov[i].iov_base,
			    mm[i].msg_len, &now, mono);
			if (who == NULL)
				continue;	/* it waits for the name */
		}
		net_deliver(in->sd, iov[i].iov_base, mm[i].msg_len, who, &now,
		    in->kind == IN_UDP, false);
	}
	return n;
}
#else
static int
read_batch(struct input *in)
{
	struct sockaddr_storage from;
	struct timeval now;
	const char *who;
	socklen_t fromlen;
	ssize_t len;
	int n;

	for (n = 0; n < BATCH; n++) {
		fromlen = sizeof(from);
		len = recvfrom(in->fd, in->buf, DGRAM_MAX, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (len == -1 && overflowed(in)) {
			n--;
			continue;
		}
		if (len == -1)
			return n > 0 ? n : -1;
		gettimeofday(&now, NULL);
		who = in->sd->fqdn;
		if (in->kind == IN_UDP) {
			count_udp(in, (size_t)len);
			who = sender_name(in, &from, fromlen, in->buf,
			    (size_t)len, &now, in->sd->opt.numeric ? 0 :
			    daemon_clock_us());
			if (who == NULL)
				continue;	/* it waits for the name */
		}
		net_deliver(in->sd, in->buf, (size_t)len, who, &now,
		    in->kind == IN_UDP, false);
	}
	return n;
}
#endif

/*
 * Linux /dev/kmsg gives one record per read: "pri,seq,usec,flags;text"
 * followed by continuation lines.  The BSDs' /dev/klog gives lines, each
 * with "<pri>" when the kernel's syslog gave one.
 */
static void
read_klog(struct input *in)
{
	char *buf = in->buf;
	struct timeval now;
	ssize_t n;

	for (int i = 0; i < BATCH * BATCHES_PER_EVENT; i++) {
#if defined(__linux__)
		char *semi, *nl, rec[KLOG_MAX + 16];
		long pri;

		n = read(in->fd, buf, KLOG_MAX);
		if (n == -1 && errno == EPIPE)
			continue;	/* overwritten before we read it */
		if (n <= 0)
			break;
		gettimeofday(&now, NULL);
		buf[n] = '\0';
		if ((semi = strchr(buf, ';')) == NULL)
			continue;
		pri = strtol(buf, NULL, 10);
		if ((nl = strchr(semi + 1, '\n')) != NULL)
			*nl = '\0';
		n = snprintf(rec, sizeof(rec), "<%ld>%s", pri, semi + 1);
		if (n > 0)
			net_deliver(in->sd, rec, (size_t)n < sizeof(rec) ?
			    (size_t)n : sizeof(rec) - 1, in->sd->fqdn, &now,
			    false, true);
#else
		char *start, *nl;

		n = read(in->fd, buf + in->klog_have,
		    KLOG_MAX - in->klog_have);
		if (n <= 0)
			break;
		gettimeofday(&now, NULL);
		in->klog_have += (size_t)n;
		start = buf;
		while ((nl = memchr(start, '\n',
		    in->klog_have - (size_t)(start - buf))) != NULL) {
			net_deliver(in->sd, start, (size_t)(nl - start),
			    in->sd->fqdn, &now, false, true);
			start = nl + 1;
		}
		in->klog_have -= (size_t)(start - buf);
		if (in->klog_have == KLOG_MAX) {
			/* A line longer than the buffer: take it as it is. */
			net_deliver(in->sd, buf, in->klog_have, in->sd->fqdn,
			    &now, false, true);
			in->klog_have = 0;
		}
		memmove(buf, start, in->klog_have);
#endif
	}
}

/*
 * A busy UDP input is read on a timer rather than on every arrival: a
 * wake-up then takes dozens or hundreds of datagrams instead of a few,
 * which costs a fraction of the CPU.  Meanwhile the datagrams wait in the socket's
 * receive buffer, so the timer is used only while the buffer could hold
 * POLL_SLACK_MS more of the flow on top of one tick's worth: a tick that
 * comes late must not lose what reading on arrival would have kept.  Any
 * loss stops the polling for a while.
 */
/* Whether the flow read over the last 'us' would leave that slack. */
static bool
poll_room(const struct input *in, uint64_t us)
{
	/* Linux frees the space of what was read lazily: count on 3/4. */
	double room = (double)in->rcvbuf * 0.75, rate;

	rate = (double)in->charged / (double)(us > 0 ? us : 1);
	return rate * (double)(us + POLL_SLACK_MS * 1000) <= room;
}

static void
pace(struct input *in, bool drained)
{
	static const struct timeval tick = { 0, POLL_TICK_MS * 1000 },
	    now0 = { 0, 0 };
	uint64_t now, us;
	bool busy, room;

	if (in->polling && !drained) {
		evtimer_add(in->tick, &now0);	/* the rest, after the others */
		return;
	}
	now = daemon_clock_us();
	us = now - in->since;
	if (!in->polling && us < 1000 && in->lost == in->lost_seen)
		return;		/* measure over a millisecond at least */
	busy = (uint64_t)in->got * 1000 >= (in->polling ? POLL_LEAVE :
	    POLL_ENTER) * us;
	room = poll_room(in, us);
	if (in->lost != in->lost_seen || (busy && !room))
		in->poll_paused = now + POLL_PAUSE_SEC * 1000000;
	in->lost_seen = in->lost;
	in->since = now;
	in->got = 0;
	in->charged = 0;
	if (busy && room && now >= in->poll_paused) {
		if (!in->polling) {
			dlog(in->sd, "input %s: reading every %d ms",
			    input_name(in), POLL_TICK_MS);
			event_del(in->ev);
		}
		in->polling = true;
		evtimer_add(in->tick, &tick);
	} else if (in->polling) {
		dlog(in->sd, "input %s: reading on arrival", input_name(in));
		in->polling = false;
		event_add(in->ev, NULL);
	}
}

static void
readable(evutil_socket_t fd, short what, void *arg)
{
	struct input *in = arg;
	int n = 0, most;

	if (in->kind == IN_KLOG)
		read_klog(in);
	else {
		most = in->polling ? POLL_BATCHES : BATCHES_PER_EVENT;
		for (int i = 0; i < most; i++)
			if ((n = read_batch(in)) < BATCH)
				break;
		if (in->lost > in->lost_reported)
			report_lost(in);
		if (in->kind == IN_UDP)
			pace(in, n < BATCH);
	}
	daemon_flush_soon(in->sd);
}

int
net_start(struct syslogd *sd)
{
	size_t size;

	for (struct input *in = sd->inputs; in != NULL; in = in->next) {
		/* Untouched pages of the batch buffer cost no memory. */
		size = in->kind == IN_KLOG ? KLOG_MAX + 1 :
		    (size_t)BATCH * (DGRAM_MAX + 1);
		if ((in->buf = malloc(size)) == NULL)
			return -1;
		(void)fcntl(in->fd, F_SETFD, FD_CLOEXEC);
		(void)fcntl(in->fd, F_SETFL, O_NONBLOCK);
		in->ev = event_new(sd->base, in->fd, EV_READ | EV_PERSIST,
		    readable, in);
		if (in->ev == NULL || event_add(in->ev, NULL) == -1)
			return -1;
		if (in->kind == IN_UDP && (in->tick = evtimer_new(sd->base,
		    readable, in)) == NULL)
			return -1;
		in->since = daemon_clock_us();
	}
	return 0;
}

void
net_close_all(struct syslogd *sd)
{
	struct input *in, *next;

	for (in = sd->inputs; in != NULL; in = next) {
		next = in->next;
		if (in->ev != NULL)
			event_free(in->ev);
		if (in->tick != NULL)
			event_free(in->tick);
		close(in->fd);
		if (in->path != NULL)
			(void)unlink(in->path);
		free(in->path);
		free(in->name);
		free(in->buf);
		free(in);
	}
	sd->inputs = NULL;
}
