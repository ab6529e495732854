/* facts - the probes' observations; see facts.h. */
#include "auditor/facts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"

struct facts_source *facts_source_add(struct facts *facts, size_t identity, enum model_family family)
{
    XGROW(facts->sources, facts->sources_cap, facts->nsources + 1);
    struct facts_source *s = &facts->sources[facts->nsources++];
    memset(s, 0, sizeof(*s));
    s->identity = identity;
    s->family = family;
    s->how = FACTS_HOW_ROUTE;
    s->uid = -1;
    return s;
}

const struct facts_source *facts_source_find(const struct facts *facts, size_t identity,
                                             enum model_family family)
{
    for (size_t i = 0; i < facts->nsources; i++)
        if (facts->sources[i].identity == identity && facts->sources[i].family == family)
            return &facts->sources[i];
    return NULL;
}

static int facts_strcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void facts_lookup_clear(struct facts_lookup *l)
{
    free(l->name);
    strlist_free(&l->answers);
    free(l->server);
    free(l->detail);
    strlist_free(&l->invalid);
    free(l->zone);
    free(l->mname);
    free(l->rname);
}

static bool facts_same_server(const struct facts_lookup *l, const char *server)
{
    if (!server)
        return !l->direct;
    return l->direct && l->server && strcmp(l->server, server) == 0;
}

static struct facts_lookup *facts_lookup_put(struct facts *facts, const char *name, enum facts_rrtype type,
                                             const char *server, enum facts_status status,
                                             const char *const *answers, size_t n, unsigned ms)
{
    struct facts_lookup *l = NULL;
    for (size_t i = 0; i < facts->nlookups && !l; i++)
        if (facts->lookups[i].type == type && facts_same_server(&facts->lookups[i], server)
            && hostname_equal(facts->lookups[i].name, name))
            l = &facts->lookups[i];
    if (l) {
        facts_lookup_clear(l);
    } else {
        XGROW(facts->lookups, facts->lookups_cap, facts->nlookups + 1);
        l = &facts->lookups[facts->nlookups++];
    }
    memset(l, 0, sizeof(*l));
    l->name = hostname_normal(name);
    l->type = type;
    l->status = status;
    l->ms = ms;
    l->ttl = -1;
    if (server) {
        l->direct = true;
        l->server = xstrdup(server);
    }
    for (size_t i = 0; i < n; i++)
        if (answers[i] && !strlist_contains(&l->answers, answers[i]))
            strlist_add(&l->answers, answers[i]);
    if (l->answers.n > 1)
        qsort(l->answers.items, l->answers.n, sizeof(char *), facts_strcmp);
    return l;
}

struct facts_lookup *facts_lookup_set_direct(struct facts *facts, const char *name, enum facts_rrtype type,
                                             const char *server, enum facts_status status,
                                             const char *const *answers, size_t n, unsigned ms)
{
    return facts_lookup_put(facts, name, type, server ? server : "", status, answers, n, ms);
}

const struct facts_lookup *facts_lookup_find_direct(const struct facts *facts, const char *name,
                                                    enum facts_rrtype type, const char *server)
{
    if (!name || !server)
        return NULL;
    for (size_t i = 0; i < facts->nlookups; i++)
        if (facts->lookups[i].type == type && facts_same_server(&facts->lookups[i], server)
            && hostname_equal(facts->lookups[i].name, name))
            return &facts->lookups[i];
    return NULL;
}

struct facts_lookup *facts_lookup_set(struct facts *facts, const char *name, enum facts_rrtype type,
                                      enum facts_status status, const char *const *answers, size_t n,
                                      unsigned ms)
{
    return facts_lookup_put(facts, name, type, NULL, status, answers, n, ms);
}

const struct facts_lookup *facts_lookup_find(const struct facts *facts, const char *name,
                                             enum facts_rrtype type)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < facts->nlookups; i++)
        if (facts->lookups[i].type == type && !facts->lookups[i].direct
            && hostname_equal(facts->lookups[i].name, name))
            return &facts->lookups[i];
    return NULL;
}

