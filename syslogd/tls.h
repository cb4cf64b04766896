/*
 * TLS (RFC 5425) contexts and peer policy: SSL_CTX set-up from the
 * configuration, the decision whether a peer is accepted, self-signed
 * certificate generation (tlsgen.c) and `syslogd -I`.
 *
 * Reload: everything is built into a new object.  A failure returns NULL
 * with a message naming the option, the file and OpenSSL's reason, and
 * touches nothing the caller holds, so the daemon keeps its old context.
 * SSL_CTX objects are reference counted: connections made with an old
 * context keep working after tls_ctx_free() of that context.
 *
 * Context settings (both roles)
 * - TLS 1.2 minimum (tls_min_version "1.3" raises it), highest version
 *   both sides have, so TLS 1.3 where possible.  tls_ciphers is passed to
 *   SSL_CTX_set_cipher_list() and so only restricts TLS 1.2 and lower;
 *   TLS 1.3 suites stay at OpenSSL's defaults, which are all strong.
 * - Our certificate chain (PEM, leaf first) and key (PEM, unencrypted:
 *   the password callback refuses, so an encrypted key is an error rather
 *   than a prompt on the console of a booting machine).
 * - tls_ca (file) and tls_cadir (hashed directory) are the only trust
 *   anchors; the system's default CA store is NOT used, because with
 *   tls_verify=on and no tls_allow_subjects any publicly issued
 *   certificate would then be admitted as a log sender.
 * - tls_crl (PEM, one or more CRLs, or one DER CRL) enables revocation
 *   checking of the peer's leaf certificate (X509_V_FLAG_CRL_CHECK, not
 *   CRL_CHECK_ALL: most private PKIs have no CRL for their root).  Once
 *   tls_crl is set, the file must hold a current CRL of every CA that
 *   issues peer certificates, or their chains fail with "unable to get
 *   certificate CRL".
 * - Server: no TLS 1.3 session tickets (SSL_CTX_set_num_tickets 0) and
 *   none for TLS 1.2 (SSL_OP_NO_TICKET), no session cache.  A syslog
 *   sender never reads from the connection; tickets it never read are
 *   unread data in its socket when it closes, which makes its kernel send
 *   a RST, and a RST makes our side discard received but unread records:
 *   messages are lost.
 *
 * Verification
 *   The verify callback never fails the handshake: it records the first
 *   chain error (a revocation overrides others) and tls_policy_check()
 *   decides after the handshake, so every refusal is logged with its
 *   reason.  The server asks every client for a certificate
 *   (SSL_VERIFY_PEER), also with tls_verify=off, so that its subject can
 *   be logged.  It adds SSL_VERIFY_FAIL_IF_NO_PEER_CERT only with
 *   tls_verify=on: every allow rule (fingerprint, certificate file,
 *   subject pattern, valid chain) needs a certificate, so with "on" no
 *   rule can admit an anonymous client, and refusing in the handshake
 *   sends the client a proper alert (certificate_required) that its own
 *   log will show; our log gets the handshake error.
 */
#ifndef SYSLOGD_TLS_H
#define SYSLOGD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "conf.h"
#include "tlsid.h"

/*
 * A generated certificate is valid from an hour ago (a peer's clock may
 * be behind) for this many days: about five years, long enough not to
 * expire under a forgotten host, short enough to be replaced sometime.
 */
#define TLS_GEN_DAYS		(5 * 365)

/* Enough for every error and note made here. */
#define TLS_ERRLEN		1024

/* server: we accepted the connection; client: we connected. */
enum tls_role { TLS_ROLE_SERVER, TLS_ROLE_CLIENT };

/* Who we are, for a generated certificate. */
struct tls_identity {
	const char		*host;	/* CN and dNSName (iPAddress if an address) */
	const struct strlist	*addrs;	/* more iPAddress SANs; may be NULL */
};

struct tls_policy;

struct tls_ctx {
	SSL_CTX			*server;	/* with TLS_CTX_SERVER */
	SSL_CTX			*client;	/* with TLS_CTX_CLIENT */
	X509			*cert;		/* our leaf certificate */
	struct tls_policy	*policy;	/* incoming connections */
	char			 note[TLS_ERRLEN]; /* "generated ..." or "" */
};

#define TLS_CTX_SERVER	0x1
#define TLS_CTX_CLIENT	0x2

/*
 * Builds the contexts named in roles (and, for the server, the policy
 * for incoming connections) from o; a NULL or empty tls_key or tls_cert
 * means CONF_DEFAULT_TLS_KEY or _CERT.  When neither o->tls_key nor
 * o->tls_cert exists and o->tls_gen_cert is set, a key and self-signed
 * certificate for id are generated first and ctx->note says so.
 * Returns NULL with the reason in err.
 */
struct tls_ctx	*tls_ctx_new(const struct conf_options *o, int roles,
		    const struct tls_identity *id, char *err, size_t errlen);
void		 tls_ctx_free(struct tls_ctx *tc);

