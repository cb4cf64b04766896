/*
 * Rotation, signalling, waiting for the reopen, compression.  See rotate.h
 * and newsyslog(8).
 */
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compress.h"
#include "notice.h"
#include "rotate.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC	0
#endif

#define PATHSZ		4096
#define NSUFFIX		4

/* Archive suffixes; bit i of an archive mask stands for suffixes[i]. */
static const char *const suffixes[NSUFFIX] = { "", ".gz", ".bz2", ".xz" };

struct archives {
	int		maxidx;			/* -1: none */
	unsigned char	mask[NS_MAX_COUNT + 1];
};

struct ns_pending {
	const struct ns_entry	*e;
	char			*path0;		/* the archive .0 */
	bool			compress;	/* .0 is to be compressed */
	dev_t			dev;		/* the rotated file */
	ino_t			ino;
	ino_t			new_ino;	/* its replacement */
	off_t			new_size;	/* ... as newsyslog left it */
	long			pid;		/* >0 signalled; 0 none; -1 failed */
	bool			done;
};

static void
say(const struct ns_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->verbose || o->out == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(o->out, fmt, ap);
	va_end(ap);
	fputc('\n', o->out);
	fflush(o->out);
}

static const char *
comp_name(enum ns_comp c)
{
	switch (c) {
	case NS_COMP_GZIP:
		return "gzip";
	case NS_COMP_BZIP2:
		return "bzip2";
	case NS_COMP_XZ:
		return "xz";
	case NS_COMP_NONE:
		break;
	}
	return "none";
}

static int
suffix_index(enum ns_comp c)
{
	switch (c) {
	case NS_COMP_GZIP:
		return 1;
	case NS_COMP_BZIP2:
		return 2;
	case NS_COMP_XZ:
		return 3;
	case NS_COMP_NONE:
		break;
	}
	return 0;
}

/* dir gets the directory of path ("/" for "/x"), *base its last part. */
static int
split_path(const char *path, char *dir, size_t dlen, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (slash == NULL || slash[1] == '\0')
		return -1;
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= dlen)
		return -1;
	memcpy(dir, path, len);
	dir[len] = '\0';
	*base = slash + 1;
	return 0;
}

static int
archive_name(char *buf, size_t len, const char *path, int idx, int s)
{
	if ((size_t)snprintf(buf, len, "%s.%d%s", path, idx, suffixes[s]) >=
	    len) {
		warnx("%s: name too long", path);
		return -1;
	}
	return 0;
}

/*
 * Finds the archives of path: names "path.N" and "path.N.gz" (.bz2, .xz)
 * with N written without leading zeros and at most NS_MAX_COUNT.
 */
static int
scan_archives(const char *path, struct archives *a)
{
	char dir[PATHSZ];
	const char *base, *p;
	struct dirent *d;
	size_t blen, nd;
	DIR *dp;
	int idx, s;

	memset(a, 0, sizeof(*a));
	a->maxidx = -1;
	if (split_path(path, dir, sizeof(dir), &base) < 0) {
		warnx("%s: bad path", path);
		return -1;
	}
	blen = strlen(base);
	if ((dp = opendir(dir)) == NULL) {
		warn("%s", dir);
		return -1;
	}
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, base, blen) != 0 ||
		    d->d_name[blen] != '.')
			continue;
		p = d->d_name + blen + 1;
		for (nd = 0, idx = 0; isdigit((unsigned char)p[nd]); nd++) {
			if (nd < 4)
				idx = idx * 10 + (p[nd] - '0');
		}
		if (nd == 0 || nd > 3 || (p[0] == '0' && nd > 1) ||
		    idx > NS_MAX_COUNT)
			continue;
		for (s = 0; s < NSUFFIX; s++) {
			if (strcmp(p + nd, suffixes[s]) == 0) {
				a->mask[idx] |= (unsigned char)(1u << s);
				if (idx > a->maxidx)
					a->maxidx = idx;
			}
		}
	}
	closedir(dp);
	return 0;
}

