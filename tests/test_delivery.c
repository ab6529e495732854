/* test_delivery - real Postfix and real Exim deliver to a test receiver
 * (tests/tools/smtp_sink) across network namespaces, and the source address
 * and EHLO name the receiver records must be what mta-preflight predicts
 * for the same configuration in the same namespace.
 *
 * The mail host 'mx' has 192.0.2.10/24 (primary) and .11-.15 on veth0, a
 * default route via 192.0.2.1 and a route to the relay's network
 * 198.51.100.0/24 with source .12 (so a question toward the default target
 * gives .10, toward the relay .12); IPv6 2001:db8::10 and ::12 likewise
 * (2001:db8:ffff::/48 from ::12). The network 'net' holds the receiver on
 * 198.51.100.1 and 2001:db8:ffff::1, ports 25 and 587.
 *
 * Postfix is a private instance (config, queue and data directories in a
 * temporary directory, no chroot, no inet listener, logging to a file),
 * started with 'postfix -c DIR start' inside 'mx', fed with 'sendmail -C',
 * stopped afterwards; whatever is left inside the namespaces is killed by
 * pid. Exim is the unpacked Debian binary (tests/install-deps.sh) with a
 * configuration of its own, delivering in the foreground (-odf). Every
 * command runs under timeout(1), the receiver exits by itself after one
 * message or 25 s.
 *
 * The --connect tests start the real receivers in mx on 192.0.2.10:25: a
 * private Postfix instance with an inet smtpd, and the Exim daemon (-bdf,
 * see exim_daemon below); the greeting the audit reads must be the one the
 * running server sends, and a configuration changed but not reloaded
 * (postfix reload, SIGHUP to Exim) must give banner-live-differs.
 *
 * Needs root, Postfix (the Debian package), the Exim oracle and the users
 * postfix and Debian-exim; a test that cannot run says exactly why, through
 * tsupport_skip (counted).
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include <check.h>
#include <errno.h>
#include <json-c/json.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/nsd_harness.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

static char *ns_mx, *ns_net;

static void names_setup(void)
{
    ns_mx = netns_name("dmx");
    ns_net = netns_name("dnet");
}

static void destroy_hosts(void)
{
    netns_kill_all(ns_mx);
    netns_kill_all(ns_net);
    netns_del(ns_mx);
    netns_del(ns_net);
    char *etc = xasprintf("/etc/netns/%s", ns_mx);
    if (access(etc, F_OK) == 0) {
        char *cmd = xasprintf("rm -rf '%s'", etc);
        ts_run(cmd, NULL, NULL);
        free(cmd);
    }
    free(etc);
}

static void names_teardown(void)
{
    if (ts_is_root())
        destroy_hosts();
    free(ns_mx);
    free(ns_net);
}

#define SH(...) ck_assert_msg(netns_sh(__VA_ARGS__) == 0, "%s", netns_error())

/* Why this machine cannot run the test, or NULL. */
static const char *delivery_cannot(bool postfix, bool exim)
{
    static char why[512];
    if (!ts_is_root())
        return "network namespaces and the MTAs need root (CI runs as root)";
    if (access(ts_bin(), X_OK) != 0) {
        snprintf(why, sizeof(why), "the program '%s' is not built (run make)", ts_bin());
        return why;
    }
    char *sink = ts_tool("smtp_sink");
    bool have_sink = access(sink, X_OK) == 0;
    free(sink);
    if (!have_sink)
        return "tests/tools/smtp_sink is not built (run make)";
    if (postfix && (access("/usr/sbin/postfix", X_OK) != 0 || access("/usr/sbin/sendmail", X_OK) != 0))
        return "Postfix is not installed (/usr/sbin/postfix; run sh tests/install-deps.sh)";
    if (postfix && !getpwnam("postfix"))
        return "the user 'postfix' (mail_owner) does not exist";
    if (exim && access("build/oracle/exim/usr/sbin/exim4", X_OK) != 0)
        return "the Exim oracle is not unpacked (build/oracle/exim; run sh tests/install-deps.sh)";
    if (exim && !getpwnam("Debian-exim"))
        return "the user 'Debian-exim' (exim_user of Debian's build) does not exist";
    return NULL;
}

/* Skip (counted: CI fails on any) when this machine cannot run the test. */
#define NEED(postfix, exim)                                                                         \
    do {                                                                                            \
        const char *why_ = delivery_cannot(postfix, exim);                                          \
        if (why_) {                                                                                 \
            char *test_ = xasprintf("delivery %.*s", (int)strlen(__func__) - 3, __func__);          \
            tsupport_skip(test_, "%s", why_);                                                       \
            free(test_);                                                                            \
            return;                                                                                 \
        }                                                                                           \
    } while (0)

static void build_hosts(void)
{
    destroy_hosts();
    ck_assert_msg(netns_add(ns_mx) == 0, "%s", netns_error());
    ck_assert_msg(netns_add(ns_net) == 0, "%s", netns_error());
    ck_assert_msg(netns_veth(ns_mx, "veth0", ns_net, "veth1") == 0, "%s", netns_error());
    SH("ip -n %s addr add 192.0.2.10/24 dev veth0", ns_mx);
    for (int i = 11; i <= 15; i++)
        SH("ip -n %s addr add 192.0.2.%d/24 dev veth0", ns_mx, i);
    SH("ip -n %s addr add 2001:db8::10/64 dev veth0 nodad && ip -n %s addr add 2001:db8::12/64 dev veth0 nodad",
       ns_mx, ns_mx);
    SH("ip -n %s addr add 192.0.2.1/24 dev veth1 && ip -n %s addr add 2001:db8::1/64 dev veth1 nodad", ns_net,
       ns_net);
    SH("ip -n %s addr add 198.51.100.1/32 dev lo && ip -n %s addr add 2001:db8:ffff::1/128 dev lo", ns_net, ns_net);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.10", ns_mx);
    SH("ip -n %s route add 198.51.100.0/24 via 192.0.2.1 src 192.0.2.12", ns_mx);
    SH("ip -n %s -6 route add default via 2001:db8::1 src 2001:db8::10", ns_mx);
    SH("ip -n %s -6 route add 2001:db8:ffff::/48 via 2001:db8::1 src 2001:db8::12", ns_mx);
}

/* ---- the receiver ---- */

struct sink {
    pid_t pid;
    char *out, *log, *ready;
    int rc;                 /* its exit status once reaped */
    char *peer, *local, *ehlo; /* of the first message, NULL when none */
};

static void sink_start(struct sink *s, const char *dir)
{
    memset(s, 0, sizeof(*s));
    s->out = xasprintf("%s/sink.out", dir);
    s->log = xasprintf("%s/sink.log", dir);
    s->ready = xasprintf("%s/sink.ready", dir);
    char *bin = ts_tool("smtp_sink");
    const char *argv[] = { bin, "-l", "198.51.100.1:25", "-l", "198.51.100.1:587", "-l", "[2001:db8:ffff::1]:25",
                     "-o", s->out, "-n", "1", "-t", "25", "-r", s->ready, NULL };
    s->pid = netns_spawn(ns_net, argv, s->log);
    free(bin);
    ck_assert_msg(s->pid > 0, "%s", netns_error());
    if (!netns_wait_for(3000, "test -e '%s'", s->ready)) {
        netns_reap(s->pid, 0);
        char *log = ts_read_file(s->log, NULL);
        ck_abort_msg("smtp_sink did not start: %s", log ? log : "(no log)");
    }
}

static char *sink_field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    if (!p)
        return NULL;
    p += strlen(key);
    return xstrndup(p, strcspn(p, " \n"));
}

/* Wait up to ms for the receiver to end (ms 0: stop it now) and read what it saw. */
static void sink_finish(struct sink *s, unsigned ms)
{
    s->rc = netns_reap(s->pid, ms);
    char *text = ts_read_file(s->out, NULL);
    if (text) {
        s->peer = sink_field(text, "peer=");
        s->local = sink_field(text, "local=");
        s->ehlo = sink_field(text, "ehlo=");
    }
    free(text);
}

