/* fuzz_pf_mastercf - master.cf text into pf_mastercf_load_text; then the
 * accessors over every entry (overrides, command base name). */
#include <stddef.h>
#include <stdint.h>

#include "parsers/pf_mastercf.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    struct pf_mastercf m = { 0 };
    struct diag_list d = DIAG_LIST_INIT;
    pf_mastercf_load_text(&m, "/fuzz/master.cf", (const char *)data, size, &d);
    for (size_t i = 0; i < m.n; i++) {
        const struct pf_service *svc = &m.items[i];
        if (pf_mastercf_find(&m, svc->name, svc->type) == NULL && !svc->replaced)
            __builtin_trap(); /* a live entry must be found by its name/type */
        (void)pf_mastercf_command_base(svc);
        for (size_t j = 0; j < svc->noverrides; j++)
            (void)pf_mastercf_override(svc, svc->overrides[j].name);
    }
    pf_mastercf_free(&m);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
