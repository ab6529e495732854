/* check - the audit's checks; see check.h. */
#include "auditor/check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/ptr_generic.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"

#define CHECK_MAXNAMES 16

enum check_ptr { CHECK_PTR_UNKNOWN, CHECK_PTR_MISSING, CHECK_PTR_OK };
enum check_fc { CHECK_FC_NONE, CHECK_FC_CONFIRMED, CHECK_FC_UNCONFIRMED, CHECK_FC_UNKNOWN };

/* What one family of one identity looks like after the probes. */
struct check_fam {
    bool audit;                      /* PTR and EHLO verdicts apply to this family */
    const struct facts_source *src;
    const char *addr;                /* the source receivers see */
    char *rev;                       /* reverse name of addr */
    enum check_ptr ptr;
    const struct facts_lookup *ptrl; /* PTR lookup when ptr == OK */
    enum check_fc fc;
    const char *confirmed[CHECK_MAXNAMES]; /* PTR names whose A/AAAA include addr */
    size_t nconfirmed;
};

struct check_ctx {
    const struct model_set *set;
    const struct facts *facts;
    struct finding_list *out;
    struct fix_exim_layout exim;
    const struct model_identity *id;
    size_t index;
    const char *helo;       /* audited EHLO name, or NULL */
    bool helo_dynamic;
    bool helo_name_ok;      /* helo is a valid FQDN that is not local (not a literal) */
    const char *target;     /* the name the fixes converge on, or NULL */
    const char *helo_change; /* the name a fix of this identity announces instead, or NULL */
    const size_t *main_cf_users; /* per identity, for fix_set_helo; NULL while planning */
    struct check_fam fam[MODEL_NFAMILIES];
    struct strlist dns_reported; /* "TYPE name" already reported as dns-failure */
};

static enum facts_rrtype check_addr_type(enum model_family f)
{
    return f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A;
}

const char *check_helo_name(const struct model_identity *id, const struct facts *facts)
{
    if (facts->helo_override)
        return facts->helo_override;
    return id->helo_name;
}

const char *check_helo_checkable(const struct model_identity *id, const struct facts *facts)
{
    const char *helo = check_helo_name(id, facts);
    if (!helo || (!facts->helo_override && id->helo_dynamic))
        return NULL;
    /* hostname_is_fqdn() refuses "[...]": literals are never looked up. */
    if (!hostname_is_fqdn(helo) || hostname_is_local(helo))
        return NULL;
    return helo;
}

/* check_demoted - findings that concern this host's own identity towards
 * receivers, which a smarthost transport does not face. */
static bool check_demoted(enum finding_id id)
{
    switch (id) {
    case FINDING_PTR_MISSING:
    case FINDING_PTR_UNCONFIRMED:
    case FINDING_IPV6_WITHOUT_PTR:
    case FINDING_PTR_GENERIC:
    case FINDING_PTR_MULTIPLE:
    case FINDING_HELO_PTR_MISMATCH:
    case FINDING_HELO_ADDRESS_MISMATCH:
    case FINDING_HELO_UNRESOLVABLE:
    case FINDING_HELO_DYNAMIC:
    case FINDING_SOURCE_NOT_PUBLIC:
    case FINDING_SOURCE_TEMPORARY:
    case FINDING_DNS_FAILURE:
        return true;
    default:
        return false;
    }
}

/* check_emit - add a finding for the current identity; message is taken over. */
static struct finding *check_emit(struct check_ctx *c, enum finding_id fid, int family, const char *address,
                                  char *message)
{
    struct finding *f = finding_add(c->out, fid, c->id ? c->id->id : NULL, family, address,
                                    c->id ? c->helo : NULL, message);
    free(message);
    if (c->id && c->id->relay && !c->id->nexthop_varies && check_demoted(fid))
        f->severity = FINDING_INFO;
    return f;
}

static const char *check_status_word(enum facts_status s)
{
    switch (s) {
    case FACTS_TIMEOUT:
        return "timed out";
    case FACTS_SERVFAIL:
        return "failed with SERVFAIL";
    case FACTS_REFUSED:
        return "was refused";
    default:
        return "failed";
    }
}

/* check_dns_failure - report that the lookup (name, type) needed for `what`
 * failed or was not made; once per identity and question. */
