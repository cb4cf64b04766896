/*
 * Unit tests of tlsid (fingerprints, names) and tls (contexts, policy,
 * generation).  Certificates are made here with OpenSSL; files go to the
 * test case's work directory.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "tls.h"
#include "tlsid.h"

#define DAY	86400L

/* ---- helpers ------------------------------------------------------- */

#define CHECK_HAS(hay, needle)						\
	ATF_CHECK_MSG(strstr((hay), (needle)) != NULL,			\
	    "\"%s\" does not contain \"%s\"", (hay), (needle))
#define CHECK_NULLFREE(s)						\
	ATF_CHECK_MSG(strstr((s), "(null)") == NULL && (s)[0] != '\0',	\
	    "bad message \"%s\"", (s))

static EVP_PKEY *
newkey(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	ATF_REQUIRE(k != NULL);
	return k;
}

struct spec {
	const char	*cn;		/* NULL: no CN */
	const char	*san;		/* "DNS:a,IP:192.0.2.1"; NULL: none */
	bool		 ca;
	long		 from, to;	/* seconds from now; 0,0: -1h..+30d */
	X509		*issuer;	/* NULL: self-signed */
	EVP_PKEY	*ikey;
};

static void
ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, v3, nid, value);

	ATF_REQUIRE_MSG(e != NULL, "extension %s", value);
	ATF_REQUIRE(X509_add_ext(x, e, -1) == 1);
	X509_EXTENSION_free(e);
}

static X509 *
mkcert(const struct spec *s, EVP_PKEY *key)
{
	static long serial = 1000;
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX v3;
	long from = s->from, to = s->to;

	if (from == 0 && to == 0) {
		from = -3600;
		to = 30 * DAY;
	}
	ATF_REQUIRE(x != NULL);
	ATF_REQUIRE(X509_set_version(x, 2) == 1);
	ATF_REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(x), serial++) == 1);
	ATF_REQUIRE(X509_gmtime_adj(X509_getm_notBefore(x), from) != NULL);
	ATF_REQUIRE(X509_gmtime_adj(X509_getm_notAfter(x), to) != NULL);
	ATF_REQUIRE(X509_set_pubkey(x, key) == 1);
	n = X509_get_subject_name(x);
	ATF_REQUIRE(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
	    (const unsigned char *)"syslogd test", -1, -1, 0) == 1);
	if (s->cn != NULL)
		ATF_REQUIRE(X509_NAME_add_entry_by_NID(n, NID_commonName,
		    MBSTRING_UTF8, (const unsigned char *)s->cn, -1, -1, 0) == 1);
	ATF_REQUIRE(X509_set_issuer_name(x, s->issuer != NULL ?
	    X509_get_subject_name(s->issuer) : n) == 1);
	X509V3_set_ctx(&v3, s->issuer != NULL ? s->issuer : x, x, NULL, NULL,
	    0);
	ext(x, &v3, NID_basic_constraints, s->ca ? "critical,CA:TRUE" :
	    "critical,CA:FALSE");
	if (s->ca)
		ext(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
	ext(x, &v3, NID_subject_key_identifier, "hash");
	if (s->issuer != NULL)
		ext(x, &v3, NID_authority_key_identifier, "keyid");
	if (s->san != NULL)
		ext(x, &v3, NID_subject_alt_name, s->san);
	ATF_REQUIRE(X509_sign(x, s->ikey != NULL ? s->ikey : key,
	    EVP_sha256()) > 0);
	return x;
}

/* A certificate with only the given names. */
static X509 *
named(const char *cn, const char *san)
{
	struct spec s = { .cn = cn, .san = san };
	EVP_PKEY *k = newkey();
	X509 *x = mkcert(&s, k);

	EVP_PKEY_free(k);
	return x;
}

static void
write_cert(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(PEM_write_X509(f, x) == 1);
	ATF_REQUIRE(fclose(f) == 0);
}

static void
write_key(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1);
	ATF_REQUIRE(fclose(f) == 0);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f != NULL);
	fputs(text, f);
	ATF_REQUIRE(fclose(f) == 0);
}

static void
write_crl(const char *path, X509 *ca, EVP_PKEY *cakey, X509 *revoked)
{
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *last = ASN1_TIME_adj(NULL, time(NULL), 0, -3600);
	ASN1_TIME *next = ASN1_TIME_adj(NULL, time(NULL), 1, 0);
	FILE *f;

	ATF_REQUIRE(crl != NULL && r != NULL && last != NULL && next != NULL);
	ATF_REQUIRE(X509_CRL_set_version(crl, 1) == 1);
	ATF_REQUIRE(X509_CRL_set_issuer_name(crl,
	    X509_get_subject_name(ca)) == 1);
	ATF_REQUIRE(X509_CRL_set1_lastUpdate(crl, last) == 1);
	ATF_REQUIRE(X509_CRL_set1_nextUpdate(crl, next) == 1);
	ATF_REQUIRE(X509_REVOKED_set_serialNumber(r,
	    X509_get_serialNumber(revoked)) == 1);
	ATF_REQUIRE(X509_REVOKED_set_revocationDate(r, last) == 1);
	ATF_REQUIRE(X509_CRL_add0_revoked(crl, r) == 1);
	ATF_REQUIRE(X509_CRL_sort(crl) == 1);
	ATF_REQUIRE(X509_CRL_sign(crl, cakey, EVP_sha256()) > 0);
	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	ATF_REQUIRE(PEM_write_X509_CRL(f, crl) == 1);
	ATF_REQUIRE(fclose(f) == 0);
	ASN1_TIME_free(last);
	ASN1_TIME_free(next);
	X509_CRL_free(crl);
}

/*
 * A small PKI in the work directory: ca.pem and crl.pem (revoking
 * `revoked`), our server credentials srv.key/srv.crt (logs.example.com,
 * 192.0.2.1) and client credentials cli.key/cli.crt
 * (client.example.com), plus peers that fail in various ways.
 */
struct pki {
	EVP_PKEY	*cakey, *key, *ca2key;
	X509		*ca, *ca2;
	X509		*srv;		/* valid server certificate */
	X509		*cli;		/* valid client certificate */
	X509		*revoked, *expired, *self, *foreign;
};

static void
pki_init(struct pki *p)
{
	struct spec s;

	memset(p, 0, sizeof(*p));
	p->cakey = newkey();
	p->ca2key = newkey();
	p->key = newkey();
	s = (struct spec){ .cn = "Test CA", .ca = true, .to = 365 * DAY };
	p->ca = mkcert(&s, p->cakey);
	s.cn = "Other CA";
	p->ca2 = mkcert(&s, p->ca2key);
	s = (struct spec){ .cn = "logs.example.com",
	    .san = "DNS:logs.example.com,IP:192.0.2.1",
	    .issuer = p->ca, .ikey = p->cakey };
	p->srv = mkcert(&s, p->key);
	s.cn = "client.example.com";
	s.san = "DNS:client.example.com";
	p->cli = mkcert(&s, p->key);
	s.cn = "revoked.example.com";
	s.san = "DNS:revoked.example.com";
	p->revoked = mkcert(&s, p->key);
	s.cn = "expired.example.com";
	s.san = "DNS:expired.example.com,DNS:logs.example.com";
	s.from = -20 * DAY;
	s.to = -10 * DAY;
	p->expired = mkcert(&s, p->key);
	s = (struct spec){ .cn = "foreign.example.com",
	    .san = "DNS:foreign.example.com,DNS:logs.example.com",
	    .issuer = p->ca2, .ikey = p->ca2key };
	p->foreign = mkcert(&s, p->key);
	s = (struct spec){ .cn = "self.example.com",
	    .san = "DNS:self.example.com,DNS:logs.example.com" };
	p->self = mkcert(&s, p->key);

	write_cert("ca.pem", p->ca);
	write_crl("crl.pem", p->ca, p->cakey, p->revoked);
	write_key("srv.key", p->key);
	write_cert("srv.crt", p->srv);
	write_key("cli.key", p->key);
	write_cert("cli.crt", p->cli);
	write_key("self.key", p->key);
	write_cert("self.pem", p->self);
}

static void
pki_free(struct pki *p)
{
	EVP_PKEY_free(p->cakey);
	EVP_PKEY_free(p->ca2key);
	EVP_PKEY_free(p->key);
	X509_free(p->ca);
	X509_free(p->ca2);
	X509_free(p->srv);
	X509_free(p->cli);
	X509_free(p->revoked);
	X509_free(p->expired);
	X509_free(p->self);
	X509_free(p->foreign);
}

/* Options as the configuration parser would leave them, for role. */
static void
opts_init(struct conf_options *o, bool server)
{
	memset(o, 0, sizeof(*o));
	o->tls_key = server ? "srv.key" : "cli.key";
	o->tls_cert = server ? "srv.crt" : "cli.crt";
	o->tls_ca = "ca.pem";
	o->tls_crl = "crl.pem";
	o->tls_verify = TLS_VERIFY_ON;
	o->sign_sg = -1;
}

static void
opts_free(struct conf_options *o)
{
	strlist_free(&o->tls_allow_fingerprints);
	strlist_free(&o->tls_allow_clientcerts);
	strlist_free(&o->tls_allow_subjects);
}

static void
add(struct strlist *l, const char *s)
{
	ATF_REQUIRE(strlist_add(l, s, strlen(s)) == 0);
}

static struct tls_ctx *
ctx_ok(const struct conf_options *o, int roles)
{
	char err[TLS_ERRLEN];
	struct tls_ctx *tc = tls_ctx_new(o, roles, NULL, err, sizeof(err));

	ATF_REQUIRE_MSG(tc != NULL, "tls_ctx_new: %s", err);
	return tc;
}

