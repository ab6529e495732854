/* test_probe_dns - the DNS batch engine against a real nsd: every status the
 * audit distinguishes with the server and detail it records, several PTRs,
 * names that are no host names, RFC 2317 CNAME chains, a referral, the
 * root NS canary, de-duplication, two dependent rounds, and the deadline
 * with a silent server. */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"
#include "probes/dns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define SOA "@ 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n" \
            "@ 300 IN NS ns.example.test.\n"

static const char zone_forward[] =
    "$TTL 300\n" SOA
    "ns       IN A     127.0.0.1\n"
    "mail     IN A     192.0.2.10\n"
    "mail     IN AAAA  2001:db8::10\n"
    "multi    IN A     192.0.2.12\n"
    "multi    IN A     192.0.2.10\n"
    "multi    IN AAAA  2001:db8::12\n"
    "multi    IN AAAA  2001:db8::10\n"
    "v4only   IN A     192.0.2.20\n"
    "other    IN A     198.51.100.7\n"
    "alias    IN CNAME mail\n"
    "sub      IN NS    ns.sub\n"                     /* delegated: nsd refers */
    "ns.sub   IN A     127.0.0.1\n";

static const char zone_reverse4[] =
    "$TTL 300\n" SOA
    "10       IN PTR   mail.example.test.\n"
    "11       IN PTR   other.example.test.\n"       /* wrong PTR: other has another address */
    "12       IN PTR   b.example.test.\n"           /* several PTRs */
    "12       IN PTR   a.example.test.\n"
    "12       IN PTR   c.example.test.\n"
    "14       IN TXT   \"no ptr here\"\n"           /* NODATA */
    "16       IN CNAME 16.0/26.2.0.192.in-addr.arpa.\n" /* RFC 2317 */
    "16.0/26  IN PTR   classless.example.test.\n"
    "17       IN CNAME 17.0/26.2.0.192.in-addr.arpa.\n" /* CNAME to a name without PTR */
    "17.0/26  IN TXT   \"delegated, no ptr yet\"\n"
    "19       IN CNAME 19.0/26.2.0.192.in-addr.arpa.\n" /* CNAME to nothing */
    "18       IN PTR   MiXeD.Example.TEST.\n"
    "20       IN PTR   bad\\032space.example.test.\n"   /* hostile names: never passed on */
    "21       IN PTR   bell\\007.example.test.\n"
    "22       IN PTR   under_score.example.test.\n";

static const char zone_reverse6[] =
    "$TTL 300\n" SOA
    "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR mail.example.test.\n";

static const struct nsd_zone zones[] = {
    { "example.test", zone_forward },
    { "2.0.192.in-addr.arpa", zone_reverse4 },
    { "8.b.d.0.1.0.0.2.ip6.arpa", zone_reverse6 },
    { "15.2.0.192.in-addr.arpa", NULL }, /* SERVFAIL */
    { "broken.test", NULL },             /* SERVFAIL */
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

/* A batch asking only the test's nsd. */
static struct dns_batch *batch_for(const char *server_spec)
{
    struct dns_server server;
    struct dns_options opts = { 0 };
    struct dns_batch *b = NULL;
    char *err = NULL;

    ck_assert_msg(dns_server_parse(server_spec, &server) == 0, "bad server '%s'", server_spec);
    opts.servers = &server;
    opts.nservers = 1;
    opts.try_ms = 500;
    opts.tries = 2;
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "dns_batch_new: %s", err ? err : "?");
    return b;
}

static struct dns_batch *batch_nsd(void)
{
    ck_assert_msg(nsd_started, "nsd did not start: %s", nsd.error);
    return batch_for(nsd_harness_server(&nsd));
}

