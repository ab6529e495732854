/* wait - watching the authoritative servers after a PTR change; see wait.h. */
#include "auditor/wait.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditor/audit.h"
#include "auditor/check.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/report_json.h"
#include "auditor/resolve.h"
#include "auditor/verdict_inbound.h"
#include "probes/dns.h"

static volatile sig_atomic_t wait_interrupted;

static void wait_on_sigint(int sig)
{
    (void)sig;
    wait_interrupted = 1;
}

/* The findings a PTR change is meant to clear. */
static bool wait_ptr_related(enum finding_id id)
{
    switch (id) {
    case FINDING_PTR_MISSING:
    case FINDING_PTR_UNCONFIRMED:
    case FINDING_IPV6_WITHOUT_PTR:
    case FINDING_PTR_GENERIC:
    case FINDING_PTR_MULTIPLE:
    case FINDING_PTR_SERVERS_DISAGREE:
    case FINDING_HELO_PTR_MISMATCH:
    case FINDING_INBOUND_PTR_MISSING:
    case FINDING_BANNER_PTR_MISMATCH:
        return true;
    default:
        return false;
    }
}

/* wait_reverses - the reverse DNS verdicts the waiting watches: each
 * audited source's and each listening address's, one per address (a
 * source that is also a listening address once); a newly allocated array
 * of borrowed pointers, *n of them. */
static const struct verdict_reverse **wait_reverses(const struct verdict_set *vs, size_t *n)
{
    size_t cap = vs->n * MODEL_NFAMILIES + 1;
    const struct verdict_inbound *in = vs->inbound;
    for (size_t i = 0; in && i < in->nlisteners; i++)
        cap += in->listeners[i].naddrs;
    const struct verdict_reverse **list = xcalloc(cap, sizeof(*list));
    *n = 0;
    for (size_t i = 0; i < vs->n; i++)
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            if (vs->items[i].fam[f].source == VERDICT_SOURCE_OK)
                list[(*n)++] = &vs->items[i].fam[f].rev;
    for (size_t i = 0; in && i < in->nlisteners; i++)
        for (size_t k = 0; k < in->listeners[i].naddrs; k++)
            list[(*n)++] = &in->listeners[i].addrs[k].rev;
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        bool seen = false;
        for (size_t j = 0; j < kept && !seen; j++)
            seen = hostname_address_equal(list[j]->address, list[i]->address);
        if (!seen)
            list[kept++] = list[i];
    }
    *n = kept;
    return list;
}

bool wait_pending(const struct verdict_set *vs, const struct finding_list *findings, bool *watchable)
{
    bool pending = false;
    *watchable = false;
    size_t n;
    const struct verdict_reverse **revs = wait_reverses(vs, &n);
    for (size_t i = 0; i < n; i++) {
        if (revs[i]->auth == VERDICT_AUTH_NOT_ASKED)
            continue;
        *watchable = true;
        if (revs[i]->auth != VERDICT_AUTH_AGREE)
            pending = true;
    }
    free(revs);
    for (size_t i = 0; i < findings->n; i++)
        if (wait_ptr_related(findings->items[i].id))
            pending = true;
    return pending;
}

long long wait_interval_ms(unsigned k, unsigned queries)
{
    double ms = WAIT_FIRST_MS;
    for (unsigned i = 0; i < k && ms < WAIT_MAX_MS; i++)
        ms *= 1.5;
    long long back = ms > WAIT_MAX_MS ? WAIT_MAX_MS : (long long)ms;
    /* At most once a second per server, WAIT_MAX_PER_MINUTE in all. */
    long long rate = (long long)queries * 60000 / WAIT_MAX_PER_MINUTE;
    if (back < 1000)
        back = 1000;
    return back > rate ? back : rate;
}

/* One audit's judgement of the facts. */
static void wait_judge(const struct model_set *set, const struct facts *facts, struct verdict_set *vs,
                       struct finding_list *findings)
{
    verdict_set_free(vs);
    finding_list_free(findings);
    verdict_compute(set, facts, vs);
    check_run_verdicts(set, vs, findings);
}

/* The status line: per watched address what its servers say now. */
static void wait_status(const struct verdict_set *vs, unsigned polls, long long elapsed, unsigned seconds,
                        long long next)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "waiting for the PTR at the zone's servers:");
    size_t n;
    const struct verdict_reverse **revs = wait_reverses(vs, &n);
    for (size_t i = 0; i < n; i++) {
        const struct verdict_reverse *rev = revs[i];
        if (rev->auth == VERDICT_AUTH_NOT_ASKED)
            continue;
        char *ea = hostname_escape(rev->address);
        const char *what = rev->auth == VERDICT_AUTH_UNKNOWN                         ? "no answer"
            : rev->auth == VERDICT_AUTH_DISAGREE                                     ? "servers disagree"
            : rev->ptr == VERDICT_PTR_MISSING                                        ? "no PTR"
            : rev->ptr == VERDICT_PTR_PRESENT && rev->confirmed == VERDICT_YES       ? "PTR confirmed"
                                                                                     : "PTR not confirmed";
        strbuf_addf(&sb, " %s %s;", ea, what);
        free(ea);
    }
    free(revs);
    strbuf_addf(&sb, " poll %u, %lld of %u s", polls, elapsed / 1000, seconds);
    if (next > 0)
        strbuf_addf(&sb, ", next in %lld s", (next + 999) / 1000);
    /* One line that a terminal of 80 columns does not wrap, or \r could
     * not redraw it. */
    if (sb.len > 79)
        sb.buf[79] = '\0';
    fprintf(stderr, "\r\033[K%s", sb.buf);
    fflush(stderr);
    strbuf_release(&sb);
}

