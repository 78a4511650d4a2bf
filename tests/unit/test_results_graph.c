/* The chain-of-trust picture (results/graph*.c) from crafted records: what is drawn (zones,
 * nodes, edges), which edge fails and how it is marked, escaping of hostile names in SVG and
 * DOT, the bounds on hostile key counts, the keys' roles in the record encoding (and records
 * stored before them), the --graph file extensions, and the report's bound on pictures. */
#include "tests/tap.h"
#include "results/internal.h"

#include <sys/wait.h>
#include <unistd.h>

/* ---- crafted records (what the lab's dsnomatch.test and expired.test store) ---- */

static const results_ds_t nomatch_ds[] = {
    {51017, 13, 2, "1B9595202EB49E1BB95CC780728F7285EA7B0710F60302548C32555AECD2541F"}};
static const results_dnskey_t nomatch_keys[] = {{9321, 13, 256, 256}, {47891, 13, 257, 256}};
/* No DS matched, so the judge marked no key (its signer flag needs a DS-matched key). */
static const uint8_t nomatch_roles[] = {0, 0};
static const results_reason_t nomatch_reasons[] = {
    {VERIFY_REASON_DS_NO_MATCHING_DNSKEY, NULL, "dsnomatch.test/DS",
     "no DS matches the served DNSKEYs (9321/13 47891/13); publish: dsnomatch.test. 3600 IN DS "
     "47891 13 2 1DB8"}};

static results_record_t nomatch_record(void)
{
    results_record_t r = {0};
    r.domain = "dsnomatch.test";
    r.status = VERIFY_STATUS_BOGUS;
    r.scanned_at = 1796585987;
    r.n_reasons = 1;
    r.reasons = nomatch_reasons;
    r.parent.zone = "test";
    r.parent.is_signed = true;
    r.parent.ds_ttl = 3600;
    r.parent.n_ds = 1;
    r.parent.ds = nomatch_ds;
    r.n_dnskey = 2;
    r.dnskey = nomatch_keys;
    r.dnskey_roles = nomatch_roles;
    return r;
}

static const results_ds_t expired_ds[] = {{47234, 13, 2, "BB0C6F1BE76AB129"}};
static const results_dnskey_t expired_keys[] = {{21413, 13, 256, 256}, {47234, 13, 257, 256}};
static const uint8_t expired_roles[] = {0, RESULTS_KEY_DS_MATCHED};
static const results_reason_t expired_reasons[] = {
    {VERIFY_REASON_RRSIG_EXPIRED, NULL, "expired.test/DNSKEY",
     "RRSIG (key 47234, alg 13) expired 2026-12-04T19:39:31Z (now 2026-12-06T19:39:31Z)"}};

static results_record_t expired_record(void)
{
    results_record_t r = nomatch_record();
    r.domain = "expired.test";
    r.reasons = expired_reasons;
    r.parent.ds = expired_ds;
    r.dnskey = expired_keys;
    r.dnskey_roles = expired_roles;
    return r;
}

/* ---- helpers ---- */

static size_t count_nodes(const graph_t *g, graph_node_kind_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        n += g->nodes[i].kind == kind;
    return n;
}

static size_t count_failing(const graph_t *g, const graph_edge_t **last)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_edges; i++)
        if (g->edges[i].failing) {
            n++;
            *last = &g->edges[i];
        }
    return n;
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The picture as text (caller frees). */
static char *render(const results_record_t *rec, results_graph_format_t fmt)
{
    results_buf_t b = {0};
    if (results_graph_render(rec, "s1", fmt, &b) != 0 || b.failed) {
        results_buf_free(&b);
        return NULL;
    }
    results_buf_byte(&b, 0);
    return (char *)b.data;
}

static bool self_loop_on(const graph_t *g, uint16_t tag, bool failing)
{
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge_t *e = &g->edges[i];
        if (e->from == e->to && g->nodes[e->from].key_tag == tag &&
            g->nodes[e->from].kind == GRAPH_NODE_DNSKEY && e->failing == failing)
            return true;
    }
    return false;
}

/* ---- tests ---- */

