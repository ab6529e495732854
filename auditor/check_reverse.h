/* check_reverse - the findings and fixes about the reverse DNS of one
 * address (struct verdict_reverse), written once for the outbound checks
 * (check.c: the sources) and the inbound ones (check_inbound.c: the
 * addresses a listener receives mail on).
 *
 * The PTR fix names the owner as far as the reverse zone tells it (the
 * provider with its panel and command, or the zone and its SOA contact),
 * and puts the forward record first for a provider that refuses a PTR
 * whose name does not resolve yet. With --authoritative: ptr-propagating,
 * ptr-servers-disagree, and the dns-failure of a comparison that got no
 * answer. Pure functions of the verdicts, as check.h.
 */
#ifndef MP_CHECK_REVERSE_H
#define MP_CHECK_REVERSE_H

#include <stdbool.h>

#include "auditor/finding.h"
#include "auditor/fix.h"
#include "auditor/verdict.h"

/* check_reverse_ptr_record - the provider-ptr fix asking rev's owner to
 * set the PTR of rev->address to name (NULL: a placeholder name). */
void check_reverse_ptr_record(struct fix_list *fixes, const struct verdict_reverse *rev, const char *name);

/* check_reverse_ptr_change - the PTR change to name with what must come
 * first: when rev's provider accepts a PTR only for a name that already
 * resolves to the address and name_resolves is false, the forward record
 * (as the first step), then check_reverse_ptr_record(). Returns whether it
 * added that forward record. */
bool check_reverse_ptr_change(struct fix_list *fixes, const struct verdict_reverse *rev, const char *name,
                              bool name_resolves);

/* check_reverse_basis - which answer the PTR findings of rev rest on, for
 * their messages: " (answer of the authoritative servers of ZONE)" and the
 * like; "" without --authoritative. Newly allocated. */
char *check_reverse_basis(const struct verdict_reverse *rev);

/* check_reverse_auth - the finding of rev's authoritative comparison, for
 * identity (family, hostname as finding_add): dns-failure when no server
 * answered, ptr-servers-disagree, or ptr-propagating; at most one, appended
 * to out and returned (NULL: none). */
struct finding *check_reverse_auth(struct finding_list *out, const struct verdict_reverse *rev,
                                   const char *identity, int family, const char *hostname);

#endif
