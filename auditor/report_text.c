/* report_text - the audit as readable text; see report_text.h. */
#include "auditor/report_text.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/provider.h"
#include "auditor/report_group.h"
#include "auditor/verdict_inbound.h"

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

static void rt_status_line(struct rt *r, const struct model_set *set, const struct finding_list *findings,
                           const struct report_groups *groups)
{
    size_t count[4];
    report_group_count(groups, findings, count);
    enum finding_status st = finding_status_of(findings);
    static const char *const status_color[] = { RT_GREEN, RT_YELLOW, RT_RED, RT_MAGENTA };
    strbuf_adds(&r->sb, "mta-preflight: ");
    rt_on(r, status_color[st]);
    rt_upper(r, finding_status_tostr(st));
    rt_off(r);
    strbuf_addf(&r->sb, " - %zu critical, %zu warning, %zu unknown, %zu info\n", count[FINDING_CRITICAL],
                count[FINDING_WARNING], count[FINDING_UNKNOWN], count[FINDING_INFO]);
    strbuf_addf(&r->sb, "  %zu %s audited\n", set->n, set->n == 1 ? "identity" : "identities");
}

static void rt_label(struct rt *r, const char *label)
{
    strbuf_adds(&r->sb, "  ");
    rt_on(r, RT_BOLD);
    strbuf_addf(&r->sb, "%-6s", label);
    rt_off(r);
    strbuf_addc(&r->sb, ' ');
}

/* rt_failure - why a lookup gave no verdict: the resolver layer's detail
 * ("no answer within 2 s from 192.0.2.53:53"), else the status and who
 * answered; escaped. */
static char *rt_failure(const struct verdict_set *vs, const struct facts_lookup *l)
{
    if (!l)
        return xstrdup("not looked up");
    if (l->detail)
        return hostname_escape(l->detail);
    char *server = l->server ? hostname_escape(l->server) : NULL;
    const char *word = facts_status_tostr(l->status);
    char *w;
    if (!facts_status_failed(l->status) && vs->resolver == VERDICT_RESOLVER_BROKEN)
        w = xasprintf("%s from %s, which lies", word, server ? server : "the resolver");
    else if (server)
        w = xasprintf("%s from %s", word, server);
    else
        w = xstrdup(word);
    free(server);
    return w;
}

/* rt_ptr - the PTR verdict of an audited family and each name's forward
 * confirmation, as the verdicts say. */
static void rt_ptr(struct rt *r, const struct verdict_set *vs, const struct verdict_family *fam)
{
    strbuf_adds(&r->sb, "         PTR ");
    switch (fam->rev.ptr) {
    case VERDICT_PTR_UNKNOWN: {
        char *why = rt_failure(vs, fam->rev.ptr_lookup);
        rt_on(r, RT_MAGENTA);
        strbuf_addf(&r->sb, "unknown (%s)", why);
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
        free(why);
        return;
    }
    case VERDICT_PTR_MISSING:
        rt_on(r, RT_RED);
        strbuf_addf(&r->sb, "none (%s)", facts_status_tostr(fam->rev.ptr_lookup->status));
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
        return;
    case VERDICT_PTR_INVALID:
        rt_on(r, RT_RED);
        strbuf_adds(&r->sb, "invalid host name");
        for (size_t i = 0; i < fam->rev.ptr_lookup->invalid.n; i++) {
            strbuf_adds(&r->sb, i ? ", '" : " '");
            rt_esc(r, fam->rev.ptr_lookup->invalid.items[i]);
            strbuf_addc(&r->sb, '\'');
        }
        strbuf_adds(&r->sb, " (receivers see no name)");
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
        return;
    case VERDICT_PTR_PRESENT:
        break;
    }
    for (size_t i = 0; i < fam->rev.nnames; i++) {
        const struct verdict_name *vn = &fam->rev.names[i];
        if (i)
            strbuf_adds(&r->sb, "             ");
        rt_esc(r, vn->name);
        strbuf_adds(&r->sb, "  ");
        rt_on(r, vn->fc == VERDICT_FC_CONFIRMED ? RT_GREEN : vn->fc == VERDICT_FC_UNKNOWN ? RT_MAGENTA : RT_RED);
        strbuf_adds(&r->sb, verdict_fc_tostr(vn->fc));
        if (vn->fc == VERDICT_FC_UNKNOWN) {
            char *why = rt_failure(vs, vn->forward);
            strbuf_addf(&r->sb, " (%s)", why);
            free(why);
        }
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
    }
}

