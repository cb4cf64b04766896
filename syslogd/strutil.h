/*
 * Small string helpers shared by the pure modules: a growable list of
 * strings and bounded appends into caller-provided buffers.
 */
#ifndef SYSLOGD_STRUTIL_H
#define SYSLOGD_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char	**v;
	size_t	  n;
};

/* Appends a copy of s (len bytes); returns 0, or -1 when out of memory. */
int	 strlist_add(struct strlist *l, const char *s, size_t len);
void	 strlist_free(struct strlist *l);
bool	 strlist_contains(const struct strlist *l, const char *s);

/*
 * An output buffer that never overflows: appends past the capacity are
 * dropped and `truncated` is set.  buf is always NUL-terminated.
 */
struct outbuf {
	char	*buf;
	size_t	 cap;		/* including the terminating NUL */
	size_t	 len;
	bool	 truncated;
};

void	 ob_init(struct outbuf *ob, char *buf, size_t cap);
void	 ob_putc(struct outbuf *ob, char c);
void	 ob_put(struct outbuf *ob, const char *s, size_t len);
void	 ob_puts(struct outbuf *ob, const char *s);
void	 ob_printf(struct outbuf *ob, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* strlcpy semantics, available everywhere. */
size_t	 str_copy(char *dst, const char *src, size_t size);

#endif
