/* The domain-list reader: every rule of cli.md "Input", with line numbers for bad lines. */
#include "scanner/input.h"
#include "tests/tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
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

/* Compresses path with the gzip tool (an independent implementation) into path.gz. */
static char *gzip_file(const char *path)
{
    static char gz[80];
    char cmd[256];
    snprintf(gz, sizeof gz, "%s.gz", path);
    snprintf(cmd, sizeof cmd, "gzip -c -n '%s' > '%s'", path, gz);
    return system(cmd) == 0 ? gz : NULL;
}

static char *slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 22);
    *len = buf ? fread(buf, 1, 1 << 22, f) : 0;
    fclose(f);
    return buf;
}

/* Every item of a list as "kind line name|" text (no name for a bad line: its name buffer is
 * scratch), and the final return code. */
static char *items_of(const char *path, int *last, char *error, size_t error_len)
{
    scanner_input_t *in = NULL;
    *last = scanner_input_open(path, &in);
    if (*last != 0)
        return NULL;
    size_t cap = 1 << 22, len = 0;
    char *out = calloc(1, cap);
    scanner_input_item_t item;
    while (out && (*last = scanner_input_next(in, &item)) > 0 && len + 400 < cap)
        len += (size_t)snprintf(out + len, cap - len, "%d %llu %s|", *last,
                                (unsigned long long)item.line,
                                *last == SCANNER_INPUT_NAME ? item.name : "");
    if (*last < 0)
        snprintf(error, error_len, "line %llu: %s", (unsigned long long)item.line, item.error);
    scanner_input_free(in);
    return out;
}

/* cli.md "Input": a gzip list (detected by content) reads as the plain one; truncated or
 * corrupt gzip data is an error with the line and compressed offset, never a short list. */
static void test_gzip(const char *plain_path_static)
{
    char plain_path[64], gz_path[80]; /* write_temp and gzip_file reuse static buffers */
    snprintf(plain_path, sizeof plain_path, "%s", plain_path_static);
    char err[200] = "";
    int rc_plain, rc_gz;
    char *plain = items_of(plain_path, &rc_plain, err, sizeof err);
    const char *gz_made = gzip_file(plain_path);
    ok(gz_made != NULL, "gzip compressed the list");
    if (!gz_made)
        return;
    snprintf(gz_path, sizeof gz_path, "%s", gz_made);
    char *gz = items_of(gz_path, &rc_gz, err, sizeof err);
    ok(plain && gz && rc_plain == 0 && rc_gz == 0 && strcmp(plain, gz) == 0,
       "the gzip list gives the same names, bad lines and line numbers as the plain one (%d %d)\n# "
       "%s\n# %s",
       rc_plain, rc_gz, plain ? plain : "-", gz ? gz : "-");
    free(gz);

    /* Big enough for several 64 KiB inflate chunks, as two concatenated gzip members. */
    char big_path[] = "/tmp/dnssweep-input-big-XXXXXX";
    int fd = mkstemp(big_path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    for (int i = 0; f && i < 30000; i++)
        fprintf(f, "name%d.example\n", i);
    if (f)
        fclose(f);
    char *big_gz = gzip_file(big_path);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cat '%s' '%s' > '%s.2'", big_gz, big_gz, big_gz);
    ok(big_gz && system(cmd) == 0, "two gzip members concatenated");
    snprintf(cmd, sizeof cmd, "%s.2", big_gz ? big_gz : "");
    char *two = items_of(cmd, &rc_gz, err, sizeof err);
    int names = 0;
    for (const char *p = two; p && (p = strstr(p, "|")); p++)
        names++;
    ok(rc_gz == 0 && names == 60000 && two && strstr(two, "1 60000 name29999.example|"),
       "two members of 30000 names each: %d names, the last on line 60000", names);
    free(two);
    unlink(cmd);

    size_t len = 0;
    char *bytes = big_gz ? slurp_file(big_gz, &len) : NULL;
    ok(bytes && len > 1000, "compressed list read back (%zu bytes)", len);
    if (bytes && len > 1000) {
        char cut_path[] = "/tmp/dnssweep-input-cut-XXXXXX";
        fd = mkstemp(cut_path);
        ok(fd >= 0 && write(fd, bytes, len / 2) == (ssize_t)(len / 2), "truncated copy written");
        close(fd);
        err[0] = '\0';
        char *got = items_of(cut_path, &rc_gz, err, sizeof err);
        ok(rc_gz == -EBADMSG && strstr(err, "truncated gzip") && strstr(err, "compressed byte"),
           "a gzip list cut in half is an error: %s", err);
        free(got);
        unlink(cut_path);

        char bad_path[] = "/tmp/dnssweep-input-bad-XXXXXX";
        /* Overwrite a stretch in the middle of the deflate data. */
        memset(bytes + len / 2, 0xff, 64);
        fd = mkstemp(bad_path);
        ok(fd >= 0 && write(fd, bytes, len) == (ssize_t)len, "corrupted copy written");
        close(fd);
        err[0] = '\0';
        got = items_of(bad_path, &rc_gz, err, sizeof err);
        unsigned long long at_line = 0;
        ok(rc_gz == -EBADMSG && strstr(err, "corrupt gzip data at compressed byte") &&
               sscanf(err, "line %llu", &at_line) == 1 && at_line > 1 && at_line < 30000 &&
               !strstr(got ? got : "", "NUL"),
           "a corrupt gzip list is an error naming the line reached: %s", err);
        free(got);
        unlink(bad_path);
    }
    free(bytes);
    if (big_gz)
        unlink(big_gz);
    unlink(big_path);

    /* A lone 0x1f is not the magic: a plain list with one bad line. */
    char *lone = write_temp("\x1f\nok.example\n", 12);
    char *one = lone ? items_of(lone, &rc_gz, err, sizeof err) : NULL;
    ok(one && strcmp(one, "2 1 |1 2 ok.example|") == 0 && rc_gz == 0,
       "a plain list starting with 0x1f is read as text (%s)", one ? one : "");
    free(one);
    if (lone)
        unlink(lone);
    unlink(gz_path);
    free(plain);
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
    test_gzip(path);
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