static void check_dns_failure(struct check_ctx *c, int family, const char *address, const char *name,
                              enum facts_rrtype type, const struct facts_lookup *l, const char *what)
{
    char *key = xasprintf("%s %s", facts_rrtype_tostr(type), name);
    size_t klen = strlen(key);
    if (klen && key[klen - 1] == '.')
        key[klen - 1] = '\0';
    for (char *p = key; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (strlist_contains(&c->dns_reported, key)) {
        free(key);
        return;
    }
    strlist_add_owned(&c->dns_reported, key);
    char *en = hostname_escape(name);
    char *msg = l ? xasprintf("the %s lookup of %s %s, so %s is unknown", facts_rrtype_tostr(type), en,
                              check_status_word(l->status), what)
                  : xasprintf("no answer was recorded for the %s lookup of %s, so %s is unknown",
                              facts_rrtype_tostr(type), en, what);
    struct finding *f = check_emit(c, FINDING_DNS_FAILURE, family, address, msg);
    fix_note(&f->fixes, "query it from outside your network (dig %s %s); if the authoritative servers fail, "
                        "have them fixed, else run the audit again or use --dns-server",
             type == FACTS_PTR ? "-t PTR" : facts_rrtype_tostr(type), en);
    free(en);
}

/* check_lookup - the lookup of (name, type), or NULL after reporting a
 * dns-failure when it failed or is missing. */
static const struct facts_lookup *check_lookup(struct check_ctx *c, int family, const char *address,
                                               const char *name, enum facts_rrtype type, const char *what)
{
    const struct facts_lookup *l = facts_lookup_find(c->facts, name, type);
    if (!l || facts_status_failed(l->status)) {
        check_dns_failure(c, family, address, name, type, l, what);
        return NULL;
    }
    return l;
}

static bool check_name_good(const char *name, const char *addr)
{
    return hostname_is_fqdn(name) && !hostname_is_local(name) && !ptr_generic_check(name, addr);
}

static bool check_fam_confirms(const struct check_fam *fam, const char *name)
{
    for (size_t i = 0; i < fam->nconfirmed; i++)
        if (hostname_equal(fam->confirmed[i], name))
            return true;
    return false;
}

/* check_name_has - name's A/AAAA for the family is known to include addr. */
static bool check_name_has(const struct check_ctx *c, const char *name, enum model_family f, const char *addr)
{
    return facts_lookup_has_address(facts_lookup_find(c->facts, name, check_addr_type(f)), addr);
}

/* check_analyse_ptr - PTR and forward confirmation of one family. */
static void check_analyse_ptr(struct check_ctx *c, enum model_family f)
{
    struct check_fam *fam = &c->fam[f];
    fam->rev = revname_of(fam->addr);
    if (!fam->rev) {
        fam->audit = false;
        return;
    }
    const struct facts_lookup *l =
        check_lookup(c, (int)f, fam->addr, fam->rev, FACTS_PTR, "the PTR verdict of this source");
    if (!l) {
        fam->ptr = CHECK_PTR_UNKNOWN;
        return;
    }
    if (l->status != FACTS_OK || l->answers.n == 0) {
        fam->ptr = CHECK_PTR_MISSING;
        return;
    }
    fam->ptr = CHECK_PTR_OK;
    fam->ptrl = l;
    bool unknown = false;
    for (size_t i = 0; i < l->answers.n; i++) {
        const char *name = l->answers.items[i];
        if (!hostname_valid(name))
            continue; /* cannot be looked up, cannot confirm */
        const struct facts_lookup *fl = facts_lookup_find(c->facts, name, check_addr_type(f));
        if (!fl || facts_status_failed(fl->status)) {
            unknown = true;
            continue;
        }
        if (facts_lookup_has_address(fl, fam->addr) && fam->nconfirmed < CHECK_MAXNAMES)
            fam->confirmed[fam->nconfirmed++] = name;
    }
    if (fam->nconfirmed)
        fam->fc = CHECK_FC_CONFIRMED;
    else if (unknown)
        fam->fc = CHECK_FC_UNKNOWN;
    else
        fam->fc = CHECK_FC_UNCONFIRMED;
    if (fam->fc == CHECK_FC_UNKNOWN)
        for (size_t i = 0; i < l->answers.n; i++) {
            const char *name = l->answers.items[i];
            if (hostname_valid(name))
                check_lookup(c, (int)f, fam->addr, name, check_addr_type(f),
                             "forward confirmation of the PTR");
        }
}

/* check_choose_target - the one name all fixes of the identity converge on. */
static void check_choose_target(struct check_ctx *c)
{
    bool helo_confirmed_everywhere = c->helo_name_ok;
    for (int f = 0; f < MODEL_NFAMILIES && helo_confirmed_everywhere; f++) {
        const struct check_fam *fam = &c->fam[f];
        if (fam->audit && fam->ptr == CHECK_PTR_OK && fam->fc != CHECK_FC_UNKNOWN
            && !check_fam_confirms(fam, c->helo))
            helo_confirmed_everywhere = false;
    }
    if (helo_confirmed_everywhere) {
        c->target = c->helo;
        return;
    }
    /* A good forward-confirmed PTR name that no other family contradicts. */
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct check_fam *fam = &c->fam[f];
        if (!fam->audit)
            continue;
        for (size_t i = 0; i < fam->nconfirmed; i++) {
            const char *cand = fam->confirmed[i];
            if (!check_name_good(cand, fam->addr))
                continue;
            bool ok = true;
            for (int g = 0; g < MODEL_NFAMILIES; g++)
                if (g != f && c->fam[g].audit && c->fam[g].fc == CHECK_FC_CONFIRMED
                    && !check_fam_confirms(&c->fam[g], cand))
                    ok = false;
            if (ok) {
                c->target = cand;
                return;
            }
        }
    }
    c->target = c->helo_name_ok ? c->helo : NULL;
}

