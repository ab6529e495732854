/* test_drift - the operations options of the built program with real
 * components: a network namespace with the mail host's address and route,
 * nsd inside it serving zones that each test changes between runs (nsd is
 * restarted on the same port), a silent DNS socket, and the program run
 * there as cron, a monitoring system or a package hook would run it.
 *
 * The host: one Postfix transport (smtp/unix) sending over IPv4 from
 * 192.0.2.10 as mail.example.com, which resolves to 192.0.2.10. The reverse
 * zone has the PTR (healthy), lacks it (ptr-missing, critical) or is broken
 * (SERVFAIL: dns-failure, unknown).
 *
 * Cases: drift mode (--state, --confirm) across PTR removal, restoration,
 * flapping and a SERVFAIL run; --quiet; runs at the same time (the lock);
 * an unwritable state directory (as the user nobody); runs killed while
 * they write the state; --output (mode, atomicity, stdout, exit status);
 * --hook (exit 0, at most 5 lines, the time bound, standard input).
 *
 * Needs root (namespaces) and nsd; skipped with a message otherwise. */
#define _GNU_SOURCE /* pipe2 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

static char *ns;          /* the namespace (made in the runner's process) */
static char *conf_dir;    /* Postfix configuration: DIR/postfix */
static const char *skip;  /* why the suite cannot run, or NULL */

#define SMTP_ID_FMT "postfix:%s/postfix:smtp/unix"

static const char fwd_zone[] = "$ORIGIN example.com.\n$TTL 300\n"
                               "@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300\n"
                               "@ IN NS ns.example.com.\nns IN A 127.0.0.1\nmail IN A 192.0.2.10\n";
static const char rev_ptr[] = "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 300\n"
                              "@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300\n"
                              "@ IN NS ns.example.com.\n10 IN PTR mail.example.com.\n";
static const char rev_none[] = "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 300\n"
                               "@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300\n"
                               "@ IN NS ns.example.com.\n11 IN PTR other.example.com.\n";

/* DNS_LIAR: the suite's fake_dns answering NXDOMAIN for every name, the
 * root zone's NS too (resolver-broken). */
enum dns_mode { DNS_PTR, DNS_NO_PTR, DNS_SERVFAIL, DNS_SILENT, DNS_LIAR };

/* --- the host -------------------------------------------------------------- */

static void ns_setup(void)
{
    if (!ts_is_root()) {
        skip = "needs root for network namespaces";
        return;
    }
    if (access("/usr/sbin/nsd", X_OK) != 0) {
        skip = "nsd is not installed";
        return;
    }
    ns = netns_name("dr");
    if (netns_add(ns) != 0
        || netns_sh("ip -n %s link add mp0 type veth peer name mp1 && ip -n %s link set mp0 up && "
                    "ip -n %s link set mp1 up && ip -n %s addr add 192.0.2.10/24 dev mp0 && "
                    "ip -n %s route add default via 192.0.2.1",
                    ns, ns, ns, ns, ns)
               != 0) {
        fprintf(stderr, "test_drift: %s\n", netns_error());
        skip = "cannot build the network namespace";
        return;
    }
    conf_dir = ts_tmpdir("drift-conf");
    chmod(conf_dir, 0755);
    char *pf = xasprintf("%s/postfix", conf_dir), *p;
    mkdir(pf, 0755);
    p = xasprintf("%s/main.cf", pf);
    ts_write_file(p, "myhostname = mail.example.com\ninet_protocols = ipv4\ncompatibility_level = 3.6\n");
    free(p);
    p = xasprintf("%s/master.cf", pf);
    ts_write_file(p, "smtp      unix  -       -       y       -       -       smtp\n");
    free(p);
    free(pf);
    /* Hosts with N smtp transports (N ptr-missing findings): DIR/manyN,
     * transports smtp, out2, ..., outN. */
    static const int many[] = { 3, 4, 6 };
    for (size_t i = 0; i < sizeof(many) / sizeof(many[0]); i++) {
        pf = xasprintf("%s/many%d", conf_dir, many[i]);
        mkdir(pf, 0755);
        p = xasprintf("%s/main.cf", pf);
        ts_write_file(p, "myhostname = mail.example.com\ninet_protocols = ipv4\ncompatibility_level = 3.6\n");
        free(p);
        struct strbuf m = STRBUF_INIT;
        strbuf_adds(&m, "smtp     unix  -       -       y       -       -       smtp\n");
        for (int k = 2; k <= many[i]; k++)
            strbuf_addf(&m, "out%d     unix  -       -       y       -       -       smtp\n", k);
        p = xasprintf("%s/master.cf", pf);
        ts_write_file(p, m.buf);
        free(p);
        strbuf_release(&m);
        free(pf);
    }
}

static void ns_teardown(void)
{
    if (ns)
        netns_del(ns);
    free(ns);
    ns = NULL;
    if (conf_dir)
        ts_rmtree(conf_dir);
    free(conf_dir);
    conf_dir = NULL;
}

#define SKIP_UNLESS_READY(name)                                                                                      \
    do {                                                                                                             \
        if (skip) {                                                                                                  \
            printf("skipped drift %s: %s\n", (name), skip);                                                          \
            return;                                                                                                  \
        }                                                                                                            \
    } while (0)

/* One test's world: its DNS (restarted on the same port for every change)
 * and a directory for its state and output files. */
