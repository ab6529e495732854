/* test_audit_lookup_plan - the DNS questions the checks need: exactly those,
 * in at most two rounds, with the resolver canary (the root's NS) in the
 * first, and after answering them no check lacks an answer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/listener.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/lookup_plan.h"
#include "auditor/report_text.h"
#include "auditor/verdict_inbound.h"
#include "auditor/foundation/strbuf.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/suites.h"

#define V4 MODEL_FAMILY_BIT(MODEL_IPV4)
#define V6 MODEL_FAMILY_BIT(MODEL_IPV6)

/* A tiny authoritative view: "name TYPE value" lines. */
static const char *const zone[] = {
    "10.2.0.192.in-addr.arpa PTR mail.example.com",
    "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR mx6.example.net",
    "11.2.0.192.in-addr.arpa PTR other.example.org",
    "mail.example.com A 192.0.2.10",
    "mail.example.com AAAA 2001:db8::10",
    "mx6.example.net AAAA 2001:db8::10",
    "other.example.org A 192.0.2.11",
    ". NS a.root-servers.net",
    NULL,
};

/* answer - what the zone says for (name, type). */
static void answer(struct facts *facts, const char *name, enum facts_rrtype type)
{
    const char *found[8];
    size_t n = 0;
    bool exists = false;
    for (size_t i = 0; zone[i]; i++) {
        char zn[128], zt[8], zv[128];
        sscanf(zone[i], "%127s %7s %127s", zn, zt, zv);
        if (strcmp(zn, name) != 0)
            continue;
        exists = true;
        if (strcmp(zt, facts_rrtype_tostr(type)) == 0 && n < 8)
            found[n++] = strchr(strchr(zone[i], ' ') + 1, ' ') + 1;
    }
    facts_lookup_set(facts, name, type, n ? FACTS_OK : exists ? FACTS_NODATA : FACTS_NXDOMAIN, found, n, 1);
}

/* resolve - run the plan to completion; returns the rounds and appends
 * each round's questions to log as "TYPE name;". */
static int resolve(struct af *a, struct strbuf *log)
{
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    int rounds = 0;
    for (;;) {
        lookup_plan_next(&a->set, &a->facts, &plan);
        if (!plan.n)
            break;
        rounds++;
        ck_assert_int_le(rounds, 2);
        if (log && log->len)
            strbuf_adds(log, "| ");
        for (size_t i = 0; i < plan.n; i++) {
            if (log)
                strbuf_addf(log, "%s %s; ", facts_rrtype_tostr(plan.items[i].type), plan.items[i].name);
            answer(&a->facts, plan.items[i].name, plan.items[i].type);
        }
    }
    lookup_plan_free(&plan);
    return rounds;
}

static void assert_no_missing_answers(struct af *a)
{
    af_run(a);
    for (size_t i = 0; i < a->findings.n; i++)
        ck_assert_msg(!strstr(a->findings.items[i].message, "no answer was recorded"), "%s",
                      a->findings.items[i].message);
}

START_TEST(one_round_when_ptr_equals_ehlo)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "Mail.Example.com.", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    struct strbuf log = STRBUF_INIT;
    ck_assert_int_eq(resolve(&a, &log), 1);
    ck_assert_str_eq(log.buf, "PTR 10.2.0.192.in-addr.arpa; SOA 10.2.0.192.in-addr.arpa; A mail.example.com; "
                              "AAAA mail.example.com; NS .; ");
    assert_no_missing_answers(&a);
    ck_assert_uint_eq(a.findings.n, 0);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

START_TEST(second_round_for_other_ptr_names)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    af_exim(&a, "/etc/exim4/exim4.conf", "remote_smtp", "mail.example.com", V4);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_source(&a, 0, MODEL_IPV6, "2001:db8::10");
    af_source(&a, 1, MODEL_IPV4, "192.0.2.11");
    struct strbuf log = STRBUF_INIT;
    ck_assert_int_eq(resolve(&a, &log), 2);
    ck_assert_str_eq(log.buf, "PTR 10.2.0.192.in-addr.arpa; SOA 10.2.0.192.in-addr.arpa; "
                              "PTR 0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa; "
                              "SOA 0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa; "
                              "A mail.example.com; AAAA mail.example.com; PTR 11.2.0.192.in-addr.arpa; "
                              "SOA 11.2.0.192.in-addr.arpa; NS .; "
                              "| AAAA mx6.example.net; A other.example.org; ");
    assert_no_missing_answers(&a);
    char *s = af_summary(&a);
    ck_assert_str_eq(s, "helo-ptr-mismatch/warning/ipv6,helo-address-mismatch/warning/ipv4,"
                        "helo-ptr-mismatch/warning/ipv4");
    free(s);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