static void assert_answers(const struct dns_result *r, const char *const *want, size_t n)
{
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(r->answers.n == n, "%s %s: %zu answers, expected %zu", dns_type_tostr(r->type), r->name,
                  r->answers.n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(r->answers.items[i], want[i]);
}

START_TEST(server_specs_parse)
{
    struct dns_server s;
    ck_assert_int_eq(dns_server_parse("192.0.2.53", &s), 0);
    ck_assert_str_eq(s.address, "192.0.2.53");
    ck_assert_uint_eq(s.port, 53);
    ck_assert_int_eq(dns_server_parse("192.0.2.53:5353", &s), 0);
    ck_assert_uint_eq(s.port, 5353);
    ck_assert_int_eq(dns_server_parse("[2001:DB8:0::53]:5353", &s), 0);
    ck_assert_str_eq(s.address, "2001:db8::53");
    ck_assert_uint_eq(s.port, 5353);
    ck_assert_int_eq(dns_server_parse("[2001:db8::53]", &s), 0);
    ck_assert_uint_eq(s.port, 53);
    ck_assert_int_eq(dns_server_parse("2001:db8::53", &s), 0);
    ck_assert_str_eq(s.address, "2001:db8::53");
    ck_assert_uint_eq(s.port, 53);
    /* [IPv4] is unambiguous and accepted (the option parser uses this parser). */
    ck_assert_int_eq(dns_server_parse("[127.0.0.1]:5399", &s), 0);
    ck_assert_str_eq(s.address, "127.0.0.1");
    ck_assert_uint_eq(s.port, 5399);
    ck_assert_int_eq(dns_server_parse("[192.0.2.53]", &s), 0);
    ck_assert_uint_eq(s.port, 53);
    char text[DNS_SERVER_TEXT_MAX];
    dns_server_format(&s, text);
    ck_assert_str_eq(text, "192.0.2.53:53");
    ck_assert_int_eq(dns_server_parse("[2001:DB8::53]:5353", &s), 0);
    dns_server_format(&s, text);
    ck_assert_str_eq(text, "[2001:db8::53]:5353");
    static const char *const bad[] = {
        "", "dns.example.com", "192.0.2.53:", "192.0.2.53:0", "192.0.2.53:65536", "192.0.2.53:53x",
        "[2001:db8::53", "[2001:db8::53]x", "[192.0.2.53]:", "[192.0.2.53]:0", "[]", "[]:53", "[dns.example]:53",
        "2001:db8::53:5353:1:2:3:4:5", "192.0.2.256", "192.0.2.53:123456", "[fe80::1%eth0]:53", " 192.0.2.53",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(dns_server_parse(bad[i], &s) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(status_words_round_trip)
{
    for (int s = DNS_OK; s <= DNS_PENDING; s++)
        ck_assert_int_eq(dns_status_fromstr(dns_status_tostr((enum dns_status)s)), s);
    ck_assert_str_eq(dns_status_tostr(DNS_NXDOMAIN), "nxdomain");
    ck_assert_int_eq(dns_status_fromstr("yes"), -1);
}
END_TEST

START_TEST(ok_forward_and_reverse)
{
    struct dns_batch *b = batch_nsd();
    size_t p4 = dns_batch_add_ptr(b, "192.0.2.10");
    size_t p6 = dns_batch_add_ptr(b, "2001:db8::10");
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    size_t aaaa = dns_batch_add(b, DNS_AAAA, "mail.example.test.");
    size_t multi = dns_batch_add(b, DNS_AAAA, "multi.example.test");
    size_t alias = dns_batch_add(b, DNS_A, "alias.example.test");
    ck_assert_uint_eq(dns_batch_get(b, p4)->status, DNS_PENDING);
    ck_assert_uint_eq(dns_batch_run(b, dns_deadline_in(3000)), 0);

    const struct dns_result *r = dns_batch_get(b, p4);
    ck_assert_str_eq(r->name, "10.2.0.192.in-addr.arpa");
    ck_assert_str_eq(r->address, "192.0.2.10");
    ck_assert_str_eq(dns_status_tostr(r->status), "ok");
    ck_assert_int_ge(r->ms, 0);
    ck_assert_int_lt(r->ms, 1000);
    ck_assert_uint_eq(r->round, 1);
    assert_answers(r, (const char *const[]){ "mail.example.test" }, 1);
    r = dns_batch_get(b, p6);
    ck_assert_str_eq(r->name, "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    ck_assert_uint_eq(r->status, DNS_OK);
    assert_answers(r, (const char *const[]){ "mail.example.test" }, 1);
    assert_answers(dns_batch_get(b, a), (const char *const[]){ "192.0.2.10" }, 1);
    assert_answers(dns_batch_get(b, aaaa), (const char *const[]){ "2001:db8::10" }, 1);
    assert_answers(dns_batch_get(b, multi), (const char *const[]){ "2001:db8::10", "2001:db8::12" }, 2);
    assert_answers(dns_batch_get(b, alias), (const char *const[]){ "192.0.2.10" }, 1);
    /* find() by numeric address or by name, any case, with or without the dot. */
    ck_assert_ptr_eq(dns_batch_find(b, DNS_PTR, "2001:DB8::10"), dns_batch_get(b, p6));
    ck_assert_ptr_eq(dns_batch_find(b, DNS_A, "MAIL.example.test."), dns_batch_get(b, a));
    ck_assert_ptr_null(dns_batch_find(b, DNS_A, "nope.example.test"));
    dns_batch_free(b);
}
END_TEST

START_TEST(wrong_ptr_is_reported_as_found)
{
    struct dns_batch *b = batch_nsd();
    size_t p = dns_batch_add_ptr(b, "192.0.2.11");
    dns_batch_run(b, dns_deadline_in(3000));
    assert_answers(dns_batch_get(b, p), (const char *const[]){ "other.example.test" }, 1);
    size_t a = dns_batch_add(b, DNS_A, "other.example.test");
    dns_batch_run(b, dns_deadline_in(3000));
    /* The name exists but points elsewhere: the audit sees the mismatch. */
    assert_answers(dns_batch_get(b, a), (const char *const[]){ "198.51.100.7" }, 1);
    dns_batch_free(b);
}
END_TEST

START_TEST(nxdomain_nodata_servfail_refused)
{
    struct dns_batch *b = batch_nsd();
    size_t nx_ptr = dns_batch_add_ptr(b, "192.0.2.13");
    size_t nx_a = dns_batch_add(b, DNS_A, "nope.example.test");
    size_t nodata_ptr = dns_batch_add_ptr(b, "192.0.2.14");
    size_t nodata_aaaa = dns_batch_add(b, DNS_AAAA, "v4only.example.test");
    size_t cname_only = dns_batch_add_ptr(b, "192.0.2.17");
    size_t cname_dangling = dns_batch_add_ptr(b, "192.0.2.19");
    size_t sf_ptr = dns_batch_add_ptr(b, "192.0.2.15");
    size_t sf_a = dns_batch_add(b, DNS_A, "mail.broken.test");
    size_t refused = dns_batch_add(b, DNS_A, "mail.not-served.example");
    ck_assert_uint_eq(dns_batch_run(b, dns_deadline_in(3000)), 0);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, nx_ptr)->status), "nxdomain");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, nx_a)->status), "nxdomain");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, nodata_ptr)->status), "nodata");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, nodata_aaaa)->status), "nodata");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, cname_only)->status), "nodata");
    /* The rcode speaks for the end of the CNAME chain (RFC 6604). */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, cname_dangling)->status), "nxdomain");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, sf_ptr)->status), "servfail");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, sf_a)->status), "servfail");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, refused)->status), "refused");
    /* Each result names the server; a failure says what it did. */
    char want[128];
    const char *server = nsd_harness_server(&nsd);
    snprintf(want, sizeof(want), "SERVFAIL from %s", server);
    ck_assert_str_eq(dns_batch_get(b, sf_ptr)->detail, want);
    snprintf(want, sizeof(want), "REFUSED from %s", server);
    ck_assert_str_eq(dns_batch_get(b, refused)->detail, want);
    for (size_t i = 0; i < dns_batch_count(b); i++) {
        const struct dns_result *r = dns_batch_get(b, i);
        ck_assert_uint_eq(r->answers.n, 0);
        ck_assert_uint_eq(r->invalid.n, 0);
        ck_assert_str_eq(r->server, server);
        if (r->status == DNS_NXDOMAIN || r->status == DNS_NODATA)
            ck_assert_ptr_null(r->detail);
        /* With one server, SERVFAIL and REFUSED are final, not a dead server to wait on. */
        ck_assert_int_lt(r->ms, 400);
    }
    dns_batch_free(b);
}
END_TEST

