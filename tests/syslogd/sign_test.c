/*
 * Unit tests of syslog-sign's pure parts (signfmt, signkey): the block
 * texts, fragments, groups of sign_sg 2, OpenPGP encodings, and
 * signatures, checked against RFC 5848's own example blocks.
 */
#include <atf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signfmt.h"
#include "signkey.h"

/*
 * RFC 5848's examples (4.2.9 and 5.3.2.9), lines joined: VER 0111
 * (SHA-1), a DSA-1024 key as 'K' (MPIs p, q, g, y).
 */
static const char rfc_cb[] = "<110>1 2009-05-03T14:00:39.519307+02:00 "
    "host.example.org syslogd 2138 - [ssign-cert VER=\"0111\" RSID=\"1\" "
    "SG=\"0\" SPRI=\"0\" TPBL=\"587\" INDEX=\"1\" FLEN=\"587\" FRAG=\""
    "2009-05-03T14:00:39.519005+02:00 K BACsLMZ"
    "NCV2NUAwe4RAeAnSQuvv2KS51SnHFAaWJNU2XVDYvW1LjmJgg4vKvQPo3HEOD+2hEkt1z"
    "cXADe03u5pmHoWy5FGiyCbglYxJkUJJrQqlTSS6vID9yhsmEnh07w3pOsxmb4qYo0uWQr"
    "AAenBweVMlBgV3ZA5IMA8xq8l+i8wCgkWJjCjfLar7s+0X3HVrRroyARv8EAIYoxofh9m"
    "N8n821BTTuQnz5hp40d6Z3UudKePu2di5Mx3GFelwnV0Qh5mSs0YkuHJg0mcXyUAoeYry"
    "5X6482fUxbm+gOHVmYSDtBmZEB8PTEt8Os8aedWgKEt/E4dT+Hmod4omECLteLXxtScTM"
    "gDXyC+bSBMjRRCaeWhHrYYdYBACCWMdTc12hRLJTn8LX99kv1I7qwgieyna8GCJv/rEgC"
    "ssS9E1qARM+h19KovIUOhl4VzBw3rK7v8Dlw/CJyYDd5kwSvCwjhO21LiReeS90VPYuZF"
    "RC1B82Sub152zOqIcAWsgd4myCCiZbWBsuJ8P0gtarFIpleNacCc6OV3i2Rg==\" "
    "SIGN=\"AKAQEUiQptgpd0lKcXbuggGXH/dCdQCgdysrTBLUlbeGAQ4vwrnLOqSL7+c=\"]";
static const char rfc_sb[] = "<110>1 2009-05-03T14:00:39.529966+02:00 "
    "host.example.org syslogd 2138 - [ssign VER=\"0111\" RSID=\"1\" SG=\"0\" "
    "SPRI=\"0\" GBC=\"2\" FMN=\"1\" CNT=\"7\" HB=\"K6wzcombEvKJ+UTMcn9bPryAeaU= "
    "zrkDcIeaDluypaPCY8WWzwHpPok= zgrWOdpx16ADc7UmckyIFY53icE= "
    "XfopJ+S8/hODapiBBCgVQaLqBKg= J67gKMFl/OauTC20ibbydwIlJC8= "
    "M5GziVgB6KPY3ERU1HXdSi2vtdw= Wxd/lU7uG/ipEYT9xeqnsfohyH0=\" "
    "SIGN=\"AKBbX4J7QkrwuwdbV7Taujk2lvOf8gCgC62We1QYfnrNHz7FzAvdySuMyfM=\"]";

/* Verifies a block line with key k and hash alg; the line's own SIGN. */
static bool
verify_line(EVP_PKEY *k, int hash, const char *line)
{
	struct sign_param p[SIGN_MAXPARAMS];
	const struct sign_param *sig;
	char buf[4096];
	size_t len;
	bool cert;
	int n = sign_parse_block(line, strlen(line), &cert, p, SIGN_MAXPARAMS);

	if (n < 0 || (sig = sign_param(p, n, "SIGN")) == NULL)
		return false;
	len = sign_unsigned_form(line, strlen(line), buf, sizeof(buf));
	return len > 0 && signkey_verify(k, hash, buf, len, sig->val,
	    sig->vallen);
}

