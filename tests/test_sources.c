/* test_sources - how the route question is built from an identity: the
 * relay's host and port as Postfix and Exim write them, the delivery user
 * the parsers find, the relay's A/AAAA in the first DNS round, and the
 * refinement of a source once the relay's address is known. No root needed:
 * the refinement asks the route to 127.0.0.1, which every host has.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "auditor/lookup_plan.h"
#include "auditor/sources.h"
#include "parsers/exim_identity.h"
#include "parsers/pf_identity.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

START_TEST(relay_host_and_port)
{
    static const struct {
        const char *relay, *name;
        unsigned port;
    } cases[] = {
        { "[relay.example.net]:587", "relay.example.net", 587 },
        { "[Relay.Example.NET]", "relay.example.net", 25 },
        { "relay.example.net", "relay.example.net", 25 },
        { "relay.example.net:2525", "relay.example.net", 2525 },
        { "relay.example.net:submission", "relay.example.net", 587 },
        { "[relay.example.net]:no-such-service", "relay.example.net", 25 },
        { "[a.example.net]:587, [b.example.net]:588", "a.example.net", 587 },
        { "smtp.example.net/MX", "smtp.example.net", 25 },
        { "[198.51.100.1]", NULL, 25 },
        { "[198.51.100.1]:587", NULL, 587 },
        { "198.51.100.1:465", NULL, 465 },
        { "[2001:db8::1]:587", NULL, 587 },
        { "[ipv6:2001:db8::1]:2525", NULL, 2525 },
        { "2001:db8::1", NULL, 25 },
        { "${lookup{$domain}lsearch{/etc/relays}}", NULL, 25 },
        { "[relay.example.net]:99999", "relay.example.net", 25 },
        { "[unterminated:587", NULL, 25 },
        { NULL, NULL, 25 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct model_identity id;
        memset(&id, 0, sizeof(id));
        id.relay = cases[i].relay ? xstrdup(cases[i].relay) : NULL;
        char *name = sources_relay_name(&id);
        if (cases[i].name)
            ck_assert_msg(name && strcmp(name, cases[i].name) == 0, "%s: name %s", cases[i].relay, name);
        else
            ck_assert_msg(name == NULL, "%s: name %s, expected none", cases[i].relay, name);
        ck_assert_msg(sources_relay_port(&id) == cases[i].port, "%s: port %u, expected %u", cases[i].relay,
                      sources_relay_port(&id), cases[i].port);
        free(name);
        free(id.relay);
    }
}
END_TEST

/* A next hop without a port goes to the transport's port; one with a port
 * keeps it. */
