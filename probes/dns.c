/* dns - the concurrent, deadline-bounded lookup batch on c-ares 1.18, with
 * failover over the resolvers; see dns.h.
 *
 * How a run works: every new query asks its first resolver at once (on that
 * resolver's own channel). c-ares is told to wait far longer than any
 * deadline and never to retry, so each "try" ends in one of three ways that
 * this file decides: a reply (judged from its raw bytes by dns_reply.h), a
 * transport error from c-ares, or the try's own timer here. A try whose
 * timer ran out is left running in c-ares: should its reply still come
 * while the query waits for another resolver, a final answer in it is
 * taken. c-ares callbacks only record what happened; the loop in
 * dns_batch_run decides what a query does next, so no query is sent from
 * inside a callback. At the end of a run every try still open is cancelled.
 */
#include "probes/dns.h"
#include "probes/dns_reply.h"

#include <sys/select.h> /* <ares.h> 1.18 needs fd_set */

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditor/foundation/revname.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"

#define DNS_DEFAULT_TRY_MS 2000
#define DNS_DEFAULT_TRIES 3
/* c-ares must never end a try by itself: the timers here do. */
#define DNS_ARES_TIMEOUT_MS (3600 * 1000)

/* What a query has done with a resolver in the current pass. */
enum dns_srv_state { DNS_SRV_UNTRIED, DNS_SRV_TRIED, DNS_SRV_FAILED };

struct dns_srv {
    struct dns_batch *batch;
    char name[DNS_SERVER_TEXT_MAX];
    ares_channel channel;
    bool missed; /* a try timed out in this batch: asked last from now on */
    bool direct; /* an authoritative server for dns_batch_add_direct, not a resolver */
};

struct dns_query;

struct dns_try {
    struct dns_query *q;
    size_t srv;
    long long sent;
    long long expires;  /* LLONG_MAX: only the deadline ends it */
    bool abandoned;     /* timed out here; a late final answer is still taken */
};

struct dns_query {
    struct dns_result res;
    struct dns_batch *batch;
    unsigned char addr[16];  /* PTR: the address bytes */
    int addr_family;
    bool asked;              /* the run that covers it has started */
    bool final;              /* status decided */
    long long started;
    unsigned pass;           /* 1, 2, ...: passes over the resolvers */
    unsigned char *state;    /* enum dns_srv_state per resolver */
    struct dns_try *current; /* the try waited on, or NULL */
    bool advance;            /* the loop must choose the next step */
    struct strlist notes;    /* what each resolver did, for the detail */
    size_t direct;           /* dns_batch_add_direct: the server's index, else SIZE_MAX */
    bool failed;             /* a resolver replied uselessly: */
    enum dns_status fail_status; /* the last such reply decides the status */
    size_t fail_srv;
};

struct dns_sock {
    ares_socket_t fd;
    struct dns_srv *srv;
    bool read, write;
};

struct dns_batch {
    struct dns_srv **srvs;      /* the resolvers first, then the direct servers; each allocated */
    size_t nsrvs, nresolvers, srvs_cap;
    unsigned try_ms, tries;
    struct dns_query **queries; /* separately allocated: tries hold the pointers */
    size_t n, cap;
    struct dns_try **tries_open; /* every try of the current run, freed at its end */
    size_t ntries, tries_cap;
    struct dns_sock *socks;
    size_t nsocks, socks_cap;
    size_t active;              /* queries of the current run not yet final */
    unsigned rounds;
    bool stopping;              /* cancelling: callbacks change nothing */
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
    case DNS_NS:
        return "NS";
    case DNS_SOA:
        return "SOA";
    case DNS_MX:
        return "MX";
    case DNS_PTR:
        break;
    }
    return "PTR";
}

/* --- resolver addresses ----------------------------------------------------- */

