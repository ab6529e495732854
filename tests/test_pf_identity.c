/* test_pf_identity - golden files and the postconf oracle over samples/postfix.
 *
 * Golden: every directory samples/postfix/CASE is loaded with
 * pf_identity_load (host name from CASE/hostname, else
 * corpus-host.example.net) and model_dump() of the result (case directory
 * shown as $DIR) must equal CASE/expected.txt. A mismatch writes got.txt
 * under $MP_BUILD_DIR/golden/postfix/CASE/ and prints the diff command;
 * MP_UPDATE_GOLDEN=1 rewrites expected.txt instead (review every change).
 *
 * Oracle (root only): for every smtp service of every case, the real postconf
 * computes smtp_helo_name, smtp_bind_address, smtp_bind_address6,
 * inet_protocols, smtp_address_preference and inet_interfaces in that
 * service's scope (postconf -c DIR -o NAME=VALUE... -xh, with the service's
 * -o overrides as postconf -P reports them, gethostname() pinned with
 * unshare -u). pf_scope must agree on each value, and on the overrides
 * themselves. A case postconf rejects must be rejected here too (both fail).
 * postconf prints a value with each run of blanks (space, tab, CR, LF) as one
 * space, although Postfix keeps them (a continuation line's leading
 * whitespace included): our values are compared in that printed form, and
 * pf_oracle_continuation checks the unchanged join against what Postfix
 * shows without that normalisation.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_identity.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "parsers/pf_scope.h"
#include "tests/support/model_dump.h"
#include "tests/support/pf_oracle.h"
#include "tests/support/samples.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define PF_SAMPLES SAMPLES_POSTFIX

static struct strlist pf_cases = STRLIST_INIT;

START_TEST(pf_golden_case)
{
    ck_assert_msg(pf_cases.n >= 28, "expected at least 28 sample cases, found %zu", pf_cases.n);
    const char *name = pf_cases.items[_i];
    char *dir = xasprintf("%s/%s", PF_SAMPLES, name);
    char *host = samples_hostname(dir);
    char *mailname = xasprintf("%s/mailname", dir); /* the case's /etc/mailname */
    struct model_host mh = { .hostname = host, .mailname_path = mailname };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    int rc = pf_identity_load(dir, &mh, &set, &diags);
    free(mailname);
    char *dump = model_dump(&set, &diags, dir);
    char *got = xasprintf("rc %d\n%s", rc, dump);
    char *expected_path = xasprintf("%s/expected.txt", dir);
    const char *update = getenv("MP_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        ts_write_file(expected_path, got);
    } else {
        char *expected = ts_read_file(expected_path, NULL);
        if (!expected || strcmp(expected, got) != 0) {
            const char *build = getenv("MP_BUILD_DIR");
            char *outdir = xasprintf("%s/golden/postfix/%s", build && *build ? build : "build", name);
            char *cmd = xasprintf("mkdir -p '%s'", outdir);
            ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
            char *got_path = xasprintf("%s/got.txt", outdir);
            ts_write_file(got_path, got);
            fprintf(stderr, "golden mismatch in %s: diff -u %s %s\n", name, expected_path, got_path);
            free(cmd);
            free(outdir);
            free(got_path);
            free(expected);
            ck_abort_msg("golden mismatch for %s (see the diff command above)", name);
        }
        free(expected);
    }
    free(expected_path);
    free(got);
    free(dump);
    model_set_free(&set);
    diag_list_free(&diags);
    free(host);
    free(dir);
}
END_TEST

/* ---- oracle ---- */

static const char *const pf_oracle_params[] = { "smtp_helo_name", "smtp_bind_address", "smtp_bind_address6",
                                                "inet_protocols", "smtp_address_preference", "inet_interfaces" };
#define PF_ORACLE_NPARAMS (sizeof(pf_oracle_params) / sizeof(pf_oracle_params[0]))

/* Problems that stop the instance: what Postfix refuses, and what cannot
 * be read (postconf, as root, fails on it too). */
static size_t pf_diag_errors(const struct diag_list *diags)
{
    return diag_count(diags, DIAG_ERROR) + diag_count(diags, DIAG_UNREADABLE);
}

/* postconf 3.7 garbles "-oname=value" (no space) when it normalises
 * master.cf (postconf -M/-P), although master(8) and the daemons' getopt take
 * it as written; for such a file the overrides come from the parser. */
