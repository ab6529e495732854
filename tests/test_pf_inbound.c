/* test_pf_inbound - the Postfix inbound model: golden files, the postconf
 * oracle and unit cases.
 *
 * Golden: every directory samples/postfix/CASE is loaded with
 * pf_inbound_load (host name from CASE/hostname, else
 * corpus-host.example.net) and listener_dump() of the result (case
 * directory shown as $DIR) must equal CASE/inbound.txt. A mismatch writes
 * inbound-got.txt under $MP_BUILD_DIR/golden/postfix/CASE/ and prints the
 * diff command; MP_UPDATE_GOLDEN=1 rewrites inbound.txt instead.
 *
 * Oracle (root only): for every case (and the instances of a multi-instance
 * case), the real postconf says which master.cf services are inbound
 * listeners (postconf -F: type inet, command smtpd or postscreen, not in
 * master_service_disable), and computes in each listener's scope (postconf
 * -c DIR -o NAME=VALUE... -xh, with the service's -o overrides as postconf
 * -P reports them, gethostname() pinned with unshare -u) smtpd_banner and
 * smtpd_tls_wrappermode, for postscreen postscreen_greet_banner and
 * smtpd_service_name and the pass service's smtpd_banner, and in main.cf's
 * scope inet_interfaces, inet_protocols, proxy_interfaces, myhostname and
 * the three domain lists. A configuration postconf refuses must give a
 * DIAG_ERROR (from pf_inbound_load or pf_identity_load, which an audit
 * runs together). The listeners' banners, teasers, pass services,
 * addresses and families, and the set's domains and tables, must agree.
 * Values are compared in postconf's printed form (each run of blanks one
 * space).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "auditor/foundation/hostname.h"
#include "auditor/foundation/listener.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/strlist.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_identity.h"
#include "parsers/pf_inbound.h"
#include "parsers/pf_maincf.h"
#include "parsers/pf_mastercf.h"
#include "parsers/pf_scope.h"
#include "tests/support/listener_dump.h"
#include "tests/support/pf_oracle.h"
#include "tests/support/samples.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define PFI_SAMPLES SAMPLES_POSTFIX

static struct strlist pfi_cases = STRLIST_INIT;

/* Load dir with the given host name into set and diags. */
static int pfi_load(const char *dir, const char *host, struct listener_set *set, struct diag_list *diags)
{
    struct model_host mh = { .hostname = host };
    return pf_inbound_load(dir, &mh, set, diags);
}

START_TEST(pfi_golden_case)
{
    const char *name = pfi_cases.items[_i];
    char *dir = xasprintf("%s/%s", PFI_SAMPLES, name);
    char *host = samples_hostname(dir);
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    int rc = pfi_load(dir, host, &set, &diags);
    char *dump = listener_dump(&set, &diags, dir);
    char *got = xasprintf("rc %d\n%s", rc, dump);
    char *expected_path = xasprintf("%s/inbound.txt", dir);
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
            char *got_path = xasprintf("%s/inbound-got.txt", outdir);
            ts_write_file(got_path, got);
            fprintf(stderr, "golden mismatch in %s: diff -u %s %s\n", name, expected_path, got_path);
            free(cmd);
            free(outdir);
            free(got_path);
            free(expected);
            ck_abort_msg("inbound golden mismatch for %s (see the diff command above)", name);
        }
        free(expected);
    }
    free(expected_path);
    free(got);
    free(dump);
    listener_set_free(&set);
    diag_list_free(&diags);
    free(host);
    free(dir);
}
END_TEST

/* ---- oracle ---- */

/* The value of "NAME/TYPE/FIELD = value" lines of postconf -F, or NULL. */
static char *pfi_oracle_field(const char *fout, const char *name, const char *type, const char *field)
{
    char *prefix = xasprintf("%s/%s/%s = ", name, type, field);
    size_t plen = strlen(prefix);
    char *found = NULL;
    for (const char *line = fout; line && *line && !found;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len >= plen && strncmp(line, prefix, plen) == 0)
            found = xstrndup(line + plen, len - plen);
        line = nl ? nl + 1 : NULL;
    }
    free(prefix);
    return found;
}

/* One postconf -xh call in a service's scope (or main.cf's when name is
 * NULL); each parameter's printed value on its own line. */
static void pfi_oracle_call(struct strbuf *script, const char *dir, const char *pout, const char *name,
                            const char *type, const char *params)
{
    struct strlist ovr = STRLIST_INIT;
    if (name)
        pf_oracle_overrides(pout, name, type, &ovr);
    strbuf_adds(script, "echo '@@'; postconf -c ");
    pf_oracle_quote(script, dir);
    for (size_t k = 0; k < ovr.n; k++) {
        strbuf_adds(script, " -o ");
        pf_oracle_quote(script, ovr.items[k]);
    }
    strbuf_addf(script, " -xh %s 2>/dev/null || echo '@@failed'; ", params);
    strlist_free(&ovr);
}

/* The next block of lines printed by one pfi_oracle_call, or NULL when
 * postconf failed in that call (*cp moves past the block either way). */
