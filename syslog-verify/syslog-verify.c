/*
 * syslog-verify: checks a log file signed with RFC 5848 (syslog-sign), as
 * our syslogd writes it with the PRI kept ("+" files), in RFC 5424 or
 * BSD format.
 *
 * It reassembles each session's certificate blocks (per host, RSID, SG
 * and SPRI), takes the key from them, checks the signature of every
 * certificate and signature block, then checks that every other line's
 * hash is in a verified signature block.  With -g it also fails when a
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

#include "signfmt.h"
#include "signkey.h"

#define PAYLOAD_MAX	(64 * 1024)

struct line {
	char	*s;
	size_t	 len;
};

/* What one host sent under one RSID, for one signature group. */
struct session {
	char		 host[256];
	int64_t		 rsid;
	int		 sg, spri, hash;	/* hash: 1 SHA-1, 2 SHA-256 */
	size_t		 tpbl;
	char		*payload;
	unsigned char	*have;		/* which payload octets arrived */
	EVP_PKEY	*key;
	bool		 bad;		/* fragments that disagree */
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
	struct session	*ss;
	size_t		 nss;
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

static const char *const cb_names[] = { "VER", "RSID", "SG", "SPRI", "TPBL",
	"INDEX", "FLEN", "FRAG", "SIGN" };
static const char *const sb_names[] = { "VER", "RSID", "SG", "SPRI", "GBC",
	"FMN", "CNT", "HB", "SIGN" };

/* The parameters are those of the RFC, in its order; numbers checked. */
static bool
well_formed(const struct sign_param *p, int n, bool cert)
{
	const char *const *names = cert ? cb_names : sb_names;

	if (n != 9)
		return false;
	for (int i = 0; i < 9; i++)
		if (p[i].namelen != strlen(names[i]) ||
		    memcmp(p[i].name, names[i], p[i].namelen) != 0)
			return false;
	if (p[0].vallen != 4 || memcmp(p[0].val, "01", 2) != 0 ||
	    (p[0].val[2] != '1' && p[0].val[2] != '2') || p[0].val[3] != '1')
		return false;
	for (int i = 1; i < 7; i++)
		if (sign_number(p[i].val, p[i].vallen) < 0)
			return false;
	return sign_number(p[2].val, p[2].vallen) <= 3 &&
	    sign_number(p[3].val, p[3].vallen) < SIGN_NPRI;
}

static size_t
find_session(struct state *st, const char *h, size_t hlen,
    const struct sign_param *p, bool create)
{
	int64_t rsid = sign_number(p[1].val, p[1].vallen);
	int sg = (int)sign_number(p[2].val, p[2].vallen);
	int spri = (int)sign_number(p[3].val, p[3].vallen);
	struct session *ns;

	if (hlen >= sizeof(st->ss[0].host))
		return SIZE_MAX;
	for (size_t i = 0; i < st->nss; i++)
		if (st->ss[i].rsid == rsid && st->ss[i].sg == sg &&
		    st->ss[i].spri == spri && strlen(st->ss[i].host) == hlen &&
		    strncasecmp(st->ss[i].host, h, hlen) == 0)
			return i;
	if (!create || (ns = realloc(st->ss, (st->nss + 1) *
	    sizeof(*ns))) == NULL)
		return SIZE_MAX;
	st->ss = ns;
	ns = &st->ss[st->nss];
	memset(ns, 0, sizeof(*ns));
	memcpy(ns->host, h, hlen);
	ns->rsid = rsid;
	ns->sg = sg;
	ns->spri = spri;
	ns->hash = p[0].val[2] - '0';
	return st->nss++;
}

/* A certificate block's fragment goes into its session's payload. */
static void
take_fragment(struct state *st, size_t ln, const char *h, size_t hlen,
    const struct sign_param *p)
{
	/* Up to 9999999999 each: checked as such, before size_t (ILP32). */
	int64_t tpbl64 = sign_number(p[4].val, p[4].vallen);
	int64_t index64 = sign_number(p[5].val, p[5].vallen);
	int64_t flen64 = sign_number(p[6].val, p[6].vallen);
	size_t tpbl, index, flen;
	size_t si = find_session(st, h, hlen, p, true);
	struct session *s;

	if (si == SIZE_MAX) {
		fail(st, ln, "out of memory or bad host");
		return;
	}
	s = &st->ss[si];
	if (tpbl64 <= 0 || tpbl64 > PAYLOAD_MAX || index64 <= 0 ||
	    flen64 < 0 || flen64 > tpbl64 || index64 - 1 > tpbl64 - flen64) {
		fail(st, ln, "certificate block: bad TPBL, INDEX or FLEN");
		s->bad = true;
		return;
	}
	tpbl = (size_t)tpbl64;
	index = (size_t)index64;
	flen = (size_t)flen64;
	if (flen != p[7].vallen || (s->tpbl != 0 && s->tpbl != tpbl)) {
		fail(st, ln, "certificate block: bad TPBL, INDEX or FLEN");
		s->bad = true;
		return;
	}
	if (s->payload == NULL) {
		s->tpbl = tpbl;
		if ((s->payload = calloc(1, tpbl)) == NULL ||
		    (s->have = calloc(1, tpbl)) == NULL) {
			fail(st, ln, "out of memory");
			return;
		}
	}
	for (size_t i = 0; i < flen; i++) {
		if (s->have[index - 1 + i] &&
		    s->payload[index - 1 + i] != p[7].val[i]) {
			fail(st, ln, "certificate block: fragments disagree");
			s->bad = true;
			return;
		}
		s->payload[index - 1 + i] = p[7].val[i];
		s->have[index - 1 + i] = 1;
	}
}

/* The key of each session whose payload is complete. */
static void
take_keys(struct state *st)
{
	char fp[SIGNKEY_FP_MAX + 1];

	for (size_t i = 0; i < st->nss; i++) {
		struct session *s = &st->ss[i];

		if (s->payload == NULL || s->bad ||
		    memchr(s->have, 0, s->tpbl) != NULL)
			continue;
		s->key = signkey_from_payload(s->payload, s->tpbl);
		if (s->key == NULL || st->want_fp == NULL)
			continue;
		if (!signkey_fingerprint(s->key, fp, sizeof(fp)) ||
		    strcasecmp(fp, st->want_fp) != 0) {
			st->errors++;
			if (!st->quiet)
				printf("%s: host %s RSID %lld: key %s is not "
				    "the expected one\n", st->file, s->host,
				    (long long)s->rsid, fp);
			EVP_PKEY_free(s->key);
			s->key = NULL;
		}
	}
}

static bool
check_sig(struct state *st, size_t ln, const struct session *s,
    const struct sign_param *sig)
{
	const struct line *l = &st->lines[ln];
	char *u = malloc(l->len + 1);
	size_t ulen;
	bool ok;

	if (u == NULL)
		return false;
	ulen = sign_unsigned_form(l->s, l->len, u, l->len + 1);
	ok = ulen > 0 && signkey_verify(s->key, s->hash, u, ulen, sig->val,
	    sig->vallen);
	free(u);
	return ok;
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
	size_t si = find_session(st, h, hlen, p, false);
	int64_t fmn = sign_number(p[5].val, p[5].vallen);
	int64_t cnt = sign_number(p[6].val, p[6].vallen);
	const char *hb = p[7].val, *e = hb + p[7].vallen, *sp;
	unsigned char bin[64];
	size_t want;
	int64_t i;

	if (si == SIZE_MAX || st->ss[si].key == NULL) {
		fail(st, ln, "signature block without a certificate block");
		return;
	}
	if (p[0].val[2] - '0' != st->ss[si].hash) {
		fail(st, ln, "signature block: VER differs from the session's");
		return;
	}
	if (!check_sig(st, ln, &st->ss[si], &p[8])) {
		fail(st, ln, "signature block: bad signature");
		return;
	}
	want = st->ss[si].hash == 1 ? 20 : 32;
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
				    st->file, st->ss[si].host,
				    (long long)st->ss[si].rsid, st->ss[si].sg,
				    st->ss[si].spri, (long long)expect,
				    (long long)e->num - 1);
			}
			expect = e->num + 1;
			if (!seen) {
				st->missing++;
				if (!st->quiet)
					printf("%s: host %s RSID %lld SG %d "
					    "SPRI %d: message %lld missing\n",
					    st->file, st->ss[si].host,
					    (long long)st->ss[si].rsid,
					    st->ss[si].sg, st->ss[si].spri,
					    (long long)e->num);
			}
		}
	}
}

