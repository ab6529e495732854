/* scenario - a scenario's mail host in a namespace; see scenario.h. */
#include "tests/support/scenario.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/strbuf.h"
#include "auditor/foundation/xalloc.h"
#include "tests/support/netns.h"
#include "tests/support/tsupport.h"

/* The host's one interface; its veth peer stays in the namespace, so the
 * link is up and the default routes have a next hop on it. */
#define SC_IF "mp0"
#define SC_PEER "mp1"

static int sc_fail(struct scenario *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sc_fail(struct scenario *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof(s->error), fmt, ap);
    va_end(ap);
    return -1;
}

static long long sc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool sc_exists(const char *dir, const char *rel)
{
    char *p = xasprintf("%s/%s", dir, rel);
    bool ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

/* sc_words - split a line at blanks into at most max words (in place). */
static size_t sc_words(char *line, char **w, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < max; tok = strtok(NULL, " \t\r\n"))
        w[n++] = tok;
    return n;
}

/* sc_silent - a UDP socket on 127.0.0.1 inside the namespace that nobody
 * reads: a DNS server that never answers. */
static int sc_silent(struct scenario *s)
{
    int saved = netns_enter(s->ns);
    if (saved < 0)
        return sc_fail(s, "%s", netns_error());
    struct sockaddr_in sin = { 0 };
    socklen_t sl = sizeof(sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    netns_leave(saved);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0
        || getsockname(fd, (struct sockaddr *)&sin, &sl) < 0) {
        if (fd >= 0)
            close(fd);
        return sc_fail(s, "cannot make a silent DNS socket");
    }
    s->silent_fd = fd;
    free(s->dns_server);
    s->dns_server = xasprintf("127.0.0.1:%u", ntohs(sin.sin_port));
    return 0;
}

/* sc_network - build the host described by root/network. */
static int sc_network(struct scenario *s, bool *silent)
{
    char *path = xasprintf("%s/network", s->root);
    char *text = ts_read_file(path, NULL);
    if (!text) {
        sc_fail(s, "cannot read '%s'", path);
        free(path);
        return -1;
    }
    int rc = 0;
    if (netns_sh("ip -n %s link add " SC_IF " type veth peer name " SC_PEER " && ip -n %s link set " SC_IF
                 " up && ip -n %s link set " SC_PEER " up",
                 s->ns, s->ns, s->ns) != 0)
        rc = sc_fail(s, "%s", netns_error());
    unsigned lineno = 0;
    for (char *line = text, *next; rc == 0 && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *rest = line + strspn(line, " \t");
        size_t klen = strcspn(rest, " \t");
        if (klen == 0)
            continue;
        char *k = xstrndup(rest, klen); /* the keyword; rest: its arguments */
        rest += klen;
        rest += strspn(rest, " \t");
        for (size_t len = strlen(rest); len > 0 && (rest[len - 1] == ' ' || rest[len - 1] == '\t'); len--)
            rest[len - 1] = '\0';
        int r = 0;
        if (strcmp(k, "hostname") == 0) {
            free(s->hostname);
            s->hostname = xstrdup(rest);
        } else if (strcmp(k, "address") == 0) {
            bool v6 = strchr(rest, ':') != NULL;
            r = netns_sh("ip -n %s addr add %s dev " SC_IF "%s", s->ns, rest, v6 ? " nodad" : "");
        } else if (strcmp(k, "route4") == 0 || strcmp(k, "route6") == 0) {
            r = netns_sh("ip -n %s -%c route add %s", s->ns, k[5], rest);
        } else if (strcmp(k, "rule4") == 0 || strcmp(k, "rule6") == 0) {
            r = netns_sh("ip -n %s -%c rule add %s", s->ns, k[4], rest);
        } else if (strcmp(k, "sysctl") == 0) {
            r = netns_sh("ip netns exec %s sysctl -qw %s", s->ns, rest);
        } else if (strcmp(k, "wait-temporary") == 0) {
            if (!netns_wait_for(5000, "ip -n %s -6 addr show dev " SC_IF " temporary | grep -q inet6", s->ns))
                rc = sc_fail(s, "%s/network:%u: no temporary IPv6 address appeared", s->root, lineno);
        } else if (strcmp(k, "dns") == 0 && strcmp(rest, "silent") == 0) {
            *silent = true;
        } else {
            rc = sc_fail(s, "%s/network:%u: unknown keyword '%s'", s->root, lineno, k);
        }
        if (r != 0 && rc == 0)
            rc = sc_fail(s, "%s/network:%u: %s", s->root, lineno, netns_error());
        free(k);
    }
    free(text);
    free(path);
    return rc;
}

