/* test_audit_report - the audit's reports: JSON parsed back with json-c and
 * checked against schema 1, a text snapshot, escaping of hostile data, the
 * nagios line, Prometheus metrics and the explain texts. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/report_explain.h"
#include "auditor/report_json.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/report_text.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define V4 MODEL_FAMILY_BIT(MODEL_IPV4)
#define V6 MODEL_FAMILY_BIT(MODEL_IPV6)

/* The demo situation: IPv6 delivery without a PTR, IPv4 fine, plus a
 * smarthost transport and a configuration error. */
static void demo(struct af *a)
{
    af_init(a);
    af_postfix(a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    struct model_identity *relay = af_postfix(a, "/etc/postfix", "relay", "mail.example.com", V4, MODEL_PREF_ANY);
    model_set_str(&relay->relay, "[smtp.example.net]:587");
    model_origin_override(&relay->helo_origin, "/etc/postfix/master.cf", 20);
    af_source(a, 0, MODEL_IPV4, "192.0.2.10");
    af_source(a, 0, MODEL_IPV6, "2001:db8::10");
    af_source(a, 1, MODEL_IPV4, "192.0.2.10");
    af_dns_ok(a, "192.0.2.10", "mail.example.com");
    af_fwd(a, "mail.example.com", FACTS_AAAA, FACTS_OK, "2001:db8::10", NULL);
    af_ptr(a, "2001:db8::10", FACTS_NXDOMAIN, NULL);
    model_config_add(&a->set, MODEL_POSTFIX, "/etc/postfix", "--postfix-dir");
    diag_add(&a->diags, DIAG_ERROR, "/etc/postfix/main.cf", 41, "bad parameter value: smtp_address_preference = %s",
             "ipv5");
    af_run(a);
}

static const char *jstr(struct json_object *o, const char *key)
{
    struct json_object *v;
    ck_assert_msg(json_object_object_get_ex(o, key, &v), "missing key %s", key);
    return v ? json_object_get_string(v) : NULL;
}

START_TEST(json_parses_back_as_schema_1)
{
    struct af a;
    demo(&a);
    char *text = report_json(&a.set, &a.facts, &a.findings);
    struct json_object *root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    struct json_object *v;
    ck_assert(json_object_object_get_ex(root, "schema", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    ck_assert_str_eq(jstr(root, "tool"), "mta-preflight");
    ck_assert_str_eq(jstr(root, "version"), MP_VERSION);
    ck_assert_str_eq(jstr(root, "status"), "critical");

    struct json_object *ids, *sources, *lookups, *findings, *problems;
    ck_assert(json_object_object_get_ex(root, "problems", &problems));
    ck_assert_uint_eq(json_object_array_length(problems), 1);
    ck_assert_str_eq(jstr(json_object_array_get_idx(problems, 0), "file"), "/etc/postfix/main.cf");
    ck_assert(json_object_object_get_ex(root, "configs", &v) && json_object_is_type(v, json_type_array));
    ck_assert(json_object_object_get_ex(root, "identities", &ids));
    ck_assert_uint_eq(json_object_array_length(ids), 2);
    ck_assert_str_eq(jstr(json_object_array_get_idx(ids, 0), "id"), "postfix:/etc/postfix:smtp/unix");

    ck_assert(json_object_object_get_ex(root, "sources", &sources));
    ck_assert_uint_eq(json_object_array_length(sources), 3);
    struct json_object *s6 = json_object_array_get_idx(sources, 1);
    ck_assert_str_eq(jstr(s6, "identity"), "postfix:/etc/postfix:smtp/unix");
    ck_assert_str_eq(jstr(s6, "family"), "ipv6");
    ck_assert_str_eq(jstr(s6, "address"), "2001:db8::10");
    ck_assert_str_eq(jstr(s6, "how"), "route");
    ck_assert_str_eq(jstr(s6, "interface"), "eth0");
    ck_assert_str_eq(jstr(s6, "scope"), "documentation");
    ck_assert(json_object_object_get_ex(s6, "temporary", &v) && json_object_get_type(v) == json_type_boolean);

    ck_assert(json_object_object_get_ex(root, "lookups", &lookups));
    bool saw_ptr6 = false;
    for (size_t i = 0; i < json_object_array_length(lookups); i++) {
        struct json_object *l = json_object_array_get_idx(lookups, i);
        ck_assert(json_object_object_get_ex(l, "answers", &v) && json_object_is_type(v, json_type_array));
        ck_assert(json_object_object_get_ex(l, "ms", &v) && json_object_is_type(v, json_type_int));
        if (strcmp(jstr(l, "name"), "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa") == 0) {
            saw_ptr6 = true;
            ck_assert_str_eq(jstr(l, "type"), "PTR");
            ck_assert_str_eq(jstr(l, "status"), "nxdomain");
        }
    }
    ck_assert(saw_ptr6);

    ck_assert(json_object_object_get_ex(root, "findings", &findings));
    size_t n = json_object_array_length(findings);
    ck_assert_uint_eq(n, a.findings.n);
    bool saw = false;
    for (size_t i = 0; i < n; i++) {
        struct json_object *f = json_object_array_get_idx(findings, i);
        ck_assert_int_ge(finding_id_fromstr(jstr(f, "id")), 0);
        ck_assert_int_ge(finding_severity_fromstr(jstr(f, "severity")), 0);
        jstr(f, "identity");
        jstr(f, "family");
        jstr(f, "address");
        jstr(f, "hostname");
        jstr(f, "message");
        struct json_object *fixes;
        ck_assert(json_object_object_get_ex(f, "fixes", &fixes) && json_object_is_type(fixes, json_type_array));
        for (size_t k = 0; k < json_object_array_length(fixes); k++) {
            struct json_object *x = json_object_array_get_idx(fixes, k);
            ck_assert_int_ge(fix_kind_fromstr(jstr(x, "kind")), 0);
            jstr(x, "text");
        }
        if (strcmp(jstr(f, "id"), "ipv6-without-ptr") == 0) {
            saw = true;
            ck_assert_str_eq(jstr(f, "severity"), "critical");
            ck_assert_str_eq(jstr(f, "family"), "ipv6");
            ck_assert_str_eq(jstr(f, "address"), "2001:db8::10");
            ck_assert_str_eq(jstr(f, "hostname"), "mail.example.com");
            struct json_object *x0 = json_object_array_get_idx(fixes, 0);
            ck_assert_str_eq(jstr(x0, "kind"), "provider-ptr");
            ck_assert_str_eq(jstr(x0, "record"),
                             "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. IN PTR mail.example.com.");
            struct json_object *x1 = json_object_array_get_idx(fixes, 1);
            ck_assert_str_eq(jstr(x1, "kind"), "postconf");
            ck_assert_str_eq(jstr(x1, "command"), "postconf -c /etc/postfix -P 'smtp/unix/inet_protocols=ipv4'");
        }
        if (strcmp(jstr(f, "id"), "config-error") == 0) {
            ck_assert(json_object_object_get_ex(f, "identity", &v) && v == NULL);
            ck_assert(json_object_object_get_ex(f, "family", &v) && v == NULL);
        }
    }
    ck_assert(saw);
    json_object_put(root);
    free(text);
    af_free(&a);
}
END_TEST

/* compare_golden - text must equal the file; on a difference write what we
 * got next to it and say which diff to run. */
static void compare_golden(const char *text, const char *golden)
{
    char *want = ts_read_file(golden, NULL);
    if (want && strcmp(want, text) == 0) {
        free(want);
        return;
    }
    char *got = ts_tmpdir("golden");
    char *path = malloc(strlen(got) + 16);
    sprintf(path, "%s/got.txt", got);
    ts_write_file(path, text);
    ck_abort_msg("output differs from %s: diff -u %s %s", golden, golden, path);
}

START_TEST(text_snapshot)
{
    struct af a;
    demo(&a);
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    compare_golden(text, "tests/golden/audit_report.txt");
    ck_assert_ptr_null(strchr(text, '\033'));
    free(text);
    text = report_text(&a.set, &a.verdicts, &a.findings, true);
    ck_assert_ptr_nonnull(strstr(text, "\033[1;31mcritical"));
    free(text);
    af_free(&a);
}
END_TEST

START_TEST(text_escapes_hostile_data)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail\x1b]0;owned\x07.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_OK, "evil\x1b[2J.example.com", NULL);
    af_run(&a);
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    for (const char *p = text; *p; p++)
        ck_assert_msg(*p == '\n' || (unsigned char)*p >= 0x20, "control character 0x%02x in text", *p);
    ck_assert_ptr_nonnull(strstr(text, "evil\\x1b[2J.example.com"));
    free(text);
    char *line = report_nagios(&a.set, &a.facts, &a.findings);
    ck_assert_ptr_null(strchr(line, '\033'));
    /* Every line ends in a newline; data never adds one. */
    ck_assert_int_eq(line[strlen(line) - 1], '\n');
    ck_assert_uint_le((size_t)(strchr(line, '\n') - line), REPORT_NAGIOS_FIRST_LINE_MAX);
    free(line);
    char *prom = report_prometheus(&a.set, &a.verdicts, &a.findings);
    ck_assert_ptr_null(strchr(prom, '\033'));
    free(prom);
    af_free(&a);
}
END_TEST

