/* test_pf_expand - $-expansion (every form, edge cases, errors with
 * Postfix 3.7's wording as seen from postconf) and scope lookup with
 * origins and derived defaults. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_expand.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "parsers/pf_scope.h"
#include "tests/support/suites.h"

static const char *const table[][2] = {
    { "myhostname", "mx.example.com" },
    { "empty", "" },
    { "site", "eu" },
    { "ref", "$myhostname" },
    { "loop_a", "$loop_b" },
    { "loop_b", "$loop_a" },
    { "self", "x$self" },
    { "deep", "${site?{$ref}}" },
    { "double1", "$double2$double2$double2$double2" },
    { "double2", "$double3$double3$double3$double3" },
    { "double3", "$double4$double4$double4$double4" },
    { "double4", "$double5$double5$double5$double5" },
    { "double5", "$double6$double6$double6$double6" },
    { "double6", "$double7$double7$double7$double7" },
    { "double7", "$double8$double8$double8$double8" },
    { "double8", "$double9$double9$double9$double9" },
    { "double9", "$double10$double10$double10$double10" },
    { "double10", "$double11$double11$double11$double11" },
    { "double11", "$double12$double12$double12$double12" },
    { "double12", "$double13$double13$double13$double13" },
    { "double13", "0123456789" },
};

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i][0], name) == 0)
            return table[i][1];
    return NULL;
}

/* Expand; returns the result or "ERR: message" (static buffer per call). */
static char *expand(const char *pattern)
{
    struct strbuf sb = STRBUF_INIT;
    char *err = NULL;
    if (pf_expand_budget(pattern, lookup, NULL, &sb, &err, NULL) < 0) {
        strbuf_release(&sb);
        char *msg = xasprintf("ERR: %s", err);
        free(err);
        return msg;
    }
    return strbuf_detach(&sb);
}

#define EXPECT(pattern, want)                                                                                        \
    do {                                                                                                             \
        char *got_ = expand(pattern);                                                                                \
        ck_assert_msg(strcmp(got_, want) == 0, "'%s' gave '%s', want '%s'", pattern, got_, want);                   \
        free(got_);                                                                                                  \
    } while (0)

START_TEST(expand_plain_forms)
{
    EXPECT("plain text", "plain text");
    EXPECT("$myhostname", "mx.example.com");
    EXPECT("${myhostname}", "mx.example.com");
    EXPECT("$(myhostname)x", "mx.example.comx");
    EXPECT("$myhostname.x", "mx.example.com.x");
    EXPECT("$myhostname_x", "");
    EXPECT("a$$b", "a$b");
    EXPECT("$$myhostname", "$myhostname");
    EXPECT("$undefined|", "|");
    EXPECT("$ref", "mx.example.com");
    EXPECT("${deep}", "mx.example.com");
    EXPECT("# not a comment $site", "# not a comment eu");
}
END_TEST

START_TEST(expand_conditionals)
{
    EXPECT("${site?yes}", "yes");
    EXPECT("${site?{ yes }}", " yes ");
    EXPECT("${empty?yes}", "");
    EXPECT("${undefined?yes}", "");
    EXPECT("${site:no}", "");
    EXPECT("${empty:no}", "no");
    EXPECT("${undefined:{no}}", "no");
    EXPECT("${site?{A}:{B}}", "A");
    EXPECT("${empty?{A}:{B}}", "B");
    EXPECT("${empty?{A}:B}", "B");
    EXPECT("${site ? {A} : {B}}", "ERR: attribute name syntax error at: \"...site>>> ? {A} : {B}\"");
    EXPECT("${site?{A} : {B}}", "A");
    EXPECT("x${myhostname?{{y}}}", "x{y}");
    EXPECT("${site?{$myhostname}:{$undefined}}", "mx.example.com");
    /* Postfix 2.2 compatibility: text without braces is taken as it is. */
    EXPECT("${site??foo:{b}ar}", "?foo:{b}ar");
}
END_TEST

