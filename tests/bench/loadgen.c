/*
 * loadgen: load generator and helpers for the syslogd benchmark suite.
 *
 * Senders (messages are numbered "seq=NNNNNNNNNN" so that loss can be
 * counted exactly; every message is exactly 120 bytes long):
 *   loadgen -m udp  -a 127.0.0.1 -P port ...   RFC 3164 datagrams
 *   loadgen -m unix -u /path/to/socket ...     RFC 3164 datagrams
 *   loadgen -m tls  -a 127.0.0.1 -P port ...   RFC 5424, octet-counted
 *                                              (RFC 5425), client cert
 * Helpers:
 *   loadgen -m sink  -P port -k key -C cert -o out   TLS collector: writes
 *                                              every frame as one line
 *   loadgen -m count -o file -n total          unique delivered messages
 *   loadgen -m watch -o file [-d donefile] [-q ms] [-T s] [-R f -p pid]
 *                    waits until the file stops growing, prints the time
 *                    of its last growth
 *
 * Sender options:
 *   -n total   messages in all (default 100000)
 *   -t threads sender threads (default 1)
 *   -c conns   TLS connections (default = threads)
 *   -B busy    TLS connections that send (default = conns); the others
 *              are opened, handshaken and left idle
 *   -r rate    total messages per second (0 = as fast as possible)
 *   -b batch   messages per write: per SSL_write for TLS (1 = one message
 *              per TLS record), per sendmmsg() call for udp/unix
 *   -k key -C cert   client key and certificate (TLS)
 *   -A ca      verify the server against this CA (TLS; default: no check)
 *   -H secs    keep the connections open this long after sending (or
 *              until SIGTERM/SIGINT)
 *   -D file    write the results there (atomically) once sending is done
 *   -R file    create this file when every connection is up and sending
 *              starts
 * Watch options: -d donefile (do not stop before it exists), -q quiet ms,
 *   -T timeout s, -R readyfile and -p pid: print the process's CPU ticks
 *   when the ready file appeared and at the end (ticks_ready, ticks_end),
 *   and the system part of them (sys_ready, sys_end)
 * Results are printed as key=value lines: sent, errors, start, end (epoch
 * seconds), wall, rate, cpu_user, cpu_sys, cpu.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MSGLEN	120
#define SEQW	10
#define MAXBATCH 1024

enum mode { M_NONE, M_UDP, M_UNIX, M_TLS, M_SINK, M_COUNT, M_WATCH };

static enum mode mode = M_NONE;
static const char *addr = "127.0.0.1";
static int port;
static const char *upath;
static unsigned long total = 100000;
static int nthreads = 1;
static int nconns;
static int nbusy = -1;
static double rate;
static int batch = 1;
static const char *keyf, *certf, *caf;
static double hold;
static const char *donef;
static const char *readyf;
static int wpid;
static const char *outf;
static int quiet_ms = 1500;
static double timeout_s = 300;

static SSL_CTX *ctx;
static volatile sig_atomic_t stop;
static char tmpl[MSGLEN + 1];	/* the message, seq digits at seqoff */
static int seqoff;

struct conn {
	int	 fd;
	SSL	*ssl;
};

static struct conn *conns;

struct thr {
	pthread_t	 tid;
	int		 idx;
	unsigned long	 first, count;	/* seq range */
	unsigned long	 sent, errors;
	int		 fail;
};

static pthread_barrier_t bar;
static struct timespec t_start;

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "loadgen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static double
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
onsig(int s)
{
	(void)s;
	stop = 1;
}

/* Writes seq as SEQW decimal digits at p. */
static void
putseq(char *p, unsigned long seq)
{
	for (int i = SEQW - 1; i >= 0; i--) {
		p[i] = '0' + seq % 10;
		seq /= 10;
	}
}

/*
 * Builds the 120-byte template: RFC 3164 for datagrams, RFC 5424 for TLS.
 * The body starts with "seq=" followed by SEQW digits, then padding.
 */
