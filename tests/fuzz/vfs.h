/* vfs - an in-memory file system for the fuzz harnesses.
 *
 * The harnesses feed fuzzer-made text to parsers that can read further files
 * (Exim's .include, Debian's exim4 layout). They must never touch the real
 * file system: every harness is linked with
 *   -Wl,--wrap=slurp_file,--wrap=stat,--wrap=opendir
 * so that the library's calls land here. While a test input runs
 * (between vfs_begin and vfs_end) only the files added with vfs_add exist:
 * everything else is "No such file or directory" and no directory can be
 * listed. Outside that window the calls go to the real functions, because
 * libFuzzer itself stats and lists its corpus directories.
 */
#ifndef MP_FUZZ_VFS_H
#define MP_FUZZ_VFS_H

#include <stddef.h>

/* vfs_begin - start a test input with an empty file system. */
void vfs_begin(void);
/* vfs_add - a regular file at path with len bytes of data (borrowed: it must
 * stay valid until vfs_end). path "*" stands for every path not added. */
void vfs_add(const char *path, const char *data, size_t len);
/* vfs_end - forget the files; the real file system is back. */
void vfs_end(void);

#endif
