/* test_probe_route - the route and interface probes inside real network
 * namespaces: a mail host with IPv4 and IPv6 addresses and default routes,
 * second addresses, a temporary IPv6 address, a policy rule for TCP port 25,
 * policy rules for another TCP port and for a uid, a host without an IPv6
 * route, and the bind check.
 *
 * Needs root (CI runs as root); every test skips with a message otherwise.
 * The probes run inside the namespace: the test process switches its network
 * namespace with setns() and back.
 */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/dns.h"
#include "probes/iface.h"
#include "probes/route.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

/* Names made once in the runner (parent) so the teardown can always remove them. */
static char *ns_mx, *ns_net;

static void names_setup(void)
{
    ns_mx = netns_name("mx");
    ns_net = netns_name("net");
}

static void names_teardown(void)
{
    if (ts_is_root()) {
        netns_del(ns_mx);
        netns_del(ns_net);
    }
    free(ns_mx);
    free(ns_net);
}

/* libcheck names the test function NAME_fn: print the test's own name. */
#define NEED_ROOT()                                                                                 \
    do {                                                                                            \
        if (!ts_is_root()) {                                                                        \
            char skipped_[128];                                                                     \
            snprintf(skipped_, sizeof(skipped_), "%.*s", (int)strlen(__func__) - 3, __func__);      \
            tsupport_skip(skipped_, "needs root for network namespaces");                           \
            return;                                                                                 \
        }                                                                                           \
    } while (0)

#define SH(...) ck_assert_msg(netns_sh(__VA_ARGS__) == 0, "%s", netns_error())

/* The mail host 'mx' (veth0: 192.0.2.10/24, 2001:db8::10/64) and the network
 * 'net' (gateway 192.0.2.1 / 2001:db8::1, and far-away destinations
 * 198.51.100.1 and 2001:db8:ffff::1 on its loopback). */
static void build_mail_host(int ipv6_default)
{
    ck_assert_msg(netns_add(ns_mx) == 0, "%s", netns_error());
    ck_assert_msg(netns_add(ns_net) == 0, "%s", netns_error());
    ck_assert_msg(netns_veth(ns_mx, "veth0", ns_net, "veth1") == 0, "%s", netns_error());
    SH("ip -n %s addr add 192.0.2.10/24 dev veth0 && ip -n %s addr add 2001:db8::10/64 dev veth0 nodad",
       ns_mx, ns_mx);
    SH("ip -n %s addr add 192.0.2.1/24 dev veth1 && ip -n %s addr add 2001:db8::1/64 dev veth1 nodad", ns_net,
       ns_net);
    SH("ip -n %s addr add 198.51.100.1/32 dev lo && ip -n %s addr add 2001:db8:ffff::1/128 dev lo", ns_net, ns_net);
    SH("ip -n %s route add default via 192.0.2.1", ns_mx);
    if (ipv6_default)
        SH("ip -n %s -6 route add default via 2001:db8::1", ns_mx);
}

static void destroy_hosts(void)
{
    netns_del(ns_mx);
    netns_del(ns_net);
}

/* Run route_lookup inside mx. */
static struct route_result lookup_in_mx(const char *target, const char *source, enum route_method method)
{
    struct route_result r;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    route_lookup(target, source, method, &r);
    netns_leave(saved);
    return r;
}

static void assert_source(const struct route_result *r, const char *want, const char *what)
{
    ck_assert_msg(r->status == ROUTE_OK, "%s: status %s (%s)", what, route_status_tostr(r->status), strerror(r->error));
    ck_assert_msg(strcmp(r->source, want) == 0, "%s: source %s, expected %s", what, r->source, want);
}

START_TEST(mail_host_sources_per_family)
{
    NEED_ROOT();
    build_mail_host(1);
    struct route_result r4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_NETLINK);
    struct route_result r6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_NETLINK);
    struct route_result u4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_UDP);
    struct route_result u6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_UDP);
    struct route_result d4 = lookup_in_mx(route_default_target(AF_INET), NULL, ROUTE_AUTO);
    struct route_result d6 = lookup_in_mx(route_default_target(AF_INET6), NULL, ROUTE_AUTO);
    destroy_hosts();

    assert_source(&r4, "192.0.2.10", "netlink ipv4");
    ck_assert_str_eq(r4.ifname, "veth0");
    ck_assert_str_eq(r4.gateway, "192.0.2.1");
    ck_assert_str_eq(route_method_tostr(r4.method), "netlink");
    ck_assert_int_eq(r4.family, AF_INET);
    assert_source(&r6, "2001:db8::10", "netlink ipv6");
    ck_assert_str_eq(r6.ifname, "veth0");
    ck_assert_str_eq(r6.gateway, "2001:db8::1");
    assert_source(&u4, "192.0.2.10", "udp ipv4");
    ck_assert_str_eq(route_method_tostr(u4.method), "udp");
    assert_source(&u6, "2001:db8::10", "udp ipv6");
    /* The default targets are off-link global addresses: the default route answers. */
    assert_source(&d4, "192.0.2.10", "default target ipv4");
    ck_assert_str_eq(d4.target, "8.8.8.8");
    ck_assert_str_eq(route_method_tostr(d4.method), "netlink");
    assert_source(&d6, "2001:db8::10", "default target ipv6");
    ck_assert_str_eq(d6.target, "2001:4860:4860::8888");
}
END_TEST

