/* test_pf_parse - unit tests of the Postfix readers: logical lines, main.cf,
 * master.cf, the defaults table, host name syntax, and bad input (binary
 * garbage, NUL bytes, a 1 MB line, 100 000 lines, unreadable files). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_defaults.h"
#include "parsers/pf_dict.h"
#include "parsers/pf_hostname.h"
#include "parsers/pf_identity.h"
#include "parsers/pf_lines.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

static void split(const char *text, size_t len, struct pf_lines *out, struct diag_list *diags)
{
    pf_lines_split("t.cf", text, len, out, diags);
}

START_TEST(lines_continuation_and_comments)
{
    const char text[] = "# head\n"
                        "abc\n"
                        "#def\n"
                        " ghi\n"
                        "\n"
                        "  \t\n"
                        "\t jkl # not a comment\n"
                        "next = 1\n"
                        "   # indented comment\n"
                        "last";
    struct pf_lines l = PF_LINES_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    split(text, sizeof(text) - 1, &l, &d);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.items[0].text, "abc ghi\t jkl # not a comment");
    ck_assert_uint_eq(l.items[0].lineno, 2);
    ck_assert_str_eq(l.items[1].text, "next = 1");
    ck_assert_uint_eq(l.items[1].lineno, 8);
    ck_assert_str_eq(l.items[2].text, "last");
    ck_assert_uint_eq(l.items[2].lineno, 10);
    ck_assert_uint_eq(d.n, 0);
    pf_lines_free(&l);
    diag_list_free(&d);
}
END_TEST

START_TEST(lines_leading_whitespace_and_nul)
{
    const char text[] = "  orphan text that is long enough to be cut\n"
                        "  more orphan\n"
                        "a = b\0hidden\n"
                        "c = d\r\n";
    struct pf_lines l = PF_LINES_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    split(text, sizeof(text) - 1, &l, &d);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.items[0].text, "a = b");
    ck_assert_str_eq(l.items[1].text, "c = d\r");
    ck_assert_uint_eq(d.n, 2);
    ck_assert_str_eq(d.items[0].message,
                     "logical line must not start with whitespace: \"  orphan text that is long eno...\"");
    ck_assert_uint_eq(d.items[0].line, 1);
    ck_assert_str_eq(d.items[1].message, "text after null byte may be ignored");
    ck_assert_uint_eq(d.items[1].line, 3);
    pf_lines_free(&l);
    diag_list_free(&d);
}
END_TEST

START_TEST(maincf_name_value_rules)
{
    const char text[] = "a=1\n"
                        "b   =   two words   \n"
                        "empty =\n"
                        "hash = x # y\n"
                        "a = 1\n"
                        "a = 3\n"
                        "novalue\n"
                        " = cont\n"
                        "=bad\n"
                        "stray";
    struct pf_maincf cf;
    struct diag_list d = DIAG_LIST_INIT;
    pf_maincf_load_text(&cf, "/cfg", "/cfg/main.cf", text, sizeof(text) - 1, &d);
    const struct pf_param *p = pf_dict_find(&cf.params, "a");
    ck_assert_str_eq(p->value, "3");
    ck_assert_uint_eq(p->line, 6);
    ck_assert_str_eq(p->file, "/cfg/main.cf");
    ck_assert_str_eq(pf_dict_find(&cf.params, "b")->value, "two words");
    ck_assert_str_eq(pf_dict_find(&cf.params, "empty")->value, "");
    ck_assert_str_eq(pf_dict_find(&cf.params, "hash")->value, "x # y");
    ck_assert_str_eq(pf_dict_find(&cf.params, "config_directory")->value, "/cfg");
    /* " = cont" continues "novalue": together a valid line. */
    ck_assert_str_eq(pf_dict_find(&cf.params, "novalue")->value, "cont");
    /* "a = 1" again is silent (same value); "a = 3" overrides. */
    ck_assert_uint_eq(d.n, 3);
    ck_assert_str_eq(d.items[0].message, "overriding earlier entry: a=1");
    ck_assert_uint_eq(d.items[0].line, 6);
    ck_assert_int_eq(d.items[1].level, DIAG_ERROR);
    ck_assert_str_eq(d.items[1].message, "missing attribute name: \"=bad\"");
    ck_assert_uint_eq(d.items[1].line, 9);
    ck_assert_str_eq(d.items[2].message, "missing '=' after attribute name: \"stray\"");
    pf_maincf_free(&cf);
    diag_list_free(&d);
}
END_TEST

