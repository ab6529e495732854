/* test_authoritative - --authoritative and --wait against a real delegation:
 * in a network namespace, nsd serves the root zone (which delegates
 * 2.0.192.in-addr.arpa to ns1.child.test and ns2.child.test, and holds
 * mail.example.com A 192.0.2.10), two more nsd serve the child zone on
 * 127.0.0.2 and 127.0.0.3, and a real caching resolver (unbound, with root
 * hints of its own and no DNSSEC) answers on 127.0.0.4. The built program
 * runs inside the namespace against unbound.
 *
 * Cases: the PTR changed at the child while unbound still caches the old
 * answer (ptr-propagating with the remaining TTL; without --authoritative
 * the cached answer rules), also for the address smtpd listens on (the
 * listener's own finding); two child servers with different data
 * (ptr-servers-disagree); a silent and a lame child server next to a good
 * one (no alarm), and all of them silent (unknown, bounded); --wait with
 * the change 2 s in (ends within a poll interval, passes), a change that
 * never comes (ends at the bound with the findings), Ctrl-C (the audit so
 * far), and the status line under a pseudo-terminal (script(1)).
 *
 * Needs root, nsd and unbound; skipped with a message otherwise. */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/wait.h"
#include "probes/dns.h"
#include "tests/support/netns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define CHILD_ZONE "2.0.192.in-addr.arpa"
#define UNBOUND_ADDR "127.0.0.4"

/* How a child server behaves. */
enum child_mode { CHILD_SERVE, CHILD_SILENT, CHILD_LAME };

struct lab {
    char *ns;
    char *dir;
    struct nsd_harness root, child[2];
    bool root_up, child_up[2];
    int silent_fd[2];
    pid_t unbound;
    char error[2300]; /* what failed, with a server's own error text (up to 2048) */
};

static const char root_zone[] =
    "$ORIGIN .\n"
    "$TTL 3600\n"
    "@ IN SOA ns.root.test. hostmaster.root.test. 1 3600 600 86400 300\n"
    "@ IN NS ns.root.test.\n"
    "ns.root.test. IN A 127.0.0.1\n"
    "ns1.child.test. IN A 127.0.0.2\n"
    "ns2.child.test. IN A 127.0.0.3\n"
    "mail.example.com. IN A 192.0.2.10\n"
    "example.com. IN MX 10 mail.example.com.\n"
    "old.example.net. IN A 192.0.2.10\n"
    CHILD_ZONE ". IN NS ns1.child.test.\n"
    CHILD_ZONE ". IN NS ns2.child.test.\n";

/* The child zone, with the PTR of .10 (NULL: none) and a negative TTL of 300. */
static char *child_zone(const char *ptr, unsigned serial)
{
    return xasprintf("$ORIGIN " CHILD_ZONE ".\n"
                     "$TTL 600\n"
                     "@ IN SOA ns1.child.test. hostmaster.child.test. %u 3600 600 86400 300\n"
                     "@ IN NS ns1.child.test.\n"
                     "@ IN NS ns2.child.test.\n"
                     "%s%s%s",
                     serial, ptr ? "10 IN PTR " : "", ptr ? ptr : "", ptr ? ".\n" : "");
}

static int lab_fail(struct lab *l, const char *what, const char *why)
{
    snprintf(l->error, sizeof(l->error), "%s: %s", what, why);
    return -1;
}