static int dns_port_parse(const char *s, unsigned *port)
{
    unsigned long v = 0;
    if (!*s || strlen(s) > 5)
        return -1;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < 1 || v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

int dns_server_parse(const char *spec, struct dns_server *out)
{
    unsigned char buf[16];
    char host[64];
    const char *port = NULL;
    int family;
    size_t hlen;

    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        return -1;
    if (spec[0] == '[') {
        /* [IPv6], [IPv6]:PORT, and the same with IPv4 (unambiguous, so accepted). */
        const char *close = strchr(spec, ']');
        if (!close)
            return -1;
        hlen = (size_t)(close - spec - 1);
        if (hlen == 0 || hlen >= sizeof(host))
            return -1;
        memcpy(host, spec + 1, hlen);
        host[hlen] = '\0';
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return -1;
        family = strchr(host, ':') ? AF_INET6 : AF_INET;
    } else {
        const char *colon = strchr(spec, ':');
        if (colon && strchr(colon + 1, ':')) {
            /* Several colons and no brackets: a bare IPv6 address, no port. */
            hlen = strlen(spec);
            family = AF_INET6;
        } else {
            hlen = colon ? (size_t)(colon - spec) : strlen(spec);
            family = AF_INET;
            if (colon)
                port = colon + 1;
        }
        if (hlen >= sizeof(host))
            return -1;
        memcpy(host, spec, hlen);
        host[hlen] = '\0';
    }
    if (inet_pton(family, host, buf) != 1)
        return -1;
    out->port = 53;
    if (port && dns_port_parse(port, &out->port) < 0) {
        out->port = 0;
        return -1;
    }
    /* Canonical text: the form inet_ntop() gives. */
    inet_ntop(family, buf, out->address, sizeof(out->address));
    return 0;
}

void dns_server_format(const struct dns_server *server, char out[DNS_SERVER_TEXT_MAX])
{
    if (strchr(server->address, ':'))
        snprintf(out, DNS_SERVER_TEXT_MAX, "[%s]:%u", server->address, server->port);
    else
        snprintf(out, DNS_SERVER_TEXT_MAX, "%s:%u", server->address, server->port);
}

/* --- channels ------------------------------------------------------------- */

static void dns_sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
    struct dns_srv *srv = data;
    struct dns_batch *b = srv->batch;
    size_t i;

    for (i = 0; i < b->nsocks; i++)
        if (b->socks[i].fd == fd && b->socks[i].srv == srv)
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
        b->socks[i].srv = srv;
    }
    b->socks[i].read = readable != 0;
    b->socks[i].write = writable != 0;
}

/* The resolvers of a resolv.conf, as c-ares reads it (path NULL: the
 * system's), appended to *list. */
static int dns_servers_from_conf(const char *path, struct dns_server **list, size_t *n, char **err)
{
    ares_channel ch;
    struct ares_options o;
    int mask = 0, rc;
    char *copy = NULL;

    memset(&o, 0, sizeof(o));
    if (path) {
        copy = xstrdup(path); /* c-ares copies it but declares it non-const */
        o.resolvconf_path = copy;
        mask |= ARES_OPT_RESOLVCONF;
    }
    rc = ares_init_options(&ch, &o, mask);
    free(copy);
    if (rc != ARES_SUCCESS) {
        if (rc == ARES_EFILE)
            *err = xasprintf("cannot read '%s'", path ? path : "/etc/resolv.conf");
        else
            *err = xasprintf("cannot initialise DNS resolver: %s", ares_strerror(rc));
        return -1;
    }
    struct ares_addr_port_node *servers = NULL;
    rc = ares_get_servers_ports(ch, &servers);
    if (rc != ARES_SUCCESS) {
        *err = xasprintf("cannot read the DNS servers of '%s': %s", path ? path : "/etc/resolv.conf",
                         ares_strerror(rc));
        ares_destroy(ch);
        return -1;
    }
    for (struct ares_addr_port_node *s = servers; s; s = s->next) {
        struct dns_server d;
        memset(&d, 0, sizeof(d));
        if (s->family == AF_INET)
            inet_ntop(AF_INET, &s->addr.addr4, d.address, sizeof(d.address));
        else if (s->family == AF_INET6)
            inet_ntop(AF_INET6, &s->addr.addr6, d.address, sizeof(d.address));
        else
            continue;
        d.port = s->udp_port > 0 ? (unsigned)s->udp_port : 53;
        *list = xreallocarray(*list, *n + 1, sizeof(**list));
        (*list)[(*n)++] = d;
    }
    ares_free_data(servers);
    ares_destroy(ch);
    return 0;
}

