/* test_audit_basics - host name validation, escaping, reverse names, the
 * finding table and the exit-status rule, and the facts tables. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "tests/support/suites.h"

START_TEST(hostname_validity)
{
    ck_assert(hostname_valid("mail.example.com"));
    ck_assert(hostname_valid("mail.example.com."));
    ck_assert(hostname_valid("a"));
    ck_assert(hostname_valid("xn--bcher-kva.example"));
    ck_assert(hostname_valid("mx-1.example.net"));
    ck_assert(!hostname_valid(""));
    ck_assert(!hostname_valid(NULL));
    ck_assert(!hostname_valid("."));
    ck_assert(!hostname_valid("mail..example.com"));
    ck_assert(!hostname_valid(".example.com"));
    ck_assert(!hostname_valid("-mail.example.com"));
    ck_assert(!hostname_valid("mail-.example.com"));
    ck_assert(!hostname_valid("mail_1.example.com"));
    ck_assert(!hostname_valid("mail.example.com.."));
    ck_assert(!hostname_valid("ma il.example.com"));
    ck_assert(!hostname_valid("mail.example.com;reboot"));
    ck_assert(!hostname_valid("mail'.example.com"));
    ck_assert(!hostname_valid("mail\n.example.com"));
    char label[70];
    memset(label, 'a', 63);
    label[63] = '\0';
    ck_assert(hostname_valid(label));
    label[63] = 'a';
    label[64] = '\0';
    ck_assert(!hostname_valid(label));
    /* 253 characters is the limit, one trailing dot allowed on top. */
    char long_name[300] = "";
    while (strlen(long_name) < 245)
        strcat(long_name, "abcd.");
    strcat(long_name, "abcdefgh"); /* 253 */
    ck_assert_uint_eq(strlen(long_name), 253);
    ck_assert(hostname_valid(long_name));
    strcat(long_name, ".");
    ck_assert(hostname_valid(long_name));
    long_name[253] = 'x';
    ck_assert(!hostname_valid(long_name));
}
END_TEST

