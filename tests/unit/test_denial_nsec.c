/*
 * NSEC proofs on a hand-built chain: name error (with the wildcard proof and the wrap to the
 * apex), no data (type bit, CNAME, empty non-terminal, wildcard no data), no DS, wildcard
 * answers, and the RFC 6840 §4.1 rule that a delegation or DNAME NSEC denies nothing below it.
 * Also the RFC 4034 §6.1 canonical order example.
 */
#include "tests/tap.h"
#include "verify/denial.h"
#include "verify/verify.h"

/* Zone "example.": c is a secure delegation, d an insecure one, dn a DNAME, w has a wildcard
 * child only (w.example and x.example are empty non-terminals). */
static const char *const chain[] = {
    "example. 3600 IN NSEC a.example. NS SOA MX RRSIG NSEC DNSKEY",
    "a.example. 3600 IN NSEC c.example. A RRSIG NSEC",
    "c.example. 3600 IN NSEC d.example. NS DS RRSIG NSEC",
    "d.example. 3600 IN NSEC dn.example. NS RRSIG NSEC",
    "dn.example. 3600 IN NSEC *.w.example. DNAME RRSIG NSEC",
    "*.w.example. 3600 IN NSEC b.x.example. TXT RRSIG NSEC",
    "b.x.example. 3600 IN NSEC z.example. A RRSIG NSEC",
    "z.example. 3600 IN NSEC example. A RRSIG NSEC",
};
enum { N_APEX, N_A, N_C, N_D, N_DN, N_WILD, N_BX, N_Z };

static char detail[512];

static ldns_rdf *dname(const char *s)
{
    ldns_rdf *r = ldns_dname_new_frm_str(s);
    if (!r) {
        fprintf(stderr, "bad name %s\n", s);
        exit(2);
    }
    return r;
}

static ldns_rr *rr_from(const char *s)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, s, 0, NULL, NULL) != LDNS_STATUS_OK) {
        fprintf(stderr, "bad rr %s\n", s);
        exit(2);
    }
    return rr;
}

static ldns_rr_list *pick(const int *idx)
{
    ldns_rr_list *l = ldns_rr_list_new();
    for (; *idx >= 0; idx++)
        ldns_rr_list_push_rr(l, rr_from(chain[*idx]));
    return l;
}

static const char *kind_name(verify_denial_kind_t k)
{
    return k == VERIFY_DENIAL_NXDOMAIN ? "nxdomain"
           : k == VERIFY_DENIAL_NODATA ? "nodata"
                                       : "no-ds";
}

/* Checks qname/qtype/kind against the chain entries idx (terminated by -1). */
static verify_denial_result_t run(const char *qname, uint16_t qtype, verify_denial_kind_t kind,
                                  const int *idx)
{
    ldns_rdf *zone = dname("example."), *q = dname(qname);
    ldns_rr_list *l = pick(idx);
    verify_denial_query_t query = {.zone = zone,
                                   .qname = q,
                                   .qtype = qtype,
                                   .kind = kind,
                                   .records = l,
                                   .max_iterations = VERIFY_NSEC3_MAX_ITERATIONS_DEFAULT};
    verify_denial_result_t r = verify_denial_check(&query, detail, sizeof detail);
    printf("# %s %s: %s (%s)\n", qname, kind_name(kind), verify_denial_result_name(r), detail);
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
    return r;
}

#define L(...) ((const int[]){__VA_ARGS__, -1})

