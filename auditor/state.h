/* state - drift mode (--state FILE): what earlier runs saw, so that a run
 * from cron reports only what changed.
 *
 * A finding's key is (id, identity, family, address): structured values,
 * never the rendered message, so a message that embeds a changing value (a
 * TTL, a time) is no change. Per key the file keeps when it was first and
 * last seen, how many runs in a row it has been seen or missed, whether it
 * has been reported, and its last severity, host name and message (to say
 * what was resolved).
 *
 * Flap damping: a key becomes `new` when seen in `confirm` runs in a row,
 * and `resolved` when reported before and missed in `confirm` runs in a row;
 * until then it is `pending` (seen, not yet confirmed) or still reported. A
 * run whose verdict for a key is unknown neither raises nor resolves it: the
 * key keeps its counters. Unknown means: the run has resolver-broken, or a
 * dns-failure of the key's identity whose family is the key's, or is -1 (a
 * lookup of the EHLO name), or any family when the key has none. The
 * unknown findings themselves are damped like any other key: DNS that fails
 * in `confirm` runs in a row is reported. The damped status is that of the
 * reported keys.
 *
 * The file is JSON, written atomically (a temporary file in the same
 * directory, fsync, rename) while an exclusive lock on FILE.lock is held;
 * temporary files of runs killed while writing are removed by the next
 * lock holder. A file that cannot be parsed is moved aside to FILE.corrupt.
 * Resolved keys are dropped, so the file holds only current and pending
 * findings (and reported ones held by unknown verdicts).
 *
 * Library rules: nothing is printed; problems come back as messages.
 */
#ifndef MP_STATE_H
#define MP_STATE_H

#include <stdbool.h>
#include <time.h>

#include "auditor/finding.h"

struct state_entry {
    enum finding_id id;
    enum finding_severity severity;
    char *identity; /* "" for none */
    int family;     /* -1 for none */
    char *address;  /* "" for none */
    char *hostname; /* NULL for none */
    char *message;
    long long first_seen, last_seen; /* Unix time */
    unsigned seen_runs, missed_runs;  /* in a row */
    bool reported;
};

struct state {
    char *path;
    int lock_fd;           /* -1 when not locked */
    unsigned runs;         /* runs recorded, this one included after state_update */
    bool first_run;        /* there was no (usable) state file */
    char *warning;         /* a one-line warning (corrupt file moved aside), or NULL */
    struct state_entry *items;
    size_t n, cap;
};

/* What one run changed, as findings (fixes copied for new and pending ones;
 * resolved ones carry the last message the state kept), and the damped
 * state itself: every key reported and not resolved, with its last known
 * severity and message (no fixes), for reports of the current state (the
 * Nagios line) that must agree with the exit status. */
struct state_changes {
    struct finding_list added, resolved, pending;
    struct finding_list reported;
    enum finding_status status; /* of reported: the damped status */
};

#define STATE_CHANGES_INIT                                                                                           \
    { FINDING_LIST_INIT, FINDING_LIST_INIT, FINDING_LIST_INIT, FINDING_LIST_INIT, FINDING_STATUS_OK }

/* state_open - lock path's lock file (waiting until deadline_ms on the
 * monotonic clock of dns_now_ms()), remove stale temporary files, and load
 * the file. Returns 0; or -1 with *error set (newly allocated, one line):
 * the lock was not obtained in time, the directory cannot be written, or the
 * file exists but cannot be read (permission, not a regular file). A missing
 * file is a first run; a corrupt one is moved aside (st->warning says so)
 * and is a first run too. Call state_close in every case. */
int state_open(struct state *st, const char *path, long long deadline_ms, char **error);

/* state_update - record this run's findings at time now with damping
 * `confirm` (1 = report at once) and fill *changes. */
void state_update(struct state *st, const struct finding_list *findings, unsigned confirm, long long now,
                  struct state_changes *changes);

/* state_save - write the file atomically. Returns 0, or -1 with *error set. */
int state_save(struct state *st, char **error);

/* state_close - release the lock and everything st owns. */
void state_close(struct state *st);

void state_changes_free(struct state_changes *changes);

#endif
