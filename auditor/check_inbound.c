/* check_inbound - the receiving side's findings; see check_inbound.h. */
#include "auditor/check_inbound.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/check_reverse.h"
#include "auditor/fix.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/ptr_generic.h"
#include "auditor/verdict_inbound.h"

static int check_inbound_family(const char *address)
{
    return hostname_address_family(address) == AF_INET6 ? MODEL_IPV6 : MODEL_IPV4;
}

/* check_inbound_good_name - a forward-confirmed PTR name of va that a
 * banner may announce: fully qualified, not local, not a provider default. */
static const char *check_inbound_good_name(const struct verdict_inbound_addr *va)
{
    const char *n = va->confirmed_name;
    if (!n || !hostname_is_fqdn(n) || hostname_is_local(n) || ptr_generic_check(n, va->address))
        return NULL;
    return n;
}

/* check_inbound_target - the one name a listener's fixes converge on: the
 * banner's host name when it is fully qualified and already the confirmed
 * PTR name of one of its addresses (the others then need that PTR too), or
 * when no address has a good confirmed PTR name; else the good confirmed
 * PTR name of an address an MX points at, else of any of its addresses.
 * NULL when there is none. */
static const char *check_inbound_target(const struct verdict_listener *vl)
{
    bool fqdn = vl->form == VERDICT_BANNER_FQDN;
    for (size_t k = 0; fqdn && k < vl->naddrs; k++)
        if (vl->addrs[k].banner_is_ptr && vl->addrs[k].confirmed == VERDICT_YES)
            return vl->hostname;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < vl->naddrs; k++) {
            const struct verdict_inbound_addr *va = &vl->addrs[k];
            if ((pass == 0 && !va->mx_target) || !check_inbound_good_name(va))
                continue;
            return check_inbound_good_name(va);
        }
    return fqdn ? vl->hostname : NULL;
}

/* check_inbound_mx_name - the first MX target of a domain that is this host,
 * for a listener fix with nothing better; NULL when none. */
static const char *check_inbound_mx_name(const struct verdict_inbound *vi)
{
    for (size_t i = 0; i < vi->ndomains; i++)
        for (size_t k = 0; k < vi->domains[i].ntargets; k++)
            if (vi->domains[i].targets[k].this_host)
                return vi->domains[i].targets[k].name;
    return NULL;
}

/* check_inbound_judged - whether banner-ptr-mismatch judges va: an address
 * an MX points at always; when no MX points at this listener, an address
 * it names itself, or the only public address of its family that a
 * wildcard covers (with several, which one receivers reach is the MX's
 * choice, and the MX says nothing here). */
static bool check_inbound_judged(const struct verdict_listener *vl, const struct verdict_inbound_addr *va)
{
    if (va->mx_target)
        return true;
    for (size_t k = 0; k < vl->naddrs; k++)
        if (vl->addrs[k].mx_target)
            return false;
    if (strlist_contains(&vl->l->addresses, va->address))
        return true;
    int fam = hostname_address_family(va->address);
    size_t same = 0;
    for (size_t k = 0; k < vl->naddrs; k++)
        same += hostname_address_family(vl->addrs[k].address) == fam;
    return same == 1;
}

/* check_inbound_auth - with --authoritative, ptr-propagating,
 * ptr-servers-disagree (and the dns-failure of a comparison without an
 * answer) for each address of the listener, its id as the identity. */
static void check_inbound_auth(const struct verdict_listener *vl, struct finding_list *out)
{
    for (size_t k = 0; k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *va = &vl->addrs[k];
        check_reverse_auth(out, &va->rev, vl->l->id, check_inbound_family(va->address), vl->hostname);
    }
}

