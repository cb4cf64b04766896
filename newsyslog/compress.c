/*
 * In-process compression.  See compress.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include "compress.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC	0
#endif

#define BUFSZ		(64 * 1024)

struct job {
	int		in;
	int		out;
	const char	*name;		/* base name of the source */
	time_t		mtime;
	char		*err;
	size_t		errlen;
	unsigned char	ibuf[BUFSZ];
	unsigned char	obuf[BUFSZ];
};

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
write_all(struct job *j, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(j->out, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(j->err, j->errlen, "write: %s",
			    strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads up to BUFSZ bytes; 0 at the end; -1 on error. */
static ssize_t
read_some(struct job *j)
{
	ssize_t n;

	do
		n = read(j->in, j->ibuf, BUFSZ);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail(j->err, j->errlen, "read: %s", strerror(errno));
	return n;
}

static int
do_gzip(struct job *j)
{
	z_stream zs;
	gz_header h;
	ssize_t n;
	int flush, rc = Z_OK, ret = -1;

	memset(&zs, 0, sizeof(zs));
	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return fail(j->err, j->errlen, "zlib: initialisation failed");
	memset(&h, 0, sizeof(h));
	h.time = (uLong)j->mtime;
	h.os = 3;	/* Unix */
	h.name = (Bytef *)(uintptr_t)j->name;
	if (deflateSetHeader(&zs, &h) != Z_OK) {
		fail(j->err, j->errlen, "zlib: cannot set the header");
		goto out;
	}
	do {
		if ((n = read_some(j)) < 0)
			goto out;
		zs.next_in = j->ibuf;
		zs.avail_in = (uInt)n;
		flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			zs.next_out = j->obuf;
			zs.avail_out = BUFSZ;
			rc = deflate(&zs, flush);
			if (rc == Z_STREAM_ERROR) {
				fail(j->err, j->errlen, "zlib: %s",
				    zs.msg != NULL ? zs.msg : "stream error");
				goto out;
			}
			if (write_all(j, j->obuf, BUFSZ - zs.avail_out) < 0)
				goto out;
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	ret = rc == Z_STREAM_END ? 0 :
	    fail(j->err, j->errlen, "zlib: stream not finished");
out:
	deflateEnd(&zs);
	return ret;
}

static int
do_bzip2(struct job *j)
{
	bz_stream bs;
	ssize_t n;
	int action, rc, ret = -1;

	memset(&bs, 0, sizeof(bs));
	/* Block size 9 (900 kB), as "bzip2 -9". */
	if (BZ2_bzCompressInit(&bs, 9, 0, 0) != BZ_OK)
		return fail(j->err, j->errlen, "bzip2: initialisation failed");
	do {
		if ((n = read_some(j)) < 0)
			goto out;
		bs.next_in = (char *)j->ibuf;
		bs.avail_in = (unsigned int)n;
		action = n == 0 ? BZ_FINISH : BZ_RUN;
		do {
			bs.next_out = (char *)j->obuf;
			bs.avail_out = BUFSZ;
			rc = BZ2_bzCompress(&bs, action);
			if (rc != BZ_RUN_OK && rc != BZ_FINISH_OK &&
			    rc != BZ_STREAM_END) {
				fail(j->err, j->errlen, "bzip2: error %d", rc);
				goto out;
			}
			if (write_all(j, j->obuf, BUFSZ - bs.avail_out) < 0)
				goto out;
		} while (action == BZ_FINISH ? rc != BZ_STREAM_END :
		    bs.avail_in > 0);
	} while (action != BZ_FINISH);
	ret = 0;
out:
	BZ2_bzCompressEnd(&bs);
	return ret;
}

static int
do_xz(struct job *j)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_action action;
	lzma_ret rc;
	ssize_t n;
	int ret = -1;

	/* Preset 6 with a CRC64 check, as "xz". */
	if (lzma_easy_encoder(&ls, 6, LZMA_CHECK_CRC64) != LZMA_OK)
		return fail(j->err, j->errlen, "xz: initialisation failed");
	do {
		if ((n = read_some(j)) < 0)
			goto out;
		ls.next_in = j->ibuf;
		ls.avail_in = (size_t)n;
		action = n == 0 ? LZMA_FINISH : LZMA_RUN;
		do {
			ls.next_out = j->obuf;
			ls.avail_out = BUFSZ;
			rc = lzma_code(&ls, action);
			if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
				fail(j->err, j->errlen, "xz: error %d",
				    (int)rc);
				goto out;
			}
			if (write_all(j, j->obuf, BUFSZ - ls.avail_out) < 0)
				goto out;
		} while (ls.avail_out == 0 ||
		    (action == LZMA_FINISH && rc != LZMA_STREAM_END));
	} while (action != LZMA_FINISH);
	ret = 0;
out:
	lzma_end(&ls);
	return ret;
}

/* fsync() the directory of path, so that a rename in it is durable. */
static void
sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t len;
	int fd;

	if (slash == NULL)
		len = 0;
	else
		len = slash == path ? 1 : (size_t)(slash - path);
	if (len == 0 || len >= sizeof(dir))
		return;
	memcpy(dir, path, len);
	dir[len] = '\0';
	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
ns_compress(enum ns_comp comp, const char *src, char *err, size_t errlen)
{
	char dst[4096], tmp[4200];
	struct timespec times[2];
	struct stat st, ost;
	struct job *j;
	const char *slash;
	int rc = -1;

	if (comp == NS_COMP_NONE)
		return fail(err, errlen, "no compression method");
	if ((size_t)snprintf(dst, sizeof(dst), "%s%s", src,
	    ns_comp_suffix(comp)) >= sizeof(dst))
		return fail(err, errlen, "%s: name too long", src);
	snprintf(tmp, sizeof(tmp), "%s.partial", dst);
	if (lstat(dst, &st) == 0)
		return fail(err, errlen, "%s already exists", dst);
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return fail(err, errlen, "out of memory");
	j->err = err;
	j->errlen = errlen;
	j->out = -1;
	slash = strrchr(src, '/');
	j->name = slash != NULL ? slash + 1 : src;

	if ((j->in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		fail(err, errlen, "%s: %s", src, strerror(errno));
		goto out;
	}
	if (fstat(j->in, &st) < 0 || !S_ISREG(st.st_mode)) {
		fail(err, errlen, "%s: not a regular file", src);
		goto out;
	}
	j->mtime = st.st_mtime;
	(void)unlink(tmp);	/* left by an interrupted run */
	j->out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (j->out < 0) {
		fail(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	switch (comp) {
	case NS_COMP_GZIP:
		rc = do_gzip(j);
		break;
	case NS_COMP_BZIP2:
		rc = do_bzip2(j);
		break;
	case NS_COMP_XZ:
		rc = do_xz(j);
		break;
	case NS_COMP_NONE:
		break;
	}
	if (rc < 0)
		goto fail;
	rc = -1;
	if (fstat(j->out, &ost) < 0 ||
	    ((ost.st_uid != st.st_uid || ost.st_gid != st.st_gid) &&
	    fchown(j->out, st.st_uid, st.st_gid) < 0)) {
		fail(err, errlen, "%s: cannot give it the owner of %s: %s",
		    tmp, src, strerror(errno));
		goto fail;
	}
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (fchmod(j->out, st.st_mode & 07777) < 0 ||
	    futimens(j->out, times) < 0 || fsync(j->out) < 0) {
		fail(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(j->out) < 0) {
		j->out = -1;
		fail(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	j->out = -1;
	if (rename(tmp, dst) < 0) {
		fail(err, errlen, "rename %s: %s", tmp, strerror(errno));
		goto fail;
	}
	sync_dir(dst);
	if (unlink(src) < 0) {
		fail(err, errlen, "%s: %s", src, strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
fail:
	(void)unlink(tmp);
out:
	if (j->in >= 0)
		close(j->in);
	if (j->out >= 0)
		close(j->out);
	free(j);
	return rc;
}
