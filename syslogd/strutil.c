#include "strutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
strlist_add(struct strlist *l, const char *s, size_t len)
{
	char **nv, *copy;

	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	if ((nv = realloc(l->v, (l->n + 1) * sizeof(*nv))) == NULL) {
		free(copy);
		return -1;
	}
	l->v = nv;
	l->v[l->n++] = copy;
	return 0;
}

void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool
strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

void
ob_init(struct outbuf *ob, char *buf, size_t cap)
{
	ob->buf = buf;
	ob->cap = cap;
	ob->len = 0;
	ob->truncated = false;
	if (cap > 0)
		buf[0] = '\0';
}

void
ob_put(struct outbuf *ob, const char *s, size_t len)
{
	size_t room;

	if (ob->cap == 0) {
		ob->truncated = ob->truncated || len > 0;
		return;
	}
	room = ob->cap - 1 - ob->len;
	if (len > room) {
		len = room;
		ob->truncated = true;
	}
	memcpy(ob->buf + ob->len, s, len);
	ob->len += len;
	ob->buf[ob->len] = '\0';
}

void
ob_putc(struct outbuf *ob, char c)
{
	/* One byte per field separator: the common case without memcpy. */
	if (ob->cap > 0 && ob->len + 1 < ob->cap) {
		ob->buf[ob->len++] = c;
		ob->buf[ob->len] = '\0';
	} else
		ob_put(ob, &c, 1);
}

void
ob_puts(struct outbuf *ob, const char *s)
{
	ob_put(ob, s, strlen(s));
}

void
ob_printf(struct outbuf *ob, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp)) {
		ob_put(ob, tmp, sizeof(tmp) - 1);
		ob->truncated = true;
	} else
		ob_put(ob, tmp, (size_t)n);
}

size_t
str_copy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
