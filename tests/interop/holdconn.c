/*
 * holdconn: opens N TCP connections to a loopback listener and holds them
 * open for SECONDS, for the tests of slow or stalled TLS clients.
 *
 *	holdconn [-s] [-r FILE] ADDRESS PORT N SECONDS
 *
 * ADDRESS must be a loopback address (127.0.0.0/8 or ::1): this helper
 * refuses any other.  Each connection sends nothing; with -s it sends one
 * byte, 0x16 (a TLS handshake record type, the start of a ClientHello),
 * and then nothing more, so that the peer waits in its TLS handshake.
 * When all N are connected it writes "connected N" to stdout (or, with
 * -r, to FILE, atomically), then sleeps.  It exits 0 after SECONDS, or at
 * once on SIGTERM or SIGINT, closing everything; 1 on errors.  A
 * connection the peer closes meanwhile is not an error: it stays open
 * on this side until the end.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: holdconn [-s] [-r file] address port n "
	    "seconds\n");
	exit(1);
}

static int
is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
	}
	return 0;
}

static int
write_ready(const char *file, int n)
{
	char tmp[4096];
	FILE *fp;

	if (file == NULL) {
		printf("connected %d\n", n);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp))
		return -1;
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(fp, "connected %d\n", n);
	if (fclose(fp) != 0)
		return -1;
	return rename(tmp, file);
}

int
main(int argc, char **argv)
{
	struct addrinfo hints, *ai;
	struct sigaction sa;
	const char *ready = NULL;
	int ch, send_byte = 0, n, secs, i, err, *fds;
	unsigned char b = 0x16;
	char *end;
	time_t until;

	while ((ch = getopt(argc, argv, "r:s")) != -1) {
		switch (ch) {
		case 'r':
			ready = optarg;
			break;
		case 's':
			send_byte = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 4)
		usage();
	n = (int)strtol(argv[2], &end, 10);
	if (*end != '\0' || n < 1 || n > 10000)
		usage();
	secs = (int)strtol(argv[3], &end, 10);
	if (*end != '\0' || secs < 0 || secs > 3600)
		usage();

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((err = getaddrinfo(argv[0], argv[1], &hints, &ai)) != 0) {
		fprintf(stderr, "holdconn: %s port %s: %s\n", argv[0], argv[1],
		    gai_strerror(err));
		return 1;
	}
	if (!is_loopback(ai->ai_addr)) {
		fprintf(stderr, "holdconn: %s is not a loopback address\n",
		    argv[0]);
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);

	if ((fds = calloc((size_t)n, sizeof(*fds))) == NULL) {
		perror("holdconn");
		return 1;
	}
	for (i = 0; i < n && !stop; i++) {
		fds[i] = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol);
		if (fds[i] == -1 ||
		    connect(fds[i], ai->ai_addr, ai->ai_addrlen) == -1) {
			fprintf(stderr, "holdconn: connection %d: %s\n", i + 1,
			    strerror(errno));
			return 1;
		}
		if (send_byte && write(fds[i], &b, 1) != 1) {
			fprintf(stderr, "holdconn: connection %d: write: %s\n",
			    i + 1, strerror(errno));
			return 1;
		}
	}
	freeaddrinfo(ai);
	if (write_ready(ready, n) == -1) {
		perror("holdconn: ready file");
		return 1;
	}
	until = time(NULL) + secs;
	while (!stop && time(NULL) < until)
		(void)sleep(1);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return 0;
}
