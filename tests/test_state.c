/* test_state - drift mode's memory (auditor/state.c) on hand-built finding
 * lists across runs: damping with --confirm 1, 2 and 3 (a finding is new
 * once after N runs in a row and resolved once after N missed runs, never
 * twice), flapping, unknown verdicts that hold a key, messages that change,
 * the pending list and the damped status; then the file: a save/open round
 * trip, corrupt files moved aside, pruning, the lock and an unwritable
 * directory. */
#include <check.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditor/finding.h"
#include "auditor/state.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "probes/dns.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define SMTP "postfix:/etc/postfix:smtp/unix"
#define RELAY "postfix:/etc/postfix:relay/unix"

/* One run's findings, built by hand. */
static void add(struct finding_list *l, enum finding_id id, const char *identity, int family, const char *address,
                const char *message)
{
    finding_add(l, id, identity, family, address, "mail.example.com", message ? message : "a message");
}

static void ptr_missing(struct finding_list *l)
{
    add(l, FINDING_PTR_MISSING, SMTP, 0, "192.0.2.10", "192.0.2.10 has no PTR");
}

/* A state with no file behind it (state_update needs none). */
static void fresh(struct state *st, bool first_run)
{
    memset(st, 0, sizeof(*st));
    st->lock_fd = -1;
    st->path = xstrdup("/nonexistent/state.json");
    st->first_run = first_run;
}

/* What a change list holds: "id family address" joined with ", ". */
static char *ids(const struct finding_list *l)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    for (size_t i = 0; i < l->n; i++)
        strbuf_addf(&sb, "%s%s %d %s", i ? ", " : "", finding_id_tostr(l->items[i].id), l->items[i].family,
                    l->items[i].address ? l->items[i].address : "-");
    return strbuf_detach(&sb);
}

/* One run: state_update at time now, its changes as
 * "new [..] resolved [..] pending [..] status S". */
static char *step(struct state *st, const struct finding_list *findings, unsigned confirm, long long now)
{
    struct state_changes ch = STATE_CHANGES_INIT;
    state_update(st, findings, confirm, now, &ch);
    char *a = ids(&ch.added), *r = ids(&ch.resolved), *p = ids(&ch.pending);
    char *out = xasprintf("new [%s] resolved [%s] pending [%s] status %s", a, r, p, finding_status_tostr(ch.status));
    free(a);
    free(r);
    free(p);
    state_changes_free(&ch);
    return out;
}

#define STEP(st, list, confirm, now, expected)                                                                        \
    do {                                                                                                             \
        char *got_ = step((st), (list), (confirm), (now));                                                           \
        ck_assert_msg(strcmp(got_, (expected)) == 0, "run at %lld: got '%s', expected '%s'", (long long)(now), got_,  \
                      (expected));                                                                                   \
        free(got_);                                                                                                  \
    } while (0)

#define NOTHING_OK "new [] resolved [] pending [] status ok"
#define NOTHING_CRIT "new [] resolved [] pending [] status critical"
#define NEW_PTR "new [ptr-missing 0 192.0.2.10] resolved [] pending [] status critical"
#define PENDING_PTR "new [] resolved [] pending [ptr-missing 0 192.0.2.10] status ok"
#define RESOLVED_PTR "new [] resolved [ptr-missing 0 192.0.2.10] pending [] status ok"

/* The first run reports everything at once, whatever --confirm says. */
START_TEST(first_run_reports_everything)
{
    struct state st;
    fresh(&st, true);
    struct finding_list now = FINDING_LIST_INIT;
    ptr_missing(&now);
    add(&now, FINDING_HELO_PTR_MISMATCH, SMTP, 1, "2001:db8::10", NULL);
    STEP(&st, &now, 3, 100,
         "new [ptr-missing 0 192.0.2.10, helo-ptr-mismatch 1 2001:db8::10] resolved [] pending [] status critical");
    ck_assert_uint_eq(st.runs, 1);
    ck_assert_uint_eq(st.n, 2);
    ck_assert(st.items[0].reported);
    ck_assert_int_eq(st.items[0].first_seen, 100);
    st.first_run = false; /* as the next run's state_open would find it */
    STEP(&st, &now, 3, 200, NOTHING_CRIT);
    ck_assert_uint_eq(st.runs, 2);
    ck_assert_int_eq(st.items[0].first_seen, 100);
    ck_assert_int_eq(st.items[0].last_seen, 200);
    ck_assert_uint_eq(st.items[0].seen_runs, 2);
    finding_list_free(&now);
    state_close(&st);
}
END_TEST

