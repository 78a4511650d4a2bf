/*
 * Zone cuts found from the answers (verdicts.md). One server is often authoritative for a zone
 * and for its child (or several levels) and answers every question from the deepest zone it
 * holds, so the walk can be sent past a cut without a referral: the DS RRset (or the proof that
 * there is none, or the referral) for a name then comes from a zone strictly between the zone
 * the walk presumed to be the parent and the name. That is a missed cut, not a bogus
 * signature. The answer names the zone (the signer of its RRSIGs, the owner of its SOA); the
 * zone is then set up like any other (its DS or proof of no DS asked from its own parent, its
 * DNSKEY RRset validated, cached) and the domain's walk goes on from it.
 *
 * An unsigned zone names nothing: a referral from it carries no DS, RRSIG or proof. When such a
 * referral comes from the servers of a signed zone, the cut is looked for one label at a time
 * below that zone with DS questions to its servers, which answer DS from the parent side of a
 * cut (RFC 4035 §3.1.4.1): a DS, or a proof of a delegation without DS, marks the cut; a proof
 * that the name is no delegation sends the search one label deeper.
 *
 * Only names read from answers are used here; signatures and proofs are judged by
 * scan_judge_parent(). Every DS question goes to the presumed parent's servers, and a zone
 * found gets the address of the server that answered from it.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"

#include <stdlib.h>
#include <string.h>

typedef struct cut_search {
    scan_domain_t *d;
    scan_zone_t *parent; /* the zone the walk presumed to be the parent (secure, ready) */
    ldns_rdf *target;    /* the name asked DS for next (owned) */
    ldns_rdf *child;     /* the name whose parent side did not come from parent (owned) */
    bool walking;        /* target chosen label by label, not named by an answer */
    struct sockaddr_storage responder; /* a server that answered from below parent */
    scan_gate_t *gate;                 /* owned while the DS question is in flight */
    void (*done)(scan_domain_t *d, bool found);
} cut_search_t;

static void cut_step(cut_search_t *st);

/* name is strictly below zone. ldns_dname_is_subdomain() alone calls a name below itself when
 * the two differ only in case, as the names of our 0x20 questions come back. */
static bool below(const ldns_rdf *name, const ldns_rdf *zone)
{
    return ldns_dname_compare(name, zone) != 0 && ldns_dname_is_subdomain(name, zone);
}

const ldns_rdf *scan_pkt_answering_zone(const ldns_pkt *pkt, const ldns_rdf *child)
{
    const ldns_rr_list *lists[] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt)};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; lists[k] && i < ldns_rr_list_rr_count(lists[k]); i++) {
            const ldns_rr *rr = ldns_rr_list_rr(lists[k], i);
            const ldns_rdf *zone = NULL;
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 7)
                zone = ldns_rr_rdf(rr, 7);
            else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)
                zone = ldns_rr_owner(rr);
            /* The parent side of child is strictly above it; the child's own records (the NS
             * RRSIG of an authoritative answer) say nothing about its parent. */
            if (zone && ldns_rdf_get_type(zone) == LDNS_RDF_TYPE_DNAME && below(child, zone))
                return zone;
        }
    }
    return NULL;
}

/* The name one label below upper on the way to name (name is strictly below upper). New rdf. */
static ldns_rdf *label_below(const ldns_rdf *upper, const ldns_rdf *name)
{
    uint8_t nn = ldns_dname_label_count(name);
    uint8_t nu = ldns_dname_label_count(upper);
    return ldns_dname_clone_from(name, (uint16_t)(nn - nu - 1));
}

