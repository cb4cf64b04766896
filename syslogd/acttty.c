/*
 * Terminals: the console, tty paths, users' terminals and wall.  Lines
 * are ASCII-only and end in CR LF.  A terminal that does not drain is
 * never waited for: its lines queue up to a small limit, then are dropped
 * and counted.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#include <event2/buffer.h>

#include "action.h"
#include "daemon.h"
#include "ilog.h"

#define TTY_LINE_MAX	1024		/* as NetBSD: terminals get short lines */
#define TTY_QUEUE_MAX	(16 * 1024)

/* Formats m for a terminal into buf: no PRI, ASCII only. */
static size_t
tty_line(struct syslogd *sd, const struct msg *m, char *buf, size_t cap)
{
	struct msg_fmt_opts fo = { sd->opt.format, true, &sd->tz };
	char wire[TTY_LINE_MAX + 64];
	size_t len, body, taglen = 0;

	len = msg_format(m, &fo, wire, sizeof(wire), &body);
	if (sd->opt.verbose > 0)
		taglen = msg_verbose_tag(m->fac, m->sev, sd->opt.verbose,
		    buf, cap);
	if (taglen + len - body + 1 > cap)
		len = body + (cap - taglen - 1);
	memcpy(buf + taglen, wire + body, len - body);
	buf[taglen + len - body] = '\0';
	return taglen + len - body;
}

static int
tty_open(struct syslogd *sd, struct action *a)
{
	const char *path = a->kind == K_CONSOLE ? "/dev/console" :
	    a->rule->act.target;

	struct queue_limit ql = { -1, TTY_QUEUE_MAX };

	action_set_limits(a, &ql);
	if (a->fd != -1)
		return 0;
	a->fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (a->fd == -1) {
		action_error(sd, a, errno, "open");
		return -1;
	}
	return 0;
}

static void
tty_write(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len, size_t body_off)
{
	char line[TTY_LINE_MAX + 2];
	size_t n;

	/* The kernel has already printed its own messages on the console. */
	if (a->kind == K_CONSOLE && (m->flags & MSG_F_KERNEL))
		return;
	n = tty_line(sd, m, line, sizeof(line) - 1);
	line[n++] = '\r';
	action_enqueue(sd, a, m->sev, line, n, NULL, 0);
}

static void
tty_write_error(struct syslogd *sd, struct action *a, int err)
{
	action_error(sd, a, err, "write");
	action_discard(a, DROP_WRITE_ERROR);
	a->blocked = false;
	if (err == EIO || err == EBADF) {
		/* A hung-up terminal: reopen on the next message. */
		close(a->fd);
		a->fd = -1;
	}
}

static void
tty_flush(struct syslogd *sd, struct action *a)
{
	if (a->fd == -1 && tty_open(sd, a) == -1) {
		action_discard(a, DROP_WRITE_ERROR);
		return;
	}
	action_write_queue(sd, a);
}

static void
tty_close(struct syslogd *sd, struct action *a)
{
	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
}

const struct action_ops tty_ops = {
	.open = tty_open,
	.write = tty_write,
	.flush = tty_flush,
	.close = tty_close,
	.write_error = tty_write_error,
};

static int
users_open(struct syslogd *sd, struct action *a)
{
	return 0;
}

static bool
wants(const struct action *a, const struct utmpx *ut)
{
	char name[sizeof(ut->ut_user) + 1];

	if (a->kind == K_WALL)
		return true;
	memcpy(name, ut->ut_user, sizeof(ut->ut_user));
	name[sizeof(ut->ut_user)] = '\0';
	return strlist_contains(&a->rule->act.users, name);
}

/*
 * One write per terminal, never waiting: a terminal that is not ready
 * (or a user who said "mesg n") simply does not get the line.
 */
static void
users_write(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len, size_t body_off)
{
	char line[TTY_LINE_MAX + 256], tty[PATH_MAX], when[32];
	struct utmpx *ut;
	struct stat st;
	struct tm tm;
	time_t now = time(NULL);
	size_t n = 0;
	int fd, delivered = 0;

	if (a->kind == K_WALL) {
		localtime_r(&now, &tm);
		strftime(when, sizeof(when), "%a %b %e %T", &tm);
		n = (size_t)snprintf(line, sizeof(line),
		    "\r\n\007Message from syslogd@%s at %s ...\r\n",
		    sd->shortname, when);
	}
	n += tty_line(sd, m, line + n, sizeof(line) - n - 2);
	line[n++] = '\r';
	line[n++] = '\n';

	setutxent();
	while ((ut = getutxent()) != NULL) {
		if (ut->ut_type != USER_PROCESS || !wants(a, ut))
			continue;
		snprintf(tty, sizeof(tty), "/dev/%.*s",
		    (int)sizeof(ut->ut_line), ut->ut_line);
		if (strstr(tty, "/../") != NULL)
			continue;
		fd = open(tty, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd == -1)
			continue;
		if (a->kind == K_USERS &&
		    (fstat(fd, &st) == -1 || !(st.st_mode & S_IWGRP))) {
			close(fd);
			continue;
		}
		if (write(fd, line, n) == (ssize_t)n)
			delivered++;
		close(fd);
	}
	endutxent();
	if (delivered > 0)
		a->cnt.written++;
}

static void
users_flush(struct syslogd *sd, struct action *a)
{
}

static void
users_close(struct syslogd *sd, struct action *a)
{
}

const struct action_ops users_ops = {
	.open = users_open,
	.write = users_write,
	.flush = users_flush,
	.close = users_close,
};
