/*
 * Files and FIFOs.  Lines are buffered during a batch of input and
 * written with one writev at its end.  A FIFO without a reader keeps its
 * lines queued (within fifo_queue_size) until someone reads it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "action.h"
#include "daemon.h"
#include "ilog.h"

/* How long a full disk is left alone before the queue is tried again. */
#define ENOSPC_RETRY_SEC	5

static int
open_fifo(struct syslogd *sd, struct action *a)
{
	a->fd = open(a->rule->act.target,
	    O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (a->fd == -1 && errno != ENXIO) {
		action_error(sd, a, errno, "open");
		return -1;
	}
	/* No reader yet: lines wait in the backlog. */
	a->blocked = a->fd == -1;
	return 0;
}

static int
file_open(struct syslogd *sd, struct action *a)
{
	const char *path = a->rule->act.target;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode)) {
		a->kind = K_FIFO;
		action_set_limits(a, &sd->conf->opt.fifo_queue);
		return open_fifo(sd, a);
	}
	a->fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC);
	if (a->fd == -1) {
		action_error(sd, a, errno, "open");
		return -1;
	}
	if (isatty(a->fd)) {
		a->kind = K_TTY;
		a->ops = &tty_ops;
		return a->ops->open(sd, a);
	}
	/* Regular files: O_NONBLOCK means nothing, but keep writes simple. */
	(void)fcntl(a->fd, F_SETFL, O_WRONLY | O_APPEND);
	return 0;
}

static void
retry_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct action *a = arg;

	action_write_queue(a->sd, a);
}

static void
file_write_error(struct syslogd *sd, struct action *a, int err)
{
	struct timeval tv = { ENOSPC_RETRY_SEC, 0 };

	action_error(sd, a, err, "write");
	if (a->kind == K_FIFO && err == EPIPE) {
		/* The reader went away: keep the queue for the next one. */
		close(a->fd);
		a->fd = -1;
		return;
	}
	if (err == ENOSPC || err == EDQUOT) {
		if (a->retry_timer == NULL)
			a->retry_timer = evtimer_new(sd->base, retry_timeout, a);
		if (a->retry_timer != NULL)
			evtimer_add(a->retry_timer, &tv);
		return;
	}
	/* Anything else will not get better by itself: count and drop. */
	action_discard(a, DROP_WRITE_ERROR);
	a->blocked = false;
}

static void
file_flush(struct syslogd *sd, struct action *a)
{
	if (a->kind == K_FIFO && a->fd == -1 && open_fifo(sd, a) == -1)
		return;
	if (a->retry_timer != NULL && evtimer_pending(a->retry_timer, NULL))
		return;		/* the disk is full; the timer retries */
	action_write_queue(sd, a);
	if (a->saw_kernel && sd->opt.sync_kernel && a->rule->act.sync &&
	    a->fd != -1)
		(void)fsync(a->fd);
	a->saw_kernel = false;
}

static void
file_close(struct syslogd *sd, struct action *a)
{
	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
}

const struct action_ops file_ops = {
	.open = file_open,
	.write = action_write_line,
	.flush = file_flush,
	.close = file_close,
	.write_error = file_write_error,
};