START_TEST(transport_port)
{
    static const struct {
        const char *relay, *port;
        unsigned want;
    } cases[] = {
        { NULL, "587", 587 },
        { NULL, "submission", 587 },
        { "[198.51.100.1]", "2525", 2525 },
        { "[198.51.100.1]:465", "2525", 465 },
        { "relay.example.net:26", "submission", 26 },
        { NULL, "no-such-service", 25 },
        { NULL, NULL, 25 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct model_identity id;
        memset(&id, 0, sizeof(id));
        id.relay = cases[i].relay ? xstrdup(cases[i].relay) : NULL;
        id.port = cases[i].port ? xstrdup(cases[i].port) : NULL;
        ck_assert_msg(sources_relay_port(&id) == cases[i].want, "%s / %s: port %u, expected %u",
                      cases[i].relay ? cases[i].relay : "MX", cases[i].port ? cases[i].port : "-",
                      sources_relay_port(&id), cases[i].want);
        free(id.relay);
        free(id.port);
    }
}
END_TEST

/* pf_load - one Postfix instance from main.cf and master.cf text, loaded
 * into set (at least one identity); returns its directory, for
 * loaded_free(). */
static char *pf_load(const char *maincf, const char *mastercf, struct model_set *set)
{
    char *dir = ts_tmpdir("src-pf");
    char *path = xasprintf("%s/main.cf", dir);
    ts_write_file(path, maincf);
    free(path);
    path = xasprintf("%s/master.cf", dir);
    ts_write_file(path, mastercf);
    free(path);
    struct diag_list diags = DIAG_LIST_INIT;
    struct model_host host = { .hostname = "mail.example.test" };
    ck_assert_int_eq(pf_identity_load(dir, &host, set, &diags), 1);
    ck_assert_uint_ge(set->n, 1);
    diag_list_free(&diags);
    return dir;
}

/* exim_load_text - an Exim configuration text loaded into set (one
 * identity); returns the file's path, in a directory of its own, for
 * loaded_free(). */
static char *exim_load_text(const char *conf, struct model_set *set)
{
    char *dir = ts_tmpdir("src-ex");
    char *path = xasprintf("%s/exim.conf", dir);
    free(dir);
    ts_write_file(path, conf);
    struct diag_list diags = DIAG_LIST_INIT;
    struct model_host host = { .hostname = "mail.example.test" };
    ck_assert_int_eq(exim_identity_load(path, NULL, &host, set, &diags), 1);
    ck_assert_uint_eq(set->n, 1);
    diag_list_free(&diags);
    return path;
}

/* loaded_free - the set and the files pf_load or exim_load_text made. */
static void loaded_free(char *where, struct model_set *set)
{
    model_set_free(set);
    char *slash = strrchr(where, '/');
    if (strncmp(slash + 1, "exim.conf", 10) == 0)
        *slash = '\0';
    ts_rmtree(where);
    free(where);
}

/* origin_within - an origin's text without the directory or file prefix
 * (main.cf:LINE, :LINE); NULL for none. */
static char *origin_within(const struct model_origin *o, const char *prefix)
{
    char *shown = model_origin_tostr(o);
    if (shown && strncmp(shown, prefix, strlen(prefix)) == 0) {
        const char *rest = shown + strlen(prefix);
        char *cut = xstrdup(*rest == '/' ? rest + 1 : rest);
        free(shown);
        shown = cut;
    }
    return shown;
}

/* The first Postfix identity's delivery user, its origin and (when port
 * is not NULL) its transport port. */
static char *pf_user_port_of(const char *maincf, const char *mastercf, char **origin, char **port)
{
    struct model_set set = MODEL_SET_INIT;
    char *dir = pf_load(maincf, mastercf, &set);
    char *user = set.items[0].delivery_user ? xstrdup(set.items[0].delivery_user) : NULL;
    if (port)
        *port = set.items[0].port ? xstrdup(set.items[0].port) : NULL;
    *origin = origin_within(&set.items[0].delivery_user_origin, dir);
    loaded_free(dir, &set);
    return user;
}

static char *pf_user_of(const char *maincf, const char *mastercf, char **origin)
{
    return pf_user_port_of(maincf, mastercf, origin, NULL);
}

#define SMTP_LINE "smtp      unix  -       -       n       -       -       smtp\n"

START_TEST(postfix_delivery_user)
{
    char *origin;
    char *u = pf_user_of("myhostname = mail.example.test\n", SMTP_LINE, &origin);
    ck_assert_str_eq(u, "postfix");
    ck_assert_str_eq(origin, "default");
    free(u);
    free(origin);
    u = pf_user_of("myhostname = mail.example.test\nmail_owner = mailer\n", SMTP_LINE, &origin);
    ck_assert_str_eq(u, "mailer");
    ck_assert_str_eq(origin, "main.cf:2");
    free(u);
    free(origin);
    u = pf_user_of("owner = other\nmail_owner = $owner\n", SMTP_LINE, &origin);
    ck_assert_str_eq(u, "other");
    free(u);
    free(origin);
    u = pf_user_of("myhostname = mail.example.test\n",
                   "smtp      unix  -       -       n       -       -       smtp -o mail_owner=smtpuser\n", &origin);
    ck_assert_str_eq(u, "smtpuser");
    ck_assert_ptr_nonnull(strstr(origin, "master.cf"));
    free(u);
    free(origin);
    /* unpriv "n": smtp(8) keeps root, whatever mail_owner says */
    u = pf_user_of("myhostname = mail.example.test\nmail_owner = mailer\n",
                   "pickup    unix  n       -       n       60      1       pickup\n"
                   "smtp      unix  -       n       n       -       -       smtp\n", &origin);
    ck_assert_str_eq(u, "root");
    ck_assert_str_eq(origin, "master.cf:2");
    free(u);
    free(origin);
    /* "y" and "-" drop to mail_owner */
    u = pf_user_of("myhostname = mail.example.test\n",
                   "smtp      unix  -       y       n       -       -       smtp\n", &origin);
    ck_assert_str_eq(u, "postfix");
    free(u);
    free(origin);
}
END_TEST

/* The first identity of an Exim configuration: its delivery user, the
 * user's origin and (when port is not NULL) its transport port. */
static char *exim_user_port_of(const char *conf, char **origin, char **port)
{
    struct model_set set = MODEL_SET_INIT;
    char *path = exim_load_text(conf, &set);
    char *user = set.items[0].delivery_user ? xstrdup(set.items[0].delivery_user) : NULL;
    if (port)
        *port = set.items[0].port ? xstrdup(set.items[0].port) : NULL;
    *origin = origin_within(&set.items[0].delivery_user_origin, path);
    loaded_free(path, &set);
    return user;
}

static char *exim_user_of(const char *conf, char **origin)
{
    return exim_user_port_of(conf, origin, NULL);
}

/* The parsers' transport port: Postfix smtp_tcp_port (main.cf or -o),
 * Exim the smtp transport's port (also for MX delivery); the default and
 * an expansion give none. */
START_TEST(transport_port_from_config)
{
    static const struct {
        const char *maincf, *mastercf, *want;
    } pf[] = {
        { "myhostname = mail.example.test\n", SMTP_LINE, NULL },
        { "myhostname = mail.example.test\nsmtp_tcp_port = 25\n", SMTP_LINE, NULL },
        { "myhostname = mail.example.test\nsmtp_tcp_port = submission\n", SMTP_LINE, "submission" },
        { "myhostname = mail.example.test\np = 2525\nsmtp_tcp_port = $p\n", SMTP_LINE, "2525" },
        { "myhostname = mail.example.test\n",
          "smtp      unix  -       -       n       -       -       smtp -o smtp_tcp_port=587\n", "587" },
    };
    for (size_t i = 0; i < sizeof(pf) / sizeof(pf[0]); i++) {
        char *origin, *port;
        free(pf_user_port_of(pf[i].maincf, pf[i].mastercf, &origin, &port));
        if (pf[i].want)
            ck_assert_msg(port && strcmp(port, pf[i].want) == 0, "postfix case %zu: port %s", i, port);
        else
            ck_assert_msg(!port, "postfix case %zu: port %s, expected none", i, port);
        free(origin);
        free(port);
    }
    static const struct {
        const char *transport_lines, *want;
    } ex[] = {
        { "", NULL },
        { "  port = smtp\n", NULL },
        { "  port = 587\n", "587" },
        { "  port = ${if eq{$domain}{x}{26}{25}}\n", NULL },
    };
    for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
        char *conf = xasprintf("primary_hostname = mail.example.test\nbegin routers\ndns:\n  driver = dnslookup\n"
                               "  transport = t\nbegin transports\nt:\n  driver = smtp\n%s",
                               ex[i].transport_lines);
        char *origin, *port;
        free(exim_user_port_of(conf, &origin, &port));
        if (ex[i].want)
            ck_assert_msg(port && strcmp(port, ex[i].want) == 0, "exim case %zu: port %s", i, port);
        else
            ck_assert_msg(!port, "exim case %zu: port %s, expected none", i, port);
        free(origin);
        free(port);
        free(conf);
    }
}
END_TEST