START_TEST(several_ptrs_sorted_and_rfc2317_followed)
{
    struct dns_batch *b = batch_nsd();
    size_t many = dns_batch_add_ptr(b, "192.0.2.12");
    size_t classless = dns_batch_add_ptr(b, "192.0.2.16");
    size_t mixed = dns_batch_add_ptr(b, "192.0.2.18");
    size_t space = dns_batch_add_ptr(b, "192.0.2.20");
    size_t bell = dns_batch_add_ptr(b, "192.0.2.21");
    size_t underscore = dns_batch_add_ptr(b, "192.0.2.22");
    dns_batch_run(b, dns_deadline_in(3000));
    /* A PTR whose target is no host name is a record all the same (c-ares
     * 1.18 would have rejected the whole answer): status ok, no answer, the
     * name kept apart, escaped for printing. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, space)->status), "ok");
    ck_assert_uint_eq(dns_batch_get(b, space)->answers.n, 0);
    ck_assert_uint_eq(dns_batch_get(b, space)->invalid.n, 1);
    ck_assert_str_eq(dns_batch_get(b, space)->invalid.items[0], "bad space.example.test");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, bell)->status), "ok");
    ck_assert_uint_eq(dns_batch_get(b, bell)->answers.n, 0);
    ck_assert_uint_eq(dns_batch_get(b, bell)->invalid.n, 1);
    ck_assert_str_eq(dns_batch_get(b, bell)->invalid.items[0], "bell\\x07.example.test");
    ck_assert_ptr_null(dns_batch_get(b, bell)->detail);
    /* An underscore is no character of a host name, but c-ares accepts it
     * and the checks judge it: an answer. */
    ck_assert_uint_eq(dns_batch_get(b, underscore)->invalid.n, 0);
    assert_answers(dns_batch_get(b, underscore), (const char *const[]){ "under_score.example.test" }, 1);
    assert_answers(dns_batch_get(b, many), (const char *const[]){ "a.example.test", "b.example.test", "c.example.test" }, 3);
    assert_answers(dns_batch_get(b, classless), (const char *const[]){ "classless.example.test" }, 1);
    assert_answers(dns_batch_get(b, mixed), (const char *const[]){ "mixed.example.test" }, 1);
    dns_batch_free(b);
}
END_TEST

