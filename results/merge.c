/*
 * merge: unite shard stores (`dnssweep merge --db DIR SRC_DIR...`). Each source scan is copied
 * record by record (the encoded bytes, validated by a full decode first) into the scan of the
 * same name in the destination, created when absent. Scans of the same name from several shards
 * become one scan: the union of their domains.
 *
 * Shards: `dnssweep scan --shard K/N` begins its scan with options "shard=K/N". A merged scan's
 * options list the shards it holds with the start time of each shard's scan:
 * "shard=1@1795537619,3@1795537622/4". Merging refuses a shard count different from the
 * destination's, a sharded scan into an unsharded one of the same name (or the reverse), and a
 * shard K already merged from a scan that started at another time (another run of shard K:
 * overlapping shards). The same shard merged again is accepted and changes nothing.
 */
#include "results/internal.h"
#include "text/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct merge_meta {
    const results_scan_info_t *src;
    results_scan_meta_t meta; /* what the destination scan becomes */
    char *errdetail;          /* the destination store's, for a refusal */
    size_t errdetail_len;
};

/* The shards a scan holds: k[i] started at t[i]; n = 0 when the scan is not sharded. */
typedef struct shard_set {
    unsigned n;
    size_t count;
    unsigned *k;
    int64_t *t;
} shard_set_t;

static void shard_set_clear(shard_set_t *s)
{
    free(s->k);
    free(s->t);
    memset(s, 0, sizeof *s);
}

/* Parses the "shard=" word of options; a shard without "@T" started at default_t.
 * Returns 0 (also when there is none) or RESULTS_ECORRUPT / RESULTS_ENOMEM. */
static int shard_set_parse(const char *options, int64_t default_t, shard_set_t *out)
{
    memset(out, 0, sizeof *out);
    const char *p = options ? strstr(options, "shard=") : NULL;
    if (p && p != options && p[-1] != ' ')
        p = NULL;
    if (!p)
        return 0;
    p += 6;
    size_t cap = 1;
    for (const char *q = p; *q && *q != ' '; q++)
        cap += *q == ',';
    out->k = malloc(cap * sizeof *out->k);
    out->t = malloc(cap * sizeof *out->t);
    if (!out->k || !out->t) {
        shard_set_clear(out);
        return RESULTS_ENOMEM;
    }
    for (;;) {
        char *end;
        unsigned long k = strtoul(p, &end, 10);
        int64_t t = default_t;
        if (end == p || out->count == cap)
            goto bad;
        p = end;
        if (*p == '@') {
            t = strtoll(p + 1, &end, 10);
            if (end == p + 1)
                goto bad;
            p = end;
        }
        out->k[out->count] = (unsigned)k;
        out->t[out->count++] = t;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '/')
            goto bad;
        unsigned long n = strtoul(p + 1, &end, 10);
        if (end == p + 1 || n == 0 || (*end && *end != ' '))
            goto bad;
        out->n = (unsigned)n;
        for (size_t i = 0; i < out->count; i++)
            if (out->k[i] == 0 || out->k[i] > out->n)
                goto bad;
        return 0;
    }
bad:
    shard_set_clear(out);
    return RESULTS_ECORRUPT;
}

/* "shard=K@T,.../N" for the union of a and b (b's shards not in a appended). */
static char *shard_set_format(const shard_set_t *a, const shard_set_t *b)
{
    size_t len = 32 + (a->count + b->count) * 32;
    char *s = malloc(len);
    if (!s)
        return NULL;
    text_buf_t t;
    text_init(&t, s, len);
    text_put(&t, "shard=");
    bool first = true;
    for (int pass = 0; pass < 2; pass++) {
        const shard_set_t *x = pass ? b : a;
        for (size_t i = 0; i < x->count; i++) {
            bool dup = false;
            for (size_t j = 0; pass && j < a->count; j++)
                dup |= a->k[j] == x->k[i];
            if (dup)
                continue;
            text_printf(&t, "%s%u@%lld", first ? "" : ",", x->k[i], (long long)x->t[i]);
            first = false;
        }
    }
    text_printf(&t, "/%u", a->n ? a->n : b->n);
    return s;
}

/* Checks that src's shards may join dst's (see the top comment); on success *merged_options is
 * the destination's new options (malloc'ed; NULL when neither is sharded). */
