/* exim_options - Exim's sections, option lines and driver instances; see
 * exim_options.h. Messages are Exim's own (readconf.c), so that an admin
 * who searches for them finds Exim's documentation. */
#include "parsers/exim_options.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_builtin.h"

enum exim_section {
    EXIM_SEC_MAIN,
    EXIM_SEC_ACLS,
    EXIM_SEC_AUTHENTICATORS,
    EXIM_SEC_LOCAL_SCANS,
    EXIM_SEC_RETRYS,
    EXIM_SEC_REWRITES,
    EXIM_SEC_ROUTERS,
    EXIM_SEC_TRANSPORTS,
};

/* readconf.c section_list, sorted; "begin NAME" gets an 's' appended first. */
static const char *const exim_options_sections[] = {
    "acls", "authenticators", "local_scans", "retrys", "rewrites", "routers", "transports",
};

struct exim_parse {
    struct exim_reader *r;
    struct exim_config *cfg;
    const struct exim_line *line;
    const char *file; /* owned by cfg->files */
};

static const char *exim_options_file(struct exim_config *cfg, const char *file)
{
    if (!file)
        return NULL;
    for (size_t i = cfg->files.n; i-- > 0;)
        if (strcmp(cfg->files.items[i], file) == 0)
            return cfg->files.items[i];
    strlist_add(&cfg->files, file);
    return cfg->files.items[cfg->files.n - 1];
}

