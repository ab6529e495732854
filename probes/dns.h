/* dns - a batch of PTR, A, AAAA, NS and SOA lookups run concurrently on c-ares
 * 1.18 under one overall deadline, with failover over several resolvers.
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
 * Resolvers and failover:
 * - Each resolver has a c-ares channel of its own (one server, one try, no
 *   retries by c-ares), and every query walks the resolvers itself: it asks
 *   one, and moves on to the next when the reply says nothing about the
 *   name: REFUSED, SERVFAIL, FORMERR, NOTIMP, a referral (NOERROR, AA clear,
 *   no answer, NS and no SOA in the authority section: an authoritative-only
 *   server, not a recursive resolver), a reply with the QR bit clear (a
 *   reflected query), a malformed reply, connection refused, or no answer
 *   within the try's time. NOERROR with data, NODATA and NXDOMAIN are final.
 * - A resolver that once let a try time out is asked last from then on, for
 *   the rest of the batch (later rounds too): the others first, it only when
 *   no other is left, so a dead first resolver costs one try's time once,
 *   not once per round.
 * - When every resolver asked so far only timed out (lost packets), they are
 *   asked again in further passes (up to dns_options.tries passes, each
 *   try's time doubled). Once one has replied, even uselessly, the silent
 *   ones are not asked that question again: their silence would only hold
 *   up the round. A resolver that replied uselessly is never asked that
 *   question again.
 * - With the system's configuration the resolvers are the nameservers of
 *   resolv.conf as c-ares reads them, in order; as for the C library, a
 *   missing file or one without nameservers means 127.0.0.1:53.
 * - EDNS is not used: queries carry no OPT record, so a server that rejects
 *   EDNS answers normally, and an answer larger than 512 bytes comes over
 *   TCP (c-ares retries a truncated UDP answer on TCP itself).
 *
 * Invariants:
 * - The same (type, name) is asked at most once per batch: adding it again
 *   returns the index it already has, whatever round it was added in. Names
 *   compare without case and without a trailing dot.
 * - dns_batch_run() returns at the deadline at the latest (plus the time one
 *   ares_process_fd() call takes), whatever resolv.conf says: tries and their
 *   times only decide failover inside that bound; a query still unanswered
 *   at the deadline ends as DNS_TIMEOUT, or with the failure a resolver
 *   already replied (see dns_result.status).
 * - Results are never collapsed into yes/no: see enum dns_status.
 * - Answers are parsed from the raw reply (probes/dns_reply.h), not by
 *   c-ares (which rejects a whole answer when one name holds a character it
 *   refuses). PTR and NS
 *   names whose labels hold only letters, digits, "-" and "_" are answers,
 *   lowercase without a trailing dot; every other name (a space, a control
 *   byte, a byte >= 0x80, a dot inside a label, "/", "*", the root) goes to
 *   `invalid`, escaped for printing, and is never an answer. Addresses are
 *   in canonical inet_ntop() form. CNAME chains (RFC 2317) are followed.
 *   Answer names are still data from outside: validate one as a host name
 *   before putting it in a command.
 * - The library never prints; problems are returned as statuses and details.
 */
#ifndef MP_DNS_H
#define MP_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/strlist.h"

enum dns_type { DNS_A, DNS_AAAA, DNS_PTR, DNS_NS, DNS_SOA, DNS_MX };

/* The SOA record that came with a reply: in the answer (an SOA question at
 * the zone's apex) or in the authority section (NXDOMAIN, NODATA: the
 * zone the name is in). zone is NULL when the reply held none. Names are
 * lowercase without the trailing dot when valid, else escaped (dns_reply.h). */
struct dns_soa {
    char *zone;              /* the owner: the zone's apex ("2.0.192.in-addr.arpa") */
    char *mname, *rname;     /* primary server, contact mailbox in name form */
    unsigned long serial, minimum;
    long ttl;                /* the record's TTL as received (a cache's is counting down) */
};

enum dns_status {
    DNS_OK,       /* "ok": at least one record of the type (answers, or only invalid names) */
    DNS_NXDOMAIN, /* "nxdomain": the name does not exist */
    DNS_NODATA,   /* "nodata": the name exists, no record of this type (also a CNAME without target data) */
    DNS_SERVFAIL, /* "servfail": the server answered SERVFAIL (broken zone, DNSSEC failure) */
    DNS_REFUSED,  /* "refused": the server answered REFUSED (not willing to serve us) */
    DNS_TIMEOUT,  /* "timeout": no answer before the deadline or after every try */
    DNS_ERROR,    /* "error": anything else (referral, QR clear, connection refused, bad reply); see detail */
    DNS_PENDING,  /* "pending": added, not run yet (never seen for a query a run has covered) */
};

/* A resolver to ask instead of the system's resolv.conf. */
struct dns_server {
    char address[46]; /* numeric, canonical inet_ntop() form, no brackets */
    unsigned port;    /* 53 unless given */
};

/* The longest text dns_server_format() writes, with its NUL. */
#define DNS_SERVER_TEXT_MAX 56

struct dns_options {
    /* Servers to ask, in order; NULL/0 means the system's configuration. */
    const struct dns_server *servers;
    size_t nservers;
    /* Where the system's configuration is read from when no servers are
     * given; NULL means /etc/resolv.conf. Tests pass a file of their own. */
    const char *resolv_conf;
    /* The time of a resolver's first try in ms (it doubles on each further
     * pass over the resolvers) and how many passes; 0 picks 2000 ms and 3
     * passes. While other resolvers are still to be tried for a question, a
     * try gets at most an equal share of the time left, so that each of them
     * gets its turn before the deadline. These only shape failover: the
     * deadline of dns_batch_run() rules. */
    unsigned try_ms;
    unsigned tries;
};

