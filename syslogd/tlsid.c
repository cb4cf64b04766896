/*
 * TLS peer identity: fingerprints and RFC 6125 name matching (see
 * tlsid.h for the rules).  Nothing here opens a file or a socket.
 */
#include "tlsid.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "strutil.h"

/* Longest DNS name we look at; real ones are at most 253 octets. */
#define NAME_MAX_LEN	1024

/*
 * Appends bytes for a log line.  Everything that is not printable ASCII
 * and the double quote become \xNN: certificate strings are chosen by
 * the peer, and must not be able to end a quoted field or a log line.
 */
static void
put_safe(struct outbuf *ob, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '"')
			ob_printf(ob, "\\x%02x", s[i]);
		else
			ob_putc(ob, (char)s[i]);
	}
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII-only case folding: the locale must not change what matches. */
static bool
ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ---- fingerprints ------------------------------------------------ */

/*
 * Finds a digest by a configured label.  OpenSSL knows "sha256" and
 * "SHA256"; IANA's textual names put a hyphen after "sha" ("sha-256"),
 * which we drop.  Other hyphens are part of the name ("sha3-256").
 */
static const EVP_MD *
md_by_label(const char *label, size_t n)
{
	char name[32];
	const EVP_MD *md;

	if (n == 0 || n >= sizeof(name))
		return NULL;
	for (size_t i = 0; i < n; i++)
		name[i] = (char)lower((unsigned char)label[i]);
	name[n] = '\0';
	if ((md = EVP_get_digestbyname(name)) != NULL)
		return md;
	if (strncmp(name, "sha-", 4) == 0) {
		memmove(name + 3, name + 4, n - 3);
		md = EVP_get_digestbyname(name);
	}
	return md;
}

int
tlsid_fp_parse(const char *s, struct tlsid_fp *fp, char *err, size_t errlen)
{
	struct outbuf eb;
	const char *colon, *p;
	const EVP_MD *md;
	EVP_MD *fetched;
	bool colons;
	size_t n;
	int size;

	ob_init(&eb, err, errlen);
	memset(fp, 0, sizeof(*fp));
	if ((colon = strchr(s, ':')) == NULL || colon == s) {
		ob_puts(&eb, "fingerprint has no algorithm label "
		    "(expected e.g. SHA256:AB:CD:...)");
		return -1;
	}
	if ((md = md_by_label(s, (size_t)(colon - s))) == NULL) {
		if (colon - s == 2 && hexval(s[0]) >= 0 && hexval(s[1]) >= 0)
			ob_puts(&eb, "fingerprint has no algorithm label "
			    "(expected e.g. SHA256:AB:CD:...)");
		else {
			ob_puts(&eb, "unknown digest algorithm \"");
			put_safe(&eb, (const unsigned char *)s,
			    (size_t)(colon - s));
			ob_puts(&eb, "\" in fingerprint");
		}
		return -1;
	}
	fp->nid = EVP_MD_get_type(md);
	size = EVP_MD_get_size(md);
	if (size <= 0 || size > EVP_MAX_MD_SIZE ||
	    (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) != 0) {
		ob_printf(&eb, "digest %s has no fixed size; not usable for "
		    "fingerprints", OBJ_nid2sn(fp->nid));
		return -1;
	}
	/* Known by name but maybe not provided (legacy digests in 3.x). */
	if ((fetched = EVP_MD_fetch(NULL, OBJ_nid2sn(fp->nid), NULL)) == NULL) {
		ob_printf(&eb, "digest %s is not available", OBJ_nid2sn(fp->nid));
		return -1;
	}
	EVP_MD_free(fetched);

	p = colon + 1;
	colons = strchr(p, ':') != NULL;
	n = 0;
	if (*p == '\0') {
		ob_printf(&eb, "%s fingerprint has no hex digits",
		    OBJ_nid2sn(fp->nid));
		return -1;
	}
	while (*p != '\0') {
		int hi = hexval((unsigned char)p[0]);
		int lo = hi < 0 ? -1 : hexval((unsigned char)p[1]);

		if (hi < 0 || lo < 0) {
			ob_printf(&eb, "bad hex in %s fingerprint at byte %zu%s",
			    OBJ_nid2sn(fp->nid), n + 1, colons ?
			    " (each byte is two hex digits)" : "");
			return -1;
		}
		if (n == sizeof(fp->md)) {
			n++;
			break;
		}
		fp->md[n++] = (unsigned char)(hi << 4 | lo);
		p += 2;
		if (!colons)
			continue;
		if (*p == '\0')
			break;
		if (*p != ':' || p[1] == '\0') {
			ob_printf(&eb, "bad %s fingerprint: %s", OBJ_nid2sn(fp->nid),
			    *p == ':' ? "ends with ':'" :
			    "expected ':' between bytes, or no ':' at all");
			return -1;
		}
		p++;
	}
	if (n != (size_t)size) {
		ob_printf(&eb, "%s fingerprint needs %d bytes, got %s%zu",
		    OBJ_nid2sn(fp->nid), size, n > sizeof(fp->md) ?
		    "more than " : "", n > sizeof(fp->md) ? n - 1 : n);
		return -1;
	}
	fp->len = (unsigned int)n;
	return 0;
}

