/* report_nagios - monitoring-plugins output; see report_nagios.h. */
#include "auditor/report_nagios.h"

#include <stdlib.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/report_group.h"

/* report_nagios_data - data with '|', ';' and control characters replaced:
 * they would end the text part or split the line. */
static void report_nagios_data(struct strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        strbuf_addc(sb, (*p < 0x20 || *p == 0x7f || *p == '|' || *p == ';') ? '?' : (char)*p);
}

/* report_nagios_item - one finding of the status line: its id, the
 * identities it concerns (a group's name), family and address. */
static void report_nagios_item(struct strbuf *sb, const struct finding *f, const char *identities, size_t *listed)
{
    if ((*listed)++)
        strbuf_adds(sb, ", ");
    strbuf_adds(sb, finding_id_tostr(f->id));
    if (identities) {
        strbuf_addc(sb, ' ');
        report_nagios_data(sb, identities);
    }
    if (f->family >= 0)
        strbuf_addf(sb, " %s", model_family_tostr((enum model_family)f->family));
    if (f->address) {
        strbuf_addc(sb, ' ');
        report_nagios_data(sb, f->address);
    }
}

char *report_nagios(const struct model_set *set, const struct facts *facts, const struct finding_list *findings)
{
    struct strbuf sb = STRBUF_INIT;
    enum finding_status st = finding_status_of(findings);
    static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
    struct report_groups groups = REPORT_GROUPS_INIT;
    report_group_build(set, facts, findings, &groups);
    size_t count[4];
    report_group_count(&groups, findings, count);
    strbuf_addf(&sb, "MTA-PREFLIGHT %s - ", word[st]);
    size_t listed = 0;
    for (int sev = FINDING_CRITICAL; sev > FINDING_INFO; sev--) {
        for (size_t i = 0; i < findings->n; i++) {
            const struct finding *f = &findings->items[i];
            if ((int)f->severity == sev && !f->identity)
                report_nagios_item(&sb, f, NULL, &listed);
        }
        for (size_t g = 0; g < groups.n; g++)
            for (size_t k = 0; k < groups.items[g].nfindings; k++) {
                const struct finding *f = &findings->items[groups.items[g].findings[0][k]];
                if ((int)f->severity != sev)
                    continue;
                char *name = report_group_name(set, &groups.items[g]);
                report_nagios_item(&sb, f, name, &listed);
                free(name);
            }
    }
    report_group_free(&groups);
    if (!listed)
        strbuf_addf(&sb, "%zu %s verified", set->n, set->n == 1 ? "identity" : "identities");
    unsigned dns_max = 0;
    for (size_t i = 0; i < facts->nlookups; i++)
        if (facts->lookups[i].ms > dns_max)
            dns_max = facts->lookups[i].ms;
    strbuf_addf(&sb, " | critical=%zu;;;0 warning=%zu;;;0 unknown=%zu;;;0 info=%zu;;;0 identities=%zu;;;0 dns_max=%ums;;;0\n",
                count[FINDING_CRITICAL], count[FINDING_WARNING], count[FINDING_UNKNOWN], count[FINDING_INFO], set->n,
                dns_max);
    return strbuf_detach(&sb);
}
