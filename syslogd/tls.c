/*
 * TLS contexts and peer policy (see tls.h for what is configured and
 * why).  Files are read here; sockets are the daemon's business.
 */
#include "tls.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "strutil.h"

/* One allow rule that names a certificate exactly. */
struct tls_pin {
	struct tlsid_fp	 fp;
	char		*what;		/* "fingerprint SHA256:..." or "certificate file /x" */
};

struct tls_policy {
	enum tls_role	 role;
	enum tls_verify	 verify;
	struct tls_pin	*pins;
	size_t		 npins;
	/* server: tls_allow_subjects patterns; client: host and subject= */
	struct strlist	 names;
};

/* SSL ex_data slot for the chain error seen by verify_cb. */
static int verify_idx = -1;

static bool
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

const char *
tls_error(char *buf, size_t len)
{
	struct outbuf ob;
	const char *file, *func, *data;
	unsigned long e;
	int line, flags, n = 0;

	ob_init(&ob, buf, len);
	while ((e = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0) {
		const char *lib = ERR_lib_error_string(e);
		const char *reason = ERR_reason_error_string(e);

		/* The first errors are the root cause; drain the rest. */
		if (n++ >= 3)
			continue;
		if (n > 1)
			ob_puts(&ob, "; ");
		if (lib != NULL) {
			ob_puts(&ob, lib);
			ob_puts(&ob, ": ");
		}
		if (reason != NULL)
			ob_puts(&ob, reason);
		else if (ERR_GET_LIB(e) == ERR_LIB_SYS)
			ob_puts(&ob, strerror(ERR_GET_REASON(e)));
		else
			ob_printf(&ob, "error %#lx", e);
		if ((flags & ERR_TXT_STRING) != 0 && data != NULL &&
		    *data != '\0') {
			ob_puts(&ob, " (");
			ob_puts(&ob, data);
			ob_putc(&ob, ')');
		}
	}
	if (n == 0)
		ob_puts(&ob, "unknown error");
	return buf;
}

/*
 * Formats an error into err and returns -1.  With ossl, ": " and
 * OpenSSL's reason follow.
 */
static int __attribute__((format(printf, 4, 5)))
fail(char *err, size_t errlen, bool ossl, const char *fmt, ...)
{
	struct outbuf ob;
	char tmp[TLS_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	ob_init(&ob, err, errlen);
	ob_puts(&ob, tmp);
	if (ossl) {
		ob_puts(&ob, ": ");
		ob_puts(&ob, tls_error(tmp, sizeof(tmp)));
	} else
		ERR_clear_error();
	return -1;
}

/*
 * OpenSSL reports a missing file as a chain of library errors; checking
 * first gives "tls_key /x: No such file or directory".
 */
static int
check_file(const char *opt, const char *path, bool dir, char *err,
    size_t errlen)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return fail(err, errlen, false, "%s %s: %s", opt, path,
		    strerror(errno));
	if (dir != S_ISDIR(st.st_mode))
		return fail(err, errlen, false, "%s %s: %s", opt, path,
		    dir ? "not a directory" : "is a directory");
	if (!dir && access(path, R_OK) == -1)
		return fail(err, errlen, false, "%s %s: %s", opt, path,
		    strerror(errno));
	return 0;
}

/* Refuses every pass phrase: never prompt, an encrypted key is an error. */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

static int
parse_version(const char *s, int *v, char *err, size_t errlen)
{
	const char *p = s;

	*v = TLS1_2_VERSION;
	if (!is_set(s))
		return 0;
	if (strncasecmp(p, "tlsv", 4) == 0)
		p += 4;
	else if (strncasecmp(p, "tls", 3) == 0)
		p += 3;
	if (strcmp(p, "1.2") == 0)
		return 0;
	if (strcmp(p, "1.3") == 0) {
		*v = TLS1_3_VERSION;
		return 0;
	}
	return fail(err, errlen, false,
	    "tls_min_version \"%s\": expected 1.2 or 1.3", s);
}

/* Adds every CRL in file (PEM, or one DER CRL) to st. */
static int
load_crls(X509_STORE *st, const char *file, char *err, size_t errlen)
{
	X509_CRL *crl;
	BIO *bio;
	unsigned long e;
	int n = 0;

	if (check_file("tls_crl", file, false, err, errlen) == -1)
		return -1;
	if ((bio = BIO_new_file(file, "rb")) == NULL)
		return fail(err, errlen, true, "tls_crl %s", file);
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, no_password, NULL))
	    != NULL) {
		if (X509_STORE_add_crl(st, crl) != 1) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return fail(err, errlen, true, "tls_crl %s", file);
		}
		X509_CRL_free(crl);
		n++;
	}
	/* The loop ends at "no start line"; anything else is damage. */
	e = ERR_peek_last_error();
	if (n > 0 && (ERR_GET_LIB(e) != ERR_LIB_PEM ||
	    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)) {
		BIO_free(bio);
		return fail(err, errlen, true, "tls_crl %s: after %d CRL%s",
		    file, n, n == 1 ? "" : "s");
	}
	ERR_clear_error();
	if (n == 0 && BIO_reset(bio) == 0 &&
	    (crl = d2i_X509_CRL_bio(bio, NULL)) != NULL) {
		if (X509_STORE_add_crl(st, crl) == 1)
			n++;
		X509_CRL_free(crl);
	}
	BIO_free(bio);
	if (n == 0)
		return fail(err, errlen, true, "tls_crl %s: no CRL found",
		    file);
	X509_STORE_set_flags(st, X509_V_FLAG_CRL_CHECK);
	return 0;
}

