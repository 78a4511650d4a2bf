/*
 * Input-line parser harness: the bytes are a domain-list file. scanner_input_next() reads it
 * from memory (fmemopen) to the end; every name it accepts must be a fixed point of
 * scanner_name_normalise() (normalising twice changes nothing; abort() otherwise). The whole
 * input is also given to scanner_name_normalise() directly, from an exact-size copy so that
 * AddressSanitizer sees any read past its length.
 */
#include "scanner/input.h"

#include <stdlib.h>
#include <string.h>

static void check_fixed_point(const char *name)
{
    char again[SCANNER_NAME_MAX + 1];
    char error[160];
    if (scanner_name_normalise(name, strlen(name), again, error, sizeof error) != 0 ||
        strcmp(again, name) != 0)
        abort();
    if (scanner_shard_of(name, 7) < 1 || scanner_shard_of(name, 7) > 7)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char out[SCANNER_NAME_MAX + 1];
    char error[160];
    if (scanner_name_normalise(copy, size, out, error, sizeof error) == 0)
        check_fixed_point(out);

    /* glibc's fmemopen refuses a zero-sized buffer: the empty file is /dev/null. */
    FILE *fp = size ? fmemopen(copy, size, "rb") : fopen("/dev/null", "rb");
    scanner_input_t *in = NULL;
    if (fp && scanner_input_open_fp(fp, &in) == 0) {
        scanner_input_item_t item;
        int kind;
        while ((kind = scanner_input_next(in, &item)) > 0)
            if (kind == SCANNER_INPUT_NAME)
                check_fixed_point(item.name);
    }
    scanner_input_free(in);
    if (fp)
        fclose(fp);
    free(copy);
    return 0;
}
