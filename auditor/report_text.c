/* report_text - the audit as readable text; see report_text.h. */
#include "auditor/report_text.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

#define RT_BOLD "\033[1m"
#define RT_DIM "\033[2m"
#define RT_RED "\033[1;31m"
#define RT_GREEN "\033[32m"
#define RT_YELLOW "\033[33m"
#define RT_MAGENTA "\033[35m"
#define RT_RESET "\033[0m"
/* Prose wraps here; commands and records never wrap, to stay pasteable. */
#define RT_WIDTH 80

struct rt {
    struct strbuf sb;
    bool color;
};

void report_text_wrap(struct strbuf *sb, const char *text, size_t indent, size_t width)
{
    size_t col = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (!w)
            break;
        if (col > indent && col + 1 + w > width) {
            strbuf_addc(sb, '\n');
            col = 0;
        }
        if (!col) {
            for (; col < indent; col++)
                strbuf_addc(sb, ' ');
        } else {
            strbuf_addc(sb, ' ');
            col++;
        }
        strbuf_add(sb, p, w);
        col += w;
        p += w;
    }
    strbuf_addc(sb, '\n');
}

const char *report_text_severity_color(enum finding_severity sev)
{
    switch (sev) {
    case FINDING_CRITICAL:
        return RT_RED;
    case FINDING_WARNING:
        return RT_YELLOW;
    case FINDING_UNKNOWN:
        return RT_MAGENTA;
    case FINDING_INFO:
        break;
    }
    return RT_DIM;
}

static void rt_on(struct rt *r, const char *code)
{
    if (r->color)
        strbuf_adds(&r->sb, code);
}

static void rt_off(struct rt *r)
{
    if (r->color)
        strbuf_adds(&r->sb, RT_RESET);
}

/* rt_esc - append untrusted text escaped. */
static void rt_esc(struct rt *r, const char *s)
{
    char *e = hostname_escape(s);
    strbuf_adds(&r->sb, e);
    free(e);
}

/* rt_safe - append text this program composed (messages, fixes, commands):
 * data inside is already escaped or validated, and a backslash may be part
 * of a shell quote, so only control characters are escaped here, as a
 * last guard. */
static void rt_safe(struct rt *r, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            strbuf_addf(&r->sb, "\\x%02x", *p);
        else
            strbuf_addc(&r->sb, (char)*p);
    }
}

/* rt_prose - a message or fix text wrapped at RT_WIDTH under the finding,
 * after an optional coloured label ("fix:", "note:"); control characters
 * escaped as by rt_safe. */
static void rt_prose(struct rt *r, const char *text, const char *label, size_t indent)
{
    struct rt tmp = { STRBUF_INIT, false };
    rt_safe(&tmp, text);
    struct strbuf wrapped = STRBUF_INIT;
    size_t lead = *label ? strlen(label) + 1 : 0;
    report_text_wrap(&wrapped, tmp.sb.buf, indent + lead, RT_WIDTH);
    strbuf_release(&tmp.sb);
    if (*label) {
        for (size_t i = 0; i < indent; i++)
            strbuf_addc(&r->sb, ' ');
        rt_on(r, RT_GREEN);
        strbuf_adds(&r->sb, label);
        rt_off(r);
        strbuf_addc(&r->sb, ' ');
        /* The wrapped text starts with indent + lead spaces (or is a bare
         * newline for empty text). */
        strbuf_adds(&r->sb, wrapped.len > indent + lead ? wrapped.buf + indent + lead : "\n");
    } else {
        strbuf_adds(&r->sb, wrapped.buf);
    }
    strbuf_release(&wrapped);
}

