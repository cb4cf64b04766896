/*
 * Sender names, looked up off the event loop (see resolver.h).
 *
 * The loop and the workers share only the table of lookups, under one
 * lock: a fixed number of slots, each free, asked for, being looked up or
 * answered.  A worker takes the oldest asked-for slot, runs getnameinfo()
 * without the lock, stores the answer and writes a byte to the pipe the
 * loop watches.  The workers start with the first lookup and block every
 * signal, which stays the loop's business.
 */
#include "resolver.h"

#include <netdb.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "ilog.h"
#include "namecache.h"
#include "net.h"
#include "strutil.h"

#define RS_THREADS	2
#define RS_SLOTS	64		/* lookups asked for, not yet taken back */
#define RS_NAMES	4096		/* senders remembered */
#define RS_HELD_BYTES	(1024 * 1024)	/* datagrams waiting for names */
#define RS_WAIT_US	(2 * 1000000ULL)	/* the longest wait for a name */
#define RS_TTL_US	(600 * 1000000ULL)	/* then the name is looked up again */
#define RS_FAIL_TTL_US	(60 * 1000000ULL)	/* after no name */
#define RS_BUSY_TTL_US	(10 * 1000000ULL)	/* after no free slot */

enum slot_state { SLOT_FREE, SLOT_ASKED, SLOT_LOOKING, SLOT_ANSWERED };

struct rs_slot {
	enum slot_state		 state;
	unsigned long		 seq;		/* asking order */
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct nc_addr		 addr;
	bool			 found;
	char			 name[NC_NAME_MAX + 1];
};

struct resolver {
	struct syslogd	*sd;
	struct namecache nc;
	struct event	*answer_ev, *deadline_ev;
	int		 pipe_r, pipe_w;
	bool		 threads_failed;
	unsigned long long looked_up, found, waited_out, not_asked;

	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* a slot was asked for, or stop */
	pthread_cond_t	 idle;		/* a worker finished a lookup */
	pthread_t	 thread[RS_THREADS];
	int		 nthreads;
	int		 nlooking;
	bool		 stopping;
	unsigned long	 next_seq;
	struct rs_slot	 slot[RS_SLOTS];
};

static struct rs_slot *
oldest_asked(struct resolver *rs)
{
	struct rs_slot *best = NULL;

	for (int i = 0; i < RS_SLOTS; i++)
		if (rs->slot[i].state == SLOT_ASKED &&
		    (best == NULL || rs->slot[i].seq < best->seq))
			best = &rs->slot[i];
	return best;
}

static void *
worker(void *arg)
{
	struct resolver *rs = arg;
	struct rs_slot *s;
	char name[NC_NAME_MAX + 1];
	bool found;

	pthread_mutex_lock(&rs->lock);
	for (;;) {
		while (!rs->stopping && (s = oldest_asked(rs)) == NULL)
			pthread_cond_wait(&rs->work, &rs->lock);
		if (rs->stopping)
			break;
		s->state = SLOT_LOOKING;
		rs->nlooking++;
		pthread_mutex_unlock(&rs->lock);
		found = getnameinfo((const struct sockaddr *)&s->ss, s->sslen,
		    name, sizeof(name), NULL, 0, NI_NAMEREQD) == 0;
		pthread_mutex_lock(&rs->lock);
		s->found = found;
		if (found)
			str_copy(s->name, name, sizeof(s->name));
		s->state = SLOT_ANSWERED;
		rs->nlooking--;
		pthread_cond_signal(&rs->idle);
		/* One byte is enough to wake the loop; a full pipe has it. */
		(void)write(rs->pipe_w, "", 1);
	}
	pthread_mutex_unlock(&rs->lock);
	return NULL;
}

static void deliver_held(struct resolver *rs, struct nc_entry *e);
static void schedule_deadline(struct resolver *rs);

static void
answers(evutil_socket_t fd, short what, void *arg)
{
	struct resolver *rs = arg;
	struct rs_slot got[RS_SLOTS];
	struct nc_entry *e;
	const char *dot;
	char drain[64];
	int n = 0;

	while (read(rs->pipe_r, drain, sizeof(drain)) > 0)
		continue;
	pthread_mutex_lock(&rs->lock);
	for (int i = 0; i < RS_SLOTS; i++)
		if (rs->slot[i].state == SLOT_ANSWERED) {
			got[n++] = rs->slot[i];
			rs->slot[i].state = SLOT_FREE;
		}
	pthread_mutex_unlock(&rs->lock);
	dot = strchr(rs->sd->fqdn, '.');
	for (int i = 0; i < n; i++) {
		if (got[i].found)
			rs->found++;
		e = nc_answer(&rs->nc, &got[i].addr, got[i].found ?
		    got[i].name : NULL, dot != NULL ? dot + 1 : NULL,
		    daemon_clock_us(), RS_TTL_US, RS_FAIL_TTL_US);
		if (e == NULL)
			continue;
		dlog(rs->sd, "sender %s: named %s", e->numeric, e->name);
		deliver_held(rs, e);
	}
	schedule_deadline(rs);
}

