/*
 * The chain-of-trust picture of one stored verdict, as nodes and edges (drawn by graph_dot.c
 * and graph_svg.c). Everything comes from the record: the parent zone and its DS set, the
 * domain's DNSKEYs with their roles, and the reasons with their RRsets, servers and key tags.
 *
 * What the record does not store is drawn as what it is: the zones above the parent are one
 * node each, validated when the parent was (the scan walked down to it), otherwise of unknown
 * state; the signers of the zone's data (SOA, A, CAA) are not stored, so the data node is
 * signed from every zone-signing key (SEP bit clear), or from the keys when all have it.
 */
#include "results/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *results_graph_state_name(graph_state_t s)
{
    static const char *const names[GRAPH_STATE_COUNT] = {"secure", "insecure", "bogus",
                                                         "indeterminate"};
    return (unsigned)s < GRAPH_STATE_COUNT ? names[s] : "indeterminate";
}

static graph_state_t state_of(verify_status_t s)
{
    switch (s) {
    case VERIFY_STATUS_SECURE:
        return GRAPH_SECURE;
    case VERIFY_STATUS_INSECURE:
        return GRAPH_INSECURE;
    case VERIFY_STATUS_BOGUS:
        return GRAPH_BOGUS;
    default:
        return GRAPH_UNKNOWN;
    }
}

/* The array items (n used of *cap, size bytes each) with room for one more: items itself when it
 * has room, else items reallocated to twice its capacity (first when empty). NULL, with the graph
 * marked out of memory and items left as they were, when that fails. */
static void *room_for_one(graph_t *g, void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t grown = *cap ? *cap * 2 : first;
    void *p = realloc(items, grown * size);
    if (!p) {
        g->nomem = true;
        return NULL;
    }
    *cap = grown;
    return p;
}

static size_t add_node(graph_t *g, graph_node_kind_t kind, size_t zone, unsigned row,
                       graph_state_t state, const char *role)
{
    graph_node_t *nodes = room_for_one(g, g->nodes, &g->cap_nodes, g->n_nodes, sizeof *nodes, 16);
    if (!nodes)
        return SIZE_MAX;
    g->nodes = nodes;
    graph_node_t *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->zone = zone;
    n->row = row;
    n->state = state;
    n->role = role;
    if (g->zones[zone].rows < row + 1)
        g->zones[zone].rows = row + 1;
    return g->n_nodes++;
}

/* add_node() for a key (a DNSKEY, or the key a DS names): ordered by key tag, titled
 * "<role> <key tag>". */
static size_t add_key_node(graph_t *g, graph_node_kind_t kind, size_t zone, unsigned row,
                           graph_state_t state, const char *role, unsigned key_tag,
                           unsigned algorithm)
{
    size_t at = add_node(g, kind, zone, row, state, role);
    if (at == SIZE_MAX)
        return SIZE_MAX;
    graph_node_t *n = &g->nodes[at];
    n->key_tag = key_tag;
    n->order = key_tag;
    n->algorithm = algorithm;
    snprintf(n->title, sizeof n->title, "%s %u", role, key_tag);
    return at;
}

/* The last node of a zone's row 1: how many records (of type what) were left out of the drawing. */
static void add_more(graph_t *g, size_t zone, graph_state_t state, size_t left_out,
                     const char *what)
{
    size_t at = add_node(g, GRAPH_NODE_RRSET, zone, 1, state, "more");
    if (at == SIZE_MAX)
        return;
    g->nodes[at].order = UINT32_MAX;
    snprintf(g->nodes[at].title, sizeof g->nodes[at].title, "%zu more %s", left_out, what);
}

static graph_edge_t *add_edge(graph_t *g, size_t from, size_t to, graph_edge_kind_t kind,
                              graph_state_t state)
{
    if (from == SIZE_MAX || to == SIZE_MAX)
        return NULL;
    graph_edge_t *edges = room_for_one(g, g->edges, &g->cap_edges, g->n_edges, sizeof *edges, 32);
    if (!edges)
        return NULL;
    g->edges = edges;
    graph_edge_t *e = &g->edges[g->n_edges++];
    memset(e, 0, sizeof *e);
    e->from = from;
    e->to = to;
    e->kind = kind;
    e->state = state;
    return e;
}

