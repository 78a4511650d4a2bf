/*
 * Resolver mode (--resolver): every question goes to a recursive resolver with RD, CD and DO,
 * so the resolver fetches the data without judging it and dnssweep validates it itself. The
 * chain of trust is rebuilt from answers to "zone DS" (whose RRSIG signer, or the SOA of the
 * denial, names the parent zone) and "zone DNSKEY", up to the root trust anchor.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"

#include <stdlib.h>
#include <string.h>

ldns_pkt *scan_ds_answer_as_referral(const ldns_pkt *ds_answer, const ldns_pkt *ns_source)
{
    ldns_pkt *out = ldns_pkt_new();
    if (!out)
        return NULL;
    if (ns_source) {
        const ldns_rr_list *an = ldns_pkt_answer(ns_source);
        for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++)
            if (ldns_rr_get_type(ldns_rr_list_rr(an, i)) == LDNS_RR_TYPE_NS)
                ldns_pkt_push_rr(out, LDNS_SECTION_AUTHORITY,
                                 ldns_rr_clone(ldns_rr_list_rr(an, i)));
        const ldns_rr_list *ad = ldns_pkt_additional(ns_source);
        for (size_t i = 0; ad && i < ldns_rr_list_rr_count(ad); i++)
            ldns_pkt_push_rr(out, LDNS_SECTION_ADDITIONAL, ldns_rr_clone(ldns_rr_list_rr(ad, i)));
    }
    const ldns_rr_list *sections[] = {ldns_pkt_answer(ds_answer), ldns_pkt_authority(ds_answer)};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; sections[k] && i < ldns_rr_list_rr_count(sections[k]); i++)
            ldns_pkt_push_rr(out, LDNS_SECTION_AUTHORITY,
                             ldns_rr_clone(ldns_rr_list_rr(sections[k], i)));
    return out;
}

/* The zone that answered "name DS": the signer of the DS RRSIG, else the owner of the SOA of
 * a negative answer, else the name minus its first label. New rdf. */
static ldns_rdf *ds_answer_zone(const ldns_pkt *pkt, const ldns_rdf *name)
{
    const ldns_rdf *zone = scan_pkt_answering_zone(pkt, name); /* cuts.c: the same rule */
    return zone ? ldns_rdf_clone(zone) : ldns_dname_left_chop(name);
}

/* ---- zones ---- */

typedef struct rzone_setup {
    scanner_t *s;
    scan_zone_t *zone;
    scan_zone_t *parent;
    ldns_pkt *referral;
} rzone_setup_t;

static scan_zone_t *rzone_get(scanner_t *s, const ldns_rdf *name);

static void rzone_parent_ready(void *arg)
{
    rzone_setup_t *st = arg;
    scanner_t *s = st->s;
    scan_zone_t *z = st->zone;
    scan_zone_t *p = st->parent;
    if (p->state == SCAN_ZONE_FAILED || p->security == SCAN_ZONE_BOGUS) {
        z->security = SCAN_ZONE_BOGUS;
        z->silent = p->silent;
        snprintf(z->why, sizeof z->why, "%s", p->why);
        scan_zone_ready(z, p->state == SCAN_ZONE_FAILED ? SCAN_ZONE_FAILED : SCAN_ZONE_READY);
    } else {
        int64_t now = s->cfg->now ? s->cfg->now : (int64_t)time(NULL);
        verify_delegation_result_t del;
        verify_parent_state_t ps = scan_judge_parent(s->vctx, p->security, p->keyset, st->referral,
                                                     z->dname, now, NULL, &del);
        if (ps == VERIFY_PARENT_DS) {
            z->ds = ldns_rr_list_clone(del.ds); /* the zone outlives the referral */
            ldns_rr_list_free(del.ds);
            scan_zone_continue(s, z);
        } else if (ps == VERIFY_PARENT_BOGUS) {
            z->security = SCAN_ZONE_BOGUS;
            snprintf(z->why, sizeof z->why, "zone %s: %s: %s", z->name,
                     del.has_reason ? verify_reason_name(del.reason) : "?", del.detail);
            scan_zone_ready(z, SCAN_ZONE_READY);
        } else {
            z->security = SCAN_ZONE_INSECURE;
            scan_zone_ready(z, SCAN_ZONE_READY);
        }
    }
    ldns_pkt_free(st->referral);
    free(st);
}

