/* finding - the table of finding ids of interface.md, severities, the
 * findings an audit produces, and the exit-status rule.
 *
 * Invariants: finding_table[] is sorted by name, unique, and holds exactly
 * the 22 ids of interface.md (1.1) with their severities (a unit test asserts it);
 * enum finding_id follows the same order, so the enum value is the index.
 * A finding's severity is its table severity except where a check demotes it
 * to info (a transport that relays through a smarthost).
 */
#ifndef MP_FINDING_H
#define MP_FINDING_H

#include <stdbool.h>

#include <stddef.h>

#include "auditor/fix.h"

/* Ordered from least to most serious. */
enum finding_severity { FINDING_INFO, FINDING_UNKNOWN, FINDING_WARNING, FINDING_CRITICAL };

enum finding_id {
    FINDING_BANNER_INVALID,
    FINDING_BANNER_LIVE_DIFFERS,
    FINDING_BANNER_PTR_MISMATCH,
    FINDING_BIND_NOT_LOCAL,
    FINDING_CONFIG_ERROR,
    FINDING_CONFIG_UNREADABLE,
    FINDING_DNS_FAILURE,
    FINDING_HELO_ADDRESS_MISMATCH,
    FINDING_HELO_DYNAMIC,
    FINDING_HELO_INVALID,
    FINDING_HELO_PTR_MISMATCH,
    FINDING_HELO_UNRESOLVABLE,
    FINDING_INBOUND_PTR_MISSING,
    FINDING_IPV6_WITHOUT_PTR,
    FINDING_MX_MISSING,
    FINDING_MX_NOT_THIS_HOST,
    FINDING_NO_MTA_CONFIG,
    FINDING_NO_ROUTE,
    FINDING_PTR_GENERIC,
    FINDING_PTR_MISSING,
    FINDING_PTR_MULTIPLE,
    FINDING_PTR_PROPAGATING,
    FINDING_PTR_SERVERS_DISAGREE,
    FINDING_PTR_UNCONFIRMED,
    FINDING_RELAY_HOST,
    FINDING_RESOLVER_BROKEN,
    FINDING_SOURCE_NOT_PUBLIC,
    FINDING_SOURCE_TEMPORARY,
};
#define FINDING_COUNT 28

struct finding_def {
    enum finding_id id;
    const char *name;     /* the id of interface.md, e.g. "ptr-missing" */
    enum finding_severity severity;
    const char *title;    /* states the problem, one line */
    const char *meaning;  /* what the finding means */
    const char *why;      /* why receivers care, with the receiver rules */
    const char *fix;      /* how to fix it in general */
};

extern const struct finding_def finding_table[FINDING_COUNT];

const char *finding_id_tostr(enum finding_id id);
/* finding_id_inbound - the finding is of the inbound part (banner, MX,
 * listener PTR): its identity is a listener or a domain, not a model
 * identity. */
bool finding_id_inbound(enum finding_id id);
/* finding_id_fromstr - -1 when s is not a finding id. */
int finding_id_fromstr(const char *s);
const struct finding_def *finding_def_get(enum finding_id id);

const char *finding_severity_tostr(enum finding_severity sev); /* "critical", ... */
/* finding_severity_fromstr - -1 when unknown. */
int finding_severity_fromstr(const char *s);

/* One finding of an audit. All strings owned. family is -1 when the finding
 * concerns no address family (helo-invalid, config-error, ...). */
struct finding {
    enum finding_id id;
    enum finding_severity severity;
    char *identity;  /* identity id, or NULL (config-error, no-mta-config) */
    int family;      /* enum model_family, or -1 */
    char *address;   /* the source address concerned, or NULL */
    char *hostname;  /* the EHLO name concerned (raw, unescaped), or NULL */
    char *message;   /* one sentence; data inside is escaped */
    struct fix_list fixes;
};

struct finding_list {
    struct finding *items;
    size_t n, cap;
};

#define FINDING_LIST_INIT { NULL, 0, 0 }

/* finding_add - append a finding with the table severity and return it
 * (valid until the next add); strings are copied, NULL allowed. */
struct finding *finding_add(struct finding_list *list, enum finding_id id, const char *identity,
                            int family, const char *address, const char *hostname,
                            const char *message);
/* finding_add_copy - append a copy of src (severity and fixes included). */
struct finding *finding_add_copy(struct finding_list *list, const struct finding *src);
/* finding_list_count - how many findings have this id (any identity). */
size_t finding_list_count(const struct finding_list *list, enum finding_id id);
/* finding_list_find - the first finding with this id for identity (NULL:
 * any) and family (-2: any), or NULL. */
const struct finding *finding_list_find(const struct finding_list *list, enum finding_id id,
                                        const char *identity, int family);
void finding_list_free(struct finding_list *list);

/* The overall status of an audit, as the exit status of interface.md. */
enum finding_status {
    FINDING_STATUS_OK = 0,
    FINDING_STATUS_WARNING = 1,
    FINDING_STATUS_CRITICAL = 2,
    FINDING_STATUS_UNKNOWN = 3,
};

/* finding_status_of - critical if any finding is critical, else warning if
 * any is a warning, else unknown if any is unknown, else ok; info findings
 * never change it. The value is the exit status. */
enum finding_status finding_status_of(const struct finding_list *list);
const char *finding_status_tostr(enum finding_status status); /* "ok", "warning", ... */

#endif
