/* iface - facts about this host's addresses: which interface holds an
 * address, its prefix length, its IPv6 address flags, and what kind of
 * address it is (its scope class).
 *
 * iface_scope_classify() is pure: it looks at the address bytes only. The
 * address list comes from one rtnetlink RTM_GETADDR dump of the current
 * network namespace, so it shows the flags receivers indirectly care about: a
 * temporary (privacy) IPv6 source changes over time and never has a PTR; a
 * deprecated one is on its way out; a tentative or dadfailed one cannot be
 * used yet (or at all).
 *
 * Invariant: every struct iface_addr is plain data (fixed-size arrays, no
 * pointers), so callers may copy it freely, e.g. through a pipe.
 */
#ifndef MP_IFACE_H
#define MP_IFACE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* What kind of address this is; the words are the interface's "scope" values. */
enum iface_scope {
    IFACE_SCOPE_GLOBAL,        /* "global": globally routable unicast */
    IFACE_SCOPE_PRIVATE,       /* "private": RFC 1918 10/8, 172.16/12, 192.168/16 */
    IFACE_SCOPE_SHARED,        /* "shared": RFC 6598 carrier-grade NAT 100.64/10 */
    IFACE_SCOPE_UNIQUE_LOCAL,  /* "unique-local": fc00::/7 */
    IFACE_SCOPE_LINK_LOCAL,    /* "link-local": 169.254/16, fe80::/10 */
    IFACE_SCOPE_LOOPBACK,      /* "loopback": 127/8, ::1 */
    IFACE_SCOPE_DOCUMENTATION, /* "documentation": 192.0.2/24, 198.51.100/24, 203.0.113/24,
                                  2001:db8::/32, 3fff::/20 */
    IFACE_SCOPE_RESERVED,      /* "reserved": any other special-purpose range (unspecified,
                                  multicast, 0/8, 240/4, benchmarking 198.18/15, IETF 192.0.0/24,
                                  IPv6 outside 2000::/3, ...); never a usable public source */
};
#define IFACE_NSCOPES 8

/* iface_scope_tostr - the interface word for a scope ("global", ...). */
const char *iface_scope_tostr(enum iface_scope scope);
/* iface_scope_fromstr - the inverse of iface_scope_tostr; -1 when unknown. */
int iface_scope_fromstr(const char *word);

/* iface_scope_classify - the scope of a 4-byte (AF_INET) or 16-byte
 * (AF_INET6) address in network order. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is classified as its IPv4 address. */
enum iface_scope iface_scope_classify(int family, const unsigned char *addr);
/* iface_scope_classify_str - the same for a numeric address in text form.
 * Returns 0 and sets *scope, or -1 when text is not a numeric address. */
int iface_scope_classify_str(const char *text, enum iface_scope *scope);

/* One address of this host. flags holds the kernel's IFA_F_* bits (from the
 * 32-bit IFA_FLAGS attribute when present, else the 8-bit ifa_flags). */
struct iface_addr {
    int family;                        /* AF_INET or AF_INET6 */
    unsigned char bytes[16];           /* network order; 4 used for AF_INET */
    char address[INET6_ADDRSTRLEN];    /* canonical text form */
    unsigned prefixlen;
    unsigned ifindex;
    char ifname[IF_NAMESIZE];          /* "" when the index has no name any more */
    unsigned flags;                    /* IFA_F_* */
    unsigned char rt_scope;            /* RT_SCOPE_*: the kernel's own host/link/universe */
    enum iface_scope scope;            /* iface_scope_classify() of bytes */
};

/* Flag tests on an iface_addr (IPv6 meanings; IPv4 addresses never have them). */
bool iface_addr_temporary(const struct iface_addr *a);  /* IFA_F_TEMPORARY: privacy address */
bool iface_addr_deprecated(const struct iface_addr *a); /* IFA_F_DEPRECATED: preferred lifetime over */
bool iface_addr_tentative(const struct iface_addr *a);  /* IFA_F_TENTATIVE: DAD still running */
bool iface_addr_dadfailed(const struct iface_addr *a);  /* IFA_F_DADFAILED: duplicate on the link */
bool iface_addr_mngtmpaddr(const struct iface_addr *a); /* IFA_F_MANAGETEMPADDR: temporaries made from it */

struct iface_list {
    struct iface_addr *items;
    size_t n, cap;
};
#define IFACE_LIST_INIT { NULL, 0, 0 }

/* iface_list_load - replace list's contents with every IPv4 and IPv6 address
 * of the current network namespace, in the kernel's dump order. Returns 0,
 * or -1 with errno set (netlink unavailable, EPERM, ...) and list emptied. */
int iface_list_load(struct iface_list *list);

/* iface_list_find - the entry whose address equals text (any spelling of the
 * same address), or NULL. The pointer is valid until the list changes. */
const struct iface_addr *iface_list_find(const struct iface_list *list, const char *text);

/* iface_list_free - release the entries; the list may be loaded again. */
void iface_list_free(struct iface_list *list);

#endif
