#!/bin/sh
# bench_audit - wall time of a whole audit (the built program, end to end)
# of two MTAs with both families, with 100 ms of DNS round-trip time added
# by udp_delay between the audit and nsd; and the bound with a silent DNS
# server.
#
#   sh tests/bench/bench_audit.sh BUILD_DIR      (make bench runs it)
#
# The host is samples/scenarios/both-mtas (Postfix with two smtp transports
# and Exim with one, 192.0.2.10 and 2001:db8::10, its zones served by nsd on
# loopback), built in a private network namespace as tests/demo.sh does.
# The inbound part runs too, for one domain (--domain example.com): its MX
# rides in the first DNS round, the MX target's A/AAAA in the second.
# Cases:
#   delayed  DNS through the relay (50 ms each way): the PTR of both sources
#            and the EHLO name's A and AAAA in one round, the confirmation of
#            the IPv6 PTR name in a second; limit 2 RTT + 50 ms.
#   direct   the same without the relay: the program's own cost.
#   silent   a server that never answers (the relay holds every datagram for
#            60 s), --timeout 2: the run must end within 3 s with status 3.
# Each case runs 5 times (silent: the slowest run counts); the median is
# compared with the limit. Exit status 1 when a limit is exceeded.
set -eu

build=${1:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
bin=$build/mta-preflight
relay_tool=$build/tools/udp_delay
scenario=$top/samples/scenarios/both-mtas

for f in "$bin" "$relay_tool"; do
    [ -x "$f" ] || { echo "bench_audit: missing $f (build first)" >&2; exit 2; }
done
command -v nsd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
command -v nsd >/dev/null || { echo "bench_audit: nsd is not installed" >&2; exit 2; }

. "$top/tests/shlib.sh"
if [ "${MP_BENCH_INNER:-}" != 1 ]; then
    rerun_in_netns MP_BENCH_INNER "$0" "$build" ||
    echo "bench_audit: needs root or user namespaces (unshare -rn) for its network namespace" >&2
    exit 2
fi

# --- inside the namespace: the mail host --------------------------------------
mailhost_net

delay_ms=50            # each direction: 100 ms round trip
rtt=$((2 * delay_ms))
runs=5
port=5300
tmp=$(mktemp -d /tmp/mp-bench-audit-XXXXXX)
nsd_pid=
relay_pid=
silent_pid=
cleanup() {
    for p in $relay_pid $silent_pid; do kill "$p" 2>/dev/null || true; done
    nsd_stop
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- nsd with the scenario's zones --------------------------------------------
if ! nsd_start "$scenario/zones" "$port" "$tmp"; then
    echo "bench_audit: nsd did not start:" >&2
    cat "$tmp/nsd.log" >&2
    exit 2
fi

# start_relay DELAY_MS VAR: a udp_delay in front of nsd; its port into VAR.
start_relay() {
    "$relay_tool" 127.0.0.1:0 "127.0.0.1:$port" "$1" > "$tmp/relay.$1" &
    eval "$2_pid=\$!"
    i=0
    while [ ! -s "$tmp/relay.$1" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
    p=$(head -n 1 "$tmp/relay.$1")
    [ -n "$p" ] || { echo "bench_audit: udp_delay did not start" >&2; exit 2; }
    eval "$2_port=$p"
}
start_relay "$delay_ms" relay
start_relay 60000 silent

# audit SERVER TIMEOUT: one run; prints "ms status lookups"
audit() {
    start=$(now_ms)
    set +e
    "$bin" audit --postfix-dir "$scenario/postfix" --exim-config "$scenario/exim/configure" \
        --system-hostname mail --domain example.com --dns-server "$1" --timeout "$2" --format json \
        > "$tmp/out.json" 2> "$tmp/err"
    rc=$?
    set -e
    end=$(now_ms)
    echo "$((end - start)) $rc $(grep -c '"type":' "$tmp/out.json" || true)"
}

# measure SERVER TIMEOUT: runs; prints "median min max status lookups"
measure() {
    : > "$tmp/runs"
    r=0
    while [ $r -lt $runs ]; do
        audit "$1" "$2" >> "$tmp/runs"
        r=$((r + 1))
    done
    sort -n "$tmp/runs" | awk -v n=$runs '
        { ms[NR] = $1; rc = $2; q = $3 }
        END { printf "%d %d %d %d %d\n", ms[int((n + 1) / 2)], ms[1], ms[n], rc, q }'
}

set -- $(measure "127.0.0.1:$relay_port" 5); d_med=$1 d_min=$2 d_max=$3 d_rc=$4 d_q=$5
set -- $(measure "127.0.0.1:$port" 5);       n_med=$1 n_min=$2 n_max=$3 n_rc=$4 n_q=$5
set -- $(measure "127.0.0.1:$silent_port" 2); s_med=$1 s_min=$2 s_max=$3 s_rc=$4 s_q=$5

d_lim=$((2 * rtt + 50))
s_lim=3000
# The audit of both-mtas is a warning (exit 1): a helo-ptr-mismatch on IPv6.
verdict() { if [ "$1" -le "$2" ] && [ "$3" -eq "$4" ]; then echo ok; else echo FAIL; fi; }
d_v=$(verdict "$d_med" "$d_lim" "$d_rc" 1)
n_v=$(verdict "$n_med" "$d_lim" "$n_rc" 1)
s_v=$(verdict "$s_max" "$s_lim" "$s_rc" 3)

echo "whole audit of Postfix (2 transports) + Exim (1 transport), IPv4 + IPv6; $runs runs per case"
printf '%-34s %8s %10s %11s %9s %7s %8s\n' case lookups median_ms "min-max_ms" limit_ms status verdict
printf '%-34s %8s %10s %11s %9s %7s %8s\n' "delayed (DNS RTT ${rtt} ms)" "$d_q" "$d_med" "$d_min-$d_max" \
    "$d_lim" "$d_rc" "$d_v"
printf '%-34s %8s %10s %11s %9s %7s %8s\n' "direct (no added RTT)" "$n_q" "$n_med" "$n_min-$n_max" "-" "$n_rc" "$n_v"
printf '%-34s %8s %10s %11s %9s %7s %8s\n' "silent server, --timeout 2" "$s_q" "$s_med" "$s_min-$s_max" \
    "$s_lim" "$s_rc" "$s_v"
[ "$d_v" = ok ] && [ "$n_v" = ok ] && [ "$s_v" = ok ]