START_TEST(identical_queries_asked_once_and_rounds_kept)
{
    struct dns_batch *b = batch_nsd();
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    ck_assert_uint_eq(dns_batch_add_ptr(b, "192.0.2.10"), p);
    ck_assert_uint_eq(dns_batch_add(b, DNS_PTR, "10.2.0.192.IN-ADDR.ARPA."), p);
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    ck_assert_uint_eq(dns_batch_add(b, DNS_A, "Mail.Example.Test."), a);
    ck_assert_uint_ne(dns_batch_add(b, DNS_AAAA, "mail.example.test"), a);
    ck_assert_uint_eq(dns_batch_add_ptr(b, "not-an-address"), DNS_BAD_INDEX);
    ck_assert_uint_eq(dns_batch_count(b), 3);
    long long deadline = dns_deadline_in(3000);
    dns_batch_run(b, deadline);
    ck_assert_uint_eq(dns_batch_rounds(b), 1);

    /* Round two: the PTR name equals a name already asked, so nothing new
     * for it; only the really new query is sent. */
    const struct dns_result *ptr = dns_batch_get(b, p);
    ck_assert_uint_eq(dns_batch_add(b, DNS_A, ptr->answers.items[0]), a);
    ck_assert_uint_eq(dns_batch_count(b), 3);
    size_t multi = dns_batch_add(b, DNS_A, "multi.example.test");
    ck_assert_uint_eq(dns_batch_count(b), 4);
    dns_batch_run(b, deadline);
    ck_assert_uint_eq(dns_batch_rounds(b), 2);
    ck_assert_uint_eq(dns_batch_get(b, multi)->round, 2);
    ck_assert_uint_eq(dns_batch_get(b, a)->round, 1);
    /* Round one's results are untouched by round two. */
    ck_assert_uint_eq(dns_batch_get(b, p)->status, DNS_OK);
    assert_answers(dns_batch_get(b, p), (const char *const[]){ "mail.example.test" }, 1);
    assert_answers(dns_batch_get(b, multi), (const char *const[]){ "192.0.2.10", "192.0.2.12" }, 2);
    /* A run with nothing new sends nothing and is not a round. */
    ck_assert_uint_eq(dns_batch_run(b, deadline), 0);
    ck_assert_uint_eq(dns_batch_rounds(b), 2);
    dns_batch_free(b);
}
END_TEST

