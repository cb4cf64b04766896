/*
 * Sessions and their keys: see session.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session.h"

/* The largest payload taken: a key blob or a certificate is far smaller. */
#define PAYLOAD_MAX	(64 * 1024)
/* Blocks looked at for one payload: more than any sender splits one into. */
#define RUN_MAX		64
/* Different payloads tried per session, each costing signature checks. */
#define TRIED_MAX	256

size_t
session_find(struct sessions *ss, const char *host, size_t hlen,
    const struct sign_param *p, bool create)
{
	int64_t rsid = sign_number(p[1].val, p[1].vallen);
	int sg = (int)sign_number(p[2].val, p[2].vallen);
	int spri = (int)sign_number(p[3].val, p[3].vallen);
	struct session *ns;

	if (hlen >= sizeof(ss->s[0].host))
		return SIZE_MAX;
	for (size_t i = 0; i < ss->n; i++)
		if (ss->s[i].rsid == rsid && ss->s[i].sg == sg &&
		    ss->s[i].spri == spri && strlen(ss->s[i].host) == hlen &&
		    strncasecmp(ss->s[i].host, host, hlen) == 0)
			return i;
	if (!create || (ns = realloc(ss->s, (ss->n + 1) * sizeof(*ns))) == NULL)
		return SIZE_MAX;
	ss->s = ns;
	ns = &ss->s[ss->n];
	memset(ns, 0, sizeof(*ns));
	memcpy(ns->host, host, hlen);
	ns->rsid = rsid;
	ns->sg = sg;
	ns->spri = spri;
	ns->hash = p[0].val[2] - '0';
	return ss->n++;
}

const char *
session_add_cb(struct session *s, size_t ln, const char *line, size_t len,
    const struct sign_param *p)
{
	/* Up to 9999999999 each: checked as such, before size_t (ILP32). */
	int64_t tpbl = sign_number(p[4].val, p[4].vallen);
	int64_t index = sign_number(p[5].val, p[5].vallen);
	int64_t flen = sign_number(p[6].val, p[6].vallen);
	struct cert_block *b;

	if (tpbl <= 0 || tpbl > PAYLOAD_MAX || index <= 0 || flen <= 0 ||
	    flen > tpbl || index - 1 > tpbl - flen || (size_t)flen != p[7].vallen)
		return "certificate block: bad TPBL, INDEX or FLEN";
	if (s->ncbs == s->capcbs) {
		size_t cap = s->capcbs * 2 + 8;

		if ((b = realloc(s->cbs, cap * sizeof(*b))) == NULL)
			return "out of memory";
		s->cbs = b;
		s->capcbs = cap;
	}
	b = &s->cbs[s->ncbs];
	*b = (struct cert_block){ .ln = ln, .line = line, .len = len,
	    .frag = p[7].val, .sig = p[8].val, .siglen = p[8].vallen,
	    .tpbl = (size_t)tpbl, .index = (size_t)index, .flen = (size_t)flen };
	s->ncbs++;
	return NULL;
}

static bool
fits(const struct cert_block *b, const char *payload,
    const unsigned char *have)
{
	for (size_t i = 0; i < b->flen; i++)
		if (have[b->index - 1 + i] &&
		    payload[b->index - 1 + i] != b->frag[i])
			return false;
	return true;
}

/* Puts a fragment in; returns how many octets were not there before. */
static size_t
place(const struct cert_block *b, char *payload, unsigned char *have)
{
	size_t added = 0;

	for (size_t i = 0; i < b->flen; i++) {
		added += !have[b->index - 1 + i];
		have[b->index - 1 + i] = 1;
	}
	memcpy(payload + b->index - 1, b->frag, b->flen);
	return added;
}

/*
 * A payload built from certificate block "first" and the blocks after it,
 * in order, each where it agrees with what is there, until it is complete
 * or RUN_MAX blocks were looked at.  A sender writes the fragments of a
 * payload one after the other, so a look-alike that came before or after
 * them does not get in the way.  True when it is complete.  "have" is all
 * zero before and after: only what was set is cleared, so that the work
 * is that of the fragments, not of TPBL.
 */
static bool
assemble(const struct session *s, size_t first, char *payload,
    unsigned char *have)
{
	size_t tpbl = s->cbs[first].tpbl, end = first + RUN_MAX, placed = 0;
	size_t used[RUN_MAX], nused = 0;

	for (size_t i = first; i < s->ncbs && i < end && placed < tpbl; i++) {
		const struct cert_block *b = &s->cbs[i];

		if (b->tpbl == tpbl && fits(b, payload, have)) {
			placed += place(b, payload, have);
			used[nused++] = i;
		}
	}
	for (size_t k = 0; k < nused; k++)
		memset(have + s->cbs[used[k]].index - 1, 0, s->cbs[used[k]].flen);
	return placed == tpbl;
}

static bool
holds(const char *payload, size_t tpbl, const struct cert_block *b)
{
	return b->tpbl == tpbl &&
	    memcmp(payload + b->index - 1, b->frag, b->flen) == 0;
}

static bool
block_signed(EVP_PKEY *k, int hash, const char *line, size_t len,
    const char *sig, size_t siglen)
{
	char *u = malloc(len + 1);
	size_t ulen;
	bool ok;

	if (u == NULL)
		return false;
	ulen = sign_unsigned_form(line, len, u, len + 1);
	ok = ulen > 0 && signkey_verify(k, hash, u, ulen, sig, siglen);
	free(u);
	return ok;
}

