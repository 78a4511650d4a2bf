/* `dnssweep check DOMAIN...` (cli.md): scan the names given on the command line with the scan
 * run itself, then explain each one as `dnssweep show` does. Without --db the store is a
 * temporary one in a private directory, removed afterwards. */
#include "scanner/commands.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanner/input.h"
#include "scanner/scanner.h"

static const char check_usage[] =
    "usage: dnssweep check [SCAN OPTIONS] DOMAIN...\n"
    "Scan the domains given (U-labels become A-labels, as in scan's input) and explain each\n"
    "as 'dnssweep show' does, then print a one-line summary.\n"
    "\n"
    "  -d, --db DIR            keep the scan in this store [a temporary store, removed at the\n"
    "                          end]\n"
    "      --scan NAME         name of the scan in --db [UTC timestamp]\n"
    "  Every other option of 'dnssweep scan' applies (--root-hints, --trust-anchor,\n"
    "  --resolver, --port, --now, --timeout, --check-resolver, -o, ...: see dnssweep scan\n"
    "  --help), but not --resume, --zone-file, --strict or --shard.\n"
    "\n"
    "Exit status: 0 every domain is secure or insecure, 4 one is bogus, lame, nxdomain or\n"
    "indeterminate, 1 the run failed (no domain judged), 2 usage error or a bad name.\n";

/* The scan options that make no sense for names given on the command line. */
static int refuse_scan_only_options(const scanner_config_t *cfg)
{
    const char *which = cfg->resume      ? "--resume"
                        : cfg->zone_file ? "--zone-file"
                        : cfg->strict    ? "--strict"
                        : cfg->shard_n   ? "--shard"
                                         : NULL;
    if (!which)
        return 0;
    fprintf(stderr, "dnssweep check: %s is not an option of check (it is one of scan)\n%s", which,
            check_usage);
    return 2;
}

typedef struct check_name {
    const char *given; /* argv, as typed */
    char name[SCANNER_NAME_MAX + 1];
} check_name_t;

/* Normalises every operand as the input reader does; a duplicate is checked once. Returns the
 * number of distinct names, or -1 (message printed) when one is not a domain name. */
