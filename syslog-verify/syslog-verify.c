/*
 * syslog-verify: checks a log file signed with RFC 5848 (syslog-sign), as
 * our syslogd writes it with the PRI kept ("+" files), in RFC 5424 or
 * BSD format.
 *
 * It reassembles each session's certificate blocks (per host, RSID, SG
 * and SPRI: session.c), takes the key from them, checks the signature of
 * every certificate and signature block, then checks that every other
 * line's hash is in a verified signature block.  With -g it also fails when a
 * message number of a group has no line (deleted or lost lines): that
 * holds only where the file gets every message of its groups, as with
 * sign_sg=3.  With -k, the key must have that fingerprint (the one
 * syslogd logs when it starts signing).
 *
 * usage: syslog-verify [-gqv] [-k SHA256:..] [file]
 * Exit status: 0 all good, 1 a check failed, 2 usage or I/O error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "session.h"

struct line {
	char	*s;
	size_t	 len;
};

/* A hash listed in a verified signature block. */
struct entry {
	unsigned char	 h[SIGN_HASH_LEN];
	size_t		 hlen;
	size_t		 session;
	int64_t		 num;
	bool		 seen;
};

struct state {
	const char	*file;
	bool		 gaps, quiet, verbose;
	const char	*want_fp;
	char		*text;		/* the whole file; lines point into it */
	struct line	*lines;
	size_t		 nlines;
	struct sessions	 ss;
	struct entry	*es;
	size_t		 nes, capes;
	unsigned long	 errors, cbs, sbs, msgs, missing;
};

static void
fail(struct state *st, size_t ln, const char *what)
{
	st->errors++;
	if (!st->quiet)
		printf("%s:%zu: %s\n", st->file, ln + 1, what);
}

static bool
read_all(struct state *st, FILE *f)
{
	size_t cap = 0, len = 0, n, capl = 0;
	char *buf = NULL, *p, *e;

	for (;;) {
		if (len + 65536 > cap) {
			char *nb = realloc(buf, cap = (cap + 65536) * 2);

			if (nb == NULL) {
				free(buf);
				return false;
			}
			buf = nb;
		}
		if ((n = fread(buf + len, 1, cap - len - 1, f)) == 0)
			break;
		len += n;
	}
	if (ferror(f))
		return false;
	if (buf == NULL)
		return true;
	st->text = buf;
	buf[len] = '\0';
	for (p = buf; p < buf + len; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			e = buf + len;
		if (st->nlines == capl) {
			struct line *nl = realloc(st->lines,
			    (capl = capl * 2 + 64) * sizeof(*nl));

			if (nl == NULL)
				return false;
			st->lines = nl;
		}
		*e = '\0';
		st->lines[st->nlines].s = p;
		st->lines[st->nlines++].len = (size_t)(e - p);
	}
	return true;
}

/* The HOSTNAME of a line with PRI, RFC 5424 or BSD; false if none. */
static bool
line_host(const char *s, size_t len, const char **h, size_t *hlen)
{
	const char *p = s, *e = s + len, *q;

	if (len < 3 || *p != '<')
		return false;
	for (p++; p < e && *p >= '0' && *p <= '9'; p++)
		continue;
	if (p >= e || *p != '>')
		return false;
	p++;
	if (e - p > 2 && p[0] == '1' && p[1] == ' ') {
		/* "1 TIMESTAMP HOST" */
		if ((q = memchr(p + 2, ' ', (size_t)(e - p - 2))) == NULL)
			return false;
		p = q + 1;
	} else if (e - p > 16 && p[15] == ' ')
		p += 16;		/* "Mmm dd hh:mm:ss HOST" */
	else
		return false;
	if ((q = memchr(p, ' ', (size_t)(e - p))) == NULL || q == p)
		return false;
	*h = p;
	*hlen = (size_t)(q - p);
	return true;
}

static void
say_session(void *ctx, const struct session *s, const char *what)
{
	struct state *st = ctx;

	st->errors++;
	if (!st->quiet)
		printf("%s: host %s RSID %lld SG %d SPRI %d: %s\n", st->file,
		    s->host, (long long)s->rsid, s->sg, s->spri, what);
}

/* A certificate block goes into its session. */
static void
take_cb(struct state *st, size_t ln, const char *h, size_t hlen,
    const struct sign_param *p)
{
	size_t si = session_find(&st->ss, h, hlen, p, true);
	const char *why;

	if (si == SIZE_MAX)
		fail(st, ln, "out of memory or bad host");
	else if ((why = session_add_cb(&st->ss.s[si], ln, st->lines[ln].s,
	    st->lines[ln].len, p)) != NULL)
		fail(st, ln, why);
}

