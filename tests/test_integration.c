/* test_integration - the files that run mta-preflight regularly
 * (auditor/integration/), each checked by the real component that reads it:
 * install.sh and 'make install'/'make uninstall'; systemd-analyze on the units;
 * the cron line parsed field by field and run as cron runs it; the apt hook
 * with real apt, dpkg and test packages; promtool on the rules and on the
 * program's real metrics, node_exporter's textfile collector; a real NRPE
 * daemon with check_nrpe; a real Icinga 2 running the check.
 *
 * Runs that need the network or a resolver happen inside
 * tests/integration/sandbox.sh (new mount and network namespaces: a known
 * resolv.conf, loopback only or a fake uplink), so nothing depends on the
 * host's DNS. A check whose tool is missing prints "skipped NAME: why".
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auditor/foundation/xalloc.h"
#include "tests/support/suites.h"
#include "tests/support/tsupport.h"

#define SANDBOX "sh tests/integration/sandbox.sh"
#define APT_HOOK "sh tests/integration/apt_hook.sh"
#define MONITOR "sh tests/integration/monitor.sh"

/* Strings made during one test, freed by the checked teardown. */
static char *gc_items[512];
static size_t gc_n;

static char *gc(char *p)
{
    ck_assert_uint_lt(gc_n, sizeof(gc_items) / sizeof(gc_items[0]));
    gc_items[gc_n++] = p;
    return p;
}

static void gc_free_all(void)
{
    while (gc_n > 0)
        free(gc_items[--gc_n]);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = xvasprintf(f, ap);
    va_end(ap);
    return gc(s);
}

/* Run a shell command; stdout and stderr kept for the test. */
static int run(char **out, char **err, const char *cmd)
{
    char *o, *e;
    int rc = ts_run(cmd, &o, &e);
    if (out)
        *out = gc(o);
    else
        free(o);
    if (err)
        *err = gc(e);
    else
        free(e);
    return rc;
}

static bool have(const char *tool)
{
    return run(NULL, NULL, fmt("command -v '%s' || test -x '%s'", tool, tool)) == 0;
}

/* Whether the check can run; prints the reason it cannot. */
static bool can_run(const char *name, bool need_root, const char *const *tools)
{
    if (need_root && !ts_is_root()) {
        printf("skipped %s: needs root (network namespaces)\n", name);
        return false;
    }
    for (size_t i = 0; tools && tools[i]; i++)
        if (!have(tools[i])) {
            printf("skipped %s: '%s' is not installed (sh tests/install-deps.sh installs it)\n", name, tools[i]);
            return false;
        }
    return true;
}

static char *slurp(const char *path)
{
    char *s = ts_read_file(path, NULL);
    ck_assert_msg(s != NULL, "cannot read '%s'", path);
    return gc(s);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "cannot stat '%s'", path);
    return (unsigned)(st.st_mode & 07777);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first line of s, without its newline. */
static char *first_line(const char *s)
{
    size_t n = strcspn(s, "\n");
    return gc(xstrndup(s, n));
}

/* The value of the first line "KEY=VALUE" of a unit or cron file (NULL when
 * there is none); with several, all of them joined by '\n'. */
static char *key_values(const char *text, const char *key)
{
    size_t klen = strlen(key);
    char *all = NULL;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            char *v = xstrndup(p + klen + 1, n - klen - 1);
            char *joined = all ? xasprintf("%s\n%s", all, v) : xstrdup(v);
            free(v);
            free(all);
            all = joined;
        }
        p += n + (p[n] == '\n');
    }
    return all ? gc(all) : NULL;
}

/* A work directory with the integration files installed the way a test
 * needs them: PREFIX=WORK/usr, LOCALSTATEDIR=WORK/var, RUNSTATEDIR=WORK/run,
 * and WORK/usr/sbin/mta-preflight a copy of the built program. */
struct inst {
    char *work, *prefix, *share, *libexec, *bin;
};

static void inst_make(struct inst *in, const char *tag)
{
    in->work = gc(ts_tmpdir(tag));
    ck_assert_int_eq(chmod(in->work, 0755), 0); /* nagios must reach it */
    in->prefix = fmt("%s/usr", in->work);
    in->share = fmt("%s/share/mta-preflight", in->prefix);
    in->libexec = fmt("%s/lib/mta-preflight", in->prefix);
    in->bin = fmt("%s/sbin/mta-preflight", in->prefix);
    char *err;
    ck_assert_int_eq(run(NULL, &err,
                         fmt("DESTDIR= PREFIX='%s' LOCALSTATEDIR='%s/var' RUNSTATEDIR='%s/run' "
                             "sh auditor/integration/install.sh install && mkdir -p '%s/sbin' && cp '%s' '%s'",
                             in->prefix, in->work, in->work, in->prefix, ts_bin(), in->bin)),
                     0);
    ck_assert_str_eq(err, "");
}

/* A Postfix configuration directory WORK/NAME with one smtp service. */
static char *postfix_config(const char *work, const char *name, const char *myhostname)
{
    char *dir = fmt("%s/%s", work, name);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    ts_write_file(fmt("%s/main.cf", dir), fmt("myhostname = %s\n", myhostname));
    ts_write_file(fmt("%s/master.cf", dir), "smtp      unix  -       -       y       -       -       smtp\n");
    return dir;
}

static void inst_done(struct inst *in)
{
    ts_rmtree(in->work);
}

/* ---- install.sh, make install, make uninstall ---- */

static const char *const installed[] = {
    "share/mta-preflight/systemd/mta-preflight.service",
    "share/mta-preflight/systemd/mta-preflight.timer",
    "share/mta-preflight/systemd/mta-preflight-textfile.service",
    "share/mta-preflight/systemd/mta-preflight-textfile.timer",
    "share/mta-preflight/cron.d/mta-preflight",
    "share/mta-preflight/apt/99mta-preflight",
    "share/mta-preflight/dpkg/mta-preflight",
    "lib/mta-preflight/apt-pinvoke",
    "lib/mta-preflight/dpkg-status",
    "share/mta-preflight/prometheus/mta-preflight.rules.yml",
    "share/mta-preflight/icinga2/mta-preflight.conf",
    "share/mta-preflight/nrpe/mta-preflight.cfg",
};
#define NINSTALLED (sizeof(installed) / sizeof(installed[0]))

