/* The bounded text buffer of text.h. */
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>

void text_init(text_buf_t *t, char *data, size_t cap)
{
    t->data = data;
    t->cap = cap;
    t->len = 0;
    t->cut = cap == 0;
    if (cap)
        data[0] = '\0';
}

void text_printf(text_buf_t *t, const char *fmt, ...)
{
    if (t->cut)
        return;
    size_t room = t->cap - t->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->data + t->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->data[t->len] = '\0';
        t->cut = true;
    } else if ((size_t)n >= room) {
        t->len = t->cap - 1; /* vsnprintf wrote what fits and the NUL */
        t->cut = true;
    } else {
        t->len += (size_t)n;
    }
}

void text_put(text_buf_t *t, const char *s)
{
    text_printf(t, "%s", s);
}
