/* check_inbound - the receiving side's findings and fixes, from the inbound
 * verdicts (verdict_inbound.h): banner-invalid, banner-ptr-mismatch,
 * inbound-ptr-missing, mx-missing, mx-not-this-host, and banner-live-differs
 * from a live greeting (--connect).
 *
 * Listener findings carry the listener's id as identity, domain findings
 * "MTA:domain:NAME" (the MTA whose list holds the domain). A pure function of the verdicts, as check.h.
 *
 * Unknown verdicts: a lookup a verdict needs that failed, is missing or is
 * a negative answer from a lying resolver gives one dns-failure per
 * (identity, family, address) naming every such lookup, its resolver and
 * error (the wording of check.h's check_lookup_failure): the PTR of a
 * judged listener address, the forward confirmation of an MX address's PTR
 * names, a domain's MX, and its targets' A/AAAA while no target is known to
 * be this host. A listener that listens only on private addresses, which
 * neither --source-ip nor proxy_interfaces maps, gets source-not-public
 * (unknown) and nothing else; a loopback-only listener gets nothing, and
 * when every MX listener is loopback-only the domains are not judged either.
 *
 * Which addresses banner-ptr-mismatch judges: an address an MX points at
 * always, and when an MX points at one of a listener's addresses, no other.
 * Without such an MX: an address the listener names itself (a host part,
 * inet_interfaces, local_interfaces, proxy_interfaces), and the only public
 * address of its family that a wildcard covers. With several that a
 * wildcard covers, a receiver reaching the host by name gets whichever
 * address its DNS gives: when the PTR of one names the banner's host the
 * others are fine; when none does, each one with a PTR is reported; when
 * some PTR is unknown, none is (its dns-failure is).
 *
 * postscreen's 220- teaser is judged like the final line when its host
 * name differs from the final line's; a finding whose key (id, identity,
 * family, address) both lines earn is one finding that names both, with
 * both fixes (fix_set_teaser_host for the teaser).
 *
 * Fixes follow one name per listener: the banner's host name when every
 * forward-confirmed PTR of the addresses mail arrives on already equals it;
 * otherwise a forward-confirmed PTR name, and the fix is to announce it in
 * the banner (cheapest: one configuration line, no provider involved);
 * otherwise the banner's name, and the fix is to request its PTR.
 */
#ifndef MP_CHECK_INBOUND_H
#define MP_CHECK_INBOUND_H

#include "auditor/finding.h"
#include "auditor/verdict.h"

/* check_inbound - append the inbound findings of vs to out (none when the
 * inbound part was not audited). */
void check_inbound(const struct verdict_set *vs, struct finding_list *out);

#endif
