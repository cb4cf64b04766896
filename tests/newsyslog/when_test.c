/*
 * Unit tests of the "when" field and the test clock (newsyslog/when.c).
 * Every time here is UTC (TZ=UTC0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>

#include "when.h"

static void
utc(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
}

/* "YYYY-MM-DDTHH:MM:SS" in UTC -> time_t. */
static time_t
T(const char *s)
{
	char buf[64];
	time_t t;

	snprintf(buf, sizeof(buf), "%sZ", s);
	ATF_REQUIRE_EQ_MSG(ns_parse_now(buf, &t), 0, "bad time %s", s);
	return t;
}

static struct ns_when
W(const char *s)
{
	struct ns_when w;
	char err[256];

	ATF_REQUIRE_EQ_MSG(ns_when_parse(s, &w, err, sizeof(err)), 0,
	    "%s: %s", s, err);
	return w;
}

static void
bad(const char *s, const char *want)
{
	struct ns_when w;
	char err[256] = "";

	ATF_CHECK_EQ_MSG(ns_when_parse(s, &w, err, sizeof(err)), -1,
	    "\"%s\" was accepted", s);
	ATF_CHECK_MSG(strstr(err, want) != NULL,
	    "\"%s\": error \"%s\" lacks \"%s\"", s, err, want);
}

ATF_TC_WITHOUT_HEAD(interval);
ATF_TC_BODY(interval, tc)
{
	struct ns_when w;

	w = W("*");
	ATF_CHECK_EQ(w.interval, -1);
	ATF_CHECK_EQ(w.at.kind, NS_AT_NONE);
	w = W("24");
	ATF_CHECK_EQ(w.interval, 24);
	ATF_CHECK_EQ(w.at.kind, NS_AT_NONE);
	w = W("0");
	ATF_CHECK_EQ(w.interval, 0);
	w = W("168@T00");
	ATF_CHECK_EQ(w.interval, 168);
	ATF_CHECK_EQ(w.at.kind, NS_AT_ISO);
	w = W("24$D3");
	ATF_CHECK_EQ(w.interval, 24);
	ATF_CHECK_EQ(w.at.kind, NS_AT_DWM);
	ATF_CHECK_EQ(w.at.hour, 3);
	bad("", "empty");
	bad("abc", "bad interval");
	bad("-1", "bad interval");
	bad("24h", "bad interval");
	bad("*@T00", "bad interval");
	bad("99999999999", "too large");
}

ATF_TC_WITHOUT_HEAD(iso_forms);
ATF_TC_BODY(iso_forms, tc)
{
	struct ns_when w;

	w = W("@T23");			/* every day at 23:00 */
	ATF_CHECK_EQ(w.interval, -1);
	ATF_CHECK_EQ(w.at.year, NS_ANY);
	ATF_CHECK_EQ(w.at.month, NS_ANY);
	ATF_CHECK_EQ(w.at.mday, NS_ANY);
	ATF_CHECK_EQ(w.at.wday, NS_ANY);
	ATF_CHECK_EQ(w.at.hour, 23);
	ATF_CHECK_EQ(w.at.min, 0);
	w = W("@T");			/* every day at midnight */
	ATF_CHECK_EQ(w.at.hour, 0);
	w = W("@01T0530");		/* the 1st of every month, 05:30 */
	ATF_CHECK_EQ(w.at.mday, 1);
	ATF_CHECK_EQ(w.at.month, NS_ANY);
	ATF_CHECK_EQ(w.at.hour, 5);
	ATF_CHECK_EQ(w.at.min, 30);
	w = W("@0101");			/* every 1 January, midnight */
	ATF_CHECK_EQ(w.at.month, 1);
	ATF_CHECK_EQ(w.at.mday, 1);
	w = W("@0229T12");		/* leap days only */
	ATF_CHECK_EQ(w.at.month, 2);
	ATF_CHECK_EQ(w.at.mday, 29);
	w = W("@270315T101112");	/* two-digit year */
	ATF_CHECK_EQ(w.at.year, 27);
	ATF_CHECK(w.at.year2);
	ATF_CHECK_EQ(w.at.sec, 12);
	w = W("@20270315t1011");
	ATF_CHECK_EQ(w.at.year, 2027);
	ATF_CHECK(!w.at.year2);
	ATF_CHECK_EQ(w.at.min, 11);
	w = W("@15");
	ATF_CHECK_EQ(w.at.mday, 15);
	ATF_CHECK_EQ(w.at.hour, 0);

	bad("@", "empty");
	bad("@1", "bad date");
	bad("@123", "bad date");
	bad("@1234567890", "bad date");
	bad("@T1", "bad time");
	bad("@T1234567", "bad time");
	bad("@1a", "bad date");
	bad("@Tab", "bad time");
	bad("@1301", "month 13");
	bad("@0001", "month 0");
	bad("@0230", "day 30 out of range 1-29");
	bad("@20230229", "day 29 out of range 1-28");
	bad("@0431", "day 31 out of range 1-30");
	bad("@32", "day 32");
	bad("@00", "day 0");
	bad("@T24", "hour 24");
	bad("@T2360", "minute 60");
	bad("@T235960", "second 60");
}

