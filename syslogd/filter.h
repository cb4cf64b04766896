/*
 * Which messages a syslog.conf rule takes: the selector (facility and
 * level masks), the program block and the host block.  Pure.
 */
#ifndef SYSLOGD_FILTER_H
#define SYSLOGD_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strutil.h"

#define FILTER_FAC_MARK	24		/* the pseudo-facility "mark" */
#define FILTER_NFAC	25		/* 24 real facilities + mark */

struct selector {
	uint8_t	sevmask[FILTER_NFAC];	/* bit s set: severity s matches */
};

/*
 * Parses a selector such as "mail.crit;*.err;kern.none" or
 * "daemon.!=debug".  When eq_default is set (-U) a level without a
 * comparison means "=" instead of ">=".  Returns 0, or -1 with a message
 * in err (naming the offending part) when the text is not a selector.
 */
int	selector_parse(const char *text, size_t len, bool eq_default,
	    struct selector *out, char *err, size_t errlen);
bool	selector_match(const struct selector *s, int fac, int sev);

/*
 * A program or host block.  An empty list with negate unset matches all.
 * negate set: the block is "!-a,b" or "-a,b", matching all but the names.
 */
struct namelist {
	struct strlist	names;
	bool		negate;
};

/*
 * Parses the part after "!" / "#!" (programs) or after "+" / "-" / "#+" /
 * "#-" (hosts): the caller passes the text after the marker, and negate
 * for "!-" or "-".  "*" or an empty text resets to "all".  Returns 0 or -1
 * with a message in err (for a name with characters that cannot occur).
 */
int	namelist_parse(const char *text, size_t len, bool negate,
	    bool hosts, struct namelist *out, char *err, size_t errlen);
void	namelist_free(struct namelist *nl);
int	namelist_copy(struct namelist *dst, const struct namelist *src);

/*
 * Program match: case-sensitive, whole names.  A message with no program
 * never matches a positive list and always matches a negated one.
 */
bool	prog_match(const struct namelist *nl, const char *prog);

/*
 * Host match: case-insensitive.  An entry without a dot also matches a
 * host whose first label it is ("gw" matches "gw.example.org").  "@" in
 * the list stands for localhost.  A message with no host is treated as
 * coming from localhost.
 */
bool	host_match(const struct namelist *nl, const char *host,
	    const char *localhost);

#endif
