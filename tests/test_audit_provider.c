/* test_audit_provider - the provider table as data (sorted, unique, every
 * row sourced, unverified facts flagged), recognition from each family of
 * evidence for every row that has it, the commands filled in with validated
 * values only, the agreement with ptr_generic's provider-default rules, and
 * the provider-ptr fix built from it.
 *
 * Expected values use only verified facts: recognition from an unverified
 * pattern is asserted as "unverified", never as a provider fact. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/fix.h"
#include "auditor/provider.h"
#include "auditor/ptr_generic.h"
#include "auditor/finding.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/suites.h"

START_TEST(table_is_sorted_unique_and_sourced)
{
    size_t n;
    const struct provider *t = provider_table(&n);
    ck_assert_uint_ge(n, 12);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(t[i].key && *t[i].key && t[i].name && *t[i].name, "row %zu", i);
        ck_assert_msg(t[i].source && strlen(t[i].source) > 10, "%s has no source", t[i].key);
        ck_assert_msg(t[i].ipv6 && *t[i].ipv6, "%s: IPv6 support not stated", t[i].key);
        ck_assert_msg(t[i].panel || t[i].command || t[i].note, "%s: no way to ask for a PTR", t[i].key);
        /* A flag only where there is something to flag. */
        ck_assert(!t[i].server_unverified || t[i].server_pattern);
        ck_assert(!t[i].rname_unverified || t[i].rname_pattern);
        ck_assert(!t[i].panel_unverified || t[i].panel);
        ck_assert(!t[i].command_unverified || t[i].command);
        if (i > 0)
            ck_assert_msg(strcmp(t[i - 1].key, t[i].key) < 0, "%s before %s", t[i - 1].key, t[i].key);
        ck_assert_ptr_eq(provider_by_key(t[i].key), &t[i]);
    }
    /* interface.md's keys. */
    static const char *const keys[] = { "aws", "gcp", "azure", "digitalocean", "hetzner", "linode",
                                        "vultr", "ovh", "scaleway", "contabo", "oracle", "ionos" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        ck_assert_msg(provider_by_key(keys[i]) != NULL, "no row %s", keys[i]);
    ck_assert_ptr_null(provider_by_key("nosuch"));
}
END_TEST

/* One place knows a provider's default PTR: every provider-default rule of
 * ptr_generic belongs to exactly one row, every row's rule exists. */
START_TEST(default_ptr_rules_agree_with_ptr_generic)
{
    size_t n, nr;
    const struct provider *t = provider_table(&n);
    const struct ptr_generic_rule *rules = ptr_generic_rules(&nr);
    for (size_t i = 0; i < n; i++) {
        if (!t[i].ptr_rule)
            continue;
        bool found = false;
        for (size_t k = 0; k < nr && !found; k++)
            found = strcmp(rules[k].name, t[i].ptr_rule) == 0;
        ck_assert_msg(found, "%s names rule %s, which ptr_generic lacks", t[i].key, t[i].ptr_rule);
        ck_assert_ptr_eq(provider_by_ptr_rule(t[i].ptr_rule), &t[i]);
    }
    static const char *const provider_rules[] = { "aws-ec2-default", "gcp-default", "azure-default",
                                                  "linode-default", "ovh-default", "hetzner-your-server",
                                                  "contabo-default", "vultr-default", "scaleway-default" };
    for (size_t k = 0; k < sizeof(provider_rules) / sizeof(provider_rules[0]); k++) {
        size_t owners = 0;
        for (size_t i = 0; i < n; i++)
            owners += t[i].ptr_rule && strcmp(t[i].ptr_rule, provider_rules[k]) == 0;
        ck_assert_msg(owners == 1, "rule %s belongs to %zu rows", provider_rules[k], owners);
    }
    /* Generic rules that are no provider's own. */
    ck_assert_ptr_null(provider_by_ptr_rule("static-ip-default"));
    ck_assert_ptr_null(provider_by_ptr_rule("vps-default"));
}
END_TEST

