/* pf_lines - Postfix's logical-line reader, shared by main.cf and master.cf.
 *
 * Rules (Postfix util/readlline.c): empty lines, whitespace-only lines and
 * lines whose first non-whitespace character is '#' are discarded wherever
 * they occur, also between a line and its continuation lines. A logical line
 * starts with a line whose first character is not whitespace; every
 * following line that starts with whitespace is appended with only the
 * newline dropped: its leading whitespace, and the trailing whitespace of
 * the line before, stay. Postfix's programs quote "myhostname = mail" plus
 * "    .example.com" as "mail    .example.com", and postconf -M keeps the
 * blanks inside a master.cf { } token; only postconf's printing of values
 * turns each run of blanks into one space. A '#' after other text is
 * data. Text that would start a logical line with whitespace is dropped with
 * Postfix's warning. A NUL byte ends the logical line's text, as it does for
 * Postfix's C strings, with a warning.
 *
 * Invariants: every pf_line has NUL-terminated text that contains no '\n'
 * and starts with a non-whitespace character; lineno is the 1-based number of
 * its first physical line. Reading is linear in the file size.
 */
#ifndef MP_PF_LINES_H
#define MP_PF_LINES_H

#include <stddef.h>

#include "auditor/foundation/diag.h"

struct pf_line {
    char *text;
    unsigned lineno;
};

struct pf_lines {
    struct pf_line *items;
    size_t n, cap;
};

#define PF_LINES_INIT { NULL, 0, 0 }

/* pf_lines_read_file - read path (opened read-only) into logical lines.
 * Returns 0, or -1 when the file cannot be opened or read, with errno kept
 * for the caller: a file that does not exist is recorded at missing_level
 * ("cannot open 'PATH': No such file or directory"), anything else
 * (permission, wrong file type, I/O error) as DIAG_UNREADABLE
 * (diag_add_unreadable). Warnings about the content go to diags either way. */
int pf_lines_read_file(const char *path, enum diag_level missing_level, struct pf_lines *out,
                       struct diag_list *diags);

/* pf_lines_split - split len bytes of data (may hold NUL bytes) read from
 * path into logical lines appended to out. */
void pf_lines_split(const char *path, const char *data, size_t len, struct pf_lines *out,
                    struct diag_list *diags);

void pf_lines_free(struct pf_lines *lines);

#endif
