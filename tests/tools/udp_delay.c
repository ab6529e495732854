/* udp_delay - a UDP relay that delays every datagram by a fixed time in each
 * direction, to give a DNS server on loopback a realistic round-trip time
 * (the test kernel has no netem).
 *
 *   udp_delay LISTEN_ADDR:PORT UPSTREAM_ADDR:PORT DELAY_MS
 *
 * PORT 0 for LISTEN picks a free port. Once listening it prints the port on
 * stdout (one line) and runs until SIGTERM or SIGINT. A query from a client
 * goes upstream DELAY_MS later from a socket of that client's own; the answer
 * comes back DELAY_MS after it arrived, so the added round-trip time is
 * 2 * DELAY_MS. Order is kept (one fixed delay makes the queue a FIFO).
 * IPv4 only: that is all the benchmarks need.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"

struct client {
    struct sockaddr_in addr;
    int upfd;          /* connected to the upstream server */
    long long last;    /* last activity, ms */
};

struct packet {
    long long due;
    int fd;
    int to_client;     /* sendto(client) from the listening socket, else send() upstream */
    struct sockaddr_in dest;
    size_t len;
    unsigned char data[4096];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_addr(const char *spec, struct sockaddr_in *sin)
{
    char host[64];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof(host))
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_port = htons((unsigned short)strtoul(colon + 1, NULL, 10));
    return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static struct packet *queue;
static size_t qhead, qtail, qcap;

static struct packet *enqueue(void)
{
    if (qtail == qcap) {
        if (qhead > 0) {
            memmove(queue, queue + qhead, (qtail - qhead) * sizeof(*queue));
            qtail -= qhead;
            qhead = 0;
        }
        if (qtail == qcap) {
            qcap = qcap ? qcap * 2 : 64;
            queue = xreallocarray(queue, qcap, sizeof(*queue));
        }
    }
    return &queue[qtail++];
}

int main(int argc, char **argv)
{
    struct sockaddr_in listen_addr, upstream;
    struct client *clients = NULL;
    size_t nclients = 0, cap = 0;

    if (argc != 4 || parse_addr(argv[1], &listen_addr) < 0 || parse_addr(argv[2], &upstream) < 0) {
        fprintf(stderr, "usage: udp_delay LISTEN_ADDR:PORT UPSTREAM_ADDR:PORT DELAY_MS\n");
        return 2;
    }
    long long delay = strtoll(argv[3], NULL, 10);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    int lfd = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t sl = sizeof(listen_addr);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) < 0 ||
        getsockname(lfd, (struct sockaddr *)&listen_addr, &sl) < 0) {
        fprintf(stderr, "udp_delay: cannot listen on '%s': %s\n", argv[1], strerror(errno));
        return 1;
    }
    printf("%u\n", ntohs(listen_addr.sin_port));
    fflush(stdout);

    struct pollfd *fds = NULL;
    size_t fds_cap = 0;
    while (!stop) {
        long long now = now_ms();
        /* Send everything that is due. */
        while (qhead < qtail && queue[qhead].due <= now) {
            struct packet *p = &queue[qhead++];
            if (p->to_client)
                sendto(p->fd, p->data, p->len, 0, (struct sockaddr *)&p->dest, sizeof(p->dest));
            else
                send(p->fd, p->data, p->len, 0);
        }
        /* Forget clients idle for long: nothing of theirs can still be queued. */
        for (size_t i = 0; i < nclients;) {
            if (now - clients[i].last > 3000 + 2 * delay) {
                close(clients[i].upfd);
                clients[i] = clients[--nclients];
            } else {
                i++;
            }
        }
        XGROW(fds, fds_cap, nclients + 1);
        fds[0].fd = lfd;
        fds[0].events = POLLIN;
        for (size_t i = 0; i < nclients; i++) {
            fds[i + 1].fd = clients[i].upfd;
            fds[i + 1].events = POLLIN;
        }
        int timeout = qhead < qtail ? (int)(queue[qhead].due - now) : 1000;
        if (timeout < 0)
            timeout = 0;
        int n = poll(fds, nclients + 1, timeout);
        if (n <= 0)
            continue;
        now = now_ms();
        size_t polled = nclients;
        for (size_t i = 1; i <= polled; i++) {
            if (!(fds[i].revents & POLLIN))
                continue;
            for (size_t k = 0; k < nclients; k++) {
                if (clients[k].upfd != fds[i].fd)
                    continue;
                struct packet *p = enqueue();
                ssize_t got = recv(fds[i].fd, p->data, sizeof(p->data), MSG_DONTWAIT);
                if (got < 0) {
                    qtail--;
                    break;
                }
                p->len = (size_t)got;
                p->due = now + delay;
                p->fd = lfd;
                p->to_client = 1;
                p->dest = clients[k].addr;
                clients[k].last = now;
                break;
            }
        }
        if (fds[0].revents & POLLIN) {
            for (;;) {
                struct sockaddr_in from;
                socklen_t fl = sizeof(from);
                struct packet *p = enqueue();
                ssize_t got = recvfrom(lfd, p->data, sizeof(p->data), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
                if (got < 0) {
                    qtail--;
                    break;
                }
                size_t k;
                for (k = 0; k < nclients; k++)
                    if (clients[k].addr.sin_port == from.sin_port &&
                        clients[k].addr.sin_addr.s_addr == from.sin_addr.s_addr)
                        break;
                if (k == nclients) {
                    int ufd = socket(AF_INET, SOCK_DGRAM, 0);
                    if (ufd < 0 || connect(ufd, (struct sockaddr *)&upstream, sizeof(upstream)) < 0) {
                        if (ufd >= 0)
                            close(ufd);
                        qtail--;
                        continue;
                    }
                    XGROW(clients, cap, nclients + 1);
                    clients[nclients].addr = from;
                    clients[nclients].upfd = ufd;
                    nclients++;
                }
                clients[k].last = now;
                p->len = (size_t)got;
                p->due = now + delay;
                p->fd = clients[k].upfd;
                p->to_client = 0;
            }
        }
    }
    for (size_t i = 0; i < nclients; i++)
        close(clients[i].upfd);
    free(clients);
    free(fds);
    free(queue);
    close(lfd);
    return 0;
}
