/*
 * The on-disk spool of a TLS destination; see spool.h for the format.
 * Plain read/write on one descriptor: appends with O_APPEND and one
 * writev() per record, reads with pread() through one bounded buffer.
 */
#include "spool.h"

#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef O_NOFOLLOW
#define O_NOFOLLOW	0
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY	0
#endif

#define RBUF_LEN	(64 * 1024)	/* read and rewrite buffers */
#define COMPACT_MIN	(1024 * 1024)	/* see spool_append in spool.h */

static const unsigned char magic[4] = { 0xff, 'S', 'P', '1' };

struct spool {
	int		 fd;
	char		*path;		/* DIR/NAME.spool */
	char		*tmp;		/* DIR/NAME.spool.tmp */
	char		*dir;
	long long	 max_bytes;
	off_t		 size;		/* of the file, as we wrote it */
	off_t		 rd;		/* read offset */
	off_t		 compact_retry;	/* no compaction before rd gets here */
	bool		 dirty;		/* appended since the last fsync */
	unsigned long long damaged;
	/* read buffer: rlen bytes of the file from roff */
	unsigned char	*rbuf;
	size_t		 rcap, rlen;
	off_t		 roff;
};

/* CRC-32, reflected polynomial 0xedb88320, four bits at a time. */
static const uint32_t crc_tab[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t
spool_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_tab[crc & 15];
		crc = (crc >> 4) ^ crc_tab[crc & 15];
	}
	return ~crc;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
make_hdr(unsigned char *h, int sev, const void *data, size_t len)
{
	memcpy(h, magic, 4);
	put32(h + 4, (uint32_t)len);
	h[8] = (unsigned char)(sev < 0 ? 0 : sev >= MQ_NSEV ? MQ_NSEV - 1 :
	    sev);
	put32(h + 9, spool_crc32(spool_crc32(0, h + 4, 5), data, len));
}

static bool
safe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* out has room for SPOOL_NAME_MAX + 1 bytes. */
static void
safe_name(const char *in, char *out)
{
	size_t n = 0;
	bool run = false;

	for (; *in != '\0' && n < SPOOL_NAME_MAX; in++) {
		if (safe_char(*in)) {
			out[n++] = *in;
			run = false;
		} else if (!run) {
			out[n++] = '_';
			run = true;
		}
	}
	if (n == 0)
		out[n++] = '_';
	out[n] = '\0';
}

/* a b c d, concatenated, in a new string */
static char *
str_cat(const char *a, const char *b, const char *c, const char *d)
{
	const char *part[4] = { a, b, c, d };
	size_t len[4], total = 0, at = 0;
	char *s;

	for (int i = 0; i < 4; i++)
		total += len[i] = strlen(part[i]);
	if ((s = malloc(total + 1)) == NULL)
		return NULL;
	for (int i = 0; i < 4; i++) {
		memcpy(s + at, part[i], len[i]);
		at += len[i];
	}
	s[at] = '\0';
	return s;
}