/* A UDP socket on address:53 in the namespace that never answers. */
static int lab_silent(struct lab *l, const char *address)
{
    int saved = netns_enter(l->ns);
    if (saved < 0)
        return -1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    netns_leave(saved);
    struct sockaddr_in sin = { 0 };
    sin.sin_family = AF_INET;
    sin.sin_port = htons(53);
    inet_pton(AF_INET, address, &sin.sin_addr);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/* (Re)start child i (0 or 1) in mode, serving ptr. */
static int lab_child(struct lab *l, int i, enum child_mode mode, const char *ptr, unsigned serial)
{
    const char *address = i == 0 ? "127.0.0.2" : "127.0.0.3";
    if (l->child_up[i]) {
        nsd_harness_stop(&l->child[i]);
        l->child_up[i] = false;
    }
    if (l->silent_fd[i] >= 0) {
        close(l->silent_fd[i]);
        l->silent_fd[i] = -1;
    }
    if (mode == CHILD_SILENT) {
        l->silent_fd[i] = lab_silent(l, address);
        return l->silent_fd[i] >= 0 ? 0 : lab_fail(l, "silent server", strerror(errno));
    }
    char *text = mode == CHILD_LAME ? xstrdup("$ORIGIN other.test.\n$TTL 600\n"
                                              "@ IN SOA ns1.child.test. hostmaster.child.test. 1 3600 600 86400 300\n"
                                              "@ IN NS ns1.child.test.\n")
                                    : child_zone(ptr, serial);
    struct nsd_zone z = { mode == CHILD_LAME ? "other.test" : CHILD_ZONE, text };
    struct nsd_harness_opts o = { l->ns, address, 53 };
    int rc = nsd_harness_start(&l->child[i], &z, 1, &o);
    free(text);
    if (rc != 0)
        return lab_fail(l, "child nsd", l->child[i].error);
    l->child_up[i] = true;
    return 0;
}

static int lab_unbound(struct lab *l)
{
    char *hints = xasprintf("%s/root.hints", l->dir);
    ts_write_file(hints, ". 3600000 NS ns.root.test.\nns.root.test. 3600000 A 127.0.0.1\n");
    char *conf = xasprintf("%s/unbound.conf", l->dir);
    char *text = xasprintf("server:\n"
                           "  interface: " UNBOUND_ADDR "\n"
                           "  port: 53\n"
                           "  do-ip6: no\n"
                           "  do-daemonize: no\n"
                           "  username: \"\"\n"
                           "  chroot: \"\"\n"
                           "  directory: \"%s\"\n"
                           "  pidfile: \"\"\n"
                           "  use-syslog: no\n"
                           "  logfile: \"\"\n"
                           "  verbosity: 0\n"
                           "  do-not-query-localhost: no\n"
                           "  access-control: 127.0.0.0/8 allow\n"
                           "  module-config: \"iterator\"\n"
                           "  root-hints: \"%s\"\n"
                           "  qname-minimisation: no\n"
                           "  harden-referral-path: no\n"
                           "  num-threads: 1\n"
                           /* unbound answers the documentation ranges and
                            * .test itself unless told not to. */
                           "  local-zone: \"" CHILD_ZONE ".\" nodefault\n"
                           "  local-zone: \"test.\" nodefault\n"
                           "remote-control:\n"
                           "  control-enable: no\n",
                           l->dir, hints);
    ts_write_file(conf, text);
    free(text);
    free(hints);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("ip", "ip", "netns", "exec", l->ns, "unbound", "-d", "-c", conf, (char *)NULL);
        _exit(127);
    }
    free(conf);
    if (pid < 0)
        return lab_fail(l, "unbound", strerror(errno));
    l->unbound = pid;
    if (!netns_wait_for(5000, "ip netns exec %s dig +time=1 +tries=1 +short @" UNBOUND_ADDR
                              " mail.example.com A | grep -q 192.0.2.10",
                        l->ns))
        return lab_fail(l, "unbound", "does not answer within 5 s");
    return 0;
}

/* lab_start - the namespace, the root, both children and unbound. */
static int lab_start(struct lab *l, enum child_mode m0, const char *ptr0, enum child_mode m1, const char *ptr1)
{
    memset(l, 0, sizeof(*l));
    l->silent_fd[0] = l->silent_fd[1] = -1;
    l->ns = netns_name("auth");
    l->dir = ts_tmpdir("auth");
    netns_del(l->ns);
    if (netns_add(l->ns) != 0)
        return lab_fail(l, "namespace", netns_error());
    struct nsd_zone z = { ".", root_zone };
    struct nsd_harness_opts o = { l->ns, "127.0.0.1", 53 };
    if (nsd_harness_start(&l->root, &z, 1, &o) != 0)
        return lab_fail(l, "root nsd", l->root.error);
    l->root_up = true;
    if (lab_child(l, 0, m0, ptr0, 1) != 0 || lab_child(l, 1, m1, ptr1, 1) != 0)
        return -1;
    return lab_unbound(l);
}

