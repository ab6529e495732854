/* pf_mailname - the domain Debian's "myorigin = /etc/mailname" reads.
 *
 * Postfix (mail_params_init(), in every program) replaces a myorigin whose
 * value starts with '/' by the first line of that file without surrounding
 * whitespace. A file that cannot be opened, or whose first line is blank,
 * stops every Postfix program: "FILE: cannot open file: REASON", "myorigin
 * file FILE is empty" (seen with Postfix 3.7's postqueue). What the file
 * names is this host's mailname when it is a fully qualified name; it is
 * never resolved.
 */
#ifndef MP_PF_MAILNAME_H
#define MP_PF_MAILNAME_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"
#include "parsers/pf_scope.h"

/* pf_mailname_read - evaluate myorigin in scope (main.cf's); when it names a
 * file, read it (/etc/mailname as host says where it is) and set *name to
 * the fully qualified name it holds (newly allocated) and *origin to the
 * file, line 1. *name stays NULL when myorigin names no file, or the file
 * holds no such name. A file Postfix cannot open or finds empty is a
 * DIAG_ERROR at the myorigin setting; one that exists but cannot be read
 * here is DIAG_UNREADABLE. */
void pf_mailname_read(const struct pf_scope *scope, const struct model_host *host, char **name,
                      struct model_origin *origin, struct diag_list *diags);

#endif