static void fail_edge(graph_edge_t *e, bool dashed, const char *label, const char *server)
{
    if (!e)
        return;
    e->state = GRAPH_BOGUS;
    e->failing = true;
    e->dashed = dashed;
    if (server)
        snprintf(e->label, sizeof e->label, "%s (on %.40s)", label, server);
    else
        snprintf(e->label, sizeof e->label, "%s", label);
}

/* ---- reading the reasons' evidence ---- */

/* The first key tag a reason's detail names: "key 47234", "DNSKEY 9321", "key tag 51017";
 * -1 when it names none. */
static long detail_key_tag(const char *detail)
{
    static const char *const marks[] = {"key tag ", "DNSKEY ", "key "};
    long best = -1;
    const char *best_at = NULL;
    for (size_t m = 0; detail && m < sizeof marks / sizeof marks[0]; m++) {
        for (const char *p = strstr(detail, marks[m]); p; p = strstr(p + 1, marks[m])) {
            const char *q = p + strlen(marks[m]);
            if (!isdigit((unsigned char)*q))
                continue;
            long v = strtol(q, NULL, 10);
            if (v >= 0 && v <= 65535 && (!best_at || p < best_at)) {
                best = v;
                best_at = p;
            }
            break;
        }
    }
    return best;
}

/* The time a signature expired or starts ("2026-12-04T19:39:31Z") into out, "" when none. */
static void detail_time(const char *detail, char *out, size_t len)
{
    static const char *const marks[] = {"expired ", "valid only from ", "expires "};
    out[0] = '\0';
    for (size_t m = 0; detail && m < sizeof marks / sizeof marks[0]; m++) {
        const char *p = strstr(detail, marks[m]);
        if (!p)
            continue;
        p += strlen(marks[m]);
        size_t n = 0;
        while (p[n] && (isdigit((unsigned char)p[n]) || strchr("-:TZ", p[n])) && n < 24)
            n++;
        if (n >= 10) {
            snprintf(out, len, "%.*s", (int)n, p);
            return;
        }
    }
}

/* The type of an RRset name ("example.com/DNSKEY" -> "DNSKEY"), "" when none. */
static const char *rrset_type(const char *rrset)
{
    const char *slash = rrset ? strrchr(rrset, '/') : NULL;
    return slash ? slash + 1 : "";
}

/* ---- the zones of the chain ---- */

static void add_zone(graph_t *g, const char *name, graph_state_t state)
{
    graph_zone_t *z = &g->zones[g->n_zones++];
    snprintf(z->name, sizeof z->name, "%s", *name ? name : ".");
    z->state = state;
    z->rows = 0;
}

static bool has_reason(const results_record_t *rec, verify_reason_code_t code)
{
    for (size_t i = 0; i < rec->n_reasons; i++)
        if (rec->reasons[i].code == code)
            return true;
    return false;
}

/* The code is among the reasons that concern every server (no server named). */
static bool zone_reason(const results_record_t *rec, verify_reason_code_t code)
{
    for (size_t i = 0; i < rec->n_reasons; i++)
        if (rec->reasons[i].code == code && !rec->reasons[i].server)
            return true;
    return false;
}

/* The zone a PARENT_BOGUS reason names ("parent zone dsdigest.test. is bogus: ..."), without
 * its trailing dot, into out; "" when none. */
static void bogus_zone_named(const results_record_t *rec, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const char *d = rec->reasons[i].detail;
        if (rec->reasons[i].code != VERIFY_REASON_PARENT_BOGUS || !d)
            continue;
        const char *p = strstr(d, "zone ");
        if (!p)
            continue;
        p += 5;
        size_t n = strcspn(p, " :");
        if (n > 1 && p[n - 1] == '.')
            n--;
        snprintf(out, len, "%.*s", (int)n, p);
        return;
    }
}

/* Root, the zones above the parent (the nearest GRAPH_ABOVE_MAX - 1 and the root), the parent
 * and the domain, each with its state; returns the index of the parent's zone (SIZE_MAX when
 * the parent is unknown). */
