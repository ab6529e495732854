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

#include "auditor/foundation/xalloc.h"

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
    a->scope = scope_classify(a->family, a->bytes);
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
