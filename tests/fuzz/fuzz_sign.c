/*
 * What syslog-verify does with the lines of a log file, which anyone who
 * can send a message may have written: find an RFC 5848 block and its
 * parameters, decode their numbers and base64, cut out the SIGN
 * parameter, and read a key from a certificate block's payload.  The
 * first input byte picks the room given for the unsigned form; the rest
 * is one line (and, whole, a payload).
 *
 * Invariants: parameters lie inside the line, in order; decoded base64
 * and the unsigned form fit the room they were given, and the unsigned
 * form is the line without " SIGN=\"...\"".
 */
#include <string.h>

#include <openssl/evp.h>

#include "fuzz.h"
#include "signfmt.h"
#include "signkey.h"

static const char *const names[] = { "VER", "RSID", "SG", "SPRI", "GBC",
	"FMN", "CNT", "HB", "SIGN", "TPBL", "INDEX", "FLEN", "FRAG" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sign_param p[SIGN_MAXPARAMS];
	static char out[8192];
	static unsigned char bin[8192];
	const char *line, *prev = NULL;
	char fp[SIGNKEY_FP_MAX + 1];
	size_t len, cap, ulen;
	EVP_PKEY *k;
	bool cert;
	int n;

	if (size < 1)
		return 0;
	cap = 1 + (size_t)data[0] * 32;		/* 1 .. 8161 */
	line = (const char *)data + 1;
	len = size - 1;
	if ((n = sign_parse_block(line, len, &cert, p, SIGN_MAXPARAMS)) >= 0) {
		FUZZ_CHECK(n <= SIGN_MAXPARAMS);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(p[i].name >= line &&
			    p[i].name + p[i].namelen <= line + len);
			FUZZ_CHECK(p[i].val >= p[i].name + p[i].namelen &&
			    p[i].val + p[i].vallen <= line + len);
			FUZZ_CHECK(prev == NULL || p[i].name > prev);
			prev = p[i].val;
			(void)sign_number(p[i].val, p[i].vallen);
			FUZZ_CHECK(sign_unb64(p[i].val, p[i].vallen, bin,
			    cap < sizeof(bin) ? cap : sizeof(bin)) <=
			    (long)(cap < sizeof(bin) ? cap : sizeof(bin)));
		}
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			(void)sign_param(p, n, names[i]);
	}
	if ((ulen = sign_unsigned_form(line, len, out,
	    cap < sizeof(out) ? cap : sizeof(out))) > 0) {
		size_t same = 0;

		FUZZ_CHECK(ulen < cap && ulen + 8 <= len);
		while (same < ulen && out[same] == line[same])
			same++;
		/* the rest is the line's end: one piece was cut out */
		FUZZ_CHECK(memcmp(out + same, line + len - (ulen - same),
		    ulen - same) == 0);
	}
	if ((k = signkey_from_payload(line, len)) != NULL) {
		(void)signkey_fingerprint(k, fp, sizeof(fp));
		FUZZ_CHECK(!signkey_verify(k, 2, line, len, "AAAA", 4));
		EVP_PKEY_free(k);
	}
	return 0;
}
