/*
 * Unit tests of the frame module: octet counting and newline framing,
 * fed whole and in pieces, with hostile length prefixes.
 */
#include <atf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

#define SLACK	16		/* what frame.h lets the caller add to max */

/* A byte stream: head, then fill copies of 'x', then tail. */
struct src {
	const char		*head, *tail;
	unsigned long long	 fill, pos;
};

static size_t
src_read(struct src *s, char *dst, size_t n)
{
	size_t hl = strlen(s->head), tl = strlen(s->tail), k = 0, m;
	unsigned long long off;

	while (k < n) {
		if (s->pos < hl) {
			dst[k++] = s->head[s->pos++];
		} else if ((off = s->pos - hl) < s->fill) {
			m = n - k;
			if (m > s->fill - off)
				m = (size_t)(s->fill - off);
			memset(dst + k, 'x', m);
			k += m;
			s->pos += m;
		} else if ((off = s->pos - hl - s->fill) < tl) {
			dst[k++] = s->tail[off];
			s->pos++;
		} else
			break;
	}
	return k;
}

/*
 * Drives a decoder as a connection would: a buffer of max + SLACK bytes,
 * reads of at most chunk bytes, consumed bytes dropped after each call.
 * Writes the messages to res as "text|" ("#len|" when long, "!" when
 * truncated).  Returns the final status; *left is what stayed buffered.
 */
static enum frame_status
run(struct frame_dec *d, struct src *s, size_t chunk, char *res,
    size_t rescap, size_t *left)
{
	size_t cap = d->max + SLACK, have = 0, got, used, n;
	struct frame_out fo;
	enum frame_status st;
	char *buf;

	ATF_REQUIRE((buf = malloc(cap)) != NULL);
	res[0] = '\0';
	for (;;) {
		got = src_read(s, buf + have, cap - have < chunk ?
		    cap - have : chunk);
		have += got;
		do {
			st = frame_next(d, buf, have, &used, &fo);
			ATF_REQUIRE(used <= have);
			if (st == FRAME_ERROR)
				goto out;
			if (st == FRAME_MSG) {
				ATF_REQUIRE(fo.msg >= buf &&
				    fo.msg + fo.len <= buf + have);
				ATF_REQUIRE(fo.len <= d->max);
				n = strlen(res);
				if (fo.len <= 32)
					snprintf(res + n, rescap - n, "%.*s%s|",
					    (int)fo.len, fo.msg,
					    fo.truncated ? "!" : "");
				else
					snprintf(res + n, rescap - n, "#%zu%s|",
					    fo.len, fo.truncated ? "!" : "");
			}
			memmove(buf, buf + used, have - used);
			have -= used;
		} while (st == FRAME_MSG);
		if (got == 0)
			break;
		/* MORE with a full buffer would hang the connection. */
		ATF_REQUIRE_MSG(have < cap, "stuck with %zu bytes", have);
	}
out:
	free(buf);
	*left = have;
	return st;
}

static void
check_rest(size_t max, const char *in, const char *want, size_t want_left)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 64, 4096 };
	struct frame_dec d;
	struct src s;
	char res[1024];
	size_t i, left;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.head = in;
		s.tail = "";
		frame_init(&d, max);
		ATF_CHECK_EQ_MSG(run(&d, &s, chunks[i], res, sizeof(res),
		    &left), FRAME_MORE, "chunk %zu", chunks[i]);
		ATF_CHECK_STREQ_MSG(res, want, "chunk %zu", chunks[i]);
		ATF_CHECK_EQ_MSG(left, want_left, "chunk %zu", chunks[i]);
	}
}

static void
check_stream(size_t max, const char *in, const char *want)
{
	check_rest(max, in, want, 0);
}

static enum frame_status
one(struct frame_dec *d, const char *buf, size_t len, size_t *used,
    struct frame_out *fo)
{
	memset(fo, 0, sizeof(*fo));
	return frame_next(d, buf, len, used, fo);
}

