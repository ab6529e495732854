/* test_audit_closed_loop - the fixes make the audit pass, over every
 * combination of MTA, families, EHLO name, PTR state, forward confirmation
 * and EHLO resolution: apply the printed fixes once (records to the DNS
 * facts, postconf and Exim lines to the model), audit again, and nothing
 * above info remains. The only exception allowed is an identity whose EHLO
 * name is unusable and that has no good PTR name to switch to: the tool
 * cannot invent a host name, and says so in a note. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/check.h"
#include "auditor/foundation/hostname.h"
#include "tests/support/audit_fixture.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define V4 MODEL_FAMILY_BIT(MODEL_IPV4)
#define V6 MODEL_FAMILY_BIT(MODEL_IPV6)

static const char *const helos[] = { "mail.example.com", "host.example.org", "localhost", "mail", "[192.0.2.10]" };
static const char *const addrs[] = { "192.0.2.10", "2001:db8::10" };
enum { PTR_NONE, PTR_HELO, PTR_OTHER, PTR_GENERIC, PTR_TWO, PTR_N };
enum { FWD_SELF, FWD_ELSEWHERE, FWD_NONE, FWD_N };

static void add_addr(struct af *a, const char *name, enum facts_rrtype t, const char *addr)
{
    const struct facts_lookup *l = facts_lookup_find(&a->facts, name, t);
    char *items[8];
    size_t n = 0;
    if (l && l->status == FACTS_OK)
        for (size_t i = 0; i < l->answers.n && n < 7; i++)
            items[n++] = strdup(l->answers.items[i]);
    items[n++] = strdup(addr);
    facts_lookup_set(&a->facts, name, t, FACTS_OK, (const char *const *)items, n, 1);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
}

/* ensure - every name the checks may ask about has some answer. */
static void ensure(struct af *a, const char *name, enum facts_rrtype t)
{
    if (hostname_valid(name) && !facts_lookup_find(&a->facts, name, t))
        facts_lookup_set(&a->facts, name, t, FACTS_NXDOMAIN, NULL, 0, 1);
}

static void build(struct af *a, int mta, unsigned fams, const char *helo, const int ptr[2], const int confirm[2], int fwd)
{
    af_init(a);
    if (mta == 0)
        af_postfix(a, "/etc/postfix", "smtp", helo, fams, MODEL_PREF_ANY);
    else
        af_exim(a, "/etc/exim4/exim4.conf", "remote_smtp", helo, fams);
    if (mta == 2)
        a->facts.exim_debian_dir = strdup("/etc/exim4");
    /* The EHLO name's own records. */
    for (int f = 0; f < 2; f++) {
        enum facts_rrtype t = f ? FACTS_AAAA : FACTS_A;
        if (fwd == FWD_SELF)
            add_addr(a, helo, t, addrs[f]);
        else if (fwd == FWD_ELSEWHERE)
            add_addr(a, helo, t, f ? "2001:db8::99" : "198.51.100.99");
    }
    for (int f = 0; f < 2; f++) {
        if (!(fams & MODEL_FAMILY_BIT(f)))
            continue;
        af_source(a, 0, (enum model_family)f, addrs[f]);
        enum facts_rrtype t = f ? FACTS_AAAA : FACTS_A;
        const char *names[2] = { NULL, NULL };
        switch (ptr[f]) {
        case PTR_HELO:
            names[0] = helo;
            break;
        case PTR_OTHER:
            names[0] = "mx.example.net";
            break;
        case PTR_GENERIC:
            names[0] = f ? "2001-db8--10.dyn.provider.example" : "192-0-2-10.dyn.provider.example";
            break;
        case PTR_TWO:
            names[0] = "mx.example.net";
            names[1] = "www.example.net";
            break;
        default:
            break;
        }
        if (!names[0]) {
            af_ptr(a, addrs[f], FACTS_NXDOMAIN, NULL);
            continue;
        }
        af_ptr(a, addrs[f], FACTS_OK, names[0], names[1], NULL);
        for (int k = 0; k < 2 && names[k]; k++)
            if (confirm[f])
                add_addr(a, names[k], t, addrs[f]);
    }
    /* Everything else the checks could ask does not exist. */
    /* ensure() may move the lookup array: index it afresh each time. */
    for (size_t i = 0; i < a->facts.nlookups; i++) {
        if (a->facts.lookups[i].type != FACTS_PTR || a->facts.lookups[i].status != FACTS_OK)
            continue;
        for (size_t k = 0; k < a->facts.lookups[i].answers.n; k++) {
            char *name = strdup(a->facts.lookups[i].answers.items[k]);
            ensure(a, name, FACTS_A);
            ensure(a, name, FACTS_AAAA);
            free(name);
        }
    }
    ensure(a, helo, FACTS_A);
    ensure(a, helo, FACTS_AAAA);
}

static bool has_note(const struct finding_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (size_t k = 0; k < l->items[i].fixes.n; k++)
            if (l->items[i].fixes.items[k].kind == FIX_NOTE)
                return true;
    return false;
}

START_TEST(fixes_make_every_combination_pass)
{
    static const unsigned famsets[] = { V4, V6, V4 | V6 };
    size_t cases = 0, fixed = 0, unfixable = 0, step = ts_under_valgrind() ? 29 : 1, k = 0;
    for (int mta = 0; mta < 3; mta++)
        for (size_t fs = 0; fs < 3; fs++)
            for (size_t h = 0; h < sizeof(helos) / sizeof(helos[0]); h++)
                for (int p4 = 0; p4 < PTR_N; p4++)
                    for (int p6 = 0; p6 < PTR_N; p6++)
                        for (int c = 0; c < 4; c++)
                            for (int fwd = 0; fwd < FWD_N; fwd++) {
                                if (k++ % step)
                                    continue;
                                int ptr[2] = { p4, p6 }, confirm[2] = { c & 1, c >> 1 };
                                struct af a;
                                build(&a, mta, famsets[fs], helos[h], ptr, confirm, fwd);
                                af_run(&a);
                                cases++;
                                if (finding_status_of(&a.findings) == FINDING_STATUS_OK) {
                                    af_free(&a);
                                    continue;
                                }
                                char *before = af_summary(&a);
                                bool note = has_note(&a.findings);
                                af_apply_fixes(&a);
                                af_run(&a);
                                char *after = af_summary(&a);
                                if (finding_status_of(&a.findings) == FINDING_STATUS_OK) {
                                    fixed++;
                                } else {
                                    /* Only an unusable EHLO name without a good PTR name to
                                     * switch to may remain, and a note said what to do. */
                                    bool helo_unusable = !hostname_is_fqdn(helos[h]) || hostname_is_local(helos[h]);
                                    ck_assert_msg(helo_unusable && note,
                                                  "mta %d fams %u helo %s ptr %d/%d confirm %d fwd %d:\n"
                                                  "  before: %s\n  after:  %s",
                                                  mta, famsets[fs], helos[h], p4, p6, c, fwd, before, after);
                                    unfixable++;
                                }
                                free(before);
                                free(after);
                                af_free(&a);
                            }
    printf("closed loop: %zu combinations, %zu fixed by their printed fixes, %zu needing a host name\n", cases,
           fixed, unfixable);
    ck_assert_int_gt(fixed, 100);
}
END_TEST

Suite *audit_closed_loop_suite(void)
{
    Suite *s = suite_create("audit_closed_loop");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, fixes_make_every_combination_pass);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}
