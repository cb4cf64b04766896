/* STUB: replaced by the frame module. */
#include "frame.h"
void frame_init(struct frame_dec *d, size_t max) { d->max = max; }
enum frame_status frame_next(struct frame_dec *d, const char *buf, size_t len, size_t *consumed, struct frame_out *out) { (void)d; (void)buf; (void)len; (void)out; *consumed = 0; return FRAME_ERROR; }
size_t frame_prefix(size_t len, char *out, size_t cap) { (void)len; (void)out; (void)cap; return 0; }