START_TEST(second_address_per_family)
{
    NEED_ROOT();
    build_mail_host(1);
    SH("ip -n %s addr add 192.0.2.11/24 dev veth0 && ip -n %s addr add 2001:db8::11/64 dev veth0 nodad", ns_mx, ns_mx);
    /* IPv4 keeps the primary address; IPv6 prefers the newest equal candidate. */
    struct route_result r4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_NETLINK);
    struct route_result r6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_NETLINK);
    /* With a bind address, that address is the source. */
    struct route_result b4 = lookup_in_mx("198.51.100.1", "192.0.2.11", ROUTE_NETLINK);
    struct route_result b6 = lookup_in_mx("2001:db8:ffff::1", "2001:db8::10", ROUTE_NETLINK);
    struct route_result bu4 = lookup_in_mx("198.51.100.1", "192.0.2.11", ROUTE_UDP);
    /* 'src' on the default route changes the kernel's choice. */
    SH("ip -n %s route replace default via 192.0.2.1 src 192.0.2.11", ns_mx);
    SH("ip -n %s -6 route replace default via 2001:db8::1 src 2001:db8::10", ns_mx);
    struct route_result s4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_NETLINK);
    struct route_result s6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_NETLINK);
    struct route_result su4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_UDP);
    struct route_result mixed = lookup_in_mx("198.51.100.1", "2001:db8::10", ROUTE_NETLINK);
    struct route_result foreign4 = lookup_in_mx("198.51.100.1", "192.0.2.99", ROUTE_NETLINK);
    struct route_result foreign6 = lookup_in_mx("2001:db8:ffff::1", "2001:db8::99", ROUTE_AUTO);
    struct route_result junk = lookup_in_mx("198.51.100.1", "192.0.2", ROUTE_AUTO);
    destroy_hosts();

    assert_source(&r4, "192.0.2.10", "ipv4 primary");
    assert_source(&r6, "2001:db8::11", "ipv6 newest");
    assert_source(&b4, "192.0.2.11", "ipv4 bound");
    assert_source(&b6, "2001:db8::10", "ipv6 bound");
    assert_source(&bu4, "192.0.2.11", "ipv4 bound, udp");
    assert_source(&s4, "192.0.2.11", "ipv4 route src");
    assert_source(&s6, "2001:db8::10", "ipv6 route src");
    assert_source(&su4, "192.0.2.11", "ipv4 route src, udp");
    ck_assert_int_eq(mixed.status, ROUTE_ERROR);
    ck_assert_int_eq(mixed.error, EAFNOSUPPORT);
    ck_assert_int_eq(foreign4.status, ROUTE_ERROR);
    ck_assert_int_eq(foreign4.error, EADDRNOTAVAIL);
    ck_assert_int_eq(foreign6.status, ROUTE_ERROR);
    ck_assert_int_eq(foreign6.error, EADDRNOTAVAIL);
    ck_assert_int_eq(junk.status, ROUTE_ERROR);
    ck_assert_int_eq(junk.error, EINVAL);
}
END_TEST

