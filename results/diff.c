/*
 * diff: a merge-join over two scans' records, both read in domain order from one snapshot
 * each. Only status, reasons, DS and DNSKEYs are decoded (summary iterators), so two 1M-domain
 * scans compare in seconds. Text output groups domains by change, so its sections are gathered in
 * memory and written after the summary table; JSON lines stream in domain order.
 */
#include "results/internal.h"

#include <string.h>
#include <strings.h>

static const char *const change_names[RESULTS_CHANGE_COUNT] = {
    "became_bogus",    "fixed",      "got_worse", "status_changed", "keys_changed",
    "reasons_changed", "new_domain", "gone",      "unchanged",
};

const char *results_change_name(results_change_t change)
{
    if ((unsigned)change >= RESULTS_CHANGE_COUNT)
        return NULL;
    return change_names[change];
}

int results_status_rank(verify_status_t status)
{
    switch (status) {
    case VERIFY_STATUS_SECURE:
        return 0;
    case VERIFY_STATUS_INSECURE:
        return 1;
    default:
        return 2;
    }
}

bool results_is_regression(verify_status_t old_status, verify_status_t new_status)
{
    if (new_status == VERIFY_STATUS_BOGUS && old_status != VERIFY_STATUS_BOGUS)
        return true;
    return results_status_rank(new_status) > results_status_rank(old_status);
}

/* Reason codes as a set: verdicts.md has fewer than 64 codes. */
static uint64_t reason_set(const results_record_t *r)
{
    _Static_assert(VERIFY_REASON_COUNT <= 64, "reason set needs a wider type");
    uint64_t set = 0;
    for (size_t i = 0; i < r->n_reasons; i++)
        set |= (uint64_t)1 << r->reasons[i].code;
    return set;
}

static bool ds_equal(const void *x, const void *y)
{
    const results_ds_t *a = x, *b = y;
    return a->key_tag == b->key_tag && a->algorithm == b->algorithm &&
           a->digest_type == b->digest_type &&
           (a->digest && b->digest ? strcasecmp(a->digest, b->digest) == 0
                                   : a->digest == b->digest);
}

static bool dnskey_equal(const void *x, const void *y)
{
    const results_dnskey_t *a = x, *b = y;
    return a->key_tag == b->key_tag && a->algorithm == b->algorithm && a->flags == b->flags &&
           a->bits == b->bits;
}

/* Every item of the array a (na items of size bytes) is, by equal, in the array b (nb items).
 * Quadratic, but a record holds a handful of keys (RESULTS_LIST_MAX at worst), and sorting would
 * need memory per domain. */
static bool subset(const void *a, size_t na, const void *b, size_t nb, size_t size,
                   bool (*equal)(const void *, const void *))
{
    for (size_t i = 0; i < na; i++) {
        size_t j = 0;
        while (j < nb && !equal((const char *)a + i * size, (const char *)b + j * size))
            j++;
        if (j == nb)
            return false;
    }
    return true;
}

static bool same_set(const void *a, size_t na, const void *b, size_t nb, size_t size,
                     bool (*equal)(const void *, const void *))
{
    return subset(a, na, b, nb, size, equal) && subset(b, nb, a, na, size, equal);
}

/* The DS set or the DNSKEY set differs (as sets: the order of arrival does not count). */
static bool keys_differ(const results_record_t *o, const results_record_t *n)
{
    return !same_set(o->parent.ds, o->parent.n_ds, n->parent.ds, n->parent.n_ds,
                     sizeof(results_ds_t), ds_equal) ||
           !same_set(o->dnskey, o->n_dnskey, n->dnskey, n->n_dnskey, sizeof(results_dnskey_t),
                     dnskey_equal);
}

static results_change_t classify(const results_record_t *o, const results_record_t *n)
{
    if (!o)
        return RESULTS_CHANGE_NEW_DOMAIN;
    if (!n)
        return RESULTS_CHANGE_GONE;
    if (n->status == VERIFY_STATUS_BOGUS && o->status != VERIFY_STATUS_BOGUS)
        return RESULTS_CHANGE_BECAME_BOGUS;
    int ro = results_status_rank(o->status), rn = results_status_rank(n->status);
    if (ro == 2 && rn < 2)
        return RESULTS_CHANGE_FIXED;
    if (rn > ro)
        return RESULTS_CHANGE_GOT_WORSE;
    if (o->status != n->status)
        return RESULTS_CHANGE_STATUS_CHANGED;
    if (keys_differ(o, n))
        return RESULTS_CHANGE_KEYS_CHANGED;
    if (reason_set(o) != reason_set(n))
        return RESULTS_CHANGE_REASONS_CHANGED;
    return RESULTS_CHANGE_UNCHANGED;
}

