/* verdict - every judgement of an audit, computed once, as data.
 *
 * The checks (check.c) turn verdicts into findings and fixes; the reports
 * (text, JSON, Prometheus) print them. Nothing else decides whether a PTR is
 * missing, whether a name is forward-confirmed or whether a source is the one
 * receivers see: those rules live here only, so that a report can never say
 * something the findings contradict.
 *
 * Inputs are the identity model and the probes' facts; no I/O. Per identity
 * and family the verdict holds the source receivers see, its reverse DNS
 * (verdict_reverse.h: the PTR state and names, the forward confirmation of
 * each name, the reverse zone and its owner), and the EHLO relations; per
 * identity the EHLO name's form and resolution; per run the resolver canary
 * and the inbound verdicts (verdict_inbound.h).
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
#include "auditor/verdict_reverse.h"

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

/* verdict_fc_tostr - "forward-confirmed", "resolves elsewhere", ... for reports. */
const char *verdict_fc_tostr(enum verdict_fc fc);

#endif
