/*
 * RFC 5848 (syslog-sign): the texts and encodings of signature blocks
 * (SD-ID "ssign") and certificate blocks ("ssign-cert"), and the
 * signature groups of sign_sg 2.  Pure: values in, values out; the
 * daemon's side is sign.c, the keys and signatures are signkey.c.
 */
#ifndef SYSLOGD_SIGNFMT_H
#define SYSLOGD_SIGNFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "strutil.h"

#define SIGN_MSG_MAX	2048		/* octets of a block's whole message */
#define SIGN_COUNT_MAX	9999999999ULL	/* RSID, GBC, message numbers */
#define SIGN_CNT_MAX	99		/* hashes in one signature block */
#define SIGN_NPRI	192
/* Protocol 01, hash 2 (SHA-256), signature scheme 1 (OpenPGP DSA). */
#define SIGN_VER	"0121"
#define SIGN_HASH_LEN	32
/* Base64 of the longest DSA-2048/256 signature: two 256-bit MPIs. */
#define SIGN_SIG_B64_MAX	92
/*
 * What precedes the SD of a block message, at most: "<110>1 ", a time
 * stamp with microseconds and offset, " syslogd ", a pid, " - ",
 * and the host name (added by the caller).
 */
#define SIGN_HEADER_FIXED	64

/* A signature block's values; hashes holds cnt * hashlen octets. */
struct sign_sb {
	const char		*ver;
	uint64_t		 rsid;
	int			 sg, spri;
	uint64_t		 gbc, fmn;
	unsigned		 cnt;
	const unsigned char	*hashes;
	size_t			 hashlen;
};

/* A certificate block's values; frag holds flen octets. */
struct sign_cb {
	const char	*ver;
	uint64_t	 rsid;
	int		 sg, spri;
	size_t		 tpbl, index, flen;	/* index: 1-based octet */
	const char	*frag;
};

/*
 * The SD element, "[ssign VER=... HB=\"...\" SIGN=\"sig\"]".  With sig
 * NULL the SIGN parameter is left out: that is the form the signature
 * is computed over (the message with ` SIGN="..."` removed).  Returns
 * the length, or 0 if it does not fit in cap (NUL included).
 */
size_t	sign_sb_text(const struct sign_sb *b, const char *sig, char *out,
	    size_t cap);
size_t	sign_cb_text(const struct sign_cb *b, const char *sig, char *out,
	    size_t cap);

/*
 * The Payload Block: "TIMESTAMP TYPE BLOB", the time in RFC 3339 UTC
 * with microseconds.  Returns the length, or 0 if it does not fit.
 */
size_t	sign_payload(time_t sec, int usec, char type, const char *blob,
	    char *out, size_t cap);

/*
 * How many hashes fit in a signature block message of SIGN_MSG_MAX
 * octets whose part before the SD is at most header_max octets (at
 * most SIGN_CNT_MAX), and the longest fragment of a payload of tpbl
 * octets a certificate block message can carry.  0: none fits.
 */
size_t	sign_sb_max_hashes(size_t header_max);
size_t	sign_cb_frag_max(size_t header_max, size_t tpbl);
/* The nth (0-based) of the fragments of tpbl octets at most frag_max
 * long: sets *index (1-based) and *flen; false past the last one. */
bool	sign_fragment(size_t tpbl, size_t frag_max, size_t n, size_t *index,
	    size_t *flen);

/*
 * sign_sg 2: the groups from the sign_delim_sg2 bounds (each the
 * highest PRI of its group; 191 added when missing; empty: one group
 * per facility).  Fills group_of[pri] and spri[group]; returns the
 * number of groups, or -1 on a bound that is not a number 0..191.
 */
int	sign_sg2_groups(const struct strlist *delims,
	    unsigned char group_of[SIGN_NPRI], int spri[SIGN_NPRI]);

/*
 * An OpenPGP multiprecision integer (RFC 4880 3.2): a two-octet bit
 * count, then the big-endian value without leading zero octets.
 * Returns the length, or 0 if it does not fit.  sign_mpi_read parses
 * one at *p (advanced), pointing *val and *vlen at the value.
 */
size_t	sign_mpi(const unsigned char *be, size_t len, unsigned char *out,
	    size_t cap);
bool	sign_mpi_read(const unsigned char **p, const unsigned char *end,
	    const unsigned char **val, size_t *vlen);

/* Base64 (RFC 4648) without line breaks.  Returns the length written
 * (sign_b64: NUL added), or 0 / -1 when it does not fit or is not
 * base64. */
size_t	sign_b64(const unsigned char *in, size_t len, char *out, size_t cap);
long	sign_unb64(const char *in, size_t len, unsigned char *out,
	    size_t cap);

/*
 * For verifiers.  A block found in a line: its SD-ID and parameters,
 * in order.  Values point into the line (they are never escaped in
 * blocks).  Returns the number of parameters, or -1 when the line has
 * no ssign or ssign-cert element or it is malformed.
 */
struct sign_param {
	const char	*name, *val;
	size_t		 namelen, vallen;
};
#define SIGN_MAXPARAMS	12
int	sign_parse_block(const char *line, size_t len, bool *cert,
	    struct sign_param *p, size_t maxp);
/* A parameter's value by name, or NULL. */
const struct sign_param *sign_param(const struct sign_param *p, int n,
	    const char *name);
/*
 * Whether a parsed block has the parameters of the RFC, in its order,
 * VER "01x1", counters where numbers belong, SG 0 to 3 and SPRI below
 * SIGN_NPRI: then a verifier may take them by position.
 */
bool	sign_block_well_formed(const struct sign_param *p, int n, bool cert);
/* A decimal counter 0..SIGN_COUNT_MAX without leading zeros; -1 if not. */
int64_t	sign_number(const char *s, size_t len);
/*
 * The line without its ` SIGN="..."` parameter: what was signed.
 * Returns the length, or 0 when there is no SIGN or it does not fit.
 */
size_t	sign_unsigned_form(const char *line, size_t len, char *out,
	    size_t cap);

#endif
