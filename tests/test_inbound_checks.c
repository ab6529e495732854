/* test_inbound_checks - the inbound part's DNS plan, verdicts, findings,
 * fixes and reports, on hand-built listeners and facts (the scenarios test
 * the same end to end with nsd and the real MTAs' configurations). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/check.h"
#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/lookup_plan.h"
#include "auditor/report_json.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/report_text.h"
#include "auditor/state.h"
#include "auditor/verdict.h"
#include "auditor/verdict_inbound.h"
#include "tests/support/suites.h"

struct fx {
    struct model_set set;
    struct facts facts;
    struct verdict_set vs;
    struct finding_list findings;
};

/* fx_init - a Postfix smtp/inet listener on every IPv4 and IPv6 address
 * with banner TEXT, and the domain example.com (unless domain is NULL). */
static struct listener *fx_init(struct fx *f, const char *banner, const char *domain)
{
    memset(f, 0, sizeof(*f));
    struct facts init = FACTS_INIT;
    f->facts = init;
    f->facts.inbound = xcalloc(1, sizeof(*f->facts.inbound));
    struct listener *l = listener_add(f->facts.inbound, MODEL_POSTFIX);
    l->id = xstrdup("postfix:/etc/postfix:smtp/inet");
    l->config = xstrdup("/etc/postfix");
    l->service = xstrdup("smtp");
    l->command = xstrdup("smtpd");
    l->port = 25;
    l->mx = true;
    l->families = l->all_families = MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
    l->banner.present = true;
    l->banner.raw = xstrdup("$myhostname ESMTP $mail_name");
    l->banner.host_param = xstrdup("myhostname");
    listener_banner_set_text(&l->banner, banner);
    if (domain) {
        struct model_origin o = MODEL_ORIGIN_INIT;
        listener_domain_add(f->facts.inbound, MODEL_POSTFIX, domain, "mydestination", &o, NULL);
    }
    strlist_add(&f->facts.local_public, "192.0.2.10");
    f->facts.mta_config_found = true;
    return l;
}

static void fx_ptr(struct fx *f, const char *address, enum facts_status st, const char *name)
{
    char *rev = revname_of(address);
    const char *ans[1] = { name };
    facts_lookup_set(&f->facts, rev, FACTS_PTR, st, ans, name ? 1 : 0, 1);
    free(rev);
}

static void fx_set(struct fx *f, const char *name, enum facts_rrtype t, enum facts_status st, const char *answer)
{
    const char *ans[1] = { answer };
    facts_lookup_set(&f->facts, name, t, st, ans, answer ? 1 : 0, 1);
}

static void fx_run(struct fx *f)
{
    verdict_compute(&f->set, &f->facts, &f->vs);
    check_run_verdicts(&f->set, &f->vs, &f->findings);
}

static void fx_free(struct fx *f)
{
    finding_list_free(&f->findings);
    verdict_set_free(&f->vs);
    facts_free(&f->facts);
    model_set_free(&f->set);
}

/* The usual good host: MX 10 mail.example.com -> 192.0.2.10, whose PTR is
 * ptr (forward-confirmed when its A is 192.0.2.10). */
static void fx_dns(struct fx *f, const char *ptr)
{
    fx_set(f, "example.com", FACTS_MX, FACTS_OK, "10 mail.example.com");
    fx_set(f, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10");
    fx_set(f, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    fx_ptr(f, "192.0.2.10", FACTS_OK, ptr);
    if (strcmp(ptr, "mail.example.com") != 0)
        fx_set(f, ptr, FACTS_A, FACTS_OK, "192.0.2.10");
    fx_set(f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
}

static bool plan_has(const struct lookup_plan *p, const char *name, enum facts_rrtype t)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].type == t && strcmp(p->items[i].name, name) == 0)
            return true;
    return false;
}

START_TEST(plan_asks_mx_and_ptr_first_then_targets_and_confirmation)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    struct lookup_plan p = LOOKUP_PLAN_INIT;
    lookup_plan_next(&f.set, &f.facts, &p);
    ck_assert_uint_eq(p.n, 4); /* MX, PTR, SOA, canary */
    ck_assert(plan_has(&p, "example.com", FACTS_MX));
    ck_assert(plan_has(&p, "10.2.0.192.in-addr.arpa", FACTS_PTR));
    ck_assert(plan_has(&p, "10.2.0.192.in-addr.arpa", FACTS_SOA));
    ck_assert(plan_has(&p, ".", FACTS_NS));
    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mail.example.com");
    fx_ptr(&f, "192.0.2.10", FACTS_OK, "host.example.net");
    fx_set(&f, "10.2.0.192.in-addr.arpa", FACTS_SOA, FACTS_NXDOMAIN, NULL);
    fx_set(&f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
    lookup_plan_next(&f.set, &f.facts, &p);
    ck_assert_uint_eq(p.n, 3);
    ck_assert(plan_has(&p, "mail.example.com", FACTS_A));
    ck_assert(plan_has(&p, "mail.example.com", FACTS_AAAA));
    ck_assert(plan_has(&p, "host.example.net", FACTS_A));
    for (size_t i = 0; i < p.n; i++)
        facts_lookup_set(&f.facts, p.items[i].name, p.items[i].type, FACTS_NODATA, NULL, 0, 1);
    lookup_plan_next(&f.set, &f.facts, &p);
    ck_assert_uint_eq(p.n, 0); /* two rounds */
    lookup_plan_free(&p);
    fx_free(&f);
}
END_TEST

