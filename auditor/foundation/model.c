/* model - the outbound identity model; see model.h. */
#include "auditor/foundation/model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"

struct model_identity *model_identity_add(struct model_set *set, enum model_mta mta)
{
    XGROW(set->items, set->cap, set->n + 1);
    struct model_identity *id = &set->items[set->n++];
    memset(id, 0, sizeof(*id));
    id->mta = mta;
    return id;
}

void model_config_add(struct model_set *set, enum model_mta mta, const char *path, const char *how)
{
    XGROW(set->configs, set->configs_cap, set->nconfigs + 1);
    struct model_config *c = &set->configs[set->nconfigs++];
    c->mta = mta;
    c->path = xstrdup(path);
    c->how = xstrdup(how ? how : "");
    c->debian_dir = NULL;
    c->debian_split = false;
}

const char *model_host_path(const struct model_host *host, const char *path)
{
    if (host && host->mailname_path && strcmp(path, "/etc/mailname") == 0)
        return host->mailname_path;
    return path;
}

void model_set_str(char **field, const char *value)
{
    char *copy = value ? xstrdup(value) : NULL;
    free(*field);
    *field = copy;
}

static void model_origin_set(struct model_origin *o, enum model_origin_kind kind, const char *file,
                             unsigned line, const char *note)
{
    char *f = file ? xstrdup(file) : NULL, *n = note ? xstrdup(note) : NULL;
    model_origin_free(o);
    o->kind = kind;
    o->file = f;
    o->line = line;
    o->note = n;
}

void model_origin_file(struct model_origin *o, const char *file, unsigned line)
{
    model_origin_set(o, MODEL_ORIGIN_FILE, file, line, NULL);
}

void model_origin_override(struct model_origin *o, const char *mastercf, unsigned line)
{
    model_origin_set(o, MODEL_ORIGIN_OVERRIDE, mastercf, line, NULL);
}

void model_origin_default(struct model_origin *o, const char *note)
{
    model_origin_set(o, MODEL_ORIGIN_DEFAULT, NULL, 0, note);
}

void model_origin_copy(struct model_origin *dst, const struct model_origin *src)
{
    if (dst == src)
        return;
    model_origin_set(dst, src->kind, src->file, src->line, src->note);
}

void model_origin_free(struct model_origin *o)
{
    free(o->file);
    free(o->note);
    o->kind = MODEL_ORIGIN_NONE;
    o->file = NULL;
    o->line = 0;
    o->note = NULL;
}

char *model_origin_tostr(const struct model_origin *o)
{
    const char *file = o->file ? o->file : "";
    switch (o->kind) {
    case MODEL_ORIGIN_FILE:
        return o->line ? xasprintf("%s:%u", file, o->line) : xstrdup(file);
    case MODEL_ORIGIN_OVERRIDE:
        return xasprintf("%s:%u (-o)", file, o->line);
    case MODEL_ORIGIN_DEFAULT:
        return o->note ? xasprintf("default (%s)", o->note) : xstrdup("default");
    case MODEL_ORIGIN_COMMAND_LINE:
        return xstrdup("command line");
    case MODEL_ORIGIN_NONE:
        break;
    }
    return NULL;
}

static void model_identity_free(struct model_identity *id)
{
    free(id->id);
    free(id->config);
    free(id->transport);
    free(id->service_type);
    free(id->helo_name);
    model_origin_free(&id->helo_origin);
    free(id->helo_expression);
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        free(id->bind[f].address);
        model_origin_free(&id->bind[f].origin);
        free(id->bind[f].expression);
    }
    model_origin_free(&id->bind_enforce_origin);
    model_origin_free(&id->families_origin);
    model_origin_free(&id->preference_origin);
    free(id->relay);
    model_origin_free(&id->relay_origin);
    free(id->port);
    model_origin_free(&id->port_origin);
    free(id->delivery_user);
    model_origin_free(&id->delivery_user_origin);
    free(id->mailname);
    model_origin_free(&id->mailname_origin);
    strlist_free(&id->notes);
}

void model_set_free(struct model_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        model_identity_free(&set->items[i]);
    free(set->items);
    for (size_t i = 0; i < set->nconfigs; i++) {
        free(set->configs[i].path);
        free(set->configs[i].how);
        free(set->configs[i].debian_dir);
    }
    free(set->configs);
    memset(set, 0, sizeof(*set));
}

const char *model_mta_tostr(enum model_mta mta)
{
    return mta == MODEL_EXIM ? "exim" : "postfix";
}

const char *model_family_tostr(enum model_family family)
{
    return family == MODEL_IPV6 ? "ipv6" : "ipv4";
}

const char *model_preference_tostr(enum model_preference pref)
{
    switch (pref) {
    case MODEL_PREF_IPV4:
        return "ipv4";
    case MODEL_PREF_IPV6:
        return "ipv6";
    case MODEL_PREF_ANY:
        break;
    }
    return "any";
}

const char *model_bind_how_tostr(enum model_bind_how how)
{
    switch (how) {
    case MODEL_BIND_PARAM:
        return "bind";
    case MODEL_BIND_INET_INTERFACES:
        return "inet_interfaces";
    case MODEL_BIND_WILDCARD:
        return "wildcard";
    case MODEL_BIND_DYNAMIC:
        return "dynamic";
    case MODEL_BIND_NONE:
        break;
    }
    return "none";
}

int model_family_fromstr(const char *s)
{
    if (strcmp(s, "ipv4") == 0)
        return MODEL_IPV4;
    if (strcmp(s, "ipv6") == 0)
        return MODEL_IPV6;
    return -1;
}

int model_preference_fromstr(const char *s)
{
    if (strcmp(s, "any") == 0)
        return MODEL_PREF_ANY;
    if (strcmp(s, "ipv4") == 0)
        return MODEL_PREF_IPV4;
    if (strcmp(s, "ipv6") == 0)
        return MODEL_PREF_IPV6;
    return -1;
}

int model_family_of_address(const char *address)
{
    int af = hostname_address_family(address);
    return af == AF_INET ? MODEL_IPV4 : af == AF_INET6 ? MODEL_IPV6 : -1;
}
