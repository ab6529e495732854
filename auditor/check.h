/* check - the audit's findings and fixes, written from the verdicts
 * (verdict.h), which hold every judgement; this module decides what to say
 * and what to advise, never whether a record is right. No I/O, no DNS: every
 * input is in struct model_set and the verdicts over struct facts, so each
 * finding is unit-tested with hand-built inputs.
 *
 * Per identity and per family it may use (and that was probed):
 *   bind-not-local, source-temporary, source-not-public, then the PTR of the
 *   source (ptr-missing / ipv6-without-ptr, ptr-unconfirmed, ptr-multiple,
 *   ptr-generic) and the EHLO relations (helo-address-mismatch,
 *   helo-ptr-mismatch, an address literal that is not the source).
 * Per identity: relay-host, no-route, helo-dynamic, helo-invalid,
 * helo-unresolvable (also behind NAT: the EHLO name is judged whenever some
 * family has a route).
 * Per run: config-error (one per DIAG_ERROR), config-unreadable (one per
 * DIAG_UNREADABLE), no-mta-config, resolver-broken.
 *
 * A lookup that failed (timeout, SERVFAIL, REFUSED, error), was never made,
 * or is a negative answer from a broken resolver yields dns-failure and no
 * verdict that depends on it. A family without a route yields no PTR or
 * EHLO findings; an identity with no family that has a route gets no-route. A transport that relays through a
 * smarthost gets relay-host, and its findings about this host's own PTR, EHLO
 * resolution and source become info (unless nexthop_varies: maps may send
 * some of its mail directly).
 *
 * Fixes follow one target name per identity: the EHLO name when it is a
 * valid name and every existing forward-confirmed PTR already equals it;
 * otherwise a good (non-generic) forward-confirmed PTR name, and the fix is
 * to announce it; otherwise the EHLO name, and the fix is to request its PTR
 * and add its forward records; when the EHLO name is not usable at all, the
 * name the host goes by (Debian's /etc/mailname) when it is fully qualified.
 *
 * A new EHLO name for Postfix is one main.cf change (postconf -e) when every
 * transport of that configuration directory that takes its name from main.cf
 * is to announce that same name; otherwise each transport that needs a new
 * name gets its own -P, so that no transport that was fine changes. A planning
 * pass over all identities decides this before any fix is written.
 */
#ifndef MP_CHECK_H
#define MP_CHECK_H

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"
#include "auditor/verdict.h"

/* check_run_verdicts - append the findings of set under its verdicts (from
 * verdict_compute) to out. */
void check_run_verdicts(const struct model_set *set, const struct verdict_set *vs, struct finding_list *out);
/* check_run - the same, computing the verdicts of set under facts first. */
void check_run(const struct model_set *set, const struct facts *facts, struct finding_list *out);

#endif
