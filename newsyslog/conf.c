/*
 * newsyslog.conf parser.  See conf.h; the file format is described in
 * newsyslog.conf(5).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define MAX_FIELDS	9

const char ns_default_pidfile[] = PATH_SYSLOGD_PID;

struct parser {
	struct ns_conf		*conf;
	const char		*file;
	int			line;
	const struct ns_resolver *r;
	ns_errfn		err;
	void			*errctx;
	int			nerr;
};

static void
perr(struct parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->nerr++;
	if (p->err != NULL)
		p->err(p->errctx, p->file, p->line, msg);
}

static const struct {
	const char	*name;
	int		num;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "IOT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "SYS", SIGSYS },
#ifdef SIGIO
	{ "IO", SIGIO },
#endif
#ifdef SIGINFO
	{ "INFO", SIGINFO },
#endif
#ifdef SIGPWR
	{ "PWR", SIGPWR },
#endif
};

#ifdef NSIG
#define MAX_SIG		(NSIG - 1)
#else
#define MAX_SIG		64
#endif

int
ns_signum(const char *name)
{
	const char *s = name;
	size_t i;
	long v;
	char *end;

	if (isdigit((unsigned char)*s)) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno != 0 || *end != '\0' || v < 1 || v > MAX_SIG)
			return -1;
		return (int)v;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].num;
	return -1;
}

const char *
ns_signame(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].num == sig)
			return signals[i].name;
	return NULL;
}

const char *
ns_comp_suffix(enum ns_comp comp)
{
	switch (comp) {
	case NS_COMP_GZIP:
		return ".gz";
	case NS_COMP_BZIP2:
		return ".bz2";
	case NS_COMP_XZ:
		return ".xz";
	case NS_COMP_NONE:
		break;
	}
	return "";
}

void
ns_conf_free(struct ns_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->n; i++) {
		free(conf->v[i].path);
		free(conf->v[i].pidfile);
	}
	free(conf->v);
	conf->v = NULL;
	conf->n = conf->cap = 0;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* A decimal id; -1 when it does not fit. */
static long
parse_id(const char *s)
{
	long v;

	errno = 0;
	v = strtol(s, NULL, 10);
	if (errno != 0 || v < 0 || v > (long)INT_MAX)
		return -1;
	return v;
}

static int
lookup_user(struct parser *p, const char *name, uid_t *uid, gid_t *gid)
{
	long v;

	*gid = (gid_t)-1;
	if (all_digits(name)) {
		if ((v = parse_id(name)) < 0)
			return -1;
		*uid = (uid_t)v;
		return 0;
	}
	if (p->r == NULL || p->r->user == NULL)
		return -1;
	return p->r->user(p->r->ctx, name, uid, gid);
}

static int
lookup_group(struct parser *p, const char *name, gid_t *gid)
{
	long v;

	if (all_digits(name)) {
		if ((v = parse_id(name)) < 0)
			return -1;
		*gid = (gid_t)v;
		return 0;
	}
	if (p->r == NULL || p->r->group == NULL)
		return -1;
	return p->r->group(p->r->ctx, name, gid);
}

/*
 * "user:group", "user.group", "user:", ":group", "user" (only when it
 * has a "." and names a user as a whole).
 */
static int
parse_owner(struct parser *p, char *f, struct ns_entry *e)
{
	char *user = f, *group = NULL, *sep;
	uid_t uid;
	gid_t gid, pgid = (gid_t)-1;

	sep = strchr(f, ':');
	if (sep == NULL) {
		/* "a.b": a user name with a dot, else user.group. */
		if (lookup_user(p, f, &uid, &pgid) == 0) {
			e->uid = uid;
			e->gid = pgid;
			return 0;
		}
		sep = strchr(f, '.');
	}
	*sep = '\0';
	group = sep + 1;
	if (*user != '\0') {
		if (lookup_user(p, user, &uid, &pgid) < 0) {
			perr(p, "unknown user \"%s\"", user);
			return -1;
		}
		e->uid = uid;
	}
	if (*group != '\0') {
		if (lookup_group(p, group, &gid) < 0) {
			perr(p, "unknown group \"%s\"", group);
			return -1;
		}
		e->gid = gid;
	} else if (*user != '\0')
		e->gid = pgid;
	return 0;
}

