/*
 * show: one domain explained in plain text a support agent can paste into a ticket. Every
 * reason comes with its severity, where it was seen, the evidence and what to do about it.
 */
#include "results/internal.h"
#include "text/text.h"

#include <string.h>

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void show_reasons(const results_record_t *r, FILE *out)
{
    if (!r->n_reasons) {
        fputs("Reasons: none\n", out);
        return;
    }
    fprintf(out, "Reasons (%zu):\n", r->n_reasons);
    for (size_t i = 0; i < r->n_reasons; i++) {
        const results_reason_t *rs = &r->reasons[i];
        int ede = verify_reason_ede(rs->code);
        fprintf(out, "  %zu. %s [%s]", i + 1, verify_reason_name(rs->code),
                verify_severity_name(verify_reason_severity(rs->code)));
        if (ede >= 0)
            fprintf(out, " (EDE %d)", ede);
        fprintf(out, "\n     server: %s\n",
                rs->server ? rs->server : "(not specific to one server)");
        fprintf(out, "     rrset:  %s\n", or_dash(rs->rrset));
        fprintf(out, "     detail: %s\n", or_dash(rs->detail));
    }
}

static bool has_reason(const results_record_t *r, verify_reason_code_t code)
{
    for (size_t i = 0; i < r->n_reasons; i++)
        if (r->reasons[i].code == code)
            return true;
    return false;
}

/* The link above the domain: the parent zone, whether it is signed (and validates), its DS
 * set with the TTL resolvers may keep it for. */
static void show_parent(const results_record_t *r, FILE *out)
{
    const results_parent_t *p = &r->parent;
    if (!p->zone) {
        fputs("  Parent zone: unknown\n", out);
        return;
    }
    const char *state = !p->is_signed                               ? "unsigned"
                        : has_reason(r, VERIFY_REASON_PARENT_BOGUS) ? "signed, fails validation"
                        : has_reason(r, VERIFY_REASON_PARENT_UNREACHABLE) ? "signed, unreachable"
                                                                          : "signed";
    fprintf(out, "  Parent zone: %s (%s%s)\n", *p->zone ? p->zone : ".", state,
            p->ds_from_zone_file ? "; DS side taken from the zone file" : "");
    if (!p->n_ds) {
        fprintf(out, "  DS of %s at %s: none\n", r->domain, *p->zone ? p->zone : ".");
        return;
    }
    /* The TTL in hours too: how long resolvers may keep this DS after a change at the
     * registrar. */
    if (p->ds_ttl % 3600 == 0)
        fprintf(out, "  DS of %s at %s (TTL %u s = %u hour%s):\n", r->domain,
                *p->zone ? p->zone : ".", p->ds_ttl, p->ds_ttl / 3600,
                p->ds_ttl == 3600 ? "" : "s");
    else
        fprintf(out, "  DS of %s at %s (TTL %u s = %.1f hours):\n", r->domain,
                *p->zone ? p->zone : ".", p->ds_ttl, p->ds_ttl / 3600.0);
    for (size_t i = 0; i < p->n_ds; i++)
        fprintf(out, "    %u %u %u %s\n", p->ds[i].key_tag, p->ds[i].algorithm,
                p->ds[i].digest_type, or_dash(p->ds[i].digest));
}

static bool ds_points_at(const results_parent_t *p, const results_dnskey_t *k)
{
    for (size_t i = 0; i < p->n_ds; i++)
        if (p->ds[i].key_tag == k->key_tag && p->ds[i].algorithm == k->algorithm)
            return true;
    return false;
}

static void show_keys(const results_record_t *r, FILE *out)
{
    if (!r->n_dnskey) {
        fprintf(out, "  DNSKEY of %s: none\n", r->domain);
    } else {
        fprintf(out, "  DNSKEY of %s (as its first server serves them):\n", r->domain);
        for (size_t i = 0; i < r->n_dnskey; i++) {
            const results_dnskey_t *k = &r->dnskey[i];
            const char *role = (k->flags & 0x0101) == 0x0101 ? "KSK"
                               : (k->flags & 0x0100)         ? "ZSK"
                                                             : "not a zone key";
            fprintf(out, "    key tag %u, algorithm %u, flags %u (%s)", k->key_tag, k->algorithm,
                    k->flags, role);
            if (k->flags & 0x0080)
                fputs(", REVOKED", out);
            if (k->bits)
                fprintf(out, ", %u bits", k->bits);
            if (ds_points_at(&r->parent, k))
                fputs(", a DS at the parent has its key tag", out);
            fputc('\n', out);
        }
    }
    if (r->n_cds) {
        fputs("  CDS/CDNSKEY:\n", out);
        for (size_t i = 0; i < r->n_cds; i++)
            fprintf(out, "    %s\n", r->cds[i]);
    }
}