static void test_ds_no_match(void)
{
    results_record_t rec = nomatch_record();
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "dsnomatch: the graph builds");
    is_int(g.n_zones, 3, "zones: root, test, dsnomatch.test");
    is_str(g.zones[0].name, ".", "first zone is the root");
    is_str(g.zones[1].name, "test", "then the parent");
    is_str(g.zones[2].name, "dsnomatch.test", "then the domain");
    is_int(g.zones[2].state, GRAPH_BOGUS, "the domain's box is bogus");
    is_int(g.zones[1].state, GRAPH_SECURE, "the signed parent's box is secure");
    is_int(count_nodes(&g, GRAPH_NODE_KEYS), 2, "one key node for the root and one for test");
    is_int(count_nodes(&g, GRAPH_NODE_DNSKEY), 2, "two DNSKEY nodes (KSK 47891, ZSK 9321)");
    is_int(count_nodes(&g, GRAPH_NODE_DS), 1, "one DS node");
    is_int(count_nodes(&g, GRAPH_NODE_MISSING), 1, "one missing key (the DS's 51017)");
    is_int(count_nodes(&g, GRAPH_NODE_RRSET), 1, "one data node");
    /* root->test, test keys->DS, KSK loop, KSK->ZSK, ZSK->data, DS->missing */
    is_int(g.n_edges, 6, "six edges");
    const graph_edge_t *f = NULL;
    is_int(count_failing(&g, &f), 1, "exactly one failing edge");
    ok(f && f->kind == GRAPH_EDGE_DIGEST && g.nodes[f->from].kind == GRAPH_NODE_DS &&
           g.nodes[f->to].kind == GRAPH_NODE_MISSING && g.nodes[f->to].key_tag == 51017,
       "it runs from DS 51017 to the missing DNSKEY 51017");
    ok(f && f->dashed && f->state == GRAPH_BOGUS && strstr(f->label, "no DNSKEY matches"),
       "it is red, dashed and says no DNSKEY matches (label '%s')", f ? f->label : "");
    ok(self_loop_on(&g, 47891, false),
       "KSK 47891's self-signature is drawn (no reason says it failed)");
    ok(!self_loop_on(&g, 9321, false), "the ZSK has no self-signature");
    results_graph_clear(&g);

    char *svg = render(&rec, RESULTS_GRAPH_SVG);
    ok(svg && strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
       "SVG starts with the svg element");
    is_int(svg ? count_str(svg, "<g class=\"zone\"") : 0, 3, "SVG: three zone boxes");
    is_int(svg ? count_str(svg, "data-kind=\"dnskey\"") : 0, 2, "SVG: two DNSKEY nodes");
    is_int(svg ? count_str(svg, "data-failing=\"true\"") : 0, 1, "SVG: one failing edge");
    ok(svg && strstr(svg, "data-kind=\"missing\" data-role=\"missing\" data-state=\"bogus\" "
                          "data-tag=\"51017\""),
       "SVG: the missing key 51017 is a bogus node");
    ok(svg && strstr(svg, "stroke-dasharray=\"7 4\" marker-end=\"url(#dnssweep-arrow-bogus)\""),
       "SVG: the failing edge is dashed with a red arrow");
    free(svg);
    char *dot = render(&rec, RESULTS_GRAPH_DOT);
    ok(dot && strncmp(dot, "digraph", 7) == 0 && count_str(dot, "subgraph cluster_") == 3,
       "DOT: a digraph with three clusters");
    ok(dot && strstr(dot, "penwidth=2.5, style=dashed, fontcolor=\"#c62828\", label=\"no DNSKEY"),
       "DOT: the failing edge is thick, dashed and labelled red");
    free(dot);
}

