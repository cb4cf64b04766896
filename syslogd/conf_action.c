/*
 * The action half of a syslog.conf rule: where the selected messages go.
 *
 * Destinations, and how the bracket ambiguity is settled:
 *
 *	@host  @host:port		UDP; the port is a number or a service
 *	@::1  @fe80::1%em0		UDP to an IPv6 literal, default port: a
 *					target with two or more ":" is an
 *					address and has no port part
 *	@[host]  @[host]:port		TLS, always, as in NetBSD, whatever is
 *	@[host]:port(opt=v, ...)	inside the brackets (a name, an IPv4 or
 *					an IPv6 address)
 *
 * NetBSD only has the bracket form for TLS, so "@[...]" cannot also mean
 * UDP to an IPv6 literal without breaking existing files; UDP to an IPv6
 * literal therefore always uses the default port.
 *
 * The parsers here always move forward or stop with an error: NetBSD's
 * option parser loops for ever on an unknown key or a missing ")".
 */
#include "conf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERR_WORD_MAX	64

void
conf_errword(struct outbuf *ob, const char *s, size_t len)
{
	size_t i, n;

	n = len > ERR_WORD_MAX ? ERR_WORD_MAX : len;
	ob_putc(ob, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			ob_printf(ob, "\\%c", c);
		else if (isprint(c))
			ob_putc(ob, (char)c);
		else
			ob_printf(ob, "\\%03o", c);
	}
	if (n < len)
		ob_puts(ob, "...");
	ob_putc(ob, '"');
}

/* err = before "word" after; either word part may be absent (w NULL). */
static int
fail(char *err, size_t errlen, const char *before, const char *w, size_t len,
    const char *after)
{
	struct outbuf ob;

	if (err == NULL || errlen == 0)
		return -1;
	ob_init(&ob, err, errlen);
	ob_puts(&ob, before);
	if (w != NULL) {
		ob_putc(&ob, ' ');
		conf_errword(&ob, w, len);
	}
	if (after != NULL)
		ob_puts(&ob, after);
	return -1;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *
dupn(const char *s, size_t len)
{
	char *d;

	if ((d = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void
conf_action_free(struct conf_action *a)
{
	free(a->target);
	free(a->port);
	free(a->tls_certfile);
	strlist_free(&a->users);
	strlist_free(&a->tls_subjects);
	strlist_free(&a->tls_fingerprints);
	a->target = a->port = a->tls_certfile = NULL;
}

/* Host names and address literals: letters, digits, ". - _", ":" and "%" */
static bool
host_ok(const char *h, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)h[i]) &&
		    strchr(".-_:%", h[i]) == NULL)
			return false;
	return true;
}

/*
 * A port: 1 to 65535, or a service name (letters, digits and "-", at
 * least one letter), so "syslog-tls" can be written, unlike in NetBSD.
 */
bool
conf_port_ok(const char *p, size_t len)
{
	size_t i;
	bool alpha = false;
	long v = 0;

	if (len == 0 || len > 32)
		return false;
	for (i = 0; i < len; i++) {
		if (isalpha((unsigned char)p[i]))
			alpha = true;
		else if (!isdigit((unsigned char)p[i]) && p[i] != '-')
			return false;
	}
	if (alpha)
		return true;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
		if (v > 65535)
			return false;
	}
	return v > 0;
}

static int
set_port(struct conf_action *a, const char *p, size_t len, char *err,
    size_t errlen)
{
	if (len == 0)
		return fail(err, errlen, "missing port after \":\"", NULL, 0,
		    NULL);
	if (!conf_port_ok(p, len))
		return fail(err, errlen, "invalid port", p, len,
		    " (a number from 1 to 65535 or a service name)");
	if ((a->port = dupn(p, len)) == NULL)
		return fail(err, errlen, "out of memory", NULL, 0, NULL);
	return 0;
}

/* "@host", "@host:port", "@v6addr": everything after the "@". */
static int
parse_udp(const char *p, const char *e, struct conf_action *a, char *err,
    size_t errlen)
{
	const char *colon, *q;
	int ncolon = 0;

	for (q = p; q < e; q++)
		if (*q == ':')
			ncolon++;
	colon = ncolon == 1 ? memchr(p, ':', (size_t)(e - p)) : NULL;
	q = colon != NULL ? colon : e;
	if (q == p)
		return fail(err, errlen, "missing host name after \"@\"",
		    NULL, 0, NULL);
	if (!host_ok(p, (size_t)(q - p)))
		return fail(err, errlen, "invalid host name", p,
		    (size_t)(q - p), NULL);
	a->type = ACT_UDP;
	if ((a->target = dupn(p, (size_t)(q - p))) == NULL)
		return fail(err, errlen, "out of memory", NULL, 0, NULL);
	if (colon != NULL)
		return set_port(a, colon + 1, (size_t)(e - colon - 1), err,
		    errlen);
	return 0;
}

