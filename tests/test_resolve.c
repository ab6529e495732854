/* test_resolve - the audit's DNS rounds (auditor/resolve.c) against real
 * servers: what each kind of resolver leaves in the facts (status, answers,
 * invalid names, server, detail), the canary in the first round, the
 * resolvers list, failover to nsd, and --dns-server parsed once from the
 * command line to the resolver, in process and through the built program. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/cli_options.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/resolve.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/fake_dns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define V4 MODEL_FAMILY_BIT(MODEL_IPV4)
#define PTR_NAME "10.2.0.192.in-addr.arpa"

#define SOA "@ 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n" \
            "@ 300 IN NS ns.example.test.\n"
static const char zone_forward[] = "$TTL 300\n" SOA "ns IN A 127.0.0.1\nmail IN A 192.0.2.10\n";
static const char zone_reverse4[] = "$TTL 300\n" SOA "10 IN PTR mail.example.test.\n";
static const struct nsd_zone zones[] = {
    { "example.test", zone_forward },
    { "2.0.192.in-addr.arpa", zone_reverse4 },
};

static struct nsd_harness nsd;
static int nsd_started;

static void nsd_setup(void)
{
    nsd_started = nsd_harness_start(&nsd, zones, sizeof(zones) / sizeof(zones[0]), NULL) == 0;
}

static void nsd_teardown(void)
{
    nsd_harness_stop(&nsd);
}

/* One Postfix identity sending from 192.0.2.10 as mail.example.test. */
static void host(struct af *a)
{
    af_init(a);
    af_postfix(a, "/etc/postfix", "smtp", "mail.example.test", V4, MODEL_PREF_ANY);
    af_source(a, 0, MODEL_IPV4, "192.0.2.10");
}

/* Run the audit's rounds asking the servers specs (in order). */
static void resolve_with(struct af *a, const char *const *specs, size_t n, unsigned try_ms, unsigned deadline_ms)
{
    struct dns_server servers[4];
    ck_assert_uint_le(n, 4);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(dns_server_parse(specs[i], &servers[i]), 0);
    struct dns_options opts = { servers, n, NULL, try_ms, 1 };
    resolve_run_with(&a->set, &a->facts, &opts, dns_deadline_in(deadline_ms), NULL, NULL);
}

static const struct facts_lookup *lookup(const struct af *a, const char *name, enum facts_rrtype type)
{
    const struct facts_lookup *l = facts_lookup_find(&a->facts, name, type);
    ck_assert_msg(l != NULL, "no %s lookup of %s in the facts", facts_rrtype_tostr(type), name);
    return l;
}

static void assert_list(const struct strlist *l, const char *const *want, size_t n, const char *what)
{
    ck_assert_msg(l->n == n, "%s: %zu items, expected %zu", what, l->n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(l->items[i], want[i]);
}

struct mode_case {
    const char *mode;
    enum facts_status status; /* of the PTR and the canary */
    const char *before;       /* detail: before + server + after; NULL: none */
    const char *after;
};

static const struct mode_case cases[] = {
    { "nxdomain", FACTS_NXDOMAIN, NULL, NULL },
    { "refer", FACTS_ERROR, "referral from ", ": not a recursive resolver" },
    { "reflect", FACTS_ERROR, "reply from ", " has the QR bit clear" },
    { "refuse", FACTS_REFUSED, "REFUSED from ", "" },
    { "servfail", FACTS_SERVFAIL, "SERVFAIL from ", "" },
    { "answer", FACTS_OK, NULL, NULL },
};

START_TEST(each_kind_of_resolver_in_the_facts)
{
    const struct mode_case *mc = &cases[_i];
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, mc->mode, NULL, 0) == 0, "%s", f.error);
    struct af a;
    host(&a);
    const char *spec = f.server;
    resolve_with(&a, &spec, 1, 500, 3000);
    fake_dns_stop(&f);

    assert_list(&a.facts.resolvers, &spec, 1, "resolvers");
    char want[160];
    snprintf(want, sizeof(want), "%s%s%s", mc->before ? mc->before : "", f.server, mc->after ? mc->after : "");
    const struct facts_lookup *ls[] = { lookup(&a, PTR_NAME, FACTS_PTR), lookup(&a, FACTS_CANARY_NAME, FACTS_NS),
                                        lookup(&a, "mail.example.test", FACTS_A) };
    for (size_t i = 0; i < 3; i++) {
        const struct facts_lookup *l = ls[i];
        ck_assert_msg(l->status == mc->status, "%s: %s %s is %s", mc->mode, facts_rrtype_tostr(l->type), l->name,
                      facts_status_tostr(l->status));
        ck_assert_str_eq(l->server, f.server);
        if (mc->before)
            ck_assert_str_eq(l->detail, want);
        else
            ck_assert_ptr_null(l->detail);
        ck_assert_uint_eq(l->invalid.n, 0);
    }
    if (mc->status == FACTS_OK) {
        assert_list(&ls[0]->answers, (const char *const[]){ "mail.example.test" }, 1, "PTR");
        assert_list(&ls[1]->answers, (const char *const[]){ "a.root-servers.net", "b.root-servers.net" }, 2, "NS");
    }
    af_free(&a);
}
END_TEST

