/* verdict - every judgement of an audit, computed once; see verdict.h. */
#include "auditor/verdict.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/ptr_generic.h"
#include "auditor/verdict_inbound.h"

enum verdict_tri verdict_answer(const struct verdict_set *vs, const struct facts_lookup *l)
{
    if (!l || facts_status_failed(l->status))
        return VERDICT_UNKNOWN;
    if (l->status == FACTS_OK && (l->answers.n > 0 || l->invalid.n > 0))
        return VERDICT_YES;
    /* NXDOMAIN, NODATA, or an empty NOERROR: only as good as the resolver
     * (an authoritative server's own answer does not depend on it). */
    return vs->resolver == VERDICT_RESOLVER_BROKEN && !l->direct ? VERDICT_UNKNOWN : VERDICT_NO;
}

bool verdict_lookup_failed(const struct verdict_set *vs, const struct facts_lookup *l)
{
    return verdict_answer(vs, l) == VERDICT_UNKNOWN;
}

const char *verdict_helo_name(const struct model_identity *id, const struct facts *facts)
{
    if (facts->helo_override)
        return facts->helo_override;
    return id->helo_name;
}

static enum verdict_helo verdict_helo_form(const struct model_identity *id, const struct facts *facts,
                                           char *literal, size_t literal_len)
{
    const char *helo = verdict_helo_name(id, facts);
    if (!facts->helo_override && id->helo_dynamic)
        return VERDICT_HELO_DYNAMIC;
    if (!helo)
        return VERDICT_HELO_MISSING;
    int lit = hostname_literal_parse(helo, literal, literal_len);
    if (lit == 1)
        return VERDICT_HELO_LITERAL;
    if (lit < 0)
        return VERDICT_HELO_BAD_LITERAL;
    if (!hostname_valid(helo))
        return VERDICT_HELO_NOT_A_NAME;
    if (hostname_is_local(helo))
        return VERDICT_HELO_LOCAL;
    if (!hostname_is_fqdn(helo))
        return VERDICT_HELO_NOT_FQDN;
    return VERDICT_HELO_FQDN;
}

const char *verdict_helo_checkable(const struct model_identity *id, const struct facts *facts)
{
    char literal[64];
    if (verdict_helo_form(id, facts, literal, sizeof(literal)) != VERDICT_HELO_FQDN)
        return NULL;
    return verdict_helo_name(id, facts);
}

bool verdict_family_used(const struct model_identity *id, const struct facts *facts, enum model_family f)
{
    return (id->families & MODEL_FAMILY_BIT(f)) && (!facts->host_families || (facts->host_families & MODEL_FAMILY_BIT(f)));
}

static enum verdict_source verdict_classify(const struct model_identity *id, const struct facts_source *src,
                                            const char **addr);

bool verdict_has_route(const struct model_identity *id, size_t index, const struct facts *facts)
{
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        if (!verdict_family_used(id, facts, (enum model_family)f))
            continue;
        const char *addr;
        switch (verdict_classify(id, facts_source_find(facts, index, (enum model_family)f), &addr)) {
        case VERDICT_SOURCE_OK:
        case VERDICT_SOURCE_TEMPORARY:
        case VERDICT_SOURCE_NOT_PUBLIC:
            return true; /* mail leaves on this family */
        default:
            break;
        }
    }
    return false;
}

/* A configured bind address of the source's family is not an address of
 * this host (a --source-ip overrides the question). */
static bool verdict_bind_not_local(const struct model_identity *id, const struct facts_source *src)
{
    const struct model_bind *b = &id->bind[src->family];
    return (b->how == MODEL_BIND_PARAM || b->how == MODEL_BIND_INET_INTERFACES)
        && src->bind_local == FACTS_LOCAL_NO && src->how != FACTS_HOW_GIVEN;
}

/* A failing bind is only a warning to Postfix's smtp(8) without
 * smtp_bind_address_enforce: it connects unbound, from the kernel's choice.
 * Exim defers the delivery; a wrong inet_interfaces stops Postfix. */
