/* check_reverse - findings and fixes about one address's reverse DNS; see check_reverse.h. */
#include "auditor/check_reverse.h"

#include <stdlib.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/provider.h"

/* check_reverse_evidence - what the provider of rev was recognised from,
 * escaped, for the fix text; NULL when unknown. */
static char *check_reverse_evidence(const struct verdict_reverse *rev)
{
    const struct provider_match *m = &rev->provider;
    if (!m->provider || !m->subject)
        return NULL;
    char *subj = hostname_escape(m->subject);
    char *zone = hostname_escape(rev->zone ? rev->zone : "");
    char *w;
    switch (m->evidence) {
    case PROVIDER_BY_SOA_MNAME:
        w = xasprintf("the primary server %s in the SOA of %s", subj, zone);
        break;
    case PROVIDER_BY_SOA_RNAME:
        w = xasprintf("the contact %s in the SOA of %s", subj, zone);
        break;
    case PROVIDER_BY_NS:
        w = xasprintf("the name server %s of %s", subj, zone);
        break;
    default:
        w = xasprintf("its default PTR name (rule %s)", subj);
        break;
    }
    free(subj);
    free(zone);
    return w;
}

void check_reverse_ptr_record(struct fix_list *fixes, const struct verdict_reverse *rev, const char *name)
{
    char *evidence = check_reverse_evidence(rev);
    struct fix_ptr_owner owner = { rev->provider.provider, rev->provider.verified, evidence, rev->zone, rev->rname };
    fix_ptr_record_owner(fixes, rev->address, name, &owner);
    free(evidence);
}

bool check_reverse_ptr_change(struct fix_list *fixes, const struct verdict_reverse *rev, const char *name,
                              bool name_resolves)
{
    const struct provider *p = rev->provider.provider;
    bool first = name && p && p->forward_first && !name_resolves;
    if (first)
        /* This provider refuses a PTR whose name does not resolve yet. */
        fix_forward_record_first(fixes, name, rev->address, p->name);
    check_reverse_ptr_record(fixes, rev, name);
    return first;
}

/* check_reverse_duration - seconds as "45 s", "12 min", "3 h 20 min". */
static char *check_reverse_duration(long s)
{
    if (s < 120)
        return xasprintf("%ld s", s);
    if (s < 7200)
        return xasprintf("%ld min", (s + 59) / 60);
    long m = (s + 59) / 60;
    return m % 60 ? xasprintf("%ld h %ld min", m / 60, m % 60) : xasprintf("%ld h", m / 60);
}

/* check_reverse_answer_words - a PTR answer for a message: "the PTR a, b"
 * or "no PTR (nxdomain)". */
static char *check_reverse_answer_words(const struct facts_lookup *l)
{
    if (l->status != FACTS_OK || (l->answers.n == 0 && l->invalid.n == 0))
        return xasprintf("no PTR (%s)", facts_status_tostr(l->status));
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < l->answers.n; i++) {
        char *e = hostname_escape(l->answers.items[i]);
        strbuf_addf(&sb, "%s%s", i ? ", " : "", e);
        free(e);
    }
    for (size_t i = 0; i < l->invalid.n; i++)
        strbuf_addf(&sb, "%s'%s'", sb.len ? ", " : "", l->invalid.items[i]);
    char *w = xasprintf("the PTR %s", sb.buf);
    strbuf_release(&sb);
    return w;
}

/* check_reverse_servers - the servers of rev that answered, escaped,
 * comma-separated. */
static char *check_reverse_servers(const struct verdict_reverse *rev)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < rev->nauth; i++) {
        const struct facts_lookup *l = rev->auth_lookups[i];
        if (facts_status_failed(l->status))
            continue;
        char *e = hostname_escape(l->server);
        strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", e);
        free(e);
    }
    return strbuf_detach(&sb);
}

char *check_reverse_basis(const struct verdict_reverse *rev)
{
    if (rev->auth == VERDICT_AUTH_NOT_ASKED)
        return xstrdup("");
    char *zone = hostname_escape(rev->zone ? rev->zone : "?");
    char *w = rev->ptr_from_auth ? xasprintf(" (answer of the authoritative servers of %s)", zone)
        : rev->auth == VERDICT_AUTH_DISAGREE
        ? xasprintf(" (the resolver's answer: the authoritative servers of %s disagree)", zone)
        : xasprintf(" (the resolver's answer: no authoritative server of %s answered)", zone);
    free(zone);
    return w;
}

