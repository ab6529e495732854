/* dns - the concurrent, deadline-bounded lookup batch on c-ares 1.18; see dns.h. */
#include "probes/dns.h"

#include <sys/select.h> /* <ares.h> 1.18 needs fd_set */

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditor/foundation/xalloc.h"
#include "auditor/foundation/revname.h"

#define DNS_DEFAULT_TRY_MS 1000
#define DNS_DEFAULT_TRIES 3

struct dns_query {
    struct dns_result res;
    struct dns_batch *batch;
    unsigned char addr[16]; /* PTR: the address bytes, for ares_parse_ptr_reply */
    int addr_family;        /* AF_INET / AF_INET6 / 0 when the PTR name was given directly */
    bool asked;             /* ares_query() called */
    bool done;              /* callback seen */
    long long started;
};

struct dns_sock {
    ares_socket_t fd;
    bool read, write;
};

struct dns_batch {
    ares_channel channel;
    struct dns_query **queries; /* separately allocated: callbacks hold the pointers */
    size_t n, cap;
    struct dns_sock *socks;
    size_t nsocks, socks_cap;
    size_t outstanding;
    unsigned rounds;
    bool cancelling;
};

long long dns_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long dns_deadline_in(unsigned ms)
{
    return dns_now_ms() + ms;
}

static const char *const dns_status_words[] = {
    "ok", "nxdomain", "nodata", "servfail", "refused", "timeout", "error", "pending",
};

const char *dns_status_tostr(enum dns_status status)
{
    if ((unsigned)status >= sizeof(dns_status_words) / sizeof(dns_status_words[0]))
        return "error";
    return dns_status_words[status];
}

int dns_status_fromstr(const char *word)
{
    for (size_t i = 0; word && i < sizeof(dns_status_words) / sizeof(dns_status_words[0]); i++)
        if (strcmp(word, dns_status_words[i]) == 0)
            return (int)i;
    return -1;
}

const char *dns_type_tostr(enum dns_type type)
{
    switch (type) {
    case DNS_A:
        return "A";
    case DNS_AAAA:
        return "AAAA";
    case DNS_PTR:
        break;
    }
    return "PTR";
}

int dns_server_parse(const char *spec, struct dns_server *out)
{
    unsigned char buf[16];
    char host[64];
    const char *port = NULL;
    size_t hlen;

    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        return -1;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close)
            return -1;
        hlen = (size_t)(close - spec - 1);
        if (hlen >= sizeof(host))
            return -1;
        memcpy(host, spec + 1, hlen);
        host[hlen] = '\0';
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return -1;
        if (inet_pton(AF_INET6, host, buf) != 1)
            return -1;
    } else {
        const char *colon = strchr(spec, ':');
        if (colon && strchr(colon + 1, ':')) {
            /* Several colons and no brackets: a bare IPv6 address. */
            if (strlen(spec) >= sizeof(host) || inet_pton(AF_INET6, spec, buf) != 1)
                return -1;
            snprintf(host, sizeof(host), "%s", spec);
        } else {
            hlen = colon ? (size_t)(colon - spec) : strlen(spec);
            if (hlen >= sizeof(host))
                return -1;
            memcpy(host, spec, hlen);
            host[hlen] = '\0';
            if (inet_pton(AF_INET, host, buf) != 1)
                return -1;
            if (colon)
                port = colon + 1;
        }
    }
    out->port = 53;
    if (port) {
        unsigned long v = 0;
        if (!*port || strlen(port) > 5)
            return -1;
        for (const char *p = port; *p; p++) {
            if (!isdigit((unsigned char)*p))
                return -1;
            v = v * 10 + (unsigned long)(*p - '0');
        }
        if (v < 1 || v > 65535)
            return -1;
        out->port = (unsigned)v;
    }
    /* Canonical text: the form inet_ntop() gives. */
    if (strchr(host, ':'))
        inet_ntop(AF_INET6, buf, out->address, sizeof(out->address));
    else
        inet_ntop(AF_INET, buf, out->address, sizeof(out->address));
    return 0;
}

static void dns_sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
    struct dns_batch *b = data;
    size_t i;

    for (i = 0; i < b->nsocks; i++)
        if (b->socks[i].fd == fd)
            break;
    if (!readable && !writable) {
        if (i < b->nsocks)
            b->socks[i] = b->socks[--b->nsocks];
        return;
    }
    if (i == b->nsocks) {
        XGROW(b->socks, b->socks_cap, b->nsocks + 1);
        b->nsocks++;
        b->socks[i].fd = fd;
    }
    b->socks[i].read = readable != 0;
    b->socks[i].write = writable != 0;
}

