/* pf_expand - Postfix $-expansion; see pf_expand.h. */
#include "parsers/pf_expand.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/xalloc.h"

#define PF_EXPAND_WS " \t\r\n"
/* Relational operands nest through fresh expansions (level 0 in Postfix);
 * this bounds the C stack for any input. */
#define PF_EXPAND_MAX_DEPTH 1000

/* Shared by an expansion and the sub-expansions of its relational operands. */
struct pf_expand_root {
    pf_expand_lookup_fn lookup;
    void *ctx;
    int failed;
    char *err;
    size_t work;
    size_t limit;      /* work allowed for this expansion */
    int budget_limited; /* limit comes from the shared budget */
    int depth;
};

struct pf_expand_state {
    struct pf_expand_root *root;
    struct strbuf *out;
    int level; /* Postfix's nesting counter of this expansion */
};

static void pf_expand_parse(struct pf_expand_state *st, const char *value);

static void pf_expand_fail(struct pf_expand_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pf_expand_fail(struct pf_expand_state *st, const char *fmt, ...)
{
    struct pf_expand_root *root = st->root;
    if (!root->failed) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = xvasprintf(fmt, ap);
        va_end(ap);
        root->err = msg;
    }
    root->failed = 1;
}

static int pf_expand_charge(struct pf_expand_state *st, size_t units)
{
    st->root->work += units + 1;
    if (st->root->work > st->root->limit) {
        if (st->root->budget_limited)
            pf_expand_fail(st, "expansion work budget of this configuration is used up "
                               "(self-multiplying $references?)");
        else
            pf_expand_fail(st, "expansion exceeds %u bytes of work (self-multiplying $references?)",
                           PF_EXPAND_MAX_WORK);
        return -1;
    }
    return 0;
}

/* Advance *cp over whitespace to a '{'; 1 when found. */
static int pf_expand_find_curly(char **cp)
{
    size_t n = strspn(*cp, PF_EXPAND_WS);
    if ((*cp)[n] != '{')
        return 0;
    *cp += n;
    return 1;
}

/* *bp points at '{': cut out the balanced payload, skip the whitespace
 * after '}'. NULL on unbalanced braces. */
static char *pf_expand_curly(struct pf_expand_state *st, char **bp)
{
    char *start = *bp, *cp = start + 1, *payload = cp;
    int level = 1;
    for (;; cp++) {
        if (*cp == '\0') {
            pf_expand_fail(st, "unbalanced {} in attribute expression: \"%s\"", start);
            return NULL;
        }
        if (*cp == '{')
            level++;
        else if (*cp == '}' && --level <= 0)
            break;
    }
    *cp++ = '\0';
    *bp = cp + strspn(cp, PF_EXPAND_WS);
    return payload;
}

