/*
 * sendraw: send exact bytes as datagrams to a local syslogd, for the
 * daemon tests (NUL bytes, invalid UTF-8, huge datagrams, garbage floods).
 *
 *   sendraw (-u unixpath | -4 port | -6 port) [-S 127.x.y.z] [-n count]
 *           [-R rate] (-f file | -s string | -r bytes)
 *
 * -u sends to a unix datagram socket, -4 to 127.0.0.1:port, -6 to
 * [::1]:port; nothing else is ever addressed.  -S sends from another
 * loopback address (IPv4; exit status 3 when it cannot be bound).  -f sends a file's bytes as
 * they are, -s a string (without its NUL), -r that many random bytes, new
 * ones for every datagram.  -n repeats the datagram count times, -R at
 * most rate datagrams a second.
 * A send that blocks for more than 10 s (a daemon that stopped reading)
 * is an error.  Exit status 0 when every datagram was sent.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXPAYLOAD	(1024 * 1024)

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: sendraw (-u unixpath | -4 port | -6 port) "
	    "[-S 127.x.y.z] [-n count] [-R rate] "
	    "(-f file | -s string | -r bytes)\n");
	exit(2);
}

static _Noreturn void
fail(const char *what)
{
	fprintf(stderr, "sendraw: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long
number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		usage();
	return v;
}

static uint64_t rng_state;

static double
now_sec(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps until datagram 'sent' is due, at 'rate' a second from 'start'. */
static void
pace(double start, long sent, long rate)
{
	double ahead = start + (double)sent / (double)rate - now_sec();
	struct timespec ts;

	if (ahead < 0.001)
		return;
	ts.tv_sec = (time_t)ahead;
	ts.tv_nsec = (long)((ahead - (double)ts.tv_sec) * 1e9);
	(void)nanosleep(&ts, NULL);
}

static void
fill_random(unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* xorshift64: garbage, not cryptography */
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		p[i] = (unsigned char)(rng_state >> 24);
	}
}

static size_t
read_file(const char *path, unsigned char *buf)
{
	FILE *fp;
	size_t len;

	if ((fp = fopen(path, "rb")) == NULL)
		fail(path);
	len = fread(buf, 1, MAXPAYLOAD, fp);
	if (ferror(fp))
		fail(path);
	fclose(fp);
	return len;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in src;
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sslen = 0;
	struct timeval tv = { 10, 0 };
	struct timespec ms = { 0, 1000000 };
	unsigned char *buf;
	size_t len = 0;
	long count = 1, rate = 0, port;
	double start;
	int ch, fd, sndbuf, random_len = -1, have_payload = 0;

	if ((buf = malloc(MAXPAYLOAD)) == NULL)
		fail("malloc");
	memset(&ss, 0, sizeof(ss));
	memset(&src, 0, sizeof(src));
	while ((ch = getopt(argc, argv, "u:4:6:S:n:R:f:s:r:")) != -1) {
		switch (ch) {
		case 'S':
			if (inet_pton(AF_INET, optarg, &src.sin_addr) != 1 ||
			    (ntohl(src.sin_addr.s_addr) >> 24) != 127)
				usage();
			src.sin_family = AF_INET;
			break;
		case 'u':
			if (strlen(optarg) >= sizeof(sun->sun_path))
				usage();
			sun->sun_family = AF_UNIX;
			strcpy(sun->sun_path, optarg);
			sslen = sizeof(*sun);
			break;
		case '4':
			port = number(optarg, 1, 65535);
			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)port);
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			sslen = sizeof(*sin);
			break;
		case '6':
			port = number(optarg, 1, 65535);
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)port);
			sin6->sin6_addr = in6addr_loopback;
			sslen = sizeof(*sin6);
			break;
		case 'n':
			count = number(optarg, 1, 100000000);
			break;
		case 'R':
			rate = number(optarg, 1, 100000000);
			break;
		case 'f':
			len = read_file(optarg, buf);
			have_payload = 1;
			break;
		case 's':
			len = strlen(optarg);
			if (len > MAXPAYLOAD)
				usage();
			memcpy(buf, optarg, len);
			have_payload = 1;
			break;
		case 'r':
			random_len = (int)number(optarg, 0, MAXPAYLOAD);
			len = (size_t)random_len;
			have_payload = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || sslen == 0 || !have_payload)
		usage();

	rng_state = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	if (rng_state == 0)
		rng_state = 1;
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1)
		fail("socket");
	if (src.sin_family == AF_INET && (ss.ss_family != AF_INET ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1)) {
		perror("sendraw: bind -S");
		exit(3);
	}
	/* Room for the largest datagram; the system may cap it, that's ok. */
	sndbuf = (int)(len * 2 + 65536);
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

	start = now_sec();
	for (long i = 0; i < count; i++) {
		int tries = 0;

		if (rate > 0)
			pace(start, i, rate);
		if (random_len >= 0)
			fill_random(buf, len);
		while (sendto(fd, buf, len, 0, (struct sockaddr *)&ss,
		    sslen) == -1) {
			/* A full queue is back-pressure (for up to 10 s). */
			if ((errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINTR) || ++tries > 10000)
				fail("sendto");
			(void)nanosleep(&ms, NULL);
		}
	}
	close(fd);
	free(buf);
	return 0;
}