static void set_responder(cut_search_t *st, const struct sockaddr *addr)
{
    if (!addr || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
        return;
    memset(&st->responder, 0, sizeof st->responder);
    memcpy(&st->responder, addr,
           addr->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
}

static void cut_finish(cut_search_t *st, bool found)
{
    scan_domain_t *d = st->d;
    void (*done)(scan_domain_t *, bool) = st->done;
    ldns_rdf_deep_free(st->target);
    ldns_rdf_deep_free(st->child);
    free(st);
    done(d, found);
}

/* The cut at st->target is proven (a validated DS, or a proof of a delegation without DS): a
 * zone like any other, served by the server that answered from below the parent. */
static scan_zone_t *cut_zone_new(cut_search_t *st, ldns_rr_list *ds)
{
    scanner_t *s = st->d->s;
    scan_zone_t *z = scan_zone_new(s, st->target, 0);
    if (!z)
        return NULL;
    z->n_addrs = scan_addr_add(z->addrs, 0, SCAN_MAX_ADDRS, &st->responder);
    if (ds)
        z->ds = ldns_rr_list_clone(ds); /* the zone outlives the answer ds points into */
    scan_zone_continue(s, z);
    return z;
}

/* One label deeper towards the child, while there is room above it; false when there is none. */
static bool cut_deeper(cut_search_t *st)
{
    if (!st->walking || ldns_dname_label_count(st->child) <= ldns_dname_label_count(st->target) + 1)
        return false;
    ldns_rdf *next = label_below(st->target, st->child);
    if (!next)
        return false;
    ldns_rdf_deep_free(st->target);
    st->target = next;
    return true;
}

/* What the parent's servers say about target: a DS or a proof of a delegation without DS (a
 * cut: found), a zone between them answering (that zone is the next target), or neither (one
 * label deeper, when walking). Returns 1 found, 2 ask again, 0 give up. */
static int cut_judge_answer(cut_search_t *st, const ldns_pkt *pkt, const struct sockaddr *server)
{
    scan_domain_t *d = st->d;
    scanner_t *s = d->s;
    scan_zone_t *p = st->parent;
    const ldns_rdf *zone = scan_pkt_answering_zone(pkt, st->target);
    if (zone && below(zone, p->dname)) {
        /* A zone below the parent answered: the target's own parent is a missed cut too. */
        ldns_rdf *deeper = ldns_rdf_clone(zone);
        if (!deeper)
            return 0;
        ldns_rdf_deep_free(st->target);
        st->target = deeper;
        st->walking = false;
        set_responder(st, server);
        return 2;
    }
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
    if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN)
        return 0;
    ldns_pkt *judged = scan_ds_answer_as_referral(pkt, NULL);
    if (!judged)
        return 0;
    int64_t now = s->cfg->now ? s->cfg->now : (int64_t)time(NULL);
    verify_delegation_result_t del;
    verify_parent_state_t ps =
        scan_judge_parent(s->vctx, p->security, p->keyset, judged, st->target, now, NULL, &del);
    ldns_rr_list *ds = del.ds;
    int next = 0;
    if (ps == VERIFY_PARENT_DS || ps == VERIFY_PARENT_NO_DS) {
        scan_zone_t *z = scan_zone_find(s, st->target);
        if (!z)
            z = cut_zone_new(st, ds);
        if (z) {
            d->zone = z;
            next = 1;
        }
    } else if (cut_deeper(st)) {
        next = 2; /* no delegation there (or no proof of one): one label deeper */
    }
    ldns_rr_list_free(ds); /* its RRs are judged's */
    ldns_pkt_free(judged);
    return next;
}

static void cut_ds_answer(void *arg, const io_result_t *r)
{
    cut_search_t *st = arg;
    scan_domain_t *d = st->d;
    d->queries_pending--;
    scan_gate_t *gate = st->gate;
    st->gate = NULL;
    int next = 0;
    if (r->status == 0) {
        next = cut_judge_answer(st, r->pkt, r->server);
        ldns_pkt_free(r->pkt);
    }
    /* The zone (if any) is in the cache before the waiting domains look for it. */
    if (gate)
        scan_gate_open(d->s, gate);
    if (next == 2)
        cut_step(st);
    else
        cut_finish(st, next == 1);
}

static void cut_gate_opened(void *arg)
{
    cut_step(arg);
}

static void cut_step(cut_search_t *st)
{
    scan_domain_t *d = st->d;
    scanner_t *s = d->s;
    /* Every step counts, a zone found in the cache too: the walk goes on from it and must end. */
    if (++d->referrals > SCAN_MAX_REFERRALS) {
        cut_finish(st, false);
        return;
    }
    scan_zone_t *known = scan_zone_find(s, st->target);
    if (known) {
        d->zone = known; /* found by another domain: domain_lookup() waits for it if need be */
        cut_finish(st, true);
        return;
    }
    /* One DS question per name for every domain below it: the others wait for its zone. */
    if (scan_gate_enter(s, st->target, cut_gate_opened, st, &st->gate))
        return;
    scan_zone_t *p = st->parent;
    size_t n = p->n_addrs < IO_MAX_SERVERS ? p->n_addrs : IO_MAX_SERVERS;
    if (scan_send(s, p->addrs, n, st->target, NULL, LDNS_RR_TYPE_DS, IO_FLAG_DO, cut_ds_answer,
                  st) != 0) {
        if (st->gate) {
            scan_gate_open(s, st->gate);
            st->gate = NULL;
        }
        cut_finish(st, false);
        return;
    }
    d->queries++;
    d->queries_pending++;
}

bool scan_cut_check(scan_domain_t *d, const ldns_pkt *pkt, const ldns_rdf *child,
                    const struct sockaddr *responder, void (*done)(scan_domain_t *d, bool found))
{
    scan_zone_t *p = d->zone;
    /* Below an insecure zone every cut is insecure too: a missed one changes no verdict. */
    if (!p || p->security != SCAN_ZONE_SECURE || !p->keyset || d->s->cfg->resolver_count > 0)
        return false;
    if (!below(child, p->dname))
        return false;
    const ldns_rdf *zone = scan_pkt_answering_zone(pkt, child);
    ldns_rdf *target = NULL;
    bool walking = false;
    if (zone) {
        if (!below(zone, p->dname))
            return false; /* the presumed parent answered: no cut was missed */
        target = ldns_rdf_clone(zone);
    } else {
        /* Nothing signed at all from a signed zone's server: an unsigned zone between them
         * answered, or the parent's answer is broken. With no name between the two, it can
         * only be the latter (judged as it is). */
        if (ldns_dname_label_count(child) < ldns_dname_label_count(p->dname) + 2)
            return false;
        target = label_below(p->dname, child);
        walking = true;
    }
    cut_search_t *st = calloc(1, sizeof *st);
    if (!st || !target) {
        free(st);
        ldns_rdf_deep_free(target);
        return false;
    }
    st->d = d;
    st->parent = p;
    st->target = target;
    st->child = ldns_rdf_clone(child);
    st->walking = walking;
    st->done = done;
    st->responder = p->addrs[0];
    set_responder(st, responder);
    cut_step(st);
    return true;
}
