/* test_audit_ptr_generic - each generic-PTR rule fires on its examples and
 * stays quiet on legitimate names; exemptions work as receivers make them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/ptr_generic.h"
#include "tests/support/suites.h"

static size_t rule_index(const char *name)
{
    size_t n;
    const struct ptr_generic_rule *r = ptr_generic_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].name, name) == 0)
            return i;
    ck_abort_msg("no rule %s", name);
    return 0;
}

/* rule, name, address (may be NULL), whether the rule itself matches. */
static const struct {
    const char *rule, *name, *address;
    bool match;
} rule_cases[] = {
    { "aws-ec2-default", "ec2-35-83-38-47.us-west-2.compute.amazonaws.com", NULL, true },
    { "aws-ec2-default", "ec2-3-4-5-6.compute-1.amazonaws.com", NULL, true },
    { "aws-ec2-default", "mail.amazonaws.com", NULL, false },
    { "aws-ec2-default", "ec2-mail.example.com", NULL, false },
    { "gcp-default", "12.34.56.78.bc.googleusercontent.com", NULL, true },
    { "gcp-default", "mail.google.com", NULL, false },
    { "azure-default", "myvm.westeurope.cloudapp.azure.com", NULL, true },
    { "azure-default", "mail.azure.example", NULL, false },
    { "linode-default", "li123-45.members.linode.com", NULL, true },
    { "linode-default", "172-105-1-2.ip.linodeusercontent.com", NULL, true },
    { "linode-default", "mail.linode.com", NULL, false },
    { "ovh-default", "ns3012345.ip-51-68-1.eu", NULL, true },
    { "ovh-default", "vps-1a2b3c4d.vps.ovh.net", NULL, true },
    { "ovh-default", "mail.ovh.net", NULL, false },
    { "hetzner-your-server", "static.88.198.1.2.clients.your-server.de", NULL, true },
    { "hetzner-your-server", "mail.your-server.de", NULL, true },
    { "hetzner-your-server", "mail.yourserver.example", NULL, false },
    { "contabo-default", "vmi123456.contaboserver.net", NULL, true },
    { "contabo-default", "mail.contabo.example", NULL, false },
    { "vultr-default", "203.0.113.7.vultrusercontent.com", NULL, true },
    { "vultr-default", "mail.vultr.example", NULL, false },
    { "scaleway-default", "7-113-0-203.instances.scw.cloud", NULL, true },
    { "scaleway-default", "mail.scw.example", NULL, false },
    { "static-ip-default", "static.4.3.2.1.clients.your-server.de", NULL, true },
    { "static-ip-default", "static-198-51-100-7.provider.example", NULL, true },
    { "static-ip-default", "static.example.com", NULL, false },
    { "placeholder", "hosted-by.example.com", NULL, true },
    { "placeholder", "unassigned.provider.example", NULL, true },
    { "placeholder", "not-set.provider.example", NULL, true },
    { "placeholder", "mail.example.com", NULL, false },
    { "placeholder", "unknownsender.example.com", NULL, false },
    { "bare-apex", "example.fr", NULL, true },
    { "bare-apex", "example.fr.", NULL, true },
    { "bare-apex", "example.co.uk", NULL, true },
    { "bare-apex", "example.com.au", NULL, true },
    { "bare-apex", "mail.example.com", NULL, false },
    { "bare-apex", "mail.example.de", NULL, false },
    { "bare-apex", "mail.example.co.uk", NULL, false },
    { "bare-apex", "kvmvps", NULL, false },
    { "single-label", "kvmvps", NULL, true },
    { "single-label", "mail.example.com", NULL, false },
    { "ip-dotted", "1.2.3.4.dyn.example.net", NULL, true },
    { "ip-dotted", "host.192.0.2.10.example.net", NULL, true },
    { "ip-dotted", "mail.example.com", NULL, false },
    { "ip-dotted", "v1.2.3.example.com", NULL, false },
    { "ip-dashed", "host-109-168-232-131.stv.ru", NULL, true },
    { "ip-dashed", "198-51-100-7.example.net", NULL, true },
    { "ip-dashed", "208-83-136-1.sfo.example.com", NULL, true },
    { "ip-dashed", "mx1-2.example.net", NULL, false },
    { "ip-dashed", "smtp-out-1-2.example.org", NULL, false },
    { "ip-split", "118.red-80-35-201.pooles.rima-tde.net", NULL, true },
    { "ip-split", "118.mail.example.net", NULL, false },
    { "ip-hex", "0x3ec6ec81.inet.dsl.telianet.dk", NULL, true },
    { "ip-hex", "mail0x12.example.com", NULL, false },
    { "ip-hex-address", "c0000207.dip.example.net", "192.0.2.7", true },
    { "ip-hex-address", "pc0000207.example.net", "192.0.2.7", true },
    { "ip-hex-address", "c0000208.dip.example.net", "192.0.2.7", false },
    { "ip-hex-address", "c0000207.dip.example.net", NULL, false },
    { "ip-octets", "m17-178.vip.126.com", "220.181.17.178", true },
    { "ip-octets", "h131-232.example.ru", "109.168.232.131", true },
    { "ip-octets", "a17-1780.example.com", "220.181.17.178", false },
    { "ip-octets", "mail.17-178.example.com", "220.181.17.178", true },
    { "ip-octets", "17-178.com", "220.181.17.178", false }, /* domain part, not host part */
    { "ip6-address", "2001-db8--10.dyn.provider.example", "2001:db8::10", true },
    { "ip6-address", "host.2001.db8..10.example.net", "2001:db8::10", true },
    { "ip6-address", "x20010db8000000000000000000000010.example.net", "2001:db8::10", true },
    { "ip6-address", "2001-db8--100.example.net", "2001:db8::10", false },
    { "ip6-address", "mail.example.net", "2001:db8::10", false },
    { "ip6-address", "2001-db8--10.example.net", "192.0.2.10", false },
    { "ip6-dashed", "2001-db8-0-0-0-0-0-10.ip6.example.net", NULL, true },
    { "ip6-dashed", "mail-out.example.net", NULL, false },
    { "access-word", "dsl-1234.example.net", NULL, true },
    { "access-word", "adsl123.example.net", NULL, true },
    { "access-word", "host.cable.example.net", NULL, true },
    { "access-word", "cpe-1-2.example.net", NULL, true },
    { "access-word", "x.dhcp.example.edu", NULL, true },
    { "access-word", "p5B0.dip0.dyn.t-ipconnect.de", NULL, true },
    { "access-word", "ppp-12.example.net", NULL, true },
    { "access-word", "pppoe.example.net", NULL, true },
    { "access-word", "mail.example.com", NULL, false },
    { "access-word", "cablevision-mail.example.com", NULL, false },
    { "access-word", "dynamo.example.com", NULL, false },
    { "pool-word", "pool-71-1-2-3.example.net", NULL, true },
    { "pool-word", "client12.example.net", NULL, true },
    { "pool-word", "customer.example.net", NULL, true },
    { "pool-word", "whirlpool.example.com", NULL, false },
    { "pool-word", "mail.example.com", NULL, false },
    { "vps-default", "vps123.provider.example", NULL, true },
    { "vps-default", "kvmvps.example.net", NULL, true },
    { "vps-default", "srv.vps-hosting.example", NULL, true },
    { "vps-default", "mail.example.com", NULL, false },
    { "vps-default", "vpsmail.example.com", NULL, false },
    { "numbered-host", "srv12345.provider.example", NULL, true },
    { "numbered-host", "server-1234.hosting.example", NULL, true },
    { "numbered-host", "srv1.example.com", NULL, false },
    { "numbered-host", "mail.example.com", NULL, false },
};