struct finding *check_reverse_auth(struct finding_list *out, const struct verdict_reverse *rev,
                                   const char *identity, int family, const char *hostname)
{
    struct finding *fd = NULL;
    char *ea = hostname_escape(rev->address);
    char *zone = hostname_escape(rev->zone ? rev->zone : "?");
    if (rev->auth == VERDICT_AUTH_UNKNOWN) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < rev->nauth; i++) {
            const struct facts_lookup *l = rev->auth_lookups[i];
            char *d = hostname_escape(l->detail ? l->detail : facts_status_tostr(l->status));
            strbuf_addf(&sb, "%s%s", i ? "; " : "", d);
            free(d);
        }
        char *msg = xasprintf("no authoritative server of %s answered the PTR lookup of %s (%s), so whether the "
                              "resolver's answer is current is unknown",
                              zone, ea, sb.buf);
        strbuf_release(&sb);
        fd = finding_add(out, FINDING_DNS_FAILURE, identity, family, rev->address, hostname, msg);
        free(msg);
        fix_note(&fd->fixes, "check the reverse zone's delegation from outside your network (dig +trace -x %s); "
                             "a lame or unreachable server is for the zone's owner to fix",
                 ea);
    } else if (rev->auth == VERDICT_AUTH_DISAGREE) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < rev->nauth; i++) {
            const struct facts_lookup *l = rev->auth_lookups[i];
            if (facts_status_failed(l->status))
                continue;
            char *srv = hostname_escape(l->server), *ans = check_reverse_answer_words(l);
            strbuf_addf(&sb, "%s%s serves %s", sb.len ? ", " : "", srv, ans);
            free(srv);
            free(ans);
        }
        char *msg = xasprintf("the authoritative servers of %s give different answers for %s: %s; receivers see "
                              "one or the other at random",
                              zone, ea, sb.buf);
        strbuf_release(&sb);
        fd = finding_add(out, FINDING_PTR_SERVERS_DISAGREE, identity, family, rev->address, hostname, msg);
        free(msg);
        char *mail = provider_rname_mailbox(rev->rname);
        char *em = mail ? hostname_escape(mail) : NULL;
        fix_note(&fd->fixes, "wait a few minutes and audit again with --authoritative (a secondary server may "
                             "still be transferring the zone); if it persists, tell the owner of %s%s%s%s that "
                             "its servers do not serve the same data",
                 zone, em ? " (" : "", em ? em : "", em ? ")" : "");
        free(mail);
        free(em);
    } else if (rev->propagating) {
        const struct facts_lookup *r = rev->resolver_ptr;
        char *now = check_reverse_answer_words(rev->ptr_lookup), *old = check_reverse_answer_words(r);
        char *servers = check_reverse_servers(rev);
        char *rs = hostname_escape(r->server ? r->server : "the resolver");
        char *left = r->ttl >= 0 ? check_reverse_duration(r->ttl) : NULL;
        char *expiry = left ? xasprintf("it may keep that answer for %s more (the TTL it reports: %ld s), and other "
                                        "resolvers up to the record's full TTL",
                                        left, r->ttl)
                            : xstrdup("it keeps that answer until its cached copy expires");
        char *msg = xasprintf("the authoritative servers of %s (%s) already serve %s for %s, but the resolver %s "
                              "still answers %s: %s; the PTR findings rest on the servers' answer",
                              zone, servers, now, ea, rs, old, expiry);
        fd = finding_add(out, FINDING_PTR_PROPAGATING, identity, family, rev->address, hostname, msg);
        free(msg);
        fix_note(&fd->fixes, "nothing to change: the change is live at the source; wait until the cached answers "
                             "expire (--wait SECONDS watches the authoritative servers)");
        free(now);
        free(old);
        free(servers);
        free(rs);
        free(left);
        free(expiry);
    }
    free(ea);
    free(zone);
    return fd;
}
