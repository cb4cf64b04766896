#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>

#include "daemon.h"
#include "ilog.h"

void
vilog(struct syslogd *sd, int sev, const char *fmt, va_list ap)
{
	char text[1024];
	struct timeval now;
	struct msg *m;
	int n;

	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(text))
		n = sizeof(text) - 1;
	/* Until messages can reach a file, stderr is where they are seen. */
	if (sd->opt.debug || !sd->started)
		fprintf(stderr, "syslogd: %s\n", text);
	if (sd->conf == NULL && sd->dispatch_depth == 0)
		return;
	if ((m = malloc(sizeof(*m))) == NULL)
		return;
	gettimeofday(&now, NULL);
	msg_init_local(m, LOG_SYSLOG >> 3, sev, "syslogd", (long)sd->pid, &now);
	msg_set_text(m, text, (size_t)n);
	m->recvhost = sd->fqdn;
	daemon_dispatch_own(sd, m);
}

void
ilog(struct syslogd *sd, int sev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vilog(sd, sev, fmt, ap);
	va_end(ap);
}

void
dlog(struct syslogd *sd, const char *fmt, ...)
{
	va_list ap;

	if (!sd->opt.debug)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "debug: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
