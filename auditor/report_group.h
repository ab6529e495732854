/* report_group - identities that look the same to receivers, for the text
 * and Nagios reports.
 *
 * Debian's default master.cf has `smtp` and `relay` transports with the same
 * identity: printing both repeats every finding and counts it twice. A group
 * is the identities of one configuration whose EHLO name (and its origin),
 * relay, sources and findings (id, severity, family, address, host name and
 * message, in order) are identical; the DNS answers then are too, as they
 * are keyed by those. Fixes may differ (a postconf -P names its service) and
 * are merged by the report. JSON keeps one finding per identity and does not
 * group.
 *
 * Invariant: every identity is in exactly one group; groups and their
 * members are in model order (a group's first member is its lowest index).
 */
#ifndef MP_REPORT_GROUP_H
#define MP_REPORT_GROUP_H

#include <stddef.h>

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"

struct report_group {
    size_t *members;   /* identity indexes, ascending */
    size_t n;
    size_t **findings; /* per member: indexes into the finding list, in order */
    size_t nfindings;  /* how many findings each member has (the same for all) */
};

struct report_groups {
    struct report_group *items;
    size_t n;
};

#define REPORT_GROUPS_INIT { NULL, 0 }

/* report_group_build - group the identities of set; out is replaced. */
void report_group_build(const struct model_set *set, const struct facts *facts, const struct finding_list *findings,
                        struct report_groups *out);

/* report_group_name - "postfix:/etc/postfix:smtp/unix, relay/unix": the first
 * member's id, then the transport part of the others (unescaped; newly
 * allocated). */
char *report_group_name(const struct model_set *set, const struct report_group *g);

/* report_group_has - finding k is one of some group's member's findings
 * (else it is of no identity, or of a listener or domain). */
bool report_group_has(const struct report_groups *groups, size_t k);

/* report_group_count - findings by severity, a grouped finding once, and the
 * findings of no identity and of the inbound part (listeners, domains);
 * counts has 4 slots indexed by severity. */
void report_group_count(const struct report_groups *groups, const struct finding_list *findings, size_t counts[4]);

void report_group_free(struct report_groups *groups);

#endif
