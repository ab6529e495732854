/* exim_inbound - the Exim daemon's listeners and domains; see
 * exim_inbound.h.
 *
 * The expansion of the banner is a small static evaluator: literal text,
 * backslash escapes (string_interpret_escape; \N...\N copied as it is),
 * $name and ${name} of the few variables whose value the configuration
 * decides, and the version and time variables kept as written. Everything
 * else (${if, ${lookup, $interface_address, ...) stops it: what came
 * before is the static beginning of a dynamic banner.
 */
#include "parsers/exim_inbound.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_list.h"
#include "parsers/exim_load.h"
#include "parsers/exim_options.h"

#define EXIM_INBOUND_DEFAULT_BANNER "$smtp_active_hostname ESMTP Exim $version_number $tod_full"
#define EXIM_INBOUND_DEFAULT_INTERFACES "<; ::0 ; 0.0.0.0"
#define EXIM_INBOUND_DEFAULT_PORTS "smtp"

/* Items of a list examined: far more than a real configuration has. */
#define EXIM_INBOUND_MAX_ITEMS 256
/* How deeply named domain lists (+name) are followed. */
#define EXIM_INBOUND_MAX_DEPTH 10

struct exim_inbound_run {
    const struct exim_config *cfg;
    char *primary;                   /* primary_hostname's value, NULL when unknown */
    struct model_origin primary_origin;
    bool primary_short;              /* the host name has no dot: Exim asks the resolver */
    const struct exim_option *active; /* smtp_active_hostname, or NULL when unset */
    struct listener_set *out;
    struct diag_list *diags;
};


static void exim_inbound_note(struct strlist *notes, char *note)
{
    if (strlist_contains(notes, note))
        free(note);
    else
        strlist_add_owned(notes, note);
}

static void exim_inbound_opt_origin(struct model_origin *origin, const struct exim_option *o, const char *def_note)
{
    if (o && o->file)
        model_origin_file(origin, o->file, o->line);
    else
        model_origin_default(origin, def_note);
}

static char *exim_inbound_where(const struct model_origin *o)
{
    char *s = model_origin_tostr(o);
    return s ? s : xstrdup("?");
}

/* Which macros an option's line used: in Debian's layout the value an
 * admin changes is the macro's definition. */
static void exim_inbound_macro_notes(struct strlist *notes, const char *what, const struct exim_option *o)
{
    for (size_t i = 0; o && i < o->macros.n; i++)
        exim_inbound_note(notes, xasprintf("%s uses macro %s", what, o->macros.items[i]));
}

/* ---- the banner ---- */

struct exim_inbound_text {
    struct strbuf out;
    bool dynamic;   /* stopped at a part known only per connection */
};

/* Variables whose value changes, but not with the connection: kept as written. */
static bool exim_inbound_kept(const char *name)
{
    static const char *const kept[] = { "compile_date", "compile_number", "exim_version", "tod_bsdinbox",
                                        "tod_epoch",    "tod_epoch_l",    "tod_full",     "tod_log",
                                        "tod_logfile",  "tod_zone",       "tod_zulu",     "version_number" };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (strcmp(kept[i], name) == 0)
            return true;
    return false;
}

static void exim_inbound_eval(const struct exim_inbound_run *run, const char *s, int depth,
                              struct exim_inbound_text *t);

/* Append the value of variable name (written as the len bytes at spelled). */
static void exim_inbound_variable(const struct exim_inbound_run *run, const char *name, const char *spelled,
                                  size_t len, int depth, struct exim_inbound_text *t)
{
    if (strcmp(name, "primary_hostname") == 0) {
        if (run->primary)
            strbuf_adds(&t->out, run->primary);
        else
            t->dynamic = true;
    } else if (strcmp(name, "smtp_active_hostname") == 0 && depth < 2) {
        /* expanded when the connection starts; empty means $primary_hostname */
        struct exim_inbound_text sub = { STRBUF_INIT, false };
        exim_inbound_eval(run, run->active ? run->active->value : "$primary_hostname", depth + 1, &sub);
        if (!sub.dynamic && sub.out.len == 0 && run->primary)
            strbuf_adds(&t->out, run->primary);
        else
            strbuf_add(&t->out, sub.out.buf, sub.out.len);
        t->dynamic = sub.dynamic;
        strbuf_release(&sub.out);
    } else if (exim_inbound_kept(name)) {
        strbuf_add(&t->out, spelled, len);
    } else {
        t->dynamic = true;
    }
}

