/* exim_reader - Exim's physical and logical configuration lines; see
 * exim_reader.h. The order of the steps per physical line follows
 * readconf.c get_config_line() and macros_expand() of Exim 4.96. */
#include "parsers/exim_reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/slurp.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_builtin.h"

struct exim_macro {
    char *name;
    char *value;
    size_t namelen;
    const char *file; /* interned; NULL for built-in macros */
    unsigned line;
};

struct exim_frame {
    const char *path; /* interned: the name Exim reports */
    char *dir;        /* for relative .include names */
    char *text;
    size_t len, pos;
    unsigned lineno;
    struct exim_origin *map; /* optional, per physical line */
    size_t nmap;
};

struct exim_reader {
    struct diag_list *diags;
    struct exim_frame *frames;
    size_t nframes, frames_cap;
    struct exim_macro *macros;
    size_t nmacros, macros_cap, nbuiltin;
    int cstate;
    int cstack[EXIM_READER_MAX_COND];
    int csp; /* index of the top of cstack, -1 when empty */
    bool failed;
    struct strbuf logical;
    struct strlist names; /* interned strings */
    struct strlist phys_macros;    /* user macros used on the current physical line */
    struct strlist logical_macros; /* ... and on the logical line */
    struct exim_line out;
    size_t work; /* bytes scanned and copied by macro substitution so far */
};

/* readconf.c next_cstate: state 0 reads lines, 1 skips until .else/.elif,
 * 2 skips until .endif. */
static const int exim_reader_next_cstate[3][4] = {
    { 0, 1, 2, 2 },
    { 2, 2, 0, 1 },
    { 2, 2, 2, 2 },
};

static const struct {
    const char *name;
    size_t namelen;
    int action_found, action_missing, pushpop;
} exim_reader_conds[] = {
    { "ifdef", 5, 0, 1, 1 },   { "ifndef", 6, 1, 0, 1 }, { "elifdef", 7, 2, 3, 0 },
    { "elifndef", 8, 3, 2, 0 }, { "else", 4, 2, 2, 0 },   { "endif", 5, 0, 0, -1 },
};

/* A copy of s that lives as long as the reader. */
static const char *exim_reader_intern(struct exim_reader *r, const char *s)
{
    for (size_t i = r->names.n; i-- > 0;)
        if (strcmp(r->names.items[i], s) == 0)
            return r->names.items[i];
    strlist_add(&r->names, s);
    return r->names.items[r->names.n - 1];
}

static void exim_reader_add_macro(struct exim_reader *r, const char *name, const char *value,
                                  const char *file, unsigned line)
{
    XGROW(r->macros, r->macros_cap, r->nmacros + 1);
    struct exim_macro *m = &r->macros[r->nmacros++];
    m->name = xstrdup(name);
    m->value = xstrdup(value);
    m->namelen = strlen(name);
    m->file = file;
    m->line = line;
}

struct exim_reader *exim_reader_new(struct diag_list *diags)
{
    struct exim_reader *r = xcalloc(1, sizeof(*r));
    r->diags = diags;
    r->csp = -1;
    strbuf_init(&r->logical);
    for (size_t i = 0; i < exim_builtin_nmacros; i++)
        exim_reader_add_macro(r, exim_builtin_macros[i].name, exim_builtin_macros[i].value, NULL, 0);
    r->nbuiltin = r->nmacros;
    return r;
}

static void exim_reader_pop(struct exim_reader *r)
{
    struct exim_frame *f = &r->frames[--r->nframes];
    free(f->dir);
    free(f->text);
    free(f->map);
}

void exim_reader_free(struct exim_reader *r)
{
    if (!r)
        return;
    while (r->nframes)
        exim_reader_pop(r);
    free(r->frames);
    for (size_t i = 0; i < r->nmacros; i++) {
        free(r->macros[i].name);
        free(r->macros[i].value);
    }
    free(r->macros);
    strbuf_release(&r->logical);
    strlist_free(&r->names);
    strlist_free(&r->phys_macros);
    strlist_free(&r->logical_macros);
    free(r);
}

