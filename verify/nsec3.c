/*
 * NSEC3 proofs (RFC 5155 §8): closest encloser proof, name error, no data, wildcard no data,
 * DS no data with opt-out, wildcard answers; and the iterated SHA-1 owner name hash.
 *
 * Every usable NSEC3 of the list is decoded once (owner label base32hex -> 20 bytes), and every
 * name the proof asks about is hashed once per distinct (iterations, salt): a zone uses one
 * parameter set, so a proof costs one hash per candidate name, not one per record.
 */
#include "verify/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NAME_STR_LEN (LDNS_MAX_DOMAINLEN * 4 + 1)
#define HASH_STR_LEN 33 /* base32hex of 20 bytes, NUL */
#define MAX_PARAM_SETS 4
#define LOCAL_ENTRIES 16

typedef struct nsec3_param_set {
    uint16_t iterations;
    uint8_t salt_len;
    const uint8_t *salt; /* borrowed from the first RR that uses it */
} nsec3_param_set_t;

typedef struct nsec3_entry {
    const ldns_rr *rr;
    uint8_t owner[VERIFY_NSEC3_HASH_LEN];
    uint8_t next[VERIFY_NSEC3_HASH_LEN];
    uint8_t flags;
    uint8_t param; /* index into params */
    const ldns_rdf *bitmap;
} nsec3_entry_t;

/* A name with its hash under each parameter set, computed on first use. */
typedef struct hashed_name {
    verify_dn_name_t name;
    uint8_t h[MAX_PARAM_SETS][VERIFY_NSEC3_HASH_LEN];
    bool done[MAX_PARAM_SETS];
    bool failed;
} hashed_name_t;

/* A proof asks about the same names several times (qname, its ancestors, the next closer, the
 * wildcard): remembering the last few hashes saves most of the iterated SHA-1 work. */
#define HASH_MEMO 8

typedef struct nsec3_set {
    const verify_dn_ctx_t *c;
    EVP_MD_CTX *md;
    EVP_MD *sha1; /* fetched once per proof: an implicit fetch per hash costs more than SHA-1 */
    nsec3_param_set_t params[MAX_PARAM_SETS];
    unsigned nparams;
    nsec3_entry_t *e;
    size_t n;
    unsigned max_iterations_seen;
    bool limit; /* a budget refused a hash: nothing this proof says can be trusted */
    hashed_name_t memo[HASH_MEMO];
    unsigned memo_used;
    nsec3_entry_t local[LOCAL_ENTRIES];
} nsec3_set_t;

static const char b32hex[] = "0123456789abcdefghijklmnopqrstuv";

/* The value of the base32hex digit ch, either case (its place in b32hex); -1 for anything else. */
static int b32hex_value(uint8_t ch)
{
    const char *p = ch ? strchr(b32hex, tolower(ch)) : NULL;
    return p ? (int)(p - b32hex) : -1;
}

/* Decodes exactly 32 base32hex characters (no padding) into 20 bytes. */
static bool b32hex_decode_hash(const uint8_t *text, size_t len, uint8_t out[VERIFY_NSEC3_HASH_LEN])
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0;

    if (len != 32)
        return false;
    for (size_t i = 0; i < len; i++) {
        int v = b32hex_value(text[i]);
        if (v < 0)
            return false;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o == VERIFY_NSEC3_HASH_LEN;
}

static const char *hash_str(const uint8_t h[VERIFY_NSEC3_HASH_LEN], char out[HASH_STR_LEN])
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0;

    for (size_t i = 0; i < VERIFY_NSEC3_HASH_LEN; i++) {
        acc = (acc << 8) | h[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = b32hex[(acc >> bits) & 31];
        }
    }
    out[o] = '\0';
    return out;
}

/* NSEC3 hash of a parsed (lower-case) name with a caller-provided digest context and fetched
 * SHA-1 (fetch once: OpenSSL 3's implicit fetch per init costs more than the hash itself). */