START_TEST(each_rule_has_its_cases)
{
    size_t n;
    const struct ptr_generic_rule *rules = ptr_generic_rules(&n);
    size_t ncases = sizeof(rule_cases) / sizeof(rule_cases[0]);
    for (size_t i = 0; i < ncases; i++) {
        size_t r = rule_index(rule_cases[i].rule);
        ck_assert_msg(ptr_generic_rule_matches(r, rule_cases[i].name, rule_cases[i].address) == rule_cases[i].match,
                      "rule %s on %s: expected %s", rule_cases[i].rule, rule_cases[i].name,
                      rule_cases[i].match ? "match" : "no match");
    }
    /* Every rule has a positive and a negative case, a name and a receiver. */
    for (size_t r = 0; r < n; r++) {
        bool pos = false, neg = false;
        for (size_t i = 0; i < ncases; i++)
            if (strcmp(rule_cases[i].rule, rules[r].name) == 0) {
                pos |= rule_cases[i].match;
                neg |= !rule_cases[i].match;
            }
        ck_assert_msg(pos && neg, "rule %s lacks a positive or negative case", rules[r].name);
        ck_assert(rules[r].resembles && *rules[r].resembles);
        ck_assert(rules[r].what && *rules[r].what);
        for (size_t k = 0; k < r; k++)
            ck_assert_str_ne(rules[k].name, rules[r].name);
    }
    ptr_generic_cleanup();
}
END_TEST

static const char *fired(const char *name, const char *address)
{
    const struct ptr_generic_rule *r = ptr_generic_check(name, address);
    return r ? r->name : "none";
}