static void name_error(void)
{
    is_int(run("b.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_A, N_APEX)), VERIFY_DENIAL_PROVEN,
           "b.example: a->c covers it, apex NSEC denies *.example");
    is_int(run("b.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_A)), VERIFY_DENIAL_INVALID,
           "b.example without the wildcard proof: invalid");
    ok(strstr(detail, "*.example") != NULL, "detail names the missing wildcard *.example");
    is_int(run("b.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_C, N_APEX)), VERIFY_DENIAL_INVALID,
           "b.example with c->d (wrong span): invalid");
    ok(strstr(detail, "no NSEC covers b.example.") != NULL, "detail: no NSEC covers b.example.");
    is_int(run("0.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_APEX)), VERIFY_DENIAL_PROVEN,
           "0.example: one NSEC covers both the name and *.example");
    is_int(run("zz.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_Z, N_APEX)), VERIFY_DENIAL_PROVEN,
           "zz.example: covered by the last NSEC wrapping to the apex");
    is_int(run("a.zz.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_Z, N_APEX)), VERIFY_DENIAL_PROVEN,
           "a.zz.example: wrap covers it, closest encloser example.");
    is_int(run("a0.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_Z, N_APEX)), VERIFY_DENIAL_INVALID,
           "a0.example is not in the wrap span z.example->example.");
    is_int(run("a.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_A, N_APEX)), VERIFY_DENIAL_INVALID,
           "a.example exists: name error invalid");
    is_int(run("x.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_WILD, N_APEX)), VERIFY_DENIAL_INVALID,
           "x.example is an empty non-terminal: name error invalid");
    ok(strstr(detail, "empty non-terminal") != NULL, "detail says empty non-terminal");
    is_int(run("a.w.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_WILD, N_APEX)), VERIFY_DENIAL_INVALID,
           "a.w.example matches *.w.example: name error invalid");
    is_int(run("a.b.x.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_BX)), VERIFY_DENIAL_PROVEN,
           "a.b.x.example: b.x->z covers it and *.b.x.example (closest encloser b.x.example)");
    /* The closest encloser comes from the next name here: x.example (an empty non-terminal). */
    is_int(run("a.x.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_WILD)), VERIFY_DENIAL_PROVEN,
           "a.x.example: *.w->b.x covers it and *.x.example (closest encloser from next name)");
    is_int(run("b.w.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_DN, N_APEX)), VERIFY_DENIAL_INVALID,
           "b.w.example: dn->*.w.example does not cover it");
    /* RFC 6840 §4.1: the delegation NSEC at d.example spans foo.d.example in canonical order
     * but must not be used: foo.d.example lives in the child zone. */
    is_int(run("foo.d.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_D, N_APEX)), VERIFY_DENIAL_INVALID,
           "foo.d.example below the delegation d.example: invalid");
    ok(strstr(detail, "RFC 6840") != NULL, "detail cites the ancestor delegation rule");
    is_int(run("foo.dn.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_DN, N_APEX)),
           VERIFY_DENIAL_INVALID, "foo.dn.example below the DNAME dn.example: invalid");
    is_int(run("da.example.", 1, VERIFY_DENIAL_NXDOMAIN, L(N_D, N_APEX)), VERIFY_DENIAL_PROVEN,
           "da.example is beside d.example (not below): the delegation NSEC may cover it");
}

static void no_data(void)
{
    is_int(run("a.example.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NODATA, L(N_A)), VERIFY_DENIAL_PROVEN,
           "a.example MX: NSEC at a.example without MX");
    is_int(run("a.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_A)), VERIFY_DENIAL_INVALID,
           "a.example A: A bit set, invalid");
    ok(strstr(detail, "A bit") != NULL, "detail names the A bit");
    is_int(run("A.EXAMPLE.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NODATA, L(N_A)), VERIFY_DENIAL_PROVEN,
           "names compare case-insensitively");
    is_int(run("d.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_D)), VERIFY_DENIAL_INVALID,
           "d.example A: the delegation NSEC (NS, no SOA) cannot deny A");
    ok(strstr(detail, "parent side") != NULL, "detail explains the parent side");
    is_int(run("d.example.", LDNS_RR_TYPE_DS, VERIFY_DENIAL_NODATA, L(N_D)), VERIFY_DENIAL_PROVEN,
           "d.example DS: the delegation NSEC denies DS");
    is_int(run("c.example.", LDNS_RR_TYPE_DS, VERIFY_DENIAL_NODATA, L(N_C)), VERIFY_DENIAL_INVALID,
           "c.example DS: DS bit set");
    is_int(run("example.", LDNS_RR_TYPE_DS, VERIFY_DENIAL_NODATA, L(N_APEX)), VERIFY_DENIAL_INVALID,
           "the child apex NSEC cannot deny DS");
    is_int(run("example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_APEX)), VERIFY_DENIAL_PROVEN,
           "apex A: apex NSEC lacks A (NS with SOA is no delegation)");
    is_int(run("dn.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_DN)), VERIFY_DENIAL_PROVEN,
           "dn.example A: a DNAME NSEC may deny types at its own name");
    is_int(run("x.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_WILD)), VERIFY_DENIAL_PROVEN,
           "x.example: empty non-terminal (next name b.x.example below it)");
    is_int(run("w.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_DN)), VERIFY_DENIAL_PROVEN,
           "w.example: empty non-terminal above *.w.example");
    is_int(run("b.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_A, N_APEX)),
           VERIFY_DENIAL_INVALID, "b.example does not exist: no data invalid");
    ok(strstr(detail, "name error") != NULL, "detail says it is a name error");
    is_int(run("a.w.example.", LDNS_RR_TYPE_MX, VERIFY_DENIAL_NODATA, L(N_WILD)),
           VERIFY_DENIAL_PROVEN, "a.w.example MX: wildcard no data from *.w.example");
    is_int(run("a.w.example.", LDNS_RR_TYPE_TXT, VERIFY_DENIAL_NODATA, L(N_WILD)),
           VERIFY_DENIAL_INVALID, "a.w.example TXT: the wildcard has TXT");
    is_int(run("q.example.", LDNS_RR_TYPE_A, VERIFY_DENIAL_NODATA, L(N_Z)), VERIFY_DENIAL_INVALID,
           "q.example with an unrelated NSEC: invalid");

    ldns_rdf *zone = dname("example."), *q = dname("cn.example.");
    ldns_rr_list *l = ldns_rr_list_new();
    ldns_rr_list_push_rr(l, rr_from("cn.example. 3600 IN NSEC d.example. CNAME RRSIG NSEC"));
    verify_denial_query_t query = {.zone = zone,
                                   .qname = q,
                                   .qtype = LDNS_RR_TYPE_A,
                                   .kind = VERIFY_DENIAL_NODATA,
                                   .records = l};
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "cn.example A: CNAME bit set, invalid");
    ok(strstr(detail, "CNAME") != NULL, "detail names CNAME");
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
}

static void no_ds(void)
{
    is_int(run("d.example.", 0, VERIFY_DENIAL_NO_DS, L(N_D)), VERIFY_DENIAL_PROVEN,
           "d.example: NS, no DS, no SOA");
    is_int(run("c.example.", 0, VERIFY_DENIAL_NO_DS, L(N_C)), VERIFY_DENIAL_INVALID,
           "c.example: DS bit set");
    ok(strstr(detail, "DS bit") != NULL, "detail names the DS bit");
    is_int(run("a.example.", 0, VERIFY_DENIAL_NO_DS, L(N_A)), VERIFY_DENIAL_INVALID,
           "a.example: no NS bit, not a delegation");
    is_int(run("b.example.", 0, VERIFY_DENIAL_NO_DS, L(N_A)), VERIFY_DENIAL_INVALID,
           "b.example: does not exist");
    ok(strstr(detail, "does not exist") != NULL, "detail says the name does not exist");
    is_int(run("example.", 0, VERIFY_DENIAL_NO_DS, L(N_APEX)), VERIFY_DENIAL_INVALID,
           "apex is no delegation");
    is_int(run("d.example.", 0, VERIFY_DENIAL_NO_DS, L(N_C)), VERIFY_DENIAL_INVALID,
           "d.example with c.example's NSEC: no NSEC at d.example");
}

static void wildcard_answer(void)
{
    ldns_rdf *zone = dname("example."), *q = dname("a.w.example.");
    ldns_rr_list *l = pick(L(N_WILD));
    verify_denial_query_t query = {.zone = zone, .qname = q, .records = l};

    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_PROVEN,
           "a.w.example from *.w.example (labels 2): proven");
    is_int(verify_denial_check_wildcard(&query, 1, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "claiming *.example (labels 1): w.example exists, invalid");
    is_int(verify_denial_check_wildcard(&query, 3, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "labels 3 for a 3-label name is no wildcard");
    ldns_rr_list_deep_free(l);
    l = pick(L(N_A));
    query.records = l;
    is_int(verify_denial_check_wildcard(&query, 2, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "unrelated NSEC: invalid");
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
}

static void misc(void)
{
    is_int(run("b.example.", 1, VERIFY_DENIAL_NXDOMAIN, (const int[]){-1}), VERIFY_DENIAL_MISSING,
           "no NSEC at all: missing");

    ldns_rdf *zone = dname("example."), *q = dname("b.other.");
    ldns_rr_list *l = pick(L(N_A, N_APEX));
    verify_denial_query_t query = {
        .zone = zone, .qname = q, .kind = VERIFY_DENIAL_NXDOMAIN, .records = l};
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "qname outside the zone: invalid");
    ldns_rdf_deep_free(q);
    /* NSEC records of another zone are ignored. */
    ldns_rr_list_deep_free(l);
    l = ldns_rr_list_new();
    ldns_rr_list_push_rr(l, rr_from("a.other. 3600 IN NSEC c.other. A RRSIG NSEC"));
    q = dname("b.example.");
    query.qname = q;
    query.records = l;
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_INVALID,
           "NSEC of another zone: not used");
    is_int(verify_denial_check(&query, NULL, 0), VERIFY_DENIAL_INVALID, "detail may be NULL");
    char tiny[8];
    verify_denial_check(&query, tiny, sizeof tiny);
    is_int((long long)strlen(tiny), 7, "detail is truncated to its buffer");
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
}

/* The root zone: zero labels at the apex. */
static void root_zone(void)
{
    ldns_rdf *zone = dname("."), *q = dname("example.");
    ldns_rr_list *l = ldns_rr_list_new();
    ldns_rr_list_push_rr(l, rr_from(". 86400 IN NSEC aaa. NS SOA RRSIG NSEC DNSKEY"));
    ldns_rr_list_push_rr(l, rr_from("example. 86400 IN NSEC exchange. NS RRSIG NSEC"));
    ldns_rr_list_push_rr(l, rr_from("zw. 86400 IN NSEC . NS DS RRSIG NSEC"));
    verify_denial_query_t query = {
        .zone = zone, .qname = q, .kind = VERIFY_DENIAL_NO_DS, .records = l};
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_PROVEN,
           "root zone: example. delegated without DS");
    ldns_rdf_deep_free(q);
    q = dname("zz.");
    query.qname = q;
    query.kind = VERIFY_DENIAL_NXDOMAIN;
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_PROVEN,
           "root zone: zz. covered by the last NSEC zw. -> ., *. denied by the apex NSEC");
    ldns_rdf_deep_free(q);
    q = dname(".");
    query.qname = q;
    query.kind = VERIFY_DENIAL_NODATA;
    query.qtype = LDNS_RR_TYPE_A;
    is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_PROVEN,
           "root zone: no A at the root");
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
    ldns_rdf_deep_free(q);
}

/* Names that are not valid uncompressed wire format are refused, never read past their end. */
static void malformed(void)
{
    static const uint8_t past_end[] = {5, 'a', 'b', 0};       /* label runs past the end */
    static const uint8_t pointer[] = {0xc0, 0x0c};            /* compression pointer */
    static const uint8_t no_root[] = {1, 'a', 1, 'b'};        /* no terminating root label */
    static const uint8_t trailing[] = {1, 'a', 0, 1, 'b', 0}; /* bytes after the root */
    const struct {
        const uint8_t *wire;
        size_t len;
        const char *what;
    } bad[] = {{past_end, sizeof past_end, "label past the end"},
               {pointer, sizeof pointer, "compression pointer"},
               {no_root, sizeof no_root, "no root label"},
               {trailing, sizeof trailing, "bytes after the root label"}};
    ldns_rdf *zone = dname("example.");
    ldns_rr_list *l = pick(L(N_A, N_APEX));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ldns_rdf *q = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, bad[i].len, bad[i].wire);
        verify_denial_query_t query = {
            .zone = zone, .qname = q, .kind = VERIFY_DENIAL_NXDOMAIN, .records = l};
        is_int(verify_denial_check(&query, detail, sizeof detail), VERIFY_DENIAL_INVALID,
               "qname with %s: invalid", bad[i].what);
        ok(strstr(detail, "not a valid domain name") != NULL, "detail says the name is invalid");
        ldns_rdf_deep_free(q);
    }
    ldns_rr_list_deep_free(l);
    ldns_rdf_deep_free(zone);
}

static void canonical_order(void)
{
    /* RFC 4034 §6.1, in canonical order. */
    static const char *const names[] = {
        "example.",         "a.example.",      "yljkjljk.a.example.",
        "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
        "\\001.z.example.", "*.z.example.",    "\\200.z.example.",
    };
    size_t n = sizeof names / sizeof names[0];
    for (size_t i = 0; i + 1 < n; i++) {
        ldns_rdf *a = dname(names[i]), *b = dname(names[i + 1]);
        ok(verify_dname_canonical_compare(a, b) < 0, "%s sorts before %s", names[i], names[i + 1]);
        ok(verify_dname_canonical_compare(b, a) > 0, "%s sorts after %s", names[i + 1], names[i]);
        ldns_rdf_deep_free(a);
        ldns_rdf_deep_free(b);
    }
    ldns_rdf *a = dname("Z.A.Example."), *b = dname("z.a.example.");
    is_int(verify_dname_canonical_compare(a, b), 0, "case does not matter");
    ldns_rdf_deep_free(a);
    ldns_rdf_deep_free(b);
}

int main(void)
{
    name_error();
    no_data();
    no_ds();
    wildcard_answer();
    misc();
    root_zone();
    malformed();
    canonical_order();
    return tap_done();
}