static int sc_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sc_nsd_start - serve root/zones/ with nsd inside the namespace. */
static int sc_nsd_start(struct scenario *s)
{
    char *zdir = xasprintf("%s/zones", s->root);
    DIR *d = opendir(zdir);
    if (!d) {
        sc_fail(s, "cannot open '%s'", zdir);
        free(zdir);
        return -1;
    }
    struct strlist names = STRLIST_INIT;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.')
            strlist_add(&names, e->d_name);
    closedir(d);
    if (names.n > 1)
        qsort(names.items, names.n, sizeof(char *), sc_cmp_str);
    struct nsd_zone *zones = xcalloc(names.n ? names.n : 1, sizeof(*zones));
    char **origins = xcalloc(names.n ? names.n : 1, sizeof(char *));
    char **texts = xcalloc(names.n ? names.n : 1, sizeof(char *));
    size_t nz = 0;
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        const char *n = names.items[i];
        size_t len = strlen(n);
        char *p = xasprintf("%s/%s", zdir, n);
        if (len > 5 && strcmp(n + len - 5, ".zone") == 0) {
            origins[nz] = xstrndup(n, len - 5);
            texts[nz] = ts_read_file(p, NULL);
            if (!texts[nz])
                rc = sc_fail(s, "cannot read '%s'", p);
            zones[nz].origin = origins[nz];
            zones[nz].text = texts[nz];
            nz++;
        } else if (len > 9 && strcmp(n + len - 9, ".servfail") == 0) {
            origins[nz] = xstrndup(n, len - 9);
            zones[nz].origin = origins[nz];
            zones[nz].text = NULL;
            nz++;
        }
        free(p);
    }
    if (rc == 0) {
        struct nsd_harness_opts o = { s->ns, NULL, 0 };
        if (nsd_harness_start(&s->nsd, zones, nz, &o) != 0)
            rc = sc_fail(s, "nsd: %s", s->nsd.error);
        else {
            s->nsd_running = true;
            free(s->dns_server);
            s->dns_server = xstrdup(nsd_harness_server(&s->nsd));
        }
    }
    for (size_t i = 0; i < nz; i++) {
        free(origins[i]);
        free(texts[i]);
    }
    free(origins);
    free(texts);
    free(zones);
    strlist_free(&names);
    free(zdir);
    return rc;
}

static void sc_nsd_stop(struct scenario *s)
{
    if (s->nsd_running)
        nsd_harness_stop(&s->nsd);
    s->nsd_running = false;
}

int scenario_start(struct scenario *s, const char *name, const char *ns)
{
    memset(s, 0, sizeof(*s));
    s->silent_fd = -1;
    s->ns = ns;
    char cwd[4096];
    if (!getcwd(cwd, sizeof(cwd)))
        return sc_fail(s, "cannot find the current directory");
    s->src = xasprintf("%s/samples/scenarios/%s", cwd, name);
    s->root = xstrdup(s->src);
    s->hostname = xstrdup("mail");
    if (!sc_exists(s->src, "network"))
        return sc_fail(s, "'%s/network' is missing", s->src);
    if (netns_add(ns) != 0)
        return sc_fail(s, "%s", netns_error());
    bool silent = false;
    if (sc_network(s, &silent) != 0)
        return -1;
    return silent ? sc_silent(s) : sc_nsd_start(s);
}