void facts_lookups_drop(struct facts *facts, bool direct_only)
{
    size_t w = 0;
    for (size_t i = 0; i < facts->nlookups; i++) {
        if (!direct_only || facts->lookups[i].direct) {
            facts_lookup_clear(&facts->lookups[i]);
            continue;
        }
        facts->lookups[w++] = facts->lookups[i];
    }
    facts->nlookups = w;
}

bool facts_mx_parse(const char *answer, unsigned *preference, const char **name)
{
    char *end;
    if (!answer || answer[0] < '0' || answer[0] > '9')
        return false;
    unsigned long p = strtoul(answer, &end, 10);
    if (*end != ' ' || p > 65535 || end[1] == '\0')
        return false;
    *preference = (unsigned)p;
    *name = end + 1;
    return true;
}

bool facts_lookup_has_address(const struct facts_lookup *lookup, const char *address)
{
    if (!lookup || lookup->status != FACTS_OK)
        return false;
    for (size_t i = 0; i < lookup->answers.n; i++)
        if (hostname_address_equal(lookup->answers.items[i], address))
            return true;
    return false;
}

bool facts_status_failed(enum facts_status status)
{
    return status != FACTS_OK && status != FACTS_NXDOMAIN && status != FACTS_NODATA;
}

int facts_postfix_at_least(const struct facts *facts, int major, int minor)
{
    int ma, mi;
    if (!facts->postfix_version || sscanf(facts->postfix_version, "%d.%d", &ma, &mi) != 2)
        return -1;
    return ma > major || (ma == major && mi >= minor);
}

static const char *const facts_how_names[] = { "bind", "inet_interfaces", "route", "given" };
static const char *const facts_rrtype_names[] = { "PTR", "A", "AAAA", "NS", "SOA", "MX" };
static const char *const facts_status_names[] = { "ok",      "nxdomain", "nodata", "servfail",
                                                  "refused", "timeout",  "error" };

#define FACTS_NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int facts_fromstr(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

const char *facts_how_tostr(enum facts_how how)
{
    return facts_how_names[how];
}
const char *facts_rrtype_tostr(enum facts_rrtype type)
{
    return facts_rrtype_names[type];
}
const char *facts_status_tostr(enum facts_status status)
{
    return facts_status_names[status];
}
int facts_how_fromstr(const char *s)
{
    return facts_fromstr(facts_how_names, FACTS_NELEM(facts_how_names), s);
}
int facts_rrtype_fromstr(const char *s)
{
    return facts_fromstr(facts_rrtype_names, FACTS_NELEM(facts_rrtype_names), s);
}
int facts_status_fromstr(const char *s)
{
    return facts_fromstr(facts_status_names, FACTS_NELEM(facts_status_names), s);
}

void facts_free(struct facts *facts)
{
    for (size_t i = 0; i < facts->nsources; i++) {
        struct facts_source *s = &facts->sources[i];
        free(s->address);
        free(s->interface);
        free(s->kernel_address);
        free(s->error);
        free(s->configured_address);
        free(s->target);
        free(s->user);
    }
    free(facts->sources);
    for (size_t i = 0; i < facts->nlookups; i++)
        facts_lookup_clear(&facts->lookups[i]);
    free(facts->lookups);
    free(facts->postfix_version);
    free(facts->helo_override);
    free(facts->exim_debian_dir);
    strlist_free(&facts->resolvers);
    if (facts->inbound) {
        listener_set_free(facts->inbound);
        free(facts->inbound);
    }
    strlist_free(&facts->local_public);
    strlist_free(&facts->given_sources);
    for (size_t i = 0; i < facts->ngreetings; i++)
        smtp_greet_free(&facts->greetings[i]);
    free(facts->greetings);
    strlist_free(&facts->greeting_listeners);
    memset(facts, 0, sizeof(*facts));
}
