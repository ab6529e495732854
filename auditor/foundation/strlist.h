/* strlist - a growable array of owned strings. */
#ifndef MP_STRLIST_H
#define MP_STRLIST_H

#include <stddef.h>

struct strlist {
    char **items;
    size_t n;
    size_t cap;
};

#define STRLIST_INIT { NULL, 0, 0 }

/* strlist_add - append a copy of s. */
void strlist_add(struct strlist *list, const char *s);
/* strlist_add_owned - append s itself; the list frees it. */
void strlist_add_owned(struct strlist *list, char *s);
void strlist_addf(struct strlist *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* strlist_contains - 1 when an item equals s (case-sensitive). */
int strlist_contains(const struct strlist *list, const char *s);
void strlist_free(struct strlist *list);

#endif