/* Reads up to n bytes at off; returns how many (fewer only at EOF), -1. */
static ssize_t
preadn(int fd, void *buf, size_t n, off_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pread(fd, (char *)buf + done, n - done, off + (off_t)done);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

static int
writen(int fd, const void *buf, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = write(fd, (const char *)buf + done, n - done);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

static void
spool_free(struct spool *s)
{
	free(s->path);
	free(s->tmp);
	free(s->dir);
	free(s->rbuf);
	free(s);
}

struct spool *
spool_open(const char *dir, const char *dest_name, long long max_bytes,
    char *err, size_t errlen)
{
	char name[SPOOL_NAME_MAX + 1];
	struct spool *s;
	struct stat st;
	int flags;

	if (errlen > 0)
		err[0] = '\0';
	safe_name(dest_name != NULL ? dest_name : "", name);
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->dir = str_cat(dir, "", "", "")) == NULL ||
	    (s->path = str_cat(dir, "/", name, ".spool")) == NULL ||
	    (s->tmp = str_cat(dir, "/", name, ".spool.tmp")) == NULL) {
		snprintf(err, errlen, "%s/%s.spool: %s", dir, name,
		    strerror(ENOMEM));
		if (s != NULL)
			spool_free(s);
		return NULL;
	}
	s->max_bytes = max_bytes;

	/* What a crash during a rewrite left; the spool file is intact. */
	(void)unlink(s->tmp);

	/* O_NONBLOCK: not to hang on a FIFO planted there. */
	s->fd = open(s->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NONBLOCK, 0600);
	if (s->fd == -1) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		spool_free(s);
		return NULL;
	}
	if (fstat(s->fd, &st) == -1 ||
	    (flags = fcntl(s->fd, F_GETFL)) == -1 ||
	    fcntl(s->fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		close(s->fd);
		spool_free(s);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", s->path);
		close(s->fd);
		spool_free(s);
		return NULL;
	}
	s->size = st.st_size;
	return s;
}

/*
 * Everything has been read: truncate the file and let go of the read
 * buffer.  On error (errno set) the spool stays as it was, and empty.
 */
static int
reset_empty(struct spool *s)
{
	if (s->size > 0 && ftruncate(s->fd, 0) == -1)
		return -1;	/* try again next time */
	s->size = s->rd = s->compact_retry = 0;
	free(s->rbuf);
	s->rbuf = NULL;
	s->rcap = s->rlen = 0;
	s->roff = 0;
	return 0;
}

/* Output of a rewrite, through a buffer. */
struct wbuf {
	int		 fd;
	unsigned char	*buf;
	size_t		 len;
	off_t		 total;
};

static int
wb_flush(struct wbuf *w)
{
	if (w->len > 0 && writen(w->fd, w->buf, w->len) == -1)
		return -1;
	w->len = 0;
	return 0;
}

static int
wb_put(struct wbuf *w, const void *p, size_t n)
{
	w->total += (off_t)n;
	if (w->len + n > RBUF_LEN && wb_flush(w) == -1)
		return -1;
	if (n > RBUF_LEN)
		return writen(w->fd, p, n);
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

/* The messages of q, oldest first, as records; counts the unstorable. */
static int
write_queue(struct wbuf *w, const struct mqueue *q, unsigned *toolong)
{
	const struct mq_ent *cur[MQ_NSEV], *e;
	unsigned char h[SPOOL_HDR_LEN];
	int best;

	for (int i = 0; i < MQ_NSEV; i++)
		cur[i] = q->head[i];
	for (;;) {
		best = -1;
		for (int i = 0; i < MQ_NSEV; i++)
			if (cur[i] != NULL &&
			    (best == -1 || cur[i]->seq < cur[best]->seq))
				best = i;
		if (best == -1)
			return 0;
		e = cur[best];
		cur[best] = e->next;
		if (e->len > SPOOL_MAX_RECORD) {
			(*toolong)++;
			continue;
		}
		make_hdr(h, e->sev, e->data, e->len);
		if (wb_put(w, h, sizeof(h)) == -1 ||
		    wb_put(w, e->data, e->len) == -1)
			return -1;
	}
}

static void
sync_dir(const struct spool *s)
{
	int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1) {
		(void)fsync(fd);	/* not supported everywhere */
		close(fd);
	}
}

/*
 * Writes q's messages (if q) and the unread rest of the file into a new
 * file that replaces it.  On error, nothing has changed.
 */