static bool verdict_bind_falls_back(const struct model_identity *id, const struct facts_source *src)
{
    return id->mta == MODEL_POSTFIX && !id->bind_enforce && id->bind[src->family].how == MODEL_BIND_PARAM;
}

static bool verdict_source_temporary(const struct facts_source *src)
{
    return src->how != FACTS_HOW_GIVEN && src->family == MODEL_IPV6 && (src->temporary || src->deprecated);
}

/* verdict_classify - the source state of src for id, and the address
 * receivers see (*addr, NULL unless OK). */
static enum verdict_source verdict_classify(const struct model_identity *id, const struct facts_source *src,
                                            const char **addr)
{
    *addr = NULL;
    if (!src)
        return VERDICT_SOURCE_NOT_PROBED;
    const char *a = src->address;
    enum scope scope = src->scope;
    if (verdict_bind_not_local(id, src)) {
        if (!verdict_bind_falls_back(id, src))
            return VERDICT_SOURCE_UNUSABLE;
        /* The source probe recorded where the connection really leaves
         * from (the kernel's choice); configured_address keeps the bind. */
        scope = scope_of(a);
    }
    if (!src->route || !a)
        return VERDICT_SOURCE_NO_ROUTE;
    if (verdict_source_temporary(src))
        return VERDICT_SOURCE_TEMPORARY;
    if (src->how != FACTS_HOW_GIVEN && !scope_public(scope))
        return VERDICT_SOURCE_NOT_PUBLIC;
    *addr = a;
    return VERDICT_SOURCE_OK;
}

const char *verdict_source_address(const struct model_identity *id, const struct facts_source *src)
{
    const char *addr;
    verdict_classify(id, src, &addr);
    return addr;
}

static int verdict_strcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void verdict_auth_servers(const struct facts *facts, const char *zone, struct strlist *out)
{
    const struct facts_lookup *ns = zone ? facts_lookup_find(facts, zone, FACTS_NS) : NULL;
    if (!ns || ns->status != FACTS_OK)
        return;
    struct strlist found = STRLIST_INIT;
    for (size_t i = 0; i < ns->answers.n; i++) {
        const char *name = ns->answers.items[i];
        if (!hostname_valid(name))
            continue;
        for (int t = 0; t < 2; t++) {
            const struct facts_lookup *a = facts_lookup_find(facts, name, t ? FACTS_AAAA : FACTS_A);
            if (!a || a->status != FACTS_OK)
                continue;
            for (size_t k = 0; k < a->answers.n; k++) {
                int af = hostname_address_family(a->answers.items[k]);
                if (!af)
                    continue;
                char *text = af == AF_INET6 ? xasprintf("[%s]:53", a->answers.items[k])
                                            : xasprintf("%s:53", a->answers.items[k]);
                if (strlist_contains(&found, text) || strlist_contains(out, text))
                    free(text);
                else
                    strlist_add_owned(&found, text);
            }
        }
    }
    if (found.n > 1)
        qsort(found.items, found.n, sizeof(char *), verdict_strcmp);
    for (size_t i = 0; i < found.n && out->n < VERDICT_AUTH_MAX; i++)
        strlist_add(out, found.items[i]);
    strlist_free(&found);
}

static bool verdict_lists_equal(const struct strlist *a, const struct strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!hostname_equal(a->items[i], b->items[i]))
            return false;
    return true;
}

bool verdict_lookup_same(const struct facts_lookup *a, const struct facts_lookup *b)
{
    if (!a || !b || facts_status_failed(a->status) || facts_status_failed(b->status))
        return false;
    bool ahas = a->status == FACTS_OK && (a->answers.n || a->invalid.n);
    bool bhas = b->status == FACTS_OK && (b->answers.n || b->invalid.n);
    if (!ahas || !bhas)
        return ahas == bhas;
    return verdict_lists_equal(&a->answers, &b->answers) && verdict_lists_equal(&a->invalid, &b->invalid);
}

