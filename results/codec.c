/*
 * The on-disk encoding of a record (schema 1). The domain is not in the value: it is the key.
 *
 *   u8 status | zz scanned_at
 *   n reasons: { u8 code | str server | rrset rrset | str detail }
 *   str fix
 *   str parent.zone | u8 parent flags (1 = signed) | v ds_ttl
 *   n ds: { v key_tag | u8 algorithm | u8 digest_type | hex digest }
 *   n dnskey: { v key_tag | u8 algorithm | v flags | v bits }
 *   zz rrsig_earliest_expiration
 *   n cds: { str }
 *   n nameservers: { str name | addr address | u8 status | zz rtt_ms }
 *   v queries
 *   u8 resolver flags (1 present, 2 ad, 4 disagrees) [| zz rcode | zz ede when present]
 *
 * v = LEB128 varint, zz = zigzag varint, n = v count then the items, str = v (length + 1) then
 * the bytes (0 = NULL), hex = u8 form (0 NULL, 1 text str, 2 upper-case hex as bytes, 3
 * lower-case hex as bytes) then v length and bytes, addr = u8 form (0 NULL, 1 text str,
 * 4 IPv4 4 bytes, 6 IPv6 16 bytes), rrset = see put_rrset(). Binary forms are used only when they
 * give back the exact text, so a round trip is lossless. Any change here bumps
 * RESULTS_SCHEMA_VERSION.
 */
#include "results/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

enum { PARENT_SIGNED = 1 };
enum { RC_PRESENT = 1, RC_AD = 2, RC_DISAGREES = 4 };
enum { HEX_NULL = 0, HEX_TEXT = 1, HEX_UPPER = 2, HEX_LOWER = 3 };
enum { ADDR_NULL = 0, ADDR_TEXT = 1, ADDR_V4 = 4, ADDR_V6 = 6 };

/* ---------------------------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------------------------- */

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static bool put_str(rbuf_t *b, const char *s)
{
    if (!s) {
        rbuf_byte(b, 0);
        return true;
    }
    size_t n = strlen(s);
    if (n > RESULTS_STRING_MAX)
        return false;
    rbuf_varint(b, n + 1);
    rbuf_put(b, s, n);
    return true;
}

/* An RRset name is nearly always "<domain>/<TYPE>": then only the type is stored.
 * v = 0 NULL, odd v: domain + "/" + the next (v - 1) / 2 bytes, even v: the next v / 2 - 1
 * bytes as they are. */
static bool put_rrset(rbuf_t *b, const char *domain, const char *s)
{
    if (!s) {
        rbuf_byte(b, 0);
        return true;
    }
    size_t n = strlen(s), dn = domain ? strlen(domain) : 0;
    if (n > RESULTS_STRING_MAX)
        return false;
    if (dn && n > dn && memcmp(s, domain, dn) == 0 && s[dn] == '/') {
        size_t rest = n - dn - 1;
        rbuf_varint(b, rest * 2 + 1);
        rbuf_put(b, s + dn + 1, rest);
    } else {
        rbuf_varint(b, (n + 1) * 2);
        rbuf_put(b, s, n);
    }
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Upper-case (or digits-only) hex -> HEX_UPPER, lower-case -> HEX_LOWER, anything else TEXT. */
static int hex_form(const char *s, size_t n)
{
    bool upper = false, lower = false;
    if (n % 2 || n / 2 > RESULTS_STRING_MAX)
        return HEX_TEXT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (hexval(c) < 0)
            return HEX_TEXT;
        upper |= c >= 'A' && c <= 'F';
        lower |= c >= 'a' && c <= 'f';
    }
    if (upper && lower)
        return HEX_TEXT;
    return lower ? HEX_LOWER : HEX_UPPER;
}

