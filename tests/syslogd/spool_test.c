/*
 * Unit tests of the spool: round trips, naming, limits, replay after a
 * restart, saving the memory backlog in front, and damaged files.  Each
 * test works in its own temporary directory (atf's cwd).
 */
#include <atf-c.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

#define NAME	"dest"
#define PATH	"./dest.spool"
#define MLEN	9		/* of msg(i) */
#define RLEN	(SPOOL_HDR_LEN + MLEN)

static const char *
msg(int i)
{
	static char buf[8][16];
	static int k;
	char *b = buf[k++ % 8];

	snprintf(b, 16, "msg %05d", i);
	return b;
}

static struct spool *
open_ok(const char *name, long long max)
{
	char err[512];
	struct spool *s = spool_open(".", name, max, err, sizeof(err));

	ATF_REQUIRE_MSG(s != NULL, "spool_open: %s", err);
	return s;
}

static void
append_ok(struct spool *s, int sev, const char *m)
{
	ATF_REQUIRE_EQ(spool_append(s, sev, m, strlen(m)), SPOOL_OK);
}

static void
append_msgs(struct spool *s, int from, int to)
{
	for (int i = from; i < to; i++)
		append_ok(s, i % 8, msg(i));
}

/* Pops the oldest message of q and checks it. */
static void
expect_pop(struct mqueue *q, int sev, const char *want)
{
	struct mq_ent *e = mq_pop(q);

	ATF_REQUIRE_MSG(e != NULL, "queue empty, expected %s", want);
	ATF_CHECK_MSG(e->len == strlen(want) &&
	    memcmp(e->data, want, e->len) == 0,
	    "got \"%.*s\", expected \"%s\"", (int)e->len, e->data, want);
	if (sev >= 0)
		ATF_CHECK_EQ(e->sev, sev);
	free(e);
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 ? -1 : (long long)st.st_size;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	long long n = file_size(path);
	unsigned char *b;
	int fd;

	ATF_REQUIRE(n >= 0);
	ATF_REQUIRE((b = malloc((size_t)n + 1)) != NULL);
	ATF_REQUIRE((fd = open(path, O_RDONLY)) != -1);
	ATF_REQUIRE_EQ(read(fd, b, (size_t)n), (ssize_t)n);
	close(fd);
	*len = (size_t)n;
	return b;
}

static void
spit(const char *path, const void *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, b, len), (ssize_t)len);
	close(fd);
}

/* Writes n messages msg(0..n-1) into dest.spool and closes it. */
static void
make_spool(int n)
{
	struct spool *s = open_ok(NAME, -1);

	append_msgs(s, 0, n);
	spool_close(s);
	ATF_REQUIRE_EQ(file_size(PATH), (long long)n * RLEN);
}

/*
 * Opens dest.spool, loads everything, checks that msg(i) for the indexes
 * in want (ended by -1) come out in order, and the damage count.
 */
static void
check_load(const int *want, unsigned long long damaged)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	mq_init(&q, -1, -1);
	spool_load(s, &q, SIZE_MAX);
	for (; *want != -1; want++)
		expect_pop(&q, *want % 8, msg(*want));
	ATF_CHECK_EQ(q.count, 0);
	ATF_CHECK_EQ(spool_damaged(s), damaged);
	ATF_CHECK(spool_empty(s));
	ATF_CHECK_EQ(file_size(PATH), 0);
	mq_clear(&q);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
}