START_TEST(expand_relational)
{
    EXPECT("${{10} < {9} ? {yes} : {no}}", "no");
    EXPECT("${{abc} <= {abd} ? {yes} : {no}}", "yes");
    EXPECT("${{10} > {9}?{yes}:{no}}", "yes");
    EXPECT("${{9} >= {10}?{yes}:{no}}", "no");
    EXPECT("${{1}=={1}?{t}:{f}}", "t");
    EXPECT("${{1} != {2}}", "true");
    EXPECT("${{1} == {2}}", "");
    EXPECT("${{02} == {2}?{num}:{str}}", "num");
    EXPECT("${{} == {0}?{num}:{str}}", "str");
    EXPECT("${{ 5 } == {5}?{eq}:{ne}}", "ne");
    EXPECT("${{$site} == {eu} ? {eu-$myhostname} : {other}}", "eu-mx.example.com");
    EXPECT("${{a}=={a}?x}", "x");
    EXPECT("${{99999999999999999999} > {1}?{gt}:{le}}", "ERR: mac_exp_eval: bad conversion: 99999999999999999999");
    EXPECT("${{a} = {b}?{x}:{y}}",
           "ERR: \"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: \"...a}>>>= {b}?{x}:{y}\"");
    EXPECT("${{x}}", "ERR: \"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: \"...x}>>>\"");
    EXPECT("${{3.6} <level {2} ? {a} : {b}}", "b");
    EXPECT("${{1}<level{2}?{a}:{b}}", "a");
    EXPECT("${{3.6.1} >=level {3.6} ? {a} : {b}}", "a");
    EXPECT("${{2} ==level {2.0}?{a}:{b}}", "a");
    EXPECT("${{2} !=level {2.0.1}?{a}:{b}}", "a");
    EXPECT("${{3.6} <=level {3.6.0}?{a}:{b}}", "a");
    EXPECT("${{ 1} <level {2}?{a}:{b}}", "a");
    EXPECT("${{$undefined} <level {2} ? {old} : {new}}", "ERR: malformed compatibility level syntax: \"\"");
    EXPECT("${{1.} <level {2}?{a}:{b}}", "ERR: malformed compatibility level syntax: \"1.\"");
    EXPECT("${{-1} <level {2}?{a}:{b}}", "ERR: malformed compatibility level syntax: \"-1\"");
    EXPECT("${{1} <levelx {2}?{a}:{b}}", "ERR: bad operator suffix at: \"...<>>>levelx\"");
    EXPECT("${{1} <LEVEL {2}?{a}:{b}}", "ERR: bad operator suffix at: \"...<>>>LEVEL\"");
    EXPECT("${{1} < level {2}?{a}:{b}}", "ERR: \"{expression}\" expected at: \"...{1} <>>> level {2}?{a}:{b}\"");
    EXPECT("${{a} == b}", "ERR: \"{expression}\" expected at: \"...{a} ==>>> b\"");
    EXPECT("${{a} == {a} x}", "ERR: \"?\" or \":\" expected at: \"...}>>>x\"");
}
END_TEST

START_TEST(expand_errors)
{
    EXPECT("a$", "ERR: empty macro name: \"a$\"");
    EXPECT("$ {x}", "ERR: empty macro name: \"$ {x}\"");
    EXPECT("${}", "ERR: empty macro name: \"${}\"");
    EXPECT("${site", "ERR: truncated macro reference: \"${site\"");
    EXPECT("$(site", "ERR: truncated macro reference: \"$(site\"");
    EXPECT("${mail-name}", "ERR: attribute name syntax error at: \"...mail>>>-name\"");
    EXPECT("${myhostname?{a}x}", "ERR: \":\" expected at: \"...a}>>>x\"");
    EXPECT("${empty?{a}:{b}c}", "ERR: unexpected input at: \"...b}>>>c\"");
    EXPECT("$(site:{x)", "ERR: unbalanced {} in attribute expression: \"{x\"");
    EXPECT("$loop_a", "ERR: unreasonable macro call nesting: \"loop_b\"");
    /* Postfix counts literal pieces too: its first warning names "x". */
    EXPECT("$self", "ERR: unreasonable macro call nesting: \"x\"");
}
END_TEST

START_TEST(expand_hostile_input_is_bounded)
{
    /* 4^12 * 10 bytes would be 167 MB: refused by the work bound. */
    char *got = expand("$double1");
    ck_assert_msg(strncmp(got, "ERR: expansion exceeds", 22) == 0, "got '%.60s'", got);
    free(got);
    /* Deeply nested relational operands must not exhaust the stack. */
    struct strbuf p = STRBUF_INIT;
    for (int i = 0; i < 50000; i++)
        strbuf_adds(&p, "${{");
    got = expand(p.buf);
    ck_assert_msg(strncmp(got, "ERR: ", 5) == 0, "got '%.60s'", got);
    free(got);
    strbuf_release(&p);
}
END_TEST

/* ---- scope ---- */

struct fixture {
    struct pf_maincf cf;
    struct pf_mastercf m;
    struct diag_list d;
};

static void fixture_load(struct fixture *f, const char *maincf, const char *mastercf)
{
    memset(f, 0, sizeof(*f));
    pf_maincf_load_text(&f->cf, "/cfg", "/cfg/main.cf", maincf, strlen(maincf), &f->d);
    pf_mastercf_load_text(&f->m, "/cfg/master.cf", mastercf, strlen(mastercf), &f->d);
}

static void fixture_free(struct fixture *f)
{
    pf_maincf_free(&f->cf);
    pf_mastercf_free(&f->m);
    diag_list_free(&f->d);
}

/* An origin has the kind and renders as the text of today's reports. */
static void assert_origin(const struct model_origin *o, enum model_origin_kind kind, const char *text)
{
    char *got = model_origin_tostr(o);
    ck_assert_int_eq(o->kind, kind);
    ck_assert_pstr_eq(got, text);
    free(got);
}

