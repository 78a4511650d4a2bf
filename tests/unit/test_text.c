/* The bounded text buffer: appends like snprintf, cuts exactly where snprintf cuts, never
 * writes past the end (the buffers are heap blocks of the exact size, so ASan would see it),
 * remembers the cut and ignores later appends. */
#include "tests/tap.h"
#include "text/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

    /* A module's code table: its own codes first, then -errno, then the module's unknown. */
    enum { MY_EBROKEN = -31001, MY_ENOMEM = -ENOMEM };
    static const text_code_t codes[] = {
        {0, "success"}, {MY_ENOMEM, "out of memory"}, {MY_EBROKEN, "broken"}};
    size_t n = sizeof codes / sizeof codes[0];
    is_str(text_of_code(codes, n, MY_EBROKEN), "broken", "a code of the table has its text");
    ok(text_of_code(codes, n, 7) == NULL, "a code not in the table has none");
    is_str(text_strerror(codes, n, MY_ENOMEM, "unknown"), "out of memory",
           "the table's text wins over the system's for the same -errno");
    is_str(text_strerror(codes, n, -ENOENT, "unknown"), strerrordesc_np(ENOENT),
           "another -errno gets the system's message");
    is_str(text_strerror(codes, n, -30999, "unknown my error"), "unknown my error",
           "a negative value that is neither gets the module's unknown text");
    is_str(text_strerror(codes, n, 5, "unknown my error"), "unknown my error",
           "so does a positive value");

    /* A list of copied texts is freed whole, and a NULL list of none is a no-op: LeakSanitizer
     * (the asan build) fails the test on a text left behind, ASan on a bad free. */
    char **list = calloc(3, sizeof *list);
    for (size_t i = 0; list && i < 3; i++)
        list[i] = strdup("copied");
    ok(list && list[0] && list[1] && list[2], "three texts copied into a list");
    text_free_all(list, 3);
    text_free_all(NULL, 0);
    return tap_done();
}
