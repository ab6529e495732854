/* test_exim_reader - unit tests of Exim's line, macro, conditional,
 * include, option and list rules (exim_reader, exim_options, exim_list).
 * Expected values were checked against the real Exim 4.96 (exim -bP);
 * the sample oracle test compares whole configurations with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/exim_builtin.h"
#include "parsers/exim_list.h"
#include "parsers/exim_load.h"
#include "parsers/exim_options.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

struct loaded {
    char *dir;
    char *path;
    struct exim_loaded ld;
    struct diag_list diags;
    int rc;
};

/* Write text as DIR/configure and read it. */
static void load_text(struct loaded *t, const char *text)
{
    t->dir = ts_tmpdir("exim-unit");
    t->path = xasprintf("%s/configure", t->dir);
    ts_write_file(t->path, text);
    memset(&t->diags, 0, sizeof(t->diags));
    t->rc = exim_load(t->path, NULL, &(struct model_host){ .hostname = "host.example.net" }, &t->ld, &t->diags);
}

static void load_free(struct loaded *t)
{
    exim_load_free(&t->ld);
    diag_list_free(&t->diags);
    ts_rmtree(t->dir);
    free(t->dir);
    free(t->path);
}

static const char *main_value(const struct loaded *t, const char *name)
{
    const struct exim_option *o = exim_options_main(&t->ld.cfg, name);
    return o ? o->value : NULL;
}

/* The first error as "LINE: message" (file left out). */
static char *first_error(const struct loaded *t)
{
    for (size_t i = 0; i < t->diags.n; i++)
        if (t->diags.items[i].level == DIAG_ERROR)
            return xasprintf("%u: %s", t->diags.items[i].line, t->diags.items[i].message);
    return xstrdup("(none)");
}

static void expect_error(const char *text, const char *want)
{
    struct loaded t;
    load_text(&t, text);
    char *got = first_error(&t);
    ck_assert_msg(t.ld.cfg.failed, "accepted: %s", text);
    ck_assert_str_eq(got, want);
    free(got);
    load_free(&t);
}

static void expect_main(const char *text, const char *name, const char *want)
{
    struct loaded t;
    load_text(&t, text);
    char *err = first_error(&t);
    ck_assert_msg(!t.ld.cfg.failed, "refused: %s: %s", text, err);
    free(err);
    const char *got = main_value(&t, name);
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "%s: got '%s', want '%s'", name, got ? got : "(unset)", want);
    else
        ck_assert_msg(!got, "%s: got '%s', want unset", name, got);
    load_free(&t);
}

START_TEST(continuation_joins_and_drops_leading_space)
{
    /* a comment line may sit inside a continuation; an empty line ends it */
    expect_main("primary_hostname = a \\\n  # c\n  b\\\n\n  qualify_domain = c\n", "primary_hostname", "a b");
    expect_main("primary_hostname = a \\\n  # c\n  b\\\n\n  qualify_domain = c\n", "qualify_domain", "c");
    expect_main("primary_hostname = a\\\n    b\n", "primary_hostname", "ab");
    /* "a\\\\": one backslash left, so even the empty line continues */
    expect_main("primary_hostname = a\\\\\n\nqualify_domain = b\n", "primary_hostname", "aqualify_domain = b");
    /* end of file after a continuation */
    expect_main("primary_hostname = a\\", "primary_hostname", "a");
}
END_TEST

START_TEST(comment_test_follows_macro_substitution)
{
    expect_main("HASH = #\nHASH primary_hostname = x\n", "primary_hostname", NULL);
    /* '#' after the start of a line is data */
    expect_main("primary_hostname = a#b\n", "primary_hostname", "a#b");
    /* a line that is only an empty macro is dropped */
    expect_main("E =\nE\nprimary_hostname = a\n", "primary_hostname", "a");
}
END_TEST

