/* term - escaping and colour decision for terminal output; see term.h. */
#include "auditor/foundation/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void term_escape_bytes(struct strbuf *sb, const char *s, unsigned first_escaped_high)
{
    if (!s) {
        strbuf_addc(sb, '-');
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\n':
            strbuf_adds(sb, "\\n");
            break;
        case '\t':
            strbuf_adds(sb, "\\t");
            break;
        case '\r':
            strbuf_adds(sb, "\\r");
            break;
        case '\\':
            strbuf_adds(sb, "\\\\");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f || *p >= first_escaped_high)
                strbuf_addf(sb, "\\x%02x", *p);
            else
                strbuf_addc(sb, (char)*p);
        }
    }
}

void term_escape(struct strbuf *sb, const char *s)
{
    term_escape_bytes(sb, s, 0x100);
}

void term_escape_ascii(struct strbuf *sb, const char *s)
{
    term_escape_bytes(sb, s, 0x80);
}

int term_color_fromstr(const char *s)
{
    if (strcmp(s, "auto") == 0)
        return TERM_COLOR_AUTO;
    if (strcmp(s, "always") == 0)
        return TERM_COLOR_ALWAYS;
    if (strcmp(s, "never") == 0)
        return TERM_COLOR_NEVER;
    return -1;
}

bool term_use_color(enum term_color when, FILE *fp)
{
    if (when == TERM_COLOR_ALWAYS)
        return true;
    if (when == TERM_COLOR_NEVER)
        return false;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(fp)) != 0;
}
