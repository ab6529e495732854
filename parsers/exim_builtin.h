/* exim_builtin - what the Exim binary itself knows before reading a
 * configuration: its built-in macros and its main option names.
 *
 * The tables describe Debian's exim4-daemon-heavy 4.96 (GnuTLS build). Its
 * features are a superset of exim4-daemon-light's, so a configuration that
 * needs the heavy build (MySQL lookups, content scanning, the dovecot and
 * spa authenticators) is accepted, as it is where Debian's heavy package is
 * installed; on a host with only the light build Exim would refuse it, and
 * `.ifdef _HAVE_X` is true here for the heavy-only features. The tables were
 * produced from that binary's own output (exim -bP macros, exim -bP); the
 * oracle test checks them against it again. exim_builtin_macros keeps Exim's order (macros are
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

/* Router and transport options that are booleans, as the names of their
 * built-in macros (_OPT_ROUTERS_NAME for generic options,
 * _OPT_ROUTER_DRIVER_NAME for private ones), sorted. Authenticator options
 * are not listed. */
extern const char *const exim_builtin_driver_booleans[];
extern const size_t exim_builtin_ndriver_booleans;

/* exim_builtin_driver_boolean - whether the option named by macro is a
 * boolean. */
bool exim_builtin_driver_boolean(const char *macro);
/* exim_builtin_macro_defined - whether the binary defines macro name. */
bool exim_builtin_macro_defined(const char *name);

/* exim_builtin_main_option - the main option called name, or NULL when the
 * binary has no such option. */
const struct exim_builtin_option *exim_builtin_main_option(const char *name);

#endif
