/*
 * The names of UDP senders: a bounded table from address to the name
 * their messages are recorded under, and the datagrams that wait for a
 * sender's first lookup.  Pure: the caller runs the lookups and passes
 * the time (microseconds on a monotonic clock).
 *
 * An entry starts with its numeric address as its name.  While its first
 * lookup is under way its datagrams wait in the entry, in order, so that
 * every message of a sender carries the same name; they go out with the
 * address instead when the answer is late or the waiting room is full.
 * Later lookups refresh the name in the background.
 */
#ifndef SYSLOGD_NAMECACHE_H
#define SYSLOGD_NAMECACHE_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_NAME_MAX	255

struct nc_addr {
	int		family;		/* AF_INET or AF_INET6 */
	uint32_t	scope;
	unsigned char	bytes[16];	/* 4 used for AF_INET */
};

struct nc_held {
	struct nc_held	*next;
	struct timeval	 arrived;
	size_t		 len;
	char		 data[];
};

struct nc_entry {
	struct nc_entry	*hnext;			/* hash chain */
	struct nc_entry	*older, *newer;		/* use order */
	struct nc_entry	*next_waiting;		/* holding, by deadline */
	struct nc_addr	 addr;
	char		 name[NC_NAME_MAX + 1];	/* what messages get */
	char		 numeric[64];		/* the address as text */
	bool		 looking;		/* a lookup is under way */
	bool		 settled;		/* no more waiting for a name */
	bool		 waiting;		/* on the waiting list */
	uint64_t	 refresh_at;		/* look again from then on */
	uint64_t	 deadline;		/* held datagrams go out then */
	struct nc_held	*held, **held_tail;
	size_t		 held_bytes;
};

struct namecache {
	struct nc_entry	**bucket;
	size_t		  nbucket;		/* a power of two */
	struct nc_entry	 *oldest, *newest;
	struct nc_entry	 *waiting, **waiting_tail;
	size_t		  count, max_entries;
	size_t		  held_bytes, max_held_bytes;
	/* Changes whenever a name some message could get has changed. */
	unsigned	  generation;
};

int	nc_init(struct namecache *nc, size_t max_entries,
	    size_t max_held_bytes);
/* Frees every entry, and any datagram still held. */
void	nc_free(struct namecache *nc);

/* The address part of a sockaddr; false for other families. */
bool	nc_addr_of(struct nc_addr *a, const struct sockaddr *sa,
	    socklen_t len);

/* The entry of a, or NULL; it becomes the most recently used. */
struct nc_entry *nc_find(struct namecache *nc, const struct nc_addr *a);
/*
 * The entry of a, made (named numeric, with no lookup yet) when absent:
 * the least recently used entry that holds nothing makes room.  NULL when
 * there is no room or no memory: use the numeric address.
 */
struct nc_entry *nc_get(struct namecache *nc, const struct nc_addr *a,
	    const char *numeric);

/* Whether e wants a lookup started now. */
bool	nc_wants_lookup(const struct nc_entry *e, uint64_t now);
/*
 * A lookup of e has started; its first one makes the entry's datagrams
 * wait until now + wait_us at the latest.
 */
void	nc_looking(struct namecache *nc, struct nc_entry *e, uint64_t now,
	    uint64_t wait_us);
/* No lookup could be started: keep the address until retry_at. */
void	nc_not_looking(struct nc_entry *e, uint64_t retry_at);

/* Whether a datagram from e must wait for its name. */
bool	nc_must_wait(const struct nc_entry *e);
/*
 * Keeps a copy of a datagram; false when the waiting room is full.  Each
 * counts its length plus a header against max_held_bytes.
 */
bool	nc_hold(struct namecache *nc, struct nc_entry *e, const char *data,
	    size_t len, const struct timeval *arrived);

/*
 * A lookup of a ended: name is the raw answer, NULL when there is none.
 * An answer that is not a valid host name is taken as none, and none
 * gives the numeric address; a name in local_domain (may be NULL) loses
 * that domain.  A name is looked up again from now + ttl_us on, an
 * address from now + fail_ttl_us on.
 * Returns the entry, whose held datagrams (nc_take_held) may now go out,
 * or NULL when the entry is gone.
 */
struct nc_entry *nc_answer(struct namecache *nc, const struct nc_addr *a,
	    const char *name, const char *local_domain, uint64_t now,
	    uint64_t ttl_us, uint64_t fail_ttl_us);

/*
 * The first entry whose datagrams waited until their deadline (at now),
 * settled with the name it has; NULL when none is due.
 */
struct nc_entry *nc_overdue(struct namecache *nc, uint64_t now);
/* Ends e's wait now, with the name it has (as when overdue). */
void	nc_stop_waiting(struct namecache *nc, struct nc_entry *e);
/* When the next entry is due, if any entry waits. */
bool	nc_next_deadline(const struct namecache *nc, uint64_t *when);

/* Takes e's held datagrams, oldest first; the caller frees each. */
struct nc_held *nc_take_held(struct namecache *nc, struct nc_entry *e);

/* Every name is looked up again on its next use (kept until answered). */
void	nc_refresh_all(struct namecache *nc);

/*
 * Whether s (len bytes) is a host name we record: letters, digits, '-',
 * '_' and '.', 1 to NC_NAME_MAX bytes, no empty label, not only digits
 * and dots.
 */
bool	nc_valid_name(const char *s, size_t len);

#endif