START_TEST(install_script_layout_and_paths)
{
    char *stage = gc(ts_tmpdir("integ-stage"));
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, "PREFIX=/usr/local sh auditor/integration/install.sh list"), 0);
    char *want = gc(xstrdup(""));
    for (size_t i = 0; i < NINSTALLED; i++)
        want = fmt("%s/usr/local/%s\n", want, installed[i]);
    ck_assert_str_eq(out, want);

    ck_assert_int_eq(run(&out, &err, fmt("DESTDIR='%s' PREFIX=/usr/local sh auditor/integration/install.sh install",
                                         stage)),
                     0);
    ck_assert_str_eq(err, "");
    for (size_t i = 0; i < NINSTALLED; i++) {
        char *p = fmt("%s/usr/local/%s", stage, installed[i]);
        unsigned want_mode = strstr(installed[i], "lib/") == installed[i] ? 0755 : 0644;
        ck_assert_msg(mode_of(p) == want_mode, "'%s' has mode %o", p, mode_of(p));
        ck_assert_msg(strstr(slurp(p), "DIR@") == NULL, "'%s' keeps a placeholder", p);
    }
    /* Nothing outside PREFIX, in particular nothing in /etc. */
    ck_assert_int_eq(run(&out, NULL, fmt("cd '%s' && find . -type f | grep -v '^./usr/local/' | wc -l", stage)), 0);
    ck_assert_str_eq(out, "0\n");

    const char *root = fmt("%s/usr/local", stage);
    ck_assert_str_eq(first_line(strstr(slurp(fmt("%s/share/mta-preflight/apt/99mta-preflight", root)), "DPkg::")),
                     "DPkg::Post-Invoke { \"test -x /usr/local/lib/mta-preflight/apt-pinvoke && "
                     "/usr/local/lib/mta-preflight/apt-pinvoke || true\"; };");
    ck_assert_str_eq(key_values(slurp(fmt("%s/share/mta-preflight/dpkg/mta-preflight", root)), "status-logger"),
                     "(test -x /usr/local/lib/mta-preflight/dpkg-status && /usr/local/lib/mta-preflight/dpkg-status "
                     "|| cat > /dev/null)");
    char *pinvoke = slurp(fmt("%s/lib/mta-preflight/apt-pinvoke", root));
    ck_assert_str_eq(key_values(pinvoke, "RUNDIR"), "/run/mta-preflight");
    ck_assert_str_eq(key_values(pinvoke, "STATEDIR"), "/var/lib/mta-preflight");
    ck_assert_str_eq(key_values(pinvoke, "BIN"), "/usr/local/sbin/mta-preflight");
    ck_assert_str_eq(key_values(slurp(fmt("%s/lib/mta-preflight/dpkg-status", root)), "RUNDIR"),
                     "/run/mta-preflight");
    ck_assert_str_eq(key_values(slurp(fmt("%s/share/mta-preflight/systemd/mta-preflight.service", root)),
                                "ExecStart"),
                     "/usr/local/sbin/mta-preflight --state /var/lib/mta-preflight/state.json --quiet");

    /* The README quotes these lines as they are installed with PREFIX=/usr/local. */
    const char *readme = slurp("README.md");
    const char *const quoted[][2] = {
        {"share/mta-preflight/apt/99mta-preflight", "DPkg::Post-Invoke"},
        {"share/mta-preflight/dpkg/mta-preflight", "status-logger="},
        {"share/mta-preflight/cron.d/mta-preflight", "47 6 "},
        {"share/mta-preflight/nrpe/mta-preflight.cfg", "command["},
    };
    for (size_t i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
        const char *text = slurp(fmt("%s/%s", root, quoted[i][0]));
        const char *at = strstr(text, fmt("\n%s", quoted[i][1]));
        ck_assert_msg(at != NULL, "no '%s' line in %s", quoted[i][1], quoted[i][0]);
        const char *line = first_line(at + 1);
        ck_assert_msg(strstr(readme, fmt("\n    %s\n", line)) != NULL, "README does not quote '%s'", line);
    }
    static const char *const units[] = {"mta-preflight.service", "mta-preflight-textfile.service"};
    for (size_t i = 0; i < 2; i++) {
        const char *exec = key_values(slurp(fmt("%s/share/mta-preflight/systemd/%s", root, units[i])), "ExecStart");
        ck_assert_msg(strstr(readme, fmt("\n    %s\n", exec)) != NULL, "README does not quote '%s'", exec);
    }

    ck_assert_int_eq(run(NULL, &err, fmt("DESTDIR='%s' PREFIX=/usr/local sh auditor/integration/install.sh uninstall",
                                         stage)),
                     0);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(run(&out, NULL, fmt("cd '%s' && find . -mindepth 1 | sort", stage)), 0);
    /* Only the directories install did not make itself are left. */
    ck_assert_str_eq(out, "./usr\n./usr/local\n./usr/local/lib\n./usr/local/share\n");

    /* Paths that would need quoting in a unit, a crontab or a script. */
    static const char *const bad[] = {"PREFIX='/opt/my dir'", "PREFIX=opt", "LOCALSTATEDIR='/var;x'",
                                      "RUNSTATEDIR='/run|x'"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(run(NULL, &err, fmt("DESTDIR='%s' %s sh auditor/integration/install.sh install", stage,
                                          bad[i])) == 64,
                      "%s accepted", bad[i]);
        ck_assert_msg(strncmp(err, "install.sh: ", 12) == 0, "%s: '%s'", bad[i], err);
    }
    ck_assert_int_eq(run(&out, NULL, fmt("cd '%s' && find . -type f | wc -l", stage)), 0);
    ck_assert_str_eq(out, "0\n");
    ts_rmtree(stage);
}
END_TEST

START_TEST(make_install_and_uninstall)
{
    if (!can_run("make_install_and_uninstall", false, (const char *const[]){"make", NULL}))
        return;
    const char *bd = getenv("MP_BUILD_DIR");
    const char *build = bd && strrchr(bd, '/') ? strrchr(bd, '/') + 1 : "debug";
    char *stage = gc(ts_tmpdir("integ-make"));
    /* A make of its own, not a part of the one running the tests. */
    const char *make = fmt("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory BUILD=%s "
                           "DESTDIR='%s' PREFIX=/usr",
                           build, stage);
    char *out, *err;
    ck_assert_msg(run(&out, &err, fmt("%s install", make)) == 0, "make install: %s", err);
    for (size_t i = 0; i < NINSTALLED; i++)
        ck_assert_msg(exists(fmt("%s/usr/%s", stage, installed[i])), "'%s' not installed", installed[i]);
    ck_assert(exists(fmt("%s/usr/sbin/mta-preflight", stage)));
    ck_assert_str_eq(key_values(slurp(fmt("%s/usr/share/mta-preflight/systemd/mta-preflight-textfile.service", stage)),
                                "ExecStart"),
                     "/usr/sbin/mta-preflight --format prometheus --output "
                     "/var/lib/prometheus/node-exporter/mta_preflight.prom");
    ck_assert(!exists(fmt("%s/etc", stage)));

    ck_assert_msg(run(&out, &err, fmt("%s uninstall", make)) == 0, "make uninstall: %s", err);
    for (size_t i = 0; i < NINSTALLED; i++)
        ck_assert_msg(!exists(fmt("%s/usr/%s", stage, installed[i])), "'%s' left behind", installed[i]);
    ck_assert(!exists(fmt("%s/usr/share/mta-preflight", stage)));
    ck_assert(!exists(fmt("%s/usr/lib/mta-preflight", stage)));
    ts_rmtree(stage);
}
END_TEST

