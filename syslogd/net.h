/*
 * Inputs: unix datagram sockets, UDP sockets and the kernel log.  They
 * are opened once, before privileges are dropped, and live as long as the
 * process; a reload does not touch them.
 */
#ifndef SYSLOGD_NET_H
#define SYSLOGD_NET_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <stdbool.h>
#include <stddef.h>

struct syslogd;

int	net_open_unix(struct syslogd *sd, const char *path);
/* spec: "", "host", "host:port", "[v6addr]:port", ":port". */
int	net_open_udp(struct syslogd *sd, const char *spec);
/* Returns 0 also when the platform has no kernel log. */
int	net_open_klog(struct syslogd *sd);
/* Starts reading every input. */
int	net_start(struct syslogd *sd);
/* SIGUSR2: the inputs that lost datagrams in the kernel, one line each. */
void	net_report_counters(struct syslogd *sd);
/* Closes every input and removes the unix sockets. */
void	net_close_all(struct syslogd *sd);

/*
 * Parses one received message and routes it.  from names the sender
 * (kept by reference while routing) and now when it was received;
 * network and kernel say where it came from, for -T and the kern
 * facility rule.
 */
void	net_deliver(struct syslogd *sd, const char *buf, size_t len,
	    const char *from, const struct timeval *now, bool network,
	    bool kernel);

/* The numeric text of an address ("???" when it has none); returns buf. */
const char *net_addr_text(const struct sockaddr *sa, socklen_t len,
	    char *buf, size_t cap);

/* Splits a -b spec into host (NULL: any) and port; returns 0 or -1. */
int	net_split_hostport(const char *spec, char *host, size_t hostcap,
	    char *port, size_t portcap, const char *default_port);

#endif
