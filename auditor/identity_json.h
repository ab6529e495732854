/* identity_json - the JSON form (schema 1 of interface.md) of one outbound
 * identity, shared by `mta-preflight identities` and the audit report. */
#ifndef MP_IDENTITY_JSON_H
#define MP_IDENTITY_JSON_H

#include <json-c/json.h>

#include "auditor/foundation/diag.h"
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

/* identity_json_run - the "run" object of interface 1.1: { "started":
 * RFC 3339 UTC of started_ms (Unix ms; null when 0), "duration_ms" (null
 * when negative), "resolvers": the list (empty for NULL) }. */
struct json_object *identity_json_run(long long started_ms, long long duration_ms, const struct strlist *resolvers);

#endif
