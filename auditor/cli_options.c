/* cli_options - parsing and validation of the command line; see cli_options.h. */
#include "auditor/cli_options.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/xalloc.h"

enum {
    OPT_POSTFIX_DIR = 256,
    OPT_EXIM_CONFIG,
    OPT_EXIM_DEBIAN_DIR,
    OPT_NO_POSTFIX,
    OPT_NO_EXIM,
    OPT_SYSTEM_HOSTNAME,
    OPT_FORMAT,
    OPT_COLOR,
    OPT_DNS_SERVER,
    OPT_TIMEOUT,
    OPT_SOURCE_IP,
    OPT_HELO,
    OPT_ROUTE_TARGET,
    OPT_FAMILY,
    OPT_QUIET,
    OPT_STATE,
    OPT_CONFIRM,
    OPT_HOOK,
    OPT_OUTPUT,
    OPT_AUTHORITATIVE,
    OPT_WAIT,
    OPT_DOMAIN,
    OPT_NO_INBOUND,
    OPT_CONNECT,
    OPT_HELP,
    OPT_VERSION,
};

static const struct option cli_long_options[] = {
    {"postfix-dir", required_argument, NULL, OPT_POSTFIX_DIR},
    {"exim-config", required_argument, NULL, OPT_EXIM_CONFIG},
    {"exim-debian-dir", required_argument, NULL, OPT_EXIM_DEBIAN_DIR},
    {"no-postfix", no_argument, NULL, OPT_NO_POSTFIX},
    {"no-exim", no_argument, NULL, OPT_NO_EXIM},
    {"system-hostname", required_argument, NULL, OPT_SYSTEM_HOSTNAME},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"dns-server", required_argument, NULL, OPT_DNS_SERVER},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"source-ip", required_argument, NULL, OPT_SOURCE_IP},
    {"helo", required_argument, NULL, OPT_HELO},
    {"route-target", required_argument, NULL, OPT_ROUTE_TARGET},
    {"family", required_argument, NULL, OPT_FAMILY},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"state", required_argument, NULL, OPT_STATE},
    {"confirm", required_argument, NULL, OPT_CONFIRM},
    {"hook", no_argument, NULL, OPT_HOOK},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"authoritative", no_argument, NULL, OPT_AUTHORITATIVE},
    {"wait", required_argument, NULL, OPT_WAIT},
    {"domain", required_argument, NULL, OPT_DOMAIN},
    {"no-inbound", no_argument, NULL, OPT_NO_INBOUND},
    {"connect", no_argument, NULL, OPT_CONNECT},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static int cli_is_address(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int cli_options_valid_dns_server(const char *s)
{
    struct dns_server parsed;
    return dns_server_parse(s, &parsed) == 0;
}

/* A planned EHLO name: a host name of letters, digits, hyphens and dots, or
 * an address literal. Anything else could not be announced by an MTA. */
static int cli_valid_helo(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 253)
        return 0;
    if (s[0] == '[' && s[len - 1] == ']') {
        char inner[80];
        if (len - 2 >= sizeof(inner))
            return 0;
        memcpy(inner, s + 1, len - 2);
        inner[len - 2] = '\0';
        const char *addr = strncasecmp(inner, "IPv6:", 5) == 0 ? inner + 5 : inner;
        return cli_is_address(addr);
    }
    size_t label = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (label == 0 && p[1] != '\0')
                return 0;
            label = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                   *p == '-' || *p == '_') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

static int cli_valid_system_hostname(const char *s)
{
    if (!*s || strlen(s) > 255)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return 0;
    return 1;
}

static enum cli_parse_result cli_fail(char **error, char *message)
{
    *error = message;
    return CLI_PARSE_ERROR;
}

static int cli_command_fromstr(const char *s)
{
    if (strcmp(s, "audit") == 0)
        return CLI_CMD_AUDIT;
    if (strcmp(s, "identities") == 0)
        return CLI_CMD_IDENTITIES;
    if (strcmp(s, "explain") == 0)
        return CLI_CMD_EXPLAIN;
    return -1;
}

enum cli_parse_result cli_options_parse(int argc, char **argv, struct cli_options *opts, char **error)
{
    memset(opts, 0, sizeof(*opts));
    opts->timeout_ms = CLI_DEFAULT_TIMEOUT_MS;
    *error = NULL;
    const char *audit_only = NULL;
    const char *format = NULL;
    enum cli_parse_result early = CLI_PARSE_OK;
    bool timeout_given = false, color_given = false;
    opts->confirm = CLI_DEFAULT_CONFIRM;

