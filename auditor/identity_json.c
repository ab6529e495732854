/* identity_json - JSON form of one identity; see identity_json.h. */
#include "auditor/identity_json.h"

#include <time.h>

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
