/* check_lookup - how a failed lookup is put in words; see check_lookup.h. */
#include "auditor/check_lookup.h"

#include <stdlib.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"

/* check_lookup_status_words - how a lookup failed, for a message: the status and,
 * when the resolver layer recorded it, who said what. */
static char *check_lookup_status_words(const struct verdict_set *vs, const struct facts_lookup *l)
{
    const char *word;
    switch (l->status) {
    case FACTS_TIMEOUT:
        word = "timed out";
        break;
    case FACTS_SERVFAIL:
        word = "failed with SERVFAIL";
        break;
    case FACTS_REFUSED:
        word = "was refused";
        break;
    case FACTS_NXDOMAIN:
    case FACTS_NODATA:
    case FACTS_OK:
        if (vs->resolver == VERDICT_RESOLVER_BROKEN) {
            const char *who = l->server ? l->server : vs->canary ? vs->canary->server : NULL;
            char *server = who ? hostname_escape(who) : xstrdup("the resolver");
            char *w = xasprintf("answered %s from %s, which also denies that the root zone has name servers "
                                "(resolver-broken)",
                                l->status == FACTS_NXDOMAIN ? "NXDOMAIN" : "no data", server);
            free(server);
            return w;
        }
        word = "failed";
        break;
    default:
        word = "failed";
        break;
    }
    if (!l->detail)
        return xstrdup(word);
    char *ed = hostname_escape(l->detail);
    char *w = xasprintf("%s (%s)", word, ed);
    free(ed);
    return w;
}

char *check_lookup_failure(const struct verdict_set *vs, const char *name, enum facts_rrtype type,
                           const struct facts_lookup *l)
{
    char *en = hostname_escape(name);
    char *how = l ? check_lookup_status_words(vs, l) : NULL;
    char *phrase = l ? xasprintf("the %s lookup of %s %s", facts_rrtype_tostr(type), en, how)
                     : xasprintf("no answer was recorded for the %s lookup of %s", facts_rrtype_tostr(type), en);
    free(how);
    free(en);
    return phrase;
}

void check_lookup_failure_fix(struct fix_list *fixes, const char *name, enum facts_rrtype type,
                              const struct facts_lookup *l)
{
    char *en = hostname_escape(name);
    const char *dig = type == FACTS_PTR ? "-t PTR" : facts_rrtype_tostr(type);
    if (l && !facts_status_failed(l->status))
        fix_note(fixes, "ask a resolver that answers truthfully: --dns-server ADDRESS (then compare with dig %s "
                        "%s @ADDRESS)",
                 dig, en);
    else
        fix_note(fixes, "query it from outside your network (dig %s %s); if the authoritative servers fail, "
                        "have them fixed, else run the audit again or use --dns-server",
                 dig, en);
    free(en);
}
