/* samples - the bundled sample configurations as test cases: the case
 * directories under samples/postfix and samples/exim, the small files a
 * case carries beside its configuration (hostname, stale, needs-heavy), and
 * a fresh copy of an Exim case laid out as Exim and Debian expect it.
 *
 * Case names are sorted, so loop-test indexes are stable.
 */
#ifndef MP_TEST_SAMPLES_H
#define MP_TEST_SAMPLES_H

#include <stdbool.h>

#include "auditor/foundation/strlist.h"

#define SAMPLES_POSTFIX "samples/postfix"
#define SAMPLES_EXIM "samples/exim"
/* The host name a case is parsed with when it has no hostname file. */
#define SAMPLES_DEFAULT_HOSTNAME "corpus-host.example.net"

/* samples_cases - the names of the directories in root (no dot names),
 * sorted, into out (left empty when root cannot be read). Once: a list
 * that already holds names is left as it is. */
void samples_cases(const char *root, struct strlist *out);

/* samples_exists - dir/name exists. */
bool samples_exists(const char *dir, const char *name);

/* samples_first_line - the first line of dir/name, or a copy of def (NULL
 * when def is NULL) when it cannot be read. free() it. */
char *samples_first_line(const char *dir, const char *name, const char *def);

/* samples_hostname - the case's host name: its hostname file, else
 * SAMPLES_DEFAULT_HOSTNAME. free() it. */
char *samples_hostname(const char *dir);

/* samples_exim_copy - the Exim case name copied into a fresh root-owned
 * temporary directory (tag names it), files mode 644 with one fixed mtime;
 * in a Debian layout the generated file is made newer than its sources, or
 * older when the case has a "stale" file. ts_rmtree() and free() it. */
char *samples_exim_copy(const char *name, const char *tag);

#endif
