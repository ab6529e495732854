/* smtp_greet - read the SMTP greeting of listening addresses, all at once.
 *
 * For each target (a numeric address and a TCP port) the probe connects
 * without blocking, reads the whole greeting (every "220-" continuation line
 * up to the final "220 " line, or a final line with another code), sends
 * QUIT and closes. All targets run in parallel, so the probe costs about one
 * TCP round trip plus the servers' greeting delay.
 *
 * Bounds: the deadline (dns_deadline_in() clock, CLOCK_MONOTONIC ms) holds
 * for every target; a greeting longer than SMTP_GREET_MAX_BYTES or with more
 * than SMTP_GREET_MAX_LINES lines is cut there (status TOO_LONG, the lines
 * read so far kept). Lines are stored without their code and separator and
 * without CR LF, escaped as hostname_escape() does (control characters and
 * non-ASCII bytes as \xNN), so a hostile server cannot reach a terminal.
 * Probes never read configuration: the caller says what to connect to.
 */
#ifndef MP_SMTP_GREET_H
#define MP_SMTP_GREET_H

#include <stddef.h>

#include "auditor/foundation/strlist.h"

#define SMTP_GREET_MAX_BYTES 8192
#define SMTP_GREET_MAX_LINES 32

enum smtp_greet_status {
    SMTP_GREET_OK,        /* a complete greeting (code in code) */
    SMTP_GREET_REFUSED,   /* the connection was refused or reset before a greeting */
    SMTP_GREET_TIMEOUT,   /* no complete greeting before the deadline */
    SMTP_GREET_TOO_LONG,  /* the greeting passed a bound: cut */
    SMTP_GREET_BAD,       /* not an SMTP reply (a line without a 3-digit code) */
    SMTP_GREET_ERROR,     /* anything else (socket error, unreachable); see error */
};

struct smtp_greet {
    char *address;        /* numeric, as given */
    unsigned port;
    enum smtp_greet_status status;
    int code;             /* the reply code of the final line, or 0 */
    struct strlist lines; /* the text of each line after "220-"/"220 ", escaped */
    char *error;          /* what failed, for REFUSED/ERROR/BAD; else NULL */
    long long ms;         /* connect to the end of the greeting, or -1 */
};

/* smtp_greet_run - probe n targets (address[i], port[i]) until deadline;
 * out[i] is overwritten for each (release with smtp_greet_free). Never
 * fails as a whole: each target carries its own status. */
void smtp_greet_run(const char *const *address, const unsigned *port, size_t n, long long deadline,
                    struct smtp_greet *out);

/* smtp_greet_free - release what g holds (safe on a zeroed struct). */
void smtp_greet_free(struct smtp_greet *g);

const char *smtp_greet_status_tostr(enum smtp_greet_status s); /* "ok", "refused", "timeout", "too-long", "bad", "error" */

#endif
