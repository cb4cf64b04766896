/*
 * syslog.conf: text in, a struct conf out.  Pure: the caller reads the
 * file, nothing is opened or resolved here, so reloads and "syslogd -N"
 * can check a file without side effects.
 *
 * One pass does everything.  NetBSD reads the file twice (options, then
 * rules), but options are global and rules do not depend on them while
 * being parsed, so one pass gives the same order independence.
 *
 * Lines:
 *	blank, "#comment"		ignored
 *	"!prog", "#!prog", ...		program block, "+host", "-host" host
 *					block (see do_block())
 *	keyword = value			global option (see keywords[])
 *	selector<blanks>action		a rule (filter.c and conf_action.c)
 * A line ending in a backslash is joined with the next one, the
 * backslash and the newline removed; comments included.
 */
#include "conf.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERRMAX	512

struct parser {
	struct conf	*c;
	const char	*file;
	struct strlist	*errors;
	bool		 eq_default;
	int		 line;		/* first physical line of this one */
	bool		 oom;
	size_t		 rulecap;
	/*
	 * The blocks in force.  After a bad block line its rules are
	 * checked but not kept: neither the previous block nor "all" is
	 * what the author meant.
	 */
	struct namelist	 progs, hosts;
	bool		 progs_bad, hosts_bad;
};

