/* route - which source address and interface the kernel would use for an
 * outbound SMTP connection, and whether a configured bind address is local.
 *
 * The question is asked exactly as the kernel will see the MTA's connect():
 * an rtnetlink RTM_GETROUTE for the destination with RTA_IP_PROTO = TCP,
 * RTA_DPORT = the port the MTA connects to (25, or a relay's 587), RTA_UID =
 * the user the MTA's SMTP client runs as, plus RTA_SRC when the MTA binds a
 * source, so policy routing keyed on SMTP ("ip rule add ipproto tcp dport 25
 * table N") or on the MTA's user ("ip rule add uidrange 102-102 table N")
 * applies. The answer's RTA_PREFSRC is the source, RTA_OIF the interface.
 * Where netlink is not available the probe falls back to a UDP connect() +
 * getsockname(), which sees ordinary routes but not rules keyed on TCP or on
 * a uid (route_result.method says which one answered).
 *
 * No probe here ever sends a packet: a route query, an unconnected bind() and
 * a UDP connect() are all local to the kernel.
 *
 * "No route" (ENETUNREACH, EHOSTUNREACH) is a fact about the host, reported
 * as ROUTE_UNREACHABLE, not an error: a host without IPv6 connectivity simply
 * cannot deliver over IPv6.
 *
 * Invariant: struct route_result and struct route_bind are plain data (no
 * pointers), so they may be copied freely, e.g. through a pipe.
 */
#ifndef MP_ROUTE_H
#define MP_ROUTE_H

#include <net/if.h>
#include <netinet/in.h>

/* Default destinations for the route lookup when --route-target is not
 * given: Google Public DNS, one address per family. They are long-lived,
 * publicly documented, globally routed unicast addresses, outside every
 * special-purpose range, so the kernel's answer for them is its answer for
 * "the Internet" (the default route, or whatever policy covers it). No
 * packet is ever sent to them. */
#define ROUTE_DEFAULT_TARGET_IPV4 "8.8.8.8"
#define ROUTE_DEFAULT_TARGET_IPV6 "2001:4860:4860::8888"

/* The TCP port whose routing is asked for when none is given. */
#define ROUTE_SMTP_PORT 25

enum route_status {
    ROUTE_OK,          /* source (and interface) known */
    ROUTE_UNREACHABLE, /* the kernel has no route: the family cannot be used */
    ROUTE_ERROR,       /* the question could not be asked or answered; see error */
};

enum route_method {
    ROUTE_AUTO,    /* netlink, else the UDP fallback (input only) */
    ROUTE_NETLINK, /* RTM_GETROUTE with TCP, the port and the uid */
    ROUTE_UDP,     /* UDP connect() + getsockname(): ignores rules keyed on TCP or uid */
};

struct route_result {
    enum route_status status;
    enum route_method method;          /* which probe produced the answer */
    int family;                        /* AF_INET or AF_INET6 */
    char target[INET6_ADDRSTRLEN];     /* destination asked for (canonical form) */
    unsigned port;                     /* TCP destination port asked for */
    long uid;                          /* uid asked for, -1 when none was given */
    char source[INET6_ADDRSTRLEN];     /* chosen source; "" unless ROUTE_OK */
    char gateway[INET6_ADDRSTRLEN];    /* next hop; "" when direct or unknown */
    unsigned ifindex;                  /* output interface; 0 when unknown */
    char ifname[IF_NAMESIZE];          /* its name; "" when unknown */
    unsigned table;                    /* routing table that answered; 0 when unknown */
    int error;                         /* errno for UNREACHABLE and ERROR, else 0 */
};

/* One question: a TCP connection as the MTA makes it. */
struct route_question {
    const char *target;        /* numeric destination; its family is the family asked about */
    const char *source;        /* the address the MTA binds to (same family), or NULL */
    unsigned port;             /* TCP destination port; 0 means ROUTE_SMTP_PORT */
    long uid;                  /* uid of the connecting process, -1 when unknown (the kernel
                                  then applies uid rules for the caller's own uid) */
    enum route_method method;  /* ROUTE_AUTO: netlink, UDP only when netlink cannot be used */
};

#define ROUTE_QUESTION_INIT { NULL, NULL, 0, -1, ROUTE_AUTO }

/* route_ask - ask the kernel which source and interface the connection of
 * *q would use. Fills *out and returns out->status; malformed arguments give
 * ROUTE_ERROR with error EINVAL (EAFNOSUPPORT for mixed families, EINVAL for
 * a port above 65535 or a uid above 2^32-2); a source that cannot be bound
 * gives ROUTE_ERROR with the bind() errno (EADDRNOTAVAIL: not an address of
 * this host; route_bind_ask() says what happens then). */
enum route_status route_ask(const struct route_question *q, struct route_result *out);

/* route_lookup - route_ask for TCP port 25 without a uid. */
enum route_status route_lookup(const char *target, const char *source, enum route_method method,
                               struct route_result *out);

/* route_default_target - ROUTE_DEFAULT_TARGET_IPV4 or _IPV6 for AF_INET or
 * AF_INET6 (static strings), NULL for any other family. */
const char *route_default_target(int family);

const char *route_status_tostr(enum route_status status); /* "ok", "unreachable", "error" */
const char *route_method_tostr(enum route_method method); /* "auto", "netlink", "udp" */

enum route_bind_status {
    ROUTE_BIND_LOCAL,     /* bind() succeeded: an address of this host */
    ROUTE_BIND_NOT_LOCAL, /* EADDRNOTAVAIL: not an address of this host */
    ROUTE_BIND_ERROR,     /* anything else (malformed address, no such family, ...) */
};

struct route_bind {
    enum route_bind_status status;
    char address[INET6_ADDRSTRLEN]; /* the bind address checked (canonical form) */
    int error;                      /* errno of the failed bind(), else 0 */
    /* For ROUTE_BIND_NOT_LOCAL: what the kernel would use without the bind,
     * which is what Postfix silently falls back to unless
     * smtp_bind_address_enforce = yes (Exim fails the delivery instead).
     * For ROUTE_BIND_LOCAL: the route from that source. Unset (status
     * ROUTE_ERROR, error 0) for ROUTE_BIND_ERROR. */
    struct route_result route;
};

/* route_bind_ask - test-bind() a TCP socket to address (port 0, no listen,
 * no connect), then ask the route of *q (its target NULL: the default target
 * of address's family; its source is ignored) from that address, or, when
 * the bind fails with EADDRNOTAVAIL, without a bind, as described at struct
 * route_bind. Note that with net.ipv4.ip_nonlocal_bind /
 * net.ipv6.ip_nonlocal_bind set, the kernel accepts any bind, and so does
 * the MTA: iface_list_find() tells whether the address is really
 * configured. Fills *out and returns out->status. */
enum route_bind_status route_bind_ask(const char *address, const struct route_question *q, struct route_bind *out);

/* route_bind_check - route_bind_ask for target, TCP port 25, without a uid. */
enum route_bind_status route_bind_check(const char *address, const char *target, struct route_bind *out);

const char *route_bind_status_tostr(enum route_bind_status status); /* "local", "not-local", "error" */

#endif