static int pf_oracle_glued_options(const char *dir)
{
    char *path = xasprintf("%s/master.cf", dir);
    char *text = ts_read_file(path, NULL);
    free(path);
    int glued = 0;
    for (const char *cp = text; cp && (cp = strstr(cp, "-o")); cp += 2)
        if ((cp == text || cp[-1] == ' ' || cp[-1] == '\t') && (cp[2] == '_' || (cp[2] >= 'a' && cp[2] <= 'z')))
            glued = 1;
    free(text);
    return glued;
}

/* Compare one instance directory; returns the number of services compared,
 * or -1 when postconf (and the parser) rejected the configuration. */
static long pf_oracle_dir(const char *dir, const char *host)
{
    struct diag_list diags = DIAG_LIST_INIT;
    struct pf_maincf maincf;
    struct pf_mastercf mastercf;
    int mrc = pf_maincf_load(&maincf, dir, &diags);
    int src = pf_mastercf_load(&mastercf, dir, &diags);
    long compared = 0;
    /* What the identity layer reports decides "both fail". */
    char *mailname = xasprintf("%s/mailname", dir);
    struct model_host mh = { .hostname = host, .mailname_path = mailname };
    struct model_set set = MODEL_SET_INIT;
    pf_identity_load(dir, &mh, &set, &diags);
    free(mailname);
    model_set_free(&set);
    char *hosts_dir = NULL;
    char *setup = pf_oracle_setup(&maincf, &mastercf, host, &hosts_dir);
    int glued = pf_oracle_glued_options(dir);

    struct strbuf script = STRBUF_INIT;
    strbuf_adds(&script, "postconf -c ");
    pf_oracle_quote(&script, dir);
    strbuf_adds(&script, " -P");
    char *pout = NULL, *perr = NULL;
    int prc = pf_oracle_run(host, setup, script.buf, &pout, &perr);
    ck_assert_msg(prc != 97, "cannot set the host name in a UTS namespace");
    strbuf_reset(&script);

    if (prc != 0 || mrc < 0 || src < 0) {
        /* postconf refuses this configuration: so must we. */
        ck_assert_msg(prc != 0 && pf_diag_errors(&diags) > 0,
                      "%s: postconf -P rc %d (%s) but parser errors %zu", dir, prc, perr ? perr : "",
                      pf_diag_errors(&diags));
        compared = -1;
        goto done;
    }

    /* One postconf call per smtp service, all in one shell. */
    size_t nsvc = 0;
    for (size_t i = 0; i < mastercf.n; i++) {
        const struct pf_service *svc = &mastercf.items[i];
        if (svc->replaced || strcmp(pf_mastercf_command_base(svc), "smtp") != 0)
            continue;
        struct strlist ovr = STRLIST_INIT;
        if (glued) {
            for (size_t k = 0; k < svc->noverrides; k++)
                if (pf_mastercf_override(svc, svc->overrides[k].name) == svc->overrides[k].value)
                    strlist_addf(&ovr, "%s=%s", svc->overrides[k].name, svc->overrides[k].value);
        } else {
            pf_oracle_overrides(pout, svc->name, svc->type, &ovr);
        }
        /* Our -o list (last of each name) must be what postconf -P reports. */
        for (size_t k = 0; k < ovr.n; k++) {
            char *eq = strchr(ovr.items[k], '=');
            char *pname = xstrndup(ovr.items[k], (size_t)(eq - ovr.items[k]));
            const char *ours = pf_mastercf_override(svc, pname);
            char *printed = ours ? pf_oracle_printed(ours) : NULL;
            ck_assert_msg(printed && strcmp(printed, eq + 1) == 0, "%s %s/%s: -o %s: postconf '%s', parser '%s'",
                          dir, svc->name, svc->type, pname, eq + 1, ours ? ours : "(none)");
            free(printed);
            free(pname);
        }
        strbuf_adds(&script, "echo '@@'; postconf -c ");
        pf_oracle_quote(&script, dir);
        for (size_t k = 0; k < ovr.n; k++) {
            strbuf_adds(&script, " -o ");
            pf_oracle_quote(&script, ovr.items[k]);
        }
        strbuf_adds(&script, " -xh");
        for (size_t k = 0; k < PF_ORACLE_NPARAMS; k++)
            strbuf_addf(&script, " %s", pf_oracle_params[k]);
        strbuf_adds(&script, "; echo \"@@rc=$?\"; ");
        strlist_free(&ovr);
        nsvc++;
    }
    ck_assert_msg(nsvc > 0, "%s: no smtp service to compare", dir);
    char *out = NULL, *oerr = NULL;
    int rc = pf_oracle_run(host, setup, script.buf, &out, &oerr);
    ck_assert_int_eq(rc, 0);
    const char *cp = out;
    for (size_t i = 0; i < mastercf.n; i++) {
        const struct pf_service *svc = &mastercf.items[i];
        if (svc->replaced || strcmp(pf_mastercf_command_base(svc), "smtp") != 0)
            continue;
        cp = strstr(cp, "@@\n");
        ck_assert_ptr_nonnull(cp);
        cp += 3;
        const char *rcline = strstr(cp, "@@rc=");
        ck_assert_ptr_nonnull(rcline);
        int orc = atoi(rcline + 5);
        struct pf_scope sc = { &maincf, &mastercf, svc, host, NULL };
        int ours_fail = 0;
        char *values[PF_ORACLE_NPARAMS];
        for (size_t k = 0; k < PF_ORACLE_NPARAMS; k++) {
            struct pf_value v = PF_VALUE_INIT;
            if (pf_scope_get(&sc, pf_oracle_params[k], &v) < 0)
                ours_fail = 1;
            values[k] = pf_oracle_printed(v.value ? v.value : "");
            pf_value_free(&v);
        }
        if (orc != 0) {
            ck_assert_msg(ours_fail || pf_diag_errors(&diags) > 0,
                          "%s %s/%s: postconf failed (rc %d: %s), parser did not", dir, svc->name, svc->type, orc,
                          oerr ? oerr : "");
        } else {
            ck_assert_msg(!ours_fail, "%s %s/%s: parser expansion failed, postconf did not (stderr: %s)", dir,
                          svc->name, svc->type, oerr ? oerr : "");
            for (size_t k = 0; k < PF_ORACLE_NPARAMS; k++) {
                const char *nl = strchr(cp, '\n');
                ck_assert_ptr_nonnull(nl);
                char *theirs = xstrndup(cp, (size_t)(nl - cp));
                ck_assert_msg(strcmp(theirs, values[k]) == 0, "%s %s/%s %s: postconf '%s', parser '%s'", dir,
                              svc->name, svc->type, pf_oracle_params[k], theirs, values[k]);
                free(theirs);
                cp = nl + 1;
            }
            compared++;
        }
        for (size_t k = 0; k < PF_ORACLE_NPARAMS; k++)
            free(values[k]);
        cp = rcline + 5;
    }
    free(out);
    free(oerr);
done:
    if (hosts_dir) {
        ts_rmtree(hosts_dir);
        free(hosts_dir);
    }
    free(setup);
    free(pout);
    free(perr);
    strbuf_release(&script);
    pf_mastercf_free(&mastercf);
    pf_maincf_free(&maincf);
    diag_list_free(&diags);
    return compared;
}

