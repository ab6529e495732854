/* test_smtp_greet - the --connect probe against real sockets: a test
 * listener (a child process on loopback) that greets with several lines,
 * never greets, sends a 1 MB line, or sends control characters; all are
 * probed at once, within the deadline. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probes/dns.h"
#include "probes/smtp_greet.h"
#include "tests/support/suites.h"

enum mode { MULTI, SILENT, HUGE, CONTROL, CLOSE };

struct server {
    pid_t pid;
    unsigned port;
};

/* server_start - a child that accepts one connection after another on
 * 127.0.0.1 and answers each as mode says, until killed. */
static struct server server_start(enum mode mode)
{
    struct server s = { -1, 0 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(fd, 8), 0);
    socklen_t al = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &al);
    s.port = ntohs(a.sin_port);
    s.pid = fork();
    ck_assert_int_ge(s.pid, 0);
    if (s.pid > 0) {
        close(fd);
        return s;
    }
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            continue;
        static char big[1024 * 1024 + 8];
        ssize_t w = 0;
        switch (mode) {
        case MULTI: {
            const char *g = "220-mail.example.com ESMTP first\r\n220-second line\r\n220 mail.example.com ready\r\n";
            w = write(c, g, strlen(g));
            break;
        }
        case SILENT:
            sleep(30);
            break;
        case HUGE:
            memcpy(big, "220 ", 4);
            memset(big + 4, 'a', sizeof(big) - 6);
            memcpy(big + sizeof(big) - 2, "\r\n", 2);
            w = write(c, big, sizeof(big));
            break;
        case CONTROL: {
            const char g[] = "220 evil\x1b[31m.example\x07 \xff\r\n";
            w = write(c, g, sizeof(g) - 1);
            break;
        }
        case CLOSE:
            close(c);
            continue;
        }
        (void)w;
        char buf[64];
        ssize_t r = read(c, buf, sizeof(buf)); /* QUIT */
        (void)r;
        close(c);
    }
}

static void server_stop(struct server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
}

START_TEST(greetings_read_in_parallel_within_bounds)
{
    struct server sv[5] = { server_start(MULTI), server_start(SILENT), server_start(HUGE), server_start(CONTROL),
                            server_start(CLOSE) };
    const char *addr[6] = { "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1" };
    unsigned port[6];
    for (int i = 0; i < 5; i++)
        port[i] = sv[i].port;
    /* A port nobody listens on: the one of the closed-down first server + 1
     * is not reliable, so use a socket that was bound and closed. */
    int tmp = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(tmp, (struct sockaddr *)&a, sizeof(a));
    socklen_t al = sizeof(a);
    getsockname(tmp, (struct sockaddr *)&a, &al);
    port[5] = ntohs(a.sin_port);
    close(tmp);

    struct smtp_greet g[6];
    long long t0 = dns_now_ms();
    smtp_greet_run(addr, port, 6, dns_deadline_in(1500), g);
    long long took = dns_now_ms() - t0;
    /* All at once: the silent one's deadline is the whole cost. */
    ck_assert_int_ge(took, 1400);
    ck_assert_int_lt(took, 2000);

    ck_assert_str_eq(smtp_greet_status_tostr(g[0].status), "ok");
    ck_assert_int_eq(g[0].code, 220);
    ck_assert_uint_eq(g[0].lines.n, 3);
    ck_assert_str_eq(g[0].lines.items[0], "mail.example.com ESMTP first");
    ck_assert_str_eq(g[0].lines.items[1], "second line");
    ck_assert_str_eq(g[0].lines.items[2], "mail.example.com ready");
    ck_assert_int_ge(g[0].ms, 0);

    ck_assert_str_eq(smtp_greet_status_tostr(g[1].status), "timeout");
    ck_assert_uint_eq(g[1].lines.n, 0);

    ck_assert_str_eq(smtp_greet_status_tostr(g[2].status), "too-long");
    ck_assert_uint_eq(g[2].lines.n, 1);
    ck_assert_uint_le(strlen(g[2].lines.items[0]), 200);

    ck_assert_str_eq(smtp_greet_status_tostr(g[3].status), "ok");
    ck_assert_msg(!strchr(g[3].lines.items[0], '\x1b') && !strchr(g[3].lines.items[0], '\x07'), "%s",
                  g[3].lines.items[0]);
    ck_assert_msg(strstr(g[3].lines.items[0], "\\x1b"), "%s", g[3].lines.items[0]);

    ck_assert_str_eq(smtp_greet_status_tostr(g[4].status), "refused");
    ck_assert_ptr_nonnull(g[4].error);
    ck_assert_str_eq(smtp_greet_status_tostr(g[5].status), "refused");

    for (int i = 0; i < 6; i++)
        smtp_greet_free(&g[i]);
    for (int i = 0; i < 5; i++)
        server_stop(&sv[i]);
}
END_TEST

Suite *smtp_greet_suite(void)
{
    Suite *s = suite_create("smtp_greet");
    TCase *tc = tcase_create("loopback");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, greetings_read_in_parallel_within_bounds);
    suite_add_tcase(s, tc);
    return s;
}
