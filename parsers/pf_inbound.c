/* pf_inbound - Postfix inbound listeners and domains; see pf_inbound.h.
 *
 * Per instance: main.cf and master.cf are read into a scratch diag list
 * whose problems are merged into the caller's without repeats (pf_identity
 * reports the same ones). The main.cf scope gives what master(8) itself
 * uses (inet_interfaces, inet_protocols, master_service_disable,
 * proxy_interfaces) and the domain lists; each listener's banner comes from
 * its own service scope, or for postscreen from postscreen's and its pass
 * service's scopes. All expansions of one instance share a work budget.
 */
#include "parsers/pf_inbound.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_hostname.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "parsers/pf_locate.h"
#include "parsers/pf_scope.h"

#define PF_INBOUND_SEP ", \t\r\n"

/* Expansion work one instance may use in all (as pf_identity). */
#define PF_INBOUND_EXPAND_BUDGET (32u * 1024 * 1024)

/* List entries examined per value: far more than any real configuration
 * has, and a bound on the work for a hostile megabyte-long value. */
#define PF_INBOUND_MAX_ENTRIES 256

/* How far a banner's first word is followed through $name references to
 * the parameter that holds the host name. */
#define PF_INBOUND_MAX_CHASE 10

struct pf_inbound_run {
    const char *dir;
    const char *hostname;
    const struct pf_maincf *maincf;
    const struct pf_mastercf *mastercf;
    struct pf_scope main_scope;
    unsigned families;            /* main.cf inet_protocols */
    struct pf_value interfaces;   /* main.cf inet_interfaces */
    struct pf_value proxy;        /* main.cf proxy_interfaces */
    struct pf_value disable;      /* main.cf master_service_disable */
    bool instance_disabled;       /* a secondary instance without multi_instance_enable = yes */
    struct listener_set *out;
    struct diag_list *diags;
    size_t *budget;
};


static void pf_inbound_merge(struct diag_list *diags, const struct diag_list *scratch)
{
    for (size_t i = 0; i < scratch->n; i++) {
        const struct diag *d = &scratch->items[i];
        diag_add_once(diags, d->level, d->file, d->line, "%s", d->message);
    }
}

/* Get name in sc; a macro error is recorded as pf_identity words it and
 * gives -1 (value NULL). */
static int pf_inbound_get(struct pf_inbound_run *run, const struct pf_scope *sc, const char *name,
                          struct pf_value *v)
{
    if (pf_scope_get(sc, name, v) == 0)
        return 0;
    diag_add_once(run->diags, DIAG_ERROR, v->file, v->line, "parameter %s: %s: macro processing error", name,
                    v->error);
    return -1;
}

static void pf_inbound_note(struct strlist *notes, char *note)
{
    if (strlist_contains(notes, note))
        free(note);
    else
        strlist_add_owned(notes, note);
}

static char *pf_inbound_where(const struct model_origin *o)
{
    char *s = model_origin_tostr(o);
    return s ? s : xstrdup("?");
}

/* Copy of s without one pair of enclosing [ ]. */
static char *pf_inbound_unbracket(const char *s)
{
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']')
        return xstrndup(s + 1, len - 2);
    return xstrdup(s);
}

static bool pf_inbound_loopback(const char *addr)
{
    unsigned char b[16];
    if (inet_pton(AF_INET, addr, b) == 1)
        return b[0] == 127;
    static const unsigned char lo[16] = { [15] = 1 };
    return inet_pton(AF_INET6, addr, b) == 1 && memcmp(b, lo, 16) == 0;
}

/* The MODEL_FAMILY_BIT of a numeric address, 0 for anything else. */
static unsigned pf_inbound_family_bit(const char *addr)
{
    int f = model_family_of_address(addr);
    return f < 0 ? 0 : MODEL_FAMILY_BIT(f);
}

/* ---- main.cf settings that master(8) uses ---- */

