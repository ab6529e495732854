/* audit_fixture - model and facts builders for the audit tests; see
 * audit_fixture.h. */
#include "tests/support/audit_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

void af_init(struct af *a)
{
    memset(a, 0, sizeof(*a));
    a->facts.diags = &a->diags;
    a->facts.mta_config_found = true;
}

void af_free(struct af *a)
{
    model_set_free(&a->set);
    facts_free(&a->facts);
    diag_list_free(&a->diags);
    finding_list_free(&a->findings);
    verdict_set_free(&a->verdicts);
}

struct model_identity *af_postfix(struct af *a, const char *dir, const char *svc, const char *helo,
                                  unsigned families, enum model_preference pref)
{
    struct model_identity *id = model_identity_add(&a->set, MODEL_POSTFIX);
    id->id = xasprintf("postfix:%s:%s/unix", dir, svc);
    model_set_str(&id->config, dir);
    model_set_str(&id->transport, svc);
    model_set_str(&id->service_type, "unix");
    model_set_str(&id->helo_name, helo);
    char *maincf = xasprintf("%s/main.cf", dir);
    model_origin_file(&id->helo_origin, maincf, 3);
    free(maincf);
    id->families = families;
    id->preference = pref;
    return id;
}

struct model_identity *af_exim(struct af *a, const char *file, const char *transport, const char *helo,
                               unsigned families)
{
    struct model_identity *id = model_identity_add(&a->set, MODEL_EXIM);
    id->id = xasprintf("exim:%s:%s", file, transport);
    model_set_str(&id->config, file);
    model_set_str(&id->transport, transport);
    model_set_str(&id->helo_name, helo);
    model_origin_default(&id->helo_origin, "primary_hostname");
    id->families = families;
    id->preference = MODEL_PREF_IPV6;
    return id;
}

struct facts_source *af_source(struct af *a, size_t idx, enum model_family f, const char *addr)
{
    struct facts_source *s = facts_source_add(&a->facts, idx, f);
    s->route = addr != NULL;
    s->address = addr ? xstrdup(addr) : NULL;
    s->how = FACTS_HOW_ROUTE;
    s->scope = scope_of(addr);
    s->interface = xstrdup("eth0");
    return s;
}

static void af_lookup_va(struct af *a, const char *name, enum facts_rrtype type, enum facts_status st, va_list ap)
{
    const char *items[16];
    size_t n = 0;
    for (const char *s = va_arg(ap, const char *); s && n < 16; s = va_arg(ap, const char *))
        items[n++] = s;
    facts_lookup_set(&a->facts, name, type, st, items, n, 3);
}

void af_ptr(struct af *a, const char *addr, enum facts_status st, ...)
{
    char *rev = revname_of(addr);
    va_list ap;
    va_start(ap, st);
    af_lookup_va(a, rev, FACTS_PTR, st, ap);
    va_end(ap);
    free(rev);
}

void af_fwd(struct af *a, const char *name, enum facts_rrtype type, enum facts_status st, ...)
{
    va_list ap;
    va_start(ap, st);
    af_lookup_va(a, name, type, st, ap);
    va_end(ap);
}

void af_dns_ok(struct af *a, const char *addr, const char *name)
{
    enum facts_rrtype t = hostname_address_family(addr) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    af_ptr(a, addr, FACTS_OK, name, NULL);
    /* Merge with what the name already has. */
    const struct facts_lookup *l = facts_lookup_find(&a->facts, name, t);
    const char *items[17];
    size_t n = 0;
    if (l && l->status == FACTS_OK)
        for (size_t i = 0; i < l->answers.n && n < 16; i++)
            items[n++] = l->answers.items[i];
    items[n++] = addr;
    char **copy = xcalloc(n, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        copy[i] = xstrdup(items[i]);
    facts_lookup_set(&a->facts, name, t, FACTS_OK, (const char *const *)copy, n, 3);
    for (size_t i = 0; i < n; i++)
        free(copy[i]);
    free(copy);
}

void af_run(struct af *a)
{
    finding_list_free(&a->findings);
    verdict_set_free(&a->verdicts);
    verdict_compute(&a->set, &a->facts, &a->verdicts);
    check_run_verdicts(&a->set, &a->verdicts, &a->findings);
}

char *af_summary(const struct af *a)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < a->findings.n; i++) {
        const struct finding *f = &a->findings.items[i];
        strbuf_addf(&sb, "%s%s/%s/%s", i ? "," : "", finding_id_tostr(f->id), finding_severity_tostr(f->severity),
                    f->family < 0 ? "-" : model_family_tostr((enum model_family)f->family));
    }
    return strbuf_detach(&sb);
}

/* af_add_forward - the provider/operator adds "name IN A|AAAA addr". */
static void af_add_forward(struct af *a, const char *name, enum facts_rrtype t, const char *addr)
{
    const struct facts_lookup *l = facts_lookup_find(&a->facts, name, t);
    char *items[17];
    size_t n = 0;
    if (l && l->status == FACTS_OK)
        for (size_t i = 0; i < l->answers.n && n < 16; i++)
            items[n++] = xstrdup(l->answers.items[i]);
    items[n++] = xstrdup(addr);
    facts_lookup_set(&a->facts, name, t, FACTS_OK, (const char *const *)items, n, 3);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
}

