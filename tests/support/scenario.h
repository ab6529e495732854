/* scenario - one mail host of samples/scenarios/NAME, built for real: a
 * network namespace with the host's addresses, routes and policy rules, nsd
 * inside it serving the scenario's zones, and the built mta-preflight run in
 * it with --format json against the scenario's MTA configuration.
 *
 * A scenario directory holds (see samples/scenarios/README):
 *   network       the host: hostname, addresses, routes, rules, sysctls, dns
 *   zones/ORIGIN.zone      zone files nsd serves (ORIGIN.servfail: a zone
 *                          listed without a file, so nsd answers SERVFAIL)
 *   postfix/      main.cf and master.cf (audited with --postfix-dir)
 *   exim/configure         a plain Exim configuration (--exim-config)
 *   etc/exim4/    a Debian Exim configuration (--exim-debian-dir)
 * An MTA whose configuration is absent is skipped (--no-postfix, --no-exim).
 *
 * The closed loop (scenario_apply_fixes) works on a private copy of the
 * scenario (scenario_copy): it runs the printed postconf commands against the
 * copy, adds the printed records to the copy's zones and restarts nsd, adds
 * the printed Exim lines to the named files of the copy, runs printed sysctl
 * commands inside the namespace. The samples themselves are never written.
 *
 * Everything here needs root; callers check ts_is_root() first. Failures are
 * returned with a message in s->error, never asserted here, so the caller
 * can stop nsd before failing. */
#ifndef MP_TEST_SCENARIO_H
#define MP_TEST_SCENARIO_H

#include <json-c/json.h>
#include <stdbool.h>

#include "auditor/foundation/strlist.h"
#include "tests/support/nsd_harness.h"

struct scenario {
    char *src;           /* absolute samples/scenarios/NAME */
    char *root;          /* the directory audited: src, or the copy */
    char *copy;          /* the closed loop's copy (a ts_tmpdir), or NULL */
    const char *ns;      /* namespace name (owned by the caller) */
    char *hostname;      /* --system-hostname */
    struct nsd_harness nsd;
    bool nsd_running;
    int silent_fd;       /* "dns silent": a socket that never answers, or -1 */
    char *dns_server;    /* --dns-server value */
    char error[4096];
};

struct scenario_run {
    int rc;                   /* exit status of the program */
    long long ms;             /* wall time of the run */
    char *out, *err;          /* what it printed */
    json_object *json;        /* parsed stdout, or NULL */
    struct strlist findings;  /* "SEVERITY ID MTA:TRANSPORT FAMILY", sorted */
};

/* scenario_start - create namespace ns (removing a stale one), build the
 * host of samples/scenarios/NAME in it, and start its DNS. Returns 0, or -1
 * with s->error set (call scenario_stop in every case). */
int scenario_start(struct scenario *s, const char *name, const char *ns);

/* scenario_stop - stop nsd, close the silent socket, delete the namespace
 * and the copy; safe after a failed start. */
void scenario_stop(struct scenario *s);

/* scenario_audit - run the program in the namespace on s->root with
 * --format json plus extra (shell words, may be ""). Returns 0 when it ran
 * and printed JSON, else -1 with s->error set. Free r with
 * scenario_run_free in every case. */
int scenario_audit(struct scenario *s, const char *extra, struct scenario_run *r);
void scenario_run_free(struct scenario_run *r);

/* scenario_findings_str - r->findings joined with "; " (for messages and
 * comparison); newly allocated. */
char *scenario_findings_str(const struct scenario_run *r);

/* scenario_copy - copy src to a temporary directory that becomes s->root. */
int scenario_copy(struct scenario *s);

/* scenario_apply_fixes - apply every fix of r to the copy as described
 * above, or only those whose kind is in the comma-separated list kinds
 * (NULL: all); each applied fix is appended to applied as "KIND: what".
 * Returns the number of fixes applied, or -1 with s->error set. Notes are
 * skipped. */
int scenario_apply_fixes(struct scenario *s, const struct scenario_run *r, const char *kinds,
                         struct strlist *applied);

/* scenario_tree_digest - checksums of every file under dir, sorted: equal
 * digests mean no file was added, removed or changed. Newly allocated. */
char *scenario_tree_digest(const char *dir);

#endif
