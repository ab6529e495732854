/* test_identities_report - what `mta-preflight identities` prints, from the
 * built program: the whole text output of chosen samples equals a golden
 * file (tests/golden/identities-MTA-CASE.txt; MP_UPDATE_GOLDEN=1 rewrites
 * them, a mismatch writes the output under $MP_BUILD_DIR/golden/ and prints
 * the diff command), the lines that matter are asserted one by one besides,
 * and the JSON "inbound" and "domains" arrays carry the audit's key names.
 *
 * The cases: a Postfix postscreen with its teaser and pass service, Postfix
 * domains with tables, a cap and notes, a Postfix table whose equal column
 * moves above it, an Exim multi-line banner on several ports and addresses,
 * and HestiaCP's dynamic Exim banner (its identity wide enough to be a
 * block).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

struct ir_case {
    const char *sample; /* under samples/ */
    const char *args;   /* how to read it */
    const char *host;   /* --system-hostname */
};

static const struct ir_case ir_cases[] = {
    {"postfix/inbound-postscreen-pass", "--no-exim --postfix-dir samples/postfix/inbound-postscreen-pass",
     "corpus-host.example.net"},
    {"postfix/inbound-domains", "--no-exim --postfix-dir samples/postfix/inbound-domains", "corpus-host.example.net"},
    {"postfix/transport-nexthops", "--no-exim --postfix-dir samples/postfix/transport-nexthops",
     "corpus-host.example.net"},
    {"exim/inbound-custom-banner", "--no-postfix --exim-config samples/exim/inbound-custom-banner/configure",
     "corpus-host.example.net"},
    {"exim/inbound-hestia-banner", "--no-postfix --exim-config samples/exim/inbound-hestia-banner/configure",
     "corpus-host.example.net"},
};
#define IR_NCASES (sizeof(ir_cases) / sizeof(ir_cases[0]))

/* ir_run - stdout of identities on a case; the exit status must be 0. */
static char *ir_run(const struct ir_case *c, const char *extra)
{
    char *cmd = xasprintf("'%s' identities %s --system-hostname '%s' %s", ts_bin(), c->args, c->host, extra);
    char *out, *err;
    int rc = ts_run(cmd, &out, &err);
    ck_assert_msg(rc == 0, "%s: exit status %d: %s", cmd, rc, err);
    free(err);
    free(cmd);
    return out;
}

/* ir_golden_name - "identities-postfix-inbound-domains.txt" for "postfix/inbound-domains". */
static char *ir_golden_name(const char *sample)
{
    char *name = xasprintf("identities-%s.txt", sample);
    for (char *p = name; *p; p++)
        if (*p == '/')
            *p = '-';
    return name;
}

START_TEST(text_equals_golden)
{
    const struct ir_case *c = &ir_cases[_i];
    char *got = ir_run(c, "--color never");
    char *name = ir_golden_name(c->sample);
    char *path = xasprintf("tests/golden/%s", name);
    const char *update = getenv("MP_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        ts_write_file(path, got);
    } else {
        char *want = ts_read_file(path, NULL);
        if (!want || strcmp(want, got) != 0) {
            const char *build = getenv("MP_BUILD_DIR");
            char *dir = xasprintf("%s/golden", build && *build ? build : "build");
            char *cmd = xasprintf("mkdir -p '%s'", dir);
            ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
            char *got_path = xasprintf("%s/%s", dir, name);
            ts_write_file(got_path, got);
            fprintf(stderr, "golden mismatch: diff -u %s %s\n", path, got_path);
            ck_abort_msg("identities output of %s differs from %s (see the diff command above)", c->sample, path);
        }
        free(want);
    }
    free(path);
    free(name);
    free(got);
}
END_TEST

/* assert_lines - text holds the lines, consecutive, in this order. */
#define assert_lines(text, lines)                                                                                 \
    ck_assert_msg(strstr((text), (lines)) != NULL, "missing, as consecutive lines:\n%s\nin:\n%s", (lines), (text))

