#!/bin/sh
# bench_dns - how long the DNS engine takes for an audit, against a real nsd
# behind a UDP relay that adds 100 ms of round-trip time, compared with the
# same lookups done one after another with dig, as an admin would by hand.
#
#   sh tests/bench/bench_dns.sh BUILD_DIR      (make bench runs it)
#
# Cases:
#   audit  two identities, IPv4 and IPv6 sources each, their EHLO names (A and
#          AAAA), and the confirmations of PTR names that differ from the EHLO
#          name: two dependent rounds; limit 2 RTT + 20 ms.
#   pool   256 IPv4 source addresses: PTR of each, then A of each PTR name;
#          limit 3 RTT.
# The engine is run 5 times per case; the median is compared with the limit.
# Exit status 1 when a median exceeds its limit.
set -eu

build=${1:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
tools=$build/tools
for t in dns_probe udp_delay; do
    [ -x "$tools/$t" ] || { echo "bench_dns: missing $tools/$t (build first)" >&2; exit 2; }
done
command -v nsd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
command -v nsd >/dev/null || { echo "bench_dns: nsd is not installed" >&2; exit 2; }
command -v dig >/dev/null || { echo "bench_dns: dig is not installed" >&2; exit 2; }

delay_ms=50            # each direction: 100 ms round trip
rtt=$((2 * delay_ms))
runs=5
tmp=$(mktemp -d /tmp/mp-bench-dns-XXXXXX)
mkdir "$tmp/zones"
nsd_pid=
relay_pid=
cleanup() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true
    nsd_stop
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- zones ------------------------------------------------------------------
soa='@ 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300
@ 300 IN NS ns.example.test.'
{
    echo "$soa"
    echo "ns IN A 127.0.0.1"
    echo "mail IN A 192.0.2.10"; echo "mail IN AAAA 2001:db8::10"
    echo "mx2 IN A 192.0.2.11"; echo "mx2 IN AAAA 2001:db8::11"
    echo "out2 IN A 192.0.2.11"; echo "out2 IN AAAA 2001:db8::11"
    i=0; while [ $i -lt 256 ]; do echo "pool-$i IN A 192.0.2.$i"; i=$((i + 1)); done
} > "$tmp/zones/example.test.zone"
{
    echo "$soa"
    i=0; while [ $i -lt 256 ]; do
        case $i in
            10) echo "10 IN PTR mail.example.test." ;;
            11) echo "11 IN PTR out2.example.test." ;;
            *) echo "$i IN PTR pool-$i.example.test." ;;
        esac
        i=$((i + 1))
    done
} > "$tmp/zones/2.0.192.in-addr.arpa.zone"
{
    echo "$soa"
    echo "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR mail.example.test."
    echo "1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR out2.example.test."
} > "$tmp/zones/8.b.d.0.1.0.0.2.ip6.arpa.zone"

# --- nsd on a free loopback port --------------------------------------------
. "$top/tests/shlib.sh"
port=
for try in 1 2 3 4 5; do
    p=$(( 20000 + ($$ * 7 + try * 7919) % 40000 ))
    if nsd_start "$tmp/zones" "$p" "$tmp"; then port=$p; break; fi
done
[ -n "$port" ] || { echo "bench_dns: nsd did not start:" >&2; cat "$tmp/nsd.log" >&2; exit 2; }