static size_t build_zones(graph_t *g, const results_record_t *rec)
{
    const results_parent_t *par = &rec->parent;
    if (!par->zone) {
        add_zone(g, rec->domain, g->state);
        return SIZE_MAX;
    }
    graph_state_t ps = par->is_signed ? GRAPH_SECURE : GRAPH_INSECURE;
    if (has_reason(rec, VERIFY_REASON_PARENT_BOGUS))
        ps = GRAPH_BOGUS;
    else if (has_reason(rec, VERIFY_REASON_PARENT_UNREACHABLE))
        ps = GRAPH_UNKNOWN;
    /* Above a validated parent every zone was validated on the way down; otherwise the record
     * does not say. */
    graph_state_t above = ps == GRAPH_SECURE ? GRAPH_SECURE : GRAPH_UNKNOWN;
    char bogus[GRAPH_NAME_MAX];
    bogus_zone_named(rec, bogus, sizeof bogus);

    const char *suffixes[128];
    size_t n = 0;
    for (const char *p = par->zone; *p && n < 128;) {
        const char *dot = strchr(p, '.');
        if (!dot)
            break;
        suffixes[n++] = dot + 1; /* nearest first */
        p = dot + 1;
    }
    /* A scan stores verdicts only once the root validated against its trust anchor (a run
     * that cannot validate it fails), so the root is secure whenever the record has a chain. */
    add_zone(g, ".", *par->zone ? GRAPH_SECURE : ps);
    size_t keep = n < GRAPH_ABOVE_MAX - 1 ? n : GRAPH_ABOVE_MAX - 1;
    for (size_t i = keep; i-- > 0;)
        add_zone(g, suffixes[i], above);
    if (*par->zone)
        add_zone(g, par->zone, ps);
    /* The zone named bogus was reached through validated zones: those above it are secure. */
    for (size_t i = 0; *bogus && i < g->n_zones; i++)
        if (strcmp(g->zones[i].name, bogus) == 0) {
            g->zones[i].state = GRAPH_BOGUS;
            for (size_t j = 0; j < i; j++)
                g->zones[j].state = GRAPH_SECURE;
        }
    size_t parent = g->n_zones - 1;
    add_zone(g, rec->domain, g->state);
    return parent;
}

/* ---- nodes ---- */

static const char *digest_name(uint8_t t)
{
    switch (t) {
    case 1:
        return "SHA-1";
    case 2:
        return "SHA-256";
    case 3:
        return "GOST";
    case 4:
        return "SHA-384";
    default:
        return "digest ?";
    }
}

static bool is_sep(const results_dnskey_t *k)
{
    return k->flags & 0x0001;
}

/* The node of the domain's key with this tag, SIZE_MAX when none is drawn. */
static size_t key_node(const graph_t *g, size_t first_key, long tag)
{
    for (size_t i = first_key; tag >= 0 && i < g->n_nodes; i++)
        if ((g->nodes[i].kind == GRAPH_NODE_DNSKEY || g->nodes[i].kind == GRAPH_NODE_MISSING) &&
            g->nodes[i].key_tag == tag)
            return i;
    return SIZE_MAX;
}

/* A key the chain names but the zone does not serve: a dashed red node in the domain's box. */
static size_t missing_key(graph_t *g, size_t zone, size_t first_key, long tag, int alg,
                          const char *why)
{
    size_t at = key_node(g, first_key, tag);
    if (at != SIZE_MAX)
        return at;
    at = add_node(g, GRAPH_NODE_MISSING, zone, 0, GRAPH_BOGUS, "missing");
    if (at == SIZE_MAX)
        return at;
    graph_node_t *n = &g->nodes[at];
    n->key_tag = (uint16_t)(tag < 0 ? 0 : tag);
    n->order = n->key_tag;
    n->algorithm = (uint8_t)(alg < 0 ? 0 : alg);
    if (tag < 0)
        snprintf(n->title, sizeof n->title, "DNSKEY ?");
    else if (alg < 0)
        snprintf(n->title, sizeof n->title, "DNSKEY %ld", tag);
    else
        snprintf(n->title, sizeof n->title, "DNSKEY %ld/%d", tag, alg);
    snprintf(n->sub, sizeof n->sub, "%s", why);
    return at;
}

/* The key set is trusted when a key that a DS matches signed the DNSKEY RRset validly (as the
 * first server served it): its keys are validated even where the domain fails further down
 * (an expired SOA signature, another server serving other keys). */
static bool keyset_trusted(const results_record_t *rec)
{
    const uint8_t both = RESULTS_KEY_DS_MATCHED | RESULTS_KEY_SIGNS_DNSKEY;
    for (size_t i = 0; rec->dnskey_roles && i < rec->n_dnskey; i++)
        if ((rec->dnskey_roles[i] & both) == both)
            return true;
    return false;
}

