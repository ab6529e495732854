/* listener - the inbound model: where this host receives mail over SMTP,
 * what it says first (the 220 greeting) and the domains it receives mail
 * for.
 *
 * Parsers fill it from the MTAs' configuration (parsers/pf_inbound.h,
 * parsers/exim_inbound.h); they never resolve names. Probes look up the
 * domains' MX records and the listening addresses' PTR records, checks
 * compare the banner's host name with them. It is the receiving side's
 * counterpart of model.h: outbound is EHLO versus the PTR of the source
 * address, inbound is the banner versus the PTR of the address an MX
 * points at.
 *
 * One struct listener per listening service: a Postfix master.cf "inet"
 * service whose command is smtpd or postscreen, or one port of the Exim
 * daemon. Listeners on other ports than 25 (submission, smtps, a content
 * filter's reinjection port) are kept with mx false: receivers' MX traffic
 * arrives only on port 25.
 *
 * Invariants:
 *  - ids are unique in a set: "postfix:DIR:SERVICE/inet",
 *    "exim:FILE:daemon" for the Exim daemon's port 25 and
 *    "exim:FILE:daemon:PORT" for its other ports (the name as written when
 *    the port of a service name is not known);
 *  - addresses holds numeric addresses only, without duplicates, each of a
 *    family in families; a family in all_families is listened on at every
 *    local address of that family (the wildcard) and contributes nothing
 *    to addresses; host names that stand for addresses are in names;
 *  - a banner's hostname is the first word of its text (or, when the rest
 *    is dynamic, of the text's static beginning); it is NULL when unknown;
 *  - domains are lowercase, without a trailing dot, unique in the set, and
 *    at most LISTENER_MAX_DOMAINS; localhost forms and the host's own name
 *    are never among them.
 * All strings are owned by the set and freed by listener_set_free().
 */
#ifndef MP_LISTENER_H
#define MP_LISTENER_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/model.h"
#include "auditor/foundation/strlist.h"

/* The most domains a set holds; more are counted in domains_dropped. */
#define LISTENER_MAX_DOMAINS 20

/* The port receivers deliver MX traffic to. */
#define LISTENER_MX_PORT 25

/* One greeting: what follows "220 " (or "220-" for postscreen's teaser). */
struct listener_banner {
    bool present;       /* false: there is no such greeting (postscreen's teaser disabled, or not postscreen) */
    char *raw;          /* the setting's text as written, or its default, before expansion */
    struct model_origin origin; /* where raw is set (smtpd_banner, postscreen_greet_banner, smtp_banner) */
    char *text;         /* as the MTA sends it, expanded; NULL when dynamic. Exim: $version_number
                           and the $tod_ time variables stay as written (they change, the host
                           name does not). May hold newlines (an Exim multi-line banner). */
    char *hostname;     /* the first word of text; NULL when text is empty or the first word is dynamic */
    bool dynamic;       /* part of the text is decided per connection (an Exim expansion) */
    char *host_param;   /* the parameter whose value carries the host name: "myhostname",
                           "smtpd_banner", "smtp_active_hostname", "primary_hostname", ...;
                           the one a fix changes */
    struct model_origin host_origin; /* where host_param is set (a default with a note when unset) */
    char *host_expression; /* dynamic host name: the raw expression that yields it, else NULL */
    bool host_from_ptr; /* dynamic host name: it is the PTR name of the local address the client
                           connected to (HestiaCP's smtp_active_hostname) */
    char *host_fallback; /* with host_from_ptr: the name used when that lookup fails, or NULL */
};

struct listener {
    char *id;
    enum model_mta mta;
    char *config;        /* Postfix configuration directory or Exim configuration file */
    char *service;       /* master.cf service field as written ("smtp", "127.0.0.1:smtp"), or "daemon" */
    char *command;       /* "smtpd", "postscreen" (Postfix) or "exim" */
    struct model_origin origin; /* the master.cf entry, or the Exim setting that makes this port */
    unsigned port;       /* TCP port; 0 when its service name is unknown */
    char *port_name;     /* the port as written ("smtp", "25", "submission") */
    bool mx;             /* port 25: where receivers' MX traffic arrives */
    bool tls_on_connect; /* TLS starts before the greeting (smtps, Postfix smtpd_tls_wrappermode,
                            Exim tls_on_connect_ports): the banner is read inside TLS */
    unsigned families;   /* MODEL_FAMILY_BIT() of each family listened on */
    unsigned all_families; /* families listened on at every local address (wildcard) */
    struct strlist addresses; /* numeric addresses listened on, besides all_families */
    struct strlist names;     /* host names written instead of addresses; not resolved here */
    struct model_origin addresses_origin; /* service host part, inet_interfaces, local_interfaces or default */
    struct strlist proxy_addresses; /* Postfix proxy_interfaces: where mail arrives through a proxy or NAT */
    struct model_origin proxy_origin; /* kind NONE when proxy_addresses is empty */
    struct listener_banner banner; /* the final 220 line: smtpd's, or that of the service postscreen hands to */
    struct listener_banner teaser; /* postscreen: the 220- line sent first to new clients; else not present */
    char *pass_service;  /* postscreen: "NAME/pass" of the smtpd service it hands clients to, or NULL */
    struct model_origin pass_origin; /* where that service is defined */
    struct strlist notes; /* facts an admin should read, in plain English */
};

