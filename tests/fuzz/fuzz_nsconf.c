/*
 * newsyslog.conf on any text, then, for every entry with a time
 * specification, the search for its last occurrence (ns_at_prev) from a
 * clock picked by the first input byte.
 *
 * Invariants: every error names the file and a line that exists; entries
 * keep their fields in range (count, mode); the time search ends.  User
 * and group names are resolved by a stub, so that the fuzzer does not
 * query the system's user database.
 */
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "when.h"

static const char file[] = "fuzz.newsyslog.conf";
static long nlines;

static int
stub_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	(void)ctx;
	if (strcmp(name, "root") != 0)
		return -1;
	*uid = 0;
	*gid = 0;
	return 0;
}

static int
stub_group(void *ctx, const char *name, gid_t *gid)
{
	(void)ctx;
	if (strcmp(name, "wheel") != 0)
		return -1;
	*gid = 0;
	return 0;
}

static void
on_error(void *ctx, const char *f, int line, const char *msg)
{
	(void)ctx;
	FUZZ_CHECK(f != NULL && strcmp(f, file) == 0);
	FUZZ_CHECK(line >= 1 && line <= nlines);
	FUZZ_CHECK(msg != NULL && msg[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ns_resolver r = { stub_user, stub_group, NULL };
	struct ns_conf conf;
	time_t now;

	if (size == 0)
		return 0;
	/* 1970 .. about 2106, in steps of about six months */
	now = (time_t)data[0] * 16000000;
	data++;
	size--;
	nlines = fuzz_lines(data, size);
	memset(&conf, 0, sizeof(conf));
	(void)ns_conf_parse(&conf, file, (const char *)data, size, &r,
	    on_error, NULL);
	for (size_t i = 0; i < conf.n; i++) {
		const struct ns_entry *e = &conf.v[i];

		FUZZ_CHECK(e->path != NULL && e->path[0] == '/');
		FUZZ_CHECK(e->count >= 0 && e->count <= NS_MAX_COUNT);
		FUZZ_CHECK(e->mode <= 07777);
		FUZZ_CHECK(e->pidfile != NULL);
		if (e->when.at.kind != NS_AT_NONE) {
			time_t t = ns_at_prev(&e->when.at, now, 400);

			FUZZ_CHECK(t == -1 || t <= now);
		}
	}
	ns_conf_free(&conf);
	return 0;
}