int
ns_examine(const struct ns_entry *e, struct ns_logstate *st)
{
	char name[PATHSZ];
	struct stat sb;
	int s;

	memset(st, 0, sizeof(*st));
	if (lstat(e->path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		warn("%s", e->path);
		return -1;
	}
	st->exists = true;
	st->regular = S_ISREG(sb.st_mode);
	st->size = sb.st_size;
	for (s = 0; s < NSUFFIX; s++) {
		if (archive_name(name, sizeof(name), e->path, 0, s) < 0)
			return -1;
		if (lstat(name, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (!st->has_archive || sb.st_mtime > st->archive_mtime)) {
			st->has_archive = true;
			st->archive_mtime = sb.st_mtime;
		}
	}
	return 0;
}

/* Gives an existing file the entry's mode, and its owner when it has one. */
static int
fix_file(const struct ns_entry *e, const struct ns_opts *o, const char *path)
{
	struct stat sb;
	int fd, rc = 0;

	if (e->uid != (uid_t)-1 || e->gid != (gid_t)-1)
		say(o, "chown %ld:%ld %s", e->uid == (uid_t)-1 ? -1L :
		    (long)e->uid, e->gid == (gid_t)-1 ? -1L : (long)e->gid,
		    path);
	say(o, "chmod %o %s", (unsigned)e->mode, path);
	if (o->dryrun)
		return 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) < 0) {
		warn("%s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (((e->uid != (uid_t)-1 && sb.st_uid != e->uid) ||
	    (e->gid != (gid_t)-1 && sb.st_gid != e->gid)) &&
	    fchown(fd, e->uid, e->gid) < 0) {
		warn("chown %s", path);
		rc = -1;
	}
	if ((sb.st_mode & 07777) != e->mode && fchmod(fd, e->mode) < 0) {
		warn("chmod %s", path);
		rc = -1;
	}
	close(fd);
	return rc;
}

