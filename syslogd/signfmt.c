/*
 * RFC 5848 texts and encodings.  The parameters of a block are written
 * in the order the RFC lists them, which is also the order verifiers
 * (and the signature) depend on.
 */
#include "signfmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

/* The longest base64 hash a block carries (SHA-256). */
#define HASH_B64	44

size_t
sign_b64(const unsigned char *in, size_t len, char *out, size_t cap)
{
	size_t need = (len + 2) / 3 * 4;

	if (need + 1 > cap || len > INT32_MAX)
		return 0;
	return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

long
sign_unb64(const char *in, size_t len, unsigned char *out, size_t cap)
{
	size_t pad = 0;
	int n;

	/* EVP_DecodeBlock wants whole quanta and counts padding as zeros. */
	if (len % 4 != 0 || len / 4 * 3 > cap || len > INT32_MAX)
		return -1;
	if (len > 0 && in[len - 1] == '=')
		pad++;
	if (len > 1 && in[len - 2] == '=')
		pad++;
	for (size_t i = 0; i < len - pad; i++)
		if (in[i] == '=')
			return -1;
	n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (n < 0 || (size_t)n < pad)
		return -1;
	return (long)((size_t)n - pad);
}

/*
 * Closes the value being written, adds SIGN when there is one and ends
 * the element: the length, or 0 when it did not fit.
 */
static size_t
end_block(struct outbuf *ob, const char *sig)
{
	ob_putc(ob, '"');
	if (sig != NULL) {
		ob_puts(ob, " SIGN=\"");
		ob_puts(ob, sig);
		ob_putc(ob, '"');
	}
	ob_putc(ob, ']');
	return ob->truncated ? 0 : ob->len;
}

size_t
sign_sb_text(const struct sign_sb *b, const char *sig, char *out, size_t cap)
{
	struct outbuf ob;
	char h[HASH_B64 + 1];

	ob_init(&ob, out, cap);
	ob_printf(&ob, "[ssign VER=\"%s\" RSID=\"%" PRIu64 "\" SG=\"%d\" "
	    "SPRI=\"%d\" GBC=\"%" PRIu64 "\" FMN=\"%" PRIu64 "\" CNT=\"%u\" "
	    "HB=\"", b->ver, b->rsid, b->sg, b->spri, b->gbc, b->fmn, b->cnt);
	for (unsigned i = 0; i < b->cnt; i++) {
		if (sign_b64(b->hashes + i * b->hashlen, b->hashlen, h,
		    sizeof(h)) == 0)
			return 0;
		if (i > 0)
			ob_putc(&ob, ' ');
		ob_puts(&ob, h);
	}
	return end_block(&ob, sig);
}

size_t
sign_cb_text(const struct sign_cb *b, const char *sig, char *out, size_t cap)
{
	struct outbuf ob;

	ob_init(&ob, out, cap);
	ob_printf(&ob, "[ssign-cert VER=\"%s\" RSID=\"%" PRIu64 "\" SG=\"%d\" "
	    "SPRI=\"%d\" TPBL=\"%zu\" INDEX=\"%zu\" FLEN=\"%zu\" FRAG=\"",
	    b->ver, b->rsid, b->sg, b->spri, b->tpbl, b->index, b->flen);
	ob_put(&ob, b->frag, b->flen);
	return end_block(&ob, sig);
}

size_t
sign_payload(time_t sec, int usec, char type, const char *blob, char *out,
    size_t cap)
{
	struct outbuf ob;
	struct tm tm;

	if (gmtime_r(&sec, &tm) == NULL)
		return 0;
	ob_init(&ob, out, cap);
	ob_printf(&ob, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ %c ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, usec, type);
	ob_puts(&ob, blob);	/* longer than ob_printf takes */
	return ob.truncated ? 0 : ob.len;
}

/*
 * The element's length without hashes, every number at its widest: the
 * text with CNT="0" and an empty HB, plus CNT's second digit.
 */
static size_t
sb_fixed_len(void)
{
	const struct sign_sb b = { SIGN_VER, SIGN_COUNT_MAX, 3, 191,
	    SIGN_COUNT_MAX, SIGN_COUNT_MAX, 0, NULL, 0 };
	char sig[SIGN_SIG_B64_MAX + 1], buf[512];

	memset(sig, 'A', SIGN_SIG_B64_MAX);
	sig[SIGN_SIG_B64_MAX] = '\0';
	return sign_sb_text(&b, sig, buf, sizeof(buf)) + 1;
}

size_t
sign_sb_max_hashes(size_t header_max)
{
	size_t fixed = header_max + sb_fixed_len(), n;

	if (fixed + HASH_B64 > SIGN_MSG_MAX)
		return 0;
	/* n hashes and n - 1 spaces */
	n = (SIGN_MSG_MAX - fixed + 1) / (HASH_B64 + 1);
	return n > SIGN_CNT_MAX ? SIGN_CNT_MAX : n;
}

size_t
sign_cb_frag_max(size_t header_max, size_t tpbl)
{
	/* measured with FLEN="0", whose widest value has as many digits
	 * as TPBL */
	const struct sign_cb b = { SIGN_VER, SIGN_COUNT_MAX, 3, 191, tpbl,
	    tpbl, 0, "" };
	char sig[SIGN_SIG_B64_MAX + 1], buf[512];
	size_t fixed, digits = 1;

	for (size_t v = tpbl; v >= 10; v /= 10)
		digits++;
	memset(sig, 'A', SIGN_SIG_B64_MAX);
	sig[SIGN_SIG_B64_MAX] = '\0';
	fixed = header_max + sign_cb_text(&b, sig, buf, sizeof(buf)) +
	    digits - 1;
	return fixed >= SIGN_MSG_MAX ? 0 : SIGN_MSG_MAX - fixed;
}

bool
sign_fragment(size_t tpbl, size_t frag_max, size_t n, size_t *index,
    size_t *flen)
{
	size_t off;

	if (frag_max == 0 || n > tpbl / frag_max)
		return false;
	off = n * frag_max;
	if (off >= tpbl)
		return false;
	*index = off + 1;
	*flen = tpbl - off < frag_max ? tpbl - off : frag_max;
	return true;
}

int
sign_sg2_groups(const struct strlist *delims, unsigned char group_of[SIGN_NPRI],
    int spri[SIGN_NPRI])
{
	bool bound[SIGN_NPRI] = { false };
	int n = 0, g = 0;

	for (size_t i = 0; i < delims->n; i++) {
		int64_t v = sign_number(delims->v[i], strlen(delims->v[i]));

		if (v < 0 || v >= SIGN_NPRI)
			return -1;
		bound[v] = true;
	}
	if (delims->n == 0)
		for (int f = 0; f < SIGN_NPRI / 8; f++)
			bound[f * 8 + 7] = true;
	bound[SIGN_NPRI - 1] = true;
	for (int p = 0; p < SIGN_NPRI; p++)
		if (bound[p])
			spri[n++] = p;
	for (int p = 0; p < SIGN_NPRI; p++) {
		if (p > spri[g])
			g++;
		group_of[p] = (unsigned char)g;
	}
	return n;
}

size_t
sign_mpi(const unsigned char *be, size_t len, unsigned char *out, size_t cap)
{
	size_t bits;
	unsigned char top;

	while (len > 0 && be[0] == 0) {
		be++;
		len--;
	}
	if (len + 2 > cap || len > 8191)
		return 0;
	bits = len * 8;
	for (top = len > 0 ? be[0] : 0x80; !(top & 0x80); top <<= 1)
		bits--;
	if (len == 0)
		bits = 0;
	out[0] = (unsigned char)(bits >> 8);
	out[1] = (unsigned char)bits;
	memcpy(out + 2, be, len);
	return len + 2;
}

bool
sign_mpi_read(const unsigned char **p, const unsigned char *end,
    const unsigned char **val, size_t *vlen)
{
	size_t bits, n;

	if (end - *p < 2)
		return false;
	bits = (size_t)(*p)[0] << 8 | (*p)[1];
	n = (bits + 7) / 8;
	if ((size_t)(end - *p - 2) < n)
		return false;
	*val = *p + 2;
	*vlen = n;
	*p += 2 + n;
	return true;
}

int64_t
sign_number(const char *s, size_t len)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return (int64_t)v;
}