/* string_interpret_escape: the character after a backslash at *pp. */
static char exim_inbound_escape(const char **pp)
{
    const char *p = *pp;
    char c = *p++;
    if (isdigit((unsigned char)c) && c != '8' && c != '9') {
        int v = c - '0';
        for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++)
            v = v * 8 + (*p++ - '0');
        *pp = p;
        return (char)v;
    }
    *pp = p;
    switch (c) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case 'x': {
        int v = 0, n = 0;
        while (n < 2 && isxdigit((unsigned char)*p)) {
            v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
            p++;
            n++;
        }
        *pp = p;
        return n ? (char)v : 'x';
    }
    default: return c;
    }
}

static void exim_inbound_eval(const struct exim_inbound_run *run, const char *s, int depth,
                              struct exim_inbound_text *t)
{
    while (*s && !t->dynamic) {
        if (*s == '\\') {
            s++;
            if (*s == 'N') {
                const char *end = strstr(s + 1, "\\N");
                size_t n = end ? (size_t)(end - (s + 1)) : strlen(s + 1);
                strbuf_add(&t->out, s + 1, n);
                s += 1 + n + (end ? 2 : 0);
            } else if (*s) {
                strbuf_addc(&t->out, exim_inbound_escape(&s));
            }
            continue;
        }
        if (*s != '$') {
            strbuf_addc(&t->out, *s++);
            continue;
        }
        const char *start = s++;
        bool braced = *s == '{';
        if (braced)
            s++;
        size_t n = 0;
        while (isalnum((unsigned char)s[n]) || s[n] == '_')
            n++;
        if (n == 0 || (braced && s[n] != '}')) {
            /* an expansion item, operator or condition: known per connection */
            t->dynamic = true;
            break;
        }
        char *name = xstrndup(s, n);
        s += n + (braced ? 1 : 0);
        exim_inbound_variable(run, name, start, (size_t)(s - start), depth, t);
        free(name);
    }
}

/* When word is exactly $name or ${name}, a copy of name, else NULL. */
static char *exim_inbound_reference(const char *word)
{
    if (!word || word[0] != '$')
        return NULL;
    const char *p = word + 1;
    bool braced = *p == '{';
    if (braced)
        p++;
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    if (n == 0 || (braced ? (p[n] != '}' || p[n + 1]) : p[n]))
        return NULL;
    return xstrndup(p, n);
}

/* The first word of the static beginning of a dynamic text, when a blank
 * ends it before the dynamic part. */
static char *exim_inbound_static_word(const char *prefix)
{
    const char *p = prefix + strspn(prefix, " \t\r\n");
    size_t n = strcspn(p, " \t\r\n");
    return n && p[n] ? xstrndup(p, n) : NULL;
}

/* Which parameter's value carries the host name, following the banner's
 * first word through $smtp_active_hostname to $primary_hostname. */
static void exim_inbound_host_param(const struct exim_inbound_run *run, const struct exim_option *banner_opt,
                                    const char *raw, struct listener_banner *b)
{
    const char *param = "smtp_banner";
    struct model_origin origin = MODEL_ORIGIN_INIT;
    exim_inbound_opt_origin(&origin, banner_opt, NULL);
    const char *expr = raw;
    for (int depth = 0; depth < 3; depth++) {
        char *word = listener_first_word(expr);
        char *ref = exim_inbound_reference(word);
        free(word);
        if (ref && strcmp(ref, "smtp_active_hostname") == 0 && strcmp(param, "smtp_banner") == 0) {
            param = "smtp_active_hostname";
            exim_inbound_opt_origin(&origin, run->active, "unset: $primary_hostname");
            expr = run->active ? run->active->value : "$primary_hostname";
        } else if (ref && strcmp(ref, "primary_hostname") == 0) {
            param = "primary_hostname";
            model_origin_copy(&origin, &run->primary_origin);
            expr = NULL;
        } else {
            free(ref);
            break;
        }
        free(ref);
    }
    b->host_param = xstrdup(param);
    model_origin_copy(&b->host_origin, &origin);
    model_origin_free(&origin);
    if (!b->dynamic || b->hostname)
        return;
    /* the host name itself is dynamic: keep the expression that yields it */
    const char *host_expr = strcmp(param, "smtp_active_hostname") == 0 && run->active ? run->active->value : raw;
    b->host_expression = xstrdup(host_expr);
    if (strstr(host_expr, "dnsdb") &&
        (strstr(host_expr, "ptr=$interface_address") || strstr(host_expr, "ptr=${interface_address}") ||
         strstr(host_expr, "ptr=$received_ip_address") || strstr(host_expr, "ptr=${received_ip_address}"))) {
        b->host_from_ptr = true;
        if (run->primary && (strstr(host_expr, "{$primary_hostname}") || strstr(host_expr, "{${primary_hostname}}")))
            b->host_fallback = xstrdup(run->primary);
    }
}