static void sink_free(struct sink *s)
{
    free(s->out);
    free(s->log);
    free(s->ready);
    free(s->peer);
    free(s->local);
    free(s->ehlo);
}

/* ---- the audit ---- */

/* No DNS is needed: a port where nothing listens, and a short budget. */
#define NO_DNS "--dns-server 127.0.0.1:9 --timeout 1"

/* Run the built program inside mx; its JSON report (the test fails when it
 * is not JSON). */
static json_object *audit_in_mx(const char *args)
{
    char *cmd = xasprintf("timeout -k 2 20 ip netns exec %s '%s' audit %s --format json", ns_mx,
                          ts_bin(), args);
    char *out = NULL, *err = NULL;
    int rc = ts_run(cmd, &out, &err);
    json_object *root = json_tokener_parse(out);
    ck_assert_msg(root != NULL, "'%s' exited %d without JSON: %s %s", cmd, rc, out, err);
    /* An ASan build reports leaks and errors there. */
    ck_assert_msg(!strstr(err, "Sanitizer") && !strstr(err, "runtime error"), "'%s': %s", cmd, err);
    free(cmd);
    free(out);
    free(err);
    return root;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* 1 true, 0 false, -1 null or missing. */
static int jbool(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return -1;
    return json_object_get_boolean(v) ? 1 : 0;
}

static long jint(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return -1;
    return (long)json_object_get_int64(v);
}

static json_object *jsource(json_object *root, const char *identity, const char *family)
{
    json_object *arr = NULL;
    ck_assert(json_object_object_get_ex(root, "sources", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        const char *id = jstr(s, "identity"), *fam = jstr(s, "family");
        if (id && fam && strcmp(id, identity) == 0 && strcmp(fam, family) == 0)
            return s;
    }
    ck_abort_msg("no %s source of %s in the audit: %s", family, identity,
                 json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    return NULL;
}

static const char *jhelo(json_object *root, const char *identity)
{
    json_object *arr = NULL, *helo = NULL;
    ck_assert(json_object_object_get_ex(root, "identities", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *o = json_object_array_get_idx(arr, i);
        const char *id = jstr(o, "id");
        if (id && strcmp(id, identity) == 0 && json_object_object_get_ex(o, "helo", &helo))
            return jstr(helo, "name");
    }
    ck_abort_msg("no identity %s in the audit", identity);
    return NULL;
}

/* ---- Postfix ---- */

static const char pf_master_cf[] =
    "pickup    unix  n       -       n       60      1       pickup\n"
    "cleanup   unix  n       -       n       -       0       cleanup\n"
    "qmgr      unix  n       -       n       300     1       qmgr\n"
    "rewrite   unix  -       -       n       -       -       trivial-rewrite\n"
    "bounce    unix  -       -       n       -       0       bounce\n"
    "defer     unix  -       -       n       -       0       bounce\n"
    "trace     unix  -       -       n       -       0       bounce\n"
    "verify    unix  -       -       n       -       1       verify\n"
    "flush     unix  n       -       n       1000?   0       flush\n"
    "proxymap  unix  -       -       n       -       -       proxymap\n"
    "smtp      unix  -       -       n       -       -       smtp\n"
    "relay     unix  -       -       n       -       -       smtp\n"
    "showq     unix  n       -       n       -       -       showq\n"
    "error     unix  -       -       n       -       -       error\n"
    "retry     unix  -       -       n       -       -       error\n"
    "discard   unix  -       -       n       -       -       discard\n"
    "anvil     unix  -       -       n       -       1       anvil\n"
    "scache    unix  -       -       n       -       1       scache\n"
    "postlog   unix-dgram n  -       n       -       1       postlogd\n";

struct pf_run {
    char *dir;      /* the case directory */
    char *etc;      /* the configuration directory */
    char *id;       /* "postfix:ETC:smtp/unix" */
    char *maillog;  /* what Postfix logged */
    int start_rc, send_rc;
    char *send_err; /* what sendmail said */
    json_object *audit;
    struct sink sink;
};

/* master.cf for the next pf_deliver(), when not pf_master_cf. */
static const char *pf_deliver_master;

/* One delivery by a private Postfix instance whose main.cf ends with lines;
 * audit_args are added to the audit's command line. With wait_log NULL the
 * receiver is waited for; otherwise the attempt is over once the mail log
 * holds that text (at most 15 s) and the receiver is stopped then. */
static void pf_deliver(struct pf_run *r, const char *lines, const char *audit_args, const char *wait_log)
{
    memset(r, 0, sizeof(*r));
    r->dir = ts_tmpdir("dlv");
    ck_assert_int_eq(chmod(r->dir, 0755), 0);
    r->etc = xasprintf("%s/etc", r->dir);
    char *spool = xasprintf("%s/spool", r->dir), *data = xasprintf("%s/data", r->dir);
    ck_assert_int_eq(mkdir(r->etc, 0755), 0);
    ck_assert_int_eq(mkdir(spool, 0755), 0);
    ck_assert_int_eq(mkdir(data, 0755), 0);
    const struct passwd *pw = getpwnam("postfix");
    ck_assert_int_eq(chown(data, pw->pw_uid, (gid_t)-1), 0);
    char *maincf = xasprintf("compatibility_level = 3.6\n"
                             "queue_directory = %s\n"
                             "data_directory = %s\n"
                             "maillog_file = %s/maillog\n"
                             "maillog_file_prefixes = %s\n"
                             "myhostname = mail.example.test\n"
                             "mydomain = example.test\n"
                             "myorigin = example.test\n"
                             "mydestination =\n"
                             "alias_maps =\n"
                             "alias_database =\n"
                             "biff = no\n"
                             "%s",
                             spool, data, r->dir, r->dir, lines);
    char *path = xasprintf("%s/main.cf", r->etc);
    ts_write_file(path, maincf);
    free(path);
    path = xasprintf("%s/master.cf", r->etc);
    ts_write_file(path, pf_deliver_master ? pf_deliver_master : pf_master_cf);
    free(path);
    free(maincf);
    r->id = xasprintf("postfix:%s:smtp/unix", r->etc);

    char *args = xasprintf("--postfix-dir '%s' --no-exim %s", r->etc,
                           audit_args ? audit_args : NO_DNS);
    r->audit = audit_in_mx(args);
    free(args);

    sink_start(&r->sink, r->dir);
    char *cmd = xasprintf("timeout -k 2 30 ip netns exec %s postfix -c '%s' start", ns_mx, r->etc);
    r->start_rc = ts_run(cmd, NULL, NULL);
    free(cmd);
    cmd = xasprintf("printf 'From: a@example.test\\nTo: b@remote.test\\nSubject: delivery test\\n\\nhello\\n' | "
                    "timeout -k 2 20 ip netns exec %s sendmail -C '%s' -f a@example.test b@remote.test",
                    ns_mx, r->etc);
    r->send_rc = ts_run(cmd, NULL, &r->send_err);
    free(cmd);
    char *log = xasprintf("%s/maillog", r->dir);
    if (r->start_rc != 0) {
        sink_finish(&r->sink, 0); /* a Postfix that did not start delivers nothing */
    } else if (!wait_log) {
        sink_finish(&r->sink, 20000);
    } else {
        netns_wait_for(15000, "grep -qF '%s' '%s'", wait_log, log);
        sink_finish(&r->sink, 0);
    }
    if (r->start_rc == 0) {
        cmd = xasprintf("timeout -k 2 30 ip netns exec %s postfix -c '%s' stop", ns_mx, r->etc);
        ts_run(cmd, NULL, NULL);
        free(cmd);
    }
    netns_kill_all(ns_mx);
    r->maillog = ts_read_file(log, NULL);
    if (!r->maillog)
        r->maillog = xstrdup("");
    free(log);
    free(spool);
    free(data);
}

static void pf_run_free(struct pf_run *r)
{
    ts_rmtree(r->dir);
    free(r->dir);
    free(r->etc);
    free(r->id);
    free(r->maillog);
    free(r->send_err);
    json_object_put(r->audit);
    sink_free(&r->sink);
}

/* The heart of every positive case: the receiver saw what the audit said. */
static void assert_prediction(const char *what, const struct sink *s, json_object *src, const char *helo,
                              const char *log)
{
    const char *addr = jstr(src, "address");
    printf("delivery %s: receiver saw %s on %s, EHLO %s; audit predicted %s, EHLO %s (target %s port %ld, user %s "
           "uid %ld)\n",
           what, s->peer ? s->peer : "nothing", s->local ? s->local : "-", s->ehlo ? s->ehlo : "-",
           addr ? addr : "no source", helo ? helo : "-", jstr(src, "target"), jint(src, "port"), jstr(src, "user"),
           jint(src, "uid"));
    ck_assert_msg(s->rc == 0 && s->peer, "%s: no message reached the receiver (rc %d); MTA log:\n%s", what, s->rc, log);
    ck_assert_msg(addr != NULL, "%s: the audit predicts no source, the receiver saw %s", what, s->peer);
    ck_assert_msg(strcmp(addr, s->peer) == 0, "%s: audit predicted %s, receiver saw %s", what, addr, s->peer);
    ck_assert_msg(helo && s->ehlo && strcmp(helo, s->ehlo) == 0, "%s: audit EHLO %s, receiver saw %s", what, helo,
                  s->ehlo);
}

static void assert_no_delivery(const char *what, const struct sink *s, json_object *src, const char *configured)
{
    printf("delivery %s: receiver saw %s; audit predicted %s (configured %s, bind_local %d, error %s)\n", what,
           s->peer ? s->peer : "nothing", jstr(src, "address") ? jstr(src, "address") : "no usable source",
           jstr(src, "configured_address"), jbool(src, "bind_local"), jstr(src, "error"));
    ck_assert_msg(s->peer == NULL, "%s: the receiver got mail from %s", what, s->peer);
    ck_assert_ptr_null(jstr(src, "address"));
    ck_assert_str_eq(jstr(src, "configured_address"), configured);
    ck_assert_int_eq(jbool(src, "bind_local"), 0);
    ck_assert_int_eq(jbool(src, "route"), 1);
}

START_TEST(postfix_relay_literal)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\n", NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix relayhost [198.51.100.1]", &r.sink, src, jhelo(r.audit, r.id), r.maillog);
    /* The route toward the relay, not toward the default target (.10). */
    ck_assert_str_eq(r.sink.peer, "192.0.2.12");
    ck_assert_str_eq(r.sink.local, "198.51.100.1:25");
    ck_assert_str_eq(r.sink.ehlo, "mail.example.test");
    ck_assert_str_eq(jstr(src, "target"), "198.51.100.1");
    ck_assert_int_eq(jint(src, "port"), 25);
    ck_assert_str_eq(jstr(src, "user"), "postfix");
    ck_assert_int_eq(jint(src, "uid"), (long)getpwnam("postfix")->pw_uid);
    ck_assert_str_eq(jstr(src, "kernel_address"), "192.0.2.12");
    ck_assert_ptr_null(jstr(src, "configured_address"));
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_relay_literal_ipv6)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv6\nrelayhost = [2001:db8:ffff::1]\nsmtp_helo_name = out.example.test\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv6");
    assert_prediction("postfix relayhost [2001:db8:ffff::1]", &r.sink, src, jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "2001:db8::12");
    ck_assert_str_eq(r.sink.ehlo, "out.example.test");
    ck_assert_str_eq(jstr(src, "target"), "2001:db8:ffff::1");
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_bind_local)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_bind_address = 192.0.2.14\n"
                   "smtp_helo_name = out.example.test\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix smtp_bind_address 192.0.2.14", &r.sink, src, jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.14");
    ck_assert_str_eq(jstr(src, "how"), "bind");
    ck_assert_int_eq(jbool(src, "bind_local"), 1);
    ck_assert_ptr_null(jstr(src, "configured_address"));
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_bind_not_local_falls_back)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_bind_address = 203.0.113.9\n"
                   "smtp_helo_name = out.example.test\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix smtp_bind_address 203.0.113.9 (not local), enforce no", &r.sink, src,
                      jhelo(r.audit, r.id), r.maillog);
    /* Postfix warns and connects unbound: the kernel's choice toward the relay. */
    ck_assert_msg(strstr(r.maillog, "bind 203.0.113.9: Cannot assign requested address") != NULL, "%s", r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.12");
    ck_assert_str_eq(jstr(src, "configured_address"), "203.0.113.9");
    ck_assert_int_eq(jbool(src, "bind_local"), 0);
    ck_assert_str_eq(jstr(src, "how"), "bind");
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_bind_not_local_enforced)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_bind_address = 203.0.113.9\n"
                   "smtp_bind_address_enforce = yes\n",
               NULL, "status=deferred");
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_no_delivery("postfix smtp_bind_address 203.0.113.9 (not local), enforce yes", &r.sink, src,
                       "203.0.113.9");
    ck_assert_msg(strstr(r.maillog, "status=deferred (server configuration error)") != NULL, "%s", r.maillog);
    ck_assert_str_eq(jstr(src, "error"), "cannot bind 203.0.113.9: Cannot assign requested address");
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_inet_interfaces_not_local)
{
    NEED(true, false);
    build_hosts();
    struct pf_run r;
    /* mynetworks given: its default would look at inet_interfaces too. */
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\ninet_interfaces = 203.0.113.9\n"
                   "mynetworks = 127.0.0.0/8\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_no_delivery("postfix inet_interfaces 203.0.113.9 (not local)", &r.sink, src, "203.0.113.9");
    ck_assert_str_eq(jstr(src, "how"), "inet_interfaces");
    /* Postfix does not even start: the implicit bind is never a fallback. */
    ck_assert_int_ne(r.start_rc, 0);
    ck_assert_int_ne(r.send_rc, 0);
    ck_assert_msg(strstr(r.send_err, "no local interface found for 203.0.113.9") != NULL, "sendmail: %s",
                  r.send_err);
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_policy_rule_for_port_587)
{
    NEED(true, false);
    build_hosts();
    /* SMTP to port 25 leaves from .15, submission to 587 from .11. */
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.11 table 587", ns_mx);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    SH("ip -n %s rule add priority 201 ipproto tcp dport 587 table 587", ns_mx);
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]:587\nsmtp_helo_name = out.example.test\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix relayhost [198.51.100.1]:587, rules for dport 25 and 587", &r.sink, src,
                      jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.11");
    ck_assert_str_eq(r.sink.local, "198.51.100.1:587");
    ck_assert_int_eq(jint(src, "port"), 587);
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

