/* cli - the command layer; see cli.h. */
#include "auditor/cli.h"

#include <stdio.h>
#include <string.h>

static void cli_usage(FILE *fp)
{
    fputs("usage: mta-preflight [audit] [OPTIONS]\n"
          "       mta-preflight identities [OPTIONS]\n"
          "       mta-preflight explain FINDING-ID\n"
          "       mta-preflight --version | --help\n", fp);
}

int cli_main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("mta-preflight %s\n", MP_VERSION);
        return CLI_EXIT_OK;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        cli_usage(stdout);
        return CLI_EXIT_OK;
    }
    cli_usage(stderr);
    return CLI_EXIT_USAGE;
}
