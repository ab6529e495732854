/* state_bench - the cost of drift mode inside one run, for
 * tests/bench/bench_state.sh: the steps audit_once adds with --state
 * (state_open: lock, sweep, read and parse; state_update; state_save: JSON,
 * temporary file, fsync, rename, directory fsync; state_close), timed with
 * the monotonic clock over many runs on one state file.
 *
 * usage: state_bench FILE RUNS KEYS
 * Every run sees KEYS findings (a third of them change from run to run, so
 * keys become pending, new and resolved as in real use). Output: one line
 * per step, "step=NAME median_us=N p90_us=N max_us=N", the last one
 * "step=total". FILE is removed before and left behind after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditor/finding.h"
#include "auditor/state.h"
#include "probes/dns.h"

enum { STEP_OPEN, STEP_UPDATE, STEP_SAVE, STEP_CLOSE, STEP_TOTAL, NSTEPS };
static const char *const step_name[NSTEPS] = { "open", "update", "save", "close", "total" };

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: state_bench FILE RUNS KEYS\n");
        return 64;
    }
    const char *path = argv[1];
    int runs = atoi(argv[2]), keys = atoi(argv[3]);
    if (runs < 1 || keys < 0 || keys > 10000) {
        fprintf(stderr, "state_bench: RUNS must be at least 1 and KEYS from 0 to 10000\n");
        return 64;
    }
    unlink(path);
    long long *t[NSTEPS];
    for (int s = 0; s < NSTEPS; s++)
        t[s] = calloc((size_t)runs, sizeof(long long));
    for (int r = 0; r < runs; r++) {
        struct finding_list findings = FINDING_LIST_INIT;
        for (int k = 0; k < keys; k++) {
            /* Two thirds stay; the others move every other run. */
            int n = k % 3 == 2 ? k + keys * (r / 2) : k;
            char address[64], message[192];
            snprintf(address, sizeof(address), "192.0.%d.%d", n / 250 % 250, n % 250 + 1);
            snprintf(message, sizeof(message), "%s has no PTR record (nxdomain); the cached answer expires in %d s",
                     address, 300 - r % 300);
            finding_add(&findings, FINDING_PTR_MISSING, "postfix:/etc/postfix:smtp/unix", 0, address,
                        "mail.example.com", message);
        }
        struct state st;
        struct state_changes changes = STATE_CHANGES_INIT;
        char *error = NULL;
        long long t0 = now_us();
        if (state_open(&st, path, dns_now_ms() + 5000, &error) != 0) {
            fprintf(stderr, "state_bench: %s\n", error);
            return 1;
        }
        long long t1 = now_us();
        state_update(&st, &findings, 2, (long long)time(NULL), &changes);
        long long t2 = now_us();
        if (state_save(&st, &error) != 0) {
            fprintf(stderr, "state_bench: %s\n", error);
            return 1;
        }
        long long t3 = now_us();
        state_changes_free(&changes);
        state_close(&st);
        long long t4 = now_us();
        t[STEP_OPEN][r] = t1 - t0;
        t[STEP_UPDATE][r] = t2 - t1;
        t[STEP_SAVE][r] = t3 - t2;
        t[STEP_CLOSE][r] = t4 - t3;
        t[STEP_TOTAL][r] = t4 - t0;
        finding_list_free(&findings);
    }
    for (int s = 0; s < NSTEPS; s++) {
        qsort(t[s], (size_t)runs, sizeof(long long), cmp_ll);
        printf("step=%s median_us=%lld p90_us=%lld max_us=%lld\n", step_name[s], t[s][(runs - 1) / 2],
               t[s][(runs * 9 - 1) / 10], t[s][runs - 1]);
        free(t[s]);
    }
    return 0;
}
