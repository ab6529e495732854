/* resolve - the audit's DNS: ask what the checks need (lookup_plan), round
 * after round, concurrently, until nothing is missing or the deadline
 * passes, and record every answer in the facts. */
#ifndef MP_RESOLVE_H
#define MP_RESOLVE_H

#include "auditor/cli_options.h"
#include "auditor/facts.h"
#include "auditor/foundation/model.h"

/* resolve_run - the DNS rounds of one audit, ending by deadline
 * (dns_deadline_in()). */
void resolve_run(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
                 long long deadline);

#endif
