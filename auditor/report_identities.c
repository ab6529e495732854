/* report_identities - table and JSON output of the identities command; see
 * report_identities.h.
 *
 * The table shows one row per identity, grouped by configuration, so that an
 * admin sees at a glance which name and source each outbound path uses; the
 * lines under it say where each value came from. */
#include "auditor/report_identities.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/identity_json.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/term.h"
#include "auditor/foundation/xalloc.h"

#define RI_BOLD "\033[1m"
#define RI_DIM "\033[2m"
#define RI_RED "\033[31m"
#define RI_YELLOW "\033[33m"
#define RI_RESET "\033[0m"

enum { RI_COL_TRANSPORT, RI_COL_EHLO, RI_COL_IPV4, RI_COL_IPV6, RI_COL_FAMILIES, RI_COL_PREFER, RI_COL_RELAY,
       RI_NCOLS };

static const char *const ri_headers[RI_NCOLS] = {"TRANSPORT", "EHLO NAME", "IPV4 SOURCE", "IPV6 SOURCE",
                                                  "FAMILIES",  "PREFER",    "RELAY"};

static char *ri_escaped(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    term_escape(&sb, s);
    return strbuf_detach(&sb);
}

/* What configuration says about the source of one family, in a few words. */
static char *ri_source_cell(const struct model_identity *id, enum model_family f)
{
    if (!(id->families & MODEL_FAMILY_BIT(f)))
        return xstrdup("(off)");
    const struct model_bind *b = &id->bind[f];
    switch (b->how) {
    case MODEL_BIND_PARAM:
        return ri_escaped(b->address);
    case MODEL_BIND_INET_INTERFACES:
    {
        struct strbuf sb = STRBUF_INIT;
        term_escape(&sb, b->address);
        strbuf_adds(&sb, " (inet_interfaces)");
        return strbuf_detach(&sb);
    }
    case MODEL_BIND_DYNAMIC:
        return xstrdup("dynamic");
    case MODEL_BIND_WILDCARD:
    case MODEL_BIND_NONE:
        break;
    }
    return xstrdup("kernel's choice");
}

static char *ri_families_cell(const struct model_identity *id)
{
    if ((id->families & MODEL_FAMILY_BIT(MODEL_IPV4)) && (id->families & MODEL_FAMILY_BIT(MODEL_IPV6)))
        return xstrdup("ipv4+ipv6");
    if (id->families & MODEL_FAMILY_BIT(MODEL_IPV4))
        return xstrdup("ipv4");
    if (id->families & MODEL_FAMILY_BIT(MODEL_IPV6))
        return xstrdup("ipv6");
    return xstrdup("none");
}

static void ri_row(const struct model_identity *id, char *cells[RI_NCOLS])
{
    struct strbuf transport = STRBUF_INIT;
    term_escape(&transport, id->transport);
    if (id->service_type) {
        strbuf_addc(&transport, '/');
        term_escape(&transport, id->service_type);
    }
    cells[RI_COL_TRANSPORT] = strbuf_detach(&transport);
    if (id->helo_dynamic && !id->helo_name)
        cells[RI_COL_EHLO] = xstrdup("dynamic");
    else if (id->helo_dynamic) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "dynamic (else ");
        term_escape(&sb, id->helo_name);
        strbuf_addc(&sb, ')');
        cells[RI_COL_EHLO] = strbuf_detach(&sb);
    }
    else
        cells[RI_COL_EHLO] = ri_escaped(id->helo_name);
    cells[RI_COL_IPV4] = ri_source_cell(id, MODEL_IPV4);
    cells[RI_COL_IPV6] = ri_source_cell(id, MODEL_IPV6);
    cells[RI_COL_FAMILIES] = ri_families_cell(id);
    cells[RI_COL_PREFER] = xstrdup(model_preference_tostr(id->preference));
    cells[RI_COL_RELAY] = id->relay ? ri_escaped(id->relay) : xstrdup("direct (MX)");
}

static void ri_pad(struct strbuf *sb, const char *s, size_t width)
{
    strbuf_adds(sb, s);
    for (size_t n = strlen(s); n < width; n++)
        strbuf_addc(sb, ' ');
}

static void ri_origin_line(struct strbuf *sb, const char *what, const struct model_origin *o, bool color)
{
    char *origin = model_origin_tostr(o);
    if (!origin)
        return;
    strbuf_addf(sb, "    %s%-12s%s ", color ? RI_DIM : "", what, color ? RI_RESET : "");
    term_escape(sb, origin);
    strbuf_addc(sb, '\n');
    free(origin);
}