static char **pfi_oracle_block(const char **cp, size_t want)
{
    const char *start = strstr(*cp, "@@\n");
    ck_assert_ptr_nonnull(start);
    start += 3;
    const char *end = strstr(start, "@@\n");
    if (!end)
        end = start + strlen(start);
    *cp = end;
    const char *fail = strstr(start, "@@failed");
    if (fail && fail < end)
        return NULL;
    char **lines = xcalloc(want, sizeof(char *));
    for (size_t i = 0; i < want; i++) {
        const char *nl = strchr(start, '\n');
        ck_assert_msg(nl && nl < end, "postconf printed fewer values than asked for");
        lines[i] = xstrndup(start, (size_t)(nl - start));
        start = nl + 1;
    }
    return lines;
}

static void pfi_free_lines(char **lines, size_t n)
{
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

/* postconf's value against a banner: the text in printed form, or an
 * absent banner for an empty value. */
static void pfi_expect_banner(const char *what, const struct listener_banner *b, const char *theirs, bool may_be_absent)
{
    if (may_be_absent && *theirs == '\0') {
        ck_assert_msg(!b->present, "%s: postconf prints nothing, the parser has '%s'", what, b->text ? b->text : "");
        return;
    }
    ck_assert_msg(b->present && b->text, "%s: postconf '%s', the parser has no banner", what, theirs);
    char *ours = pf_oracle_printed(b->text);
    ck_assert_msg(strcmp(ours, theirs) == 0, "%s: postconf '%s', parser '%s'", what, theirs, ours);
    char *first = listener_first_word(theirs);
    ck_assert_msg((!first && !b->hostname) || (first && b->hostname && strcmp(first, b->hostname) == 0),
                  "%s: host name '%s', parser '%s'", what, first ? first : "", b->hostname ? b->hostname : "");
    free(first);
    free(ours);
}

/* The families postconf's inet_protocols value enables. */
static unsigned pfi_families(const char *value)
{
    unsigned f = 0;
    if (strstr(value, "all"))
        f = MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6);
    if (strstr(value, "ipv4"))
        f |= MODEL_FAMILY_BIT(MODEL_IPV4);
    if (strstr(value, "ipv6"))
        f |= MODEL_FAMILY_BIT(MODEL_IPV6);
    return f;
}

/* What postconf's printed values say the listener's addresses are. */
static void pfi_expect_addresses(const char *what, const struct listener *l, const char *svc_host,
                                 const char *interfaces, unsigned families)
{
    struct strlist want = STRLIST_INIT, names = STRLIST_INIT;
    unsigned all = 0;
    if (svc_host) {
        strlist_add(hostname_address_family(svc_host) ? &want : &names, svc_host);
    } else if (strcasecmp(interfaces, "all") == 0) {
        all = families;
    } else if (strcmp(interfaces, "loopback-only") == 0) {
        if (families & MODEL_FAMILY_BIT(MODEL_IPV4))
            strlist_add(&want, "127.0.0.1");
        if (families & MODEL_FAMILY_BIT(MODEL_IPV6))
            strlist_add(&want, "::1");
    } else {
        char *copy = xstrdup(interfaces);
        char *save = NULL;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            size_t len = strlen(tok);
            char *addr = tok[0] == '[' && tok[len - 1] == ']' ? xstrndup(tok + 1, len - 2) : xstrdup(tok);
            strlist_add(hostname_address_family(addr) ? &want : &names, addr);
            free(addr);
        }
        free(copy);
    }
    ck_assert_msg(l->all_families == all, "%s: wildcard families %u, parser %u", what, all, l->all_families);
    ck_assert_msg(l->addresses.n == want.n, "%s: %zu addresses, parser %zu", what, want.n, l->addresses.n);
    for (size_t i = 0; i < want.n; i++)
        ck_assert_msg(hostname_address_equal(want.items[i], l->addresses.items[i]), "%s: address %zu '%s', parser '%s'",
                      what, i, want.items[i], l->addresses.items[i]);
    ck_assert_msg(l->names.n == names.n, "%s: %zu names, parser %zu", what, names.n, l->names.n);
    for (size_t i = 0; i < names.n; i++)
        ck_assert_str_eq(names.items[i], l->names.items[i]);
    unsigned fams = all;
    for (size_t i = 0; i < want.n; i++)
        fams |= MODEL_FAMILY_BIT(model_family_of_address(want.items[i]));
    if (names.n)
        fams |= families;
    ck_assert_msg(l->families == fams, "%s: families %u, parser %u", what, fams, l->families);
    strlist_free(&want);
    strlist_free(&names);
}

/* Is the lowercase name one of postconf's tokens of value? */
static bool pfi_token_in(const char *value, const char *name)
{
    char *copy = xstrdup(value);
    char *save = NULL;
    bool found = false;
    for (char *tok = strtok_r(copy, ", ", &save); tok && !found; tok = strtok_r(NULL, ", ", &save))
        found = hostname_equal(tok, name);
    free(copy);
    return found;
}

