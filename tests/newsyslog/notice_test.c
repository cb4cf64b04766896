/*
 * Unit tests of the format detection and the rotation notice
 * (newsyslog/notice.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>

#include "notice.h"

static struct ns_fmtinfo
line(const char *s)
{
	struct ns_fmtinfo fi;

	ns_detect_line(s, strlen(s), &fi);
	return fi;
}

ATF_TC_WITHOUT_HEAD(detect_line);
ATF_TC_BODY(detect_line, tc)
{
	struct ns_fmtinfo fi;

	fi = line("Nov 23 12:00:00 host app[12]: hello");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	ATF_CHECK(!fi.pri);
	fi = line("Mar  3 01:02:03 host app: x");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	fi = line("<13>Mar  3 01:02:03 host app: x");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	ATF_CHECK(fi.pri);
	fi = line("2026-11-23T12:00:00.123456+00:00 host app 12 - - hello");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_RFC5424);
	ATF_CHECK(!fi.pri);
	fi = line("<13>1 2026-11-23T12:00:00Z host app - - - hello");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_RFC5424);
	ATF_CHECK(fi.pri);
	fi = line("random text");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_UNKNOWN);
	fi = line("<13>random");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_UNKNOWN);
	ATF_CHECK(!fi.pri);
	fi = line("Foo 23 12:00:00 host app: x");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_UNKNOWN);
	fi = line("2026-11-23 12:00:00 not rfc5424");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_UNKNOWN);
	fi = line("");
	ATF_CHECK_EQ(fi.fmt, NS_FMT_UNKNOWN);
}

ATF_TC_WITHOUT_HEAD(detect_format);
ATF_TC_BODY(detect_format, tc)
{
	const char *bsd = "Nov 23 12:00:00 host app: x";
	const char *iso = "2026-11-23T12:00:00Z host app - - - x";
	const char *junk = "junk";
	struct ns_fmtinfo fi;

	/* The last line decides, */
	ns_detect_format(bsd, strlen(bsd), iso, strlen(iso), &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_RFC5424);
	ns_detect_format(iso, strlen(iso), bsd, strlen(bsd), &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	/* then the first, */
	ns_detect_format(iso, strlen(iso), junk, strlen(junk), &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_RFC5424);
	ns_detect_format(iso, strlen(iso), NULL, 0, &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_RFC5424);
	/* else BSD. */
	ns_detect_format(junk, strlen(junk), junk, strlen(junk), &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	ns_detect_format(NULL, 0, NULL, 0, &fi);
	ATF_CHECK_EQ(fi.fmt, NS_FMT_BSD);
	ATF_CHECK(!fi.pri);
}

ATF_TC_WITHOUT_HEAD(notice_bsd);
ATF_TC_BODY(notice_bsd, tc)
{
	struct ns_fmtinfo fi = { NS_FMT_BSD, false };
	char buf[512];
	size_t n;

	setenv("TZ", "UTC0", 1);
	tzset();
	/* 2026-03-05T06:07:08Z */
	n = ns_notice(buf, sizeof(buf), &fi, 1772690828, 0,
	    "web1.example.org", 4242);
	ATF_CHECK_STREQ(buf,
	    "Mar  5 06:07:08 web1 newsyslog[4242]: log file turned over\n");
	ATF_CHECK_EQ(n, strlen(buf));
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 0, "192.0.2.1", 1);
	ATF_CHECK_STREQ(buf,
	    "Mar  5 06:07:08 192.0.2.1 newsyslog[1]: log file turned over\n");
	fi.pri = true;
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 0, "h", 7);
	ATF_CHECK_STREQ(buf,
	    "<46>Mar  5 06:07:08 h newsyslog[7]: log file turned over\n");
	/* Cut to the buffer. */
	n = ns_notice(buf, 10, &fi, 1772690828, 0, "h", 7);
	ATF_CHECK_EQ(n, 9);
	ATF_CHECK_STREQ(buf, "<46>Mar  ");
}

ATF_TC_WITHOUT_HEAD(notice_rfc5424);
ATF_TC_BODY(notice_rfc5424, tc)
{
	struct ns_fmtinfo fi = { NS_FMT_RFC5424, false };
	char buf[512];

	setenv("TZ", "UTC0", 1);
	tzset();
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 123456,
	    "web1.example.org", 4242);
	ATF_CHECK_STREQ(buf, "2026-03-05T06:07:08.123456+00:00 "
	    "web1.example.org newsyslog 4242 - - log file turned over\n");
	fi.pri = true;
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 0, "h", 7);
	ATF_CHECK_STREQ(buf, "<46>1 2026-03-05T06:07:08.000000+00:00 "
	    "h newsyslog 7 - - log file turned over\n");

	/* Local time with its offset: India is +05:30, no DST. */
	setenv("TZ", "IST-5:30", 1);
	tzset();
	fi.pri = false;
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 5, "", 7);
	ATF_CHECK_STREQ(buf, "2026-03-05T11:37:08.000005+05:30 "
	    "- newsyslog 7 - - log file turned over\n");
	setenv("TZ", "XYZ3:15", 1);	/* west of UTC */
	tzset();
	ns_notice(buf, sizeof(buf), &fi, 1772690828, 0, "h", 7);
	ATF_CHECK_STREQ(buf, "2026-03-05T02:52:08.000000-03:15 "
	    "h newsyslog 7 - - log file turned over\n");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, detect_line);
	ATF_TP_ADD_TC(tp, detect_format);
	ATF_TP_ADD_TC(tp, notice_bsd);
	ATF_TP_ADD_TC(tp, notice_rfc5424);
	return atf_no_error();
}