START_TEST(banner_equals_ptr_passes)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mail.example.com");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    const struct verdict_inbound *vi = f.vs.inbound;
    ck_assert_uint_eq(vi->nlisteners, 1);
    ck_assert_uint_eq(vi->listeners[0].naddrs, 1);
    ck_assert(vi->listeners[0].addrs[0].banner_is_ptr);
    ck_assert(vi->listeners[0].addrs[0].mx_target);
    ck_assert_int_eq(vi->listeners[0].addrs[0].confirmed, VERDICT_YES);
    ck_assert_int_eq(vi->domains[0].mx, VERDICT_MX_OK);
    ck_assert_int_eq(vi->domains[0].this_host, VERDICT_YES);
    ck_assert(vi->domains[0].targets[0].this_host);

    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "220 mail.example.com ESMTP Postfix"), "%s", text);
    ck_assert_msg(strstr(text, "192.0.2.10  PTR mail.example.com (forward-confirmed), an MX points here"), "%s",
                  text);
    ck_assert_msg(strstr(text, "10 mail.example.com (this host)"), "%s", text);
    free(text);
    char *json = report_json(&f.set, &f.facts, &f.findings);
    ck_assert_msg(strstr(json, "\"inbound\":[") || strstr(json, "\"inbound\": ["), "%s", json);
    ck_assert_msg(strstr(json, "\"this_host\":true"), "%s", json);
    ck_assert_msg(strstr(json, "\"preference\":10"), "%s", json);
    free(json);
    fx_free(&f);
}
END_TEST

START_TEST(banner_ptr_mismatch_announces_the_confirmed_ptr_name)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mx1.example.com");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_BANNER_PTR_MISMATCH);
    ck_assert_int_eq(x->severity, FINDING_WARNING);
    ck_assert_str_eq(x->identity, "postfix:/etc/postfix:smtp/inet");
    ck_assert_str_eq(x->address, "192.0.2.10");
    ck_assert_str_eq(x->message, "the SMTP banner announces mail.example.com, but the PTR of 192.0.2.10 is mx1.example.com");
    ck_assert_uint_eq(x->fixes.n, 1);
    ck_assert_str_eq(x->fixes.items[0].command,
                     "postconf -c /etc/postfix -e 'smtpd_banner = mx1.example.com ESMTP $mail_name'");
    char *nagios = report_nagios(&f.set, &f.facts, &f.findings);
    ck_assert_msg(strncmp(nagios, "MTA-PREFLIGHT WARNING - 0 critical, 1 warning, 0 unknown: banner-ptr-mismatch", 77)
                      == 0, "%s", nagios);
    ck_assert_msg(strstr(nagios, "\nwarning banner-ptr-mismatch postfix:/etc/postfix:smtp/inet ipv4 192.0.2.10: the "
                                 "SMTP banner announces mail.example.com"), "%s", nagios);
    free(nagios);
    char *prom = report_prometheus(&f.set, &f.vs, &f.findings);
    ck_assert_msg(strstr(prom, "mta_preflight_inbound_banner_ptr_match{listener=\"postfix:/etc/postfix:smtp/inet\","
                               "address=\"192.0.2.10\"} 0\n"), "%s", prom);
    ck_assert_msg(strstr(prom, "mta_preflight_mx_this_host{domain=\"example.com\"} 1\n"), "%s", prom);
    free(prom);
    fx_free(&f);
}
END_TEST

START_TEST(generic_ptr_asks_for_the_banner_name)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix (Debian/GNU)", "example.com");
    fx_dns(&f, "vps-192-0-2-10.provider.example");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_PTR_MISMATCH);
    ck_assert_int_eq(f.findings.items[0].fixes.items[0].kind, FIX_PROVIDER_PTR);
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].record, "10.2.0.192.in-addr.arpa. IN PTR mail.example.com.");
    fx_free(&f);
}
END_TEST

START_TEST(short_banner_is_invalid)
{
    struct fx f;
    fx_init(&f, "mail ESMTP Postfix", "example.com");
    fx_dns(&f, "mail.example.com");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_INVALID);
    ck_assert_str_eq(f.findings.items[0].message, "the SMTP banner announces 'mail', which is not a fully qualified host name");
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].command,
                     "postconf -c /etc/postfix -e 'smtpd_banner = mail.example.com ESMTP $mail_name'");
    fx_free(&f);
}
END_TEST

