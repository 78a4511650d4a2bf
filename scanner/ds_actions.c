/* `dnssweep ds-actions` (doc/cli.md): the DS changes a registrar may apply from CDS/CDNSKEY
 * (results_ds_actions). Nothing is applied: the file goes to the registrar's EPP client. */
#include "scanner/commands.h"
#include "scanner/scanner.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"

static const char ds_actions_usage[] =
    "usage: dnssweep ds-actions [--db DIR] [--scan NAME] [--stable N] [--format jsonl|csv]\n"
    "                           [-o FILE]\n"
    "List the DS changes (add, replace, remove) that the domains' CDS/CDNSKEY records ask for\n"
    "and that pass every check of RFC 7344/8078 (add: RFC 9615 bootstrapping signals) in each\n"
    "of the last N finished scans, and every refused candidate with its CDS_* reason, server\n"
    "and key tag.\n"
    "  --scan NAME   decide from this finished scan and those before it (default: latest)\n"
    "  --stable N    finished scans in which the same CDS/CDNSKEY must be seen [3], 1..64\n"
    "  --format F    jsonl (default) or csv\n"
    "  -o FILE       write there instead of stdout\n";

/* The options ds-actions knows: its own (owners NULL), and those of other commands, refused by
 * name (each command takes only its own). */
static const struct {
    const char *name;
    int has_arg;
    int val;
    const char *owners;
} ds_actions_options[] = {
    {"db", required_argument, 'd', NULL},
    {"scan", required_argument, 's', NULL},
    {"stable", required_argument, 'n', NULL},
    {"format", required_argument, 'f', NULL},
    {"output", required_argument, 'o', NULL},
    {"help", no_argument, 'h', NULL},
    {"all", no_argument, 'A', "diff"},
    {"fail-on-regression", no_argument, 'R', "diff"},
    {"diff-against", required_argument, 'D', "report"},
    {"force", no_argument, 'F', "diff"},
    {"status", required_argument, 'S', "export"},
    {"keep", required_argument, 'K', "prune"},
    {"before", required_argument, 'B', "prune"},
};

enum { N_OPTIONS = sizeof ds_actions_options / sizeof ds_actions_options[0] };

int scanner_command_ds_actions(int argc, char **argv)
{
    const char *db = "./dnssweep.db", *scan = NULL, *format = "jsonl", *output = NULL;
    unsigned long stable = 3;
    optind = 1;
    opterr = 0;
    int c;
    struct option long_options[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        long_options[i] = (struct option){ds_actions_options[i].name, ds_actions_options[i].has_arg,
                                          NULL, ds_actions_options[i].val};
    long_options[N_OPTIONS] = (struct option){0};
    while ((c = getopt_long(argc, argv, ":d:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 's':
            scan = optarg;
            break;
        case 'n':
            if (scanner_parse_unsigned(optarg, 1, 64, &stable) != 0) {
                fprintf(stderr,
                        "dnssweep ds-actions: --stable wants a number of scans from 1 "
                        "to 64, not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(ds_actions_usage, stdout);
            return 0;
        case ':':
            fprintf(stderr, "dnssweep ds-actions: option %s needs a value\n", argv[optind - 1]);
            return 2;
        default:
            for (size_t i = 0; i < N_OPTIONS; i++)
                if (ds_actions_options[i].val == c && ds_actions_options[i].owners) {
                    fprintf(stderr,
                            "dnssweep ds-actions: --%s is not an option of ds-actions (it is one "
                            "of %s)\n%s",
                            ds_actions_options[i].name, ds_actions_options[i].owners,
                            ds_actions_usage);
                    return 2;
                }
            fprintf(stderr,
                    "dnssweep ds-actions: unknown option '%s' (not an option of ds-actions)\n%s",
                    argv[optind - 1], ds_actions_usage);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "dnssweep ds-actions: unexpected argument '%s'\n%s", argv[optind],
                ds_actions_usage);
        return 2;
    }
    results_format_t fmt = RESULTS_FORMAT_JSONL;
    if (strcmp(format, "csv") == 0) {
        fmt = RESULTS_FORMAT_CSV;
    } else if (strcmp(format, "jsonl") != 0) {
        fprintf(stderr, "dnssweep ds-actions: unknown format '%s' (jsonl or csv)\n", format);
        return 2;
    }
    results_store_t *store = NULL;
    FILE *out;
    if (scanner_open_store_output(db, output, &store, &out))
        return 1;
    results_ds_actions_counts_t counts;
    int rc = results_ds_actions(store, scan, (unsigned)stable, fmt, out, &counts);
    int exit_code = 0;
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr, "dnssweep ds-actions: %s\n",
                scan ? "no such scan" : "no finished scan in the store");
        exit_code = 2;
    } else if (rc == RESULTS_EINVAL && scan) {
        fprintf(stderr,
                "dnssweep ds-actions: scan %s is not finished: actions are decided "
                "only from finished scans\n",
                scan);
        exit_code = 2;
    } else if (rc != 0) {
        fprintf(stderr, "dnssweep ds-actions: %s\n", results_strerror(rc));
        exit_code = 1;
    } else {
        fprintf(stderr,
                "dnssweep ds-actions: %llu authorised, %llu refused (stable over %u "
                "finished scans)\n",
                (unsigned long long)counts.authorised, (unsigned long long)counts.refused,
                (unsigned)stable);
    }
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "dnssweep: writing %s failed: %s\n", output, strerror(errno));
        exit_code = exit_code ? exit_code : 1;
    } else if (out == stdout && fflush(stdout) != 0) {
        exit_code = exit_code ? exit_code : 1;
    }
    results_close(store);
    return exit_code;
}
