/* test_cli - the command line of interface.md: options, validation, usage errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/cli_options.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"

/* Parse a NULL-terminated list of arguments (argv[0] is added). */
static enum cli_parse_result parse(struct cli_options *opts, char **error, const char *const *args)
{
    /* getopt_long permutes argv, so keep the copies apart to free them. */
    static char *owned[32];
    char *argv[32];
    int argc = 0;
    for (int i = 0; owned[i]; i++) {
        free(owned[i]);
        owned[i] = NULL;
    }
    owned[argc] = xstrdup("mta-preflight");
    argv[argc] = owned[argc];
    argc++;
    for (; *args; args++, argc++)
        argv[argc] = owned[argc] = xstrdup(*args);
    argv[argc] = NULL;
    return cli_options_parse(argc, argv, opts, error);
}

#define PARSE(...) parse(&opts, &error, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(cli_defaults_to_audit)
{
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(parse(&opts, &error, (const char *const[]){NULL}), CLI_PARSE_OK);
    ck_assert_int_eq(opts.command, CLI_CMD_AUDIT);
    ck_assert_uint_eq(opts.timeout_ms, 5000);
    ck_assert_int_eq(opts.format, CLI_FORMAT_TEXT);
    ck_assert_int_eq(opts.color, TERM_COLOR_AUTO);
    cli_options_free(&opts);
}
END_TEST

START_TEST(cli_parses_every_audit_option)
{
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(PARSE("audit", "--postfix-dir", "/srv/pf", "--exim-config", "/srv/exim.conf", "--no-exim",
                           "--system-hostname", "mx1", "--format", "json", "--color", "never", "--dns-server",
                           "192.0.2.53", "--dns-server", "[2001:db8::53]:5353", "--timeout", "2.5", "--source-ip",
                           "203.0.113.7", "--source-ip", "2001:db8::7", "--helo", "mail.example.com",
                           "--route-target", "198.51.100.1"),
                     CLI_PARSE_OK);
    ck_assert_str_eq(opts.postfix_dir, "/srv/pf");
    ck_assert_str_eq(opts.exim_config, "/srv/exim.conf");
    ck_assert(opts.no_exim && !opts.no_postfix);
    ck_assert_str_eq(opts.system_hostname, "mx1");
    ck_assert_int_eq(opts.format, CLI_FORMAT_JSON);
    ck_assert_int_eq(opts.color, TERM_COLOR_NEVER);
    ck_assert_uint_eq(opts.dns_servers.n, 2);
    ck_assert_str_eq(opts.dns_servers.items[1], "[2001:db8::53]:5353");
    ck_assert_uint_eq(opts.timeout_ms, 2500);
    ck_assert_uint_eq(opts.source_ips.n, 2);
    ck_assert_str_eq(opts.helo, "mail.example.com");
    ck_assert_uint_eq(opts.route_targets.n, 1);
    cli_options_free(&opts);
}
END_TEST

START_TEST(cli_options_may_come_before_the_command)
{
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(PARSE("--format", "json", "identities", "--no-postfix"), CLI_PARSE_OK);
    ck_assert_int_eq(opts.command, CLI_CMD_IDENTITIES);
    ck_assert(opts.no_postfix);
    cli_options_free(&opts);
    ck_assert_int_eq(PARSE("explain", "ipv6-without-ptr"), CLI_PARSE_OK);
    ck_assert_int_eq(opts.command, CLI_CMD_EXPLAIN);
    ck_assert_str_eq(opts.explain_id, "ipv6-without-ptr");
    cli_options_free(&opts);
}
END_TEST

