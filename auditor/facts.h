/* facts - what the probes observed, as the checks consume it.
 *
 * The orchestrator fills one struct facts from the route, interface and DNS
 * probes; the checks (check.h) read it together with the identity model and
 * never do I/O themselves, so every check is testable with hand-built facts.
 *
 * Sources: one record per (identity, family) that was probed. `address` is
 * the source the connection really leaves from (sources.h): the configured
 * bind address when it is local, the kernel's choice when nothing is bound
 * or when Postfix falls back from a bind that fails, NULL when a failing
 * bind leaves no usable source; the --source-ip value (how = given)
 * overrides them. `kernel_address` is what the kernel picks when the socket
 * is not bound. No route for the family (ENETUNREACH) is a fact:
 * route = false, address = NULL.
 *
 * Lookups: one record per DNS question (name, type), and per question
 * asked of one authoritative server directly (`direct`, --authoritative:
 * one record per (name, type, server)). Names are stored
 * lowercase without a trailing dot; PTR questions use the reverse name of
 * revname.h. Answers are kept sorted (strcmp) and deduplicated: A/AAAA
 * answers are numeric addresses, PTR answers host names as received, MX
 * answers "PREFERENCE NAME" ("0 ." for a null MX).
 *
 * Inbound: the listeners and domains of the configuration (listener.h),
 * when the inbound part is audited (NULL with --no-inbound), and the public
 * addresses of the host's interfaces a wildcard listener covers.
 *
 * All strings are owned by the facts and freed by facts_free(). The diag
 * list is borrowed (owned by the caller, must outlive the facts).
 */
#ifndef MP_FACTS_H
#define MP_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/scope.h"
#include "auditor/foundation/strlist.h"
#include "probes/smtp_greet.h"

enum facts_how { FACTS_HOW_BIND, FACTS_HOW_INET_INTERFACES, FACTS_HOW_ROUTE, FACTS_HOW_GIVEN };

enum facts_local { FACTS_LOCAL_UNKNOWN, FACTS_LOCAL_YES, FACTS_LOCAL_NO };

/* FACTS_NS is asked as the resolver canary (the root zone's NS, name
 * FACTS_CANARY_NAME) and for a reverse zone's name servers. FACTS_SOA is
 * asked of a source's reverse name (the zone it is in comes back in the
 * authority section). FACTS_MX is asked of the domains this host receives
 * mail for and of a relay that the MTA looks up by MX; its answers read
 * "PREFERENCE NAME" (facts_mx_parse). */
enum facts_rrtype { FACTS_PTR, FACTS_A, FACTS_AAAA, FACTS_NS, FACTS_SOA, FACTS_MX };
#define FACTS_CANARY_NAME "."

enum facts_status {
    FACTS_OK,
    FACTS_NXDOMAIN,
    FACTS_NODATA,
    FACTS_SERVFAIL,
    FACTS_REFUSED,
    FACTS_TIMEOUT,
    FACTS_ERROR,
};

struct facts_source {
    size_t identity;           /* index into model_set.items */
    enum model_family family;
    bool route;                /* a route for this family exists */
    char *address;             /* the source (see above); NULL without a route */
    enum facts_how how;
    char *interface;           /* output interface, or NULL */
    enum scope scope;    /* of address */
    bool temporary, deprecated, tentative; /* IPv6 address flags */
    enum facts_local bind_local; /* a configured bind address is local; UNKNOWN without one */
    char *kernel_address;      /* the kernel's own choice, or NULL */
    char *error;               /* what the route probe reported (e.g. "Network is unreachable") */
    char *configured_address;  /* the configured bind address when address is not it (the bind
                                  fails and the kernel chooses), else NULL */
    char *target;              /* the destination the route was asked for */
    unsigned port;             /* and its TCP port (25, or the relay's) */
    char *user;                /* the user the MTA delivers as (mail_owner, exim_user), or NULL */
    long uid;                  /* its uid as given to the route query, -1 when none */
};

struct facts_lookup {
    char *name;
    enum facts_rrtype type;
    enum facts_status status;
    struct strlist answers;   /* sorted, unique */
    unsigned ms;              /* time to the answer */
    char *server;             /* "ADDR:PORT" of the resolver whose answer this is, or NULL */
    char *detail;             /* for a failed status: what happened, naming the resolver(s)
                                 ("no answer within 2 s from 192.0.2.53:53", "SERVFAIL from ...",
                                 "referral from ...: not a recursive resolver"); else NULL */
    struct strlist invalid;   /* PTR: names in the answer that are not host names (escaped);
                                 the status is then ok and answers hold only the valid names */
    long ttl;                 /* seconds the answer may still be cached (from a resolver: what is
                                 left of it); negative answers: the SOA's negative TTL; -1 unknown */
    char *zone, *mname, *rname; /* the SOA the reply carried (SOA lookups; else also NULL) */
    unsigned long serial;     /* its serial */
    bool direct;              /* asked of the authoritative server `server` without recursion */
};