/* ---- systemd ---- */

START_TEST(systemd_units_verify)
{
    if (!can_run("systemd_units_verify", false, (const char *const[]){"systemd-analyze", "man", NULL}))
        return;
    struct inst in;
    inst_make(&in, "integ-systemd");
    /* verify runs 'man' for Documentation=man:mta-preflight(8): give it the page. */
    char *man = fmt("%s/share/man", in.prefix);
    ck_assert_int_eq(run(NULL, NULL, fmt("mkdir -p '%s/man8' && cp auditor/mta-preflight.8 '%s/man8/'", man, man)), 0);
    const char *dir = fmt("%s/systemd", in.share);
    const char *verify = fmt("cd '%s' && MANPATH='%s' SYSTEMD_LOG_COLOR=0 systemd-analyze verify mta-preflight.timer "
                             "mta-preflight.service mta-preflight-textfile.timer mta-preflight-textfile.service",
                             dir, man);
    char *out, *err;
    ck_assert_msg(run(&out, &err, verify) == 0, "systemd-analyze verify: %s%s", out, err);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");

    /* verify does look at ExecStart: without the program it fails. */
    ck_assert_int_eq(unlink(in.bin), 0);
    ck_assert_int_ne(run(&out, &err, verify), 0);
    ck_assert_msg(strstr(err, fmt("mta-preflight.service: Command %s is not executable", in.bin)) != NULL, "%s", err);
    ck_assert_msg(strstr(err, fmt("mta-preflight-textfile.service: Command %s is not executable", in.bin)) != NULL,
                  "%s", err);

    /* The calendar expressions mean what the comments say. */
    const char *timer = slurp(fmt("%s/mta-preflight.timer", dir));
    const char *ttimer = slurp(fmt("%s/mta-preflight-textfile.timer", dir));
    ck_assert_str_eq(key_values(timer, "OnCalendar"), "daily");
    ck_assert_str_eq(key_values(timer, "RandomizedDelaySec"), "4h");
    ck_assert_str_eq(key_values(timer, "Persistent"), "true");
    ck_assert_str_eq(key_values(ttimer, "OnCalendar"), "*:0/15");
    ck_assert_int_eq(run(&out, NULL, "systemd-analyze calendar daily '*:0/15' | sed -n 's/^ *Normalized form: //p'"),
                     0);
    ck_assert_str_eq(out, "*-*-* 00:00:00\n*-*-* *:00/15:00\n");
    inst_done(&in);
}
END_TEST

START_TEST(systemd_units_hardening)
{
    if (!can_run("systemd_units_hardening", false, (const char *const[]){"systemd-analyze", NULL}))
        return;
    struct inst in;
    inst_make(&in, "integ-harden");
    static const char *const units[] = {"mta-preflight.service", "mta-preflight-textfile.service"};
    for (size_t i = 0; i < 2; i++) {
        const char *path = fmt("%s/systemd/%s", in.share, units[i]);
        const char *u = slurp(path);
        ck_assert_str_eq(key_values(u, "Type"), "oneshot");
        /* DNS over UDP/TCP, routes and addresses over netlink, NSS over unix sockets. */
        ck_assert_str_eq(key_values(u, "RestrictAddressFamilies"), "AF_UNIX AF_INET AF_INET6 AF_NETLINK");
        ck_assert_str_eq(key_values(u, "ProtectSystem"), "strict");
        ck_assert_str_eq(key_values(u, "CapabilityBoundingSet"), "CAP_DAC_READ_SEARCH");
        ck_assert_str_eq(key_values(u, "NoNewPrivileges"), "yes");
        ck_assert_str_eq(key_values(u, "ProtectHome"), "yes");
        ck_assert_ptr_null(key_values(u, "PrivateNetwork"));
        ck_assert_ptr_null(key_values(u, "PrivateUsers"));
        ck_assert_ptr_null(key_values(u, "IPAddressDeny"));
        ck_assert_ptr_null(key_values(u, "User"));
        ck_assert_ptr_null(key_values(u, "ReadOnlyPaths"));
        ck_assert_ptr_null(key_values(u, "InaccessiblePaths"));
        ck_assert_str_eq(key_values(u, "SystemCallFilter"), "@system-service\n~@privileged @resources");
        if (i == 0) {
            /* Writes only its state directory (ProtectSystem=strict leaves it writable). */
            ck_assert_str_eq(key_values(u, "ExecStart"),
                             fmt("%s --state /var/lib/mta-preflight/state.json --quiet", in.bin));
            ck_assert_str_eq(key_values(u, "StateDirectory"), "mta-preflight");
            ck_assert_ptr_null(key_values(u, "ReadWritePaths"));
            ck_assert_str_eq(key_values(u, "SuccessExitStatus"), "3");
        } else {
            ck_assert_str_eq(key_values(u, "ExecStart"),
                             fmt("%s --format prometheus --output /var/lib/prometheus/node-exporter/mta_preflight.prom",
                                 in.bin));
            ck_assert_str_eq(key_values(u, "ReadWritePaths"), "/var/lib/prometheus/node-exporter");
            ck_assert_str_eq(key_values(u, "ConditionPathIsDirectory"), "/var/lib/prometheus/node-exporter");
            ck_assert_ptr_null(key_values(u, "StateDirectory"));
            ck_assert_str_eq(key_values(u, "SuccessExitStatus"), "1 2 3");
        }
        /* systemd's own rating of the sandbox: "OK" is at most 4.9; ours is 1.8. */
        char *out;
        ck_assert_int_eq(run(&out, NULL,
                             fmt("cd '%s/systemd' && systemd-analyze security --offline=yes --no-pager %s | "
                                 "sed -n 's/^.*Overall exposure level for [^:]*: \\([0-9.]*\\) .*$/\\1/p'",
                                 in.share, units[i])),
                         0);
        ck_assert_msg(strlen(out) > 0 && atof(out) <= 2.0, "%s: exposure '%s'", units[i], out);
    }
    inst_done(&in);
}
END_TEST

/* ---- cron ---- */

struct cron_job {
    char *fields[5], *user, *command;
};

