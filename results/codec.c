/*
 * The on-disk encoding of a record (schema 2; schema 1 is the same without parent flag 2, so
 * a schema-1 store is read as it is and marked schema 2 when opened for writing). The domain is not
 * in the value: it is the key.
 *
 *   u8 status | zz scanned_at
 *   n reasons: { u8 code | str server | rrset rrset | str detail }
 *   str fix
 *   str parent.zone | u8 parent flags (1 = signed, 2 = DS from a zone file) | v ds_ttl
 *   n ds: { v key_tag | u8 algorithm | u8 digest_type | hex digest }
 *   n dnskey: { v key_tag | u8 algorithm | v flags | v bits }
 *   zz rrsig_earliest_expiration
 *   n cds: { str }
 *   n nameservers: { str name | addr address | u8 status | zz rtt_ms }
 *   v queries
 *   u8 resolver flags (1 present, 2 ad, 4 disagrees) [| zz rcode | zz ede when present]
 *   schema 4: any number of extension blocks { u8 tag | v length | length bytes } until the
 *   end; a record of schema 3 or earlier simply ends before them. Tags:
 *     1 CDS servers: n { addr address | zz cds_signer | zz cdnskey_signer |
 *                        u8 tcp (bits 0-1) + answered (4) + CDS/CDNSKEY disagree (8) |
 *                        n { str text | u8 flags (1 served, 2 signs_dnskey) } }
 *     2 RFC 9615 signals: n { str ns_name | str zone | u8 state | zz signer | str detail |
 *                             n { str record } }
 *     3 the DNSKEYs' roles: one u8 of RESULTS_KEY_* bits per dnskey (absent = not known)
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
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------------------------- */

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static bool put_str(results_buf_t *b, const char *s)
{
    if (!s) {
        results_buf_byte(b, 0);
        return true;
    }
    size_t n = strlen(s);
    if (n > RESULTS_STRING_MAX)
        return false;
    results_buf_varint(b, n + 1);
    results_buf_put(b, s, n);
    return true;
}

/* An RRset name is nearly always "<domain>/<TYPE>": then only the type is stored.
 * v = 0 NULL, odd v: domain + "/" + the next (v - 1) / 2 bytes, even v: the next v / 2 - 1
 * bytes as they are. */
static bool put_rrset(results_buf_t *b, const char *domain, const char *s)
{
    if (!s) {
        results_buf_byte(b, 0);
        return true;
    }
    size_t n = strlen(s), dn = domain ? strlen(domain) : 0;
    if (n > RESULTS_STRING_MAX)
        return false;
    if (dn && n > dn && memcmp(s, domain, dn) == 0 && s[dn] == '/') {
        size_t rest = n - dn - 1;
        results_buf_varint(b, rest * 2 + 1);
        results_buf_put(b, s + dn + 1, rest);
    } else {
        results_buf_varint(b, (n + 1) * 2);
        results_buf_put(b, s, n);
    }
    return true;
}

