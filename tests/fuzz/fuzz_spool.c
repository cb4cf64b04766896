/*
 * A spool file as a crash, a full disk or a hostile user may leave it:
 * the input is the file's content.  spool_open() then spool_load() until
 * nothing unread remains.
 *
 * Invariants: every record handed over has a severity 0..7 and at most
 * SPOOL_MAX_RECORD bytes, and they add up to no more than the file; the
 * reader always makes progress (a damaged file cannot stall delivery);
 * damage is counted, and nothing crashes or leaks.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "mqueue.h"
#include "spool.h"

static char dir[1024];
static char path[sizeof(dir) + 32];

static void
remove_dir(void)
{
	(void)unlink(path);
	(void)rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spool *s;
	struct mqueue q;
	struct mq_ent *e;
	char err[512];
	size_t total = 0, rounds = 0;
	int fd;

	if (path[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/fuzz_spool.XXXXXX",
		    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof(path), "%s/fuzz.spool", dir);
		atexit(remove_dir);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if ((s = spool_open(dir, "fuzz", -1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	mq_init(&q, 64, -1);
	while (!spool_empty(s)) {
		unsigned long long before = spool_pending(s);
		size_t n = spool_load(s, &q, 16);

		FUZZ_CHECK(n > 0 || spool_pending(s) < before);
		while ((e = mq_pop(&q)) != NULL) {
			FUZZ_CHECK(e->sev <= 7);
			FUZZ_CHECK(e->len <= SPOOL_MAX_RECORD);
			total += e->len;
			free(e);
		}
		FUZZ_CHECK(++rounds <= size + 1);
	}
	FUZZ_CHECK(total <= size);
	FUZZ_CHECK(spool_damaged(s) <= size);
	mq_clear(&q);
	spool_close(s);
	return 0;
}
