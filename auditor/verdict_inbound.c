/* verdict_inbound - the receiving side's judgements; see verdict_inbound.h. */
#include "auditor/verdict_inbound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/scope.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

static bool verdict_inbound_has(const struct strlist *list, const char *address)
{
    for (size_t i = 0; i < list->n; i++)
        if (hostname_address_equal(list->items[i], address))
            return true;
    return false;
}

static void verdict_inbound_push(struct strlist *out, struct strlist *listening, const char *address,
                                 const char *from)
{
    if (verdict_inbound_has(out, address))
        return;
    strlist_add(out, address);
    if (listening)
        strlist_add(listening, from ? from : "");
}

void verdict_inbound_addresses(const struct listener *l, const struct facts *facts, struct strlist *out,
                               struct strlist *listening)
{
    for (size_t i = 0; i < l->addresses.n; i++) {
        const char *a = l->addresses.items[i];
        if (scope_public(scope_of(a))) {
            verdict_inbound_push(out, listening, a, NULL);
            continue;
        }
        /* Behind NAT: mail for a private listening address arrives at the
         * public address --source-ip names (loopback never does). */
        if (scope_of(a) == SCOPE_LOOPBACK)
            continue;
        int fam = hostname_address_family(a);
        for (size_t k = 0; k < facts->given_sources.n; k++)
            if (hostname_address_family(facts->given_sources.items[k]) == fam)
                verdict_inbound_push(out, listening, facts->given_sources.items[k], a);
    }
    /* Postfix proxy_interfaces: the public addresses where mail reaches
     * this host through a proxy or NAT in front (host names in it are not
     * resolved here). */
    for (size_t i = 0; i < l->proxy_addresses.n; i++) {
        const char *a = l->proxy_addresses.items[i];
        if (hostname_address_family(a) != 0 && scope_public(scope_of(a)))
            verdict_inbound_push(out, listening, a, VERDICT_INBOUND_PROXY);
    }
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        if (!(l->all_families & MODEL_FAMILY_BIT(f)))
            continue;
        int want = f == MODEL_IPV6 ? AF_INET6 : AF_INET;
        bool any = false;
        for (size_t i = 0; i < facts->local_public.n; i++)
            if (hostname_address_family(facts->local_public.items[i]) == want) {
                verdict_inbound_push(out, listening, facts->local_public.items[i], NULL);
                any = true;
            }
        /* A wildcard on a host with private addresses only: --source-ip. */
        for (size_t k = 0; !any && k < facts->given_sources.n; k++)
            if (hostname_address_family(facts->given_sources.items[k]) == want)
                verdict_inbound_push(out, listening, facts->given_sources.items[k], "*");
    }
}

bool verdict_inbound_loopback_only(const struct listener *l)
{
    if (l->all_families || l->names.n || !l->addresses.n)
        return false;
    for (size_t i = 0; i < l->proxy_addresses.n; i++)
        if (hostname_address_family(l->proxy_addresses.items[i]) == 0
            || scope_public(scope_of(l->proxy_addresses.items[i])))
            return false;
    for (size_t i = 0; i < l->addresses.n; i++)
        if (scope_of(l->addresses.items[i]) != SCOPE_LOOPBACK)
            return false;
    return true;
}

bool verdict_inbound_receives(const struct listener_set *set)
{
    size_t mx = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (!set->items[i].mx)
            continue;
        mx++;
        if (!verdict_inbound_loopback_only(&set->items[i]))
            return true;
    }
    return mx == 0;
}

static enum verdict_banner verdict_banner_form(const struct listener_banner *b, const char *hostname)
{
    if (!hostname)
        return b->dynamic ? VERDICT_BANNER_DYNAMIC : VERDICT_BANNER_MISSING;
    if (hostname_is_fqdn(hostname) && !hostname_is_local(hostname))
        return VERDICT_BANNER_FQDN;
    return VERDICT_BANNER_NOT_FQDN;
}

