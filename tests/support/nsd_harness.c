/* nsd_harness - nsd for tests; see nsd_harness.h. */
#include "tests/support/nsd_harness.h"

#include <sys/select.h> /* <ares.h> 1.18 needs fd_set */

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/tsupport.h"

static socklen_t nh_sockaddr(const char *address, unsigned port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, address, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        return sizeof(*sin);
    }
    if (inet_pton(AF_INET6, address, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)port);
        return sizeof(*sin6);
    }
    return 0;
}

/* Whether port is free for both UDP and TCP on address. */
static int nh_port_free(const char *address, unsigned port)
{
    struct sockaddr_storage ss;
    socklen_t sl = nh_sockaddr(address, port, &ss);
    int ok = 1;
    if (!sl)
        return 0;
    for (int t = 0; t < 2 && ok; t++) {
        int fd = socket(ss.ss_family, t ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0)
            ok = 0;
        if (fd >= 0)
            close(fd);
    }
    return ok;
}

unsigned nsd_harness_free_port(const char *address, int also_ipv6)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        struct sockaddr_storage ss;
        socklen_t sl = nh_sockaddr(address, 0, &ss);
        int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
        if (fd < 0)
            return 0;
        if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
            close(fd);
            return 0;
        }
        close(fd);
        unsigned port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                                      : ((struct sockaddr_in6 *)&ss)->sin6_port);
        if (nh_port_free(address, port) && (!also_ipv6 || nh_port_free("::1", port)))
            return port;
    }
    return 0;
}

static void nh_fail(struct nsd_harness *h, const char *what)
{
    char *log = NULL;
    if (h->dir) {
        char *path = xasprintf("%s/nsd.log", h->dir);
        log = ts_read_file(path, NULL);
        free(path);
    }
    snprintf(h->error, sizeof(h->error), "%s; nsd said: %s", what, log && *log ? log : "(nothing)");
    free(log);
}

/* One real query: true when any DNS response with our id comes back. */
static int nh_answers(const struct nsd_harness *h, const char *name, const char *netns)
{
    unsigned char *query = NULL;
    int qlen = 0, ok = 0;
    unsigned short id = (unsigned short)(getpid() ^ (unsigned)time(NULL));
    if (ares_create_query(name, ns_c_in, ns_t_soa, id, 0, &query, &qlen, 0) != ARES_SUCCESS)
        return 0;
    int saved = -1;
    if (netns && (saved = netns_enter(netns)) < 0) {
        ares_free_string(query);
        return 0;
    }
    struct sockaddr_storage ss;
    socklen_t sl = nh_sockaddr(h->address, h->port, &ss);
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (netns)
        netns_leave(saved);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, sl) == 0 && send(fd, query, (size_t)qlen, 0) == qlen) {
        struct pollfd p = { fd, POLLIN, 0 };
        unsigned char buf[4096];
        if (poll(&p, 1, 30) == 1) {
            ssize_t got = recv(fd, buf, sizeof(buf), 0);
            ok = got >= 12 && buf[0] == (id >> 8) && buf[1] == (id & 0xff);
        }
    }
    if (fd >= 0)
        close(fd);
    ares_free_string(query);
    return ok;
}