static void
deadline(evutil_socket_t fd, short what, void *arg)
{
	struct resolver *rs = arg;
	struct nc_entry *e;

	while ((e = nc_overdue(&rs->nc, daemon_clock_us())) != NULL) {
		rs->waited_out++;
		dlog(rs->sd, "sender %s: no name after %llu s, its messages "
		    "go out with the address", e->numeric, RS_WAIT_US / 1000000);
		deliver_held(rs, e);
	}
	schedule_deadline(rs);
}

static void
deliver_held(struct resolver *rs, struct nc_entry *e)
{
	struct nc_held *h, *next;

	if (e->held == NULL)
		return;
	for (h = nc_take_held(&rs->nc, e); h != NULL; h = next) {
		next = h->next;
		net_deliver(rs->sd, h->data, h->len, e->name, &h->arrived,
		    true, false);
		free(h);
	}
	daemon_flush_soon(rs->sd);
}

static void
schedule_deadline(struct resolver *rs)
{
	uint64_t when, now = daemon_clock_us(), us;
	struct timeval tv;

	if (!nc_next_deadline(&rs->nc, &when)) {
		event_del(rs->deadline_ev);
		return;
	}
	us = when > now ? when - now : 0;
	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	event_add(rs->deadline_ev, &tv);
}

static struct resolver *
resolver_new(struct syslogd *sd)
{
	struct resolver *rs;
	int p[2];

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	rs->sd = sd;
	rs->pipe_r = rs->pipe_w = -1;
	if (nc_init(&rs->nc, RS_NAMES, RS_HELD_BYTES) == -1) {
		free(rs);
		return NULL;
	}
	if (pipe(p) == -1)
		goto fail;
	rs->pipe_r = p[0];
	rs->pipe_w = p[1];
	for (int i = 0; i < 2; i++) {
		(void)fcntl(p[i], F_SETFD, FD_CLOEXEC);
		(void)fcntl(p[i], F_SETFL, O_NONBLOCK);
	}
	rs->answer_ev = event_new(sd->base, rs->pipe_r, EV_READ | EV_PERSIST,
	    answers, rs);
	rs->deadline_ev = evtimer_new(sd->base, deadline, rs);
	if (rs->answer_ev == NULL || rs->deadline_ev == NULL ||
	    event_add(rs->answer_ev, NULL) == -1)
		goto fail;
	pthread_mutex_init(&rs->lock, NULL);
	pthread_cond_init(&rs->work, NULL);
	pthread_cond_init(&rs->idle, NULL);
	return rs;
fail:
	if (rs->answer_ev != NULL)
		event_free(rs->answer_ev);
	if (rs->deadline_ev != NULL)
		event_free(rs->deadline_ev);
	if (rs->pipe_r != -1) {
		close(rs->pipe_r);
		close(rs->pipe_w);
	}
	nc_free(&rs->nc);
	free(rs);
	return NULL;
}

static bool
start_threads(struct resolver *rs)
{
	sigset_t all, old;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (rs->nthreads < RS_THREADS && (err = pthread_create(
	    &rs->thread[rs->nthreads], NULL, worker, rs)) == 0)
		rs->nthreads++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rs->nthreads == 0) {
		rs->threads_failed = true;
		ilog(rs->sd, LOG_ERR, "cannot start looking up sender names: "
		    "%s; UDP senders are recorded by address", strerror(err));
	}
	return rs->nthreads > 0;
}

/* Asks the workers for e's name; false when every slot is taken. */
static bool
ask(struct resolver *rs, struct nc_entry *e, const struct sockaddr *sa,
    socklen_t salen)
{
	struct rs_slot *s = NULL;

	if (rs->nthreads == 0 && (rs->threads_failed || !start_threads(rs)))
		return false;
	pthread_mutex_lock(&rs->lock);
	for (int i = 0; i < RS_SLOTS && s == NULL; i++)
		if (rs->slot[i].state == SLOT_FREE)
			s = &rs->slot[i];
	if (s != NULL) {
		s->state = SLOT_ASKED;
		s->seq = rs->next_seq++;
		memcpy(&s->ss, sa, (size_t)salen);
		s->sslen = salen;
		s->addr = e->addr;
		pthread_cond_signal(&rs->work);
	}
	pthread_mutex_unlock(&rs->lock);
	return s != NULL;
}

