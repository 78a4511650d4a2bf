/*
 * One domain's questions: find its delegation by following referrals from the closest cached
 * zone, then ask every authoritative server address its DNSSEC questions (DNSKEY, SOA, A, CAA,
 * CDS, CDNSKEY and a random-label probe, with DO), then hand everything to a verification worker.
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"
#include "scanner/feed.h"
#include "scanner/record.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void domain_lookup(scan_domain_t *d);
static void domain_maybe_judge(scan_domain_t *d);

int scan_send(scanner_t *s, const struct sockaddr_storage *addrs, size_t n, const ldns_rdf *qname,
              const char *qname_str, uint16_t qtype, unsigned flags, io_callback_t cb, void *ctx)
{
    io_query_spec_t spec = {
        .servers = addrs,
        .n_servers = n > IO_MAX_SERVERS ? IO_MAX_SERVERS : n,
        .qname = qname,
        .qname_str = qname_str,
        .qtype = qtype,
        .qclass = LDNS_RR_CLASS_IN,
        .flags = flags,
        .cb = cb,
        .ctx = ctx,
    };
    int rc = io_query(s->io, &spec, NULL);
    if (rc == 0)
        s->stats.queries++;
    return rc;
}

void scan_domain_set_referral(scan_domain_t *d, ldns_pkt *pkt, bool block)
{
    if (d->referral_block)
        io_answer_free(d->referral);
    else
        ldns_pkt_free(d->referral);
    d->referral = pkt;
    d->referral_block = block;
}

void scan_domain_conclude(scan_domain_t *d, scan_outcome_t outcome, const char *fmt, ...)
{
    d->outcome = outcome;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->outcome_detail, sizeof d->outcome_detail, fmt, ap);
    va_end(ap);
    d->ready_to_judge = true;
    domain_maybe_judge(d);
}

void scan_domain_ds_unanswered(scan_domain_t *d, const scan_zone_t *silent, const char *who,
                               int status)
{
    d->parent_silent = true;
    d->silent_zone = silent;
    scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "%s gave no answer to %s DS (%s)", who,
                         d->name, io_strerror(status));
}

void scan_domain_conclude_below(scan_domain_t *d, const scan_zone_t *z)
{
    /* A zone whose servers could not be used is the scanner's trouble, a zone that fails
     * validation is what every resolver sees (SERVFAIL below it). */
    if (z->state == SCAN_ZONE_FAILED && z->silent) {
        d->parent_silent = true;
        /* Through a resolver, every zone's trouble of that kind is the resolver's. */
        d->silent_zone = d->s->cfg->resolver_count > 0 ? d->s->root : z;
    }
    scan_domain_conclude(
        d, z->state == SCAN_ZONE_FAILED ? SCAN_OUTCOME_INDETERMINATE : SCAN_OUTCOME_PARENT_BOGUS,
        "%s", z->why[0] ? z->why : "the zone above could not be validated");
}

static void domain_maybe_judge(scan_domain_t *d)
{
    if (!d->ready_to_judge || d->queries_pending > 0 || d->check_pending)
        return;
    d->ready_to_judge = false;
    scan_zone_t *z = d->zone;
    d->parent_security = z ? z->security : SCAN_ZONE_INSECURE;
    d->parent_keyset = z && z->keyset ? verify_keyset_ref(z->keyset) : NULL;
    d->now = d->s->cfg->now ? d->s->cfg->now : (int64_t)time(NULL);
    d->job.run = scan_judge_run;
    d->job.done = scan_domain_finished;
    d->job.arg = d;
    if (verify_pool_submit(d->s->pool, &d->job, 1) != 0) {
        /* The pool is bounded by the concurrency cap, so this cannot happen; judge inline. */
        scan_judge_run(d);
        scan_domain_finished(d);
    }
}

/* ---- the child's servers ---- */

/* NOERROR with records in the answer section, read from the header alone. */
static bool wire_has_answer(const uint8_t *wire, size_t len)
{
    return len >= 12 && (wire[3] & 0x0f) == 0 && (wire[6] << 8 | wire[7]) > 0;
}

static void server_answer(void *arg, const io_result_t *r);

/* --servers names (cli.md): DNSKEY and SOA go to every address, the other questions to one
 * address per NS name. Through a resolver there is one "server", asked everything. */
