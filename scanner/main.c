/* dnssweep: command dispatch (doc/cli.md). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "scanner/commands.h"
#include "scanner/scanner.h"

#ifndef DNSSWEEP_VERSION
#define DNSSWEEP_VERSION "0.0.0"
#endif

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

/* Each command: its name, how it runs (scan and check by a function given its own arguments,
 * argv[0] being its name; the store commands by the skeleton of cmd.c), and its line in the
 * overview of usage() after the name. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const scanner_cmd_t *store_command;
    const char *overview;
} commands[] = {
    {"scan", command_scan, NULL, "[OPTIONS] [FILE|-]   scan the domains in FILE (default stdin)"},
    {"export", NULL, &scanner_cmd_export, "[--format jsonl|csv|table]  export a scan"},
    {"diff", NULL, &scanner_cmd_diff, "OLD NEW              compare two scans"},
    {"show", NULL, &scanner_cmd_show, "DOMAIN               explain one domain"},
    {"scans", NULL, &scanner_cmd_scans, "                     list scans"},
    {"report", NULL, &scanner_cmd_report, "-o report.html       write an HTML report"},
    {"merge", NULL, &scanner_cmd_merge, "--db DIR SRC_DIR...  merge shard stores"},
    {"check", scanner_command_check, NULL,
     "[SCAN OPTIONS] DOMAIN...  scan these names and explain each"},
    {"prune", NULL, &scanner_cmd_prune,
     "--keep N | --before DATE  drop old scans, shrink the store"},
    {"ds-actions", NULL, &scanner_cmd_ds_actions,
     "[--stable N]      DS changes CDS/CDNSKEY ask for, checked"},
};

static void usage(FILE *out)
{
    fputs("usage: dnssweep COMMAND [OPTIONS]\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].overview);
    fputs("  --version, --help\n"
          "Run 'dnssweep COMMAND --help' for a command's options.\n"
          "Exit status: 0 done, 1 runtime failure, 2 usage error or bad input, 3 diff\n"
          "--fail-on-regression found domains that got worse, 4 check found a domain\n"
          "that is not secure or insecure.\n",
          out);
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].store_command
                       ? scanner_cmd_run(commands[i].store_command, argc - 1, argv + 1)
                       : commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "dnssweep: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
