/*
 * Replays inputs through a harness without libFuzzer: every file named on the command line, or
 * found (not recursively) in a directory named there, is passed to LLVMFuzzerTestOneInput()
 * once. Linked with each harness in the ordinary sanitizer builds (gcc included), so the seed
 * corpora and every input that once crashed (tests/fuzz/regress/<harness>/) run in each CI
 * build as unit tests. Exit status 0 when every input ran; a crash aborts via the sanitizers.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path, size_t *count)
{
    int rc = -1;
    uint8_t *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        goto fail;
    struct stat st;
    if (fstat(fileno(fp), &st) != 0)
        goto fail;
    /* An exact-size heap copy: the sanitizers then see any read past the input. */
    size_t size = (size_t)st.st_size;
    buf = malloc(size ? size : 1);
    if (!buf || fread(buf, 1, size, fp) != size)
        goto fail;
    LLVMFuzzerTestOneInput(buf, size);
    (*count)++;
    rc = 0;
fail:
    if (rc != 0)
        fprintf(stderr, "replay: cannot read %s\n", path);
    free(buf);
    if (fp)
        fclose(fp);
    return rc;
}

static int replay_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path, count);
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, de->d_name);
        rc = replay_file(full, count);
    }
    closedir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i], &count) != 0)
            return 1;
    printf("1..1\nok 1 - %zu inputs replayed without a crash\n", count);
    return count > 0 ? 0 : 1;
}
