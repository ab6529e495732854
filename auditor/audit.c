/* audit - the default command; see audit.h. */
#include "auditor/audit.h"

#include <stdio.h>
#include <stdlib.h>

#include "auditor/check.h"
#include "auditor/finding.h"
#include "auditor/report_json.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/report_text.h"
#include "auditor/resolve.h"
#include "auditor/sources.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_identity.h"
#include "parsers/pf_identity.h"
#include "probes/dns.h"
#include "probes/iface.h"
#include "probes/mta_version.h"

/* Asking postconf for its version must not eat the DNS budget. */
#define AUDIT_VERSION_TIMEOUT_MS 1000

void audit_collect(const struct cli_options *opts, struct model_set *set, struct diag_list *diags,
                   struct facts *facts)
{
    long long deadline = dns_deadline_in(opts->timeout_ms);
    char *hostname = cli_options_hostname(opts);
    struct model_host host = { .hostname = hostname };
    bool found = false;
    if (!opts->no_postfix && pf_identity_load(opts->postfix_dir, &host, set, diags) != 0)
        found = true;
    if (!opts->no_exim && exim_identity_load(opts->exim_config, opts->exim_debian_dir, &host, set, diags) != 0)
        found = true;
    free(hostname);

    facts->diags = diags;
    facts->mta_config_found = found;
    if (opts->helo)
        facts->helo_override = xstrdup(opts->helo);
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
    for (size_t i = 0; i < set->n; i++)
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            if (set->items[i].families & MODEL_FAMILY_BIT(f))
                sources_probe(facts, i, &set->items[i], (enum model_family)f, opts, &ifaces);
    iface_list_free(&ifaces);

    resolve_run(set, facts, opts, deadline);
}

int audit_run(const struct cli_options *opts)
{
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    struct facts facts = FACTS_INIT;
    struct finding_list findings = FINDING_LIST_INIT;

    audit_collect(opts, &set, &diags, &facts);
    check_run(&set, &facts, &findings);

    char *out;
    switch (opts->format) {
    case CLI_FORMAT_JSON:
        out = report_json(&set, &facts, &findings);
        break;
    case CLI_FORMAT_NAGIOS:
        out = report_nagios(&set, &facts, &findings);
        break;
    case CLI_FORMAT_PROMETHEUS:
        out = report_prometheus(&set, &facts, &findings);
        break;
    case CLI_FORMAT_TEXT:
    default:
        out = report_text(&set, &facts, &findings, term_use_color(opts->color, stdout));
        break;
    }
    fputs(out, stdout);
    fflush(stdout);
    free(out);
    int rc = (int)finding_status_of(&findings);

    finding_list_free(&findings);
    facts_free(&facts);
    model_set_free(&set);
    diag_list_free(&diags);
    return rc;
}
