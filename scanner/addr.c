/*
 * Address lookups of name server names that came without glue: follow referrals from the
 * closest cached zone down to the name's zone and ask it for A and AAAA. Each name is looked
 * up once per scan (a DNS host's names are resolved once, not once per customer domain);
 * everyone who needs it waits on the cache entry. The cache holds at most SCAN_ADDR_CACHE_MAX
 * names: when it is full, the names already resolved are dropped (and looked up again when
 * needed), so a scan of millions of self-hosted domains stays within bounded memory.
 *
 * A lookup none of whose questions was answered (every try timed out, or a zone on the way gave
 * no answer to its DNSKEY question) says nothing about the name: it is made again, up to
 * SCAN_ADDR_ATTEMPTS lookups in all, before its waiters get no address, and a later request for
 * the name starts one more (SCAN_ADDR_LATE_LOOKUPS times at most per scan). Otherwise one burst of
 * loss at the moment a DNS host's names are looked up would make every customer of that host
 * NS_UNREACHABLE for the whole scan.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"

#include <stdlib.h>
#include <string.h>

#define SCAN_ADDR_ATTEMPTS 3
#define SCAN_ADDR_LATE_LOOKUPS 3

typedef struct addr_walk {
    scanner_t *s;
    scan_addr_entry_t *entry;
    ldns_rdf *name;
    uint16_t qtype;
    scan_zone_t *zone;
    int referrals;
    int nesting;
} addr_walk_t;

static void walk_step(addr_walk_t *w);
static void start_walks(scanner_t *s, scan_addr_entry_t *e, bool again);

static void walk_finish(addr_walk_t *w)
{
    scan_addr_entry_t *e = w->entry;
    scanner_t *s = w->s;
    ldns_rdf_deep_free(w->name);
    free(w);
    if (--e->answers_pending > 0)
        return;
    if (e->n_addrs == 0 && e->unanswered && e->attempts_left > 0) {
        start_walks(s, e, true);
        return;
    }
    e->done = true;
    /* Its waiters read it: a lookup one of them starts must not drop it meanwhile. */
    e->busy = true;
    scan_waiters_run(&e->waiters);
    e->busy = false;
}

/* Drops every resolved entry nobody is reading (the cache is full). Callers of
 * scan_addr_lookup() use an entry at once or wait on it, so none holds one across a call. */
static bool unread(const void *entry)
{
    const scan_addr_entry_t *e = entry;
    return e->done && !e->busy && !e->waiters;
}

static void cache_flush(scanner_t *s)
{
    s->n_addr_entries -= scan_hashtab_drop_if(&s->addrs, unread);
    s->stats.addr_cache_flushes++;
}

static void walk_zone_ready(void *arg)
{
    walk_step(arg);
}

static void walk_answer(void *arg, const io_result_t *r)
{
    addr_walk_t *w = arg;
    scanner_t *s = w->s;
    if (r->status != 0) {
        w->entry->unanswered = true;
        walk_finish(w);
        return;
    }
    ldns_pkt *pkt = r->pkt;
    const ldns_rdf *cut = scan_pkt_referral_cut(pkt);
    bool referral =
        !ldns_pkt_aa(pkt) && ldns_pkt_ancount(pkt) == 0 && cut &&
        ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR &&
        ldns_dname_is_subdomain(cut, w->zone->dname) &&
        (ldns_dname_compare(cut, w->name) == 0 || ldns_dname_is_subdomain(w->name, cut));
    if (referral && ++w->referrals <= SCAN_MAX_REFERRALS) {
        scan_zone_t *next = scan_zone_from_referral(s, w->zone, pkt, cut, w->nesting);
        ldns_pkt_free(pkt);
        if (!next) {
            walk_finish(w);
            return;
        }
        w->zone = next;
        walk_step(w);
        return;
    }
    scan_addr_entry_t *e = w->entry;
    e->n_addrs = scan_pkt_answer_addrs(pkt, w->name, s->cfg->port, s->use_v4, s->use_v6, e->addrs,
                                       e->n_addrs, SCAN_MAX_ADDRS);
    ldns_pkt_free(pkt);
    walk_finish(w);
}

