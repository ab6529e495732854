/* pf_identity - Postfix outbound identities; see pf_identity.h.
 *
 * Per service whose command is smtp, in that service's scope (pf_scope):
 *   helo   smtp_helo_name, expanded; when it is the default ($myhostname)
 *          its origin is myhostname's.
 *   bind   smtp_bind_address / smtp_bind_address6 ([] stripped, numeric
 *          only: smtp(8) parses them with AI_NUMERICHOST and stops
 *          otherwise); 0.0.0.0 / :: mean explicitly unbound; empty means the
 *          inet_interfaces rule: exactly one address of that family, not
 *          loopback, becomes the source. "all" and "loopback-only" bind
 *          nothing. Host names in inet_interfaces are not resolved here (a
 *          parser never resolves): they count as no address, with a note.
 *   families inet_protocols; preference smtp_address_preference;
 *   enforce  smtp_bind_address_enforce.
 *   relay  see pf_relay.h; port smtp_tcp_port (the port of a next hop
 *          that names none), kept only when it is not the default.
 *   user   mail_owner, or root when master.cf's unpriv field is "n".
 *   mailname  what a myorigin that names a file (Debian's /etc/mailname)
 *          holds, read once per instance in main.cf's scope (pf_mailname.h).
 * Values Postfix would refuse (bad myhostname, empty required parameters,
 * unknown words, macro errors) are DIAG_ERRORs at the file:line that set
 * them; one problem shared by several services is recorded once. So is a
 * default_transport (or, when relay_domains is set, relay_transport) that
 * names no "unix" service of master.cf: that mail would stay queued.
 * All expansions of one instance share a work budget, so that a hostile
 * value referenced by every service cannot make the run slow.
 */
#include "parsers/pf_identity.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_hostname.h"
#include "parsers/pf_mailname.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "parsers/pf_relay.h"
#include "parsers/pf_locate.h"
#include "parsers/pf_scope.h"

#define PF_IDENTITY_SEP ", \t\r\n"

struct pf_identity_run {
    const char *dir;
    const char *hostname;
    struct pf_maincf *maincf;
    struct pf_mastercf *mastercf;
    struct pf_relay relay;
    struct model_set *out;
    struct diag_list *diags;
    size_t *budget; /* expansion work left for this instance */
    char *mailname; /* from myorigin = /etc/mailname, or NULL */
    struct model_origin mailname_origin;
};

/* Expansion work one instance may use in all: plenty for any real
 * configuration (a few hundred bytes per value), and a few seconds at worst
 * for a hostile one, however many services reference a bad value. */
#define PF_IDENTITY_EXPAND_BUDGET (32u * 1024 * 1024)


/* Get name in scope; a macro error is recorded and gives -1 (value NULL). */
static int pf_identity_get(struct pf_identity_run *run, const struct pf_scope *sc, const char *name,
                           struct pf_value *v)
{
    if (pf_scope_get(sc, name, v) == 0)
        return 0;
    diag_add_once(run->diags, DIAG_ERROR, v->file, v->line, "parameter %s: %s: macro processing error", name,
                     v->error);
    return -1;
}

/* Postfix's minimum length 1 for required string parameters. */
static int pf_identity_required(struct pf_identity_run *run, const char *name, const struct pf_value *v)
{
    if (v->value && *v->value == '\0') {
        diag_add_once(run->diags, DIAG_ERROR, v->file, v->line, "bad string length 0 < 1: %s = ", name);
        return -1;
    }
    return 0;
}

/* Postfix's boolean syntax: yes/true/no/false, any case. -1 when neither. */
static int pf_identity_bool(const char *s)
{
    if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0)
        return 1;
    if (strcasecmp(s, "no") == 0 || strcasecmp(s, "false") == 0)
        return 0;
    return -1;
}

/* Copy of s without one pair of enclosing [ ]. */
static char *pf_identity_unbracket(const char *s)
{
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']')
        return xstrndup(s + 1, len - 2);
    return xstrdup(s);
}

/* Numeric address family of s (AF_INET/AF_INET6), 0 when not numeric;
 * *zero is set when it is the wildcard, *loopback for 127/8 and ::1. */