ATF_TC_WITHOUT_HEAD(crc32);
ATF_TC_BODY(crc32, tc)
{
	ATF_CHECK_EQ(spool_crc32(0, "123456789", 9), 0xcbf43926U);
	ATF_CHECK_EQ(spool_crc32(spool_crc32(0, "1234", 4), "56789", 5),
	    0xcbf43926U);
	ATF_CHECK_EQ(spool_crc32(0, "", 0), 0);
}

ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	ATF_CHECK(spool_empty(s));
	ATF_CHECK_EQ(file_size(PATH), 0);
	ATF_CHECK_EQ(spool_pending(s), 0);
	append_msgs(s, 0, 100);
	ATF_REQUIRE_EQ(spool_append(s, 3, "", 0), SPOOL_OK);
	ATF_REQUIRE_EQ(spool_append(s, 42, "clamped", 7), SPOOL_OK);
	ATF_CHECK(!spool_empty(s));
	ATF_CHECK_EQ(spool_pending(s), 100 * RLEN + 2 * SPOOL_HDR_LEN + 7);
	ATF_CHECK_EQ(spool_sync(s), 0);

	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, 0), 0);
	ATF_CHECK_EQ(spool_load(s, &q, 60), 60);
	ATF_CHECK(!spool_empty(s));
	/* appended while being read: comes after */
	append_ok(s, 1, "late");
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 43);
	ATF_CHECK(spool_empty(s));
	ATF_CHECK_EQ(file_size(PATH), 0);	/* truncated once read */
	for (int i = 0; i < 100; i++)
		expect_pop(&q, i % 8, msg(i));
	expect_pop(&q, 3, "");
	expect_pop(&q, 7, "clamped");
	expect_pop(&q, 1, "late");
	ATF_CHECK_EQ(q.count, 0);
	ATF_CHECK_EQ(spool_damaged(s), 0);

	/* usable again after the truncation */
	append_ok(s, 2, "again");
	ATF_CHECK_EQ(file_size(PATH), SPOOL_HDR_LEN + 5);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 1);
	expect_pop(&q, 2, "again");
	spool_close(s);
}

/* The exact bytes of one record, as spool.h documents them. */
ATF_TC_WITHOUT_HEAD(format);
ATF_TC_BODY(format, tc)
{
	struct spool *s = open_ok(NAME, -1);
	unsigned char want[SPOOL_HDR_LEN + 5] = {
		0xff, 'S', 'P', '1', 5, 0, 0, 0, 6 }, *b;
	uint32_t crc = spool_crc32(0, want + 4, 5);
	struct stat st;
	size_t len;

	crc = spool_crc32(crc, "hello", 5);
	for (int i = 0; i < 4; i++)
		want[9 + i] = (unsigned char)(crc >> (8 * i));
	memcpy(want + SPOOL_HDR_LEN, "hello", 5);
	append_ok(s, 6, "hello");
	b = slurp(PATH, &len);
	ATF_REQUIRE_EQ(len, sizeof(want));
	ATF_CHECK(memcmp(b, want, len) == 0);
	free(b);
	ATF_REQUIRE(stat(PATH, &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 077, 0);
	ATF_CHECK(S_ISREG(st.st_mode));
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), sizeof(want));
}

ATF_TC_WITHOUT_HEAD(naming);
ATF_TC_BODY(naming, tc)
{
	static const struct { const char *dest, *file; } t[] = {
		{ "@[127.0.0.1]:6514", "_127.0.0.1_6514.spool" },
		{ "@[loghost.example.org]:6514(subject=\"a b\")",
		    "_loghost.example.org_6514_subject_a_b_.spool" },
		{ "../../etc/passwd", ".._.._etc_passwd.spool" },
		{ "/", "_.spool" },
		{ "", "_.spool" },
		{ "A-z_9.", "A-z_9..spool" },
		{ "\xc3\xa9t\xc3\xa9", "_t_.spool" },
	};
	struct spool *s;
	char longname[400], want[400];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = open_ok(t[i].dest, -1);
		append_ok(s, 0, "x");
		ATF_CHECK_MSG(file_size(t[i].file) == SPOOL_HDR_LEN + 1,
		    "%s: no %s", t[i].dest, t[i].file);
		ATF_CHECK_MSG(strcmp(spool_path(s) + 2, t[i].file) == 0,
		    "%s", spool_path(s));
		spool_close(s);
		ATF_REQUIRE(unlink(t[i].file) == 0);
	}

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(want, 'a', SPOOL_NAME_MAX);
	strcpy(want + SPOOL_NAME_MAX, ".spool");
	s = open_ok(longname, -1);
	ATF_CHECK(file_size(want) == 0);
	spool_close(s);
	ATF_CHECK(file_size(want) == -1);
}

