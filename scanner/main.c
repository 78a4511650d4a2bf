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

/* Each command: its name, the function that runs it with its own arguments (argv[0] is its
 * name), and its line in the overview of usage() after the name. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *overview;
} commands[] = {
    {"scan", command_scan, "[OPTIONS] [FILE|-]   scan the domains in FILE (default stdin)"},
    {"export", scanner_command_export, "[--format jsonl|csv|table]  export a scan"},
    {"diff", scanner_command_diff, "OLD NEW              compare two scans"},
    {"show", scanner_command_show, "DOMAIN               explain one domain"},
    {"scans", scanner_command_scans, "                     list scans"},
    {"report", scanner_command_report, "-o report.html       write an HTML report"},
    {"merge", scanner_command_merge, "--db DIR SRC_DIR...  merge shard stores"},
    {"check", scanner_command_check, "[SCAN OPTIONS] DOMAIN...  scan these names and explain each"},
    {"prune", scanner_command_prune, "--keep N | --before DATE  drop old scans, shrink the store"},
    {"ds-actions", scanner_command_ds_actions,
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
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "dnssweep: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