static int pf_identity_numeric(const char *s, int *zero, int *loopback, const char **why)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(s, NULL, &hints, &res);
    if (rc != 0 || !res) {
        if (why)
            *why = gai_strerror(rc);
        return 0;
    }
    int family = res->ai_family;
    *zero = *loopback = 0;
    if (family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)res->ai_addr;
        uint32_t a = ntohl(sin->sin_addr.s_addr);
        *zero = a == 0;
        *loopback = (a >> 24) == 127;
    } else if (family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)res->ai_addr;
        static const unsigned char any[16], lo[16] = { [15] = 1 };
        *zero = memcmp(sin6->sin6_addr.s6_addr, any, 16) == 0;
        *loopback = memcmp(sin6->sin6_addr.s6_addr, lo, 16) == 0;
    }
    freeaddrinfo(res);
    return family;
}

/* inet_interfaces entries examined per value: far more than any real host
 * has, and a bound on the work for a hostile megabyte-long value. */
#define PF_IDENTITY_MAX_INTERFACES 256

/* The implicit source from inet_interfaces for one family. */
static void pf_identity_inet_interfaces(struct pf_identity_run *run, struct model_identity *id, int fam,
                                        const struct pf_value *ii)
{
    struct model_bind *b = &id->bind[fam];
    b->how = MODEL_BIND_NONE;
    if (!ii->value)
        return;
    if (strcmp(ii->value, "all") == 0 || strcmp(ii->value, "loopback-only") == 0)
        return;
    int want = fam == MODEL_IPV4 ? AF_INET : AF_INET6;
    size_t count = 0, entries = 0, names = 0;
    char *found = NULL;
    int found_loopback = 0;
    struct strbuf shown = STRBUF_INIT;
    char *copy = xstrdup(ii->value);
    char *save = NULL;
    for (char *tok = strtok_r(copy, PF_IDENTITY_SEP, &save); tok; tok = strtok_r(NULL, PF_IDENTITY_SEP, &save)) {
        if (++entries > PF_IDENTITY_MAX_INTERFACES)
            break;
        char *addr = pf_identity_unbracket(tok);
        int zero, loopback;
        int af = pf_identity_numeric(addr, &zero, &loopback, NULL);
        if (af == 0) {
            if (++names <= 3)
                strbuf_addf(&shown, "%s'%s'", shown.len ? ", " : "", tok);
        } else if (!(id->families & MODEL_FAMILY_BIT(af == AF_INET ? MODEL_IPV4 : MODEL_IPV6))) {
            /* inet_addr_host() asks only for enabled families: no answer is fatal. */
            diag_add_once(run->diags, DIAG_ERROR, ii->file, ii->line,
                             "config variable inet_interfaces: host not found: %s (its address family is not "
                             "enabled in inet_protocols)",
                             tok);
        } else if (af == want) {
            count++;
            free(found);
            found = xstrdup(addr);
            found_loopback = loopback;
        }
        free(addr);
    }
    free(copy);
    if (names > 0) {
        char *where = model_origin_tostr(&ii->origin);
        char *note = names == 1
                         ? xasprintf("inet_interfaces (%s) names host %s: which source address Postfix binds to "
                                     "depends on what that name resolves to; mta-preflight does not resolve it and "
                                     "counts it as no address",
                                     where, shown.buf)
                         : xasprintf("inet_interfaces (%s) names hosts %s%s: which source address Postfix binds to "
                                     "depends on what those names resolve to; mta-preflight does not resolve them "
                                     "and counts them as no address",
                                     where, shown.buf, names > 3 ? " and more" : "");
        free(where);
        if (!strlist_contains(&id->notes, note))
            strlist_add_owned(&id->notes, note);
        else
            free(note);
    }
    strbuf_release(&shown);
    if (entries > PF_IDENTITY_MAX_INTERFACES) {
        diag_add_once(run->diags, DIAG_WARNING, ii->file, ii->line,
                         "inet_interfaces has more than %d entries; only the first %d were examined",
                         PF_IDENTITY_MAX_INTERFACES, PF_IDENTITY_MAX_INTERFACES);
        count = 0;
    }
    if (count == 1 && !found_loopback) {
        b->how = MODEL_BIND_INET_INTERFACES;
        b->address = found;
        model_origin_copy(&b->origin, &ii->origin);
        found = NULL;
    }
    free(found);
}

