/* resolve - the audit's DNS rounds; see resolve.h. */
#include "auditor/resolve.h"

#include <stdio.h>
#include <stdlib.h>

#include "auditor/foundation/xalloc.h"
#include "auditor/lookup_plan.h"
#include "auditor/sources.h"
#include "probes/dns.h"

/* The plan needs two rounds; a third or more would only follow a plan that
 * keeps asking, which the bound stops. */
#define RESOLVE_MAX_ROUNDS 4

static enum facts_status resolve_status(enum dns_status s)
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

static enum dns_type resolve_dns_type(enum facts_rrtype t)
{
    return t == FACTS_PTR ? DNS_PTR : t == FACTS_A ? DNS_A : DNS_AAAA;
}

/* Ask what the checks need, round after round, until nothing is missing or
 * the deadline passes. A resolver that cannot even be set up answers every
 * question with "error". */
void resolve_run(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
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
    for (int round = 0; round < RESOLVE_MAX_ROUNDS; round++) {
        lookup_plan_next(set, facts, &plan);
        if (plan.n == 0)
            break;
        if (batch) {
            for (size_t i = 0; i < plan.n; i++)
                dns_batch_add(batch, resolve_dns_type(plan.items[i].type), plan.items[i].name);
            dns_batch_run(batch, deadline);
        }
        for (size_t i = 0; i < plan.n; i++) {
            const struct lookup_question *q = &plan.items[i];
            const struct dns_result *r = batch ? dns_batch_find(batch, resolve_dns_type(q->type), q->name) : NULL;
            if (!r) {
                facts_lookup_set(facts, q->name, q->type, FACTS_ERROR, NULL, 0, 0);
                continue;
            }
            facts_lookup_set(facts, q->name, q->type, resolve_status(r->status),
                             (const char *const *)r->answers.items, r->answers.n, r->ms > 0 ? (unsigned)r->ms : 0);
        }
        sources_refine(set, facts, opts); /* a relay's address is known now: ask its route */
    }
    lookup_plan_free(&plan);
    if (batch)
        dns_batch_free(batch);
    free(err);
    free(servers);
}