static void build_keys(graph_t *g, const results_record_t *rec, size_t zone, size_t *first_key,
                       size_t *data)
{
    /* Keys of a zone that is not secure are drawn neutral unless a trusted key vouches for
     * them: red is for what fails. */
    graph_state_t ks = g->state == GRAPH_SECURE || g->state == GRAPH_UNKNOWN ? g->state
                       : keyset_trusted(rec)                                 ? GRAPH_SECURE
                                                                             : GRAPH_INSECURE;
    *first_key = g->n_nodes;
    size_t drawn = rec->n_dnskey < GRAPH_KEYS_MAX ? rec->n_dnskey : GRAPH_KEYS_MAX;
    bool any_sep = false;
    for (size_t i = 0; i < drawn; i++)
        any_sep |= is_sep(&rec->dnskey[i]);
    for (size_t i = 0; i < drawn; i++) {
        const results_dnskey_t *k = &rec->dnskey[i];
        bool sep = is_sep(k);
        const char *role = !(k->flags & 0x0100) ? "key" : sep ? "KSK" : "ZSK";
        size_t at =
            add_key_node(g, GRAPH_NODE_DNSKEY, zone, sep || !any_sep ? 0 : 1,
                         k->flags & 0x0080 ? GRAPH_BOGUS : ks, role, k->key_tag, k->algorithm);
        if (at == SIZE_MAX)
            return;
        graph_node_t *n = &g->nodes[at];
        if (k->bits)
            snprintf(n->sub, sizeof n->sub, "alg %u, %u bits%s", k->algorithm, k->bits,
                     k->flags & 0x0080 ? ", REVOKED" : "");
        else
            snprintf(n->sub, sizeof n->sub, "alg %u, flags %u%s", k->algorithm, k->flags,
                     k->flags & 0x0080 ? ", REVOKED" : "");
    }
    if (rec->n_dnskey > drawn)
        add_more(g, zone, ks, rec->n_dnskey - drawn, "DNSKEYs");
    if (rec->n_dnskey == 0) {
        /* Below a bogus zone the domain's servers are not asked: nothing is known of its keys. */
        bool unasked = has_reason(rec, VERIFY_REASON_PARENT_BOGUS);
        size_t at =
            add_node(g, GRAPH_NODE_RRSET, zone, 0, unasked ? GRAPH_UNKNOWN : g->state, "no-dnskey");
        if (at != SIZE_MAX) {
            snprintf(g->nodes[at].title, sizeof g->nodes[at].title, "%s",
                     unasked ? "DNSKEY" : "no DNSKEY");
            snprintf(g->nodes[at].sub, sizeof g->nodes[at].sub, "%s",
                     unasked ? "not checked: a zone above fails" : "");
        }
    }
    /* The zone's own data, signed (when the keys are known) by the zone-signing keys. */
    *data = add_node(g, GRAPH_NODE_RRSET, zone, 2, g->state, "data");
    if (*data != SIZE_MAX) {
        snprintf(g->nodes[*data].title, sizeof g->nodes[*data].title, "SOA, A, CAA");
        snprintf(g->nodes[*data].sub, sizeof g->nodes[*data].sub, "%.80s", rec->domain);
    }
}

/* A reason says a signature by this key over the DNSKEY RRset failed. */
static bool fails_on_keys(const results_record_t *rec, uint16_t tag)
{
    for (size_t i = 0; i < rec->n_reasons; i++)
        if (strcmp(rrset_type(rec->reasons[i].rrset), "DNSKEY") == 0 &&
            detail_key_tag(rec->reasons[i].detail) == tag)
            return true;
    return false;
}

/* The edges of the DNSKEY RRset's signatures: a self-loop on each signer, and the signer to
 * each other key of the set; and the zone-signing keys to the data. */