/* Default PTR names (verified: they are ptr_generic's sources) per row. */
static const struct {
    const char *name, *address, *key;
} ptr_cases[] = {
    { "ec2-192-0-2-10.eu-west-1.compute.amazonaws.com", "192.0.2.10", "aws" },
    { "10.2.0.192.bc.googleusercontent.com", "192.0.2.10", "gcp" },
    { "myvm.westeurope.cloudapp.azure.com", "192.0.2.10", "azure" },
    { "192-0-2-10.ip.linodeusercontent.com", "192.0.2.10", "linode" },
    { "ip10.ip-192-0-2.eu", "192.0.2.10", "ovh" },
    { "static.10.2.0.192.clients.your-server.de", "192.0.2.10", "hetzner" },
    { "vmi123456.contaboserver.net", "192.0.2.10", "contabo" },
    { "192.0.2.10.vultrusercontent.com", "192.0.2.10", "vultr" },
    { "10-2-0-192.instances.scw.cloud", "192.0.2.10", "scaleway" },
};

START_TEST(recognised_from_the_default_ptr_name)
{
    for (size_t i = 0; i < sizeof(ptr_cases) / sizeof(ptr_cases[0]); i++) {
        const struct ptr_generic_rule *r = ptr_generic_check(ptr_cases[i].name, ptr_cases[i].address);
        ck_assert_msg(r != NULL, "%s is not generic", ptr_cases[i].name);
        const char *rules[1] = { r->name };
        struct provider_match m = provider_detect(NULL, NULL, NULL, 0, rules, 1);
        ck_assert_msg(m.provider && strcmp(m.provider->key, ptr_cases[i].key) == 0, "%s: %s", ptr_cases[i].name,
                      m.provider ? m.provider->key : "none");
        ck_assert_int_eq(m.evidence, PROVIDER_BY_PTR);
        ck_assert(m.verified);
    }
}
END_TEST

START_TEST(recognised_from_soa_and_ns_names)
{
    /* Verified: Azure's reverse SOA as observed. */
    struct provider_match m = provider_detect("prd1.azuredns-cloud.net", "msnhst.microsoft.com", NULL, 0, NULL, 0);
    ck_assert_str_eq(m.provider->key, "azure");
    ck_assert_int_eq(m.evidence, PROVIDER_BY_SOA_MNAME);
    ck_assert(m.verified);
    ck_assert_str_eq(m.subject, "prd1.azuredns-cloud.net");
    m = provider_detect("hidden.example.net", "msnhst.microsoft.com", NULL, 0, NULL, 0);
    ck_assert_str_eq(m.provider->key, "azure");
    ck_assert_int_eq(m.evidence, PROVIDER_BY_SOA_RNAME);
    const char *ns[] = { "a.example.net", "ns1.msft.net" };
    m = provider_detect("hidden.example.net", "dns.example.net", ns, 2, NULL, 0);
    ck_assert_str_eq(m.provider->key, "azure");
    ck_assert_int_eq(m.evidence, PROVIDER_BY_NS);
    ck_assert_str_eq(m.subject, "ns1.msft.net");
    m = provider_detect("ns1.example.net", "hostmaster.example.net", NULL, 0, NULL, 0);
    ck_assert_ptr_null(m.provider);
    ck_assert_int_eq(m.evidence, PROVIDER_BY_NONE);
}
END_TEST

/* Every row with a server or contact pattern: a name built to fit it is
 * recognised, with the row's own verified flag (unverified patterns are
 * reported as such, not asserted as facts). */
