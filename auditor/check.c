/* check - the audit's checks; see check.h. */
#include "auditor/check.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/check_inbound.h"
#include "auditor/check_lookup.h"
#include "auditor/check_reverse.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/ptr_generic.h"

struct check_ctx {
    const struct model_set *set;
    const struct verdict_set *vs;
    const struct facts *facts;
    struct finding_list *out;
    struct fix_exim_layout exim;
    const struct model_identity *id;
    const struct verdict_identity *vi;
    size_t index;
    const char *helo;        /* audited EHLO name, or NULL */
    bool helo_name_ok;       /* helo is a valid FQDN that is not local (not a literal) */
    const char *target;      /* the name the fixes converge on, or NULL */
    const char *helo_change; /* the name a fix of this identity announces instead, or NULL */
    const size_t *main_cf_users; /* per identity, for fix_set_helo; NULL while planning */
    struct strlist dns_reported; /* "TYPE name" already reported as dns-failure */
};

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
    case FINDING_PTR_SERVERS_DISAGREE:
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
    if (c->vi && c->vi->relayed && check_demoted(fid))
        f->severity = FINDING_INFO;
    return f;
}

/* check_dns_failure - report that the lookup (name, type) needed for `what`
 * failed or was not made; once per identity and question. */
static void check_dns_failure(struct check_ctx *c, int family, const char *address, const char *name,
                              enum facts_rrtype type, const struct facts_lookup *l, const char *what)
{
    char *normal = hostname_normal(name);
    char *key = xasprintf("%s %s", facts_rrtype_tostr(type), normal);
    free(normal);
    if (strlist_contains(&c->dns_reported, key)) {
        free(key);
        return;
    }
    strlist_add_owned(&c->dns_reported, key);
    char *phrase = check_lookup_failure(c->vs, name, type, l);
    struct finding *f =
        check_emit(c, FINDING_DNS_FAILURE, family, address, xasprintf("%s, so %s is unknown", phrase, what));
    free(phrase);
    check_lookup_failure_fix(&f->fixes, name, type, l);
}

static bool check_name_good(const char *name, const char *addr)
{
    return hostname_is_fqdn(name) && !hostname_is_local(name) && !ptr_generic_check(name, addr);
}

/* check_fam_confirms - name is a forward-confirmed PTR name of the family. */
static bool check_fam_confirms(const struct verdict_family *fam, const char *name)
{
    for (size_t i = 0; i < fam->rev.nnames; i++)
        if (fam->rev.names[i].fc == VERDICT_FC_CONFIRMED && hostname_equal(fam->rev.names[i].name, name))
            return true;
    return false;
}

static bool check_audited(const struct verdict_family *fam)
{
    return fam->source == VERDICT_SOURCE_OK;
}

/* check_name_has - name's A/AAAA for the family is known to include addr. */
static bool check_name_has(const struct check_ctx *c, const char *name, enum model_family f, const char *addr)
{
    return facts_lookup_has_address(facts_lookup_find(c->facts, name, f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A),
                                    addr);
}

/* check_ptr_dns - dns-failure findings for what the PTR verdict of one
 * family could not learn. */
static void check_ptr_dns(struct check_ctx *c, enum model_family f)
{
    const struct verdict_family *fam = &c->vi->fam[f];
    if (fam->rev.ptr == VERDICT_PTR_UNKNOWN) {
        check_dns_failure(c, (int)f, fam->address, fam->rev.revname, FACTS_PTR, fam->rev.ptr_lookup,
                          "the PTR verdict of this source");
        return;
    }
    if (fam->rev.confirmed != VERDICT_UNKNOWN)
        return;
    for (size_t i = 0; i < fam->rev.nnames; i++)
        if (fam->rev.names[i].fc == VERDICT_FC_UNKNOWN)
            check_dns_failure(c, (int)f, fam->address, fam->rev.names[i].name, f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A,
                              fam->rev.names[i].forward, "forward confirmation of the PTR");
}