/* Trust anchors and CRLs, shared by both roles' contexts. */
static X509_STORE *
make_store(const struct conf_options *o, char *err, size_t errlen)
{
	X509_STORE *st;

	if ((st = X509_STORE_new()) == NULL) {
		fail(err, errlen, true, "X509_STORE_new");
		return NULL;
	}
	if (is_set(o->tls_ca) &&
	    (check_file("tls_ca", o->tls_ca, false, err, errlen) == -1 ||
	    (X509_STORE_load_file(st, o->tls_ca) != 1 &&
	    fail(err, errlen, true, "tls_ca %s", o->tls_ca) == -1)))
		goto bad;
	if (is_set(o->tls_cadir) &&
	    (check_file("tls_cadir", o->tls_cadir, true, err, errlen) == -1 ||
	    (X509_STORE_load_path(st, o->tls_cadir) != 1 &&
	    fail(err, errlen, true, "tls_cadir %s", o->tls_cadir) == -1)))
		goto bad;
	if (is_set(o->tls_crl) && load_crls(st, o->tls_crl, err, errlen) == -1)
		goto bad;
	return st;
bad:
	X509_STORE_free(st);
	return NULL;
}

/* Our chain and key into ctx, and that they belong together. */
static int
load_own(SSL_CTX *ctx, const char *key, const char *cert, char *err,
    size_t errlen)
{
	SSL_CTX_set_default_passwd_cb(ctx, no_password);
	if (check_file("tls_cert", cert, false, err, errlen) == -1)
		return -1;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		return fail(err, errlen, true, "tls_cert %s", cert);
	if (check_file("tls_key", key, false, err, errlen) == -1)
		return -1;
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		unsigned long e = ERR_peek_last_error();

		if (ERR_GET_LIB(e) == ERR_LIB_X509 &&
		    ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH)
			return fail(err, errlen, true,
			    "tls_key %s does not belong to tls_cert %s", key,
			    cert);
		return fail(err, errlen, true, "tls_key %s", key);
	}
	if (SSL_CTX_check_private_key(ctx) != 1)
		return fail(err, errlen, true,
		    "tls_key %s does not belong to tls_cert %s", key, cert);
	return 0;
}

/*
 * Never fails the handshake (see tls.h).  Remembers the first chain
 * error, or a revocation, because OpenSSL's own result is only the last
 * error and a revocation must not be hidden by a later one.
 */
static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl;
	int e;

	if (ok || verify_idx < 0)
		return 1;
	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	e = X509_STORE_CTX_get_error(xs);
	if (ssl != NULL && e != X509_V_OK &&
	    (SSL_get_ex_data(ssl, verify_idx) == NULL ||
	    e == X509_V_ERR_CERT_REVOKED))
		SSL_set_ex_data(ssl, verify_idx, (void *)(intptr_t)e);
	return 1;
}

long
tls_chain_result(SSL *ssl)
{
	void *v;

	if (verify_idx >= 0 && (v = SSL_get_ex_data(ssl, verify_idx)) != NULL)
		return (long)(intptr_t)v;
	return SSL_get_verify_result(ssl);
}