/* The value of the hex digit c, either case; -1 for anything else. */
static int hexval(int c)
{
    static const char digits[] = "0123456789abcdef";
    const char *p = c > 0 ? strchr(digits, tolower(c)) : NULL;
    return p ? (int)(p - digits) : -1;
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

static bool put_hex(results_buf_t *b, const char *s)
{
    if (!s) {
        results_buf_byte(b, HEX_NULL);
        return true;
    }
    size_t n = strlen(s);
    int form = hex_form(s, n);
    results_buf_byte(b, (uint8_t)form);
    if (form == HEX_TEXT)
        return put_str(b, s);
    results_buf_varint(b, n / 2);
    for (size_t i = 0; i < n; i += 2)
        results_buf_byte(b, (uint8_t)(hexval(s[i]) << 4 | hexval(s[i + 1])));
    return true;
}

static bool put_addr(results_buf_t *b, const char *s)
{
    uint8_t bin[16];
    char back[INET6_ADDRSTRLEN];
    if (!s) {
        results_buf_byte(b, ADDR_NULL);
        return true;
    }
    /* Binary only when inet_ntop gives the same text back (no leading zeros, canonical v6). */
    if (inet_pton(AF_INET, s, bin) == 1 && inet_ntop(AF_INET, bin, back, sizeof back) &&
        strcmp(back, s) == 0) {
        results_buf_byte(b, ADDR_V4);
        results_buf_put(b, bin, 4);
        return true;
    }
    if (inet_pton(AF_INET6, s, bin) == 1 && inet_ntop(AF_INET6, bin, back, sizeof back) &&
        strcmp(back, s) == 0) {
        results_buf_byte(b, ADDR_V6);
        results_buf_put(b, bin, 16);
        return true;
    }
    results_buf_byte(b, ADDR_TEXT);
    return put_str(b, s);
}

static bool put_cds_servers(results_buf_t *b, const results_record_t *rec)
{
    bool okay = rec->n_cds_servers <= RESULTS_LIST_MAX && rec->cds_servers;
    results_buf_varint(b, rec->n_cds_servers);
    for (size_t i = 0; okay && i < rec->n_cds_servers; i++) {
        const results_cds_server_t *sv = &rec->cds_servers[i];
        if (!sv->address || (unsigned)sv->tcp > RESULTS_CDS_TCP_NO_ANSWER ||
            sv->n_records > RESULTS_LIST_MAX || (sv->n_records && !sv->records))
            return false;
        okay &= put_addr(b, sv->address);
        results_buf_varint(b, zigzag(sv->cds_signer));
        results_buf_varint(b, zigzag(sv->cdnskey_signer));
        results_buf_byte(b, (uint8_t)((unsigned)sv->tcp | (sv->answered ? CDS_SRV_ANSWERED : 0) |
                                      (sv->disagree ? CDS_SRV_DISAGREE : 0)));
        results_buf_varint(b, sv->n_records);
        for (size_t k = 0; k < sv->n_records; k++) {
            const results_cds_record_t *c = &sv->records[k];
            if (!c->text)
                return false;
            okay &= put_str(b, c->text);
            results_buf_byte(b, (uint8_t)((c->served ? CDS_REC_SERVED : 0) |
                                          (c->signs_dnskey ? CDS_REC_SIGNS_DNSKEY : 0)));
        }
    }
    return okay;
}

static bool put_dsboot(results_buf_t *b, const results_record_t *rec)
{
    if (rec->n_dsboot > RESULTS_LIST_MAX || !rec->dsboot)
        return false;
    results_buf_varint(b, rec->n_dsboot);
    for (size_t i = 0; i < rec->n_dsboot; i++) {
        const results_dsboot_t *x = &rec->dsboot[i];
        if (!x->ns_name || (unsigned)x->state >= RESULTS_DSBOOT_STATE_COUNT ||
            x->n_records > RESULTS_LIST_MAX || (x->n_records && !x->records))
            return false;
        bool okay = put_str(b, x->ns_name) && put_str(b, x->zone);
        results_buf_byte(b, (uint8_t)x->state);
        results_buf_varint(b, zigzag(x->signer));
        okay = okay && put_str(b, x->detail);
        results_buf_varint(b, x->n_records);
        for (size_t k = 0; okay && k < x->n_records; k++)
            okay = x->records[k] && put_str(b, x->records[k]);
        if (!okay)
            return false;
    }
    return true;
}

/* One extension block: tag, length, then what put wrote. */
/* Extension 3: the DNSKEYs' roles, one byte each (graph.c draws the chain from them). */
static bool put_key_roles(results_buf_t *b, const results_record_t *rec)
{
    for (size_t i = 0; i < rec->n_dnskey; i++)
        results_buf_byte(b, rec->dnskey_roles[i] &
                                (RESULTS_KEY_DS_MATCHED | RESULTS_KEY_SIGNS_DNSKEY));
    return true;
}

static bool put_block(results_buf_t *b, uint8_t tag,
                      bool (*put)(results_buf_t *, const results_record_t *),
                      const results_record_t *rec)
{
    results_buf_t blk = {0};
    bool okay = put(&blk, rec);
    results_buf_byte(b, tag);
    results_buf_varint(b, blk.len);
    results_buf_put(b, blk.data, blk.len);
    b->failed |= blk.failed;
    results_buf_free(&blk);
    return okay;
}

int results_encode_into(const results_record_t *rec, results_buf_t *b)
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

    results_buf_byte(b, (uint8_t)rec->status);
    results_buf_varint(b, zigzag(rec->scanned_at));
    results_buf_varint(b, rec->n_reasons);
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const results_reason_t *r = &rec->reasons[i];
        if ((unsigned)r->code >= VERIFY_REASON_COUNT)
            return RESULTS_EINVAL;
        results_buf_byte(b, (uint8_t)r->code);
        okay &= put_str(b, r->server);
        okay &= put_rrset(b, rec->domain, r->rrset);
        okay &= put_str(b, r->detail);
    }
    okay &= put_str(b, rec->fix);

    okay &= put_str(b, par->zone);
    results_buf_byte(b, (uint8_t)((par->is_signed ? PARENT_SIGNED : 0) |
                                  (par->ds_from_zone_file ? PARENT_DS_FROM_ZONE_FILE : 0)));
    results_buf_varint(b, par->ds_ttl);
    results_buf_varint(b, par->n_ds);
    for (size_t i = 0; i < par->n_ds; i++) {
        results_buf_varint(b, par->ds[i].key_tag);
        results_buf_byte(b, par->ds[i].algorithm);
        results_buf_byte(b, par->ds[i].digest_type);
        okay &= put_hex(b, par->ds[i].digest);
    }
    results_buf_varint(b, rec->n_dnskey);
    for (size_t i = 0; i < rec->n_dnskey; i++) {
        results_buf_varint(b, rec->dnskey[i].key_tag);
        results_buf_byte(b, rec->dnskey[i].algorithm);
        results_buf_varint(b, rec->dnskey[i].flags);
        results_buf_varint(b, rec->dnskey[i].bits);
    }
    results_buf_varint(b, zigzag(rec->rrsig_earliest_expiration));
    results_buf_varint(b, rec->n_cds);
    for (size_t i = 0; i < rec->n_cds; i++)
        okay &= put_str(b, rec->cds[i]);
    results_buf_varint(b, rec->n_nameservers);
    for (size_t i = 0; i < rec->n_nameservers; i++) {
        const results_nameserver_t *ns = &rec->nameservers[i];
        if ((unsigned)ns->status >= VERIFY_STATUS_COUNT)
            return RESULTS_EINVAL;
        okay &= put_str(b, ns->name);
        okay &= put_addr(b, ns->address);
        results_buf_byte(b, (uint8_t)ns->status);
        results_buf_varint(b, zigzag(ns->rtt_ms));
    }
    results_buf_varint(b, rec->queries);
    const results_resolver_check_t *rc = &rec->resolver_check;
    uint8_t rcf =
        (rc->present ? RC_PRESENT : 0) | (rc->ad ? RC_AD : 0) | (rc->disagrees ? RC_DISAGREES : 0);
    results_buf_byte(b, rc->present ? rcf : 0);
    if (rc->present) {
        results_buf_varint(b, zigzag(rc->rcode));
        results_buf_varint(b, zigzag(rc->ede));
    }
    if (rec->n_cds_servers)
        okay &= put_block(b, EXT_CDS_SERVERS, put_cds_servers, rec);
    if (rec->n_dsboot)
        okay &= put_block(b, EXT_DSBOOT, put_dsboot, rec);
    if (rec->dnskey_roles && rec->n_dnskey)
        okay &= put_block(b, EXT_KEY_ROLES, put_key_roles, rec);
    if (!okay)
        return RESULTS_EINVAL;
    return b->failed ? RESULTS_ENOMEM : RESULTS_OK;
}