START_TEST(every_row_pattern_matches_and_is_flagged)
{
    static const struct {
        const char *key, *server, *rname;
    } samples[] = {
        { "azure", "prd1.azuredns-cloud.net", "msnhst.microsoft.com" },
        { "contabo", "ns1.contabo.net", NULL },
        { "digitalocean", "ns1.digitalocean.com", NULL },
        { "gcp", "ns-gce-public1.googledomains.com", NULL },
        { "hetzner", "ns1.your-server.de", "postmaster.your-server.de" },
        { "linode", "ns1.linode.com", NULL },
        { "ovh", "dns12.ovh.net", NULL },
        { "scaleway", "ns0.online.net", NULL },
        { "vultr", "ns1.vultr.com", NULL },
    };
    size_t n;
    const struct provider *t = provider_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!t[i].server_pattern && !t[i].rname_pattern)
            continue;
        size_t k = 0;
        while (k < sizeof(samples) / sizeof(samples[0]) && strcmp(samples[k].key, t[i].key) != 0)
            k++;
        ck_assert_msg(k < sizeof(samples) / sizeof(samples[0]), "no sample for %s", t[i].key);
        bool verified;
        if (t[i].server_pattern) {
            ck_assert_ptr_eq(provider_by_server(samples[k].server, &verified), &t[i]);
            ck_assert_int_eq(verified, !t[i].server_unverified);
            struct provider_match m = provider_detect(samples[k].server, NULL, NULL, 0, NULL, 0);
            ck_assert_int_eq(m.verified, !t[i].server_unverified);
        }
        if (t[i].rname_pattern) {
            ck_assert_ptr_eq(provider_by_rname(samples[k].rname, &verified), &t[i]);
            ck_assert_int_eq(verified, !t[i].rname_unverified);
        }
    }
    /* A verified default-PTR match outranks an unverified SOA match. */
    const char *rules[] = { "aws-ec2-default" };
    struct provider_match m = provider_detect("ns1.linode.com", NULL, NULL, 0, rules, 1);
    ck_assert_str_eq(m.provider->key, "aws");
    ck_assert(m.verified);
}
END_TEST

START_TEST(commands_are_filled_with_validated_values)
{
    /* The commands whose syntax the sources give. */
    char *s = provider_fill(provider_by_key("hetzner")->command, "192.0.2.10", "Mail.Example.com.");
    ck_assert_str_eq(s, "hcloud server set-rdns --ip 192.0.2.10 --hostname mail.example.com SERVER");
    free(s);
    s = provider_fill(provider_by_key("linode")->command, "2001:db8::10", "mail.example.com");
    ck_assert_str_eq(s, "linode-cli networking ip-update 2001:db8::10 --rdns mail.example.com");
    free(s);
    s = provider_fill(provider_by_key("vultr")->command, "2001:db8::10", "mail.example.com");
    ck_assert_str_eq(s, "vultr-cli instance reverse-dns set-ipv6 INSTANCE-ID 2001:db8::10 -e mail.example.com");
    free(s);
    s = provider_fill(provider_by_key("aws")->command, "192.0.2.10", "mail.example.com");
    ck_assert_str_eq(s, "aws ec2 modify-address-attribute --allocation-id EIPALLOC-ID --domain-name mail.example.com");
    free(s);
    s = provider_fill(provider_by_key("digitalocean")->command, "192.0.2.10", "mail.example.com");
    ck_assert_str_eq(s, "doctl compute droplet-action rename DROPLET-ID --droplet-name mail.example.com");
    free(s);
    /* Every row: whatever it has is filled in, with no braces left. */
    size_t n;
    const struct provider *t = provider_table(&n);
    for (size_t i = 0; i < n; i++) {
        const char *tpl[2] = { t[i].command, t[i].panel };
        for (int k = 0; k < 2; k++) {
            if (!tpl[k])
                continue;
            s = provider_fill(tpl[k], "192.0.2.10", "mail.example.com");
            ck_assert_msg(s && !strstr(s, "{ip}") && !strstr(s, "{name}") && !strstr(s, "{v}"), "%s: %s",
                          t[i].key, s ? s : "(null)");
            if (strstr(tpl[k], "{name}"))
                ck_assert_msg(strstr(s, "mail.example.com") != NULL, "%s: %s", t[i].key, s);
            free(s);
        }
    }
    /* Untrusted values never reach a command. */
    ck_assert_ptr_null(provider_fill(provider_by_key("hetzner")->command, "192.0.2.10", "mail;rm -rf /"));
    ck_assert_ptr_null(provider_fill(provider_by_key("hetzner")->command, "192.0.2.10'", "mail.example.com"));
    ck_assert_ptr_null(provider_fill(provider_by_key("hetzner")->command, "192.0.2.10", "localhost"));
    ck_assert_ptr_null(provider_fill(NULL, "192.0.2.10", "mail.example.com"));
}
END_TEST