static int verify_dn_nsec3_hash_wire(EVP_MD_CTX *md, const EVP_MD *sha1, const uint8_t *wire,
                                     size_t len, uint16_t iterations, const uint8_t *salt,
                                     size_t salt_len, uint8_t out[VERIFY_NSEC3_HASH_LEN])
{
    unsigned int outlen;

    /* RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
    for (unsigned k = 0; k <= iterations; k++) {
        if (EVP_DigestInit_ex(md, sha1, NULL) != 1 ||
            EVP_DigestUpdate(md, k == 0 ? wire : out, k == 0 ? len : VERIFY_NSEC3_HASH_LEN) != 1 ||
            (salt_len > 0 && EVP_DigestUpdate(md, salt, salt_len) != 1) ||
            EVP_DigestFinal_ex(md, out, &outlen) != 1 || outlen != VERIFY_NSEC3_HASH_LEN)
            return VERIFY_ECRYPTO;
    }
    return VERIFY_OK;
}

int verify_nsec3_hash(const ldns_rdf *name, uint8_t algorithm, uint16_t iterations,
                      const uint8_t *salt, size_t salt_len, uint8_t out[VERIFY_NSEC3_HASH_LEN])
{
    verify_dn_name_t n;
    EVP_MD_CTX *md = NULL;
    EVP_MD *sha1 = NULL;
    int rc = VERIFY_ENOMEM;

    if (algorithm != VERIFY_NSEC3_HASH_SHA1)
        return VERIFY_EUNSUPPORTED;
    if (!out || (salt_len > 0 && !salt) || salt_len > 255 || verify_dn_name_from_rdf(&n, name))
        return VERIFY_EINVAL;
    md = EVP_MD_CTX_new();
    sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    if (!md || !sha1) {
        rc = md ? VERIFY_ECRYPTO : VERIFY_ENOMEM;
        goto fail;
    }
    rc = verify_dn_nsec3_hash_wire(md, sha1, n.wire, n.len, iterations, salt, salt_len, out);
fail:
    EVP_MD_free(sha1);
    EVP_MD_CTX_free(md);
    return rc;
}

/* Decodes one NSEC3 RR into *e if it is usable: SHA-1, flags 0 or 1 (RFC 5155 §8.2), owner
 * one base32hex label directly below the zone, well-formed salt and next hash. */
static bool entry_parse(nsec3_set_t *s, const ldns_rr *rr, nsec3_entry_t *e)
{
    const ldns_rdf *alg, *flags, *iter, *salt, *next;
    verify_dn_name_t owner, parent;
    uint16_t iterations;
    unsigned p;

    if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3 || ldns_rr_rd_count(rr) < 5)
        return false;
    alg = ldns_rr_rdf(rr, 0);
    flags = ldns_rr_rdf(rr, 1);
    iter = ldns_rr_rdf(rr, 2);
    salt = ldns_rr_rdf(rr, 3);
    next = ldns_rr_rdf(rr, 4);
    if (ldns_rdf_size(alg) != 1 || ldns_rdf_data(alg)[0] != VERIFY_NSEC3_HASH_SHA1 ||
        ldns_rdf_size(flags) != 1 || (ldns_rdf_data(flags)[0] & ~LDNS_NSEC3_VARS_OPTOUT_MASK) ||
        ldns_rdf_size(iter) != 2 || ldns_rdf_size(salt) < 1 ||
        ldns_rdf_size(salt) != 1u + ldns_rdf_data(salt)[0] ||
        ldns_rdf_size(next) != 1 + VERIFY_NSEC3_HASH_LEN ||
        ldns_rdf_data(next)[0] != VERIFY_NSEC3_HASH_LEN)
        return false;
    if (verify_dn_name_from_rdf(&owner, ldns_rr_owner(rr)) != 0 ||
        owner.labels != s->c->zone.labels + 1)
        return false;
    verify_dn_ancestor(&owner, s->c->zone.labels, &parent);
    if (verify_dn_compare(&parent, &s->c->zone) != 0 ||
        !b32hex_decode_hash(owner.wire + 1, owner.wire[0], e->owner))
        return false;
    memcpy(e->next, ldns_rdf_data(next) + 1, VERIFY_NSEC3_HASH_LEN);
    e->rr = rr;
    e->flags = ldns_rdf_data(flags)[0];
    e->bitmap = ldns_rr_rd_count(rr) > 5 ? ldns_rr_rdf(rr, 5) : NULL;

    iterations = ldns_rdf2native_int16(iter);
    if (iterations > s->max_iterations_seen)
        s->max_iterations_seen = iterations;
    for (p = 0; p < s->nparams; p++)
        if (s->params[p].iterations == iterations &&
            s->params[p].salt_len == ldns_rdf_data(salt)[0] &&
            memcmp(s->params[p].salt, ldns_rdf_data(salt) + 1, s->params[p].salt_len) == 0)
            break;
    if (p == s->nparams) {
        if (p == MAX_PARAM_SETS)
            return false; /* a proof never needs more parameter sets than a zone has: one */
        s->params[p].iterations = iterations;
        s->params[p].salt_len = ldns_rdf_data(salt)[0];
        s->params[p].salt = ldns_rdf_data(salt) + 1;
        s->nparams++;
    }
    e->param = (uint8_t)p;
    return true;
}

