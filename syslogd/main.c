/*
 * syslogd: command line, start-up order, privileges and signals.
 *
 * Start-up: parse options; check the configuration (-N) and exit, or
 * fork (unless -d/-F) with the parent waiting until the child is ready;
 * open the inputs and the first configuration's files as root; write the
 * pid file; chroot and drop privileges; then run the event loop.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "action.h"
#include "conf.h"
#include "daemon.h"
#include "ilog.h"
#include "net.h"
#include "resolver.h"
#include "sign.h"
#include "tls.h"
#include "tlsnet.h"

#ifndef _PATH_SYSLOG_CONF
#define _PATH_SYSLOG_CONF	"/etc/syslog.conf"
#endif
#ifndef _PATH_SYSLOGD_PID
#define _PATH_SYSLOGD_PID	"/var/run/syslogd.pid"
#endif
#ifndef _PATH_LOG_SOCKET
#if defined(__linux__)
#define _PATH_LOG_SOCKET	"/dev/log"
#else
#define _PATH_LOG_SOCKET	"/var/run/log"
#endif
#endif

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: syslogd [-dFIKkNnrSsTUvX] [-B buffer_length] "
	    "[-b bind_address]\n"
	    "               [-f config_file] [-g group] [-i pidfile] "
	    "[-m mark_interval]\n"
	    "               [-o output_format] [-P file_list] "
	    "[-p log_socket]\n"
	    "               [-t chroot_dir] [-u user]\n");
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "syslogd: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static long
number_arg(char opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		die("-%c %s: expected a number from %ld to %ld", opt, s, min,
		    max);
	return v;
}

static void
read_socket_list(struct options *o, const char *file)
{
	char line[PATH_MAX + 2];
	FILE *fp;

	if ((fp = fopen(file, "r")) == NULL)
		die("-P %s: %s", file, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t len = strcspn(line, "\r\n");
		char *p = line;

		line[len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (strlist_add(&o->sockets, p, strlen(p)) == -1)
			die("out of memory");
	}
	fclose(fp);
}

static void
parse_options(struct options *o, int argc, char **argv, bool *check_only,
    bool *print_cert)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->conf_file = _PATH_SYSLOG_CONF;
	o->pid_file = _PATH_SYSLOGD_PID;
	o->mark_minutes = 20;
	o->format = MSG_FMT_BSD;
	while ((ch = getopt(argc, argv,
	    "B:b:dFf:g:Ii:Kkm:Nno:P:p:rSsTt:Uu:vX")) != -1) {
		switch (ch) {
		case 'B':
			o->rcvbuf = number_arg('B', optarg, 1, 1L << 30);
			break;
		case 'b':
			if (strlist_add(&o->udp_binds, optarg,
			    strlen(optarg)) == -1)
				die("out of memory");
			break;
		case 'd':
			o->debug = o->foreground = true;
			break;
		case 'F':
			o->foreground = true;
			break;
		case 'f':
			o->conf_file = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'I':
			*print_cert = true;
			break;
		case 'i':
			o->pid_file = optarg;
			o->pid_file_given = true;
			break;
		case 'K':
			o->no_klog = true;
			break;
		case 'k':
			o->keep_kern = true;
			break;
		case 'm':
			o->mark_minutes = (int)number_arg('m', optarg, 0,
			    INT_MAX / 60);
			break;
		case 'N':
			*check_only = true;
			break;
		case 'n':
			o->numeric = true;
			break;
		case 'o':
			if (strcmp(optarg, "bsd") == 0 ||
			    strcmp(optarg, "rfc3164") == 0)
				o->format = MSG_FMT_BSD;
			else if (strcmp(optarg, "syslog") == 0 ||
			    strcmp(optarg, "rfc5424") == 0)
				o->format = MSG_FMT_RFC5424;
			else
				die("-o %s: expected bsd, rfc3164, syslog or "
				    "rfc5424", optarg);
			break;
		case 'P':
			read_socket_list(o, optarg);
			o->sockets_given = true;
			break;
		case 'p':
			if (strlist_add(&o->sockets, optarg,
			    strlen(optarg)) == -1)
				die("out of memory");
			o->sockets_given = true;
			break;
		case 'r':
			o->no_repeat = true;
			break;
		case 'S':
			o->sync_kernel = true;
			break;
		case 's':
			o->secure = true;
			break;
		case 'T':
			o->use_local_time = true;
			break;
		case 't':
			o->chroot_dir = optarg;
			break;
		case 'U':
			o->eq_default = true;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			if (o->verbose < 2)
				o->verbose++;
			break;
		case 'X':
			o->no_overflow_report = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (!o->sockets_given &&
	    strlist_add(&o->sockets, _PATH_LOG_SOCKET,
	    strlen(_PATH_LOG_SOCKET)) == -1)
		die("out of memory");
	if (o->debug && !o->pid_file_given)
		o->pid_file = NULL;
}

/* -N: parse only; every error on stderr as file:line: message. */
static int
check_config(const struct options *o)
{
	struct conf_env env = { o->eq_default };
	struct strlist errors = { NULL, 0 };
	struct conf *c;
	char *text;
	size_t len;
	int rc;

	if ((text = daemon_read_file(o->conf_file, &len)) == NULL) {
		fprintf(stderr, "%s: %s\n", o->conf_file, strerror(errno));
		return 1;
	}
	c = conf_parse(text, len, o->conf_file, &env, &errors);
	free(text);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "%s\n", errors.v[i]);
	rc = c == NULL || errors.n > 0;
	conf_free(c);
	strlist_free(&errors);
	return rc;
}

