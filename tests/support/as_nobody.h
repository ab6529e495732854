/* as_nobody - run a parser as an unprivileged user, for the cases where
 * root would read what an unprivileged user cannot ("Permission denied").
 *
 * The work runs in a forked child that drops to nobody (uid 65534, group
 * nogroup) before it starts; the diagnostics it records come back to the
 * caller as text. Only meaningful when the tests run as root, and the
 * files must be reachable for nobody (ts_tmpdir makes a 0700 directory:
 * chmod it 0755 first). */
#ifndef MP_AS_NOBODY_H
#define MP_AS_NOBODY_H

#include "auditor/foundation/diag.h"

/* as_nobody_diags - call fn(arg, diags) as nobody in a child process and
 * return what it recorded, one line per diagnostic "LEVEL: FORMATTED"
 * (diag_level_tostr, diag_format), newly allocated; NULL when the child
 * could not drop its privileges or did not finish. */
char *as_nobody_diags(void (*fn)(void *arg, struct diag_list *diags), void *arg);

#endif
