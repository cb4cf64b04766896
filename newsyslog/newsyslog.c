/*
 * newsyslog: rotate the logs named in newsyslog.conf.  See newsyslog(8).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

#include "conf.h"
#include "decide.h"
#include "rotate.h"
#include "when.h"

#ifndef PATH_NEWSYSLOG_CONF
#define PATH_NEWSYSLOG_CONF	"/etc/newsyslog.conf"
#endif

static void
usage(void)
{
	fprintf(stderr,
	    "usage: newsyslog [-Fnrsv] [-f config_file] [file ...]\n");
	exit(1);
}

static int
res_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	(void)ctx;
	if ((pw = getpwnam(name)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int
res_group(void *ctx, const char *name, gid_t *gid)
{
	struct group *gr;

	(void)ctx;
	if ((gr = getgrnam(name)) == NULL)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

static void
conf_error(void *ctx, const char *file, int line, const char *msg)
{
	(void)ctx;
	warnx("%s:%d: %s", file, line, msg);
}

/* Reads all of fd; NULL (reported) on failure. */
static char *
slurp(int fd, const char *name, size_t *lenp)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				warnx("%s: out of memory", name);
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			warn("%s", name);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*lenp = len;
	return buf;
}

static void
fmt_limit(char *buf, size_t len, long v, const char *unit)
{
	if (v < 0)
		snprintf(buf, len, "*");
	else
		snprintf(buf, len, "%ld%s", v, unit);
}

int
main(int argc, char *argv[])
{
	const char *conffile = PATH_NEWSYSLOG_CONF, *env;
	const char *fname;
	struct ns_resolver res = { res_user, res_group, NULL };
	struct ns_conf conf = { NULL, 0, 0 };
	struct ns_opts o;
	struct ns_run run = { NULL, 0, 0, 0 };
	struct ns_logstate st;
	struct ns_decision d;
	struct timeval tv;
	char host[256], lim[32], ival[32], age[32];
	bool force = false, rflag = false, *wanted = NULL;
	size_t len, i;
	char *text;
	int ch, fd = -1, errors = 0, n, k;

	memset(&o, 0, sizeof(o));
	o.out = stdout;
	o.reopen_timeout_ms = NS_REOPEN_TIMEOUT_MS;
	while ((ch = getopt(argc, argv, "Ff:nrsv")) != -1) {
		switch (ch) {
		case 'F':
			force = true;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			o.dryrun = true;
			o.verbose = true;
			break;
		case 'r':
			rflag = true;
			break;
		case 's':
			o.nosignal = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	if (!rflag && !o.dryrun && geteuid() != 0)
		errx(1, "must be run as root (or with -r)");

	if ((env = getenv("NEWSYSLOG_NOW")) != NULL && *env != '\0') {
		if (ns_parse_now(env, &o.now) < 0)
			errx(1, "NEWSYSLOG_NOW=\"%s\": want seconds since the "
			    "epoch or YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm]", env);
		o.usec = 0;
	} else {
		gettimeofday(&tv, NULL);
		o.now = tv.tv_sec;
		o.usec = (long)tv.tv_usec;
	}
	if (gethostname(host, sizeof(host)) < 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	o.host = host;
	o.pid = (long)getpid();

	if (strcmp(conffile, "-") == 0) {
		fname = "(stdin)";
		text = slurp(STDIN_FILENO, fname, &len);
	} else {
		fname = conffile;
		if ((fd = open(conffile, O_RDONLY)) < 0)
			err(1, "%s", conffile);
		/* Runs with the same configuration take turns. */
		if (!o.dryrun && flock(fd, LOCK_EX) < 0)
			warn("%s: cannot lock", conffile);
		text = slurp(fd, fname, &len);
	}
	if (text == NULL)
		exit(1);
	n = ns_conf_parse(&conf, fname, text, len, &res, conf_error, NULL);
	free(text);
	if (n < 0)
		errx(1, "out of memory");
	errors += n;

	/* file ...: only these logs, each of which must be configured. */
	if (argc > 0) {
		if (conf.n > 0 &&
		    (wanted = calloc(conf.n, sizeof(*wanted))) == NULL)
			errx(1, "out of memory");
		for (k = 0; k < argc; k++) {
			for (i = 0; i < conf.n; i++)
				if (strcmp(conf.v[i].path, argv[k]) == 0)
					break;
			if (i == conf.n) {
				warnx("%s: not in %s", argv[k], fname);
				errors++;
			} else
				wanted[i] = true;
		}
	}

	for (i = 0; i < conf.n; i++) {
		const struct ns_entry *e = &conf.v[i];

		if (wanted != NULL && !wanted[i])
			continue;
		if (argc > 0 && wanted == NULL)
			continue;
		if (geteuid() != 0 && e->uid != (uid_t)-1 &&
		    e->uid != geteuid()) {
			warnx("%s:%d: %s: the owner must be you (uid %ld) "
			    "when not run as root", e->file, e->line, e->path,
			    (long)geteuid());
			errors++;
			continue;
		}
		if (ns_examine(e, &st) < 0) {
			errors++;
			continue;
		}
		ns_decide(e, &st, o.now, force, &d);
		if (o.verbose) {
			fmt_limit(lim, sizeof(lim), e->size_kib, " KiB");
			fmt_limit(ival, sizeof(ival), e->when.interval, " h");
			fmt_limit(age, sizeof(age), d.age_hours, " h");
			switch (d.verdict) {
			case NS_MISSING:
			case NS_MISSING_CREATE:
			case NS_NOT_REGULAR:
				printf("%s: %s\n", e->path,
				    ns_verdict_str(d.verdict));
				break;
			default:
				printf("%s: size %ld KiB [%s], age %s [%s]: "
				    "%s%s%s\n", e->path, d.size_kib, lim, age,
				    ival, d.verdict == NS_KEEP ?
				    "not trimming" : "trimming (",
				    d.verdict == NS_KEEP ? "" :
				    ns_verdict_str(d.verdict),
				    d.verdict == NS_KEEP ? "" : ")");
				break;
			}
			fflush(stdout);
		}
		switch (d.verdict) {
		case NS_TRIM_SIZE:
		case NS_TRIM_AGE:
		case NS_TRIM_TIME:
		case NS_TRIM_FORCE:
			/* ns_trim() counts its errors in run. */
			(void)ns_trim(&run, e, &o);
			break;
		case NS_MISSING_CREATE:
			if (ns_create(e, &o) < 0)
				errors++;
			break;
		case NS_KEEP:
		case NS_MISSING:
		case NS_NOT_REGULAR:
			break;
		}
	}
	errors += ns_finish(&run, &o);

	free(wanted);
	ns_conf_free(&conf);
	if (fd >= 0)
		close(fd);	/* and the lock with it */
	return errors > 0 ? 1 : 0;
}
