/* pf_lines - Postfix logical lines; see pf_lines.h. */
#include "parsers/pf_lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/slurp.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

/* Postfix's ISSPACE: the C locale's isspace() set. */
static int pf_lines_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Finish one logical line: keep it, or warn and drop it when it starts with
 * whitespace (text without a line to continue). */
static void pf_lines_finish(const char *path, struct strbuf *sb, unsigned lineno, struct pf_lines *out,
                            struct diag_list *diags)
{
    if (sb->len == 0)
        return;
    size_t textlen = strlen(sb->buf);
    if (textlen < sb->len)
        diag_add(diags, DIAG_WARNING, path, lineno, "text after null byte may be ignored");
    if (pf_lines_isspace(sb->buf[0])) {
        diag_add(diags, DIAG_WARNING, path, lineno, "logical line must not start with whitespace: \"%.30s%s\"",
                 sb->buf, textlen > 30 ? "..." : "");
    } else if (textlen > 0) {
        XGROW(out->items, out->cap, out->n + 1);
        out->items[out->n].text = xstrndup(sb->buf, textlen);
        out->items[out->n].lineno = lineno;
        out->n++;
    }
    strbuf_reset(sb);
}

void pf_lines_split(const char *path, const char *data, size_t len, struct pf_lines *out,
                    struct diag_list *diags)
{
    struct strbuf sb = STRBUF_INIT;
    unsigned lineno = 0, first = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        lineno++;
        size_t i = pos;
        while (i < end && pf_lines_isspace(data[i]))
            i++;
        /* Blank and comment lines vanish, even inside a continued line. */
        if (i < end && data[i] != '#') {
            if (!pf_lines_isspace(data[pos])) {
                pf_lines_finish(path, &sb, first, out, diags);
                first = lineno;
            } else if (sb.len == 0) {
                first = lineno;
            }
            strbuf_add(&sb, data + pos, end - pos);
        }
        pos = end + 1;
    }
    pf_lines_finish(path, &sb, first, out, diags);
    strbuf_release(&sb);
}

int pf_lines_read_file(const char *path, enum diag_level missing_level, struct pf_lines *out,
                       struct diag_list *diags)
{
    size_t len = 0;
    const char *step = "open";
    char *text = slurp_file(path, 0, &len, &step);
    if (!text) {
        int err = errno;
        /* A FIFO or device could block or never end: slurp_file refuses
         * what is not a regular file, and so is it reported. */
        if (err == ENOENT && missing_level != DIAG_UNREADABLE)
            diag_add(diags, missing_level, NULL, 0, "cannot %s '%s': %s", step, path, strerror(err));
        else
            diag_add_unreadable(diags, NULL, 0, path, step, err);
        errno = err;
        return -1;
    }
    pf_lines_split(path, text, len, out, diags);
    free(text);
    return 0;
}

void pf_lines_free(struct pf_lines *lines)
{
    for (size_t i = 0; i < lines->n; i++)
        free(lines->items[i].text);
    free(lines->items);
    lines->items = NULL;
    lines->n = lines->cap = 0;
}
