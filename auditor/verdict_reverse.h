/* verdict_reverse - the reverse DNS of one address, judged once: its PTR
 * and the forward confirmation of each name, the reverse zone and who runs
 * it, and with --authoritative what the zone's servers answer; and the one
 * rule for how far a lookup may be trusted (verdict_reverse_answer).
 *
 * The outbound verdicts (verdict.h: a source per identity and family) and
 * the inbound ones (verdict_inbound.h: the addresses a listener receives
 * mail on) both build on it, so that the same address is judged the same
 * way on both sides. Inputs are the facts and the resolver canary's
 * verdict; no I/O. Three-valued: a lookup that failed, was not made, or is
 * a negative answer from a resolver that lies about the root zone is
 * VERDICT_UNKNOWN, never a pass or a fail. Pointers into the facts are
 * borrowed.
 */
#ifndef MP_VERDICT_REVERSE_H
#define MP_VERDICT_REVERSE_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/facts.h"
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

/* The PTR of an address. */
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

/* verdict_reverse_answer - how a verdict may use a lookup: VERDICT_YES
 * when it holds answers, VERDICT_NO when it is a trustworthy NXDOMAIN or
 * NODATA (from a resolver not known to lie, or an authoritative server's
 * own answer), VERDICT_UNKNOWN when it failed, is missing, or is negative
 * from a broken resolver. */
enum verdict_tri verdict_reverse_answer(enum verdict_resolver resolver, const struct facts_lookup *l);

/* verdict_reverse_auth_servers - the authoritative servers of zone that
 * --authoritative asks, as "ADDR:53" texts ("[ADDR]:53" for IPv6) in out
 * (appended; sorted, unique, at most VERDICT_AUTH_MAX): the addresses of the
 * zone's NS names as the resolver answered them. None when the NS or address
 * lookups are not in the facts yet. */
#define VERDICT_AUTH_MAX 8
void verdict_reverse_auth_servers(const struct facts *facts, const char *zone, struct strlist *out);

/* verdict_reverse_compute - the reverse DNS of address under facts into
 * out (zeroed first; out->address borrows address, which must outlive it),
 * trusting negative answers as resolver allows (verdict_reverse_answer).
 * Release with verdict_reverse_free(). */
void verdict_reverse_compute(const struct facts *facts, enum verdict_resolver resolver, const char *address,
                             struct verdict_reverse *out);
void verdict_reverse_free(struct verdict_reverse *rev);

/* verdict_reverse_name_has_address - name's A (IPv4 address) or AAAA (IPv6) lookup
 * is in facts and includes address. */
bool verdict_reverse_name_has_address(const struct facts *facts, const char *name, const char *address);

/* verdict_reverse_lookup_same - a and b give the same answer: both without a PTR
 * (NXDOMAIN or NODATA), or both ok with the same names. */
bool verdict_reverse_lookup_same(const struct facts_lookup *a, const struct facts_lookup *b);

#endif
