/* model - the outbound identity model: one record per outbound SMTP path.
 *
 * Parsers fill it from the MTAs' configuration (they never resolve names),
 * probes and checks read it, reports print it. Every value keeps its origin
 * as a typed struct model_origin: code decides on its kind, never on its
 * text; model_origin_tostr() renders it for reports ("FILE:LINE",
 * "FILE:LINE (-o)", "default", "default (NOTE)", "command line").
 *
 * All strings are owned by the record and freed by model_set_free().
 */
#ifndef MP_MODEL_H
#define MP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/strlist.h"

enum model_mta { MODEL_POSTFIX, MODEL_EXIM };

/* Where a value comes from. */
enum model_origin_kind {
    MODEL_ORIGIN_NONE,         /* not known or not set: printed as nothing (JSON null) */
    MODEL_ORIGIN_FILE,         /* a line of main.cf, master.cf or an Exim file: "FILE:LINE",
                                  or "FILE" when the line is 0 */
    MODEL_ORIGIN_OVERRIDE,     /* a master.cf -o of a service: "FILE:LINE (-o)", the file
                                  being master.cf and the line the service's entry */
    MODEL_ORIGIN_DEFAULT,      /* a built-in default: "default", or "default (NOTE)" with
                                  note saying how it was derived */
    MODEL_ORIGIN_COMMAND_LINE, /* a value given to mta-preflight itself: "command line" */
};

struct model_origin {
    enum model_origin_kind kind;
    char *file;    /* FILE and OVERRIDE, else NULL */
    unsigned line; /* FILE and OVERRIDE; 0 when only the file is known */
    char *note;    /* DEFAULT: how the default was derived, or NULL */
};

#define MODEL_ORIGIN_INIT { MODEL_ORIGIN_NONE, NULL, 0, NULL }

enum model_family { MODEL_IPV4 = 0, MODEL_IPV6 = 1 };
#define MODEL_NFAMILIES 2
#define MODEL_FAMILY_BIT(f) (1u << (f))

/* Which family the MTA tries first when a destination has both. */
enum model_preference { MODEL_PREF_ANY, MODEL_PREF_IPV4, MODEL_PREF_IPV6 };

/* How configuration decides the source address of one family. */
enum model_bind_how {
    MODEL_BIND_NONE,            /* nothing configured: the kernel chooses */
    MODEL_BIND_PARAM,           /* smtp_bind_address(6), or Exim's interface */
    MODEL_BIND_INET_INTERFACES, /* Postfix: the single non-loopback inet_interfaces address */
    MODEL_BIND_WILDCARD,        /* explicitly 0.0.0.0 or ::: the kernel chooses */
    MODEL_BIND_DYNAMIC,         /* computed at delivery time (an Exim expansion) */
};

struct model_bind {
    enum model_bind_how how;
    char *address;    /* numeric address for PARAM and INET_INTERFACES, else NULL */
    struct model_origin origin; /* of the deciding setting; kind NONE for MODEL_BIND_NONE */
    char *expression; /* the raw text for DYNAMIC, else NULL */
};

struct model_identity {
    char *id;           /* postfix:DIR:SERVICE/TYPE or exim:FILE:TRANSPORT */
    enum model_mta mta;
    char *config;       /* Postfix configuration directory or Exim configuration file */
    char *transport;    /* master.cf service name or Exim transport name */
    char *service_type; /* master.cf service type ("unix"); NULL for Exim */

    char *helo_name;    /* NULL when dynamic and there is no static guess */
    struct model_origin helo_origin;
    bool helo_dynamic;
    char *helo_expression; /* raw text when dynamic, else NULL */
    bool helo_from_myhostname; /* Postfix: the EHLO name is $myhostname (smtp_helo_name's default) */

    struct model_bind bind[MODEL_NFAMILIES];
    bool bind_enforce;  /* Postfix smtp_bind_address_enforce; Exim always fails a bad bind */
    struct model_origin bind_enforce_origin;

    unsigned families;  /* MODEL_FAMILY_BIT() of each family the transport may use */
    struct model_origin families_origin;
    enum model_preference preference;
    struct model_origin preference_origin;

