/*
 * On a verification worker, the part of a domain's record that DS automation (`ds-actions`)
 * decides from: the CDS/CDNSKEY the first judged server served, what every server served over
 * UDP and TCP with what its verdict found, and the RFC 9615 signals (dsboot.c) verified with the
 * keys of the zone that holds them.
 */
#include "scanner/internal.h"
#include "scanner/record.h"

#include <stdlib.h>
#include <string.h>

/* rec.cds: the presentation text of the CDS/CDNSKEY one server served (owner in lower case). */
void scan_record_cds(scan_record_t *r, const scan_server_t *sv)
{
    results_record_t *rec = &r->rec;
    size_t room = 0;
    for (int slot = SCAN_Q_CDS; slot <= SCAN_Q_CDNSKEY; slot++)
        room += sv->answers[slot] ? ldns_rr_list_rr_count(ldns_pkt_answer(sv->answers[slot])) : 0;
    if (room == 0)
        return;
    if (room > RESULTS_LIST_MAX) {
        /* Two 64 KB answers can hold more records than the store keeps in one list: say so
         * (a set this big is no basis for DS automation either) instead of cutting silently or
         * failing the store, and keep the first RESULTS_LIST_MAX. */
        char rrset[300], detail[300];
        snprintf(rrset, sizeof rrset, "%s/CDS", r->rec.domain);
        snprintf(detail, sizeof detail,
                 "%zu CDS/CDNSKEY records served (%s); the record keeps the first %d: a set "
                 "this large cannot be acted on",
                 room, sv->addr_text, RESULTS_LIST_MAX);
        scan_record_add_reason(r, VERIFY_REASON_CDS_INVALID, sv->addr_text, rrset, detail);
        room = RESULTS_LIST_MAX;
    }
    if (!(r->cds = calloc(room, sizeof *r->cds)))
        return;
    rec->cds = r->cds;
    for (int slot = SCAN_Q_CDS; slot <= SCAN_Q_CDNSKEY; slot++) {
        const ldns_pkt *pkt = sv->answers[slot];
        const ldns_rr_list *an = pkt ? ldns_pkt_answer(pkt) : NULL;
        for (size_t i = 0; an && i < ldns_rr_list_rr_count(an) && rec->n_cds < room; i++) {
            ldns_rr *rr = ldns_rr_list_rr(an, i);
            ldns_rr_type t = ldns_rr_get_type(rr);
            if (t != LDNS_RR_TYPE_CDS && t != LDNS_RR_TYPE_CDNSKEY)
                continue;
            /* The owner as the domain's own name, not the randomised case sent on the wire. */
            ldns_rr *lower = ldns_rr_clone(rr);
            if (!lower)
                continue;
            ldns_rr2canonical(lower);
            char *text = ldns_rr2str(lower);
            ldns_rr_free(lower);
            if (!text)
                continue;
            text[strcspn(text, "\n")] = '\0';
            r->cds[rec->n_cds++] = scan_record_keep(r, text);
            free(text);
        }
    }
}

/* The records of type at the domain's apex in an answer (borrowed RRs; caller frees the list). */
static ldns_rr_list *apex_rrs(const ldns_pkt *pkt, const scan_domain_t *d, ldns_rr_type type)
{
    return pkt ? scan_pkt_rrs(pkt, LDNS_SECTION_ANSWER, type, d->dname) : ldns_rr_list_new();
}

/* Same records (RDATA, whatever the order) in both lists. */
static bool same_rdata(ldns_rr_list *a, ldns_rr_list *b)
{
    size_t n = ldns_rr_list_rr_count(a);
    if (n != ldns_rr_list_rr_count(b))
        return false;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = ldns_rr_compare(ldns_rr_list_rr(a, i), ldns_rr_list_rr(b, j)) == 0;
        if (!found)
            return false;
    }
    return true;
}