START_TEST(mx_missing_null_and_elsewhere)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_ptr(&f, "192.0.2.10", FACTS_OK, "mail.example.com");
    fx_set(&f, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.10");
    fx_set(&f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
    fx_set(&f, "example.com", FACTS_MX, FACTS_NODATA, NULL);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_MX_MISSING);
    ck_assert_str_eq(f.findings.items[0].identity, "postfix:domain:example.com");
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].record, "example.com. IN MX 10 mail.example.com.");
    finding_list_free(&f.findings);
    verdict_set_free(&f.vs);

    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "0 .");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_MX_MISSING);
    ck_assert_int_eq(f.vs.inbound->domains[0].mx, VERDICT_MX_NULL);
    ck_assert(strstr(f.findings.items[0].fixes.items[0].text, "replace the null MX"));
    finding_list_free(&f.findings);
    verdict_set_free(&f.vs);

    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mx.filter.example");
    fx_set(&f, "mx.filter.example", FACTS_A, FACTS_OK, "198.51.100.77");
    fx_set(&f, "mx.filter.example", FACTS_AAAA, FACTS_NODATA, NULL);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_MX_NOT_THIS_HOST);
    ck_assert_int_eq(f.findings.items[0].severity, FINDING_INFO);
    ck_assert_int_eq(finding_status_of(&f.findings), FINDING_STATUS_OK);
    finding_list_free(&f.findings);
    verdict_set_free(&f.vs);

    /* A failed MX lookup is unknown: no finding claims anything. */
    fx_set(&f, "example.com", FACTS_MX, FACTS_TIMEOUT, NULL);
    fx_run(&f);
    ck_assert_int_eq(f.vs.inbound->domains[0].mx, VERDICT_MX_UNKNOWN);
    ck_assert_uint_eq(finding_list_count(&f.findings, FINDING_MX_MISSING), 0);
    fx_free(&f);
}
END_TEST

START_TEST(ipv6_mx_address_without_ptr)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    strlist_add(&f.facts.local_public, "2001:db8::10");
    fx_dns(&f, "mail.example.com");
    fx_set(&f, "mail.example.com", FACTS_AAAA, FACTS_OK, "2001:db8::10");
    fx_ptr(&f, "2001:db8::10", FACTS_NXDOMAIN, NULL);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_INBOUND_PTR_MISSING);
    ck_assert_int_eq(x->family, MODEL_IPV6);
    ck_assert_str_eq(x->message, "an MX points at 2001:db8::10, which has no PTR");
    ck_assert_int_eq(x->fixes.items[0].kind, FIX_PROVIDER_PTR);
    ck_assert(strstr(x->fixes.items[0].record, "ip6.arpa. IN PTR mail.example.com."));
    fx_free(&f);
}
END_TEST

START_TEST(nat_private_listener_maps_to_source_ip)
{
    struct fx f;
    struct listener *l = fx_init(&f, "mail.example.com ESMTP Postfix", NULL);
    l->all_families = 0;
    listener_address_add(l, "10.0.0.5");
    strlist_free(&f.facts.local_public);
    struct strlist a = STRLIST_INIT, from = STRLIST_INIT;
    verdict_inbound_addresses(l, &f.facts, &a, &from);
    ck_assert_uint_eq(a.n, 0); /* private only, no --source-ip */
    strlist_add(&f.facts.given_sources, "203.0.113.25");
    verdict_inbound_addresses(l, &f.facts, &a, &from);
    ck_assert_uint_eq(a.n, 1);
    ck_assert_str_eq(a.items[0], "203.0.113.25");
    ck_assert_str_eq(from.items[0], "10.0.0.5");
    strlist_free(&a);
    strlist_free(&from);
    fx_free(&f);
}
END_TEST

START_TEST(exim_banner_fix_lines)
{
    struct fx f;
    struct listener *l = fx_init(&f, "smtp.old.example ESMTP Exim 4.96", "example.com");
    l->mta = MODEL_EXIM;
    free(l->banner.raw);
    l->banner.raw = xstrdup("$smtp_active_hostname ESMTP Exim $version_number $tod_full");
    free(l->config);
    l->config = xstrdup("/etc/exim4/exim4.conf");
    fx_dns(&f, "mail.example.com");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].line, "smtp_active_hostname = mail.example.com");
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].file, "/etc/exim4/exim4.conf");
    finding_list_free(&f.findings);
    verdict_set_free(&f.vs);
    free(l->banner.raw);
    l->banner.raw = xstrdup("smtp.old.example ESMTP ready");
    fx_run(&f);
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].line, "smtp_banner = mail.example.com ESMTP ready");
    fx_free(&f);
}
END_TEST

/* fx_greeting - a live greeting read from address for the listener. */
static void fx_greeting(struct fx *f, const char *id, const char *address, const char *const *lines, size_t n)
{
    f->facts.connect_asked = true;
    f->facts.greetings = xreallocarray(f->facts.greetings, f->facts.ngreetings + 1, sizeof(*f->facts.greetings));
    struct smtp_greet *g = &f->facts.greetings[f->facts.ngreetings++];
    memset(g, 0, sizeof(*g));
    g->address = xstrdup(address);
    g->port = 25;
    g->status = SMTP_GREET_OK;
    g->code = 220;
    for (size_t i = 0; i < n; i++)
        strlist_add(&g->lines, lines[i]);
    strlist_add(&f->facts.greeting_listeners, id);
}

