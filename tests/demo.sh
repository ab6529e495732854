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

if [ "${MP_DEMO_INNER:-}" != 1 ]; then
    echo "== The outbound identities Postfix would use (mta-preflight identities)"
    echo
    "$bin" identities --postfix-dir "$demo/postfix" --no-exim --system-hostname mail || true
    echo
    if [ "$(id -u)" -eq 0 ]; then
        exec env MP_DEMO_INNER=1 unshare -n sh "$0" "$build"
    elif unshare -rn true 2>/dev/null; then
        exec env MP_DEMO_INNER=1 unshare -rn sh "$0" "$build"
    fi
    echo "The audit part of the demo needs root or user namespaces (unshare -rn)." >&2
    exit 1
fi

# Inside the namespace from here on.
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null || true
ip link set lo up
ip link add mp0 type veth peer name mp1
ip link set mp0 up
ip link set mp1 up
ip addr add 192.0.2.10/24 dev mp0
ip -6 addr add 2001:db8::10/64 dev mp0 nodad
ip route add default via 192.0.2.1
ip -6 route add default via 2001:db8::1

tmp=$(mktemp -d)
trap 'kill "$nsd_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
port=5300
cat > "$tmp/nsd.conf" <<CONF
server:
  port: $port
  ip-address: 127.0.0.1
  username: ""
  chroot: ""
  zonesdir: "$demo/zones"
  database: ""
  zonelistfile: ""
  xfrdfile: ""
  xfrdir: "$tmp"
  pidfile: ""
  logfile: "$tmp/nsd.log"
  server-count: 1
  reuseport: no
remote-control:
  control-enable: no
CONF
for z in "$demo"/zones/*.zone; do
    name=$(basename "$z" .zone)
    printf 'zone:\n  name: "%s."\n  zonefile: "%s"\n' "$name" "$(basename "$z")" >> "$tmp/nsd.conf"
done
nsd -d -c "$tmp/nsd.conf" &
nsd_pid=$!
i=0
until dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 mail.example.com A >/dev/null 2>&1 &&
      [ -n "$(dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 mail.example.com A)" ]; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then
        echo "nsd did not start; its log:" >&2
        cat "$tmp/nsd.log" >&2
        exit 1
    fi
    sleep 0.05
done

echo "== The audit (mta-preflight --dns-server 127.0.0.1:$port)"
echo
set +e
"$bin" --postfix-dir "$demo/postfix" --no-exim --system-hostname mail \
    --dns-server "127.0.0.1:$port" --timeout 3 --color "${MP_DEMO_COLOR:-auto}"
rc=$?
set -e
echo
echo "(exit status $rc: 0 ok, 1 warning, 2 critical, 3 unknown)"
