/*
 * The TLS/TCP stream decoder fed like the daemon feeds it (tlsin.c): the
 * bytes arrive in chunks, the caller keeps what was not consumed and
 * offers everything it holds.  The first input byte picks the largest
 * message, the second the chunk sizes; the rest is the stream.
 *
 * Invariants: a message is at most max bytes and lies inside the offered
 * bytes; consumed never passes what was offered; and the decoder always
 * makes progress once max + 16 bytes are held, so that a peer can neither
 * stall a connection nor make us hold more than that.
 */
#include <string.h>

#include "frame.h"
#include "fuzz.h"

static char held[4096 + 16 + 256];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_dec d;
	struct frame_out out;
	enum frame_status st;
	size_t max, chunk_seed, pos = 0, have = 0, used, off, delivered = 0;

	if (size < 2)
		return 0;
	max = 1 + (size_t)data[0] * 16;		/* 1 .. 4081 */
	chunk_seed = data[1];
	data += 2;
	size -= 2;
	frame_init(&d, max);
	while (pos < size || have > 0) {
		size_t chunk = 1 + (chunk_seed * 31 + pos) % 97;

		if (chunk > size - pos)
			chunk = size - pos;
		/* hold at most what the daemon would: max + 16, plus a read */
		if (chunk > sizeof(held) - have)
			chunk = sizeof(held) - have;
		memcpy(held + have, data + pos, chunk);
		have += chunk;
		pos += chunk;
		off = 0;
		do {
			st = frame_next(&d, held + off, have - off, &used, &out);
			FUZZ_CHECK(used <= have - off);
			if (st == FRAME_ERROR)
				return 0;
			if (st == FRAME_MSG) {
				FUZZ_CHECK(out.len <= max);
				FUZZ_CHECK(out.msg >= held + off &&
				    out.msg + out.len <= held + off + (have - off));
				delivered += out.len;
			}
			off += used;
		} while ((st == FRAME_MSG || used > 0) && off < have);
		memmove(held, held + off, have - off);
		have -= off;
		/* no progress with a full window would stall the connection */
		FUZZ_CHECK(have < max + 16);
		if (pos == size && st == FRAME_MORE)
			break;
	}
	FUZZ_CHECK(delivered <= size);
	return 0;
}