/* Exim's configured banner keeps $version_number and $tod_* unexpanded:
 * they match any text of one line; everything else must be as written. */
START_TEST(exim_live_text_matches_with_variables)
{
    static const struct {
        const char *conf, *live;
        bool match;
    } cases[] = {
        { "mail.example.com ESMTP Exim $version_number $tod_full",
          "mail.example.com ESMTP Exim 4.96 Tue, 01 Dec 2026 12:00:00 +0000", true },
        { "mail.example.com ESMTP Exim ${version_number} ${tod_full}", "mail.example.com ESMTP Exim 4.96 now", true },
        { "mail.example.com ESMTP Exim $version_number $tod_full\nno unsolicited bulk mail here",
          "mail.example.com ESMTP Exim 4.96 Tue, 01 Dec 2026\nno unsolicited bulk mail here", true },
        { "mail.example.com ESMTP Exim $version_number $tod_full\nno unsolicited bulk mail here",
          "mail.example.com ESMTP Exim 4.96 Tue, 01 Dec 2026\nbulk mail welcome", false },
        { "mail.example.com ESMTP Exim $version_number $tod_full",
          "mail.example.com ESMTP Exim 4.96 Tue\nsecond line", false },
        { "mail.example.com ESMTP $tod_log", "mail.example.com ESMTP", false },
        { "mail.example.com ESMTP $tod_log", "mail.example.com ESMTP ", true },
        { "mail.example.com ESMTP $tod_", "mail.example.com ESMTP $tod_", true },
        { "mail.example.com ESMTP $tod_", "mail.example.com ESMTP now", false },
        { "mail.example.com ESMTP", "mail.example.com ESMTP Exim", false },
        { "$version_number$version_number", "", true },
        { "a$tod_fullb$tod_fullc", "axxbyybzzc", true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ck_assert_msg(verdict_inbound_exim_text_matches(cases[i].conf, cases[i].live) == cases[i].match,
                      "case %zu: '%s' vs '%s'", i, cases[i].conf, cases[i].live);
}
END_TEST

START_TEST(live_banner_compared_with_the_configuration)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mail.example.com");
    fx_greeting(&f, "postfix:/etc/postfix:smtp/inet", "192.0.2.10",
                (const char *const[]){ "mail.example.com ESMTP Postfix" }, 1);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    ck_assert_ptr_nonnull(f.vs.inbound->listeners[0].live);
    char *json = report_json(&f.set, &f.facts, &f.findings);
    ck_assert_msg(strstr(json, "\"live\":\"mail.example.com ESMTP Postfix\""), "%s", json);
    free(json);
    finding_list_free(&f.findings);
    verdict_set_free(&f.vs);
    /* A proxy in front, with a multi-line greeting: the final line counts. */
    for (size_t i = 0; i < f.facts.ngreetings; i++)
        smtp_greet_free(&f.facts.greetings[i]);
    f.facts.ngreetings = 0;
    strlist_free(&f.facts.greeting_listeners);
    fx_greeting(&f, "postfix:/etc/postfix:smtp/inet", "192.0.2.10",
                (const char *const[]){ "mail.example.com ESMTP Postfix", "old.example.net ESMTP" }, 2);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_LIVE_DIFFERS);
    ck_assert_int_eq(f.findings.items[0].severity, FINDING_INFO);
    ck_assert_str_eq(f.findings.items[0].message, "the server on 192.0.2.10 port 25 greets with 'old.example.net ESMTP', "
                                                  "the configuration says 'mail.example.com ESMTP Postfix'");
    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "220-mail.example.com ESMTP Postfix 220 old.example.net ESMTP"), "%s", text);
    free(text);
    fx_free(&f);
}
END_TEST

START_TEST(mx_answers_parse)
{
    unsigned p;
    const char *n;
    ck_assert(facts_mx_parse("10 mail.example.com", &p, &n));
    ck_assert_uint_eq(p, 10);
    ck_assert_str_eq(n, "mail.example.com");
    ck_assert(facts_mx_parse("0 .", &p, &n));
    ck_assert_str_eq(n, ".");
    ck_assert(!facts_mx_parse("70000 x.example", &p, &n));
    ck_assert(!facts_mx_parse("10", &p, &n));
    ck_assert(!facts_mx_parse("mail.example.com", &p, &n));
    ck_assert(!facts_mx_parse(NULL, &p, &n));
}
END_TEST

/* fx_fail - (name, type) failed with status, as the resolver layer
 * records it (detail names the resolver). */
static void fx_fail(struct fx *f, const char *name, enum facts_rrtype t, enum facts_status st)
{
    struct facts_lookup *l = facts_lookup_set(&f->facts, name, t, st, NULL, 0, 2000);
    l->detail = xstrdup(st == FACTS_TIMEOUT ? "no answer within 2 s from 192.0.2.53:53" : "SERVFAIL from 192.0.2.53:53");
}

