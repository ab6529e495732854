/* fuzz_pf_identity - a whole Postfix instance through pf_identity_load: the
 * outbound identities (EHLO name, bind addresses, families, relayhost and
 * per-transport overrides) derived from main.cf and master.cf.
 *
 * The input up to its first NUL byte is /fuzz/main.cf, the rest
 * /fuzz/master.cf (absent without a NUL). Both exist only in the in-memory
 * file system of vfs.h; multi_instance_directories name nothing readable. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "auditor/foundation/model.h"
#include "parsers/pf_identity.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    if (nul) {
        vfs_add("/fuzz/main.cf", text, (size_t)(nul - text));
        vfs_add("/fuzz/master.cf", nul + 1, size - (size_t)(nul - text) - 1);
    } else {
        vfs_add("/fuzz/main.cf", text, size);
    }
    struct model_host host = { .hostname = "host.example.org" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    pf_identity_load("/fuzz", &host, &set, &d);
    model_set_free(&set);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
