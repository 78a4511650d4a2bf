/*
 * The LMDB environment: opening, schema check, error translation, growing the map.
 *
 * Layout: three named databases in one environment.
 *   meta     "schema" -> u32 LE schema version; "next_scan_id" -> u32 LE
 *   scans    scan name -> results_scan_meta (codec.c)
 *   records  be32 scan id || domain -> encoded record (codec.c)
 * The big-endian scan id prefix keeps each scan's records together and in domain byte order,
 * which is what iteration, export and the diff merge-join walk.
 */
#include "results/internal.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define DEFAULT_MAP_SIZE ((size_t)64 << 20)

/* The text of each RESULTS_E* code; other negative values are -errno. */
static const text_code_t results_errors[] = {
    {RESULTS_OK, "success"},
    {RESULTS_ENOMEM, "out of memory"},
    {RESULTS_EINVAL, "invalid argument"},
    {RESULTS_EIO, "input/output error in the results store (disk full or failing?); committed "
                  "results are intact"},
    {RESULTS_EACCES,
     "permission denied: the results store directory or its files are not writable"},
    {RESULTS_ENOSPC,
     "no space left on device for the results store (committed results are intact)"},
    {RESULTS_ESCHEMA,
     "the results store was written by a newer dnssweep, or is not a dnssweep store"},
    {RESULTS_EEXIST, "a scan of that name already exists (use --resume or another --scan name)"},
    {RESULTS_ENOTFOUND, "not found"},
    {RESULTS_ECORRUPT, "a stored record is malformed (store damaged?)"},
    {RESULTS_EFINISHED, "the scan is already finished"},
    {RESULTS_EREADONLY, "the results store is open read-only"},
    {RESULTS_EBUSY, "another dnssweep process is writing this scan"},
    {RESULTS_ENFILE,
     "too many open files: raise the open-file limit (ulimit -n); committed results are intact"},
    {RESULTS_EINUSE, "the results store is in use: a prune waits for no process to be writing it, "
                     "and a writer for the prune to end; try again when the other process is done"},
    {RESULTS_EREMOTE,
     "the results store is on a network filesystem, where LMDB does not work: use a local disk"},
};

const char *results_strerror(int err)
{
    return text_strerror(results_errors, sizeof results_errors / sizeof results_errors[0], err,
                         "unknown results error");
}

const char *results_errdetail(const results_store_t *store)
{
    return store ? store->errdetail : "";
}

int results_rc_from(int rc)
{
    switch (rc) {
    case 0:
        return RESULTS_OK;
    case ENOMEM:
        return RESULTS_ENOMEM;
    case EACCES:
    case EPERM:
    case EROFS:
        return RESULTS_EACCES;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return RESULTS_ENOSPC;
    case ENOENT:
    case MDB_NOTFOUND:
        return RESULTS_ENOTFOUND;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
        return RESULTS_ECORRUPT;
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
        return RESULTS_ESCHEMA;
    case EMFILE:
    case ENFILE:
        return RESULTS_ENFILE;
    }
    return RESULTS_EIO;
}

/* A RESULTS_E* code (already explained), not one of LMDB's own negative codes. */
static bool results_own_error(int rc)
{
    return rc < 0 && (rc < MDB_KEYEXIST || rc > MDB_LAST_ERRCODE);
}

/* LMDB turns a short write into EIO, which is what a full disk usually gives: look at the free
 * space to tell the user which it is. */
static bool disk_nearly_full(const results_store_t *s)
{
    struct statvfs vfs;
    if (!s || statvfs(s->dir, &vfs) != 0)
        return false;
    return (uint64_t)vfs.f_bavail * vfs.f_frsize < ((uint64_t)16 << 20);
}

int results_fail(results_store_t *s, const char *what, int rc)
{
    if (rc == EIO && disk_nearly_full(s))
        rc = ENOSPC;
    if (s)
        snprintf(s->errdetail, sizeof s->errdetail, "%s: %s", what, mdb_strerror(rc));
    if (rc > 0)
        errno = rc;
    return results_rc_from(rc);
}

