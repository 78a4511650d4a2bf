/*
 * Deleting a scan. The scan's entry goes first, in its own transaction, so the scan vanishes
 * from every listing at once; its records are then removed in chunks to keep each write
 * transaction small. Scan ids are never reused, so records orphaned by a crash between the two
 * steps are invisible and only cost space.
 */
#include "results/internal.h"

#include <stdlib.h>
#include <string.h>

enum { DELETE_CHUNK = 10000 };

struct delete_ctx {
    const char *name;
    uint32_t id;
    bool done;
    uint64_t deleted;
};

static int delete_entry(results_store_t *s, MDB_txn *txn, void *ctx)
{
    struct delete_ctx *dc = ctx;
    results_scan_meta_t meta;
    int rc = results_scan_find(s, txn, dc->name, &meta, NULL);
    if (rc < 0)
        return rc;
    dc->id = meta.id;
    results_scan_meta_clear(&meta);
    MDB_val k = {strlen(dc->name), (void *)dc->name};
    return mdb_del(txn, s->dbi_scans, &k, NULL);
}

static int delete_chunk(results_store_t *s, MDB_txn *txn, void *ctx)
{
    struct delete_ctx *dc = ctx;
    MDB_cursor *cur = NULL;
    uint8_t prefix[4];
    results_make_key(dc->id, "", prefix);
    MDB_val k = {sizeof prefix, prefix}, v;
    int rc = mdb_cursor_open(txn, s->dbi_records, &cur);
    if (rc)
        return rc;
    uint64_t n = 0;
    dc->done = false;
    /* Seek afresh after every delete: the cursor state after deleting the last entry of the
     * tree is not something to rely on. */
    for (; n < DELETE_CHUNK; n++) {
        k.mv_size = sizeof prefix;
        k.mv_data = prefix;
        if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE)) != 0)
            break;
        if (k.mv_size < 4 || memcmp(k.mv_data, prefix, 4) != 0)
            break;
        if ((rc = mdb_cursor_del(cur, 0)) != 0)
            break;
    }
    mdb_cursor_close(cur);
    if (rc == 0 || rc == MDB_NOTFOUND) {
        /* Stopped at another scan's key or at the end: nothing of this scan is left. */
        dc->done = n < DELETE_CHUNK;
        dc->deleted += n;
        return 0;
    }
    return rc;
}

int results_scan_delete(results_store_t *store, const char *name, uint64_t *records_deleted)
{
    struct delete_ctx dc = {.name = name};
    results_scan_info_t info;
    if (records_deleted)
        *records_deleted = 0;
    if (!store || !name)
        return RESULTS_EINVAL;
    if (store->flags & RESULTS_READONLY)
        return RESULTS_EREADONLY;
    /* Not under a writer's feet: take the scan's write lock for the whole deletion. */
    int rc = results_scan_lookup(store, name, &info);
    if (rc < 0)
        return rc;
    uint32_t id = info.seq;
    results_scan_info_clear(&info);
    if ((rc = results_scan_lock(store, id)) < 0)
        return rc;
    rc = results_write(store, delete_entry, &dc);
    while (rc == 0 && !dc.done)
        rc = results_write(store, delete_chunk, &dc);
    results_scan_unlock(store, id);
    if (records_deleted)
        *records_deleted = dc.deleted;
    return rc;
}

/* The scan ids the scans table names, sorted. */
struct live_ids {
    uint32_t *ids;
    size_t n;
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int load_live_ids(results_store_t *s, struct live_ids *live)
{
    results_scan_info_t *list = NULL;
    size_t n = 0;
    int rc = results_scans_list(s, &list, &n);
    if (rc < 0)
        return rc;
    live->n = 0;
    live->ids = malloc((n ? n : 1) * sizeof *live->ids);
    if (!live->ids) {
        results_scans_free(list, n);
        return RESULTS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        live->ids[live->n++] = list[i].seq;
    results_scans_free(list, n);
    qsort(live->ids, live->n, sizeof *live->ids, cmp_u32);
    return 0;
}

/* The scan id of the first record at or after scan id `from`: 1 and *id, or 0 at the end. */
static int next_record_id(results_store_t *s, uint32_t from, uint32_t *id)
{
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    uint8_t prefix[4];
    results_make_key(from, "", prefix);
    MDB_val k = {sizeof prefix, prefix}, v;
    int rc = results_txn_begin(s, MDB_RDONLY, &txn);
    if (rc < 0)
        return rc;
    int lrc = mdb_cursor_open(txn, s->dbi_records, &cur);
    if (!lrc)
        lrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    if (!lrc && k.mv_size < 4)
        lrc = MDB_CORRUPTED;
    if (!lrc) {
        const uint8_t *p = k.mv_data;
        *id = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        rc = 1;
    } else if (lrc == MDB_NOTFOUND) {
        rc = 0;
    } else {
        rc = results_fail(s, "walking records", lrc);
    }
    if (cur)
        mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int results_delete_orphans(results_store_t *s, uint64_t *removed)
{
    struct live_ids live = {0};
    *removed = 0;
    int rc = load_live_ids(s, &live);
    if (rc < 0)
        return rc;
    /* Hop from one scan's records to the next: one seek per scan id present, not per record. */
    uint32_t id = 0;
    for (;;) {
        rc = next_record_id(s, id, &id);
        if (rc <= 0)
            break;
        if (!bsearch(&id, live.ids, live.n, sizeof *live.ids, cmp_u32)) {
            struct delete_ctx dc = {.id = id};
            do
                rc = results_write(s, delete_chunk, &dc);
            while (rc == 0 && !dc.done);
            *removed += dc.deleted;
            if (rc < 0)
                break;
        }
        if (id == UINT32_MAX)
            break;
        id++;
    }
    free(live.ids);
    return rc < 0 ? rc : 0;
}
