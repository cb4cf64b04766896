/*
 * A stand-in for a daemon that keeps a log open, for the newsyslog tests.
 *
 *	h_logd [-d ms] [-iP] pidfile logfile
 *
 * It opens logfile for appending (the file must exist), writes "started",
 * then its pid into pidfile (written under another name and renamed, so
 * that the pid file appears complete).  On SIGHUP it waits ms
 * milliseconds, writes "late" into the file it has open, closes it and
 * opens logfile again, and writes "reopened" into the new one.  With -i it
 * writes "hup ignored" instead and keeps the old file.  SIGTERM or SIGINT
 * end it.
 *
 * -P makes the process not dumpable (Linux): then /proc/PID/fd can be read
 * by root only, and newsyslog run by the same user has to fall back to its
 * portable evidence that the file was reopened.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static void
die(const char *what)
{
	fprintf(stderr, "h_logd: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
put(int fd, const char *s)
{
	size_t len = strlen(s);

	if (write(fd, s, len) != (ssize_t)len)
		die("write");
}

int
main(int argc, char *argv[])
{
	const char *pidfile, *logfile;
	char tmp[4096], buf[32];
	struct timespec ts;
	sigset_t set;
	long delay = 0;
	int ch, fd, pfd, sig, ignore = 0;

	while ((ch = getopt(argc, argv, "d:iP")) != -1) {
		switch (ch) {
		case 'd':
			delay = strtol(optarg, NULL, 10);
			break;
		case 'i':
			ignore = 1;
			break;
		case 'P':
#ifdef __linux__
			if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
				die("prctl");
#endif
			break;
		default:
			fprintf(stderr,
			    "usage: h_logd [-d ms] [-iP] pidfile logfile\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: h_logd [-d ms] [-iP] pidfile logfile\n");
		return 2;
	}
	pidfile = argv[optind];
	logfile = argv[optind + 1];

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask");

	if ((fd = open(logfile, O_WRONLY | O_APPEND)) < 0)
		die(logfile);
	put(fd, "started\n");

	snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
	if ((pfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		die(tmp);
	snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	put(pfd, buf);
	close(pfd);
	if (rename(tmp, pidfile) < 0)
		die(pidfile);

	for (;;) {
		if (sigwait(&set, &sig) != 0)
			die("sigwait");
		if (sig != SIGHUP)
			break;
		if (ignore) {
			put(fd, "hup ignored\n");
			continue;
		}
		if (delay > 0) {
			ts.tv_sec = delay / 1000;
			ts.tv_nsec = (delay % 1000) * 1000000L;
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		put(fd, "late\n");
		close(fd);
		if ((fd = open(logfile, O_WRONLY | O_APPEND)) < 0)
			die(logfile);
		put(fd, "reopened\n");
	}
	close(fd);
	return 0;
}
