/* verdict_reverse - the reverse DNS of one address; see verdict_reverse.h. */
#include "auditor/verdict_reverse.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/ptr_generic.h"

enum verdict_tri verdict_reverse_answer(enum verdict_resolver resolver, const struct facts_lookup *l)
{
    if (!l || facts_status_failed(l->status))
        return VERDICT_UNKNOWN;
    if (l->status == FACTS_OK && (l->answers.n > 0 || l->invalid.n > 0))
        return VERDICT_YES;
    /* NXDOMAIN, NODATA, or an empty NOERROR: only as good as the resolver
     * (an authoritative server's own answer does not depend on it). */
    return resolver == VERDICT_RESOLVER_BROKEN && !l->direct ? VERDICT_UNKNOWN : VERDICT_NO;
}

static int verdict_reverse_strcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void verdict_reverse_auth_servers(const struct facts *facts, const char *zone, struct strlist *out)
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
        qsort(found.items, found.n, sizeof(char *), verdict_reverse_strcmp);
    for (size_t i = 0; i < found.n && out->n < VERDICT_AUTH_MAX; i++)
        strlist_add(out, found.items[i]);
    strlist_free(&found);
}

static bool verdict_reverse_lists_equal(const struct strlist *a, const struct strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!hostname_equal(a->items[i], b->items[i]))
            return false;
    return true;
}

bool verdict_reverse_lookup_same(const struct facts_lookup *a, const struct facts_lookup *b)
{
    if (!a || !b || facts_status_failed(a->status) || facts_status_failed(b->status))
        return false;
    bool ahas = a->status == FACTS_OK && (a->answers.n || a->invalid.n);
    bool bhas = b->status == FACTS_OK && (b->answers.n || b->invalid.n);
    if (!ahas || !bhas)
        return ahas == bhas;
    return verdict_reverse_lists_equal(&a->answers, &b->answers) && verdict_reverse_lists_equal(&a->invalid, &b->invalid);
}

/* verdict_reverse_zone - the reverse zone of the address and its owner. */
static void verdict_reverse_zone(const struct facts *facts, struct verdict_reverse *rev)
{
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

/* verdict_reverse_auth - what the zone's servers say; with agreement their answer
 * becomes the PTR lookup the verdict rests on. */
static void verdict_reverse_auth(const struct facts *facts, struct verdict_reverse *rev)
{
    rev->auth = VERDICT_AUTH_NOT_ASKED;
    if (!facts->authoritative || !rev->revname)
        return;
    struct strlist servers = STRLIST_INIT;
    const struct facts_lookup *soa = facts_lookup_find(facts, rev->revname, FACTS_SOA);
    if (soa && soa->zone)
        verdict_reverse_auth_servers(facts, soa->zone, &servers);
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
        else if (!verdict_reverse_lookup_same(first, l))
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
        && !verdict_reverse_lookup_same(first, rev->resolver_ptr);
    rev->ptr_lookup = first;
    rev->ptr_from_auth = true;
}

bool verdict_reverse_name_has_address(const struct facts *facts, const char *name, const char *address)
{
    if (!name || !address)
        return false;
    enum facts_rrtype t = hostname_address_family(address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    return facts_lookup_has_address(facts_lookup_find(facts, name, t), address);
}

/* verdict_reverse_ptr - the PTR of the address and the forward confirmation of
 * each of its names. */
static void verdict_reverse_ptr(const struct facts *facts, enum verdict_resolver resolver, struct verdict_reverse *rev)
{
    enum facts_rrtype fw = hostname_address_family(rev->address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
    rev->ptr_lookup = rev->revname ? facts_lookup_find(facts, rev->revname, FACTS_PTR) : NULL;
    rev->resolver_ptr = rev->ptr_lookup;
    verdict_reverse_auth(facts, rev);
    rev->confirmed = VERDICT_UNKNOWN;
    enum verdict_tri a = verdict_reverse_answer(resolver, rev->ptr_lookup);
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
        enum verdict_tri fa = verdict_reverse_answer(resolver, vn->forward);
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

void verdict_reverse_compute(const struct facts *facts, enum verdict_resolver resolver, const char *address,
                             struct verdict_reverse *out)
{
    memset(out, 0, sizeof(*out));
    out->address = address;
    out->revname = address ? revname_of(address) : NULL;
    verdict_reverse_ptr(facts, resolver, out);
    if (out->revname)
        verdict_reverse_zone(facts, out);
}

void verdict_reverse_free(struct verdict_reverse *rev)
{
    free(rev->revname);
    free(rev->names);
    free(rev->auth_lookups);
    memset(rev, 0, sizeof(*rev));
}