static void show_servers(const results_record_t *r, FILE *out)
{
    if (!r->n_nameservers) {
        fputs("Servers: none asked\n", out);
        return;
    }
    fputs("Servers (each one's own verdict):\n", out);
    for (size_t i = 0; i < r->n_nameservers; i++) {
        const results_nameserver_t *ns = &r->nameservers[i];
        fprintf(out, "  %s %s: %s", or_dash(ns->name), or_dash(ns->address),
                verify_status_name(ns->status));
        if (ns->rtt_ms >= 0)
            fprintf(out, ", %d ms", ns->rtt_ms);
        else
            fputs(", no answer", out);
        fputc('\n', out);
    }
}

/* Whether the key a DS points at signs the DNSKEY RRset, as the verdict's reasons tell it (the
 * record keeps no per-key signing flag): the middle link of the chain. */
static void show_dnskey_link(const results_record_t *r, FILE *out)
{
    if (!r->n_dnskey || !r->parent.n_ds)
        return;
    const char *link = NULL;
    int failed = -1;
    for (size_t i = 0; i < r->n_reasons && !link; i++) {
        const results_reason_t *x = &r->reasons[i];
        const char *type = x->rrset ? strrchr(x->rrset, '/') : NULL;
        /* The keys shown are the first server's: another server's reasons are its own. */
        if (x->server && r->n_nameservers && r->nameservers[0].address &&
            strcmp(x->server, r->nameservers[0].address) != 0)
            continue;
        switch (x->code) {
        case VERIFY_REASON_DS_NO_MATCHING_DNSKEY:
        case VERIFY_REASON_DS_DIGEST_MISMATCH:
            link = "no DS matches a served key, so nothing signing it is trusted";
            break;
        case VERIFY_REASON_DS_KEY_NOT_SIGNING:
            link = "not signed by the key the DS points at";
            break;
        case VERIFY_REASON_DNSKEY_UNSIGNED:
        case VERIFY_REASON_DNSSEC_STRIPPED:
            link = "served without any RRSIG";
            break;
        default:
            if (type && strcmp(type, "/DNSKEY") == 0 &&
                verify_reason_severity(x->code) == VERIFY_SEVERITY_ERROR &&
                x->code != VERIFY_REASON_NS_INCONSISTENT)
                failed = x->code;
        }
        if (failed >= 0)
            break;
    }
    if (failed >= 0) {
        fprintf(out, "  DNSKEY RRset: its signature fails (%s, below)\n",
                verify_reason_name((verify_reason_code_t)failed));
        return;
    }
    /* No reason on this link: where the server was judged (not insecure: nothing validated
     * then), the DS-matched key's signature over the DNSKEY RRset verified. */
    verify_status_t first = r->n_nameservers ? r->nameservers[0].status : VERIFY_STATUS_LAME;
    if (!link && (first == VERIFY_STATUS_SECURE || first == VERIFY_STATUS_BOGUS))
        link = "signed by the key a DS points at, valid";
    if (link)
        fprintf(out, "  DNSKEY RRset: %s\n", link);
}

static void show_expiration(const results_record_t *r, FILE *out)
{
    char t[RESULTS_TIME_BUFSZ];
    int64_t at = r->rrsig_earliest_expiration;
    if (at && r->scanned_at && at < r->scanned_at)
        fprintf(out, "  Earliest RRSIG expiration: %s (already expired)\n",
                results_format_time(at, t));
    else if (at)
        fprintf(out, "  Earliest RRSIG expiration: %s\n", results_format_time(at, t));
    else if (!r->n_nameservers)
        fputs("  Earliest RRSIG expiration: not known (the domain's servers were not asked)\n",
              out);
    else if (r->n_dnskey)
        fputs("  Earliest RRSIG expiration: none seen (the servers sent no RRSIG)\n", out);
    else
        fputs("  Earliest RRSIG expiration: none (no signatures)\n", out);
}

static const text_code_t tcp_texts[] = {
    {RESULTS_CDS_TCP_NOT_ASKED, "not asked over TCP"},
    {RESULTS_CDS_TCP_SAME, "the same over TCP"},
    {RESULTS_CDS_TCP_DIFFERENT, "OTHER records over TCP"},
    {RESULTS_CDS_TCP_NO_ANSWER, "no usable answer over TCP"},
};

