/* report_nagios - monitoring-plugins output; see report_nagios.h. */
#include "auditor/report_nagios.h"

#include <stdlib.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

/* report_nagios_data - data with '|', ';' and control characters replaced:
 * they would end the text part or split the line. */
static void report_nagios_data(struct strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        strbuf_addc(sb, (*p < 0x20 || *p == 0x7f || *p == '|' || *p == ';') ? '?' : (char)*p);
}

char *report_nagios(const struct model_set *set, const struct facts *facts, const struct finding_list *findings)
{
    struct strbuf sb = STRBUF_INIT;
    enum finding_status st = finding_status_of(findings);
    static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
    size_t count[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < findings->n; i++)
        count[findings->items[i].severity]++;
    strbuf_addf(&sb, "MTA-PREFLIGHT %s - ", word[st]);
    size_t listed = 0;
    for (int sev = FINDING_CRITICAL; sev > FINDING_INFO; sev--)
        for (size_t i = 0; i < findings->n; i++) {
            const struct finding *f = &findings->items[i];
            if ((int)f->severity != sev)
                continue;
            if (listed++)
                strbuf_adds(&sb, ", ");
            strbuf_adds(&sb, finding_id_tostr(f->id));
            if (f->identity) {
                strbuf_addc(&sb, ' ');
                report_nagios_data(&sb, f->identity);
            }
            if (f->family >= 0)
                strbuf_addf(&sb, " %s", model_family_tostr((enum model_family)f->family));
            if (f->address) {
                strbuf_addc(&sb, ' ');
                report_nagios_data(&sb, f->address);
            }
        }
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