static bool put_hex(rbuf_t *b, const char *s)
{
    if (!s) {
        rbuf_byte(b, HEX_NULL);
        return true;
    }
    size_t n = strlen(s);
    int form = hex_form(s, n);
    rbuf_byte(b, (uint8_t)form);
    if (form == HEX_TEXT)
        return put_str(b, s);
    rbuf_varint(b, n / 2);
    for (size_t i = 0; i < n; i += 2)
        rbuf_byte(b, (uint8_t)(hexval(s[i]) << 4 | hexval(s[i + 1])));
    return true;
}

static bool put_addr(rbuf_t *b, const char *s)
{
    uint8_t bin[16];
    char back[INET6_ADDRSTRLEN];
    if (!s) {
        rbuf_byte(b, ADDR_NULL);
        return true;
    }
    /* Binary only when inet_ntop gives the same text back (no leading zeros, canonical v6). */
    if (inet_pton(AF_INET, s, bin) == 1 && inet_ntop(AF_INET, bin, back, sizeof back) &&
        strcmp(back, s) == 0) {
        rbuf_byte(b, ADDR_V4);
        rbuf_put(b, bin, 4);
        return true;
    }
    if (inet_pton(AF_INET6, s, bin) == 1 && inet_ntop(AF_INET6, bin, back, sizeof back) &&
        strcmp(back, s) == 0) {
        rbuf_byte(b, ADDR_V6);
        rbuf_put(b, bin, 16);
        return true;
    }
    rbuf_byte(b, ADDR_TEXT);
    return put_str(b, s);
}

int results_encode_into(const results_record_t *rec, rbuf_t *b)
{
    bool okay = true;
    const results_parent_t *par = &rec->parent;
    if ((unsigned)rec->status >= VERIFY_STATUS_COUNT || rec->n_reasons > RESULTS_LIST_MAX ||
        par->n_ds > RESULTS_LIST_MAX || rec->n_dnskey > RESULTS_LIST_MAX ||
        rec->n_cds > RESULTS_LIST_MAX || rec->n_nameservers > RESULTS_LIST_MAX)
        return RESULTS_EINVAL;
    if ((rec->n_reasons && !rec->reasons) || (par->n_ds && !par->ds) ||
        (rec->n_dnskey && !rec->dnskey) || (rec->n_cds && !rec->cds) ||
        (rec->n_nameservers && !rec->nameservers))
        return RESULTS_EINVAL;

    rbuf_byte(b, (uint8_t)rec->status);
    rbuf_varint(b, zigzag(rec->scanned_at));
    rbuf_varint(b, rec->n_reasons);
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const results_reason_t *r = &rec->reasons[i];
        if ((unsigned)r->code >= VERIFY_REASON_COUNT)
            return RESULTS_EINVAL;
        rbuf_byte(b, (uint8_t)r->code);
        okay &= put_str(b, r->server);
        okay &= put_rrset(b, rec->domain, r->rrset);
        okay &= put_str(b, r->detail);
    }
    okay &= put_str(b, rec->fix);

    okay &= put_str(b, par->zone);
    rbuf_byte(b, par->is_signed ? PARENT_SIGNED : 0);
    rbuf_varint(b, par->ds_ttl);
    rbuf_varint(b, par->n_ds);
    for (size_t i = 0; i < par->n_ds; i++) {
        rbuf_varint(b, par->ds[i].key_tag);
        rbuf_byte(b, par->ds[i].algorithm);
        rbuf_byte(b, par->ds[i].digest_type);
        okay &= put_hex(b, par->ds[i].digest);
    }
    rbuf_varint(b, rec->n_dnskey);
    for (size_t i = 0; i < rec->n_dnskey; i++) {
        rbuf_varint(b, rec->dnskey[i].key_tag);
        rbuf_byte(b, rec->dnskey[i].algorithm);
        rbuf_varint(b, rec->dnskey[i].flags);
        rbuf_varint(b, rec->dnskey[i].bits);
    }
    rbuf_varint(b, zigzag(rec->rrsig_earliest_expiration));
    rbuf_varint(b, rec->n_cds);
    for (size_t i = 0; i < rec->n_cds; i++)
        okay &= put_str(b, rec->cds[i]);
    rbuf_varint(b, rec->n_nameservers);
    for (size_t i = 0; i < rec->n_nameservers; i++) {
        const results_nameserver_t *ns = &rec->nameservers[i];
        if ((unsigned)ns->status >= VERIFY_STATUS_COUNT)
            return RESULTS_EINVAL;
        okay &= put_str(b, ns->name);
        okay &= put_addr(b, ns->address);
        rbuf_byte(b, (uint8_t)ns->status);
        rbuf_varint(b, zigzag(ns->rtt_ms));
    }
    rbuf_varint(b, rec->queries);
    const results_resolver_check_t *rc = &rec->resolver_check;
    uint8_t rcf =
        (rc->present ? RC_PRESENT : 0) | (rc->ad ? RC_AD : 0) | (rc->disagrees ? RC_DISAGREES : 0);
    rbuf_byte(b, rc->present ? rcf : 0);
    if (rc->present) {
        rbuf_varint(b, zigzag(rc->rcode));
        rbuf_varint(b, zigzag(rc->ede));
    }
    if (!okay)
        return RESULTS_EINVAL;
    return b->failed ? RESULTS_ENOMEM : RESULTS_OK;
}

