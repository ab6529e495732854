/* test_audit_verdict - the verdicts a real host needs (no route, a lying
 * resolver, a PTR that holds an invalid name, a planned host without IPv6,
 * identical transports), on hand-built facts, and that the findings, the
 * text report and the Prometheus series say the same thing. The real
 * namespaces and DNS servers for these cases are in test_scenarios and
 * test_resolve. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/check.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/report_text.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/suites.h"

#define V4 MODEL_FAMILY_BIT(MODEL_IPV4)
#define V6 MODEL_FAMILY_BIT(MODEL_IPV6)

static void assert_summary(struct af *a, const char *expected)
{
    af_run(a);
    char *s = af_summary(a);
    ck_assert_msg(strcmp(s, expected) == 0, "findings '%s', expected '%s'", s, expected);
    free(s);
}

static const struct finding *find(struct af *a, enum finding_id id)
{
    const struct finding *f = finding_list_find(&a->findings, id, NULL, -2);
    ck_assert_msg(f != NULL, "no %s finding", finding_id_tostr(id));
    return f;
}

static struct facts_source *no_route(struct af *a, size_t idx, enum model_family f)
{
    struct facts_source *s = af_source(a, idx, f, NULL);
    s->error = xstrdup("Network is unreachable");
    return s;
}

/* An identity on the canary answer of a resolver: status and NS names. */
static void canary(struct af *a, enum facts_status st, const char *ns)
{
    const char *items[1] = { ns };
    struct facts_lookup *l = facts_lookup_set(&a->facts, FACTS_CANARY_NAME, FACTS_NS, st, items, ns ? 1 : 0, 2);
    l->server = xstrdup("192.0.2.53:53");
}

START_TEST(no_route_in_any_family_is_critical)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    no_route(&a, 0, MODEL_IPV4);
    no_route(&a, 0, MODEL_IPV6);
    assert_summary(&a, "no-route/critical/-");
    ck_assert_int_eq(finding_status_of(&a.findings), FINDING_STATUS_CRITICAL);
    ck_assert_ptr_nonnull(strstr(find(&a, FINDING_NO_ROUTE)->message, "no IPv6 route (Network is unreachable)"));
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "no route (Network is unreachable)"));
    ck_assert_ptr_null(strstr(text, "OK"));
    free(text);
    af_free(&a);

    /* An IPv4-only host: IPv6 without a route is normal, not a finding. */
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    no_route(&a, 0, MODEL_IPV6);
    af_dns_ok(&a, "192.0.2.10", "mail.example.com");
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "");
    af_free(&a);

    /* A transport restricted to IPv6 on a host with only IPv4 routes. */
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V6, MODEL_PREF_IPV6);
    no_route(&a, 0, MODEL_IPV6);
    assert_summary(&a, "no-route/critical/-");
    af_free(&a);
}
END_TEST

START_TEST(family_option_plans_a_host_without_ipv6)
{
    struct af a;
    af_init(&a);
    a.facts.host_families = V4;
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    struct facts_source *s = af_source(&a, 0, MODEL_IPV4, "203.0.113.25");
    s->how = FACTS_HOW_GIVEN;
    /* Today's IPv6 source exists but is not part of the planned host. */
    af_source(&a, 0, MODEL_IPV6, "2001:db8::10");
    af_dns_ok(&a, "203.0.113.25", "mail.example.com");
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "");
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "ipv6   not audited (--family)"));
    free(text);
    af_free(&a);

    /* An IPv6-only transport on a planned IPv4-only host cannot deliver. */
    af_init(&a);
    a.facts.host_families = V4;
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V6, MODEL_PREF_ANY);
    assert_summary(&a, "no-route/critical/-");
    ck_assert_ptr_nonnull(strstr(find(&a, FINDING_NO_ROUTE)->message, "IPv6 is not audited (--family)"));
    af_free(&a);
}
END_TEST