START_TEST(policy_rule_for_smtp_is_honoured)
{
    NEED_ROOT();
    build_mail_host(1);
    SH("ip -n %s addr add 192.0.2.11/24 dev veth0 && ip -n %s addr add 2001:db8::11/64 dev veth0 nodad", ns_mx, ns_mx);
    /* Make ::10 the ordinary IPv6 choice again, then route SMTP from .11 / ::11. */
    SH("ip -n %s -6 route replace default via 2001:db8::1 src 2001:db8::10", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.11 table 125", ns_mx);
    SH("ip -n %s -6 route add default via 2001:db8::1 src 2001:db8::11 table 125", ns_mx);
    SH("ip -n %s rule add ipproto tcp dport 25 table 125", ns_mx);
    SH("ip -n %s -6 rule add ipproto tcp dport 25 table 125", ns_mx);
    struct route_result n4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_NETLINK);
    struct route_result n6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_NETLINK);
    struct route_result a4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_AUTO);
    struct route_result u4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_UDP);
    struct route_result u6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_UDP);
    destroy_hosts();

    assert_source(&n4, "192.0.2.11", "netlink ipv4 with SMTP rule");
    ck_assert_uint_eq(n4.table, 125);
    assert_source(&n6, "2001:db8::11", "netlink ipv6 with SMTP rule");
    ck_assert_uint_eq(n6.table, 125);
    assert_source(&a4, "192.0.2.11", "auto ipv4 with SMTP rule");
    /* The UDP fallback cannot see a rule keyed on TCP: this is why netlink comes first. */
    assert_source(&u4, "192.0.2.10", "udp ipv4 ignores the TCP rule");
    assert_source(&u6, "2001:db8::10", "udp ipv6 ignores the TCP rule");
}
END_TEST

/* route_ask inside mx. */
static struct route_result ask_in_mx(const char *target, const char *source, unsigned port, long uid,
                                     enum route_method method)
{
    struct route_question q = ROUTE_QUESTION_INIT;
    struct route_result r;
    q.target = target;
    q.source = source;
    q.port = port;
    q.uid = uid;
    q.method = method;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    route_ask(&q, &r);
    netns_leave(saved);
    return r;
}

