#!/bin/sh
# Install what mta-preflight needs to build and to run its tests, from Debian's
# archive, non-interactively, starting no daemon.
#
#   sh tests/install-deps.sh            install everything (as root)
#   sh tests/install-deps.sh --ensure   install only when something is missing; when
#                                       not root, print what to install and fail
#   sh tests/install-deps.sh --missing  print the missing packages, change nothing
#   sh tests/install-deps.sh --ensure-deb
#                                       as --ensure, for 'make deb-check' only: the
#                                       Build-Depends of debian/control and the
#                                       packaging tools (no test tools, no oracle)
#
# Besides packages it unpacks Debian's Exim next to Postfix (the two packages
# conflict) into build/oracle/exim, to serve as the test oracle for the Exim parser,
# and the heavy build with the two libraries the system lacks for it into
# build/oracle/exim-heavy (run with LD_LIBRARY_PATH=ROOT/usr/lib/x86_64-linux-gnu:ROOT/usr/lib)
# for configurations that use lookups, content scanning or authenticators light lacks.
set -eu

BUILD_PKGS="build-essential pkg-config libpcre2-dev libc-ares-dev libjson-c-dev libmnl-dev"
TEST_PKGS="check nsd unbound bind9-dnsutils nftables iproute2 postfix valgrind cppcheck util-linux procps"
EXIM_LIBS="libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libnsl2 libcrypt1 libpcre2-8-0"
EXIM_DEBS="exim4-daemon-light exim4-base exim4-config"
EXIM_HEAVY_DEBS="exim4-daemon-heavy libmariadb3 libspf2-2"
# Optional: clang and its libFuzzer runtime for 'make fuzz'. A failure to
# install them is reported and does not fail this script.
FUZZ_PKGS="clang libclang-rt-dev"
# Optional: what 'make deb-check' needs to build and check the Debian package
# (dpkg-buildpackage, dh, lintian); the other Build-Depends of debian/control
# are in BUILD_PKGS and TEST_PKGS. A failure to install them is reported and
# does not fail this script.
DEB_PKGS="debhelper dpkg-dev fakeroot lintian"

top=$(cd "$(dirname "$0")/.." && pwd)
exim_root="$top/build/oracle/exim"
exim_heavy_root="$top/build/oracle/exim-heavy"

missing_packages() {
    for p in ${1:-$BUILD_PKGS $TEST_PKGS $EXIM_LIBS}; do
        s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$s" in *" installed") ;; *) printf '%s ' "$p" ;; esac
    done
}

exim_missing() {
    [ -x "$exim_root/usr/sbin/exim4" ] || return 0
    getent passwd Debian-exim >/dev/null 2>&1 || return 0
    [ -x "$exim_heavy_root/usr/sbin/exim4" ] || return 0
    return 1
}

# Optional: the real components the integration tests (tests/test_integration.c)
# check the files of auditor/integration/ with: systemd-analyze and man,
# promtool, node_exporter, NRPE and check_nrpe, Icinga 2, curl. They are
# installed together, else one by one; one that cannot be installed is
# reported and its tests skip: it never fails this script. Each attempt is
# noted in build/optional-deps-tried so that --ensure does not retry it on
# every 'make check' ('make clean' forgets the note).
OPS_PKGS="systemd man-db prometheus prometheus-node-exporter nagios-nrpe-server nagios-nrpe-plugin icinga2-bin icinga2-common curl"
ops_tried="$top/build/optional-deps-tried"

ops_missing() {
    for p in $OPS_PKGS; do
        s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$s" in *" installed") continue ;; esac
        grep -qx "$p" "$ops_tried" 2>/dev/null || printf '%s ' "$p"
    done
}

install_ops() {
    ops=$(ops_missing)
    [ -n "$ops" ] || return 0
    # No daemon of these may start (prometheus, nrpe, icinga2 ship services).
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
    fi
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p "$top/build"
    # shellcheck disable=SC2086
    if ! apt-get install -y -q --no-install-recommends $ops; then
        apt-get update -q || true
        for p in $ops; do
            apt-get install -y -q --no-install-recommends "$p" ||
                echo "install-deps: cannot install $p; the integration tests that need it skip" >&2
        done
    fi
    for p in $ops; do echo "$p" >> "$ops_tried"; done
}