int results_record_encode(const results_record_t *rec, uint8_t **out, size_t *len)
{
    rbuf_t b = {0};
    *out = NULL;
    *len = 0;
    int rc = rec ? results_encode_into(rec, &b) : RESULTS_EINVAL;
    if (rc < 0) {
        rbuf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return RESULTS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Decoding: a sticky-error cursor. Every read checks bounds; after the first failure every read
 * returns zero/NULL and the caller checks `err` once at the end.
 * ------------------------------------------------------------------------------------------- */

typedef struct cursor {
    const uint8_t *p;
    const uint8_t *end;
    rarena_t *arena;
    bool err;
    bool nomem;
} cursor_t;

static size_t cur_left(const cursor_t *c)
{
    return (size_t)(c->end - c->p);
}

static uint8_t get_byte(cursor_t *c)
{
    if (c->err || c->p >= c->end) {
        c->err = true;
        return 0;
    }
    return *c->p++;
}

static uint64_t get_varint(cursor_t *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t byte = get_byte(c);
        if (c->err)
            return 0;
        if (shift == 63 && byte > 1)
            break; /* would overflow 64 bits */
        v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            if (byte == 0 && shift > 0)
                break; /* over-long encoding: one value, one form */
            return v;
        }
    }
    c->err = true;
    return 0;
}

/* A varint that must fit in max. */
static uint64_t get_bounded(cursor_t *c, uint64_t max)
{
    uint64_t v = get_varint(c);
    if (v > max) {
        c->err = true;
        return 0;
    }
    return v;
}

/* A list count: every item takes at least min_item bytes, so a count the remaining bytes cannot
 * hold is rejected before anything is allocated for it. */
static size_t get_count(cursor_t *c, size_t min_item)
{
    uint64_t n = get_bounded(c, RESULTS_LIST_MAX);
    if (!c->err && n > cur_left(c) / min_item)
        c->err = true;
    return c->err ? 0 : (size_t)n;
}

static void *get_array(cursor_t *c, size_t n, size_t size)
{
    if (c->err || n == 0)
        return NULL;
    void *p = rarena_alloc(c->arena, n * size);
    if (!p) {
        c->err = c->nomem = true;
        return NULL;
    }
    memset(p, 0, n * size);
    return p;
}

static char *copy_text(cursor_t *c, const void *src, size_t n)
{
    char *s = rarena_alloc(c->arena, n + 1);
    if (!s) {
        c->err = c->nomem = true;
        return NULL;
    }
    memcpy(s, src, n);
    s[n] = '\0';
    return s;
}

