/*
 * Selectors ("mail.crit;*.err"), program blocks ("!prog") and host blocks
 * ("+host") of syslog.conf, and matching messages against them.
 *
 * The selector language is NetBSD's, with one deliberate difference:
 * NetBSD also takes a bare number for a facility or a level (and for a
 * facility it must be the code already shifted left by 3, so "8" is
 * user).  That is a trap rather than a feature, so numbers are rejected
 * here with a message that says so.
 */
#include "filter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"

/* Comparison flags of one selector, relative to its level. */
#define CMP_LT	0x1		/* less severe (numerically greater) */
#define CMP_EQ	0x2
#define CMP_GT	0x4		/* more severe (numerically smaller) */
#define CMP_ALL	(CMP_LT | CMP_EQ | CMP_GT)

#define NSEV	8
#define SEV_ALL	0xff

/* Longest piece of user text quoted in an error message. */
#define ERR_WORD_MAX	64

/*
 * Writes 'what "word"tail' into err.  The word comes from the configuration
 * file and ends up in a log line, so it is cut to a sane length and
 * bytes that are not printable are shown as octal escapes.
 */
static void
seterr(char *err, size_t errlen, const char *what, const char *w, size_t len,
    const char *tail)
{
	struct outbuf ob;
	size_t i, n;

	if (err == NULL || errlen == 0)
		return;
	ob_init(&ob, err, errlen);
	ob_puts(&ob, what);
	if (w == NULL)
		return;
	ob_puts(&ob, " \"");
	n = len > ERR_WORD_MAX ? ERR_WORD_MAX : len;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c == '"' || c == '\\')
			ob_printf(&ob, "\\%c", c);
		else if (isprint(c))
			ob_putc(&ob, (char)c);
		else
			ob_printf(&ob, "\\%03o", c);
	}
	if (n < len)
		ob_puts(&ob, "...");
	ob_putc(&ob, '"');
	if (tail != NULL)
		ob_puts(&ob, tail);
}

static bool
word_is(const char *w, size_t len, const char *lit)
{
	return strlen(lit) == len && strncasecmp(w, lit, len) == 0;
}

static bool
all_digits(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)w[i]))
			return false;
	return len > 0;
}

/* Severity bit mask for "level" under the comparison flags cmp. */
static uint8_t
level_mask(int level, int cmp)
{
	uint8_t mask = 0;
	int s;

	for (s = 0; s < NSEV; s++) {
		if ((s < level && (cmp & CMP_GT)) ||
		    (s == level && (cmp & CMP_EQ)) ||
		    (s > level && (cmp & CMP_LT)))
			mask |= (uint8_t)(1u << s);
	}
	return mask;
}

/*
 * The level half of one selector, "[!][<=>]level", into a severity mask.
 * "*" and "none" ignore the comparison, as in NetBSD, so that "mail.!*"
 * still means every level rather than none.
 */
static int
parse_level(const char *p, const char *e, bool eq_default, uint8_t *mask,
    const char *sel, size_t sellen, char *err, size_t errlen)
{
	bool invert = false;
	int cmp = 0, sev;

	if (p < e && *p == '!') {
		invert = true;
		p++;
	}
	for (; p < e && strchr("<=>", *p) != NULL; p++) {
		if (*p == '<')
			cmp |= CMP_LT;
		else if (*p == '=')
			cmp |= CMP_EQ;
		else
			cmp |= CMP_GT;
	}
	if (p == e) {
		seterr(err, errlen, "missing level in selector", sel, sellen,
		    NULL);
		return -1;
	}
	if (word_is(p, (size_t)(e - p), "*")) {
		*mask = SEV_ALL;
		return 0;
	}
	if (word_is(p, (size_t)(e - p), "none")) {
		*mask = 0;
		return 0;
	}
	if (all_digits(p, (size_t)(e - p))) {
		seterr(err, errlen, "unknown level", p, (size_t)(e - p),
		    " (numbers are not accepted, use a name)");
		return -1;
	}
	if ((sev = msg_sevnum(p, (size_t)(e - p))) < 0 || sev >= NSEV) {
		seterr(err, errlen, "unknown level", p, (size_t)(e - p), NULL);
		return -1;
	}
	if (cmp == 0)
		cmp = eq_default ? CMP_EQ : (CMP_EQ | CMP_GT);
	if (invert)
		cmp ^= CMP_ALL;
	*mask = level_mask(sev, cmp);
	return 0;
}

