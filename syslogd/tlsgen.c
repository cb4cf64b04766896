/*
 * Self-signed key and certificate for tls_gen_cert (RFC 5425 section
 * 4.2 asks every implementation to be able to make one), and the local
 * addresses to name in it.
 */
#include "tls.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "strutil.h"

#ifndef X509_VERSION_3
#define X509_VERSION_3	2		/* the encoded value of "v3" */
#endif

static int
gen_fail(char *err, size_t errlen, const char *what)
{
	char buf[TLS_ERRLEN];

	snprintf(err, errlen, "generating a certificate: %s: %s", what,
	    tls_error(buf, sizeof(buf)));
	return -1;
}

static int
add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_nconf_nid(NULL, &v3, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

/* Adds one SAN: an iPAddress if s parses as an address, else a dNSName. */
static int
add_san(GENERAL_NAMES *gens, const char *s, bool dns_ok)
{
	GENERAL_NAME *gn;
	ASN1_OCTET_STRING *ip;
	ASN1_IA5STRING *ia5;

	if ((gn = GENERAL_NAME_new()) == NULL)
		return -1;
	if ((ip = a2i_IPADDRESS(s)) != NULL)
		GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
	else if (dns_ok && (ia5 = ASN1_IA5STRING_new()) != NULL) {
		if (ASN1_STRING_set(ia5, s, -1) != 1) {
			ASN1_IA5STRING_free(ia5);
			GENERAL_NAME_free(gn);
			return -1;
		}
		GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
	} else {
		GENERAL_NAME_free(gn);
		return -1;
	}
	if (sk_GENERAL_NAME_push(gens, gn) == 0) {
		GENERAL_NAME_free(gn);
		return -1;
	}
	return 0;
}

/*
 * The CN holds at most 64 characters (RFC 5280 ub-common-name); a longer
 * host name is still complete in the dNSName, the CN gets its first label.
 */
static void
common_name(const char *host, char *buf, size_t len)
{
	size_t n = strlen(host);

	if (n > 64)
		n = strcspn(host, ".");
	if (n > 64)
		n = 64;
	if (n >= len)
		n = len - 1;
	memcpy(buf, host, n);
	buf[n] = '\0';
}

int
tls_make_cert(const struct tls_identity *id, EVP_PKEY **keyp, X509 **certp,
    char *err, size_t errlen)
{
	unsigned char rnd[16];
	char cn[65];
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	X509_NAME *name;
	BIGNUM *bn = NULL;
	GENERAL_NAMES *gens = NULL;
	const char *what;

	*keyp = NULL;
	*certp = NULL;
	if (id == NULL || id->host == NULL || id->host[0] == '\0') {
		snprintf(err, errlen, "generating a certificate: no host name");
		return -1;
	}
	what = "EC P-256 key";
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
		goto bad;
	what = "certificate";
	if ((x = X509_new()) == NULL || X509_set_version(x, X509_VERSION_3) != 1)
		goto bad;
	/* Positive, 16 octets, 126 random bits: unique without a registry. */
	what = "serial number";
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto bad;
	rnd[0] = (rnd[0] & 0x3f) | 0x40;
	if ((bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto bad;
	/* An hour back, so that a peer whose clock is behind accepts it. */
	what = "validity";
	if (X509_gmtime_adj(X509_getm_notBefore(x), -3600) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), TLS_GEN_DAYS, 0, NULL)
	    == NULL)
		goto bad;
	what = "subject";
	common_name(id->host, cn, sizeof(cn));
	name = X509_get_subject_name(x);
	if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, name) != 1 || X509_set_pubkey(x, pkey) != 1)
		goto bad;
	what = "extensions";
	if (add_ext(x, NID_basic_constraints, "critical,CA:FALSE") == -1 ||
	    add_ext(x, NID_key_usage, "critical,digitalSignature") == -1 ||
	    add_ext(x, NID_ext_key_usage, "serverAuth,clientAuth") == -1 ||
	    add_ext(x, NID_subject_key_identifier, "hash") == -1)
		goto bad;
	what = "subjectAltName";
	if ((gens = sk_GENERAL_NAME_new_null()) == NULL ||
	    add_san(gens, id->host, true) == -1)
		goto bad;
	for (size_t i = 0; id->addrs != NULL && i < id->addrs->n; i++)
		if (add_san(gens, id->addrs->v[i], false) == -1) {
			snprintf(err, errlen, "generating a certificate: "
			    "\"%s\" is not an IP address", id->addrs->v[i]);
			ERR_clear_error();
			goto out;
		}
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) != 1)
		goto bad;
	what = "signature";
	if (X509_sign(x, pkey, EVP_sha256()) <= 0)
		goto bad;
	GENERAL_NAMES_free(gens);
	BN_free(bn);
	*keyp = pkey;
	*certp = x;
	return 0;