static bool plan_names(const scan_domain_t *d)
{
    return !d->s->cfg->servers_all && d->s->cfg->resolver_count == 0;
}

static bool is_apex_slot(int slot)
{
    return slot == SCAN_Q_DNSKEY || slot == SCAN_Q_SOA;
}

static void server_ask(scan_domain_t *d, size_t i, enum scan_qslot slot)
{
    scanner_t *s = d->s;
    scan_server_t *sv = &d->servers[i];
    sv->qctx[slot].domain = d;
    sv->qctx[slot].server = (uint8_t)i;
    sv->qctx[slot].slot = (uint8_t)slot;
    static const uint16_t types[SCAN_Q_COUNT] = {
        [SCAN_Q_DNSKEY] = LDNS_RR_TYPE_DNSKEY,
        [SCAN_Q_SOA] = LDNS_RR_TYPE_SOA,
        [SCAN_Q_A] = LDNS_RR_TYPE_A,
        [SCAN_Q_CAA] = LDNS_RR_TYPE_CAA,
        [SCAN_Q_CDS] = LDNS_RR_TYPE_CDS,
        [SCAN_Q_CDNSKEY] = LDNS_RR_TYPE_CDNSKEY,
        [SCAN_Q_PROBE] = LDNS_RR_TYPE_A,
        [SCAN_Q_CDS_TCP] = LDNS_RR_TYPE_CDS,
        [SCAN_Q_CDNSKEY_TCP] = LDNS_RR_TYPE_CDNSKEY,
    };
    unsigned tcp = slot >= SCAN_Q_CDS_TCP ? IO_FLAG_TCP_ONLY : 0;
    char probe[SCANNER_NAME_MAX + 32];
    const char *qname_str = NULL;
    const ldns_rdf *qname = d->dname;
    if (slot == SCAN_Q_PROBE) {
        snprintf(probe, sizeof probe, "%s.%s.", d->probe_label, d->name);
        qname_str = probe;
        qname = NULL;
    }
    /* The answers are parsed by the verification worker: the loop only keeps their bytes. */
    int rc = scan_send(s, &sv->addr, 1, qname, qname_str, types[slot],
                       s->query_flags | IO_FLAG_NO_PARSE | tcp, server_answer, &sv->qctx[slot]);
    if (rc == 0) {
        d->queries++;
        d->queries_pending++;
        if (is_apex_slot(slot))
            sv->apex_pending++;
        else
            sv->others_pending++;
    } else {
        sv->errors[slot] = rc;
        if (!is_apex_slot(slot))
            sv->others_failed = true;
    }
}

static void name_settle(scan_domain_t *d, const char *ns_name);

static void server_ask_dnssec(scan_domain_t *d, size_t i)
{
    if (d->servers[i].dnssec_asked)
        return;
    d->servers[i].dnssec_asked = true;
    for (int slot = SCAN_Q_A; slot <= SCAN_Q_PROBE; slot++)
        server_ask(d, i, (enum scan_qslot)slot);
    /* Nothing could be sent: the name's next address takes over at once. */
    if (plan_names(d) && d->servers[i].others_pending == 0 && d->servers[i].others_failed)
        name_settle(d, d->servers[i].ns_name);
}

/* An authoritative NOERROR to SOA (and DNSKEY answered), read from the headers: an address
 * that can be judged, so the one worth the other questions. Unsigned zones (no DS, no DNSKEY
 * served) get no other questions, as under --servers all. */
static bool name_candidate(const scan_domain_t *d, const scan_server_t *sv)
{
    const uint8_t *soa = sv->wire[SCAN_Q_SOA];
    if (sv->errors[SCAN_Q_DNSKEY] || sv->errors[SCAN_Q_SOA] || !soa ||
        sv->wire_len[SCAN_Q_SOA] < 12)
        return false;
    bool aa = (soa[2] & 0x04) != 0;
    bool noerror = (soa[3] & 0x0f) == 0;
    return aa && noerror && (d->signed_hint || sv->dnskey_served);
}

/* Once every address of the NS name has answered DNSKEY and SOA (or given up), the lowest usable
 * address is asked the other questions; when one of those gets no answer, the next usable
 * address of the name is asked them too, so that one silent address never stands for a name
 * whose other addresses answer. Deterministic: the same answers choose the same address. */