static void rt_upper(struct rt *r, const char *s)
{
    for (; *s; s++)
        strbuf_addc(&r->sb, (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s);
}

static void rt_status_line(struct rt *r, const struct model_set *set, const struct finding_list *findings)
{
    size_t count[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < findings->n; i++)
        count[findings->items[i].severity]++;
    enum finding_status st = finding_status_of(findings);
    static const char *const status_color[] = { RT_GREEN, RT_YELLOW, RT_RED, RT_MAGENTA };
    strbuf_adds(&r->sb, "mta-preflight: ");
    rt_on(r, status_color[st]);
    rt_upper(r, finding_status_tostr(st));
    rt_off(r);
    strbuf_addf(&r->sb, " - %zu critical, %zu warning, %zu unknown, %zu info; %zu %s audited\n",
                count[FINDING_CRITICAL], count[FINDING_WARNING], count[FINDING_UNKNOWN], count[FINDING_INFO], set->n,
                set->n == 1 ? "identity" : "identities");
}

static void rt_label(struct rt *r, const char *label)
{
    strbuf_adds(&r->sb, "  ");
    rt_on(r, RT_BOLD);
    strbuf_addf(&r->sb, "%-6s", label);
    rt_off(r);
    strbuf_addc(&r->sb, ' ');
}

static void rt_ptr(struct rt *r, const struct facts *facts, const char *addr)
{
    const struct facts_lookup *ptr;
    facts_ptr_confirmed(facts, addr, &ptr);
    strbuf_adds(&r->sb, "         PTR ");
    if (!ptr) {
        strbuf_adds(&r->sb, "not looked up\n");
        return;
    }
    if (ptr->status != FACTS_OK || ptr->answers.n == 0) {
        rt_on(r, facts_status_failed(ptr->status) ? RT_MAGENTA : RT_RED);
        strbuf_addf(&r->sb, "none (%s)", facts_status_tostr(ptr->status));
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
        return;
    }
    enum facts_rrtype type = hostname_address_family(addr) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    for (size_t i = 0; i < ptr->answers.n; i++) {
        const char *name = ptr->answers.items[i];
        const struct facts_lookup *fl = facts_lookup_find(facts, name, type);
        if (i)
            strbuf_adds(&r->sb, "             ");
        rt_esc(r, name);
        strbuf_adds(&r->sb, "  ");
        if (facts_lookup_has_address(fl, addr)) {
            rt_on(r, RT_GREEN);
            strbuf_adds(&r->sb, "forward-confirmed");
        } else if (!fl || facts_status_failed(fl->status)) {
            rt_on(r, RT_MAGENTA);
            strbuf_addf(&r->sb, "forward lookup %s", fl ? facts_status_tostr(fl->status) : "not made");
        } else {
            rt_on(r, RT_RED);
            strbuf_addf(&r->sb, "not confirmed (%s %s)", facts_rrtype_tostr(type),
                        fl->status == FACTS_OK ? "has other addresses" : facts_status_tostr(fl->status));
        }
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
    }
}

static void rt_source(struct rt *r, const struct model_set *set, const struct facts *facts, size_t index,
                      enum model_family f)
{
    const struct model_identity *id = &set->items[index];
    rt_label(r, model_family_tostr(f));
    if (!(id->families & MODEL_FAMILY_BIT(f))) {
        strbuf_adds(&r->sb, "not used by this transport\n");
        return;
    }
    const struct facts_source *s = facts_source_find(facts, index, f);
    if (!s) {
        strbuf_adds(&r->sb, "not probed\n");
        return;
    }
    if (!s->route || !s->address) {
        strbuf_adds(&r->sb, "no route");
        if (s->error) {
            strbuf_adds(&r->sb, " (");
            rt_esc(r, s->error);
            strbuf_addc(&r->sb, ')');
        }
        strbuf_adds(&r->sb, ": not used for delivery\n");
        return;
    }
    rt_esc(r, s->address);
    strbuf_addf(&r->sb, "  %s", facts_how_tostr(s->how));
    if (s->interface) {
        strbuf_adds(&r->sb, " via ");
        rt_esc(r, s->interface);
    }
    strbuf_addf(&r->sb, ", %s", scope_tostr(s->scope));
    if (s->temporary)
        strbuf_adds(&r->sb, ", temporary");
    if (s->deprecated)
        strbuf_adds(&r->sb, ", deprecated");
    if (s->tentative)
        strbuf_adds(&r->sb, ", tentative");
    if (s->bind_local == FACTS_LOCAL_NO) {
        strbuf_adds(&r->sb, ", not local");
        if (s->kernel_address) {
            strbuf_adds(&r->sb, " (kernel would use ");
            rt_esc(r, s->kernel_address);
            strbuf_addc(&r->sb, ')');
        }
    }
    strbuf_addc(&r->sb, '\n');
    rt_ptr(r, facts, s->address);
    if (s->bind_local == FACTS_LOCAL_NO && s->kernel_address && id->mta == MODEL_POSTFIX && !id->bind_enforce)
        rt_ptr(r, facts, s->kernel_address);
}

static void rt_finding(struct rt *r, const struct finding *f)
{
    strbuf_adds(&r->sb, "  ");
    rt_on(r, report_text_severity_color(f->severity));
    strbuf_addf(&r->sb, "%-8s", finding_severity_tostr(f->severity));
    rt_off(r);
    strbuf_addc(&r->sb, ' ');
    rt_on(r, RT_BOLD);
    strbuf_adds(&r->sb, finding_id_tostr(f->id));
    rt_off(r);
    if (f->family >= 0) {
        strbuf_addf(&r->sb, " (%s", model_family_tostr((enum model_family)f->family));
        if (f->address) {
            strbuf_addc(&r->sb, ' ');
            rt_esc(r, f->address);
        }
        strbuf_addc(&r->sb, ')');
    }
    strbuf_addc(&r->sb, '\n');
    rt_prose(r, f->message, "", 11);
    for (size_t i = 0; i < f->fixes.n; i++) {
        const struct fix *x = &f->fixes.items[i];
        rt_prose(r, x->text, x->kind == FIX_NOTE ? "note:" : "fix:", 11);
        /* What to paste goes on its own line, indented past the prose,
         * never wrapped: "$ " marks a command. */
        const char *paste = x->command ? x->command : x->record ? x->record : x->line;
        if (x->file) {
            strbuf_adds(&r->sb, "                  in ");
            rt_esc(r, x->file);
            strbuf_adds(&r->sb, ":\n");
        }
        if (paste) {
            strbuf_adds(&r->sb, x->command ? "                  $ " : "                  ");
            rt_on(r, RT_BOLD);
            rt_safe(r, paste);
            rt_off(r);
            strbuf_addc(&r->sb, '\n');
        }
    }
}

char *report_text(const struct model_set *set, const struct facts *facts, const struct finding_list *findings,
                  bool color)
{
    struct rt r = { STRBUF_INIT, color };
    rt_status_line(&r, set, findings);
    for (size_t i = 0; i < set->nconfigs; i++) {
        strbuf_addf(&r.sb, "  %-8s ", model_mta_tostr(set->configs[i].mta));
        rt_esc(&r, set->configs[i].path);
        if (set->configs[i].how) {
            strbuf_adds(&r.sb, "  (");
            rt_esc(&r, set->configs[i].how);
            strbuf_addc(&r.sb, ')');
        }
        strbuf_addc(&r.sb, '\n');
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        strbuf_addc(&r.sb, '\n');
        rt_on(&r, RT_BOLD);
        rt_esc(&r, id->id);
        rt_off(&r);
        strbuf_addc(&r.sb, '\n');
        rt_label(&r, "EHLO");
        if (facts->helo_override) {
            rt_esc(&r, facts->helo_override);
            strbuf_adds(&r.sb, "  (--helo)");
        } else if (id->helo_dynamic) {
            strbuf_adds(&r.sb, "computed at delivery time: ");
            rt_esc(&r, id->helo_expression);
        } else {
            rt_esc(&r, id->helo_name);
            char *origin = model_origin_tostr(&id->helo_origin);
            if (origin) {
                strbuf_adds(&r.sb, "  (");
                rt_esc(&r, origin);
                strbuf_addc(&r.sb, ')');
            }
            free(origin);
        }
        strbuf_addc(&r.sb, '\n');
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            rt_source(&r, set, facts, i, (enum model_family)f);
        if (id->relay) {
            rt_label(&r, "relay");
            rt_esc(&r, id->relay);
            strbuf_addc(&r.sb, '\n');
        }
        size_t shown = 0;
        for (size_t k = 0; k < findings->n; k++) {
            const struct finding *f = &findings->items[k];
            if (f->identity && id->id && strcmp(f->identity, id->id) == 0) {
                if (!shown++)
                    strbuf_addc(&r.sb, '\n');
                rt_finding(&r, f);
            }
        }
        if (!shown) {
            strbuf_adds(&r.sb, "  ");
            rt_on(&r, RT_GREEN);
            strbuf_adds(&r.sb, "ok");
            rt_off(&r);
            strbuf_adds(&r.sb, ": no findings\n");
        }
    }
    size_t general = 0;
    for (size_t k = 0; k < findings->n; k++) {
        const struct finding *f = &findings->items[k];
        if (f->identity)
            continue;
        if (!general++)
            strbuf_adds(&r.sb, "\nconfiguration\n");
        rt_finding(&r, f);
    }
    return strbuf_detach(&r.sb);
}