static void fx_rerun(struct fx *f)
{
    finding_list_free(&f->findings);
    verdict_set_free(&f->vs);
    fx_run(f);
}

START_TEST(listener_ptr_failure_is_unknown)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mail.example.com");
    fx_fail(&f, "10.2.0.192.in-addr.arpa", FACTS_PTR, FACTS_TIMEOUT);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_DNS_FAILURE);
    ck_assert_int_eq(x->severity, FINDING_UNKNOWN);
    ck_assert_str_eq(x->identity, "postfix:/etc/postfix:smtp/inet");
    ck_assert_int_eq(x->family, MODEL_IPV4);
    ck_assert_str_eq(x->address, "192.0.2.10");
    ck_assert_str_eq(x->message, "the PTR lookup of 10.2.0.192.in-addr.arpa timed out (no answer within 2 s from "
                                 "192.0.2.53:53), so the PTR of 192.0.2.10, an address this host receives mail on, "
                                 "is unknown");
    ck_assert_uint_eq(x->fixes.n, 1);
    ck_assert_msg(strstr(x->fixes.items[0].text, "dig -t PTR 10.2.0.192.in-addr.arpa"), "%s", x->fixes.items[0].text);
    ck_assert_int_eq(finding_status_of(&f.findings), FINDING_STATUS_UNKNOWN);
    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "192.0.2.10 PTR unknown (no answer within 2 s from 192.0.2.53:53), an MX"),
                  "%s", text);
    ck_assert_msg(!strstr(text, "PTR none"), "%s", text);
    ck_assert_msg(strstr(text, "dns-failure"), "%s", text);
    free(text);
    char *nagios = report_nagios(&f.set, &f.facts, &f.findings);
    ck_assert_msg(strncmp(nagios, "MTA-PREFLIGHT UNKNOWN - 0 critical, 0 warning, 1 unknown: dns-failure", 69) == 0,
                  "%s", nagios);
    free(nagios);

    /* The PTR answers, its name's forward lookup fails: the mismatch is
     * known, whether an MX address has a confirmed PTR is not. */
    fx_ptr(&f, "192.0.2.10", FACTS_OK, "mx1.example.com");
    fx_fail(&f, "mx1.example.com", FACTS_A, FACTS_SERVFAIL);
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 2);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_DNS_FAILURE);
    ck_assert_str_eq(f.findings.items[0].message,
                     "the A lookup of mx1.example.com failed with SERVFAIL (SERVFAIL from 192.0.2.53:53), so whether "
                     "the PTR of 192.0.2.10 resolves back to it is unknown");
    ck_assert_int_eq(f.findings.items[1].id, FINDING_BANNER_PTR_MISMATCH);
    fx_free(&f);
}
END_TEST

START_TEST(domain_mx_failure_is_unknown)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mail.example.com");
    fx_fail(&f, "example.com", FACTS_MX, FACTS_TIMEOUT);
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_DNS_FAILURE);
    ck_assert_str_eq(x->identity, "postfix:domain:example.com");
    ck_assert_int_eq(x->family, -1);
    ck_assert_ptr_null(x->address);
    ck_assert_str_eq(x->message, "the MX lookup of example.com timed out (no answer within 2 s from 192.0.2.53:53), "
                                 "so whether an MX of example.com points at this host is unknown");
    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "MX     unknown (no answer within 2 s from 192.0.2.53:53)\n"), "%s", text);
    free(text);

    /* The MX answers; both forward lookups of its target fail: one finding. */
    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mx.example.net");
    fx_fail(&f, "mx.example.net", FACTS_A, FACTS_TIMEOUT);
    fx_fail(&f, "mx.example.net", FACTS_AAAA, FACTS_SERVFAIL);
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_str_eq(f.findings.items[0].message,
                     "the A lookup of mx.example.net timed out (no answer within 2 s from 192.0.2.53:53); the AAAA "
                     "lookup of mx.example.net failed with SERVFAIL (SERVFAIL from 192.0.2.53:53), so whether an MX "
                     "of example.com points at this host is unknown");
    ck_assert_uint_eq(f.findings.items[0].fixes.n, 2);
    /* One target is this host: the other's failure decides nothing. */
    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mx.example.net");
    facts_lookup_set(&f.facts, "example.com", FACTS_MX, FACTS_OK,
                     (const char *const[]){ "10 mx.example.net", "20 mail.example.com" }, 2, 1);
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    fx_free(&f);
}
END_TEST

/* Drift mode: an inbound dns-failure holds the keys of its identity and
 * family, so a failed lookup neither resolves nor raises a finding. */