START_TEST(macros_in_definition_order)
{
    expect_main("X = Y\nY = z\nprimary_hostname = X\n", "primary_hostname", "z");
    /* the value of a definition is substituted when it is read */
    expect_main("Y = a\nX = Y\nprimary_hostname = X\n", "primary_hostname", "a");
    expect_main("AB = 1\nA = 2\nprimary_hostname = AB A\n", "primary_hostname", "1 2");
    /* raw substring replacement, no word boundaries */
    expect_main("DOM = example.org\nprimary_hostname = mail.DOM\n", "primary_hostname", "mail.example.org");
    expect_main("H = one\nH == two\nprimary_hostname = H\n", "primary_hostname", "two");
}
END_TEST

START_TEST(macro_errors)
{
    expect_error("A = 1\nA = 2\n", "2: macro \"A\" is already defined (use \"==\" if you want to redefine it)");
    expect_error("A == 1\n", "1: can't redefine an undefined macro \"A\"");
    expect_error("A = 2\nAB = 1\n",
                 "2: \"AB\" cannot be defined as a macro because previously defined macro \"A\" is a substring");
    expect_error("X\n", "1: malformed macro definition");
}
END_TEST

/* Macros that each double the previous one (MAA = xxxx, MAB = MAAMAA, ...):
 * Exim builds the 2^n-fold line until memory runs out; the reader follows
 * as far as Exim's real uses do and then stops with an error, quickly. */
static char *doubling_macros(unsigned n)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "MAA = xxxxxxxxxxxxxxxx\n");
    for (unsigned i = 1; i < n; i++)
        strbuf_addf(&sb, "M%c%c = M%c%cM%c%c\n", 'A' + i / 26, 'A' + i % 26, 'A' + (i - 1) / 26,
                    'A' + (i - 1) % 26, 'A' + (i - 1) / 26, 'A' + (i - 1) % 26);
    strbuf_addf(&sb, "primary_hostname = M%c%c\n", 'A' + (n - 1) / 26, 'A' + (n - 1) % 26);
    return strbuf_detach(&sb);
}

START_TEST(self_multiplying_macros)
{
    /* MAA..MAP: a 1 MiB value, which Exim accepts too */
    char *text = doubling_macros(16);
    struct loaded t;
    load_text(&t, text);
    char *err = first_error(&t);
    ck_assert_msg(!t.ld.cfg.failed, "%s", err);
    free(err);
    ck_assert_uint_eq(strlen(main_value(&t, "primary_hostname")), 16u << 15);
    load_free(&t);
    free(text);
    /* 40 doublings would be 8 TiB */
    text = doubling_macros(40);
    load_text(&t, text);
    ck_assert(t.ld.cfg.failed);
    char *got = first_error(&t);
    ck_assert_msg(strstr(got, ": macro substitution exceeds 67108864 bytes of work (self-multiplying macros?)"), "%s",
                  got);
    free(got);
    load_free(&t);
    free(text);
}
END_TEST

START_TEST(conditionals)
{
    const char *cfg = "B = yes\n"
                      ".ifdef A\nprimary_hostname = a\n.elifdef B\nprimary_hostname = b\n.else\n"
                      "primary_hostname = c\n.endif\n";
    expect_main(cfg, "primary_hostname", "b");
    expect_main(".ifndef A\nprimary_hostname = n\n.else\nprimary_hostname = y\n.endif\n", "primary_hostname", "n");
    /* several names: any of them */
    expect_main("B = 1\n.ifdef A B\nprimary_hostname = or\n.endif\n", "primary_hostname", "or");
    /* skipped lines are not read at all, not even their errors */
    expect_main(".ifdef A\nnonsense line\n.endif\nprimary_hostname = ok\n", "primary_hostname", "ok");
    /* nested inside a false branch */
    expect_main(".ifdef A\n.ifndef A\nprimary_hostname = inner\n.endif\n.else\nprimary_hostname = outer\n.endif\n",
                "primary_hostname", "outer");
    /* Exim 4.96 ignores a directive followed by a tab */
    expect_error("X=1\n.ifdef\tX\nprimary_hostname = a\n.else\n", "4: .else without matching .ifdef");
    expect_error(".ifdef X\nprimary_hostname = a\n", "2: Unexpected end of configuration file: .endif missing");
    expect_error(".endif\n", "1: .endif without matching .ifdef");
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 11; i++)
        strbuf_adds(&sb, ".ifdef A\n");
    expect_error(sb.buf, "11: .ifdef nested too deeply");
    strbuf_release(&sb);
}
END_TEST

