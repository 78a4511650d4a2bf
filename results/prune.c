/*
 * `dnssweep prune`: drop old scans and give the space back.
 *
 * LMDB never shrinks its file: deleted pages only go to the freelist. So prune deletes in place
 * (the scans' entries in one transaction, which is the instant the store changes for every
 * reader, then their records in chunks, invisible already), writes a compacted copy of the
 * result next to the store, and exchanges the two directories in one rename. Each step leaves
 * a store that opens: before the entries' commit the old scans, after it the kept ones, and the
 * file on disk is the old big one until the exchange and the compact one after it. Why readers
 * and writers cannot straddle the exchange: generation.c.
 */
#include "results/internal.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files an LMDB store directory holds; a DIR.prune with anything else is not ours. */
static const char *const store_files[] = {"data.mdb", "lock.mdb", "writers.lock"};

__attribute__((format(printf, 2, 3))) static void detail(const results_prune_opts_t *o,
                                                         const char *fmt, ...)
{
    if (!o->errbuf || !o->errbuf_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->errbuf, o->errbuf_size, fmt, ap);
    va_end(ap);
}

static uint64_t file_size(const char *dir)
{
    char path[PATH_MAX + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Removes a generation directory (a killed prune's partial copy, or the old generation after
 * the exchange). Only a store's own files are removed: anything else stops it. */
static int remove_generation(const char *tmp, const results_prune_opts_t *o)
{
    char path[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof store_files / sizeof store_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, store_files[i]);
        if (unlink(path) != 0 && errno != ENOENT) {
            int e = errno;
            detail(o, "cannot remove %s: %s", path, strerror(e));
            return results_rc_from(e);
        }
    }
    if (rmdir(tmp) != 0 && errno != ENOENT) {
        int e = errno;
        detail(o, "cannot remove %s (%s): move it away; prune works in this directory", tmp,
               strerror(e));
        return e == ENOTEMPTY || e == EEXIST || e == ENOTDIR ? RESULTS_EINVAL : results_rc_from(e);
    }
    return 0;
}

static int sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    return rc;
}

/* The parent directory of path (an absolute path without a trailing slash) into buf. */
static void parent_of(const char *path, char *buf, size_t len)
{
    snprintf(buf, len, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash == buf)
        buf[1] = '\0';
    else if (slash)
        *slash = '\0';
}

