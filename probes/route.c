/* route - the kernel's source address for SMTP, and the bind check; see route.h. */
#include "probes/route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A numeric address in both forms, with its family. */
struct route_addr {
    int family;
    size_t len;
    unsigned char bytes[16];
};

static int route_parse(const char *text, struct route_addr *a)
{
    memset(a, 0, sizeof(*a));
    if (!text)
        return -1;
    if (inet_pton(AF_INET, text, a->bytes) == 1) {
        a->family = AF_INET;
        a->len = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, text, a->bytes) == 1) {
        a->family = AF_INET6;
        a->len = 16;
        return 0;
    }
    return -1;
}

static socklen_t route_sockaddr(const struct route_addr *a, unsigned port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (a->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        memcpy(&sin->sin_addr, a->bytes, 4);
        return sizeof(*sin);
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((unsigned short)port);
    memcpy(&sin6->sin6_addr, a->bytes, 16);
    return sizeof(*sin6);
}

/* A test bind() of a TCP socket to address, port 0: 0 when the address is
 * this host's (or non-local binds are allowed), else the errno. */
static int route_try_bind(const struct route_addr *a)
{
    struct sockaddr_storage ss;
    int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    socklen_t sl = route_sockaddr(a, 0, &ss);
    int err = bind(fd, (struct sockaddr *)&ss, sl) == 0 ? 0 : errno;
    close(fd);
    return err;
}

/* Errors that mean "the kernel has no usable route", as opposed to "the
 * question failed". EACCES is what a 'prohibit' route answers. */
static bool route_errno_unreachable(int err)
{
    return err == ENETUNREACH || err == EHOSTUNREACH || err == EACCES;
}

struct route_reply {
    struct route_result *out;
    bool seen;
    unsigned char type;
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;
    if (mnl_attr_type_valid(attr, RTA_MAX) >= 0)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static int route_msg_cb(const struct nlmsghdr *nlh, void *data)
{
    struct route_reply *r = data;
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[RTA_MAX + 1];
    size_t len = rtm->rtm_family == AF_INET ? 4 : 16;

    if (nlh->nlmsg_type != RTM_NEWROUTE)
        return MNL_CB_OK;
    memset(tb, 0, sizeof(tb));
    mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb);
    r->seen = true;
    r->type = rtm->rtm_type;
    r->out->table = rtm->rtm_table;
    if (tb[RTA_TABLE] && mnl_attr_get_payload_len(tb[RTA_TABLE]) >= 4)
        r->out->table = mnl_attr_get_u32(tb[RTA_TABLE]);
    if (tb[RTA_PREFSRC] && mnl_attr_get_payload_len(tb[RTA_PREFSRC]) >= len)
        inet_ntop(rtm->rtm_family, mnl_attr_get_payload(tb[RTA_PREFSRC]), r->out->source,
                  sizeof(r->out->source));
    if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) >= len)
        inet_ntop(rtm->rtm_family, mnl_attr_get_payload(tb[RTA_GATEWAY]), r->out->gateway,
                  sizeof(r->out->gateway));
    if (tb[RTA_OIF] && mnl_attr_get_payload_len(tb[RTA_OIF]) >= 4) {
        r->out->ifindex = mnl_attr_get_u32(tb[RTA_OIF]);
        if (!if_indextoname(r->out->ifindex, r->out->ifname))
            r->out->ifname[0] = '\0';
    }
    return MNL_CB_OK;
}

/* Returns 0 when the kernel answered (ok or unreachable), -1 with errno when
 * netlink itself could not be used. */
