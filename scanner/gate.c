/*
 * Referral gates: when many domains below the same not-yet-cached zone start at once (10,000
 * names under one TLD, all starting at the root), only the first asks the parent; the others
 * wait for its referral, which puts the zone in the cache, and then start below it. A gate
 * lives only while its question is in flight, so memory does not grow with the input.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define GATE_BUCKETS 4096

struct scan_gate {
    char name[LDNS_MAX_DOMAINLEN + 2];
    scan_waiter_t *waiters;
    void *hash_next; /* the gates' chain (hashtab.h) */
};

static void gate_free(void *entry)
{
    scan_gate_t *g = entry;
    scan_waiters_free(&g->waiters);
    free(g);
}

int scan_gates_init(scanner_t *s)
{
    return scan_hashtab_init(&s->gates, GATE_BUCKETS, offsetof(scan_gate_t, hash_next),
                             offsetof(scan_gate_t, name), gate_free)
               ? -1
               : 0;
}

void scan_gates_free(scanner_t *s)
{
    scan_hashtab_free(&s->gates);
}

int scan_gate_enter(scanner_t *s, const ldns_rdf *name, void (*cb)(void *), void *arg,
                    scan_gate_t **owned)
{
    char text[LDNS_MAX_DOMAINLEN + 2];
    scan_name_text(name, text, sizeof text);
    scan_gate_t *g = scan_hashtab_find(&s->gates, text);
    if (g) {
        scan_waiter_add(&g->waiters, cb, arg);
        s->stats.zone_cache_hits++;
        return 1;
    }
    g = calloc(1, sizeof *g);
    if (!g)
        return 0;
    snprintf(g->name, sizeof g->name, "%s", text);
    scan_hashtab_add(&s->gates, g);
    *owned = g;
    return 0;
}

void scan_gate_open(scanner_t *s, scan_gate_t *gate)
{
    scan_hashtab_remove(&s->gates, gate);
    scan_waiter_t *waiters = gate->waiters;
    free(gate);
    scan_waiters_run(&waiters);
}
