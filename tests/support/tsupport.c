/* tsupport - helpers shared by the test suites; see tsupport.h. */
#include "tests/support/tsupport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

static void ts_die(const char *what, const char *subject)
{
    fprintf(stderr, "test support: %s '%s': %s\n", what, subject, strerror(errno));
    abort();
}

char *ts_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *templ = xasprintf("%s/mp-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(templ))
        ts_die("cannot create temporary directory", templ);
    return templ;
}

void ts_rmtree(const char *dir)
{
    if (!dir || strncmp(dir, "/tmp/", 5) != 0)
        return;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test support: cannot remove '%s'\n", dir);
    free(cmd);
}

void ts_write_file(const char *path, const char *content)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        ts_die("cannot create", path);
    fputs(content, fp);
    if (fclose(fp) != 0)
        ts_die("cannot write", path);
}

char *ts_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb = STRBUF_INIT;
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
        strbuf_add(&sb, buf, got);
    fclose(fp);
    if (len)
        *len = sb.len;
    return strbuf_detach(&sb);
}

int ts_run(const char *cmd, char **out, char **err)
{
    char *dir = ts_tmpdir("run");
    char *out_path = xasprintf("%s/out", dir);
    char *err_path = xasprintf("%s/err", dir);
    char *full = xasprintf("( %s ) </dev/null >'%s' 2>'%s'", cmd, out_path, err_path);
    int status = system(full);
    int rc;
    if (status == -1)
        rc = 127;
    else if (WIFEXITED(status))
        rc = WEXITSTATUS(status);
    else
        rc = 128 + WTERMSIG(status);
    if (out)
        *out = ts_read_file(out_path, NULL);
    if (err)
        *err = ts_read_file(err_path, NULL);
    if (out && !*out)
        *out = xstrdup("");
    if (err && !*err)
        *err = xstrdup("");
    ts_rmtree(dir);
    free(full);
    free(out_path);
    free(err_path);
    free(dir);
    return rc;
}

const char *ts_bin(void)
{
    const char *bin = getenv("MP_BIN");
    return bin && *bin ? bin : "build/debug/mta-preflight";
}

char *ts_tool(const char *name)
{
    const char *dir = getenv("MP_TOOLS");
    return xasprintf("%s/%s", dir && *dir ? dir : "build/debug/tools", name);
}

bool ts_is_root(void)
{
    return geteuid() == 0;
}

bool ts_under_valgrind(void)
{
    const char *v = getenv("MP_VALGRIND");
    return v && *v;
}

/* Tabs and newlines would break the one-line records: write them as spaces. */
static void ts_skip_field(struct strbuf *sb, const char *s)
{
    for (; *s; s++)
        strbuf_addc(sb, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void tsupport_skip(const char *test, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *reason = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    reason[0] = '\0';
    va_start(ap, fmt);
    if (n > 0)
        vsnprintf(reason, (size_t)n + 1, fmt, ap);
    va_end(ap);

    printf("skipped %s: %s\n", test, reason);
    fflush(stdout);

    const char *path = getenv(TSUPPORT_SKIP_ENV);
    if (path && *path) {
        struct strbuf line = STRBUF_INIT;
        ts_skip_field(&line, test);
        strbuf_addc(&line, '\t');
        ts_skip_field(&line, reason);
        strbuf_addc(&line, '\n');
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, line.buf, line.len) != (ssize_t)line.len)
            fprintf(stderr, "test support: cannot record the skip of %s in '%s': %s\n", test, path,
                    strerror(errno));
        if (fd >= 0)
            close(fd);
        strbuf_release(&line);
    }
    free(reason);
}
