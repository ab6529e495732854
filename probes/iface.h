/* iface - facts about this host's addresses: which interface holds an
 * address, its prefix length, its IPv6 address flags, and what kind of
 * address it is (its scope class).
 *
 * The scope class of an address comes from auditor/foundation/scope.h. The
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

#include "auditor/foundation/scope.h"

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
    enum scope scope;            /* scope_classify() of bytes */
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