static int set_init(nsec3_set_t *s, const verify_dn_ctx_t *c)
{
    size_t total = ldns_rr_list_rr_count(c->q->records);

    memset(s, 0, sizeof *s);
    s->c = c;
    s->e = s->local;
    if (total > LOCAL_ENTRIES) {
        s->e = calloc(total, sizeof *s->e);
        if (!s->e)
            return VERIFY_ENOMEM;
    }
    for (size_t i = 0; i < total; i++)
        if (entry_parse(s, ldns_rr_list_rr(c->q->records, i), &s->e[s->n]))
            s->n++;
    s->md = EVP_MD_CTX_new();
    if (!s->md)
        return VERIFY_ENOMEM;
    s->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    return s->sha1 ? VERIFY_OK : VERIFY_ECRYPTO;
}

static void set_cleanup(nsec3_set_t *s)
{
    EVP_MD_free(s->sha1);
    EVP_MD_CTX_free(s->md);
    if (s->e != s->local)
        free(s->e);
}

/* The memo slot of name (hashes computed so far kept). The pointer is valid until the next
 * call: a full memo recycles its oldest slot. */
static hashed_name_t *hashed_get(nsec3_set_t *s, const verify_dn_name_t *name)
{
    unsigned n = s->memo_used < HASH_MEMO ? s->memo_used : HASH_MEMO;
    hashed_name_t *h;

    for (unsigned i = 0; i < n; i++)
        if (s->memo[i].name.len == name->len &&
            memcmp(s->memo[i].name.wire, name->wire, name->len) == 0)
            return &s->memo[i];
    h = &s->memo[s->memo_used++ % HASH_MEMO];
    h->name = *name;
    memset(h->done, 0, sizeof h->done);
    h->failed = false;
    return h;
}

static const uint8_t *hash_for(nsec3_set_t *s, hashed_name_t *h, unsigned p)
{
    if (!h->done[p]) {
        const nsec3_param_set_t *ps = &s->params[p];
        /* CVE-2023-50868: every SHA-1 round is charged before it is spent. */
        if (!verify_dn_charge_hashes(s->c->q->budget, s->c->q->domain_budget,
                                     (unsigned)ps->iterations + 1u)) {
            s->limit = h->failed = true;
            return NULL;
        }
        if (verify_dn_nsec3_hash_wire(s->md, s->sha1, h->name.wire, h->name.len, ps->iterations,
                                      ps->salt, ps->salt_len, h->h[p]) != 0) {
            h->failed = true;
            return NULL;
        }
        h->done[p] = true;
    }
    return h->h[p];
}

static const nsec3_entry_t *find_match(nsec3_set_t *s, hashed_name_t *h)
{
    for (size_t i = 0; i < s->n; i++) {
        const uint8_t *hv = hash_for(s, h, s->e[i].param);
        if (hv && memcmp(hv, s->e[i].owner, VERIFY_NSEC3_HASH_LEN) == 0)
            return &s->e[i];
    }
    return NULL;
}