START_TEST(rules_for_port_and_uid_are_honoured)
{
    NEED_ROOT();
    build_mail_host(1);
    SH("ip -n %s addr add 192.0.2.11/24 dev veth0 && ip -n %s addr add 192.0.2.12/24 dev veth0", ns_mx, ns_mx);
    SH("ip -n %s addr add 2001:db8::11/64 dev veth0 nodad", ns_mx);
    SH("ip -n %s -6 route replace default via 2001:db8::1 src 2001:db8::10", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.11 table 587", ns_mx);
    SH("ip -n %s -6 route add default via 2001:db8::1 src 2001:db8::11 table 587", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.12 table 102", ns_mx);
    SH("ip -n %s rule add priority 100 uidrange 102-102 table 102", ns_mx);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 587 table 587", ns_mx);
    SH("ip -n %s -6 rule add priority 200 ipproto tcp dport 587 table 587", ns_mx);
    struct route_result p25 = ask_in_mx("198.51.100.1", NULL, 25, -1, ROUTE_NETLINK);
    struct route_result p587 = ask_in_mx("198.51.100.1", NULL, 587, -1, ROUTE_NETLINK);
    struct route_result p0 = ask_in_mx("198.51.100.1", NULL, 0, -1, ROUTE_NETLINK);
    struct route_result v6 = ask_in_mx("2001:db8:ffff::1", NULL, 587, -1, ROUTE_AUTO);
    struct route_result u102 = ask_in_mx("198.51.100.1", NULL, 587, 102, ROUTE_NETLINK);
    struct route_result u103 = ask_in_mx("198.51.100.1", NULL, 25, 103, ROUTE_NETLINK);
    struct route_result udp = ask_in_mx("198.51.100.1", NULL, 587, 102, ROUTE_UDP);
    struct route_result badport = ask_in_mx("198.51.100.1", NULL, 65536, -1, ROUTE_AUTO);
    struct route_result baduid = ask_in_mx("198.51.100.1", NULL, 25, 4294967295L, ROUTE_AUTO);
    /* A bind that fails: the kernel's choice under the same rules. */
    struct route_question q = ROUTE_QUESTION_INIT;
    struct route_bind bind587, bind102;
    q.target = "198.51.100.1";
    q.port = 587;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    route_bind_ask("203.0.113.9", &q, &bind587);
    q.uid = 102;
    route_bind_ask("192.0.2.10", &q, &bind102);
    netns_leave(saved);
    destroy_hosts();

    assert_source(&p25, "192.0.2.10", "port 25");
    ck_assert_uint_eq(p25.port, 25);
    ck_assert_int_eq(p25.uid, -1);
    assert_source(&p587, "192.0.2.11", "port 587");
    ck_assert_uint_eq(p587.table, 587);
    ck_assert_uint_eq(p587.port, 587);
    assert_source(&p0, "192.0.2.10", "port 0 means 25");
    ck_assert_uint_eq(p0.port, 25);
    assert_source(&v6, "2001:db8::11", "ipv6 port 587");
    assert_source(&u102, "192.0.2.12", "uid 102 before the port rule");
    ck_assert_int_eq(u102.uid, 102);
    ck_assert_uint_eq(u102.table, 102);
    assert_source(&u103, "192.0.2.10", "another uid");
    /* The UDP fallback sees neither TCP ports nor uids. */
    assert_source(&udp, "192.0.2.10", "udp");
    ck_assert_int_eq(badport.status, ROUTE_ERROR);
    ck_assert_int_eq(badport.error, EINVAL);
    ck_assert_int_eq(baduid.status, ROUTE_ERROR);
    ck_assert_int_eq(baduid.error, EINVAL);
    ck_assert_int_eq(bind587.status, ROUTE_BIND_NOT_LOCAL);
    assert_source(&bind587.route, "192.0.2.11", "fallback to port 587");
    ck_assert_int_eq(bind102.status, ROUTE_BIND_LOCAL);
    assert_source(&bind102.route, "192.0.2.10", "bound, uid 102");
    ck_assert_uint_eq(bind102.route.table, 102);
}
END_TEST

START_TEST(no_ipv6_route_is_a_fact)
{
    NEED_ROOT();
    build_mail_host(0);
    struct route_result n6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_NETLINK);
    struct route_result u6 = lookup_in_mx("2001:db8:ffff::1", NULL, ROUTE_UDP);
    struct route_result a6 = lookup_in_mx(route_default_target(AF_INET6), NULL, ROUTE_AUTO);
    struct route_result n4 = lookup_in_mx("198.51.100.1", NULL, ROUTE_NETLINK);
    /* On-link IPv6 still works without a default route. */
    struct route_result l6 = lookup_in_mx("2001:db8::1", NULL, ROUTE_NETLINK);
    destroy_hosts();

    ck_assert_str_eq(route_status_tostr(n6.status), "unreachable");
    ck_assert_int_eq(n6.error, ENETUNREACH);
    ck_assert_str_eq(n6.source, "");
    ck_assert_str_eq(route_status_tostr(u6.status), "unreachable");
    ck_assert_int_eq(u6.error, ENETUNREACH);
    ck_assert_int_eq(a6.status, ROUTE_UNREACHABLE);
    ck_assert_str_eq(route_method_tostr(a6.method), "netlink");
    assert_source(&n4, "192.0.2.10", "ipv4 still routed");
    assert_source(&l6, "2001:db8::10", "on-link ipv6");
    ck_assert_str_eq(l6.gateway, "");
}
END_TEST

START_TEST(bind_check_reports_fallback_source)
{
    NEED_ROOT();
    build_mail_host(1);
    SH("ip -n %s addr add 192.0.2.11/24 dev veth0", ns_mx);
    struct route_bind foreign4, foreign6, local4, local6, bad;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    route_bind_check("203.0.113.9", NULL, &foreign4);
    route_bind_check("2001:db8::99", "2001:db8:ffff::1", &foreign6);
    route_bind_check("192.0.2.11", "198.51.100.1", &local4);
    route_bind_check("2001:db8::10", NULL, &local6);
    route_bind_check("mail.example.com", NULL, &bad);
    netns_leave(saved);
    destroy_hosts();

    ck_assert_str_eq(route_bind_status_tostr(foreign4.status), "not-local");
    ck_assert_int_eq(foreign4.error, EADDRNOTAVAIL);
    ck_assert_str_eq(foreign4.address, "203.0.113.9");
    assert_source(&foreign4.route, "192.0.2.10", "fallback ipv4");
    ck_assert_int_eq(foreign6.status, ROUTE_BIND_NOT_LOCAL);
    assert_source(&foreign6.route, "2001:db8::10", "fallback ipv6");
    ck_assert_int_eq(local4.status, ROUTE_BIND_LOCAL);
    ck_assert_int_eq(local4.error, 0);
    assert_source(&local4.route, "192.0.2.11", "bound ipv4");
    ck_assert_int_eq(local6.status, ROUTE_BIND_LOCAL);
    assert_source(&local6.route, "2001:db8::10", "bound ipv6");
    ck_assert_int_eq(bad.status, ROUTE_BIND_ERROR);
    ck_assert_int_eq(bad.error, EINVAL);
}
END_TEST

static const struct iface_addr *find_addr(const struct iface_list *l, const char *addr)
{
    const struct iface_addr *a = iface_list_find(l, addr);
    ck_assert_msg(a != NULL, "address %s not listed", addr);
    return a;
}

START_TEST(interface_facts_and_flags)
{
    NEED_ROOT();
    build_mail_host(1);
    SH("ip -n %s addr add 100.64.1.2/10 dev veth0 && ip -n %s addr add fd00:1::5/64 dev veth0 nodad", ns_mx, ns_mx);
    SH("ip -n %s addr add 2001:db8::20/64 dev veth0 nodad preferred_lft 0 valid_lft 600", ns_mx);
    /* DAD on for one address: it stays tentative for about a second. */
    SH("ip netns exec %s sysctl -qw net.ipv6.conf.veth0.accept_dad=1 net.ipv6.conf.veth0.dad_transmits=3", ns_mx);
    SH("ip -n %s addr add 2001:db8::30/64 dev veth0", ns_mx);
    struct iface_list list = IFACE_LIST_INIT;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    int rc = iface_list_load(&list);
    netns_leave(saved);
    ck_assert_msg(rc == 0, "iface_list_load: %s", strerror(errno));

    const struct iface_addr *a = find_addr(&list, "192.0.2.10");
    ck_assert_str_eq(a->ifname, "veth0");
    ck_assert_uint_eq(a->prefixlen, 24);
    ck_assert_int_eq(a->family, AF_INET);
    ck_assert_str_eq(scope_tostr(a->scope), "documentation");
    ck_assert(!iface_addr_temporary(a) && !iface_addr_deprecated(a) && !iface_addr_tentative(a));
    a = find_addr(&list, "2001:DB8:0::10");
    ck_assert_str_eq(a->address, "2001:db8::10");
    ck_assert_uint_eq(a->prefixlen, 64);
    ck_assert(!iface_addr_temporary(a) && !iface_addr_deprecated(a) && !iface_addr_tentative(a));
    a = find_addr(&list, "100.64.1.2");
    ck_assert_str_eq(scope_tostr(a->scope), "shared");
    ck_assert_uint_eq(a->prefixlen, 10);
    a = find_addr(&list, "fd00:1::5");
    ck_assert_str_eq(scope_tostr(a->scope), "unique-local");
    a = find_addr(&list, "127.0.0.1");
    ck_assert_str_eq(a->ifname, "lo");
    ck_assert_str_eq(scope_tostr(a->scope), "loopback");
    a = find_addr(&list, "::1");
    ck_assert_str_eq(scope_tostr(a->scope), "loopback");
    a = find_addr(&list, "2001:db8::20");
    ck_assert_msg(iface_addr_deprecated(a), "preferred_lft 0 is not deprecated: flags %#x", a->flags);
    a = find_addr(&list, "2001:db8::30");
    ck_assert_msg(iface_addr_tentative(a), "DAD address is not tentative: flags %#x", a->flags);
    /* A link-local address appeared with the link. */
    int linklocal = 0;
    for (size_t i = 0; i < list.n; i++)
        if (strcmp(list.items[i].ifname, "veth0") == 0 && list.items[i].scope == SCOPE_LINK_LOCAL)
            linklocal++;
    ck_assert_int_eq(linklocal, 1);
    ck_assert_ptr_null(iface_list_find(&list, "192.0.2.99"));
    ck_assert_ptr_null(iface_list_find(&list, "junk"));
    iface_list_free(&list);
    destroy_hosts();
}
END_TEST

START_TEST(dad_failure_is_flagged)
{
    NEED_ROOT();
    build_mail_host(1);
    /* The gateway already holds ::77; mx tries to claim it with DAD on. */
    SH("ip -n %s addr add 2001:db8::77/64 dev veth1 nodad", ns_net);
    SH("ip netns exec %s sysctl -qw net.ipv6.conf.veth0.accept_dad=1 net.ipv6.conf.veth0.dad_transmits=1", ns_mx);
    SH("ip -n %s addr add 2001:db8::77/64 dev veth0", ns_mx);
    int seen = netns_wait_for(4000, "ip -n %s -6 addr show dev veth0 | grep -q 'dadfailed'", ns_mx);
    struct iface_list list = IFACE_LIST_INIT;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    ck_assert_int_eq(iface_list_load(&list), 0);
    netns_leave(saved);
    destroy_hosts();
    ck_assert_msg(seen, "the kernel never marked the duplicate address dadfailed");
    const struct iface_addr *a = find_addr(&list, "2001:db8::77");
    ck_assert_msg(iface_addr_dadfailed(a), "flags %#x", a->flags);
    iface_list_free(&list);
}
END_TEST

START_TEST(temporary_ipv6_source_is_visible)
{
    NEED_ROOT();
    build_mail_host(0);
    /* Replace the static address by one that manages privacy addresses. */
    SH("ip netns exec %s sysctl -qw net.ipv6.conf.veth0.use_tempaddr=2", ns_mx);
    SH("ip -n %s addr del 2001:db8::10/64 dev veth0", ns_mx);
    SH("ip -n %s addr add 2001:db8::10/64 dev veth0 mngtmpaddr nodad", ns_mx);
    SH("ip -n %s -6 route add default via 2001:db8::1", ns_mx);
    int made = netns_wait_for(5000, "ip -n %s -6 addr show dev veth0 temporary | grep -q inet6", ns_mx);
    struct iface_list list = IFACE_LIST_INIT;
    struct route_result r6, u6;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    route_lookup("2001:db8:ffff::1", NULL, ROUTE_NETLINK, &r6);
    route_lookup("2001:db8:ffff::1", NULL, ROUTE_UDP, &u6);
    int rc = iface_list_load(&list);
    netns_leave(saved);
    destroy_hosts();

    ck_assert_msg(made, "the kernel added no temporary address within 5 s");
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(r6.status, ROUTE_OK);
    const struct iface_addr *src = iface_list_find(&list, r6.source);
    ck_assert_msg(src != NULL, "source %s not among the addresses", r6.source);
    ck_assert_msg(iface_addr_temporary(src), "source %s is not temporary (flags %#x)", r6.source, src->flags);
    ck_assert_str_ne(r6.source, "2001:db8::10");
    ck_assert_str_eq(u6.source, r6.source);
    const struct iface_addr *base = find_addr(&list, "2001:db8::10");
    ck_assert(iface_addr_mngtmpaddr(base));
    ck_assert(!iface_addr_temporary(base));
    ck_assert_uint_eq(src->prefixlen, 64);
    ck_assert_str_eq(src->ifname, "veth0");
    iface_list_free(&list);
}
END_TEST

START_TEST(dns_server_on_port_53_in_a_namespace)
{
    NEED_ROOT();
    build_mail_host(1);
    static const char reverse[] =
        "$TTL 300\n@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
        "@ IN NS ns.example.test.\n10 IN PTR mail.example.test.\n";
    static const char forward[] =
        "$TTL 300\n@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
        "@ IN NS ns.example.test.\nns IN A 198.51.100.1\nmail IN A 192.0.2.10\nmail IN AAAA 2001:db8::10\n";
    const struct nsd_zone zones[] = { { "2.0.192.in-addr.arpa.", reverse }, { "example.test", forward } };
    struct nsd_harness_opts where = { ns_net, "198.51.100.1", 53 };
    struct nsd_harness nsd;
    int started = nsd_harness_start(&nsd, zones, 2, &where);
    if (started != 0) {
        destroy_hosts();
        ck_abort_msg("nsd in namespace: %s", nsd.error);
    }

    /* The mail host asks through its own resolv.conf (no port: 53). */
    char *dir = ts_tmpdir("resolv");
    char *path = xasprintf("%s/resolv.conf", dir);
    ts_write_file(path, "nameserver 198.51.100.1\n");
    struct dns_options opts = { 0 };
    opts.resolv_conf = path;
    struct dns_batch *b = NULL;
    char *err = NULL;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    int rc = dns_batch_new(&opts, &b, &err);
    size_t p = 0, a = 0, aaaa = 0;
    if (rc == 0) {
        p = dns_batch_add_ptr(b, "192.0.2.10");
        a = dns_batch_add(b, DNS_A, "mail.example.test");
        aaaa = dns_batch_add(b, DNS_AAAA, "mail.example.test");
        dns_batch_run(b, dns_deadline_in(3000));
    }
    netns_leave(saved);
    nsd_harness_stop(&nsd);
    destroy_hosts();
    ts_rmtree(dir);
    free(dir);
    free(path);

    ck_assert_msg(rc == 0, "%s", err ? err : "?");
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(b, p)->status), "ok");
    ck_assert_str_eq(dns_batch_get(b, p)->answers.items[0], "mail.example.test");
    ck_assert_str_eq(dns_batch_get(b, a)->answers.items[0], "192.0.2.10");
    ck_assert_str_eq(dns_batch_get(b, aaaa)->answers.items[0], "2001:db8::10");
    dns_batch_free(b);
}
END_TEST

