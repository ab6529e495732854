/* check_inbound - the receiving side's findings; see check_inbound.h. */
#include "auditor/check_inbound.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/check_lookup.h"
#include "auditor/check_reverse.h"
#include "auditor/fix.h"
#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
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

/* The lookups one dns-failure finding reports: all those that a verdict
 * of one (identity, family, address) needed and could not use. */
struct check_inbound_failed {
    const char *name;
    enum facts_rrtype type;
    const struct facts_lookup *l;
};

struct check_inbound_failures {
    struct check_inbound_failed *items;
    size_t n;
};

/* check_inbound_need - note the lookup (name, type) when it cannot be used:
 * failed, missing, or a negative answer from a lying resolver. */
static void check_inbound_need(const struct verdict_set *vs, struct check_inbound_failures *fl, const char *name,
                               enum facts_rrtype type)
{
    if (!name)
        return;
    const struct facts_lookup *l = facts_lookup_find(vs->facts, name, type);
    if (!verdict_lookup_failed(vs, l))
        return;
    for (size_t i = 0; i < fl->n; i++)
        if (fl->items[i].type == type && hostname_equal(fl->items[i].name, name))
            return;
    fl->items = xreallocarray(fl->items, fl->n + 1, sizeof(*fl->items));
    fl->items[fl->n++] = (struct check_inbound_failed){ name, type, l };
}

/* check_inbound_dns_failure - one dns-failure for the lookups in fl (none:
 * nothing), naming each with its resolver and error; fl is emptied. */
static void check_inbound_dns_failure(const struct verdict_set *vs, struct finding_list *out, const char *identity,
                                      int family, const char *address, const char *hostname,
                                      struct check_inbound_failures *fl, const char *what)
{
    if (!fl->n)
        return;
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < fl->n; i++) {
        char *phrase = check_lookup_failure(vs, fl->items[i].name, fl->items[i].type, fl->items[i].l);
        strbuf_addf(&sb, "%s%s", i ? "; " : "", phrase);
        free(phrase);
    }
    strbuf_addf(&sb, ", so %s is unknown", what);
    struct finding *f = finding_add(out, FINDING_DNS_FAILURE, identity, family, address, hostname, sb.buf);
    for (size_t i = 0; i < fl->n; i++)
        check_lookup_failure_fix(&f->fixes, fl->items[i].name, fl->items[i].type, fl->items[i].l);
    strbuf_release(&sb);
    free(fl->items);
    fl->items = NULL;
    fl->n = 0;
}

/* One line of the greeting that receivers judge: the final 220 line, or
 * postscreen's 220- teaser when its host name differs from the final one. */
struct check_inbound_line {
    const char *hostname;
    enum verdict_banner form;
    bool teaser;
};

static bool check_inbound_has_name(const struct verdict_inbound_addr *va, const char *name)
{
    for (size_t i = 0; name && i < va->nnames; i++)
        if (hostname_equal(va->names[i], name))
            return true;
    return false;
}

/* check_inbound_named - the listener names va's address itself (its
 * service host part, inet_interfaces, local_interfaces or
 * proxy_interfaces), rather than a wildcard covering it. */
static bool check_inbound_named(const struct listener *l, const struct verdict_inbound_addr *va)
{
    for (size_t i = 0; i < l->addresses.n; i++)
        if (hostname_address_equal(l->addresses.items[i], va->address))
            return true;
    for (size_t i = 0; i < l->proxy_addresses.n; i++)
        if (hostname_address_equal(l->proxy_addresses.items[i], va->address))
            return true;
    return false;
}

static bool check_inbound_any_mx(const struct verdict_listener *vl)
{
    for (size_t k = 0; k < vl->naddrs; k++)
        if (vl->addrs[k].mx_target)
            return true;
    return false;
}

/* The wildcard group of va: the addresses of va's family that the listener
 * does not name itself (a wildcard's, or --source-ip standing for it). */
static bool check_inbound_in_group(const struct verdict_listener *vl, const struct verdict_inbound_addr *va,
                                   const struct verdict_inbound_addr *other)
{
    return hostname_address_family(other->address) == hostname_address_family(va->address)
        && !check_inbound_named(vl->l, other);
}

