/* report_prometheus - the audit in the Prometheus text exposition format, for
 * node_exporter's textfile collector:
 *
 *   mta_preflight_status                  0 ok, 1 warning, 2 critical, 3 unknown (the exit status)
 *   mta_preflight_findings{severity}      findings per severity (all four always present)
 *   mta_preflight_finding{id,severity,identity,family,address} 1 per finding
 *   mta_preflight_identities              identities audited
 *   mta_preflight_source_ptr_confirmed{identity,family,address}
 *                                         1 forward-confirmed, 0 not; absent when unknown
 *   mta_preflight_dns_lookup_seconds{name,type,status} time to each DNS answer
 *
 * Label values are escaped as the format requires (\\, \", \n); other
 * control characters are escaped as \xNN first.
 */
#ifndef MP_REPORT_PROMETHEUS_H
#define MP_REPORT_PROMETHEUS_H

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"
#include "auditor/verdict.h"

/* report_prometheus - the metrics text; free() it. */
char *report_prometheus(const struct model_set *set, const struct verdict_set *vs, const struct finding_list *findings);

#endif