static void pf_identity_bind(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id,
                             int fam, const struct pf_value *ii)
{
    const char *param = fam == MODEL_IPV4 ? "smtp_bind_address" : "smtp_bind_address6";
    struct model_bind *b = &id->bind[fam];
    struct pf_value v = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, param, &v) < 0) {
        b->how = MODEL_BIND_NONE;
        pf_value_free(&v);
        return;
    }
    char *addr = pf_identity_unbracket(v.value ? v.value : "");
    if (*addr == '\0') {
        if (id->families & MODEL_FAMILY_BIT(fam))
            pf_identity_inet_interfaces(run, id, fam, ii);
        else
            b->how = MODEL_BIND_NONE;
    } else {
        int zero = 0, loopback = 0;
        const char *why = NULL;
        int af = pf_identity_numeric(addr, &zero, &loopback, &why);
        int want = fam == MODEL_IPV4 ? AF_INET : AF_INET6;
        if (af == 0 || af != want) {
            if (af == 0)
                diag_add_once(run->diags, DIAG_ERROR, v.file, v.line,
                                 "bad %s parameter: %s: %s (smtp(8) needs a numeric address and stops at the first "
                                 "connection)",
                                 param, v.value, why ? why : "not a numeric address");
            else
                diag_add_once(run->diags, DIAG_ERROR, v.file, v.line,
                                 "bad %s parameter: %s: not an %s address (smtp(8) stops at the first connection)",
                                 param, v.value, fam == MODEL_IPV4 ? "IPv4" : "IPv6");
            b->how = MODEL_BIND_NONE;
            char *where = model_origin_tostr(&v.origin);
            strlist_addf(&id->notes, "%s (%s) is '%s', which smtp(8) cannot use: every %s delivery attempt fails",
                         param, where, v.value, model_family_tostr((enum model_family)fam));
            free(where);
        } else if (zero) {
            b->how = MODEL_BIND_WILDCARD;
            model_origin_copy(&b->origin, &v.origin);
        } else {
            b->how = MODEL_BIND_PARAM;
            b->address = xstrdup(addr);
            model_origin_copy(&b->origin, &v.origin);
        }
    }
    free(addr);
    pf_value_free(&v);
}

static void pf_identity_families(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id)
{
    struct pf_value v = PF_VALUE_INIT;
    int bad = 0;
    id->families = 0;
    if (pf_identity_get(run, sc, "inet_protocols", &v) == 0) {
        char *copy = xstrdup(v.value ? v.value : "");
        char *save = NULL;
        for (char *tok = strtok_r(copy, PF_IDENTITY_SEP, &save); tok;
             tok = strtok_r(NULL, PF_IDENTITY_SEP, &save)) {
            /* name_mask() without NAME_MASK_ANY_CASE: "IPv4" is an error. */
            if (strcmp(tok, "ipv4") == 0)
                id->families |= MODEL_FAMILY_BIT(MODEL_IPV4);
            else if (strcmp(tok, "ipv6") == 0)
                id->families |= MODEL_FAMILY_BIT(MODEL_IPV6);
            else if (strcmp(tok, "all") == 0)
                id->families |= MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
            else {
                diag_add_once(run->diags, DIAG_ERROR, v.file, v.line, "unknown inet_protocols value \"%s\" in \"%s\"",
                                 tok, v.value);
                bad = 1;
            }
        }
        free(copy);
        if (v.value && id->families == 0 && !bad) {
            char *where = model_origin_tostr(&v.origin);
            strlist_addf(&id->notes, "inet_protocols (%s) enables no address family: this transport cannot "
                                     "deliver over the network",
                         where);
            free(where);
        }
    }
    model_origin_copy(&id->families_origin, &v.origin);
    pf_value_free(&v);
}

static void pf_identity_preference(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id)
{
    struct pf_value v = PF_VALUE_INIT;
    id->preference = MODEL_PREF_ANY;
    if (pf_identity_get(run, sc, "smtp_address_preference", &v) == 0 &&
        pf_identity_required(run, "smtp_address_preference", &v) == 0 && v.value) {
        if (strcasecmp(v.value, "any") == 0)
            id->preference = MODEL_PREF_ANY;
        else if (strcasecmp(v.value, "ipv4") == 0)
            id->preference = MODEL_PREF_IPV4;
        else if (strcasecmp(v.value, "ipv6") == 0)
            id->preference = MODEL_PREF_IPV6;
        else
            diag_add_once(run->diags, DIAG_ERROR, v.file, v.line, "bad smtp_address_preference value: %s",
                             v.value);
    }
    model_origin_copy(&id->preference_origin, &v.origin);
    pf_value_free(&v);
}