static void text_side_codes(results_buf_t *b, const results_record_t *r)
{
    results_buf_byte(b, '[');
    results_put_reason_names(b, r, ",");
    results_buf_byte(b, ']');
}

static void text_line(results_buf_t *b, const char *domain, const results_record_t *o,
                      const results_record_t *n)
{
    results_buf_str(b, "  ");
    results_buf_str(b, domain);
    results_buf_str(b, "  ");
    results_buf_str(b, o ? verify_status_name(o->status) : "(none)");
    results_buf_str(b, " -> ");
    results_buf_str(b, n ? verify_status_name(n->status) : "(none)");
    results_buf_str(b, "  ");
    text_side_codes(b, o);
    results_buf_str(b, " -> ");
    text_side_codes(b, n);
    results_buf_byte(b, '\n');
}

/* "DS [2371/13/2 ...] -> [...]  DNSKEY [41023/13/257 ...] -> [...]": what rolled. */
static void text_ds(results_buf_t *b, const results_record_t *r)
{
    results_buf_byte(b, '[');
    for (size_t i = 0; i < r->parent.n_ds; i++) {
        const results_ds_t *d = &r->parent.ds[i];
        if (i)
            results_buf_byte(b, ' ');
        results_put_key_triple(b, d->key_tag, d->algorithm, d->digest_type);
    }
    results_buf_byte(b, ']');
}

static void text_dnskey(results_buf_t *b, const results_record_t *r)
{
    results_buf_byte(b, '[');
    for (size_t i = 0; i < r->n_dnskey; i++) {
        if (i)
            results_buf_byte(b, ' ');
        results_put_key_triple(b, r->dnskey[i].key_tag, r->dnskey[i].algorithm, r->dnskey[i].flags);
    }
    results_buf_byte(b, ']');
}

static void text_keys_line(results_buf_t *b, const results_record_t *o, const results_record_t *n)
{
    results_buf_str(b, "    DS ");
    text_ds(b, o);
    results_buf_str(b, " -> ");
    text_ds(b, n);
    results_buf_str(b, "  DNSKEY ");
    text_dnskey(b, o);
    results_buf_str(b, " -> ");
    text_dnskey(b, n);
    results_buf_byte(b, '\n');
}

/* The DS and DNSKEY sets in the names of the export schema (cli.md). */
static void json_keys(results_buf_t *b, const results_record_t *r)
{
    results_buf_str(b, ",\"ds\":[");
    results_json_ds_list(b, r->parent.ds, r->parent.n_ds);
    results_buf_str(b, "],\"dnskey\":[");
    results_json_dnskey_list(b, r->dnskey, r->n_dnskey);
    results_buf_byte(b, ']');
}

static void json_side(results_buf_t *b, const results_record_t *r, bool keys)
{
    if (!r) {
        results_buf_str(b, "null");
        return;
    }
    results_json_field(b, "{\"status\":", verify_status_name(r->status));
    results_buf_str(b, ",\"reasons\":[");
    for (size_t i = 0; i < r->n_reasons; i++) {
        if (i)
            results_buf_byte(b, ',');
        results_json_str(b, verify_reason_name(r->reasons[i].code));
    }
    results_buf_byte(b, ']');
    if (keys)
        json_keys(b, r);
    results_buf_byte(b, '}');
}

/* The modes of the two scans when they differ (diff --force): every output says so. */
typedef struct diff_modes {
    bool differ;
    char old_mode[32], new_mode[32];
} diff_modes_t;