START_TEST(inbound_dns_failure_holds_drift_keys)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_dns(&f, "mx1.example.com");
    fx_set(&f, "example.com", FACTS_MX, FACTS_NODATA, NULL);
    fx_set(&f, "mx1.example.com", FACTS_A, FACTS_OK, "192.0.2.10");
    fx_run(&f);
    ck_assert_uint_eq(finding_list_count(&f.findings, FINDING_BANNER_PTR_MISMATCH), 1);
    ck_assert_uint_eq(finding_list_count(&f.findings, FINDING_MX_MISSING), 1);
    struct state st;
    memset(&st, 0, sizeof(st));
    st.lock_fd = -1;
    st.path = xstrdup("/nonexistent/state.json");
    st.first_run = true;
    struct state_changes ch = STATE_CHANGES_INIT;
    state_update(&st, &f.findings, 1, 1, &ch);
    ck_assert_uint_eq(ch.added.n, 2);
    state_changes_free(&ch);
    st.first_run = false;

    fx_fail(&f, "10.2.0.192.in-addr.arpa", FACTS_PTR, FACTS_TIMEOUT);
    fx_fail(&f, "example.com", FACTS_MX, FACTS_TIMEOUT);
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 2);
    ck_assert_uint_eq(finding_list_count(&f.findings, FINDING_DNS_FAILURE), 2);
    for (long long t = 2; t < 5; t++) {
        state_update(&st, &f.findings, 1, t, &ch);
        ck_assert_uint_eq(ch.resolved.n, 0);
        ck_assert_int_eq(ch.status, FINDING_STATUS_WARNING);
        state_changes_free(&ch);
    }
    /* Answers again, and fixed: now resolved. */
    fx_ptr(&f, "192.0.2.10", FACTS_OK, "mail.example.com");
    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mail.example.com");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    state_update(&st, &f.findings, 1, 10, &ch);
    ck_assert_uint_eq(ch.resolved.n, 4); /* the two held, and the two dns-failures */
    ck_assert_uint_eq(finding_list_count(&ch.resolved, FINDING_BANNER_PTR_MISMATCH), 1);
    ck_assert_uint_eq(finding_list_count(&ch.resolved, FINDING_MX_MISSING), 1);
    state_changes_free(&ch);
    state_close(&st);
    fx_free(&f);
}
END_TEST

START_TEST(proxy_interfaces_are_receiving_addresses)
{
    struct fx f;
    struct listener *l = fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    l->all_families = 0;
    l->families = MODEL_FAMILY_BIT(MODEL_IPV4);
    listener_address_add(l, "10.0.0.5");
    strlist_add(&l->proxy_addresses, "203.0.113.25");
    strlist_add(&l->proxy_addresses, "10.1.1.1");       /* private: not where receivers connect */
    strlist_add(&l->proxy_addresses, "mx.example.net"); /* a name: not resolved */
    strlist_free(&f.facts.local_public);
    struct strlist a = STRLIST_INIT, from = STRLIST_INIT;
    verdict_inbound_addresses(l, &f.facts, &a, &from);
    ck_assert_uint_eq(a.n, 1);
    ck_assert_str_eq(a.items[0], "203.0.113.25");
    ck_assert_str_eq(from.items[0], VERDICT_INBOUND_PROXY);
    strlist_free(&a);
    strlist_free(&from);

    fx_set(&f, "example.com", FACTS_MX, FACTS_OK, "10 mail.example.com");
    fx_set(&f, "mail.example.com", FACTS_A, FACTS_OK, "203.0.113.25");
    fx_set(&f, "mail.example.com", FACTS_AAAA, FACTS_NODATA, NULL);
    fx_ptr(&f, "203.0.113.25", FACTS_OK, "nat.example.net");
    fx_set(&f, "nat.example.net", FACTS_A, FACTS_OK, "203.0.113.25");
    fx_set(&f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
    fx_run(&f);
    ck_assert_int_eq(f.vs.inbound->domains[0].this_host, VERDICT_YES);
    ck_assert(f.vs.inbound->listeners[0].addrs[0].mx_target);
    ck_assert(!f.vs.inbound->listeners[0].private_only);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_PTR_MISMATCH);
    ck_assert_str_eq(f.findings.items[0].address, "203.0.113.25");
    ck_assert_str_eq(f.findings.items[0].message,
                     "the SMTP banner announces mail.example.com, but the PTR of 203.0.113.25 is nat.example.net");
    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "203.0.113.25 (proxy_interfaces) PTR nat.example.net"), "%s", text);
    free(text);
    fx_free(&f);
}
END_TEST

