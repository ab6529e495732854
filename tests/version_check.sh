#!/bin/sh
# version_check - the version is defined once, by VERSION in the Makefile;
# everything else that states it must agree:
#   debian/changelog   its newest entry (the package version; the part
#                      before a Debian revision, if one is ever added)
#   the manual page    the .TH line of auditor/mta-preflight.8
#   BIN --version      "mta-preflight VERSION" (when a program is given)
#   DEB                the Version field of a built package (when given)
#
#   sh tests/version_check.sh [BIN] [DEB]
#
# Prints one line per check ("ok" or "FAIL") and exits 1 when one failed.
# build_check.sh and deb_check.sh run it.
set -u
cd "$(dirname "$0")/.." || exit 1
bin=${1:-}
deb=${2:-}
failed=0

say() {
    if [ "$1" = ok ]; then echo "ok    $2"; else echo "FAIL  $2"; failed=1; fi
}

version=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*\([^[:space:]]*\).*/\1/p' Makefile)
case "$version" in
[0-9]*.[0-9]*) say ok "Makefile VERSION is $version" ;;
*) say fail "Makefile VERSION: no version found ('$version')" ;;
esac

# dpkg-parsechangelog when dpkg-dev is there, else the first line.
if command -v dpkg-parsechangelog > /dev/null 2>&1; then
    source=$(dpkg-parsechangelog -S Source 2>/dev/null)
    changelog=$(dpkg-parsechangelog -S Version 2>/dev/null)
else
    source=$(sed -n '1s/^\([a-z0-9.+-]*\) .*/\1/p' debian/changelog)
    changelog=$(sed -n '1s/^[a-z0-9.+-]* (\([^)]*\)).*/\1/p' debian/changelog)
fi
upstream=${changelog%-*}
if [ "$source" = mta-preflight ] && [ "$upstream" = "$version" ]; then
    say ok "debian/changelog: $source $changelog"
else
    say fail "debian/changelog says '$source $changelog', the Makefile $version"
fi

th=$(sed -n '1p' auditor/mta-preflight.8)
case "$th" in
".TH MTA-PREFLIGHT 8 "*"\"mta-preflight $version\""*) say ok "manual page: $th" ;;
*) say fail "manual page .TH line '$th' does not name section 8 and 'mta-preflight $version'" ;;
esac

if [ -n "$bin" ]; then
    got=$("$bin" --version 2>&1)
    if [ "$got" = "mta-preflight $version" ]; then
        say ok "$bin --version: $got"
    else
        say fail "$bin --version said '$got', not 'mta-preflight $version'"
    fi
fi

if [ -n "$deb" ]; then
    got=$(dpkg-deb -f "$deb" Version 2>&1)
    if [ "$got" = "$changelog" ]; then
        say ok "package version: $got"
    else
        say fail "$deb has version '$got', not '$changelog'"
    fi
fi

exit "$failed"