static void
build_template(void)
{
	char head[128];
	int n;

	if (mode == M_TLS)
		n = snprintf(head, sizeof(head),
		    "<14>1 2024-01-01T00:00:00.000000Z bench.local lgbench %d"
		    " - - seq=", (int)getpid() % 100000);
	else
		n = snprintf(head, sizeof(head),
		    "<14>Jan  1 00:00:00 lgbench[%d]: seq=",
		    (int)getpid() % 100000);
	memcpy(tmpl, head, n);
	seqoff = n;
	memset(tmpl + n, '0', SEQW);
	tmpl[n + SEQW] = ' ';
	for (int i = n + SEQW + 1; i < MSGLEN; i++)
		tmpl[i] = 'a' + (i % 26);
	tmpl[MSGLEN] = '\0';
}

/* Paces a thread: sleeps until message number `done` is due. */
static void
pace(double trate, unsigned long done)
{
	struct timespec ts;
	double due;

	if (trate <= 0)
		return;
	due = t_start.tv_sec + t_start.tv_nsec / 1e9 + done / trate;
	if (now_mono() >= due)
		return;
	ts.tv_sec = (time_t)due;
	ts.tv_nsec = (long)((due - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR && !stop)
		;
}

/* ---- datagrams ---- */

static int
dgram_socket(void)
{
	int fd;

	if (mode == M_UDP) {
		struct sockaddr_in sin;

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
			die("bad address %s", addr);
		if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
			die("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			die("connect: %s", strerror(errno));
	} else {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(upath) >= sizeof(sun.sun_path))
			die("socket path too long: %s", upath);
		strcpy(sun.sun_path, upath);
		if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
			die("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			die("connect: %s", strerror(errno));
	}
	return fd;
}

static void *
dgram_thread(void *arg)
{
	struct thr *t = arg;
	static _Thread_local char bufs[MAXBATCH][MSGLEN];
	struct mmsghdr mm[MAXBATCH];
	struct iovec iov[MAXBATCH];
	double trate = rate / nthreads;
	int fd = dgram_socket();
	unsigned long i = 0;

	for (int k = 0; k < batch; k++) {
		memcpy(bufs[k], tmpl, MSGLEN);
		iov[k].iov_base = bufs[k];
		iov[k].iov_len = MSGLEN;
		memset(&mm[k], 0, sizeof(mm[k]));
		mm[k].msg_hdr.msg_iov = &iov[k];
		mm[k].msg_hdr.msg_iovlen = 1;
	}
	pthread_barrier_wait(&bar);
	while (i < t->count && !stop) {
		int n = batch;

		if ((unsigned long)n > t->count - i)
			n = (int)(t->count - i);
		pace(trate, i);
		for (int k = 0; k < n; k++)
			putseq(bufs[k] + seqoff, t->first + i + k);
		if (n == 1) {
			if (send(fd, bufs[0], MSGLEN, 0) == MSGLEN)
				t->sent++;
			else
				t->errors++;
			i++;
			continue;
		}
		int r = sendmmsg(fd, mm, n, 0);
		if (r <= 0) {
			/* a datagram that could not be sent is not retried */
			t->errors++;
			i++;
			continue;
		}
		t->sent += r;
		i += r;
	}
	close(fd);
	return NULL;
}

/* ---- TLS ---- */

static void
ssl_die(const char *what)
{
	fprintf(stderr, "loadgen: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(2);
}

static SSL_CTX *
make_ctx(int server)
{
	SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() :
	    TLS_client_method());

	if (c == NULL)
		ssl_die("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
	if (certf && SSL_CTX_use_certificate_chain_file(c, certf) != 1)
		ssl_die("cannot load certificate");
	if (keyf && SSL_CTX_use_PrivateKey_file(c, keyf, SSL_FILETYPE_PEM)
	    != 1)
		ssl_die("cannot load key");
	if (caf) {
		if (SSL_CTX_load_verify_locations(c, caf, NULL) != 1)
			ssl_die("cannot load CA");
		SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
	}
	return c;
}

static int
tcp_connect(void)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		die("bad address %s", addr);
	for (int tries = 0; ; tries++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			die("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return fd;
		close(fd);
		if (tries >= 100)
			die("connect: %s", strerror(errno));
		usleep(50000);
	}
}

static int
tls_open(struct conn *c)
{
	c->fd = tcp_connect();
	c->ssl = SSL_new(ctx);
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		SSL_free(c->ssl);
		close(c->fd);
		c->ssl = NULL;
		c->fd = -1;
		return -1;
	}
	return 0;
}

static void *
tls_thread(void *arg)
{
	struct thr *t = arg;
	double trate = rate / nthreads;
	char *buf = malloc((size_t)batch * (MSGLEN + 4));
	int mine[4096], nmine = 0, cur = 0;
	unsigned long i = 0;

	/* open this thread's share of the connections, busy or idle */
	for (int c = t->idx; c < nconns; c += nthreads) {
		if (tls_open(&conns[c]) == -1) {
			fprintf(stderr, "loadgen: TLS connection %d failed\n", c);
			t->fail++;
			continue;
		}
		if (c < nbusy && nmine < 4096)
			mine[nmine++] = c;
	}
	for (int k = 0; k < batch; k++) {
		memcpy(buf + k * (MSGLEN + 4), "120 ", 4);
		memcpy(buf + k * (MSGLEN + 4) + 4, tmpl, MSGLEN);
	}
	pthread_barrier_wait(&bar);
	if (nmine == 0)
		return buf;
	while (i < t->count && !stop) {
		int n = batch;
		struct conn *c;

		if ((unsigned long)n > t->count - i)
			n = (int)(t->count - i);
		pace(trate, i);
		for (int k = 0; k < n; k++)
			putseq(buf + k * (MSGLEN + 4) + 4 + seqoff,
			    t->first + i + k);
		c = &conns[mine[cur]];
		cur = (cur + 1) % nmine;
		if (c->ssl == NULL) {
			t->errors += n;
			i += n;
			continue;
		}
		if (SSL_write(c->ssl, buf, n * (MSGLEN + 4)) <= 0) {
			ERR_print_errors_fp(stderr);
			fprintf(stderr, "loadgen: SSL_write failed on %d\n",
			    mine[cur]);
			SSL_free(c->ssl);
			close(c->fd);
			c->ssl = NULL;
			t->errors += n;
		} else
			t->sent += n;
		i += n;
	}
	return buf;
}

/*
 * Closes every connection gracefully: close_notify, then FIN, then waits
 * (bounded) for the server to close its side.  Closing a socket that still
 * has unread data (a TLS 1.3 session ticket, say) makes the kernel send a
 * reset, and a reset makes the server's kernel discard what the server has
 * not read yet: messages would be lost that were sent.
 */
static void
close_all(void)
{
	double deadline = now_mono() + 60;
	char junk[16384];

	for (int c = 0; c < nconns; c++) {
		if (conns[c].ssl == NULL)
			continue;
		SSL_shutdown(conns[c].ssl);
		shutdown(conns[c].fd, SHUT_WR);
		fcntl(conns[c].fd, F_SETFL, O_NONBLOCK);
	}
	for (int c = 0; c < nconns; c++) {
		struct pollfd p;

		if (conns[c].ssl == NULL)
			continue;
		p.fd = conns[c].fd;
		p.events = POLLIN;
		for (;;) {
			ssize_t r = recv(p.fd, junk, sizeof(junk), 0);

			if (r == 0 || (r == -1 && errno != EAGAIN &&
			    errno != EINTR))
				break;
			if (r > 0)
				continue;
			int left = (int)((deadline - now_mono()) * 1000);
			if (left <= 0 || poll(&p, 1, left) <= 0)
				break;
		}
		SSL_free(conns[c].ssl);
		close(conns[c].fd);
	}
}

static void
report(FILE *f, unsigned long sent, unsigned long errors, double start,
    double end, int failed)
{
	struct rusage ru;
	double u, s;

	getrusage(RUSAGE_SELF, &ru);
	u = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	fprintf(f, "sent=%lu\nerrors=%lu\nfailed_conns=%d\nstart=%.6f\n"
	    "end=%.6f\nwall=%.6f\nrate=%.0f\ncpu_user=%.3f\ncpu_sys=%.3f\n"
	    "cpu=%.3f\n", sent, errors, failed, start, end, end - start,
	    end > start ? sent / (end - start) : 0.0, u, s, u + s);
}

static int
run_senders(void)
{
	struct thr *th = calloc(nthreads, sizeof(*th));
	unsigned long per, sent = 0, errors = 0;
	double start, end, mstart;
	int failed = 0;

	build_template();
	if (mode == M_TLS) {
		if (nconns < nthreads)
			nconns = nthreads;
		if (nbusy < 0 || nbusy > nconns)
			nbusy = nconns;
		if (nbusy < nthreads)
			nthreads = nbusy;
		conns = calloc(nconns, sizeof(*conns));
		ctx = make_ctx(0);
	}
	per = total / nthreads;
	pthread_barrier_init(&bar, NULL, nthreads + 1);
	for (int i = 0; i < nthreads; i++) {
		th[i].idx = i;
		th[i].first = per * i;
		th[i].count = i == nthreads - 1 ? total - per * i : per;
	}
	for (int i = 0; i < nthreads; i++)
		pthread_create(&th[i].tid, NULL,
		    mode == M_TLS ? tls_thread : dgram_thread, &th[i]);
	/* all connections are up: the clock starts */
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	start = now_real();
	mstart = now_mono();
	pthread_barrier_wait(&bar);
	if (readyf) {
		int fd = open(readyf, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd != -1)
			close(fd);
	}
	for (int i = 0; i < nthreads; i++) {
		void *p;

		pthread_join(th[i].tid, &p);
		free(p);
		sent += th[i].sent;
		errors += th[i].errors;
		failed += th[i].fail;
	}
	end = start + (now_mono() - mstart);
	if (donef) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", donef);
		if ((f = fopen(tmp, "w")) == NULL)
			die("cannot write %s", tmp);
		report(f, sent, errors, start, end, failed);
		fclose(f);
		rename(tmp, donef);
	}
	/* hold the connections open */
	if (hold > 0) {
		double until = now_mono() + hold;

		while (!stop && now_mono() < until)
			usleep(50000);
	}
	if (mode == M_TLS)
		close_all();
	report(stdout, sent, errors, start, end, failed);
	return failed ? 1 : 0;
}

/* ---- sink: a TLS collector that writes one line per frame ---- */

#define SINKMAX	256
struct sconn {
	int	 fd;
	SSL	*ssl;
	int	 hs;		/* handshake done */
	char	 buf[65536];
	size_t	 len;
};

static size_t
sink_frames(struct sconn *s, FILE *out, unsigned long *nframes)
{
	size_t off = 0;

	for (;;) {
		size_t n = 0, p = off;

		while (p < s->len && s->buf[p] >= '0' && s->buf[p] <= '9')
			n = n * 10 + (s->buf[p++] - '0');
		if (p >= s->len)
			break;
		if (s->buf[p] != ' ' || p == off || n > sizeof(s->buf) / 2) {
			/* not octet-counted: take a line (non-transparent) */
			char *nl = memchr(s->buf + off, '\n', s->len - off);

			if (nl == NULL)
				break;
			fwrite(s->buf + off, 1, nl - (s->buf + off) + 1, out);
			off = nl - s->buf + 1;
			(*nframes)++;
			continue;
		}
		p++;
		if (s->len - p < n)
			break;
		fwrite(s->buf + p, 1, n, out);
		if (n == 0 || s->buf[p + n - 1] != '\n')
			fputc('\n', out);
		off = p + n;
		(*nframes)++;
	}
	memmove(s->buf, s->buf + off, s->len - off);
	s->len -= off;
	return off;
}

static int
run_sink(void)
{
	struct sockaddr_in sin;
	struct pollfd pfd[SINKMAX + 1];
	struct sconn *sc[SINKMAX];
	int lfd, one = 1, n = 0;
	unsigned long frames = 0;
	FILE *out;

	if (outf == NULL || keyf == NULL || certf == NULL)
		die("%s", "sink needs -o, -k and -C");
	if ((out = fopen(outf, "a")) == NULL)
		die("cannot open %s", outf);
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	caf = NULL;
	ctx = make_ctx(1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("bind: %s", strerror(errno));
	listen(lfd, 128);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	printf("listening\n");
	fflush(stdout);
	while (!stop) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (int i = 0; i < n; i++) {
			pfd[i + 1].fd = sc[i]->fd;
			pfd[i + 1].events = POLLIN;
		}
		if (poll(pfd, n + 1, 200) <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);

			if (fd != -1 && n < SINKMAX) {
				struct sconn *s = calloc(1, sizeof(*s));

				fcntl(fd, F_SETFL, O_NONBLOCK);
				s->fd = fd;
				s->ssl = SSL_new(ctx);
				SSL_set_fd(s->ssl, fd);
				SSL_set_accept_state(s->ssl);
				sc[n++] = s;
			} else if (fd != -1)
				close(fd);
		}
		for (int i = n - 1; i >= 0; i--) {
			struct sconn *s = sc[i];
			int closed = 0;

			for (;;) {
				int r = SSL_read(s->ssl, s->buf + s->len,
				    sizeof(s->buf) - s->len);

				if (r > 0) {
					s->len += r;
					sink_frames(s, out, &frames);
					continue;
				}
				int e = SSL_get_error(s->ssl, r);
				if (e != SSL_ERROR_WANT_READ &&
				    e != SSL_ERROR_WANT_WRITE)
					closed = 1;
				break;
			}
			if (closed) {
				SSL_free(s->ssl);
				close(s->fd);
				free(s);
				sc[i] = sc[--n];
			}
		}
		fflush(out);
	}
	fclose(out);
	printf("frames=%lu\n", frames);
	return 0;
}

