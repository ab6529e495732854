/* audit - the default command: read the MTAs' configuration, probe the
 * kernel's routes, the host's addresses and DNS, run the checks and print
 * the findings with their fixes.
 *
 * This is the one place where configuration, probes and checks meet:
 * audit_collect() fills the facts from the probes (all network work under one
 * deadline: the --timeout), check_run() judges them without I/O, and the
 * report writers print the result. */
#ifndef MP_AUDIT_H
#define MP_AUDIT_H

#include "auditor/cli_options.h"
#include "auditor/foundation/diag.h"
#include "auditor/facts.h"
#include "auditor/finding.h"
#include "auditor/verdict.h"
#include "auditor/foundation/model.h"

/* audit_collect - read configuration into set and diags, then fill facts:
 * per identity and family the source (--source-ip, the bind address, or the
 * kernel's route), its interface facts, and every DNS answer the checks need
 * (at most two dependent rounds). Returns when done or at the deadline;
 * lookups still open then are recorded as timeouts. facts->diags points to
 * diags. */
void audit_collect(const struct cli_options *opts, struct model_set *set, struct diag_list *diags,
                   struct facts *facts);

/* audit_render_report - the report of an audit in the format opts asks for
 * (no drift state); newly allocated. */
char *audit_render_report(const struct cli_options *opts, const struct model_set *set, const struct verdict_set *vs,
                          const struct finding_list *findings);
/* audit_emit_report - write a rendered report where opts says (--output
 * atomically, else stdout). Returns 0, or -1 after saying why. */
int audit_emit_report(const struct cli_options *opts, const char *out);

/* audit_wall_ms - Unix time in milliseconds, for the "run" facts of every
 * command's report. */
long long audit_wall_ms(void);

/* audit_run - one audit as the command line asked for it (in hook mode,
 * bounded in a child); prints the report to stdout and returns the exit
 * status of interface.md. --wait is wait_run() (wait.h), which audits
 * through audit_collect(). */
int audit_run(const struct cli_options *opts);

#endif