/* owner < hash < next in hash order; the last NSEC3 of the chain (next <= owner) wraps. */
static const nsec3_entry_t *find_cover(nsec3_set_t *s, hashed_name_t *h)
{
    for (size_t i = 0; i < s->n; i++) {
        const nsec3_entry_t *e = &s->e[i];
        const uint8_t *hv = hash_for(s, h, e->param);
        int after_owner, before_next;
        if (!hv)
            continue;
        after_owner = memcmp(e->owner, hv, VERIFY_NSEC3_HASH_LEN) < 0;
        before_next = memcmp(hv, e->next, VERIFY_NSEC3_HASH_LEN) < 0;
        if (memcmp(e->owner, e->next, VERIFY_NSEC3_HASH_LEN) < 0 ? (after_owner && before_next)
                                                                 : (after_owner || before_next))
            return e;
    }
    return NULL;
}

static bool has(const nsec3_entry_t *e, uint16_t type)
{
    return verify_dn_bitmap_has(e->bitmap, type);
}

/* RFC 5155 §9.2: when the NSEC3 covering the next closer name has opt-out, an unsigned
 * delegation may hide there and the answer cannot be secure (no AD bit). */
static bool optout(const nsec3_entry_t *e)
{
    return (e->flags & LDNS_NSEC3_VARS_OPTOUT_MASK) != 0;
}

/* Result of the closest encloser proof (RFC 5155 §8.3). */
typedef struct ce_proof {
    verify_dn_name_t ce;
    verify_dn_name_t next_closer;
    const nsec3_entry_t *ce_match;
    const nsec3_entry_t *nc_cover;
} ce_proof_t;

/*
 * Finds the longest ancestor of name (name itself excluded) that an NSEC3 matches, and an
 * NSEC3 covering the next closer name. The closest encloser must not be a zone cut or DNAME
 * (RFC 6840 §4.1). Returns true with *p filled, or false with the detail written.
 */
static bool closest_encloser(nsec3_set_t *s, const verify_dn_name_t *name, ce_proof_t *p,
                             char *detail, size_t dlen)
{
    const verify_dn_name_t *zone = &s->c->zone;
    hashed_name_t *h;
    char ns[NAME_STR_LEN], cs[NAME_STR_LEN], hs[HASH_STR_LEN];

    p->ce_match = NULL;
    for (unsigned keep = name->labels; keep-- > zone->labels;) {
        verify_dn_ancestor(name, keep, &p->ce);
        h = hashed_get(s, &p->ce);
        p->ce_match = find_match(s, h);
        if (p->ce_match)
            break;
    }
    if (!p->ce_match) {
        verify_dn_detail(detail, dlen, "no NSEC3 matches any ancestor of %s (closest encloser)",
                         verify_dn_to_str(name, ns, sizeof ns));
        return false;
    }
    if ((has(p->ce_match, LDNS_RR_TYPE_NS) && !has(p->ce_match, LDNS_RR_TYPE_SOA) &&
         p->ce.labels > zone->labels) ||
        has(p->ce_match, LDNS_RR_TYPE_DNAME)) {
        verify_dn_detail(detail, dlen,
                         "closest encloser %s is a %s: its NSEC3 cannot deny names below it "
                         "(RFC 6840 §4.1)",
                         verify_dn_to_str(&p->ce, cs, sizeof cs),
                         has(p->ce_match, LDNS_RR_TYPE_DNAME) ? "DNAME" : "delegation");
        return false;
    }
    verify_dn_ancestor(name, p->ce.labels + 1u, &p->next_closer);
    h = hashed_get(s, &p->next_closer);
    p->nc_cover = find_cover(s, h);
    if (!p->nc_cover) {
        verify_dn_detail(detail, dlen, "no NSEC3 covers next closer name %s (hash %s)",
                         verify_dn_to_str(&p->next_closer, ns, sizeof ns),
                         h->failed ? "?" : hash_str(hash_for(s, h, 0), hs));
        return false;
    }
    return true;
}

static const char *qname_str(const nsec3_set_t *s, char *buf)
{
    return verify_dn_to_str(&s->c->qname, buf, NAME_STR_LEN);
}

