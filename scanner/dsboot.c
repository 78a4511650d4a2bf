/*
 * RFC 9615 authenticated bootstrapping: a domain without DS that publishes CDS/CDNSKEY may get
 * its first DS when every name server's operator vouches for it with the same records at
 * _dsboot.<domain>._signal.<ns name>, DNSSEC-signed in the zone of that name. Here each signal
 * is looked up on the loop: from the closest zone in the cache, following referrals (each zone
 * set up and its keys validated from the root as for parent zones, zones.c), then CDS and
 * CDNSKEY asked of the zone that answers. The worker verifies the answers (judge.c).
 */
#include "scanner/internal.h"
#include "scanner/zones.h"
#include "scanner/domain.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void lookup(scan_dsboot_t *b);

static void finish(scan_dsboot_t *b)
{
    scan_zone_t *z = b->zone;
    if (z && z->state == SCAN_ZONE_READY) {
        b->security = z->security;
        if (z->security == SCAN_ZONE_SECURE && z->keyset)
            b->keyset = verify_keyset_ref(z->keyset);
    }
    scan_domain_question_done(b->d);
}

static void fail(scan_dsboot_t *b, const char *what)
{
    b->failed = true;
    snprintf(b->detail, sizeof b->detail, "%s", what);
    finish(b);
}

/* Owners in the case of the name asked, not the 0x20 case of the wire (judge.c does the same
 * for the servers' answers). */
static void lower_owners(ldns_pkt *p)
{
    ldns_rr_list *sections[] = {ldns_pkt_answer(p), ldns_pkt_authority(p)};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; sections[s] && i < ldns_rr_list_rr_count(sections[s]); i++)
            ldns_dname2canonical(ldns_rr_owner(ldns_rr_list_rr(sections[s], i)));
}

static void answered(void *arg, const io_result_t *r);

static void ask(scan_dsboot_t *b, int which)
{
    scan_domain_t *d = b->d;
    scan_zone_t *z = b->zone;
    b->asking = which;
    size_t n = z->n_addrs < IO_MAX_SERVERS ? z->n_addrs : IO_MAX_SERVERS;
    int rc =
        scan_send(d->s, z->addrs, n, b->qname, NULL,
                  which == 0 ? LDNS_RR_TYPE_CDS : LDNS_RR_TYPE_CDNSKEY, IO_FLAG_DO, answered, b);
    if (rc != 0) {
        b->errors[which] = rc;
        fail(b, "the signal question could not be sent");
        return;
    }
    d->queries++;
}

static void answered(void *arg, const io_result_t *r)
{
    scan_dsboot_t *b = arg;
    ldns_pkt *pkt = r->pkt;
    if (r->status != 0 || !pkt) {
        b->errors[b->asking] = r->status ? r->status : IO_EMALFORMED;
        ldns_pkt_free(pkt);
        snprintf(b->detail, sizeof b->detail, "no answer from the servers of %s (%s)",
                 b->zone->name, io_strerror(b->errors[b->asking]));
        finish(b);
        return;
    }
    lower_owners(pkt);
    const ldns_rdf *cut = scan_pkt_referral_cut(pkt);
    if (b->asking == 0 && ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR && !ldns_pkt_aa(pkt) &&
        cut && ldns_dname_is_subdomain(cut, b->zone->dname) &&
        (ldns_dname_compare(cut, b->qname) == 0 || ldns_dname_is_subdomain(b->qname, cut))) {
        scan_zone_t *next = ++b->referrals > SCAN_MAX_REFERRALS
                                ? NULL
                                : scan_zone_from_referral(b->d->s, b->zone, pkt, cut, 0);
        ldns_pkt_free(pkt); /* the zone cloned what it keeps */
        if (!next) {
            fail(b, "the referrals towards the signal could not be followed");
            return;
        }
        b->zone = next;
        lookup(b);
        return;
    }
    b->answers[b->asking] = pkt;
    if (b->asking == 0)
        ask(b, 1);
    else
        finish(b);
}

