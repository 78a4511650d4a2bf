/*
 * NSEC3 proofs against the worked examples of RFC 5155: the hashes of Appendix A and the
 * responses of Appendix B (B.1 name error, B.2 no data, B.2.1 empty non-terminal, B.3 opt-out
 * referral, B.4 wildcard expansion, B.5 wildcard no data), plus negative variants of each.
 * Appendix A's zone "example." uses NSEC3 1 1 12 aabbccdd (SHA-1, opt-out, 12 iterations).
 */
#include "tests/tap.h"
#include "verify/denial.h"
#include "verify/verify.h"

#define P "NSEC3 1 1 12 aabbccdd "

/* The NSEC3 chain of RFC 5155 Appendix A. */
static const char *const chain[] = {
    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN " P
    "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
    "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. 3600 IN " P
    "2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
    "2vptu5timamqttgl4luu9kg21e0aor3s.example. 3600 IN " P
    "35mthgpgcu1qg68fab165klnsnk3dpvl MX RRSIG",
    "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN " P
    "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
    "b4um86eghhds6nea196smvmlo4ors995.example. 3600 IN " P
    "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",
    "gjeqe526plbf1g8mklp59enfd789njgi.example. 3600 IN " P
    "ji6neoaepv8b5o6k4ev33abha8ht9fgc A HINFO AAAA RRSIG",
    "ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. 3600 IN " P "k8udemvp1j2f7eg6jebps17vp3n8i58h",
    "k8udemvp1j2f7eg6jebps17vp3n8i58h.example. 3600 IN " P "kohar7mbb8dc2ce8a9qvl8hon4k53uhi",
    "kohar7mbb8dc2ce8a9qvl8hon4k53uhi.example. 3600 IN " P
    "q04jkcevqvmu85r014c7dkba38o0ji5r A RRSIG",
    "q04jkcevqvmu85r014c7dkba38o0ji5r.example. 3600 IN " P
    "r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG",
    "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. 3600 IN " P
    "t644ebqk9bibcna874givr6joj62mlhv MX RRSIG",
    "t644ebqk9bibcna874givr6joj62mlhv.example. 3600 IN " P
    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A HINFO AAAA RRSIG",
};

enum { H_APEX, H_NS1, H_XYW, H_A, H_XW, H_AI, H_YW, H_W, H_2T7B, H_NS2, H_WILD, H_XX };

static ldns_rdf *dname(const char *s)
{
    ldns_rdf *r = ldns_dname_new_frm_str(s);
    if (!r) {
        fprintf(stderr, "bad name %s\n", s);
        exit(2);
    }
    return r;
}

/* Appendix A sets opt-out (flags 1) on every NSEC3. With optout_flag false, pick() clears it,
 * giving the same chain as a zone signed without opt-out: the proofs are then secure. */
static bool optout_flag = true;

/* A list of the chain entries whose indices are given, terminated by -1. */
static ldns_rr_list *pick(const int *idx)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (; *idx >= 0; idx++) {
        ldns_rr *rr = NULL;
        char text[512];
        snprintf(text, sizeof text, "%s", chain[*idx]);
        if (!optout_flag) {
            char *f = strstr(text, "NSEC3 1 1 ");
            if (f)
                f[8] = '0';
        }
        if (ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK) {
            fprintf(stderr, "bad rr %s\n", chain[*idx]);
            exit(2);
        }
        ldns_rr_list_push_rr(l, rr);
    }
    return l;
}

static ldns_rr_list *from_str(const char *const *rrs)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (; *rrs; rrs++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, *rrs, 0, NULL, NULL) != LDNS_STATUS_OK) {
            fprintf(stderr, "bad rr %s\n", *rrs);
            exit(2);
        }
        ldns_rr_list_push_rr(l, rr);
    }
    return l;
}

static char detail[512];

static verify_denial_result_t run(const char *qname, uint16_t qtype, verify_denial_kind_t kind,
                                  ldns_rr_list *records, unsigned max_iterations)
{
    ldns_rdf *zone = dname("example."), *q = dname(qname);
    verify_denial_query_t query = {
        .zone = zone,
        .qname = q,
        .qtype = qtype,
        .kind = kind,
        .records = records,
        .max_iterations = max_iterations,
    };
    verify_denial_result_t r = verify_denial_check(&query, detail, sizeof detail);
    printf("# %s %s: %s (%s)\n", qname,
           kind == VERIFY_DENIAL_NXDOMAIN ? "nxdomain"
           : kind == VERIFY_DENIAL_NODATA ? "nodata"
                                          : "no-ds",
           verify_denial_result_name(r), detail);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
    return r;
}

