/* smtp_sink - a small SMTP receiver for delivery tests: it accepts mail from
 * a real MTA and writes down, per message, the address the connection came
 * from and the EHLO (or HELO) name the client gave.
 *
 *   smtp_sink -l ADDR:PORT [-l ADDR:PORT ...] -o FILE [-n COUNT] [-t SECONDS]
 *             [-r READYFILE] [-H NAME]
 *
 * -l  listen there (IPv6 as [ADDR]:PORT); repeatable.
 * -o  append one line per message received:
 *         peer=ADDR local=ADDR:PORT ehlo=NAME
 *     (NAME with bytes outside printable ASCII, and spaces, as \xNN; "-" when
 *     the client sent no EHLO/HELO).
 * -n  exit 0 after COUNT messages (default 1), once that client has quit.
 * -t  exit 1 after SECONDS (default 30) whatever happened: nothing waits
 *     unboundedly.
 * -r  create READYFILE once every listener is bound and listening.
 * -H  the name in the greeting and EHLO reply (default sink.test).
 *
 * It speaks just enough SMTP for a delivery: EHLO/HELO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT, one client at a time (no PIPELINING, no STARTTLS, no
 * extensions). Exit status: 0 after COUNT messages, 1 on timeout, 2 on a
 * usage or setup error (with a message on stderr).
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SINK_MAX_LISTEN 8
#define SINK_LINE_MAX 2048
/* After the last message the client gets this long to say QUIT. */
#define SINK_QUIT_GRACE_MS 2000

struct sink_listener {
    int fd;
    char where[INET6_ADDRSTRLEN + 8];
};

struct sink_conn {
    int fd;
    char buf[SINK_LINE_MAX * 2];
    size_t len;
    long long deadline;
};

static long long sink_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "ADDR:PORT" or "[ADDR]:PORT" into a socket address; -1 when malformed. */
static int sink_parse(const char *spec, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[INET6_ADDRSTRLEN];
    const char *colon;
    size_t hl;
    memset(ss, 0, sizeof(*ss));
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':')
            return -1;
        hl = (size_t)(end - spec - 1);
        if (hl >= sizeof(host))
            return -1;
        memcpy(host, spec + 1, hl);
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            return -1;
        hl = (size_t)(colon - spec);
        if (hl >= sizeof(host))
            return -1;
        memcpy(host, spec, hl);
    }
    host[hl] = '\0';
    char *endp;
    long port = strtol(colon + 1, &endp, 10);
    if (*endp || port <= 0 || port > 65535)
        return -1;
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        *sl = sizeof(*sin);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)port);
        *sl = sizeof(*sin6);
        return 0;
    }
    return -1;
}

static void sink_addr_text(const struct sockaddr_storage *ss, char *addr, size_t alen, unsigned *port)
{
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, addr, (socklen_t)alen);
        *port = ntohs(sin6->sin6_port);
    } else {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &sin->sin_addr, addr, (socklen_t)alen);
        *port = ntohs(sin->sin_port);
    }
}

