/* dnssweep: command dispatch. */
#include <stdio.h>
#include <string.h>

#include "scanner/scanner.h"

#ifndef DNSSWEEP_VERSION
#define DNSSWEEP_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
    fprintf(out, "usage: dnssweep COMMAND [OPTIONS]\n"
                 "  scan    [OPTIONS] [FILE|-]   scan the domains in FILE (default stdin)\n"
                 "  export  export a scan as jsonl or csv\n"
                 "  diff    OLD NEW              compare two scans\n"
                 "  report  -o report.html       write an HTML report\n"
                 "  show    DOMAIN               explain one domain\n"
                 "  scans                        list scans\n"
                 "  merge   --db DIR SRC_DIR...  merge shard stores\n"
                 "Run 'dnssweep COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dnssweep %s\n", DNSSWEEP_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "dnssweep: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