START_TEST(exim_delivery_user)
{
    static const char routers[] = "begin routers\nr:\n  driver = manualroute\n  route_list = * 198.51.100.1\n"
                                  "  transport = t\nbegin transports\nt:\n  driver = smtp\n";
    char *origin;
    char *conf = xasprintf("primary_hostname = mail.example.test\n%s", routers);
    char *u = exim_user_of(conf, &origin);
    ck_assert_str_eq(u, "Debian-exim");
    ck_assert_str_eq(origin, "default (Debian's build)");
    free(u);
    free(origin);
    free(conf);
    conf = xasprintf("primary_hostname = mail.example.test\nexim_user = mailnull\n%s", routers);
    u = exim_user_of(conf, &origin);
    ck_assert_str_eq(u, "mailnull");
    ck_assert_str_eq(origin, ":2");
    free(u);
    free(origin);
    free(conf);
    conf = xasprintf("primary_hostname = mail.example.test\nexim_user = mailnull\n%s  user = nobody\n", routers);
    u = exim_user_of(conf, &origin);
    ck_assert_str_eq(u, "nobody");
    ck_assert_str_eq(origin, ":11");
    free(u);
    free(origin);
    free(conf);
    conf = xasprintf("primary_hostname = mail.example.test\n%s  user = ${lookup{$domain}lsearch{/etc/u}}\n", routers);
    u = exim_user_of(conf, &origin);
    ck_assert_ptr_null(u);
    ck_assert_ptr_null(origin);
    free(conf);
}
END_TEST