int dns_batch_new(const struct dns_options *opts, struct dns_batch **out, char **err)
{
    struct dns_options none = { 0 };
    struct ares_options o;
    char *resolv_conf = NULL;
    int mask, rc;

    if (!opts)
        opts = &none;
    *out = NULL;
    if (err)
        *err = NULL;
    rc = ares_library_init(ARES_LIB_INIT_ALL);
    if (rc != ARES_SUCCESS) {
        if (err)
            *err = xasprintf("cannot initialise DNS resolver: %s", ares_strerror(rc));
        return -1;
    }

    struct dns_batch *b = xcalloc(1, sizeof(*b));
    memset(&o, 0, sizeof(o));
    /* NOCHECKRESP: without it 1.18 turns SERVFAIL and REFUSED into a dead
     * server (ARES_ECONNREFUSED) and the audit could not tell them apart. */
    o.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
    o.timeout = (int)(opts->try_ms ? opts->try_ms : DNS_DEFAULT_TRY_MS);
    o.tries = (int)(opts->tries ? opts->tries : DNS_DEFAULT_TRIES);
    o.sock_state_cb = dns_sock_state_cb;
    o.sock_state_cb_data = b;
    o.ndomains = 0;
    o.domains = NULL;
    mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_DOMAINS;
    if (opts->nservers > 0 || opts->resolv_conf) {
        /* Explicit servers replace the system's: do not even read it. */
        /* c-ares copies the path but declares it non-const. */
        resolv_conf = xstrdup(opts->nservers > 0 ? "/dev/null" : opts->resolv_conf);
        o.resolvconf_path = resolv_conf;
        mask |= ARES_OPT_RESOLVCONF;
    }
    rc = ares_init_options(&b->channel, &o, mask);
    free(resolv_conf);
    if (rc != ARES_SUCCESS) {
        if (err && rc == ARES_EFILE)
            *err = xasprintf("cannot read '%s'", opts->resolv_conf ? opts->resolv_conf : "/etc/resolv.conf");
        else if (err)
            *err = xasprintf("cannot initialise DNS resolver: %s", ares_strerror(rc));
        free(b);
        ares_library_cleanup();
        return -1;
    }
    if (opts->nservers > 0) {
        struct ares_addr_port_node *nodes = xcalloc(opts->nservers, sizeof(*nodes));
        for (size_t i = 0; i < opts->nservers; i++) {
            struct ares_addr_port_node *nd = &nodes[i];
            nd->next = i + 1 < opts->nservers ? &nodes[i + 1] : NULL;
            nd->udp_port = nd->tcp_port = (int)opts->servers[i].port;
            if (inet_pton(AF_INET, opts->servers[i].address, &nd->addr.addr4) == 1) {
                nd->family = AF_INET;
            } else if (inet_pton(AF_INET6, opts->servers[i].address, &nd->addr.addr6) == 1) {
                nd->family = AF_INET6;
            } else {
                if (err)
                    *err = xasprintf("invalid DNS server address '%s'", opts->servers[i].address);
                free(nodes);
                ares_destroy(b->channel);
                free(b);
                ares_library_cleanup();
                return -1;
            }
        }
        rc = ares_set_servers_ports(b->channel, nodes);
        free(nodes);
        if (rc != ARES_SUCCESS) {
            if (err)
                *err = xasprintf("cannot set DNS servers: %s", ares_strerror(rc));
            ares_destroy(b->channel);
            free(b);
            ares_library_cleanup();
            return -1;
        }
    }
    *out = b;
    return 0;
}

/* Lowercase, without a trailing dot: the form names are compared and stored in. */
static char *dns_normalise(const char *name)
{
    size_t len = strlen(name);
    if (len > 1 && name[len - 1] == '.')
        len--;
    char *s = xstrndup(name, len);
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

static struct dns_query *dns_lookup(const struct dns_batch *b, enum dns_type type, const char *norm, size_t *index)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->queries[i]->res.type == type && strcmp(b->queries[i]->res.name, norm) == 0) {
            if (index)
                *index = i;
            return b->queries[i];
        }
    }
    return NULL;
}

static size_t dns_add_normalised(struct dns_batch *b, enum dns_type type, char *norm)
{
    size_t index;
    if (dns_lookup(b, type, norm, &index)) {
        free(norm);
        return index;
    }
    struct dns_query *q = xcalloc(1, sizeof(*q));
    q->batch = b;
    q->res.type = type;
    q->res.name = norm;
    q->res.status = DNS_PENDING;
    q->res.ms = -1;
    XGROW(b->queries, b->cap, b->n + 1);
    b->queries[b->n] = q;
    return b->n++;
}

