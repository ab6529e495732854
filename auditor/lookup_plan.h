/* lookup_plan - which DNS questions the checks will consult, so that the
 * orchestrator asks exactly those and nothing else.
 *
 * The questions come in two rounds, which is what bounds an audit to two
 * DNS round trips. The first round asks:
 *   - the PTR and the SOA of the reverse name of every audited source and of
 *     every public address an MX listener (port 25) receives mail on
 *     (verdict_inbound_addresses); the SOA comes back in the authority
 *     section and names the reverse zone; an address that is both a source
 *     and a listening address is asked once;
 *   - the A and AAAA of every checkable EHLO name of an identity that can
 *     deliver at all (some family with a route: also behind NAT, where no
 *     PTR is asked), and the A/AAAA of each relay (smarthost);
 *   - the MX of every domain the host receives mail for;
 *   - the resolver canary (the root zone's NS, FACTS_CANARY_NAME / FACTS_NS),
 *     last in the round.
 * Once those answers are in the facts, the second round asks the A (IPv4
 * address) or AAAA (IPv6) of every valid PTR name of those addresses, the
 * NS of each reverse zone, and the A and AAAA of every MX target.
 * With facts.authoritative two more rounds follow, for sources and
 * listening addresses alike: the A and AAAA of the zone's NS names, then the
 * PTR asked of each of those servers directly (verdict_reverse_auth_servers); a
 * name those servers answer that no earlier round looked up gets its A/AAAA
 * in one more round (only when their answer is new: the EHLO name is
 * already known). The canary is asked once, in the first round that asks
 * anything, and never alone. Call lookup_plan_next() with the facts so far,
 * ask its questions concurrently, record the answers with
 * facts_lookup_set(), and repeat until it returns none. Questions already
 * answered (whatever the status) are never repeated.
 */
#ifndef MP_LOOKUP_PLAN_H
#define MP_LOOKUP_PLAN_H

#include <stddef.h>

#include "auditor/facts.h"
#include "auditor/foundation/model.h"

struct lookup_question {
    char *name;              /* lowercase, no trailing dot */
    enum facts_rrtype type;
    char *server;            /* asked of this authoritative server ("ADDR:53") without recursion,
                                recorded with facts_lookup_set_direct; NULL: the resolvers */
};

struct lookup_plan {
    struct lookup_question *items;
    size_t n, cap;
};

#define LOOKUP_PLAN_INIT { NULL, 0, 0 }

/* lookup_plan_next - replace out's contents with the questions the checks
 * need that facts does not answer yet, deduplicated, in a stable order. */
void lookup_plan_next(const struct model_set *set, const struct facts *facts, struct lookup_plan *out);
void lookup_plan_free(struct lookup_plan *plan);

#endif