void exim_reader_fail(struct exim_reader *r, const char *file, unsigned line, const char *fmt, ...)
{
    if (r->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(r->diags, DIAG_ERROR, file, line, "%s", msg);
    free(msg);
    r->failed = true;
}

/* Record that path (named at file:line, or NULL and 0 for the top-level
 * file) cannot be read and stop: what follows depends on its content. */
static void exim_reader_unreadable(struct exim_reader *r, const char *file, unsigned line, const char *path,
                                   const char *step, int err)
{
    if (r->failed)
        return;
    diag_add_unreadable(r->diags, file, line, path, step, err);
    r->failed = true;
}

bool exim_reader_failed(const struct exim_reader *r)
{
    return r->failed;
}

/* Where the current physical line of the top frame came from. */
static void exim_reader_where(const struct exim_reader *r, const char **file, unsigned *line)
{
    if (!r->nframes) {
        *file = NULL;
        *line = 0;
        return;
    }
    const struct exim_frame *f = &r->frames[r->nframes - 1];
    if (f->map && f->lineno >= 1 && f->lineno <= f->nmap) {
        *file = f->map[f->lineno - 1].file;
        *line = f->map[f->lineno - 1].line;
    } else {
        *file = f->path;
        *line = f->lineno;
    }
}

static void exim_reader_push(struct exim_reader *r, const char *path, char *text, size_t len)
{
    XGROW(r->frames, r->frames_cap, r->nframes + 1);
    struct exim_frame *f = &r->frames[r->nframes++];
    memset(f, 0, sizeof(*f));
    f->path = exim_reader_intern(r, path);
    const char *slash = strrchr(path, '/');
    f->dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    f->text = text;
    f->len = len;
}

/* Read a whole file; NULL with errno and *step set when it cannot be read. */
static char *exim_reader_slurp(const char *path, size_t *len, const char **step)
{
    return slurp_file(path, EXIM_READER_MAX_FILE, len, step);
}

int exim_reader_open_file(struct exim_reader *r, const char *path)
{
    size_t len = 0;
    const char *step = "open";
    char *text = exim_reader_slurp(path, &len, &step);
    if (!text) {
        exim_reader_unreadable(r, NULL, 0, path, step, errno);
        return -1;
    }
    exim_reader_push(r, path, text, len);
    return 0;
}

void exim_reader_open_text(struct exim_reader *r, const char *path, const char *text, size_t len,
                           const struct exim_origin *map, size_t nmap)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    exim_reader_push(r, path, copy, len);
    if (map && nmap) {
        struct exim_frame *f = &r->frames[r->nframes - 1];
        f->map = xreallocarray(NULL, nmap, sizeof(*map));
        for (size_t i = 0; i < nmap; i++) {
            f->map[i].file = exim_reader_intern(r, map[i].file);
            f->map[i].line = map[i].line;
        }
        f->nmap = nmap;
    }
}

/* The next physical line of the top frame into sb, with its newline as
 * fgets() keeps it; like fgets()+strlen(), a NUL byte ends the line's data.
 * Returns false at the end of the frame. */
