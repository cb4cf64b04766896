/*
 * Conversions to local time, remembered.  Each message is converted up to
 * three times (the zone offset of its arrival, the year of a BSD stamp,
 * its BSD output stamp) and the messages of a burst mostly share one or
 * two seconds, so the last two seconds converted are kept.  The cache
 * belongs to its caller, who forgets it whenever tzset() may have
 * changed the zone.
 */
#ifndef SYSLOGD_TZCACHE_H
#define SYSLOGD_TZCACHE_H

#include <stdbool.h>
#include <time.h>

struct tzcache {
	struct {
		time_t		sec;
		bool		valid;
		struct tm	tm;
	} e[2];
	unsigned	 older;		/* the entry to replace next */
};

/* localtime_r() through the cache; c may be NULL.  false if it fails. */
bool	tzcache_localtime(struct tzcache *c, time_t sec, struct tm *tm);
void	tzcache_forget(struct tzcache *c);

#endif
