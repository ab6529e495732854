/* test_probe_dns_failover - the DNS batch engine against broken and lying
 * resolvers (the suite's own server, tests/tools/fake_dns) and a real nsd:
 * what each kind of reply becomes, with the server and detail recorded;
 * failover to the next resolver; a resolver that missed a round is asked
 * last in later rounds; names that are no host names; the root NS canary;
 * the resolvers of a resolv.conf. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "probes/dns.h"
#include "tests/support/fake_dns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define SOA "@ 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n" \
            "@ 300 IN NS ns.example.test.\n"

static const char zone_forward[] = "$TTL 300\n" SOA
                                   "ns       IN A     127.0.0.1\n"
                                   "mail     IN A     192.0.2.10\n"
                                   "mail     IN AAAA  2001:db8::10\n"
                                   "other    IN A     198.51.100.7\n";
static const char zone_reverse4[] = "$TTL 300\n" SOA
                                    "10       IN PTR   mail.example.test.\n"
                                    "11       IN PTR   other.example.test.\n";

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

static const char *nsd_spec(void)
{
    static char spec[64];
    ck_assert_msg(nsd_started, "nsd did not start: %s", nsd.error);
    snprintf(spec, sizeof(spec), "%s", nsd_harness_server(&nsd));
    return spec;
}

static void start_fake(struct fake_dns *f, const char *mode)
{
    ck_assert_msg(fake_dns_start(f, mode, NULL, 0) == 0, "%s", f->error);
}

/* A batch asking specs in order, first tries of try_ms, tries passes. */
static struct dns_batch *batch_of(const char *const *specs, size_t n, unsigned try_ms, unsigned tries)
{
    struct dns_server servers[8];
    struct dns_options opts = { 0 };
    struct dns_batch *b = NULL;
    char *err = NULL;
    ck_assert_uint_le(n, 8);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(dns_server_parse(specs[i], &servers[i]) == 0, "bad server '%s'", specs[i]);
    opts.servers = servers;
    opts.nservers = n;
    opts.try_ms = try_ms;
    opts.tries = tries;
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "dns_batch_new: %s", err ? err : "?");
    return b;
}

static void assert_list(const struct strlist *l, const char *const *want, size_t n, const char *what)
{
    ck_assert_msg(l->n == n, "%s: %zu items, expected %zu", what, l->n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(l->items[i], want[i]);
}

/* Exact detail: fmt with every %s replaced by the given servers in order. */
static void assert_detail(const struct dns_result *r, const char *want)
{
    ck_assert_msg(r->detail && strcmp(r->detail, want) == 0, "%s %s: detail '%s', expected '%s'",
                  dns_type_tostr(r->type), r->name, r->detail ? r->detail : "(null)", want);
}

/* --- one resolver of each kind --------------------------------------------- */

struct mode_case {
    const char *mode;
    const char *status; /* of the PTR, the A and the canary */
    const char *before; /* the detail: before + server + after; NULL: none */
    const char *after;
};

static const struct mode_case mode_cases[] = {
    { "nxdomain", "nxdomain", NULL, NULL },
    { "refer", "error", "referral from ", ": not a recursive resolver" },
    { "reflect", "error", "reply from ", " has the QR bit clear" },
    { "refuse", "refused", "REFUSED from ", "" },
    { "servfail", "servfail", "SERVFAIL from ", "" },
    { "formerr-edns", "ok", NULL, NULL },
    { "answer", "ok", NULL, NULL },
};

START_TEST(each_kind_of_resolver)
{
    const struct mode_case *mc = &mode_cases[_i];
    struct fake_dns f;
    start_fake(&f, mc->mode);
    const char *spec = f.server;
    struct dns_batch *b = batch_of(&spec, 1, 500, 2);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    size_t c = dns_batch_add(b, DNS_NS, ".");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 3000), 0);
    /* A reply of any kind is final with one resolver: no waiting. */
    ck_assert_int_lt(dns_now_ms() - start, 400);
    char want[160];
    if (mc->before)
        snprintf(want, sizeof(want), "%s%s%s", mc->before, f.server, mc->after);
    size_t idx[] = { p, a, c };
    for (size_t i = 0; i < 3; i++) {
        const struct dns_result *r = dns_batch_get(b, idx[i]);
        ck_assert_msg(strcmp(dns_status_tostr(r->status), mc->status) == 0, "%s: %s %s is %s, expected %s",
                      mc->mode, dns_type_tostr(r->type), r->name, dns_status_tostr(r->status), mc->status);
        ck_assert_str_eq(r->server, f.server);
        if (mc->before)
            assert_detail(r, want);
        else
            ck_assert_ptr_null(r->detail);
        ck_assert_uint_eq(r->invalid.n, 0);
    }
    if (strcmp(mc->status, "ok") == 0) {
        assert_list(&dns_batch_get(b, p)->answers, (const char *const[]){ "mail.example.test" }, 1, "PTR");
        assert_list(&dns_batch_get(b, a)->answers, (const char *const[]){ "192.0.2.10" }, 1, "A");
        /* The canary answered: the root's NS names. */
        assert_list(&dns_batch_get(b, c)->answers, (const char *const[]){ "a.root-servers.net", "b.root-servers.net" },
                    2, "NS");
    } else {
        for (size_t i = 0; i < 3; i++)
            ck_assert_uint_eq(dns_batch_get(b, idx[i])->answers.n, 0);
    }
    dns_batch_free(b);
    fake_dns_stop(&f);
}
END_TEST

