/* tsupport - small helpers shared by the test suites: temporary directories,
 * files, running commands with captured output, and where the built program is.
 *
 * Tests run from the top of the source tree (samples/ is reachable as a
 * relative path). Failures inside these helpers abort the test with a message.
 */
#ifndef MP_TSUPPORT_H
#define MP_TSUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* ts_tmpdir - a new empty directory under $TMPDIR or /tmp; free() the name. */
char *ts_tmpdir(const char *tag);
/* ts_rmtree - remove a directory tree made by ts_tmpdir. */
void ts_rmtree(const char *dir);
/* ts_write_file - create or replace path with content (parent must exist). */
void ts_write_file(const char *path, const char *content);
/* ts_read_file - whole file, NUL-terminated; NULL when unreadable. free() it. */
char *ts_read_file(const char *path, size_t *len);
/* ts_run - run a shell command; stdout and stderr captured into *out and *err
 * (either may be NULL to discard). Returns the exit status, or 128+signal. */
int ts_run(const char *cmd, char **out, char **err);
/* ts_bin - absolute path of the built mta-preflight (from MP_BIN). */
const char *ts_bin(void);
/* ts_tool - absolute path of a helper tool built from tests/tools/NAME.c. */
char *ts_tool(const char *name);
/* ts_is_root - whether tests that need root (namespaces, oracle) can run. */
bool ts_is_root(void);
/* ts_under_valgrind - MP_VALGRIND is set: slow tests may shrink their input. */
bool ts_under_valgrind(void);

#endif
