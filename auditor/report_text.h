/* report_text - the audit for a person at a terminal: a status line, then per
 * identity its EHLO name and each source with its PTR and forward
 * confirmation, then that identity's findings with severity and fixes;
 * findings that belong to no identity come last.
 *
 * Everything from configuration or DNS is escaped (no control character
 * reaches the terminal). Colour escapes only when the caller says so (the
 * --color / NO_COLOR decision is the command layer's).
 */
#ifndef MP_REPORT_TEXT_H
#define MP_REPORT_TEXT_H

#include <stdbool.h>

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/state.h"
#include "auditor/verdict.h"

/* report_text - newly allocated text; free() it. The verdicts (and their
 * facts) are those the findings were written from. Identities that look the
 * same to receivers (report_group.h) are one block, their findings counted
 * once. Every line fits 80 columns except what is to be pasted (commands,
 * records, configuration lines), which never wraps. */
char *report_text(const struct model_set *set, const struct verdict_set *vs, const struct finding_list *findings,
                  bool color);

/* report_text_changes - drift mode: the damped status, the state file and
 * run, then the new findings (with their fixes), the resolved and the
 * pending ones; "no change since the last run" when there is none. */
char *report_text_changes(const struct state_changes *changes, const char *state_file, unsigned runs, bool color);

/* report_text_wrap - append text word-wrapped to width columns, every line
 * (the first too) indented by indent spaces, ending with a newline. Words
 * longer than a line stay whole. */
void report_text_wrap(struct strbuf *sb, const char *text, size_t indent, size_t width);

/* report_text_severity_color - the ANSI colour of a severity word. */
const char *report_text_severity_color(enum finding_severity sev);

#endif
