#!/bin/sh
# bench_state - what drift mode (--state FILE) adds to a whole audit: the
# lock, the sweep of stale temporary files, reading and parsing the state,
# updating it, and the atomic write (temporary file, fsync, rename, directory
# fsync) next to the state.
#
#   sh tests/bench/bench_state.sh BUILD_DIR      (make bench runs it)
#
# Two measurements, the state in a directory under /tmp:
#   steps    tools/state_bench does exactly what --state adds to a run
#            (state_open, state_update, state_save, state_close), 200 times
#            on one file, with 3 keys (what both-mtas has) and with 100 (a
#            big host); median and 90th percentile of each step.
#   whole    the built program on samples/scenarios/both-mtas (Postfix with
#            two smtp transports and Exim with one, both families, nsd on
#            loopback in a private network namespace as in bench_audit.sh),
#            31 times without and 31 times with --state, in turn so that
#            drift of the machine hits both alike; medians and the median of
#            the paired differences. Other load on the machine shows here.
# The limit: --state costs at most 5 ms, i.e. the median of the steps with
# 3 keys. Almost all of it is the two fsyncs, so it is the disk's latency.
# Exit status 1 when the limit is exceeded.
set -eu

build=${1:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
bin=$build/mta-preflight
scenario=$top/samples/scenarios/both-mtas

for f in "$bin" "$build/tools/state_bench"; do
    [ -x "$f" ] || { echo "bench_state: missing $f (build first)" >&2; exit 2; }
done
command -v nsd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
command -v nsd >/dev/null || { echo "bench_state: nsd is not installed" >&2; exit 2; }

. "$top/tests/shlib.sh"
if [ "${MP_BENCH_INNER:-}" != 1 ]; then
    rerun_in_netns MP_BENCH_INNER "$0" "$build" ||
    echo "bench_state: needs root or user namespaces (unshare -rn) for its network namespace" >&2
    exit 2
fi

# --- inside the namespace: the mail host --------------------------------------
mailhost_net

runs=31
limit_ms=5
port=5300
tmp=$(mktemp -d /tmp/mp-bench-state-XXXXXX)
nsd_pid=
cleanup() {
    nsd_stop
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

if ! nsd_start "$scenario/zones" "$port" "$tmp"; then
    echo "bench_state: nsd did not start:" >&2
    cat "$tmp/nsd.log" >&2
    exit 2
fi

now_us() { echo $(( $(date +%s%N) / 1000 )); }

# audit EXTRA...: one run; prints "us status". Its output goes to /dev/null:
# a file written meanwhile would be flushed by the state's fsync and be
# counted as its cost.
audit() {
    start=$(now_us)
    set +e
    "$bin" audit --postfix-dir "$scenario/postfix" --exim-config "$scenario/exim/configure" \
        --system-hostname mail --dns-server "127.0.0.1:$port" --timeout 5 --format json "$@" \
        > /dev/null 2>&1
    rc=$?
    set -e
    end=$(now_us)
    echo "$((end - start)) $rc"
}

# One run of each first: the page cache, and the state's first run.
audit > /dev/null
audit --state "$tmp/state.json" > /dev/null
plain=
state=
r=0
while [ $r -lt $runs ]; do
    plain="$plain$(audit)
"
    state="$state$(audit --state "$tmp/state.json")
"
    r=$((r + 1))
done
printf '%s' "$plain" > "$tmp/plain"
printf '%s' "$state" > "$tmp/state"

# stats FILE: "median min max status" in microseconds
stats() {
    sort -n "$1" | awk -v n=$runs '
        { us[NR] = $1; rc = $2 }
        END { printf "%d %d %d %d\n", us[int((n + 1) / 2)], us[1], us[n], rc }'
}
set -- $(stats "$tmp/plain"); p_med=$1 p_min=$2 p_max=$3 p_rc=$4
set -- $(stats "$tmp/state"); s_med=$1 s_min=$2 s_max=$3 s_rc=$4
paired=$(paste -d ' ' "$tmp/plain" "$tmp/state" | awk '{ print $3 - $1 }' | sort -n |
    awk -v n=$runs '{ d[NR] = $1 } END { print d[int((n + 1) / 2)] }')
size=$(wc -c < "$tmp/state.json")
keys=$(grep -c '"id":' "$tmp/state.json" || true)

# The steps, with as many keys as the whole run has, and with 100.
"$build/tools/state_bench" "$tmp/bench.json" 200 "$keys" > "$tmp/steps.small"
"$build/tools/state_bench" "$tmp/bench.json" 200 100 > "$tmp/steps.big"
# step FILE NAME FIELD: the value of FIELD (median_us, p90_us) of step NAME
step() { sed -n "s/^step=$2 .*$3=\([0-9]*\).*/\1/p" "$1"; }

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
cost=$(step "$tmp/steps.small" total median_us)
verdict=ok
[ "$cost" -le $((limit_ms * 1000)) ] || verdict=FAIL
# The audit of both-mtas is a warning (exit 1): a helo-ptr-mismatch on IPv6.
[ "$p_rc" -eq 1 ] && [ "$s_rc" -eq 1 ] || verdict=FAIL

echo "what --state adds to one run (tools/state_bench, 200 runs on one file in /tmp)"
printf '%-8s %16s %16s\n' step "$keys keys med/p90" "100 keys med/p90"
for st in open update save close total; do
    printf '%-8s %16s %16s\n' "$st" \
        "$(ms "$(step "$tmp/steps.small" $st median_us)")/$(ms "$(step "$tmp/steps.small" $st p90_us)")" \
        "$(ms "$(step "$tmp/steps.big" $st median_us)")/$(ms "$(step "$tmp/steps.big" $st p90_us)")"
done
echo "whole audit of Postfix (2 transports) + Exim (1 transport), without and with --state; $runs runs each"
printf '%-28s %10s %15s %7s\n' case median_ms "min-max_ms" status
printf '%-28s %10s %15s %7s\n' "plain" "$(ms "$p_med")" "$(ms "$p_min")-$(ms "$p_max")" "$p_rc"
printf '%-28s %10s %15s %7s\n' "--state ($keys keys, $size B)" "$(ms "$s_med")" \
    "$(ms "$s_min")-$(ms "$s_max")" "$s_rc"
printf 'paired difference (median): %s ms\n' "$(ms "$paired")"
printf 'cost of --state: %s ms (median of the steps; limit %d ms) %s\n' "$(ms "$cost")" "$limit_ms" "$verdict"
[ "$verdict" = ok ]