static void pf_identity_enforce(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id)
{
    struct pf_value v = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "smtp_bind_address_enforce", &v) == 0 && v.value) {
        int b = pf_identity_bool(v.value);
        if (b < 0)
            diag_add_once(run->diags, DIAG_ERROR, v.file, v.line,
                             "bad boolean configuration: smtp_bind_address_enforce = %s", v.value);
        id->bind_enforce = b == 1;
    }
    model_origin_copy(&id->bind_enforce_origin, &v.origin);
    pf_value_free(&v);
}

/* The user smtp(8) runs as, whose uid "ip rule ... uidrange" sees: root
 * when master.cf's unpriv field is "n" (master(8) then does not pass -u,
 * and the daemon never drops to the mail owner), else mail_owner in the
 * service's scope. */
static void pf_identity_delivery_user(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id)
{
    if (sc->service->privileged) {
        model_set_str(&id->delivery_user, "root");
        model_origin_file(&id->delivery_user_origin, run->mastercf->path, sc->service->line);
        return;
    }
    struct pf_value v = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "mail_owner", &v) == 0) {
        bool dflt = v.from == PF_FROM_UNDEF || v.from == PF_FROM_DEFAULT;
        model_set_str(&id->delivery_user, v.value && *v.value ? v.value : dflt ? "postfix" : NULL);
        if (dflt)
            model_origin_default(&id->delivery_user_origin, NULL);
        else
            model_origin_copy(&id->delivery_user_origin, &v.origin);
    }
    pf_value_free(&v);
}

/* smtp_tcp_port in the service's scope: the port of every next hop that
 * names none (smtp_connect.c passes it as the default service), MX
 * delivery included. Kept as written unless it is the default. */
static void pf_identity_port(struct pf_identity_run *run, const struct pf_scope *sc, struct model_identity *id)
{
    struct pf_value v = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "smtp_tcp_port", &v) == 0 && v.value && *v.value && strcmp(v.value, "smtp") != 0
        && strcmp(v.value, "25") != 0) {
        model_set_str(&id->port, v.value);
        model_origin_copy(&id->port_origin, &v.origin);
    }
    pf_value_free(&v);
}

/* myhostname and mydomain as mail_params_init() checks them; returns
 * myhostname's value and origin in *mh. */
static void pf_identity_myhostname(struct pf_identity_run *run, const struct pf_scope *sc, struct pf_value *mh)
{
    if (pf_identity_get(run, sc, "myhostname", mh) == 0 && pf_identity_required(run, "myhostname", mh) == 0) {
        if (mh->from == PF_FROM_DEFAULT && !pf_hostname_valid(run->hostname))
            diag_add_once(run->diags, DIAG_ERROR, NULL, 0,
                             "unable to use my own hostname '%s' (the default of myhostname)", run->hostname);
        else if (!pf_hostname_valid(mh->value))
            diag_add_once(run->diags, DIAG_ERROR, mh->file, mh->line,
                             "file %s: parameter myhostname: bad parameter value: %s", run->maincf->path, mh->value);
    }
    struct pf_value md = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "mydomain", &md) == 0 && pf_identity_required(run, "mydomain", &md) == 0 &&
        md.from != PF_FROM_DEFAULT && !pf_hostname_valid(md.value))
        diag_add_once(run->diags, DIAG_ERROR, md.file, md.line,
                         "file %s: parameter mydomain: bad parameter value: %s", run->maincf->path, md.value);
    pf_value_free(&md);
}

/* Whether smtp(8) finds next hops in DNS (an unbracketed name by its MX):
 * smtp_dns_support_level not "disabled" (when empty, disable_dns_lookups
 * not yes) and smtp_host_lookup naming dns; else it uses the system's
 * resolver (getaddrinfo: A/AAAA and /etc/hosts, no MX). */
static bool pf_identity_dns_lookups(struct pf_identity_run *run, const struct pf_scope *sc)
{
    bool dns = true;
    struct pf_value v = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "smtp_dns_support_level", &v) == 0 && v.value && *v.value) {
        dns = strcasecmp(v.value, "disabled") != 0;
    } else {
        struct pf_value d = PF_VALUE_INIT;
        if (pf_identity_get(run, sc, "disable_dns_lookups", &d) == 0 && d.value)
            dns = pf_identity_bool(d.value) != 1;
        pf_value_free(&d);
    }
    pf_value_free(&v);
    struct pf_value h = PF_VALUE_INIT;
    if (dns && pf_identity_get(run, sc, "smtp_host_lookup", &h) == 0 && h.value) {
        char *copy = xstrdup(h.value), *save = NULL;
        dns = false;
        for (char *w = strtok_r(copy, " \t\r\n,", &save); w; w = strtok_r(NULL, " \t\r\n,", &save))
            if (strcasecmp(w, "dns") == 0)
                dns = true;
        free(copy);
    }
    pf_value_free(&h);
    return dns;
}

