/* diag - configuration problems with file and line; see diag.h. */
#include "auditor/foundation/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

void diag_add(struct diag_list *list, enum diag_level level, const char *file, unsigned line,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    XGROW(list->items, list->cap, list->n + 1);
    struct diag *d = &list->items[list->n++];
    d->level = level;
    d->file = file ? xstrdup(file) : NULL;
    d->line = line;
    d->message = msg;
}

void diag_add_unreadable(struct diag_list *list, const char *file, unsigned line, const char *path,
                         const char *step, int err)
{
    if (err == EISDIR)
        diag_add(list, DIAG_UNREADABLE, file, line, "'%s' is a directory", path);
    else if (err == EINVAL && strcmp(step, "read") == 0)
        diag_add(list, DIAG_UNREADABLE, file, line, "'%s' is not a regular file", path);
    else
        diag_add(list, DIAG_UNREADABLE, file, line, "cannot %s '%s': %s", step, path, strerror(err));
}

size_t diag_count(const struct diag_list *list, enum diag_level level)
{
    size_t count = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].level == level)
            count++;
    return count;
}

char *diag_format(const struct diag *d)
{
    if (d->file && d->line)
        return xasprintf("%s:%u: %s", d->file, d->line, d->message);
    if (d->file)
        return xasprintf("%s: %s", d->file, d->message);
    return xstrdup(d->message);
}

const char *diag_level_tostr(enum diag_level level)
{
    return level == DIAG_ERROR ? "error" : level == DIAG_UNREADABLE ? "unreadable" : "warning";
}

void diag_list_free(struct diag_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].file);
        free(list->items[i].message);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

void diag_add_once(struct diag_list *list, enum diag_level level, const char *file, unsigned line,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < list->n; i++) {
        const struct diag *d = &list->items[i];
        if (d->level == level && d->line == line && strcmp(d->message, msg) == 0
            && ((!d->file && !file) || (d->file && file && strcmp(d->file, file) == 0))) {
            free(msg);
            return;
        }
    }
    diag_add(list, level, file, line, "%s", msg);
    free(msg);
}