int
ns_create(const struct ns_entry *e, const struct ns_opts *o)
{
	struct stat sb;
	int fd, rc = 0;

	say(o, "create %s", e->path);
	if (o->dryrun)
		return 0;
	fd = open(e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		warn("%s", e->path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (((e->uid != (uid_t)-1 && sb.st_uid != e->uid) ||
	    (e->gid != (gid_t)-1 && sb.st_gid != e->gid)) &&
	    fchown(fd, e->uid, e->gid) < 0) {
		warn("chown %s", e->path);
		rc = -1;
	}
	if (fchmod(fd, e->mode) < 0) {
		warn("chmod %s", e->path);
		rc = -1;
	}
	close(fd);
	return rc;
}

/* Reads the first and the last complete line of fd and detects the format. */
static void
detect(int fd, off_t size, struct ns_fmtinfo *fi)
{
	char head[1024], tail[4096];
	const char *first = NULL, *last = NULL, *nl;
	size_t flen = 0, llen = 0, end, start;
	off_t off;
	ssize_t n;

	n = pread(fd, head, sizeof(head), 0);
	if (n > 0 && (nl = memchr(head, '\n', (size_t)n)) != NULL) {
		first = head;
		flen = (size_t)(nl - head);
	}
	off = size > (off_t)sizeof(tail) ? size - (off_t)sizeof(tail) : 0;
	n = pread(fd, tail, sizeof(tail), off);
	if (n > 0) {
		/* The end of the last complete line. */
		for (end = (size_t)n; end > 0 && tail[end - 1] != '\n'; end--)
			;
		if (end > 0) {
			end--;
			for (start = end; start > 0 && tail[start - 1] != '\n';
			    start--)
				;
			if (start > 0 || off == 0) {
				last = tail + start;
				llen = end - start;
			}
		}
	}
	ns_detect_format(first, flen, last, llen, fi);
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Appends the notice to the log, on a line of its own. */
static int
append_notice(const char *path, const struct stat *old, const char *notice,
    size_t nlen)
{
	char buf[1100], last = '\n';
	struct stat sb;
	size_t len = 0;
	int fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)) <
	    0 || fstat(fd, &sb) < 0) {
		warn("%s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (sb.st_dev != old->st_dev || sb.st_ino != old->st_ino) {
		warnx("%s: replaced while being rotated", path);
		close(fd);
		return -1;
	}
	if (sb.st_size > 0) {
		int rfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		if (rfd >= 0) {
			if (pread(rfd, &last, 1, sb.st_size - 1) != 1)
				last = '\n';
			close(rfd);
		}
	}
	if (last != '\n')
		buf[len++] = '\n';
	if (nlen > sizeof(buf) - len)
		nlen = sizeof(buf) - len;
	memcpy(buf + len, notice, nlen);
	len += nlen;
	if (write_all(fd, buf, len) < 0) {
		warn("%s", path);
		rc = -1;
	}
	close(fd);
	return rc;
}

static int
add_pending(struct ns_run *run, const struct ns_pending *p)
{
	struct ns_pending *nv;
	size_t ncap;

	if (run->n == run->cap) {
		ncap = run->cap == 0 ? 8 : run->cap * 2;
		if ((nv = realloc(run->v, ncap * sizeof(*nv))) == NULL) {
			warnx("out of memory");
			return -1;
		}
		run->v = nv;
		run->cap = ncap;
	}
	run->v[run->n++] = *p;
	return 0;
}

/* Steps 1 to 3: remove the oldest archives, compress strays, shift. */
static int
shift_archives(const struct ns_entry *e, const struct ns_opts *o)
{
	char from[PATHSZ], to[PATHSZ], err[512];
	struct archives *a;
	int cbit = suffix_index(e->comp), first_rm, i, s, rc = 0;

	if ((a = malloc(sizeof(*a))) == NULL) {
		warnx("out of memory");
		return -1;
	}
	if (scan_archives(e->path, a) < 0) {
		free(a);
		return -1;
	}
	first_rm = e->count > 0 ? e->count - 1 : 0;

	for (i = first_rm; i <= a->maxidx; i++) {
		for (s = 0; s < NSUFFIX; s++) {
			if (!(a->mask[i] & (1u << s)))
				continue;
			if (archive_name(from, sizeof(from), e->path, i, s) < 0)
				goto fail;
			say(o, "rm %s", from);
			if (!o->dryrun && unlink(from) < 0 && errno != ENOENT) {
				warn("%s", from);
				goto fail;
			}
		}
	}
	if (a->maxidx >= first_rm)
		a->maxidx = first_rm - 1;

	/* Archives that a run left uncompressed (P flag, or a daemon that
	 * did not reopen in time) are compressed before they move on. */
	if (e->comp != NS_COMP_NONE) {
		for (i = 0; i <= a->maxidx; i++) {
			if (!(a->mask[i] & 1u) || (a->mask[i] & (1u << cbit)))
				continue;
			if (archive_name(from, sizeof(from), e->path, i, 0) < 0)
				goto fail;
			say(o, "%s %s", comp_name(e->comp), from);
			if (o->dryrun)
				continue;
			if (ns_compress(e->comp, from, err, sizeof(err)) < 0) {
				warnx("%s", err);
				rc = -1;
				continue;
			}
			a->mask[i] = (unsigned char)((a->mask[i] & ~1u) |
			    (1u << cbit));
		}
	}

	for (i = a->maxidx; i >= 0; i--) {
		for (s = 0; s < NSUFFIX; s++) {
			if (!(a->mask[i] & (1u << s)))
				continue;
			if (archive_name(from, sizeof(from), e->path, i, s) < 0 ||
			    archive_name(to, sizeof(to), e->path, i + 1, s) < 0)
				goto fail;
			say(o, "mv %s %s", from, to);
			if (!o->dryrun && rename(from, to) < 0) {
				warn("mv %s %s", from, to);
				goto fail;
			}
			if (fix_file(e, o, to) < 0)
				rc = -1;
		}
	}
	free(a);
	return rc;
fail:
	free(a);
	return -1;
}

int
ns_trim(struct ns_run *run, const struct ns_entry *e, const struct ns_opts *o)
{
	char dir[PATHSZ], tmp[PATHSZ], path0[PATHSZ], notice[1024];
	struct ns_fmtinfo fi;
	struct ns_pending p;
	struct stat old, nsb;
	struct timespec times[2];
	const char *base;
	size_t nlen = 0;
	uid_t uid;
	gid_t gid;
	int fd, rc = 0;
	bool linked = false;

	if (split_path(e->path, dir, sizeof(dir), &base) < 0 ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s%s.%s.newsyslog",
	    dir, strcmp(dir, "/") == 0 ? "" : "/", base) >= sizeof(tmp) ||
	    archive_name(path0, sizeof(path0), e->path, 0, 0) < 0) {
		warnx("%s: bad path", e->path);
		run->errors++;
		return -1;
	}
	if (shift_archives(e, o) < 0)
		rc = -1;

	/* Look at the live log: who owns it, what format it is in. */
	if ((fd = open(e->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    fstat(fd, &old) < 0) {
		warn("%s", e->path);
		if (fd >= 0)
			close(fd);
		run->errors++;
		return -1;
	}
	if (!(e->flags & NS_F_BINARY)) {
		detect(fd, old.st_size, &fi);
		nlen = ns_notice(notice, sizeof(notice), &fi, o->now, o->usec,
		    o->host, o->pid);
	}
	close(fd);
	fd = -1;
	memset(&nsb, 0, sizeof(nsb));
	uid = e->uid != (uid_t)-1 ? e->uid : old.st_uid;
	gid = e->gid != (gid_t)-1 ? e->gid : old.st_gid;

	/* The replacement, complete before it takes the log's name. */
	say(o, "create %s (owner %ld:%ld, mode %o%s)", tmp, (long)uid,
	    (long)gid, (unsigned)e->mode, nlen > 0 ? ", with the notice" : "");
	if (!o->dryrun) {
		if (unlink(tmp) < 0 && errno != ENOENT)
			warn("%s", tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 || fstat(fd, &nsb) < 0) {
			warn("%s", tmp);
			goto fail_tmp;
		}
		if ((nsb.st_uid != uid || nsb.st_gid != gid) &&
		    fchown(fd, uid, gid) < 0) {
			warn("chown %ld:%ld %s", (long)uid, (long)gid, tmp);
			rc = -1;	/* the rotation still goes on */
		}
		if ((nlen > 0 && write_all(fd, notice, nlen) < 0) ||
		    fchmod(fd, e->mode) < 0 || fstat(fd, &nsb) < 0) {
			warn("%s", tmp);
			goto fail_tmp;
		}
		close(fd);
		fd = -1;
	}

	if (nlen > 0) {
		say(o, "append the notice to %s", e->path);
		if (!o->dryrun && append_notice(e->path, &old, notice, nlen) < 0)
			rc = -1;
	}

	if (e->count > 0) {
		say(o, "ln %s %s", e->path, path0);
		if (!o->dryrun) {
			if (link(e->path, path0) == 0)
				linked = true;
			else if (errno == EEXIST) {
				warn("ln %s %s", e->path, path0);
				goto fail_tmp;
			}
		}
	}
	say(o, "mv %s %s", tmp, e->path);
	if (!o->dryrun) {
		/* No hard links here: the log is renamed, then replaced. */
		if (e->count > 0 && !linked && rename(e->path, path0) < 0) {
			warn("mv %s %s", e->path, path0);
			goto fail_tmp;
		}
		if (rename(tmp, e->path) < 0) {
			warn("mv %s %s", tmp, e->path);
			if (e->count > 0 && !linked &&
			    rename(path0, e->path) < 0)
				warn("mv %s %s", path0, e->path);
			goto fail_tmp;
		}
	}
	if (e->count > 0) {
		if (fix_file(e, o, path0) < 0)
			rc = -1;
		/* Its age is counted from now (see the "when" field). */
		times[0].tv_sec = 0;
		times[0].tv_nsec = UTIME_OMIT;
		times[1].tv_sec = o->now;
		times[1].tv_nsec = 0;
		if (!o->dryrun && utimensat(AT_FDCWD, path0, times,
		    AT_SYMLINK_NOFOLLOW) < 0) {
			warn("%s", path0);
			rc = -1;
		}
	} else
		say(o, "(no archives are kept: the old %s is dropped)",
		    e->path);

	memset(&p, 0, sizeof(p));
	p.e = e;
	p.compress = e->count > 0 && e->comp != NS_COMP_NONE &&
	    !(e->flags & NS_F_PLAIN0);
	p.dev = old.st_dev;
	p.ino = old.st_ino;
	if (!o->dryrun) {
		p.new_ino = nsb.st_ino;
		p.new_size = nsb.st_size;
	}
	if ((p.path0 = strdup(path0)) == NULL || add_pending(run, &p) < 0) {
		free(p.path0);
		rc = -1;
	}
	if (rc < 0)
		run->errors++;
	return rc;

fail_tmp:
	if (fd >= 0)
		close(fd);
	if (!o->dryrun)
		(void)unlink(tmp);
	run->errors++;
	return -1;
}

/* The first number in a pid file; -1 when there is none. */
static long
read_pidfile(const char *path)
{
	char buf[64], *end;
	ssize_t n;
	long pid;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		warn("pid file %s", path);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		warn("pid file %s", path);
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (end == buf || errno != 0 || pid <= 0 ||
	    (*end != '\0' && !isspace((unsigned char)*end))) {
		warnx("pid file %s: no process id in it", path);
		return -1;
	}
	return pid;
}

/*
 * Is the evidence there that process pid has let go of the rotated file?
 * Where /proc/PID/fd exists (Linux), it is that no descriptor of the
 * process refers to the rotated file.  Elsewhere it is that the
 * replacement has grown past what newsyslog wrote into it (so the daemon
 * writes to the new file), or that the process is gone.
 */
static bool
reopened(const struct ns_pending *p)
{
	char dir[64];
	struct dirent *d;
	struct stat sb;
	bool held = false;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%ld/fd", p->pid);
	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			if (fstatat(dirfd(dp), d->d_name, &sb, 0) == 0 &&
			    sb.st_dev == p->dev && sb.st_ino == p->ino) {
				held = true;
				break;
			}
		}
		closedir(dp);
		return !held;
	}
	if (kill((pid_t)p->pid, 0) < 0 && errno == ESRCH)
		return true;
	if (stat(p->e->path, &sb) == 0 &&
	    (sb.st_ino != p->new_ino || sb.st_size > p->new_size))
		return true;
	return false;
}

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
compress0(struct ns_run *run, struct ns_pending *p, const struct ns_opts *o)
{
	char err[512];

	p->done = true;
	say(o, "%s %s", comp_name(p->e->comp), p->path0);
	if (o->dryrun)
		return;
	if (ns_compress(p->e->comp, p->path0, err, sizeof(err)) < 0) {
		warnx("%s", err);
		run->errors++;
	}
}