/* Finds "[ssign " or "[ssign-cert " at the start of an SD element. */
static const char *
find_element(const char *line, size_t len, bool *cert)
{
	for (const char *p = line; p + 7 <= line + len; p++) {
		p = memchr(p, '[', (size_t)(line + len - p));
		if (p == NULL)
			return NULL;
		if ((size_t)(line + len - p) >= 7 && memcmp(p, "[ssign ", 7) == 0) {
			*cert = false;
			return p + 7;
		}
		if ((size_t)(line + len - p) >= 12 &&
		    memcmp(p, "[ssign-cert ", 12) == 0) {
			*cert = true;
			return p + 12;
		}
	}
	return NULL;
}

int
sign_parse_block(const char *line, size_t len, bool *cert,
    struct sign_param *prm, size_t maxp)
{
	const char *end = line + len, *p, *q;
	size_t n = 0;

	if ((p = find_element(line, len, cert)) == NULL)
		return -1;
	for (;;) {
		if (n == maxp)
			return -1;
		for (q = p; q < end && *q != '=' && *q != ' ' && *q != ']' &&
		    *q != '"'; q++)
			continue;
		if (q == p || q + 1 >= end || q[0] != '=' || q[1] != '"')
			return -1;
		prm[n].name = p;
		prm[n].namelen = (size_t)(q - p);
		p = q + 2;
		/* Block values never hold '"', '\' or ']'. */
		for (q = p; q < end && *q != '"' && *q != '\\' && *q != ']'; q++)
			continue;
		if (q >= end || *q != '"')
			return -1;
		prm[n].val = p;
		prm[n].vallen = (size_t)(q - p);
		n++;
		if (q + 1 < end && q[1] == ']')
			return (int)n;
		if (q + 2 >= end || q[1] != ' ')
			return -1;
		p = q + 2;
	}
}

const struct sign_param *
sign_param(const struct sign_param *p, int n, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < n; i++)
		if (p[i].namelen == len && memcmp(p[i].name, name, len) == 0)
			return &p[i];
	return NULL;
}

static const char *const cb_names[] = { "VER", "RSID", "SG", "SPRI", "TPBL",
	"INDEX", "FLEN", "FRAG", "SIGN" };
static const char *const sb_names[] = { "VER", "RSID", "SG", "SPRI", "GBC",
	"FMN", "CNT", "HB", "SIGN" };

bool
sign_block_well_formed(const struct sign_param *p, int n, bool cert)
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

size_t
sign_unsigned_form(const char *line, size_t len, char *out, size_t cap)
{
	const char *s = NULL, *e;

	for (const char *p = line; p + 7 <= line + len; p++)
		if (memcmp(p, " SIGN=\"", 7) == 0)
			s = p;
	if (s == NULL)
		return 0;
	e = memchr(s + 7, '"', (size_t)(line + len - s - 7));
	if (e == NULL || len - (size_t)(e + 1 - s) + 1 > cap)
		return 0;
	memcpy(out, line, (size_t)(s - line));
	memcpy(out + (s - line), e + 1, (size_t)(line + len - e - 1));
	len -= (size_t)(e + 1 - s);
	out[len] = '\0';
	return len;
}
