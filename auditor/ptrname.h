/* ptrname - the reverse-DNS owner name of an address: "10.2.0.192.in-addr.arpa"
 * for IPv4 and the 32-nibble "...ip6.arpa" name for IPv6, built from the
 * address bytes (so every spelling of one IPv6 address gives one name).
 * Names are lowercase and carry no trailing dot.
 */
#ifndef MP_PTRNAME_H
#define MP_PTRNAME_H

/* ptrname_from_address - the reverse name of a numeric address; newly
 * allocated (free() it), or NULL when address is not a numeric IPv4 or IPv6
 * address. */
char *ptrname_from_address(const char *address);

#endif