    char *relay;        /* smarthost as "[host]:port", "host", "host:port", or NULL for MX delivery */
    struct model_origin relay_origin;
    bool relay_mx;      /* the relay's name is looked up as MX first, its A/AAAA only when it
                           has none (Postfix without [ ] while DNS lookups are on, Exim /MX) */
    bool nexthop_varies; /* transport or sender maps may route some mail elsewhere */
    char *port;         /* the TCP port of a next hop that names none (MX delivery, a relay
                           without port), as written: Postfix smtp_tcp_port, Exim the smtp
                           transport's port; NULL when it is the default, smtp (25) */
    struct model_origin port_origin; /* kind NONE when port is NULL */

    char *delivery_user; /* the user the MTA's SMTP client runs as (Postfix mail_owner,
                            or root when master.cf's unpriv field is "n"; Exim the
                            transport's user or exim_user), or NULL when unknown;
                            policy routing by uid applies to it */
    struct model_origin delivery_user_origin; /* kind NONE when delivery_user is NULL */

    char *mailname;     /* a fully qualified name of this host that the MTA reads from
                           Debian's /etc/mailname (Postfix: myorigin = /etc/mailname;
                           Exim: update-exim4.conf), syntax checked, never resolved;
                           NULL when the MTA reads none or it is not such a name */
    struct model_origin mailname_origin; /* the file it was read from, line 1 */

    struct strlist notes; /* facts an admin should read, in plain English */
};

/* One configuration that was read, for the report's header. */
struct model_config {
    enum model_mta mta;
    char *path;  /* directory (Postfix) or file (Exim) */
    char *how;   /* how it was found: "--postfix-dir", "default location", ... */
    char *debian_dir;  /* Exim: the Debian exim4 directory the file is built from, or NULL */
    bool debian_split; /* Exim: that Debian layout uses split conf.d files */
};

struct model_set {
    struct model_identity *items;
    size_t n, cap;
    struct model_config *configs;
    size_t nconfigs, configs_cap;
};

#define MODEL_SET_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Facts about the host that the MTAs' own defaults depend on. */
struct model_host {
    const char *hostname;      /* what gethostname()/uname() return, or --system-hostname */
    const char *mailname_path; /* where this host's /etc/mailname is; NULL: /etc/mailname.
                                  A configuration that names /etc/mailname reads this file */
};

/* model_identity_add - append a zeroed identity and return it. The pointer is
 * valid until the next call that adds to the set. */
struct model_identity *model_identity_add(struct model_set *set, enum model_mta mta);
void model_config_add(struct model_set *set, enum model_mta mta, const char *path, const char *how);
/* model_origin_file, _override, _default - set *o to an origin of that kind
 * (copies of the strings; note may be NULL), releasing what *o held. A
 * COMMAND_LINE origin has no strings: set its kind after model_origin_free. */
void model_origin_file(struct model_origin *o, const char *file, unsigned line);
void model_origin_override(struct model_origin *o, const char *mastercf, unsigned line);
void model_origin_default(struct model_origin *o, const char *note);
/* model_origin_copy - set *dst to a deep copy of *src (src may be kind NONE). */
void model_origin_copy(struct model_origin *dst, const struct model_origin *src);
/* model_origin_free - release the strings and set *o back to kind NONE. */
void model_origin_free(struct model_origin *o);
/* model_origin_tostr - the report form (see the top of this file), newly
 * allocated; NULL for kind NONE. */
char *model_origin_tostr(const struct model_origin *o);

/* model_host_path - the file to read for path as a configuration names it:
 * this host's mailname_path for "/etc/mailname" (when host sets one), else
 * path itself. */
const char *model_host_path(const struct model_host *host, const char *path);

/* model_set_str - set *field to a copy of value (NULL allowed), freeing the old one. */
void model_set_str(char **field, const char *value);
void model_set_free(struct model_set *set);

const char *model_mta_tostr(enum model_mta mta);
const char *model_family_tostr(enum model_family family);   /* "ipv4", "ipv6" */
const char *model_preference_tostr(enum model_preference pref); /* "any", "ipv4", "ipv6" */
const char *model_bind_how_tostr(enum model_bind_how how);
/* model_family_of_address - MODEL_IPV4 or MODEL_IPV6 for a numeric address,
 * -1 for anything else (the one address-family test everyone uses). */
int model_family_of_address(const char *address);
/* model_*_fromstr - parse the tostr form; -1 when unknown. */
int model_family_fromstr(const char *s);
int model_preference_fromstr(const char *s);

#endif