START_TEST(lying_resolver_makes_negative_answers_unknown)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    canary(&a, FACTS_NXDOMAIN, NULL);
    af_ptr(&a, "192.0.2.10", FACTS_NXDOMAIN, NULL);
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_NXDOMAIN, NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NXDOMAIN, NULL);
    /* No ptr-missing, no helo-unresolvable: those rest on lies. */
    assert_summary(&a, "resolver-broken/unknown/-,dns-failure/unknown/ipv4,dns-failure/unknown/-,"
                       "dns-failure/unknown/-");
    ck_assert_int_eq(finding_status_of(&a.findings), FINDING_STATUS_UNKNOWN);
    ck_assert_ptr_nonnull(strstr(find(&a, FINDING_RESOLVER_BROKEN)->message, "192.0.2.53:53"));
    const struct finding *f = find(&a, FINDING_DNS_FAILURE);
    ck_assert_ptr_nonnull(strstr(f->message, "answered NXDOMAIN from 192.0.2.53:53"));
    ck_assert_ptr_null(strstr(f->fixes.items[0].text, "run the audit again"));
    af_free(&a);

    /* NOERROR without NS is a lie too. */
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    canary(&a, FACTS_NODATA, NULL);
    af_dns_ok(&a, "192.0.2.10", "mail.example.com");
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "resolver-broken/unknown/-");
    af_free(&a);

    /* REFUSED (an authoritative-only server) and a real answer: the
     * negative answers stay valid. */
    for (int refused = 0; refused < 2; refused++) {
        af_init(&a);
        af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
        af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
        canary(&a, refused ? FACTS_REFUSED : FACTS_OK, refused ? NULL : "a.root-servers.net");
        af_ptr(&a, "192.0.2.10", FACTS_NXDOMAIN, NULL);
        af_fwd(&a, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
        af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
        assert_summary(&a, "ptr-missing/critical/ipv4");
        af_free(&a);
    }
}
END_TEST

START_TEST(ptr_with_an_invalid_name)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    struct facts_lookup *l = (struct facts_lookup *)facts_lookup_set(&a.facts, "10.2.0.192.in-addr.arpa", FACTS_PTR,
                                                                     FACTS_OK, NULL, 0, 2);
    strlist_add(&l->invalid, "bad\\032name.example.com");
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "ptr-missing/critical/ipv4");
    const struct finding *f = find(&a, FINDING_PTR_MISSING);
    ck_assert_ptr_nonnull(strstr(f->message, "holds an invalid host name ('bad\\032name.example.com')"));
    ck_assert_ptr_nonnull(strstr(f->message, "receivers treat as no name"));
    for (size_t i = 0; i < f->fixes.n; i++)
        ck_assert_ptr_null(strstr(f->fixes.items[i].text, "run the audit again"));
    ck_assert_str_eq(f->fixes.items[0].record, "10.2.0.192.in-addr.arpa. IN PTR mail.example.com.");
    af_free(&a);
}
END_TEST

/* A PTR name with '_': the check, the text and the metric agree that it
 * cannot be confirmed (Postfix's valid_hostname drops it before any
 * forward lookup). */
START_TEST(underscore_ptr_name_is_judged_once)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_OK, "mail_1.example.com", NULL);
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "ptr-unconfirmed/critical/ipv4,helo-ptr-mismatch/warning/ipv4");
    ck_assert_ptr_nonnull(strstr(a.findings.items[0].message, "not a valid host name"));
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "mail_1.example.com  not a valid host name (cannot be confirmed)"));
    ck_assert_ptr_null(strstr(text, "forward lookup not made"));
    free(text);
    char *prom = report_prometheus(&a.set, &a.verdicts, &a.findings);
    ck_assert_ptr_nonnull(strstr(prom, "mta_preflight_source_ptr_confirmed{identity=\"postfix:/etc/postfix:smtp/unix\","
                                       "family=\"ipv4\",address=\"192.0.2.10\"} 0"));
    free(prom);
    af_free(&a);
}
END_TEST

