/* netns - network namespaces for tests; see netns.h. */
#define _GNU_SOURCE /* setns */
#include "tests/support/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"
#include "tests/support/tsupport.h"

static char netns_last_error[1024];

const char *netns_error(void)
{
    return netns_last_error;
}

char *netns_name(const char *tag)
{
    return xasprintf("mp%.4s%ld", tag, (long)getpid());
}

static int netns_vsh(const char *fmt, va_list ap)
{
    char *cmd = NULL;
    if (vasprintf(&cmd, fmt, ap) < 0)
        abort();
    char *err = NULL;
    int rc = ts_run(cmd, NULL, &err);
    if (rc != 0)
        snprintf(netns_last_error, sizeof(netns_last_error), "'%s' exited %d: %s", cmd, rc, err);
    free(err);
    free(cmd);
    return rc;
}

int netns_sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = netns_vsh(fmt, ap);
    va_end(ap);
    return rc;
}

int netns_add(const char *name)
{
    netns_del(name);
    if (netns_sh("ip netns add %s", name) != 0)
        return -1;
    /* DAD off before any interface exists, so every later one inherits it. */
    if (netns_sh("ip netns exec %s sysctl -qw net.ipv6.conf.default.accept_dad=0 "
                 "net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.dad_transmits=0", name) != 0 ||
        netns_sh("ip -n %s link set lo up", name) != 0) {
        netns_del(name);
        return -1;
    }
    return 0;
}

void netns_del(const char *name)
{
    char *path = xasprintf("/var/run/netns/%s", name);
    if (access(path, F_OK) == 0) {
        char *cmd = xasprintf("ip netns del %s", name);
        ts_run(cmd, NULL, NULL);
        free(cmd);
    }
    free(path);
}

int netns_veth(const char *ns1, const char *if1, const char *ns2, const char *if2)
{
    if (netns_sh("ip link add %s netns %s type veth peer name %s netns %s", if1, ns1, if2, ns2) != 0)
        return -1;
    if (netns_sh("ip -n %s link set %s up && ip -n %s link set %s up", ns1, if1, ns2, if2) != 0)
        return -1;
    return 0;
}

int netns_enter(const char *name)
{
    int saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (saved < 0) {
        snprintf(netns_last_error, sizeof(netns_last_error), "cannot open '/proc/self/ns/net': %s",
                 strerror(errno));
        return -1;
    }
    char *path = xasprintf("/var/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        snprintf(netns_last_error, sizeof(netns_last_error), "cannot enter '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        close(saved);
        free(path);
        return -1;
    }
    close(fd);
    free(path);
    return saved;
}

void netns_leave(int saved)
{
    if (saved < 0)
        return;
    if (setns(saved, CLONE_NEWNET) < 0) {
        /* Staying in the test namespace would mislead every later test. */
        fprintf(stderr, "netns: cannot return to the original namespace: %s\n", strerror(errno));
        abort();
    }
    close(saved);
}

bool netns_wait_for(unsigned timeout_ms, const char *fmt, ...)
{
    char *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&cmd, fmt, ap) < 0)
        abort();
    va_end(ap);
    struct timespec step = { 0, 50 * 1000000L };
    bool ok = false;
    for (unsigned waited = 0; waited <= timeout_ms; waited += 50) {
        if (ts_run(cmd, NULL, NULL) == 0) {
            ok = true;
            break;
        }
        nanosleep(&step, NULL);
    }
    free(cmd);
    return ok;
}

pid_t netns_spawn(const char *ns, const char *const argv[], const char *log)
{
    int nsfd = -1;
    if (ns) {
        char *path = xasprintf("/var/run/netns/%s", ns);
        nsfd = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0) {
            snprintf(netns_last_error, sizeof(netns_last_error), "cannot open '%s': %s", path, strerror(errno));
            free(path);
            return -1;
        }
        free(path);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(netns_last_error, sizeof(netns_last_error), "cannot fork: %s", strerror(errno));
        if (nsfd >= 0)
            close(nsfd);
        return -1;
    }
    if (pid == 0) {
        if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int out = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
            _exit(126);
        size_t n = 0;
        while (argv[n])
            n++;
        char **copy = xcalloc(n + 1, sizeof(*copy));
        for (size_t i = 0; i < n; i++)
            copy[i] = xstrdup(argv[i]);
        execv(copy[0], copy);
        _exit(127);
    }
    if (nsfd >= 0)
        close(nsfd);
    return pid;
}

int netns_reap(pid_t pid, unsigned timeout_ms)
{
    struct timespec step = { 0, 20 * 1000000L };
    int status;
    for (unsigned waited = 0;; waited += 20) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0)
            return -1;
        if (waited >= timeout_ms)
            break;
        nanosleep(&step, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return -1;
}

void netns_kill_all(const char *name)
{
    char *path = xasprintf("/var/run/netns/%s", name);
    bool exists = access(path, F_OK) == 0;
    free(path);
    if (!exists)
        return;
    char *cmd = xasprintf("ip netns pids %s", name);
    struct timespec step = { 0, 50 * 1000000L };
    for (int round = 0; round < 40; round++) {
        char *out = NULL;
        ts_run(cmd, &out, NULL);
        int found = 0;
        for (char *p = out, *end; p && *p; p = end) {
            long pid = strtol(p, &end, 10);
            if (end == p)
                break;
            /* Never this process nor its parent (the runner may be inside). */
            if (pid > 1 && pid != (long)getpid() && pid != (long)getppid()) {
                kill((pid_t)pid, SIGKILL);
                found++;
            }
        }
        free(out);
        if (!found)
            break;
        nanosleep(&step, NULL);
    }
    free(cmd);
}
