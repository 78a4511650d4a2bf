/*
 * Text output of a record: the JSON line of cli.md and the CSV row. Each line is built in a
 * buffer and written with one fwrite, which keeps export of millions of records cheap.
 */
#include "results/internal.h"

#include <string.h>
#include <time.h>

const char *results_format_time(int64_t t, char buf[RESULTS_TIME_BUFSZ])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, RESULTS_TIME_BUFSZ, "%lld", (long long)t);
        return buf;
    }
    if (strftime(buf, RESULTS_TIME_BUFSZ, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, RESULTS_TIME_BUFSZ, "%lld", (long long)t);
    return buf;
}

void results_json_field(results_buf_t *b, const char *key, const char *value)
{
    results_buf_str(b, key);
    results_json_str(b, value);
}

void results_json_int_field(results_buf_t *b, const char *key, int64_t v)
{
    results_buf_str(b, key);
    if (v < 0)
        results_buf_str(b, "null");
    else
        results_put_int(b, v);
}

void results_put_key_triple(results_buf_t *b, unsigned tag, unsigned algorithm, unsigned third)
{
    results_put_int(b, tag);
    results_buf_byte(b, '/');
    results_put_int(b, algorithm);
    results_buf_byte(b, '/');
    results_put_int(b, third);
}

void results_put_reason_names(results_buf_t *b, const results_record_t *r, const char *sep)
{
    for (size_t i = 0; r && i < r->n_reasons; i++) {
        if (i)
            results_buf_str(b, sep);
        results_buf_str(b, verify_reason_name(r->reasons[i].code));
    }
}

void results_put_int(results_buf_t *b, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[sizeof tmp - ++n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[sizeof tmp - ++n] = '-';
    results_buf_put(b, tmp + sizeof tmp - n, n);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* A JSON string (RFC 8259), or null for NULL. The checks of utf8_len stop at the terminating
 * NUL because a NUL is never a continuation byte. */
void results_json_str(results_buf_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        results_buf_str(b, "null");
        return;
    }
    results_buf_byte(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        results_buf_put(b, run, (size_t)(p - run));
        if (!*p)
            break;
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            results_buf_put(b, esc, 2);
            p++;
        } else if (c < 0x20) {
            const char *short_esc = c == '\n'   ? "\\n"
                                    : c == '\r' ? "\\r"
                                    : c == '\t' ? "\\t"
                                    : c == '\b' ? "\\b"
                                    : c == '\f' ? "\\f"
                                                : NULL;
            if (short_esc) {
                results_buf_str(b, short_esc);
            } else {
                char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                results_buf_put(b, esc, 6);
            }
            p++;
        } else {
            size_t n = utf8_len(p);
            if (n) {
                results_buf_put(b, p, n);
                p += n;
            } else {
                results_buf_str(b, "\\ufffd");
                p++;
            }
        }
    }
    results_buf_byte(b, '"');
}

static void json_time(results_buf_t *b, int64_t t)
{
    char buf[RESULTS_TIME_BUFSZ];
    if (t == 0) {
        results_buf_str(b, "null");
        return;
    }
    results_json_str(b, results_format_time(t, buf));
}

static void json_key(results_buf_t *b, const char *key)
{
    results_buf_byte(b, '"');
    results_buf_str(b, key);
    results_buf_str(b, "\":");
}

static void json_kint(results_buf_t *b, const char *key, int64_t v)
{
    json_key(b, key);
    results_put_int(b, v);
}

static void json_reasons(results_buf_t *b, const results_record_t *rec)
{
    results_buf_str(b, "\"reasons\":[");
    for (size_t i = 0; i < rec->n_reasons; i++) {
        const results_reason_t *r = &rec->reasons[i];
        int ede = verify_reason_ede(r->code);
        if (i)
            results_buf_byte(b, ',');
        results_json_field(b, "{\"code\":", verify_reason_name(r->code));
        results_json_field(b,
                           ",\"severity\":", verify_severity_name(verify_reason_severity(r->code)));
        results_json_int_field(b, ",\"ede\":", ede);
        results_json_field(b, ",\"server\":", r->server);
        results_json_field(b, ",\"rrset\":", r->rrset);
        results_json_field(b, ",\"detail\":", r->detail);
        results_buf_byte(b, '}');
    }
    results_buf_byte(b, ']');
}

/* {"k0":v0,"k1":v1,...: an object's integer members, opened but not closed. */
static void json_ints(results_buf_t *b, const char *const *keys, const int64_t *values, size_t n)
{
    results_buf_byte(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            results_buf_byte(b, ',');
        json_kint(b, keys[i], values[i]);
    }
}