START_TEST(nagios_line)
{
    struct af a;
    demo(&a);
    char *line = report_nagios(&a.set, &a.facts, &a.findings);
    ck_assert_str_eq(line, "MTA-PREFLIGHT CRITICAL - 2 critical, 0 warning, 0 unknown: config-error and 1 more | "
                           "critical=2;;;0 warning=0;;;0 unknown=0;;;0 info=1;;;0 identities=2;;;0 dns_max=3ms;;;0\n"
                           "critical config-error: /etc/postfix/main.cf:41: bad parameter value: "
                           "smtp_address_preference = ipv5\n"
                           "critical ipv6-without-ptr postfix:/etc/postfix:smtp/unix ipv6 2001:db8::10: IPv6 delivery "
                           "is enabled but 2001:db8::10 has no PTR record (nxdomain)? Gmail (550-5.7.25) and Microsoft "
                           "(450 4.7.25) reject or defer such mail, and with no fixed preference "
                           "(smtp_address_preference = any) about half of the deliveries to dual-stack receivers go out "
                           "over IPv6\n"
                           "info relay-host postfix:/etc/postfix:relay/unix: this transport relays all mail through "
                           "[smtp.example.net]:587? receivers see the smarthost, so findings about this host's own PTR "
                           "and EHLO records are informational\n");
    free(line);
    af_free(&a);

    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_dns_ok(&a, "192.0.2.10", "mail.example.com");
    af_run(&a);
    line = report_nagios(&a.set, &a.facts, &a.findings);
    ck_assert_str_eq(line, "MTA-PREFLIGHT OK - 1 identity verified | critical=0;;;0 warning=0;;;0 unknown=0;;;0 "
                           "info=0;;;0 identities=1;;;0 dns_max=3ms;;;0\n");
    free(line);
    af_free(&a);
}
END_TEST

