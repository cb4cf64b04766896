/*
 * Peer identity from hostile certificates and configured strings.
 * The input is cut at NUL bytes into up to five strings: a configured
 * fingerprint or pattern, a reference name, then the subject CN and two
 * subjectAltNames (a dNSName and an iPAddress) of a certificate made on
 * the spot.
 *
 * Invariants: a fingerprint that parses prints back in canonical form and
 * parses again to the same value; the text made for log lines (subject,
 * names, summary, the "how" of a match) is printable ASCII without '"',
 * NUL-terminated within its buffer, whatever the certificate holds; name
 * checks never crash on names with NUL bytes, dots or stars anywhere.
 */
#include <string.h>

#include <openssl/x509v3.h>

#include "fuzz.h"
#include "tlsid.h"

#define NPART	5

/* quotes: how many '"' the text may have of its own (the summary's) */
static void
check_quoted(const char *s, size_t cap, int quotes)
{
	const char *nul = memchr(s, '\0', cap);

	FUZZ_CHECK(nul != NULL);
	for (; s < nul; s++) {
		FUZZ_CHECK(*s >= 0x20 && *s < 0x7f);
		if (*s == '"')
			FUZZ_CHECK(quotes-- > 0);
	}
}

static void
check_log_text(const char *s, size_t cap)
{
	check_quoted(s, cap, 0);
}

static X509 *
make_cert(const char *cn, size_t cnlen, const char *dns, size_t dnslen,
    const char *ip, size_t iplen)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	GENERAL_NAME *g;
	ASN1_IA5STRING *ia5;
	ASN1_OCTET_STRING *oct;

	if (x == NULL || name == NULL || gens == NULL)
		abort();
	if (cnlen > 0)
		X509_NAME_add_entry_by_NID(name, NID_commonName,
		    V_ASN1_UTF8STRING, (const unsigned char *)cn, (int)cnlen,
		    -1, 0);
	X509_set_subject_name(x, name);
	if (dnslen > 0 && (g = GENERAL_NAME_new()) != NULL &&
	    (ia5 = ASN1_IA5STRING_new()) != NULL) {
		ASN1_STRING_set(ia5, dns, (int)dnslen);
		GENERAL_NAME_set0_value(g, GEN_DNS, ia5);
		sk_GENERAL_NAME_push(gens, g);
	}
	if (iplen > 0 && (g = GENERAL_NAME_new()) != NULL &&
	    (oct = ASN1_OCTET_STRING_new()) != NULL) {
		ASN1_OCTET_STRING_set(oct, (const unsigned char *)ip,
		    (int)iplen);
		GENERAL_NAME_set0_value(g, GEN_IPADD, oct);
		sk_GENERAL_NAME_push(gens, g);
	}
	if (sk_GENERAL_NAME_num(gens) > 0)
		X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0);
	GENERAL_NAMES_free(gens);
	X509_NAME_free(name);
	return x;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[NPART] = { "", "", "", "", "" };
	size_t len[NPART] = { 0 };
	char *copy, err[256], how[512], text[1024], fpbuf[TLSID_FP_STRLEN];
	struct tlsid_fp fp, fp2;
	size_t i, start = 0, k = 0;
	X509 *x;

	if (size > 4096)
		return 0;
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i <= size && k < NPART; i++)
		if (i == size || copy[i] == '\0') {
			part[k] = copy + start;
			len[k++] = i - start;
			start = i + 1;
		}

	if (tlsid_fp_parse(part[0], &fp, err, sizeof(err)) == 0) {
		tlsid_fp_format(&fp, fpbuf, sizeof(fpbuf));
		check_log_text(fpbuf, sizeof(fpbuf));
		FUZZ_CHECK(tlsid_fp_parse(fpbuf, &fp2, err, sizeof(err)) == 0);
		FUZZ_CHECK(tlsid_fp_equal(&fp, &fp2));
	} else
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	(void)tlsid_pattern_valid(part[0], err, sizeof(err));
	(void)tlsid_dns_match(part[0], part[1]);

	x = make_cert(part[2], len[2], part[3], len[3], part[4], len[4]);
	how[0] = '\0';
	if (tlsid_check_name(x, part[1], how, sizeof(how)))
		check_log_text(how, sizeof(how));
	how[0] = '\0';
	if (tlsid_check_pattern(x, part[0], how, sizeof(how)))
		check_log_text(how, sizeof(how));
	tlsid_subject(x, text, sizeof(text));
	check_log_text(text, sizeof(text));
	tlsid_first_cn(x, text, sizeof(text));
	check_log_text(text, sizeof(text));
	tlsid_names(x, text, sizeof(text));
	check_log_text(text, sizeof(text));
	tlsid_summary(x, text, sizeof(text));
	check_quoted(text, sizeof(text), 4);	/* subject "..", CN ".." */
	/* small buffers cut, never overrun */
	tlsid_summary(x, text, 7);
	FUZZ_CHECK(memchr(text, '\0', 7) != NULL);
	X509_free(x);
	free(copy);
	return 0;
}