int results_txn_begin(results_store_t *s, unsigned flags, MDB_txn **txn)
{
    int rc = 0;
    for (int tries = 0; tries < 4; tries++) {
        rc = mdb_txn_begin(s->env, NULL, flags, txn);
        if (rc != MDB_MAP_RESIZED)
            break;
        /* Another process grew the map: adopt its size (no transaction of ours is active). */
        rc = mdb_env_set_mapsize(s->env, 0);
        if (rc)
            break;
    }
    if (rc)
        return results_fail(s, "mdb_txn_begin", rc);
    return RESULTS_OK;
}

/* Doubles the map. Every transaction of this handle must be closed or reset (LMDB remaps). */
static int grow_map(results_store_t *s)
{
    MDB_envinfo info;
    int rc = mdb_env_info(s->env, &info);
    if (rc)
        return results_fail(s, "mdb_env_info", rc);
    if (info.me_mapsize > SIZE_MAX / 2)
        return results_fail(s, "growing the map", ENOSPC);
    rc = mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
    if (rc)
        return results_fail(s, "mdb_env_set_mapsize", rc);
    return RESULTS_OK;
}

int results_write(results_store_t *s, results_write_fn fn, void *ctx)
{
    if (s->flags & RESULTS_READONLY)
        return RESULTS_EREADONLY;
    for (;;) {
        MDB_txn *txn = NULL;
        int rc = results_txn_begin(s, 0, &txn);
        if (rc < 0)
            return rc;
        int lrc = fn(s, txn, ctx);
        if (lrc == 0) {
            lrc = mdb_txn_commit(txn); /* frees txn whatever the outcome */
            txn = NULL;
            if (lrc && lrc != MDB_MAP_FULL)
                return results_fail(s, "mdb_txn_commit", lrc);
        }
        if (txn)
            mdb_txn_abort(txn);
        if (lrc == 0)
            return RESULTS_OK;
        if (results_own_error(lrc))
            return lrc; /* a RESULTS_E* from fn, already explained */
        if (lrc != MDB_MAP_FULL)
            return results_fail(s, "mdb_put", lrc);
        /* Map full: nothing of this transaction is kept, so grow and run it again. */
        rc = grow_map(s);
        if (rc < 0)
            return rc;
    }
}

size_t results_make_key(uint32_t scan_id, const char *domain, uint8_t *buf)
{
    size_t n = strlen(domain);
    buf[0] = (uint8_t)(scan_id >> 24);
    buf[1] = (uint8_t)(scan_id >> 16);
    buf[2] = (uint8_t)(scan_id >> 8);
    buf[3] = (uint8_t)scan_id;
    memcpy(buf + 4, domain, n);
    return 4 + n;
}

int results_meta_get_u32(MDB_txn *txn, MDB_dbi dbi, const char *key, uint32_t *out)
{
    MDB_val k = {strlen(key), (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc)
        return rc;
    if (v.mv_size != 4)
        return MDB_CORRUPTED;
    const uint8_t *p = v.mv_data;
    *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return 0;
}

int results_meta_put_u32(MDB_txn *txn, MDB_dbi dbi, const char *key, uint32_t value)
{
    uint8_t b[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16),
                    (uint8_t)(value >> 24)};
    MDB_val k = {strlen(key), (void *)key}, v = {4, b};
    return mdb_put(txn, dbi, &k, &v, 0);
}