static SSL_CTX *
make_ctx(const struct conf_options *o, enum tls_role role, X509_STORE *st,
    int minver, const char *key, const char *cert, char *err, size_t errlen)
{
	SSL_CTX *ctx;
	int mode;

	ctx = SSL_CTX_new(role == TLS_ROLE_SERVER ? TLS_server_method() :
	    TLS_client_method());
	if (ctx == NULL) {
		fail(err, errlen, true, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, minver);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION);
	/* Moving buffers and partial writes: bufferevents need both. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (role == TLS_ROLE_SERVER) {
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET |
		    SSL_OP_CIPHER_SERVER_PREFERENCE);
		SSL_CTX_set_num_tickets(ctx, 0);
	}
	if (is_set(o->tls_ciphers) &&
	    SSL_CTX_set_cipher_list(ctx, o->tls_ciphers) != 1) {
		fail(err, errlen, true, "tls_ciphers \"%s\"", o->tls_ciphers);
		goto bad;
	}
	if (load_own(ctx, key, cert, err, errlen) == -1)
		goto bad;
	SSL_CTX_set1_cert_store(ctx, st);
	mode = SSL_VERIFY_PEER;
	if (role == TLS_ROLE_SERVER && o->tls_verify == TLS_VERIFY_ON)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, verify_cb);
	return ctx;
bad:
	SSL_CTX_free(ctx);
	return NULL;
}

/* A credentials option, or its default when unset. */
static const char *
own_file(const char *opt, const char *dflt)
{
	return is_set(opt) ? opt : dflt;
}

static bool
missing(const char *path)
{
	struct stat st;

	return stat(path, &st) == -1 && errno == ENOENT;
}

/*
 * Generates our key and certificate when both files are missing and
 * allow_gen.  Only then: one file without the other, or a file we may not
 * read, is an error for the loader to report, never a reason to
 * overwrite what is there.
 */
static int
ensure_own(const char *key, const char *cert, bool allow_gen,
    const struct tls_identity *id, char *note, size_t notelen, char *err,
    size_t errlen)
{
	if (!missing(key) || !missing(cert))
		return 0;
	if (!allow_gen)
		return fail(err, errlen, false, "neither tls_key %s nor "
		    "tls_cert %s exists; configure them, or set tls_gen_cert "
		    "to generate a self-signed certificate", key, cert);
	if (id == NULL || !is_set(id->host))
		return fail(err, errlen, false, "cannot generate a "
		    "certificate: the local host name is unknown");
	return tls_gen_cert(key, cert, id, note, notelen, err, errlen);
}

struct tls_ctx *
tls_ctx_new(const struct conf_options *o, int roles,
    const struct tls_identity *id, char *err, size_t errlen)
{
	struct tls_ctx *tc;
	X509_STORE *st = NULL;
	const char *key = own_file(o->tls_key, CONF_DEFAULT_TLS_KEY);
	const char *cert = own_file(o->tls_cert, CONF_DEFAULT_TLS_CERT);
	int minver;

	if (verify_idx < 0 &&
	    (verify_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0) {
		fail(err, errlen, true, "SSL_get_ex_new_index");
		return NULL;
	}
	if ((roles & (TLS_CTX_SERVER | TLS_CTX_CLIENT)) == 0) {
		fail(err, errlen, false, "tls_ctx_new: no role");
		return NULL;
	}
	if (parse_version(o->tls_min_version, &minver, err, errlen) == -1)
		return NULL;
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		fail(err, errlen, false, "out of memory");
		return NULL;
	}
	if (ensure_own(key, cert, o->tls_gen_cert, id, tc->note,
	    sizeof(tc->note), err, errlen) == -1)
		goto bad;
	if ((st = make_store(o, err, errlen)) == NULL)
		goto bad;
	if ((roles & TLS_CTX_SERVER) != 0 &&
	    ((tc->server = make_ctx(o, TLS_ROLE_SERVER, st, minver, key, cert,
	    err, errlen)) == NULL ||
	    (tc->policy = tls_policy_server(o, err, errlen)) == NULL))
		goto bad;
	if ((roles & TLS_CTX_CLIENT) != 0 &&
	    (tc->client = make_ctx(o, TLS_ROLE_CLIENT, st, minver, key, cert,
	    err, errlen)) == NULL)
		goto bad;
	tc->cert = SSL_CTX_get0_certificate(tc->server != NULL ? tc->server :
	    tc->client);
	if (tc->cert != NULL)
		X509_up_ref(tc->cert);
	X509_STORE_free(st);
	return tc;
bad:
	X509_STORE_free(st);
	tls_ctx_free(tc);
	return NULL;
}

void
tls_ctx_free(struct tls_ctx *tc)
{
	if (tc == NULL)
		return;
	SSL_CTX_free(tc->server);
	SSL_CTX_free(tc->client);
	X509_free(tc->cert);
	tls_policy_free(tc->policy);
	free(tc);
}

/* ---- policy ------------------------------------------------------ */

static struct tls_policy *
policy_new(enum tls_role role, enum tls_verify verify)
{
	struct tls_policy *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->role = role;
	p->verify = verify;
	return p;
}

void
tls_policy_free(struct tls_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->npins; i++)
		free(p->pins[i].what);
	free(p->pins);
	strlist_free(&p->names);
	free(p);
}