static void rt_line(struct rt *r, struct strbuf *line);

/* rt_zone - the reverse zone, who runs it and, with --authoritative, what
 * its servers say; nothing when its SOA is unknown. */
static void rt_zone(struct rt *r, const struct verdict_reverse *rev)
{
    if (!rev->zone)
        return;
    struct rt line = { STRBUF_INIT, r->color };
    strbuf_adds(&r->sb, "         ");
    strbuf_adds(&line.sb, "zone ");
    rt_esc(&line, rev->zone);
    if (rev->mname) {
        strbuf_adds(&line.sb, " (SOA ");
        rt_esc(&line, rev->mname);
        char *mail = provider_rname_mailbox(rev->rname);
        if (mail) {
            strbuf_adds(&line.sb, ", ");
            rt_esc(&line, mail);
        }
        free(mail);
        strbuf_addc(&line.sb, ')');
    }
    const struct provider_match *m = &rev->provider;
    if (m->provider) {
        strbuf_adds(&line.sb, ", owner ");
        rt_esc(&line, m->provider->name);
        strbuf_addf(&line.sb, " (%sfrom the %s)", m->verified ? "" : "probably; ",
                    m->evidence == PROVIDER_BY_PTR ? "default PTR name"
                    : m->evidence == PROVIDER_BY_NS ? "NS names"
                                                    : "SOA");
    }
    if (rev->auth != VERDICT_AUTH_NOT_ASKED)
        strbuf_adds(&line.sb, rev->auth == VERDICT_AUTH_AGREE      ? "; its servers agree"
                              : rev->auth == VERDICT_AUTH_DISAGREE ? "; its servers disagree"
                                                                   : "; no server of it answered");
    rt_line(r, &line.sb);
    strbuf_release(&line.sb);
}

/* rt_line - one composed line, wrapped under the label column when it
 * would pass RT_WIDTH. */
static void rt_line(struct rt *r, struct strbuf *line)
{
    if (line->len + 9 <= RT_WIDTH) {
        strbuf_adds(&r->sb, line->buf);
        strbuf_addc(&r->sb, '\n');
        return;
    }
    struct strbuf wrapped = STRBUF_INIT;
    report_text_wrap(&wrapped, line->buf, 9, RT_WIDTH);
    /* The label already sits at columns 0-8. */
    strbuf_adds(&r->sb, wrapped.buf + 9);
    strbuf_release(&wrapped);
}

static void rt_source(struct rt *r, const struct verdict_set *vs, const struct verdict_identity *vi,
                      enum model_family f)
{
    const struct model_identity *id = vi->id;
    const struct verdict_family *fam = &vi->fam[f];
    rt_label(r, model_family_tostr(f));
    if (!(id->families & MODEL_FAMILY_BIT(f))) {
        strbuf_adds(&r->sb, "not used by this transport\n");
        return;
    }
    if (!fam->used) {
        strbuf_adds(&r->sb, "not audited (--family)\n");
        return;
    }
    const struct facts_source *s = fam->src;
    if (!s) {
        strbuf_adds(&r->sb, "not probed\n");
        return;
    }
    struct rt line = { STRBUF_INIT, r->color };
    if (fam->source == VERDICT_SOURCE_UNUSABLE) {
        strbuf_adds(&line.sb, "no usable source: the bind address ");
        rt_esc(&line, fam->configured);
        strbuf_adds(&line.sb, " is not on this host and the MTA does not fall back");
        rt_line(r, &line.sb);
        strbuf_release(&line.sb);
        return;
    }
    const char *leaves = s->address;
    if (!s->route || !leaves) {
        strbuf_adds(&line.sb, "no route");
        if (s->error) {
            strbuf_adds(&line.sb, " (");
            rt_esc(&line, s->error);
            strbuf_addc(&line.sb, ')');
        }
        strbuf_adds(&line.sb, ": not used for delivery");
        rt_line(r, &line.sb);
        strbuf_release(&line.sb);
        return;
    }
    rt_esc(&line, leaves);
    strbuf_addf(&line.sb, "  %s", fam->falls_back ? "route" : facts_how_tostr(s->how));
    if (s->interface) {
        strbuf_adds(&line.sb, " via ");
        rt_esc(&line, s->interface);
    }
    strbuf_addf(&line.sb, ", %s", scope_tostr(scope_of(leaves)));
    if (s->temporary)
        strbuf_adds(&line.sb, ", temporary");
    if (s->deprecated)
        strbuf_adds(&line.sb, ", deprecated");
    if (s->tentative)
        strbuf_adds(&line.sb, ", tentative");
    if (fam->falls_back) {
        strbuf_adds(&line.sb, " (the bind address ");
        rt_esc(&line, fam->configured);
        strbuf_adds(&line.sb, " is not on this host)");
    }
    rt_line(r, &line.sb);
    strbuf_release(&line.sb);
    if (fam->source == VERDICT_SOURCE_OK) {
        rt_ptr(r, vs, fam);
        rt_zone(r, &fam->rev);
    }
    else if (fam->source == VERDICT_SOURCE_NOT_PUBLIC)
        strbuf_adds(&r->sb, "         PTR not checked: receivers see the NAT's address\n");
}

