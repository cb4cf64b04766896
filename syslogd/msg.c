/* STUB: replaced by the msg module. */
#include "msg.h"
#include <string.h>
void msg_parse(struct msg *m, const char *buf, size_t len, const struct msg_parse_opts *o) { memset(m, 0, sizeof(*m)); (void)buf; (void)len; (void)o; }
void msg_init_local(struct msg *m, int fac, int sev, const char *app, long pid, const struct timeval *now) { (void)m; (void)fac; (void)sev; (void)app; (void)pid; (void)now; }
void msg_set_text(struct msg *m, const char *text, size_t len) { (void)m; (void)text; (void)len; }
size_t msg_format(const struct msg *m, const struct msg_fmt_opts *o, char *out, size_t cap, size_t *body_off) { (void)m; (void)o; (void)cap; out[0] = 0; *body_off = 0; return 0; }
size_t msg_verbose_tag(int fac, int sev, int verbose, char *out, size_t cap) { (void)fac; (void)sev; (void)verbose; (void)cap; out[0] = 0; return 0; }
const char *msg_facname(int fac) { (void)fac; return NULL; }
const char *msg_sevname(int sev) { (void)sev; return NULL; }
int msg_facnum(const char *name, size_t len) { (void)name; (void)len; return -1; }
int msg_sevnum(const char *name, size_t len) { (void)name; (void)len; return -1; }