static int
add_pin(struct tls_policy *p, const struct tlsid_fp *fp, const char *what,
    char *err, size_t errlen)
{
	struct tls_pin *np;

	np = realloc(p->pins, (p->npins + 1) * sizeof(*np));
	if (np == NULL)
		return fail(err, errlen, false, "out of memory");
	p->pins = np;
	if ((np[p->npins].what = strdup(what)) == NULL)
		return fail(err, errlen, false, "out of memory");
	np[p->npins++].fp = *fp;
	return 0;
}

static int
add_fp_pin(struct tls_policy *p, const char *opt, const char *s, char *err,
    size_t errlen)
{
	struct tlsid_fp fp;
	char msg[TLS_ERRLEN], what[TLSID_FP_STRLEN + 16];

	if (tlsid_fp_parse(s, &fp, msg, sizeof(msg)) == -1)
		return fail(err, errlen, false, "%s: %s", opt, msg);
	memcpy(what, "fingerprint ", 12);
	tlsid_fp_format(&fp, what + 12, sizeof(what) - 12);
	return add_pin(p, &fp, what, err, errlen);
}

/* A peer certificate given as a file (PEM or DER) is pinned by SHA-256. */
static int
add_file_pin(struct tls_policy *p, const char *opt, const char *file,
    char *err, size_t errlen)
{
	struct tlsid_fp fp;
	char what[TLS_ERRLEN];
	X509 *x = NULL;
	BIO *bio;

	if (check_file(opt, file, false, err, errlen) == -1)
		return -1;
	if ((bio = BIO_new_file(file, "rb")) != NULL) {
		x = PEM_read_bio_X509(bio, NULL, no_password, NULL);
		if (x == NULL && BIO_reset(bio) == 0) {
			ERR_clear_error();
			x = d2i_X509_bio(bio, NULL);
		}
		BIO_free(bio);
	}
	if (x == NULL)
		return fail(err, errlen, true,
		    "%s %s: no PEM or DER certificate", opt, file);
	if (tlsid_fp_cert(x, NID_sha256, &fp) == -1) {
		X509_free(x);
		return fail(err, errlen, true, "%s %s", opt, file);
	}
	X509_free(x);
	snprintf(what, sizeof(what), "certificate file %s", file);
	return add_pin(p, &fp, what, err, errlen);
}

struct tls_policy *
tls_policy_server(const struct conf_options *o, char *err, size_t errlen)
{
	struct tls_policy *p;
	char msg[TLS_ERRLEN];
	size_t i;

	if ((p = policy_new(TLS_ROLE_SERVER, o->tls_verify)) == NULL) {
		fail(err, errlen, false, "out of memory");
		return NULL;
	}
	for (i = 0; i < o->tls_allow_fingerprints.n; i++)
		if (add_fp_pin(p, "tls_allow_fingerprints",
		    o->tls_allow_fingerprints.v[i], err, errlen) == -1)
			goto bad;
	for (i = 0; i < o->tls_allow_clientcerts.n; i++)
		if (add_file_pin(p, "tls_allow_clientcerts",
		    o->tls_allow_clientcerts.v[i], err, errlen) == -1)
			goto bad;
	for (i = 0; i < o->tls_allow_subjects.n; i++) {
		const char *s = o->tls_allow_subjects.v[i];

		if (tlsid_pattern_valid(s, msg, sizeof(msg)) == -1) {
			fail(err, errlen, false, "tls_allow_subjects: %s", msg);
			goto bad;
		}
		if (strlist_add(&p->names, s, strlen(s)) == -1) {
			fail(err, errlen, false, "out of memory");
			goto bad;
		}
	}
	return p;
bad:
	tls_policy_free(p);
	return NULL;
}