/* A domain this host receives mail for, from configuration. */
struct listener_domain {
    char *name;          /* lowercase, no trailing dot */
    enum model_mta mta;
    char *source;        /* "mydestination", "virtual_mailbox_domains", "virtual_alias_domains", "local_domains" */
    struct model_origin origin;
};

/* A lookup table or file in a domain list: noted, never read or resolved. */
struct listener_table {
    enum model_mta mta;
    char *source;        /* the list it is in, as for listener_domain */
    char *table;         /* as written: "hash:/etc/postfix/vdomains", "dsearch;/etc/exim4/domains/" */
    struct model_origin origin;
};

struct listener_set {
    struct listener *items;
    size_t n, cap;
    struct listener_domain *domains;
    size_t ndomains, domains_cap;
    size_t domains_dropped;  /* literal domains past LISTENER_MAX_DOMAINS */
    struct listener_table *tables;
    size_t ntables, tables_cap;
    struct strlist notes;    /* facts that belong to no listener: services turned off, patterns and
                                expansions in the domain lists, names left out */
};

#define LISTENER_SET_INIT { NULL, 0, 0, NULL, 0, 0, 0, NULL, 0, 0, STRLIST_INIT }

/* What listener_domain_add did with a name. */
enum listener_domain_result {
    LISTENER_DOMAIN_ADDED,
    LISTENER_DOMAIN_DUPLICATE, /* already in the set (from any list) */
    LISTENER_DOMAIN_LOCALHOST, /* "localhost" or a name under it */
    LISTENER_DOMAIN_OWN_NAME,  /* the host's own name (mail to it is delivered by its A/AAAA) */
    LISTENER_DOMAIN_PRIVATE,   /* under a suffix that is not in the public DNS (.local, .lan, ...) */
    LISTENER_DOMAIN_INVALID,   /* not a fully qualified domain name (hostname_is_fqdn() refuses it) */
    LISTENER_DOMAIN_DROPPED,   /* the set already holds LISTENER_MAX_DOMAINS */
};

/* listener_add - append a zeroed listener and return it. The pointer is
 * valid until the next call that adds to the set. */
struct listener *listener_add(struct listener_set *set, enum model_mta mta);

/* listener_find - the listener with this id, or NULL. */
const struct listener *listener_find(const struct listener_set *set, const char *id);

/* listener_address_add - add a numeric address to l (its family bit is set
 * in l->families); an address equal to one already there (same bytes) is
 * not added again. Returns false, adding nothing, when address is not a
 * numeric address. */
bool listener_address_add(struct listener *l, const char *address);

/* listener_banner_set_text - set b->text to a copy of text and b->hostname
 * to its first word (NULL when text has none); text may be NULL. */
void listener_banner_set_text(struct listener_banner *b, const char *text);

/* listener_first_word - a copy of the first run of characters that are
 * not blanks (space, tab, CR, LF) in text, or NULL when there is none. */
char *listener_first_word(const char *text);

/* listener_domain_add - add name (copied, normalised) unless the result
 * says why not. own_name is the host's own name (myhostname,
 * primary_hostname) or NULL. origin is copied. */
enum listener_domain_result listener_domain_add(struct listener_set *set, enum model_mta mta, const char *name,
                                                const char *source, const struct model_origin *origin,
                                                const char *own_name);

/* listener_table_add - note a lookup table or file of a domain list (once:
 * the same mta, source and table are not noted twice). */
void listener_table_add(struct listener_set *set, enum model_mta mta, const char *source, const char *table,
                        const struct model_origin *origin);

/* listener_port - the TCP port of a service field as Postfix and Exim
 * accept it: a number (1..65535, digits only), or a service name of
 * /etc/services that mail uses ("smtp" 25, "submission" 587, "smtps",
 * "submissions", "ssmtp" and "urd" 465, "lmtp" 24). Returns the port, or 0
 * when the name is not one of those or the number is out of range. */
unsigned listener_port(const char *name);

/* listener_domain_result_tostr - a word for each result ("added", "duplicate", ...). */
const char *listener_domain_result_tostr(enum listener_domain_result r);

void listener_banner_free(struct listener_banner *b);
void listener_set_free(struct listener_set *set);

#endif