static int pf_expand_alldig(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* One number of a compatibility level: optional leading blanks, digits. */
static int pf_expand_level_part(const char **cp, long *out)
{
    const char *p = *cp;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    char *end;
    long v = strtol(p, &end, 10);
    if (errno != 0 || v > 100000)
        return -1;
    *out = v;
    *cp = end;
    return 0;
}

/* Parse "major[.minor[.patch]]" (Postfix compat_level_from_string). */
static int pf_expand_compat_level(const char *s, long level[3])
{
    level[0] = level[1] = level[2] = 0;
    const char *cp = s;
    for (int i = 0; i < 3; i++) {
        if (pf_expand_level_part(&cp, &level[i]) < 0)
            return -1;
        if (*cp == '\0')
            return 0;
        if (*cp != '.' || i == 2)
            return -1;
        cp++;
    }
    return -1;
}

/* Expand an operand in a fresh expansion, as Postfix does. */
static char *pf_expand_operand(struct pf_expand_state *st, const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    struct pf_expand_state sub = { st->root, &sb, 0 };
    if (++st->root->depth > PF_EXPAND_MAX_DEPTH)
        pf_expand_fail(st, "unreasonable macro call nesting: \"%.100s\"", text);
    else
        pf_expand_parse(&sub, text);
    st->root->depth--;
    return strbuf_detach(&sb);
}

static const char *const pf_expand_ops[] = { "==", "!=", "<", "<=", ">=", ">" };

/* ${{a} OP {b} ...}: *cp points at the first '{'. Sets *result to "true" or "". */
static int pf_expand_logical(struct pf_expand_state *st, const char **result, char **cp)
{
    char *left = pf_expand_curly(st, cp);
    if (!left)
        return -1;
    size_t oplen = strspn(*cp, "<>!=?+-*/~&|%");
    int op = -1;
    for (size_t i = 0; i < sizeof(pf_expand_ops) / sizeof(pf_expand_ops[0]); i++)
        if (strlen(pf_expand_ops[i]) == oplen && strncmp(*cp, pf_expand_ops[i], oplen) == 0)
            op = (int)i;
    if (op < 0) {
        pf_expand_fail(st, "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: "
                           "\"...%s}>>>%.20s\"", left, *cp);
        return -1;
    }
    char *opstart = *cp;
    *cp += oplen;
    /* "<level" etc.: compare Postfix compatibility levels (major[.minor[.patch]]). */
    size_t suffix = 0;
    while (isalnum((unsigned char)(*cp)[suffix]))
        suffix++;
    int by_level = 0;
    if (suffix > 0) {
        if (suffix != 5 || strncmp(*cp, "level", 5) != 0) {
            pf_expand_fail(st, "bad operator suffix at: \"...%.*s>>>%.*s\"", (int)oplen, opstart, (int)suffix, *cp);
            return -1;
        }
        by_level = 1;
        *cp += suffix;
    }
    if (!pf_expand_find_curly(cp)) {
        pf_expand_fail(st, "\"{expression}\" expected at: \"...{%s} %.*s>>>%.20s\"", left, (int)oplen, opstart,
                       *cp);
        return -1;
    }
    char *right = pf_expand_curly(st, cp);
    if (!right)
        return -1;
    char *l = pf_expand_operand(st, left);
    char *r = pf_expand_operand(st, right);
    int cmp = 0;
    if (!st->root->failed) {
        if (by_level) {
            long lv[3], rv[3];
            if (pf_expand_compat_level(l, lv) < 0)
                pf_expand_fail(st, "malformed compatibility level syntax: \"%s\"", l);
            else if (pf_expand_compat_level(r, rv) < 0)
                pf_expand_fail(st, "malformed compatibility level syntax: \"%s\"", r);
            else
                for (int i = 0; i < 3 && cmp == 0; i++)
                    cmp = lv[i] < rv[i] ? -1 : lv[i] > rv[i];
        } else if (pf_expand_alldig(l) && pf_expand_alldig(r)) {
            errno = 0;
            char *end;
            long lv = strtol(l, &end, 10);
            int lbad = errno != 0;
            errno = 0;
            long rv = strtol(r, &end, 10);
            int rbad = errno != 0;
            if (lbad || rbad)
                pf_expand_fail(st, "mac_exp_eval: bad conversion: %s", lbad ? l : r);
            cmp = lv < rv ? -1 : lv > rv;
        } else {
            cmp = strcmp(l, r);
        }
    }
    free(l);
    free(r);
    if (st->root->failed)
        return -1;
    int truth = 0;
    switch (op) {
    case 0: truth = cmp == 0; break;
    case 1: truth = cmp != 0; break;
    case 2: truth = cmp < 0; break;
    case 3: truth = cmp <= 0; break;
    case 4: truth = cmp >= 0; break;
    default: truth = cmp > 0; break;
    }
    *result = truth ? "true" : "";
    return 0;
}

/* One piece found by the parser: literal text, or the inside of a macro
 * reference (buf may be modified). */
static void pf_expand_piece(struct pf_expand_state *st, int is_expr, char *buf)
{
    if (st->level++ > PF_EXPAND_MAX_NESTING)
        pf_expand_fail(st, "unreasonable macro call nesting: \"%.100s\"", buf);
    if (st->root->failed)
        return;
    if (!is_expr) {
        if (pf_expand_charge(st, strlen(buf)) == 0)
            strbuf_adds(st->out, buf);
        st->level--;
        return;
    }
    char *cp = buf;
    const char *value = NULL;
    char ch = '\0';
    if (pf_expand_find_curly(&cp)) {
        if (pf_expand_logical(st, &value, &cp) < 0)
            return;
        if ((ch = *cp) != '\0') {
            if (ch != '?' && ch != ':') {
                pf_expand_fail(st, "\"?\" or \":\" expected at: \"...}>>>%.20s\"", cp);
                return;
            }
            cp++;
        }
    } else {
        for (;; cp++) {
            ch = *cp;
            if (ch == '\0')
                break;
            if (ch == '?' || ch == ':') {
                *cp++ = '\0';
                break;
            }
            if (!isalnum((unsigned char)ch) && ch != '_') {
                pf_expand_fail(st, "attribute name syntax error at: \"...%.*s>>>%.20s\"", (int)(cp - buf), buf,
                               cp);
                return;
            }
        }
        value = st->root->lookup(st->root->ctx, buf);
    }
    if (pf_expand_charge(st, 0) < 0)
        return;
    const char *iftrue, *iffalse;
    switch (ch) {
    case '?':
        if (pf_expand_find_curly(&cp)) {
            if (!(iftrue = pf_expand_curly(st, &cp)))
                return;
        } else {
            iftrue = cp;
            cp = buf + strlen(buf); /* the rest is the text */
        }
        if (value && *value)
            pf_expand_parse(st, iftrue);
        if (*cp == '\0')
            break;
        if (*cp != ':') {
            pf_expand_fail(st, "\":\" expected at: \"...%s}>>>%.20s\"", iftrue, cp);
            return;
        }
        cp++;
        /* FALLTHROUGH */
    case ':':
        if (pf_expand_find_curly(&cp)) {
            if (!(iffalse = pf_expand_curly(st, &cp)))
                return;
        } else {
            iffalse = cp;
            cp = buf + strlen(buf);
        }
        if (!value || !*value)
            pf_expand_parse(st, iffalse);
        if (*cp != '\0') {
            pf_expand_fail(st, "unexpected input at: \"...%s}>>>%.20s\"", iffalse, cp);
            return;
        }
        break;
    default:
        /* Plain reference: the value is expanded in turn. */
        if (value && *value)
            pf_expand_parse(st, value);
        break;
    }
    if (!st->root->failed)
        st->level--;
}

static void pf_expand_parse(struct pf_expand_state *st, const char *value)
{
    struct strbuf buf = STRBUF_INIT;
    const char *vp = value;
    while (*vp && !st->root->failed) {
        if (*vp != '$') {
            const char *next = strchr(vp, '$');
            size_t n = next ? (size_t)(next - vp) : strlen(vp);
            strbuf_add(&buf, vp, n);
            vp += n;
            continue;
        }
        if (vp[1] == '$') {
            strbuf_addc(&buf, '$');
            vp += 2;
            continue;
        }
        if (buf.len > 0) {
            pf_expand_piece(st, 0, buf.buf);
            strbuf_reset(&buf);
        }
        vp++;
        if (*vp == '{' || *vp == '(') {
            char open = *vp, close = open == '{' ? '}' : ')';
            int level = 1;
            const char *ep = ++vp;
            for (; level > 0; ep++) {
                if (*ep == '\0')
                    break;
                if (*ep == open)
                    level++;
                else if (*ep == close)
                    level--;
            }
            if (level > 0) {
                pf_expand_fail(st, "truncated macro reference: \"%s\"", value);
                break;
            }
            strbuf_add(&buf, vp, (size_t)(ep - vp - 1));
            vp = ep;
        } else {
            const char *ep = vp;
            while (isalnum((unsigned char)*ep) || *ep == '_')
                ep++;
            strbuf_add(&buf, vp, (size_t)(ep - vp));
            vp = ep;
        }
        if (buf.len == 0) {
            pf_expand_fail(st, "empty macro name: \"%s\"", value);
            break;
        }
        pf_expand_piece(st, 1, buf.buf);
        strbuf_reset(&buf);
    }
    if (buf.len > 0 && !st->root->failed)
        pf_expand_piece(st, 0, buf.buf);
    strbuf_release(&buf);
}

int pf_expand_budget(const char *pattern, pf_expand_lookup_fn lookup, void *ctx, struct strbuf *out, char **err,
                     size_t *budget)
{
    struct pf_expand_root root = { lookup, ctx, 0, NULL, 0, PF_EXPAND_MAX_WORK, 0, 0 };
    if (budget && *budget < root.limit) {
        root.limit = *budget;
        root.budget_limited = 1;
    }
    struct pf_expand_state st = { &root, out, 0 };
    pf_expand_parse(&st, pattern);
    if (budget)
        *budget -= root.work < *budget ? root.work : *budget;
    if (root.failed) {
        if (err)
            *err = root.err;
        else
            free(root.err);
        return -1;
    }
    if (err)
        *err = NULL;
    return 0;
}
