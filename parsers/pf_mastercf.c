/* pf_mastercf - Postfix master.cf reader; see pf_mastercf.h. */
#include "parsers/pf_mastercf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_lines.h"
#include "parsers/pf_maincf.h"

#define PF_MASTERCF_BLANKS " \t\r\n"

/* Daemon skeleton options (single/multi/trigger server) that take an argument. */
#define PF_MASTERCF_OPTS_ARG "imnost"
#define PF_MASTERCF_OPTS_FLAG "cdDlSuvVz"

/* Split text into tokens: runs of non-blanks where { } groups (balanced) may
 * hold blanks; a token that starts with '{' loses its braces and the blanks
 * inside them (Postfix mystrtokq + extpar). */
static void pf_mastercf_tokens(const char *path, unsigned lineno, const char *text, struct strlist *out,
                               struct diag_list *diags)
{
    const char *cp = text;
    for (;;) {
        cp += strspn(cp, PF_MASTERCF_BLANKS);
        if (*cp == '\0')
            break;
        const char *start = cp;
        int level = 0;
        for (; *cp; cp++) {
            if (*cp == '{')
                level++;
            else if (*cp == '}' && level > 0)
                level--;
            else if (level == 0 && strchr(PF_MASTERCF_BLANKS, *cp))
                break;
        }
        size_t len = (size_t)(cp - start);
        if (*start == '{') {
            const char *in = start + 1;
            size_t inlen = len - 1;
            if (inlen > 0 && start[len - 1] == '}') {
                inlen--;
            } else {
                diag_add(diags, DIAG_WARNING, path, lineno, "missing '}' in \"%.*s\"", (int)len, start);
            }
            while (inlen > 0 && strchr(PF_MASTERCF_BLANKS, *in)) {
                in++;
                inlen--;
            }
            while (inlen > 0 && strchr(PF_MASTERCF_BLANKS, in[inlen - 1]))
                inlen--;
            strlist_add_owned(out, xstrndup(in, inlen));
        } else {
            strlist_add_owned(out, xstrndup(start, len));
        }
    }
}

static int pf_mastercf_valid_type(const char *s)
{
    static const char *const types[] = { "inet", "unix", "unix-dgram", "fifo", "pass" };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(s, types[i]) == 0)
            return 1;
    return 0;
}

static int pf_mastercf_valid_bool(const char *s)
{
    return strcmp(s, "-") == 0 || strcmp(s, "y") == 0 || strcmp(s, "n") == 0;
}

/* wakeup: "-" or digits with an optional trailing '?'; maxproc: "-" or digits. */
static int pf_mastercf_valid_number(const char *s, int allow_query)
{
    if (strcmp(s, "-") == 0)
        return 1;
    const char *cp = s;
    while (isdigit((unsigned char)*cp))
        cp++;
    if (cp == s)
        return 0;
    if (allow_query && *cp == '?')
        cp++;
    return *cp == '\0';
}

static void pf_mastercf_add_override(struct pf_service *svc, const char *path, unsigned lineno, const char *arg,
                                     struct diag_list *diags)
{
    char *copy = xstrdup(arg);
    char *name, *value;
    const char *err = pf_maincf_split_nameval(copy, &name, &value);
    if (err) {
        diag_add(diags, DIAG_ERROR, path, lineno, "service %s/%s: -o \"%.100s\": %s", svc->name, svc->type, arg,
                 err);
    } else {
        XGROW(svc->overrides, svc->overrides_cap, svc->noverrides + 1);
        svc->overrides[svc->noverrides].name = xstrdup(name);
        svc->overrides[svc->noverrides].value = xstrdup(value);
        pf_dict_set(&svc->override_index, name, "", NULL, 0)->aux = svc->noverrides;
        svc->noverrides++;
    }
    free(copy);
}

/* Walk the arguments after the command like the daemon's getopt("+...") does. */
static void pf_mastercf_options(struct pf_service *svc, const char *path, unsigned lineno, char **argv, size_t argc,
                                struct diag_list *diags)
{
    for (size_t i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            return; /* first non-option argument */
        if (strcmp(a, "--") == 0)
            return;
        for (size_t j = 1; a[j]; j++) {
            char c = a[j];
            if (strchr(PF_MASTERCF_OPTS_ARG, c)) {
                const char *optarg = NULL;
                if (a[j + 1])
                    optarg = a + j + 1;
                else if (i + 1 < argc)
                    optarg = argv[++i];
                if (!optarg) {
                    diag_add(diags, DIAG_ERROR, path, lineno,
                             "service %s/%s: option -%c requires a value; the daemon would exit with a usage error",
                             svc->name, svc->type, c);
                    return;
                }
                if (c == 'o')
                    pf_mastercf_add_override(svc, path, lineno, optarg, diags);
                break;
            }
            if (!strchr(PF_MASTERCF_OPTS_FLAG, c)) {
                diag_add(diags, DIAG_ERROR, path, lineno,
                         "service %s/%s: invalid option -%c; the daemon would exit with a usage error", svc->name,
                         svc->type, c);
                break;
            }
        }
    }
}

