/* exim_identity - Exim outbound identities; see exim_identity.h.
 *
 * Rules (mta-semantics §7, Exim 4.96):
 *  - one identity per transport with driver = smtp, in file order;
 *  - EHLO: helo_data, default "$primary_hostname"; primary_hostname is not
 *    expanded, defaults to the uname nodename, which Exim canonicalises
 *    through the resolver when it has no dot (not done here: parsers never
 *    resolve);
 *  - source: the first address of each family in interface; an expansion
 *    is only known at delivery time;
 *  - families: IPv6 is dropped by disable_ipv6, by a dns_ipv4_lookup that
 *    matches every domain, or when every router that uses the transport
 *    has ipv4_only; IPv6 is tried first unless those routers have
 *    ipv4_prefer;
 *  - relay: hosts with hosts_override, else manualroute routers' hosts, else
 *    the transport's hosts.
 * A configuration Exim would refuse to start with gives no identities: its
 * error is in the diag list (the config-error finding) and the
 * model_config is still recorded.
 */
#include "parsers/exim_identity.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_list.h"
#include "parsers/exim_load.h"
#include "parsers/exim_options.h"

/* Set *origin to where option o is set: its file and line, or a default
 * when it has no file. */
static void exim_identity_opt_origin(struct model_origin *origin, const struct exim_option *o)
{
    if (o->file)
        model_origin_file(origin, o->file, o->line);
    else
        model_origin_default(origin, NULL);
}

/* Say which macros an option's line used: in Debian's layout the value an
 * admin must change is the macro definition, not the option line. */
static void exim_identity_macro_notes(struct model_identity *id, const char *what, const struct exim_option *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->macros.n; i++) {
        char *note = xasprintf("%s uses macro %s", what, o->macros.items[i]);
        if (!strlist_contains(&id->notes, note))
            strlist_add_owned(&id->notes, note);
        else
            free(note);
    }
}

/* The value of primary_hostname as Exim would use it (without the
 * resolver step) and where it comes from. */
struct exim_primary {
    char *name;   /* NULL when unknown */
    struct model_origin origin;
    bool short_name; /* a nodename without a dot: the resolver may change it */
    const struct exim_option *opt; /* the primary_hostname line, or NULL */
};

static void exim_identity_primary(const struct exim_config *cfg, const struct model_host *host,
                                  struct exim_primary *p)
{
    const struct exim_option *o = exim_options_main(cfg, "primary_hostname");
    memset(p, 0, sizeof(*p));
    if (o) {
        p->name = xstrdup(o->value);
        exim_identity_opt_origin(&p->origin, o);
        p->opt = o;
        return;
    }
    if (!host || !host->hostname || !*host->hostname) {
        model_origin_default(&p->origin, "uname nodename, unknown");
        return;
    }
    p->name = xstrdup(host->hostname);
    if (strchr(host->hostname, '.')) {
        model_origin_default(&p->origin, "uname nodename");
    } else {
        p->short_name = true;
        model_origin_default(&p->origin,
                             "uname nodename; it has no dot, so Exim canonicalises it through the resolver");
    }
}

/* Replace $primary_hostname and ${primary_hostname}; NULL when anything
 * else would need the expansion engine. */
static char *exim_identity_eval(const char *s, const char *primary)
{
    struct strbuf sb = STRBUF_INIT;
    while (*s) {
        if (strncmp(s, "${primary_hostname}", 19) == 0) {
            if (!primary)
                goto dynamic;
            strbuf_adds(&sb, primary);
            s += 19;
        } else if (strncmp(s, "$primary_hostname", 17) == 0 &&
                   !(isalnum((unsigned char)s[17]) || s[17] == '_')) {
            if (!primary)
                goto dynamic;
            strbuf_adds(&sb, primary);
            s += 17;
        } else if (*s == '$' || *s == '\\') {
            goto dynamic;
        } else {
            strbuf_addc(&sb, *s++);
        }
    }
    return strbuf_detach(&sb);
dynamic:
    strbuf_release(&sb);
    return NULL;
}