/*
 * Peer policy.  The server policy comes with tls_ctx_new(); a client
 * policy is made per TLS destination (its verify= overrides tls_verify,
 * and cert= files are read now, not per connection).
 */
struct tls_policy *tls_policy_server(const struct conf_options *o, char *err,
		    size_t errlen);
struct tls_policy *tls_policy_client(const struct conf_options *o,
		    const struct conf_action *a, char *err, size_t errlen);
void		 tls_policy_free(struct tls_policy *p);

struct tls_verdict {
	bool	accept;
	char	rule[TLS_ERRLEN];	/* the rule that admitted, or the failed check */
	char	subject[512];		/* one-line subject DN, or "" */
	char	fingerprint[TLSID_FP_STRLEN]; /* SHA256:..., or "" */
};

/*
 * Decides on a peer: peer is its leaf certificate (NULL when it sent
 * none), chain the verification result (X509_V_OK or an X509_V_ERR_*).
 * The first rule that applies decides; v->rule gets the quoted text:
 *
 *  1 verify=off                 accept "verification disabled"
 *  2 no certificate             server with verify=opt: accept "no
 *                               certificate, verify=opt"; otherwise
 *                               reject "no client certificate" (or
 *                               "no server certificate")
 *  3 chain: revoked             reject "certificate revoked", even when
 *                               pinned: a revocation is an explicit
 *                               statement that the key is not to be used
 *  4 a pin matches the leaf     accept "fingerprint SHA256:..." (server:
 *                               tls_allow_fingerprints, client:
 *                               fingerprint=) or "certificate file /x"
 *                               (tls_allow_clientcerts, cert=)
 *  5 chain not valid            reject with OpenSSL's text for the error:
 *                               "certificate has expired", "unable to get
 *                               local issuer certificate", ...
 *  6 server, valid chain        without tls_allow_subjects: accept "valid
 *                               chain"; with: accept "subject pattern P
 *                               matched SAN DNS:n" or reject "subject
 *                               mismatch: wanted P1 or P2, certificate has
 *                               DNS:a, DNS:b"
 *  7 client, valid chain        the destination host or a subject= name
 *                               must be one of the certificate's names:
 *                               accept "name h matched SAN DNS:h", or
 *                               reject "name mismatch: wanted h or s,
 *                               certificate has DNS:a, IP:192.0.2.1"
 *
 * verify=opt only matters to the server (rule 2): servers always present
 * a certificate.  A pin is tried before the name check in both roles, so
 * a pinned server certificate is trusted as it is, also for a destination
 * written as an address its certificate does not list.
 */
void	tls_policy_check(const struct tls_policy *p, X509 *peer, long chain,
	    struct tls_verdict *v);
/* The same for a finished handshake on ssl. */
void	tls_policy_check_ssl(const struct tls_policy *p, SSL *ssl,
	    struct tls_verdict *v);
/* ssl's chain result: the first error our verify callback saw, or OK. */
long	tls_chain_result(SSL *ssl);
/*
 * The log line for a verdict: "accepted incoming TLS connection from
 * 192.0.2.7 (subject \"CN=a\", SHA256:...): valid chain".
 */
void	tls_verdict_line(const struct tls_verdict *v, enum tls_role role,
	    const char *peer, char *buf, size_t len);

/*
 * syslogd -I: loads our certificate (generating it when allow_gen and
 * both files are missing; a "note:" line then says so) and prints its
 * file, subject, names, validity and SHA-1 and SHA-256 fingerprints, one
 * "label: value" per line, the fingerprints in the form the configuration
 * accepts.
 */
int	tls_print_identity(FILE *fp, const struct conf_options *o,
	    bool allow_gen, const struct tls_identity *id, char *err,
	    size_t errlen);

/*
 * Formats and clears OpenSSL's error queue ("PEM routines: no start
 * line"); never empty.  Returns buf.
 */
const char *tls_error(char *buf, size_t len);

/* ---- tlsgen.c ---- */

/*
 * Makes an EC P-256 key and a self-signed X.509 v3 certificate for id:
 * SHA-256, random 126-bit serial, valid from now - 1 h for TLS_GEN_DAYS,
 * CN = host, SAN = host and addrs, CA:FALSE (critical), keyUsage
 * digitalSignature, extendedKeyUsage serverAuth and clientAuth.
 */
int	tls_make_cert(const struct tls_identity *id, EVP_PKEY **keyp,
	    X509 **certp, char *err, size_t errlen);
/*
 * tls_make_cert() and writes the key (mode 0600) and the certificate
 * (0644) as PEM, each to a new temporary file in the target's directory
 * renamed into place.  The directories must exist.  note says what was
 * made.
 */
int	tls_gen_cert(const char *keyfile, const char *certfile,
	    const struct tls_identity *id, char *note, size_t notelen,
	    char *err, size_t errlen);
/*
 * Appends the addresses of this host's interfaces that are up, except
 * loopback and link-local ones, as numeric strings.
 */
int	tls_local_addrs(struct strlist *out, char *err, size_t errlen);

#endif