struct facts {
    struct facts_source *sources;
    size_t nsources, sources_cap;
    struct facts_lookup *lookups;
    size_t nlookups, lookups_cap;

    char *postfix_version;   /* "3.7.11", or NULL when unknown */
    char *helo_override;     /* --helo NAME, or NULL */
    const struct diag_list *diags; /* borrowed; NULL for none */
    bool mta_config_found;   /* some Postfix or Exim configuration was read */
    char *exim_debian_dir;   /* "/etc/exim4" when Exim's file is built by update-exim4.conf */
    bool exim_debian_split;  /* that layout uses conf.d (split) files */
    struct strlist resolvers; /* the resolvers asked, "ADDR:PORT", in order */
    unsigned host_families;  /* MODEL_FAMILY_BIT()s the host is audited with (--family); 0: all */
    long long run_started_ms;  /* when the run started, Unix time in ms; 0: unknown */
    long long run_duration_ms; /* how long it took up to the report; -1: unknown */
    bool authoritative;      /* --authoritative: ask the reverse zones' servers directly too */
    /* Inbound (owned; see above): */
    struct listener_set *inbound; /* NULL: the inbound part is not audited */
    struct strlist local_public;  /* public interface addresses, numeric */
    struct strlist given_sources; /* --source-ip: the public addresses of a host behind NAT */
    /* --connect: the greeting read from each listening address (owned) */
    bool connect_asked;
    struct smtp_greet *greetings;
    struct strlist greeting_listeners; /* the listener id of each greeting, in step */
    size_t ngreetings;
};

#define FACTS_INIT { NULL, 0, 0, NULL, 0, 0, NULL, NULL, NULL, false, NULL, false, STRLIST_INIT, 0, 0, -1, false, NULL, STRLIST_INIT, STRLIST_INIT, false, NULL, STRLIST_INIT, 0 }

/* facts_source_add - append a zeroed source for (identity, family) and return
 * it (valid until the next add). */
struct facts_source *facts_source_add(struct facts *facts, size_t identity, enum model_family family);
/* facts_source_find - the source of (identity, family), or NULL. */
const struct facts_source *facts_source_find(const struct facts *facts, size_t identity,
                                             enum model_family family);

/* facts_lookup_set - record the result of (name, type), replacing an earlier
 * record of the same question; answers are copied, sorted and deduplicated
 * (n may be 0). Returns the record (valid until the next set). */
struct facts_lookup *facts_lookup_set(struct facts *facts, const char *name, enum facts_rrtype type,
                                      enum facts_status status, const char *const *answers, size_t n,
                                      unsigned ms);
/* facts_lookup_find - the record of (name, type) (name compared
 * case-insensitively, one trailing dot ignored), or NULL. */
const struct facts_lookup *facts_lookup_find(const struct facts *facts, const char *name,
                                             enum facts_rrtype type);
/* facts_lookup_set_direct - the same for (name, type) asked of the
 * authoritative server `server` ("ADDR:PORT"); l->direct is true and
 * l->server is server. */
struct facts_lookup *facts_lookup_set_direct(struct facts *facts, const char *name, enum facts_rrtype type,
                                             const char *server, enum facts_status status,
                                             const char *const *answers, size_t n, unsigned ms);
/* facts_lookup_find_direct - the record of (name, type) asked of server, or
 * NULL. facts_lookup_find never returns a direct record. */
const struct facts_lookup *facts_lookup_find_direct(const struct facts *facts, const char *name,
                                                    enum facts_rrtype type, const char *server);
/* facts_lookups_drop - forget the direct lookups (direct_only), or every
 * lookup, so that the lookup plan asks them again. */
void facts_lookups_drop(struct facts *facts, bool direct_only);
/* facts_mx_parse - split an MX answer "PREFERENCE NAME" into its parts;
 * false when it is not of that form. *name points into answer. */
bool facts_mx_parse(const char *answer, unsigned *preference, const char **name);
/* facts_lookup_has_address - the lookup is ok and one answer is address. */
bool facts_lookup_has_address(const struct facts_lookup *lookup, const char *address);

/* facts_status_failed - the status says nothing about the name (timeout,
 * SERVFAIL, REFUSED, error): verdicts that need it are unknown. */
bool facts_status_failed(enum facts_status status);

/* facts_postfix_at_least - 1 when postfix_version is at least major.minor, 0
 * when older, -1 when unknown or unparsable. */
int facts_postfix_at_least(const struct facts *facts, int major, int minor);

const char *facts_how_tostr(enum facts_how how);       /* "bind", "inet_interfaces", "route", "given" */
const char *facts_rrtype_tostr(enum facts_rrtype type); /* "PTR", "A", "AAAA", "NS", "SOA" */
const char *facts_status_tostr(enum facts_status status); /* "ok", "nxdomain", ... */
/* *_fromstr - -1 when unknown. */
int facts_how_fromstr(const char *s);
int facts_rrtype_fromstr(const char *s);
int facts_status_fromstr(const char *s);

void facts_free(struct facts *facts);

#endif
