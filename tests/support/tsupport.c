/* tsupport - helpers shared by the test suites; see tsupport.h. */
#include "tests/support/tsupport.h"

#include <errno.h>
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
