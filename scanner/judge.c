/*
 * On a verification worker: judge the parent's side of the delegation, each server's answers
 * (verify_zone), and merge the per-server verdicts into the domain's status, reasons and fix
 * exactly as verdicts.md says; then build the record the store and the JSON output take.
 */
#include "scanner/internal.h"
#include "scanner/domain.h"
#include "scanner/record.h"
#include "scanner/settings.h"
#include "text/text.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for one more element in *arr (elements of size elem, *cap of them, n used):
 * 0, or -1 when out of memory. */
int scan_record_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t want = *cap ? *cap * 2 : 8;
    void *bigger = realloc(*arr, want * elem);
    if (!bigger)
        return -1;
    *arr = bigger;
    *cap = want;
    return 0;
}

const char *scan_record_keep(scan_record_t *r, const char *text)
{
    if (!text || scan_record_grow((void **)&r->strings, &r->cap_strings, r->n_strings,
                                  sizeof *r->strings) < 0)
        return NULL;
    char *copy = strdup(text);
    if (copy)
        r->strings[r->n_strings++] = copy;
    return copy;
}

static const char *keepf(scan_record_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static const char *keepf(scan_record_t *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return scan_record_keep(r, buf);
}

void scan_record_free(scan_record_t *r)
{
    if (!r)
        return;
    text_free_all(r->strings, r->n_strings);
    void *arrays[] = {r->reasons,     r->ds,          r->dnskey, r->dnskey_roles,  r->cds,
                      r->cds_servers, r->cds_records, r->dsboot, r->dsboot_records};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        free(arrays[i]);
    free(r);
}

void scan_record_add_reason(scan_record_t *r, verify_reason_code_t code, const char *server,
                            const char *rrset, const char *detail)
{
    results_record_t *rec = &r->rec;
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const results_reason_t *o = &r->reasons[i];
        if (o->code == code &&
            ((!o->server && !server) || (o->server && server && strcmp(o->server, server) == 0)))
            return;
    }
    if (scan_record_grow((void **)&r->reasons, &r->cap_reasons, rec->n_reasons,
                         sizeof *r->reasons) < 0)
        return;
    rec->reasons = r->reasons;
    results_reason_t *x = &r->reasons[rec->n_reasons++];
    x->code = code;
    x->server = scan_record_keep(r, server);
    x->rrset = scan_record_keep(r, rrset);
    x->detail = scan_record_keep(r, detail);
}

static bool has_apex_soa(const ldns_pkt *pkt, const ldns_rdf *zone)
{
    const ldns_rr_list *an = ldns_pkt_answer(pkt);
    for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
        const ldns_rr *rr = ldns_rr_list_rr(an, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
            ldns_dname_compare(ldns_rr_owner(rr), zone) == 0)
            return true;
    }
    return false;
}

/* A server is usable when it answered SOA and DNSKEY with an authoritative NOERROR (through a
 * resolver, which sets no AA bit: with NOERROR and the zone's own SOA). */
static bool server_usable(scan_server_t *sv, const scan_domain_t *d)
{
    bool via_resolver = d->s->cfg->resolver_count > 0;
    for (int slot = SCAN_Q_DNSKEY; slot <= SCAN_Q_SOA; slot++) {
        if (sv->errors[slot] != 0) {
            sv->unusable_reason = VERIFY_REASON_NS_UNREACHABLE;
            snprintf(sv->unusable_detail, sizeof sv->unusable_detail,
                     "%s (%s) gave no usable answer over UDP or TCP: %s", sv->ns_name,
                     sv->addr_text, io_strerror(sv->errors[slot]));
            return false;
        }
    }
    const ldns_pkt *soa = sv->answers[SCAN_Q_SOA];
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(soa);
    /* Through a resolver there is no AA bit to read: a NOERROR answer is judged on its
     * content (an empty one is DENIAL_MISSING there, not a lame resolver). */
    if (via_resolver && rcode == LDNS_RCODE_NOERROR)
        return true;
    if (via_resolver && rcode == LDNS_RCODE_SERVFAIL) {
        sv->unusable_reason = VERIFY_REASON_NS_UNREACHABLE;
        snprintf(sv->unusable_detail, sizeof sv->unusable_detail,
                 "the resolver answered SERVFAIL for the zone's SOA even with CD set: none of "
                 "the zone's servers gave it a usable answer");
        return false;
    }
    if (rcode != LDNS_RCODE_NOERROR || !ldns_pkt_aa(soa)) {
        ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
        sv->unusable_reason = VERIFY_REASON_NS_LAME;
        snprintf(sv->unusable_detail, sizeof sv->unusable_detail,
                 "%s (%s) answered %s%s for the zone", sv->ns_name, sv->addr_text,
                 lt ? lt->name : "?", ldns_pkt_aa(soa) ? "" : " without AA");
        return false;
    }
    return true;
}

