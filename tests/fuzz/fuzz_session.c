/*
 * What syslog-verify makes of a whole signed log, which anyone who can
 * send a message may have added lines to: certificate blocks put into
 * sessions, payloads put together and keys taken from them.
 *
 * Invariants: every fragment taken lies inside its payload and inside the
 * input; a block counts as signed only in a session with a key; a
 * session's keys have distinct fingerprints; what is said is text.
 */
#include <string.h>

#include "fuzz.h"
#include "session.h"

static void
say(void *ctx, const struct session *s, const char *what)
{
	(void)ctx;
	(void)s;
	FUZZ_CHECK(what[0] != '\0' && strlen(what) < 256);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *l, *e;
	struct sign_param p[SIGN_MAXPARAMS];
	struct sessions ss = { NULL, 0 };
	size_t ln = 0, si;
	bool cert;
	int n;

	for (l = text; l < end; l = e + 1, ln++) {
		if ((e = memchr(l, '\n', (size_t)(end - l))) == NULL)
			e = end;
		n = sign_parse_block(l, (size_t)(e - l), &cert, p,
		    SIGN_MAXPARAMS);
		if (n < 0 || !cert || !sign_block_well_formed(p, n, cert))
			continue;
		/* the host is not what is tested: the first octet picks one */
		si = session_find(&ss, l, 1, p, true);
		FUZZ_CHECK(si != SIZE_MAX);
		(void)session_add_cb(&ss.s[si], ln, l, (size_t)(e - l), p);
	}
	for (size_t i = 0; i < ss.n; i++) {
		struct session *s = &ss.s[i];

		session_take_keys(s, NULL, say, NULL);
		for (size_t c = 0; c < s->ncbs; c++) {
			const struct cert_block *b = &s->cbs[c];

			FUZZ_CHECK(b->index >= 1 && b->flen >= 1 &&
			    b->index - 1 + b->flen <= b->tpbl);
			FUZZ_CHECK(b->frag >= text && b->frag + b->flen <= end);
			FUZZ_CHECK(!b->ok || s->nkeys > 0);
		}
		for (size_t k = 0; k < s->nkeys; k++)
			for (size_t j = 0; j < k; j++)
				FUZZ_CHECK(strcmp(s->keys[j].fp,
				    s->keys[k].fp) != 0);
	}
	sessions_free(&ss);
	return 0;
}
