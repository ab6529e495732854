/* verdict - every judgement of an audit, computed once; see verdict.h. */
#include "auditor/verdict.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/verdict_inbound.h"

enum verdict_tri verdict_answer(const struct verdict_set *vs, const struct facts_lookup *l)
{
    return verdict_reverse_answer(vs->resolver, l);
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
        verdict_reverse_compute(vs->facts, vs->resolver, fam->address, &fam->rev);
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
    verdict_inbound_compute(facts, out->resolver, out->inbound);
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