/* ---- count: unique delivered sequence numbers in a file ---- */

static int
run_count(void)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned char *seen;
	unsigned long uniq = 0, dups = 0, other = 0;

	if (outf == NULL)
		die("%s", "count needs -o");
	if ((f = fopen(outf, "r")) == NULL)
		die("cannot open %s", outf);
	seen = calloc(total / 8 + 1, 1);
	while ((len = getline(&line, &cap, f)) != -1) {
		char *p = strstr(line, "lgbench");
		unsigned long seq = 0;
		int d = 0;

		if (p != NULL)
			p = strstr(p, "seq=");
		if (p == NULL) {
			other++;
			continue;
		}
		for (p += 4; *p >= '0' && *p <= '9'; p++, d++)
			seq = seq * 10 + (*p - '0');
		if (d != SEQW || seq >= total) {
			other++;
			continue;
		}
		if (seen[seq / 8] & (1u << (seq % 8)))
			dups++;
		else {
			seen[seq / 8] |= 1u << (seq % 8);
			uniq++;
		}
	}
	fclose(f);
	printf("delivered=%lu\ndups=%lu\nother=%lu\nlost=%lu\n", uniq, dups,
	    other, total - uniq);
	return 0;
}

/* ---- watch: wait until a file stops growing ---- */

