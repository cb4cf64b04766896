/*
 * msg_parse() on any bytes, then msg_format() in every output format.
 * The first input byte picks the parse options; the rest is the message.
 *
 * Invariants: the fields stay in range and NUL-terminated; no format
 * writes a control character other than tab (a sender cannot forge a line
 * break or hide text from a terminal), nor a non-ASCII byte for terminals;
 * output never passes the buffer it is given, however small; and the
 * RFC 5424 form reads back as the same message (formatting it again gives
 * the same bytes), so that what we forward is what we meant to forward.
 * Local time is a zone with daylight saving time, given as a POSIX TZ
 * string (no zone files needed), and parsing and formatting through the
 * daemon's time cache give the same bytes as without it.
 */
#include <string.h>

#include "fuzz.h"
#include "msg.h"
#include "tzcache.h"

#define OUT_CAP	(MSG_TEXT_MAX + MSG_SD_MAX + 2048)

static struct msg m, again, uncached;
static char out[OUT_CAP], out2[OUT_CAP];
static struct tzcache cache;	/* kept across inputs, as in the daemon */
static bool zone_set;

static void
check_fields(const struct msg *p)
{
	FUZZ_CHECK(p->fac >= 0 && p->fac < MSG_NFAC);
	FUZZ_CHECK(p->sev >= 0 && p->sev <= 7);
	FUZZ_CHECK(memchr(p->host, '\0', sizeof(p->host)) != NULL);
	FUZZ_CHECK(memchr(p->app, '\0', sizeof(p->app)) != NULL);
	FUZZ_CHECK(memchr(p->procid, '\0', sizeof(p->procid)) != NULL);
	FUZZ_CHECK(memchr(p->msgid, '\0', sizeof(p->msgid)) != NULL);
	FUZZ_CHECK(p->sdlen <= MSG_SD_MAX && p->sd[p->sdlen] == '\0');
	FUZZ_CHECK(strlen(p->sd) == p->sdlen);
	FUZZ_CHECK(p->textlen <= MSG_TEXT_MAX && p->text[p->textlen] == '\0');
	FUZZ_CHECK(p->time.usec >= 0 && p->time.usec < 1000000);
	FUZZ_CHECK(p->time.frac_digits >= 0 && p->time.frac_digits <= 6);
}

static void
check_line(const char *s, size_t n, bool ascii_only)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		FUZZ_CHECK(c >= 0x20 || c == '\t');
		FUZZ_CHECK(c != 0x7f);
		FUZZ_CHECK(!ascii_only || c < 0x80);
	}
}

/* RFC 5424 out, read back, out again: the same bytes. */
static void
check_read_back(const struct msg_parse_opts *first, const char *line,
    size_t n)
{
	struct msg_parse_opts po = *first;
	struct msg_fmt_opts fo = { MSG_FMT_RFC5424, false, &cache };
	size_t n2, body;

	po.use_now = false;
	po.allow_kern = true;
	msg_parse(&again, line, n, &po);
	again.recvhost = "other.example";
	check_fields(&again);
	n2 = msg_format(&again, &fo, out2, sizeof(out2), &body);
	if (n2 != n || memcmp(line, out2, n) != 0) {
		fprintf(stderr, "first:  %.*s\nsecond: %.*s\n", (int)n, line,
		    (int)n2, out2);
		FUZZ_CHECK(!"RFC 5424 output reads back the same");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_parse_opts po;
	struct msg_fmt_opts fo;
	unsigned pick = size > 0 ? data[0] : 0;
	size_t n, n2, body, small;

	if (size > 0) {
		data++;
		size--;
	}
	if (!zone_set) {
		setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
		tzset();
		zone_set = true;
	}
	memset(&po, 0, sizeof(po));
	po.now.tv_sec = 1700000000 + (time_t)(pick >> 3) * 86400 * 45;
	po.now.tv_usec = 123456;
	po.use_now = (pick & 1) != 0;
	po.allow_kern = (pick & 2) != 0;
	po.default_pri = (pick & 4) != 0 ? MSG_DEFAULT_PRI : 0;
	msg_parse(&uncached, (const char *)data, size, &po);
	uncached.recvhost = "receiver.example";
	po.tz = &cache;
	msg_parse(&m, (const char *)data, size, &po);
	m.recvhost = "receiver.example";
	check_fields(&m);

	memset(&fo, 0, sizeof(fo));
	fo.tz = &cache;
	for (int fmt = 0; fmt < 2; fmt++)
		for (int ascii = 0; ascii < 2; ascii++) {
			fo.fmt = fmt == 0 ? MSG_FMT_BSD : MSG_FMT_RFC5424;
			fo.ascii_only = ascii != 0;
			n = msg_format(&m, &fo, out, sizeof(out), &body);
			FUZZ_CHECK(n < sizeof(out) && out[n] == '\0');
			FUZZ_CHECK(body <= n);
			check_line(out, n, fo.ascii_only);
			/* a small buffer: cut, never overrun */
			small = 1 + (pick * 7 + (size_t)fmt) % 96;
			n2 = msg_format(&m, &fo, out2, small, &body);
			FUZZ_CHECK(n2 < small && out2[n2] == '\0');
			FUZZ_CHECK(memcmp(out2, out, n2) == 0);
			if (ascii != 0)
				continue;
			/* without the time cache: the same bytes */
			fo.tz = NULL;
			n2 = msg_format(&uncached, &fo, out2, sizeof(out2), &body);
			fo.tz = &cache;
			FUZZ_CHECK(n2 == n && memcmp(out, out2, n) == 0);
			if (fo.fmt == MSG_FMT_RFC5424)
				check_read_back(&po, out, n);
		}
	return 0;
}