/* check_choose_target - the one name all fixes of the identity converge on. */
static void check_choose_target(struct check_ctx *c)
{
    bool helo_confirmed_everywhere = c->helo_name_ok;
    for (int f = 0; f < MODEL_NFAMILIES && helo_confirmed_everywhere; f++) {
        const struct verdict_family *fam = &c->vi->fam[f];
        if (check_audited(fam) && fam->rev.ptr == VERDICT_PTR_PRESENT && fam->rev.confirmed != VERDICT_UNKNOWN
            && !check_fam_confirms(fam, c->helo))
            helo_confirmed_everywhere = false;
    }
    if (helo_confirmed_everywhere) {
        c->target = c->helo;
        return;
    }
    /* A good forward-confirmed PTR name that no other family contradicts. */
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct verdict_family *fam = &c->vi->fam[f];
        if (!check_audited(fam))
            continue;
        for (size_t i = 0; i < fam->rev.nnames; i++) {
            const char *cand = fam->rev.names[i].name;
            if (fam->rev.names[i].fc != VERDICT_FC_CONFIRMED || !check_name_good(cand, fam->address))
                continue;
            bool ok = true;
            for (int g = 0; g < MODEL_NFAMILIES; g++)
                if (g != f && check_audited(&c->vi->fam[g]) && c->vi->fam[g].rev.confirmed == VERDICT_YES
                    && !check_fam_confirms(&c->vi->fam[g], cand))
                    ok = false;
            if (ok) {
                c->target = cand;
                return;
            }
        }
    }
    if (c->helo_name_ok) {
        c->target = c->helo;
        return;
    }
    /* An EHLO name that is not usable at all: a fully qualified name the
     * host already goes by (Debian's /etc/mailname) makes the fix exact. */
    const char *known = c->id->mailname;
    c->target = known && hostname_is_fqdn(known) && !hostname_is_local(known) ? known : NULL;
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
    if (!c->target || hostname_equal(c->target, c->helo) || c->vi->helo_form == VERDICT_HELO_DYNAMIC)
        return;
    check_set_helo(c, fixes, c->target);
}

/* check_fix_forward - forward records of the target for the audited families
 * (only) where they are not known to exist. */
static void check_fix_forward(struct check_ctx *c, struct fix_list *fixes, int only)
{
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct verdict_family *fam = &c->vi->fam[f];
        if (!check_audited(fam) || (only >= 0 && f != only))
            continue;
        if (!check_name_has(c, c->target, (enum model_family)f, fam->address))
            fix_forward_record(fixes, c->target, fam->address);
    }
}

/* check_fix_ptr - the fixes for a family whose PTR is missing, unconfirmed or
 * generic: a PTR for the target, its forward record, the EHLO change. */
static void check_fix_ptr(struct check_ctx *c, struct fix_list *fixes, enum model_family f)
{
    const struct verdict_family *fam = &c->vi->fam[f];
    if (!c->target) {
        check_reverse_ptr_record(fixes, &fam->rev, NULL);
        return;
    }
    bool ptr_is_target = false;
    for (size_t i = 0; i < fam->rev.nnames; i++)
        if (hostname_equal(fam->rev.names[i].name, c->target))
            ptr_is_target = true;
    bool asks = !ptr_is_target || fam->rev.nnames > 1;
    if (asks
        && check_reverse_ptr_change(fixes, &fam->rev, c->target,
                                    check_name_has(c, c->target, f, fam->address))) {
        /* The forward record came first: nothing more to add. */
        check_fix_helo_change(c, fixes);
        return;
    }
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

/* check_ptr_names - the PTR names of a family, escaped, comma-separated. */
static char *check_ptr_names(const struct verdict_family *fam)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < fam->rev.nnames; i++) {
        char *e = hostname_escape(fam->rev.names[i].name);
        strbuf_addf(&sb, "%s%s", i ? ", " : "", e);
        free(e);
    }
    return strbuf_detach(&sb);
}

/* check_ptr_problem - what is wrong with the PTR of a family, for the
 * message of ptr-missing, ptr-unconfirmed and ipv6-without-ptr; NULL when
 * nothing is. */