START_TEST(rname_as_a_mailbox)
{
    char *m = provider_rname_mailbox("hostmaster.example.net");
    ck_assert_str_eq(m, "hostmaster@example.net");
    free(m);
    ck_assert_ptr_null(provider_rname_mailbox("nobody"));
    ck_assert_ptr_null(provider_rname_mailbox("a\\x2eb.example.net"));
    ck_assert_ptr_null(provider_rname_mailbox(NULL));
}
END_TEST

START_TEST(provider_fix_names_the_place_and_the_command)
{
    struct fix_list l = FIX_LIST_INIT;
    struct fix_ptr_owner o = { provider_by_key("hetzner"), false, "the primary server ns1.your-server.de", NULL,
                               NULL };
    fix_ptr_record_owner(&l, "192.0.2.10", "mail.example.com", &o);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_int_eq(l.items[0].kind, FIX_PROVIDER_PTR);
    ck_assert_str_eq(l.items[0].provider, "hetzner");
    ck_assert_str_eq(l.items[0].record, "10.2.0.192.in-addr.arpa. IN PTR mail.example.com.");
    ck_assert_str_eq(l.items[0].how_command, "hcloud server set-rdns --ip 192.0.2.10 --hostname mail.example.com SERVER");
    ck_assert_ptr_nonnull(strstr(l.items[0].panel, "192.0.2.10"));
    ck_assert(l.items[0].how_unverified); /* the panel path is not verified */
    ck_assert(!l.items[0].forward_first);
    ck_assert_ptr_nonnull(strstr(l.items[0].text, "Hetzner (probably"));
    ck_assert_ptr_nonnull(strstr(l.items[0].text, "recognised from the primary server ns1.your-server.de"));
    fix_list_free(&l);

    /* Unknown provider: today's text plus the zone's contact. */
    struct fix_ptr_owner u = { NULL, false, NULL, "2.0.192.in-addr.arpa", "hostmaster.example.net" };
    fix_ptr_record_owner(&l, "192.0.2.10", "mail.example.com", &u);
    ck_assert_str_eq(l.items[0].text, "ask the owner of 192.0.2.10 (your hosting or access provider; its reverse zone "
                                      "2.0.192.in-addr.arpa names hostmaster@example.net as the contact) to set its "
                                      "PTR to mail.example.com");
    ck_assert_ptr_null(l.items[0].provider);
    fix_list_free(&l);

    /* No name yet: placeholders, never a guess. */
    struct fix_ptr_owner li = { provider_by_key("linode"), true, NULL, NULL, NULL };
    fix_ptr_record_owner(&l, "192.0.2.10", NULL, &li);
    ck_assert_str_eq(l.items[0].how_command, "linode-cli networking ip-update 192.0.2.10 --rdns NAME");
    ck_assert(l.items[0].forward_first);
    ck_assert_ptr_null(l.items[0].record);
    fix_list_free(&l);

    /* The caveats: the typical delay, and IPv6 support for an IPv6 address. */
    struct fix_ptr_owner vu = { provider_by_key("vultr"), true, NULL, NULL, NULL };
    fix_ptr_record_owner(&l, "2001:db8::10", "mail.example.com", &vu);
    ck_assert_str_eq(l.items[0].how_note, "typically live after 6 to 12 hours; IPv6: yes");
    fix_list_free(&l);
    struct fix_ptr_owner dq = { provider_by_key("digitalocean"), false, NULL, NULL, NULL };
    fix_ptr_record_owner(&l, "192.0.2.10", "mail.example.com", &dq);
    ck_assert_str_eq(l.items[0].how_note, "there is no separate reverse DNS field: the Droplet name, when it is a "
                                          "fully qualified name, is the PTR");
    fix_list_free(&l);

    fix_forward_record_first(&l, "mail.example.com", "192.0.2.10", "Akamai (Linode)");
    ck_assert_str_eq(l.items[0].text, "first add the A record of mail.example.com to its zone: Akamai (Linode) accepts "
                                      "the PTR only once the name resolves to 192.0.2.10");
    ck_assert_str_eq(l.items[0].record, "mail.example.com. IN A 192.0.2.10");
    fix_list_free(&l);
    provider_cleanup();
}
END_TEST

