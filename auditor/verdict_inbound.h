/* verdict_inbound - the receiving side's judgements, computed once, as data:
 * the banner of each MX listener (port 25) against the PTR of the addresses
 * it receives mail on, and each domain's MX against this host.
 *
 * Kept apart from the outbound verdicts (verdict.h): outbound is EHLO versus
 * the source address's PTR, inbound is the 220 banner versus the PTR of the
 * address an MX points at. The checks (check.c) turn these verdicts into
 * findings, the reports print them; nothing else decides them.
 *
 * Inputs: facts->inbound (the listeners and domains, listener.h), the
 * host's public interface addresses (facts->local_public, which a wildcard
 * listener covers), --source-ip (facts->given_sources: behind NAT, a
 * private listening address stands for these) and the DNS lookups. No I/O.
 * Three-valued as verdict.h: a failed or missing lookup, or a negative
 * answer from a lying resolver, is unknown, never a pass or a fail.
 *
 * Pointers are borrowed from the facts; verdict_inbound_free() releases
 * what the verdicts own.
 */
#ifndef MP_VERDICT_INBOUND_H
#define MP_VERDICT_INBOUND_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/facts.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/strlist.h"
#include "auditor/verdict_reverse.h"

/* The banner host name's form. */
enum verdict_banner {
    VERDICT_BANNER_FQDN,      /* a fully qualified host name */
    VERDICT_BANNER_NOT_FQDN,  /* a name, but one label, a local name or not a host name */
    VERDICT_BANNER_MISSING,   /* the banner names no host (empty, or starts with something else) */
    VERDICT_BANNER_DYNAMIC,   /* decided per connection: not judged */
};

/* One public address a listener receives mail on. Its reverse DNS (PTR,
 * forward confirmation, reverse zone, provider, --authoritative answers) is
 * rev, computed by verdict_reverse_compute() exactly as for a source; the
 * fields after it are the inbound view of rev that the banner checks use. */
struct verdict_inbound_addr {
    char *address;               /* numeric (owned) */
    char *listening;             /* behind NAT: the private address listened on (owned), else NULL */
    struct verdict_reverse rev;  /* the reverse DNS of address */
    enum verdict_ptr ptr;        /* rev.ptr, but INVALID when no PTR name is a valid host name */
    const char **names;          /* the valid PTR names of rev (borrowed), in answer order */
    size_t nnames;
    enum verdict_tri confirmed;  /* some PTR name resolves to address (rev.confirmed) */
    const char *confirmed_name;  /* the first such name (borrowed), or NULL */
    bool banner_is_ptr;          /* some PTR name equals the banner's host name */
    bool mx_target;              /* an MX target of a domain resolves to it */
};

struct verdict_listener {
    const struct listener *l;
    enum verdict_banner form;
    const char *hostname;        /* the banner's host name, or NULL */
    struct verdict_inbound_addr *addrs; /* public addresses, owned */
    size_t naddrs;
    bool private_only;           /* it listens only on private addresses (not only on loopback), and
                                    neither --source-ip nor proxy_interfaces maps them */
    bool loopback_only;          /* it listens only on loopback addresses: no other host reaches it */
    /* --connect: */
    const struct smtp_greet *live; /* the first complete greeting read from its addresses, or NULL */
    char *live_hostname;         /* the first word of its final line (Exim: first line; owned), or NULL */
    bool live_differs;           /* its host name or text is not the configured banner's (Postfix: the
                                    final line; Exim: the whole text, its variables as wildcards) */
};

struct verdict_mx_target {
    char *name;                  /* owned; "." for a null MX */
    unsigned preference;
    const struct facts_lookup *a, *aaaa;
    struct strlist addresses;    /* its A and AAAA answers (owned copies), sorted */
    bool this_host;              /* one address is an address this host receives mail on */
};

enum verdict_mx {
    VERDICT_MX_OK,       /* one or more targets */
    VERDICT_MX_NONE,     /* NXDOMAIN or NODATA: mail falls back to the domain's A/AAAA */
    VERDICT_MX_NULL,     /* "0 .": the domain accepts no mail (RFC 7505) */
    VERDICT_MX_UNKNOWN,  /* the lookup failed, was not made, or rests on a lie */
};

struct verdict_domain {
    const struct listener_domain *d;
    const struct facts_lookup *mx_lookup;
    enum verdict_mx mx;
    struct verdict_mx_target *targets; /* by preference, then name; owned */
    size_t ntargets;
    enum verdict_tri this_host;  /* some target is this host */
};

struct verdict_inbound {
    bool audited;                /* facts->inbound was set */
    bool receives;               /* some MX listener is reachable from other hosts (or there is none at
                                    all); false: this host is no inbound MX, nothing inbound is judged */
    struct verdict_listener *listeners; /* one per MX listener (port 25), in set order */
    size_t nlisteners;
    struct verdict_domain *domains;
    size_t ndomains;
};

/* verdict_inbound_compute - judge facts->inbound into out (zeroed first);
 * resolver is the canary's verdict (verdict_reverse_answer()).
 * verdict_compute() calls it for the verdict set. */
void verdict_inbound_compute(const struct facts *facts, enum verdict_resolver resolver, struct verdict_inbound *out);
void verdict_inbound_free(struct verdict_inbound *vi);

/* verdict_inbound_addresses - the public addresses listener l receives
 * mail on, numeric, into out (appended, unique): its own public addresses,
 * the host's public addresses of each wildcard family, for a private
 * address each --source-ip of its family, and the public numeric addresses
 * of Postfix proxy_interfaces. The lookup plan asks the PTR of exactly
 * these. When listening is not NULL, it gets, in step with out, the private
 * address listened on, "*" for --source-ip standing for a wildcard,
 * VERDICT_INBOUND_PROXY for a proxy_interfaces address, or "" for a public
 * one. */
void verdict_inbound_addresses(const struct listener *l, const struct facts *facts, struct strlist *out,
                               struct strlist *listening);

/* The listening field of an address that proxy_interfaces names. */
#define VERDICT_INBOUND_PROXY "proxy_interfaces"

/* verdict_inbound_loopback_only - listener l listens only on loopback
 * addresses (Postfix inet_interfaces = loopback-only, Debian's satellite
 * default), and no public proxy_interfaces address stands for it. */
bool verdict_inbound_loopback_only(const struct listener *l);

/* verdict_inbound_receives - false when set has MX listeners and every one
 * of them is loopback-only: the host receives no mail from other hosts, so
 * neither its listeners nor its domains' MX are asked about or judged. */
bool verdict_inbound_receives(const struct listener_set *set);

/* verdict_inbound_exim_text_matches - an Exim greeting read live (its lines
 * joined by newlines, without the 220 codes) is what the configured banner
 * text says, the variables the configuration leaves unexpanded
 * ($version_number, $tod_NAME, with or without braces) matching any text
 * within one line. */
bool verdict_inbound_exim_text_matches(const char *configured, const char *live);

/* verdict_domain_identity - the identity of a domain's findings,
 * "MTA:domain:NAME" (the MTA whose list holds it); newly allocated. */
char *verdict_domain_identity(const struct listener_domain *d);

const char *verdict_banner_tostr(enum verdict_banner form); /* "fqdn", "not-fqdn", "missing", "dynamic" */
const char *verdict_mx_tostr(enum verdict_mx mx);           /* "ok", "none", "null", "unknown" */

#endif