/* A channel that asks only server, once, and leaves every timing to us. */
static int dns_channel_new(struct dns_srv *srv, const struct dns_server *server, char **err)
{
    struct ares_options o;
    struct ares_addr_port_node node;
    char *devnull = xstrdup("/dev/null");
    int rc;

    memset(&o, 0, sizeof(o));
    /* NOCHECKRESP: without it 1.18 turns SERVFAIL and REFUSED into a dead
     * server (ARES_ECONNREFUSED); the reply is judged here instead. No
     * ARES_FLAG_EDNS: see dns.h. */
    o.flags = ARES_FLAG_NOCHECKRESP | (srv->direct ? ARES_FLAG_NORECURSE : 0);
    o.timeout = DNS_ARES_TIMEOUT_MS;
    o.tries = 1;
    o.sock_state_cb = dns_sock_state_cb;
    o.sock_state_cb_data = srv;
    o.ndomains = 0;
    o.domains = NULL;
    o.resolvconf_path = devnull; /* the server is given below: read nothing */
    rc = ares_init_options(&srv->channel, &o,
                           ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
                               ARES_OPT_DOMAINS | ARES_OPT_RESOLVCONF);
    free(devnull);
    if (rc != ARES_SUCCESS) {
        *err = xasprintf("cannot initialise DNS resolver: %s", ares_strerror(rc));
        srv->channel = NULL;
        return -1;
    }
    memset(&node, 0, sizeof(node));
    node.udp_port = node.tcp_port = (int)server->port;
    if (inet_pton(AF_INET, server->address, &node.addr.addr4) == 1) {
        node.family = AF_INET;
    } else if (inet_pton(AF_INET6, server->address, &node.addr.addr6) == 1) {
        node.family = AF_INET6;
    } else {
        *err = xasprintf("invalid DNS server address '%s'", server->address);
        return -1;
    }
    rc = ares_set_servers_ports(srv->channel, &node);
    if (rc != ARES_SUCCESS) {
        *err = xasprintf("cannot set DNS server '%s': %s", srv->name, ares_strerror(rc));
        return -1;
    }
    return 0;
}

static void dns_batch_destroy(struct dns_batch *b)
{
    for (size_t i = 0; i < b->nsrvs; i++) {
        if (b->srvs[i]->channel)
            ares_destroy(b->srvs[i]->channel);
        free(b->srvs[i]);
    }
    for (size_t i = 0; i < b->ntries; i++)
        free(b->tries_open[i]);
    free(b->tries_open);
    for (size_t i = 0; i < b->n; i++) {
        struct dns_query *q = b->queries[i];
        free(q->res.name);
        free(q->res.address);
        free(q->res.server);
        free(q->res.detail);
        strlist_free(&q->res.answers);
        strlist_free(&q->res.invalid);
        dns_soa_free(&q->res.soa);
        strlist_free(&q->notes);
        free(q->state);
        free(q);
    }
    free(b->queries);
    free(b->srvs);
    free(b->socks);
    free(b);
    ares_library_cleanup();
}

int dns_batch_new(const struct dns_options *opts, struct dns_batch **out, char **err)
{
    struct dns_options none = { 0 };
    struct dns_server *conf = NULL;
    size_t nconf = 0;
    char *msg = NULL;
    int rc;

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
    const struct dns_server *servers = opts->servers;
    size_t nservers = opts->nservers;
    if (nservers == 0) {
        if (dns_servers_from_conf(opts->resolv_conf, &conf, &nconf, &msg) < 0) {
            free(conf);
            ares_library_cleanup();
            if (err)
                *err = msg;
            else
                free(msg);
            return -1;
        }
        servers = conf;
        nservers = nconf;
    }

    struct dns_batch *b = xcalloc(1, sizeof(*b));
    b->try_ms = opts->try_ms ? opts->try_ms : DNS_DEFAULT_TRY_MS;
    b->tries = opts->tries ? opts->tries : DNS_DEFAULT_TRIES;
    for (size_t i = 0; i < nservers; i++) {
        char name[DNS_SERVER_TEXT_MAX];
        dns_server_format(&servers[i], name);
        /* The same resolver twice would only be asked twice. */
        bool dup = false;
        for (size_t k = 0; k < b->nsrvs && !dup; k++)
            dup = strcmp(b->srvs[k]->name, name) == 0;
        if (dup)
            continue;
        struct dns_srv *srv = xcalloc(1, sizeof(*srv));
        XGROW(b->srvs, b->srvs_cap, b->nsrvs + 1);
        b->srvs[b->nsrvs++] = srv;
        b->nresolvers = b->nsrvs;
        srv->batch = b;
        memcpy(srv->name, name, sizeof(name));
        if (dns_channel_new(srv, &servers[i], &msg) < 0) {
            free(conf);
            dns_batch_destroy(b);
            if (err)
                *err = msg;
            else
                free(msg);
            return -1;
        }
    }
    free(conf);
    if (b->nsrvs == 0) {
        dns_batch_destroy(b);
        if (err)
            *err = xstrdup("no DNS server to ask");
        return -1;
    }
    *out = b;
    return 0;
}

