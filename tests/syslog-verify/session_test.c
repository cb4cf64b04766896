/*
 * syslog-verify's sessions: keys come only from payloads their own
 * certificate blocks sign, so look-alike fragments neither take a
 * genuine key away nor bring one of their own.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "session.h"

#define HOST	"host.test"
#define RSID	1700000000

struct fixture {
	EVP_PKEY	*key;
	char		 payload[2200];
	size_t		 paylen;
	char		 fp[SIGNKEY_FP_MAX + 1];
};

/* The session's lines stay alive as long as the session points into them. */
static char lines[300][3072];
static size_t nlines;

static struct fixture
make_key(void)
{
	struct fixture f;
	char blob[2048];
	size_t blen;

	ATF_REQUIRE((f.key = signkey_generate()) != NULL);
	ATF_REQUIRE((blen = signkey_blob(f.key, blob, sizeof(blob))) > 0);
	ATF_REQUIRE((f.paylen = sign_payload(RSID, 0, 'K', blob, f.payload,
	    sizeof(f.payload))) > 0);
	ATF_REQUIRE(signkey_fingerprint(f.key, f.fp, sizeof(f.fp)));
	return f;
}

/*
 * A certificate block line with octets [index, index + flen) of payload,
 * signed by key (or, with key NULL, carrying a signature of nobody's).
 */
static const char *
cb_line(EVP_PKEY *key, const char *payload, size_t tpbl, size_t index,
    size_t flen)
{
	struct sign_cb b = { "0121", RSID, 3, 0, tpbl, index, flen,
	    payload + index - 1 };
	char *l;
	char sig[SIGN_SIG_B64_MAX + 1] = "QUJD";
	int h;

	ATF_REQUIRE(nlines < sizeof(lines) / sizeof(lines[0]));
	l = lines[nlines++];
	h = snprintf(l, sizeof(lines[0]), "<110>1 2026-11-24T00:00:%02zuZ "
	    HOST " syslogd - - ", nlines % 60);
	ATF_REQUIRE(sign_cb_text(&b, NULL, l + h, sizeof(lines[0]) - h) > 0);
	if (key != NULL)
		ATF_REQUIRE(signkey_sign(key, l, strlen(l), sig,
		    sizeof(sig)) > 0);
	ATF_REQUIRE(sign_cb_text(&b, sig, l + h, sizeof(lines[0]) - h) > 0);
	return l;
}

/* Adds a line to its session; NULL, or why it was not taken. */
static const char *
add(struct sessions *ss, const char *line)
{
	struct sign_param p[SIGN_MAXPARAMS];
	bool cert;
	size_t si;

	ATF_REQUIRE(sign_parse_block(line, strlen(line), &cert, p,
	    SIGN_MAXPARAMS) == 9);
	ATF_REQUIRE(cert);
	ATF_REQUIRE((si = session_find(ss, HOST, strlen(HOST), p, true)) == 0);
	return session_add_cb(&ss->s[si], nlines - 1, line, strlen(line), p);
}

/* The genuine key's payload in two fragments, sent twice. */
static void
add_genuine(struct sessions *ss, const struct fixture *f)
{
	size_t half = f->paylen / 2;

	for (int i = 0; i < 2; i++) {
		ATF_REQUIRE(add(ss, cb_line(f->key, f->payload, f->paylen, 1,
		    half)) == NULL);
		ATF_REQUIRE(add(ss, cb_line(f->key, f->payload, f->paylen,
		    half + 1, f->paylen - half)) == NULL);
	}
}

static char said[4][256];
static int nsaid;

static void
say(void *ctx, const struct session *s, const char *what)
{
	(void)ctx;
	ATF_CHECK_STREQ(s->host, HOST);
	if (nsaid < 4)
		snprintf(said[nsaid], sizeof(said[0]), "%s", what);
	nsaid++;
}

static void
reset(struct sessions *ss)
{
	memset(ss, 0, sizeof(*ss));
	nlines = 0;
	nsaid = 0;
}

static size_t
count_ok(const struct session *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncbs; i++)
		n += s->cbs[i].ok;
	return n;
}

ATF_TC_WITHOUT_HEAD(genuine);
ATF_TC_BODY(genuine, tc)
{
	struct fixture f = make_key();
	struct sessions ss;
	char line[512], sig[SIGN_SIG_B64_MAX + 1];
	size_t slen;

	reset(&ss);
	add_genuine(&ss, &f);
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(nsaid, 0);
	ATF_REQUIRE_EQ(ss.s[0].nkeys, 1);
	ATF_CHECK_STREQ(ss.s[0].keys[0].fp, f.fp);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 4);

	/* a block is signed when the key signed it without its SIGN */
	snprintf(line, sizeof(line), "<110>1 - " HOST " x [ssign VER=\"0121\"]");
	ATF_REQUIRE((slen = signkey_sign(f.key, line, strlen(line), sig,
	    sizeof(sig))) > 0);
	snprintf(line + strlen(line) - 1, sizeof(line) - strlen(line) + 1,
	    " SIGN=\"%s\"]", sig);
	ATF_CHECK(session_signed(&ss.s[0], line, strlen(line), sig, slen));
	line[10] = 'X';
	ATF_CHECK(!session_signed(&ss.s[0], line, strlen(line), sig, slen));
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
}