/* check_set_helo - the fix that makes the identity announce name (NULL: a
 * note); records the change for the planning pass of check_run. */
static void check_set_helo(struct check_ctx *c, struct fix_list *fixes, const char *name)
{
    if (name)
        c->helo_change = name;
    fix_set_helo(fixes, c->id, name, c->main_cf_users ? c->main_cf_users[c->index] : 0, &c->exim);
}

/* check_fix_helo_change - announce the target when it differs from the
 * audited EHLO name (the configured one, or the planned --helo name; a
 * dynamic name gets its own advice in helo-dynamic). */
static void check_fix_helo_change(struct check_ctx *c, struct fix_list *fixes)
{
    if (!c->target || hostname_equal(c->target, c->helo) || c->helo_dynamic)
        return;
    check_set_helo(c, fixes, c->target);
}

/* check_fix_forward - forward records of the target for the audited families
 * (only) where they are not known to exist. */
static void check_fix_forward(struct check_ctx *c, struct fix_list *fixes, int only)
{
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct check_fam *fam = &c->fam[f];
        if (!fam->audit || (only >= 0 && f != only))
            continue;
        if (!check_name_has(c, c->target, (enum model_family)f, fam->addr))
            fix_forward_record(fixes, c->target, fam->addr);
    }
}

/* check_fix_ptr - the fixes for a family whose PTR is missing, unconfirmed or
 * generic: a PTR for the target, its forward record, the EHLO change. */
static void check_fix_ptr(struct check_ctx *c, struct fix_list *fixes, enum model_family f)
{
    const struct check_fam *fam = &c->fam[f];
    if (!c->target) {
        fix_ptr_record(fixes, fam->addr, NULL);
        return;
    }
    bool ptr_is_target = false;
    if (fam->ptrl)
        for (size_t i = 0; i < fam->ptrl->answers.n; i++)
            if (hostname_equal(fam->ptrl->answers.items[i], c->target))
                ptr_is_target = true;
    if (!ptr_is_target || (fam->ptrl && fam->ptrl->answers.n > 1))
        fix_ptr_record(fixes, fam->addr, c->target);
    check_fix_forward(c, fixes, (int)f);
    check_fix_helo_change(c, fixes);
}

static const char *check_family_word(enum model_family f)
{
    return f == MODEL_IPV6 ? "IPv6" : "IPv4";
}

/* check_ipv6_share - how much mail IPv6 delivery affects, by preference. */
static char *check_ipv6_share(const struct model_identity *id)
{
    if (id->preference == MODEL_PREF_IPV6)
        return xstrdup(id->mta == MODEL_EXIM
                           ? "Exim tries IPv6 first by default, so nearly every delivery to a receiver with "
                             "IPv6 MX hosts goes out over it"
                           : "smtp_address_preference = ipv6 tries IPv6 first, so nearly every delivery to a "
                             "receiver with IPv6 MX hosts goes out over it");
    if (id->preference == MODEL_PREF_ANY)
        return xstrdup("with no fixed preference (smtp_address_preference = any) about half of the deliveries "
                       "to dual-stack receivers go out over IPv6");
    return xstrdup("IPv4 is preferred, so IPv6 carries the deliveries to IPv6-only receivers and those "
                   "where IPv4 fails");
}

