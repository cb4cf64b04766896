/*
 * The table of UDP senders' names (see namecache.h).  A hash table for
 * finding entries, a list in order of use for choosing which to forget,
 * and a list of the entries whose datagrams wait, in deadline order
 * (every wait is as long, so that is the order the waits began).
 */
#include "namecache.h"

#include <netinet/in.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strutil.h"

int
nc_init(struct namecache *nc, size_t max_entries, size_t max_held_bytes)
{
	memset(nc, 0, sizeof(*nc));
	nc->nbucket = 16;
	while (nc->nbucket < max_entries)
		nc->nbucket *= 2;
	if ((nc->bucket = calloc(nc->nbucket, sizeof(*nc->bucket))) == NULL)
		return -1;
	nc->max_entries = max_entries;
	nc->max_held_bytes = max_held_bytes;
	nc->waiting_tail = &nc->waiting;
	return 0;
}

static void
free_held(struct nc_held *h)
{
	struct nc_held *next;

	for (; h != NULL; h = next) {
		next = h->next;
		free(h);
	}
}

void
nc_free(struct namecache *nc)
{
	struct nc_entry *e, *next;

	for (e = nc->oldest; e != NULL; e = next) {
		next = e->newer;
		free_held(e->held);
		free(e);
	}
	free(nc->bucket);
	memset(nc, 0, sizeof(*nc));
}

bool
nc_addr_of(struct nc_addr *a, const struct sockaddr *sa, socklen_t len)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET &&
	    len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const void *)sa;

		a->family = AF_INET;
		memcpy(a->bytes, &s4->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6 &&
	    len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		a->family = AF_INET6;
		a->scope = s6->sin6_scope_id;
		memcpy(a->bytes, &s6->sin6_addr, 16);
		return true;
	}
	return false;
}

static bool
same_addr(const struct nc_addr *a, const struct nc_addr *b)
{
	return a->family == b->family && a->scope == b->scope &&
	    memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

/* FNV-1a over the address. */
static size_t
slot_of(const struct namecache *nc, const struct nc_addr *a)
{
	uint32_t h = 2166136261u ^ (uint32_t)a->family;
	size_t n = a->family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < n; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	h = (h ^ a->scope) * 16777619u;
	return h & (nc->nbucket - 1);
}

static struct nc_entry *
find(const struct namecache *nc, const struct nc_addr *a)
{
	struct nc_entry *e;

	for (e = nc->bucket[slot_of(nc, a)]; e != NULL; e = e->hnext)
		if (same_addr(&e->addr, a))
			return e;
	return NULL;
}

static void
unlink_use(struct namecache *nc, struct nc_entry *e)
{
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		nc->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		nc->newest = e->older;
	e->older = e->newer = NULL;
}

static void
link_newest(struct namecache *nc, struct nc_entry *e)
{
	e->older = nc->newest;
	e->newer = NULL;
	if (nc->newest != NULL)
		nc->newest->newer = e;
	else
		nc->oldest = e;
	nc->newest = e;
}

static void
unlink_waiting(struct namecache *nc, struct nc_entry *e)
{
	struct nc_entry **pp;

	if (!e->waiting)
		return;
	for (pp = &nc->waiting; *pp != e; pp = &(*pp)->next_waiting)
		continue;
	*pp = e->next_waiting;
	if (nc->waiting_tail == &e->next_waiting)
		nc->waiting_tail = pp;
	e->next_waiting = NULL;
	e->waiting = false;
}

/* Forgets the least recently used entry that holds nothing. */
static bool
evict_one(struct namecache *nc)
{
	struct nc_entry *e, **pp;

	for (e = nc->oldest; e != NULL; e = e->newer)
		if (e->held == NULL && !e->waiting)
			break;
	if (e == NULL)
		return false;
	for (pp = &nc->bucket[slot_of(nc, &e->addr)]; *pp != e;
	    pp = &(*pp)->hnext)
		continue;
	*pp = e->hnext;
	unlink_use(nc, e);
	free(e);
	nc->count--;
	return true;
}

struct nc_entry *
nc_find(struct namecache *nc, const struct nc_addr *a)
{
	struct nc_entry *e;

	if ((e = find(nc, a)) != NULL && e != nc->newest) {
		unlink_use(nc, e);
		link_newest(nc, e);
	}
	return e;
}

struct nc_entry *
nc_get(struct namecache *nc, const struct nc_addr *a, const char *numeric)
{
	struct nc_entry *e;
	size_t slot;

	if ((e = nc_find(nc, a)) != NULL)
		return e;
	if (nc->count >= nc->max_entries && !evict_one(nc))
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->addr = *a;
	str_copy(e->numeric, numeric, sizeof(e->numeric));
	str_copy(e->name, numeric, sizeof(e->name));
	e->held_tail = &e->held;
	slot = slot_of(nc, a);
	e->hnext = nc->bucket[slot];
	nc->bucket[slot] = e;
	link_newest(nc, e);
	nc->count++;
	return e;
}

bool
nc_wants_lookup(const struct nc_entry *e, uint64_t now)
{
	return !e->looking && now >= e->refresh_at;
}

void
nc_looking(struct namecache *nc, struct nc_entry *e, uint64_t now,
    uint64_t wait_us)
{
	e->looking = true;
	if (e->settled || e->waiting)
		return;
	e->deadline = now + wait_us;
	e->waiting = true;
	e->next_waiting = NULL;
	*nc->waiting_tail = e;
	nc->waiting_tail = &e->next_waiting;
}

void
nc_not_looking(struct nc_entry *e, uint64_t retry_at)
{
	e->refresh_at = retry_at;
	e->settled = true;
}

bool
nc_must_wait(const struct nc_entry *e)
{
	return e->looking && !e->settled;
}

bool
nc_hold(struct namecache *nc, struct nc_entry *e, const char *data,
    size_t len, const struct timeval *arrived)
{
	struct nc_held *h;
	size_t cost = sizeof(*h) + len;	/* an empty datagram costs too */

	if (cost > nc->max_held_bytes - nc->held_bytes ||
	    (h = malloc(cost)) == NULL)
		return false;
	h->next = NULL;
	h->arrived = *arrived;
	h->len = len;
	memcpy(h->data, data, len);
	*e->held_tail = h;
	e->held_tail = &h->next;
	e->held_bytes += cost;
	nc->held_bytes += cost;
	return true;
}

bool
nc_valid_name(const char *s, size_t len)
{
	size_t digits_dots = 0;

	if (len == 0 || len > NC_NAME_MAX || s[0] == '.')
		return false;
	/* A name such as "10.0.0.1" would pass for another address. */
	while (digits_dots < len && (isdigit((unsigned char)s[digits_dots]) ||
	    s[digits_dots] == '.'))
		digits_dots++;
	if (digits_dots == len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && i + 1 < len && s[i + 1] == '.')
			return false;
		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return false;
	}
	return true;
}

