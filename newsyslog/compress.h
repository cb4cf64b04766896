/*
 * Compression of an archive with zlib (gzip format), libbz2 or liblzma
 * (xz format), in this process.
 */
#ifndef NEWSYSLOG_COMPRESS_H
#define NEWSYSLOG_COMPRESS_H

#include <stddef.h>

#include "conf.h"

/*
 * Compresses src into src + ns_comp_suffix(comp).  The result is written
 * under a temporary name, synced, given src's owner, group, mode, access
 * and modification times, and renamed into place; then src is removed.
 * An existing destination is an error.  Returns 0, or -1 with a message
 * in err.
 */
int	ns_compress(enum ns_comp comp, const char *src, char *err,
	    size_t errlen);

#endif
