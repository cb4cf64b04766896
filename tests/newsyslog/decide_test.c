/*
 * Unit tests of the trim decision (newsyslog/decide.c).  Times are UTC.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>

#include "decide.h"

#define H	3600

static void
utc(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
}

static struct ns_entry
entry(long size_kib, const char *when, unsigned flags)
{
	struct ns_entry e;
	char err[256];

	memset(&e, 0, sizeof(e));
	e.path = (char *)"/var/log/x";
	e.mode = 0644;
	e.count = 3;
	e.size_kib = size_kib;
	e.flags = flags;
	ATF_REQUIRE_EQ_MSG(ns_when_parse(when, &e.when, err, sizeof(err)), 0,
	    "%s", err);
	return e;
}

static struct ns_logstate
state(off_t size, bool archive, time_t mtime)
{
	struct ns_logstate st;

	memset(&st, 0, sizeof(st));
	st.exists = true;
	st.regular = true;
	st.size = size;
	st.has_archive = archive;
	st.archive_mtime = mtime;
	return st;
}

static enum ns_verdict
verdict(const struct ns_entry *e, const struct ns_logstate *st, time_t now,
    bool force)
{
	struct ns_decision d;

	ns_decide(e, st, now, force, &d);
	return d.verdict;
}

ATF_TC_WITHOUT_HEAD(size);
ATF_TC_BODY(size, tc)
{
	struct ns_entry e = entry(100, "*", 0);
	struct ns_logstate st;
	struct ns_decision d;
	time_t now = 1773100800;

	st = state(100 * 1024 - 1, true, now);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_KEEP);
	st = state(100 * 1024, true, now);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_TRIM_SIZE);
	st = state(5 * 1024 * 1024, false, 0);
	ns_decide(&e, &st, now, false, &d);
	ATF_CHECK_EQ(d.verdict, NS_TRIM_SIZE);
	ATF_CHECK_EQ(d.size_kib, 5 * 1024);
	ATF_CHECK_EQ(d.age_hours, -1);

	e = entry(-1, "*", 0);		/* size not considered */
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_KEEP);
	e = entry(0, "*", 0);		/* 0 KiB: always */
	st = state(0, false, 0);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_TRIM_SIZE);
}

ATF_TC_WITHOUT_HEAD(interval);
ATF_TC_BODY(interval, tc)
{
	struct ns_entry e = entry(-1, "24", 0);
	struct ns_logstate st;
	struct ns_decision d;
	time_t now = 1773100800;

	/* No archive yet: trimmed at once (as NetBSD). */
	st = state(10, false, 0);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_TRIM_AGE);
	st = state(10, true, now - 23 * H);
	ns_decide(&e, &st, now, false, &d);
	ATF_CHECK_EQ(d.verdict, NS_KEEP);
	ATF_CHECK_EQ(d.age_hours, 23);
	/* Ages are rounded to the nearest hour. */
	st = state(10, true, now - 23 * H - H / 2);
	ns_decide(&e, &st, now, false, &d);
	ATF_CHECK_EQ(d.age_hours, 24);
	ATF_CHECK_EQ(d.verdict, NS_TRIM_AGE);
	st = state(10, true, now - 23 * H - H / 2 + 1);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_KEEP);
	st = state(10, true, now - 100 * H);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_TRIM_AGE);
	/* An archive from the future (clock set back) is not old. */
	st = state(10, true, now + 5 * H);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_KEEP);
}

ATF_TC_WITHOUT_HEAD(at_time);
ATF_TC_BODY(at_time, tc)
{
	struct ns_entry e;
	struct ns_logstate st;
	struct ns_decision d;
	time_t t0 = 1773100800;		/* 2026-03-10T00:00:00Z, a Tuesday */

	utc();
	e = entry(-1, "@T05", 0);
	st = state(10, true, t0 - 24 * H);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 4 * H, false), NS_KEEP);
	ns_decide(&e, &st, t0 + 5 * H, false, &d);
	ATF_CHECK_EQ(d.verdict, NS_TRIM_TIME);
	ATF_CHECK_EQ(d.at, t0 + 5 * H);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 5 * H + H - 1, false),
	    NS_TRIM_TIME);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 6 * H, false), NS_KEEP);
	/* Already trimmed since 05:00: not again in the same hour. */
	st = state(10, true, t0 + 5 * H + 60);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 5 * H + 600, false), NS_KEEP);
	/* No archive at all. */
	st = state(10, false, 0);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 5 * H + 600, false),
	    NS_TRIM_TIME);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 7 * H, false), NS_KEEP);
}

