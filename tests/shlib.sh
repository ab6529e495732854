# shlib - shell functions shared by the demo and the benchmarks (sourced).
#
#   rerun_in_netns VAR SCRIPT ARGS...
#                         run SCRIPT again with VAR=1 in a new network
#                         namespace (root: unshare -n, else unshare -rn);
#                         returns 1 only when neither is possible
#   mailhost_net          inside a fresh network namespace: lo up, a veth
#                         pair mp0/mp1, 192.0.2.10/24 and 2001:db8::10/64 on
#                         mp0 (DAD off), default routes for both families
#   nsd_start DIR PORT WORK
#                         serve every DIR/ORIGIN.zone with nsd on
#                         127.0.0.1:PORT (state and log in WORK); sets
#                         nsd_pid; returns 1 when nsd does not answer the
#                         first zone's SOA within 5 s (the log is WORK/nsd.log)
#   nsd_stop              stop the nsd started by nsd_start

rerun_in_netns() {
    _var=$1
    shift
    if [ "$(id -u)" -eq 0 ]; then
        exec env "$_var=1" unshare -n sh "$@"
    elif unshare -rn true 2>/dev/null; then
        exec env "$_var=1" unshare -rn sh "$@"
    fi
    return 1
}

mailhost_net() {
    sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null || true
    ip link set lo up
    ip link add mp0 type veth peer name mp1
    ip link set mp0 up
    ip link set mp1 up
    ip addr add 192.0.2.10/24 dev mp0
    ip -6 addr add 2001:db8::10/64 dev mp0 nodad
    ip route add default via 192.0.2.1
    ip -6 route add default via 2001:db8::1
}

nsd_start() {
    _zones=$1 _port=$2 _work=$3
    cat > "$_work/nsd.conf" <<CONF
server:
  port: $_port
  ip-address: 127.0.0.1
  username: ""
  chroot: ""
  zonesdir: "$_zones"
  database: ""
  zonelistfile: ""
  xfrdfile: ""
  xfrdir: "$_work"
  pidfile: ""
  logfile: "$_work/nsd.log"
  server-count: 1
  reuseport: no
remote-control:
  control-enable: no
CONF
    _first=
    for _z in "$_zones"/*.zone; do
        _origin=$(basename "$_z" .zone)
        [ -n "$_first" ] || _first=$_origin
        printf 'zone:\n  name: "%s."\n  zonefile: "%s"\n' "$_origin" "$(basename "$_z")" >> "$_work/nsd.conf"
    done
    nsd -d -c "$_work/nsd.conf" >> "$_work/nsd.log" 2>&1 &
    nsd_pid=$!
    _i=0
    while [ $_i -lt 100 ]; do
        if dig -p "$_port" @127.0.0.1 +tries=1 +time=1 +short "$_first" SOA 2>/dev/null | grep -q .; then
            return 0
        fi
        kill -0 "$nsd_pid" 2>/dev/null || break
        sleep 0.05
        _i=$((_i + 1))
    done
    nsd_stop
    return 1
}

nsd_stop() {
    if [ -n "${nsd_pid:-}" ]; then
        kill "$nsd_pid" 2>/dev/null || true
        wait "$nsd_pid" 2>/dev/null || true
        nsd_pid=
    fi
}
