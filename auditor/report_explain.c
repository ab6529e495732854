/* report_explain - finding explanations; see report_explain.h. */
#include "auditor/report_explain.h"

#include <string.h>

#include "auditor/report_text.h"
#include "auditor/foundation/strbuf.h"

#define RE_WIDTH 76
#define RE_BOLD "\033[1m"
#define RE_RESET "\033[0m"

static void report_explain_section(struct strbuf *sb, const char *head, const char *text, bool color)
{
    strbuf_addc(sb, '\n');
    strbuf_addf(sb, "%s%s%s\n", color ? RE_BOLD : "", head, color ? RE_RESET : "");
    report_text_wrap(sb, text, 2, RE_WIDTH);
}

char *report_explain(enum finding_id id, bool color)
{
    const struct finding_def *d = finding_def_get(id);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s%s%s (%s%s%s): %s\n", color ? RE_BOLD : "", d->name, color ? RE_RESET : "",
                color ? report_text_severity_color(d->severity) : "", finding_severity_tostr(d->severity),
                color ? RE_RESET : "", d->title);
    report_explain_section(&sb, "What it means", d->meaning, color);
    report_explain_section(&sb, "Why receivers care", d->why, color);
    report_explain_section(&sb, "How to fix it", d->fix, color);
    return strbuf_detach(&sb);
}

char *report_explain_index(void)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < FINDING_COUNT; i++)
        strbuf_addf(&sb, "%-22s %-8s %s\n", finding_table[i].name, finding_severity_tostr(finding_table[i].severity),
                    finding_table[i].title);
    return strbuf_detach(&sb);
}