START_TEST(failed_lookup_names_the_resolver)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    struct facts_lookup *l = (struct facts_lookup *)facts_lookup_set(&a.facts, "10.2.0.192.in-addr.arpa", FACTS_PTR,
                                                                     FACTS_TIMEOUT, NULL, 0, 2000);
    l->detail = xstrdup("no answer within 2 s from 192.0.2.53:53");
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    assert_summary(&a, "dns-failure/unknown/ipv4");
    ck_assert_ptr_nonnull(strstr(a.findings.items[0].message,
                                 "timed out (no answer within 2 s from 192.0.2.53:53)"));
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "PTR unknown (no answer within 2 s from 192.0.2.53:53)"));
    ck_assert_ptr_null(strstr(text, "PTR none"));
    free(text);
    af_free(&a);
}
END_TEST

/* Debian's smtp and relay transports: one block, findings counted once. */
START_TEST(identical_transports_print_once)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    af_postfix(&a, "/etc/postfix", "relay", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    for (size_t i = 0; i < 2; i++) {
        af_source(&a, i, MODEL_IPV4, "192.0.2.10");
        af_source(&a, i, MODEL_IPV6, "2001:db8::10");
    }
    af_dns_ok(&a, "192.0.2.10", "mail.example.com");
    af_ptr(&a, "2001:db8::10", FACTS_NXDOMAIN, NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_OK, "2001:db8::10", NULL);
    assert_summary(&a, "ipv6-without-ptr/critical/ipv6,ipv6-without-ptr/critical/ipv6");
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "mta-preflight: CRITICAL - 1 critical, 0 warning"));
    ck_assert_ptr_nonnull(strstr(text, "\npostfix:/etc/postfix:smtp/unix, relay/unix\n"));
    const char *first = strstr(text, "ipv6-without-ptr");
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_null(strstr(first + 1, "ipv6-without-ptr"));
    /* The stop-gap is per transport: both commands, under one text. */
    ck_assert_ptr_nonnull(strstr(text, "$ postconf -c /etc/postfix -P 'smtp/unix/inet_protocols=ipv4'\n"
                                       "      $ postconf -c /etc/postfix -P 'relay/unix/inet_protocols=ipv4'\n"));
    /* The PTR record to request is printed once. */
    const char *rec = strstr(text, "ip6.arpa. IN PTR mail.example.com.");
    ck_assert_ptr_nonnull(rec);
    ck_assert_ptr_null(strstr(rec + 1, "ip6.arpa. IN PTR mail.example.com."));
    free(text);
    char *line = report_nagios(&a.set, &a.facts, &a.findings);
    /* The first line is cut to 200 characters before its perfdata. */
    ck_assert_ptr_eq(strstr(line, "MTA-PREFLIGHT CRITICAL - 1 critical, 0 warning, 0 unknown: ipv6-without-ptr "
                                  "postfix:/etc/postfix:smtp/unix"),
                     line);
    ck_assert_ptr_nonnull(strstr(line, "... | critical=1;"));
    ck_assert_uint_eq((size_t)(strchr(line, '\n') - line), 200);
    /* One long-output line for the pair. */
    const char *second = strchr(line, '\n') + 1;
    ck_assert_ptr_nonnull(strstr(second, "critical ipv6-without-ptr postfix:/etc/postfix:smtp/unix, relay/unix ipv6"));
    ck_assert_ptr_null(strchr(strchr(second, '\n') + 1, '\n'));
    free(line);
    af_free(&a);

    /* A different EHLO name keeps them apart. */
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_postfix(&a, "/etc/postfix", "relay", "relay.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_source(&a, 1, MODEL_IPV4, "192.0.2.10");
    af_dns_ok(&a, "192.0.2.10", "mail.example.com");
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    af_fwd(&a, "relay.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
    af_fwd(&a, "relay.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    af_run(&a);
    text = report_text(&a.set, &a.verdicts, &a.findings, false);
    ck_assert_ptr_nonnull(strstr(text, "\npostfix:/etc/postfix:smtp/unix\n"));
    ck_assert_ptr_nonnull(strstr(text, "\npostfix:/etc/postfix:relay/unix\n"));
    free(text);
    af_free(&a);
}
END_TEST

/* A non-qualified EHLO name with a known fully qualified name of the host:
 * the exact line to paste, not a generic note. */
START_TEST(known_name_gives_an_exact_fix)
{
    struct af a;
    af_init(&a);
    struct model_identity *id = af_postfix(&a, "/etc/postfix", "smtp", "mail", V4, MODEL_PREF_ANY);
    id->helo_from_myhostname = true;
    model_set_str(&id->mailname, "mail.example.com");
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_NXDOMAIN, NULL);
    af_run(&a);
    const struct finding *f = find(&a, FINDING_HELO_INVALID);
    ck_assert_str_eq(f->fixes.items[0].command, "postconf -c /etc/postfix -e 'myhostname = mail.example.com'");
    ck_assert_int_eq(f->fixes.items[1].kind, FIX_DNS_RECORD);
    af_free(&a);

    /* The forward-confirmed PTR name of the source serves as well. */
    af_init(&a);
    id = af_postfix(&a, "/etc/postfix", "smtp", "localhost", V4, MODEL_PREF_ANY);
    id->helo_from_myhostname = true;
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_dns_ok(&a, "192.0.2.10", "mx1.example.net");
    af_run(&a);
    f = find(&a, FINDING_HELO_INVALID);
    ck_assert_str_eq(f->fixes.items[0].command, "postconf -c /etc/postfix -e 'myhostname = mx1.example.net'");
    ck_assert_int_eq(af_apply_fixes(&a), 1);
    af_fwd(&a, "mx1.example.net", FACTS_AAAA, FACTS_NODATA, NULL);
    af_run(&a);
    ck_assert_int_eq(finding_status_of(&a.findings), FINDING_STATUS_OK);
    af_free(&a);

    /* Nothing known: the note stays. */
    af_init(&a);
    id = af_postfix(&a, "/etc/postfix", "smtp", "mail", V4, MODEL_PREF_ANY);
    id->helo_from_myhostname = true;
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_NXDOMAIN, NULL);
    af_run(&a);
    f = find(&a, FINDING_HELO_INVALID);
    ck_assert_int_eq(f->fixes.items[0].kind, FIX_NOTE);
    af_free(&a);
}
END_TEST