static int route_netlink(const struct route_addr *dst, const struct route_addr *src, struct route_result *out)
{
    char buf[8192];
    struct route_reply reply = { out, false, 0 };
    int ret = -1, saved;

    struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
    if (!nl)
        return -1;
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
        goto done;

    /* libmnl leaves attribute padding as it finds it: never send stack bytes. */
    memset(buf, 0, sizeof(buf));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETROUTE;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    unsigned seq = (unsigned)time(NULL);
    nlh->nlmsg_seq = seq;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = (unsigned char)dst->family;
    rtm->rtm_dst_len = (unsigned char)(dst->len * 8);
    /* Report the table the rules selected, not always "main". */
    rtm->rtm_flags = RTM_F_LOOKUP_TABLE;
    mnl_attr_put(nlh, RTA_DST, dst->len, dst->bytes);
    if (src) {
        rtm->rtm_src_len = (unsigned char)(src->len * 8);
        mnl_attr_put(nlh, RTA_SRC, src->len, src->bytes);
    }
    /* What makes this the MTA's question: rules with ipproto/dport match
     * it, and uidrange rules see the MTA's user instead of ours. */
    mnl_attr_put_u8(nlh, RTA_IP_PROTO, IPPROTO_TCP);
    mnl_attr_put_u16(nlh, RTA_DPORT, htons((unsigned short)out->port));
    if (out->uid >= 0)
        mnl_attr_put_u32(nlh, RTA_UID, (uint32_t)out->uid);
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        goto done;

    ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
    if (got < 0)
        goto done;
    if (mnl_cb_run(buf, (size_t)got, seq, mnl_socket_get_portid(nl), route_msg_cb, &reply) < 0) {
        /* The kernel's own error for this route: errno holds it. */
        if (!route_errno_unreachable(errno))
            goto done;
        out->status = ROUTE_UNREACHABLE;
        out->error = errno;
        ret = 0;
        goto done;
    }
    if (!reply.seen) {
        errno = EPROTO;
        goto done;
    }
    if (reply.type == RTN_UNREACHABLE || reply.type == RTN_PROHIBIT || reply.type == RTN_BLACKHOLE) {
        out->status = ROUTE_UNREACHABLE;
        out->error = ENETUNREACH;
        out->source[0] = out->gateway[0] = out->ifname[0] = '\0';
        ret = 0;
        goto done;
    }
    if (src) {
        /* A bound socket sends from its bound address; the kernel's answer
         * omits RTA_PREFSRC (IPv4) or names its own preference (IPv6). */
        inet_ntop(src->family, src->bytes, out->source, sizeof(out->source));
    }
    if (!out->source[0]) {
        /* A route without a usable source (every address tentative, say). */
        errno = EADDRNOTAVAIL;
        goto done;
    }
    out->status = ROUTE_OK;
    ret = 0;
done:
    saved = errno;
    mnl_socket_close(nl);
    errno = saved;
    return ret;
}

/* Connecting a UDP socket only selects a route and a source; nothing is sent. */
static void route_udp(const struct route_addr *dst, const struct route_addr *src, struct route_result *out)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    out->method = ROUTE_UDP;
    if (fd < 0) {
        out->status = ROUTE_ERROR;
        out->error = errno;
        return;
    }
    if (src) {
        sl = route_sockaddr(src, 0, &ss);
        if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
            goto fail;
    }
    sl = route_sockaddr(dst, out->port, &ss);
    if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
        goto fail;
    sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
        goto fail;
    if (dst->family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out->source, sizeof(out->source));
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out->source, sizeof(out->source));
    out->status = ROUTE_OK;
    close(fd);
    return;
fail:
    out->error = errno;
    out->status = route_errno_unreachable(out->error) ? ROUTE_UNREACHABLE : ROUTE_ERROR;
    close(fd);
}

/* The largest uid the kernel takes: (uid_t)-1 means "no uid". */
#define ROUTE_UID_MAX 4294967294L

enum route_status route_ask(const struct route_question *q, struct route_result *out)
{
    struct route_addr dst, src;
    const char *target = q->target, *source = q->source;
    enum route_method method = q->method;

