/* test_pf_mailname - Debian's "myorigin = /etc/mailname": the name Postfix
 * reads from the file becomes every identity's mailname when it is fully
 * qualified; a missing or empty file is the error every Postfix program
 * stops on (compared with the real postqueue), one that cannot be read
 * here is unreadable. /etc/mailname itself is never read: the tests say
 * where "this host's" file is (model_host.mailname_path). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_identity.h"
#include "tests/support/as_nobody.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

struct pm {
    char *dir;      /* the configuration directory */
    char *mailname; /* where "this host's" /etc/mailname is */
    int rc;
    struct model_set set;
    struct diag_list diags;
};

/* text with every "@DIR@" replaced by dir; newly allocated. */
static char *pm_subst(const char *text, const char *dir)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *at; (at = strstr(text, "@DIR@")); text = at + 5) {
        strbuf_add(&sb, text, (size_t)(at - text));
        strbuf_adds(&sb, dir);
    }
    strbuf_adds(&sb, text);
    return strbuf_detach(&sb);
}

/* A configuration whose main.cf is main_text (@DIR@ stands for its
 * directory) and a mailname file with mailname_text (NULL: none). */
static void pm_setup(struct pm *t, const char *main_text, const char *mailname_text)
{
    memset(t, 0, sizeof(*t));
    t->dir = ts_tmpdir("pf-mailname");
    ck_assert_int_eq(chmod(t->dir, 0755), 0);
    t->mailname = xasprintf("%s/mailname", t->dir);
    char *path = xasprintf("%s/main.cf", t->dir);
    char *text = pm_subst(main_text, t->dir);
    ts_write_file(path, text);
    /* Postfix rereads a main.cf changed within the last second until it is older */
    struct timespec old[2] = { { time(NULL) - 60, 0 }, { time(NULL) - 60, 0 } };
    ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
    free(text);
    free(path);
    path = xasprintf("%s/master.cf", t->dir);
    ts_write_file(path, "smtp unix - - n - - smtp\nrelay unix - - n - - smtp\n");
    free(path);
    if (mailname_text)
        ts_write_file(t->mailname, mailname_text);
}

static void pm_load(struct pm *t)
{
    struct model_host host = { .hostname = "host.example.net", .mailname_path = t->mailname };
    t->rc = pf_identity_load(t->dir, &host, &t->set, &t->diags);
}

static void pm_free(struct pm *t)
{
    model_set_free(&t->set);
    diag_list_free(&t->diags);
    ts_rmtree(t->dir);
    free(t->dir);
    free(t->mailname);
}

/* Every identity has this mailname (NULL: none) read from file line 1. */
static void pm_expect_mailname(const struct pm *t, const char *name, const char *file)
{
    ck_assert_uint_eq(t->set.n, 2);
    for (size_t i = 0; i < t->set.n; i++) {
        const struct model_identity *id = &t->set.items[i];
        if (!name) {
            ck_assert_ptr_null(id->mailname);
            ck_assert_int_eq(id->mailname_origin.kind, MODEL_ORIGIN_NONE);
            continue;
        }
        ck_assert_pstr_eq(id->mailname, name);
        ck_assert_int_eq(id->mailname_origin.kind, MODEL_ORIGIN_FILE);
        ck_assert_str_eq(id->mailname_origin.file, file);
        ck_assert_uint_eq(id->mailname_origin.line, 1);
    }
}

START_TEST(mailname_names_the_host)
{
    struct pm t;
    pm_setup(&t, "myhostname = mx.example.org\nmyorigin = /etc/mailname\n", " \tMail.Example.org \r\nsecond.example\n");
    pm_load(&t);
    ck_assert_int_eq(t.rc, 1);
    ck_assert_uint_eq(t.diags.n, 0);
    pm_expect_mailname(&t, "Mail.Example.org", t.mailname);
    pm_free(&t);

    /* a file named by another path is read as it is named */
    pm_setup(&t, "myhostname = mx.example.org\nconf = @DIR@\nmyorigin = $conf/mailname\n", "other.example.net\n");
    pm_load(&t);
    ck_assert_uint_eq(t.diags.n, 0);
    pm_expect_mailname(&t, "other.example.net", t.mailname);
    pm_free(&t);
}
END_TEST