static void exim_identity_helo(struct model_identity *id, const struct exim_driver *t,
                               const struct exim_primary *prim)
{
    const struct exim_option *o = exim_options_find(&t->opts, "helo_data");
    const char *expr = o ? o->value : "$primary_hostname";
    if (o)
        exim_identity_opt_origin(&id->helo_origin, o);
    else
        model_origin_copy(&id->helo_origin, &prim->origin);
    char *name = exim_identity_eval(expr, prim->name);
    exim_identity_macro_notes(id, "helo_data", o);
    if (!o || strstr(expr, "primary_hostname"))
        exim_identity_macro_notes(id, "primary_hostname", prim->opt);
    if (name) {
        id->helo_name = name;
        if (!o && prim->short_name)
            strlist_addf(&id->notes,
                         "primary_hostname is unset and the host name '%s' has no dot: Exim looks it up and uses "
                         "the canonical name the resolver returns (for example from /etc/hosts)",
                         prim->name);
        return;
    }
    id->helo_dynamic = true;
    id->helo_expression = xstrdup(expr);
    /* Debian's REMOTE_SMTP_HELO_FROM_DNS and similar: the PTR name of the
     * sending address, falling back to $primary_hostname */
    if (strstr(expr, "dnsdb") && strstr(expr, "ptr=$sending_ip_address") && strstr(expr, "primary_hostname") &&
        prim->name) {
        id->helo_name = xstrdup(prim->name);
        strlist_addf(&id->notes,
                     "helo_data is the PTR name of the sending address, looked up at delivery time; when the "
                     "lookup fails Exim uses $primary_hostname ('%s'), shown here as the best guess",
                     prim->name);
    } else {
        strlist_add(&id->notes, "helo_data is an expansion evaluated at delivery time");
    }
}

static void exim_identity_bind(struct model_identity *id, const struct exim_driver *t, struct diag_list *diags)
{
    const struct exim_option *o = exim_options_find(&t->opts, "interface");
    if (!o || !*o->value)
        return;
    exim_identity_macro_notes(id, "interface", o);
    struct model_origin origin = MODEL_ORIGIN_INIT;
    exim_identity_opt_origin(&origin, o);
    if (strchr(o->value, '$')) {
        for (int f = 0; f < MODEL_NFAMILIES; f++) {
            id->bind[f].how = MODEL_BIND_DYNAMIC;
            id->bind[f].expression = xstrdup(o->value);
            model_origin_copy(&id->bind[f].origin, &origin);
        }
        strlist_add(&id->notes, "interface is an expansion evaluated at delivery time");
        model_origin_free(&origin);
        return;
    }
    struct exim_list it;
    exim_list_init(&it, o->value);
    char *item;
    bool invalid = false;
    size_t extra[MODEL_NFAMILIES] = { 0, 0 };
    while ((item = exim_list_next(&it)) != NULL) {
        int fam;
        if (!*item) {
            free(item);
            continue;
        }
        if (!exim_list_is_ip(item, &fam)) {
            /* Exim finds this when it delivers, and defers the message */
            diag_add(diags, DIAG_ERROR, o->file, o->line,
                     "\"%s\" is not a valid IP address for the \"interface\" option for %s transport", item, t->name);
            invalid = true;
            free(item);
            continue;
        }
        int f = fam == 4 ? MODEL_IPV4 : MODEL_IPV6;
        if (id->bind[f].how == MODEL_BIND_NONE) {
            id->bind[f].how = MODEL_BIND_PARAM;
            id->bind[f].address = item;
            model_origin_copy(&id->bind[f].origin, &origin);
        } else {
            extra[f]++;
            free(item);
        }
    }
    if (invalid && strchr(o->value, ':') && !strchr(o->value, '<'))
        strlist_add(&id->notes, "interface uses ':' as separator: IPv6 addresses need '<;' in front of the list");
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const char *fname = f == MODEL_IPV4 ? "IPv4" : "IPv6";
        if (extra[f])
            strlist_addf(&id->notes, "interface lists more than one %s address: Exim binds to the first, %s", fname,
                         id->bind[f].address);
        if (id->bind[f].how == MODEL_BIND_NONE && !invalid &&
            id->bind[f == MODEL_IPV4 ? MODEL_IPV6 : MODEL_IPV4].how == MODEL_BIND_PARAM)
            strlist_addf(&id->notes, "interface has no %s address: %s connections are not bound and the kernel "
                                     "chooses their source",
                         fname, fname);
    }
    model_origin_free(&origin);
}