static void
hostnames(struct syslogd *sd)
{
	char *dot;

	if (gethostname(sd->fqdn, sizeof(sd->fqdn) - 1) == -1)
		strcpy(sd->fqdn, "localhost");
	sd->fqdn[sizeof(sd->fqdn) - 1] = '\0';
	str_copy(sd->shortname, sd->fqdn, sizeof(sd->shortname));
	if ((dot = strchr(sd->shortname, '.')) != NULL)
		*dot = '\0';
}

/*
 * The parent stays until the child says it is ready (or failed), so that
 * whoever started syslogd knows its sockets are there when it returns.
 */
static int
daemonize(void)
{
	int p[2], nullfd;
	char c;
	pid_t pid;

	if (pipe(p) == -1)
		die("pipe: %s", strerror(errno));
	switch ((pid = fork())) {
	case -1:
		die("fork: %s", strerror(errno));
	case 0:
		break;
	default:
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 && c == 'r' ? 0 : 1);
	}
	close(p[0]);
	(void)setsid();
	(void)chdir("/");
	if ((nullfd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(nullfd, STDIN_FILENO);
		(void)dup2(nullfd, STDOUT_FILENO);
		if (nullfd > STDERR_FILENO)
			close(nullfd);
	}
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return p[1];
}

static void
write_pidfile(struct syslogd *sd)
{
	char buf[32];
	int fd, n;

	if (sd->opt.pid_file == NULL)
		return;
	fd = open(sd->opt.pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)sd->pid);
	if (fd == -1 || write(fd, buf, (size_t)n) != n)
		ilog(sd, LOG_ERR, "%s: %s", sd->opt.pid_file, strerror(errno));
	if (fd != -1)
		close(fd);
}

/* Resolves -u and -g before anything is opened; dies on unknown names. */
static void
lookup_ids(const struct options *o, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	struct group *gr;
	char *end;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (o->user != NULL) {
		if ((pw = getpwnam(o->user)) != NULL) {
			*uid = pw->pw_uid;
			*gid = pw->pw_gid;
		} else {
			unsigned long v = strtoul(o->user, &end, 10);
			if (*o->user == '\0' || *end != '\0')
				die("-u %s: no such user", o->user);
			*uid = (uid_t)v;
		}
	}
	if (o->group != NULL) {
		if ((gr = getgrnam(o->group)) != NULL)
			*gid = gr->gr_gid;
		else {
			unsigned long v = strtoul(o->group, &end, 10);
			if (*o->group == '\0' || *end != '\0')
				die("-g %s: no such group", o->group);
			*gid = (gid_t)v;
		}
	}
}