/* Parse a cron.d file: environment lines and exactly one job. */
static void cron_parse(const char *text, struct cron_job *job, char **path, char **shell)
{
    int jobs = 0;
    *path = key_values(text, "PATH");
    *shell = key_values(text, "SHELL");
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = gc(xstrndup(p, n));
        p += n + (p[n] == '\n');
        const char *s = line + strspn(line, " \t");
        if (*s == '\0' || *s == '#')
            continue;
        size_t name = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
        if (name > 0 && s[name] == '=')
            continue;
        jobs++;
        char *save = NULL, *copy = gc(xstrdup(s));
        for (int f = 0; f < 5; f++) {
            job->fields[f] = strtok_r(f == 0 ? copy : NULL, " \t", &save);
            ck_assert_ptr_nonnull(job->fields[f]);
        }
        job->user = strtok_r(NULL, " \t", &save);
        ck_assert_ptr_nonnull(job->user);
        job->command = save + strspn(save, " \t");
    }
    ck_assert_int_eq(jobs, 1);
}

static bool all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

START_TEST(cron_file_fields)
{
    struct inst in;
    inst_make(&in, "integ-cron");
    const char *path = fmt("%s/cron.d/mta-preflight", in.share);
    /* Debian's cron ignores a file whose name has a dot, and one that is
     * writable by group or others. */
    ck_assert_int_eq(mode_of(path), 0644);
    const char *name = strrchr(path, '/') + 1;
    ck_assert_uint_eq(strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"), strlen(name));
    const char *text = slurp(path);
    ck_assert(text[strlen(text) - 1] == '\n');

    struct cron_job job;
    char *envpath, *shell;
    cron_parse(text, &job, &envpath, &shell);
    ck_assert_str_eq(shell, "/bin/sh");
    ck_assert_str_eq(envpath, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    ck_assert(all_digits(job.fields[0]) && atoi(job.fields[0]) < 60);
    ck_assert(all_digits(job.fields[1]) && atoi(job.fields[1]) < 24);
    ck_assert_str_eq(job.fields[2], "*");
    ck_assert_str_eq(job.fields[3], "*");
    ck_assert_str_eq(job.fields[4], "*");
    ck_assert_str_eq(job.user, "root");
    ck_assert_str_eq(job.command, fmt("test -d /run/systemd/system || test ! -x %s || { mkdir -p "
                                      "%s/var/lib/mta-preflight && %s --state %s/var/lib/mta-preflight/state.json "
                                      "--quiet; }",
                                      in.bin, in.work, in.bin, in.work));
    /* cron turns % into a newline. */
    ck_assert_ptr_null(strchr(job.command, '%'));
    inst_done(&in);
}
END_TEST

START_TEST(cron_command_runs_as_cron_would)
{
    if (!can_run("cron_command_runs_as_cron_would", true, NULL))
        return;
    struct inst in;
    inst_make(&in, "integ-cronrun");
    struct cron_job job;
    char *envpath, *shell;
    cron_parse(slurp(fmt("%s/cron.d/mta-preflight", in.share)), &job, &envpath, &shell);
    ts_write_file(fmt("%s/cron-command", in.work), job.command);
    const char *pf = postfix_config(in.work, "postfix", "localhost");
    const char *state = fmt("%s/var/lib/mta-preflight/state.json", in.work);
    /* cron's environment: its own lines plus HOME, LOGNAME, SHELL. */
    const char *as_cron = fmt("env -i PATH='%s' SHELL='%s' HOME=/root LOGNAME=root MAIL_CONFIG='%s' %s -c "
                              "\"$(cat '%s/cron-command')\"",
                              envpath, shell, pf, shell, in.work);
    char *out, *err;

    /* Where systemd is the init system the line does nothing. */
    ck_assert_int_eq(run(&out, &err, fmt(SANDBOX " systemd '%s' %s", in.work, as_cron)), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    ck_assert(!exists(state));

    /* Elsewhere: the first run reports (exit 2, critical), the second has no
     * news and says nothing; the damped state is still critical. */
    ck_assert_int_eq(run(&out, &err, fmt(SANDBOX " none '%s' %s", in.work, as_cron)), 2);
    ck_assert_msg(strstr(out, "helo-invalid") != NULL, "%s", out);
    ck_assert(exists(state));
    ck_assert_int_eq(run(&out, &err, fmt(SANDBOX " none '%s' %s", in.work, as_cron)), 2);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");

    /* A removed package leaves the cron file (a conffile) until purge: without
     * the program the line does nothing, and makes no state directory. */
    ck_assert_int_eq(unlink(in.bin), 0);
    ts_rmtree(fmt("%s/var", in.work));
    ck_assert_int_eq(run(&out, &err, fmt(SANDBOX " none '%s' %s", in.work, as_cron)), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    ck_assert(!exists(fmt("%s/var/lib/mta-preflight", in.work)));
    inst_done(&in);
}
END_TEST

/* ---- the apt hook ---- */

/* dpkg-status reading a status stream; returns which marks it left. */
static const char *status_marks(const struct inst *in, const char *stream)
{
    ck_assert_int_eq(run(NULL, NULL, fmt("rm -f '%s/run/mta-preflight/'*", in->work)), 0);
    ts_write_file(fmt("%s/stream", in->work), stream);
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, fmt("'%s/dpkg-status' < '%s/stream'", in->libexec, in->work)), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    bool touched = exists(fmt("%s/run/mta-preflight/mta-touched", in->work));
    bool errored = exists(fmt("%s/run/mta-preflight/errored", in->work));
    return touched && errored ? "touched errored" : touched ? "touched" : errored ? "errored" : "none";
}

START_TEST(dpkg_status_notes_mta_packages_and_errors)
{
    struct inst in;
    inst_make(&in, "integ-status");
    /* What dpkg 1.21 writes for a package that is installed. */
    ck_assert_str_eq(status_marks(&in, "processing: install: exim4-mp-dummy\n"
                                       "status: exim4-mp-dummy: half-installed\n"
                                       "status: exim4-mp-dummy: unpacked\n"
                                       "processing: configure: exim4-mp-dummy\n"
                                       "status: exim4-mp-dummy: half-configured\n"
                                       "status: exim4-mp-dummy: installed\n"),
                     "touched");
    ck_assert_str_eq(status_marks(&in, "status: exim4-base:amd64: unpacked\n"), "touched");
    ck_assert_str_eq(status_marks(&in, "status: postfix: installed\n"), "touched");
    ck_assert_str_eq(status_marks(&in, "status: postfix-mysql:amd64: installed\n"), "touched");
    ck_assert_str_eq(status_marks(&in, "status: exim4: unpacked\n"), "touched");
    /* Not an MTA package, or not unpacked/configured (a removal). */
    ck_assert_str_eq(status_marks(&in, "status: postfixadmin: unpacked\n"
                                       "status: eximon4: installed\n"
                                       "status: libpostfix: installed\n"
                                       "status: exim4: half-configured\n"
                                       "status: postfix: config-files\n"
                                       "status: postfix: not-installed\n"
                                       "processing: configure: postfix\n"
                                       "status: /etc/postfix/main.cf : conffile-prompt : 'a' 'b' 1 1\n"),
                     "none");
    /* An error for any package. */
    ck_assert_str_eq(status_marks(&in, "status: mp-unrelated : error : installed mp-unrelated package "
                                       "post-installation script subprocess returned error exit status 1\n"),
                     "errored");
    ck_assert_str_eq(status_marks(&in, "status: postfix: unpacked\nstatus: postfix : error : boom\n"),
                     "touched errored");

    /* It reads everything, so dpkg never blocks or dies on the pipe, also
     * when it cannot make its marks (cat would die of SIGPIPE otherwise). */
    ck_assert_int_eq(run(NULL, NULL, fmt("yes 'status: libfoo: unpacked' | head -n 20000 > '%s/big'", in.work)), 0);
    ck_assert_int_eq(run(NULL, NULL,
                         fmt("sed 's|^RUNDIR=.*|RUNDIR=/proc/mp-none|' '%s/dpkg-status' > '%s/status-ro'",
                             in.libexec, in.work)),
                     0);
    const char *const scripts[] = {fmt("'%s/dpkg-status'", in.libexec), fmt("sh '%s/status-ro'", in.work)};
    for (size_t i = 0; i < 2; i++) {
        char *out, *err;
        ck_assert_int_eq(run(&out, &err,
                             fmt("rm -f '%s/written'; { cat '%s/big' && echo 'status: postfix: unpacked' && "
                                 "echo all > '%s/written'; } | %s; echo rc=$?",
                                 in.work, in.work, in.work, scripts[i])),
                         0);
        ck_assert_msg(strcmp(out, "rc=0\n") == 0 && strcmp(err, "") == 0, "%s: %s%s", scripts[i], out, err);
        ck_assert_str_eq(slurp(fmt("%s/written", in.work)), "all\n");
    }
    inst_done(&in);
}
END_TEST

START_TEST(apt_pinvoke_runs_only_when_asked)
{
    if (!can_run("apt_pinvoke_runs_only_when_asked", true, NULL))
        return;
    struct inst in;
    inst_make(&in, "integ-pinvoke");
    const char *pf = postfix_config(in.work, "postfix", "localhost");
    const char *rundir = fmt("%s/run/mta-preflight", in.work);
    const char *state = fmt("%s/var/lib/mta-preflight/hook-state.json", in.work);
    const char *hook = fmt(SANDBOX " none '%s' env MAIL_CONFIG='%s' '%s/apt-pinvoke'", in.work, pf, in.libexec);
    char *out, *err;
    ck_assert_int_eq(run(NULL, NULL, fmt("mkdir -p '%s'", rundir)), 0);

    /* No marks: dpkg touched no MTA package. */
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    ck_assert(!exists(state));

    /* dpkg failed: one line when an MTA package was involved, and the marks go. */
    ts_write_file(fmt("%s/errored", rundir), "");
    ts_write_file(fmt("%s/mta-touched", rundir), "");
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "mta-preflight: skipped: dpkg reported an error\n");
    ck_assert(!exists(fmt("%s/errored", rundir)) && !exists(fmt("%s/mta-touched", rundir)));
    ck_assert(!exists(state));
    ts_write_file(fmt("%s/errored", rundir), "");
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(err, "");
    ck_assert(!exists(fmt("%s/errored", rundir)));

    /* An MTA package was configured: the audit runs in hook mode. */
    ts_write_file(fmt("%s/mta-touched", rundir), "");
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(out, "");
    ck_assert_msg(count_lines(err) >= 3 && count_lines(err) <= 5, "%s", err);
    ck_assert_msg(strstr(err, "helo-invalid") != NULL, "%s", err);
    ck_assert_msg(strlen(err) > 42 && strcmp(err + strlen(err) - 42, "run 'mta-preflight' for details and fixes\n") == 0,
                  "%s", err);
    ck_assert(exists(state));
    ck_assert(!exists(fmt("%s/mta-touched", rundir)));
    /* The mark is spent: the next dpkg run without an MTA package is quiet. */
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(err, "");

    /* The program is missing (removed, or the package half-removed). */
    ck_assert_int_eq(unlink(in.bin), 0);
    ts_write_file(fmt("%s/mta-touched", rundir), "");
    ck_assert_int_eq(run(&out, &err, hook), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");

    /* Standard input is never read: a program that would read it gets
     * nothing, and what apt had on it is still there afterwards. */
    ts_write_file(in.bin, fmt("#!/bin/sh\ncat > '%s/stdin-seen'\nexit 64\n", in.work));
    ck_assert_int_eq(chmod(in.bin, 0755), 0);
    ts_write_file(fmt("%s/mta-touched", rundir), "");
    ck_assert_int_eq(run(&out, &err, fmt("printf 'keep me\\n' | { '%s/apt-pinvoke'; echo \"rc=$?\"; cat; }", in.libexec)),
                     0);
    ck_assert_str_eq(out, "rc=0\nkeep me\n");
    ck_assert_str_eq(slurp(fmt("%s/stdin-seen", in.work)), "");
    inst_done(&in);
}
END_TEST

START_TEST(apt_pinvoke_is_bounded)
{
    struct inst in;
    inst_make(&in, "integ-bound");
    const char *rundir = fmt("%s/run/mta-preflight", in.work);
    ck_assert_int_eq(run(NULL, NULL, fmt("mkdir -p '%s'", rundir)), 0);
    ts_write_file(fmt("%s/mta-touched", rundir), "");
    /* A program that hangs, with a child of its own. */
    ts_write_file(in.bin, fmt("#!/bin/sh\nsleep 60 &\necho $! $$ > '%s/pids'\nexec sleep 60\n", in.work));
    ck_assert_int_eq(chmod(in.bin, 0755), 0);
    ck_assert_str_eq(key_values(slurp(fmt("%s/apt-pinvoke", in.libexec)), "BOUND"), "8");
    long long t0 = now_ms();
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, fmt("'%s/apt-pinvoke'", in.libexec)), 0);
    long long ms = now_ms() - t0;
    ck_assert_msg(ms >= 7900 && ms < 10500, "apt-pinvoke took %lld ms", ms);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    /* timeout(1) ended the whole process group: no sleep of ours is left
     * running (a zombie waits for an init that reaps). */
    ck_assert_int_eq(run(&out, NULL,
                         fmt("for p in $(cat '%s/pids'); do s=$(ps -o stat= -p $p); "
                             "case \"$s\" in ''|Z*) ;; *) echo \"$p $s\" ;; esac; done",
                             in.work)),
                     0);
    ck_assert_str_eq(out, "");
    inst_done(&in);
}
END_TEST

/* The apt runs share one work directory per test. */
static void apt_purge(void)
{
    if (ts_is_root() && system(APT_HOOK " purge") != 0)
        fprintf(stderr, "cannot purge the test packages\n");
}

static bool apt_setup(const char *name, struct inst *in)
{
    if (!can_run(name, true, (const char *const[]){"apt-get", "dpkg-deb", NULL}))
        return false;
    in->work = gc(ts_tmpdir("integ-apt"));
    in->prefix = fmt("%s/usr", in->work);
    in->share = fmt("%s/share/mta-preflight", in->prefix);
    in->libexec = fmt("%s/lib/mta-preflight", in->prefix);
    in->bin = fmt("%s/sbin/mta-preflight", in->prefix);
    char *out, *err;
    ck_assert_msg(run(&out, &err, fmt(APT_HOOK " setup '%s' '%s'", in->work, ts_bin())) == 0, "%s%s", out, err);
    apt_purge();
    return true;
}

static int apt_run(const struct inst *in, char **out, char **err, const char *mode, const char *config,
                   const char *pkgs)
{
    return run(out, err, fmt(APT_HOOK " apt '%s' %s %s %s", in->work, mode, config, pkgs));
}

static long hook_ms(const struct inst *in)
{
    const char *s = slurp(fmt("%s/hook-ms", in->work));
    ck_assert_msg(strcmp(s, "none\n") != 0, "the Post-Invoke hooks did not run");
    return atol(s);
}

static bool installed_ok(const char *pkg)
{
    char *out;
    run(&out, NULL, fmt("dpkg-query -W -f='${Status}' %s", pkg));
    return strcmp(out, "install ok installed") == 0;
}

START_TEST(apt_hook_reports_a_critical_audit)
{
    struct inst in;
    if (!apt_setup("apt_hook_reports_a_critical_audit", &in))
        return;
    char *out, *err;
    int rc = apt_run(&in, &out, &err, "none", "critical", "exim4-mp-dummy");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert(installed_ok("exim4-mp-dummy"));
    ck_assert_msg(strstr(err, "critical helo-invalid postfix:") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "run 'mta-preflight' for details and fixes\n") != NULL, "%s", err);
    ck_assert_ptr_null(strstr(out, "Problem executing scripts"));
    ck_assert(exists(fmt("%s/var/lib/mta-preflight/hook-state.json", in.work)));
    ck_assert(!exists(fmt("%s/run/mta-preflight/mta-touched", in.work)));
    ck_assert_msg(hook_ms(&in) < 4500, "the hook took %ld ms", hook_ms(&in));
    apt_purge();
    ts_rmtree(in.work);
}
END_TEST

