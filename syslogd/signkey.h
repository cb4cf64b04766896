/*
 * RFC 5848 signature scheme 1, "OpenPGP DSA": the key, its key blob and
 * the signatures, with OpenSSL.  Keys and signatures travel in OpenPGP
 * form (RFC 4880 5.5.2 and 5.2.2): the key blob of type 'K' is the
 * MPIs p, q, g, y and a SIGN value the MPIs r, s, each in base64.
 * No I/O and no state beyond the EVP_PKEY the caller holds.
 */
#ifndef SYSLOGD_SIGNKEY_H
#define SYSLOGD_SIGNKEY_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

/* Room for the printed fingerprint, "SHA256:" and 32 "XX:" groups. */
#define SIGNKEY_FP_MAX	(7 + 32 * 3)

/*
 * A new DSA key in the 2048-bit group with a 256-bit subgroup of RFC
 * 5114 (OpenSSL's "dh_2048_256"): only the key pair is generated, not
 * the domain parameters, which would take seconds.  NULL on failure.
 */
EVP_PKEY	*signkey_generate(void);
/* The key blob of type 'K', base64.  Returns the length, 0 on failure. */
size_t		 signkey_blob(EVP_PKEY *k, char *out, size_t cap);
/* Signs len octets with SHA-256; the SIGN value, base64 (0: failed). */
size_t		 signkey_sign(EVP_PKEY *k, const void *data, size_t len,
		    char *sig, size_t cap);
/* Checks a SIGN value over data with hash 1 (SHA-1) or 2 (SHA-256). */
bool		 signkey_verify(EVP_PKEY *k, int hash, const void *data,
		    size_t len, const char *sig, size_t siglen);
/*
 * The key in a Payload Block "TIMESTAMP TYPE BLOB": type 'K' (OpenPGP
 * MPIs, or a DER SubjectPublicKeyInfo as NetBSD sends) or 'C' (an X.509
 * certificate, DER).  NULL when there is none we can use.
 */
EVP_PKEY	*signkey_from_payload(const char *payload, size_t len);
/* "SHA256:AB:CD:..." of the DER SubjectPublicKeyInfo; false on failure. */
bool		 signkey_fingerprint(EVP_PKEY *k, char *out, size_t cap);

#endif