static void lab_stop(struct lab *l)
{
    if (l->unbound > 0) {
        kill(l->unbound, SIGTERM);
        waitpid(l->unbound, NULL, 0);
        l->unbound = 0;
    }
    for (int i = 0; i < 2; i++) {
        if (l->child_up[i])
            nsd_harness_stop(&l->child[i]);
        if (l->silent_fd[i] >= 0)
            close(l->silent_fd[i]);
    }
    if (l->root_up)
        nsd_harness_stop(&l->root);
    if (l->ns) {
        netns_del(l->ns);
        free(l->ns);
    }
    if (l->dir) {
        ts_rmtree(l->dir);
        free(l->dir);
    }
    memset(l, 0, sizeof(*l));
}

static bool lab_can_run(const char *test)
{
    if (!ts_is_root()) {
        printf("skipped %s: needs root (network namespaces, port 53)\n", test);
        return false;
    }
    if (ts_run("command -v unbound >/dev/null && command -v nsd >/dev/null && command -v dig >/dev/null", NULL,
               NULL) != 0) {
        printf("skipped %s: needs unbound, nsd and dig (sh tests/install-deps.sh)\n", test);
        return false;
    }
    return true;
}

/* The program's command line in the lab. */
static char *lab_cmd(const struct lab *l, const char *extra)
{
    char dir[PATH_MAX];
    if (!realpath("samples/demo/postfix", dir))
        snprintf(dir, sizeof(dir), "samples/demo/postfix");
    return xasprintf("ip netns exec %s '%s' audit --postfix-dir '%s' --no-exim --system-hostname mail "
                     "--family ipv4 --source-ip 192.0.2.10 --helo mail.example.com --dns-server " UNBOUND_ADDR
                     " --timeout 3 --format json %s",
                     l->ns, ts_bin(), dir, extra);
}

struct run {
    int rc;
    long long ms;
    char *out, *err;
    struct json_object *json;
    struct strbuf ids; /* "id id ..." of the findings, in report order, unique */
};

static void run_parse(struct run *r)
{
    if (getenv("MP_AUTH_VERBOSE"))
        fprintf(stderr, "--- rc %d, %lld ms\n%s\n%s\n", r->rc, r->ms, r->out ? r->out : "", r->err ? r->err : "");
    r->json = r->out ? json_tokener_parse(r->out) : NULL;
    strbuf_init(&r->ids);
    struct json_object *fl, *f, *id;
    if (!r->json || !json_object_object_get_ex(r->json, "findings", &fl))
        return;
    for (size_t i = 0; i < json_object_array_length(fl); i++) {
        f = json_object_array_get_idx(fl, i);
        if (!json_object_object_get_ex(f, "id", &id))
            continue;
        const char *s = json_object_get_string(id);
        char *have = xasprintf(" %s ", r->ids.buf);
        char *key = xasprintf(" %s ", s);
        if (!strstr(have, key))
            strbuf_addf(&r->ids, "%s%s", r->ids.len ? " " : "", s);
        free(key);
        free(have);
    }
    strbuf_addc(&r->ids, ' ');
    r->ids.buf[--r->ids.len] = '\0';
}

static void lab_run(const struct lab *l, const char *extra, struct run *r)
{
    memset(r, 0, sizeof(*r));
    char *cmd = lab_cmd(l, extra);
    long long t0 = dns_now_ms();
    r->rc = ts_run(cmd, &r->out, &r->err);
    r->ms = dns_now_ms() - t0;
    free(cmd);
    run_parse(r);
}

static void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
    if (r->json)
        json_object_put(r->json);
    strbuf_release(&r->ids);
}