bad:
	gen_fail(err, errlen, what);
out:
	GENERAL_NAMES_free(gens);
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(pkey);
	return -1;
}

/*
 * Writes a PEM key or certificate to a new file next to path, created
 * with O_EXCL and mode 0600 (mkstemp), then set to mode.  The caller
 * renames it into place, so that no reader ever sees half a file.
 */
static int
write_temp(const char *path, mode_t mode, EVP_PKEY *key, X509 *cert,
    char *tmp, size_t tmplen, char *err, size_t errlen)
{
	char buf[TLS_ERRLEN];
	FILE *f;
	int fd, ok;

	if ((size_t)snprintf(tmp, tmplen, "%s.XXXXXX", path) >= tmplen) {
		snprintf(err, errlen, "%s: name too long", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "cannot create %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) == -1 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (key != NULL)
		ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	else
		ok = PEM_write_X509(f, cert);
	if (ok != 1) {
		snprintf(err, errlen, "writing %s: %s", tmp,
		    tls_error(buf, sizeof(buf)));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fflush(f) == EOF || fsync(fileno(f)) == -1) {
		snprintf(err, errlen, "writing %s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) == EOF) {
		snprintf(err, errlen, "writing %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
tls_gen_cert(const char *keyfile, const char *certfile,
    const struct tls_identity *id, char *note, size_t notelen, char *err,
    size_t errlen)
{
	char ktmp[PATH_MAX], ctmp[PATH_MAX], names[TLS_ERRLEN / 2];
	char fp[TLSID_FP_STRLEN];
	EVP_PKEY *key;
	X509 *x;
	int rc = -1;

	if (tls_make_cert(id, &key, &x, err, errlen) == -1)
		return -1;
	if (write_temp(keyfile, 0600, key, NULL, ktmp, sizeof(ktmp), err,
	    errlen) == -1)
		goto out;
	if (write_temp(certfile, 0644, NULL, x, ctmp, sizeof(ctmp), err,
	    errlen) == -1) {
		unlink(ktmp);
		goto out;
	}
	if (rename(ktmp, keyfile) == -1) {
		snprintf(err, errlen, "rename %s to %s: %s", ktmp, keyfile,
		    strerror(errno));
		unlink(ktmp);
		unlink(ctmp);
		goto out;
	}
	/* Without its certificate, the key alone would block the next try. */
	if (rename(ctmp, certfile) == -1) {
		snprintf(err, errlen, "rename %s to %s: %s", ctmp, certfile,
		    strerror(errno));
		unlink(ctmp);
		unlink(keyfile);
		goto out;
	}
	tlsid_names(x, names, sizeof(names));
	tlsid_fp_string(x, NID_sha256, fp, sizeof(fp));
	snprintf(note, notelen, "generated EC P-256 key %s and self-signed "
	    "certificate %s for %s, valid %d days, %s", keyfile, certfile,
	    names, TLS_GEN_DAYS, fp);
	rc = 0;
out:
	EVP_PKEY_free(key);
	X509_free(x);
	return rc;
}

int
tls_local_addrs(struct strlist *out, char *err, size_t errlen)
{
	struct ifaddrs *ifa, *i;
	char buf[INET6_ADDRSTRLEN];

	if (getifaddrs(&ifa) == -1) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		const void *a;

		if (i->ifa_addr == NULL || (i->ifa_flags & IFF_UP) == 0 ||
		    (i->ifa_flags & IFF_LOOPBACK) != 0)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			const struct sockaddr_in *sin =
			    (const struct sockaddr_in *)(void *)i->ifa_addr;
			uint32_t h = ntohl(sin->sin_addr.s_addr);

			/* Loopback and link-local name no reachable peer. */
			if ((h >> 24) == 127 || (h >> 16) == 0xa9fe)
				continue;
			a = &sin->sin_addr;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 =
			    (const struct sockaddr_in6 *)(void *)i->ifa_addr;

			if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
			    IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
				continue;
			a = &sin6->sin6_addr;
		} else
			continue;
		if (inet_ntop(i->ifa_addr->sa_family, a, buf, sizeof(buf)) ==
		    NULL || strlist_contains(out, buf))
			continue;
		if (strlist_add(out, buf, strlen(buf)) == -1) {
			snprintf(err, errlen, "out of memory");
			freeifaddrs(ifa);
			return -1;
		}
	}
	freeifaddrs(ifa);
	return 0;
}
