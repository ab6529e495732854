/* resolve - the audit's DNS: ask what the checks need (lookup_plan), round
 * after round, concurrently, until nothing is missing or the deadline
 * passes, and record every answer in the facts.
 *
 * Each lookup record gets what the probe saw: the status, the answers, the
 * names that are no host names (`invalid`), the resolver whose reply decided
 * it (`server`) and, for a failure, what every resolver tried did
 * (`detail`). facts.resolvers lists the resolvers asked, in order: the
 * --dns-server values, else the nameservers of resolv.conf. When the
 * resolver cannot be set up at all, every question is recorded as an error
 * whose detail says why, and one line goes to stderr.
 */
#ifndef MP_RESOLVE_H
#define MP_RESOLVE_H

#include "auditor/cli_options.h"
#include "auditor/facts.h"
#include "auditor/foundation/model.h"
#include "auditor/lookup_plan.h"
#include "probes/dns.h"

/* resolve_run - the DNS rounds of one audit, ending by deadline
 * (dns_deadline_in()), asking the --dns-server resolvers of opts (parsed
 * there), else the system's. */
void resolve_run(const struct model_set *set, struct facts *facts, const struct cli_options *opts,
                 long long deadline);

/* What to do after each round (resolve_run refines the sources of relayed
 * identities once their relay's address is known). */
typedef void resolve_round_fn(const struct model_set *set, struct facts *facts, void *ctx);

/* resolve_run_with - the same with the DNS options given directly (tests
 * pass their own resolv.conf or try times); after_round (may be NULL) runs
 * after every round with ctx. */
void resolve_run_with(const struct model_set *set, struct facts *facts, const struct dns_options *dopts,
                      long long deadline, resolve_round_fn *after_round, void *ctx);

/* resolve_add - add question q to batch (a direct question to its server
 * when q->server is set). */
void resolve_add(struct dns_batch *batch, const struct lookup_question *q);
/* resolve_find - q's result in batch, or NULL when it was not added. */
const struct dns_result *resolve_find(const struct dns_batch *batch, const struct lookup_question *q);
/* resolve_record - copy r, the result of q, into the facts (replacing an
 * earlier record of the same question). */
void resolve_record(struct facts *facts, const struct lookup_question *q, const struct dns_result *r);

#endif