/* The message of the first finding id, or NULL. */
static const char *run_message(const struct run *r, const char *want)
{
    struct json_object *fl, *f, *v;
    if (!r->json || !json_object_object_get_ex(r->json, "findings", &fl))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(fl); i++) {
        f = json_object_array_get_idx(fl, i);
        if (json_object_object_get_ex(f, "id", &v) && strcmp(json_object_get_string(v), want) == 0
            && json_object_object_get_ex(f, "message", &v))
            return json_object_get_string(v);
    }
    return NULL;
}

/* The TTL the resolver reported for the PTR of 192.0.2.10, or -2. */
static long run_resolver_ttl(const struct run *r)
{
    struct json_object *ls, *e, *v;
    if (!r->json || !json_object_object_get_ex(r->json, "lookups", &ls))
        return -2;
    for (size_t i = 0; i < json_object_array_length(ls); i++) {
        e = json_object_array_get_idx(ls, i);
        if (json_object_object_get_ex(e, "authoritative_server", &v))
            continue;
        if (!json_object_object_get_ex(e, "type", &v) || strcmp(json_object_get_string(v), "PTR") != 0)
            continue;
        if (!json_object_object_get_ex(e, "name", &v) || strcmp(json_object_get_string(v), "10." CHILD_ZONE) != 0)
            continue;
        if (!json_object_object_get_ex(e, "ttl", &v) || !v)
            return -1;
        return (long)json_object_get_int64(v);
    }
    return -2;
}

#define LAB_START(l, m0, p0, m1, p1)                                                                    \
    do {                                                                                               \
        if (lab_start(l, m0, p0, m1, p1) != 0) {                                                       \
            char msg[2400];                                                                            \
            snprintf(msg, sizeof(msg), "%s", (l)->error);                                              \
            lab_stop(l);                                                                               \
            ck_abort_msg("%s", msg);                                                                   \
        }                                                                                              \
    } while (0)

static void warm_cache(const struct lab *l)
{
    char *cmd = xasprintf("ip netns exec %s dig +time=2 +tries=1 @" UNBOUND_ADDR " -x 192.0.2.10", l->ns);
    char *out = NULL;
    ts_run(cmd, &out, NULL);
    ck_assert_msg(out && strstr(out, "NXDOMAIN"), "unbound did not cache NXDOMAIN: %s", out ? out : "");
    free(out);
    free(cmd);
}

