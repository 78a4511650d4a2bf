/* `dnssweep ds-actions` (doc/cli.md): the DS changes a registrar may apply from CDS/CDNSKEY
 * (results_ds_actions). Nothing is applied: the file goes to the registrar's EPP client. */
#include "scanner/cmd.h"

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

enum { STABLE_DEFAULT = 3 };

static int ds_actions_run(scanner_cmd_ctx_t *c)
{
    const scanner_cmd_args_t *a = &c->args;
    unsigned stable = a->stable ? a->stable_scans : STABLE_DEFAULT;
    results_ds_actions_counts_t counts;
    int rc = results_ds_actions(c->store, a->scan, stable, (results_format_t)a->format_value,
                                c->out, &counts);
    if (rc == RESULTS_ENOTFOUND) {
        fprintf(stderr, "dnssweep ds-actions: %s\n",
                a->scan ? "no such scan" : "no finished scan in the store");
        return 2;
    }
    if (rc == RESULTS_EINVAL && a->scan) {
        fprintf(stderr,
                "dnssweep ds-actions: scan %s is not finished: actions are decided "
                "only from finished scans\n",
                a->scan);
        return 2;
    }
    if (rc != 0) {
        fprintf(stderr, "dnssweep ds-actions: %s\n", results_strerror(rc));
        return 1;
    }
    fprintf(stderr,
            "dnssweep ds-actions: %llu authorised, %llu refused (stable over %u finished scans)\n",
            (unsigned long long)counts.authorised, (unsigned long long)counts.refused, stable);
    return 0;
}

/* --stable is checked as it is read: a bad --stable is the error even when a later option is
 * wrong too. The output ends plainly: a reader of stdout that has gone is exit 1, not 141. */
const scanner_cmd_t scanner_cmd_ds_actions = {
    .name = "ds-actions",
    .usage = ds_actions_usage,
    .syntax = {.takes = CMD_OPT(SCAN) | CMD_OPT(STABLE) | CMD_OPT(FORMAT) | CMD_OPT(OUTPUT),
               .refuses = CMD_OPT(ALL) | CMD_OPT(FAIL_ON_REGRESSION) | CMD_OPT(DIFF_AGAINST) |
                          CMD_OPT(FORCE) | CMD_OPT(STATUS) | CMD_OPT(KEEP) | CMD_OPT(BEFORE),
               .formats = "jsonl|csv",
               .operands = scanner_cmd_no_operands},
    .work = {.run = ds_actions_run, .plain_close = true},
};
