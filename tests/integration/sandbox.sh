#!/bin/sh
# sandbox.sh - run a command in new mount and network namespaces, so that
# what it starts (the audit, apt and its hooks, a monitoring daemon) sees a
# known network and resolver and nothing of the host's. Needs root.
#
#   sh tests/integration/sandbox.sh MODE WORK COMMAND [ARG...]
#
# MODE
#   none     only lo is up: no route to the Internet. /etc/resolv.conf names
#            127.0.0.1, where nothing listens, so DNS queries are refused at once.
#   silent   as none, plus a veth pair with 192.0.2.10/24 and 2001:db8::10/64
#            and default routes for both families, and a DNS server on
#            127.0.0.1:53 that reads every query and never answers; the number
#            of queries it got is written to WORK/dns-queries at the end.
#   systemd  as none, and /run is a fresh tmpfs holding /run/systemd/system,
#            which is how programs tell that systemd is the init system.
# The exit status is the command's (or 1 when the sandbox cannot be made).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mode=$1 work=$2
shift 2

if [ -z "${MP_SANDBOX_INSIDE:-}" ]; then
    exec env MP_SANDBOX_INSIDE=1 unshare --mount --net --propagation private \
        sh "$here/sandbox.sh" "$mode" "$work" "$@"
fi
unset MP_SANDBOX_INSIDE

ip link set lo up
printf 'nameserver 127.0.0.1\n' > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

dns_pid=
case "$mode" in
none) ;;
systemd)
    mount -t tmpfs -o mode=0755 tmpfs /run
    mkdir -p /run/systemd/system ;;
silent)
    . "$here/../shlib.sh"
    mailhost_net
    rm -f "$work/dns-ready" "$work/dns-queries"
    perl -MIO::Socket::INET -e '
        my ($ready, $count) = @ARGV;
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1:53", Proto => "udp")
            or die "cannot bind 127.0.0.1:53: $!\n";
        my $n = 0;
        $SIG{TERM} = sub {
            open(my $f, ">", $count) or die; print $f "$n\n"; close($f); exit 0;
        };
        open(my $r, ">", $ready) or die; close($r);
        my $buf;
        while (1) { $n++ if defined $s->recv($buf, 65535); }
    ' "$work/dns-ready" "$work/dns-queries" &
    dns_pid=$!
    i=0
    while [ ! -e "$work/dns-ready" ]; do
        i=$((i + 1))
        if [ "$i" -gt 100 ]; then
            echo "sandbox.sh: the silent DNS server did not start" >&2
            kill "$dns_pid" 2>/dev/null || true
            exit 1
        fi
        sleep 0.05
    done ;;
*)
    echo "sandbox.sh: unknown mode '$mode'" >&2
    exit 64 ;;
esac

set +e
"$@"
rc=$?
set -e
if [ -n "$dns_pid" ]; then
    kill "$dns_pid" 2>/dev/null
    wait "$dns_pid" 2>/dev/null || true
fi
exit "$rc"
