/*
 * A two-entry cache in front of localtime_r().  Once the zone is loaded,
 * localtime_r() does not look at TZ or the zone file again on the systems
 * we support (tzset() does), so between two tzset() calls the cached
 * result for a second is what it would return.
 */
#include <string.h>

#include "tzcache.h"

bool
tzcache_localtime(struct tzcache *c, time_t sec, struct tm *tm)
{
	unsigned i;

	if (c == NULL)
		return localtime_r(&sec, tm) != NULL;
	for (i = 0; i < 2; i++)
		if (c->e[i].valid && c->e[i].sec == sec) {
			*tm = c->e[i].tm;
			c->older = i ^ 1;
			return true;
		}
	if (localtime_r(&sec, tm) == NULL)
		return false;
	i = c->older;
	c->e[i].sec = sec;
	c->e[i].tm = *tm;
	c->e[i].valid = true;
	c->older = i ^ 1;
	return true;
}

void
tzcache_forget(struct tzcache *c)
{
	memset(c, 0, sizeof(*c));
}
