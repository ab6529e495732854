/* identity_json - the JSON form (schema 1 of interface.md) of one outbound
 * identity, shared by `mta-preflight identities` and the audit report. */
#ifndef MP_IDENTITY_JSON_H
#define MP_IDENTITY_JSON_H

#include <json-c/json.h>

#include "auditor/model.h"

/* identity_json - a new json-c object the caller owns (json_object_put()). */
struct json_object *identity_json(const struct model_identity *id);

#endif
