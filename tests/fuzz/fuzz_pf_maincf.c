/* fuzz_pf_maincf - main.cf text into pf_maincf_load_text, then every
 * parameter through pf_scope_get (the $-expansion Postfix would do, with the
 * built-in defaults), so that hostile values reach the expander the way a
 * real main.cf does. */
#include <stddef.h>
#include <stdint.h>

#include "parsers/pf_expand.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_scope.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    struct pf_maincf cf = { 0 };
    struct diag_list d = DIAG_LIST_INIT;
    pf_maincf_load_text(&cf, "/fuzz", "/fuzz/main.cf", (const char *)data, size, &d);

    size_t budget = PF_EXPAND_MAX_WORK;
    struct pf_scope scope = { &cf, NULL, NULL, "host.example.org", &budget };
    for (size_t i = 0; i < cf.params.cap; i++) {
        const struct pf_param *p = &cf.params.slots[i];
        if (!p->name)
            continue;
        struct pf_value v = PF_VALUE_INIT;
        pf_scope_get(&scope, p->name, &v);
        pf_value_free(&v);
    }
    /* the parameters the identity derivation always asks for */
    static const char *const wanted[] = { "myhostname", "smtp_helo_name", "smtp_bind_address", "smtp_bind_address6",
                                          "inet_protocols", "relayhost", "inet_interfaces", "default_transport" };
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        struct pf_value v = PF_VALUE_INIT;
        pf_scope_get(&scope, wanted[i], &v);
        pf_value_free(&v);
    }
    pf_maincf_free(&cf);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