static void test_expired(void)
{
    results_record_t rec = expired_record();
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "expired: the graph builds");
    const graph_edge_t *f = NULL;
    is_int(count_failing(&g, &f), 1, "exactly one failing edge");
    ok(f && f->from == f->to && g.nodes[f->from].key_tag == 47234 && !f->dashed,
       "it is KSK 47234's signature over the DNSKEY RRset (a self-loop)");
    is_str(f ? f->label : "", "RRSIG expired 2026-12-04T19:39:31Z",
           "its label says when the signature expired");
    ok(!self_loop_on(&g, 47234, false), "no valid self-signature is drawn beside it");
    bool digest_ok = false;
    for (size_t i = 0; i < g.n_edges; i++)
        if (g.edges[i].kind == GRAPH_EDGE_DIGEST && !g.edges[i].failing &&
            g.nodes[g.edges[i].to].key_tag == 47234 && g.edges[i].state == GRAPH_SECURE)
            digest_ok = true;
    ok(digest_ok, "DS 47234 -> KSK 47234 holds (green)");
    results_graph_clear(&g);

    /* A record stored before the roles (schema 3): a digest mismatch still fails the edge. */
    static const results_reason_t mismatch[] = {
        {VERIFY_REASON_DS_DIGEST_MISMATCH, NULL, "x.test/DS", "DS 47234/13/2 digest differs"}};
    rec.dnskey_roles = NULL;
    rec.reasons = mismatch;
    is_int(results_graph_build(&rec, NULL, &g), 0, "digest mismatch without roles builds");
    is_int(count_failing(&g, &f), 1, "one failing edge");
    ok(f && f->kind == GRAPH_EDGE_DIGEST && g.nodes[f->to].key_tag == 47234 &&
           strcmp(f->label, "digest mismatch") == 0,
       "DS 47234 -> KSK 47234 fails: digest mismatch");
    ok(self_loop_on(&g, 47234, false), "without roles the KSK is drawn signing the DNSKEYs");
    results_graph_clear(&g);

    /* SHA-1 and SHA-256 DS for the key, the SHA-256 one wrong: only it fails (RFC 4509 3:
     * the SHA-1 one is not used). */
    static const results_ds_t two[] = {{47234, 13, 1, "AA"}, {47234, 13, 2, "BB"}};
    static const results_reason_t named[] = {
        {VERIFY_REASON_DS_DIGEST_MISMATCH, NULL, "x.test/DS",
         "DS 47234/13/2 has the tag and algorithm of a served DNSKEY but another digest"}};
    static const uint8_t none[] = {0, 0};
    rec.parent.ds = two;
    rec.parent.n_ds = 2;
    rec.reasons = named;
    rec.dnskey_roles = none;
    is_int(results_graph_build(&rec, NULL, &g), 0, "SHA-1 beside a wrong SHA-256 builds");
    is_int(count_failing(&g, &f), 1, "one failing edge");
    ok(f && g.nodes[f->from].kind == GRAPH_NODE_DS && strstr(g.nodes[f->from].sub, "SHA-256"),
       "it is the SHA-256 DS's (%s)", f ? g.nodes[f->from].sub : "");
    bool sha1_unused = false;
    for (size_t i = 0; i < g.n_edges; i++)
        sha1_unused |= strcmp(g.edges[i].label, "SHA-1 not used") == 0 && !g.edges[i].failing;
    ok(sha1_unused, "the SHA-1 DS's edge says it is not used");
    results_graph_clear(&g);
}

static void test_inconsistent(void)
{
    static const results_reason_t reasons[] = {
        {VERIFY_REASON_DS_NO_MATCHING_DNSKEY, "127.0.3.2", "inconsistent.test/DS",
         "no DS matches the served DNSKEYs (59179/13 29038/13); publish: ..."},
        {VERIFY_REASON_NS_INCONSISTENT, NULL, "inconsistent.test/DNSKEY",
         "127.0.3.1: secure, 2 keys; 127.0.3.2: bogus, 2 keys"}};
    static const uint8_t roles[] = {0, RESULTS_KEY_DS_MATCHED | RESULTS_KEY_SIGNS_DNSKEY};
    results_record_t rec = expired_record();
    rec.domain = "inconsistent.test";
    rec.reasons = reasons;
    rec.n_reasons = 2;
    rec.dnskey_roles = roles;
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "inconsistent: the graph builds");
    const graph_edge_t *f = NULL;
    is_int(count_failing(&g, &f), 1, "one failing edge");
    ok(f && g.nodes[f->to].kind == GRAPH_NODE_MISSING &&
           strstr(g.nodes[f->to].title, "127.0.3.2") &&
           strcmp(g.nodes[f->to].sub, "59179/13 29038/13") == 0,
       "it ends at the other server's keys (%s: %s)", f ? g.nodes[f->to].title : "",
       f ? g.nodes[f->to].sub : "");
    ok(f && strstr(f->label, "(on 127.0.3.2)"), "its label names the server: '%s'",
       f ? f->label : "");
    ok(self_loop_on(&g, 47234, false), "the first server's KSK signs (valid self-signature)");
    results_graph_clear(&g);
}

/* A secure zone with a DS left over from an old key (DS_STALE): drawn as a warning, not a
 * failure. */
