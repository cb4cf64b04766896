/* STUB: replaced by the conf module. */
#include "conf.h"
#include <stdlib.h>
struct conf *conf_parse(const char *text, size_t len, const char *file, const struct conf_env *env, struct strlist *errors) { (void)text; (void)len; (void)file; (void)env; (void)errors; return calloc(1, sizeof(struct conf)); }
void conf_free(struct conf *c) { free(c); }
struct conf *conf_fallback(const struct conf_env *env) { (void)env; return calloc(1, sizeof(struct conf)); }
int conf_parse_bool(const char *s, bool *out) { (void)s; (void)out; return -1; }
int conf_parse_size(const char *s, long long *out) { (void)s; (void)out; return -1; }