struct world {
    struct nsd_harness nsd;
    bool running;
    unsigned port;
    int silent_fd;
    pid_t liar;      /* fake_dns inside the namespace, or 0 */
    char *liar_dir;  /* where its stdout (the port) goes */
    char server[64];
    char *dir;
    char *state; /* DIR/state.json */
    char *id;    /* the identity id */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void w_silent(struct world *w)
{
    if (w->silent_fd >= 0)
        return;
    int saved = netns_enter(ns);
    ck_assert_msg(saved >= 0, "%s", netns_error());
    struct sockaddr_in sin = { 0 };
    socklen_t sl = sizeof(sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    netns_leave(saved);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    w->silent_fd = fd;
}

/* w_dns - serve the zones of mode (restarting nsd), or point at the silent
 * socket. */
static void w_liar_stop(struct world *w)
{
    if (w->liar > 0) {
        kill(w->liar, SIGTERM);
        waitpid(w->liar, NULL, 0);
    }
    w->liar = 0;
    if (w->liar_dir)
        ts_rmtree(w->liar_dir);
    free(w->liar_dir);
    w->liar_dir = NULL;
}

static void w_liar_start(struct world *w)
{
    w->liar_dir = ts_tmpdir("liar");
    char *out = xasprintf("%s/port", w->liar_dir);
    char *tool = ts_tool("fake_dns");
    fflush(NULL);
    w->liar = fork();
    ck_assert_int_ge(w->liar, 0);
    if (w->liar == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            _exit(125);
        dup2(fd, 1);
        execlp("ip", "ip", "netns", "exec", ns, tool, "127.0.0.1:0", "nxdomain", (char *)NULL);
        _exit(127);
    }
    unsigned port = 0;
    for (int waited = 0; waited < 5000 && !port; waited += 10) {
        char *text = ts_read_file(out, NULL);
        if (text && strchr(text, '\n'))
            port = (unsigned)atoi(text);
        free(text);
        if (!port)
            sleep_ms(10);
    }
    ck_assert_msg(port > 0, "fake_dns did not start ('%s')", tool);
    snprintf(w->server, sizeof(w->server), "127.0.0.1:%u", port);
    free(tool);
    free(out);
}

static void w_dns(struct world *w, enum dns_mode mode)
{
    if (w->running)
        nsd_harness_stop(&w->nsd);
    w->running = false;
    w_liar_stop(w);
    if (mode == DNS_LIAR) {
        w_liar_start(w);
        return;
    }
    if (mode == DNS_SILENT) {
        w_silent(w);
        struct sockaddr_in sin;
        socklen_t sl = sizeof(sin);
        getsockname(w->silent_fd, (struct sockaddr *)&sin, &sl);
        snprintf(w->server, sizeof(w->server), "127.0.0.1:%u", ntohs(sin.sin_port));
        return;
    }
    struct nsd_zone zones[2] = { { "example.com", fwd_zone },
                                 { "2.0.192.in-addr.arpa",
                                   mode == DNS_PTR ? rev_ptr : mode == DNS_NO_PTR ? rev_none : NULL } };
    struct nsd_harness_opts o = { ns, NULL, w->port };
    ck_assert_msg(nsd_harness_start(&w->nsd, zones, 2, &o) == 0, "nsd: %s", w->nsd.error);
    w->running = true;
    w->port = w->nsd.port;
    snprintf(w->server, sizeof(w->server), "%s", nsd_harness_server(&w->nsd));
}

static void w_init(struct world *w, enum dns_mode mode)
{
    memset(w, 0, sizeof(*w));
    w->silent_fd = -1;
    w->dir = ts_tmpdir("drift");
    chmod(w->dir, 0755);
    w->state = xasprintf("%s/state.json", w->dir);
    w->id = xasprintf(SMTP_ID_FMT, conf_dir);
    w_dns(w, mode);
}

static void w_free(struct world *w)
{
    if (w->running)
        nsd_harness_stop(&w->nsd);
    w_liar_stop(w);
    if (w->silent_fd >= 0)
        close(w->silent_fd);
    ts_rmtree(w->dir);
    free(w->dir);
    free(w->state);
    free(w->id);
}

/* w_cmd - the shell command of one audit in the namespace, with extra
 * arguments (shell words); "exec" so that the PID is the program's. */
static char *w_cmd(const struct world *w, const char *extra)
{
    return xasprintf("exec ip netns exec %s '%s' audit --postfix-dir '%s/postfix' --no-exim --system-hostname mail "
                     "--dns-server %s %s",
                     ns, ts_bin(), conf_dir, w->server, extra);
}

/* --- running it ------------------------------------------------------------ */

struct proc {
    pid_t pid;
    char *out_path, *err_path, *dir;
    int rc;          /* exit status, 128+signal, or -1 when killed at the limit */
    long long ms;    /* wall time */
    char *out, *err;
};

/* p_start - start sh -c cmd in its own process group with stdin from
 * stdin_fd (-1: /dev/null), stdout and stderr into files. */
static void p_start(struct proc *p, const char *cmd, int stdin_fd)
{
    memset(p, 0, sizeof(*p));
    p->dir = ts_tmpdir("proc");
    p->out_path = xasprintf("%s/out", p->dir);
    p->err_path = xasprintf("%s/err", p->dir);
    p->ms = now_ms();
    fflush(NULL);
    p->pid = fork();
    ck_assert_int_ge(p->pid, 0);
    if (p->pid == 0) {
        setpgid(0, 0);
        int in = stdin_fd >= 0 ? stdin_fd : open("/dev/null", O_RDONLY);
        int out = open(p->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(p->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(125);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
}

/* p_wait - wait for it at most limit_ms (0: unbounded), killing its process
 * group at the limit; collect what it printed. */
static void p_wait(struct proc *p, long long limit_ms)
{
    int status = 0;
    long long t0 = p->ms;
    for (;;) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);
        if (r == p->pid)
            break;
        if (limit_ms && now_ms() - t0 > limit_ms) {
            kill(-p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
            status = -1;
            break;
        }
        sleep_ms(2);
    }
    p->ms = now_ms() - t0;
    p->rc = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    p->out = ts_read_file(p->out_path, NULL);
    p->err = ts_read_file(p->err_path, NULL);
    if (!p->out)
        p->out = xstrdup("");
    if (!p->err)
        p->err = xstrdup("");
}

static void p_free(struct proc *p)
{
    ts_rmtree(p->dir);
    free(p->dir);
    free(p->out_path);
    free(p->err_path);
    free(p->out);
    free(p->err);
}

/* run - one audit to the end (bounded at 30 s). */
static void run(const struct world *w, const char *extra, struct proc *p)
{
    char *cmd = w_cmd(w, extra);
    p_start(p, cmd, -1);
    p_wait(p, 30000);
    free(cmd);
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* ids - the ids of a JSON array of findings, joined with ","; "?" when the
 * array is missing. */
static void ids(struct strbuf *sb, json_object *changes, const char *key)
{
    json_object *a;
    strbuf_addf(sb, " %s [", key);
    if (!json_object_object_get_ex(changes, key, &a) || !json_object_is_type(a, json_type_array)) {
        strbuf_adds(sb, "?]");
        return;
    }
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *f = json_object_array_get_idx(a, i), *id;
        json_object_object_get_ex(f, "id", &id);
        strbuf_addf(sb, "%s%s", i ? "," : "", id ? json_object_get_string(id) : "?");
    }
    strbuf_adds(sb, "]");
}

/* drift - one --state run with --format json; its summary
 * "rc N status S new [..] resolved [..] pending [..] runs N". */
static char *drift(const struct world *w, unsigned confirm, const char *extra)
{
    char *args = xasprintf("--format json --timeout 2 --state '%s' --confirm %u %s", w->state, confirm, extra);
    struct proc p;
    run(w, args, &p);
    free(args);
    json_object *root = json_tokener_parse(p.out), *v, *changes, *state, *runs;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "rc %d", p.rc);
    if (!root) {
        strbuf_addf(&sb, " no JSON: %s%s", p.out, p.err);
    } else {
        strbuf_addf(&sb, " status %s", json_object_object_get_ex(root, "status", &v) ? json_object_get_string(v)
                                                                                      : "?");
        if (json_object_object_get_ex(root, "changes", &changes)) {
            ids(&sb, changes, "new");
            ids(&sb, changes, "resolved");
            ids(&sb, changes, "pending");
        } else {
            strbuf_adds(&sb, " no changes");
        }
        if (json_object_object_get_ex(root, "state", &state) && json_object_object_get_ex(state, "runs", &runs))
            strbuf_addf(&sb, " runs %d", json_object_get_int(runs));
        json_object_put(root);
    }
    if (*p.err)
        strbuf_addf(&sb, " stderr %s", p.err);
    p_free(&p);
    return strbuf_detach(&sb);
}

#define DRIFT(w, confirm, expected)                                                                                   \
    do {                                                                                                             \
        char *got_ = drift((w), (confirm), "");                                                                      \
        ck_assert_msg(strcmp(got_, (expected)) == 0, "got '%s', expected '%s'", got_, (expected));                   \
        free(got_);                                                                                                  \
    } while (0)

/* state_runs - the "runs" of the state file, or -1 when it is no state
 * file of schema 1 (missing, partial, not JSON). */
static int state_runs(const char *path)
{
    char *text = ts_read_file(path, NULL);
    if (!text)
        return -1;
    json_object *root = json_tokener_parse(text), *v, *list;
    free(text);
    int runs = -1;
    if (root && json_object_object_get_ex(root, "schema", &v) && json_object_get_int(v) == 1
        && json_object_object_get_ex(root, "findings", &list) && json_object_is_type(list, json_type_array)
        && json_object_object_get_ex(root, "runs", &v))
        runs = json_object_get_int(v);
    if (root)
        json_object_put(root);
    return runs;
}

/* leftovers - names in dir that start with prefix, joined with " ". */
static char *leftovers(const char *dir, const char *prefix)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            strbuf_addf(&sb, "%s%s", sb.len ? " " : "", e->d_name);
    if (d)
        closedir(d);
    return strbuf_detach(&sb);
}

/* --- drift mode -------------------------------------------------------------- */

#define OK_NONE(runs) "rc 0 status ok new [] resolved [] pending [] runs " #runs
#define CRIT_NONE(runs) "rc 2 status critical new [] resolved [] pending [] runs " #runs

/* The PTR is removed and restored, with --confirm 1, 2 and 3: new once
 * after N runs (exit 2 from then on), resolved once after N runs. */
START_TEST(ptr_removed_then_restored)
{
    SKIP_UNLESS_READY("ptr_removed_then_restored");
    unsigned confirm = (unsigned)_i + 1;
    struct world w;
    w_init(&w, DNS_PTR);
    int r = 0;
    char buf[256];
    DRIFT(&w, confirm, (snprintf(buf, sizeof(buf), OK_NONE(%d), ++r), buf));
    w_dns(&w, DNS_NO_PTR);
    for (unsigned k = 1; k < confirm; k++)
        DRIFT(&w, confirm,
              (snprintf(buf, sizeof(buf), "rc 0 status ok new [] resolved [] pending [ptr-missing] runs %d", ++r), buf));
    DRIFT(&w, confirm,
          (snprintf(buf, sizeof(buf), "rc 2 status critical new [ptr-missing] resolved [] pending [] runs %d", ++r),
           buf));
    DRIFT(&w, confirm, (snprintf(buf, sizeof(buf), CRIT_NONE(%d), ++r), buf));
    w_dns(&w, DNS_PTR);
    for (unsigned k = 1; k < confirm; k++)
        DRIFT(&w, confirm, (snprintf(buf, sizeof(buf), CRIT_NONE(%d), ++r), buf));
    DRIFT(&w, confirm,
          (snprintf(buf, sizeof(buf), "rc 0 status ok new [] resolved [ptr-missing] pending [] runs %d", ++r), buf));
    DRIFT(&w, confirm, (snprintf(buf, sizeof(buf), OK_NONE(%d), ++r), buf));
    w_free(&w);
}
END_TEST

/* The PTR comes and goes every run: with --confirm 2 nothing is ever new or
 * resolved, and the status stays what it was. */
START_TEST(flapping_ptr)
{
    SKIP_UNLESS_READY("flapping_ptr");
    struct world w;
    w_init(&w, DNS_PTR);
    DRIFT(&w, 2, OK_NONE(1));
    for (int k = 0; k < 3; k++) {
        w_dns(&w, DNS_NO_PTR);
        char *got = drift(&w, 2, "");
        char *want = xasprintf("rc 0 status ok new [] resolved [] pending [ptr-missing] runs %d", 2 + 2 * k);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
        w_dns(&w, DNS_PTR);
        got = drift(&w, 2, "");
        want = xasprintf(OK_NONE(%d), 3 + 2 * k);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
    }
    /* Once it is reported, flapping does not resolve it. */
    w_dns(&w, DNS_NO_PTR);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [] pending [ptr-missing] runs 8");
    DRIFT(&w, 2, "rc 2 status critical new [ptr-missing] resolved [] pending [] runs 9");
    for (int k = 0; k < 2; k++) {
        w_dns(&w, DNS_PTR);
        char *got = drift(&w, 2, "");
        char *want = xasprintf(CRIT_NONE(%d), 10 + 2 * k);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
        w_dns(&w, DNS_NO_PTR);
        got = drift(&w, 2, "");
        want = xasprintf(CRIT_NONE(%d), 11 + 2 * k);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
    }
    w_free(&w);
}
END_TEST

/* One SERVFAIL run never flips a verdict: a reported ptr-missing is not
 * resolved by it (and stays critical), a healthy host gets nothing new. */
START_TEST(servfail_run_flips_nothing)
{
    SKIP_UNLESS_READY("servfail_run_flips_nothing");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    DRIFT(&w, 2, "rc 2 status critical new [ptr-missing] resolved [] pending [] runs 1");
    w_dns(&w, DNS_SERVFAIL);
    DRIFT(&w, 2, "rc 2 status critical new [] resolved [] pending [dns-failure] runs 2");
    w_dns(&w, DNS_NO_PTR);
    DRIFT(&w, 2, CRIT_NONE(3));
    /* Restored, then a SERVFAIL between the two confirming runs: it neither
     * counts as a missed run nor breaks the count. */
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, CRIT_NONE(4));
    w_dns(&w, DNS_SERVFAIL);
    DRIFT(&w, 2, "rc 2 status critical new [] resolved [] pending [dns-failure] runs 5");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [ptr-missing] pending [] runs 6");
    /* Healthy, then one SERVFAIL run, one silent run: nothing new, ok. */
    w_dns(&w, DNS_SERVFAIL);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [] pending [dns-failure] runs 7");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, OK_NONE(8));
    w_dns(&w, DNS_SILENT);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [] pending [dns-failure,dns-failure] runs 9");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, OK_NONE(10));
    /* DNS that fails in two runs in a row is itself a confirmed finding
     * (unknown, exit 3), resolved like any other; it never touched ptr-missing. */
    w_dns(&w, DNS_SERVFAIL);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [] pending [dns-failure] runs 11");
    w_dns(&w, DNS_SILENT);
    DRIFT(&w, 2, "rc 3 status unknown new [dns-failure] resolved [] pending [dns-failure] runs 12");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, "rc 3 status unknown new [] resolved [] pending [] runs 13");
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [dns-failure] pending [] runs 14");
    w_free(&w);
}
END_TEST