static void ri_details(struct strbuf *sb, const struct model_identity *id, bool color)
{
    strbuf_adds(sb, "  ");
    term_escape(sb, id->id);
    strbuf_addc(sb, '\n');
    ri_origin_line(sb, "ehlo", &id->helo_origin, color);
    if (id->helo_dynamic && id->helo_expression) {
        strbuf_addf(sb, "    %-12s ", "expression");
        term_escape(sb, id->helo_expression);
        strbuf_addc(sb, '\n');
    }
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct model_bind *b = &id->bind[f];
        char *label = xasprintf("%s source", model_family_tostr((enum model_family)f));
        if (b->how == MODEL_BIND_DYNAMIC && b->expression) {
            strbuf_addf(sb, "    %-12s ", label);
            term_escape(sb, b->expression);
            strbuf_adds(sb, "  (computed at delivery time)\n");
        }
        ri_origin_line(sb, label, &b->origin, color);
        free(label);
    }
    ri_origin_line(sb, "families", &id->families_origin, color);
    ri_origin_line(sb, "preference", &id->preference_origin, color);
    ri_origin_line(sb, "relay", &id->relay_origin, color);
    if (id->mta == MODEL_POSTFIX && id->bind_enforce)
        ri_origin_line(sb, "bind enforce", &id->bind_enforce_origin, color);
    for (size_t i = 0; i < id->notes.n; i++) {
        strbuf_addf(sb, "    %snote%s         ", color ? RI_YELLOW : "", color ? RI_RESET : "");
        term_escape(sb, id->notes.items[i]);
        strbuf_addc(sb, '\n');
    }
}

static void ri_table(struct strbuf *sb, const struct model_set *set, const struct model_config *cfg, bool color)
{
    size_t width[RI_NCOLS];
    for (int c = 0; c < RI_NCOLS; c++)
        width[c] = strlen(ri_headers[c]);
    size_t rows = 0;
    char *(*cells)[RI_NCOLS] = xcalloc(set->n, sizeof(*cells));
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        if (cfg && (id->mta != cfg->mta || strcmp(id->config, cfg->path) != 0))
            continue;
        ri_row(id, cells[rows]);
        for (int c = 0; c < RI_NCOLS; c++)
            if (strlen(cells[rows][c]) > width[c])
                width[c] = strlen(cells[rows][c]);
        rows++;
    }
    if (rows == 0) {
        strbuf_adds(sb, "  no outbound SMTP transport\n");
        free(cells);
        return;
    }
    strbuf_addf(sb, "  %s", color ? RI_BOLD : "");
    for (int c = 0; c < RI_NCOLS; c++)
        ri_pad(sb, ri_headers[c], c + 1 < RI_NCOLS ? width[c] + 2 : 0);
    strbuf_addf(sb, "%s\n", color ? RI_RESET : "");
    for (size_t r = 0; r < rows; r++) {
        strbuf_adds(sb, "  ");
        for (int c = 0; c < RI_NCOLS; c++) {
            ri_pad(sb, cells[r][c], c + 1 < RI_NCOLS ? width[c] + 2 : 0);
            free(cells[r][c]);
        }
        strbuf_addc(sb, '\n');
    }
    free(cells);
    strbuf_addc(sb, '\n');
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        if (cfg && (id->mta != cfg->mta || strcmp(id->config, cfg->path) != 0))
            continue;
        ri_details(sb, id, color);
    }
}

/* Identities whose config matches no recorded configuration are still shown. */
static bool ri_orphans(const struct model_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        bool found = false;
        for (size_t c = 0; c < set->nconfigs && !found; c++)
            found = set->items[i].mta == set->configs[c].mta && set->items[i].config &&
                    strcmp(set->items[i].config, set->configs[c].path) == 0;
        if (!found)
            return true;
    }
    return false;
}

char *report_identities_text(const struct model_set *set, const struct diag_list *diags, bool color)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t c = 0; c < set->nconfigs; c++) {
        const struct model_config *cfg = &set->configs[c];
        strbuf_addf(&sb, "%s%s ", color ? RI_BOLD : "", cfg->mta == MODEL_EXIM ? "Exim" : "Postfix");
        term_escape(&sb, cfg->path);
        strbuf_addf(&sb, "%s (", color ? RI_RESET : "");
        term_escape(&sb, cfg->how);
        strbuf_adds(&sb, ")\n");
        ri_table(&sb, set, cfg, color);
        strbuf_addc(&sb, '\n');
    }
    if (ri_orphans(set)) {
        strbuf_adds(&sb, "Other identities\n");
        ri_table(&sb, set, NULL, color);
        strbuf_addc(&sb, '\n');
    }
    if (set->nconfigs == 0 && set->n == 0)
        strbuf_adds(&sb, diags && diags->n ? "No configuration could be read.\n"
                                           : "No Postfix or Exim configuration found.\n");
    if (diags && diags->n) {
        strbuf_addf(&sb, "%sConfiguration problems%s\n", color ? RI_BOLD : "", color ? RI_RESET : "");
        for (size_t i = 0; i < diags->n; i++) {
            const struct diag *d = &diags->items[i];
            char *line = diag_format(d);
            bool err = d->level != DIAG_WARNING;
            strbuf_addf(&sb, "  %s%s%s ", color ? (err ? RI_RED : RI_YELLOW) : "", err ? "error:  " : "warning:",
                        color ? RI_RESET : "");
            term_escape(&sb, line);
            strbuf_addc(&sb, '\n');
            free(line);
        }
    }
    return strbuf_detach(&sb);
}

char *report_identities_json(const struct model_set *set, const struct diag_list *diags)
{
    struct json_object *root = json_object_new_object();
    identity_json_add_head(root, set->n ? "ok" : "unknown", set, diags);

    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = xasprintf("%s\n", text);
    json_object_put(root);
    return copy;
}