static void json_line(results_buf_t *b, const char *domain, const results_record_t *o,
                      const results_record_t *n, results_change_t change, const diff_modes_t *m)
{
    results_json_field(b, "{\"domain\":", domain);
    bool keys = change == RESULTS_CHANGE_KEYS_CHANGED;
    results_buf_str(b, ",\"old\":");
    json_side(b, o, keys);
    results_buf_str(b, ",\"new\":");
    json_side(b, n, keys);
    results_buf_str(b, ",\"change\":\"");
    results_buf_str(b, change_names[change]);
    results_buf_str(b, "\"");
    if (m->differ) {
        /* On every line: a consumer filtering by domain still sees it. */
        results_json_field(b, ",\"modes_differ\":{\"old\":", m->old_mode);
        results_json_field(b, ",\"new\":", m->new_mode);
        results_buf_str(b, "}");
    }
    results_buf_str(b, "}\n");
}

/* Both modes when both scans recorded one and they differ; a scan from before modes were
 * recorded compares with anything. */
static void diff_modes_of(results_store_t *store, const char *old_name, const char *new_name,
                          diff_modes_t *m)
{
    results_scan_info_t a, b;
    memset(m, 0, sizeof *m);
    if (results_scan_lookup(store, old_name, &a) != 0)
        return;
    if (results_scan_lookup(store, new_name, &b) == 0) {
        const char *x = results_settings_mode(a.settings, m->old_mode, sizeof m->old_mode);
        const char *y = results_settings_mode(b.settings, m->new_mode, sizeof m->new_mode);
        m->differ = x && y && strcmp(x, y) != 0;
        results_scan_info_clear(&b);
    }
    results_scan_info_clear(&a);
}

int results_diff_modes(results_store_t *store, const char *old_name, const char *new_name,
                       char old_mode[32], char new_mode[32])
{
    diff_modes_t m;
    diff_modes_of(store, old_name, new_name, &m);
    snprintf(old_mode, 32, "%s", m.old_mode);
    snprintf(new_mode, 32, "%s", m.new_mode);
    return m.differ;
}

static int write_buf(results_buf_t *b, FILE *out)
{
    if (b->failed)
        return RESULTS_ENOMEM;
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return RESULTS_EIO;
    b->len = 0;
    return RESULTS_OK;
}

static void text_summary(FILE *out, const char *old_name, const char *new_name,
                         const results_diff_counts_t *c, const diff_modes_t *m)
{
    uint64_t total = 0;
    fprintf(out, "diff %s -> %s\n", old_name, new_name);
    if (m->differ)
        fprintf(out,
                "WARNING: the modes differ: %s was scanned in %s mode, %s in %s mode; changes "
                "may come from the mode, not the domains\n",
                old_name, m->old_mode, new_name, m->new_mode);
    fprintf(out, "%-16s %10s\n", "change", "domains");
    for (int i = 0; i < RESULTS_CHANGE_COUNT; i++) {
        fprintf(out, "%-16s %10llu\n", change_names[i], (unsigned long long)c->by_change[i]);
        total += c->by_change[i];
    }
    fprintf(out, "%-16s %10llu\n%-16s %10llu\n", "total", (unsigned long long)total, "regressions",
            (unsigned long long)c->regressions);
}

int results_diff_walk(results_store_t *store, const char *old_name, const char *new_name,
                      bool summary_only, results_diff_cb cb, void *ctx,
                      results_diff_counts_t *counts)
{
    results_iter_t *io = NULL, *in = NULL;
    const results_record_t *o = NULL, *n = NULL;
    results_diff_counts_t c = {{0}, 0};
    int rc;
    if ((rc = results_iter_open(store, old_name, summary_only, &io)) < 0 ||
        (rc = results_iter_open(store, new_name, summary_only, &in)) < 0)
        goto done;
    if ((rc = results_iter_next(io, &o)) < 0 || (rc = results_iter_next(in, &n)) < 0)
        goto done;
    while (o || n) {
        int cmp = !o ? 1 : !n ? -1 : strcmp(o->domain, n->domain);
        const results_record_t *left = cmp <= 0 ? o : NULL, *right = cmp >= 0 ? n : NULL;
        results_change_t change = classify(left, right);
        c.by_change[change]++;
        if (change == RESULTS_CHANGE_BECAME_BOGUS || change == RESULTS_CHANGE_GOT_WORSE)
            c.regressions++;
        if (cb && (rc = cb(ctx, left ? left->domain : right->domain, left, right, change)) < 0)
            goto done;
        /* Advance after the callback: the records live in the iterators' arenas. */
        if (left && (rc = results_iter_next(io, &o)) < 0)
            goto done;
        if (right && (rc = results_iter_next(in, &n)) < 0)
            goto done;
    }
    rc = RESULTS_OK;
    if (counts)
        *counts = c;
done:
    results_iter_free(io);
    results_iter_free(in);
    return rc;
}

