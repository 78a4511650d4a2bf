/*
 * Parent-zone-file reader harness (`scan --zone-file`): the bytes are a zone file, plain or
 * gzip, read by scanner_zonefile_open() / scanner_zonefile_next() through an in-memory file
 * (memfd), so the same zlib path as a real file is taken, gzip detection included. No initial
 * origin, as in the scanner. Every delegation is turned into its referral
 * (scanner_zonefile_referral()) and printed, as the scanner does.
 *
 * Properties checked (abort() when one fails):
 * - a delegation's child is absolute, lower case and strictly below the apex;
 * - its NS/DS counts match its records, and it has at least one NS;
 * - every record is at the child or below it;
 * - the reader makes progress: a plain file takes at most two calls per line (one that returns
 *   a record, one that re-reads the record that ended the previous delegation).
 */
#include "scanner/zonefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A gzip input can inflate to far more lines than it has bytes: stop there (not a failure). */
#define GZIP_CALLS_MAX 200000

static bool is_lower_absolute(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || name[n - 1] != '.')
        return false;
    for (const char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            return false;
    return true;
}

/* name at or below parent, as text (both absolute, folded). */
static bool at_or_below(const char *name, const char *parent)
{
    size_t n = strlen(name), p = strlen(parent);
    if (strcmp(parent, ".") == 0 || strcmp(name, parent) == 0)
        return true;
    return n > p && memcmp(name + n - p, parent, p) == 0 && name[n - p - 1] == '.';
}

static void check_delegation(const scanner_zonefile_t *zf, const scanner_zonefile_delegation_t *dg)
{
    const char *apex = scanner_zonefile_apex(zf);
    if (!is_lower_absolute(dg->child) || strcmp(dg->child, apex) == 0 ||
        !at_or_below(dg->child, apex))
        abort();
    size_t ns = 0, ds = 0;
    for (size_t i = 0; i < dg->n_rrs; i++) {
        const scanner_zonefile_rr_t *rr = &dg->rrs[i];
        if (!at_or_below(rr->owner, dg->child) || !rr->rdata)
            abort();
        ns += rr->type == LDNS_RR_TYPE_NS;
        ds += rr->type == LDNS_RR_TYPE_DS;
    }
    if (ns != dg->n_ns || ds != dg->n_ds || ns == 0)
        abort();
    ldns_pkt *pkt = NULL;
    bool ds_sig, nsec_sig;
    char err[256];
    if (scanner_zonefile_referral(dg, &pkt, &ds_sig, &nsec_sig, err, sizeof err) == 0) {
        char *text = ldns_pkt2str(pkt);
        free(text);
        ldns_pkt_free(pkt);
    } else if (pkt || !err[0]) {
        abort();
    }
}

static void read_all(const char *path, bool gzip, size_t lines)
{
    scanner_zonefile_t *zf = NULL;
    if (scanner_zonefile_open(path, NULL, &zf) != 0)
        return;
    size_t limit = gzip ? GZIP_CALLS_MAX : 2 * lines + 2;
    scanner_zonefile_delegation_t dg;
    size_t calls = 0;
    int rc;
    while ((rc = scanner_zonefile_next(zf, &dg)) > 0) {
        if (++calls > limit) {
            if (!gzip)
                abort(); /* no progress */
            break;
        }
        if (rc == ZONEFILE_DELEGATION)
            check_delegation(zf, &dg);
        else if (rc == ZONEFILE_BAD && !scanner_zonefile_error(zf)[0])
            abort(); /* a skipped record must say why */
    }
    if (rc == -EINVAL && !scanner_zonefile_error(zf)[0])
        abort(); /* "cannot tell the apex" must say so */
    scanner_zonefile_free(zf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz_zonefile", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (done == size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        read_all(path, size >= 2 && data[0] == 0x1f && data[1] == 0x8b, lines);
    }
    close(fd);
    return 0;
}