/* rt_paste - what to paste, on its own line, never wrapped: "$ " marks a
 * command. */
static void rt_paste(struct rt *r, const struct fix *x)
{
    const char *paste = x->command ? x->command : x->record ? x->record : x->line;
    if (x->file) {
        strbuf_adds(&r->sb, "      in ");
        rt_esc(r, x->file);
        strbuf_adds(&r->sb, ":\n");
    }
    if (paste) {
        strbuf_adds(&r->sb, x->command ? "      $ " : "      ");
        rt_on(r, RT_BOLD);
        rt_safe(r, paste);
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
    }
    /* The provider's own way to ask for it: the panel, its command (with
     * placeholders in capitals to fill in). */
    if (x->panel) {
        strbuf_adds(&r->sb, "      where: ");
        rt_safe(r, x->panel);
        strbuf_addc(&r->sb, '\n');
    }
    if (x->how_command) {
        strbuf_adds(&r->sb, "      command: ");
        rt_on(r, RT_BOLD);
        rt_safe(r, x->how_command);
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
    }
    if (x->how_note) {
        strbuf_adds(&r->sb, "      note: ");
        rt_safe(r, x->how_note);
        strbuf_addc(&r->sb, '\n');
    }
    if (x->provider && !x->panel && !x->how_command)
        strbuf_adds(&r->sb, "      (this provider has no panel field or command for it: ask its support)\n");
    if (x->provider && x->how_unverified)
        strbuf_adds(&r->sb, "      (not verified: check the provider's documentation before running it)\n");
}

static bool rt_streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool rt_same_fix(const struct fix *a, const struct fix *b)
{
    return a->kind == b->kind && rt_streq(a->text, b->text) && rt_streq(a->command, b->command)
        && rt_streq(a->record, b->record) && rt_streq(a->file, b->file) && rt_streq(a->line, b->line)
        && rt_streq(a->panel, b->panel) && rt_streq(a->how_command, b->how_command);
}

/* rt_finding - finding k of a group: its first member's finding with the
 * fixes of every member, each distinct fix once, and one text for the
 * commands that share it (postconf -P of each transport). */
static void rt_finding(struct rt *r, const struct finding_list *findings, const struct report_group *g, size_t k)
{
    const struct finding *f = g ? &findings->items[g->findings[0][k]] : &findings->items[k];
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
    rt_prose(r, f->message, "", 4);

    size_t members = g ? g->n : 1;
    const struct fix **seen = NULL;
    size_t nseen = 0;
    for (size_t m = 0; m < members; m++) {
        const struct finding *mf = g ? &findings->items[g->findings[m][k]] : f;
        for (size_t i = 0; i < mf->fixes.n; i++) {
            const struct fix *x = &mf->fixes.items[i];
            bool dup = false;
            for (size_t s = 0; s < nseen && !dup; s++)
                dup = rt_same_fix(seen[s], x);
            if (dup)
                continue;
            seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
            seen[nseen++] = x;
        }
    }
    for (size_t s = 0; s < nseen; s++) {
        const struct fix *x = seen[s];
        bool text_shown = false;
        for (size_t p = 0; p < s && !text_shown; p++)
            text_shown = seen[p]->kind == x->kind && strcmp(seen[p]->text, x->text) == 0
                      && (seen[p]->command || seen[p]->record || seen[p]->line);
        if (!text_shown)
            rt_prose(r, x->text, x->kind == FIX_NOTE ? "note:" : "fix:", 4);
        rt_paste(r, x);
    }
    free(seen);
}

