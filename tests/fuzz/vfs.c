/* vfs - an in-memory file system for the fuzz harnesses; see vfs.h. */
#include "tests/fuzz/vfs.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/slurp.h"
#include "auditor/foundation/xalloc.h"

#define VFS_MAX 8

struct vfs_file {
    const char *path;
    const char *data;
    size_t len;
};

static struct vfs_file vfs_files[VFS_MAX];
static size_t vfs_n;
static bool vfs_active;

/* The real functions (ld --wrap) and the replacements it routes calls to. */
char *__real_slurp_file(const char *path, size_t max, size_t *len, const char **step);
int __real_stat(const char *path, struct stat *st);
DIR *__real_opendir(const char *path);
char *__wrap_slurp_file(const char *path, size_t max, size_t *len, const char **step);
int __wrap_stat(const char *path, struct stat *st);
DIR *__wrap_opendir(const char *path);

void vfs_begin(void)
{
    vfs_n = 0;
    vfs_active = true;
}

void vfs_add(const char *path, const char *data, size_t len)
{
    if (vfs_n == VFS_MAX)
        abort();
    vfs_files[vfs_n++] = (struct vfs_file){ path, data, len };
}

void vfs_end(void)
{
    vfs_n = 0;
    vfs_active = false;
}

static const struct vfs_file *vfs_find(const char *path)
{
    const struct vfs_file *any = NULL;
    for (size_t i = 0; i < vfs_n; i++) {
        if (strcmp(vfs_files[i].path, path) == 0)
            return &vfs_files[i];
        if (strcmp(vfs_files[i].path, "*") == 0)
            any = &vfs_files[i];
    }
    return any;
}

char *__wrap_slurp_file(const char *path, size_t max, size_t *len, const char **step)
{
    if (!vfs_active)
        return __real_slurp_file(path, max, len, step);
    const struct vfs_file *f = vfs_find(path);
    *step = "open";
    if (!f) {
        errno = ENOENT;
        return NULL;
    }
    if (max && f->len > max) {
        *step = "read";
        errno = EFBIG;
        return NULL;
    }
    char *text = xmalloc(f->len + 1);
    if (f->len)
        memcpy(text, f->data, f->len);
    text[f->len] = '\0';
    *len = f->len;
    return text;
}

int __wrap_stat(const char *path, struct stat *st)
{
    if (!vfs_active)
        return __real_stat(path, st);
    const struct vfs_file *f = vfs_find(path);
    if (!f) {
        /* the directory of a file that exists exists too */
        size_t plen = strlen(path);
        for (size_t i = 0; i < vfs_n; i++) {
            if (strncmp(vfs_files[i].path, path, plen) == 0 && vfs_files[i].path[plen] == '/') {
                memset(st, 0, sizeof(*st));
                st->st_mode = S_IFDIR | 0755;
                st->st_nlink = 2;
                return 0;
            }
        }
        errno = ENOENT;
        return -1;
    }
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFREG | 0644;
    st->st_size = (off_t)f->len;
    st->st_nlink = 1;
    return 0;
}

DIR *__wrap_opendir(const char *path)
{
    if (!vfs_active)
        return __real_opendir(path);
    errno = ENOENT;
    return NULL;
}
