/*
 * Inside the TLS module: what tlsnet.c (contexts, configuration), tlsin.c
 * (the listener and incoming connections) and tlsout.c (@[host]
 * destinations) share.  Nothing else includes this.
 */
#ifndef SYSLOGD_TLSNET_IMPL_H
#define SYSLOGD_TLSNET_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <net/if.h>
#include <netinet/in.h>

struct bufferevent;
struct listener;
struct tls_in;
struct syslogd;
struct tls_ctx;

#define TLS_DEFAULT_PORT	"6514"
#define PLAINTEXT_MEMORY	16	/* addresses remembered as reported */
/* A peer's numeric address, an IPv6 one with its scope ("%ifname"). */
#define PEER_ADDRLEN		(INET6_ADDRSTRLEN + IF_NAMESIZE + 1)

struct ctxref {
	struct tls_ctx	*ctx;
	int		 refs;
};

struct tlsnet {
	struct syslogd	*sd;
	struct ctxref	*cur;
	struct listener	*listeners;
	char		*bindhost, *bindport;
	struct tls_in	*conns;
	long long	 nconns;
	time_t		 limit_reported_at;
	char		 plaintext_seen[PLAINTEXT_MEMORY][PEER_ADDRLEN];
	unsigned	 plaintext_next;
	unsigned long long truncated;
};

/* Contexts are shared by the connections made with them. */
void		 ref_drop(struct ctxref *r);
struct ctxref	*ref_take(struct ctxref *r);
/* OpenSSL's or the socket's reason for the failure of bev, in buf. */
const char	*bev_error(struct bufferevent *bev, char *buf, size_t len);
/* Both NULL, or equal strings. */
bool		 same_str(const char *a, const char *b);

#endif