static void check_ptr_findings(struct check_ctx *c, enum model_family f)
{
    struct check_fam *fam = &c->fam[f];
    const struct model_identity *id = c->id;
    char *ea = hostname_escape(fam->addr);
    if (fam->ptr == CHECK_PTR_MISSING || (fam->ptr == CHECK_PTR_OK && fam->fc == CHECK_FC_UNCONFIRMED)) {
        char *what = NULL;
        if (fam->ptr == CHECK_PTR_MISSING) {
            const struct facts_lookup *l = facts_lookup_find(c->facts, fam->rev, FACTS_PTR);
            what = xasprintf("has no PTR record (%s)", l ? facts_status_tostr(l->status) : "no answer");
        } else {
            char *names = NULL;
            struct strbuf sb = STRBUF_INIT;
            for (size_t i = 0; i < fam->ptrl->answers.n; i++) {
                char *e = hostname_escape(fam->ptrl->answers.items[i]);
                strbuf_addf(&sb, "%s%s", i ? ", " : "", e);
                free(e);
            }
            names = strbuf_detach(&sb);
            what = xasprintf("has the PTR %s, but no PTR name has an %s record pointing back to it "
                             "(forward-confirmed reverse DNS fails)",
                             names, f == MODEL_IPV6 ? "AAAA" : "A");
            free(names);
        }
        struct finding *fd;
        if (f == MODEL_IPV6) {
            char *share = check_ipv6_share(id);
            fd = check_emit(c, FINDING_IPV6_WITHOUT_PTR, (int)f, fam->addr,
                            xasprintf("IPv6 delivery is enabled but %s %s; Gmail (550-5.7.25) and Microsoft "
                                      "(450 4.7.25) reject or defer such mail, and %s",
                                      ea, what, share));
            free(share);
            check_fix_ptr(c, &fd->fixes, f);
            fix_ipv4_only(&fd->fixes, id, &c->exim);
        } else if (fam->ptr == CHECK_PTR_MISSING) {
            fd = check_emit(c, FINDING_PTR_MISSING, (int)f, fam->addr,
                            xasprintf("%s %s; Gmail, Yahoo and Microsoft reject or defer mail from it "
                                      "(RDNS_NONE, 550-5.7.25)",
                                      ea, what));
            check_fix_ptr(c, &fd->fixes, f);
        } else {
            fd = check_emit(c, FINDING_PTR_UNCONFIRMED, (int)f, fam->addr,
                            xasprintf("%s %s; Gmail, Yahoo and Microsoft require it", ea, what));
            check_fix_ptr(c, &fd->fixes, f);
        }
        free(what);
    }
    if (fam->ptr == CHECK_PTR_OK) {
        const struct facts_lookup *l = fam->ptrl;
        if (l->answers.n > 1) {
            struct finding *fd = check_emit(c, FINDING_PTR_MULTIPLE, (int)f, fam->addr,
                                            xasprintf("%s has %zu PTR names; receivers pick one at random", ea,
                                                      l->answers.n));
            /* Keep the name every other fix converges on. */
            const char *keep = c->target ? c->target : fam->nconfirmed ? fam->confirmed[0] : NULL;
            if (keep) {
                fix_ptr_record(&fd->fixes, fam->addr, keep);
                char *ek = hostname_escape(keep);
                fix_note(&fd->fixes, "ask the owner of %s to remove every other PTR record of it, keeping only %s",
                         ea, ek);
                free(ek);
                if (keep == c->target)
                    check_fix_forward(c, &fd->fixes, (int)f);
            } else {
                fix_ptr_record(&fd->fixes, fam->addr, NULL);
            }
        }
        for (size_t i = 0; i < l->answers.n; i++) {
            const char *name = l->answers.items[i];
            const struct ptr_generic_rule *rule = ptr_generic_check(name, fam->addr);
            if (!rule)
                continue;
            char *en = hostname_escape(name);
            struct finding *fd = check_emit(c, FINDING_PTR_GENERIC, (int)f, fam->addr,
                                            xasprintf("the PTR name %s of %s looks like %s (rule %s, resembles %s)",
                                                      en, ea, rule->what, rule->name, rule->resembles));
            free(en);
            if (c->target && !hostname_equal(c->target, name) && check_name_good(c->target, fam->addr))
                check_fix_ptr(c, &fd->fixes, f);
            else
                fix_ptr_record(&fd->fixes, fam->addr, NULL);
            break;
        }
    }
    free(ea);
}