START_TEST(pf_oracle_case)
{
    if (!ts_is_root()) {
        tsupport_skip("pf_oracle_case", "needs root (unshare -u to pin the host name)");
        return;
    }
    if (ts_run("command -v postconf", NULL, NULL) != 0) {
        ck_abort_msg("postconf is not installed: run sh tests/install-deps.sh");
    }
    const char *name = pf_cases.items[_i];
    char *dir = xasprintf("%s/%s", PF_SAMPLES, name);
    char *host = samples_hostname(dir);
    long compared = pf_oracle_dir(dir, host);
    ck_assert_msg(compared != 0, "%s: the oracle compared nothing", dir);
    /* Instances of a multi-instance case are compared too. */
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = xasprintf("%s/%s", dir, e->d_name);
        char *maincf = xasprintf("%s/main.cf", sub);
        struct stat st;
        if (stat(maincf, &st) == 0)
            pf_oracle_dir(sub, host);
        free(maincf);
        free(sub);
    }
    if (d)
        closedir(d);
    free(host);
    free(dir);
}
END_TEST

/* Expansion against postconf: each pattern becomes smtp_helo_name in a
 * main.cf that defines a few parameters; values must match, and for a
 * pattern postconf rejects, our message must be postconf's first warning
 * (undefined-parameter notes aside). */