static bool verdict_has_rrset_reason(const verify_verdict_t *v, verify_reason_code_t code,
                                     const char *rrset)
{
    for (size_t i = 0; i < v->n_reasons; i++)
        if (v->reasons[i].code == code && strcmp(v->reasons[i].rrset, rrset) == 0)
            return true;
    return false;
}

static const char *strip_dot(char *name)
{
    size_t len = strlen(name);
    if (len > 1 && name[len - 1] == '.')
        name[len - 1] = '\0';
    return name;
}

static void record_fix(scan_record_t *r, const scan_domain_t *d, const verify_verdict_t *first)
{
    char text[4096];
    scan_fix_write(r, d, first, text, sizeof text);
    r->rec.fix = text[0] ? scan_record_keep(r, text) : NULL;
}

/* A zone above fails validation: nothing for the domain's owner to change; the fix says who
 * must act and what their fastest way out is. */
static const char *parent_bogus_fix(scan_record_t *r, const scan_domain_t *d)
{
    char zone[LDNS_MAX_DOMAINLEN + 2];
    snprintf(zone, sizeof zone, "%s", d->zone ? d->zone->name : ".");
    strip_dot(zone);
    return keepf(r,
                 "Nothing to change in %s: the zone above it, %s, fails validation (%s), so "
                 "validating resolvers answer SERVFAIL for every name below %s. Ask the operator "
                 "of %s to fix it; their fastest way out is to remove the DS of %s at its "
                 "registrar (resolvers may then keep the old DS for up to its TTL, often 1 to 24 "
                 "hours). Check: delv %s SOA",
                 d->name, zone, d->outcome_detail, zone, zone, zone, d->name);
}

static void record_parent(scan_record_t *r, scan_domain_t *d, const ldns_rr_list *ds)
{
    results_record_t *rec = &r->rec;
    char zone[LDNS_MAX_DOMAINLEN + 2];
    snprintf(zone, sizeof zone, "%s", d->zone ? d->zone->name : ".");
    rec->parent.zone = scan_record_keep(r, strip_dot(zone));
    /* A parent that fails validation is still a signed zone (it has keys and a DS). */
    rec->parent.is_signed =
        d->parent_security == SCAN_ZONE_SECURE || d->parent_security == SCAN_ZONE_BOGUS;
    rec->parent.ds_from_zone_file = d->ds_from_file; /* --zone-file */
    size_t n_ds = ds ? ldns_rr_list_rr_count(ds) : 0;
    if (n_ds && !r->ds && !(r->ds = calloc(n_ds, sizeof *r->ds)))
        n_ds = 0;
    rec->parent.ds = r->ds;
    for (size_t i = 0; i < n_ds; i++) {
        ldns_rr *rr = ldns_rr_list_rr(ds, i);
        if (ldns_rr_rd_count(rr) < 4)
            continue;
        results_ds_t *x = &r->ds[rec->parent.n_ds++];
        x->key_tag = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
        x->algorithm = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
        x->digest_type = ldns_rdf2native_int8(ldns_rr_rdf(rr, 2));
        /* Upper-case hex without ldns_rdf2str (a 64 KB buffer and a printf per octet). */
        const ldns_rdf *digest = ldns_rr_rdf(rr, 3);
        char small[2 * 64 + 1], *hex = small;
        size_t need = 2 * ldns_rdf_size(digest) + 1;
        if (need > sizeof small)
            hex = malloc(need);
        if (hex)
            verify_hex_text(ldns_rdf_data(digest), ldns_rdf_size(digest), hex, need);
        x->digest = scan_record_keep(r, hex);
        if (hex != small)
            free(hex);
        rec->parent.ds_ttl = ldns_rr_ttl(rr);
    }
}

/* A record the walk settled without asking the zone's servers: the parent as far as known, the
 * status and its one reason, about the domain's TYPE RRset. */
static void record_outcome(scan_record_t *r, scan_domain_t *d, verify_status_t status,
                           verify_reason_code_t code, const char *type, const char *detail)
{
    char rrset[300];
    record_parent(r, d, NULL);
    r->rec.status = status;
    snprintf(rrset, sizeof rrset, "%s/%s", d->name, type);
    scan_record_add_reason(r, code, NULL, rrset, detail);
}

/* Reads the first EDNS Extended DNS Error INFO-CODE of an answer, or -1. */
static int answer_ede(const ldns_pkt *pkt)
{
    const ldns_rdf *opts = ldns_pkt_edns_data(pkt);
    if (!opts)
        return -1;
    const uint8_t *p = ldns_rdf_data(opts);
    size_t len = ldns_rdf_size(opts);
    for (size_t off = 0; off + 4 <= len;) {
        uint16_t code = (uint16_t)(p[off] << 8 | p[off + 1]);
        uint16_t olen = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
        if (off + 4 + olen > len)
            break;
        if (code == 15 && olen >= 2)
            return p[off + 4] << 8 | p[off + 5];
        off += 4 + (size_t)olen;
    }
    return -1;
}