START_TEST(ipv6_server_address)
{
    ck_assert_msg(nsd_started, "nsd did not start: %s", nsd.error);
    if (!nsd.has_ipv6_loopback) {
        tsupport_skip("ipv6_server_address", "no IPv6 loopback on this host");
        return;
    }
    char spec[64];
    snprintf(spec, sizeof(spec), "[::1]:%u", nsd.port);
    struct dns_batch *b = batch_for(spec);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    dns_batch_run(b, dns_deadline_in(3000));
    ck_assert_uint_eq(dns_batch_get(b, p)->status, DNS_OK);
    ck_assert_str_eq(dns_batch_get(b, p)->server, spec);
    ck_assert_uint_eq(dns_batch_server_count(b), 1);
    ck_assert_str_eq(dns_batch_server(b, 0), spec);
    ck_assert_ptr_null(dns_batch_server(b, 1));
    dns_batch_free(b);
}
END_TEST

START_TEST(referral_is_an_error_not_nodata)
{
    /* nsd delegates sub.example.test: for a name below it nsd answers
     * NOERROR, AA clear, no answer, the NS in the authority section. That
     * says nothing about the name, so it is no NODATA. */
    struct dns_batch *b = batch_nsd();
    size_t a = dns_batch_add(b, DNS_A, "host.sub.example.test");
    size_t p = dns_batch_add(b, DNS_PTR, "1.sub.example.test");
    dns_batch_run(b, dns_deadline_in(3000));
    char want[128];
    snprintf(want, sizeof(want), "referral from %s: not a recursive resolver", nsd_harness_server(&nsd));
    for (int i = 0; i < 2; i++) {
        const struct dns_result *r = dns_batch_get(b, i ? p : a);
        ck_assert_str_eq(dns_status_tostr(r->status), "error");
        ck_assert_str_eq(r->detail, want);
        ck_assert_str_eq(r->server, nsd_harness_server(&nsd));
        ck_assert_uint_eq(r->answers.n, 0);
    }
    dns_batch_free(b);
}
END_TEST

START_TEST(canary_refused_by_an_authoritative_server)
{
    /* nsd serves no root zone: it refuses the root's NS, as an
     * authoritative-only server given with --dns-server does. */
    struct dns_batch *b = batch_nsd();
    size_t c = dns_batch_add(b, DNS_NS, ".");
    dns_batch_run(b, dns_deadline_in(3000));
    const struct dns_result *r = dns_batch_get(b, c);
    ck_assert_str_eq(r->name, ".");
    ck_assert_str_eq(dns_type_tostr(r->type), "NS");
    ck_assert_str_eq(dns_status_tostr(r->status), "refused");
    ck_assert_str_eq(r->server, nsd_harness_server(&nsd));
    ck_assert_ptr_eq(dns_batch_find(b, DNS_NS, "."), r);
    dns_batch_free(b);
}
END_TEST

START_TEST(canary_ok_from_a_server_of_the_root_zone)
{
    static const char root[] = "$TTL 300\n"
                               ". IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"
                               ". IN NS a.root-servers.net.\n"
                               ". IN NS B.Root-Servers.NET.\n"
                               "a.root-servers.net. IN A 127.0.0.1\n"
                               "b.root-servers.net. IN A 127.0.0.1\n";
    const struct nsd_zone zone[] = { { ".", root } };
    struct nsd_harness rootd;
    ck_assert_msg(nsd_harness_start(&rootd, zone, 1, NULL) == 0, "nsd: %s", rootd.error);
    struct dns_batch *b = batch_for(nsd_harness_server(&rootd));
    size_t c = dns_batch_add(b, DNS_NS, ".");
    dns_batch_run(b, dns_deadline_in(3000));
    const struct dns_result *r = dns_batch_get(b, c);
    ck_assert_str_eq(dns_status_tostr(r->status), "ok");
    assert_answers(r, (const char *const[]){ "a.root-servers.net", "b.root-servers.net" }, 2);
    ck_assert_ptr_null(r->detail);
    dns_batch_free(b);
    nsd_harness_stop(&rootd);
}
END_TEST