START_TEST(silent_resolver_times_out_at_the_deadline)
{
    struct fake_dns f;
    start_fake(&f, "silent");
    const char *spec = f.server;
    struct dns_batch *b = batch_of(&spec, 1, 0, 0); /* defaults: 2 s first try */
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 800), 1);
    long long took = dns_now_ms() - start;
    ck_assert_msg(took >= 790 && took < 1100, "took %lld ms", took);
    const struct dns_result *r = dns_batch_get(b, p);
    ck_assert_str_eq(dns_status_tostr(r->status), "timeout");
    ck_assert_ptr_null(r->server);
    char tail[96];
    snprintf(tail, sizeof(tail), " ms from %s", f.server);
    ck_assert_msg(r->detail && strncmp(r->detail, "no answer within ", 17) == 0 && strstr(r->detail, tail),
                  "detail '%s'", r->detail ? r->detail : "(null)");
    dns_batch_free(b);
    fake_dns_stop(&f);
}
END_TEST

START_TEST(ptr_names_that_are_no_host_names)
{
    static const char *const bad[] = {
        "bad name.example.test", "bell\\x07.example.test", "caf\\xc3\\xa9.example.test",
        "dot\\x2einside.example.test", "nul\\x00one.example.test",
    };
    struct fake_dns mix, only;
    start_fake(&mix, "badptr");
    start_fake(&only, "badptr-only");
    const char *spec_mix = mix.server, *spec_only = only.server;
    struct dns_batch *bm = batch_of(&spec_mix, 1, 500, 1);
    struct dns_batch *bo = batch_of(&spec_only, 1, 500, 1);
    size_t pm = dns_batch_add_ptr(bm, "192.0.2.20");
    size_t po = dns_batch_add_ptr(bo, "192.0.2.20");
    dns_batch_run(bm, dns_deadline_in(3000));
    dns_batch_run(bo, dns_deadline_in(3000));

    /* The record is not lost: ok, the host names as answers (an underscore
     * is kept: the checks judge it), the others apart and escaped. */
    const struct dns_result *r = dns_batch_get(bm, pm);
    ck_assert_str_eq(dns_status_tostr(r->status), "ok");
    assert_list(&r->answers, (const char *const[]){ "good.example.test", "under_score.example.test" }, 2, "answers");
    assert_list(&r->invalid, bad, 5, "invalid");
    ck_assert_ptr_null(r->detail);
    r = dns_batch_get(bo, po);
    ck_assert_str_eq(dns_status_tostr(r->status), "ok");
    ck_assert_uint_eq(r->answers.n, 0);
    assert_list(&r->invalid, bad, 5, "invalid");
    dns_batch_free(bm);
    dns_batch_free(bo);
    fake_dns_stop(&mix);
    fake_dns_stop(&only);
}
END_TEST