ATF_TC_WITHOUT_HEAD(max_bytes);
ATF_TC_BODY(max_bytes, tc)
{
	struct spool *s = open_ok(NAME, 3 * RLEN + SPOOL_HDR_LEN + 2);
	struct mqueue q;

	append_msgs(s, 0, 3);
	ATF_CHECK_EQ(spool_append(s, 0, msg(3), MLEN), SPOOL_FULL);
	ATF_CHECK_EQ(spool_append(s, 0, "12345", 5), SPOOL_FULL);
	ATF_CHECK_EQ(spool_append(s, 0, "", 0), SPOOL_OK);
	ATF_CHECK_EQ(spool_append(s, 0, "", 0), SPOOL_FULL);
	ATF_CHECK_EQ(file_size(PATH), 3 * RLEN + SPOOL_HDR_LEN);

	/* Read space is reclaimed (compaction) once it is worth it. */
	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, 2), 2);
	append_ok(s, 1, msg(10));
	ATF_CHECK_EQ(file_size(PATH), 2 * RLEN + SPOOL_HDR_LEN);
	ATF_CHECK_EQ(spool_pending(s), 2 * RLEN + SPOOL_HDR_LEN);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 3);
	expect_pop(&q, 0, msg(0));
	expect_pop(&q, 1, msg(1));
	expect_pop(&q, 2, msg(2));
	expect_pop(&q, 0, "");
	expect_pop(&q, 1, msg(10));
	ATF_CHECK(spool_empty(s));
	spool_close(s);

	/* unlimited */
	s = open_ok(NAME, -1);
	append_msgs(s, 0, 2000);
	ATF_CHECK_EQ(file_size(PATH), 2000 * RLEN);
	spool_close(s);

	/* zero */
	ATF_REQUIRE(unlink(PATH) == 0);
	s = open_ok(NAME, 0);
	ATF_CHECK_EQ(spool_append(s, 0, "", 0), SPOOL_FULL);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
}

ATF_TC_WITHOUT_HEAD(too_long);
ATF_TC_BODY(too_long, tc)
{
	struct spool *s = open_ok(NAME, -1);
	char *big = malloc(SPOOL_MAX_RECORD + 1);
	struct mqueue q;

	ATF_REQUIRE(big != NULL);
	memset(big, 'b', SPOOL_MAX_RECORD + 1);
	errno = 0;
	ATF_CHECK_EQ(spool_append(s, 0, big, SPOOL_MAX_RECORD + 1),
	    SPOOL_ERROR);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_CHECK_EQ(file_size(PATH), 0);
	ATF_CHECK_EQ(spool_append(s, 5, big, SPOOL_MAX_RECORD), SPOOL_OK);
	append_ok(s, 5, "after");
	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 2);
	ATF_CHECK_EQ(mq_peek(&q)->len, SPOOL_MAX_RECORD);
	free(mq_pop(&q));
	expect_pop(&q, 5, "after");
	ATF_CHECK_EQ(spool_damaged(s), 0);
	free(big);
	spool_close(s);
}

/* A restart: close, reopen, replay in order, new messages after. */
ATF_TC_WITHOUT_HEAD(restart);
ATF_TC_BODY(restart, tc)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	append_msgs(s, 0, 10);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), 10 * RLEN);

	s = open_ok(NAME, -1);
	ATF_CHECK(!spool_empty(s));
	ATF_CHECK_EQ(spool_pending(s), 10 * RLEN);
	append_msgs(s, 10, 15);
	spool_close(s);

	/* Loaded but not saved: delivered again (at least once). */
	s = open_ok(NAME, -1);
	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, 3), 3);
	mq_clear(&q);
	spool_close(s);

	s = open_ok(NAME, -1);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 15);
	for (int i = 0; i < 15; i++)
		expect_pop(&q, i % 8, msg(i));
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
}