/* A UDP socket that receives queries and never answers. */
static int silent_server(unsigned *port)
{
    struct sockaddr_in sin = { 0 };
    socklen_t sl = sizeof(sin);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ck_assert_int_ge(fd, 0);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

START_TEST(deadline_holds_with_silent_server)
{
    unsigned port;
    int fd = silent_server(&port);
    char spec[64];
    snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);

    /* c-ares on its own would wait 5 s per try, 4 tries, doubling: give it
     * generous retry settings to show that only the deadline rules. */
    struct dns_server server;
    struct dns_options opts = { 0 };
    struct dns_batch *b;
    char *err = NULL;
    ck_assert_int_eq(dns_server_parse(spec, &server), 0);
    opts.servers = &server;
    opts.nservers = 1;
    opts.try_ms = 5000;
    opts.tries = 4;
    ck_assert_int_eq(dns_batch_new(&opts, &b, &err), 0);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    long long start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start + 2000), 2);
    long long took = dns_now_ms() - start;
    ck_assert_msg(took >= 1990 && took <= 2200, "run took %lld ms, expected 2000-2200", took);
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "timeout");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, a)->status), "timeout");
    ck_assert_int_ge(dns_batch_get(b, a)->ms, 1990);
    /* The deadline cut the one try: the detail says how long it waited. */
    const char *d = dns_batch_get(b, a)->detail;
    ck_assert_ptr_nonnull(d);
    char want[96];
    snprintf(want, sizeof(want), " from %s", spec);
    ck_assert_msg(strncmp(d, "no answer within ", 17) == 0 && strstr(d, want) && !strchr(d, ';'), "detail '%s'", d);
    ck_assert_ptr_null(dns_batch_get(b, a)->server);
    /* A later round with the deadline already past returns at once. */
    size_t late = dns_batch_add(b, DNS_AAAA, "mail.example.test");
    start = dns_now_ms();
    ck_assert_uint_eq(dns_batch_run(b, start), 1);
    ck_assert_int_lt(dns_now_ms() - start, 100);
    ck_assert_uint_eq(dns_batch_get(b, late)->status, DNS_TIMEOUT);
    ck_assert_int_eq(dns_batch_get(b, late)->ms, 0);
    ck_assert_uint_eq(dns_batch_get(b, late)->round, 2);
    dns_batch_free(b);
    close(fd);
}
END_TEST

START_TEST(silent_server_short_tries_time_out_before_deadline)
{
    unsigned port;
    int fd = silent_server(&port);
    char spec[64];
    snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);
    struct dns_server server;
    struct dns_options opts = { 0 };
    struct dns_batch *b;
    ck_assert_int_eq(dns_server_parse(spec, &server), 0);
    opts.servers = &server;
    opts.nservers = 1;
    opts.try_ms = 100;
    opts.tries = 2; /* 100 ms + 200 ms */
    ck_assert_int_eq(dns_batch_new(&opts, &b, NULL), 0);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    dns_batch_run(b, start + 3000);
    long long took = dns_now_ms() - start;
    ck_assert_uint_eq(dns_batch_get(b, p)->status, DNS_TIMEOUT);
    ck_assert_msg(took >= 250 && took < 1500, "gave up after %lld ms, expected about 300", took);
    /* Two passes over the one server, the second try twice as long. */
    char want[256];
    snprintf(want, sizeof(want), "no answer within 100 ms from %s; no answer within 200 ms from %s", spec, spec);
    ck_assert_str_eq(dns_batch_get(b, p)->detail, want);
    dns_batch_free(b);
    close(fd);
}
END_TEST