START_TEST(includes)
{
    char *dir = ts_tmpdir("exim-inc");
    char *sub = xasprintf("%s/sub", dir);
    char *cmd = xasprintf("mkdir -p '%s'", sub);
    ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
    char *main_path = xasprintf("%s/configure", dir);
    char *a = xasprintf("%s/a.conf", sub);
    char *b = xasprintf("%s/b.conf", sub);
    ts_write_file(main_path, ".include \"sub/a.conf\"\n.include_if_exists /nonexistent/x.conf\n");
    ts_write_file(a, "NAME = inc.example.com\n.include b.conf\n");
    ts_write_file(b, "primary_hostname = NAME\n");
    struct exim_loaded ld;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(exim_load(main_path, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags), 1);
    ck_assert(!ld.cfg.failed);
    const struct exim_option *o = exim_options_main(&ld.cfg, "primary_hostname");
    ck_assert_str_eq(o->value, "inc.example.com");
    ck_assert_str_eq(o->file, b);
    ck_assert_uint_eq(o->line, 1);
    ck_assert_uint_eq(o->macros.n, 1);
    char *want = xasprintf("NAME (%s:1)", a);
    ck_assert_str_eq(o->macros.items[0], want);
    free(want);
    exim_load_free(&ld);
    diag_list_free(&diags);

    /* an include inside a continued value goes on with the included lines */
    ts_write_file(main_path, "primary_hostname = a\\\n.include sub/b.conf\n  c\n");
    ts_write_file(b, "  b\\\n");
    ck_assert_int_eq(exim_load(main_path, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags), 1);
    ck_assert_str_eq(exim_options_main(&ld.cfg, "primary_hostname")->value, "abc");
    exim_load_free(&ld);
    diag_list_free(&diags);

    /* relative .include_if_exists is refused */
    ts_write_file(main_path, ".include_if_exists sub/a.conf\n");
    ck_assert_int_eq(exim_load(main_path, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags), 1);
    ck_assert(ld.cfg.failed);
    ck_assert_str_eq(diags.items[0].message, ".include specifies a non-absolute path \"sub/a.conf\"");
    exim_load_free(&ld);
    diag_list_free(&diags);

    /* a chain deeper than the limit stops with an error instead of
     * exhausting file descriptors */
    for (int i = 0; i <= EXIM_READER_MAX_DEPTH + 1; i++) {
        char *p = xasprintf("%s/d%d.conf", dir, i);
        char *next = xasprintf(".include d%d.conf\n", i + 1);
        ts_write_file(p, next);
        free(p);
        free(next);
    }
    char *d0 = xasprintf("%s/d0.conf", dir);
    ck_assert_int_eq(exim_load(d0, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags), 1);
    ck_assert(ld.cfg.failed);
    ck_assert_msg(strstr(diags.items[0].message, "includes nested deeper than") != NULL, "%s",
                  diags.items[0].message);
    exim_load_free(&ld);
    diag_list_free(&diags);
    free(d0);

    /* an unreadable top-level file */
    char *missing = xasprintf("%s/none", dir);
    ck_assert_int_eq(exim_load(missing, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags), -1);
    char *msg = xasprintf("cannot open '%s': No such file or directory", missing);
    ck_assert_str_eq(diags.items[0].message, msg);
    ck_assert_int_eq(diags.items[0].level, DIAG_UNREADABLE);
    free(msg);
    exim_load_free(&ld);
    diag_list_free(&diags);
    free(missing);

    ts_rmtree(dir);
    free(a);
    free(b);
    free(main_path);
    free(cmd);
    free(sub);
    free(dir);
}
END_TEST