ATF_TC_WITHOUT_HEAD(dwm_forms);
ATF_TC_BODY(dwm_forms, tc)
{
	struct ns_when w;

	w = W("$D0");
	ATF_CHECK_EQ(w.at.kind, NS_AT_DWM);
	ATF_CHECK_EQ(w.at.hour, 0);
	ATF_CHECK_EQ(w.at.wday, NS_ANY);
	ATF_CHECK_EQ(w.at.mday, NS_ANY);
	w = W("$D23");
	ATF_CHECK_EQ(w.at.hour, 23);
	w = W("$W0D23");
	ATF_CHECK_EQ(w.at.wday, 0);
	ATF_CHECK_EQ(w.at.hour, 23);
	w = W("$w5d16");
	ATF_CHECK_EQ(w.at.wday, 5);
	ATF_CHECK_EQ(w.at.hour, 16);
	w = W("$W6");
	ATF_CHECK_EQ(w.at.wday, 6);
	ATF_CHECK_EQ(w.at.hour, 0);
	w = W("$MLD0");
	ATF_CHECK_EQ(w.at.mday, NS_MDAY_LAST);
	w = W("$Ml");
	ATF_CHECK_EQ(w.at.mday, NS_MDAY_LAST);
	w = W("$M5D6");
	ATF_CHECK_EQ(w.at.mday, 5);
	ATF_CHECK_EQ(w.at.hour, 6);
	w = W("$M31");
	ATF_CHECK_EQ(w.at.mday, 31);
	w = W("$D6M5");			/* any order */
	ATF_CHECK_EQ(w.at.mday, 5);
	ATF_CHECK_EQ(w.at.hour, 6);

	bad("$", "empty");
	bad("$D", "hour 0-23");
	bad("$D24", "hour 0-23");
	bad("$D123", "unexpected");
	bad("$W", "weekday");
	bad("$W7", "weekday");
	bad("$M", "day 1-31");
	bad("$M0", "day 1-31");
	bad("$M32", "day 1-31");
	bad("$W1M2", "cannot be combined");
	bad("$M2W1", "cannot be combined");
	bad("$D1D2", "twice");
	bad("$X1", "unexpected \"X\"");
	bad("$D1 ", "unexpected");
}

static time_t
prev(const char *spec, const char *now)
{
	struct ns_when w = W(spec);

	return ns_at_prev(&w.at, T(now), 1);
}