/*
 * Whether the key of this payload signed certificate blocks holding every
 * octet of it; those blocks are marked in signed_by.
 */
static bool
self_signed(const struct session *s, EVP_PKEY *k, const char *payload,
    size_t tpbl, bool *signed_by, unsigned char *covered)
{
	memset(covered, 0, tpbl);
	for (size_t i = 0; i < s->ncbs; i++) {
		const struct cert_block *b = &s->cbs[i];

		signed_by[i] = holds(payload, tpbl, b) && block_signed(k,
		    s->hash, b->line, b->len, b->sig, b->siglen);
		if (signed_by[i])
			memset(covered + b->index - 1, 1, b->flen);
	}
	return memchr(covered, 0, tpbl) == NULL;
}

/*
 * Keeps a verified key, once per fingerprint (a key may come in more than
 * one payload), and marks the blocks it signed.  k is the session's, or
 * freed; false when out of memory.
 */
static bool
keep_key(struct session *s, EVP_PKEY *k, const char *fp,
    const bool *signed_by)
{
	struct session_key *nk;
	size_t i = 0;

	while (i < s->nkeys && strcmp(s->keys[i].fp, fp) != 0)
		i++;
	if (i < s->nkeys)
		EVP_PKEY_free(k);
	else if ((nk = realloc(s->keys, (s->nkeys + 1) * sizeof(*nk))) ==
	    NULL) {
		EVP_PKEY_free(k);
		return false;
	} else {
		s->keys = nk;
		nk = &s->keys[s->nkeys++];
		nk->pkey = k;
		snprintf(nk->fp, sizeof(nk->fp), "%s", fp);
	}
	for (i = 0; i < s->ncbs; i++)
		s->cbs[i].ok |= signed_by[i];
	return true;
}

/*
 * 1 when this payload was tried already, 0 when it was not (it is noted
 * now), -1 when there is no room left to note it.
 */
static int
tried(unsigned char (*seen)[32], size_t *nseen, const char *payload,
    size_t tpbl)
{
	unsigned char md[32];

	if (!EVP_Digest(payload, tpbl, md, NULL, EVP_sha256(), NULL))
		return 1;
	for (size_t i = 0; i < *nseen; i++)
		if (memcmp(seen[i], md, sizeof(md)) == 0)
			return 1;
	if (*nseen == TRIED_MAX)
		return -1;
	memcpy(seen[(*nseen)++], md, sizeof(md));
	return 0;
}

void
session_take_keys(struct session *s, const char *want_fp, session_say *say,
    void *ctx)
{
	char *payload = malloc(PAYLOAD_MAX);
	unsigned char *have = calloc(1, PAYLOAD_MAX);
	unsigned char *covered = malloc(PAYLOAD_MAX);
	bool *signed_by = calloc(s->ncbs + 1, sizeof(*signed_by));
	unsigned char (*seen)[32] = malloc(TRIED_MAX * sizeof(*seen));
	size_t nseen = 0;
	char fp[SIGNKEY_FP_MAX + 1], text[SIGNKEY_FP_MAX + 64];

	if (payload == NULL || have == NULL || covered == NULL ||
	    signed_by == NULL || seen == NULL) {
		say(ctx, s, "out of memory");
		goto out;
	}
	for (size_t first = 0; first < s->ncbs; first++) {
		size_t tpbl = s->cbs[first].tpbl;
		EVP_PKEY *k;
		int t;

		if (!assemble(s, first, payload, have) ||
		    (t = tried(seen, &nseen, payload, tpbl)) > 0)
			continue;
		if (t < 0) {
			say(ctx, s, "too many different certificate payloads: "
			    "the rest are not tried");
			break;
		}
		if ((k = signkey_from_payload(payload, tpbl)) == NULL)
			continue;
		if (!self_signed(s, k, payload, tpbl, signed_by, covered)) {
			EVP_PKEY_free(k);
			continue;
		}
		if (!signkey_fingerprint(k, fp, sizeof(fp)))
			snprintf(fp, sizeof(fp), "(no fingerprint)");
		if (want_fp != NULL && strcasecmp(fp, want_fp) != 0) {
			snprintf(text, sizeof(text), "key %s is not the "
			    "expected one", fp);
			say(ctx, s, text);
			EVP_PKEY_free(k);
		} else if (!keep_key(s, k, fp, signed_by)) {
			say(ctx, s, "out of memory");
			break;
		}
	}
	/* One sender signs a session with one key: another was put there. */
	if (s->nkeys > 1) {
		snprintf(text, sizeof(text), "certificate blocks of %zu "
		    "different keys", s->nkeys);
		say(ctx, s, text);
	}
out:
	free(seen);
	free(payload);
	free(have);
	free(covered);
	free(signed_by);
}

bool
session_signed(const struct session *s, const char *line, size_t len,
    const char *sig, size_t siglen)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (block_signed(s->keys[i].pkey, s->hash, line, len, sig,
		    siglen))
			return true;
	return false;
}

void
sessions_free(struct sessions *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		for (size_t k = 0; k < ss->s[i].nkeys; k++) {
			EVP_PKEY_free(ss->s[i].keys[k].pkey);
		}
		free(ss->s[i].keys);
		free(ss->s[i].cbs);
	}
	free(ss->s);
}