START_TEST(apt_hook_survives_silent_dns)
{
    struct inst in;
    if (!apt_setup("apt_hook_survives_silent_dns", &in))
        return;
    char *out, *err;
    int rc = apt_run(&in, &out, &err, "silent", "silent", "exim4-mp-dummy");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert(installed_ok("exim4-mp-dummy"));
    /* Unknown is no reason to speak; the audit did run and ask. */
    ck_assert_msg(strstr(out, "mta-preflight") == NULL && strstr(err, "mta-preflight") == NULL, "%s%s", out, err);
    ck_assert(exists(fmt("%s/var/lib/mta-preflight/hook-state.json", in.work)));
    ck_assert_msg(atoi(slurp(fmt("%s/dns-queries", in.work))) >= 2, "DNS queries: %s",
                  slurp(fmt("%s/dns-queries", in.work)));
    /* --hook bounds itself to 3 s plus 1 s. */
    long ms = hook_ms(&in);
    ck_assert_msg(ms >= 2500 && ms < 4500, "the hook took %ld ms", ms);
    apt_purge();
    ts_rmtree(in.work);
}
END_TEST

START_TEST(apt_hook_without_program_or_scripts)
{
    struct inst in;
    if (!apt_setup("apt_hook_without_program_or_scripts", &in))
        return;
    char *out, *err;
    /* The program is gone (e.g. removed by hand). */
    ck_assert_int_eq(unlink(in.bin), 0);
    int rc = apt_run(&in, &out, &err, "none", "critical", "exim4-mp-dummy");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert_msg(strstr(err, "mta-preflight") == NULL, "%s", err);
    ck_assert(!exists(fmt("%s/var/lib/mta-preflight/hook-state.json", in.work)));
    ck_assert_msg(hook_ms(&in) < 1000, "the hook took %ld ms", hook_ms(&in));
    apt_purge();

    /* The scripts are gone but the apt and dpkg snippets remain (a package
     * removed but not purged): 'test -x' keeps apt and dpkg working. */
    ck_assert_int_eq(run(NULL, NULL, fmt("rm -f '%s/apt-pinvoke' '%s/dpkg-status'", in.libexec, in.libexec)), 0);
    rc = apt_run(&in, &out, &err, "none", "critical", "exim4-mp-dummy");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert(installed_ok("exim4-mp-dummy"));
    ck_assert_ptr_null(strstr(err, "Problem executing scripts"));
    ck_assert_ptr_null(strstr(err, "E: "));
    apt_purge();
    ts_rmtree(in.work);
}
END_TEST