/* Compare one instance directory; returns the number of listeners compared. */
static long pfi_oracle_dir(const char *dir, const char *host)
{
    struct diag_list diags = DIAG_LIST_INIT;
    struct pf_maincf maincf;
    struct pf_mastercf mastercf;
    int mrc = pf_maincf_load(&maincf, dir, &diags);
    int src = pf_mastercf_load(&mastercf, dir, &diags);
    long compared = 0;
    /* the instance on its own: the default one without its others */
    struct listener_set set = LISTENER_SET_INIT;
    struct model_host mh = { .hostname = host };
    char *tmpdir = NULL;
    char *setup = pf_oracle_setup(&maincf, &mastercf, host, &tmpdir);
    struct strbuf script = STRBUF_INIT;
    char *pout = NULL, *fout = NULL, *out = NULL, *err = NULL;
    if (mrc < 0 || src < 0)
        goto done;
    pf_inbound_load(dir, &mh, &set, &diags);
    /* whether Postfix refuses the configuration is decided with the
     * identity layer's checks too (myhostname, inet_interfaces, macros) */
    struct model_set ids_set = MODEL_SET_INIT;
    pf_identity_load(dir, &mh, &ids_set, &diags);
    model_set_free(&ids_set);

    strbuf_adds(&script, "postconf -c ");
    pf_oracle_quote(&script, dir);
    strbuf_adds(&script, " -P");
    int prc = pf_oracle_run(host, setup, script.buf, &pout, &err);
    ck_assert_msg(prc != 97, "cannot set the host name in a UTS namespace");
    free(err);
    err = NULL;
    strbuf_reset(&script);
    strbuf_adds(&script, "postconf -c ");
    pf_oracle_quote(&script, dir);
    strbuf_adds(&script, " -F");
    int frc = pf_oracle_run(host, setup, script.buf, &fout, &err);
    strbuf_reset(&script);
    if (prc != 0 || frc != 0) {
        ck_assert_msg(diag_count(&diags, DIAG_ERROR) > 0, "%s: postconf -P/-F failed (%s), the parser found no error",
                      dir, err ? err : "");
        compared = -1;
        goto done;
    }

    /* main.cf's scope */
    static const char *const main_params =
        "inet_interfaces inet_protocols proxy_interfaces myhostname master_service_disable mydestination "
        "virtual_mailbox_domains virtual_alias_domains";
    enum { M_II, M_IP, M_PROXY, M_HOST, M_DISABLE, M_DEST, M_VMD, M_VAD, M_N };
    pfi_oracle_call(&script, dir, pout, NULL, NULL, main_params);

    /* the listeners postconf -F reports, each in its scope */
    struct strlist ids = STRLIST_INIT;
    for (size_t i = 0; i < mastercf.n; i++) {
        const struct pf_service *svc = &mastercf.items[i];
        if (svc->replaced || strcmp(svc->type, "inet") != 0)
            continue;
        char *command = pfi_oracle_field(fout, svc->name, svc->type, "command");
        ck_assert_msg(command != NULL, "%s: postconf -F has no command for %s/inet", dir, svc->name);
        command[strcspn(command, " ")] = '\0';
        const char *base = strrchr(command, '/') ? strrchr(command, '/') + 1 : command;
        if (strcmp(base, "smtpd") == 0 || strcmp(base, "postscreen") == 0) {
            strlist_addf(&ids, "postfix:%s:%s/inet", dir, svc->name);
            if (strcmp(base, "smtpd") == 0) {
                pfi_oracle_call(&script, dir, pout, svc->name, "inet", "smtpd_banner smtpd_tls_wrappermode");
            } else {
                pfi_oracle_call(&script, dir, pout, svc->name, "inet", "postscreen_greet_banner smtpd_service_name");
            }
        }
        free(command);
    }
    /* the pass services, in a second script: their names come from the first */
    ck_assert_int_eq(pf_oracle_run(host, setup, script.buf, &out, NULL), 0);
    const char *cp = out;
    char **m = pfi_oracle_block(&cp, M_N);
    if (!m) {
        ck_assert_msg(diag_count(&diags, DIAG_ERROR) > 0, "%s: postconf fails in main.cf's scope, the parser does not",
                      dir);
        compared = -1;
        strlist_free(&ids);
        goto done;
    }
    unsigned families = pfi_families(m[M_IP]);

    size_t seen = 0;
    for (size_t k = 0; k < ids.n; k++) {
        const char *id = ids.items[k];
        const char *svc_name = id + strlen("postfix:") + strlen(dir) + 1;
        char *name = xstrndup(svc_name, strlen(svc_name) - strlen("/inet"));
        char **v = pfi_oracle_block(&cp, 2);
        /* master_service_disable is main.cf's: a disabled listener is absent */
        const struct listener *l = listener_find(&set, id);
        bool disabled = false;
        if (*m[M_DISABLE]) {
            char *copy = xstrdup(m[M_DISABLE]);
            char *save = NULL;
            char *nt = xasprintf("%s/inet", name);
            for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                bool match = true;
                while (*tok == '!') {
                    match = !match;
                    tok++;
                }
                char *dot = strrchr(tok, '.');
                if (!strchr(tok, '/') && dot)
                    *dot = '/';
                if (strcasecmp(strchr(tok, '/') ? nt : "inet", tok) == 0) {
                    disabled = match;
                    break;
                }
            }
            free(nt);
            free(copy);
        }
        if (!disabled && !v) {
            /* postconf cannot expand this scope: Postfix would not start it */
            ck_assert_msg(diag_count(&diags, DIAG_ERROR) > 0, "%s: postconf fails in its scope, the parser does not",
                          id);
            seen += l != NULL;
            free(name);
            continue;
        }
        if (disabled) {
            ck_assert_msg(l == NULL, "%s: disabled by master_service_disable, but a listener", id);
            pfi_free_lines(v, 2);
            free(name);
            continue;
        }
        ck_assert_msg(l != NULL, "%s: postconf says it is a listener, the parser has none", id);
        seen++;
        /* host part of the service field (master(8) host_port) */
        char *field = xstrdup(name);
        char *host_part = NULL;
        if (field[0] == '[') {
            char *rb = strchr(field, ']');
            *rb = '\0';
            host_part = xstrdup(field + 1);
        } else if (strrchr(field, ':')) {
            *strrchr(field, ':') = '\0';
            host_part = *field ? xstrdup(field) : NULL;
        }
        free(field);
        pfi_expect_addresses(id, l, host_part, m[M_II], families);
        free(host_part);
        if (*m[M_PROXY]) {
            char *ours = xstrdup("");
            for (size_t a = 0; a < l->proxy_addresses.n; a++) {
                char *next = xasprintf("%s%s%s", ours, a ? " " : "", l->proxy_addresses.items[a]);
                free(ours);
                ours = next;
            }
            ck_assert_msg(strcmp(ours, m[M_PROXY]) == 0, "%s: proxy_interfaces '%s', parser '%s'", id, m[M_PROXY],
                          ours);
            free(ours);
        } else {
            ck_assert_int_eq(l->proxy_addresses.n, 0);
        }
        if (strcmp(l->command, "smtpd") == 0) {
            char *what = xasprintf("%s smtpd_banner", id);
            pfi_expect_banner(what, &l->banner, v[0], false);
            ck_assert_msg(l->tls_on_connect == (strcasecmp(v[1], "yes") == 0), "%s: smtpd_tls_wrappermode %s", id,
                          v[1]);
            ck_assert_msg(!l->teaser.present && !l->pass_service, "%s: smtpd with a teaser", id);
            free(what);
        } else {
            char *what = xasprintf("%s postscreen_greet_banner", id);
            pfi_expect_banner(what, &l->teaser, v[0], true);
            free(what);
            /* the pass service: its scope, in its own postconf call */
            const struct pf_service *pass = pf_mastercf_find(&mastercf, v[1], "pass");
            if (!pass) {
                ck_assert_msg(!l->pass_service && !l->banner.present, "%s: no %s/pass, parser has '%s'", id, v[1],
                              l->pass_service ? l->pass_service : "");
            } else {
                char *pass_id = xasprintf("%s/pass", v[1]);
                ck_assert_msg(l->pass_service && strcmp(l->pass_service, pass_id) == 0, "%s: pass %s, parser %s",
                              id, pass_id, l->pass_service ? l->pass_service : "(none)");
                struct strbuf s2 = STRBUF_INIT;
                pfi_oracle_call(&s2, dir, pout, v[1], "pass", "smtpd_banner");
                char *o2 = NULL;
                ck_assert_int_eq(pf_oracle_run(host, setup, s2.buf, &o2, NULL), 0);
                const char *c2 = o2;
                char **pv = pfi_oracle_block(&c2, 1);
                ck_assert_msg(pv != NULL, "%s: postconf fails in the scope of %s", id, pass_id);
                char *pwhat = xasprintf("%s pass %s smtpd_banner", id, pass_id);
                pfi_expect_banner(pwhat, &l->banner, pv[0], false);
                free(pwhat);
                pfi_free_lines(pv, 1);
                free(o2);
                strbuf_release(&s2);
                free(pass_id);
            }
        }
        compared++;
        pfi_free_lines(v, 2);
        free(name);
    }
    ck_assert_msg(seen == set.n, "%s: postconf knows %zu listeners, the parser %zu", dir, seen, set.n);

    /* domains: each of ours is a token of postconf's value of its list, and
     * every FQDN token postconf prints is ours or left out for a reason */
    static const char *const lists[] = { "mydestination", "virtual_mailbox_domains", "virtual_alias_domains" };
    const char *values[] = { m[M_DEST], m[M_VMD], m[M_VAD] };
    for (size_t d = 0; d < set.ndomains; d++) {
        const struct listener_domain *dom = &set.domains[d];
        size_t li = 0;
        while (li < 3 && strcmp(lists[li], dom->source) != 0)
            li++;
        ck_assert_msg(li < 3 && pfi_token_in(values[li], dom->name), "%s: domain %s is not in postconf's %s '%s'", dir,
                      dom->name, dom->source, li < 3 ? values[li] : "?");
        ck_assert_msg(!hostname_equal(dom->name, m[M_HOST]), "%s: the host's own name %s is a domain", dir, dom->name);
    }
    size_t literal = 0;
    for (size_t li = 0; li < 3; li++) {
        char *copy = xstrdup(values[li]);
        char *save = NULL;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            if (strchr(tok, ':') || *tok == '/' || *tok == '!' || *tok == '.' || *tok == '{' || *tok == '}')
                continue;
            if (!hostname_is_fqdn(tok) || hostname_is_local(tok) || hostname_equal(tok, m[M_HOST]) ||
                strncasecmp(tok, "localhost.", 10) == 0 || strchr(tok, '}'))
                continue;
            bool ours = false;
            for (size_t d = 0; d < set.ndomains && !ours; d++)
                ours = hostname_equal(set.domains[d].name, tok);
            ck_assert_msg(ours || set.domains_dropped > 0, "%s: postconf's %s has %s, the parser does not", dir,
                          lists[li], tok);
            literal++;
        }
        free(copy);
    }
    (void)literal;
    pfi_free_lines(m, M_N);
    strlist_free(&ids);