ATF_TC_WITHOUT_HEAD(rfc5848_examples);
ATF_TC_BODY(rfc5848_examples, tc)
{
	struct sign_param p[SIGN_MAXPARAMS];
	const struct sign_param *frag;
	EVP_PKEY *k;
	char bad[sizeof(rfc_sb)];
	bool cert;
	int n;

	n = sign_parse_block(rfc_cb, strlen(rfc_cb), &cert, p, SIGN_MAXPARAMS);
	ATF_REQUIRE_EQ(n, 9);
	ATF_CHECK(cert);
	ATF_CHECK(sign_block_well_formed(p, n, cert));
	ATF_CHECK(!sign_block_well_formed(p, n, false));
	ATF_CHECK(!sign_block_well_formed(p, n - 1, cert));
	ATF_REQUIRE((frag = sign_param(p, n, "FRAG")) != NULL);
	ATF_CHECK_EQ(frag->vallen, 587);	/* TPBL */
	ATF_REQUIRE((k = signkey_from_payload(frag->val, frag->vallen)) != NULL);
	/* The signature is over the message without ` SIGN="..."`. */
	ATF_CHECK(verify_line(k, 1, rfc_cb));
	ATF_CHECK(verify_line(k, 1, rfc_sb));
	ATF_CHECK(!verify_line(k, 2, rfc_sb));
	n = sign_parse_block(rfc_sb, strlen(rfc_sb), &cert, p, SIGN_MAXPARAMS);
	ATF_CHECK(n == 9 && !cert && sign_block_well_formed(p, n, cert));
	memcpy(bad, rfc_sb, sizeof(bad));
	bad[strlen(bad) - 150] ^= 1;		/* a hash changed */
	ATF_CHECK(!verify_line(k, 1, bad));
	EVP_PKEY_free(k);
}

ATF_TC_WITHOUT_HEAD(sb_text);
ATF_TC_BODY(sb_text, tc)
{
	unsigned char h[2 * SIGN_HASH_LEN];
	struct sign_sb b = { SIGN_VER, 1700000000, 1, 13, 4, 27, 2, h,
	    SIGN_HASH_LEN };
	char out[1024];
	const char *want = "[ssign VER=\"0121\" RSID=\"1700000000\" SG=\"1\" "
	    "SPRI=\"13\" GBC=\"4\" FMN=\"27\" CNT=\"2\" HB=\""
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "//////////////////////////////////////////8=\"";

	memset(h, 0, SIGN_HASH_LEN);
	memset(h + SIGN_HASH_LEN, 0xff, SIGN_HASH_LEN);
	ATF_REQUIRE(sign_sb_text(&b, NULL, out, sizeof(out)) > 0);
	ATF_CHECK_EQ(strncmp(out, want, strlen(want)), 0);
	ATF_CHECK_STREQ(out + strlen(want), "]");
	ATF_REQUIRE(sign_sb_text(&b, "SIG=", out, sizeof(out)) > 0);
	ATF_CHECK_STREQ(out + strlen(want), " SIGN=\"SIG=\"]");
	/* too small: nothing */
	ATF_CHECK_EQ(sign_sb_text(&b, NULL, out, 50), 0);
}

ATF_TC_WITHOUT_HEAD(cb_text);
ATF_TC_BODY(cb_text, tc)
{
	struct sign_cb b = { SIGN_VER, 42, 3, 0, 10, 6, 5, &"x K AB"[1] };
	char out[512];

	ATF_REQUIRE(sign_cb_text(&b, "S", out, sizeof(out)) > 0);
	ATF_CHECK_STREQ(out, "[ssign-cert VER=\"0121\" RSID=\"42\" SG=\"3\" "
	    "SPRI=\"0\" TPBL=\"10\" INDEX=\"6\" FLEN=\"5\" FRAG=\" K AB\" "
	    "SIGN=\"S\"]");
}

ATF_TC_WITHOUT_HEAD(payload);
ATF_TC_BODY(payload, tc)
{
	char out[128];

	ATF_REQUIRE(sign_payload(1700000000, 5, 'K', "QUJD", out,
	    sizeof(out)) > 0);
	ATF_CHECK_STREQ(out, "2023-11-14T22:13:20.000005Z K QUJD");
	ATF_CHECK_EQ(sign_payload(1700000000, 5, 'K', "QUJD", out, 20), 0);
}