static int
parse_flags(struct parser *p, const char *f, struct ns_entry *e)
{
	for (; *f != '\0'; f++) {
		switch (toupper((unsigned char)*f)) {
		case '-':
			break;
		case 'B':
			e->flags |= NS_F_BINARY;
			break;
		case 'C':
			e->flags |= NS_F_CREATE;
			break;
		case 'N':
			e->flags |= NS_F_NOSIGNAL;
			break;
		case 'P':
			e->flags |= NS_F_PLAIN0;
			break;
		case 'J':
			e->comp = NS_COMP_BZIP2;
			break;
		case 'X':
			e->comp = NS_COMP_XZ;
			break;
		case 'Z':
			e->comp = NS_COMP_GZIP;
			break;
		default:
			if (isprint((unsigned char)*f))
				perr(p, "unknown flag \"%c\" (want B, C, N, "
				    "P, J, X, Z or -)", *f);
			else
				perr(p, "unknown flag byte 0x%02x",
				    (unsigned char)*f);
			return -1;
		}
	}
	return 0;
}

static int
add_entry(struct parser *p, struct ns_entry *e)
{
	struct ns_conf *c = p->conf;
	struct ns_entry *nv;
	size_t ncap;

	if (c->n == c->cap) {
		ncap = c->cap == 0 ? 16 : c->cap * 2;
		nv = realloc(c->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = *e;
	return 0;
}

/* Returns 0 (entry added or error reported) or -1 when out of memory. */
static int
parse_fields(struct parser *p, char **fld, int nf)
{
	struct ns_entry e;
	char err[256], *end;
	int i = 0;
	size_t k;
	long v;

	memset(&e, 0, sizeof(e));
	e.file = p->file;
	e.line = p->line;
	e.uid = (uid_t)-1;
	e.gid = (gid_t)-1;
	e.sig = SIGHUP;

	if (nf > MAX_FIELDS) {
		perr(p, "too many fields (%d, at most %d)", nf, MAX_FIELDS);
		return 0;
	}
	/* logfile */
	if (fld[i][0] != '/') {
		perr(p, "log file \"%s\" is not an absolute path", fld[i]);
		return 0;
	}
	i++;
	/* [owner:group] */
	if (i < nf && strpbrk(fld[i], ":.") != NULL) {
		e.has_owner = true;
		if (parse_owner(p, fld[i], &e) < 0)
			return 0;
		i++;
	}
	if (nf - i < 4) {
		perr(p, "too few fields: want logfile [owner:group] mode "
		    "count size when [flags] [/pidfile] [signal]");
		return 0;
	}
	/* mode */
	for (k = 0; fld[i][k] != '\0'; k++)
		if (fld[i][k] < '0' || fld[i][k] > '7')
			break;
	v = strtol(fld[i], NULL, 8);
	if (fld[i][k] != '\0' || k == 0 || k > 5 || v > 07777) {
		perr(p, "bad mode \"%s\" (want octal, at most 7777)", fld[i]);
		return 0;
	}
	e.mode = (mode_t)v;
	i++;
	/* count */
	if (!all_digits(fld[i]) || strlen(fld[i]) > 4 ||
	    (v = strtol(fld[i], NULL, 10)) > NS_MAX_COUNT) {
		perr(p, "bad count \"%s\" (want 0-%d)", fld[i], NS_MAX_COUNT);
		return 0;
	}
	e.count = (int)v;
	i++;
	/* size, in KiB */
	if (strcmp(fld[i], "*") == 0)
		e.size_kib = -1;
	else {
		errno = 0;
		v = strtol(fld[i], &end, 0);
		if (!isdigit((unsigned char)fld[i][0]) || *end != '\0' ||
		    errno != 0 || v < 0 || v > LONG_MAX / 1024) {
			perr(p, "bad size \"%s\" (want KiB or \"*\")", fld[i]);
			return 0;
		}
		e.size_kib = v;
	}
	i++;
	/* when */
	if (ns_when_parse(fld[i], &e.when, err, sizeof(err)) < 0) {
		perr(p, "%s", err);
		return 0;
	}
	i++;
	/* [flags] [/pidfile] [signal], in this order */
	if (i < nf && fld[i][0] != '/') {
		if (parse_flags(p, fld[i], &e) < 0)
			return 0;
		i++;
	}
	if (i < nf && fld[i][0] == '/') {
		if ((e.pidfile = strdup(fld[i])) == NULL)
			return -1;
		i++;
	}
	if (i < nf) {
		if ((e.sig = ns_signum(fld[i])) < 0) {
			perr(p, "%s \"%s\"", fld[i][0] == '/' ?
			    "unexpected second pid file" : "unknown signal",
			    fld[i]);
			free(e.pidfile);
			return 0;
		}
		i++;
	}
	if (i < nf) {
		perr(p, "unexpected field \"%s\" after the signal", fld[i]);
		free(e.pidfile);
		return 0;
	}
	if (e.pidfile == NULL && (e.pidfile = strdup(ns_default_pidfile)) == NULL)
		return -1;

	for (k = 0; k < p->conf->n; k++) {
		if (strcmp(p->conf->v[k].path, fld[0]) == 0) {
			perr(p, "second entry for %s (the first is at %s:%d)",
			    fld[0], p->conf->v[k].file, p->conf->v[k].line);
			free(e.pidfile);
			return 0;
		}
	}
	if ((e.path = strdup(fld[0])) == NULL || add_entry(p, &e) < 0) {
		free(e.path);
		free(e.pidfile);
		return -1;
	}
	return 0;
}

/* Splits a logical line into fields and parses them. */
static int
parse_line(struct parser *p, char *s)
{
	char *fld[MAX_FIELDS + 1];
	int nf = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (nf <= MAX_FIELDS)
			fld[nf] = s;
		nf++;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
	if (nf == 0)
		return 0;
	if (nf > MAX_FIELDS) {
		perr(p, "too many fields (%d, at most %d)", nf, MAX_FIELDS);
		return 0;
	}
	return parse_fields(p, fld, nf);
}

/* Is the character at s[i] preceded by an odd number of backslashes? */
static bool
escaped(const char *s, size_t i)
{
	size_t n = 0;

	while (i > 0 && s[i - 1] == '\\') {
		n++;
		i--;
	}
	return n % 2 == 1;
}

int
ns_conf_parse(struct ns_conf *conf, const char *file, const char *text,
    size_t len, const struct ns_resolver *r, ns_errfn err, void *errctx)
{
	struct parser p;
	char *buf, *out;
	size_t pos = 0, o, i, plen;
	int lineno = 0;
	bool more;

	memset(&p, 0, sizeof(p));
	p.conf = conf;
	p.file = file;
	p.r = r;
	p.err = err;
	p.errctx = errctx;

	if ((buf = malloc(len + 1)) == NULL)
		return -1;
	while (pos < len) {
		/* Collect one logical line into buf. */
		o = 0;
		p.line = lineno + 1;
		do {
			const char *ln = text + pos;
			const char *nl = memchr(ln, '\n', len - pos);

			plen = nl != NULL ? (size_t)(nl - ln) : len - pos;
			pos += plen + (nl != NULL);
			lineno++;
			if (plen > 0 && ln[plen - 1] == '\r')
				plen--;
			/* A "#" that is not escaped starts a comment. */
			for (i = 0; i < plen; i++)
				if (ln[i] == '#' && !escaped(ln, i))
					break;
			plen = i;
			more = plen > 0 && ln[plen - 1] == '\\' &&
			    !escaped(ln, plen - 1) && pos < len;
			if (more)
				plen--;
			for (i = 0; i < plen; i++) {
				if (ln[i] == '\0') {
					buf[o++] = ' ';
					continue;
				}
				/* "\#" and "\\" stand for "#" and "\". */
				if (ln[i] == '\\' && i + 1 < plen &&
				    (ln[i + 1] == '#' || ln[i + 1] == '\\'))
					i++;
				buf[o++] = ln[i];
			}
			if (more)
				buf[o++] = ' ';
		} while (more);
		buf[o] = '\0';
		out = buf;
		if (parse_line(&p, out) < 0) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return p.nerr;
}