START_TEST(nothing_asked_for_unaudited_sources)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4 | V6, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "10.0.0.5");
    af_source(&a, 0, MODEL_IPV6, "2001:db8::99")->temporary = true;
    struct model_identity *ex = af_exim(&a, "/etc/exim4/exim4.conf", "remote_smtp", NULL, V4);
    ex->helo_dynamic = true;
    af_source(&a, 1, MODEL_IPV4, "192.0.2.10");
    struct model_identity *lit = af_postfix(&a, "/etc/postfix", "lit", "[192.0.2.10]", V4, MODEL_PREF_ANY);
    (void)lit;
    af_source(&a, 2, MODEL_IPV4, "192.0.2.10");
    struct strbuf log = STRBUF_INIT;
    ck_assert_int_eq(resolve(&a, &log), 1);
    /* The PTR of the audited public source, and the EHLO name of the NATed
     * identity (judged behind NAT too, which also answers the PTR name's A);
     * no PTR of the private or temporary sources, nothing for the dynamic
     * name or the literal. */
    ck_assert_str_eq(log.buf, "A mail.example.com; AAAA mail.example.com; PTR 10.2.0.192.in-addr.arpa; "
                              "SOA 10.2.0.192.in-addr.arpa; NS .; ");
    assert_no_missing_answers(&a);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

START_TEST(answered_questions_are_not_repeated)
{
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_ptr(&a, "192.0.2.10", FACTS_TIMEOUT, NULL);
    facts_lookup_set(&a.facts, "10.2.0.192.in-addr.arpa", FACTS_SOA, FACTS_TIMEOUT, NULL, 0, 1);
    af_fwd(&a, "mail.example.com", FACTS_A, FACTS_SERVFAIL, NULL);
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    lookup_plan_next(&a.set, &a.facts, &plan);
    ck_assert_uint_eq(plan.n, 2);
    ck_assert_str_eq(plan.items[0].name, "mail.example.com");
    ck_assert_int_eq(plan.items[0].type, FACTS_AAAA);
    ck_assert_str_eq(plan.items[1].name, FACTS_CANARY_NAME);
    ck_assert_int_eq(plan.items[1].type, FACTS_NS);
    /* The canary answered (whatever the status) is not asked again. */
    facts_lookup_set(&a.facts, FACTS_CANARY_NAME, FACTS_NS, FACTS_REFUSED, NULL, 0, 1);
    lookup_plan_next(&a.set, &a.facts, &plan);
    ck_assert_uint_eq(plan.n, 1);
    ck_assert_int_eq(plan.items[0].type, FACTS_AAAA);
    lookup_plan_free(&plan);
    af_free(&a);
}
END_TEST

START_TEST(canary_never_asked_alone)
{
    /* Nothing to look up (no route, so no source to audit): no round at
     * all, so no canary either. */
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, NULL);
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    lookup_plan_next(&a.set, &a.facts, &plan);
    ck_assert_uint_eq(plan.n, 0);
    lookup_plan_free(&plan);
    af_free(&a);
}
END_TEST

/* --authoritative: two rounds more than the default audit (the servers'
 * addresses, then the servers), and their answer's name needs no round of
 * its own when it is the EHLO name. */