/* Opens the three databases and checks (or, in a new store, writes) the schema version. */
static int open_dbis(results_store_t *s, MDB_txn *txn, void *ctx)
{
    (void)ctx;
    unsigned create = (s->flags & RESULTS_READONLY) ? 0 : MDB_CREATE;
    int rc = mdb_dbi_open(txn, "meta", 0, &s->dbi_meta);
    if (rc == MDB_NOTFOUND && create) {
        /* A new store is an empty environment: never add our tables to someone else's. */
        MDB_stat st;
        MDB_dbi main_dbi;
        if ((rc = mdb_dbi_open(txn, NULL, 0, &main_dbi)) != 0 ||
            (rc = mdb_stat(txn, main_dbi, &st)) != 0)
            return rc;
        if (st.ms_entries) {
            snprintf(s->errdetail, sizeof s->errdetail,
                     "%s is an LMDB environment of another program", s->dir);
            return RESULTS_ESCHEMA;
        }
        rc = mdb_dbi_open(txn, "meta", create, &s->dbi_meta);
    }
    if (rc == MDB_NOTFOUND) {
        /* An empty environment is a store whose first writer stopped before writing anything
         * (e.g. out of file descriptors): no results yet, not someone else's data. */
        MDB_stat st;
        MDB_dbi main_dbi;
        if (mdb_dbi_open(txn, NULL, 0, &main_dbi) == 0 && mdb_stat(txn, main_dbi, &st) == 0 &&
            st.ms_entries == 0) {
            snprintf(s->errdetail, sizeof s->errdetail, "no results in %s yet (empty store)",
                     s->dir);
            return RESULTS_ENOTFOUND;
        }
        snprintf(s->errdetail, sizeof s->errdetail, "%s holds no dnssweep results", s->dir);
        return RESULTS_ESCHEMA;
    }
    if (!rc)
        rc = mdb_dbi_open(txn, "scans", create, &s->dbi_scans);
    if (!rc)
        rc = mdb_dbi_open(txn, "records", create, &s->dbi_records);
    if (rc)
        return rc == MDB_NOTFOUND ? RESULTS_ESCHEMA : rc;
    uint32_t version = 0;
    rc = results_meta_get_u32(txn, s->dbi_meta, "schema", &version);
    if (rc == MDB_NOTFOUND && create)
        return results_meta_put_u32(txn, s->dbi_meta, "schema", RESULTS_SCHEMA_VERSION);
    if (rc == MDB_NOTFOUND) {
        snprintf(s->errdetail, sizeof s->errdetail, "%s holds no dnssweep results", s->dir);
        return RESULTS_ESCHEMA;
    }
    if (rc)
        return rc;
    /* Schema 1 is schema 2 without the zone-file flag, schema 2 is schema 3 without the
     * scans' stored settings, and schema 3 is schema 4 without the records' extension blocks
     * (codec.c): all are readable as they are; marked 4 when written. */
    bool older = version >= 1 && version < RESULTS_SCHEMA_VERSION;
    if (older && !(s->flags & RESULTS_READONLY))
        return results_meta_put_u32(txn, s->dbi_meta, "schema", RESULTS_SCHEMA_VERSION);
    if (older)
        return 0;
    if (version != RESULTS_SCHEMA_VERSION) {
        snprintf(s->errdetail, sizeof s->errdetail,
                 "%s uses results schema %u; this dnssweep reads schema %d: %s", s->dir, version,
                 RESULTS_SCHEMA_VERSION,
                 version > RESULTS_SCHEMA_VERSION ? "upgrade dnssweep" : "store too old");
        return RESULTS_ESCHEMA;
    }
    return 0;
}

static int env_open(results_store_t *s, unsigned extra_flags)
{
    unsigned flags = MDB_NOSYNC | MDB_NOTLS | extra_flags;
    if (s->flags & RESULTS_READONLY)
        flags |= MDB_RDONLY;
    int rc = mdb_env_create(&s->env);
    if (rc)
        return rc;
    rc = mdb_env_set_maxdbs(s->env, 4);
    /* A reader keeps the size recorded in the store; a writer asks for at least opts.map_size
     * (LMDB never shrinks below what the file holds). */
    if (!rc && !(s->flags & RESULTS_READONLY))
        rc = mdb_env_set_mapsize(s->env, s->opts.map_size);
    if (!rc)
        rc = mdb_env_open(s->env, s->dir, flags, 0644);
    if (rc) {
        mdb_env_close(s->env);
        s->env = NULL;
    }
    return rc;
}

static void open_error(const results_options_t *opts, const results_store_t *s)
{
    if (opts && opts->errbuf && opts->errbuf_size)
        snprintf(opts->errbuf, opts->errbuf_size, "%s", s->errdetail);
}