/* Errors that break only answers other than the SOA (CAA, negative answers, an unanswered or
 * refused A or probe): a validating resolver asked for the SOA still answers it securely.
 * The same codes on the SOA RRset itself break the SOA answer. */
static bool breaks_only_other_answers(verify_reason_code_t code, const char *rrset)
{
    const char *type = rrset ? strrchr(rrset, '/') : NULL;
    if (type && (strcmp(type, "/SOA") == 0 || strcmp(type, "/DNSKEY") == 0))
        return false;
    return code == VERIFY_REASON_CAA_BOGUS || code == VERIFY_REASON_DENIAL_MISSING ||
           code == VERIFY_REASON_DENIAL_INVALID ||
           (type && (code == VERIFY_REASON_NS_UNREACHABLE || code == VERIFY_REASON_NS_LAME));
}

/* What a validating resolver should answer for the domain's SOA, given our verdict. The
 * resolver check asks SOA, so a zone whose only errors are in other answers (a bogus CAA or
 * denial) is expected to validate; with servers that disagree, either answer is possible. */
typedef enum { EXPECT_AD, EXPECT_NO_AD, EXPECT_NXDOMAIN, EXPECT_SERVFAIL, EXPECT_EITHER } expect_t;

static expect_t resolver_expectation(const results_record_t *rec)
{
    switch (rec->status) {
    case VERIFY_STATUS_SECURE:
        return EXPECT_AD;
    case VERIFY_STATUS_INSECURE:
        return EXPECT_NO_AD;
    case VERIFY_STATUS_NXDOMAIN:
        return EXPECT_NXDOMAIN;
    case VERIFY_STATUS_BOGUS: {
        bool soa_path_broken = false;
        for (size_t i = 0; i < rec->n_reasons; i++) {
            verify_reason_code_t code = rec->reasons[i].code;
            if (code == VERIFY_REASON_NS_INCONSISTENT)
                return EXPECT_EITHER;
            if (verify_reason_severity(code) == VERIFY_SEVERITY_ERROR &&
                !breaks_only_other_answers(code, rec->reasons[i].rrset))
                soa_path_broken = true;
        }
        return soa_path_broken ? EXPECT_SERVFAIL : EXPECT_AD;
    }
    default:
        return EXPECT_SERVFAIL;
    }
}

static void record_resolver_check(scan_record_t *r, const scan_domain_t *d)
{
    results_resolver_check_t *c = &r->rec.resolver_check;
    if (!d->s->cfg->check_resolver_set)
        return;
    c->present = true;
    c->rcode = -1;
    c->ede = -1;
    if (d->check_answer) {
        c->ad = ldns_pkt_ad(d->check_answer);
        c->rcode = (int)ldns_pkt_get_rcode(d->check_answer);
        c->ede = answer_ede(d->check_answer);
    }
    bool servfail = c->rcode == LDNS_RCODE_SERVFAIL || c->rcode < 0;
    bool secure = c->rcode == LDNS_RCODE_NOERROR && c->ad;
    switch (resolver_expectation(&r->rec)) {
    case EXPECT_AD:
        c->disagrees = !secure;
        break;
    case EXPECT_NO_AD:
        c->disagrees = !(c->rcode == LDNS_RCODE_NOERROR && !c->ad);
        break;
    case EXPECT_NXDOMAIN:
        c->disagrees = c->rcode != LDNS_RCODE_NXDOMAIN;
        break;
    case EXPECT_SERVFAIL:
        c->disagrees = !servfail;
        break;
    case EXPECT_EITHER:
        c->disagrees = !(secure || servfail);
        break;
    }
}

/* A bogus verdict whose only errors are answers that never came (NS_UNREACHABLE). */
static bool only_missing_answers(const verify_verdict_t *v)
{
    bool any = false;
    for (size_t i = 0; i < v->n_reasons; i++) {
        verify_reason_code_t code = v->reasons[i].code;
        if (verify_reason_severity(code) != VERIFY_SEVERITY_ERROR)
            continue;
        if (code != VERIFY_REASON_NS_UNREACHABLE)
            return false;
        any = true;
    }
    return any && v->status == VERIFY_STATUS_BOGUS;
}

/* Whether the server's verdict speaks about rrset: an address asked only DNSKEY and SOA says
 * nothing about the other answers (neither that they are fine nor that they are broken). */
static bool judged_rrset(const scan_domain_t *d, const scan_server_t *sv, const char *rrset)
{
    if (!sv->apex_only)
        return true;
    static const char *const apex_types[] = {"DNSKEY", "SOA", "DS"};
    size_t n = strlen(d->name);
    if (!rrset || strncmp(rrset, d->name, n) != 0 || rrset[n] != '/')
        return false;
    for (size_t i = 0; i < sizeof apex_types / sizeof apex_types[0]; i++)
        if (strcmp(rrset + n + 1, apex_types[i]) == 0)
            return true;
    return false;
}