/* Each session's keys, then which of its certificate blocks they sign. */
static void
check_cbs(struct state *st)
{
	for (size_t i = 0; i < st->ss.n; i++) {
		struct session *s = &st->ss.s[i];

		session_take_keys(s, st->want_fp, say_session, st);
		for (size_t c = 0; c < s->ncbs; c++)
			if (s->cbs[c].ok)
				st->cbs++;
			else
				fail(st, s->cbs[c].ln, s->nkeys == 0 ?
				    "certificate block: incomplete payload or "
				    "unusable key" : "certificate block: not "
				    "signed by the session's key");
	}
}

static bool
add_entry(struct state *st, const unsigned char *h, size_t hlen, size_t si,
    int64_t num)
{
	if (st->nes == st->capes) {
		struct entry *ne = realloc(st->es, (st->capes = st->capes * 2 +
		    256) * sizeof(*ne));

		if (ne == NULL)
			return false;
		st->es = ne;
	}
	memcpy(st->es[st->nes].h, h, hlen);
	st->es[st->nes].hlen = hlen;
	st->es[st->nes].session = si;
	st->es[st->nes].num = num;
	st->es[st->nes++].seen = false;
	return true;
}

/* A signature block: its signature, then its hashes become entries. */
static void
take_sb(struct state *st, size_t ln, const char *h, size_t hlen,
    const struct sign_param *p)
{
	size_t si = session_find(&st->ss, h, hlen, p, false);
	int64_t fmn = sign_number(p[5].val, p[5].vallen);
	int64_t cnt = sign_number(p[6].val, p[6].vallen);
	const char *hb = p[7].val, *e = hb + p[7].vallen, *sp;
	unsigned char bin[64];
	size_t want;
	int64_t i;

	if (si == SIZE_MAX || st->ss.s[si].nkeys == 0) {
		fail(st, ln, "signature block without a certificate block");
		return;
	}
	if (p[0].val[2] - '0' != st->ss.s[si].hash) {
		fail(st, ln, "signature block: VER differs from the session's");
		return;
	}
	if (!session_signed(&st->ss.s[si], st->lines[ln].s, st->lines[ln].len,
	    p[8].val, p[8].vallen)) {
		fail(st, ln, "signature block: bad signature");
		return;
	}
	want = st->ss.s[si].hash == 1 ? 20 : 32;
	for (i = 0; hb < e; i++, hb = sp + 1) {
		if ((sp = memchr(hb, ' ', (size_t)(e - hb))) == NULL)
			sp = e;
		if (sign_unb64(hb, (size_t)(sp - hb), bin, sizeof(bin)) !=
		    (long)want || fmn < 1 || !add_entry(st, bin, want, si,
		    fmn + i)) {
			fail(st, ln, "signature block: bad hash");
			return;
		}
	}
	if (i != cnt)
		fail(st, ln, "signature block: CNT differs from the hashes");
	st->sbs++;
}

static int
by_hash(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->hlen != y->hlen)
		return x->hlen < y->hlen ? -1 : 1;
	return memcmp(x->h, y->h, x->hlen);
}

static int
by_number(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->session != y->session)
		return x->session < y->session ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