done:
    if (tmpdir) {
        ts_rmtree(tmpdir);
        free(tmpdir);
    }
    free(setup);
    free(pout);
    free(fout);
    free(out);
    free(err);
    strbuf_release(&script);
    listener_set_free(&set);
    pf_mastercf_free(&mastercf);
    pf_maincf_free(&maincf);
    diag_list_free(&diags);
    return compared;
}

START_TEST(pfi_oracle_case)
{
    if (!ts_is_root()) {
        tsupport_skip("pf_inbound oracle", "needs root (unshare -u to pin the host name)");
        return;
    }
    ck_assert_msg(ts_run("command -v postconf", NULL, NULL) == 0, "postconf is not installed: run sh tests/install-deps.sh");
    const char *name = pfi_cases.items[_i];
    char *dir = xasprintf("%s/%s", PFI_SAMPLES, name);
    char *host = samples_hostname(dir);
    long n = pfi_oracle_dir(dir, host);
    /* the inbound samples must give the oracle all their listeners to compare */
    static const struct {
        const char *name;
        long listeners;
    } want[] = { { "corpus-mailcow", 10 },          { "debian-default", 1 },         { "inbound-domains", 1 },
                 { "inbound-listen-addresses", 7 }, { "inbound-postscreen-pass", 2 } };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (strcmp(want[i].name, name) == 0)
            ck_assert_msg(n == want[i].listeners, "%s: %ld listeners compared, expected %ld", name, n,
                          want[i].listeners);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = xasprintf("%s/%s", dir, e->d_name);
        char *maincf = xasprintf("%s/main.cf", sub);
        struct stat st;
        if (stat(maincf, &st) == 0)
            pfi_oracle_dir(sub, host);
        free(maincf);
        free(sub);
    }
    if (d)
        closedir(d);
    free(host);
    free(dir);
}
END_TEST