/*
 * A value inside the TLS options: "quoted" (\" and \\ escaped) or bare
 * up to a blank, "," or ")".  *pp is moved past it.
 */
static int
tls_value(const char **pp, const char *e, char **out, const char *key,
    size_t keylen, char *err, size_t errlen)
{
	const char *p = *pp, *v;
	char *d;
	size_t n = 0;

	if (p < e && *p == '"') {
		v = ++p;
		if ((d = malloc((size_t)(e - v) + 1)) == NULL)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
		for (; p < e && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < e &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			d[n++] = *p;
		}
		if (p == e) {
			free(d);
			return fail(err, errlen,
			    "unterminated quoted value of TLS option", key,
			    keylen, NULL);
		}
		p++;
		d[n] = '\0';
	} else {
		for (v = p; p < e && !is_blank(*p) && *p != ',' &&
		    *p != ')' && *p != '"'; p++)
			continue;
		n = (size_t)(p - v);
		if ((d = dupn(v, n)) == NULL)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
	}
	*pp = p;
	if (n == 0) {
		free(d);
		return fail(err, errlen, "missing value for TLS option", key,
		    keylen, NULL);
	}
	*out = d;
	return 0;
}

static bool
key_is(const char *k, size_t len, const char *lit)
{
	return strlen(lit) == len && strncasecmp(k, lit, len) == 0;
}

/*
 * The "(key=value, ...)" list of a TLS destination; *pp points just
 * past "(" and is left just past ")".  Items are separated by commas,
 * blanks or both.
 */
static int
tls_options(const char **pp, const char *e, struct conf_action *a, char *err,
    size_t errlen)
{
	const char *p = *pp, *k;
	size_t klen;
	char *v;
	int r;

	for (;;) {
		while (p < e && (is_blank(*p) || *p == ','))
			p++;
		if (p == e)
			return fail(err, errlen,
			    "missing \")\" after TLS options", NULL, 0, NULL);
		if (*p == ')')
			break;
		for (k = p; p < e && (isalnum((unsigned char)*p) || *p == '_');
		    p++)
			continue;
		if ((klen = (size_t)(p - k)) == 0)
			return fail(err, errlen, "unexpected", p,
			    (size_t)(e - p), " in TLS options");
		if (!key_is(k, klen, "subject") &&
		    !key_is(k, klen, "fingerprint") &&
		    !key_is(k, klen, "cert") && !key_is(k, klen, "verify"))
			return fail(err, errlen, "unknown TLS option", k, klen,
			    " (subject, fingerprint, cert or verify)");
		while (p < e && is_blank(*p))
			p++;
		if (p == e || *p != '=')
			return fail(err, errlen,
			    "missing \"=\" after TLS option", k, klen, NULL);
		p++;
		while (p < e && is_blank(*p))
			p++;
		v = NULL;
		if (tls_value(&p, e, &v, k, klen, err, errlen) == -1)
			return -1;
		r = 0;
		if (key_is(k, klen, "subject"))
			r = strlist_add(&a->tls_subjects, v, strlen(v));
		else if (key_is(k, klen, "fingerprint"))
			r = strlist_add(&a->tls_fingerprints, v, strlen(v));
		else if (key_is(k, klen, "cert")) {
			/* like global scalars: the last one wins */
			free(a->tls_certfile);
			a->tls_certfile = v;
			v = NULL;
		} else if (strcasecmp(v, "off") == 0)
			a->tls_verify = TLS_VERIFY_OFF;
		else if (strcasecmp(v, "opt") == 0)
			a->tls_verify = TLS_VERIFY_OPT;
		else if (strcasecmp(v, "on") == 0)
			a->tls_verify = TLS_VERIFY_ON;
		else {
			fail(err, errlen, "invalid value", v, strlen(v),
			    " for TLS option \"verify\" (off, opt or on)");
			free(v);
			return -1;
		}
		free(v);
		if (r == -1)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
	}
	*pp = p + 1;
	return 0;
}