/* A resolver that lies (NXDOMAIN for everything, resolver-broken) holds
 * every reported key: ptr-missing is neither resolved nor made new by it,
 * whatever it says about the PTR. */
START_TEST(resolver_broken_holds)
{
    SKIP_UNLESS_READY("resolver_broken_holds");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    DRIFT(&w, 2, "rc 2 status critical new [ptr-missing] resolved [] pending [] runs 1");
    w_dns(&w, DNS_LIAR);
    DRIFT(&w, 2, "rc 2 status critical new [] resolved [] pending [resolver-broken,dns-failure,dns-failure] runs 2");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, CRIT_NONE(3));
    w_dns(&w, DNS_LIAR);
    DRIFT(&w, 2, "rc 2 status critical new [] resolved [] pending [resolver-broken,dns-failure,dns-failure] runs 4");
    w_dns(&w, DNS_PTR);
    DRIFT(&w, 2, "rc 0 status ok new [] resolved [ptr-missing] pending [] runs 5");
    w_free(&w);
}
END_TEST

/* --format nagios with a state: the status word and the long output are
 * those of the damped state, as the exit status is. */
START_TEST(nagios_damped)
{
    SKIP_UNLESS_READY("nagios_damped");
    struct world w;
    w_init(&w, DNS_PTR);
    char *args = xasprintf("--format nagios --timeout 2 --state '%s'", w.state);
    static const struct {
        enum dns_mode dns;
        int rc;
        const char *head; /* the first line's start */
        bool names_ptr;   /* the long output names ptr-missing */
    } steps[] = {
        { DNS_PTR, 0, "MTA-PREFLIGHT OK - ", false },
        { DNS_NO_PTR, 0, "MTA-PREFLIGHT OK - ", false },           /* pending */
        { DNS_NO_PTR, 2, "MTA-PREFLIGHT CRITICAL - ", true },      /* new */
        { DNS_SERVFAIL, 2, "MTA-PREFLIGHT CRITICAL - ", true },    /* held */
        { DNS_PTR, 2, "MTA-PREFLIGHT CRITICAL - ", true },         /* missed once */
        { DNS_PTR, 0, "MTA-PREFLIGHT OK - ", false },              /* resolved */
    };
    for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
        w_dns(&w, steps[k].dns);
        struct proc p;
        run(&w, args, &p);
        ck_assert_msg(p.rc == steps[k].rc, "step %zu: rc %d: %s", k, p.rc, p.out);
        ck_assert_msg(strncmp(p.out, steps[k].head, strlen(steps[k].head)) == 0, "step %zu: %s", k, p.out);
        ck_assert_msg((strstr(p.out, "\ncritical ptr-missing ") != NULL) == steps[k].names_ptr, "step %zu: %s", k,
                      p.out);
        p_free(&p);
    }
    free(args);
    w_free(&w);
}
END_TEST