static void pf_inbound_protocols(struct pf_inbound_run *run)
{
    struct pf_value v = PF_VALUE_INIT;
    run->families = 0;
    if (pf_inbound_get(run, &run->main_scope, "inet_protocols", &v) == 0 && v.value) {
        char *copy = xstrdup(v.value);
        char *save = NULL;
        for (char *tok = strtok_r(copy, PF_INBOUND_SEP, &save); tok; tok = strtok_r(NULL, PF_INBOUND_SEP, &save)) {
            if (strcmp(tok, "ipv4") == 0)
                run->families |= MODEL_FAMILY_BIT(MODEL_IPV4);
            else if (strcmp(tok, "ipv6") == 0)
                run->families |= MODEL_FAMILY_BIT(MODEL_IPV6);
            else if (strcmp(tok, "all") == 0)
                run->families |= MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
            else
                diag_add_once(run->diags, DIAG_ERROR, v.file, v.line, "unknown inet_protocols value \"%s\" in \"%s\"",
                                tok, v.value);
        }
        free(copy);
    }
    pf_value_free(&v);
}

/* match_service_match(): the first pattern ("type" or "name/type", or the
 * older "name.type"; "!" inverts; case-insensitive) that matches decides. */
static bool pf_inbound_disabled(const struct pf_inbound_run *run, const struct pf_service *svc)
{
    if (!run->disable.value || !*run->disable.value)
        return false;
    char *name_type = xasprintf("%s/%s", svc->name, svc->type);
    char *copy = xstrdup(run->disable.value);
    char *save = NULL;
    bool result = false;
    for (char *tok = strtok_r(copy, PF_INBOUND_SEP, &save); tok; tok = strtok_r(NULL, PF_INBOUND_SEP, &save)) {
        bool match = true;
        while (*tok == '!') {
            match = !match;
            tok++;
        }
        char *dot;
        if (!strchr(tok, '/') && (dot = strrchr(tok, '.')))
            *dot = '/';
        if (strcasecmp(strchr(tok, '/') ? name_type : svc->type, tok) == 0) {
            result = match;
            break;
        }
    }
    free(copy);
    free(name_type);
    return result;
}

/* ---- banners ---- */

/* When word is exactly a parameter reference ($name, ${name}, $(name)),
 * a copy of the name, else NULL. */
static char *pf_inbound_reference(const char *word)
{
    if (!word || word[0] != '$')
        return NULL;
    const char *p = word + 1;
    char close = 0;
    if (*p == '{' || *p == '(') {
        close = *p == '{' ? '}' : ')';
        p++;
    }
    size_t len = 0;
    while (isalnum((unsigned char)p[len]) || p[len] == '_')
        len++;
    if (len == 0)
        return NULL;
    if (close ? (p[len] != close || p[len + 1] != '\0') : p[len] != '\0')
        return NULL;
    return xstrndup(p, len);
}

/* Follow the first word of the banner through $name references to the
 * parameter whose value holds the host name. */
static void pf_inbound_host_param(const struct pf_scope *sc, const char *param, const struct pf_value *v,
                                  struct listener_banner *b)
{
    char *name = xstrdup(param);
    struct model_origin origin = MODEL_ORIGIN_INIT;
    model_origin_copy(&origin, &v->origin);
    char *raw = v->raw ? xstrdup(v->raw) : NULL;
    for (int depth = 0; depth < PF_INBOUND_MAX_CHASE; depth++) {
        char *word = listener_first_word(raw);
        char *ref = pf_inbound_reference(word);
        free(word);
        if (!ref)
            break;
        struct pf_value r = PF_VALUE_INIT;
        pf_scope_get(sc, ref, &r);
        if (r.from == PF_FROM_UNDEF) {
            pf_value_free(&r);
            free(ref);
            break;
        }
        free(name);
        name = ref;
        free(raw);
        raw = r.raw ? xstrdup(r.raw) : NULL;
        model_origin_copy(&origin, &r.origin);
        pf_value_free(&r);
    }
    b->host_param = name;
    model_origin_copy(&b->host_origin, &origin);
    model_origin_free(&origin);
    free(raw);
}