START_TEST(hostname_fqdn_local_literal)
{
    ck_assert(hostname_is_fqdn("mail.example.com"));
    ck_assert(hostname_is_fqdn("mail.example.com."));
    ck_assert(!hostname_is_fqdn("mail"));
    ck_assert(!hostname_is_fqdn("mail."));
    ck_assert(!hostname_is_fqdn("192.0.2.1"));
    ck_assert(hostname_is_local("localhost"));
    ck_assert(hostname_is_local("LOCALHOST."));
    ck_assert(hostname_is_local("mail.localdomain"));
    ck_assert(hostname_is_local("box.local"));
    ck_assert(hostname_is_local("foo.localhost"));
    ck_assert(hostname_is_local("mail.example.lan"));
    ck_assert(hostname_is_local("box.home.arpa."));
    ck_assert(hostname_is_local("mx.corp.internal"));
    ck_assert(!hostname_is_local("mail.example.com"));
    ck_assert(!hostname_is_local("mail.plan"));
    ck_assert(!hostname_is_local("lan.example.com"));
    ck_assert(!hostname_is_local("localhost.example.com"));
    ck_assert(!hostname_is_local("local.example.com"));

    char out[64];
    ck_assert_int_eq(hostname_literal_parse("[192.0.2.1]", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "192.0.2.1");
    ck_assert_int_eq(hostname_literal_parse("[IPv6:2001:db8::1]", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "2001:db8::1");
    ck_assert_int_eq(hostname_literal_parse("[ipv6:2001:DB8::1]", out, sizeof(out)), 1);
    ck_assert_int_eq(hostname_literal_parse("mail.example.com", out, sizeof(out)), 0);
    ck_assert_int_eq(hostname_literal_parse("[2001:db8::1]", out, sizeof(out)), -1);
    ck_assert_int_eq(hostname_literal_parse("[IPv6:192.0.2.1]", out, sizeof(out)), -1);
    ck_assert_int_eq(hostname_literal_parse("[192.0.2.256]", out, sizeof(out)), -1);
    ck_assert_int_eq(hostname_literal_parse("[192.0.2.1", out, sizeof(out)), -1);
    ck_assert_int_eq(hostname_literal_parse("[]", out, sizeof(out)), -1);
}
END_TEST

START_TEST(hostname_equality_and_addresses)
{
    ck_assert(hostname_equal("Mail.Example.COM", "mail.example.com."));
    ck_assert(hostname_equal("mail.example.com.", "mail.example.com"));
    ck_assert(!hostname_equal("mail.example.com..", "mail.example.com"));
    ck_assert(!hostname_equal("mail.example.com", "mail.example.co"));
    ck_assert(!hostname_equal(NULL, "x"));
    ck_assert_int_eq(hostname_address_family("192.0.2.1"), AF_INET);
    ck_assert_int_eq(hostname_address_family("2001:db8::1"), AF_INET6);
    ck_assert_int_eq(hostname_address_family("mail.example.com"), 0);
    ck_assert_int_eq(hostname_address_family("[192.0.2.1]"), 0);
    ck_assert(hostname_address_equal("2001:db8::10", "2001:0DB8:0:0::10"));
    ck_assert(!hostname_address_equal("2001:db8::10", "2001:db8::1"));
    ck_assert(!hostname_address_equal("192.0.2.1", "::ffff:192.0.2.1"));
}
END_TEST

START_TEST(hostname_escapes_control_characters)
{
    char *e = hostname_escape("mail\x1b[31m.example.com\n\\\x7f\xc3\xa9");
    ck_assert_str_eq(e, "mail\\x1b[31m.example.com\\n\\\\\\x7f\\xc3\\xa9");
    free(e);
    e = hostname_escape(NULL);
    ck_assert_str_eq(e, "(none)");
    free(e);
}
END_TEST

START_TEST(revname_of_builds_reverse_names)
{
    char *r = revname_of("192.0.2.10");
    ck_assert_str_eq(r, "10.2.0.192.in-addr.arpa");
    free(r);
    r = revname_of("2001:db8::10");
    ck_assert_str_eq(r, "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    free(r);
    r = revname_of("2001:DB8:0::10");
    ck_assert_str_eq(r, "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    free(r);
    ck_assert_ptr_null(revname_of("mail.example.com"));
    ck_assert_ptr_null(revname_of(NULL));
}
END_TEST

/* The findings table of interface.md, copied here on purpose: a change on
 * either side must be deliberate. */
static const struct {
    const char *id;
    const char *severity;
} interface_findings[] = {
    { "ptr-missing", "critical" },       { "ptr-unconfirmed", "critical" },
    { "ipv6-without-ptr", "critical" },  { "ptr-generic", "warning" },
    { "ptr-multiple", "warning" },       { "helo-invalid", "critical" },
    { "helo-unresolvable", "critical" }, { "helo-address-mismatch", "warning" },
    { "helo-ptr-mismatch", "warning" },  { "helo-dynamic", "unknown" },
    { "bind-not-local", "critical" },    { "source-temporary", "critical" },
    { "source-not-public", "unknown" },  { "relay-host", "info" },
    { "dns-failure", "unknown" },        { "config-error", "critical" },
    { "no-mta-config", "unknown" },      { "no-route", "critical" },
    { "config-unreadable", "unknown" },  { "resolver-broken", "unknown" },
    { "ptr-propagating", "info" },       { "ptr-servers-disagree", "warning" },
    { "banner-ptr-mismatch", "warning" }, { "banner-invalid", "warning" },
    { "inbound-ptr-missing", "warning" }, { "mx-not-this-host", "info" },
    { "mx-missing", "warning" },          { "banner-live-differs", "info" },
};

START_TEST(finding_table_matches_interface)
{
    size_t n = sizeof(interface_findings) / sizeof(interface_findings[0]);
    ck_assert_uint_eq(n, FINDING_COUNT);
    for (size_t i = 0; i < FINDING_COUNT; i++) {
        ck_assert_int_eq((int)finding_table[i].id, (int)i);
        if (i)
            ck_assert_int_lt(strcmp(finding_table[i - 1].name, finding_table[i].name), 0);
        ck_assert_int_eq(finding_id_fromstr(finding_id_tostr((enum finding_id)i)), (int)i);
        ck_assert(finding_table[i].title && *finding_table[i].title);
        ck_assert(strlen(finding_table[i].meaning) > 40);
        ck_assert(strlen(finding_table[i].why) > 40);
        ck_assert(strlen(finding_table[i].fix) > 20);
    }
    for (size_t i = 0; i < n; i++) {
        int id = finding_id_fromstr(interface_findings[i].id);
        ck_assert_msg(id >= 0, "missing finding %s", interface_findings[i].id);
        ck_assert_str_eq(finding_severity_tostr(finding_table[id].severity), interface_findings[i].severity);
    }
    ck_assert_int_eq(finding_id_fromstr("ptr-missin"), -1);
    ck_assert_int_eq(finding_id_fromstr(""), -1);
    for (int s = FINDING_INFO; s <= FINDING_CRITICAL; s++)
        ck_assert_int_eq(finding_severity_fromstr(finding_severity_tostr((enum finding_severity)s)), s);
    ck_assert_int_eq(finding_severity_fromstr("fatal"), -1);
}
END_TEST

static enum finding_status status_of(const enum finding_severity *sev, size_t n)
{
    struct finding_list l = FINDING_LIST_INIT;
    for (size_t i = 0; i < n; i++) {
        struct finding *f = finding_add(&l, FINDING_RELAY_HOST, NULL, -1, NULL, NULL, NULL);
        f->severity = sev[i];
    }
    enum finding_status st = finding_status_of(&l);
    finding_list_free(&l);
    return st;
}

START_TEST(exit_status_rule)
{
    enum finding_severity none[1] = { FINDING_INFO };
    ck_assert_int_eq(status_of(none, 0), 0);
    enum finding_severity info[] = { FINDING_INFO, FINDING_INFO };
    ck_assert_int_eq(status_of(info, 2), 0);
    enum finding_severity unk[] = { FINDING_INFO, FINDING_UNKNOWN };
    ck_assert_int_eq(status_of(unk, 2), 3);
    enum finding_severity warn[] = { FINDING_UNKNOWN, FINDING_WARNING, FINDING_INFO };
    ck_assert_int_eq(status_of(warn, 3), 1);
    enum finding_severity crit[] = { FINDING_UNKNOWN, FINDING_CRITICAL, FINDING_WARNING };
    ck_assert_int_eq(status_of(crit, 3), 2);
    ck_assert_str_eq(finding_status_tostr(FINDING_STATUS_UNKNOWN), "unknown");
    ck_assert_str_eq(finding_status_tostr(FINDING_STATUS_OK), "ok");
}
END_TEST

START_TEST(facts_tables_round_trip)
{
    for (int i = 0; i <= FACTS_HOW_GIVEN; i++)
        ck_assert_int_eq(facts_how_fromstr(facts_how_tostr((enum facts_how)i)), i);
    for (int i = 0; i <= SCOPE_DOCUMENTATION; i++)
        ck_assert_int_eq(scope_fromstr(scope_tostr((enum scope)i)), i);
    for (int i = 0; i <= FACTS_AAAA; i++)
        ck_assert_int_eq(facts_rrtype_fromstr(facts_rrtype_tostr((enum facts_rrtype)i)), i);
    for (int i = 0; i <= FACTS_ERROR; i++)
        ck_assert_int_eq(facts_status_fromstr(facts_status_tostr((enum facts_status)i)), i);
    ck_assert_int_eq(facts_status_fromstr("NXDOMAIN"), -1);
    ck_assert_str_eq(scope_tostr(SCOPE_UNIQUE_LOCAL), "unique-local");
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(fix_kind_fromstr(fix_kind_tostr((enum fix_kind)i)), i);
    ck_assert_str_eq(fix_kind_tostr(FIX_EXIM_CONFIG), "exim-config");
}
END_TEST

START_TEST(facts_scopes)
{
    ck_assert_int_eq(scope_of("8.8.8.8"), SCOPE_GLOBAL);
    ck_assert_int_eq(scope_of("10.1.2.3"), SCOPE_PRIVATE);
    ck_assert_int_eq(scope_of("172.16.0.1"), SCOPE_PRIVATE);
    ck_assert_int_eq(scope_of("172.32.0.1"), SCOPE_GLOBAL);
    ck_assert_int_eq(scope_of("192.168.1.1"), SCOPE_PRIVATE);
    ck_assert_int_eq(scope_of("100.64.0.1"), SCOPE_SHARED);
    ck_assert_int_eq(scope_of("100.128.0.1"), SCOPE_GLOBAL);
    ck_assert_int_eq(scope_of("127.0.0.1"), SCOPE_LOOPBACK);
    ck_assert_int_eq(scope_of("169.254.1.1"), SCOPE_LINK_LOCAL);
    ck_assert_int_eq(scope_of("192.0.2.10"), SCOPE_DOCUMENTATION);
    ck_assert_int_eq(scope_of("203.0.113.5"), SCOPE_DOCUMENTATION);
    ck_assert_int_eq(scope_of("2001:db8::10"), SCOPE_DOCUMENTATION);
    ck_assert_int_eq(scope_of("fd00::1"), SCOPE_UNIQUE_LOCAL);
    ck_assert_int_eq(scope_of("fe80::1"), SCOPE_LINK_LOCAL);
    ck_assert_int_eq(scope_of("::1"), SCOPE_LOOPBACK);
    ck_assert_int_eq(scope_of("::ffff:10.0.0.1"), SCOPE_PRIVATE);
    ck_assert_int_eq(scope_of("2a01:4f8::1"), SCOPE_GLOBAL);
    ck_assert(scope_public(SCOPE_DOCUMENTATION));
    ck_assert(!scope_public(SCOPE_SHARED));
}
END_TEST

START_TEST(facts_lookups_are_normalised)
{
    struct facts f = FACTS_INIT;
    const char *ans[] = { "mx2.example.com", "mx1.example.com", "mx2.example.com" };
    facts_lookup_set(&f, "10.2.0.192.IN-ADDR.ARPA.", FACTS_PTR, FACTS_OK, ans, 3, 7);
    const struct facts_lookup *l = facts_lookup_find(&f, "10.2.0.192.in-addr.arpa", FACTS_PTR);
    ck_assert_ptr_nonnull(l);
    ck_assert_str_eq(l->name, "10.2.0.192.in-addr.arpa");
    ck_assert_uint_eq(l->answers.n, 2);
    ck_assert_str_eq(l->answers.items[0], "mx1.example.com");
    ck_assert_ptr_null(facts_lookup_find(&f, "10.2.0.192.in-addr.arpa", FACTS_A));
    const char *a6[] = { "2001:0db8::10" };
    facts_lookup_set(&f, "mail.example.com", FACTS_AAAA, FACTS_OK, a6, 1, 1);
    ck_assert(facts_lookup_has_address(facts_lookup_find(&f, "MAIL.example.com.", FACTS_AAAA), "2001:db8::10"));
    facts_lookup_set(&f, "mail.example.com", FACTS_AAAA, FACTS_TIMEOUT, NULL, 0, 2000);
    ck_assert_uint_eq(f.nlookups, 2);
    ck_assert(!facts_lookup_has_address(facts_lookup_find(&f, "mail.example.com", FACTS_AAAA), "2001:db8::10"));
    ck_assert(facts_status_failed(FACTS_TIMEOUT));
    ck_assert(!facts_status_failed(FACTS_NODATA));
    f.postfix_version = strdup("3.7.11");
    ck_assert_int_eq(facts_postfix_at_least(&f, 3, 7), 1);
    ck_assert_int_eq(facts_postfix_at_least(&f, 3, 8), 0);
    free(f.postfix_version);
    f.postfix_version = strdup("unknown");
    ck_assert_int_eq(facts_postfix_at_least(&f, 3, 7), -1);
    facts_free(&f);
}
END_TEST

Suite *audit_basics_suite(void)
{
    Suite *s = suite_create("audit_basics");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, hostname_validity);
    tcase_add_test(tc, hostname_fqdn_local_literal);
    tcase_add_test(tc, hostname_equality_and_addresses);
    tcase_add_test(tc, hostname_escapes_control_characters);
    tcase_add_test(tc, revname_of_builds_reverse_names);
    tcase_add_test(tc, finding_table_matches_interface);
    tcase_add_test(tc, exit_status_rule);
    tcase_add_test(tc, facts_tables_round_trip);
    tcase_add_test(tc, facts_scopes);
    tcase_add_test(tc, facts_lookups_are_normalised);
    suite_add_tcase(s, tc);
    return s;
}
