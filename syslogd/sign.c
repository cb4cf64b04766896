/*
 * Signature groups and the blocks they send.  A group keeps a window of
 * the last hashes (at most what one block carries); a signature block
 * goes out when 1/SIGN_REPEAT of a window is new, carrying the whole
 * window, so that each hash is in SIGN_REPEAT consecutive blocks and
 * one lost datagram loses no hash.  What is pending when the flow stops
 * is signed by a timer that runs only while hashes are pending.
 *
 * A group's members are the actions its messages went to: its blocks go
 * to those, and an action that joins later gets the certificate block
 * again.  The key lives as long as the process; the RSID changes, and
 * every counter restarts, at each (re)load.
 */
#include "sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <event2/event.h>
#include <openssl/evp.h>

#include "action.h"
#include "daemon.h"
#include "ilog.h"
#include "signfmt.h"
#include "signkey.h"

/* syslogd's block messages: facility 13 (log audit), informational. */
#define BLOCK_FAC	13
#define BLOCK_SEV	LOG_INFO

struct sign_group {
	int		 spri;
	uint64_t	 next_num;	/* message number of the next hash */
	unsigned char	*win;		/* count hashes, oldest first */
	size_t		 count;
	size_t		 fresh;		/* the newest, in no block yet */
	unsigned char	 last[SIGN_HASH_LEN];
	bool		 has_last;
	int		 cb_left;	/* certificate blocks still to send */
	struct action	**acts;		/* members */
	size_t		 nacts;
};

struct signer {
	EVP_PKEY	*key;
	char		 fp[SIGNKEY_FP_MAX + 1];
	char		*payload;
	size_t		 paylen;
	uint64_t	 rsid, gbc;
	bool		 wrap;		/* GBC is used up: new session */
	int		 sg;
	size_t		 max_hashes, step, frag_max;
	struct sign_group *groups;
	size_t		 ngroups;
	size_t		 nsigning;	/* signing actions: room in acts */
	unsigned char	 group_of[SIGN_NPRI];
	struct event	*timer;
	struct msg	*m;		/* the block being sent */
	char		 sdtext[SIGN_MSG_MAX + 1];
	char		 wire[SIGN_MSG_MAX * 2];
	char		 sig[SIGN_SIG_B64_MAX * 2];
};

static bool
is_signing(const struct action *a)
{
	return a->kind == K_FILE || a->kind == K_PIPE || a->kind == K_UDP ||
	    a->kind == K_TLS;
}

/*
 * Formats the block in s->sdtext as a message of syslogd's own, signs
 * that, puts the SIGN parameter before the closing ']' and sends the
 * result to every member of g.  Blocks are not hashed.
 */
static void
send_block(struct syslogd *sd, struct sign_group *g, size_t sdlen)
{
	struct signer *s = sd->signer;
	struct msg_fmt_opts fo = { sd->opt.format, false, &sd->tz };
	struct timeval now;
	size_t len, body, siglen;

	gettimeofday(&now, NULL);
	msg_init_local(s->m, BLOCK_FAC, BLOCK_SEV, "syslogd", (long)sd->pid,
	    &now);
	s->m->recvhost = sd->fqdn;
	memcpy(s->m->sd, s->sdtext, sdlen + 1);
	s->m->sdlen = sdlen;
	len = msg_format(s->m, &fo, s->wire, sizeof(s->wire), &body);
	/* The element is last in both formats, since there is no text. */
	if (len < 2 || s->wire[len - 1] != ']' ||
	    (siglen = signkey_sign(s->key, s->wire, len, s->sig,
	    sizeof(s->sig))) == 0 || len + siglen + 9 > sizeof(s->wire)) {
		ilog(sd, LOG_ERR, "syslog-sign: cannot sign a block");
		return;
	}
	len--;
	memcpy(s->wire + len, " SIGN=\"", 7);
	memcpy(s->wire + len + 7, s->sig, siglen);
	memcpy(s->wire + len + 7 + siglen, "\"]", 3);
	len += 7 + siglen + 2;
	for (size_t i = 0; i < g->nacts; i++) {
		struct action *a = g->acts[i];

		if (!a->broken)
			a->ops->write(sd, a, s->m, s->wire, len, body);
	}
	/* GBC counts every block; past its limit, a new session */
	if (s->gbc >= SIGN_COUNT_MAX)
		s->wrap = true;
	else
		s->gbc++;
}