enum check_judged {
    CHECK_NOT_JUDGED,
    CHECK_JUDGED,       /* an MX points at it, the listener names it, or it is the only one of its family */
    CHECK_JUDGED_GROUP, /* one of several a wildcard covers, and no PTR among them names the host */
    CHECK_GROUP_UNKNOWN, /* one of several, none names the host, and the PTR of some is unknown */
};

/* check_inbound_judged - whether a mismatch between the PTR of va and the
 * host name `name` of a greeting line is reported. An address an MX points
 * at always is; when an MX points at some other address of the listener,
 * no other is. When no MX points at the listener: an address it names
 * itself is, and so is the only public address of its family a wildcard
 * covers. With several such addresses, a receiver that reaches the host by
 * its name gets the address its DNS gives, which the audit does not know:
 * when the PTR of one of them is the name, the others are fine; when none
 * is, each one with a PTR is reported (CHECK_JUDGED_GROUP); when some PTR
 * is unknown, none is (CHECK_GROUP_UNKNOWN). */
static enum check_judged check_inbound_judged(const struct verdict_listener *vl, const struct verdict_inbound_addr *va,
                                              const char *name)
{
    if (va->mx_target)
        return CHECK_JUDGED;
    if (check_inbound_any_mx(vl))
        return CHECK_NOT_JUDGED;
    if (check_inbound_named(vl->l, va))
        return CHECK_JUDGED;
    size_t same = 0;
    bool unknown = false;
    for (size_t k = 0; k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *o = &vl->addrs[k];
        if (!check_inbound_in_group(vl, va, o))
            continue;
        same++;
        if (check_inbound_has_name(o, name))
            return CHECK_NOT_JUDGED;
        if (o->ptr == VERDICT_PTR_UNKNOWN)
            unknown = true;
    }
    if (same == 1)
        return CHECK_JUDGED;
    return unknown ? CHECK_GROUP_UNKNOWN : CHECK_JUDGED_GROUP;
}

static enum verdict_banner check_inbound_form(const struct listener_banner *b)
{
    if (!b->hostname)
        return b->dynamic ? VERDICT_BANNER_DYNAMIC : VERDICT_BANNER_MISSING;
    if (hostname_is_fqdn(b->hostname) && !hostname_is_local(b->hostname))
        return VERDICT_BANNER_FQDN;
    return VERDICT_BANNER_NOT_FQDN;
}

/* check_inbound_lines - the greeting lines of vl that are judged, into
 * lines (room for 2); returns how many. */
static size_t check_inbound_lines(const struct verdict_listener *vl, struct check_inbound_line *lines)
{
    size_t n = 0;
    lines[n++] = (struct check_inbound_line){ vl->hostname, vl->form, false };
    const struct listener_banner *t = &vl->l->teaser;
    if (!t->present || !t->text || t->dynamic)
        return n;
    if (t->hostname && vl->hostname && hostname_equal(t->hostname, vl->hostname))
        return n;
    if (!t->hostname && !vl->hostname)
        return n;
    lines[n++] = (struct check_inbound_line){ t->hostname, check_inbound_form(t), true };
    return n;
}

#define CHECK_TEASER_WORDS "postscreen's first line (postscreen_greet_banner), which new clients see first,"

/* check_inbound_invalid - banner-invalid, one for both lines when both
 * name no fully qualified host. */
