/* pf_locate - where the Postfix configuration to read is, and the host name
 * Postfix's own defaults start from; shared by the outbound
 * (pf_identity.h) and inbound (pf_inbound.h) readers so that both read the
 * same instance.
 *
 * The directory is --postfix-dir when given, else $MAIL_CONFIG when set,
 * else /etc/postfix when its main.cf exists or cannot be known to be
 * missing (a directory we may not look into is read, which records why it
 * fails); trailing slashes are dropped.
 */
#ifndef MP_PF_LOCATE_H
#define MP_PF_LOCATE_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"

/* pf_locate_dir - the configuration directory for config_dir (NULL: not
 * given): 1 with *dir (newly allocated) and *how ("--postfix-dir",
 * "$MAIL_CONFIG", "default location"); 0 when there is no Postfix
 * configuration; -1 with a DIAG_ERROR for an empty name. */
int pf_locate_dir(const char *config_dir, char **dir, const char **how, struct diag_list *diags);

/* pf_locate_trim - dir without trailing slashes ("/" stays); newly allocated. */
char *pf_locate_trim(const char *dir);

/* pf_locate_hostname - host->hostname when given, else gethostname() in
 * buf (empty when it fails). */
const char *pf_locate_hostname(const struct model_host *host, char buf[256]);

#endif