void results_json_ds_list(results_buf_t *b, const results_ds_t *ds, size_t n)
{
    static const char *const keys[] = {"key_tag", "algorithm", "digest_type"};
    for (size_t i = 0; i < n; i++) {
        results_buf_str(b, i ? "," : "");
        json_ints(b, keys, (const int64_t[]){ds[i].key_tag, ds[i].algorithm, ds[i].digest_type}, 3);
        results_json_field(b, ",\"digest\":", ds[i].digest);
        results_buf_byte(b, '}');
    }
}

void results_json_dnskey_list(results_buf_t *b, const results_dnskey_t *k, size_t n)
{
    static const char *const keys[] = {"key_tag", "algorithm", "flags", "bits"};
    for (size_t i = 0; i < n; i++) {
        results_buf_str(b, i ? "," : "");
        json_ints(b, keys, (const int64_t[]){k[i].key_tag, k[i].algorithm, k[i].flags, k[i].bits},
                  4);
        results_buf_byte(b, '}');
    }
}

static void json_parent(results_buf_t *b, const results_parent_t *par)
{
    results_buf_str(b, "\"parent\":");
    if (!par->zone) {
        results_buf_str(b, "null");
        return;
    }
    results_json_field(b, "{\"zone\":", par->zone);
    results_buf_str(b, par->is_signed ? ",\"signed\":true," : ",\"signed\":false,");
    /* Only zone-file scans say where the DS came from; wire-based lines stay as they were. */
    if (par->ds_from_zone_file)
        results_buf_str(b, "\"ds_source\":\"zone-file\",");
    json_kint(b, "ds_ttl", par->ds_ttl);
    results_buf_str(b, ",\"ds\":[");
    results_json_ds_list(b, par->ds, par->n_ds);
    results_buf_str(b, "]}");
}

static void json_tail(results_buf_t *b, const results_record_t *rec)
{
    results_buf_str(b, ",\"dnskey\":[");
    results_json_dnskey_list(b, rec->dnskey, rec->n_dnskey);
    results_buf_str(b, "],\"rrsig_earliest_expiration\":");
    json_time(b, rec->rrsig_earliest_expiration);
    results_buf_str(b, ",\"cds\":[");
    for (size_t i = 0; i < rec->n_cds; i++) {
        if (i)
            results_buf_byte(b, ',');
        results_json_str(b, rec->cds[i]);
    }
    results_buf_str(b, "],\"nameservers\":[");
    for (size_t i = 0; i < rec->n_nameservers; i++) {
        const results_nameserver_t *ns = &rec->nameservers[i];
        if (i)
            results_buf_byte(b, ',');
        results_json_field(b, "{\"name\":", ns->name);
        results_json_field(b, ",\"address\":", ns->address);
        results_json_field(b, ",\"status\":", verify_status_name(ns->status));
        results_json_int_field(b, ",\"rtt_ms\":", ns->rtt_ms);
        results_buf_byte(b, '}');
    }
    results_buf_str(b, "],");
    json_kint(b, "queries", rec->queries);
    const results_resolver_check_t *rc = &rec->resolver_check;
    if (rc->present) {
        results_buf_str(b, ",\"resolver_check\":{\"ad\":");
        results_buf_str(b, rc->ad ? "true" : "false");
        results_json_int_field(b, ",\"rcode\":", rc->rcode);
        results_json_int_field(b, ",\"ede\":", rc->ede);
        results_buf_str(b, rc->disagrees ? ",\"disagrees\":true}" : ",\"disagrees\":false}");
    }
}

void results_json_line(results_buf_t *b, const results_record_t *rec, const char *scan_name)
{
    results_json_field(b, "{\"domain\":", rec->domain);
    results_json_field(b, ",\"status\":", verify_status_name(rec->status));
    results_json_field(b, ",\"scan\":", scan_name);
    results_buf_str(b, ",\"scanned_at\":");
    json_time(b, rec->scanned_at);
    results_json_field(b, ",\"mode\":", rec->mode);
    results_buf_byte(b, ',');
    json_reasons(b, rec);
    results_json_field(b, ",\"fix\":", rec->fix);
    results_buf_byte(b, ',');
    json_parent(b, &rec->parent);
    json_tail(b, rec);
    results_buf_str(b, "}\n");
}

int results_record_write_json(const results_record_t *rec, const char *scan_name, FILE *out)
{
    if (!rec || !out || !rec->domain || !verify_status_name(rec->status))
        return RESULTS_EINVAL;
    results_buf_t b = {0};
    results_json_line(&b, rec, scan_name);
    int rc = b.failed ? RESULTS_ENOMEM : RESULTS_OK;
    if (rc == 0 && fwrite(b.data, 1, b.len, out) != b.len)
        rc = RESULTS_EIO;
    results_buf_free(&b);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * CSV (RFC 4180 quoting). A field is assembled in `field`, then quoted into the line if needed.
 * ------------------------------------------------------------------------------------------- */

static void csv_field(results_buf_t *line, const uint8_t *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        results_buf_put(line, s, n);
        return;
    }
    results_buf_byte(line, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            results_buf_byte(line, '"');
        results_buf_byte(line, s[i]);
    }
    results_buf_byte(line, '"');
}

