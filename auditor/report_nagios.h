/* report_nagios - the audit as a monitoring plugin's output:
 *
 *   MTA-PREFLIGHT CRITICAL - 1 critical, 0 warning, 0 unknown: ipv6-without-ptr postfix:/etc/postfix:smtp/unix, relay/unix ipv6 2001:db8::10 | critical=1;;;0 warning=0;;;0 unknown=0;;;0 info=0;;;0 identities=2;;;0 dns_max=12ms;;;0
 *   critical ipv6-without-ptr postfix:/etc/postfix:smtp/unix, relay/unix ipv6 2001:db8::10: IPv6 delivery is ...
 *
 * The word after the service name is the status of interface.md (OK,
 * WARNING, CRITICAL, UNKNOWN; the exit status matches). The first line
 * counts the findings (identities that look the same to receivers count
 * once) and names the most serious one, "and N more"; with none it says how
 * many identities were verified. It is at most 200 characters: the text is
 * cut, the perfdata (findings per severity, identities, the slowest DNS
 * answer) never. Then the long output: one line per finding, most serious
 * first, with its message. A '|', ';' or control character in data is
 * replaced, so the output always parses.
 */
#ifndef MP_REPORT_NAGIOS_H
#define MP_REPORT_NAGIOS_H

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"

#define REPORT_NAGIOS_FIRST_LINE_MAX 200

/* report_nagios - the lines, each ending in a newline; free() it. */
char *report_nagios(const struct model_set *set, const struct facts *facts, const struct finding_list *findings);

#endif
