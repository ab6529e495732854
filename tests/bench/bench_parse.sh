#!/bin/sh
# bench_parse - time the Postfix parser on a generated 100 000-line main.cf and
# a 2 000-service master.cf (every service an smtp transport with its own -o
# bind address and EHLO name), and print wall time and peak RSS.
# usage: sh tests/bench/bench_parse.sh BUILD_DIR
set -eu
build=${1:-build/release}
tool="$build/tools/pf_bench"
[ -x "$tool" ] || { echo "bench_parse: $tool is missing; run make BUILD=${build##*/} first" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/mp-bench-parse-XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

awk 'BEGIN {
    print "myhostname = bench.example.net"
    print "smtp_helo_name = $myhostname"
    # 99 998 more lines: parameters, comments, continuation lines and references.
    for (i = 0; i < 33332; i++) {
        printf "param_%d = value_%d $myhostname\n", i, i
        printf "  continued_%d ${param_%d?{x}:{y}}\n", i, i
        printf "# comment %d\n", i
    }
    print "relayhost ="
    print "default_transport = pool0"
    print "inet_protocols = all"
}' > "$dir/main.cf"

awk 'BEGIN {
    print "rewrite   unix  -       -       n       -       -       trivial-rewrite"
    for (i = 0; i < 2000; i++) {
        printf "pool%d unix - - n - - smtp\n", i
        printf "  -o smtp_bind_address=10.%d.%d.%d\n", int(i / 65536), int(i / 256) % 256, i % 256
        printf "  -o smtp_helo_name=out%d.$mydomain -o { syslog_name = postfix/pool %d }\n", i, i
    }
}' > "$dir/master.cf"

printf 'main.cf: %s lines, master.cf: %s lines, %s services\n' "$(wc -l < "$dir/main.cf")" \
    "$(wc -l < "$dir/master.cf")" "$(grep -c ' smtp$' "$dir/master.cf")"
"$tool" "$dir"