    memset(out, 0, sizeof(*out));
    out->status = ROUTE_ERROR;
    out->method = method == ROUTE_UDP ? ROUTE_UDP : ROUTE_NETLINK;
    out->port = q->port ? q->port : ROUTE_SMTP_PORT;
    out->uid = q->uid < 0 ? -1 : q->uid;
    if (route_parse(target, &dst) < 0 || (source && route_parse(source, &src) < 0) || out->port > 65535 ||
        out->uid > ROUTE_UID_MAX) {
        out->error = EINVAL;
        return out->status;
    }
    out->family = dst.family;
    inet_ntop(dst.family, dst.bytes, out->target, sizeof(out->target));
    if (source && src.family != dst.family) {
        out->error = EAFNOSUPPORT;
        return out->status;
    }
    /* The MTA's bind() would fail first (IPv6 route queries do not check
     * the source at all), so a foreign source is an error for both families. */
    if (source && (out->error = route_try_bind(&src)) != 0)
        return out->status;
    if (method != ROUTE_UDP) {
        if (route_netlink(&dst, source ? &src : NULL, out) == 0)
            return out->status;
        out->error = errno;
        if (method == ROUTE_NETLINK)
            return out->status;
        /* Netlink gave no answer (sandboxed, or an old kernel that rejects
         * RTA_IP_PROTO): the UDP probe still sees ordinary routing. */
        struct route_result keep = *out;
        memset(out, 0, sizeof(*out));
        out->family = dst.family;
        memcpy(out->target, keep.target, sizeof(out->target));
        out->port = keep.port;
        out->uid = keep.uid;
    }
    route_udp(&dst, source ? &src : NULL, out);
    return out->status;
}

enum route_status route_lookup(const char *target, const char *source, enum route_method method,
                               struct route_result *out)
{
    struct route_question q = ROUTE_QUESTION_INIT;
    q.target = target;
    q.source = source;
    q.method = method;
    return route_ask(&q, out);
}

const char *route_default_target(int family)
{
    if (family == AF_INET)
        return ROUTE_DEFAULT_TARGET_IPV4;
    if (family == AF_INET6)
        return ROUTE_DEFAULT_TARGET_IPV6;
    return NULL;
}

const char *route_status_tostr(enum route_status status)
{
    switch (status) {
    case ROUTE_OK:
        return "ok";
    case ROUTE_UNREACHABLE:
        return "unreachable";
    case ROUTE_ERROR:
        break;
    }
    return "error";
}

const char *route_method_tostr(enum route_method method)
{
    switch (method) {
    case ROUTE_NETLINK:
        return "netlink";
    case ROUTE_UDP:
        return "udp";
    case ROUTE_AUTO:
        break;
    }
    return "auto";
}

enum route_bind_status route_bind_ask(const char *address, const struct route_question *q, struct route_bind *out)
{
    struct route_addr a;
    struct route_question ask = *q;

    memset(out, 0, sizeof(*out));
    out->status = ROUTE_BIND_ERROR;
    out->route.status = ROUTE_ERROR;
    if (route_parse(address, &a) < 0) {
        out->error = EINVAL;
        return out->status;
    }
    inet_ntop(a.family, a.bytes, out->address, sizeof(out->address));
    if (!ask.target)
        ask.target = route_default_target(a.family);

    int err = route_try_bind(&a);
    if (err == 0) {
        out->status = ROUTE_BIND_LOCAL;
        ask.source = out->address;
        route_ask(&ask, &out->route);
    } else if (err == EADDRNOTAVAIL) {
        out->status = ROUTE_BIND_NOT_LOCAL;
        out->error = err;
        ask.source = NULL;
        route_ask(&ask, &out->route);
    } else {
        out->error = err;
    }
    return out->status;
}

enum route_bind_status route_bind_check(const char *address, const char *target, struct route_bind *out)
{
    struct route_question q = ROUTE_QUESTION_INIT;
    q.target = target;
    return route_bind_ask(address, &q, out);
}

const char *route_bind_status_tostr(enum route_bind_status status)
{
    switch (status) {
    case ROUTE_BIND_LOCAL:
        return "local";
    case ROUTE_BIND_NOT_LOCAL:
        return "not-local";
    case ROUTE_BIND_ERROR:
        break;
    }
    return "error";
}
