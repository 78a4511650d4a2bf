/*
 * Generations of a store directory, and who may write it.
 *
 * `prune` gives space back by writing a compacted copy of the environment into DIR.prune and
 * exchanging the two directories (renameat2 RENAME_EXCHANGE), so the path DIR names a new
 * directory inode, with a new data.mdb and lock.mdb, from one instant to the next. LMDB opens
 * lock.mdb and data.mdb one after the other by path: an open that straddled the exchange would
 * pair the old lock file with the new data file, and LMDB picks the meta page from the txnid in
 * the lock file. So every open holds a shared flock(2) on the directory inode it resolved, and
 * checks that DIR still names that inode, while LMDB opens its files; prune takes the exclusive
 * flock for the instant of the exchange. A process that opened the old generation keeps reading
 * it (its descriptors and mapping outlive the rename and the unlink): prune deleted the dropped
 * scans in that generation before copying it, so its reads show the same scans as the new one.
 *
 * Writers must never write into a generation that is about to be replaced: every writable handle
 * holds a shared OFD lock on one byte of DIR/writers.lock for its whole life, and prune holds
 * that byte exclusively from before it deletes anything until after the exchange.
 */
#include "results/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Scan locks use the bytes at their scan ids (1, 2, ...); this one is far above any of them. */
#define STORE_OPEN_BYTE ((off_t)1 << 40)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int results_gen_enter(const char *dir, bool exclusive, unsigned wait_ms, int *fd_out)
{
    *fd_out = -1;
    for (unsigned waited = 0;;) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return errno;
        if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e != EWOULDBLOCK)
                return e;
            /* Opens hold the shared lock for milliseconds and prune the exclusive one for one
             * rename: a short poll, bounded so that nothing hangs on a stuck process. */
            if (waited >= wait_ms)
                return EWOULDBLOCK;
            sleep_ms(5);
            waited += 5;
            continue;
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(dir, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            *fd_out = fd;
            return 0;
        }
        /* Exchanged between our open and our lock: take the directory DIR names now. */
        close(fd);
    }
}

void results_gen_leave(int fd)
{
    if (fd >= 0)
        close(fd); /* drops the flock */
}

int results_store_claim(results_store_t *s, bool exclusive)
{
    char path[4096];
    if (s->lock_fd < 0) {
        snprintf(path, sizeof path, "%s/writers.lock", s->dir);
        s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (s->lock_fd < 0)
            return results_fail(s, "opening writers.lock", errno);
    }
    struct flock fl = {.l_type = exclusive ? F_WRLCK : F_RDLCK,
                       .l_whence = SEEK_SET,
                       .l_start = STORE_OPEN_BYTE,
                       .l_len = 1};
    if (fcntl(s->lock_fd, F_OFD_SETLK, &fl) == 0)
        return RESULTS_OK;
    if (errno == EAGAIN || errno == EACCES) {
        snprintf(s->errdetail, sizeof s->errdetail,
                 exclusive ? "%s is open for writing by another process (scan, merge)"
                           : "%s is being pruned by another process",
                 s->dir);
        return RESULTS_EINUSE;
    }
    return results_fail(s, "locking writers.lock", errno);
}