START_TEST(refusing_port_is_an_error_at_once)
{
    /* Nothing listens: the kernel answers with ICMP port unreachable. */
    unsigned port = nsd_harness_free_port("127.0.0.1", 0);
    ck_assert_uint_ne(port, 0);
    char spec[64];
    snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);
    struct dns_batch *b = batch_for(spec);
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    dns_batch_run(b, start + 3000);
    const struct dns_result *r = dns_batch_get(b, p);
    ck_assert_str_eq(dns_status_tostr(r->status), "error");
    char want[96];
    snprintf(want, sizeof(want), "connection refused by %s", spec);
    ck_assert_str_eq(r->detail, want);
    ck_assert_str_eq(r->server, spec);
    ck_assert_msg(dns_now_ms() - start < 500, "a refusing port took %lld ms", dns_now_ms() - start);
    dns_batch_free(b);
}
END_TEST

START_TEST(resolv_conf_cannot_stretch_the_deadline)
{
    /* A resolv.conf asking for long waits and many retries, pointing at a
     * port that is silent; the deadline still rules. Port 53 needs root. */
    if (!ts_is_root()) {
        tsupport_skip("resolv_conf_cannot_stretch_the_deadline", "needs root to bind port 53");
        return;
    }
    /* A loopback address of this process's own, so that parallel runs of
     * the suite never compete for it. */
    char addr[32];
    snprintf(addr, sizeof(addr), "127.83.%u.%u", ((unsigned)getpid() >> 8) & 0xff, ((unsigned)getpid() & 0xff) | 1);
    struct sockaddr_in sin = { 0 };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(53);
    inet_pton(AF_INET, addr, &sin.sin_addr);
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        tsupport_skip("resolv_conf_cannot_stretch_the_deadline", "cannot bind %s:53: %s", addr, strerror(errno));
        close(fd);
        return;
    }
    char *dir = ts_tmpdir("resolv");
    char *path = xasprintf("%s/resolv.conf", dir);
    char *conf = xasprintf("nameserver %s\noptions timeout:30 attempts:5 retrans:30000 retry:5\n", addr);
    ts_write_file(path, conf);
    free(conf);
    struct dns_options opts = { 0 };
    struct dns_batch *b;
    char *err = NULL;
    opts.resolv_conf = path;
    ck_assert_msg(dns_batch_new(&opts, &b, &err) == 0, "%s", err ? err : "?");
    size_t p = dns_batch_add_ptr(b, "192.0.2.10");
    long long start = dns_now_ms();
    dns_batch_run(b, start + 1000);
    long long took = dns_now_ms() - start;
    ck_assert_uint_eq(dns_batch_get(b, p)->status, DNS_TIMEOUT);
    ck_assert_msg(took < 1200, "took %lld ms", took);
    dns_batch_free(b);
    close(fd);
    ts_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

START_TEST(many_queries_run_concurrently)
{
    /* 300 distinct lookups against a server on loopback finish together in
     * about one round trip, not 300 of them. */
    struct dns_batch *b = batch_nsd();
    char addr[32];
    for (int i = 0; i < 256; i++) {
        snprintf(addr, sizeof(addr), "192.0.2.%d", i);
        dns_batch_add_ptr(b, addr);
    }
    for (int i = 0; i < 44; i++) {
        snprintf(addr, sizeof(addr), "host%d.example.test", i);
        dns_batch_add(b, DNS_A, addr);
    }
    ck_assert_uint_eq(dns_batch_count(b), 300);
    ck_assert_uint_eq(dns_batch_run(b, dns_deadline_in(5000)), 0);
    ck_assert_uint_eq(dns_batch_find(b, DNS_PTR, "192.0.2.10")->status, DNS_OK);
    ck_assert_uint_eq(dns_batch_find(b, DNS_PTR, "192.0.2.15")->status, DNS_SERVFAIL);
    ck_assert_uint_eq(dns_batch_find(b, DNS_PTR, "192.0.2.200")->status, DNS_NXDOMAIN);
    ck_assert_uint_eq(dns_batch_find(b, DNS_A, "host43.example.test")->status, DNS_NXDOMAIN);
    dns_batch_free(b);
}
END_TEST