ATF_TC_WITHOUT_HEAD(prev_daily);
ATF_TC_BODY(prev_daily, tc)
{
	utc();
	ATF_CHECK_EQ(prev("$D0", "2026-03-10T00:30:00"),
	    T("2026-03-10T00:00:00"));
	ATF_CHECK_EQ(prev("$D0", "2026-03-10T00:00:00"),
	    T("2026-03-10T00:00:00"));
	ATF_CHECK_EQ(prev("$D23", "2026-03-10T22:59:59"),
	    T("2026-03-09T23:00:00"));
	ATF_CHECK_EQ(prev("@T2330", "2026-03-10T00:10:00"),
	    T("2026-03-09T23:30:00"));	/* across midnight */
	ATF_CHECK_EQ(prev("@T", "2026-03-10T13:00:00"),
	    T("2026-03-10T00:00:00"));
}

ATF_TC_WITHOUT_HEAD(prev_weekly);
ATF_TC_BODY(prev_weekly, tc)
{
	utc();
	/* 2026-03-08 is a Sunday. */
	ATF_CHECK_EQ(prev("$W0D23", "2026-03-08T23:10:00"),
	    T("2026-03-08T23:00:00"));
	ATF_CHECK_EQ(prev("$W0D23", "2026-03-09T00:10:00"),
	    T("2026-03-08T23:00:00"));
	ATF_CHECK_EQ(prev("$W0D23", "2026-03-08T22:59:00"), -1);
	ATF_CHECK_EQ(prev("$W1", "2026-03-09T00:00:01"),
	    T("2026-03-09T00:00:00"));
	ATF_CHECK_EQ(prev("$W5D16", "2026-03-13T16:45:00"),
	    T("2026-03-13T16:00:00"));
	ATF_CHECK_EQ(prev("$W5D16", "2026-03-12T16:45:00"), -1);
}

ATF_TC_WITHOUT_HEAD(prev_monthly);
ATF_TC_BODY(prev_monthly, tc)
{
	utc();
	ATF_CHECK_EQ(prev("$M5D6", "2026-03-05T06:20:00"),
	    T("2026-03-05T06:00:00"));
	ATF_CHECK_EQ(prev("$M5D6", "2026-03-06T05:00:00"),
	    T("2026-03-05T06:00:00"));
	ATF_CHECK_EQ(prev("$M5D6", "2026-03-07T05:00:00"), -1);
	ATF_CHECK_EQ(prev("$MLD0", "2026-03-31T00:10:00"),
	    T("2026-03-31T00:00:00"));
	ATF_CHECK_EQ(prev("$MLD0", "2026-04-30T00:10:00"),
	    T("2026-04-30T00:00:00"));
	ATF_CHECK_EQ(prev("$MLD0", "2026-04-29T00:10:00"), -1);
	ATF_CHECK_EQ(prev("$M31", "2026-04-30T12:00:00"), -1);
	ATF_CHECK_EQ(prev("@01T05", "2026-04-01T05:00:00"),
	    T("2026-04-01T05:00:00"));
}

/* The last day of February: the 29th in leap years (NetBSD gives 28). */
ATF_TC_WITHOUT_HEAD(prev_leap_year);
ATF_TC_BODY(prev_leap_year, tc)
{
	utc();
	ATF_CHECK_EQ(prev("$MLD0", "2024-02-29T00:10:00"),
	    T("2024-02-29T00:00:00"));
	ATF_CHECK_EQ(prev("$MLD0", "2024-02-28T00:10:00"), -1);
	ATF_CHECK_EQ(prev("$MLD0", "2023-02-28T00:10:00"),
	    T("2023-02-28T00:00:00"));
	ATF_CHECK_EQ(prev("$MLD0", "2000-02-29T00:10:00"),
	    T("2000-02-29T00:00:00"));	/* divisible by 400 */
	ATF_CHECK_EQ(prev("$MLD0", "2100-02-28T00:10:00"),
	    T("2100-02-28T00:00:00"));	/* divisible by 100 only */
	ATF_CHECK_EQ(prev("@0229T12", "2028-02-29T12:30:00"),
	    T("2028-02-29T12:00:00"));
	ATF_CHECK_EQ(prev("@0229T12", "2027-03-01T12:30:00"), -1);
	ATF_CHECK(ns_is_leap(2024));
	ATF_CHECK(ns_is_leap(2000));
	ATF_CHECK(!ns_is_leap(2100));
	ATF_CHECK(!ns_is_leap(2023));
	ATF_CHECK_EQ(ns_days_in_month(2024, 2), 29);
	ATF_CHECK_EQ(ns_days_in_month(2023, 2), 28);
	ATF_CHECK_EQ(ns_days_in_month(2023, 12), 31);
	ATF_CHECK_EQ(ns_days_in_month(2023, 13), 0);
}