START_TEST(apt_hook_ignores_other_packages)
{
    struct inst in;
    if (!apt_setup("apt_hook_ignores_other_packages", &in))
        return;
    char *out, *err;
    int rc = apt_run(&in, &out, &err, "none", "critical", "mp-unrelated");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert(installed_ok("mp-unrelated"));
    /* The audit would be critical, but it did not run at all. */
    ck_assert_msg(strstr(err, "mta-preflight") == NULL, "%s", err);
    ck_assert(!exists(fmt("%s/var/lib/mta-preflight/hook-state.json", in.work)));
    ck_assert(!exists(fmt("%s/run/mta-preflight/mta-touched", in.work)));
    ck_assert_msg(hook_ms(&in) < 1000, "the hook took %ld ms", hook_ms(&in));
    apt_purge();
    ts_rmtree(in.work);
}
END_TEST

START_TEST(apt_hook_skips_after_a_dpkg_error)
{
    struct inst in;
    if (!apt_setup("apt_hook_skips_after_a_dpkg_error", &in))
        return;
    char *out, *err;
    /* Its postinst fails: apt fails as it would without the hook (100). */
    int rc = apt_run(&in, &out, &err, "none", "critical", "exim4-mp-broken");
    ck_assert_msg(rc == 100, "apt exited %d: %s%s", rc, out, err);
    ck_assert_msg(strstr(err, "mta-preflight: skipped: dpkg reported an error\n") != NULL, "%s", err);
    ck_assert_ptr_null(strstr(err, "helo-invalid"));
    ck_assert_ptr_null(strstr(err, "Problem executing scripts"));
    ck_assert(!exists(fmt("%s/var/lib/mta-preflight/hook-state.json", in.work)));
    ck_assert(!exists(fmt("%s/run/mta-preflight/errored", in.work)));
    ck_assert(!exists(fmt("%s/run/mta-preflight/mta-touched", in.work)));
    apt_purge();

    /* The error is not remembered: the next good run audits. */
    rc = apt_run(&in, &out, &err, "none", "critical", "exim4-mp-dummy");
    ck_assert_msg(rc == 0, "apt exited %d: %s%s", rc, out, err);
    ck_assert_msg(strstr(err, "helo-invalid") != NULL, "%s", err);
    apt_purge();
    ts_rmtree(in.work);
}
END_TEST

