/* identity_json - JSON form of one identity; see identity_json.h. */
#include "auditor/identity_json.h"

#include <time.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static struct json_object *identity_json_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* An origin in its report form; null when there is none. */
static struct json_object *identity_json_origin(const struct model_origin *o)
{
    char *s = model_origin_tostr(o);
    struct json_object *j = identity_json_str(s);
    free(s);
    return j;
}

struct json_object *identity_json(const struct model_identity *id)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", identity_json_str(id->id));
    json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(id->mta)));
    json_object_object_add(o, "config", identity_json_str(id->config));
    json_object_object_add(o, "transport", identity_json_str(id->transport));
    if (id->service_type)
        json_object_object_add(o, "service_type", json_object_new_string(id->service_type));

    struct json_object *helo = json_object_new_object();
    json_object_object_add(helo, "name", identity_json_str(id->helo_name));
    json_object_object_add(helo, "origin", identity_json_origin(&id->helo_origin));
    json_object_object_add(helo, "dynamic", json_object_new_boolean(id->helo_dynamic));
    if (id->helo_expression)
        json_object_object_add(helo, "expression", json_object_new_string(id->helo_expression));
    json_object_object_add(o, "helo", helo);

    struct json_object *bind = json_object_new_object();
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct model_bind *b = &id->bind[f];
        const char *fam = model_family_tostr((enum model_family)f);
        char key[32];
        json_object_object_add(bind, fam, identity_json_str(b->address));
        snprintf(key, sizeof(key), "origin_%s", fam);
        json_object_object_add(bind, key, identity_json_origin(&b->origin));
        snprintf(key, sizeof(key), "how_%s", fam);
        json_object_object_add(bind, key, json_object_new_string(model_bind_how_tostr(b->how)));
        if (b->expression) {
            snprintf(key, sizeof(key), "expression_%s", fam);
            json_object_object_add(bind, key, json_object_new_string(b->expression));
        }
    }
    json_object_object_add(bind, "enforce", json_object_new_boolean(id->bind_enforce));
    json_object_object_add(o, "bind", bind);

    struct json_object *fams = json_object_new_array();
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (id->families & MODEL_FAMILY_BIT(f))
            json_object_array_add(fams, json_object_new_string(model_family_tostr((enum model_family)f)));
    json_object_object_add(o, "families", fams);
    json_object_object_add(o, "families_origin", identity_json_origin(&id->families_origin));
    json_object_object_add(o, "preference", json_object_new_string(model_preference_tostr(id->preference)));
    json_object_object_add(o, "preference_origin", identity_json_origin(&id->preference_origin));
    json_object_object_add(o, "relay", identity_json_str(id->relay));
    json_object_object_add(o, "relay_origin", identity_json_origin(&id->relay_origin));
    json_object_object_add(o, "relay_mx", json_object_new_boolean(id->relay_mx));
    json_object_object_add(o, "port", identity_json_str(id->port));
    json_object_object_add(o, "port_origin", identity_json_origin(&id->port_origin));
    json_object_object_add(o, "nexthop_varies", json_object_new_boolean(id->nexthop_varies));

    struct json_object *notes = json_object_new_array();
    for (size_t i = 0; i < id->notes.n; i++)
        json_object_array_add(notes, json_object_new_string(id->notes.items[i]));
    json_object_object_add(o, "notes", notes);
    return o;
}

void identity_json_add_head(struct json_object *root, const char *status, const struct model_set *set,
                            const struct diag_list *diags)
{
    json_object_object_add(root, "schema", json_object_new_int(1));
    json_object_object_add(root, "tool", json_object_new_string("mta-preflight"));
    json_object_object_add(root, "version", json_object_new_string(MP_VERSION));
    json_object_object_add(root, "status", json_object_new_string(status));

    struct json_object *configs = json_object_new_array();
    for (size_t c = 0; c < set->nconfigs; c++) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(set->configs[c].mta)));
        json_object_object_add(o, "path", identity_json_str(set->configs[c].path));
        json_object_object_add(o, "how", identity_json_str(set->configs[c].how));
        json_object_array_add(configs, o);
    }
    json_object_object_add(root, "configs", configs);

    struct json_object *ids = json_object_new_array();
    for (size_t i = 0; i < set->n; i++)
        json_object_array_add(ids, identity_json(&set->items[i]));
    json_object_object_add(root, "identities", ids);

    struct json_object *problems = json_object_new_array();
    for (size_t i = 0; diags && i < diags->n; i++) {
        const struct diag *d = &diags->items[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "level", json_object_new_string(diag_level_tostr(d->level)));
        json_object_object_add(o, "file", identity_json_str(d->file));
        json_object_object_add(o, "line", d->line ? json_object_new_int((int)d->line) : NULL);
        json_object_object_add(o, "message", identity_json_str(d->message));
        json_object_array_add(problems, o);
    }
    json_object_object_add(root, "problems", problems);
}