size_t dns_batch_server_count(const struct dns_batch *b)
{
    return b->nresolvers;
}

const char *dns_batch_server(const struct dns_batch *b, size_t i)
{
    return i < b->nresolvers ? b->srvs[i]->name : NULL;
}

/* --- queries -------------------------------------------------------------- */

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

static struct dns_query *dns_lookup(const struct dns_batch *b, enum dns_type type, const char *norm, size_t direct,
                                    size_t *index)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->queries[i]->res.type == type && b->queries[i]->direct == direct
            && strcmp(b->queries[i]->res.name, norm) == 0) {
            if (index)
                *index = i;
            return b->queries[i];
        }
    }
    return NULL;
}

static size_t dns_add_normalised(struct dns_batch *b, enum dns_type type, char *norm, size_t direct)
{
    size_t index;
    if (dns_lookup(b, type, norm, direct, &index)) {
        free(norm);
        return index;
    }
    struct dns_query *q = xcalloc(1, sizeof(*q));
    q->batch = b;
    q->direct = direct;
    q->res.ttl = -1;
    if (direct != SIZE_MAX)
        q->res.direct = b->srvs[direct]->name;
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
    return dns_add_normalised(b, type, dns_normalise(name ? name : ""), SIZE_MAX);
}

size_t dns_batch_add_direct(struct dns_batch *b, enum dns_type type, const char *name,
                            const struct dns_server *server)
{
    char text[DNS_SERVER_TEXT_MAX];
    dns_server_format(server, text);
    size_t s;
    for (s = b->nresolvers; s < b->nsrvs; s++)
        if (strcmp(b->srvs[s]->name, text) == 0)
            break;
    if (s == b->nsrvs) {
        struct dns_srv *srv = xcalloc(1, sizeof(*srv));
        srv->batch = b;
        srv->direct = true;
        memcpy(srv->name, text, sizeof(text));
        char *msg = NULL;
        if (dns_channel_new(srv, server, &msg) < 0) {
            free(msg);
            if (srv->channel)
                ares_destroy(srv->channel);
            free(srv);
            return DNS_BAD_INDEX;
        }
        XGROW(b->srvs, b->srvs_cap, b->nsrvs + 1);
        b->srvs[b->nsrvs++] = srv;
    }
    return dns_add_normalised(b, type, dns_normalise(name ? name : ""), s);
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
    size_t index = dns_add_normalised(b, DNS_PTR, xstrdup(rev), SIZE_MAX);
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

/* --- the progression of a query over the resolvers --------------------------- */

static void dns_duration(char *out, size_t size, long long ms)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        snprintf(out, size, "%lld ms", ms);
    else if (ms % 1000 == 0)
        snprintf(out, size, "%lld s", ms / 1000);
    else
        snprintf(out, size, "%.1f s", (double)ms / 1000.0);
}

/* Note that t got no answer: within its own time when its timer fired,
 * within the time it had when the deadline came. */
static void dns_note_timeout(struct dns_query *q, const struct dns_try *t, long long now)
{
    char took[32];
    dns_duration(took, sizeof(took), t->expires <= now ? t->expires - t->sent : now - t->sent);
    strlist_addf(&q->notes, "no answer within %s from %s", took, q->batch->srvs[t->srv]->name);
}

static void dns_finish(struct dns_query *q, long long now)
{
    q->final = true;
    q->current = NULL;
    q->advance = false;
    q->res.ms = (long)(now - q->started);
    q->batch->active--;
}

