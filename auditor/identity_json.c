/* identity_json - JSON form of one identity; see identity_json.h. */
#include "auditor/identity_json.h"

#include <stdio.h>

static struct json_object *identity_json_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
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
    json_object_object_add(helo, "origin", identity_json_str(id->helo_origin));
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
        json_object_object_add(bind, key, identity_json_str(b->origin));
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
    json_object_object_add(o, "families_origin", identity_json_str(id->families_origin));
    json_object_object_add(o, "preference", json_object_new_string(model_preference_tostr(id->preference)));
    json_object_object_add(o, "preference_origin", identity_json_str(id->preference_origin));
    json_object_object_add(o, "relay", identity_json_str(id->relay));
    json_object_object_add(o, "relay_origin", identity_json_str(id->relay_origin));
    json_object_object_add(o, "nexthop_varies", json_object_new_boolean(id->nexthop_varies));

    struct json_object *notes = json_object_new_array();
    for (size_t i = 0; i < id->notes.n; i++)
        json_object_array_add(notes, json_object_new_string(id->notes.items[i]));
    json_object_object_add(o, "notes", notes);
    return o;
}