static void test_stale_ds(void)
{
    static const results_ds_t ds[] = {{60324, 13, 2, "AA"}, {47234, 13, 2, "BB"}};
    static const results_reason_t reasons[] = {
        {VERIFY_REASON_DS_STALE, NULL, "dsstale.test/DS",
         "DS 60324/13/2 matches no served DNSKEY while another DS does"}};
    static const uint8_t roles[] = {0, RESULTS_KEY_DS_MATCHED | RESULTS_KEY_SIGNS_DNSKEY};
    results_record_t rec = expired_record();
    rec.domain = "dsstale.test";
    rec.status = VERIFY_STATUS_SECURE;
    rec.reasons = reasons;
    rec.parent.ds = ds;
    rec.parent.n_ds = 2;
    rec.dnskey_roles = roles;
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "stale DS: the graph builds");
    const graph_edge_t *f = NULL;
    is_int(count_failing(&g, &f), 0, "no failing edge in a secure zone");
    bool stale = false;
    for (size_t i = 0; i < g.n_edges; i++)
        stale |= g.edges[i].kind == GRAPH_EDGE_DIGEST && g.edges[i].dashed &&
                 g.edges[i].state == GRAPH_UNKNOWN && g.nodes[g.edges[i].to].key_tag == 60324;
    ok(stale, "DS 60324 -> its missing key: dashed, orange (a warning)");
    ok(self_loop_on(&g, 47234, false), "KSK 47234 signs");
    results_graph_clear(&g);

    /* The same DS alone in a bogus zone is the failure. */
    static const results_reason_t nomatch[] = {
        {VERIFY_REASON_DS_NO_MATCHING_DNSKEY, NULL, "dsstale.test/DS", "no DS matches"}};
    static const uint8_t no_roles[] = {0, 0};
    rec.status = VERIFY_STATUS_BOGUS;
    rec.reasons = nomatch;
    rec.parent.n_ds = 1;
    rec.dnskey_roles = no_roles;
    is_int(results_graph_build(&rec, "s1", &g), 0, "DS alone: the graph builds");
    is_int(count_failing(&g, &f), 1, "one failing edge");
    ok(f && f->dashed && g.nodes[f->to].key_tag == 60324, "DS 60324 -> missing key fails");
    results_graph_clear(&g);
}

static void test_parent_bogus(void)
{
    static const results_reason_t reasons[] = {
        {VERIFY_REASON_PARENT_BOGUS, NULL, "sub.dsdigest.test/DS",
         "parent zone dsdigest.test. is bogus: DS_DIGEST_MISMATCH"}};
    results_record_t rec = {0};
    rec.domain = "sub.dsdigest.test";
    rec.status = VERIFY_STATUS_BOGUS;
    rec.reasons = reasons;
    rec.n_reasons = 1;
    rec.parent.zone = "dsdigest.test";
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "parent bogus: the graph builds");
    is_int(g.n_zones, 4, "zones: root, test, dsdigest.test, sub.dsdigest.test");
    is_int(g.zones[2].state, GRAPH_BOGUS, "dsdigest.test (named by the reason) is bogus");
    is_int(g.zones[1].state, GRAPH_SECURE, "test above it was validated");
    bool into_bogus = false;
    for (size_t i = 0; i < g.n_edges; i++)
        into_bogus |= g.edges[i].kind == GRAPH_EDGE_DELEGATES && g.edges[i].failing &&
                      g.nodes[g.edges[i].to].zone == 2 && g.nodes[g.edges[i].from].zone == 1;
    ok(into_bogus, "the delegation from test into dsdigest.test fails");
    const graph_node_t *keys = NULL;
    for (size_t i = 0; i < g.n_nodes; i++)
        if (g.nodes[i].role && strcmp(g.nodes[i].role, "no-dnskey") == 0)
            keys = &g.nodes[i];
    ok(keys && keys->state == GRAPH_UNKNOWN && strstr(keys->sub, "not checked"),
       "the domain's keys were not asked for: '%s' (%s)", keys ? keys->sub : "",
       keys ? results_graph_state_name(keys->state) : "");
    results_graph_clear(&g);
}

/* Names from the network end up in SVG and DOT: nothing may break out of its context. */
static const results_reason_t hostile_reasons[] = {
    {VERIFY_REASON_RRSIG_INVALID, "1.2.3.4\"><script>alert(2)</script>", "a/DNSKEY",
     "RRSIG by key 47234 </text><script>alert(1)</script> \\\" \xff\x01"}};

static results_record_t hostile_record(void)
{
    results_record_t rec = expired_record();
    rec.domain = "e<v>i&l\"q'\\\xff.test";
    rec.parent.zone = "t\"est\\";
    rec.reasons = hostile_reasons;
    return rec;
}