static void exim_inbound_banner(const struct exim_inbound_run *run, struct listener_banner *b, struct strlist *notes)
{
    const struct exim_option *o = exim_options_main(run->cfg, "smtp_banner");
    const char *raw = o ? o->value : EXIM_INBOUND_DEFAULT_BANNER;
    b->present = true;
    b->raw = xstrdup(raw);
    exim_inbound_opt_origin(&b->origin, o, NULL);
    struct exim_inbound_text t = { STRBUF_INIT, false };
    exim_inbound_eval(run, raw, 0, &t);
    b->dynamic = t.dynamic;
    if (!t.dynamic) {
        listener_banner_set_text(b, t.out.buf);
    } else {
        b->hostname = exim_inbound_static_word(t.out.buf);
    }
    strbuf_release(&t.out);
    exim_inbound_host_param(run, o, raw, b);
    exim_inbound_macro_notes(notes, "smtp_banner", o);
    if (strcmp(b->host_param, "smtp_active_hostname") == 0)
        exim_inbound_macro_notes(notes, "smtp_active_hostname", run->active);
    if (strcmp(b->host_param, "primary_hostname") == 0 || (run->active == NULL && strcmp(b->host_param,
                                                                                        "smtp_active_hostname") == 0)) {
        exim_inbound_macro_notes(notes, "primary_hostname", exim_options_main(run->cfg, "primary_hostname"));
        if (run->primary_short)
            exim_inbound_note(notes, xasprintf("primary_hostname is unset and the host name '%s' has no dot: Exim "
                                               "looks it up and uses the canonical name the resolver returns (for "
                                               "example from /etc/hosts)",
                                               run->primary));
    }
    if (b->dynamic && b->host_from_ptr)
        exim_inbound_note(notes, xasprintf("the banner's host name is the PTR name of the local address the client "
                                           "connected to, looked up per connection%s%s%s",
                                           b->host_fallback ? "; without one Exim uses $primary_hostname ('" : "",
                                           b->host_fallback ? b->host_fallback : "", b->host_fallback ? "')" : ""));
    else if (b->dynamic)
        exim_inbound_note(notes, xstrdup("the banner is an expansion evaluated for each connection"));
}

static void exim_inbound_banner_copy(struct listener_banner *dst, const struct listener_banner *src)
{
    dst->present = src->present;
    model_set_str(&dst->raw, src->raw);
    model_origin_copy(&dst->origin, &src->origin);
    model_set_str(&dst->text, src->text);
    model_set_str(&dst->hostname, src->hostname);
    dst->dynamic = src->dynamic;
    model_set_str(&dst->host_param, src->host_param);
    model_origin_copy(&dst->host_origin, &src->host_origin);
    model_set_str(&dst->host_expression, src->host_expression);
    dst->host_from_ptr = src->host_from_ptr;
    model_set_str(&dst->host_fallback, src->host_fallback);
}

/* ---- ports and interfaces ---- */

/* host_address_extract_port(): the port of "[addr]:port" or "addr.port"
 * (the dot after an IPv4 address's fourth part, or after an IPv6
 * address's last colon), 0 when there is none or it is malformed; item is
 * cut down to the address. */
static unsigned exim_inbound_extract_port(char *item)
{
    char *end;
    if (*item == '[') {
        char *rb = item + 1;
        while (*rb && *rb != ']')
            rb++;
        if (*rb++ == '\0')
            return 0;
        long port = 0;
        if (*rb == ':') {
            port = strtol(rb + 1, &end, 10);
            if (*end)
                return 0;
        } else if (*rb) {
            return 0;
        }
        memmove(item, item + 1, (size_t)(rb - item - 2));
        rb[-2] = '\0';
        return port > 0 && port <= 65535 ? (unsigned)port : 0;
    }
    int skip = -3;
    char *p = item;
    for (; *p; p++) {
        if (*p == ':')
            skip = 0;
        else if (*p == '.' && skip++ >= 0)
            break;
    }
    if (!*p)
        return 0;
    long port = strtol(p + 1, &end, 10);
    if (*end)
        return 0;
    *p = '\0';
    return port > 0 && port <= 65535 ? (unsigned)port : 0;
}