/* The chain result a handshake would give for leaf against ctx's store. */
static long
chain_of(SSL_CTX *ctx, X509 *leaf, bool leaf_is_client)
{
	X509_STORE_CTX *xs = X509_STORE_CTX_new();
	long e;

	ATF_REQUIRE(xs != NULL);
	ATF_REQUIRE(X509_STORE_CTX_init(xs, SSL_CTX_get_cert_store(ctx), leaf,
	    NULL) == 1);
	ATF_REQUIRE(X509_STORE_CTX_set_default(xs, leaf_is_client ?
	    "ssl_client" : "ssl_server") == 1);
	(void)X509_verify_cert(xs);
	e = X509_STORE_CTX_get_error(xs);
	X509_STORE_CTX_free(xs);
	ERR_clear_error();
	return e;
}

static void
fp_of(X509 *x, int nid, char *buf, size_t len)
{
	tlsid_fp_string(x, nid, buf, len);
	ATF_REQUIRE(buf[0] != '\0');
}

static void
lowercase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static bool
fp_matches(const char *s, X509 *x)
{
	struct tlsid_fp fp;
	char err[256];

	if (tlsid_fp_parse(s, &fp, err, sizeof(err)) != 0)
		atf_tc_fail("parse \"%s\": %s", s, err);
	return tlsid_fp_match(&fp, x);
}

static void
fp_error(const char *s, const char *want)
{
	struct tlsid_fp fp;
	char err[256];

	ATF_CHECK_MSG(tlsid_fp_parse(s, &fp, err, sizeof(err)) == -1,
	    "\"%s\" parsed", s);
	CHECK_HAS(err, want);
}

/* ---- fingerprints -------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(fp_format);
ATF_TC_BODY(fp_format, tc)
{
	X509 *x = named("host.example.com", NULL);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	char want[TLSID_FP_STRLEN], got[TLSID_FP_STRLEN];
	char *p;

	ATF_REQUIRE(X509_digest(x, EVP_sha256(), md, &n) == 1);
	p = want + sprintf(want, "SHA256");
	for (unsigned int i = 0; i < n; i++)
		p += sprintf(p, ":%02X", md[i]);
	tlsid_fp_string(x, NID_sha256, got, sizeof(got));
	ATF_CHECK_STREQ(want, got);
	ATF_CHECK_EQ(strlen(got), strlen("SHA256:") + 32 * 3 - 1);

	/* A short buffer truncates but stays terminated. */
	tlsid_fp_string(x, NID_sha256, got, 10);
	ATF_CHECK_EQ(strlen(got), 9);
	ATF_CHECK(strncmp(got, want, 9) == 0);

	ATF_REQUIRE(X509_digest(x, EVP_sha1(), md, &n) == 1);
	p = want + sprintf(want, "SHA1");
	for (unsigned int i = 0; i < n; i++)
		p += sprintf(p, ":%02X", md[i]);
	tlsid_fp_string(x, NID_sha1, got, sizeof(got));
	ATF_CHECK_STREQ(want, got);
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(fp_labels);
ATF_TC_BODY(fp_labels, tc)
{
	static const struct {
		int		 nid;
		const char	*labels[6];
	} t[] = {
		{ NID_sha1, { "SHA1", "sha1", "sha-1", "SHA-1", "Sha1", NULL } },
		{ NID_sha256, { "SHA256", "sha256", "sha-256", "SHA-256",
		    "SHA2-256", NULL } },
		{ NID_sha384, { "SHA384", "sha-384", NULL } },
		{ NID_sha512, { "SHA512", "SHA-512", "sha-512", "sha512",
		    NULL } },
		{ NID_sha224, { "sha-224", "SHA224", NULL } },
		{ NID_md5, { "md5", "MD5", NULL } },
		{ NID_sha3_256, { "SHA3-256", "sha3-256", NULL } },
	};
	X509 *x = named("host.example.com", NULL), *y = named("other", NULL);
	char canon[TLSID_FP_STRLEN], s[TLSID_FP_STRLEN + 16];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fp_of(x, t[i].nid, canon, sizeof(canon));
		for (size_t j = 0; t[i].labels[j] != NULL; j++) {
			snprintf(s, sizeof(s), "%s%s", t[i].labels[j],
			    strchr(canon, ':'));
			ATF_CHECK_MSG(fp_matches(s, x), "%s", s);
			ATF_CHECK_MSG(!fp_matches(s, y), "%s matches y", s);
		}
	}
	X509_free(x);
	X509_free(y);
}