ATF_TC_WITHOUT_HEAD(save_front);
ATF_TC_BODY(save_front, tc)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	/* The memory backlog, not in seq order per severity list. */
	mq_init(&q, -1, -1);
	mq_push(&q, 3, "mem-b", 5);
	mq_push(&q, 6, "mem-c", 5);
	mq_push_front(&q, 1, "mem-a", 5);
	append_msgs(s, 0, 6);
	/* one record moves to memory: behind the backlog, before the rest */
	ATF_CHECK_EQ(spool_load(s, &q, 1), 1);
	ATF_CHECK_EQ(q.count, 4);

	ATF_REQUIRE_EQ(spool_save_front(s, &q), 0);
	ATF_CHECK_EQ(q.count, 0);
	ATF_CHECK_EQ(q.bytes, 0);
	ATF_CHECK_EQ(file_size(PATH), 3 * (SPOOL_HDR_LEN + 5) + 6 * RLEN);
	ATF_CHECK_EQ(file_size(PATH ".tmp"), -1);
	/* still usable */
	append_ok(s, 4, "after save");
	spool_close(s);

	s = open_ok(NAME, -1);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 10);
	expect_pop(&q, 1, "mem-a");
	expect_pop(&q, 3, "mem-b");
	expect_pop(&q, 6, "mem-c");
	for (int i = 0; i < 6; i++)
		expect_pop(&q, i % 8, msg(i));
	expect_pop(&q, 4, "after save");
	ATF_CHECK_EQ(q.count, 0);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
}

ATF_TC_WITHOUT_HEAD(save_front_trivial);
ATF_TC_BODY(save_front_trivial, tc)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	mq_init(&q, -1, -1);
	/* nothing at all */
	ATF_CHECK_EQ(spool_save_front(s, &q), 0);
	ATF_CHECK_EQ(file_size(PATH), 0);
	/* nothing in memory, nothing read: the file stays */
	append_msgs(s, 0, 3);
	ATF_CHECK_EQ(spool_save_front(s, &q), 0);
	ATF_CHECK_EQ(file_size(PATH), 3 * RLEN);
	/* part read: dropped from the file */
	ATF_CHECK_EQ(spool_load(s, &q, 1), 1);
	mq_clear(&q);
	ATF_CHECK_EQ(spool_save_front(s, &q), 0);
	ATF_CHECK_EQ(file_size(PATH), 2 * RLEN);
	/* only memory */
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 2);
	ATF_CHECK_EQ(file_size(PATH), 0);
	ATF_CHECK_EQ(spool_save_front(s, &q), 0);
	ATF_CHECK_EQ(file_size(PATH), 2 * RLEN);
	spool_close(s);
	check_load((const int[]){ 1, 2, -1 }, 0);
}

ATF_TC_WITHOUT_HEAD(removed_when_empty);
ATF_TC_BODY(removed_when_empty, tc)
{
	struct spool *s = open_ok(NAME, -1);
	struct mqueue q;

	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);	/* never used */

	s = open_ok(NAME, -1);
	append_msgs(s, 0, 4);
	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, 3), 3);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), 4 * RLEN);	/* one unread */

	s = open_ok(NAME, -1);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 4);
	ATF_CHECK(spool_empty(s));
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
	mq_clear(&q);
	spool_close(NULL);
}