static const char *get_str(cursor_t *c)
{
    uint64_t n1 = get_bounded(c, RESULTS_STRING_MAX + 1);
    if (c->err || n1 == 0)
        return NULL;
    size_t n = (size_t)n1 - 1;
    if (n > cur_left(c) || memchr(c->p, '\0', n)) {
        c->err = true;
        return NULL;
    }
    const char *s = copy_text(c, c->p, n);
    c->p += n;
    return s;
}

static const char *get_rrset(cursor_t *c, const char *domain)
{
    uint64_t v = get_bounded(c, 2 * (uint64_t)RESULTS_STRING_MAX + 2);
    if (c->err || v == 0)
        return NULL;
    bool relative = v & 1;
    size_t n = relative ? (size_t)(v - 1) / 2 : (size_t)v / 2 - 1;
    size_t dn = relative ? strlen(domain) + 1 : 0;
    if (n > cur_left(c) || memchr(c->p, '\0', n) || n + dn > RESULTS_STRING_MAX) {
        c->err = true;
        return NULL;
    }
    char *s = rarena_alloc(c->arena, dn + n + 1);
    if (!s) {
        c->err = c->nomem = true;
        return NULL;
    }
    if (relative) {
        memcpy(s, domain, dn - 1);
        s[dn - 1] = '/';
    }
    memcpy(s + dn, c->p, n);
    s[dn + n] = '\0';
    c->p += n;
    return s;
}

static const char *get_hex(cursor_t *c)
{
    static const char upper[] = "0123456789ABCDEF", lower[] = "0123456789abcdef";
    uint8_t form = get_byte(c);
    if (c->err || form == HEX_NULL)
        return NULL;
    if (form == HEX_TEXT) {
        const char *s = get_str(c);
        if (!s)
            c->err = true; /* NULL has its own form */
        return s;
    }
    if (form != HEX_UPPER && form != HEX_LOWER) {
        c->err = true;
        return NULL;
    }
    const char *digits = form == HEX_UPPER ? upper : lower;
    size_t n = (size_t)get_bounded(c, RESULTS_STRING_MAX);
    if (c->err || n > cur_left(c)) {
        c->err = true;
        return NULL;
    }
    char *s = rarena_alloc(c->arena, 2 * n + 1);
    if (!s) {
        c->err = c->nomem = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[c->p[i] >> 4];
        s[2 * i + 1] = digits[c->p[i] & 15];
    }
    s[2 * n] = '\0';
    c->p += n;
    return s;
}

static const char *get_addr(cursor_t *c)
{
    char text[INET6_ADDRSTRLEN];
    uint8_t form = get_byte(c);
    if (c->err || form == ADDR_NULL)
        return NULL;
    if (form == ADDR_TEXT) {
        const char *s = get_str(c);
        if (!s)
            c->err = true;
        return s;
    }
    size_t n = form == ADDR_V4 ? 4 : form == ADDR_V6 ? 16 : 0;
    if (n == 0 || n > cur_left(c)) {
        c->err = true;
        return NULL;
    }
    if (!inet_ntop(form == ADDR_V4 ? AF_INET : AF_INET6, c->p, text, sizeof text)) {
        c->err = true;
        return NULL;
    }
    c->p += n;
    return copy_text(c, text, strlen(text));
}

static verify_status_t get_status(cursor_t *c)
{
    uint8_t v = get_byte(c);
    if (v >= VERIFY_STATUS_COUNT)
        c->err = true;
    return c->err ? VERIFY_STATUS_SECURE : (verify_status_t)v;
}

static int64_t get_zz(cursor_t *c)
{
    return unzigzag(get_varint(c));
}

static int32_t get_zz32(cursor_t *c)
{
    int64_t v = get_zz(c);
    if (v < INT32_MIN || v > INT32_MAX) {
        c->err = true;
        return 0;
    }
    return (int32_t)v;
}