START_TEST(cached_old_answer_is_propagating)
{
    if (!lab_can_run("cached_old_answer_is_propagating"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    warm_cache(&l);
    /* The owner sets the PTR; unbound still has the NXDOMAIN. */
    ck_assert_int_eq(lab_child(&l, 0, CHILD_SERVE, "mail.example.com", 2), 0);
    ck_assert_int_eq(lab_child(&l, 1, CHILD_SERVE, "mail.example.com", 2), 0);

    struct run plain, auth;
    lab_run(&l, "", &plain);
    lab_run(&l, "--authoritative", &auth);
    lab_stop(&l);
    /* The resolver alone: the cached NXDOMAIN rules. */
    ck_assert_msg(plain.json, "%s %s", plain.out, plain.err);
    ck_assert_int_eq(plain.rc, 2);
    ck_assert_str_eq(plain.ids.buf, "ptr-missing inbound-ptr-missing"); /* .10 sends and receives */
    /* With the servers: live at the source, passes, with the TTL left. */
    ck_assert_msg(auth.json, "%s %s", auth.out, auth.err);
    ck_assert_int_eq(auth.rc, 0);
    ck_assert_str_eq(auth.ids.buf, "ptr-propagating");
    long ttl = run_resolver_ttl(&auth);
    ck_assert_msg(ttl > 200 && ttl <= 300, "resolver TTL %ld", ttl);
    const char *m = run_message(&auth, "ptr-propagating");
    char *want = xasprintf("(the TTL it reports: %ld s)", ttl);
    ck_assert_msg(m && strstr(m, want) && strstr(m, "already serve the PTR mail.example.com")
                      && strstr(m, "still answers no PTR (nxdomain)") && strstr(m, "127.0.0.2:53, 127.0.0.3:53"),
                  "%s", m ? m : "(none)");
    free(want);
    ck_assert_ptr_nonnull(strstr(auth.out, "\"ptr_from\":\"authoritative\""));
    ck_assert_ptr_nonnull(strstr(auth.out, "\"zone\":\"" CHILD_ZONE "\""));
    /* Five rounds at most: resolver, NS, server addresses, the servers. */
    ck_assert_msg(auth.ms < 4000, "took %lld ms", auth.ms);
    run_free(&plain);
    run_free(&auth);
}
END_TEST

/* run_identities - the identities of the findings with id want, each
 * without its configuration directory ("smtp/unix"), in report order,
 * space-separated; newly allocated. */
static char *run_identities(const struct run *r, const char *want)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    struct json_object *fl, *f, *v;
    if (!r->json || !json_object_object_get_ex(r->json, "findings", &fl))
        return strbuf_detach(&sb);
    for (size_t i = 0; i < json_object_array_length(fl); i++) {
        f = json_object_array_get_idx(fl, i);
        if (!json_object_object_get_ex(f, "id", &v) || strcmp(json_object_get_string(v), want) != 0
            || !json_object_object_get_ex(f, "identity", &v))
            continue;
        const char *id = json_object_get_string(v);
        const char *last = strrchr(id, ':');
        strbuf_addf(&sb, "%s%s", sb.len ? " " : "", last ? last + 1 : id);
    }
    return strbuf_detach(&sb);
}

/* The audited host receives mail on the address it sends from (the
 * wildcard smtpd behind --source-ip): the listening address's PTR is
 * propagating too. The listener gets its own ptr-propagating (its id),
 * each transport one, and no identity two; inbound[].reverse_zones says
 * the servers' answer won. */
START_TEST(listening_address_is_propagating)
{
    if (!lab_can_run("listening_address_is_propagating"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    warm_cache(&l);
    ck_assert_int_eq(lab_child(&l, 0, CHILD_SERVE, "mail.example.com", 2), 0);
    ck_assert_int_eq(lab_child(&l, 1, CHILD_SERVE, "mail.example.com", 2), 0);
    struct run r;
    lab_run(&l, "--authoritative", &r);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.ids.buf, "ptr-propagating");
    char *who = run_identities(&r, "ptr-propagating");
    ck_assert_str_eq(who, "smtp/unix relay/unix smtp/inet");
    free(who);
    struct json_object *in, *zones, *z, *v;
    ck_assert(json_object_object_get_ex(r.json, "inbound", &in));
    ck_assert_uint_eq(json_object_array_length(in), 1);
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(in, 0), "reverse_zones", &zones));
    ck_assert_uint_eq(json_object_array_length(zones), 1);
    z = json_object_array_get_idx(zones, 0);
    ck_assert(json_object_object_get_ex(z, "address", &v));
    ck_assert_str_eq(json_object_get_string(v), "192.0.2.10");
    ck_assert(json_object_object_get_ex(z, "zone", &v));
    ck_assert_str_eq(json_object_get_string(v), CHILD_ZONE);
    ck_assert(json_object_object_get_ex(z, "authoritative", &v));
    ck_assert_str_eq(json_object_get_string(v), "agree");
    ck_assert(json_object_object_get_ex(z, "ptr_from", &v));
    ck_assert_str_eq(json_object_get_string(v), "authoritative");
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(in, 0), "ptr", &v));
    ck_assert_ptr_nonnull(strstr(json_object_to_json_string(v), "mail.example.com"));
    run_free(&r);
}
END_TEST

