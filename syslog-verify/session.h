/*
 * The sessions of a signed log file (RFC 5848): what one host sent under
 * one RSID for one signature group, its certificate blocks and the keys
 * they carry.
 *
 * Anyone who can send a message to the file can add lines that look like
 * certificate blocks, so fragments may disagree.  Payloads are put
 * together from each block and those after it, and a key is taken only
 * from a payload whose every octet came in a certificate block that the
 * key itself signed: a look-alike fragment does not take a genuine key
 * away, it is only reported as a block no key signed.
 */
#ifndef SYSLOG_VERIFY_SESSION_H
#define SYSLOG_VERIFY_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "signfmt.h"
#include "signkey.h"

/* A certificate block; its pointers are into the file's text. */
struct cert_block {
	size_t		 ln;		/* line number, from 0 */
	const char	*line, *frag, *sig;
	size_t		 len, siglen;
	size_t		 tpbl, index, flen;
	bool		 ok;		/* signed by a key that holds frag */
};

/* A key whose certificate blocks verified, one per fingerprint. */
struct session_key {
	EVP_PKEY	*pkey;
	char		 fp[SIGNKEY_FP_MAX + 1];
};

struct session {
	char		 host[256];
	int64_t		 rsid;
	int		 sg, spri, hash;	/* hash: 1 SHA-1, 2 SHA-256 */
	struct cert_block *cbs;		/* in the order of the file */
	size_t		 ncbs, capcbs;
	struct session_key *keys;
	size_t		 nkeys;
};

struct sessions {
	struct session	*s;
	size_t		 n;
};

/*
 * The session of a block with the parameters of a well-formed block (VER
 * RSID SG SPRI first), created when asked; SIZE_MAX when there is none
 * or no memory.
 */
size_t		 session_find(struct sessions *ss, const char *host,
		    size_t hlen, const struct sign_param *p, bool create);
/*
 * Adds a well-formed certificate block (line ln).  Returns NULL, or why
 * the block is not taken.
 */
const char	*session_add_cb(struct session *s, size_t ln, const char *line,
		    size_t len, const struct sign_param *p);
/*
 * Takes the session's keys and marks the blocks they signed.  With
 * want_fp, only a key of that fingerprint.  Each finding that is not
 * about one line goes to say(ctx, s, text), and counts as an error.
 */
typedef void	 session_say(void *ctx, const struct session *s,
		    const char *what);
void		 session_take_keys(struct session *s, const char *want_fp,
		    session_say *say, void *ctx);
/* Whether a block (line and its SIGN parameter) is signed by a key. */
bool		 session_signed(const struct session *s, const char *line,
		    size_t len, const char *sig, size_t siglen);
void		 sessions_free(struct sessions *ss);

#endif