static int
rewrite(struct spool *s, struct mqueue *q)
{
	struct wbuf w = { -1, NULL, 0, 0 };
	unsigned toolong = 0;
	off_t off;
	ssize_t r;
	size_t n;
	int saved;

	(void)unlink(s->tmp);
	if ((w.buf = malloc(RBUF_LEN)) == NULL)
		return -1;
	w.fd = open(s->tmp, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (w.fd == -1)
		goto fail;
	if (q != NULL && write_queue(&w, q, &toolong) == -1)
		goto fail;
	if (wb_flush(&w) == -1)
		goto fail;
	for (off = s->rd; off < s->size; off += (off_t)n) {
		n = s->size - off < RBUF_LEN ? (size_t)(s->size - off) :
		    RBUF_LEN;
		if ((r = preadn(s->fd, w.buf, n, off)) == -1)
			goto fail;
		if ((size_t)r != n) {
			errno = EIO;	/* shrunk under us */
			goto fail;
		}
		if (writen(w.fd, w.buf, n) == -1)
			goto fail;
		w.total += (off_t)n;
	}
	if (fsync(w.fd) == -1 || rename(s->tmp, s->path) == -1)
		goto fail;
	sync_dir(s);
	free(w.buf);
	close(s->fd);
	s->fd = w.fd;
	s->size = w.total;
	s->rd = s->compact_retry = 0;
	s->rlen = 0;
	s->dirty = false;
	if (q != NULL) {
		mq_clear(q);
		q->dropped += toolong;
	}
	return 0;
fail:
	saved = errno;
	if (w.fd != -1) {
		close(w.fd);
		(void)unlink(s->tmp);
	}
	free(w.buf);
	errno = saved;
	return -1;
}

int
spool_append(struct spool *s, int sev, const char *data, size_t len)
{
	unsigned char h[SPOOL_HDR_LEN];
	struct iovec iov[2];
	size_t reclen = SPOOL_HDR_LEN + len;
	ssize_t r;
	int saved;
	bool full;

	if (len > SPOOL_MAX_RECORD) {
		errno = EMSGSIZE;
		return SPOOL_ERROR;
	}
	full = s->max_bytes >= 0 &&
	    (long long)s->size + (long long)reclen > s->max_bytes;
	if (s->rd > 0 && s->rd >= s->compact_retry &&
	    ((full && s->rd >= s->size / 4) ||
	    (s->rd >= COMPACT_MIN && s->rd >= s->size / 2))) {
		if (rewrite(s, NULL) == -1)
			s->compact_retry = s->rd + s->size / 4;
		full = s->max_bytes >= 0 &&
		    (long long)s->size + (long long)reclen > s->max_bytes;
	}
	if (full)
		return SPOOL_FULL;

	make_hdr(h, sev, data, len);
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)(uintptr_t)data;
	iov[1].iov_len = len;
	do
		r = writev(s->fd, iov, 2);
	while (r == -1 && errno == EINTR);
	if (r == (ssize_t)reclen) {
		s->size += (off_t)reclen;
		s->dirty = true;
		return SPOOL_OK;
	}
	saved = r == -1 ? errno : ENOSPC;
	/* Take a partial record back; if that fails, the reader skips it. */
	if (r > 0 && ftruncate(s->fd, s->size) == -1)
		s->size += (off_t)r;
	errno = saved;
	return SPOOL_ERROR;
}

/*
 * Points at len bytes of the file at off (off + len <= size), through
 * the read buffer; NULL on a read error.  Valid until the next call.
 */
static const unsigned char *
fetch(struct spool *s, off_t off, size_t len)
{
	size_t want, n;
	ssize_t r;
	void *p;

	if (s->rbuf != NULL && off >= s->roff &&
	    off - s->roff <= (off_t)s->rlen &&
	    len <= s->rlen - (size_t)(off - s->roff))
		return s->rbuf + (off - s->roff);
	want = len > RBUF_LEN ? len : RBUF_LEN;
	if (s->rcap < want) {
		if ((p = realloc(s->rbuf, want)) == NULL)
			return NULL;
		s->rbuf = p;
		s->rcap = want;
	}
	s->rlen = 0;
	n = s->size - off < (off_t)s->rcap ? (size_t)(s->size - off) :
	    s->rcap;
	if ((r = preadn(s->fd, s->rbuf, n, off)) == -1)
		return NULL;
	if ((size_t)r < len) {
		errno = EIO;		/* shrunk under us */
		return NULL;
	}
	s->roff = off;
	s->rlen = (size_t)r;
	return s->rbuf;
}

