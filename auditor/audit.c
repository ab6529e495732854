/* audit - the default command; see audit.h. */
#include "auditor/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditor/check.h"
#include "auditor/finding.h"
#include "auditor/report_json.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/report_text.h"
#include "auditor/resolve.h"
#include "auditor/sources.h"
#include "auditor/state.h"
#include "auditor/verdict_inbound.h"
#include "auditor/foundation/atomic.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/scope.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_identity.h"
#include "parsers/exim_inbound.h"
#include "parsers/pf_inbound.h"
#include "parsers/pf_identity.h"
#include "probes/dns.h"
#include "probes/iface.h"
#include "probes/mta_version.h"

/* Asking postconf for its version must not eat the DNS budget. */
#define AUDIT_VERSION_TIMEOUT_MS 1000
/* A hook's audit is killed this long after its timeout (the contract's
 * bound is the timeout plus one second). */
#define AUDIT_HOOK_GRACE_MS 900

/* audit_inbound_load - the inbound model (listeners and domains) of both
 * MTAs; --domain replaces the configured domains. Problems already
 * recorded by the identity loaders are not recorded twice; a configuration
 * they could not read at all is not read again (it would only say so in
 * other words). */
static struct listener_set *audit_inbound_load(const struct cli_options *opts, const struct model_host *host,
                                               struct diag_list *diags, bool read_postfix, bool read_exim)
{
    struct listener_set *in = xcalloc(1, sizeof(*in));
    if (read_postfix)
        pf_inbound_load(opts->postfix_dir, host, in, diags);
    if (read_exim)
        exim_inbound_load(opts->exim_config, opts->exim_debian_dir, host, in, diags);
    if (opts->domains.n) {
        for (size_t i = 0; i < in->ndomains; i++) {
            free(in->domains[i].name);
            free(in->domains[i].source);
            model_origin_free(&in->domains[i].origin);
        }
        in->ndomains = 0;
        in->domains_dropped = 0;
        struct model_origin given = { MODEL_ORIGIN_COMMAND_LINE, NULL, 0, NULL };
        for (size_t i = 0; i < opts->domains.n; i++)
            listener_domain_add(in, MODEL_POSTFIX, opts->domains.items[i], "--domain", &given, NULL);
    }
    return in;
}

/* audit_connect - --connect: the greeting of each address an MX listener
 * receives mail on (the private address listened on behind NAT), all in
 * parallel. */
static void audit_connect(struct facts *facts, long long deadline)
{
    struct strlist addrs = STRLIST_INIT, ids = STRLIST_INIT;
    unsigned *ports = NULL;
    const struct listener_set *in = facts->inbound;
    for (size_t i = 0; i < in->n; i++) {
        const struct listener *l = &in->items[i];
        if (!l->mx || l->tls_on_connect)
            continue;
        struct strlist a = STRLIST_INIT, from = STRLIST_INIT;
        verdict_inbound_addresses(l, facts, &a, &from);
        for (size_t k = 0; k < a.n; k++) {
            if (strcmp(from.items[k], "*") == 0)
                continue;
            ports = xreallocarray(ports, addrs.n + 1, sizeof(*ports));
            ports[addrs.n] = l->port;
            strlist_add(&addrs, from.items[k][0] ? from.items[k] : a.items[k]);
            strlist_add(&ids, l->id);
        }
        strlist_free(&a);
        strlist_free(&from);
    }
    facts->connect_asked = true;
    facts->greetings = xcalloc(addrs.n ? addrs.n : 1, sizeof(*facts->greetings));
    smtp_greet_run((const char *const *)addrs.items, ports, addrs.n, deadline, facts->greetings);
    facts->ngreetings = addrs.n;
    facts->greeting_listeners = ids;
    strlist_free(&addrs);
    free(ports);
}

void audit_collect(const struct cli_options *opts, struct model_set *set, struct diag_list *diags,
                   struct facts *facts)
{
    long long deadline = dns_deadline_in(opts->timeout_ms);
    char *hostname = cli_options_hostname(opts);
    struct model_host host = { .hostname = hostname };
    bool found = false;
    int pf = opts->no_postfix ? 0 : pf_identity_load(opts->postfix_dir, &host, set, diags);
    int ex = opts->no_exim ? 0 : exim_identity_load(opts->exim_config, opts->exim_debian_dir, &host, set, diags);
    found = pf != 0 || ex != 0;
    if (!opts->no_inbound)
        facts->inbound = audit_inbound_load(opts, &host, diags, pf > 0, ex > 0);
    free(hostname);

