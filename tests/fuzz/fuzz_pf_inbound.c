/* fuzz_pf_inbound - a whole Postfix instance through pf_inbound_load: the
 * inbound listeners (master.cf service fields, postscreen and its pass
 * services, banners in each scope, inet_interfaces) and the domain lists.
 *
 * The input up to its first NUL byte is /fuzz/main.cf, the rest
 * /fuzz/master.cf (absent without a NUL), in the in-memory file system of
 * vfs.h. Each load runs twice into one diag list: the second must record
 * nothing new (the loader does not repeat problems). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/listener.h"
#include "parsers/pf_inbound.h"
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
    struct model_host host = { "host.example.org" };
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    pf_inbound_load("/fuzz", &host, &set, &d);
    size_t n = d.n;
    listener_set_free(&set);
    pf_inbound_load("/fuzz", &host, &set, &d);
    if (d.n != n)
        abort();
    listener_set_free(&set);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