void scenario_stop(struct scenario *s)
{
    sc_nsd_stop(s);
    if (s->silent_fd >= 0)
        close(s->silent_fd);
    s->silent_fd = -1;
    if (s->ns)
        netns_del(s->ns);
    if (s->copy) {
        ts_rmtree(s->copy);
        free(s->copy);
    }
    s->copy = NULL;
    free(s->src);
    free(s->root);
    free(s->hostname);
    free(s->dns_server);
    s->src = s->root = s->hostname = s->dns_server = NULL;
}

/* sc_tail - the part of an identity id after its last ':' (the transport). */
static const char *sc_tail(const char *id)
{
    const char *c = strrchr(id, ':');
    return c ? c + 1 : id;
}

static const char *sc_jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_get_type(v) != json_type_string)
        return NULL;
    return json_object_get_string(v);
}

static void sc_collect_findings(struct scenario_run *r)
{
    json_object *list;
    if (!json_object_object_get_ex(r->json, "findings", &list) || json_object_get_type(list) != json_type_array)
        return;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *f = json_object_array_get_idx(list, i);
        const char *id = sc_jstr(f, "id"), *sev = sc_jstr(f, "severity");
        const char *ident = sc_jstr(f, "identity"), *fam = sc_jstr(f, "family");
        const char *mta = ident && strncmp(ident, "exim:", 5) == 0 ? "exim:" : ident ? "postfix:" : "";
        strlist_addf(&r->findings, "%s %s %s%s %s", sev ? sev : "?", id ? id : "?", mta,
                     ident ? sc_tail(ident) : "-", fam ? fam : "-");
    }
    if (r->findings.n > 1)
        qsort(r->findings.items, r->findings.n, sizeof(char *), sc_cmp_str);
}

int scenario_audit(struct scenario *s, const char *extra, struct scenario_run *r)
{
    memset(r, 0, sizeof(*r));
    r->rc = -1;
    struct strbuf cmd = STRBUF_INIT;
    strbuf_addf(&cmd, "ip netns exec %s '%s' audit --format json --system-hostname '%s' --dns-server %s", s->ns,
                ts_bin(), s->hostname, s->dns_server ? s->dns_server : "127.0.0.1:1");
    if (sc_exists(s->root, "postfix"))
        strbuf_addf(&cmd, " --postfix-dir '%s/postfix'", s->root);
    else
        strbuf_adds(&cmd, " --no-postfix");
    if (sc_exists(s->root, "exim/configure"))
        strbuf_addf(&cmd, " --exim-config '%s/exim/configure'", s->root);
    else if (sc_exists(s->root, "etc/exim4"))
        strbuf_addf(&cmd, " --exim-debian-dir '%s/etc/exim4'", s->root);
    else
        strbuf_adds(&cmd, " --no-exim");
    if (extra && *extra)
        strbuf_addf(&cmd, " %s", extra);
    long long t0 = sc_now_ms();
    r->rc = ts_run(cmd.buf, &r->out, &r->err);
    r->ms = sc_now_ms() - t0;
    r->json = json_tokener_parse(r->out);
    int rc = 0;
    if (!r->json || json_object_get_type(r->json) != json_type_object)
        rc = sc_fail(s, "'%s' exited %d without JSON: %s%s", cmd.buf, r->rc, r->out, r->err);
    else
        sc_collect_findings(r);
    strbuf_release(&cmd);
    return rc;
}

void scenario_run_free(struct scenario_run *r)
{
    free(r->out);
    free(r->err);
    if (r->json)
        json_object_put(r->json);
    strlist_free(&r->findings);
    memset(r, 0, sizeof(*r));
}

char *scenario_findings_str(const struct scenario_run *r)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "");
    for (size_t i = 0; i < r->findings.n; i++)
        strbuf_addf(&sb, "%s%s", i ? "; " : "", r->findings.items[i]);
    return strbuf_detach(&sb);
}

int scenario_copy(struct scenario *s)
{
    s->copy = ts_tmpdir("scenario");
    char *err = NULL;
    char *cmd = xasprintf("cp -a '%s/.' '%s/'", s->src, s->copy);
    int rc = ts_run(cmd, NULL, &err);
    free(cmd);
    if (rc != 0) {
        sc_fail(s, "cannot copy '%s': %s", s->src, err);
        free(err);
        return -1;
    }
    free(err);
    free(s->root);
    s->root = xstrdup(s->copy);
    return 0;
}

