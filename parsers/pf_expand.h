/* pf_expand - Postfix $-expansion of parameter values (postconf semantics,
 * Postfix util/mac_parse.c and util/mac_expand.c, 3.7).
 *
 * Forms: $name, ${name}, $(name), $$ (a literal '$'), ${name?text},
 * ${name?{text}}, ${name:text}, ${name:{text}}, ${name?{t}:{f}} (also
 * ${name?{t}:f}), and ${{a} OP {b}} with OP one of == != < <= > >=, compared
 * numerically when both sides are non-empty strings of digits, else as
 * strings. OP may carry the suffix "level" (<level, ==level, ...): then
 * both sides are Postfix compatibility levels major[.minor[.patch]], as in
 * the $compatibility_level tests of Postfix 3.6+ defaults. A relational
 * test yields "true" or "" and may be followed by ?{t}:{f}. Only the selected branch is expanded. Values returned by the
 * lookup are expanded recursively (main.cf values are, in Postfix).
 * Undefined names expand to the empty string.
 *
 * Errors use Postfix's wording ("empty macro name", "truncated macro
 * reference", "attribute name syntax error", "unreasonable macro call
 * nesting" when references nest more than 100 deep, ...). Postfix treats any
 * of them as fatal ("macro processing error"), so the result is unusable and
 * only the first message is kept. Two guards Postfix lacks keep hostile
 * input from exhausting the stack or memory: a total nesting limit across
 * relational operands and a bound on expansion work (PF_EXPAND_MAX_WORK).
 */
#ifndef MP_PF_EXPAND_H
#define MP_PF_EXPAND_H

#include "auditor/foundation/strbuf.h"

#define PF_EXPAND_MAX_NESTING 100
#define PF_EXPAND_MAX_WORK (4u * 1024 * 1024)

/* The raw value of name, or NULL when undefined. The string must stay valid
 * until the expansion returns. */
typedef const char *(*pf_expand_lookup_fn)(void *ctx, const char *name);

/* pf_expand_budget - expand pattern, appending to out. Returns 0, or -1
 * with a newly allocated message in *err (free() it; err may be NULL). The
 * work is charged to *budget (shared by many expansions of one
 * configuration, so that a self-multiplying value referenced by thousands
 * of services cannot make the whole run slow); an exhausted budget is an
 * error. budget may be NULL: only PF_EXPAND_MAX_WORK bounds the work. */
int pf_expand_budget(const char *pattern, pf_expand_lookup_fn lookup, void *ctx, struct strbuf *out, char **err,
                     size_t *budget);

#endif