START_TEST(ptr_names_that_are_no_host_names_in_the_facts)
{
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "badptr", NULL, 0) == 0, "%s", f.error);
    struct af a;
    host(&a);
    const char *spec = f.server;
    resolve_with(&a, &spec, 1, 500, 3000);
    fake_dns_stop(&f);

    const struct facts_lookup *l = lookup(&a, PTR_NAME, FACTS_PTR);
    ck_assert_int_eq(l->status, FACTS_OK);
    assert_list(&l->answers, (const char *const[]){ "good.example.test", "under_score.example.test" }, 2, "answers");
    assert_list(&l->invalid,
                (const char *const[]){ "bad name.example.test", "bell\\x07.example.test", "caf\\xc3\\xa9.example.test",
                                       "dot\\x2einside.example.test", "nul\\x00one.example.test" },
                5, "invalid");
    /* Round two confirms the host name; the invalid ones are never asked. */
    ck_assert_int_eq(lookup(&a, "good.example.test", FACTS_A)->status, FACTS_OK);
    ck_assert_ptr_null(facts_lookup_find(&a.facts, "bad name.example.test", FACTS_A));
    af_free(&a);
}
END_TEST

START_TEST(silent_resolver_in_the_facts)
{
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "silent", NULL, 0) == 0, "%s", f.error);
    struct af a;
    host(&a);
    const char *spec = f.server;
    long long start = dns_now_ms();
    resolve_with(&a, &spec, 1, 5000, 1000);
    long long took = dns_now_ms() - start;
    fake_dns_stop(&f);
    ck_assert_msg(took >= 990 && took < 1300, "the rounds took %lld ms with a deadline of 1 s", took);
    const struct facts_lookup *l = lookup(&a, PTR_NAME, FACTS_PTR);
    ck_assert_int_eq(l->status, FACTS_TIMEOUT);
    ck_assert_ptr_null(l->server);
    char tail[96];
    snprintf(tail, sizeof(tail), " from %s", f.server);
    ck_assert_msg(l->detail && strncmp(l->detail, "no answer within ", 17) == 0 && strstr(l->detail, tail),
                  "detail '%s'", l->detail ? l->detail : "(null)");
    ck_assert_int_eq(lookup(&a, FACTS_CANARY_NAME, FACTS_NS)->status, FACTS_TIMEOUT);
    af_free(&a);
}
END_TEST