/* ---- unit cases with exact values ---- */

/* A temporary instance with this main.cf and master.cf. */
static char *pfi_instance(const char *maincf, const char *mastercf)
{
    char *dir = ts_tmpdir("pfi");
    char *p = xasprintf("%s/main.cf", dir);
    ts_write_file(p, maincf);
    free(p);
    p = xasprintf("%s/master.cf", dir);
    ts_write_file(p, mastercf);
    free(p);
    return dir;
}

static const struct listener *pfi_listener(const struct listener_set *set, const char *dir, const char *svc)
{
    char *id = xasprintf("postfix:%s:%s", dir, svc);
    const struct listener *l = listener_find(set, id);
    ck_assert_msg(l != NULL, "no listener %s", id);
    free(id);
    return l;
}

static bool pfi_has_diag(const struct diag_list *diags, enum diag_level level, const char *needle)
{
    for (size_t i = 0; i < diags->n; i++)
        if (diags->items[i].level == level && strstr(diags->items[i].message, needle))
            return true;
    return false;
}

START_TEST(pfi_postscreen_sample)
{
    const char *dir = PFI_SAMPLES "/inbound-postscreen-pass";
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, SAMPLES_DEFAULT_HOSTNAME, &set, &diags), 1);
    ck_assert_uint_eq(set.n, 2);
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert_str_eq(l->command, "postscreen");
    ck_assert_uint_eq(l->port, 25);
    ck_assert(l->mx);
    ck_assert_uint_eq(l->all_families, MODEL_FAMILY_BIT(MODEL_IPV4));
    ck_assert(l->teaser.present);
    ck_assert_str_eq(l->teaser.text, "mx1.example.com ESMTP ready");
    ck_assert_str_eq(l->teaser.hostname, "mx1.example.com");
    ck_assert_str_eq(l->teaser.host_param, "myhostname");
    ck_assert_str_eq(l->pass_service, "smtpd/pass");
    ck_assert_str_eq(l->banner.text, "mx-pass.example.com ESMTP Postfix (Debian/GNU)");
    ck_assert_str_eq(l->banner.hostname, "mx-pass.example.com");
    ck_assert_str_eq(l->banner.host_param, "myhostname");
    ck_assert_int_eq(l->banner.host_origin.kind, MODEL_ORIGIN_OVERRIDE);
    ck_assert_int_eq(l->banner.origin.kind, MODEL_ORIGIN_FILE);
    ck_assert_uint_eq(l->banner.origin.line, 5);
    ck_assert(!l->banner.dynamic);

    l = pfi_listener(&set, dir, "10025/inet");
    ck_assert_uint_eq(l->port, 10025);
    ck_assert(!l->mx);
    ck_assert(!l->teaser.present);
    ck_assert_str_eq(l->pass_service, "smtpd-other/pass");
    ck_assert_str_eq(l->banner.text, "other.example.com ESMTP at your service");
    ck_assert_str_eq(l->banner.host_param, "smtpd_banner");
    ck_assert_int_eq(l->banner.host_origin.kind, MODEL_ORIGIN_OVERRIDE);

    ck_assert_uint_eq(set.ndomains, 1);
    ck_assert_str_eq(set.domains[0].name, "example.com");
    ck_assert_str_eq(set.domains[0].source, "mydestination");
    ck_assert_uint_eq(diag_count(&diags, DIAG_ERROR), 0);
    listener_set_free(&set);
    diag_list_free(&diags);
}
END_TEST

