#!/bin/sh
# make demo: audit the bundled sample server (samples/demo) as its owner would.
#
# A private network namespace stands in for the mail host: it has 192.0.2.10
# and 2001:db8::10 with default routes, and nsd on loopback serves the DNS
# data receivers would see (samples/demo/zones). The audit runs inside it.
# Nothing outside the namespace is touched; nothing is written but a
# temporary directory.
set -eu
build=${1:-build/release}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$build/mta-preflight"
demo="$top/samples/demo"

. "$top/tests/shlib.sh"
if [ "${MP_DEMO_INNER:-}" != 1 ]; then
    echo "== The outbound identities Postfix would use (mta-preflight identities)"
    echo
    "$bin" identities --postfix-dir "$demo/postfix" --no-exim --system-hostname mail || true
    echo
    rerun_in_netns MP_DEMO_INNER "$0" "$build" ||
    echo "The audit part of the demo needs root or user namespaces (unshare -rn)." >&2
    exit 1
fi

# Inside the namespace from here on.
mailhost_net

tmp=$(mktemp -d)
trap 'nsd_stop; rm -rf "$tmp"' EXIT INT TERM
port=5300
if ! nsd_start "$demo/zones" "$port" "$tmp"; then
    echo "nsd did not start; its log:" >&2
    cat "$tmp/nsd.log" >&2
    exit 1
fi

echo "== The audit (mta-preflight --dns-server 127.0.0.1:$port)"
echo
set +e
"$bin" --postfix-dir "$demo/postfix" --no-exim --system-hostname mail \
    --dns-server "127.0.0.1:$port" --timeout 3 --color "${MP_DEMO_COLOR:-auto}"
rc=$?
set -e
echo
echo "(exit status $rc: 0 ok, 1 warning, 2 critical, 3 unknown)"
