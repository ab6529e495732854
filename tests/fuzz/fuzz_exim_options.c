/* fuzz_exim_options - an Exim runtime configuration through the reader
 * (macros, .ifdef, .include, continuation lines) and exim_options_read.
 *
 * The input up to its first NUL byte is the configuration, read as
 * /fuzz/configure; what follows the NUL is the content of every file an
 * .include names (the in-memory file system of vfs.h, so the real file
 * system is never read). Without a NUL every include fails as a missing
 * file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/exim_options.h"
#include "parsers/exim_reader.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    const char *text = (const char *)data;
    size_t len = size;
    const char *nul = memchr(text, '\0', size);
    if (nul) {
        len = (size_t)(nul - text);
        vfs_add("*", nul + 1, size - len - 1);
    }
    struct diag_list d = DIAG_LIST_INIT;
    struct exim_reader *r = exim_reader_new(&d);
    exim_reader_open_text(r, "/fuzz/configure", text, len, NULL, 0);
    struct exim_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    int rc = exim_options_read(r, "/fuzz/configure", &cfg);
    if ((rc < 0) != cfg.failed)
        __builtin_trap(); /* the return value and the flag agree */
    if (rc < 0 && diag_count(&d, DIAG_ERROR) == 0)
        __builtin_trap(); /* a refused configuration says why */
    for (size_t i = 0; i < cfg.main.n; i++) {
        char *p = exim_options_printable(cfg.main.items[i].value ? cfg.main.items[i].value : "");
        free(p);
        (void)exim_options_bool(&cfg.main.items[i], false);
    }
    exim_options_free(&cfg);
    exim_reader_free(r);
    diag_list_free(&d);
    vfs_end();
    return 0;
}
