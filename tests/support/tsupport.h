/* tsupport - small helpers shared by the test suites: temporary directories,
 * files, running commands with captured output, where the built program is,
 * and the announcement of a check that cannot run here.
 *
 * Tests run from the top of the source tree (samples/ is reachable as a
 * relative path). Failures inside these helpers abort the test with a message.
 *
 * Skips are counted across processes: libcheck forks every test, so
 * tsupport_skip() appends one line per skip to the file named by
 * MP_SKIP_FILE (the runner sets it), with one write() on an O_APPEND
 * descriptor so that lines from parallel writers never interleave.
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

/* The environment variable naming the file of skip records, and its format:
 * one "TEST<TAB>REASON<LF>" line per skipped check (tabs and newlines in
 * either part are written as spaces). */
#define TSUPPORT_SKIP_ENV "MP_SKIP_FILE"

/* tsupport_skip - the check `test` cannot run here (no root, a tool missing,
 * ...): print "skipped TEST: REASON" on stdout and record it in the file of
 * MP_SKIP_FILE, when set, for the runner to count and group by REASON. The
 * caller returns right after. Keep REASON free of per-case detail (put the
 * sample's name in `test`) so that equal causes group together. */
void tsupport_skip(const char *test, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