int
tlsid_fp_cert(X509 *cert, int nid, struct tlsid_fp *fp)
{
	const EVP_MD *md;

	memset(fp, 0, sizeof(*fp));
	if (cert == NULL || (md = EVP_get_digestbynid(nid)) == NULL)
		return -1;
	if (X509_digest(cert, md, fp->md, &fp->len) != 1) {
		ERR_clear_error();
		return -1;
	}
	fp->nid = nid;
	return 0;
}

void
tlsid_fp_format(const struct tlsid_fp *fp, char *buf, size_t len)
{
	struct outbuf ob;
	const char *sn;

	ob_init(&ob, buf, len);
	if ((sn = OBJ_nid2sn(fp->nid)) == NULL)
		sn = "UNKNOWN";
	for (; *sn != '\0'; sn++)
		ob_putc(&ob, *sn >= 'a' && *sn <= 'z' ? *sn - 'a' + 'A' : *sn);
	for (unsigned int i = 0; i < fp->len; i++)
		ob_printf(&ob, ":%02X", fp->md[i]);
}

void
tlsid_fp_string(X509 *cert, int nid, char *buf, size_t len)
{
	struct tlsid_fp fp;

	if (tlsid_fp_cert(cert, nid, &fp) == 0)
		tlsid_fp_format(&fp, buf, len);
	else if (len > 0)
		buf[0] = '\0';
}

bool
tlsid_fp_equal(const struct tlsid_fp *a, const struct tlsid_fp *b)
{
	return a->nid == b->nid && a->len == b->len && a->len > 0 &&
	    CRYPTO_memcmp(a->md, b->md, a->len) == 0;
}

bool
tlsid_fp_match(const struct tlsid_fp *fp, X509 *cert)
{
	struct tlsid_fp have;

	return tlsid_fp_cert(cert, fp->nid, &have) == 0 &&
	    tlsid_fp_equal(fp, &have);
}

/* ---- names --------------------------------------------------------- */

/* Drops one trailing dot: "host.example.com." is "host.example.com". */
static size_t
trim_dot(const char *s, size_t n)
{
	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

/*
 * A wildcard is the whole first label followed by at least two
 * non-empty labels: "*.example.com".
 */
static bool
wildcard_valid(const char *p, size_t n)
{
	size_t dots = 0;

	if (n < 2 || p[0] != '*' || p[1] != '.')
		return false;
	if (memchr(p + 1, '*', n - 1) != NULL)
		return false;
	for (size_t i = 2; i < n; i++) {
		if (p[i] != '.')
			continue;
		if (p[i - 1] == '.' || i + 1 == n)
			return false;		/* empty label */
		dots++;
	}
	return n > 2 && p[2] != '.' && dots >= 1;
}

static bool
dns_match(const char *p, size_t plen, const char *n, size_t nlen)
{
	const char *dot;

	plen = trim_dot(p, plen);
	nlen = trim_dot(n, nlen);
	if (plen == 0 || nlen == 0 || memchr(n, '*', nlen) != NULL)
		return false;
	if (p[0] == '*') {
		if (!wildcard_valid(p, plen))
			return false;
		/* The wildcard stands for exactly the name's first label. */
		if ((dot = memchr(n, '.', nlen)) == NULL || dot == n)
			return false;
		return nlen - (size_t)(dot - n) == plen - 1 &&
		    ieq(dot, p + 1, plen - 1);
	}
	if (memchr(p, '*', plen) != NULL)
		return false;
	return plen == nlen && ieq(p, n, plen);
}

bool
tlsid_dns_match(const char *presented, const char *name)
{
	return dns_match(presented, strlen(presented), name, strlen(name));
}

/* Parses an IPv4 or IPv6 address, optionally in brackets: 4, 16 or 0. */
static size_t
parse_ip(const char *s, unsigned char *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, buf, out) == 1)
		return 16;
	return 0;
}

