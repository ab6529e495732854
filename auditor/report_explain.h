/* report_explain - the text of `mta-preflight explain ID`: what the finding
 * means, why receivers care, how to fix it, wrapped for a terminal. */
#ifndef MP_REPORT_EXPLAIN_H
#define MP_REPORT_EXPLAIN_H

#include <stdbool.h>

#include "auditor/finding.h"

/* report_explain - the explanation of one finding; free() it. */
char *report_explain(enum finding_id id, bool color);
/* report_explain_index - every finding id with its severity and title, for
 * an unknown or missing ID; free() it. */
char *report_explain_index(void);

#endif