/* Start tests/tools/udp_delay in front of nsd; returns its PID, *port set. */
static pid_t start_relay(unsigned delay_ms, unsigned *port)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    char *tool = ts_tool("udp_delay");
    char upstream[64], delay[16];
    snprintf(upstream, sizeof(upstream), "127.0.0.1:%u", nsd.port);
    snprintf(delay, sizeof(delay), "%u", delay_ms);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* A failing assertion ends the test process: take the relay along. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        execl(tool, "udp_delay", "127.0.0.1:0", upstream, delay, (char *)NULL);
        _exit(127);
    }
    free(tool);
    close(fds[1]);
    char line[32] = "";
    ssize_t got = read(fds[0], line, sizeof(line) - 1);
    close(fds[0]);
    ck_assert_msg(got > 0, "udp_delay printed no port");
    line[got] = '\0';
    *port = (unsigned)strtoul(line, NULL, 10);
    ck_assert_uint_gt(*port, 0);
    return pid;
}

START_TEST(relay_adds_its_delay_and_rounds_cost_round_trips)
{
    ck_assert_msg(nsd_started, "nsd did not start: %s", nsd.error);
    unsigned port;
    pid_t relay = start_relay(50, &port);
    char spec[64];
    snprintf(spec, sizeof(spec), "127.0.0.1:%u", port);
    struct dns_batch *b = batch_for(spec);
    long long deadline = dns_deadline_in(5000);
    size_t p4 = dns_batch_add_ptr(b, "192.0.2.11");
    size_t p6 = dns_batch_add_ptr(b, "2001:db8::10");
    size_t a = dns_batch_add(b, DNS_A, "mail.example.test");
    long long start = dns_now_ms();
    dns_batch_run(b, deadline);
    dns_batch_add(b, DNS_A, dns_batch_get(b, p4)->answers.items[0]);
    size_t confirm = dns_batch_add(b, DNS_AAAA, dns_batch_get(b, p6)->answers.items[0]);
    dns_batch_run(b, deadline);
    long long took = dns_now_ms() - start;
    kill(relay, SIGTERM);
    waitpid(relay, NULL, 0);

    /* Every answer crossed the relay twice: at least 100 ms each. */
    for (size_t i = 0; i < dns_batch_count(b); i++)
        ck_assert_msg(dns_batch_get(b, i)->ms >= 100, "query %zu took %ld ms through a 100 ms relay", i,
                      dns_batch_get(b, i)->ms);
    ck_assert_uint_eq(dns_batch_get(b, a)->status, DNS_OK);
    assert_answers(dns_batch_get(b, confirm), (const char *const[]){ "2001:db8::10" }, 1);
    ck_assert_uint_eq(dns_batch_rounds(b), 2);
    ck_assert_int_ge(took, 200);
    dns_batch_free(b);
}
END_TEST

Suite *probe_dns_suite(void)
{
    Suite *s = suite_create("probe_dns");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, server_specs_parse);
    tcase_add_test(pure, status_words_round_trip);
    suite_add_tcase(s, pure);

    TCase *tc = tcase_create("nsd");
    tcase_add_unchecked_fixture(tc, nsd_setup, nsd_teardown);
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, ok_forward_and_reverse);
    tcase_add_test(tc, wrong_ptr_is_reported_as_found);
    tcase_add_test(tc, nxdomain_nodata_servfail_refused);
    tcase_add_test(tc, several_ptrs_sorted_and_rfc2317_followed);
    tcase_add_test(tc, identical_queries_asked_once_and_rounds_kept);
    tcase_add_test(tc, ipv6_server_address);
    tcase_add_test(tc, referral_is_an_error_not_nodata);
    tcase_add_test(tc, canary_refused_by_an_authoritative_server);
    tcase_add_test(tc, canary_ok_from_a_server_of_the_root_zone);
    tcase_add_test(tc, many_queries_run_concurrently);
    tcase_add_test(tc, relay_adds_its_delay_and_rounds_cost_round_trips);
    suite_add_tcase(s, tc);

    TCase *dead = tcase_create("deadline");
    tcase_set_timeout(dead, 10);
    tcase_add_test(dead, deadline_holds_with_silent_server);
    tcase_add_test(dead, silent_server_short_tries_time_out_before_deadline);
    tcase_add_test(dead, refusing_port_is_an_error_at_once);
    tcase_add_test(dead, resolv_conf_cannot_stretch_the_deadline);
    suite_add_tcase(s, dead);
    return s;
}