static void walk_step(addr_walk_t *w)
{
    if (scan_zone_wait(w->zone, walk_zone_ready, w))
        return;
    if (w->zone->state == SCAN_ZONE_FAILED || w->zone->n_addrs == 0) {
        if (w->zone->silent)
            w->entry->unanswered = true;
        walk_finish(w);
        return;
    }
    size_t n = w->zone->n_addrs < IO_MAX_SERVERS ? w->zone->n_addrs : IO_MAX_SERVERS;
    /* DO like every referral question: a referral met on this walk sets up the zone cache
     * entry that every later domain below that cut shares, and without DO it has no DS and
     * no proof of no DS, which would make a signed zone look bogus to all of them. */
    if (scan_send(w->s, w->zone->addrs, n, w->name, NULL, w->qtype, IO_FLAG_DO, walk_answer, w) !=
        0) {
        w->entry->unanswered = true;
        walk_finish(w);
    }
}

/* One lookup of e's name: an A and an AAAA walk (the families in use). again: a lookup after
 * an unanswered one, which first sets up again a zone on the way that gave no answer. */
static void start_walks(scanner_t *s, scan_addr_entry_t *e, bool again)
{
    ldns_rdf *name = ldns_dname_new_frm_str(e->name);
    if (!name)
        abort();
    e->attempts_left--;
    e->unanswered = false;
    e->done = false;
    uint16_t types[2];
    size_t n_types = 0;
    if (s->use_v4)
        types[n_types++] = LDNS_RR_TYPE_A;
    if (s->use_v6)
        types[n_types++] = LDNS_RR_TYPE_AAAA;
    /* One extra count so that walks finishing at once cannot complete the entry early. */
    e->answers_pending = n_types + 1;
    scan_zone_t *zone = scan_zone_closest(s, name, false);
    if (again)
        scan_zone_retry(s, zone);
    for (size_t i = 0; i < n_types; i++) {
        addr_walk_t *walk = calloc(1, sizeof *walk);
        if (!walk)
            abort();
        walk->s = s;
        walk->entry = e;
        walk->name = ldns_rdf_clone(name);
        walk->qtype = types[i];
        walk->nesting = e->nesting;
        walk->zone = zone;
        walk_step(walk);
    }
    ldns_rdf_deep_free(name);
    addr_walk_t *guard = calloc(1, sizeof *guard);
    if (!guard)
        abort();
    guard->s = s;
    guard->entry = e;
    walk_finish(guard);
}

scan_addr_entry_t *scan_addr_lookup(scanner_t *s, const ldns_rdf *name, int nesting,
                                    void (*cb)(void *), void *arg)
{
    char text[LDNS_MAX_DOMAINLEN + 2];
    scan_name_text(name, text, sizeof text);

    scan_addr_entry_t *e = scan_hashtab_find(&s->addrs, text);
    if (e) {
        s->stats.addr_cache_hits++;
        if (e->done && e->n_addrs == 0 && e->unanswered && !e->busy && e->late_lookups_left > 0) {
            /* Its last lookup went unanswered: one more for this request. Bounded, so that a
             * name whose servers are dead for good costs its customers no lookup each. */
            e->late_lookups_left--;
            e->attempts_left = 1;
            start_walks(s, e, true);
        }
        if (!e->done)
            scan_waiter_add(&e->waiters, cb, arg);
        return e;
    }
    if (s->n_addr_entries >= SCAN_ADDR_CACHE_MAX)
        cache_flush(s);
    e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    s->n_addr_entries++;
    snprintf(e->name, sizeof e->name, "%s", text);
    e->nesting = nesting;
    e->attempts_left = SCAN_ADDR_ATTEMPTS;
    e->late_lookups_left = SCAN_ADDR_LATE_LOOKUPS;
    scan_hashtab_add(&s->addrs, e);
    s->stats.addr_lookups++;
    start_walks(s, e, false);
    /* Every walk may have failed at once: then the caller uses the entry now. */
    if (!e->done)
        scan_waiter_add(&e->waiters, cb, arg);
    return e;
}