/* Ask 198.51.100.1:53 from mx for one PTR with a deadline of ms. */
static struct dns_batch *ask_from_mx(unsigned ms, size_t *index, long long *took)
{
    struct dns_server server;
    struct dns_options opts = { 0 };
    struct dns_batch *b = NULL;
    ck_assert_int_eq(dns_server_parse("198.51.100.1", &server), 0);
    opts.servers = &server;
    opts.nservers = 1;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    int rc = dns_batch_new(&opts, &b, NULL);
    if (rc == 0) {
        *index = dns_batch_add_ptr(b, "192.0.2.10");
        long long start = dns_now_ms();
        dns_batch_run(b, start + ms);
        *took = dns_now_ms() - start;
    }
    netns_leave(saved);
    ck_assert_int_eq(rc, 0);
    return b;
}

START_TEST(firewalled_dns_server_drop_and_reject)
{
    NEED_ROOT();
    build_mail_host(1);
    static const char reverse[] =
        "$TTL 300\n@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
        "@ IN NS ns.example.test.\n10 IN PTR mail.example.test.\n";
    const struct nsd_zone zones[] = { { "2.0.192.in-addr.arpa", reverse } };
    struct nsd_harness_opts where = { ns_net, "198.51.100.1", 53 };
    struct nsd_harness nsd;
    if (nsd_harness_start(&nsd, zones, 1, &where) != 0) {
        destroy_hosts();
        ck_abort_msg("nsd in namespace: %s", nsd.error);
    }
    size_t i_open, i_drop, i_reject;
    long long t_open, t_drop, t_reject;
    struct dns_batch *open_ = ask_from_mx(2000, &i_open, &t_open);
    int fw = netns_sh("ip netns exec %s nft add table inet mp && "
                      "ip netns exec %s nft add chain inet mp in '{ type filter hook input priority 0; }' && "
                      "ip netns exec %s nft add rule inet mp in udp dport 53 drop", ns_net, ns_net, ns_net);
    struct dns_batch *drop = fw == 0 ? ask_from_mx(1000, &i_drop, &t_drop) : NULL;
    if (fw == 0)
        fw = netns_sh("ip netns exec %s nft flush chain inet mp in && "
                      "ip netns exec %s nft add rule inet mp in udp dport 53 reject", ns_net, ns_net);
    struct dns_batch *reject = fw == 0 ? ask_from_mx(2000, &i_reject, &t_reject) : NULL;
    nsd_harness_stop(&nsd);
    destroy_hosts();

    ck_assert_msg(fw == 0, "%s", netns_error());
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(open_, i_open)->status), "ok");
    /* Dropped: only the deadline ends the wait. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(drop, i_drop)->status), "timeout");
    ck_assert_msg(t_drop >= 990 && t_drop < 1500, "drop took %lld ms", t_drop);
    /* Rejected with ICMP port unreachable: an error at once, not a timeout. */
    ck_assert_str_eq(dns_status_tostr(dns_batch_get(reject, i_reject)->status), "error");
    ck_assert_msg(t_reject < 1000, "reject took %lld ms", t_reject);
    dns_batch_free(open_);
    dns_batch_free(drop);
    dns_batch_free(reject);
}
END_TEST