static void
drop_privileges(struct syslogd *sd, uid_t uid, gid_t gid)
{
	const struct options *o = &sd->opt;

	if (o->chroot_dir != NULL &&
	    (chroot(o->chroot_dir) == -1 || chdir("/") == -1))
		die("-t %s: %s", o->chroot_dir, strerror(errno));
	if (gid != (gid_t)-1) {
		if (setgroups(1, &gid) == -1 || setgid(gid) == -1 ||
		    setegid(gid) == -1)
			die("cannot change group to %ld: %s", (long)gid,
			    strerror(errno));
	}
	if (uid != (uid_t)-1) {
		if (setuid(uid) == -1 || seteuid(uid) == -1)
			die("cannot change user to %ld: %s", (long)uid,
			    strerror(errno));
		/* Make sure there is no way back. */
		if (uid != 0 && setuid(0) != -1)
			die("privileges could not be dropped");
	}
}

/* -I: our certificate, as a peer's configuration wants to see it. */
static int
print_identity(struct syslogd *sd)
{
	struct conf_env env = { sd->opt.eq_default };
	struct strlist errors = { NULL, 0 }, addrs = { NULL, 0 };
	struct tls_identity id = { sd->fqdn, NULL };
	char err[TLS_ERRLEN];
	struct conf *c;
	char *text;
	size_t len;
	int rc;

	if ((text = daemon_read_file(sd->opt.conf_file, &len)) == NULL)
		die("%s: %s", sd->opt.conf_file, strerror(errno));
	c = conf_parse(text, len, sd->opt.conf_file, &env, &errors);
	free(text);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "%s\n", errors.v[i]);
	if (c == NULL)
		die("out of memory");
	if (c->opt.tls_gen_cert && tls_local_addrs(&addrs, err,
	    sizeof(err)) == 0)
		id.addrs = &addrs;
	rc = tls_print_identity(stdout, &c->opt, c->opt.tls_gen_cert, &id, err,
	    sizeof(err));
	if (rc != 0)
		fprintf(stderr, "syslogd: %s\n", err);
	strlist_free(&addrs);
	strlist_free(&errors);
	conf_free(c);
	return rc != 0;
}

#define EXIT_DRAIN_TICKS	30	/* times 100 ms */

/*
 * Exit once connected TLS destinations have handed their queues to the
 * kernel, or after a few seconds: what is left then is counted (and
 * spooled where a spool is configured) when the actions close.
 */
static void
exit_tick(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;

	if (!tlsnet_pending(sd) || ++sd->exit_ticks >= EXIT_DRAIN_TICKS)
		event_base_loopexit(sd->base, NULL);
}

static void
begin_exit(struct syslogd *sd)
{
	struct timeval tick = { 0, 100000 };

	if (sd->exit_timer != NULL)
		return;
	if (!tlsnet_pending(sd)) {
		event_base_loopexit(sd->base, NULL);
		return;
	}
	sd->exit_timer = event_new(sd->base, -1, EV_PERSIST, exit_tick, sd);
	if (sd->exit_timer == NULL || event_add(sd->exit_timer, &tick) == -1)
		event_base_loopexit(sd->base, NULL);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct syslogd *sd = arg;

	switch (sig) {
	case SIGHUP:
		dlog(sd, "reloading %s", sd->opt.conf_file);
		/* A new /etc/localtime is taken too (when TZ is not set). */
		tzset();
		tzcache_forget(&sd->tz);
		resolver_refresh(sd);
		if (daemon_load_config(sd, false) == 0)
			ilog(sd, LOG_INFO, "restart");
		break;
	case SIGUSR1:
		tlsnet_retry_now(sd);
		break;
	case SIGUSR2:
		daemon_report_counters(sd);
		break;
	case SIGCHLD:
		pipe_reap(sd);
		break;
	case SIGINT:
	case SIGQUIT:
		/* In the foreground (-d, -F) they come from a terminal. */
		if (!sd->opt.foreground)
			break;
		/* FALLTHROUGH */
	case SIGTERM:
		ilog(sd, LOG_INFO, "exiting on signal %d", (int)sig);
		sign_flush(sd);
		daemon_flush(sd);
		begin_exit(sd);
		break;
	}
	daemon_flush(sd);
}