/* Write all of s; -1 on error. */
static int sink_send(struct sink_conn *c, const char *s)
{
    size_t len = strlen(s), off = 0;
    while (off < len) {
        ssize_t n = send(c->fd, s + off, len - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

/* The next line (CR LF or LF stripped) into line; 1 for a line, 0 on EOF,
 * -1 on error or when the deadline passes. Overlong lines are cut. */
static int sink_line(struct sink_conn *c, char *line, size_t size)
{
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (nl || c->len == sizeof(c->buf)) {
            size_t n = nl ? (size_t)(nl - c->buf) : c->len;
            size_t keep = n;
            if (keep > 0 && c->buf[keep - 1] == '\r')
                keep--;
            if (keep >= size)
                keep = size - 1;
            memcpy(line, c->buf, keep);
            line[keep] = '\0';
            size_t used = nl ? n + 1 : n;
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
            return 1;
        }
        long long left = c->deadline - sink_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = { c->fd, POLLIN, 0 };
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t got = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        c->len += (size_t)got;
    }
}

/* The client's EHLO argument as one safe token. */
static void sink_escape(const char *in, char *out, size_t size)
{
    size_t o = 0;
    if (!*in) {
        snprintf(out, size, "-");
        return;
    }
    for (; *in && o + 5 < size; in++) {
        unsigned char ch = (unsigned char)*in;
        if (ch > 0x20 && ch < 0x7f && ch != '\\')
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", ch);
    }
    out[o] = '\0';
}

static int sink_record(const char *file, const char *peer, const char *local, const char *ehlo)
{
    char esc[SINK_LINE_MAX * 4 + 8];
    sink_escape(ehlo, esc, sizeof(esc));
    int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    char rec[sizeof(esc) + 256];
    int n = snprintf(rec, sizeof(rec), "peer=%s local=%s ehlo=%s\n", peer, local, esc);
    int rc = write(fd, rec, (size_t)n) == n ? 0 : -1;
    close(fd);
    return rc;
}

static const char *sink_arg(const char *line)
{
    const char *p = line + 4;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Serve one client until QUIT, EOF, an error or the deadline. Returns the
 * number of messages received; *stop is set once the wanted count is
 * reached (the session then ends at QUIT or after a short grace). */
static int sink_serve(int fd, const char *local, const char *name, const char *file, int wanted, int *have,
                      long long deadline)
{
    struct sink_conn c;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    char peer[INET6_ADDRSTRLEN] = "?", line[SINK_LINE_MAX], ehlo[SINK_LINE_MAX] = "", reply[SINK_LINE_MAX + 64];
    unsigned pport = 0;
    int got = 0;

    memset(&c, 0, sizeof(c));
    c.fd = fd;
    c.deadline = deadline;
    if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0)
        sink_addr_text(&ss, peer, sizeof(peer), &pport);
    fprintf(stderr, "smtp_sink: connection from %s port %u to %s\n", peer, pport, local);
    snprintf(reply, sizeof(reply), "220 %s ESMTP sink\r\n", name);
    if (sink_send(&c, reply) < 0)
        return 0;
    while (sink_line(&c, line, sizeof(line)) == 1) {
        if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0) {
            snprintf(ehlo, sizeof(ehlo), "%s", sink_arg(line));
            snprintf(reply, sizeof(reply), strncasecmp(line, "EHLO", 4) == 0 ? "250-%s\r\n250 8BITMIME\r\n" : "250 %s\r\n",
                     name);
            if (sink_send(&c, reply) < 0)
                break;
        } else if (strncasecmp(line, "MAIL", 4) == 0 || strncasecmp(line, "RCPT", 4) == 0 ||
                   strncasecmp(line, "RSET", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0) {
            if (sink_send(&c, "250 2.0.0 ok\r\n") < 0)
                break;
        } else if (strncasecmp(line, "DATA", 4) == 0) {
            if (sink_send(&c, "354 end with <CRLF>.<CRLF>\r\n") < 0)
                break;
            int r;
            while ((r = sink_line(&c, line, sizeof(line))) == 1 && strcmp(line, ".") != 0)
                ;
            if (r != 1)
                break;
            if (sink_record(file, peer, local, ehlo) < 0) {
                fprintf(stderr, "smtp_sink: cannot write '%s': %s\n", file, strerror(errno));
                sink_send(&c, "451 4.3.0 cannot record\r\n");
                break;
            }
            got++;
            (*have)++;
            fprintf(stderr, "smtp_sink: message %d from %s ehlo '%s'\n", *have, peer, ehlo);
            if (sink_send(&c, "250 2.0.0 queued\r\n") < 0)
                break;
            if (*have >= wanted) {
                long long grace = sink_now_ms() + SINK_QUIT_GRACE_MS;
                if (grace < c.deadline)
                    c.deadline = grace;
            }
        } else if (strncasecmp(line, "QUIT", 4) == 0) {
            sink_send(&c, "221 2.0.0 bye\r\n");
            break;
        } else {
            if (sink_send(&c, "502 5.5.2 not implemented\r\n") < 0)
                break;
        }
    }
    close(fd);
    return got;
}

static void sink_usage(void)
{
    fprintf(stderr, "usage: smtp_sink -l ADDR:PORT [-l ...] -o FILE [-n COUNT] [-t SECONDS] [-r READYFILE] [-H NAME]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct sink_listener ls[SINK_MAX_LISTEN];
    size_t nls = 0;
    const char *file = NULL, *ready = NULL, *name = "sink.test";
    long count = 1, seconds = 30;
    int opt;

    signal(SIGPIPE, SIG_IGN);
    while ((opt = getopt(argc, argv, "l:o:n:t:r:H:")) != -1) {
        struct sockaddr_storage ss;
        socklen_t sl;
        char *end;
        switch (opt) {
        case 'l':
            if (nls == SINK_MAX_LISTEN || sink_parse(optarg, &ss, &sl) < 0) {
                fprintf(stderr, "smtp_sink: bad listen address '%s'\n", optarg);
                return 2;
            }
            ls[nls].fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            int one = 1;
            if (ls[nls].fd < 0 || setsockopt(ls[nls].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
                bind(ls[nls].fd, (struct sockaddr *)&ss, sl) < 0 || listen(ls[nls].fd, 16) < 0) {
                fprintf(stderr, "smtp_sink: cannot listen on '%s': %s\n", optarg, strerror(errno));
                return 2;
            }
            snprintf(ls[nls].where, sizeof(ls[nls].where), "%s", optarg);
            nls++;
            break;
        case 'o':
            file = optarg;
            break;
        case 'n':
            count = strtol(optarg, &end, 10);
            if (*end || count < 1)
                sink_usage();
            break;
        case 't':
            seconds = strtol(optarg, &end, 10);
            if (*end || seconds < 1)
                sink_usage();
            break;
        case 'r':
            ready = optarg;
            break;
        case 'H':
            name = optarg;
            break;
        default:
            sink_usage();
        }
    }
    if (nls == 0 || !file || optind != argc)
        sink_usage();
    if (ready) {
        int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            fprintf(stderr, "smtp_sink: cannot create '%s': %s\n", ready, strerror(errno));
            return 2;
        }
        close(fd);
    }

    long long deadline = sink_now_ms() + seconds * 1000;
    int have = 0;
    struct pollfd p[SINK_MAX_LISTEN];
    while (have < count) {
        long long left = deadline - sink_now_ms();
        if (left <= 0) {
            fprintf(stderr, "smtp_sink: timeout after %ld s with %d of %ld messages\n", seconds, have, count);
            return 1;
        }
        for (size_t i = 0; i < nls; i++) {
            p[i].fd = ls[i].fd;
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        int r = poll(p, (nfds_t)nls, (int)left);
        if (r < 0 && errno != EINTR) {
            fprintf(stderr, "smtp_sink: poll: %s\n", strerror(errno));
            return 2;
        }
        for (size_t i = 0; r > 0 && i < nls; i++) {
            if (!(p[i].revents & POLLIN))
                continue;
            int fd = accept4(ls[i].fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            sink_serve(fd, ls[i].where, name, file, (int)count, &have, deadline);
        }
    }
    return 0;
}