START_TEST(canary_statuses)
{
    /* The resolver canary, the root zone's NS: a lying resolver says it does
     * not exist; an authoritative server refuses; a resolver answers it. */
    struct fake_dns nx, ans;
    start_fake(&nx, "nxdomain");
    start_fake(&ans, "answer");
    const char *specs[] = { nx.server, nsd_spec(), ans.server };
    const char *want[] = { "nxdomain", "refused", "ok" };
    for (size_t i = 0; i < 3; i++) {
        struct dns_batch *b = batch_of(&specs[i], 1, 500, 1);
        size_t c = dns_batch_add(b, DNS_NS, ".");
        dns_batch_run(b, dns_deadline_in(3000));
        ck_assert_msg(strcmp(dns_status_tostr(dns_batch_get(b, c)->status), want[i]) == 0, "canary at %s: %s",
                      specs[i], dns_status_tostr(dns_batch_get(b, c)->status));
        ck_assert_str_eq(dns_batch_get(b, c)->server, specs[i]);
        dns_batch_free(b);
    }
    fake_dns_stop(&nx);
    fake_dns_stop(&ans);
}
END_TEST

/* --- failover ------------------------------------------------------------ */

static const char *const failover_modes[] = { "refuse", "servfail", "refer", "reflect", "silent", "closed" };

START_TEST(failover_to_a_good_resolver)
{
    const char *mode = failover_modes[_i];
    struct fake_dns f = { 0 };
    char closed[64];
    const char *first;
    if (strcmp(mode, "closed") == 0) {
        /* Nothing listens: ICMP port unreachable, connection refused. */
        unsigned port = nsd_harness_free_port("127.0.0.1", 0);
        ck_assert_uint_ne(port, 0);
        snprintf(closed, sizeof(closed), "127.0.0.1:%u", port);
        first = closed;
    } else {
        start_fake(&f, mode);
        first = f.server;
    }
    const char *specs[] = { first, nsd_spec() };
    struct dns_batch *b = batch_of(specs, 2, 2000, 2);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    size_t nx = dns_batch_add(b, DNS_A, "nope.example.test");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 6000), 0);
    long long took = dns_now_ms() - start;
    /* A useless reply moves on at once; silence after the try's 2 s. */
    bool silent = strcmp(mode, "silent") == 0;
    ck_assert_msg(took < (silent ? 3000 : 1000), "%s first: took %lld ms", mode, took);
    if (silent)
        ck_assert_msg(took >= 1990, "%s first: took only %lld ms", mode, took);
    const struct dns_result *r = dns_batch_get(b, p);
    ck_assert_str_eq(dns_status_tostr(r->status), "ok");
    assert_list(&r->answers, (const char *const[]){ "mail.example.test" }, 1, "PTR");
    ck_assert_str_eq(r->server, nsd_spec());
    ck_assert_ptr_null(r->detail);
    assert_list(&dns_batch_get(b, a)->answers, (const char *const[]){ "192.0.2.10" }, 1, "A");
    /* nsd's NXDOMAIN is final, not a reason to ask further. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, nx)->status), "nxdomain");
    ck_assert_str_eq(dns_batch_get(b, nx)->server, nsd_spec());
    dns_batch_free(b);
    fake_dns_stop(&f);
}
END_TEST

START_TEST(every_resolver_failed_detail_names_each)
{
    struct fake_dns refuse, servfail, silent;
    start_fake(&refuse, "refuse");
    start_fake(&servfail, "servfail");
    start_fake(&silent, "silent");
    char want[512];

    const char *two[] = { refuse.server, servfail.server };
    struct dns_batch *b = batch_of(two, 2, 400, 2);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    dns_batch_run(b, dns_deadline_in(3000));
    /* The last reply decides the status; the detail has every resolver. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "servfail");
    ck_assert_str_eq(dns_batch_get(b, p)->server, servfail.server);
    snprintf(want, sizeof(want), "REFUSED from %s; SERVFAIL from %s", refuse.server, servfail.server);
    assert_detail(dns_batch_get(b, p), want);
    dns_batch_free(b);

    /* Silent then refusing: the refusal is the status, and once a resolver
     * has replied the silent one is not waited on in a second pass. */
    const char *mixed[] = { silent.server, refuse.server };
    b = batch_of(mixed, 2, 300, 3);
    p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 3000), 0);
    long long took = dns_now_ms() - start;
    ck_assert_msg(took >= 290 && took < 800, "took %lld ms, expected one try of 300 ms", took);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "refused");
    ck_assert_str_eq(dns_batch_get(b, p)->server, refuse.server);
    snprintf(want, sizeof(want), "no answer within 300 ms from %s; REFUSED from %s", silent.server, refuse.server);
    assert_detail(dns_batch_get(b, p), want);
    dns_batch_free(b);

    /* Two silent resolvers: nothing replied, so both get a second pass
     * with twice the time. */
    struct fake_dns silent2;
    start_fake(&silent2, "silent");
    const char *quiet[] = { silent.server, silent2.server };
    b = batch_of(quiet, 2, 200, 2);
    p = dns_batch_add_ptr(b, "192.0.2.10");
    start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 5000), 0);
    took = dns_now_ms() - start;
    ck_assert_msg(took >= 1190 && took < 2500, "took %lld ms, expected 2 x 200 + 2 x 400", took);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "timeout");
    ck_assert_ptr_null(dns_batch_get(b, p)->server);
    snprintf(want, sizeof(want),
             "no answer within 200 ms from %s; no answer within 200 ms from %s; "
             "no answer within 400 ms from %s; no answer within 400 ms from %s",
             silent.server, silent2.server, silent.server, silent2.server);
    assert_detail(dns_batch_get(b, p), want);
    dns_batch_free(b);
    fake_dns_stop(&silent2);
    fake_dns_stop(&refuse);
    fake_dns_stop(&servfail);
    fake_dns_stop(&silent);
}
END_TEST