static void
free_state(struct state *st)
{
	for (size_t i = 0; i < st->nss; i++) {
		free(st->ss[i].payload);
		free(st->ss[i].have);
		EVP_PKEY_free(st->ss[i].key);
	}
	free(st->ss);
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
	for (int pass = 0; pass < 3; pass++) {
		if (pass == 1)
			take_keys(&st);
		for (size_t ln = 0; ln < st.nlines; ln++) {
			const struct line *l = &st.lines[ln];

			if ((n = sign_parse_block(l->s, l->len, &cert, p,
			    SIGN_MAXPARAMS)) < 0)
				continue;
			block[ln] = true;
			if (pass == 0 && (!well_formed(p, n, cert) ||
			    !line_host(l->s, l->len, &h, &hlen)))
				fail(&st, ln, "malformed block");
			if (!well_formed(p, n, cert) ||
			    !line_host(l->s, l->len, &h, &hlen))
				continue;
			if (pass == 0 && cert)
				take_fragment(&st, ln, h, hlen, p);
			else if (pass == 1 && cert) {
				size_t si = find_session(&st, h, hlen, p, false);

				if (si == SIZE_MAX || st.ss[si].key == NULL)
					fail(&st, ln, "certificate block: "
					    "incomplete payload or unusable key");
				else if (!check_sig(&st, ln, &st.ss[si], &p[8]))
					fail(&st, ln, "certificate block: "
					    "bad signature");
				else
					st.cbs++;
			} else if (pass == 2 && !cert)
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