static void build_signatures(graph_t *g, const results_record_t *rec, size_t first_key, size_t data)
{
    size_t drawn = rec->n_dnskey < GRAPH_KEYS_MAX ? rec->n_dnskey : GRAPH_KEYS_MAX;
    bool any_sep = false;
    for (size_t i = 0; i < drawn; i++)
        any_sep |= is_sep(&rec->dnskey[i]);
    graph_state_t es = g->state == GRAPH_SECURE ? GRAPH_SECURE : GRAPH_INSECURE;
    /* The DNSKEY RRset's own signatures hold where a trusted key made them; the data's are
     * what the domain's status says. */
    graph_state_t ks = keyset_trusted(rec) ? GRAPH_SECURE : es;
    /* The judge marks a signer only once a DS vouches for it; without one (no DS matched) a
     * self-signature that did not fail is still drawn, from the keys that sign by convention. */
    bool any_signer = false;
    for (size_t i = 0; rec->dnskey_roles && i < drawn; i++)
        any_signer |= (rec->dnskey_roles[i] & RESULTS_KEY_SIGNS_DNSKEY) != 0;
    for (size_t i = 0; i < drawn; i++) {
        const results_dnskey_t *k = &rec->dnskey[i];
        bool signs = any_signer ? (rec->dnskey_roles[i] & RESULTS_KEY_SIGNS_DNSKEY) != 0
                                : (is_sep(k) || !any_sep) && !fails_on_keys(rec, k->key_tag);
        if (signs) {
            graph_edge_t *e = add_edge(g, first_key + i, first_key + i, GRAPH_EDGE_SIGNS, ks);
            if (e)
                snprintf(e->label, sizeof e->label, "DNSKEY");
            for (size_t j = 0; j < drawn && drawn <= 12; j++)
                if (j != i)
                    add_edge(g, first_key + i, first_key + j, GRAPH_EDGE_SIGNS, ks);
        }
        if ((!is_sep(k) || !any_sep) && (k->flags & 0x0100))
            add_edge(g, first_key + i, data, GRAPH_EDGE_SIGNS, es);
    }
}

/* A SHA-1 DS whose key tag a DS_DIGEST_MISMATCH names with a stronger digest ("DS 62410/13/2
 * has the tag ..."): the validator never used it, so it is not what failed. */
static bool weak_beside_named(const results_record_t *rec, const results_ds_t *d)
{
    if (d->digest_type != 1)
        return false;
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const char *p = rec->reasons[i].detail;
        unsigned tag, alg, type;
        if (rec->reasons[i].code != VERIFY_REASON_DS_DIGEST_MISMATCH || !p ||
            !(p = strstr(p, "DS ")) || sscanf(p, "DS %u/%u/%u", &tag, &alg, &type) != 3)
            continue;
        if (tag == d->key_tag && alg == d->algorithm && type != 1)
            return true;
    }
    return false;
}