START_TEST(silent_in_round_one_is_not_waited_on_in_round_two)
{
    struct fake_dns silent;
    start_fake(&silent, "silent");
    const char *specs[] = { silent.server, nsd_spec() };
    struct dns_batch *b = batch_of(specs, 2, 1000, 2);
    long long deadline = dns_deadline_in(8000);
    size_t p = dns_batch_add_ptr(b, "192.0.2.11");
    size_t c = dns_batch_add(b, DNS_NS, ".");
    long long start = dns_now_ms();
    dns_batch_run(b, deadline);
    long long round1 = dns_now_ms() - start;
    ck_assert_msg(round1 >= 990 && round1 < 1800, "round one took %lld ms, expected one try of 1 s", round1);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "ok");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, c)->status), "refused");

    /* Round two goes to nsd first: no second wait on the silent resolver. */
    size_t a = dns_batch_add(b, DNS_A, dns_batch_get(b, p)->answers.items[0]);
    size_t aaaa = dns_batch_add(b, DNS_AAAA, "mail.example.test");
    start = dns_now_ms();
    dns_batch_run(b, deadline);
    long long round2 = dns_now_ms() - start;
    ck_assert_msg(round2 < 500, "round two took %lld ms: the silent resolver was waited on again", round2);
    assert_list(&dns_batch_get(b, a)->answers, (const char *const[]){ "198.51.100.7" }, 1, "A");
    assert_list(&dns_batch_get(b, aaaa)->answers, (const char *const[]){ "2001:db8::10" }, 1, "AAAA");
    ck_assert_str_eq(dns_batch_get(b, a)->server, nsd_spec());
    ck_assert_uint_eq(dns_batch_get(b, a)->round, 2);
    dns_batch_free(b);
    fake_dns_stop(&silent);
}
END_TEST

START_TEST(a_missed_resolver_is_still_asked_last)
{
    /* When the others fail, the resolver that missed a try is asked after
     * them: the order of round two's detail shows it. */
    struct fake_dns silent, refuse;
    start_fake(&silent, "silent");
    start_fake(&refuse, "refuse");
    const char *specs[] = { silent.server, refuse.server };
    struct dns_batch *b = batch_of(specs, 2, 300, 1);
    long long deadline = dns_deadline_in(5000);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    dns_batch_run(b, deadline);
    char want[256];
    snprintf(want, sizeof(want), "no answer within 300 ms from %s; REFUSED from %s", silent.server, refuse.server);
    assert_detail(dns_batch_get(b, p), want);
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    dns_batch_run(b, deadline);
    snprintf(want, sizeof(want), "REFUSED from %s; no answer within 300 ms from %s", refuse.server, silent.server);
    assert_detail(dns_batch_get(b, a), want);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, a)->status), "refused");
    dns_batch_free(b);
    fake_dns_stop(&silent);
    fake_dns_stop(&refuse);
}
END_TEST