static void exim_options_fail(struct exim_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void exim_options_fail(struct exim_parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    exim_reader_fail(p->r, p->line->file, p->line->last_line, "%s", msg);
    free(msg);
}

/* readconf_readname: an optional name starting with a letter, then letters,
 * digits and '_' (at most 63 kept), then white space. */
static const char *exim_options_readname(char *name, size_t size, const char *s)
{
    size_t n = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (isalpha((unsigned char)*s)) {
        while (isalnum((unsigned char)*s) || *s == '_') {
            if (n < size - 1)
                name[n++] = *s;
            s++;
        }
    }
    name[n] = '\0';
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* string_interpret_escape: the character after a backslash at *pp. */
static char exim_options_escape(const char **pp)
{
    const char *p = *pp + 1; /* past the backslash */
    int ch = (unsigned char)*p;
    if (ch >= '0' && ch <= '7') {
        int v = ch - '0';
        for (int i = 0; i < 2 && p[1] >= '0' && p[1] <= '7'; i++)
            v = v * 8 + (*++p - '0');
        ch = v & 0xff;
    } else if (ch == 'x' && isxdigit((unsigned char)p[1])) {
        int v = 0;
        for (int i = 0; i < 2 && isxdigit((unsigned char)p[1]); i++) {
            p++;
            v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
        }
        ch = v;
    } else {
        switch (ch) {
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'v': ch = '\v'; break;
        default: break;
        }
    }
    *pp = p;
    return (char)ch;
}

/* Config text quoted in a message, with non-printing characters escaped
 * as Exim's string_printing() does (\n, \t, \ooo). */
char *exim_options_printable(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            strbuf_adds(&sb, "\\n");
        else if (c == '\t')
            strbuf_adds(&sb, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            strbuf_addf(&sb, "\\%03o", c);
        else
            strbuf_addc(&sb, (char)c);
    }
    return strbuf_detach(&sb);
}

static void exim_options_extra(struct exim_parse *p, const char *s, const char *what)
{
    exim_options_fail(p, "extra characters follow %s%s", what,
                          *s == '#' ? " (# is comment only at line start)" : "");
}

/* read_string: verbatim, or a double-quoted string with escapes. NULL after
 * an error. */
static char *exim_options_string(struct exim_parse *p, const char *s, const char *name)
{
    if (*s != '"')
        return xstrdup(s);
    struct strbuf sb = STRBUF_INIT;
    const char *q = s + 1;
    while (*q && *q != '"') {
        if (*q == '\\' && q[1]) {
            strbuf_addc(&sb, exim_options_escape(&q));
            q++;
        } else {
            strbuf_addc(&sb, *q++);
        }
    }
    if (*q != '"') {
        exim_options_fail(p, "missing quote at end of string value for %s", name);
        strbuf_release(&sb);
        return NULL;
    }
    q++;
    if (*q) {
        char *what = xasprintf("string value for %s", name);
        exim_options_extra(p, q, what);
        free(what);
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb);
}

static void exim_options_push(struct exim_option_list *list, struct exim_parse *p, const char *name,
                              char *value, bool negated, bool bare)
{
    XGROW(list->items, list->cap, list->n + 1);
    struct exim_option *o = &list->items[list->n++];
    o->name = xstrdup(name);
    o->value = value;
    o->negated = negated;
    o->bare = bare;
    o->file = p->file;
    o->line = p->line->line;
    memset(&o->macros, 0, sizeof(o->macros));
    for (size_t i = 0; p->line->macros && i < p->line->macros->n; i++)
        strlist_add(&o->macros, p->line->macros->items[i]);
}

/* A built-in macro name: "_" followed by the parts joined with "_", upper
 * case ("OPT", "ROUTERS", "ipv4_only" -> "_OPT_ROUTERS_IPV4_ONLY"); c may be
 * NULL. */
static char *exim_options_macro_name(const char *a, const char *b, const char *c, const char *d)
{
    char *name = d ? xasprintf("_%s_%s_%s_%s", a, b, c, d) : xasprintf("_%s_%s_%s", a, b, c);
    for (char *p = name; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return name;
}

static bool exim_options_repeatable(enum exim_section sec, const char *name)
{
    if (sec != EXIM_SEC_ROUTERS && sec != EXIM_SEC_TRANSPORTS)
        return false;
    if (strcmp(name, "headers_add") == 0 || strcmp(name, "headers_remove") == 0)
        return true;
    return sec == EXIM_SEC_ROUTERS && (strcmp(name, "condition") == 0 || strcmp(name, "set") == 0);
}

/* readconf_handle_option. kind: how the option's existence and type are
 * known: main options from the table; driver options from the built-in
 * _OPT_ macros (type unknown: a bare name is taken as a boolean).
 * Returns false after an error. */
static bool exim_options_option(struct exim_parse *p, enum exim_section sec, const char *drv_class,
                                const char *drv_type, struct exim_option_list *list)
{
    const char *s = p->line->text;
    while (isspace((unsigned char)*s))
        s++;
    if (!isalpha((unsigned char)*s)) {
        char *shown = exim_options_printable(s);
        exim_options_fail(p, "option setting expected: %s", shown);
        free(shown);
        return false;
    }
    char name[64];
    /* "hide" in front only keeps -bP from showing the value */
    for (int n = 0; n < 2; n++) {
        size_t k = 0;
        while (isalnum((unsigned char)*s) || *s == '_') {
            if (k < sizeof(name) - 1)
                name[k++] = *s;
            s++;
        }
        name[k] = '\0';
        while (isspace((unsigned char)*s))
            s++;
        if (strcmp(name, "hide") != 0)
            break;
    }
    size_t offset = 0;
    if (strncmp(name, "no_", 3) == 0)
        offset = 3;
    if (strncmp(name, "not_", 4) == 0)
        offset = 4;
    const char *base = name + offset;

    /* -1 unknown type (driver options), 0 not boolean, 1 boolean */
    int boolean = -1;
    if (sec == EXIM_SEC_MAIN) {
        const struct exim_builtin_option *bo = exim_builtin_main_option(base);
        if (!bo) {
            exim_options_fail(p, "main option \"%s\" unknown", name);
            return false;
        }
        boolean = bo->boolean;
    } else {
        /* Exim defines _OPT_ROUTERS_NAME for each generic router option and
         * _OPT_ROUTER_DRIVER_NAME for each private one (likewise for
         * transports and authenticators) */
        char *generic = xasprintf("%sS", drv_class);
        char *key = exim_options_macro_name("OPT", generic, base, NULL);
        free(generic);
        bool known = exim_builtin_macro_defined(key);
        if (!known && drv_type) {
            free(key);
            key = exim_options_macro_name("OPT", drv_class, drv_type, base);
            known = exim_builtin_macro_defined(key);
        }
        if (!known) {
            exim_options_fail(p, "option \"%s\" unknown%s", name,
                              drv_type ? "" : " (\"driver\" must be specified before any private options)");
            free(key);
            return false;
        }
        if (sec != EXIM_SEC_AUTHENTICATORS)
            boolean = exim_builtin_driver_boolean(key);
        free(key);
    }

    if (!exim_options_repeatable(sec, base) && exim_options_find(list, base)) {
        exim_options_fail(p, "\"%s\" option set for the second time", name);
        return false;
    }

    if (boolean == 0 || (boolean < 0 && offset == 0 && *s == '=')) {
        if (offset != 0) {
            exim_options_fail(p, "negation prefix applied to a non-boolean option");
            return false;
        }
        if (!*s) {
            exim_options_fail(p, "unexpected end of line (data missing) after %s", name);
            return false;
        }
        if (*s != '=') {
            exim_options_fail(p, "missing \"=\" after %s", name);
            return false;
        }
        s++;
        while (isspace((unsigned char)*s))
            s++;
        char *value = exim_options_string(p, s, name);
        if (!value)
            return false;
        exim_options_push(list, p, base, value, false, false);
        return true;
    }

    /* a boolean (or a driver option of unknown type written as one) */
    if (*s != '\0' && (offset != 0 || *s != '=')) {
        char *what = xasprintf("boolean option %s", name);
        exim_options_extra(p, s, what);
        free(what);
        return false;
    }
    bool value = offset == 0;
    bool bare = true;
    if (*s == '=') {
        bare = false;
        s++;
        while (isspace((unsigned char)*s))
            s++;
        /* the routers' more and unseen (opt_expand_bool) may be expansions */
        if (*s == '$' && sec == EXIM_SEC_ROUTERS && (strcmp(base, "more") == 0 || strcmp(base, "unseen") == 0)) {
            char *expr = exim_options_string(p, s, name);
            if (!expr)
                return false;
            exim_options_push(list, p, base, expr, false, false);
            return true;
        }
        char word[64];
        s = exim_options_readname(word, sizeof(word), s);
        if (strcasecmp(word, "true") == 0 || strcasecmp(word, "yes") == 0) {
            value = true;
        } else if (strcasecmp(word, "false") == 0 || strcasecmp(word, "no") == 0) {
            value = false;
        } else {
            exim_options_fail(p, "\"%s\" is not a valid value for the \"%s\" option", word, name);
            return false;
        }
        if (*s) {
            char *what = xasprintf("\"%s\" for boolean option %s", word, name);
            exim_options_extra(p, s, what);
            free(what);
            return false;
        }
    }
    exim_options_push(list, p, base, xstrdup(value ? "true" : "false"), offset != 0, bare);
    return true;
}

/* read_named_list; s points past the kind ("domainlist"). */
static bool exim_options_named(struct exim_parse *p, const char *kind, const char *tname, const char *s)
{
    if (strncmp(s, "_cache", 6) == 0)
        s += 6;
    if (!isspace((unsigned char)*s)) {
        exim_options_fail(p, "unrecognized configuration line");
        return false;
    }
    while (isspace((unsigned char)*s))
        s++;
    const char *ss = s;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    char *name = xstrndup(ss, (size_t)(s - ss));
    while (isspace((unsigned char)*s))
        s++;
    if (exim_options_named_list(p->cfg, kind, name)) {
        exim_options_fail(p, "duplicate name \"%s\" for a named %s", name, tname);
        free(name);
        return false;
    }
    if (*s++ != '=') {
        exim_options_fail(p, "missing '=' after \"%s\"", name);
        free(name);
        return false;
    }
    while (isspace((unsigned char)*s))
        s++;
    char *value = exim_options_string(p, s, name);
    if (!value) {
        free(name);
        return false;
    }
    struct exim_config *cfg = p->cfg;
    XGROW(cfg->lists, cfg->lists_cap, cfg->nlists + 1);
    struct exim_named_list *nl = &cfg->lists[cfg->nlists++];
    nl->kind = xstrdup(kind);
    nl->name = name;
    nl->value = value;
    nl->file = p->file;
    nl->line = p->line->line;
    return true;
}

static bool exim_options_main_line(struct exim_parse *p)
{
    const char *s = p->line->text;
    if (isupper((unsigned char)*s))
        return exim_reader_define(p->r, p->line);
    static const struct {
        const char *kind;
        const char *tname;
    } lists[] = {
        { "domainlist", "domain list" },
        { "hostlist", "host list" },
        { "addresslist", "address list" },
        { "localpartlist", "local part list" },
    };
    const char *t = s;
    if (strncmp(t, "hide", 4) == 0 && isspace((unsigned char)t[4])) {
        t += 4;
        while (isspace((unsigned char)*t))
            t++;
    }
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        size_t n = strlen(lists[i].kind);
        if (strncmp(t, lists[i].kind, n) == 0)
            return exim_options_named(p, lists[i].kind, lists[i].tname, t + n);
    }
    return exim_options_option(p, EXIM_SEC_MAIN, NULL, NULL, &p->cfg->main);
}

struct exim_driver_state {
    struct exim_driver *cur;
    char *type; /* driver = value of cur, or NULL */
};

static bool exim_options_driver_end(struct exim_parse *p, struct exim_driver_state *st, const char *class_lc)
{
    if (st->cur && !st->type) {
        char *msg = xasprintf("no driver defined for %s \"%s\"", class_lc, st->cur->name);
        exim_reader_fail(p->r, st->cur->file, st->cur->line, "%s", msg);
        free(msg);
        return false;
    }
    st->cur = NULL;
    free(st->type);
    st->type = NULL;
    return true;
}

/* readconf_driver_init for one logical line. */
static bool exim_options_driver_line(struct exim_parse *p, enum exim_section sec, struct exim_driver_list *list,
                                     struct exim_driver_state *st)
{
    const char *class_uc = sec == EXIM_SEC_ROUTERS ? "ROUTER" : sec == EXIM_SEC_TRANSPORTS ? "TRANSPORT" : "AUTHENTICATOR";
    const char *class_lc = sec == EXIM_SEC_ROUTERS ? "router" : sec == EXIM_SEC_TRANSPORTS ? "transport" : "authenticator";
    char name[64];
    const char *s = exim_options_readname(name, sizeof(name), p->line->text);
    if (isupper((unsigned char)name[0]) && *s == '=') {
        if (!exim_options_driver_end(p, st, class_lc))
            return false;
        return exim_reader_define(p->r, p->line);
    }
    if (*s == ':') {
        if (!exim_options_driver_end(p, st, class_lc))
            return false;
        if (exim_options_driver(list, name)) {
            exim_options_fail(p, "there are two %ss called \"%s\"", class_lc, name);
            return false;
        }
        s++;
        while (isspace((unsigned char)*s))
            s++;
        if (*s) {
            char *what = xasprintf("driver name %s", name);
            exim_options_extra(p, s, what);
            free(what);
            return false;
        }
        XGROW(list->items, list->cap, list->n + 1);
        st->cur = &list->items[list->n++];
        memset(st->cur, 0, sizeof(*st->cur));
        st->cur->name = xstrdup(name);
        st->cur->file = p->file;
        st->cur->line = p->line->line;
        return true;
    }
    if (!st->cur) {
        exim_options_fail(p, "%s name missing", class_lc);
        return false;
    }
    if (!exim_options_option(p, sec, class_uc, st->type, &st->cur->opts))
        return false;
    const struct exim_option *o = &st->cur->opts.items[st->cur->opts.n - 1];
    if (!st->type && strcmp(o->name, "driver") == 0) {
        char *drv = exim_options_macro_name("DRIVER", class_uc, o->value, NULL);
        bool known = exim_builtin_macro_defined(drv);
        free(drv);
        if (!known) {
            exim_options_fail(p, "%s %s: cannot find %s driver \"%s\"", class_lc, st->cur->name, class_lc, o->value);
            return false;
        }
        st->type = xstrdup(o->value);
    }
    return true;
}

/* readconf_acl: ACL names and macro definitions; the ACL bodies are not
 * interpreted. */
static bool exim_options_acl_line(struct exim_parse *p, bool *in_acl)
{
    char name[64];
    const char *s = exim_options_readname(name, sizeof(name), p->line->text);
    if (isupper((unsigned char)name[0]) && *s == '=')
        return exim_reader_define(p->r, p->line);
    if (*s == ':' && name[0]) {
        *in_acl = true;
        return true;
    }
    if (!*in_acl) {
        exim_options_fail(p, "missing or malformed ACL name");
        return false;
    }
    return true;
}

static int exim_options_section(struct exim_parse *p, const char *s)
{
    char *want = xstrdup(s);
    size_t n = strlen(want);
    if (!n || tolower((unsigned char)want[n - 1]) != 's') {
        char *w = xasprintf("%ss", want);
        free(want);
        want = w;
    }
    for (size_t i = 0; i < sizeof(exim_options_sections) / sizeof(exim_options_sections[0]); i++) {
        if (strcasecmp(want, exim_options_sections[i]) == 0) {
            free(want);
            return (int)i + 1;
        }
    }
    free(want);
    exim_options_fail(p, "\"%s\" is not a known configuration section name", s);
    return -1;
}

int exim_options_read(struct exim_reader *r, const char *path, struct exim_config *cfg)
{
    cfg->path = xstrdup(path);
    struct exim_parse p = { r, cfg, NULL, NULL };
    enum exim_section sec = EXIM_SEC_MAIN;
    unsigned had = 0;
    struct exim_driver_state st = { NULL, NULL };
    bool in_acl = false;
    const struct exim_line *line;
    bool ok = true;

    while (ok && (line = exim_reader_next(r)) != NULL) {
        p.line = line;
        p.file = exim_options_file(cfg, line->file);
        if (strncasecmp(line->text, "begin ", 6) == 0) {
            if (sec == EXIM_SEC_ROUTERS || sec == EXIM_SEC_TRANSPORTS || sec == EXIM_SEC_AUTHENTICATORS) {
                ok = exim_options_driver_end(&p, &st, sec == EXIM_SEC_ROUTERS      ? "router"
                                                      : sec == EXIM_SEC_TRANSPORTS ? "transport"
                                                                                   : "authenticator");
                if (!ok)
                    break;
            }
            const char *s = line->text + 6;
            while (isspace((unsigned char)*s))
                s++;
            int next = exim_options_section(&p, s);
            if (next < 0) {
                ok = false;
                break;
            }
            if (had & (1u << next)) {
                exim_options_fail(&p, "\"%s\" section is repeated in the configuration file",
                                  exim_options_sections[next - 1]);
                ok = false;
                break;
            }
            had |= 1u << next;
            sec = (enum exim_section)next;
            in_acl = false;
            continue;
        }
        switch (sec) {
        case EXIM_SEC_MAIN:
            ok = exim_options_main_line(&p);
            break;
        case EXIM_SEC_ACLS:
            ok = exim_options_acl_line(&p, &in_acl);
            break;
        case EXIM_SEC_ROUTERS:
            ok = exim_options_driver_line(&p, sec, &cfg->routers, &st);
            break;
        case EXIM_SEC_TRANSPORTS:
            ok = exim_options_driver_line(&p, sec, &cfg->transports, &st);
            break;
        case EXIM_SEC_AUTHENTICATORS:
            ok = exim_options_driver_line(&p, sec, &cfg->authenticators, &st);
            break;
        case EXIM_SEC_LOCAL_SCANS:
        case EXIM_SEC_RETRYS:
        case EXIM_SEC_REWRITES:
            /* rules, not options; macros cannot be defined here */
            break;
        }
    }
    if (ok && !exim_reader_failed(r) &&
        (sec == EXIM_SEC_ROUTERS || sec == EXIM_SEC_TRANSPORTS || sec == EXIM_SEC_AUTHENTICATORS))
        exim_options_driver_end(&p, &st, sec == EXIM_SEC_ROUTERS      ? "router"
                                         : sec == EXIM_SEC_TRANSPORTS ? "transport"
                                                                      : "authenticator");
    free(st.type);
    const char *mname, *mvalue;
    for (size_t i = 0; exim_reader_user_macro(r, i, &mname, &mvalue); i++) {
        strlist_add(&cfg->macro_names, mname);
        strlist_add(&cfg->macro_values, mvalue);
    }
    cfg->failed = exim_reader_failed(r);
    return cfg->failed ? -1 : 0;
}

void exim_options_free(struct exim_config *cfg)
{
    free(cfg->path);
    for (size_t i = 0; i < cfg->main.n; i++) {
        free(cfg->main.items[i].name);
        free(cfg->main.items[i].value);
        strlist_free(&cfg->main.items[i].macros);
    }
    free(cfg->main.items);
    for (size_t i = 0; i < cfg->nlists; i++) {
        free(cfg->lists[i].kind);
        free(cfg->lists[i].name);
        free(cfg->lists[i].value);
    }
    free(cfg->lists);
    struct exim_driver_list *lists[] = { &cfg->routers, &cfg->transports, &cfg->authenticators };
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            struct exim_driver *d = &lists[l]->items[i];
            free(d->name);
            for (size_t j = 0; j < d->opts.n; j++) {
                free(d->opts.items[j].name);
                free(d->opts.items[j].value);
                strlist_free(&d->opts.items[j].macros);
            }
            free(d->opts.items);
        }
        free(lists[l]->items);
    }
    strlist_free(&cfg->files);
    strlist_free(&cfg->macro_names);
    strlist_free(&cfg->macro_values);
    memset(cfg, 0, sizeof(*cfg));
}

const struct exim_option *exim_options_find(const struct exim_option_list *list, const char *name)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

const struct exim_option *exim_options_main(const struct exim_config *cfg, const char *name)
{
    return exim_options_find(&cfg->main, name);
}

const struct exim_driver *exim_options_driver(const struct exim_driver_list *list, const char *name)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

bool exim_options_bool(const struct exim_option *opt, bool def)
{
    if (!opt)
        return def;
    return strcasecmp(opt->value, "true") == 0 || strcasecmp(opt->value, "yes") == 0;
}

const struct exim_named_list *exim_options_named_list(const struct exim_config *cfg, const char *kind,
                                                      const char *name)
{
    for (size_t i = 0; i < cfg->nlists; i++)
        if (strcmp(cfg->lists[i].kind, kind) == 0 && strcmp(cfg->lists[i].name, name) == 0)
            return &cfg->lists[i];
    return NULL;
}