/*
 * One selector "fac[,fac...].level": checks every facility name first,
 * then sets the mask of each named facility, replacing what earlier
 * selectors of the same line set for it.
 */
static int
parse_one(const char *p, const char *e, bool eq_default, struct selector *out,
    char *err, size_t errlen)
{
	bool facs[FILTER_NFAC];
	const char *dot, *w, *we;
	uint8_t mask;
	int f;

	if ((dot = memchr(p, '.', (size_t)(e - p))) == NULL) {
		seterr(err, errlen, "missing \".\" in selector", p,
		    (size_t)(e - p), NULL);
		return -1;
	}
	if (parse_level(dot + 1, e, eq_default, &mask, p, (size_t)(e - p),
	    err, errlen) == -1)
		return -1;

	memset(facs, 0, sizeof(facs));
	for (w = p; w <= dot; w = we + 1) {
		if ((we = memchr(w, ',', (size_t)(dot - w))) == NULL)
			we = dot;
		if (we == w) {
			seterr(err, errlen, "missing facility in selector",
			    p, (size_t)(e - p), NULL);
			return -1;
		}
		if (word_is(w, (size_t)(we - w), "*")) {
			/* every real facility; "mark" only when named */
			for (f = 0; f < FILTER_FAC_MARK; f++)
				facs[f] = true;
		} else if (word_is(w, (size_t)(we - w), "mark")) {
			facs[FILTER_FAC_MARK] = true;
		} else if (all_digits(w, (size_t)(we - w))) {
			seterr(err, errlen, "unknown facility", w,
			    (size_t)(we - w),
			    " (numbers are not accepted, use a name)");
			return -1;
		} else if ((f = msg_facnum(w, (size_t)(we - w))) < 0 ||
		    f >= FILTER_FAC_MARK) {
			seterr(err, errlen, "unknown facility", w,
			    (size_t)(we - w), NULL);
			return -1;
		} else
			facs[f] = true;
	}
	for (f = 0; f < FILTER_NFAC; f++)
		if (facs[f])
			out->sevmask[f] = mask;
	return 0;
}

int
selector_parse(const char *text, size_t len, bool eq_default,
    struct selector *out, char *err, size_t errlen)
{
	const char *p = text, *e = text + len, *pe;
	int nsel = 0;

	memset(out, 0, sizeof(*out));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/*
	 * Empty selectors (";;" or a trailing ";") are skipped, as NetBSD
	 * skips them, so that such existing files keep working.
	 */
	while (p < e) {
		if ((pe = memchr(p, ';', (size_t)(e - p))) == NULL)
			pe = e;
		if (pe > p) {
			if (parse_one(p, pe, eq_default, out, err,
			    errlen) == -1)
				return -1;
			nsel++;
		}
		p = pe + 1;
	}
	if (nsel == 0) {
		seterr(err, errlen, "empty selector", NULL, 0, NULL);
		return -1;
	}
	return 0;
}