static int shard_check(struct merge_meta *mm, char **merged_options)
{
    const results_scan_info_t *src = mm->src;
    shard_set_t a, b;
    *merged_options = NULL;
    int rc = shard_set_parse(mm->meta.options, mm->meta.started_at, &a);
    if (rc)
        return rc;
    if ((rc = shard_set_parse(src->options, src->started_at, &b)) != 0) {
        shard_set_clear(&a);
        return rc;
    }
    rc = RESULTS_EINVAL;
    if (!a.n && !b.n) {
        rc = 0;
        goto done;
    }
    if (!a.n || !b.n) {
        snprintf(mm->errdetail, mm->errdetail_len,
                 "scan %s: a sharded scan and an unsharded one of the same name overlap",
                 src->name);
        goto done;
    }
    if (a.n != b.n) {
        snprintf(mm->errdetail, mm->errdetail_len,
                 "scan %s: shards of %u and of %u: not shards of the same scan", src->name, a.n,
                 b.n);
        goto done;
    }
    for (size_t i = 0; i < b.count; i++)
        for (size_t j = 0; j < a.count; j++)
            if (a.k[j] == b.k[i] && a.t[j] != b.t[i]) {
                snprintf(mm->errdetail, mm->errdetail_len,
                         "scan %s: shard %u/%u is already merged from another run (started "
                         "%lld, this one %lld): overlapping shards",
                         src->name, b.k[i], b.n, (long long)a.t[j], (long long)b.t[i]);
                goto done;
            }
    rc = (*merged_options = shard_set_format(&a, &b)) ? 0 : RESULTS_ENOMEM;
done:
    shard_set_clear(&a);
    shard_set_clear(&b);
    return rc;
}

static char *dup_or_null(const char *s, bool *failed)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *failed = true;
    return d;
}

/* Creates the destination scan or widens its time span; replayable (results_write). */
static int merge_scan_meta(results_store_t *s, MDB_txn *txn, void *ctx)
{
    struct merge_meta *mm = ctx;
    const results_scan_info_t *src = mm->src;
    bool failed = false;
    results_scan_meta_clear(&mm->meta);
    int rc = results_scan_find(s, txn, src->name, &mm->meta, NULL);
    if (rc == RESULTS_ENOTFOUND) {
        memset(&mm->meta, 0, sizeof mm->meta);
        rc = results_alloc_scan_id(s, txn, &mm->meta.id);
        if (rc)
            return rc;
        mm->meta.started_at = src->started_at;
        mm->meta.finished_at = src->finished_at;
        mm->meta.finished = src->finished;
        mm->meta.input_desc = dup_or_null(src->input_desc, &failed);
        mm->meta.options = dup_or_null(src->options, &failed);
        mm->meta.settings = dup_or_null(src->settings, &failed);
        if (failed)
            return RESULTS_ENOMEM;
        /* A single shard's "shard=K/N" becomes "shard=K@T/N": its run is told apart. */
        shard_set_t none = {0}, b;
        if ((rc = shard_set_parse(src->options, src->started_at, &b)) != 0)
            return rc;
        if (b.n) {
            free(mm->meta.options);
            mm->meta.options = shard_set_format(&none, &b);
            shard_set_clear(&b);
            if (!mm->meta.options)
                return RESULTS_ENOMEM;
        }
    } else if (rc == 0) {
        char *options = NULL;
        if ((rc = shard_check(mm, &options)) != 0)
            return rc;
        if (options) {
            free(mm->meta.options);
            mm->meta.options = options;
        }
        /* The first part merged brings the settings; a part from before schema 3 has none. */
        if (!mm->meta.settings && src->settings &&
            !(mm->meta.settings = dup_or_null(src->settings, &failed)))
            return RESULTS_ENOMEM;
        /* One scan from several shards: it started with the first and ended with the last,
         * and is finished only when every shard is. */
        if (src->started_at < mm->meta.started_at)
            mm->meta.started_at = src->started_at;
        if (src->finished_at > mm->meta.finished_at)
            mm->meta.finished_at = src->finished_at;
        mm->meta.finished = mm->meta.finished && src->finished;
    } else {
        return rc;
    }
    return results_put_scan_meta(s, txn, src->name, &mm->meta);
}

