/* diag - problems found in configuration files, each with its file and line.
 *
 * Library code never prints: parsers record what is wrong here and carry on
 * where the MTA itself would carry on. The command layer decides how to show
 * the list and which exit status follows from it.
 *
 * Levels: DIAG_WARNING is something the MTA accepts (and may log); DIAG_ERROR
 * is something the MTA itself would refuse (it would not start or not
 * deliver), reported as the config-error finding.
 */
#ifndef MP_DIAG_H
#define MP_DIAG_H

#include <stddef.h>

/* DIAG_UNREADABLE: a configuration path that was given or found cannot be
 * read (missing when given explicitly, permission denied, wrong file type,
 * I/O error); the message names the path and the OS error. The audit reports
 * it as unknown (config-unreadable), not as an error the MTA would refuse. */
enum diag_level { DIAG_WARNING, DIAG_ERROR, DIAG_UNREADABLE };

struct diag {
    enum diag_level level;
    char *file;      /* NULL when the problem has no file */
    unsigned line;   /* 0 when the problem has no line */
    char *message;   /* lowercase, says what failed first */
};

struct diag_list {
    struct diag *items;
    size_t n;
    size_t cap;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

/* diag_add - record a problem; file may be NULL, line 0. */
void diag_add(struct diag_list *list, enum diag_level level, const char *file, unsigned line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* diag_add_unreadable - record DIAG_UNREADABLE for path, which could not be
 * read: err is the errno and step what failed ("open", "read"). The
 * message names the path and the OS error: "cannot open 'P': Permission
 * denied", "cannot read 'P': No such file or directory", and for a wrong
 * type "'P' is a directory" (EISDIR) or "'P' is not a regular file" (EINVAL
 * from slurp_file's read step). file and
 * line say where the path is named (an .include line), else NULL and 0. */
void diag_add_unreadable(struct diag_list *list, const char *file, unsigned line, const char *path,
                         const char *step, int err);
/* diag_add_once - diag_add, unless the same problem (level, file, line and
 * message) is already in the list: loaders that read one file for several
 * purposes report each problem once. */
void diag_add_once(struct diag_list *list, enum diag_level level, const char *file, unsigned line,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* diag_count - how many problems of this level were recorded. */
size_t diag_count(const struct diag_list *list, enum diag_level level);
/* diag_format - "file:line: message" (or the parts that exist), newly allocated. */
char *diag_format(const struct diag *d);
const char *diag_level_tostr(enum diag_level level);
void diag_list_free(struct diag_list *list);

#endif