START_TEST(failover_to_nsd_in_the_facts)
{
    ck_assert_msg(nsd_started, "nsd did not start: %s", nsd.error);
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "servfail", NULL, 0) == 0, "%s", f.error);
    char nsd_server[64];
    snprintf(nsd_server, sizeof(nsd_server), "%s", nsd_harness_server(&nsd));
    struct af a;
    host(&a);
    const char *specs[] = { f.server, nsd_server };
    long long start = dns_now_ms();
    resolve_with(&a, specs, 2, 500, 3000);
    long long took = dns_now_ms() - start;
    fake_dns_stop(&f);

    ck_assert_msg(took < 1000, "took %lld ms", took);
    assert_list(&a.facts.resolvers, specs, 2, "resolvers");
    const struct facts_lookup *l = lookup(&a, PTR_NAME, FACTS_PTR);
    ck_assert_int_eq(l->status, FACTS_OK);
    assert_list(&l->answers, (const char *const[]){ "mail.example.test" }, 1, "PTR");
    ck_assert_str_eq(l->server, nsd_server);
    ck_assert_ptr_null(l->detail);
    ck_assert_int_eq(lookup(&a, "mail.example.test", FACTS_A)->status, FACTS_OK);
    /* The canary: SERVFAIL from the first, nsd refuses (an authoritative
     * server, not a broken resolver); the last reply is the status. */
    const struct facts_lookup *c = lookup(&a, FACTS_CANARY_NAME, FACTS_NS);
    ck_assert_int_eq(c->status, FACTS_REFUSED);
    ck_assert_str_eq(c->server, nsd_server);
    char want[160];
    snprintf(want, sizeof(want), "SERVFAIL from %s; REFUSED from %s", f.server, nsd_server);
    ck_assert_str_eq(c->detail, want);
    af_free(&a);
}
END_TEST

START_TEST(resolver_that_cannot_be_set_up)
{
    /* Not from dns_server_parse, so not a valid address: every question is
     * an error that says why, and the resolver is still listed. */
    struct dns_server bogus = { "bogus", 53 };
    struct dns_options opts = { &bogus, 1, NULL, 0, 0 };
    struct af a;
    host(&a);
    resolve_run_with(&a.set, &a.facts, &opts, dns_deadline_in(1000), NULL, NULL);
    assert_list(&a.facts.resolvers, (const char *const[]){ "bogus:53" }, 1, "resolvers");
    const struct facts_lookup *l = lookup(&a, PTR_NAME, FACTS_PTR);
    ck_assert_int_eq(l->status, FACTS_ERROR);
    ck_assert_str_eq(l->detail, "invalid DNS server address 'bogus'");
    ck_assert_int_eq(lookup(&a, FACTS_CANARY_NAME, FACTS_NS)->status, FACTS_ERROR);
    af_free(&a);
}
END_TEST

START_TEST(dns_server_option_parsed_once)
{
    /* '[127.0.0.1]:PORT' was accepted by the option parser and rejected by
     * the resolver's: now one parser serves both and its result is used. */
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "answer", NULL, 0) == 0, "%s", f.error);
    char prog[] = "mta-preflight", cmd[] = "audit", opt1[] = "--dns-server", opt2[] = "--dns-server";
    char v6[] = "[2001:DB8::53]", bracketed[64];
    snprintf(bracketed, sizeof(bracketed), "[127.0.0.1]:%u", f.port);
    char *argv[] = { prog, cmd, opt1, bracketed, opt2, v6, NULL };
    struct cli_options opts;
    char *error = NULL;
    ck_assert_int_eq(cli_options_parse(6, argv, &opts, &error), CLI_PARSE_OK);
    ck_assert_uint_eq(opts.ndns_parsed, 2);
    ck_assert_str_eq(opts.dns_parsed[0].address, "127.0.0.1");
    ck_assert_uint_eq(opts.dns_parsed[0].port, f.port);
    ck_assert_str_eq(opts.dns_parsed[1].address, "2001:db8::53");
    ck_assert_uint_eq(opts.dns_parsed[1].port, 53);
    /* Ask only the first (the second is a documentation address). */
    opts.ndns_parsed = 1;
    struct af a;
    host(&a);
    resolve_run(&a.set, &a.facts, &opts, dns_deadline_in(3000));
    fake_dns_stop(&f);
    opts.ndns_parsed = 2;
    assert_list(&a.facts.resolvers, (const char *const[]){ f.server }, 1, "resolvers");
    ck_assert_int_eq(lookup(&a, PTR_NAME, FACTS_PTR)->status, FACTS_OK);
    ck_assert_str_eq(lookup(&a, PTR_NAME, FACTS_PTR)->server, f.server);
    cli_options_free(&opts);
    af_free(&a);

    /* What the parser rejects is a usage error naming the value. */
    char bad[] = "[127.0.0.1]:0";
    char *argv_bad[] = { prog, cmd, opt1, bad, NULL };
    ck_assert_int_eq(cli_options_parse(4, argv_bad, &opts, &error), CLI_PARSE_ERROR);
    ck_assert_str_eq(error, "invalid --dns-server '[127.0.0.1]:0': use ADDR, ADDR:PORT or [ADDR]:PORT");
    free(error);
    cli_options_free(&opts);
}
END_TEST