struct dns_result {
    enum dns_type type;
    char *name;              /* the name asked (for PTR: the in-addr.arpa / ip6.arpa name; "." for the root) */
    char *address;           /* PTR only: the address the name was built from, canonical; else NULL */
    enum dns_status status;  /* when no resolver gave a final answer: that of the last useless
                                reply (servfail, refused, error), timeout when none replied */
    struct strlist answers;  /* PTR/NS: host names; A/AAAA: addresses; MX: "PREFERENCE NAME"
                                ("0 ." for a null MX); sorted, unique */
    struct strlist invalid;  /* PTR/NS: names that are not host names, escaped (see above); sorted, unique */
    long ttl;                /* ok: the smallest TTL of the answer records; nxdomain/nodata: how long
                                the negative answer may be cached (the authority SOA's TTL, at most
                                its minimum); -1 when unknown. From a cache it is what is left. */
    struct dns_soa soa;      /* the SOA the reply carried (SOA questions: the answer), else zone NULL */
    bool authoritative;      /* the reply had the AA bit set */
    const char *direct;      /* dns_batch_add_direct: the server asked ("ADDR:PORT"), else NULL */
    long ms;                 /* time from sending to the final answer; -1 until run */
    char *server;            /* "ADDR:PORT" ("[ADDR]:PORT" for IPv6) whose reply decided the status;
                                NULL when none replied (timeout) or nothing was asked */
    char *detail;            /* for a failed status (servfail, refused, timeout, error): what each
                                resolver tried did, in order, "; "-separated ("no answer within 2 s
                                from 192.0.2.53:53; REFUSED from 192.0.2.54:53"); else NULL */
    unsigned round;          /* which dns_batch_run() call asked it: 1, 2, ...; 0 until run */
};

struct dns_batch;

/* dns_server_parse - parse "192.0.2.53", "192.0.2.53:5353", "[192.0.2.53]",
 * "[192.0.2.53]:5353", "2001:db8::53", "[2001:db8::53]" or
 * "[2001:db8::53]:5353" (the --dns-server forms; the one parser of them).
 * Returns 0, or -1 when malformed (bad address, port not 1-65535, junk). */
int dns_server_parse(const char *spec, struct dns_server *out);

/* dns_server_format - "ADDR:PORT", or "[ADDR]:PORT" for IPv6, into out. */
void dns_server_format(const struct dns_server *server, char out[DNS_SERVER_TEXT_MAX]);

/* dns_batch_new - a batch with a c-ares channel per resolver. Returns 0 and
 * sets *out (free with dns_batch_free), or -1 and sets *err to a newly
 * allocated message ("cannot read '/etc/resolv.conf'", "cannot initialise
 * DNS resolver: ..."; free() it). */
int dns_batch_new(const struct dns_options *opts, struct dns_batch **out, char **err);

/* dns_batch_server_count - how many resolvers the batch asks. */
size_t dns_batch_server_count(const struct dns_batch *b);
/* dns_batch_server - the text ("ADDR:PORT") of resolver i in the order
 * asked, owned by the batch; NULL when out of range. */
const char *dns_batch_server(const struct dns_batch *b, size_t i);

/* dns_batch_add - add a query (name without trailing dot is fine; "." is
 * the root) and return its index; an identical query already in the batch
 * returns the existing index and is not asked again. */
size_t dns_batch_add(struct dns_batch *b, enum dns_type type, const char *name);

/* dns_batch_add_direct - add a query asked only of server, without
 * recursion (RD clear): a question to one authoritative server. There is no
 * failover: the result is that server's answer (a referral, or an answer
 * without the AA bit, is an error: the server is lame for the name). The
 * same (type, name, server) is asked once; it never matches a query added
 * with dns_batch_add. Returns its index, or DNS_BAD_INDEX when server cannot
 * be set up. */
size_t dns_batch_add_direct(struct dns_batch *b, enum dns_type type, const char *name,
                            const struct dns_server *server);

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
 * the deadline (not those whose every try ran out before it). */
size_t dns_batch_run(struct dns_batch *b, long long deadline);

/* dns_batch_count - how many distinct queries the batch holds. */
size_t dns_batch_count(const struct dns_batch *b);
/* dns_batch_get - the result at index (from add), owned by the batch and
 * valid until dns_batch_free; NULL when index is out of range. */
const struct dns_result *dns_batch_get(const struct dns_batch *b, size_t index);
/* dns_batch_find - the result for (type, name), or NULL when never added.
 * For PTR, name may also be the numeric address. */
const struct dns_result *dns_batch_find(const struct dns_batch *b, enum dns_type type, const char *name);
/* dns_batch_find_direct - the result of (type, name) asked of server
 * ("ADDR:PORT" text) with dns_batch_add_direct, or NULL. */
const struct dns_result *dns_batch_find_direct(const struct dns_batch *b, enum dns_type type, const char *name,
                                               const char *server);
/* dns_batch_rounds - how many runs sent at least one query. */
unsigned dns_batch_rounds(const struct dns_batch *b);

void dns_batch_free(struct dns_batch *b);

/* dns_now_ms - CLOCK_MONOTONIC in milliseconds. */
long long dns_now_ms(void);
/* dns_deadline_in - the deadline ms milliseconds from now, for dns_batch_run. */
long long dns_deadline_in(unsigned ms);

const char *dns_status_tostr(enum dns_status status); /* "ok", "nxdomain", ... */
int dns_status_fromstr(const char *word);             /* -1 when unknown */
const char *dns_type_tostr(enum dns_type type);       /* "A", "AAAA", "PTR", "NS", "SOA" */
/* dns_soa_free - release what soa holds (safe on a zeroed one). */
void dns_soa_free(struct dns_soa *soa);

#endif
