/* nsd_harness - a real authoritative DNS server (nsd) for tests, serving
 * zone files the test writes, on a free loopback port or on port 53 of an
 * address inside a named network namespace.
 *
 * nsd_harness_start returns only once a real DNS query (SOA of the first
 * served zone) has been answered, polling every 30 ms for at most 5 s, so a
 * test never races the server's start-up. nsd_harness_stop sends SIGTERM to
 * the recorded PID (nsd's parent, which stops its children), waits for it,
 * and removes the state directory. Nothing else is ever killed; should the
 * test process die first, nsd gets SIGTERM too (PR_SET_PDEATHSIG).
 *
 * A zone with text NULL is listed in nsd.conf but its file is missing: nsd
 * answers SERVFAIL for every name in it.
 */
#ifndef MP_TEST_NSD_HARNESS_H
#define MP_TEST_NSD_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct nsd_zone {
    const char *origin; /* "2.0.192.in-addr.arpa" (trailing dot optional) */
    const char *text;   /* the zone file, or NULL for a SERVFAIL zone */
};

struct nsd_harness_opts {
    const char *netns;   /* run inside this namespace; NULL: the current one */
    const char *address; /* listen address; NULL: 127.0.0.1 (and ::1 when usable) */
    unsigned port;       /* 0: a free port */
};

struct nsd_harness {
    pid_t pid;
    char *dir;           /* state directory (config, zones, log) */
    char address[46];
    unsigned port;
    int has_ipv6_loopback; /* also listens on [::1]:port */
    char error[2048];      /* why start failed, with nsd's log */
};

/* nsd_harness_start - write the zones and nsd.conf, start nsd, wait until
 * it answers. Returns 0, or -1 with h->error set (nothing left running). */
int nsd_harness_start(struct nsd_harness *h, const struct nsd_zone *zones, size_t nzones,
                      const struct nsd_harness_opts *opts);

/* nsd_harness_server - "ADDRESS:PORT" (IPv6 in brackets) for --dns-server
 * and dns_server_parse; a static buffer overwritten by the next call. */
const char *nsd_harness_server(const struct nsd_harness *h);

/* nsd_harness_stop - stop nsd by PID and remove its directory; safe to call
 * twice or after a failed start. */
void nsd_harness_stop(struct nsd_harness *h);

/* nsd_harness_free_port - a UDP and TCP port that is free on address right
 * now (and on ::1 when also_ipv6), or 0. */
unsigned nsd_harness_free_port(const char *address, int also_ipv6);

#endif
