/* test_pf_unreadable - a Postfix configuration that cannot be read: a given
 * directory that does not exist or is a file, one without main.cf, a main.cf
 * that is a directory, files and instance directories an unprivileged user
 * may not read. Each is DIAG_UNREADABLE naming the path and the OS error;
 * a master.cf that does not exist stays an error Postfix itself stops on.
 * The identities and audit commands report the same problems. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/xalloc.h"
#include "parsers/pf_identity.h"
#include "tests/support/as_nobody.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define PF_UR_MASTER "smtp unix - - n - - smtp\n"

struct pf_ur {
    int rc;
    struct model_set set;
    struct diag_list diags;
};

static void pf_ur_load(struct pf_ur *r, const char *dir)
{
    struct model_host host = { .hostname = "host.example.net" };
    memset(r, 0, sizeof(*r));
    r->rc = pf_identity_load(dir, &host, &r->set, &r->diags);
}

static void pf_ur_free(struct pf_ur *r)
{
    model_set_free(&r->set);
    diag_list_free(&r->diags);
}

/* Exactly one problem, of this level and message, without file or line. */
static void pf_ur_expect_one(const struct pf_ur *r, enum diag_level level, const char *message)
{
    ck_assert_msg(r->diags.n == 1, "%zu problems, first '%s'", r->diags.n,
                  r->diags.n ? r->diags.items[0].message : "");
    ck_assert_int_eq(r->diags.items[0].level, level);
    ck_assert_str_eq(r->diags.items[0].message, message);
    ck_assert_ptr_null(r->diags.items[0].file);
}

/* A temporary tree nobody may enter. */
static char *pf_ur_tmpdir(void)
{
    char *dir = ts_tmpdir("pf-unreadable");
    ck_assert_int_eq(chmod(dir, 0755), 0);
    return dir;
}

static char *pf_ur_instance(const char *top, const char *name, const char *main_cf, const char *master_cf)
{
    char *dir = xasprintf("%s/%s", top, name);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    if (main_cf) {
        char *p = xasprintf("%s/main.cf", dir);
        ts_write_file(p, main_cf);
        free(p);
    }
    if (master_cf) {
        char *p = xasprintf("%s/master.cf", dir);
        ts_write_file(p, master_cf);
        free(p);
    }
    return dir;
}

START_TEST(given_paths_that_are_not_a_configuration)
{
    char *top = pf_ur_tmpdir();
    struct pf_ur r;

    char *missing = xasprintf("%s/nonexistent", top);
    pf_ur_load(&r, missing);
    ck_assert_int_eq(r.rc, -1);
    char *want = xasprintf("cannot read '%s': No such file or directory", missing);
    pf_ur_expect_one(&r, DIAG_UNREADABLE, want);
    ck_assert_uint_eq(r.set.nconfigs, 0);
    free(want);
    pf_ur_free(&r);

    /* $MAIL_CONFIG is as explicit as --postfix-dir */
    setenv("MAIL_CONFIG", missing, 1);
    pf_ur_load(&r, NULL);
    unsetenv("MAIL_CONFIG");
    ck_assert_int_eq(r.rc, -1);
    ck_assert_int_eq(r.diags.items[0].level, DIAG_UNREADABLE);
    pf_ur_free(&r);

    char *file = xasprintf("%s/afile", top);
    ts_write_file(file, "myhostname = a.example\n");
    pf_ur_load(&r, file);
    ck_assert_int_eq(r.rc, -1);
    want = xasprintf("'%s' is not a directory", file);
    pf_ur_expect_one(&r, DIAG_UNREADABLE, want);
    free(want);
    pf_ur_free(&r);

    char *nomain = pf_ur_instance(top, "nomain", NULL, PF_UR_MASTER);
    pf_ur_load(&r, nomain);
    ck_assert_int_eq(r.rc, -1);
    want = xasprintf("cannot open '%s/main.cf': No such file or directory", nomain);
    pf_ur_expect_one(&r, DIAG_UNREADABLE, want);
    free(want);
    pf_ur_free(&r);

    char *isdir = pf_ur_instance(top, "isdir", NULL, PF_UR_MASTER);
    char *sub = xasprintf("%s/main.cf", isdir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    pf_ur_load(&r, isdir);
    ck_assert_int_eq(r.rc, -1);
    want = xasprintf("'%s/main.cf' is a directory", isdir);
    pf_ur_expect_one(&r, DIAG_UNREADABLE, want);
    free(want);
    pf_ur_free(&r);

    /* A missing master.cf is Postfix's own failure: an error, as before. */
    char *nomaster = pf_ur_instance(top, "nomaster", "myhostname = a.example\n", NULL);
    pf_ur_load(&r, nomaster);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_uint_eq(r.set.nconfigs, 1);
    ck_assert_uint_eq(diag_count(&r.diags, DIAG_UNREADABLE), 0);
    ck_assert_uint_eq(diag_count(&r.diags, DIAG_ERROR), 2);
    ck_assert_str_eq(r.diags.items[1].message,
                     "master.cf is missing: Postfix cannot start, no outbound transports known");
    pf_ur_free(&r);

    free(sub);
    free(isdir);
    free(nomain);
    free(nomaster);
    free(file);
    free(missing);
    ts_rmtree(top);
    free(top);
}
END_TEST

static void pf_ur_load_fn(void *arg, struct diag_list *diags)
{
    struct model_host host = { .hostname = "host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    pf_identity_load(arg, &host, &set, diags);
    model_set_free(&set);
}

/* What an unprivileged user cannot read: main.cf, master.cf, an instance
 * of multi_instance_directories. Root reads all of them. */
START_TEST(permission_denied_as_nobody)
{
    if (!ts_is_root()) {
        printf("skipped permission_denied_as_nobody: needs root to switch to nobody\n");
        return;
    }
    char *top = pf_ur_tmpdir();
    char *main_ro = pf_ur_instance(top, "main-ro", "myhostname = a.example\n", PF_UR_MASTER);
    char *master_ro = pf_ur_instance(top, "master-ro", "myhostname = a.example\n", PF_UR_MASTER);
    char *sub_ro = pf_ur_instance(top, "sub-ro", "myhostname = b.example\n", PF_UR_MASTER);
    char *text = xasprintf("myhostname = a.example\nmulti_instance_directories = %s\n", sub_ro);
    char *multi = pf_ur_instance(top, "multi", text, PF_UR_MASTER);
    free(text);
    char *p = xasprintf("%s/main.cf", main_ro);
    ck_assert_int_eq(chmod(p, 0600), 0);
    free(p);
    p = xasprintf("%s/master.cf", master_ro);
    ck_assert_int_eq(chmod(p, 0600), 0);
    free(p);
    ck_assert_int_eq(chmod(sub_ro, 0700), 0);

    char *got = as_nobody_diags(pf_ur_load_fn, main_ro);
    ck_assert_ptr_nonnull(got);
    char *want = xasprintf("unreadable: cannot open '%s/main.cf': Permission denied\n", main_ro);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);

    /* No "Postfix cannot start" error: Postfix, as root, reads master.cf. */
    got = as_nobody_diags(pf_ur_load_fn, master_ro);
    ck_assert_ptr_nonnull(got);
    want = xasprintf("unreadable: cannot open '%s/master.cf': Permission denied\n", master_ro);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);

    got = as_nobody_diags(pf_ur_load_fn, multi);
    ck_assert_ptr_nonnull(got);
    want = xasprintf("unreadable: cannot open '%s/main.cf': Permission denied\n", sub_ro);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);

    /* as root every one of them reads */
    struct pf_ur r;
    pf_ur_load(&r, multi);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_uint_eq(r.set.nconfigs, 2);
    ck_assert_uint_eq(r.diags.n, 0);
    pf_ur_free(&r);

    free(multi);
    free(sub_ro);
    free(master_ro);
    free(main_ro);
    ts_rmtree(top);
    free(top);
}
END_TEST