ATF_TC_WITHOUT_HEAD(octet_single);
ATF_TC_BODY(octet_single, tc)
{
	struct frame_dec d;
	struct frame_out fo;
	size_t used;

	frame_init(&d, 8192);
	ATF_REQUIRE_EQ(one(&d, "5 hello", 7, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(d.mode, FRAME_OCTET);
	ATF_CHECK_EQ(used, 7);
	ATF_CHECK_EQ(fo.len, 5);
	ATF_CHECK_EQ(memcmp(fo.msg, "hello", 5), 0);
	ATF_CHECK(!fo.truncated);
	ATF_CHECK_EQ(one(&d, "", 0, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 0);
	check_stream(8192, "5 hello", "hello|");
}

ATF_TC_WITHOUT_HEAD(octet_multi);
ATF_TC_BODY(octet_multi, tc)
{
	static const char in[] = "5 hello3 abc11 hello world1 x";
	struct frame_dec d;
	struct frame_out fo;
	const char *p = in;
	size_t used, len = sizeof(in) - 1;

	frame_init(&d, 8192);
	ATF_REQUIRE_EQ(one(&d, p, len, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 7);
	p += used, len -= used;
	ATF_REQUIRE_EQ(one(&d, p, len, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 5);
	ATF_CHECK_EQ(memcmp(fo.msg, "abc", 3), 0);
	p += used, len -= used;
	ATF_REQUIRE_EQ(one(&d, p, len, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 14);
	ATF_CHECK_EQ(fo.len, 11);
	ATF_CHECK_EQ(memcmp(fo.msg, "hello world", 11), 0);
	p += used, len -= used;
	ATF_REQUIRE_EQ(one(&d, p, len, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 3);
	ATF_CHECK_EQ(len, 3);
	check_stream(8192, in, "hello|abc|hello world|x|");
}

/* The prefix is consumed as it arrives; the body waits whole. */
ATF_TC_WITHOUT_HEAD(octet_pieces);
ATF_TC_BODY(octet_pieces, tc)
{
	struct frame_dec d;
	struct frame_out fo;
	size_t used;

	frame_init(&d, 8192);
	ATF_CHECK_EQ(one(&d, "1", 1, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 1);
	ATF_CHECK_EQ(one(&d, "2", 1, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 1);
	ATF_CHECK_EQ(one(&d, " hel", 4, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 1);
	ATF_CHECK_EQ(one(&d, "hel", 3, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 0);
	ATF_REQUIRE_EQ(one(&d, "hello world!2 ", 14, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 12);
	ATF_CHECK_EQ(fo.len, 12);
	ATF_CHECK_EQ(one(&d, "2 ", 2, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 2);
	check_stream(8192, "12 hello world!2 ab", "hello world!|ab|");
}

ATF_TC_WITHOUT_HEAD(octet_max);
ATF_TC_BODY(octet_max, tc)
{
	check_stream(16, "16 0123456789abcdef3 abc",
	    "0123456789abcdef|abc|");
	check_stream(16, "17 0123456789abcdefg3 abc",
	    "0123456789abcdef!|abc|");
	check_stream(16, "100 0123456789abcdef"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxx1 z", "0123456789abcdef!|z|");
}

/*
 * A peer announces 2 GB: the first max bytes come out truncated, the
 * rest is consumed as it arrives, and the buffer never holds more than
 * max + SLACK bytes (run() has no more room than that).
 */
ATF_TC_WITHOUT_HEAD(octet_huge);
ATF_TC_BODY(octet_huge, tc)
{
	struct frame_dec d;
	struct src s;
	char res[256];
	size_t left;

	memset(&s, 0, sizeof(s));
	s.head = "2000000000 ";
	s.fill = 2000000000ULL;
	s.tail = "3 abc";
	frame_init(&d, 8192);
	ATF_CHECK_EQ(run(&d, &s, 65536, res, sizeof(res), &left), FRAME_MORE);
	ATF_CHECK_STREQ(res, "#8192!|abc|");
	ATF_CHECK_EQ(left, 0);
	ATF_CHECK_EQ(s.pos, 2000000000ULL + 11 + 5);

	/* Cut off in the middle: nothing delivered twice, nothing kept. */
	memset(&s, 0, sizeof(s));
	s.head = "2000000000 ";
	s.fill = 100000;
	s.tail = "";
	frame_init(&d, 8192);
	ATF_CHECK_EQ(run(&d, &s, 4096, res, sizeof(res), &left), FRAME_MORE);
	ATF_CHECK_STREQ(res, "#8192!|");
	ATF_CHECK_EQ(left, 0);
}

ATF_TC_WITHOUT_HEAD(newline);
ATF_TC_BODY(newline, tc)
{
	check_stream(8192, "<13>a\r\n<13>b\n\n\r\n<13>c\r\n",
	    "<13>a|<13>b|<13>c|");
	/* Only one CR goes; a line starting with digits is a line. */
	check_stream(8192, "<13>a\r\r\n5 x\n", "<13>a\r|5 x|");
	/* A line not ended yet stays buffered. */
	check_rest(8192, "<13>a\n<13>b", "<13>a|", 5);
}

ATF_TC_WITHOUT_HEAD(newline_long);
ATF_TC_BODY(newline_long, tc)
{
	struct frame_dec d;
	struct frame_out fo;
	size_t used;

	check_stream(16, "<123456789abcdef\r\nok\n", "<123456789abcdef|ok|");
	check_stream(16, "<123456789abcdefg\nok\n",
	    "<123456789abcdef!|ok|");
	check_stream(16, "<123456789abcdefghijklmnopqrstuvwxyz0123456789\r\n"
	    "ok\n", "<123456789abcdef!|ok|");
	check_stream(16, "<123456789abcdefghijklmnopqrstuvwxyz0123456789",
	    "<123456789abcdef!|");

	frame_init(&d, 16);
	ATF_REQUIRE_EQ(one(&d, "<123456789abcdefghij", 20, &used, &fo),
	    FRAME_MSG);
	ATF_CHECK(fo.truncated);
	ATF_CHECK_EQ(used, 16);
	ATF_CHECK_EQ(one(&d, "ghij", 4, &used, &fo), FRAME_MORE);
	ATF_CHECK_EQ(used, 4);
	ATF_REQUIRE_EQ(one(&d, "k\nnext\n", 7, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(used, 7);
	ATF_CHECK_EQ(fo.len, 4);
	ATF_CHECK(!fo.truncated);
}

ATF_TC_WITHOUT_HEAD(bad_prefix);
ATF_TC_BODY(bad_prefix, tc)
{
	static const char *const bad[] = {
		"0 x", "012 abc", "12345678901 x", "9999999999 x",
		"2147483648 x", "12a", "5\nhello", "5x", "\x01<13>x", "\n<13>x",
		"\xef\xbb\xbf<13>x", "3 abc<13>x", "3 abc 3 abc",
	};
	static const char *const good[] = {
		"2147483647 ", "1000000000 ", "1 ",
	};
	struct frame_dec d;
	struct frame_out fo;
	size_t i, used, len;
	const char *p;
	enum frame_status st;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		frame_init(&d, 8192);
		p = bad[i];
		len = strlen(p);
		while ((st = one(&d, p, len, &used, &fo)) == FRAME_MSG) {
			p += used;
			len -= used;
		}
		ATF_CHECK_EQ_MSG(st, FRAME_ERROR, "%s", bad[i]);
	}
	frame_init(&d, 8192);
	ATF_CHECK_EQ(one(&d, "\0", 1, &used, &fo), FRAME_ERROR);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		frame_init(&d, 8192);
		ATF_CHECK_EQ_MSG(one(&d, good[i], strlen(good[i]), &used, &fo),
		    FRAME_MORE, "%s", good[i]);
		ATF_CHECK_EQ(used, strlen(good[i]));
	}
}

ATF_TC_WITHOUT_HEAD(prefix);
ATF_TC_BODY(prefix, tc)
{
	struct frame_dec d;
	struct frame_out fo;
	char buf[64];
	size_t n, used;

	ATF_CHECK_EQ(frame_prefix(0, buf, sizeof(buf)), 2);
	ATF_CHECK_STREQ(buf, "0 ");
	ATF_CHECK_EQ(frame_prefix(1234, buf, sizeof(buf)), 5);
	ATF_CHECK_STREQ(buf, "1234 ");
	ATF_CHECK_EQ(frame_prefix(1234, buf, 6), 5);
	ATF_CHECK_EQ(frame_prefix(1234, buf, 5), 0);
	ATF_CHECK_STREQ(buf, "");
	ATF_CHECK_EQ(frame_prefix(1234, buf, 0), 0);
	ATF_CHECK_EQ(frame_prefix((size_t)-1, buf, 22),
	    strlen(buf));

	n = frame_prefix(9, buf, sizeof(buf));
	memcpy(buf + n, "<13>hello", 9);
	frame_init(&d, 8192);
	ATF_REQUIRE_EQ(one(&d, buf, n + 9, &used, &fo), FRAME_MSG);
	ATF_CHECK_EQ(fo.len, 9);
	ATF_CHECK_EQ(memcmp(fo.msg, "<13>hello", 9), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, octet_single);
	ATF_TP_ADD_TC(tp, octet_multi);
	ATF_TP_ADD_TC(tp, octet_pieces);
	ATF_TP_ADD_TC(tp, octet_max);
	ATF_TP_ADD_TC(tp, octet_huge);
	ATF_TP_ADD_TC(tp, newline);
	ATF_TP_ADD_TC(tp, newline_long);
	ATF_TP_ADD_TC(tp, bad_prefix);
	ATF_TP_ADD_TC(tp, prefix);
	return atf_no_error();
}
