/*
 * The scanner's one hash table: chained, intrusive (the entry holds its own chain link, so an
 * insert allocates nothing) and keyed by a NUL-terminated name stored in the entry. The zone
 * cache, the NS address cache, the referral gates and the in-flight domains all use it.
 * A power-of-two bucket count fixed at init: the users bound their own size.
 */
#ifndef DNSSWEEP_SCANNER_HASHTAB_H
#define DNSSWEEP_SCANNER_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct scan_hashtab {
    void **buckets;
    size_t mask;                     /* bucket count - 1 */
    size_t next_off;                 /* where an entry keeps its `void *` chain link */
    size_t key_off;                  /* where an entry keeps its key, a NUL-terminated char array */
    void (*free_entry)(void *entry); /* NULL: the entries are owned elsewhere */
} scan_hashtab_t;

/* Starts an empty table of `buckets` chains (a power of two) for entries of the given layout,
 * e.g. offsetof(scan_zone_t, hash_next), offsetof(scan_zone_t, name). The table frees the
 * entries it drops or still holds at the end with free_entry; with NULL it frees none (they are
 * owned elsewhere). 0, or -ENOMEM. */
int scan_hashtab_init(scan_hashtab_t *t, size_t buckets, size_t next_off, size_t key_off,
                      void (*free_entry)(void *entry));
/* Frees the buckets and each entry still in the table. A table never started, or already
 * freed, is a no-op. */
void scan_hashtab_free(scan_hashtab_t *t);
/* The entry whose key is `key`, or NULL. */
void *scan_hashtab_find(const scan_hashtab_t *t, const char *key);
/* Adds an entry (its key set, not in the table); the newest of a key is found first. */
void scan_hashtab_add(scan_hashtab_t *t, void *entry);
/* Takes an entry out of the table; one not in it is left alone. */
void scan_hashtab_remove(scan_hashtab_t *t, void *entry);
/* Takes out (and frees) every entry drop() says yes to; how many. */
size_t scan_hashtab_drop_if(scan_hashtab_t *t, bool (*drop)(const void *entry));

#endif