static bool exim_reader_physical(struct exim_frame *f, struct strbuf *sb)
{
    if (f->pos >= f->len)
        return false;
    const char *start = f->text + f->pos;
    const char *nl = memchr(start, '\n', f->len - f->pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : f->len - f->pos;
    f->pos += n;
    f->lineno++;
    size_t data = strnlen(start, n);
    strbuf_add(sb, start, data);
    return true;
}

static bool exim_reader_macro_start(const char *s)
{
    return isupper((unsigned char)s[0]) || (s[0] == '_' && isupper((unsigned char)s[1]));
}

/* The first occurrence of name (of length n, n > 0) in s[0..len), or NULL.
 * Not strstr(): sanitizers check the whole remaining string on each call,
 * which makes many occurrences in one long line quadratic. */
static const char *exim_reader_find(const char *s, size_t len, const char *name, size_t n)
{
    const char *end = s + len;
    while ((size_t)(end - s) >= n) {
        const char *p = memchr(s, name[0], (size_t)(end - s) - n + 1);
        if (!p)
            return NULL;
        if (memcmp(p, name, n) == 0)
            return p;
        s = p + 1;
    }
    return NULL;
}

/* macros_expand(): substitute macros in the physical line held in sb from
 * offset start. Returns the offset of its first non-blank character and
 * whether any substitution happened. */
static size_t exim_reader_expand(struct exim_reader *r, struct strbuf *sb, size_t start, bool line_start,
                                 bool *found)
{
    size_t ss = start;
    while (isspace((unsigned char)sb->buf[ss]))
        ss++;
    size_t s = ss;
    /* The NAME part of "NAME = value" at the start of a logical line is not
     * substituted. */
    if (line_start && isupper((unsigned char)sb->buf[s])) {
        while (isalnum((unsigned char)sb->buf[s]) || sb->buf[s] == '_')
            s++;
        while (isspace((unsigned char)sb->buf[s]))
            s++;
        if (sb->buf[s] != '=')
            s = ss;
    }
    while (sb->buf[s] && !exim_reader_macro_start(sb->buf + s))
        s++;
    *found = false;
    if (sb->buf[s]) {
        size_t first = sb->buf[s] == '_' ? 0 : r->nbuiltin;
        for (size_t i = first; i < r->nmacros; i++) {
            const struct exim_macro *m = &r->macros[i];
            while (sb->buf[s] && !exim_reader_macro_start(sb->buf + s))
                s++;
            if (!sb->buf[s])
                break;
            /* Exim replaces in place and goes on after the replacement, so
             * the occurrences are those of the text before this macro,
             * left to right, without overlap: one pass builds the result. */
            /* Each macro may double the line (B = AA, C = BB, ...), which
             * Exim follows until memory runs out: stop at a bound on the
             * work instead. */
            r->work += sb->len - s;
            if (r->work > EXIM_READER_MAX_WORK)
                break;
            const char *p = exim_reader_find(sb->buf + s, sb->len - s, m->name, m->namelen);
            if (!p)
                continue;
            struct strbuf nb = STRBUF_INIT;
            strbuf_add(&nb, sb->buf, s);
            size_t pos = s;
            while (p) {
                size_t at = (size_t)(p - sb->buf);
                strbuf_add(&nb, sb->buf + pos, at - pos);
                strbuf_adds(&nb, m->value);
                pos = at + m->namelen;
                p = exim_reader_find(sb->buf + pos, sb->len - pos, m->name, m->namelen);
            }
            strbuf_add(&nb, sb->buf + pos, sb->len - pos);
            r->work += nb.len;
            strbuf_release(sb);
            *sb = nb;
            *found = true;
            if (i >= r->nbuiltin) {
                char *used = m->line ? xasprintf("%s (%s:%u)", m->name, m->file, m->line)
                                     : xasprintf("%s (%s)", m->name, m->file ? m->file : "built in");
                if (!strlist_contains(&r->phys_macros, used))
                    strlist_add_owned(&r->phys_macros, used);
                else
                    free(used);
            }
        }
    }
    if (r->work > EXIM_READER_MAX_WORK) {
        const char *file;
        unsigned lno;
        exim_reader_where(r, &file, &lno);
        exim_reader_fail(r, file, lno, "macro substitution exceeds %u bytes of work (self-multiplying macros?)",
                         EXIM_READER_MAX_WORK);
    }
    /* an empty replacement at the start may have exposed white space */
    while (isspace((unsigned char)sb->buf[ss]))
        ss++;
    return ss;
}

/* A conditional directive at line (which starts with '.'); returns false
 * when the line is not one. */
static bool exim_reader_conditional(struct exim_reader *r, const char *line, bool found)
{
    size_t i;
    for (i = 0; i < sizeof(exim_reader_conds) / sizeof(exim_reader_conds[0]); i++) {
        if (strncmp(line + 1, exim_reader_conds[i].name, exim_reader_conds[i].namelen) != 0)
            continue;
        char n = line[1 + exim_reader_conds[i].namelen];
        /* Exim 4.96 tests for 't' where it means '\t': a directive followed
         * by a tab (or any other character) is silently ignored, and one
         * followed by a 't' is obeyed. */
        if (n != ' ' && n != 't' && n != '\n' && n != '\0')
            return true;
        const char *file;
        unsigned lno;
        exim_reader_where(r, &file, &lno);
        int action = found ? exim_reader_conds[i].action_found : exim_reader_conds[i].action_missing;
        if (exim_reader_conds[i].pushpop > 0) {
            if (r->csp >= EXIM_READER_MAX_COND - 1) {
                exim_reader_fail(r, file, lno, ".%s nested too deeply", exim_reader_conds[i].name);
                return true;
            }
            r->cstack[++r->csp] = r->cstate;
            r->cstate = exim_reader_next_cstate[r->cstate][action];
        } else {
            if (r->csp < 0) {
                exim_reader_fail(r, file, lno, ".%s without matching .ifdef", exim_reader_conds[i].name);
                return true;
            }
            r->cstate = exim_reader_conds[i].pushpop < 0 ? r->cstack[r->csp--]
                                                         : exim_reader_next_cstate[r->cstate][action];
        }
        return true;
    }
    return false;
}

/* .include or .include_if_exists at line; false when the line is neither. */
static bool exim_reader_include(struct exim_reader *r, const char *line)
{
    if (strncmp(line, ".include", 8) != 0)
        return false;
    bool if_exists;
    if (isspace((unsigned char)line[8]))
        if_exists = false;
    else if (strncmp(line + 8, "_if_exists", 10) == 0 && isspace((unsigned char)line[18]))
        if_exists = true;
    else
        return false;

    const char *file;
    unsigned lno;
    exim_reader_where(r, &file, &lno);
    const char *s = line + 9 + (if_exists ? 10 : 0);
    while (isspace((unsigned char)*s))
        s++;
    const char *t = s + strlen(s);
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    if (*s == '"' && t > s && t[-1] == '"') {
        s++;
        if (t > s)
            t--;
    }
    char *name = xstrndup(s, (size_t)(t - s));
    char *path;
    if (*name != '/') {
        if (if_exists) {
            exim_reader_fail(r, file, lno, ".include specifies a non-absolute path \"%s\"", name);
            free(name);
            return true;
        }
        path = xasprintf("%s/%s", r->frames[r->nframes - 1].dir, name);
    } else {
        path = xstrdup(name);
    }
    free(name);

    struct stat st;
    if (if_exists && stat(path, &st) != 0) {
        /* Exim (as root) may see a file that a directory hides from us */
        if (errno != ENOENT && errno != ENOTDIR)
            exim_reader_unreadable(r, file, lno, path, "read", errno);
        free(path);
        return true;
    }
    for (size_t i = 0; i < r->nframes; i++) {
        if (strcmp(r->frames[i].path, path) == 0) {
            /* Exim opens the file again and again until it runs out of file
             * descriptors, then fails to open it. */
            exim_reader_fail(r, file, lno,
                             "failed to open included configuration file %s (include loop: it is already being read)",
                             path);
            free(path);
            return true;
        }
    }
    if (r->nframes >= EXIM_READER_MAX_DEPTH) {
        exim_reader_fail(r, file, lno, "failed to open included configuration file %s (includes nested deeper than %d)",
                         path, EXIM_READER_MAX_DEPTH);
        free(path);
        return true;
    }
    size_t len = 0;
    const char *step = "open";
    char *text = exim_reader_slurp(path, &len, &step);
    if (!text && errno == EISDIR) {
        /* fopen() succeeds on a directory and the first read fails, which
         * Exim takes for the end of the file */
        diag_add(r->diags, DIAG_WARNING, file, lno, "included '%s' is a directory: Exim reads it as an empty file",
                 path);
        text = xstrdup("");
    }
    if (!text && (errno == ENOENT || errno == ENOTDIR)) {
        exim_reader_fail(r, file, lno, "failed to open included configuration file %s: %s", path, strerror(errno));
        free(path);
        return true;
    }
    if (!text) {
        exim_reader_unreadable(r, file, lno, path, step, errno);
        free(path);
        return true;
    }
    exim_reader_push(r, path, text, len);
    free(path);
    return true;
}

const struct exim_line *exim_reader_next(struct exim_reader *r)
{
    if (r->failed || !r->nframes)
        return NULL;
    struct strbuf *lb = &r->logical;
    strbuf_reset(lb);
    strlist_free(&r->logical_macros);
    struct strbuf phys = STRBUF_INIT;
    const char *sfile = NULL;
    unsigned sline = 0;

    for (;;) {
        strbuf_reset(&phys);
        struct exim_frame *f = &r->frames[r->nframes - 1];
        if (!exim_reader_physical(f, &phys)) {
            if (r->nframes > 1) {
                exim_reader_pop(r);
                continue;
            }
            if (r->csp >= 0) {
                const char *file;
                unsigned lno;
                exim_reader_where(r, &file, &lno);
                exim_reader_fail(r, file, lno, "Unexpected end of configuration file: .endif missing");
                strbuf_release(&phys);
                return NULL;
            }
            if (lb->len)
                break;
            strbuf_release(&phys);
            return NULL;
        }
        bool found;
        strlist_free(&r->phys_macros);
        size_t ss = exim_reader_expand(r, &phys, 0, lb->len == 0, &found);
        if (r->failed) {
            strbuf_release(&phys);
            return NULL;
        }
        const char *line = phys.buf + ss;
        if (*line == '#')
            continue;
        if (*line == '.' && exim_reader_conditional(r, line, found)) {
            if (r->failed) {
                strbuf_release(&phys);
                return NULL;
            }
            continue;
        }
        if (r->cstate != 0)
            continue;
        if (exim_reader_include(r, line)) {
            if (r->failed) {
                strbuf_release(&phys);
                return NULL;
            }
            continue;
        }
        if (lb->len == 0)
            exim_reader_where(r, &sfile, &sline);
        for (size_t i = 0; i < r->phys_macros.n; i++)
            if (!strlist_contains(&r->logical_macros, r->phys_macros.items[i]))
                strlist_add(&r->logical_macros, r->phys_macros.items[i]);
        strbuf_adds(lb, line);
        while (lb->len && isspace((unsigned char)lb->buf[lb->len - 1]))
            lb->buf[--lb->len] = '\0';
        if (lb->len) {
            if (lb->buf[lb->len - 1] != '\\')
                break;
            lb->buf[--lb->len] = '\0';
        }
    }
    strbuf_release(&phys);
    r->out.text = lb->buf;
    r->out.macros = &r->logical_macros;
    r->out.file = sfile;
    r->out.line = sline;
    const char *efile;
    unsigned eline;
    exim_reader_where(r, &efile, &eline);
    /* a logical line that ends in another file (EOF after a continuation)
     * is named by its start */
    r->out.last_line = efile == sfile ? eline : sline;
    return &r->out;
}

bool exim_reader_define(struct exim_reader *r, const struct exim_line *line)
{
    const char *s = line->text;
    struct strbuf name = STRBUF_INIT;
    while (isalnum((unsigned char)*s) || *s == '_') {
        if (name.len >= 63) {
            exim_reader_fail(r, line->file, line->last_line, "macro name too long (maximum is 63 characters)");
            strbuf_release(&name);
            return false;
        }
        strbuf_addc(&name, *s++);
    }
    while (isspace((unsigned char)*s))
        s++;
    if (*s++ != '=') {
        exim_reader_fail(r, line->file, line->last_line, "malformed macro definition");
        strbuf_release(&name);
        return false;
    }
    bool redef = false;
    if (*s == '=') {
        redef = true;
        s++;
    }
    while (isspace((unsigned char)*s))
        s++;

    struct exim_macro *existing = NULL;
    for (size_t i = 0; i < r->nmacros; i++) {
        struct exim_macro *m = &r->macros[i];
        if (strcmp(m->name, name.buf) == 0) {
            if (!redef) {
                exim_reader_fail(r, line->file, line->last_line,
                                 "macro \"%s\" is already defined (use \"==\" if you want to redefine it)",
                                 name.buf);
                strbuf_release(&name);
                return false;
            }
            existing = m;
            break;
        }
        if (m->namelen < name.len && strstr(name.buf, m->name)) {
            exim_reader_fail(r, line->file, line->last_line,
                             "\"%s\" cannot be defined as a macro because previously defined macro \"%s\" is a substring",
                             name.buf, m->name);
            strbuf_release(&name);
            return false;
        }
    }
    if (redef) {
        if (!existing) {
            exim_reader_fail(r, line->file, line->last_line, "can't redefine an undefined macro \"%s\"", name.buf);
            strbuf_release(&name);
            return false;
        }
        free(existing->value);
        existing->value = xstrdup(s);
        existing->file = line->file;
        existing->line = line->line;
    } else {
        exim_reader_add_macro(r, name.buf, s, line->file, line->line);
    }
    strbuf_release(&name);
    return true;
}

bool exim_reader_user_macro(const struct exim_reader *r, size_t i, const char **name, const char **value)
{
    if (i >= r->nmacros - r->nbuiltin)
        return false;
    *name = r->macros[r->nbuiltin + i].name;
    *value = r->macros[r->nbuiltin + i].value;
    return true;
}