/* Fill b from param in sc. required: Postfix's minimum length 1 (an empty
 * value is fatal); otherwise an empty value means no such greeting. */
static void pf_inbound_banner(struct pf_inbound_run *run, const struct pf_scope *sc, const char *param, bool required,
                              struct listener_banner *b, struct listener *l)
{
    struct pf_value v = PF_VALUE_INIT;
    int rc = pf_inbound_get(run, sc, param, &v);
    b->present = true;
    b->raw = v.raw ? xstrdup(v.raw) : NULL;
    model_origin_copy(&b->origin, &v.origin);
    if (rc < 0) {
        char *where = pf_inbound_where(&v.origin);
        pf_inbound_note(&l->notes, xasprintf("%s (%s) cannot be expanded (%s): Postfix stops with \"macro processing "
                                             "error\" and this service does not greet at all",
                                             param, where, v.error ? v.error : "?"));
        free(where);
    } else if (v.value && *v.value == '\0' && required) {
        diag_add_once(run->diags, DIAG_ERROR, v.file, v.line, "bad string length 0 < 1: %s = ", param);
        listener_banner_set_text(b, "");
    } else if (v.value && *v.value == '\0') {
        b->present = false;
    } else {
        listener_banner_set_text(b, v.value);
    }
    if (b->present && v.raw)
        pf_inbound_host_param(sc, param, &v, b);
    pf_value_free(&v);
}

/* ---- addresses ---- */

/* Split a master.cf inet service field as master(8) does (host_port()
 * with an empty default host). Returns NULL and sets *host (NULL when none
 * was given) and *port, pointing into buf; else Postfix's error text. */
static const char *pf_inbound_host_port(char *buf, char **host, char **port)
{
    *host = NULL;
    *port = NULL;
    if (*buf == '[') {
        char *cp = buf + 1;
        bool ipv6 = strncasecmp(cp, "IPv6:", 5) == 0;
        if (ipv6)
            cp += 5;
        *host = cp;
        char *rb = strchr(cp, ']');
        if (!rb)
            return "missing \"]\"";
        *rb = '\0';
        cp = rb + 1;
        if (*cp && *cp++ != ':')
            return "garbage after \"]\"";
        unsigned char b6[16];
        if (ipv6 && inet_pton(AF_INET6, *host, b6) != 1)
            return "malformed IPv6 address";
        *port = *cp ? cp : NULL;
    } else {
        char *colon = strrchr(buf, ':');
        if (colon) {
            *colon = '\0';
            *host = *buf ? buf : NULL;
            *port = colon[1] ? colon + 1 : NULL;
        } else {
            *port = *buf ? buf : NULL;
        }
    }
    if (!*port)
        return "missing service information";
    if (*host && !pf_hostname_valid(*host) && hostname_address_family(*host) == 0)
        return "valid hostname or network address required";
    if (isdigit((unsigned char)**port))
        for (const char *p = *port; *p; p++)
            if (!isdigit((unsigned char)*p))
                return "garbage after numerical service";
    return NULL;
}