static void pf_mastercf_entry(struct pf_mastercf *m, const char *text, unsigned lineno, struct diag_list *diags)
{
    struct strlist tok = STRLIST_INIT;
    pf_mastercf_tokens(m->path, lineno, text, &tok, diags);
    if (tok.n < 8) {
        diag_add(diags, DIAG_ERROR, m->path, lineno, "bad field count");
        strlist_free(&tok);
        return;
    }
    /* Postfix quotes the entry with single blanks between the fields. */
    struct strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < tok.n; i++) {
        if (i)
            strbuf_addc(&line, ' ');
        strbuf_adds(&line, tok.items[i]);
    }
    static const char *const fields[] = { NULL, "type", "private", "unprivileged", "chroot", "wakeup",
                                          "process_limit" };
    for (int f = 1; f <= 6; f++) {
        const char *v = tok.items[f];
        int ok = f == 1   ? pf_mastercf_valid_type(v)
                 : f <= 4 ? pf_mastercf_valid_bool(v)
                          : pf_mastercf_valid_number(v, f == 5);
        if (!ok) {
            diag_add(diags, DIAG_ERROR, m->path, lineno, "invalid %s field \"%s\" in \"%.100s%s\"", fields[f], v,
                     line.buf, line.len > 100 ? "..." : "");
            strbuf_release(&line);
            strlist_free(&tok);
            return;
        }
    }
    strbuf_release(&line);

    XGROW(m->items, m->cap, m->n + 1);
    struct pf_service *svc = &m->items[m->n];
    memset(svc, 0, sizeof(*svc));
    svc->name = xstrdup(tok.items[0]);
    svc->type = xstrdup(tok.items[1]);
    svc->command = xstrdup(tok.items[7]);
    svc->line = lineno;
    svc->privileged = strcmp(tok.items[3], "n") == 0;
    pf_mastercf_options(svc, m->path, lineno, tok.items + 8, tok.n - 8, diags);

    char *key = xasprintf("%s/%s", svc->name, svc->type);
    struct pf_param *old = pf_dict_find(&m->index, key);
    if (old) {
        struct pf_service *prev = &m->items[old->aux];
        prev->replaced = 1;
        diag_add(diags, DIAG_WARNING, m->path, lineno, "service %s is defined again: this entry replaces line %u",
                 key, prev->line);
    }
    struct pf_param *p = pf_dict_set(&m->index, key, "", m->path, lineno);
    p->aux = m->n;
    free(key);
    m->n++;
    strlist_free(&tok);
}

void pf_mastercf_load_text(struct pf_mastercf *m, const char *path, const char *text, size_t len,
                           struct diag_list *diags)
{
    memset(m, 0, sizeof(*m));
    m->path = xstrdup(path);
    struct pf_lines lines = PF_LINES_INIT;
    pf_lines_split(m->path, text, len, &lines, diags);
    for (size_t i = 0; i < lines.n; i++)
        pf_mastercf_entry(m, lines.items[i].text, lines.items[i].lineno, diags);
    pf_lines_free(&lines);
}

int pf_mastercf_load(struct pf_mastercf *m, const char *dir, struct diag_list *diags)
{
    memset(m, 0, sizeof(*m));
    m->path = xasprintf("%s/master.cf", dir);
    struct pf_lines lines = PF_LINES_INIT;
    if (pf_lines_read_file(m->path, DIAG_ERROR, &lines, diags) < 0)
        return -1;
    for (size_t i = 0; i < lines.n; i++)
        pf_mastercf_entry(m, lines.items[i].text, lines.items[i].lineno, diags);
    pf_lines_free(&lines);
    return 0;
}

const struct pf_service *pf_mastercf_find(const struct pf_mastercf *m, const char *name, const char *type)
{
    char *key = xasprintf("%s/%s", name, type);
    const struct pf_param *p = pf_dict_find(&m->index, key);
    free(key);
    return p ? &m->items[p->aux] : NULL;
}

const char *pf_mastercf_override(const struct pf_service *svc, const char *name)
{
    const struct pf_param *p = pf_dict_find(&svc->override_index, name);
    return p ? svc->overrides[p->aux].value : NULL;
}

const char *pf_mastercf_command_base(const struct pf_service *svc)
{
    const char *slash = strrchr(svc->command, '/');
    return slash ? slash + 1 : svc->command;
}

void pf_mastercf_free(struct pf_mastercf *m)
{
    for (size_t i = 0; i < m->n; i++) {
        struct pf_service *svc = &m->items[i];
        for (size_t j = 0; j < svc->noverrides; j++) {
            free(svc->overrides[j].name);
            free(svc->overrides[j].value);
        }
        free(svc->overrides);
        pf_dict_free(&svc->override_index);
        free(svc->name);
        free(svc->type);
        free(svc->command);
    }
    free(m->items);
    pf_dict_free(&m->index);
    free(m->path);
    memset(m, 0, sizeof(*m));
}
