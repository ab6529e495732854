/* test_model_origin - typed origins: every kind renders as the reports have
 * always printed it, and copies own their strings; where a host's
 * /etc/mailname is. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/model.h"
#include "tests/support/suites.h"

static void assert_renders(const struct model_origin *o, const char *want)
{
    char *got = model_origin_tostr(o);
    ck_assert_pstr_eq(got, want);
    free(got);
}

START_TEST(origin_renders_every_kind)
{
    struct model_origin o = MODEL_ORIGIN_INIT;
    assert_renders(&o, NULL);
    model_origin_file(&o, "/etc/postfix/main.cf", 12);
    ck_assert_int_eq(o.kind, MODEL_ORIGIN_FILE);
    assert_renders(&o, "/etc/postfix/main.cf:12");
    model_origin_file(&o, "/etc/exim4/exim4.conf", 0);
    assert_renders(&o, "/etc/exim4/exim4.conf");
    model_origin_override(&o, "/etc/postfix/master.cf", 7);
    ck_assert_int_eq(o.kind, MODEL_ORIGIN_OVERRIDE);
    ck_assert_str_eq(o.file, "/etc/postfix/master.cf");
    ck_assert_uint_eq(o.line, 7);
    assert_renders(&o, "/etc/postfix/master.cf:7 (-o)");
    model_origin_default(&o, NULL);
    ck_assert_int_eq(o.kind, MODEL_ORIGIN_DEFAULT);
    ck_assert_ptr_null(o.file);
    ck_assert_uint_eq(o.line, 0);
    assert_renders(&o, "default");
    model_origin_default(&o, "gethostname()");
    assert_renders(&o, "default (gethostname())");
    model_origin_free(&o);
    o.kind = MODEL_ORIGIN_COMMAND_LINE;
    assert_renders(&o, "command line");
    model_origin_free(&o);
    ck_assert_int_eq(o.kind, MODEL_ORIGIN_NONE);
    assert_renders(&o, NULL);
}
END_TEST

START_TEST(origin_copy_is_deep)
{
    struct model_origin a = MODEL_ORIGIN_INIT, b = MODEL_ORIGIN_INIT;
    model_origin_override(&a, "/x/master.cf", 3);
    model_origin_copy(&b, &a);
    ck_assert_ptr_ne(a.file, b.file);
    model_origin_free(&a);
    assert_renders(&b, "/x/master.cf:3 (-o)");
    model_origin_copy(&b, &b); /* copying onto itself keeps it */
    assert_renders(&b, "/x/master.cf:3 (-o)");
    model_origin_copy(&b, &a); /* a NONE source empties the target */
    ck_assert_int_eq(b.kind, MODEL_ORIGIN_NONE);
    ck_assert_ptr_null(b.file);
    model_origin_free(&b);
}
END_TEST

/* Only /etc/mailname moves to where the host says it is. */
START_TEST(host_path_moves_only_etc_mailname)
{
    struct model_host host = { .hostname = "h", .mailname_path = "/srv/test/mailname" };
    struct model_host plain = { .hostname = "h" };
    ck_assert_str_eq(model_host_path(&host, "/etc/mailname"), "/srv/test/mailname");
    ck_assert_str_eq(model_host_path(&host, "/etc/mailname.old"), "/etc/mailname.old");
    ck_assert_str_eq(model_host_path(&host, "/srv/copy/etc/mailname"), "/srv/copy/etc/mailname");
    ck_assert_str_eq(model_host_path(&plain, "/etc/mailname"), "/etc/mailname");
    ck_assert_str_eq(model_host_path(NULL, "/etc/mailname"), "/etc/mailname");
}
END_TEST

Suite *model_origin_suite(void)
{
    Suite *s = suite_create("model_origin");
    TCase *tc = tcase_create("model_origin");
    tcase_add_test(tc, origin_renders_every_kind);
    tcase_add_test(tc, origin_copy_is_deep);
    tcase_add_test(tc, host_path_moves_only_etc_mailname);
    suite_add_tcase(s, tc);
    return s;
}
