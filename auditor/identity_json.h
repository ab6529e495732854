/* identity_json - the JSON form (schema 1 of interface.md) of one outbound
 * identity, shared by `mta-preflight identities` and the audit report. */
#ifndef MP_IDENTITY_JSON_H
#define MP_IDENTITY_JSON_H

#include <json-c/json.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"

/* identity_json - a new json-c object the caller owns (json_object_put()). */
struct json_object *identity_json(const struct model_identity *id);

/* identity_json_add_head - add to root what both reports start with:
 * "schema", "tool", "version", "status" (the given word), then "configs"
 * (each configuration read), "identities" and "problems" (diags; NULL for
 * none). */
void identity_json_add_head(struct json_object *root, const char *status, const struct model_set *set,
                            const struct diag_list *diags);

#endif