START_TEST(postscreen_listener_lines)
{
    char *out = ir_run(&ir_cases[0], "--color never");
    const char *in = strstr(out, "\nInbound\n");
    ck_assert_msg(in, "no Inbound section in:\n%s", out);
    /* after the identities, before anything else */
    ck_assert_ptr_nonnull(strstr(out, "  postfix:samples/postfix/inbound-postscreen-pass:smtp/unix\n"));
    ck_assert(strstr(out, "  postfix:samples/postfix/inbound-postscreen-pass:smtp/unix\n") < in);
    assert_lines(in, "\n  postfix:samples/postfix/inbound-postscreen-pass:smtp/inet\n"
                     "    listener     Postfix postscreen, service smtp\n"
                     "                 samples/postfix/inbound-postscreen-pass/master.cf:1\n"
                     "    port         25 (smtp), MX\n"
                     "    addresses    all IPv4 addresses\n"
                     "                 samples/postfix/inbound-postscreen-pass/main.cf:8\n"
                     "    banner       mx-pass.example.com ESMTP Postfix (Debian/GNU)\n"
                     "                 samples/postfix/inbound-postscreen-pass/main.cf:5\n"
                     "    host name    mx-pass.example.com (from myhostname)\n"
                     "                 samples/postfix/inbound-postscreen-pass/master.cf:2 (-o)\n"
                     "    teaser       mx1.example.com ESMTP ready\n"
                     "                 samples/postfix/inbound-postscreen-pass/main.cf:6\n"
                     "    teaser host  mx1.example.com (from myhostname)\n"
                     "                 samples/postfix/inbound-postscreen-pass/main.cf:3\n"
                     "    pass to      smtpd/pass\n"
                     "                 samples/postfix/inbound-postscreen-pass/master.cf:2\n"
                     "    note         postscreen greets a new client");
    /* the second postscreen: no teaser, not MX */
    assert_lines(in, "\n  postfix:samples/postfix/inbound-postscreen-pass:10025/inet\n"
                     "    listener     Postfix postscreen, service 10025\n"
                     "                 samples/postfix/inbound-postscreen-pass/master.cf:4\n"
                     "    port         10025, not MX\n");
    assert_lines(in, "    teaser       none\n"
                     "                 samples/postfix/inbound-postscreen-pass/master.cf:4 (-o)\n"
                     "    pass to      smtpd-other/pass\n");
    assert_lines(in, "\n  domains\n"
                     "    mydestination  samples/postfix/inbound-postscreen-pass/main.cf:9\n"
                     "      example.com\n");
    free(out);
}
END_TEST

START_TEST(domains_tables_and_notes)
{
    char *out = ir_run(&ir_cases[1], "--color never");
    assert_lines(out, "\n  domains\n"
                      "    mydestination  samples/postfix/inbound-domains/main.cf:6\n"
                      "      example.net example.com\n"
                      "    virtual_mailbox_domains  samples/postfix/inbound-domains/main.cf:9\n"
                      "      a01.example.org a02.example.org a03.example.org a04.example.org\n");
    assert_lines(out, "      a17.example.org a18.example.org\n"
                      "    3 more domains left out (at most 20 are kept)\n"
                      "    mydestination  samples/postfix/inbound-domains/main.cf:6\n"
                      "      table /etc/postfix/local-domains, not read\n"
                      "    virtual_alias_domains  samples/postfix/inbound-domains/main.cf:13\n"
                      "      table inline:{ alias1.example.org, alias2.example.org }, not read\n"
                      "  notes\n"
                      "    mydestination (samples/postfix/inbound-domains/main.cf:6) has the pattern\n"
                      "      '!excluded.example.com': it is not a domain mta-preflight looks up\n");
    free(out);
}
END_TEST

