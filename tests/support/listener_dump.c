/* listener_dump - text form of the inbound model; see listener_dump.h. */
#include "tests/support/listener_dump.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

/* Escaped s with every occurrence of prefix replaced by "$DIR". */
static void listener_dump_str(struct strbuf *sb, const char *s, const char *prefix)
{
    if (!s) {
        strbuf_adds(sb, "(null)");
        return;
    }
    char *esc = hostname_escape(s);
    size_t plen = prefix ? strlen(prefix) : 0;
    for (const char *p = esc; *p;) {
        if (plen && strncmp(p, prefix, plen) == 0) {
            strbuf_adds(sb, "$DIR");
            p += plen;
        } else {
            strbuf_addc(sb, *p++);
        }
    }
    free(esc);
}

static void listener_dump_field(struct strbuf *sb, const char *name, const char *value,
                                const struct model_origin *o, const char *prefix)
{
    char *origin = o ? model_origin_tostr(o) : NULL;
    strbuf_addf(sb, "  %s: ", name);
    listener_dump_str(sb, value, prefix);
    if (origin) {
        strbuf_adds(sb, "  <- ");
        listener_dump_str(sb, origin, prefix);
    }
    strbuf_addc(sb, '\n');
    free(origin);
}

static char *listener_dump_families(unsigned bits)
{
    struct strbuf sb = STRBUF_INIT;
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (bits & MODEL_FAMILY_BIT(f))
            strbuf_addf(&sb, "%s%s", sb.len ? "," : "", model_family_tostr((enum model_family)f));
    if (!sb.len)
        strbuf_adds(&sb, "none");
    return strbuf_detach(&sb);
}

static char *listener_dump_list(const struct strlist *l)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < l->n; i++)
        strbuf_addf(&sb, "%s%s", i ? " " : "", l->items[i]);
    return strbuf_detach(&sb);
}

static void listener_dump_banner(struct strbuf *sb, const char *label, const struct listener_banner *b,
                                 const char *prefix)
{
    char *name;
    if (!b->present) {
        listener_dump_field(sb, label, "none", b->origin.kind != MODEL_ORIGIN_NONE ? &b->origin : NULL, prefix);
        return;
    }
    listener_dump_field(sb, label, b->dynamic && !b->text ? "(dynamic)" : b->text, &b->origin, prefix);
    name = xasprintf("%s.raw", label);
    listener_dump_field(sb, name, b->raw, NULL, prefix);
    free(name);
    name = xasprintf("%s.hostname", label);
    char *value = xasprintf("%s (%s)", b->hostname ? b->hostname : "(unknown)",
                            b->host_param ? b->host_param : "-");
    listener_dump_field(sb, name, value, &b->host_origin, prefix);
    free(value);
    free(name);
    if (b->dynamic) {
        name = xasprintf("%s.dynamic", label);
        listener_dump_field(sb, name, b->host_expression ? b->host_expression : "(rest of the text)", NULL, prefix);
        free(name);
    }
    if (b->host_from_ptr) {
        name = xasprintf("%s.from_ptr", label);
        listener_dump_field(sb, name, b->host_fallback ? b->host_fallback : "(no fallback)", NULL, prefix);
        free(name);
    }
}

char *listener_dump(const struct listener_set *set, const struct diag_list *diags, const char *prefix)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < set->n; i++) {
        const struct listener *l = &set->items[i];
        strbuf_adds(&sb, "listener ");
        listener_dump_str(&sb, l->id, prefix);
        strbuf_addc(&sb, '\n');
        listener_dump_field(&sb, "command", l->command, &l->origin, prefix);
        char *port = xasprintf("%u (%s)%s%s", l->port, l->port_name ? l->port_name : "-", l->mx ? " mx" : "",
                               l->tls_on_connect ? " tls-on-connect" : "");
        listener_dump_field(&sb, "port", port, NULL, prefix);
        free(port);
        char *fams = listener_dump_families(l->families);
        char *all = listener_dump_families(l->all_families);
        char *addrs = listener_dump_list(&l->addresses);
        char *value = xasprintf("%s; all: %s; addresses: %s", fams, all, *addrs ? addrs : "-");
        listener_dump_field(&sb, "listen", value, &l->addresses_origin, prefix);
        free(value);
        free(addrs);
        free(all);
        free(fams);
        if (l->names.n) {
            char *names = listener_dump_list(&l->names);
            listener_dump_field(&sb, "listen.names", names, NULL, prefix);
            free(names);
        }
        if (l->proxy_addresses.n) {
            char *proxy = listener_dump_list(&l->proxy_addresses);
            listener_dump_field(&sb, "proxy", proxy, &l->proxy_origin, prefix);
            free(proxy);
        }
        listener_dump_banner(&sb, "banner", &l->banner, prefix);
        if (l->teaser.present || l->teaser.origin.kind != MODEL_ORIGIN_NONE)
            listener_dump_banner(&sb, "teaser", &l->teaser, prefix);
        if (l->pass_service)
            listener_dump_field(&sb, "pass", l->pass_service, &l->pass_origin, prefix);
        for (size_t n = 0; n < l->notes.n; n++)
            listener_dump_field(&sb, "note", l->notes.items[n], NULL, prefix);
    }
    for (size_t i = 0; i < set->ndomains; i++) {
        const struct listener_domain *d = &set->domains[i];
        char *origin = model_origin_tostr(&d->origin);
        strbuf_addf(&sb, "domain %s %s %s", d->name, model_mta_tostr(d->mta), d->source);
        if (origin) {
            strbuf_adds(&sb, "  <- ");
            listener_dump_str(&sb, origin, prefix);
        }
        strbuf_addc(&sb, '\n');
        free(origin);
    }
    if (set->domains_dropped)
        strbuf_addf(&sb, "domains dropped %zu\n", set->domains_dropped);
    for (size_t i = 0; i < set->ntables; i++) {
        const struct listener_table *t = &set->tables[i];
        char *origin = model_origin_tostr(&t->origin);
        strbuf_addf(&sb, "table %s %s ", model_mta_tostr(t->mta), t->source);
        listener_dump_str(&sb, t->table, prefix);
        if (origin) {
            strbuf_adds(&sb, "  <- ");
            listener_dump_str(&sb, origin, prefix);
        }
        strbuf_addc(&sb, '\n');
        free(origin);
    }
    for (size_t i = 0; i < set->notes.n; i++) {
        strbuf_adds(&sb, "note ");
        listener_dump_str(&sb, set->notes.items[i], prefix);
        strbuf_addc(&sb, '\n');
    }
    for (size_t i = 0; diags && i < diags->n; i++) {
        char *line = diag_format(&diags->items[i]);
        strbuf_addf(&sb, "%s ", diag_level_tostr(diags->items[i].level));
        listener_dump_str(&sb, line, prefix);
        strbuf_addc(&sb, '\n');
        free(line);
    }
    return strbuf_detach(&sb);
}