/* Loading stops when the queue is full; an oversized record cannot stall. */
ATF_TC_WITHOUT_HEAD(queue_limits);
ATF_TC_BODY(queue_limits, tc)
{
	struct spool *s = open_ok(NAME, -1);
	char big[100];
	struct mqueue q;

	memset(big, 'B', sizeof(big));
	append_msgs(s, 0, 10);
	ATF_REQUIRE_EQ(spool_append(s, 6, big, sizeof(big)), SPOOL_OK);
	append_msgs(s, 10, 12);

	mq_init(&q, 4, 50);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 4);	/* count limit */
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 0);
	for (int i = 0; i < 4; i++)
		expect_pop(&q, i % 8, msg(i));
	mq_push(&q, 0, "0123456789012345678901234567890123", 34);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 1);	/* byte limit */
	free(mq_pop(&q));
	expect_pop(&q, 4, msg(4));
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 4);
	for (int i = 5; i < 9; i++)
		expect_pop(&q, i % 8, msg(i));
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 1);	/* big waits */
	expect_pop(&q, 1, msg(9));
	/* big into an empty queue: mqueue drops and counts it */
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 3);
	ATF_CHECK_EQ(q.dropped, 1);
	ATF_CHECK_EQ(q.count, 2);
	expect_pop(&q, 2, msg(10));
	expect_pop(&q, 3, msg(11));
	ATF_CHECK(spool_empty(s));
	spool_close(s);
}

/* Read space is reclaimed while the spool is filled and drained. */
ATF_TC_WITHOUT_HEAD(steady_state);
ATF_TC_BODY(steady_state, tc)
{
	struct spool *s = open_ok(NAME, 100 * RLEN);
	int in = 0, out = 0;
	long long biggest = 0, n;
	struct mqueue q;

	mq_init(&q, 10, -1);
	append_msgs(s, 0, 50);
	in = 50;
	for (int round = 0; round < 500; round++) {
		for (int k = 0; k < 10; k++, in++)
			ATF_REQUIRE_EQ(spool_append(s, in % 8, msg(in), MLEN),
			    SPOOL_OK);
		spool_load(s, &q, SIZE_MAX);
		while (q.count > 0)
			expect_pop(&q, out % 8, msg(out)), out++;
		if ((n = file_size(PATH)) > biggest)
			biggest = n;
	}
	ATF_CHECK(biggest <= 100 * RLEN);
	while (!spool_empty(s)) {
		ATF_REQUIRE(spool_load(s, &q, SIZE_MAX) > 0);
		while (q.count > 0)
			expect_pop(&q, out % 8, msg(out)), out++;
	}
	ATF_CHECK_EQ(out, in);
	spool_close(s);
	ATF_CHECK_EQ(file_size(PATH), -1);
}

ATF_TC_WITHOUT_HEAD(damaged_checksum);
ATF_TC_BODY(damaged_checksum, tc)
{
	unsigned char *b;
	size_t len;

	make_spool(5);
	b = slurp(PATH, &len);
	b[1 * RLEN + 10] ^= 0x40;		/* CRC of record 1 */
	b[3 * RLEN + SPOOL_HDR_LEN + 2] ^= 1;	/* data of record 3 */
	spit(PATH, b, len);
	free(b);
	check_load((const int[]){ 0, 2, 4, -1 }, 2);

	make_spool(3);
	b = slurp(PATH, &len);
	b[8] = 9;				/* severity */
	b[RLEN + 8] ^= 1;			/* severity still in range */
	spit(PATH, b, len);
	free(b);
	check_load((const int[]){ 2, -1 }, 2);
}