static char *check_ptr_problem(const struct verdict_family *fam, enum model_family f)
{
    if (fam->rev.ptr == VERDICT_PTR_MISSING)
        return xasprintf("has no PTR record (%s)", facts_status_tostr(fam->rev.ptr_lookup->status));
    if (fam->rev.ptr == VERDICT_PTR_INVALID) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < fam->rev.ptr_lookup->invalid.n; i++)
            strbuf_addf(&sb, "%s'%s'", i ? ", " : "", fam->rev.ptr_lookup->invalid.items[i]);
        char *w = xasprintf("has a PTR record that holds an invalid host name (%s), which receivers treat as "
                            "no name",
                            sb.buf);
        strbuf_release(&sb);
        return w;
    }
    if (fam->rev.ptr == VERDICT_PTR_PRESENT && fam->rev.confirmed == VERDICT_NO) {
        char *names = check_ptr_names(fam);
        bool any_valid = false;
        for (size_t i = 0; i < fam->rev.nnames; i++)
            if (fam->rev.names[i].fc != VERDICT_FC_NOT_A_NAME)
                any_valid = true;
        char *w = any_valid
            ? xasprintf("has the PTR %s, but no PTR name has an %s record pointing back to it "
                        "(forward-confirmed reverse DNS fails)",
                        names, f == MODEL_IPV6 ? "AAAA" : "A")
            : xasprintf("has the PTR %s, which is not a valid host name, so receivers cannot confirm it "
                        "(forward-confirmed reverse DNS fails)",
                        names);
        free(names);
        return w;
    }
    return NULL;
}

/* check_auth - the authoritative comparison of family f (--authoritative),
 * demoted like every finding about this host's own PTR when it relays. */
static void check_auth(struct check_ctx *c, enum model_family f)
{
    struct finding *fd = check_reverse_auth(c->out, &c->vi->fam[f].rev, c->id->id, (int)f, c->helo);
    if (fd && c->vi->relayed && check_demoted(fd->id))
        fd->severity = FINDING_INFO;
}

static void check_ptr_findings(struct check_ctx *c, enum model_family f)
{
    const struct verdict_family *fam = &c->vi->fam[f];
    const struct model_identity *id = c->id;
    char *ea = hostname_escape(fam->address);
    char *raw = check_ptr_problem(fam, f);
    char *basis = check_reverse_basis(&fam->rev);
    char *what = raw ? xasprintf("%s%s", raw, basis) : NULL;
    free(raw);
    free(basis);
    if (what) {
        struct finding *fd;
        if (f == MODEL_IPV6) {
            char *share = check_ipv6_share(id);
            fd = check_emit(c, FINDING_IPV6_WITHOUT_PTR, (int)f, fam->address,
                            xasprintf("IPv6 delivery is enabled but %s %s; Gmail (550-5.7.25) and Microsoft "
                                      "(450 4.7.25) reject or defer such mail, and %s",
                                      ea, what, share));
            free(share);
            check_fix_ptr(c, &fd->fixes, f);
            fix_ipv4_only(&fd->fixes, id, &c->exim);
        } else if (fam->rev.ptr != VERDICT_PTR_PRESENT) {
            fd = check_emit(c, FINDING_PTR_MISSING, (int)f, fam->address,
                            xasprintf("%s %s; Gmail, Yahoo and Microsoft reject or defer mail from it "
                                      "(RDNS_NONE, 550-5.7.25)",
                                      ea, what));
            check_fix_ptr(c, &fd->fixes, f);
        } else {
            fd = check_emit(c, FINDING_PTR_UNCONFIRMED, (int)f, fam->address,
                            xasprintf("%s %s; Gmail, Yahoo and Microsoft require it", ea, what));
            check_fix_ptr(c, &fd->fixes, f);
        }
        free(what);
    }
    if (fam->rev.ptr == VERDICT_PTR_PRESENT) {
        if (fam->rev.nnames > 1) {
            struct finding *fd = check_emit(c, FINDING_PTR_MULTIPLE, (int)f, fam->address,
                                            xasprintf("%s has %zu PTR names; receivers pick one at random", ea,
                                                      fam->rev.nnames));
            /* Keep the name every other fix converges on. */
            const char *keep = c->target;
            for (size_t i = 0; !keep && i < fam->rev.nnames; i++)
                if (fam->rev.names[i].fc == VERDICT_FC_CONFIRMED)
                    keep = fam->rev.names[i].name;
            if (keep) {
                check_reverse_ptr_record(&fd->fixes, &fam->rev, keep);
                char *ek = hostname_escape(keep);
                fix_note(&fd->fixes, "ask the owner of %s to remove every other PTR record of it, keeping only %s",
                         ea, ek);
                free(ek);
                if (keep == c->target)
                    check_fix_forward(c, &fd->fixes, (int)f);
            } else {
                check_reverse_ptr_record(&fd->fixes, &fam->rev, NULL);
            }
        }
        for (size_t i = 0; i < fam->rev.nnames; i++) {
            const struct verdict_name *vn = &fam->rev.names[i];
            if (!vn->generic)
                continue;
            char *en = hostname_escape(vn->name);
            struct finding *fd = check_emit(c, FINDING_PTR_GENERIC, (int)f, fam->address,
                                            xasprintf("the PTR name %s of %s looks like %s (rule %s, resembles %s)",
                                                      en, ea, vn->generic->what, vn->generic->name,
                                                      vn->generic->resembles));
            free(en);
            if (c->target && !hostname_equal(c->target, vn->name) && check_name_good(c->target, fam->address))
                check_fix_ptr(c, &fd->fixes, f);
            else
                check_reverse_ptr_record(&fd->fixes, &fam->rev, NULL);
            break;
        }
    }
    free(ea);
}

