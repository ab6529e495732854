/* exim_inbound - the Exim daemon's listeners and the domains Exim receives
 * mail for (the inbound model, auditor/foundation/listener.h), from the
 * runtime configuration Exim would read (exim_load: a given file, Debian's
 * exim4 layout with its macros, or the default locations).
 *
 * Listeners, as daemon.c builds its sockets: each item of local_interfaces
 * (default "<; ::0 ; 0.0.0.0"; 0.0.0.0 and ::0 mean every local address of
 * that family; IPv6 items are skipped with disable_ipv6) on its own port
 * when it carries one ("192.0.2.26.2525", "[2001:db8::26]:2525"), else on
 * every port of daemon_smtp_ports (default smtp). One listener per port,
 * in order of first appearance. tls_on_connect_ports marks the ports where
 * TLS starts before the greeting. A -oX on the daemon's command line (for
 * Debian, SMTPLISTENEROPTIONS in /etc/default/exim4) is not seen here.
 *
 * Banner: smtp_banner (default "$smtp_active_hostname ESMTP Exim
 * $version_number $tod_full"), with $smtp_active_hostname (default
 * $primary_hostname) and $primary_hostname (the option, else the host
 * name) replaced; $version_number, $exim_version, $compile_number,
 * $compile_date and the $tod_ variables stay as written. Backslash escapes
 * are processed (\n starts another line of a multi-line greeting). Any other
 * variable, operator or lookup is only known per connection: the banner is
 * dynamic, its raw text kept, and its host name known only when the first
 * word comes before the dynamic part. A host name that is the PTR name of
 * the local address ("${lookup dnsdb{...ptr=$interface_address}...}", as
 * HestiaCP sets smtp_active_hostname) is marked host_from_ptr, with the
 * $primary_hostname fallback when the expression has one.
 *
 * Domains: the literal items of "domainlist local_domains" (named lists
 * "+name" followed); "@" is the host's own name and "localhost" a localhost
 * form, both left out; lookups ("lsearch;FILE", "dsearch;DIR") and files
 * are noted (listener_table); patterns, negations, "@mx_*" and expansions
 * are noted.
 *
 * A configuration Exim would refuse to start with gives no listeners (its
 * error is recorded, as exim_identity_load records it). Reading the
 * configuration records the same problems as exim_identity_load, with the
 * same wording: a problem already in the diag list is not recorded again.
 */
#ifndef MP_EXIM_INBOUND_H
#define MP_EXIM_INBOUND_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/model.h"

/* exim_inbound_load - find and read the Exim configuration and append its
 * listeners and domains to out.
 *
 * config_file: --exim-config, or NULL for the default search list.
 * debian_dir: --exim-debian-dir (a Debian-style /etc/exim4 copy), or NULL.
 * host: the host name primary_hostname defaults to (NULL: unknown).
 * Returns 1 when a configuration was read (problems in diags), 0 when no
 * file was given and none of the default locations exists (nothing
 * recorded), -1 when the configuration could not be read (recorded in
 * diags). */
int exim_inbound_load(const char *config_file, const char *debian_dir, const struct model_host *host,
                      struct listener_set *out, struct diag_list *diags);

#endif
