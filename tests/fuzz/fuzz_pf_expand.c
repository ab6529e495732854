/* fuzz_pf_expand - Postfix $-expansion. The input's first line is the
 * pattern; each further line "name=value" defines a parameter the lookup
 * returns (its value is expanded recursively, as in main.cf). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_expand.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_VARS 64

struct fuzz_vars {
    const char *name[FUZZ_MAX_VARS];
    const char *value[FUZZ_MAX_VARS];
    size_t n;
};

static const char *fuzz_lookup(void *ctx, const char *name)
{
    const struct fuzz_vars *v = ctx;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->name[i], name) == 0)
            return v->value[i];
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    /* a NUL in the input ends the pattern as it would end a C string */
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    struct fuzz_vars vars = { .n = 0 };
    char *nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
        char *line = nl + 1;
        while (line && vars.n < FUZZ_MAX_VARS) {
            char *next = strchr(line, '\n');
            if (next)
                *next++ = '\0';
            char *eq = strchr(line, '=');
            if (eq) {
                *eq = '\0';
                vars.name[vars.n] = line;
                vars.value[vars.n++] = eq + 1;
            }
            line = next;
        }
    }

    struct strbuf out = STRBUF_INIT;
    char *err = NULL;
    size_t budget = PF_EXPAND_MAX_WORK;
    if (pf_expand_budget(text, fuzz_lookup, &vars, &out, &err, &budget) < 0 && !err)
        __builtin_trap(); /* a failure always says why */
    free(err);
    strbuf_release(&out);
    free(text);
    vfs_end();
    return 0;
}
