/* Which zone answered: the signer of an RRSIG or the owner of a SOA strictly above the name asked
 * about (scan_pkt_answering_zone(), cuts.c), as the walk reads it to find a missed zone cut. The
 * answers are those the lab's "multi" NSD gives (tests/lab/catalog.py, zone-cut block). */
#include "scanner/internal.h"
#include "scanner/domain.h"
#include "tests/tap.h"

#define SIG                                                                                        \
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="

/* A packet with rrs[] (section per entry: 'a' answer, 'u' authority, 'd' additional). */
static ldns_pkt *packet(const char *const *rrs, const char *sections)
{
    ldns_pkt *p = ldns_pkt_new();
    for (size_t i = 0; rrs[i]; i++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL) != LDNS_STATUS_OK) {
            fprintf(stderr, "bad RR %s\n", rrs[i]);
            continue;
        }
        ldns_pkt_section sec = sections[i] == 'a'   ? LDNS_SECTION_ANSWER
                               : sections[i] == 'u' ? LDNS_SECTION_AUTHORITY
                                                    : LDNS_SECTION_ADDITIONAL;
        ldns_pkt_push_rr(p, sec, rr);
    }
    return p;
}

/* The zone named for child in the packet, as text ("-" for none). */
static void answering(const char *const *rrs, const char *sections, const char *child, char *out,
                      size_t len)
{
    ldns_pkt *p = packet(rrs, sections);
    ldns_rdf *c = ldns_dname_new_frm_str(child);
    const ldns_rdf *z = scan_pkt_answering_zone(p, c);
    if (z)
        scan_name_text(z, out, len);
    else
        snprintf(out, len, "-");
    ldns_rdf_deep_free(c);
    ldns_pkt_free(p);
}

int main(void)
{
    char got[LDNS_MAX_DOMAINLEN + 2];

    const char *ds_answer[] = {
        "dom.sub.reg.test. 3600 IN DS 51008 13 2 "
        "9E4DFD0D87684B329290A7E2163B6F608ADA0370F7A62DCBA9645D7FB54916FE",
        "dom.sub.reg.test. 3600 IN RRSIG DS 13 4 3600 20270105164559 20261206154559 2977 "
        "sub.reg.test. " SIG,
        NULL};
    answering(ds_answer, "aa", "dom.sub.reg.test.", got, sizeof got);
    is_str(got, "sub.reg.test.", "DS answer: the signer of its RRSIG names the zone");

    const char *unsigned_nodata[] = {
        "mid.reg.test. 300 IN SOA ns1.mid.reg.test. hostmaster.mid.reg.test. 1 3600 600 86400 300",
        NULL};
    answering(unsigned_nodata, "u", "dom.mid.reg.test.", got, sizeof got);
    is_str(got, "mid.reg.test.", "unsigned NODATA: the owner of its SOA names the zone");

    const char *referral_0x20[] = {
        "deleg.sub.reg.test. 3600 IN NS ns1.deleg.sub.reg.test.",
        "deleg.sub.reg.test. 3600 IN DS 23166 13 2 "
        "B54264C4924B253C73C4ECF22B4D2A44809DB43FA971BE0A9626C7E5CCA90070",
        "deleg.sub.reg.test. 3600 IN RRSIG DS 13 4 3600 20270105164559 20261206154559 2977 "
        "sUb.ReG.tEsT. " SIG,
        "ns1.deleg.sub.reg.test. 3600 IN A 127.94.3.1", NULL};
    answering(referral_0x20, "uuud", "deleg.sub.reg.test.", got, sizeof got);
    is_str(got, "sub.reg.test.", "signed referral, signer in 0x20 case: the signer names the zone");

    const char *own_answer[] = {
        "dom.sub.reg.test. 3600 IN NS ns1.dom.sub.reg.test.",
        "dom.sub.reg.test. 3600 IN RRSIG NS 13 4 3600 20270105164559 20261206154559 19088 "
        "dOm.sUb.rEg.TeSt. " SIG,
        NULL};
    answering(own_answer, "aa", "dom.sub.reg.test.", got, sizeof got);
    is_str(got, "-", "the child's own NS RRSIG says nothing about its parent (even in 0x20 case)");

    const char *unsigned_referral[] = {"far.mid.reg.test. 3600 IN NS ns1.far.mid.reg.test.",
                                       "ns1.far.mid.reg.test. 3600 IN A 127.94.3.1", NULL};
    answering(unsigned_referral, "ud", "far.mid.reg.test.", got, sizeof got);
    is_str(got, "-", "unsigned referral (NS and glue only): no zone named");

    const char *sideways[] = {
        "dom.sub.reg.test. 3600 IN RRSIG DS 13 4 3600 20270105164559 20261206154559 2977 "
        "other.test. " SIG,
        NULL};
    answering(sideways, "a", "dom.sub.reg.test.", got, sizeof got);
    is_str(got, "-", "a signer that is not above the name is ignored");

    const char *proof[] = {
        "reg.test. 300 IN SOA ns1.reg.test. hostmaster.reg.test. 1 3600 600 86400 300",
        "reg.test. 300 IN RRSIG SOA 13 2 3600 20270105164559 20261206154559 38924 reg.test. " SIG,
        "mid.reg.test. 300 IN NSEC ns1.reg.test. NS RRSIG NSEC",
        "mid.reg.test. 300 IN RRSIG NSEC 13 3 300 20270105164559 20261206154559 38924 "
        "reg.test. " SIG,
        NULL};
    answering(proof, "uuuu", "mid.reg.test.", got, sizeof got);
    is_str(got, "reg.test.", "signed proof of no DS: the parent side names the parent");
    return tap_done();
}
