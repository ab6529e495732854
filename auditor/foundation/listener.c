/* listener - the inbound model; see listener.h. */
#include "auditor/foundation/listener.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"

struct listener *listener_add(struct listener_set *set, enum model_mta mta)
{
    XGROW(set->items, set->cap, set->n + 1);
    struct listener *l = &set->items[set->n++];
    memset(l, 0, sizeof(*l));
    l->mta = mta;
    return l;
}

const struct listener *listener_find(const struct listener_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i].id && strcmp(set->items[i].id, id) == 0)
            return &set->items[i];
    return NULL;
}

bool listener_address_add(struct listener *l, const char *address)
{
    int af = hostname_address_family(address);
    if (af == 0)
        return false;
    l->families |= MODEL_FAMILY_BIT(af == AF_INET ? MODEL_IPV4 : MODEL_IPV6);
    for (size_t i = 0; i < l->addresses.n; i++)
        if (hostname_address_equal(l->addresses.items[i], address))
            return true;
    strlist_add(&l->addresses, address);
    return true;
}

#define LISTENER_BLANKS " \t\r\n"

char *listener_first_word(const char *text)
{
    if (!text)
        return NULL;
    text += strspn(text, LISTENER_BLANKS);
    size_t len = strcspn(text, LISTENER_BLANKS);
    return len ? xstrndup(text, len) : NULL;
}

void listener_banner_set_text(struct listener_banner *b, const char *text)
{
    char *copy = text ? xstrdup(text) : NULL;
    free(b->text);
    free(b->hostname);
    b->text = copy;
    b->hostname = listener_first_word(copy);
}

/* "localhost" or a name under it, case-insensitive. */
static bool listener_is_localhost(const char *name)
{
    return strcasecmp(name, "localhost") == 0 || strncasecmp(name, "localhost.", 10) == 0;
}

enum listener_domain_result listener_domain_add(struct listener_set *set, enum model_mta mta, const char *name,
                                                const char *source, const struct model_origin *origin,
                                                const char *own_name)
{
    if (!name || !hostname_valid(name))
        return LISTENER_DOMAIN_INVALID;
    char *norm = hostname_normal(name);
    enum listener_domain_result r = LISTENER_DOMAIN_ADDED;
    if (listener_is_localhost(norm))
        r = LISTENER_DOMAIN_LOCALHOST;
    else if (own_name && hostname_equal(norm, own_name))
        r = LISTENER_DOMAIN_OWN_NAME;
    else if (!hostname_is_fqdn(norm))
        r = LISTENER_DOMAIN_INVALID;
    else if (hostname_is_local(norm))
        r = LISTENER_DOMAIN_PRIVATE;
    for (size_t i = 0; r == LISTENER_DOMAIN_ADDED && i < set->ndomains; i++)
        if (strcmp(set->domains[i].name, norm) == 0)
            r = LISTENER_DOMAIN_DUPLICATE;
    if (r == LISTENER_DOMAIN_ADDED && set->ndomains >= LISTENER_MAX_DOMAINS) {
        set->domains_dropped++;
        r = LISTENER_DOMAIN_DROPPED;
    }
    if (r != LISTENER_DOMAIN_ADDED) {
        free(norm);
        return r;
    }
    XGROW(set->domains, set->domains_cap, set->ndomains + 1);
    struct listener_domain *d = &set->domains[set->ndomains++];
    memset(d, 0, sizeof(*d));
    d->name = norm;
    d->mta = mta;
    d->source = xstrdup(source ? source : "");
    if (origin)
        model_origin_copy(&d->origin, origin);
    return r;
}

void listener_table_add(struct listener_set *set, enum model_mta mta, const char *source, const char *table,
                        const struct model_origin *origin)
{
    for (size_t i = 0; i < set->ntables; i++) {
        const struct listener_table *t = &set->tables[i];
        if (t->mta == mta && strcmp(t->source, source) == 0 && strcmp(t->table, table) == 0)
            return;
    }
    XGROW(set->tables, set->tables_cap, set->ntables + 1);
    struct listener_table *t = &set->tables[set->ntables++];
    memset(t, 0, sizeof(*t));
    t->mta = mta;
    t->source = xstrdup(source);
    t->table = xstrdup(table);
    if (origin)
        model_origin_copy(&t->origin, origin);
}

/* Service names of /etc/services that SMTP listeners use, sorted. */
static const struct {
    const char *name;
    unsigned port;
} listener_services[] = {
    { "lmtp", 24 },   { "smtp", 25 },        { "smtps", 465 }, { "ssmtp", 465 },
    { "submission", 587 }, { "submissions", 465 }, { "urd", 465 },
};

unsigned listener_port(const char *name)
{
    if (!name || !*name)
        return 0;
    if (name[0] >= '0' && name[0] <= '9') {
        unsigned long v = 0;
        for (const char *p = name; *p; p++) {
            if (*p < '0' || *p > '9')
                return 0;
            v = v * 10 + (unsigned long)(*p - '0');
            if (v > 65535)
                return 0;
        }
        return (unsigned)v;
    }
    for (size_t i = 0; i < sizeof(listener_services) / sizeof(listener_services[0]); i++)
        if (strcmp(listener_services[i].name, name) == 0)
            return listener_services[i].port;
    return 0;
}

const char *listener_domain_result_tostr(enum listener_domain_result r)
{
    switch (r) {
    case LISTENER_DOMAIN_ADDED: return "added";
    case LISTENER_DOMAIN_DUPLICATE: return "duplicate";
    case LISTENER_DOMAIN_LOCALHOST: return "localhost";
    case LISTENER_DOMAIN_OWN_NAME: return "own-name";
    case LISTENER_DOMAIN_PRIVATE: return "private";
    case LISTENER_DOMAIN_INVALID: return "invalid";
    case LISTENER_DOMAIN_DROPPED: return "dropped";
    }
    return "?";
}

void listener_banner_free(struct listener_banner *b)
{
    free(b->raw);
    model_origin_free(&b->origin);
    free(b->text);
    free(b->hostname);
    free(b->host_param);
    model_origin_free(&b->host_origin);
    free(b->host_expression);
    free(b->host_fallback);
    memset(b, 0, sizeof(*b));
}

static void listener_free(struct listener *l)
{
    free(l->id);
    free(l->config);
    free(l->service);
    free(l->command);
    model_origin_free(&l->origin);
    free(l->port_name);
    strlist_free(&l->addresses);
    strlist_free(&l->names);
    model_origin_free(&l->addresses_origin);
    strlist_free(&l->proxy_addresses);
    model_origin_free(&l->proxy_origin);
    listener_banner_free(&l->banner);
    listener_banner_free(&l->teaser);
    free(l->pass_service);
    model_origin_free(&l->pass_origin);
    strlist_free(&l->notes);
}

void listener_set_free(struct listener_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        listener_free(&set->items[i]);
    free(set->items);
    for (size_t i = 0; i < set->ndomains; i++) {
        free(set->domains[i].name);
        free(set->domains[i].source);
        model_origin_free(&set->domains[i].origin);
    }
    free(set->domains);
    for (size_t i = 0; i < set->ntables; i++) {
        free(set->tables[i].source);
        free(set->tables[i].table);
        model_origin_free(&set->tables[i].origin);
    }
    free(set->tables);
    strlist_free(&set->notes);
    memset(set, 0, sizeof(*set));
}