static void decode_reasons(cursor_t *c, results_record_t *out)
{
    size_t n = get_count(c, 4);
    results_reason_t *r = get_array(c, n, sizeof *r);
    for (size_t i = 0; i < n && !c->err; i++) {
        uint8_t code = get_byte(c);
        if (code >= VERIFY_REASON_COUNT)
            c->err = true;
        r[i].code = (verify_reason_code_t)code;
        r[i].server = get_str(c);
        r[i].rrset = get_rrset(c, out->domain ? out->domain : "");
        r[i].detail = get_str(c);
    }
    out->n_reasons = c->err ? 0 : n;
    out->reasons = c->err ? NULL : r;
}

static void decode_rest(cursor_t *c, results_record_t *out)
{
    out->fix = get_str(c);

    results_parent_t *par = &out->parent;
    par->zone = get_str(c);
    uint8_t pflags = get_byte(c);
    if (pflags & ~PARENT_SIGNED)
        c->err = true;
    par->is_signed = pflags & PARENT_SIGNED;
    par->ds_ttl = (uint32_t)get_bounded(c, UINT32_MAX);
    size_t n = get_count(c, 4);
    results_ds_t *ds = get_array(c, n, sizeof *ds);
    for (size_t i = 0; i < n && !c->err; i++) {
        ds[i].key_tag = (uint16_t)get_bounded(c, UINT16_MAX);
        ds[i].algorithm = get_byte(c);
        ds[i].digest_type = get_byte(c);
        ds[i].digest = get_hex(c);
    }
    par->n_ds = n;
    par->ds = ds;

    n = get_count(c, 4);
    results_dnskey_t *keys = get_array(c, n, sizeof *keys);
    for (size_t i = 0; i < n && !c->err; i++) {
        keys[i].key_tag = (uint16_t)get_bounded(c, UINT16_MAX);
        keys[i].algorithm = get_byte(c);
        keys[i].flags = (uint16_t)get_bounded(c, UINT16_MAX);
        keys[i].bits = (uint16_t)get_bounded(c, UINT16_MAX);
    }
    out->n_dnskey = n;
    out->dnskey = keys;

    out->rrsig_earliest_expiration = get_zz(c);

    n = get_count(c, 1);
    const char **cds = get_array(c, n, sizeof *cds);
    for (size_t i = 0; i < n && !c->err; i++) {
        cds[i] = get_str(c);
        if (!cds[i])
            c->err = true; /* a CDS entry is always text */
    }
    out->n_cds = n;
    out->cds = cds;

    n = get_count(c, 4);
    results_nameserver_t *ns = get_array(c, n, sizeof *ns);
    for (size_t i = 0; i < n && !c->err; i++) {
        ns[i].name = get_str(c);
        ns[i].address = get_addr(c);
        ns[i].status = get_status(c);
        ns[i].rtt_ms = get_zz32(c);
    }
    out->n_nameservers = n;
    out->nameservers = ns;

    out->queries = (uint32_t)get_bounded(c, UINT32_MAX);
    uint8_t rcf = get_byte(c);
    if (rcf & ~(RC_PRESENT | RC_AD | RC_DISAGREES) || (rcf && !(rcf & RC_PRESENT)))
        c->err = true;
    if (rcf & RC_PRESENT) {
        out->resolver_check.present = true;
        out->resolver_check.ad = rcf & RC_AD;
        out->resolver_check.disagrees = rcf & RC_DISAGREES;
        out->resolver_check.rcode = get_zz32(c);
        out->resolver_check.ede = get_zz32(c);
    }
    if (c->p != c->end)
        c->err = true; /* trailing garbage */
}

int results_decode_with(rarena_t *arena, const char *domain, size_t domain_len, const uint8_t *buf,
                        size_t len, bool summary_only, results_record_t *out)
{
    cursor_t c = {.p = buf, .end = buf + len, .arena = arena};
    memset(out, 0, sizeof *out);
    out->domain = copy_text(&c, domain, domain_len);
    out->status = get_status(&c);
    out->scanned_at = get_zz(&c);
    decode_reasons(&c, out);
    if (!summary_only)
        decode_rest(&c, out);
    if (c.err) {
        memset(out, 0, sizeof *out);
        return c.nomem ? RESULTS_ENOMEM : RESULTS_ECORRUPT;
    }
    return RESULTS_OK;
}

