/*
 * The names UDP senders are recorded under (unless -n).  getnameinfo()
 * follows the system's configuration (hosts file, DNS, ...) but may block
 * for seconds, so it runs in a few worker threads and the event loop
 * never waits for it; answers come back through a pipe.  The names are
 * kept in a bounded table (namecache.h): a sender's datagrams wait for
 * its first lookup for a moment, in order, and go out with the address
 * when the answer is late.
 */
#ifndef SYSLOGD_RESOLVER_H
#define SYSLOGD_RESOLVER_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syslogd;

/*
 * The name for a datagram from sa, copied into out; false when the datagram was kept instead, to be delivered
 * once its sender's name is known.  *reuse_until: until when (monotonic
 * microseconds, as now) the same sender may be given the same name
 * without asking, as long as resolver_generation() has not changed; 0
 * when it may not.
 */
bool	resolver_name(struct syslogd *sd, const struct sockaddr *sa,
	    socklen_t salen, const char *data, size_t len,
	    const struct timeval *arrived, uint64_t now, char *out,
	    size_t cap, uint64_t *reuse_until);
unsigned resolver_generation(const struct syslogd *sd);
/* SIGHUP: every name is looked up again on its sender's next message. */
void	resolver_refresh(struct syslogd *sd);
/* SIGUSR2: one line of counters, when names were looked up. */
void	resolver_report(struct syslogd *sd);
/* Exit: delivers what waits, with addresses, and stops the threads. */
void	resolver_shutdown(struct syslogd *sd);

#endif