static results_cds_tcp_t cds_over_tcp(const scan_server_t *sv, const scan_domain_t *d)
{
    static const struct {
        int udp, tcp;
        ldns_rr_type type;
    } pairs[] = {{SCAN_Q_CDS, SCAN_Q_CDS_TCP, LDNS_RR_TYPE_CDS},
                 {SCAN_Q_CDNSKEY, SCAN_Q_CDNSKEY_TCP, LDNS_RR_TYPE_CDNSKEY}};
    results_cds_tcp_t out = RESULTS_CDS_TCP_NOT_ASKED;
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
        ldns_rr_list *udp = apex_rrs(sv->answers[pairs[p].udp], d, pairs[p].type);
        bool asked = udp && ldns_rr_list_rr_count(udp) > 0 && d->s->cfg->resolver_count == 0;
        const ldns_pkt *tcp_pkt = sv->answers[pairs[p].tcp];
        if (asked && (sv->errors[pairs[p].tcp] || !tcp_pkt ||
                      ldns_pkt_get_rcode(tcp_pkt) != LDNS_RCODE_NOERROR)) {
            out = RESULTS_CDS_TCP_NO_ANSWER;
        } else if (asked) {
            ldns_rr_list *tcp = apex_rrs(tcp_pkt, d, pairs[p].type);
            if (!tcp || !same_rdata(udp, tcp))
                out = RESULTS_CDS_TCP_DIFFERENT;
            else if (out == RESULTS_CDS_TCP_NOT_ASKED)
                out = RESULTS_CDS_TCP_SAME;
            ldns_rr_list_free(tcp);
        }
        ldns_rr_list_free(udp);
        if (out == RESULTS_CDS_TCP_NO_ANSWER)
            break;
    }
    return out;
}

/* Appends the CDS and CDNSKEY records of one server to r->cds_records (grown by *cap) with
 * what its verdict found about each; returns how many, or -1 when out of memory. */
static long cds_server_records(scan_record_t *r, const scan_server_t *sv, const scan_domain_t *d,
                               size_t *used, size_t *cap)
{
    static const int slots[] = {SCAN_Q_CDS, SCAN_Q_CDNSKEY};
    static const ldns_rr_type types[] = {LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY};
    const verify_verdict_t *v = sv->verdict;
    size_t k = 0, start = *used;
    for (size_t s = 0; s < 2; s++) {
        ldns_rr_list *l = apex_rrs(sv->answers[slots[s]], d, types[s]);
        if (!l)
            return -1;
        for (size_t i = 0; i < ldns_rr_list_rr_count(l) && *used < RESULTS_LIST_MAX; i++, k++) {
            if (scan_record_grow((void **)&r->cds_records, cap, *used, sizeof *r->cds_records) <
                0) {
                ldns_rr_list_free(l);
                return -1;
            }
            char *text = ldns_rr2str(ldns_rr_list_rr(l, i));
            results_cds_record_t *c = &r->cds_records[(*used)++];
            memset(c, 0, sizeof *c);
            if (text)
                text[strcspn(text, "\n")] = '\0';
            c->text = scan_record_keep(r, text ? text : "?");
            free(text);
            /* The verdict's summaries are the same records in the same order (CDS, then
             * CDNSKEY, owner at the apex); anything else reads as "not served". */
            if (k < v->n_cds && v->cds[k].rrtype == types[s]) {
                c->served = v->cds[k].served;
                c->signs_dnskey = v->cds[k].signs_dnskey;
            }
        }
        ldns_rr_list_free(l);
    }
    return (long)(*used - start);
}

/* Per server with a verdict, the CDS/CDNSKEY it served and what the verification found: what
 * `ds-actions` decides from. The records array is filled first and pointed into at the end, as
 * growing it moves it. */