/* Run the built program; stdout and stderr captured. */
static int run(char **out, char **err, const char *args)
{
    char *cmd = xasprintf("'%s' %s", ts_bin(), args);
    int rc = ts_run(cmd, out, err);
    free(cmd);
    return rc;
}

START_TEST(program_asks_a_bracketed_ipv4_resolver)
{
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "answer", NULL, 0) == 0, "%s", f.error);
    char *args = xasprintf("audit --postfix-dir samples/demo/postfix --no-exim --system-hostname mail "
                           "--source-ip 192.0.2.10 --source-ip 2001:db8::10 --helo mail.example.test "
                           "--dns-server '[127.0.0.1]:%u' --timeout 3 --format json",
                           f.port);
    char *out = NULL, *err = NULL;
    int rc = run(&out, &err, args);
    fake_dns_stop(&f);
    ck_assert_msg(rc >= 0 && rc <= 3, "exit %d: %s", rc, err);
    struct json_object *root = json_tokener_parse(out);
    ck_assert_msg(root != NULL, "no JSON: %s", out);
    struct json_object *lookups;
    ck_assert(json_object_object_get_ex(root, "lookups", &lookups));
    size_t n = json_object_array_length(lookups);
    bool canary = false;
    ck_assert_uint_ge(n, 4);
    for (size_t i = 0; i < n; i++) {
        struct json_object *l = json_object_array_get_idx(lookups, i), *v;
        ck_assert(json_object_object_get_ex(l, "status", &v));
        const char *status = json_object_get_string(v);
        ck_assert(json_object_object_get_ex(l, "name", &v));
        const char *name = json_object_get_string(v);
        /* Before, every lookup here was an error: "invalid DNS server address ''". */
        /* (the fake server has no MX for the demo's domain: nodata) */
        ck_assert_msg(strcmp(status, "ok") == 0 || strcmp(status, "nodata") == 0, "lookup of %s: %s", name, status);
        canary = canary || strcmp(name, ".") == 0;
    }
    ck_assert_msg(canary, "no canary among the lookups");
    json_object_put(root);
    free(out);
    free(err);

    /* A value the parser rejects: exit 64, one line naming it. */
    ck_assert_int_eq(run(&out, &err, "audit --dns-server '[127.0.0.1]:0'"), 64);
    ck_assert_str_eq(err, "mta-preflight: invalid --dns-server '[127.0.0.1]:0': use ADDR, ADDR:PORT or [ADDR]:PORT "
                          "(see 'mta-preflight --help')\n");
    free(out);
    free(err);
    free(args);
}
END_TEST

Suite *audit_resolve_suite(void)
{
    Suite *s = suite_create("audit_resolve");
    TCase *tc = tcase_create("fake");
    tcase_set_timeout(tc, 15);
    tcase_add_loop_test(tc, each_kind_of_resolver_in_the_facts, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, ptr_names_that_are_no_host_names_in_the_facts);
    tcase_add_test(tc, silent_resolver_in_the_facts);
    tcase_add_test(tc, resolver_that_cannot_be_set_up);
    tcase_add_test(tc, dns_server_option_parsed_once);
    tcase_add_test(tc, program_asks_a_bracketed_ipv4_resolver);
    suite_add_tcase(s, tc);

    TCase *real = tcase_create("nsd");
    tcase_add_unchecked_fixture(real, nsd_setup, nsd_teardown);
    tcase_set_timeout(real, 15);
    tcase_add_test(real, failover_to_nsd_in_the_facts);
    suite_add_tcase(s, real);
    return s;
}
