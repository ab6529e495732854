/* dns_probe - a command-line front end to the DNS batch engine (probes/dns.h),
 * for benchmarks and manual checks.
 *
 *   dns_probe [--server SPEC]... [--resolv-conf FILE] [--timeout MS]
 *             [--try-ms MS] [--tries N] [--confirm] [--quiet]
 *             [--ptr ADDRESS]... [--a NAME]... [--aaaa NAME]...
 *
 * Round one asks every --ptr, --a and --aaaa at once. With --confirm, round
 * two asks, for every PTR name found, the A (IPv4 source) or AAAA (IPv6
 * source) query needed to confirm it, unless round one already asked it: the
 * audit's forward-confirmed reverse DNS. Prints one line per lookup
 * ("TYPE NAME STATUS MS ANSWER...") unless --quiet, then
 * "rounds=R queries=Q elapsed_ms=E timeouts=T". Exit 0, or 2 on bad usage.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "probes/dns.h"

static void usage(void)
{
    fprintf(stderr, "usage: dns_probe [--server SPEC]... [--resolv-conf FILE] [--timeout MS] [--try-ms MS]\n"
                    "                 [--tries N] [--confirm] [--quiet] [--ptr ADDR]... [--a NAME]... [--aaaa NAME]...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct dns_server *servers = xcalloc((size_t)argc, sizeof(*servers));
    struct dns_options opts = { 0 };
    unsigned timeout = 5000;
    int confirm = 0, quiet = 0;
    struct dns_batch *b;
    char *err;

    opts.servers = servers;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--confirm") == 0) {
            confirm = 1;
            continue;
        }
        if (strcmp(arg, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *val = argv[++i];
        if (strcmp(arg, "--server") == 0) {
            if (dns_server_parse(val, &servers[opts.nservers]) < 0) {
                fprintf(stderr, "dns_probe: invalid server '%s'\n", val);
                return 2;
            }
            opts.nservers++;
        } else if (strcmp(arg, "--resolv-conf") == 0) {
            opts.resolv_conf = val;
        } else if (strcmp(arg, "--timeout") == 0) {
            timeout = (unsigned)strtoul(val, NULL, 10);
        } else if (strcmp(arg, "--try-ms") == 0) {
            opts.try_ms = (unsigned)strtoul(val, NULL, 10);
        } else if (strcmp(arg, "--tries") == 0) {
            opts.tries = (unsigned)strtoul(val, NULL, 10);
        } else if (strcmp(arg, "--ptr") == 0 || strcmp(arg, "--a") == 0 || strcmp(arg, "--aaaa") == 0) {
            /* collected below, once the batch exists */
        } else {
            usage();
        }
    }
    if (dns_batch_new(&opts, &b, &err) < 0) {
        fprintf(stderr, "dns_probe: %s\n", err);
        free(err);
        return 1;
    }
    long long start = dns_now_ms();
    long long deadline = start + timeout;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--ptr") == 0) {
            if (dns_batch_add_ptr(b, argv[i + 1]) == DNS_BAD_INDEX) {
                fprintf(stderr, "dns_probe: not an address: '%s'\n", argv[i + 1]);
                return 2;
            }
        } else if (strcmp(argv[i], "--a") == 0) {
            dns_batch_add(b, DNS_A, argv[i + 1]);
        } else if (strcmp(argv[i], "--aaaa") == 0) {
            dns_batch_add(b, DNS_AAAA, argv[i + 1]);
        } else if (strcmp(argv[i], "--confirm") == 0 || strcmp(argv[i], "--quiet") == 0) {
            continue;
        }
        i++;
    }
    size_t timeouts = dns_batch_run(b, deadline);
    if (confirm) {
        size_t n = dns_batch_count(b);
        for (size_t i = 0; i < n; i++) {
            const struct dns_result *r = dns_batch_get(b, i);
            if (r->type != DNS_PTR || r->status != DNS_OK || !r->address)
                continue;
            enum dns_type t = strchr(r->address, ':') ? DNS_AAAA : DNS_A;
            for (size_t k = 0; k < r->answers.n; k++)
                dns_batch_add(b, t, r->answers.items[k]);
        }
        timeouts += dns_batch_run(b, deadline);
    }
    long long elapsed = dns_now_ms() - start;
    if (!quiet) {
        for (size_t i = 0; i < dns_batch_count(b); i++) {
            const struct dns_result *r = dns_batch_get(b, i);
            printf("%s %s %s %ld", dns_type_tostr(r->type), r->name, dns_status_tostr(r->status), r->ms);
            for (size_t k = 0; k < r->answers.n; k++)
                printf(" %s", r->answers.items[k]);
            if (r->detail)
                printf(" (%s)", r->detail);
            printf("\n");
        }
    }
    printf("rounds=%u queries=%zu elapsed_ms=%lld timeouts=%zu\n", dns_batch_rounds(b), dns_batch_count(b),
           elapsed, timeouts);
    dns_batch_free(b);
    free(servers);
    return 0;
}
