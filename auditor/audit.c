/* audit - the default command; see audit.h. */
#include "auditor/audit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/check.h"
#include "auditor/finding.h"
#include "auditor/lookup_plan.h"
#include "auditor/report_json.h"
#include "auditor/report_nagios.h"
#include "auditor/report_prometheus.h"
#include "auditor/report_text.h"
#include "auditor/term.h"
#include "auditor/xalloc.h"
#include "parsers/exim_identity.h"
#include "parsers/pf_identity.h"
#include "probes/dns.h"
#include "probes/iface.h"
#include "probes/mta_version.h"
#include "probes/route.h"

/* Asking postconf for its version must not eat the DNS budget. */
#define AUDIT_VERSION_TIMEOUT_MS 1000
/* The plan needs two rounds; a third or more would only follow a plan that
 * keeps asking, which the bound stops. */
#define AUDIT_MAX_DNS_ROUNDS 4

static int audit_family_of(const char *address)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, address, buf) == 1)
        return MODEL_IPV4;
    if (inet_pton(AF_INET6, address, buf) == 1)
        return MODEL_IPV6;
    return -1;
}

/* The first of the given addresses that belongs to family, or NULL. */
static const char *audit_pick(const struct strlist *list, enum model_family family)
{
    for (size_t i = 0; i < list->n; i++)
        if (audit_family_of(list->items[i]) == (int)family)
            return list->items[i];
    return NULL;
}

static void audit_route_error(struct facts_source *src, const struct route_result *r)
{
    if (r->error)
        src->error = xstrdup(strerror(r->error));
}

/* What the interface list says about the source address. */
static void audit_iface_facts(struct facts_source *src, const struct iface_list *ifaces)
{
    if (!src->address)
        return;
    src->scope = facts_scope_of(src->address);
    const struct iface_addr *a = iface_list_find(ifaces, src->address);
    if (!a)
        return;
    if (!src->interface && a->ifname[0])
        src->interface = xstrdup(a->ifname);
    src->temporary = iface_addr_temporary(a);
    src->deprecated = iface_addr_deprecated(a);
    src->tentative = iface_addr_tentative(a);
}

/* One (identity, family): where its mail would come from. */
static void audit_source(struct facts *facts, size_t index, const struct model_identity *id,
                         enum model_family family, const struct cli_options *opts,
                         const struct iface_list *ifaces)
{
    const char *target = audit_pick(&opts->route_targets, family);
    if (!target)
        target = route_default_target(family == MODEL_IPV6 ? AF_INET6 : AF_INET);
    const char *given = audit_pick(&opts->source_ips, family);
    const struct model_bind *bind = &id->bind[family];
    bool bound = (bind->how == MODEL_BIND_PARAM || bind->how == MODEL_BIND_INET_INTERFACES) && bind->address &&
                 audit_family_of(bind->address) == (int)family;

    struct facts_source *src = facts_source_add(facts, index, family);
    struct route_result kernel;
    route_lookup(target, NULL, ROUTE_AUTO, &kernel);
    if (kernel.status == ROUTE_OK)
        src->kernel_address = xstrdup(kernel.source);

    if (given) {
        /* A planned or public address: the audit judges it as the source
         * whatever this host's routing says today. */
        src->how = FACTS_HOW_GIVEN;
        src->route = true;
        src->address = xstrdup(given);
        audit_iface_facts(src, ifaces);
        src->scope = facts_scope_of(given);
        return;
    }
    if (bound) {
        struct route_bind check;
        route_bind_check(bind->address, target, &check);
        src->how = bind->how == MODEL_BIND_PARAM ? FACTS_HOW_BIND : FACTS_HOW_INET_INTERFACES;
        src->address = xstrdup(bind->address);
        if (check.status == ROUTE_BIND_LOCAL) {
            src->bind_local = FACTS_LOCAL_YES;
            src->route = check.route.status == ROUTE_OK;
            if (check.route.ifname[0])
                src->interface = xstrdup(check.route.ifname);
            if (!src->route)
                audit_route_error(src, &check.route);
        } else if (check.status == ROUTE_BIND_NOT_LOCAL) {
            src->bind_local = FACTS_LOCAL_NO;
            src->route = kernel.status == ROUTE_OK;
            if (!src->route)
                audit_route_error(src, &kernel);
        } else {
            src->bind_local = FACTS_LOCAL_UNKNOWN;
            src->route = kernel.status == ROUTE_OK;
            if (check.error)
                src->error = xasprintf("cannot test the bind address: %s", strerror(check.error));
        }
        audit_iface_facts(src, ifaces);
        return;
    }
    src->how = FACTS_HOW_ROUTE;
    src->route = kernel.status == ROUTE_OK;
    if (src->route) {
        src->address = xstrdup(kernel.source);
        if (kernel.ifname[0])
            src->interface = xstrdup(kernel.ifname);
    } else {
        audit_route_error(src, &kernel);
    }
    audit_iface_facts(src, ifaces);
}