static void dns_finish_answer(struct dns_query *q, size_t srv, struct dns_reply *j, long long now)
{
    q->res.status = j->status;
    strlist_free(&q->res.answers);
    strlist_free(&q->res.invalid);
    q->res.answers = j->answers;
    q->res.invalid = j->invalid;
    memset(&j->answers, 0, sizeof(j->answers));
    memset(&j->invalid, 0, sizeof(j->invalid));
    dns_soa_free(&q->res.soa);
    q->res.soa = j->soa;
    memset(&j->soa, 0, sizeof(j->soa));
    q->res.ttl = j->ttl;
    q->res.authoritative = j->aa;
    free(q->res.server);
    q->res.server = xstrdup(q->batch->srvs[srv]->name);
    dns_finish(q, now);
}

/* No resolver is left to ask (or the deadline came): the last useless reply
 * decides the status, else it is a timeout; the detail says it all. */
static void dns_finish_failed(struct dns_query *q, long long now)
{
    struct strbuf sb = STRBUF_INIT;
    q->res.status = q->failed ? q->fail_status : DNS_TIMEOUT;
    free(q->res.server);
    q->res.server = q->failed ? xstrdup(q->batch->srvs[q->fail_srv]->name) : NULL;
    for (size_t i = 0; i < q->notes.n; i++) {
        if (i > 0)
            strbuf_adds(&sb, "; ");
        strbuf_adds(&sb, q->notes.items[i]);
    }
    free(q->res.detail);
    q->res.detail = sb.len ? strbuf_detach(&sb) : xstrdup("no DNS server was asked");
    strbuf_release(&sb);
    dns_finish(q, now);
}

static void dns_callback(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    struct dns_try *t = arg;
    struct dns_query *q = t->q;
    struct dns_batch *b = q->batch;
    const char *srv = b->srvs[t->srv]->name;
    struct dns_reply j;
    (void)timeouts;

    if (b->stopping || q->final || status == ARES_ECANCELLED || status == ARES_EDESTRUCTION)
        return;
    long long now = dns_now_ms();
    memset(&j, 0, sizeof(j));
    if (abuf && alen > 0) {
        /* Any reply at all: whatever c-ares made of its rcode, judge the bytes. */
        dns_reply_judge(abuf, (size_t)alen, q->res.type, srv, &j);
    } else if (status == ARES_ECONNREFUSED) {
        j.verdict = DNS_REPLY_FAIL;
        j.status = DNS_ERROR;
        j.note = xasprintf("connection refused by %s", srv);
    } else if (status == ARES_ETIMEOUT) {
        /* Not expected (c-ares waits an hour); treated as our own timeout. */
        if (!t->abandoned && q->current == t) {
            dns_note_timeout(q, t, now);
            b->srvs[t->srv]->missed = true;
            t->abandoned = true;
            q->current = NULL;
            q->advance = true;
        }
        return;
    } else if (status == ARES_EBADNAME || status == ARES_ENOMEM || status == ARES_EBADQUERY) {
        /* The question itself cannot be asked: no resolver would do better. */
        q->res.status = DNS_ERROR;
        free(q->res.detail);
        q->res.detail = xasprintf("cannot ask for '%s': %s", q->res.name, ares_strerror(status));
        dns_finish(q, now);
        return;
    } else {
        j.verdict = DNS_REPLY_FAIL;
        j.status = DNS_ERROR;
        j.note = xasprintf("no reply from %s: %s", srv, ares_strerror(status));
    }

    if (q->direct != SIZE_MAX && (j.referral || (j.verdict == DNS_REPLY_FINAL && !j.aa))) {
        /* Asked as an authoritative server: a referral or an answer
         * without AA is a lame server, whatever it says. */
        bool referral = j.referral;
        dns_reply_free(&j);
        j.verdict = DNS_REPLY_FAIL;
        j.status = DNS_ERROR;
        j.note = xasprintf("%s from %s: not authoritative for the name (lame delegation)",
                           referral ? "referral" : "answer without the AA bit", srv);
    }
    if (j.verdict == DNS_REPLY_FINAL) {
        if (!t->abandoned)
            b->srvs[t->srv]->missed = false;
        dns_finish_answer(q, t->srv, &j, now);
    } else if (!t->abandoned && q->current == t) {
        strlist_add_owned(&q->notes, j.note);
        j.note = NULL;
        q->failed = true;
        q->fail_status = j.status;
        q->fail_srv = t->srv;
        q->state[t->srv] = DNS_SRV_FAILED;
        q->current = NULL;
        q->advance = true;
    }
    /* A useless late reply of an abandoned try changes nothing. */
    dns_reply_free(&j);
}