START_TEST(mailname_not_read_or_not_a_name)
{
    static const char *const not_names[] = { "localhost\n", "two words.example\n", "192.0.2.1\n", "a..b\n",
                                              "user@mail.example.org\n" };
    struct pm t;
    for (size_t i = 0; i < sizeof(not_names) / sizeof(not_names[0]); i++) {
        pm_setup(&t, "myhostname = mx.example.org\nmyorigin = /etc/mailname\n", not_names[i]);
        pm_load(&t);
        ck_assert_msg(t.diags.n == 0, "'%s': %s", not_names[i], t.diags.n ? t.diags.items[0].message : "");
        pm_expect_mailname(&t, NULL, NULL);
        pm_free(&t);
    }
    /* myorigin that names no file: the file is not read */
    pm_setup(&t, "myhostname = mx.example.org\nmyorigin = $mydomain\n", "mail.example.org\n");
    pm_load(&t);
    ck_assert_uint_eq(t.diags.n, 0);
    pm_expect_mailname(&t, NULL, NULL);
    pm_free(&t);
}
END_TEST

/* The errors, with Postfix's own words. */
START_TEST(mailname_missing_or_empty)
{
    struct pm t;
    pm_setup(&t, "myhostname = mx.example.org\nmyorigin = /etc/mailname\n", NULL);
    pm_load(&t);
    ck_assert_int_eq(t.rc, 1);
    ck_assert_uint_eq(t.diags.n, 1);
    ck_assert_int_eq(t.diags.items[0].level, DIAG_ERROR);
    ck_assert_uint_eq(t.diags.items[0].line, 2);
    char *want = xasprintf("%s: cannot open file: No such file or directory", t.mailname);
    ck_assert_str_eq(t.diags.items[0].message, want);
    free(want);
    pm_expect_mailname(&t, NULL, NULL);
    pm_free(&t);

    pm_setup(&t, "myhostname = mx.example.org\nmyorigin = /etc/mailname\n", "  \t\nmail.example.org\n");
    pm_load(&t);
    ck_assert_uint_eq(t.diags.n, 1);
    ck_assert_int_eq(t.diags.items[0].level, DIAG_ERROR);
    want = xasprintf("myorigin file %s is empty", t.mailname);
    ck_assert_str_eq(t.diags.items[0].message, want);
    free(want);
    pm_free(&t);
}
END_TEST

/* postqueue, like every Postfix program, reads myorigin's file in
 * mail_params_init() and stops with the same words. */
START_TEST(mailname_errors_match_postfix)
{
    if (ts_run("command -v postqueue", NULL, NULL) != 0) {
        printf("skipped mailname_errors_match_postfix: postqueue is not installed\n");
        return;
    }
    static const char *const texts[] = { NULL, "\n\nmail.example.org\n" };
    for (size_t i = 0; i < 2; i++) {
        struct pm t;
        /* the file as Postfix names it (not /etc/mailname), so both read the same */
        pm_setup(&t, "myhostname = mx.example.org\nmyorigin = @DIR@/mailname\nqueue_directory = @DIR@/queue\n",
                 texts[i]);
        pm_load(&t);
        ck_assert_uint_eq(t.diags.n, 1);
        char *cmd = xasprintf("postqueue -c '%s' -p", t.dir);
        char *err = NULL;
        ck_assert_int_ne(ts_run(cmd, NULL, &err), 0);
        char *want = xasprintf("postqueue: fatal: %s\n", t.diags.items[0].message);
        ck_assert_msg(err && strcmp(err, want) == 0, "postqueue said '%s', the parser '%s'", err ? err : "", want);
        free(want);
        free(err);
        free(cmd);
        pm_free(&t);
    }
}
END_TEST

static void pm_load_fn(void *arg, struct diag_list *diags)
{
    struct pm *t = arg;
    struct model_host host = { .hostname = "host.example.net", .mailname_path = t->mailname };
    struct model_set set = MODEL_SET_INIT;
    pf_identity_load(t->dir, &host, &set, diags);
    model_set_free(&set);
}

START_TEST(mailname_unreadable_as_nobody)
{
    if (!ts_is_root()) {
        printf("skipped mailname_unreadable_as_nobody: needs root to switch to nobody\n");
        return;
    }
    struct pm t;
    pm_setup(&t, "myhostname = mx.example.org\nmyorigin = /etc/mailname\n", "mail.example.org\n");
    ck_assert_int_eq(chmod(t.mailname, 0600), 0);
    char *got = as_nobody_diags(pm_load_fn, &t);
    ck_assert_ptr_nonnull(got);
    char *want = xasprintf("unreadable: %s/main.cf:2: cannot open '%s': Permission denied\n", t.dir, t.mailname);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);
    pm_free(&t);
}
END_TEST

Suite *pf_mailname_suite(void)
{
    Suite *s = suite_create("pf_mailname");
    TCase *tc = tcase_create("pf_mailname");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, mailname_names_the_host);
    tcase_add_test(tc, mailname_not_read_or_not_a_name);
    tcase_add_test(tc, mailname_missing_or_empty);
    tcase_add_test(tc, mailname_errors_match_postfix);
    tcase_add_test(tc, mailname_unreadable_as_nobody);
    suite_add_tcase(s, tc);
    return s;
}
