/*
 * Validation work budgets (KeyTrap, CVE-2023-50387; NSEC3 hashing, CVE-2023-50868): every
 * signature verification, DS digest and NSEC3 SHA-1 round is charged before it is done, to the
 * server's budget and to the domain's when the caller shares one. A charge that would pass a
 * limit is refused and remembered, so the judgement stops trying and says VALIDATION_LIMIT.
 */
#include "verify/internal.h"
#include "verify/sig_internal.h"

#include <stdio.h>
#include <string.h>

static void budget_reset(verify_budget_t *b, unsigned max_ops, unsigned max_hashes)
{
    memset(b, 0, sizeof *b);
    b->max_ops = max_ops;
    b->max_hashes = max_hashes;
}

void verify_budget_init(verify_budget_t *b, const verify_ctx_t *ctx)
{
    const verify_thresholds_t *t = verify_ctx_thresholds(ctx);
    budget_reset(b, t->max_ops_per_domain, t->max_hashes_per_domain);
}

void verify_sig_work_init(verify_sig_work_t *w, const verify_thresholds_t *t,
                          verify_budget_t *domain)
{
    budget_reset(&w->server, t->max_ops_per_server, t->max_hashes_per_server);
    w->domain = domain;
    w->max_keys_per_rrsig = t->max_keys_per_rrsig;
    w->max_rrsigs_per_rrset = t->max_rrsigs_per_rrset;
}

void verify_sig_work_init_call(verify_sig_work_t *w)
{
    verify_thresholds_t t;
    verify_thresholds_default(&t);
    verify_sig_work_init(w, &t, NULL);
}

/* Whether b can take n more of kind; if not, marks it exceeded with a text naming the limit. */
static bool budget_room(verify_budget_t *b, verify_sig_work_kind_t kind, unsigned n,
                        const char *scope)
{
    bool hash = kind == SIG_WORK_HASH;
    unsigned used = hash ? b->hashes : b->ops, max = hash ? b->max_hashes : b->max_ops;
    if (!b->exceeded && used <= max && n <= max - used)
        return true;
    b->refused++;
    if (!b->exceeded)
        snprintf(b->what, sizeof b->what, "%s budget of %u %s exhausted", scope, max,
                 hash ? "NSEC3 hash rounds" : "signature/digest operations");
    b->exceeded = true;
    return false;
}

static void budget_take(verify_budget_t *b, verify_sig_work_kind_t kind, unsigned n)
{
    if (kind == SIG_WORK_HASH) {
        b->hashes += n;
        return;
    }
    b->ops += n;
    if (kind == SIG_WORK_SIGNATURE)
        b->sig_ops += n;
}

static bool charge(verify_budget_t *server, verify_budget_t *domain, verify_sig_work_kind_t kind,
                   unsigned n)
{
    bool room = !server || budget_room(server, kind, n, "per-server");
    if (domain)
        room = budget_room(domain, kind, n, "per-domain") && room;
    if (!room)
        return false;
    if (server)
        budget_take(server, kind, n);
    if (domain)
        budget_take(domain, kind, n);
    return true;
}

bool verify_sig_work_charge(verify_sig_work_t *w, verify_sig_work_kind_t kind, unsigned n)
{
    return charge(&w->server, w->domain, kind, n);
}

bool verify_dn_charge_hashes(verify_budget_t *budget, verify_budget_t *domain, unsigned n)
{
    return charge(budget, domain, SIG_WORK_HASH, n);
}

void verify_dn_budget_default(verify_budget_t *b)
{
    verify_thresholds_t t;
    verify_thresholds_default(&t);
    budget_reset(b, t.max_ops_per_server, t.max_hashes_per_server);
}

void verify_sig_work_stop(verify_sig_work_t *w, const char *why)
{
    if (w->server.exceeded)
        return;
    w->server.exceeded = true;
    snprintf(w->server.what, sizeof w->server.what, "work on this server stopped after %s", why);
}

unsigned verify_sig_work_refused(const verify_sig_work_t *w)
{
    return w->server.refused + (w->domain ? w->domain->refused : 0);
}

const char *verify_sig_work_exceeded(const verify_sig_work_t *w)
{
    if (w->server.exceeded)
        return w->server.what;
    if (w->domain && w->domain->exceeded)
        return w->domain->what;
    return "";
}

bool verify_sig_ds_digest_needed(const ldns_rr *ds, const struct verify_key *key)
{
    return ldns_rr_get_type(ds) != LDNS_RR_TYPE_DNSKEY && verify_sig_rr_complete(ds, 4) &&
           ldns_rdf2native_int16(ldns_rr_rdf(ds, 0)) == key->key_tag &&
           ldns_rdf2native_int8(ldns_rr_rdf(ds, 1)) == key->algorithm &&
           verify_ds_digest_supported(ldns_rdf2native_int8(ldns_rr_rdf(ds, 2)));
}