/* The next resolver for q in this pass: the first untried one that has not
 * missed a try in this batch, else the first untried one; SIZE_MAX if none. */
static size_t dns_choose(const struct dns_query *q, size_t *untried)
{
    const struct dns_batch *b = q->batch;
    size_t first = SIZE_MAX, missed = SIZE_MAX;
    *untried = 0;
    if (q->direct != SIZE_MAX) {
        /* One server, no failover. */
        if (q->state[q->direct] != DNS_SRV_UNTRIED)
            return SIZE_MAX;
        *untried = 1;
        return q->direct;
    }
    for (size_t i = 0; i < b->nresolvers; i++) {
        if (q->state[i] != DNS_SRV_UNTRIED)
            continue;
        (*untried)++;
        if (!b->srvs[i]->missed && first == SIZE_MAX)
            first = i;
        if (missed == SIZE_MAX)
            missed = i;
    }
    return first != SIZE_MAX ? first : missed;
}

static void dns_send(struct dns_query *q, size_t s, size_t untried, long long now, long long deadline)
{
    struct dns_batch *b = q->batch;
    struct dns_try *t = xcalloc(1, sizeof(*t));
    unsigned shift = q->pass > 1 ? q->pass - 1 : 0;
    long long span = (long long)b->try_ms << (shift > 10 ? 10 : shift);
    long long left = deadline - now;

    /* Leave the resolvers still to be tried an equal share of the time. */
    if (untried > 1 && span > left / (long long)untried)
        span = left / (long long)untried;
    t->q = q;
    t->srv = s;
    t->sent = now;
    t->expires = span >= left ? LLONG_MAX : now + (span > 0 ? span : 1);
    XGROW(b->tries_open, b->tries_cap, b->ntries + 1);
    b->tries_open[b->ntries++] = t;
    q->state[s] = DNS_SRV_TRIED;
    q->current = t;
    /* May call back at once (a name c-ares cannot encode). */
    ares_query(b->srvs[s]->channel, q->res.name, DNS_REPLY_CLASS_IN, (int)dns_reply_wire_type(q->res.type), dns_callback, t);
}

/* dns_advance - ask q's next resolver, start another pass over those that
 * only timed out, or give up. */
static void dns_advance(struct dns_query *q, long long now, long long deadline)
{
    struct dns_batch *b = q->batch;
    q->advance = false;
    while (!q->final && !q->current) {
        size_t untried;
        size_t s = dns_choose(q, &untried);
        if (s != SIZE_MAX) {
            dns_send(q, s, untried, now, deadline);
            q->advance = false;
            continue;
        }
        bool again = false;
        for (size_t i = 0; i < b->nsrvs; i++)
            if (q->state[i] == DNS_SRV_TRIED) {
                q->state[i] = DNS_SRV_UNTRIED;
                again = true;
            }
        /* Another pass only while no resolver replied at all (lost packets);
         * after a useless reply the silent ones are most likely down. */
        if (again && !q->failed && q->pass < b->tries) {
            q->pass++;
            continue;
        }
        dns_finish_failed(q, now);
    }
}

/* Wait for socket activity or the next timer, never past the deadline; then
 * let c-ares process what happened, channel by channel. */
