/* STUB: replaced by the filter module. */
#include "filter.h"
int selector_parse(const char *text, size_t len, bool eq_default, struct selector *out, char *err, size_t errlen) { (void)text; (void)len; (void)eq_default; (void)out; (void)err; (void)errlen; return -1; }
bool selector_match(const struct selector *s, int fac, int sev) { (void)s; (void)fac; (void)sev; return false; }
int namelist_parse(const char *text, size_t len, bool negate, bool hosts, struct namelist *out, char *err, size_t errlen) { (void)text; (void)len; (void)negate; (void)hosts; (void)out; (void)err; (void)errlen; return -1; }
void namelist_free(struct namelist *nl) { (void)nl; }
int namelist_copy(struct namelist *dst, const struct namelist *src) { (void)dst; (void)src; return -1; }
bool prog_match(const struct namelist *nl, const char *prog) { (void)nl; (void)prog; return false; }
bool host_match(const struct namelist *nl, const char *host, const char *localhost) { (void)nl; (void)host; (void)localhost; return false; }
