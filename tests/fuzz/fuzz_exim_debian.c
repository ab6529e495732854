/* fuzz_exim_debian - Debian's exim4 layout: update-exim4.conf.conf (shell
 * assignments) and the non-split template, assembled the way
 * update-exim4.conf would and then read as Exim reads it (exim_load with a
 * Debian directory).
 *
 * The input is split at NUL bytes: the first part is
 * /fuzz/etc/exim4/update-exim4.conf.conf, the second (if any)
 * exim4.conf.template, the third exim4.conf.localmacros, the fourth
 * /fuzz/etc/mailname. They exist only in the in-memory file system of vfs.h;
 * no generated file exists, so the configuration is always assembled. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parsers/exim_load.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {
        "/fuzz/etc/exim4/update-exim4.conf.conf",
        "/fuzz/etc/exim4/exim4.conf.template",
        "/fuzz/etc/exim4/exim4.conf.localmacros",
        "/fuzz/etc/mailname",
    };
    vfs_begin();
    const char *s = (const char *)data;
    const char *end = s + size;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && s <= end; i++) {
        const char *nul = memchr(s, '\0', (size_t)(end - s));
        const char *stop = nul ? nul : end;
        vfs_add(paths[i], s, (size_t)(stop - s));
        if (!nul)
            break;
        s = nul + 1;
    }
    struct diag_list d = DIAG_LIST_INIT;
    struct exim_loaded out;
    exim_load(NULL, "/fuzz/etc/exim4", &(struct model_host){ .hostname = "host.example.org" }, &out, &d);
    exim_load_free(&out);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