/* Sleep until `until` (monotonic ms) or SIGINT. */
static void wait_sleep(long long until)
{
    for (;;) {
        long long left = until - dns_now_ms();
        if (left <= 0 || wait_interrupted)
            return;
        long long step = left < 100 ? left : 100;
        struct timespec ts = { (time_t)(step / 1000), (long)(step % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
}

/* Ask the servers again: drop the direct answers and let the lookup plan
 * ask them (and the forward lookup of any name that is new). Returns the
 * number of questions asked. */
static unsigned wait_poll(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
                          long long deadline)
{
    facts_lookups_drop(facts, true);
    size_t before = facts->nlookups;
    resolve_run(set, facts, opts, deadline);
    return (unsigned)(facts->nlookups - before);
}

static unsigned wait_direct_count(const struct facts *facts)
{
    unsigned n = 0;
    for (size_t i = 0; i < facts->nlookups; i++)
        n += facts->lookups[i].direct;
    return n;
}

int wait_run(const struct cli_options *given)
{
    struct cli_options opts = *given;
    opts.authoritative = true;
    long long t0 = dns_now_ms();
    long long end = t0 + (long long)opts.wait_s * 1000;
    bool tty = isatty(STDERR_FILENO) == 1;

    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = wait_on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old); /* no SA_RESTART: a sleep or a poll() wakes up */
    wait_interrupted = 0;

    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    struct facts facts = FACTS_INIT;
    struct finding_list findings = FINDING_LIST_INIT;
    struct verdict_set vs = VERDICT_SET_INIT;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    long long started = (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;

    audit_collect(&opts, &set, &diags, &facts);
    wait_judge(&set, &facts, &vs, &findings);
    unsigned polls = 0, queries = wait_direct_count(&facts), last = queries;
    const char *ended = "time";
    bool watchable = false;
    for (;;) {
        if (!wait_pending(&vs, &findings, &watchable)) {
            ended = "live";
            break;
        }
        if (!watchable) {
            ended = "nothing-to-watch";
            break;
        }
        if (wait_interrupted) {
            ended = "interrupted";
            break;
        }
        long long now = dns_now_ms();
        long long next = now + wait_interval_ms(polls, last);
        if (tty)
            wait_status(&vs, polls, now - t0, opts.wait_s, next < end ? next - now : 0);
        if (next >= end) {
            wait_sleep(end);
            ended = wait_interrupted ? "interrupted" : "time";
            break;
        }
        wait_sleep(next);
        if (wait_interrupted) {
            ended = "interrupted";
            break;
        }
        /* A poll never runs past the end of the waiting. */
        long long deadline = dns_now_ms() + opts.timeout_ms;
        last = wait_poll(&set, &facts, &opts, deadline < end ? deadline : end);
        queries += last;
        polls++;
        wait_judge(&set, &facts, &vs, &findings);
    }
    if (tty) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (!wait_interrupted && polls > 0) {
        /* The final audit: fresh answers, so that the resolver's remaining
         * TTLs are those of now. */
        facts_lookups_drop(&facts, false);
        size_t before = facts.nlookups;
        resolve_run(&set, &facts, &opts, dns_deadline_in(opts.timeout_ms));
        queries += (unsigned)(facts.nlookups - before);
        wait_judge(&set, &facts, &vs, &findings);
    }
    sigaction(SIGINT, &old, NULL);

    facts.run_started_ms = started;
    facts.run_duration_ms = dns_now_ms() - t0;
    char *out;
    if (opts.format == CLI_FORMAT_JSON) {
        struct json_object *root = report_json_object(&set, &facts, &findings);
        struct json_object *w = json_object_new_object();
        json_object_object_add(w, "seconds", json_object_new_int64((int64_t)opts.wait_s));
        json_object_object_add(w, "polls", json_object_new_int64((int64_t)polls));
        json_object_object_add(w, "queries", json_object_new_int64((int64_t)queries));
        json_object_object_add(w, "ended", json_object_new_string(ended));
        json_object_object_add(w, "duration_ms", json_object_new_int64((int64_t)(dns_now_ms() - t0)));
        json_object_object_add(root, "wait", w);
        out = report_json_text(root);
        json_object_put(root);
    } else {
        char *report = audit_render_report(&opts, &set, &vs, &findings);
        if (opts.format == CLI_FORMAT_TEXT) {
            const char *why = strcmp(ended, "live") == 0 ? "the PTR is live at the authoritative servers"
                : strcmp(ended, "interrupted") == 0      ? "interrupted; this is the audit so far"
                : strcmp(ended, "nothing-to-watch") == 0 ? "no authoritative server of the reverse zones was found"
                                                         : "the time is up; the PTR findings remain";
            out = xasprintf("%swait: %s (%lld s, %u polls)\n", report, why, (dns_now_ms() - t0) / 1000, polls);
            free(report);
        } else {
            out = report;
        }
    }
    int rc = audit_emit_report(&opts, out) == 0 ? (int)finding_status_of(&findings) : FINDING_STATUS_UNKNOWN;
    free(out);
    finding_list_free(&findings);
    verdict_set_free(&vs);
    facts_free(&facts);
    model_set_free(&set);
    diag_list_free(&diags);
    return rc;
}