START_TEST(pfi_addresses_sample)
{
    const char *dir = PFI_SAMPLES "/inbound-listen-addresses";
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, SAMPLES_DEFAULT_HOSTNAME, &set, &diags), 1);
    ck_assert_uint_eq(set.n, 7); /* 26/inet is disabled */
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert_uint_eq(l->addresses.n, 2);
    ck_assert_str_eq(l->addresses.items[0], "192.0.2.40");
    ck_assert_str_eq(l->addresses.items[1], "2001:db8::40");
    ck_assert_uint_eq(l->names.n, 1);
    ck_assert_str_eq(l->names.items[0], "mail-alias.example.org");
    ck_assert_uint_eq(l->all_families, 0);
    ck_assert_uint_eq(l->proxy_addresses.n, 1);
    ck_assert_str_eq(l->proxy_addresses.items[0], "198.51.100.40");
    ck_assert_str_eq(l->banner.text, "mail.example.org ESMTP Postfix");

    l = pfi_listener(&set, dir, "192.0.2.41:smtp/inet");
    ck_assert_uint_eq(l->addresses.n, 1);
    ck_assert_str_eq(l->addresses.items[0], "192.0.2.41");
    ck_assert_uint_eq(l->families, MODEL_FAMILY_BIT(MODEL_IPV4));
    ck_assert_str_eq(l->banner.hostname, "mx41.example.org");
    ck_assert(l->mx);

    l = pfi_listener(&set, dir, "[2001:db8::41]:25/inet");
    ck_assert_str_eq(l->addresses.items[0], "2001:db8::41");
    ck_assert_uint_eq(l->families, MODEL_FAMILY_BIT(MODEL_IPV6));
    ck_assert_str_eq(l->banner.hostname, "mx41v6.example.org");

    l = pfi_listener(&set, dir, "127.0.0.1:10025/inet");
    ck_assert(!l->mx);
    ck_assert_str_eq(l->banner.text, "mail.example.org");
    ck_assert_str_eq(l->banner.host_param, "myhostname");

    l = pfi_listener(&set, dir, "smtps/inet");
    ck_assert_uint_eq(l->port, 465);
    ck_assert(l->tls_on_connect);
    l = pfi_listener(&set, dir, "submission/inet");
    ck_assert_uint_eq(l->port, 587);
    ck_assert(!l->tls_on_connect);
    l = pfi_listener(&set, dir, "2525/inet");
    ck_assert_uint_eq(l->port, 2525);
    ck_assert_ptr_null(listener_find(&set, "postfix:" PFI_SAMPLES "/inbound-listen-addresses:26/inet"));
    listener_set_free(&set);
    diag_list_free(&diags);
}
END_TEST

START_TEST(pfi_domains_sample)
{
    const char *dir = PFI_SAMPLES "/inbound-domains";
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, SAMPLES_DEFAULT_HOSTNAME, &set, &diags), 1);
    ck_assert_uint_eq(set.ndomains, LISTENER_MAX_DOMAINS);
    ck_assert_str_eq(set.domains[0].name, "example.net");
    ck_assert_str_eq(set.domains[1].name, "example.com");
    ck_assert_str_eq(set.domains[2].name, "a01.example.org");
    ck_assert_str_eq(set.domains[19].name, "a18.example.org");
    ck_assert_uint_eq(set.domains_dropped, 3);
    ck_assert_uint_eq(set.ntables, 2); /* virtual_alias_maps is not used: virtual_alias_domains is set */
    ck_assert_str_eq(set.tables[0].table, "/etc/postfix/local-domains");
    ck_assert_str_eq(set.tables[1].table, "inline:{ alias1.example.org, alias2.example.org }");
    ck_assert_str_eq(set.tables[1].source, "virtual_alias_domains");
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert_str_eq(l->banner.text, "mail.example.net ESMTP Postfix (3.7.11)");
    ck_assert_str_eq(l->banner.host_param, "smtpd_banner");
    listener_set_free(&set);
    diag_list_free(&diags);
}
END_TEST