/* The status of sv's verdict to compare with other's: when one of the two was asked DNSKEY
 * and SOA alone, both are compared on those answers only (a CAA error on the address asked
 * CAA is no disagreement with one that was not asked). */
static verify_status_t compared_status(const scan_server_t *sv, const scan_server_t *other)
{
    return sv->apex_only != other->apex_only ? sv->verdict->apex_status : sv->verdict->status;
}

static verify_status_t merge_servers(scan_record_t *r, scan_domain_t *d, verify_parent_state_t ps,
                                     const ldns_rr_list *ds, verify_budget_t *budget,
                                     verify_verdict_t **first_out)
{
    const scanner_t *s = d->s;
    size_t usable = 0;
    verify_verdict_t *first = NULL;
    const scan_server_t *first_sv = NULL;
    verify_status_t status = VERIFY_STATUS_SECURE;
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_server_t *sv = &d->servers[i];
        sv->status = VERIFY_STATUS_LAME;
        /* --servers names: an address never asked the other questions is judged on DNSKEY and
         * SOA alone, never called unreachable for what it was not asked. */
        sv->apex_only = !s->cfg->servers_all && s->cfg->resolver_count == 0 && !sv->dnssec_asked;
        if (!server_usable(sv, d))
            continue;
        verify_zone_input_t in = {
            .zone = d->dname,
            .parent = ps,
            .parent_ds = ds,
            .dnskey = sv->answers[SCAN_Q_DNSKEY],
            .soa = sv->answers[SCAN_Q_SOA],
            .a = sv->answers[SCAN_Q_A],
            .caa = sv->answers[SCAN_Q_CAA],
            .cds = sv->answers[SCAN_Q_CDS],
            .cdnskey = sv->answers[SCAN_Q_CDNSKEY],
            .nxdomain_probe = sv->answers[SCAN_Q_PROBE],
            .now = d->now,
            .domain_budget = budget,
            .via_resolver = s->cfg->resolver_count > 0,
            .apex_only = sv->apex_only,
        };
        if (verify_zone(s->vctx, &in, &sv->verdict) != 0 || !sv->verdict) {
            sv->unusable_reason = VERIFY_REASON_NS_UNREACHABLE;
            char addr[sizeof sv->addr_text];
            memcpy(addr, sv->addr_text, sizeof addr);
            snprintf(sv->unusable_detail, sizeof sv->unusable_detail,
                     "verification of %s's answers failed to run", addr);
            continue;
        }
        sv->status = sv->verdict->status;
        if (only_missing_answers(sv->verdict)) {
            /* The server answered some questions and never others: like a dead server, its
             * trouble is a reason (NS_UNREACHABLE for it), not the domain's validation (a
             * resolver asks another server); the domain is lame only when all are like it. */
            sv->status = VERIFY_STATUS_LAME;
            sv->partial = true;
            continue;
        }
        usable++;
        if (!first) {
            first = sv->verdict;
            first_sv = sv;
        }
        if (sv->status == VERIFY_STATUS_BOGUS)
            status = VERIFY_STATUS_BOGUS;
        else if (sv->status == VERIFY_STATUS_INDETERMINATE && status != VERIFY_STATUS_BOGUS)
            status = VERIFY_STATUS_INDETERMINATE;
        else if (sv->status == VERIFY_STATUS_INSECURE && status == VERIFY_STATUS_SECURE)
            status = VERIFY_STATUS_INSECURE;
    }
    *first_out = first;

    /* A reason every judged server shares is the zone's; the others name their server. The
     * partly silent servers' reasons are said even when no server was usable (lame), so the
     * verdict always carries its reason. */
    for (size_t i = 0; i < d->n_servers; i++) {
        const verify_verdict_t *v = d->servers[i].verdict;
        for (size_t k = 0; v && k < v->n_reasons; k++) {
            bool common = true;
            for (size_t j = 0; j < d->n_servers && common; j++)
                if (d->servers[j].verdict && judged_rrset(d, &d->servers[j], v->reasons[k].rrset))
                    common = verdict_has_rrset_reason(d->servers[j].verdict, v->reasons[k].code,
                                                      v->reasons[k].rrset);
            scan_record_add_reason(r, v->reasons[k].code, common ? NULL : d->servers[i].addr_text,
                                   v->reasons[k].rrset, v->reasons[k].detail);
        }
    }
    if (usable == 0)
        return VERIFY_STATUS_LAME;
    bool inconsistent = false;
    char detail[300];
    text_buf_t dt;
    text_init(&dt, detail, sizeof detail);
    for (size_t i = 0; i < d->n_servers; i++) {
        const scan_server_t *sv = &d->servers[i];
        if (!sv->verdict || sv->partial)
            continue;
        text_printf(&dt, "%s%s: %s, %zu keys%s", dt.len ? "; " : "", sv->addr_text,
                    verify_status_name(sv->status), sv->verdict->n_keys,
                    sv->apex_only ? " (asked DNSKEY and SOA only)" : "");
        if (sv->verdict != first &&
            (compared_status(sv, first_sv) != compared_status(first_sv, sv) ||
             !verify_verdict_same_keys(sv->verdict, first)))
            inconsistent = true;
    }
    if (inconsistent) {
        char rrset[300];
        snprintf(rrset, sizeof rrset, "%s/DNSKEY", d->name);
        scan_record_add_reason(r, VERIFY_REASON_NS_INCONSISTENT, NULL, rrset, detail);
    }
    return status;
}