/* --quiet prints nothing when nothing changed (also while a change is only
 * pending), on a healthy host with or without a state; a confirmed change
 * is printed. */
START_TEST(quiet_runs)
{
    SKIP_UNLESS_READY("quiet_runs");
    struct world w;
    w_init(&w, DNS_PTR);
    struct proc p;
    char *args = xasprintf("--quiet --state '%s'", w.state);
    for (int k = 0; k < 2; k++) {
        run(&w, args, &p);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.out, "");
        ck_assert_str_eq(p.err, "");
        p_free(&p);
    }
    run(&w, "--quiet", &p);
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.out, "");
    ck_assert_str_eq(p.err, "");
    p_free(&p);
    w_dns(&w, DNS_NO_PTR);
    run(&w, args, &p); /* pending: no report yet */
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.out, "");
    p_free(&p);
    run(&w, args, &p);
    ck_assert_int_eq(p.rc, 2);
    ck_assert_msg(strncmp(p.out, "mta-preflight: CRITICAL - 1 new, 0 resolved, 0 pending\n", 55) == 0, "%s", p.out);
    ck_assert_ptr_nonnull(strstr(p.out, "critical ptr-missing (ipv4 192.0.2.10)"));
    p_free(&p);
    run(&w, args, &p); /* known and unchanged: silent, still critical */
    ck_assert_int_eq(p.rc, 2);
    ck_assert_str_eq(p.out, "");
    ck_assert_str_eq(p.err, "");
    p_free(&p);
    run(&w, "--quiet", &p); /* without a state a critical host speaks */
    ck_assert_int_eq(p.rc, 2);
    ck_assert_ptr_nonnull(strstr(p.out, "ptr-missing"));
    p_free(&p);
    free(args);
    w_free(&w);
}
END_TEST