/* Marks every entry of hash h; false when there is none. */
static bool
mark(struct state *st, const unsigned char *h, size_t hlen)
{
	struct entry key, *e;
	size_t lo = 0, hi = st->nes, mid;

	if (st->nes == 0)
		return false;
	memcpy(key.h, h, hlen);
	key.hlen = hlen;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (by_hash(&st->es[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (e = st->es + lo; e < st->es + st->nes && by_hash(e, &key) == 0;
	    e++)
		e->seen = true;
	return e != st->es + lo;
}

static void
check_messages(struct state *st, const bool *block)
{
	unsigned char h[SIGN_HASH_LEN];

	if (st->nes > 0)
		qsort(st->es, st->nes, sizeof(*st->es), by_hash);
	for (size_t ln = 0; ln < st->nlines; ln++) {
		const struct line *l = &st->lines[ln];
		bool ok;

		if (block[ln] || l->len == 0)
			continue;
		ok = EVP_Digest(l->s, l->len, h, NULL, EVP_sha256(), NULL) &&
		    mark(st, h, 32);
		if (!ok)
			ok = EVP_Digest(l->s, l->len, h, NULL, EVP_sha1(),
			    NULL) && mark(st, h, 20);
		if (!ok)
			fail(st, ln, l->s[0] == '<' ? "message not signed" :
			    "message without PRI: cannot be verified");
		else {
			st->msgs++;
			if (st->verbose)
				printf("ok %s\n", l->s);
		}
	}
}

/* Numbers of each session that no line has (-g: also never signed). */
static void
check_gaps(struct state *st)
{
	size_t i = 0;

	if (st->nes > 0)
		qsort(st->es, st->nes, sizeof(*st->es), by_number);
	while (i < st->nes) {
		size_t si = st->es[i].session;
		int64_t expect = 1;

		for (; i < st->nes && st->es[i].session == si; i++) {
			const struct entry *e = &st->es[i];
			bool seen = e->seen;

			/* the same number in several blocks */
			while (i + 1 < st->nes && st->es[i + 1].session == si &&
			    st->es[i + 1].num == e->num)
				seen |= st->es[++i].seen;
			if (e->num > expect && st->gaps) {
				st->missing += (unsigned long)(e->num - expect);
				printf("%s: host %s RSID %lld SG %d SPRI %d: "
				    "messages %lld to %lld never signed\n",
				    st->file, st->ss.s[si].host,
				    (long long)st->ss.s[si].rsid, st->ss.s[si].sg,
				    st->ss.s[si].spri, (long long)expect,
				    (long long)e->num - 1);
			}
			expect = e->num + 1;
			if (!seen) {
				st->missing++;
				if (!st->quiet)
					printf("%s: host %s RSID %lld SG %d "
					    "SPRI %d: message %lld missing\n",
					    st->file, st->ss.s[si].host,
					    (long long)st->ss.s[si].rsid,
					    st->ss.s[si].sg, st->ss.s[si].spri,
					    (long long)e->num);
			}
		}
	}
}

static void
free_state(struct state *st)
{
	sessions_free(&st->ss);
	free(st->es);
	free(st->lines);
	free(st->text);
}

int
main(int argc, char **argv)
{
	struct state st = { .file = "-" };
	struct sign_param p[SIGN_MAXPARAMS];
	FILE *f = stdin;
	bool *block, cert;
	const char *h;
	size_t hlen;
	int c, n;

	while ((c = getopt(argc, argv, "gk:qv")) != -1)
		switch (c) {
		case 'g': st.gaps = true; break;
		case 'k': st.want_fp = optarg; break;
		case 'q': st.quiet = true; break;
		case 'v': st.verbose = true; break;
		default:
			fprintf(stderr, "usage: syslog-verify [-gqv] "
			    "[-k SHA256:...] [file]\n");
			return 2;
		}
	if (optind < argc && (f = fopen(st.file = argv[optind], "r")) == NULL) {
		perror(argv[optind]);
		return 2;
	}
	if (!read_all(&st, f) ||
	    (block = calloc(st.nlines + 1, sizeof(*block))) == NULL) {
		fprintf(stderr, "syslog-verify: %s: cannot read\n", st.file);
		return 2;
	}
	/* Certificate blocks first: signature blocks need their keys. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			check_cbs(&st);
		for (size_t ln = 0; ln < st.nlines; ln++) {
			const struct line *l = &st.lines[ln];

			if ((n = sign_parse_block(l->s, l->len, &cert, p,
			    SIGN_MAXPARAMS)) < 0)
				continue;
			block[ln] = true;
			if (!sign_block_well_formed(p, n, cert) ||
			    !line_host(l->s, l->len, &h, &hlen)) {
				if (pass == 0)
					fail(&st, ln, "malformed block");
			} else if (pass == 0 && cert)
				take_cb(&st, ln, h, hlen, p);
			else if (pass == 1 && !cert)
				take_sb(&st, ln, h, hlen, p);
		}
	}
	check_messages(&st, block);
	check_gaps(&st);
	if (st.gaps)
		st.errors += st.missing;
	printf("%s: %zu lines: %lu messages signed, %lu signature blocks and "
	    "%lu certificate blocks verified, %lu missing, %lu errors\n",
	    st.file, st.nlines, st.msgs, st.sbs, st.cbs, st.missing, st.errors);
	free(block);
	free_state(&st);
	if (f != stdin)
		fclose(f);
	return st.errors > 0 ? 1 : 0;
}