/* Packets counted by the nft counter 'seen' in namespace ns. */
static long nft_count(const char *ns)
{
    char *cmd = xasprintf("ip netns exec %s nft list counter inet mp seen", ns), *out = NULL;
    long n = -1;
    if (ts_run(cmd, &out, NULL) == 0) {
        const char *p = strstr(out, "packets ");
        if (p)
            n = strtol(p + 8, NULL, 10);
    }
    free(cmd);
    free(out);
    return n;
}

START_TEST(probes_send_no_packet)
{
    NEED_ROOT();
    build_mail_host(1);
    /* Count every packet that reaches the network side for the targets. */
    SH("ip netns exec %s nft add table inet mp && "
       "ip netns exec %s nft add counter inet mp seen && "
       "ip netns exec %s nft add chain inet mp pre '{ type filter hook prerouting priority -300; }' && "
       "ip netns exec %s nft add rule inet mp pre ip daddr '{ 198.51.100.1, 8.8.8.8 }' counter name seen && "
       "ip netns exec %s nft add rule inet mp pre ip6 daddr '{ 2001:db8:ffff::1, 2001:4860:4860::8888 }' counter name seen",
       ns_net, ns_net, ns_net, ns_net, ns_net);
    long before = nft_count(ns_net);
    struct route_result r;
    struct route_bind bc;
    int saved = netns_enter(ns_mx);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    for (int i = 0; i < 3; i++) {
        route_lookup("198.51.100.1", NULL, (enum route_method)i, &r);
        route_lookup("2001:db8:ffff::1", NULL, (enum route_method)i, &r);
        route_lookup(route_default_target(AF_INET), "192.0.2.10", (enum route_method)i, &r);
        route_lookup(route_default_target(AF_INET6), NULL, (enum route_method)i, &r);
    }
    route_bind_check("192.0.2.10", "198.51.100.1", &bc);
    route_bind_check("203.0.113.9", "198.51.100.1", &bc);
    route_bind_check("2001:db8::99", "2001:db8:ffff::1", &bc);
    long after = nft_count(ns_net);
    /* Control: a real datagram to the same place is counted. */
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = { 0 };
    sin.sin_family = AF_INET;
    sin.sin_port = htons(25);
    inet_pton(AF_INET, "198.51.100.1", &sin.sin_addr);
    ssize_t sent = sendto(fd, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin));
    close(fd);
    netns_leave(saved);
    long control = -1;
    for (int i = 0; i < 20 && control != after + 1; i++) {
        control = nft_count(ns_net);
        if (control != after + 1)
            usleep(25000);
    }
    destroy_hosts();

    ck_assert_msg(before == 0, "counter not readable or not zero: %ld (%s)", before, netns_error());
    ck_assert_msg(after == before, "the probes sent %ld packet(s)", after - before);
    ck_assert_int_eq(sent, 1);
    ck_assert_msg(control == after + 1, "control datagram not counted: %ld", control);
}
END_TEST

