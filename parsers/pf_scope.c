/* pf_scope - values in one Postfix process's scope; see pf_scope.h. */
#include "parsers/pf_scope.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_defaults.h"
#include "parsers/pf_expand.h"

struct pf_scope_ctx {
    const struct pf_scope *scope;
    int in_myhostname; /* computing myhostname's default: it is not defined yet */
    int in_mydomain;
    struct strlist keep; /* computed strings that lookups handed out */
};

struct pf_scope_raw {
    enum pf_from from;
    const char *raw;
    const char *file;
    unsigned line;
    struct model_origin origin; /* owned */
};

static const char *pf_scope_lookup(void *ctx, const char *name);

/* Expand text in the scope; NULL when expansion fails. Kept in ctx. */
static const char *pf_scope_expand_kept(struct pf_scope_ctx *ctx, const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    char *err = NULL;
    if (pf_expand_budget(text, pf_scope_lookup, ctx, &sb, &err, ctx->scope->budget) < 0) {
        free(err);
        strbuf_release(&sb);
        return NULL;
    }
    char *s = strbuf_detach(&sb);
    strlist_add_owned(&ctx->keep, s);
    return s;
}

/* Literal text as a raw value: '$' doubled so that expansion keeps it. */
static const char *pf_scope_literal(struct pf_scope_ctx *ctx, const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *cp = text; *cp; cp++) {
        if (*cp == '$')
            strbuf_addc(&sb, '$');
        strbuf_addc(&sb, *cp);
    }
    char *s = strbuf_detach(&sb);
    strlist_add_owned(&ctx->keep, s);
    return s;
}

/* Where name is set in this scope, before expansion. */
static void pf_scope_find(struct pf_scope_ctx *ctx, const char *name, struct pf_scope_raw *r, int want_origin)
{
    const struct pf_scope *sc = ctx->scope;
    const char *mpath = sc->mastercf ? sc->mastercf->path : "master.cf";
    memset(r, 0, sizeof(*r));
    if (sc->service) {
        const char *v = NULL;
        if (strcmp(name, "service_name") == 0)
            v = sc->service->name;
        else if (strcmp(name, "process_name") == 0)
            v = pf_mastercf_command_base(sc->service);
        if (v) {
            r->from = PF_FROM_SERVICE;
            r->raw = pf_scope_literal(ctx, v);
            r->file = mpath;
            r->line = sc->service->line;
            if (want_origin)
                model_origin_file(&r->origin, mpath, sc->service->line);
            return;
        }
        if ((v = pf_mastercf_override(sc->service, name))) {
            r->from = PF_FROM_OVERRIDE;
            r->raw = v;
            r->file = mpath;
            r->line = sc->service->line;
            if (want_origin)
                model_origin_override(&r->origin, mpath, sc->service->line);
            return;
        }
    }
    const struct pf_param *p = pf_dict_find(&sc->maincf->params, name);
    if (p) {
        r->from = p->file ? PF_FROM_MAINCF : PF_FROM_DEFAULT;
        r->raw = p->value;
        r->file = p->file;
        r->line = p->line;
        if (want_origin && p->file)
            model_origin_file(&r->origin, p->file, p->line);
        else if (want_origin)
            model_origin_default(&r->origin, NULL);
        return;
    }
    if (strcmp(name, "myhostname") == 0) {
        if (ctx->in_myhostname)
            return; /* mail_params_init() has not set it yet */
        const char *host = sc->hostname ? sc->hostname : "";
        r->from = PF_FROM_DEFAULT;
        if (strchr(host, '.')) {
            r->raw = pf_scope_literal(ctx, host);
            if (want_origin)
                model_origin_default(&r->origin, "gethostname()");
            return;
        }
        /* check_myhostname(): append mydomain as configured, else localdomain. */
        struct pf_scope_raw d;
        pf_scope_find(ctx, "mydomain", &d, want_origin);
        const char *domain = NULL;
        if (d.from == PF_FROM_MAINCF || d.from == PF_FROM_OVERRIDE) {
            ctx->in_myhostname++;
            domain = pf_scope_expand_kept(ctx, d.raw);
            ctx->in_myhostname--;
        }
        char *name_full = xasprintf("%s.%s", host, domain ? domain : "localdomain");
        r->raw = pf_scope_literal(ctx, name_full);
        free(name_full);
        if (want_origin && domain) {
            char *from = model_origin_tostr(&d.origin);
            char *note = xasprintf("gethostname() + . + mydomain from %s", from ? from : "?");
            model_origin_default(&r->origin, note);
            free(note);
            free(from);
        } else if (want_origin) {
            model_origin_default(&r->origin, "gethostname() + .localdomain");
        }
        model_origin_free(&d.origin);
        return;
    }
    if (strcmp(name, "mydomain") == 0) {
        if (ctx->in_mydomain)
            return;
        ctx->in_mydomain++;
        const char *host = pf_scope_lookup(ctx, "myhostname");
        const char *expanded = host ? pf_scope_expand_kept(ctx, host) : NULL;
        ctx->in_mydomain--;
        const char *dot = expanded ? strchr(expanded, '.') : NULL;
        r->from = PF_FROM_DEFAULT;
        r->raw = pf_scope_literal(ctx, dot ? dot + 1 : "localdomain");
        if (want_origin)
            model_origin_default(&r->origin, dot ? "$myhostname minus its first label"
                                                 : "localdomain: myhostname has no dot");
        return;
    }
    const struct pf_default *def = pf_defaults_find(name);
    if (def && def->value) {
        r->from = PF_FROM_DEFAULT;
        r->raw = def->value;
        if (want_origin)
            model_origin_default(&r->origin, NULL);
    }
}

static const char *pf_scope_lookup(void *vctx, const char *name)
{
    struct pf_scope_raw r;
    pf_scope_find(vctx, name, &r, 0);
    return r.raw;
}

int pf_scope_get(const struct pf_scope *scope, const char *name, struct pf_value *v)
{
    struct pf_scope_ctx ctx = { scope, 0, 0, STRLIST_INIT };
    struct pf_scope_raw r;
    memset(v, 0, sizeof(*v));
    pf_scope_find(&ctx, name, &r, 1);
    v->from = r.from;
    v->file = r.file;
    v->line = r.line;
    int rc = 0;
    if (!r.raw) {
        model_origin_free(&r.origin);
    } else {
        v->raw = xstrdup(r.raw);
        v->origin = r.origin;
        struct strbuf sb = STRBUF_INIT;
        if (pf_expand_budget(v->raw, pf_scope_lookup, &ctx, &sb, &v->error, scope->budget) < 0) {
            strbuf_release(&sb);
            rc = -1;
        } else {
            v->value = strbuf_detach(&sb);
        }
    }
    strlist_free(&ctx.keep);
    return rc;
}

void pf_value_free(struct pf_value *v)
{
    free(v->raw);
    free(v->value);
    model_origin_free(&v->origin);
    free(v->error);
    memset(v, 0, sizeof(*v));
}
