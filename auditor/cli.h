/* cli - the command layer: options, commands, output choice and exit status.
 * The only module that prints to the terminal or decides the exit status. */
#ifndef MP_CLI_H
#define MP_CLI_H

/* Exit statuses of interface.md. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_WARNING = 1,
    CLI_EXIT_CRITICAL = 2,
    CLI_EXIT_UNKNOWN = 3,
    CLI_EXIT_USAGE = 64,
};

/* cli_main - run mta-preflight with these arguments; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