void scan_record_cds_servers(scan_record_t *r, const scan_domain_t *d)
{
    results_record_t *rec = &r->rec;
    size_t used = 0, cap = 0, n = 0;
    size_t *counts = calloc(d->n_servers ? d->n_servers : 1, sizeof *counts);
    if (!counts ||
        !(r->cds_servers = calloc(d->n_servers ? d->n_servers : 1, sizeof *r->cds_servers))) {
        free(counts);
        return;
    }
    bool any = false;
    for (size_t i = 0; i < d->n_servers; i++)
        any |= d->servers[i].verdict && d->servers[i].verdict->n_cds > 0;
    /* Once one server serves CDS/CDNSKEY, every server is listed: one serving none (or not
     * answering) is a disagreement, not a server to leave out. */
    for (size_t i = 0; any && i < d->n_servers; i++) {
        const scan_server_t *sv = &d->servers[i];
        bool judged = sv->verdict && !sv->partial;
        long got = judged ? cds_server_records(r, sv, d, &used, &cap) : 0;
        if (got < 0)
            break;
        results_cds_server_t *out = &r->cds_servers[n];
        out->address = scan_record_keep(r, sv->addr_text);
        out->cds_signer = judged ? sv->verdict->cds_signer : -1;
        out->cdnskey_signer = judged ? sv->verdict->cdnskey_signer : -1;
        out->tcp = judged ? cds_over_tcp(sv, d) : RESULTS_CDS_TCP_NO_ANSWER;
        out->answered = judged;
        out->disagree = judged && sv->verdict->cds_cdnskey_disagree;
        counts[n++] = (size_t)got;
    }
    for (size_t i = 0, at = 0; i < n; at += counts[i], i++) {
        r->cds_servers[i].n_records = counts[i];
        r->cds_servers[i].records = counts[i] ? &r->cds_records[at] : NULL;
    }
    rec->cds_servers = r->cds_servers;
    rec->n_cds_servers = n;
    free(counts);
}

/* The CDS and CDNSKEY records of one signal's answers, lower case (borrowed RRs, one list). */
static ldns_rr_list *signal_rrs(const scan_dsboot_t *b, ldns_rr_list **sigs)
{
    ldns_rr_list *all = ldns_rr_list_new();
    *sigs = ldns_rr_list_new();
    static const ldns_rr_type types[] = {LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY};
    for (int k = 0; all && *sigs && k < 2; k++) {
        if (!b->answers[k])
            continue;
        ldns_rr_list *l = scan_pkt_rrs(b->answers[k], LDNS_SECTION_ANSWER, types[k], b->qname);
        ldns_rr_list *s =
            scan_pkt_rrs(b->answers[k], LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, b->qname);
        for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++)
            ldns_rr_list_push_rr(all, ldns_rr_list_rr(l, i));
        for (size_t i = 0; s && i < ldns_rr_list_rr_count(s); i++)
            ldns_rr_list_push_rr(*sigs, ldns_rr_list_rr(s, i));
        ldns_rr_list_free(l);
        ldns_rr_list_free(s);
    }
    return all;
}

/* The signal's records verified with the answering zone's keys: VALID, or BOGUS with why. */
static results_dsboot_state_t signal_verify(const scan_dsboot_t *b, int64_t now, int32_t *signer,
                                            char *why, size_t why_len)
{
    static const ldns_rr_type types[] = {LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY};
    *signer = -1;
    for (int k = 0; k < 2; k++) {
        if (!b->answers[k])
            continue;
        ldns_rr_list *l = scan_pkt_rrs(b->answers[k], LDNS_SECTION_ANSWER, types[k], b->qname);
        ldns_rr_list *s =
            scan_pkt_rrs(b->answers[k], LDNS_SECTION_ANSWER, LDNS_RR_TYPE_RRSIG, b->qname);
        verify_sig_result_t res;
        int rc = ldns_rr_list_rr_count(l) ? verify_rrset(b->keyset, l, s, now, &res) : 1;
        ldns_rr_list_free(l);
        ldns_rr_list_free(s);
        if (rc == 1)
            continue; /* nothing of that type */
        if (rc < 0 || res.outcome != VERIFY_SIG_VALID) {
            snprintf(why, why_len, "%s: %s", verify_reason_name(res.reason), res.detail);
            *signer = -1;
            return RESULTS_DSBOOT_BOGUS;
        }
        if (*signer < 0)
            *signer = res.key_tag;
    }
    return RESULTS_DSBOOT_VALID;
}