/* check_helo_family - the EHLO relations of one audited family. */
static void check_helo_family(struct check_ctx *c, enum model_family f, bool resolves_known)
{
    struct check_fam *fam = &c->fam[f];
    char *ea = hostname_escape(fam->addr);
    char *eh = hostname_escape(c->helo);
    if (resolves_known) {
        const struct facts_lookup *l = check_lookup(c, (int)f, fam->addr, c->helo, check_addr_type(f),
                                                    "whether the EHLO name resolves to the source");
        if (l && !facts_lookup_has_address(l, fam->addr)) {
            struct finding *fd = check_emit(
                c, FINDING_HELO_ADDRESS_MISMATCH, (int)f, fam->addr,
                xasprintf("the EHLO name %s does not resolve to the %s source %s (%s); Exim's verify = helo "
                          "and similar checks fail",
                          eh, check_family_word(f), ea,
                          l->status == FACTS_OK ? (f == MODEL_IPV6 ? "its AAAA records are other addresses"
                                                                   : "its A records are other addresses")
                                                : (f == MODEL_IPV6 ? "it has no AAAA record" : "it has no A record")));
            if (c->target && !hostname_equal(c->target, c->helo)) {
                check_fix_helo_change(c, &fd->fixes);
                check_fix_forward(c, &fd->fixes, (int)f);
            } else if (c->target)
                fix_forward_record(&fd->fixes, c->helo, fam->addr);
            else
                fix_note(&fd->fixes, "announce a name whose %s record is %s", f == MODEL_IPV6 ? "AAAA" : "A", ea);
        }
    }
    if (fam->ptr == CHECK_PTR_OK && fam->fc != CHECK_FC_UNKNOWN) {
        bool match = false;
        for (size_t i = 0; i < fam->ptrl->answers.n; i++)
            if (hostname_equal(fam->ptrl->answers.items[i], c->helo))
                match = true;
        if (!match) {
            struct strbuf sb = STRBUF_INIT;
            for (size_t i = 0; i < fam->ptrl->answers.n; i++) {
                char *e = hostname_escape(fam->ptrl->answers.items[i]);
                strbuf_addf(&sb, "%s%s", i ? ", " : "", e);
                free(e);
            }
            struct finding *fd = check_emit(c, FINDING_HELO_PTR_MISMATCH, (int)f, fam->addr,
                                            xasprintf("the EHLO name %s differs from the PTR of %s (%s)", eh, ea,
                                                      sb.buf));
            strbuf_release(&sb);
            if (c->target && !hostname_equal(c->target, c->helo)) {
                check_fix_helo_change(c, &fd->fixes);
            } else if (c->target) {
                fix_ptr_record(&fd->fixes, fam->addr, c->target);
                check_fix_forward(c, &fd->fixes, (int)f);
            } else {
                fix_ptr_record(&fd->fixes, fam->addr, NULL);
            }
        }
    }
    free(ea);
    free(eh);
}

/* check_helo_literal - an address literal is acceptable only on connections
 * whose source it is. */
static void check_helo_literal(struct check_ctx *c, enum model_family f, const char *literal)
{
    struct check_fam *fam = &c->fam[f];
    if (hostname_address_equal(literal, fam->addr))
        return;
    char *eh = hostname_escape(c->helo), *ea = hostname_escape(fam->addr);
    struct finding *fd = check_emit(c, FINDING_HELO_INVALID, (int)f, fam->addr,
                                    xasprintf("the EHLO name is the address literal %s, but %s connections come "
                                              "from %s (Haraka literal_mismatch, rspamd HFILTER_HELO_BAREIP)",
                                              eh, check_family_word(f), ea));
    if (c->target)
        check_fix_helo_change(c, &fd->fixes);
    else
        check_set_helo(c, &fd->fixes, NULL);
    free(eh);
    free(ea);
}

/* check_bind_not_local - a configured bind address of the source's family
 * is not an address of this host (a --source-ip overrides the question). */
static bool check_bind_not_local(const struct model_identity *id, const struct facts_source *src)
{
    const struct model_bind *b = &id->bind[src->family];
    return (b->how == MODEL_BIND_PARAM || b->how == MODEL_BIND_INET_INTERFACES)
        && src->bind_local == FACTS_LOCAL_NO && src->how != FACTS_HOW_GIVEN;
}

/* check_bind_falls_back - a failing bind is only a warning to this MTA: it
 * sends from the kernel's choice (Postfix's explicit bind without enforce). */
static bool check_bind_falls_back(const struct model_identity *id, const struct facts_source *src)
{
    return id->mta == MODEL_POSTFIX && !id->bind_enforce && id->bind[src->family].how == MODEL_BIND_PARAM;
}

static bool check_source_temporary(const struct facts_source *src)
{
    return src->how != FACTS_HOW_GIVEN && src->family == MODEL_IPV6 && (src->temporary || src->deprecated);
}