static bool exim_inbound_all_zero(const char *addr)
{
    for (const char *p = addr; *p; p++)
        if (*p != '0' && *p != '.' && *p != ':')
            return false;
    return true;
}

static bool exim_inbound_loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || hostname_address_equal(addr, "::1");
}

struct exim_inbound_port {
    unsigned port;
    char *name;      /* as written */
    const struct exim_option *opt; /* the option it comes from, or NULL for a default */
};

/* daemon_smtp_ports as daemon.c reads it: a number (strtol, any base), or
 * a service name. */
static size_t exim_inbound_ports(struct exim_inbound_run *run, struct exim_inbound_port *ports, size_t max)
{
    const struct exim_option *o = exim_options_main(run->cfg, "daemon_smtp_ports");
    if (!o)
        o = exim_options_main(run->cfg, "daemon_smtp_port");
    struct exim_list it;
    exim_list_init(&it, o ? o->value : EXIM_INBOUND_DEFAULT_PORTS);
    char *item;
    size_t n = 0;
    while ((item = exim_list_next(&it)) != NULL) {
        unsigned port;
        if (isdigit((unsigned char)*item)) {
            char *end;
            long v = strtol(item, &end, 0);
            if (*end || v <= 0 || v > 65535) {
                diag_add_once(run->diags, DIAG_ERROR, o ? o->file : NULL, o ? o->line : 0,
                                  "invalid SMTP port: %s", item);
                free(item);
                continue;
            }
            port = (unsigned)v;
        } else {
            port = listener_port(item);
        }
        if (n < max) {
            ports[n].port = port;
            ports[n].name = item;
            ports[n].opt = o;
            n++;
        } else {
            free(item);
        }
    }
    return n;
}

/* The listener of this port, created in order of first appearance. */
static struct listener *exim_inbound_listener(struct exim_inbound_run *run, size_t first, unsigned port,
                                              const char *name, const struct exim_option *from)
{
    for (size_t i = first; i < run->out->n; i++) {
        struct listener *l = &run->out->items[i];
        if (port ? l->port == port : (l->port == 0 && strcmp(l->port_name, name) == 0))
            return l;
    }
    struct listener *l = listener_add(run->out, MODEL_EXIM);
    const char *path = run->cfg->path;
    if (port == LISTENER_MX_PORT)
        l->id = xasprintf("exim:%s:daemon", path);
    else if (port)
        l->id = xasprintf("exim:%s:daemon:%u", path, port);
    else
        l->id = xasprintf("exim:%s:daemon:%s", path, name);
    l->config = xstrdup(path);
    l->service = xstrdup("daemon");
    l->command = xstrdup("exim");
    exim_inbound_opt_origin(&l->origin, from, NULL);
    l->port = port;
    l->port_name = xstrdup(name);
    l->mx = port == LISTENER_MX_PORT;
    if (!port)
        exim_inbound_note(&l->notes, xasprintf("the port '%s' is not a service name mta-preflight knows; the daemon "
                                               "looks it up in /etc/services and does not start without it",
                                               name));
    return l;
}

static bool exim_inbound_tls_port(const struct exim_config *cfg, unsigned port)
{
    const struct exim_option *o = exim_options_main(cfg, "tls_on_connect_ports");
    if (!o)
        return false;
    struct exim_list it;
    exim_list_init(&it, o->value);
    char *item;
    bool found = false;
    while (!found && (item = exim_list_next(&it)) != NULL) {
        unsigned p = isdigit((unsigned char)*item) ? (unsigned)strtol(item, NULL, 0) : listener_port(item);
        found = p == port;
        free(item);
    }
    return found;
}

