/* report_identities - output of `mta-preflight identities`: the outbound
 * identities derived from configuration, as a table (text) or as schema 1
 * JSON, then the inbound model (listeners, their banners, the domains) and
 * the configuration problems found on the way. Nothing here touches the
 * network. */
#ifndef MP_REPORT_IDENTITIES_H
#define MP_REPORT_IDENTITIES_H

#include <stdbool.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/model.h"

/* report_identities_text - newly allocated text; colour escapes when color.
 * in: the inbound model, shown as the "Inbound" section; NULL leaves the
 * section out. Every line fits 80 columns. */
char *report_identities_text(const struct model_set *set, const struct listener_set *in, const struct diag_list *diags,
                             bool color);
/* report_identities_json - newly allocated JSON text (pretty-printed), with
 * "inbound" and "domains" (identity_json_add_inbound; empty for a NULL in)
 * and the "run" object (started: Unix ms, 0 unknown; duration: ms, -1
 * unknown). */
char *report_identities_json(const struct model_set *set, const struct listener_set *in, const struct diag_list *diags,
                             long long run_started_ms, long long run_duration_ms);

#endif
