/* fuzz_hostname - untrusted names and addresses (from DNS or configuration)
 * through every hostname_ function. The input up to the first newline is one
 * string, the rest another (for the comparisons). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"
#include "tests/fuzz/vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vfs_begin();
    char *a = xmalloc(size + 1);
    memcpy(a, data, size);
    a[size] = '\0';
    const char *b = "";
    char *nl = strchr(a, '\n');
    if (nl) {
        *nl = '\0';
        b = nl + 1;
    }

    bool valid = hostname_valid(a);
    if (hostname_is_fqdn(a) && !valid)
        __builtin_trap(); /* an FQDN is a valid name */
    (void)hostname_is_local(a);
    if (hostname_equal(a, b) != hostname_equal(b, a))
        __builtin_trap(); /* equality is symmetric */
    if (valid && !hostname_equal(a, a))
        __builtin_trap();
    int fam = hostname_address_family(a);
    if (fam != 0 && fam != AF_INET && fam != AF_INET6)
        __builtin_trap();
    if (fam && !hostname_address_equal(a, a))
        __builtin_trap();
    (void)hostname_address_equal(a, b);

    char out[46];
    int lit = hostname_literal_parse(a, out, sizeof(out));
    if (lit == 1 && hostname_address_family(out) == 0)
        __builtin_trap(); /* a well-formed literal holds an address */
    char small[4];
    (void)hostname_literal_parse(a, small, sizeof(small));

    char *esc = hostname_escape(a);
    for (const char *p = esc; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            __builtin_trap(); /* escaped text is printable */
    free(esc);
    char *norm = hostname_normal(a);
    if (valid && !hostname_equal(norm, a))
        __builtin_trap();
    free(norm);
    free(a);
    vfs_end();
    return 0;
}