/* Every identity has the same EHLO name and the relay column is wide: the
 * name moves above the table, which then fits. */
START_TEST(equal_column_moves_above_the_table)
{
    char *out = ir_run(&ir_cases[2], "--color never");
    assert_lines(out, "Postfix samples/postfix/transport-nexthops (--postfix-dir)\n"
                      "  EHLO NAME    edge.example.net  (every transport)\n"
                      "  TRANSPORT    IPV4 SOURCE  IPV6 SOURCE  PREFER  RELAY\n"
                      "  smtp/unix    kernel       kernel       any     [other-smart.example.net]:2525\n"
                      "  relay/unix   kernel       kernel       any     [partner-gw.example.net]\n"
                      "  direct/unix  kernel       kernel       any     direct\n\n");
    free(out);
}
END_TEST

START_TEST(exim_multiline_banner_lines)
{
    char *out = ir_run(&ir_cases[3], "--color never");
    assert_lines(out, "\n  exim:samples/exim/inbound-custom-banner/configure:daemon\n"
                      "    listener     Exim daemon\n"
                      "                 samples/exim/inbound-custom-banner/configure:5\n"
                      "    port         25 (smtp), MX\n"
                      "    addresses    192.0.2.26, 2001:db8::26, 127.0.0.1\n"
                      "                 samples/exim/inbound-custom-banner/configure:7\n"
                      "    banner       mx.example.org ESMTP Exim $version_number ready\n"
                      "                 No UCE here\n"
                      "                 samples/exim/inbound-custom-banner/configure:4\n"
                      "    host name    mx.example.org (from primary_hostname)\n"
                      "                 samples/exim/inbound-custom-banner/configure:3\n"
                      "  exim:samples/exim/inbound-custom-banner/configure:daemon:587\n");
    assert_lines(out, "    port         465 (smtps), not MX, TLS on connect\n");
    assert_lines(out, "    port         2525, not MX\n"
                      "    addresses    192.0.2.27, 2001:db8::27\n");
    free(out);
}
END_TEST

START_TEST(exim_dynamic_banner_lines)
{
    char *out = ir_run(&ir_cases[4], "--color never");
    assert_lines(out, "\n  exim:samples/exim/inbound-hestia-banner/configure:daemon\n"
                      "    listener     Exim daemon\n"
                      "                 samples/exim/inbound-hestia-banner/configure:7\n"
                      "    port         25, MX\n"
                      "    addresses    all IPv4 addresses\n"
                      "                 default\n"
                      "    banner       dynamic: $smtp_active_hostname ESMTP\n"
                      "                 samples/exim/inbound-hestia-banner/configure:4\n"
                      "    host name    the PTR name of the address connected to, else mail.example.com\n"
                      "                 (from smtp_active_hostname)\n"
                      "                 samples/exim/inbound-hestia-banner/configure:5\n"
                      "    expression   ${lookup dnsdb{>: defer_never,ptr=$interface_address}{${listext\n"
                      "                 ract{1}{$value}}}{$primary_hostname}}\n");
    /* the dynamic EHLO name makes the identity too wide for a table */
    assert_lines(out, "  TRANSPORT    remote_smtp\n"
                      "  EHLO NAME    dynamic (else mail.example.com)\n");
    assert_lines(out, "    table dsearch;/etc/exim4/domains/, not read\n");
    free(out);
}
END_TEST

/* json_get - the member key of o, which must exist. */
static struct json_object *json_get(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key '%s' in %s", key, json_object_to_json_string(o));
    return v;
}

static void assert_json_str(struct json_object *o, const char *key, const char *want)
{
    struct json_object *v = json_get(o, key);
    if (!want) {
        ck_assert_msg(v == NULL, "'%s' is %s, not null", key, json_object_to_json_string(v));
        return;
    }
    ck_assert_msg(v && json_object_is_type(v, json_type_string), "'%s' is not a string", key);
    ck_assert_str_eq(json_object_get_string(v), want);
}