/* sc_under - path is dir or below it. */
static bool sc_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* sc_map - a path printed for the samples (or, after a first round, for
 * the copy), as the same path in the copy. */
static char *sc_map(const struct scenario *s, const char *path)
{
    if (sc_under(path, s->copy))
        return xstrdup(path);
    if (sc_under(path, s->src))
        return xasprintf("%s%s", s->copy, path + strlen(s->src));
    return NULL;
}

/* sc_lower_nodot - name lowercased without its trailing dot. */
static char *sc_lower_nodot(const char *name)
{
    char *c = xstrdup(name);
    size_t len = strlen(c);
    if (len > 1 && c[len - 1] == '.')
        c[len - 1] = '\0';
    for (char *p = c; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

/* sc_in_zone - name is origin or below it. */
static bool sc_in_zone(const char *name, const char *origin)
{
    size_t ln = strlen(name), lo = strlen(origin);
    if (ln < lo || strcmp(name + ln - lo, origin) != 0)
        return false;
    return ln == lo || name[ln - lo - 1] == '.';
}

/* sc_zone_for - the file of the most specific zone of the copy that holds
 * name (lowercase, no trailing dot), with its origin; NULL when none. */
static char *sc_zone_for(const struct scenario *s, const char *name, char **origin)
{
    char *zdir = xasprintf("%s/zones", s->root);
    DIR *d = opendir(zdir);
    char *best = NULL;
    *origin = NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".zone") != 0)
            continue;
        char *o = sc_lower_nodot(e->d_name);
        o[len - 5] = '\0';
        if (sc_in_zone(name, o) && (!*origin || strlen(o) > strlen(*origin))) {
            free(*origin);
            free(best);
            *origin = o;
            best = xasprintf("%s/%s", zdir, e->d_name);
        } else {
            free(o);
        }
    }
    if (d)
        closedir(d);
    free(zdir);
    return best;
}

/* sc_zone_add - add the record "OWNER. IN TYPE DATA" to the zone that holds
 * OWNER; with replace, remove the owner's records of that type first (the
 * provider sets the PTR: it replaces what was there). */
static int sc_zone_add(struct scenario *s, const char *record, bool replace)
{
    char *copy = xstrdup(record), *w[8];
    size_t n = sc_words(copy, w, 8);
    if (n < 4 || strcasecmp(w[1], "IN") != 0) {
        free(copy);
        return sc_fail(s, "record '%s' is not 'OWNER IN TYPE DATA'", record);
    }
    char *owner = sc_lower_nodot(w[0]);
    char *type = xstrdup(w[2]);
    free(copy);
    char *origin = NULL;
    char *file = sc_zone_for(s, owner, &origin);
    if (!file) {
        sc_fail(s, "no zone of the scenario holds '%s' (record '%s')", owner, record);
        free(owner);
        free(type);
        return -1;
    }
    char *text = ts_read_file(file, NULL);
    struct strbuf out = STRBUF_INIT;
    char *cur_origin = xstrdup(origin), *last_owner = xstrdup(origin);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        bool drop = false;
        char *lc = xstrdup(line);
        char *hash = strchr(lc, ';');
        if (hash)
            *hash = '\0';
        bool cont = lc[0] == ' ' || lc[0] == '\t';
        size_t nw = sc_words(lc, w, 8);
        if (nw >= 2 && strcasecmp(w[0], "$ORIGIN") == 0) {
            free(cur_origin);
            cur_origin = sc_lower_nodot(w[1]);
        } else if (nw >= 2 && w[0][0] != '$') {
            char *own;
            if (cont)
                own = xstrdup(last_owner);
            else if (strcmp(w[0], "@") == 0)
                own = xstrdup(cur_origin);
            else if (w[0][strlen(w[0]) - 1] == '.')
                own = sc_lower_nodot(w[0]);
            else {
                char *rel = sc_lower_nodot(w[0]);
                own = xasprintf("%s.%s", rel, cur_origin);
                free(rel);
            }
            for (size_t i = cont ? 0 : 1; i < nw && i < 4; i++)
                if (strcasecmp(w[i], type) == 0 && replace && strcmp(own, owner) == 0)
                    drop = true;
            free(last_owner);
            last_owner = own;
        }
        free(lc);
        if (!drop)
            strbuf_addf(&out, "%s\n", line);
    }
    strbuf_addf(&out, "%s\n", record);
    ts_write_file(file, out.buf);
    strbuf_release(&out);
    free(text);
    free(cur_origin);
    free(last_owner);
    free(file);
    free(origin);
    free(owner);
    free(type);
    return 0;
}