const char *check_source_address(const struct model_identity *id, const struct facts_source *src)
{
    if (!src)
        return NULL;
    const char *addr = src->address;
    enum scope scope = src->scope;
    if (check_bind_not_local(id, src)) {
        if (!check_bind_falls_back(id, src))
            return NULL;
        addr = src->kernel_address;
        scope = scope_of(addr);
    }
    if (!src->route || !addr || check_source_temporary(src))
        return NULL;
    if (src->how != FACTS_HOW_GIVEN && !scope_public(scope))
        return NULL;
    return addr;
}

/* check_source - report bind, temporary and scope findings of family f and
 * decide (through check_source_address) whether its verdicts apply. */
static void check_source(struct check_ctx *c, enum model_family f)
{
    const struct model_identity *id = c->id;
    struct check_fam *fam = &c->fam[f];
    const struct facts_source *src = facts_source_find(c->facts, c->index, f);
    fam->src = src;
    if (!src)
        return;
    const struct model_bind *b = &id->bind[f];
    const char *addr = src->address;
    enum scope scope = src->scope;
    if (check_bind_not_local(id, src)) {
        char *origin = model_origin_tostr(&b->origin);
        char *eb = hostname_escape(b->address), *eo = hostname_escape(origin);
        free(origin);
        char *ek = hostname_escape(src->kernel_address);
        bool falls_back = check_bind_falls_back(id, src);
        char *msg = falls_back
            ? xasprintf("the %s bind address %s (%s) is not an address of this host; Postfix logs a warning "
                        "and sends from %s instead",
                        check_family_word(f), eb, eo, src->kernel_address ? ek : "the kernel's choice")
            : b->how == MODEL_BIND_INET_INTERFACES
            ? xasprintf("the inet_interfaces address %s (%s) is not an address of this host; Postfix refuses to "
                        "start (\"no local interface found\")",
                        eb, eo)
            : xasprintf("the %s bind address %s (%s) is not an address of this host; every %s delivery "
                        "attempt fails",
                        check_family_word(f), eb, eo, check_family_word(f));
        struct finding *fd = check_emit(c, FINDING_BIND_NOT_LOCAL, (int)f, b->address, msg);
        const char *right = src->kernel_address && scope_public(scope_of(src->kernel_address))
            ? src->kernel_address
            : NULL;
        fix_bind_address(&fd->fixes, id, f, right, facts_postfix_at_least(c->facts, 3, 7), &c->exim);
        free(eb);
        free(eo);
        free(ek);
        if (!falls_back)
            return;
        addr = src->kernel_address;
        scope = scope_of(addr);
    }
    if (!src->route || !addr)
        return;
    char *ea = hostname_escape(addr);
    if (check_source_temporary(src)) {
        struct finding *fd = check_emit(
            c, FINDING_SOURCE_TEMPORARY, (int)f, addr,
            xasprintf("the IPv6 source %s is a %s address: it changes over time and has no PTR, so receivers "
                      "that require one (Gmail, Microsoft) refuse the mail",
                      ea, src->temporary ? "temporary (privacy)" : "deprecated"));
        if (src->temporary)
            fix_no_tempaddr(&fd->fixes, src->interface);
        fix_note(&fd->fixes, "or bind this transport to the host's stable IPv6 address (%s) and give that "
                             "address a PTR",
                 id->mta == MODEL_POSTFIX ? "smtp_bind_address6" : "Exim's interface option");
    } else if (src->how != FACTS_HOW_GIVEN && !scope_public(scope)) {
        struct finding *fd = check_emit(
            c, FINDING_SOURCE_NOT_PUBLIC, (int)f, addr,
            xasprintf("the %s source %s is a %s address: a NAT in front of this host rewrites it, so its PTR "
                      "checks were skipped; --source-ip PUBLIC makes the audit exact",
                      check_family_word(f), ea, scope_tostr(scope)));
        fix_note(&fd->fixes, "run the audit again with --source-ip PUBLIC (the address receivers see) to make it "
                             "exact");
    }
    free(ea);
    fam->addr = check_source_address(id, src);
    fam->audit = fam->addr != NULL;
}