/* verdict_zone - the reverse zone of the address and its owner. */
static void verdict_zone(const struct verdict_set *vs, struct verdict_reverse *rev)
{
    const struct facts *facts = vs->facts;
    rev->soa_lookup = facts_lookup_find(facts, rev->revname, FACTS_SOA);
    const struct facts_lookup *l = rev->soa_lookup;
    if (l && !facts_status_failed(l->status) && l->zone) {
        rev->zone = l->zone;
        rev->mname = l->mname;
        rev->rname = l->rname;
        rev->ns_lookup = facts_lookup_find(facts, l->zone, FACTS_NS);
    }
    const char **rules = xcalloc(rev->nnames ? rev->nnames : 1, sizeof(*rules));
    size_t nrules = 0;
    for (size_t i = 0; i < rev->nnames; i++)
        if (rev->names[i].generic)
            rules[nrules++] = rev->names[i].generic->name;
    const struct facts_lookup *ns = rev->ns_lookup && rev->ns_lookup->status == FACTS_OK ? rev->ns_lookup : NULL;
    rev->provider = provider_detect(rev->mname, rev->rname, ns ? (const char *const *)ns->answers.items : NULL,
                                    ns ? ns->answers.n : 0, rules, nrules);
    free(rules);
}

/* verdict_auth - what the zone's servers say; with agreement their answer
 * becomes the PTR lookup the verdict rests on. */
static void verdict_auth(const struct verdict_set *vs, struct verdict_reverse *rev)
{
    const struct facts *facts = vs->facts;
    rev->auth = VERDICT_AUTH_NOT_ASKED;
    if (!facts->authoritative || !rev->revname)
        return;
    struct strlist servers = STRLIST_INIT;
    const struct facts_lookup *soa = facts_lookup_find(facts, rev->revname, FACTS_SOA);
    if (soa && soa->zone)
        verdict_auth_servers(facts, soa->zone, &servers);
    rev->auth_lookups = xcalloc(servers.n ? servers.n : 1, sizeof(*rev->auth_lookups));
    for (size_t i = 0; i < servers.n; i++) {
        const struct facts_lookup *l = facts_lookup_find_direct(facts, rev->revname, FACTS_PTR, servers.items[i]);
        if (l)
            rev->auth_lookups[rev->nauth++] = l;
    }
    strlist_free(&servers);
    if (rev->nauth == 0)
        return;
    const struct facts_lookup *first = NULL;
    bool differ = false;
    for (size_t i = 0; i < rev->nauth; i++) {
        const struct facts_lookup *l = rev->auth_lookups[i];
        if (facts_status_failed(l->status))
            continue;
        if (!first)
            first = l;
        else if (!verdict_lookup_same(first, l))
            differ = true;
    }
    if (!first) {
        rev->auth = VERDICT_AUTH_UNKNOWN;
        return;
    }
    if (differ) {
        rev->auth = VERDICT_AUTH_DISAGREE;
        return;
    }
    rev->auth = VERDICT_AUTH_AGREE;
    rev->propagating = rev->resolver_ptr && !facts_status_failed(rev->resolver_ptr->status)
        && !verdict_lookup_same(first, rev->resolver_ptr);
    rev->ptr_lookup = first;
    rev->ptr_from_auth = true;
}

