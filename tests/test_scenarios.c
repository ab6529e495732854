/* test_scenarios - the audit end to end with real components: for each
 * mail host of samples/scenarios/, a network namespace with its addresses
 * and routes, nsd serving its zones, and the built program run inside with
 * --format json on its real Postfix/Exim configuration. Each case asserts
 * the exact set of findings (severity, id, MTA:transport, family) and the
 * exit status.
 *
 * The closed loop: for a failing scenario, every fix the JSON printed is
 * applied to a copy (postconf commands run with the real postconf as
 * printed, -c pointing at the copy; provider PTRs replace the PTR, forward
 * records are added to the zones and nsd restarted; Exim lines go into the
 * named file; sysctl commands run in the namespace), and the audit run again
 * must pass. No file under samples/ may change in any case.
 *
 * Needs root (namespaces); skipped with a message otherwise. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/strbuf.h"
#include "auditor/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/scenario.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define MAXF 16

enum loop { NO_LOOP, LOOP };

struct sc_case {
    const char *name;        /* samples/scenarios/NAME */
    const char *args;        /* extra audit arguments */
    int rc;                  /* expected exit status */
    const char *expect[MAXF]; /* "SEVERITY ID MTA:TRANSPORT FAMILY" */
    enum loop loop;          /* applying the printed fixes must make it pass */
    const char *json_has[4]; /* substrings the JSON must contain */
    long long max_ms;        /* bound on the run's wall time, or 0 */
};

