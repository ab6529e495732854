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

/* report_nagios_item - one finding: its id, the identities it concerns (a
 * group's name), family and address. */
static void report_nagios_item(struct strbuf *sb, const struct finding *f, const char *identities)
{
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

/* One finding as the report lists it: the finding (a group's first
 * member's) and the name of the identities it concerns (NULL: none). */
struct report_nagios_entry {
    const struct finding *f;
    char *identities;
};

char *report_nagios(const struct model_set *set, const struct facts *facts, const struct finding_list *findings)
{
    enum finding_status st = finding_status_of(findings);
    static const char *const word[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
    struct report_groups groups = REPORT_GROUPS_INIT;
    report_group_build(set, facts, findings, &groups);
    size_t count[4];
    report_group_count(&groups, findings, count);

    /* Every finding once, most serious first. */
    struct report_nagios_entry *list = xcalloc(findings->n ? findings->n : 1, sizeof(*list));
    size_t n = 0;
    for (int sev = FINDING_CRITICAL; sev >= FINDING_INFO; sev--) {
        for (size_t i = 0; i < findings->n; i++)
            if ((int)findings->items[i].severity == sev && !findings->items[i].identity)
                list[n++] = (struct report_nagios_entry){ &findings->items[i], NULL };
        /* The inbound part: listeners and domains, apart from the identities. */
        for (size_t i = 0; i < findings->n; i++)
            if ((int)findings->items[i].severity == sev && findings->items[i].identity
                && !report_group_has(&groups, i))
                list[n++] = (struct report_nagios_entry){ &findings->items[i], xstrdup(findings->items[i].identity) };
        for (size_t g = 0; g < groups.n; g++)
            for (size_t k = 0; k < groups.items[g].nfindings; k++) {
                const struct finding *f = &findings->items[groups.items[g].findings[0][k]];
                if ((int)f->severity == sev)
                    list[n++] = (struct report_nagios_entry){ f, report_group_name(set, &groups.items[g]) };
            }
    }
    report_group_free(&groups);

    struct strbuf text = STRBUF_INIT;
    size_t serious = count[FINDING_CRITICAL] + count[FINDING_WARNING] + count[FINDING_UNKNOWN];
    if (serious == 0) {
        strbuf_addf(&text, "%zu %s verified", set->n, set->n == 1 ? "identity" : "identities");
    } else {
        strbuf_addf(&text, "%zu critical, %zu warning, %zu unknown: ", count[FINDING_CRITICAL],
                    count[FINDING_WARNING], count[FINDING_UNKNOWN]);
        report_nagios_item(&text, list[0].f, list[0].identities);
        if (serious > 1)
            strbuf_addf(&text, " and %zu more", serious - 1);
    }
    unsigned dns_max = 0;
    for (size_t i = 0; i < facts->nlookups; i++)
        if (facts->lookups[i].ms > dns_max)
            dns_max = facts->lookups[i].ms;
    struct strbuf perf = STRBUF_INIT;
    strbuf_addf(&perf, " | critical=%zu;;;0 warning=%zu;;;0 unknown=%zu;;;0 info=%zu;;;0 identities=%zu;;;0 "
                       "dns_max=%ums;;;0\n",
                count[FINDING_CRITICAL], count[FINDING_WARNING], count[FINDING_UNKNOWN], count[FINDING_INFO], set->n,
                dns_max);

    /* The first line stays within REPORT_NAGIOS_FIRST_LINE_MAX: the text
     * gives way, the perfdata never does. */
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "MTA-PREFLIGHT %s - ", word[st]);
    size_t room = REPORT_NAGIOS_FIRST_LINE_MAX - sb.len - (perf.len - 1);
    if (text.len > room)
        strbuf_addf(&sb, "%.*s...", (int)(room - 3), text.buf);
    else
        strbuf_adds(&sb, text.buf);
    strbuf_adds(&sb, perf.buf);
    strbuf_release(&text);
    strbuf_release(&perf);

    /* Long output: one line per finding. */
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(&sb, "%s ", finding_severity_tostr(list[i].f->severity));
        report_nagios_item(&sb, list[i].f, list[i].identities);
        strbuf_adds(&sb, ": ");
        report_nagios_data(&sb, list[i].f->message);
        strbuf_addc(&sb, '\n');
        free(list[i].identities);
    }
    free(list);
    return strbuf_detach(&sb);
}