static void check_inbound_listener(const struct verdict_set *vs, const struct verdict_inbound *vi,
                                   const struct verdict_listener *vl, struct finding_list *out)
{
    struct fix_exim_layout exim = { vs->facts->exim_debian_dir, vs->facts->exim_debian_split };
    const struct listener *l = vl->l;
    const char *target = check_inbound_target(vl);
    char *host = vl->hostname ? hostname_escape(vl->hostname) : NULL;

    if (vl->form == VERDICT_BANNER_NOT_FQDN || vl->form == VERDICT_BANNER_MISSING) {
        char *msg = host ? xasprintf("the SMTP banner announces '%s', which is not a fully qualified host name", host)
                         : xstrdup("the SMTP banner does not start with a host name");
        struct finding *f = finding_add(out, FINDING_BANNER_INVALID, l->id, -1, NULL, vl->hostname, msg);
        const char *name = target ? target : check_inbound_mx_name(vi);
        fix_set_banner_host(&f->fixes, l, name, &exim);
        free(msg);
    }
    for (size_t k = 0; vl->form == VERDICT_BANNER_FQDN && k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *va = &vl->addrs[k];
        int fam = check_inbound_family(va->address);
        if (va->ptr == VERDICT_PTR_PRESENT && !va->banner_is_ptr && check_inbound_judged(vl, va)) {
            char *ptr = hostname_escape(va->nnames ? va->names[0] : "");
            char *basis = check_reverse_basis(&va->rev);
            char *msg = xasprintf("the SMTP banner announces %s, but the PTR of %s is %s%s", host, va->address, ptr,
                                  basis);
            free(basis);
            struct finding *f = finding_add(out, FINDING_BANNER_PTR_MISMATCH, l->id, fam, va->address,
                                            vl->hostname, msg);
            if (target && !hostname_equal(target, vl->hostname))
                fix_set_banner_host(&f->fixes, l, target, &exim);
            else
                check_reverse_ptr_change(&f->fixes, &va->rev, vl->hostname,
                                         verdict_name_has_address(vs->facts, vl->hostname, va->address));
            free(msg);
            free(ptr);
        }
        bool missing = va->ptr == VERDICT_PTR_MISSING || va->ptr == VERDICT_PTR_INVALID
            || (va->ptr == VERDICT_PTR_PRESENT && va->confirmed == VERDICT_NO);
        if (va->mx_target && missing) {
            char *basis = check_reverse_basis(&va->rev);
            char *msg = va->ptr == VERDICT_PTR_PRESENT
                ? xasprintf("an MX points at %s, whose PTR names no host that resolves back to it%s", va->address,
                            basis)
                : xasprintf("an MX points at %s, which has no PTR%s", va->address, basis);
            free(basis);
            struct finding *f = finding_add(out, FINDING_INBOUND_PTR_MISSING, l->id, fam, va->address,
                                            vl->hostname, msg);
            const char *name = target ? target : vl->hostname;
            check_reverse_ptr_change(&f->fixes, &va->rev, name, verdict_name_has_address(vs->facts, name, va->address));
            free(msg);
        }
    }
    if (vl->live && vl->live_differs) {
        char *live = hostname_escape(vl->live->lines.items[vl->live->lines.n - 1]);
        char *conf = hostname_escape(l->banner.text ? l->banner.text : "");
        char *msg = xasprintf("the server on %s port %u greets with '%s', the configuration says '%s'",
                              vl->live->address, vl->live->port, live, conf);
        struct finding *f = finding_add(out, FINDING_BANNER_LIVE_DIFFERS, l->id, check_inbound_family(vl->live->address),
                                        vl->live->address, vl->hostname, msg);
        fix_note(&f->fixes, l->mta == MODEL_POSTFIX
                     ? "run 'postfix reload' if the configuration changed; otherwise find what answers on the port "
                       "in front of Postfix (a proxy or filter), and set its greeting"
                     : "send the exim daemon SIGHUP (systemctl reload exim4) if the configuration changed; otherwise "
                       "find what answers on the port in front of Exim");
        free(msg);
        free(conf);
        free(live);
    }
    free(host);
}

/* check_inbound_banner_name - the FQDN banner host name of the first MX
 * listener that has one, for an MX record fix; NULL when none. */
static const char *check_inbound_banner_name(const struct verdict_inbound *vi)
{
    for (size_t i = 0; i < vi->nlisteners; i++)
        if (vi->listeners[i].form == VERDICT_BANNER_FQDN)
            return vi->listeners[i].hostname;
    return NULL;
}

static void check_inbound_domain(const struct verdict_inbound *vi, const struct verdict_domain *vd,
                                 struct finding_list *out)
{
    const char *name = vd->d->name;
    char *d = hostname_escape(name);
    char *ident = verdict_domain_identity(vd->d);
    if (vd->mx == VERDICT_MX_NONE || vd->mx == VERDICT_MX_NULL) {
        char *msg = vd->mx == VERDICT_MX_NULL
            ? xasprintf("%s has a null MX (MX 0 .): it says the domain accepts no mail, yet this host receives "
                        "mail for it", d)
            : xasprintf("%s has no MX record: senders fall back to its A/AAAA records", d);
        struct finding *f = finding_add(out, FINDING_MX_MISSING, ident, -1, NULL, NULL, msg);
        fix_mx_record(&f->fixes, name, check_inbound_banner_name(vi), vd->mx == VERDICT_MX_NULL);
        free(msg);
    } else if (vd->mx == VERDICT_MX_OK && vd->this_host == VERDICT_NO) {
        char *first = hostname_escape(vd->ntargets ? vd->targets[0].name : "");
        char *msg = xasprintf("no MX target of %s (first: %s) resolves to an address this host receives mail on", d,
                              first);
        struct finding *f = finding_add(out, FINDING_MX_NOT_THIS_HOST, ident, -1, NULL, NULL, msg);
        const char *banner = check_inbound_banner_name(vi);
        char *b = banner ? hostname_escape(banner) : NULL;
        fix_note(&f->fixes, "nothing to change if another host (a filtering service, a backup MX) should receive "
                            "the mail first; otherwise point the domain's MX at %s",
                 b ? b : "this host's fully qualified name");
        free(b);
        free(msg);
        free(first);
    }
    free(ident);
    free(d);
}

void check_inbound(const struct verdict_set *vs, struct finding_list *out)
{
    const struct verdict_inbound *vi = vs->inbound;
    if (!vi || !vi->audited)
        return;
    for (size_t i = 0; i < vi->nlisteners; i++) {
        check_inbound_auth(&vi->listeners[i], out);
        check_inbound_listener(vs, vi, &vi->listeners[i], out);
    }
    for (size_t i = 0; i < vi->ndomains; i++)
        check_inbound_domain(vi, &vi->domains[i], out);
}
