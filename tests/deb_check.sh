#!/bin/sh
# deb_check - the Debian package as an administrator meets it (make deb-check;
# CI runs it). In a scratch directory, so neither build/ nor the host's
# package database keeps anything of it:
#
#   1. the version is the same everywhere (tests/version_check.sh);
#   2. a clean copy of this tree (the files git knows, or everything but the
#      build directories without git) is built with 'dpkg-buildpackage -us
#      -uc -b': mta-preflight_VERSION_ARCH.deb, its build ran the unit tests;
#   3. lintian on the .changes (the .deb files and the .buildinfo) reports
#      no error and no warning (overrides: debian/*.lintian-overrides);
#   4. the package holds what it should: the program in /usr/sbin, the manual
#      page in section 8, every file of install.sh's system layout, the
#      conffiles, and none of the third-party samples;
#   as root (CI is root; otherwise these are skipped, and with
#   MP_REQUIRE_ALL=1 the skip fails the run):
#      the build's unit tests again as nobody, without a network or Postfix;
#   5. 'apt-get install ./DEB': the program runs, audits the bundled example,
#      the daily timer is enabled and the metrics timer is not, the units
#      pass systemd-analyze verify, the cron line runs where systemd is not
#      the init system;
#   6. apt-get installs of local test packages (one unrelated, one named
#      like an Exim package, so the hook audits): apt succeeds each time;
#   7. a reinstall (the upgrade path) keeps an administrator's disabled timer
#      disabled and a deleted conffile deleted;
#   8. 'dpkg --remove': the conffiles and the state stay, and apt still works
#      with the hook's snippets left behind; the cron line does nothing;
#   9. 'dpkg --purge': nothing of the package is left (every path 'dpkg -L'
#      listed, the state, the hook's marks, the timer's enablement).
#
# Prints one line per check and a closing "deb-check: N passed, N failed";
# exits 1 when a check failed (the scratch directory is then kept). Refuses
# to run when mta-preflight is already installed: it would be purged.
# The checks run small sh -c scripts that take their values as $1, $2: in
# single quotes on purpose.
# shellcheck disable=SC2016,SC2317
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)

# The package build must not inherit a parent make's settings, the caller's
# flags or a nocheck: it is built as a packager would build it.
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD BUILD_DIR BUILD_ROOT CPPFLAGS CFLAGS LDFLAGS DESTDIR PREFIX \
    INTEGRATION_LAYOUT CK_RUN_SUITE CK_RUN_CASE
export DEBIAN_FRONTEND=noninteractive
DEB_BUILD_OPTIONS="parallel=$(nproc 2>/dev/null || echo 1)"
export DEB_BUILD_OPTIONS
start=$(date +%s)
passed=0 failed=0

ok() {
    passed=$((passed + 1))
    echo "ok    $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL  $1"
}