static void test_hostile_names(void)
{
    results_record_t rec = hostile_record();
    char *svg = render(&rec, RESULTS_GRAPH_SVG);
    ok(svg != NULL, "hostile record: SVG written");
    if (!svg)
        return;
    ok(!strstr(svg, "<script"), "SVG: no <script> element");
    ok(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
       "SVG: the detail's markup is escaped as text");
    ok(strstr(svg, "e&lt;v&gt;i&amp;l&quot;q&#39;\\\\255.test") != NULL,
       "SVG: the domain is escaped (& < > \" ' and the byte 0xff as \\255)");
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)svg; *p; p++)
        if (*p >= 0x7f || (*p < 0x20 && *p != '\n'))
            ascii = false;
    ok(ascii, "SVG: only printable ASCII (no raw bytes from the network)");
    free(svg);
    char *dot = render(&rec, RESULTS_GRAPH_DOT);
    ok(dot && strstr(dot, "label=\"e<v>i&l\\\"q'\\\\\\\\255.test\""),
       "DOT: the domain's quote and backslash are escaped, 0xff as \\\\255");
    ok(dot && strstr(dot, "label=\"t\\\"est\\\\\""), "DOT: the parent zone's quote escaped");
    /* Every quote that is not escaped opens or closes a string: their count is even on every
     * line, so no string runs on into the graph's syntax. */
    bool balanced = true;
    for (char *line = dot, *end; line && *line; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        size_t quotes = 0;
        for (char *p = line; p < (end ? end : line + strlen(line)); p++) {
            if (*p == '\\' && p[1]) {
                p++;
                continue;
            }
            quotes += *p == '"';
        }
        balanced &= quotes % 2 == 0;
    }
    ok(balanced, "DOT: every string is closed on its line");
    free(dot);
}

static void test_bounds(void)
{
    static results_dnskey_t keys[300];
    static results_ds_t ds[300];
    for (int i = 0; i < 300; i++) {
        keys[i] = (results_dnskey_t){(uint16_t)(1000 + i), 13, 257, 256};
        ds[i] = (results_ds_t){(uint16_t)(1000 + i), 13, 2, "AA"};
    }
    results_record_t rec = nomatch_record();
    rec.dnskey = keys;
    rec.n_dnskey = 300;
    rec.dnskey_roles = NULL;
    rec.parent.ds = ds;
    rec.parent.n_ds = 300;
    rec.parent.zone = "a.b.c.d.e.f.g.h.i.j.k";
    graph_t g;
    is_int(results_graph_build(&rec, "s1", &g), 0, "300 keys, 300 DS, 11 labels: builds");
    is_int(count_nodes(&g, GRAPH_NODE_DNSKEY), GRAPH_KEYS_MAX, "DNSKEY nodes capped at %d",
           GRAPH_KEYS_MAX);
    is_int(count_nodes(&g, GRAPH_NODE_DS), GRAPH_DS_MAX, "DS nodes capped at %d", GRAPH_DS_MAX);
    ok(g.n_zones <= GRAPH_ABOVE_MAX + 2, "zones capped (%zu)", g.n_zones);
    ok(g.n_edges < 4 * GRAPH_KEYS_MAX + 2 * GRAPH_DS_MAX + 16,
       "edges stay linear in the drawn keys (%zu)", g.n_edges);
    bool more_keys = false;
    for (size_t i = 0; i < g.n_nodes; i++)
        more_keys |= strcmp(g.nodes[i].title, "252 more DNSKEYs") == 0;
    ok(more_keys, "a node says how many keys are not drawn");
    results_graph_clear(&g);

    /* 4096 reasons, each naming another unserved signing key. */
    static results_reason_t many[RESULTS_LIST_MAX];
    static char details[RESULTS_LIST_MAX][48];
    for (int i = 0; i < RESULTS_LIST_MAX; i++) {
        snprintf(details[i], sizeof details[i], "RRSIG by key %d alg 13", 20000 + i);
        many[i] = (results_reason_t){VERIFY_REASON_RRSIG_UNKNOWN_KEY, NULL, "x/SOA", details[i]};
    }
    rec.reasons = many;
    rec.n_reasons = RESULTS_LIST_MAX;
    is_int(results_graph_build(&rec, "s1", &g), 0, "%d reasons: builds", RESULTS_LIST_MAX);
    is_int(count_nodes(&g, GRAPH_NODE_MISSING), GRAPH_REASONS_DRAWN,
           "missing keys drawn for the first %d reasons only", GRAPH_REASONS_DRAWN);
    is_int(g.n_caption, GRAPH_CAPTION_MAX, "the caption is capped at %d lines", GRAPH_CAPTION_MAX);
    results_graph_clear(&g);
}

