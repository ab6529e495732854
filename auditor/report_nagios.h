/* report_nagios - the audit as a monitoring-plugins status line:
 *
 *   MTA-PREFLIGHT CRITICAL - ipv6-without-ptr postfix:/etc/postfix:smtp/unix ipv6 2001:db8::10; ... | critical=1;;;0 warning=0;;;0 unknown=0;;;0 info=0;;;0 identities=1;;;0 dns_max=12ms;;;0
 *
 * The word after the service name is the status of interface.md (OK,
 * WARNING, CRITICAL, UNKNOWN; the exit status matches). The text lists the
 * non-info findings, most serious first, as "id identity family address";
 * with none it says how many identities were verified. The perfdata counts
 * findings per severity, identities, and the slowest DNS answer. A '|' or
 * control character in data is replaced, so the line always parses.
 */
#ifndef MP_REPORT_NAGIOS_H
#define MP_REPORT_NAGIOS_H

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"

/* report_nagios - one line with a final newline; free() it. */
char *report_nagios(const struct model_set *set, const struct facts *facts, const struct finding_list *findings);

#endif