struct json_object *identity_json_run(long long started_ms, long long duration_ms, const struct strlist *resolvers)
{
    struct json_object *o = json_object_new_object();
    if (started_ms > 0) {
        time_t secs = (time_t)(started_ms / 1000);
        struct tm tm;
        char when[32];
        gmtime_r(&secs, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_object_add(o, "started", json_object_new_string(when));
    } else {
        json_object_object_add(o, "started", NULL);
    }
    json_object_object_add(o, "duration_ms", duration_ms >= 0 ? json_object_new_int64(duration_ms) : NULL);
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; resolvers && i < resolvers->n; i++)
        json_object_array_add(list, json_object_new_string(resolvers->items[i]));
    json_object_object_add(o, "resolvers", list);
    return o;
}

static struct json_object *identity_json_strlist(const struct strlist *l)
{
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; i < l->n; i++)
        json_object_array_add(a, json_object_new_string(l->items[i]));
    return a;
}

static struct json_object *identity_json_families(unsigned bits)
{
    struct json_object *a = json_object_new_array();
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (bits & MODEL_FAMILY_BIT(f))
            json_object_array_add(a, json_object_new_string(model_family_tostr((enum model_family)f)));
    return a;
}

/* A greeting; null for an optional one (the teaser) that is not sent. */
static struct json_object *identity_json_banner(const struct listener_banner *b, bool optional)
{
    if (optional && !b->present)
        return NULL;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "text", identity_json_str(b->text));
    json_object_object_add(o, "hostname", identity_json_str(b->hostname));
    json_object_object_add(o, "origin", identity_json_origin(&b->origin));
    json_object_object_add(o, "dynamic", json_object_new_boolean(b->dynamic));
    json_object_object_add(o, "raw", identity_json_str(b->raw));
    json_object_object_add(o, "host_param", identity_json_str(b->host_param));
    json_object_object_add(o, "host_origin", identity_json_origin(&b->host_origin));
    json_object_object_add(o, "host_expression", identity_json_str(b->host_expression));
    json_object_object_add(o, "host_from_ptr", json_object_new_boolean(b->host_from_ptr));
    json_object_object_add(o, "host_fallback", identity_json_str(b->host_fallback));
    return o;
}

struct json_object *identity_json_listener(const struct listener *l)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", identity_json_str(l->id));
    json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(l->mta)));
    json_object_object_add(o, "config", identity_json_str(l->config));
    json_object_object_add(o, "service", identity_json_str(l->service));
    json_object_object_add(o, "command", identity_json_str(l->command));
    json_object_object_add(o, "origin", identity_json_origin(&l->origin));
    json_object_object_add(o, "port", json_object_new_int64((int64_t)l->port));
    json_object_object_add(o, "port_name", identity_json_str(l->port_name));
    json_object_object_add(o, "mx", json_object_new_boolean(l->mx));
    json_object_object_add(o, "tls_on_connect", json_object_new_boolean(l->tls_on_connect));
    json_object_object_add(o, "banner", identity_json_banner(&l->banner, false));
    json_object_object_add(o, "teaser", identity_json_banner(&l->teaser, true));
    json_object_object_add(o, "families", identity_json_families(l->families));
    json_object_object_add(o, "all_families", identity_json_families(l->all_families));
    json_object_object_add(o, "addresses", identity_json_strlist(&l->addresses));
    json_object_object_add(o, "names", identity_json_strlist(&l->names));
    json_object_object_add(o, "addresses_origin", identity_json_origin(&l->addresses_origin));
    json_object_object_add(o, "proxy_addresses", identity_json_strlist(&l->proxy_addresses));
    json_object_object_add(o, "proxy_origin", identity_json_origin(&l->proxy_origin));
    json_object_object_add(o, "pass_service", identity_json_str(l->pass_service));
    json_object_object_add(o, "pass_origin", identity_json_origin(&l->pass_origin));
    json_object_object_add(o, "notes", identity_json_strlist(&l->notes));
    return o;
}

void identity_json_add_inbound(struct json_object *root, const struct listener_set *in)
{
    struct json_object *listeners = json_object_new_array();
    struct json_object *domains = json_object_new_array();
    struct json_object *tables = json_object_new_array();
    for (size_t i = 0; in && i < in->n; i++)
        json_object_array_add(listeners, identity_json_listener(&in->items[i]));
    for (size_t i = 0; in && i < in->ndomains; i++) {
        const struct listener_domain *d = &in->domains[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "domain", identity_json_str(d->name));
        json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(d->mta)));
        json_object_object_add(o, "source", identity_json_str(d->source));
        json_object_object_add(o, "origin", identity_json_origin(&d->origin));
        json_object_array_add(domains, o);
    }
    for (size_t i = 0; in && i < in->ntables; i++) {
        const struct listener_table *t = &in->tables[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "mta", json_object_new_string(model_mta_tostr(t->mta)));
        json_object_object_add(o, "source", identity_json_str(t->source));
        json_object_object_add(o, "table", identity_json_str(t->table));
        json_object_object_add(o, "origin", identity_json_origin(&t->origin));
        json_object_array_add(tables, o);
    }
    json_object_object_add(root, "inbound", listeners);
    json_object_object_add(root, "domains", domains);
    json_object_object_add(root, "domain_tables", tables);
    json_object_object_add(root, "domains_dropped", json_object_new_int64(in ? (int64_t)in->domains_dropped : 0));
    struct strlist none = STRLIST_INIT;
    json_object_object_add(root, "inbound_notes", identity_json_strlist(in ? &in->notes : &none));
}
