/* test_core - unit tests of the shared building blocks: strbuf, strlist, diag, model. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/diag.h"
#include "auditor/foundation/model.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"

START_TEST(strbuf_appends_and_detaches)
{
    struct strbuf sb = STRBUF_INIT;
    ck_assert_str_eq(sb.buf, "");
    strbuf_adds(&sb, "mail");
    strbuf_addc(&sb, '.');
    strbuf_addf(&sb, "%s:%d", "example.com", 25);
    ck_assert_str_eq(sb.buf, "mail.example.com:25");
    ck_assert_uint_eq(sb.len, strlen("mail.example.com:25"));
    for (int i = 0; i < 1000; i++)
        strbuf_addc(&sb, 'x');
    ck_assert_uint_eq(sb.len, 19 + 1000);
    char *s = strbuf_detach(&sb);
    ck_assert_str_eq(sb.buf, "");
    ck_assert_uint_eq(strlen(s), 1019);
    free(s);
    s = strbuf_detach(&sb);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(diag_formats_file_and_line)
{
    struct diag_list list = DIAG_LIST_INIT;
    diag_add(&list, DIAG_ERROR, "/etc/postfix/main.cf", 12, "missing '=' after attribute name: \"%s\"", "foo");
    diag_add(&list, DIAG_WARNING, "/etc/postfix/main.cf", 0, "unused parameter");
    diag_add(&list, DIAG_WARNING, NULL, 0, "no file");
    ck_assert_uint_eq(diag_count(&list, DIAG_ERROR), 1);
    ck_assert_uint_eq(diag_count(&list, DIAG_WARNING), 2);
    char *a = diag_format(&list.items[0]);
    char *b = diag_format(&list.items[1]);
    char *c = diag_format(&list.items[2]);
    ck_assert_str_eq(a, "/etc/postfix/main.cf:12: missing '=' after attribute name: \"foo\"");
    ck_assert_str_eq(b, "/etc/postfix/main.cf: unused parameter");
    ck_assert_str_eq(c, "no file");
    free(a);
    free(b);
    free(c);
    diag_list_free(&list);
    ck_assert_uint_eq(list.n, 0);
}
END_TEST

START_TEST(model_strings_round_trip)
{
    for (int f = 0; f < MODEL_NFAMILIES; f++)
        ck_assert_int_eq(model_family_fromstr(model_family_tostr((enum model_family)f)), f);
    for (int p = MODEL_PREF_ANY; p <= MODEL_PREF_IPV6; p++)
        ck_assert_int_eq(model_preference_fromstr(model_preference_tostr((enum model_preference)p)), p);
    ck_assert_int_eq(model_family_fromstr("ipv5"), -1);
    ck_assert_int_eq(model_preference_fromstr(""), -1);
}
END_TEST

START_TEST(model_set_owns_its_strings)
{
    struct model_set set = MODEL_SET_INIT;
    for (int i = 0; i < 20; i++) {
        struct model_identity *id = model_identity_add(&set, MODEL_POSTFIX);
        id->id = xasprintf("postfix:/etc/postfix:smtp%d/unix", i);
        model_set_str(&id->helo_name, "mail.example.com");
        model_set_str(&id->helo_name, "mx.example.com");
        strlist_add(&id->notes, "note");
    }
    model_config_add(&set, MODEL_POSTFIX, "/etc/postfix", "default location");
    ck_assert_uint_eq(set.n, 20);
    ck_assert_str_eq(set.items[19].helo_name, "mx.example.com");
    ck_assert(strlist_contains(&set.items[3].notes, "note"));
    model_set_free(&set);
    ck_assert_uint_eq(set.n, 0);
}
END_TEST

Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, strbuf_appends_and_detaches);
    tcase_add_test(tc, diag_formats_file_and_line);
    tcase_add_test(tc, model_strings_round_trip);
    tcase_add_test(tc, model_set_owns_its_strings);
    suite_add_tcase(s, tc);
    return s;
}