bool verdict_name_has_address(const struct facts *facts, const char *name, const char *address)
{
    if (!name || !address)
        return false;
    enum facts_rrtype t = hostname_address_family(address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    return facts_lookup_has_address(facts_lookup_find(facts, name, t), address);
}

/* verdict_ptr - the PTR of the address and the forward confirmation of
 * each of its names. */
static void verdict_ptr(const struct verdict_set *vs, struct verdict_reverse *rev)
{
    const struct facts *facts = vs->facts;
    enum facts_rrtype fw = hostname_address_family(rev->address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    rev->ptr_lookup = rev->revname ? facts_lookup_find(facts, rev->revname, FACTS_PTR) : NULL;
    rev->resolver_ptr = rev->ptr_lookup;
    verdict_auth(vs, rev);
    rev->confirmed = VERDICT_UNKNOWN;
    enum verdict_tri a = verdict_answer(vs, rev->ptr_lookup);
    if (a == VERDICT_UNKNOWN) {
        rev->ptr = VERDICT_PTR_UNKNOWN;
        return;
    }
    const struct facts_lookup *l = rev->ptr_lookup;
    if (a == VERDICT_NO || l->answers.n == 0) {
        rev->ptr = a == VERDICT_NO ? VERDICT_PTR_MISSING : VERDICT_PTR_INVALID;
        rev->confirmed = VERDICT_NO;
        return;
    }
    rev->ptr = VERDICT_PTR_PRESENT;
    rev->names = xcalloc(l->answers.n, sizeof(*rev->names));
    rev->nnames = l->answers.n;
    bool unknown = false, confirmed = false;
    for (size_t i = 0; i < l->answers.n; i++) {
        struct verdict_name *vn = &rev->names[i];
        vn->name = l->answers.items[i];
        vn->generic = ptr_generic_check(vn->name, rev->address);
        if (!hostname_valid(vn->name)) {
            /* Receivers (Postfix's valid_hostname, for one) drop such a name
             * before any forward lookup: it can never confirm. */
            vn->fc = VERDICT_FC_NOT_A_NAME;
            continue;
        }
        vn->forward = facts_lookup_find(facts, vn->name, fw);
        enum verdict_tri fa = verdict_answer(vs, vn->forward);
        if (fa == VERDICT_UNKNOWN)
            vn->fc = VERDICT_FC_UNKNOWN;
        else if (fa == VERDICT_NO)
            vn->fc = VERDICT_FC_NONE;
        else if (facts_lookup_has_address(vn->forward, rev->address))
            vn->fc = VERDICT_FC_CONFIRMED;
        else
            vn->fc = VERDICT_FC_OTHER;
        if (vn->fc == VERDICT_FC_CONFIRMED)
            confirmed = true;
        if (vn->fc == VERDICT_FC_UNKNOWN)
            unknown = true;
    }
    rev->confirmed = confirmed ? VERDICT_YES : unknown ? VERDICT_UNKNOWN : VERDICT_NO;
}

void verdict_reverse_compute(const struct verdict_set *vs, const char *address, struct verdict_reverse *out)
{
    memset(out, 0, sizeof(*out));
    out->address = address;
    out->revname = address ? revname_of(address) : NULL;
    verdict_ptr(vs, out);
    if (out->revname)
        verdict_zone(vs, out);
}

void verdict_reverse_free(struct verdict_reverse *rev)
{
    free(rev->revname);
    free(rev->names);
    free(rev->auth_lookups);
    memset(rev, 0, sizeof(*rev));
}

static void verdict_helo_family(const struct verdict_set *vs, struct verdict_identity *vi, struct verdict_family *fam,
                                enum model_family f)
{
    if (vi->helo_form == VERDICT_HELO_LITERAL) {
        fam->literal_matches = hostname_address_equal(vi->literal, fam->address);
        return;
    }
    if (vi->helo_form != VERDICT_HELO_FQDN)
        return;
    fam->helo_lookup = f == MODEL_IPV6 ? vi->helo_aaaa : vi->helo_a;
    enum verdict_tri a = verdict_answer(vs, fam->helo_lookup);
    fam->helo_has_address = a == VERDICT_UNKNOWN ? VERDICT_UNKNOWN
        : facts_lookup_has_address(fam->helo_lookup, fam->address) ? VERDICT_YES
                                                                    : VERDICT_NO;
    for (size_t i = 0; i < fam->rev.nnames; i++)
        if (hostname_equal(fam->rev.names[i].name, vi->helo))
            fam->helo_is_ptr = true;
}

static void verdict_identity(const struct verdict_set *vs, struct verdict_identity *vi,
                             const struct model_identity *id, size_t index)
{
    const struct facts *facts = vs->facts;
    vi->id = id;
    vi->index = index;
    vi->helo = verdict_helo_name(id, facts);
    vi->helo_form = verdict_helo_form(id, facts, vi->literal, sizeof(vi->literal));
    vi->relayed = id->relay && !id->nexthop_varies;
    vi->judged_helo = verdict_has_route(id, index, facts);
    vi->helo_resolves = VERDICT_UNKNOWN;
    if (vi->helo_form == VERDICT_HELO_FQDN && vi->judged_helo) {
        vi->helo_a = facts_lookup_find(facts, vi->helo, FACTS_A);
        vi->helo_aaaa = facts_lookup_find(facts, vi->helo, FACTS_AAAA);
        enum verdict_tri a = verdict_answer(vs, vi->helo_a), b = verdict_answer(vs, vi->helo_aaaa);
        vi->helo_resolves = a == VERDICT_YES || b == VERDICT_YES ? VERDICT_YES
            : a == VERDICT_NO && b == VERDICT_NO                 ? VERDICT_NO
                                                                 : VERDICT_UNKNOWN;
    }
    bool any_used = false, any_route = false;
    for (int f = 0; f < MODEL_NFAMILIES; f++) {
        struct verdict_family *fam = &vi->fam[f];
        enum model_family fm = (enum model_family)f;
        fam->used = verdict_family_used(id, facts, fm);
        if (!fam->used) {
            fam->source = VERDICT_SOURCE_UNUSED;
            continue;
        }
        any_used = true;
        fam->src = facts_source_find(facts, index, fm);
        fam->source = verdict_classify(id, fam->src, &fam->address);
        if (fam->src && fam->src->route)
            any_route = true;
        if (fam->src && verdict_bind_not_local(id, fam->src)) {
            fam->bind_not_local = true;
            fam->configured = fam->src->configured_address ? fam->src->configured_address : id->bind[f].address;
            fam->falls_back = verdict_bind_falls_back(id, fam->src);
        }
        if (fam->source != VERDICT_SOURCE_OK)
            continue;
        verdict_reverse_compute(vs, fam->address, &fam->rev);
        verdict_helo_family(vs, vi, fam, fm);
    }
    /* Sources were probed in a real audit; hand-built facts without any
     * source say nothing about routes. */
    bool probed = false;
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        if (vi->fam[f].used && vi->fam[f].src)
            probed = true;
    vi->no_route = !any_route && (!any_used || probed);
}

void verdict_compute(const struct model_set *set, const struct facts *facts, struct verdict_set *out)
{
    memset(out, 0, sizeof(*out));
    out->facts = facts;
    out->canary = facts_lookup_find(facts, FACTS_CANARY_NAME, FACTS_NS);
    if (out->canary) {
        const struct facts_lookup *c = out->canary;
        if (c->status == FACTS_OK && c->answers.n > 0)
            out->resolver = VERDICT_RESOLVER_OK;
        else if (c->status == FACTS_OK || c->status == FACTS_NXDOMAIN || c->status == FACTS_NODATA)
            out->resolver = VERDICT_RESOLVER_BROKEN;
    }
    out->n = set->n;
    out->items = xcalloc(set->n ? set->n : 1, sizeof(*out->items));
    for (size_t i = 0; i < set->n; i++)
        verdict_identity(out, &out->items[i], &set->items[i], i);
    out->inbound = xcalloc(1, sizeof(*out->inbound));
    verdict_inbound_compute(facts, out, out->inbound);
}

void verdict_set_free(struct verdict_set *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        for (int f = 0; f < MODEL_NFAMILIES; f++)
            verdict_reverse_free(&vs->items[i].fam[f].rev);
    free(vs->items);
    if (vs->inbound) {
        verdict_inbound_free(vs->inbound);
        free(vs->inbound);
    }
    memset(vs, 0, sizeof(*vs));
}

const char *verdict_fc_tostr(enum verdict_fc fc)
{
    switch (fc) {
    case VERDICT_FC_CONFIRMED:
        return "forward-confirmed";
    case VERDICT_FC_OTHER:
        return "not confirmed (resolves to other addresses)";
    case VERDICT_FC_NONE:
        return "not confirmed (no address of this family)";
    case VERDICT_FC_UNKNOWN:
        return "forward lookup failed";
    case VERDICT_FC_NOT_A_NAME:
        break;
    }
    return "not a valid host name (cannot be confirmed)";
}
