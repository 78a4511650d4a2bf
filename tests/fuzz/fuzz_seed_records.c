/*
 * Seed maker for fuzz_record (not a harness, never run by ctest): writes every record of a scan
 * in a results store as its encoded value, one file per record named by domain.
 * Usage: fuzz_seed_records STORE_DIR SCAN_NAME OUT_DIR (make_corpus.py runs it).
 */
#include "results/results.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s STORE_DIR SCAN_NAME OUT_DIR\n", argv[0]);
        return 2;
    }
    int status = 1;
    results_store_t *store = NULL;
    results_iter_t *it = NULL;
    const results_record_t *rec = NULL;
    int rc = results_open(argv[1], RESULTS_READONLY, &store);
    if (rc == 0)
        rc = results_iter_new(store, argv[2], &it);
    while (rc == 0 && (rc = results_iter_next(it, &rec)) == 1) {
        uint8_t *buf = NULL;
        size_t len = 0;
        rc = results_record_encode(rec, &buf, &len);
        if (rc != 0)
            break;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[3], rec->domain);
        FILE *fp = fopen(path, "wb");
        if (!fp || fwrite(buf, 1, len, fp) != len) {
            perror(path);
            rc = -1;
        }
        if (fp)
            fclose(fp);
        free(buf);
    }
    if (rc < 0)
        fprintf(stderr, "fuzz_seed_records: %s\n", results_strerror(rc));
    else
        status = 0;
    results_iter_free(it);
    results_close(store);
    return status;
}
