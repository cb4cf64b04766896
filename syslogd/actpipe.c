/*
 * |command: lines go to the standard input of "/bin/sh -c command".
 * The command is started on the first message and started again, at
 * most once a second, when it exits; lines written meanwhile wait in the
 * queue (pipe_queue_size).
 *
 * syslogd keeps the read end of the pipe open too: when the command
 * exits, the lines it had not read are still in the pipe, and go back
 * to the front of the queue for the next command instead of being lost.
 * To tell whether the first of them is whole, unread holds the bytes
 * written that the command may not have read, after the byte before.
 */
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "action.h"
#include "daemon.h"
#include "ilog.h"

#define PIPE_RESTART_SEC	1

static void
child_exec(const char *cmd, int rfd)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	    SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGXFSZ };
	sigset_t none;
	long maxfd;
	int nullfd;

	(void)setsid();
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		(void)signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (rfd != STDIN_FILENO) {
		(void)dup2(rfd, STDIN_FILENO);
		(void)close(rfd);
	}
	if ((nullfd = open("/dev/null", O_WRONLY)) != -1) {
		(void)dup2(nullfd, STDOUT_FILENO);
		(void)dup2(nullfd, STDERR_FILENO);
		if (nullfd > STDERR_FILENO)
			(void)close(nullfd);
	}
	/* Descriptors are opened close-on-exec, but libraries may not be. */
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (long fd = STDERR_FILENO + 1; fd < maxfd; fd++)
		(void)close((int)fd);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static int
spawn(struct syslogd *sd, struct action *a)
{
	int p[2];
	pid_t pid;

	if (pipe(p) == -1) {
		action_error(sd, a, errno, "pipe");
		return -1;
	}
	switch ((pid = fork())) {
	case -1:
		action_error(sd, a, errno, "fork");
		close(p[0]);
		close(p[1]);
		return -1;
	case 0:
		close(p[1]);
		child_exec(a->rule->act.target, p[0]);
		/* NOTREACHED */
	default:
		break;
	}
	/*
	 * Not O_NONBLOCK on the read end yet: the command shares its file
	 * status flags.
	 */
	(void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
	if (a->unread == NULL)
		a->unread = evbuffer_new();
	if (a->unread != NULL) {
		evbuffer_drain(a->unread, evbuffer_get_length(a->unread));
		/* The stream starts after a whole line. */
		evbuffer_add(a->unread, "\n", 1);
	}
	a->pipe_rfd = p[0];
	a->fd = p[1];
	a->child = pid;
	a->started = time(NULL);
	if (a->write_ev != NULL) {
		event_free(a->write_ev);
		a->write_ev = NULL;
	}
	dlog(sd, "started %s as pid %ld", a->name, (long)pid);
	return 0;
}

static void
restart_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct action *a = arg;

	if (a->fd == -1 && spawn(a->sd, a) == 0)
		action_write_queue(a->sd, a);
}

static int
pipe_open(struct syslogd *sd, struct action *a)
{
	return 0;	/* started with the first message */
}

/*
 * Writes from out like evbuffer_write, moving what was written to
 * unread, which then keeps only what is still in the pipe and the byte
 * before it.
 */
static int
pipe_write_out(struct action *a)
{
	struct evbuffer_iovec v[16];
	struct iovec iov[16];
	int nv, unread;
	ssize_t n;

	if (a->unread == NULL || a->pipe_rfd == -1)
		return evbuffer_write(a->out, a->fd);
	nv = evbuffer_peek(a->out, -1, NULL, v, 16);
	if (nv > 16)
		nv = 16;
	for (int i = 0; i < nv; i++) {
		iov[i].iov_base = v[i].iov_base;
		iov[i].iov_len = v[i].iov_len;
	}
	if ((n = writev(a->fd, iov, nv)) <= 0)
		return (int)n;
	evbuffer_remove_buffer(a->out, a->unread, (size_t)n);
	if (ioctl(a->pipe_rfd, FIONREAD, &unread) == 0 && unread >= 0 &&
	    evbuffer_get_length(a->unread) > (size_t)unread + 1)
		evbuffer_drain(a->unread,
		    evbuffer_get_length(a->unread) - (size_t)unread - 1);
	return (int)n;
}

/*
 * The command has exited: what it left in the pipe goes back to the
 * front of the queue.  A line it read only in part is dropped, counted:
 * sending its tail alone would forge a line.
 */