static void assert_json_bool(struct json_object *o, const char *key, bool want)
{
    struct json_object *v = json_get(o, key);
    ck_assert_msg(v && json_object_is_type(v, json_type_boolean), "'%s' is not a boolean", key);
    ck_assert_int_eq(json_object_get_boolean(v), want);
}

static struct json_object *ir_json(const struct ir_case *c)
{
    char *out = ir_run(c, "--format json");
    struct json_object *root = json_tokener_parse(out);
    ck_assert_msg(root, "not JSON:\n%s", out);
    free(out);
    return root;
}

START_TEST(json_postscreen)
{
    struct json_object *root = ir_json(&ir_cases[0]);
    struct json_object *in = json_get(root, "inbound");
    ck_assert_int_eq((int)json_object_array_length(in), 2);
    struct json_object *l = json_object_array_get_idx(in, 0);
    /* the keys of the audit's inbound[] */
    assert_json_str(l, "id", "postfix:samples/postfix/inbound-postscreen-pass:smtp/inet");
    assert_json_str(l, "mta", "postfix");
    ck_assert_int_eq(json_object_get_int(json_get(l, "port")), 25);
    struct json_object *b = json_get(l, "banner");
    assert_json_str(b, "text", "mx-pass.example.com ESMTP Postfix (Debian/GNU)");
    assert_json_str(b, "hostname", "mx-pass.example.com");
    assert_json_str(b, "origin", "samples/postfix/inbound-postscreen-pass/main.cf:5");
    assert_json_bool(b, "dynamic", false);
    ck_assert_int_eq((int)json_object_array_length(json_get(l, "addresses")), 0);
    struct json_object *t = json_get(l, "teaser");
    assert_json_str(t, "text", "mx1.example.com ESMTP ready");
    assert_json_str(t, "hostname", "mx1.example.com");
    /* what identities adds */
    assert_json_str(l, "command", "postscreen");
    assert_json_str(l, "service", "smtp");
    assert_json_str(l, "origin", "samples/postfix/inbound-postscreen-pass/master.cf:1");
    assert_json_str(l, "port_name", "smtp");
    assert_json_bool(l, "mx", true);
    assert_json_bool(l, "tls_on_connect", false);
    struct json_object *all = json_get(l, "all_families");
    ck_assert_int_eq((int)json_object_array_length(all), 1);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(all, 0)), "ipv4");
    assert_json_str(l, "addresses_origin", "samples/postfix/inbound-postscreen-pass/main.cf:8");
    assert_json_str(b, "raw", "$myhostname ESMTP $mail_name (Debian/GNU)");
    assert_json_str(b, "host_param", "myhostname");
    assert_json_str(b, "host_origin", "samples/postfix/inbound-postscreen-pass/master.cf:2 (-o)");
    assert_json_str(b, "host_expression", NULL);
    assert_json_bool(b, "host_from_ptr", false);
    assert_json_str(l, "pass_service", "smtpd/pass");
    assert_json_str(l, "pass_origin", "samples/postfix/inbound-postscreen-pass/master.cf:2");
    ck_assert_int_eq((int)json_object_array_length(json_get(l, "notes")), 1);

    struct json_object *second = json_object_array_get_idx(in, 1);
    ck_assert_ptr_null(json_get(second, "teaser"));
    assert_json_bool(second, "mx", false);

    struct json_object *domains = json_get(root, "domains");
    ck_assert_int_eq((int)json_object_array_length(domains), 1);
    struct json_object *d = json_object_array_get_idx(domains, 0);
    assert_json_str(d, "domain", "example.com");
    assert_json_str(d, "mta", "postfix");
    assert_json_str(d, "source", "mydestination");
    assert_json_str(d, "origin", "samples/postfix/inbound-postscreen-pass/main.cf:9");
    ck_assert_int_eq((int)json_object_array_length(json_get(root, "domain_tables")), 0);
    ck_assert_int_eq(json_object_get_int(json_get(root, "domains_dropped")), 0);
    /* the identities are still there, unchanged */
    ck_assert_int_eq((int)json_object_array_length(json_get(root, "identities")), 1);
    json_object_put(root);
}
END_TEST