static void dns_wait(struct dns_batch *b, long long deadline)
{
    struct pollfd pfd[64];
    size_t nfds = b->nsocks;
    struct pollfd *fds = nfds <= 64 ? pfd : xcalloc(nfds, sizeof(*fds));
    long long now = dns_now_ms(), until = deadline;

    for (size_t i = 0; i < b->n; i++) {
        const struct dns_query *q = b->queries[i];
        if (!q->final && q->current && q->current->expires < until)
            until = q->current->expires;
    }
    long long left = until - now;
    if (left < 0)
        left = 0;
    struct timeval maxtv, tvbuf;
    maxtv.tv_sec = (time_t)(left / 1000);
    maxtv.tv_usec = (suseconds_t)(left % 1000) * 1000;
    long long wait_ms = left;
    for (size_t i = 0; i < b->nsrvs; i++) {
        struct timeval *tv = ares_timeout(b->srvs[i]->channel, &maxtv, &tvbuf);
        /* Round up: a 0 ms poll for a retry due in 0.4 ms would spin. */
        long long ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
        if (ms < wait_ms)
            wait_ms = ms;
    }
    for (size_t i = 0; i < nfds; i++) {
        fds[i].fd = b->socks[i].fd;
        fds[i].events = (short)((b->socks[i].read ? POLLIN : 0) | (b->socks[i].write ? POLLOUT : 0));
        fds[i].revents = 0;
    }
    int n = poll(fds, nfds, (int)wait_ms);
    for (size_t i = 0; n > 0 && i < nfds; i++) {
        if (!fds[i].revents)
            continue;
        /* The socket may have been closed by an earlier call: look it up anew. */
        struct dns_srv *srv = NULL;
        for (size_t k = 0; k < b->nsocks && !srv; k++)
            if (b->socks[k].fd == fds[i].fd)
                srv = b->socks[k].srv;
        if (!srv)
            continue;
        ares_socket_t rfd = fds[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD;
        ares_socket_t wfd = fds[i].revents & POLLOUT ? fds[i].fd : ARES_SOCKET_BAD;
        ares_process_fd(srv->channel, rfd, wfd);
    }
    /* Timeouts and broken connections inside c-ares. */
    for (size_t i = 0; i < b->nsrvs; i++)
        ares_process_fd(b->srvs[i]->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
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
        sent++;
        if (now >= deadline) {
            /* No time left: asking would only send packets nobody waits for. */
            q->final = true;
            q->res.status = DNS_TIMEOUT;
            q->res.ms = 0;
            q->res.detail = xstrdup("not asked: the deadline had passed");
            timed_out++;
            continue;
        }
        q->state = xcalloc(b->nsrvs, 1);
        q->pass = 1;
        q->advance = true;
        b->active++;
    }
    if (sent == 0) {
        b->rounds--;
        return 0;
    }
    for (;;) {
        now = dns_now_ms();
        for (size_t i = 0; i < b->n; i++) {
            struct dns_query *q = b->queries[i];
            if (q->final)
                continue;
            if (q->current && q->current->expires <= now) {
                /* This try's time is up: note it, ask the next resolver, and
                 * ask this one last from now on. */
                dns_note_timeout(q, q->current, now);
                b->srvs[q->current->srv]->missed = true;
                q->current->abandoned = true;
                q->current = NULL;
                q->advance = true;
            }
            if (q->advance && now < deadline)
                dns_advance(q, now, deadline);
        }
        if (b->active == 0 || now >= deadline)
            break;
        dns_wait(b, deadline);
    }
    if (b->active > 0) {
        now = dns_now_ms();
        for (size_t i = 0; i < b->n; i++) {
            struct dns_query *q = b->queries[i];
            if (q->final || !q->asked)
                continue;
            if (q->current)
                dns_note_timeout(q, q->current, now);
            dns_finish_failed(q, now);
            if (q->res.status == DNS_TIMEOUT)
                timed_out++;
        }
    }
    /* Tries still open (abandoned ones) end here; their callbacks see
     * ARES_ECANCELLED and change nothing. */
    b->stopping = true;
    for (size_t i = 0; i < b->nsrvs; i++)
        ares_cancel(b->srvs[i]->channel);
    b->stopping = false;
    for (size_t i = 0; i < b->ntries; i++)
        free(b->tries_open[i]);
    b->ntries = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct dns_query *q = b->queries[i];
        q->current = NULL;
        free(q->state);
        q->state = NULL;
        strlist_free(&q->notes);
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
    const struct dns_query *q = dns_lookup(b, type, norm, SIZE_MAX, NULL);
    free(norm);
    return q ? &q->res : NULL;
}

const struct dns_result *dns_batch_find_direct(const struct dns_batch *b, enum dns_type type, const char *name,
                                               const char *server)
{
    if (!name || !server)
        return NULL;
    size_t s;
    for (s = b->nresolvers; s < b->nsrvs; s++)
        if (strcmp(b->srvs[s]->name, server) == 0)
            break;
    if (s == b->nsrvs)
        return NULL;
    char *norm = dns_normalise(name);
    const struct dns_query *q = dns_lookup(b, type, norm, s, NULL);
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
    b->stopping = true;
    dns_batch_destroy(b);
}
