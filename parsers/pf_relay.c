/* pf_relay - default routing of Postfix's resolver; see pf_relay.h. */
#include "parsers/pf_relay.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

static void pf_relay_class(const struct pf_scope *scope, const char *param, const struct pf_value *relayhost,
                           struct pf_relay_class *c, struct diag_list *diags)
{
    struct pf_value v = PF_VALUE_INIT;
    memset(c, 0, sizeof(*c));
    if (pf_scope_get(scope, param, &v) < 0) {
        diag_add(diags, DIAG_ERROR, v.file, v.line, "parameter %s: %s: macro processing error", param, v.error);
        pf_value_free(&v);
        return;
    }
    const char *val = v.value ? v.value : "";
    const char *colon = strchr(val, ':');
    c->file = v.file;
    c->line = v.line;
    c->transport = colon ? xstrndup(val, (size_t)(colon - val)) : xstrdup(val);
    if (colon && colon[1]) {
        c->nexthop = xstrdup(colon + 1);
        model_origin_copy(&c->origin, &v.origin);
    } else if (relayhost->value && *relayhost->value) {
        c->nexthop = xstrdup(relayhost->value);
        model_origin_copy(&c->origin, &relayhost->origin);
    }
    pf_value_free(&v);
}

void pf_relay_resolve(const struct pf_scope *scope, struct pf_relay *out, struct diag_list *diags)
{
    memset(out, 0, sizeof(*out));
    struct pf_value relayhost = PF_VALUE_INIT;
    if (pf_scope_get(scope, "relayhost", &relayhost) < 0)
        diag_add(diags, DIAG_ERROR, relayhost.file, relayhost.line, "parameter relayhost: %s: macro processing error",
                 relayhost.error);
    pf_relay_class(scope, "default_transport", &relayhost, &out->def, diags);
    pf_relay_class(scope, "relay_transport", &relayhost, &out->rel, diags);
    if (relayhost.value && *relayhost.value) {
        out->relayhost = xstrdup(relayhost.value);
        model_origin_copy(&out->relayhost_origin, &relayhost.origin);
    }
    pf_value_free(&relayhost);

    static const struct {
        const char *param;
        const char *why;
    } maps[] = {
        { "transport_maps", "routes recipients to other transports or next hops" },
        { "sender_dependent_default_transport_maps", "replaces default_transport (and its next hop) per sender" },
        { "sender_dependent_relayhost_maps", "replaces relayhost per sender" },
    };
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
        struct pf_value v = PF_VALUE_INIT;
        pf_scope_get(scope, maps[i].param, &v);
        if (v.raw && *v.raw) {
            char *where = model_origin_tostr(&v.origin);
            strlist_addf(&out->varies, "%s (%s) %s", maps[i].param, where, maps[i].why);
            free(where);
        }
        pf_value_free(&v);
    }
}

static void pf_relay_class_free(struct pf_relay_class *c)
{
    free(c->transport);
    free(c->nexthop);
    model_origin_free(&c->origin);
}

void pf_relay_free(struct pf_relay *r)
{
    pf_relay_class_free(&r->def);
    pf_relay_class_free(&r->rel);
    strlist_free(&r->varies);
    free(r->relayhost);
    model_origin_free(&r->relayhost_origin);
}
