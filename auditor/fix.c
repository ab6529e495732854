/* fix - remedies as commands, records and lines to paste; see fix.h. */
#include "auditor/fix.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/revname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "auditor/provider.h"

static const char *const fix_kind_names[] = { "postconf", "exim-config", "provider-ptr",
                                              "dns-record", "sysctl",      "note" };

const char *fix_kind_tostr(enum fix_kind kind)
{
    return fix_kind_names[kind];
}

int fix_kind_fromstr(const char *s)
{
    for (int i = 0; s && i < 6; i++)
        if (strcmp(fix_kind_names[i], s) == 0)
            return i;
    return -1;
}

static char *fix_dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void fix_add(struct fix_list *list, enum fix_kind kind, const char *text, const char *command,
             const char *record, const char *file, const char *line)
{
    XGROW(list->items, list->cap, list->n + 1);
    struct fix *f = &list->items[list->n++];
    f->kind = kind;
    f->text = xstrdup(text);
    f->command = fix_dup(command);
    f->record = fix_dup(record);
    f->file = fix_dup(file);
    f->line = fix_dup(line);
    f->provider = f->panel = f->how_command = f->how_note = NULL;
    f->forward_first = f->how_unverified = false;
}

void fix_add_copy(struct fix_list *list, const struct fix *x)
{
    fix_add(list, x->kind, x->text, x->command, x->record, x->file, x->line);
    struct fix *f = &list->items[list->n - 1];
    f->provider = fix_dup(x->provider);
    f->panel = fix_dup(x->panel);
    f->how_command = fix_dup(x->how_command);
    f->how_note = fix_dup(x->how_note);
    f->forward_first = x->forward_first;
    f->how_unverified = x->how_unverified;
}

