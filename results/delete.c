/*
 * Deleting a scan. The scan's entry goes first, in its own transaction, so the scan vanishes
 * from every listing at once; its records are then removed in chunks to keep each write
 * transaction small. Scan ids are never reused, so records orphaned by a crash between the two
 * steps are invisible and only cost space.
 */
#include "results/internal.h"

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
    scan_meta_t meta;
    int rc = results_scan_find(s, txn, dc->name, &meta, NULL);
    if (rc < 0)
        return rc;
    dc->id = meta.id;
    scan_meta_clear(&meta);
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
