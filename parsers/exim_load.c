/* exim_load - discovery and reading of the Exim configuration; see
 * exim_load.h. */
#include "parsers/exim_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auditor/foundation/xalloc.h"
#include "parsers/exim_debian.h"
#include "parsers/exim_reader.h"

bool exim_load_owner_ok(unsigned uid, unsigned gid, unsigned mode)
{
    return uid == 0 && !(gid != 0 && (mode & 020)) && !(mode & 02);
}

/* The ownership check for a file Exim reads as its own configuration;
 * false (recorded) when Exim would refuse it. */
static bool exim_load_check_owner(const char *path, struct diag_list *diags)
{
    struct stat st;
    if (stat(path, &st) == 0 && !exim_load_owner_ok((unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, "Exim configuration file %s has the wrong owner, group, or mode", path);
        return false;
    }
    return true;
}

static int exim_load_file(const char *path, const char *how, struct exim_loaded *out, struct diag_list *diags)
{
    struct exim_reader *r = exim_reader_new(diags);
    out->how = xstrdup(how);
    if (exim_reader_open_file(r, path) != 0) {
        out->cfg.path = xstrdup(path);
        exim_reader_free(r);
        return -1;
    }
    exim_options_read(r, path, &out->cfg);
    exim_reader_free(r);
    return 1;
}

/* Read a file Exim reads as its own configuration (not through -C). */
static int exim_load_own(const char *path, const char *how, struct exim_loaded *out, struct diag_list *diags)
{
    bool ok = exim_load_check_owner(path, diags);
    int rc = exim_load_file(path, how, out, diags);
    if (!ok)
        out->cfg.failed = true;
    return rc;
}

/* A configuration that cannot be read: recorded already, the path is p. */
static int exim_load_unreadable(const char *path, const char *how, struct exim_loaded *out)
{
    out->cfg.path = xstrdup(path);
    out->how = xstrdup(how);
    return -1;
}

/* What update-exim4.conf read from the mailname file, kept in out. */
static void exim_load_mailname(struct exim_loaded *out, const struct exim_debian_paths *p,
                               struct exim_debian_conf *c)
{
    if (!c->mailname)
        return;
    out->mailname = c->mailname;
    c->mailname = NULL;
    out->mailname_path = xstrdup(p->mailname);
}

static int exim_load_debian(const char *dir, const struct model_host *host, bool given, struct exim_loaded *out,
                            struct diag_list *diags)
{
    struct exim_debian_paths p;
    exim_debian_paths_init(&p, dir);
    const char *hostname = host ? host->hostname : NULL;
    const char *mailname = model_host_path(host, p.mailname);
    if (mailname != p.mailname) {
        free(p.mailname);
        p.mailname = xstrdup(mailname);
    }
    int rc;
    const char *flag = given ? " (--exim-debian-dir)" : "";
    struct stat st;
    char *ue4cc = xasprintf("%s/update-exim4.conf.conf", p.confdir);
    int has_conf = 0, has_ue4cc = 0, has_generated = 0;
    if (given && stat(p.confdir, &st) != 0) {
        diag_add_unreadable(diags, NULL, 0, p.confdir, "read", errno);
        rc = exim_load_unreadable(p.conf, "--exim-debian-dir", out);
    } else if (given && !S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_UNREADABLE, NULL, 0, "'%s' is not a directory", p.confdir);
        rc = exim_load_unreadable(p.conf, "--exim-debian-dir", out);
    } else if ((has_conf = exim_debian_probe(p.conf, diags)) < 0 ||
               (has_ue4cc = exim_debian_probe(ue4cc, diags)) < 0 ||
               (has_generated = exim_debian_probe(p.generated, diags)) < 0) {
        rc = exim_load_unreadable(p.conf, given ? "--exim-debian-dir" : "default location", out);
    } else if (has_conf) {
        char *how = xasprintf("exim4.conf in %s%s, which Exim prefers to the generated configuration", p.confdir,
                              flag);
        rc = given ? exim_load_file(p.conf, how, out, diags) : exim_load_own(p.conf, how, out, diags);
        free(how);
    } else if (!has_ue4cc) {
        if (has_generated) {
            char *how = xasprintf("generated configuration%s (no update-exim4.conf.conf in %s)", flag, p.confdir);
            rc = given ? exim_load_file(p.generated, how, out, diags) : exim_load_own(p.generated, how, out, diags);
            free(how);
        } else {
            /* only reached for a given directory: a default one has one of them */
            diag_add(diags, DIAG_UNREADABLE, NULL, 0,
                     "no Exim configuration in '%s': neither exim4.conf nor update-exim4.conf.conf exists",
                     p.confdir);
            rc = exim_load_unreadable(p.conf, "--exim-debian-dir", out);
        }
    } else {
        char *why = NULL;
        out->debian_dir = xstrdup(p.confdir);
        size_t unreadable = diag_count(diags, DIAG_UNREADABLE);
        int stale = exim_debian_stale(&p, &why, diags);
        if (diag_count(diags, DIAG_UNREADABLE) > unreadable) {
            /* whether the generated file is current cannot be known */
            rc = exim_load_unreadable(p.generated, given ? "--exim-debian-dir" : "default location", out);
        } else if (!stale) {
            char *how = xasprintf("generated by update-exim4.conf from %s%s, current", p.confdir, flag);
            rc = given ? exim_load_file(p.generated, how, out, diags) : exim_load_own(p.generated, how, out, diags);
            free(how);
            /* Only to learn the layout the admin edits; the generated file
             * was read, so problems of its sources are not reported. */
            struct diag_list scratch = DIAG_LIST_INIT;
            struct exim_debian_conf c;
            if (exim_debian_assemble(&p, hostname, &c, &scratch) == 0) {
                out->debian_split = c.split;
                exim_load_mailname(out, &p, &c);
            }
            exim_debian_conf_free(&c);
            diag_list_free(&scratch);
        } else {
            struct exim_debian_conf c;
            out->assembled = true;
            out->cfg.path = NULL;
            size_t before = diag_count(diags, DIAG_UNREADABLE);
            int arc = exim_debian_assemble(&p, hostname, &c, diags);
            if (arc != 0 && diag_count(diags, DIAG_UNREADABLE) > before) {
                out->how = xasprintf("update-exim4.conf's sources in %s%s, not all readable", p.confdir, flag);
                out->cfg.path = xstrdup(p.generated);
                rc = -1;
            } else if (arc != 0) {
                out->how = xasprintf("update-exim4.conf would fail on %s%s", p.confdir, flag);
                out->cfg.path = xstrdup(p.generated);
                out->cfg.failed = true;
                rc = 1;
            } else {
                out->how = xasprintf("assembled as update-exim4.conf would, from update-exim4.conf.conf and %s in "
                                     "%s%s: %s",
                                     c.split               ? "conf.d"
                                     : c.localmacros ? "exim4.conf.localmacros and exim4.conf.template"
                                                     : "exim4.conf.template",
                                     p.confdir,
                                     flag, why);
                out->debian_split = c.split;
                exim_load_mailname(out, &p, &c);
                if (has_generated)
                    strlist_addf(&out->notes,
                                 "Exim reads the older '%s' until update-exim4.conf runs again (Debian's exim4 "
                                 "service runs it when it starts or reloads); shown is what it would generate",
                                 p.generated);
                for (size_t i = 0; i < c.notes.n; i++)
                    strlist_add(&out->notes, c.notes.items[i]);
                struct exim_reader *r = exim_reader_new(diags);
                exim_reader_open_text(r, p.generated, c.text, c.len, c.map, c.nmap);
                exim_options_read(r, p.generated, &out->cfg);
                exim_reader_free(r);
                rc = 1;
            }
            exim_debian_conf_free(&c);
        }
        free(why);
    }
    free(ue4cc);
    exim_debian_paths_free(&p);
    return rc;
}