START_TEST(huge_and_binary_lines)
{
    size_t n = ts_under_valgrind() ? 100000 : 1048576;
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "primary_hostname = ");
    for (size_t i = 0; i < n; i++)
        strbuf_addc(&sb, 'a');
    strbuf_addc(&sb, '\n');
    struct loaded t;
    load_text(&t, sb.buf);
    ck_assert(!t.ld.cfg.failed);
    ck_assert_uint_eq(strlen(main_value(&t, "primary_hostname")), n);
    load_free(&t);
    /* many substitutions on one long line stay linear (Exim 4.96 itself
     * crashes on this one) */
    strbuf_reset(&sb);
    strbuf_adds(&sb, "A = bb\nprimary_hostname = ");
    for (size_t i = 0; i < n / 2; i++)
        strbuf_adds(&sb, "A ");
    strbuf_addc(&sb, '\n');
    load_text(&t, sb.buf);
    ck_assert(!t.ld.cfg.failed);
    ck_assert_uint_eq(strlen(main_value(&t, "primary_hostname")), n / 2 * 3 - 1);
    load_free(&t);
    strbuf_reset(&sb);
    for (size_t i = 0; i < n; i++)
        strbuf_addc(&sb, 'x');
    /* Exim keeps 63 characters of an option name */
    expect_error(sb.buf, "1: main option \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" unknown");
    strbuf_release(&sb);
    /* a NUL byte ends the data of its line, as with fgets() and strlen() */
    char *dir = ts_tmpdir("exim-nul");
    char *path = xasprintf("%s/configure", dir);
    FILE *fp = fopen(path, "wb");
    fwrite("primary_hostname = ab\0cd\n\x01\x02\n", 1, 28, fp);
    fclose(fp);
    struct exim_loaded ld;
    struct diag_list diags = DIAG_LIST_INIT;
    exim_load(path, NULL, &(struct model_host){ .hostname = "h" }, &ld, &diags);
    ck_assert(ld.cfg.failed);
    ck_assert_str_eq(exim_options_main(&ld.cfg, "primary_hostname")->value, "ab");
    ck_assert_str_eq(diags.items[0].message, "option setting expected: \\001\\002");
    ck_assert_uint_eq(diags.items[0].line, 2);
    exim_load_free(&ld);
    diag_list_free(&diags);
    ts_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

/* An unreadable file, read by an unprivileged user (root reads anything):
 * the tool reports it with the file and exits 2. */
START_TEST(unreadable_files)
{
    if (!ts_is_root()) {
        tsupport_skip("unreadable_files", "needs root to switch to nobody");
        return;
    }
    char *dir = ts_tmpdir("exim-perm");
    char *conf = xasprintf("%s/configure", dir);
    char *inc = xasprintf("%s/secret.conf", dir);
    ts_write_file(conf, ".include secret.conf\n");
    ts_write_file(inc, "primary_hostname = x\n");
    char *tool = ts_tool("exim_bp");
    char *cmd = xasprintf("chmod 755 '%s' && chmod 644 '%s' && chmod 000 '%s' && "
                          "setpriv --reuid=nobody --regid=nogroup --clear-groups '%s' -C '%s'",
                          dir, conf, inc, tool, conf);
    char *err = NULL;
    ck_assert_int_eq(ts_run(cmd, NULL, &err), 1);
    char *want = xasprintf("unreadable: %s:1: cannot open '%s': Permission denied", conf, inc);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    free(want);
    free(err);
    free(cmd);
    cmd = xasprintf("chmod 000 '%s' && setpriv --reuid=nobody --regid=nogroup --clear-groups '%s' -C '%s'", conf,
                    tool, conf);
    ck_assert_int_eq(ts_run(cmd, NULL, &err), 2);
    want = xasprintf("unreadable: cannot open '%s': Permission denied", conf);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
    free(want);
    free(err);
    free(cmd);
    free(tool);
    ts_rmtree(dir);
    free(inc);
    free(conf);
    free(dir);
}
END_TEST

START_TEST(random_garbage_never_crashes)
{
    /* whatever the bytes, the reader ends with a result or an error */
    unsigned seed = 12345;
    int rounds = ts_under_valgrind() ? 20 : 300;
    for (int r = 0; r < rounds; r++) {
        struct strbuf sb = STRBUF_INIT;
        size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 400;
        static const char pieces[] = "AB=.ifdef .endif .include begin transports\n\\#:<;\"$ x_y no_ hide ";
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            strbuf_addc(&sb, (seed >> 16) % 3 ? pieces[(seed >> 8) % (sizeof(pieces) - 1)] : (char)(seed >> 20));
        }
        struct loaded t;
        load_text(&t, sb.buf);
        ck_assert(t.rc == 1);
        load_free(&t);
        strbuf_release(&sb);
    }
}
END_TEST