START_TEST(pfi_errors)
{
    char *dir = pfi_instance("myhostname = mx.example.com\ninet_protocols = ipv4\nsmtpd_banner =\n",
                             "smtp inet n - n - - smtpd\n"
                             "[::1]:smtp inet n - n - - smtpd\n"
                             "bad_host!:smtp inet n - n - - smtpd\n"
                             "127.0.0.1: inet n - n - - smtpd\n"
                             "25x inet n - n - - smtpd\n"
                             "smtp2 inet n - n - - postscreen\n"
                             "smtp unix - - n - - smtp\n");
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, "h.example.net", &set, &diags), 1);
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "bad string length 0 < 1: smtpd_banner = "));
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "bad hostname or network address: [::1]:smtp"));
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "valid hostname or network address required in \"bad_host!:smtp\""));
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "missing service information in \"127.0.0.1:\""));
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "garbage after numerical service in \"25x\""));
    ck_assert(pfi_has_diag(&diags, DIAG_ERROR, "but"));
    /* smtp, [::1]:smtp (no address left) and smtp2 are listeners */
    ck_assert_uint_eq(set.n, 3);
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert(l->banner.present);
    ck_assert_str_eq(l->banner.text, "");
    ck_assert_ptr_null(l->banner.hostname);
    l = pfi_listener(&set, dir, "smtp2/inet");
    ck_assert(!l->banner.present);
    ck_assert_ptr_null(l->pass_service);
    l = pfi_listener(&set, dir, "[::1]:smtp/inet");
    ck_assert_uint_eq(l->addresses.n, 0);
    /* the same problem recorded by a second load is not recorded twice */
    size_t before = diags.n;
    struct listener_set again = LISTENER_SET_INIT;
    pfi_load(dir, "h.example.net", &again, &diags);
    ck_assert_uint_eq(diags.n, before);
    listener_set_free(&again);
    listener_set_free(&set);
    diag_list_free(&diags);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(pfi_disable_and_loopback)
{
    char *dir = pfi_instance("myhostname = mx.example.com\ninet_interfaces = loopback-only\n"
                             "master_service_disable = !smtp/inet, inet\n",
                             "smtp inet n - n - - smtpd\n  -o inet_interfaces=all\n"
                             "submission inet n - n - - smtpd\n"
                             "smtp unix - - n - - smtp\n");
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, "h.example.net", &set, &diags), 1);
    ck_assert_uint_eq(set.n, 1);
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert_uint_eq(l->addresses.n, 2);
    ck_assert_str_eq(l->addresses.items[0], "127.0.0.1");
    ck_assert_str_eq(l->addresses.items[1], "::1");
    ck_assert_uint_eq(l->all_families, 0);
    ck_assert_uint_eq(l->notes.n, 2); /* loopback-only, and -o inet_interfaces changes nothing */
    ck_assert_uint_eq(set.notes.n, 1); /* submission is turned off */
    ck_assert_ptr_nonnull(strstr(set.notes.items[0], "submission/inet"));
    ck_assert_uint_eq(set.ndomains, 0); /* default mydestination: own name and localhost forms */
    listener_set_free(&set);
    diag_list_free(&diags);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(pfi_default_banner)
{
    /* no main.cf settings: the compiled-in default, host name from gethostname() */
    char *dir = pfi_instance("", "smtp inet n - n - - smtpd\nsmtp unix - - n - - smtp\n");
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load(dir, "shorthost", &set, &diags), 1);
    const struct listener *l = pfi_listener(&set, dir, "smtp/inet");
    ck_assert_str_eq(l->banner.raw, "$myhostname ESMTP $mail_name");
    ck_assert_str_eq(l->banner.text, "shorthost.localdomain ESMTP Postfix");
    ck_assert_str_eq(l->banner.host_param, "myhostname");
    ck_assert_int_eq(l->banner.origin.kind, MODEL_ORIGIN_DEFAULT);
    ck_assert_int_eq(l->banner.host_origin.kind, MODEL_ORIGIN_DEFAULT);
    ck_assert_str_eq(l->banner.host_origin.note, "gethostname() + .localdomain");
    ck_assert_uint_eq(l->all_families, MODEL_FAMILY_BIT(MODEL_IPV4) | MODEL_FAMILY_BIT(MODEL_IPV6));
    listener_set_free(&set);
    diag_list_free(&diags);
    ts_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(pfi_missing)
{
    struct listener_set set = LISTENER_SET_INIT;
    struct diag_list diags = DIAG_LIST_INIT;
    ck_assert_int_eq(pfi_load("/nonexistent/postfix", "h.example.net", &set, &diags), -1);
    ck_assert_uint_eq(diags.n, 1);
    ck_assert_uint_eq(set.n, 0);
    listener_set_free(&set);
    diag_list_free(&diags);
}
END_TEST

/* ---- the foundation ---- */