/* A state file that is no state: moved aside with one line on stderr, and
 * the run is a first run (reports everything); the next run goes on. */
START_TEST(corrupt_state_file)
{
    SKIP_UNLESS_READY("corrupt_state_file");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    ts_write_file(w.state, "{\"schema\": 1, \"runs\": 4, \"findings\": [");
    char *got = drift(&w, 2, "");
    char *want = xasprintf("rc 2 status critical new [ptr-missing] resolved [] pending [] runs 1 stderr "
                           "mta-preflight: warning: state '%s' could not be read; moved it to '%s.corrupt' and "
                           "started afresh\n",
                           w.state, w.state);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    char *aside = xasprintf("%s.corrupt", w.state);
    char *text = ts_read_file(aside, NULL);
    ck_assert_str_eq(text, "{\"schema\": 1, \"runs\": 4, \"findings\": [");
    free(text);
    free(aside);
    DRIFT(&w, 2, CRIT_NONE(2));
    w_free(&w);
}
END_TEST

/* --- the state file under stress ----------------------------------------- */

/* Runs at the same time: every run either records itself or (waiting
 * longer than its --timeout) exits 3 with one line; the file always
 * parses and counts exactly the runs that recorded themselves. */
START_TEST(concurrent_runs)
{
    SKIP_UNLESS_READY("concurrent_runs");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    enum { N = 8 };
    char *args = xasprintf("--format json --timeout 2 --state '%s'", w.state);
    char *cmd = w_cmd(&w, args);
    struct proc p[N];
    for (int k = 0; k < N; k++)
        p_start(&p[k], cmd, -1);
    int recorded = 0;
    char *lock_line = xasprintf("mta-preflight: state '%s' is in use by another run; giving up after the timeout\n",
                                w.state);
    for (int k = 0; k < N; k++) {
        p_wait(&p[k], 30000);
        if (p[k].rc == 3) {
            ck_assert_str_eq(p[k].err, lock_line);
            ck_assert_str_eq(p[k].out, "");
        } else {
            ck_assert_msg(p[k].rc == 2, "run %d: rc %d: %s", k, p[k].rc, p[k].err);
            recorded++;
        }
        p_free(&p[k]);
    }
    ck_assert_int_ge(recorded, 1);
    ck_assert_int_eq(state_runs(w.state), recorded);
    free(cmd);
    free(args);

    /* A run that holds the lock for its whole --timeout (silent DNS): the
     * second gives up after its own --timeout with one line and exit 3,
     * and leaves the file as it was. */
    char *before = ts_read_file(w.state, NULL);
    w_dns(&w, DNS_SILENT);
    args = xasprintf("--format json --timeout 3 --state '%s'", w.state);
    cmd = w_cmd(&w, args);
    struct proc slow, second;
    p_start(&slow, cmd, -1);
    free(cmd);
    free(args);
    sleep_ms(300);
    args = xasprintf("--format json --timeout 1 --state '%s'", w.state);
    cmd = w_cmd(&w, args);
    p_start(&second, cmd, -1);
    p_wait(&second, 10000);
    char *mid = ts_read_file(w.state, NULL);
    ck_assert_str_eq(mid, before);
    ck_assert_int_eq(second.rc, 3);
    ck_assert_str_eq(second.err, lock_line);
    ck_assert_str_eq(second.out, "");
    ck_assert_msg(second.ms >= 1000 && second.ms < 2000, "the second run took %lld ms", second.ms);
    p_wait(&slow, 10000);
    ck_assert_int_eq(slow.rc, 2); /* the reported ptr-missing is held */
    ck_assert_int_eq(state_runs(w.state), recorded + 1);
    p_free(&slow);
    p_free(&second);
    free(mid);
    free(before);
    free(lock_line);
    free(cmd);
    free(args);
    w_free(&w);
}
END_TEST

/* A state directory the user cannot write, a state file the user cannot
 * read: one line and exit 3 (0 with --hook), no crash, nothing written. */
