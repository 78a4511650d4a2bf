/* The bounded text buffer of text.h. */
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *text_of_code(const text_code_t *table, size_t n, int code)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].code == code)
            return table[i].text;
    return NULL;
}

const char *text_strerror(const text_code_t *table, size_t n, int err, const char *unknown)
{
    const char *text = text_of_code(table, n, err);
    if (text)
        return text;
    /* strerrordesc_np, unlike strerror, is thread-safe and says NULL for an unknown value. */
    if (err < 0 && err > -4096 && strerrordesc_np(-err))
        return strerrordesc_np(-err);
    return unknown;
}

void text_free_all(char **texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
}
