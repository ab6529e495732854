/* fake_dns - a small DNS server of the test suite's own, for the answers a
 * real authoritative server (nsd) never gives: lying, broken or hostile
 * resolvers. UDP only, one process, one mode per run.
 *
 *   fake_dns LISTEN_ADDR:PORT MODE        ([ADDR6]:PORT for IPv6)
 *
 * PORT 0 picks a free port. Once listening it prints the port on stdout (one
 * line) and answers until SIGTERM or SIGINT. Modes:
 *   answer        a recursive resolver that knows everything: A 192.0.2.10,
 *                 AAAA 2001:db8::10, PTR mail.example.test, NS (of any name,
 *                 the root zone too) a.root-servers.net and
 *                 b.root-servers.net, SOA (of any name, owned by it)
 *                 ns1.example.test. hostmaster.example.test.; other types
 *                 NODATA
 *   nxdomain      NXDOMAIN for every name (a captive portal or filter)
 *   refer         NOERROR, AA clear, no answer, the root's NS in the
 *                 authority section: the referral of an authoritative-only
 *                 server asked for a name outside its zones
 *   reflect       the query sent back unchanged (QR clear)
 *   refuse        REFUSED
 *   servfail      SERVFAIL
 *   formerr-edns  FORMERR for a query with an OPT record (a server that
 *                 rejects EDNS), else as answer
 *   silent        never answers
 *   badptr        as answer, but a PTR query gets several PTR records whose
 *                 targets are no host names (a space, a bell, a byte >= 0x80,
 *                 a dot inside a label, a NUL) next to good.example.test and
 *                 under_score.example.test
 *   badptr-only   as badptr without the two acceptable names
 * A datagram that is not a well-formed query gets no answer.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum mode { M_ANSWER, M_NXDOMAIN, M_REFER, M_REFLECT, M_REFUSE, M_SERVFAIL, M_FORMERR_EDNS, M_SILENT,
            M_BADPTR, M_BADPTR_ONLY };

static const char *const mode_names[] = {
    "answer", "nxdomain", "refer", "reflect", "refuse", "servfail", "formerr-edns", "silent",
    "badptr", "badptr-only",
};

#define T_A 1
#define T_NS 2
#define T_SOA 6
#define T_PTR 12
#define T_AAAA 28
#define T_OPT 41

/* Names in wire form (length-prefixed labels); sizeof includes the final NUL
 * the literal adds after the root label, hence the "- 1" where used. */
#define WIRE(s) { (const unsigned char *)(s), sizeof(s) - 1 }
struct wire {
    const unsigned char *bytes;
    size_t len;
};

