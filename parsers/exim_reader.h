/* exim_reader - Exim's configuration lines: physical lines become logical
 * lines the way readconf.c's get_config_line() builds them.
 *
 * Per physical line, in Exim's order: macro substitution (every macro in
 * definition order, raw substring replacement, built-in macros first and only
 * when the line names one); '#' comment lines; the .ifdef/.ifndef/.elifdef/
 * .elifndef/.else/.endif directives (true when any substitution happened on
 * the line); lines skipped by a false condition; .include and
 * .include_if_exists (relative names against the including file's
 * directory). Then continuation: a trailing backslash joins the next line
 * with its leading white space dropped; an empty line ends the run.
 *
 * Macro definitions are recognised by the caller (only it knows which
 * section a line is in) and handed back through exim_reader_define().
 *
 * The first error Exim would refuse to start on is recorded in the diag list
 * as DIAG_ERROR with file:line (the physical line Exim names) and the reader
 * stops: exim_reader_next() returns NULL from then on and
 * exim_reader_failed() is true. A file that exists but cannot be read here
 * (permission denied, I/O error, not a regular file; Exim, running as root,
 * may read it) stops the reader the same way with DIAG_UNREADABLE instead:
 * the top-level file whatever the reason, an included one unless it does
 * not exist (Exim's own error then). The reader never writes any file.
 */
#ifndef MP_EXIM_READER_H
#define MP_EXIM_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/strlist.h"

/* Where one physical line of a text buffer came from (see push_text). */
struct exim_origin {
    const char *file;
    unsigned line;
};

/* A logical line: text starts at its first non-blank character; trailing
 * white space is removed. file/line name its first physical line, last_line
 * its last one (what Exim names in an error). Valid until the next call. */
struct exim_line {
    const char *text;
    const char *file;
    unsigned line;
    unsigned last_line;
    /* user macros substituted into it, each "NAME (FILE:LINE)" with where
     * the macro was defined at the time, in order, without repeats */
    const struct strlist *macros;
};

struct exim_reader;

/* exim_reader_new - an empty reader that records problems in diags (which
 * must outlive it). Built-in macros are defined. */
struct exim_reader *exim_reader_new(struct diag_list *diags);
void exim_reader_free(struct exim_reader *r);

/* exim_reader_open_file - start reading path as the top-level file.
 * Returns 0, or -1 when it cannot be read (DIAG_UNREADABLE in diags). */
int exim_reader_open_file(struct exim_reader *r, const char *path);

/* exim_reader_open_text - start reading len bytes of text as if they were
 * the file path (relative includes are resolved against path's directory).
 * When map is not NULL, map[i] is the origin of physical line i+1 (nmap
 * entries; lines past the end are named path:N). Text and map are copied. */
void exim_reader_open_text(struct exim_reader *r, const char *path, const char *text, size_t len,
                           const struct exim_origin *map, size_t nmap);

/* exim_reader_next - the next logical line, or NULL at the end or after an
 * error. */
const struct exim_line *exim_reader_next(struct exim_reader *r);

/* exim_reader_define - handle the macro definition line "NAME = value" or
 * "NAME == value" (text as returned by next). Returns false after recording
 * the error Exim gives (the reader is then failed). */
bool exim_reader_define(struct exim_reader *r, const struct exim_line *line);

/* exim_reader_fail - record a fatal error at file:line and stop reading. */
void exim_reader_fail(struct exim_reader *r, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

bool exim_reader_failed(const struct exim_reader *r);

/* exim_reader_user_macro - the i-th user macro in definition order (a
 * redefinition keeps its place); false past the last one. */
bool exim_reader_user_macro(const struct exim_reader *r, size_t i, const char **name, const char **value);

/* Limits. Exim itself has no include depth limit (a loop ends when it runs
 * out of file descriptors); mta-preflight stops at this depth. */
#define EXIM_READER_MAX_DEPTH 64
/* Exim's CSTATE_STACK_SIZE: how deeply .ifdef may nest. */
#define EXIM_READER_MAX_COND 10
/* Largest file read, to bound memory on garbage input. */
#define EXIM_READER_MAX_FILE (64u * 1024 * 1024)
/* Bytes macro substitution may scan and copy over the whole configuration
 * (a line where each macro doubles the previous one grows exponentially;
 * Exim follows it until memory runs out). Real configurations use under a
 * megabyte (Debian's full template: 0.86 MB). */
#define EXIM_READER_MAX_WORK (64u * 1024 * 1024)

#endif