ATF_TC_WITHOUT_HEAD(fragments);
ATF_TC_BODY(fragments, tc)
{
	size_t idx, len, total = 0, n;

	for (n = 0; sign_fragment(1110, 400, n, &idx, &len); n++) {
		ATF_CHECK_EQ(idx, total + 1);
		ATF_CHECK(len <= 400 && len > 0);
		total += len;
	}
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_EQ(total, 1110);
	ATF_CHECK(sign_fragment(800, 400, 1, &idx, &len));
	ATF_CHECK_EQ(idx, 401);
	ATF_CHECK_EQ(len, 400);
	ATF_CHECK(!sign_fragment(800, 400, 2, &idx, &len));
	ATF_CHECK(!sign_fragment(800, 0, 0, &idx, &len));
}

/* The widest block at the computed limits fits in 2048 octets (INDEX
 * at its widest too), and one more octet does not. */
ATF_TC_WITHOUT_HEAD(limits);
ATF_TC_BODY(limits, tc)
{
	size_t header = SIGN_HEADER_FIXED + 255, n = sign_sb_max_hashes(header);
	size_t fmax = sign_cb_frag_max(header, 1110);
	unsigned char *h = calloc(SIGN_CNT_MAX + 1, SIGN_HASH_LEN);
	struct sign_sb b = { SIGN_VER, SIGN_COUNT_MAX, 3, 191, SIGN_COUNT_MAX,
	    SIGN_COUNT_MAX, (unsigned)n, h, SIGN_HASH_LEN };
	struct sign_cb c = { SIGN_VER, SIGN_COUNT_MAX, 3, 191, 1110, 1000, fmax,
	    NULL };
	char sig[SIGN_SIG_B64_MAX + 1], out[4096], *frag = malloc(2048);

	ATF_REQUIRE(h != NULL && frag != NULL);
	memset(sig, 'A', SIGN_SIG_B64_MAX);
	sig[SIGN_SIG_B64_MAX] = '\0';
	memset(frag, 'F', 2048);
	c.frag = frag;
	ATF_CHECK(n >= 30);
	ATF_CHECK_EQ(header + sign_sb_text(&b, sig, out, sizeof(out)) <=
	    SIGN_MSG_MAX, true);
	b.cnt++;
	ATF_CHECK(header + sign_sb_text(&b, sig, out, sizeof(out)) >
	    SIGN_MSG_MAX);
	ATF_CHECK(fmax > 1000);
	ATF_CHECK(header + sign_cb_text(&c, sig, out, sizeof(out)) <=
	    SIGN_MSG_MAX);
	c.flen++;
	ATF_CHECK(header + sign_cb_text(&c, sig, out, sizeof(out)) >
	    SIGN_MSG_MAX);
	/* short host names: CNT is capped only by the length */
	ATF_CHECK(sign_sb_max_hashes(SIGN_HEADER_FIXED + 9) <= SIGN_CNT_MAX);
	ATF_CHECK_EQ(sign_sb_max_hashes(SIGN_MSG_MAX), 0);
	free(h);
	free(frag);
}

ATF_TC_WITHOUT_HEAD(sg2_groups);
ATF_TC_BODY(sg2_groups, tc)
{
	struct strlist l = { NULL, 0 };
	unsigned char g[SIGN_NPRI];
	int spri[SIGN_NPRI];

	/* default: one group per facility, SPRI its highest PRI */
	ATF_REQUIRE_EQ(sign_sg2_groups(&l, g, spri), 24);
	ATF_CHECK_EQ(spri[0], 7);
	ATF_CHECK_EQ(spri[23], 191);
	ATF_CHECK_EQ(g[0], 0);
	ATF_CHECK_EQ(g[7], 0);
	ATF_CHECK_EQ(g[8], 1);
	ATF_CHECK_EQ(g[191], 23);
	/* bounds in any order, with duplicates; 191 added */
	strlist_add(&l, "31", 2);
	strlist_add(&l, "15", 2);
	strlist_add(&l, "31", 2);
	ATF_REQUIRE_EQ(sign_sg2_groups(&l, g, spri), 3);
	ATF_CHECK_EQ(spri[0], 15);
	ATF_CHECK_EQ(spri[1], 31);
	ATF_CHECK_EQ(spri[2], 191);
	ATF_CHECK_EQ(g[15], 0);
	ATF_CHECK_EQ(g[16], 1);
	ATF_CHECK_EQ(g[32], 2);
	ATF_CHECK_EQ(g[191], 2);
	strlist_add(&l, "191", 3);
	ATF_CHECK_EQ(sign_sg2_groups(&l, g, spri), 3);
	strlist_add(&l, "192", 3);
	ATF_CHECK_EQ(sign_sg2_groups(&l, g, spri), -1);
	strlist_free(&l);
}