START_TEST(every_resolver_gets_a_share_of_the_deadline)
{
    /* Two silent resolvers and a first try (2 s) longer than the whole
     * deadline: each gets half, both are named, the deadline holds. */
    struct fake_dns s1, s2;
    start_fake(&s1, "silent");
    start_fake(&s2, "silent");
    const char *specs[] = { s1.server, s2.server };
    struct dns_batch *b = batch_of(specs, 2, 2000, 3);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 1000), 1);
    long long took = dns_now_ms() - start;
    ck_assert_msg(took >= 990 && took < 1300, "took %lld ms", took);
    const struct dns_result *r = dns_batch_get(b, p);
    ck_assert_str_eq(dns_status_tostr(r->status), "timeout");
    /* "no answer within N ms from S1; no answer within M ms from S2", N
     * and M about half a second each. */
    unsigned n1 = 0, n2 = 0;
    char srv1[64] = "", srv2[64] = "";
    ck_assert_ptr_nonnull(r->detail);
    ck_assert_msg(sscanf(r->detail, "no answer within %u ms from %63[^;]; no answer within %u ms from %63s", &n1, srv1,
                         &n2, srv2) == 4,
                  "detail '%s'", r->detail);
    ck_assert_str_eq(srv1, s1.server);
    ck_assert_str_eq(srv2, s2.server);
    ck_assert_msg(n1 >= 450 && n1 <= 500 && n2 >= 400 && n2 <= 560, "detail '%s'", r->detail);
    dns_batch_free(b);
    fake_dns_stop(&s1);
    fake_dns_stop(&s2);
}
END_TEST

START_TEST(many_queries_fail_over_together)
{
    struct fake_dns refuse;
    start_fake(&refuse, "refuse");
    const char *specs[] = { refuse.server, nsd_spec() };
    struct dns_batch *b = batch_of(specs, 2, 500, 2);
    char addr[32];
    for (int i = 0; i < 200; i++) {
        snprintf(addr, sizeof(addr), "192.0.2.%d", i);
        dns_batch_add_ptr(b, addr);
    }
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 5000), 0);
    ck_assert_msg(dns_now_ms() - start < 1500, "took %lld ms", dns_now_ms() - start);
    for (size_t i = 0; i < dns_batch_count(b); i++) {
        const struct dns_result *r = dns_batch_get(b, i);
        ck_assert_str_eq(r->server, nsd_spec());
        ck_assert_msg(r->status == (strcmp(r->address, "192.0.2.10") == 0 || strcmp(r->address, "192.0.2.11") == 0
                                        ? DNS_OK
                                        : DNS_NXDOMAIN),
                      "%s: %s", r->address, dns_status_tostr(r->status));
    }
    dns_batch_free(b);
    fake_dns_stop(&refuse);
}
END_TEST

START_TEST(ipv6_resolver_named_in_brackets)
{
    if (!nsd_harness_free_port("::1", 0)) {
        printf("skipped ipv6_resolver_named_in_brackets: no IPv6 loopback on this host\n");
        return;
    }
    struct fake_dns f;
    ck_assert_msg(fake_dns_start(&f, "refuse", "::1", 0) == 0, "%s", f.error);
    const char *specs[] = { f.server, nsd_spec() };
    struct dns_batch *b = batch_of(specs, 2, 500, 1);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    dns_batch_run(b, dns_deadline_in(3000));
    char v6[64];
    snprintf(v6, sizeof(v6), "[::1]:%u", f.port);
    ck_assert_str_eq(dns_batch_server(b, 0), v6);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "ok");
    dns_batch_free(b);
    fake_dns_stop(&f);
}
END_TEST

/* --- resolv.conf --------------------------------------------------------- */

START_TEST(resolv_conf_servers_in_order)
{
    char *dir = ts_tmpdir("resolv");
    char *path = xasprintf("%s/resolv.conf", dir);
    ts_write_file(path, "# comment\nnameserver 192.0.2.53\nnameserver 2001:db8::53\nnameserver 192.0.2.54\n"
                        "search example.test\noptions timeout:30 attempts:5\n");
    struct dns_options opts = { 0 };
    struct dns_batch *b = NULL;
    char *err = NULL;
    opts.resolv_conf = path;
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "%s", err ? err : "?");
    ck_assert_uint_eq(dns_batch_server_count(b), 3);
    ck_assert_str_eq(dns_batch_server(b, 0), "192.0.2.53:53");
    ck_assert_str_eq(dns_batch_server(b, 1), "[2001:db8::53]:53");
    ck_assert_str_eq(dns_batch_server(b, 2), "192.0.2.54:53");
    dns_batch_free(b);

    /* No file, or no nameserver in it: 127.0.0.1:53, as for the C library. */
    opts.resolv_conf = "/nonexistent/resolv.conf";
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "%s", err ? err : "?");
    ck_assert_uint_eq(dns_batch_server_count(b), 1);
    ck_assert_str_eq(dns_batch_server(b, 0), "127.0.0.1:53");
    dns_batch_free(b);
    ts_write_file(path, "search example.test\n");
    opts.resolv_conf = path;
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "%s", err ? err : "?");
    ck_assert_str_eq(dns_batch_server(b, 0), "127.0.0.1:53");
    dns_batch_free(b);
    ts_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