static uint8_t ascii_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* True when the wire name n (nl bytes) is the zone z (zl bytes) or below it, compared without
 * case: ldns_dname_compare and ldns_dname_is_subdomain copy and lower-case both names, and a
 * KeyTrap answer brings hundreds of RRSIGs to check. Owners are lower-cased when parsed
 * (parse_answers()), so an owner equal to the zone is usually settled by one memcmp. */
static bool name_at_or_below(const uint8_t *n, size_t nl, const uint8_t *z, size_t zl)
{
    if (nl == zl && memcmp(n, z, zl) == 0)
        return true;
    size_t off = 0;
    while (off < nl && nl - off > zl && n[off] != 0)
        off += (size_t)n[off] + 1;
    if (off > nl || nl - off != zl)
        return false;
    for (size_t i = 0; i < zl; i++)
        if (ascii_lower(n[off + i]) != ascii_lower(z[i]))
            return false;
    return true;
}

/* The earliest expiration of every RRSIG the domain's servers sent for names in the zone,
 * valid or not: an expired or mismatching signature is what a reader of the record must see
 * (the verdicts only note the ones that verified). Times are RFC 4034 3.1.5 serial numbers,
 * read in the 68-year window around now. */
static int64_t earliest_rrsig_seen(const scan_domain_t *d)
{
    int64_t earliest = 0;
    const uint8_t *zone = ldns_rdf_data(d->dname);
    size_t zone_len = ldns_rdf_size(d->dname);
    for (size_t i = 0; i < d->n_servers; i++)
        for (int slot = 0; slot < SCAN_Q_COUNT; slot++) {
            const ldns_pkt *pkt = d->servers[i].answers[slot];
            const ldns_rr_list *lists[] = {pkt ? ldns_pkt_answer(pkt) : NULL,
                                           pkt ? ldns_pkt_authority(pkt) : NULL};
            /* The structs ldns's headers define are read directly, as ldns's accessors read
             * them: each accessor is a library call, and a KeyTrap domain brings ~2,800 RRSIGs
             * here. */
            for (size_t l = 0; l < 2; l++) {
                size_t count = lists[l] ? lists[l]->_rr_count : 0;
                for (size_t k = 0; k < count; k++) {
                    const ldns_rr *rr = lists[l]->_rrs[k];
                    if (rr->_rr_type != LDNS_RR_TYPE_RRSIG || rr->_rd_count < 9)
                        continue;
                    const ldns_rdf *owner = rr->_owner;
                    if (!owner || !name_at_or_below(owner->_data, owner->_size, zone, zone_len))
                        continue;
                    /* ldns_rdf2native_int32(): 0 for a field shorter than 4 bytes. */
                    const ldns_rdf *exp = rr->_rdata_fields[4];
                    const uint8_t *e = exp && exp->_size >= 4 ? exp->_data : NULL;
                    uint32_t wire =
                        e ? (uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 | (uint32_t)e[2] << 8 | e[3]
                          : 0;
                    int64_t at = d->now + (int32_t)(wire - (uint32_t)d->now);
                    if (!earliest || at < earliest)
                        earliest = at;
                }
            }
        }
    return earliest;
}

static void judge_delegation(scan_record_t *r, scan_domain_t *d)
{
    results_record_t *rec = &r->rec;
    /* One work budget for everything this domain makes us verify (KeyTrap: verdicts.md). */
    verify_budget_t budget;
    verify_budget_init(&budget, d->s->vctx);
    verify_delegation_result_t del;
    verify_parent_state_t ps = scan_judge_parent(d->s->vctx, d->parent_security, d->parent_keyset,
                                                 d->referral, d->dname, d->now, &budget, &del);
    ldns_rr_list *ds = del.ds;
    if (ds) {
        record_parent(r, d, ds);
    } else {
        ldns_rr_list *raw =
            scan_pkt_rrs(d->referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_DS, d->dname);
        record_parent(r, d, raw);
        ldns_rr_list_free(raw);
    }
    verify_verdict_t *first = NULL;
    verify_status_t status = merge_servers(r, d, ps, ds, &budget, &first);
    if (del.cut_missed && !del.has_reason) {
        /* The walk (cuts.c) follows such cuts; one it could not follow still needs a reason. */
        char signer[VERIFY_NAME_TEXT_LEN];
        if (verify_name_text(del.signer, del.signer_len, signer, sizeof signer) < 0)
            snprintf(signer, sizeof signer, "?");
        del.has_reason = true;
        del.reason = VERIFY_REASON_PARENT_DS_DENIAL_INVALID;
        snprintf(del.detail, sizeof del.detail,
                 "the parent's answer about %s was signed by %s, a zone between %s and the "
                 "domain whose own delegation could not be established",
                 d->name, signer, d->zone ? d->zone->name : ".");
    }
    if (del.has_reason) {
        char rrset[300];
        snprintf(rrset, sizeof rrset, "%s/DS", d->name);
        scan_record_add_reason(r, del.reason, NULL, rrset, del.detail);
        if (ps == VERIFY_PARENT_BOGUS)
            status = VERIFY_STATUS_BOGUS;
    }
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_server_t *sv = &d->servers[i];
        if (sv->unusable_reason >= 0) {
            char rrset[300];
            snprintf(rrset, sizeof rrset, "%s/SOA", d->name);
            scan_record_add_reason(r, (verify_reason_code_t)sv->unusable_reason, sv->addr_text,
                                   rrset, sv->unusable_detail);
        }
    }
    if (d->n_servers == 0) {
        char rrset[300];
        snprintf(rrset, sizeof rrset, "%s/NS", d->name);
        scan_record_add_reason(r, VERIFY_REASON_NS_UNREACHABLE, NULL, rrset,
                               "no address could be found for any name server of the delegation");
    }
    rec->status = status;
    if (first && first->n_keys && (r->dnskey = calloc(first->n_keys, sizeof *r->dnskey))) {
        /* Without memory for the roles the record says they are unknown (NULL). */
        r->dnskey_roles = calloc(first->n_keys, 1);
        rec->dnskey = r->dnskey;
        for (size_t i = 0; i < first->n_keys; i++) {
            results_dnskey_t *k = &r->dnskey[rec->n_dnskey++];
            k->key_tag = first->keys[i].key_tag;
            k->algorithm = first->keys[i].algorithm;
            k->flags = first->keys[i].flags;
            k->bits = (uint16_t)first->keys[i].bits;
            if (r->dnskey_roles)
                r->dnskey_roles[i] =
                    (uint8_t)((first->keys[i].ds_matched ? RESULTS_KEY_DS_MATCHED : 0) |
                              (first->keys[i].signs_dnskey ? RESULTS_KEY_SIGNS_DNSKEY : 0));
        }
        rec->dnskey_roles = r->dnskey_roles;
    }
    rec->nameservers = r->nameservers;
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_server_t *sv = &d->servers[i];
        results_nameserver_t *ns = &r->nameservers[rec->n_nameservers++];
        char name[LDNS_MAX_DOMAINLEN + 2];
        snprintf(name, sizeof name, "%s", sv->ns_name);
        ns->name = scan_record_keep(r, strip_dot(name));
        ns->address = scan_record_keep(r, sv->addr_text);
        ns->status = sv->status;
        ns->rtt_ms = sv->verdict ? (int32_t)sv->rtt_ms : -1;
        if (sv->verdict && sv->verdict->earliest_expiration &&
            (!rec->rrsig_earliest_expiration ||
             sv->verdict->earliest_expiration < rec->rrsig_earliest_expiration))
            rec->rrsig_earliest_expiration = sv->verdict->earliest_expiration;
    }
    int64_t seen = earliest_rrsig_seen(d);
    if (seen && (!rec->rrsig_earliest_expiration || seen < rec->rrsig_earliest_expiration))
        rec->rrsig_earliest_expiration = seen;
    for (size_t i = 0; i < d->n_servers; i++)
        if (d->servers[i].verdict && !d->servers[i].apex_only) {
            scan_record_cds(r, &d->servers[i]);
            break;
        }
    scan_record_cds_servers(r, d);
    scan_record_dsboot(r, d);
    record_fix(r, d, first);
    for (size_t i = 0; i < d->n_servers; i++) {
        verify_verdict_free(d->servers[i].verdict);
        d->servers[i].verdict = NULL;
    }
    ldns_rr_list_free(ds); /* its RRs are d->referral's */
}