static void check_inbound_invalid(const struct verdict_set *vs, const struct verdict_inbound *vi,
                                  const struct verdict_listener *vl, const struct check_inbound_line *lines,
                                  size_t nlines, struct finding_list *out)
{
    struct fix_exim_layout exim = { vs->facts->exim_debian_dir, vs->facts->exim_debian_split };
    const char *target = check_inbound_target(vl);
    const char *name = target ? target : check_inbound_mx_name(vi);
    struct strbuf sb = STRBUF_INIT;
    const struct check_inbound_line *bad[2];
    size_t nbad = 0;
    for (size_t i = 0; i < nlines; i++)
        if (lines[i].form == VERDICT_BANNER_NOT_FQDN || lines[i].form == VERDICT_BANNER_MISSING)
            bad[nbad++] = &lines[i];
    if (!nbad)
        return;
    for (size_t i = 0; i < nbad; i++) {
        char *host = bad[i]->hostname ? hostname_escape(bad[i]->hostname) : NULL;
        const char *who = bad[i]->teaser ? CHECK_TEASER_WORDS : "the SMTP banner";
        if (i)
            strbuf_adds(&sb, "; ");
        if (host)
            strbuf_addf(&sb, "%s announces '%s', which is not a fully qualified host name", who, host);
        else
            strbuf_addf(&sb, "%s does not start with a host name", who);
        free(host);
    }
    struct finding *f = finding_add(out, FINDING_BANNER_INVALID, vl->l->id, -1, NULL,
                                    bad[0]->hostname, sb.buf);
    for (size_t i = 0; i < nbad; i++) {
        if (bad[i]->teaser)
            fix_set_teaser_host(&f->fixes, vl->l, name ? name : vl->form == VERDICT_BANNER_FQDN ? vl->hostname : NULL);
        else
            fix_set_banner_host(&f->fixes, vl->l, name, &exim);
    }
    strbuf_release(&sb);
}

/* check_inbound_mismatch - banner-ptr-mismatch of one address, one for
 * both lines when both differ from its PTR. */
static void check_inbound_mismatch(const struct verdict_set *vs, const struct verdict_listener *vl,
                                   const struct verdict_inbound_addr *va, const struct check_inbound_line *lines,
                                   size_t nlines, struct finding_list *out)
{
    struct fix_exim_layout exim = { vs->facts->exim_debian_dir, vs->facts->exim_debian_split };
    const struct check_inbound_line *bad[2];
    size_t nbad = 0;
    bool group = false;
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].form != VERDICT_BANNER_FQDN || va->ptr != VERDICT_PTR_PRESENT
            || check_inbound_has_name(va, lines[i].hostname))
            continue;
        enum check_judged j = check_inbound_judged(vl, va, lines[i].hostname);
        if (j == CHECK_JUDGED || j == CHECK_JUDGED_GROUP) {
            bad[nbad++] = &lines[i];
            group = group || j == CHECK_JUDGED_GROUP;
        }
    }
    if (!nbad)
        return;
    char *ptr = hostname_escape(va->nnames ? va->names[0] : "");
    char *h0 = hostname_escape(bad[0]->hostname);
    struct strbuf sb = STRBUF_INIT;
    if (nbad == 2) {
        char *h1 = hostname_escape(bad[1]->hostname);
        strbuf_addf(&sb, "the SMTP banner announces %s and postscreen's first line (postscreen_greet_banner), "
                         "which new clients see first, %s, but the PTR of %s is %s",
                    h0, h1, va->address, ptr);
        free(h1);
    } else if (bad[0]->teaser) {
        strbuf_addf(&sb, CHECK_TEASER_WORDS " announces %s, but the PTR of %s is %s", h0, va->address, ptr);
    } else {
        strbuf_addf(&sb, "the SMTP banner announces %s, but the PTR of %s is %s", h0, va->address, ptr);
    }
    if (group)
        strbuf_addf(&sb, ", and no other %s address this host receives mail on has a PTR naming it",
                    hostname_address_family(va->address) == AF_INET6 ? "IPv6" : "IPv4");
    char *basis = check_reverse_basis(&va->rev);
    strbuf_adds(&sb, basis);
    free(basis);
    struct finding *f = finding_add(out, FINDING_BANNER_PTR_MISMATCH, vl->l->id, check_inbound_family(va->address),
                                    va->address, bad[0]->hostname, sb.buf);
    /* Both lines converge on one name: the final banner's fix decides it. */
    const char *target = check_inbound_target(vl);
    const char *name = target && vl->form == VERDICT_BANNER_FQDN && !hostname_equal(target, vl->hostname) ? target
        : vl->form == VERDICT_BANNER_FQDN ? vl->hostname : target;
    for (size_t i = 0; i < nbad; i++) {
        if (bad[i]->teaser) {
            if (name)
                fix_set_teaser_host(&f->fixes, vl->l, name);
            else
                check_reverse_ptr_change(&f->fixes, &va->rev, bad[i]->hostname,
                                         verdict_reverse_name_has_address(vs->facts, bad[i]->hostname, va->address));
        } else if (target && !hostname_equal(target, vl->hostname)) {
            fix_set_banner_host(&f->fixes, vl->l, target, &exim);
        } else {
            check_reverse_ptr_change(&f->fixes, &va->rev, vl->hostname,
                                     verdict_reverse_name_has_address(vs->facts, vl->hostname, va->address));
        }
    }
    strbuf_release(&sb);
    free(h0);
    free(ptr);
}