/* ---- Prometheus ---- */

START_TEST(prometheus_rules_check_and_unit_tests)
{
    if (!can_run("prometheus_rules_check_and_unit_tests", false, (const char *const[]){"promtool", NULL}))
        return;
    struct inst in;
    inst_make(&in, "integ-rules");
    const char *rules = fmt("%s/prometheus/mta-preflight.rules.yml", in.share);
    char *out, *err;
    ck_assert_int_eq(run(&out, &err, fmt("promtool check rules '%s'", rules)), 0);
    ck_assert_msg(strstr(out, "SUCCESS: 4 rules found") != NULL, "%s", out);
    ck_assert_int_eq(run(&out, &err, "promtool test rules tests/integration/mta-preflight.rules.test.yml"), 0);
    ck_assert_msg(strstr(out, "SUCCESS") != NULL, "%s", out);

    /* The unit tests catch a rule without its damping. */
    static const char *const mutations[] = {"s/for: 30m/for: 0m/", "/keep_firing_for: 30m/d", "s/for: 2h/for: 1h/",
                                            "s/for: 6h/for: 1h/", "s/> 3600/> 7200/"};
    for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
        ck_assert_int_eq(run(NULL, NULL,
                             fmt("cd '%s' && sed '%s' '%s' > mutated.rules.yml && "
                                 "sed 's|^  - .*mta-preflight.rules.yml$|  - mutated.rules.yml|' "
                                 "'%s/tests/integration/mta-preflight.rules.test.yml' > mutated.test.yml",
                                 in.work, mutations[i], rules, gc(getcwd(NULL, 0)))),
                         0);
        ck_assert_msg(strstr(slurp(fmt("%s/mutated.test.yml", in.work)), "  - mutated.rules.yml\n") != NULL,
                      "test file not redirected");
        ck_assert_msg(run(&out, &err, fmt("cd '%s' && promtool test rules mutated.test.yml", in.work)) == 1,
                      "'%s' passed the unit tests", mutations[i]);
    }
    inst_done(&in);
}
END_TEST

START_TEST(prometheus_real_metrics)
{
    if (!can_run("prometheus_real_metrics", true, (const char *const[]){"promtool", NULL}))
        return;
    struct inst in;
    inst_make(&in, "integ-metrics");
    const char *pf = postfix_config(in.work, "postfix", "localhost");
    const char *tf = fmt("%s/textfile", in.work);
    ck_assert_int_eq(mkdir(tf, 0755), 0);
    const char *prom = fmt("%s/mta_preflight.prom", tf);
    char *out, *err;
    /* As the textfile service runs it. */
    ck_assert_int_eq(run(&out, &err, fmt(SANDBOX " none '%s' env MAIL_CONFIG='%s' '%s' --no-exim --format prometheus "
                                         "--output '%s'",
                                         in.work, pf, in.bin, prom)),
                     2);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(mode_of(prom), 0644);
    const char *metrics = slurp(prom);
    ck_assert_int_eq(run(&out, &err, fmt("promtool check metrics < '%s'", prom)), 0);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "");
    ck_assert_ptr_nonnull(strstr(metrics, "\nmta_preflight_status 2\n"));

    /* Every metric the rules use is one the program writes. */
    const char *rules = slurp(fmt("%s/prometheus/mta-preflight.rules.yml", in.share));
    size_t used = 0;
    for (const char *p = rules; (p = strstr(p, "mta_preflight_")) != NULL; p += 14) {
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
        const char *name = gc(xstrndup(p, n));
        ck_assert_msg(strstr(metrics, fmt("# TYPE %s gauge\n", name)) != NULL, "'%s' is not in the output", name);
        used++;
    }
    ck_assert_uint_eq(used, 4);

    /* The rules against this very output: the critical findings fire with
     * exactly their labels. */
    ck_assert_ptr_nonnull(strstr(metrics, "mta_preflight_finding{id=\"helo-invalid\",severity=\"critical\""));
    ck_assert_msg(run(&out, &err, fmt("sh tests/integration/prom_e2e.sh '%s' '%s/prometheus/mta-preflight.rules.yml' "
                                      "'%s'",
                                      prom, in.share, in.work)) == 0,
                  "%s%s", out, err);
    ck_assert_int_eq(run(&out, NULL, fmt("grep -c 'exp_labels:' '%s/e2e.test.yml'", in.work)), 0);
    ck_assert_str_eq(out, "2\n"); /* no-route and helo-invalid of smtp/unix */

    if (!can_run("prometheus_real_metrics (node_exporter)", true,
                 (const char *const[]){"prometheus-node-exporter", "curl", NULL})) {
        inst_done(&in);
        return;
    }
    ck_assert_msg(run(&out, &err, fmt(SANDBOX " none '%s' " MONITOR " node-exporter '%s' '%s'", in.work, in.work, tf)) ==
                      0,
                  "%s", err);
    ck_assert_ptr_nonnull(strstr(out, "\nmta_preflight_status 2\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nnode_textfile_scrape_error 0\n"));
    ck_assert_ptr_nonnull(strstr(out, fmt("node_textfile_mtime_seconds{file=\"%s\"}", prom)));
    ck_assert_ptr_nonnull(strstr(out, "mta_preflight_build_info{version=\"" MP_VERSION "\"} 1\n"));
    inst_done(&in);
}
END_TEST

/* ---- Nagios, NRPE, Icinga 2 ---- */

