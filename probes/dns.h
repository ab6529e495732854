/* dns - a batch of PTR, A and AAAA lookups run concurrently on c-ares 1.18
 * under one overall deadline.
 *
 * Round trips are what an audit waits for, so lookups are not asked one by
 * one: the caller adds every query it already knows, runs the batch once,
 * reads the results, adds the queries that depend on them (A/AAAA of PTR
 * names), and runs again with the time that is left. A typical audit needs
 * exactly two runs:
 *
 *     struct dns_batch *b;
 *     if (dns_batch_new(&opts, &b, &err) < 0) ...          // err: a message to show
 *     long long deadline = dns_deadline_in(5000);
 *     size_t p = dns_batch_add_ptr(b, "192.0.2.10");
 *     dns_batch_add(b, DNS_A, "mail.example.com");
 *     dns_batch_run(b, deadline);                          // round one
 *     for each name in dns_batch_get(b, p)->answers: dns_batch_add(b, DNS_A, name) ...
 *     dns_batch_run(b, deadline);                          // round two: only new queries
 *     ... dns_batch_get() of every index stays valid until dns_batch_free(b).
 *
 * Invariants:
 * - The same (type, name) is asked at most once per batch: adding it again
 *   returns the index it already has, whatever round it was added in. Names
 *   compare without case and without a trailing dot.
 * - dns_batch_run() returns at the deadline at the latest (plus the time one
 *   ares_process_fd() call takes), whatever resolv.conf says: c-ares's own
 *   per-try timeout and tries only decide retries inside that bound; a query
 *   still unanswered at the deadline is cancelled and reports DNS_TIMEOUT.
 * - Results are never collapsed into yes/no: see enum dns_status. To tell
 *   SERVFAIL and REFUSED apart from a dead server, c-ares 1.18 must be told
 *   not to judge responses (ARES_FLAG_NOCHECKRESP); the price is that such an
 *   answer from the first server is final and not retried on the next one.
 * - Answers are sorted (strcmp order) and unique. PTR names and names in
 *   answers are lowercase without a trailing dot; addresses are in canonical
 *   inet_ntop() form. c-ares 1.18 rejects an answer holding a name with
 *   characters outside letters, digits, "-", ".", "_", "/" and "*" (DNS_ERROR, "Misformatted
 *   DNS reply"), so names here are printable, but they are still data from
 *   outside: validate one as a host name before putting it in a command.
 * - The library never prints; problems are returned as statuses or messages.
 */
#ifndef MP_DNS_H
#define MP_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/strlist.h"

enum dns_type { DNS_A, DNS_AAAA, DNS_PTR };

enum dns_status {
    DNS_OK,       /* "ok": answers hold at least one record */
    DNS_NXDOMAIN, /* "nxdomain": the name does not exist */
    DNS_NODATA,   /* "nodata": the name exists, no record of this type (also a CNAME without target data) */
    DNS_SERVFAIL, /* "servfail": the server answered SERVFAIL (broken zone, DNSSEC failure) */
    DNS_REFUSED,  /* "refused": the server answered REFUSED (not willing to serve us) */
    DNS_TIMEOUT,  /* "timeout": no answer before the deadline or after every try */
    DNS_ERROR,    /* "error": anything else (ICMP port unreachable, bad response, ...); see detail */
    DNS_PENDING,  /* "pending": added, not run yet (never seen for a query a run has covered) */
};

/* A resolver to ask instead of the system's resolv.conf. */
struct dns_server {
    char address[46]; /* numeric, no brackets */
    unsigned port;    /* 53 unless given */
};

struct dns_options {
    /* Servers to ask, in order; NULL/0 means the system's configuration. */
    const struct dns_server *servers;
    size_t nservers;
    /* Where the system's configuration is read from when no servers are
     * given; NULL means /etc/resolv.conf. Tests pass a file of their own. */
    const char *resolv_conf;
    /* c-ares's first per-try timeout in ms (it doubles on each round over
     * the servers) and the number of tries; 0 picks 1000 ms and 3 tries.
     * These only shape retries: the deadline of dns_batch_run() rules. */
    unsigned try_ms;
    unsigned tries;
};

