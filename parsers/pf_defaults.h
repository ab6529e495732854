/* pf_defaults - Postfix's built-in default values of the parameters that
 * outbound identities and inbound listeners depend on (and a few that values
 * commonly reference).
 *
 * The table is data: sorted by name, unique, searched by binary search; a
 * unit test asserts both. Values are Postfix 3.7's defaults on Linux (built
 * with IPv6), taken from postconf(5) and global/mail_params.h; mail_version
 * is that of Debian 12's Postfix. myhostname and mydomain have no static
 * default: they are derived from the host name, see pf_scope.h; their entries
 * have a NULL value.
 */
#ifndef MP_PF_DEFAULTS_H
#define MP_PF_DEFAULTS_H

#include <stddef.h>

struct pf_default {
    const char *name;
    const char *value; /* NULL: computed by pf_scope */
};

/* pf_defaults_find - the default of name, or NULL when it is not in the table. */
const struct pf_default *pf_defaults_find(const char *name);
/* pf_defaults_table - the whole table and its size, for tests. */
const struct pf_default *pf_defaults_table(size_t *count);

#endif