/* rt_helo - the EHLO line of an identity. */
static void rt_helo(struct rt *r, const struct facts *facts, const struct model_identity *id)
{
    struct rt line = { STRBUF_INIT, r->color };
    if (facts->helo_override) {
        rt_esc(&line, facts->helo_override);
        strbuf_adds(&line.sb, "  (--helo)");
    } else if (id->helo_dynamic) {
        strbuf_adds(&line.sb, "computed at delivery time: ");
        rt_esc(&line, id->helo_expression);
    } else {
        rt_esc(&line, id->helo_name);
        char *origin = model_origin_tostr(&id->helo_origin);
        if (origin) {
            strbuf_adds(&line.sb, "  (");
            rt_esc(&line, origin);
            strbuf_addc(&line.sb, ')');
        }
        free(origin);
    }
    rt_label(r, "EHLO");
    rt_line(r, &line.sb);
    strbuf_release(&line.sb);
}

/* rt_inbound_findings - the findings whose identity is ident (a listener
 * or a domain): the inbound ones, dns-failure, source-not-public, and
 * ptr-propagating and the like of a listening address. */
static void rt_inbound_findings(struct rt *r, const struct finding_list *findings, const char *ident)
{
    size_t shown = 0;
    for (size_t k = 0; k < findings->n; k++) {
        const struct finding *f = &findings->items[k];
        if (!f->identity || strcmp(f->identity, ident) != 0)
            continue;
        if (!shown++)
            strbuf_addc(&r->sb, '\n');
        rt_finding(r, findings, NULL, k);
    }
    if (!shown) {
        strbuf_adds(&r->sb, "  ");
        rt_on(r, RT_GREEN);
        strbuf_adds(&r->sb, "ok");
        rt_off(r);
        strbuf_adds(&r->sb, ": no findings\n");
    }
}

/* rt_inbound - the receiving side, apart from the identities: each MX
 * listener with its banner and the PTR of its addresses, then each domain
 * with its MX targets. */