static verify_denial_result_t nodata_bits(nsec3_set_t *s, const nsec3_entry_t *e,
                                          const verify_dn_name_t *at, char *detail, size_t dlen)
{
    uint16_t qtype = s->c->q->qtype;
    char ns[NAME_STR_LEN], ts[16];

    verify_dn_to_str(at, ns, sizeof ns);
    if (has(e, qtype)) {
        verify_dn_detail(detail, dlen, "NSEC3 matching %s has the %s bit set", ns,
                         verify_dn_type_str(qtype, ts, sizeof ts));
        return VERIFY_DENIAL_INVALID;
    }
    if (has(e, LDNS_RR_TYPE_CNAME)) {
        verify_dn_detail(detail, dlen, "NSEC3 matching %s has the CNAME bit set", ns);
        return VERIFY_DENIAL_INVALID;
    }
    if (qtype != LDNS_RR_TYPE_DS && has(e, LDNS_RR_TYPE_NS) && !has(e, LDNS_RR_TYPE_SOA) &&
        at->labels > s->c->zone.labels) {
        verify_dn_detail(detail, dlen,
                         "NSEC3 matching %s is from the parent side of a delegation (NS set, "
                         "SOA clear): it cannot deny %s there (RFC 6840 §4.1)",
                         ns, verify_dn_type_str(qtype, ts, sizeof ts));
        return VERIFY_DENIAL_INVALID;
    }
    if (qtype == LDNS_RR_TYPE_DS && has(e, LDNS_RR_TYPE_SOA) && s->c->zone.labels > 0) {
        verify_dn_detail(detail, dlen,
                         "NSEC3 matching %s is the child apex's: DS lives in the parent zone", ns);
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "NSEC3 matching %s lacks the %s bit", ns,
                     verify_dn_type_str(qtype, ts, sizeof ts));
    return VERIFY_DENIAL_PROVEN;
}

static verify_denial_result_t nxdomain(nsec3_set_t *s, char *detail, size_t dlen)
{
    hashed_name_t *q, *w;
    ce_proof_t p;
    verify_dn_name_t wc;
    char qs[NAME_STR_LEN], ws[NAME_STR_LEN];

    q = hashed_get(s, &s->c->qname);
    if (find_match(s, q)) {
        verify_dn_detail(detail, dlen, "an NSEC3 matches %s: the name exists", qname_str(s, qs));
        return VERIFY_DENIAL_INVALID;
    }
    if (!closest_encloser(s, &s->c->qname, &p, detail, dlen))
        return VERIFY_DENIAL_INVALID;
    if (verify_dn_wildcard(&p.ce, &wc) != 0) {
        verify_dn_detail(detail, dlen, "wildcard name at the closest encloser is too long");
        return VERIFY_DENIAL_INVALID;
    }
    w = hashed_get(s, &wc);
    if (find_match(s, w)) {
        verify_dn_detail(detail, dlen, "wildcard %s exists: %s should have been synthesised",
                         verify_dn_to_str(&wc, ws, sizeof ws), qname_str(s, qs));
        return VERIFY_DENIAL_INVALID;
    }
    if (!find_cover(s, w)) {
        verify_dn_detail(detail, dlen, "no NSEC3 covers wildcard %s at the closest encloser",
                         verify_dn_to_str(&wc, ws, sizeof ws));
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "closest encloser %s matched, next closer and %s covered%s",
                     verify_dn_to_str(&p.ce, qs, sizeof qs), verify_dn_to_str(&wc, ws, sizeof ws),
                     optout(p.nc_cover) ? " by an opt-out NSEC3: insecure (RFC 5155 §9.2)" : "");
    return optout(p.nc_cover) ? VERIFY_DENIAL_OPTOUT : VERIFY_DENIAL_PROVEN;
}