# check DESCRIPTION COMMAND... - one check: the command's success.
check() {
    what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

phase() {
    echo "deb-check: $1 ($(($(date +%s) - start)) s so far)"
}

finish() {
    echo "deb-check: $passed passed, $failed failed ($(($(date +%s) - start)) s)"
    if [ "$failed" -ne 0 ]; then
        echo "deb-check: the build, its log and the lintian report are kept in $scratch" >&2
        exit 1
    fi
    rm -rf "$scratch"
    exit 0
}

missing=
for tool in dpkg-buildpackage dh lintian fakeroot dpkg-deb; do
    command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "deb-check: missing:$missing; as root: sh tests/install-deps.sh" \
        "(or apt-get install --no-install-recommends debhelper lintian dpkg-dev fakeroot)" >&2
    echo "deb-check: 0 passed, 1 failed"
    exit 1
fi
if dpkg-query -W -f='${Status}' mta-preflight 2>/dev/null | grep -q 'install\|config-files'; then
    echo "deb-check: mta-preflight is installed on this host; deb-check installs and purges its own" \
        "build, so purge it first (dpkg --purge mta-preflight)" >&2
    echo "deb-check: 0 passed, 1 failed"
    exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mp-deb-check-XXXXXX") || exit 1
chmod 755 "$scratch"

# 1. One version.
phase "versions"
check "the version is the same in the Makefile, debian/changelog and the manual page" \
    sh -c 'sh tests/version_check.sh > "$1/version.log" 2>&1 || { cat "$1/version.log"; exit 1; }' sh "$scratch"
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
deb=$scratch/mta-preflight_${version}_$arch.deb
changes=$scratch/mta-preflight_${version}_$arch.changes

# 2. The build, from a clean copy.
phase "dpkg-buildpackage -us -uc -b"
src=$scratch/mta-preflight-$version
mkdir -p "$src"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    # Tracked and new files as they are now; deleted ones are gone.
    git ls-files -co --exclude-standard | while IFS= read -r f; do
        [ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"
    done | grep -v -e '^build/' -e '^debian/build/' | tar -cf - -T - | tar -xf - -C "$src"
else
    tar -cf - --exclude=./.git --exclude=./build --exclude=./debian/build . | tar -xf - -C "$src"
fi
check "clean copy of the tree has no build/" test ! -e "$src/build"
build_start=$(date +%s)
if (cd "$src" && dpkg-buildpackage -us -uc -b) > "$scratch/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b ($(($(date +%s) - build_start)) s)"
else
    fail "dpkg-buildpackage -us -uc -b (log: $scratch/build.log)"
    tail -n 30 "$scratch/build.log"
    finish
fi
check "built $(basename "$deb")" test -f "$deb"
check "the build ran the unit tests (make unit-check)" \
    grep -Eq '^unit-check: [1-9][0-9]* suites and cases passed$' "$scratch/build.log"
check "the build left build/ of the copy alone (it uses debian/build)" test ! -e "$src/build"
check "the package's version is the changelog's" \
    sh -c 'sh tests/version_check.sh "" "$1" > /dev/null 2>&1' sh "$deb"

# 3. lintian.
phase "lintian"
lintian --info --display-experimental --pedantic --fail-on error,warning "$changes" > "$scratch/lintian.log" 2>&1
rc=$?
grep -v 'running with root privileges' "$scratch/lintian.log" | sed 's/^/      /'
check "lintian on the .changes: no error, no warning" test "$rc" -eq 0
check "lintian reports no error or warning tag" sh -c '! grep -q "^[EW]: " "$1"' sh "$scratch/lintian.log"

# 4. The contents.
contents=$scratch/contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' | grep -v '^$' | sort > "$contents"
has() { grep -qx "$1" "$contents"; }
check "ships /usr/sbin/mta-preflight" has /usr/sbin/mta-preflight
check "ships the manual page in section 8" has /usr/share/man/man8/mta-preflight.8.gz
check "ships no manual page in section 1" sh -c '! grep -q "/man1/" "$1"' sh "$contents"
check "ships nothing in /usr/bin or /usr/local" sh -c '! grep -Eq "^/usr/(bin|local)(/|$)" "$1"' sh "$contents"
for f in README.md.gz copyright changelog.gz examples/demo/postfix/main.cf examples/demo/postfix/master.cf; do
    check "ships /usr/share/doc/mta-preflight/$f" has "/usr/share/doc/mta-preflight/$f"
done
layout=$(LAYOUT=system PREFIX=/usr BINDIR=/usr/sbin sh auditor/integration/install.sh list)
for f in $layout; do
    check "ships $f" has "$f"
done
check "ships none of the third-party samples (corpus-*)" sh -c '! grep -q "corpus" "$1"' sh "$contents"
conffiles=$(dpkg-deb -I "$deb" conffiles 2>/dev/null | sort | tr '\n' ' ')
check "conffiles: $conffiles" test "$conffiles" = \
    "/etc/apt/apt.conf.d/99mta-preflight /etc/cron.d/mta-preflight /etc/dpkg/dpkg.cfg.d/mta-preflight "
dpkg-deb -x "$deb" "$scratch/x"
pbin=$scratch/x/usr/sbin/mta-preflight
check "the packaged program is PIE with full RELRO and BIND_NOW" sh -c 'readelf -hW "$1" | grep -q "Type: *DYN" &&
    readelf -lW "$1" | grep -q GNU_RELRO && readelf -dW "$1" | grep -Eq "\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW"' \
    sh "$pbin"
check "the packaged program has fortified calls and the stack protector" \
    sh -c 'readelf --dyn-syms -W "$1" | grep -q "__[a-z]*printf_chk" &&
        readelf --dyn-syms -W "$1" | grep -q __stack_chk_fail' sh "$pbin"
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends from shlibs: $depends" sh -c 'case "$1" in *libc-ares2*libc6*) exit 0 ;; *) exit 1 ;; esac' sh \
    "$depends"

if [ "$(id -u)" -ne 0 ]; then
    echo "skipped deb-check install, hook, remove and purge: needs root (apt-get install, dpkg --purge)"
    if [ "${MP_REQUIRE_ALL:-}" = 1 ]; then
        fail "MP_REQUIRE_ALL=1 and the install checks were skipped"
    fi
    finish
fi

# From here on the host's package database changes: whatever happens, purge
# what was installed (the test packages too) when the script ends.
TEST_PKGS="mp-deb-check-unrelated exim4-mp-deb-check"
cleanup() {
    for p in mta-preflight $TEST_PKGS; do
        if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install\|config-files'; then
            dpkg_run "$scratch/cleanup.log" --purge "$p" || echo "deb-check: cannot purge $p" >&2
        fi
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# Other apt or dpkg runs on the host hold the lock for a while: apt waits
# for it (DPkg::Lock::Timeout), dpkg is retried for up to two minutes.
apt_install() { # LOG ARGS...
    a_log=$1
    shift
    apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=120 "$@" \
        > "$a_log" 2>&1
}
dpkg_run() { # LOG ARGS...
    d_log=$1
    shift
    d_try=0
    while ! dpkg "$@" > "$d_log" 2>&1; do
        d_try=$((d_try + 1))
        grep -q 'lock' "$d_log" && [ "$d_try" -lt 60 ] || return 1
        sleep 2
    done
}
enabled() { # UNIT: "enabled", "disabled", ...; without systemctl, from the link
    if command -v systemctl > /dev/null 2>&1; then
        systemctl is-enabled "$1" 2>/dev/null
    elif [ -L "/etc/systemd/system/timers.target.wants/$1" ]; then
        echo enabled
    else
        echo disabled
    fi
}
# The cron job's command, run as cron runs it where systemd is not the init
# system (/run hidden) and without a network (DNS fails at once).
cron_run() {
    c_cmd=$(sed -n 's/^[0-9*][^ ]* [^ ]* [^ ]* [^ ]* [^ ]* root //p' /etc/cron.d/mta-preflight)
    unshare --mount --net --propagation private sh -c 'mount -t tmpfs tmpfs /run && exec env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LOGNAME=root /bin/sh -c "$1"' \
        sh "$c_cmd"
}

# The build's unit tests once more as a Debian build machine runs them: as a
# user who is not root, without a network (a network namespace of its own,
# no interface up, not even loopback) and without Postfix (postconf hidden:
# it is no build dependency, and it refuses to run without an interface).
phase "make unit-check as nobody, without a network or Postfix"
check "make unit-check as nobody, with no network interface up and no postconf" \
    sh -c 'unshare --net --mount --propagation private sh -c "
        for t in /usr/sbin/postconf /usr/sbin/postqueue; do [ ! -e \$t ] || mount --bind /dev/null \$t; done
        exec setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=/tmp TMPDIR=/tmp \
            make -s -C \"\$1\" BUILD=release BUILD_ROOT=debian/build unit-check" sh "$1" > "$2" 2>&1 &&
        grep -Eq "^unit-check: [1-9][0-9]* suites and cases passed$" "$2" || { tail -n 20 "$2"; exit 1; }' \
    sh "$src" "$scratch/unit-nobody.log"

# 5. Install.
phase "apt-get install ./$(basename "$deb")"
if apt_install "$scratch/install.log" "$deb"; then
    ok "apt-get install ./$(basename "$deb")"
else
    fail "apt-get install ./$(basename "$deb")"
    cat "$scratch/install.log"
    finish
fi
dpkg -L mta-preflight | sort > "$scratch/dpkg-L"
# What dpkg -L lists that is not a directory, and the package's own
# directories (-d follows links: /lib is one on a merged /usr).
while IFS= read -r p; do
    if [ -d "$p" ]; then
        case "$p" in *mta-preflight*) echo "$p" >> "$scratch/own-dirs" ;; esac
    else
        echo "$p" >> "$scratch/files"
    fi
done < "$scratch/dpkg-L"
check "dpkg -L lists $(wc -l < "$scratch/files") files, all present" \
    sh -c 'while read -r f; do [ -e "$f" ] || { echo "  missing: $f"; exit 1; }; done < "$1"' sh "$scratch/files"
check "mta-preflight is /usr/sbin/mta-preflight on PATH" \
    test "$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v mta-preflight)" = /usr/sbin/mta-preflight
check "mta-preflight --version" sh -c 'sh tests/version_check.sh /usr/sbin/mta-preflight > /dev/null 2>&1'
if command -v man > /dev/null 2>&1; then
    check "man -w 8 mta-preflight finds the page" \
        test "$(man -w 8 mta-preflight 2>/dev/null)" = /usr/share/man/man8/mta-preflight.8.gz
fi
example=/usr/share/doc/mta-preflight/examples/demo/postfix
out=$(/usr/sbin/mta-preflight identities --postfix-dir "$example" --no-exim --system-hostname host.example.net 2>&1)
rc=$?
check "identities of the bundled example: exit 0, EHLO mail.example.com (exit $rc)" \
    sh -c '[ "$1" -eq 0 ] && printf "%s\n" "$2" | grep -q "^  smtp/unix  *mail.example.com "' sh "$rc" "$out"
out=$(/usr/sbin/mta-preflight --postfix-dir "$example" --no-exim --dns-server 127.0.0.1:1 --timeout 1 2>&1)
rc=$?
check "audit of the bundled example without a resolver: a verdict (exit $rc, 0 to 3) naming mail.example.com" \
    sh -c '[ "$1" -ge 0 ] && [ "$1" -le 3 ] && printf "%s\n" "$2" | grep -q "mail.example.com"' sh "$rc" "$out"
check "the units run /usr/sbin/mta-preflight" \
    grep -q '^ExecStart=/usr/sbin/mta-preflight ' /lib/systemd/system/mta-preflight.service \
    /lib/systemd/system/mta-preflight-textfile.service
check "the apt hook calls /usr/lib/mta-preflight/apt-pinvoke behind test -x" \
    grep -q '"test -x /usr/lib/mta-preflight/apt-pinvoke && /usr/lib/mta-preflight/apt-pinvoke || true"' \
    /etc/apt/apt.conf.d/99mta-preflight
check "the hook scripts are executable" \
    test -x /usr/lib/mta-preflight/apt-pinvoke -a -x /usr/lib/mta-preflight/dpkg-status
check "mta-preflight.timer is enabled ($(enabled mta-preflight.timer))" test "$(enabled mta-preflight.timer)" = enabled
check "mta-preflight-textfile.timer is not enabled ($(enabled mta-preflight-textfile.timer))" \
    test "$(enabled mta-preflight-textfile.timer)" = disabled
if command -v systemd-analyze > /dev/null 2>&1; then
    check "systemd-analyze verify the installed units" sh -c 'SYSTEMD_LOG_COLOR=0 systemd-analyze verify \
        mta-preflight.timer mta-preflight.service mta-preflight-textfile.timer mta-preflight-textfile.service \
        > "$1/verify.log" 2>&1 || { cat "$1/verify.log"; exit 1; }' sh "$scratch"
fi
rm -f /var/lib/mta-preflight/state.json
cron_run > "$scratch/cron.log" 2>&1
rc=$?
check "the cron line audits where systemd is not the init system (exit $rc, state written)" \
    sh -c '[ "$1" -le 3 ] && [ -f /var/lib/mta-preflight/state.json ]' sh "$rc"

# 6. The apt hook around apt-get installs of local packages.
phase "apt hook"
build_test_deb() { # NAME
    d=$scratch/pkg/$1
    mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$1"
    printf '%s\n' "Package: $1" "Version: 1.0" "Architecture: all" \
        "Maintainer: mta-preflight tests <tests@example.invalid>" "Priority: optional" "Section: mail" \
        "Description: package for the deb-check of mta-preflight" \
        " Installs one text file; safe to purge at any time." > "$d/DEBIAN/control"
    echo "test package of mta-preflight's deb-check" > "$d/usr/share/doc/$1/README"
    dpkg-deb --root-owner-group -Zgzip --build "$d" "$scratch/$1.deb" > /dev/null
}
for p in $TEST_PKGS; do build_test_deb "$p"; done
rm -f /var/lib/mta-preflight/hook-state.json
check "apt-get install of an unrelated package succeeds with the hook loaded" \
    apt_install "$scratch/apt-unrelated.log" "$scratch/mp-deb-check-unrelated.deb"
check "the hook did not audit for an unrelated package" test ! -e /var/lib/mta-preflight/hook-state.json
t0=$(date +%s)
check "apt-get install of an Exim-named package succeeds with the hook auditing" \
    apt_install "$scratch/apt-exim.log" "$scratch/exim4-mp-deb-check.deb"
check "the hook audited after it ($(($(date +%s) - t0)) s for the apt run; hook-state.json written)" \
    test -f /var/lib/mta-preflight/hook-state.json
check "the hook left no mark behind in /run/mta-preflight" \
    sh -c '! ls -A /run/mta-preflight 2>/dev/null | grep -q .'
# shellcheck disable=SC2086
check "apt-get purge of the test packages succeeds with the hook loaded" \
    sh -c 'apt-get purge -y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=120 "$@" > /dev/null 2>&1' sh $TEST_PKGS

# 7. The upgrade path: a reinstall keeps the administrator's choices.
phase "reinstall"
if command -v systemctl > /dev/null 2>&1; then
    systemctl disable mta-preflight.timer > /dev/null 2>&1
else
    rm -f /etc/systemd/system/timers.target.wants/mta-preflight.timer
fi
rm -f /etc/cron.d/mta-preflight
check "apt-get install --reinstall ./$(basename "$deb")" apt_install "$scratch/reinstall.log" --reinstall "$deb"
check "a timer the administrator disabled stays disabled ($(enabled mta-preflight.timer))" \
    test "$(enabled mta-preflight.timer)" = disabled
check "a conffile the administrator deleted (the cron file) stays deleted" test ! -e /etc/cron.d/mta-preflight
check "apt-get install --reinstall with --force-confmiss brings it back" \
    apt_install "$scratch/reinstall-confmiss.log" --reinstall -o Dpkg::Options::=--force-confmiss "$deb"
check "the cron file is back" test -f /etc/cron.d/mta-preflight

# 8. Remove: conffiles and state stay; apt keeps working; cron does nothing.
phase "dpkg --remove"
check "dpkg --remove mta-preflight" dpkg_run "$scratch/remove.log" --remove mta-preflight
check "removed: the program is gone" test ! -e /usr/sbin/mta-preflight
check "removed: the conffiles stay (the apt snippet, the cron file)" \
    test -f /etc/apt/apt.conf.d/99mta-preflight -a -f /etc/cron.d/mta-preflight
check "removed: the state stays in /var/lib/mta-preflight" test -f /var/lib/mta-preflight/state.json
check "apt-get install of an Exim-named package still succeeds with the snippets left behind" \
    apt_install "$scratch/apt-after-remove.log" "$scratch/exim4-mp-deb-check.deb"
rm -f /var/lib/mta-preflight/state.json
out=$(cron_run 2>&1)
rc=$?
check "removed: the cron line does nothing (exit $rc, no output, no state)" \
    sh -c '[ "$1" -eq 0 ] && [ -z "$2" ] && [ ! -e /var/lib/mta-preflight/state.json ]' sh "$rc" "$out"
dpkg_run "$scratch/purge-test.log" --purge exim4-mp-deb-check || cat "$scratch/purge-test.log"

# 9. Purge: nothing left.
phase "dpkg --purge"
check "dpkg --purge mta-preflight" dpkg_run "$scratch/purge.log" --purge mta-preflight
check "purged: dpkg knows no mta-preflight" \
    sh -c '! dpkg-query -W -f="\${Status}" mta-preflight 2>/dev/null | grep -q "install\|config-files"'
check "purged: none of the $(wc -l < "$scratch/files") files dpkg -L listed is left" \
    sh -c 'while read -r f; do [ ! -e "$f" ] && [ ! -L "$f" ] || { echo "  left: $f"; exit 1; }; done < "$1"' \
    sh "$scratch/files"
check "purged: none of the package's own directories is left" \
    sh -c 'while read -r f; do [ ! -e "$f" ] || { echo "  left: $f"; exit 1; }; done < "$1"' sh "$scratch/own-dirs"
check "purged: /var/lib/mta-preflight is gone" test ! -e /var/lib/mta-preflight
check "purged: /run/mta-preflight is gone" test ! -e /run/mta-preflight
left=$(find /etc /lib/systemd /usr /var/lib /run \( -path /usr/local -o -path "$top" -o -path "$scratch" \) -prune -o \
    -name '*mta-preflight*' -print 2>/dev/null)
check "purged: no path named *mta-preflight* in /etc, /lib/systemd, /usr, /var/lib, /run${left:+ (left: $left)}" \
    test -z "$left"

phase "done"
finish
