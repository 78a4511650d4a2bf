/*
 * show: one domain explained in plain text a support agent can paste into a ticket. Every
 * reason comes with its severity, where it was seen, the evidence and what to do about it.
 */
#include "results/internal.h"

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
        fprintf(out, "     fix:    %s\n", verify_reason_fix(rs->code));
    }
}

static void show_parent(const results_parent_t *p, FILE *out)
{
    if (!p->zone) {
        fputs("Parent zone: unknown\n", out);
        return;
    }
    fprintf(out, "Parent zone: %s (%s%s)\n", *p->zone ? p->zone : ".",
            p->is_signed ? "signed" : "unsigned",
            p->ds_from_zone_file ? "; DS side taken from the zone file" : "");
    if (!p->n_ds) {
        fputs("  DS: none\n", out);
        return;
    }
    fprintf(out, "  DS (TTL %u):\n", p->ds_ttl);
    for (size_t i = 0; i < p->n_ds; i++)
        fprintf(out, "    %u %u %u %s\n", p->ds[i].key_tag, p->ds[i].algorithm,
                p->ds[i].digest_type, or_dash(p->ds[i].digest));
}

static void show_keys(const results_record_t *r, FILE *out)
{
    if (!r->n_dnskey) {
        fputs("DNSKEY: none\n", out);
    } else {
        fputs("DNSKEY:\n", out);
        for (size_t i = 0; i < r->n_dnskey; i++) {
            const results_dnskey_t *k = &r->dnskey[i];
            const char *role = (k->flags & 0x0101) == 0x0101 ? "KSK"
                               : (k->flags & 0x0100)         ? "ZSK"
                                                             : "not a zone key";
            fprintf(out, "  key tag %u, algorithm %u, flags %u (%s)", k->key_tag, k->algorithm,
                    k->flags, role);
            if (k->flags & 0x0080)
                fputs(", REVOKED", out);
            if (k->bits)
                fprintf(out, ", %u bits", k->bits);
            fputc('\n', out);
        }
    }
    if (r->n_cds) {
        fputs("CDS/CDNSKEY:\n", out);
        for (size_t i = 0; i < r->n_cds; i++)
            fprintf(out, "  %s\n", r->cds[i]);
    }
}

static void show_servers(const results_record_t *r, FILE *out)
{
    if (!r->n_nameservers) {
        fputs("Nameservers: none\n", out);
        return;
    }
    fputs("Nameservers:\n", out);
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

static const char *tcp_text(results_cds_tcp_t tcp)
{
    switch (tcp) {
    case RESULTS_CDS_TCP_SAME:
        return "the same over TCP";
    case RESULTS_CDS_TCP_DIFFERENT:
        return "OTHER records over TCP";
    case RESULTS_CDS_TCP_NO_ANSWER:
        return "no usable answer over TCP";
    case RESULTS_CDS_TCP_NOT_ASKED:
        break;
    }
    return "not asked over TCP";
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

static void show_record(const results_record_t *r, const char *scan, FILE *out)
{
    char t[RESULTS_TIME_BUFSZ];
    fprintf(out, "%s: %s\n", r->domain, verify_status_name(r->status));
    fprintf(out, "Scan: %s, checked %s, %u queries\n", scan,
            r->scanned_at ? results_format_time(r->scanned_at, t) : "(time unknown)", r->queries);
    show_reasons(r, out);
    if (r->fix)
        fprintf(out, "Fix: %s\n", r->fix);
    show_parent(&r->parent, out);
    show_keys(r, out);
    if (r->rrsig_earliest_expiration)
        fprintf(out, "Earliest RRSIG expiration: %s\n",
                results_format_time(r->rrsig_earliest_expiration, t));
    else
        fputs("Earliest RRSIG expiration: none (no signatures)\n", out);
    show_servers(r, out);
    show_ds_automation(r, out);
    const results_resolver_check_t *rc = &r->resolver_check;
    if (rc->present) {
        fprintf(out, "Validating resolver: rcode %d, AD %s", rc->rcode, rc->ad ? "set" : "clear");
        if (rc->ede >= 0)
            fprintf(out, ", EDE %d", rc->ede);
        fputs(rc->disagrees ? " (disagrees with this verdict)\n" : "\n", out);
    }
}

int results_show(results_store_t *store, const char *scan_name, const char *domain, FILE *out)
{
    results_scan_info_t info;
    results_record_t rec;
    char name[256];
    size_t n = domain ? strlen(domain) : 0;
    if (!store || !out || n == 0 || n >= sizeof name)
        return RESULTS_EINVAL;
    /* What a support agent pastes may be "Example.COM.": use the stored spelling. */
    for (size_t i = 0; i <= n; i++)
        name[i] = (char)(domain[i] >= 'A' && domain[i] <= 'Z' ? domain[i] - 'A' + 'a' : domain[i]);
    if (n > 1 && name[n - 1] == '.')
        name[n - 1] = '\0';
    int rc = results_scan_lookup(store, scan_name, &info);
    if (rc < 0)
        return rc;
    rc = results_get(store, info.name, name, &rec);
    if (rc == 0) {
        show_record(&rec, info.name, out);
        if (fflush(out) != 0 || ferror(out))
            rc = RESULTS_EIO;
        results_record_free(&rec);
    }
    results_scan_info_clear(&info);
    return rc;
}