struct dns_result {
    enum dns_type type;
    char *name;              /* the name asked (for PTR: the in-addr.arpa / ip6.arpa name) */
    char *address;           /* PTR only: the address the name was built from, canonical; else NULL */
    enum dns_status status;
    struct strlist answers;  /* PTR: host names; A/AAAA: addresses; sorted, unique */
    long ms;                 /* time from sending to the final answer; -1 until run */
    const char *detail;      /* for DNS_ERROR: c-ares's description (static); else NULL */
    unsigned round;          /* which dns_batch_run() call asked it: 1, 2, ...; 0 until run */
};

struct dns_batch;

/* dns_server_parse - parse "192.0.2.53", "192.0.2.53:5353",
 * "2001:db8::53", "[2001:db8::53]" or "[2001:db8::53]:5353" (the
 * --dns-server forms). Returns 0, or -1 when malformed (bad address, port
 * not 1-65535, junk). */
int dns_server_parse(const char *spec, struct dns_server *out);

/* dns_batch_new - a batch with its own c-ares channel. Returns 0 and sets
 * *out (free with dns_batch_free), or -1 and sets *err to a newly allocated
 * message ("cannot initialise DNS resolver: ..."; free() it). */
int dns_batch_new(const struct dns_options *opts, struct dns_batch **out, char **err);

/* dns_batch_add - add a query (name without trailing dot is fine) and
 * return its index; an identical query already in the batch returns the
 * existing index and is not asked again. */
size_t dns_batch_add(struct dns_batch *b, enum dns_type type, const char *name);

/* dns_batch_add_ptr - add the PTR query of a numeric address (reverse name
 * built from its bytes). Returns its index, or DNS_BAD_INDEX when address is
 * not numeric. */
size_t dns_batch_add_ptr(struct dns_batch *b, const char *address);
#define DNS_BAD_INDEX ((size_t)-1)

/* dns_batch_run - send every query not yet asked, all at once, and process
 * answers until all are final or the deadline (dns_deadline_in()) passes.
 * Queries asked in earlier runs are left as they are. When the deadline has
 * already passed nothing is sent and the new queries are DNS_TIMEOUT with
 * ms 0. Returns the number of queries that ended in DNS_TIMEOUT because of
 * the deadline (not those c-ares itself gave up on after its tries). */
size_t dns_batch_run(struct dns_batch *b, long long deadline);

/* dns_batch_count - how many distinct queries the batch holds. */
size_t dns_batch_count(const struct dns_batch *b);
/* dns_batch_get - the result at index (from add), owned by the batch and
 * valid until dns_batch_free; NULL when index is out of range. */
const struct dns_result *dns_batch_get(const struct dns_batch *b, size_t index);
/* dns_batch_find - the result for (type, name), or NULL when never added.
 * For PTR, name may also be the numeric address. */
const struct dns_result *dns_batch_find(const struct dns_batch *b, enum dns_type type, const char *name);
/* dns_batch_rounds - how many runs sent at least one query. */
unsigned dns_batch_rounds(const struct dns_batch *b);

void dns_batch_free(struct dns_batch *b);

/* dns_now_ms - CLOCK_MONOTONIC in milliseconds. */
long long dns_now_ms(void);
/* dns_deadline_in - the deadline ms milliseconds from now, for dns_batch_run. */
long long dns_deadline_in(unsigned ms);

const char *dns_status_tostr(enum dns_status status); /* "ok", "nxdomain", ... */
int dns_status_fromstr(const char *word);             /* -1 when unknown */
const char *dns_type_tostr(enum dns_type type);       /* "A", "AAAA", "PTR" */

#endif