static void build_ds(graph_t *g, const results_record_t *rec, size_t parent, size_t parent_keys,
                     size_t domain, size_t first_key)
{
    const results_parent_t *par = &rec->parent;
    graph_state_t ps = g->zones[parent].state;
    size_t drawn = par->n_ds < GRAPH_DS_MAX ? par->n_ds : GRAPH_DS_MAX;
    bool digest_reason = has_reason(rec, VERIFY_REASON_DS_DIGEST_MISMATCH);
    if (par->n_ds == 0) {
        graph_state_t s = ps == GRAPH_SECURE ? GRAPH_INSECURE : ps;
        if (has_reason(rec, VERIFY_REASON_PARENT_DS_DENIAL_INVALID))
            s = GRAPH_BOGUS;
        size_t at = add_node(g, GRAPH_NODE_RRSET, parent, 1, s, "no-ds");
        if (at == SIZE_MAX)
            return;
        snprintf(g->nodes[at].title, sizeof g->nodes[at].title, "no DS");
        snprintf(g->nodes[at].sub, sizeof g->nodes[at].sub, "%s",
                 ps == GRAPH_SECURE     ? "proven absent: insecure"
                 : ps == GRAPH_INSECURE ? "parent unsigned"
                 : ps == GRAPH_BOGUS    ? "parent bogus"
                                        : "parent not validated");
        graph_edge_t *e = add_edge(g, parent_keys, at, GRAPH_EDGE_SIGNS, s);
        if (e && s == GRAPH_BOGUS)
            fail_edge(e, false, "DS denial invalid", NULL);
        return;
    }
    /* A DS naming no served key is the failure only when no other DS leads to a key. */
    bool stale_ok =
        g->state != GRAPH_BOGUS || !zone_reason(rec, VERIFY_REASON_DS_NO_MATCHING_DNSKEY);
    if (rec->dnskey_roles) {
        bool any = false;
        for (size_t i = 0; i < rec->n_dnskey; i++)
            any |= (rec->dnskey_roles[i] & RESULTS_KEY_DS_MATCHED) != 0;
        stale_ok = stale_ok && any;
    }
    for (size_t i = 0; i < drawn; i++) {
        const results_ds_t *d = &par->ds[i];
        size_t at = add_key_node(g, GRAPH_NODE_DS, parent, 1, ps, "DS", d->key_tag, d->algorithm);
        if (at == SIZE_MAX)
            return;
        graph_node_t *n = &g->nodes[at];
        snprintf(n->sub, sizeof n->sub, "alg %u, %s", d->algorithm, digest_name(d->digest_type));
        add_edge(g, parent_keys, at, GRAPH_EDGE_SIGNS, ps);

        bool matched = false;
        for (size_t k = 0; k < rec->n_dnskey && k < GRAPH_KEYS_MAX; k++) {
            const results_dnskey_t *key = &rec->dnskey[k];
            if (key->key_tag != d->key_tag || key->algorithm != d->algorithm)
                continue;
            matched = true;
            bool ok = rec->dnskey_roles ? (rec->dnskey_roles[k] & RESULTS_KEY_DS_MATCHED) != 0
                                        : !digest_reason;
            graph_edge_t *e = add_edge(g, at, first_key + k, GRAPH_EDGE_DIGEST, ps);
            if (e && !ok && weak_beside_named(rec, d)) {
                /* RFC 4509 3: a SHA-1 DS is not used when a stronger one exists. */
                e->state = GRAPH_INSECURE;
                e->dashed = true;
                snprintf(e->label, sizeof e->label, "SHA-1 not used");
                n->state = GRAPH_INSECURE;
            } else if (e && !ok) {
                fail_edge(e, false, "digest mismatch", NULL);
                n->state = GRAPH_BOGUS;
            }
        }
        if (!matched && stale_ok) {
            /* Another DS carries the chain: this one is left over (a warning, drawn orange). */
            size_t miss =
                missing_key(g, domain, first_key, d->key_tag, d->algorithm, "not served: stale DS");
            if (miss != SIZE_MAX)
                g->nodes[miss].state = GRAPH_UNKNOWN;
            n->state = GRAPH_UNKNOWN;
            graph_edge_t *e = add_edge(g, at, miss, GRAPH_EDGE_DIGEST, GRAPH_UNKNOWN);
            if (e) {
                e->dashed = true;
                snprintf(e->label, sizeof e->label, "stale: no such key");
            }
        } else if (!matched) {
            size_t miss = missing_key(g, domain, first_key, d->key_tag, d->algorithm,
                                      "not served by the zone");
            n->state = GRAPH_BOGUS;
            fail_edge(add_edge(g, at, miss, GRAPH_EDGE_DIGEST, GRAPH_BOGUS), true,
                      "no DNSKEY matches", NULL);
        }
    }
    if (par->n_ds > drawn)
        add_more(g, parent, ps, par->n_ds - drawn, "DS");
}

/* One server serves other keys than the record's (those of its first server), none of them
 * matched by a DS: a node for that server's keys, each DS's failing edge into it. The keys are
 * those the detail lists ("... served DNSKEYs (59179/13 29038/13) ..."). */
static void server_keys(graph_t *g, const results_reason_t *r, size_t domain)
{
    size_t at = add_node(g, GRAPH_NODE_MISSING, domain, 0, GRAPH_BOGUS, "server-keys");
    if (at == SIZE_MAX)
        return;
    graph_node_t *n = &g->nodes[at];
    n->order = UINT32_MAX;
    snprintf(n->title, sizeof n->title, "DNSKEY on %.60s", r->server);
    const char *open = r->detail ? strstr(r->detail, "DNSKEYs (") : NULL;
    if (open) {
        open += strlen("DNSKEYs (");
        snprintf(n->sub, sizeof n->sub, "%.*s", (int)strcspn(open, ")"), open);
    } else {
        snprintf(n->sub, sizeof n->sub, "other keys");
    }
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].kind == GRAPH_NODE_DS)
            fail_edge(add_edge(g, i, at, GRAPH_EDGE_DIGEST, GRAPH_BOGUS), true, "no DNSKEY matches",
                      r->server);
}