START_TEST(unwritable_state)
{
    SKIP_UNLESS_READY("unwritable_state");
    if (access("/usr/sbin/runuser", X_OK) != 0) {
        printf("skipped drift unwritable_state: runuser is missing\n");
        return;
    }
    struct world w;
    w_init(&w, DNS_PTR);
    static const char *const extra[] = { "", "--format json", "--hook" };
    for (size_t k = 0; k < 3; k++) {
        char *cmd = xasprintf("exec runuser -u nobody -- '%s' audit --postfix-dir '%s/postfix' --no-exim "
                              "--system-hostname mail --dns-server %s --timeout 1 --state '%s' %s",
                              ts_bin(), conf_dir, w.server, w.state, extra[k]);
        struct proc p;
        p_start(&p, cmd, -1);
        p_wait(&p, 10000);
        char *want = xasprintf("mta-preflight: cannot write state '%s': Permission denied\n", w.state);
        ck_assert_int_eq(p.rc, k == 2 ? 0 : 3);
        ck_assert_str_eq(p.err, want);
        ck_assert_str_eq(p.out, "");
        free(want);
        p_free(&p);
        free(cmd);
    }
    char *left = leftovers(w.dir, "state");
    ck_assert_str_eq(left, "");
    free(left);
    /* A directory nobody may write, with a state file only root may read. */
    struct proc p;
    char *args = xasprintf("--state '%s'", w.state);
    run(&w, args, &p);
    ck_assert_int_eq(p.rc, 0);
    p_free(&p);
    chmod(w.dir, 0777);
    chmod(w.state, 0600);
    char *lock = xasprintf("%s.lock", w.state);
    chmod(lock, 0666);
    free(lock);
    char *cmd = xasprintf("exec runuser -u nobody -- '%s' audit --postfix-dir '%s/postfix' --no-exim "
                          "--system-hostname mail --dns-server %s --timeout 1 --state '%s'",
                          ts_bin(), conf_dir, w.server, w.state);
    p_start(&p, cmd, -1);
    p_wait(&p, 10000);
    char *want = xasprintf("mta-preflight: cannot read state '%s': Permission denied\n", w.state);
    ck_assert_int_eq(p.rc, 3);
    ck_assert_str_eq(p.err, want);
    ck_assert_int_eq(state_runs(w.state), 1);
    free(want);
    free(cmd);
    free(args);
    p_free(&p);
    w_free(&w);
}
END_TEST

/* Runs killed with SIGKILL at random moments, and one stopped right after
 * it created its temporary file: the previous state survives intact and
 * parses, and the next run goes on from it. */
START_TEST(killed_while_writing)
{
    SKIP_UNLESS_READY("killed_while_writing");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    char *args = xasprintf("--format json --timeout 2 --state '%s'", w.state);
    char *cmd = w_cmd(&w, args);
    struct proc p;
    p_start(&p, cmd, -1);
    p_wait(&p, 30000);
    ck_assert_int_eq(p.rc, 2);
    long long typical = p.ms;
    p_free(&p);
    ck_assert_int_eq(state_runs(w.state), 1);

    /* Stopped just after it made STATE.tmp.*: the old file is untouched. */
    int ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    ck_assert_int_ge(ino, 0);
    ck_assert_int_ge(inotify_add_watch(ino, w.dir, IN_CREATE), 0);
    int caught = 0;
    for (int attempt = 0; attempt < 20 && caught < 3; attempt++) {
        char *before = ts_read_file(w.state, NULL);
        int runs_before = state_runs(w.state);
        p_start(&p, cmd, -1);
        bool stopped = false;
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        long long t0 = now_ms();
        while (!stopped && now_ms() - t0 < 20000) {
            struct pollfd pf = { ino, POLLIN, 0 };
            poll(&pf, 1, 100);
            ssize_t n = read(ino, buf, sizeof(buf));
            for (char *q = buf; n > 0 && q < buf + n;) {
                struct inotify_event *ev = (struct inotify_event *)q;
                if (ev->len && strncmp(ev->name, "state.json.tmp.", 15) == 0) {
                    kill(p.pid, SIGSTOP);
                    stopped = true;
                }
                q += sizeof(*ev) + ev->len;
            }
        }
        ck_assert(stopped);
        char *tmp = leftovers(w.dir, "state.json.tmp.");
        char *mid = ts_read_file(w.state, NULL);
        if (*tmp) {
            caught++;
            ck_assert_str_eq(mid, before); /* the rename has not happened */
        }
        ck_assert_int_ge(state_runs(w.state), runs_before);
        kill(p.pid, SIGKILL);
        p_wait(&p, 30000);
        ck_assert_int_eq(p.rc, 128 + SIGKILL);
        int after = state_runs(w.state);
        ck_assert_msg(after == runs_before || after == runs_before + 1, "runs %d after %d", after, runs_before);
        p_free(&p);
        free(tmp);
        free(mid);
        free(before);
    }
    close(ino);
    /* On a file system whose fsync is instant (tmpfs) the window between
     * creating and renaming the temporary file may be too short to hit. */
    if (caught == 0)
        printf("skipped drift killed_while_writing (stopped mid-write): no run was caught before its rename\n");

    /* SIGKILL at random moments of the run. */
    srand((unsigned)getpid());
    for (int k = 0; k < 30; k++) {
        int runs_before = state_runs(w.state);
        ck_assert_int_ge(runs_before, 1);
        p_start(&p, cmd, -1);
        sleep_ms(rand() % (typical + 20));
        kill(p.pid, SIGKILL);
        p_wait(&p, 30000);
        int after = state_runs(w.state);
        ck_assert_msg(after == runs_before || after == runs_before + 1, "kill %d: runs %d after %d", k, after,
                      runs_before);
        p_free(&p);
    }
    /* The next run parses what is there (no .corrupt) and adds itself; no
     * temporary file is left once a run has completed. */
    int runs_before = state_runs(w.state);
    p_start(&p, cmd, -1);
    p_wait(&p, 30000);
    ck_assert_int_eq(p.rc, 2);
    ck_assert_str_eq(p.err, "");
    p_free(&p);
    ck_assert_int_eq(state_runs(w.state), runs_before + 1);
    char *left = leftovers(w.dir, "state.json.");
    ck_assert_str_eq(left, "state.json.lock");
    free(left);
    free(cmd);
    free(args);
    w_free(&w);
}
END_TEST

