#!/bin/sh
# build_check - the release build as a user or a packager makes it, checked
# from the outside (make build-check; CI runs it too). In a scratch BUILD_ROOT,
# so build/ is left alone:
#
#   1. make BUILD=release with CPPFLAGS and CFLAGS on the command line: it
#      builds warning free, the user's flags reach every compilation after the
#      project's own, and readelf finds PIE (Type DYN), GNU_RELRO, BIND_NOW,
#      fortified calls (*_chk) and the stack protector (__stack_chk_fail);
#   2. make install DESTDIR=... (no BUILD given) installs that -O2 binary
#      (PREFIX/sbin) and the manual page (section 8); make uninstall leaves no
#      file behind, with the default PREFIX and with PREFIX=/usr;
#   3. which build install takes: BUILD given > the last 'make' > release;
#   4. with dpkg-buildflags' exported flags (DEB_BUILD_MAINT_OPTIONS=
#      hardening=+all) in the environment, make BUILD=release uses every one
#      of them and the binary is hardened as well;
#   5. the version is the same in the Makefile, debian/changelog, the manual
#      page and the release binary's --version (tests/version_check.sh).
#
# Prints one line per check and a closing "build-check: N passed, N failed";
# exits 1 when a check failed (the scratch directory is then kept).
# $make stays unquoted: MAKE may carry options. The helpers run through check().
# shellcheck disable=SC1090,SC2086,SC2317
set -u
cd "$(dirname "$0")/.." || exit 1

# Our own make runs must not inherit a parent make's settings or the caller's flags.
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD BUILD_DIR BUILD_ROOT CPPFLAGS CFLAGS LDFLAGS DESTDIR PREFIX
make=${MAKE:-make}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mp-build-check-XXXXXX") || exit 1
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

