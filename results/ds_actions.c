/*
 * `dnssweep ds-actions`: walks the chosen finished scan, decides each domain that publishes
 * CDS/CDNSKEY with results_ds_decide() over the scans before it, and writes the actions a
 * registrar can feed to its EPP client (JSONL or CSV). Nothing is applied here.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

/* The finished scans the decision looks at: the chosen one first, then older ones. */
typedef struct ds_scans {
    results_scan_info_t *all;
    size_t n_all;
    size_t picked[64]; /* indexes into all, newest first */
    size_t n_picked;
} ds_scans_t;

static int pick_scans(results_store_t *store, const char *scan_name, unsigned stable, ds_scans_t *s)
{
    int rc = results_scans_list(store, &s->all, &s->n_all);
    if (rc < 0)
        return rc;
    size_t target = s->n_all;
    for (size_t i = s->n_all; i-- > 0 && target == s->n_all;) {
        if (scan_name ? strcmp(s->all[i].name, scan_name) == 0 : s->all[i].finished)
            target = i;
    }
    if (target == s->n_all)
        return RESULTS_ENOTFOUND;
    if (!s->all[target].finished)
        return RESULTS_EINVAL;
    for (size_t i = target + 1; i-- > 0 && s->n_picked < stable;)
        if (s->all[i].finished)
            s->picked[s->n_picked++] = i;
    return 0;
}

