/*
 * Where a store may live: LMDB's locking and memory map need a local filesystem (lmdb.h: "Do
 * not use LMDB databases on remote filesystems"), so a store directory on NFS, SMB/CIFS,
 * CephFS, 9p, AFS, Lustre or a FUSE mount is refused with a message that says where to put it
 * (cli.md, Sharding: each shard writes locally and hands its finished store over).
 */
#include "results/results.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/vfs.h>

/* Magic numbers of statfs(2) f_type (linux/magic.h and the filesystems' own headers). */
static const struct {
    unsigned long magic;
    const char *name;
} remote_types[] = {
    {0x6969UL, "NFS"},
    {0x517BUL, "SMB"},
    {0xFE534D42UL, "SMB2"},
    {0xFF534D42UL, "CIFS"},
    {0x00C36400UL, "CephFS"},
    {0x01021997UL, "9p"},
    {0x5346414FUL, "AFS"},
    {0x6B414653UL, "AFS (kAFS)"},
    {0x0BD00BD0UL, "Lustre"},
    {0x47504653UL, "GPFS"},
    {0x65735546UL, "FUSE (sshfs, GlusterFS, s3fs...)"},
    {0x564C0000UL, "NCP"},
};

const char *results_fs_remote_name(unsigned long f_type)
{
    for (size_t i = 0; i < sizeof remote_types / sizeof remote_types[0]; i++)
        if (remote_types[i].magic == f_type)
            return remote_types[i].name;
    return NULL;
}

int results_fs_check(const char *dir, char *detail, size_t detail_len)
{
    /* The directory may not exist yet: look at the closest ancestor that does. */
    char path[PATH_MAX];
    if (!dir || snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return RESULTS_EINVAL;
    struct statfs st;
    while (statfs(path, &st) != 0) {
        char *slash = strrchr(path, '/');
        if (errno != ENOENT || !slash)
            return 0; /* nothing to tell: the open itself reports what is wrong */
        if (slash == path)
            slash[1] = '\0';
        else
            *slash = '\0';
        if (strcmp(path, "/") == 0 && statfs(path, &st) != 0)
            return 0;
    }
    const char *name = results_fs_remote_name((unsigned long)st.f_type);
    if (!name)
        return 0;
    if (detail)
        snprintf(detail, detail_len,
                 "the results store %s is on a network filesystem (%s): LMDB's locks and memory "
                 "map do not hold there; put the store on a local disk (each machine scans into "
                 "its own store and hands the finished store over for dnssweep merge)",
                 dir, name);
    return RESULTS_EREMOTE;
}