/* Parses the answers the loop kept as bytes; an answer that does not parse is a malformed
 * answer from that server. Each answer is one block (io_answer_parse()): the judge only reads
 * it, and release_answers() releases it. */
/* Every owner name of an answer in the domain's own lower case: the 0x20 case of our questions
 * comes back in every owner compressed onto the question name, and verdicts.md wants no wire
 * case in any text. Owners are lower-cased in canonical form anyway (RFC 4034 6.2), so no
 * verdict changes. RDATA names are left alone: those of DNSSEC records are never compressed
 * (RFC 4034 3.1.7, 4.1.1) and the NSEC next name keeps its case in what is signed (RFC 6840
 * 5.1). Done in place, so a parsed block stays one block. */
static void lower_wire_name(ldns_rdf *name)
{
    /* ldns_dname2canonical, without its tolower() call per byte (KeyTrap answers have hundreds
     * of owners): length bytes are at most 63, never an upper-case letter. */
    if (!name || ldns_rdf_get_type(name) != LDNS_RDF_TYPE_DNAME)
        return;
    /* Data and size read once, not per byte: each is a library call. */
    uint8_t *n = ldns_rdf_data(name);
    size_t len = ldns_rdf_size(name);
    for (size_t i = 0; i < len; i++)
        n[i] = ascii_lower(n[i]);
}