static void
send_cert(struct syslogd *sd, struct sign_group *g)
{
	struct signer *s = sd->signer;
	struct sign_cb cb = { SIGN_VER, s->rsid, s->sg, g->spri, s->paylen,
	    0, 0, NULL };
	size_t n, len;

	for (n = 0; sign_fragment(s->paylen, s->frag_max, n, &cb.index,
	    &cb.flen); n++) {
		cb.frag = s->payload + cb.index - 1;
		if ((len = sign_cb_text(&cb, NULL, s->sdtext,
		    sizeof(s->sdtext))) > 0)
			send_block(sd, g, len);
	}
}

static void
send_sb(struct syslogd *sd, struct sign_group *g)
{
	struct signer *s = sd->signer;
	struct sign_sb sb = { SIGN_VER, s->rsid, s->sg, g->spri, 0,
	    g->next_num - g->count, (unsigned)g->count, g->win,
	    SIGN_HASH_LEN };
	size_t len, keep;

	if (g->count == 0)
		return;
	if (g->cb_left > 0) {
		g->cb_left--;
		send_cert(sd, g);
	}
	sb.gbc = s->gbc;
	if ((len = sign_sb_text(&sb, NULL, s->sdtext, sizeof(s->sdtext))) > 0)
		send_block(sd, g, len);
	g->fresh = 0;
	/* Keep the part of the window the next blocks repeat. */
	keep = s->max_hashes - s->step;
	if (g->count > keep) {
		memmove(g->win, g->win + (g->count - keep) * SIGN_HASH_LEN,
		    keep * SIGN_HASH_LEN);
		g->count = keep;
	}
}

void
sign_flush(struct syslogd *sd)
{
	struct signer *s = sd->signer;

	if (s == NULL)
		return;
	if (s->timer != NULL)
		evtimer_del(s->timer);
	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i].fresh > 0)
			send_sb(sd, &s->groups[i]);
}

static void
timeout(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;

	sign_flush(sd);
	daemon_flush(sd);
}

static uint64_t
next_rsid(uint64_t prev)
{
	uint64_t now = (uint64_t)time(NULL);

	if (prev >= SIGN_COUNT_MAX)
		return 1;
	return now > prev && now <= SIGN_COUNT_MAX ? now : prev + 1;
}

/*
 * A counter would pass 9999999999: a new RSID, counters from the start,
 * the certificate sent again; hashes not yet signed are numbered anew.
 */
static void
new_session(struct syslogd *sd)
{
	struct signer *s = sd->signer;

	s->rsid = next_rsid(s->rsid);
	s->gbc = 0;
	s->wrap = false;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct sign_group *g = &s->groups[i];

		if (g->count > g->fresh)
			memmove(g->win, g->win + (g->count - g->fresh) *
			    SIGN_HASH_LEN, g->fresh * SIGN_HASH_LEN);
		g->count = g->fresh;
		g->next_num = g->fresh + 1;
		g->cb_left = SIGN_CB_SENDS;
	}
}

/* Makes a a member of g; false when out of memory. */
static bool
join(struct signer *s, struct sign_group *g, struct action *a)
{
	for (size_t i = 0; i < g->nacts; i++)
		if (g->acts[i] == a)
			return true;
	if (g->win == NULL &&
	    (g->win = malloc(s->max_hashes * SIGN_HASH_LEN)) == NULL)
		return false;
	if (g->acts == NULL &&
	    (g->acts = calloc(s->nsigning, sizeof(*g->acts))) == NULL)
		return false;
	if (g->nacts >= s->nsigning)
		return false;
	g->acts[g->nacts++] = a;
	/* A member that came late has not seen the certificate. */
	if (g->next_num > 1)
		g->cb_left = SIGN_CB_SENDS;
	return true;
}

