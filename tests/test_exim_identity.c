/* test_exim_identity - unit tests of the identity rules: EHLO evaluation,
 * interface lists, families and preference, relays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_identity.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

struct run {
    char *dir;
    struct model_set set;
    struct diag_list diags;
    int rc;
};

static void run_config(struct run *r, const char *text, const char *hostname)
{
    r->dir = ts_tmpdir("exim-id");
    char *path = xasprintf("%s/configure", r->dir);
    ts_write_file(path, text);
    struct model_host host = { .hostname = hostname };
    memset(&r->set, 0, sizeof(r->set));
    memset(&r->diags, 0, sizeof(r->diags));
    r->rc = exim_identity_load(path, NULL, &host, &r->set, &r->diags);
    free(path);
}

static void run_free(struct run *r)
{
    model_set_free(&r->set);
    diag_list_free(&r->diags);
    ts_rmtree(r->dir);
    free(r->dir);
}

static bool has_note(const struct model_identity *id, const char *part)
{
    for (size_t i = 0; i < id->notes.n; i++)
        if (strstr(id->notes.items[i], part))
            return true;
    return false;
}

#define ONE_TRANSPORT(opts) "begin routers\nr:\n  driver = dnslookup\n  transport = t\nbegin transports\nt:\n  driver = smtp\n" opts

START_TEST(helo_evaluation)
{
    static const struct {
        const char *helo_data;
        const char *name;
        bool dynamic;
    } cases[] = {
        { "mail.$primary_hostname", "mail.p.example", false },
        { "${primary_hostname}", "p.example", false },
        { "$primary_hostnamex", NULL, true },
        { "\\$x", NULL, true },
        { "${lookup dnsdb{ptr=$sending_ip_address}{$value}{$primary_hostname}}", "p.example", true },
        { "${env{HOSTNAME}{$value}{$primary_hostname}}", NULL, true },
        { "plain.example", "plain.example", false },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = xasprintf("primary_hostname = p.example\n" ONE_TRANSPORT("  helo_data = %s\n"),
                               cases[i].helo_data);
        struct run r;
        run_config(&r, text, "h.example");
        ck_assert_int_eq(r.rc, 1);
        ck_assert_uint_eq(r.set.n, 1);
        const struct model_identity *id = &r.set.items[0];
        ck_assert_msg(id->helo_dynamic == cases[i].dynamic, "%s", cases[i].helo_data);
        if (cases[i].name)
            ck_assert_str_eq(id->helo_name, cases[i].name);
        else
            ck_assert_ptr_null(id->helo_name);
        if (cases[i].dynamic)
            ck_assert_str_eq(id->helo_expression, cases[i].helo_data);
        ck_assert_int_eq(id->helo_origin.kind, MODEL_ORIGIN_FILE);
        ck_assert_str_eq(id->helo_origin.file + strlen(r.dir), "/configure");
        ck_assert_uint_eq(id->helo_origin.line, 9);
        run_free(&r);
        free(text);
    }
}
END_TEST

START_TEST(primary_hostname_defaults)
{
    struct run r;
    run_config(&r, ONE_TRANSPORT(""), "mx1");
    const struct model_identity *id = &r.set.items[0];
    ck_assert_str_eq(id->helo_name, "mx1");
    ck_assert_int_eq(id->helo_origin.kind, MODEL_ORIGIN_DEFAULT);
    ck_assert_str_eq(id->helo_origin.note,
                     "uname nodename; it has no dot, so Exim canonicalises it through the resolver");
    ck_assert(has_note(id, "has no dot"));
    ck_assert_str_eq(id->id + strlen("exim:") + strlen(r.dir), "/configure:t");
    run_free(&r);
    run_config(&r, ONE_TRANSPORT(""), "mx1.example.net");
    char *origin = model_origin_tostr(&r.set.items[0].helo_origin);
    ck_assert_str_eq(origin, "default (uname nodename)");
    free(origin);
    run_free(&r);
}
END_TEST

START_TEST(interface_lists)
{
    struct run r;
    run_config(&r, ONE_TRANSPORT("  interface = 192.0.2.1 : 192.0.2.2\n"), "h.example");
    const struct model_identity *id = &r.set.items[0];
    ck_assert_int_eq(id->bind[MODEL_IPV4].how, MODEL_BIND_PARAM);
    ck_assert_str_eq(id->bind[MODEL_IPV4].address, "192.0.2.1");
    ck_assert_int_eq(id->bind[MODEL_IPV6].how, MODEL_BIND_NONE);
    ck_assert(id->bind_enforce);
    run_free(&r);

    run_config(&r, ONE_TRANSPORT("  interface = <; 2001:db8::1 ; 192.0.2.9\n"), "h.example");
    id = &r.set.items[0];
    ck_assert_str_eq(id->bind[MODEL_IPV4].address, "192.0.2.9");
    ck_assert_str_eq(id->bind[MODEL_IPV6].address, "2001:db8::1");
    run_free(&r);

    /* an IPv6 address in a ':' list is cut into pieces Exim rejects */
    run_config(&r, ONE_TRANSPORT("  interface = 2001:db8::1\n"), "h.example");
    ck_assert_uint_ge(diag_count(&r.diags, DIAG_ERROR), 1);
    ck_assert_msg(strstr(r.diags.items[0].message, "is not a valid IP address for the \"interface\" option") != NULL,
                  "%s", r.diags.items[0].message);
    ck_assert(has_note(&r.set.items[0], "'<;'"));
    run_free(&r);

    run_config(&r, ONE_TRANSPORT("  interface = ${lookup{$sender_address_domain}lsearch{/etc/ips}}\n"), "h.example");
    id = &r.set.items[0];
    ck_assert_int_eq(id->bind[MODEL_IPV4].how, MODEL_BIND_DYNAMIC);
    ck_assert_int_eq(id->bind[MODEL_IPV6].how, MODEL_BIND_DYNAMIC);
    ck_assert_str_eq(id->bind[MODEL_IPV6].expression, "${lookup{$sender_address_domain}lsearch{/etc/ips}}");
    run_free(&r);
}
END_TEST

