/* lookup_plan - the DNS questions the checks need; see lookup_plan.h. */
#include "auditor/lookup_plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/verdict.h"
#include "auditor/verdict_inbound.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/sources.h"

static void lookup_plan_add_at(struct lookup_plan *plan, const struct facts *facts, const char *name,
                               enum facts_rrtype type, const char *server)
{
    if (!name)
        return;
    if (server ? facts_lookup_find_direct(facts, name, type, server) != NULL : facts_lookup_find(facts, name, type) != NULL)
        return;
    for (size_t i = 0; i < plan->n; i++) {
        const struct lookup_question *q = &plan->items[i];
        bool same_server = server ? q->server && strcmp(q->server, server) == 0 : !q->server;
        if (q->type == type && same_server && hostname_equal(q->name, name))
            return;
    }
    XGROW(plan->items, plan->cap, plan->n + 1);
    plan->items[plan->n].name = hostname_normal(name);
    plan->items[plan->n].type = type;
    plan->items[plan->n].server = server ? xstrdup(server) : NULL;
    plan->n++;
}

static void lookup_plan_add(struct lookup_plan *plan, const struct facts *facts, const char *name,
                            enum facts_rrtype type)
{
    lookup_plan_add_at(plan, facts, name, type, NULL);
}

/* lookup_plan_forward - the A (IPv4 address) or AAAA (IPv6) of every valid
 * name of a PTR answer. */
static void lookup_plan_forward(struct lookup_plan *out, const struct facts *facts, const struct facts_lookup *ptr,
                                enum facts_rrtype fw)
{
    if (!ptr || ptr->status != FACTS_OK)
        return;
    for (size_t k = 0; k < ptr->answers.n; k++)
        if (hostname_valid(ptr->answers.items[k]))
            lookup_plan_add(out, facts, ptr->answers.items[k], fw);
}

/* lookup_plan_zone - the reverse zone's NS, and with --authoritative the
 * servers' addresses and the PTR asked of each of them. */
static void lookup_plan_zone(struct lookup_plan *out, const struct facts *facts, const char *rev,
                             enum facts_rrtype fw)
{
    const struct facts_lookup *soa = facts_lookup_find(facts, rev, FACTS_SOA);
    if (!soa || facts_status_failed(soa->status) || !soa->zone)
        return;
    const struct facts_lookup *ns = facts_lookup_find(facts, soa->zone, FACTS_NS);
    if (!ns) {
        lookup_plan_add(out, facts, soa->zone, FACTS_NS);
        return;
    }
    if (!facts->authoritative || ns->status != FACTS_OK)
        return;
    for (size_t k = 0; k < ns->answers.n; k++)
        if (hostname_valid(ns->answers.items[k])) {
            lookup_plan_add(out, facts, ns->answers.items[k], FACTS_A);
            lookup_plan_add(out, facts, ns->answers.items[k], FACTS_AAAA);
        }
    struct strlist servers = STRLIST_INIT;
    verdict_reverse_auth_servers(facts, soa->zone, &servers);
    for (size_t k = 0; k < servers.n; k++) {
        const struct facts_lookup *d = facts_lookup_find_direct(facts, rev, FACTS_PTR, servers.items[k]);
        if (!d)
            lookup_plan_add_at(out, facts, rev, FACTS_PTR, servers.items[k]);
        else
            lookup_plan_forward(out, facts, d, fw);
    }
    strlist_free(&servers);
}

/* lookup_plan_reverse - the questions of verdict_reverse_compute() for one
 * address, a source's or a listening one alike: first the PTR and the SOA
 * of its reverse name; then the forward confirmation of the PTR names and
 * the zone's NS; with --authoritative the zone's servers and the PTR asked
 * of each. */