static void zone_ready(void *arg)
{
    lookup(arg);
}

static void lookup(scan_dsboot_t *b)
{
    scan_zone_t *z = b->zone;
    if (scan_zone_wait(z, zone_ready, b))
        return;
    if (z->state == SCAN_ZONE_FAILED) {
        snprintf(b->detail, sizeof b->detail, "zone %s could not be set up: %s", z->name, z->why);
        b->failed = true;
        finish(b);
        return;
    }
    if (z->security == SCAN_ZONE_BOGUS) {
        snprintf(b->detail, sizeof b->detail, "zone %s fails validation: %s", z->name, z->why);
        b->failed = true;
        finish(b);
        return;
    }
    ask(b, 0);
}

/* _dsboot.<domain>._signal.<ns>, or NULL when it cannot be a name (too long). */
static ldns_rdf *signal_name(const char *domain, const char *ns)
{
    char text[LDNS_MAX_DOMAINLEN * 2 + 32];
    int n = snprintf(text, sizeof text, "_dsboot.%s._signal.%s.", domain, ns);
    if (n < 0 || (size_t)n >= sizeof text || n > LDNS_MAX_DOMAINLEN)
        return NULL;
    ldns_rdf *name = NULL;
    return ldns_str2rdf_dname(&name, text) == LDNS_STATUS_OK ? name : NULL;
}

void scan_dsboot_start(scan_domain_t *d)
{
    if (d->dsboot_started || !d->referral)
        return;
    d->dsboot_started = true;
    ldns_rr_list *ns = scan_pkt_rrs(d->referral, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_NS, d->dname);
    size_t n = ldns_rr_list_rr_count(ns);
    if (n > SCAN_MAX_DSBOOT)
        n = SCAN_MAX_DSBOOT; /* a bootstrap needs every one: the rule refuses a cut list */
    d->dsboot = n ? calloc(n, sizeof *d->dsboot) : NULL;
    for (size_t i = 0; d->dsboot && i < n; i++) {
        const ldns_rdf *host = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
        char text[VERIFY_NAME_TEXT_LEN];
        if (!host ||
            verify_name_text(ldns_rdf_data(host), ldns_rdf_size(host), text, sizeof text) < 0)
            continue;
        size_t len = strlen(text);
        if (len > 1 && text[len - 1] == '.')
            text[len - 1] = '\0';
        for (char *p = text; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        bool seen = false;
        for (size_t k = 0; k < d->n_dsboot && !seen; k++)
            seen = strcmp(d->dsboot[k].ns_name, text) == 0;
        if (seen)
            continue;
        scan_dsboot_t *b = &d->dsboot[d->n_dsboot++];
        b->d = d;
        b->errors[0] = b->errors[1] = 0;
        b->security = SCAN_ZONE_INSECURE;
        snprintf(b->ns_name, sizeof b->ns_name, "%s", text);
        if (host && ldns_dname_is_subdomain(host, d->dname)) {
            /* The domain itself is not secure yet: a signal there proves nothing. */
            b->failed = true;
            snprintf(b->detail, sizeof b->detail,
                     "%s is inside the domain: its signal cannot be validated", text);
            continue;
        }
        if (!(b->qname = signal_name(d->name, text))) {
            b->failed = true;
            snprintf(b->detail, sizeof b->detail, "the signal name for %s is too long", text);
            continue;
        }
        b->zone = scan_zone_closest(d->s, b->qname, false);
        d->queries_pending++;
        lookup(b);
    }
    ldns_rr_list_free(ns);
}

void scan_dsboot_free(scan_domain_t *d)
{
    for (size_t i = 0; i < d->n_dsboot; i++) {
        scan_dsboot_t *b = &d->dsboot[i];
        ldns_pkt_free(b->answers[0]);
        ldns_pkt_free(b->answers[1]);
        ldns_rdf_deep_free(b->qname);
        verify_keyset_free(b->keyset);
    }
    free(d->dsboot);
    d->dsboot = NULL;
    d->n_dsboot = 0;
}
