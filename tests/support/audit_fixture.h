/* audit_fixture - hand-built identity models and probe facts for the audit
 * unit tests, plus a closed loop that applies printed fixes back to the
 * inputs (as an admin and a DNS provider would) so a test can re-run the
 * checks and see the finding gone. No network, no files.
 */
#ifndef MP_AUDIT_FIXTURE_H
#define MP_AUDIT_FIXTURE_H

#include <stdbool.h>

#include "auditor/check.h"
#include "auditor/foundation/diag.h"
#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"

struct af {
    struct model_set set;
    struct facts facts;
    struct diag_list diags;
    struct finding_list findings;
    struct verdict_set verdicts; /* of the last af_run */
};

void af_init(struct af *a);
void af_free(struct af *a);

/* af_postfix - a Postfix identity postfix:DIR:SVC/unix, EHLO from main.cf. */
struct model_identity *af_postfix(struct af *a, const char *dir, const char *svc, const char *helo,
                                  unsigned families, enum model_preference pref);
/* af_exim - an Exim identity exim:FILE:TRANSPORT, IPv6 preferred. */
struct model_identity *af_exim(struct af *a, const char *file, const char *transport, const char *helo,
                               unsigned families);
/* af_source - the route source of identity idx for family f (scope derived). */
struct facts_source *af_source(struct af *a, size_t idx, enum model_family f, const char *addr);
/* af_ptr - the PTR lookup of addr: status and a NULL-terminated name list. */
void af_ptr(struct af *a, const char *addr, enum facts_status st, ...);
/* af_fwd - the A/AAAA lookup of name: status and NULL-terminated addresses. */
void af_fwd(struct af *a, const char *name, enum facts_rrtype type, enum facts_status st, ...);
/* af_dns_ok - the usual good DNS: PTR addr -> name, name -> addr. */
void af_dns_ok(struct af *a, const char *addr, const char *name);

/* af_run - (re)compute the verdicts and run the checks into a->findings. */
void af_run(struct af *a);
/* af_summary - "id/severity/family" of each finding, comma-separated, in
 * order; newly allocated. */
char *af_summary(const struct af *a);
/* af_apply_fixes - apply every provider-ptr, dns-record, postconf and
 * exim-config fix of the current findings to the model and facts; returns
 * how many were applied. */
int af_apply_fixes(struct af *a);

#endif
