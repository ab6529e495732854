/* model_dump - a stable, line-oriented text form of an identity set and its
 * diagnostics, for golden files (samples/<mta>/<case>/expected.txt).
 *
 * Paths under the given prefix are printed relative to it so that golden
 * files do not depend on where the tree is checked out. */
#ifndef MP_MODEL_DUMP_H
#define MP_MODEL_DUMP_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"

/* model_dump - newly allocated dump; strip_prefix may be NULL. */
char *model_dump(const struct model_set *set, const struct diag_list *diags, const char *strip_prefix);

#endif