/* Whether list (a domain list, named lists resolved) has an item that
 * matches every domain. */
static bool exim_identity_matches_all(const struct exim_config *cfg, const char *value, int depth)
{
    if (depth > 10)
        return false;
    struct exim_list it;
    exim_list_init(&it, value);
    char *item;
    bool all = false;
    while (!all && (item = exim_list_next(&it)) != NULL) {
        if (item[0] == '!') {
            /* a negated item before any '*' can exclude domains */
            free(item);
            break;
        }
        if (strcmp(item, "*") == 0) {
            all = true;
        } else if (item[0] == '+') {
            const struct exim_named_list *nl = exim_options_named_list(cfg, "domainlist", item + 1);
            if (nl && exim_identity_matches_all(cfg, nl->value, depth + 1))
                all = true;
        }
        free(item);
    }
    return all;
}

/* An expanded router condition option (ipv4_only, ipv4_prefer):
 * 1 true, 0 false or unset, -1 known only at routing time. */
static int exim_identity_condition(const struct exim_option *o)
{
    if (!o)
        return 0;
    if (o->bare || o->negated)
        return o->negated ? 0 : 1;
    if (strchr(o->value, '$'))
        return -1;
    return strcasecmp(o->value, "true") == 0 || strcasecmp(o->value, "yes") == 0 || strcmp(o->value, "1") == 0;
}

/* route_list items "domains hosts options"; the hosts field of each. */
static void exim_identity_route_hosts(const char *route_list, struct strlist *hosts)
{
    struct exim_list it;
    /* route_list items are separated by ';' (a list with ';' as default) */
    char *wrapped = route_list[0] == '<' ? xstrdup(route_list) : xasprintf("<;%s", route_list);
    exim_list_init(&it, wrapped);
    char *item;
    while ((item = exim_list_next(&it)) != NULL) {
        const char *s = item;
        while (isspace((unsigned char)*s))
            s++;
        while (*s && !isspace((unsigned char)*s))
            s++; /* domain pattern */
        while (isspace((unsigned char)*s))
            s++;
        struct strbuf h = STRBUF_INIT;
        if (*s == '"') {
            s++;
            while (*s && *s != '"')
                strbuf_addc(&h, *s++);
            if (*s)
                s++;
        } else {
            while (*s && !isspace((unsigned char)*s))
                strbuf_addc(&h, *s++);
        }
        while (isspace((unsigned char)*s))
            s++;
        if (h.len)
            strlist_add(hosts, h.buf);
        strbuf_release(&h);
        free(item);
    }
    free(wrapped);
}

/* route_data "hosts options" (already one route). */
static void exim_identity_route_data(const char *data, struct strlist *hosts)
{
    char *wrapped = xasprintf("* %s", data);
    exim_identity_route_hosts(wrapped, hosts);
    free(wrapped);
}

/* An Exim host list as a relay string: the first host, its "::" port
 * written as ":port". */
static char *exim_identity_first_host(const char *hostlist, const char *port, size_t *count)
{
    struct exim_list it;
    exim_list_init(&it, hostlist);
    char *item, *first = NULL;
    *count = 0;
    while ((item = exim_list_next(&it)) != NULL) {
        if (!*item) {
            free(item);
            continue;
        }
        (*count)++;
        if (!first)
            first = item;
        else
            free(item);
    }
    if (first && port && *port && strcmp(port, "smtp") != 0 && strcmp(port, "25") != 0 && !strchr(first, ':')) {
        char *withport = xasprintf("%s:%s", first, port);
        free(first);
        first = withport;
    }
    return first;
}

/* Whether router r sends mail to transport tname: 1 when its transport
 * option names it, 2 when the option is an expansion that mentions it (the
 * router picks it or another one at routing time), else 0. */