size_t dns_batch_add(struct dns_batch *b, enum dns_type type, const char *name)
{
    return dns_add_normalised(b, type, dns_normalise(name ? name : ""));
}

size_t dns_batch_add_ptr(struct dns_batch *b, const char *address)
{
    unsigned char buf[16];
    char rev[REVNAME_MAX];
    int family;
    size_t len;

    if (address && inet_pton(AF_INET, address, buf) == 1) {
        family = AF_INET;
        len = 4;
    } else if (address && inet_pton(AF_INET6, address, buf) == 1) {
        family = AF_INET6;
        len = 16;
    } else {
        return DNS_BAD_INDEX;
    }
    revname_from_bytes(buf, len, rev);
    size_t index = dns_add_normalised(b, DNS_PTR, xstrdup(rev));
    struct dns_query *q = b->queries[index];
    if (!q->res.address) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(family, buf, text, sizeof(text));
        q->res.address = xstrdup(text);
        memcpy(q->addr, buf, len);
        q->addr_family = family;
    }
    return index;
}

static int dns_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates: answer order varies between runs and servers. */
static void dns_sort_unique(struct strlist *list)
{
    size_t w = 0;
    if (list->n < 2)
        return;
    qsort(list->items, list->n, sizeof(list->items[0]), dns_cmp);
    for (size_t r = 0; r < list->n; r++) {
        if (w > 0 && strcmp(list->items[w - 1], list->items[r]) == 0) {
            free(list->items[r]);
            continue;
        }
        list->items[w++] = list->items[r];
    }
    list->n = w;
}

static void dns_add_name(struct strlist *list, const char *name)
{
    if (name && *name)
        strlist_add_owned(list, dns_normalise(name));
}

/* Turn a successful answer into records; returns the c-ares parse status. */
static int dns_parse(struct dns_query *q, const unsigned char *abuf, int alen)
{
    struct hostent *host = NULL;
    int rc;

    if (q->res.type == DNS_PTR) {
        static const unsigned char zero[4];
        const unsigned char *addr = q->addr_family ? q->addr : zero;
        int addrlen = q->addr_family == AF_INET6 ? 16 : 4;
        int family = q->addr_family ? q->addr_family : AF_INET;
        rc = ares_parse_ptr_reply(abuf, alen, addr, addrlen, family, &host);
        if (rc != ARES_SUCCESS)
            return rc;
        /* 1.18 puts every PTR name in h_aliases, h_name is the last one. */
        dns_add_name(&q->res.answers, host->h_name);
        for (char **p = host->h_aliases; p && *p; p++)
            dns_add_name(&q->res.answers, *p);
    } else {
        int family = q->res.type == DNS_A ? AF_INET : AF_INET6;
        rc = family == AF_INET ? ares_parse_a_reply(abuf, alen, &host, NULL, NULL)
                               : ares_parse_aaaa_reply(abuf, alen, &host, NULL, NULL);
        if (rc != ARES_SUCCESS)
            return rc;
        for (char **p = host->h_addr_list; p && *p; p++) {
            char text[INET6_ADDRSTRLEN];
            if (inet_ntop(family, *p, text, sizeof(text)))
                strlist_add(&q->res.answers, text);
        }
    }
    ares_free_hostent(host);
    dns_sort_unique(&q->res.answers);
    return q->res.answers.n > 0 ? ARES_SUCCESS : ARES_ENODATA;
}

static void dns_callback(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    struct dns_query *q = arg;
    (void)timeouts;

    if (q->done)
        return;
    q->done = true;
    q->batch->outstanding--;
    q->res.ms = (long)(dns_now_ms() - q->started);
    if (status == ARES_SUCCESS)
        status = dns_parse(q, abuf, alen);
    switch (status) {
    case ARES_SUCCESS:
        q->res.status = DNS_OK;
        break;
    case ARES_ENODATA:
        q->res.status = DNS_NODATA;
        break;
    case ARES_ENOTFOUND:
        q->res.status = DNS_NXDOMAIN;
        break;
    case ARES_ESERVFAIL:
        q->res.status = DNS_SERVFAIL;
        break;
    case ARES_EREFUSED:
        q->res.status = DNS_REFUSED;
        break;
    case ARES_ETIMEOUT:
    case ARES_ECANCELLED:   /* only dns_batch_run cancels, at the deadline */
    case ARES_EDESTRUCTION:
        q->res.status = DNS_TIMEOUT;
        break;
    case ARES_ECONNREFUSED:
        /* With NOCHECKRESP this is only ever a transport failure: ICMP port
         * unreachable, or a TCP connection refused. */
        q->res.status = DNS_ERROR;
        q->res.detail = "connection refused by the DNS server";
        break;
    default:
        q->res.status = DNS_ERROR;
        q->res.detail = ares_strerror(status);
        break;
    }
    if (status != ARES_SUCCESS) {
        for (size_t i = 0; i < q->res.answers.n; i++)
            free(q->res.answers.items[i]);
        q->res.answers.n = 0;
    }
}