static void pf_identity_relay(struct pf_identity_run *run, const struct pf_scope *sc, const struct pf_service *svc,
                              struct model_identity *id, const struct pf_value *mh)
{
    const struct pf_relay *r = &run->relay;
    int is_unix = strcmp(svc->type, "unix") == 0;
    int is_def = is_unix && r->def.transport && strcmp(r->def.transport, svc->name) == 0;
    int is_rel = is_unix && r->rel.transport && strcmp(r->rel.transport, svc->name) == 0;
    const struct pf_relay_class *c = is_def ? &r->def : is_rel ? &r->rel : NULL;
    if (c && c->nexthop) {
        id->relay = xstrdup(c->nexthop);
        model_origin_copy(&id->relay_origin, &c->origin);
        id->relay_mx = c->nexthop[0] != '[' && pf_identity_dns_lookups(run, sc);
    }
    if (is_def && is_rel) {
        const char *a = r->def.nexthop ? r->def.nexthop : "";
        const char *b = r->rel.nexthop ? r->rel.nexthop : "";
        if (strcmp(a, b) != 0)
            strlist_addf(&id->notes, "this transport is both default_transport and relay_transport: mail for "
                                     "relay_domains goes to %s instead",
                         *b ? b : "the recipient domain's MX hosts");
    }
    if (pf_mastercf_override(svc, "relayhost"))
        strlist_addf(&id->notes, "-o relayhost (%s:%u) on this service does not change where its mail goes: the "
                                 "resolver (trivial-rewrite) chooses the next hop, smtp(8) only uses relayhost "
                                 "for a warning",
                     run->mastercf->path, svc->line);
    if (!is_def && !is_rel) {
        if (r->relayhost) {
            char *where = model_origin_tostr(&r->relayhost_origin);
            strlist_addf(&id->notes, "neither default_transport nor relay_transport names this transport: it gets "
                                     "mail only from tables or filters that name it (transport_maps, content_filter, "
                                     "sender-dependent maps); an entry that names no next hop sends it to "
                                     "relayhost %s (%s)",
                         r->relayhost, where);
            free(where);
        } else {
            strlist_add(&id->notes, "neither default_transport nor relay_transport names this transport: it gets "
                                    "mail only from tables or filters that name it (transport_maps, content_filter, "
                                    "sender-dependent maps), whose next hop is not shown here");
        }
    }
    if (r->varies.n > 0) {
        id->nexthop_varies = true;
        for (size_t i = 0; i < r->varies.n; i++)
            strlist_addf(&id->notes, "the next hop may vary per destination or sender: %s", r->varies.items[i]);
    }
    struct pf_value fb = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "smtp_fallback_relay", &fb) == 0 && fb.value && *fb.value) {
        id->nexthop_varies = true;
        char *where = model_origin_tostr(&fb.origin);
        strlist_addf(&id->notes, "the next hop may vary per destination: mail that cannot be delivered directly "
                                 "goes to smtp_fallback_relay %s (%s)",
                     fb.value, where);
        free(where);
    }
    pf_value_free(&fb);

    /* mail_params_init() in every process compares the two. */
    struct pf_value rh = PF_VALUE_INIT;
    if (pf_identity_get(run, sc, "relayhost", &rh) == 0 && rh.value && mh->value &&
        strcasecmp(rh.value, mh->value) == 0)
        diag_add_once(run->diags, DIAG_ERROR, rh.file, rh.line,
                         "myhostname and relayhost parameter settings must not be identical: %s", rh.value);
    pf_value_free(&rh);
}

