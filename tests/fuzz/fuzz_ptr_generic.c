/* fuzz_ptr_generic - a DNS name (as a PTR record could return it) through
 * every generic-name rule. The input up to the first newline is the name;
 * the rest, if any, is the address it is the PTR of. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/ptr_generic.h"
#include "auditor/foundation/xalloc.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    char *name = xmalloc(size + 1);
    memcpy(name, data, size);
    name[size] = '\0';
    const char *address = NULL;
    char *nl = strchr(name, '\n');
    if (nl) {
        *nl = '\0';
        address = nl + 1;
    }
    size_t n = 0;
    ptr_generic_rules(&n);
    bool exempt = ptr_generic_exempt(name);
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= ptr_generic_rule_matches(i, name, address);
    const struct ptr_generic_rule *hit = ptr_generic_check(name, address);
    if (hit && !any)
        __builtin_trap(); /* check reports only a rule that matches */
    if (hit && exempt && hit->exemptible)
        __builtin_trap(); /* an exempt name is never judged by an exemptible rule */
    free(name);
    vfs_end();
    return 0;
}