static void verdict_inbound_addr(const struct facts *facts, enum verdict_resolver resolver, const char *hostname,
                                 struct verdict_inbound_addr *va)
{
    (void)facts;
    verdict_reverse_compute(facts, resolver, va->address, &va->rev);
    const struct verdict_reverse *rev = &va->rev;
    va->ptr = rev->ptr;
    va->confirmed = rev->confirmed;
    va->names = xcalloc(rev->nnames ? rev->nnames : 1, sizeof(*va->names));
    for (size_t i = 0; i < rev->nnames; i++) {
        const struct verdict_name *vn = &rev->names[i];
        if (vn->fc == VERDICT_FC_NOT_A_NAME)
            continue;
        va->names[va->nnames++] = vn->name;
        if (hostname && hostname_equal(vn->name, hostname))
            va->banner_is_ptr = true;
        if (vn->fc == VERDICT_FC_CONFIRMED && !va->confirmed_name)
            va->confirmed_name = vn->name;
    }
    if (va->ptr == VERDICT_PTR_PRESENT && va->nnames == 0)
        va->ptr = VERDICT_PTR_INVALID;
}

/* verdict_inbound_exim_variable - the length of the unexpanded variable
 * at s that the parser leaves in Exim's banner text ($version_number,
 * $tod_NAME, also in braces), or 0. */
static size_t verdict_inbound_exim_variable(const char *s)
{
    if (s[0] != '$')
        return 0;
    bool brace = s[1] == '{';
    const char *name = s + 1 + brace;
    size_t n = 0;
    if (strncmp(name, "version_number", 14) == 0)
        n = 14;
    else if (strncmp(name, "tod_", 4) == 0)
        for (n = 4; (name[n] >= 'a' && name[n] <= 'z') || name[n] == '_'; n++)
            ;
    if (!n || (n == 4 && name[3] == '_'))
        return 0;
    if (brace)
        return name[n] == '}' ? n + 3 : 0;
    return n + 1;
}

bool verdict_inbound_exim_text_matches(const char *configured, const char *live)
{
    /* Glob matching with one wildcard per variable: the last wildcard seen
     * and where its match started, to widen it on a mismatch. */
    const char *c = configured, *l = live, *star_c = NULL, *star_l = NULL;
    while (*l) {
        size_t v = verdict_inbound_exim_variable(c);
        if (v) {
            c += v;
            star_c = c;
            star_l = l;
            continue;
        }
        if (*c && *c == *l) {
            c++;
            l++;
            continue;
        }
        /* A variable's value never spans lines. */
        if (!star_c || *star_l == '\n')
            return false;
        star_l++;
        l = star_l;
        c = star_c;
    }
    while (verdict_inbound_exim_variable(c))
        c += verdict_inbound_exim_variable(c);
    return *c == '\0';
}

/* verdict_inbound_live - the live greeting of a listener and whether it
 * says what the configuration says. For Postfix the final line is what
 * smtpd sends (postscreen's teaser goes to new clients only, and this host
 * is in its default access list). Exim sends smtp_banner's lines in order,
 * so its host name starts the first line (where RFC 5321 puts the domain);
 * its configured text keeps $version_number and $tod_ unexpanded, which
 * match any text of one line (verdict_inbound_exim_text_matches). */
static void verdict_inbound_live(const struct facts *facts, struct verdict_listener *vl)
{
    for (size_t i = 0; i < facts->ngreetings && !vl->live; i++)
        if (strcmp(facts->greeting_listeners.items[i], vl->l->id) == 0 && facts->greetings[i].status == SMTP_GREET_OK
            && facts->greetings[i].lines.n > 0)
            vl->live = &facts->greetings[i];
    if (!vl->live)
        return;
    const char *final = vl->live->lines.items[vl->live->lines.n - 1];
    vl->live_hostname = listener_first_word(vl->l->mta == MODEL_EXIM ? vl->live->lines.items[0] : final);
    const struct listener_banner *b = &vl->l->banner;
    if (b->dynamic || !b->text)
        return;
    bool same_host = vl->live_hostname && b->hostname && hostname_equal(vl->live_hostname, b->hostname);
    if (!vl->live_hostname && !b->hostname)
        same_host = true;
    /* A configured text with newlines (Exim) ends with the final line. */
    const char *last = strrchr(b->text, '\n');
    last = last ? last + 1 : b->text;
    if (vl->l->mta == MODEL_POSTFIX) {
        vl->live_differs = !same_host || strcmp(final, last) != 0;
        return;
    }
    struct strbuf whole = STRBUF_INIT;
    for (size_t i = 0; i < vl->live->lines.n; i++)
        strbuf_addf(&whole, "%s%s", i ? "\n" : "", vl->live->lines.items[i]);
    vl->live_differs = !same_host || !verdict_inbound_exim_text_matches(b->text, whole.buf);
    strbuf_release(&whole);
}

