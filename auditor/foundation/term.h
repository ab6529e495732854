/* term - safe terminal output: escaping of text from configuration or DNS,
 * and the colour decision of --color / NO_COLOR.
 *
 * Text that came from outside (config values, DNS names) may hold control
 * characters that would move the cursor or change the terminal's state; it is
 * always printed through term_escape(). */
#ifndef MP_TERM_H
#define MP_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "auditor/foundation/strbuf.h"

enum term_color { TERM_COLOR_AUTO, TERM_COLOR_ALWAYS, TERM_COLOR_NEVER };

/* term_escape - append s to sb with control characters, DEL and backslash
 * escaped (\n, \t, \xHH, \\); bytes >= 0x80 are kept (UTF-8 names). NULL
 * appends "-". */
void term_escape(struct strbuf *sb, const char *s);
/* term_escape_ascii - the same, but bytes >= 0x80 are escaped too (\xHH),
 * for text that must stay plain ASCII (finding messages). */
void term_escape_ascii(struct strbuf *sb, const char *s);
/* term_color_fromstr - parse auto/always/never; -1 when unknown. */
int term_color_fromstr(const char *s);
/* term_use_color - whether to colour output written to fp: always, never, or
 * auto = a terminal, NO_COLOR unset or empty, TERM not "dumb". */
bool term_use_color(enum term_color when, FILE *fp);

#endif