static void name_settle(scan_domain_t *d, const char *ns_name)
{
    scan_server_t *pick = NULL;
    size_t pick_i = 0;
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_server_t *sv = &d->servers[i];
        if (strcmp(sv->ns_name, ns_name) != 0)
            continue;
        if (sv->apex_pending > 0)
            return;
        if (sv->dnssec_asked && (sv->others_pending > 0 || !sv->others_failed))
            return;
        if (sv->dnssec_asked || !name_candidate(d, sv))
            continue;
        if (!pick || scan_addr_cmp(&sv->addr, &pick->addr) < 0) {
            pick = sv;
            pick_i = i;
        }
    }
    if (pick)
        server_ask_dnssec(d, pick_i);
}

static void server_answer(void *arg, const io_result_t *r)
{
    scan_qctx_t *q = arg;
    scan_domain_t *d = q->domain;
    scan_server_t *sv = &d->servers[q->server];
    sv->errors[q->slot] = r->status;
    if (r->status == 0 && r->wire && r->wire_len <= UINT16_MAX) {
        sv->wire[q->slot] = malloc(r->wire_len);
        if (sv->wire[q->slot]) {
            memcpy(sv->wire[q->slot], r->wire, r->wire_len);
            sv->wire_len[q->slot] = (uint16_t)r->wire_len;
        } else {
            sv->errors[q->slot] = IO_ENOMEM;
        }
    }
    if (r->pkt)
        ldns_pkt_free(r->pkt);
    if (q->slot == SCAN_Q_SOA && r->status == 0)
        sv->rtt_ms = r->rtt_ms;
    if (q->slot == SCAN_Q_DNSKEY && r->status == 0 && wire_has_answer(r->wire, r->wire_len))
        sv->dnskey_served = true;
    if ((q->slot == SCAN_Q_CDS || q->slot == SCAN_Q_CDNSKEY) && d->s->cfg->resolver_count == 0 &&
        r->status == 0 && wire_has_answer(r->wire, r->wire_len))
        server_ask(d, q->server, q->slot == SCAN_Q_CDS ? SCAN_Q_CDS_TCP : SCAN_Q_CDNSKEY_TCP);
    /* No DS at the parent and CDS/CDNSKEY served: RFC 9615 bootstrapping signals. */
    if ((q->slot == SCAN_Q_CDS || q->slot == SCAN_Q_CDNSKEY) && d->s->cfg->resolver_count == 0 &&
        !d->signed_hint && r->status == 0 && wire_has_answer(r->wire, r->wire_len))
        scan_dsboot_start(d);
    if (is_apex_slot(q->slot)) {
        sv->apex_pending--;
    } else {
        sv->others_pending--;
        if (sv->errors[q->slot] != 0)
            sv->others_failed = true;
    }
    if (!plan_names(d)) {
        /* DNSKEYs served: ask the DNSSEC questions (the worker checks what they really are). */
        if (q->slot == SCAN_Q_DNSKEY && sv->dnskey_served)
            server_ask_dnssec(d, q->server);
    } else if (is_apex_slot(q->slot) ? sv->apex_pending == 0
                                     : sv->others_pending == 0 && sv->others_failed) {
        name_settle(d, sv->ns_name);
    }
    d->queries_pending--;
    domain_maybe_judge(d);
}

void scan_domain_ask_servers(scan_domain_t *d)
{
    if (d->n_servers == 0) {
        d->ready_to_judge = true;
        domain_maybe_judge(d);
        return;
    }
    ldns_rr_list *ds = scan_pkt_rrs(d->referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_DS, d->dname);
    d->signed_hint = ldns_rr_list_rr_count(ds) > 0;
    ldns_rr_list_free(ds);
    uint64_t rnd = scan_random(d->s);
    snprintf(d->probe_label, sizeof d->probe_label, "dnssweep-%08x", (unsigned)rnd);
    /* Hold the judgement until every question is out. */
    d->queries_pending++;
    bool names = plan_names(d);
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_addr_text(&d->servers[i].addr, d->servers[i].addr_text,
                       sizeof d->servers[i].addr_text);
        server_ask(d, i, SCAN_Q_DNSKEY);
        server_ask(d, i, SCAN_Q_SOA);
        if (d->signed_hint && !names)
            server_ask_dnssec(d, i);
    }
    /* Names whose addresses could not be asked at all settle now (nothing more will come). */
    for (size_t i = 0; names && i < d->n_servers; i++)
        if (d->servers[i].apex_pending == 0)
            name_settle(d, d->servers[i].ns_name);
    d->queries_pending--;
    d->ready_to_judge = true;
    domain_maybe_judge(d);
}