/* A finding that appears, persists, disappears and comes back, with
 * --confirm N for N = 1, 2, 3: new exactly once after N runs in a row,
 * resolved exactly once after N missed runs, pending before each. */
START_TEST(appear_persist_disappear_return)
{
    unsigned confirm = (unsigned)_i + 1;
    struct state st;
    fresh(&st, true);
    struct finding_list none = FINDING_LIST_INIT, bad = FINDING_LIST_INIT;
    ptr_missing(&bad);
    long long t = 0;
    STEP(&st, &none, confirm, ++t, NOTHING_OK); /* the first run: a healthy host */
    st.first_run = false;
    for (int round = 0; round < 2; round++) {
        /* It appears: pending for N-1 runs, new on the Nth, then quiet. */
        for (unsigned k = 1; k < confirm; k++)
            STEP(&st, &bad, confirm, ++t, PENDING_PTR);
        STEP(&st, &bad, confirm, ++t, NEW_PTR);
        for (int k = 0; k < 4; k++)
            STEP(&st, &bad, confirm, ++t, NOTHING_CRIT);
        /* It goes: still reported (critical) for N-1 runs, resolved on the Nth. */
        for (unsigned k = 1; k < confirm; k++)
            STEP(&st, &none, confirm, ++t, NOTHING_CRIT);
        STEP(&st, &none, confirm, ++t, RESOLVED_PTR);
        for (int k = 0; k < 4; k++)
            STEP(&st, &none, confirm, ++t, NOTHING_OK);
        ck_assert_uint_eq(st.n, 0); /* resolved keys are dropped */
    }
    finding_list_free(&bad);
    state_close(&st);
}
END_TEST

/* Present and absent in turn with --confirm 2 (and a run of two absences
 * with --confirm 3): never new, never resolved, status stays ok. */
START_TEST(flapping_never_reports)
{
    struct state st;
    fresh(&st, true);
    struct finding_list none = FINDING_LIST_INIT, bad = FINDING_LIST_INIT;
    ptr_missing(&bad);
    STEP(&st, &none, 2, 1, NOTHING_OK);
    st.first_run = false;
    for (long long t = 2; t < 40; t += 2) {
        STEP(&st, &bad, 2, t, PENDING_PTR);
        STEP(&st, &none, 2, t + 1, NOTHING_OK);
    }
    ck_assert_uint_eq(st.n, 0);
    /* A reported finding that flaps stays reported: no resolved, no new. */
    STEP(&st, &bad, 2, 100, PENDING_PTR);
    STEP(&st, &bad, 2, 101, NEW_PTR);
    for (long long t = 102; t < 140; t += 2) {
        STEP(&st, &none, 2, t, NOTHING_CRIT);
        STEP(&st, &bad, 2, t + 1, NOTHING_CRIT);
    }
    /* --confirm 3: two absences in a row are not enough either. */
    for (long long t = 200; t < 240; t += 3) {
        STEP(&st, &none, 3, t, NOTHING_CRIT);
        STEP(&st, &none, 3, t + 1, NOTHING_CRIT);
        STEP(&st, &bad, 3, t + 2, NOTHING_CRIT);
    }
    finding_list_free(&bad);
    state_close(&st);
}
END_TEST

/* While the finding is reported, a run whose verdict for it is unknown
 * holds it: a dns-failure of the same identity and family, one with family
 * -1, resolver-broken. None of them counts as a missed run. */