/* "example.com. 3600 IN DS <rdata>" for a stored CDS/CDNSKEY text. */
static void put_rr_as(results_buf_t *b, const char *domain, uint32_t ttl, const char *type,
                      const char *text)
{
    const char *p = text;
    for (int field = 0; field < 4 && *p; field++) { /* owner, ttl, class, type */
        while (*p && *p != ' ' && *p != '\t')
            p++;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    results_buf_str(b, domain);
    results_buf_str(b, ". ");
    results_put_int(b, ttl);
    results_buf_str(b, " IN ");
    results_buf_str(b, type);
    results_buf_byte(b, ' ');
    results_buf_str(b, p);
}

static uint32_t stored_ttl(const char *text)
{
    const char *p = text;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    return (uint32_t)strtoul(p, NULL, 10);
}

static bool is_type(const char *text, const char *type)
{
    const char *p = text;
    for (int field = 0; field < 3 && *p; field++) {
        while (*p && *p != ' ' && *p != '\t')
            p++;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    size_t n = strlen(type);
    return strncmp(p, type, n) == 0 && (p[n] == ' ' || p[n] == '\t');
}

/* The lists of one output line, in the order of the CSV columns. */
enum {
    LIST_DS,
    LIST_DNSKEY,
    LIST_STABLE,
    LIST_SERVERS,
    LIST_TAGS,
    LIST_SIGNERS,
    LIST_SIGNALS,
    LIST_COUNT
};

/* One list, already joined (JSON array items or ';' text), and how many items it holds. */
typedef struct ds_list {
    results_buf_t text;
    size_t n;
} ds_list_t;

typedef struct ds_line {
    ds_list_t list[LIST_COUNT];
    bool json;
} ds_line_t;

static void list_add(ds_line_t *l, int which, const char *text, bool quoted)
{
    ds_list_t *list = &l->list[which];
    if (list->n++)
        results_buf_byte(&list->text, l->json ? ',' : ';');
    if (l->json && quoted)
        results_json_str(&list->text, text);
    else
        results_buf_str(&list->text, text);
}

static void list_add_int(ds_line_t *l, int which, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    list_add(l, which, num, false);
}

static void line_free(ds_line_t *l)
{
    for (int i = 0; i < LIST_COUNT; i++)
        results_buf_free(&l->list[i].text);
}

/* Adds tag to a list once (seen: the tags added so far, at most RESULTS_LIST_MAX). */
static void tag_once(ds_line_t *l, int which, int32_t *seen, size_t *n_seen, int32_t tag)
{
    for (size_t i = 0; i < *n_seen; i++)
        if (seen[i] == tag)
            return;
    if (*n_seen < RESULTS_LIST_MAX)
        seen[(*n_seen)++] = tag;
    list_add_int(l, which, tag);
}

static void line_fill(ds_line_t *l, const results_record_t *rec, const results_ds_decision_t *d,
                      const ds_scans_t *s)
{
    int32_t *seen = malloc(2 * RESULTS_LIST_MAX * sizeof *seen);
    size_t n_seen = 0, n_seen_signers = 0;
    if (!seen) {
        l->list[LIST_DS].text.failed = true;
        return;
    }
    int32_t *seen_signers = seen + RESULTS_LIST_MAX;
    for (size_t i = d->stable_in; i-- > 0;)
        list_add(l, LIST_STABLE, s->all[s->picked[i]].name, true);
    const results_cds_server_t *with = NULL;
    for (size_t i = 0; i < rec->n_cds_servers; i++) {
        const results_cds_server_t *sv = &rec->cds_servers[i];
        list_add(l, LIST_SERVERS, sv->address, true);
        if (sv->cds_signer >= 0)
            tag_once(l, LIST_SIGNERS, seen_signers, &n_seen_signers, sv->cds_signer);
        if (sv->cdnskey_signer >= 0)
            tag_once(l, LIST_SIGNERS, seen_signers, &n_seen_signers, sv->cdnskey_signer);
        if (!with && sv->n_records)
            with = sv;
    }
    for (size_t i = 0; i < rec->n_dsboot; i++)
        if (rec->dsboot[i].state == RESULTS_DSBOOT_VALID)
            list_add(l, LIST_SIGNALS, rec->dsboot[i].ns_name, true);
    for (size_t k = 0; with && k < with->n_records; k++) {
        const char *text = with->records[k].text;
        int32_t tag = results_ds_record_key_tag(text);
        if (results_ds_record_is_delete(text))
            continue; /* names no key */
        if (tag >= 0)
            tag_once(l, LIST_TAGS, seen, &n_seen, tag);
        if (d->action != RESULTS_DS_REPLACE && d->action != RESULTS_DS_ADD)
            continue;
        /* The parent's TTL for the DS set when it has one; else the record's own. */
        uint32_t ttl = rec->parent.ds_ttl ? rec->parent.ds_ttl : stored_ttl(text);
        results_buf_t rr = {0};
        bool cds = is_type(text, "CDS");
        put_rr_as(&rr, rec->domain, ttl, cds ? "DS" : "DNSKEY", text);
        results_buf_byte(&rr, '\0');
        if (!rr.failed)
            list_add(l, cds ? LIST_DS : LIST_DNSKEY, (const char *)rr.data, true);
        results_buf_free(&rr);
    }
    free(seen);
}

static void put_buf(results_buf_t *out, const results_buf_t *b)
{
    if (b->len)
        results_buf_put(out, b->data, b->len);
}

static void write_json(results_buf_t *o, const results_record_t *rec,
                       const results_ds_decision_t *d, const char *scan, const ds_line_t *l)
{
    results_json_field(o, "{\"domain\":", rec->domain);
    results_json_field(o, ",\"action\":", results_ds_action_name(d->action));
    results_json_field(o, ",\"scan\":", scan);
    if (d->action == RESULTS_DS_REFUSED) {
        results_json_field(o, ",\"reason\":", verify_reason_name(d->reason));
        results_json_field(o, ",\"server\":", d->server[0] ? d->server : NULL);
        results_json_int_field(o, ",\"key_tag\":", d->key_tag);
        results_json_field(o, ",\"detail\":", d->detail);
    } else {
        results_buf_str(o, ",\"ds\":[");
        put_buf(o, &l->list[LIST_DS].text);
        results_buf_str(o, "],\"dnskey\":[");
        put_buf(o, &l->list[LIST_DNSKEY].text);
        results_buf_byte(o, ']');
    }
    results_buf_str(o, ",\"stable_in\":[");
    put_buf(o, &l->list[LIST_STABLE].text);
    results_buf_str(o, "],\"evidence\":{\"servers\":[");
    put_buf(o, &l->list[LIST_SERVERS].text);
    results_buf_str(o, "],\"key_tags\":[");
    put_buf(o, &l->list[LIST_TAGS].text);
    results_buf_str(o, "],\"signer_key_tags\":[");
    put_buf(o, &l->list[LIST_SIGNERS].text);
    results_buf_str(o, "],\"signals\":[");
    put_buf(o, &l->list[LIST_SIGNALS].text);
    results_buf_str(o, "]}}\n");
}

static void csv_buf(results_buf_t *o, results_buf_t *b)
{
    results_buf_byte(b, '\0');
    if (!b->failed)
        results_csv_text(o, (const char *)b->data);
    b->len--;
}

static void write_csv(results_buf_t *o, const results_record_t *rec, const results_ds_decision_t *d,
                      const char *scan, ds_line_t *l)
{
    bool refused = d->action == RESULTS_DS_REFUSED;
    results_csv_text(o, rec->domain);
    results_buf_byte(o, ',');
    results_csv_text(o, results_ds_action_name(d->action));
    results_buf_byte(o, ',');
    results_csv_text(o, scan);
    results_buf_byte(o, ',');
    for (int i = 0; i < LIST_COUNT; i++) {
        csv_buf(o, &l->list[i].text);
        results_buf_byte(o, ',');
    }
    results_csv_text(o, refused ? verify_reason_name(d->reason) : NULL);
    results_buf_byte(o, ',');
    results_csv_text(o, refused && d->server[0] ? d->server : NULL);
    results_buf_byte(o, ',');
    if (refused && d->key_tag >= 0)
        results_put_int(o, d->key_tag);
    results_buf_byte(o, ',');
    results_csv_text(o, refused ? d->detail : NULL);
    results_buf_byte(o, '\n');
}

/* Decides one domain of the newest scan and writes its line, if any. */
static int one_domain(results_store_t *store, const results_record_t *rec, const ds_scans_t *s,
                      unsigned stable, results_format_t format, results_buf_t *o,
                      results_ds_actions_counts_t *counts)
{
    results_record_t older[64];
    const results_record_t *recs[64] = {rec};
    size_t n = 1;
    int rc = 0;
    memset(older, 0, sizeof older);
    for (size_t i = 1; i < s->n_picked; i++, n++) {
        rc = results_get(store, s->all[s->picked[i]].name, rec->domain, &older[i]);
        recs[i] = rc == 0 ? &older[i] : NULL;
        if (rc == RESULTS_ENOTFOUND)
            rc = 0;
        if (rc < 0)
            goto done;
    }
    results_ds_decision_t d;
    rc = results_ds_decide(recs, n, stable, &d);
    if (rc < 0 || d.action == RESULTS_DS_NONE)
        goto done;
    ds_line_t l = {.json = format == RESULTS_FORMAT_JSONL};
    line_fill(&l, rec, &d, s);
    const char *scan = s->all[s->picked[0]].name;
    if (l.json)
        write_json(o, rec, &d, scan, &l);
    else
        write_csv(o, rec, &d, scan, &l);
    line_free(&l);
    if (d.action == RESULTS_DS_REFUSED)
        counts->refused++;
    else
        counts->authorised++;
done:
    for (size_t i = 1; i < n; i++)
        results_record_free(&older[i]);
    return rc;
}

int results_ds_actions(results_store_t *store, const char *scan_name, unsigned stable,
                       results_format_t format, FILE *out, results_ds_actions_counts_t *counts)
{
    results_ds_actions_counts_t local = {0};
    ds_scans_t s;
    results_iter_t *it = NULL;
    results_buf_t o = {0};
    memset(&s, 0, sizeof s);
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof *counts);
    if (!store || !out || stable == 0 || stable > 64 ||
        (format != RESULTS_FORMAT_JSONL && format != RESULTS_FORMAT_CSV))
        return RESULTS_EINVAL;
    int rc = pick_scans(store, scan_name, stable, &s);
    if (rc < 0)
        goto done;
    if (format == RESULTS_FORMAT_CSV)
        results_buf_str(&o,
                        "domain,action,scan,ds,dnskey,stable_in,servers,key_tags,signer_key_tags,"
                        "signals,reason,server,key_tag,detail\n");
    rc = results_iter_new(store, s.all[s.picked[0]].name, &it);
    const results_record_t *rec = NULL;
    while (rc >= 0 && (rc = results_iter_next(it, &rec)) == 1) {
        if (rec->n_cds == 0 && rec->n_cds_servers == 0)
            continue;
        rc = one_domain(store, rec, &s, stable, format, &o, counts);
        if (rc >= 0 && o.len > 65536) {
            if (fwrite(o.data, 1, o.len, out) != o.len)
                rc = RESULTS_EIO;
            o.len = 0;
        }
    }
    if (rc >= 0 && o.failed)
        rc = RESULTS_ENOMEM;
    if (rc >= 0 && o.len && fwrite(o.data, 1, o.len, out) != o.len)
        rc = RESULTS_EIO;
    if (rc >= 0 && fflush(out) != 0)
        rc = RESULTS_EIO;
done:
    results_iter_free(it);
    results_scans_free(s.all, s.n_all);
    results_buf_free(&o);
    return rc < 0 ? rc : 0;
}