static int exim_identity_router_uses(const struct exim_driver *r, const char *tname)
{
    const struct exim_option *tr = exim_options_find(&r->opts, "transport");
    if (!tr)
        return 0;
    if (strcmp(tr->value, tname) == 0)
        return 1;
    if (!strchr(tr->value, '$'))
        return 0;
    size_t n = strlen(tname);
    for (const char *p = strstr(tr->value, tname); p; p = strstr(p + 1, tname)) {
        bool before = p > tr->value && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after)
            return 2;
    }
    return 0;
}

/* A manualroute host written "name/MX" is looked up by its MX records
 * (the Exim specification, "Format of the list of hosts"); the others by
 * their A/AAAA. */
static bool exim_identity_relay_mx(const char *relay)
{
    if (!relay || strchr(relay, '$'))
        return false;
    const char *slash = strchr(relay, '/');
    return slash && strncasecmp(slash + 1, "mx", 2) == 0 && (slash[3] == '\0' || slash[3] == ':' || slash[3] == '/');
}

static void exim_identity_relay(struct model_identity *id, const struct exim_config *cfg,
                                const struct exim_driver *t)
{
    const struct exim_option *hosts = exim_options_find(&t->opts, "hosts");
    const struct exim_option *override = exim_options_find(&t->opts, "hosts_override");
    const struct exim_option *port = exim_options_find(&t->opts, "port");
    const char *portval = port ? port->value : NULL;
    bool direct = false; /* some router looks the destination up in DNS (MX) */
    /* the manualroute routers using the transport; the first one whose
     * hosts are written out decides the relay */
    const struct exim_driver *routers[64];
    const struct exim_option *routes[64];
    size_t nroutes = 0;

    for (size_t i = 0; i < cfg->routers.n; i++) {
        const struct exim_driver *r = &cfg->routers.items[i];
        if (!exim_identity_router_uses(r, t->name))
            continue;
        const struct exim_option *drv = exim_options_find(&r->opts, "driver");
        if (drv && strcmp(drv->value, "manualroute") == 0) {
            const struct exim_option *rl = exim_options_find(&r->opts, "route_list");
            const struct exim_option *rd = exim_options_find(&r->opts, "route_data");
            if ((rl || rd) && nroutes < sizeof(routes) / sizeof(routes[0])) {
                routers[nroutes] = r;
                routes[nroutes++] = rl ? rl : rd;
            }
        } else {
            direct = true;
        }
    }

    /* A host without its own port, the MX hosts of a dnslookup router
     * included, is reached on the transport's port. */
    if (portval && *portval && strcmp(portval, "smtp") != 0 && strcmp(portval, "25") != 0) {
        if (strchr(portval, '$')) {
            strlist_addf(&id->notes, "port is computed at delivery time (%s): the route is asked for port 25", portval);
        } else {
            model_set_str(&id->port, portval);
            exim_identity_opt_origin(&id->port_origin, port);
        }
    }
    if (hosts && *hosts->value && exim_options_bool(override, false)) {
        size_t n;
        exim_identity_macro_notes(id, "hosts", hosts);
        if (strchr(hosts->value, '$')) {
            id->relay = xstrdup(hosts->value);
            id->nexthop_varies = true;
            strlist_add(&id->notes, "hosts is an expansion evaluated at delivery time");
        } else {
            id->relay = exim_identity_first_host(hosts->value, portval, &n);
            if (n > 1)
                strlist_addf(&id->notes, "hosts lists %zu hosts; Exim tries them in order", n);
        }
        exim_identity_opt_origin(&id->relay_origin, hosts);
        return;
    }

    size_t chosen = nroutes;
    for (size_t i = 0; i < nroutes && chosen == nroutes; i++)
        if (!strchr(routes[i]->value, '$'))
            chosen = i;
    if (nroutes && !direct && chosen == nroutes)
        chosen = 0;
    for (size_t i = 0; i < nroutes; i++) {
        if (i == chosen)
            continue;
        /* the same hosts written out again (Debian's hub_user_smarthost) */
        if (chosen < nroutes && !strchr(routes[i]->value, '$') && strcmp(routes[i]->value, routes[chosen]->value) == 0)
            continue;
        id->nexthop_varies = true;
        strlist_addf(&id->notes, "manualroute router %s sends some mail through this transport to %s hosts",
                     routers[i]->name, strchr(routes[i]->value, '$') ? "computed" : "other");
    }
    if (chosen < nroutes && !direct) {
        const struct exim_option *route = routes[chosen];
        struct strlist hl = STRLIST_INIT;
        if (strcmp(route->name, "route_list") == 0)
            exim_identity_route_hosts(route->value, &hl);
        else
            exim_identity_route_data(route->value, &hl);
        exim_identity_macro_notes(id, route->name, route);
        if (strchr(route->value, '$')) {
            id->relay = xstrdup(hl.n ? hl.items[0] : route->value);
            id->nexthop_varies = true;
            strlist_addf(&id->notes, "router %s computes its hosts at routing time (%s)", routers[chosen]->name,
                         route->name);
        } else if (hl.n) {
            size_t n;
            id->relay = exim_identity_first_host(hl.items[0], portval, &n);
            if (n > 1)
                strlist_addf(&id->notes, "router %s lists %zu hosts; Exim tries them in order",
                             routers[chosen]->name, n);
            if (hl.n > 1) {
                id->nexthop_varies = true;
                strlist_addf(&id->notes, "router %s routes different domains to different hosts",
                             routers[chosen]->name);
            }
        }
        exim_identity_opt_origin(&id->relay_origin, route);
        strlist_free(&hl);
        return;
    }
    if (chosen < nroutes) {
        id->nexthop_varies = true;
        strlist_addf(&id->notes, "manualroute router %s sends some domains through this transport to fixed hosts",
                     routers[chosen]->name);
    }
    if (hosts && *hosts->value) {
        if (direct) {
            strlist_add(&id->notes, "hosts is set but only used when a router supplies no hosts");
            return;
        }
        size_t n;
        exim_identity_macro_notes(id, "hosts", hosts);
        id->relay = exim_identity_first_host(hosts->value, portval, &n);
        exim_identity_opt_origin(&id->relay_origin, hosts);
        if (strchr(hosts->value, '$'))
            id->nexthop_varies = true;
    }
}