static verify_denial_result_t nodata(nsec3_set_t *s, char *detail, size_t dlen)
{
    hashed_name_t *q, *w;
    ce_proof_t p;
    verify_dn_name_t wc;
    const nsec3_entry_t *m;
    char qs[NAME_STR_LEN], ws[NAME_STR_LEN];

    q = hashed_get(s, &s->c->qname);
    m = find_match(s, q);
    if (m) /* RFC 5155 §8.5, and §8.6 for DS; an empty non-terminal has its own NSEC3 */
        return nodata_bits(s, m, &s->c->qname, detail, dlen);
    if (!closest_encloser(s, &s->c->qname, &p, detail, dlen))
        return VERIFY_DENIAL_INVALID;
    /* §8.7: wildcard no data: *.closest-encloser matched without the type. */
    if (verify_dn_wildcard(&p.ce, &wc) == 0) {
        w = hashed_get(s, &wc);
        m = find_match(s, w);
        if (m) {
            verify_denial_result_t r = nodata_bits(s, m, &wc, detail, dlen);
            if (r == VERIFY_DENIAL_PROVEN && optout(p.nc_cover)) {
                verify_dn_detail(detail, dlen,
                                 "wildcard no data at %s, next closer covered by an opt-out "
                                 "NSEC3: insecure (RFC 5155 §9.2)",
                                 verify_dn_to_str(&wc, ws, sizeof ws));
                return VERIFY_DENIAL_OPTOUT;
            }
            return r;
        }
    }
    /* §8.6: DS at a name in an opt-out span: maybe an unsigned delegation. §8.5 as amended by
     * erratum 3441: other types at an empty non-terminal made by an unsigned delegation of an
     * opt-out span, which has no NSEC3 of its own. Either way nothing is proven securely. */
    if (optout(p.nc_cover)) {
        verify_dn_detail(detail, dlen,
                         "no NSEC3 matches %s; opt-out NSEC3 covers next closer %s: an unsigned "
                         "delegation may exist there (insecure)",
                         qname_str(s, qs), verify_dn_to_str(&p.next_closer, ws, sizeof ws));
        return VERIFY_DENIAL_OPTOUT;
    }
    verify_dn_detail(detail, dlen,
                     "no NSEC3 matches %s or the wildcard at its closest encloser %s: the name "
                     "does not exist (name error, not no data)",
                     qname_str(s, qs), verify_dn_to_str(&p.ce, ws, sizeof ws));
    return VERIFY_DENIAL_INVALID;
}

static verify_denial_result_t no_ds(nsec3_set_t *s, char *detail, size_t dlen)
{
    hashed_name_t *q;
    ce_proof_t p;
    const nsec3_entry_t *m;
    char qs[NAME_STR_LEN], ns[NAME_STR_LEN];

    qname_str(s, qs);
    if (s->c->qname.labels == s->c->zone.labels) {
        verify_dn_detail(detail, dlen, "%s is the zone apex, not a delegation from it", qs);
        return VERIFY_DENIAL_INVALID;
    }
    q = hashed_get(s, &s->c->qname);
    m = find_match(s, q);
    if (m) {
        if (has(m, LDNS_RR_TYPE_DS))
            verify_dn_detail(detail, dlen, "NSEC3 matching %s has the DS bit set", qs);
        else if (has(m, LDNS_RR_TYPE_SOA))
            verify_dn_detail(detail, dlen, "NSEC3 matching %s has the SOA bit: the child's", qs);
        else if (!has(m, LDNS_RR_TYPE_NS))
            verify_dn_detail(detail, dlen, "NSEC3 matching %s lacks the NS bit: no delegation", qs);
        else {
            verify_dn_detail(detail, dlen, "NSEC3 matching %s: NS, no DS, no SOA", qs);
            return VERIFY_DENIAL_PROVEN;
        }
        return VERIFY_DENIAL_INVALID;
    }
    if (!closest_encloser(s, &s->c->qname, &p, detail, dlen))
        return VERIFY_DENIAL_INVALID;
    if (optout(p.nc_cover)) {
        verify_dn_detail(detail, dlen, "opt-out NSEC3 covers next closer %s: insecure delegation",
                         verify_dn_to_str(&p.next_closer, ns, sizeof ns));
        return VERIFY_DENIAL_OPTOUT;
    }
    verify_dn_detail(detail, dlen,
                     "no NSEC3 matches %s and the NSEC3 covering next closer %s has no opt-out: "
                     "the name is not delegated",
                     qs, verify_dn_to_str(&p.next_closer, ns, sizeof ns));
    return VERIFY_DENIAL_INVALID;
}

