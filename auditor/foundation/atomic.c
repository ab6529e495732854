/* atomic - whole-file replacement by rename; see atomic.h. */
#include "auditor/foundation/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"

static int atomic_fail(char **error, const char *path, int err, const char *tmp)
{
    if (tmp)
        unlink(tmp);
    *error = xasprintf("cannot write '%s': %s", path, strerror(err));
    return -1;
}

int atomic_write(const char *path, const void *data, size_t len, mode_t mode, char **error)
{
    char *tmp = xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        return atomic_fail(error, path, err, NULL);
    }
    const char *p = data;
    size_t left = len;
    int err = 0;
    while (left > 0 && !err) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            err = w < 0 ? errno : EIO;
        else {
            p += w;
            left -= (size_t)w;
        }
    }
    if (!err && fchmod(fd, mode) != 0)
        err = errno;
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        int rc = atomic_fail(error, path, err, tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    /* The rename itself is durable once the directory is. */
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    return 0;
}
