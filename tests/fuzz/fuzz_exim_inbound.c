/* fuzz_exim_inbound - a whole Exim configuration through
 * exim_inbound_load: the daemon's listeners (local_interfaces with item
 * ports, daemon_smtp_ports), the static expansion of smtp_banner and
 * smtp_active_hostname, and local_domains with named lists.
 *
 * The input up to its first NUL byte is /fuzz/configure; what follows the
 * NUL is the content of every file an .include names, in the in-memory
 * file system of vfs.h. Every listener's banner host name, when known, must
 * be the first word of its text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/listener.h"
#include "parsers/exim_inbound.h"
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
    struct model_host host = { "host.example.org" };
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    exim_inbound_load("/fuzz/configure", NULL, &host, &set, &d);
    for (size_t i = 0; i < set.n; i++) {
        const struct listener_banner *b = &set.items[i].banner;
        if (b->text) {
            char *first = listener_first_word(b->text);
            if ((first == NULL) != (b->hostname == NULL) || (first && strcmp(first, b->hostname) != 0))
                abort();
            free(first);
        }
    }
    listener_set_free(&set);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