/*
 * utime + stime of a process, in clock ticks, or -1; *sys gets stime alone,
 * so that the report can say how much of the daemon's time the kernel took.
 */
static long
proc_ticks(int pid, long *sys)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	*sys = -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* after ") ": state is field 3; utime and stime are 14 and 15 */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	*sys = (long)st;
	return (long)(ut + st);
}

static int
run_watch(void)
{
	struct stat st;
	off_t last = -1;
	double t_last = now_real(), t0 = now_mono(), t_quiet = now_mono();

	long ready_ticks = -1, ready_sys = -1, end_sys;

	if (outf == NULL)
		die("%s", "watch needs -o");
	for (;;) {
		if (wpid && ready_ticks < 0 && readyf &&
		    access(readyf, F_OK) == 0)
			ready_ticks = proc_ticks(wpid, &ready_sys);
		off_t sz = stat(outf, &st) == 0 ? st.st_size : 0;
		int done = donef == NULL || access(donef, F_OK) == 0;

		if (sz != last) {
			last = sz;
			t_last = now_real();
			t_quiet = now_mono();
		}
		if (done && now_mono() - t_quiet >= quiet_ms / 1000.0)
			break;
		if (now_mono() - t0 > timeout_s) {
			printf("timeout=1\n");
			break;
		}
		usleep(20000);
	}
	printf("last_growth=%.6f\nsize=%lld\n", t_last, (long long)last);
	if (wpid) {
		long end = proc_ticks(wpid, &end_sys);

		printf("ticks_ready=%ld\nticks_end=%ld\n", ready_ticks, end);
		printf("sys_ready=%ld\nsys_end=%ld\n", ready_sys, end_sys);
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: loadgen -m udp|unix|tls|sink|count|watch "
	    "[-a addr] [-P port] [-u path] [-n total] [-t threads]\n"
	    "       [-c conns] [-B busy] [-r rate] [-b batch] [-k key] "
	    "[-C cert] [-A ca] [-H hold]\n"
	    "       [-D donefile] [-o file] [-d donefile] [-q quiet_ms] "
	    "[-T timeout]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int ch;
	struct sigaction sa;

	while ((ch = getopt(argc, argv, "m:a:P:u:n:t:c:B:r:b:k:C:A:H:D:o:d:q:T:R:p:"))
	    != -1) {
		switch (ch) {
		case 'm':
			if (!strcmp(optarg, "udp")) mode = M_UDP;
			else if (!strcmp(optarg, "unix")) mode = M_UNIX;
			else if (!strcmp(optarg, "tls")) mode = M_TLS;
			else if (!strcmp(optarg, "sink")) mode = M_SINK;
			else if (!strcmp(optarg, "count")) mode = M_COUNT;
			else if (!strcmp(optarg, "watch")) mode = M_WATCH;
			else usage();
			break;
		case 'a': addr = optarg; break;
		case 'P': port = atoi(optarg); break;
		case 'u': upath = optarg; break;
		case 'n': total = strtoul(optarg, NULL, 10); break;
		case 't': nthreads = atoi(optarg); break;
		case 'c': nconns = atoi(optarg); break;
		case 'B': nbusy = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'b': batch = atoi(optarg); break;
		case 'k': keyf = optarg; break;
		case 'C': certf = optarg; break;
		case 'A': caf = optarg; break;
		case 'H': hold = atof(optarg); break;
		case 'D': donef = optarg; break;
		case 'o': outf = optarg; break;
		case 'd': donef = optarg; break;
		case 'q': quiet_ms = atoi(optarg); break;
		case 'T': timeout_s = atof(optarg); break;
		case 'R': readyf = optarg; break;
		case 'p': wpid = atoi(optarg); break;
		default: usage();
		}
	}
	/* -B 0 would leave no sender thread: nothing to divide the work by */
	if (nthreads < 1 || batch < 1 || batch > MAXBATCH || nbusy == 0)
		usage();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsig;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	switch (mode) {
	case M_UDP:
	case M_UNIX:
		if (mode == M_UDP ? port == 0 : upath == NULL)
			usage();
		return run_senders();
	case M_TLS:
		if (port == 0)
			usage();
		return run_senders();
	case M_SINK:
		return run_sink();
	case M_COUNT:
		return run_count();
	case M_WATCH:
		return run_watch();
	default:
		usage();
	}
	return 2;
}