/* Addresses from main.cf's inet_interfaces. */
static void pf_inbound_interfaces(struct pf_inbound_run *run, struct listener *l)
{
    const struct pf_value *ii = &run->interfaces;
    model_origin_copy(&l->addresses_origin, &ii->origin);
    if (!ii->value)
        return;
    if (strcasecmp(ii->value, "all") == 0) {
        /* master(8) compares "all" ignoring case; its other uses do not */
        l->families = l->all_families = run->families;
        return;
    }
    if (strcmp(ii->value, "loopback-only") == 0) {
        if (run->families & MODEL_FAMILY_BIT(MODEL_IPV4))
            listener_address_add(l, "127.0.0.1");
        if (run->families & MODEL_FAMILY_BIT(MODEL_IPV6))
            listener_address_add(l, "::1");
        char *where = pf_inbound_where(&ii->origin);
        pf_inbound_note(&l->notes, xasprintf("inet_interfaces = loopback-only (%s): Postfix listens only on the "
                                             "loopback interface and receives no mail from other hosts",
                                             where));
        free(where);
        return;
    }
    size_t entries = 0;
    char *copy = xstrdup(ii->value);
    char *save = NULL;
    for (char *tok = strtok_r(copy, PF_INBOUND_SEP, &save); tok; tok = strtok_r(NULL, PF_INBOUND_SEP, &save)) {
        if (++entries > PF_INBOUND_MAX_ENTRIES) {
            diag_add_once(run->diags, DIAG_WARNING, ii->file, ii->line,
                            "inet_interfaces has more than %d entries; only the first %d were examined",
                            PF_INBOUND_MAX_ENTRIES, PF_INBOUND_MAX_ENTRIES);
            break;
        }
        char *addr = pf_inbound_unbracket(tok);
        unsigned bit = pf_inbound_family_bit(addr);
        if (bit == 0) {
            if (!strlist_contains(&l->names, addr))
                strlist_add(&l->names, addr);
            l->families |= run->families;
        } else if (!(run->families & bit)) {
            diag_add_once(run->diags, DIAG_ERROR, ii->file, ii->line,
                            "config variable inet_interfaces: host not found: %s (its address family is not "
                            "enabled in inet_protocols)",
                            tok);
        } else {
            listener_address_add(l, addr);
        }
        free(addr);
    }
    free(copy);
}

/* The listener's addresses: the service's host part, else inet_interfaces. */
static void pf_inbound_addresses(struct pf_inbound_run *run, const struct pf_service *svc, const char *host,
                                 struct listener *l)
{
    if (!host) {
        pf_inbound_interfaces(run, l);
    } else {
        model_origin_file(&l->addresses_origin, run->mastercf->path, svc->line);
        unsigned bit = pf_inbound_family_bit(host);
        if (bit == 0) {
            strlist_add(&l->names, host);
            l->families |= run->families;
        } else if (!(run->families & bit)) {
            /* inet_addr_host() asks only for the families inet_protocols enables */
            diag_add_once(run->diags, DIAG_ERROR, run->mastercf->path, svc->line,
                            "bad hostname or network address: %s (its address family is not enabled in "
                            "inet_protocols)",
                            svc->name);
        } else {
            listener_address_add(l, host);
        }
    }
    if (l->names.n > 0) {
        struct strbuf shown = STRBUF_INIT;
        for (size_t i = 0; i < l->names.n && i < 3; i++)
            strbuf_addf(&shown, "%s'%s'", i ? ", " : "", l->names.items[i]);
        char *where = pf_inbound_where(&l->addresses_origin);
        pf_inbound_note(&l->notes, xasprintf("the listening address%s given as host name%s %s%s (%s): which "
                                             "addresses Postfix listens on depends on what %s resolve%s to; "
                                             "mta-preflight does not resolve %s",
                                             l->names.n == 1 ? " is" : "es are", l->names.n == 1 ? "" : "s",
                                             shown.buf, l->names.n > 3 ? " and more" : "", where,
                                             l->names.n == 1 ? "it" : "they", l->names.n == 1 ? "s" : "",
                                             l->names.n == 1 ? "it" : "them"));
        free(where);
        strbuf_release(&shown);
    }
    bool only_loopback = l->all_families == 0 && l->names.n == 0 && l->addresses.n > 0;
    for (size_t i = 0; only_loopback && i < l->addresses.n; i++)
        if (!pf_inbound_loopback(l->addresses.items[i]))
            only_loopback = false;
    if (only_loopback && (host || strcmp(run->interfaces.value ? run->interfaces.value : "", "loopback-only") != 0))
        pf_inbound_note(&l->notes, xstrdup("this service listens only on loopback addresses: it receives no mail "
                                           "from other hosts"));
    if (pf_mastercf_override(svc, "inet_interfaces"))
        pf_inbound_note(&l->notes, xasprintf("-o inet_interfaces (%s:%u) does not change where this service "
                                             "listens: master(8) opens its sockets with main.cf's inet_interfaces",
                                             run->mastercf->path, svc->line));
    if (pf_mastercf_override(svc, "inet_protocols"))
        pf_inbound_note(&l->notes, xasprintf("-o inet_protocols (%s:%u) does not change which address families "
                                             "this service listens on: master(8) uses main.cf's inet_protocols",
                                             run->mastercf->path, svc->line));
    if (run->proxy.value && *run->proxy.value) {
        char *copy = xstrdup(run->proxy.value);
        char *save = NULL;
        size_t entries = 0;
        for (char *tok = strtok_r(copy, PF_INBOUND_SEP, &save); tok && ++entries <= PF_INBOUND_MAX_ENTRIES;
             tok = strtok_r(NULL, PF_INBOUND_SEP, &save)) {
            char *addr = pf_inbound_unbracket(tok);
            if (!strlist_contains(&l->proxy_addresses, addr))
                strlist_add(&l->proxy_addresses, addr);
            free(addr);
        }
        free(copy);
        model_origin_copy(&l->proxy_origin, &run->proxy.origin);
    }
}

