/* strlist - a growable array of owned strings; see strlist.h. */
#include "auditor/foundation/strlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

void strlist_add_owned(struct strlist *list, char *s)
{
    XGROW(list->items, list->cap, list->n + 1);
    list->items[list->n++] = s;
}

void strlist_add(struct strlist *list, const char *s)
{
    strlist_add_owned(list, xstrdup(s));
}

void strlist_addf(struct strlist *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    strlist_add_owned(list, s);
}

int strlist_contains(const struct strlist *list, const char *s)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i], s) == 0)
            return 1;
    return 0;
}

void strlist_free(struct strlist *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}