START_TEST(listener_basics)
{
    ck_assert_uint_eq(listener_port("smtp"), 25);
    ck_assert_uint_eq(listener_port("25"), 25);
    ck_assert_uint_eq(listener_port("submission"), 587);
    ck_assert_uint_eq(listener_port("submissions"), 465);
    ck_assert_uint_eq(listener_port("smtps"), 465);
    ck_assert_uint_eq(listener_port("65535"), 65535);
    ck_assert_uint_eq(listener_port("65536"), 0);
    ck_assert_uint_eq(listener_port("25x"), 0);
    ck_assert_uint_eq(listener_port("nosuch"), 0);
    ck_assert_uint_eq(listener_port(""), 0);

    char *w = listener_first_word("  mx.example.com ESMTP\n");
    ck_assert_str_eq(w, "mx.example.com");
    free(w);
    w = listener_first_word("a\nb");
    ck_assert_str_eq(w, "a");
    free(w);
    ck_assert_ptr_null(listener_first_word(" \t"));
    ck_assert_ptr_null(listener_first_word(NULL));

    struct listener_set set = LISTENER_SET_INIT;
    struct model_origin o = MODEL_ORIGIN_INIT;
    model_origin_default(&o, NULL);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "Example.COM.", "mydestination", &o, NULL),
                     LISTENER_DOMAIN_ADDED);
    ck_assert_str_eq(set.domains[0].name, "example.com");
    ck_assert_int_eq(listener_domain_add(&set, MODEL_EXIM, "example.com", "local_domains", &o, NULL),
                     LISTENER_DOMAIN_DUPLICATE);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "localhost", "x", &o, NULL), LISTENER_DOMAIN_LOCALHOST);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "localhost.example.com", "x", &o, NULL),
                     LISTENER_DOMAIN_LOCALHOST);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "mx.example.com", "x", &o, "MX.example.com."),
                     LISTENER_DOMAIN_OWN_NAME);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "box.lan", "x", &o, NULL), LISTENER_DOMAIN_PRIVATE);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "single", "x", &o, NULL), LISTENER_DOMAIN_INVALID);
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "a b.example", "x", &o, NULL), LISTENER_DOMAIN_INVALID);
    for (int i = 1; i < LISTENER_MAX_DOMAINS; i++) {
        char *name = xasprintf("d%d.example.org", i);
        ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, name, "x", &o, NULL), LISTENER_DOMAIN_ADDED);
        free(name);
    }
    ck_assert_int_eq(listener_domain_add(&set, MODEL_POSTFIX, "one-more.example.org", "x", &o, NULL),
                     LISTENER_DOMAIN_DROPPED);
    ck_assert_uint_eq(set.ndomains, LISTENER_MAX_DOMAINS);
    ck_assert_uint_eq(set.domains_dropped, 1);
    ck_assert_str_eq(listener_domain_result_tostr(LISTENER_DOMAIN_OWN_NAME), "own-name");

    listener_table_add(&set, MODEL_POSTFIX, "mydestination", "hash:/x", &o);
    listener_table_add(&set, MODEL_POSTFIX, "mydestination", "hash:/x", &o);
    ck_assert_uint_eq(set.ntables, 1);

    struct listener *l = listener_add(&set, MODEL_EXIM);
    ck_assert(listener_address_add(l, "2001:db8::1"));
    ck_assert(listener_address_add(l, "2001:0db8:0::1"));
    ck_assert(!listener_address_add(l, "mail.example.com"));
    ck_assert_uint_eq(l->addresses.n, 1);
    ck_assert_uint_eq(l->families, MODEL_FAMILY_BIT(MODEL_IPV6));
    listener_banner_set_text(&l->banner, "mx.example.org ESMTP");
    ck_assert_str_eq(l->banner.hostname, "mx.example.org");
    listener_banner_set_text(&l->banner, "");
    ck_assert_ptr_null(l->banner.hostname);
    model_origin_free(&o);
    listener_set_free(&set);
}
END_TEST

Suite *pf_inbound_suite(void)
{
    Suite *s = suite_create("pf_inbound");
    samples_cases(PFI_SAMPLES, &pfi_cases);
    int n = (int)(pfi_cases.n ? pfi_cases.n : 1);
    TCase *u = tcase_create("unit");
    tcase_add_test(u, listener_basics);
    tcase_add_test(u, pfi_postscreen_sample);
    tcase_add_test(u, pfi_addresses_sample);
    tcase_add_test(u, pfi_domains_sample);
    tcase_add_test(u, pfi_errors);
    tcase_add_test(u, pfi_disable_and_loopback);
    tcase_add_test(u, pfi_default_banner);
    tcase_add_test(u, pfi_missing);
    suite_add_tcase(s, u);
    TCase *g = tcase_create("golden");
    tcase_add_loop_test(g, pfi_golden_case, 0, n);
    suite_add_tcase(s, g);
    TCase *o = tcase_create("oracle");
    tcase_set_timeout(o, 60);
    tcase_add_loop_test(o, pfi_oracle_case, 0, n);
    suite_add_tcase(s, o);
    return s;
}