/* ---- one listener ---- */

static bool pf_inbound_yes(const struct pf_scope *sc, const char *name)
{
    struct pf_value v = PF_VALUE_INIT;
    pf_scope_get(sc, name, &v);
    bool yes = v.value && (strcasecmp(v.value, "yes") == 0 || strcasecmp(v.value, "true") == 0);
    pf_value_free(&v);
    return yes;
}

/* A note when name (an upstream proxy protocol setting) is set in sc. */
static void pf_inbound_proxy_protocol(const struct pf_scope *sc, const char *name, struct listener *l)
{
    struct pf_value v = PF_VALUE_INIT;
    pf_scope_get(sc, name, &v);
    if (v.value && *v.value) {
        char *where = pf_inbound_where(&v.origin);
        pf_inbound_note(&l->notes, xasprintf("%s = %s (%s): clients connect to a proxy in front of this service; "
                                             "the addresses receivers reach are the proxy's",
                                             name, v.value, where));
        free(where);
    }
    pf_value_free(&v);
}

static void pf_inbound_postscreen(struct pf_inbound_run *run, const struct pf_scope *sc, struct listener *l)
{
    pf_inbound_banner(run, sc, "postscreen_greet_banner", false, &l->teaser, l);
    if (!l->teaser.present) {
        char *where = pf_inbound_where(&l->teaser.origin);
        pf_inbound_note(&l->notes, xasprintf("postscreen_greet_banner is empty (%s): postscreen sends no 220- "
                                             "teaser, clients see only the banner of the service it hands them to",
                                             where));
        free(where);
    } else {
        pf_inbound_note(&l->notes, xstrdup("postscreen greets a new client with a 220- line (the teaser) and, "
                                           "after postscreen_greet_wait, hands it to an smtpd process whose banner "
                                           "is the final 220 line; clients it knows or that postscreen_access_list "
                                           "permits (this host itself, by default) see only that final line"));
    }
    pf_inbound_proxy_protocol(sc, "postscreen_upstream_proxy_protocol", l);

    struct pf_value name = PF_VALUE_INIT;
    pf_inbound_get(run, sc, "smtpd_service_name", &name);
    const struct pf_service *pass = name.value ? pf_mastercf_find(run->mastercf, name.value, "pass") : NULL;
    if (!pass) {
        char *where = pf_inbound_where(&name.origin);
        diag_add_once(run->diags, DIAG_ERROR, run->mastercf->path, l->origin.line,
                        "postscreen hands clients to the service '%s' (smtpd_service_name, %s), but %s has no '%s "
                        "pass' service: no client gets past postscreen",
                        name.value ? name.value : "", where, run->mastercf->path, name.value ? name.value : "");
        free(where);
        l->banner.present = false;
        pf_value_free(&name);
        return;
    }
    pf_value_free(&name);
    l->pass_service = xasprintf("%s/%s", pass->name, pass->type);
    model_origin_file(&l->pass_origin, run->mastercf->path, pass->line);
    const char *cmd = pf_mastercf_command_base(pass);
    if (strcmp(cmd, "smtpd") != 0)
        pf_inbound_note(&l->notes, xasprintf("postscreen hands clients to %s/pass (%s:%u), whose command is '%s', "
                                             "not smtpd",
                                             pass->name, run->mastercf->path, pass->line, cmd));
    struct pf_scope pass_scope = { run->maincf, run->mastercf, pass, run->hostname, run->budget };
    pf_inbound_banner(run, &pass_scope, "smtpd_banner", true, &l->banner, l);
    pf_inbound_proxy_protocol(&pass_scope, "smtpd_upstream_proxy_protocol", l);
}

