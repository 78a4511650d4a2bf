/*
 * Referral gates: when many domains below the same not-yet-cached zone start at once (10,000
 * names under one TLD, all starting at the root), only the first asks the parent; the others
 * wait for its referral, which puts the zone in the cache, and then start below it. A gate
 * lives only while its question is in flight, so memory does not grow with the input.
 */
#include "scanner/internal.h"

#include <stdlib.h>
#include <string.h>

#define GATE_BUCKETS 4096

struct scan_gate {
    char name[LDNS_MAX_DOMAINLEN + 2];
    scan_waiter_t *waiters;
    struct scan_gate *hash_next;
};

int scan_gates_init(scanner_t *s)
{
    s->gate_table = calloc(GATE_BUCKETS, sizeof *s->gate_table);
    return s->gate_table ? 0 : -1;
}

void scan_gates_free(scanner_t *s)
{
    for (size_t i = 0; s->gate_table && i < GATE_BUCKETS; i++) {
        while (s->gate_table[i]) {
            scan_gate_t *g = s->gate_table[i];
            s->gate_table[i] = g->hash_next;
            scan_waiters_free(&g->waiters);
            free(g);
        }
    }
    free(s->gate_table);
    s->gate_table = NULL;
}

int scan_gate_enter(scanner_t *s, const ldns_rdf *name, void (*cb)(void *), void *arg,
                    scan_gate_t **owned)
{
    char text[LDNS_MAX_DOMAINLEN + 2];
    scan_name_text(name, text, sizeof text);
    size_t b = scan_hash(text) % GATE_BUCKETS;
    for (scan_gate_t *g = s->gate_table[b]; g; g = g->hash_next) {
        if (strcmp(g->name, text) != 0)
            continue;
        scan_waiter_add(&g->waiters, cb, arg);
        s->stats.zone_cache_hits++;
        return 1;
    }
    scan_gate_t *g = calloc(1, sizeof *g);
    if (!g)
        return 0;
    snprintf(g->name, sizeof g->name, "%s", text);
    g->hash_next = s->gate_table[b];
    s->gate_table[b] = g;
    *owned = g;
    return 0;
}

void scan_gate_open(scanner_t *s, scan_gate_t *gate)
{
    scan_gate_t **p = &s->gate_table[scan_hash(gate->name) % GATE_BUCKETS];
    while (*p && *p != gate)
        p = &(*p)->hash_next;
    if (*p)
        *p = gate->hash_next;
    scan_waiter_t *waiters = gate->waiters;
    free(gate);
    scan_waiters_run(&waiters);
}