/* smtp_tcp_port is the port of a next hop that names none: a relayhost
 * without port goes to 587, and the route question must say so. */
START_TEST(postfix_smtp_tcp_port)
{
    NEED(true, false);
    build_hosts();
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.11 table 587", ns_mx);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    SH("ip -n %s rule add priority 201 ipproto tcp dport 587 table 587", ns_mx);
    struct pf_run r;
    pf_deliver(&r,
               "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_tcp_port = submission\n"
               "smtp_helo_name = out.example.test\n",
               NULL, NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix smtp_tcp_port submission, relayhost without port", &r.sink, src, jhelo(r.audit, r.id),
                      r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.11");
    ck_assert_str_eq(r.sink.local, "198.51.100.1:587");
    ck_assert_int_eq(jint(src, "port"), 587);
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_policy_rule_for_mail_owner)
{
    NEED(true, false);
    build_hosts();
    long uid = (long)getpwnam("postfix")->pw_uid;
    /* The mail owner's connections leave from .13; root's SMTP from .15. */
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.13 table 102", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s rule add priority 100 uidrange %ld-%ld table 102", ns_mx, uid, uid);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_helo_name = out.example.test\n", NULL,
               NULL);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix with a uidrange rule for mail_owner", &r.sink, src, jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.13");
    ck_assert_int_eq(jint(src, "uid"), uid);
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

