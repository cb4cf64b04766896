/*
 * The trim decision.  See decide.h and newsyslog.8.
 */
#include "decide.h"

void
ns_decide(const struct ns_entry *e, const struct ns_logstate *st,
    time_t now, bool force, struct ns_decision *d)
{
	d->verdict = NS_KEEP;
	d->size_kib = 0;
	d->age_hours = -1;
	d->at = -1;

	if (!st->exists) {
		d->verdict = (e->flags & NS_F_CREATE) ? NS_MISSING_CREATE :
		    NS_MISSING;
		return;
	}
	if (!st->regular) {
		d->verdict = NS_NOT_REGULAR;
		return;
	}
	d->size_kib = (long)(st->size / 1024);
	if (st->has_archive)
		d->age_hours = (int)((now - st->archive_mtime + 1800) / 3600);
	if (e->when.at.kind != NS_AT_NONE)
		d->at = ns_at_prev(&e->when.at, now, 1);

	if (e->size_kib >= 0 && d->size_kib >= e->size_kib)
		d->verdict = NS_TRIM_SIZE;
	else if (e->when.interval >= 0 &&
	    (!st->has_archive || d->age_hours >= e->when.interval))
		d->verdict = NS_TRIM_AGE;
	else if (d->at != -1 && now - d->at < NS_AT_WINDOW &&
	    (!st->has_archive || st->archive_mtime < d->at))
		d->verdict = NS_TRIM_TIME;
	else if (force)
		d->verdict = NS_TRIM_FORCE;
}

const char *
ns_verdict_str(enum ns_verdict v)
{
	switch (v) {
	case NS_KEEP:
		return "no condition met";
	case NS_TRIM_SIZE:
		return "log size >= size";
	case NS_TRIM_AGE:
		return "log age >= interval";
	case NS_TRIM_TIME:
		return "specific trim time";
	case NS_TRIM_FORCE:
		return "trim forced";
	case NS_MISSING_CREATE:
		return "missing, created";
	case NS_MISSING:
		return "missing, skipped";
	case NS_NOT_REGULAR:
		return "not a regular file, skipped";
	}
	return "?";
}