static void pf_identity_service(struct pf_identity_run *run, const struct pf_service *svc)
{
    struct pf_scope sc = { run->maincf, run->mastercf, svc, run->hostname, run->budget };
    struct model_identity *id = model_identity_add(run->out, MODEL_POSTFIX);
    id->id = xasprintf("postfix:%s:%s/%s", run->dir, svc->name, svc->type);
    id->config = xstrdup(run->dir);
    id->transport = xstrdup(svc->name);
    id->service_type = xstrdup(svc->type);

    struct pf_value mh = PF_VALUE_INIT;
    pf_identity_myhostname(run, &sc, &mh);

    struct pf_value helo = PF_VALUE_INIT;
    if (pf_identity_get(run, &sc, "smtp_helo_name", &helo) == 0 &&
        pf_identity_required(run, "smtp_helo_name", &helo) == 0)
        id->helo_name = xstrdup(helo.value);
    model_origin_copy(&id->helo_origin,
                      helo.from == PF_FROM_DEFAULT && mh.origin.kind != MODEL_ORIGIN_NONE ? &mh.origin : &helo.origin);
    id->helo_dynamic = false;
    id->helo_from_myhostname = helo.from == PF_FROM_DEFAULT
        || (helo.raw && (strcmp(helo.raw, "$myhostname") == 0 || strcmp(helo.raw, "${myhostname}") == 0));
    pf_value_free(&helo);

    pf_identity_families(run, &sc, id);
    pf_identity_preference(run, &sc, id);
    pf_identity_enforce(run, &sc, id);
    pf_identity_delivery_user(run, &sc, id);

    struct pf_value ii = PF_VALUE_INIT;
    pf_identity_get(run, &sc, "inet_interfaces", &ii);
    pf_identity_bind(run, &sc, id, MODEL_IPV4, &ii);
    pf_identity_bind(run, &sc, id, MODEL_IPV6, &ii);
    pf_value_free(&ii);

    pf_identity_relay(run, &sc, svc, id, &mh);
    pf_identity_port(run, &sc, id);
    pf_value_free(&mh);

    if (run->mailname) {
        id->mailname = xstrdup(run->mailname);
        model_origin_copy(&id->mailname_origin, &run->mailname_origin);
    }
}

/* The service that routes mail: trivial-rewrite, named $rewrite_service_name. */
static const struct pf_service *pf_identity_rewrite_service(const struct pf_identity_run *run)
{
    struct pf_scope main_scope = { run->maincf, run->mastercf, NULL, run->hostname, run->budget };
    struct pf_value v = PF_VALUE_INIT;
    pf_scope_get(&main_scope, "rewrite_service_name", &v);
    const struct pf_service *found = NULL;
    if (v.value)
        found = pf_mastercf_find(run->mastercf, v.value, "unix");
    pf_value_free(&v);
    if (found && strcmp(pf_mastercf_command_base(found), "trivial-rewrite") == 0)
        return found;
    for (size_t i = 0; i < run->mastercf->n; i++) {
        const struct pf_service *s = &run->mastercf->items[i];
        if (!s->replaced && strcmp(pf_mastercf_command_base(s), "trivial-rewrite") == 0)
            return s;
    }
    return NULL;
}

/* The queue manager hands mail to private/TRANSPORT: a transport without a
 * "TRANSPORT unix" entry in master.cf leaves that class of mail queued. */
static void pf_identity_check_transports(struct pf_identity_run *run)
{
    const struct pf_relay_class *classes[] = { &run->relay.def, &run->relay.rel };
    static const char *const params[] = { "default_transport", "relay_transport" };
    static const char *const what[] = { "mail for remote domains", "mail for relay_domains" };
    /* The relay class only matters when relay_domains is set (its
     * compatibility-level default gives no domains beyond mydestination). */
    struct pf_scope main_scope = { run->maincf, run->mastercf, NULL, run->hostname, run->budget };
    struct pf_value rd = PF_VALUE_INIT;
    pf_scope_get(&main_scope, "relay_domains", &rd);
    int relay_used = rd.from != PF_FROM_UNDEF && rd.from != PF_FROM_DEFAULT && rd.value && *rd.value;
    pf_value_free(&rd);
    for (int i = 0; i < 2; i++) {
        const struct pf_relay_class *c = classes[i];
        if (i == 1 && !relay_used)
            continue;
        if (!c->transport || !*c->transport || pf_mastercf_find(run->mastercf, c->transport, "unix"))
            continue;
        diag_add_once(run->diags, DIAG_ERROR, c->file, c->line,
                         "%s names transport '%s', but %s has no '%s unix' service: %s stays in the queue",
                         params[i], c->transport, run->mastercf->path, c->transport, what[i]);
    }
}

/* Whether dir, a configuration directory named by the command line, the
 * environment or multi_instance_directories, is a directory that can be
 * looked into; when not, DIAG_UNREADABLE is recorded. */
