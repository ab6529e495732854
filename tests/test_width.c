/* test_width - what the built program prints for a person fits a terminal of
 * 80 columns: `--help`, and `identities` (its tables or blocks and its Inbound
 * section) on every sample under samples/postfix and samples/exim, in plain
 * text and in colour. No line of stdout or stderr may be wider than 80
 * columns; colour escapes take no column, a UTF-8 sequence takes one, a tab
 * runs to the next multiple of 8.
 *
 * The samples are given by their paths relative to the top of the tree, as
 * a user in the source tree would type them; Postfix cases with their
 * 'hostname' file, Exim cases as a runtime file ('configure') or a Debian
 * directory (etc/exim4).
 */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define WIDTH_LIMIT 80

/* Every sample as "postfix/NAME" or "exim/NAME", sorted. */
static struct strlist width_cases = STRLIST_INIT;

static int width_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void width_cases_add(const char *mta)
{
    char *top = xasprintf("samples/%s", mta);
    DIR *d = opendir(top);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char *path = xasprintf("%s/%s", top, de->d_name);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                strlist_addf(&width_cases, "%s/%s", mta, de->d_name);
            free(path);
        }
        closedir(d);
    }
    free(top);
}

static void width_cases_load(void)
{
    if (width_cases.n)
        return;
    width_cases_add("postfix");
    width_cases_add("exim");
    if (width_cases.n)
        qsort(width_cases.items, width_cases.n, sizeof(char *), width_cmp);
}

static bool width_exists(const char *dir, const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);
    struct stat st;
    bool ok = stat(path, &st) == 0;
    free(path);
    return ok;
}

/* The first line of DIR/hostname, else the default of the golden tests. */
static char *width_hostname(const char *dir)
{
    char *path = xasprintf("%s/hostname", dir);
    char *text = ts_read_file(path, NULL);
    free(path);
    if (!text)
        return xstrdup("corpus-host.example.net");
    text[strcspn(text, "\r\n")] = '\0';
    return text;
}

/* width_cols - terminal columns of the len bytes at s. */
static size_t width_cols(const char *s, size_t len)
{
    size_t cols = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\033' && i + 1 < len && s[i + 1] == '[') {
            i += 2;
            while (i < len && !(s[i] >= 0x40 && s[i] <= 0x7e))
                i++;
            continue;
        }
        if (c == '\t')
            cols = (cols / 8 + 1) * 8;
        else if ((c & 0xc0) != 0x80)
            cols++;
    }
    return cols;
}

/* assert_fits - every line of text (what `what` printed) fits the limit. */
static void assert_fits(const char *what, const char *stream, const char *text)
{
    size_t lineno = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        lineno++;
        size_t cols = width_cols(p, len);
        ck_assert_msg(cols <= WIDTH_LIMIT, "%s: %s line %zu is %zu columns wide (limit %d): '%.*s'", what, stream,
                      lineno, cols, WIDTH_LIMIT, (int)len, p);
        p += len;
        if (*p == '\n')
            p++;
    }
}

START_TEST(help_fits)
{
    char *cmd = xasprintf("'%s' --help", ts_bin());
    char *out, *err;
    ck_assert_int_eq(ts_run(cmd, &out, &err), 0);
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines >= 20, "--help printed %zu lines", lines);
    assert_fits("--help", "stdout", out);
    assert_fits("--help", "stderr", err);
    free(out);
    free(err);
    free(cmd);
}
END_TEST