    opterr = 0;
    optind = 0; /* glibc: start a fresh scan, so that the parser can run more than once */
    int c;
    while ((c = getopt_long(argc, argv, ":", cli_long_options, NULL)) != -1) {
        const char *arg = optarg;
        switch (c) {
        case OPT_POSTFIX_DIR:
            opts->postfix_dir = arg;
            break;
        case OPT_EXIM_CONFIG:
            opts->exim_config = arg;
            break;
        case OPT_EXIM_DEBIAN_DIR:
            opts->exim_debian_dir = arg;
            break;
        case OPT_NO_POSTFIX:
            opts->no_postfix = true;
            break;
        case OPT_NO_EXIM:
            opts->no_exim = true;
            break;
        case OPT_SYSTEM_HOSTNAME:
            if (!cli_valid_system_hostname(arg))
                return cli_fail(error, xasprintf("invalid --system-hostname '%s'", arg));
            opts->system_hostname = arg;
            break;
        case OPT_FORMAT:
            format = arg;
            break;
        case OPT_COLOR: {
            int when = term_color_fromstr(arg);
            if (when < 0)
                return cli_fail(error, xasprintf("invalid --color '%s': use auto, always or never", arg));
            opts->color = (enum term_color)when;
            color_given = true;
            break;
        }
        case OPT_DNS_SERVER: {
            struct dns_server parsed;
            /* The one parser of resolver addresses: what it accepts here,
             * the resolver is asked as. */
            if (dns_server_parse(arg, &parsed) < 0)
                return cli_fail(error, xasprintf("invalid --dns-server '%s': use ADDR, ADDR:PORT or [ADDR]:PORT",
                                                 arg));
            strlist_add(&opts->dns_servers, arg);
            opts->dns_parsed = xreallocarray(opts->dns_parsed, opts->ndns_parsed + 1, sizeof(*opts->dns_parsed));
            opts->dns_parsed[opts->ndns_parsed++] = parsed;
            audit_only = "--dns-server";
            break;
        }
        case OPT_TIMEOUT: {
            char *end;
            double seconds = strtod(arg, &end);
            if (end == arg || *end || !isfinite(seconds) || seconds <= 0 || seconds > 3600)
                return cli_fail(error, xasprintf("invalid --timeout '%s': seconds between 0 and 3600", arg));
            opts->timeout_ms = (unsigned)(seconds * 1000 + 0.5);
            timeout_given = true;
            if (opts->timeout_ms == 0)
                opts->timeout_ms = 1;
            audit_only = "--timeout";
            break;
        }
        case OPT_SOURCE_IP:
            if (!cli_is_address(arg))
                return cli_fail(error, xasprintf("invalid --source-ip '%s': not a numeric IP address", arg));
            strlist_add(&opts->source_ips, arg);
            audit_only = "--source-ip";
            break;
        case OPT_DOMAIN: {
            char *d = hostname_normal(arg);
            bool ok = hostname_is_fqdn(d);
            free(d);
            if (!ok)
                return cli_fail(error, xasprintf("invalid --domain '%s': not a fully qualified domain name", arg));
            strlist_add(&opts->domains, arg);
            audit_only = "--domain";
            break;
        }
        case OPT_CONNECT:
            opts->connect = true;
            audit_only = "--connect";
            break;
        case OPT_NO_INBOUND:
            opts->no_inbound = true;
            audit_only = "--no-inbound";
            break;
        case OPT_HELO:
            if (!cli_valid_helo(arg))
                return cli_fail(error, xasprintf("invalid --helo '%s': not a host name or address literal", arg));
            opts->helo = arg;
            audit_only = "--helo";
            break;
        case OPT_ROUTE_TARGET:
            if (!cli_is_address(arg))
                return cli_fail(error, xasprintf("invalid --route-target '%s': not a numeric IP address", arg));
            strlist_add(&opts->route_targets, arg);
            audit_only = "--route-target";
            break;
        case OPT_FAMILY: {
            int fam = model_family_fromstr(arg);
            if (fam < 0)
                return cli_fail(error, xasprintf("invalid --family '%s': use ipv4 or ipv6", arg));
            opts->families |= MODEL_FAMILY_BIT(fam);
            audit_only = "--family";
            break;
        }
        case OPT_QUIET:
            opts->quiet = true;
            audit_only = "--quiet";
            break;
        case OPT_STATE:
            if (!*arg)
                return cli_fail(error, xstrdup("invalid --state '': a file name is needed"));
            opts->state_file = arg;
            audit_only = "--state";
            break;
        case OPT_CONFIRM: {
            char *end;
            long n = strtol(arg, &end, 10);
            if (end == arg || *end || n < 1 || n > 1000)
                return cli_fail(error, xasprintf("invalid --confirm '%s': a number of runs from 1 to 1000", arg));
            opts->confirm = (unsigned)n;
            audit_only = "--confirm";
            break;
        }
        case OPT_HOOK:
            opts->hook = true;
            audit_only = "--hook";
            break;
        case OPT_OUTPUT:
            if (!*arg)
                return cli_fail(error, xstrdup("invalid --output '': a file name is needed"));
            opts->output_file = arg;
            audit_only = "--output";
            break;
        case OPT_AUTHORITATIVE:
            opts->authoritative = true;
            audit_only = "--authoritative";
            break;
        case OPT_WAIT: {
            char *end;
            long n = strtol(arg, &end, 10);
            if (end == arg || *end || n < 1 || n > CLI_MAX_WAIT_S)
                return cli_fail(error, xasprintf("invalid --wait '%s': whole seconds from 1 to %d", arg,
                                                 CLI_MAX_WAIT_S));
            opts->wait_s = (unsigned)n;
            opts->authoritative = true;
            audit_only = "--wait";
            break;
        }
        case OPT_HELP:
            early = CLI_PARSE_HELP;
            break;
        case OPT_VERSION:
            if (early == CLI_PARSE_OK)
                early = CLI_PARSE_VERSION;
            break;
        case ':':
            return cli_fail(error, xasprintf("option '%s' needs a value", argv[optind - 1]));
        default:
            return cli_fail(error, xasprintf("unknown option '%s'", argv[optind - 1]));
        }
    }
    if (early != CLI_PARSE_OK)
        return early;