static void lower_names(ldns_pkt *p)
{
    ldns_rr_list *sections[] = {ldns_pkt_question(p), ldns_pkt_answer(p), ldns_pkt_authority(p),
                                ldns_pkt_additional(p)};
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        size_t count = sections[s] ? ldns_rr_list_rr_count(sections[s]) : 0;
        for (size_t i = 0; i < count; i++)
            lower_wire_name(ldns_rr_owner(ldns_rr_list_rr(sections[s], i)));
    }
}

static void parse_answers(scan_domain_t *d)
{
    for (size_t i = 0; i < d->n_servers; i++) {
        scan_server_t *sv = &d->servers[i];
        for (int slot = 0; slot < SCAN_Q_COUNT; slot++) {
            if (!sv->wire[slot] || sv->answers[slot])
                continue;
            /* Owners folded as they are parsed: the same as lower_names() after it. */
            if (io_answer_parse_folded(sv->wire[slot], sv->wire_len[slot], &sv->answers[slot]) !=
                IO_OK) {
                sv->answers[slot] = NULL;
                sv->errors[slot] = IO_EMALFORMED;
            }
            free(sv->wire[slot]);
            sv->wire[slot] = NULL;
        }
    }
    if (d->referral)
        lower_names(d->referral);
}

static void judge_domain(scan_domain_t *d);

/* Frees what only the judgement needed, here on the worker that allocated the parsed answers:
 * freed on the loop thread instead, every ldns piece went back to this worker's malloc arena
 * under its lock (about a fifth of the loop thread's time in a 20k-domain scan). */
static void release_answers(scan_domain_t *d)
{
    for (size_t i = 0; i < d->n_servers; i++)
        for (int q = 0; q < SCAN_Q_COUNT; q++) {
            io_answer_free(d->servers[i].answers[q]); /* blocks: see parse_answers() */
            d->servers[i].answers[q] = NULL;
        }
    scan_domain_set_referral(d, NULL, false); /* a block or an ldns-built packet */
    scan_dsboot_free(d);
    ldns_pkt_free(d->check_answer);
    d->check_answer = NULL;
}

void scan_judge_run(void *arg)
{
    scan_domain_t *d = arg;
    judge_domain(d);
    release_answers(d);
}

/* Through a resolver: the parent holds a DS for the name, or the name serves its own DNSKEY
 * RRset. Such a name is a zone even when its SOA answer is empty (a broken server), so that is
 * judged, not taken for "not delegated". */
static bool resolver_sees_zone(const scan_domain_t *d)
{
    ldns_rr_list *ds =
        d->referral ? scan_pkt_rrs(d->referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_DS, d->dname)
                    : NULL;
    bool zone = ds && ldns_rr_list_rr_count(ds) > 0;
    ldns_rr_list_free(ds);
    const ldns_pkt *keys = d->servers[0].answers[SCAN_Q_DNSKEY];
    if (!zone && keys) {
        ldns_rr_list *k = scan_pkt_rrs(keys, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_DNSKEY, d->dname);
        zone = ldns_rr_list_rr_count(k) > 0;
        ldns_rr_list_free(k);
    }
    return zone;
}

/* Through a resolver: the SOA question answered with an rcode that is the resolver's own
 * decision (REFUSED, NOTIMP, FORMERR...), not what the zone's servers said: NOERROR, NXDOMAIN
 * and SERVFAIL (its servers gave nothing usable) are about the zone. NULL = not refused, else the
 * rcode's name. */
static const char *resolver_refusal(const scan_domain_t *d)
{
    if (d->s->cfg->resolver_count == 0 || d->n_servers == 0 || d->servers[0].errors[SCAN_Q_SOA] ||
        !d->servers[0].answers[SCAN_Q_SOA])
        return NULL;
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(d->servers[0].answers[SCAN_Q_SOA]);
    if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN || rcode == LDNS_RCODE_SERVFAIL)
        return NULL;
    ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);
    return lt ? lt->name : "an error rcode";
}