static const struct sc_case cases[] = {
    /* Both families forward-confirmed, EHLO = PTR: nothing to report. */
    { "all-good", "", 0, { NULL }, NO_LOOP, { "\"status\":\"ok\"" }, 0 },
    { "vps-default-ptr", "", 1, { "warning ptr-generic postfix:smtp/unix ipv4", "warning ptr-generic postfix:relay/unix ipv4", "warning helo-ptr-mismatch postfix:smtp/unix ipv4", "warning helo-ptr-mismatch postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
    { "migration-stale-ptr", "", 2, { "critical ptr-missing postfix:smtp/unix ipv4", "critical ptr-missing postfix:relay/unix ipv4", "warning helo-address-mismatch postfix:smtp/unix ipv4", "warning helo-address-mismatch postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
    { "shared-relay", "", 1, { "warning helo-ptr-mismatch postfix:out-b/unix ipv4" }, LOOP, { NULL }, 0 },
    { "ipv6-no-ptr", "", 2, { "critical ipv6-without-ptr postfix:smtp/unix ipv6", "critical ipv6-without-ptr postfix:relay/unix ipv6" }, LOOP, { NULL }, 0 },
    { "helo-unresolvable", "", 2, { "critical helo-unresolvable postfix:smtp/unix -", "critical helo-unresolvable postfix:relay/unix -", "warning helo-ptr-mismatch postfix:smtp/unix ipv4", "warning helo-ptr-mismatch postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
    { "several-ptrs", "", 1, { "warning ptr-multiple postfix:smtp/unix ipv4", "warning ptr-multiple postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
    { "bind-not-local", "", 2, { "critical bind-not-local postfix:smtp/unix ipv4", "critical bind-not-local postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
    { "ipv6-temporary", "", 2, { "critical source-temporary postfix:smtp/unix ipv6", "critical source-temporary postfix:relay/unix ipv6" }, LOOP, { NULL }, 0 },
    { "nat-private", "", 3, { "unknown source-not-public postfix:smtp/unix ipv4", "unknown source-not-public postfix:relay/unix ipv4" }, NO_LOOP, { NULL }, 0 },
    { "nat-private", "--source-ip 203.0.113.25", 0, { NULL }, NO_LOOP, { NULL }, 0 },
    { "smarthost", "", 0, { "info ptr-missing postfix:smtp/unix ipv4", "info ptr-missing postfix:relay/unix ipv4", "info relay-host postfix:smtp/unix -", "info relay-host postfix:relay/unix -" }, NO_LOOP, { NULL }, 0 },
    { "dns-timeout", "--timeout 2", 3,
      { "unknown dns-failure postfix:smtp/unix ipv4", "unknown dns-failure postfix:smtp/unix -",
        "unknown dns-failure postfix:smtp/unix -", "unknown dns-failure postfix:relay/unix ipv4",
        "unknown dns-failure postfix:relay/unix -", "unknown dns-failure postfix:relay/unix -" }, NO_LOOP, { NULL }, 3000 },
    { "dns-servfail", "", 3, { "unknown dns-failure postfix:smtp/unix ipv4", "unknown dns-failure postfix:relay/unix ipv4" }, NO_LOOP, { NULL }, 0 },
    { "planned-migration", "--source-ip 198.51.100.20 --helo mail2.example.com", 2, { "critical ptr-missing postfix:smtp/unix ipv4", "critical ptr-missing postfix:relay/unix ipv4" }, LOOP, { NULL }, 0 },
};

#define NCASES (int)(sizeof(cases) / sizeof(cases[0]))

static char *ns;

static void ns_setup(void)
{
    ns = netns_name("sc");
}

static void ns_teardown(void)
{
    netns_del(ns);
    free(ns);
}

static int sc_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The expected findings, sorted and joined like scenario_findings_str. */
static char *expected_str(const struct sc_case *c)
{
    const char *v[MAXF];
    size_t n = 0;
    while (n < MAXF && c->expect[n])
        v[n] = c->expect[n], n++;
    qsort(v, n, sizeof(v[0]), sc_cmp);
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    for (size_t i = 0; i < n; i++)
        strbuf_addf(&sb, "%s%s", i ? "; " : "", v[i]);
    return strbuf_detach(&sb);
}

/* Only info findings left (or none). */
static bool only_info(const struct scenario_run *r)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (strncmp(r->findings.items[i], "info ", 5) != 0)
            return false;
    return true;
}

static void print_fail(const char *what, const struct sc_case *c, const struct scenario_run *r)
{
    fprintf(stderr, "scenario %s (%s): %s\n--- stdout\n%s\n--- stderr\n%s\n", c->name, c->args, what,
            r->out ? r->out : "", r->err ? r->err : "");
}

START_TEST(scenario_case)
{
    if (!ts_is_root()) {
        printf("test_scenarios: skipped (needs root for network namespaces)\n");
        return;
    }
    const struct sc_case *c = &cases[_i];
    char *before = scenario_tree_digest("samples");
    struct scenario s;
    struct scenario_run r, r2;
    memset(&r2, 0, sizeof(r2));
    int started = scenario_start(&s, c->name, ns);
    if (started != 0) {
        char msg[sizeof(s.error)];
        snprintf(msg, sizeof(msg), "%s", s.error);
        scenario_stop(&s);
        ck_abort_msg("scenario %s: %s", c->name, msg);
    }
    int ran = scenario_audit(&s, c->args, &r);
    char *got = scenario_findings_str(&r);
    char *want = expected_str(c);
    if (ran != 0 || r.rc != c->rc || strcmp(got, want) != 0)
        print_fail("unexpected result", c, &r);
    ck_assert_msg(ran == 0, "scenario %s: %s", c->name, s.error);
    ck_assert_msg(strcmp(got, want) == 0, "scenario %s: findings\n  got:  %s\n  want: %s", c->name, got, want);
    ck_assert_msg(r.rc == c->rc, "scenario %s: exit status %d, want %d", c->name, r.rc, c->rc);
    for (int i = 0; i < 4 && c->json_has[i]; i++)
        ck_assert_msg(strstr(r.out, c->json_has[i]), "scenario %s: the JSON lacks '%s'", c->name, c->json_has[i]);
    if (c->max_ms)
        ck_assert_msg(r.ms <= c->max_ms, "scenario %s: the run took %lld ms, limit %lld", c->name, r.ms, c->max_ms);

    if (c->loop == LOOP) {
        ck_assert_msg(c->rc != 0, "scenario %s: a closed loop needs a failing scenario", c->name);
        struct strlist applied = STRLIST_INIT;
        int copied = scenario_copy(&s);
        ck_assert_msg(copied == 0, "scenario %s: %s", c->name, s.error);
        int n = scenario_apply_fixes(&s, &r, &applied);
        ck_assert_msg(n > 0, "scenario %s: no fix applied: %s", c->name, n < 0 ? s.error : "none printed");
        int ran2 = scenario_audit(&s, c->args, &r2);
        ck_assert_msg(ran2 == 0, "scenario %s (after fixes): %s", c->name, s.error);
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < applied.n; i++)
            strbuf_addf(&sb, "\n    %s", applied.items[i]);
        if (getenv("MP_SCENARIO_VERBOSE"))
            fprintf(stderr, "scenario %s (%s): applied%s\n", c->name, c->args, sb.buf);
        char *left = scenario_findings_str(&r2);
        if (r2.rc != 0 || !only_info(&r2))
            print_fail("closed loop did not pass", c, &r2);
        ck_assert_msg(r2.rc == 0 && only_info(&r2),
                      "scenario %s: after applying the printed fixes:%s\n  the audit still exits %d with: %s",
                      c->name, sb.buf, r2.rc, left);
        free(left);
        strbuf_release(&sb);
        strlist_free(&applied);
    }
    scenario_run_free(&r2);
    scenario_run_free(&r);
    scenario_stop(&s);
    char *after = scenario_tree_digest("samples");
    ck_assert_msg(strcmp(before, after) == 0, "scenario %s: a file under samples/ changed", c->name);
    free(before);
    free(after);
    free(got);
    free(want);
}
END_TEST

Suite *scenarios_suite(void)
{
    Suite *s = suite_create("scenarios");
    TCase *tc = tcase_create("scenarios");
    tcase_add_unchecked_fixture(tc, ns_setup, ns_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, scenario_case, 0, NCASES);
    suite_add_tcase(s, tc);
    return s;
}