    int pos = optind;
    if (pos < argc) {
        int cmd = cli_command_fromstr(argv[pos]);
        if (cmd < 0)
            return cli_fail(error, xasprintf("unknown command '%s'", argv[pos]));
        opts->command = (enum cli_command)cmd;
        pos++;
    }
    if (opts->command == CLI_CMD_EXPLAIN) {
        if (pos >= argc)
            return cli_fail(error, xstrdup("explain needs a finding id"));
        opts->explain_id = argv[pos++];
    }
    if (pos < argc)
        return cli_fail(error, xasprintf("unexpected argument '%s'", argv[pos]));

    /* A planned address of a family the planned host does not have is a
     * contradiction, not something to audit. */
    for (size_t i = 0; opts->families && i < opts->source_ips.n; i++) {
        int fam = model_family_of_address(opts->source_ips.items[i]);
        if (!(opts->families & MODEL_FAMILY_BIT(fam)))
            return cli_fail(error, xasprintf("--source-ip '%s' is %s, which --family excludes",
                                             opts->source_ips.items[i], model_family_tostr((enum model_family)fam)));
    }
    if (opts->wait_s && (opts->hook || opts->state_file))
        return cli_fail(error, xasprintf("--wait cannot be combined with %s", opts->hook ? "--hook" : "--state"));
    if (opts->hook) {
        /* A package hook must be quick and never colour a log. */
        if (!timeout_given)
            opts->timeout_ms = CLI_HOOK_TIMEOUT_MS;
        if (!color_given)
            opts->color = TERM_COLOR_NEVER;
    }
    if (opts->command != CLI_CMD_AUDIT && audit_only)
        return cli_fail(error, xasprintf("option '%s' applies to the audit only", audit_only));
    if (format) {
        if (strcmp(format, "text") == 0)
            opts->format = CLI_FORMAT_TEXT;
        else if (strcmp(format, "json") == 0)
            opts->format = CLI_FORMAT_JSON;
        else if (strcmp(format, "nagios") == 0 && opts->command == CLI_CMD_AUDIT)
            opts->format = CLI_FORMAT_NAGIOS;
        else if (strcmp(format, "prometheus") == 0 && opts->command == CLI_CMD_AUDIT)
            opts->format = CLI_FORMAT_PROMETHEUS;
        else
            return cli_fail(error, xasprintf("invalid --format '%s' for this command", format));
    }
    return CLI_PARSE_OK;
}

bool cli_options_argv_has(int argc, char **argv, const char *option, const char *value)
{
    size_t olen = strlen(option);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strncmp(argv[i], option, olen) != 0)
            continue;
        if (!value && argv[i][olen] == '\0')
            return true;
        if (value && argv[i][olen] == '=' && strcmp(argv[i] + olen + 1, value) == 0)
            return true;
        if (value && argv[i][olen] == '\0' && i + 1 < argc && strcmp(argv[i + 1], value) == 0)
            return true;
    }
    return false;
}

char *cli_options_hostname(const struct cli_options *opts)
{
    if (opts->system_hostname)
        return xstrdup(opts->system_hostname);
    char name[256];
    if (gethostname(name, sizeof(name)) != 0)
        return xstrdup("localhost");
    name[sizeof(name) - 1] = '\0';
    return xstrdup(name);
}

void cli_options_free(struct cli_options *opts)
{
    strlist_free(&opts->dns_servers);
    free(opts->dns_parsed);
    opts->dns_parsed = NULL;
    opts->ndns_parsed = 0;
    strlist_free(&opts->source_ips);
    strlist_free(&opts->route_targets);
    strlist_free(&opts->domains);
}