static int cmp_seq(const void *a, const void *b)
{
    const results_scan_info_t *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct drop_ctx {
    results_scan_info_t *list;
    const bool *drop;
    size_t n;
};

/* One transaction for every dropped entry: the store lists the kept scans from its commit on. */
static int drop_entries(results_store_t *s, MDB_txn *txn, void *ctx)
{
    const struct drop_ctx *dc = ctx;
    for (size_t i = 0; i < dc->n; i++) {
        if (!dc->drop[i])
            continue;
        MDB_val k = {strlen(dc->list[i].name), dc->list[i].name};
        int rc = mdb_del(txn, s->dbi_scans, &k, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/* Marks what the rule drops; returns the index of the latest finished scan it spared, or -1. */
static long select_drops(const results_prune_opts_t *o, const results_scan_info_t *list, size_t n,
                         bool *drop)
{
    long latest_finished = -1;
    for (size_t i = 0; i < n; i++) {
        if (list[i].finished)
            latest_finished = (long)i;
        if (o->keep)
            drop[i] = n - i > o->keep;
        else
            drop[i] = list[i].started_at < o->before;
    }
    if (latest_finished >= 0 && drop[latest_finished]) {
        drop[latest_finished] = false;
        return latest_finished;
    }
    return -1;
}

static int fill_report(results_prune_report_t *r, const results_scan_info_t *list, size_t n,
                       const bool *drop, long spared)
{
    r->dropped = calloc(n ? n : 1, sizeof *r->dropped);
    if (!r->dropped)
        return RESULTS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!drop[i]) {
            r->n_kept++;
            continue;
        }
        if (!(r->dropped[r->n_dropped] = strdup(list[i].name)))
            return RESULTS_ENOMEM;
        r->n_dropped++;
    }
    if (spared >= 0 && !(r->kept_latest_finished = strdup(list[spared].name)))
        return RESULTS_ENOMEM;
    return 0;
}

/* Pages in the file beyond what the databases use (LMDB's freelist, records of dropped scans):
 * what a compacting copy gives back. */
static int store_slack_pages(results_store_t *st, uint64_t *slack)
{
    MDB_txn *txn = NULL;
    MDB_envinfo info;
    MDB_stat ms;
    uint64_t used = 2; /* the two meta pages */
    int rc = results_txn_begin(st, MDB_RDONLY, &txn);
    if (rc < 0)
        return rc;
    MDB_dbi dbis[] = {0 /* main: the names of the others */, st->dbi_meta, st->dbi_scans,
                      st->dbi_records};
    int lrc = mdb_env_info(st->env, &info);
    for (size_t i = 0; !lrc && i < sizeof dbis / sizeof dbis[0]; i++)
        if (!(lrc = mdb_stat(txn, dbis[i], &ms)))
            used += ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages;
    mdb_txn_abort(txn);
    if (lrc)
        return results_fail(st, "mdb_stat", lrc);
    uint64_t in_file = (uint64_t)info.me_last_pgno + 1;
    *slack = in_file > used ? in_file - used : 0;
    return 0;
}

/* Copies the store compacted into tmp and makes the copy durable before it can be swapped in. */
static int write_compact_copy(results_store_t *st, const char *tmp, const results_prune_opts_t *o)
{
    char path[PATH_MAX + 16];
    if (mkdir(tmp, 0777) != 0) {
        int e = errno;
        detail(o, "cannot create %s: %s", tmp, strerror(e));
        return results_rc_from(e);
    }
    int lrc = mdb_env_copy2(st->env, tmp, MDB_CP_COMPACT);
    if (lrc) {
        detail(o, "compacting copy into %s failed: %s", tmp, mdb_strerror(lrc));
        return lrc > 0 ? results_rc_from(lrc) : RESULTS_EIO;
    }
    /* The store runs with MDB_NOSYNC, so mdb_env_copy2 did not sync: an exchange of directories
     * must never publish a data file that a power cut could leave half written. */
    snprintf(path, sizeof path, "%s/data.mdb", tmp);
    int e = sync_path(path, O_RDONLY);
    if (!e)
        e = sync_path(tmp, O_RDONLY | O_DIRECTORY);
    if (e) {
        detail(o, "syncing %s: %s", tmp, strerror(e));
        return results_rc_from(e);
    }
    return 0;
}

/* The instant of the swap: DIR becomes the compact copy, DIR.prune the old generation. */
static int exchange(const char *real, const char *tmp, const results_prune_opts_t *o)
{
    int gen_fd = -1;
    int e = results_gen_enter(real, true, 30000, &gen_fd);
    if (e) {
        detail(o, "cannot lock %s for the exchange: %s", real, strerror(e));
        return e == EWOULDBLOCK ? RESULTS_EINUSE : results_rc_from(e);
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, real, RENAME_EXCHANGE) != 0) {
        e = errno;
        results_gen_leave(gen_fd);
        detail(o, "exchanging %s and %s: %s (a local filesystem with renameat2 is needed)", tmp,
               real, strerror(e));
        return e == EINVAL || e == ENOSYS ? RESULTS_EIO : results_rc_from(e);
    }
    results_gen_leave(gen_fd);
    char parent[PATH_MAX];
    parent_of(real, parent, sizeof parent);
    sync_path(parent, O_RDONLY | O_DIRECTORY); /* the exchange itself survives a power cut */
    return 0;
}

int results_prune(const char *dir, const results_prune_opts_t *opts, results_prune_report_t *report)
{
    results_prune_report_t r = {0};
    results_store_t *st = NULL;
    results_scan_info_t *list = NULL;
    bool *drop = NULL;
    size_t n = 0;
    int rc;
    char real[PATH_MAX], tmp[PATH_MAX + 8];
    if (report)
        memset(report, 0, sizeof *report);
    if (!dir || !opts || (opts->keep == 0) == (opts->before == 0))
        return RESULTS_EINVAL;
    if (opts->errbuf && opts->errbuf_size)
        opts->errbuf[0] = '\0';
    if (!realpath(dir, real)) {
        int e = errno;
        detail(opts, "no results store at %s: %s", dir, strerror(e));
        return results_rc_from(e);
    }
    if (snprintf(tmp, sizeof tmp, "%s.prune", real) >= (int)sizeof tmp)
        return RESULTS_EINVAL;
    r.bytes_before = file_size(real);

    results_options_t so = {.errbuf = opts->errbuf, .errbuf_size = opts->errbuf_size};
    if ((rc = results_open_ex(real, RESULTS_OPEN_EXCLUSIVE_, &so, &st)) < 0)
        goto fail;
    /* Only now, with every writer excluded: a killed prune's leftover is nobody's. */
    if ((rc = remove_generation(tmp, opts)) < 0)
        goto fail;
    if ((rc = results_scans_list(st, &list, &n)) < 0)
        goto fail;
    qsort(list, n, sizeof *list, cmp_seq);
    if (!(drop = calloc(n ? n : 1, sizeof *drop))) {
        rc = RESULTS_ENOMEM;
        goto fail;
    }
    long spared = select_drops(opts, list, n, drop);
    if ((rc = fill_report(&r, list, n, drop, spared)) < 0)
        goto fail;
    struct drop_ctx dc = {list, drop, n};
    if (r.n_dropped && (rc = results_write(st, drop_entries, &dc)) < 0)
        goto fail;
    /* Also the records of scans whose entries an interrupted prune or delete already removed. */
    if ((rc = results_delete_orphans(st, &r.records_dropped)) < 0)
        goto fail;
    /* Also when an earlier prune was killed after its deletions but before its exchange: the
     * space is still to be given back although nothing is left to drop. A few free pages are
     * normal (LMDB keeps some for the next transactions): not worth a copy. */
    uint64_t slack = 0;
    if ((rc = store_slack_pages(st, &slack)) < 0)
        goto fail;
    if (r.n_dropped || r.records_dropped || slack > 256) {
        if ((rc = write_compact_copy(st, tmp, opts)) < 0 || (rc = exchange(real, tmp, opts)) < 0)
            goto fail;
        r.compacted = true;
    }
    /* Closing drops the exclusive claim: writers may open the new generation from here on. */
    results_close(st);
    st = NULL;
    if (r.compacted && (rc = remove_generation(tmp, opts)) < 0)
        goto fail;
    r.bytes_after = file_size(real);
    results_scans_free(list, n);
    free(drop);
    if (report)
        *report = r;
    else
        results_prune_report_clear(&r);
    return 0;

fail:
    if (st && opts->errbuf && opts->errbuf_size && !opts->errbuf[0])
        snprintf(opts->errbuf, opts->errbuf_size, "%s", results_errdetail(st));
    results_close(st);
    results_scans_free(list, n);
    free(drop);
    results_prune_report_clear(&r);
    return rc;
}

void results_prune_report_clear(results_prune_report_t *report)
{
    if (!report)
        return;
    text_free_all(report->dropped, report->n_dropped);
    free(report->kept_latest_finished);
    memset(report, 0, sizeof *report);
}
