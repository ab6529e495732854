/* pf_scope - parameter values as one Postfix process sees them.
 *
 * A scope is main.cf plus, for a master.cf service, that service's -o
 * overrides, exactly as a daemon loads them before mail_params_init():
 * built-in default < main.cf < the service's last -o of that name; the
 * read-only service_name and process_name come from the entry itself. The
 * chosen raw value is then $-expanded in the same scope (pf_expand).
 *
 * Derived defaults (global/mail_params.c): myhostname is the host name, plus
 * "." and mydomain (main.cf or -o, expanded) or "localdomain" when it has no
 * dot; mydomain is myhostname minus its first label, or "localdomain" when
 * myhostname has no dot. Each value keeps its origin (model.h): a main.cf
 * line, the service's master.cf line (an override, or the entry itself for
 * service_name and process_name), or a default with, for derived ones, a
 * note on how it was derived.
 */
#ifndef MP_PF_SCOPE_H
#define MP_PF_SCOPE_H

#include "auditor/foundation/model.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"

struct pf_scope {
    const struct pf_maincf *maincf;
    const struct pf_mastercf *mastercf; /* NULL or the file of service */
    const struct pf_service *service;   /* NULL: the main.cf scope */
    const char *hostname;               /* gethostname() or --system-hostname */
    size_t *budget;                     /* NULL, or expansion work shared by many lookups (pf_expand_budget) */
};

enum pf_from { PF_FROM_UNDEF, PF_FROM_DEFAULT, PF_FROM_MAINCF, PF_FROM_OVERRIDE, PF_FROM_SERVICE };

struct pf_value {
    enum pf_from from;
    char *raw;         /* as written (or the default); NULL when undefined */
    char *value;       /* expanded; NULL when undefined or expansion failed */
    struct model_origin origin; /* see above; kind NONE when undefined */
    const char *file;  /* where a problem with this value is reported; NULL for defaults */
    unsigned line;
    char *error;       /* Postfix's expansion error, or NULL */
};

#define PF_VALUE_INIT { PF_FROM_UNDEF, NULL, NULL, MODEL_ORIGIN_INIT, NULL, 0, NULL }

/* pf_scope_get - look name up in the scope and expand it into *v (owned by
 * v; release with pf_value_free). Returns 0, or -1 when expansion failed
 * (v->error holds Postfix's message; Postfix would stop with "macro
 * processing error"). */
int pf_scope_get(const struct pf_scope *scope, const char *name, struct pf_value *v);

void pf_value_free(struct pf_value *v);

#endif