START_TEST(unknown_verdict_holds_the_key)
{
    static const struct {
        enum finding_id id;
        const char *identity;
        int family;
    } unknown[] = {
        { FINDING_DNS_FAILURE, SMTP, 0 },
        { FINDING_DNS_FAILURE, SMTP, -1 },
        { FINDING_RESOLVER_BROKEN, NULL, -1 },
    };
    for (size_t u = 0; u < sizeof(unknown) / sizeof(unknown[0]); u++) {
        struct state st;
        fresh(&st, true);
        struct finding_list bad = FINDING_LIST_INIT, none = FINDING_LIST_INIT, unk = FINDING_LIST_INIT;
        ptr_missing(&bad);
        add(&unk, unknown[u].id, unknown[u].identity, unknown[u].family,
            unknown[u].family == 0 ? "192.0.2.10" : NULL, "the PTR lookup failed with SERVFAIL");
        STEP(&st, &bad, 2, 1, NEW_PTR);
        st.first_run = false;
        /* Ten unknown runs: held, critical, the unknown finding pending. */
        const char *pend = unknown[u].id == FINDING_RESOLVER_BROKEN ? "resolver-broken -1 -"
                           : unknown[u].family == 0              ? "dns-failure 0 192.0.2.10"
                                                                 : "dns-failure -1 -";
        char *expect = xasprintf("new [] resolved [] pending [%s] status critical", pend);
        for (long long t = 2; t < 12; t++) {
            /* The unknown finding is pending on its first run and gone (never
             * reported) on the next, when it is seen again it starts afresh. */
            STEP(&st, &unk, 2, t, expect);
            ck_assert_uint_eq(st.items[0].missed_runs, 0);
            STEP(&st, &bad, 2, t, NOTHING_CRIT);
        }
        for (long long t = 20; t < 30; t++)
            STEP(&st, &unk, 1000, t, expect);
        ck_assert_uint_eq(st.items[0].missed_runs, 0);
        ck_assert_uint_eq(st.items[0].seen_runs, 11);
        ck_assert_int_eq(st.items[0].last_seen, 11);
        /* Then really gone: resolved after two missed runs. */
        STEP(&st, &none, 2, 40, NOTHING_CRIT);
        STEP(&st, &unk, 2, 41, expect);
        STEP(&st, &none, 2, 42, RESOLVED_PTR);
        free(expect);
        finding_list_free(&bad);
        finding_list_free(&none);
        finding_list_free(&unk);
        state_close(&st);
    }
}
END_TEST

/* Unknown verdicts of another identity or of the other family hold nothing;
 * a pending key is held too, and an unknown verdict never makes one new. */
START_TEST(unknown_verdict_scope)
{
    struct state st;
    fresh(&st, true);
    struct finding_list bad = FINDING_LIST_INIT, other_fam = FINDING_LIST_INIT, other_id = FINDING_LIST_INIT;
    ptr_missing(&bad);
    add(&other_fam, FINDING_DNS_FAILURE, SMTP, 1, "2001:db8::10", NULL);
    add(&other_id, FINDING_DNS_FAILURE, RELAY, 0, "192.0.2.10", NULL);
    STEP(&st, &bad, 1, 1, NEW_PTR);
    st.first_run = false;
    STEP(&st, &other_fam, 2, 2, "new [] resolved [] pending [dns-failure 1 2001:db8::10] status critical");
    STEP(&st, &other_id, 2, 3,
         "new [] resolved [ptr-missing 0 192.0.2.10] pending [dns-failure 0 192.0.2.10] status ok");
    ck_assert_uint_eq(st.n, 1);
    /* Pending, then unknown for a while, then seen: new at the second sighting. */
    struct finding_list unk = FINDING_LIST_INIT;
    add(&unk, FINDING_DNS_FAILURE, SMTP, 0, "192.0.2.10", NULL);
    STEP(&st, &bad, 3, 10, PENDING_PTR);
    STEP(&st, &unk, 3, 11, "new [] resolved [] pending [dns-failure 0 192.0.2.10] status ok");
    STEP(&st, &bad, 3, 12, PENDING_PTR);
    STEP(&st, &unk, 3, 13, "new [] resolved [] pending [dns-failure 0 192.0.2.10] status ok");
    STEP(&st, &bad, 3, 14, NEW_PTR);
    finding_list_free(&bad);
    finding_list_free(&other_fam);
    finding_list_free(&other_id);
    finding_list_free(&unk);
    state_close(&st);
}
END_TEST