static void
put_ip(struct outbuf *ob, const unsigned char *a, size_t n)
{
	char buf[INET6_ADDRSTRLEN];

	if ((n == 4 && inet_ntop(AF_INET, a, buf, sizeof(buf)) != NULL) ||
	    (n == 16 && inet_ntop(AF_INET6, a, buf, sizeof(buf)) != NULL))
		ob_puts(ob, buf);
	else
		ob_printf(ob, "<%zu octets>", n);
}

enum name_kind { NAME_DNS, NAME_IP, NAME_CN };

/* Called per name; returning true stops the walk. */
typedef bool name_fn(enum name_kind, const unsigned char *, size_t, void *);

/*
 * Walks the names that identify cert, in RFC 6125 order: dNSName and
 * iPAddress subjectAltNames, then the subject's CNs, but only when
 * there is no dNSName at all.  Returns true when fn stopped the walk.
 */
static bool
walk_names(X509 *cert, name_fn *fn, void *arg)
{
	GENERAL_NAMES *gens;
	X509_NAME *subj;
	bool have_dns = false, stop = false;
	int i;

	if (cert == NULL)
		return false;
	gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (i = 0; gens != NULL && !stop && i < sk_GENERAL_NAME_num(gens);
	    i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, i);
		const ASN1_STRING *as;
		const unsigned char *d;
		size_t len;

		if (gn->type == GEN_DNS)
			as = gn->d.dNSName;
		else if (gn->type == GEN_IPADD)
			as = gn->d.iPAddress;
		else
			continue;
		d = ASN1_STRING_get0_data(as);
		len = (size_t)ASN1_STRING_length(as);
		if (gn->type == GEN_DNS) {
			have_dns = true;
			/* An embedded NUL is an attack, not a name. */
			if (len == 0 || len > NAME_MAX_LEN ||
			    memchr(d, '\0', len) != NULL)
				continue;
			stop = fn(NAME_DNS, d, len, arg);
		} else if (len == 4 || len == 16)
			stop = fn(NAME_IP, d, len, arg);
	}
	GENERAL_NAMES_free(gens);
	if (stop || have_dns)
		return stop;

	subj = X509_get_subject_name(cert);
	i = -1;
	while (!stop &&
	    (i = X509_NAME_get_index_by_NID(subj, NID_commonName, i)) >= 0) {
		ASN1_STRING *as = X509_NAME_ENTRY_get_data(
		    X509_NAME_get_entry(subj, i));
		unsigned char *u = NULL;
		int len = ASN1_STRING_to_UTF8(&u, as);

		if (len > 0 && len <= NAME_MAX_LEN &&
		    memchr(u, '\0', (size_t)len) == NULL)
			stop = fn(NAME_CN, u, (size_t)len, arg);
		OPENSSL_free(u);
	}
	ERR_clear_error();
	return stop;
}

static void
put_name(struct outbuf *ob, enum name_kind kind, const unsigned char *d,
    size_t len)
{
	switch (kind) {
	case NAME_DNS:
		ob_puts(ob, "DNS:");
		put_safe(ob, d, len);
		break;
	case NAME_IP:
		ob_puts(ob, "IP:");
		put_ip(ob, d, len);
		break;
	case NAME_CN:
		ob_puts(ob, "CN=");
		put_safe(ob, d, len);
		break;
	}
}

struct match_arg {
	const char	*s;		/* reference name or pattern */
	size_t		 slen;
	unsigned char	 ip[16];
	size_t		 iplen;		/* 0: s is not an address */
	bool		 pattern;	/* s is the presented side */
	char		*how;
	size_t		 howlen;
};

static bool
match_one(enum name_kind kind, const unsigned char *d, size_t len, void *v)
{
	struct match_arg *m = v;
	struct outbuf ob;
	bool hit;

	if (m->iplen != 0)
		hit = kind == NAME_IP && len == m->iplen &&
		    memcmp(d, m->ip, len) == 0;
	else if (kind == NAME_IP)
		hit = false;
	else if (m->pattern)
		hit = dns_match(m->s, m->slen, (const char *)d, len);
	else
		hit = dns_match((const char *)d, len, m->s, m->slen);
	if (hit && m->how != NULL) {
		/* "SAN DNS:a.example.com", "SAN IP:192.0.2.1", "CN a" */
		ob_init(&ob, m->how, m->howlen);
		if (kind == NAME_CN) {
			ob_puts(&ob, "CN ");
			put_safe(&ob, d, len);
		} else {
			ob_puts(&ob, "SAN ");
			put_name(&ob, kind, d, len);
		}
	}
	return hit;
}