/* --- --output ---------------------------------------------------------------- */

/* --output: mode 0644 even under umask 077, nothing on stdout, the exit
 * status unchanged, written whatever the status (also with --quiet on a
 * healthy host), no temporary file left. */
START_TEST(output_file)
{
    SKIP_UNLESS_READY("output_file");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    char *out = xasprintf("%s/report.json", w.dir);
    struct proc plain, p;
    run(&w, "--format json", &plain);
    ck_assert_int_eq(plain.rc, 2);
    char *args = xasprintf("--format json --output '%s'", out);
    char *cmd = w_cmd(&w, args);
    char *um = xasprintf("umask 077; %s", cmd);
    p_start(&p, um, -1);
    p_wait(&p, 30000);
    ck_assert_int_eq(p.rc, 2);
    ck_assert_str_eq(p.out, "");
    ck_assert_str_eq(p.err, "");
    struct stat sb;
    ck_assert_int_eq(stat(out, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 07777, 0644);
    char *text = ts_read_file(out, NULL);
    json_object *root = json_tokener_parse(text), *v;
    ck_assert_ptr_nonnull(root);
    ck_assert(json_object_object_get_ex(root, "status", &v));
    ck_assert_str_eq(json_object_get_string(v), "critical");
    json_object_put(root);
    free(text);
    p_free(&p);
    p_free(&plain);
    free(um);
    free(cmd);
    free(args);

    /* Healthy and --quiet: the file is still written; text, nagios and
     * prometheus formats too. */
    w_dns(&w, DNS_PTR);
    static const char *const fmt[] = { "text", "nagios", "prometheus", "json" };
    static const char *const head[] = { "mta-preflight", "MTA-PREFLIGHT OK", "# HELP", "{" };
    for (int k = 0; k < 4; k++) {
        unlink(out);
        args = xasprintf("--quiet --format %s --output '%s'", fmt[k], out);
        run(&w, args, &p);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.out, "");
        text = ts_read_file(out, NULL);
        ck_assert_msg(text && strncmp(text, head[k], strlen(head[k])) == 0, "%s: '%s'", fmt[k], text);
        free(text);
        p_free(&p);
        free(args);
    }
    /* An output file in a directory that does not exist: one line, exit 3. */
    run(&w, "--output /nonexistent-dir/report.json", &p);
    ck_assert_int_eq(p.rc, 3);
    ck_assert_str_eq(p.out, "");
    ck_assert_str_eq(p.err, "mta-preflight: cannot write '/nonexistent-dir/report.json': No such file or directory\n");
    p_free(&p);
    char *left = leftovers(w.dir, "report.json.");
    ck_assert_str_eq(left, "");
    free(left);
    free(out);
    w_free(&w);
}
END_TEST

/* A reader that reads the --output file again and again while runs replace
 * it never sees a partial file. */
START_TEST(output_is_atomic)
{
    SKIP_UNLESS_READY("output_is_atomic");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    char *out = xasprintf("%s/report.json", w.dir);
    char *args = xasprintf("--format json --output '%s'", out);
    struct proc p;
    run(&w, args, &p);
    ck_assert_int_eq(p.rc, 2);
    p_free(&p);
    int pfd[2];
    ck_assert_int_eq(pipe(pfd), 0);
    fflush(NULL);
    pid_t reader = fork();
    ck_assert_int_ge(reader, 0);
    if (reader == 0) {
        /* Read until the parent closes the pipe; report reads and bad reads. */
        close(pfd[1]);
        fcntl(pfd[0], F_SETFL, O_NONBLOCK);
        long reads = 0, bad = 0;
        char c;
        while (read(pfd[0], &c, 1) < 0 && errno == EAGAIN) {
            char *text = ts_read_file(out, NULL);
            json_object *root = text ? json_tokener_parse(text) : NULL;
            reads++;
            if (!root || !json_object_is_type(root, json_type_object))
                bad++;
            if (root)
                json_object_put(root);
            free(text);
        }
        printf("drift output: a reader read the --output file %ld times while it was replaced, %ld partial\n", reads,
               bad);
        fflush(stdout);
        _exit(bad == 0 ? 0 : 1);
    }
    close(pfd[0]);
    char *cmd = w_cmd(&w, args);
    for (int k = 0; k < 15; k++) {
        p_start(&p, cmd, -1);
        p_wait(&p, 30000);
        ck_assert_int_eq(p.rc, 2);
        ck_assert_str_eq(p.out, "");
        p_free(&p);
    }
    close(pfd[1]);
    int status;
    ck_assert_int_eq(waitpid(reader, &status, 0), reader);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the reader saw a partial file");
    char *left = leftovers(w.dir, "report.json.");
    ck_assert_str_eq(left, "");
    free(left);
    free(cmd);
    free(args);
    free(out);
    w_free(&w);
}
END_TEST

/* --- --hook ------------------------------------------------------------------ */

/* A critical host: exit 0, nothing on stdout, at most 5 lines on stderr
 * naming the finding; a healthy host: nothing at all; with --state only a
 * new finding speaks. */