ATF_TC_WITHOUT_HEAD(dwm_time);
ATF_TC_BODY(dwm_time, tc)
{
	struct ns_entry e;
	struct ns_logstate st;
	time_t t0 = 1773100800;		/* 2026-03-10T00:00:00Z, a Tuesday */

	utc();
	st = state(10, true, t0 - 30 * 24 * H);
	e = entry(-1, "$D0", 0);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 60, false), NS_TRIM_TIME);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + H + 60, false), NS_KEEP);
	e = entry(-1, "$W2D0", 0);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 60, false), NS_TRIM_TIME);
	e = entry(-1, "$W3D0", 0);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 60, false), NS_KEEP);
	e = entry(-1, "$M10D0", 0);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 60, false), NS_TRIM_TIME);
	/* 2024-02-29T00:30Z: the last day of a leap February. */
	e = entry(-1, "$MLD0", 0);
	st = state(10, true, 1709164800 - 30 * 24 * H);
	ATF_CHECK_EQ(verdict(&e, &st, 1709166600, false), NS_TRIM_TIME);
	/* ... and the 28th is not. */
	ATF_CHECK_EQ(verdict(&e, &st, 1709166600 - 24 * H, false), NS_KEEP);
}

ATF_TC_WITHOUT_HEAD(combined);
ATF_TC_BODY(combined, tc)
{
	struct ns_entry e;
	struct ns_logstate st;
	time_t t0 = 1773100800;

	utc();
	/* An interval and a time: either one trims (as NetBSD). */
	e = entry(-1, "168@T05", 0);
	st = state(10, true, t0 - 24 * H);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 5 * H, false), NS_TRIM_TIME);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 8 * H, false), NS_KEEP);
	st = state(10, true, t0 - 200 * H);
	ATF_CHECK_EQ(verdict(&e, &st, t0 + 8 * H, false), NS_TRIM_AGE);
	/* Size is reported first. */
	e = entry(1, "1", 0);
	st = state(4096, true, t0 - 200 * H);
	ATF_CHECK_EQ(verdict(&e, &st, t0, false), NS_TRIM_SIZE);
}

ATF_TC_WITHOUT_HEAD(force_and_missing);
ATF_TC_BODY(force_and_missing, tc)
{
	struct ns_entry e = entry(-1, "*", 0);
	struct ns_logstate st;
	time_t now = 1773100800;

	st = state(10, true, now);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_KEEP);
	ATF_CHECK_EQ(verdict(&e, &st, now, true), NS_TRIM_FORCE);
	memset(&st, 0, sizeof(st));
	ATF_CHECK_EQ(verdict(&e, &st, now, true), NS_MISSING);
	e = entry(-1, "*", NS_F_CREATE);
	ATF_CHECK_EQ(verdict(&e, &st, now, false), NS_MISSING_CREATE);
	st.exists = true;
	st.regular = false;
	ATF_CHECK_EQ(verdict(&e, &st, now, true), NS_NOT_REGULAR);
	ATF_CHECK_STREQ(ns_verdict_str(NS_TRIM_SIZE), "log size >= size");
	ATF_CHECK_STREQ(ns_verdict_str(NS_TRIM_FORCE), "trim forced");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, size);
	ATF_TP_ADD_TC(tp, interval);
	ATF_TP_ADD_TC(tp, at_time);
	ATF_TP_ADD_TC(tp, dwm_time);
	ATF_TP_ADD_TC(tp, combined);
	ATF_TP_ADD_TC(tp, force_and_missing);
	return atf_no_error();
}