void
sign_add(struct syslogd *sd, struct action *a, const struct msg *m,
    const char *wire, size_t len)
{
	struct signer *s = sd->signer;
	struct sign_group *g;
	unsigned char h[SIGN_HASH_LEN];
	int pri = (m->fac >= 0 && m->fac < MSG_NFAC ? m->fac : 1) * 8 +
	    (m->sev & 7);

	if (s == NULL || s->ngroups == 0 || a->sign_slot < 0)
		return;
	g = &s->groups[s->sg == 3 ? (size_t)a->sign_slot : s->group_of[pri]];
	if (!join(s, g, a) || !EVP_Digest(wire, len, h, NULL, EVP_sha256(),
	    NULL))
		return;
	/* One message to several members is one hash. */
	if (g->has_last && memcmp(h, g->last, sizeof(h)) == 0)
		return;
	memcpy(g->last, h, sizeof(h));
	g->has_last = true;
	if (g->next_num > SIGN_COUNT_MAX || s->wrap)
		new_session(sd);
	if (g->count == s->max_hashes)
		send_sb(sd, g);		/* not reached: blocks go out first */
	memcpy(g->win + g->count * SIGN_HASH_LEN, h, sizeof(h));
	g->count++;
	g->fresh++;
	g->next_num++;
	if (g->fresh >= s->step)
		send_sb(sd, g);
	else if (s->timer != NULL && !evtimer_pending(s->timer, NULL)) {
		struct timeval tv = { SIGN_DELAY_SEC, 0 };

		evtimer_add(s->timer, &tv);
	}
}

/* The key, made once per process; false when signing cannot work. */
static bool
make_key(struct syslogd *sd, struct signer *s)
{
	char *blob;
	struct timeval now;

	if (s->key != NULL)
		return true;
	gettimeofday(&now, NULL);
	if ((blob = malloc(SIGN_MSG_MAX * 2)) == NULL ||
	    (s->key = signkey_generate()) == NULL ||
	    signkey_blob(s->key, blob, SIGN_MSG_MAX * 2) == 0 ||
	    !signkey_fingerprint(s->key, s->fp, sizeof(s->fp)) ||
	    (s->payload = malloc(SIGN_MSG_MAX * 2 + 64)) == NULL ||
	    (s->paylen = sign_payload(now.tv_sec, (int)now.tv_usec, 'K', blob,
	    s->payload, SIGN_MSG_MAX * 2 + 64)) == 0) {
		free(blob);
		EVP_PKEY_free(s->key);
		s->key = NULL;
		return false;
	}
	free(blob);
	return true;
}

static void
free_groups(struct signer *s)
{
	for (size_t i = 0; i < s->ngroups; i++) {
		free(s->groups[i].win);
		free(s->groups[i].acts);
	}
	free(s->groups);
	s->groups = NULL;
	s->ngroups = 0;
}

