/* provider - who owns an address block, and how its customers set a PTR.
 *
 * A PTR is set by the owner of the address block (the hosting or access
 * provider), never by the domain's registrar. This table says, per
 * provider, how to recognise its reverse zones from DNS alone and where or
 * with which command a customer asks for the PTR. It is data: one row per
 * provider, sorted by key, keys unique, every row with the public source of
 * its facts (a unit test asserts all of that).
 *
 * Recognition, strongest first: the reverse zone's SOA MNAME (its primary
 * server), the SOA RNAME (its contact), the zone's NS names, and the
 * provider's default PTR name. The default PTR patterns are not here: they
 * are rules of ptr_generic.h (a provider default is also a generic name to
 * receivers), and a row names its rule, so that one place knows each
 * pattern (a unit test checks that every provider-default rule belongs to
 * exactly one row and every row's rule exists).
 *
 * Facts not confirmed in the source are flagged unverified per field:
 * detection from an unverified pattern says so, and an unverified command or
 * control-panel path is printed with a warning to check it.
 *
 * Templates (panel, command) hold {ip} (the address), {name} (the PTR name
 * wanted) and {v} (4 or 6); words in capitals (SERVER, INSTANCE-ID) are for
 * the admin to fill in. provider_fill() puts in validated values only.
 */
#ifndef MP_PROVIDER_H
#define MP_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

struct provider {
    const char *key;            /* stable key of interface.md: "aws", "hetzner", ... */
    const char *name;           /* for messages: "Hetzner" */
    const char *server_pattern; /* PCRE2 on an SOA MNAME or NS host name, or NULL */
    bool server_unverified;
    const char *rname_pattern;  /* PCRE2 on the SOA RNAME (name form), or NULL */
    bool rname_unverified;
    const char *ptr_rule;       /* the ptr_generic rule of its default PTR name, or NULL */
    const char *panel;          /* where in the control panel (template), or NULL */
    bool panel_unverified;
    const char *command;        /* the CLI or API call (template), or NULL when there is none */
    bool command_unverified;
    const char *ipv6;           /* whether an IPv6 PTR can be set */
    bool forward_first;         /* the forward record must resolve before the PTR is accepted */
    const char *delay;          /* typical time until it is live, or NULL */
    const char *note;           /* a caveat worth printing, or NULL */
    const char *source;         /* where these facts come from */
};

/* How a provider was recognised. */
enum provider_evidence {
    PROVIDER_BY_NONE,
    PROVIDER_BY_SOA_MNAME,
    PROVIDER_BY_SOA_RNAME,
    PROVIDER_BY_NS,
    PROVIDER_BY_PTR,
};

struct provider_match {
    const struct provider *provider; /* NULL: unknown */
    enum provider_evidence evidence;
    const char *subject;             /* the name that matched (borrowed from the input) */
    bool verified;                   /* the matching pattern is verified */
};

/* provider_table - the rows, sorted by key. */
const struct provider *provider_table(size_t *n);

/* provider_by_key - the row of key, or NULL. */
const struct provider *provider_by_key(const char *key);

/* provider_by_server / provider_by_rname - the row whose pattern matches the
 * name (lowercase, without trailing dot, as DNS answers are stored), or
 * NULL. *verified tells whether that pattern is verified (may be NULL). */
const struct provider *provider_by_server(const char *name, bool *verified);
const struct provider *provider_by_rname(const char *rname, bool *verified);
/* provider_by_ptr_rule - the row whose default PTR is ptr_generic rule
 * `rule` (its name), or NULL. */
const struct provider *provider_by_ptr_rule(const char *rule);

/* provider_detect - recognise the owner from the reverse zone's SOA (mname,
 * rname: NULL when unknown), its NS names (may be NULL/0), and the
 * ptr_generic rule names of the current PTR names (may be NULL/0), in that
 * order of strength; a verified match wins over an unverified one. */
struct provider_match provider_detect(const char *mname, const char *rname, const char *const *ns, size_t nns,
                                      const char *const *ptr_rules, size_t nrules);

/* provider_fill - template with {ip}, {name} and {v} put in; NULL when
 * template is NULL, or when it needs a value that is missing or does not
 * pass validation (ip: a numeric address; name: a fully qualified host
 * name). Newly allocated. */
char *provider_fill(const char *template, const char *ip, const char *name);

/* provider_evidence_tostr - "soa-mname", "soa-rname", "ns", "ptr-default",
 * or NULL for none. */
const char *provider_evidence_tostr(enum provider_evidence e);

/* provider_rname_mailbox - the SOA RNAME as a mail address
 * ("hostmaster.example.net" -> "hostmaster@example.net"), or NULL when it
 * is not a valid one. Newly allocated. */
char *provider_rname_mailbox(const char *rname);

/* provider_cleanup - free the compiled patterns (for leak checkers). */
void provider_cleanup(void);

#endif
