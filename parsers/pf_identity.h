/* pf_identity - Postfix outbound identities, one per master.cf service whose
 * command is smtp, each evaluated in its own scope exactly as that smtp(8)
 * process would (built-in defaults < main.cf < the service's -o overrides,
 * then $-expansion).
 */
#ifndef MP_PF_IDENTITY_H
#define MP_PF_IDENTITY_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"

/* pf_identity_load - read the Postfix instance in config_dir and every
 * directory of its multi_instance_directories, and append their identities
 * to out (and one model_config per instance read).
 *
 * config_dir: --postfix-dir, or NULL for $MAIL_CONFIG, else /etc/postfix.
 * Returns 1 when a configuration was read (problems, if any, are in diags),
 * 0 when config_dir was NULL, $MAIL_CONFIG is unset and /etc/postfix/main.cf
 * does not exist (nothing recorded), -1 when the configuration could not be
 * read at all (recorded in diags).
 *
 * What cannot be read is DIAG_UNREADABLE with the path and the OS error: a
 * given directory (or $MAIL_CONFIG, or one of multi_instance_directories)
 * that does not exist or is no directory, its main.cf when missing, of the
 * wrong type or not readable (permission, I/O), a master.cf that exists but
 * cannot be read. A missing master.cf is a DIAG_ERROR: Postfix cannot start. */
int pf_identity_load(const char *config_dir, const struct model_host *host,
                     struct model_set *out, struct diag_list *diags);

#endif