/* An identity relaying through [relay.example.test]:587 as root. */
static void relay_identity(struct model_set *set, unsigned families)
{
    struct model_identity *id = model_identity_add(set, MODEL_POSTFIX);
    id->id = xstrdup("postfix:/test:smtp/unix");
    id->families = families;
    id->relay = xstrdup("[relay.example.test]:587");
    id->delivery_user = xstrdup("root");
}

START_TEST(relay_addresses_in_the_first_round)
{
    struct model_set set = MODEL_SET_INIT;
    struct facts facts = FACTS_INIT;
    relay_identity(&set, MODEL_FAMILY_BIT(MODEL_IPV4));
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    lookup_plan_next(&set, &facts, &plan);
    int a = 0, aaaa = 0;
    for (size_t i = 0; i < plan.n; i++) {
        if (strcmp(plan.items[i].name, "relay.example.test") != 0)
            continue;
        a += plan.items[i].type == FACTS_A;
        aaaa += plan.items[i].type == FACTS_AAAA;
    }
    ck_assert_int_eq(a, 1);
    ck_assert_int_eq(aaaa, 0); /* the identity does not use IPv6 */
    /* Answered: not asked again. */
    const char *answer[] = { "127.0.0.1" };
    facts_lookup_set(&facts, "relay.example.test", FACTS_A, FACTS_OK, answer, 1, 1);
    lookup_plan_next(&set, &facts, &plan);
    for (size_t i = 0; i < plan.n; i++)
        ck_assert_str_ne(plan.items[i].name, "relay.example.test");
    lookup_plan_free(&plan);
    facts_free(&facts);
    model_set_free(&set);
}
END_TEST

/* plan_has - the plan asks (name, type). */
static bool plan_has(const struct lookup_plan *plan, const char *name, enum facts_rrtype type)
{
    for (size_t i = 0; i < plan->n; i++)
        if (plan->items[i].type == type && strcmp(plan->items[i].name, name) == 0 && !plan->items[i].server)
            return true;
    return false;
}

/* A relay the MTA finds by MX (Postfix without brackets): its MX and its
 * own A in the first round, the best MX target's A once the MX is known;
 * the route then goes to that target. No MX: the name's own address. */
START_TEST(relay_by_mx)
{
    struct model_set set = MODEL_SET_INIT;
    struct facts facts = FACTS_INIT;
    relay_identity(&set, MODEL_FAMILY_BIT(MODEL_IPV4));
    free(set.items[0].relay);
    set.items[0].relay = xstrdup("relay.example.test");
    set.items[0].relay_mx = true;
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    lookup_plan_next(&set, &facts, &plan);
    ck_assert(plan_has(&plan, "relay.example.test", FACTS_MX));
    ck_assert(plan_has(&plan, "relay.example.test", FACTS_A));
    ck_assert_ptr_null(sources_relay_lookup_name(&set.items[0], &facts));

    const char *mx[] = { "20 b.example.test", "10 mx2.example.test", "10 MX1.example.test." };
    facts_lookup_set(&facts, "relay.example.test", FACTS_MX, FACTS_OK, mx, 3, 1);
    const char *own[] = { "127.0.0.9" };
    facts_lookup_set(&facts, "relay.example.test", FACTS_A, FACTS_OK, own, 1, 1);
    char *name = sources_relay_lookup_name(&set.items[0], &facts);
    ck_assert_str_eq(name, "mx1.example.test");
    free(name);
    lookup_plan_next(&set, &facts, &plan);
    ck_assert(plan_has(&plan, "mx1.example.test", FACTS_A));
    ck_assert(!plan_has(&plan, "mx2.example.test", FACTS_A));
    ck_assert(!plan_has(&plan, "relay.example.test", FACTS_MX));

    struct cli_options opts;
    memset(&opts, 0, sizeof(opts));
    struct iface_list ifaces = IFACE_LIST_INIT;
    sources_probe(&facts, 0, &set.items[0], MODEL_IPV4, &opts, &ifaces);
    /* The name's own A is not where the mail goes. */
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 0);
    const char *target[] = { "127.0.0.1" };
    facts_lookup_set(&facts, "mx1.example.test", FACTS_A, FACTS_OK, target, 1, 1);
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 1);
    ck_assert_str_eq(facts.sources[0].target, "127.0.0.1");
    facts_free(&facts);

    /* No MX (NODATA): the name's own address. A failed MX lookup or a
     * null MX: no target. */
    static const enum facts_status none[] = { FACTS_NODATA, FACTS_NXDOMAIN };
    for (size_t i = 0; i < 2; i++) {
        struct facts f = FACTS_INIT;
        facts_lookup_set(&f, "relay.example.test", FACTS_MX, none[i], NULL, 0, 1);
        name = sources_relay_lookup_name(&set.items[0], &f);
        ck_assert_str_eq(name, "relay.example.test");
        free(name);
        facts_free(&f);
    }
    struct facts f = FACTS_INIT;
    facts_lookup_set(&f, "relay.example.test", FACTS_MX, FACTS_SERVFAIL, NULL, 0, 1);
    ck_assert_ptr_null(sources_relay_lookup_name(&set.items[0], &f));
    facts_free(&f);
    f = (struct facts)FACTS_INIT;
    const char *null_mx[] = { "0 ." };
    facts_lookup_set(&f, "relay.example.test", FACTS_MX, FACTS_OK, null_mx, 1, 1);
    ck_assert_ptr_null(sources_relay_lookup_name(&set.items[0], &f));
    facts_free(&f);
    /* Without relay_mx (a bracketed name, DNS lookups off): the name. */
    set.items[0].relay_mx = false;
    name = sources_relay_lookup_name(&set.items[0], &facts);
    ck_assert_str_eq(name, "relay.example.test");
    free(name);
    lookup_plan_free(&plan);
    model_set_free(&set);
}
END_TEST

