/* check - the audit's checks: pure functions of the identity model and the
 * probes' facts that produce findings with fixes. No I/O, no DNS: every
 * input is in struct model_set and struct facts, so each verdict is
 * unit-tested with hand-built inputs.
 *
 * Per identity and per family it may use (and that was probed):
 *   bind-not-local, source-temporary, source-not-public, then the PTR of the
 *   source (ptr-missing / ipv6-without-ptr, ptr-unconfirmed, ptr-multiple,
 *   ptr-generic) and the EHLO relations (helo-address-mismatch,
 *   helo-ptr-mismatch, an address literal that is not the source).
 * Per identity: relay-host, helo-dynamic, helo-invalid, helo-unresolvable.
 * Per run: config-error (one per DIAG_ERROR), no-mta-config.
 *
 * A lookup that failed (timeout, SERVFAIL, REFUSED, error) or was never made
 * yields dns-failure and no verdict that depends on it. A family without a
 * route yields no PTR or EHLO findings. A transport that relays through a
 * smarthost gets relay-host, and its findings about this host's own PTR, EHLO
 * resolution and source become info (unless nexthop_varies: maps may send
 * some of its mail directly).
 *
 * Fixes follow one target name per identity: the EHLO name when it is a
 * valid name and every existing forward-confirmed PTR already equals it;
 * otherwise a good (non-generic) forward-confirmed PTR name, and the fix is
 * to announce it; otherwise the EHLO name, and the fix is to request its PTR
 * and add its forward records.
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

/* check_run - append the findings of set under facts to out. */
void check_run(const struct model_set *set, const struct facts *facts, struct finding_list *out);

/* check_helo_name - the EHLO name an identity is audited with: --helo when
 * given, else the configured one (NULL when dynamic without a guess). */
const char *check_helo_name(const struct model_identity *id, const struct facts *facts);

/* check_source_address - the address receivers see for identity id on the
 * source src when the PTR and EHLO verdicts apply to it; NULL when they do
 * not (no source or route, a bind that fails without fallback, a temporary
 * or deprecated IPv6 source, a source behind NAT). Points into src. */
const char *check_source_address(const struct model_identity *id, const struct facts_source *src);

/* check_helo_checkable - the EHLO name the checks will look up (A and AAAA):
 * a static, valid, fully qualified, non-local name; NULL otherwise. */
const char *check_helo_checkable(const struct model_identity *id, const struct facts *facts);

#endif
