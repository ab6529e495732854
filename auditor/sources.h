/* sources - the source address of each (identity, family), asked of the
 * kernel as the MTA's connect() would be: the route probe, the bind test and
 * the interface facts, turned into struct facts_source records.
 *
 * The question is the MTA's own: toward the relay's address when the
 * identity relays through a literal address (or, after DNS, through a name
 * whose A/AAAA is known: for a relay found by MX, its best MX target's), else toward the default target of the family
 * (--route-target overrides both); to the relay's TCP port (25 for MX
 * delivery); as the user the MTA's SMTP client runs as (Postfix mail_owner,
 * Exim exim_user), so that "ip rule" selectors on dport and uidrange apply.
 *
 * facts_source.address is where the connection really leaves from:
 *   - no bind configured: the kernel's choice (how = route);
 *   - a local bind address: that address (how = bind / inet_interfaces);
 *   - a bind address that is not local: Postfix with
 *     smtp_bind_address_enforce = no logs the bind failure and connects
 *     unbound, so the kernel's choice; otherwise (enforce = yes, Exim's
 *     interface, Postfix's implicit inet_interfaces address, with which
 *     Postfix does not even start) there is no usable source: address NULL.
 *     In both cases configured_address holds the configured one and
 *     bind_local is NO;
 *   - --source-ip: the given address (how = given).
 * No route for the family: route = false, address NULL, error the kernel's
 * ("Network is unreachable").
 */
#ifndef MP_SOURCES_H
#define MP_SOURCES_H

#include <stddef.h>

#include "auditor/cli_options.h"
#include "auditor/facts.h"
#include "auditor/foundation/model.h"
#include "probes/iface.h"

/* sources_probe - append the source record of (identity index, family). */
void sources_probe(struct facts *facts, size_t index, const struct model_identity *id,
                   enum model_family family, const struct cli_options *opts,
                   const struct iface_list *ifaces);

/* sources_relay_name - the host name of the identity's relay when the route
 * question needs it resolved (a name, not a literal address; not computed
 * at delivery time), lowercase; NULL otherwise. free() it. */
char *sources_relay_name(const struct model_identity *id);

/* sources_relay_lookup_name - the name whose A (IPv4) or AAAA (IPv6)
 * answer holds the relay's address as the MTA finds it: the relay's name;
 * with relay_mx (the MTA asks its MX first) the best MX target (lowest
 * preference, then the first name in order) once facts holds the MX
 * answer, or the name itself when it has no MX (NXDOMAIN, NODATA). NULL
 * when there is no relay name, or the MX answer is not known yet, failed or
 * is a null MX. free() it. */
char *sources_relay_lookup_name(const struct model_identity *id, const struct facts *facts);

/* sources_relay_port - the TCP port the identity connects to: its relay's
 * port (a number or a service name), else the transport's port (model
 * port: Postfix smtp_tcp_port, Exim the transport's port), else 25. */
unsigned sources_relay_port(const struct model_identity *id);

/* sources_refine - after a DNS round: ask the route again for every source
 * of an identity that relays through a host name whose address the facts
 * now hold (the A (IPv4) or AAAA (IPv6) answer of sources_relay_lookup_name),
 * toward the first address of the answer
 * (unless --route-target decides the target). The record is replaced in
 * place; a later round then asks the PTR of a new address. Returns how many
 * records changed. */
size_t sources_refine(const struct model_set *set, struct facts *facts, const struct cli_options *opts);

#endif