START_TEST(hook_critical_and_healthy)
{
    SKIP_UNLESS_READY("hook_critical_and_healthy");
    struct world w;
    w_init(&w, DNS_NO_PTR);
    struct proc p;
    run(&w, "--hook", &p);
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.out, "");
    char *want = xasprintf("mta-preflight: CRITICAL: what receivers see of this mail server needs attention\n"
                           "  critical ptr-missing %s\n"
                           "run 'mta-preflight' for details and fixes\n",
                           w.id);
    ck_assert_str_eq(p.err, want);
    ck_assert_uint_le(lines(p.err), 5);
    p_free(&p);
    char *args = xasprintf("--hook --state '%s' --confirm 1", w.state);
    run(&w, args, &p); /* the first run: reported */
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.err, want);
    p_free(&p);
    run(&w, args, &p); /* known: silent */
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.err, "");
    ck_assert_str_eq(p.out, "");
    p_free(&p);
    free(args);
    free(want);
    w_dns(&w, DNS_PTR);
    run(&w, "--hook", &p);
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.out, "");
    ck_assert_str_eq(p.err, "");
    p_free(&p);
    /* Usage errors: exit 0 and one line. */
    static const char *const bad[] = { "--hook --frobnicate", "--hook --confirm 0", "--hook --timeout x" };
    for (int k = 0; k < 3; k++) {
        char *cmd = xasprintf("exec '%s' %s", ts_bin(), bad[k]);
        p_start(&p, cmd, -1);
        p_wait(&p, 10000);
        ck_assert_msg(p.rc == 0, "'%s' exited %d", bad[k], p.rc);
        ck_assert_uint_eq(lines(p.err), 1);
        ck_assert_str_eq(p.out, "");
        p_free(&p);
        free(cmd);
    }
    w_free(&w);
}
END_TEST

/* Many findings: still at most 5 lines (the status, three lines about
 * findings, the pointer); beyond three the last counts the rest. */
START_TEST(hook_at_most_five_lines)
{
    SKIP_UNLESS_READY("hook_at_most_five_lines");
    static const int many[] = { 3, 4, 6 };
    int n = many[_i];
    struct world w;
    w_init(&w, DNS_NO_PTR);
    char *cmd = xasprintf("exec ip netns exec %s '%s' audit --postfix-dir '%s/many%d' --no-exim --system-hostname mail "
                          "--dns-server %s --hook",
                          ns, ts_bin(), conf_dir, n, w.server);
    struct proc p;
    p_start(&p, cmd, -1);
    p_wait(&p, 30000);
    ck_assert_int_eq(p.rc, 0);
    ck_assert_str_eq(p.out, "");
    struct strbuf want = STRBUF_INIT;
    strbuf_adds(&want, "mta-preflight: CRITICAL: what receivers see of this mail server needs attention\n");
    int named = n <= 3 ? n : 2;
    for (int k = 1; k <= named; k++)
        strbuf_addf(&want, "  critical ptr-missing postfix:%s/many%d:%s%.0d/unix\n", conf_dir, n, k == 1 ? "smtp" : "out",
                    k == 1 ? 0 : k);
    if (named < n)
        strbuf_addf(&want, "  and %d more\n", n - named);
    strbuf_adds(&want, "run 'mta-preflight' for details and fixes\n");
    ck_assert_str_eq(p.err, want.buf);
    ck_assert_uint_le(lines(p.err), 5);
    strbuf_release(&want);
    p_free(&p);
    free(cmd);
    w_free(&w);
}
END_TEST

/* DNS that never answers: the hook ends within its --timeout plus one
 * second (also the default 3 s), silently (unknown), exit 0; and it never
 * reads standard input: a pipe that is never written nor closed. */
START_TEST(hook_bounds_and_stdin)
{
    SKIP_UNLESS_READY("hook_bounds_and_stdin");
    struct world w;
    w_init(&w, DNS_SILENT);
    static const struct {
        const char *args;
        long long bound_ms;
    } cases[] = { { "--hook --timeout 1", 2000 }, { "--hook", 4000 }, { "--hook --timeout 2 --state 'STATE'", 3000 } };
    for (int k = 0; k < 3; k++) {
        struct strbuf a = STRBUF_INIT;
        const char *st = strstr(cases[k].args, "STATE");
        if (st)
            strbuf_addf(&a, "%.*s%s'", (int)(st - cases[k].args), cases[k].args, w.state);
        else
            strbuf_adds(&a, cases[k].args);
        char *cmd = w_cmd(&w, a.buf);
        int in[2];
        ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
        struct proc p;
        p_start(&p, cmd, in[0]);
        p_wait(&p, cases[k].bound_ms + 5000);
        printf("drift hook: %s with silent DNS ended after %lld ms (bound %lld ms)\n", cases[k].args, p.ms,
               cases[k].bound_ms);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_msg(p.ms < cases[k].bound_ms, "'%s' took %lld ms", cases[k].args, p.ms);
        ck_assert_str_eq(p.out, "");
        ck_assert_str_eq(p.err, "");
        close(in[0]);
        close(in[1]);
        p_free(&p);
        free(cmd);
        strbuf_release(&a);
    }
    /* A healthy host with stdin a silent pipe ends at once too. */
    w_dns(&w, DNS_PTR);
    char *cmd = w_cmd(&w, "--hook");
    int in[2];
    ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
    struct proc p;
    p_start(&p, cmd, in[0]);
    p_wait(&p, 8000);
    ck_assert_int_eq(p.rc, 0);
    ck_assert_msg(p.ms < 2000, "took %lld ms", p.ms);
    close(in[0]);
    close(in[1]);
    p_free(&p);
    free(cmd);
    w_free(&w);
}
END_TEST

Suite *drift_suite(void)
{
    Suite *s = suite_create("drift");
    TCase *tc = tcase_create("drift");
    tcase_add_unchecked_fixture(tc, ns_setup, ns_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, ptr_removed_then_restored, 0, 3);
    tcase_add_test(tc, flapping_ptr);
    tcase_add_test(tc, servfail_run_flips_nothing);
    tcase_add_test(tc, resolver_broken_holds);
    tcase_add_test(tc, nagios_damped);
    tcase_add_test(tc, quiet_runs);
    tcase_add_test(tc, corrupt_state_file);
    tcase_add_test(tc, concurrent_runs);
    tcase_add_test(tc, unwritable_state);
    tcase_add_test(tc, killed_while_writing);
    tcase_add_test(tc, output_file);
    tcase_add_test(tc, output_is_atomic);
    tcase_add_test(tc, hook_critical_and_healthy);
    tcase_add_loop_test(tc, hook_at_most_five_lines, 0, 3);
    tcase_add_test(tc, hook_bounds_and_stdin);
    suite_add_tcase(s, tc);
    return s;
}
