/* model_dump - stable text form of identities for golden files; see model_dump.h. */
#include "tests/support/model_dump.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

/* Replace every occurrence of prefix in s by "$DIR". */
static void model_dump_str(struct strbuf *sb, const char *s, const char *prefix)
{
    if (!s) {
        strbuf_adds(sb, "(null)");
        return;
    }
    size_t plen = prefix ? strlen(prefix) : 0;
    while (*s) {
        if (plen && strncmp(s, prefix, plen) == 0) {
            strbuf_adds(sb, "$DIR");
            s += plen;
        } else {
            strbuf_addc(sb, *s++);
        }
    }
}

static void model_dump_field(struct strbuf *sb, const char *name, const char *value, const struct model_origin *o,
                             const char *prefix)
{
    char *origin = o ? model_origin_tostr(o) : NULL;
    strbuf_addf(sb, "  %s: ", name);
    model_dump_str(sb, value, prefix);
    if (origin) {
        strbuf_adds(sb, "  <- ");
        model_dump_str(sb, origin, prefix);
    }
    strbuf_addc(sb, '\n');
    free(origin);
}

char *model_dump(const struct model_set *set, const struct diag_list *diags, const char *prefix)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < set->nconfigs; i++) {
        strbuf_addf(&sb, "config %s ", model_mta_tostr(set->configs[i].mta));
        model_dump_str(&sb, set->configs[i].path, prefix);
        strbuf_adds(&sb, " (");
        model_dump_str(&sb, set->configs[i].how, prefix);
        strbuf_adds(&sb, ")\n");
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        strbuf_adds(&sb, "identity ");
        model_dump_str(&sb, id->id, prefix);
        strbuf_addc(&sb, '\n');
        model_dump_field(&sb, "helo", id->helo_name, &id->helo_origin, prefix);
        if (id->helo_dynamic)
            model_dump_field(&sb, "helo.dynamic", id->helo_expression, NULL, prefix);
        for (int f = 0; f < MODEL_NFAMILIES; f++) {
            const struct model_bind *b = &id->bind[f];
            char *label = xasprintf("bind.%s", model_family_tostr((enum model_family)f));
            char *value = xasprintf("%s %s", model_bind_how_tostr(b->how),
                                    b->address ? b->address : b->expression ? b->expression : "-");
            model_dump_field(&sb, label, value, &b->origin, prefix);
            free(label);
            free(value);
        }
        model_dump_field(&sb, "bind.enforce", id->bind_enforce ? "yes" : "no", &id->bind_enforce_origin, prefix);
        char fams[16] = "";
        for (int f = 0; f < MODEL_NFAMILIES; f++) {
            if (id->families & MODEL_FAMILY_BIT(f)) {
                if (*fams)
                    strcat(fams, ",");
                strcat(fams, model_family_tostr((enum model_family)f));
            }
        }
        model_dump_field(&sb, "families", *fams ? fams : "none", &id->families_origin, prefix);
        model_dump_field(&sb, "preference", model_preference_tostr(id->preference), &id->preference_origin,
                         prefix);
        model_dump_field(&sb, "relay", id->relay ? id->relay : "direct", &id->relay_origin, prefix);
        if (id->nexthop_varies)
            model_dump_field(&sb, "nexthop", "varies", NULL, prefix);
        if (id->mailname)
            model_dump_field(&sb, "mailname", id->mailname, &id->mailname_origin, prefix);
        for (size_t n = 0; n < id->notes.n; n++)
            model_dump_field(&sb, "note", id->notes.items[n], NULL, prefix);
    }
    for (size_t i = 0; diags && i < diags->n; i++) {
        char *line = diag_format(&diags->items[i]);
        strbuf_addf(&sb, "%s ", diag_level_tostr(diags->items[i].level));
        model_dump_str(&sb, line, prefix);
        strbuf_addc(&sb, '\n');
        free(line);
    }
    return strbuf_detach(&sb);
}