/* master.cf's unpriv field "n" keeps smtp(8) as root: the uidrange rule
 * for the mail owner does not apply, and mail leaves by root's rule. */
START_TEST(postfix_policy_rule_unpriv_n)
{
    NEED(true, false);
    build_hosts();
    long uid = (long)getpwnam("postfix")->pw_uid;
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.13 table 102", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s rule add priority 100 uidrange %ld-%ld table 102", ns_mx, uid, uid);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    char *master = xstrdup(pf_master_cf);
    char *smtp = strstr(master, "smtp      unix  -       -       n");
    ck_assert_ptr_nonnull(smtp);
    smtp[24] = 'n'; /* the unpriv column */
    ck_assert(strncmp(smtp, "smtp      unix  -       n       n", 32) == 0);
    pf_deliver_master = master;
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [198.51.100.1]\nsmtp_helo_name = out.example.test\n", NULL,
               NULL);
    pf_deliver_master = NULL;
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix smtp with unpriv n", &r.sink, src, jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.15");
    ck_assert_int_eq(jint(src, "uid"), 0);
    pf_run_free(&r);
    free(master);
    destroy_hosts();
}
END_TEST

/* example_test_dns - nsd on 198.51.100.1 serving example.test with records
 * (zone-file lines after its SOA and NS), and the mail host's resolver
 * pointed at it: Postfix in mx reads /etc/netns/MX/resolv.conf (ip netns
 * exec mounts it). Stop it with nsd_harness_stop(). */
static void example_test_dns(struct nsd_harness *nsd, const char *records)
{
    char *zone = xasprintf("$TTL 300\n@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
                           "@ IN NS ns.example.test.\nns IN A 198.51.100.1\n%s",
                           records);
    const struct nsd_zone zones[] = { { "example.test", zone } };
    struct nsd_harness_opts where = { ns_net, "198.51.100.1", 53 };
    int rc = nsd_harness_start(nsd, zones, 1, &where);
    free(zone);
    if (rc != 0) {
        destroy_hosts();
        ck_abort_msg("nsd in namespace: %s", nsd->error);
    }
    SH("mkdir -p /etc/netns/%s && echo 'nameserver 198.51.100.1' > /etc/netns/%s/resolv.conf", ns_mx, ns_mx);
}

/* relayhost without brackets: Postfix asks its MX and delivers to the MX
 * target (198.51.100.1), not to the name's own A (198.51.100.2); a rule
 * by destination gives the two different sources. */
START_TEST(postfix_relay_by_mx)
{
    NEED(true, false);
    build_hosts();
    struct nsd_harness nsd;
    example_test_dns(&nsd, "relay IN MX 10 mx.example.test.\nrelay IN A 198.51.100.2\nmx IN A 198.51.100.1\n"
                           "out IN A 192.0.2.14\n");
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.14 table 61", ns_mx);
    SH("ip -n %s rule add priority 100 to 198.51.100.1 table 61", ns_mx);
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = relay.example.test\nsmtp_helo_name = out.example.test\n",
               "--dns-server 198.51.100.1 --timeout 2", NULL);
    nsd_harness_stop(&nsd);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix relayhost relay.example.test (MX 10 mx.example.test, A 198.51.100.1)", &r.sink, src,
                      jhelo(r.audit, r.id), r.maillog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.14");
    ck_assert_str_eq(jstr(src, "target"), "198.51.100.1");
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(postfix_relay_by_name)
{
    NEED(true, false);
    build_hosts();
    struct nsd_harness nsd;
    example_test_dns(&nsd, "relay IN A 198.51.100.1\nout IN A 192.0.2.12\n");
    struct pf_run r;
    pf_deliver(&r, "inet_protocols = ipv4\nrelayhost = [relay.example.test]:587\nsmtp_helo_name = out.example.test\n",
               "--dns-server 198.51.100.1 --timeout 2", NULL);
    nsd_harness_stop(&nsd);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("postfix relayhost [relay.example.test]:587 (A 198.51.100.1)", &r.sink, src,
                      jhelo(r.audit, r.id), r.maillog);
    /* After the DNS round the route was asked toward the relay's address. */
    ck_assert_str_eq(r.sink.peer, "192.0.2.12");
    ck_assert_str_eq(jstr(src, "target"), "198.51.100.1");
    ck_assert_int_eq(jint(src, "port"), 587);
    pf_run_free(&r);
    destroy_hosts();
}
END_TEST

/* ---- Exim ---- */

struct exim_run {
    char *dir, *conf, *id, *mainlog;
    int rc;
    json_object *audit;
    struct sink sink;
};

/* One delivery by the unpacked Exim with transport sink_smtp's extra
 * options; expect says whether the receiver is waited for. */
static void exim_deliver(struct exim_run *r, const char *transport_lines, bool expect)
{
    char top[4096];
    memset(r, 0, sizeof(*r));
    ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
    r->dir = ts_tmpdir("dlvx");
    ck_assert_int_eq(chmod(r->dir, 0755), 0);
    char *spool = xasprintf("%s/spool", r->dir), *logdir = xasprintf("%s/log", r->dir);
    ck_assert_int_eq(mkdir(spool, 0750), 0);
    ck_assert_int_eq(mkdir(logdir, 0750), 0);
    const struct passwd *pw = getpwnam("Debian-exim");
    ck_assert_int_eq(chown(spool, pw->pw_uid, pw->pw_gid), 0);
    ck_assert_int_eq(chown(logdir, pw->pw_uid, pw->pw_gid), 0);
    char *exim = xasprintf("%s/build/oracle/exim/usr/sbin/exim4", top);
    r->conf = xasprintf("%s/exim.conf", r->dir);
    char *conf = xasprintf("exim_path = %s\n"
                           "primary_hostname = mail.example.test\n"
                           "qualify_domain = example.test\n"
                           "spool_directory = %s\n"
                           "log_file_path = %s/%%slog\n"
                           "keep_environment =\n"
                           "begin routers\n"
                           "to_sink:\n"
                           "  driver = manualroute\n"
                           "  route_list = * 198.51.100.1\n"
                           "  transport = sink_smtp\n"
                           "begin transports\n"
                           "sink_smtp:\n"
                           "  driver = smtp\n"
                           "  helo_data = exim-out.example.test\n"
                           "  connect_timeout = 5s\n"
                           "%s",
                           exim, spool, logdir, transport_lines);
    ts_write_file(r->conf, conf);
    free(conf);
    r->id = xasprintf("exim:%s:sink_smtp", r->conf);

    char *args = xasprintf("--exim-config '%s' --no-postfix " NO_DNS, r->conf);
    r->audit = audit_in_mx(args);
    free(args);

    sink_start(&r->sink, r->dir);
    char *cmd = xasprintf("printf 'From: a@example.test\\nTo: b@remote.test\\nSubject: delivery test\\n\\nhello\\n' | "
                          "timeout -k 2 30 ip netns exec %s env -i '%s' -C '%s' -odf -f a@example.test b@remote.test",
                          ns_mx, exim, r->conf);
    r->rc = ts_run(cmd, NULL, NULL);
    free(cmd);
    /* -odf: the attempt is over when Exim returns. */
    sink_finish(&r->sink, expect ? 20000 : 0);
    netns_kill_all(ns_mx);
    char *log = xasprintf("%s/mainlog", logdir);
    r->mainlog = ts_read_file(log, NULL);
    if (!r->mainlog)
        r->mainlog = xstrdup("");
    free(log);
    free(exim);
    free(spool);
    free(logdir);
}

static void exim_run_free(struct exim_run *r)
{
    ts_rmtree(r->dir);
    free(r->dir);
    free(r->conf);
    free(r->id);
    free(r->mainlog);
    json_object_put(r->audit);
    sink_free(&r->sink);
}