static void exim_inbound_listeners(struct exim_inbound_run *run, const struct exim_loaded *ld)
{
    struct exim_inbound_port ports[EXIM_INBOUND_MAX_ITEMS];
    size_t nports = exim_inbound_ports(run, ports, EXIM_INBOUND_MAX_ITEMS);
    const struct exim_option *li = exim_options_main(run->cfg, "local_interfaces");
    bool no_v6 = exim_options_bool(exim_options_main(run->cfg, "disable_ipv6"), false);
    size_t first = run->out->n;
    bool skipped_v6 = false;

    struct exim_list it;
    exim_list_init(&it, li ? li->value : EXIM_INBOUND_DEFAULT_INTERFACES);
    char *item;
    size_t items = 0;
    while ((item = exim_list_next(&it)) != NULL && ++items <= EXIM_INBOUND_MAX_ITEMS) {
        unsigned own_port = exim_inbound_extract_port(item);
        int fam = 0;
        if (!exim_list_is_ip(item, &fam)) {
            /* host_build_ifacelist(): the daemon does not start */
            diag_add_once(run->diags, DIAG_ERROR, li ? li->file : NULL, li ? li->line : 0,
                              "Malformed IP address \"%s\" in local_interfaces", item);
        } else if (fam == 6 && no_v6) {
            skipped_v6 = true;
        } else {
            enum model_family f = fam == 4 ? MODEL_IPV4 : MODEL_IPV6;
            size_t count = own_port ? 1 : nports;
            for (size_t k = 0; k < count; k++) {
                char digits[8];
                snprintf(digits, sizeof(digits), "%u", own_port);
                struct listener *l =
                    own_port ? exim_inbound_listener(run, first, own_port, digits, li)
                             : exim_inbound_listener(run, first, ports[k].port, ports[k].name, ports[k].opt);
                if (exim_inbound_all_zero(item)) {
                    l->all_families |= MODEL_FAMILY_BIT(f);
                    l->families |= MODEL_FAMILY_BIT(f);
                } else {
                    listener_address_add(l, item);
                }
            }
        }
        free(item);
    }
    free(item);
    if (items > EXIM_INBOUND_MAX_ITEMS)
        diag_add_once(run->diags, DIAG_WARNING, li ? li->file : NULL, li ? li->line : 0,
                          "local_interfaces has more than %d items; only the first %d were examined",
                          EXIM_INBOUND_MAX_ITEMS, EXIM_INBOUND_MAX_ITEMS);
    for (size_t k = 0; k < nports; k++)
        free(ports[k].name);

    struct listener_banner banner = { 0 };
    struct strlist banner_notes = STRLIST_INIT;
    exim_inbound_banner(run, &banner, &banner_notes);
    for (size_t i = first; i < run->out->n; i++) {
        struct listener *l = &run->out->items[i];
        exim_inbound_opt_origin(&l->addresses_origin, li, NULL);
        exim_inbound_banner_copy(&l->banner, &banner);
        l->tls_on_connect = exim_inbound_tls_port(run->cfg, l->port);
        for (size_t n = 0; n < ld->notes.n; n++)
            exim_inbound_note(&l->notes, xstrdup(ld->notes.items[n]));
        exim_inbound_macro_notes(&l->notes, "local_interfaces", li);
        for (size_t n = 0; n < banner_notes.n; n++)
            exim_inbound_note(&l->notes, xstrdup(banner_notes.items[n]));
        if (skipped_v6)
            exim_inbound_note(&l->notes, xstrdup("disable_ipv6 is set: the daemon ignores the IPv6 addresses of "
                                                 "local_interfaces"));
        bool loopback = l->all_families == 0 && l->addresses.n > 0;
        for (size_t a = 0; loopback && a < l->addresses.n; a++)
            loopback = exim_inbound_loopback(l->addresses.items[a]);
        if (loopback)
            exim_inbound_note(&l->notes, xasprintf("the daemon listens only on loopback addresses on this port: it "
                                                   "receives no mail from other hosts%s",
                                                   ld->debian_dir ? " (Debian sets local_interfaces from "
                                                                    "dc_local_interfaces in update-exim4.conf.conf)"
                                                                  : ""));
        if (l->tls_on_connect)
            exim_inbound_note(&l->notes, xstrdup("tls_on_connect_ports lists this port: TLS starts on connect and "
                                                 "the banner is sent inside TLS"));
        if (ld->debian_dir)
            exim_inbound_note(&l->notes, xstrdup("Debian's exim4 service passes SMTPLISTENEROPTIONS from "
                                                 "/etc/default/exim4 to the daemon; a -oX there would override "
                                                 "these ports and addresses"));
    }
    listener_banner_free(&banner);
    strlist_free(&banner_notes);
}

/* ---- domains ---- */