ATF_TC_WITHOUT_HEAD(damaged_garbage);
ATF_TC_BODY(damaged_garbage, tc)
{
	static const char garbage[] = "garbage\377S\377SP\377SP";
	unsigned char *b, *c;
	size_t len, g = sizeof(garbage) - 1;

	make_spool(5);
	b = slurp(PATH, &len);
	ATF_REQUIRE((c = malloc(len + 3 * g)) != NULL);
	/* at the start, between records 1 and 2, in the middle of 3 */
	memcpy(c, garbage, g);
	memcpy(c + g, b, 2 * RLEN);
	memcpy(c + g + 2 * RLEN, garbage, g);
	memcpy(c + 2 * g + 2 * RLEN, b + 2 * RLEN, RLEN + 5);
	memcpy(c + 2 * g + 3 * RLEN + 5, garbage, g);
	memcpy(c + 3 * g + 3 * RLEN + 5, b + 3 * RLEN + 5, len - 3 * RLEN - 5);
	spit(PATH, c, len + 3 * g);
	free(b);
	free(c);
	check_load((const int[]){ 0, 1, 2, 4, -1 }, 3);

	/* garbage only */
	ATF_REQUIRE((c = malloc(100000)) != NULL);
	for (size_t i = 0; i < 100000; i++)
		c[i] = (unsigned char)(i * 2654435761U >> 13);
	spit(PATH, c, 100000);
	check_load((const int[]){ -1 }, 1);

	/* nothing but record magics (each a bad record) */
	for (size_t i = 0; i < 100000; i++)
		c[i] = (unsigned char)"\377SP1"[i % 4];
	spit(PATH, c, 100000);
	check_load((const int[]){ -1 }, 25000);
	free(c);
}

ATF_TC_WITHOUT_HEAD(damaged_truncated);
ATF_TC_BODY(damaged_truncated, tc)
{
	struct spool *s;
	struct mqueue q;

	/* cut in the data, in the header, in the magic */
	static const size_t cut[] = { 1, MLEN, MLEN + 1, RLEN - 2, RLEN - 1 };

	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		make_spool(4);
		ATF_REQUIRE(truncate(PATH, 4 * RLEN - (off_t)cut[i]) == 0);
		check_load((const int[]){ 0, 1, 2, -1 }, 1);
	}

	/* A crash cut the last record; then more were appended. */
	make_spool(4);
	ATF_REQUIRE(truncate(PATH, 4 * RLEN - 3) == 0);
	s = open_ok(NAME, -1);
	append_msgs(s, 4, 6);
	mq_init(&q, -1, -1);
	ATF_CHECK_EQ(spool_load(s, &q, SIZE_MAX), 5);
	for (int i = 0; i < 6; i++)
		if (i != 3)
			expect_pop(&q, i % 8, msg(i));
	ATF_CHECK_EQ(spool_damaged(s), 1);
	spool_close(s);
}

ATF_TC_WITHOUT_HEAD(damaged_length);
ATF_TC_BODY(damaged_length, tc)
{
	static const uint32_t lens[] = {
		0xffffffffU, 0x7ffffff0U, SPOOL_MAX_RECORD + 1,
		SPOOL_MAX_RECORD, 5 * RLEN, RLEN, MLEN + 1, MLEN - 1, 0,
	};
	unsigned char *b;
	size_t len;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		make_spool(5);
		b = slurp(PATH, &len);
		b[RLEN + 4] = (unsigned char)lens[i];
		b[RLEN + 5] = (unsigned char)(lens[i] >> 8);
		b[RLEN + 6] = (unsigned char)(lens[i] >> 16);
		b[RLEN + 7] = (unsigned char)(lens[i] >> 24);
		spit(PATH, b, len);
		free(b);
		check_load((const int[]){ 0, 2, 3, 4, -1 }, 1);
	}
}

/* A bad announced length on a long file still reads each byte about once. */
ATF_TC_WITHOUT_HEAD(damaged_big_file);
ATF_TC_BODY(damaged_big_file, tc)
{
	int want[20001], n = 0;
	unsigned char *b;
	size_t len;

	make_spool(20000);
	b = slurp(PATH, &len);
	for (int i = 0; i < 20000; i++) {
		if (i % 1000 == 7) {
			/* announces a megabyte that is in the file */
			b[(size_t)i * RLEN + 6] = 0x04;
			continue;
		}
		want[n++] = i;
	}
	want[n] = -1;
	spit(PATH, b, len);
	free(b);
	check_load(want, 20);
}