void fix_list_free(struct fix_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        struct fix *f = &list->items[i];
        free(f->text);
        free(f->command);
        free(f->record);
        free(f->file);
        free(f->line);
        free(f->provider);
        free(f->panel);
        free(f->how_command);
        free(f->how_note);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

void fix_note(struct fix_list *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    fix_add(out, FIX_NOTE, text, NULL, NULL, NULL, NULL);
    free(text);
}

char *fix_shell_quote(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addc(&sb, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strbuf_adds(&sb, "'\\''");
        else
            strbuf_addc(&sb, *p);
    }
    strbuf_addc(&sb, '\'');
    return strbuf_detach(&sb);
}

/* fix_shell_word - s unquoted when it holds only characters no shell treats
 * specially, else single-quoted: "/etc/postfix" stays readable. */
static char *fix_shell_word(const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._+,:@%-") == strlen(s))
        return xstrdup(s);
    return fix_shell_quote(s);
}

/* fix_token_ok - a master.cf service name or type that can go between the
 * single quotes of a postconf -P argument. */
static bool fix_token_ok(const char *s)
{
    return s && *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == strlen(s);
}

static bool fix_name_ok(const char *name)
{
    return hostname_is_fqdn(name) && !hostname_is_local(name);
}

/* fix_replace - s with every `from` replaced by `to`; newly allocated. */
static char *fix_replace(const char *s, const char *from, const char *to)
{
    struct strbuf sb = STRBUF_INIT;
    size_t n = strlen(from);
    for (const char *p = s; *p;) {
        if (strncmp(p, from, n) == 0) {
            strbuf_adds(&sb, to);
            p += n;
        } else {
            strbuf_addc(&sb, *p++);
        }
    }
    return strbuf_detach(&sb);
}

void fix_ptr_record(struct fix_list *out, const char *address, const char *name)
{
    char *rev = revname_of(address);
    if (!rev) {
        char *e = hostname_escape(address);
        fix_note(out, "the source address '%s' is not a valid address; no PTR record can be suggested", e);
        free(e);
        return;
    }
    if (!fix_name_ok(name)) {
        fix_note(out, "ask the owner of %s (your hosting or access provider) to set its PTR to your mail "
                      "host's fully qualified name (for example mail.YOUR-DOMAIN), and use that name in EHLO",
                 address);
        free(rev);
        return;
    }
    char *plain = hostname_normal(name);
    char *text = xasprintf("ask the owner of %s (your hosting or access provider) to set its PTR to %s",
                           address, plain);
    char *record = xasprintf("%s. IN PTR %s.", rev, plain);
    fix_add(out, FIX_PROVIDER_PTR, text, NULL, record, NULL, NULL);
    free(text);
    free(record);
    free(plain);
    free(rev);
}

/* fix_owner_words - who to ask, for an unknown provider: the zone and its
 * SOA contact when known. */
static char *fix_owner_words(const struct fix_ptr_owner *owner)
{
    char *mail = owner ? provider_rname_mailbox(owner->rname) : NULL;
    char *zone = owner && owner->zone ? hostname_escape(owner->zone) : NULL;
    char *w = zone && mail ? xasprintf("your hosting or access provider; its reverse zone %s names %s as the contact",
                                       zone, mail)
        : zone            ? xasprintf("your hosting or access provider, which runs the reverse zone %s", zone)
                          : xstrdup("your hosting or access provider");
    free(mail);
    free(zone);
    return w;
}

void fix_ptr_record_owner(struct fix_list *out, const char *address, const char *name,
                          const struct fix_ptr_owner *owner)
{
    const struct provider *p = owner ? owner->provider : NULL;
    char *rev = revname_of(address);
    if (!rev || (!p && !(owner && owner->zone))) {
        free(rev);
        fix_ptr_record(out, address, name);
        return;
    }
    bool named = fix_name_ok(name);
    char *plain = named ? hostname_normal(name) : NULL;
    char *who = p ? xasprintf("%s%s", p->name, owner->verified ? "" : " (probably: recognised from a pattern not "
                                                                      "verified)")
                  : fix_owner_words(owner);
    char *from = owner->evidence && p ? xasprintf(", recognised from %s", owner->evidence) : xstrdup("");
    char *subject = p ? xasprintf("%s, the owner of %s%s,", who, address, from)
                      : xasprintf("the owner of %s (%s)", address, who);
    char *text = named ? xasprintf("ask %s to set its PTR to %s", subject, plain)
                       : xasprintf("ask %s to set its PTR to your mail host's fully qualified name (for example "
                                   "mail.YOUR-DOMAIN), and use that name in EHLO",
                                   subject);
    free(subject);
    char *record = named ? xasprintf("%s. IN PTR %s.", rev, plain) : NULL;
    fix_add(out, FIX_PROVIDER_PTR, text, NULL, record, NULL, NULL);
    struct fix *f = &out->items[out->n - 1];
    if (p) {
        f->provider = xstrdup(p->key);
        /* Placeholders stay when the name is not known yet: NAME. */
        const char *want = named ? plain : "ptr-name.placeholder.example";
        f->panel = provider_fill(p->panel, address, want);
        f->how_command = provider_fill(p->command, address, want);
        if (!named) {
            char *fixp = f->panel, *fixc = f->how_command;
            f->panel = fixp ? fix_replace(fixp, "ptr-name.placeholder.example", "NAME") : NULL;
            f->how_command = fixc ? fix_replace(fixc, "ptr-name.placeholder.example", "NAME") : NULL;
            free(fixp);
            free(fixc);
        }
        f->forward_first = p->forward_first;
        struct strbuf note = STRBUF_INIT;
        if (p->delay)
            strbuf_addf(&note, "typically live after %s", p->delay);
        if (hostname_address_family(address) == AF_INET6 && p->ipv6)
            strbuf_addf(&note, "%sIPv6: %s", note.len ? "; " : "", p->ipv6);
        if (p->note)
            strbuf_addf(&note, "%s%s", note.len ? "; " : "", p->note);
        f->how_note = note.len ? strbuf_detach(&note) : NULL;
        strbuf_release(&note);
        f->how_unverified = (p->panel && p->panel_unverified) || (p->command && p->command_unverified);
    }
    free(text);
    free(record);
    free(from);
    free(who);
    free(plain);
    free(rev);
}

void fix_forward_record_first(struct fix_list *out, const char *name, const char *address, const char *provider)
{
    int af = hostname_address_family(address);
    if (!af || !fix_name_ok(name)) {
        fix_forward_record(out, name, address);
        return;
    }
    char *plain = hostname_normal(name);
    const char *type = af == AF_INET6 ? "AAAA" : "A";
    char *text = xasprintf("first add the %s record of %s to its zone: %s accepts the PTR only once the name "
                           "resolves to %s",
                           type, plain, provider, address);
    char *record = xasprintf("%s. IN %s %s", plain, type, address);
    fix_add(out, FIX_DNS_RECORD, text, NULL, record, NULL, NULL);
    free(text);
    free(record);
    free(plain);
}

void fix_forward_record(struct fix_list *out, const char *name, const char *address)
{
    int af = hostname_address_family(address);
    if (!af || !fix_name_ok(name)) {
        char *en = hostname_escape(name), *ea = hostname_escape(address);
        fix_note(out, "give the host a fully qualified name whose %s record is %s", af == AF_INET6 ? "AAAA" : "A", ea);
        free(en);
        free(ea);
        return;
    }
    char *plain = hostname_normal(name);
    const char *type = af == AF_INET6 ? "AAAA" : "A";
    char *text = xasprintf("add the %s record of %s to its zone", type, plain);
    char *record = xasprintf("%s. IN %s %s", plain, type, address);
    fix_add(out, FIX_DNS_RECORD, text, NULL, record, NULL, NULL);
    free(text);
    free(record);
    free(plain);
}

/* fix_postconf - a postconf command for the identity's directory: main.cf
 * (-e 'param = value') or, when per_service, its master.cf service
 * (-P 'service/type/param=value'). value must already be validated. */
static void fix_postconf(struct fix_list *out, const struct model_identity *id, bool per_service,
                         const char *param, const char *value, const char *text)
{
    if (!id->config || (per_service && (!fix_token_ok(id->transport) || !fix_token_ok(id->service_type)))) {
        fix_note(out, "%s: set %s = %s%s", text, param, value,
                 per_service ? " as a -o override of this transport in master.cf" : " in main.cf");
        return;
    }
    char *dir = fix_shell_word(id->config);
    char *cmd = per_service
        ? xasprintf("postconf -c %s -P '%s/%s/%s=%s'", dir, id->transport, id->service_type, param, value)
        : xasprintf("postconf -c %s -e '%s = %s'", dir, param, value);
    char *full = xasprintf("%s, then run 'postfix reload'", text);
    fix_add(out, FIX_POSTCONF, full, cmd, NULL, NULL, NULL);
    free(full);
    free(cmd);
    free(dir);
}

static bool fix_origin_is_override(const struct model_origin *origin)
{
    return origin->kind == MODEL_ORIGIN_OVERRIDE;
}

/* fix_exim_macro_file - where a Debian admin defines macros and main
 * options: read before the generated macros, so it wins (.ifndef). */
static char *fix_exim_macro_file(const struct fix_exim_layout *exim)
{
    return exim->debian_split ? xasprintf("%s/conf.d/main/000_localmacros", exim->debian_dir)
                              : xasprintf("%s/exim4.conf.localmacros", exim->debian_dir);
}

static bool fix_exim_debian(const struct fix_exim_layout *exim)
{
    return exim && exim->debian_dir && *exim->debian_dir;
}

/* fix_exim_transport_line - add "line" to the identity's transport. */
static void fix_exim_transport_line(struct fix_list *out, const struct model_identity *id,
                                    const struct fix_exim_layout *exim, const char *line, const char *what)
{
    char *file;
    char *et = hostname_escape(id->transport);
    if (fix_exim_debian(exim))
        file = exim->debian_split ? xasprintf("%s/conf.d/transport/", exim->debian_dir)
                                  : xasprintf("%s/exim4.conf.template", exim->debian_dir);
    else
        file = xstrdup(id->config ? id->config : "the Exim configuration");
    /* Exim wants a transport's private options after its driver line, and
     * refuses an option set twice. */
    size_t optlen = strcspn(line, " =");
    char *opt = xstrndup(line, optlen);
    char *text = fix_exim_debian(exim)
        ? xasprintf("%s: add the line to the transport '%s' after its 'driver = smtp' line (in the file that "
                    "defines it; replace an existing %s line), then run update-exim4.conf and restart exim4",
                    what, et, opt)
        : xasprintf("%s: add the line to the transport '%s' after its 'driver = smtp' line (replace an existing "
                    "%s line), then restart exim",
                    what, et, opt);
    free(opt);
    fix_add(out, FIX_EXIM_CONFIG, text, NULL, NULL, file, line);
    free(text);
    free(file);
    free(et);
}

static void fix_exim_main_line(struct fix_list *out, const struct model_identity *id,
                               const struct fix_exim_layout *exim, const char *line, const char *what)
{
    char *file, *text;
    if (fix_exim_debian(exim)) {
        file = fix_exim_macro_file(exim);
        text = xasprintf("%s: add the line to %s, then run update-exim4.conf and restart exim4", what, file);
    } else {
        size_t optlen = strcspn(line, " =");
        char *opt = xstrndup(line, optlen);
        file = xstrdup(id->config ? id->config : "the Exim configuration");
        text = xasprintf("%s: add the line to the main section, before the first 'begin' line (replace an "
                         "existing %s line), then restart exim",
                         what, opt);
        free(opt);
    }
    fix_add(out, FIX_EXIM_CONFIG, text, NULL, NULL, file, line);
    free(text);
    free(file);
}

void fix_set_helo(struct fix_list *out, const struct model_identity *id, const char *name,
                  size_t main_cf_users, const struct fix_exim_layout *exim)
{
    if (!fix_name_ok(name)) {
        fix_note(out, "announce a fully qualified name of this host in EHLO (for example mail.YOUR-DOMAIN)");
        return;
    }
    char *plain = hostname_normal(name);
    char *what = xasprintf("announce %s in EHLO", plain);
    if (id->mta == MODEL_POSTFIX) {
        /* The text names the scope, as the two commands look alike but one
         * moves every transport that reads main.cf. */
        bool override = fix_origin_is_override(&id->helo_origin);
        bool per_service = override || main_cf_users == 0;
        char *scoped = override ? xasprintf("%s from this transport (its own -o setting in master.cf)", what)
            : per_service ? xasprintf("%s from this transport only (the other transports keep main.cf's name)", what)
            : main_cf_users > 1
            ? xasprintf("%s from all %zu transports that take their EHLO name from main.cf (each of them needs it)",
                        what, main_cf_users)
            : xasprintf("%s (main.cf's smtp_helo_name, which only this transport uses)", what);
        fix_postconf(out, id, per_service, "smtp_helo_name", plain, scoped);
        free(scoped);
    } else if (fix_exim_debian(exim)
               && id->transport
               && (strcmp(id->transport, "remote_smtp") == 0 || strcmp(id->transport, "remote_smtp_smarthost") == 0)) {
        /* Debian's remote transports take helo_data from this macro; a
         * default EHLO name is primary_hostname, which has its own macro. */
        enum model_origin_kind hk = id->helo_origin.kind;
        bool from_default = hk == MODEL_ORIGIN_NONE || hk == MODEL_ORIGIN_DEFAULT;
        char *line = from_default ? xasprintf("MAIN_HARDCODE_PRIMARY_HOSTNAME = %s", plain)
                                  : xasprintf("REMOTE_SMTP_HELO_DATA = %s", plain);
        fix_exim_main_line(out, id, exim, line, what);
        free(line);
        /* Debian's transport macros redefine REMOTE_SMTP_HELO_DATA (==) when
         * REMOTE_SMTP_HELO_FROM_DNS is set. */
        if (id->helo_dynamic && id->helo_expression && strstr(id->helo_expression, "sending_ip_address"))
            fix_note(out, "also remove the REMOTE_SMTP_HELO_FROM_DNS definition: it replaces "
                          "REMOTE_SMTP_HELO_DATA with a PTR lookup of the sending address");
    } else {
        char *line = xasprintf("helo_data = %s", plain);
        fix_exim_transport_line(out, id, exim, line, what);
        free(line);
    }
    free(what);
    free(plain);
}

void fix_set_myhostname(struct fix_list *out, const struct model_identity *id, const char *name,
                        size_t main_cf_users, const struct fix_exim_layout *exim)
{
    if (id->mta != MODEL_POSTFIX || !id->helo_from_myhostname || main_cf_users == 0 || !fix_name_ok(name)
        || fix_origin_is_override(&id->helo_origin)) {
        fix_set_helo(out, id, name, main_cf_users, exim);
        return;
    }
    char *plain = hostname_normal(name);
    char *what = xasprintf("give Postfix its fully qualified name %s: myhostname is what EHLO announces "
                           "(smtp_helo_name defaults to it)%s, and the SMTP banner and local sender addresses "
                           "use it too",
                           plain, main_cf_users > 1 ? " on every transport that reads main.cf" : "");
    fix_postconf(out, id, false, "myhostname", plain, what);
    free(what);
    free(plain);
}

void fix_ipv4_only(struct fix_list *out, const struct model_identity *id, const struct fix_exim_layout *exim)
{
    if (id->mta == MODEL_POSTFIX) {
        fix_postconf(out, id, true, "inet_protocols", "ipv4",
                     "until the IPv6 PTR is in place, deliver over IPv4 only on this transport");
        return;
    }
    fix_exim_main_line(out, id, exim, "dns_ipv4_lookup = *",
                       "until the IPv6 PTR is in place, stop using AAAA records for delivery (this applies "
                       "to every transport of this Exim; destinations reachable only over IPv6 become "
                       "undeliverable)");
    fix_note(out, "the stronger alternative 'disable_ipv6 = true' also stops Exim from listening on IPv6 "
                  "and ignores IPv6 addresses everywhere in its configuration; prefer dns_ipv4_lookup = * "
                  "unless the host should not use IPv6 at all");
}

void fix_bind_address(struct fix_list *out, const struct model_identity *id, enum model_family family,
                      const char *address, int postfix_37, const struct fix_exim_layout *exim)
{
    int want = family == MODEL_IPV6 ? AF_INET6 : AF_INET;
    bool ok = address && hostname_address_family(address) == want;
    const struct model_bind *b = &id->bind[family];
    if (id->mta == MODEL_POSTFIX) {
        if (b->how == MODEL_BIND_INET_INTERFACES) {
            fix_note(out, "inet_interfaces names an address this host does not have, and Postfix refuses to "
                          "start with it; list only local addresses there, or set it to all");
            return;
        }
        const char *param = family == MODEL_IPV6 ? "smtp_bind_address6" : "smtp_bind_address";
        if (ok) {
            char *what = xasprintf("send from %s, an address of this host", address);
            fix_postconf(out, id, fix_origin_is_override(&b->origin), param, address, what);
            free(what);
        } else {
            fix_note(out, "set %s to an address this host has (ip -brief address lists them), or remove the "
                          "setting to let the kernel choose", param);
        }
        if (!id->bind_enforce) {
            if (postfix_37 == 1)
                fix_postconf(out, id, false, "smtp_bind_address_enforce", "yes",
                             "defer mail instead of sending it from another address when the bind fails");
            else if (postfix_37 < 0)
                fix_note(out, "with Postfix 3.7 or newer also set smtp_bind_address_enforce = yes, so that a "
                              "failing bind defers mail instead of sending it from another address");
        }
        return;
    }
    if (!ok) {
        fix_note(out, "set the transport's interface option to an address this host has (ip -brief address "
                      "lists them), or remove it to let the kernel choose");
        return;
    }
    /* Exim's interface is a list; keep the other family's configured bind. */
    const struct model_bind *other = &id->bind[family == MODEL_IPV6 ? MODEL_IPV4 : MODEL_IPV6];
    bool keep = other->how == MODEL_BIND_PARAM && other->address
        && hostname_address_family(other->address) == (family == MODEL_IPV6 ? AF_INET : AF_INET6);
    char *list = keep ? xasprintf("<; %s ; %s", address, other->address)
                      : (want == AF_INET6 ? xasprintf("<; %s", address) : xstrdup(address));
    char *what = xasprintf("send from %s, an address of this host", address);
    if (fix_exim_debian(exim) && id->transport && strcmp(id->transport, "remote_smtp") == 0) {
        char *line = xasprintf("REMOTE_SMTP_INTERFACE = %s", list);
        fix_exim_main_line(out, id, exim, line, what);
        free(line);
    } else {
        char *line = xasprintf("interface = %s", list);
        fix_exim_transport_line(out, id, exim, line, what);
        free(line);
    }
    free(what);
    free(list);
}

void fix_no_tempaddr(struct fix_list *out, const char *ifname)
{
    if (!fix_token_ok(ifname)) {
        fix_note(out, "turn off temporary IPv6 addresses on the outgoing interface "
                      "(net.ipv6.conf.INTERFACE.use_tempaddr = 0), or bind the transport to the stable address");
        return;
    }
    /* sysctl separates with dots; an interface name with a dot (VLAN) needs
     * the slash form. */
    char *cmd = strchr(ifname, '.') ? xasprintf("sysctl -w net/ipv6/conf/%s/use_tempaddr=0", ifname)
                                    : xasprintf("sysctl -w net.ipv6.conf.%s.use_tempaddr=0", ifname);
    char *text = xasprintf("stop choosing temporary addresses on %s (make it permanent in /etc/sysctl.d/; "
                           "existing temporary addresses remain until they expire, or remove them with "
                           "'ip -6 address flush dev %s temporary')", ifname, ifname);
    fix_add(out, FIX_SYSCTL, text, cmd, NULL, NULL, NULL);
    free(text);
    free(cmd);
}

/* --- inbound ----------------------------------------------------------------- */

/* fix_banner_rest_ok - the banner text after its host name can go inside the
 * single quotes of a postconf argument or an Exim line as it is. */
static bool fix_banner_rest_ok(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 $(){}/._:,;!?#+=@%-") == strlen(s);
}

/* fix_banner_rest - what follows the first word of raw, with its leading
 * blanks (" ESMTP $mail_name"); "" when nothing follows. */
static const char *fix_banner_rest(const char *raw)
{
    const char *p = raw ? raw : "";
    p += strspn(p, " \t");
    p += strcspn(p, " \t");
    return p;
}

void fix_set_banner_host(struct fix_list *out, const struct listener *l, const char *name,
                         const struct fix_exim_layout *exim)
{
    if (!fix_name_ok(name)) {
        fix_note(out, "start the SMTP banner with this host's fully qualified name (for example mail.YOUR-DOMAIN), "
                      "the name its MX record and PTR give");
        return;
    }
    const struct listener_banner *b = &l->banner;
    char *plain = hostname_normal(name);
    const char *rest = fix_banner_rest(b->raw);
    struct model_identity tmp;
    memset(&tmp, 0, sizeof(tmp));
    tmp.mta = l->mta;
    tmp.config = l->config;
    if (l->mta == MODEL_POSTFIX) {
        char *what = xasprintf("announce %s in the SMTP banner", plain);
        bool override = b->origin.kind == MODEL_ORIGIN_OVERRIDE;
        bool host_override = b->host_param && strcmp(b->host_param, "myhostname") == 0
            && b->host_origin.kind == MODEL_ORIGIN_OVERRIDE;
        /* The service whose -o carries the setting: postscreen's pass service. */
        char *svc = l->pass_service ? xstrdup(l->pass_service) : xasprintf("%s/inet", l->service ? l->service : "");
        char *slash = strrchr(svc, '/');
        char inet[] = "inet";
        if (slash)
            *slash = '\0';
        tmp.transport = svc;
        tmp.service_type = slash ? slash + 1 : inet;
        if (host_override && !override) {
            /* postconf -P refuses whitespace; a host name has none. */
            fix_postconf(out, &tmp, true, "myhostname", plain, what);
        } else if (!fix_banner_rest_ok(rest) || !l->config) {
            fix_note(out, "%s: set smtpd_banner = %s ESMTP $mail_name in main.cf, then run 'postfix reload'", what,
                     plain);
        } else {
            if (override && fix_token_ok(tmp.transport) && fix_token_ok(tmp.service_type)) {
                char *dir = fix_shell_word(l->config);
                char *cmd = xasprintf("postconf -c %s -PX '%s/%s/smtpd_banner'", dir, tmp.transport, tmp.service_type);
                fix_add(out, FIX_POSTCONF,
                        "remove the service's own smtpd_banner override (postconf -P does not accept a value with "
                        "spaces), so that it uses main.cf's",
                        cmd, NULL, NULL, NULL);
                free(cmd);
                free(dir);
            }
            char *value = xasprintf("%s%s", plain, rest);
            fix_postconf(out, &tmp, false, "smtpd_banner", value, what);
            free(value);
        }
        free(what);
        free(svc);
    } else {
        char *what = xasprintf("announce %s in the SMTP banner", plain);
        const char *first = b->raw ? b->raw + strspn(b->raw, " \t") : "";
        bool via_active = strncmp(first, "$smtp_active_hostname", 21) == 0
            || strncmp(first, "${smtp_active_hostname}", 23) == 0 || strncmp(first, "$primary_hostname", 17) == 0
            || strncmp(first, "${primary_hostname}", 19) == 0;
        if (via_active) {
            char *line = xasprintf("smtp_active_hostname = %s", plain);
            fix_exim_main_line(out, &tmp, exim, line, what);
            free(line);
        } else if (fix_banner_rest_ok(rest)) {
            char *line = xasprintf("smtp_banner = %s%s", plain, rest);
            fix_exim_main_line(out, &tmp, exim, line, what);
            free(line);
        } else {
            fix_note(out, "%s: start smtp_banner with %s", what, plain);
        }
        free(what);
    }
    free(plain);
}

void fix_set_teaser_host(struct fix_list *out, const struct listener *l, const char *name)
{
    if (!fix_name_ok(name)) {
        fix_note(out, "start postscreen_greet_banner (postscreen's first line) with this host's fully qualified "
                      "name, or remove it so that it follows smtpd_banner");
        return;
    }
    const struct listener_banner *t = &l->teaser, *b = &l->banner;
    char *plain = hostname_normal(name);
    char *dir = l->config ? fix_shell_word(l->config) : NULL;
    char *svc = xstrdup(l->service ? l->service : "");
    bool override = t->origin.kind == MODEL_ORIGIN_OVERRIDE;
    bool in_main = t->origin.kind == MODEL_ORIGIN_FILE;
    /* Its default is $smtpd_banner: when main.cf's smtpd_banner already
     * announces name (the final line is main.cf's, not a service's -o),
     * removing the setting is the whole fix. */
    bool follows = (override || in_main) && b->origin.kind != MODEL_ORIGIN_OVERRIDE
        && b->host_origin.kind != MODEL_ORIGIN_OVERRIDE && b->hostname && hostname_equal(b->hostname, plain);
    bool remove_ok = dir && (!override || fix_token_ok(svc));
    if (override && remove_ok) {
        char *cmd = xasprintf("postconf -c %s -PX '%s/inet/postscreen_greet_banner'", dir, svc);
        fix_add(out, FIX_POSTCONF,
                follows ? "remove postscreen's own postscreen_greet_banner override, so that its first line is "
                          "$smtpd_banner (the default), which announces the same name, then run 'postfix reload'"
                        : "remove postscreen's own postscreen_greet_banner override (postconf -P does not accept a "
                          "value with spaces), so that it uses main.cf's",
                cmd, NULL, NULL, NULL);
        free(cmd);
    } else if (follows && remove_ok) {
        char *cmd = xasprintf("postconf -c %s -X postscreen_greet_banner", dir);
        fix_add(out, FIX_POSTCONF,
                "remove postscreen_greet_banner from main.cf, so that postscreen's first line is $smtpd_banner (the "
                "default), which announces the same name, then run 'postfix reload'",
                cmd, NULL, NULL, NULL);
        free(cmd);
    }
    if (!follows || !remove_ok) {
        const char *rest = fix_banner_rest(t->raw);
        if (!*rest)
            rest = " ESMTP";
        char *what = xasprintf("announce %s in postscreen's first line", plain);
        if (!dir || !fix_banner_rest_ok(rest)) {
            fix_note(out, "%s: set postscreen_greet_banner = %s%s in main.cf, then run 'postfix reload'", what, plain,
                     fix_banner_rest_ok(rest) ? rest : " ESMTP");
        } else {
            char *cmd = xasprintf("postconf -c %s -e 'postscreen_greet_banner = %s%s'", dir, plain, rest);
            char *text = xasprintf("%s, then run 'postfix reload'", what);
            fix_add(out, FIX_POSTCONF, text, cmd, NULL, NULL, NULL);
            free(text);
            free(cmd);
        }
        free(what);
    }
    free(svc);
    free(dir);
    free(plain);
}

void fix_mx_record(struct fix_list *out, const char *domain, const char *target, bool replace_null)
{
    if (!fix_name_ok(domain) || !fix_name_ok(target)) {
        fix_note(out, "publish an MX record for the domain that names this host's fully qualified name");
        return;
    }
    char *d = hostname_normal(domain), *t = hostname_normal(target);
    char *text = replace_null
        ? xasprintf("replace the null MX (MX 0 .) of %s with an MX record naming %s, in the domain's zone", d, t)
        : xasprintf("publish an MX record for %s naming %s, in the domain's zone", d, t);
    char *record = xasprintf("%s. IN MX 10 %s.", d, t);
    fix_add(out, FIX_DNS_RECORD, text, NULL, record, NULL, NULL);
    free(text);
    free(record);
    free(d);
    free(t);
}
