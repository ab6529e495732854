/* exim_builtin - what the Exim binary itself knows before reading a
 * configuration: its built-in macros and its main option names.
 *
 * The tables describe Debian's exim4-daemon-light 4.96 (GnuTLS build), the
 * binary mta-preflight compares itself with. They were produced from that
 * binary's own output (exim -bP macros, exim -bP); the oracle test checks
 * them against it again. exim_builtin_macros keeps Exim's order (macros are
 * applied in definition order); exim_builtin_main_options is sorted by name.
 */
#ifndef MP_EXIM_BUILTIN_H
#define MP_EXIM_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>

struct exim_builtin_macro {
    const char *name;
    const char *value;
};

struct exim_builtin_option {
    const char *name;
    bool boolean;
};

extern const struct exim_builtin_macro exim_builtin_macros[];
extern const size_t exim_builtin_nmacros;
extern const struct exim_builtin_option exim_builtin_main_options[];
extern const size_t exim_builtin_nmain_options;

/* exim_builtin_main_option - the main option called name, or NULL when the
 * binary has no such option. */
const struct exim_builtin_option *exim_builtin_main_option(const char *name);

#endif
