#!/bin/sh
# run.sh DIR SECONDS NAME... - run each fuzz harness DIR/NAME for SECONDS with
# a fresh copy of its seed corpus from samples/ (in DIR/corpus/NAME, which
# also keeps what the fuzzer finds between runs) and print its executions per
# second and coverage. Exits 1 when any harness found a crash, leak, timeout
# or sanitizer report; the input that did it is saved as
# DIR/artifacts/NAME-crash-... (or leak-, timeout-, oom-). tests/fuzz/NAME.dict,
# when it exists, gives the fuzzer the tokens of the syntax.
set -u
dir=$1 seconds=$2
shift 2

seed() {
    name=$1 out=$2
    case $name in
    fuzz_pf_maincf | fuzz_pf_expand)
        files=$(ls samples/postfix/*/main.cf) ;;
    fuzz_pf_mastercf)
        files=$(ls samples/postfix/*/master.cf) ;;
    fuzz_pf_identity | fuzz_pf_inbound)
        # main.cf, a NUL byte, master.cf
        for d in samples/postfix/*/; do
            [ -f "$d/main.cf" ] || continue
            { cat "$d/main.cf"; printf '\0'; [ -f "$d/master.cf" ] && cat "$d/master.cf"; } \
                > "$out/seed-$(echo "$d" | tr '/' '_')"
        done
        return 0 ;;
    fuzz_exim_options | fuzz_exim_identity | fuzz_exim_inbound)
        files=$(find samples/exim -type f ! -name expected.txt ! -name '*.md' ! -name needs-heavy) ;;
    fuzz_ptr_generic | fuzz_hostname)
        files=tests/fuzz/names.txt ;;
    fuzz_exim_debian)
        # the harness's input: the Debian sources joined by NUL bytes
        for d in samples/exim/*/etc/exim4; do
            [ -f "$d/update-exim4.conf.conf" ] || continue
            for f in update-exim4.conf.conf exim4.conf.template exim4.conf.localmacros ../mailname; do
                [ -f "$d/$f" ] && cat "$d/$f"
                printf '\0'
            done > "$out/seed-$(echo "$d" | tr '/' '_')"
        done
        return 0 ;;
    *)
        echo "run.sh: no seeds for $name" >&2; return 1 ;;
    esac
    case $name in
    fuzz_ptr_generic | fuzz_hostname)
        # one seed per line
        i=0
        while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" > "$out/seed-$i"
        done < tests/fuzz/names.txt ;;
    *)
        for f in $files; do
            cp "$f" "$out/seed-$(echo "$f" | tr '/' '_')"
        done ;;
    esac
}

status=0
mkdir -p "$dir/artifacts"
for name in "$@"; do
    case $name in
    fuzz_ptr_generic | fuzz_hostname) maxlen=512 ;;
    fuzz_exim_debian) maxlen=131072 ;;
    fuzz_pf_identity) maxlen=32768 ;;
    *) maxlen=16384 ;;
    esac
    dict=
    [ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
    corpus=$dir/corpus/$name
    mkdir -p "$corpus"
    seed "$name" "$corpus" || { status=1; continue; }
    log=$dir/$name.log
    "$dir/$name" -max_total_time="$seconds" -timeout=5 -max_len="$maxlen" -rss_limit_mb=2048 \
        -print_final_stats=1 $dict -artifact_prefix="$dir/artifacts/$name-" "$corpus" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        printf '%-20s ok    %6s s  %10s runs  %8s exec/s  %s\n' "$name" "$seconds" "${runs:-?}" "${execs:-?}" "$cov"
    else
        printf '%-20s FAIL  (exit %s) see %s\n' "$name" "$rc" "$log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)|artifact' "$log" | head -n 5
        status=1
    fi
done
exit $status
