/*
 * DS automation rules (`dnssweep ds-actions`): from the stored records of one domain in the
 * last N finished scans, the action a registrar may take (RFC 7344 §4.1, RFC 8078) or why
 * not. Pure logic over results_record_t: the signatures were verified when the scan ran, and
 * the record keeps what was found (results_cds_server_t).
 */
#include "results/internal.h"
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of one stored record text: "owner ttl class type rdata". */
typedef struct rr_text {
    const char *type; /* "CDS" or "CDNSKEY" (not terminated: type_len) */
    size_t type_len;
    const char *rdata; /* the rest, to the end of the text */
    uint32_t ttl;
} rr_text_t;

static const char *skip_field(const char *p)
{
    while (*p && *p != ' ' && *p != '\t')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool rr_parse(const char *text, rr_text_t *out)
{
    const char *p = skip_field(text); /* owner */
    char *end = NULL;
    unsigned long ttl = strtoul(p, &end, 10);
    if (end == p || ttl > UINT32_MAX)
        return false;
    p = skip_field(skip_field(p)); /* ttl, class */
    out->type = p;
    p = skip_field(p);
    out->type_len = (size_t)(p - out->type);
    while (out->type_len &&
           (out->type[out->type_len - 1] == ' ' || out->type[out->type_len - 1] == '\t'))
        out->type_len--;
    out->rdata = p;
    out->ttl = (uint32_t)ttl;
    return out->type_len > 0 && *p;
}

static bool rr_is(const rr_text_t *t, const char *type)
{
    return t->type_len == strlen(type) && strncmp(t->type, type, t->type_len) == 0;
}

/* The n-th whitespace-separated number of the RDATA, or -1. */
static long rdata_number(const char *rdata, int n)
{
    const char *p = rdata;
    for (int i = 0; i < n && *p; i++)
        p = skip_field(p);
    char *end = NULL;
    long v = strtol(p, &end, 10);
    return end == p ? -1 : v;
}

/* RFC 8078 delete records: algorithm 0 ("CDS 0 0 0 00", "CDNSKEY 0 3 0 AA=="). */
static bool rr_is_delete(const rr_text_t *t)
{
    return rdata_number(t->rdata, rr_is(t, "CDS") ? 1 : 2) == 0;
}

/* The value of the base64 digit c (its place in the RFC 4648 alphabet); -1 for anything else. */
static int b64_value(int c)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c > 0 ? strchr(digits, c) : NULL;
    return p ? (int)(p - digits) : -1;
}

/* RFC 4034 Appendix B over flags | protocol | algorithm | key (the CDNSKEY RDATA). */
static int32_t cdnskey_tag(const char *rdata)
{
    long flags = rdata_number(rdata, 0), proto = rdata_number(rdata, 1),
         alg = rdata_number(rdata, 2);
    if (flags < 0 || flags > 65535 || proto < 0 || proto > 255 || alg < 0 || alg > 255)
        return -1;
    uint32_t acc = (uint32_t)flags + ((uint32_t)proto << 8) + (uint32_t)alg;
    const char *p = skip_field(skip_field(skip_field(rdata)));
    uint32_t bits = 0;
    int nbits = 0;
    size_t pos = 4; /* bytes of RDATA so far */
    for (; *p && *p != '='; p++) {
        int v = b64_value((unsigned char)*p);
        if (v < 0)
            continue; /* spaces between base64 groups */
        bits = bits << 6 | (uint32_t)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            uint32_t byte = (bits >> nbits) & 0xff;
            acc += pos++ & 1 ? byte : byte << 8;
        }
    }
    acc += acc >> 16 & 0xffff;
    return (int32_t)(acc & 0xffff);
}

/* The key tag a CDS or CDNSKEY record names, or -1. */
static int32_t rr_key_tag(const rr_text_t *t)
{
    if (rr_is(t, "CDS")) {
        long tag = rdata_number(t->rdata, 0);
        return tag < 0 || tag > 65535 ? -1 : (int32_t)tag;
    }
    return cdnskey_tag(t->rdata);
}

int32_t results_ds_record_key_tag(const char *text)
{
    rr_text_t t;
    return text && rr_parse(text, &t) ? rr_key_tag(&t) : -1;
}

bool results_ds_record_is_delete(const char *text)
{
    rr_text_t t;
    return text && rr_parse(text, &t) && rr_is_delete(&t);
}