ATF_TC_WITHOUT_HEAD(lookalike);
ATF_TC_BODY(lookalike, tc)
{
	struct fixture f = make_key(), other = make_key();
	struct sessions ss;
	char forged[2200];
	size_t half = f.paylen / 2;

	reset(&ss);
	/*
	 * Before the genuine blocks: both halves changed, one signed by
	 * nobody, the other by a key that has no payload here.
	 */
	memcpy(forged, f.payload, f.paylen);
	forged[5] = forged[5] == '1' ? '2' : '1';
	forged[f.paylen - 3] = forged[f.paylen - 3] == 'A' ? 'B' : 'A';
	ATF_REQUIRE(add(&ss, cb_line(NULL, forged, f.paylen, 1, half)) == NULL);
	ATF_REQUIRE(add(&ss, cb_line(other.key, forged, f.paylen, half + 1,
	    f.paylen - half)) == NULL);
	add_genuine(&ss, &f);
	/* and after them, one more */
	ATF_REQUIRE(add(&ss, cb_line(NULL, forged, f.paylen, 1, half)) == NULL);
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(nsaid, 0);
	ATF_REQUIRE_EQ(ss.s[0].nkeys, 1);
	ATF_CHECK_STREQ(ss.s[0].keys[0].fp, f.fp);
	ATF_CHECK(!ss.s[0].cbs[0].ok);
	ATF_CHECK(!ss.s[0].cbs[1].ok);
	ATF_CHECK(!ss.s[0].cbs[6].ok);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 4);
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
	EVP_PKEY_free(other.key);
}

/* The second fragment first (reordered on the way): still one payload. */
ATF_TC_WITHOUT_HEAD(reordered);
ATF_TC_BODY(reordered, tc)
{
	struct fixture f = make_key();
	struct sessions ss;
	size_t half = f.paylen / 2;

	reset(&ss);
	ATF_REQUIRE(add(&ss, cb_line(f.key, f.payload, f.paylen, half + 1,
	    f.paylen - half)) == NULL);
	ATF_REQUIRE(add(&ss, cb_line(f.key, f.payload, f.paylen, 1,
	    half)) == NULL);
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(nsaid, 0);
	ATF_CHECK_EQ(ss.s[0].nkeys, 1);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 2);
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
}

ATF_TC_WITHOUT_HEAD(second_key);
ATF_TC_BODY(second_key, tc)
{
	struct fixture f = make_key(), g = make_key();
	struct sessions ss;

	reset(&ss);
	add_genuine(&ss, &f);
	add_genuine(&ss, &g);
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(ss.s[0].nkeys, 2);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 8);
	ATF_REQUIRE_EQ(nsaid, 1);
	ATF_CHECK_STREQ(said[0], "certificate blocks of 2 different keys");
	sessions_free(&ss);

	/* with -k, only the expected key */
	reset(&ss);
	add_genuine(&ss, &f);
	add_genuine(&ss, &g);
	session_take_keys(&ss.s[0], g.fp, say, NULL);
	ATF_REQUIRE_EQ(ss.s[0].nkeys, 1);
	ATF_CHECK_STREQ(ss.s[0].keys[0].fp, g.fp);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 4);
	ATF_CHECK(!ss.s[0].cbs[0].ok && ss.s[0].cbs[4].ok);
	ATF_REQUIRE_EQ(nsaid, 1);
	ATF_CHECK(strstr(said[0], f.fp) != NULL);
	ATF_CHECK(strstr(said[0], "is not the expected one") != NULL);
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
	EVP_PKEY_free(g.key);
}

/* Missing octets, or fragments that only disagree: no key. */
ATF_TC_WITHOUT_HEAD(incomplete);
ATF_TC_BODY(incomplete, tc)
{
	struct fixture f = make_key();
	struct sessions ss;

	reset(&ss);
	ATF_REQUIRE(add(&ss, cb_line(f.key, f.payload, f.paylen, 1,
	    f.paylen - 1)) == NULL);
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(ss.s[0].nkeys, 0);
	ATF_CHECK_EQ(count_ok(&ss.s[0]), 0);
	ATF_CHECK_EQ(nsaid, 0);
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
}

ATF_TC_WITHOUT_HEAD(bounds);
ATF_TC_BODY(bounds, tc)
{
	struct fixture f = make_key();
	struct sessions ss;
	char text[2200];
	const char *why;

	reset(&ss);
	/* FLEN past TPBL, and INDEX past the end */
	ATF_CHECK((why = add(&ss, cb_line(f.key, f.payload, 10, 1, 11))) !=
	    NULL && strstr(why, "bad TPBL") != NULL);
	ATF_CHECK(add(&ss, cb_line(f.key, f.payload, 10, 10, 2)) != NULL);
	ATF_CHECK(add(&ss, cb_line(f.key, f.payload, 100000, 1, 10)) != NULL);
	ATF_CHECK_EQ(ss.s[0].ncbs, 0);

	sessions_free(&ss);

	/* 256 different complete payloads are tried, then no more */
	reset(&ss);
	memset(text, 'A', sizeof(text));
	for (int i = 0; i < 257; i++) {
		snprintf(text, 4, "%03d", i);
		text[3] = 'A';
		ATF_REQUIRE(add(&ss, cb_line(NULL, text, 40, 1, 40)) == NULL);
	}
	session_take_keys(&ss.s[0], NULL, say, NULL);
	ATF_CHECK_EQ(ss.s[0].nkeys, 0);
	ATF_REQUIRE_EQ(nsaid, 1);
	ATF_CHECK(strstr(said[0], "too many different") != NULL);
	sessions_free(&ss);
	EVP_PKEY_free(f.key);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, genuine);
	ATF_TP_ADD_TC(tp, lookalike);
	ATF_TP_ADD_TC(tp, reordered);
	ATF_TP_ADD_TC(tp, second_key);
	ATF_TP_ADD_TC(tp, incomplete);
	ATF_TP_ADD_TC(tp, bounds);
	return atf_no_error();
}