START_TEST(identities_fit)
{
    width_cases_load();
    ck_assert_msg(width_cases.n >= 60, "expected at least 60 samples, found %zu", width_cases.n);
    const char *name = width_cases.items[_i];
    char *dir = xasprintf("samples/%s", name);
    char *host = width_hostname(dir);
    char *config;
    if (strncmp(name, "postfix/", 8) == 0)
        config = xasprintf("--no-exim --postfix-dir '%s'", dir);
    else if (width_exists(dir, "etc/exim4"))
        config = xasprintf("--no-postfix --exim-debian-dir '%s/etc/exim4'", dir);
    else
        config = xasprintf("--no-postfix --exim-config '%s/configure'", dir);
    static const char *const colors[] = {"never", "always"};
    for (size_t c = 0; c < sizeof(colors) / sizeof(colors[0]); c++) {
        char *cmd = xasprintf("'%s' identities %s --system-hostname '%s' --color %s", ts_bin(), config, host,
                              colors[c]);
        char *out, *err;
        int rc = ts_run(cmd, &out, &err);
        ck_assert_msg(rc == 0 || rc == 3, "%s: exit status %d: %s", cmd, rc, err);
        ck_assert_msg(out[0] != '\0', "%s: printed nothing", cmd);
        assert_fits(cmd, "stdout", out);
        assert_fits(cmd, "stderr", err);
        free(out);
        free(err);
        free(cmd);
    }
    free(config);
    free(host);
    free(dir);
}
END_TEST

/* identities on a Postfix configuration written for the test. */
static char *width_identities(const char *main_cf, int *rc)
{
    char *dir = ts_tmpdir("width");
    char *path = xasprintf("%s/main.cf", dir);
    ts_write_file(path, main_cf);
    free(path);
    path = xasprintf("%s/master.cf", dir);
    ts_write_file(path, "smtp      unix  -       -       n       -       -       smtp\n");
    free(path);
    char *cmd = xasprintf("'%s' identities --no-exim --postfix-dir '%s' --system-hostname mx", ts_bin(), dir);
    char *out;
    *rc = ts_run(cmd, &out, NULL);
    assert_fits(cmd, "stdout", out);
    free(cmd);
    ts_rmtree(dir);
    free(dir);
    return out;
}

/* Rows that fit stay a table, with its header line. */
START_TEST(narrow_rows_stay_a_table)
{
    int rc;
    char *out = width_identities("myhostname = mx.ex.org\ninet_protocols = ipv4\nsmtp_bind_address = 192.0.2.1\n", &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(out, "\n  TRANSPORT  EHLO NAME  IPV4 SOURCE  IPV6 SOURCE  PREFER  RELAY\n"),
                  "no table header in:\n%s", out);
    ck_assert_msg(strstr(out, "\n  smtp/unix  mx.ex.org  192.0.2.1    (off)        any     direct\n"), "no table row in:\n%s",
                  out);
    free(out);
}
END_TEST

/* A value longer than a line is cut, not lost: the pieces joined give it back. */
START_TEST(long_value_is_cut_not_lost)
{
    const char *label = "\n  EHLO NAME    ";
    char name[160] = "";
    for (int i = 0; i < 10; i++)
        strcat(name, i ? ".abcdefghijkl" : "host-abcdefghi");
    char *main_cf = xasprintf("myhostname = %s\n", name);
    int rc;
    char *out = width_identities(main_cf, &rc);
    ck_assert_int_eq(rc, 0);
    const char *at = strstr(out, label);
    ck_assert_msg(at, "no block layout in:\n%s", out);
    /* the value, then continuation lines indented to the value column */
    at += strlen(label);
    char joined[256] = "";
    for (;;) {
        size_t len = strcspn(at, "\n");
        ck_assert(strlen(joined) + len < sizeof(joined));
        strncat(joined, at, len);
        at += len;
        if (strncmp(at, "\n               ", 16) != 0 || at[16] == ' ')
            break;
        at += 16;
    }
    ck_assert_str_eq(joined, name);
    free(main_cf);
    free(out);
}
END_TEST

Suite *width_suite(void)
{
    Suite *s = suite_create("width");
    TCase *tc = tcase_create("width");
    width_cases_load();
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, help_fits);
    tcase_add_test(tc, narrow_rows_stay_a_table);
    tcase_add_test(tc, long_value_is_cut_not_lost);
    tcase_add_loop_test(tc, identities_fit, 0, (int)(width_cases.n ? width_cases.n : 1));
    suite_add_tcase(s, tc);
    return s;
}
