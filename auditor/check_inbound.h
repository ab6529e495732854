/* check_inbound - the receiving side's findings and fixes, from the inbound
 * verdicts (verdict_inbound.h): banner-invalid, banner-ptr-mismatch,
 * inbound-ptr-missing, mx-missing, mx-not-this-host, and banner-live-differs
 * from a live greeting (--connect).
 *
 * Listener findings carry the listener's id as identity, domain findings
 * "MTA:domain:NAME" (the MTA whose list holds the domain). A pure function of the verdicts, as check.h.
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
