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
 * 0 when config_dir was NULL and no default location has a main.cf (nothing
 * recorded), -1 when the configuration could not be read at all (an explicit
 * directory without a readable main.cf, or an error Postfix would refuse to
 * start with before any identity can be derived; recorded in diags). */
int pf_identity_load(const char *config_dir, const struct model_host *host,
                     struct model_set *out, struct diag_list *diags);

#endif