START_TEST(loopback_route_in_this_namespace)
{
    /* No root needed: the host's own loopback is always routed via lo. */
    struct route_result n, u;
    ck_assert_int_eq(route_lookup("127.0.0.1", NULL, ROUTE_NETLINK, &n), ROUTE_OK);
    ck_assert_str_eq(n.source, "127.0.0.1");
    ck_assert_str_eq(n.ifname, "lo");
    ck_assert_int_eq(route_lookup("127.0.0.1", NULL, ROUTE_UDP, &u), ROUTE_OK);
    ck_assert_str_eq(u.source, "127.0.0.1");
    ck_assert_int_eq(route_lookup("not-an-ip", NULL, ROUTE_AUTO, &n), ROUTE_ERROR);
    ck_assert_int_eq(n.error, EINVAL);
    struct iface_list list = IFACE_LIST_INIT;
    ck_assert_int_eq(iface_list_load(&list), 0);
    const struct iface_addr *lo = iface_list_find(&list, "127.0.0.1");
    ck_assert_ptr_nonnull(lo);
    ck_assert_str_eq(lo->ifname, "lo");
    ck_assert_uint_eq(lo->prefixlen, 8);
    ck_assert_int_eq(lo->scope, SCOPE_LOOPBACK);
    iface_list_free(&list);
}
END_TEST

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

