/*
 * DSA keys and signatures in RFC 5848's OpenPGP form, built and read
 * through EVP_PKEY_fromdata (OpenSSL 3, which the rest of syslogd needs
 * too), not through the DSA structure OpenSSL 3 deprecates.
 */
#include "signkey.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/dsa.h>
#include <openssl/x509.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "signfmt.h"
#include "tlsid.h"

#define BLOB_MAX	4096	/* binary key blob: four 4096-bit MPIs at most */

/* p, q, g of a named group, taken from OpenSSL's DH tables. */
static EVP_PKEY *
dsa_params(void)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *dh = NULL, *params = NULL;
	BIGNUM *p = NULL, *q = NULL, *g = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *ps = NULL;
	OSSL_PARAM named[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
		    (char *)"dh_2048_256", 0),
		OSSL_PARAM_construct_end()
	};

	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &dh, EVP_PKEY_KEY_PARAMETERS, named) <= 0 ||
	    !EVP_PKEY_get_bn_param(dh, OSSL_PKEY_PARAM_FFC_P, &p) ||
	    !EVP_PKEY_get_bn_param(dh, OSSL_PKEY_PARAM_FFC_Q, &q) ||
	    !EVP_PKEY_get_bn_param(dh, OSSL_PKEY_PARAM_FFC_G, &g))
		goto out;
	EVP_PKEY_CTX_free(ctx);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) ||
	    (ps = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &params, EVP_PKEY_KEY_PARAMETERS, ps) <= 0)
		params = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(dh);
	OSSL_PARAM_free(ps);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(q);
	BN_free(g);
	return params;
}

EVP_PKEY *
signkey_generate(void)
{
	EVP_PKEY *params = dsa_params(), *k = NULL;
	EVP_PKEY_CTX *ctx;

	if (params == NULL)
		return NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &k) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return k;
}

/* p, q, g, y; the caller frees them. */
static bool
key_numbers(EVP_PKEY *k, BIGNUM *n[4])
{
	static const char *const names[4] = { OSSL_PKEY_PARAM_FFC_P,
	    OSSL_PKEY_PARAM_FFC_Q, OSSL_PKEY_PARAM_FFC_G,
	    OSSL_PKEY_PARAM_PUB_KEY };

	for (int i = 0; i < 4; i++)
		if (!EVP_PKEY_get_bn_param(k, names[i], &n[i]))
			return false;
	return true;
}

static EVP_PKEY *
key_from_numbers(BIGNUM *n[4])
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *ps = NULL;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, n[0]) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, n[1]) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, n[2]) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, n[3]) ||
	    (ps = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, ps) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(ps);
	OSSL_PARAM_BLD_free(bld);
	return k;
}

/* Appends n as an MPI; returns the new length, or 0 when it does not fit. */
static size_t
put_mpi(const BIGNUM *n, unsigned char *out, size_t len, size_t cap)
{
	unsigned char be[BLOB_MAX];
	int blen = BN_num_bytes(n);
	size_t m;

	if (blen < 0 || (size_t)blen > sizeof(be))
		return 0;
	BN_bn2bin(n, be);
	if ((m = sign_mpi(be, (size_t)blen, out + len, cap - len)) == 0)
		return 0;
	return len + m;
}

size_t
signkey_blob(EVP_PKEY *k, char *out, size_t cap)
{
	BIGNUM *n[4] = { NULL, NULL, NULL, NULL };
	unsigned char bin[BLOB_MAX];
	size_t len = 0, r = 0;

	if (key_numbers(k, n)) {
		for (int i = 0; i < 4 && (i == 0 || len > 0); i++)
			len = put_mpi(n[i], bin, len, sizeof(bin));
		if (len > 0)
			r = sign_b64(bin, len, out, cap);
	}
	for (int i = 0; i < 4; i++)
		BN_free(n[i]);
	return r;
}

size_t
signkey_sign(EVP_PKEY *k, const void *data, size_t len, char *sig, size_t cap)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	unsigned char der[256], mpis[256];
	const unsigned char *dp = der;
	size_t derlen = sizeof(der), mlen = 0, r = 0;
	const BIGNUM *br, *bs;
	DSA_SIG *ds = NULL;

	if (mctx == NULL ||
	    EVP_DigestSignInit(mctx, NULL, EVP_sha256(), NULL, k) <= 0 ||
	    EVP_DigestSign(mctx, der, &derlen, data, len) <= 0 ||
	    (ds = d2i_DSA_SIG(NULL, &dp, (long)derlen)) == NULL)
		goto out;
	DSA_SIG_get0(ds, &br, &bs);
	if ((mlen = put_mpi(br, mpis, 0, sizeof(mpis))) > 0 &&
	    (mlen = put_mpi(bs, mpis, mlen, sizeof(mpis))) > 0)
		r = sign_b64(mpis, mlen, sig, cap);
