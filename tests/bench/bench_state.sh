#!/bin/sh
# bench_state - what drift mode (--state FILE) adds to a whole audit: the
# lock, reading and parsing the state, updating it, and the atomic write
# (temporary file, fsync, rename, directory fsync) in the state's directory.
#
#   sh tests/bench/bench_state.sh BUILD_DIR      (make bench runs it)
#
# The host is samples/scenarios/both-mtas (Postfix with two smtp transports
# and Exim with one, both families; nsd on loopback without added latency),
# built in a private network namespace as bench_audit.sh does. Cases, run in
# turn (plain, state, plain, state, ...) so that drift of the machine hits
# both alike:
#   plain    the audit with --format json
#   state    the same with --state FILE (FILE in a directory on the same file
#            system as /tmp; after the first run every run reads and rewrites it)
# Each case runs 21 times; the medians are compared: the state may cost at
# most 5 ms. Exit status 1 when it costs more.
set -eu

build=${1:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
bin=$build/mta-preflight
scenario=$top/samples/scenarios/both-mtas

[ -x "$bin" ] || { echo "bench_state: missing $bin (build first)" >&2; exit 2; }
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

runs=21
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
diff_us=$((s_med - p_med))
size=$(wc -c < "$tmp/state.json")
entries=$(grep -c '"id":' "$tmp/state.json" || true)
state_runs=$(sed -n 's/^ *"runs": *\([0-9]*\).*/\1/p' "$tmp/state.json" | head -n 1)

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
verdict=ok
[ "$diff_us" -le $((limit_ms * 1000)) ] || verdict=FAIL
# The audit of both-mtas is a warning (exit 1): a helo-ptr-mismatch on IPv6.
[ "$p_rc" -eq 1 ] && [ "$s_rc" -eq 1 ] || verdict=FAIL

echo "whole audit of Postfix (2 transports) + Exim (1 transport), with and without --state; $runs runs each"
printf '%-28s %10s %15s %7s\n' case median_ms "min-max_ms" status
printf '%-28s %10s %15s %7s\n' "plain" "$(ms "$p_med")" "$(ms "$p_min")-$(ms "$p_max")" "$p_rc"
printf '%-28s %10s %15s %7s\n' "--state ($entries keys, $size B)" "$(ms "$s_med")" \
    "$(ms "$s_min")-$(ms "$s_max")" "$s_rc"
printf 'cost of --state: %s ms (median difference; limit %d ms; state runs %s) %s\n' "$(ms "$diff_us")" \
    "$limit_ms" "$state_runs" "$verdict"
[ "$verdict" = ok ]
