/* identity_json - the JSON form (schema 1 of interface.md) of one outbound
 * identity, shared by `mta-preflight identities` and the audit report, and
 * the inbound model as `identities` prints it. */
#ifndef MP_IDENTITY_JSON_H
#define MP_IDENTITY_JSON_H

#include <json-c/json.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/strlist.h"

/* identity_json - a new json-c object the caller owns (json_object_put()). */
struct json_object *identity_json(const struct model_identity *id);

/* identity_json_add_head - add to root what both reports start with:
 * "schema", "tool", "version", "status" (the given word), then "configs"
 * (each configuration read), "identities" and "problems" (diags; NULL for
 * none). */
void identity_json_add_head(struct json_object *root, const char *status, const struct model_set *set,
                            const struct diag_list *diags);

/* identity_json_listener - the configured side of one listener, a new
 * object the caller owns. The keys the audit's inbound[] has mean the same
 * here: "id", "mta", "port", "banner" { "text" (null when dynamic),
 * "hostname", "origin", "dynamic" }, "teaser" { the same } and "addresses"
 * (here the numeric addresses configured, without the wildcard: a family
 * listened on at every address is in "all_families"). Added: "config",
 * "service", "command", "origin", "port_name", "mx", "tls_on_connect",
 * "families", "all_families", "names", "addresses_origin",
 * "proxy_addresses", "proxy_origin", in each greeting "raw", "host_param",
 * "host_origin", "host_expression", "host_from_ptr", "host_fallback";
 * "pass_service", "pass_origin" and "notes". "teaser" is null when there is
 * none (not postscreen, or postscreen_greet_banner empty). */
struct json_object *identity_json_listener(const struct listener *l);

/* identity_json_add_inbound - add to root "inbound" (identity_json_listener
 * of each listener), "domains" ({ "domain", "mta", "source", "origin" }),
 * "domain_tables" ({ "mta", "source", "table", "origin" }: noted, never
 * read), "domains_dropped" (a count) and "inbound_notes"; in may be NULL
 * (all empty). */
void identity_json_add_inbound(struct json_object *root, const struct listener_set *in);

/* identity_json_run - the "run" object of interface 1.1: { "started":
 * RFC 3339 UTC of started_ms (Unix ms; null when 0), "duration_ms" (null
 * when negative), "resolvers": the list (empty for NULL) }. */
struct json_object *identity_json_run(long long started_ms, long long duration_ms, const struct strlist *resolvers);

#endif