ATF_TC_WITHOUT_HEAD(mpi);
ATF_TC_BODY(mpi, tc)
{
	const unsigned char v[] = { 0, 0, 0x01, 0x80 }, one[] = { 1 };
	unsigned char out[8];
	const unsigned char *p = out, *val;
	size_t vlen;

	ATF_REQUIRE_EQ(sign_mpi(v, sizeof(v), out, sizeof(out)), 4);
	ATF_CHECK(memcmp(out, "\x00\x09\x01\x80", 4) == 0);	/* 9 bits */
	ATF_CHECK(sign_mpi_read(&p, out + 4, &val, &vlen));
	ATF_CHECK_EQ(vlen, 2);
	ATF_CHECK(p == out + 4);
	ATF_REQUIRE_EQ(sign_mpi(one, 1, out, sizeof(out)), 3);
	ATF_CHECK(memcmp(out, "\x00\x01\x01", 3) == 0);
	ATF_CHECK_EQ(sign_mpi(v, 2, out, sizeof(out)), 2);	/* zero */
	ATF_CHECK(memcmp(out, "\x00\x00", 2) == 0);
	ATF_CHECK_EQ(sign_mpi(v, sizeof(v), out, 3), 0);
	p = (const unsigned char *)"\x00\x10\x01";	/* claims 2 octets */
	ATF_CHECK(!sign_mpi_read(&p, p + 3, &val, &vlen));
}

ATF_TC_WITHOUT_HEAD(base64);
ATF_TC_BODY(base64, tc)
{
	unsigned char bin[16];
	char out[16];

	ATF_CHECK_EQ(sign_b64((const unsigned char *)"ab", 2, out,
	    sizeof(out)), 4);
	ATF_CHECK_STREQ(out, "YWI=");
	ATF_CHECK_EQ(sign_unb64("YWI=", 4, bin, sizeof(bin)), 2);
	ATF_CHECK(memcmp(bin, "ab", 2) == 0);
	ATF_CHECK_EQ(sign_unb64("YWJj", 4, bin, sizeof(bin)), 3);
	ATF_CHECK_EQ(sign_unb64("YW=j", 4, bin, sizeof(bin)), -1);
	ATF_CHECK_EQ(sign_unb64("YWI", 3, bin, sizeof(bin)), -1);
	ATF_CHECK_EQ(sign_b64((const unsigned char *)"ab", 2, out, 4), 0);
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	ATF_CHECK_EQ(sign_number("0", 1), 0);
	ATF_CHECK_EQ(sign_number("9999999999", 10), 9999999999LL);
	ATF_CHECK_EQ(sign_number("10000000000", 11), -1);
	ATF_CHECK_EQ(sign_number("01", 2), -1);
	ATF_CHECK_EQ(sign_number("", 0), -1);
	ATF_CHECK_EQ(sign_number("1a", 2), -1);
}

ATF_TC_WITHOUT_HEAD(parse_block);
ATF_TC_BODY(parse_block, tc)
{
	struct sign_param p[SIGN_MAXPARAMS];
	const char *l = "<110>Nov 24 10:00:00 h syslogd[1]: [ssign VER=\"0121\" "
	    "HB=\"a b\" SIGN=\"x\"]";
	char out[256];
	bool cert;

	ATF_REQUIRE_EQ(sign_parse_block(l, strlen(l), &cert, p,
	    SIGN_MAXPARAMS), 3);
	ATF_CHECK(!cert);
	ATF_CHECK(!sign_block_well_formed(p, 3, cert));
	ATF_CHECK_EQ(p[1].vallen, 3);
	ATF_CHECK(sign_param(p, 3, "HB") == &p[1]);
	ATF_CHECK(sign_param(p, 3, "H") == NULL);
	ATF_CHECK_EQ(sign_unsigned_form(l, strlen(l), out, sizeof(out)),
	    strlen(l) - 9);
	ATF_CHECK(strstr(out, "SIGN") == NULL);
	ATF_CHECK_STREQ(out + strlen(out) - 9, "HB=\"a b\"]");
	ATF_CHECK_EQ(sign_parse_block("<13>x [ssign VER=\"1]", 20, &cert, p,
	    SIGN_MAXPARAMS), -1);
	ATF_CHECK_EQ(sign_parse_block("<13>x [other a=\"1\"]", 19, &cert, p,
	    SIGN_MAXPARAMS), -1);
	ATF_CHECK_EQ(sign_unsigned_form("<13>x", 5, out, sizeof(out)), 0);
}