struct nc_entry *
nc_answer(struct namecache *nc, const struct nc_addr *a, const char *name,
    const char *local_domain, uint64_t now, uint64_t ttl_us,
    uint64_t fail_ttl_us)
{
	struct nc_entry *e;
	size_t len, dlen;

	if ((e = find(nc, a)) == NULL)
		return NULL;
	len = name != NULL ? strlen(name) : 0;
	if (len > 0 && name[len - 1] == '.')
		len--;			/* the root, written out */
	if (name != NULL && nc_valid_name(name, len)) {
		dlen = local_domain != NULL ? strlen(local_domain) : 0;
		if (dlen > 0 && len > dlen + 1 && name[len - dlen - 1] == '.' &&
		    strncasecmp(name + len - dlen, local_domain, dlen) == 0)
			len -= dlen + 1;
		memcpy(e->name, name, len);
		e->name[len] = '\0';
		e->refresh_at = now + ttl_us;
	} else {
		str_copy(e->name, e->numeric, sizeof(e->name));
		e->refresh_at = now + fail_ttl_us;
	}
	e->looking = false;
	e->settled = true;
	unlink_waiting(nc, e);
	nc->generation++;
	return e;
}

void
nc_stop_waiting(struct namecache *nc, struct nc_entry *e)
{
	unlink_waiting(nc, e);
	e->settled = true;
	nc->generation++;
}

struct nc_entry *
nc_overdue(struct namecache *nc, uint64_t now)
{
	struct nc_entry *e = nc->waiting;

	if (e == NULL || e->deadline > now)
		return NULL;
	nc_stop_waiting(nc, e);
	return e;
}

bool
nc_next_deadline(const struct namecache *nc, uint64_t *when)
{
	if (nc->waiting == NULL)
		return false;
	*when = nc->waiting->deadline;
	return true;
}

struct nc_held *
nc_take_held(struct namecache *nc, struct nc_entry *e)
{
	struct nc_held *h = e->held;

	nc->held_bytes -= e->held_bytes;
	e->held = NULL;
	e->held_tail = &e->held;
	e->held_bytes = 0;
	return h;
}

void
nc_refresh_all(struct namecache *nc)
{
	for (struct nc_entry *e = nc->oldest; e != NULL; e = e->newer)
		e->refresh_at = 0;
	nc->generation++;
}