static void
pipe_recover(struct syslogd *sd, struct action *a)
{
	struct evbuffer *left;
	struct evbuffer_ptr nl;
	size_t len, have, lines = 0;
	unsigned char before;

	if (a->pipe_rfd == -1 || (left = evbuffer_new()) == NULL)
		return;
	/* The command is gone: no one else's flags to keep. */
	(void)fcntl(a->pipe_rfd, F_SETFL, O_NONBLOCK);
	while (evbuffer_read(left, a->pipe_rfd, 65536) > 0)
		;
	len = evbuffer_get_length(left);
	have = a->unread != NULL ? evbuffer_get_length(a->unread) : 0;
	if (len > 0) {
		struct evbuffer_ptr at;

		/* The byte before what is left: a newline if it is whole. */
		before = '\n';
		if (have > len && evbuffer_ptr_set(a->unread, &at,
		    have - len - 1, EVBUFFER_PTR_SET) == 0)
			(void)evbuffer_copyout_from(a->unread, &at, &before, 1);
		if (before != '\n') {
			nl = evbuffer_search(left, "\n", 1, NULL);
			evbuffer_drain(left, nl.pos < 0 ? len : (size_t)nl.pos + 1);
			action_drop(a, DROP_CUT, 1);
			if (a->cnt.written > 0)
				a->cnt.written--;
		}
	}
	for (nl = evbuffer_search(left, "\n", 1, NULL); nl.pos >= 0;
	    nl = evbuffer_search(left, "\n", 1, &nl)) {
		lines++;
		if (evbuffer_ptr_set(left, &nl, 1, EVBUFFER_PTR_ADD) != 0)
			break;
	}
	if (lines > 0) {
		evbuffer_prepend_buffer(a->out, left);
		a->queued_msgs += lines;
		a->cnt.resent += lines;
		a->cnt.written -= a->cnt.written >= lines ? lines :
		    a->cnt.written;
		dlog(sd, "%s: %zu lines the command did not read queued again",
		    a->name, lines);
	}
	evbuffer_free(left);
	close(a->pipe_rfd);
	a->pipe_rfd = -1;
}

/* The command is gone: close our end and start it again shortly. */
static void
pipe_lost(struct syslogd *sd, struct action *a)
{
	struct timeval tv = { PIPE_RESTART_SEC, 0 };

	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
	pipe_recover(sd, a);
	a->blocked = true;
	if (a->write_ev != NULL) {
		event_free(a->write_ev);
		a->write_ev = NULL;
	}
	if (a->retry_timer == NULL)
		a->retry_timer = evtimer_new(sd->base, restart_timeout, a);
	if (a->retry_timer != NULL && !evtimer_pending(a->retry_timer, NULL))
		evtimer_add(a->retry_timer, &tv);
}

static void
pipe_write_error(struct syslogd *sd, struct action *a, int err)
{
	if (err != EPIPE)
		action_error(sd, a, err, "write");
	pipe_lost(sd, a);
}

static void
pipe_flush(struct syslogd *sd, struct action *a)
{
	if (a->fd == -1) {
		if (a->retry_timer != NULL &&
		    evtimer_pending(a->retry_timer, NULL))
			return;
		if (time(NULL) - a->started < PIPE_RESTART_SEC ||
		    spawn(sd, a) == -1) {
			pipe_lost(sd, a);
			return;
		}
	}
	action_write_queue(sd, a);
}

static void
pipe_close(struct syslogd *sd, struct action *a)
{
	/* The command sees end-of-file and is expected to exit; SIGCHLD
	 * reaps it. */
	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
	if (a->pipe_rfd != -1)
		close(a->pipe_rfd);
	a->pipe_rfd = -1;
	if (a->unread != NULL)
		evbuffer_free(a->unread);
	a->unread = NULL;
}

const struct action_ops pipe_ops = {
	.open = pipe_open,
	.write = action_write_line,
	.flush = pipe_flush,
	.close = pipe_close,
	.write_error = pipe_write_error,
	.write_out = pipe_write_out,
};

/* SIGCHLD: reap commands and restart the ones that still have work. */
void
pipe_reap(struct syslogd *sd)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < sd->nactions; i++) {
			struct action *a = sd->actions[i];

			if (a == NULL || a->kind != K_PIPE || a->child != pid)
				continue;
			a->child = -1;
			if (WIFSIGNALED(status))
				ilog(sd, LOG_WARNING, "%s: command (pid %ld) "
				    "exited on signal %d", a->name, (long)pid,
				    WTERMSIG(status));
			else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
				ilog(sd, LOG_WARNING, "%s: command (pid %ld) "
				    "exited with status %d", a->name,
				    (long)pid, WEXITSTATUS(status));
			pipe_lost(sd, a);
		}
	}
}
