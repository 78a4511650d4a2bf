/*
 * merge: unite shard stores (`dnssweep merge --db DIR SRC_DIR...`). Each source scan is copied
 * record by record (the encoded bytes, validated by a full decode first) into the scan of the
 * same name in the destination, created when absent. Scans of the same name from several shards
 * become one scan: the union of their domains.
 */
#include "results/internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct merge_meta {
    const results_scan_info_t *src;
    scan_meta_t meta; /* what the destination scan becomes */
};

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
    scan_meta_clear(&mm->meta);
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
        if (failed)
            return RESULTS_ENOMEM;
    } else if (rc == 0) {
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
    rarena_t *arena = NULL;
    scan_meta_t src_meta = {0};
    struct merge_meta mm = {0};
    results_scan_info_t info;
    uint8_t prefix[4];
    int rc, lrc;

    if ((rc = results_scan_lookup(src, name, &info)) < 0)
        return rc;
    mm.src = &info;
    rc = results_write(dst, merge_scan_meta, &mm);
    if (rc < 0)
        goto done;
    if ((rc = results_scan_attach(dst, name, &mm.meta, &scan)) < 0)
        goto done;
    rc = RESULTS_ENOMEM;
    if (!(arena = rarena_new()))
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
        rarena_reset(arena);
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
    rarena_free(arena);
    scan_meta_clear(&src_meta);
    scan_meta_clear(&mm.meta);
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
