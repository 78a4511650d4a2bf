/*
 * text/: one bounded text buffer for building a line of text in memory the caller owns (NSD's
 * buffer_printf habit, without growth). An append never writes past the end, the text is always
 * NUL-terminated, and a cut is remembered: what does not fit is left out, exactly as snprintf
 * leaves it out, and every later append does nothing. No allocation and no global state, so any
 * module may use it (it depends on nothing).
 *
 * Also here, for the same reason: the text of a code (an error code, an enum value) looked up in
 * a module's own table, so that each module's strerror and name functions are one table each;
 * and the freeing of a list of texts a module copied (strdup) for one of its results.
 */
#ifndef DNSSWEEP_TEXT_H
#define DNSSWEEP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct text_buf {
    char *data; /* the caller's memory, cap bytes; data[len] is always NUL */
    size_t cap;
    size_t len; /* characters written, at most cap - 1 */
    bool cut;   /* an append did not fit (or failed): the text is cut short */
} text_buf_t;

/* Starts an empty text in data (cap bytes, at least 1; the caller keeps ownership). */
void text_init(text_buf_t *t, char *data, size_t cap);
/* Appends printf-style; see the top of this file for what does not fit. */
void text_printf(text_buf_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the string s. */
void text_put(text_buf_t *t, const char *s);

/* One row of a module's table that names its codes. */
typedef struct text_code {
    int code;
    const char *text;
} text_code_t;

/* The text of code in table (n rows), or NULL when code is not there. The text is the table's
 * (borrowed). */
const char *text_of_code(const text_code_t *table, size_t n, int code);
/* The message for the negative error err of a module whose codes are in table (n rows): the
 * table's text, else the system's message for a -errno value, else unknown. Borrowed, static. */
const char *text_strerror(const text_code_t *table, size_t n, int err, const char *unknown);

/* Frees the n texts of the list and then the list itself; a NULL list of none is a no-op. */
void text_free_all(char **texts, size_t n);

#endif