/* RFC 9615 signals (dsboot.c) as the record keeps them: state, zone, records. The records
 * array is filled first and pointed into at the end, as growing it moves it. */
void scan_record_dsboot(scan_record_t *r, const scan_domain_t *d)
{
    results_record_t *rec = &r->rec;
    size_t used = 0, cap = 0;
    size_t *counts = calloc(d->n_dsboot ? d->n_dsboot : 1, sizeof *counts);
    if (!counts || !d->n_dsboot || !(r->dsboot = calloc(d->n_dsboot, sizeof *r->dsboot))) {
        free(counts);
        return;
    }
    for (size_t i = 0; i < d->n_dsboot; i++) {
        const scan_dsboot_t *b = &d->dsboot[i];
        results_dsboot_t *x = &r->dsboot[i];
        char why[300] = "";
        x->ns_name = scan_record_keep(r, b->ns_name);
        x->signer = -1;
        x->zone = b->zone && !b->failed ? scan_record_keep(r, b->zone->name) : NULL;
        ldns_rr_list *sigs = NULL, *rrs = b->failed ? NULL : signal_rrs(b, &sigs);
        size_t n = rrs ? ldns_rr_list_rr_count(rrs) : 0;
        for (size_t k = 0; k < n && used < RESULTS_LIST_MAX; k++) {
            if (scan_record_grow((void **)&r->dsboot_records, &cap, used,
                                 sizeof *r->dsboot_records) < 0)
                break;
            ldns_rr *copy = ldns_rr_clone(ldns_rr_list_rr(rrs, k));
            char *text = NULL;
            if (copy) {
                ldns_rr2canonical(copy);
                text = ldns_rr2str(copy);
                ldns_rr_free(copy);
            }
            if (text)
                text[strcspn(text, "\n")] = '\0';
            r->dsboot_records[used++] = scan_record_keep(r, text ? text : "?");
            free(text);
            counts[i]++;
        }
        if (b->failed) {
            x->state = RESULTS_DSBOOT_NO_ANSWER;
            snprintf(why, sizeof why, "%s", b->detail);
        } else if (!b->answers[0] || !b->answers[1]) {
            x->state = RESULTS_DSBOOT_NO_ANSWER;
            snprintf(why, sizeof why, "%s", b->detail[0] ? b->detail : "no answer");
        } else if (n == 0) {
            x->state = RESULTS_DSBOOT_ABSENT;
            snprintf(why, sizeof why, "no CDS/CDNSKEY at the signal name in %s", b->zone->name);
        } else if (b->security != SCAN_ZONE_SECURE || !b->keyset) {
            x->state = RESULTS_DSBOOT_INSECURE;
            snprintf(why, sizeof why, "%s is not signed (or below an insecure delegation)",
                     b->zone->name);
        } else {
            x->state = signal_verify(b, d->now, &x->signer, why, sizeof why);
        }
        x->detail = why[0] ? scan_record_keep(r, why) : NULL;
        ldns_rr_list_free(rrs);
        ldns_rr_list_free(sigs);
    }
    for (size_t i = 0, at = 0; i < d->n_dsboot; at += counts[i], i++) {
        r->dsboot[i].n_records = counts[i];
        r->dsboot[i].records = counts[i] ? &r->dsboot_records[at] : NULL;
    }
    rec->dsboot = r->dsboot;
    rec->n_dsboot = d->n_dsboot;
    free(counts);
}