/* Which relays the parsers look up by MX: Postfix's unbracketed names
 * while DNS lookups are on, Exim's "/MX" hosts. */
START_TEST(relay_mx_from_config)
{
    static const struct {
        const char *maincf;
        bool mx;
    } pf[] = {
        { "relayhost = relay.example.test\n", true },
        { "relayhost = relay.example.test:587\n", true },
        { "relayhost = [relay.example.test]\n", false },
        { "relayhost = [192.0.2.1]:587\n", false },
        { "relayhost = relay.example.test\nsmtp_dns_support_level = disabled\n", false },
        { "relayhost = relay.example.test\ndisable_dns_lookups = yes\n", false },
        { "relayhost = relay.example.test\ndisable_dns_lookups = yes\nsmtp_dns_support_level = enabled\n", true },
        { "relayhost = relay.example.test\nsmtp_host_lookup = native\n", false },
        { "relayhost = relay.example.test\nsmtp_host_lookup = native, dns\n", true },
        { "\n", false },
    };
    for (size_t i = 0; i < sizeof(pf) / sizeof(pf[0]); i++) {
        char *main_cf = xasprintf("myhostname = mail.example.test\n%s", pf[i].maincf);
        struct model_set set = MODEL_SET_INIT;
        char *dir = pf_load(main_cf, SMTP_LINE, &set);
        ck_assert_msg(set.items[0].relay_mx == pf[i].mx, "%s: relay_mx %d", pf[i].maincf, set.items[0].relay_mx);
        loaded_free(dir, &set);
        free(main_cf);
    }
    static const struct {
        const char *route;
        bool mx;
    } ex[] = {
        { "* relay.example.test", false },
        { "* relay.example.test/MX", true },
        { "* relay.example.test/mx", true },
        { "* relay.example.test/mxother", false },
        { "* 192.0.2.1", false },
    };
    for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
        char *conf = xasprintf("primary_hostname = mail.example.test\nbegin routers\nr:\n  driver = manualroute\n"
                               "  route_list = %s\n  transport = t\nbegin transports\nt:\n  driver = smtp\n",
                               ex[i].route);
        struct model_set set = MODEL_SET_INIT;
        char *path = exim_load_text(conf, &set);
        ck_assert_msg(set.items[0].relay_mx == ex[i].mx, "%s: relay_mx %d (relay %s)", ex[i].route,
                      set.items[0].relay_mx, set.items[0].relay);
        loaded_free(path, &set);
        free(conf);
    }
}
END_TEST