out:
	DSA_SIG_free(ds);
	EVP_MD_CTX_free(mctx);
	return r;
}

bool
signkey_verify(EVP_PKEY *k, int hash, const void *data, size_t len,
    const char *sig, size_t siglen)
{
	unsigned char bin[256], *der = NULL;
	const unsigned char *p = bin, *rv, *sv;
	size_t rl, sl;
	long n = sign_unb64(sig, siglen, bin, sizeof(bin));
	BIGNUM *br = NULL, *bs = NULL;
	DSA_SIG *ds = NULL;
	EVP_MD_CTX *mctx = NULL;
	int derlen;
	bool ok = false;

	if (n < 0 || !sign_mpi_read(&p, bin + n, &rv, &rl) ||
	    !sign_mpi_read(&p, bin + n, &sv, &sl) || p != bin + n)
		return false;
	if ((br = BN_bin2bn(rv, (int)rl, NULL)) == NULL ||
	    (bs = BN_bin2bn(sv, (int)sl, NULL)) == NULL ||
	    (ds = DSA_SIG_new()) == NULL || !DSA_SIG_set0(ds, br, bs))
		goto out;
	br = bs = NULL;
	if ((derlen = i2d_DSA_SIG(ds, &der)) <= 0 ||
	    (mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(mctx, NULL, hash == 1 ? EVP_sha1() :
	    EVP_sha256(), NULL, k) <= 0)
		goto out;
	ok = EVP_DigestVerify(mctx, der, (size_t)derlen, data, len) == 1;
out:
	BN_free(br);
	BN_free(bs);
	DSA_SIG_free(ds);
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	return ok;
}

static EVP_PKEY *
key_from_mpis(const unsigned char *b, size_t len)
{
	const unsigned char *p = b, *v;
	BIGNUM *n[4] = { NULL, NULL, NULL, NULL };
	EVP_PKEY *k = NULL;
	size_t vl;
	int i;

	for (i = 0; i < 4; i++) {
		if (!sign_mpi_read(&p, b + len, &v, &vl) ||
		    (n[i] = BN_bin2bn(v, (int)vl, NULL)) == NULL)
			break;
	}
	if (i == 4 && p == b + len)
		k = key_from_numbers(n);
	for (i = 0; i < 4; i++)
		BN_free(n[i]);
	return k;
}

EVP_PKEY *
signkey_from_payload(const char *payload, size_t len)
{
	const char *sp = memchr(payload, ' ', len), *blob;
	unsigned char bin[BLOB_MAX];
	const unsigned char *p = bin;
	EVP_PKEY *k = NULL;
	X509 *x;
	long n;

	/* "TIMESTAMP TYPE BLOB" */
	if (sp == NULL || (size_t)(sp - payload) + 3 > len || sp[2] != ' ')
		return NULL;
	blob = sp + 3;
	n = sign_unb64(blob, len - (size_t)(blob - payload), bin, sizeof(bin));
	if (n <= 0)
		return NULL;
	switch (sp[1]) {
	case 'K':
		/* NetBSD sends a DER SubjectPublicKeyInfo, a SEQUENCE */
		if (bin[0] == 0x30)
			k = d2i_PUBKEY(NULL, &p, n);
		else
			k = key_from_mpis(bin, (size_t)n);
		break;
	case 'C':
		if ((x = d2i_X509(NULL, &p, n)) != NULL) {
			k = X509_get_pubkey(x);
			X509_free(x);
		}
		break;
	}
	return k;
}

bool
signkey_fingerprint(EVP_PKEY *k, char *out, size_t cap)
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(k, &der);
	struct tlsid_fp fp = { NID_sha256, 0, { 0 } };

	if (len <= 0 || !EVP_Digest(der, (size_t)len, fp.md, &fp.len,
	    EVP_sha256(), NULL)) {
		OPENSSL_free(der);
		return false;
	}
	OPENSSL_free(der);
	/* Printed as TLS fingerprints are, "SHA256:AB:..." */
	tlsid_fp_format(&fp, out, cap);
	return cap >= SIGNKEY_FP_MAX;	/* the text and its NUL */
}
