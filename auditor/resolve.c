/* resolve - the audit's DNS rounds; see resolve.h. */
#include "auditor/resolve.h"

#include <stdio.h>
#include <stdlib.h>

#include "auditor/foundation/xalloc.h"
#include "auditor/lookup_plan.h"
#include "auditor/sources.h"

/* The plan needs two rounds (five with --authoritative); more would only
 * follow a plan that keeps asking, which the bound stops. */
#define RESOLVE_MAX_ROUNDS 6

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
    switch (t) {
    case FACTS_PTR:
        return DNS_PTR;
    case FACTS_A:
        return DNS_A;
    case FACTS_AAAA:
        return DNS_AAAA;
    case FACTS_SOA:
        return DNS_SOA;
    case FACTS_MX:
        return DNS_MX;
    case FACTS_NS:
        break;
    }
    return DNS_NS;
}

/* Copy one probe result into the facts. */
void resolve_record(struct facts *facts, const struct lookup_question *q, const struct dns_result *r)
{
    unsigned ms = r->ms > 0 ? (unsigned)r->ms : 0;
    struct facts_lookup *l =
        q->server ? facts_lookup_set_direct(facts, q->name, q->type, q->server, resolve_status(r->status),
                                            (const char *const *)r->answers.items, r->answers.n, ms)
                  : facts_lookup_set(facts, q->name, q->type, resolve_status(r->status),
                                     (const char *const *)r->answers.items, r->answers.n, ms);
    if (!q->server)
        l->server = r->server ? xstrdup(r->server) : NULL;
    l->ttl = r->ttl;
    if (r->soa.zone) {
        l->zone = xstrdup(r->soa.zone);
        l->mname = r->soa.mname ? xstrdup(r->soa.mname) : NULL;
        l->rname = r->soa.rname ? xstrdup(r->soa.rname) : NULL;
        l->serial = r->soa.serial;
    }
    l->detail = r->detail ? xstrdup(r->detail) : NULL;
    for (size_t i = 0; i < r->invalid.n; i++)
        strlist_add(&l->invalid, r->invalid.items[i]);
}

void resolve_add(struct dns_batch *batch, const struct lookup_question *q)
{
    struct dns_server server;
    if (!q->server) {
        dns_batch_add(batch, resolve_dns_type(q->type), q->name);
        return;
    }
    if (dns_server_parse(q->server, &server) == 0)
        dns_batch_add_direct(batch, resolve_dns_type(q->type), q->name, &server);
}

const struct dns_result *resolve_find(const struct dns_batch *batch, const struct lookup_question *q)
{
    if (!q->server)
        return dns_batch_find(batch, resolve_dns_type(q->type), q->name);
    return dns_batch_find_direct(batch, resolve_dns_type(q->type), q->name, q->server);
}

void resolve_run_with(const struct model_set *set, struct facts *facts, const struct dns_options *dopts,
                      long long deadline, resolve_round_fn *after_round, void *ctx)
{
    struct dns_batch *batch = NULL;
    char *err = NULL;
    if (dns_batch_new(dopts, &batch, &err) < 0) {
        /* Every verdict that needs DNS becomes unknown; say why once. */
        if (!err)
            err = xstrdup("cannot initialise the DNS resolver");
        fprintf(stderr, "mta-preflight: %s\n", err);
        batch = NULL;
    }
    strlist_free(&facts->resolvers);
    if (batch) {
        for (size_t i = 0; i < dns_batch_server_count(batch); i++)
            strlist_add(&facts->resolvers, dns_batch_server(batch, i));
    } else {
        for (size_t i = 0; i < dopts->nservers; i++) {
            char text[DNS_SERVER_TEXT_MAX];
            dns_server_format(&dopts->servers[i], text);
            strlist_add(&facts->resolvers, text);
        }
    }

    struct lookup_plan plan = LOOKUP_PLAN_INIT;
    for (int round = 0; round < RESOLVE_MAX_ROUNDS; round++) {
        lookup_plan_next(set, facts, &plan);
        if (plan.n == 0)
            break;
        if (batch) {
            for (size_t i = 0; i < plan.n; i++)
                resolve_add(batch, &plan.items[i]);
            dns_batch_run(batch, deadline);
        }
        for (size_t i = 0; i < plan.n; i++) {
            const struct lookup_question *q = &plan.items[i];
            const struct dns_result *r = batch ? resolve_find(batch, q) : NULL;
            if (!r) {
                struct facts_lookup *l = q->server
                    ? facts_lookup_set_direct(facts, q->name, q->type, q->server, FACTS_ERROR, NULL, 0, 0)
                    : facts_lookup_set(facts, q->name, q->type, FACTS_ERROR, NULL, 0, 0);
                l->detail = xstrdup(err ? err : "the lookup was not asked");
                continue;
            }
            resolve_record(facts, q, r);
        }
        if (after_round)
            after_round(set, facts, ctx);
    }
    lookup_plan_free(&plan);
    if (batch)
        dns_batch_free(batch);
    free(err);
}

/* resolve_refine_sources - after a round, a relay's address may be known:
 * its route is asked then. */
static void resolve_refine_sources(const struct model_set *set, struct facts *facts, void *ctx)
{
    const struct cli_options *opts = ctx;
    sources_refine(set, facts, opts);
}

void resolve_run(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
                 long long deadline)
{
    struct dns_options dopts = { opts->dns_parsed, opts->ndns_parsed, NULL, 0, 0 };
    struct cli_options copy = *opts; /* ctx is not const */
    resolve_run_with(set, facts, &dopts, deadline, resolve_refine_sources, &copy);
}
