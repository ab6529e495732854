#!/bin/sh
# install.sh - install or remove the files that run mta-preflight regularly:
# systemd units, a cron file, the apt/dpkg hook, Prometheus rules and the
# Icinga 2 / NRPE command definitions, with their paths filled in.
#
#   sh auditor/integration/install.sh install|uninstall|list
#
# Environment: DESTDIR (staging root, default empty), PREFIX (/usr/local),
# BINDIR (PREFIX/sbin, where the program is), LOCALSTATEDIR (/var),
# RUNSTATEDIR (/run), LAYOUT (share or system, below); for LAYOUT=system also
# SYSCONFDIR (/etc) and SYSTEMDUNITDIR (/lib/systemd/system). A file NAME.in
# is copied with @BINDIR@, @LIBEXECDIR@, @LOCALSTATEDIR@ and @RUNSTATEDIR@
# replaced; other files are copied as they are.
#
# LAYOUT=share (the default, what 'make install' does): everything goes under
# PREFIX/share/mta-preflight/ except the two hook scripts, which go to
# PREFIX/lib/mta-preflight/. Nothing is installed into /etc: an administrator
# copies the snippets there.
# LAYOUT=system (what the Debian package does): the files go where the
# programs that read them look, so they are active once installed: the
# units into SYSTEMDUNITDIR, the cron file into SYSCONFDIR/cron.d, the apt
# and dpkg snippets into SYSCONFDIR/apt/apt.conf.d and
# SYSCONFDIR/dpkg/dpkg.cfg.d, the hook scripts into PREFIX/lib/mta-preflight/;
# the monitoring snippets, which need the administrator's choices, stay under
# PREFIX/share/mta-preflight/.
#
# 'uninstall' removes exactly the files 'install' writes (same variables) and
# the directories it made when they are left empty. 'list' prints the
# installed paths, one a line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
BINDIR=${BINDIR:-$PREFIX/sbin}
LOCALSTATEDIR=${LOCALSTATEDIR:-/var}
RUNSTATEDIR=${RUNSTATEDIR:-/run}
SYSCONFDIR=${SYSCONFDIR:-/etc}
SYSTEMDUNITDIR=${SYSTEMDUNITDIR:-/lib/systemd/system}
LAYOUT=${LAYOUT:-share}
case "$LAYOUT" in
share|system) ;;
*) echo "install.sh: LAYOUT '$LAYOUT' is neither share nor system" >&2; exit 64 ;;
esac

# The paths end up in unit files, a crontab and shell scripts run as root:
# allow only plain absolute paths so nothing needs quoting or escaping.
for v in PREFIX BINDIR LOCALSTATEDIR RUNSTATEDIR SYSCONFDIR SYSTEMDUNITDIR; do
    eval "p=\$$v"
    case "$p" in
    /*) ;;
    *) echo "install.sh: $v '$p' is not an absolute path" >&2; exit 64 ;;
    esac
    case "$p" in
    *[!A-Za-z0-9._/+-]*) echo "install.sh: $v '$p' has a character other than letters, digits and ._/+-" >&2; exit 64 ;;
    esac
done
case "$DESTDIR" in
*"
"*) echo "install.sh: DESTDIR has a newline" >&2; exit 64 ;;
esac

share=$PREFIX/share/mta-preflight
libexec=$PREFIX/lib/mta-preflight

# source (under this directory), installed path, mode
files() {
    if [ "$LAYOUT" = share ]; then
        units=$share/systemd cron=$share/cron.d/mta-preflight
        aptconf=$share/apt/99mta-preflight dpkgcfg=$share/dpkg/mta-preflight
    else
        units=$SYSTEMDUNITDIR cron=$SYSCONFDIR/cron.d/mta-preflight
        aptconf=$SYSCONFDIR/apt/apt.conf.d/99mta-preflight dpkgcfg=$SYSCONFDIR/dpkg/dpkg.cfg.d/mta-preflight
    fi
    cat <<LIST
systemd/mta-preflight.service.in $units/mta-preflight.service 644
systemd/mta-preflight.timer $units/mta-preflight.timer 644
systemd/mta-preflight-textfile.service.in $units/mta-preflight-textfile.service 644
systemd/mta-preflight-textfile.timer $units/mta-preflight-textfile.timer 644
cron/mta-preflight.in $cron 644
apt/99mta-preflight.in $aptconf 644
apt/dpkg-mta-preflight.in $dpkgcfg 644
apt/apt-pinvoke.in $libexec/apt-pinvoke 755
apt/dpkg-status.in $libexec/dpkg-status 755
prometheus/mta-preflight.rules.yml $share/prometheus/mta-preflight.rules.yml 644
icinga2/mta-preflight.conf.in $share/icinga2/mta-preflight.conf 644
nrpe/mta-preflight.cfg.in $share/nrpe/mta-preflight.cfg 644
LIST
}

subst() {
    sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@LIBEXECDIR@|$libexec|g" \
        -e "s|@LOCALSTATEDIR@|$LOCALSTATEDIR|g" -e "s|@RUNSTATEDIR@|$RUNSTATEDIR|g" "$1"
}

case "${1:-}" in
install)
    files | while read -r src dest mode; do
        install -d "$DESTDIR${dest%/*}"
        case "$src" in
        *.in)
            subst "$here/$src" > "$DESTDIR$dest.tmp"
            chmod "$mode" "$DESTDIR$dest.tmp"
            mv -f "$DESTDIR$dest.tmp" "$DESTDIR$dest" ;;
        *)
            install -m "$mode" "$here/$src" "$DESTDIR$dest" ;;
        esac
    done ;;
uninstall)
    files | while read -r src dest mode; do
        rm -f "$DESTDIR$dest"
    done
    # Only directories of our own: /etc/cron.d and the like are shared.
    for d in systemd cron.d apt dpkg prometheus icinga2 nrpe; do
        rmdir "$DESTDIR$share/$d" 2>/dev/null || true
    done
    rmdir "$DESTDIR$share" "$DESTDIR$libexec" 2>/dev/null || true ;;
list)
    files | while read -r src dest mode; do echo "$dest"; done ;;
*)
    echo "usage: sh auditor/integration/install.sh install|uninstall|list" >&2
    exit 64 ;;
esac