static int verdict_mx_target_cmp(const void *x, const void *y)
{
    const struct verdict_mx_target *a = x, *b = y;
    if (a->preference != b->preference)
        return a->preference < b->preference ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* verdict_inbound_is_ours - address is one this host receives mail on. */
static bool verdict_inbound_is_ours(const struct verdict_inbound *vi, const struct facts *facts, const char *address)
{
    for (size_t i = 0; i < vi->nlisteners; i++)
        for (size_t k = 0; k < vi->listeners[i].naddrs; k++)
            if (hostname_address_equal(vi->listeners[i].addrs[k].address, address))
                return true;
    return verdict_inbound_has(&facts->local_public, address) || verdict_inbound_has(&facts->given_sources, address);
}

static void verdict_inbound_domain(const struct facts *facts, enum verdict_resolver resolver,
                                   struct verdict_inbound *vi, struct verdict_domain *vd)
{
    vd->mx_lookup = facts_lookup_find(facts, vd->d->name, FACTS_MX);
    vd->this_host = VERDICT_UNKNOWN;
    enum verdict_tri a = verdict_reverse_answer(resolver, vd->mx_lookup);
    if (a == VERDICT_UNKNOWN) {
        vd->mx = VERDICT_MX_UNKNOWN;
        return;
    }
    if (a == VERDICT_NO) {
        vd->mx = VERDICT_MX_NONE;
        vd->this_host = VERDICT_NO;
        return;
    }
    const struct strlist *ans = &vd->mx_lookup->answers;
    vd->targets = xcalloc(ans->n ? ans->n : 1, sizeof(*vd->targets));
    bool null_mx = false;
    for (size_t i = 0; i < ans->n; i++) {
        unsigned pref;
        const char *name;
        if (!facts_mx_parse(ans->items[i], &pref, &name))
            continue;
        struct verdict_mx_target *t = &vd->targets[vd->ntargets++];
        t->name = xstrdup(name);
        t->preference = pref;
        if (strcmp(name, ".") == 0) {
            null_mx = true;
            continue;
        }
        t->a = facts_lookup_find(facts, name, FACTS_A);
        t->aaaa = facts_lookup_find(facts, name, FACTS_AAAA);
        for (int k = 0; k < 2; k++) {
            const struct facts_lookup *l = k ? t->aaaa : t->a;
            if (l && l->status == FACTS_OK)
                for (size_t j = 0; j < l->answers.n; j++)
                    strlist_add(&t->addresses, l->answers.items[j]);
        }
    }
    qsort(vd->targets, vd->ntargets, sizeof(*vd->targets), verdict_mx_target_cmp);
    if (null_mx && vd->ntargets == 1) {
        vd->mx = VERDICT_MX_NULL;
        vd->this_host = VERDICT_NO;
        return;
    }
    vd->mx = vd->ntargets ? VERDICT_MX_OK : VERDICT_MX_UNKNOWN;
    bool unknown = vd->ntargets == 0;
    vd->this_host = VERDICT_NO;
    for (size_t i = 0; i < vd->ntargets; i++) {
        struct verdict_mx_target *t = &vd->targets[i];
        if (strcmp(t->name, ".") == 0)
            continue;
        for (size_t j = 0; j < t->addresses.n; j++)
            if (verdict_inbound_is_ours(vi, facts, t->addresses.items[j]))
                t->this_host = true;
        if (t->this_host)
            vd->this_host = VERDICT_YES;
        else if (verdict_reverse_answer(resolver, t->a) == VERDICT_UNKNOWN || verdict_reverse_answer(resolver, t->aaaa) == VERDICT_UNKNOWN)
            unknown = true;
    }
    if (vd->this_host == VERDICT_NO && unknown)
        vd->this_host = VERDICT_UNKNOWN;
    /* The addresses of our listeners that an MX points at. */
    for (size_t i = 0; i < vd->ntargets; i++)
        for (size_t j = 0; j < vd->targets[i].addresses.n; j++)
            for (size_t m = 0; m < vi->nlisteners; m++)
                for (size_t k = 0; k < vi->listeners[m].naddrs; k++)
                    if (hostname_address_equal(vi->listeners[m].addrs[k].address, vd->targets[i].addresses.items[j]))
                        vi->listeners[m].addrs[k].mx_target = true;
}

void verdict_inbound_compute(const struct facts *facts, enum verdict_resolver resolver, struct verdict_inbound *out)
{
    memset(out, 0, sizeof(*out));
    const struct listener_set *set = facts->inbound;
    if (!set)
        return;
    out->audited = true;
    out->receives = verdict_inbound_receives(set);
    out->listeners = xcalloc(set->n ? set->n : 1, sizeof(*out->listeners));
    for (size_t i = 0; i < set->n; i++) {
        const struct listener *l = &set->items[i];
        if (!l->mx)
            continue;
        struct verdict_listener *vl = &out->listeners[out->nlisteners++];
        vl->l = l;
        vl->hostname = l->banner.hostname;
        vl->form = verdict_banner_form(&l->banner, vl->hostname);
        struct strlist addrs = STRLIST_INIT, from = STRLIST_INIT;
        verdict_inbound_addresses(l, facts, &addrs, &from);
        vl->addrs = xcalloc(addrs.n ? addrs.n : 1, sizeof(*vl->addrs));
        for (size_t k = 0; k < addrs.n; k++) {
            struct verdict_inbound_addr *va = &vl->addrs[vl->naddrs++];
            va->address = xstrdup(addrs.items[k]);
            va->listening = from.items[k][0] ? xstrdup(from.items[k]) : NULL;
            verdict_inbound_addr(facts, resolver, vl->form == VERDICT_BANNER_FQDN ? vl->hostname : NULL, va);
        }
        vl->loopback_only = verdict_inbound_loopback_only(l);
        vl->private_only = addrs.n == 0 && !vl->loopback_only && (l->addresses.n > 0 || l->all_families);
        verdict_inbound_live(facts, vl);
        strlist_free(&addrs);
        strlist_free(&from);
    }
    out->domains = xcalloc(set->ndomains ? set->ndomains : 1, sizeof(*out->domains));
    for (size_t i = 0; i < set->ndomains; i++) {
        struct verdict_domain *vd = &out->domains[out->ndomains++];
        vd->d = &set->domains[i];
        verdict_inbound_domain(facts, resolver, out, vd);
    }
}

void verdict_inbound_free(struct verdict_inbound *vi)
{
    for (size_t i = 0; i < vi->nlisteners; i++) {
        for (size_t k = 0; k < vi->listeners[i].naddrs; k++) {
            struct verdict_inbound_addr *va = &vi->listeners[i].addrs[k];
            free(va->address);
            free(va->listening);
            verdict_reverse_free(&va->rev);
            free(va->names);
        }
        free(vi->listeners[i].addrs);
        free(vi->listeners[i].live_hostname);
    }
    free(vi->listeners);
    for (size_t i = 0; i < vi->ndomains; i++) {
        for (size_t k = 0; k < vi->domains[i].ntargets; k++) {
            free(vi->domains[i].targets[k].name);
            strlist_free(&vi->domains[i].targets[k].addresses);
        }
        free(vi->domains[i].targets);
    }
    free(vi->domains);
    memset(vi, 0, sizeof(*vi));
}

char *verdict_domain_identity(const struct listener_domain *d)
{
    return xasprintf("%s:domain:%s", model_mta_tostr(d->mta), d->name);
}

const char *verdict_banner_tostr(enum verdict_banner form)
{
    switch (form) {
    case VERDICT_BANNER_FQDN:
        return "fqdn";
    case VERDICT_BANNER_NOT_FQDN:
        return "not-fqdn";
    case VERDICT_BANNER_MISSING:
        return "missing";
    case VERDICT_BANNER_DYNAMIC:
        break;
    }
    return "dynamic";
}

const char *verdict_mx_tostr(enum verdict_mx mx)
{
    switch (mx) {
    case VERDICT_MX_OK:
        return "ok";
    case VERDICT_MX_NONE:
        return "none";
    case VERDICT_MX_NULL:
        return "null";
    case VERDICT_MX_UNKNOWN:
        break;
    }
    return "unknown";
}
