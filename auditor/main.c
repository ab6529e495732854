/* main - the mta-preflight command: parse arguments, run a command, exit. */
#include "auditor/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