/* Copies the records of one source scan into dst. */
static int merge_records(results_store_t *dst, results_store_t *src, const char *name,
                         uint64_t *copied)
{
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    results_scan_t *scan = NULL;
    results_arena_t *arena = NULL;
    results_scan_meta_t src_meta = {0};
    struct merge_meta mm = {0};
    results_scan_info_t info;
    uint8_t prefix[4];
    int rc, lrc;

    if ((rc = results_scan_lookup(src, name, &info)) < 0)
        return rc;
    mm.src = &info;
    mm.errdetail = dst->errdetail;
    mm.errdetail_len = sizeof dst->errdetail;
    rc = results_write(dst, merge_scan_meta, &mm);
    if (rc < 0)
        goto done;
    if ((rc = results_scan_attach(dst, name, &mm.meta, &scan)) < 0)
        goto done;
    rc = RESULTS_ENOMEM;
    if (!(arena = results_arena_new()))
        goto done;
    if ((rc = results_txn_begin(src, MDB_RDONLY, &txn)) < 0)
        goto done;
    if ((rc = results_scan_find(src, txn, name, &src_meta, NULL)) < 0)
        goto done;
    results_make_key(src_meta.id, "", prefix);
    if ((lrc = mdb_cursor_open(txn, src->dbi_records, &cur)) != 0) {
        rc = results_fail(src, "mdb_cursor_open", lrc);
        goto done;
    }
    MDB_val k = {sizeof prefix, prefix}, v;
    for (lrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); lrc == 0;
         lrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= 4 || k.mv_size >= RESULTS_KEY_MAX || memcmp(k.mv_data, prefix, 4) != 0)
            break;
        const char *domain = (const char *)k.mv_data + 4;
        results_record_t rec;
        results_arena_reset(arena);
        rc = results_decode_with(arena, domain, k.mv_size - 4, v.mv_data, v.mv_size, false, &rec);
        if (rc == 0)
            rc = results_scan_put_encoded(scan, domain, k.mv_size - 4, v.mv_data, v.mv_size, true);
        if (rc < 0)
            goto done;
        (*copied)++;
    }
    if (lrc != 0 && lrc != MDB_NOTFOUND) {
        rc = results_fail(src, "mdb_cursor_get", lrc);
        goto done;
    }
    rc = results_flush(scan);
done:
    if (cur)
        mdb_cursor_close(cur);
    if (txn)
        mdb_txn_abort(txn);
    if (scan) {
        int crc = results_scan_close(scan);
        if (rc == 0)
            rc = crc;
    }
    results_arena_free(arena);
    results_scan_meta_clear(&src_meta);
    results_scan_meta_clear(&mm.meta);
    results_scan_info_clear(&info);
    return rc;
}

int results_merge(results_store_t *store, const char *src_dir, uint64_t *records_copied)
{
    results_store_t *src = NULL;
    results_scan_info_t *list = NULL;
    size_t n = 0;
    uint64_t copied = 0;
    char a[PATH_MAX], b[PATH_MAX];
    if (records_copied)
        *records_copied = 0;
    if (!store || !src_dir)
        return RESULTS_EINVAL;
    if (store->flags & RESULTS_READONLY)
        return RESULTS_EREADONLY;
    store->errdetail[0] = '\0';
    if (realpath(src_dir, a) && realpath(store->dir, b) && strcmp(a, b) == 0) {
        snprintf(store->errdetail, sizeof store->errdetail, "%s is the destination store", src_dir);
        return RESULTS_EINVAL;
    }
    results_options_t o = {.errbuf = store->errdetail, .errbuf_size = sizeof store->errdetail};
    int rc = results_open_ex(src_dir, RESULTS_READONLY, &o, &src);
    if (rc < 0)
        return rc;
    rc = results_scans_list(src, &list, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = merge_records(store, src, list[i].name, &copied);
    if (rc < 0 && !store->errdetail[0])
        snprintf(store->errdetail, sizeof store->errdetail, "merging %s: %s", src_dir,
                 results_errdetail(src));
    results_scans_free(list, n);
    results_close(src);
    if (records_copied)
        *records_copied = copied;
    return rc;
}
