/* sources - where each identity's mail would leave from; see sources.h. */
#include "auditor/sources.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"
#include "probes/route.h"

static int sources_family_of(const char *address)
{
    unsigned char buf[16];
    if (!address)
        return -1;
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

/* The relay's first host and its port text, split as the MTAs write them:
 * "[host]:port", "[host]", "[ipv6:addr]", a bare IPv6 address, "host:port",
 * "host" (Postfix lists more with commas or spaces; Exim's "/MX" suffix is
 * dropped). Returns 0, or -1 when there is no relay or it is computed at
 * delivery time. *port is NULL when none is given. */
static int sources_relay_split(const char *relay, char **host, char **port)
{
    *host = *port = NULL;
    if (!relay || strchr(relay, '$'))
        return -1;
    while (*relay == ' ' || *relay == '\t' || *relay == ',')
        relay++;
    size_t len = strcspn(relay, ", \t");
    if (len == 0)
        return -1;
    char *first = xstrndup(relay, len);
    char *h = first, *p = NULL;
    if (first[0] == '[') {
        char *end = strchr(first, ']');
        if (!end) {
            free(first);
            return -1;
        }
        *end = '\0';
        h = first + 1;
        if (strncasecmp(h, "ipv6:", 5) == 0)
            h += 5;
        if (end[1] == ':')
            p = end + 2;
    } else if (sources_family_of(first) < 0) {
        char *colon = strchr(first, ':');
        if (colon && !strchr(colon + 1, ':')) {
            *colon = '\0';
            p = colon + 1;
        }
    }
    char *slash = strchr(h, '/');
    if (slash)
        *slash = '\0';
    if (*h)
        *host = xstrdup(h);
    if (p && *p)
        *port = xstrdup(p);
    free(first);
    return *host ? 0 : -1;
}

/* A port as Postfix and Exim accept it: a number, or a service name from
 * the services database. 0 when neither. */
static unsigned sources_port_number(const char *text)
{
    if (!text || !*text)
        return 0;
    if (isdigit((unsigned char)text[0])) {
        char *end;
        long n = strtol(text, &end, 10);
        return *end == '\0' && n > 0 && n <= 65535 ? (unsigned)n : 0;
    }
    const struct servent *se = getservbyname(text, "tcp");
    return se ? ntohs((unsigned short)se->s_port) : 0;
}

unsigned sources_relay_port(const struct model_identity *id)
{
    char *host, *port;
    unsigned n = 0;
    if (sources_relay_split(id->relay, &host, &port) == 0)
        n = sources_port_number(port);
    free(host);
    free(port);
    /* A next hop without a port goes to the transport's own. */
    if (!n)
        n = sources_port_number(id->port);
    return n ? n : ROUTE_SMTP_PORT;
}

char *sources_relay_name(const struct model_identity *id)
{
    char *host, *port;
    if (sources_relay_split(id->relay, &host, &port) < 0 || sources_family_of(host) >= 0) {
        free(host);
        free(port);
        return NULL;
    }
    free(port);
    for (char *c = host; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return host;
}

char *sources_relay_lookup_name(const struct model_identity *id, const struct facts *facts)
{
    char *name = sources_relay_name(id);
    if (!name || !id->relay_mx)
        return name;
    const struct facts_lookup *mx = facts_lookup_find(facts, name, FACTS_MX);
    if (mx && (mx->status == FACTS_NXDOMAIN || mx->status == FACTS_NODATA))
        return name; /* no MX: the MTA falls back to the name's own address */
    const char *best = NULL;
    unsigned best_pref = 0;
    for (size_t i = 0; mx && mx->status == FACTS_OK && i < mx->answers.n; i++) {
        unsigned pref;
        const char *target;
        if (!facts_mx_parse(mx->answers.items[i], &pref, &target) || strcmp(target, ".") == 0)
            continue;
        if (!best || pref < best_pref || (pref == best_pref && strcmp(target, best) < 0)) {
            best = target;
            best_pref = pref;
        }
    }
    free(name);
    return best ? hostname_normal(best) : NULL;
}

/* The relay's literal address of family, or NULL. free() it. */
static char *sources_relay_literal(const struct model_identity *id, enum model_family family)
{
    char *host, *port;
    if (sources_relay_split(id->relay, &host, &port) == 0 && sources_family_of(host) == (int)family) {
        free(port);
        return host;
    }
    free(host);
    free(port);
    return NULL;
}

/* The uid of user, -1 when there is none or it is unknown here. */
static long sources_uid(const char *user)
{
    if (!user || !*user)
        return -1;
    char buf[4096];
    struct passwd pw, *found = NULL;
    if (getpwnam_r(user, &pw, buf, sizeof(buf), &found) == 0 && found)
        return (long)found->pw_uid;
    /* Exim also takes a number. */
    char *end;
    long n = strtol(user, &end, 10);
    return isdigit((unsigned char)user[0]) && *end == '\0' && n >= 0 && n < 4294967295L ? n : -1;
}

static void sources_route_error(struct facts_source *src, const struct route_result *r)
{
    if (r->error) {
        free(src->error);
        src->error = xstrdup(strerror(r->error));
    }
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

/* A bind that fails is only a warning to this MTA: Postfix's explicit
 * smtp_bind_address(6) without smtp_bind_address_enforce connects unbound
 * (smtp_connect_addr()). Its implicit inet_interfaces address is no such
 * case: with a foreign one Postfix stops at once ("no local interface found"),
 * and Exim defers the delivery when its interface cannot be bound. */
static bool sources_bind_falls_back(const struct model_identity *id, const struct model_bind *bind)
{
    return id->mta == MODEL_POSTFIX && !id->bind_enforce && bind->how == MODEL_BIND_PARAM;
}

/* Fill src (zeroed, identity and family set) for the question toward
 * target on port. */
static void sources_fill(struct facts_source *src, const struct model_identity *id, enum model_family family,
                         const struct cli_options *opts, const struct iface_list *ifaces, const char *target,
                         unsigned port)
{
    const char *given = sources_pick(&opts->source_ips, family);
    const struct model_bind *bind = &id->bind[family];
    bool bound = (bind->how == MODEL_BIND_PARAM || bind->how == MODEL_BIND_INET_INTERFACES) && bind->address &&
                 sources_family_of(bind->address) == (int)family;

    struct route_question q = ROUTE_QUESTION_INIT;
    q.target = target;
    q.port = port;
    q.uid = sources_uid(id->delivery_user);
    src->target = xstrdup(target);
    src->port = port;
    src->user = id->delivery_user ? xstrdup(id->delivery_user) : NULL;
    src->uid = q.uid;

    struct route_result kernel;
    route_ask(&q, &kernel);
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
        route_bind_ask(bind->address, &q, &check);
        src->how = bind->how == MODEL_BIND_PARAM ? FACTS_HOW_BIND : FACTS_HOW_INET_INTERFACES;
        if (check.status == ROUTE_BIND_LOCAL) {
            src->address = xstrdup(bind->address);
            src->bind_local = FACTS_LOCAL_YES;
            src->route = check.route.status == ROUTE_OK;
            if (check.route.ifname[0])
                src->interface = xstrdup(check.route.ifname);
            if (!src->route)
                sources_route_error(src, &check.route);
        } else if (check.status == ROUTE_BIND_NOT_LOCAL) {
            src->bind_local = FACTS_LOCAL_NO;
            src->configured_address = xstrdup(bind->address);
            src->route = kernel.status == ROUTE_OK;
            if (!src->route) {
                sources_route_error(src, &kernel);
            } else if (sources_bind_falls_back(id, bind)) {
                src->address = xstrdup(kernel.source);
                if (kernel.ifname[0])
                    src->interface = xstrdup(kernel.ifname);
            } else {
                src->error = xasprintf("cannot bind %s: %s", bind->address, strerror(check.error));
            }
        } else {
            src->address = xstrdup(bind->address);
            src->bind_local = FACTS_LOCAL_UNKNOWN;
            src->route = kernel.status == ROUTE_OK;
            if (!src->route)
                sources_route_error(src, &kernel);
            else if (check.error)
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

/* The route target before DNS: --route-target, else the relay's literal
 * address of the family, else the family's default target. free() it. */
static char *sources_first_target(const struct model_identity *id, enum model_family family,
                                  const struct cli_options *opts)
{
    const char *forced = sources_pick(&opts->route_targets, family);
    if (forced)
        return xstrdup(forced);
    char *literal = sources_relay_literal(id, family);
    if (literal)
        return literal;
    return xstrdup(route_default_target(family == MODEL_IPV6 ? AF_INET6 : AF_INET));
}

/* One (identity, family): where its mail would come from. */
void sources_probe(struct facts *facts, size_t index, const struct model_identity *id, enum model_family family,
                   const struct cli_options *opts, const struct iface_list *ifaces)
{
    char *target = sources_first_target(id, family, opts);
    struct facts_source *src = facts_source_add(facts, index, family);
    sources_fill(src, id, family, opts, ifaces, target, sources_relay_port(id));
    free(target);
}

/* Free what sources_fill set and zero the record, keeping what it is for.
 * (It owns exactly the strings facts_free() frees for a source.) */
static void sources_clear(struct facts_source *src)
{
    size_t identity = src->identity;
    enum model_family family = src->family;
    free(src->address);
    free(src->interface);
    free(src->kernel_address);
    free(src->error);
    free(src->configured_address);
    free(src->target);
    free(src->user);
    memset(src, 0, sizeof(*src));
    src->identity = identity;
    src->family = family;
    src->how = FACTS_HOW_ROUTE;
    src->uid = -1;
}

size_t sources_refine(const struct model_set *set, struct facts *facts, const struct cli_options *opts)
{
    struct iface_list ifaces = IFACE_LIST_INIT;
    bool loaded = false;
    size_t changed = 0;
    for (size_t i = 0; i < facts->nsources; i++) {
        struct facts_source *src = &facts->sources[i];
        if (src->identity >= set->n || sources_pick(&opts->route_targets, src->family))
            continue;
        const struct model_identity *id = &set->items[src->identity];
        char *name = sources_relay_lookup_name(id, facts);
        if (!name)
            continue;
        const struct facts_lookup *l =
            facts_lookup_find(facts, name, src->family == MODEL_IPV6 ? FACTS_AAAA : FACTS_A);
        free(name);
        if (!l || l->status != FACTS_OK || l->answers.n == 0)
            continue;
        /* Answers are sorted: the first is a stable choice among several. */
        const char *addr = l->answers.items[0];
        if (sources_family_of(addr) != (int)src->family || (src->target && strcmp(src->target, addr) == 0))
            continue;
        if (!loaded) {
            iface_list_load(&ifaces); /* without it, interface facts stay unknown */
            loaded = true;
        }
        char *target = xstrdup(addr);
        unsigned port = src->port;
        sources_clear(src);
        sources_fill(src, id, src->family, opts, &ifaces, target, port);
        free(target);
        changed++;
    }
    iface_list_free(&ifaces);
    return changed;
}