START_TEST(option_syntax)
{
    expect_main("no_disable_ipv6\n", "disable_ipv6", "false");
    expect_main("not_disable_ipv6\n", "disable_ipv6", "false");
    expect_main("disable_ipv6\n", "disable_ipv6", "true");
    expect_main("disable_ipv6 = Yes\n", "disable_ipv6", "true");
    expect_main("hide primary_hostname = x\n", "primary_hostname", "x");
    expect_main("primary_hostname = \"a\\x41\\101\\qb\"\n", "primary_hostname", "aAAqb");
    expect_main("primary_hostname =\n", "primary_hostname", "");
    expect_error("primary_hostname = a\nprimary_hostname = b\n",
                 "2: \"primary_hostname\" option set for the second time");
    expect_error("disable_ipv6\nno_disable_ipv6\n", "2: \"no_disable_ipv6\" option set for the second time");
    expect_error("foo = 1\n", "1: main option \"foo\" unknown");
    expect_error("hide = 1\n", "1: main option \"\" unknown");
    expect_error("primary_hostname\n", "1: unexpected end of line (data missing) after primary_hostname");
    expect_error("primary_hostname x\n", "1: missing \"=\" after primary_hostname");
    expect_error("no_primary_hostname\n", "1: negation prefix applied to a non-boolean option");
    expect_error("disable_ipv6 = maybe\n", "1: \"maybe\" is not a valid value for the \"disable_ipv6\" option");
    expect_error("disable_ipv6 x\n", "1: extra characters follow boolean option disable_ipv6");
    expect_error("primary_hostname = \"abc\n", "1: missing quote at end of string value for primary_hostname");
    expect_error("primary_hostname = \"abc\" # x\n", "1: extra characters follow string value for primary_hostname");
    expect_error("disable_ipv6 # x\n",
                 "1: extra characters follow boolean option disable_ipv6 (# is comment only at line start)");
    expect_error("domainlist a = x\ndomainlist a = y\n", "2: duplicate name \"a\" for a named domain list");
    expect_error("domainlist a  x\n", "1: missing '=' after \"a\"");
    expect_error("domainlistx a = x\n", "1: unrecognized configuration line");
    expect_error("begin bogus\n", "1: \"bogus\" is not a known configuration section name");
    expect_error("begin routers\nbegin routers\n", "2: \"routers\" section is repeated in the configuration file");
    expect_error("begin acl\nfoo\n", "2: missing or malformed ACL name");
}
END_TEST

