/*
 * A bounded backlog of messages for one action.  When a limit would be
 * exceeded, the least severe message goes first, the oldest of its
 * severity; emergencies are never dropped (the limit yields instead).
 * Pure: no I/O; one allocation per queued message, which happens only
 * while a destination is slow or down.
 */
#ifndef SYSLOGD_MQUEUE_H
#define SYSLOGD_MQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MQ_NSEV	8

struct mq_ent {
	struct mq_ent	*next;
	int64_t		 seq;		/* order across severities */
	uint32_t	 len;
	uint8_t		 sev;
	char		 data[];
};

struct mqueue {
	struct mq_ent	*head[MQ_NSEV], *tail[MQ_NSEV];
	size_t		 count;
	size_t		 bytes;		/* data bytes */
	long long	 max_count;	/* -1: unlimited */
	long long	 max_bytes;	/* -1: unlimited */
	int64_t		 next_seq, front_seq;
	unsigned long long dropped;	/* total, by the limits */
};

void	mq_init(struct mqueue *q, long long max_count, long long max_bytes);
/*
 * Appends a copy of data.  Returns how many messages the limits dropped
 * to make room (the new one counts when it was itself the least severe),
 * or -1 when out of memory (the message is lost and counted).
 */
int	mq_push(struct mqueue *q, int sev, const char *data, size_t len);
/* Puts a message before every queued one (for resending). */
int	mq_push_front(struct mqueue *q, int sev, const char *data, size_t len);
/* Would a message of sev and len fit without dropping anything? */
bool	mq_fits(const struct mqueue *q, size_t len);
/* The oldest message, or NULL. */
struct mq_ent *mq_peek(const struct mqueue *q);
/* Removes the oldest message; the caller frees it with free(). */
struct mq_ent *mq_pop(struct mqueue *q);
void	mq_clear(struct mqueue *q);

#endif