static void check_identity(struct check_ctx *c)
{
    const struct model_identity *id = c->id;
    c->helo = check_helo_name(id, c->facts);
    c->helo_dynamic = !c->facts->helo_override && id->helo_dynamic;
    char literal[64] = "";
    int lit = c->helo && !c->helo_dynamic ? hostname_literal_parse(c->helo, literal, sizeof(literal)) : 0;
    c->helo_name_ok = check_helo_checkable(id, c->facts) != NULL;

    if (id->relay) {
        char *er = hostname_escape(id->relay);
        char *msg = id->nexthop_varies
            ? xasprintf("this transport relays mail through %s, but transport or sender maps may send some mail "
                        "elsewhere directly, so findings about this host's own PTR and EHLO records keep their "
                        "severity",
                        er)
            : xasprintf("this transport relays all mail through %s; receivers see the smarthost, so findings "
                        "about this host's own PTR and EHLO records are informational",
                        er);
        struct finding *fd = check_emit(c, FINDING_RELAY_HOST, -1, NULL, msg);
        fix_note(&fd->fixes, "nothing to fix here; audit the smarthost %s if you run it", er);
        free(er);
    }

    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (id->families & MODEL_FAMILY_BIT(f))
            check_source(c, (enum model_family)f);
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (c->fam[f].audit)
            check_analyse_ptr(c, (enum model_family)f);
    check_choose_target(c);
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (c->fam[f].audit)
            check_ptr_findings(c, (enum model_family)f);

    /* EHLO name. */
    if (c->helo_dynamic) {
        char *ee = hostname_escape(id->helo_expression);
        char *eg = hostname_escape(id->helo_name);
        struct finding *fd = check_emit(c, FINDING_HELO_DYNAMIC, -1, NULL,
                                        xasprintf("the EHLO name is computed at delivery time (%s)%s%s%s", ee,
                                                  id->helo_name ? "; the best static guess is " : "",
                                                  id->helo_name ? eg : "", "; its checks could not run"));
        fix_note(&fd->fixes, "audit the name it produces with --helo NAME, or set a static EHLO name");
        if (c->target)
            check_set_helo(c, &fd->fixes, c->target);
        free(ee);
        free(eg);
        return;
    }
    if (lit == 1) {
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            if (c->fam[f].audit)
                check_helo_literal(c, (enum model_family)f, literal);
        return;
    }
    if (!c->helo_name_ok) {
        char *eh = hostname_escape(c->helo);
        const char *why = !c->helo                      ? "no EHLO name could be determined"
            : lit < 0                                   ? "is a malformed address literal"
            : !hostname_valid(c->helo)                  ? "is not a valid host name"
            : hostname_is_local(c->helo)                ? "is a local name that means nothing outside this host"
                                                        : "is not fully qualified";
        char *msg = c->helo ? xasprintf("the EHLO name %s %s; receivers with reject_non_fqdn_helo_hostname or "
                                        "reject_invalid_helo_hostname refuse it (rspamd HFILTER_HELO_NOT_FQDN)",
                                        eh, why)
                            : xstrdup(why);
        struct finding *fd = check_emit(c, FINDING_HELO_INVALID, -1, NULL, msg);
        if (c->target) {
            check_set_helo(c, &fd->fixes, c->target);
            check_fix_forward(c, &fd->fixes, -1);
        } else {
            check_set_helo(c, &fd->fixes, NULL);
        }
        free(eh);
        return;
    }

    /* A valid name: does it resolve at all? */
    bool any_audit = c->fam[MODEL_IPV4].audit || c->fam[MODEL_IPV6].audit;
    if (!any_audit)
        return;
    const struct facts_lookup *la = facts_lookup_find(c->facts, c->helo, FACTS_A);
    const struct facts_lookup *l6 = facts_lookup_find(c->facts, c->helo, FACTS_AAAA);
    bool has_a = la && la->status == FACTS_OK && la->answers.n;
    bool has_6 = l6 && l6->status == FACTS_OK && l6->answers.n;
    bool fail_a = !la || facts_status_failed(la->status);
    bool fail_6 = !l6 || facts_status_failed(l6->status);
    if (!has_a && !has_6) {
        if (fail_a || fail_6) {
            if (fail_a)
                check_dns_failure(c, -1, NULL, c->helo, FACTS_A, la, "whether the EHLO name resolves");
            if (fail_6)
                check_dns_failure(c, -1, NULL, c->helo, FACTS_AAAA, l6, "whether the EHLO name resolves");
        } else {
            char *eh = hostname_escape(c->helo);
            struct finding *fd = check_emit(c, FINDING_HELO_UNRESOLVABLE, -1, NULL,
                                            xasprintf("the EHLO name %s has neither an A nor an AAAA record; "
                                                      "receivers with reject_unknown_helo_hostname refuse it",
                                                      eh));
            free(eh);
            check_fix_helo_change(c, &fd->fixes);
            check_fix_forward(c, &fd->fixes, -1);
        }
    }
    bool resolves_known = has_a || has_6;
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (c->fam[f].audit)
            check_helo_family(c, (enum model_family)f, resolves_known);
}

/* check_identities - run the checks of every identity of c->set into out;
 * when change is not NULL, change[i] becomes the name identity i's fixes
 * announce instead of its EHLO name (NULL: none). */
