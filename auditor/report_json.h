/* report_json - the audit as one JSON object, schema 1 of interface.md:
 * schema, tool, version, status, identities, sources, lookups, findings
 * (each with its fixes). Keys beyond interface.md are additions (a source's
 * route/error/bind_local, a finding's title); listed keys keep their meaning.
 */
#ifndef MP_REPORT_JSON_H
#define MP_REPORT_JSON_H

#include <json-c/json.h>

#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/foundation/model.h"
#include "auditor/state.h"

/* report_json_object - a new json-c object the caller owns (json_object_put). */
struct json_object *report_json_object(const struct model_set *set, const struct facts *facts,
                                       const struct finding_list *findings);
/* report_json_add_changes - drift mode: set root's "status" to the damped
 * status and add "changes" (new, resolved, pending) and "state" (file, runs). */
void report_json_add_changes(struct json_object *root, const struct state_changes *changes, const char *file,
                             unsigned runs);
/* report_json_text - root pretty-printed with a final newline; free() it. */
char *report_json_text(struct json_object *root);
/* report_json - the same, pretty-printed with a final newline; free() it. */
char *report_json(const struct model_set *set, const struct facts *facts, const struct finding_list *findings);

#endif