/* Azure (recognised from its reverse SOA) accepts a PTR only once the name
 * resolves: with the A record missing, that fix comes first and says why. */
START_TEST(forward_record_first_when_the_provider_requires_it)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", MODEL_FAMILY_BIT(MODEL_IPV4), MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_NXDOMAIN, NULL);
    struct facts_lookup *l = facts_lookup_set(&a.facts, "10.2.0.192.in-addr.arpa", FACTS_SOA, FACTS_NXDOMAIN, NULL, 0, 1);
    l->zone = xstrdup("2.0.192.in-addr.arpa");
    l->mname = xstrdup("prd1.azuredns-cloud.net");
    l->rname = xstrdup("msnhst.microsoft.com");
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_NXDOMAIN, NULL);
    af_fwd(&a, "mail.example.com", FACTS_AAAA, FACTS_NXDOMAIN, NULL);
    af_run(&a);
    const struct finding *f = finding_list_find(&a.findings, FINDING_PTR_MISSING, NULL, MODEL_IPV4);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_ge(f->fixes.n, 2);
    ck_assert_int_eq(f->fixes.items[0].kind, FIX_DNS_RECORD);
    ck_assert_str_eq(f->fixes.items[0].text, "first add the A record of mail.example.com to its zone: Microsoft Azure "
                                             "accepts the PTR only once the name resolves to 192.0.2.10");
    ck_assert_int_eq(f->fixes.items[1].kind, FIX_PROVIDER_PTR);
    ck_assert_str_eq(f->fixes.items[1].provider, "azure");
    ck_assert(f->fixes.items[1].forward_first);
    /* Azure's CLI flag is not verified: flagged, and only the value is asserted. */
    ck_assert(f->fixes.items[1].how_unverified);
    ck_assert_ptr_nonnull(strstr(f->fixes.items[1].how_command, "mail.example.com"));
    ck_assert_ptr_nonnull(strstr(f->fixes.items[1].text, "recognised from the primary server prd1.azuredns-cloud.net "
                                                         "in the SOA of 2.0.192.in-addr.arpa"));
    /* With the A record in place the PTR is the first (and only DNS) step. */
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10", NULL);
    af_run(&a);
    f = finding_list_find(&a.findings, FINDING_PTR_MISSING, NULL, MODEL_IPV4);
    ck_assert_int_eq(f->fixes.items[0].kind, FIX_PROVIDER_PTR);
    af_free(&a);
}
END_TEST

Suite *audit_provider_suite(void)
{
    Suite *s = suite_create("audit_provider");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, table_is_sorted_unique_and_sourced);
    tcase_add_test(tc, default_ptr_rules_agree_with_ptr_generic);
    tcase_add_test(tc, recognised_from_the_default_ptr_name);
    tcase_add_test(tc, recognised_from_soa_and_ns_names);
    tcase_add_test(tc, every_row_pattern_matches_and_is_flagged);
    tcase_add_test(tc, commands_are_filled_with_validated_values);
    tcase_add_test(tc, rname_as_a_mailbox);
    tcase_add_test(tc, provider_fix_names_the_place_and_the_command);
    tcase_add_test(tc, forward_record_first_when_the_provider_requires_it);
    suite_add_tcase(s, tc);
    return s;
}