/* check_inbound_private - source-not-public for a listener that listens
 * only on private addresses that nothing maps to a public one. */
static void check_inbound_private(const struct verdict_listener *vl, struct finding_list *out)
{
    const struct listener *l = vl->l;
    struct strbuf list = STRBUF_INIT;
    for (size_t i = 0; i < l->addresses.n; i++) {
        char *e = hostname_escape(l->addresses.items[i]);
        strbuf_addf(&list, "%s%s", list.len ? ", " : "", e);
        free(e);
    }
    char *msg = list.len
        ? xasprintf("the SMTP service listens only on private addresses (%s): receivers reach it through NAT or a "
                    "proxy at a public address the audit does not know, so the banner cannot be judged against "
                    "that address's PTR",
                    list.buf)
        : xstrdup("the SMTP service listens on every address, and this host has only private ones: receivers reach "
                  "it through NAT or a proxy at a public address the audit does not know, so the banner cannot be "
                  "judged against that address's PTR");
    struct finding *f = finding_add(out, FINDING_SOURCE_NOT_PUBLIC, l->id, -1, NULL, vl->hostname, msg);
    if (l->mta == MODEL_POSTFIX)
        fix_note(&f->fixes, "pass the public address mail arrives at with --source-ip PUBLIC; and name it in "
                            "main.cf as proxy_interfaces = PUBLIC (postconf -e), so that Postfix accepts mail "
                            "addressed to it as its own and the audit judges it without --source-ip");
    else
        fix_note(&f->fixes, "pass the public address mail arrives at with --source-ip PUBLIC");
    free(msg);
    strbuf_release(&list);
}

/* check_inbound_listener_dns - dns-failure for each address whose PTR (or,
 * for an address an MX points at, its forward confirmation) a verdict of
 * the listener needed and could not get. */
static void check_inbound_listener_dns(const struct verdict_set *vs, const struct verdict_listener *vl,
                                       const struct check_inbound_line *lines, size_t nlines,
                                       struct finding_list *out)
{
    bool fqdn = false;
    for (size_t i = 0; i < nlines; i++)
        fqdn = fqdn || lines[i].form == VERDICT_BANNER_FQDN;
    if (!fqdn)
        return;
    struct check_inbound_failures fl = { NULL, 0 };
    for (size_t k = 0; k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *va = &vl->addrs[k];
        bool needed = false;
        for (size_t i = 0; i < nlines; i++)
            if (lines[i].form == VERDICT_BANNER_FQDN
                && check_inbound_judged(vl, va, lines[i].hostname) != CHECK_NOT_JUDGED)
                needed = true;
        if (!needed)
            continue;
        if (va->ptr == VERDICT_PTR_UNKNOWN && va->rev.revname) {
            check_inbound_need(vs, &fl, va->rev.revname, FACTS_PTR);
            char *what = xasprintf("the PTR of %s, an address this host receives mail on,", va->address);
            check_inbound_dns_failure(vs, out, vl->l->id, check_inbound_family(va->address), va->address,
                                      vl->hostname, &fl, what);
            free(what);
        } else if (va->ptr == VERDICT_PTR_PRESENT && va->confirmed == VERDICT_UNKNOWN && va->mx_target) {
            enum facts_rrtype t = hostname_address_family(va->address) == AF_INET6 ? FACTS_AAAA : FACTS_A;
            for (size_t n = 0; n < va->nnames; n++)
                check_inbound_need(vs, &fl, va->names[n], t);
            char *what = xasprintf("whether the PTR of %s resolves back to it", va->address);
            check_inbound_dns_failure(vs, out, vl->l->id, check_inbound_family(va->address), va->address,
                                      vl->hostname, &fl, what);
            free(what);
        }
    }
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
    const struct listener *l = vl->l;
    if (vl->loopback_only)
        return;
    if (vl->private_only) {
        check_inbound_private(vl, out);
        return;
    }
    const char *target = check_inbound_target(vl);
    struct check_inbound_line lines[2];
    size_t nlines = check_inbound_lines(vl, lines);