START_TEST(exim_manualroute_literal)
{
    NEED(false, true);
    build_hosts();
    struct exim_run r;
    exim_deliver(&r, "", true);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("exim manualroute to 198.51.100.1", &r.sink, src, jhelo(r.audit, r.id), r.mainlog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.12");
    ck_assert_str_eq(r.sink.local, "198.51.100.1:25");
    ck_assert_str_eq(r.sink.ehlo, "exim-out.example.test");
    ck_assert_str_eq(jstr(src, "target"), "198.51.100.1");
    ck_assert_int_eq(jint(src, "port"), 25);
    ck_assert_str_eq(jstr(src, "user"), "Debian-exim");
    ck_assert_int_eq(jint(src, "uid"), (long)getpwnam("Debian-exim")->pw_uid);
    exim_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(exim_interface_local)
{
    NEED(false, true);
    build_hosts();
    struct exim_run r;
    exim_deliver(&r, "  interface = 192.0.2.14\n", true);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("exim interface 192.0.2.14", &r.sink, src, jhelo(r.audit, r.id), r.mainlog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.14");
    ck_assert_int_eq(jbool(src, "bind_local"), 1);
    exim_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(exim_interface_not_local)
{
    NEED(false, true);
    build_hosts();
    struct exim_run r;
    exim_deliver(&r, "  interface = 203.0.113.9\n", false);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_no_delivery("exim interface 203.0.113.9 (not local)", &r.sink, src, "203.0.113.9");
    ck_assert_msg(strstr(r.mainlog, "defer (99): Cannot assign requested address") != NULL, "%s", r.mainlog);
    exim_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(exim_policy_rule_for_port_587)
{
    NEED(false, true);
    build_hosts();
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.11 table 587", ns_mx);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    SH("ip -n %s rule add priority 201 ipproto tcp dport 587 table 587", ns_mx);
    struct exim_run r;
    exim_deliver(&r, "  port = 587\n", true);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("exim port 587, rules for dport 25 and 587", &r.sink, src, jhelo(r.audit, r.id), r.mainlog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.11");
    ck_assert_str_eq(r.sink.local, "198.51.100.1:587");
    ck_assert_int_eq(jint(src, "port"), 587);
    exim_run_free(&r);
    destroy_hosts();
}
END_TEST

START_TEST(exim_policy_rule_for_exim_user)
{
    NEED(false, true);
    build_hosts();
    long uid = (long)getpwnam("Debian-exim")->pw_uid;
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.13 table 102", ns_mx);
    SH("ip -n %s route add default via 192.0.2.1 src 192.0.2.15 table 25", ns_mx);
    SH("ip -n %s rule add priority 100 uidrange %ld-%ld table 102", ns_mx, uid, uid);
    SH("ip -n %s rule add priority 200 ipproto tcp dport 25 table 25", ns_mx);
    struct exim_run r;
    exim_deliver(&r, "", true);
    json_object *src = jsource(r.audit, r.id, "ipv4");
    assert_prediction("exim with a uidrange rule for Debian-exim", &r.sink, src, jhelo(r.audit, r.id), r.mainlog);
    ck_assert_str_eq(r.sink.peer, "192.0.2.13");
    ck_assert_int_eq(jint(src, "uid"), uid);
    exim_run_free(&r);
    destroy_hosts();
}
END_TEST

/* ---- no route ---- */

/* The audit of a plain Postfix configuration (both families) in mx. */
static json_object *audit_plain_postfix(char **dir, char **id)
{
    *dir = ts_tmpdir("dlvr");
    char *path = xasprintf("%s/main.cf", *dir);
    ts_write_file(path, "myhostname = mail.example.test\ninet_protocols = all\n");
    free(path);
    path = xasprintf("%s/master.cf", *dir);
    ts_write_file(path, "smtp      unix  -       -       n       -       -       smtp\n");
    free(path);
    *id = xasprintf("postfix:%s:smtp/unix", *dir);
    char *args = xasprintf("--postfix-dir '%s' --no-exim " NO_DNS, *dir);
    json_object *root = audit_in_mx(args);
    free(args);
    return root;
}

static void assert_no_route(json_object *src, const char *family)
{
    ck_assert_msg(jbool(src, "route") == 0, "%s: route is not false", family);
    ck_assert_ptr_null(jstr(src, "address"));
    ck_assert_str_eq(jstr(src, "error"), "Network is unreachable");
}

START_TEST(no_route_in_either_family)
{
    NEED(false, false);
    destroy_hosts();
    ck_assert_msg(netns_add(ns_mx) == 0, "%s", netns_error()); /* lo only */
    char *dir, *id;
    json_object *root = audit_plain_postfix(&dir, &id);
    assert_no_route(jsource(root, id, "ipv4"), "ipv4");
    assert_no_route(jsource(root, id, "ipv6"), "ipv6");
    ck_assert_str_eq(jstr(jsource(root, id, "ipv4"), "target"), "8.8.8.8");
    json_object_put(root);
    ts_rmtree(dir);
    free(dir);
    free(id);
    destroy_hosts();
}
END_TEST

START_TEST(no_route_for_ipv6)
{
    NEED(false, false);
    destroy_hosts();
    ck_assert_msg(netns_add(ns_mx) == 0, "%s", netns_error());
    ck_assert_msg(netns_add(ns_net) == 0, "%s", netns_error());
    ck_assert_msg(netns_veth(ns_mx, "veth0", ns_net, "veth1") == 0, "%s", netns_error());
    SH("ip -n %s addr add 192.0.2.10/24 dev veth0 && ip -n %s route add default via 192.0.2.1", ns_mx, ns_mx);
    char *dir, *id;
    json_object *root = audit_plain_postfix(&dir, &id);
    json_object *v4 = jsource(root, id, "ipv4");
    ck_assert_int_eq(jbool(v4, "route"), 1);
    ck_assert_str_eq(jstr(v4, "address"), "192.0.2.10");
    ck_assert_ptr_null(jstr(v4, "error"));
    assert_no_route(jsource(root, id, "ipv6"), "ipv6");
    json_object_put(root);
    ts_rmtree(dir);
    free(dir);
    free(id);
    destroy_hosts();
}
END_TEST

/* --connect against the real Postfix smtpd of a private instance listening
 * on 192.0.2.10:25: the live greeting is what the configuration says; after
 * a master.cf change without 'postfix reload' the running master still
 * greets with the old banner, which is banner-live-differs. */
START_TEST(postfix_connect_reads_the_live_banner)
{
    NEED(true, false);
    build_hosts();
    char *dir = ts_tmpdir("dlv");
    ck_assert_int_eq(chmod(dir, 0755), 0);
    char *etc = xasprintf("%s/etc", dir), *spool = xasprintf("%s/spool", dir), *data = xasprintf("%s/data", dir);
    ck_assert_int_eq(mkdir(etc, 0755), 0);
    ck_assert_int_eq(mkdir(spool, 0755), 0);
    ck_assert_int_eq(mkdir(data, 0755), 0);
    const struct passwd *pw = getpwnam("postfix");
    ck_assert_int_eq(chown(data, pw->pw_uid, (gid_t)-1), 0);
    char *maincf = xasprintf("compatibility_level = 3.6\nqueue_directory = %s\ndata_directory = %s\n"
                             "maillog_file = %s/maillog\nmaillog_file_prefixes = %s\nmyhostname = mail.example.test\n"
                             "mydestination =\nalias_maps =\nalias_database =\nbiff = no\ninet_protocols = ipv4\n"
                             "inet_interfaces = 192.0.2.10\n"
                             /* no resolver in the namespace: smtpd would wait for the client's PTR */
                             "smtpd_peername_lookup = no\n",
                             spool, data, dir, dir);
    char *path = xasprintf("%s/main.cf", etc);
    ts_write_file(path, maincf);
    free(path);
    char *master = xasprintf("%ssmtp      inet  n       -       n       -       -       smtpd\n", pf_master_cf);
    path = xasprintf("%s/master.cf", etc);
    ts_write_file(path, master);
    char *cmd = xasprintf("timeout -k 2 30 ip netns exec %s postfix -c '%s' start", ns_mx, etc);
    int started = ts_run(cmd, NULL, NULL);
    free(cmd);
    ck_assert_int_eq(started, 0);
    netns_wait_for(5000, "ip netns exec %s ss -ltn | grep -q '192.0.2.10:25 '", ns_mx);

    /* Not NO_DNS: its 1 s is mostly spent before the greetings are read. */
    char *args = xasprintf("--postfix-dir '%s' --no-exim --connect --dns-server 127.0.0.1:9 --timeout 4", etc);
    json_object *root = audit_in_mx(args);
    json_object *in, *banner;
    ck_assert(json_object_object_get_ex(root, "inbound", &in));
    ck_assert_uint_eq(json_object_array_length(in), 1);
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(in, 0), "banner", &banner));
    ck_assert_str_eq(jstr(banner, "text"), "mail.example.test ESMTP Postfix");
    ck_assert_msg(jstr(banner, "live") && strcmp(jstr(banner, "live"), "mail.example.test ESMTP Postfix") == 0, "%.300s",
                  json_object_to_json_string(in));
    ck_assert_msg(!strstr(json_object_to_json_string(root), "banner-live-differs"), "%s",
                  json_object_to_json_string(root));
    json_object_put(root);

    /* Changed, not reloaded. */
    char *master2 = xasprintf("%ssmtp      inet  n       -       n       -       -       smtpd\n"
                              "  -o smtpd_banner=new.example.test\n", pf_master_cf);
    ts_write_file(path, master2);
    root = audit_in_mx(args);
    ck_assert(json_object_object_get_ex(root, "inbound", &in));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(in, 0), "banner", &banner));
    ck_assert_str_eq(jstr(banner, "text"), "new.example.test");
    ck_assert_str_eq(jstr(banner, "live"), "mail.example.test ESMTP Postfix");
    ck_assert_msg(strstr(json_object_to_json_string(root), "\"banner-live-differs\""), "%s",
                  json_object_to_json_string(root));
    json_object_put(root);

    cmd = xasprintf("timeout -k 2 30 ip netns exec %s postfix -c '%s' stop", ns_mx, etc);
    ts_run(cmd, NULL, NULL);
    free(cmd);
    netns_kill_all(ns_mx);
    free(args);
    free(master);
    free(master2);
    free(path);
    free(maincf);
    free(etc);
    free(spool);
    free(data);
    ts_rmtree(dir);
    free(dir);
    destroy_hosts();
}
END_TEST

/* ---- --connect against the real Exim daemon ---- */

/* The unpacked Exim daemon in mx, listening as its configuration says.
 *
 * It runs as Debian runs it: started by root, from a setuid-root binary,
 * without -C. After binding its sockets the daemon runs as Debian-exim,
 * and on SIGHUP it re-executes exim_path, which needs the setuid bit to
 * bind port 25 again (and a daemon re-executed with -C gives up root: "exim
 * user lost privilege for using -C option"). So the daemon gets a private
 * mount namespace with a tmpfs on /var/lib holding a setuid copy of the
 * oracle (seen by no other process) and /var/lib/exim4, bound to the test
 * directory, whose config.autogenerated is the second file of the Debian
 * build's configuration list (a tmpfs hides any /etc/exim4, the first).
 * The audit reads the same file by its real path. */
#define EXIM_DAEMON_PATH "/var/lib/exim4-sbin/exim4"

struct exim_daemon {
    char *dir, *conf, *mainlog, *exim;
    pid_t pid;
};

/* (Re)write the configuration: primary_hostname host, extra main options. */
static void exim_daemon_configure(struct exim_daemon *d, const char *host, const char *extra)
{
    char *conf = xasprintf("exim_path = " EXIM_DAEMON_PATH "\n"
                           "primary_hostname = %s\n"
                           "qualify_domain = example.test\n"
                           "spool_directory = %s/spool\n"
                           "log_file_path = %s/log/%%slog\n"
                           "keep_environment =\n"
                           "tls_advertise_hosts =\n"
                           /* every connection in the mainlog, with the local address and port */
                           "log_selector = +smtp_connection +incoming_interface\n"
                           "%s",
                           host, d->dir, d->dir, extra);
    ts_write_file(d->conf, conf);
    free(conf);
}

static void exim_daemon_init(struct exim_daemon *d)
{
    char top[4096];
    memset(d, 0, sizeof(*d));
    ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
    d->exim = xasprintf("%s/build/oracle/exim/usr/sbin/exim4", top);
    d->dir = ts_tmpdir("dlvd");
    ck_assert_int_eq(chmod(d->dir, 0755), 0);
    d->conf = xasprintf("%s/config.autogenerated", d->dir);
    d->mainlog = xasprintf("%s/log/mainlog", d->dir);
    const struct passwd *pw = getpwnam("Debian-exim");
    const char *sub[] = { "spool", "log" };
    for (size_t i = 0; i < 2; i++) {
        char *p = xasprintf("%s/%s", d->dir, sub[i]);
        ck_assert_int_eq(mkdir(p, 0750), 0);
        ck_assert_int_eq(chown(p, pw->pw_uid, pw->pw_gid), 0);
        free(p);
    }
}

/* How many lines of the mainlog contain what. */
static int exim_daemon_count(const struct exim_daemon *d, const char *what)
{
    char *log = ts_read_file(d->mainlog, NULL);
    int n = 0;
    for (const char *p = log; p && (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    free(log);
    return n;
}

/* The daemon logged exactly n lines containing what. */
static void assert_logged(const struct exim_daemon *d, const char *what, int n)
{
    int got = exim_daemon_count(d, what);
    if (got != n) {
        char *log = ts_read_file(d->mainlog, NULL);
        ck_abort_msg("the daemon logged '%s' %d times, not %d: %s", what, got, n, log ? log : "(no mainlog)");
    }
}

/* Wait until the daemon has logged its start for the starts-th time and
 * listens on port 25; fail with its log otherwise. */
static void exim_daemon_wait(const struct exim_daemon *d, int starts)
{
    bool logged = netns_wait_for(15000, "test \"$(grep -c 'daemon started' '%s' 2>/dev/null)\" -ge %d", d->mainlog,
                                 starts);
    bool listening = logged && netns_wait_for(5000, "ip netns exec %s ss -Hltn | grep -q ':25 '", ns_mx);
    if (!listening) {
        char *log = ts_read_file(d->mainlog, NULL), *paniclog = xasprintf("%s/log/paniclog", d->dir);
        char *panic = ts_read_file(paniclog, NULL);
        char *out = xasprintf("%s/daemon.out", d->dir);
        char *stderr_text = ts_read_file(out, NULL);
        ck_abort_msg("the Exim daemon did not %s on port 25: mainlog: %s paniclog: %s output: %s",
                     starts > 1 ? "come back after SIGHUP" : "start", log ? log : "(none)", panic ? panic : "(none)",
                     stderr_text ? stderr_text : "(none)");
    }
}

static void exim_daemon_start(struct exim_daemon *d)
{
    char *script = xasprintf("mount -t tmpfs -o mode=755 tmpfs /var/lib && mkdir /var/lib/exim4 /var/lib/exim4-sbin && "
                             "mount --bind '%s' /var/lib/exim4 && cp '%s' " EXIM_DAEMON_PATH " && chmod 4755 "
                             EXIM_DAEMON_PATH " && { [ ! -d /etc/exim4 ] || mount -t tmpfs tmpfs /etc/exim4; } && "
                             "exec /usr/bin/env -i " EXIM_DAEMON_PATH " -bdf",
                             d->dir, d->exim);
    char *out = xasprintf("%s/daemon.out", d->dir);
    /* unshare execs without forking: the pid is the daemon's, also after its re-exec */
    const char *argv[] = { "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, NULL };
    d->pid = netns_spawn(ns_mx, argv, out);
    ck_assert_msg(d->pid > 0, "%s", netns_error());
    free(script);
    free(out);
    exim_daemon_wait(d, 1);
}

/* SIGHUP: the daemon re-executes itself and reads the configuration again. */
static void exim_daemon_reload(struct exim_daemon *d)
{
    int starts = exim_daemon_count(d, "daemon started");
    ck_assert_int_eq(kill(d->pid, SIGHUP), 0);
    exim_daemon_wait(d, starts + 1);
    ck_assert_int_eq(exim_daemon_count(d, "SIGHUP received: re-exec daemon"), starts);
    ck_assert_int_eq(exim_daemon_count(d, "lost privilege"), 0);
}

/* SIGTERM: the daemon ends by itself, and nothing is left in mx. */
static void exim_daemon_stop(struct exim_daemon *d)
{
    ck_assert_int_eq(kill(d->pid, SIGTERM), 0);
    int rc = netns_reap(d->pid, 5000);
    d->pid = 0;
    /* the daemon's children (one per connection) end with their client */
    bool empty = netns_wait_for(5000, "test -z \"$(ip netns pids %s)\"", ns_mx);
    netns_kill_all(ns_mx);
    ck_assert_msg(rc != -1, "the Exim daemon did not end within 5 s of SIGTERM");
    ck_assert_msg(empty, "processes were left in the namespace after the Exim daemon stopped");
}

static void exim_daemon_free(struct exim_daemon *d)
{
    ts_rmtree(d->dir);
    free(d->dir);
    free(d->conf);
    free(d->mainlog);
    free(d->exim);
}

/* The version the oracle's exim -bV reports ("4.96"). */
static char *exim_version(const char *exim)
{
    char *cmd = xasprintf("env -i '%s' -C /dev/null -bV", exim), *out = NULL;
    ts_run(cmd, &out, NULL);
    const char *p = out ? strstr(out, "Exim version ") : NULL;
    ck_assert_msg(p, "'%s' printed no version: %s", cmd, out ? out : "");
    p += strlen("Exim version ");
    char *v = xstrndup(p, strcspn(p, " \n"));
    free(cmd);
    free(out);
    return v;
}

/* The inbound listener and the audit's banner-live-differs finding (NULL when none). */
static json_object *exim_inbound_banner(json_object *root, const struct exim_daemon *d, json_object **differs)
{
    json_object *in, *banner, *findings;
    const char *all = json_object_to_json_string(root);
    ck_assert(json_object_object_get_ex(root, "inbound", &in));
    /* Only the port 25 listener is an MX listener: port 2525 is neither shown nor connected. */
    ck_assert_msg(json_object_array_length(in) == 1, "%s", all);
    json_object *l = json_object_array_get_idx(in, 0);
    char *id = xasprintf("exim:%s:daemon", d->conf);
    ck_assert_str_eq(jstr(l, "id"), id);
    free(id);
    ck_assert_int_eq(jint(l, "port"), 25);
    ck_assert(json_object_object_get_ex(l, "banner", &banner));
    *differs = NULL;
    ck_assert(json_object_object_get_ex(root, "findings", &findings));
    for (size_t i = 0; i < json_object_array_length(findings); i++) {
        json_object *f = json_object_array_get_idx(findings, i);
        if (strcmp(jstr(f, "id"), "banner-live-differs") == 0) {
            ck_assert_msg(!*differs, "two banner-live-differs: %s", all);
            *differs = f;
        }
    }
    return banner;
}

/* The live greeting is lines: the first is "HOST ESMTP Exim VERSION " and
 * $tod_full of a moment ago, the others are rest (NULL: none). */
static void assert_exim_greeting(const char *live, const char *host, const char *version, const char *rest)
{
    ck_assert_ptr_nonnull(live);
    char *prefix = xasprintf("%s ESMTP Exim %s ", host, version);
    ck_assert_msg(strncmp(live, prefix, strlen(prefix)) == 0, "the live greeting '%s' does not start with '%s'", live,
                  prefix);
    const char *date = live + strlen(prefix);
    size_t dlen = strcspn(date, "\n");
    char *tod = xstrndup(date, dlen);
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(tod, "%a, %d %b %Y %H:%M:%S %z", &tm);
    ck_assert_msg(end && *end == '\0', "'%s' is not Exim's $tod_full", tod);
    long long when = (long long)timegm(&tm) - tm.tm_gmtoff, now = (long long)time(NULL);
    ck_assert_msg(when <= now && when >= now - 120, "$tod_full '%s' is not the time of the connection", tod);
    if (rest)
        ck_assert_str_eq(date + dlen, rest);
    else
        ck_assert_str_eq(date + dlen, "");
    free(tod);
    free(prefix);
}

/* text with each newline written as the two characters \n, as messages quote it. */
static char *escaped_lines(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            strbuf_adds(&sb, "\\n");
        else
            strbuf_addc(&sb, *p);
    }
    return strbuf_detach(&sb);
}

/* The audit's banner-live-differs: it quotes the whole live greeting and
 * the configured banner. */
static void assert_live_differs(json_object *f, const struct exim_daemon *d, const char *live, const char *text,
                                const char *banner_host)
{
    ck_assert_ptr_nonnull(f);
    char *id = xasprintf("exim:%s:daemon", d->conf);
    ck_assert_str_eq(jstr(f, "identity"), id);
    free(id);
    ck_assert_str_eq(jstr(f, "severity"), "info");
    ck_assert_str_eq(jstr(f, "address"), "192.0.2.10");
    ck_assert_str_eq(jstr(f, "hostname"), banner_host);
    char *l = escaped_lines(live), *t = escaped_lines(text);
    char *want = xasprintf("the server on 192.0.2.10 port 25 greets with '%s', the configuration says '%s'", l, t);
    ck_assert_str_eq(jstr(f, "message"), want);
    free(want);
    free(l);
    free(t);
}

#define EXIM_CONNECT_ARGS "--no-postfix --connect --dns-server 127.0.0.1:9 --timeout 4"

/* --connect against the real Exim daemon on 192.0.2.10 ports 25 and 2525
 * with a two-line smtp_banner (220- then 220): the whole greeting is read;
 * Exim's host name starts the first line, and the text is compared with
 * $version_number and $tod_full as wildcards. A
 * changed smtp_banner host without SIGHUP is banner-live-differs quoting
 * the old live greeting; after SIGHUP (the daemon re-executes itself) the
 * live banner is the new one; a changed second line with the same host is
 * banner-live-differs again (the variables match any text). Port 2525 is not an MX listener: --connect
 * never connects it, as the daemon's own log shows. */
START_TEST(exim_connect_reads_the_live_banner)
{
    NEED(false, true);
    build_hosts();
    struct exim_daemon d;
    exim_daemon_init(&d);
    char *version = exim_version(d.exim);
    const char *listen = "local_interfaces = 192.0.2.10\ndaemon_smtp_ports = 25 : 2525\n";
    const char *tail = "\nno unsolicited bulk mail here";
    char *extra = xasprintf("%ssmtp_banner = mail.example.test ESMTP Exim $version_number $tod_full\\n"
                            "no unsolicited bulk mail here\n",
                            listen);
    exim_daemon_configure(&d, "mail.example.test", extra);
    exim_daemon_start(&d);
    ck_assert_msg(netns_wait_for(3000, "ip netns exec %s ss -Hltn | grep -q '192.0.2.10:2525 '", ns_mx),
                  "the daemon does not listen on port 2525");

    char *args = xasprintf("--exim-config '%s' " EXIM_CONNECT_ARGS, d.conf);
    json_object *differs, *root = audit_in_mx(args);
    json_object *banner = exim_inbound_banner(root, &d, &differs);
    ck_assert_str_eq(jstr(banner, "text"), "mail.example.test ESMTP Exim $version_number $tod_full\n"
                                           "no unsolicited bulk mail here");
    ck_assert_str_eq(jstr(banner, "hostname"), "mail.example.test");
    assert_exim_greeting(jstr(banner, "live"), "mail.example.test", version, tail);
    ck_assert_msg(!differs, "%s", json_object_to_json_string(differs));
    json_object_put(root);
    assert_logged(&d, " I=[192.0.2.10]:25 (TCP/IP connection count", 1);

    /* smtp_banner's host changed, the daemon not told */
    free(extra);
    extra = xasprintf("%ssmtp_banner = new.example.test ESMTP Exim $version_number $tod_full\\n"
                      "no unsolicited bulk mail here\n",
                      listen);
    exim_daemon_configure(&d, "mail.example.test", extra);
    root = audit_in_mx(args);
    banner = exim_inbound_banner(root, &d, &differs);
    const char *text = "new.example.test ESMTP Exim $version_number $tod_full\nno unsolicited bulk mail here";
    ck_assert_str_eq(jstr(banner, "text"), text);
    assert_exim_greeting(jstr(banner, "live"), "mail.example.test", version, tail);
    assert_live_differs(differs, &d, jstr(banner, "live"), text, "new.example.test");
    json_object_put(root);

    exim_daemon_reload(&d);
    root = audit_in_mx(args);
    banner = exim_inbound_banner(root, &d, &differs);
    ck_assert_str_eq(jstr(banner, "text"), text);
    assert_exim_greeting(jstr(banner, "live"), "new.example.test", version, tail);
    ck_assert_msg(!differs, "%s", json_object_to_json_string(differs));
    json_object_put(root);

    /* the second line's wording changed, the host name not, the daemon not told */
    free(extra);
    extra = xasprintf("%ssmtp_banner = new.example.test ESMTP Exim $version_number $tod_full\\n"
                      "bulk mail welcome\n",
                      listen);
    exim_daemon_configure(&d, "mail.example.test", extra);
    root = audit_in_mx(args);
    banner = exim_inbound_banner(root, &d, &differs);
    const char *text3 = "new.example.test ESMTP Exim $version_number $tod_full\nbulk mail welcome";
    ck_assert_str_eq(jstr(banner, "text"), text3);
    assert_exim_greeting(jstr(banner, "live"), "new.example.test", version, tail);
    assert_live_differs(differs, &d, jstr(banner, "live"), text3, "new.example.test");
    json_object_put(root);

    /* four audits, one connection each, none on port 2525 */
    assert_logged(&d, " I=[192.0.2.10]:25 (TCP/IP connection count", 4);
    assert_logged(&d, "]:2525", 0);
    exim_daemon_stop(&d);
    free(args);
    free(extra);
    free(version);
    exim_daemon_free(&d);
    destroy_hosts();
}
END_TEST

/* Exim's default banner ($smtp_active_hostname ESMTP Exim $version_number
 * $tod_full) on the default local_interfaces (every address) and port:
 * --connect greets each public address of mx once, the live host name is
 * primary_hostname and no banner-live-differs; primary_hostname changed
 * without SIGHUP gives it, and SIGHUP ends it. */
START_TEST(exim_connect_judges_the_default_banner)
{
    NEED(false, true);
    build_hosts();
    struct exim_daemon d;
    exim_daemon_init(&d);
    char *version = exim_version(d.exim);
    exim_daemon_configure(&d, "mail.example.test", "");
    exim_daemon_start(&d);
    char *args = xasprintf("--exim-config '%s' " EXIM_CONNECT_ARGS, d.conf);
    json_object *differs, *root = audit_in_mx(args);
    json_object *banner = exim_inbound_banner(root, &d, &differs);
    const char *text = "mail.example.test ESMTP Exim $version_number $tod_full";
    ck_assert_str_eq(jstr(banner, "text"), text);
    ck_assert_int_eq(jbool(banner, "dynamic"), 0);
    assert_exim_greeting(jstr(banner, "live"), "mail.example.test", version, NULL);
    ck_assert_msg(!differs, "%s", json_object_to_json_string(differs));
    json_object *in, *addrs;
    ck_assert(json_object_object_get_ex(root, "inbound", &in));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(in, 0), "addresses", &addrs));
    /* every public address of mx (in the kernel's order), each greeted once, as the daemon logged it */
    const char *each[] = { "192.0.2.10", "192.0.2.11", "192.0.2.12",   "192.0.2.13",
                           "192.0.2.14", "192.0.2.15", "2001:db8::10", "2001:db8::12" };
    size_t n = sizeof(each) / sizeof(each[0]);
    ck_assert_msg(json_object_array_length(addrs) == n, "%s", json_object_to_json_string(addrs));
    for (size_t i = 0; i < n; i++) {
        bool listed = false;
        for (size_t k = 0; k < n; k++)
            listed = listed || strcmp(json_object_get_string(json_object_array_get_idx(addrs, k)), each[i]) == 0;
        ck_assert_msg(listed, "%s is not among the listener's addresses %s", each[i], json_object_to_json_string(addrs));
        char *local = xasprintf(" I=[%s]:25 (TCP/IP connection count", each[i]);
        assert_logged(&d, local, 1);
        free(local);
    }
    json_object_put(root);
    assert_logged(&d, "(TCP/IP connection count", (int)n);

    exim_daemon_configure(&d, "new.example.test", "");
    root = audit_in_mx(args);
    banner = exim_inbound_banner(root, &d, &differs);
    const char *text2 = "new.example.test ESMTP Exim $version_number $tod_full";
    ck_assert_str_eq(jstr(banner, "text"), text2);
    assert_exim_greeting(jstr(banner, "live"), "mail.example.test", version, NULL);
    assert_live_differs(differs, &d, jstr(banner, "live"), text2, "new.example.test");
    json_object_put(root);

    exim_daemon_reload(&d);
    root = audit_in_mx(args);
    banner = exim_inbound_banner(root, &d, &differs);
    assert_exim_greeting(jstr(banner, "live"), "new.example.test", version, NULL);
    ck_assert_msg(!differs, "%s", json_object_to_json_string(differs));
    json_object_put(root);
    exim_daemon_stop(&d);
    free(args);
    free(version);
    exim_daemon_free(&d);
    destroy_hosts();
}
END_TEST

Suite *delivery_suite(void)
{
    Suite *s = suite_create("delivery");
    TCase *pf = tcase_create("postfix");
    tcase_add_unchecked_fixture(pf, names_setup, names_teardown);
    tcase_set_timeout(pf, 90);
    tcase_add_test(pf, postfix_relay_literal);
    tcase_add_test(pf, postfix_connect_reads_the_live_banner);
    tcase_add_test(pf, postfix_relay_literal_ipv6);
    tcase_add_test(pf, postfix_policy_rule_unpriv_n);
    tcase_add_test(pf, postfix_bind_local);
    tcase_add_test(pf, postfix_bind_not_local_falls_back);
    tcase_add_test(pf, postfix_bind_not_local_enforced);
    tcase_add_test(pf, postfix_inet_interfaces_not_local);
    tcase_add_test(pf, postfix_policy_rule_for_port_587);
    tcase_add_test(pf, postfix_smtp_tcp_port);
    tcase_add_test(pf, postfix_policy_rule_for_mail_owner);
    tcase_add_test(pf, postfix_relay_by_name);
    tcase_add_test(pf, postfix_relay_by_mx);
    suite_add_tcase(s, pf);

    TCase *ex = tcase_create("exim");
    tcase_add_unchecked_fixture(ex, names_setup, names_teardown);
    tcase_set_timeout(ex, 90);
    tcase_add_test(ex, exim_manualroute_literal);
    tcase_add_test(ex, exim_interface_local);
    tcase_add_test(ex, exim_interface_not_local);
    tcase_add_test(ex, exim_policy_rule_for_port_587);
    tcase_add_test(ex, exim_policy_rule_for_exim_user);
    suite_add_tcase(s, ex);

    TCase *exc = tcase_create("exim_connect");
    tcase_add_unchecked_fixture(exc, names_setup, names_teardown);
    tcase_set_timeout(exc, 120);
    tcase_add_test(exc, exim_connect_reads_the_live_banner);
    tcase_add_test(exc, exim_connect_judges_the_default_banner);
    suite_add_tcase(s, exc);

    TCase *nr = tcase_create("no_route");
    tcase_add_unchecked_fixture(nr, names_setup, names_teardown);
    tcase_set_timeout(nr, 30);
    tcase_add_test(nr, no_route_in_either_family);
    tcase_add_test(nr, no_route_for_ipv6);
    suite_add_tcase(s, nr);
    return s;
}