START_TEST(refine_after_the_relay_resolves)
{
    struct model_set set = MODEL_SET_INIT;
    struct facts facts = FACTS_INIT;
    struct cli_options opts;
    memset(&opts, 0, sizeof(opts));
    relay_identity(&set, MODEL_FAMILY_BIT(MODEL_IPV4));
    struct iface_list ifaces = IFACE_LIST_INIT;
    iface_list_load(&ifaces);
    sources_probe(&facts, 0, &set.items[0], MODEL_IPV4, &opts, &ifaces);
    iface_list_free(&ifaces);
    ck_assert_uint_eq(facts.nsources, 1);
    ck_assert_str_eq(facts.sources[0].target, "8.8.8.8");
    ck_assert_uint_eq(facts.sources[0].port, 587);
    ck_assert_str_eq(facts.sources[0].user, "root");
    ck_assert_int_eq(facts.sources[0].uid, 0);

    /* Nothing known yet, a failed lookup, no answer: no change. */
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 0);
    facts_lookup_set(&facts, "relay.example.test", FACTS_A, FACTS_TIMEOUT, NULL, 0, 0);
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 0);

    const char *answer[] = { "127.0.0.2", "127.0.0.1" }; /* kept sorted: .1 first */
    facts_lookup_set(&facts, "relay.example.test", FACTS_A, FACTS_OK, answer, 2, 1);
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 1);
    const struct facts_source *s = &facts.sources[0];
    ck_assert_str_eq(s->target, "127.0.0.1");
    ck_assert_uint_eq(s->port, 587);
    ck_assert(s->route);
    ck_assert_str_eq(s->address, "127.0.0.1");
    ck_assert_str_eq(s->kernel_address, "127.0.0.1");
    ck_assert_str_eq(s->interface, "lo");
    ck_assert_int_eq(s->scope, SCOPE_LOOPBACK);
    ck_assert_str_eq(s->user, "root");
    ck_assert_int_eq(s->identity, 0);
    ck_assert_int_eq(s->family, MODEL_IPV4);
    /* Asked again: the same target, nothing changes. */
    ck_assert_uint_eq(sources_refine(&set, &facts, &opts), 0);

    /* --route-target decides the target: no refinement. */
    struct facts other = FACTS_INIT;
    strlist_add(&opts.route_targets, "127.0.0.3");
    ifaces = (struct iface_list)IFACE_LIST_INIT;
    sources_probe(&other, 0, &set.items[0], MODEL_IPV4, &opts, &ifaces);
    facts_lookup_set(&other, "relay.example.test", FACTS_A, FACTS_OK, answer, 2, 1);
    ck_assert_uint_eq(sources_refine(&set, &other, &opts), 0);
    ck_assert_str_eq(other.sources[0].target, "127.0.0.3");
    ck_assert_str_eq(other.sources[0].address, "127.0.0.1");
    strlist_free(&opts.route_targets);
    facts_free(&other);
    facts_free(&facts);
    model_set_free(&set);
}
END_TEST

START_TEST(literal_relay_is_the_target)
{
    struct model_set set = MODEL_SET_INIT;
    struct facts facts = FACTS_INIT;
    struct cli_options opts;
    memset(&opts, 0, sizeof(opts));
    struct model_identity *id = model_identity_add(&set, MODEL_EXIM);
    id->id = xstrdup("exim:/test:t");
    id->families = MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
    id->relay = xstrdup("127.0.0.5:2525");
    id->delivery_user = xstrdup("no-such-user-here");
    struct iface_list ifaces = IFACE_LIST_INIT;
    sources_probe(&facts, 0, id, MODEL_IPV4, &opts, &ifaces);
    sources_probe(&facts, 0, id, MODEL_IPV6, &opts, &ifaces);
    const struct facts_source *v4 = facts_source_find(&facts, 0, MODEL_IPV4);
    const struct facts_source *v6 = facts_source_find(&facts, 0, MODEL_IPV6);
    ck_assert_str_eq(v4->target, "127.0.0.5");
    ck_assert_uint_eq(v4->port, 2525);
    ck_assert_str_eq(v4->address, "127.0.0.1");
    ck_assert_str_eq(v4->user, "no-such-user-here");
    ck_assert_int_eq(v4->uid, -1);
    /* The relay has no IPv6 address: the family's default target. */
    ck_assert_str_eq(v6->target, "2001:4860:4860::8888");
    ck_assert_uint_eq(v6->port, 2525);
    facts_free(&facts);
    model_set_free(&set);
}
END_TEST

Suite *sources_suite(void)
{
    Suite *s = suite_create("sources");
    TCase *tc = tcase_create("question");
    tcase_add_test(tc, relay_host_and_port);
    tcase_add_test(tc, postfix_delivery_user);
    tcase_add_test(tc, exim_delivery_user);
    tcase_add_test(tc, transport_port);
    tcase_add_test(tc, transport_port_from_config);
    tcase_add_test(tc, relay_addresses_in_the_first_round);
    tcase_add_test(tc, relay_by_mx);
    tcase_add_test(tc, relay_mx_from_config);
    tcase_add_test(tc, refine_after_the_relay_resolves);
    tcase_add_test(tc, literal_relay_is_the_target);
    suite_add_tcase(s, tc);
    return s;
}