int exim_load(const char *config_file, const char *debian_dir, const struct model_host *host,
              struct exim_loaded *out, struct diag_list *diags)
{
    memset(out, 0, sizeof(*out));
    if (config_file)
        return exim_load_file(config_file, "--exim-config", out, diags);
    if (debian_dir)
        return exim_load_debian(debian_dir, host, true, out, diags);
    /* A default location that does not exist is no configuration; one that
     * cannot be examined is an unreadable one. */
    int conf = exim_debian_probe("/etc/exim4/exim4.conf", diags);
    int ue4cc = conf == 0 ? exim_debian_probe("/etc/exim4/update-exim4.conf.conf", diags) : 0;
    if (conf < 0 || ue4cc < 0)
        return exim_load_unreadable("/etc/exim4/exim4.conf", "default location", out);
    if (conf || ue4cc)
        return exim_load_debian("/etc/exim4", host, false, out, diags);
    static const char *const defaults[] = {
        "/var/lib/exim4/config.autogenerated",
        "/etc/exim/exim.conf",
        "/etc/exim/configure",
        "/usr/local/etc/exim/configure",
    };
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        int found = exim_debian_probe(defaults[i], diags);
        if (found < 0)
            return exim_load_unreadable(defaults[i], "default location", out);
        if (found)
            return exim_load_own(defaults[i], "default location", out, diags);
    }
    return 0;
}

void exim_load_free(struct exim_loaded *out)
{
    exim_options_free(&out->cfg);
    free(out->how);
    free(out->debian_dir);
    free(out->mailname);
    free(out->mailname_path);
    strlist_free(&out->notes);
    memset(out, 0, sizeof(*out));
}