/* Every malformed command line is a usage error with a message naming the culprit. */
START_TEST(cli_rejects_bad_arguments)
{
    static const struct {
        const char *args[6];
        const char *mention;
    } cases[] = {
        {{"--bogus"}, "--bogus"},
        {{"--timeout"}, "--timeout"},
        {{"--timeout", "0"}, "--timeout"},
        {{"--timeout", "-1"}, "--timeout"},
        {{"--timeout", "5s"}, "--timeout"},
        {{"--timeout", "nan"}, "--timeout"},
        {{"--format", "xml"}, "xml"},
        {{"identities", "--format", "nagios"}, "nagios"},
        {{"--color", "sometimes"}, "sometimes"},
        {{"--source-ip", "mail.example.com"}, "mail.example.com"},
        {{"--source-ip", "192.0.2.300"}, "192.0.2.300"},
        {{"--route-target", "2001:db8::g"}, "2001:db8::g"},
        {{"--dns-server", "192.0.2.53:0"}, "192.0.2.53:0"},
        {{"--dns-server", "192.0.2.53:99999"}, "192.0.2.53:99999"},
        {{"--dns-server", "[2001:db8::53"}, "[2001:db8::53"},
        {{"--dns-server", "ns.example.com"}, "ns.example.com"},
        {{"--helo", "mail example"}, "mail example"},
        {{"--helo", "[mail.example.com]"}, "[mail.example.com]"},
        {{"--system-hostname", "a b"}, "a b"},
        {{"identities", "--dns-server", "192.0.2.53"}, "--dns-server"},
        {{"identities", "--helo", "mail.example.com"}, "--helo"},
        {{"frobnicate"}, "frobnicate"},
        {{"explain"}, "finding id"},
        {{"identities", "extra"}, "extra"},
        {{"--family", "inet6"}, "inet6"},
        {{"--family", "ipv4", "--source-ip", "2001:db8::25"}, "2001:db8::25"},
        {{"identities", "--family", "ipv4"}, "--family"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cli_options opts;
        char *error = NULL;
        ck_assert_msg(parse(&opts, &error, cases[i].args) == CLI_PARSE_ERROR, "case %zu accepted", i);
        ck_assert_ptr_nonnull(error);
        ck_assert_msg(strstr(error, cases[i].mention), "case %zu: '%s' does not mention '%s'", i, error,
                      cases[i].mention);
        free(error);
        cli_options_free(&opts);
    }
}
END_TEST

START_TEST(cli_family_restricts_the_audited_host)
{
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(PARSE("--family", "ipv4", "--source-ip", "203.0.113.25"), CLI_PARSE_OK);
    ck_assert_uint_eq(opts.families, MODEL_FAMILY_BIT(MODEL_IPV4));
    cli_options_free(&opts);
    ck_assert_int_eq(PARSE("--family", "ipv6", "--family", "ipv4"), CLI_PARSE_OK);
    ck_assert_uint_eq(opts.families, MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6));
    cli_options_free(&opts);
    ck_assert_int_eq(PARSE("audit"), CLI_PARSE_OK);
    ck_assert_uint_eq(opts.families, 0);
    cli_options_free(&opts);
}
END_TEST

START_TEST(cli_dns_server_forms)
{
    ck_assert(cli_options_valid_dns_server("192.0.2.53"));
    ck_assert(cli_options_valid_dns_server("192.0.2.53:5353"));
    ck_assert(cli_options_valid_dns_server("[2001:db8::53]:5353"));
    ck_assert(cli_options_valid_dns_server("[2001:db8::53]"));
    ck_assert(cli_options_valid_dns_server("2001:db8::53"));
    ck_assert(cli_options_valid_dns_server("::1"));
    ck_assert(!cli_options_valid_dns_server(""));
    ck_assert(!cli_options_valid_dns_server("192.0.2.53:"));
    ck_assert(!cli_options_valid_dns_server("[2001:db8::53]:"));
    ck_assert(!cli_options_valid_dns_server("[2001:db8::53]x"));
}
END_TEST

START_TEST(cli_help_and_version)
{
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(PARSE("--help"), CLI_PARSE_HELP);
    cli_options_free(&opts);
    ck_assert_int_eq(PARSE("identities", "--version"), CLI_PARSE_VERSION);
    cli_options_free(&opts);
    ck_assert_int_eq(PARSE("--version", "--help"), CLI_PARSE_HELP);
    cli_options_free(&opts);
}
END_TEST

START_TEST(term_escapes_control_characters)
{
    struct strbuf sb = STRBUF_INIT;
    term_escape(&sb, "mail\033[31m.example\n\x7f\\ok\xc3\xa9");
    ck_assert_str_eq(sb.buf, "mail\\x1b[31m.example\\n\\x7f\\\\ok\xc3\xa9");
    strbuf_release(&sb);
    term_escape(&sb, NULL);
    ck_assert_str_eq(sb.buf, "-");
    strbuf_release(&sb);
}
END_TEST

START_TEST(term_color_decision)
{
    ck_assert(term_use_color(TERM_COLOR_ALWAYS, stdout));
    ck_assert(!term_use_color(TERM_COLOR_NEVER, stdout));
    setenv("NO_COLOR", "1", 1);
    ck_assert(!term_use_color(TERM_COLOR_AUTO, stdout));
    unsetenv("NO_COLOR");
    ck_assert_int_eq(term_color_fromstr("always"), TERM_COLOR_ALWAYS);
    ck_assert_int_eq(term_color_fromstr("auto"), TERM_COLOR_AUTO);
    ck_assert_int_eq(term_color_fromstr("never"), TERM_COLOR_NEVER);
    ck_assert_int_eq(term_color_fromstr("yes"), -1);
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, cli_defaults_to_audit);
    tcase_add_test(tc, cli_parses_every_audit_option);
    tcase_add_test(tc, cli_options_may_come_before_the_command);
    tcase_add_test(tc, cli_rejects_bad_arguments);
    tcase_add_test(tc, cli_dns_server_forms);
    tcase_add_test(tc, cli_help_and_version);
    tcase_add_test(tc, term_escapes_control_characters);
    tcase_add_test(tc, term_color_decision);
    tcase_add_test(tc, cli_family_restricts_the_audited_host);
    suite_add_tcase(s, tc);
    return s;
}