/* The key is structured: a message that changes (a TTL in it), another
 * EHLO name or severity is the same finding; another address or family is
 * another one. The state keeps the newest message, and a resolved finding
 * says the last one. */
START_TEST(message_change_is_no_change)
{
    struct state st;
    fresh(&st, true);
    STEP(&st, &(struct finding_list)FINDING_LIST_INIT, 2, 1, NOTHING_OK);
    st.first_run = false;
    for (long long t = 2; t < 10; t++) {
        struct finding_list l = FINDING_LIST_INIT;
        char *msg = xasprintf("the cached PTR expires in %lld seconds (TTL)", 300 - t);
        add(&l, FINDING_PTR_MISSING, SMTP, 0, "192.0.2.10", msg);
        free(msg);
        STEP(&st, &l, 2, t, t == 2 ? PENDING_PTR : t == 3 ? NEW_PTR : NOTHING_CRIT);
        finding_list_free(&l);
    }
    ck_assert_str_eq(st.items[0].message, "the cached PTR expires in 291 seconds (TTL)");
    struct finding_list none = FINDING_LIST_INIT, moved = FINDING_LIST_INIT;
    add(&moved, FINDING_PTR_MISSING, SMTP, 0, "198.51.100.20", NULL);
    STEP(&st, &moved, 2, 10, "new [] resolved [] pending [ptr-missing 0 198.51.100.20] status critical");
    struct state_changes ch = STATE_CHANGES_INIT;
    state_update(&st, &none, 2, 11, &ch);
    ck_assert_uint_eq(ch.resolved.n, 1);
    ck_assert_str_eq(ch.resolved.items[0].message, "the cached PTR expires in 291 seconds (TTL)");
    ck_assert_str_eq(ch.resolved.items[0].identity, SMTP);
    ck_assert_str_eq(ch.resolved.items[0].hostname, "mail.example.com");
    ck_assert_int_eq(ch.resolved.items[0].severity, FINDING_CRITICAL);
    state_changes_free(&ch);
    finding_list_free(&moved);
    state_close(&st);
}
END_TEST

/* Pending findings carry their fixes; the same key twice in one run (the A
 * and AAAA lookups of one EHLO name) is one finding; the damped status is
 * that of what is reported, not of this run: a reported warning stays a
 * warning while a new critical is pending, and an info never counts. */