static bool
check(X509 *cert, const char *s, bool pattern, char *how, size_t howlen)
{
	struct match_arg m;

	memset(&m, 0, sizeof(m));
	if (how != NULL && howlen > 0)
		how[0] = '\0';
	m.s = s;
	m.slen = strlen(s);
	m.iplen = parse_ip(s, m.ip);
	m.pattern = pattern;
	m.how = how;
	m.howlen = howlen;
	/* A reference name is literal: "*" in it is never a wildcard. */
	if (m.iplen == 0 && !pattern && memchr(s, '*', m.slen) != NULL)
		return false;
	return walk_names(cert, match_one, &m);
}

bool
tlsid_check_name(X509 *cert, const char *ref, char *how, size_t howlen)
{
	return check(cert, ref, false, how, howlen);
}

bool
tlsid_check_pattern(X509 *cert, const char *pattern, char *how,
    size_t howlen)
{
	return check(cert, pattern, true, how, howlen);
}

int
tlsid_pattern_valid(const char *pattern, char *err, size_t errlen)
{
	struct outbuf eb;
	unsigned char ip[16];
	size_t n = strlen(pattern);

	ob_init(&eb, err, errlen);
	if (parse_ip(pattern, ip) != 0)
		return 0;
	n = trim_dot(pattern, n);
	if (n == 0 || pattern[0] == '.' || strstr(pattern, "..") != NULL) {
		ob_puts(&eb, "subject pattern \"");
		put_safe(&eb, (const unsigned char *)pattern, strlen(pattern));
		ob_puts(&eb, "\" is not a host name");
		return -1;
	}
	if (memchr(pattern, '*', n) != NULL && !wildcard_valid(pattern, n)) {
		ob_puts(&eb, "subject pattern \"");
		put_safe(&eb, (const unsigned char *)pattern, strlen(pattern));
		ob_puts(&eb, "\": a wildcard must be the whole left-most "
		    "label, followed by at least two labels (*.example.com)");
		return -1;
	}
	return 0;
}

/* ---- printable summaries ------------------------------------------- */

void
tlsid_subject(X509 *cert, char *buf, size_t len)
{
	struct outbuf ob;
	BIO *bio;
	char *data;
	long n;

	ob_init(&ob, buf, len);
	if (cert == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	/* RFC 2253 escapes control and non-ASCII bytes itself. */
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
	    XN_FLAG_RFC2253) >= 0 && (n = BIO_get_mem_data(bio, &data)) > 0)
		put_safe(&ob, (const unsigned char *)data, (size_t)n);
	BIO_free(bio);
	ERR_clear_error();
}

void
tlsid_first_cn(X509 *cert, char *buf, size_t len)
{
	struct outbuf ob;
	X509_NAME *subj;
	int i;

	ob_init(&ob, buf, len);
	if (cert == NULL)
		return;
	subj = X509_get_subject_name(cert);
	if ((i = X509_NAME_get_index_by_NID(subj, NID_commonName, -1)) >= 0) {
		unsigned char *u = NULL;
		int n = ASN1_STRING_to_UTF8(&u,
		    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i)));

		if (n > 0)
			put_safe(&ob, u, (size_t)n);
		OPENSSL_free(u);
	}
	ERR_clear_error();
}

struct list_arg {
	struct outbuf	*ob;
	bool		 with_cn;
	int		 count;
};

static bool
list_one(enum name_kind kind, const unsigned char *d, size_t len, void *v)
{
	struct list_arg *l = v;

	if (kind == NAME_CN && !l->with_cn)
		return false;
	if (l->count++ > 0)
		ob_puts(l->ob, ", ");
	put_name(l->ob, kind, d, len);
	return false;
}

static int
list_names(X509 *cert, struct outbuf *ob, bool with_cn)
{
	struct list_arg l = { ob, with_cn, 0 };

	walk_names(cert, list_one, &l);
	return l.count;
}

void
tlsid_names(X509 *cert, char *buf, size_t len)
{
	struct outbuf ob;

	ob_init(&ob, buf, len);
	if (list_names(cert, &ob, true) == 0)
		ob_puts(&ob, "no names");
}

void
tlsid_summary(X509 *cert, char *buf, size_t len)
{
	struct outbuf ob;
	char tmp[512];

	ob_init(&ob, buf, len);
	if (cert == NULL) {
		ob_puts(&ob, "no certificate");
		return;
	}
	tlsid_subject(cert, tmp, sizeof(tmp));
	ob_puts(&ob, "subject \"");
	ob_puts(&ob, tmp);
	tlsid_first_cn(cert, tmp, sizeof(tmp));
	ob_puts(&ob, "\", CN \"");
	ob_puts(&ob, tmp);
	ob_puts(&ob, "\", SAN ");
	if (list_names(cert, &ob, false) == 0)
		ob_puts(&ob, "none");
}