static void test_roles_codec(void)
{
    results_record_t rec = expired_record();
    uint8_t *buf = NULL;
    size_t len = 0;
    results_record_t back;
    is_int(results_record_encode(&rec, &buf, &len), 0, "a record with roles encodes");
    is_int(results_record_decode(rec.domain, buf, len, &back), 0, "... and decodes");
    ok(back.dnskey_roles && back.dnskey_roles[0] == 0 &&
           back.dnskey_roles[1] == RESULTS_KEY_DS_MATCHED,
       "the roles come back");
    results_record_free(&back);
    buf[len - 1] = 0x80; /* a role bit that does not exist */
    is_int(results_record_decode(rec.domain, buf, len, &back), RESULTS_ECORRUPT,
           "an unknown role bit is a corrupt record");
    free(buf);

    rec.dnskey_roles = NULL; /* what a schema-3 dnssweep wrote: the record ends earlier */
    is_int(results_record_encode(&rec, &buf, &len), 0, "a record without roles encodes");
    is_int(results_record_decode(rec.domain, buf, len, &back), 0, "... and decodes");
    ok(back.dnskey_roles == NULL && back.n_dnskey == 2, "roles unknown (NULL), keys intact");
    results_record_free(&back);
    free(buf);
}

static void test_formats(void)
{
    results_graph_format_t f = RESULTS_GRAPH_DOT;
    is_int(results_graph_format_for("a/b.svg", &f), 0, "b.svg accepted");
    is_int(f, RESULTS_GRAPH_SVG, "... as SVG");
    is_int(results_graph_format_for("B.DOT", &f), 0, "B.DOT accepted");
    is_int(f, RESULTS_GRAPH_DOT, "... as DOT");
    is_int(results_graph_format_for("x.png", &f), RESULTS_EINVAL, "x.png refused");
    is_int(results_graph_format_for("graph", &f), RESULTS_EINVAL, "no extension refused");
    is_int(results_graph_format_for("dir.svg/graph", &f), RESULTS_EINVAL,
           "a dot in a directory name is no extension");
}

static void test_report_bound(void)
{
    results_report_data_t *r = calloc(1, sizeof *r);
    results_record_t rec = nomatch_record();
    r->scan_name = "s1";
    for (int i = 0; i < REPORT_GRAPHS + 5; i++)
        results_report_graphs_add(r, &rec);
    rec.status = VERIFY_STATUS_SECURE;
    results_report_graphs_add(r, &rec);
    results_buf_t b = {0};
    results_report_graphs_render(&b, r);
    results_buf_byte(&b, 0);
    const char *html = (const char *)b.data;
    is_int(r->n_bogus, REPORT_GRAPHS + 5, "report: every bogus domain counted, secure ones not");
    is_int(count_str(html, "<svg xmlns"), REPORT_GRAPHS, "report: %d pictures embedded",
           REPORT_GRAPHS);
    ok(strstr(html, "5 more bogus domains are not drawn here") &&
           strstr(html, "dnssweep show --scan s1 --graph DOMAIN.svg DOMAIN"),
       "report: the rest are counted, with the command to draw them");
    results_buf_free(&b);
    results_buf_free(&r->graphs);
    free(r);
}

/* When Graphviz is installed (a test-only tool), it must read our DOT. */
static void test_dot_parses(void)
{
    if (access("/usr/bin/dot", X_OK) != 0) {
        skip("Graphviz not installed (apt-get install graphviz): DOT not parsed");
        return;
    }
    const results_record_t recs[] = {nomatch_record(), hostile_record()};
    const char *what[] = {"dsnomatch", "hostile names"};
    for (size_t i = 0; i < 2; i++) {
        char path[] = "/tmp/dnssweep-graph-XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        ok(f && results_graph_write(&recs[i], "s1", RESULTS_GRAPH_DOT, f) == 0,
           "%s: DOT written to %s", what[i], path);
        if (f)
            fclose(f);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "/usr/bin/dot -Tsvg -o /dev/null %s 2>&1", path);
        int st = system(cmd);
        ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: Graphviz dot reads it (exit %d)", what[i],
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        unlink(path);
    }
}

int main(void)
{
    test_ds_no_match();
    test_expired();
    test_inconsistent();
    test_stale_ds();
    test_parent_bogus();
    test_hostile_names();
    test_bounds();
    test_roles_codec();
    test_formats();
    test_report_bound();
    test_dot_parses();
    return tap_done();
}
