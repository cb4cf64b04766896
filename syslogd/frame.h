/*
 * Stream framing for syslog over TCP/TLS: octet counting (RFC 5425,
 * RFC 6587 3.4.1) and newline framing (RFC 6587 3.4.2), detected per
 * connection from the first byte.  Pure and incremental: the decoder
 * never holds more than max bytes of one message, whatever a peer
 * announces.
 */
#ifndef SYSLOGD_FRAME_H
#define SYSLOGD_FRAME_H

#include <stdbool.h>
#include <stddef.h>

enum frame_mode { FRAME_UNKNOWN, FRAME_OCTET, FRAME_NEWLINE };

struct frame_dec {
	enum frame_mode	mode;
	size_t		max;		/* longest message delivered */
	/* private state */
	size_t		want;		/* octet counting: bytes still to come */
	size_t		skip;		/* bytes of an oversized message to drop */
	size_t		digits;
	bool		in_len;
};

enum frame_status {
	FRAME_MORE,	/* need more input: discard *consumed bytes (maybe
			   fewer than given) and call again with more */
	FRAME_MSG,	/* a message is ready in out */
	FRAME_ERROR,	/* not a valid frame: close the connection */
};

struct frame_out {
	const char	*msg;		/* points into the input */
	size_t		 len;
	bool		 truncated;	/* the sender's message was longer */
};

void	frame_init(struct frame_dec *d, size_t max);

/*
 * Looks at the len bytes at buf (the unconsumed input, contiguous) and
 * sets *consumed to how many the caller may discard.  With FRAME_MSG, out
 * points into buf and stays valid until the caller discards the bytes.
 * A message longer than max is delivered cut to max bytes (truncated set)
 * and the rest of it is consumed and dropped on later calls.  The caller
 * must offer at least max + 16 bytes when that many are buffered, so that
 * a complete message is always seen.
 */
enum frame_status frame_next(struct frame_dec *d, const char *buf,
	    size_t len, size_t *consumed, struct frame_out *out);

/* Writes the "LEN " prefix for a message of len bytes; returns its length. */
size_t	frame_prefix(size_t len, char *out, size_t cap);

#endif