static void
add_signal(struct syslogd *sd, int sig)
{
	struct event *ev = evsignal_new(sd->base, sig, on_signal, sd);

	if (ev == NULL || evsignal_add(ev, NULL) == -1)
		die("cannot handle signal %d", sig);
	sd->sig_events[sd->nsig_events++] = ev;
}

int
main(int argc, char **argv)
{
	struct syslogd sd;
	bool check_only = false, print_cert = false;
	uid_t uid;
	gid_t gid;
	int ready_fd = -1;

	memset(&sd, 0, sizeof(sd));
	tzset();
	parse_options(&sd.opt, argc, argv, &check_only, &print_cert);
	if (check_only) {
		int rc = check_config(&sd.opt);

		strlist_free(&sd.opt.sockets);
		strlist_free(&sd.opt.udp_binds);
		return rc;
	}
	hostnames(&sd);
	if (print_cert) {
		int rc = print_identity(&sd);

		strlist_free(&sd.opt.sockets);
		strlist_free(&sd.opt.udp_binds);
		return rc;
	}
	lookup_ids(&sd.opt, &uid, &gid);

	(void)signal(SIGPIPE, SIG_IGN);
	/* A file over RLIMIT_FSIZE is a write error (EFBIG), not a death. */
	(void)signal(SIGXFSZ, SIG_IGN);
	if (!sd.opt.foreground)
		ready_fd = daemonize();
	sd.pid = getpid();
	if ((sd.scratch = malloc(sizeof(*sd.scratch))) == NULL ||
	    (sd.fmtbuf[0] = malloc(FMTBUF_SIZE)) == NULL ||
	    (sd.fmtbuf[1] = malloc(FMTBUF_SIZE)) == NULL)
		die("out of memory");
	if ((sd.base = event_base_new()) == NULL)
		die("cannot create the event loop");

	for (size_t i = 0; i < sd.opt.sockets.n; i++)
		(void)net_open_unix(&sd, sd.opt.sockets.v[i]);
	if (!sd.opt.secure) {
		if (sd.opt.udp_binds.n == 0)
			(void)net_open_udp(&sd, "");
		for (size_t i = 0; i < sd.opt.udp_binds.n; i++)
			if (net_open_udp(&sd, sd.opt.udp_binds.v[i]) == -1)
				die("cannot receive on -b %s",
				    sd.opt.udp_binds.v[i]);
	}
	if (!sd.opt.no_klog)
		(void)net_open_klog(&sd);
	if (sd.inputs == NULL)
		die("no input could be opened");

	daemon_load_config(&sd, true);
	write_pidfile(&sd);
	drop_privileges(&sd, uid, gid);

	if (net_start(&sd) == -1)
		die("cannot start reading the inputs");
	add_signal(&sd, SIGHUP);
	add_signal(&sd, SIGTERM);
	add_signal(&sd, SIGINT);
	add_signal(&sd, SIGQUIT);
	add_signal(&sd, SIGUSR1);
	add_signal(&sd, SIGUSR2);
	add_signal(&sd, SIGCHLD);

	sd.started = true;
	ilog(&sd, LOG_INFO, "restart");
	daemon_flush(&sd);
	if (ready_fd != -1) {
		(void)write(ready_fd, "r", 1);
		close(ready_fd);
	}

	event_base_dispatch(sd.base);

	if (sd.exit_timer != NULL)
		event_free(sd.exit_timer);
	/* What TLS clients sent before the end is written first. */
	tlsnet_shutdown(&sd);
	resolver_shutdown(&sd);
	daemon_free_config(&sd);
	sign_free(&sd);
	net_close_all(&sd);
	if (sd.opt.pid_file != NULL && sd.opt.chroot_dir == NULL)
		(void)unlink(sd.opt.pid_file);
	for (size_t i = 0; i < sd.nsig_events; i++)
		event_free(sd.sig_events[i]);
	if (sd.dns != NULL)
		evdns_base_free(sd.dns, 0);
	event_base_free(sd.base);
	free(sd.scratch);
	free(sd.fmtbuf[0]);
	free(sd.fmtbuf[1]);
	free(sd.pending);
	strlist_free(&sd.opt.sockets);
	strlist_free(&sd.opt.udp_binds);
	return 0;
}