START_TEST(drivers)
{
    struct loaded t;
    load_text(&t, "begin router\nr:\n  driver = manualroute\n  transport = t\n  route_list = * h\n"
                  "  condition = a\n  condition = b\n"
                  "begin Transport\nX = 1\nt:\n  driver = smtp\n  headers_add = a\n  headers_add = b\n  hosts_override\n"
                  "Y = 2\n");
    char *err = first_error(&t);
    ck_assert_msg(!t.ld.cfg.failed, "%s", err);
    free(err);
    ck_assert_uint_eq(t.ld.cfg.routers.n, 1);
    const struct exim_driver *tr = exim_options_driver(&t.ld.cfg.transports, "t");
    ck_assert_ptr_nonnull(tr);
    ck_assert(exim_options_bool(exim_options_find(&tr->opts, "hosts_override"), false));
    load_free(&t);

    const char *T = "begin transports\n";
    char *c;
#define DRV(body, want)                                                                                              \
    c = xasprintf("%s%s", T, body);                                                                                  \
    expect_error(c, want);                                                                                           \
    free(c)
    DRV("t:\n  driver = smtp\nt:\n  driver = smtp\n", "4: there are two transports called \"t\"");
    DRV("  driver = smtp\n", "2: transport name missing");
    DRV("t:\nu:\n driver = smtp\n", "2: no driver defined for transport \"t\"");
    DRV("t:\n driver = smtp\n helo_data = a\n helo_data = b\n", "5: \"helo_data\" option set for the second time");
    DRV("t:\n driver = smtp\n helo_data\n", "4: unexpected end of line (data missing) after helo_data");
    DRV("t:\n driver = smtp\n no_helo_data\n", "4: negation prefix applied to a non-boolean option");
    DRV("t:\n driver = smtp\n hosts_override = maybe\n",
        "4: \"maybe\" is not a valid value for the \"hosts_override\" option");
    DRV("t:\n driver = smtp\n hosts_override = true x\n",
        "4: extra characters follow \"true\" for boolean option hosts_override");
    DRV("t: x\n driver = smtp\n", "2: extra characters follow driver name t");
    DRV("t:\n driver = bogus\n", "3: transport t: cannot find transport driver \"bogus\"");
    DRV("t:\n bogus = 1\n", "3: option \"bogus\" unknown (\"driver\" must be specified before any private options)");
    DRV("t:\n driver = smtp\n bogus = 1\n", "4: option \"bogus\" unknown");
    /* a macro definition ends the driver */
    DRV("t:\n driver = smtp\nX = 1\n helo_data = a\n", "5: transport name missing");
#undef DRV
    /* the routers' more and unseen accept expansions; other booleans do not */
    load_text(&t, "begin routers\nr:\n driver = accept\n transport = t\n unseen = ${if eq{1}{1}{yes}{no}}\n");
    ck_assert(!t.ld.cfg.failed);
    load_free(&t);
    expect_error("begin routers\nr:\n driver = accept\n check_local_user = ${if eq{1}{1}{yes}{no}}\n",
                 "4: \"\" is not a valid value for the \"check_local_user\" option");
}
END_TEST

static char *list_items(const char *value)
{
    struct exim_list it;
    exim_list_init(&it, value);
    struct strbuf sb = STRBUF_INIT;
    char *item;
    while ((item = exim_list_next(&it)) != NULL) {
        strbuf_addf(&sb, "[%s]", item);
        free(item);
    }
    return strbuf_detach(&sb);
}

START_TEST(lists)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "a : b:c", "[a][b][c]" },
        { "smtp.example.net::587 : backup", "[smtp.example.net:587][backup]" },
        { "<; 2001:db8::1 ; 192.0.2.1", "[2001:db8::1][192.0.2.1]" },
        { " <, a,,b , c", "[a,b][c]" },
        { "", "" },
        { "a::", "[a:]" },
        { "<;", "" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = list_items(cases[i].in);
        ck_assert_msg(strcmp(got, cases[i].out) == 0, "'%s': got %s, want %s", cases[i].in, got, cases[i].out);
        free(got);
    }
    int fam = 0;
    ck_assert(exim_list_is_ip("192.0.2.1", &fam) && fam == 4);
    ck_assert(exim_list_is_ip("2001:db8::1", &fam) && fam == 6);
    ck_assert(!exim_list_is_ip("mail.example.com", &fam));
    ck_assert(!exim_list_is_ip("192.0.2.0/24", &fam));
}
END_TEST

START_TEST(builtin_tables_sorted)
{
    for (size_t i = 1; i < exim_builtin_nmain_options; i++)
        ck_assert_msg(strcmp(exim_builtin_main_options[i - 1].name, exim_builtin_main_options[i].name) < 0,
                      "main options not sorted at %s", exim_builtin_main_options[i].name);
    for (size_t i = 1; i < exim_builtin_ndriver_booleans; i++)
        ck_assert_msg(strcmp(exim_builtin_driver_booleans[i - 1], exim_builtin_driver_booleans[i]) < 0,
                      "driver booleans not sorted at %s", exim_builtin_driver_booleans[i]);
    ck_assert_ptr_nonnull(exim_builtin_main_option("primary_hostname"));
    ck_assert(exim_builtin_main_option("disable_ipv6")->boolean);
    ck_assert_ptr_null(exim_builtin_main_option("no_such_option"));
    ck_assert(exim_builtin_macro_defined("_DRIVER_TRANSPORT_SMTP"));
    ck_assert(exim_builtin_driver_boolean("_OPT_TRANSPORT_SMTP_HOSTS_OVERRIDE"));
    ck_assert(!exim_builtin_driver_boolean("_OPT_TRANSPORT_SMTP_HELO_DATA"));
}
END_TEST

