/* report_group - identities that look the same to receivers; see report_group.h. */
#include "auditor/report_group.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

static void report_group_field(struct strbuf *sb, const char *s)
{
    /* Length-prefixed, so that no value can imitate a separator. */
    if (!s) {
        strbuf_adds(sb, "-;");
        return;
    }
    strbuf_addf(sb, "%zu:%s;", strlen(s), s);
}

/* report_group_key - everything receivers and the reader would see of
 * identity i, except the fixes; newly allocated. */
static char *report_group_key(const struct model_set *set, const struct facts *facts,
                              const struct finding_list *findings, size_t i)
{
    const struct model_identity *id = &set->items[i];
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%d;", (int)id->mta);
    report_group_field(&sb, id->config);
    report_group_field(&sb, id->helo_name);
    char *origin = model_origin_tostr(&id->helo_origin);
    report_group_field(&sb, origin);
    free(origin);
    strbuf_addf(&sb, "%d;", id->helo_dynamic);
    report_group_field(&sb, id->helo_expression);
    report_group_field(&sb, id->relay);
    strbuf_addf(&sb, "%u;%d;", id->families, (int)id->preference);
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct facts_source *s = facts_source_find(facts, i, (enum model_family)f);
        if (!s) {
            strbuf_adds(&sb, "nosrc;");
            continue;
        }
        strbuf_addf(&sb, "%d;%d;%d;%d%d%d;%d;", s->route, (int)s->how, (int)s->scope, s->temporary, s->deprecated,
                    s->tentative, (int)s->bind_local);
        report_group_field(&sb, s->address);
        report_group_field(&sb, s->interface);
        report_group_field(&sb, s->kernel_address);
        report_group_field(&sb, s->configured_address);
        report_group_field(&sb, s->error);
    }
    for (size_t k = 0; k < findings->n; k++) {
        const struct finding *fd = &findings->items[k];
        if (!fd->identity || strcmp(fd->identity, id->id) != 0)
            continue;
        strbuf_addf(&sb, "F%d;%d;%d;", (int)fd->id, (int)fd->severity, fd->family);
        report_group_field(&sb, fd->address);
        report_group_field(&sb, fd->hostname);
        report_group_field(&sb, fd->message);
    }
    return strbuf_detach(&sb);
}

static void report_group_add_findings(struct report_group *g, const struct model_set *set,
                                      const struct finding_list *findings, size_t member)
{
    const char *ident = set->items[g->members[member]].id;
    size_t n = 0;
    size_t *idx = xcalloc(findings->n ? findings->n : 1, sizeof(*idx));
    for (size_t k = 0; k < findings->n; k++)
        if (findings->items[k].identity && strcmp(findings->items[k].identity, ident) == 0)
            idx[n++] = k;
    g->findings[member] = idx;
    g->nfindings = n;
}

void report_group_build(const struct model_set *set, const struct facts *facts, const struct finding_list *findings,
                        struct report_groups *out)
{
    report_group_free(out);
    char **keys = xcalloc(set->n ? set->n : 1, sizeof(*keys));
    size_t *group_of = xcalloc(set->n ? set->n : 1, sizeof(*group_of));
    for (size_t i = 0; i < set->n; i++)
        keys[i] = report_group_key(set, facts, findings, i);
    out->items = xcalloc(set->n ? set->n : 1, sizeof(*out->items));
    for (size_t i = 0; i < set->n; i++) {
        size_t g = out->n;
        for (size_t j = 0; j < i; j++)
            if (strcmp(keys[i], keys[j]) == 0) {
                g = group_of[j];
                break;
            }
        group_of[i] = g;
        if (g == out->n)
            out->n++;
        struct report_group *grp = &out->items[g];
        grp->members = xreallocarray(grp->members, grp->n + 1, sizeof(*grp->members));
        grp->findings = xreallocarray(grp->findings, grp->n + 1, sizeof(*grp->findings));
        grp->members[grp->n] = i;
        grp->n++;
        report_group_add_findings(grp, set, findings, grp->n - 1);
    }
    for (size_t i = 0; i < set->n; i++)
        free(keys[i]);
    free(keys);
    free(group_of);
}

char *report_group_name(const struct model_set *set, const struct report_group *g)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t m = 0; m < g->n; m++) {
        const struct model_identity *id = &set->items[g->members[m]];
        if (m == 0) {
            strbuf_adds(&sb, id->id);
        } else if (id->transport) {
            strbuf_addf(&sb, ", %s", id->transport);
            if (id->service_type)
                strbuf_addf(&sb, "/%s", id->service_type);
        } else {
            strbuf_addf(&sb, ", %s", id->id);
        }
    }
    return strbuf_detach(&sb);
}

bool report_group_has(const struct report_groups *groups, size_t k)
{
    for (size_t g = 0; g < groups->n; g++)
        for (size_t m = 0; m < groups->items[g].n; m++)
            for (size_t i = 0; i < groups->items[g].nfindings; i++)
                if (groups->items[g].findings[m][i] == k)
                    return true;
    return false;
}

void report_group_count(const struct report_groups *groups, const struct finding_list *findings, size_t counts[4])
{
    memset(counts, 0, 4 * sizeof(counts[0]));
    for (size_t k = 0; k < findings->n; k++)
        if (!report_group_has(groups, k))
            counts[findings->items[k].severity]++;
    for (size_t g = 0; g < groups->n; g++)
        for (size_t k = 0; k < groups->items[g].nfindings; k++)
            counts[findings->items[groups->items[g].findings[0][k]].severity]++;
}

void report_group_free(struct report_groups *groups)
{
    for (size_t g = 0; g < groups->n; g++) {
        for (size_t m = 0; m < groups->items[g].n; m++)
            free(groups->items[g].findings[m]);
        free(groups->items[g].findings);
        free(groups->items[g].members);
    }
    free(groups->items);
    memset(groups, 0, sizeof(*groups));
}
