/* slurp - read a whole regular file into memory, the one way every
 * configuration reader does it.
 *
 * The file is opened read-only and non-blocking, and anything that is not a
 * regular file is refused (a FIFO or a device could block or never end), so
 * that reading configuration can never hang. Nothing is ever written. */
#ifndef MP_SLURP_H
#define MP_SLURP_H

#include <stddef.h>

/* slurp_file - the contents of path, NUL-terminated (free() it), its length
 * in *len. max bounds the size (0: no bound). On failure returns NULL with
 * errno set (EISDIR for a directory, EINVAL for another non-regular file,
 * EFBIG over max, or what open/read said) and *step set to "open" or "read",
 * for messages such as "cannot open 'x': ..." and "cannot read 'x': ...". */
char *slurp_file(const char *path, size_t max, size_t *len, const char **step);

#endif
