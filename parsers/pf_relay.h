/* pf_relay - the next hop Postfix's resolver gives the mail it hands to each
 * transport, when no table decides otherwise.
 *
 * The rule (trivial-rewrite resolve.c; postconf(5) default_transport,
 * relay_transport, relayhost), evaluated in the scope of the trivial-rewrite
 * service, since that process routes, not smtp(8):
 *   - Mail for remote domains (the default class) goes to the transport named
 *     by default_transport ("transport[:nexthop]", default "smtp"). Its next
 *     hop is the ":nexthop" part when present, else relayhost when set, else
 *     the recipient domain (direct MX delivery).
 *   - Mail for relay_domains (the relay class) goes to relay_transport
 *     (default "relay") with next hop from its ":nexthop", else relayhost,
 *     else the recipient domain.
 *   - transport_maps overrides both per recipient, and
 *     sender_dependent_default_transport_maps the default class per sender;
 *     sender_dependent_relayhost_maps replaces relayhost per sender. When
 *     any of them is set, the next hop of a transport may vary; the reasons
 *     are listed.
 * A transport is the master.cf service of that name and type unix (the queue
 * manager connects to private/NAME). Transports that neither class uses get
 * mail only through tables or content filters; their next hop is not known
 * from configuration alone (a table entry without a next hop falls back to
 * relayhost, which is kept for that explanation).
 */
#ifndef MP_PF_RELAY_H
#define MP_PF_RELAY_H

#include "auditor/foundation/diag.h"
#include "auditor/foundation/strlist.h"
#include "parsers/pf_scope.h"

struct pf_relay_class {
    char *transport; /* transport name; NULL when the setting could not be evaluated */
    char *nexthop;   /* NULL: the recipient domain */
    struct model_origin origin; /* of the setting that gave the next hop */
    const char *file;       /* where that setting is (borrowed), NULL for the default */
    unsigned line;
};

struct pf_relay {
    struct pf_relay_class def;  /* default_transport class */
    struct pf_relay_class rel;  /* relay_transport class */
    struct strlist varies;      /* why next hops may vary, one sentence each */
    char *relayhost;            /* relayhost when set, else NULL */
    struct model_origin relayhost_origin;
};

/* pf_relay_resolve - evaluate the routing rule in scope (the trivial-rewrite
 * service, or main.cf). Problems are recorded in diags. Free with pf_relay_free. */
void pf_relay_resolve(const struct pf_scope *scope, struct pf_relay *out, struct diag_list *diags);

void pf_relay_free(struct pf_relay *r);

#endif
