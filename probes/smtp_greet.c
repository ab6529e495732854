/* smtp_greet - read SMTP greetings in parallel; see smtp_greet.h. */
#include "probes/smtp_greet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/xalloc.h"

struct smtp_greet_conn {
    int fd;
    bool connecting, done;
    long long started;
    char buf[SMTP_GREET_MAX_BYTES + 1];
    size_t len;   /* bytes in buf not yet split into lines */
    size_t total; /* bytes read in all */
};

static long long smtp_greet_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void smtp_greet_finish(struct smtp_greet_conn *c, struct smtp_greet *g, enum smtp_greet_status st,
                              const char *error)
{
    if (c->done)
        return;
    c->done = true;
    g->status = st;
    if (error && !g->error)
        g->error = xstrdup(error);
    g->ms = st == SMTP_GREET_OK || st == SMTP_GREET_TOO_LONG ? smtp_greet_now() - c->started : -1;
    if (c->fd >= 0) {
        if (st == SMTP_GREET_OK || st == SMTP_GREET_TOO_LONG || st == SMTP_GREET_BAD) {
            /* Polite end; a full socket buffer just drops it. */
            ssize_t w = send(c->fd, "QUIT\r\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
        }
        close(c->fd);
        c->fd = -1;
    }
}

/* smtp_greet_lines - split complete lines off c->buf; finish when the
 * final line of the greeting has come. */
static void smtp_greet_lines(struct smtp_greet_conn *c, struct smtp_greet *g)
{
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (!nl)
            break;
        size_t n = (size_t)(nl - c->buf);
        size_t end = n > 0 && c->buf[n - 1] == '\r' ? n - 1 : n;
        char line[SMTP_GREET_MAX_BYTES + 1];
        memcpy(line, c->buf, end);
        line[end] = '\0';
        memmove(c->buf, nl + 1, c->len - n - 1);
        c->len -= n + 1;
        /* A NUL inside would cut the line short for escaping: write it as such. */
        for (size_t i = 0; i < end; i++)
            if (line[i] == '\0')
                line[i] = '\x01';
        bool coded = end >= 3 && line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9'
            && line[2] >= '0' && line[2] <= '9' && (end == 3 || line[3] == ' ' || line[3] == '-');
        if (!coded) {
            char *e = hostname_escape(line);
            strlist_add_owned(&g->lines, e);
            smtp_greet_finish(c, g, SMTP_GREET_BAD, "the server's first line is not an SMTP reply");
            return;
        }
        strlist_add_owned(&g->lines, hostname_escape(end > 4 ? line + 4 : ""));
        if (end == 3 || line[3] == ' ') {
            g->code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            smtp_greet_finish(c, g, SMTP_GREET_OK, NULL);
            return;
        }
        if (g->lines.n >= SMTP_GREET_MAX_LINES) {
            smtp_greet_finish(c, g, SMTP_GREET_TOO_LONG, "the greeting has too many lines");
            return;
        }
    }
    if (c->len >= SMTP_GREET_MAX_BYTES || c->total > SMTP_GREET_MAX_BYTES) {
        c->buf[c->len < SMTP_GREET_MAX_BYTES ? c->len : SMTP_GREET_MAX_BYTES] = '\0';
        for (size_t i = 0; i < c->len && i < SMTP_GREET_MAX_BYTES; i++)
            if (c->buf[i] == '\0')
                c->buf[i] = '\x01';
        /* Keep a bounded piece of the cut line. */
        c->buf[c->len > 200 ? 200 : c->len] = '\0';
        strlist_add_owned(&g->lines, hostname_escape(c->buf));
        smtp_greet_finish(c, g, SMTP_GREET_TOO_LONG, "the greeting is longer than 8192 bytes");
    }
}

static void smtp_greet_start(struct smtp_greet_conn *c, struct smtp_greet *g)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, g->address, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)g->port);
        sl = sizeof(*s4);
    } else if (inet_pton(AF_INET6, g->address, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)g->port);
        sl = sizeof(*s6);
    } else {
        smtp_greet_finish(c, g, SMTP_GREET_ERROR, "not a numeric address");
        return;
    }
    c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        smtp_greet_finish(c, g, SMTP_GREET_ERROR, strerror(errno));
        return;
    }
    c->started = smtp_greet_now();
    if (connect(c->fd, (struct sockaddr *)&ss, sl) == 0)
        return;
    if (errno == EINPROGRESS) {
        c->connecting = true;
        return;
    }
    int e = errno;
    smtp_greet_finish(c, g, e == ECONNREFUSED ? SMTP_GREET_REFUSED : SMTP_GREET_ERROR, strerror(e));
}

void smtp_greet_run(const char *const *address, const unsigned *port, size_t n, long long deadline,
                    struct smtp_greet *out)
{
    struct smtp_greet_conn *conns = xcalloc(n ? n : 1, sizeof(*conns));
    struct pollfd *pfd = xcalloc(n ? n : 1, sizeof(*pfd));
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].address = xstrdup(address[i]);
        out[i].port = port[i];
        out[i].ms = -1;
        conns[i].fd = -1;
        smtp_greet_start(&conns[i], &out[i]);
    }
    for (;;) {
        size_t live = 0;
        for (size_t i = 0; i < n; i++) {
            pfd[i].fd = conns[i].done ? -1 : conns[i].fd;
            pfd[i].events = conns[i].connecting ? POLLOUT : POLLIN;
            pfd[i].revents = 0;
            live += !conns[i].done;
        }
        if (live == 0)
            break;
        long long left = deadline - smtp_greet_now();
        if (left <= 0)
            break;
        int r = poll(pfd, n, left > 1000 ? 1000 : (int)left);
        if (r < 0 && errno != EINTR)
            break;
        for (size_t i = 0; r > 0 && i < n; i++) {
            struct smtp_greet_conn *c = &conns[i];
            if (c->done || !pfd[i].revents)
                continue;
            if (c->connecting) {
                int err = 0;
                socklen_t el = sizeof(err);
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
                if (err) {
                    smtp_greet_finish(c, &out[i], err == ECONNREFUSED ? SMTP_GREET_REFUSED : SMTP_GREET_ERROR,
                                      strerror(err));
                    continue;
                }
                c->connecting = false;
                continue;
            }
            ssize_t got = recv(c->fd, c->buf + c->len, SMTP_GREET_MAX_BYTES - c->len, 0);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got <= 0) {
                smtp_greet_finish(c, &out[i], out[i].lines.n ? SMTP_GREET_BAD : SMTP_GREET_REFUSED,
                                  got == 0 ? "the server closed the connection before its greeting ended"
                                           : strerror(errno));
                continue;
            }
            c->len += (size_t)got;
            c->total += (size_t)got;
            smtp_greet_lines(c, &out[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        smtp_greet_finish(&conns[i], &out[i], SMTP_GREET_TIMEOUT, "no complete greeting before the deadline");
    free(pfd);
    free(conns);
}

void smtp_greet_free(struct smtp_greet *g)
{
    free(g->address);
    free(g->error);
    strlist_free(&g->lines);
    memset(g, 0, sizeof(*g));
}

const char *smtp_greet_status_tostr(enum smtp_greet_status s)
{
    switch (s) {
    case SMTP_GREET_OK:
        return "ok";
    case SMTP_GREET_REFUSED:
        return "refused";
    case SMTP_GREET_TIMEOUT:
        return "timeout";
    case SMTP_GREET_TOO_LONG:
        return "too-long";
    case SMTP_GREET_BAD:
        return "bad";
    case SMTP_GREET_ERROR:
        break;
    }
    return "error";
}
