/*
 * RFC 5848 signing in the daemon: the signature groups of sign_sg, the
 * hashes of what goes to signing actions (files, pipes, UDP and TLS
 * destinations), and the signature and certificate blocks sent to them.
 * The texts are signfmt.c, the key and signatures signkey.c.
 */
#ifndef SYSLOGD_SIGN_H
#define SYSLOGD_SIGN_H

#include <stddef.h>

struct syslogd;
struct action;
struct msg;

/* Pending hashes wait at most this long for their signature block. */
#define SIGN_DELAY_SEC	5
/* A certificate block goes before this many signature blocks of a group. */
#define SIGN_CB_SENDS	3
/* Each hash is in this many consecutive signature blocks (UDP losses). */
#define SIGN_REPEAT	2

/*
 * Sets up the groups of the configuration in sd->conf over sd->actions:
 * called once the actions of a (re)load exist.  Makes the key the first
 * time signing is on and starts a new RSID with fresh counters.
 */
void	sign_configure(struct syslogd *sd);
/*
 * Before acts (the running actions) are closed, at reload and exit:
 * signs what is pending and forgets the groups; acts are no longer
 * signing actions.
 */
void	sign_end(struct syslogd *sd, struct action **acts, size_t n);
/* Sends a signature block for every group with pending hashes. */
void	sign_flush(struct syslogd *sd);
/* Adds the hash of wire, just written to a, to a's group. */
void	sign_add(struct syslogd *sd, struct action *a, const struct msg *m,
	    const char *wire, size_t len);
/* Frees the key and everything else: at exit, after sign_end. */
void	sign_free(struct syslogd *sd);

#endif
