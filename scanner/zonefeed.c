/*
 * `scan --zone-file`: the delegations of a parent zone file as the scan's input.
 *
 * Each delegation becomes a domain that walks from the root like any other (so the parent zone,
 * the file's apex, is set up and validated normally: its keys judge the DS), except that the
 * last question, the parent's referral for the domain, is not asked: the referral is built from
 * the file's NS, glue, DS and NSEC records (scan_file_delegation, called by domain_lookup once
 * the domain's zone is the apex).
 *
 * Where the DS comes from: from the file when the file settles the parent's side: a DS RRset
 * with its RRSIG, an NSEC (with RRSIG) at the child proving there is none, or an unsigned
 * parent. Otherwise (e.g. a signed NSEC3 parent: the proof of no DS sits at a hashed owner
 * elsewhere in the file; or a file without RRSIGs) one DS question to the parent's servers
 * completes the referral, and the record says the DS came from the wire.
 */
#include "scanner/internal.h"
#include "scanner/domain.h"
#include "scanner/feed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/zonefile.h"

int scan_feed_open(scanner_t *s)
{
    if (!s->cfg->zone_file)
        return scanner_input_open(s->cfg->input, &s->input);
    return scanner_zonefile_open(s->cfg->zone_file, NULL, &s->zonefile);
}

void scan_feed_close(scanner_t *s)
{
    scanner_input_free(s->input);
    s->input = NULL;
    scanner_zonefile_free(s->zonefile);
    s->zonefile = NULL;
    ldns_rdf_deep_free(s->scanner_zonefile_apex);
    s->scanner_zonefile_apex = NULL;
}

int scan_feed_next(scanner_t *s, scanner_input_item_t *item)
{
    if (!s->zonefile)
        return scanner_input_next(s->input, item);
    s->zonefile_current = false;
    for (;;) {
        int rc = scanner_zonefile_next(s->zonefile, &s->zonefile_dg);
        if (rc == ZONEFILE_EOF)
            return SCANNER_INPUT_EOF;
        if (rc < 0) {
            if (scanner_zonefile_error(s->zonefile)[0]) {
                fprintf(stderr, "dnssweep: %s:%llu: %s\n", s->cfg->zone_file,
                        (unsigned long long)scanner_zonefile_error_line(s->zonefile),
                        scanner_zonefile_error(s->zonefile));
                return -EINVAL;
            }
            return rc;
        }
        if (rc == ZONEFILE_BAD) {
            item->line = scanner_zonefile_error_line(s->zonefile);
            snprintf(item->error, sizeof item->error, "%s", scanner_zonefile_error(s->zonefile));
            return SCANNER_INPUT_BAD;
        }
        if (!s->scanner_zonefile_apex) {
            s->scanner_zonefile_apex = ldns_dname_new_frm_str(scanner_zonefile_apex(s->zonefile));
            if (!s->scanner_zonefile_apex)
                return -ENOMEM;
        }
        const char *child = s->zonefile_dg.child;
        size_t len = strlen(child);
        item->line = s->zonefile_dg.line;
        if (scanner_name_normalise(child, len > 1 ? len - 1 : len, item->name, item->error,
                                   sizeof item->error) != 0)
            return SCANNER_INPUT_BAD;
        s->zonefile_current = true;
        return SCANNER_INPUT_NAME;
    }
}

void scan_feed_attach(scanner_t *s, scan_domain_t *d)
{
    if (!s->zonefile || !s->zonefile_current)
        return;
    char err[300];
    bool ds_sig = false, nsec_sig = false;
    if (scanner_zonefile_referral(&s->zonefile_dg, &d->file_referral, &ds_sig, &nsec_sig, err,
                                  sizeof err) != 0) {
        /* The domain then walks to its parent and asks, as without a zone file. */
        fprintf(stderr, "dnssweep: %s: %s: %s; asking the parent instead\n", s->cfg->zone_file,
                d->name, err);
        d->file_referral = NULL;
        return;
    }
    d->file_settles_ds = ds_sig || nsec_sig;
    s->stats.zonefile_delegations++;
}

/* The parent's answer to DS completes the file's referral. */
static void file_ds_answer(void *arg, const io_result_t *r)
{
    scan_domain_t *d = arg;
    d->queries_pending--;
    if (r->status != 0) {
        char detail[300];
        snprintf(detail, sizeof detail, "the servers of %s gave no answer to %s DS (%s)",
                 d->zone->name, d->name, io_strerror(r->status));
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "%s", detail);
        return;
    }
    ldns_pkt *referral = d->file_referral;
    d->file_referral = NULL;
    /* The file's DS without RRSIG would only hide the wire's: keep NS (and glue). */
    ldns_rr_list *ns_ref =
        scan_pkt_rrs(referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NS, d->dname);
    ldns_rr_list *ns = ldns_rr_list_clone(ns_ref); /* combined owns its RRs */
    ldns_rr_list_free(ns_ref);
    ldns_rr_list *glue = ldns_rr_list_clone(ldns_pkt_additional(referral));
    ldns_rr_list *an = ldns_rr_list_clone(ldns_pkt_answer(r->pkt));
    ldns_rr_list *au = ldns_rr_list_clone(ldns_pkt_authority(r->pkt));
    ldns_pkt *combined = ldns_pkt_new();
    ldns_pkt_push_rr_list(combined, LDNS_SECTION_AUTHORITY, ns);
    ldns_pkt_push_rr_list(combined, LDNS_SECTION_AUTHORITY, an);
    ldns_pkt_push_rr_list(combined, LDNS_SECTION_AUTHORITY, au);
    ldns_pkt_push_rr_list(combined, LDNS_SECTION_ADDITIONAL, glue);
    ldns_rr_list_free(ns);
    ldns_rr_list_free(an);
    ldns_rr_list_free(au);
    ldns_rr_list_free(glue);
    ldns_pkt_free(r->pkt);
    ldns_pkt_free(referral);
    scan_domain_set_referral(d, combined, false);
    scan_domain_delegation(d);
}

bool scan_file_delegation(scan_domain_t *d)
{
    scanner_t *s = d->s;
    scan_zone_t *z = d->zone;
    if (!d->file_referral || !s->scanner_zonefile_apex ||
        ldns_dname_compare(z->dname, s->scanner_zonefile_apex))
        return false;
    if (z->security != SCAN_ZONE_SECURE || d->file_settles_ds) {
        scan_domain_set_referral(d, d->file_referral, false); /* built by ldns */
        d->file_referral = NULL;
        d->ds_from_file = true;
        s->stats.ds_from_file++;
        scan_domain_delegation(d);
        return true;
    }
    size_t n = z->n_addrs < IO_MAX_SERVERS ? z->n_addrs : IO_MAX_SERVERS;
    if (scan_send(s, z->addrs, n, d->dname, NULL, LDNS_RR_TYPE_DS, IO_FLAG_DO, file_ds_answer, d) !=
        0) {
        scan_domain_conclude(d, SCAN_OUTCOME_INDETERMINATE, "could not send the DS query");
        return true;
    }
    d->queries++;
    d->queries_pending++;
    s->stats.ds_from_wire++;
    return true;
}