static enum facts_status audit_status(enum dns_status s)
{
    switch (s) {
    case DNS_OK:
        return FACTS_OK;
    case DNS_NXDOMAIN:
        return FACTS_NXDOMAIN;
    case DNS_NODATA:
        return FACTS_NODATA;
    case DNS_SERVFAIL:
        return FACTS_SERVFAIL;
    case DNS_REFUSED:
        return FACTS_REFUSED;
    case DNS_TIMEOUT:
    case DNS_PENDING:
        return FACTS_TIMEOUT;
    case DNS_ERROR:
        break;
    }
    return FACTS_ERROR;
}

static enum dns_type audit_dns_type(enum facts_rrtype t)
{
    return t == FACTS_PTR ? DNS_PTR : t == FACTS_A ? DNS_A : DNS_AAAA;
}

/* Ask what the checks need, round after round, until nothing is missing or
 * the deadline passes. A resolver that cannot even be set up answers every
 * question with "error". */
static void audit_dns(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
                      long long deadline)
{
    struct dns_server *servers = xcalloc(opts->dns_servers.n, sizeof(*servers));
    for (size_t i = 0; i < opts->dns_servers.n; i++)
        dns_server_parse(opts->dns_servers.items[i], &servers[i]);
    struct dns_options dopts = {servers, opts->dns_servers.n, NULL, 0, 0};
    struct dns_batch *batch = NULL;
    char *err = NULL;
    if (dns_batch_new(&dopts, &batch, &err) < 0) {
        /* Every verdict that needs DNS becomes unknown; say why once. */
        fprintf(stderr, "mta-preflight: %s\n", err ? err : "cannot initialise the DNS resolver");
        batch = NULL;
    }

    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    for (int round = 0; round < AUDIT_MAX_DNS_ROUNDS; round++) {
        lookup_plan_next(set, facts, &plan);
        if (plan.n == 0)
            break;
        if (batch) {
            for (size_t i = 0; i < plan.n; i++)
                dns_batch_add(batch, audit_dns_type(plan.items[i].type), plan.items[i].name);
            dns_batch_run(batch, deadline);
        }
        for (size_t i = 0; i < plan.n; i++) {
            const struct lookup_question *q = &plan.items[i];
            const struct dns_result *r = batch ? dns_batch_find(batch, audit_dns_type(q->type), q->name) : NULL;
            if (!r) {
                facts_lookup_set(facts, q->name, q->type, FACTS_ERROR, NULL, 0, 0);
                continue;
            }
            facts_lookup_set(facts, q->name, q->type, audit_status(r->status),
                             (const char *const *)r->answers.items, r->answers.n, r->ms > 0 ? (unsigned)r->ms : 0);
        }
    }
    lookup_plan_free(&plan);
    if (batch)
        dns_batch_free(batch);
    free(err);
    free(servers);
}

void audit_collect(const struct cli_options *opts, struct model_set *set, struct diag_list *diags,
                   struct facts *facts)
{
    long long deadline = dns_deadline_in(opts->timeout_ms);
    char *hostname = cli_options_hostname(opts);
    struct model_host host = {hostname};
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
                audit_source(facts, i, &set->items[i], (enum model_family)f, opts, &ifaces);
    iface_list_free(&ifaces);

    audit_dns(set, facts, opts, deadline);
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
