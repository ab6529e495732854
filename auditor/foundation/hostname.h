/* hostname - validation of host names, EHLO address literals and addresses,
 * and escaping of untrusted text for printing.
 *
 * Everything here is pure and locale-independent (ASCII only). Names coming
 * from DNS or configuration are untrusted: a value may go into a suggested
 * command only after hostname_valid() or hostname_address_family() accepted
 * it, and may go to a terminal only through hostname_escape().
 */
#ifndef MP_HOSTNAME_H
#define MP_HOSTNAME_H

#include <stdbool.h>
#include <stddef.h>

/* hostname_valid - letters, digits, hyphens and dots only; labels of 1 to 63
 * characters that neither start nor end with a hyphen; at most 253
 * characters without the one trailing dot that is allowed. */
bool hostname_valid(const char *name);

/* hostname_is_fqdn - valid, with at least two labels, and the last label not
 * all digits (so "192.0.2.1" is not a domain name). */
bool hostname_is_fqdn(const char *name);

/* hostname_is_local - "localhost" or a name under it, or a name under a
 * suffix that is not delegated in the public DNS and that receivers treat as
 * private: .local, .localdomain, .lan, .home, .home.arpa, .intra, .internal,
 * .corp, .priv (case-insensitive, trailing dot ignored). */
bool hostname_is_local(const char *name);

/* hostname_equal - case-insensitive equality that ignores one trailing dot on
 * either side. NULL equals nothing. */
bool hostname_equal(const char *a, const char *b);

/* hostname_address_family - AF_INET or AF_INET6 when s is a numeric address
 * (IPv6 without brackets or zone), else 0. */
int hostname_address_family(const char *s);

/* hostname_address_equal - both are numeric addresses of the same family
 * with the same bytes ("2001:db8::10" equals "2001:0db8:0::10"). */
bool hostname_address_equal(const char *a, const char *b);

/* hostname_literal_parse - an SMTP address literal: "[192.0.2.1]" or
 * "[IPv6:2001:db8::1]" (tag case-insensitive). Returns 1 and copies the
 * address (without brackets or tag) into out when it is a well-formed
 * literal, 0 when name does not start with '[', -1 when it starts with '['
 * but is malformed. out must hold at least outlen bytes (46 is enough). */
int hostname_literal_parse(const char *name, char *out, size_t outlen);

/* hostname_escape - a printable copy of untrusted text: control characters,
 * DEL, backslash and bytes >= 0x80 become C-style escapes (\n, \t, \\,
 * \xNN). NULL gives "(none)". Newly allocated; free() it. */
char *hostname_escape(const char *s);

/* hostname_normal - a lowercase copy of name without one trailing dot
 * (ASCII case only); free() it. */
char *hostname_normal(const char *name);

#endif