/* §8.8: an answer expanded from *.ce (ce = last wildcard_labels labels of qname) needs an
 * NSEC3 covering the next closer name: no closer match exists. */
static verify_denial_result_t wildcard_answer(nsec3_set_t *s, unsigned wildcard_labels,
                                              char *detail, size_t dlen)
{
    hashed_name_t *h;
    verify_dn_name_t nc;
    const nsec3_entry_t *cover;
    char ns[NAME_STR_LEN], hs[HASH_STR_LEN];

    verify_dn_ancestor(&s->c->qname, wildcard_labels + 1, &nc);
    h = hashed_get(s, &nc);
    if (find_match(s, h)) {
        verify_dn_detail(detail, dlen, "an NSEC3 matches %s: no wildcard expansion possible",
                         verify_dn_to_str(&nc, ns, sizeof ns));
        return VERIFY_DENIAL_INVALID;
    }
    cover = find_cover(s, h);
    if (!cover) {
        verify_dn_detail(detail, dlen, "no NSEC3 covers next closer %s (hash %s) of the wildcard",
                         verify_dn_to_str(&nc, ns, sizeof ns),
                         h->failed ? "?" : hash_str(hash_for(s, h, 0), hs));
        return VERIFY_DENIAL_INVALID;
    }
    verify_dn_detail(detail, dlen, "NSEC3 covers next closer %s (wildcard answer)%s",
                     verify_dn_to_str(&nc, ns, sizeof ns),
                     optout(cover) ? "; opt-out: insecure (RFC 5155 §9.2)" : "");
    return optout(cover) ? VERIFY_DENIAL_OPTOUT : VERIFY_DENIAL_PROVEN;
}

verify_denial_result_t verify_dn_nsec3_check(const verify_dn_ctx_t *c, int wildcard_labels,
                                             char *detail, size_t detail_len)
{
    nsec3_set_t s;
    verify_denial_result_t r = VERIFY_DENIAL_INVALID;

    if (set_init(&s, c) != 0) {
        verify_dn_detail(detail, detail_len, "out of memory");
        goto done;
    }
    if (s.n == 0) {
        verify_dn_detail(detail, detail_len,
                         "no usable NSEC3 (unknown hash algorithm or flags, or not in the zone)");
        goto done;
    }
    if (wildcard_labels >= 0)
        r = wildcard_answer(&s, (unsigned)wildcard_labels, detail, detail_len);
    else if (c->q->kind == VERIFY_DENIAL_NXDOMAIN)
        r = nxdomain(&s, detail, detail_len);
    else if (c->q->kind == VERIFY_DENIAL_NODATA)
        r = nodata(&s, detail, detail_len);
    else if (c->q->kind == VERIFY_DENIAL_NO_DS)
        r = no_ds(&s, detail, detail_len);
    else
        verify_dn_detail(detail, detail_len, "unknown denial kind %d", (int)c->q->kind);
    if (s.limit) {
        /* A hash not computed may have hidden a match: the proof is not known either way. */
        const verify_budget_t *b =
            c->q->budget && c->q->budget->exceeded ? c->q->budget : c->q->domain_budget;
        verify_dn_detail(detail, detail_len, "NSEC3 hashing stopped (%u iterations): %s",
                         s.max_iterations_seen, b ? b->what : "budget exhausted");
        r = VERIFY_DENIAL_INVALID;
    } else if (s.max_iterations_seen > c->q->max_iterations &&
               (r == VERIFY_DENIAL_PROVEN || r == VERIFY_DENIAL_OPTOUT)) {
        /* RFC 9276 §3.2: covering, yet above what resolvers accept: unprovable, insecure. A set
         * that does not cover stays INVALID (its detail already says why). */
        verify_dn_detail(detail, detail_len,
                         "NSEC3 records cover the name but use %u iterations, above the limit %u: "
                         "unprovable (insecure)",
                         s.max_iterations_seen, c->q->max_iterations);
        r = VERIFY_DENIAL_INSECURE_ITERATIONS;
    }
done:
    set_cleanup(&s);
    return r;
}