void results_csv_text(results_buf_t *line, const char *s)
{
    if (s)
        csv_field(line, (const uint8_t *)s, strlen(s));
}

void results_csv_header(results_buf_t *b)
{
    results_buf_str(
        b, "scan,scanned_at,mode,domain,status,reasons,fix,parent_zone,ds,dnskey_algorithms,"
           "rrsig_earliest_expiration\n");
}

static bool is_code_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of "CODE: " at s when CODE is a reason code name, else 0. */
static size_t code_prefix_len(const char *s)
{
    size_t n = 0;
    while (is_code_char(s[n]))
        n++;
    if (n == 0 || n >= 64 || s[n] != ':' || s[n + 1] != ' ')
        return 0;
    char name[64];
    memcpy(name, s, n);
    name[n] = '\0';
    verify_reason_code_t code;
    return verify_reason_from_name(name, &code) == 0 ? n + 2 : 0;
}

/* The record's fix as a plain sentence. Today's fixes are sentences already, written alike for
 * JSON, CSV and show, and may quote a detail that itself names a code ("NS_LAME: the server
 * answers SERVFAIL"): those are kept as they are. Records stored by earlier versions hold
 * "CODE: what to do" (and ". Also CODE: ..."); the reasons column already names the codes, so
 * those lose the prefixes. A word after a dropped code inside the text is lower-cased ("Also
 * re-sign ...") unless it is an acronym ("Also DS ..."). */
static void csv_fix_sentence(results_buf_t *field, const char *fix)
{
    if (code_prefix_len(fix) == 0) {
        results_buf_str(field, fix);
        return;
    }
    for (size_t i = 0; fix[i];) {
        bool word_start = i == 0 || fix[i - 1] == ' ';
        size_t skip = word_start ? code_prefix_len(fix + i) : 0;
        if (!skip) {
            results_buf_byte(field, (uint8_t)fix[i++]);
            continue;
        }
        i += skip;
        if (i > skip && fix[i] >= 'A' && fix[i] <= 'Z' && fix[i + 1] >= 'a' && fix[i + 1] <= 'z') {
            results_buf_byte(field, (uint8_t)(fix[i] - 'A' + 'a'));
            i++;
        }
    }
}

void results_csv_row(results_buf_t *line, results_buf_t *field, const results_record_t *rec,
                     const char *scan_name)
{
    char tbuf[RESULTS_TIME_BUFSZ];
    results_csv_text(line, scan_name);
    results_buf_byte(line, ',');
    if (rec->scanned_at)
        results_buf_str(line, results_format_time(rec->scanned_at, tbuf));
    results_buf_byte(line, ',');
    results_csv_text(line, rec->mode);
    results_buf_byte(line, ',');
    results_csv_text(line, rec->domain);
    results_buf_byte(line, ',');
    results_csv_text(line, verify_status_name(rec->status));
    results_buf_byte(line, ',');

    field->len = 0;
    results_put_reason_names(field, rec, ";");
    csv_field(line, field->data, field->len);
    results_buf_byte(line, ',');
    field->len = 0;
    if (rec->fix)
        csv_fix_sentence(field, rec->fix);
    csv_field(line, field->data, field->len);
    results_buf_byte(line, ',');
    results_csv_text(line, rec->parent.zone);
    results_buf_byte(line, ',');

    field->len = 0;
    for (size_t i = 0; i < rec->parent.n_ds; i++) {
        const results_ds_t *ds = &rec->parent.ds[i];
        if (i)
            results_buf_byte(field, ';');
        results_buf_printf(field, "%u %u %u %s", ds->key_tag, ds->algorithm, ds->digest_type,
                           ds->digest ? ds->digest : "");
    }
    csv_field(line, field->data, field->len);
    results_buf_byte(line, ',');

    /* Distinct algorithms in first-seen order: "8;13" during an algorithm rollover. */
    bool seen[256] = {false};
    bool first = true;
    for (size_t i = 0; i < rec->n_dnskey; i++) {
        uint8_t alg = rec->dnskey[i].algorithm;
        if (seen[alg])
            continue;
        seen[alg] = true;
        if (!first)
            results_buf_byte(line, ';');
        first = false;
        results_put_int(line, alg);
    }
    results_buf_byte(line, ',');
    if (rec->rrsig_earliest_expiration)
        results_buf_str(line, results_format_time(rec->rrsig_earliest_expiration, tbuf));
    results_buf_byte(line, '\n');
}
