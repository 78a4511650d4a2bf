/*
 * A set of byte strings (open addressing, FNV-1a): lets CDS/CDNSKEY be matched against the
 * served keys and the parent's DS in linear time however many records a hostile zone serves.
 * An entry may carry a value after its key (verify_sig_byteset_put/get): a map, e.g. of DS digests.
 */
#include "verify/sig_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

int verify_sig_byteset_init(verify_sig_byteset_t *s, size_t expected)
{
    memset(s, 0, sizeof *s); /* a set whose init failed can still be freed */
    s->cap = 16;
    while (s->cap < 2 * expected)
        s->cap *= 2;
    s->slots = calloc(s->cap, sizeof *s->slots);
    return s->slots ? 0 : VERIFY_ENOMEM;
}

void verify_sig_byteset_free(verify_sig_byteset_t *s)
{
    for (size_t i = 0; s->slots && i < s->cap; i++)
        free(s->slots[i].data);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* The slot of key p (len bytes), or the empty slot where it would go. */
static size_t find(const verify_sig_byteset_t *s, const uint8_t *p, size_t len, bool *found)
{
    size_t i = (size_t)fnv1a(p, len) & (s->cap - 1);
    while (s->slots[i].data) {
        if (s->slots[i].key_len == len && memcmp(s->slots[i].data, p, len) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & (s->cap - 1);
    }
    *found = false;
    return i;
}

static int grow(verify_sig_byteset_t *s)
{
    verify_sig_byteset_t bigger = {.cap = s->cap * 2};
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots)
        return VERIFY_ENOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].data)
            continue;
        bool found;
        size_t j = find(&bigger, s->slots[i].data, s->slots[i].key_len, &found);
        bigger.slots[j] = s->slots[i];
    }
    bigger.n = s->n;
    free(s->slots);
    *s = bigger;
    return 0;
}

int verify_sig_byteset_put(verify_sig_byteset_t *s, const uint8_t *key, size_t key_len,
                           const uint8_t *value, size_t value_len)
{
    if (2 * (s->n + 1) > s->cap && grow(s) < 0)
        return VERIFY_ENOMEM;
    bool found;
    size_t i = find(s, key, key_len, &found);
    if (found)
        return 0;
    s->slots[i].data = malloc(key_len + value_len ? key_len + value_len : 1);
    if (!s->slots[i].data)
        return VERIFY_ENOMEM;
    memcpy(s->slots[i].data, key, key_len);
    if (value_len)
        memcpy(s->slots[i].data + key_len, value, value_len);
    s->slots[i].key_len = key_len;
    s->slots[i].len = key_len + value_len;
    s->n++;
    return 0;
}

int verify_sig_byteset_add(verify_sig_byteset_t *s, const uint8_t *p, size_t len)
{
    return verify_sig_byteset_put(s, p, len, NULL, 0);
}

const uint8_t *verify_sig_byteset_get(const verify_sig_byteset_t *s, const uint8_t *key,
                                      size_t key_len, size_t *value_len)
{
    bool found = false;
    size_t i = s->slots ? find(s, key, key_len, &found) : 0;
    if (!found)
        return NULL;
    *value_len = s->slots[i].len - key_len;
    return s->slots[i].data + key_len;
}

bool verify_sig_byteset_has(const verify_sig_byteset_t *s, const uint8_t *p, size_t len)
{
    bool found = false;
    if (s->slots)
        find(s, p, len, &found);
    return found;
}