ATF_TC_WITHOUT_HEAD(prev_dates);
ATF_TC_BODY(prev_dates, tc)
{
	utc();
	ATF_CHECK_EQ(prev("@20260101T000000", "2026-01-01T00:59:00"),
	    T("2026-01-01T00:00:00"));
	ATF_CHECK_EQ(prev("@20260101T000000", "2027-01-01T00:10:00"), -1);
	ATF_CHECK_EQ(prev("@260101T", "2026-01-01T00:10:00"),
	    T("2026-01-01T00:00:00"));	/* the current century */
	ATF_CHECK_EQ(prev("@0101", "2027-01-01T00:10:00"),
	    T("2027-01-01T00:00:00"));
	ATF_CHECK_EQ(prev("@1231T235959", "2027-01-01T00:10:00"),
	    T("2026-12-31T23:59:59"));
}

ATF_TC_WITHOUT_HEAD(local_time);
ATF_TC_BODY(local_time, tc)
{
	time_t t;

	/* Central European time: UTC+1 in winter. */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	ATF_CHECK_EQ(prev("$D0", "2026-01-15T23:30:00"),
	    T("2026-01-15T23:00:00"));	/* local midnight of the 16th */
	ATF_REQUIRE_EQ(ns_parse_now("2026-01-16T00:30", &t), 0);
	ATF_CHECK_EQ(t, T("2026-01-15T23:30:00"));
	/* The summer time change day still has its 00:00. */
	ATF_CHECK_EQ(prev("$D0", "2026-03-29T00:30:00"),
	    T("2026-03-28T23:00:00"));
}

ATF_TC_WITHOUT_HEAD(parse_now);
ATF_TC_BODY(parse_now, tc)
{
	time_t t;

	utc();
	ATF_CHECK_EQ(ns_parse_now("0", &t), 0);
	ATF_CHECK_EQ(t, 0);
	ATF_CHECK_EQ(ns_parse_now("1773100800", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10T00:00:00Z", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10T02:00:00+02:00", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);
	ATF_CHECK_EQ(ns_parse_now("2026-03-09T22:30-01:30", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10T00:00", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);	/* local = UTC here */
	ATF_CHECK_EQ(ns_parse_now("2026-03-10 00:00:00", &t), 0);
	ATF_CHECK_EQ(t, 1773100800);
	ATF_CHECK_EQ(ns_parse_now("", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("yesterday", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("2026-02-30T00:00", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10T24:00", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10T00:00:00X", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("2026-03-10", &t), -1);
	ATF_CHECK_EQ(ns_parse_now("12ab", &t), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, interval);
	ATF_TP_ADD_TC(tp, iso_forms);
	ATF_TP_ADD_TC(tp, dwm_forms);
	ATF_TP_ADD_TC(tp, prev_daily);
	ATF_TP_ADD_TC(tp, prev_weekly);
	ATF_TP_ADD_TC(tp, prev_monthly);
	ATF_TP_ADD_TC(tp, prev_leap_year);
	ATF_TP_ADD_TC(tp, prev_dates);
	ATF_TP_ADD_TC(tp, local_time);
	ATF_TP_ADD_TC(tp, parse_now);
	return atf_no_error();
}