void scan_domain_add_server(scan_domain_t *d, const char *ns_name,
                            const struct sockaddr_storage *addr)
{
    for (size_t i = 0; i < d->n_servers; i++) {
        const struct sockaddr_storage *a = &d->servers[i].addr;
        size_t len =
            a->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
        if (a->ss_family == addr->ss_family && memcmp(a, addr, len) == 0)
            return;
    }
    if (d->n_servers == SCAN_MAX_ADDRS)
        return;
    if (d->n_servers == d->cap_servers) {
        /* Most delegations have 2-4 addresses: grow from 2 instead of reserving the maximum
         * in every one of the domains in flight. */
        size_t cap = d->cap_servers ? d->cap_servers * 2 : 2;
        scan_server_t *grown = realloc(d->servers, cap * sizeof *grown);
        if (!grown)
            return;
        d->servers = grown;
        d->cap_servers = cap;
    }
    scan_server_t *sv = &d->servers[d->n_servers++];
    memset(sv, 0, sizeof *sv);
    /* Names come back in the random case of our 0x20 questions: store them folded. */
    snprintf(sv->ns_name, sizeof sv->ns_name, "%s", ns_name);
    for (char *p = sv->ns_name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    sv->addr = *addr;
    sv->unusable_reason = -1;
}

typedef struct ns_wait {
    scan_domain_t *d;
    scan_addr_entry_t *entry;
} ns_wait_t;

static void add_entry_servers(scan_domain_t *d, const scan_addr_entry_t *e)
{
    for (size_t i = 0; i < e->n_addrs; i++)
        scan_domain_add_server(d, e->name, &e->addrs[i]);
}

static void ns_lookup_done(void *arg)
{
    ns_wait_t *w = arg;
    scan_domain_t *d = w->d;
    add_entry_servers(d, w->entry);
    free(w);
    if (--d->lookups_pending == 0)
        scan_domain_ask_servers(d);
}

static void delegation_found(scan_domain_t *d)
{
    scanner_t *s = d->s;
    /* Borrowed from d->referral, which stays as it is until the domain is freed. */
    ldns_rr_list *ns_rrs =
        scan_pkt_rrs(d->referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NS, d->dname);
    d->lookups_pending = 1;
    for (size_t i = 0; i < ldns_rr_list_rr_count(ns_rrs); i++) {
        const ldns_rdf *host = ldns_rr_rdf(ldns_rr_list_rr(ns_rrs, i), 0);
        char host_text[VERIFY_NAME_TEXT_LEN];
        if (!host || verify_name_text(ldns_rdf_data(host), ldns_rdf_size(host), host_text,
                                      sizeof host_text) < 0)
            snprintf(host_text, sizeof host_text, "?");
        struct sockaddr_storage glue[SCAN_MAX_ADDRS];
        size_t n = scan_pkt_glue(d->referral, host, s->cfg->port, s->use_v4, s->use_v6, glue,
                                 SCAN_MAX_ADDRS);
        for (size_t k = 0; k < n; k++)
            scan_domain_add_server(d, host_text, &glue[k]);
        if (n > 0)
            continue;
        ns_wait_t *w = malloc(sizeof *w);
        if (!w)
            abort();
        w->d = d;
        w->entry = scan_addr_lookup(s, host, 1, ns_lookup_done, w);
        if (!w->entry) {
            free(w);
        } else if (w->entry->done) {
            add_entry_servers(d, w->entry);
            free(w);
        } else {
            d->lookups_pending++;
        }
    }
    ldns_rr_list_free(ns_rrs);
    if (--d->lookups_pending == 0)
        scan_domain_ask_servers(d);
}

/* ---- the parent side ---- */

/* d->referral is a referral from d->zone's servers to a cut at or above the domain: follow it. */
static void referral_follow(scan_domain_t *d)
{
    scanner_t *s = d->s;
    const ldns_rdf *cut = scan_pkt_referral_cut(d->referral);
    if (cut && ldns_dname_compare(cut, d->dname) == 0) {
        delegation_found(d);
        return;
    }
    if (!cut) {
        scan_domain_set_referral(d, NULL, false);
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "no delegation in the answer");
        return;
    }
    if (++d->referrals > SCAN_MAX_REFERRALS) {
        scan_domain_set_referral(d, NULL, false);
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "more than %d referrals",
                             SCAN_MAX_REFERRALS);
        return;
    }
    scan_zone_t *next = scan_zone_from_referral(s, d->zone, d->referral, cut, 0);
    scan_domain_set_referral(d, NULL, false); /* the zone cloned what it keeps */
    if (!next) {
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "out of memory");
        return;
    }
    d->zone = next;
    domain_lookup(d);
}

