#!/bin/sh
# Run every benchmark script tests/bench/bench_*.sh with the build directory
# of the release build; each prints its own table of numbers.
set -eu
build=${1:-build/release}
status=0
for b in tests/bench/bench_*.sh; do
    [ -e "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    sh "$b" "$build" || status=1
done
exit $status
