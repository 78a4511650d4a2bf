/*
 * DS automation rules (results_ds_decide) on crafted records: each rule of RFC 7344 §4.1 and
 * RFC 8078 that `ds-actions` applies, the stability over scans, the CDNSKEY key tag (checked
 * against ldns-parsed keys), and the schema-4 extension block of the record encoding.
 */
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"
#include "tests/tap.h"

#define DOMAIN "cds.test"
#define CDS_NEW                                                                                    \
    DOMAIN ".\t3600\tIN\tCDS\t4242 13 2 "                                                          \
           "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define CDS_OTHER                                                                                  \
    DOMAIN ".\t3600\tIN\tCDS\t5151 13 2 "                                                          \
           "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"
#define CDS_DELETE DOMAIN ".\t3600\tIN\tCDS\t0 0 0 00"

/* One crafted domain: two servers serving the same CDS, signed by DS-matched key 1111, the CDS
 * key signing the DNSKEY RRset; the parent holds the old DS (CDS_PENDING). */
typedef struct crafted {
    results_record_t rec;
    results_ds_t ds;
    results_reason_t reasons[2];
    results_cds_record_t recs[2][2];
    results_cds_server_t servers[2];
} crafted_t;

static void craft(crafted_t *c, const char *cds_text)
{
    memset(c, 0, sizeof *c);
    c->ds = (results_ds_t){1111, 13, 2, "AA"};
    c->rec.domain = DOMAIN;
    c->rec.status = VERIFY_STATUS_SECURE;
    c->rec.parent = (results_parent_t){
        .zone = "test", .is_signed = true, .ds_ttl = 7200, .n_ds = 1, .ds = &c->ds};
    c->reasons[0] = (results_reason_t){VERIFY_REASON_CDS_PENDING, NULL, DOMAIN "/CDS", "differ"};
    c->rec.reasons = c->reasons;
    c->rec.n_reasons = 1;
    static const char *cds_list[1];
    cds_list[0] = cds_text;
    c->rec.cds = cds_list;
    c->rec.n_cds = 1;
    static const char *addrs[] = {"192.0.2.1", "192.0.2.2"};
    for (int s = 0; s < 2; s++) {
        c->recs[s][0] = (results_cds_record_t){cds_text, true, true};
        c->servers[s] = (results_cds_server_t){.address = addrs[s],
                                               .cds_signer = 1111,
                                               .cdnskey_signer = -1,
                                               .tcp = RESULTS_CDS_TCP_SAME,
                                               .answered = true,
                                               .n_records = 1,
                                               .records = c->recs[s]};
    }
    c->rec.cds_servers = c->servers;
    c->rec.n_cds_servers = 2;
}

static results_ds_decision_t decide1(const results_record_t *rec)
{
    results_ds_decision_t d;
    const results_record_t *recs[1] = {rec};
    int rc = results_ds_decide(recs, 1, 1, &d);
    if (rc != 0)
        d.action = RESULTS_DS_NONE;
    return d;
}