# hardened BIN LABEL - the readelf checks of one binary; prints what it found.
# (Shell functions share their variables: each function has its own names.)
hardened() {
    h_bin=$1 h_label=$2
    h_type=$(readelf -hW "$h_bin" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')
    check "$h_label: PIE (ELF type $h_type)" test "$h_type" = DYN
    check "$h_label: GNU_RELRO segment" sh -c "readelf -lW '$h_bin' | grep -q GNU_RELRO"
    h_now=$(readelf -dW "$h_bin" | sed -n 's/.*(\(FLAGS[_1]*\)) *\(.*\)/\1 \2;/p' | tr '\n' ' ')
    check "$h_label: BIND_NOW (${h_now% })" \
        sh -c "readelf -dW '$h_bin' | grep -Eq '\\(FLAGS\\).*BIND_NOW|\\(FLAGS_1\\).*NOW'"
    h_chk=$(readelf --dyn-syms -W "$h_bin" | grep -o '__[a-z0-9_]*_chk' | grep -v '^__stack_chk' | sort -u |
        tr '\n' ' ')
    check "$h_label: fortified calls: ${h_chk% }" test -n "$h_chk"
    check "$h_label: stack protector (__stack_chk_fail)" \
        sh -c "readelf --dyn-syms -W '$h_bin' | grep -q '__stack_chk_fail'"
}

# producers_have BIN WORD... - every C compilation unit of the project in
# BIN's debug information was compiled with each WORD (an option).
producers_have() {
    p_bin=$1
    shift
    p_producers=$(readelf --debug-dump=info "$p_bin" 2>/dev/null | grep DW_AT_producer | grep 'GNU C')
    [ -n "$p_producers" ] || return 1
    for p_word in "$@"; do
        if printf '%s\n' "$p_producers" | grep -v -q -e " $p_word\$" -e " $p_word "; then
            return 1
        fi
    done
}

# producers_lack BIN WORD - no C compilation unit in BIN was compiled with WORD.
producers_lack() {
    ! readelf --debug-dump=info "$1" 2>/dev/null | grep DW_AT_producer | grep 'GNU C' | grep -q -e " $2\$" -e " $2 "
}

# flags_order LOG FIRST SECOND - every compile command in LOG has the word
# SECOND, after the word FIRST.
flags_order() {
    awk -v a="$2" -v b="$3" '
        / -c -o / {
            n++; ia = 0; ib = 0
            for (i = 1; i <= NF; i++) { if ($i == a && !ia) ia = i; if ($i == b) ib = i }
            if (!ia || !ib || ib < ia) { print "  not in order: " $0; bad++ }
        }
        END { exit (n == 0 || bad) ? 1 : 0 }' "$1"
}

# every_line_has LOG PATTERN TEXT - every line of LOG matching PATTERN holds TEXT.
every_line_has() {
    e_lines=$(grep -e "$2" "$1")
    [ -n "$e_lines" ] || return 1
    ! printf '%s\n' "$e_lines" | grep -v -F -q -e "$3"
}

# 1. The release build with the user's flags on the command line.
root=$scratch/root
user_cpp=-DMP_BUILD_CHECK_CPPFLAGS=1
user_c=-fno-omit-frame-pointer
log=$scratch/release.log
if $make BUILD=release BUILD_ROOT="$root" WERROR=1 CPPFLAGS="$user_cpp" CFLAGS="$user_c" all > "$log" 2>&1; then
    ok "make BUILD=release CPPFLAGS=$user_cpp CFLAGS=$user_c WERROR=1"
else
    fail "make BUILD=release CPPFLAGS=$user_cpp CFLAGS=$user_c WERROR=1 (see $log)"
    tail -n 20 "$log"
fi
bin=$root/release/mta-preflight
check "user CPPFLAGS follow the project's in every compilation" flags_order "$log" -D_DEFAULT_SOURCE "$user_cpp"
check "user CFLAGS follow the project's in every compilation" flags_order "$log" -O2 "$user_c"
check "the link has -pie -Wl,-z,relro -Wl,-z,now" every_line_has "$log" "-o $bin " "-pie -Wl,-z,relro -Wl,-z,now"
check "every compilation unit was built with -O2 and $user_c" producers_have "$bin" -O2 "$user_c"
hardened "$bin" release
check "make recorded the build type (last-build: $(cat "$root/last-build" 2>/dev/null))" \
    test "$(cat "$root/last-build" 2>/dev/null)" = release

# 2. install and uninstall without BUILD: the build just made.
dest=$scratch/dest
for prefix in "" /usr; do
    args="BUILD_ROOT=$root DESTDIR=$dest${prefix:+ PREFIX=$prefix}"
    shown=${prefix:-/usr/local}
    # shellcheck disable=SC2086
    if $make $args install > "$scratch/install.log" 2>&1; then
        ok "make install DESTDIR=... PREFIX=$shown"
    else
        fail "make install DESTDIR=... PREFIX=$shown"
        cat "$scratch/install.log"
    fi
    check "installed $shown/sbin/mta-preflight is the release binary just built" \
        cmp -s "$bin" "$dest$shown/sbin/mta-preflight"
    check "installed binary was compiled with -O2" producers_have "$dest$shown/sbin/mta-preflight" -O2
    check "installed binary has no -O0 compilation unit" producers_lack "$dest$shown/sbin/mta-preflight" -O0
    check "installed $shown/share/man/man8/mta-preflight.8" \
        cmp -s auditor/mta-preflight.8 "$dest$shown/share/man/man8/mta-preflight.8"
    # shellcheck disable=SC2086
    $make $args uninstall > "$scratch/uninstall.log" 2>&1 || cat "$scratch/uninstall.log"
    left=$(find "$dest" ! -type d)
    check "make uninstall PREFIX=$shown leaves no file behind${left:+ (left: $left)}" test -z "$left"
done

# 3. Which build install takes (make -n shows the command it would run).
installs() {
    want=$1
    shift
    "$@" > "$scratch/n.log" 2>&1
    grep -q "install -m 755 $root/$want/mta-preflight " "$scratch/n.log"
}
check "install after 'make BUILD=release' takes release" installs release $make -n BUILD_ROOT="$root" install
echo debug > "$root/last-build"
check "install after 'make' (debug) takes debug" installs debug $make -n BUILD_ROOT="$root" install
check "install BUILD=release on the command line wins over the last build" \
    installs release $make -n BUILD_ROOT="$root" BUILD=release install
check "install with BUILD=asan in the environment takes asan" \
    installs asan env BUILD=asan $make -n BUILD_ROOT="$root" install
rm -f "$root/last-build"
check "install with nothing built and no BUILD takes release" installs release $make -n BUILD_ROOT="$root" install
check "uninstall needs no build" sh -c "$make -n BUILD_ROOT='$root' DESTDIR='$dest' uninstall | grep -q 'rm -f'"

# 4. dpkg-buildflags' flags from the environment.
if command -v dpkg-buildflags > /dev/null 2>&1; then
    droot=$scratch/dpkg
    dlog=$scratch/dpkg.log
    flags=$scratch/dpkg-flags.sh
    DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh > "$flags"
    (
        . "$flags"
        $make BUILD=release BUILD_ROOT="$droot" WERROR=1 "$droot/release/mta-preflight"
    ) > "$dlog" 2>&1
    check "eval \"\$(dpkg-buildflags --export=sh)\"; make BUILD=release (hardening=+all)" \
        test -x "$droot/release/mta-preflight"
    for var in CPPFLAGS CFLAGS; do
        value=$(. "$flags" && eval "printf '%s' \"\$$var\"")
        check "dpkg-buildflags $var ($value) in every compilation" every_line_has "$dlog" " -c -o " "$value"
    done
    value=$(. "$flags" && printf '%s' "$LDFLAGS")
    check "dpkg-buildflags LDFLAGS ($value) in the link" \
        every_line_has "$dlog" "-o $droot/release/mta-preflight " "$value"
    hardened "$droot/release/mta-preflight" "dpkg-buildflags release"
else
    echo "skipped dpkg-buildflags checks: dpkg-buildflags is not installed (dpkg-dev)"
fi

# 5. One version.
if sh tests/version_check.sh "$bin" > "$scratch/version.log" 2>&1; then
    ok "one version: $(sed -n 's/^ok    Makefile VERSION is //p' "$scratch/version.log") in the Makefile, debian/changelog, the manual page and --version"
else
    fail "versions differ (tests/version_check.sh)"
    cat "$scratch/version.log"
fi

echo "build-check: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
    echo "build-check: logs and builds kept in $scratch" >&2
    exit 1
fi
rm -rf "$scratch"
exit 0
