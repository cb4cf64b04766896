/*
 * Syslog over TLS on the wire (RFC 5425): the listener and its incoming
 * connections, and outgoing connections of @[host] destinations.  All of
 * it is libevent bufferevents over OpenSSL; nothing blocks the loop.
 */
#ifndef SYSLOGD_TLSNET_H
#define SYSLOGD_TLSNET_H

#include <stdbool.h>

struct syslogd;
struct action;
struct conf;

/*
 * (Re)builds the TLS context for conf c when it needs one.  On failure
 * the error is logged and the running context (if any) stays in use.
 */
int	tlsnet_configure(struct syslogd *sd, const struct conf *c);
/* Opens, keeps or closes the listener to match sd->conf. */
int	tlsnet_listen(struct syslogd *sd);
/* At exit: reads what incoming connections hold, then closes them. */
void	tlsnet_shutdown(struct syslogd *sd);
/* Is a connected destination still sending what it has? */
bool	tlsnet_pending(struct syslogd *sd);
/* SIGUSR1: every disconnected destination tries again now. */
void	tlsnet_retry_now(struct syslogd *sd);
/*
 * Moves the connection and queue of a matching destination of the old
 * configuration to a, so that a reload keeps connections up.
 */
bool	tlsnet_adopt(struct syslogd *sd, struct action *a,
	    struct action **old, size_t nold);

extern const struct action_ops tls_dest_ops;

#endif