/* Offset of the next record magic at or after from, size if none, -1. */
static off_t
resync(struct spool *s, off_t from)
{
	const unsigned char *p, *m;
	size_t n, i;

	while (s->size - from >= 4) {
		if (s->rbuf != NULL && from >= s->roff &&
		    s->roff + (off_t)s->rlen - from >= 4) {
			/* what is buffered: each byte is read once */
			p = s->rbuf + (from - s->roff);
			n = (size_t)(s->roff + (off_t)s->rlen - from);
		} else {
			n = s->size - from < RBUF_LEN ?
			    (size_t)(s->size - from) : RBUF_LEN;
			if ((p = fetch(s, from, n)) == NULL)
				return -1;
		}
		for (i = 0; i + 4 <= n; i = (size_t)(m - p) + 1) {
			if ((m = memchr(p + i, magic[0], n - 3 - i)) == NULL)
				break;
			if (memcmp(m, magic, 4) == 0)
				return from + (off_t)(m - p);
		}
		from += (off_t)(n - 3);
	}
	return s->size;
}

size_t
spool_load(struct spool *s, struct mqueue *q, size_t max)
{
	unsigned char h[SPOOL_HDR_LEN];
	const unsigned char *p;
	size_t moved = 0;
	uint32_t len;
	off_t o, next;

	while (moved < max && s->rd < s->size) {
		o = s->rd;
		if (s->size - o < SPOOL_HDR_LEN)
			goto bad;
		if ((p = fetch(s, o, SPOOL_HDR_LEN)) == NULL)
			break;
		memcpy(h, p, sizeof(h));
		len = get32(h + 4);
		if (memcmp(h, magic, 4) != 0 || h[8] >= MQ_NSEV ||
		    len > SPOOL_MAX_RECORD ||
		    (off_t)len > s->size - o - SPOOL_HDR_LEN)
			goto bad;
		if ((p = fetch(s, o, SPOOL_HDR_LEN + len)) == NULL)
			break;
		if (get32(h + 9) != spool_crc32(spool_crc32(0, h + 4, 5),
		    p + SPOOL_HDR_LEN, len))
			goto bad;
		if (!mq_fits(q, len) && q->count > 0)
			break;
		if (mq_push(q, h[8], (const char *)p + SPOOL_HDR_LEN, len) == -1)
			break;
		s->rd = o + SPOOL_HDR_LEN + (off_t)len;
		moved++;
		continue;
bad:
		if ((next = resync(s, o + 1)) == -1)
			break;
		s->damaged++;
		s->rd = next;
	}
	if (s->rd >= s->size)
		(void)reset_empty(s);
	return moved;
}

bool
spool_empty(const struct spool *s)
{
	return s->rd >= s->size;
}

unsigned long long
spool_pending(const struct spool *s)
{
	return s->rd >= s->size ? 0 : (unsigned long long)(s->size - s->rd);
}

unsigned long long
spool_damaged(const struct spool *s)
{
	return s->damaged;
}

const char *
spool_path(const struct spool *s)
{
	return s->path;
}

int
spool_sync(struct spool *s)
{
	if (fsync(s->fd) == -1)
		return -1;
	s->dirty = false;
	return 0;
}

int
spool_save_front(struct spool *s, struct mqueue *q)
{
	if (q->count == 0 && s->rd == 0)
		return spool_sync(s);
	if (q->count == 0 && s->rd >= s->size) {
		if (reset_empty(s) == -1)
			return -1;
		return spool_sync(s);
	}
	return rewrite(s, q);
}

void
spool_close(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->rd >= s->size)
		(void)unlink(s->path);
	else if (s->dirty)
		(void)fsync(s->fd);
	close(s->fd);
	spool_free(s);
}
