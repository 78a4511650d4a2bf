/* The scanner's hash table (scanner/hashtab.h): entries found by their name key, colliding
 * names kept apart in one chain, removal from the middle of a chain, drop_if freeing exactly
 * what it is told to, and free handing every remaining entry to the caller's free function. */
#include "scanner/hashtab.h"
#include "tests/tap.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct entry {
    int value;
    char name[32];
    void *hash_next;
} entry_t;

static int freed;

static void entry_free(void *e)
{
    freed++;
    free(e);
}

static bool odd(const void *e)
{
    return ((const entry_t *)e)->value % 2 == 1;
}

static entry_t *entry_new(int value)
{
    entry_t *e = calloc(1, sizeof *e);
    e->value = value;
    snprintf(e->name, sizeof e->name, "d%d.example.", value);
    return e;
}

int main(void)
{
    scan_hashtab_t t;
    /* Two buckets for 100 names: long chains, so removal and lookup walk past other keys. */
    is_int(
        scan_hashtab_init(&t, 2, offsetof(entry_t, hash_next), offsetof(entry_t, name), entry_free),
        0, "init");
    entry_t *all[100];
    for (int i = 0; i < 100; i++) {
        all[i] = entry_new(i);
        scan_hashtab_add(&t, all[i]);
    }
    int found = 0;
    for (int i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof key, "d%d.example.", i);
        found += scan_hashtab_find(&t, key) == all[i];
    }
    is_int(found, 100, "each of 100 names finds its own entry in 2 chains");
    ok(scan_hashtab_find(&t, "d100.example.") == NULL, "a name never added is not found");
    ok(scan_hashtab_find(&t, "d1.example") == NULL, "keys compare whole (no trailing dot)");

    scan_hashtab_remove(&t, all[50]);
    ok(scan_hashtab_find(&t, "d50.example.") == NULL, "a removed entry is gone");
    ok(scan_hashtab_find(&t, "d49.example.") == all[49] &&
           scan_hashtab_find(&t, "d51.example.") == all[51],
       "its chain neighbours stay");
    scan_hashtab_remove(&t, all[50]); /* not in the table: left alone */
    ok(scan_hashtab_find(&t, "d48.example.") == all[48], "removing an absent entry is harmless");
    free(all[50]);

    freed = 0;
    is_int(scan_hashtab_drop_if(&t, odd), 50, "drop_if drops the 50 odd entries");
    is_int(freed, 50, "and frees each of them once");
    ok(scan_hashtab_find(&t, "d7.example.") == NULL &&
           scan_hashtab_find(&t, "d8.example.") == all[8],
       "odd ones gone, even ones found");

    freed = 0;
    scan_hashtab_free(&t);
    is_int(freed, 49, "free hands the 49 remaining entries to the free function");
    ok(t.buckets == NULL, "a freed table holds no buckets");
    scan_hashtab_free(&t); /* twice: a no-op */
    is_int(freed, 49, "freeing a freed table frees nothing");
    return tap_done();
}
