/* pf_bench - parse one Postfix configuration directory and print how long it
 * took and the peak memory, for tests/bench/bench_parse.sh.
 *
 * usage: pf_bench DIR [HOSTNAME]
 * Output: one line "dir=... identities=N diagnostics=N wall_ms=X peak_rss_kb=Y".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"
#include "parsers/pf_identity.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: pf_bench DIR [HOSTNAME]\n");
        return 64;
    }
    struct model_host host = { .hostname = argc == 3 ? argv[2] : "bench-host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = pf_identity_load(argv[1], &host, &set, &diags);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1000.0 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("dir=%s rc=%d identities=%zu diagnostics=%zu wall_ms=%.1f peak_rss_kb=%ld\n", argv[1], rc, set.n,
           diags.n, ms, ru.ru_maxrss);
    for (size_t i = 0; i < diags.n && i < 5; i++) {
        char *line = diag_format(&diags.items[i]);
        fprintf(stderr, "%s: %s\n", diag_level_tostr(diags.items[i].level), line);
        free(line);
    }
    model_set_free(&set);
    diag_list_free(&diags);
    return rc == 1 ? 0 : 1;
}
