/* test_audit_hostile_dns - the whole program against resolvers that lie,
 * refer, reflect, refuse or serve a PTR that holds an invalid name (the
 * suite's own DNS server, tests/tools/fake_dns), and failover between two:
 * the findings receivers would act on must never rest on such an answer. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "tests/support/fake_dns.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

/* The demo host's configuration, audited as a planned identity so that no
 * namespace is needed: the source is given, the DNS is the fake server's. */
#define AUDIT_ARGS "audit --postfix-dir samples/demo/postfix --no-exim --system-hostname mail " \
                   "--source-ip 192.0.2.10 --family ipv4 --helo mail.example.test --timeout 3 --format json"

struct outcome {
    int rc;
    struct json_object *root;
    char *out, *err;
};

static void audit_with(struct outcome *o, const char *servers)
{
    char *cmd = xasprintf("'%s' " AUDIT_ARGS " %s", ts_bin(), servers);
    o->rc = ts_run(cmd, &o->out, &o->err);
    free(cmd);
    o->root = json_tokener_parse(o->out);
    ck_assert_msg(o->root != NULL, "no JSON (exit %d): %s %s", o->rc, o->out, o->err);
}

static void outcome_free(struct outcome *o)
{
    json_object_put(o->root);
    free(o->out);
    free(o->err);
}

/* finding_message - the message of the first finding with this id, or NULL. */
static const char *finding_message(const struct outcome *o, const char *id)
{
    struct json_object *list, *v;
    ck_assert(json_object_object_get_ex(o->root, "findings", &list));
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        struct json_object *f = json_object_array_get_idx(list, i);
        if (json_object_object_get_ex(f, "id", &v) && strcmp(json_object_get_string(v), id) == 0) {
            json_object_object_get_ex(f, "message", &v);
            return json_object_get_string(v);
        }
    }
    return NULL;
}

static void start(struct fake_dns *f, const char *mode)
{
    ck_assert_msg(fake_dns_start(f, mode, NULL, 0) == 0, "%s", f->error);
}

START_TEST(resolver_that_answers_nxdomain_for_everything)
{
    struct fake_dns f;
    start(&f, "nxdomain");
    char *servers = xasprintf("--dns-server %s", f.server);
    struct outcome o;
    audit_with(&o, servers);
    fake_dns_stop(&f);
    /* Unknown, never a confident critical with fixes. */
    ck_assert_int_eq(o.rc, 3);
    ck_assert_ptr_nonnull(finding_message(&o, "resolver-broken"));
    ck_assert_ptr_nonnull(strstr(finding_message(&o, "resolver-broken"), f.server));
    ck_assert_ptr_nonnull(finding_message(&o, "dns-failure"));
    ck_assert_ptr_null(finding_message(&o, "ptr-missing"));
    ck_assert_ptr_null(finding_message(&o, "helo-unresolvable"));
    outcome_free(&o);
    free(servers);
}
END_TEST

START_TEST(referral_and_reflection_are_failures_not_missing_records)
{
    static const char *const modes[] = { "refer", "reflect" };
    static const char *const says[] = { "referral from", "QR bit clear" };
    for (size_t i = 0; i < 2; i++) {
        struct fake_dns f;
        start(&f, modes[i]);
        char *servers = xasprintf("--dns-server %s", f.server);
        struct outcome o;
        audit_with(&o, servers);
        fake_dns_stop(&f);
        ck_assert_msg(o.rc == 3, "%s: exit %d", modes[i], o.rc);
        ck_assert_ptr_null(finding_message(&o, "ptr-missing"));
        ck_assert_ptr_null(finding_message(&o, "resolver-broken"));
        const char *m = finding_message(&o, "dns-failure");
        ck_assert_msg(m && strstr(m, says[i]) && strstr(m, f.server), "%s: %s", modes[i], m ? m : "(none)");
        outcome_free(&o);
        free(servers);
    }
}
END_TEST

START_TEST(refusing_server_is_not_a_broken_resolver)
{
    struct fake_dns f;
    start(&f, "refuse");
    char *servers = xasprintf("--dns-server %s", f.server);
    struct outcome o;
    audit_with(&o, servers);
    fake_dns_stop(&f);
    ck_assert_int_eq(o.rc, 3);
    ck_assert_ptr_null(finding_message(&o, "resolver-broken"));
    const char *m = finding_message(&o, "dns-failure");
    ck_assert_msg(m && strstr(m, "was refused (REFUSED from"), "%s", m ? m : "(none)");
    outcome_free(&o);
    free(servers);
}
END_TEST

START_TEST(ptr_that_holds_an_invalid_name)
{
    struct fake_dns f;
    start(&f, "badptr-only");
    char *servers = xasprintf("--dns-server %s", f.server);
    struct outcome o;
    audit_with(&o, servers);
    fake_dns_stop(&f);
    ck_assert_int_eq(o.rc, 2);
    const char *m = finding_message(&o, "ptr-missing");
    ck_assert_msg(m && strstr(m, "holds an invalid host name"), "%s", m ? m : "(none)");
    ck_assert_ptr_null(strstr(o.out, "run the audit again"));
    outcome_free(&o);
    free(servers);
}
END_TEST

START_TEST(failover_from_a_refusing_to_an_answering_resolver)
{
    struct fake_dns bad, good;
    start(&bad, "refuse");
    start(&good, "answer");
    char *servers = xasprintf("--dns-server %s --dns-server %s", bad.server, good.server);
    struct outcome o;
    audit_with(&o, servers);
    fake_dns_stop(&bad);
    fake_dns_stop(&good);
    ck_assert_ptr_null(finding_message(&o, "dns-failure"));
    struct json_object *lookups, *v;
    ck_assert(json_object_object_get_ex(o.root, "lookups", &lookups));
    for (size_t i = 0; i < json_object_array_length(lookups); i++) {
        struct json_object *l = json_object_array_get_idx(lookups, i);
        ck_assert(json_object_object_get_ex(l, "status", &v));
        /* the answering server has no MX for the demo's domain: nodata */
        const char *status = json_object_get_string(v);
        ck_assert_msg(strcmp(status, "ok") == 0 || strcmp(status, "nodata") == 0, "%s", json_object_to_json_string(l));
        ck_assert(json_object_object_get_ex(l, "server", &v));
        ck_assert_str_eq(json_object_get_string(v), good.server);
    }
    /* Both resolvers, in the order asked. */
    struct json_object *run, *resolvers;
    ck_assert(json_object_object_get_ex(o.root, "run", &run));
    ck_assert(json_object_object_get_ex(run, "resolvers", &resolvers));
    ck_assert_uint_eq(json_object_array_length(resolvers), 2);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(resolvers, 0)), bad.server);
    outcome_free(&o);
    free(servers);
}
END_TEST

Suite *audit_hostile_dns_suite(void)
{
    Suite *s = suite_create("audit_hostile_dns");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, resolver_that_answers_nxdomain_for_everything);
    tcase_add_test(tc, referral_and_reflection_are_failures_not_missing_records);
    tcase_add_test(tc, refusing_server_is_not_a_broken_resolver);
    tcase_add_test(tc, ptr_that_holds_an_invalid_name);
    tcase_add_test(tc, failover_from_a_refusing_to_an_answering_resolver);
    suite_add_tcase(s, tc);
    return s;
}