# --- the delaying relay -----------------------------------------------------
"$tools/udp_delay" 127.0.0.1:0 "127.0.0.1:$port" "$delay_ms" > "$tmp/relay.port" &
relay_pid=$!
i=0
while [ ! -s "$tmp/relay.port" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
relay=$(head -n 1 "$tmp/relay.port")
[ -n "$relay" ] || { echo "bench_dns: udp_delay did not start" >&2; exit 2; }
server="127.0.0.1:$relay"

# --- measurements -----------------------------------------------------------
audit_args="--ptr 192.0.2.10 --ptr 2001:db8::10 --a mail.example.test --aaaa mail.example.test
            --ptr 192.0.2.11 --ptr 2001:db8::11 --a mx2.example.test --aaaa mx2.example.test"
pool_args=$(i=0; while [ $i -lt 256 ]; do printf -- '--ptr 192.0.2.%d ' $i; i=$((i + 1)); done)

# engine CASE ARGS...: run 5 times; prints "median min max queries rounds timeouts"
engine() {
    : > "$tmp/runs"
    r=0
    while [ $r -lt $runs ]; do
        # shellcheck disable=SC2086
        "$tools/dns_probe" --server "$server" --timeout 5000 --confirm --quiet $1 > "$tmp/out"
        sed -n 's/^rounds=\([0-9]*\) queries=\([0-9]*\) elapsed_ms=\([0-9]*\) timeouts=\([0-9]*\)$/\3 \2 \1 \4/p' \
            "$tmp/out" >> "$tmp/runs"
        r=$((r + 1))
    done
    sort -n "$tmp/runs" | awk -v n=$runs '
        { ms[NR] = $1; q = $2; rd = $3; to += $4 }
        END { printf "%d %d %d %d %d %d\n", ms[int((n + 1) / 2)], ms[1], ms[n], q, rd, to }'
}

# dig_sequential ADDRS NAMES: PTR of every address and A/AAAA of every EHLO
# name, one query after another, then A/AAAA of PTR names not asked yet.
dig_sequential() {
    opts="@127.0.0.1 -p $relay +tries=1 +time=2 +noall +answer"
    start=$(now_ms)
    : > "$tmp/dig1"
    for a in $1; do echo "$opts -x $a" >> "$tmp/dig1"; done
    for n in $2; do echo "$opts $n A" >> "$tmp/dig1"; echo "$opts $n AAAA" >> "$tmp/dig1"; done
    dig -f "$tmp/dig1" > "$tmp/dig1.out" 2>&1 || true
    # Confirmations: PTR names whose forward lookup was not part of round one.
    : > "$tmp/dig2"
    awk '$4 == "PTR" { print $1, $5 }' "$tmp/dig1.out" | while read -r rev name; do
        name=${name%.}
        case "$rev" in *ip6.arpa.) t=AAAA ;; *) t=A ;; esac
        case " $2 " in *" $name "*) continue ;; esac
        echo "$opts $name $t"
    done | sort -u > "$tmp/dig2"
    [ -s "$tmp/dig2" ] && dig -f "$tmp/dig2" > /dev/null 2>&1 || true
    end=$(now_ms)
    echo "$((end - start)) $(( $(wc -l < "$tmp/dig1") + $(wc -l < "$tmp/dig2") ))"
}

one_rtt=$( (start=$(now_ms); dig -p "$relay" @127.0.0.1 +tries=1 +time=2 +short mail.example.test A >/dev/null; echo $(( $(now_ms) - start ))) )

set -- $(engine "$audit_args"); a_med=$1 a_min=$2 a_max=$3 a_q=$4 a_r=$5 a_to=$6
set -- $(engine "$pool_args");  p_med=$1 p_min=$2 p_max=$3 p_q=$4 p_r=$5 p_to=$6
set -- $(dig_sequential "192.0.2.10 2001:db8::10 192.0.2.11 2001:db8::11" "mail.example.test mx2.example.test")
a_dig=$1 a_digq=$2
pool_addrs=$(i=0; while [ $i -lt 256 ]; do printf '192.0.2.%d ' $i; i=$((i + 1)); done)
set -- $(dig_sequential "$pool_addrs" "")
p_dig=$1 p_digq=$2

a_lim=$((2 * rtt + 20))
p_lim=$((3 * rtt))
verdict() { if [ "$1" -le "$2" ] && [ "$3" -eq 0 ]; then echo ok; else echo FAIL; fi; }
a_v=$(verdict "$a_med" "$a_lim" "$a_to")
p_v=$(verdict "$p_med" "$p_lim" "$p_to")

echo "DNS engine vs sequential dig; relay adds ${rtt} ms RTT (one dig query through it: ${one_rtt} ms); engine: median of $runs runs"
printf '%-22s %8s %7s %10s %11s %9s %17s %8s %7s\n' case queries rounds engine_ms "min-max_ms" limit_ms dig_ms ratio verdict
printf '%-22s %8s %7s %10s %11s %9s %17s %8s %7s\n' "audit (2 identities)" "$a_q" "$a_r" "$a_med" "$a_min-$a_max" \
    "$a_lim" "$a_dig ($a_digq q)" "$(awk -v d="$a_dig" -v e="$a_med" 'BEGIN { printf "%.1fx", d / (e ? e : 1) }')" "$a_v"
printf '%-22s %8s %7s %10s %11s %9s %17s %8s %7s\n' "pool (256 sources)" "$p_q" "$p_r" "$p_med" "$p_min-$p_max" \
    "$p_lim" "$p_dig ($p_digq q)" "$(awk -v d="$p_dig" -v e="$p_med" 'BEGIN { printf "%.1fx", d / (e ? e : 1) }')" "$p_v"
[ "$a_v" = ok ] && [ "$p_v" = ok ]
