/* test_probe_names - the pure parts of the probes: reverse names built from
 * address bytes, and the scope classifier with its interface words. */
#include <check.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/iface.h"
#include "auditor/foundation/revname.h"
#include "probes/route.h"
#include "tests/support/suites.h"

START_TEST(reverse_names_of_known_addresses)
{
    static const struct {
        const char *address, *name;
    } cases[] = {
        { "192.0.2.10", "10.2.0.192.in-addr.arpa" },
        { "0.0.0.0", "0.0.0.0.in-addr.arpa" },
        { "255.254.1.100", "100.1.254.255.in-addr.arpa" },
        { "2001:db8::10", "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa" },
        /* Every spelling of one address gives the same name. */
        { "2001:DB8:0:0::0010", "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa" },
        { "::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa" },
        { "fe80::abcd:ef01:2345:6789", "9.8.7.6.5.4.3.2.1.0.f.e.d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa" },
        { "::ffff:192.0.2.1", "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa" },
    };
    char out[REVNAME_MAX];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_int_eq(revname_from_string(cases[i].address, out), 0);
        ck_assert_str_eq(out, cases[i].name);
    }
    static const char *const bad[] = { "", "192.0.2", "192.0.2.256", "[2001:db8::1]", "fe80::1%eth0", "mail.example.com" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(revname_from_string(bad[i], out) == -1, "'%s' accepted", bad[i]);
    ck_assert_int_eq(revname_from_string(NULL, out), -1);
    ck_assert_int_eq(revname_from_bytes((const unsigned char *)"abcde", 5, out), -1);
}
END_TEST

/* Read a reverse name back into bytes: the inverse, written independently. */
static int parse_revname(const char *name, unsigned char *bytes, size_t *len)
{
    const char *v4 = ".in-addr.arpa", *v6 = "ip6.arpa";
    size_t n = strlen(name);
    if (n > strlen(v4) && strcmp(name + n - strlen(v4), v4) == 0) {
        unsigned a, b, c, d;
        if (sscanf(name, "%u.%u.%u.%u.", &d, &c, &b, &a) != 4)
            return -1;
        bytes[0] = (unsigned char)a, bytes[1] = (unsigned char)b, bytes[2] = (unsigned char)c, bytes[3] = (unsigned char)d;
        *len = 4;
        return 0;
    }
    if (n != 64 + strlen(v6) || strcmp(name + 64, v6) != 0)
        return -1;
    memset(bytes, 0, 16);
    for (int i = 0; i < 32; i++) {
        char c = name[2 * i];
        unsigned v = (unsigned)(c >= 'a' ? c - 'a' + 10 : c - '0');
        if (name[2 * i + 1] != '.' || v > 15)
            return -1;
        int nib = 31 - i; /* name starts with the last nibble */
        bytes[nib / 2] |= (unsigned char)(nib % 2 ? v : v << 4);
    }
    *len = 16;
    return 0;
}

START_TEST(reverse_names_round_trip_random_addresses)
{
    unsigned seed = 12345;
    char out[REVNAME_MAX];
    for (int i = 0; i < 2000; i++) {
        unsigned char addr[16], back[16];
        size_t len = i % 2 ? 16 : 4, got = 0;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            addr[k] = (unsigned char)(seed >> 16);
        }
        ck_assert_int_eq(revname_from_bytes(addr, len, out), 0);
        ck_assert_uint_lt(strlen(out), REVNAME_MAX);
        ck_assert_msg(parse_revname(out, back, &got) == 0, "unparsable '%s'", out);
        ck_assert_uint_eq(got, len);
        ck_assert(memcmp(addr, back, len) == 0);
    }
}
END_TEST

