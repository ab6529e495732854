/* atomic - replace a file so that readers see the old contents or the new,
 * never a part: a temporary file in the same directory, written, fsync'ed,
 * given its mode, then renamed over the target (and the directory synced).
 *
 * Used for the program's own output files (--output, --state), never for
 * configuration: the tool does not change an MTA's files. */
#ifndef MP_ATOMIC_H
#define MP_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/* atomic_write - write len bytes of data to path with the given mode.
 * Returns 0, or -1 with *error set to a newly allocated one-line message
 * ("cannot write 'PATH': REASON"); the target is then as it was and no
 * temporary file is left behind. */
int atomic_write(const char *path, const void *data, size_t len, mode_t mode, char **error);

#endif