static void rzone_ds_answer(void *arg, const io_result_t *r)
{
    rzone_setup_t *st = arg;
    scan_zone_t *z = st->zone;
    if (r->status != 0 || ldns_pkt_get_rcode(r->pkt) != LDNS_RCODE_NOERROR) {
        snprintf(z->why, sizeof z->why, "the resolver gave no usable answer to %s DS (%s)", z->name,
                 r->status ? io_strerror(r->status) : "error rcode");
        /* No answer, or a refusal: the resolver's trouble (ours), not the zone's. */
        z->silent = r->status != 0 || ldns_pkt_get_rcode(r->pkt) == LDNS_RCODE_REFUSED;
        if (r->pkt)
            ldns_pkt_free(r->pkt);
        free(st);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
        return;
    }
    st->referral = scan_ds_answer_as_referral(r->pkt, NULL);
    ldns_rdf *parent = ds_answer_zone(r->pkt, z->dname);
    ldns_pkt_free(r->pkt);
    st->parent = rzone_get(st->s, parent);
    ldns_rdf_deep_free(parent);
    if (!st->parent) {
        ldns_pkt_free(st->referral);
        free(st);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
        return;
    }
    if (!scan_zone_wait(st->parent, rzone_parent_ready, st))
        rzone_parent_ready(st);
}

static scan_zone_t *rzone_get(scanner_t *s, const ldns_rdf *name)
{
    scan_zone_t *z = scan_zone_find(s, name);
    if (z)
        return z;
    if (ldns_dname_label_count(name) == 0)
        return s->root;
    z = scan_zone_new(s, name, 0);
    if (!z)
        return NULL;
    rzone_setup_t *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->s = s;
    st->zone = z;
    if (scan_send(s, s->cfg->resolvers, s->cfg->resolver_count, name, NULL, LDNS_RR_TYPE_DS,
                  s->query_flags, rzone_ds_answer, st) != 0) {
        free(st);
        snprintf(z->why, sizeof z->why, "could not send %s DS", z->name);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
    }
    return z;
}

/* ---- domains ---- */

static void domain_parent_ready(void *arg)
{
    scan_domain_t *d = arg;
    scan_zone_t *p = d->zone;
    if (p->state == SCAN_ZONE_FAILED || p->security == SCAN_ZONE_BOGUS) {
        scan_domain_conclude_below(d, p);
        return;
    }
    scan_domain_ask_servers(d);
}

static void domain_ds_answer(void *arg, const io_result_t *r)
{
    scan_domain_t *d = arg;
    d->queries_pending--;
    if (r->status != 0) {
        /* The resolver stands for the root. */
        scan_domain_ds_unanswered(d, d->s->root, "the resolver", r->status);
        return;
    }
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(r->pkt);
    if (rcode == LDNS_RCODE_REFUSED) {
        d->resolver_refused = true;
        d->silent_zone = d->s->root;
    } else {
        scan_breaker_root_answered(d->s);
    }
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        ldns_pkt_free(r->pkt);
        scan_domain_conclude(d, SCAN_OUTCOME_NXDOMAIN, "the resolver answers NXDOMAIN for %s",
                             d->name);
        return;
    }
    if (rcode != LDNS_RCODE_NOERROR) {
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
        ldns_pkt_free(r->pkt);
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE,
                             "the resolver answered %s for %s DS: the parent's servers could "
                             "not be asked",
                             lt ? lt->name : "?", d->name);
        return;
    }
    scan_domain_set_referral(d, scan_ds_answer_as_referral(r->pkt, NULL), false);
    ldns_rdf *parent = ds_answer_zone(r->pkt, d->dname);
    ldns_pkt_free(r->pkt);
    d->zone = rzone_get(d->s, parent);
    ldns_rdf_deep_free(parent);
    if (!d->zone) {
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "out of memory");
        return;
    }
    if (!scan_zone_wait(d->zone, domain_parent_ready, d))
        domain_parent_ready(d);
}

void scan_resolver_domain_start(scan_domain_t *d)
{
    scanner_t *s = d->s;
    /* The resolver stands in for every authoritative server of the domain. */
    char name[64];
    scan_addr_text(&s->cfg->resolvers[0], name, sizeof name);
    char label[80];
    snprintf(label, sizeof label, "resolver %s", name);
    scan_domain_add_server(d, label, &s->cfg->resolvers[0]);
    if (scan_send(s, s->cfg->resolvers, s->cfg->resolver_count, d->dname, NULL, LDNS_RR_TYPE_DS,
                  s->query_flags, domain_ds_answer, d) != 0) {
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "could not send the DS query");
        return;
    }
    d->queries++;
    d->queries_pending++;
}
