/* revname - reverse-lookup names for numeric addresses (pure, no I/O).
 *
 * The name is built from the bytes inet_pton() produces, never from the text,
 * so every spelling of an address ("2001:DB8::1", "2001:db8:0::1") gives the
 * same name: "4.3.2.1.in-addr.arpa" for 1.2.3.4 and the 32 lowercase nibbles
 * followed by "ip6.arpa" for IPv6. c-ares 1.18 has no helper for this.
 */
#ifndef MP_REVNAME_H
#define MP_REVNAME_H

#include <stddef.h>

/* Longest name: 32 nibbles "x." (64) + "ip6.arpa" (8) + NUL. */
#define REVNAME_MAX 73

/* revname_from_bytes - the reverse name of a 4-byte (IPv4) or 16-byte (IPv6)
 * address in network order, written to out (at least REVNAME_MAX bytes).
 * Returns 0, or -1 (out untouched) when len is neither 4 nor 16. */
int revname_from_bytes(const unsigned char *addr, size_t len, char out[REVNAME_MAX]);

/* revname_from_string - the same for a numeric address in text form (no
 * brackets, no zone index). Returns 0, or -1 when text is not an IPv4 or IPv6
 * address. */
int revname_from_string(const char *text, char out[REVNAME_MAX]);

/* revname_of - the reverse name of a numeric address as a newly allocated
 * string (free() it), or NULL when address is NULL or not numeric. */
char *revname_of(const char *address);

#endif