static void check_identities(const struct check_ctx *c, struct finding_list *out, const char **change)
{
    for (size_t i = 0; i < c->set->n; i++) {
        struct check_ctx ic = *c;
        memset(ic.fam, 0, sizeof(ic.fam));
        memset(&ic.dns_reported, 0, sizeof(ic.dns_reported));
        ic.out = out;
        ic.id = &c->set->items[i];
        ic.index = i;
        ic.target = NULL;
        ic.helo_change = NULL;
        check_identity(&ic);
        if (change)
            change[i] = ic.helo_change;
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            free(ic.fam[f].rev);
        strlist_free(&ic.dns_reported);
    }
}

/* check_helo_from_main_cf - a Postfix transport whose EHLO name is main.cf's
 * (smtp_helo_name there, or its default $myhostname), not its own -o. */
static bool check_helo_from_main_cf(const struct model_identity *id)
{
    return id->mta == MODEL_POSTFIX && id->config && id->helo_origin.kind != MODEL_ORIGIN_OVERRIDE;
}

/* check_plan_main_cf - users[i] for fix_set_helo: how many transports take
 * their EHLO name from identity i's main.cf when every one of them is to
 * announce the same new name (one main.cf change serves them all), else 0.
 * A transport of that main.cf that needs no change, or another name, keeps
 * main.cf as it is: changing it would change that transport's EHLO too.
 *
 * Each of those transports' findings then carries the same -e command: a
 * finding's fixes stay complete on their own (reports list findings one by
 * one), and postconf -e is idempotent, so a consumer that runs every command,
 * or every distinct command once, gets the same main.cf. */
static void check_plan_main_cf(const struct model_set *set, const char *const *change, size_t *users)
{
    for (size_t i = 0; i < set->n; i++) {
        const struct model_identity *id = &set->items[i];
        users[i] = 0;
        if (!change[i] || !check_helo_from_main_cf(id))
            continue;
        size_t n = 0;
        bool same = true;
        for (size_t k = 0; k < set->n && same; k++) {
            const struct model_identity *o = &set->items[k];
            if (!check_helo_from_main_cf(o) || strcmp(o->config, id->config) != 0)
                continue;
            n++;
            same = hostname_equal(change[k], change[i]);
        }
        users[i] = same ? n : 0;
    }
}

void check_run(const struct model_set *set, const struct facts *facts, struct finding_list *out)
{
    struct check_ctx c;
    memset(&c, 0, sizeof(c));
    c.set = set;
    c.facts = facts;
    c.out = out;
    c.exim.debian_dir = facts->exim_debian_dir;
    c.exim.debian_split = facts->exim_debian_split;

    if (facts->diags)
        for (size_t i = 0; i < facts->diags->n; i++) {
            const struct diag *d = &facts->diags->items[i];
            if (d->level == DIAG_WARNING) /* DIAG_UNREADABLE too, until config-unreadable exists */
                continue;
            char *raw = diag_format(d);
            char *where = d->file ? (d->line ? xasprintf("%s:%u", d->file, d->line) : xstrdup(d->file))
                                  : xstrdup("the configuration");
            char *ew = hostname_escape(where);
            struct finding *fd = check_emit(&c, FINDING_CONFIG_ERROR, -1, NULL, hostname_escape(raw));
            fix_note(&fd->fixes, "correct %s, then check it with the MTA itself (postconf -n, exim -bV)", ew);
            free(ew);
            free(where);
            free(raw);
        }
    if (set->n == 0 && !facts->mta_config_found) {
        struct finding *fd = check_emit(&c, FINDING_NO_MTA_CONFIG, -1, NULL,
                                        xstrdup("no Postfix or Exim configuration was found"));
        fix_note(&fd->fixes, "point the audit at the configuration with --postfix-dir DIR or --exim-config FILE");
    }
    /* EHLO fixes for Postfix depend on the other transports of the same
     * directory (one main.cf change, or -P per transport), so a planning pass
     * runs every check into a list that is thrown away and records the name
     * each identity's fixes would announce; the second pass writes the
     * findings with that decision. The checks are pure, so both passes see
     * the same targets. */
    const char **change = xcalloc(set->n ? set->n : 1, sizeof(*change));
    size_t *users = xcalloc(set->n ? set->n : 1, sizeof(*users));
    struct finding_list scratch = FINDING_LIST_INIT;
    check_identities(&c, &scratch, change);
    finding_list_free(&scratch);
    check_plan_main_cf(set, change, users);
    c.main_cf_users = users;
    check_identities(&c, out, NULL);
    free(users);
    free(change);
}
