/*
 * syslogd's own messages ("restart", errors, drop reports).  They are
 * routed like any other message, with facility syslog; before the first
 * configuration is live, and always with -d, they also go to stderr.
 */
#ifndef SYSLOGD_ILOG_H
#define SYSLOGD_ILOG_H

#include <stdarg.h>

struct syslogd;

void	ilog(struct syslogd *sd, int sev, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	vilog(struct syslogd *sd, int sev, const char *fmt, va_list ap);
/* Debug output, only with -d, only to stderr. */
void	dlog(struct syslogd *sd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
