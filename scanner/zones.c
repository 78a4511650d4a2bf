/*
 * The zone cache: every parent zone (root, TLDs, registries below them, and any zone a referral
 * passes through) is set up once: its server addresses (glue, or NS names looked up), the
 * parent's DS for it judged with the parent's keys, its DNSKEY RRset validated. Every domain
 * below it then shares the result. Address lookups of NS names are cached here too.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"
#include "text/text.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define ZONE_BUCKETS 4096
#define ADDR_BUCKETS 8192
/* DNSKEY setups of a zone whose servers gave no answer at all: a burst lost at the moment a DNS
 * host's own zone is set up is the network's trouble, not a fact about the host, and every
 * customer of the host depends on it. */
#define SCAN_ZONE_SETUPS 3

static void zone_free(void *entry)
{
    scan_zone_t *z = entry;
    ldns_rdf_deep_free(z->dname);
    ldns_rr_list_deep_free(z->ds);
    ldns_rr_list_deep_free(z->ns_names);
    verify_keyset_free(z->keyset);
    scan_waiters_free(&z->waiters);
    free(z);
}

static void addr_entry_free(void *entry)
{
    scan_addr_entry_t *e = entry;
    scan_waiters_free(&e->waiters);
    free(e);
}

int scan_zones_init(scanner_t *s)
{
    int rc = scan_hashtab_init(&s->zones, ZONE_BUCKETS, offsetof(scan_zone_t, hash_next),
                               offsetof(scan_zone_t, name), zone_free);
    if (rc == 0)
        rc = scan_hashtab_init(&s->addrs, ADDR_BUCKETS, offsetof(scan_addr_entry_t, hash_next),
                               offsetof(scan_addr_entry_t, name), addr_entry_free);
    return rc ? -1 : 0;
}

void scan_zones_free(scanner_t *s)
{
    scan_hashtab_free(&s->zones);
    scan_hashtab_free(&s->addrs);
}

static scan_zone_t *find_text(scanner_t *s, const char *text)
{
    return scan_hashtab_find(&s->zones, text);
}

scan_zone_t *scan_zone_find(scanner_t *s, const ldns_rdf *name)
{
    char text[LDNS_MAX_DOMAINLEN + 2];
    scan_name_text(name, text, sizeof text);
    return find_text(s, text);
}

scan_zone_t *scan_zone_closest(scanner_t *s, const ldns_rdf *name, bool strict)
{
    char text[LDNS_MAX_DOMAINLEN + 2];
    scan_name_text(name, text, sizeof text);
    const char *p = text;
    if (strict) {
        const char *dot = strchr(p, '.');
        p = dot && dot[1] ? dot + 1 : ".";
    }
    for (;;) {
        scan_zone_t *z = find_text(s, p);
        if (z)
            return z;
        if (strcmp(p, ".") == 0)
            return s->root;
        const char *dot = strchr(p, '.');
        p = dot && dot[1] ? dot + 1 : ".";
    }
}

scan_zone_t *scan_zone_new(scanner_t *s, const ldns_rdf *dname, int nesting)
{
    scan_zone_t *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->dname = ldns_rdf_clone(dname);
    scan_name_text(dname, z->name, sizeof z->name);
    z->state = SCAN_ZONE_PENDING;
    z->security = SCAN_ZONE_INSECURE;
    z->nesting = nesting;
    z->dnskey_rcode = -1;
    z->bogus_reason = -1;
    z->setups_left = SCAN_ZONE_SETUPS - 1;
    scan_hashtab_add(&s->zones, z);
    s->stats.zone_setups++;
    return z;
}

bool scan_zone_wait(scan_zone_t *z, void (*cb)(void *), void *arg)
{
    if (z->state != SCAN_ZONE_PENDING)
        return false;
    scan_waiter_add(&z->waiters, cb, arg);
    return true;
}

void scan_zone_ready(scan_zone_t *z, scan_zone_state_t state)
{
    z->state = state;
    ldns_rr_list_deep_free(z->ns_names);
    z->ns_names = NULL;
    scan_waiters_run(&z->waiters);
}

bool scan_zone_retry(scanner_t *s, scan_zone_t *z)
{
    /* The root's silence is the run's failure (run.c), decided once. */
    if (z->state != SCAN_ZONE_FAILED || !z->silent || z == s->root || z->setups_left <= 0)
        return false;
    z->setups_left--;
    z->state = SCAN_ZONE_PENDING;
    z->silent = false;
    z->why[0] = '\0';
    scan_zone_continue(s, z);
    return true;
}