/* sc_option_name - the option or macro a configuration line sets. */
static char *sc_option_name(const char *line)
{
    const char *p = line + strspn(line, " \t");
    return xstrndup(p, strcspn(p, " \t="));
}

/* sc_exim_apply - add line to file as the fix text says: to a transport
 * after its driver line, or to the main section / macro file; an existing
 * line for the same option is replaced (Exim refuses an option set twice). */
static int sc_exim_apply(struct scenario *s, const char *file, const char *line, const char *text)
{
    char *path = sc_map(s, file);
    if (!path)
        return sc_fail(s, "exim-config fix names '%s', which is not a file of the scenario", file);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sc_fail(s, "exim-config fix names the directory '%s', not a file", file);
        free(path);
        return -1;
    }
    char *old = ts_read_file(path, NULL);
    if (!old)
        old = xstrdup("");
    char *opt = sc_option_name(line);
    const char *tp = strstr(text, "to the transport '");
    char *transport = NULL;
    if (tp) {
        tp += strlen("to the transport '");
        transport = xstrndup(tp, strcspn(tp, "'"));
    }
    struct strbuf out = STRBUF_INIT;
    bool placed = false, in_transport = false, replaced = false;
    bool main_section = true;
    for (char *l = old, *next; l && *l; l = next) {
        next = strchr(l, '\n');
        if (next)
            *next++ = '\0';
        const char *t = l + strspn(l, " \t");
        char *name = sc_option_name(l);
        if (strncmp(t, "begin", 5) == 0 && (t[5] == ' ' || t[5] == '\t' || t[5] == '\0'))
            main_section = false;
        if (transport) {
            size_t tl = strlen(transport);
            if (strncmp(t, transport, tl) == 0 && t[tl + strspn(t + tl, " \t")] == ':')
                in_transport = true;
            else if (in_transport && *t && *t != '#' && strchr(t, ':') && !strchr(t, '=') && t[strlen(t) - 1] == ':')
                in_transport = false;
            if (in_transport && strcmp(name, opt) == 0) {
                free(name);
                continue; /* the printed line replaces it */
            }
            strbuf_addf(&out, "%s\n", l);
            if (in_transport && !placed && strcmp(name, "driver") == 0) {
                strbuf_addf(&out, "  %s\n", line);
                placed = true;
            }
        } else if (main_section && !replaced && strcmp(name, opt) == 0) {
            strbuf_addf(&out, "%s\n", line);
            replaced = placed = true;
        } else {
            strbuf_addf(&out, "%s\n", l);
        }
        free(name);
    }
    int rc = 0;
    char *result = NULL;
    if (!placed && transport)
        rc = sc_fail(s, "exim-config fix: no transport '%s' with a driver line in '%s'", transport, file);
    else if (!placed && strstr(text, "main section"))
        result = xasprintf("%s\n%s", line, out.buf); /* the top of the file is in the main section */
    else if (!placed)
        result = xasprintf("%s%s\n", out.buf, line); /* a macro file: append */
    else
        result = strbuf_detach(&out);
    if (result)
        ts_write_file(path, result);
    free(result);
    strbuf_release(&out);
    free(transport);
    free(opt);
    free(old);
    free(path);
    return rc;
}

/* sc_postconf - run the printed command with -c pointing at the copy (as
 * printed when the audit already ran on the copy). */
