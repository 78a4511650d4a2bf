/* The bounded text buffer: appends like snprintf, cuts exactly where snprintf cuts, never
 * writes past the end (the buffers are heap blocks of the exact size, so ASan would see it),
 * remembers the cut and ignores later appends. */
#include "tests/tap.h"
#include "text/text.h"

#include <stdlib.h>

int main(void)
{
    char *mem = malloc(32);
    text_buf_t t;
    text_init(&t, mem, 32);
    is_str(mem, "", "a new text is empty");
    text_printf(&t, "%s %u", "keys", 13u);
    text_put(&t, " and 8");
    is_str(mem, "keys 13 and 8", "printf and put append");
    is_int(t.len, 13, "len counts the characters");
    ok(!t.cut, "nothing cut while it fits");
    free(mem);

    /* Cut where snprintf cuts: compare with snprintf of the whole text into the same size. */
    for (size_t cap = 1; cap <= 12; cap++) {
        char *small = malloc(cap), want[16];
        text_init(&t, small, cap);
        text_printf(&t, "%u/%u", 20326u, 8u);
        text_printf(&t, " %u", 38696u);
        text_put(&t, "!");
        snprintf(want, cap, "%s", "20326/8 38696!");
        ok(strcmp(small, want) == 0 && t.len == strlen(want) && t.cut == (cap <= 14),
           "capacity %zu: \"%s\" like snprintf, cut %s", cap, small, t.cut ? "set" : "clear");
        free(small);
    }

    char exact[8];
    text_init(&t, exact, sizeof exact);
    text_put(&t, "1234567");
    ok(!t.cut && strcmp(exact, "1234567") == 0, "a text of exactly cap - 1 characters is not cut");
    text_put(&t, "8");
    ok(t.cut && strcmp(exact, "1234567") == 0, "the next character is cut");
    text_put(&t, "");
    ok(t.cut && t.len == 7, "after a cut appends do nothing");
    return tap_done();
}