static int collect_names(int argc, char **argv, int first, check_name_t *names)
{
    int n = 0;
    for (int i = first; i < argc; i++) {
        check_name_t *cn = &names[n];
        char error[160];
        if (scanner_name_normalise(argv[i], strlen(argv[i]), cn->name, error, sizeof error) != 0) {
            fprintf(stderr, "dnssweep check: '%s' is not a domain name: %s\n", argv[i], error);
            return -1;
        }
        cn->given = argv[i];
        bool seen = false;
        for (int j = 0; j < n && !seen; j++)
            seen = strcmp(names[j].name, cn->name) == 0;
        if (!seen)
            n++;
    }
    return n;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "dnssweep check: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

/* The private directory holding the names file and the temporary store. */
static void remove_tree(const char *dir)
{
    if (dir[0])
        nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static int write_names(const char *path, const check_name_t *names, int n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int i = 0; i < n; i++)
        fprintf(f, "%s\n", names[i].name);
    return fclose(f) == 0 ? 0 : -1;
}

/* "check a.test b.test ...": what `dnssweep scans` shows as the input of a --db scan. */
static void describe_input(char *buf, size_t len, const check_name_t *names, int n)
{
    size_t used = (size_t)snprintf(buf, len, "check");
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", names[i].name);
}

static bool is_fine(verify_status_t status)
{
    return status == VERIFY_STATUS_SECURE || status == VERIFY_STATUS_INSECURE;
}

/* Explains every name from the scan just run, then one summary line. Returns the exit status. */
static int explain(const char *db, const char *scan, const check_name_t *names, int n)
{
    results_store_t *store = NULL;
    int rc = results_open(db, RESULTS_READONLY, &store);
    if (rc != 0) {
        fprintf(stderr, "dnssweep check: cannot open the results store %s: %s\n", db,
                results_strerror(rc));
        return 1;
    }
    uint64_t counts[VERIFY_STATUS_COUNT] = {0};
    char attention[1024] = "";
    size_t used = 0;
    unsigned left_out = 0; /* names that did not fit the summary line */
    int exit_code = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0)
            fputc('\n', stdout);
        scanner_name_print_idn(stdout, names[i].given, names[i].name);
        results_record_t rec;
        rc = results_get(store, scan, names[i].name, &rec);
        if (rc == 0) {
            verify_status_t st = rec.status;
            results_record_free(&rec);
            counts[st]++;
            if (!is_fine(st)) {
                size_t want = strlen(names[i].name) + strlen(verify_status_name(st)) + 3;
                if (used + want < sizeof attention)
                    used +=
                        (size_t)snprintf(attention + used, sizeof attention - used, "%s%s %s",
                                         used ? ", " : "", names[i].name, verify_status_name(st));
                else
                    left_out++;
            }
            if (!is_fine(st) && exit_code == 0)
                exit_code = 4;
            rc = results_show(store, scan, names[i].name, stdout);
        }
        if (rc != 0) {
            /* Every name was fed to the scan: one missing from it was never judged. */
            fprintf(stderr, "dnssweep check: %s: no verdict in scan %s: %s\n", names[i].name, scan,
                    results_strerror(rc));
            exit_code = 1;
        }
    }
    results_close(store);
    printf("\nSummary: %d domain%s checked:", n, n == 1 ? "" : "s");
    const char *sep = " ";
    for (int s = 0; s < VERIFY_STATUS_COUNT; s++)
        if (counts[s]) {
            printf("%s%llu %s", sep, (unsigned long long)counts[s],
                   verify_status_name((verify_status_t)s));
            sep = ", ";
        }
    if (attention[0] && left_out)
        printf("; not secure or insecure: %s and %u more (above)\n", attention, left_out);
    else if (attention[0])
        printf("; not secure or insecure: %s\n", attention);
    else if (exit_code == 0)
        printf("; every one secure or insecure\n");
    else
        printf("; some were not judged\n");
    return fflush(stdout) == 0 ? exit_code : 1;
}

int scanner_command_check(int argc, char **argv)
{
    scanner_config_t cfg;
    scanner_config_defaults(&cfg);
    cfg.db_dir = NULL; /* set only by --db: else the store is temporary */
    int first = argc;
    int rc = scanner_config_parse_options(argc, argv, &cfg, stderr, &first);
    if (rc == 1) {
        fputs(check_usage, stdout);
        return 0;
    }
    if (rc)
        return rc;
    if ((rc = refuse_scan_only_options(&cfg)) != 0)
        return rc;
    if (first >= argc) {
        fprintf(stderr, "dnssweep check: give at least one DOMAIN\n%s", check_usage);
        return 2;
    }
    check_name_t *names = calloc((size_t)(argc - first), sizeof *names);
    if (!names) {
        fprintf(stderr, "dnssweep check: out of memory\n");
        return 1;
    }
    int n = collect_names(argc, argv, first, names);
    if (n < 0) {
        free(names);
        return 2;
    }
    char dir[4096] = "", input[4200], store[4200], desc[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/dnssweep-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "dnssweep check: cannot make a temporary directory %s: %s\n", dir,
                strerror(errno));
        dir[0] = '\0';
        rc = 1;
        goto done;
    }
    snprintf(input, sizeof input, "%s/names", dir);
    if (write_names(input, names, n) != 0) {
        fprintf(stderr, "dnssweep check: cannot write %s: %s\n", input, strerror(errno));
        rc = 1;
        goto done;
    }
    describe_input(desc, sizeof desc, names, n);
    cfg.input = input;
    cfg.input_desc = desc;
    if (!cfg.db_dir) {
        snprintf(store, sizeof store, "%s/store", dir);
        cfg.db_dir = store;
        cfg.temporary_store = true;
    }
    char scan[RESULTS_SCAN_NAME_MAX + 1];
    rc = scanner_run_named(&cfg, scan, sizeof scan);
    if (rc == 0)
        rc = explain(cfg.db_dir, scan, names, n);
done:
    remove_tree(dir);
    free(names);
    return rc;
}
