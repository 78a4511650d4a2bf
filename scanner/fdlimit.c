/*
 * The open-file limit (RLIMIT_NOFILE): a scan holds the results store, 2 x 16 UDP sockets, a
 * few TCP connections per server and the event loop's own descriptors. Running out of them is
 * the user's limit, not a property of any DNS server, so it must stop the scan with a message
 * that says which limit to raise, never turn into verdicts (see scan_no_files() in run.c).
 */
#include "scanner/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/* Descriptors the event loop itself needs (epoll, libuv's signal pipe, async eventfd, the
 * verification pool's wakeup) before anything of ours: libuv aborts when it cannot get them,
 * so they are checked first. */
#define LOOP_FILES 8

void scan_fd_limit_raise(void)
{
    /* The usual soft limit (1024) is far below what a wide scan can use, and raising it to
     * the hard limit needs no privilege. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* The soft limit, 0 when unlimited or unknown. */
static unsigned long long scan_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 0;
    return (unsigned long long)rl.rlim_cur;
}

/* Descriptors open now, or 0 when /proc cannot tell (or cannot be opened: no descriptor). */
static unsigned long long open_files(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return 0;
    unsigned long long n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL)
        n += de->d_name[0] != '.';
    closedir(dir);
    return n > 0 ? n - 1 : 0; /* the directory's own descriptor */
}

void scan_fd_hint(char *buf, size_t len)
{
    unsigned long long limit = scan_fd_limit();
    if (limit)
        snprintf(buf, len,
                 "too many open files (the open-file limit is %llu: raise it with `ulimit -n`, "
                 "a scan needs about %d, plus 2 per name server answering over TCP)",
                 limit, SCAN_FILES_TYPICAL);
    else
        snprintf(buf, len, "too many open files (raise the open-file limit, `ulimit -n`)");
}

const char *scan_fd_reason(char *buf, size_t len, bool no_files, const char *otherwise)
{
    if (!no_files)
        return otherwise;
    scan_fd_hint(buf, len);
    return buf;
}

int scan_fd_preflight(void)
{
    unsigned long long limit = scan_fd_limit(), open = open_files();
    if (!limit || (open && open + LOOP_FILES <= limit))
        return 0;
    if (!open) {
        /* /proc could not even be opened: EMFILE already, or no /proc. */
        if (errno != EMFILE && errno != ENFILE)
            return 0;
        open = limit;
    }
    char hint[200];
    scan_fd_hint(hint, sizeof hint);
    fprintf(stderr,
            "dnssweep: cannot start: %llu of the %llu allowed file descriptors are in use: %s\n",
            open, limit, hint);
    return 1;
}
