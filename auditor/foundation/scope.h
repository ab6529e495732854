/* scope - what kind of address an address is: the "scope" words of the
 * interface (global, private, shared, unique-local, link-local, loopback,
 * documentation) plus "reserved" for other special-purpose ranges.
 *
 * Pure: it looks at the address bytes only, so the interface probe, the
 * checks and the reports classify an address the same way.
 */
#ifndef MP_SCOPE_H
#define MP_SCOPE_H

#include <stdbool.h>

/* What kind of address this is; the words are the interface's "scope" values. */
enum scope {
    SCOPE_GLOBAL,        /* "global": globally routable unicast */
    SCOPE_PRIVATE,       /* "private": RFC 1918 10/8, 172.16/12, 192.168/16 */
    SCOPE_SHARED,        /* "shared": RFC 6598 carrier-grade NAT 100.64/10 */
    SCOPE_UNIQUE_LOCAL,  /* "unique-local": fc00::/7 */
    SCOPE_LINK_LOCAL,    /* "link-local": 169.254/16, fe80::/10 */
    SCOPE_LOOPBACK,      /* "loopback": 127/8, ::1 */
    SCOPE_DOCUMENTATION, /* "documentation": 192.0.2/24, 198.51.100/24, 203.0.113/24,
                                  2001:db8::/32, 3fff::/20 */
    SCOPE_RESERVED,      /* "reserved": any other special-purpose range (unspecified,
                                  multicast, 0/8, 240/4, benchmarking 198.18/15, IETF 192.0.0/24,
                                  IPv6 outside 2000::/3, ...); never a usable public source */
};
#define SCOPE_COUNT 8

/* scope_tostr - the interface word for a scope ("global", ...). */
const char *scope_tostr(enum scope scope);
/* scope_fromstr - the inverse of scope_tostr; -1 when unknown. */
int scope_fromstr(const char *word);

/* scope_classify - the scope of a 4-byte (AF_INET) or 16-byte
 * (AF_INET6) address in network order. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is classified as its IPv4 address. */
enum scope scope_classify(int family, const unsigned char *addr);
/* scope_classify_str - the same for a numeric address in text form.
 * Returns 0 and sets *scope, or -1 when text is not a numeric address. */
int scope_classify_str(const char *text, enum scope *scope);

/* scope_of - the scope of a numeric address in text form; SCOPE_GLOBAL for
 * NULL or a malformed one. */
enum scope scope_of(const char *address);

/* scope_public - receivers can see such an address itself: global and
 * documentation scopes (the latter appear only in examples and test
 * networks, which stand for public ones). */
bool scope_public(enum scope scope);

#endif