START_TEST(authoritative_adds_two_rounds)
{
    struct af a;
    af_init(&a);
    a.facts.authoritative = true;
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    struct strbuf log = STRBUF_INIT;
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    int rounds = 0;
    for (; rounds < 8; rounds++) {
        lookup_plan_next(&a.set, &a.facts, &plan);
        if (!plan.n)
            break;
        strbuf_adds(&log, rounds ? "| " : "");
        for (size_t i = 0; i < plan.n; i++) {
            const struct lookup_question *q = &plan.items[i];
            strbuf_addf(&log, "%s %s%s%s; ", facts_rrtype_tostr(q->type), q->name, q->server ? " @" : "",
                        q->server ? q->server : "");
            const char *v = NULL;
            enum facts_status st = FACTS_NODATA;
            if (q->server) {
                v = "mail.example.com";
                st = FACTS_OK;
                facts_lookup_set_direct(&a.facts, q->name, q->type, q->server, st, &v, 1, 1);
                continue;
            }
            if (q->type == FACTS_PTR || q->type == FACTS_SOA)
                st = FACTS_NXDOMAIN;
            else if (q->type == FACTS_NS)
                v = strcmp(q->name, ".") == 0 ? "a.root-servers.net" : "ns1.example.net";
            else if (q->type == FACTS_A)
                v = strcmp(q->name, "ns1.example.net") == 0 ? "198.51.100.53" : "192.0.2.10";
            struct facts_lookup *l = facts_lookup_set(&a.facts, q->name, q->type, v ? FACTS_OK : st, &v, v ? 1 : 0, 1);
            if (q->type == FACTS_SOA) {
                l->zone = xstrdup("2.0.192.in-addr.arpa");
                l->mname = xstrdup("ns1.example.net");
                l->rname = xstrdup("hostmaster.example.net");
            }
        }
    }
    lookup_plan_free(&plan);
    ck_assert_str_eq(log.buf, "PTR 10.2.0.192.in-addr.arpa; SOA 10.2.0.192.in-addr.arpa; A mail.example.com; "
                              "AAAA mail.example.com; NS .; | NS 2.0.192.in-addr.arpa; "
                              "| A ns1.example.net; AAAA ns1.example.net; "
                              "| PTR 10.2.0.192.in-addr.arpa @198.51.100.53:53; ");
    ck_assert_int_eq(rounds, 4);
    af_run(&a);
    /* The servers' answer wins: the PTR is live, the resolver's NXDOMAIN is old. */
    char *sum = af_summary(&a);
    ck_assert_str_eq(sum, "ptr-propagating/info/ipv4");
    free(sum);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

/* af_listener - a Postfix smtp/inet MX listener on every IPv4 address of
 * the host, whose public addresses are those given (NULL-terminated). */
static void af_listener(struct af *a, const char *const *public)
{
    a->facts.inbound = xcalloc(1, sizeof(*a->facts.inbound));
    struct listener *l = listener_add(a->facts.inbound, MODEL_POSTFIX);
    l->id = xstrdup("postfix:/etc/postfix:smtp/inet");
    l->config = xstrdup("/etc/postfix");
    l->service = xstrdup("smtp");
    l->command = xstrdup("smtpd");
    l->port = 25;
    l->mx = true;
    l->families = l->all_families = V4;
    l->banner.present = true;
    listener_banner_set_text(&l->banner, "mail.example.com ESMTP Postfix");
    for (size_t i = 0; public[i]; i++)
        strlist_add(&a->facts.local_public, public[i]);
}

/* resolve_zoned - run the plan to completion against a reverse zone
 * 2.0.192.in-addr.arpa served by ns1.example.net (198.51.100.53): .10 has
 * the PTR mail.example.com (which resolves back), .11 none, and every
 * authoritative server already serves mail.example.com for both. Returns
 * the rounds; log gets each round's questions as "TYPE name[ @server];". */
static int resolve_zoned(struct af *a, struct strbuf *log)
{
    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    int rounds = 0;
    for (; rounds < 8; rounds++) {
        lookup_plan_next(&a->set, &a->facts, &plan);
        if (!plan.n)
            break;
        strbuf_adds(log, rounds ? "| " : "");
        for (size_t i = 0; i < plan.n; i++) {
            const struct lookup_question *q = &plan.items[i];
            strbuf_addf(log, "%s %s%s%s; ", facts_rrtype_tostr(q->type), q->name, q->server ? " @" : "",
                        q->server ? q->server : "");
            const char *v = NULL;
            if (q->server) {
                v = "mail.example.com";
                facts_lookup_set_direct(&a->facts, q->name, q->type, q->server, FACTS_OK, &v, 1, 1);
                continue;
            }
            enum facts_status st = FACTS_NODATA;
            if (q->type == FACTS_PTR && strcmp(q->name, "10.2.0.192.in-addr.arpa") == 0)
                v = "mail.example.com";
            else if (q->type == FACTS_PTR || q->type == FACTS_SOA)
                st = FACTS_NXDOMAIN;
            else if (q->type == FACTS_NS)
                v = strcmp(q->name, ".") == 0 ? "a.root-servers.net" : "ns1.example.net";
            else if (q->type == FACTS_A)
                v = strcmp(q->name, "ns1.example.net") == 0 ? "198.51.100.53" : "192.0.2.10";
            struct facts_lookup *l = facts_lookup_set(&a->facts, q->name, q->type, v ? FACTS_OK : st, &v, v ? 1 : 0, 1);
            if (q->type == FACTS_SOA) {
                l->zone = xstrdup("2.0.192.in-addr.arpa");
                l->mname = xstrdup("ns1.example.net");
                l->rname = xstrdup("hostmaster.example.net");
            }
        }
    }
    lookup_plan_free(&plan);
    return rounds;
}

/* A listening address that is no source: its SOA rides in the first
 * round with its PTR, the zone's NS in the second (with the forward
 * confirmation): still two rounds, and the zone is known afterwards. */
START_TEST(listening_address_soa_in_first_round)
{
    static const char *const pub[] = { "192.0.2.10", "192.0.2.11", NULL };
    struct af a;
    af_init(&a);
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_listener(&a, pub);
    struct strbuf log = STRBUF_INIT;
    ck_assert_int_eq(resolve_zoned(&a, &log), 2);
    ck_assert_str_eq(log.buf, "PTR 10.2.0.192.in-addr.arpa; SOA 10.2.0.192.in-addr.arpa; A mail.example.com; "
                              "AAAA mail.example.com; PTR 11.2.0.192.in-addr.arpa; SOA 11.2.0.192.in-addr.arpa; "
                              "NS .; | NS 2.0.192.in-addr.arpa; ");
    af_run(&a);
    const struct verdict_listener *vl = &a.verdicts.inbound->listeners[0];
    ck_assert_uint_eq(vl->naddrs, 2);
    ck_assert_str_eq(vl->addrs[1].address, "192.0.2.11");
    ck_assert_str_eq(vl->addrs[1].rev.zone, "2.0.192.in-addr.arpa");
    ck_assert_str_eq(vl->addrs[1].rev.mname, "ns1.example.net");
    ck_assert_ptr_nonnull(vl->addrs[1].rev.ns_lookup);
    ck_assert_int_eq(vl->addrs[1].ptr, VERDICT_PTR_MISSING);
    /* The text shows the zone under the source and under each listening
     * address, as the same line. */
    char *text = report_text(&a.set, &a.verdicts, &a.findings, false);
    const char *in = strstr(text, "\ninbound");
    ck_assert_msg(in, "%s", text);
    const char *zl = "zone 2.0.192.in-addr.arpa (SOA ns1.example.net, hostmaster@example.net)";
    ck_assert_msg(strstr(text, zl) && strstr(text, zl) < in, "%s", text);
    const char *first = strstr(in, zl);
    ck_assert_msg(first && strstr(first + 1, zl), "%s", text);
    free(text);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

/* With --authoritative a listening address gets the same server questions
 * as a source, asked once when it is both; the servers' answer wins for
 * the inbound verdict too, and the listener gets its own ptr-propagating. */
START_TEST(listening_address_authoritative)
{
    static const char *const pub[] = { "192.0.2.10", "192.0.2.11", NULL };
    struct af a;
    af_init(&a);
    a.facts.authoritative = true;
    af_postfix(&a, "/etc/postfix", "smtp", "mail.example.com", V4, MODEL_PREF_ANY);
    af_source(&a, 0, MODEL_IPV4, "192.0.2.10");
    af_listener(&a, pub);
    struct strbuf log = STRBUF_INIT;
    ck_assert_int_eq(resolve_zoned(&a, &log), 4);
    ck_assert_str_eq(log.buf, "PTR 10.2.0.192.in-addr.arpa; SOA 10.2.0.192.in-addr.arpa; A mail.example.com; "
                              "AAAA mail.example.com; PTR 11.2.0.192.in-addr.arpa; SOA 11.2.0.192.in-addr.arpa; "
                              "NS .; | NS 2.0.192.in-addr.arpa; "
                              "| A ns1.example.net; AAAA ns1.example.net; "
                              "| PTR 10.2.0.192.in-addr.arpa @198.51.100.53:53; "
                              "PTR 11.2.0.192.in-addr.arpa @198.51.100.53:53; ");
    af_run(&a);
    const struct verdict_inbound_addr *va = &a.verdicts.inbound->listeners[0].addrs[1];
    ck_assert_int_eq(va->rev.auth, VERDICT_AUTH_AGREE);
    ck_assert(va->rev.ptr_from_auth);
    ck_assert(va->rev.propagating);
    ck_assert_int_eq(va->ptr, VERDICT_PTR_PRESENT);
    ck_assert_uint_eq(va->nnames, 1);
    ck_assert_str_eq(va->names[0], "mail.example.com");
    size_t props = 0;
    for (size_t i = 0; i < a.findings.n; i++) {
        const struct finding *f = &a.findings.items[i];
        if (f->id != FINDING_PTR_PROPAGATING)
            continue;
        props++;
        ck_assert_str_eq(f->identity, "postfix:/etc/postfix:smtp/inet");
        ck_assert_str_eq(f->address, "192.0.2.11");
        ck_assert_int_eq(f->family, MODEL_IPV4);
        ck_assert_msg(strstr(f->message, "already serve the PTR mail.example.com for 192.0.2.11"), "%s", f->message);
    }
    ck_assert_uint_eq(props, 1);
    strbuf_release(&log);
    af_free(&a);
}
END_TEST

Suite *audit_lookup_plan_suite(void)
{
    Suite *s = suite_create("audit_lookup_plan");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, one_round_when_ptr_equals_ehlo);
    tcase_add_test(tc, authoritative_adds_two_rounds);
    tcase_add_test(tc, second_round_for_other_ptr_names);
    tcase_add_test(tc, nothing_asked_for_unaudited_sources);
    tcase_add_test(tc, answered_questions_are_not_repeated);
    tcase_add_test(tc, canary_never_asked_alone);
    tcase_add_test(tc, listening_address_soa_in_first_round);
    tcase_add_test(tc, listening_address_authoritative);
    suite_add_tcase(s, tc);
    return s;
}
