/*
 * Stream framing: octet counting (RFC 5425, RFC 6587 3.4.1) and newline
 * framing (RFC 6587 3.4.2).
 *
 * The decoder never keeps message bytes itself: the caller keeps the
 * unconsumed input and offers it again with more appended.  What bounds
 * the caller's buffer is that every byte outside the first max of a
 * message is consumed as soon as it is seen: the LEN prefix, the tail
 * of an oversized frame, the rest of an overlong line.
 *
 * Octet counting: LEN is 1..10 digits without a leading zero and at
 * most LEN_MAX; the grammar has no upper bound, but a larger value is
 * garbage, and 10 digits still let a peer announce 2 GB, which we then
 * truncate.  A newline-framed stream is the fallback for old senders: an
 * empty line (keep-alive) is skipped, and one CR before the LF removed.
 */
#include "frame.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LEN_MAX		2147483647UL	/* largest LEN accepted */
#define LEN_DIGITS	10

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void
frame_init(struct frame_dec *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->mode = FRAME_UNKNOWN;
	/* max + 2 must not overflow. */
	d->max = max == 0 ? 1 : max > SIZE_MAX / 2 ? SIZE_MAX / 2 : max;
}

/*
 * State: in_len while reading LEN (accumulated in want); then want is
 * the announced length until the message is delivered; skip counts the
 * bytes of an oversized frame still to drop.
 */
static enum frame_status
octet_next(struct frame_dec *d, const char *buf, size_t len,
    size_t *consumed, struct frame_out *out)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t pos = 0, n;
	unsigned dig;

	for (;;) {
		n = len - pos < d->skip ? len - pos : d->skip;
		pos += n;
		d->skip -= n;
		if (pos == len)
			break;
		if (!d->in_len && d->want == 0) {
			if (p[pos] < '1' || p[pos] > '9')
				return FRAME_ERROR;
			d->in_len = true;
			d->digits = 0;
		}
		if (d->in_len) {
			for (; pos < len && is_digit(p[pos]); pos++) {
				dig = p[pos] - '0';
				if (++d->digits > LEN_DIGITS ||
				    d->want > (LEN_MAX - dig) / 10)
					return FRAME_ERROR;
				d->want = d->want * 10 + dig;
			}
			if (pos == len)
				break;
			if (p[pos++] != ' ')
				return FRAME_ERROR;
			d->in_len = false;
		}
		n = d->want < d->max ? d->want : d->max;
		if (len - pos < n)
			break;
		out->msg = buf + pos;
		out->len = n;
		out->truncated = d->want > n;
		d->skip = d->want - n;
		d->want = 0;
		*consumed = pos + n;
		return FRAME_MSG;
	}
	*consumed = pos;
	return FRAME_MORE;
}

/*
 * State: want is how many bytes at the start of the unconsumed input
 * are known to hold no LF, so that a line fed byte by byte is scanned
 * once; skip is set while dropping the rest of an overlong line.
 */
static enum frame_status
newline_next(struct frame_dec *d, const char *buf, size_t len,
    size_t *consumed, struct frame_out *out)
{
	const char *lf;
	size_t pos = 0, lim, n;

	for (;;) {
		if (d->skip != 0) {
			if ((lf = memchr(buf + pos, '\n', len - pos)) == NULL) {
				pos = len;
				break;
			}
			pos = (size_t)(lf - buf) + 1;
			d->skip = 0;
		}
		/* Room for max bytes of text, a CR and the LF. */
		lim = len - pos < d->max + 2 ? len - pos : d->max + 2;
		if (d->want > lim)
			d->want = lim;
		lf = memchr(buf + pos + d->want, '\n', lim - d->want);
		if (lf == NULL) {
			if (lim < d->max + 2) {
				d->want = lim;
				break;
			}
			out->msg = buf + pos;
			out->len = d->max;
			out->truncated = true;
			d->skip = 1;
			d->want = 0;
			*consumed = pos + d->max;
			return FRAME_MSG;
		}
		d->want = 0;
		n = (size_t)(lf - (buf + pos));
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		if (n == 0) {
			pos = (size_t)(lf - buf) + 1;
			continue;
		}
		out->msg = buf + pos;
		out->len = n < d->max ? n : d->max;
		out->truncated = n > d->max;
		*consumed = (size_t)(lf - buf) + 1;
		return FRAME_MSG;
	}
	*consumed = pos;
	return FRAME_MORE;
}

enum frame_status
frame_next(struct frame_dec *d, const char *buf, size_t len,
    size_t *consumed, struct frame_out *out)
{
	unsigned char c;

	*consumed = 0;
	if (d->mode == FRAME_UNKNOWN) {
		if (len == 0)
			return FRAME_MORE;
		/* A control byte first is neither framing: not syslog. */
		c = (unsigned char)buf[0];
		if (is_digit(c))
			d->mode = FRAME_OCTET;
		else if (c >= 0x20 && c < 0x7f)
			d->mode = FRAME_NEWLINE;
		else
			return FRAME_ERROR;
	}
	if (d->mode == FRAME_OCTET)
		return octet_next(d, buf, len, consumed, out);
	return newline_next(d, buf, len, consumed, out);
}

/* cap >= 22 is always enough; 0 means the prefix did not fit. */
size_t
frame_prefix(size_t len, char *out, size_t cap)
{
	char tmp[32];
	int n;

	n = snprintf(tmp, sizeof(tmp), "%zu ", len);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	memcpy(out, tmp, (size_t)n + 1);
	return (size_t)n;
}