static void test_rules(void)
{
    crafted_t c;
    craft(&c, CDS_NEW);
    results_ds_decision_t d = decide1(&c.rec);
    is_str(results_ds_action_name(d.action), "replace", "same signed CDS on every server: replace");

    craft(&c, CDS_NEW);
    c.recs[1][0].text = CDS_OTHER;
    d = decide1(&c.rec);
    is_str(results_ds_action_name(d.action), "refused", "a server serving another CDS: refused");
    is_str(verify_reason_name(d.reason), "CDS_INVALID", "... CDS_INVALID");
    is_str(d.server, "192.0.2.2", "... naming the server that differs");
    is_int(d.key_tag, 5151, "... and the key tag it serves");

    craft(&c, CDS_NEW);
    c.servers[1].n_records = 0;
    d = decide1(&c.rec);
    is_str(d.server, "192.0.2.2", "a server serving no CDS while another does: refused, named");

    craft(&c, CDS_NEW);
    c.servers[0].tcp = RESULTS_CDS_TCP_DIFFERENT;
    d = decide1(&c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "TCP"),
       "other records over TCP: refused (%s)", d.detail);

    craft(&c, CDS_NEW);
    c.servers[1].answered = false;
    d = decide1(&c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strcmp(d.server, "192.0.2.2") == 0,
       "a server that did not answer: refused (%s)", d.detail);

    craft(&c, CDS_NEW);
    c.servers[0].cds_signer = -1;
    c.reasons[1] = (results_reason_t){VERIFY_REASON_CDS_INVALID, NULL, DOMAIN "/CDS",
                                      "signed only by DNSKEY 4242, which no parent DS matches"};
    c.rec.n_reasons = 2;
    d = decide1(&c.rec);
    ok(d.action == RESULTS_DS_REFUSED && d.reason == VERIFY_REASON_CDS_INVALID &&
           strcmp(d.server, "192.0.2.1") == 0 && strstr(d.detail, "no parent DS matches"),
       "CDS not signed by a DS-authenticated key: refused with the server (%s)", d.detail);

    craft(&c, CDS_NEW);
    c.recs[0][0].signs_dnskey = c.recs[1][0].signs_dnskey = false;
    d = decide1(&c.rec);
    ok(d.action == RESULTS_DS_REFUSED && d.key_tag == 4242 && strstr(d.detail, "break"),
       "no CDS key signs the DNSKEY RRset (would orphan the zone): refused (%s)", d.detail);

    craft(&c, CDS_DELETE);
    c.recs[0][0].signs_dnskey = c.recs[1][0].signs_dnskey = false;
    c.reasons[0].code = VERIFY_REASON_CDS_DELETE;
    d = decide1(&c.rec);
    is_str(results_ds_action_name(d.action), "remove",
           "RFC 8078 delete on a secure domain: remove");

    c.rec.status = VERIFY_STATUS_BOGUS;
    d = decide1(&c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "bogus"),
       "... the same on a bogus domain: refused (%s)", d.detail);

    craft(&c, CDS_NEW);
    c.rec.reasons = NULL;
    c.rec.n_reasons = 0;
    d = decide1(&c.rec);
    is_str(results_ds_action_name(d.action), "none",
           "CDS equal to the DS (no CDS_PENDING): no line");

    crafted_t none;
    craft(&none, CDS_NEW);
    none.rec.n_cds = 0;
    none.rec.n_cds_servers = 0;
    d = decide1(&none.rec);
    is_str(results_ds_action_name(d.action), "none", "nothing published: no line");
}

#define SIG_OWNER "_dsboot." DOMAIN "._signal."
#define SIG_NS1                                                                                    \
    SIG_OWNER "ns1.signal.test.\t3600\tIN\tCDS\t4242 13 2 "                                        \
              "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define SIG_NS2                                                                                    \
    SIG_OWNER "ns2.signal.test.\t3600\tIN\tCDS\t4242 13 2 "                                        \
              "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define SIG_OTHER                                                                                  \
    SIG_OWNER "ns2.signal.test.\t3600\tIN\tCDS\t5151 13 2 "                                        \
              "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"

/* A domain without DS (the parent signed, proving none), self-signed CDS on two servers, and a
 * validated signal on each of its two NS names. */
typedef struct boot {
    crafted_t c;
    const char *sig_recs[2][1];
    results_dsboot_t signals[2];
    results_nameserver_t ns[2];
} boot_t;

static void craft_boot(boot_t *b)
{
    craft(&b->c, CDS_NEW);
    results_record_t *rec = &b->c.rec;
    rec->status = VERIFY_STATUS_INSECURE;
    rec->parent.n_ds = 0;
    rec->parent.ds = NULL;
    rec->parent.ds_ttl = 0;
    b->c.reasons[0] =
        (results_reason_t){VERIFY_REASON_DNSKEY_WITHOUT_DS, NULL, DOMAIN "/DNSKEY", "no DS"};
    for (int s = 0; s < 2; s++)
        b->c.servers[s].cds_signer = 4242; /* self-signed: no DS to authenticate a key */
    static const char *names[] = {"ns1.signal.test", "ns2.signal.test"};
    b->sig_recs[0][0] = SIG_NS1;
    b->sig_recs[1][0] = SIG_NS2;
    for (int i = 0; i < 2; i++) {
        b->signals[i] = (results_dsboot_t){.ns_name = names[i],
                                           .zone = "signal.test.",
                                           .state = RESULTS_DSBOOT_VALID,
                                           .signer = 777,
                                           .n_records = 1,
                                           .records = b->sig_recs[i]};
        b->ns[i] =
            (results_nameserver_t){names[i], b->c.servers[i].address, VERIFY_STATUS_INSECURE, 5};
    }
    rec->dsboot = b->signals;
    rec->n_dsboot = 2;
    rec->nameservers = b->ns;
    rec->n_nameservers = 2;
}