install_all() {
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
    fi
    export DEBIAN_FRONTEND=noninteractive
    pkgs=$(missing_packages)
    if [ -n "$pkgs" ]; then
        apt-get update -q
        # Postfix must not ask questions nor write a main.cf of its own.
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $pkgs
    fi
    fuzz=$(missing_packages "$FUZZ_PKGS")
    if [ -n "$fuzz" ]; then
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $fuzz ||
            { apt-get update -q && apt-get install -y -q --no-install-recommends $fuzz; } ||
            echo "install-deps: cannot install $fuzz; 'make fuzz' will not build" >&2
    fi
    debs=$(missing_packages "$DEB_PKGS")
    if [ -n "$debs" ]; then
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $debs ||
            { apt-get update -q && apt-get install -y -q --no-install-recommends $debs; } ||
            echo "install-deps: cannot install $debs; 'make deb-check' cannot build the package" >&2
    fi
    if exim_missing; then
        getent passwd Debian-exim >/dev/null 2>&1 ||
            useradd --system --user-group --no-create-home --home-dir /var/spool/exim4 \
                --shell /usr/sbin/nologin Debian-exim
        tmp=$(mktemp -d)
        chmod 755 "$tmp"
        (cd "$tmp" && apt-get download $EXIM_DEBS) || {
            apt-get update -q
            (cd "$tmp" && apt-get download $EXIM_DEBS)
        }
        rm -rf "$exim_root"
        mkdir -p "$exim_root"
        for d in "$tmp"/*.deb; do dpkg -x "$d" "$exim_root"; done
        chmod u-s "$exim_root/usr/sbin/exim4"
        rm -f "$tmp"/*.deb
        (cd "$tmp" && apt-get download $EXIM_HEAVY_DEBS)
        rm -rf "$exim_heavy_root"
        mkdir -p "$exim_heavy_root"
        for d in "$tmp"/*.deb; do dpkg -x "$d" "$exim_heavy_root"; done
        chmod u-s "$exim_heavy_root/usr/sbin/exim4"
        rm -rf "$tmp"
    fi
    install_ops
}

case "${1:-}" in
--missing)
    missing_packages; echo
    exim_missing && echo "exim oracle: not unpacked in $exim_root"
    ops=$(ops_missing)
    [ -n "$ops" ] && echo "optional (integration tests): $ops"
    debs=$(missing_packages "$DEB_PKGS")
    [ -n "$debs" ] && echo "optional (make deb-check): $debs"
    exit 0 ;;
--ensure)
    pkgs=$(missing_packages)
    if [ -z "$pkgs" ] && ! exim_missing; then
        if [ "$(id -u)" -eq 0 ]; then install_ops; fi
        exit 0
    fi
    if [ "$(id -u)" -eq 0 ]; then
        install_all
        exit 0
    fi
    echo "mta-preflight: missing build or test dependencies." >&2
    [ -n "$pkgs" ] && echo "  as root: apt-get install --no-install-recommends $pkgs" >&2
    exim_missing && echo "  as root: sh tests/install-deps.sh   (unpacks the Exim test oracle)" >&2
    exit 1 ;;
--ensure-deb)
    pkgs=$(missing_packages "$BUILD_PKGS check $DEB_PKGS")
    [ -n "$pkgs" ] || exit 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "mta-preflight: missing what the package build needs." >&2
        echo "  as root: apt-get install --no-install-recommends $pkgs" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $pkgs ||
        { apt-get update -q && apt-get install -y -q --no-install-recommends $pkgs; } ;;
"")
    install_all ;;
*)
    echo "usage: sh tests/install-deps.sh [--ensure|--ensure-deb|--missing]" >&2
    exit 64 ;;
esac
