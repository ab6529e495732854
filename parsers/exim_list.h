/* exim_list - iterate over an Exim list value as Exim's string_nextinlist does.
 *
 * The default separator is ':'. When the value starts (after leading white
 * space) with '<' followed by a punctuation character, that character is the
 * separator instead ("<; 2001:db8::1 ; 192.0.2.1"). A doubled separator
 * inside an item stands for one literal separator character ("::").
 * Leading and trailing white space of each item is dropped. Empty items are
 * returned as empty strings, as Exim returns them.
 */
#ifndef MP_EXIM_LIST_H
#define MP_EXIM_LIST_H

#include <stdbool.h>

struct exim_list {
    const char *p;  /* next unread character */
    char sep;
};

/* exim_list_init - start iterating over value (not copied: it must outlive
 * the iterator). */
void exim_list_init(struct exim_list *it, const char *value);

/* exim_list_next - the next item as a newly allocated string (free() it), or
 * NULL when the list is exhausted. */
char *exim_list_next(struct exim_list *it);

/* exim_list_is_ip - whether item is a numeric IPv4 or IPv6 address (what
 * Exim's string_is_ip_address accepts, without a mask); *family is set to 4
 * or 6 when it is. */
bool exim_list_is_ip(const char *item, int *family);

#endif
