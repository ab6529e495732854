/* sources - where each identity's mail would leave from; see sources.h. */
#include "auditor/sources.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "probes/route.h"

static int sources_family_of(const char *address)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, address, buf) == 1)
        return MODEL_IPV4;
    if (inet_pton(AF_INET6, address, buf) == 1)
        return MODEL_IPV6;
    return -1;
}

/* The first of the given addresses that belongs to family, or NULL. */
static const char *sources_pick(const struct strlist *list, enum model_family family)
{
    for (size_t i = 0; i < list->n; i++)
        if (sources_family_of(list->items[i]) == (int)family)
            return list->items[i];
    return NULL;
}

static void sources_route_error(struct facts_source *src, const struct route_result *r)
{
    if (r->error)
        src->error = xstrdup(strerror(r->error));
}

/* What the interface list says about the source address. */
static void sources_iface_facts(struct facts_source *src, const struct iface_list *ifaces)
{
    if (!src->address)
        return;
    src->scope = scope_of(src->address);
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
void sources_probe(struct facts *facts, size_t index, const struct model_identity *id,
                         enum model_family family, const struct cli_options *opts,
                         const struct iface_list *ifaces)
{
    const char *target = sources_pick(&opts->route_targets, family);
    if (!target)
        target = route_default_target(family == MODEL_IPV6 ? AF_INET6 : AF_INET);
    const char *given = sources_pick(&opts->source_ips, family);
    const struct model_bind *bind = &id->bind[family];
    bool bound = (bind->how == MODEL_BIND_PARAM || bind->how == MODEL_BIND_INET_INTERFACES) && bind->address &&
                 sources_family_of(bind->address) == (int)family;

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
        sources_iface_facts(src, ifaces);
        src->scope = scope_of(given);
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
                sources_route_error(src, &check.route);
        } else if (check.status == ROUTE_BIND_NOT_LOCAL) {
            src->bind_local = FACTS_LOCAL_NO;
            src->route = kernel.status == ROUTE_OK;
            if (!src->route)
                sources_route_error(src, &kernel);
        } else {
            src->bind_local = FACTS_LOCAL_UNKNOWN;
            src->route = kernel.status == ROUTE_OK;
            if (check.error)
                src->error = xasprintf("cannot test the bind address: %s", strerror(check.error));
        }
        sources_iface_facts(src, ifaces);
        return;
    }
    src->how = FACTS_HOW_ROUTE;
    src->route = kernel.status == ROUTE_OK;
    if (src->route) {
        src->address = xstrdup(kernel.source);
        if (kernel.ifname[0])
            src->interface = xstrdup(kernel.ifname);
    } else {
        sources_route_error(src, &kernel);
    }
    sources_iface_facts(src, ifaces);
}