int results_record_encode(const results_record_t *rec, uint8_t **out, size_t *len)
{
    results_buf_t b = {0};
    *out = NULL;
    *len = 0;
    int rc = rec ? results_encode_into(rec, &b) : RESULTS_EINVAL;
    if (rc < 0) {
        results_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return RESULTS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Scan metadata: v id | zz started | zz finished_at | u8 finished | 6 x v count | str input |
 * str options | str settings (schema 3; absent in a schema 1/2 store's scans). Same cursor
 * rules.
 * ------------------------------------------------------------------------------------------- */

int results_scan_meta_encode(const results_scan_meta_t *m, results_buf_t *b)
{
    bool okay = true;
    results_buf_varint(b, m->id);
    results_buf_varint(b, zigzag(m->started_at));
    results_buf_varint(b, zigzag(m->finished_at));
    results_buf_byte(b, m->finished ? 1 : 0);
    results_buf_varint(b, VERIFY_STATUS_COUNT);
    for (int i = 0; i < VERIFY_STATUS_COUNT; i++)
        results_buf_varint(b, m->counts[i]);
    okay &= put_str(b, m->input_desc);
    okay &= put_str(b, m->options);
    okay &= put_str(b, m->settings);
    if (!okay)
        return RESULTS_EINVAL;
    return b->failed ? RESULTS_ENOMEM : RESULTS_OK;
}