/* A new key signs and verifies, survives its key blob, and is fast. */
ATF_TC_WITHOUT_HEAD(key_roundtrip);
ATF_TC_BODY(key_roundtrip, tc)
{
	EVP_PKEY *k = signkey_generate(), *k2;
	char blob[2048], pay[2200], sig[SIGN_SIG_B64_MAX + 1];
	char fp[SIGNKEY_FP_MAX + 1], fp2[SIGNKEY_FP_MAX + 1];
	size_t blen, plen, slen;

	ATF_REQUIRE(k != NULL);
	ATF_CHECK_EQ(EVP_PKEY_get_bits(k), 2048);
	ATF_REQUIRE((blen = signkey_blob(k, blob, sizeof(blob))) > 0);
	/*
	 * Four MPIs: p of 2048 bits, q of 256, g and y below p (y is
	 * random: one key in 256 has a shorter one).
	 */
	{
		unsigned char bin[1024];
		const unsigned char *at = bin, *end, *val;
		size_t vlen[4];
		long n = sign_unb64(blob, blen, bin, sizeof(bin));

		ATF_REQUIRE(n > 0);
		end = bin + n;
		for (int i = 0; i < 4; i++)
			ATF_REQUIRE(sign_mpi_read(&at, end, &val, &vlen[i]));
		ATF_CHECK(at == end);
		ATF_CHECK_EQ(vlen[0], 256);
		ATF_CHECK_EQ(vlen[1], 32);
		ATF_CHECK(vlen[2] <= 256 && vlen[3] <= 256);
	}
	ATF_REQUIRE((slen = signkey_sign(k, "msg", 3, sig, sizeof(sig))) > 0);
	ATF_CHECK(slen <= SIGN_SIG_B64_MAX);
	ATF_CHECK(signkey_verify(k, 2, "msg", 3, sig, slen));
	ATF_CHECK(!signkey_verify(k, 2, "msh", 3, sig, slen));
	ATF_CHECK(!signkey_verify(k, 1, "msg", 3, sig, slen));
	ATF_REQUIRE((plen = sign_payload(0, 0, 'K', blob, pay,
	    sizeof(pay))) > 0);
	ATF_REQUIRE((k2 = signkey_from_payload(pay, plen)) != NULL);
	ATF_CHECK(signkey_verify(k2, 2, "msg", 3, sig, slen));
	ATF_REQUIRE(signkey_fingerprint(k, fp, sizeof(fp)));
	ATF_REQUIRE(signkey_fingerprint(k2, fp2, sizeof(fp2)));
	ATF_CHECK_STREQ(fp, fp2);
	ATF_CHECK_EQ(strncmp(fp, "SHA256:", 7), 0);
	ATF_CHECK_EQ(strlen(fp), 7 + 32 * 3 - 1);
	EVP_PKEY_free(k2);
	pay[plen - 5] = pay[plen - 5] == 'A' ? 'B' : 'A';
	k2 = signkey_from_payload(pay, plen);
	ATF_CHECK(k2 == NULL || !signkey_verify(k2, 2, "msg", 3, sig, slen));
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rfc5848_examples);
	ATF_TP_ADD_TC(tp, sb_text);
	ATF_TP_ADD_TC(tp, cb_text);
	ATF_TP_ADD_TC(tp, payload);
	ATF_TP_ADD_TC(tp, fragments);
	ATF_TP_ADD_TC(tp, limits);
	ATF_TP_ADD_TC(tp, sg2_groups);
	ATF_TP_ADD_TC(tp, mpi);
	ATF_TP_ADD_TC(tp, base64);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, parse_block);
	ATF_TP_ADD_TC(tp, key_roundtrip);
	return atf_no_error();
}
