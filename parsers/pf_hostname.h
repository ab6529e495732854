/* pf_hostname - Postfix's host name syntax check (util/valid_hostname.c).
 *
 * A valid name has 1..255 characters, labels of letters, digits, '-' and '_'
 * of at most 63 characters separated by single dots, no label that starts or
 * ends with '-', no leading or trailing dot, and is not all-numeric.
 */
#ifndef MP_PF_HOSTNAME_H
#define MP_PF_HOSTNAME_H

/* pf_hostname_valid - 1 when Postfix's valid_hostname() accepts name, else 0. */
int pf_hostname_valid(const char *name);

#endif