/* xorshift32: a repeatable stream of numbers */
static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Random damage: whatever comes out is some of the messages written, in
 * order, and nothing hangs.  The messages contain magic bytes and
 * record-like fragments to tempt the resynchronization.
 */
ATF_TC_WITHOUT_HEAD(damaged_random);
ATF_TC_BODY(damaged_random, tc)
{
	char m[40][64];
	size_t mlen[40], len, at, n;
	unsigned char *b, *c;
	uint32_t x = 12345;
	struct spool *s;
	struct mqueue q;
	int last, k, calls, total = 0;

	for (int i = 0; i < 40; i++) {
		mlen[i] = (size_t)snprintf(m[i], sizeof(m[i]), "%02d%s", i,
		    i % 3 == 1 ? "\377SP" : "plain message text");
		if (i % 3 == 0) {
			/* a record header, with a wrong CRC */
			memcpy(m[i] + 2, "\377SP1\5\0\0\0\3xxxx", 13);
			mlen[i] = 2 + 13;
		}
	}
	for (int iter = 0; iter < 500; iter++) {
		s = open_ok(NAME, -1);
		for (int i = 0; i < 40; i++)
			ATF_REQUIRE_EQ(spool_append(s, i % 8, m[i], mlen[i]),
			    SPOOL_OK);
		spool_close(s);
		b = slurp(PATH, &len);
		ATF_REQUIRE((c = malloc(len + 200)) != NULL);
		for (int d = 1 + (int)(rnd(&x) % 4); d > 0; d--) {
			at = rnd(&x) % len;
			switch (rnd(&x) % 5) {
			case 0:		/* flip a byte */
				b[at] ^= (unsigned char)(1 + rnd(&x) % 255);
				break;
			case 1:		/* insert garbage */
				n = rnd(&x) % 40;
				memcpy(c, b, at);
				for (size_t i = 0; i < n; i++)
					c[at + i] = rnd(&x) % 4 == 0 ?
					    (unsigned char)"\377SP1"[i % 4] :
					    (unsigned char)rnd(&x);
				memcpy(c + at + n, b + at, len - at);
				len += n;
				ATF_REQUIRE((b = realloc(b, len)) != NULL);
				memcpy(b, c, len);
				break;
			case 2:		/* delete a range */
				n = rnd(&x) % 60;
				if (n > len - at)
					n = len - at;
				memmove(b + at, b + at + n, len - at - n);
				len -= n;
				break;
			case 3:		/* cut the tail */
				len = at;
				break;
			default:	/* overwrite four bytes */
				for (size_t i = at; i < at + 4 && i < len; i++)
					b[i] = (unsigned char)rnd(&x);
				break;
			}
			if (len == 0)
				break;
			ATF_REQUIRE((c = realloc(c, len + 200)) != NULL);
		}
		spit(PATH, b, len);
		free(b);
		free(c);

		s = open_ok(NAME, -1);
		mq_init(&q, 3, -1);
		last = -1;
		for (calls = 0; !spool_empty(s); calls++) {
			ATF_REQUIRE_MSG(calls < 1000, "iteration %d hangs",
			    iter);
			spool_load(s, &q, SIZE_MAX);
			while (q.count > 0) {
				struct mq_ent *e = mq_pop(&q);

				for (k = last + 1; k < 40; k++)
					if (e->len == mlen[k] &&
					    memcmp(e->data, m[k], e->len) == 0 &&
					    e->sev == k % 8)
						break;
				ATF_REQUIRE_MSG(k < 40, "iteration %d: "
				    "\"%.*s\" after %d", iter, (int)e->len,
				    e->data, last);
				last = k;
				total++;
				free(e);
			}
		}
		ATF_CHECK(spool_damaged(s) < 1000);
		spool_close(s);
		ATF_REQUIRE_EQ(file_size(PATH), -1);
	}
	/* most records survive: the damage is local */
	ATF_CHECK_MSG(total > 500 * 40 / 2, "%d delivered", total);
}