static const char *const pf_expand_patterns[] = {
    "$myhostname", "${myhostname}", "$(myhostname)x", "a$$b", "$site.$undefined.", "${site?yes}", "${empty?yes}",
    "${site:no}", "${empty:{no}}", "${undefined:{no}}", "${site?{A}:{B}}", "${empty?{A}:B}", "x${site?{{y}}}",
    "${site??foo:{b}ar}", "${site?{A} : {B}}", "${{10} < {9} ? {y} : {n}}", "${{abc} <= {abd}?{y}:{n}}",
    "${{02} == {2}?{num}:{str}}", "${{} == {0}?{num}:{str}}", "${{ 5 } == {5}?{eq}:{ne}}", "${{1} != {2}}",
    "${{$site} == {eu} ? {eu-$myhostname} : {$myhostname}}", "${{3.6} <level {2} ? {a} : {b}}",
    "${{3.6.1} >=level {3.6}?{a}:{b}}", "$loop_a", "x$self", "a$", "$ {x}", "${}", "${site", "${mail-name}",
    "${myhostname?{a}x}", "${empty?{a}:{b}c}", "$(site:{x)", "${{a} = {b}?{x}:{y}}", "${{x}}", "${{a} == b}",
    "${{a} == {a} x}", "${{1} <levelx {2}}", "${{1.} <level {2}}", "${{99999999999999999999} > {1}?{g}:{l}}",
    "# hash $site", "$site$site$site", "${site?{${empty:{deep}}}}",
};

