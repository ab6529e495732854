/* fake_dns - start and stop the suite's own DNS server (tests/tools/fake_dns)
 * in one of its modes, on a free loopback port.
 *
 * fake_dns_start returns once the server has bound its socket and printed
 * its port (at most 5 s); the server gets SIGTERM when the test process dies
 * (PR_SET_PDEATHSIG). fake_dns_stop sends SIGTERM to the recorded PID only
 * and waits for it.
 */
#ifndef MP_TEST_FAKE_DNS_H
#define MP_TEST_FAKE_DNS_H

#include <sys/types.h>

struct fake_dns {
    pid_t pid;
    unsigned port;
    char server[64]; /* "127.0.0.1:PORT" (or "[::1]:PORT"), for dns_server_parse */
    char error[256]; /* why start failed */
};

/* fake_dns_start - run the server in mode (see tests/tools/fake_dns.c) on
 * address ("127.0.0.1", "::1", another loopback address; NULL: 127.0.0.1)
 * and port (0: a free one). Returns 0, or -1 with f->error set. */
int fake_dns_start(struct fake_dns *f, const char *mode, const char *address, unsigned port);

/* fake_dns_stop - stop the server; safe after a failed start or twice. */
void fake_dns_stop(struct fake_dns *f);

#endif