static void pf_inbound_service(struct pf_inbound_run *run, const struct pf_service *svc)
{
    const char *cmd = pf_mastercf_command_base(svc);
    bool postscreen = strcmp(cmd, "postscreen") == 0;
    char *buf = xstrdup(svc->name);
    char *host, *port;
    const char *err = pf_inbound_host_port(buf, &host, &port);
    if (err) {
        /* get_master_ent(): fatal for master(8), Postfix does not start */
        diag_add_once(run->diags, DIAG_ERROR, run->mastercf->path, svc->line, "%s in \"%s\"", err, svc->name);
        free(buf);
        return;
    }
    if (pf_inbound_disabled(run, svc)) {
        char *where = pf_inbound_where(&run->disable.origin);
        pf_inbound_note(&run->out->notes, xasprintf("%s: %s/%s (%s:%u) is turned off by master_service_disable (%s)",
                                                    run->dir, svc->name, svc->type, run->mastercf->path, svc->line,
                                                    where));
        free(where);
        free(buf);
        return;
    }
    struct listener *l = listener_add(run->out, MODEL_POSTFIX);
    l->id = xasprintf("postfix:%s:%s/%s", run->dir, svc->name, svc->type);
    l->config = xstrdup(run->dir);
    l->service = xstrdup(svc->name);
    l->command = xstrdup(cmd);
    model_origin_file(&l->origin, run->mastercf->path, svc->line);
    l->port_name = xstrdup(port);
    l->port = listener_port(port);
    l->mx = l->port == LISTENER_MX_PORT;
    if (l->port == 0)
        pf_inbound_note(&l->notes, xasprintf("the port '%s' is not a number or a service name mta-preflight knows; "
                                             "master(8) looks it up in /etc/services",
                                             port));
    pf_inbound_addresses(run, svc, host, l);
    if (run->instance_disabled)
        pf_inbound_note(&l->notes, xasprintf("this instance (%s) does not set multi_instance_enable = yes: "
                                             "postmulti does not start it",
                                             run->dir));

    struct pf_scope sc = { run->maincf, run->mastercf, svc, run->hostname, run->budget };
    if (postscreen) {
        pf_inbound_postscreen(run, &sc, l);
    } else {
        pf_inbound_banner(run, &sc, "smtpd_banner", true, &l->banner, l);
        l->tls_on_connect = pf_inbound_yes(&sc, "smtpd_tls_wrappermode");
        pf_inbound_proxy_protocol(&sc, "smtpd_upstream_proxy_protocol", l);
    }
    if (l->tls_on_connect)
        pf_inbound_note(&l->notes, xstrdup("smtpd_tls_wrappermode = yes: TLS starts on connect and the banner is "
                                           "sent inside TLS"));
    free(buf);
}

/* ---- domains ---- */