START_TEST(families_and_preference)
{
    struct run r;
    /* a negated item before '*' means not every domain */
    run_config(&r, "dns_ipv4_lookup = !a.example : *\n" ONE_TRANSPORT(""), "h.example");
    ck_assert_uint_eq(r.set.items[0].families, MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6));
    run_free(&r);
    run_config(&r, "dns_ipv4_lookup = a.example : *\n" ONE_TRANSPORT(""), "h.example");
    ck_assert_uint_eq(r.set.items[0].families, MODEL_FAMILY_BIT(MODEL_IPV4));
    ck_assert_int_eq(r.set.items[0].preference, MODEL_PREF_IPV4);
    run_free(&r);
    /* ipv4_only on only one of two routers leaves IPv6 in */
    run_config(&r,
               "begin routers\na:\n  driver = dnslookup\n  transport = t\n  ipv4_only = true\n"
               "b:\n  driver = dnslookup\n  transport = t\n  ipv4_prefer = ${if eq{$domain}{x}}\n"
               "begin transports\nt:\n  driver = smtp\n",
               "h.example");
    const struct model_identity *id = &r.set.items[0];
    ck_assert_uint_eq(id->families, MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6));
    ck_assert_int_eq(id->preference, MODEL_PREF_IPV6);
    ck_assert(has_note(id, "ipv4_prefer on router b is decided at routing time"));
    run_free(&r);
}
END_TEST

START_TEST(relays)
{
    struct run r;
    run_config(&r,
               "begin routers\ns:\n  driver = manualroute\n  transport = t\n  route_data = smart.example\n"
               "begin transports\nt:\n  driver = smtp\n  port = 587\n",
               "h.example");
    ck_assert_str_eq(r.set.items[0].relay, "smart.example:587");
    ck_assert(!r.set.items[0].nexthop_varies);
    run_free(&r);
    run_config(&r, ONE_TRANSPORT("  hosts = relay.example\n"), "h.example");
    ck_assert_ptr_null(r.set.items[0].relay);
    ck_assert(has_note(&r.set.items[0], "only used when a router supplies no hosts"));
    run_free(&r);
    run_config(&r,
               "begin routers\ns:\n  driver = manualroute\n  transport = t\n"
               "  route_list = a.example x.example ; b.example \"y.example::2525 : z.example\" byname\n"
               "begin transports\nt:\n  driver = smtp\n",
               "h.example");
    ck_assert_str_eq(r.set.items[0].relay, "x.example");
    ck_assert(r.set.items[0].nexthop_varies);
    run_free(&r);
}
END_TEST

START_TEST(refused_configuration_has_no_identities)
{
    struct run r;
    run_config(&r, "primary_hostname = a\nprimary_hostname = b\n" ONE_TRANSPORT(""), "h.example");
    ck_assert_int_eq(r.rc, 1);
    ck_assert_uint_eq(r.set.n, 0);
    ck_assert_uint_eq(r.set.nconfigs, 1);
    ck_assert_uint_eq(diag_count(&r.diags, DIAG_ERROR), 1);
    run_free(&r);
}
END_TEST

Suite *exim_identity_suite(void)
{
    Suite *s = suite_create("exim_identity");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, helo_evaluation);
    tcase_add_test(tc, primary_hostname_defaults);
    tcase_add_test(tc, interface_lists);
    tcase_add_test(tc, families_and_preference);
    tcase_add_test(tc, relays);
    tcase_add_test(tc, refused_configuration_has_no_identities);
    suite_add_tcase(s, tc);
    return s;
}