int results_record_decode(const char *domain, const void *buf, size_t len, results_record_t *out)
{
    if (!out)
        return RESULTS_EINVAL;
    memset(out, 0, sizeof *out);
    if (!domain || (!buf && len))
        return RESULTS_EINVAL;
    rarena_t *arena = rarena_new();
    if (!arena)
        return RESULTS_ENOMEM;
    int rc = results_decode_with(arena, domain, strlen(domain), buf ? buf : (const void *)"", len,
                                 false, out);
    if (rc < 0) {
        rarena_free(arena);
        return rc;
    }
    out->arena_ = arena;
    return RESULTS_OK;
}

int64_t results_peek_scanned_at(const uint8_t *buf, size_t len)
{
    cursor_t c = {.p = buf, .end = buf + len};
    get_byte(&c);
    int64_t t = get_zz(&c);
    return c.err ? INT64_MIN : t;
}

void results_record_free(results_record_t *rec)
{
    if (!rec)
        return;
    rarena_free(rec->arena_);
    memset(rec, 0, sizeof *rec);
}

/* ---------------------------------------------------------------------------------------------
 * Scan metadata: v id | zz started | zz finished_at | u8 finished | 6 x v count | str input |
 * str options. Same cursor rules.
 * ------------------------------------------------------------------------------------------- */

int scan_meta_encode(const scan_meta_t *m, rbuf_t *b)
{
    bool okay = true;
    rbuf_varint(b, m->id);
    rbuf_varint(b, zigzag(m->started_at));
    rbuf_varint(b, zigzag(m->finished_at));
    rbuf_byte(b, m->finished ? 1 : 0);
    rbuf_varint(b, VERIFY_STATUS_COUNT);
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        rbuf_varint(b, m->counts[i]);
    okay &= put_str(b, m->input_desc);
    okay &= put_str(b, m->options);
    if (!okay)
        return RESULTS_EINVAL;
    return b->failed ? RESULTS_ENOMEM : RESULTS_OK;
}

static char *dup_or_null(const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *nomem = true;
    return d;
}

int scan_meta_decode(const uint8_t *buf, size_t len, scan_meta_t *m)
{
    rarena_t *arena = rarena_new();
    if (!arena)
        return RESULTS_ENOMEM;
    cursor_t c = {.p = buf, .end = buf + len, .arena = arena};
    bool nomem = false;
    memset(m, 0, sizeof *m);
    m->id = (uint32_t)get_bounded(&c, UINT32_MAX);
    m->started_at = get_zz(&c);
    m->finished_at = get_zz(&c);
    uint8_t fin = get_byte(&c);
    if (fin > 1)
        c.err = true;
    m->finished = fin;
    uint64_t n = get_bounded(&c, 64);
    for (uint64_t i = 0; i < n && !c.err; i++) {
        uint64_t v = get_varint(&c);
        if (i < VERIFY_STATUS_COUNT)
            m->counts[i] = v;
    }
    const char *input = get_str(&c);
    const char *options = get_str(&c);
    if (c.p != c.end)
        c.err = true;
    if (!c.err) {
        m->input_desc = dup_or_null(input, &nomem);
        m->options = dup_or_null(options, &nomem);
    }
    rarena_free(arena);
    if (c.err || nomem) {
        scan_meta_clear(m);
        return nomem || c.nomem ? RESULTS_ENOMEM : RESULTS_ECORRUPT;
    }
    return RESULTS_OK;
}

void scan_meta_clear(scan_meta_t *m)
{
    free(m->input_desc);
    free(m->options);
    memset(m, 0, sizeof *m);
}