/* Marks, for each reason about a signature or a key, the edge or node it fails on. */
static void build_failures(graph_t *g, const results_record_t *rec, size_t domain, size_t first_key,
                           size_t data)
{
    /* A hostile record may carry thousands of reasons: the first ones are what is drawn. */
    for (size_t i = 0; i < rec->n_reasons && i < GRAPH_REASONS_DRAWN; i++) {
        const results_reason_t *r = &rec->reasons[i];
        const char *type = rrset_type(r->rrset);
        bool on_keys = strcmp(type, "DNSKEY") == 0;
        long tag = detail_key_tag(r->detail);
        size_t key = key_node(g, first_key, tag);
        char when[32], label[GRAPH_TEXT_MAX];
        detail_time(r->detail, when, sizeof when);
        switch (r->code) {
        case VERIFY_REASON_RRSIG_EXPIRED:
        case VERIFY_REASON_RRSIG_NOT_YET_VALID:
        case VERIFY_REASON_RRSIG_INVALID:
        case VERIFY_REASON_RRSIG_MALFORMED:
        case VERIFY_REASON_DNSKEY_REVOKED:
        case VERIFY_REASON_DNSKEY_NO_ZONE_BIT:
        case VERIFY_REASON_VALIDATION_LIMIT:
        case VERIFY_REASON_RRSIG_UNKNOWN_KEY: {
            /* The RRset's type first, unless the arrow already points at the keys. */
            const char *what = on_keys || !type[0] ? "" : type;
            if (r->code == VERIFY_REASON_RRSIG_EXPIRED)
                snprintf(label, sizeof label, "%s%sRRSIG expired %s", what, *what ? " " : "", when);
            else if (r->code == VERIFY_REASON_RRSIG_NOT_YET_VALID)
                snprintf(label, sizeof label, "%s%sRRSIG valid from %s", what, *what ? " " : "",
                         when);
            else if (r->code == VERIFY_REASON_RRSIG_INVALID)
                snprintf(label, sizeof label, "%s%sRRSIG does not verify", what, *what ? " " : "");
            else
                snprintf(label, sizeof label, "%s%s%s", what, *what ? ": " : "",
                         verify_reason_name(r->code));
            if (key == SIZE_MAX)
                key = missing_key(g, domain, first_key, tag, -1, "signs but is not served");
            if (key == SIZE_MAX)
                break;
            g->nodes[key].state = GRAPH_BOGUS;
            size_t to = on_keys ? key : data;
            if (!on_keys && data != SIZE_MAX)
                g->nodes[data].state = GRAPH_BOGUS;
            fail_edge(add_edge(g, key, to, GRAPH_EDGE_SIGNS, GRAPH_BOGUS), false, label, r->server);
            break;
        }
        case VERIFY_REASON_DS_NO_MATCHING_DNSKEY:
            if (r->server)
                server_keys(g, r, domain);
            break;
        case VERIFY_REASON_DS_KEY_NOT_SIGNING:
            if (key != SIZE_MAX) {
                g->nodes[key].state = GRAPH_BOGUS;
                fail_edge(add_edge(g, key, key, GRAPH_EDGE_SIGNS, GRAPH_BOGUS), true,
                          "no valid RRSIG over DNSKEY", r->server);
            }
            break;
        case VERIFY_REASON_DNSKEY_UNSIGNED:
        case VERIFY_REASON_RRSIG_MISSING:
            if (on_keys) {
                for (size_t k = first_key; k < g->n_nodes; k++)
                    if (g->nodes[k].kind == GRAPH_NODE_DNSKEY && g->nodes[k].zone == domain)
                        g->nodes[k].state = GRAPH_BOGUS;
            } else if (data != SIZE_MAX) {
                g->nodes[data].state = GRAPH_BOGUS;
                snprintf(g->nodes[data].sub, sizeof g->nodes[data].sub, "%s: no RRSIG",
                         type[0] ? type : "data");
            }
            break;
        default:
            /* An error of one server among others that hold is in the caption, not on the
             * zone's data: only a bogus zone's data is drawn failing. */
            if (g->state == GRAPH_BOGUS &&
                verify_reason_severity(r->code) == VERIFY_SEVERITY_ERROR && !on_keys &&
                strcmp(type, "DS") != 0 && data != SIZE_MAX &&
                r->code != VERIFY_REASON_NS_INCONSISTENT) {
                g->nodes[data].state = GRAPH_BOGUS;
                snprintf(g->nodes[data].sub, sizeof g->nodes[data].sub, "%s",
                         verify_reason_name(r->code));
            }
            break;
        }
    }
}