static bool
same_signal(const struct ns_entry *a, const struct ns_entry *b)
{
	return a->sig == b->sig && strcmp(a->pidfile, b->pidfile) == 0;
}

int
ns_finish(struct ns_run *run, const struct ns_opts *o)
{
	struct ns_pending *p;
	const char *name;
	long deadline, waited, start, nap = 1;
	size_t i, k, left;
	int errors;

	/* One signal per distinct pid file and signal. */
	for (i = 0; i < run->n; i++) {
		p = &run->v[i];
		if (o->nosignal || (p->e->flags & NS_F_NOSIGNAL))
			continue;
		for (k = 0; k < i; k++) {
			if (!o->nosignal &&
			    !(run->v[k].e->flags & NS_F_NOSIGNAL) &&
			    same_signal(run->v[k].e, p->e))
				break;
		}
		if (k < i) {
			p->pid = run->v[k].pid;
			continue;
		}
		if ((p->pid = read_pidfile(p->e->pidfile)) < 0) {
			/* Nothing known to hold the files: go on. */
			p->pid = 0;
			run->errors++;
			continue;
		}
		name = ns_signame(p->e->sig);
		if (name != NULL)
			say(o, "kill -%s %ld", name, p->pid);
		else
			say(o, "kill -%d %ld", p->e->sig, p->pid);
		if (o->dryrun)
			continue;
		if (kill((pid_t)p->pid, p->e->sig) < 0) {
			warn("kill -%d %ld (from %s)", p->e->sig, p->pid,
			    p->e->pidfile);
			p->pid = errno == ESRCH ? 0 : -1;
			run->errors++;
		}
	}

	/* Compress now what nobody is to reopen; wait for the rest. */
	left = 0;
	for (i = 0; i < run->n; i++) {
		p = &run->v[i];
		if (!p->compress) {
			p->done = true;
			continue;
		}
		if (p->pid == 0 || o->dryrun)
			compress0(run, p, o);
		else if (p->pid < 0) {
			warnx("%s left uncompressed: the daemon was not "
			    "signalled", p->path0);
			p->done = true;
		} else
			left++;
	}
	start = mono_ms();
	deadline = start + o->reopen_timeout_ms;
	while (left > 0) {
		for (i = 0; i < run->n; i++) {
			p = &run->v[i];
			if (p->done || !reopened(p))
				continue;
			waited = mono_ms() - start;
			say(o, "# pid %ld let go of %s after %ld ms", p->pid,
			    p->path0, waited);
			compress0(run, p, o);
			left--;
		}
		if (left == 0 || mono_ms() >= deadline)
			break;
		{
			struct timespec ts = { 0, nap * 1000000L };

			nanosleep(&ts, NULL);
			if (nap < 50)
				nap *= 2;
		}
	}
	for (i = 0; i < run->n; i++) {
		p = &run->v[i];
		if (p->done)
			continue;
		warnx("%s left uncompressed: pid %ld did not reopen %s within "
		    "%d ms (the next rotation compresses it)", p->path0,
		    p->pid, p->e->path, o->reopen_timeout_ms);
		run->errors++;
	}

	errors = run->errors;
	for (i = 0; i < run->n; i++)
		free(run->v[i].path0);
	free(run->v);
	run->v = NULL;
	run->n = run->cap = 0;
	return errors;
}
