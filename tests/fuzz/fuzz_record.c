/*
 * Store record decoder harness: arbitrary bytes as a stored record value. results_record_decode()
 * must never read outside the buffer; when it accepts the bytes, the record must survive a
 * round trip: decode(encode(x)) == x field by field, and encoding is stable (encoding the
 * re-decoded record gives the same bytes). A broken round trip calls abort(), which libFuzzer
 * reports as a crash. The scan metadata decoder and the scanned_at peek run on the bytes too.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

#define DOMAIN "example.com"

static bool str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool records_equal(const results_record_t *a, const results_record_t *b)
{
    if (!str_eq(a->domain, b->domain) || a->status != b->status || a->scanned_at != b->scanned_at ||
        a->n_reasons != b->n_reasons || !str_eq(a->fix, b->fix) ||
        !str_eq(a->parent.zone, b->parent.zone) || a->parent.is_signed != b->parent.is_signed ||
        a->parent.ds_ttl != b->parent.ds_ttl || a->parent.n_ds != b->parent.n_ds ||
        a->n_dnskey != b->n_dnskey ||
        a->rrsig_earliest_expiration != b->rrsig_earliest_expiration || a->n_cds != b->n_cds ||
        a->n_nameservers != b->n_nameservers || a->queries != b->queries ||
        a->resolver_check.present != b->resolver_check.present ||
        a->n_cds_servers != b->n_cds_servers || a->n_dsboot != b->n_dsboot)
        return false;
    for (size_t i = 0; i < a->n_cds_servers; i++) {
        const results_cds_server_t *x = &a->cds_servers[i], *y = &b->cds_servers[i];
        if (!str_eq(x->address, y->address) || x->cds_signer != y->cds_signer ||
            x->cdnskey_signer != y->cdnskey_signer || x->tcp != y->tcp ||
            x->answered != y->answered || x->disagree != y->disagree ||
            x->n_records != y->n_records)
            return false;
        for (size_t k = 0; k < x->n_records; k++)
            if (!str_eq(x->records[k].text, y->records[k].text) ||
                x->records[k].served != y->records[k].served ||
                x->records[k].signs_dnskey != y->records[k].signs_dnskey)
                return false;
    }
    for (size_t i = 0; i < a->n_dsboot; i++) {
        const results_dsboot_t *x = &a->dsboot[i], *y = &b->dsboot[i];
        if (!str_eq(x->ns_name, y->ns_name) || !str_eq(x->zone, y->zone) || x->state != y->state ||
            x->signer != y->signer || !str_eq(x->detail, y->detail) || x->n_records != y->n_records)
            return false;
        for (size_t k = 0; k < x->n_records; k++)
            if (!str_eq(x->records[k], y->records[k]))
                return false;
    }
    for (size_t i = 0; i < a->n_reasons; i++) {
        const results_reason_t *x = &a->reasons[i], *y = &b->reasons[i];
        if (x->code != y->code || !str_eq(x->server, y->server) || !str_eq(x->rrset, y->rrset) ||
            !str_eq(x->detail, y->detail))
            return false;
    }
    for (size_t i = 0; i < a->parent.n_ds; i++) {
        const results_ds_t *x = &a->parent.ds[i], *y = &b->parent.ds[i];
        if (x->key_tag != y->key_tag || x->algorithm != y->algorithm ||
            x->digest_type != y->digest_type || !str_eq(x->digest, y->digest))
            return false;
    }
    for (size_t i = 0; i < a->n_dnskey; i++)
        if (memcmp(&a->dnskey[i], &b->dnskey[i], sizeof a->dnskey[i]) != 0)
            return false;
    for (size_t i = 0; i < a->n_cds; i++)
        if (!str_eq(a->cds[i], b->cds[i]))
            return false;
    for (size_t i = 0; i < a->n_nameservers; i++) {
        const results_nameserver_t *x = &a->nameservers[i], *y = &b->nameservers[i];
        if (!str_eq(x->name, y->name) || !str_eq(x->address, y->address) ||
            x->status != y->status || x->rtt_ms != y->rtt_ms)
            return false;
    }
    if (a->resolver_check.present && (a->resolver_check.ad != b->resolver_check.ad ||
                                      a->resolver_check.rcode != b->resolver_check.rcode ||
                                      a->resolver_check.ede != b->resolver_check.ede ||
                                      a->resolver_check.disagrees != b->resolver_check.disagrees))
        return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)results_peek_scanned_at(data, size);
    results_scan_meta_t meta;
    memset(&meta, 0, sizeof meta);
    if (results_scan_meta_decode(data, size, &meta) == 0)
        results_scan_meta_clear(&meta);

    results_record_t first, second;
    uint8_t *enc1 = NULL, *enc2 = NULL;
    size_t len1 = 0, len2 = 0;
    memset(&second, 0, sizeof second);
    if (results_record_decode(DOMAIN, data, size, &first) != 0)
        return 0;
    int rc = results_record_encode(&first, &enc1, &len1);
    if (rc == RESULTS_ENOMEM)
        goto done;
    if (rc != 0)
        abort(); /* the decoder accepted a record the encoder refuses */
    rc = results_record_decode(DOMAIN, enc1, len1, &second);
    if (rc == RESULTS_ENOMEM)
        goto done;
    if (rc != 0 || !records_equal(&first, &second))
        abort();
    rc = results_record_encode(&second, &enc2, &len2);
    if (rc == 0 && (len1 != len2 || memcmp(enc1, enc2, len1) != 0))
        abort();
done:
    free(enc1);
    free(enc2);
    results_record_free(&first);
    results_record_free(&second);
    return 0;
}