/* A signature drawn as holding (assumed or found) between two nodes that a failing one also
 * joins is dropped: the failing one says what happened there. */
static void drop_shadowed(graph_t *g)
{
    size_t kept = 0;
    for (size_t i = 0; i < g->n_edges; i++) {
        const graph_edge_t *e = &g->edges[i];
        bool shadowed = false;
        for (size_t j = 0; !e->failing && j < g->n_edges && !shadowed; j++)
            shadowed = g->edges[j].failing && g->edges[j].from == e->from &&
                       g->edges[j].to == e->to && g->edges[j].kind == e->kind;
        if (!shadowed)
            g->edges[kept++] = *e;
    }
    g->n_edges = kept;
}

static void build_caption(graph_t *g, const results_record_t *rec)
{
    for (size_t i = 0; i < rec->n_reasons; i++) {
        if (g->n_caption == GRAPH_CAPTION_MAX - 1 && rec->n_reasons > GRAPH_CAPTION_MAX) {
            snprintf(g->caption[g->n_caption++], sizeof g->caption[0],
                     "... and %zu more reasons (dnssweep show)", rec->n_reasons - i);
            return;
        }
        const results_reason_t *r = &rec->reasons[i];
        snprintf(g->caption[g->n_caption++], sizeof g->caption[0], "%s%s%s%s: %s",
                 verify_reason_name(r->code), r->server ? " (" : "", r->server ? r->server : "",
                 r->server ? ")" : "", r->detail ? r->detail : "");
    }
}

int results_graph_build(const results_record_t *rec, const char *scan_name, graph_t *g)
{
    memset(g, 0, sizeof *g);
    if (!rec || !rec->domain)
        return RESULTS_EINVAL;
    char t[RESULTS_TIME_BUFSZ];
    g->state = state_of(rec->status);
    snprintf(g->title, sizeof g->title, "%.100s: %s (scan %.60s, %s)", rec->domain,
             verify_status_name(rec->status), scan_name ? scan_name : "?",
             rec->scanned_at ? results_format_time(rec->scanned_at, t) : "time unknown");

    size_t parent = build_zones(g, rec);
    size_t domain = g->n_zones - 1;
    size_t parent_keys = SIZE_MAX, above_prev = SIZE_MAX;
    for (size_t z = 0; parent != SIZE_MAX && z <= parent; z++) {
        size_t at = add_node(g, GRAPH_NODE_KEYS, z, 0, g->zones[z].state, "zone-keys");
        if (at == SIZE_MAX)
            break;
        snprintf(g->nodes[at].title, sizeof g->nodes[at].title, "DNSKEY");
        snprintf(g->nodes[at].sub, sizeof g->nodes[at].sub, "%s",
                 g->zones[z].state == GRAPH_SECURE     ? "validated"
                 : g->zones[z].state == GRAPH_INSECURE ? "unsigned"
                 : g->zones[z].state == GRAPH_BOGUS    ? "fails validation"
                                                       : "not in this record");
        graph_edge_t *e = add_edge(g, above_prev, at, GRAPH_EDGE_DELEGATES, g->zones[z].state);
        if (e)
            snprintf(e->label, sizeof e->label, "%s",
                     g->zones[z].state == GRAPH_INSECURE ? "no DS: insecure below" : "DS");
        if (e && g->zones[z].state == GRAPH_BOGUS)
            fail_edge(e, false, "fails validation", NULL);
        above_prev = at;
        parent_keys = at;
    }
    size_t first_key = 0, data = SIZE_MAX;
    build_keys(g, rec, domain, &first_key, &data);
    if (parent != SIZE_MAX)
        build_ds(g, rec, parent, parent_keys, domain, first_key);
    build_signatures(g, rec, first_key, data);
    build_failures(g, rec, domain, first_key, data);
    drop_shadowed(g);
    build_caption(g, rec);
    return g->nomem ? RESULTS_ENOMEM : RESULTS_OK;
}

void results_graph_clear(graph_t *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}