START_TEST(maincf_binary_garbage_is_bounded)
{
    size_t len = 200000;
    char *junk = xmalloc(len);
    unsigned x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (char)(x >> 16);
    }
    struct pf_maincf cf;
    struct diag_list d = DIAG_LIST_INIT;
    pf_maincf_load_text(&cf, "/cfg", "/cfg/main.cf", junk, len, &d);
    ck_assert_uint_gt(diag_count(&d, DIAG_ERROR), 0);
    /* At most PF_MAINCF_MAX_REPORTS per kind, plus summaries and NUL warnings. */
    ck_assert_uint_le(diag_count(&d, DIAG_ERROR), PF_MAINCF_MAX_REPORTS + 1);
    pf_maincf_free(&cf);
    diag_list_free(&d);
    free(junk);
}
END_TEST

START_TEST(maincf_huge_line_and_many_lines)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "long = ");
    for (int i = 0; i < 1024 * 1024; i++)
        strbuf_addc(&sb, (char)('a' + i % 26));
    strbuf_addc(&sb, '\n');
    int n = ts_under_valgrind() ? 10000 : 100000;
    for (int i = 0; i < n; i++)
        strbuf_addf(&sb, "param_%d = value %d\n", i, i);
    struct pf_maincf cf;
    struct diag_list d = DIAG_LIST_INIT;
    clock_t t0 = clock();
    pf_maincf_load_text(&cf, "/cfg", "/cfg/main.cf", sb.buf, sb.len, &d);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_uint_eq(d.n, 0);
    ck_assert_uint_eq(strlen(pf_dict_find(&cf.params, "long")->value), 1024 * 1024);
    const struct pf_param *p = pf_dict_find(&cf.params, "param_777");
    ck_assert_str_eq(p->value, "value 777");
    ck_assert_uint_eq(p->line, 779);
    ck_assert_uint_eq(cf.params.n, (size_t)n + 2);
    ck_assert_msg(secs < 3.0, "parsing took %.2f s", secs);
    pf_maincf_free(&cf);
    diag_list_free(&d);
    strbuf_release(&sb);
}
END_TEST