    facts->diags = diags;
    facts->mta_config_found = found;
    if (opts->helo)
        facts->helo_override = xstrdup(opts->helo);
    facts->host_families = opts->families;
    facts->authoritative = opts->authoritative;
    for (size_t i = 0; i < set->nconfigs; i++) {
        const struct model_config *cfg = &set->configs[i];
        if (cfg->mta == MODEL_EXIM && cfg->debian_dir && !facts->exim_debian_dir) {
            facts->exim_debian_dir = xstrdup(cfg->debian_dir);
            facts->exim_debian_split = cfg->debian_split;
        }
    }
    for (size_t i = 0; i < set->n; i++) {
        if (set->items[i].mta == MODEL_POSTFIX) {
            long long left = deadline - dns_now_ms();
            unsigned budget = left < AUDIT_VERSION_TIMEOUT_MS ? (left > 0 ? (unsigned)left : 0)
                                                               : AUDIT_VERSION_TIMEOUT_MS;
            if (budget > 0)
                facts->postfix_version = mta_version_postfix(budget);
            break;
        }
    }

    struct iface_list ifaces = IFACE_LIST_INIT;
    iface_list_load(&ifaces); /* without it, interface facts stay unknown */
    for (size_t i = 0; i < ifaces.n; i++)
        if (scope_public(ifaces.items[i].scope) && !iface_addr_tentative(&ifaces.items[i])
            && !iface_addr_dadfailed(&ifaces.items[i]) && !strlist_contains(&facts->local_public, ifaces.items[i].address)
            && (!opts->families || (opts->families & MODEL_FAMILY_BIT(ifaces.items[i].family == AF_INET6 ? MODEL_IPV6 : MODEL_IPV4))))
            strlist_add(&facts->local_public, ifaces.items[i].address);
    for (size_t i = 0; i < opts->source_ips.n; i++)
        strlist_add(&facts->given_sources, opts->source_ips.items[i]);
    for (size_t i = 0; i < set->n; i++)
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            if (verdict_family_used(&set->items[i], facts, (enum model_family)f))
                sources_probe(facts, i, &set->items[i], (enum model_family)f, opts, &ifaces);
    iface_list_free(&ifaces);

    /* The greetings do not depend on DNS: read them while nothing else
     * waits, before the DNS rounds (they share the deadline). */
    if (opts->connect && facts->inbound)
        audit_connect(facts, deadline);
    resolve_run(set, facts, opts, deadline);
}

long long audit_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* audit_render - the report in the asked format; with a state, the
 * changes (text and JSON), the damped status (JSON) and the damped state
 * (Nagios). */
static char *audit_render(const struct cli_options *opts, const struct model_set *set, const struct verdict_set *vs,
                          const struct finding_list *findings, const struct state *st,
                          const struct state_changes *changes, FILE *to)
{
    bool color = !opts->output_file && term_use_color(opts->color, to);
    switch (opts->format) {
    case CLI_FORMAT_JSON: {
        struct json_object *root = report_json_object(set, vs->facts, findings);
        if (st)
            report_json_add_changes(root, changes, st->path, st->runs);
        char *out = report_json_text(root);
        json_object_put(root);
        return out;
    }
    case CLI_FORMAT_NAGIOS:
        /* With a state the damped state, so that the status word agrees
         * with the exit status. */
        return report_nagios(set, vs->facts, st ? &changes->reported : findings);
    case CLI_FORMAT_PROMETHEUS:
        return report_prometheus(set, vs, findings);
    case CLI_FORMAT_TEXT:
    default:
        if (st)
            return report_text_changes(changes, st->path, st->runs, color);
        return report_text(set, vs, findings, color);
    }
}

/* At most this many lines name findings in hook mode; with the status line
 * and the pointer to the full audit that makes the contract's 5 lines. */
#define AUDIT_HOOK_FINDING_LINES 3

/* audit_hook_lines - at most 5 lines on stderr for a package hook: the
 * status, the critical and warning findings (of this run, or with a state
 * the new ones), and where to look. Nothing for ok or unknown. When there
 * are more findings than lines, the last line counts the rest. */
static void audit_hook_lines(enum finding_status status, const struct finding_list *list)
{
    if (status != FINDING_STATUS_CRITICAL && status != FINDING_STATUS_WARNING)
        return;
    size_t serious = 0;
    for (size_t i = 0; i < list->n; i++)
        serious += list->items[i].severity >= FINDING_WARNING;
    if (serious == 0)
        return;
    fprintf(stderr, "mta-preflight: %s: what receivers see of this mail server needs attention\n",
            status == FINDING_STATUS_CRITICAL ? "CRITICAL" : "WARNING");
    size_t named = serious <= AUDIT_HOOK_FINDING_LINES ? serious : AUDIT_HOOK_FINDING_LINES - 1;
    size_t shown = 0;
    for (int sev = FINDING_CRITICAL; sev >= FINDING_WARNING; sev--)
        for (size_t i = 0; i < list->n; i++) {
            const struct finding *f = &list->items[i];
            if ((int)f->severity != sev)
                continue;
            if (shown < named) {
                /* config-error and no-mta-config concern no identity */
                char *ident = f->identity ? hostname_escape(f->identity) : NULL;
                fprintf(stderr, "  %s %s%s%s\n", finding_severity_tostr(f->severity), finding_id_tostr(f->id),
                        ident ? " " : "", ident ? ident : "");
                free(ident);
            } else if (shown == named) {
                fprintf(stderr, "  and %zu more\n", serious - named);
            }
            shown++;
        }
    fputs("run 'mta-preflight' for details and fixes\n", stderr);
}