static void hashes(void)
{
    static const struct {
        const char *name, *hash;
    } vec[] = {
        {"example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
        {"a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
        {"ai.example", "gjeqe526plbf1g8mklp59enfd789njgi"},
        {"ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
        {"ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r"},
        {"w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h"},
        {"*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
        {"x.w.example", "b4um86eghhds6nea196smvmlo4ors995"},
        {"y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"},
        {"x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s"},
        {"xx.example", "t644ebqk9bibcna874givr6joj62mlhv"},
        {"2t7b4g4vsa5smi47k61mv5bv1a22bojr.example", "kohar7mbb8dc2ce8a9qvl8hon4k53uhi"},
        {"X.W.EXAMPLE", "b4um86eghhds6nea196smvmlo4ors995"}, /* hashed in canonical case */
    };
    static const uint8_t salt[] = {0xaa, 0xbb, 0xcc, 0xdd};
    static const char b32[] = "0123456789abcdefghijklmnopqrstuv";

    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        uint8_t h[VERIFY_NSEC3_HASH_LEN];
        char text[33];
        ldns_rdf *n = dname(vec[i].name);
        int rc = verify_nsec3_hash(n, 1, 12, salt, sizeof salt, h);
        for (int b = 0; b < 32; b++) { /* 160 bits, 5 per character */
            unsigned v = 0;
            for (int k = 0; k < 5; k++) {
                unsigned bit = (unsigned)(b * 5 + k);
                v = v << 1 | ((h[bit / 8] >> (7 - bit % 8)) & 1u);
            }
            text[b] = b32[v];
        }
        text[32] = '\0';
        is_int(rc, 0, "hash of %s computed", vec[i].name);
        is_str(text, vec[i].hash, "RFC 5155 App. A: H(%s)", vec[i].name);
        ldns_rdf_deep_free(n);
    }
    uint8_t h[VERIFY_NSEC3_HASH_LEN];
    ldns_rdf *n = dname("example.");
    is_int(verify_nsec3_hash(n, 2, 0, NULL, 0, h), VERIFY_EUNSUPPORTED,
           "hash algorithm 2 is unsupported");
    ldns_rdf_deep_free(n);
}

static void params(void)
{
    verify_nsec3_params_t p;
    ldns_rr_list *l = pick((const int[]){H_APEX, H_NS1, -1});
    is_int(verify_nsec3_params_get(l, &p), 2, "two NSEC3 seen");
    is_int(p.iterations, 12, "iterations 12");
    is_int(p.salt_len, 4, "salt length 4");
    ok(p.salt[0] == 0xaa && p.salt[3] == 0xdd, "salt aabbccdd");
    ok(p.optout && !p.mixed, "opt-out set, parameters consistent");
    ldns_rr_list_deep_free(l);
    is_int(verify_nsec3_params_get(NULL, &p), 0, "no list: no NSEC3");
}

static void b1_name_error(void)
{
    /* B.1: a.c.x.w.example: 0p9mhave covers next closer c.x.w.example, b4um86eg matches the
     * closest encloser x.w.example, 35mthgpg covers the wildcard *.x.w.example. The covering
     * NSEC3 has opt-out: valid but insecure (RFC 5155 §9.2); without opt-out: proven. */
    ldns_rr_list *l = pick((const int[]){H_APEX, H_XW, H_A, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_OPTOUT, "B.1 name error valid, opt-out span: insecure");
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 11),
           VERIFY_DENIAL_INSECURE_ITERATIONS, "B.1 with a limit of 11 iterations: insecure");
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_OPTOUT, "B.1 records as no data: opt-out, insecure (erratum 3441)");
    ldns_rr_list_deep_free(l);
    optout_flag = false;
    l = pick((const int[]){H_APEX, H_XW, H_A, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_PROVEN, "B.1 without opt-out: name error proven");
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_INVALID, "B.1 without opt-out: the records do not prove no data");
    ldns_rr_list_deep_free(l);
    optout_flag = true;

    l = pick((const int[]){H_APEX, H_XW, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "B.1 without the wildcard cover: invalid");
    ok(strstr(detail, "*.x.w.example") != NULL, "detail names the wildcard");
    ldns_rr_list_deep_free(l);

    l = pick((const int[]){H_XW, H_A, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "B.1 without the next closer cover: invalid");
    ok(strstr(detail, "c.x.w.example") != NULL, "detail names the next closer");
    ldns_rr_list_deep_free(l);

    l = pick((const int[]){H_APEX, H_A, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "B.1 without the closest encloser match: invalid");
    ldns_rr_list_deep_free(l);

    l = pick((const int[]){H_APEX, H_XW, H_A, H_NS1, -1});
    is_int(run("ns1.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "name error for an existing name (ns1) is invalid");
    ldns_rr_list_deep_free(l);

    /* Unknown hash algorithm and unknown flags make NSEC3 unusable (RFC 5155 §8.2). */
    static const char *const alg2[] = {
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 2 1 12 aabbccdd "
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
        "b4um86eghhds6nea196smvmlo4ors995.example. 3600 IN NSEC3 1 3 12 aabbccdd "
        "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",
        NULL};
    l = from_str(alg2);
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "hash algorithm 2 / flags 3: not usable, invalid");
    ok(strstr(detail, "usable") != NULL, "detail says no usable NSEC3");
    ldns_rr_list_deep_free(l);
}

static void b2_no_data(void)
{
    /* B.2: ns1.example MX: 2t7b4g4v matches ns1.example (A RRSIG only). */
    ldns_rr_list *l = pick((const int[]){H_NS1, -1});
    is_int(run("ns1.example.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_PROVEN,
           "B.2 no data proven");
    is_int(run("ns1.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_INVALID,
           "B.2 record denies A though A bit is set: invalid");
    ok(strstr(detail, "A bit") != NULL, "detail names the A bit");
    is_int(run("ns1.example.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "B.2 record cannot prove name error");
    ldns_rr_list_deep_free(l);

    /* B.2.1: y.w.example A: ji6neoae matches the empty non-terminal (empty bitmap). */
    l = pick((const int[]){H_YW, -1});
    is_int(run("y.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_PROVEN,
           "B.2.1 empty non-terminal no data proven");
    ldns_rr_list_deep_free(l);

    l = pick((const int[]){H_AI, -1});
    is_int(run("y.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_INVALID,
           "B.2.1 with an unrelated NSEC3: invalid");
    ldns_rr_list_deep_free(l);

    /* The apex NSEC3 of a child cannot deny its DS; a delegation NSEC3 denies only DS. */
    l = pick((const int[]){H_A, -1});
    is_int(run("a.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_INVALID,
           "NSEC3 at delegation a.example (NS, no SOA) cannot deny A");
    ok(strstr(detail, "parent side") != NULL, "detail explains the parent side");
    is_int(run("a.example.", LDNS_RR_TYPE_DS, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_INVALID,
           "a.example has the DS bit: no data for DS invalid");
    ldns_rr_list_deep_free(l);
}

static void b3_optout(void)
{
    /* B.3: mc.c.example referral to unsigned c.example: 0p9mhave matches the closest
     * provable encloser example., 35mthgpg (opt-out) covers the next closer c.example. */
    ldns_rr_list *l = pick((const int[]){H_APEX, H_A, -1});
    is_int(run("c.example.", 0, VERIFY_DENIAL_NO_DS, l, 150), VERIFY_DENIAL_OPTOUT,
           "B.3 opt-out: insecure delegation c.example");
    is_int(run("c.example.", LDNS_RR_TYPE_DS, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_OPTOUT,
           "B.3 as no data for DS: opt-out");
    is_int(run("c.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, l, 150), VERIFY_DENIAL_OPTOUT,
           "no data for A over an opt-out span: insecure (RFC 5155 erratum 3441)");
    ldns_rr_list_deep_free(l);

    /* The same span without the opt-out flag says c.example does not exist. */
    static const char *const no_optout[] = {
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
        "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
        NULL};
    l = from_str(no_optout);
    is_int(run("c.example.", 0, VERIFY_DENIAL_NO_DS, l, 150), VERIFY_DENIAL_INVALID,
           "no opt-out: c.example is not delegated, no-DS claim invalid");
    ok(strstr(detail, "opt-out") != NULL, "detail mentions opt-out");
    ldns_rr_list_deep_free(l);

    /* a.example is a secure delegation (DS bit): no-DS must fail; with a matching delegation
     * NSEC3 without DS it is proven. */
    l = pick((const int[]){H_A, -1});
    is_int(run("a.example.", 0, VERIFY_DENIAL_NO_DS, l, 150), VERIFY_DENIAL_INVALID,
           "a.example NSEC3 has the DS bit: invalid");
    ok(strstr(detail, "DS bit") != NULL, "detail names the DS bit");
    ldns_rr_list_deep_free(l);
    static const char *const insecure[] = {
        "35mthgpgcu1qg68fab165klnsnk3dpvl.example. 3600 IN NSEC3 1 0 12 aabbccdd "
        "b4um86eghhds6nea196smvmlo4ors995 NS",
        NULL};
    l = from_str(insecure);
    is_int(run("a.example.", 0, VERIFY_DENIAL_NO_DS, l, 150), VERIFY_DENIAL_PROVEN,
           "matching NSEC3 with NS, no DS, no SOA: no DS proven");
    ldns_rr_list_deep_free(l);
    l = pick((const int[]){H_APEX, -1});
    is_int(run("example.", 0, VERIFY_DENIAL_NO_DS, l, 150), VERIFY_DENIAL_INVALID,
           "apex NSEC3 (SOA) cannot prove no DS");
    ldns_rr_list_deep_free(l);
}

static void b4_b5_wildcard(void)
{
    ldns_rdf *zone = dname("example."), *q = dname("a.z.w.example.");
    verify_denial_query_t query = {.zone = zone, .qname = q, .max_iterations = 150};

    /* B.4: a.z.w.example MX answered from *.w.example (RRSIG labels 2): q04jkcev covers the
     * next closer z.w.example. */
    query.records = pick((const int[]){H_NS2, -1});
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_OPTOUT,
           "B.4 wildcard expansion valid, opt-out span: insecure");
    ldns_rr_list_deep_free((ldns_rr_list *)query.records);
    optout_flag = false;
    query.records = pick((const int[]){H_NS2, -1});
    optout_flag = true;
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_PROVEN,
           "B.4 without opt-out: wildcard expansion proven");
    is_int(verify_denial_check_wildcard(&query, 3, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "claiming *.z.w.example: next closer a.z.w.example not covered");
    ldns_rr_list_deep_free((ldns_rr_list *)query.records);
    query.records = pick((const int[]){H_XX, -1});
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "B.4 with the wrong NSEC3: invalid");
    ldns_rr_list_deep_free((ldns_rr_list *)query.records);
    query.records = NULL;
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_MISSING,
           "B.4 without NSEC3: missing");
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);

    /* B.5: a.z.w.example AAAA: k8udemvp matches the closest encloser w.example, q04jkcev
     * covers the next closer z.w.example, r53bq7cc matches *.w.example (MX RRSIG). */
    ldns_rr_list *l = pick((const int[]){H_W, H_NS2, H_WILD, -1});
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_OPTOUT, "B.5 wildcard no data valid, opt-out span: insecure");
    ldns_rr_list_deep_free(l);
    optout_flag = false;
    l = pick((const int[]){H_W, H_NS2, H_WILD, -1});
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_PROVEN, "B.5 without opt-out: wildcard no data proven");
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_INVALID, "B.5 records for MX: wildcard has MX, invalid");
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NXDOMAIN, l, 150),
           VERIFY_DENIAL_INVALID, "B.5 records cannot prove name error (wildcard exists)");
    ldns_rr_list_deep_free(l);
    l = pick((const int[]){H_W, H_NS2, -1});
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_INVALID, "B.5 without opt-out and without the wildcard NSEC3: invalid");
    ldns_rr_list_deep_free(l);
    optout_flag = true;
    l = pick((const int[]){H_W, H_NS2, -1});
    is_int(run("a.z.w.example.", LDNS_RR_TYPE_AAAA, VERIFY_DENIAL_NODATA, l, 150),
           VERIFY_DENIAL_OPTOUT, "B.5 opt-out without the wildcard NSEC3: insecure");
    ldns_rr_list_deep_free(l);
}

static void misc(void)
{
    ldns_rr_list *empty = ldns_rr_list_new();
    is_int(run("a.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, empty, 150),
           VERIFY_DENIAL_MISSING, "no records: missing");
    ldns_rr_list_deep_free(empty);
    optout_flag = false; /* secure proofs from here on */
    ldns_rr_list *l = pick((const int[]){H_APEX, H_XW, H_A, -1});
    is_int(run("a.c.x.w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 12),
           VERIFY_DENIAL_PROVEN, "a limit equal to the iterations is accepted");
    ldns_rr_list_deep_free(l);
    /* H(o.example) = ufc8dfrq..., H(f.example) = vh6oa7l8...: both after the last hash t644ebqk,
     * so the last NSEC3 (t644ebqk -> 0p9mhave) covers them by wrapping around; H(*.example) =
     * jhsv97ro... is covered by gjeqe526 -> ji6neoae. */
    l = pick((const int[]){H_APEX, H_XX, H_AI, -1});
    is_int(run("o.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150), VERIFY_DENIAL_PROVEN,
           "o.example: next closer covered by the wrapping last NSEC3");
    is_int(run("f.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150), VERIFY_DENIAL_PROVEN,
           "f.example: next closer covered by the wrapping last NSEC3");
    is_int(run("j.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150), VERIFY_DENIAL_INVALID,
           "j.example (5gjbnpcg) is in no span of these records");
    ldns_rr_list_deep_free(l);
    l = pick((const int[]){H_APEX, H_AI, -1});
    is_int(run("o.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NXDOMAIN, l, 150), VERIFY_DENIAL_INVALID,
           "o.example without the last NSEC3: invalid");
    ldns_rr_list_deep_free(l);
    is_int(verify_denial_check(NULL, detail, sizeof detail), VERIFY_DENIAL_MISSING,
           "NULL query: missing, no crash");
    is_str(verify_denial_result_name(VERIFY_DENIAL_OPTOUT), "optout", "result name optout");
}

int main(void)
{
    hashes();
    params();
    b1_name_error();
    b2_no_data();
    b3_optout();
    b4_b5_wildcard();
    misc();
    return tap_done();
}
