/* fuzz_exim_identity - a whole Exim configuration through
 * exim_identity_load: the outbound identities (helo_data, interface,
 * dns_ipv4_lookup, disable_ipv6, smarthost routes) derived from it.
 *
 * The input up to its first NUL byte is /fuzz/configure (given as
 * --exim-config); what follows the NUL is the content of every file an
 * .include names, in the in-memory file system of vfs.h. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "auditor/foundation/model.h"
#include "parsers/exim_identity.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t len = nul ? (size_t)(nul - text) : size;
    vfs_add("/fuzz/configure", text, len);
    if (nul)
        vfs_add("*", nul + 1, size - len - 1);
    struct model_host host = { .hostname = "host.example.org" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    exim_identity_load("/fuzz/configure", NULL, &host, &set, &d);
    model_set_free(&set);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
