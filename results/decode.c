/*
 * Decoding of the encoding described in codec.c, with a sticky-error cursor: every read checks
 * bounds, the first failure makes every later read return zero/NULL, and the caller checks
 * `err` once at the end. Counts are checked against the bytes left before anything is
 * allocated, so hostile input cannot make it allocate more than a small multiple of its size.
 */
#include "results/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

typedef struct cursor {
    const uint8_t *p;
    const uint8_t *end;
    results_arena_t *arena;
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
    void *p = results_arena_alloc(c->arena, n * size);
    if (!p) {
        c->err = c->nomem = true;
        return NULL;
    }
    memset(p, 0, n * size);
    return p;
}

static char *copy_text(cursor_t *c, const void *src, size_t n)
{
    char *s = results_arena_alloc(c->arena, n + 1);
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

/* A text where NULL is not allowed (it has its own form, or the field is always there). */
static const char *get_text(cursor_t *c)
{
    const char *s = get_str(c);
    if (!s)
        c->err = true;
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
    char *s = results_arena_alloc(c->arena, dn + n + 1);
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
    if (form == HEX_TEXT)
        return get_text(c);
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
    char *s = results_arena_alloc(c->arena, 2 * n + 1);
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
    if (form == ADDR_TEXT)
        return get_text(c);
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

/* The key tag of a signer, or -1 when none was found. */
static int32_t get_signer(cursor_t *c)
{
    int32_t tag = get_zz32(c);
    if (tag < -1 || tag > UINT16_MAX)
        c->err = true;
    return tag;
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

/* fix, parent (with its DS) and DNSKEYs: what a summary decode reads after the reasons. */
static void decode_keys(cursor_t *c, results_record_t *out)
{
    out->fix = get_str(c);

    results_parent_t *par = &out->parent;
    par->zone = get_str(c);
    uint8_t pflags = get_byte(c);
    if (pflags & ~(PARENT_SIGNED | PARENT_DS_FROM_ZONE_FILE))
        c->err = true;
    par->is_signed = pflags & PARENT_SIGNED;
    par->ds_from_zone_file = pflags & PARENT_DS_FROM_ZONE_FILE;
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
}

/* A list: its count, then each item read by get_item into zeroed room of size bytes. NULL and
 * *n = 0 when the list is empty or unreadable. */
static void *get_list(cursor_t *c, size_t min_item, size_t size,
                      void (*get_item)(cursor_t *c, void *item), size_t *n)
{
    size_t count = get_count(c, min_item);
    unsigned char *items = get_array(c, count, size);
    for (size_t i = 0; i < count && !c->err; i++)
        get_item(c, items + i * size);
    *n = c->err ? 0 : count;
    return c->err ? NULL : items;
}

static void get_text_item(cursor_t *c, void *item)
{
    *(const char **)item = get_text(c);
}

static void get_cds_record(cursor_t *c, void *item)
{
    results_cds_record_t *rec = item;
    rec->text = get_str(c);
    uint8_t f = get_byte(c);
    if (!rec->text || f & ~(CDS_REC_SERVED | CDS_REC_SIGNS_DNSKEY))
        c->err = true;
    rec->served = f & CDS_REC_SERVED;
    rec->signs_dnskey = f & CDS_REC_SIGNS_DNSKEY;
}

/* Extension 1: one item per server asked for CDS/CDNSKEY. */
static void get_cds_server(cursor_t *c, void *item)
{
    results_cds_server_t *sv = item;
    sv->address = get_addr(c);
    sv->cds_signer = get_signer(c);
    sv->cdnskey_signer = get_signer(c);
    uint8_t f = get_byte(c);
    if (!sv->address || f & ~(CDS_SRV_TCP_MASK | CDS_SRV_ANSWERED | CDS_SRV_DISAGREE))
        c->err = true;
    sv->tcp = (results_cds_tcp_t)(f & CDS_SRV_TCP_MASK);
    sv->answered = f & CDS_SRV_ANSWERED;
    sv->disagree = f & CDS_SRV_DISAGREE;
    sv->records = get_list(c, 2, sizeof *sv->records, get_cds_record, &sv->n_records);
}

/* Extension 3: one byte of RESULTS_KEY_* bits per DNSKEY, no other bit. */
static void decode_key_roles(cursor_t *c, results_record_t *out)
{
    if (cur_left(c) != out->n_dnskey) {
        c->err = true;
        return;
    }
    uint8_t *roles = get_array(c, out->n_dnskey, 1);
    for (size_t i = 0; i < out->n_dnskey && !c->err; i++) {
        roles[i] = get_byte(c);
        if (roles[i] & ~(RESULTS_KEY_DS_MATCHED | RESULTS_KEY_SIGNS_DNSKEY))
            c->err = true;
    }
    out->dnskey_roles = roles;
}

/* Extension 2: one item per name server's bootstrapping signal (RFC 9615). */
static void get_dsboot(cursor_t *c, void *item)
{
    results_dsboot_t *x = item;
    x->ns_name = get_str(c);
    x->zone = get_str(c);
    uint8_t state = get_byte(c);
    x->signer = get_signer(c);
    x->detail = get_str(c);
    if (!x->ns_name || state >= RESULTS_DSBOOT_STATE_COUNT)
        c->err = true;
    x->state = (results_dsboot_state_t)state;
    x->records = get_list(c, 1, sizeof *x->records, get_text_item, &x->n_records);
}

static void decode_rest(cursor_t *c, results_record_t *out)
{
    out->rrsig_earliest_expiration = get_zz(c);

    out->cds = get_list(c, 1, sizeof *out->cds, get_text_item, &out->n_cds);

    size_t n = get_count(c, 4);
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
    /* Schema 4 extension blocks; a record written before them ends here. */
    while (!c->err && c->p < c->end) {
        uint8_t tag = get_byte(c);
        uint64_t len = get_varint(c);
        /* Bounded by what is left after the length itself (not before reading it). */
        if (!c->err && len > cur_left(c))
            c->err = true;
        if (c->err)
            break;
        cursor_t blk = *c;
        blk.end = c->p + len;
        if (tag == EXT_CDS_SERVERS && !out->cds_servers)
            out->cds_servers =
                get_list(&blk, 6, sizeof *out->cds_servers, get_cds_server, &out->n_cds_servers);
        else if (tag == EXT_DSBOOT && !out->dsboot)
            out->dsboot = get_list(&blk, 6, sizeof *out->dsboot, get_dsboot, &out->n_dsboot);
        else if (tag == EXT_KEY_ROLES && !out->dnskey_roles)
            decode_key_roles(&blk, out);
        else
            blk.err = true; /* unknown or repeated: not something this schema wrote */
        if (blk.p != blk.end)
            blk.err = true;
        c->err |= blk.err;
        c->nomem |= blk.nomem;
        c->p = blk.end;
    }
    if (c->p != c->end)
        c->err = true; /* trailing garbage */
}

int results_decode_with(results_arena_t *arena, const char *domain, size_t domain_len,
                        const uint8_t *buf, size_t len, bool summary_only, results_record_t *out)
{
    cursor_t c = {.p = buf, .end = buf + len, .arena = arena};
    memset(out, 0, sizeof *out);
    out->domain = copy_text(&c, domain, domain_len);
    out->status = get_status(&c);
    out->scanned_at = get_zz(&c);
    decode_reasons(&c, out);
    decode_keys(&c, out);
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
    results_arena_t *arena = results_arena_new();
    if (!arena)
        return RESULTS_ENOMEM;
    int rc = results_decode_with(arena, domain, strlen(domain), buf ? buf : (const void *)"", len,
                                 false, out);
    if (rc < 0) {
        results_arena_free(arena);
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
    results_arena_free(rec->arena_);
    memset(rec, 0, sizeof *rec);
}

/* Scan metadata (layout in codec.c). */

static char *dup_or_null(const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *nomem = true;
    return d;
}

int results_scan_meta_decode(const uint8_t *buf, size_t len, results_scan_meta_t *m)
{
    results_arena_t *arena = results_arena_new();
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
    /* A scan written before schema 3 ends here: no settings were stored with it. */
    const char *settings = c.p < c.end ? get_str(&c) : NULL;
    if (c.p != c.end)
        c.err = true;
    if (!c.err) {
        m->input_desc = dup_or_null(input, &nomem);
        m->options = dup_or_null(options, &nomem);
        m->settings = dup_or_null(settings, &nomem);
    }
    results_arena_free(arena);
    if (c.err || nomem) {
        results_scan_meta_clear(m);
        return nomem || c.nomem ? RESULTS_ENOMEM : RESULTS_ECORRUPT;
    }
    return RESULTS_OK;
}

void results_scan_meta_clear(results_scan_meta_t *m)
{
    free(m->input_desc);
    free(m->options);
    free(m->settings);
    memset(m, 0, sizeof *m);
}
