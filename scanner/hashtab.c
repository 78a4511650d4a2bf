/* The chained, intrusive hash table of hashtab.h. */
#include "scanner/hashtab.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void **next_of(const scan_hashtab_t *t, void *entry)
{
    return (void **)((char *)entry + t->next_off);
}

static const char *key_of(const scan_hashtab_t *t, const void *entry)
{
    return (const char *)entry + t->key_off;
}

/* FNV-1a 64: keys are short lower-case names; speed and spread are all that matter. */
static uint64_t hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void **bucket(const scan_hashtab_t *t, const char *key)
{
    return &t->buckets[hash(key) & t->mask];
}

int scan_hashtab_init(scan_hashtab_t *t, size_t buckets, size_t next_off, size_t key_off,
                      void (*free_entry)(void *entry))
{
    assert(buckets && (buckets & (buckets - 1)) == 0);
    t->buckets = calloc(buckets, sizeof *t->buckets);
    t->mask = buckets - 1;
    t->next_off = next_off;
    t->key_off = key_off;
    t->free_entry = free_entry;
    return t->buckets ? 0 : -ENOMEM;
}

void scan_hashtab_free(scan_hashtab_t *t)
{
    for (size_t b = 0; t->buckets && t->free_entry && b <= t->mask; b++) {
        void *e = t->buckets[b];
        while (e) {
            void *next = *next_of(t, e);
            t->free_entry(e);
            e = next;
        }
    }
    free(t->buckets);
    t->buckets = NULL;
}

void *scan_hashtab_find(const scan_hashtab_t *t, const char *key)
{
    for (void *e = *bucket(t, key); e; e = *next_of(t, e))
        if (strcmp(key_of(t, e), key) == 0)
            return e;
    return NULL;
}

void scan_hashtab_add(scan_hashtab_t *t, void *entry)
{
    void **head = bucket(t, key_of(t, entry));
    *next_of(t, entry) = *head;
    *head = entry;
}

void scan_hashtab_remove(scan_hashtab_t *t, void *entry)
{
    void **link = bucket(t, key_of(t, entry));
    while (*link && *link != entry)
        link = next_of(t, *link);
    if (*link)
        *link = *next_of(t, entry);
}

size_t scan_hashtab_drop_if(scan_hashtab_t *t, bool (*drop)(const void *entry))
{
    size_t dropped = 0;
    for (size_t b = 0; b <= t->mask; b++) {
        void **link = &t->buckets[b];
        while (*link) {
            void *e = *link;
            if (drop(e)) {
                *link = *next_of(t, e);
                if (t->free_entry)
                    t->free_entry(e);
                dropped++;
            } else {
                link = next_of(t, e);
            }
        }
    }
    return dropped;
}