typedef struct zone_ctx {
    scanner_t *s;
    scan_zone_t *z;
} zone_ctx_t;

static void zone_dnskey_answer(void *arg, const io_result_t *r)
{
    zone_ctx_t *zc = arg;
    scanner_t *s = zc->s;
    scan_zone_t *z = zc->z;
    free(zc);
    if (r->status != 0) {
        snprintf(z->why, sizeof z->why, "zone %s: no answer to DNSKEY (%s)", z->name,
                 io_strerror(r->status));
        z->silent = true;
        scan_zone_ready(z, SCAN_ZONE_FAILED);
        return;
    }
    z->dnskey_rcode = (int)ldns_pkt_get_rcode(r->pkt);
    /* A --resolver that does not recurse (an authoritative server) answers its own zones and
     * refers everything else: every domain would read as not delegated. */
    z->no_recursion = s->cfg->resolver_count > 0 && !ldns_pkt_ra(r->pkt);
    verify_verdict_t *v = NULL;
    int64_t now = s->cfg->now ? s->cfg->now : (int64_t)time(NULL);
    if (verify_trust_anchor(s->vctx, z->dname, z->ds, r->pkt, now, &v) != 0 || !v) {
        snprintf(z->why, sizeof z->why, "zone %s: DNSKEY validation failed to run", z->name);
        ldns_pkt_free(r->pkt);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
        return;
    }
    ldns_pkt_free(r->pkt);
    if (v->status == VERIFY_STATUS_SECURE && v->keyset) {
        z->security = SCAN_ZONE_SECURE;
        z->keyset = verify_keyset_ref(v->keyset);
    } else if (v->status == VERIFY_STATUS_INSECURE) {
        z->security = SCAN_ZONE_INSECURE;
    } else {
        z->security = SCAN_ZONE_BOGUS;
        if (v->n_reasons > 0)
            z->bogus_reason = (int)v->reasons[0].code;
        text_buf_t why;
        text_init(&why, z->why, sizeof z->why);
        text_printf(&why, "parent zone %s is %s:", z->name, verify_status_name(v->status));
        for (size_t i = 0; i < v->n_reasons; i++)
            text_printf(&why, " %s", verify_reason_name(v->reasons[i].code));
    }
    verify_verdict_free(v);
    scan_zone_ready(z, SCAN_ZONE_READY);
}

/* Addresses known (or none to come): validate the DNSKEYs when the parent has a DS. */
void scan_zone_continue(scanner_t *s, scan_zone_t *z)
{
    const struct sockaddr_storage *addrs = z->addrs;
    size_t n = z->n_addrs;
    if (s->cfg->resolver_count > 0) {
        /* Resolver mode: every question goes to the recursive resolvers. */
        addrs = s->cfg->resolvers;
        n = s->cfg->resolver_count;
    }
    if (n == 0) {
        snprintf(z->why, sizeof z->why, "zone %s: no address for any of its name servers", z->name);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
        return;
    }
    if (!z->ds) {
        scan_zone_ready(z, SCAN_ZONE_READY);
        return;
    }
    zone_ctx_t *zc = malloc(sizeof *zc);
    if (!zc)
        abort();
    zc->s = s;
    zc->z = z;
    if (scan_send(s, addrs, n, z->dname, NULL, LDNS_RR_TYPE_DNSKEY, s->query_flags,
                  zone_dnskey_answer, zc) != 0) {
        free(zc);
        snprintf(z->why, sizeof z->why, "zone %s: could not send the DNSKEY query", z->name);
        scan_zone_ready(z, SCAN_ZONE_FAILED);
    }
}

int scan_zone_start_root(scanner_t *s, const ldns_rr_list *hints)
{
    ldns_rdf *root = ldns_dname_new_frm_str(".");
    scan_zone_t *z = scan_zone_new(s, root, 0);
    ldns_rdf_deep_free(root);
    if (!z)
        return -1;
    s->root = z;
    z->n_addrs = scan_list_addrs(hints, NULL, s->cfg->port, s->use_v4, s->use_v6, z->addrs, 0,
                                 SCAN_MAX_ADDRS);
    z->ds = ldns_rr_list_clone(s->anchor);
    scan_zone_continue(s, z);
    return 0;
}

