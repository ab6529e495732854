/* iface - scope classes and the RTM_GETADDR dump; see iface.h. */
#include "probes/iface.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditor/xalloc.h"

/* Sorted by the enum's value so that the word for a value is words[value]. */
static const char *const iface_scope_words[IFACE_NSCOPES] = {
    "global", "private", "shared", "unique-local", "link-local", "loopback", "documentation", "reserved",
};

const char *iface_scope_tostr(enum iface_scope scope)
{
    if ((unsigned)scope >= IFACE_NSCOPES)
        return "reserved";
    return iface_scope_words[scope];
}

int iface_scope_fromstr(const char *word)
{
    for (int i = 0; word && i < IFACE_NSCOPES; i++)
        if (strcmp(word, iface_scope_words[i]) == 0)
            return i;
    return -1;
}

/* A prefix of a special-purpose table: the first 'bits' bits of 'net'. */
struct iface_range {
    unsigned char net[16];
    unsigned bits;
    enum iface_scope scope;
};

static bool iface_in_range(const unsigned char *addr, const struct iface_range *r)
{
    unsigned full = r->bits / 8, rest = r->bits % 8;
    if (memcmp(addr, r->net, full) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (addr[full] & mask) == (r->net[full] & mask);
}

/* IANA IPv4 special-purpose registry, the parts that matter for a mail
 * source; the first match wins, so more specific ranges come first. */
static const struct iface_range iface_v4_ranges[] = {
    { { 0 }, 8, IFACE_SCOPE_RESERVED },               /* "this network", 0.0.0.0 */
    { { 10 }, 8, IFACE_SCOPE_PRIVATE },
    { { 100, 64 }, 10, IFACE_SCOPE_SHARED },
    { { 127 }, 8, IFACE_SCOPE_LOOPBACK },
    { { 169, 254 }, 16, IFACE_SCOPE_LINK_LOCAL },
    { { 172, 16 }, 12, IFACE_SCOPE_PRIVATE },
    { { 192, 0, 0 }, 24, IFACE_SCOPE_RESERVED },      /* IETF protocol assignments */
    { { 192, 0, 2 }, 24, IFACE_SCOPE_DOCUMENTATION }, /* TEST-NET-1 */
    { { 192, 168 }, 16, IFACE_SCOPE_PRIVATE },
    { { 198, 18 }, 15, IFACE_SCOPE_RESERVED },        /* benchmarking */
    { { 198, 51, 100 }, 24, IFACE_SCOPE_DOCUMENTATION }, /* TEST-NET-2 */
    { { 203, 0, 113 }, 24, IFACE_SCOPE_DOCUMENTATION },  /* TEST-NET-3 */
    { { 224 }, 3, IFACE_SCOPE_RESERVED },             /* multicast 224/4 and 240/4 */
};

static const struct iface_range iface_v6_ranges[] = {
    { { 0 }, 128, IFACE_SCOPE_RESERVED },                                    /* :: */
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, IFACE_SCOPE_LOOPBACK }, /* ::1 */
    { { 0x20, 0x01, 0x0d, 0xb8 }, 32, IFACE_SCOPE_DOCUMENTATION },           /* 2001:db8::/32 */
    { { 0x3f, 0xff }, 20, IFACE_SCOPE_DOCUMENTATION },                       /* 3fff::/20 (RFC 9637) */
    { { 0x20 }, 3, IFACE_SCOPE_GLOBAL },                                     /* 2000::/3 */
    { { 0xfc }, 7, IFACE_SCOPE_UNIQUE_LOCAL },
    { { 0xfe, 0x80 }, 10, IFACE_SCOPE_LINK_LOCAL },
};

enum iface_scope iface_scope_classify(int family, const unsigned char *addr)
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    if (family == AF_INET6 && memcmp(addr, mapped, sizeof(mapped)) == 0) {
        family = AF_INET;
        addr += 12;
    }
    if (family == AF_INET) {
        for (size_t i = 0; i < sizeof(iface_v4_ranges) / sizeof(iface_v4_ranges[0]); i++)
            if (iface_in_range(addr, &iface_v4_ranges[i]))
                return iface_v4_ranges[i].scope;
        return IFACE_SCOPE_GLOBAL;
    }
    for (size_t i = 0; i < sizeof(iface_v6_ranges) / sizeof(iface_v6_ranges[0]); i++)
        if (iface_in_range(addr, &iface_v6_ranges[i]))
            return iface_v6_ranges[i].scope;
    /* Everything outside 2000::/3 that is not listed above (multicast ff00::/8,
     * site-local fec0::/10, the IPv4-compatible and NAT64 forms) is not a
     * public unicast source. */
    return IFACE_SCOPE_RESERVED;
}

int iface_scope_classify_str(const char *text, enum iface_scope *scope)
{
    unsigned char buf[16];

    if (text && inet_pton(AF_INET, text, buf) == 1)
        *scope = iface_scope_classify(AF_INET, buf);
    else if (text && inet_pton(AF_INET6, text, buf) == 1)
        *scope = iface_scope_classify(AF_INET6, buf);
    else
        return -1;
    return 0;
}

