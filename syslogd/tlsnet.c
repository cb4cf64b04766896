/*
 * Syslog over TLS: the contexts, rebuilt by tlsnet_configure.  The
 * listener and incoming connections are in tlsin.c, the destinations in
 * tlsout.c.
 *
 * Contexts are reference counted: a reload that loads new keys or
 * certificates makes a new context for new connections, while the
 * connections made with the old one keep it until they close.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>

#include "daemon.h"
#include "ilog.h"
#include "tls.h"
#include "tlsnet.h"
#include "tlsnet_impl.h"


/*
 * OpenSSL's reason for a failure on bev: libevent moves the errors off
 * OpenSSL's queue into the bufferevent.
 */
const char *
bev_error(struct bufferevent *bev, char *buf, size_t len)
{
	unsigned long e;
	size_t used = 0;
	int err = EVUTIL_SOCKET_ERROR(), soerr = 0;
	socklen_t sl = sizeof(soerr);
	evutil_socket_t fd = bufferevent_getfd(bev);

	if (fd != -1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
	    soerr != 0)
		err = soerr;
	buf[0] = '\0';
	while ((e = bufferevent_get_openssl_error(bev)) != 0 && used + 2 < len) {
		/* libevent files a bare SSL_ERROR_SYSCALL here: not a reason. */
		if (ERR_GET_LIB(e) == 0)
			continue;
		if (used > 0) {
			buf[used++] = ';';
			buf[used++] = ' ';
		}
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
		/* OpenSSL 3 files a FIN without close_notify as an error. */
		if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			str_copy(buf + used, "connection closed by the peer "
			    "without close_notify", len - used);
			used += strlen(buf + used);
			continue;
		}
#endif
		ERR_error_string_n(e, buf + used, len - used);
		used += strlen(buf + used);
	}
	if (buf[0] == '\0' && ERR_peek_error() != 0)
		return tls_error(buf, len);
	if (buf[0] == '\0')
		str_copy(buf, err != 0 ? evutil_socket_error_to_string(err) :
		    "connection closed", len);
	ERR_clear_error();
	return buf;
}

void
ref_drop(struct ctxref *r)
{
	if (r != NULL && --r->refs == 0) {
		tls_ctx_free(r->ctx);
		free(r);
	}
}

struct ctxref *
ref_take(struct ctxref *r)
{
	if (r != NULL)
		r->refs++;
	return r;
}

static struct tlsnet *
tlsnet_get(struct syslogd *sd)
{
	if (sd->tn == NULL && (sd->tn = calloc(1, sizeof(*sd->tn))) != NULL)
		sd->tn->sd = sd;
	return sd->tn;
}

static bool
needs_tls(const struct conf *c, int *roles)
{
	*roles = c->opt.tls_server ? TLS_CTX_SERVER : 0;
	for (size_t i = 0; i < c->nrules; i++)
		if (c->rules[i].act.type == ACT_TLS)
			*roles |= TLS_CTX_CLIENT;
	return *roles != 0;
}

int
tlsnet_configure(struct syslogd *sd, const struct conf *c)
{
	struct tls_identity id = { sd->fqdn, NULL };
	struct strlist addrs = { NULL, 0 };
	char err[TLS_ERRLEN], fp[TLSID_FP_STRLEN];
	struct tlsnet *tn;
	struct tls_ctx *ctx;
	struct ctxref *r;
	int roles;

	if (!needs_tls(c, &roles))
		return 0;
	if ((tn = tlsnet_get(sd)) == NULL)
		return -1;
	if (c->opt.tls_gen_cert && tls_local_addrs(&addrs, err,
	    sizeof(err)) == 0)
		id.addrs = &addrs;
	/* Both roles always: a reload may add a listener or a destination. */
	ctx = tls_ctx_new(&c->opt, TLS_CTX_SERVER | TLS_CTX_CLIENT, &id, err,
	    sizeof(err));
	strlist_free(&addrs);
	if (ctx == NULL) {
		ilog(sd, LOG_ERR, "TLS: %s%s", err, tn->cur != NULL ?
		    "; keeping the keys and certificates in use" : "");
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		tls_ctx_free(ctx);
		return -1;
	}
	r->ctx = ctx;
	r->refs = 1;
	ref_drop(tn->cur);
	tn->cur = r;
	if (ctx->note[0] != '\0')
		ilog(sd, LOG_NOTICE, "TLS: %s", ctx->note);
	tlsid_fp_string(ctx->cert, NID_sha256, fp, sizeof(fp));
	ilog(sd, LOG_INFO, "TLS: using %s (OpenSSL %s), fingerprint %s",
	    c->opt.tls_cert, OpenSSL_version(OPENSSL_VERSION_STRING), fp);
	return 0;
}


bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}