int nsd_harness_start(struct nsd_harness *h, const struct nsd_zone *zones, size_t nzones,
                      const struct nsd_harness_opts *opts)
{
    struct nsd_harness_opts none = { NULL, NULL, 0 };
    const char *ready = NULL;

    if (!opts)
        opts = &none;
    memset(h, 0, sizeof(*h));
    snprintf(h->address, sizeof(h->address), "%s", opts->address ? opts->address : "127.0.0.1");
    h->has_ipv6_loopback = !opts->address && !opts->netns && nh_port_free("::1", 0);
    h->port = opts->port ? opts->port : nsd_harness_free_port(h->address, h->has_ipv6_loopback);
    if (!h->port) {
        nh_fail(h, "no free port");
        return -1;
    }
    h->dir = ts_tmpdir("nsd");

    struct strbuf conf = STRBUF_INIT;
    strbuf_addf(&conf,
                "server:\n  port: %u\n  ip-address: %s\n", h->port, h->address);
    if (h->has_ipv6_loopback)
        strbuf_adds(&conf, "  ip-address: ::1\n");
    strbuf_addf(&conf,
                "  username: \"\"\n  chroot: \"\"\n  zonesdir: \"%s\"\n  database: \"\"\n"
                "  zonelistfile: \"\"\n  xfrdfile: \"\"\n  xfrdir: \"%s\"\n  pidfile: \"\"\n"
                "  logfile: \"%s/nsd.log\"\n  server-count: 1\n  reuseport: no\n  verbosity: 0\n"
                "remote-control:\n  control-enable: no\n",
                h->dir, h->dir, h->dir);
    for (size_t i = 0; i < nzones; i++) {
        const char *origin = zones[i].origin;
        size_t len = strlen(origin);
        int dot = len > 0 && origin[len - 1] == '.';
        if (zones[i].text) {
            char *path = xasprintf("%s/zone%zu.zone", h->dir, i);
            ts_write_file(path, zones[i].text);
            free(path);
            if (!ready)
                ready = origin;
            strbuf_addf(&conf, "zone:\n  name: \"%s%s\"\n  zonefile: \"zone%zu.zone\"\n", origin, dot ? "" : ".", i);
        } else {
            strbuf_addf(&conf, "zone:\n  name: \"%s%s\"\n  zonefile: \"missing%zu.zone\"\n", origin, dot ? "" : ".", i);
        }
    }
    char *conf_path = xasprintf("%s/nsd.conf", h->dir);
    ts_write_file(conf_path, conf.buf);
    strbuf_release(&conf);
    if (!ready) {
        nh_fail(h, "no zone with a zone file to test readiness with");
        free(conf_path);
        nsd_harness_stop(h);
        return -1;
    }

    char *log_path = xasprintf("%s/nsd.log", h->dir);
    pid_t pid = fork();
    if (pid == 0) {
        /* Whatever happens to the test process, nsd does not outlive it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (opts->netns && netns_enter(opts->netns) < 0)
            _exit(126);
        execl("/usr/sbin/nsd", "nsd", "-d", "-c", conf_path, (char *)NULL);
        execlp("nsd", "nsd", "-d", "-c", conf_path, (char *)NULL);
        _exit(127);
    }
    free(log_path);
    free(conf_path);
    if (pid < 0) {
        nh_fail(h, "cannot fork");
        nsd_harness_stop(h);
        return -1;
    }
    h->pid = pid;

    struct timespec step = { 0, 20 * 1000000L };
    for (int waited = 0; waited < 5000; waited += 50) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            h->pid = 0;
            nh_fail(h, "nsd exited during start-up");
            nsd_harness_stop(h);
            return -1;
        }
        if (nh_answers(h, ready, opts->netns))
            return 0;
        nanosleep(&step, NULL);
    }
    nh_fail(h, "nsd did not answer within 5 s");
    nsd_harness_stop(h);
    return -1;
}

const char *nsd_harness_server(const struct nsd_harness *h)
{
    static char buf[64];
    if (strchr(h->address, ':'))
        snprintf(buf, sizeof(buf), "[%s]:%u", h->address, h->port);
    else
        snprintf(buf, sizeof(buf), "%s:%u", h->address, h->port);
    return buf;
}

void nsd_harness_stop(struct nsd_harness *h)
{
    if (h->pid > 0) {
        int status;
        kill(h->pid, SIGTERM);
        struct timespec step = { 0, 20 * 1000000L };
        int waited = 0;
        while (waitpid(h->pid, &status, WNOHANG) == 0) {
            if (waited >= 3000) {
                kill(h->pid, SIGKILL);
                waitpid(h->pid, &status, 0);
                break;
            }
            nanosleep(&step, NULL);
            waited += 20;
        }
        h->pid = 0;
    }
    if (h->dir) {
        ts_rmtree(h->dir);
        free(h->dir);
        h->dir = NULL;
    }
}