static int sc_postconf(struct scenario *s, const char *command)
{
    char *from = xasprintf("-c %s/postfix ", strstr(command, s->copy) ? s->copy : s->src);
    const char *at = strstr(command, from);
    if (strncmp(command, "postconf ", 9) != 0 || !at || strstr(at + 1, from)) {
        sc_fail(s, "postconf fix '%s' does not name '%s/postfix' once", command, s->src);
        free(from);
        return -1;
    }
    char *cmd = xasprintf("%.*s-c %s/postfix %s", (int)(at - command), command, s->copy, at + strlen(from));
    char *out = NULL, *err = NULL;
    int rc = ts_run(cmd, &out, &err);
    int ret = 0;
    if (rc != 0 || *err)
        ret = sc_fail(s, "'%s' exited %d: %s%s", cmd, rc, out, err);
    free(out);
    free(err);
    free(cmd);
    free(from);
    return ret;
}

/* sc_kind_in - kind is one of the comma-separated kinds (NULL: all). */
static bool sc_kind_in(const char *kind, const char *kinds)
{
    if (!kinds)
        return true;
    size_t n = strlen(kind);
    for (const char *p = kinds; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, kind, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

int scenario_apply_fixes(struct scenario *s, const struct scenario_run *r, const char *kinds,
                         struct strlist *applied)
{
    if (!s->copy)
        return sc_fail(s, "scenario_apply_fixes needs scenario_copy first");
    json_object *list;
    if (!json_object_object_get_ex(r->json, "findings", &list))
        return sc_fail(s, "no findings in the JSON");
    int n = 0;
    bool zones_changed = false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *f = json_object_array_get_idx(list, i), *fixes;
        if (!json_object_object_get_ex(f, "fixes", &fixes))
            continue;
        for (size_t j = 0; j < json_object_array_length(fixes); j++) {
            json_object *x = json_object_array_get_idx(fixes, j);
            const char *kind = sc_jstr(x, "kind"), *text = sc_jstr(x, "text");
            const char *command = sc_jstr(x, "command"), *record = sc_jstr(x, "record");
            const char *file = sc_jstr(x, "file"), *line = sc_jstr(x, "line");
            int rc = 0;
            if (!kind || !text)
                return sc_fail(s, "a fix without kind or text");
            if (!sc_kind_in(kind, kinds))
                continue;
            if (strcmp(kind, "postconf") == 0) {
                rc = command ? sc_postconf(s, command) : sc_fail(s, "postconf fix without command");
                if (rc == 0)
                    strlist_addf(applied, "postconf: %s", command);
            } else if (strcmp(kind, "provider-ptr") == 0 || strcmp(kind, "dns-record") == 0) {
                rc = record ? sc_zone_add(s, record, strcmp(kind, "provider-ptr") == 0)
                            : sc_fail(s, "%s fix without record", kind);
                zones_changed = true;
                if (rc == 0)
                    strlist_addf(applied, "%s: %s", kind, record);
            } else if (strcmp(kind, "exim-config") == 0) {
                rc = file && line ? sc_exim_apply(s, file, line, text) : sc_fail(s, "exim-config fix without file");
                if (rc == 0)
                    strlist_addf(applied, "exim-config: %s in %s", line, file);
            } else if (strcmp(kind, "sysctl") == 0) {
                if (!command || strncmp(command, "sysctl ", 7) != 0)
                    rc = sc_fail(s, "sysctl fix without a sysctl command");
                else if (netns_sh("ip netns exec %s %s", s->ns, command) != 0)
                    rc = sc_fail(s, "%s", netns_error());
                if (rc == 0)
                    strlist_addf(applied, "sysctl: %s", command);
            } else if (strcmp(kind, "note") == 0) {
                continue;
            } else {
                rc = sc_fail(s, "unknown fix kind '%s'", kind);
            }
            if (rc != 0)
                return -1;
            n++;
        }
    }
    if (zones_changed) {
        sc_nsd_stop(s);
        if (sc_nsd_start(s) != 0)
            return -1;
    }
    return n;
}

char *scenario_tree_digest(const char *dir)
{
    char *cmd = xasprintf("cd '%s' && find . -type f -print0 | sort -z | xargs -0 sha256sum", dir);
    char *out = NULL;
    ts_run(cmd, &out, NULL);
    free(cmd);
    return out;
}