/* Adds a reference name; "[2001:db8::1]" is stored without brackets. */
static int
add_name(struct tls_policy *p, const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		return strlist_add(&p->names, s + 1, n - 2);
	return strlist_add(&p->names, s, n);
}

struct tls_policy *
tls_policy_client(const struct conf_options *o, const struct conf_action *a,
    char *err, size_t errlen)
{
	struct tls_policy *p;
	enum tls_verify v;
	size_t i;

	v = a->tls_verify < 0 ? o->tls_verify : (enum tls_verify)a->tls_verify;
	if ((p = policy_new(TLS_ROLE_CLIENT, v)) == NULL) {
		fail(err, errlen, false, "out of memory");
		return NULL;
	}
	if ((is_set(a->target) && add_name(p, a->target) == -1)) {
		fail(err, errlen, false, "out of memory");
		goto bad;
	}
	for (i = 0; i < a->tls_subjects.n; i++)
		if (add_name(p, a->tls_subjects.v[i]) == -1) {
			fail(err, errlen, false, "out of memory");
			goto bad;
		}
	for (i = 0; i < a->tls_fingerprints.n; i++)
		if (add_fp_pin(p, "fingerprint", a->tls_fingerprints.v[i],
		    err, errlen) == -1)
			goto bad;
	if (is_set(a->tls_certfile) &&
	    add_file_pin(p, "cert", a->tls_certfile, err, errlen) == -1)
		goto bad;
	return p;
bad:
	tls_policy_free(p);
	return NULL;
}

static void __attribute__((format(printf, 3, 4)))
verdict(struct tls_verdict *v, bool accept, const char *fmt, ...)
{
	va_list ap;

	v->accept = accept;
	va_start(ap, fmt);
	vsnprintf(v->rule, sizeof(v->rule), fmt, ap);
	va_end(ap);
}

/* "a or b or c" */
static void
join_names(const struct strlist *l, char *buf, size_t len)
{
	struct outbuf ob;

	ob_init(&ob, buf, len);
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			ob_puts(&ob, " or ");
		ob_puts(&ob, l->v[i]);
	}
	if (l->n == 0)
		ob_puts(&ob, "no name");
}

/* The rules are tried in the order of the table in tls.h. */
void
tls_policy_check(const struct tls_policy *p, X509 *peer, long chain,
    struct tls_verdict *v)
{
	char names[TLS_ERRLEN / 2], want[TLS_ERRLEN / 2], how[TLS_ERRLEN / 2];
	bool server = p->role == TLS_ROLE_SERVER;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (peer != NULL) {
		tlsid_subject(peer, v->subject, sizeof(v->subject));
		tlsid_fp_string(peer, NID_sha256, v->fingerprint,
		    sizeof(v->fingerprint));
	}
	if (p->verify == TLS_VERIFY_OFF) {
		verdict(v, true, "verification disabled");
		return;
	}
	if (peer == NULL) {
		if (server && p->verify == TLS_VERIFY_OPT)
			verdict(v, true, "no certificate, verify=opt");
		else
			verdict(v, false, "no %s certificate",
			    server ? "client" : "server");
		return;
	}
	if (chain == X509_V_ERR_CERT_REVOKED) {
		verdict(v, false, "%s", X509_verify_cert_error_string(chain));
		return;
	}
	for (i = 0; i < p->npins; i++)
		if (tlsid_fp_match(&p->pins[i].fp, peer)) {
			verdict(v, true, "%s", p->pins[i].what);
			return;
		}
	if (chain != X509_V_OK) {
		verdict(v, false, "%s", X509_verify_cert_error_string(chain));
		return;
	}
	if (server && p->names.n == 0) {
		verdict(v, true, "valid chain");
		return;
	}
	for (i = 0; i < p->names.n; i++) {
		const char *n = p->names.v[i];

		if (server && tlsid_check_pattern(peer, n, how, sizeof(how))) {
			verdict(v, true, "subject pattern %s matched %s", n, how);
			return;
		}
		if (!server && tlsid_check_name(peer, n, how, sizeof(how))) {
			verdict(v, true, "name %s matched %s", n, how);
			return;
		}
	}
	tlsid_names(peer, names, sizeof(names));
	join_names(&p->names, want, sizeof(want));
	verdict(v, false, "%s mismatch: wanted %s, certificate has %s",
	    server ? "subject" : "name", want, names);
}

