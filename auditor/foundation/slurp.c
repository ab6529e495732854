/* slurp - read a whole regular file; see slurp.h. */
#include "auditor/foundation/slurp.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"

static char *slurp_fail(int fd, struct strbuf *sb, const char **step, const char *what, int err)
{
    if (fd >= 0)
        close(fd);
    strbuf_release(sb);
    *step = what;
    errno = err;
    return NULL;
}

char *slurp_file(const char *path, size_t max, size_t *len, const char **step)
{
    struct strbuf sb = STRBUF_INIT;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return slurp_fail(-1, &sb, step, "open", errno);
    struct stat st;
    if (fstat(fd, &st) != 0)
        return slurp_fail(fd, &sb, step, "read", errno);
    if (!S_ISREG(st.st_mode))
        return slurp_fail(fd, &sb, step, "read", S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
    char buf[65536];
    for (;;) {
        ssize_t got = read(fd, buf, sizeof(buf));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return slurp_fail(fd, &sb, step, "read", errno);
        if (got == 0)
            break;
        if (max && sb.len + (size_t)got > max)
            return slurp_fail(fd, &sb, step, "read", EFBIG);
        strbuf_add(&sb, buf, (size_t)got);
    }
    close(fd);
    *len = sb.len;
    return strbuf_detach(&sb);
}