/* audit_emit - write out where it belongs: --output atomically, else
 * stdout. Returns 0, or -1 after saying why. */
static int audit_emit(const struct cli_options *opts, const char *out)
{
    if (opts->output_file) {
        char *error = NULL;
        if (atomic_write(opts->output_file, out, strlen(out), 0644, &error) != 0) {
            fprintf(stderr, "mta-preflight: %s\n", error);
            free(error);
            return -1;
        }
        return 0;
    }
    fputs(out, stdout);
    fflush(stdout);
    return 0;
}

char *audit_render_report(const struct cli_options *opts, const struct model_set *set, const struct verdict_set *vs,
                          const struct finding_list *findings)
{
    struct state_changes none = STATE_CHANGES_INIT;
    return audit_render(opts, set, vs, findings, NULL, &none, stdout);
}

int audit_emit_report(const struct cli_options *opts, const char *out)
{
    return audit_emit(opts, out);
}

/* audit_once - one whole audit as the command line asked for it. */
static int audit_once(const struct cli_options *given)
{
    struct cli_options opts = *given;
    long long started = audit_wall_ms();
    long long t0 = dns_now_ms();
    struct state st;
    bool use_state = opts.state_file != NULL;
    if (use_state) {
        char *error = NULL;
        if (state_open(&st, opts.state_file, t0 + opts.timeout_ms, &error) != 0) {
            fprintf(stderr, "mta-preflight: %s\n", error);
            free(error);
            state_close(&st);
            return opts.hook ? 0 : FINDING_STATUS_UNKNOWN;
        }
        if (st.warning)
            fprintf(stderr, "mta-preflight: warning: %s\n", st.warning);
        /* Time spent waiting for the lock comes out of the run's bound. */
        long long waited = dns_now_ms() - t0;
        opts.timeout_ms = waited >= opts.timeout_ms ? 1 : opts.timeout_ms - (unsigned)waited;
    }

    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    struct facts facts = FACTS_INIT;
    struct finding_list findings = FINDING_LIST_INIT;
    struct verdict_set verdicts = VERDICT_SET_INIT;
    struct state_changes changes = STATE_CHANGES_INIT;

    audit_collect(&opts, &set, &diags, &facts);
    verdict_compute(&set, &facts, &verdicts);
    check_run_verdicts(&set, &verdicts, &findings);
    enum finding_status status = finding_status_of(&findings);
    bool changed = true;
    int rc = 0;
    if (use_state) {
        state_update(&st, &findings, opts.confirm, started / 1000, &changes);
        status = changes.status;
        /* Pending findings are not changes yet: --quiet stays silent until
         * --confirm runs have confirmed them, or cron would mail every flap. */
        changed = changes.added.n || changes.resolved.n;
        char *error = NULL;
        if (state_save(&st, &error) != 0) {
            fprintf(stderr, "mta-preflight: %s\n", error);
            free(error);
            rc = -1;
        }
    }
    facts.run_started_ms = started;
    facts.run_duration_ms = dns_now_ms() - t0;

    bool silent = opts.hook || (opts.quiet && !opts.output_file && (use_state ? !changed : status == FINDING_STATUS_OK));
    if (opts.output_file || !silent) {
        char *out = audit_render(&opts, &set, &verdicts, &findings, use_state ? &st : NULL, &changes, stdout);
        if (audit_emit(&opts, out) != 0)
            rc = -1;
        free(out);
    }
    if (opts.hook)
        audit_hook_lines(status, use_state ? &changes.added : &findings);

    state_changes_free(&changes);
    if (use_state)
        state_close(&st);
    finding_list_free(&findings);
    verdict_set_free(&verdicts);
    facts_free(&facts);
    model_set_free(&set);
    diag_list_free(&diags);
    if (opts.hook)
        return 0;
    return rc < 0 ? FINDING_STATUS_UNKNOWN : (int)status;
}

/* audit_hook - hook mode: never read standard input, end within the
 * timeout plus one second, and exit 0 whatever happens, even when the audit
 * itself crashes: it runs in a child that is killed at the bound. */
static int audit_hook(const struct cli_options *opts)
{
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        close(null);
    }
    fflush(NULL);
    long long deadline = dns_now_ms() + opts->timeout_ms + AUDIT_HOOK_GRACE_MS;
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        audit_once(opts);
        fflush(NULL);
        _exit(0);
    }
    for (;;) {
        int wstatus;
        pid_t r = waitpid(pid, &wstatus, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return 0;
        if (dns_now_ms() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &wstatus, 0);
            return 0;
        }
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
    }
}

int audit_run(const struct cli_options *opts)
{
    return opts->hook ? audit_hook(opts) : audit_once(opts);
}