static void lookup_plan_reverse(struct lookup_plan *out, const struct facts *facts, const char *address)
{
    char *rev = address ? revname_of(address) : NULL;
    if (!rev)
        return;
    enum facts_rrtype fw = hostname_address_family(address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    const struct facts_lookup *ptr = facts_lookup_find(facts, rev, FACTS_PTR);
    if (!ptr)
        lookup_plan_add(out, facts, rev, FACTS_PTR);
    else
        lookup_plan_forward(out, facts, ptr, fw);
    /* The reverse zone rides along: its SOA with the PTR, its NS with the
     * forward lookups. */
    lookup_plan_add(out, facts, rev, FACTS_SOA);
    lookup_plan_zone(out, facts, rev, fw);
    free(rev);
}

/* lookup_plan_inbound - the receiving side: the MX of every domain, then
 * the A and AAAA of every MX target; and the reverse DNS of every public
 * address an MX listener receives mail on (lookup_plan_reverse). */
static void lookup_plan_inbound(const struct facts *facts, struct lookup_plan *out)
{
    const struct listener_set *in = facts->inbound;
    if (!in || !verdict_inbound_receives(in))
        return;
    for (size_t i = 0; i < in->ndomains; i++) {
        const struct facts_lookup *mx = facts_lookup_find(facts, in->domains[i].name, FACTS_MX);
        if (!mx) {
            lookup_plan_add(out, facts, in->domains[i].name, FACTS_MX);
            continue;
        }
        for (size_t k = 0; mx->status == FACTS_OK && k < mx->answers.n; k++) {
            unsigned pref;
            const char *name;
            if (!facts_mx_parse(mx->answers.items[k], &pref, &name) || !hostname_valid(name))
                continue;
            lookup_plan_add(out, facts, name, FACTS_A);
            lookup_plan_add(out, facts, name, FACTS_AAAA);
        }
    }
    for (size_t i = 0; i < in->n; i++) {
        if (!in->items[i].mx)
            continue;
        struct strlist addrs = STRLIST_INIT;
        verdict_inbound_addresses(&in->items[i], facts, &addrs, NULL);
        for (size_t k = 0; k < addrs.n; k++)
            lookup_plan_reverse(out, facts, addrs.items[k]);
        strlist_free(&addrs);
    }
}

void lookup_plan_next(const struct model_set *set, const struct facts *facts, struct lookup_plan *out)
{
    lookup_plan_free(out);
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        /* The relay's addresses: the route question goes to them
         * (sources_refine). A relay found by MX: its MX and its own
         * addresses (the fallback) first, the best MX target's next. */
        char *relay = sources_relay_name(id);
        char *target = sources_relay_lookup_name(id, facts);
        if (relay && id->relay_mx)
            lookup_plan_add(out, facts, relay, FACTS_MX);
        for (int f = 0; relay && f < MODEL_NFAMILIES; f++)
            if (verdict_family_used(id, facts, (enum model_family)f)) {
                lookup_plan_add(out, facts, relay, f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A);
                lookup_plan_add(out, facts, target, f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A);
            }
        free(target);
        free(relay);
        for (int f = 0; f < MODEL_NFAMILIES; f++) {
            if (!verdict_family_used(id, facts, (enum model_family)f))
                continue;
            const struct facts_source *src = facts_source_find(facts, i, (enum model_family)f);
            lookup_plan_reverse(out, facts, verdict_source_address(id, src));
        }
        /* The EHLO name is judged whenever mail can leave, also behind NAT. */
        const char *helo = verdict_has_route(id, i, facts) ? verdict_helo_checkable(id, facts) : NULL;
        lookup_plan_add(out, facts, helo, FACTS_A);
        lookup_plan_add(out, facts, helo, FACTS_AAAA);
    }
    lookup_plan_inbound(facts, out);
    /* The resolver canary rides along with the first round that asks
     * anything, so it costs no round trip of its own; an audit that needs
     * no DNS does not ask it. */
    if (out->n > 0)
        lookup_plan_add(out, facts, FACTS_CANARY_NAME, FACTS_NS);
}

void lookup_plan_free(struct lookup_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        free(plan->items[i].name);
        free(plan->items[i].server);
    }
    free(plan->items);
    memset(plan, 0, sizeof(*plan));
}