/* The answer came from a zone below d->zone (cuts.c): go on from the zone found, or, when none
 * was, take the answer as it is (its judgement then says what is wrong with it). */
static void cut_search_done(scan_domain_t *d, bool found)
{
    if (!found) {
        referral_follow(d);
        return;
    }
    scan_domain_set_referral(d, NULL, false);
    domain_lookup(d);
}

/* The parent's server also serves the child (no referral): build the referral's content from
 * the NS answer and the parent's answer to DS. */
static void ds_answer(void *arg, const io_result_t *r)
{
    scan_domain_t *d = arg;
    d->queries_pending--;
    if (r->status != 0) {
        char who[SCANNER_NAME_MAX + 32];
        snprintf(who, sizeof who, "the servers of %s", d->zone->name);
        scan_domain_ds_unanswered(d, d->zone, who, r->status);
        return;
    }
    ldns_pkt *combined = scan_ds_answer_as_referral(r->pkt, d->referral);
    scan_domain_set_referral(d, combined, false);
    /* The server may hold the zone of the DS too, below the one the walk presumed. */
    bool searching = scan_cut_check(d, r->pkt, d->dname, r->server, cut_search_done);
    ldns_pkt_free(r->pkt);
    if (!searching)
        delegation_found(d);
}

static void referral_handle(scan_domain_t *d, const io_result_t *r)
{
    scanner_t *s = d->s;
    scan_zone_t *z = d->zone;
    d->queries_pending--;
    if (r->status != 0) {
        d->parent_silent = true;
        d->silent_zone = z;
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE,
                             "the servers of the parent zone %s gave no answer (%s)", z->name,
                             io_strerror(r->status));
        return;
    }
    if (z == s->root)
        scan_breaker_root_answered(s);
    /* A block (IO_FLAG_BLOCK, domain_lookup()): kept as the domain's referral, or freed here
     * with io_answer_free() once scan_zone_from_referral() has cloned what the zone keeps. */
    ldns_pkt *pkt = r->pkt;
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
    const ldns_rdf *cut = scan_pkt_referral_cut(pkt);
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        io_answer_free(pkt);
        scan_domain_conclude(d, SCAN_OUTCOME_NXDOMAIN, "zone %s answers NXDOMAIN for %s", z->name,
                             d->name);
        return;
    }
    if (rcode == LDNS_RCODE_NOERROR && !ldns_pkt_aa(pkt) && cut &&
        ldns_dname_is_subdomain(cut, z->dname) &&
        (ldns_dname_compare(cut, d->dname) == 0 || ldns_dname_is_subdomain(d->dname, cut))) {
        scan_domain_set_referral(d, pkt, true);
        /* The referral may come from a zone below z that the same server holds. */
        if (!scan_cut_check(d, pkt, cut, r->server, cut_search_done))
            referral_follow(d);
        return;
    }
    if (rcode == LDNS_RCODE_NOERROR && ldns_pkt_aa(pkt)) {
        ldns_rr_list *ns = scan_pkt_rrs(pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_NS, d->dname);
        bool apex = ldns_rr_list_rr_count(ns) > 0;
        ldns_rr_list_free(ns);
        if (!apex) {
            io_answer_free(pkt);
            scan_domain_conclude(d, SCAN_OUTCOME_NXDOMAIN,
                                 "%s exists in zone %s but is not delegated", d->name, z->name);
            return;
        }
        scan_domain_set_referral(d, pkt, true);
        size_t n = z->n_addrs < IO_MAX_SERVERS ? z->n_addrs : IO_MAX_SERVERS;
        if (scan_send(s, z->addrs, n, d->dname, NULL, LDNS_RR_TYPE_DS, IO_FLAG_DO, ds_answer, d) !=
            0) {
            scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "could not send the DS query");
            return;
        }
        d->queries++;
        d->queries_pending++;
        return;
    }
    char rcode_text[32];
    ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
    snprintf(rcode_text, sizeof rcode_text, "%s", lt ? lt->name : "unknown rcode");
    io_answer_free(pkt);
    scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE,
                         "a server of the parent zone %s answered %s for %s", z->name, rcode_text,
                         d->name);
}