START_TEST(json_dynamic_and_domains)
{
    struct json_object *root = ir_json(&ir_cases[4]);
    struct json_object *in = json_get(root, "inbound");
    ck_assert_int_eq((int)json_object_array_length(in), 3);
    struct json_object *l = json_object_array_get_idx(in, 0);
    assert_json_str(l, "id", "exim:samples/exim/inbound-hestia-banner/configure:daemon");
    assert_json_str(l, "mta", "exim");
    struct json_object *b = json_get(l, "banner");
    assert_json_str(b, "text", NULL);
    assert_json_str(b, "hostname", NULL);
    assert_json_bool(b, "dynamic", true);
    assert_json_str(b, "raw", "$smtp_active_hostname ESMTP");
    assert_json_str(b, "host_param", "smtp_active_hostname");
    assert_json_bool(b, "host_from_ptr", true);
    assert_json_str(b, "host_fallback", "mail.example.com");
    assert_json_str(b, "host_expression",
                    "${lookup dnsdb{>: defer_never,ptr=$interface_address}{${listextract{1}{$value}}}"
                    "{$primary_hostname}}");
    ck_assert_ptr_null(json_get(l, "teaser"));
    assert_json_bool(json_object_array_get_idx(in, 1), "tls_on_connect", true);
    ck_assert_int_eq((int)json_object_array_length(json_get(root, "domains")), 0);
    struct json_object *tables = json_get(root, "domain_tables");
    ck_assert_int_eq((int)json_object_array_length(tables), 1);
    assert_json_str(json_object_array_get_idx(tables, 0), "table", "dsearch;/etc/exim4/domains/");
    json_object_put(root);

    root = ir_json(&ir_cases[1]);
    ck_assert_int_eq((int)json_object_array_length(json_get(root, "domains")), 20);
    ck_assert_int_eq(json_object_get_int(json_get(root, "domains_dropped")), 3);
    ck_assert_int_eq((int)json_object_array_length(json_get(root, "inbound_notes")), 4);
    json_object_put(root);
}
END_TEST

/* A configuration without any listener still says so. */
START_TEST(no_listener_is_said)
{
    char *dir = ts_tmpdir("ir");
    char *path = xasprintf("%s/main.cf", dir);
    ts_write_file(path, "myhostname = mx.example.org\n");
    free(path);
    path = xasprintf("%s/master.cf", dir);
    ts_write_file(path, "smtp      unix  -       -       n       -       -       smtp\n");
    free(path);
    char *cmd = xasprintf("'%s' identities --no-exim --postfix-dir '%s' --system-hostname mx", ts_bin(), dir);
    char *out;
    ck_assert_int_eq(ts_run(cmd, &out, NULL), 0);
    assert_lines(out, "\nInbound\n  no SMTP listener\n  no domain in the configuration\n\n");
    free(out);
    free(cmd);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

Suite *identities_report_suite(void)
{
    Suite *s = suite_create("identities_report");
    TCase *tc = tcase_create("identities_report");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, text_equals_golden, 0, (int)IR_NCASES);
    tcase_add_test(tc, postscreen_listener_lines);
    tcase_add_test(tc, domains_tables_and_notes);
    tcase_add_test(tc, equal_column_moves_above_the_table);
    tcase_add_test(tc, exim_multiline_banner_lines);
    tcase_add_test(tc, exim_dynamic_banner_lines);
    tcase_add_test(tc, json_postscreen);
    tcase_add_test(tc, json_dynamic_and_domains);
    tcase_add_test(tc, no_listener_is_said);
    suite_add_tcase(s, tc);
    return s;
}