/* The "problems" of a command's JSON output, as text; the exit status in *rc. */
static char *pf_ur_problems(const char *runas, const char *command, const char *dir, int *rc)
{
    char *cmd = xasprintf("%s'%s' %s --format json --no-exim --postfix-dir '%s'%s", runas, ts_bin(), command, dir,
                          strcmp(command, "audit") == 0 ? " --dns-server 127.0.0.1:9 --timeout 1" : "");
    char *out = NULL;
    *rc = ts_run(cmd, &out, NULL);
    struct json_object *root = json_tokener_parse(out ? out : "");
    ck_assert_msg(root != NULL, "%s: no JSON: %s", cmd, out ? out : "");
    struct json_object *problems = NULL;
    ck_assert(json_object_object_get_ex(root, "problems", &problems));
    char *text = xstrdup(json_object_to_json_string_ext(problems, JSON_C_TO_STRING_PLAIN));
    json_object_put(root);
    free(out);
    free(cmd);
    return text;
}

/* Both commands read the configuration through the same parsers: the same
 * problems, each an "unreadable" one; identities exits 3 (nothing found). */
START_TEST(identities_and_audit_agree)
{
    char *top = pf_ur_tmpdir();
    char *missing = xasprintf("%s/nonexistent", top);
    char *main_ro = pf_ur_instance(top, "main-ro", "myhostname = a.example\n", PF_UR_MASTER);
    char *p = xasprintf("%s/main.cf", main_ro);
    ck_assert_int_eq(chmod(p, 0600), 0);
    free(p);
    struct {
        const char *dir, *runas;
    } cases[] = { { missing, "" }, { main_ro, "runuser -u nobody -- " } };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (*cases[i].runas && !ts_is_root()) {
            printf("skipped identities_and_audit_agree as nobody: needs root\n");
            continue;
        }
        int irc, arc;
        char *ip = pf_ur_problems(cases[i].runas, "identities", cases[i].dir, &irc);
        char *ap = pf_ur_problems(cases[i].runas, "audit", cases[i].dir, &arc);
        ck_assert_str_eq(ip, ap);
        ck_assert_msg(strstr(ip, "\"level\":\"unreadable\"") != NULL, "%s", ip);
        ck_assert_int_eq(irc, 3);
        free(ip);
        free(ap);
    }
    free(main_ro);
    free(missing);
    ts_rmtree(top);
    free(top);
}
END_TEST

Suite *pf_unreadable_suite(void)
{
    Suite *s = suite_create("pf_unreadable");
    TCase *tc = tcase_create("pf_unreadable");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, given_paths_that_are_not_a_configuration);
    tcase_add_test(tc, permission_denied_as_nobody);
    tcase_add_test(tc, identities_and_audit_agree);
    suite_add_tcase(s, tc);
    return s;
}