static void exim_identity_families(struct model_identity *id, const struct exim_config *cfg,
                                   const struct exim_driver *t)
{
    const struct exim_option *dis = exim_options_main(cfg, "disable_ipv6");
    const struct exim_option *v4l = exim_options_main(cfg, "dns_ipv4_lookup");
    id->families = MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
    id->preference = MODEL_PREF_IPV6;

    size_t users = 0, only = 0, prefer = 0;
    const struct exim_option *only_o = NULL, *prefer_o = NULL;
    for (size_t i = 0; i < cfg->routers.n; i++) {
        const struct exim_driver *r = &cfg->routers.items[i];
        int uses = exim_identity_router_uses(r, t->name);
        if (!uses)
            continue;
        if (uses == 2)
            strlist_addf(&id->notes, "router %s picks this transport or another at routing time", r->name);
        users++;
        const struct exim_option *o4 = exim_options_find(&r->opts, "ipv4_only");
        const struct exim_option *p4 = exim_options_find(&r->opts, "ipv4_prefer");
        int c4 = exim_identity_condition(o4), cp = exim_identity_condition(p4);
        if (c4 == 1) {
            only++;
            if (!only_o)
                only_o = o4;
        } else if (c4 < 0) {
            strlist_addf(&id->notes, "ipv4_only on router %s is decided at routing time", r->name);
        }
        if (cp == 1) {
            prefer++;
            if (!prefer_o)
                prefer_o = p4;
        } else if (cp < 0) {
            strlist_addf(&id->notes, "ipv4_prefer on router %s is decided at routing time", r->name);
        }
    }
    if (!users)
        strlist_add(&id->notes, "no router names this transport");

    if (exim_options_bool(dis, false)) {
        id->families = MODEL_FAMILY_BIT(MODEL_IPV4);
        exim_identity_opt_origin(&id->families_origin, dis);
    } else if (v4l && exim_identity_matches_all(cfg, v4l->value, 0)) {
        id->families = MODEL_FAMILY_BIT(MODEL_IPV4);
        exim_identity_opt_origin(&id->families_origin, v4l);
        strlist_add(&id->notes, "dns_ipv4_lookup matches every domain: Exim looks up no AAAA records");
    } else if (users && only == users) {
        id->families = MODEL_FAMILY_BIT(MODEL_IPV4);
        exim_identity_opt_origin(&id->families_origin, only_o);
    } else {
        model_origin_default(&id->families_origin, "Exim uses IPv4 and IPv6");
    }

    if (id->families == MODEL_FAMILY_BIT(MODEL_IPV4)) {
        id->preference = MODEL_PREF_IPV4;
        model_origin_copy(&id->preference_origin, &id->families_origin);
    } else if (users && prefer == users) {
        id->preference = MODEL_PREF_IPV4;
        exim_identity_opt_origin(&id->preference_origin, prefer_o);
    } else {
        model_origin_default(&id->preference_origin, "Exim tries IPv6 first");
    }
}

