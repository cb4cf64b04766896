/*
 * TLS peer identity: certificate fingerprints and RFC 6125 name matching.
 * Pure: takes X509 objects and strings, opens no file and no socket.
 *
 * Fingerprints
 *   Printed as LABEL ":" HEX, where LABEL is OpenSSL's short name of the
 *   digest in upper case (SHA1, SHA256, SHA512, SHA3-256, ...) and HEX is
 *   upper-case hex, two digits per byte, bytes joined by ":":
 *	SHA256:AB:CD:...:EF
 *   This is also the form `openssl x509 -fingerprint -sha256` prints after
 *   its "=".  Parsed input is more liberal:
 *   - LABEL: any OpenSSL digest name or alias, or an IANA "Hash Function
 *     Textual Name" (sha-1, sha-256, ...), in any case: SHA1, sha1, SHA-1,
 *     sha-256, SHA256, sha512, SHA3-256 ...  Extendable-output functions
 *     (SHAKE) are refused: a fingerprint needs a fixed size.
 *   - HEX: either case, either with ":" between every byte (each byte
 *     exactly two digits) or as plain contiguous hex; not a mix.
 *   - the number of bytes must be exactly the digest size: a fingerprint
 *     is always compared whole, never as a prefix.
 *
 * Names (RFC 6125, section 6)
 *   A reference name (a destination host, a subject= value) is compared
 *   with the names a certificate presents:
 *   - an IPv4 or IPv6 address (inet_pton; brackets are allowed) is
 *     compared, as octets, with iPAddress subjectAltNames only;
 *   - any other name is compared, ASCII case-insensitively and in full,
 *     with every dNSName subjectAltName; the subject's CN entries are
 *     consulted only when the certificate has no dNSName at all;
 *   - a presented name may have a wildcard only as its entire left-most
 *     label, followed by at least two labels: "*.example.com" matches
 *     "a.example.com", but not "a.b.example.com" nor "example.com"; "*",
 *     "*.com", "a*.example.com" and "a.*.example.com" match nothing;
 *   - one trailing dot on either side is ignored.
 *   A subject pattern (tls_allow_subjects) is the other way round: the
 *   configured PATTERN may be "*.example.com" and the certificate's names
 *   are taken literally (a certificate name containing "*" never matches
 *   a pattern: a wildcard does not identify one client).
 *
 * Text produced for log lines has every byte outside printable ASCII,
 * and '"', escaped as \xNN, so that a hostile certificate can neither end
 * a quoted field nor forge a log line.
 */
#ifndef SYSLOGD_TLSID_H
#define SYSLOGD_TLSID_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Room for the longest printed fingerprint: label, ':', 64 bytes. */
#define TLSID_FP_STRLEN	(24 + 3 * EVP_MAX_MD_SIZE)

struct tlsid_fp {
	int		nid;			/* digest, e.g. NID_sha256 */
	unsigned int	len;			/* bytes used in md */
	unsigned char	md[EVP_MAX_MD_SIZE];
};

/*
 * Parses a configured fingerprint (syntax above).  Returns 0, or -1 with
 * a message without file or line ("unknown digest algorithm \"XYZ\"")
 * in err.
 */
int	tlsid_fp_parse(const char *s, struct tlsid_fp *fp, char *err,
	    size_t errlen);
/* Computes cert's fingerprint with digest nid.  Returns 0 or -1. */
int	tlsid_fp_cert(X509 *cert, int nid, struct tlsid_fp *fp);
/* Prints fp in the canonical form, e.g. "SHA256:AB:...". */
void	tlsid_fp_format(const struct tlsid_fp *fp, char *buf, size_t len);
/* cert's fingerprint with digest nid, printed; "" if it cannot be made. */
void	tlsid_fp_string(X509 *cert, int nid, char *buf, size_t len);
/* True when both have the same digest and the same full value. */
bool	tlsid_fp_equal(const struct tlsid_fp *a, const struct tlsid_fp *b);
/* True when cert's fingerprint under fp's digest is fp. */
bool	tlsid_fp_match(const struct tlsid_fp *fp, X509 *cert);

/*
 * Compares one presented DNS name (which may be "*.example.com") with one
 * literal name.  The building block of the two functions below.
 */
bool	tlsid_dns_match(const char *presented, const char *name);
/*
 * Is ref (a host name or an address) one of cert's identities?  On a
 * match, how receives e.g. "SAN DNS:host.example.com" or "CN host".
 * ref is literal: a "*" in it matches nothing.
 */
bool	tlsid_check_name(X509 *cert, const char *ref, char *how,
	    size_t howlen);
/*
 * Does one of cert's names fall under pattern ("*.example.com",
 * "host.example.com", "192.0.2.1")?  how as for tlsid_check_name.
 */
bool	tlsid_check_pattern(X509 *cert, const char *pattern, char *how,
	    size_t howlen);
/*
 * Validates a subject pattern for the configuration parser.  Returns 0,
 * or -1 with a message in err ("wildcard must be the whole left-most
 * label of at least three").
 */
int	tlsid_pattern_valid(const char *pattern, char *err, size_t errlen);

/* Subject distinguished name on one line, RFC 2253 order ("CN=a,O=b"). */
void	tlsid_subject(X509 *cert, char *buf, size_t len);
/* The first CN of the subject, or "" if there is none. */
void	tlsid_first_cn(X509 *cert, char *buf, size_t len);
/*
 * The names that name matching looks at: "DNS:a, DNS:b, IP:192.0.2.1",
 * plus "CN=c" entries when there is no dNSName; "no names" when empty.
 */
void	tlsid_names(X509 *cert, char *buf, size_t len);
/* subject "...", CN "...", names ... : one string for a log line. */
void	tlsid_summary(X509 *cert, char *buf, size_t len);

#endif