static void perror_at(struct parser *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends "file:line: message" to the error list. */
static void
perror_at(struct parser *ps, const char *fmt, ...)
{
	char buf[ERRMAX + 256];
	int n, m;
	va_list ap;

	if (ps->errors == NULL)
		return;
	n = snprintf(buf, sizeof(buf), "%s:%d: ", ps->file, ps->line);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0)
		buf[n] = '\0';
	if (strlist_add(ps->errors, buf, strlen(buf)) == -1)
		ps->oom = true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Quotes a word from the file for an error message; see conf_errword(). */
static const char *
qword(char *buf, size_t cap, const char *s, size_t len)
{
	struct outbuf ob;

	ob_init(&ob, buf, cap);
	conf_errword(&ob, s, len);
	return buf;
}

/* ---- values ---------------------------------------------------------- */

int
conf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
conf_parse_size(const char *s, long long *out)
{
	long long v = 0, mul = 1;
	const char *p = s;

	if (strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (LLONG_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1LL << 10;
		p++;
		break;
	case 'm': case 'M':
		mul = 1LL << 20;
		p++;
		break;
	case 'g': case 'G':
		mul = 1LL << 30;
		p++;
		break;
	default:
		return -1;
	}
	if (*p != '\0' || v > LLONG_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* A whole number of seconds, 0 to INT_MAX (libevent takes a timeval). */
static int
parse_seconds(const char *s, long long *out)
{
	long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * One value of an option line at *pp: "double quoted", with \" and \\
 * standing for " and \ (any other backslash is kept as it is), or up to
 * the next blank.  *pp is moved past it.  Returns a malloc'ed copy, or
 * NULL with *bad set for an unterminated quote (else out of memory).
 */
static char *
opt_value(const char **pp, const char *e, bool *bad)
{
	const char *p = *pp, *v;
	char *d;
	size_t n = 0;

	*bad = false;
	if (p < e && *p == '"') {
		p++;
		if ((d = malloc((size_t)(e - p) + 1)) == NULL)
			return NULL;
		for (; p < e && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < e &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			d[n++] = *p;
		}
		if (p == e) {
			free(d);
			*bad = true;
			return NULL;
		}
		d[n] = '\0';
		*pp = p + 1;
		return d;
	}
	for (v = p; p < e && !is_blank(*p); p++)
		continue;
	*pp = p;
	if ((d = malloc((size_t)(p - v) + 1)) == NULL)
		return NULL;
	memcpy(d, v, (size_t)(p - v));
	d[p - v] = '\0';
	return d;
}

/* ---- global options ------------------------------------------------- */

enum okind {
	O_STR,		/* any text */
	O_PORT,		/* number or service name */
	O_BOOL,
	O_VERIFY,	/* off, opt, on */
	O_TLSVER,	/* 1.2, 1.3 */
	O_LIST,		/* blank-separated, each item optionally quoted */
	O_DELIM,	/* list of SPRI numbers, 0 to 191 */
	O_SIZE,		/* conf_parse_size(), -1 or more */
	O_MSGSIZE,	/* conf_parse_size(), at least 8192 */
	O_CONNS,	/* conf_parse_size(), -1 or at least 1 */
	O_SECONDS,
	O_SIGNSG,	/* 0 to 3 */
};

struct keyword {
	const char	*name;
	enum okind	 kind;
	size_t		 off;
};

#define OPT(f)	offsetof(struct conf_options, f)

/*
 * Every keyword, matched whole and ignoring case (NetBSD matches a
 * prefix, so "tls_cadir" first failed as "tls_ca").  The defaults are set
 * in set_defaults().
 */
static const struct keyword keywords[] = {
	{ "tls_server", O_BOOL, OPT(tls_server) },
	{ "tls_bindhost", O_STR, OPT(tls_bindhost) },
	{ "tls_bindport", O_PORT, OPT(tls_bindport) },
	{ "tls_gen_cert", O_BOOL, OPT(tls_gen_cert) },
	{ "tls_key", O_STR, OPT(tls_key) },
	{ "tls_cert", O_STR, OPT(tls_cert) },
	{ "tls_ca", O_STR, OPT(tls_ca) },
	{ "tls_cadir", O_STR, OPT(tls_cadir) },
	{ "tls_crl", O_STR, OPT(tls_crl) },
	{ "tls_verify", O_VERIFY, OPT(tls_verify) },
	{ "tls_allow_fingerprints", O_LIST, OPT(tls_allow_fingerprints) },
	{ "tls_allow_clientcerts", O_LIST, OPT(tls_allow_clientcerts) },
	{ "tls_allow_subjects", O_LIST, OPT(tls_allow_subjects) },
	{ "tls_ciphers", O_STR, OPT(tls_ciphers) },
	{ "tls_min_version", O_TLSVER, OPT(tls_min_version) },
	{ "tls_max_msg_size", O_MSGSIZE, OPT(tls_max_msg_size) },
	{ "tls_max_connections", O_CONNS, OPT(tls_max_connections) },
	{ "tls_handshake_timeout", O_SECONDS, OPT(tls_handshake_timeout) },
	{ "tls_idle_timeout", O_SECONDS, OPT(tls_idle_timeout) },
	{ "tls_queue_length", O_SIZE, OPT(tls_queue.length) },
	{ "tls_queue_size", O_SIZE, OPT(tls_queue.size) },
	{ "file_queue_length", O_SIZE, OPT(file_queue.length) },
	{ "file_queue_size", O_SIZE, OPT(file_queue.size) },
	{ "pipe_queue_length", O_SIZE, OPT(pipe_queue.length) },
	{ "pipe_queue_size", O_SIZE, OPT(pipe_queue.size) },
	{ "fifo_queue_length", O_SIZE, OPT(fifo_queue.length) },
	{ "fifo_queue_size", O_SIZE, OPT(fifo_queue.size) },
	{ "spool_dir", O_STR, OPT(spool_dir) },
	{ "spool_size", O_SIZE, OPT(spool_size) },
	{ "sign_sg", O_SIGNSG, OPT(sign_sg) },
	{ "sign_delim_sg2", O_DELIM, OPT(sign_delim_sg2) },
};

static const struct keyword *
find_keyword(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == len &&
		    strncasecmp(keywords[i].name, w, len) == 0)
			return &keywords[i];
	return NULL;
}

static char *
xstrdup(struct parser *ps, const char *s)
{
	char *d;

	if ((d = strdup(s)) == NULL)
		ps->oom = true;
	return d;
}

static void
set_defaults(struct parser *ps, struct conf_options *o)
{
	memset(o, 0, sizeof(*o));
	o->tls_bindport = xstrdup(ps, CONF_DEFAULT_TLS_PORT);
	o->tls_key = xstrdup(ps, CONF_DEFAULT_TLS_KEY);
	o->tls_cert = xstrdup(ps, CONF_DEFAULT_TLS_CERT);
	o->tls_verify = TLS_VERIFY_ON;
	o->tls_max_msg_size = CONF_DEFAULT_TLS_MSG_SIZE;
	o->tls_max_connections = CONF_DEFAULT_TLS_CONNECTIONS;
	o->tls_handshake_timeout = CONF_DEFAULT_TLS_HANDSHAKE;
	o->tls_idle_timeout = CONF_DEFAULT_TLS_IDLE;
	o->tls_queue.length = -1;
	o->tls_queue.size = 16LL << 20;
	o->file_queue.length = 1024;
	o->file_queue.size = 1LL << 20;
	o->pipe_queue = o->file_queue;
	o->fifo_queue = o->file_queue;
	o->spool_size = 64LL << 20;
	o->sign_sg = -1;
}

static void
free_options(struct conf_options *o)
{
	free(o->tls_bindhost);
	free(o->tls_bindport);
	free(o->tls_key);
	free(o->tls_cert);
	free(o->tls_ca);
	free(o->tls_cadir);
	free(o->tls_crl);
	free(o->tls_ciphers);
	free(o->tls_min_version);
	free(o->spool_dir);
	strlist_free(&o->tls_allow_fingerprints);
	strlist_free(&o->tls_allow_clientcerts);
	strlist_free(&o->tls_allow_subjects);
	strlist_free(&o->sign_delim_sg2);
}

static void
bad_value(struct parser *ps, const struct keyword *kw, const char *v,
    const char *expected)
{
	char q[ERRMAX];

	perror_at(ps, "invalid value %s for \"%s\" (%s)",
	    qword(q, sizeof(q), v, strlen(v)), kw->name, expected);
}

/* An SPRI bound of sign_delim_sg2, stored back as a plain number. */
static int
check_delim(struct parser *ps, const struct keyword *kw, char **v)
{
	const char *p;
	char num[12];
	int n = 0;

	for (p = *v; isdigit((unsigned char)*p) && n <= 191; p++)
		n = n * 10 + (*p - '0');
	if (p == *v || *p != '\0' || n > 191) {
		bad_value(ps, kw, *v, "numbers from 0 to 191");
		return -1;
	}
	(void)snprintf(num, sizeof(num), "%d", n);
	free(*v);
	*v = xstrdup(ps, num);
	return *v == NULL ? -1 : 0;
}

/*
 * Sets a scalar option; takes v over.  On a bad value the option keeps
 * what it had.
 */
static void
set_scalar(struct parser *ps, const struct keyword *kw, char *v)
{
	char *base = (char *)&ps->c->opt + kw->off;
	long long n;
	bool b, keep = false;	/* keep: v becomes the option's string */

	switch (kw->kind) {
	case O_STR:
		keep = true;
		break;
	case O_PORT:
		if (!(keep = conf_port_ok(v, strlen(v))))
			bad_value(ps, kw, v,
			    "a port number from 1 to 65535 or a service name");
		break;
	case O_TLSVER:
		if (!(keep = strcmp(v, "1.2") == 0 || strcmp(v, "1.3") == 0))
			bad_value(ps, kw, v, "1.2 or 1.3");
		break;
	case O_BOOL:
		if (conf_parse_bool(v, &b) == -1)
			bad_value(ps, kw, v,
			    "on/off, yes/no, true/false or 1/0");
		else
			*(bool *)(void *)base = b;
		break;
	case O_VERIFY:
		if (strcasecmp(v, "off") == 0)
			ps->c->opt.tls_verify = TLS_VERIFY_OFF;
		else if (strcasecmp(v, "opt") == 0)
			ps->c->opt.tls_verify = TLS_VERIFY_OPT;
		else if (strcasecmp(v, "on") == 0)
			ps->c->opt.tls_verify = TLS_VERIFY_ON;
		else
			bad_value(ps, kw, v, "off, opt or on");
		break;
	case O_SIZE:
		if (conf_parse_size(v, &n) == -1)
			bad_value(ps, kw, v, "a number with an optional "
			    "k, M or G suffix, or -1 for no limit");
		else
			*(long long *)(void *)base = n;
		break;
	case O_MSGSIZE:
		if (conf_parse_size(v, &n) == -1 ||
		    n < CONF_MIN_TLS_MSG_SIZE)
			bad_value(ps, kw, v, "a size of at least 8192 bytes");
		else
			*(long long *)(void *)base = n;
		break;
	case O_CONNS:
		if (conf_parse_size(v, &n) == -1 || n == 0)
			bad_value(ps, kw, v, "a number of at least 1, "
			    "or -1 for no limit");
		else
			*(long long *)(void *)base = n;
		break;
	case O_SECONDS:
		if (parse_seconds(v, &n) == -1)
			bad_value(ps, kw, v, "a number of seconds");
		else
			*(long long *)(void *)base = n;
		break;
	case O_SIGNSG:
		/* NetBSD turns any other value into 3; we say so instead */
		if (strlen(v) != 1 || v[0] < '0' || v[0] > '3')
			bad_value(ps, kw, v, "0, 1, 2 or 3");
		else
			ps->c->opt.sign_sg = v[0] - '0';
		break;
	case O_LIST:
	case O_DELIM:
		break;
	}
	if (keep) {
		free(*(char **)(void *)base);
		*(char **)(void *)base = v;
	} else
		free(v);
}

/*
 * "keyword = value" with p at the keyword, known to be followed by
 * blanks and "=".  Scalars take one value and allow only a comment
 * after it; lists take every blank-separated item to the end of the
 * line (or a "#" comment) and add to what earlier lines gave.
 */
static void
do_option(struct parser *ps, const char *p, const char *e)
{
	const struct keyword *kw;
	struct strlist items = { NULL, 0 };
	const char *k = p;
	char q[ERRMAX], *v;
	bool bad;
	size_t i;

	while (p < e && ident_char(*p))
		p++;
	if ((kw = find_keyword(k, (size_t)(p - k))) == NULL) {
		perror_at(ps, "unknown keyword %s",
		    qword(q, sizeof(q), k, (size_t)(p - k)));
		return;
	}
	while (p < e && is_blank(*p))
		p++;
	p++;			/* the "=" */
	while (p < e && is_blank(*p))
		p++;
	if (p == e || *p == '#') {
		perror_at(ps, "missing value for \"%s\"", kw->name);
		return;
	}
	if (kw->kind == O_LIST || kw->kind == O_DELIM) {
		/* all items or none, so a bad item leaves the list as it was */
		while (p < e && *p != '#') {
			if ((v = opt_value(&p, e, &bad)) == NULL)
				goto badvalue;
			if (kw->kind == O_DELIM &&
			    check_delim(ps, kw, &v) == -1) {
				free(v);
				strlist_free(&items);
				return;
			}
			if (strlist_add(&items, v, strlen(v)) == -1)
				ps->oom = true;
			free(v);
			while (p < e && is_blank(*p))
				p++;
		}
		for (i = 0; i < items.n; i++)
			if (strlist_add((struct strlist *)(void *)
			    ((char *)&ps->c->opt + kw->off), items.v[i],
			    strlen(items.v[i])) == -1)
				ps->oom = true;
		strlist_free(&items);
		return;
	}
	if ((v = opt_value(&p, e, &bad)) == NULL)
		goto badvalue;
	while (p < e && is_blank(*p))
		p++;
	if (p < e && *p != '#') {
		perror_at(ps, "unexpected %s after the value of \"%s\"",
		    qword(q, sizeof(q), p, (size_t)(e - p)), kw->name);
		free(v);
		return;
	}
	if (*v == '\0') {
		perror_at(ps, "empty value for \"%s\"", kw->name);
		free(v);
		return;
	}
	set_scalar(ps, kw, v);
	return;
badvalue:
	if (bad)
		perror_at(ps, "unterminated quoted value of \"%s\"", kw->name);
	else
		ps->oom = true;
	strlist_free(&items);
}

/* ---- blocks and rules ------------------------------------------------ */

/*
 * "!prog", "!+prog", "!-prog", "!*", "!" and "+host", "-host", "+*",
 * "+", "-" (a leading "#" is already gone).  A block replaces the one of
 * its kind and leaves the other kind alone, so they combine.
 */
static void
do_block(struct parser *ps, const char *p, const char *e)
{
	struct namelist nl, *cur;
	char err[ERRMAX];
	bool negate = false, hosts = *p != '!', *bad;

	if (!hosts) {
		p++;
		if (p < e && (*p == '-' || *p == '+'))
			negate = *p++ == '-';
		cur = &ps->progs;
		bad = &ps->progs_bad;
	} else {
		negate = *p++ == '-';
		cur = &ps->hosts;
		bad = &ps->hosts_bad;
	}
	namelist_free(cur);
	if (namelist_parse(p, (size_t)(e - p), negate, hosts, &nl, err,
	    sizeof(err)) == -1) {
		perror_at(ps, "%s (the rules up to the next %s block are "
		    "ignored)", err, hosts ? "host" : "program");
		*bad = true;
		return;
	}
	*cur = nl;
	*bad = false;
}

static int
add_rule(struct parser *ps, const struct selector *sel,
    struct conf_action *act, const char *text, size_t len)
{
	struct conf *c = ps->c;
	struct conf_rule *r, *nr;
	size_t ncap;

	if (c->nrules == ps->rulecap) {
		ncap = ps->rulecap == 0 ? 16 : ps->rulecap * 2;
		if ((nr = realloc(c->rules, ncap * sizeof(*nr))) == NULL)
			return -1;
		c->rules = nr;
		ps->rulecap = ncap;
	}
	r = &c->rules[c->nrules];
	memset(r, 0, sizeof(*r));
	r->sel = *sel;
	r->line = ps->line;
	if (namelist_copy(&r->progs, &ps->progs) == -1)
		return -1;
	if (namelist_copy(&r->hosts, &ps->hosts) == -1 ||
	    (r->text = malloc(len + 1)) == NULL) {
		namelist_free(&r->progs);
		namelist_free(&r->hosts);
		return -1;
	}
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	r->act = *act;
	c->nrules++;
	return 0;
}

/* "selector<blanks>action" */
static void
do_rule(struct parser *ps, const char *p, const char *e)
{
	struct selector sel;
	struct conf_action act;
	const char *s = p;
	char err[ERRMAX], q[ERRMAX];
	int bad = 0;

	while (p < e && !is_blank(*p))
		p++;
	if (p == e) {
		perror_at(ps, "missing action after selector %s",
		    qword(q, sizeof(q), s, (size_t)(p - s)));
		return;
	}
	if (selector_parse(s, (size_t)(p - s), ps->eq_default, &sel, err,
	    sizeof(err)) == -1) {
		perror_at(ps, "%s", err);
		bad = 1;
	}
	/* an action error is worth reporting with a selector error */
	if (conf_action_parse(p, (size_t)(e - p), &act, err,
	    sizeof(err)) == -1) {
		perror_at(ps, "%s", err);
		return;
	}
	if (bad || ps->progs_bad || ps->hosts_bad) {
		conf_action_free(&act);
		return;
	}
	if (add_rule(ps, &sel, &act, s, (size_t)(e - s)) == -1) {
		conf_action_free(&act);
		ps->oom = true;
	}
}

/* One logical line, continuation lines joined, no newline, NUL-free. */
static void
do_line(struct parser *ps, const char *p, const char *e)
{
	const struct keyword *kw;
	const char *k;

	while (p < e && is_blank(*p))
		p++;
	while (e > p && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	if (p == e)
		return;
	if (*p == '#') {
		/* "#!", "#+", "#-": block lines in BSD comment disguise */
		if (e - p > 1 && strchr("!+-", p[1]) != NULL)
			do_block(ps, p + 1, e);
		return;
	}
	if (*p == '!' || *p == '+' || *p == '-') {
		do_block(ps, p, e);
		return;
	}
	/* "identifier =" is an option line; a selector has "." or "," */
	if (isalpha((unsigned char)*p) || *p == '_') {
		for (k = p; k < e && ident_char(*k); k++)
			continue;
		kw = find_keyword(p, (size_t)(k - p));
		while (k < e && is_blank(*k))
			k++;
		if (kw != NULL && (k == e || *k != '=')) {
			perror_at(ps, "missing \"=\" after \"%s\"", kw->name);
			return;
		}
		if (k < e && *k == '=') {
			do_option(ps, p, e);
			return;
		}
	}
	do_rule(ps, p, e);
}

/* A growable buffer for the logical line being assembled. */
struct linebuf {
	char	*b;
	size_t	 len, cap;
	bool	 toolong;
};

static int
lb_append(struct linebuf *lb, const char *s, size_t n)
{
	char *nb;
	size_t ncap;

	if (lb->toolong || lb->len + n > CONF_LINE_MAX) {
		lb->toolong = true;
		return 0;
	}
	if (lb->len + n + 1 > lb->cap) {
		for (ncap = lb->cap ? lb->cap : 256; ncap < lb->len + n + 1;)
			ncap *= 2;
		if ((nb = realloc(lb->b, ncap)) == NULL)
			return -1;
		lb->b = nb;
		lb->cap = ncap;
	}
	memcpy(lb->b + lb->len, s, n);
	lb->len += n;
	lb->b[lb->len] = '\0';
	return 0;
}

struct conf *
conf_parse(const char *text, size_t len, const char *file,
    const struct conf_env *env, struct strlist *errors)
{
	struct parser ps;
	struct linebuf lb = { NULL, 0, 0, false };
	const char *p = text, *e = text + len, *nl, *se;
	int lineno = 1;
	bool cont;

	memset(&ps, 0, sizeof(ps));
	ps.file = file != NULL ? file : "syslog.conf";
	ps.errors = errors;
	ps.eq_default = env != NULL && env->eq_default;
	if ((ps.c = calloc(1, sizeof(*ps.c))) == NULL)
		return NULL;
	ps.c->file = xstrdup(&ps, ps.file);
	set_defaults(&ps, &ps.c->opt);

	while (p < e && !ps.oom) {
		ps.line = lineno;
		lb.len = 0;
		lb.toolong = false;
		do {
			nl = memchr(p, '\n', (size_t)(e - p));
			se = nl != NULL ? nl : e;
			if (se > p && se[-1] == '\r')
				se--;
			cont = se > p && se[-1] == '\\';
			if (lb_append(&lb, p, (size_t)(se - p) -
			    (cont ? 1 : 0)) == -1)
				ps.oom = true;
			p = nl != NULL ? nl + 1 : e;
			if (nl != NULL)
				lineno++;
		} while (cont && p < e);
		if (ps.oom)
			break;
		if (lb.toolong)
			perror_at(&ps, "line too long (more than %d bytes)",
			    CONF_LINE_MAX);
		else if (lb.len > 0 && memchr(lb.b, '\0', lb.len) != NULL)
			perror_at(&ps, "NUL byte in line");
		else if (lb.len > 0)
			do_line(&ps, lb.b, lb.b + lb.len);
	}
	free(lb.b);
	namelist_free(&ps.progs);
	namelist_free(&ps.hosts);
	if (ps.oom) {
		conf_free(ps.c);
		return NULL;
	}
	return ps.c;
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrules; i++) {
		namelist_free(&c->rules[i].progs);
		namelist_free(&c->rules[i].hosts);
		conf_action_free(&c->rules[i].act);
		free(c->rules[i].text);
	}
	free(c->rules);
	free_options(&c->opt);
	free(c->file);
	free(c);
}

struct conf *
conf_fallback(const struct conf_env *env)
{
	static const char text[] = "*.err\t/dev/console\n*.panic\t*\n";
	struct conf_env plain = { .eq_default = false };

	/*
	 * -U would make "*.err" mean err alone; the fallback is there to
	 * show everything serious, so it never takes it.
	 */
	(void)env;
	return conf_parse(text, sizeof(text) - 1, "(built-in)", &plain,
	    NULL);
}