/* check_helo_family - the EHLO relations of one audited family. */
static void check_helo_family(struct check_ctx *c, enum model_family f)
{
    const struct verdict_family *fam = &c->vi->fam[f];
    char *ea = hostname_escape(fam->address);
    char *eh = hostname_escape(c->helo);
    if (c->vi->helo_resolves == VERDICT_YES) {
        if (fam->helo_has_address == VERDICT_UNKNOWN) {
            check_dns_failure(c, (int)f, fam->address, c->helo, f == MODEL_IPV6 ? FACTS_AAAA : FACTS_A,
                              fam->helo_lookup, "whether the EHLO name resolves to the source");
        } else if (fam->helo_has_address == VERDICT_NO) {
            const struct facts_lookup *l = fam->helo_lookup;
            struct finding *fd = check_emit(
                c, FINDING_HELO_ADDRESS_MISMATCH, (int)f, fam->address,
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
                fix_forward_record(&fd->fixes, c->helo, fam->address);
            else
                fix_note(&fd->fixes, "announce a name whose %s record is %s", f == MODEL_IPV6 ? "AAAA" : "A", ea);
        }
    }
    if (fam->rev.ptr == VERDICT_PTR_PRESENT && fam->rev.confirmed != VERDICT_UNKNOWN && !fam->helo_is_ptr) {
        char *names = check_ptr_names(fam);
        struct finding *fd = check_emit(c, FINDING_HELO_PTR_MISMATCH, (int)f, fam->address,
                                        xasprintf("the EHLO name %s differs from the PTR of %s (%s)", eh, ea, names));
        free(names);
        if (c->target && !hostname_equal(c->target, c->helo)) {
            check_fix_helo_change(c, &fd->fixes);
        } else if (c->target) {
            check_reverse_ptr_record(&fd->fixes, &fam->rev, c->target);
            check_fix_forward(c, &fd->fixes, (int)f);
        } else {
            check_reverse_ptr_record(&fd->fixes, &fam->rev, NULL);
        }
    }
    free(ea);
    free(eh);
}

/* check_helo_literal - an address literal is acceptable only on connections
 * whose source it is. */
static void check_helo_literal(struct check_ctx *c, enum model_family f)
{
    const struct verdict_family *fam = &c->vi->fam[f];
    if (fam->literal_matches)
        return;
    char *eh = hostname_escape(c->helo), *ea = hostname_escape(fam->address);
    struct finding *fd = check_emit(c, FINDING_HELO_INVALID, (int)f, fam->address,
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

/* check_source - report bind, temporary and scope findings of family f. */
static void check_source(struct check_ctx *c, enum model_family f)
{
    const struct model_identity *id = c->id;
    const struct verdict_family *fam = &c->vi->fam[f];
    const struct facts_source *src = fam->src;
    if (!src)
        return;
    const struct model_bind *b = &id->bind[f];
    const char *addr = src->address;
    if (fam->bind_not_local) {
        const char *leaves = fam->falls_back ? src->address : NULL;
        char *origin = model_origin_tostr(&b->origin);
        char *eb = hostname_escape(fam->configured);
        char *eo = hostname_escape(origin);
        free(origin);
        char *ek = hostname_escape(leaves);
        char *msg = fam->falls_back
            ? xasprintf("the %s bind address %s (%s) is not an address of this host; Postfix logs a warning "
                        "and sends from %s instead",
                        check_family_word(f), eb, eo, leaves ? ek : "the kernel's choice")
            : b->how == MODEL_BIND_INET_INTERFACES
            ? xasprintf("the inet_interfaces address %s (%s) is not an address of this host; Postfix refuses to "
                        "start (\"no local interface found\"), so no mail leaves",
                        eb, eo)
            : xasprintf("the %s bind address %s (%s) is not an address of this host; every %s delivery "
                        "attempt fails, so there is no usable %s source",
                        check_family_word(f), eb, eo, check_family_word(f), check_family_word(f));
        struct finding *fd = check_emit(c, FINDING_BIND_NOT_LOCAL, (int)f, fam->configured, msg);
        const char *right = src->kernel_address && scope_public(scope_of(src->kernel_address))
            ? src->kernel_address
            : NULL;
        fix_bind_address(&fd->fixes, id, f, right, facts_postfix_at_least(c->facts, 3, 7), &c->exim);
        free(eb);
        free(eo);
        free(ek);
        if (!fam->falls_back)
            return;
        addr = leaves;
    }
    if (!addr)
        return;
    char *ea = hostname_escape(addr);
    if (fam->source == VERDICT_SOURCE_TEMPORARY) {
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
    } else if (fam->source == VERDICT_SOURCE_NOT_PUBLIC) {
        struct finding *fd = check_emit(
            c, FINDING_SOURCE_NOT_PUBLIC, (int)f, addr,
            xasprintf("the %s source %s is a %s address: a NAT in front of this host rewrites it, so its PTR "
                      "checks were skipped; --source-ip PUBLIC makes the audit exact",
                      check_family_word(f), ea, scope_tostr(scope_of(addr))));
        fix_note(&fd->fixes, "run the audit again with --source-ip PUBLIC (the address receivers see) to make it "
                             "exact");
    }
    free(ea);
}

/* check_no_route - no mail can leave: no family the identity may use has a
 * route (or the audited host has none of its families). */
static void check_no_route(struct check_ctx *c)
{
    struct strbuf why = STRBUF_INIT;
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        const struct verdict_family *fam = &c->vi->fam[f];
        if (!(c->id->families & MODEL_FAMILY_BIT(f)))
            continue;
        if (!fam->used) {
            strbuf_addf(&why, "%s%s is not audited (--family)", why.len ? "; " : "", check_family_word((enum model_family)f));
            continue;
        }
        char *err = fam->src && fam->src->error ? hostname_escape(fam->src->error) : NULL;
        strbuf_addf(&why, "%sno %s route%s%s%s", why.len ? "; " : "", check_family_word((enum model_family)f),
                    err ? " (" : "", err ? err : "", err ? ")" : "");
        free(err);
    }
    struct finding *fd = check_emit(c, FINDING_NO_ROUTE, -1, NULL,
                                    xasprintf("this transport may use no address family that has a route to the "
                                              "Internet (%s): no mail can leave",
                                              why.len ? why.buf : "it uses no address family"));
    strbuf_release(&why);
    fix_note(&fd->fixes, "check the host's routes (ip route get 8.8.8.8; ip -6 route get 2001:4860:4860::8888) "
                         "and the transport's address families (Postfix inet_protocols, Exim disable_ipv6)");
}

/* check_helo_resolution - the EHLO name's A/AAAA, judged whenever mail can
 * leave (also behind NAT). */
static void check_helo_resolution(struct check_ctx *c)
{
    const struct verdict_identity *vi = c->vi;
    if (!vi->judged_helo || vi->helo_resolves == VERDICT_YES)
        return;
    if (vi->helo_resolves == VERDICT_UNKNOWN) {
        if (verdict_lookup_failed(c->vs, vi->helo_a))
            check_dns_failure(c, -1, NULL, c->helo, FACTS_A, vi->helo_a, "whether the EHLO name resolves");
        if (verdict_lookup_failed(c->vs, vi->helo_aaaa))
            check_dns_failure(c, -1, NULL, c->helo, FACTS_AAAA, vi->helo_aaaa, "whether the EHLO name resolves");
        return;
    }
    char *eh = hostname_escape(c->helo);
    struct finding *fd = check_emit(c, FINDING_HELO_UNRESOLVABLE, -1, NULL,
                                    xasprintf("the EHLO name %s has neither an A nor an AAAA record; "
                                              "receivers with reject_unknown_helo_hostname refuse it",
                                              eh));
    free(eh);
    check_fix_helo_change(c, &fd->fixes);
    check_fix_forward(c, &fd->fixes, -1);
}

static void check_identity(struct check_ctx *c)
{
    const struct model_identity *id = c->id;
    const struct verdict_identity *vi = c->vi;
    c->helo = vi->helo;
    c->helo_name_ok = vi->helo_form == VERDICT_HELO_FQDN;

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
    if (vi->no_route)
        check_no_route(c);

    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (vi->fam[f].used)
            check_source(c, (enum model_family)f);
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (check_audited(&vi->fam[f])) {
            check_ptr_dns(c, (enum model_family)f);
            check_auth(c, (enum model_family)f);
        }
    check_choose_target(c);
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (check_audited(&vi->fam[f]))
            check_ptr_findings(c, (enum model_family)f);

    /* EHLO name. */
    if (vi->helo_form == VERDICT_HELO_DYNAMIC) {
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
    if (vi->helo_form == VERDICT_HELO_LITERAL) {
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            if (check_audited(&vi->fam[f]))
                check_helo_literal(c, (enum model_family)f);
        return;
    }
    if (!c->helo_name_ok) {
        char *eh = hostname_escape(c->helo);
        const char *why = vi->helo_form == VERDICT_HELO_MISSING ? "no EHLO name could be determined"
            : vi->helo_form == VERDICT_HELO_BAD_LITERAL        ? "is a malformed address literal"
            : vi->helo_form == VERDICT_HELO_NOT_A_NAME         ? "is not a valid host name"
            : vi->helo_form == VERDICT_HELO_LOCAL              ? "is a local name that means nothing outside this host"
                                                               : "is not fully qualified";
        char *msg = c->helo ? xasprintf("the EHLO name %s %s; receivers with reject_non_fqdn_helo_hostname or "
                                        "reject_invalid_helo_hostname refuse it (rspamd HFILTER_HELO_NOT_FQDN)",
                                        eh, why)
                            : xstrdup(why);
        struct finding *fd = check_emit(c, FINDING_HELO_INVALID, -1, NULL, msg);
        if (c->target) {
            c->helo_change = c->target;
            fix_set_myhostname(&fd->fixes, id, c->target, c->main_cf_users ? c->main_cf_users[c->index] : 0,
                               &c->exim);
            check_fix_forward(c, &fd->fixes, -1);
        } else {
            check_set_helo(c, &fd->fixes, NULL);
        }
        free(eh);
        return;
    }

    check_helo_resolution(c);
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (check_audited(&vi->fam[f]))
            check_helo_family(c, (enum model_family)f);
}

/* check_identities - run the checks of every identity of c->set into out;
 * when change is not NULL, change[i] becomes the name identity i's fixes
 * announce instead of its EHLO name (NULL: none). */
static void check_identities(const struct check_ctx *c, struct finding_list *out, const char **change)
{
    for (size_t i = 0; i < c->set->n; i++) {
        struct check_ctx ic = *c;
        memset(&ic.dns_reported, 0, sizeof(ic.dns_reported));
        ic.out = out;
        ic.id = &c->set->items[i];
        ic.vi = &c->vs->items[i];
        ic.index = i;
        ic.target = NULL;
        ic.helo_change = NULL;
        check_identity(&ic);
        if (change)
            change[i] = ic.helo_change;
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

/* check_run_config - findings about the configuration and the resolver,
 * which belong to no identity. */
static void check_run_config(struct check_ctx *c)
{
    const struct model_set *set = c->set;
    const struct facts *facts = c->facts;
    bool unreadable = false;
    if (facts->diags)
        for (size_t i = 0; i < facts->diags->n; i++) {
            const struct diag *d = &facts->diags->items[i];
            if (d->level == DIAG_WARNING)
                continue;
            char *raw = diag_format(d);
            if (d->level == DIAG_UNREADABLE) {
                unreadable = true;
                struct finding *fd = check_emit(c, FINDING_CONFIG_UNREADABLE, -1, NULL, hostname_escape(raw));
                fix_note(&fd->fixes, "run the audit as a user who can read the MTA's configuration (root), or "
                                     "point it at the right place with --postfix-dir DIR or --exim-config FILE");
                free(raw);
                continue;
            }
            char *where = d->file ? (d->line ? xasprintf("%s:%u", d->file, d->line) : xstrdup(d->file))
                                  : xstrdup("the configuration");
            char *ew = hostname_escape(where);
            struct finding *fd = check_emit(c, FINDING_CONFIG_ERROR, -1, NULL, hostname_escape(raw));
            fix_note(&fd->fixes, "correct %s, then check it with the MTA itself (postconf -n, exim -bV)", ew);
            free(ew);
            free(where);
            free(raw);
        }
    if (set->n == 0 && !facts->mta_config_found && !unreadable) {
        struct finding *fd = check_emit(c, FINDING_NO_MTA_CONFIG, -1, NULL,
                                        xstrdup("no Postfix or Exim configuration was found"));
        fix_note(&fd->fixes, "point the audit at the configuration with --postfix-dir DIR or --exim-config FILE");
    }
    if (c->vs->resolver == VERDICT_RESOLVER_BROKEN) {
        const struct facts_lookup *l = c->vs->canary;
        char *server = l->server ? hostname_escape(l->server) : xstrdup("the resolver");
        struct finding *fd = check_emit(
            c, FINDING_RESOLVER_BROKEN, -1, NULL,
            xasprintf("%s answers %s when asked for the root zone's name servers: it lies (a captive portal, a "
                      "filtering or a broken resolver), so verdicts that rest on its negative answers are unknown",
                      server, l->status == FACTS_NXDOMAIN ? "NXDOMAIN" : "without NS records"));
        fix_note(&fd->fixes, "run the audit with a resolver that answers truthfully (--dns-server ADDRESS), or fix "
                             "this host's resolver (%s)",
                 server);
        free(server);
    }
}

void check_run_verdicts(const struct model_set *set, const struct verdict_set *vs, struct finding_list *out)
{
    struct check_ctx c;
    memset(&c, 0, sizeof(c));
    c.set = set;
    c.vs = vs;
    c.facts = vs->facts;
    c.out = out;
    c.exim.debian_dir = c.facts->exim_debian_dir;
    c.exim.debian_split = c.facts->exim_debian_split;

    check_run_config(&c);
    /* EHLO fixes for Postfix depend on the other transports of the same
     * directory (one main.cf change, or -P per transport), so a planning pass
     * writes every identity's findings into a list that is thrown away and
     * records the name each identity's fixes would announce; the second pass
     * writes the findings with that decision. Both read the same verdicts. */
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
    check_inbound(vs, out);
}

void check_run(const struct model_set *set, const struct facts *facts, struct finding_list *out)
{
    struct verdict_set vs;
    verdict_compute(set, facts, &vs);
    check_run_verdicts(set, &vs, out);
    verdict_set_free(&vs);
}