START_TEST(unreadable_configuration_is_unknown)
{
    struct af a;
    af_init(&a);
    a.facts.mta_config_found = false;
    diag_add(&a.diags, DIAG_UNREADABLE, "/etc/postfix/main.cf", 0,
             "cannot open '/etc/postfix/main.cf': Permission denied");
    assert_summary(&a, "config-unreadable/unknown/-");
    ck_assert_int_eq(finding_status_of(&a.findings), FINDING_STATUS_UNKNOWN);
    ck_assert_ptr_nonnull(strstr(a.findings.items[0].message, "Permission denied"));
    ck_assert_ptr_null(strstr(a.findings.items[0].fixes.items[0].text, "postconf -n"));
    af_free(&a);
}
END_TEST

Suite *audit_verdict_suite(void)
{
    Suite *s = suite_create("audit_verdict");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, no_route_in_any_family_is_critical);
    tcase_add_test(tc, family_option_plans_a_host_without_ipv6);
    tcase_add_test(tc, lying_resolver_makes_negative_answers_unknown);
    tcase_add_test(tc, ptr_with_an_invalid_name);
    tcase_add_test(tc, underscore_ptr_name_is_judged_once);
    tcase_add_test(tc, failed_lookup_names_the_resolver);
    tcase_add_test(tc, identical_transports_print_once);
    tcase_add_test(tc, known_name_gives_an_exact_fix);
    tcase_add_test(tc, unreadable_configuration_is_unknown);
    suite_add_tcase(s, tc);
    return s;
}