START_TEST(servers_with_different_data_disagree)
{
    if (!lab_can_run("servers_with_different_data_disagree"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, "mail.example.com", CHILD_SERVE, "old.example.net");
    struct run r;
    lab_run(&l, "--authoritative", &r);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    ck_assert_int_ge(r.rc, 1);
    ck_assert_msg(strstr(r.ids.buf, "ptr-servers-disagree") != NULL, "%s", r.ids.buf);
    const char *m = run_message(&r, "ptr-servers-disagree");
    ck_assert_msg(m && strstr(m, "127.0.0.2:53 serves the PTR mail.example.com")
                      && strstr(m, "127.0.0.3:53 serves the PTR old.example.net"),
                  "%s", m ? m : "(none)");
    ck_assert_ptr_nonnull(strstr(r.out, "\"authoritative\":\"disagree\""));
    run_free(&r);
}
END_TEST

START_TEST(silent_or_lame_server_is_no_alarm)
{
    if (!lab_can_run("silent_or_lame_server_is_no_alarm"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, "mail.example.com", CHILD_SILENT, NULL);
    struct run silent, lame;
    lab_run(&l, "--authoritative", &silent);
    ck_assert_int_eq(lab_child(&l, 1, CHILD_LAME, NULL, 1), 0);
    lab_run(&l, "--authoritative", &lame);
    lab_stop(&l);
    ck_assert_msg(silent.json, "%s %s", silent.out, silent.err);
    ck_assert_int_eq(silent.rc, 0);
    ck_assert_str_eq(silent.ids.buf, "");
    ck_assert_msg(silent.ms < 4000, "took %lld ms", silent.ms);
    ck_assert_ptr_nonnull(strstr(silent.out, "\"authoritative\":\"agree\""));
    ck_assert_msg(lame.json, "%s %s", lame.out, lame.err);
    ck_assert_int_eq(lame.rc, 0);
    ck_assert_str_eq(lame.ids.buf, "");
    ck_assert_ptr_nonnull(strstr(lame.out, "not authoritative for the name (lame delegation)")
                          ? lame.out : strstr(lame.out, "REFUSED from 127.0.0.3:53"));
    run_free(&silent);
    run_free(&lame);
}
END_TEST

START_TEST(all_servers_silent_is_unknown_and_bounded)
{
    if (!lab_can_run("all_servers_silent_is_unknown_and_bounded"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SILENT, NULL, CHILD_SILENT, NULL);
    struct run r;
    lab_run(&l, "--authoritative", &r);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    /* Nothing is known: unknown, never critical or a warning. */
    ck_assert_int_eq(r.rc, 3);
    ck_assert_str_eq(r.ids.buf, "dns-failure");
    ck_assert_msg(r.ms < 3000 + 1000, "took %lld ms", r.ms);
    run_free(&r);
}
END_TEST

/* Start the program in the background; stdout and stderr to files. */
static pid_t lab_spawn(const struct lab *l, const char *extra, const char *outfile, const char *errfile)
{
    char *cmd = lab_cmd(l, extra);
    char *full = xasprintf("exec %s >'%s' 2>'%s' </dev/null", cmd, outfile, errfile);
    free(cmd);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    free(full);
    return pid;
}

static void lab_collect(pid_t pid, const char *outfile, const char *errfile, struct run *r, long long t0)
{
    int status = 0;
    waitpid(pid, &status, 0);
    r->ms = dns_now_ms() - t0;
    r->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = ts_read_file(outfile, NULL);
    r->err = ts_read_file(errfile, NULL);
    run_parse(r);
}

static long long json_wait_int(const struct run *r, const char *key)
{
    struct json_object *w, *v;
    if (!r->json || !json_object_object_get_ex(r->json, "wait", &w) || !json_object_object_get_ex(w, key, &v))
        return -1;
    return (long long)json_object_get_int64(v);
}

static const char *json_wait_ended(const struct run *r)
{
    struct json_object *w, *v;
    if (!r->json || !json_object_object_get_ex(r->json, "wait", &w) || !json_object_object_get_ex(w, "ended", &v))
        return "";
    return json_object_get_string(v);
}

START_TEST(wait_ends_when_the_change_is_live)
{
    if (!lab_can_run("wait_ends_when_the_change_is_live"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    char *o = xasprintf("%s/out", l.dir), *e = xasprintf("%s/err", l.dir);
    long long t0 = dns_now_ms();
    pid_t pid = lab_spawn(&l, "--wait 30", o, e);
    struct timespec two = { 2, 0 };
    nanosleep(&two, NULL);
    ck_assert_int_eq(lab_child(&l, 0, CHILD_SERVE, "mail.example.com", 2), 0);
    ck_assert_int_eq(lab_child(&l, 1, CHILD_SERVE, "mail.example.com", 2), 0);
    /* The change is live once both servers answer with it. */
    long long changed = dns_now_ms() - t0;
    struct run r;
    memset(&r, 0, sizeof(r));
    lab_collect(pid, o, e, &r, t0);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(json_wait_ended(&r), "live");
    ck_assert_str_eq(r.ids.buf, "ptr-propagating");
    /* Polls 2 s, 3 s and 4.5 s apart: the change is seen at the latest one
     * interval after it (the change lands between the first and the third
     * poll), then the final audit. */
    long long polls = json_wait_int(&r, "polls"), queries = json_wait_int(&r, "queries");
    ck_assert_msg(r.ms < changed + 4500 + 1500, "ended %lld ms after the start, change live at %lld ms, %lld polls",
                  r.ms, changed, polls);
    ck_assert_int_ge(polls, 1);
    ck_assert_int_le(polls, 3);
    /* Each poll asks the two servers once. */
    ck_assert_msg(queries > 0 && queries <= 100, "%lld queries", queries);
    /* Not a terminal: no status line. */
    ck_assert_ptr_null(strstr(r.err, "waiting for"));
    free(o);
    free(e);
    run_free(&r);
}
END_TEST

START_TEST(wait_ends_at_the_bound_with_the_findings)
{
    if (!lab_can_run("wait_ends_at_the_bound_with_the_findings"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    struct run r;
    lab_run(&l, "--wait 6", &r);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    ck_assert_int_eq(r.rc, 2);
    ck_assert_str_eq(json_wait_ended(&r), "time");
    ck_assert_str_eq(r.ids.buf, "ptr-missing inbound-ptr-missing");
    ck_assert_msg(r.ms >= 6000 && r.ms < 6000 + 3000 + 1000, "took %lld ms", r.ms);
    /* Polls at 2, 5 s (then 9.5 s is past the bound). */
    ck_assert_int_eq(json_wait_int(&r, "polls"), 2);
    ck_assert_ptr_null(strstr(r.err, "waiting for"));
    run_free(&r);
}
END_TEST

START_TEST(wait_interrupted_prints_the_audit_so_far)
{
    if (!lab_can_run("wait_interrupted_prints_the_audit_so_far"))
        return;
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    char *o = xasprintf("%s/out", l.dir), *e = xasprintf("%s/err", l.dir);
    long long t0 = dns_now_ms();
    pid_t pid = lab_spawn(&l, "--wait 30", o, e);
    struct timespec ts = { 3, 0 };
    nanosleep(&ts, NULL);
    kill(pid, SIGINT);
    struct run r;
    memset(&r, 0, sizeof(r));
    lab_collect(pid, o, e, &r, t0);
    lab_stop(&l);
    ck_assert_msg(r.json, "%s %s", r.out, r.err);
    ck_assert_int_eq(r.rc, 2);
    ck_assert_str_eq(json_wait_ended(&r), "interrupted");
    ck_assert_str_eq(r.ids.buf, "ptr-missing inbound-ptr-missing");
    ck_assert_msg(r.ms < 3000 + 1000, "took %lld ms", r.ms);
    free(o);
    free(e);
    run_free(&r);
}
END_TEST

START_TEST(wait_shows_one_status_line_on_a_terminal)
{
    if (!lab_can_run("wait_shows_one_status_line_on_a_terminal"))
        return;
    if (ts_run("command -v script >/dev/null", NULL, NULL) != 0) {
        printf("skipped wait_shows_one_status_line_on_a_terminal: needs script(1) (util-linux)\n");
        return;
    }
    struct lab l;
    LAB_START(&l, CHILD_SERVE, NULL, CHILD_SERVE, NULL);
    char *cmd = lab_cmd(&l, "--wait 4");
    /* Text output under a pseudo-terminal: script runs it with stdin,
     * stdout and stderr on a pty and copies what it printed. */
    char *textcmd = xasprintf("script -qec \"%s --format text --color never\" /dev/null", cmd);
    char *out = NULL;
    int rc = ts_run(textcmd, &out, NULL);
    lab_stop(&l);
    ck_assert_msg(rc == 2, "exit %d: %s", rc, out ? out : "");
    ck_assert_msg(out && strstr(out, "\r\033[Kwaiting for the PTR at the zone's servers: 192.0.2.10 no PTR; poll 0,"),
                  "%s", out ? out : "");
    /* Never wider than a terminal: \r could not redraw a wrapped line. */
    for (const char *p = strstr(out, "\r\033[K"); p; p = strstr(p + 1, "\r\033[K")) {
        size_t n = strcspn(p + 4, "\r\n");
        ck_assert_msg(n <= 79, "status line of %zu columns", n);
    }
    ck_assert_ptr_nonnull(strstr(out, "poll 1,"));
    /* The line is cleared before the report, which ends the output. */
    ck_assert_ptr_nonnull(strstr(out, "\r\033[K"));
    ck_assert_ptr_nonnull(strstr(out, "wait: the time is up; the PTR findings remain"));
    /* The reverse zone, its SOA and what its servers say. */
    ck_assert_msg(strstr(out, "zone 2.0.192.in-addr.arpa (SOA ns1.child.test, hostmaster@child.test);")
                      && strstr(out, "its servers agree"),
                  "%s", out);
    free(out);
    free(textcmd);
    free(cmd);
}
END_TEST

/* The back-off and the limits: 2 s, then half as long again each time up to
 * 60 s; never faster than once a second, never more than 100 questions a
 * minute however many servers and sources a poll asks. */
START_TEST(poll_intervals_back_off_within_the_limits)
{
    ck_assert_int_eq(wait_interval_ms(0, 2), 2000);
    ck_assert_int_eq(wait_interval_ms(1, 2), 3000);
    ck_assert_int_eq(wait_interval_ms(2, 2), 4500);
    ck_assert_int_eq(wait_interval_ms(20, 2), 60000);
    /* 16 questions a poll: 100 a minute allows one poll every 9.6 s. */
    ck_assert_int_eq(wait_interval_ms(0, 16), 9600);
    for (unsigned q = 1; q <= 200; q++)
        for (unsigned k = 0; k < 30; k++) {
            long long ms = wait_interval_ms(k, q);
            ck_assert_int_ge(ms, 1000);
            ck_assert_msg((long long)q * 60000 / ms <= WAIT_MAX_PER_MINUTE, "%u questions every %lld ms", q, ms);
        }
}
END_TEST

Suite *authoritative_suite(void)
{
    Suite *s = suite_create("authoritative");
    TCase *tc = tcase_create("lab");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, cached_old_answer_is_propagating);
    tcase_add_test(tc, listening_address_is_propagating);
    tcase_add_test(tc, servers_with_different_data_disagree);
    tcase_add_test(tc, silent_or_lame_server_is_no_alarm);
    tcase_add_test(tc, all_servers_silent_is_unknown_and_bounded);
    tcase_add_test(tc, wait_ends_when_the_change_is_live);
    tcase_add_test(tc, wait_ends_at_the_bound_with_the_findings);
    tcase_add_test(tc, wait_interrupted_prints_the_audit_so_far);
    tcase_add_test(tc, wait_shows_one_status_line_on_a_terminal);
    suite_add_tcase(s, tc);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, poll_intervals_back_off_within_the_limits);
    suite_add_tcase(s, limits);
    return s;
}
