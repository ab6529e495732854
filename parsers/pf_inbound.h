/* pf_inbound - Postfix inbound listeners and the domains Postfix receives
 * mail for (the inbound model, auditor/foundation/listener.h).
 *
 * Listeners: each live master.cf service of type inet whose command is
 * smtpd or postscreen, unless master_service_disable turns it off. The
 * service field is split as master(8) does ([host:]port, [host]:port); the
 * port is its number or /etc/services name (listener_port). Addresses: the
 * host part, else main.cf's inet_interfaces (all, loopback-only, or a list)
 * restricted to main.cf's inet_protocols: master(8) opens the sockets with
 * its own settings, so a service's -o inet_interfaces changes nothing there
 * (noted). Host names are kept unresolved.
 *
 * Banners, each expanded in its own scope exactly as postconf -x does
 * (pf_scope: default < main.cf < the service's -o): an smtpd service's
 * smtpd_banner (default "$myhostname ESMTP $mail_name"); for postscreen, the
 * teaser postscreen_greet_banner in postscreen's scope (default
 * $smtpd_banner; empty means none) and, as the final 220 line, the
 * smtpd_banner of the service named by smtpd_service_name (postscreen's
 * scope, default smtpd) with type pass, in that service's scope. Postfix
 * expands everything when the process starts: a Postfix banner is never
 * dynamic.
 *
 * Domains: the literal names of mydestination, virtual_mailbox_domains and
 * virtual_alias_domains in main.cf's scope, after expansion, in that order;
 * type:table and /file/name entries are noted (listener_table), never
 * opened; "!" exclusions and ".domain" patterns are noted; localhost forms
 * and $myhostname are left out (listener_domain_add).
 *
 * Problems Postfix would refuse are DIAG_ERRORs at their file:line. Reading
 * main.cf and master.cf reports the same problems as pf_identity_load, with
 * the same wording: a problem already in the diag list is not recorded
 * again, so both loaders may share one list, in either order.
 */
#ifndef MP_PF_INBOUND_H
#define MP_PF_INBOUND_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/model.h"

/* pf_inbound_load - read the Postfix instance in config_dir and every
 * directory of its multi_instance_directories, and append their listeners
 * and domains to out.
 *
 * config_dir: --postfix-dir, or NULL for $MAIL_CONFIG, else /etc/postfix.
 * host: the host name Postfix's myhostname default derives from (NULL:
 * gethostname()). Returns 1 when a configuration was read (problems, if
 * any, are in diags), 0 when config_dir was NULL and no default location
 * has a main.cf (nothing recorded), -1 when the configuration could not be
 * read at all (recorded in diags). */
int pf_inbound_load(const char *config_dir, const struct model_host *host, struct listener_set *out,
                    struct diag_list *diags);

#endif
