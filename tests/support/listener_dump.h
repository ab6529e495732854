/* listener_dump - a stable, line-oriented text form of a listener set (the
 * inbound model) and its diagnostics, for golden files
 * (samples/<mta>/<case>/inbound.txt).
 *
 * Paths under the given prefix are printed as $DIR so that golden files do
 * not depend on where the tree is checked out; text from configuration is
 * escaped (hostname_escape) so that a multi-line banner stays one line. */
#ifndef MP_LISTENER_DUMP_H
#define MP_LISTENER_DUMP_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"

/* listener_dump - newly allocated dump; strip_prefix may be NULL. */
char *listener_dump(const struct listener_set *set, const struct diag_list *diags, const char *strip_prefix);

#endif