static void rt_inbound(struct rt *r, const struct verdict_set *vs, const struct finding_list *findings)
{
    const struct verdict_inbound *vi = vs->inbound;
    if (!vi || !vi->audited || (!vi->nlisteners && !vi->ndomains))
        return;
    strbuf_adds(&r->sb, "\n");
    rt_on(r, RT_BOLD);
    strbuf_adds(&r->sb, "inbound");
    rt_off(r);
    strbuf_addf(&r->sb, " (%zu listener%s on port 25, %zu domain%s)\n", vi->nlisteners, vi->nlisteners == 1 ? "" : "s",
                vi->ndomains, vi->ndomains == 1 ? "" : "s");
    for (size_t i = 0; i < vi->nlisteners; i++) {
        const struct verdict_listener *vl = &vi->listeners[i];
        const struct listener *l = vl->l;
        strbuf_addc(&r->sb, '\n');
        rt_on(r, RT_BOLD);
        rt_esc(r, l->id);
        rt_off(r);
        strbuf_addc(&r->sb, '\n');
        struct rt line = { STRBUF_INIT, false };
        if (l->banner.text) {
            strbuf_adds(&line.sb, "220 ");
            rt_esc(&line, l->banner.text);
        } else {
            strbuf_adds(&line.sb, l->banner.dynamic ? "decided per connection: " : "unknown ");
            rt_esc(&line, l->banner.raw ? l->banner.raw : "");
        }
        char *origin = model_origin_tostr(&l->banner.origin);
        if (origin && *origin) {
            strbuf_adds(&line.sb, "  (");
            rt_esc(&line, origin);
            strbuf_addc(&line.sb, ')');
        }
        free(origin);
        rt_label(r, "banner");
        rt_line(r, &line.sb);
        strbuf_release(&line.sb);
        if (vl->live) {
            struct rt lv = { STRBUF_INIT, false };
            for (size_t n = 0; n < vl->live->lines.n; n++)
                strbuf_addf(&lv.sb, "%s%u%c%s", n ? " " : "", (unsigned)vl->live->code,
                            n + 1 < vl->live->lines.n ? '-' : ' ', vl->live->lines.items[n]);
            rt_label(r, "live");
            rt_line(r, &lv.sb);
            strbuf_release(&lv.sb);
        } else if (vs->facts->connect_asked) {
            for (size_t n = 0; n < vs->facts->ngreetings; n++) {
                const struct smtp_greet *g = &vs->facts->greetings[n];
                if (strcmp(vs->facts->greeting_listeners.items[n], l->id) != 0)
                    continue;
                struct rt lv = { STRBUF_INIT, false };
                strbuf_adds(&lv.sb, "no greeting from ");
                rt_esc(&lv, g->address);
                strbuf_addf(&lv.sb, " port %u: %s", g->port, smtp_greet_status_tostr(g->status));
                if (g->error) {
                    strbuf_adds(&lv.sb, " (");
                    rt_esc(&lv, g->error);
                    strbuf_addc(&lv.sb, ')');
                }
                rt_label(r, "live");
                rt_line(r, &lv.sb);
                strbuf_release(&lv.sb);
                break;
            }
        }
        if (l->teaser.present && l->teaser.text) {
            struct rt t = { STRBUF_INIT, false };
            strbuf_adds(&t.sb, "220- ");
            rt_esc(&t, l->teaser.text);
            strbuf_adds(&t.sb, "  (postscreen, to new clients first)");
            rt_label(r, "teaser");
            rt_line(r, &t.sb);
            strbuf_release(&t.sb);
        }
        for (size_t k = 0; k < vl->naddrs; k++) {
            const struct verdict_inbound_addr *va = &vl->addrs[k];
            struct rt a = { STRBUF_INIT, false };
            rt_esc(&a, va->address);
            if (va->listening && strcmp(va->listening, VERDICT_INBOUND_PROXY) == 0) {
                strbuf_adds(&a.sb, " (proxy_interfaces)");
            } else if (va->listening) {
                strbuf_adds(&a.sb, " (for ");
                rt_esc(&a, strcmp(va->listening, "*") == 0 ? "the wildcard" : va->listening);
                strbuf_addc(&a.sb, ')');
            }
            strbuf_adds(&a.sb, "  PTR ");
            if (va->ptr == VERDICT_PTR_PRESENT) {
                for (size_t n = 0; n < va->nnames; n++) {
                    if (n)
                        strbuf_adds(&a.sb, ", ");
                    rt_esc(&a, va->names[n]);
                }
                strbuf_adds(&a.sb, va->confirmed == VERDICT_YES ? " (forward-confirmed)"
                                   : va->confirmed == VERDICT_NO ? " (not forward-confirmed)"
                                                                 : " (forward lookup failed)");
            } else if (va->ptr == VERDICT_PTR_UNKNOWN) {
                /* A failed lookup is unknown, never "none". */
                char *why = rt_failure(vs, va->rev.ptr_lookup);
                strbuf_addf(&a.sb, "unknown (%s)", why);
                free(why);
            } else {
                strbuf_adds(&a.sb, va->ptr == VERDICT_PTR_MISSING ? "none" : "not a valid host name");
            }
            if (va->mx_target)
                strbuf_adds(&a.sb, ", an MX points here");
            rt_label(r, hostname_address_family(va->address) == AF_INET6 ? "ipv6" : "ipv4");
            rt_line(r, &a.sb);
            strbuf_release(&a.sb);
            rt_zone(r, &va->rev);
        }
        if (!vl->naddrs) {
            rt_label(r, "addr");
            strbuf_adds(&r->sb, vl->loopback_only ? "loopback only: receives no mail from other hosts, not judged\n"
                                : vl->private_only ? "private addresses only (behind NAT: give --source-ip PUBLIC)\n"
                                                   : "no public address\n");
        }
        rt_inbound_findings(r, findings, l->id);
    }
    if (!vi->receives && vi->ndomains) {
        strbuf_adds(&r->sb, "\n  every listener on port 25 listens on loopback only: this host is no inbound MX, "
                            "and the MX of its domains is not checked\n");
        return;
    }
    for (size_t i = 0; i < vi->ndomains; i++) {
        const struct verdict_domain *vd = &vi->domains[i];
        strbuf_addc(&r->sb, '\n');
        rt_on(r, RT_BOLD);
        rt_esc(r, vd->d->name);
        rt_off(r);
        strbuf_adds(&r->sb, " (");
        rt_esc(r, vd->d->source ? vd->d->source : "");
        strbuf_adds(&r->sb, ")\n");
        struct rt m = { STRBUF_INIT, false };
        if (vd->mx == VERDICT_MX_NONE)
            strbuf_adds(&m.sb, "none");
        else if (vd->mx == VERDICT_MX_NULL)
            strbuf_adds(&m.sb, "null MX (0 .): accepts no mail");
        else if (vd->mx == VERDICT_MX_UNKNOWN && verdict_lookup_failed(vs, vd->mx_lookup)) {
            char *why = rt_failure(vs, vd->mx_lookup);
            strbuf_addf(&m.sb, "unknown (%s)", why);
            free(why);
        } else if (vd->mx == VERDICT_MX_UNKNOWN)
            strbuf_adds(&m.sb, "unknown (no usable answer)");
        for (size_t k = 0; vd->mx == VERDICT_MX_OK && k < vd->ntargets; k++) {
            const struct verdict_mx_target *t = &vd->targets[k];
            if (k)
                strbuf_adds(&m.sb, "; ");
            strbuf_addf(&m.sb, "%u ", t->preference);
            rt_esc(&m, t->name);
            if (t->this_host)
                strbuf_adds(&m.sb, " (this host)");
        }
        rt_label(r, "MX");
        rt_line(r, &m.sb);
        strbuf_release(&m.sb);
        char *ident = verdict_domain_identity(vd->d);
        rt_inbound_findings(r, findings, ident);
        free(ident);
    }
}