/* Server addresses in a fixed order (family, address, port). */
static int server_order(const void *a, const void *b)
{
    return scan_addr_cmp(&((const scan_server_t *)a)->addr, &((const scan_server_t *)b)->addr);
}

static void judge_domain(scan_domain_t *d)
{
    /* Every question has been answered (or given up on), so no callback holds a server's
     * index any more: put the servers in a fixed order, so that the record (its first server's
     * keys, its nameserver list) does not depend on the order in which NS names resolved,
     * which changes from night to night and would read as a rollover in a diff. */
    if (d->n_servers > 1)
        qsort(d->servers, d->n_servers, sizeof *d->servers, server_order);
    parse_answers(d);
    scan_record_t *r = calloc(1, sizeof *r);
    d->record = r;
    if (!r)
        return;
    results_record_t *rec = &r->rec;
    rec->domain = d->name;
    rec->scanned_at = (int64_t)time(NULL);
    rec->mode = scan_settings_mode(d->s->cfg);
    rec->queries = d->queries;
    switch (d->outcome) {
    case SCAN_OUTCOME_NXDOMAIN:
        record_outcome(r, d, VERIFY_STATUS_NXDOMAIN, VERIFY_REASON_NOT_DELEGATED, "NS",
                       d->outcome_detail);
        record_fix(r, d, NULL);
        break;
    case SCAN_OUTCOME_INDETERMINATE:
        record_outcome(r, d, VERIFY_STATUS_INDETERMINATE, VERIFY_REASON_PARENT_UNREACHABLE, "DS",
                       d->outcome_detail);
        char above[LDNS_MAX_DOMAINLEN + 2];
        snprintf(above, sizeof above, "%s", d->zone ? d->zone->name : ".");
        rec->fix = keepf(r,
                         "Nothing to change at %s yet: the servers of the zone above it (%s) "
                         "gave no usable answer. Retry later; if it persists, that zone's "
                         "operator must fix its servers. Check: dig %s NS",
                         d->name, strip_dot(above), d->name);
        break;
    case SCAN_OUTCOME_PARENT_BOGUS:
        record_outcome(r, d, VERIFY_STATUS_BOGUS, VERIFY_REASON_PARENT_BOGUS, "DS",
                       d->outcome_detail);
        rec->fix = parent_bogus_fix(r, d);
        break;
    case SCAN_OUTCOME_NONE:
        if (resolver_refusal(d)) {
            /* The resolver would not ask: nothing is known about the domain (not "not a
             * zone"); the breaker counts it as the resolver's trouble. */
            d->resolver_refused = true;
            d->silent_zone = d->s->root;
            record_outcome(r, d, VERIFY_STATUS_INDETERMINATE, VERIFY_REASON_PARENT_UNREACHABLE,
                           "SOA",
                           keepf(r,
                                 "the resolver answered %s to the SOA question: it asked none of "
                                 "the zone's servers (the resolver's refusal, not the domain's)",
                                 resolver_refusal(d)));
            rec->fix = keepf(r,
                             "Nothing to change at %s: the resolver refused to answer for it. "
                             "Allow this host in the resolver's access control, or scan through "
                             "another resolver.",
                             d->name);
            break;
        }
        if (d->s->cfg->resolver_count > 0 && d->n_servers > 0 &&
            !d->servers[0].errors[SCAN_Q_SOA] && d->servers[0].answers[SCAN_Q_SOA] &&
            ldns_pkt_get_rcode(d->servers[0].answers[SCAN_Q_SOA]) != LDNS_RCODE_SERVFAIL &&
            !has_apex_soa(d->servers[0].answers[SCAN_Q_SOA], d->dname) && !resolver_sees_zone(d)) {
            /* Through a resolver the parent is not asked for a referral: a name without its
             * own SOA is not a delegated zone. */
            record_outcome(r, d, VERIFY_STATUS_NXDOMAIN, VERIFY_REASON_NOT_DELEGATED, "SOA",
                           ldns_pkt_get_rcode(d->servers[0].answers[SCAN_Q_SOA]) ==
                                   LDNS_RCODE_NXDOMAIN
                               ? "the resolver answers NXDOMAIN for the name"
                               : "the name exists but has no SOA of its own: it is not a zone");
            record_fix(r, d, NULL);
            break;
        }
        judge_delegation(r, d);
        break;
    }
    record_resolver_check(r, d);
    rec->queries = d->queries;
    /* verdicts.md: every bogus, indeterminate, lame and nxdomain verdict carries a reason; one
     * without is a bug of this file, not something a zone can cause. */
    assert(rec->status == VERIFY_STATUS_SECURE || rec->status == VERIFY_STATUS_INSECURE ||
           rec->n_reasons > 0);
}