ATF_TC_WITHOUT_HEAD(fp_hex_forms);
ATF_TC_BODY(fp_hex_forms, tc)
{
	X509 *x = named("host.example.com", NULL);
	char canon[TLSID_FP_STRLEN], s[TLSID_FP_STRLEN];
	char *p, *q;

	fp_of(x, NID_sha256, canon, sizeof(canon));
	ATF_CHECK(fp_matches(canon, x));
	/* lower-case hex */
	strcpy(s, canon);
	lowercase(s + 7);
	ATF_CHECK(fp_matches(s, x));
	/* all lower-case, label too */
	lowercase(s);
	ATF_CHECK(fp_matches(s, x));
	/* mixed case */
	strcpy(s, canon);
	for (p = s + 7; *p != '\0'; p += 6)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	ATF_CHECK(fp_matches(s, x));
	/* plain hex without colons */
	for (p = canon, q = s; *p != '\0'; p++)
		if (p < canon + 7 || *p != ':')
			*q++ = *p;
	*q = '\0';
	ATF_CHECK_EQ(strlen(s), 7 + 64);
	ATF_CHECK(fp_matches(s, x));
	/* colons in some places only: neither form */
	s[10] = ':';
	fp_error(s, "bad");
	strcpy(s, canon);
	memmove(s + 9, s + 10, strlen(s + 10) + 1);	/* "AB" "CD:" ... */
	fp_error(s, "expected ':' between bytes");
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(fp_whole);
ATF_TC_BODY(fp_whole, tc)
{
	X509 *x = named("host.example.com", NULL);
	char canon[TLSID_FP_STRLEN], s[TLSID_FP_STRLEN + 8];
	size_t n;

	fp_of(x, NID_sha256, canon, sizeof(canon));
	n = strlen(canon);
	/* a prefix (one byte short) is not the fingerprint */
	snprintf(s, sizeof(s), "%.*s", (int)(n - 3), canon);
	fp_error(s, "SHA256 fingerprint needs 32 bytes, got 31");
	/* nor is a longer string that starts with it */
	snprintf(s, sizeof(s), "%s:00", canon);
	fp_error(s, "needs 32 bytes, got 33");
	/* the last byte differs */
	strcpy(s, canon);
	s[n - 1] = s[n - 1] == '0' ? '1' : '0';
	ATF_CHECK(!fp_matches(s, x));
	/* the first byte differs */
	strcpy(s, canon);
	s[7] = s[7] == '0' ? '1' : '0';
	ATF_CHECK(!fp_matches(s, x));
	/* the SHA-1 value under a SHA-256 label and vice versa */
	fp_of(x, NID_sha1, canon, sizeof(canon));
	snprintf(s, sizeof(s), "SHA256%s", strchr(canon, ':'));
	fp_error(s, "SHA256 fingerprint needs 32 bytes, got 20");
	fp_of(x, NID_sha256, canon, sizeof(canon));
	snprintf(s, sizeof(s), "SHA1%s", strchr(canon, ':'));
	fp_error(s, "SHA1 fingerprint needs 20 bytes, got 32");
	/* far too long */
	strcpy(s, "SHA1:");
	for (int i = 0; i < 70; i++)
		strcat(s, "AB");
	fp_error(s, "more than 64");
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(fp_errors);
ATF_TC_BODY(fp_errors, tc)
{
	struct tlsid_fp a, b;
	char err[256];

	fp_error("FOO:AB:CD", "unknown digest algorithm \"FOO\"");
	fp_error("sha-2:AB:CD", "unknown digest algorithm \"sha-2\"");
	fp_error("AB:CD:EF", "no algorithm label");
	fp_error("ABCDEF", "no algorithm label");
	fp_error(":AB:CD", "no algorithm label");
	fp_error("", "no algorithm label");
	fp_error("SHA1:", "no hex digits");
	fp_error("SHA1:AB:", "ends with ':'");
	fp_error("SHA1:AB::CD", "bad");
	fp_error("SHA1:GG:00", "bad hex in SHA1 fingerprint at byte 1");
	fp_error("SHA1:A", "bad hex");
	fp_error("SHA1:ABC", "bad hex");
	fp_error("SHA1: AB", "bad hex");
	fp_error("SHAKE128:AB", "no fixed size");
	fp_error("sha1\n:AB", "unknown digest algorithm \"sha1\\x0a\"");

	/* Equality is by digest and whole value. */
	ATF_REQUIRE(tlsid_fp_parse("SHA1:0102030405060708090A0B0C0D0E0F1011121314",
	    &a, err, sizeof(err)) == 0);
	ATF_REQUIRE(tlsid_fp_parse("sha-1:01:02:03:04:05:06:07:08:09:0a:0b:0c:"
	    "0d:0e:0f:10:11:12:13:14", &b, err, sizeof(err)) == 0);
	ATF_CHECK(tlsid_fp_equal(&a, &b));
	b.md[19] ^= 1;
	ATF_CHECK(!tlsid_fp_equal(&a, &b));
}

ATF_TC_WITHOUT_HEAD(fp_roundtrip);
ATF_TC_BODY(fp_roundtrip, tc)
{
	static const int nids[] = { NID_sha1, NID_sha224, NID_sha256,
	    NID_sha384, NID_sha512, NID_sha512_256, NID_sha3_256,
	    NID_sha3_512, NID_md5 };
	X509 *x = named("host.example.com", NULL);
	struct tlsid_fp fp, back;
	char s[TLSID_FP_STRLEN], err[256];

	for (size_t i = 0; i < sizeof(nids) / sizeof(nids[0]); i++) {
		ATF_REQUIRE(tlsid_fp_cert(x, nids[i], &fp) == 0);
		tlsid_fp_format(&fp, s, sizeof(s));
		ATF_CHECK_MSG(tlsid_fp_parse(s, &back, err, sizeof(err)) == 0,
		    "%s: %s", s, err);
		ATF_CHECK_MSG(tlsid_fp_equal(&fp, &back), "%s", s);
		ATF_CHECK_MSG(tlsid_fp_match(&back, x), "%s", s);
	}
	X509_free(x);
}

/* ---- names --------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(dns_match);
ATF_TC_BODY(dns_match, tc)
{
	static const struct {
		const char	*presented, *name;
		bool		 match;
	} t[] = {
		{ "host.example.com", "host.example.com", true },
		{ "HOST.Example.COM", "host.example.com", true },
		{ "host.example.com", "host.example.com.", true },
		{ "host.example.com.", "host.example.com", true },
		{ "host.example.com", "host.example.com.evil", false },
		{ "host.example.com.evil", "host.example.com", false },
		{ "host.example.com", "host.example.co", false },
		{ "host.example.com", "ost.example.com", false },
		{ "host.example.com", "xhost.example.com", false },
		{ "host.example.com", "", false },
		{ "", "host.example.com", false },
		{ "*.example.com", "a.example.com", true },
		{ "*.example.com", "A.EXAMPLE.COM.", true },
		{ "*.EXAMPLE.com", "a.example.com", true },
		{ "*.example.com", "a.b.example.com", false },
		{ "*.example.com", "example.com", false },
		{ "*.example.com", ".example.com", false },
		{ "*.example.com", "a.example.com.evil", false },
		{ "*.example.com", "a.xexample.com", false },
		{ "*.example.com", "*.example.com", false },
		{ "*.com", "example.com", false },
		{ "*", "example", false },
		{ "*.", "a.", false },
		{ "a*.example.com", "ab.example.com", false },
		{ "*a.example.com", "ba.example.com", false },
		{ "a.*.example.com", "a.b.example.com", false },
		{ "*.*.example.com", "a.b.example.com", false },
		{ "*..example.com", "a..example.com", false },
		{ "host.*", "host.example", false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ATF_CHECK_MSG(tlsid_dns_match(t[i].presented, t[i].name) ==
		    t[i].match, "\"%s\" vs \"%s\": want %s", t[i].presented,
		    t[i].name, t[i].match ? "match" : "no match");
}

static void
name_is(X509 *x, const char *ref, const char *how)
{
	char got[256];
	bool m = tlsid_check_name(x, ref, got, sizeof(got));

	if (how == NULL)
		ATF_CHECK_MSG(!m, "\"%s\" matched by %s", ref, got);
	else {
		ATF_CHECK_MSG(m, "\"%s\" did not match", ref);
		ATF_CHECK_STREQ_MSG(how, got, "for %s", ref);
	}
}

ATF_TC_WITHOUT_HEAD(name_exact);
ATF_TC_BODY(name_exact, tc)
{
	X509 *x = named("cn.example.com",
	    "DNS:Host.Example.COM,DNS:second.example.com");

	name_is(x, "host.example.com", "SAN DNS:Host.Example.COM");
	name_is(x, "HOST.EXAMPLE.COM", "SAN DNS:Host.Example.COM");
	name_is(x, "host.example.com.", "SAN DNS:Host.Example.COM");
	name_is(x, "second.example.com", "SAN DNS:second.example.com");
	/* the CN is not consulted: there are dNSNames */
	name_is(x, "cn.example.com", NULL);
	/* prefix attacks, both directions */
	name_is(x, "host.example.com.evil", NULL);
	name_is(x, "host.example.co", NULL);
	name_is(x, "host", NULL);
	name_is(x, "*.example.com", NULL);
	name_is(x, "", NULL);
	X509_free(x);

	x = named("host.example.com.evil", "DNS:host.example.com.evil");
	name_is(x, "host.example.com", NULL);
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(name_wildcard);
ATF_TC_BODY(name_wildcard, tc)
{
	X509 *x = named("x", "DNS:*.example.com");

	name_is(x, "a.example.com", "SAN DNS:*.example.com");
	name_is(x, "A.Example.Com.", "SAN DNS:*.example.com");
	name_is(x, "a.b.example.com", NULL);
	name_is(x, "example.com", NULL);
	name_is(x, "a.example.com.evil", NULL);
	X509_free(x);

	x = named("x", "DNS:*.com,DNS:*,DNS:a*.example.org,DNS:a.*.example.net");
	name_is(x, "example.com", NULL);
	name_is(x, "example", NULL);
	name_is(x, "ab.example.org", NULL);
	name_is(x, "a.b.example.net", NULL);
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(name_ip);
ATF_TC_BODY(name_ip, tc)
{
	X509 *x = named("192.0.2.3",
	    "IP:192.0.2.1,IP:2001:db8::1,DNS:192.0.2.2,DNS:host.example.com");

	name_is(x, "192.0.2.1", "SAN IP:192.0.2.1");
	name_is(x, "2001:db8::1", "SAN IP:2001:db8::1");
	name_is(x, "2001:DB8:0:0::1", "SAN IP:2001:db8::1");
	name_is(x, "[2001:db8::1]", "SAN IP:2001:db8::1");
	/* an address is compared with iPAddress names only */
	name_is(x, "192.0.2.2", NULL);
	name_is(x, "192.0.2.3", NULL);
	name_is(x, "::ffff:192.0.2.1", NULL);
	name_is(x, "2001:db8::2", NULL);
	name_is(x, "192.0.2.10", NULL);
	/* and a name never with an iPAddress */
	name_is(x, "host.example.com", "SAN DNS:host.example.com");
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(name_cn_fallback);
ATF_TC_BODY(name_cn_fallback, tc)
{
	X509 *x = named("host.example.com", NULL);

	name_is(x, "host.example.com", "CN host.example.com");
	name_is(x, "HOST.example.com.", "CN host.example.com");
	name_is(x, "host.example.com.evil", NULL);
	X509_free(x);

	/* iPAddress names do not hide the CN, dNSNames do */
	x = named("host.example.com", "IP:192.0.2.1");
	name_is(x, "host.example.com", "CN host.example.com");
	X509_free(x);
	x = named("host.example.com", "DNS:other.example.com");
	name_is(x, "host.example.com", NULL);
	X509_free(x);

	/* wildcard rules hold for the CN too */
	x = named("*.example.com", NULL);
	name_is(x, "a.example.com", "CN *.example.com");
	name_is(x, "a.b.example.com", NULL);
	X509_free(x);

	x = named(NULL, NULL);
	name_is(x, "host.example.com", NULL);
	X509_free(x);
}

/* A dNSName with an embedded NUL must not match its prefix. */
ATF_TC_WITHOUT_HEAD(name_nul);
ATF_TC_BODY(name_nul, tc)
{
	static const char evil[] = "host.example.com\0.evil.net";
	X509 *x = named("host.example.com", NULL);
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
	EVP_PKEY *k = newkey();
	char buf[256];

	ATF_REQUIRE(ASN1_STRING_set(ia5, evil, sizeof(evil) - 1) == 1);
	GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
	ATF_REQUIRE(sk_GENERAL_NAME_push(gens, gn) > 0);
	ATF_REQUIRE(X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) == 1);
	ATF_REQUIRE(X509_sign(x, k, EVP_sha256()) > 0);
	name_is(x, "host.example.com", NULL);
	ATF_CHECK(!tlsid_check_pattern(x, "*.example.com", NULL, 0));
	/* the CN is not consulted either: the certificate has a dNSName */
	tlsid_names(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("no names", buf);
	GENERAL_NAMES_free(gens);
	EVP_PKEY_free(k);
	X509_free(x);
}

static void
pattern_is(X509 *x, const char *pattern, const char *how)
{
	char got[256];
	bool m = tlsid_check_pattern(x, pattern, got, sizeof(got));

	if (how == NULL)
		ATF_CHECK_MSG(!m, "\"%s\" matched by %s", pattern, got);
	else {
		ATF_CHECK_MSG(m, "\"%s\" did not match", pattern);
		ATF_CHECK_STREQ_MSG(how, got, "for %s", pattern);
	}
}

ATF_TC_WITHOUT_HEAD(subject_patterns);
ATF_TC_BODY(subject_patterns, tc)
{
	static const struct {
		const char	*p;
		bool		 valid;
	} v[] = {
		{ "*.example.com", true }, { "host.example.com", true },
		{ "192.0.2.1", true }, { "2001:db8::1", true },
		{ "host", true }, { "*.example.com.", true },
		{ "*", false }, { "*.com", false }, { "a*.example.com", false },
		{ "a.*.example.com", false }, { "*.*.example.com", false },
		{ "", false }, { ".example.com", false },
		{ "a..example.com", false },
	};
	X509 *x = named("ignored.example.com",
	    "DNS:a.example.com,IP:192.0.2.7");
	char err[256];

	pattern_is(x, "*.example.com", "SAN DNS:a.example.com");
	pattern_is(x, "*.EXAMPLE.com", "SAN DNS:a.example.com");
	pattern_is(x, "a.example.com", "SAN DNS:a.example.com");
	pattern_is(x, "A.example.com.", "SAN DNS:a.example.com");
	pattern_is(x, "192.0.2.7", "SAN IP:192.0.2.7");
	pattern_is(x, "*.b.example.com", NULL);
	pattern_is(x, "example.com", NULL);
	pattern_is(x, "a.example.com.evil", NULL);
	pattern_is(x, "a.example", NULL);
	pattern_is(x, "ignored.example.com", NULL);
	pattern_is(x, "*.com", NULL);
	pattern_is(x, "*", NULL);
	pattern_is(x, "192.0.2.8", NULL);
	X509_free(x);

	/* a wildcard certificate name does not identify one client */
	x = named("x", "DNS:*.example.com");
	pattern_is(x, "*.example.com", NULL);
	pattern_is(x, "a.example.com", NULL);
	X509_free(x);

	/* the CN when there is no dNSName */
	x = named("b.example.com", NULL);
	pattern_is(x, "*.example.com", "CN b.example.com");
	X509_free(x);

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = tlsid_pattern_valid(v[i].p, err, sizeof(err));

		ATF_CHECK_MSG((rc == 0) == v[i].valid, "\"%s\": %d", v[i].p, rc);
		if (rc != 0)
			CHECK_HAS(err, "subject pattern");
	}
}

ATF_TC_WITHOUT_HEAD(summary);
ATF_TC_BODY(summary, tc)
{
	X509 *x = named("host.example.com",
	    "DNS:host.example.com,DNS:alias.example.com,IP:192.0.2.1,"
	    "IP:2001:db8::1");
	char buf[1024];

	tlsid_subject(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("CN=host.example.com,O=syslogd test", buf);
	tlsid_first_cn(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("host.example.com", buf);
	tlsid_names(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("DNS:host.example.com, DNS:alias.example.com, "
	    "IP:192.0.2.1, IP:2001:db8::1", buf);
	tlsid_summary(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("subject \"CN=host.example.com,O=syslogd test\", "
	    "CN \"host.example.com\", SAN DNS:host.example.com, "
	    "DNS:alias.example.com, IP:192.0.2.1, IP:2001:db8::1", buf);
	X509_free(x);

	/* no SAN: the CN is listed as the name */
	x = named("plain.example.com", NULL);
	tlsid_names(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("CN=plain.example.com", buf);
	tlsid_summary(x, buf, sizeof(buf));
	CHECK_HAS(buf, "SAN none");
	X509_free(x);

	/* a hostile CN cannot break a log line or a quoted field */
	x = named("evil\n\"x\"", NULL);
	tlsid_first_cn(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("evil\\x0a\\x22x\\x22", buf);
	tlsid_summary(x, buf, sizeof(buf));
	ATF_CHECK(strchr(buf, '\n') == NULL);
	X509_free(x);

	tlsid_summary(NULL, buf, sizeof(buf));
	ATF_CHECK_STREQ("no certificate", buf);
}

/* ---- certificate generation --------------------------------------- */

static X509 *
read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	ATF_REQUIRE_MSG(f != NULL, "%s", path);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ATF_REQUIRE_MSG(x != NULL, "%s", path);
	return x;
}

static int
count_files(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	int n = 0;

	ATF_REQUIRE(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

ATF_TC_WITHOUT_HEAD(gen_cert);
ATF_TC_BODY(gen_cert, tc)
{
	struct strlist addrs = { NULL, 0 };
	struct tls_identity id = { "host.example.org", &addrs };
	char note[TLS_ERRLEN], err[TLS_ERRLEN], buf[512];
	BASIC_CONSTRAINTS *bc;
	BIGNUM *serial;
	EVP_PKEY *pk;
	struct stat st;
	X509 *x;
	int crit, days, secs, before;

	add(&addrs, "192.0.2.10");
	add(&addrs, "2001:db8::10");
	before = count_files();
	ATF_REQUIRE_MSG(tls_gen_cert("gen.key", "gen.crt", &id, note,
	    sizeof(note), err, sizeof(err)) == 0, "%s", err);
	CHECK_HAS(note, "gen.key");
	CHECK_HAS(note, "gen.crt");
	CHECK_HAS(note, "SHA256:");
	/* exactly the two files, no temporary left over */
	ATF_CHECK_EQ(count_files(), before + 2);

	ATF_REQUIRE(stat("gen.key", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0600);
	ATF_REQUIRE(stat("gen.crt", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0644);

	x = read_cert("gen.crt");
	ATF_CHECK_EQ(X509_get_version(x), 2);		/* v3 */
	ATF_CHECK_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
	pk = X509_get0_pubkey(x);
	ATF_REQUIRE(pk != NULL);
	ATF_CHECK_EQ(EVP_PKEY_get_base_id(pk), EVP_PKEY_EC);
	ATF_REQUIRE(EVP_PKEY_get_group_name(pk, buf, sizeof(buf), NULL) == 1);
	ATF_CHECK_STREQ("prime256v1", buf);
	ATF_CHECK_EQ(X509_verify(x, pk), 1);		/* self-signed */
	ATF_CHECK_EQ(X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)), 0);

	bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	ATF_REQUIRE(bc != NULL);
	ATF_CHECK(!bc->ca);
	ATF_CHECK_EQ(crit, 1);
	BASIC_CONSTRAINTS_free(bc);
	ATF_CHECK((X509_get_extension_flags(x) & EXFLAG_CA) == 0);
	ATF_CHECK((X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) != 0);
	ATF_CHECK_EQ(X509_get_extended_key_usage(x) &
	    (XKU_SSL_SERVER | XKU_SSL_CLIENT), XKU_SSL_SERVER | XKU_SSL_CLIENT);

	tlsid_first_cn(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("host.example.org", buf);
	tlsid_names(x, buf, sizeof(buf));
	ATF_CHECK_STREQ("DNS:host.example.org, IP:192.0.2.10, "
	    "IP:2001:db8::10", buf);
	ATF_CHECK(tlsid_check_name(x, "host.example.org", NULL, 0));
	ATF_CHECK(tlsid_check_name(x, "2001:db8::10", NULL, 0));

	serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	ATF_REQUIRE(serial != NULL);
	ATF_CHECK(BN_num_bits(serial) >= 64);
	ATF_CHECK(!BN_is_negative(serial));
	BN_free(serial);

	/* from about an hour ago, for about five years */
	ATF_REQUIRE(ASN1_TIME_diff(&days, &secs, NULL,
	    X509_get0_notBefore(x)) == 1);
	ATF_CHECK(days == 0 && secs <= -3500 && secs >= -3700);
	ATF_REQUIRE(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x),
	    X509_get0_notAfter(x)) == 1);
	ATF_CHECK(days >= 5 * 365 && days <= 5 * 366);
	X509_free(x);

	/* the pair loads as our credentials */
	{
		struct conf_options o;
		struct tls_ctx *t;

		memset(&o, 0, sizeof(o));
		o.tls_key = "gen.key";
		o.tls_cert = "gen.crt";
		t = ctx_ok(&o, TLS_CTX_SERVER | TLS_CTX_CLIENT);
		ATF_CHECK_STREQ("", t->note);
		tls_ctx_free(t);
	}
	strlist_free(&addrs);
}

ATF_TC_WITHOUT_HEAD(gen_errors);
ATF_TC_BODY(gen_errors, tc)
{
	struct strlist addrs = { NULL, 0 };
	struct tls_identity id = { "host.example.org", &addrs };
	struct tls_identity noid = { NULL, NULL };
	char note[TLS_ERRLEN], err[TLS_ERRLEN];

	ATF_CHECK(tls_gen_cert("nodir/gen.key", "nodir/gen.crt", &id, note,
	    sizeof(note), err, sizeof(err)) == -1);
	CHECK_HAS(err, "nodir/gen.key");
	CHECK_HAS(err, "No such file or directory");
	ATF_CHECK(tls_gen_cert("g.key", "nodir/g.crt", &id, note,
	    sizeof(note), err, sizeof(err)) == -1);
	CHECK_HAS(err, "nodir/g.crt");
	/* the key's temporary file was removed again */
	ATF_CHECK_EQ(count_files(), 0);

	ATF_CHECK(tls_gen_cert("g.key", "g.crt", &noid, note, sizeof(note),
	    err, sizeof(err)) == -1);
	CHECK_HAS(err, "no host name");

	add(&addrs, "not-an-address");
	ATF_CHECK(tls_gen_cert("g.key", "g.crt", &id, note, sizeof(note), err,
	    sizeof(err)) == -1);
	CHECK_HAS(err, "\"not-an-address\" is not an IP address");
	ATF_CHECK_EQ(count_files(), 0);
	strlist_free(&addrs);

	/* a long host name: whole in the SAN, first label in the CN */
	{
		struct tls_identity lid = { "a-very-long-first-label."
		    "with-many-more-labels.so-that-the-name-is-longer."
		    "than-sixty-four.example.org", NULL };
		EVP_PKEY *k;
		X509 *x;
		char buf[256];

		ATF_REQUIRE_MSG(tls_make_cert(&lid, &k, &x, err,
		    sizeof(err)) == 0, "%s", err);
		tlsid_first_cn(x, buf, sizeof(buf));
		ATF_CHECK_STREQ("a-very-long-first-label", buf);
		ATF_CHECK(tlsid_check_name(x, lid.host, NULL, 0));
		EVP_PKEY_free(k);
		X509_free(x);
	}
	/* an address as the host name becomes an iPAddress */
	{
		struct tls_identity ipid = { "192.0.2.44", NULL };
		EVP_PKEY *k;
		X509 *x;
		char buf[256];

		ATF_REQUIRE(tls_make_cert(&ipid, &k, &x, err,
		    sizeof(err)) == 0);
		tlsid_names(x, buf, sizeof(buf));
		/* no dNSName: the CN counts as a name */
		ATF_CHECK_STREQ("IP:192.0.2.44, CN=192.0.2.44", buf);
		EVP_PKEY_free(k);
		X509_free(x);
	}
}

/* tls_ctx_new generates only when both files are missing and allowed. */
ATF_TC_WITHOUT_HEAD(gen_by_ctx);
ATF_TC_BODY(gen_by_ctx, tc)
{
	struct tls_identity id = { "host.example.org", NULL };
	struct conf_options o;
	struct tls_ctx *t;
	char err[TLS_ERRLEN];
	FILE *f;
	char buf[32];

	memset(&o, 0, sizeof(o));
	o.tls_key = "k.pem";
	o.tls_cert = "c.pem";
	t = tls_ctx_new(&o, TLS_CTX_SERVER, &id, err, sizeof(err));
	ATF_CHECK(t == NULL);
	CHECK_HAS(err, "neither tls_key k.pem nor tls_cert c.pem exists");
	CHECK_HAS(err, "tls_gen_cert");
	ATF_CHECK_EQ(count_files(), 0);

	o.tls_gen_cert = true;
	t = tls_ctx_new(&o, TLS_CTX_SERVER, NULL, err, sizeof(err));
	ATF_CHECK(t == NULL);
	CHECK_HAS(err, "host name");

	t = tls_ctx_new(&o, TLS_CTX_SERVER | TLS_CTX_CLIENT, &id, err,
	    sizeof(err));
	ATF_REQUIRE_MSG(t != NULL, "%s", err);
	CHECK_HAS(t->note, "generated EC P-256 key k.pem");
	ATF_REQUIRE(t->cert != NULL);
	ATF_CHECK(tlsid_check_name(t->cert, "host.example.org", NULL, 0));
	tls_ctx_free(t);

	/* the second time the files are there and are used */
	t = ctx_ok(&o, TLS_CTX_SERVER);
	ATF_CHECK_STREQ("", t->note);
	tls_ctx_free(t);

	/* one file without the other: an error, nothing is overwritten */
	ATF_REQUIRE(unlink("c.pem") == 0);
	t = tls_ctx_new(&o, TLS_CTX_SERVER, &id, err, sizeof(err));
	ATF_CHECK(t == NULL);
	CHECK_HAS(err, "tls_cert c.pem: No such file or directory");
	write_text("only.key", "keep me\n");
	o.tls_key = "only.key";
	o.tls_cert = "none.crt";
	t = tls_ctx_new(&o, TLS_CTX_SERVER, &id, err, sizeof(err));
	ATF_CHECK(t == NULL);
	ATF_REQUIRE((f = fopen("only.key", "r")) != NULL);
	ATF_REQUIRE(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	ATF_CHECK_STREQ("keep me\n", buf);
}

ATF_TC_WITHOUT_HEAD(local_addrs);
ATF_TC_BODY(local_addrs, tc)
{
	struct strlist l = { NULL, 0 };
	char err[256];

	ATF_REQUIRE_MSG(tls_local_addrs(&l, err, sizeof(err)) == 0, "%s", err);
	for (size_t i = 0; i < l.n; i++) {
		ATF_CHECK_MSG(strncmp(l.v[i], "127.", 4) != 0, "%s", l.v[i]);
		ATF_CHECK_MSG(strcmp(l.v[i], "::1") != 0, "%s", l.v[i]);
		ATF_CHECK_MSG(strncmp(l.v[i], "fe80:", 5) != 0, "%s", l.v[i]);
	}
	strlist_free(&l);
}

/* ---- contexts ------------------------------------------------------ */

static void
ctx_fails(const struct conf_options *o, const char *want1, const char *want2)
{
	char err[TLS_ERRLEN];
	struct tls_ctx *t;

	t = tls_ctx_new(o, TLS_CTX_SERVER | TLS_CTX_CLIENT, NULL, err,
	    sizeof(err));
	ATF_CHECK_MSG(t == NULL, "no error, want \"%s\"", want1);
	tls_ctx_free(t);
	if (t != NULL)
		return;
	CHECK_NULLFREE(err);
	CHECK_HAS(err, want1);
	if (want2 != NULL)
		CHECK_HAS(err, want2);
}

ATF_TC_WITHOUT_HEAD(ctx_errors);
ATF_TC_BODY(ctx_errors, tc)
{
	struct conf_options o;
	struct pki p;
	EVP_PKEY *k;

	pki_init(&p);
	write_text("garbage.pem", "this is not PEM\n");
	write_text("empty.pem", "");
	k = newkey();
	write_key("other.key", k);
	EVP_PKEY_free(k);
	mkdir("adir", 0755);

	opts_init(&o, true);
	o.tls_key = "missing.key";
	ctx_fails(&o, "tls_key missing.key: No such file or directory", NULL);
	opts_init(&o, true);
	o.tls_cert = "missing.crt";
	ctx_fails(&o, "tls_cert missing.crt: No such file or directory", NULL);
	opts_init(&o, true);
	o.tls_cert = "garbage.pem";
	ctx_fails(&o, "tls_cert garbage.pem: ", "PEM");
	opts_init(&o, true);
	o.tls_key = "garbage.pem";
	ctx_fails(&o, "tls_key garbage.pem: ", NULL);
	opts_init(&o, true);
	o.tls_key = "other.key";
	ctx_fails(&o, "tls_key other.key does not belong to tls_cert srv.crt",
	    NULL);
	opts_init(&o, true);
	o.tls_key = "adir";
	ctx_fails(&o, "tls_key adir: is a directory", NULL);
	opts_init(&o, true);
	o.tls_ca = "missing-ca.pem";
	ctx_fails(&o, "tls_ca missing-ca.pem: No such file or directory", NULL);
	opts_init(&o, true);
	o.tls_ca = "garbage.pem";
	ctx_fails(&o, "tls_ca garbage.pem: ", NULL);
	opts_init(&o, true);
	o.tls_ca = "empty.pem";
	ctx_fails(&o, "tls_ca empty.pem: ", NULL);
	opts_init(&o, true);
	o.tls_cadir = "nodir";
	ctx_fails(&o, "tls_cadir nodir: No such file or directory", NULL);
	opts_init(&o, true);
	o.tls_cadir = "ca.pem";
	ctx_fails(&o, "tls_cadir ca.pem: not a directory", NULL);
	opts_init(&o, true);
	o.tls_crl = "missing-crl.pem";
	ctx_fails(&o, "tls_crl missing-crl.pem: No such file or directory",
	    NULL);
	opts_init(&o, true);
	o.tls_crl = "garbage.pem";
	ctx_fails(&o, "tls_crl garbage.pem: no CRL found", NULL);
	opts_init(&o, true);
	o.tls_crl = "ca.pem";		/* a certificate, not a CRL */
	ctx_fails(&o, "tls_crl ca.pem: no CRL found", NULL);
	opts_init(&o, true);
	o.tls_min_version = "1.1";
	ctx_fails(&o, "tls_min_version \"1.1\": expected 1.2 or 1.3", NULL);
	opts_init(&o, true);
	o.tls_ciphers = "NO-SUCH-CIPHER";
	ctx_fails(&o, "tls_ciphers \"NO-SUCH-CIPHER\": ", "no cipher");

	opts_init(&o, true);
	add(&o.tls_allow_fingerprints, "XYZ:00:11");
	ctx_fails(&o, "tls_allow_fingerprints: unknown digest algorithm "
	    "\"XYZ\"", NULL);
	opts_free(&o);
	opts_init(&o, true);
	add(&o.tls_allow_fingerprints, "SHA256:00:11");
	ctx_fails(&o, "tls_allow_fingerprints: SHA256 fingerprint needs 32 "
	    "bytes, got 2", NULL);
	opts_free(&o);
	opts_init(&o, true);
	add(&o.tls_allow_clientcerts, "nope.pem");
	ctx_fails(&o, "tls_allow_clientcerts nope.pem: No such file", NULL);
	opts_free(&o);
	opts_init(&o, true);
	add(&o.tls_allow_clientcerts, "garbage.pem");
	ctx_fails(&o, "tls_allow_clientcerts garbage.pem: no PEM or DER "
	    "certificate", NULL);
	opts_free(&o);
	opts_init(&o, true);
	add(&o.tls_allow_subjects, "*.com");
	ctx_fails(&o, "tls_allow_subjects: subject pattern \"*.com\"", NULL);
	opts_free(&o);

	/* the same options without the mistakes load */
	opts_init(&o, true);
	o.tls_cadir = "adir";
	o.tls_min_version = "TLSv1.3";
	o.tls_ciphers = "ECDHE+AESGCM";
	add(&o.tls_allow_clientcerts, "self.pem");
	add(&o.tls_allow_subjects, "*.example.com");
	tls_ctx_free(ctx_ok(&o, TLS_CTX_SERVER | TLS_CTX_CLIENT));
	opts_free(&o);
	pki_free(&p);
}

ATF_TC_WITHOUT_HEAD(ctx_settings);
ATF_TC_BODY(ctx_settings, tc)
{
	struct conf_options o;
	struct tls_ctx *t;
	struct pki p;
	unsigned long flags;

	pki_init(&p);
	opts_init(&o, true);
	t = ctx_ok(&o, TLS_CTX_SERVER | TLS_CTX_CLIENT);
	ATF_REQUIRE(t->server != NULL && t->client != NULL &&
	    t->policy != NULL && t->cert != NULL);
	ATF_CHECK_EQ(X509_cmp(t->cert, p.srv), 0);
	/* no tickets, no session cache on the server */
	ATF_CHECK_EQ(SSL_CTX_get_num_tickets(t->server), 0);
	ATF_CHECK((SSL_CTX_get_options(t->server) & SSL_OP_NO_TICKET) != 0);
	ATF_CHECK_EQ(SSL_CTX_get_session_cache_mode(t->server),
	    SSL_SESS_CACHE_OFF);
	ATF_CHECK_EQ(SSL_CTX_get_min_proto_version(t->server), TLS1_2_VERSION);
	ATF_CHECK_EQ(SSL_CTX_get_min_proto_version(t->client), TLS1_2_VERSION);
	ATF_CHECK_EQ(SSL_CTX_get_max_proto_version(t->server), 0);
	/* verify=on: a client without a certificate fails the handshake */
	ATF_CHECK_EQ(SSL_CTX_get_verify_mode(t->server),
	    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
	ATF_CHECK_EQ(SSL_CTX_get_verify_mode(t->client), SSL_VERIFY_PEER);
	ATF_CHECK(SSL_CTX_get_verify_callback(t->server) != NULL);
	/* revocation checking of the leaf */
	flags = X509_VERIFY_PARAM_get_flags(X509_STORE_get0_param(
	    SSL_CTX_get_cert_store(t->server)));
	ATF_CHECK((flags & X509_V_FLAG_CRL_CHECK) != 0);
	ATF_CHECK_EQ(SSL_CTX_get_cert_store(t->server),
	    SSL_CTX_get_cert_store(t->client));
	tls_ctx_free(t);

	o.tls_verify = TLS_VERIFY_OPT;
	o.tls_min_version = "1.3";
	o.tls_crl = NULL;
	t = ctx_ok(&o, TLS_CTX_SERVER);
	ATF_CHECK(t->client == NULL);
	ATF_CHECK_EQ(SSL_CTX_get_verify_mode(t->server), SSL_VERIFY_PEER);
	ATF_CHECK_EQ(SSL_CTX_get_min_proto_version(t->server), TLS1_3_VERSION);
	flags = X509_VERIFY_PARAM_get_flags(X509_STORE_get0_param(
	    SSL_CTX_get_cert_store(t->server)));
	ATF_CHECK((flags & X509_V_FLAG_CRL_CHECK) == 0);
	tls_ctx_free(t);

	/* verify=off still asks for a certificate, to log who it was */
	o.tls_verify = TLS_VERIFY_OFF;
	t = ctx_ok(&o, TLS_CTX_SERVER);
	ATF_CHECK_EQ(SSL_CTX_get_verify_mode(t->server), SSL_VERIFY_PEER);
	tls_ctx_free(t);
	pki_free(&p);
}

/* ---- policy -------------------------------------------------------- */

static void
expect(const struct tls_policy *pol, X509 *peer, long chain, bool accept,
    const char *rule, const char *what)
{
	struct tls_verdict v;

	tls_policy_check(pol, peer, chain, &v);
	ATF_CHECK_MSG(v.accept == accept, "%s: %s (%s)", what,
	    v.accept ? "accepted" : "rejected", v.rule);
	ATF_CHECK_STREQ_MSG(rule, v.rule, "%s", what);
	if (peer != NULL) {
		char fp[TLSID_FP_STRLEN];

		tlsid_fp_string(peer, NID_sha256, fp, sizeof(fp));
		ATF_CHECK_STREQ(fp, v.fingerprint);
		ATF_CHECK(v.subject[0] != '\0');
	} else
		ATF_CHECK_STREQ("", v.fingerprint);
}

static struct tls_policy *
server_policy(const struct conf_options *o)
{
	char err[TLS_ERRLEN];
	struct tls_policy *pol = tls_policy_server(o, err, sizeof(err));

	ATF_REQUIRE_MSG(pol != NULL, "%s", err);
	return pol;
}

ATF_TC_WITHOUT_HEAD(policy_server);
ATF_TC_BODY(policy_server, tc)
{
	struct conf_options o;
	struct tls_policy *pol;
	struct tls_ctx *t;
	struct pki p;
	char fp[TLSID_FP_STRLEN], rule[TLS_ERRLEN];
	long good, self, expired, revoked, foreign;

	pki_init(&p);
	opts_init(&o, true);
	t = ctx_ok(&o, TLS_CTX_SERVER);
	good = chain_of(t->server, p.cli, true);
	self = chain_of(t->server, p.self, true);
	expired = chain_of(t->server, p.expired, true);
	revoked = chain_of(t->server, p.revoked, true);
	foreign = chain_of(t->server, p.foreign, true);
	ATF_REQUIRE_EQ(good, X509_V_OK);
	ATF_CHECK_EQ(self, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	ATF_CHECK_EQ(expired, X509_V_ERR_CERT_HAS_EXPIRED);
	ATF_CHECK_EQ(revoked, X509_V_ERR_CERT_REVOKED);
	ATF_CHECK_EQ(foreign, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);

	/* verify=on, no allow rules */
	pol = t->policy;
	expect(pol, p.cli, good, true, "valid chain", "good");
	expect(pol, NULL, X509_V_OK, false, "no client certificate", "none");
	expect(pol, p.expired, expired, false, "certificate has expired",
	    "expired");
	expect(pol, p.revoked, revoked, false, "certificate revoked",
	    "revoked");
	expect(pol, p.foreign, foreign, false,
	    "unable to get local issuer certificate", "foreign");
	expect(pol, p.self, self, false, X509_verify_cert_error_string(self),
	    "self-signed");
	tls_ctx_free(t);

	/* pinned by fingerprint (any spelling) or by file */
	fp_of(p.self, NID_sha256, fp, sizeof(fp));
	lowercase(fp);
	snprintf(rule, sizeof(rule), "sha-256:%s", fp + 7);
	add(&o.tls_allow_fingerprints, rule);
	add(&o.tls_allow_clientcerts, "cli.crt");
	pol = server_policy(&o);
	fp_of(p.self, NID_sha256, fp, sizeof(fp));
	snprintf(rule, sizeof(rule), "fingerprint %s", fp);
	expect(pol, p.self, self, true, rule, "self pinned");
	expect(pol, p.cli, good, true, "certificate file cli.crt",
	    "cli pinned by file");
	expect(pol, p.expired, expired, false, "certificate has expired",
	    "expired not pinned");
	tls_policy_free(pol);
	opts_free(&o);

	/* a pin does not override a revocation */
	opts_init(&o, true);
	fp_of(p.revoked, NID_sha1, fp, sizeof(fp));
	add(&o.tls_allow_fingerprints, fp);
	pol = server_policy(&o);
	expect(pol, p.revoked, revoked, false, "certificate revoked",
	    "revoked pinned");
	snprintf(rule, sizeof(rule), "fingerprint %s", fp);
	expect(pol, p.revoked, X509_V_OK, true, rule, "pinned, not revoked");
	tls_policy_free(pol);
	opts_free(&o);

	/* subject patterns restrict valid chains */
	opts_init(&o, true);
	add(&o.tls_allow_subjects, "*.example.com");
	pol = server_policy(&o);
	expect(pol, p.cli, good, true, "subject pattern *.example.com matched "
	    "SAN DNS:client.example.com", "pattern");
	tls_policy_free(pol);
	opts_free(&o);
	opts_init(&o, true);
	add(&o.tls_allow_subjects, "*.example.org");
	add(&o.tls_allow_subjects, "logs.example.com");
	fp_of(p.self, NID_sha256, fp, sizeof(fp));
	add(&o.tls_allow_fingerprints, fp);
	pol = server_policy(&o);
	expect(pol, p.cli, good, false, "subject mismatch: wanted "
	    "*.example.org or logs.example.com, certificate has "
	    "DNS:client.example.com", "pattern mismatch");
	snprintf(rule, sizeof(rule), "fingerprint %s", fp);
	expect(pol, p.self, self, true, rule, "pin beats patterns");
	tls_policy_free(pol);
	opts_free(&o);

	/* verify=opt: no certificate is fine, a bad one is not */
	opts_init(&o, true);
	o.tls_verify = TLS_VERIFY_OPT;
	pol = server_policy(&o);
	expect(pol, NULL, X509_V_OK, true, "no certificate, verify=opt",
	    "opt none");
	expect(pol, p.cli, good, true, "valid chain", "opt good");
	expect(pol, p.expired, expired, false, "certificate has expired",
	    "opt expired");
	tls_policy_free(pol);

	/* verify=off: anything */
	o.tls_verify = TLS_VERIFY_OFF;
	pol = server_policy(&o);
	expect(pol, p.self, self, true, "verification disabled", "off self");
	expect(pol, p.revoked, revoked, true, "verification disabled",
	    "off revoked");
	expect(pol, NULL, X509_V_OK, true, "verification disabled", "off none");
	tls_policy_free(pol);
	opts_free(&o);
	pki_free(&p);
}

static struct tls_policy *
client_policy(const struct conf_options *o, const char *host,
    const char *subject, const char *fp, const char *certfile, int verify)
{
	struct conf_action a;
	struct tls_policy *pol;
	char err[TLS_ERRLEN];

	memset(&a, 0, sizeof(a));
	a.type = ACT_TLS;
	a.target = (char *)(uintptr_t)host;
	a.tls_verify = verify;
	a.tls_certfile = (char *)(uintptr_t)certfile;
	if (subject != NULL)
		add(&a.tls_subjects, subject);
	if (fp != NULL)
		add(&a.tls_fingerprints, fp);
	pol = tls_policy_client(o, &a, err, sizeof(err));
	ATF_REQUIRE_MSG(pol != NULL, "%s", err);
	strlist_free(&a.tls_subjects);
	strlist_free(&a.tls_fingerprints);
	return pol;
}

ATF_TC_WITHOUT_HEAD(policy_client);
ATF_TC_BODY(policy_client, tc)
{
	struct conf_options o;
	struct conf_action a;
	struct tls_policy *pol;
	struct tls_ctx *t;
	struct pki p;
	char fp[TLSID_FP_STRLEN], rule[TLS_ERRLEN], err[TLS_ERRLEN];
	long good, self, expired, foreign;

	pki_init(&p);
	opts_init(&o, false);
	t = ctx_ok(&o, TLS_CTX_CLIENT);
	good = chain_of(t->client, p.srv, false);
	self = chain_of(t->client, p.self, false);
	expired = chain_of(t->client, p.expired, false);
	foreign = chain_of(t->client, p.foreign, false);
	ATF_REQUIRE_EQ(good, X509_V_OK);
	tls_ctx_free(t);

#define CP(h, s, f, c, v)	(pol = client_policy(&o, (h), (s), (f), (c), (v)))
	CP("logs.example.com", NULL, NULL, NULL, -1);
	expect(pol, p.srv, good, true, "name logs.example.com matched SAN "
	    "DNS:logs.example.com", "host");
	expect(pol, p.expired, expired, false, "certificate has expired",
	    "expired");
	expect(pol, p.foreign, foreign, false,
	    "unable to get local issuer certificate", "foreign");
	expect(pol, p.self, self, false, X509_verify_cert_error_string(self),
	    "self");
	expect(pol, NULL, X509_V_OK, false, "no server certificate", "none");
	tls_policy_free(pol);

	CP("LOGS.Example.COM.", NULL, NULL, NULL, -1);
	expect(pol, p.srv, good, true, "name LOGS.Example.COM. matched SAN "
	    "DNS:logs.example.com", "case, dot");
	tls_policy_free(pol);
	CP("192.0.2.1", NULL, NULL, NULL, -1);
	expect(pol, p.srv, good, true, "name 192.0.2.1 matched SAN "
	    "IP:192.0.2.1", "address");
	tls_policy_free(pol);
	CP("[192.0.2.1]", NULL, NULL, NULL, -1);
	expect(pol, p.srv, good, true, "name 192.0.2.1 matched SAN "
	    "IP:192.0.2.1", "bracketed");
	tls_policy_free(pol);
	CP("192.0.2.9", "logs.example.com", NULL, NULL, -1);
	expect(pol, p.srv, good, true, "name logs.example.com matched SAN "
	    "DNS:logs.example.com", "subject=");
	tls_policy_free(pol);
	CP("logs.example.com.evil", NULL, NULL, NULL, -1);
	expect(pol, p.srv, good, false, "name mismatch: wanted "
	    "logs.example.com.evil, certificate has DNS:logs.example.com, "
	    "IP:192.0.2.1", "prefix attack");
	tls_policy_free(pol);
	CP("logs", "192.0.2.9", NULL, NULL, -1);
	expect(pol, p.srv, good, false, "name mismatch: wanted logs or "
	    "192.0.2.9, certificate has DNS:logs.example.com, IP:192.0.2.1",
	    "two names");
	tls_policy_free(pol);

	/* an invalid chain needs a pin */
	fp_of(p.self, NID_sha1, fp, sizeof(fp));
	CP("logs.example.com", NULL, fp, NULL, -1);
	snprintf(rule, sizeof(rule), "fingerprint %s", fp);
	expect(pol, p.self, self, true, rule, "self pinned");
	expect(pol, p.expired, expired, false, "certificate has expired",
	    "other not pinned");
	tls_policy_free(pol);
	CP("elsewhere.example.net", NULL, NULL, "self.pem", -1);
	expect(pol, p.self, self, true, "certificate file self.pem",
	    "self pinned by file");
	tls_policy_free(pol);
	/* a pin also admits a valid chain whose names do not fit */
	fp_of(p.srv, NID_sha256, fp, sizeof(fp));
	CP("198.51.100.1", NULL, fp, NULL, -1);
	snprintf(rule, sizeof(rule), "fingerprint %s", fp);
	expect(pol, p.srv, good, true, rule, "valid, pinned, no name");
	tls_policy_free(pol);

	/* verify: the destination's setting wins over the global one */
	CP("logs.example.com", NULL, NULL, NULL, TLS_VERIFY_OFF);
	expect(pol, p.self, self, true, "verification disabled", "dest off");
	tls_policy_free(pol);
	/* verify=opt means nothing more for a client: servers have certs */
	CP("logs.example.com", NULL, NULL, NULL, TLS_VERIFY_OPT);
	expect(pol, p.self, self, false, X509_verify_cert_error_string(self),
	    "dest opt");
	tls_policy_free(pol);
	o.tls_verify = TLS_VERIFY_OFF;
	CP("logs.example.com", NULL, NULL, NULL, -1);
	expect(pol, p.self, self, true, "verification disabled", "global off");
	tls_policy_free(pol);
	CP("logs.example.com", NULL, NULL, NULL, TLS_VERIFY_ON);
	expect(pol, p.self, self, false, X509_verify_cert_error_string(self),
	    "dest on");
	tls_policy_free(pol);
#undef CP

	/* configuration errors name the option */
	memset(&a, 0, sizeof(a));
	a.type = ACT_TLS;
	a.target = "logs.example.com";
	a.tls_verify = -1;
	add(&a.tls_fingerprints, "SHA1:00");
	ATF_CHECK(tls_policy_client(&o, &a, err, sizeof(err)) == NULL);
	CHECK_HAS(err, "fingerprint: SHA1 fingerprint needs 20 bytes, got 1");
	strlist_free(&a.tls_fingerprints);
	a.tls_certfile = "missing.pem";
	ATF_CHECK(tls_policy_client(&o, &a, err, sizeof(err)) == NULL);
	CHECK_HAS(err, "cert missing.pem: No such file or directory");
	pki_free(&p);
}

/* ---- handshakes ---------------------------------------------------- */

static bool
want_io(SSL *ssl, int rc)
{
	int e = SSL_get_error(ssl, rc);

	return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

/* Runs a handshake over a BIO pair: 0, or -1 client / -2 server failed. */
static int
handshake(SSL *c, SSL *s)
{
	BIO *bc, *bs;
	int rc = 0, rs = 0;

	ATF_REQUIRE(BIO_new_bio_pair(&bc, 0, &bs, 0) == 1);
	SSL_set_bio(c, bc, bc);
	SSL_set_bio(s, bs, bs);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	for (int i = 0; i < 50 && (rc != 1 || rs != 1); i++) {
		if (rc != 1 && (rc = SSL_do_handshake(c)) <= 0 &&
		    !want_io(c, rc))
			return -1;
		if (rs != 1 && (rs = SSL_do_handshake(s)) <= 0 &&
		    !want_io(s, rs))
			return -2;
	}
	return rc == 1 && rs == 1 ? 0 : -3;
}

/* A server and a client from the same PKI, the client with cli.crt. */
struct pair {
	struct tls_ctx		*srv, *cli;
	struct tls_policy	*cpol;
	SSL			*s, *c;
};

static void
pair_init(struct pair *pr, const struct conf_options *so,
    const struct conf_options *co, const char *host)
{
	char err[TLS_ERRLEN];
	struct conf_action a;

	memset(pr, 0, sizeof(*pr));
	pr->srv = ctx_ok(so, TLS_CTX_SERVER);
	pr->cli = ctx_ok(co, TLS_CTX_CLIENT);
	memset(&a, 0, sizeof(a));
	a.type = ACT_TLS;
	a.target = (char *)(uintptr_t)host;
	a.tls_verify = -1;
	pr->cpol = tls_policy_client(co, &a, err, sizeof(err));
	ATF_REQUIRE_MSG(pr->cpol != NULL, "%s", err);
	ATF_REQUIRE((pr->s = SSL_new(pr->srv->server)) != NULL);
	ATF_REQUIRE((pr->c = SSL_new(pr->cli->client)) != NULL);
}

static void
pair_free(struct pair *pr)
{
	SSL_free(pr->s);
	SSL_free(pr->c);
	tls_policy_free(pr->cpol);
	tls_ctx_free(pr->srv);
	tls_ctx_free(pr->cli);
	ERR_clear_error();
}

ATF_TC_WITHOUT_HEAD(handshake_mutual);
ATF_TC_BODY(handshake_mutual, tc)
{
	struct conf_options so, co;
	struct tls_verdict v;
	struct pair pr;
	struct pki p;
	char line[2048];

	pki_init(&p);
	opts_init(&so, true);
	opts_init(&co, false);
	pair_init(&pr, &so, &co, "logs.example.com");
	ATF_REQUIRE_EQ(handshake(pr.c, pr.s), 0);
	ATF_CHECK_EQ(SSL_version(pr.s), TLS1_3_VERSION);

	tls_policy_check_ssl(pr.srv->policy, pr.s, &v);
	ATF_CHECK_MSG(v.accept, "%s", v.rule);
	ATF_CHECK_STREQ("valid chain", v.rule);
	ATF_CHECK_STREQ("CN=client.example.com,O=syslogd test", v.subject);
	tls_verdict_line(&v, TLS_ROLE_SERVER, "192.0.2.7", line, sizeof(line));
	CHECK_HAS(line, "accepted incoming TLS connection from 192.0.2.7 "
	    "(subject \"CN=client.example.com,O=syslogd test\", SHA256:");
	CHECK_HAS(line, "): valid chain");

	tls_policy_check_ssl(pr.cpol, pr.c, &v);
	ATF_CHECK_MSG(v.accept, "%s", v.rule);
	ATF_CHECK_STREQ("name logs.example.com matched SAN "
	    "DNS:logs.example.com", v.rule);
	tls_verdict_line(&v, TLS_ROLE_CLIENT, "logs.example.com:6514", line,
	    sizeof(line));
	CHECK_HAS(line, "accepted outgoing TLS connection to "
	    "logs.example.com:6514 (subject \"CN=logs.example.com");
	pair_free(&pr);

	/* the wrong name: the handshake completes, the policy refuses */
	pair_init(&pr, &so, &co, "logs.example.net");
	ATF_REQUIRE_EQ(handshake(pr.c, pr.s), 0);
	tls_policy_check_ssl(pr.cpol, pr.c, &v);
	ATF_CHECK(!v.accept);
	CHECK_HAS(v.rule, "name mismatch: wanted logs.example.net");
	tls_verdict_line(&v, TLS_ROLE_CLIENT, "logs.example.net", line,
	    sizeof(line));
	CHECK_HAS(line, "rejected outgoing TLS connection to logs.example.net");
	pair_free(&pr);

	/* TLS 1.2 works too */
	co.tls_ciphers = "ECDHE+AESGCM";
	pair_init(&pr, &so, &co, "logs.example.com");
	ATF_REQUIRE(SSL_set_max_proto_version(pr.c, TLS1_2_VERSION) == 1);
	ATF_REQUIRE_EQ(handshake(pr.c, pr.s), 0);
	ATF_CHECK_EQ(SSL_version(pr.s), TLS1_2_VERSION);
	tls_policy_check_ssl(pr.srv->policy, pr.s, &v);
	ATF_CHECK_MSG(v.accept, "%s", v.rule);
	pair_free(&pr);
	pki_free(&p);
}

/* The verify callback lets the handshake finish and keeps the error. */
ATF_TC_WITHOUT_HEAD(handshake_bad_peer);
ATF_TC_BODY(handshake_bad_peer, tc)
{
	struct conf_options so, co;
	struct tls_verdict v;
	struct pair pr;
	struct pki p;
	char line[2048];

	pki_init(&p);
	write_cert("revoked.crt", p.revoked);
	opts_init(&so, true);
	opts_init(&co, false);
	co.tls_cert = "revoked.crt";
	pair_init(&pr, &so, &co, "logs.example.com");
	ATF_REQUIRE_EQ(handshake(pr.c, pr.s), 0);
	ATF_CHECK_EQ(tls_chain_result(pr.s), X509_V_ERR_CERT_REVOKED);
	tls_policy_check_ssl(pr.srv->policy, pr.s, &v);
	ATF_CHECK(!v.accept);
	ATF_CHECK_STREQ("certificate revoked", v.rule);
	tls_verdict_line(&v, TLS_ROLE_SERVER, "192.0.2.8", line, sizeof(line));
	CHECK_HAS(line, "rejected incoming TLS connection from 192.0.2.8 "
	    "(subject \"CN=revoked.example.com");
	CHECK_HAS(line, "): certificate revoked");
	pair_free(&pr);

	/* a self-signed server: the client's chain result says so */
	co.tls_cert = "cli.crt";
	so.tls_cert = "self.pem";
	pair_init(&pr, &so, &co, "logs.example.com");
	ATF_REQUIRE_EQ(handshake(pr.c, pr.s), 0);
	ATF_CHECK_EQ(tls_chain_result(pr.c),
	    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	tls_policy_check_ssl(pr.cpol, pr.c, &v);
	ATF_CHECK(!v.accept);
	ATF_CHECK_STREQ(X509_verify_cert_error_string(
	    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT), v.rule);
	pair_free(&pr);
	pki_free(&p);
}

ATF_TC_WITHOUT_HEAD(handshake_no_client_cert);
ATF_TC_BODY(handshake_no_client_cert, tc)
{
	struct conf_options so;
	struct tls_verdict v;
	struct tls_ctx *t;
	struct pki p;
	SSL_CTX *anon;
	SSL *s, *c;

	pki_init(&p);
	/* a client with no certificate at all */
	ATF_REQUIRE((anon = SSL_CTX_new(TLS_client_method())) != NULL);
	SSL_CTX_set_verify(anon, SSL_VERIFY_NONE, NULL);

	opts_init(&so, true);
	t = ctx_ok(&so, TLS_CTX_SERVER);
	ATF_REQUIRE((s = SSL_new(t->server)) != NULL);
	ATF_REQUIRE((c = SSL_new(anon)) != NULL);
	ATF_CHECK_EQ(handshake(c, s), -2);	/* verify=on: refused */
	SSL_free(s);
	SSL_free(c);
	tls_ctx_free(t);
	ERR_clear_error();

	so.tls_verify = TLS_VERIFY_OPT;
	t = ctx_ok(&so, TLS_CTX_SERVER);
	ATF_REQUIRE((s = SSL_new(t->server)) != NULL);
	ATF_REQUIRE((c = SSL_new(anon)) != NULL);
	ATF_REQUIRE_EQ(handshake(c, s), 0);
	tls_policy_check_ssl(t->policy, s, &v);
	ATF_CHECK(v.accept);
	ATF_CHECK_STREQ("no certificate, verify=opt", v.rule);
	ATF_CHECK_STREQ("", v.fingerprint);
	SSL_free(s);
	SSL_free(c);
	tls_ctx_free(t);
	SSL_CTX_free(anon);
	pki_free(&p);
}

static int tickets;

static int
count_ticket(SSL *ssl, SSL_SESSION *sess)
{
	tickets++;
	return 0;	/* we did not keep a reference */
}

/* Returns how many session tickets a client receives from server. */
static int
tickets_from(SSL_CTX *server)
{
	SSL_CTX *cctx;
	SSL *s, *c;
	char buf[8];

	ATF_REQUIRE((cctx = SSL_CTX_new(TLS_client_method())) != NULL);
	SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(cctx, count_ticket);
	ATF_REQUIRE((s = SSL_new(server)) != NULL);
	ATF_REQUIRE((c = SSL_new(cctx)) != NULL);
	SSL_set_verify(s, SSL_VERIFY_NONE, NULL);
	tickets = 0;
	ATF_REQUIRE_EQ(handshake(c, s), 0);
	/* the client reads; tickets, if any, arrive before the data */
	ATF_REQUIRE_EQ(SSL_write(s, "x", 1), 1);
	ATF_REQUIRE_EQ(SSL_read(c, buf, sizeof(buf)), 1);
	SSL_free(s);
	SSL_free(c);
	SSL_CTX_free(cctx);
	return tickets;
}

ATF_TC_WITHOUT_HEAD(no_session_tickets);
ATF_TC_BODY(no_session_tickets, tc)
{
	struct conf_options so;
	struct tls_ctx *t;
	struct pki p;
	SSL_CTX *plain;

	pki_init(&p);
	/* control: OpenSSL's default server sends tickets */
	ATF_REQUIRE((plain = SSL_CTX_new(TLS_server_method())) != NULL);
	ATF_REQUIRE(SSL_CTX_use_certificate(plain, p.srv) == 1);
	ATF_REQUIRE(SSL_CTX_use_PrivateKey(plain, p.key) == 1);
	ATF_CHECK(tickets_from(plain) > 0);
	SSL_CTX_free(plain);

	opts_init(&so, true);
	so.tls_verify = TLS_VERIFY_OFF;
	t = ctx_ok(&so, TLS_CTX_SERVER);
	ATF_CHECK_EQ(tickets_from(t->server), 0);
	tls_ctx_free(t);
	pki_free(&p);
}

/* ---- syslogd -I ---------------------------------------------------- */

static void
read_all(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ATF_REQUIRE(f != NULL);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

ATF_TC_WITHOUT_HEAD(print_identity);
ATF_TC_BODY(print_identity, tc)
{
	struct tls_identity id = { "host.example.org", NULL };
	struct conf_options o;
	char out[4096], err[TLS_ERRLEN], *line, *save = NULL;
	int nfp = 0;
	X509 *x;
	FILE *f;

	memset(&o, 0, sizeof(o));
	o.tls_key = "id.key";
	o.tls_cert = "id.crt";
	ATF_REQUIRE((f = fopen("out.txt", "w")) != NULL);
	ATF_CHECK(tls_print_identity(f, &o, false, &id, err,
	    sizeof(err)) == -1);
	CHECK_HAS(err, "tls_gen_cert");
	ATF_CHECK_MSG(tls_print_identity(f, &o, true, &id, err,
	    sizeof(err)) == 0, "%s", err);
	fclose(f);
	read_all("out.txt", out, sizeof(out));
	CHECK_HAS(out, "note:        generated EC P-256 key id.key");
	CHECK_HAS(out, "tls_cert:    id.crt\n");
	CHECK_HAS(out, "subject:     CN=host.example.org\n");
	CHECK_HAS(out, "names:       DNS:host.example.org\n");
	CHECK_HAS(out, "not before:  20");
	CHECK_HAS(out, "not after:   20");

	/* every printed fingerprint is accepted as configuration */
	x = read_cert("id.crt");
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "fingerprint: ", 13) != 0)
			continue;
		ATF_CHECK_MSG(fp_matches(line + 13, x), "%s", line);
		nfp++;
	}
	ATF_CHECK_EQ(nfp, 2);

	/* again: nothing generated, the same certificate */
	ATF_REQUIRE((f = fopen("out2.txt", "w")) != NULL);
	ATF_CHECK(tls_print_identity(f, &o, true, &id, err, sizeof(err)) == 0);
	fclose(f);
	read_all("out2.txt", out, sizeof(out));
	ATF_CHECK(strstr(out, "note:") == NULL);
	{
		char fp[TLSID_FP_STRLEN], want[TLSID_FP_STRLEN + 16];

		fp_of(x, NID_sha1, fp, sizeof(fp));
		snprintf(want, sizeof(want), "fingerprint: %s\n", fp);
		CHECK_HAS(out, want);
		fp_of(x, NID_sha256, fp, sizeof(fp));
		snprintf(want, sizeof(want), "fingerprint: %s\n", fp);
		CHECK_HAS(out, want);
	}
	X509_free(x);
}

ATF_TC_WITHOUT_HEAD(error_text);
ATF_TC_BODY(error_text, tc)
{
	char buf[256];

	/* an empty queue still gives text */
	ERR_clear_error();
	ATF_CHECK_STREQ("unknown error", tls_error(buf, sizeof(buf)));
	ERR_raise(ERR_LIB_PEM, PEM_R_NO_START_LINE);
	tls_error(buf, sizeof(buf));
	CHECK_HAS(buf, "no start line");
	CHECK_NULLFREE(buf);
	ATF_CHECK_EQ(ERR_peek_error(), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, fp_format);
	ATF_TP_ADD_TC(tp, fp_labels);
	ATF_TP_ADD_TC(tp, fp_hex_forms);
	ATF_TP_ADD_TC(tp, fp_whole);
	ATF_TP_ADD_TC(tp, fp_errors);
	ATF_TP_ADD_TC(tp, fp_roundtrip);
	ATF_TP_ADD_TC(tp, dns_match);
	ATF_TP_ADD_TC(tp, name_exact);
	ATF_TP_ADD_TC(tp, name_wildcard);
	ATF_TP_ADD_TC(tp, name_ip);
	ATF_TP_ADD_TC(tp, name_cn_fallback);
	ATF_TP_ADD_TC(tp, name_nul);
	ATF_TP_ADD_TC(tp, subject_patterns);
	ATF_TP_ADD_TC(tp, summary);
	ATF_TP_ADD_TC(tp, gen_cert);
	ATF_TP_ADD_TC(tp, gen_errors);
	ATF_TP_ADD_TC(tp, gen_by_ctx);
	ATF_TP_ADD_TC(tp, local_addrs);
	ATF_TP_ADD_TC(tp, ctx_errors);
	ATF_TP_ADD_TC(tp, ctx_settings);
	ATF_TP_ADD_TC(tp, policy_server);
	ATF_TP_ADD_TC(tp, policy_client);
	ATF_TP_ADD_TC(tp, handshake_mutual);
	ATF_TP_ADD_TC(tp, handshake_bad_peer);
	ATF_TP_ADD_TC(tp, handshake_no_client_cert);
	ATF_TP_ADD_TC(tp, no_session_tickets);
	ATF_TP_ADD_TC(tp, print_identity);
	ATF_TP_ADD_TC(tp, error_text);
	return atf_no_error();
}
