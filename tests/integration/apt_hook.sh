#!/bin/sh
# apt_hook.sh - real apt and dpkg runs with mta-preflight's hook loaded from a
# private apt configuration, for tests/test_integration.c. Needs root; the
# test packages are installed into the real dpkg database, so 'purge' must
# follow.
#
#   sh tests/integration/apt_hook.sh setup WORK BIN
#       Install the integration files into WORK (PREFIX=WORK/usr,
#       LOCALSTATEDIR=WORK/var, RUNSTATEDIR=WORK/run); WORK/usr/sbin/mta-preflight
#       is a link to BIN. Build the test packages into WORK/debs:
#       exim4-mp-dummy (matches the exim4-* rule), mp-unrelated (matches no
#       rule) and exim4-mp-broken (its postinst fails). Write two Postfix
#       configurations: WORK/postfix-critical (EHLO name "localhost") and
#       WORK/postfix-silent (a good name). Write WORK/apt.conf: it reads apt
#       configuration only from WORK/apt.conf.d (00-mp-t0, the installed
#       99mta-preflight, zz-mp-t1: the first and last note the time in
#       WORK/t0 and WORK/t1 around the hook) and passes the installed
#       dpkg.cfg.d line to dpkg as --status-logger.
#   sh tests/integration/apt_hook.sh apt WORK MODE CONFIG PACKAGE...
#       apt-get install WORK/debs/PACKAGE.deb... inside sandbox.sh MODE with
#       MAIL_CONFIG=WORK/postfix-CONFIG; apt's output as it is; the exit
#       status is apt's. Afterwards WORK/hook-ms holds how long the
#       Post-Invoke hook took in milliseconds (or 'none' when it did not run).
#   sh tests/integration/apt_hook.sh purge
#       dpkg --purge the test packages (those not installed are ignored).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PACKAGES="exim4-mp-dummy mp-unrelated exim4-mp-broken"

build_deb() { # WORK NAME POSTINST-STATUS
    d="$1/pkg/$2"
    mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$2"
    cat > "$d/DEBIAN/control" <<CONTROL
Package: $2
Version: 1.0
Architecture: all
Maintainer: mta-preflight tests <tests@example.invalid>
Priority: optional
Section: mail
Description: package for mta-preflight's apt hook test
 Installs one text file; safe to purge at any time.
CONTROL
    echo "test package of mta-preflight" > "$d/usr/share/doc/$2/README"
    if [ "$3" != 0 ]; then
        printf '#!/bin/sh\necho "%s: postinst fails on purpose" >&2\nexit %s\n' "$2" "$3" > "$d/DEBIAN/postinst"
        chmod 755 "$d/DEBIAN/postinst"
    fi
    dpkg-deb --root-owner-group -Zgzip --build "$d" "$1/debs/$2.deb" >/dev/null
}

postfix_config() { # DIR MYHOSTNAME
    mkdir -p "$1"
    printf 'myhostname = %s\n' "$2" > "$1/main.cf"
    printf 'smtp      unix  -       -       y       -       -       smtp\n' > "$1/master.cf"
}

case "${1:-}" in
setup)
    work=$2 bin=$3
    DESTDIR= PREFIX="$work/usr" LOCALSTATEDIR="$work/var" RUNSTATEDIR="$work/run" \
        sh "$top/auditor/integration/install.sh" install
    mkdir -p "$work/usr/sbin" "$work/debs" "$work/apt.conf.d"
    ln -sf "$bin" "$work/usr/sbin/mta-preflight"
    build_deb "$work" exim4-mp-dummy 0
    build_deb "$work" mp-unrelated 0
    build_deb "$work" exim4-mp-broken 1
    postfix_config "$work/postfix-critical" localhost
    postfix_config "$work/postfix-silent" mail.example.com
    logger=$(grep '^status-logger=' "$work/usr/share/mta-preflight/dpkg/mta-preflight")
    case "$logger" in *'"'*) echo "apt_hook.sh: a quote in '$logger'" >&2; exit 1 ;; esac
    cat > "$work/apt.conf" <<CONF
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$work/apt.conf.d";
DPkg::Lock::Timeout "120";
APT::Sandbox::User "root";
DPkg::Options { "--$logger"; };
CONF
    echo "DPkg::Post-Invoke { \"date +%s%N > $work/t0\"; };" > "$work/apt.conf.d/00-mp-t0"
    cp "$work/usr/share/mta-preflight/apt/99mta-preflight" "$work/apt.conf.d/"
    echo "DPkg::Post-Invoke { \"date +%s%N > $work/t1\"; };" > "$work/apt.conf.d/zz-mp-t1" ;;
apt)
    work=$2 mode=$3 config=$4
    shift 4
    debs=
    for p in "$@"; do debs="$debs $work/debs/$p.deb"; done
    rm -f "$work/t0" "$work/t1" "$work/hook-ms"
    set +e
    # shellcheck disable=SC2086
    env DEBIAN_FRONTEND=noninteractive APT_CONFIG="$work/apt.conf" MAIL_CONFIG="$work/postfix-$config" \
        sh "$here/sandbox.sh" "$mode" "$work" apt-get install -y -q --no-install-recommends $debs
    rc=$?
    set -e
    if [ -s "$work/t0" ] && [ -s "$work/t1" ]; then
        echo $((($(cat "$work/t1") - $(cat "$work/t0")) / 1000000)) > "$work/hook-ms"
    else
        echo none > "$work/hook-ms"
    fi
    exit "$rc" ;;
purge)
    # shellcheck disable=SC2086
    dpkg --purge $PACKAGES >/dev/null 2>&1 || true ;;
*)
    echo "usage: apt_hook.sh setup WORK BIN | apt WORK MODE CONFIG PACKAGE... | purge" >&2
    exit 64 ;;
esac