START_TEST(files_missing_directory_and_unreadable)
{
    char *dir = ts_tmpdir("pf-files");
    struct pf_maincf cf;
    struct diag_list d = DIAG_LIST_INIT;
    ck_assert_int_eq(pf_maincf_load(&cf, dir, &d), -1);
    pf_maincf_free(&cf);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_ptr_nonnull(strstr(d.items[0].message, "main.cf': No such file or directory"));
    /* main.cf that is a directory */
    char *sub = xasprintf("%s/main.cf", dir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    ck_assert_int_eq(pf_maincf_load(&cf, dir, &d), -1);
    pf_maincf_free(&cf);
    char *want = xasprintf("'%s' is a directory", sub);
    ck_assert_str_eq(d.items[1].message, want);
    ck_assert_int_eq(d.items[1].level, DIAG_UNREADABLE);
    free(want);
    /* pf_identity_load on a directory without main.cf */
    struct model_set set = MODEL_SET_INIT;
    char *empty = xasprintf("%s/nothing", dir);
    ck_assert_int_eq(mkdir(empty, 0755), 0);
    struct model_host host = { .hostname = "h.example.net" };
    ck_assert_int_eq(pf_identity_load(empty, &host, &set, &d), -1);
    ck_assert_int_eq(pf_identity_load("", &host, &set, &d), -1);
    ck_assert_uint_eq(set.n, 0);
    ck_assert_uint_eq(set.nconfigs, 0);
    /* unreadable main.cf (only meaningful when not root) */
    char *ro = xasprintf("%s/ro", dir);
    ck_assert_int_eq(mkdir(ro, 0755), 0);
    char *rofile = xasprintf("%s/main.cf", ro);
    ts_write_file(rofile, "myhostname = a.example\n");
    chmod(rofile, 0);
    int rc = pf_maincf_load(&cf, ro, &d);
    pf_maincf_free(&cf);
    if (!ts_is_root())
        ck_assert_int_eq(rc, -1);
    model_set_free(&set);
    diag_list_free(&d);
    free(rofile);
    free(ro);
    free(empty);
    free(sub);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(identity_default_location_rules)
{
    char *dir = ts_tmpdir("pf-env");
    char *main_cf = xasprintf("%s/main.cf", dir);
    char *master_cf = xasprintf("%s/master.cf", dir);
    ts_write_file(main_cf, "myhostname = env.example.net\n");
    ts_write_file(master_cf, "smtp unix - - n - - smtp\n");
    char *withslash = xasprintf("%s//", dir);
    setenv("MAIL_CONFIG", withslash, 1);
    struct model_set set = MODEL_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    struct model_host host = { .hostname = "h.example.net" };
    ck_assert_int_eq(pf_identity_load(NULL, &host, &set, &d), 1);
    unsetenv("MAIL_CONFIG");
    ck_assert_uint_eq(set.n, 1);
    char *id = xasprintf("postfix:%s:smtp/unix", dir);
    ck_assert_str_eq(set.items[0].id, id);
    ck_assert_str_eq(set.items[0].config, dir);
    ck_assert_str_eq(set.configs[0].how, "$MAIL_CONFIG");
    ck_assert_str_eq(set.items[0].helo_name, "env.example.net");
    model_set_free(&set);
    diag_list_free(&d);
    free(id);
    free(withslash);
    free(main_cf);
    free(master_cf);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

static void master(const char *text, struct pf_mastercf *m, struct diag_list *d)
{
    pf_mastercf_load_text(m, "/cfg/master.cf", text, strlen(text), d);
}

START_TEST(mastercf_fields_and_options)
{
    const char *text = "smtp unix - - n - - smtp\n"
                       "# comment\n"
                       "out  unix - - n - 5 /usr/lib/postfix/sbin/smtp -v\n"
                       "  -o smtp_helo_name=a.example\n"
                       "\n"
                       "  -o { smtp_tls_policy_maps = texthash:/x y } -osmtp_bind_address=192.0.2.1\n"
                       "  -o smtp_helo_name=b.example -- -o ignored=1\n"
                       "p    unix - n n - - pipe flags=R user=x argv=/bin/true -o notanoption=1\n"
                       "w    unix - - n 1000? 1 smtp -o{a=1} -o { } -oname=\n";
    struct pf_mastercf m;
    struct diag_list d = DIAG_LIST_INIT;
    master(text, &m, &d);
    ck_assert_uint_eq(m.n, 4);
    const struct pf_service *out = pf_mastercf_find(&m, "out", "unix");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(out->line, 3);
    ck_assert_str_eq(pf_mastercf_command_base(out), "smtp");
    ck_assert_str_eq(pf_mastercf_override(out, "smtp_helo_name"), "b.example");
    ck_assert_str_eq(pf_mastercf_override(out, "smtp_tls_policy_maps"), "texthash:/x y");
    ck_assert_str_eq(pf_mastercf_override(out, "smtp_bind_address"), "192.0.2.1");
    ck_assert_ptr_null(pf_mastercf_override(out, "ignored"));
    const struct pf_service *p = pf_mastercf_find(&m, "p", "unix");
    ck_assert_uint_eq(p->noverrides, 0);
    const struct pf_service *w = pf_mastercf_find(&m, "w", "unix");
    /* "-o{a=1}": getopt takes "{a=1}" as the value (no brace stripping
     * mid-token), which has no name before '='... it has one: "{a". */
    ck_assert_str_eq(pf_mastercf_override(w, "{a"), "1}");
    ck_assert_str_eq(pf_mastercf_override(w, "name"), "");
    /* "-o { }" is an empty argument: no name. */
    ck_assert_uint_eq(diag_count(&d, DIAG_ERROR), 1);
    ck_assert_ptr_nonnull(strstr(d.items[0].message, "missing attribute name"));
    pf_mastercf_free(&m);
    diag_list_free(&d);
}
END_TEST

START_TEST(mastercf_errors)
{
    const char *text = "a unix - - n - -\n"
                       "b unix - - n - - smtp -o\n"
                       "c unix x - n - - smtp\n"
                       "d unix - - n - -1 smtp\n"
                       "e unix - - n x? - smtp\n"
                       "f unix - - n - - smtp -q\n"
                       "g unix - - n - - smtp\n"
                       "g unix - - n - - smtp -o x=2\n";
    struct pf_mastercf m;
    struct diag_list d = DIAG_LIST_INIT;
    master(text, &m, &d);
    ck_assert_uint_eq(d.n, 7);
    ck_assert_str_eq(d.items[0].message, "bad field count");
    ck_assert_ptr_nonnull(strstr(d.items[1].message, "option -o requires a value"));
    ck_assert_str_eq(d.items[2].message, "invalid private field \"x\" in \"c unix x - n - - smtp\"");
    ck_assert_str_eq(d.items[3].message, "invalid process_limit field \"-1\" in \"d unix - - n - -1 smtp\"");
    ck_assert_str_eq(d.items[4].message, "invalid wakeup field \"x?\" in \"e unix - - n x? - smtp\"");
    ck_assert_ptr_nonnull(strstr(d.items[5].message, "invalid option -q"));
    ck_assert_int_eq(d.items[6].level, DIAG_WARNING);
    const struct pf_service *g = pf_mastercf_find(&m, "g", "unix");
    ck_assert_str_eq(pf_mastercf_override(g, "x"), "2");
    ck_assert_int_eq(m.items[m.n - 2].replaced, 1);
    pf_mastercf_free(&m);
    diag_list_free(&d);
}
END_TEST

START_TEST(mastercf_many_services)
{
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 2000; i++)
        strbuf_addf(&sb, "t%d unix - - n - - smtp\n  -o smtp_bind_address=10.0.%d.%d\n", i, i / 256, i % 256);
    struct pf_mastercf m;
    struct diag_list d = DIAG_LIST_INIT;
    master(sb.buf, &m, &d);
    ck_assert_uint_eq(m.n, 2000);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_str_eq(pf_mastercf_override(pf_mastercf_find(&m, "t1999", "unix"), "smtp_bind_address"),
                     "10.0.7.207");
    pf_mastercf_free(&m);
    diag_list_free(&d);
    strbuf_release(&sb);
}
END_TEST

START_TEST(defaults_sorted_and_unique)
{
    size_t n;
    const struct pf_default *t = pf_defaults_table(&n);
    ck_assert_uint_gt(n, 10);
    for (size_t i = 1; i < n; i++)
        ck_assert_msg(strcmp(t[i - 1].name, t[i].name) < 0, "'%s' before '%s'", t[i - 1].name, t[i].name);
    for (size_t i = 0; i < n; i++)
        ck_assert_ptr_eq(pf_defaults_find(t[i].name), &t[i]);
    ck_assert_ptr_null(pf_defaults_find("no_such_parameter"));
    ck_assert_str_eq(pf_defaults_find("smtp_helo_name")->value, "$myhostname");
    ck_assert_str_eq(pf_defaults_find("inet_protocols")->value, "all");
    ck_assert_ptr_null(pf_defaults_find("myhostname")->value);
}
END_TEST

START_TEST(hostname_syntax)
{
    ck_assert_int_eq(pf_hostname_valid("mail.example.com"), 1);
    ck_assert_int_eq(pf_hostname_valid("a_b.example"), 1);
    ck_assert_int_eq(pf_hostname_valid("localhost"), 1);
    ck_assert_int_eq(pf_hostname_valid(""), 0);
    ck_assert_int_eq(pf_hostname_valid(".example.com"), 0);
    ck_assert_int_eq(pf_hostname_valid("example.com."), 0);
    ck_assert_int_eq(pf_hostname_valid("a..b"), 0);
    ck_assert_int_eq(pf_hostname_valid("-a.b"), 0);
    ck_assert_int_eq(pf_hostname_valid("a-.b"), 0);
    ck_assert_int_eq(pf_hostname_valid("192.0.2.1"), 0);
    ck_assert_int_eq(pf_hostname_valid("mail example"), 0);
    char label[70];
    memset(label, 'a', 64);
    label[64] = '\0';
    ck_assert_int_eq(pf_hostname_valid(label), 0);
    label[63] = '\0';
    ck_assert_int_eq(pf_hostname_valid(label), 1);
}
END_TEST

/* Random mutations of real samples: the parser must never crash, hang or
 * leak (run under ASan and valgrind by make asan-check / valgrind-check). */
static void mutate(struct strbuf *out, const char *text, size_t len, unsigned *seed)
{
    static const char pieces[] = "${}()?:=#\n \t\0[]-o,";
    strbuf_reset(out);
    strbuf_add(out, text, len);
    int edits = 1 + (int)(rand_r(seed) % 8);
    for (int e = 0; e < edits && out->len > 0; e++) {
        size_t at = (size_t)rand_r(seed) % out->len;
        switch (rand_r(seed) % 4) {
        case 0: /* overwrite with a syntax character */
            out->buf[at] = pieces[(size_t)rand_r(seed) % (sizeof(pieces) - 1)];
            break;
        case 1: /* random byte */
            out->buf[at] = (char)(rand_r(seed) & 0xff);
            break;
        case 2: /* cut the rest of the line */
            while (at < out->len && out->buf[at] != '\n')
                out->buf[at++] = ' ';
            break;
        default: { /* repeat a chunk (self references, continuation lines) */
            size_t n = (size_t)rand_r(seed) % 40;
            if (at + n > out->len)
                n = out->len - at;
            char *chunk = xmalloc(n + 1); /* the chunk may hold NUL bytes */
            memcpy(chunk, out->buf + at, n);
            strbuf_add(out, chunk, n);
            free(chunk);
            break;
        }
        }
    }
}

START_TEST(mutated_samples_never_crash)
{
    static const char *const cases[] = { "debian-default", "expansion-corners", "long-form-options",
                                         "sender-bind-ehlo", "corpus-mailcow", "corpus-danwin-onion" };
    int rounds = ts_under_valgrind() ? 15 : 150;
    char *dir = ts_tmpdir("pf-mutate");
    char *main_path = xasprintf("%s/main.cf", dir);
    char *master_path = xasprintf("%s/master.cf", dir);
    struct strbuf buf = STRBUF_INIT;
    unsigned seed = 20261128;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char *src_main = xasprintf("samples/postfix/%s/main.cf", cases[c]);
        char *src_master = xasprintf("samples/postfix/%s/master.cf", cases[c]);
        size_t main_len = 0, master_len = 0;
        char *main_text = ts_read_file(src_main, &main_len);
        char *master_text = ts_read_file(src_master, &master_len);
        ck_assert_ptr_nonnull(main_text);
        ck_assert_ptr_nonnull(master_text);
        for (int r = 0; r < rounds; r++) {
            FILE *fp = fopen(main_path, "wb");
            ck_assert_ptr_nonnull(fp);
            mutate(&buf, main_text, main_len, &seed);
            fwrite(buf.buf, 1, buf.len, fp);
            fclose(fp);
            fp = fopen(master_path, "wb");
            ck_assert_ptr_nonnull(fp);
            mutate(&buf, master_text, master_len, &seed);
            fwrite(buf.buf, 1, buf.len, fp);
            fclose(fp);
            struct model_set set = MODEL_SET_INIT;
            struct diag_list d = DIAG_LIST_INIT;
            /* the samples' myorigin = /etc/mailname reads the sample's file */
            struct model_host host = { .hostname = "mutant.example.net",
                                       .mailname_path = "samples/postfix/debian-default/mailname" };
            int rc = pf_identity_load(dir, &host, &set, &d);
            ck_assert_int_eq(rc, 1);
            model_set_free(&set);
            diag_list_free(&d);
        }
        free(main_text);
        free(master_text);
        free(src_main);
        free(src_master);
    }
    strbuf_release(&buf);
    free(main_path);
    free(master_path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* A value that multiplies itself (4^20 bytes) referenced by 2 000 services:
 * Postfix itself would run out of memory; the parser must report it and
 * finish quickly, however many services reference the value. */
START_TEST(self_multiplying_value_is_cheap)
{
    char *dir = ts_tmpdir("pf-hostile");
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "smtp_helo_name = $d1\n");
    for (int i = 1; i <= 20; i++)
        strbuf_addf(&sb, "d%d = $d%d$d%d$d%d$d%d\n", i, i + 1, i + 1, i + 1, i + 1);
    strbuf_adds(&sb, "d21 = 0123456789\n");
    char *path = xasprintf("%s/main.cf", dir);
    ts_write_file(path, sb.buf);
    free(path);
    strbuf_reset(&sb);
    int services = ts_under_valgrind() ? 50 : 2000;
    for (int i = 0; i < services; i++)
        strbuf_addf(&sb, "s%d unix - - n - - smtp\n", i);
    path = xasprintf("%s/master.cf", dir);
    ts_write_file(path, sb.buf);
    free(path);
    struct model_set set = MODEL_SET_INIT;
    struct diag_list d = DIAG_LIST_INIT;
    struct model_host host = { .hostname = "h.example.net" };
    time_t t0 = time(NULL);
    ck_assert_int_eq(pf_identity_load(dir, &host, &set, &d), 1);
    /* The shared budget bounds the work (~0.4 s natively; valgrind is ~50x slower). */
    ck_assert_msg(time(NULL) - t0 < (ts_under_valgrind() ? 300 : 10), "took %ld s", (long)(time(NULL) - t0));
    ck_assert_uint_eq(set.n, (size_t)services);
    ck_assert_ptr_null(set.items[0].helo_name);
    ck_assert_uint_gt(diag_count(&d, DIAG_ERROR), 0);
    int exceeded = 0;
    for (size_t i = 0; i < d.n; i++)
        exceeded |= strstr(d.items[i].message, "expansion exceeds") != NULL;
    ck_assert(exceeded);
    model_set_free(&set);
    diag_list_free(&d);
    strbuf_release(&sb);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

Suite *pf_parse_suite(void)
{
    Suite *s = suite_create("pf_parse");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, lines_continuation_and_comments);
    tcase_add_test(tc, lines_leading_whitespace_and_nul);
    tcase_add_test(tc, maincf_name_value_rules);
    tcase_add_test(tc, maincf_binary_garbage_is_bounded);
    tcase_add_test(tc, maincf_huge_line_and_many_lines);
    tcase_add_test(tc, files_missing_directory_and_unreadable);
    tcase_add_test(tc, identity_default_location_rules);
    tcase_add_test(tc, mastercf_fields_and_options);
    tcase_add_test(tc, mastercf_errors);
    tcase_add_test(tc, mastercf_many_services);
    tcase_add_test(tc, defaults_sorted_and_unique);
    tcase_add_test(tc, hostname_syntax);
    tcase_add_test(tc, mutated_samples_never_crash);
    tcase_add_test(tc, self_multiplying_value_is_cheap);
    suite_add_tcase(s, tc);
    return s;
}