static void test_bootstrap(void)
{
    boot_t b;
    craft_boot(&b);
    results_ds_decision_t d = decide1(&b.c.rec);
    is_str(results_ds_action_name(d.action), "add",
           "no DS, validated matching signals on every NS name: add");

    craft_boot(&b);
    b.signals[1].state = RESULTS_DSBOOT_INSECURE;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strcmp(d.server, "ns2.signal.test") == 0 &&
           strstr(d.detail, "insecure"),
       "a signal in an unsigned zone: refused, naming that NS (%s)", d.detail);

    craft_boot(&b);
    b.signals[0].state = RESULTS_DSBOOT_ABSENT;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strcmp(d.server, "ns1.signal.test") == 0,
       "one NS name without a signal: refused (%s)", d.detail);

    craft_boot(&b);
    b.sig_recs[1][0] = SIG_OTHER;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "differs"),
       "a signal with other records than the apex: refused (%s)", d.detail);

    craft_boot(&b);
    b.c.rec.n_dsboot = 1;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strcmp(d.server, "ns2.signal.test") == 0,
       "an NS name whose signal was not looked up: refused (%s)", d.detail);

    craft_boot(&b);
    b.c.recs[0][0].signs_dnskey = b.c.recs[1][0].signs_dnskey = false;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "break"),
       "bootstrap CDS of a key that signs nothing: refused (%s)", d.detail);

    craft_boot(&b);
    b.c.servers[0].disagree = true;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "different keys"),
       "CDS and CDNSKEY describing different keys: refused (%s)", d.detail);

    craft_boot(&b);
    b.c.rec.parent.is_signed = false;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "not signed"),
       "no DS under an unsigned parent: refused (%s)", d.detail);

    craft_boot(&b);
    b.c.rec.n_dsboot = 0;
    d = decide1(&b.c.rec);
    ok(d.action == RESULTS_DS_REFUSED && strstr(d.detail, "RFC 9615"),
       "no DS and no signals in the record (resolver mode, older record): refused (%s)", d.detail);

    craft_boot(&b);
    uint8_t *buf = NULL;
    size_t len = 0;
    results_record_t back;
    is_int(results_record_encode(&b.c.rec, &buf, &len), 0, "a record with signals encodes");
    is_int(results_record_decode(DOMAIN, buf, len, &back), 0, "... and decodes");
    ok(back.n_dsboot == 2 && strcmp(back.dsboot[1].ns_name, "ns2.signal.test") == 0 &&
           strcmp(back.dsboot[1].zone, "signal.test.") == 0 &&
           back.dsboot[1].state == RESULTS_DSBOOT_VALID && back.dsboot[1].signer == 777 &&
           back.dsboot[1].n_records == 1 && strcmp(back.dsboot[1].records[0], SIG_NS2) == 0 &&
           back.n_cds_servers == 2,
       "every signal field round-trips");
    const results_record_t *one[1] = {&back};
    results_ds_decide(one, 1, 1, &d);
    is_str(results_ds_action_name(d.action), "add", "... and decides the same after decoding");
    results_record_free(&back);
    free(buf);
}

static void test_stability(void)
{
    crafted_t a, b, c;
    craft(&a, CDS_NEW);
    craft(&b, CDS_NEW);
    craft(&c, CDS_NEW);
    const results_record_t *three[3] = {&a.rec, &b.rec, &c.rec};
    results_ds_decision_t d;
    is_int(results_ds_decide(three, 3, 3, &d), 0, "decide over 3 scans");
    is_str(results_ds_action_name(d.action), "replace", "the same in 3 of 3 scans: replace");
    is_int(d.stable_in, 3, "... stable in 3");

    results_ds_decide(three, 2, 3, &d);
    ok(d.action == RESULTS_DS_REFUSED && d.reason == VERIFY_REASON_CDS_PENDING && d.stable_in == 2,
       "only 2 finished scans for --stable 3: refused CDS_PENDING, stable in %zu (%s)", d.stable_in,
       d.detail);

    c.recs[0][0].text = c.recs[1][0].text = CDS_OTHER;
    results_ds_decide(three, 3, 3, &d);
    ok(d.action == RESULTS_DS_REFUSED && d.reason == VERIFY_REASON_CDS_PENDING && d.stable_in == 2,
       "other CDS in the oldest scan: not stable (stable in %zu)", d.stable_in);

    const results_record_t *gap[3] = {&a.rec, NULL, &c.rec};
    results_ds_decide(gap, 3, 3, &d);
    ok(d.action == RESULTS_DS_REFUSED && d.stable_in == 1,
       "domain absent from the scan before: stable in %zu only", d.stable_in);
}

