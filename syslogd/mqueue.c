#include "mqueue.h"

#include <stdlib.h>
#include <string.h>

void
mq_init(struct mqueue *q, long long max_count, long long max_bytes)
{
	memset(q, 0, sizeof(*q));
	q->max_count = max_count;
	q->max_bytes = max_bytes;
}

static bool
over(const struct mqueue *q, size_t extra_count, size_t extra_bytes)
{
	return (q->max_count >= 0 &&
	    (long long)(q->count + extra_count) > q->max_count) ||
	    (q->max_bytes >= 0 &&
	    (long long)(q->bytes + extra_bytes) > q->max_bytes);
}

bool
mq_fits(const struct mqueue *q, size_t len)
{
	return !over(q, 1, len);
}

static struct mq_ent *
take_head(struct mqueue *q, int sev)
{
	struct mq_ent *e = q->head[sev];

	if (e == NULL)
		return NULL;
	if ((q->head[sev] = e->next) == NULL)
		q->tail[sev] = NULL;
	q->count--;
	q->bytes -= e->len;
	e->next = NULL;
	return e;
}

/* The least severe non-emergency level that has a message, or -1. */
static int
least_severe(const struct mqueue *q)
{
	for (int s = MQ_NSEV - 1; s > 0; s--)
		if (q->head[s] != NULL)
			return s;
	return -1;
}

static struct mq_ent *
make(int sev, const char *data, size_t len)
{
	struct mq_ent *e;

	if (len > UINT32_MAX || (e = malloc(sizeof(*e) + len)) == NULL)
		return NULL;
	e->next = NULL;
	e->len = (uint32_t)len;
	e->sev = (uint8_t)(sev < 0 ? 0 : sev >= MQ_NSEV ? MQ_NSEV - 1 : sev);
	memcpy(e->data, data, len);
	return e;
}

/* Makes room for one message of sev; false when it is to be dropped. */
static int
make_room(struct mqueue *q, int sev, size_t len, bool *drop_new)
{
	int dropped = 0, victim;

	*drop_new = false;
	while (over(q, 1, len)) {
		victim = least_severe(q);
		if (victim == -1 || victim < sev) {
			/* Nothing queued is less important than the new one. */
			if (sev != 0) {
				*drop_new = true;
				dropped++;
			}
			break;
		}
		free(take_head(q, victim));
		dropped++;
	}
	q->dropped += (unsigned)dropped;
	return dropped;
}

/* Adds a copy of data at the back, or at the front for resending. */
static int
push(struct mqueue *q, int sev, const char *data, size_t len, bool front)
{
	struct mq_ent *e;
	bool drop_new;
	int dropped = make_room(q, sev, len, &drop_new);

	if (drop_new)
		return dropped;
	if ((e = make(sev, data, len)) == NULL) {
		q->dropped++;
		return -1;
	}
	if (front) {
		e->seq = --q->front_seq;
		if ((e->next = q->head[e->sev]) == NULL)
			q->tail[e->sev] = e;
		q->head[e->sev] = e;
	} else {
		e->seq = q->next_seq++;
		if (q->tail[e->sev] != NULL)
			q->tail[e->sev]->next = e;
		else
			q->head[e->sev] = e;
		q->tail[e->sev] = e;
	}
	q->count++;
	q->bytes += len;
	return dropped;
}

int
mq_push(struct mqueue *q, int sev, const char *data, size_t len)
{
	return push(q, sev, data, len, false);
}

int
mq_push_front(struct mqueue *q, int sev, const char *data, size_t len)
{
	return push(q, sev, data, len, true);
}

static int
oldest_sev(const struct mqueue *q)
{
	int best = -1;

	for (int s = 0; s < MQ_NSEV; s++)
		if (q->head[s] != NULL &&
		    (best == -1 || q->head[s]->seq < q->head[best]->seq))
			best = s;
	return best;
}

struct mq_ent *
mq_peek(const struct mqueue *q)
{
	int s = oldest_sev(q);

	return s == -1 ? NULL : q->head[s];
}

struct mq_ent *
mq_pop(struct mqueue *q)
{
	int s = oldest_sev(q);

	return s == -1 ? NULL : take_head(q, s);
}

void
mq_clear(struct mqueue *q)
{
	for (int s = 0; s < MQ_NSEV; s++)
		while (q->head[s] != NULL)
			free(take_head(q, s));
}