static void exim_inbound_domains_of(struct exim_inbound_run *run, const struct exim_named_list *nl, int depth,
                                    const struct model_origin *origin)
{
    char *where = exim_inbound_where(origin);
    struct exim_list it;
    exim_list_init(&it, nl->value);
    char *item;
    size_t items = 0;
    while ((item = exim_list_next(&it)) != NULL && ++items <= EXIM_INBOUND_MAX_ITEMS) {
        const char *s = item;
        if (!*s || strcmp(s, "@") == 0 || strcmp(s, "@[]") == 0) {
            /* the host's own name, or its address literals */
        } else if (strncmp(s, "@mx_", 4) == 0) {
            exim_inbound_note(&run->out->notes,
                              xasprintf("domainlist local_domains (%s) has '%s': the domains whose MX points at this "
                                        "host; they cannot be listed from the configuration",
                                        where, s));
        } else if (*s == '+') {
            const struct exim_named_list *sub = exim_options_named_list(run->cfg, "domainlist", s + 1);
            if (sub && depth < EXIM_INBOUND_MAX_DEPTH) {
                struct model_origin o = MODEL_ORIGIN_INIT;
                if (sub->file)
                    model_origin_file(&o, sub->file, sub->line);
                exim_inbound_domains_of(run, sub, depth + 1, &o);
                model_origin_free(&o);
            } else {
                exim_inbound_note(&run->out->notes, xasprintf("domainlist local_domains (%s) names the list '%s', "
                                                              "which is not defined",
                                                              where, s));
            }
        } else if (*s == '/' || strchr(s, ';')) {
            listener_table_add(run->out, MODEL_EXIM, "local_domains", s, origin);
        } else if (*s == '!' || *s == '*' || *s == '^' || strchr(s, '$')) {
            exim_inbound_note(&run->out->notes, xasprintf("domainlist local_domains (%s) has '%s': a pattern or an "
                                                          "expansion, not a domain mta-preflight looks up",
                                                          where, s));
        } else {
            enum listener_domain_result r =
                listener_domain_add(run->out, MODEL_EXIM, s, "local_domains", origin, run->primary);
            if (r == LISTENER_DOMAIN_INVALID || r == LISTENER_DOMAIN_PRIVATE)
                exim_inbound_note(&run->out->notes,
                                  xasprintf("domainlist local_domains (%s) lists '%s', which is not a public domain "
                                            "name: it is not looked up",
                                            where, s));
        }
        free(item);
    }
    free(item);
    free(where);
}

static void exim_inbound_domains(struct exim_inbound_run *run)
{
    const struct exim_named_list *nl = exim_options_named_list(run->cfg, "domainlist", "local_domains");
    if (!nl)
        return;
    struct model_origin o = MODEL_ORIGIN_INIT;
    if (nl->file)
        model_origin_file(&o, nl->file, nl->line);
    exim_inbound_domains_of(run, nl, 0, &o);
    model_origin_free(&o);
}

/* ---- loading ---- */

static void exim_inbound_primary(struct exim_inbound_run *run, const struct model_host *host)
{
    const struct exim_option *o = exim_options_main(run->cfg, "primary_hostname");
    if (o) {
        run->primary = xstrdup(o->value);
        exim_inbound_opt_origin(&run->primary_origin, o, NULL);
    } else if (!host || !host->hostname || !*host->hostname) {
        model_origin_default(&run->primary_origin, "uname nodename, unknown");
    } else {
        run->primary = xstrdup(host->hostname);
        run->primary_short = !strchr(host->hostname, '.');
        model_origin_default(&run->primary_origin,
                             run->primary_short
                                 ? "uname nodename; it has no dot, so Exim canonicalises it through the resolver"
                                 : "uname nodename");
    }
}

int exim_inbound_load(const char *config_file, const char *debian_dir, const struct model_host *host,
                      struct listener_set *out, struct diag_list *diags)
{
    struct exim_loaded ld;
    struct diag_list scratch = DIAG_LIST_INIT;
    int rc = exim_load(config_file, debian_dir, host, &ld, &scratch);
    for (size_t i = 0; i < scratch.n; i++) {
        const struct diag *d = &scratch.items[i];
        diag_add_once(diags, d->level, d->file, d->line, "%s", d->message);
    }
    diag_list_free(&scratch);
    if (rc <= 0 || ld.cfg.failed) {
        exim_load_free(&ld);
        return rc;
    }
    struct exim_inbound_run run = { .cfg = &ld.cfg, .out = out, .diags = diags };
    exim_inbound_primary(&run, host);
    run.active = exim_options_main(&ld.cfg, "smtp_active_hostname");
    exim_inbound_listeners(&run, &ld);
    exim_inbound_domains(&run);
    free(run.primary);
    model_origin_free(&run.primary_origin);
    exim_load_free(&ld);
    return 1;
}