bool
selector_match(const struct selector *s, int fac, int sev)
{
	if (fac < 0 || fac >= FILTER_NFAC || sev < 0 || sev >= NSEV)
		return false;
	return (s->sevmask[fac] & (1u << sev)) != 0;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Characters a name may hold.  Host names: letters, digits and ". - _",
 * ":" for IPv6 literals and "@" for the local host.  Programs: anything
 * printable but a blank or the list separator (tags are free-form).
 */
static bool
name_char(unsigned char c, bool hosts)
{
	if (hosts)
		return isalnum(c) || strchr(".-_:@", c) != NULL;
	return c > ' ' && c < 0x7f && c != ',';
}

int
namelist_parse(const char *text, size_t len, bool negate, bool hosts,
    struct namelist *out, char *err, size_t errlen)
{
	const char *p = text, *e = text + len, *w, *we, *q;
	struct namelist nl;

	memset(&nl, 0, sizeof(nl));
	memset(out, 0, sizeof(*out));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	/* "*" or nothing: back to "every program" or "every host" */
	if (p == e || (e - p == 1 && *p == '*'))
		return 0;

	nl.negate = negate;
	while (p < e) {
		if ((we = memchr(p, ',', (size_t)(e - p))) == NULL)
			we = e;
		w = p;
		p = we < e ? we + 1 : e;
		while (w < we && is_blank(*w))
			w++;
		while (we > w && is_blank(we[-1]))
			we--;
		/* "a,,b" or "a,": nothing to match, as in NetBSD */
		if (w == we)
			continue;
		for (q = w; q < we; q++) {
			if (!name_char((unsigned char)*q, hosts)) {
				seterr(err, errlen, hosts ?
				    "invalid character in host name" :
				    "invalid character in program name",
				    w, (size_t)(we - w), NULL);
				namelist_free(&nl);
				return -1;
			}
		}
		if (strlist_add(&nl.names, w, (size_t)(we - w)) == -1) {
			seterr(err, errlen, "out of memory", NULL, 0, NULL);
			namelist_free(&nl);
			return -1;
		}
	}
	if (nl.names.n == 0)
		nl.negate = false;
	*out = nl;
	return 0;
}

void
namelist_free(struct namelist *nl)
{
	strlist_free(&nl->names);
	nl->negate = false;
}

int
namelist_copy(struct namelist *dst, const struct namelist *src)
{
	struct namelist nl;
	size_t i;

	memset(&nl, 0, sizeof(nl));
	nl.negate = src->negate;
	for (i = 0; i < src->names.n; i++) {
		if (strlist_add(&nl.names, src->names.v[i],
		    strlen(src->names.v[i])) == -1) {
			namelist_free(&nl);
			return -1;
		}
	}
	*dst = nl;
	return 0;
}

bool
prog_match(const struct namelist *nl, const char *prog)
{
	if (nl->names.n == 0)
		return true;
	/*
	 * NetBSD lets a message without a program through every program
	 * block.  Here "!sshd" means "messages from sshd", which an
	 * anonymous message is not; "!-sshd" still takes it.
	 */
	if (prog == NULL || *prog == '\0')
		return nl->negate;
	return strlist_contains(&nl->names, prog) != nl->negate;
}

/* An IP address: the first-label rule makes no sense for those. */
static bool
is_numeric_host(const char *h)
{
	if (strchr(h, ':') != NULL)
		return true;
	for (; *h != '\0'; h++)
		if (!isdigit((unsigned char)*h) && *h != '.')
			return false;
	return true;
}

/*
 * One list entry against one host: equal, ignoring case, or the entry
 * has no dot and is the host's first label ("gw" for "gw.example.org"),
 * the way NetBSD compares short names.
 */
static bool
entry_match(const char *entry, size_t elen, const char *host)
{
	size_t hlen = strlen(host);

	if (elen == 0)
		return false;
	if (elen == hlen && strncasecmp(entry, host, elen) == 0)
		return true;
	if (memchr(entry, '.', elen) != NULL ||
	    memchr(entry, ':', elen) != NULL)
		return false;
	if (is_numeric_host(host))
		return false;
	return hlen > elen && host[elen] == '.' &&
	    strncasecmp(entry, host, elen) == 0;
}

bool
host_match(const struct namelist *nl, const char *host, const char *localhost)
{
	const char *name;
	size_t i;
	bool found = false;

	if (nl->names.n == 0)
		return true;
	if (host == NULL || *host == '\0')
		host = localhost != NULL ? localhost : "";
	for (i = 0; i < nl->names.n && !found; i++) {
		name = nl->names.v[i];
		if (strcmp(name, "@") == 0) {
			/*
			 * "@" is the local host under its short name, as
			 * NetBSD has it, so it matches the short name and
			 * the full one alike.
			 */
			if (localhost == NULL || *localhost == '\0')
				continue;
			found = entry_match(localhost, strlen(localhost),
			    host) ||
			    entry_match(localhost, strcspn(localhost, "."),
			    host);
		} else
			found = entry_match(name, strlen(name), host);
	}
	return found != nl->negate;
}