/* Wait for socket activity or c-ares's next retry, whichever comes first,
 * never past the deadline; then let c-ares process what happened. */
static void dns_wait(struct dns_batch *b, long long deadline)
{
    struct pollfd pfd[64];
    struct pollfd *fds = b->nsocks <= 64 ? pfd : xcalloc(b->nsocks, sizeof(*fds));
    size_t nfds = b->nsocks;
    struct timeval maxtv, tvbuf, *tv;
    long long left = deadline - dns_now_ms();

    if (left < 0)
        left = 0;
    maxtv.tv_sec = (time_t)(left / 1000);
    maxtv.tv_usec = (suseconds_t)(left % 1000) * 1000;
    tv = ares_timeout(b->channel, &maxtv, &tvbuf);
    /* Round up: a 0 ms poll for a retry due in 0.4 ms would spin. */
    long long wait_ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;

    for (size_t i = 0; i < nfds; i++) {
        fds[i].fd = b->socks[i].fd;
        fds[i].events = (short)((b->socks[i].read ? POLLIN : 0) | (b->socks[i].write ? POLLOUT : 0));
        fds[i].revents = 0;
    }
    int n = poll(fds, nfds, (int)wait_ms);
    if (n <= 0) {
        /* Timeout (or EINTR): c-ares retries or gives up queries whose time is up. */
        ares_process_fd(b->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    } else {
        for (size_t i = 0; i < nfds; i++) {
            if (!fds[i].revents)
                continue;
            ares_socket_t rfd = fds[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_socket_t wfd = fds[i].revents & POLLOUT ? fds[i].fd : ARES_SOCKET_BAD;
            ares_process_fd(b->channel, rfd, wfd);
        }
    }
    if (fds != pfd)
        free(fds);
}

size_t dns_batch_run(struct dns_batch *b, long long deadline)
{
    size_t sent = 0, timed_out = 0;

    b->rounds++;
    long long now = dns_now_ms();
    for (size_t i = 0; i < b->n; i++) {
        struct dns_query *q = b->queries[i];
        if (q->asked)
            continue;
        q->asked = true;
        q->res.round = b->rounds;
        q->started = now;
        if (now >= deadline) {
            /* No time left: asking would only send packets nobody waits for. */
            q->done = true;
            q->res.status = DNS_TIMEOUT;
            q->res.ms = 0;
            sent++;
            timed_out++;
            continue;
        }
        b->outstanding++;
        sent++;
        ares_query(b->channel, q->res.name, ns_c_in,
                   q->res.type == DNS_A ? ns_t_a : q->res.type == DNS_AAAA ? ns_t_aaaa : ns_t_ptr,
                   dns_callback, q);
    }
    if (sent == 0) {
        b->rounds--;
        return 0;
    }
    while (b->outstanding > 0 && dns_now_ms() < deadline)
        dns_wait(b, deadline);
    if (b->outstanding > 0) {
        for (size_t i = 0; i < b->n; i++)
            if (b->queries[i]->asked && !b->queries[i]->done)
                timed_out++;
        /* Every callback runs now, with ARES_ECANCELLED: they become timeouts. */
        ares_cancel(b->channel);
    }
    return timed_out;
}

size_t dns_batch_count(const struct dns_batch *b)
{
    return b->n;
}

const struct dns_result *dns_batch_get(const struct dns_batch *b, size_t index)
{
    return index < b->n ? &b->queries[index]->res : NULL;
}

const struct dns_result *dns_batch_find(const struct dns_batch *b, enum dns_type type, const char *name)
{
    char rev[REVNAME_MAX];
    if (!name)
        return NULL;
    if (type == DNS_PTR && revname_from_string(name, rev) == 0)
        name = rev;
    char *norm = dns_normalise(name);
    const struct dns_query *q = dns_lookup(b, type, norm, NULL);
    free(norm);
    return q ? &q->res : NULL;
}

unsigned dns_batch_rounds(const struct dns_batch *b)
{
    return b->rounds;
}

void dns_batch_free(struct dns_batch *b)
{
    if (!b)
        return;
    ares_destroy(b->channel);
    for (size_t i = 0; i < b->n; i++) {
        struct dns_query *q = b->queries[i];
        free(q->res.name);
        free(q->res.address);
        strlist_free(&q->res.answers);
        free(q);
    }
    free(b->queries);
    free(b->socks);
    free(b);
    ares_library_cleanup();
}