static void zone_lookup_done(void *arg)
{
    zone_ctx_t *zc = arg;
    scan_zone_t *z = zc->z;
    scanner_t *s = zc->s;
    free(zc);
    if (--z->lookups_pending == 0)
        scan_zone_continue(s, z);
}

/* Adds the addresses of a finished lookup entry to the zone. */
static void zone_add_entry(scan_zone_t *z, const scan_addr_entry_t *e)
{
    for (size_t i = 0; i < e->n_addrs; i++)
        z->n_addrs = scan_addr_add(z->addrs, z->n_addrs, SCAN_MAX_ADDRS, &e->addrs[i]);
}

typedef struct zone_entry_ctx {
    scanner_t *s;
    scan_zone_t *z;
    scan_addr_entry_t *e;
} zone_entry_ctx_t;

static void zone_entry_done(void *arg)
{
    zone_entry_ctx_t *ec = arg;
    scanner_t *s = ec->s;
    scan_zone_t *z = ec->z;
    zone_add_entry(z, ec->e);
    free(ec);
    if (--z->lookups_pending == 0)
        scan_zone_continue(s, z);
}

scan_zone_t *scan_zone_from_referral(scanner_t *s, scan_zone_t *parent, const ldns_pkt *referral,
                                     const ldns_rdf *cut, int nesting)
{
    scan_zone_t *z = scan_zone_find(s, cut);
    if (z)
        return z;
    z = scan_zone_new(s, cut, nesting);
    if (!z)
        return NULL;

    int64_t now = s->cfg->now ? s->cfg->now : (int64_t)time(NULL);
    verify_delegation_result_t del;
    verify_parent_state_t ps = scan_judge_parent(s->vctx, parent->security, parent->keyset,
                                                 referral, cut, now, NULL, &del);
    if (ps == VERIFY_PARENT_DS) {
        z->ds = ldns_rr_list_clone(del.ds); /* the zone outlives the referral ds points into */
        ldns_rr_list_free(del.ds);
    } else if (ps == VERIFY_PARENT_BOGUS) {
        z->security = SCAN_ZONE_BOGUS;
        if (del.has_reason)
            snprintf(z->why, sizeof z->why, "zone %s: %s: %s", z->name,
                     verify_reason_name(del.reason), del.detail);
        else
            snprintf(z->why, sizeof z->why, "%s", parent->why);
    }

    ldns_rr_list *ns = scan_pkt_rrs(referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NS, cut);
    ldns_rr_list *unglued = ldns_rr_list_new();
    for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++) {
        const ldns_rdf *host = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
        size_t before = z->n_addrs;
        z->n_addrs += scan_pkt_glue(referral, host, s->cfg->port, s->use_v4, s->use_v6,
                                    z->addrs + z->n_addrs, SCAN_MAX_ADDRS - z->n_addrs);
        if (z->n_addrs == before)
            ldns_rr_list_push_rr(unglued, ldns_rr_clone(ldns_rr_list_rr(ns, i)));
    }
    ldns_rr_list_free(ns);
    z->ns_names = unglued;

    if (z->n_addrs > 0 || ldns_rr_list_rr_count(unglued) == 0 || nesting >= SCAN_MAX_NESTING) {
        scan_zone_continue(s, z);
        return z;
    }
    /* Only names without glue: look them up (cached), then go on. */
    z->lookups_pending = 1;
    for (size_t i = 0; i < ldns_rr_list_rr_count(unglued) && i < 4; i++) {
        zone_entry_ctx_t *ec = malloc(sizeof *ec);
        if (!ec)
            abort();
        ec->s = s;
        ec->z = z;
        ec->e = scan_addr_lookup(s, ldns_rr_rdf(ldns_rr_list_rr(unglued, i), 0), nesting + 1,
                                 zone_entry_done, ec);
        if (!ec->e) {
            free(ec);
            continue;
        }
        if (ec->e->done) {
            zone_add_entry(z, ec->e);
            free(ec);
        } else {
            z->lookups_pending++;
        }
    }
    zone_ctx_t *zc = malloc(sizeof *zc);
    if (!zc)
        abort();
    zc->s = s;
    zc->z = z;
    zone_lookup_done(zc);
    return z;
}