START_TEST(receiver_rule_examples_are_generic)
{
    /* The examples of receiver-rules.md. */
    ck_assert_str_eq(fired("ec2-35-83-38-47.us-west-2.compute.amazonaws.com", "35.83.38.47"), "aws-ec2-default");
    ck_assert_str_eq(fired("host-109-168-232-131.stv.ru", "109.168.232.131"), "ip-dashed");
    ck_assert_str_eq(fired("0x3ec6ec81.inet.dsl.telianet.dk", "62.198.236.129"), "ip-hex");
    ck_assert_str_eq(fired("118.Red-80-35-201.pooles.rima-tde.net", "80.35.201.118"), "ip-split");
    ck_assert_str_eq(fired("208-83-136-1.sfo.example.com", "208.83.136.1"), "ip-dashed");
    ck_assert_str_eq(fired("hosted-by.example.com", NULL), "placeholder");
    ck_assert_str_eq(fired("example.fr.", NULL), "bare-apex");
    ck_assert_str_eq(fired("kvmvps", NULL), "single-label");
    ck_assert_str_eq(fired("4-3-2-1.company.com", "1.2.3.4"), "ip-dashed");
    ck_assert_str_eq(fired("vps123.provider.example", "192.0.2.10"), "vps-default");
    ck_assert_str_eq(fired("static.10.2.0.192.clients.your-server.de", "192.0.2.10"), "hetzner-your-server");
    ck_assert_str_eq(fired("m17-178.vip.126.com", "220.181.17.178"), "ip-octets");
    ck_assert_str_eq(fired("DSL-Dynamic-12.Example.NET.", NULL), "access-word");
    ptr_generic_cleanup();
}
END_TEST

START_TEST(legitimate_names_are_not_generic)
{
    const char *good[] = { "mail.example.com", "mx1.example.net", "smtp-out.example.org", "mail.example.de.",
                           "mx.mail.example.co.uk", "smtp.example.com", "outbound1.example.com",
                           "mta-1.example.net", "newsletter.example.org", "relay.example.com",
                           "o1.outbound-mail.sendgrid.net" };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(ptr_generic_check(good[i], "192.0.2.10") == NULL, "%s fired %s", good[i],
                      fired(good[i], "192.0.2.10"));
    ptr_generic_cleanup();
}
END_TEST

START_TEST(exemptions_follow_receivers)
{
    /* mail/mx/smtp/static tokens veto the dynamic-looking rules... */
    ck_assert(ptr_generic_exempt("mail-192-0-2-10.example.net"));
    ck_assert(ptr_generic_exempt("mx1.example.net"));
    ck_assert(ptr_generic_exempt("smtp-out.example.org"));
    ck_assert(ptr_generic_exempt("1-2-3-4.static.example.net"));
    ck_assert(!ptr_generic_exempt("email-1-2-3-4.example.net"));
    ck_assert(!ptr_generic_exempt("host-1-2-3-4.example.net"));
    ck_assert_str_eq(fired("mail-192-0-2-10.example.net", "192.0.2.10"), "none");
    ck_assert_str_eq(fired("1-2-3-4.static.example.net", "1.2.3.4"), "none");
    ck_assert_str_eq(fired("smtp.dsl.example.net", NULL), "none");
    ck_assert_str_eq(fired("email-1-2-3-4.example.net", NULL), "ip-dashed");
    /* ...but never provider defaults, apex names or single labels. */
    ck_assert_str_eq(fired("static.4.3.2.1.clients.your-server.de", "1.2.3.4"), "hetzner-your-server");
    ck_assert_str_eq(fired("static-198-51-100-7.provider.example", "198.51.100.7"), "static-ip-default");
    ck_assert_str_eq(fired("ec2-1-2-3-4.compute-1.amazonaws.com", "1.2.3.4"), "aws-ec2-default");
    ck_assert_str_eq(fired("mail", NULL), "single-label");
    ck_assert_str_eq(fired("mx.fr", NULL), "bare-apex");
    ck_assert_ptr_null(ptr_generic_check(NULL, NULL));
    ck_assert_ptr_null(ptr_generic_check("", NULL));
    ptr_generic_cleanup();
}
END_TEST

Suite *audit_ptr_generic_suite(void)
{
    Suite *s = suite_create("audit_ptr_generic");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, each_rule_has_its_cases);
    tcase_add_test(tc, receiver_rule_examples_are_generic);
    tcase_add_test(tc, legitimate_names_are_not_generic);
    tcase_add_test(tc, exemptions_follow_receivers);
    suite_add_tcase(s, tc);
    return s;
}