static void referral_answer(void *arg, const io_result_t *r)
{
    scan_domain_t *d = arg;
    scanner_t *s = d->s;
    scan_gate_t *gate = d->gate;
    d->gate = NULL;
    referral_handle(d, r);
    if (gate)
        scan_gate_open(s, gate);
}

static void domain_zone_ready(void *arg)
{
    domain_lookup(arg);
}

static void domain_gate_opened(void *arg)
{
    scan_domain_t *d = arg;
    d->zone = scan_zone_closest(d->s, d->dname, true);
    domain_lookup(d);
}

/* The name one label below zone on the way down to the domain, when that is not the domain
 * itself: the next zone cut may be there, and one question finds out for everyone. */
static ldns_rdf *next_label_below(const scan_domain_t *d, const scan_zone_t *z)
{
    uint8_t nd = ldns_dname_label_count(d->dname);
    uint8_t nz = ldns_dname_label_count(z->dname);
    if (nd < nz + 2)
        return NULL;
    return ldns_dname_clone_from(d->dname, (uint16_t)(nd - nz - 1));
}

static void domain_lookup(scan_domain_t *d)
{
    scan_zone_t *z = d->zone;
    if (scan_zone_wait(z, domain_zone_ready, d))
        return;
    if (z->state == SCAN_ZONE_FAILED || z->security == SCAN_ZONE_BOGUS) {
        scan_domain_conclude_below(d, z);
        return;
    }
    if (d->file_referral && scan_file_delegation(d)) /* --zone-file: zonefeed.c */
        return;
    ldns_rdf *next = next_label_below(d, z);
    if (next) {
        int wait = scan_gate_enter(d->s, next, domain_gate_opened, d, &d->gate);
        ldns_rdf_deep_free(next);
        if (wait)
            return;
    }
    size_t n = z->n_addrs < IO_MAX_SERVERS ? z->n_addrs : IO_MAX_SERVERS;
    if (scan_send(d->s, z->addrs, n, d->dname, NULL, LDNS_RR_TYPE_NS, IO_FLAG_DO | IO_FLAG_BLOCK,
                  referral_answer, d) != 0) {
        if (d->gate) {
            scan_gate_open(d->s, d->gate);
            d->gate = NULL;
        }
        d->parent_silent = true;
        d->silent_zone = z;
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "could not send the referral query");
        return;
    }
    d->queries++;
    d->queries_pending++;
}

/* ---- entry points for zonefeed.c (--zone-file) ---- */

void scan_domain_delegation(scan_domain_t *d)
{
    delegation_found(d);
}

void scan_domain_question_done(scan_domain_t *d)
{
    d->queries_pending--;
    domain_maybe_judge(d);
}

/* ---- what a validating resolver says (--check-resolver) ---- */

static void check_answer(void *arg, const io_result_t *r)
{
    scan_domain_t *d = arg;
    d->check_error = r->status;
    d->check_answer = r->status == 0 ? r->pkt : NULL;
    d->check_pending = false;
    domain_maybe_judge(d);
}

void scan_domain_start(scanner_t *s, scan_domain_t *d)
{
    d->s = s;
    if (s->cfg->check_resolver_set) {
        if (scan_send(s, &s->cfg->check_resolver, 1, d->dname, NULL, LDNS_RR_TYPE_SOA,
                      IO_FLAG_DO | IO_FLAG_RD, check_answer, d) == 0)
            d->check_pending = true;
    }
    if (s->cfg->resolver_count > 0) {
        scan_resolver_domain_start(d);
        return;
    }
    d->zone = scan_zone_closest(s, d->dname, true);
    if (d->zone != s->root)
        s->stats.zone_cache_hits++;
    domain_lookup(d);
}
