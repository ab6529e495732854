/* mta_version - version of the installed Postfix; see mta_version.h. */
#include "probes/mta_version.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"

extern char **environ;

static long long mta_version_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A version is digits and dots, optionally with a snapshot suffix such as
 * "3.12-20260821": nothing else may reach a report. */
static int mta_version_valid(const char *s)
{
    if (!*s || *s < '0' || *s > '9')
        return 0;
    return strspn(s, "0123456789.-") == strlen(s);
}

char *mta_version_postfix(unsigned timeout_ms)
{
    static const char *const paths[] = {"/usr/sbin/postconf", "/usr/local/sbin/postconf", "/usr/bin/postconf"};
    const char *path = NULL;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !path; i++)
        if (access(paths[i], X_OK) == 0)
            path = paths[i];
    if (!path)
        return NULL;

    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    static char arg0[] = "postconf", arg1[] = "-d", arg2[] = "-h", arg3[] = "mail_version";
    char *argv[] = {arg0, arg1, arg2, arg3, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return NULL;
    }

    char buf[128];
    size_t len = 0;
    long long deadline = mta_version_now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - mta_version_now_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        ssize_t got = read(fds[0], buf + len, sizeof(buf) - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (len == sizeof(buf) - 1)
            break;
    }
    close(fds[0]);
    /* Output ended; give the process the rest of the time to exit. */
    int status = 0;
    pid_t done;
    while ((done = waitpid(pid, &status, WNOHANG)) == 0 && mta_version_now_ms() < deadline) {
        struct timespec pause = {0, 2 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    if (done != pid) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return NULL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NULL;
    buf[len] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return mta_version_valid(buf) ? xstrdup(buf) : NULL;
}