static bool pf_identity_dir_ok(const char *dir, struct diag_list *diags)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        diag_add_unreadable(diags, NULL, 0, dir, "read", errno);
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_UNREADABLE, NULL, 0, "'%s' is not a directory", dir);
        return false;
    }
    return true;
}

/* Read one instance. Returns 1, or -1 when its directory or main.cf cannot
 * be read (DIAG_UNREADABLE). */
static int pf_identity_instance(const char *dir, const char *how, const struct model_host *host, int is_default,
                                struct model_set *out, struct diag_list *diags)
{
    struct pf_maincf maincf;
    struct pf_mastercf mastercf;
    if (!pf_identity_dir_ok(dir, diags))
        return -1;
    if (pf_maincf_load(&maincf, dir, diags) < 0) {
        pf_maincf_free(&maincf);
        return -1;
    }
    model_config_add(out, MODEL_POSTFIX, dir, how);
    /* A missing master.cf stops Postfix; one that cannot be read here may
     * be fine for Postfix (as root): that is recorded as unreadable only. */
    if (pf_mastercf_load(&mastercf, dir, diags) < 0 && errno == ENOENT)
        diag_add_once(diags, DIAG_ERROR, mastercf.path, 0,
                         "master.cf is missing: Postfix cannot start, no outbound transports known");

    size_t budget = PF_IDENTITY_EXPAND_BUDGET;
    /* run.relay starts zeroed: no classes, no relayhost, origins of kind NONE */
    const char *hostname = host->hostname;
    struct pf_identity_run run = { .dir = dir, .hostname = hostname, .maincf = &maincf, .mastercf = &mastercf,
                                   .out = out, .diags = diags, .budget = &budget };
    struct pf_scope mailname_scope = { &maincf, &mastercf, NULL, hostname, &budget };
    pf_mailname_read(&mailname_scope, host, &run.mailname, &run.mailname_origin, diags);
    const struct pf_service *rewrite = pf_identity_rewrite_service(&run);
    struct pf_scope rewrite_scope = { &maincf, &mastercf, rewrite, hostname, &budget };
    pf_relay_resolve(&rewrite_scope, &run.relay, diags);

    if (mastercf.n > 0)
        pf_identity_check_transports(&run);
    for (size_t i = 0; i < mastercf.n; i++) {
        const struct pf_service *svc = &mastercf.items[i];
        if (!svc->replaced && strcmp(pf_mastercf_command_base(svc), "smtp") == 0)
            pf_identity_service(&run, svc);
    }
    pf_relay_free(&run.relay);
    free(run.mailname);
    model_origin_free(&run.mailname_origin);

    if (is_default) {
        /* Only the default instance's main.cf lists the others. */
        struct pf_scope main_scope = { &maincf, &mastercf, NULL, hostname, &budget };
        struct pf_value v = PF_VALUE_INIT;
        if (pf_identity_get(&run, &main_scope, "multi_instance_directories", &v) == 0 && v.value && *v.value) {
            char *copy = xstrdup(v.value);
            char *save = NULL;
            for (char *tok = strtok_r(copy, PF_IDENTITY_SEP, &save); tok;
                 tok = strtok_r(NULL, PF_IDENTITY_SEP, &save)) {
                char *sub = pf_locate_trim(tok);
                if (strcmp(sub, dir) != 0) {
                    char *where = model_origin_tostr(&v.origin);
                    char *sub_how = xasprintf("multi_instance_directories in %s", where);
                    free(where);
                    pf_identity_instance(sub, sub_how, host, 0, out, diags);
                    free(sub_how);
                }
                free(sub);
            }
            free(copy);
        }
        pf_value_free(&v);
    }
    pf_mastercf_free(&mastercf);
    pf_maincf_free(&maincf);
    return 1;
}

int pf_identity_load(const char *config_dir, const struct model_host *host, struct model_set *out,
                     struct diag_list *diags)
{
    char *dir;
    const char *how;
    int found = pf_locate_dir(config_dir, &dir, &how, diags);
    if (found <= 0)
        return found;
    char hostbuf[256];
    struct model_host known = { .hostname = pf_locate_hostname(host, hostbuf),
                                .mailname_path = host ? host->mailname_path : NULL };
    int rc = pf_identity_instance(dir, how, &known, 1, out, diags);
    free(dir);
    return rc;
}