/* True when both servers serve the same records (type and RDATA; owner, TTL and order aside). */
static bool contains_all(const results_cds_server_t *a, const results_cds_server_t *b)
{
    for (size_t i = 0; i < a->n_records; i++) {
        rr_text_t x, y;
        bool found = false;
        if (!rr_parse(a->records[i].text, &x))
            return false;
        for (size_t j = 0; j < b->n_records && !found; j++)
            found = rr_parse(b->records[j].text, &y) && x.type_len == y.type_len &&
                    strncmp(x.type, y.type, x.type_len) == 0 && strcmp(x.rdata, y.rdata) == 0;
        if (!found)
            return false;
    }
    return true;
}

static bool same_records(const results_cds_server_t *a, const results_cds_server_t *b)
{
    return contains_all(a, b) && contains_all(b, a);
}

static int refuse(results_ds_decision_t *d, verify_reason_code_t code, const char *server,
                  int32_t key_tag, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int refuse(results_ds_decision_t *d, verify_reason_code_t code, const char *server,
                  int32_t key_tag, const char *fmt, ...)
{
    va_list ap;
    d->action = RESULTS_DS_REFUSED;
    d->reason = code;
    snprintf(d->server, sizeof d->server, "%s", server ? server : "");
    d->key_tag = key_tag;
    va_start(ap, fmt);
    vsnprintf(d->detail, sizeof d->detail, fmt, ap);
    va_end(ap);
    return 0;
}

static const results_reason_t *find_reason(const results_record_t *rec, verify_reason_code_t code)
{
    for (size_t i = 0; i < rec->n_reasons; i++)
        if (rec->reasons[i].code == code)
            return &rec->reasons[i];
    return NULL;
}

/* The first record's key tag of a server (the key a refusal is about), or -1. */
static int32_t first_tag(const results_cds_server_t *sv)
{
    for (size_t i = 0; i < sv->n_records; i++) {
        int32_t tag = results_ds_record_key_tag(sv->records[i].text);
        if (tag >= 0)
            return tag;
    }
    return -1;
}

/* Every server answered, all serve the same records, over TCP too, signed by a key the DS
 * set authenticates. */
static bool check_servers(const results_record_t *rec, results_ds_decision_t *d, bool bootstrap)
{
    const results_cds_server_t *ref = NULL;
    for (size_t i = 0; i < rec->n_cds_servers && !ref; i++)
        if (rec->cds_servers[i].n_records)
            ref = &rec->cds_servers[i];
    for (size_t i = 0; i < rec->n_cds_servers; i++) {
        const results_cds_server_t *sv = &rec->cds_servers[i];
        size_t n_cds = 0, n_cdnskey = 0;
        if (!sv->answered) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, -1,
                   "%s gave no usable answer: every server of the domain must be checked",
                   sv->address);
            return false;
        }
        if (ref && !same_records(sv, ref)) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, first_tag(sv),
                   "inconsistent between servers: %s serves %zu CDS/CDNSKEY records, %s "
                   "serves %zu other ones",
                   sv->address, sv->n_records, ref->address, ref->n_records);
            return false;
        }
        if (sv->tcp != RESULTS_CDS_TCP_SAME) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, first_tag(sv), "over TCP %s %s",
                   sv->address,
                   sv->tcp == RESULTS_CDS_TCP_DIFFERENT ? "serves other CDS/CDNSKEY records"
                   : sv->tcp == RESULTS_CDS_TCP_NO_ANSWER
                       ? "gave no usable CDS/CDNSKEY answer"
                       : "was not asked (a resolver-mode scan): authoritative scans only");
            return false;
        }
        for (size_t k = 0; k < sv->n_records; k++) {
            rr_text_t t;
            if (!rr_parse(sv->records[k].text, &t)) {
                refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, -1,
                       "unreadable stored record \"%s\"", sv->records[k].text);
                return false;
            }
            n_cds += rr_is(&t, "CDS");
            n_cdnskey += rr_is(&t, "CDNSKEY");
        }
        const results_reason_t *why = find_reason(rec, VERIFY_REASON_CDS_INVALID);
        if ((n_cds && sv->cds_signer < 0) || (n_cdnskey && sv->cdnskey_signer < 0)) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, first_tag(sv),
                   "the %s RRset %s serves is not signed by %s%s%s",
                   n_cds && sv->cds_signer < 0 ? "CDS" : "CDNSKEY", sv->address,
                   bootstrap ? "any key the zone serves"
                             : "a key the parent's DS set authenticates",
                   why ? ": " : "", why && why->detail ? why->detail : "");
            return false;
        }
        if (sv->disagree) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, first_tag(sv),
                   "CDS and CDNSKEY served by %s describe different keys", sv->address);
            return false;
        }
    }
    return true;
}

/* True when word is one of the space-separated words of list. */
static bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static const results_cds_server_t *first_serving(const results_record_t *rec)
{
    for (size_t i = 0; i < rec->n_cds_servers; i++)
        if (rec->cds_servers[i].n_records)
            return &rec->cds_servers[i];
    return NULL;
}