int results_open_ex(const char *dir, int flags, const results_options_t *opts,
                    results_store_t **out)
{
    int rc = RESULTS_ENOMEM, saved_errno = 0;
    results_store_t *s = NULL;
    if (!out || !dir || !*dir) {
        rc = RESULTS_EINVAL;
        goto fail;
    }
    *out = NULL;
    s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir)))
        goto fail;
    s->flags = flags;
    s->lock_fd = -1;
    if (opts)
        s->opts = *opts;
    s->opts.errbuf = NULL;
    if (!s->opts.map_size)
        s->opts.map_size = DEFAULT_MAP_SIZE;
    if (!s->opts.batch_records)
        s->opts.batch_records = 1000;
    if (!s->opts.batch_ms)
        s->opts.batch_ms = 1000;
    if (!s->opts.sync_ms)
        s->opts.sync_ms = 5000;

    char path[4096];
    struct stat st;
    rc = results_fs_check(dir, s->errdetail, sizeof s->errdetail);
    if (rc < 0)
        goto fail;
    if (flags & RESULTS_READONLY) {
        snprintf(path, sizeof path, "%s/data.mdb", dir);
        if (stat(path, &st) == 0 && st.st_size == 0) {
            /* Its writer stopped inside mdb_env_open(): nothing was ever stored. */
            snprintf(s->errdetail, sizeof s->errdetail, "no results in %s yet (empty store)", dir);
            rc = RESULTS_ENOTFOUND;
            goto fail;
        }
        if (stat(path, &st) != 0) {
            saved_errno = errno;
            snprintf(s->errdetail, sizeof s->errdetail, "no results store at %s: %s", dir,
                     strerror(saved_errno));
            rc = saved_errno == ENOENT ? RESULTS_ENOTFOUND : results_rc_from(saved_errno);
            goto fail;
        }
    } else if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        saved_errno = errno;
        snprintf(s->errdetail, sizeof s->errdetail, "cannot create directory %s: %s", dir,
                 strerror(saved_errno));
        rc = results_rc_from(saved_errno);
        goto fail;
    }

    /* Hold the directory generation while LMDB opens its two files (generation.c). A reader
     * that cannot lock (e.g. an odd filesystem) still opens: there is no prune there either. */
    int gen_fd = -1;
    int grc = results_gen_enter(dir, false, 30000, &gen_fd);
    if (grc && !(flags & RESULTS_READONLY)) {
        snprintf(s->errdetail, sizeof s->errdetail, "cannot lock directory %s: %s", dir,
                 strerror(grc));
        rc = grc == EWOULDBLOCK ? RESULTS_EINUSE : results_rc_from(grc);
        goto fail;
    }
    if (!(flags & RESULTS_READONLY) &&
        (rc = results_store_claim(s, (flags & RESULTS_OPEN_EXCLUSIVE_) != 0)) < 0) {
        results_gen_leave(gen_fd);
        goto fail;
    }
    int lrc = env_open(s, 0);
    if ((lrc == EACCES || lrc == EROFS) && (flags & RESULTS_READONLY))
        lrc = env_open(s, MDB_NOLOCK); /* read-only media: no lock file can be made */
    results_gen_leave(gen_fd);
    if (lrc) {
        saved_errno = lrc > 0 ? lrc : 0;
        snprintf(s->errdetail, sizeof s->errdetail, "cannot open results store %s: %s", dir,
                 mdb_strerror(lrc));
        rc = results_rc_from(lrc);
        goto fail;
    }
    /* A process killed inside a read transaction leaves its reader slot behind, pinning old
     * pages so the file would grow forever: clear such slots now. */
    int dead = 0;
    mdb_reader_check(s->env, &dead);
    if (flags & RESULTS_READONLY) {
        MDB_txn *txn = NULL;
        rc = results_txn_begin(s, MDB_RDONLY, &txn);
        if (rc < 0)
            goto fail;
        lrc = open_dbis(s, txn, NULL);
        /* Committing (not aborting) the read transaction keeps the DBI handles for the env. */
        if (lrc == 0)
            lrc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
        if (lrc) {
            rc = results_own_error(lrc) ? lrc : results_fail(s, "opening databases", lrc);
            saved_errno = lrc > 0 ? lrc : 0;
            goto fail;
        }
    } else {
        /* results_write() grows the map and retries, so a tiny initial map works too. */
        s->flags &= ~RESULTS_READONLY;
        rc = results_write(s, open_dbis, NULL);
        if (rc < 0) {
            saved_errno = errno;
            goto fail;
        }
    }
    *out = s;
    return RESULTS_OK;