static void af_set_helo_where(struct af *a, const char *dir, const char *svc, const char *name)
{
    for (size_t i = 0; i < a->set.n; i++) {
        struct model_identity *id = &a->set.items[i];
        if (id->mta != MODEL_POSTFIX || strcmp(id->config, dir) != 0)
            continue;
        if (svc ? strcmp(id->transport, svc) == 0 : id->helo_origin.kind != MODEL_ORIGIN_OVERRIDE)
            model_set_str(&id->helo_name, name);
    }
}

static int af_apply_postconf(struct af *a, const char *cmd)
{
    char dir[256], arg[512];
    if (sscanf(cmd, "postconf -c %255s -e '%511[^']'", dir, arg) == 2) {
        char param[128], value[256];
        if (sscanf(arg, "%127s = %255s", param, value) != 2)
            return 0;
        if (strcmp(param, "smtp_helo_name") == 0) {
            af_set_helo_where(a, dir, NULL, value);
            return 1;
        }
        if (strcmp(param, "myhostname") == 0) {
            /* Every transport of the directory that announces $myhostname. */
            for (size_t i = 0; i < a->set.n; i++) {
                struct model_identity *id = &a->set.items[i];
                if (id->mta == MODEL_POSTFIX && strcmp(id->config, dir) == 0 && id->helo_from_myhostname)
                    model_set_str(&id->helo_name, value);
            }
            return 1;
        }
        if (strcmp(param, "smtp_bind_address_enforce") == 0) {
            for (size_t i = 0; i < a->set.n; i++)
                if (strcmp(a->set.items[i].config, dir) == 0)
                    a->set.items[i].bind_enforce = true;
            return 1;
        }
        if (strcmp(param, "smtp_bind_address") == 0 || strcmp(param, "smtp_bind_address6") == 0) {
            enum model_family f = param[17] == '6' ? MODEL_IPV6 : MODEL_IPV4;
            for (size_t i = 0; i < a->set.n; i++) {
                if (strcmp(a->set.items[i].config, dir) != 0)
                    continue;
                model_set_str(&a->set.items[i].bind[f].address, value);
                for (size_t k = 0; k < a->facts.nsources; k++) {
                    struct facts_source *s = &a->facts.sources[k];
                    if (s->identity == i && s->family == f) {
                        s->bind_local = FACTS_LOCAL_YES;
                        s->route = true;
                        free(s->address);
                        s->address = xstrdup(value);
                        free(s->configured_address);
                        s->configured_address = NULL;
                    }
                }
            }
            return 1;
        }
        return 0;
    }
    char svc[128], type[32], param[128], value[256];
    if (sscanf(cmd, "postconf -c %255s -P '%127[^/]/%31[^/]/%127[^=]=%255[^']'", dir, svc, type, param, value) == 5) {
        if (strcmp(param, "smtp_helo_name") == 0) {
            af_set_helo_where(a, dir, svc, value);
            return 1;
        }
        if (strcmp(param, "inet_protocols") == 0 && strcmp(value, "ipv4") == 0) {
            for (size_t i = 0; i < a->set.n; i++) {
                struct model_identity *id = &a->set.items[i];
                if (id->mta == MODEL_POSTFIX && strcmp(id->config, dir) == 0 && strcmp(id->transport, svc) == 0)
                    id->families = MODEL_FAMILY_BIT(MODEL_IPV4);
            }
            return 1;
        }
    }
    return 0;
}

static int af_apply_exim(struct af *a, const char *line)
{
    char name[128], value[256];
    if (sscanf(line, "%127s = %255s", name, value) != 2)
        return 0;
    for (size_t i = 0; i < a->set.n; i++) {
        struct model_identity *id = &a->set.items[i];
        if (id->mta != MODEL_EXIM)
            continue;
        if (strcmp(name, "helo_data") == 0 || strcmp(name, "REMOTE_SMTP_HELO_DATA") == 0
            || strcmp(name, "MAIN_HARDCODE_PRIMARY_HOSTNAME") == 0)
            model_set_str(&id->helo_name, value);
        else if (strcmp(name, "dns_ipv4_lookup") == 0)
            id->families = MODEL_FAMILY_BIT(MODEL_IPV4);
        else
            return 0;
    }
    return 1;
}

int af_apply_fixes(struct af *a)
{
    int applied = 0;
    for (size_t i = 0; i < a->findings.n; i++) {
        const struct fix_list *fl = &a->findings.items[i].fixes;
        for (size_t k = 0; k < fl->n; k++) {
            const struct fix *fx = &fl->items[k];
            char owner[300], type[8], value[300];
            switch (fx->kind) {
            case FIX_PROVIDER_PTR:
                if (sscanf(fx->record, "%299s IN %7s %299s", owner, type, value) == 3) {
                    const char *v = value;
                    facts_lookup_set(&a->facts, owner, FACTS_PTR, FACTS_OK, &v, 1, 3);
                    applied++;
                }
                break;
            case FIX_DNS_RECORD:
                if (sscanf(fx->record, "%299s IN %7s %299s", owner, type, value) == 3) {
                    af_add_forward(a, owner, strcmp(type, "AAAA") == 0 ? FACTS_AAAA : FACTS_A, value);
                    applied++;
                }
                break;
            case FIX_POSTCONF:
                applied += af_apply_postconf(a, fx->command);
                break;
            case FIX_EXIM_CONFIG:
                applied += af_apply_exim(a, fx->line);
                break;
            default:
                break;
            }
        }
    }
    return applied;
}
