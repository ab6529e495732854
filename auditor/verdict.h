/* verdict - every judgement of an audit, computed once, as data.
 *
 * The checks (check.c) turn verdicts into findings and fixes; the reports
 * (text, JSON, Prometheus) print them. Nothing else decides whether a PTR is
 * missing, whether a name is forward-confirmed or whether a source is the one
 * receivers see: those rules live here only, so that a report can never say
 * something the findings contradict.
 *
 * Inputs are the identity model and the probes' facts; no I/O. Per identity
 * and family the verdict holds the source receivers see, the PTR state and
 * names, the forward confirmation of each name, and the EHLO relations; per
 * identity the EHLO name's form and resolution; per run the resolver canary.
 *
 * Three-valued answers: a lookup that failed, was not made, or rests on a
 * negative answer from a resolver that lies about the root zone is
 * VERDICT_UNKNOWN, never a pass or a fail.
 *
 * Pointers into the model and the facts are borrowed: the verdicts are valid
 * while both are. verdict_set_free() releases what the verdicts own.
 */
#ifndef MP_VERDICT_H
#define MP_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/facts.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/strlist.h"
#include "auditor/provider.h"

/* A yes/no question whose answer may be unknown. */
enum verdict_tri { VERDICT_NO, VERDICT_YES, VERDICT_UNKNOWN };

/* What the resolver canary (the root zone's NS) says about the resolver. */
enum verdict_resolver {
    VERDICT_RESOLVER_UNTESTED, /* not asked, or no verdict (REFUSED, SERVFAIL, timeout, error) */
    VERDICT_RESOLVER_OK,       /* answered with NS records */
    VERDICT_RESOLVER_BROKEN,   /* NXDOMAIN, or NOERROR without NS: its negative answers are lies */
};

/* Whether the source of one family is what receivers see. */
enum verdict_source {
    VERDICT_SOURCE_UNUSED,     /* the transport or the audited host does not use this family */
    VERDICT_SOURCE_NOT_PROBED, /* no source record (never for a used family in a real audit) */
    VERDICT_SOURCE_NO_ROUTE,   /* no route for the family: it carries no mail */
    VERDICT_SOURCE_UNUSABLE,   /* the bind fails and the MTA does not fall back: no mail leaves */
    VERDICT_SOURCE_TEMPORARY,  /* a temporary or deprecated IPv6 address */
    VERDICT_SOURCE_NOT_PUBLIC, /* behind NAT: receivers see another address */
    VERDICT_SOURCE_OK,         /* receivers see `address`: its PTR and EHLO verdicts apply */
};

/* The PTR of a source. */
enum verdict_ptr {
    VERDICT_PTR_UNKNOWN, /* the lookup failed, was not made, or rests on a lie */
    VERDICT_PTR_MISSING, /* NXDOMAIN or NODATA */
    VERDICT_PTR_INVALID, /* records exist, but none holds a valid host name */
    VERDICT_PTR_PRESENT, /* at least one name */
};

/* What the reverse zone's authoritative servers say (--authoritative). */
enum verdict_auth {
    VERDICT_AUTH_NOT_ASKED, /* not asked, or no server of the zone is known */
    VERDICT_AUTH_UNKNOWN,   /* asked; no server gave an authoritative answer (lame, silent) */
    VERDICT_AUTH_AGREE,     /* every server that answered gave the same answer */
    VERDICT_AUTH_DISAGREE,  /* the servers that answered differ */
};

/* Forward confirmation of one PTR name. */
enum verdict_fc {
    VERDICT_FC_CONFIRMED,  /* its A (IPv4) or AAAA (IPv6) includes the source */
    VERDICT_FC_OTHER,      /* it resolves, to other addresses only */
    VERDICT_FC_NONE,       /* it has no address of the family (NXDOMAIN, NODATA) */
    VERDICT_FC_UNKNOWN,    /* the forward lookup failed, was not made, or rests on a lie */
    VERDICT_FC_NOT_A_NAME, /* not a valid host name: receivers cannot confirm it */
};

struct verdict_name {
    const char *name;                     /* a PTR answer (borrowed) */
    enum verdict_fc fc;
    const struct facts_lookup *forward;   /* its A/AAAA lookup, or NULL */
    const struct ptr_generic_rule *generic; /* the provider-default rule it matches, or NULL */
};