/* The records themselves (the servers agree on them): a delete record (*is_delete), or keys
 * that are served and of which one signs the DNSKEY RRset. False (refused) otherwise. */
static bool check_records(const results_cds_server_t *sv, bool *is_delete, results_ds_decision_t *d)
{
    bool all_delete = true, any_signs = false;
    char tags[128] = "";
    for (size_t k = 0; k < sv->n_records; k++) {
        rr_text_t t;
        rr_parse(sv->records[k].text, &t); /* parsed in check_servers */
        if (rr_is_delete(&t))
            continue;
        all_delete = false;
        any_signs |= sv->records[k].signs_dnskey;
        if (!sv->records[k].served) {
            refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, rr_key_tag(&t),
                   "%.*s %d matches no DNSKEY the zone serves", (int)t.type_len, t.type,
                   (int)rr_key_tag(&t));
            return false;
        }
        char one[16];
        size_t len = strlen(tags);
        snprintf(one, sizeof one, "%d", (int)rr_key_tag(&t));
        if (!word_in(tags, one)) /* a CDS and a CDNSKEY name the same key */
            snprintf(tags + len, sizeof tags - len, "%s%s", len ? " " : "", one);
    }
    *is_delete = all_delete;
    if (!all_delete && !any_signs) {
        refuse(d, VERIFY_REASON_CDS_INVALID, sv->address, first_tag(sv),
               "applying it would break the domain: no key the CDS/CDNSKEY names (%s) signs "
               "the DNSKEY RRset",
               tags);
        return false;
    }
    return true;
}

/* Every record of a signal is one the apex serves, and the other way round (type and RDATA). */
static bool signal_matches(const results_dsboot_t *x, const results_cds_server_t *apex)
{
    for (int dir = 0; dir < 2; dir++) {
        size_t n = dir ? apex->n_records : x->n_records;
        for (size_t i = 0; i < n; i++) {
            rr_text_t a, b;
            bool found = false;
            if (!rr_parse(dir ? apex->records[i].text : x->records[i], &a))
                return false;
            size_t m = dir ? x->n_records : apex->n_records;
            for (size_t j = 0; j < m && !found; j++)
                found = rr_parse(dir ? x->records[j] : apex->records[j].text, &b) &&
                        a.type_len == b.type_len && strncmp(a.type, b.type, a.type_len) == 0 &&
                        strcmp(a.rdata, b.rdata) == 0;
            if (!found)
                return false;
        }
    }
    return true;
}

static const char *const dsboot_state_names[RESULTS_DSBOOT_STATE_COUNT] = {
    "validated", "absent", "not signed (insecure zone)", "bogus", "not answered"};

/* RFC 9615: a domain without DS gets its first DS when its servers agree on CDS/CDNSKEY that
 * keep it validating, and every NS name's zone carries the same records, validated, at
 * _dsboot.<domain>._signal.<ns name>. */
static int evaluate_bootstrap(const results_record_t *rec, results_ds_decision_t *d)
{
    if (!rec->parent.is_signed || !rec->parent.zone)
        return refuse(d, VERIFY_REASON_CDS_INVALID, NULL, -1,
                      "no DS and the parent zone is not signed: a DS cannot be added securely");
    if (rec->status != VERIFY_STATUS_INSECURE)
        return refuse(d, VERIFY_REASON_CDS_INVALID, NULL, -1,
                      "no DS at the parent and the domain is %s: bootstrapping needs a signed "
                      "zone whose parent proves there is no DS",
                      verify_status_name(rec->status));
    if (rec->n_cds_servers == 0 || rec->n_dsboot == 0)
        return refuse(d, VERIFY_REASON_CDS_INVALID, NULL, -1,
                      "no DS at the parent and no RFC 9615 signals in this record (a "
                      "resolver-mode scan, or one stored before results schema 4)");
    if (!check_servers(rec, d, true))
        return 0;
    const results_cds_server_t *apex = first_serving(rec);
    bool is_delete = false;
    if (!apex || !check_records(apex, &is_delete, d))
        return 0;
    if (is_delete)
        return 0; /* no DS to remove */
    for (size_t i = 0; i < rec->n_nameservers; i++) {
        bool have = false;
        for (size_t k = 0; k < rec->n_dsboot && !have; k++)
            have = rec->nameservers[i].name &&
                   strcmp(rec->nameservers[i].name, rec->dsboot[k].ns_name) == 0;
        if (!have)
            return refuse(d, VERIFY_REASON_CDS_INVALID, rec->nameservers[i].name, -1,
                          "no RFC 9615 signal was looked up for name server %s",
                          rec->nameservers[i].name);
    }
    for (size_t k = 0; k < rec->n_dsboot; k++) {
        const results_dsboot_t *x = &rec->dsboot[k];
        if (x->state != RESULTS_DSBOOT_VALID)
            return refuse(d, VERIFY_REASON_CDS_INVALID, x->ns_name, first_tag(apex),
                          "RFC 9615 signal of %s %s%s%s", x->ns_name, dsboot_state_names[x->state],
                          x->detail ? ": " : "", x->detail ? x->detail : "");
        if (!signal_matches(x, apex))
            return refuse(d, VERIFY_REASON_CDS_INVALID, x->ns_name, first_tag(apex),
                          "the RFC 9615 signal of %s (%zu records) differs from the CDS/CDNSKEY "
                          "the domain serves (%zu records)",
                          x->ns_name, x->n_records, apex->n_records);
    }
    d->action = RESULTS_DS_ADD;
    return 0;
}