/* The user the transport's delivery process runs as: its user option, else
 * exim_user, else the default of Debian's build ("-bP exim_user"); unknown
 * (NULL) when the transport computes it. */
static void exim_identity_delivery_user(struct model_identity *id, const struct exim_config *cfg,
                                        const struct exim_driver *t)
{
    const struct exim_option *o = exim_options_find(&t->opts, "user");
    if (!o)
        o = exim_options_main(cfg, "exim_user");
    if (o && strchr(o->value, '$'))
        return;
    model_set_str(&id->delivery_user, o && *o->value ? o->value : "Debian-exim");
    if (o && *o->value)
        exim_identity_opt_origin(&id->delivery_user_origin, o);
    else
        model_origin_default(&id->delivery_user_origin, "Debian's build");
}

int exim_identity_load(const char *config_file, const char *debian_dir, const struct model_host *host,
                       struct model_set *out, struct diag_list *diags)
{
    struct exim_loaded ld;
    int rc = exim_load(config_file, debian_dir, host, &ld, diags);
    if (rc == 0) {
        exim_load_free(&ld);
        return 0;
    }
    model_config_add(out, MODEL_EXIM, ld.cfg.path, ld.how);
    if (ld.debian_dir) {
        /* Fixes go into the Debian sources, not the generated file. */
        out->configs[out->nconfigs - 1].debian_dir = xstrdup(ld.debian_dir);
        out->configs[out->nconfigs - 1].debian_split = ld.debian_split;
    }
    if (rc < 0 || ld.cfg.failed) {
        exim_load_free(&ld);
        return rc;
    }
    const struct exim_config *cfg = &ld.cfg;
    struct exim_primary prim;
    exim_identity_primary(cfg, host, &prim);

    for (size_t i = 0; i < cfg->transports.n; i++) {
        const struct exim_driver *t = &cfg->transports.items[i];
        const struct exim_option *drv = exim_options_find(&t->opts, "driver");
        if (!drv || strcmp(drv->value, "smtp") != 0)
            continue;
        struct model_identity *id = model_identity_add(out, MODEL_EXIM);
        id->id = xasprintf("exim:%s:%s", cfg->path, t->name);
        id->config = xstrdup(cfg->path);
        id->transport = xstrdup(t->name);
        for (size_t n = 0; n < ld.notes.n; n++)
            strlist_add(&id->notes, ld.notes.items[n]);
        exim_identity_helo(id, t, &prim);
        if (ld.mailname && hostname_is_fqdn(ld.mailname)) {
            id->mailname = xstrdup(ld.mailname);
            model_origin_file(&id->mailname_origin, ld.mailname_path, 1);
        }
        exim_identity_bind(id, t, diags);
        id->bind_enforce = true;
        model_origin_default(&id->bind_enforce_origin, "Exim fails the connection");
        exim_identity_delivery_user(id, cfg, t);
        exim_identity_families(id, cfg, t);
        exim_identity_relay(id, cfg, t);
        id->relay_mx = exim_identity_relay_mx(id->relay);
        if (exim_options_find(&t->opts, "socks_proxy"))
            strlist_add(&id->notes, "socks_proxy is set: connections go through a SOCKS proxy");
        const struct exim_option *fb = exim_options_find(&t->opts, "fallback_hosts");
        if (fb && *fb->value)
            strlist_addf(&id->notes, "fallback_hosts: %s", fb->value);
    }
    free(prim.name);
    model_origin_free(&prim.origin);
    exim_load_free(&ld);
    return 1;
}