/* The EHLO name's form. */
enum verdict_helo {
    VERDICT_HELO_FQDN,        /* valid, fully qualified, not local: looked up */
    VERDICT_HELO_LITERAL,     /* a well-formed address literal */
    VERDICT_HELO_BAD_LITERAL, /* "[...]" that is not an address */
    VERDICT_HELO_MISSING,     /* no name could be determined */
    VERDICT_HELO_NOT_A_NAME,  /* characters outside host names */
    VERDICT_HELO_LOCAL,       /* localhost, .local, .localdomain, ... */
    VERDICT_HELO_NOT_FQDN,    /* one label */
    VERDICT_HELO_DYNAMIC,     /* computed at delivery time */
};

/* The reverse DNS of one public address, as receivers and its owner see it:
 * the PTR and the forward confirmation of its names, the reverse zone (SOA
 * of the reverse name, NS of the zone) and the provider that runs it, and
 * with --authoritative what the zone's servers answer. It depends on the
 * address only: one computation (verdict_reverse_compute) serves the
 * outbound sources (verdict_family) and the listening addresses
 * (verdict_inbound_addr, verdict_inbound.h). */
struct verdict_reverse {
    const char *address;              /* numeric (borrowed from its owner) */
    char *revname;                    /* reverse name of address (owned); NULL when not an address */
    const struct facts_lookup *ptr_lookup; /* NULL when not made */
    enum verdict_ptr ptr;
    struct verdict_name *names;       /* PTR answers in answer order (owned array) */
    size_t nnames;
    enum verdict_tri confirmed;       /* some name is forward-confirmed */

    /* The reverse zone (SOA of revname) and its owner: */
    const struct facts_lookup *soa_lookup; /* NULL when not asked */
    const char *zone, *mname, *rname; /* from it (borrowed), NULL when unknown */
    const struct facts_lookup *ns_lookup;  /* NS of zone, or NULL */
    struct provider_match provider;   /* from SOA, NS and the PTR names' default rules */

    /* --authoritative: */
    enum verdict_auth auth;
    const struct facts_lookup **auth_lookups; /* the direct PTR lookups, one per server (owned array) */
    size_t nauth;
    const struct facts_lookup *resolver_ptr; /* the resolver's PTR lookup, or NULL */
    bool ptr_from_auth;               /* AUTH_AGREE: ptr, names and confirmed rest on the servers'
                                         answer (ptr_lookup is one of auth_lookups) */
    bool propagating;                 /* AUTH_AGREE, and the resolver still has another answer */
};

struct verdict_family {
    bool used;                        /* the transport may use it and the audited host has it */
    const struct facts_source *src;   /* NULL when not probed */
    enum verdict_source source;
    const char *address;              /* the source receivers see (SOURCE_OK), else NULL */
    bool bind_not_local;              /* a configured bind address is not on this host */
    const char *configured;           /* that configured address, or NULL */
    bool falls_back;                  /* ... and the MTA sends from the kernel's choice instead */

    /* With SOURCE_OK: */
    struct verdict_reverse rev;       /* the reverse DNS of address */
    /* EHLO relations (with a FQDN EHLO name): */
    enum verdict_tri helo_has_address; /* the EHLO name's A/AAAA include address */
    const struct facts_lookup *helo_lookup; /* that A/AAAA lookup, or NULL */
    bool helo_is_ptr;                 /* some PTR name equals the EHLO name */
    bool literal_matches;             /* VERDICT_HELO_LITERAL: the literal is address */
};

struct verdict_identity {
    const struct model_identity *id;
    size_t index;                    /* into model_set.items */
    const char *helo;                /* the audited EHLO name (--helo or configured), or NULL */
    enum verdict_helo helo_form;
    char literal[64];                /* VERDICT_HELO_LITERAL: the address inside */
    const struct facts_lookup *helo_a, *helo_aaaa; /* VERDICT_HELO_FQDN, when looked up */
    enum verdict_tri helo_resolves;  /* has A or AAAA; UNKNOWN also when not looked up */
    bool relayed;                    /* all mail goes to a smarthost (findings about this host are info) */
    bool no_route;                   /* may use no family with a route: no mail leaves */
    bool judged_helo;                /* some used family has a route: the EHLO name was looked up */
    struct verdict_family fam[MODEL_NFAMILIES];
};