START_TEST(private_only_listener_is_unknown)
{
    struct fx f;
    struct listener *l = fx_init(&f, "mail.example.com ESMTP Postfix", NULL);
    l->all_families = 0;
    listener_address_add(l, "10.0.0.5");
    strlist_free(&f.facts.local_public);
    fx_run(&f);
    ck_assert(f.vs.inbound->listeners[0].private_only);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_SOURCE_NOT_PUBLIC);
    ck_assert_int_eq(x->severity, FINDING_UNKNOWN);
    ck_assert_str_eq(x->identity, "postfix:/etc/postfix:smtp/inet");
    ck_assert_int_eq(x->family, -1);
    ck_assert_str_eq(x->message, "the SMTP service listens only on private addresses (10.0.0.5): receivers reach it "
                                 "through NAT or a proxy at a public address the audit does not know, so the banner "
                                 "cannot be judged against that address's PTR");
    ck_assert_uint_eq(x->fixes.n, 1);
    ck_assert_msg(strstr(x->fixes.items[0].text, "--source-ip PUBLIC")
                      && strstr(x->fixes.items[0].text, "proxy_interfaces = PUBLIC"), "%s", x->fixes.items[0].text);
    ck_assert_int_eq(finding_status_of(&f.findings), FINDING_STATUS_UNKNOWN);
    /* --source-ip maps it: judged, nothing unknown left. */
    strlist_add(&f.facts.given_sources, "203.0.113.25");
    fx_ptr(&f, "203.0.113.25", FACTS_OK, "mail.example.com");
    fx_set(&f, "mail.example.com", FACTS_A, FACTS_OK, "203.0.113.25");
    fx_set(&f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    fx_free(&f);
}
END_TEST

/* inet_interfaces = loopback-only: no inbound MX; nothing is asked or judged. */
START_TEST(loopback_only_host_is_no_mx)
{
    struct fx f;
    struct listener *l = fx_init(&f, "mail ESMTP Postfix", "example.com");
    l->all_families = 0;
    listener_address_add(l, "127.0.0.1");
    listener_address_add(l, "::1");
    struct lookup_plan p = LOOKUP_PLAN_INIT;
    lookup_plan_next(&f.set, &f.facts, &p);
    ck_assert_uint_eq(p.n, 0);
    lookup_plan_free(&p);
    fx_fail(&f, "example.com", FACTS_MX, FACTS_TIMEOUT);
    fx_run(&f);
    ck_assert(!f.vs.inbound->receives);
    ck_assert(f.vs.inbound->listeners[0].loopback_only);
    ck_assert(!f.vs.inbound->listeners[0].private_only);
    ck_assert_uint_eq(f.findings.n, 0);
    char *text = report_text(&f.set, &f.vs, &f.findings, false);
    ck_assert_msg(strstr(text, "loopback only: receives no mail from other hosts, not judged"), "%s", text);
    ck_assert_msg(strstr(text, "this host is no inbound MX"), "%s", text);
    free(text);
    fx_free(&f);
}
END_TEST

/* A wildcard over several public IPv4 addresses and no MX pointing at any:
 * one PTR naming the banner's host is enough; none is reported for each. */
START_TEST(wildcard_with_several_addresses)
{
    struct fx f;
    fx_init(&f, "mail.example.com ESMTP Postfix", NULL);
    strlist_add(&f.facts.local_public, "192.0.2.11");
    fx_set(&f, ".", FACTS_NS, FACTS_OK, "a.root-servers.net");
    fx_ptr(&f, "192.0.2.10", FACTS_OK, "a.example.net");
    fx_set(&f, "a.example.net", FACTS_A, FACTS_OK, "192.0.2.10");
    fx_ptr(&f, "192.0.2.11", FACTS_OK, "b.example.net");
    fx_set(&f, "b.example.net", FACTS_A, FACTS_OK, "192.0.2.11");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 2);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_PTR_MISMATCH);
    ck_assert_str_eq(f.findings.items[0].address, "192.0.2.10");
    ck_assert_str_eq(f.findings.items[0].message,
                     "the SMTP banner announces mail.example.com, but the PTR of 192.0.2.10 is a.example.net, and no "
                     "other IPv4 address this host receives mail on has a PTR naming it");
    ck_assert_str_eq(f.findings.items[1].address, "192.0.2.11");
    /* Both converge on one name: the first confirmed PTR name. */
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].command,
                     "postconf -c /etc/postfix -e 'smtpd_banner = a.example.net ESMTP $mail_name'");
    ck_assert_str_eq(f.findings.items[1].fixes.items[0].command, f.findings.items[0].fixes.items[0].command);

    fx_ptr(&f, "192.0.2.11", FACTS_OK, "mail.example.com");
    fx_set(&f, "mail.example.com", FACTS_A, FACTS_OK, "192.0.2.11");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 0);

    /* The other PTR unknown: the mismatch is not claimed, the failure is. */
    fx_fail(&f, "11.2.0.192.in-addr.arpa", FACTS_PTR, FACTS_TIMEOUT);
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_DNS_FAILURE);
    ck_assert_str_eq(f.findings.items[0].address, "192.0.2.11");
    fx_free(&f);
}
END_TEST

/* fx_postscreen - make the listener postscreen with a teaser set in main.cf. */
static void fx_postscreen(struct listener *l, const char *teaser)
{
    free(l->command);
    l->command = xstrdup("postscreen");
    l->pass_service = xstrdup("smtpd/pass");
    l->banner.origin.kind = MODEL_ORIGIN_DEFAULT;
    l->teaser.present = true;
    l->teaser.raw = xstrdup(teaser);
    l->teaser.origin.kind = MODEL_ORIGIN_FILE;
    l->teaser.origin.file = xstrdup("/etc/postfix/main.cf");
    l->teaser.origin.line = 9;
    l->teaser.host_param = xstrdup("postscreen_greet_banner");
    listener_banner_set_text(&l->teaser, teaser);
}