/* Split value on ", \t\r\n", keeping { } groups (inline:{ a, b }) whole. */
static void pf_inbound_tokens(const char *value, struct strlist *out)
{
    const char *cp = value;
    for (;;) {
        cp += strspn(cp, PF_INBOUND_SEP);
        if (!*cp || out->n >= PF_INBOUND_MAX_ENTRIES)
            break;
        const char *start = cp;
        int level = 0;
        for (; *cp; cp++) {
            if (*cp == '{')
                level++;
            else if (*cp == '}' && level > 0)
                level--;
            else if (level == 0 && strchr(PF_INBOUND_SEP, *cp))
                break;
        }
        strlist_add_owned(out, xstrndup(start, (size_t)(cp - start)));
    }
}

/* type:table (the type is letters, digits, '_' and '-'). */
static bool pf_inbound_is_table(const char *tok)
{
    size_t n = 0;
    while (isalnum((unsigned char)tok[n]) || tok[n] == '_' || tok[n] == '-')
        n++;
    return n > 0 && tok[n] == ':';
}

/* The origin to show for a value: for a default that is only a reference
 * (virtual_alias_domains = $virtual_alias_maps), where the referenced
 * parameter is set, since that is the line an admin reads. */
static void pf_inbound_value_origin(const struct pf_scope *sc, const struct pf_value *v, struct model_origin *out)
{
    model_origin_copy(out, &v->origin);
    char *raw = v->from == PF_FROM_DEFAULT && v->raw ? xstrdup(v->raw) : NULL;
    for (int depth = 0; raw && depth < PF_INBOUND_MAX_CHASE; depth++) {
        char *ref = pf_inbound_reference(raw);
        free(raw);
        raw = NULL;
        if (!ref)
            break;
        struct pf_value r = PF_VALUE_INIT;
        pf_scope_get(sc, ref, &r);
        free(ref);
        if (r.from == PF_FROM_MAINCF || r.from == PF_FROM_OVERRIDE)
            model_origin_copy(out, &r.origin);
        else if (r.from == PF_FROM_DEFAULT && r.raw)
            raw = xstrdup(r.raw);
        pf_value_free(&r);
    }
    free(raw);
}

static void pf_inbound_domains_of(struct pf_inbound_run *run, const char *param, const char *own_name)
{
    struct pf_value v = PF_VALUE_INIT;
    if (pf_inbound_get(run, &run->main_scope, param, &v) < 0 || !v.value) {
        pf_value_free(&v);
        return;
    }
    pf_inbound_value_origin(&run->main_scope, &v, &v.origin);
    struct strlist toks = STRLIST_INIT;
    pf_inbound_tokens(v.value, &toks);
    char *where = pf_inbound_where(&v.origin);
    for (size_t i = 0; i < toks.n; i++) {
        const char *tok = toks.items[i];
        if (*tok == '/' || pf_inbound_is_table(tok)) {
            listener_table_add(run->out, MODEL_POSTFIX, param, tok, &v.origin);
        } else if (*tok == '!' || *tok == '.') {
            pf_inbound_note(&run->out->notes, xasprintf("%s (%s) has the pattern '%s': it is not a domain "
                                                        "mta-preflight looks up",
                                                        param, where, tok));
        } else {
            enum listener_domain_result r =
                listener_domain_add(run->out, MODEL_POSTFIX, tok, param, &v.origin, own_name);
            if (r == LISTENER_DOMAIN_INVALID || r == LISTENER_DOMAIN_PRIVATE)
                pf_inbound_note(&run->out->notes,
                                xasprintf("%s (%s) lists '%s', which is not a public domain name: it is not looked up",
                                          param, where, tok));
        }
    }
    free(where);
    strlist_free(&toks);
    pf_value_free(&v);
}

static void pf_inbound_domains(struct pf_inbound_run *run)
{
    struct pf_value mh = PF_VALUE_INIT;
    pf_scope_get(&run->main_scope, "myhostname", &mh);
    static const char *const lists[] = { "mydestination", "virtual_mailbox_domains", "virtual_alias_domains" };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
        pf_inbound_domains_of(run, lists[i], mh.value);
    pf_value_free(&mh);
}

