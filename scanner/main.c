/* dnssweep: command dispatch (doc/cli.md). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "scanner/commands.h"
#include "scanner/scanner.h"

#ifndef DNSSWEEP_VERSION
#define DNSSWEEP_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
    fprintf(out, "usage: dnssweep COMMAND [OPTIONS]\n"
                 "  scan    [OPTIONS] [FILE|-]   scan the domains in FILE (default stdin)\n"
                 "  export  [--format jsonl|csv|table]  export a scan\n"
                 "  diff    OLD NEW              compare two scans\n"
                 "  show    DOMAIN               explain one domain\n"
                 "  scans                        list scans\n"
                 "  report  -o report.html       write an HTML report\n"
                 "  merge   --db DIR SRC_DIR...  merge shard stores\n"
                 "  check   [SCAN OPTIONS] DOMAIN...  scan these names and explain each\n"
                 "  prune   --keep N | --before DATE  drop old scans, shrink the store\n"
                 "  ds-actions [--stable N]      DS changes CDS/CDNSKEY ask for, checked\n"
                 "  --version, --help\n"
                 "Run 'dnssweep COMMAND --help' for a command's options.\n"
                 "Exit status: 0 done, 1 runtime failure, 2 usage error or bad input, 3 diff\n"
                 "--fail-on-regression found domains that got worse, 4 check found a domain\n"
                 "that is not secure or insecure.\n");
}

static int command_scan(int argc, char **argv)
{
    scanner_config_t cfg;
    scanner_config_defaults(&cfg);
    int rc = scanner_config_parse(argc, argv, &cfg, stderr);
    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    return scanner_run(&cfg);
}

int main(int argc, char **argv)
{
    /* A TCP server (or a proxy) that closes a connection while a query is being written, or a
     * reader of -o - that goes away, must cost an error return (EPIPE), never the process and
     * the results still to be stored. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("dnssweep %s\n", DNSSWEEP_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "scan") == 0)
        return command_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return scanner_command_export(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return scanner_command_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0)
        return scanner_command_show(argc - 1, argv + 1);
    if (strcmp(cmd, "scans") == 0)
        return scanner_command_scans(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return scanner_command_report(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return scanner_command_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return scanner_command_check(argc - 1, argv + 1);
    if (strcmp(cmd, "prune") == 0)
        return scanner_command_prune(argc - 1, argv + 1);
    if (strcmp(cmd, "ds-actions") == 0)
        return scanner_command_ds_actions(argc - 1, argv + 1);
    fprintf(stderr, "dnssweep: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