bool
resolver_name(struct syslogd *sd, const struct sockaddr *sa,
    socklen_t salen, const char *data, size_t len,
    const struct timeval *arrived, uint64_t now, char *out, size_t cap,
    uint64_t *reuse_until)
{
	struct resolver *rs = sd->resolver;
	struct nc_entry *e = NULL;
	struct nc_addr a;
	char numeric[sizeof(e->numeric)];

	*reuse_until = 0;
	if (rs == NULL && !sd->resolver_failed &&
	    (rs = sd->resolver = resolver_new(sd)) == NULL) {
		sd->resolver_failed = true;
		ilog(sd, LOG_ERR, "cannot look up sender names: %s; UDP "
		    "senders are recorded by address", strerror(errno));
	}
	if (rs == NULL)
		goto numeric;
	if (salen > (socklen_t)sizeof(struct sockaddr_storage) ||
	    !nc_addr_of(&a, sa, salen))
		goto numeric;
	/* The address as text only for a sender not seen yet. */
	if ((e = nc_find(&rs->nc, &a)) == NULL &&
	    (e = nc_get(&rs->nc, &a, net_addr_text(sa, salen, numeric,
	    sizeof(numeric)))) == NULL)
		goto numeric;
	if (nc_wants_lookup(e, now)) {
		if (ask(rs, e, sa, salen)) {
			rs->looked_up++;
			nc_looking(&rs->nc, e, now, RS_WAIT_US);
			schedule_deadline(rs);
		} else {
			rs->not_asked++;
			nc_not_looking(e, now + RS_BUSY_TTL_US);
		}
	}
	if (nc_must_wait(e)) {
		if (nc_hold(&rs->nc, e, data, len, arrived))
			return false;
		/* No room: what waits goes first, then this one, in order. */
		rs->waited_out++;
		nc_stop_waiting(&rs->nc, e);
		deliver_held(rs, e);
	}
	/* Not waiting (any more): the name holds until its refresh. */
	*reuse_until = e->refresh_at;
	str_copy(out, e->name, cap);
	return true;
numeric:
	net_addr_text(sa, salen, out, cap);
	return true;
}

unsigned
resolver_generation(const struct syslogd *sd)
{
	return sd->resolver != NULL ? sd->resolver->nc.generation : 0;
}

void
resolver_refresh(struct syslogd *sd)
{
	if (sd->resolver != NULL)
		nc_refresh_all(&sd->resolver->nc);
}

void
resolver_report(struct syslogd *sd)
{
	const struct resolver *rs = sd->resolver;

	if (rs == NULL)
		return;
	ilog(sd, LOG_INFO, "sender names: %llu lookups, %llu names found, "
	    "%llu waits given up, %llu lookups not started (all busy)",
	    rs->looked_up, rs->found, rs->waited_out, rs->not_asked);
}

void
resolver_shutdown(struct syslogd *sd)
{
	struct resolver *rs = sd->resolver;
	struct nc_entry *e;
	struct timespec until;
	bool idle;

	if (rs == NULL)
		return;
	sd->resolver = NULL;
	while ((e = nc_overdue(&rs->nc, UINT64_MAX)) != NULL)
		deliver_held(rs, e);
	event_free(rs->answer_ev);
	event_free(rs->deadline_ev);
	nc_free(&rs->nc);
	/* A worker inside getnameinfo() cannot be stopped: wait a little. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 200 * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&rs->lock);
	rs->stopping = true;
	pthread_cond_broadcast(&rs->work);
	while (rs->nlooking > 0 &&
	    pthread_cond_timedwait(&rs->idle, &rs->lock, &until) == 0)
		continue;
	idle = rs->nlooking == 0;
	pthread_mutex_unlock(&rs->lock);
	if (!idle)
		return;		/* the process exits around the lookup */
	for (int i = 0; i < rs->nthreads; i++)
		pthread_join(rs->thread[i], NULL);
	pthread_mutex_destroy(&rs->lock);
	pthread_cond_destroy(&rs->work);
	pthread_cond_destroy(&rs->idle);
	close(rs->pipe_r);
	close(rs->pipe_w);
	free(rs);
}