    check_inbound_invalid(vs, vi, vl, lines, nlines, out);
    check_inbound_listener_dns(vs, vl, lines, nlines, out);
    for (size_t k = 0; k < vl->naddrs; k++) {
        const struct verdict_inbound_addr *va = &vl->addrs[k];
        int fam = check_inbound_family(va->address);
        check_inbound_mismatch(vs, vl, va, lines, nlines, out);
        bool missing = va->ptr == VERDICT_PTR_MISSING || va->ptr == VERDICT_PTR_INVALID
            || (va->ptr == VERDICT_PTR_PRESENT && va->confirmed == VERDICT_NO);
        if (vl->form == VERDICT_BANNER_FQDN && va->mx_target && missing) {
            char *basis = check_reverse_basis(&va->rev);
            char *msg = va->ptr == VERDICT_PTR_PRESENT
                ? xasprintf("an MX points at %s, whose PTR names no host that resolves back to it%s", va->address,
                            basis)
                : xasprintf("an MX points at %s, which has no PTR%s", va->address, basis);
            free(basis);
            struct finding *f = finding_add(out, FINDING_INBOUND_PTR_MISSING, l->id, fam, va->address,
                                            vl->hostname, msg);
            const char *name = target ? target : vl->hostname;
            check_reverse_ptr_change(&f->fixes, &va->rev, name, verdict_reverse_name_has_address(vs->facts, name, va->address));
            free(msg);
        }
    }
    if (vl->live && vl->live_differs) {
        /* Exim's host name is on the first line: quote the whole greeting. */
        struct strbuf whole = STRBUF_INIT;
        size_t first = l->mta == MODEL_EXIM ? 0 : vl->live->lines.n - 1;
        for (size_t i = first; i < vl->live->lines.n; i++)
            strbuf_addf(&whole, "%s%s", i > first ? "\n" : "", vl->live->lines.items[i]);
        char *live = hostname_escape(whole.buf);
        strbuf_release(&whole);
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

static void check_inbound_domain(const struct verdict_set *vs, const struct verdict_inbound *vi,
                                 const struct verdict_domain *vd, struct finding_list *out)
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
    struct check_inbound_failures fl = { NULL, 0 };
    if (vd->mx == VERDICT_MX_UNKNOWN)
        check_inbound_need(vs, &fl, name, FACTS_MX);
    for (size_t i = 0; vd->mx == VERDICT_MX_OK && vd->this_host == VERDICT_UNKNOWN && i < vd->ntargets; i++) {
        if (strcmp(vd->targets[i].name, ".") == 0)
            continue;
        check_inbound_need(vs, &fl, vd->targets[i].name, FACTS_A);
        check_inbound_need(vs, &fl, vd->targets[i].name, FACTS_AAAA);
    }
    char *what = xasprintf("whether an MX of %s points at this host", d);
    check_inbound_dns_failure(vs, out, ident, -1, NULL, NULL, &fl, what);
    free(what);
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
    if (!vi->receives)
        return; /* loopback only: no inbound MX, its domains' MX are not this host's business */
    for (size_t i = 0; i < vi->ndomains; i++)
        check_inbound_domain(vs, vi, &vi->domains[i], out);
}
