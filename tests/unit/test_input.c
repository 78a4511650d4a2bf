/* The domain-list reader: every rule of cli.md "Input", with line numbers for bad lines. */
#include "scanner/input.h"
#include "tests/tap.h"

#include <stdlib.h>
#include <unistd.h>

static char *write_temp(const char *data, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/dnssweep-input-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len)
        return NULL;
    close(fd);
    return path;
}

int main(void)
{
    static const char data[] =
        "# a comment\r\n"
        "Example.COM.\r\n"
        "\n"
        "   \t\n"
        "sub.example.org\n"
        "bad..name\n"
        "a\0b.com\n"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com\n"
        "b\xc3\xbc\x63her.de\n"
        "\xff\xfe garbage\n"
        "_dmarc.example.net\n"
        "semi;colon.com\n"
        ".\n"
        "last.example";
    char *path = write_temp(data, sizeof data - 1);
    ok(path != NULL, "temporary input file written");

    scanner_input_t *in = NULL;
    is_int(scanner_input_open(path, &in), 0, "input opens");
    scanner_input_item_t item;
    struct {
        int kind;
        const char *name;
        uint64_t line;
    } want[] = {
        {SCANNER_INPUT_NAME, "example.com", 2},
        {SCANNER_INPUT_NAME, "sub.example.org", 5},
        {SCANNER_INPUT_BAD, NULL, 6},
        {SCANNER_INPUT_BAD, NULL, 7},
        {SCANNER_INPUT_BAD, NULL, 8},
        {SCANNER_INPUT_NAME, "xn--bcher-kva.de", 9},
        {SCANNER_INPUT_BAD, NULL, 10},
        {SCANNER_INPUT_NAME, "_dmarc.example.net", 11},
        {SCANNER_INPUT_BAD, NULL, 12},
        {SCANNER_INPUT_BAD, NULL, 13},
        {SCANNER_INPUT_NAME, "last.example", 14},
        {SCANNER_INPUT_EOF, NULL, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int kind = scanner_input_next(in, &item);
        is_int(kind, want[i].kind, "item %zu has the expected kind", i);
        if (want[i].name)
            is_str(item.name, want[i].name, "item %zu normalised", i);
        if (want[i].kind != SCANNER_INPUT_EOF)
            is_int(item.line, want[i].line, "item %zu on line %llu", i,
                   (unsigned long long)want[i].line);
        if (want[i].kind == SCANNER_INPUT_BAD)
            ok(item.error[0] != '\0', "bad line %llu explained: %s", (unsigned long long)item.line,
               item.error);
    }
    scanner_input_free(in);
    unlink(path);

    /* A 10 MB line costs no more than the line buffer and is reported, then reading goes on. */
    size_t big = 10u << 20;
    char *huge = malloc(big + 32);
    memset(huge, 'a', big);
    memcpy(huge + big, "\nok.example\n", 12);
    path = write_temp(huge, big + 12);
    free(huge);
    is_int(scanner_input_open(path, &in), 0, "huge input opens");
    is_int(scanner_input_next(in, &item), SCANNER_INPUT_BAD, "10 MB line reported as bad");
    is_int(scanner_input_next(in, &item), SCANNER_INPUT_NAME, "the line after it is read");
    is_str(item.name, "ok.example", "and normalised");
    is_int(item.line, 2, "on line 2");
    scanner_input_free(in);
    unlink(path);

    char out[SCANNER_NAME_MAX + 1], err[160];
    char longname[300];
    memset(longname, 0, sizeof longname);
    for (int i = 0; i < 5; i++)
        memcpy(longname + i * 52, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.", 52);
    is_int(scanner_name_normalise(longname, strlen(longname), out, err, sizeof err), -1,
           "a 259-octet name is rejected (%s)", err);
    is_int(scanner_name_normalise("ok.", 3, out, err, sizeof err), 0, "trailing dot accepted");

    is_int(scanner_shard_of("example.com", 4), scanner_shard_of("example.com", 4),
           "shard is stable");
    int seen[5] = {0};
    for (int i = 0; i < 1000; i++) {
        char n[32];
        snprintf(n, sizeof n, "d%d.example", i);
        unsigned s = scanner_shard_of(n, 4);
        if (s >= 1 && s <= 4)
            seen[s]++;
    }
    ok(seen[1] > 150 && seen[2] > 150 && seen[3] > 150 && seen[4] > 150,
       "1000 names spread over 4 shards (%d/%d/%d/%d)", seen[1], seen[2], seen[3], seen[4]);
    return tap_done();
}
