#!/bin/sh
# prom_e2e.sh - the alerting rules against the program's real metrics.
#
#   sh tests/integration/prom_e2e.sh METRICS RULES WORK
#
# METRICS is a textfile written by 'mta-preflight --format prometheus'. Every
# sample in it becomes a series that holds its value for 3 hours (as if
# node_exporter were scraped every minute); the test expects, at 45 minutes,
# MtaPreflightCritical firing for exactly the mta_preflight_finding samples
# with severity="critical", MtaPreflightWarning for none, and at 150 minutes
# MtaPreflightWarning for exactly those with severity="warning"; no
# MtaPreflightStale (the file's own timestamp is in the future of the test's
# clock) and MtaPreflightUnknown only when the status is 3 (after 6 hours,
# so never here). promtool compares labels exactly; the annotations are
# checked by the rules' own unit test, so they are dropped from the copy of
# RULES used here. Writes WORK/e2e.rules.yml and WORK/e2e.test.yml; the exit
# status is promtool's.
set -eu

metrics=$1 rules=$2 work=$3

# The rules without their annotations blocks; everything else verbatim.
awk '
    /^ *annotations:/ { skip = match($0, /[^ ]/); next }
    skip { if (match($0, /[^ ]/) > skip || $0 ~ /^ *$/) next; skip = 0 }
    { print }
' "$rules" > "$work/e2e.rules.yml"

# exp_labels for every finding sample of a severity: label values are copied
# as they are escaped in the text format (\\ \" \n), which YAML double-quoted
# strings read the same way; empty values are no label at all in Prometheus.
expected() {
    awk -v sev="$1" '
        /^mta_preflight_finding\{/ {
            if (index($0, "severity=\"" sev "\"") == 0) next
            body = substr($0, index($0, "{") + 1)
            print "          - exp_labels:"
            while (match(body, /^[a-z_]+="([^"\\]|\\.)*"/)) {
                pair = substr(body, 1, RLENGTH)
                body = substr(body, RLENGTH + 1)
                sub(/^,/, "", body)
                eq = index(pair, "=")
                name = substr(pair, 1, eq - 1)
                value = substr(pair, eq + 1)
                if (value != "\"\"")
                    print "              " name ": " value
            }
            n++
        }
        END { if (n == 0) print "          []" }
    ' "$metrics"
}

{
    echo "rule_files:"
    echo "  - e2e.rules.yml"
    echo "evaluation_interval: 1m"
    echo "tests:"
    echo "  - interval: 1m"
    echo "    input_series:"
    grep '^mta_preflight_' "$metrics" | while IFS= read -r line; do
        series=${line% *}
        value=${line##* }
        # YAML single quotes: a quote inside is written twice.
        printf "      - series: '%s'\n        values: '%sx180'\n" \
            "$(printf '%s' "$series" | sed "s/'/''/g")" "$value"
    done
    echo "    alert_rule_test:"
    echo "      - eval_time: 45m"
    echo "        alertname: MtaPreflightCritical"
    echo "        exp_alerts:"
    expected critical
    echo "      - eval_time: 45m"
    echo "        alertname: MtaPreflightWarning"
    echo "        exp_alerts: []"
    echo "      - eval_time: 150m"
    echo "        alertname: MtaPreflightWarning"
    echo "        exp_alerts:"
    expected warning
    echo "      - eval_time: 150m"
    echo "        alertname: MtaPreflightStale"
    echo "        exp_alerts: []"
    echo "      - eval_time: 150m"
    echo "        alertname: MtaPreflightUnknown"
    echo "        exp_alerts: []"
} > "$work/e2e.test.yml"

cd "$work" && promtool test rules e2e.test.yml