START_TEST(scope_precedence_and_origins)
{
    struct fixture f;
    fixture_load(&f, "myhostname = mx.example.com\n"
                     "smtp_helo_name = helo.$mydomain\n",
                 "smtp unix - - n - - smtp\n"
                 "out unix - - n - - smtp -o smtp_helo_name=$service_name.$myhostname -o myhostname=o.example.net\n");
    struct pf_scope main_scope = { &f.cf, &f.m, NULL, "host", NULL };
    struct pf_value v = PF_VALUE_INIT;
    ck_assert_int_eq(pf_scope_get(&main_scope, "smtp_helo_name", &v), 0);
    ck_assert_str_eq(v.value, "helo.example.com");
    assert_origin(&v.origin, MODEL_ORIGIN_FILE, "/cfg/main.cf:2");
    ck_assert_int_eq(v.from, PF_FROM_MAINCF);
    pf_value_free(&v);
    struct pf_scope out = { &f.cf, &f.m, pf_mastercf_find(&f.m, "out", "unix"), "host", NULL };
    ck_assert_int_eq(pf_scope_get(&out, "smtp_helo_name", &v), 0);
    ck_assert_str_eq(v.value, "out.o.example.net");
    assert_origin(&v.origin, MODEL_ORIGIN_OVERRIDE, "/cfg/master.cf:2 (-o)");
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&out, "mydomain", &v), 0);
    ck_assert_str_eq(v.value, "example.net");
    assert_origin(&v.origin, MODEL_ORIGIN_DEFAULT, "default ($myhostname minus its first label)");
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&out, "inet_protocols", &v), 0);
    ck_assert_str_eq(v.value, "all");
    assert_origin(&v.origin, MODEL_ORIGIN_DEFAULT, "default");
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&out, "no_such_thing", &v), 0);
    ck_assert_ptr_null(v.value);
    assert_origin(&v.origin, MODEL_ORIGIN_NONE, NULL);
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&out, "config_directory", &v), 0);
    ck_assert_str_eq(v.value, "/cfg");
    pf_value_free(&v);
    fixture_free(&f);
}
END_TEST

START_TEST(scope_derived_myhostname)
{
    struct fixture f;
    fixture_load(&f, "", "smtp unix - - n - - smtp -o mydomain=corp.example\n");
    struct pf_scope main_scope = { &f.cf, &f.m, NULL, "box", NULL };
    struct pf_value v = PF_VALUE_INIT;
    ck_assert_int_eq(pf_scope_get(&main_scope, "smtp_helo_name", &v), 0);
    ck_assert_str_eq(v.value, "box.localdomain");
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&main_scope, "myhostname", &v), 0);
    assert_origin(&v.origin, MODEL_ORIGIN_DEFAULT, "default (gethostname() + .localdomain)");
    pf_value_free(&v);
    ck_assert_int_eq(pf_scope_get(&main_scope, "mydomain", &v), 0);
    ck_assert_str_eq(v.value, "localdomain");
    pf_value_free(&v);
    struct pf_scope svc = { &f.cf, &f.m, pf_mastercf_find(&f.m, "smtp", "unix"), "box", NULL };
    ck_assert_int_eq(pf_scope_get(&svc, "myhostname", &v), 0);
    ck_assert_str_eq(v.value, "box.corp.example");
    assert_origin(&v.origin, MODEL_ORIGIN_DEFAULT, "default (gethostname() + . + mydomain from /cfg/master.cf:1 (-o))");
    pf_value_free(&v);
    struct pf_scope fq = { &f.cf, &f.m, NULL, "full.example.org", NULL };
    ck_assert_int_eq(pf_scope_get(&fq, "myhostname", &v), 0);
    ck_assert_str_eq(v.value, "full.example.org");
    assert_origin(&v.origin, MODEL_ORIGIN_DEFAULT, "default (gethostname())");
    pf_value_free(&v);
    fixture_free(&f);
}
END_TEST

START_TEST(scope_self_references_terminate)
{
    struct fixture f;
    fixture_load(&f, "myhostname = $mydomain\nmydomain = $myhostname\n", "smtp unix - - n - - smtp\n");
    struct pf_scope sc = { &f.cf, &f.m, NULL, "box", NULL };
    struct pf_value v = PF_VALUE_INIT;
    ck_assert_int_eq(pf_scope_get(&sc, "smtp_helo_name", &v), -1);
    ck_assert_ptr_nonnull(strstr(v.error, "unreasonable macro call nesting"));
    pf_value_free(&v);
    fixture_free(&f);
    /* No main.cf value: the derived defaults must not chase each other. */
    fixture_load(&f, "myhostname = $mydomain\n", "smtp unix - - n - - smtp\n");
    struct pf_scope sc2 = { &f.cf, &f.m, NULL, "box", NULL };
    ck_assert_int_eq(pf_scope_get(&sc2, "myhostname", &v), 0);
    pf_value_free(&v);
    fixture_free(&f);
}
END_TEST

Suite *pf_expand_suite(void)
{
    Suite *s = suite_create("pf_expand");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, expand_plain_forms);
    tcase_add_test(tc, expand_conditionals);
    tcase_add_test(tc, expand_relational);
    tcase_add_test(tc, expand_errors);
    tcase_add_test(tc, expand_hostile_input_is_bounded);
    tcase_add_test(tc, scope_precedence_and_origins);
    tcase_add_test(tc, scope_derived_myhostname);
    tcase_add_test(tc, scope_self_references_terminate);
    suite_add_tcase(s, tc);
    return s;
}
