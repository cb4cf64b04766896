#!/bin/sh
# linkorder.sh: write syslogd/syslogd.order, the order in which lld lays out
# the code of the static syslogd (`make STATIC_LINK=1`).
#
# The kernel maps a program's text 64 KiB around every page it touches, so
# a static binary whose start-up touches one function in each of OpenSSL's
# objects is resident almost whole.  Placed first and in the order the
# daemon first needs them, the objects it runs are contiguous: without TLS
# the daemon then touches only the head of its text, with TLS a longer head.
#
# The order comes from callgrind, in four phases, each appending only the
# functions that the phases before it did not run:
#   1. start-up without TLS, UDP and unix datagrams to a file, a reload;
#   2. start-up with a TLS listener;
#   3. TLS connections in, one message per record and batched;
#   4. a TLS destination: start-up, connecting, forwarding unix datagrams.
# glibc picks its string functions by CPU (IFUNC) and valgrind's CPU is not
# the host's, so every variant of a string function that ran is listed.
#
# Needs valgrind, lld and the static libraries; run from the top of the
# tree after `make`, when a library or the daemon's structure changed.
# Names that no longer exist are ignored by the linker, so a stale order
# costs memory, never correctness.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOADGEN=$TOP/tests/bench/loadgen
OUT=$TOP/syslogd/syslogd.order
W=$(mktemp -d "${TMPDIR:-/tmp}/linkorder.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

for tool in valgrind ld.lld openssl strip; do
	command -v $tool >/dev/null ||
	    { echo "linkorder.sh: $tool is needed" >&2; exit 1; }
done
make -s -C "$TOP/tests/bench" loadgen
# the static binary to profile (its layout does not matter; the Makefile
# wants an order file, if only an empty one)
[ -f "$OUT" ] || : >"$OUT"
make -s -C "$TOP/syslogd" PROG="$W/syslogd" STATIC_LINK=1
BIN=$W/syslogd
# callgrind needs only the symbol table, and valgrind cannot read every
# compiler's debugging information
strip --strip-debug "$BIN"

# ports in the range bench.sh uses, below the ephemeral range
UDPPORT=26701 TLSPORT=26702 SINKPORT=26703

C=$W/certs
. "$TOP/tests/bench/certs.sh"
make_certs "$C" || { echo "linkorder.sh: cannot make certificates" >&2; exit 1; }

# phase W/PHASE CONF: start the daemon under callgrind, wait for it
start() {
	d=$W/$1
	valgrind -q --tool=callgrind --callgrind-out-file="$d/cg.out" \
	    "$BIN" -F -K -r -f "$d/syslog.conf" -p "$d/log.sock" -i "$d/pid" \
	    -b 127.0.0.1:$UDPPORT >"$d/daemon.log" 2>&1 &
	DPID=$!
	PIDS="$PIDS $DPID"
	i=0
	while [ ! -s "$d/pid" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	if [ ! -s "$d/pid" ]; then
		echo "linkorder.sh: the daemon did not start:" >&2
		cat "$d/daemon.log" >&2
		exit 1
	fi
}
# stop: wait until the output stops growing, then end the daemon
stop() {
	prev=-1
	while n=$(cat "$@" 2>/dev/null | wc -l) && [ "$n" != "$prev" ]; do
		prev=$n
		sleep 1
	done
	kill "$DPID"
	wait "$DPID" || true
}

# conf N [TLS...]: phase N's configuration, a file and what TLS names
conf() {
	n=$1
	shift
	mkdir -p "$W/$n"
	: >"$W/$n/out"
	for part in "$@"; do
		case $part in
		listener) printf 'tls_server=yes\ntls_bindhost=127.0.0.1\ntls_bindport=%s\ntls_verify=on\n' $TLSPORT ;;
		destination) printf '*.*\t@[127.0.0.1]:%s(fingerprint="%s")\n' $SINKPORT "$SERVER_FP" ;;
		esac
	done >"$W/$n/syslog.conf"
	[ $# = 0 ] || printf 'tls_key=%s/server.key\ntls_cert=%s/server.pem\ntls_ca=%s/ca.pem\n' \
	    "$C" "$C" "$C" >>"$W/$n/syslog.conf"
	printf '*.*\t-%s/%s/out\n' "$W" $n >>"$W/$n/syslog.conf"
}

conf 1
start 1
"$LOADGEN" -m udp -a 127.0.0.1 -P $UDPPORT -n 2000 >/dev/null
"$LOADGEN" -m unix -u "$W/1/log.sock" -n 2000 >/dev/null
kill -HUP "$DPID"
stop "$W/1/out"

conf 2 listener
start 2
stop "$W/2/out"

conf 3 listener
start 3
for b in 1 64; do
	"$LOADGEN" -m tls -a 127.0.0.1 -P $TLSPORT -k "$C/client.key" \
	    -C "$C/client.pem" -A "$C/ca.pem" -c 2 -b $b -n 2000 >/dev/null
done
stop "$W/3/out"

"$LOADGEN" -m sink -P $SINKPORT -k "$C/server.key" -C "$C/server.pem" \
    -o "$W/sink.log" >"$W/sink.out" 2>&1 &
PIDS="$PIDS $!"
conf 4 destination
start 4
"$LOADGEN" -m unix -u "$W/4/log.sock" -n 2000 >/dev/null
stop "$W/4/out" "$W/sink.log"

# First what runs before main and callgrind does not name: the C runtime's
# entry and constructors, and the IFUNC resolvers, which a static binary
# runs at start, all of them.  Then the functions each phase ran, in the
# order callgrind names them; after a glibc string function
# (__NAME_VARIANT), every variant of it.
nm "$BIN" | awk '{ print $NF }' | sort -u >"$W/symbols"
{
	printf '_start\nframe_dummy\nregister_tm_clones\n'
	grep '_ifunc$' "$W/symbols" || true
	for n in 1 2 3 4; do
		sed -E -n 's/^c?fn=\([0-9]+\) ([A-Za-z_.][A-Za-z0-9_.]*)$/\1/p' \
		    "$W/$n/cg.out"
	done
} | awk -v symbols="$W/symbols" '
	BEGIN { while ((getline s < symbols) > 0) sym[++nsym] = s }
	function put(f) { if (!seen[f]++) print f }
	{
		put($0)
		if (match($0, /^__[a-z0-9]+_(avx|evex|sse|ssse|erms|unaligned)/)) {
			prefix = substr($0, 1, index(substr($0, 3), "_") + 2)
			for (i = 1; i <= nsym; i++)
				if (index(sym[i], prefix) == 1)
					put(sym[i])
		}
	}' >"$OUT"
echo "linkorder.sh: $(wc -l <"$OUT") functions written to $OUT"