fail:
    if (s) {
        open_error(opts, s);
        if (s->env)
            mdb_env_close(s->env);
        if (s->lock_fd >= 0)
            close(s->lock_fd);
        free(s->dir);
        free(s);
    }
    errno = saved_errno;
    return rc;
}

int results_open(const char *dir, int flags, results_store_t **out)
{
    return results_open_ex(dir, flags, NULL, out);
}

void results_close(results_store_t *store)
{
    if (!store)
        return;
    if (!(store->flags & RESULTS_READONLY))
        mdb_env_sync(store->env, 1);
    mdb_env_close(store->env);
    if (store->lock_fd >= 0)
        close(store->lock_fd);
    free(store->dir);
    free(store);
}

int results_scan_lock(results_store_t *s, uint32_t id)
{
    if (s->lock_fd < 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/writers.lock", s->dir);
        s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (s->lock_fd < 0)
            return results_fail(s, "opening writers.lock", errno);
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = id, .l_len = 1};
    if (fcntl(s->lock_fd, F_OFD_SETLK, &fl) == 0)
        return RESULTS_OK;
    if (errno == EAGAIN || errno == EACCES)
        return RESULTS_EBUSY;
    return results_fail(s, "locking a scan", errno);
}

void results_scan_unlock(results_store_t *s, uint32_t id)
{
    struct flock fl = {.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = id, .l_len = 1};
    if (s->lock_fd >= 0)
        fcntl(s->lock_fd, F_OFD_SETLK, &fl);
}

/* Reads the scans table: the named scan, or the latest started (optionally unfinished) one. */
int results_scan_find_ex(results_store_t *s, MDB_txn *txn, const char *name, bool unfinished_only,
                         results_scan_meta_t *meta, char **name_out)
{
    int rc;
    MDB_val k, v;
    if (name_out)
        *name_out = NULL;
    if (name) {
        k.mv_size = strlen(name);
        k.mv_data = (void *)name;
        if (k.mv_size == 0 || k.mv_size > RESULTS_SCAN_NAME_MAX)
            return RESULTS_ENOTFOUND;
        rc = mdb_get(txn, s->dbi_scans, &k, &v);
        if (rc)
            return rc == MDB_NOTFOUND ? RESULTS_ENOTFOUND : results_fail(s, "mdb_get", rc);
        rc = results_scan_meta_decode(v.mv_data, v.mv_size, meta);
        if (rc == 0 && name_out && !(*name_out = strdup(name))) {
            results_scan_meta_clear(meta);
            rc = RESULTS_ENOMEM;
        }
        return rc;
    }
    /* Few scans per store: a walk over the table is cheap and needs no second index. */
    MDB_cursor *cur = NULL;
    rc = mdb_cursor_open(txn, s->dbi_scans, &cur);
    if (rc)
        return results_fail(s, "mdb_cursor_open", rc);
    MDB_val best_k = {0, NULL};
    uint32_t best_id = 0;
    bool found = false;
    int ret = RESULTS_OK;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        results_scan_meta_t m;
        ret = results_scan_meta_decode(v.mv_data, v.mv_size, &m);
        if (ret < 0)
            break;
        if ((!unfinished_only || !m.finished) && (!found || m.id > best_id)) {
            found = true;
            best_id = m.id;
            best_k = k;
        }
        results_scan_meta_clear(&m);
    }
    mdb_cursor_close(cur);
    if (ret < 0)
        return ret;
    if (rc != MDB_NOTFOUND)
        return results_fail(s, "mdb_cursor_get", rc);
    if (!found)
        return RESULTS_ENOTFOUND;
    char *copy = malloc(best_k.mv_size + 1);
    if (!copy)
        return RESULTS_ENOMEM;
    memcpy(copy, best_k.mv_data, best_k.mv_size);
    copy[best_k.mv_size] = '\0';
    ret = results_scan_find_ex(s, txn, copy, false, meta, NULL);
    if (ret == 0 && name_out)
        *name_out = copy;
    else
        free(copy);
    return ret;
}

int results_scan_find(results_store_t *s, MDB_txn *txn, const char *name, results_scan_meta_t *meta,
                      char **name_out)
{
    return results_scan_find_ex(s, txn, name, false, meta, name_out);
}
