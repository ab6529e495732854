/* exim_gen - print a random Exim configuration for differential tests
 * against the real Exim: mostly valid main options, macros, conditionals,
 * continuations, routers and transports, with a few mistakes mixed in
 * (unknown drivers, duplicate options, bad booleans, a missing .endif,
 * macro redefinitions).
 *
 * usage: exim_gen SEED   (the same seed always gives the same text)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long exim_gen_state;

static unsigned exim_gen_rand(void)
{
    exim_gen_state = exim_gen_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(exim_gen_state >> 33);
}

static double exim_gen_unit(void)
{
    return (double)(exim_gen_rand() % 1000000) / 1000000.0;
}

#define PICK(arr) (arr[exim_gen_rand() % (sizeof(arr) / sizeof(arr[0]))])

static const char *const exim_gen_macros[] = { "HOST", "HELO", "IFACE", "X", "XY", "SITE" };

/* An option line, maybe wrapped in a conditional, maybe continued. */
static void exim_gen_line(const char *line)
{
    bool cond = exim_gen_unit() < 0.3;
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s", line);
    const char *eq = strstr(line, " = ");
    if (eq && exim_gen_unit() < 0.15)
        snprintf(buf, sizeof(buf), "%.*s = \\\n   %s", (int)(eq - line), line, eq + 3);
    if (!cond) {
        printf("%s\n", buf);
        return;
    }
    printf("%s %s\n%s\n", exim_gen_unit() < 0.5 ? ".ifdef" : ".ifndef", PICK(exim_gen_macros), buf);
    if (exim_gen_unit() < 0.5) {
        if (exim_gen_unit() < 0.5)
            printf(".else\n");
        else
            printf(".elifdef %s\n", PICK(exim_gen_macros));
        printf("%s\n", buf);
    }
    if (exim_gen_unit() < 0.97)
        printf(".endif\n");
}

static const char *exim_gen_value(void)
{
    static const char *const values[] = { "mail.example.com", "HOST", "$primary_hostname", "${primary_hostname}",
                                          "a.HOST", "\"q\\x41\"", "HELO.example", "XY", "X", "" };
    return PICK(values);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: exim_gen SEED\n");
        return 64;
    }
    exim_gen_state = strtoull(argv[1], NULL, 10) * 2654435761ULL + 1;
    char line[512];
    size_t nm = sizeof(exim_gen_macros) / sizeof(exim_gen_macros[0]);
    /* distinct macro names, in a random order */
    size_t order[sizeof(exim_gen_macros) / sizeof(exim_gen_macros[0])];
    for (size_t i = 0; i < nm; i++)
        order[i] = i;
    for (size_t i = nm; i > 1; i--) {
        size_t j = exim_gen_rand() % i, t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t i = 0, n = exim_gen_rand() % 5; i < n; i++) {
        static const char *const mvals[] = { "h.example.net", "X", "192.0.2.7", "<; 2001:db8::1 ; 192.0.2.1",
                                             "smtp.example.org", "" };
        snprintf(line, sizeof(line), "%s %s %s", exim_gen_macros[order[i]], exim_gen_unit() < 0.9 ? "=" : "==",
                 PICK(mvals));
        exim_gen_line(line);
    }
    if (exim_gen_unit() < 0.7) {
        snprintf(line, sizeof(line), "primary_hostname = %s", exim_gen_value());
        exim_gen_line(line);
    }
    if (exim_gen_unit() < 0.3) {
        static const char *const b[] = { "disable_ipv6", "no_disable_ipv6", "disable_ipv6 = yes",
                                         "disable_ipv6 = maybe", "not_disable_ipv6 = no" };
        exim_gen_line(PICK(b));
    }
    if (exim_gen_unit() < 0.2)
        printf("domainlist d = *\n");
    if (exim_gen_unit() < 0.3) {
        static const char *const d[] = { "*", "a.example : *", "+d" };
        snprintf(line, sizeof(line), "dns_ipv4_lookup = %s", PICK(d));
        exim_gen_line(line);
    }
    if (exim_gen_unit() < 0.1)
        printf("# comment\nHOST_COMMENT = #\nHOST_COMMENT primary_hostname = z\n");
    printf("begin routers\n");
    for (unsigned i = 0, n = exim_gen_rand() % 4; i < n; i++) {
        static const char *const drivers[] = { "dnslookup", "dnslookup", "manualroute", "accept" };
        const char *drv = exim_gen_unit() < 0.05 ? "bogus" : PICK(drivers);
        printf("r%u:\n  driver = %s\n  transport = t%u\n", i, drv, exim_gen_rand() % 3);
        if (strcmp(drv, "manualroute") == 0) {
            static const char *const routes[] = { "h.example::587", "HOST", "a:b" };
            printf("  route_list = * %s\n", PICK(routes));
        }
        if (exim_gen_unit() < (strcmp(drv, "dnslookup") == 0 ? 0.3 : 0.03))
            exim_gen_line("  ipv4_only = true");
    }
    printf("begin transports\n");
    for (unsigned i = 0, n = exim_gen_rand() % 4; i < n; i++) {
        static const char *const drivers[] = { "smtp", "smtp", "appendfile", "pipe" };
        const char *drv = PICK(drivers);
        printf("t%u:\n  driver = %s\n", i, drv);
        if (strcmp(drv, "appendfile") == 0)
            printf("  file = /var/mail/$local_part\n");
        if (strcmp(drv, "pipe") == 0 && exim_gen_unit() < 0.5)
            printf("  command = /bin/true\n");
        bool smtp = strcmp(drv, "smtp") == 0;
        if (exim_gen_unit() < (smtp ? 0.5 : 0.02)) {
            snprintf(line, sizeof(line), "  helo_data = %s", exim_gen_value());
            exim_gen_line(line);
        }
        if (exim_gen_unit() < (smtp ? 0.4 : 0.02)) {
            static const char *const ifs[] = { "IFACE", "192.0.2.1", "<; 2001:db8::1 ; 192.0.2.1",
                                               "${if true{192.0.2.1}}" };
            snprintf(line, sizeof(line), "  interface = %s", PICK(ifs));
            exim_gen_line(line);
        }
        if (exim_gen_unit() < 0.05)
            printf("  helo_data = dup\n");
    }
    return 0;
}
