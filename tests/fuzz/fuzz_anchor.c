/*
 * Zone-file reader harness: the bytes are a zone-format file (root hints or trust anchor), read
 * by scanner_anchor_read_fp(), the reader behind scanner_load_root_hints() and
 * scanner_load_trust_anchor(). Both record filters are run; every RR accepted must print.
 */
#include "scanner/anchor.h"

#include <stdlib.h>
#include <string.h>

static void read_with(const uint8_t *data, size_t size, const ldns_rr_type *keep, size_t nkeep)
{
    FILE *fp = fmemopen((void *)data, size, "r");
    if (!fp)
        return;
    ldns_rr_list *rrs = NULL;
    char error[256];
    if (scanner_anchor_read_fp(fp, "fuzz", keep, nkeep, &rrs, error, sizeof error) == 0) {
        char *text = ldns_rr_list2str(rrs);
        free(text);
        ldns_rr_list_deep_free(rrs);
    }
    fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ldns_rr_type hints[] = {LDNS_RR_TYPE_NS, LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
    static const ldns_rr_type anchor[] = {LDNS_RR_TYPE_DS, LDNS_RR_TYPE_DNSKEY};
    if (size == 0)
        return 0;
    /* An exact-size copy: fmemopen's reads then stay inside what ASan knows to be valid. */
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    read_with(copy, size, hints, 3);
    read_with(copy, size, anchor, 2);
    free(copy);
    return 0;
}