static void assert_plugin_output(const char *out, int rc, const char *status)
{
    ck_assert_msg(rc >= 0 && rc <= 3, "exit status %d", rc);
    const char *line = first_line(out);
    ck_assert_msg(strncmp(line, "MTA-PREFLIGHT ", 14) == 0, "first line '%s'", line);
    ck_assert_msg(strlen(line) <= 200, "first line has %zu characters", strlen(line));
    if (status)
        ck_assert_msg(strncmp(line + 14, status, strlen(status)) == 0, "first line '%s'", line);
    static const char *const words[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    ck_assert_msg(strncmp(line + 14, words[rc], strlen(words[rc])) == 0, "'%s' with exit status %d", line, rc);
}

START_TEST(nrpe_command_line)
{
    if (!can_run("nrpe_command_line", true, NULL))
        return;
    struct inst in;
    inst_make(&in, "integ-nrpe");
    const char *pf = postfix_config(in.work, "postfix", "localhost");
    const char *cfg = slurp(fmt("%s/nrpe/mta-preflight.cfg", in.share));
    const char *cmd = key_values(cfg, "command[check_mta_preflight]");
    ck_assert_str_eq(cmd, fmt("%s --format nagios --timeout 10", in.bin));
    char *out, *err;
    /* This host's own configuration, whatever it is. */
    int rc = run(&out, &err, fmt(SANDBOX " none '%s' %s", in.work, cmd));
    assert_plugin_output(out, rc, NULL);
    /* A known one. */
    rc = run(&out, &err, fmt(SANDBOX " none '%s' env MAIL_CONFIG='%s' %s", in.work, pf, cmd));
    ck_assert_int_eq(rc, 2);
    assert_plugin_output(out, rc, "CRITICAL - ");
    ck_assert_msg(count_lines(out) >= 3, "no long output: %s", out);
    /* A bad argument (an admin's edit) is UNKNOWN, one line. */
    rc = run(&out, &err, fmt(SANDBOX " none '%s' %s --frobnicate", in.work, cmd));
    ck_assert_int_eq(rc, 3);
    assert_plugin_output(out, rc, "UNKNOWN - ");

    if (!can_run("nrpe_command_line (nrpe daemon)", true,
                 (const char *const[]){"nrpe", "/usr/lib/nagios/plugins/check_nrpe", "setpriv", NULL}) ||
        run(NULL, NULL, "id nagios") != 0) {
        if (have("nrpe") && run(NULL, NULL, "id nagios") != 0)
            printf("skipped nrpe_command_line (nrpe daemon): no user 'nagios'\n");
        inst_done(&in);
        return;
    }
    /* Through a real NRPE (as user nagios, its environment cleared) and
     * check_nrpe: the same answer as the command run directly as nagios. */
    const char *via = fmt("%s/nrpe/mta-preflight.cfg", in.share);
    char *nrpe_out;
    int nrpe_rc = run(&nrpe_out, &err, fmt(SANDBOX " none '%s' " MONITOR " nrpe '%s' '%s'", in.work, in.work, via));
    assert_plugin_output(nrpe_out, nrpe_rc, NULL);
    rc = run(&out, &err, fmt(SANDBOX " none '%s' setpriv --reuid=nagios --regid=nagios --clear-groups "
                             "env -i PATH=/usr/bin:/bin %s",
                             in.work, cmd));
    ck_assert_int_eq(nrpe_rc, rc);
    ck_assert_str_eq(nrpe_out, out);
    inst_done(&in);
}
END_TEST

START_TEST(icinga2_check_command)
{
    if (!can_run("icinga2_check_command", true, (const char *const[]){"icinga2", NULL}))
        return;
    struct inst in;
    inst_make(&in, "integ-icinga");
    const char *pf = postfix_config(in.work, "postfix", "localhost");
    ts_write_file(fmt("%s/icinga2-objects.conf", in.work),
                  fmt("object Host \"mx\" {\n"
                      "  check_command = \"dummy\"\n"
                      "  enable_active_checks = false\n"
                      "}\n"
                      "object Service \"mta-preflight\" {\n"
                      "  host_name = \"mx\"\n"
                      "  check_command = \"mta-preflight\"\n"
                      "  check_interval = 2s\n"
                      "  retry_interval = 2s\n"
                      "  vars.mta_preflight_dns_server = [ \"127.0.0.1:5353\", \"[::1]:5353\" ]\n"
                      "  vars.mta_preflight_postfix_dir = \"%s\"\n"
                      "  vars.mta_preflight_no_exim = true\n"
                      "  vars.mta_preflight_timeout = 2\n"
                      "}\n",
                      pf));
    const char *conf = fmt("%s/icinga2/mta-preflight.conf", in.share);
    char *out, *err;
    /* The configuration check, with the ITL as an agent has it. */
    ts_write_file(fmt("%s/validate.conf", in.work),
                  fmt("include <itl>\ninclude \"%s\"\ninclude \"%s/icinga2-objects.conf\"\n", conf, in.work));
    ck_assert_int_eq(mkdir(fmt("%s/cache", in.work), 0755), 0);
    ck_assert_msg(run(&out, &err, fmt("ICINGA2_USER=root ICINGA2_GROUP=root icinga2 daemon -C -c '%s/validate.conf' "
                                      "-DCacheDir='%s/cache'",
                                      in.work, in.work)) == 0,
                  "%s%s", out, err);
    ck_assert_msg(strstr(out, "Instantiated 1 Service.") != NULL, "%s", out);

    /* Icinga 2 running it: the arguments it builds and the state it reads. */
    ck_assert_msg(run(&out, &err, fmt(SANDBOX " none '%s' " MONITOR " icinga2 '%s' '%s'", in.work, in.work, conf)) == 0,
                  "%s", err);
    ck_assert_msg(strncmp(out, "SERVICESTATE::2\tSERVICEOUTPUT::MTA-PREFLIGHT CRITICAL - ", 56) == 0, "%s", out);
    ck_assert_msg(strstr(out, fmt("Running command '%s' '--format' 'nagios' '--dns-server' '127.0.0.1:5353' "
                                  "'--dns-server' '[::1]:5353' '--no-exim' '--postfix-dir' '%s' '--timeout' '2'",
                                  in.bin, pf)) != NULL,
                  "%s", out);
    inst_done(&in);
}
END_TEST

Suite *integration_suite(void)
{
    Suite *s = suite_create("integration");

    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, gc_free_all);
    tcase_add_test(tc, install_script_layout_and_paths);
    tcase_add_test(tc, make_install_and_uninstall);
    tcase_add_test(tc, systemd_units_verify);
    tcase_add_test(tc, systemd_units_hardening);
    tcase_add_test(tc, cron_file_fields);
    tcase_add_test(tc, cron_command_runs_as_cron_would);
    suite_add_tcase(s, tc);

    tc = tcase_create("apt_hook");
    tcase_set_timeout(tc, 180);
    tcase_add_checked_fixture(tc, NULL, gc_free_all);
    tcase_add_unchecked_fixture(tc, apt_purge, apt_purge);
    tcase_add_test(tc, dpkg_status_notes_mta_packages_and_errors);
    tcase_add_test(tc, apt_pinvoke_runs_only_when_asked);
    tcase_add_test(tc, apt_pinvoke_is_bounded);
    tcase_add_test(tc, apt_hook_reports_a_critical_audit);
    tcase_add_test(tc, apt_hook_survives_silent_dns);
    tcase_add_test(tc, apt_hook_without_program_or_scripts);
    tcase_add_test(tc, apt_hook_ignores_other_packages);
    tcase_add_test(tc, apt_hook_skips_after_a_dpkg_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("monitoring");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, NULL, gc_free_all);
    tcase_add_test(tc, prometheus_rules_check_and_unit_tests);
    tcase_add_test(tc, prometheus_real_metrics);
    tcase_add_test(tc, nrpe_command_line);
    tcase_add_test(tc, icinga2_check_command);
    suite_add_tcase(s, tc);
    return s;
}
