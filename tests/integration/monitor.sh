#!/bin/sh
# monitor.sh - start a real monitoring daemon on loopback, let it read or run
# mta-preflight once, print what it saw and stop it. Meant to run inside
# sandbox.sh (its own network namespace: fixed ports never collide). Every
# wait is bounded; the daemon is stopped by its PID.
#
#   sh monitor.sh node-exporter WORK TEXTFILE-DIR
#       prometheus-node-exporter with only the textfile collector on
#       127.0.0.1:9100; prints one scrape of /metrics.
#   sh monitor.sh nrpe WORK COMMAND-FILE
#       nrpe (no TLS, user nagios) on 127.0.0.1:5666 with COMMAND-FILE
#       included; runs check_nrpe -c check_mta_preflight and exits with its
#       status, its output on stdout.
#   sh monitor.sh icinga2 WORK OBJECTS-FILE
#       icinga2 daemon (as root, paths under WORK/icinga2) with OBJECTS-FILE,
#       a checker and a perfdata writer; waits for the first check result
#       of service "mx!mta-preflight" and prints WORK/icinga2/result (one
#       line: SERVICESTATE::N<TAB>SERVICEOUTPUT::...) and the debug log's
#       "Running command" line.
set -eu

what=$1 work=$2 arg=$3
pid=

stop() {
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}
trap stop EXIT

# wait_for TRIES COMMAND...: run COMMAND every 50 ms until it succeeds.
wait_for() {
    n=$1
    shift
    while ! "$@" >/dev/null 2>&1; do
        n=$((n - 1))
        if [ "$n" -le 0 ]; then return 1; fi
        sleep 0.05
    done
}

case "$what" in
node-exporter)
    prometheus-node-exporter --collector.disable-defaults --collector.textfile \
        --collector.textfile.directory="$arg" --web.listen-address=127.0.0.1:9100 \
        > "$work/node-exporter.log" 2>&1 &
    pid=$!
    wait_for 200 curl -sf -o /dev/null http://127.0.0.1:9100/metrics ||
        { echo "monitor.sh: node_exporter did not answer (log: $work/node-exporter.log)" >&2; exit 1; }
    curl -sf http://127.0.0.1:9100/metrics ;;
nrpe)
    cat > "$work/nrpe.cfg" <<CONF
log_facility=daemon
pid_file=$work/nrpe.pid
server_address=127.0.0.1
server_port=5666
nrpe_user=nagios
nrpe_group=nagios
allowed_hosts=127.0.0.1
dont_blame_nrpe=0
allow_bash_command_substitution=0
command_timeout=60
connection_timeout=30
include=$arg
CONF
    nrpe -c "$work/nrpe.cfg" -n -f > "$work/nrpe.log" 2>&1 &
    pid=$!
    check=/usr/lib/nagios/plugins/check_nrpe
    wait_for 200 "$check" -n -H 127.0.0.1 -p 5666 ||
        { echo "monitor.sh: nrpe did not answer (log: $work/nrpe.log)" >&2; exit 1; }
    set +e
    "$check" -n -H 127.0.0.1 -p 5666 -t 30 -c check_mta_preflight
    rc=$?
    set -e
    exit "$rc" ;;
icinga2)
    d=$work/icinga2
    rm -rf "$d"
    mkdir -p "$d/cache" "$d/data" "$d/log" "$d/spool" "$d/run/icinga2"
    cat > "$d/icinga2.conf" <<CONF
include <itl>
include "$arg"
object CheckerComponent "checker" { }
object FileLogger "debug" {
  path = "$d/debug.log"
  severity = "debug"
}
object PerfdataWriter "perfdata" {
  host_perfdata_path = "$d/host-perfdata"
  service_perfdata_path = "$d/service-perfdata"
  host_temp_path = "$d/host-perfdata.tmp"
  service_temp_path = "$d/service-perfdata.tmp"
  service_format_template = "SERVICESTATE::\$service.state_id\$\tSERVICEOUTPUT::\$service.output\$"
  rotation_interval = 1s
}
CONF
    cat "$work/icinga2-objects.conf" >> "$d/icinga2.conf"
    ICINGA2_USER=root ICINGA2_GROUP=root icinga2 daemon -c "$d/icinga2.conf" \
        -DCacheDir="$d/cache" -DDataDir="$d/data" -DLogDir="$d/log" -DSpoolDir="$d/spool" \
        -DInitRunDir="$d/run" > "$d/stdout.log" 2>&1 &
    pid=$!
    # The writer renames its temporary file to service-perfdata.TIMESTAMP
    # every second; the first non-empty one holds the first result.
    first() {
        for f in "$d"/service-perfdata.[0-9]*; do
            [ -s "$f" ] && { head -n 1 "$f" > "$d/result"; return 0; }
        done
        return 1
    }
    wait_for 300 first ||
        { echo "monitor.sh: icinga2 produced no check result (logs in $d)" >&2; exit 1; }
    stop
    cat "$d/result"
    grep -m 1 "notice/Process: Running command" "$d/debug.log" ;;
*)
    echo "usage: monitor.sh node-exporter|nrpe|icinga2 WORK ARG" >&2
    exit 64 ;;
esac
