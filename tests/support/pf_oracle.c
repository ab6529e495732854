/* pf_oracle - the real postconf as the oracle; see pf_oracle.h. */
#include "tests/support/pf_oracle.h"

#include <stdlib.h>
#include <string.h>

#include "auditor/fix.h"
#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "parsers/pf_scope.h"
#include "tests/support/tsupport.h"

void pf_oracle_quote(struct strbuf *sb, const char *s)
{
    char *q = fix_shell_quote(s);
    strbuf_adds(sb, q);
    free(q);
}

/* One inet_interfaces value: its addresses onto the loopback, its host
 * names under made-up addresses into the hosts file. */
static void pf_oracle_interfaces(struct strbuf *setup, struct strbuf *hosts, const char *value, unsigned *fake)
{
    char *copy = xstrdup(value ? value : "");
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        if (strcmp(tok, "all") == 0 || strcmp(tok, "loopback-only") == 0)
            continue;
        size_t len = strlen(tok);
        char *addr = (tok[0] == '[' && len > 2 && tok[len - 1] == ']') ? xstrndup(tok + 1, len - 2) : xstrdup(tok);
        if (strspn(addr, "0123456789.") == strlen(addr)) {
            strbuf_addf(setup, "ip addr add %s/32 dev lo 2>/dev/null; ", addr);
        } else if (strspn(addr, "0123456789abcdefABCDEF:.") == strlen(addr)) {
            strbuf_addf(setup, "ip addr add %s/128 dev lo nodad 2>/dev/null; ", addr);
        } else if (strspn(addr, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == strlen(addr)) {
            unsigned n = ++*fake;
            strbuf_addf(setup, "ip addr add 198.18.0.%u/32 dev lo 2>/dev/null; ", n);
            strbuf_addf(hosts, "198.18.0.%u %s\n", n, addr);
        }
        free(addr);
    }
    free(copy);
}

char *pf_oracle_setup(const struct pf_maincf *maincf, const struct pf_mastercf *mastercf, const char *host,
                      char **tmpdir)
{
    struct strbuf setup = STRBUF_INIT, hosts = STRBUF_INIT;
    unsigned fake = 0;
    struct pf_scope main_scope = { maincf, mastercf, NULL, host, NULL };
    struct pf_value v = PF_VALUE_INIT;
    pf_scope_get(&main_scope, "inet_interfaces", &v);
    pf_oracle_interfaces(&setup, &hosts, v.value, &fake);
    pf_value_free(&v);
    for (size_t i = 0; i < mastercf->n; i++) {
        const char *o = pf_mastercf_override(&mastercf->items[i], "inet_interfaces");
        if (o)
            pf_oracle_interfaces(&setup, &hosts, o, &fake);
    }
    *tmpdir = NULL;
    if (hosts.len) {
        *tmpdir = ts_tmpdir("pf-hosts");
        char *hosts_file = xasprintf("%s/hosts", *tmpdir);
        strbuf_adds(&hosts, "127.0.0.1 localhost\n");
        ts_write_file(hosts_file, hosts.buf);
        strbuf_adds(&setup, "mount --bind ");
        pf_oracle_quote(&setup, hosts_file);
        strbuf_adds(&setup, " /etc/hosts || exit 97; ");
        free(hosts_file);
    }
    strbuf_release(&hosts);
    return strbuf_detach(&setup);
}

int pf_oracle_run(const char *host, const char *setup, const char *script, char **out, char **err)
{
    struct strbuf inner = STRBUF_INIT, cmd = STRBUF_INIT;
    strbuf_adds(&inner, "hostname ");
    pf_oracle_quote(&inner, host);
    strbuf_addf(&inner, " || exit 97; ip link set lo up || exit 97; %s %s", setup, script);
    strbuf_adds(&cmd, "unshare -u -n -m sh -c ");
    pf_oracle_quote(&cmd, inner.buf);
    int rc = ts_run(cmd.buf, out, err);
    strbuf_release(&inner);
    strbuf_release(&cmd);
    return rc;
}

char *pf_oracle_printed(const char *value)
{
    struct strbuf sb = STRBUF_INIT;
    const char *cp = value ? value : "";
    for (;;) {
        cp += strspn(cp, " \t\r\n");
        if (!*cp)
            break;
        size_t len = strcspn(cp, " \t\r\n");
        if (sb.len)
            strbuf_addc(&sb, ' ');
        strbuf_add(&sb, cp, len);
        cp += len;
    }
    return strbuf_detach(&sb);
}

void pf_oracle_overrides(const char *pout, const char *name, const char *type, struct strlist *out)
{
    char *prefix = xasprintf("%s/%s/", name, type);
    size_t plen = strlen(prefix);
    for (const char *line = pout; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > plen && strncmp(line, prefix, plen) == 0) {
            char *entry = xstrndup(line + plen, len - plen);
            char *eq = strstr(entry, " = ");
            if (eq) {
                *eq = '\0';
                strlist_add_owned(out, xasprintf("%s=%s", entry, eq + 3));
            } else if ((eq = strstr(entry, " =")) && eq[2] == '\0') {
                *eq = '\0';
                strlist_add_owned(out, xasprintf("%s=", entry));
            }
            free(entry);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(prefix);
}
