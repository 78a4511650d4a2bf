/* The zone cache, the NS address cache and the referral gates (zones.c, addr.c, gate.c). Private to
 * scanner/, included only where used. */
#ifndef DNSSWEEP_SCANNER_ZONES_H
#define DNSSWEEP_SCANNER_ZONES_H

#include "scanner/internal.h"

/* zones.c */
int scan_zones_init(scanner_t *s);
void scan_zones_free(scanner_t *s);
/* The closest enclosing zone of name in the cache (the root at worst); never NULL after init. */
scan_zone_t *scan_zone_closest(scanner_t *s, const ldns_rdf *name, bool strict);
scan_zone_t *scan_zone_find(scanner_t *s, const ldns_rdf *name);
/* Starts the root zone's setup from hints and anchor. */
int scan_zone_start_root(scanner_t *s, const ldns_rr_list *hints);
/* Creates (or returns) the zone that the referral delegates to, below parent; its setup
 * (addresses, DS check, DNSKEY validation) runs asynchronously. */
scan_zone_t *scan_zone_from_referral(scanner_t *s, scan_zone_t *parent, const ldns_pkt *referral,
                                     const ldns_rdf *cut, int nesting);
/* A new PENDING zone in the cache (caller starts its setup). NULL when out of memory. */
scan_zone_t *scan_zone_new(scanner_t *s, const ldns_rdf *dname, int nesting);
/* Marks the zone READY or FAILED and runs its waiters. */
void scan_zone_ready(scan_zone_t *z, scan_zone_state_t state);
/* With the zone's servers known and z->ds set (or not): validates its DNSKEY RRset against
 * z->ds, then marks it ready. */
void scan_zone_continue(scanner_t *s, scan_zone_t *z);
/* A zone whose DNSKEY question got no answer at all (silent) is set up again, at most
 * SCAN_ZONE_SETUPS times in all; true when it was (it is pending again). */
bool scan_zone_retry(scanner_t *s, scan_zone_t *z);
/* Registers cb(arg) to run once the zone is READY or FAILED and returns true; returns false
 * (and registers nothing) when it already is. */
bool scan_zone_wait(scan_zone_t *z, void (*cb)(void *), void *arg);
/* NS-name address lookup (cached). Returns the entry; when !entry->done, cb(arg) runs once it
 * is. NULL when out of memory. */
scan_addr_entry_t *scan_addr_lookup(scanner_t *s, const ldns_rdf *name, int nesting,
                                    void (*cb)(void *), void *arg);

/* gate.c */
int scan_gates_init(scanner_t *s);
void scan_gates_free(scanner_t *s);
/* Returns 1 when another domain is asking about name: cb(arg) runs once its answer is in.
 * Returns 0 when the caller should ask; *owned is then the gate to open afterwards (or
 * left NULL when none could be made). */
int scan_gate_enter(scanner_t *s, const ldns_rdf *name, void (*cb)(void *), void *arg,
                    scan_gate_t **owned);
/* Removes the gate and lets its waiters go on. */
void scan_gate_open(scanner_t *s, scan_gate_t *gate);

#endif