static const struct wire ptr_good[] = {
    WIRE("\x04" "good" "\x07" "example" "\x04" "test" "\x00"),
    WIRE("\x0b" "under_score" "\x07" "example" "\x04" "test" "\x00"),
};
static const struct wire ptr_bad[] = {
    WIRE("\x08" "bad name" "\x07" "example" "\x04" "test" "\x00"),
    WIRE("\x05" "bell\a" "\x07" "example" "\x04" "test" "\x00"),
    WIRE("\x05" "caf\xc3\xa9" "\x07" "example" "\x04" "test" "\x00"),
    WIRE("\x0a" "dot.inside" "\x07" "example" "\x04" "test" "\x00"),
    WIRE("\x07" "nul\0one" "\x07" "example" "\x04" "test" "\x00"),
};
static const struct wire ptr_mail = WIRE("\x04" "mail" "\x07" "example" "\x04" "test" "\x00");
static const struct wire ns_names[] = {
    WIRE("\x01" "a" "\x0c" "root-servers" "\x03" "net" "\x00"),
    WIRE("\x01" "b" "\x0c" "root-servers" "\x03" "net" "\x00"),
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

struct reply {
    unsigned char buf[4096];
    size_t len;
    unsigned ancount, nscount;
};

static void put16(struct reply *r, unsigned v)
{
    if (r->len + 2 <= sizeof(r->buf)) {
        r->buf[r->len++] = (unsigned char)(v >> 8);
        r->buf[r->len++] = (unsigned char)v;
    }
}

static void put(struct reply *r, const void *p, size_t n)
{
    if (r->len + n <= sizeof(r->buf)) {
        memcpy(r->buf + r->len, p, n);
        r->len += n;
    }
}

/* One record: owner (a compression pointer or the root), type, class IN,
 * TTL 300, rdata. */
static void add_rr(struct reply *r, unsigned owner_ptr, unsigned type, const void *rdata, size_t rdlen)
{
    if (owner_ptr)
        put16(r, 0xc000 | owner_ptr);
    else
        put(r, "", 1);
    put16(r, type);
    put16(r, 1);
    put16(r, 0);
    put16(r, 300);
    put16(r, (unsigned)rdlen);
    put(r, rdata, rdlen);
}

/* The question of a query: its name ends at *qend, type and class follow;
 * whether an OPT record is in the additional section. 0, or -1 when the
 * datagram is not one query. */
static int parse_query(const unsigned char *q, size_t len, size_t *qend, unsigned *qtype, int *has_opt)
{
    if (len < 12 || (q[2] & 0x80) || q[4] != 0 || q[5] != 1)
        return -1;
    size_t off = 12;
    while (off < len && q[off] != 0) {
        if (q[off] & 0xc0)
            return -1;
        off += 1u + q[off];
    }
    if (off + 5 > len)
        return -1;
    *qend = off + 1;
    *qtype = (unsigned)q[off + 1] << 8 | q[off + 2];
    *has_opt = 0;
    /* Additional records after the question (a query has no answers). */
    unsigned arcount = (unsigned)q[10] << 8 | q[11];
    size_t p = off + 5;
    for (unsigned i = 0; i < arcount && p + 11 <= len; i++) {
        if (q[p] != 0) /* OPT's owner is the root */
            break;
        unsigned type = (unsigned)q[p + 1] << 8 | q[p + 2];
        unsigned rdlen = (unsigned)q[p + 9] << 8 | q[p + 10];
        if (type == T_OPT)
            *has_opt = 1;
        p += 11u + rdlen;
    }
    return 0;
}

/* Build the reply to query q in r; 0 to send it, -1 to stay silent. */
static int respond(enum mode mode, const unsigned char *q, size_t len, struct reply *r)
{
    size_t qend;
    unsigned qtype;
    int has_opt;

    if (mode == M_SILENT || parse_query(q, len, &qend, &qtype, &has_opt) < 0)
        return -1;
    memset(r, 0, sizeof(*r));
    if (mode == M_REFLECT) {
        put(r, q, len);
        return 0;
    }
    unsigned rcode = 0, aa = 0, ra = 0x80;
    switch (mode) {
    case M_NXDOMAIN:
        rcode = 3;
        break;
    case M_REFUSE:
        rcode = 5;
        break;
    case M_SERVFAIL:
        rcode = 2;
        break;
    case M_FORMERR_EDNS:
        if (has_opt)
            rcode = 1;
        break;
    case M_REFER:
        ra = 0;
        break;
    default:
        break;
    }
    /* Header: the query's id and RD, QR set; counts filled in below. */
    put(r, q, 2);
    r->buf[r->len++] = (unsigned char)(0x80 | aa | (q[2] & 0x01));
    r->buf[r->len++] = (unsigned char)(ra | rcode);
    put16(r, 1);
    put16(r, 0);
    put16(r, 0);
    put16(r, 0);
    put(r, q + 12, qend + 4 - 12); /* the question, verbatim */
    if (rcode == 0 && mode == M_REFER) {
        for (size_t i = 0; i < 2; i++)
            add_rr(r, 0, T_NS, ns_names[i].bytes, ns_names[i].len);
        r->nscount = 2;
    } else if (rcode == 0) {
        static const unsigned char a[4] = { 192, 0, 2, 10 };
        unsigned char aaaa[16];
        inet_pton(AF_INET6, "2001:db8::10", aaaa);
        if (qtype == T_A) {
            add_rr(r, 12, T_A, a, 4);
            r->ancount = 1;
        } else if (qtype == T_AAAA) {
            add_rr(r, 12, T_AAAA, aaaa, 16);
            r->ancount = 1;
        } else if (qtype == T_NS) {
            for (size_t i = 0; i < 2; i++)
                add_rr(r, 12, T_NS, ns_names[i].bytes, ns_names[i].len);
            r->ancount = 2;
        } else if (qtype == T_SOA) {
            static const unsigned char soa[] = "\x03" "ns1" "\x07" "example" "\x04" "test" "\x00"
                                               "\x0a" "hostmaster" "\x07" "example" "\x04" "test" "\x00"
                                               "\x00\x00\x00\x01" "\x00\x00\x0e\x10" "\x00\x00\x02\x58"
                                               "\x00\x01\x51\x80" "\x00\x00\x01\x2c";
            add_rr(r, 12, T_SOA, soa, sizeof(soa) - 1);
            r->ancount = 1;
        } else if (qtype == T_PTR && (mode == M_BADPTR || mode == M_BADPTR_ONLY)) {
            for (size_t i = 0; mode == M_BADPTR && i < sizeof(ptr_good) / sizeof(ptr_good[0]); i++, r->ancount++)
                add_rr(r, 12, T_PTR, ptr_good[i].bytes, ptr_good[i].len);
            for (size_t i = 0; i < sizeof(ptr_bad) / sizeof(ptr_bad[0]); i++, r->ancount++)
                add_rr(r, 12, T_PTR, ptr_bad[i].bytes, ptr_bad[i].len);
        } else if (qtype == T_PTR) {
            add_rr(r, 12, T_PTR, ptr_mail.bytes, ptr_mail.len);
            r->ancount = 1;
        }
    }
    r->buf[6] = (unsigned char)(r->ancount >> 8);
    r->buf[7] = (unsigned char)r->ancount;
    r->buf[8] = (unsigned char)(r->nscount >> 8);
    r->buf[9] = (unsigned char)r->nscount;
    return 0;
}

static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[64];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof(host))
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    unsigned long port = strtoul(colon + 1, NULL, 10);
    memset(ss, 0, sizeof(*ss));
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        host[strlen(host) - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
            return -1;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        *sl = sizeof(*s6);
        return 0;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        return -1;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((unsigned short)port);
    *sl = sizeof(*s4);
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int mode = -1;

    for (size_t i = 0; argc == 3 && i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
        if (strcmp(argv[2], mode_names[i]) == 0)
            mode = (int)i;
    if (argc != 3 || mode < 0 || parse_listen(argv[1], &ss, &sl) < 0) {
        fprintf(stderr, "usage: fake_dns LISTEN_ADDR:PORT MODE\n");
        return 2;
    }
    int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
        perror("fake_dns: cannot listen");
        return 1;
    }
    unsigned port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                                  : ((struct sockaddr_in6 *)&ss)->sin6_port);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal; /* no SA_RESTART: recvfrom returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    printf("%u\n", port);
    fflush(stdout);

    static struct reply r;
    while (!stop) {
        unsigned char q[4096];
        struct sockaddr_storage from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
        if (n <= 0)
            continue;
        if (respond((enum mode)mode, q, (size_t)n, &r) == 0)
            sendto(fd, r.buf, r.len, 0, (struct sockaddr *)&from, fl);
    }
    close(fd);
    return 0;
}
