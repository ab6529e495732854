/* fake_dns - the suite's own DNS server for tests; see fake_dns.h. */
#include "tests/support/fake_dns.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/tsupport.h"

int fake_dns_start(struct fake_dns *f, const char *mode, const char *address, unsigned port)
{
    int fds[2];
    memset(f, 0, sizeof(*f));
    if (!address)
        address = "127.0.0.1";
    int v6 = strchr(address, ':') != NULL;
    char listen[80];
    snprintf(listen, sizeof(listen), v6 ? "[%s]:%u" : "%s:%u", address, port);
    if (pipe(fds) != 0) {
        snprintf(f->error, sizeof(f->error), "cannot make a pipe");
        return -1;
    }
    char *tool = ts_tool("fake_dns");
    pid_t pid = fork();
    if (pid == 0) {
        /* A failing assertion ends the test process: take the server along. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(tool, "fake_dns", listen, mode, (char *)NULL);
        _exit(127);
    }
    free(tool);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        snprintf(f->error, sizeof(f->error), "cannot fork");
        return -1;
    }
    f->pid = pid;
    char line[32] = "";
    ssize_t got = 0;
    struct pollfd p = { fds[0], POLLIN, 0 };
    if (poll(&p, 1, 5000) == 1)
        got = read(fds[0], line, sizeof(line) - 1);
    close(fds[0]);
    if (got > 0) {
        line[got] = '\0';
        f->port = (unsigned)strtoul(line, NULL, 10);
    }
    if (f->port == 0) {
        snprintf(f->error, sizeof(f->error), "fake_dns %s %s did not start (is MP_TOOLS set?)", listen, mode);
        fake_dns_stop(f);
        return -1;
    }
    snprintf(f->server, sizeof(f->server), v6 ? "[%s]:%u" : "%s:%u", address, f->port);
    return 0;
}

void fake_dns_stop(struct fake_dns *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        f->pid = 0;
    }
}