struct verdict_inbound; /* verdict_inbound.h */

struct verdict_set {
    struct verdict_identity *items;  /* one per model identity, same order */
    size_t n;
    enum verdict_resolver resolver;
    const struct facts_lookup *canary; /* NULL when not asked */
    const struct facts *facts;
    struct verdict_inbound *inbound; /* the receiving side (owned; never NULL after verdict_compute) */
};

#define VERDICT_SET_INIT { NULL, 0, VERDICT_RESOLVER_UNTESTED, NULL, NULL, NULL }

/* verdict_compute - judge every identity of set under facts into out. */
void verdict_compute(const struct model_set *set, const struct facts *facts, struct verdict_set *out);
void verdict_set_free(struct verdict_set *vs);

/* verdict_answer - how a verdict may use a lookup: VERDICT_YES when it holds
 * answers, VERDICT_NO when it is a trustworthy NXDOMAIN/NODATA, VERDICT_UNKNOWN
 * when it failed, is missing, or is negative from a broken resolver. */
enum verdict_tri verdict_answer(const struct verdict_set *vs, const struct facts_lookup *l);

/* verdict_lookup_failed - the lookup is needed and cannot be trusted: failed,
 * missing, or negative from a broken resolver (the dns-failure cases). */
bool verdict_lookup_failed(const struct verdict_set *vs, const struct facts_lookup *l);

/* verdict_source_address - the address whose PTR and EHLO relations receivers
 * judge for identity id on src, or NULL (see enum verdict_source). The lookup
 * plan asks its questions for exactly these addresses. */
const char *verdict_source_address(const struct model_identity *id, const struct facts_source *src);

/* verdict_helo_name - the EHLO name an identity is audited with: --helo when
 * given, else the configured one (NULL when dynamic without a guess). */
const char *verdict_helo_name(const struct model_identity *id, const struct facts *facts);
/* verdict_helo_checkable - that name when it is looked up (VERDICT_HELO_FQDN),
 * else NULL. */
const char *verdict_helo_checkable(const struct model_identity *id, const struct facts *facts);
/* verdict_has_route - identity index delivers on some family: one with a
 * route and a usable source (or a --source-ip), public or behind NAT. Its
 * EHLO name is then looked up and judged, also behind NAT. */
bool verdict_has_route(const struct model_identity *id, size_t index, const struct facts *facts);

/* verdict_family_used - the identity may use family f on the audited host. */
bool verdict_family_used(const struct model_identity *id, const struct facts *facts, enum model_family f);

/* verdict_auth_servers - the authoritative servers of zone that
 * --authoritative asks, as "ADDR:53" texts ("[ADDR]:53" for IPv6) in out
 * (appended; sorted, unique, at most VERDICT_AUTH_MAX): the addresses of the
 * zone's NS names as the resolver answered them. None when the NS or address
 * lookups are not in the facts yet. */
#define VERDICT_AUTH_MAX 8
void verdict_auth_servers(const struct facts *facts, const char *zone, struct strlist *out);

/* verdict_reverse_compute - the reverse DNS of address under vs's facts
 * into out (zeroed first; out->address borrows address, which must outlive
 * it). Release with verdict_reverse_free(). */
void verdict_reverse_compute(const struct verdict_set *vs, const char *address, struct verdict_reverse *out);
void verdict_reverse_free(struct verdict_reverse *rev);

/* verdict_name_has_address - name's A (IPv4 address) or AAAA (IPv6) lookup
 * is in facts and includes address. */
bool verdict_name_has_address(const struct facts *facts, const char *name, const char *address);

/* verdict_lookup_same - a and b give the same answer: both without a PTR
 * (NXDOMAIN or NODATA), or both ok with the same names. */
bool verdict_lookup_same(const struct facts_lookup *a, const struct facts_lookup *b);

/* verdict_fc_tostr - "forward-confirmed", "resolves elsewhere", ... for reports. */
const char *verdict_fc_tostr(enum verdict_fc fc);

#endif
