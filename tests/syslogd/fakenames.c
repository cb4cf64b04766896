/*
 * fakenames.so: a getnameinfo() for the daemon tests, put in front of the
 * C library's with LD_PRELOAD, so that sender names can be tested without
 * asking any name server.
 *
 *   127.0.0.N   is named hostN.example.test
 *   127.0.0.66  gets "bad name" (not a host name)
 *   127.0.0.99  has no name
 *   ::1         is named host6.example.test
 *
 * FAKENAMES_DELAY_MS makes every name lookup take that long.  Numeric
 * conversions (NI_NUMERICHOST) answer at once.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
put(char *host, socklen_t hostlen, const char *s)
{
	if (host == NULL || hostlen == 0)
		return 0;
	if (strlen(s) >= (size_t)hostlen)
		return EAI_OVERFLOW;
	strcpy(host, s);
	return 0;
}

int
getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
    socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	const struct sockaddr_in *s4 = (const void *)sa;
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const char *delay = getenv("FAKENAMES_DELAY_MS");
	char text[INET6_ADDRSTRLEN];
	unsigned last;
	long ms;

	if (serv != NULL && servlen > 0)
		serv[0] = '\0';
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	else
		return EAI_FAMILY;
	if (flags & NI_NUMERICHOST)
		return put(host, hostlen, text);
	if (delay != NULL && (ms = atol(delay)) > 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ?
		    put(host, hostlen, "host6.example.test") : EAI_NONAME;
	if ((ntohl(s4->sin_addr.s_addr) >> 8) != 0x7f0000)
		return EAI_NONAME;
	last = ntohl(s4->sin_addr.s_addr) & 0xff;
	if (last == 99)
		return EAI_NONAME;
	if (last == 66)
		return put(host, hostlen, "bad name");
	snprintf(text, sizeof(text), "host%u.example.test", last);
	return put(host, hostlen, text);
}
