/* ptr_generic - does a PTR name look like a provider default or a dynamic
 * pool name, the way receivers judge it?
 *
 * A table of named rules, each resembling a receiver's rule (SpamAssassin
 * RDNS_DYNAMIC parts, rspamd HFILTER_HOSTNAME_n, Haraka fcrdns, Cloudmark's
 * and Sender Score's naming policies). Regex rules are compiled once with
 * libpcre2 on first use; a few rules are code (the address-aware ones and the
 * label-count ones). Matching is on the lowercased name without its trailing
 * dot.
 *
 * Exemptions: a name with a mail, mx, smtp, mta or static token (at the start
 * or after a non-letter: "mail2", "smtp-out", "static") is exempt from the
 * dynamic-looking rules (IP embedded, access and pool words, vps, numbered
 * hosts), as SpamAssassin's __RDNS_STATIC veto and PDS_RDNS_DYNAMIC_FP, and
 * HELO_DYNAMIC_IPADDR2's skip do. Provider defaults (ec2-...amazonaws.com,
 * static.IP..., your-server.de, ...), placeholders, bare apex domains and
 * single labels are never exempt: no receiver whitelists those.
 *
 * Apex without a public-suffix list: a name is a bare apex when it has two
 * labels ("example.fr"), or three labels whose middle one is a common
 * second-level registry label (co, com, net, org, ac, gov, edu, ...) under a
 * two-letter country code ("example.co.uk").
 */
#ifndef MP_PTR_GENERIC_H
#define MP_PTR_GENERIC_H

#include <stdbool.h>
#include <stddef.h>

struct ptr_generic_rule {
    const char *name;      /* e.g. "ip-dashed" */
    const char *pattern;   /* PCRE2 pattern, or NULL for a code rule */
    const char *resembles; /* the receiver rule it resembles */
    const char *what;      /* what it detects, for messages */
    bool exemptible;       /* a mail/mx/smtp/mta/static token vetoes it */
};

/* ptr_generic_rules - the rule table (in the order rules are tried). */
const struct ptr_generic_rule *ptr_generic_rules(size_t *n);

/* ptr_generic_exempt - the name carries a mail/mx/smtp/mta/static token. */
bool ptr_generic_exempt(const char *name);

/* ptr_generic_rule_matches - rule i (index into the table) matches name,
 * ignoring exemptions. address (the source the name is the PTR of, may be
 * NULL) feeds the address-aware rules. */
bool ptr_generic_rule_matches(size_t i, const char *name, const char *address);

/* ptr_generic_check - the first rule that matches name and is not vetoed by
 * an exemption, or NULL when the name does not look generic. The result
 * points into the static table. */
const struct ptr_generic_rule *ptr_generic_check(const char *name, const char *address);

/* ptr_generic_cleanup - free the compiled patterns (for leak checkers). */
void ptr_generic_cleanup(void);

#endif