ATF_TC_WITHOUT_HEAD(stale_tmp);
ATF_TC_BODY(stale_tmp, tc)
{
	struct spool *s;

	make_spool(2);
	spit(PATH ".tmp", "half a rewrite", 14);
	s = open_ok(NAME, -1);
	ATF_CHECK_EQ(file_size(PATH ".tmp"), -1);
	spool_close(s);
	check_load((const int[]){ 0, 1, -1 }, 0);
}

static void
check_open_error(const char *dir, const char *name, const char *path,
    const char *reason)
{
	char err[512];

	memset(err, 'x', sizeof(err));
	ATF_CHECK(spool_open(dir, name, -1, err, sizeof(err)) == NULL);
	ATF_CHECK_MSG(strstr(err, path) != NULL && strstr(err, reason) != NULL,
	    "error \"%s\" does not name %s (%s)", err, path, reason);
	ATF_CHECK(spool_open(dir, name, -1, err, 0) == NULL);
}

ATF_TC_WITHOUT_HEAD(open_errors);
ATF_TC_BODY(open_errors, tc)
{
	ATF_REQUIRE(mkfifo("fifo.spool", 0600) == 0);
	ATF_REQUIRE(mkdir("dir.spool", 0700) == 0);
	spit("plain", "x", 1);

	check_open_error("./no/such/dir", "@[h]:1", "./no/such/dir/_h_1.spool",
	    strerror(ENOENT));
	check_open_error("plain", "d", "plain/d.spool", strerror(ENOTDIR));
	check_open_error(".", "dir", "./dir.spool", strerror(EISDIR));
	check_open_error(".", "fifo", "./fifo.spool", "not a regular file");
	ATF_REQUIRE(symlink("elsewhere", "link.spool") == 0);
	check_open_error(".", "link", "./link.spool", "");
	ATF_CHECK_EQ(file_size("elsewhere"), -1);
}

ATF_TC_WITHOUT_HEAD(readonly_dir);
ATF_TC_BODY(readonly_dir, tc)
{
	ATF_REQUIRE(mkdir("ro", 0500) == 0);
	if (geteuid() == 0)
		atf_tc_skip("root can write to a read-only directory");
	check_open_error("ro", "@[127.0.0.1]:6514", "ro/_127.0.0.1_6514.spool",
	    strerror(EACCES));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, crc32);
	ATF_TP_ADD_TC(tp, round_trip);
	ATF_TP_ADD_TC(tp, format);
	ATF_TP_ADD_TC(tp, naming);
	ATF_TP_ADD_TC(tp, max_bytes);
	ATF_TP_ADD_TC(tp, too_long);
	ATF_TP_ADD_TC(tp, restart);
	ATF_TP_ADD_TC(tp, save_front);
	ATF_TP_ADD_TC(tp, save_front_trivial);
	ATF_TP_ADD_TC(tp, removed_when_empty);
	ATF_TP_ADD_TC(tp, queue_limits);
	ATF_TP_ADD_TC(tp, steady_state);
	ATF_TP_ADD_TC(tp, damaged_checksum);
	ATF_TP_ADD_TC(tp, damaged_garbage);
	ATF_TP_ADD_TC(tp, damaged_truncated);
	ATF_TP_ADD_TC(tp, damaged_length);
	ATF_TP_ADD_TC(tp, damaged_big_file);
	ATF_TP_ADD_TC(tp, damaged_random);
	ATF_TP_ADD_TC(tp, stale_tmp);
	ATF_TP_ADD_TC(tp, open_errors);
	ATF_TP_ADD_TC(tp, readonly_dir);
	return atf_no_error();
}