/* ---- instances ---- */

static int pf_inbound_instance(const char *dir, const char *hostname, int is_default, struct listener_set *out,
                               struct diag_list *diags)
{
    struct pf_maincf maincf;
    struct pf_mastercf mastercf;
    struct diag_list scratch = DIAG_LIST_INIT;
    int mrc = pf_maincf_load(&maincf, dir, &scratch);
    int src = mrc < 0 ? -1 : pf_mastercf_load(&mastercf, dir, &scratch);
    pf_inbound_merge(diags, &scratch);
    diag_list_free(&scratch);
    if (mrc < 0) {
        pf_maincf_free(&maincf);
        return -1;
    }
    if (src < 0)
        diag_add_once(diags, DIAG_ERROR, mastercf.path, 0,
                        "master.cf is missing or unreadable: Postfix cannot start, no outbound transports known");

    size_t budget = PF_INBOUND_EXPAND_BUDGET;
    struct pf_inbound_run run = { .dir = dir, .hostname = hostname, .maincf = &maincf, .mastercf = &mastercf,
                                  .out = out, .diags = diags, .budget = &budget };
    run.main_scope = (struct pf_scope){ &maincf, &mastercf, NULL, hostname, &budget };
    run.interfaces = (struct pf_value)PF_VALUE_INIT;
    run.proxy = (struct pf_value)PF_VALUE_INIT;
    run.disable = (struct pf_value)PF_VALUE_INIT;
    pf_inbound_protocols(&run);
    pf_inbound_get(&run, &run.main_scope, "inet_interfaces", &run.interfaces);
    pf_inbound_get(&run, &run.main_scope, "proxy_interfaces", &run.proxy);
    pf_inbound_get(&run, &run.main_scope, "master_service_disable", &run.disable);
    if (!is_default)
        run.instance_disabled = !pf_inbound_yes(&run.main_scope, "multi_instance_enable");

    for (size_t i = 0; i < mastercf.n; i++) {
        const struct pf_service *svc = &mastercf.items[i];
        if (svc->replaced || strcmp(svc->type, "inet") != 0)
            continue;
        const char *cmd = pf_mastercf_command_base(svc);
        if (strcmp(cmd, "smtpd") == 0 || strcmp(cmd, "postscreen") == 0)
            pf_inbound_service(&run, svc);
    }
    pf_inbound_domains(&run);

    if (is_default) {
        /* Only the default instance's main.cf lists the others. */
        struct pf_value v = PF_VALUE_INIT;
        if (pf_inbound_get(&run, &run.main_scope, "multi_instance_directories", &v) == 0 && v.value) {
            char *copy = xstrdup(v.value);
            char *save = NULL;
            for (char *tok = strtok_r(copy, PF_INBOUND_SEP, &save); tok; tok = strtok_r(NULL, PF_INBOUND_SEP, &save)) {
                char *sub = pf_locate_trim(tok);
                if (strcmp(sub, dir) != 0)
                    pf_inbound_instance(sub, hostname, 0, out, diags);
                free(sub);
            }
            free(copy);
        }
        pf_value_free(&v);
    }
    pf_value_free(&run.interfaces);
    pf_value_free(&run.proxy);
    pf_value_free(&run.disable);
    pf_mastercf_free(&mastercf);
    pf_maincf_free(&maincf);
    return 1;
}

int pf_inbound_load(const char *config_dir, const struct model_host *host, struct listener_set *out,
                    struct diag_list *diags)
{
    char *dir;
    const char *how;
    int found = pf_locate_dir(config_dir, &dir, &how, diags);
    if (found <= 0)
        return found;
    char hostbuf[256];
    int rc = pf_inbound_instance(dir, pf_locate_hostname(host, hostbuf), 1, out, diags);
    free(dir);
    return rc;
}
