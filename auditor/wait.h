/* wait - --wait SECONDS: after a PTR change, watch the reverse zone's
 * authoritative servers until the change is live there, then audit.
 *
 * The run: one audit with --authoritative; while a PTR-related finding
 * remains at the authoritative servers (wait_pending), poll them again
 * (only the direct PTR questions, plus the forward lookup of a name they
 * newly serve), backing off from 2 s by half each time up to 60 s; then a
 * final audit with fresh DNS answers, whose ptr-propagating findings say
 * per record when resolvers' caches expire.
 *
 * Bounds: the whole run ends within SECONDS plus --timeout (polls stop at
 * SECONDS; the final audit gets --timeout). Each server is asked at most
 * once a second, and all polls together never ask more than
 * WAIT_MAX_PER_MINUTE questions a minute. SIGINT ends the waiting at once
 * and prints the audit so far. On a terminal (stderr) one status line is
 * redrawn after each poll and cleared at the end; otherwise only the
 * report is printed. With --format json the report gains a "wait" object:
 * { "seconds", "polls", "queries", "ended": "live" | "time" | "interrupted"
 * | "nothing-to-watch", "duration_ms" }.
 */
#ifndef MP_WAIT_H
#define MP_WAIT_H

#include <stdbool.h>

#include "auditor/cli_options.h"
#include "auditor/finding.h"
#include "auditor/verdict.h"

#define WAIT_MAX_PER_MINUTE 100
#define WAIT_FIRST_MS 2000
#define WAIT_MAX_MS 60000

/* wait_pending - some PTR-related finding remains (of a source, or of a
 * listening address: inbound-ptr-missing, banner-ptr-mismatch), or the
 * authoritative servers of an audited source's or listening address's
 * reverse zone gave no usable answer yet. *watchable tells whether any
 * such address has authoritative servers to watch at all. */
bool wait_pending(const struct verdict_set *vs, const struct finding_list *findings, bool *watchable);

/* wait_interval_ms - the time before poll number k (0, 1, ...) that asks
 * `queries` questions: the back-off, but never faster than the limits. */
long long wait_interval_ms(unsigned k, unsigned queries);

/* wait_run - the --wait command; prints the report and returns the exit
 * status of interface.md. */
int wait_run(const struct cli_options *opts);

#endif
