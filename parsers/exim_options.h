/* exim_options - an Exim runtime configuration as Exim holds it after
 * reading: main options, named lists, and the driver instances of the
 * routers, transports and authenticators sections, each option with the raw
 * (unexpanded) value that exim -bP prints and the file:line it came from.
 *
 * Reading follows readconf.c: a logical line starting with an upper-case
 * letter defines a macro (main section, and between drivers or ACLs); an
 * option line is [hide] [no_|not_]name [= value]; booleans may be bare,
 * negated, or "= true|false|yes|no"; a value in double quotes has its
 * backslash escapes processed; setting an option twice in the main section
 * or in one driver is fatal (except the repeatable headers_add,
 * headers_remove, and the routers' condition and set). Option and driver
 * names and the boolean type are checked against the binary's own tables
 * (exim_builtin: main options; the _OPT_ and _DRIVER_ built-in macros for
 * routers, transports and authenticators). Not checked: the values of
 * numeric, time and list options, and the checks drivers make when they are
 * initialised (a router without a required transport, say).
 *
 * The first fatal error is recorded (DIAG_ERROR, file:line) and reading
 * stops there, as Exim stops.
 */
#ifndef MP_EXIM_OPTIONS_H
#define MP_EXIM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/strlist.h"
#include "parsers/exim_reader.h"

struct exim_option {
    char *name;     /* without hide and no_/not_ */
    char *value;    /* the value as -bP prints it; "true"/"false" for a boolean set bare or negated */
    bool negated;   /* written as no_NAME or not_NAME */
    bool bare;      /* written without "= value" */
    const char *file; /* owned by the exim_config */
    unsigned line;
    struct strlist macros; /* user macros in its line: "NAME (FILE:LINE)" */
};

struct exim_option_list {
    struct exim_option *items;
    size_t n, cap;
};

struct exim_driver {
    char *name;
    const char *file;
    unsigned line;
    struct exim_option_list opts;
};

struct exim_driver_list {
    struct exim_driver *items;
    size_t n, cap;
};

struct exim_named_list {
    char *kind;  /* "domainlist", "hostlist", "addresslist", "localpartlist" */
    char *name;
    char *value;
    const char *file;
    unsigned line;
};

struct exim_config {
    char *path;                 /* the file Exim would read */
    struct exim_option_list main;
    struct exim_named_list *lists;
    size_t nlists, lists_cap;
    struct exim_driver_list routers, transports, authenticators;
    bool failed;                /* Exim would refuse this configuration */
    struct strlist files;       /* owns the file names options point to */
    struct strlist macro_names; /* user macros in definition order, as exim -bP macros lists them */
    struct strlist macro_values; /* their final values */
};

/* exim_options_read - read every logical line of r into cfg (zeroed by the
 * caller; path is copied). Problems go to the reader's diag list. Returns 0,
 * or -1 when Exim would refuse the configuration (cfg->failed; what was read
 * up to the error stays in cfg). */
int exim_options_read(struct exim_reader *r, const char *path, struct exim_config *cfg);
void exim_options_free(struct exim_config *cfg);

/* exim_options_find - the option called name in list, or NULL. */
const struct exim_option *exim_options_find(const struct exim_option_list *list, const char *name);
/* exim_options_main - a main option, or NULL when it is not set. */
const struct exim_option *exim_options_main(const struct exim_config *cfg, const char *name);
/* exim_options_driver - the driver instance called name, or NULL. */
const struct exim_driver *exim_options_driver(const struct exim_driver_list *list, const char *name);
/* exim_options_bool - an option's boolean value: def when opt is NULL;
 * true for true/yes, false for false/no (case-insensitive) and for anything
 * else. */
bool exim_options_bool(const struct exim_option *opt, bool def);
/* exim_options_named_list - the named list of this kind ("domainlist"...)
 * called name, or NULL. */
const struct exim_named_list *exim_options_named_list(const struct exim_config *cfg, const char *kind,
                                                      const char *name);

/* exim_options_printable - s with non-printing characters escaped as
 * Exim's string_printing() does (\n, \t, \ooo), as it quotes config text
 * in messages and prints string values with -bP; free() it. */
char *exim_options_printable(const char *s);

#endif
