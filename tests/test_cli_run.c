/* test_cli_run - the built program as users run it: commands, exit statuses
 * of interface.md, JSON that parses, usage errors, and hostile input that must
 * end in a message and a documented status, never a crash. */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

/* Run the program with arguments (a shell fragment); stdout/stderr captured. */
static int run(char **out, char **err, const char *args)
{
    char *cmd = xasprintf("'%s' %s", ts_bin(), args);
    int rc = ts_run(cmd, out, err);
    free(cmd);
    return rc;
}

START_TEST(version_and_help)
{
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "--version"), 0);
    ck_assert_str_eq(out, "mta-preflight " MP_VERSION "\n");
    free(out);
    free(err);
    ck_assert_int_eq(run(&out, &err, "--help"), 0);
    ck_assert_ptr_nonnull(strstr(out, "--postfix-dir"));
    ck_assert_ptr_nonnull(strstr(out, "--route-target"));
    free(out);
    free(err);
}
END_TEST

START_TEST(usage_errors_exit_64_with_one_line)
{
    static const char *const bad[] = {"--frobnicate", "identities --timeout 3", "--timeout abc", "nonsense",
                                      "--format yaml", "explain", "explain no-such-finding"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *out, *err;
        ck_assert_msg(run(&out, &err, bad[i]) == 64, "'%s' did not exit 64", bad[i]);
        ck_assert_msg(strncmp(err, "mta-preflight: ", 15) == 0, "'%s': stderr '%s'", bad[i], err);
        if (i + 1 < sizeof(bad) / sizeof(bad[0]))
            ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "'%s': more than one line", bad[i]);
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(identities_text_and_json)
{
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "identities --postfix-dir samples/demo/postfix --no-exim "
                                     "--system-hostname mail"),
                     0);
    ck_assert_ptr_nonnull(strstr(out, "smtp/unix"));
    ck_assert_ptr_nonnull(strstr(out, "mail.example.com"));
    ck_assert_ptr_nonnull(strstr(out, "samples/demo/postfix/main.cf:3"));
    free(out);
    free(err);

    ck_assert_int_eq(run(&out, &err, "identities --format json --postfix-dir samples/demo/postfix --no-exim "
                                     "--system-hostname mail"),
                     0);
    struct json_object *root = json_tokener_parse(out);
    ck_assert_ptr_nonnull(root);
    struct json_object *v, *ids, *helo, *bind;
    ck_assert(json_object_object_get_ex(root, "schema", &v) && json_object_get_int(v) == 1);
    ck_assert(json_object_object_get_ex(root, "tool", &v));
    ck_assert_str_eq(json_object_get_string(v), "mta-preflight");
    ck_assert(json_object_object_get_ex(root, "identities", &ids));
    ck_assert_int_eq((int)json_object_array_length(ids), 2);
    struct json_object *first = json_object_array_get_idx(ids, 0);
    ck_assert(json_object_object_get_ex(first, "id", &v));
    ck_assert_str_eq(json_object_get_string(v), "postfix:samples/demo/postfix:smtp/unix");
    ck_assert(json_object_object_get_ex(first, "helo", &helo));
    ck_assert(json_object_object_get_ex(helo, "name", &v));
    ck_assert_str_eq(json_object_get_string(v), "mail.example.com");
    ck_assert(json_object_object_get_ex(helo, "dynamic", &v) && !json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(first, "bind", &bind));
    ck_assert(json_object_object_get_ex(bind, "ipv4", &v) && v == NULL);
    ck_assert(json_object_object_get_ex(first, "families", &v));
    ck_assert_int_eq((int)json_object_array_length(v), 2);
    ck_assert(json_object_object_get_ex(first, "preference", &v));
    ck_assert_str_eq(json_object_get_string(v), "any");
    ck_assert(json_object_object_get_ex(first, "relay", &v) && v == NULL);
    json_object_put(root);
    free(out);
    free(err);
}
END_TEST

START_TEST(identities_without_config_exits_3)
{
    char *dir = ts_tmpdir("noconf");
    char *args = xasprintf("identities --postfix-dir '%s' --no-exim", dir);
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, args), 3);
    ck_assert_ptr_nonnull(strstr(out, "cannot open"));
    ck_assert_ptr_nonnull(strstr(out, "main.cf"));
    free(out);
    free(err);
    free(args);
    args = xasprintf("identities --no-postfix --exim-config '%s/missing.conf'", dir);
    ck_assert_int_eq(run(&out, &err, args), 3);
    free(out);
    free(err);
    free(args);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* Hostile files: every run ends with a status of interface.md, no signal,
 * and the input files are left exactly as they were. */
START_TEST(hostile_input_never_crashes)
{
    char *dir = ts_tmpdir("hostile");
    char *path = xasprintf("%s/main.cf", dir);
    char *cmd = xasprintf("head -c 200000 /dev/urandom > '%s' && printf 'smtp unix - - n - - smtp\\n' > '%s/master.cf'",
                          path, dir);
    ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
    free(cmd);
    struct stat before, after;
    ck_assert_int_eq(stat(path, &before), 0);
    char *args = xasprintf("identities --postfix-dir '%s' --no-exim --system-hostname mx.example.com", dir);
    char *out, *err;
    int rc = run(&out, &err, args);
    ck_assert_msg(rc == 0 || rc == 3, "status %d", rc);
    free(out);
    free(err);
    free(args);
    args = xasprintf("identities --no-postfix --exim-config '%s' --system-hostname mx.example.com", path);
    rc = run(&out, &err, args);
    ck_assert_msg(rc == 0 || rc == 3, "status %d", rc);
    free(out);
    free(err);
    free(args);
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert(before.st_mtim.tv_sec == after.st_mtim.tv_sec && before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    ck_assert(before.st_size == after.st_size);
    free(path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(explain_every_finding)
{
    static const char *const ids[] = {
        "ptr-missing",      "ptr-unconfirmed", "ipv6-without-ptr", "ptr-generic",        "ptr-multiple",
        "helo-invalid",     "helo-unresolvable", "helo-address-mismatch", "helo-ptr-mismatch", "helo-dynamic",
        "bind-not-local",   "source-temporary", "source-not-public", "relay-host",       "dns-failure",
        "config-error",     "no-mta-config"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char *args = xasprintf("explain %s --color never", ids[i]);
        char *out, *err;
        ck_assert_msg(run(&out, &err, args) == 0, "explain %s failed: %s", ids[i], err);
        ck_assert_msg(strncmp(out, ids[i], strlen(ids[i])) == 0, "explain %s starts with '%.40s'", ids[i], out);
        ck_assert_msg(strlen(out) > 200, "explain %s is too short", ids[i]);
        free(out);
        free(err);
        free(args);
    }
}
END_TEST

Suite *cli_run_suite(void)
{
    Suite *s = suite_create("cli_run");
    TCase *tc = tcase_create("program");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, version_and_help);
    tcase_add_test(tc, usage_errors_exit_64_with_one_line);
    tcase_add_test(tc, identities_text_and_json);
    tcase_add_test(tc, identities_without_config_exits_3);
    tcase_add_test(tc, hostile_input_never_crashes);
    tcase_add_test(tc, explain_every_finding);
    suite_add_tcase(s, tc);
    return s;
}
