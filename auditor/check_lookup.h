/* check_lookup - how a lookup that a verdict needed and could not use is
 * put in words: the phrase of a dns-failure message and its fix note,
 * shared by the outbound checks (check.c) and the inbound ones
 * (check_inbound.c). The message names the resolver and the error as the
 * resolver layer recorded them; a negative answer from a broken resolver
 * says so. Pure functions of the verdicts.
 */
#ifndef MP_CHECK_LOOKUP_H
#define MP_CHECK_LOOKUP_H

#include "auditor/facts.h"
#include "auditor/fix.h"
#include "auditor/verdict.h"

/* check_lookup_failure - how the lookup (name, type) failed, for a
 * dns-failure message: "the PTR lookup of NAME timed out (...)", naming the
 * resolver and the error as recorded; for l NULL, that no answer was
 * recorded. Newly allocated. */
char *check_lookup_failure(const struct verdict_set *vs, const char *name, enum facts_rrtype type,
                           const struct facts_lookup *l);

/* check_lookup_failure_fix - the dns-failure fix note for that lookup: ask
 * a truthful resolver (a lie), else query it from outside. */
void check_lookup_failure_fix(struct fix_list *fixes, const char *name, enum facts_rrtype type,
                              const struct facts_lookup *l);

#endif