char *report_text(const struct model_set *set, const struct verdict_set *vs, const struct finding_list *findings,
                  bool color)
{
    const struct facts *facts = vs->facts;
    struct rt r = { STRBUF_INIT, color };
    struct report_groups groups = REPORT_GROUPS_INIT;
    report_group_build(set, facts, findings, &groups);
    rt_status_line(&r, set, findings, &groups);
    for (size_t i = 0; i < set->nconfigs; i++) {
        struct rt line = { STRBUF_INIT, color };
        strbuf_addf(&line.sb, "  %-8s ", model_mta_tostr(set->configs[i].mta));
        rt_esc(&line, set->configs[i].path);
        if (set->configs[i].how) {
            strbuf_adds(&line.sb, "  (");
            rt_esc(&line, set->configs[i].how);
            strbuf_addc(&line.sb, ')');
        }
        rt_line(&r, &line.sb);
        strbuf_release(&line.sb);
    }
    for (size_t gi = 0; gi < groups.n; gi++) {
        const struct report_group *g = &groups.items[gi];
        const struct verdict_identity *vi = &vs->items[g->members[0]];
        const struct model_identity *id = vi->id;
        strbuf_addc(&r.sb, '\n');
        char *name = report_group_name(set, g);
        struct rt line = { STRBUF_INIT, false };
        rt_esc(&line, name);
        free(name);
        struct strbuf wrapped = STRBUF_INIT;
        report_text_wrap(&wrapped, line.sb.buf, 0, RT_WIDTH);
        rt_on(&r, RT_BOLD);
        strbuf_add(&r.sb, wrapped.buf, wrapped.len - 1);
        rt_off(&r);
        strbuf_addc(&r.sb, '\n');
        strbuf_release(&wrapped);
        strbuf_release(&line.sb);
        rt_helo(&r, facts, id);
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            rt_source(&r, vs, vi, (enum model_family)f);
        if (id->relay) {
            rt_label(&r, "relay");
            rt_esc(&r, id->relay);
            strbuf_addc(&r.sb, '\n');
        }
        for (size_t k = 0; k < g->nfindings; k++) {
            if (!k)
                strbuf_addc(&r.sb, '\n');
            rt_finding(&r, findings, g, k);
        }
        if (!g->nfindings) {
            strbuf_adds(&r.sb, "  ");
            rt_on(&r, RT_GREEN);
            strbuf_adds(&r.sb, "ok");
            rt_off(&r);
            strbuf_adds(&r.sb, ": no findings\n");
        }
    }
    rt_inbound(&r, vs, findings);
    size_t general = 0;
    for (size_t k = 0; k < findings->n; k++) {
        const struct finding *f = &findings->items[k];
        if (f->identity)
            continue;
        if (!general++)
            strbuf_adds(&r.sb, "\nconfiguration\n");
        rt_finding(&r, findings, NULL, k);
    }
    report_group_free(&groups);
    return strbuf_detach(&r.sb);
}

