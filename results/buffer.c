/* Growable byte buffer (encoding) and bump arena (decoding): the two allocators of results/. */
#include "results/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void results_buf_reserve(results_buf_t *b, size_t extra)
{
    if (b->failed)
        return;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return;
    }
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return;
    }
    b->data = p;
    b->cap = cap;
}

void results_buf_put(results_buf_t *b, const void *p, size_t n)
{
    results_buf_reserve(b, n);
    if (b->failed || n == 0)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void results_buf_str(results_buf_t *b, const char *s)
{
    results_buf_put(b, s, strlen(s));
}

void results_buf_byte(results_buf_t *b, uint8_t v)
{
    results_buf_put(b, &v, 1);
}

void results_buf_varint(results_buf_t *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    results_buf_put(b, tmp, n);
}

void results_buf_free(results_buf_t *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Blocks are chained; the first one is kept by results_arena_reset so that iterating over a million
 * records does not call malloc per record. */
struct rarena_block {
    struct rarena_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

struct results_arena {
    struct rarena_block *head;
};

enum { RARENA_BLOCK = 4096 - sizeof(struct rarena_block) };

results_arena_t *results_arena_new(void)
{
    return calloc(1, sizeof(results_arena_t));
}

void *results_arena_alloc(results_arena_t *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    struct rarena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > RARENA_BLOCK ? n : RARENA_BLOCK;
        struct rarena_block *nb = malloc(sizeof *nb + size);
        if (!nb)
            return NULL;
        nb->size = size;
        nb->used = 0;
        /* A big one-off block goes behind the head so the head keeps serving small ones. */
        if (b && size > RARENA_BLOCK && b->size - b->used >= align) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void results_arena_reset(results_arena_t *a)
{
    if (!a || !a->head)
        return;
    /* Keep the last (oldest) standard-size block; free the rest. */
    struct rarena_block *keep = NULL;
    struct rarena_block *b = a->head;
    while (b) {
        struct rarena_block *next = b->next;
        if (!keep && b->size == RARENA_BLOCK) {
            keep = b;
        } else {
            free(b);
        }
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
}

void results_arena_free(results_arena_t *a)
{
    if (!a)
        return;
    struct rarena_block *b = a->head;
    while (b) {
        struct rarena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void results_buf_printf(results_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        results_buf_put(b, small, (size_t)n);
        return;
    }
    results_buf_reserve(b, (size_t)n + 1);
    if (b->failed)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