START_TEST(pending_and_damped_status)
{
    struct state st;
    fresh(&st, true);
    struct finding_list l = FINDING_LIST_INIT;
    add(&l, FINDING_HELO_PTR_MISMATCH, SMTP, 0, "192.0.2.10", NULL);
    add(&l, FINDING_RELAY_HOST, RELAY, -1, NULL, NULL);
    STEP(&st, &l, 2, 1, "new [helo-ptr-mismatch 0 192.0.2.10, relay-host -1 -] resolved [] pending [] status warning");
    st.first_run = false;
    struct finding *f = finding_add(&l, FINDING_PTR_MISSING, SMTP, 0, "192.0.2.10", "mail.example.com", "no PTR");
    fix_note(&f->fixes, "ask the provider");
    add(&l, FINDING_DNS_FAILURE, SMTP, -1, NULL, "the A lookup timed out");
    add(&l, FINDING_DNS_FAILURE, SMTP, -1, NULL, "the AAAA lookup timed out");
    struct state_changes ch = STATE_CHANGES_INIT;
    state_update(&st, &l, 2, 2, &ch);
    ck_assert_int_eq(ch.status, FINDING_STATUS_WARNING);
    ck_assert_uint_eq(ch.added.n, 0);
    ck_assert_uint_eq(ch.pending.n, 2);
    ck_assert_int_eq(ch.pending.items[0].id, FINDING_PTR_MISSING);
    ck_assert_uint_eq(ch.pending.items[0].fixes.n, 1);
    ck_assert_int_eq(ch.pending.items[1].id, FINDING_DNS_FAILURE);
    ck_assert_str_eq(ch.pending.items[1].message, "the A lookup timed out");
    ck_assert_uint_eq(st.n, 4);
    char *rep = ids(&ch.reported);
    ck_assert_str_eq(rep, "helo-ptr-mismatch 0 192.0.2.10, relay-host -1 -");
    free(rep);
    state_changes_free(&ch);
    state_update(&st, &l, 2, 3, &ch);
    ck_assert_int_eq(ch.status, FINDING_STATUS_CRITICAL);
    ck_assert_uint_eq(ch.added.n, 2);
    ck_assert_uint_eq(ch.added.items[0].fixes.n, 1);
    rep = ids(&ch.reported);
    ck_assert_str_eq(rep, "helo-ptr-mismatch 0 192.0.2.10, relay-host -1 -, ptr-missing 0 192.0.2.10, dns-failure -1 -");
    free(rep);
    ck_assert_int_eq(ch.reported.items[2].severity, FINDING_CRITICAL);
    ck_assert_str_eq(ch.reported.items[2].message, "no PTR");
    ck_assert_str_eq(ch.reported.items[2].identity, SMTP);
    state_changes_free(&ch);
    finding_list_free(&l);
    state_close(&st);
    /* Only unknown and info findings reported: the status is unknown. */
    fresh(&st, true);
    struct finding_list u = FINDING_LIST_INIT;
    add(&u, FINDING_DNS_FAILURE, SMTP, 0, "192.0.2.10", NULL);
    add(&u, FINDING_RELAY_HOST, RELAY, -1, NULL, NULL);
    STEP(&st, &u, 2, 1, "new [dns-failure 0 192.0.2.10, relay-host -1 -] resolved [] pending [] status unknown");
    st.first_run = false;
    STEP(&st, &u, 2, 2, "new [] resolved [] pending [] status unknown");
    finding_list_free(&u);
    state_close(&st);
}
END_TEST

/* --- the file ------------------------------------------------------------- */

static long long soon(void)
{
    return dns_now_ms() + 2000;
}