/* The tables are the heavy binary's own output: check them again. */
START_TEST(builtin_tables_match_the_binary)
{
    const char *heavy = "build/oracle/exim-heavy/usr/sbin/exim4";
    if (!ts_is_root()) {
        tsupport_skip("builtin_tables_match_the_binary", "the Exim oracle runs as root");
        return;
    }
    char *dir = ts_tmpdir("exim-tables");
    char *conf = xasprintf("%s/configure", dir);
    ts_write_file(conf, "keep_environment =\n");
    char *cmd = xasprintf("env -i LD_LIBRARY_PATH=build/oracle/exim-heavy/usr/lib/x86_64-linux-gnu:"
                          "build/oracle/exim-heavy/usr/lib %s -C '%s' -bP macros",
                          heavy, conf);
    char *out = NULL;
    ck_assert_int_eq(ts_run(cmd, &out, NULL), 0);
    size_t n = 0;
    for (const char *l = out; *l;) {
        size_t len = strcspn(l, "\n");
        const char *eq = memchr(l, '=', len);
        ck_assert_ptr_nonnull(eq);
        ck_assert_msg(n < exim_builtin_nmacros, "the binary has more macros than the table");
        ck_assert_msg(strncmp(l, exim_builtin_macros[n].name, (size_t)(eq - l)) == 0 &&
                          strlen(exim_builtin_macros[n].name) == (size_t)(eq - l),
                      "macro %zu: %.*s", n, (int)(eq - l), l);
        ck_assert(strlen(exim_builtin_macros[n].value) == len - (size_t)(eq - l) - 1 &&
                  strncmp(eq + 1, exim_builtin_macros[n].value, len - (size_t)(eq - l) - 1) == 0);
        n++;
        l += len + (l[len] ? 1 : 0);
    }
    ck_assert_uint_eq(n, exim_builtin_nmacros);
    free(out);
    free(cmd);
    cmd = xasprintf("env -i LD_LIBRARY_PATH=build/oracle/exim-heavy/usr/lib/x86_64-linux-gnu:"
                    "build/oracle/exim-heavy/usr/lib %s -C '%s' -bP",
                    heavy, conf);
    ck_assert_int_eq(ts_run(cmd, &out, NULL), 0);
    n = 0;
    for (const char *l = out; *l;) {
        size_t len = strcspn(l, "\n");
        char *line = xstrndup(l, len);
        char *sp = strstr(line, " =");
        bool boolean = !sp;
        if (sp)
            *sp = '\0';
        const char *name = boolean && strncmp(line, "no_", 3) == 0 ? line + 3 : line;
        const struct exim_builtin_option *o = exim_builtin_main_option(name);
        ck_assert_msg(o && o->boolean == boolean, "main option %s", name);
        free(line);
        n++;
        l += len + (l[len] ? 1 : 0);
    }
    /* plus the hidden daemon_smtp_port */
    ck_assert_uint_eq(n + 1, exim_builtin_nmain_options);
    free(out);
    free(cmd);
    ts_rmtree(dir);
    free(conf);
    free(dir);
}
END_TEST

Suite *exim_reader_suite(void)
{
    Suite *s = suite_create("exim_reader");
    TCase *tc = tcase_create("lines");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, continuation_joins_and_drops_leading_space);
    tcase_add_test(tc, comment_test_follows_macro_substitution);
    tcase_add_test(tc, macros_in_definition_order);
    tcase_add_test(tc, macro_errors);
    tcase_add_test(tc, self_multiplying_macros);
    tcase_add_test(tc, conditionals);
    tcase_add_test(tc, includes);
    tcase_add_test(tc, huge_and_binary_lines);
    tcase_add_test(tc, unreadable_files);
    tcase_add_test(tc, random_garbage_never_crashes);
    suite_add_tcase(s, tc);
    tc = tcase_create("options");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, option_syntax);
    tcase_add_test(tc, drivers);
    tcase_add_test(tc, lists);
    tcase_add_test(tc, builtin_tables_sorted);
    tcase_add_test(tc, builtin_tables_match_the_binary);
    suite_add_tcase(s, tc);
    return s;
}