/* rt_brief - one line for a resolved or pending finding. */
static void rt_brief(struct rt *r, const struct finding *f)
{
    struct rt line = { STRBUF_INIT, false };
    strbuf_addf(&line.sb, "  %-8s %s", finding_severity_tostr(f->severity), finding_id_tostr(f->id));
    if (f->identity) {
        strbuf_addc(&line.sb, ' ');
        rt_esc(&line, f->identity);
    }
    if (f->family >= 0) {
        strbuf_addf(&line.sb, " (%s", model_family_tostr((enum model_family)f->family));
        if (f->address) {
            strbuf_addc(&line.sb, ' ');
            rt_esc(&line, f->address);
        }
        strbuf_addc(&line.sb, ')');
    }
    struct strbuf wrapped = STRBUF_INIT;
    report_text_wrap(&wrapped, line.sb.buf, 11, RT_WIDTH);
    /* The first line keeps its own two-space indent. */
    strbuf_adds(&r->sb, "  ");
    strbuf_adds(&r->sb, wrapped.buf + 11);
    strbuf_release(&wrapped);
    strbuf_release(&line.sb);
}

char *report_text_changes(const struct state_changes *changes, const char *state_file, unsigned runs, bool color)
{
    struct rt r = { STRBUF_INIT, color };
    static const char *const status_color[] = { RT_GREEN, RT_YELLOW, RT_RED, RT_MAGENTA };
    strbuf_adds(&r.sb, "mta-preflight: ");
    rt_on(&r, status_color[changes->status]);
    rt_upper(&r, finding_status_tostr(changes->status));
    rt_off(&r);
    if (!changes->added.n && !changes->resolved.n && !changes->pending.n)
        strbuf_adds(&r.sb, " - no change since the last run\n");
    else
        strbuf_addf(&r.sb, " - %zu new, %zu resolved, %zu pending\n", changes->added.n, changes->resolved.n,
                    changes->pending.n);
    struct rt line = { STRBUF_INIT, false };
    strbuf_adds(&line.sb, "  state ");
    rt_esc(&line, state_file);
    strbuf_addf(&line.sb, ", run %u", runs);
    rt_line(&r, &line.sb);
    strbuf_release(&line.sb);
    if (changes->added.n) {
        strbuf_adds(&r.sb, "\nnew\n");
        for (size_t i = 0; i < changes->added.n; i++) {
            const struct finding *f = &changes->added.items[i];
            if (f->identity) {
                strbuf_adds(&r.sb, "  ");
                rt_esc(&r, f->identity);
                strbuf_addc(&r.sb, '\n');
            }
            rt_finding(&r, &changes->added, NULL, i);
        }
    }
    if (changes->resolved.n) {
        strbuf_adds(&r.sb, "\nresolved\n");
        for (size_t i = 0; i < changes->resolved.n; i++)
            rt_brief(&r, &changes->resolved.items[i]);
    }
    if (changes->pending.n) {
        strbuf_adds(&r.sb, "\npending (seen, not yet confirmed)\n");
        for (size_t i = 0; i < changes->pending.n; i++)
            rt_brief(&r, &changes->pending.items[i]);
    }
    return strbuf_detach(&r.sb);
}