static char *path_in(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* state_save and state_open: every field survives; the file is JSON of
 * schema 1, mode 0644, and no temporary file is left. */
START_TEST(save_open_round_trip)
{
    char *dir = ts_tmpdir("state");
    char *path = path_in(dir, "state.json");
    struct state st;
    char *error = NULL;
    ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
    ck_assert_ptr_null(error);
    ck_assert(st.first_run);
    ck_assert_ptr_null(st.warning);
    struct finding_list l = FINDING_LIST_INIT;
    ptr_missing(&l);
    add(&l, FINDING_HELO_INVALID, SMTP, -1, NULL, "the name \"mail\\x01\" has \xc3\xa9 in it");
    finding_add(&l, FINDING_NO_MTA_CONFIG, NULL, -1, NULL, NULL, "no MTA");
    struct state_changes ch = STATE_CHANGES_INIT;
    state_update(&st, &l, 2, 1700000000, &ch);
    state_changes_free(&ch);
    ck_assert_int_eq(state_save(&st, &error), 0);
    state_close(&st);

    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0644);
    char *out = NULL;
    char *cmd = xasprintf("ls -A '%s'", dir);
    ts_run(cmd, &out, NULL);
    ck_assert_str_eq(out, "state.json\nstate.json.lock\n");
    free(out);
    free(cmd);
    char *text = ts_read_file(path, NULL);
    struct json_object *root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    struct json_object *v;
    ck_assert(json_object_object_get_ex(root, "schema", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    json_object_put(root);
    free(text);

    ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
    ck_assert(!st.first_run);
    ck_assert_uint_eq(st.runs, 1);
    ck_assert_uint_eq(st.n, 3);
    const struct state_entry *e = &st.items[0];
    ck_assert_int_eq(e->id, FINDING_PTR_MISSING);
    ck_assert_int_eq(e->severity, FINDING_CRITICAL);
    ck_assert_str_eq(e->identity, SMTP);
    ck_assert_int_eq(e->family, 0);
    ck_assert_str_eq(e->address, "192.0.2.10");
    ck_assert_str_eq(e->hostname, "mail.example.com");
    ck_assert_str_eq(e->message, "192.0.2.10 has no PTR");
    ck_assert_int_eq(e->first_seen, 1700000000);
    ck_assert_int_eq(e->last_seen, 1700000000);
    ck_assert_uint_eq(e->seen_runs, 1);
    ck_assert_uint_eq(e->missed_runs, 0);
    ck_assert(e->reported);
    ck_assert_str_eq(st.items[1].message, "the name \"mail\\x01\" has \xc3\xa9 in it");
    ck_assert_str_eq(st.items[1].address, "");
    ck_assert_int_eq(st.items[1].family, -1);
    ck_assert_str_eq(st.items[2].identity, "");
    ck_assert_ptr_null(st.items[2].hostname);
    /* The loaded state goes on as the saved one would. */
    struct finding_list none = FINDING_LIST_INIT;
    STEP(&st, &none, 2, 1700000100, "new [] resolved [] pending [] status critical");
    ck_assert_int_eq(state_save(&st, &error), 0);
    state_close(&st);
    ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
    ck_assert_uint_eq(st.runs, 2);
    ck_assert_uint_eq(st.items[0].missed_runs, 1);
    STEP(&st, &none, 2, 1700000200,
         "new [] resolved [ptr-missing 0 192.0.2.10, helo-invalid -1 -, no-mta-config -1 -] pending [] status ok");
    ck_assert_int_eq(state_save(&st, &error), 0);
    state_close(&st);
    finding_list_free(&l);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* Files that are no state of this schema: moved to FILE.corrupt with a
 * one-line warning, and the run is a first run (reports everything). */
START_TEST(corrupt_file_moved_aside)
{
#define BAD(text) { text, sizeof(text) - 1 }
    static const struct {
        const char *text;
        size_t len;
    } bad[] = {
        BAD("garbage \x01\x02 not json"),
        BAD("{\"schema\": 2, \"runs\": 3, \"findings\": []}"),
        BAD("{\"schema\": 1, \"runs\": 3, \"findings\": [{\"id\": \"ptr-missing\", \"identity\": \"x\", \"family\": 0,"),
        BAD("{\"schema\": 1, \"runs\": 3, \"findings\": [{\"id\": \"no-such-id\", \"identity\": \"\", \"family\": 0, "
            "\"address\": \"\", \"severity\": \"critical\", \"message\": \"m\", \"first_seen\": 1, \"last_seen\": 1, "
            "\"seen_runs\": 1, \"missed_runs\": 0, \"reported\": 1}]}"),
        BAD("{\"schema\": 1, \"runs\": -1, \"findings\": []}"),
        BAD("{\"schema\": 1, \"runs\": 3, \"findings\": [7]}"),
        BAD("{\"schema\": 1, \"runs\": 3, \"findings\": [null]}"),
        BAD("[1, 2, 3]"),
        BAD(""),
        BAD("{\"schema\": 1, \"runs\": 3, \"findings\": []}\0trailing"),
    };
#undef BAD
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *dir = ts_tmpdir("state");
        char *path = path_in(dir, "s.json"), *aside = path_in(dir, "s.json.corrupt");
        size_t len = bad[i].len;
        FILE *fp = fopen(path, "wb");
        ck_assert_ptr_nonnull(fp);
        ck_assert_uint_eq(fwrite(bad[i].text, 1, len, fp), len);
        fclose(fp);
        struct state st;
        char *error = NULL;
        ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
        ck_assert_msg(st.first_run, "case %zu not a first run", i);
        ck_assert_uint_eq(st.n, 0);
        ck_assert_uint_eq(st.runs, 0);
        ck_assert_ptr_nonnull(st.warning);
        char *want = xasprintf("state '%s' could not be read; moved it to '%s' and started afresh", path, aside);
        ck_assert_str_eq(st.warning, want);
        free(want);
        ck_assert_ptr_null(strchr(st.warning, '\n'));
        ck_assert_int_eq(access(path, F_OK), -1);
        size_t got_len = 0;
        char *moved = ts_read_file(aside, &got_len);
        ck_assert_ptr_nonnull(moved);
        ck_assert_uint_eq(got_len, len);
        ck_assert(memcmp(moved, bad[i].text, len) == 0);
        free(moved);
        struct finding_list l = FINDING_LIST_INIT;
        ptr_missing(&l);
        STEP(&st, &l, 2, 5, NEW_PTR);
        ck_assert_int_eq(state_save(&st, &error), 0);
        ck_assert_uint_eq(st.runs, 1);
        state_close(&st);
        finding_list_free(&l);
        free(path);
        free(aside);
        ts_rmtree(dir);
        free(dir);
    }
}
END_TEST

/* Resolved and vanished pending keys leave the file: after many runs over
 * many changing findings it holds only what is current. */
START_TEST(pruning_keeps_the_file_small)
{
    char *dir = ts_tmpdir("state");
    char *path = path_in(dir, "state.json");
    size_t biggest = 0;
    for (int run = 0; run < 200; run++) {
        struct state st;
        char *error = NULL;
        ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
        struct finding_list l = FINDING_LIST_INIT;
        /* Each run its own three addresses: every key lives two runs. */
        for (int k = 0; k < 3; k++) {
            char addr[32];
            snprintf(addr, sizeof(addr), "192.0.2.%d", (run / 2 * 3 + k) % 250 + 1);
            add(&l, FINDING_PTR_MISSING, SMTP, 0, addr, NULL);
        }
        struct state_changes ch = STATE_CHANGES_INIT;
        state_update(&st, &l, 2, run, &ch);
        state_changes_free(&ch);
        ck_assert_uint_le(st.n, 6);
        ck_assert_int_eq(state_save(&st, &error), 0);
        state_close(&st);
        finding_list_free(&l);
        struct stat sb;
        ck_assert_int_eq(stat(path, &sb), 0);
        if ((size_t)sb.st_size > biggest)
            biggest = (size_t)sb.st_size;
    }
    ck_assert_uint_lt(biggest, 6 * 600);
    /* A healthy host at last: two runs later the file lists nothing. */
    for (int run = 0; run < 2; run++) {
        struct state st;
        char *error = NULL;
        ck_assert_int_eq(state_open(&st, path, soon(), &error), 0);
        struct state_changes ch = STATE_CHANGES_INIT;
        state_update(&st, &(struct finding_list)FINDING_LIST_INIT, 2, 1000 + run, &ch);
        ck_assert_uint_eq(ch.resolved.n, (run == 1 ? 3u : 0u));
        state_changes_free(&ch);
        ck_assert_int_eq(state_save(&st, &error), 0);
        state_close(&st);
    }
    char *text = ts_read_file(path, NULL);
    struct json_object *root = json_tokener_parse(text), *list;
    ck_assert(json_object_object_get_ex(root, "findings", &list));
    ck_assert_uint_eq(json_object_array_length(list), 0);
    json_object_put(root);
    free(text);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* A relative path (the current directory) works, and state_open removes
 * the temporary files a killed run left (PATH.tmp.XXXXXX) and nothing else. */
START_TEST(relative_path_and_stale_temporary_files)
{
    char *dir = ts_tmpdir("state");
    ck_assert_int_eq(chdir(dir), 0);
    static const char *const names[] = { "s.json.tmp.AbC123", "s.json.tmp.keep", "s.json.tmp.toolong1",
                                          "other.json.tmp.AbC123", "s.jsonXtmp.AbC123" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        ts_write_file(names[i], "{\"schema\": 1, \"ru");
    struct state st;
    char *error = NULL;
    ck_assert_int_eq(state_open(&st, "s.json", soon(), &error), 0);
    ck_assert(st.first_run);
    ck_assert_int_eq(access("s.json.tmp.AbC123", F_OK), -1);
    for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
        ck_assert_msg(access(names[i], F_OK) == 0, "'%s' was removed", names[i]);
    struct finding_list l = FINDING_LIST_INIT;
    ptr_missing(&l);
    STEP(&st, &l, 2, 1, NEW_PTR);
    ck_assert_int_eq(state_save(&st, &error), 0);
    state_close(&st);
    ck_assert_int_eq(state_open(&st, "s.json", soon(), &error), 0);
    ck_assert(!st.first_run);
    ck_assert_uint_eq(st.n, 1);
    state_close(&st);
    finding_list_free(&l);
    ck_assert_int_eq(chdir("/"), 0);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* A second opener waits for the lock until its deadline, then fails with a
 * one-line message; once the first closes, it gets in. */
START_TEST(lock_excludes_a_second_run)
{
    char *dir = ts_tmpdir("state");
    char *path = path_in(dir, "state.json");
    struct state a, b;
    char *error = NULL;
    ck_assert_int_eq(state_open(&a, path, soon(), &error), 0);
    long long t0 = dns_now_ms();
    ck_assert_int_eq(state_open(&b, path, t0 + 300, &error), -1);
    long long waited = dns_now_ms() - t0;
    ck_assert_int_ge(waited, 300);
    ck_assert_int_lt(waited, 600);
    char *want = xasprintf("state '%s' is in use by another run; giving up after the timeout", path);
    ck_assert_str_eq(error, want);
    free(want);
    free(error);
    error = NULL;
    state_close(&b);
    state_close(&a);
    ck_assert_int_eq(state_open(&b, path, soon(), &error), 0);
    state_close(&b);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* A directory the run cannot write: a one-line error from state_open, as
 * an unprivileged user (root writes anywhere). */
START_TEST(unwritable_directory)
{
    if (!ts_is_root()) {
        printf("skipped state unwritable_directory: needs root to switch to the user nobody\n");
        return;
    }
    char *dir = ts_tmpdir("state");
    chmod(dir, 0755);
    char *path = path_in(dir, "state.json");
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
            _exit(10);
        struct state st;
        char *error = NULL;
        int rc = state_open(&st, path, soon(), &error);
        char *want = xasprintf("cannot write state '%s': Permission denied", path);
        bool ok = rc == -1 && error && strcmp(error, want) == 0;
        if (!ok)
            fprintf(stderr, "state_open as nobody: rc %d, error '%s'\n", rc, error ? error : "(null)");
        state_close(&st);
        _exit(ok ? 0 : 11);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("damping");
    tcase_add_test(tc, first_run_reports_everything);
    tcase_add_loop_test(tc, appear_persist_disappear_return, 0, 3);
    tcase_add_test(tc, flapping_never_reports);
    tcase_add_test(tc, unknown_verdict_holds_the_key);
    tcase_add_test(tc, unknown_verdict_scope);
    tcase_add_test(tc, message_change_is_no_change);
    tcase_add_test(tc, pending_and_damped_status);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("file");
    tcase_add_test(tf, save_open_round_trip);
    tcase_add_test(tf, corrupt_file_moved_aside);
    tcase_add_test(tf, pruning_keeps_the_file_small);
    tcase_add_test(tf, relative_path_and_stale_temporary_files);
    tcase_add_test(tf, lock_excludes_a_second_run);
    tcase_add_test(tf, unwritable_directory);
    suite_add_tcase(s, tf);
    return s;
}