/* One scan's record on its own: the action it asks for, or why it is refused. */
static int evaluate(const results_record_t *rec, results_ds_decision_t *d)
{
    memset(d, 0, sizeof *d);
    d->key_tag = -1;
    if (rec->n_cds == 0 && rec->n_cds_servers == 0)
        return 0; /* nothing published: nothing to do */
    if (rec->parent.n_ds == 0)
        return evaluate_bootstrap(rec, d);
    if (rec->status != VERIFY_STATUS_SECURE)
        return refuse(d, VERIFY_REASON_CDS_INVALID, NULL, -1,
                      "the domain is %s: CDS/CDNSKEY are acted on only for a secure domain",
                      verify_status_name(rec->status));
    if (rec->n_cds_servers == 0)
        return refuse(d, VERIFY_REASON_CDS_INVALID, NULL, -1,
                      "no per-server CDS/CDNSKEY evidence in this record (a scan stored before "
                      "results schema 4)");
    if (!check_servers(rec, d, false))
        return 0;
    /* What the verification said about the records themselves: unserved keys, CDS and
     * CDNSKEY describing different keys, a delete record mixed with others. */
    const results_reason_t *bad = find_reason(rec, VERIFY_REASON_CDS_INVALID);
    if (bad)
        return refuse(d, VERIFY_REASON_CDS_INVALID, bad->server, -1, "%s",
                      bad->detail ? bad->detail : "CDS/CDNSKEY invalid");

    const results_cds_server_t *sv = first_serving(rec);
    bool is_delete = false;
    if (!sv || !check_records(sv, &is_delete, d))
        return 0;
    if (is_delete) {
        if (!find_reason(rec, VERIFY_REASON_CDS_DELETE))
            return 0;
        d->action = RESULTS_DS_REMOVE;
        return 0;
    }
    if (!find_reason(rec, VERIFY_REASON_CDS_PENDING))
        return 0; /* the parent already has that DS set */
    d->action = RESULTS_DS_REPLACE;
    return 0;
}

int results_ds_decide(const results_record_t *const *recs, size_t n, size_t stable,
                      results_ds_decision_t *out)
{
    if (!recs || !out || n == 0 || !recs[0] || stable == 0)
        return RESULTS_EINVAL;
    evaluate(recs[0], out);
    out->stable_in = 1;
    if (out->action == RESULTS_DS_NONE || out->action == RESULTS_DS_REFUSED)
        return 0;
    const results_cds_server_t *now = first_serving(recs[0]);
    for (size_t i = 1; i < n && i < stable; i++) {
        results_ds_decision_t older;
        if (!recs[i])
            break;
        evaluate(recs[i], &older);
        const results_cds_server_t *then = first_serving(recs[i]);
        if (older.action != out->action || !then || !now || !same_records(now, then))
            break;
        out->stable_in++;
    }
    if (out->stable_in < stable) {
        results_ds_action_t wanted = out->action;
        refuse(out, VERIFY_REASON_CDS_PENDING, NULL, now ? first_tag(now) : -1,
               "%s stable in %zu of the %zu finished scans needed (the same CDS/CDNSKEY, "
               "accepted, in each)",
               results_ds_action_name(wanted), out->stable_in, stable);
    }
    return 0;
}

static const text_code_t ds_action_names[] = {
    {RESULTS_DS_NONE, "none"},     {RESULTS_DS_ADD, "add"},         {RESULTS_DS_REPLACE, "replace"},
    {RESULTS_DS_REMOVE, "remove"}, {RESULTS_DS_REFUSED, "refused"},
};

const char *results_ds_action_name(results_ds_action_t action)
{
    const char *name = text_of_code(
        ds_action_names, sizeof ds_action_names / sizeof ds_action_names[0], (int)action);
    return name ? name : NULL;
}