static const char *tcp_text(results_cds_tcp_t tcp)
{
    const char *name = text_of_code(tcp_texts, sizeof tcp_texts / sizeof tcp_texts[0], (int)tcp);
    return name ? name : "not asked over TCP";
}

static void show_signer(const char *what, int32_t tag, FILE *out)
{
    if (tag >= 0)
        fprintf(out, ", %s signed by key %d", what, (int)tag);
    else
        fprintf(out, ", %s not validly signed", what);
}

/* What `ds-actions` decides from: each server's CDS/CDNSKEY, and the RFC 9615 signals. */
static void show_ds_automation(const results_record_t *r, FILE *out)
{
    static const char *const states[RESULTS_DSBOOT_STATE_COUNT] = {
        "validated", "absent", "not signed (insecure zone)", "bogus", "not answered"};
    if (r->n_cds_servers)
        fputs("CDS/CDNSKEY per server (see dnssweep ds-actions):\n", out);
    for (size_t i = 0; i < r->n_cds_servers; i++) {
        const results_cds_server_t *sv = &r->cds_servers[i];
        if (!sv->answered) {
            fprintf(out, "  %s: no usable answer\n", sv->address);
            continue;
        }
        fprintf(out, "  %s: %zu records", sv->address, sv->n_records);
        int32_t last = -1;
        for (size_t k = 0; k < sv->n_records; k++) {
            int32_t tag = results_ds_record_key_tag(sv->records[k].text);
            if (results_ds_record_is_delete(sv->records[k].text))
                fputs(k ? " delete" : " (delete", out);
            else if (tag >= 0 && tag != last)
                fprintf(out, "%s%d", k ? " " : " (keys ", (int)tag);
            last = tag;
            if (k + 1 == sv->n_records)
                fputc(')', out);
        }
        if (sv->n_records) {
            show_signer("CDS", sv->cds_signer, out);
            show_signer("CDNSKEY", sv->cdnskey_signer, out);
            fprintf(out, ", %s%s", tcp_text(sv->tcp),
                    sv->disagree ? ", CDS and CDNSKEY describe different keys" : "");
        }
        fputc('\n', out);
    }
    if (r->n_dsboot)
        fputs("RFC 9615 bootstrapping signals:\n", out);
    for (size_t i = 0; i < r->n_dsboot; i++) {
        const results_dsboot_t *x = &r->dsboot[i];
        fprintf(out, "  %s: %s", x->ns_name, states[x->state]);
        if (x->zone)
            fprintf(out, " in %s", x->zone);
        if (x->signer >= 0)
            fprintf(out, " (key %d)", (int)x->signer);
        fprintf(out, ", %zu records%s%s\n", x->n_records, x->detail ? ": " : "",
                x->detail ? x->detail : "");
    }
}

/* One story: status, the chain of trust as far as the record knows it, each server's verdict,
 * the reasons, and the one fix. */
static void show_record(const results_record_t *r, const char *scan, FILE *out)
{
    char t[RESULTS_TIME_BUFSZ];
    fprintf(out, "%s: %s\n", r->domain, verify_status_name(r->status));
    fprintf(out, "Scan: %s, checked %s, %u queries\n", scan,
            r->scanned_at ? results_format_time(r->scanned_at, t) : "(time unknown)", r->queries);
    fputs("Chain of trust (from the root down):\n", out);
    show_parent(r, out);
    show_keys(r, out);
    show_dnskey_link(r, out);
    show_expiration(r, out);
    show_servers(r, out);
    show_ds_automation(r, out);
    const results_resolver_check_t *rc = &r->resolver_check;
    if (rc->present) {
        fprintf(out, "Validating resolver: rcode %d, AD %s", rc->rcode, rc->ad ? "set" : "clear");
        if (rc->ede >= 0)
            fprintf(out, ", EDE %d", rc->ede);
        fputs(rc->disagrees ? " (disagrees with this verdict)\n" : "\n", out);
    }
    show_reasons(r, out);
    if (r->fix)
        fprintf(out, "Fix: %s\n", r->fix);
}

int results_show(results_store_t *store, const char *scan_name, const char *domain, FILE *out)
{
    results_scan_info_t info;
    results_record_t rec;
    if (!out)
        return RESULTS_EINVAL;
    /* What a support agent pastes may be "Example.COM.": results_get_named folds it. */
    int rc = results_get_named(store, scan_name, domain, &info, &rec);
    if (rc == 0) {
        show_record(&rec, info.name, out);
        if (fflush(out) != 0 || ferror(out))
            rc = RESULTS_EIO;
        results_record_free(&rec);
        results_scan_info_clear(&info);
    }
    return rc;
}
