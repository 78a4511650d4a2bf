/*
 * scanner_zonefile_referral(): the referral packet a parent would send for one delegation of a zone
 * file, so that the scanner's delegation code takes the file's data exactly as it takes the
 * wire's. Runs once per scanned delegation (not in the reader's hot path), so ldns parses the
 * records.
 */
#include "scanner/zonefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rr_from(const scanner_zonefile_rr_t *z, ldns_rr **out, char *err, size_t err_len)
{
    const ldns_rr_descriptor *desc = ldns_rr_descript(z->type);
    size_t len = strlen(z->owner) + strlen(z->rdata) + 64;
    char *text = malloc(len);
    if (!text) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    snprintf(text, len, "%s %u IN %s %s", z->owner, (unsigned)z->ttl,
             desc && desc->_name ? desc->_name : "TYPE0", z->rdata);
    ldns_status st = ldns_rr_new_frm_str(out, text, 0, NULL, NULL);
    free(text);
    if (st != LDNS_STATUS_OK) {
        snprintf(err, err_len, "line %llu: %s", (unsigned long long)z->line,
                 ldns_get_errorstr_by_id(st));
        return -1;
    }
    return 0;
}

/* A/AAAA of owner is glue when owner is the target of one of the delegation's NS records. */
static bool is_ns_target(const scanner_zonefile_delegation_t *dg, const char *owner)
{
    for (size_t i = 0; i < dg->n_rrs; i++)
        if (dg->rrs[i].type == LDNS_RR_TYPE_NS && strcmp(dg->rrs[i].rdata, owner) == 0)
            return true;
    return false;
}

int scanner_zonefile_referral(const scanner_zonefile_delegation_t *dg, ldns_pkt **out,
                              bool *has_ds_sig, bool *has_nsec_sig, char *err, size_t err_len)
{
    *out = NULL;
    bool ds = false, ds_sig = false, nsec = false, nsec_sig = false;
    ldns_pkt *pkt = ldns_pkt_new();
    if (!pkt) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < dg->n_rrs; i++) {
        const scanner_zonefile_rr_t *z = &dg->rrs[i];
        bool at_child = strcmp(z->owner, dg->child) == 0;
        ldns_pkt_section sec = LDNS_SECTION_AUTHORITY;
        switch (z->type) {
        case LDNS_RR_TYPE_A:
        case LDNS_RR_TYPE_AAAA:
            if (!is_ns_target(dg, z->owner))
                continue;
            sec = LDNS_SECTION_ADDITIONAL;
            break;
        case LDNS_RR_TYPE_DS:
            ds = true;
            break;
        case LDNS_RR_TYPE_NSEC:
            nsec = true;
            break;
        case LDNS_RR_TYPE_RRSIG:
            ds_sig |= z->covered == LDNS_RR_TYPE_DS;
            nsec_sig |= z->covered == LDNS_RR_TYPE_NSEC;
            break;
        default:
            break;
        }
        if (!at_child && sec == LDNS_SECTION_AUTHORITY)
            continue;
        ldns_rr *rr = NULL;
        if (rr_from(z, &rr, err, err_len) != 0) {
            ldns_pkt_free(pkt);
            return -1;
        }
        ldns_pkt_push_rr(pkt, sec, rr);
    }
    *has_ds_sig = ds && ds_sig;
    *has_nsec_sig = nsec && nsec_sig;
    *out = pkt;
    return 0;
}