START_TEST(resolv_conf_failover_on_port_53)
{
    /* The system's way: resolv.conf names servers without a port. A refusing
     * one first, then nsd, both on port 53 of loopback addresses. */
    if (!ts_is_root()) {
        printf("skipped resolv_conf_failover_on_port_53: needs root to bind port 53\n");
        return;
    }
    struct fake_dns f;
    if (fake_dns_start(&f, "refuse", "127.83.41.9", 53) != 0) {
        printf("skipped resolv_conf_failover_on_port_53: %s\n", f.error);
        return;
    }
    struct nsd_harness_opts where = { NULL, "127.83.41.10", 53 };
    struct nsd_harness ns53;
    if (nsd_harness_start(&ns53, zones, sizeof(zones) / sizeof(zones[0]), &where) != 0) {
        fake_dns_stop(&f);
        ck_abort_msg("nsd on 127.83.41.10:53: %s", ns53.error);
    }
    char *dir = ts_tmpdir("resolv");
    char *path = xasprintf("%s/resolv.conf", dir);
    ts_write_file(path, "nameserver 127.83.41.9\nnameserver 127.83.41.10\n");
    struct dns_options opts = { 0 };
    struct dns_batch *b = NULL;
    char *err = NULL;
    opts.resolv_conf = path;
    int rc = dns_batch_new(&opts, &b, &err);
    size_t p = 0, c = 0;
    if (rc == 0) {
        p = dns_batch_add_ptr(b, "192.0.2.10");
        c = dns_batch_add(b, DNS_NS, ".");
        dns_batch_run(b, dns_deadline_in(3000));
    }
    nsd_harness_stop(&ns53);
    fake_dns_stop(&f);
    ts_rmtree(dir);
    free(dir);
    free(path);
    ck_assert_msg(rc == 0, "%s", err ? err : "?");
    ck_assert_str_eq(dns_batch_server(b, 0), "127.83.41.9:53");
    ck_assert_str_eq(dns_batch_server(b, 1), "127.83.41.10:53");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "ok");
    ck_assert_str_eq(dns_batch_get(b, p)->server, "127.83.41.10:53");
    /* Both refuse the canary: the detail names both, in order. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, c)->status), "refused");
    assert_detail(dns_batch_get(b, c), "REFUSED from 127.83.41.9:53; REFUSED from 127.83.41.10:53");
    dns_batch_free(b);
}
END_TEST

Suite *probe_dns_failover_suite(void)
{
    Suite *s = suite_create("probe_dns_failover");
    TCase *one = tcase_create("one");
    tcase_set_timeout(one, 10);
    tcase_add_loop_test(one, each_kind_of_resolver, 0, (int)(sizeof(mode_cases) / sizeof(mode_cases[0])));
    tcase_add_test(one, silent_resolver_times_out_at_the_deadline);
    tcase_add_test(one, ptr_names_that_are_no_host_names);
    tcase_add_test(one, every_resolver_failed_detail_names_each);
    tcase_add_test(one, a_missed_resolver_is_still_asked_last);
    tcase_add_test(one, every_resolver_gets_a_share_of_the_deadline);
    tcase_add_test(one, resolv_conf_servers_in_order);
    suite_add_tcase(s, one);

    TCase *tc = tcase_create("nsd");
    tcase_add_unchecked_fixture(tc, nsd_setup, nsd_teardown);
    tcase_set_timeout(tc, 15);
    tcase_add_test(tc, canary_statuses);
    tcase_add_loop_test(tc, failover_to_a_good_resolver, 0,
                        (int)(sizeof(failover_modes) / sizeof(failover_modes[0])));
    tcase_add_test(tc, silent_in_round_one_is_not_waited_on_in_round_two);
    tcase_add_test(tc, many_queries_fail_over_together);
    tcase_add_test(tc, ipv6_resolver_named_in_brackets);
    tcase_add_test(tc, resolv_conf_failover_on_port_53);
    suite_add_tcase(s, tc);
    return s;
}
