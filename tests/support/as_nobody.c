/* as_nobody - run a parser as an unprivileged user; see as_nobody.h. */
#include "tests/support/as_nobody.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"

#define AS_NOBODY_UID 65534
#define AS_NOBODY_GID 65534

char *as_nobody_diags(void (*fn)(void *arg, struct diag_list *diags), void *arg)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        close(fds[0]);
        /* as root, setgid and setuid change the real, effective and saved ids */
        if (setgroups(0, NULL) != 0 || setgid(AS_NOBODY_GID) != 0 || setuid(AS_NOBODY_UID) != 0 ||
            getuid() != AS_NOBODY_UID)
            _exit(97);
        struct diag_list diags = DIAG_LIST_INIT;
        fn(arg, &diags);
        FILE *out = fdopen(fds[1], "w");
        if (!out)
            _exit(98);
        for (size_t i = 0; i < diags.n; i++) {
            char *line = diag_format(&diags.items[i]);
            fprintf(out, "%s: %s\n", diag_level_tostr(diags.items[i].level), line);
            free(line);
        }
        diag_list_free(&diags);
        _exit(fclose(out) == 0 ? 0 : 98);
    }
    close(fds[1]);
    struct strbuf sb = STRBUF_INIT;
    char buf[4096];
    ssize_t got;
    while ((got = read(fds[0], buf, sizeof(buf))) > 0)
        strbuf_add(&sb, buf, (size_t)got);
    close(fds[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb);
}
