/* xalloc - allocation that never returns NULL.
 *
 * Every allocation in mta-preflight goes through these functions. On out of
 * memory they print one line and exit with status 70: there is no sensible way
 * to continue an audit without memory, and callers stay free of NULL checks.
 */
#ifndef MP_XALLOC_H
#define MP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
/* xreallocarray - resize to count*size bytes, failing on overflow. */
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);
/* xstrndup - copy at most n bytes of s and terminate the copy. */
char *xstrndup(const char *s, size_t n);
/* xasprintf - a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* xvasprintf - the same with a va_list (consumed). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* XGROW - make room for at least need elements in a growable array. */
#define XGROW(arr, cap, need)                                              \
    do {                                                                   \
        if ((need) > (cap)) {                                              \
            size_t xgrow_new = (cap) ? (cap) * 2 : 8;                      \
            while (xgrow_new < (need))                                     \
                xgrow_new *= 2;                                            \
            (arr) = xreallocarray((arr), xgrow_new, sizeof(*(arr)));       \
            (cap) = xgrow_new;                                             \
        }                                                                  \
    } while (0)

#endif