/* CDNSKEY key tags computed from the stored text agree with ldns on the same records. */
static void test_key_tags(void)
{
    static const char *keys[] = {
        "257 3 13 "
        "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
        "256 3 8 "
        "AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/"
        "DlUmObdk=",
        "257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
        "257 3 8 AwEAAag=",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "k.test.\t60\tIN\tCDNSKEY\t%s", keys[i]);
        ldns_rr *rr = NULL;
        char dnskey[512];
        snprintf(dnskey, sizeof dnskey, "k.test. 60 IN DNSKEY %s", keys[i]);
        if (ldns_rr_new_frm_str(&rr, dnskey, 0, NULL, NULL) != LDNS_STATUS_OK) {
            ok(0, "ldns parses key %zu", i);
            continue;
        }
        is_int(results_ds_record_key_tag(text), ldns_calc_keytag(rr),
               "CDNSKEY key tag of key %zu matches ldns", i);
        ldns_rr_free(rr);
    }
    is_int(results_ds_record_key_tag(CDS_NEW), 4242, "CDS key tag is its first field");
}

static void test_codec(void)
{
    crafted_t c;
    craft(&c, CDS_NEW);
    c.servers[1].tcp = RESULTS_CDS_TCP_NO_ANSWER;
    c.servers[1].cdnskey_signer = 65535;
    c.recs[1][0].signs_dnskey = false;
    uint8_t *buf = NULL;
    size_t len = 0;
    is_int(results_record_encode(&c.rec, &buf, &len), 0, "a record with CDS servers encodes");
    results_record_t back;
    is_int(results_record_decode(DOMAIN, buf, len, &back), 0, "... and decodes");
    ok(back.n_cds_servers == 2 && strcmp(back.cds_servers[1].address, "192.0.2.2") == 0 &&
           back.cds_servers[1].tcp == RESULTS_CDS_TCP_NO_ANSWER &&
           back.cds_servers[1].cdnskey_signer == 65535 && back.cds_servers[0].cds_signer == 1111 &&
           back.cds_servers[0].cdnskey_signer == -1 && back.cds_servers[1].answered &&
           back.cds_servers[1].n_records == 1 &&
           strcmp(back.cds_servers[1].records[0].text, CDS_NEW) == 0 &&
           back.cds_servers[1].records[0].served && !back.cds_servers[1].records[0].signs_dnskey,
       "every CDS server field round-trips");
    results_record_free(&back);

    /* The same record without servers is what schema 3 wrote: it must end where the block
     * starts, and that prefix must decode with no servers. */
    crafted_t plain = c;
    plain.rec.n_cds_servers = 0;
    plain.rec.cds_servers = NULL;
    uint8_t *old = NULL;
    size_t old_len = 0;
    results_record_encode(&plain.rec, &old, &old_len);
    ok(old_len < len && memcmp(old, buf, old_len) == 0,
       "a record without CDS servers is the schema-3 prefix (%zu of %zu bytes)", old_len, len);
    is_int(results_record_decode(DOMAIN, buf, old_len, &back), 0,
           "a schema-3 record (no extension) decodes");
    is_int(back.n_cds_servers, 0, "... with no CDS servers");
    results_record_free(&back);

    buf[old_len] = 99; /* unknown extension tag */
    is_int(results_record_decode(DOMAIN, buf, len, &back), RESULTS_ECORRUPT,
           "an unknown extension block is refused as corrupt");
    buf[old_len] = 1;
    is_int(results_record_decode(DOMAIN, buf, len - 1, &back), RESULTS_ECORRUPT,
           "a cut extension block is refused as corrupt");
    free(old);
    free(buf);
}

int main(void)
{
    test_rules();
    test_bootstrap();
    test_stability();
    test_key_tags();
    test_codec();
    return tap_done();
}