/* "@[host]", then ":port", blanks and "(options)", each optional. */
static int
parse_tls(const char *p, const char *e, struct conf_action *a, char *err,
    size_t errlen)
{
	const char *rb, *q;

	a->type = ACT_TLS;
	if ((rb = memchr(p, ']', (size_t)(e - p))) == NULL)
		return fail(err, errlen, "missing \"]\" after \"@[\"", NULL, 0,
		    NULL);
	if (rb == p)
		return fail(err, errlen, "missing host name in \"@[]\"",
		    NULL, 0, NULL);
	if (!host_ok(p, (size_t)(rb - p)))
		return fail(err, errlen, "invalid host name", p,
		    (size_t)(rb - p), NULL);
	if ((a->target = dupn(p, (size_t)(rb - p))) == NULL)
		return fail(err, errlen, "out of memory", NULL, 0, NULL);
	p = rb + 1;
	if (p < e && *p == ':') {
		for (q = ++p; q < e && (isalnum((unsigned char)*q) ||
		    *q == '-'); q++)
			continue;
		if (set_port(a, p, (size_t)(q - p), err, errlen) == -1)
			return -1;
		p = q;
	}
	while (p < e && is_blank(*p))
		p++;
	if (p < e && *p == '(') {
		p++;
		if (tls_options(&p, e, a, err, errlen) == -1)
			return -1;
		while (p < e && is_blank(*p))
			p++;
	}
	if (p < e)
		return fail(err, errlen, "unexpected", p, (size_t)(e - p),
		    " after TLS destination");
	return 0;
}

static bool
user_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/*
 * "user1,user2": names of letters, digits, ". _ -"; blanks around the
 * commas are skipped.  Anything else cannot be an action at all.
 */
static int
parse_users(const char *text, const char *e, struct conf_action *a, char *err,
    size_t errlen)
{
	const char *p = text, *w;

	a->type = ACT_USERS;
	for (;;) {
		for (w = p; p < e && user_char(*p); p++)
			continue;
		if (p == w) {
			if (p == e || *p == ',')
				return fail(err, errlen,
				    "missing user name in", text,
				    (size_t)(e - text), NULL);
			return fail(err, errlen, "invalid action", text,
			    (size_t)(e - text), " (expected /file, |command, "
			    "@host, * or a list of user names)");
		}
		if (strlist_add(&a->users, w, (size_t)(p - w)) == -1)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
		while (p < e && is_blank(*p))
			p++;
		if (p == e)
			return 0;
		if (*p != ',')
			return fail(err, errlen, "invalid action", text,
			    (size_t)(e - text), " (expected /file, |command, "
			    "@host, * or a list of user names)");
		p++;
		while (p < e && is_blank(*p))
			p++;
	}
}

static int
parse_action(const char *p, const char *e, struct conf_action *a, char *err,
    size_t errlen)
{
	const char *start = p;
	bool plus = false, minus = false;

	/* "+" keeps the PRI, "-" turns off sync; either order, once each. */
	for (; p < e && (*p == '+' || *p == '-'); p++) {
		bool *flag = *p == '+' ? &plus : &minus;

		if (*flag)
			return fail(err, errlen, "invalid action", start,
			    (size_t)(e - start), " (repeated \"+\" or \"-\")");
		*flag = true;
	}
	a->keep_pri = plus;
	if (p < e && *p == '/') {
		a->sync = !minus;
		a->type = strlen("/dev/console") == (size_t)(e - p) &&
		    memcmp(p, "/dev/console", (size_t)(e - p)) == 0 ?
		    ACT_CONSOLE : ACT_FILE;
		if ((a->target = dupn(p, (size_t)(e - p))) == NULL)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
		return 0;
	}
	if (p < e && *p == '|') {
		if (minus)
			return fail(err, errlen, "invalid action", start,
			    (size_t)(e - start),
			    " (\"-\" applies to files only)");
		for (p++; p < e && is_blank(*p); p++)
			continue;
		if (p == e)
			return fail(err, errlen, "missing command after \"|\"",
			    NULL, 0, NULL);
		a->type = ACT_PIPE;
		if ((a->target = dupn(p, (size_t)(e - p))) == NULL)
			return fail(err, errlen, "out of memory", NULL, 0,
			    NULL);
		return 0;
	}
	if (plus || minus)
		return fail(err, errlen, "invalid action", start,
		    (size_t)(e - start),
		    " (\"+\" and \"-\" must be followed by /file or |command)");
	if (p < e && *p == '@') {
		p++;
		if (p < e && *p == '[')
			return parse_tls(p + 1, e, a, err, errlen);
		return parse_udp(p, e, a, err, errlen);
	}
	if (e - p == 1 && *p == '*') {
		a->type = ACT_WALL;
		return 0;
	}
	return parse_users(p, e, a, err, errlen);
}

int
conf_action_parse(const char *text, size_t len, struct conf_action *out,
    char *err, size_t errlen)
{
	const char *p = text, *e = text + len;

	memset(out, 0, sizeof(*out));
	out->sync = true;
	out->tls_verify = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	if (p == e)
		return fail(err, errlen, "missing action", NULL, 0, NULL);
	if (parse_action(p, e, out, err, errlen) == -1) {
		conf_action_free(out);
		return -1;
	}
	return 0;
}
