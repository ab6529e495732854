/* pf_maincf - Postfix main.cf reader; see pf_maincf.h. */
#include "parsers/pf_maincf.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"
#include "parsers/pf_lines.h"

static int pf_maincf_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

const char *pf_maincf_split_nameval(char *line, char **name, char **value)
{
    char *np = line;
    while (pf_maincf_isspace(*np))
        np++;
    if (*np == '\0' || *np == '=')
        return "missing attribute name";
    char *ep = np;
    while (*ep && !pf_maincf_isspace(*ep) && *ep != '=')
        ep++;
    char *cp = ep;
    while (pf_maincf_isspace(*cp))
        cp++;
    if (*cp != '=')
        return "missing '=' after attribute name";
    *ep = '\0';
    cp++;
    while (pf_maincf_isspace(*cp))
        cp++;
    char *end = cp + strlen(cp);
    while (end > cp && pf_maincf_isspace(end[-1]))
        *--end = '\0';
    *name = np;
    *value = cp;
    return NULL;
}

static void pf_maincf_init(struct pf_maincf *cf, const char *dir, const char *path)
{
    memset(cf, 0, sizeof(*cf));
    cf->dir = xstrdup(dir);
    cf->path = xstrdup(path);
    /* mail_conf_suck() sets config_directory before it reads main.cf. */
    pf_dict_set(&cf->params, "config_directory", dir, NULL, 0);
}

static void pf_maincf_parse(struct pf_maincf *cf, const struct pf_lines *lines, struct diag_list *diags)
{
    size_t bad = 0, overrides = 0;
    for (size_t i = 0; i < lines->n; i++) {
        char *text = lines->items[i].text;
        unsigned lineno = lines->items[i].lineno;
        char *copy = xstrdup(text);
        char *name, *value;
        const char *err = pf_maincf_split_nameval(copy, &name, &value);
        if (err) {
            if (++bad <= PF_MAINCF_MAX_REPORTS)
                diag_add(diags, DIAG_ERROR, cf->path, lineno, "%s: \"%.100s%s\"", err, text,
                         strlen(text) > 100 ? "..." : "");
            free(copy);
            continue;
        }
        struct pf_param *old = pf_dict_find(&cf->params, name);
        if (old && strcmp(old->value, value) != 0 && ++overrides <= PF_MAINCF_MAX_REPORTS)
            diag_add(diags, DIAG_WARNING, cf->path, lineno, "overriding earlier entry: %s=%.100s%s", name,
                     old->value, strlen(old->value) > 100 ? "..." : "");
        pf_dict_set(&cf->params, name, value, cf->path, lineno);
        free(copy);
    }
    if (bad > PF_MAINCF_MAX_REPORTS)
        diag_add(diags, DIAG_ERROR, cf->path, 0, "%zu more lines without a valid 'name = value' not shown",
                 bad - PF_MAINCF_MAX_REPORTS);
    if (overrides > PF_MAINCF_MAX_REPORTS)
        diag_add(diags, DIAG_WARNING, cf->path, 0, "%zu more overriding entries not shown",
                 overrides - PF_MAINCF_MAX_REPORTS);
}

void pf_maincf_load_text(struct pf_maincf *cf, const char *dir, const char *path, const char *text, size_t len,
                         struct diag_list *diags)
{
    pf_maincf_init(cf, dir, path);
    struct pf_lines lines = PF_LINES_INIT;
    pf_lines_split(cf->path, text, len, &lines, diags);
    pf_maincf_parse(cf, &lines, diags);
    pf_lines_free(&lines);
}

int pf_maincf_load(struct pf_maincf *cf, const char *dir, struct diag_list *diags)
{
    char *path = xasprintf("%s/main.cf", dir);
    pf_maincf_init(cf, dir, path);
    free(path);
    struct pf_lines lines = PF_LINES_INIT;
    if (pf_lines_read_file(cf->path, DIAG_UNREADABLE, &lines, diags) < 0)
        return -1;
    pf_maincf_parse(cf, &lines, diags);
    pf_lines_free(&lines);
    return 0;
}

void pf_maincf_free(struct pf_maincf *cf)
{
    pf_dict_free(&cf->params);
    free(cf->dir);
    free(cf->path);
    cf->dir = cf->path = NULL;
}