START_TEST(pf_oracle_expansion)
{
    if (!ts_is_root()) {
        tsupport_skip("pf_oracle_expansion", "needs root (unshare -u to pin the host name)");
        return;
    }
    const char *host = "oracle-host.example.net";
    char *dir = ts_tmpdir("pf-expand");
    char *master_path = xasprintf("%s/master.cf", dir);
    ts_write_file(master_path, "smtp unix - - n - - smtp\n");
    char *main_path = xasprintf("%s/main.cf", dir);
    struct strbuf script = STRBUF_INIT;
    size_t n = sizeof(pf_expand_patterns) / sizeof(pf_expand_patterns[0]);
    const char *defs = "myhostname = mx.example.com\nsite = eu\nempty =\nloop_a = $loop_b\nloop_b = $loop_a\n"
                       "self = x$self\n";
    for (size_t i = 0; i < n; i++) {
        char *sub = xasprintf("%s/p%zu", dir, i);
        char *cmd = xasprintf("mkdir -p '%s' && cp '%s' '%s/'", sub, master_path, sub);
        ck_assert_int_eq(ts_run(cmd, NULL, NULL), 0);
        char *mc = xasprintf("%s/main.cf", sub);
        char *text = xasprintf("%ssmtp_helo_name = %s\n", defs, pf_expand_patterns[i]);
        ts_write_file(mc, text);
        strbuf_addf(&script, "echo '@@'; postconf -c '%s' -xh smtp_helo_name 2>&1; echo \"@@rc=$?\"; ", sub);
        free(text);
        free(mc);
        free(cmd);
        free(sub);
    }
    char *out = NULL;
    ck_assert_int_eq(pf_oracle_run(host, "", script.buf, &out, NULL), 0);
    const char *cp = out;
    for (size_t i = 0; i < n; i++) {
        cp = strstr(cp, "@@\n");
        ck_assert_ptr_nonnull(cp);
        cp += 3;
        const char *end = strstr(cp, "@@rc=");
        ck_assert_ptr_nonnull(end);
        int orc = atoi(end + 5);
        /* postconf's lines: warnings, then the value (when it succeeded). */
        char *block = xstrndup(cp, (size_t)(end - cp));
        char *first_warning = NULL, *value = NULL;
        char *save = NULL;
        for (char *line = strtok_r(block, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            if (strncmp(line, "postconf: warning: ", 19) == 0) {
                if (!first_warning && !strstr(line, "undefined parameter"))
                    first_warning = xstrdup(line + 19);
            } else if (strncmp(line, "postconf: ", 10) != 0) {
                value = xstrdup(line);
            }
        }
        if (orc == 0 && !value)
            value = xstrdup(""); /* an empty value prints an empty line */
        char *sub = xasprintf("%s/p%zu", dir, i);
        struct pf_maincf cf;
        struct pf_mastercf m;
        struct diag_list d = DIAG_LIST_INIT;
        pf_maincf_load(&cf, sub, &d);
        pf_mastercf_load(&m, sub, &d);
        struct pf_scope sc = { &cf, &m, NULL, host, NULL };
        struct pf_value v = PF_VALUE_INIT;
        int rc = pf_scope_get(&sc, "smtp_helo_name", &v);
        if (orc == 0) {
            ck_assert_msg(rc == 0, "'%s': postconf gave '%s', parser failed: %s", pf_expand_patterns[i], value,
                          v.error);
            ck_assert_msg(strcmp(v.value, value) == 0, "'%s': postconf '%s', parser '%s'", pf_expand_patterns[i],
                          value, v.value);
        } else {
            ck_assert_msg(rc < 0, "'%s': postconf failed (%s), parser gave '%s'", pf_expand_patterns[i],
                          first_warning ? first_warning : "?", v.value);
            if (first_warning)
                ck_assert_msg(strcmp(first_warning, v.error) == 0, "'%s': postconf says '%s', parser '%s'",
                              pf_expand_patterns[i], first_warning, v.error);
        }
        pf_value_free(&v);
        pf_maincf_free(&cf);
        pf_mastercf_free(&m);
        diag_list_free(&d);
        free(sub);
        free(block);
        free(first_warning);
        free(value);
        cp = end + 5;
    }
    free(out);
    strbuf_release(&script);
    free(main_path);
    free(master_path);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

/* Continuation lines are joined as written (only the newline goes), which
 * postconf's normalised printing hides. Two places show the joined text as
 * Postfix holds it: every Postfix program's check of myhostname
 * (mail_params_init(), here through postqueue) quotes the bad value, and
 * postconf -M keeps the blanks inside a { } token of master.cf. */
START_TEST(pf_oracle_continuation)
{
    char *dir = ts_tmpdir("pf-cont");
    char *path = xasprintf("%s/main.cf", dir);
    /* queue_directory: postqueue stops at the check, but never near the real queue */
    char *text = xasprintf("myhostname = mail\n    .example.com\nqueue_directory = %s/queue\n", dir);
    ts_write_file(path, text);
    free(text);
    free(path);
    path = xasprintf("%s/master.cf", dir);
    ts_write_file(path, "smtp unix - - n - - smtp\n"
                        "out unix - - n - - smtp -o\n"
                        "    { smtp_helo_name = out\n"
                        "\t  .example.com }\n");
    free(path);

    struct model_host mh = { .hostname = "oracle-host.example.net" };
    struct model_set set = MODEL_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pf_identity_load(dir, &mh, &set, &diags), 1);
    char *want = xasprintf("file %s/main.cf: parameter myhostname: bad parameter value: mail    .example.com", dir);
    int found = 0;
    for (size_t i = 0; i < diags.n; i++)
        if (diags.items[i].level == DIAG_ERROR && strcmp(diags.items[i].message, want) == 0)
            found = 1;
    ck_assert_msg(found, "no diag '%s'", want);
    struct pf_mastercf m;
    struct diag_list d2 = DIAG_LIST_INIT;
    ck_assert_int_eq(pf_mastercf_load(&m, dir, &d2), 0);
    const struct pf_service *out = pf_mastercf_find(&m, "out", "unix");
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(pf_mastercf_override(out, "smtp_helo_name"), "out\t  .example.com");

    if (ts_run("command -v postconf && command -v postqueue", NULL, NULL) != 0) {
        fprintf(stderr, "pf_oracle_continuation: skipped the postfix half, postconf or postqueue missing\n");
    } else {
        struct strbuf cmd = STRBUF_INIT;
        strbuf_adds(&cmd, "postqueue -c ");
        pf_oracle_quote(&cmd, dir);
        strbuf_adds(&cmd, " -p");
        char *err = NULL;
        ck_assert_int_ne(ts_run(cmd.buf, NULL, &err), 0);
        char *line = xasprintf("postqueue: fatal: %s\n", want);
        ck_assert_msg(err && strstr(err, line), "postqueue said '%s', expected '%s'", err ? err : "", line);
        free(line);
        free(err);
        strbuf_reset(&cmd);
        strbuf_adds(&cmd, "postconf -c ");
        pf_oracle_quote(&cmd, dir);
        strbuf_adds(&cmd, " -M out/unix");
        char *mout = NULL;
        ck_assert_int_eq(ts_run(cmd.buf, &mout, NULL), 0);
        ck_assert_msg(mout && strstr(mout, "smtp -o {smtp_helo_name=out\t  .example.com}\n"), "postconf -M: '%s'",
                      mout ? mout : "");
        free(mout);
        strbuf_release(&cmd);
    }
    pf_mastercf_free(&m);
    diag_list_free(&d2);
    free(want);
    model_set_free(&set);
    diag_list_free(&diags);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

Suite *pf_identity_suite(void)
{
    Suite *s = suite_create("pf_identity");
    samples_cases(PF_SAMPLES, &pf_cases);
    int n = (int)(pf_cases.n ? pf_cases.n : 1);
    TCase *g = tcase_create("golden");
    tcase_add_loop_test(g, pf_golden_case, 0, n);
    suite_add_tcase(s, g);
    TCase *o = tcase_create("oracle");
    tcase_set_timeout(o, 60);
    tcase_add_loop_test(o, pf_oracle_case, 0, n);
    tcase_add_test(o, pf_oracle_expansion);
    tcase_add_test(o, pf_oracle_continuation);
    suite_add_tcase(s, o);
    return s;
}