START_TEST(scope_classes)
{
    static const struct {
        const char *address, *scope;
    } cases[] = {
        { "8.8.8.8", "global" },
        { "185.12.64.1", "global" },
        { "10.0.0.1", "private" },
        { "172.16.0.1", "private" },
        { "172.31.255.254", "private" },
        { "172.32.0.1", "global" },
        { "172.15.255.255", "global" },
        { "192.168.1.1", "private" },
        { "192.169.0.1", "global" },
        { "100.64.0.1", "shared" },
        { "100.127.255.254", "shared" },
        { "100.128.0.1", "global" },
        { "100.63.255.255", "global" },
        { "127.0.0.1", "loopback" },
        { "127.255.0.9", "loopback" },
        { "169.254.10.1", "link-local" },
        { "192.0.2.1", "documentation" },
        { "198.51.100.200", "documentation" },
        { "203.0.113.5", "documentation" },
        { "203.0.114.5", "global" },
        { "0.0.0.0", "reserved" },
        { "192.0.0.9", "reserved" },
        { "198.18.0.1", "reserved" },
        { "198.19.255.1", "reserved" },
        { "198.20.0.1", "global" },
        { "224.0.0.1", "reserved" },
        { "255.255.255.255", "reserved" },
        { "223.255.255.255", "global" },
        { "2a00:1450:4001::1", "global" },
        { "2001:4860:4860::8888", "global" },
        { "2001:db8::1", "documentation" },
        { "2001:db9::1", "global" },
        { "3fff:fff::1", "documentation" },
        { "3fff:1000::1", "global" },
        { "fc00::1", "unique-local" },
        { "fdff:ffff::1", "unique-local" },
        { "fe80::1", "link-local" },
        { "febf::1", "link-local" },
        { "fec0::1", "reserved" },
        { "::1", "loopback" },
        { "::", "reserved" },
        { "ff02::1", "reserved" },
        { "64:ff9b::1.2.3.4", "reserved" },
        { "::ffff:10.1.2.3", "private" },
        { "::ffff:8.8.8.8", "global" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum scope scope;
        ck_assert_msg(scope_classify_str(cases[i].address, &scope) == 0, "'%s' rejected", cases[i].address);
        ck_assert_msg(strcmp(scope_tostr(scope), cases[i].scope) == 0, "%s: %s, expected %s", cases[i].address,
                      scope_tostr(scope), cases[i].scope);
    }
    enum scope scope;
    ck_assert_int_eq(scope_classify_str("mail.example.com", &scope), -1);
    ck_assert_int_eq(scope_classify_str(NULL, &scope), -1);
}
END_TEST

START_TEST(scope_words_round_trip_and_match_the_interface)
{
    /* The words the JSON interface defines for sources[].scope. */
    static const char *const words[] = {
        "global", "private", "shared", "unique-local", "link-local", "loopback", "documentation",
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        int s = scope_fromstr(words[i]);
        ck_assert_msg(s >= 0, "'%s' unknown", words[i]);
        ck_assert_str_eq(scope_tostr((enum scope)s), words[i]);
    }
    for (int s = 0; s < SCOPE_COUNT; s++)
        ck_assert_int_eq(scope_fromstr(scope_tostr((enum scope)s)), s);
    ck_assert_int_eq(scope_fromstr("public"), -1);
}
END_TEST

START_TEST(default_route_targets_are_global)
{
    enum scope scope;
    ck_assert_int_eq(scope_classify_str(route_default_target(AF_INET), &scope), 0);
    ck_assert_int_eq(scope, SCOPE_GLOBAL);
    ck_assert_int_eq(scope_classify_str(route_default_target(AF_INET6), &scope), 0);
    ck_assert_int_eq(scope, SCOPE_GLOBAL);
    ck_assert_ptr_null(route_default_target(AF_UNIX));
    ck_assert_str_eq(route_status_tostr(ROUTE_UNREACHABLE), "unreachable");
    ck_assert_str_eq(route_bind_status_tostr(ROUTE_BIND_NOT_LOCAL), "not-local");
}
END_TEST

Suite *probe_names_suite(void)
{
    Suite *s = suite_create("probe_names");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, reverse_names_of_known_addresses);
    tcase_add_test(tc, reverse_names_round_trip_random_addresses);
    tcase_add_test(tc, scope_classes);
    tcase_add_test(tc, scope_words_round_trip_and_match_the_interface);
    tcase_add_test(tc, default_route_targets_are_global);
    suite_add_tcase(s, tc);
    return s;
}