START_TEST(postscreen_teaser_is_judged)
{
    struct fx f;
    struct listener *l = fx_init(&f, "mail.example.com ESMTP Postfix", "example.com");
    fx_postscreen(l, "old-mx.example.net ESMTP");
    fx_dns(&f, "mail.example.com");
    fx_run(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    const struct finding *x = &f.findings.items[0];
    ck_assert_int_eq(x->id, FINDING_BANNER_PTR_MISMATCH);
    ck_assert_str_eq(x->address, "192.0.2.10");
    ck_assert_str_eq(x->message, "postscreen's first line (postscreen_greet_banner), which new clients see first, "
                                 "announces old-mx.example.net, but the PTR of 192.0.2.10 is mail.example.com");
    ck_assert_uint_eq(x->fixes.n, 1);
    ck_assert_str_eq(x->fixes.items[0].command, "postconf -c /etc/postfix -X postscreen_greet_banner");

    /* The same teaser as a -o of smtp/inet: -PX. */
    l->teaser.origin.kind = MODEL_ORIGIN_OVERRIDE;
    fx_rerun(&f);
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].command,
                     "postconf -c /etc/postfix -PX 'smtp/inet/postscreen_greet_banner'");
    ck_assert_uint_eq(f.findings.items[0].fixes.n, 1);

    /* Both lines wrong: one finding (one drift key), both fixes. */
    l->teaser.origin.kind = MODEL_ORIGIN_FILE;
    listener_banner_set_text(&l->banner, "other.example.org ESMTP Postfix");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    x = &f.findings.items[0];
    ck_assert_str_eq(x->message, "the SMTP banner announces other.example.org and postscreen's first line "
                                 "(postscreen_greet_banner), which new clients see first, old-mx.example.net, but the "
                                 "PTR of 192.0.2.10 is mail.example.com");
    ck_assert_uint_eq(x->fixes.n, 2);
    ck_assert_str_eq(x->fixes.items[0].command,
                     "postconf -c /etc/postfix -e 'smtpd_banner = mail.example.com ESMTP $mail_name'");
    ck_assert_str_eq(x->fixes.items[1].command,
                     "postconf -c /etc/postfix -e 'postscreen_greet_banner = mail.example.com ESMTP'");

    /* A teaser that names no fully qualified host. */
    listener_banner_set_text(&l->banner, "mail.example.com ESMTP Postfix");
    free(l->teaser.raw);
    l->teaser.raw = xstrdup("mx ESMTP");
    listener_banner_set_text(&l->teaser, "mx ESMTP");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 1);
    ck_assert_int_eq(f.findings.items[0].id, FINDING_BANNER_INVALID);
    ck_assert_str_eq(f.findings.items[0].message, "postscreen's first line (postscreen_greet_banner), which new "
                                                  "clients see first, announces 'mx', which is not a fully qualified "
                                                  "host name");
    ck_assert_str_eq(f.findings.items[0].fixes.items[0].command, "postconf -c /etc/postfix -X postscreen_greet_banner");

    /* The teaser's host equals the banner's: judged once, as the banner. */
    listener_banner_set_text(&l->teaser, "mail.example.com ESMTP");
    fx_rerun(&f);
    ck_assert_uint_eq(f.findings.n, 0);
    fx_free(&f);
}
END_TEST

Suite *inbound_checks_suite(void)
{
    Suite *s = suite_create("inbound_checks");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, plan_asks_mx_and_ptr_first_then_targets_and_confirmation);
    tcase_add_test(tc, banner_equals_ptr_passes);
    tcase_add_test(tc, banner_ptr_mismatch_announces_the_confirmed_ptr_name);
    tcase_add_test(tc, generic_ptr_asks_for_the_banner_name);
    tcase_add_test(tc, short_banner_is_invalid);
    tcase_add_test(tc, mx_missing_null_and_elsewhere);
    tcase_add_test(tc, ipv6_mx_address_without_ptr);
    tcase_add_test(tc, nat_private_listener_maps_to_source_ip);
    tcase_add_test(tc, exim_banner_fix_lines);
    tcase_add_test(tc, live_banner_compared_with_the_configuration);
    tcase_add_test(tc, exim_live_text_matches_with_variables);
    tcase_add_test(tc, mx_answers_parse);
    tcase_add_test(tc, listener_ptr_failure_is_unknown);
    tcase_add_test(tc, domain_mx_failure_is_unknown);
    tcase_add_test(tc, inbound_dns_failure_holds_drift_keys);
    tcase_add_test(tc, proxy_interfaces_are_receiving_addresses);
    tcase_add_test(tc, private_only_listener_is_unknown);
    tcase_add_test(tc, loopback_only_host_is_no_mx);
    tcase_add_test(tc, wildcard_with_several_addresses);
    tcase_add_test(tc, postscreen_teaser_is_judged);
    suite_add_tcase(s, tc);
    return s;
}