/* The groups of sign_sg and which group a PRI, or an action, is in. */
static bool
make_groups(struct syslogd *sd, struct signer *s)
{
	const struct conf *c = sd->conf;
	int spri[SIGN_NPRI], n = 1;
	size_t slot = 0;

	memset(s->group_of, 0, sizeof(s->group_of));
	spri[0] = 0;
	s->nsigning = 0;
	for (size_t i = 0; i < sd->nactions; i++)
		s->nsigning += is_signing(sd->actions[i]);
	switch (s->sg) {
	case 1:
		n = SIGN_NPRI;
		for (int p = 0; p < SIGN_NPRI; p++) {
			spri[p] = p;
			s->group_of[p] = (unsigned char)p;
		}
		break;
	case 2:
		n = sign_sg2_groups(&c->opt.sign_delim_sg2, s->group_of, spri);
		break;
	case 3:
		n = s->nsigning < SIGN_NPRI ? (int)s->nsigning : SIGN_NPRI;
		for (int i = 0; i < n; i++)
			spri[i] = i;
		break;
	}
	if (n <= 0 || (s->groups = calloc((size_t)n, sizeof(*s->groups))) ==
	    NULL)
		return n == 0;
	s->ngroups = (size_t)n;
	for (size_t i = 0; i < s->ngroups; i++) {
		s->groups[i].spri = spri[i];
		s->groups[i].next_num = 1;
		s->groups[i].cb_left = SIGN_CB_SENDS;
	}
	for (size_t i = 0; i < sd->nactions; i++) {
		struct action *a = sd->actions[i];

		if (!is_signing(a))
			continue;
		if (s->sg == 3 && slot >= s->ngroups) {
			ilog(sd, LOG_WARNING, "syslog-sign: %s (line %d) is not "
			    "signed: sign_sg=3 has at most %d groups", a->name,
			    a->rule->line, SIGN_NPRI);
			continue;
		}
		a->sign_slot = s->sg == 3 ? (int)slot++ : 0;
	}
	return true;
}

void
sign_configure(struct syslogd *sd)
{
	struct signer *s = sd->signer;
	int sg = sd->conf->opt.sign_sg;
	size_t header_max = SIGN_HEADER_FIXED + strlen(sd->fqdn);

	if (sg < 0)
		return;
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL ||
		    (s->m = malloc(sizeof(*s->m))) == NULL) {
			free(s);
			ilog(sd, LOG_ERR, "syslog-sign: out of memory; "
			    "messages are not signed");
			return;
		}
		sd->signer = s;
	}
	if (s->timer == NULL &&
	    (s->timer = evtimer_new(sd->base, timeout, sd)) == NULL) {
		ilog(sd, LOG_ERR, "syslog-sign: cannot make a timer; "
		    "messages are not signed");
		return;
	}
	if (!make_key(sd, s)) {
		ilog(sd, LOG_ERR, "syslog-sign: cannot make a DSA key; "
		    "messages are not signed");
		return;
	}
	s->sg = sg;
	s->max_hashes = sign_sb_max_hashes(header_max);
	s->step = s->max_hashes / SIGN_REPEAT;
	s->frag_max = sign_cb_frag_max(header_max, s->paylen);
	if (s->step == 0 || s->frag_max == 0) {
		ilog(sd, LOG_ERR, "syslog-sign: the host name is too long "
		    "for signature blocks; messages are not signed");
		return;
	}
	s->rsid = next_rsid(s->rsid);
	s->gbc = 0;
	s->wrap = false;
	if (!make_groups(sd, s)) {
		free_groups(s);
		ilog(sd, LOG_ERR, "syslog-sign: out of memory; messages are "
		    "not signed");
		return;
	}
	ilog(sd, LOG_INFO, "syslog-sign: sign_sg=%d, RSID %llu, DSA-2048 "
	    "with SHA-256 (RFC 5848 VER %s), key %s", sg,
	    (unsigned long long)s->rsid, SIGN_VER, s->fp);
}

void
sign_end(struct syslogd *sd, struct action **acts, size_t n)
{
	struct signer *s = sd->signer;

	if (s == NULL)
		return;
	sign_flush(sd);
	free_groups(s);
	for (size_t i = 0; i < n; i++)
		acts[i]->sign_slot = -1;
}

void
sign_free(struct syslogd *sd)
{
	struct signer *s = sd->signer;

	if (s == NULL)
		return;
	free_groups(s);
	if (s->timer != NULL)
		event_free(s->timer);
	EVP_PKEY_free(s->key);
	free(s->payload);
	free(s->m);
	free(s);
	sd->signer = NULL;
}
