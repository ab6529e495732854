/* cli_options - the command line of interface.md, parsed and validated.
 *
 * Strings that come straight from argv are borrowed (valid as long as argv);
 * the lists are owned and freed by cli_options_free(). Every malformed value
 * is a usage error with a one-line explanation, so that nothing unvalidated
 * reaches the probes. */
#ifndef MP_CLI_OPTIONS_H
#define MP_CLI_OPTIONS_H

#include <stdbool.h>

#include "auditor/foundation/strlist.h"
#include "auditor/foundation/term.h"
#include "probes/dns.h"

enum cli_command { CLI_CMD_AUDIT, CLI_CMD_IDENTITIES, CLI_CMD_EXPLAIN };
enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_NAGIOS, CLI_FORMAT_PROMETHEUS };
enum cli_parse_result { CLI_PARSE_OK, CLI_PARSE_HELP, CLI_PARSE_VERSION, CLI_PARSE_ERROR };

#define CLI_DEFAULT_TIMEOUT_MS 5000
#define CLI_HOOK_TIMEOUT_MS 3000 /* --hook without --timeout */
#define CLI_DEFAULT_CONFIRM 2
#define CLI_MAX_WAIT_S 86400 /* --wait: one day at most */

struct cli_options {
    enum cli_command command;
    const char *postfix_dir;     /* NULL: $MAIL_CONFIG, else /etc/postfix */
    const char *exim_config;     /* NULL: the default search list */
    const char *exim_debian_dir; /* NULL: none */
    bool no_postfix, no_exim;
    const char *system_hostname; /* NULL: gethostname() */
    enum cli_format format;
    enum term_color color;
    /* audit only */
    struct strlist dns_servers;   /* as given; each accepted by dns_server_parse */
    struct dns_server *dns_parsed; /* the same, parsed by dns_server_parse, in order */
    size_t ndns_parsed;
    struct strlist source_ips;    /* numeric addresses, validated */
    struct strlist route_targets; /* numeric addresses, validated */
    const char *helo;             /* validated hostname or address literal */
    unsigned families;            /* --family: MODEL_FAMILY_BIT()s of the audited host; 0: as it is */
    bool quiet;                   /* --quiet: nothing on ok (with --state: on no change) */
    const char *state_file;       /* --state: drift mode, or NULL */
    unsigned confirm;             /* --confirm: runs a change must persist (default 2) */
    bool hook;                    /* --hook: package hook mode (implies --color never, --timeout 3) */
    const char *output_file;      /* --output: write the report there atomically, or NULL */
    struct strlist domains;       /* --domain: replaces the configured domains; each a FQDN */
    bool no_inbound;              /* --no-inbound: skip the inbound part */
    bool connect;                 /* --connect: read the live greeting of each listening address */
    unsigned timeout_ms;
    bool authoritative;           /* --authoritative: ask the reverse zones' servers directly too */
    unsigned wait_s;              /* --wait SECONDS (implies authoritative); 0: no waiting */
    const char *explain_id;       /* explain: the finding id */
};

/* cli_options_argv_has - argv (before "--") has option, with value when
 * value is not NULL ("--format nagios" or "--format=nagios"); for deciding
 * how to report a command line that did not parse. */
bool cli_options_argv_has(int argc, char **argv, const char *option, const char *value);

/* cli_options_parse - fill opts from argv. Returns CLI_PARSE_OK, _HELP,
 * _VERSION, or _ERROR with *error set to a newly allocated one-line message.
 * opts must be released with cli_options_free() in every case. */
enum cli_parse_result cli_options_parse(int argc, char **argv, struct cli_options *opts, char **error);
/* cli_options_hostname - --system-hostname, else gethostname(); newly allocated. */
char *cli_options_hostname(const struct cli_options *opts);
/* cli_options_valid_dns_server - 1 when dns_server_parse accepts s (ADDR,
 * ADDR:PORT, [ADDR], [ADDR]:PORT, V6ADDR), else 0. */
int cli_options_valid_dns_server(const char *s);
void cli_options_free(struct cli_options *opts);

#endif