struct diff_out {
    results_format_t format;
    bool all;
    FILE *out;
    results_buf_t sections[RESULTS_CHANGE_COUNT]; /* text and html: lines grouped by change */
    results_buf_t stream;                         /* jsonl: written as it comes */
    diff_modes_t modes;
};

static int diff_line(void *ctx, const char *domain, const results_record_t *o,
                     const results_record_t *n, results_change_t change)
{
    struct diff_out *d = ctx;
    if (!d->all && change == RESULTS_CHANGE_UNCHANGED)
        return RESULTS_OK;
    switch (d->format) {
    case RESULTS_FORMAT_TEXT:
        text_line(&d->sections[change], domain, o, n);
        if (change == RESULTS_CHANGE_KEYS_CHANGED)
            text_keys_line(&d->sections[change], o, n);
        break;
    case RESULTS_FORMAT_HTML:
        if (change == RESULTS_CHANGE_KEYS_CHANGED)
            results_html_keys_row(&d->sections[change], domain, o, n);
        else
            results_html_diff_row(&d->sections[change], domain, o, n);
        break;
    default:
        json_line(&d->stream, domain, o, n, change, &d->modes);
        if (d->stream.len >= 65536)
            return write_buf(&d->stream, d->out);
        break;
    }
    return d->sections[change].failed ? RESULTS_ENOMEM : RESULTS_OK;
}

int results_diff(results_store_t *store, const char *old_name, const char *new_name,
                 results_format_t format, bool all, FILE *out, results_diff_counts_t *counts)
{
    struct diff_out d = {.format = format, .all = all, .out = out};
    results_diff_counts_t c;
    if (!store || !old_name || !new_name || !out ||
        (format != RESULTS_FORMAT_TEXT && format != RESULTS_FORMAT_JSONL &&
         format != RESULTS_FORMAT_HTML))
        return RESULTS_EINVAL;
    diff_modes_of(store, old_name, new_name, &d.modes);
    if (format == RESULTS_FORMAT_JSONL && d.modes.differ) {
        /* First, so that the output says it even when no domain changed. */
        results_buf_str(&d.stream, "{\"modes_differ\":{\"old\":");
        results_json_str(&d.stream, d.modes.old_mode);
        results_buf_str(&d.stream, ",\"new\":");
        results_json_str(&d.stream, d.modes.new_mode);
        results_buf_str(&d.stream, "}}\n");
    }
    int rc = results_diff_walk(store, old_name, new_name, true, diff_line, &d, &c);
    if (rc < 0)
        goto done;
    if (format == RESULTS_FORMAT_JSONL) {
        rc = write_buf(&d.stream, out);
    } else if (format == RESULTS_FORMAT_HTML) {
        char notice[200] = "";
        if (d.modes.differ)
            snprintf(notice, sizeof notice,
                     "The modes differ: the old scan was scanned in %s mode, the new one in %s "
                     "mode; changes may come from the mode, not the domains.",
                     d.modes.old_mode, d.modes.new_mode);
        rc = results_html_diff(out, old_name, new_name, &c, d.sections, notice[0] ? notice : NULL);
    } else {
        text_summary(out, old_name, new_name, &c, &d.modes);
        for (int i = 0; i < RESULTS_CHANGE_COUNT && rc == 0; i++) {
            if (!d.sections[i].len && !d.sections[i].failed)
                continue;
            fprintf(out, "\n== %s (%llu) ==\n", change_names[i],
                    (unsigned long long)c.by_change[i]);
            rc = write_buf(&d.sections[i], out);
        }
    }
    if (rc == 0 && fflush(out) != 0)
        rc = RESULTS_EIO;
    if (rc == 0 && counts)
        *counts = c;
done:
    for (int i = 0; i < RESULTS_CHANGE_COUNT; i++)
        results_buf_free(&d.sections[i]);
    results_buf_free(&d.stream);
    return rc;
}
