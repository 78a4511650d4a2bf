/* One domain's walk: its questions, zone cuts, resolver mode and RFC 9615 signals (domain.c,
 * cuts.c, resolver.c, dsboot.c). Private to scanner/, included only where used. */
#ifndef DNSSWEEP_SCANNER_DOMAIN_H
#define DNSSWEEP_SCANNER_DOMAIN_H

#include "scanner/internal.h"

/* cuts.c: zone cuts found from the answers (verdicts.md) */
/* The zone that answered with pkt's records about child: the signer of an RRSIG or the owner of
 * a SOA (answer, then authority section) strictly above child; NULL when none. Borrowed from pkt.
 */
const ldns_rdf *scan_pkt_answering_zone(const ldns_pkt *pkt, const ldns_rdf *child);
/* pkt is what the servers of d->zone (secure) answered about child (d's name or a cut above it):
 * a referral, or the answer to "child DS"; responder is the server that sent it. When it shows
 * that a zone strictly between d->zone and child answered (or, for a referral that carries
 * nothing signed, may have), looks for that cut, sets it up (scan_zone_t, cached) and returns
 * true: done(d, found) runs once, with d->zone set to the zone found when found. Returns false
 * (nothing started) when the answer came from d->zone itself. pkt is only read during the call. */
bool scan_cut_check(scan_domain_t *d, const ldns_pkt *pkt, const ldns_rdf *child,
                    const struct sockaddr *responder, void (*done)(scan_domain_t *d, bool found));

/* domain.c */
void scan_domain_start(scanner_t *s, scan_domain_t *d);
/* Concludes a domain below zone z, which failed (unreachable: indeterminate) or is bogus. */
void scan_domain_conclude_below(scan_domain_t *d, const scan_zone_t *z);
/* Adds an authoritative server address to the domain (duplicates ignored). */
void scan_domain_add_server(scan_domain_t *d, const char *ns_name,
                            const struct sockaddr_storage *addr);
/* Asks every server of the domain its questions; the judgement follows the last answer. */
void scan_domain_ask_servers(scan_domain_t *d);
/* Frees the domain's referral (as its kind requires) and takes pkt in its place; block: pkt
 * comes from io_answer_parse() (IO_FLAG_BLOCK). pkt may be NULL. */
void scan_domain_set_referral(scan_domain_t *d, ldns_pkt *pkt, bool block);
/* Ends the domain's questions early with an outcome (nxdomain, indeterminate). */
void scan_domain_conclude(scan_domain_t *d, scan_outcome_t outcome, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The question "d DS" got no answer (status, an IO_E* code) from the servers of silent, whom
 * who names in the detail ("the resolver"): d is indeterminate, and the silence silent's. */
void scan_domain_ds_unanswered(scan_domain_t *d, const scan_zone_t *silent, const char *who,
                               int status);
int scan_send(scanner_t *s, const struct sockaddr_storage *addrs, size_t n, const ldns_rdf *qname,
              const char *qname_str, uint16_t qtype, unsigned flags, io_callback_t cb, void *ctx);

/* resolver.c: resolver mode (--resolver): the same questions through a recursive resolver
 * with RD, CD and DO; the chain of trust is rebuilt from DS and DNSKEY answers. */
void scan_resolver_domain_start(scan_domain_t *d);
/* Builds a referral-shaped packet (DS or its denial in the authority section) from an answer
 * to "name DS", so the parent's side is judged the same way in both modes. New packet. */
ldns_pkt *scan_ds_answer_as_referral(const ldns_pkt *ds_answer, const ldns_pkt *ns_source);
/* The domain's delegation (d->referral) is known: read it and ask the child's servers. */
void scan_domain_delegation(scan_domain_t *d);
/* An extra question of the domain (dsboot.c) came back: judges the domain when it was the last. */
void scan_domain_question_done(scan_domain_t *d);

/* dsboot.c: for a domain without DS at the parent whose server served CDS/CDNSKEY, looks up the
 * RFC 9615 signal of every NS name of the delegation (once per domain; adds to queries_pending
 * until each is answered). */
void scan_dsboot_start(scan_domain_t *d);
/* Frees the signals' answers and keysets (on the worker after judging, or with the domain). */
void scan_dsboot_free(scan_domain_t *d);

#endif