bool iface_addr_temporary(const struct iface_addr *a) { return a->flags & IFA_F_TEMPORARY; }
bool iface_addr_deprecated(const struct iface_addr *a) { return a->flags & IFA_F_DEPRECATED; }
bool iface_addr_tentative(const struct iface_addr *a) { return a->flags & IFA_F_TENTATIVE; }
bool iface_addr_dadfailed(const struct iface_addr *a) { return a->flags & IFA_F_DADFAILED; }
bool iface_addr_mngtmpaddr(const struct iface_addr *a) { return a->flags & IFA_F_MANAGETEMPADDR; }

struct iface_walk {
    const struct nlattr *tb[IFA_MAX + 1];
};

static int iface_attr_cb(const struct nlattr *attr, void *data)
{
    struct iface_walk *w = data;
    int type = mnl_attr_get_type(attr);

    if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
        return MNL_CB_OK; /* newer kernel attribute: ignore */
    w->tb[type] = attr;
    return MNL_CB_OK;
}

static int iface_msg_cb(const struct nlmsghdr *nlh, void *data)
{
    struct iface_list *list = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    struct iface_walk w;
    size_t len;

    if (nlh->nlmsg_type != RTM_NEWADDR)
        return MNL_CB_OK;
    if (ifa->ifa_family == AF_INET)
        len = 4;
    else if (ifa->ifa_family == AF_INET6)
        len = 16;
    else
        return MNL_CB_OK;
    memset(&w, 0, sizeof(w));
    mnl_attr_parse(nlh, sizeof(*ifa), iface_attr_cb, &w);
    /* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on a
     * point-to-point IPv4 link, and the only one IPv6 sends. */
    const struct nlattr *at = w.tb[IFA_LOCAL] ? w.tb[IFA_LOCAL] : w.tb[IFA_ADDRESS];
    if (!at || mnl_attr_get_payload_len(at) < len)
        return MNL_CB_OK;

    XGROW(list->items, list->cap, list->n + 1);
    struct iface_addr *a = &list->items[list->n++];
    memset(a, 0, sizeof(*a));
    a->family = ifa->ifa_family;
    memcpy(a->bytes, mnl_attr_get_payload(at), len);
    inet_ntop(a->family, a->bytes, a->address, sizeof(a->address));
    a->prefixlen = ifa->ifa_prefixlen;
    a->ifindex = ifa->ifa_index;
    if (!if_indextoname(a->ifindex, a->ifname))
        a->ifname[0] = '\0';
    /* The 8-bit ifa_flags cannot hold IFA_F_MANAGETEMPADDR and later bits. */
    a->flags = ifa->ifa_flags;
    if (w.tb[IFA_FLAGS] && mnl_attr_get_payload_len(w.tb[IFA_FLAGS]) >= 4)
        a->flags = mnl_attr_get_u32(w.tb[IFA_FLAGS]);
    a->rt_scope = ifa->ifa_scope;
    a->scope = iface_scope_classify(a->family, a->bytes);
    return MNL_CB_OK;
}

int iface_list_load(struct iface_list *list)
{
    char buf[32768]; /* a dump message never exceeds a page; this holds several */
    struct mnl_socket *nl;
    int ret = -1, saved = 0;

    list->n = 0;
    nl = mnl_socket_open(NETLINK_ROUTE);
    if (!nl)
        return -1;
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
        goto done;

    memset(buf, 0, 1024); /* the request: libmnl leaves padding as it finds it */
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETADDR;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    unsigned seq = (unsigned)time(NULL);
    nlh->nlmsg_seq = seq;
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_UNSPEC;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        goto done;

    unsigned portid = mnl_socket_get_portid(nl);
    for (;;) {
        ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
        if (got < 0)
            goto done;
        int rc = mnl_cb_run(buf, (size_t)got, seq, portid, iface_msg_cb, list);
        if (rc < 0)
            goto done;
        if (rc == MNL_CB_STOP)
            break;
    }
    ret = 0;
done:
    if (ret < 0) {
        saved = errno;
        list->n = 0;
    }
    mnl_socket_close(nl);
    if (ret < 0)
        errno = saved;
    return ret;
}

const struct iface_addr *iface_list_find(const struct iface_list *list, const char *text)
{
    unsigned char buf[16];
    int family;
    size_t len;

    if (text && inet_pton(AF_INET, text, buf) == 1) {
        family = AF_INET;
        len = 4;
    } else if (text && inet_pton(AF_INET6, text, buf) == 1) {
        family = AF_INET6;
        len = 16;
    } else {
        return NULL;
    }
    for (size_t i = 0; i < list->n; i++)
        if (list->items[i].family == family && memcmp(list->items[i].bytes, buf, len) == 0)
            return &list->items[i];
    return NULL;
}

void iface_list_free(struct iface_list *list)
{
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}