void
tls_policy_check_ssl(const struct tls_policy *p, SSL *ssl,
    struct tls_verdict *v)
{
	tls_policy_check(p, SSL_get0_peer_certificate(ssl),
	    tls_chain_result(ssl), v);
}

void
tls_verdict_line(const struct tls_verdict *v, enum tls_role role,
    const char *peer, char *buf, size_t len)
{
	struct outbuf ob;

	ob_init(&ob, buf, len);
	/* ob_puts throughout: ob_printf would cut long fields at 512. */
	ob_puts(&ob, v->accept ? "accepted " : "rejected ");
	ob_puts(&ob, role == TLS_ROLE_SERVER ? "incoming TLS connection from " :
	    "outgoing TLS connection to ");
	ob_puts(&ob, peer);
	if (v->fingerprint[0] == '\0')
		ob_puts(&ob, " (no certificate)");
	else {
		ob_puts(&ob, " (subject \"");
		ob_puts(&ob, v->subject);
		ob_puts(&ob, "\", ");
		ob_puts(&ob, v->fingerprint);
		ob_putc(&ob, ')');
	}
	ob_puts(&ob, ": ");
	ob_puts(&ob, v->rule);
}

/* ---- syslogd -I -------------------------------------------------- */

static void
print_time(FILE *fp, const char *label, const ASN1_TIME *t)
{
	BIO *bio;
	char *data;
	long n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (ASN1_TIME_print_ex(bio, t, ASN1_DTFLGS_ISO8601) == 1 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0)
		fprintf(fp, "%-12s %.*s\n", label, (int)n, data);
	BIO_free(bio);
}

int
tls_print_identity(FILE *fp, const struct conf_options *o, bool allow_gen,
    const struct tls_identity *id, char *err, size_t errlen)
{
	const char *key = own_file(o->tls_key, CONF_DEFAULT_TLS_KEY);
	const char *cert = own_file(o->tls_cert, CONF_DEFAULT_TLS_CERT);
	char note[TLS_ERRLEN], buf[TLS_ERRLEN];
	SSL_CTX *ctx;
	X509 *x;

	note[0] = '\0';
	if (ensure_own(key, cert, allow_gen, id, note, sizeof(note), err,
	    errlen) == -1)
		return -1;
	if ((ctx = SSL_CTX_new(TLS_method())) == NULL)
		return fail(err, errlen, true, "SSL_CTX_new");
	/* The same checks as the daemon makes: key and chain must load. */
	if (load_own(ctx, key, cert, err, errlen) == -1) {
		SSL_CTX_free(ctx);
		return -1;
	}
	x = SSL_CTX_get0_certificate(ctx);
	if (note[0] != '\0')
		fprintf(fp, "%-12s %s\n", "note:", note);
	fprintf(fp, "%-12s %s\n", "tls_cert:", cert);
	fprintf(fp, "%-12s %s\n", "tls_key:", key);
	tlsid_subject(x, buf, sizeof(buf));
	fprintf(fp, "%-12s %s\n", "subject:", buf);
	tlsid_names(x, buf, sizeof(buf));
	fprintf(fp, "%-12s %s\n", "names:", buf);
	print_time(fp, "not before:", X509_get0_notBefore(x));
	print_time(fp, "not after:", X509_get0_notAfter(x));
	tlsid_fp_string(x, NID_sha1, buf, sizeof(buf));
	fprintf(fp, "%-12s %s\n", "fingerprint:", buf);
	tlsid_fp_string(x, NID_sha256, buf, sizeof(buf));
	fprintf(fp, "%-12s %s\n", "fingerprint:", buf);
	SSL_CTX_free(ctx);
	if (fflush(fp) == EOF || ferror(fp))
		return fail(err, errlen, false, "writing: %s", strerror(errno));
	return 0;
}