START_TEST(prometheus_metrics)
{
    struct af a;
    demo(&a);
    char *m = report_prometheus(&a.set, &a.verdicts, &a.findings);
    ck_assert_ptr_nonnull(strstr(m, "\nmta_preflight_status 2\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_findings{severity=\"critical\"} 2\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_findings{severity=\"unknown\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_finding{id=\"ipv6-without-ptr\",severity=\"critical\","
                                    "identity=\"postfix:/etc/postfix:smtp/unix\",family=\"ipv6\",address=\"2001:db8::10\","
                                    "hostname=\"mail.example.com\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_source_ptr_confirmed{identity=\"postfix:/etc/postfix:smtp/unix\","
                                    "family=\"ipv4\",address=\"192.0.2.10\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_source_ptr_confirmed{identity=\"postfix:/etc/postfix:smtp/unix\","
                                    "family=\"ipv6\",address=\"2001:db8::10\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_dns_lookup_seconds{name=\"10.2.0.192.in-addr.arpa\",type=\"PTR\","
                                    "status=\"ok\"} 0.003\n"));
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_identities 2\n"));
    /* Every non-comment line is NAME{...} VALUE or NAME VALUE, and no series
     * (name and labels) appears twice: Prometheus rejects such a scrape. */
    char *copy = xstrdup(m);
    for (char *line = strtok(m, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *name = xstrndup(line, (size_t)(strrchr(line, ' ') - line));
        char *series = xasprintf("\n%s ", name);
        char *first = strstr(copy, series);
        ck_assert_ptr_nonnull(first);
        ck_assert_msg(!strstr(first + 1, series), "series '%s' appears twice", name);
        free(series);
        free(name);
        char *sp = strrchr(line, ' ');
        ck_assert_ptr_nonnull(sp);
        char *end;
        strtod(sp + 1, &end);
        ck_assert_msg(*end == '\0', "bad value in '%s'", line);
    }
    free(copy);
    free(m);

    /* The A and the AAAA failure of one EHLO name share every label: one series, value 2. */
    for (int i = 0; i < 2; i++)
        finding_add(&a.findings, FINDING_DNS_FAILURE, "postfix:/etc/postfix:smtp/unix", -1, NULL, "mail.example.com",
                    "lookup failed");
    m = report_prometheus(&a.set, &a.verdicts, &a.findings);
    ck_assert_ptr_nonnull(strstr(m, "mta_preflight_finding{id=\"dns-failure\",severity=\"unknown\","
                                    "identity=\"postfix:/etc/postfix:smtp/unix\",family=\"\",address=\"\","
                                    "hostname=\"mail.example.com\"} 2\n"));
    free(m);
    af_free(&a);
}
END_TEST

START_TEST(explain_every_finding)
{
    for (size_t i = 0; i < FINDING_COUNT; i++) {
        char *t = report_explain((enum finding_id)i, false);
        ck_assert_ptr_eq(strstr(t, finding_table[i].name), t);
        ck_assert_ptr_nonnull(strstr(t, "What it means\n"));
        ck_assert_ptr_nonnull(strstr(t, "Why receivers care\n"));
        ck_assert_ptr_nonnull(strstr(t, "How to fix it\n"));
        for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n"))
            if (line[0] == ' ')
                ck_assert_msg(strlen(line) <= 76 || !strchr(line + 2, ' '), "line too long: %s", line);
        free(t);
    }
    char *t = report_explain(FINDING_IPV6_WITHOUT_PTR, false);
    ck_assert_ptr_nonnull(strstr(t, "ipv6-without-ptr (critical): "));
    ck_assert_ptr_nonnull(strstr(t, "inet_protocols=ipv4"));
    free(t);
    t = report_explain_index();
    ck_assert_ptr_nonnull(strstr(t, "relay-host"));
    ck_assert_ptr_nonnull(strstr(t, "source-temporary"));
    free(t);
}
END_TEST

Suite *audit_report_suite(void)
{
    Suite *s = suite_create("audit_report");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, json_parses_back_as_schema_1);
    tcase_add_test(tc, text_snapshot);
    tcase_add_test(tc, text_escapes_hostile_data);
    tcase_add_test(tc, nagios_line);
    tcase_add_test(tc, prometheus_metrics);
    tcase_add_test(tc, explain_every_finding);
    suite_add_tcase(s, tc);
    return s;
}
