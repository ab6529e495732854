/* test_exim_unreadable - an Exim configuration that cannot be read: a given
 * file or Debian directory that does not exist or has the wrong type, and
 * files an unprivileged user may not read (the configuration, an .include,
 * a directory that hides an .include_if_exists, Debian's
 * update-exim4.conf.conf, template and conf.d). Each is DIAG_UNREADABLE
 * naming the path and the OS error; an include that does not exist stays
 * the error Exim itself stops on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/xalloc.h"
#include "parsers/exim_identity.h"
#include "parsers/exim_load.h"
#include "tests/support/as_nobody.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

/* A temporary tree nobody may enter. */
static char *eu_tmpdir(void)
{
    char *dir = ts_tmpdir("exim-unreadable");
    ck_assert_int_eq(chmod(dir, 0755), 0);
    return dir;
}

/* Write top/rel (creating its directories, 0755) and return its path. */
static char *eu_file(const char *top, const char *rel, const char *text)
{
    char *path = xasprintf("%s/%s", top, rel);
    for (char *s = strchr(path + strlen(top) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    ts_write_file(path, text);
    return path;
}

struct eu_args {
    const char *file, *debian_dir;
};

static void eu_load_fn(void *arg, struct diag_list *diags)
{
    const struct eu_args *a = arg;
    struct model_host host = { .hostname = "host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    exim_identity_load(a->file, a->debian_dir, &host, &set, diags);
    model_set_free(&set);
}

/* Load as root; exactly one problem of this level and message. */
static void eu_expect_root(const char *file, const char *debian_dir, int rc, enum diag_level level,
                           const char *message)
{
    struct model_host host = { .hostname = "host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(exim_identity_load(file, debian_dir, &host, &set, &diags), rc);
    ck_assert_msg(diags.n == 1, "%zu problems, first '%s'", diags.n, diags.n ? diags.items[0].message : "");
    ck_assert_int_eq(diags.items[0].level, level);
    ck_assert_str_eq(diags.items[0].message, message);
    ck_assert_uint_eq(set.nconfigs, 1); /* the report still names what was tried */
    ck_assert_uint_eq(set.n, 0);
    model_set_free(&set);
    diag_list_free(&diags);
}

static void eu_expect_nobody(const char *file, const char *debian_dir, const char *want)
{
    struct eu_args a = { file, debian_dir };
    char *got = as_nobody_diags(eu_load_fn, &a);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(given_paths_that_are_not_a_configuration)
{
    char *top = eu_tmpdir();
    char *missing = xasprintf("%s/none", top);
    char *want = xasprintf("cannot open '%s': No such file or directory", missing);
    eu_expect_root(missing, NULL, -1, DIAG_UNREADABLE, want);
    free(want);
    want = xasprintf("'%s' is a directory", top);
    eu_expect_root(top, NULL, -1, DIAG_UNREADABLE, want);
    free(want);

    want = xasprintf("cannot read '%s': No such file or directory", missing);
    eu_expect_root(NULL, missing, -1, DIAG_UNREADABLE, want);
    free(want);
    char *file = eu_file(top, "afile", "primary_hostname = a.example\n");
    want = xasprintf("'%s' is not a directory", file);
    eu_expect_root(NULL, file, -1, DIAG_UNREADABLE, want);
    free(want);
    char *empty = xasprintf("%s/empty", top);
    ck_assert_int_eq(mkdir(empty, 0755), 0);
    want = xasprintf("no Exim configuration in '%s': neither exim4.conf nor update-exim4.conf.conf exists", empty);
    eu_expect_root(NULL, empty, -1, DIAG_UNREADABLE, want);
    free(want);

    /* an include that does not exist: Exim's own error, as before */
    char *conf = eu_file(top, "inc/configure", ".include gone.conf\n");
    struct model_host host = { .hostname = "host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    exim_identity_load(conf, NULL, &host, &set, &diags);
    ck_assert_uint_eq(diags.n, 1);
    ck_assert_int_eq(diags.items[0].level, DIAG_ERROR);
    want = xasprintf("failed to open included configuration file %s/inc/gone.conf: No such file or directory", top);
    ck_assert_str_eq(diags.items[0].message, want);
    free(want);
    model_set_free(&set);
    diag_list_free(&diags);

    free(conf);
    free(empty);
    free(file);
    free(missing);
    ts_rmtree(top);
    free(top);
}
END_TEST

START_TEST(permission_denied_as_nobody)
{
    if (!ts_is_root()) {
        printf("skipped exim permission_denied_as_nobody: needs root to switch to nobody\n");
        return;
    }
    char *top = eu_tmpdir();

    char *conf = eu_file(top, "plain/configure", "primary_hostname = a.example\n");
    ck_assert_int_eq(chmod(conf, 0600), 0);
    char *want = xasprintf("unreadable: cannot open '%s': Permission denied\n", conf);
    eu_expect_nobody(conf, NULL, want);
    free(want);
    free(conf);

    conf = eu_file(top, "inc/configure", ".include secret.conf\n");
    char *inc = eu_file(top, "inc/secret.conf", "primary_hostname = a.example\n");
    ck_assert_int_eq(chmod(inc, 0600), 0);
    want = xasprintf("unreadable: %s:1: cannot open '%s': Permission denied\n", conf, inc);
    eu_expect_nobody(conf, NULL, want);
    free(want);
    free(inc);
    free(conf);

    /* Exim, as root, sees the file behind the closed directory */
    inc = eu_file(top, "hidden/closed/extra.conf", "primary_hostname = a.example\n");
    char *text = xasprintf(".include_if_exists %s\n", inc);
    conf = eu_file(top, "hidden/configure", text);
    free(text);
    char *closed = xasprintf("%s/hidden/closed", top);
    ck_assert_int_eq(chmod(closed, 0700), 0);
    want = xasprintf("unreadable: %s:1: cannot read '%s': Permission denied\n", conf, inc);
    eu_expect_nobody(conf, NULL, want);
    free(want);
    free(closed);
    free(inc);
    free(conf);

    /* root reads each of them */
    struct model_host host = { .hostname = "host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    char *paths[] = { xasprintf("%s/plain/configure", top), xasprintf("%s/inc/configure", top),
                      xasprintf("%s/hidden/configure", top) };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(exim_identity_load(paths[i], NULL, &host, &set, &diags), 1);
        free(paths[i]);
    }
    ck_assert_uint_eq(diags.n, 0);
    model_set_free(&set);
    diag_list_free(&diags);
    ts_rmtree(top);
    free(top);
}
END_TEST

/* Debian's sources of update-exim4.conf, read as nobody: each one that
 * cannot be read is named; as root the same trees assemble. */
START_TEST(debian_sources_as_nobody)
{
    if (!ts_is_root()) {
        printf("skipped debian_sources_as_nobody: needs root to switch to nobody\n");
        return;
    }
    static const char *const ue4cc_split = "dc_eximconfig_configtype='internet'\ndc_use_split_config='true'\n";
    static const char *const ue4cc_plain = "dc_eximconfig_configtype='internet'\ndc_use_split_config='false'\n";
    static const char *const body = "primary_hostname = a.example\n";
    struct {
        const char *name, *ue4cc, *closed; /* closed: the path made 0700 (directory) or 0600 (file) */
        bool dir;
    } cases[] = {
        { "section", ue4cc_split, "etc/exim4/conf.d/transport", true },
        { "part", ue4cc_split, "etc/exim4/conf.d/main/01_main", false },
        { "ue4cc", ue4cc_split, "etc/exim4/update-exim4.conf.conf", false },
        { "template", ue4cc_plain, "etc/exim4/exim4.conf.template", false },
        { "localmacros", ue4cc_plain, "etc/exim4/exim4.conf.localmacros", false },
        { "confdir", ue4cc_plain, "etc/exim4", true },
    };
    char *top = eu_tmpdir();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *root = xasprintf("%s/%s", top, cases[i].name);
        ck_assert_int_eq(mkdir(root, 0755), 0);
        free(eu_file(root, "etc/exim4/update-exim4.conf.conf", cases[i].ue4cc));
        free(eu_file(root, "etc/exim4/conf.d/main/01_main", body));
        free(eu_file(root, "etc/exim4/conf.d/transport/30_remote",
                     "begin transports\nremote_smtp:\n  driver = smtp\n"));
        free(eu_file(root, "etc/exim4/exim4.conf.template", body));
        free(eu_file(root, "etc/exim4/exim4.conf.localmacros", "# nothing\n"));
        free(eu_file(root, "etc/mailname", "mail.example.org\n"));
        char *dir = xasprintf("%s/etc/exim4", root);
        char *closed = xasprintf("%s/%s", root, cases[i].closed);

        struct model_host host = { .hostname = "host.example.net" };
        struct model_set set = MODEL_SET_INIT;
        struct diag_list diags = DIAG_LIST_INIT;
        exim_identity_load(NULL, dir, &host, &set, &diags);
        ck_assert_msg(diag_count(&diags, DIAG_UNREADABLE) == 0, "%s as root: %s", cases[i].name,
                      diags.n ? diags.items[0].message : "");
        model_set_free(&set);
        diag_list_free(&diags);

        ck_assert_int_eq(chmod(closed, cases[i].dir ? 0700 : 0600), 0);
        /* a closed configuration directory hides the files in it */
        char *want = strcmp(cases[i].name, "confdir") == 0
                         ? xasprintf("unreadable: cannot read '%s/exim4.conf': Permission denied\n", closed)
                         : xasprintf("unreadable: cannot open '%s': Permission denied\n", closed);
        eu_expect_nobody(NULL, dir, want);
        free(want);
        free(closed);
        free(dir);
        free(root);
    }
    ts_rmtree(top);
    free(top);
}
END_TEST

Suite *exim_unreadable_suite(void)
{
    Suite *s = suite_create("exim_unreadable");
    TCase *tc = tcase_create("exim_unreadable");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, given_paths_that_are_not_a_configuration);
    tcase_add_test(tc, permission_denied_as_nobody);
    tcase_add_test(tc, debian_sources_as_nobody);
    suite_add_tcase(s, tc);
    return s;
}