START_TEST(udp_fallback_without_netlink)
{
#ifndef TEST_AUDIT_ARCH
    tsupport_skip("udp_fallback_without_netlink", "no seccomp filter for this architecture");
#else
    if (ts_under_valgrind()) {
        tsupport_skip("udp_fallback_without_netlink", "valgrind does not run seccomp filters");
        return;
    }
    /* Forbid netlink sockets in this test process only (libcheck forked it),
     * as a sandbox would: socket(AF_NETLINK, ...) fails with EACCES. */
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };
    ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);

    struct route_result n, a;
    ck_assert_int_eq(route_lookup("127.0.0.1", NULL, ROUTE_NETLINK, &n), ROUTE_ERROR);
    ck_assert_int_eq(n.error, EACCES);
    ck_assert_int_eq(route_lookup("127.0.0.1", NULL, ROUTE_AUTO, &a), ROUTE_OK);
    ck_assert_str_eq(route_method_tostr(a.method), "udp");
    ck_assert_str_eq(a.source, "127.0.0.1");
    ck_assert_str_eq(a.target, "127.0.0.1");
    struct iface_list list = IFACE_LIST_INIT;
    ck_assert_int_eq(iface_list_load(&list), -1);
    ck_assert_int_eq(errno, EACCES);
    ck_assert_uint_eq(list.n, 0);
    iface_list_free(&list);
#endif
}
END_TEST

Suite *probe_route_suite(void)
{
    Suite *s = suite_create("probe_route");
    TCase *tc = tcase_create("netns");
    tcase_add_unchecked_fixture(tc, names_setup, names_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, mail_host_sources_per_family);
    tcase_add_test(tc, second_address_per_family);
    tcase_add_test(tc, policy_rule_for_smtp_is_honoured);
    tcase_add_test(tc, rules_for_port_and_uid_are_honoured);
    tcase_add_test(tc, no_ipv6_route_is_a_fact);
    tcase_add_test(tc, bind_check_reports_fallback_source);
    tcase_add_test(tc, interface_facts_and_flags);
    tcase_add_test(tc, dad_failure_is_flagged);
    tcase_add_test(tc, temporary_ipv6_source_is_visible);
    tcase_add_test(tc, dns_server_on_port_53_in_a_namespace);
    tcase_add_test(tc, firewalled_dns_server_drop_and_reject);
    tcase_add_test(tc, probes_send_no_packet);
    suite_add_tcase(s, tc);

    TCase *host = tcase_create("host");
    tcase_add_test(host, loopback_route_in_this_namespace);
    tcase_add_test(host, udp_fallback_without_netlink);
    suite_add_tcase(s, host);
    return s;
}
