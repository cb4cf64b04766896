#!/bin/sh
# The benchmark suite: our syslogd against rsyslog and syslog-ng.
#
#   sh tests/bench/bench.sh [--quick] [--cases "1a 1b 2 ..."] [--reps N]
#                           [--messages N] [--idle SECONDS] [--out FILE]
#
# Every daemon is started here with its own configuration, on 127.0.0.1 and
# high ports, in a private directory under a mktemp directory; all of them
# are killed at the end.  Nothing is installed: missing peers are reported
# with the command that installs them.
#
# Environment:
#   SYSLOGD     our daemon (default ./syslogd/syslogd, relative to the top)
#   SYSLOGD_STATIC  the same linked statically, "ours-static" (default
#               ./syslogd/syslogd.static: make -C syslogd PROG=syslogd.static
#               STATIC_LINK=1, which `make bench` does)
#   RSYSLOGD    rsyslogd (default: rsyslogd in PATH or /usr/sbin/rsyslogd)
#   SYSLOG_NG   syslog-ng (default /opt/syslog-ng-private/usr/sbin/syslog-ng)
#   DAEMONS     which to run (default "ours ours-static rsyslog syslog-ng")
#   KEEP=1      keep the work directory
#
# Cases (120-byte messages):
#   1a UDP, maximum rate          1b UDP at 100,000 msg/s
#   2  unix datagram socket
#   3a TLS, 1 connection, 1 message per TLS record
#   3b TLS, 1 connection, 64 messages per write
#   4  TLS, 50 connections        5  TLS, 1,000 connections (10 busy)
#   6  unix in, TLS out to a collector (forwarding)
#   7  idle, 60 s                 8  start-up memory (plain and with TLS)

set -u
LC_ALL=C
export LC_ALL

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CMDLINE="sh tests/bench/bench.sh $*"

MESSAGES=1000000
REPS=3
IDLE=60
CASES="1a 1b 2 3a 3b 4 5 6 7 8"
OUT=$HERE/results.md
MODE=full
while [ $# -gt 0 ]; do
	case $1 in
	--quick) MESSAGES=200000; REPS=1; IDLE=10; MODE=quick ;;
	--cases) CASES=$2; shift ;;
	--reps) REPS=$2; shift ;;
	--messages) MESSAGES=$2; shift ;;
	--idle) IDLE=$2; shift ;;
	--out) OUT=$2; shift ;;
	-h|--help) sed -n '2,30p' "$0"; exit 0 ;;
	*) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

SYSLOGD=${SYSLOGD:-./syslogd/syslogd}
case $SYSLOGD in /*) ;; *) SYSLOGD=$TOP/$SYSLOGD ;; esac
SYSLOGD_STATIC=${SYSLOGD_STATIC:-./syslogd/syslogd.static}
case $SYSLOGD_STATIC in /*) ;; *) SYSLOGD_STATIC=$TOP/$SYSLOGD_STATIC ;; esac
RSYSLOGD=${RSYSLOGD:-$(command -v rsyslogd 2>/dev/null || echo /usr/sbin/rsyslogd)}
SYSLOG_NG=${SYSLOG_NG:-/opt/syslog-ng-private/usr/sbin/syslog-ng}
DAEMONS=${DAEMONS:-ours ours-static rsyslog syslog-ng}
LOADGEN=$HERE/loadgen

# ---- prerequisites ------------------------------------------------------

missing=0
if [ ! -x "$SYSLOGD" ]; then
	echo "bench.sh: our daemon $SYSLOGD is missing: run make (or set SYSLOGD)" >&2
	missing=1
fi
case " $DAEMONS " in *" ours-static "*)
	if [ ! -x "$SYSLOGD_STATIC" ]; then
		echo "bench.sh: $SYSLOGD_STATIC is missing: run make -C syslogd PROG=syslogd.static STATIC_LINK=1 (or leave ours-static out of DAEMONS)" >&2
		missing=1
	fi
esac
for t in "$LOADGEN" "$HERE/rssfloor"; do
	if [ ! -x "$t" ]; then
		echo "bench.sh: $t is missing: run make in tests/bench" >&2
		missing=1
	fi
done
case " $DAEMONS " in *" rsyslog "*)
	if [ ! -x "$RSYSLOGD" ]; then
		echo "bench.sh: rsyslog is missing; install it with:" >&2
		echo "    apt-get install rsyslog rsyslog-openssl" >&2
		missing=1
	else
		RS_OSSL=
		for d in ${RSYSLOG_MODDIR:-} /usr/lib/*/rsyslog /usr/lib/rsyslog \
		    /usr/lib64/rsyslog /usr/local/lib/rsyslog; do
			[ -f "$d/lmnsd_ossl.so" ] && { RS_OSSL=$d; break; }
		done
		if [ -z "$RS_OSSL" ]; then
			echo "bench.sh: rsyslog's OpenSSL driver (lmnsd_ossl) is missing; install it with:" >&2
			echo "    apt-get install rsyslog-openssl" >&2
			missing=1
		fi
	fi ;;
esac
case " $DAEMONS " in *" syslog-ng "*)
	if [ ! -x "$SYSLOG_NG" ]; then
		echo "bench.sh: syslog-ng is missing at $SYSLOG_NG (set SYSLOG_NG)." >&2
		echo "  Debian's syslog-ng-core conflicts with rsyslog; unpack it into a private prefix:" >&2
		if [ -f "$TOP/tests/interop/install-syslog-ng.sh" ]; then
			echo "    sh tests/interop/install-syslog-ng.sh" >&2
		fi
		echo "    apt-get install libivykis0 libnet1 libjson-c5 libwrap0 libglib2.0-0 libpcre3 libcap2" >&2
		echo "    cd /tmp && apt-get download syslog-ng-core && dpkg-deb -x syslog-ng-core_*.deb /opt/syslog-ng-private" >&2
		missing=1
	else
		SNG_PREFIX=$(cd "$(dirname "$SYSLOG_NG")/../.." && pwd)
		SNG_LIB=$SNG_PREFIX/usr/lib/syslog-ng
		SNG_MOD=
		for d in "$SNG_LIB"/[0-9]*; do [ -d "$d" ] && SNG_MOD=$d; done
		if [ -z "$SNG_MOD" ]; then
			echo "bench.sh: no syslog-ng modules under $SNG_LIB" >&2
			missing=1
		fi
	fi ;;
esac
command -v openssl >/dev/null 2>&1 || {
	echo "bench.sh: the openssl command is missing: apt-get install openssl" >&2
	missing=1; }
[ "$(uname -s)" = Linux ] || {
	echo "bench.sh: the measurements read /proc: Linux only" >&2; missing=1; }
[ $missing = 0 ] || exit 1
HAVE_STRACE=0
command -v strace >/dev/null 2>&1 && HAVE_STRACE=1

ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null || true
TCK=$(getconf CLK_TCK)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/syslogd-bench.XXXXXX")
RAW=$WORK/raw.tsv
: >"$RAW"
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports: high, below Linux's ephemeral range (32768 and up, where the load
# generator's own connections would collide), from a block that depends on
# our pid; a port that is in use is skipped.
NEXTPORT=$((20000 + ($$ % 100) * 100))
newport() {
	NEXTPORT=$((NEXTPORT + 1))
	while ss -Htuan "sport = :$NEXTPORT" 2>/dev/null | grep -q .; do
		NEXTPORT=$((NEXTPORT + 1))
	done
	PORT=$NEXTPORT
}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- certificates -------------------------------------------------------

CERTS=$WORK/certs
. "$HERE/certs.sh"
make_certs "$CERTS" || { echo "bench.sh: cannot make certificates" >&2; exit 1; }

# ---- /proc readings -----------------------------------------------------

cpu_ticks() {	# utime+stime of a whole process, in ticks
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}
status_kb() {	# a VmXXX field of /proc/PID/status, in kB
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
pss_kb() {
	awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null
}
ctxt_tasks() {	# "tid switches" for every thread (voluntary + involuntary)
	for t in /proc/"$1"/task/*; do
		awk -v t="${t##*/}" '/^(non)?voluntary_ctxt_switches:/ { s += $2 }
		    END { print t, s + 0 }' "$t/status" 2>/dev/null
	done
}
ctxt_delta() {	# ctxt_delta BEFORE AFTER: switches between the two samples
	# (a thread born in between counts from 0; one that died is not seen)
	awk 'NR == FNR { b[$1] = $2; next } { s += $2 - ($1 in b ? b[$1] : 0) }
	    END { print s + 0 }' "$1" "$2"
}
kv() {		# kv FILE KEY
	awk -F= -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null
}
record() {	# record CASE DAEMON METRIC VALUE
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RAW"
}

# ---- daemons ------------------------------------------------------------
#
# conf_DAEMON W INPUTS OUTPUT: INPUTS is a list of udp, unix, tls; OUTPUT is
# "file" (W/out.log) or "fwd" (TLS to 127.0.0.1:$SINKPORT) or "default".

conf_ours() {
	w=$1 ins=$2 outp=$3 c=$1/syslog.conf
	: >"$c"
	case " $ins " in *" tls "*)
		cat >>"$c" <<EOF
tls_server=yes
tls_bindhost=127.0.0.1
tls_bindport=$TLSPORT
tls_verify=on
tls_max_connections=2000
EOF
	esac
	case " $ins $outp " in *" tls "*|*" fwd "*)
		cat >>"$c" <<EOF
tls_key=$CERTS/server.key
tls_cert=$CERTS/server.pem
tls_ca=$CERTS/ca.pem
EOF
	esac
	case $outp in
	file) printf '*.*\t-%s/out.log\n' "$w" >>"$c"; : >"$w/out.log" ;;
	fwd) printf '*.*\t@[127.0.0.1]:%s(fingerprint="%s")\n' "$SINKPORT" \
	    "$SERVER_FP" >>"$c" ;;
	default)
		# the sample configuration, with its files moved into W
		for f in messages authlog cron xferlog lpd-errs maillog console; do
			: >"$w/$f"
		done
		sed -e "s|/var/log/|$w/|" -e "s|/dev/console|$w/console|" \
		    "$TOP/etc/syslog.conf" >>"$c" ;;
	esac
	DARGS="-F -K -r -f $c -p $w/log.sock -i $w/pid"
	case " $ins " in
	*" udp "*) DARGS="$DARGS -b 127.0.0.1:$UDPPORT" ;;
	*) DARGS="$DARGS -s" ;;
	esac
}

conf_rsyslog() {
	w=$1 ins=$2 outp=$3 c=$1/rsyslog.conf
	cat >"$c" <<EOF
global(workDirectory="$w" net.enableDNS="off"
       defaultNetstreamDriver="ossl"
       defaultNetstreamDriverCAFile="$CERTS/ca.pem"
       defaultNetstreamDriverCertFile="$CERTS/server.pem"
       defaultNetstreamDriverKeyFile="$CERTS/server.key")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$w/log.sock" RateLimit.Interval="0")
EOF
	case " $ins " in *" udp "*)
		cat >>"$c" <<EOF
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$UDPPORT")
EOF
	esac
	case " $ins " in *" tls "*)
		cat >>"$c" <<EOF
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1"
       StreamDriver.AuthMode="x509/certvalid" MaxSessions="2000")
input(type="imtcp" address="127.0.0.1" port="$TLSPORT")
EOF
	esac
	case $outp in
	file) printf '*.* action(type="omfile" file="%s/out.log")\n' "$w" >>"$c"
	    : >"$w/out.log" ;;
	fwd) cat >>"$c" <<EOF
*.* action(type="omfwd" target="127.0.0.1" port="$SINKPORT" protocol="tcp"
           StreamDriver="ossl" StreamDriverMode="1"
           StreamDriverAuthMode="x509/certvalid" TCP_Framing="octet-counted"
           template="RSYSLOG_SyslogProtocol23Format")
EOF
	;;
	default) cat >>"$c" <<EOF
*.*;auth,authpriv.none -$w/syslog
auth,authpriv.* $w/auth.log
cron.* -$w/cron.log
kern.* -$w/kern.log
mail.* -$w/mail.log
user.* -$w/user.log
EOF
	;;
	esac
	DARGS="-n -f $c -i $w/pid"
}

conf_syslog_ng() {
	w=$1 ins=$2 outp=$3 c=$1/syslog-ng.conf
	tlsopt="tls(key-file(\"$CERTS/server.key\") cert-file(\"$CERTS/server.pem\") ca-file(\"$CERTS/ca.pem\") peer-verify(required-trusted))"
	{
		echo "@version: 3.38"
		if [ "$outp" = default ]; then
			echo 'options { chain_hostnames(off); flush_lines(0); use_dns(no); use_fqdn(no); dns_cache(no); owner("root"); group("adm"); perm(0640); stats_freq(0); bad_hostname("^gconfd$"); };'
		else
			echo 'options { use-dns(no); use-fqdn(no); dns-cache(no); keep-hostname(yes); chain-hostnames(no); stats_freq(0); };'
		fi
		echo "source s {"
		echo "  unix-dgram(\"$w/log.sock\");"
		case " $ins " in *" udp "*)
			echo "  network(ip(\"127.0.0.1\") port($UDPPORT) transport(\"udp\"));"
		esac
		case " $ins " in *" tls "*)
			echo "  syslog(ip(\"127.0.0.1\") port($TLSPORT) transport(\"tls\") max-connections(2000) log-iw-size(200000) $tlsopt);"
		esac
		[ "$outp" = default ] && echo "  internal();"
		echo "};"
		case $outp in
		file) echo "destination d { file(\"$w/out.log\"); };"
		    : >"$w/out.log" ;;
		fwd) echo "destination d { syslog(\"127.0.0.1\" port($SINKPORT) transport(\"tls\") tls(key-file(\"$CERTS/client.key\") cert-file(\"$CERTS/client.pem\") ca-file(\"$CERTS/ca.pem\") peer-verify(required-trusted))); };" ;;
		default) echo "destination d { file(\"$w/syslog\"); };" ;;
		esac
		echo "log { source(s); destination(d); };"
	} >"$c"
	DARGS="-F -f $c -p $w/pid -R $w/persist -c $w/ctl --no-caps --module-path=$SNG_MOD"
}

# start_daemon NAME W INPUTS OUTPUT: sets DPID, or returns 1
start_daemon() {
	name=$1 w=$2 ins=$3 outp=$4
	mkdir -p "$w"
	case $name in
	ours|ours-static) conf_ours "$w" "$ins" "$outp"
	    bin=$SYSLOGD
	    [ "$name" = ours-static ] && bin=$SYSLOGD_STATIC
	    # shellcheck disable=SC2086
	    "$bin" $DARGS >"$w/daemon.log" 2>&1 & DPID=$! ;;
	rsyslog) conf_rsyslog "$w" "$ins" "$outp"
	    # shellcheck disable=SC2086
	    "$RSYSLOGD" $DARGS >"$w/daemon.log" 2>&1 & DPID=$! ;;
	syslog-ng) conf_syslog_ng "$w" "$ins" "$outp"
	    # shellcheck disable=SC2086
	    LD_LIBRARY_PATH=$SNG_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
	    "$SYSLOG_NG" $DARGS >"$w/daemon.log" 2>&1 & DPID=$! ;;
	esac
	PIDS="$PIDS $DPID"
	i=0
	while [ $i -lt 100 ]; do
		ok=1
		[ -s "$w/pid" ] && [ -S "$w/log.sock" ] || ok=0
		case " $ins " in *" udp "*)
			ss -Hlun "sport = :$UDPPORT" 2>/dev/null | grep -q . || ok=0
		esac
		case " $ins " in *" tls "*)
			ss -Hltn "sport = :$TLSPORT" 2>/dev/null | grep -q . || ok=0
		esac
		kill -0 "$DPID" 2>/dev/null || {
			log "$name did not start:"; cat "$w/daemon.log" >&2; return 1; }
		[ $ok = 1 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ $ok = 1 ] || { log "$name not ready after 10 s"; cat "$w/daemon.log" >&2; }
	sleep 0.3
	return 0
}

stop_pid() {
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	np=
	for p in $PIDS; do [ "$p" = "$1" ] || np="$np $p"; done
	PIDS=$np
}

# ---- one throughput run -------------------------------------------------
#
# run_load_real CASE DAEMON REP INPUTS OUTPUT HOLD LOADGEN-ARGS...

run_load_real() {
	cs=$1 name=$2 rep=$3 ins=$4 outp=$5 hold=$6
	shift 6
	w=$WORK/$cs-$name-$rep
	mkdir -p "$w"
	UDPPORT=$p1 TLSPORT=$p2 SINKPORT=$p3
	out=$w/out.log
	SPID=
	if [ "$outp" = fwd ]; then
		out=$w/sink.log
		: >"$out"
		"$LOADGEN" -m sink -P "$SINKPORT" -k "$CERTS/server.key" \
		    -C "$CERTS/server.pem" -o "$out" >"$w/sink.out" 2>&1 &
		SPID=$!
		PIDS="$PIDS $SPID"
		i=0
		while ! grep -q listening "$w/sink.out" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
	fi
	start_daemon "$name" "$w" "$ins" "$outp" || { [ -n "$SPID" ] && stop_pid "$SPID"; return 1; }
	c0=$(cpu_ticks "$DPID")
	"$LOADGEN" "$@" -n "$MESSAGES" -D "$w/lg.done" -R "$w/lg.ready" \
	    -H "$hold" >"$w/lg.out" 2>"$w/lg.err" &
	LPID=$!
	PIDS="$PIDS $LPID"
	"$LOADGEN" -m watch -o "$out" -d "$w/lg.done" -q 2000 -T 600 \
	    -R "$w/lg.ready" -p "$DPID" >"$w/watch.out"
	c1=$(kv "$w/watch.out" ticks_end)
	cr=$(kv "$w/watch.out" ticks_ready)
	case $cr in ''|-*) cr=$c0 ;; esac
	s1=$(kv "$w/watch.out" sys_end)
	sr=$(kv "$w/watch.out" sys_ready)
	case $sr in -*) sr= ;; esac
	case $s1 in -*) s1= ;; esac
	rss=$(status_kb "$DPID" VmRSS)
	hwm=$(status_kb "$DPID" VmHWM)
	stop_pid "$LPID"
	stop_pid "$DPID"
	[ -n "$SPID" ] && stop_pid "$SPID"
	"$LOADGEN" -m count -o "$out" -n "$MESSAGES" >"$w/count.out"
	res=$w/lg.done
	sent=$(kv "$res" sent)
	start=$(kv "$res" start)
	lgcpu=$(kv "$res" cpu)
	lgwall=$(kv "$res" wall)
	lgrate=$(kv "$res" rate)
	last=$(kv "$w/watch.out" last_growth)
	deliv=$(kv "$w/count.out" delivered)
	[ -n "$sent" ] || { log "$cs $name: loadgen failed:"; cat "$w/lg.err" >&2; sent=0; start=0; lgcpu=0; lgwall=1; lgrate=0; }
	[ -s "$w/lg.err" ] && { log "$cs $name: loadgen said:"; head -5 "$w/lg.err" >&2; }
	grep -q timeout "$w/watch.out" && log "$cs $name: delivery did not settle in 600 s"
	awk -v cs="$cs" -v n="$name" -v sent="$sent" -v d="$deliv" \
	    -v s="$start" -v l="$last" -v c0="$c0" -v c1="$c1" -v tck="$TCK" -v cr="$cr" \
	    -v sr="$sr" -v s1="$s1" \
	    -v hwm="$hwm" -v rss="$rss" -v lgcpu="$lgcpu" -v lgwall="$lgwall" \
	    -v lgrate="$lgrate" -v total="$MESSAGES" -v hold="$hold" 'BEGIN {
		dt = l - s; if (dt <= 0) dt = 1e-9
		cpu = (c1 - cr) / tck
		setup = (cr - c0) / tck
		lost = total - d
		printf "%s\t%s\trate\t%.0f\n", cs, n, d / dt
		printf "%s\t%s\tloss\t%d\n", cs, n, lost
		printf "%s\t%s\tlosspct\t%.3f\n", cs, n, 100 * lost / total
		printf "%s\t%s\tcpu\t%.3f\n", cs, n, (d > 0 ? cpu * 1e6 / d : 0)
		if (sr != "" && s1 != "")
			printf "%s\t%s\tcpu_sys\t%.3f\n", cs, n, (d > 0 ? (s1 - sr) / tck * 1e6 / d : 0)
		printf "%s\t%s\thwm\t%d\n", cs, n, hwm
		if (cs ~ /^[345]$|^3[ab]$/) printf "%s\t%s\tsetup\t%.3f\n", cs, n, setup
		if (hold > 0) printf "%s\t%s\trss_held\t%d\n", cs, n, rss
		printf "%s\t%s\tlg_cpu\t%.3f\n", cs, n, lgcpu * 1e6 / total
		printf "%s\t%s\tlg_util\t%.0f\n", cs, n, 100 * lgcpu / lgwall
		printf "%s\t%s\tlg_rate\t%.0f\n", cs, n, lgrate
	}' >>"$RAW"
	log "$cs $name rep $rep: sent $sent delivered $deliv in $(awk -v s="$start" -v l="$last" 'BEGIN{printf "%.2f", l-s}') s," \
	    "daemon CPU $(awk -v a="$c0" -v b="$c1" -v t="$TCK" 'BEGIN{print (b-a)/t}') s, VmHWM $hwm kB, loadgen CPU $lgcpu s"
	[ "${KEEP:-0}" = 1 ] || rm -f "$out" "$w/out.log"
}

# ---- the cases ------------------------------------------------------------

case_load() {	# case_load CASE REP
	for d in $DAEMONS; do
		case $1 in
		1a) run_load 1a "$d" "$2" udp file 0 -m udp -P @UDP@ -t 1 -b 32 ;;
		1b) run_load 1b "$d" "$2" udp file 0 -m udp -P @UDP@ -t 1 -b 16 -r 100000 ;;
		2) run_load 2 "$d" "$2" unix file 0 -m unix -u @SOCK@ -t 1 -b 32 ;;
		3a) run_load 3a "$d" "$2" tls file 0 @TLS@ -t 1 -c 1 -b 1 ;;
		3b) run_load 3b "$d" "$2" tls file 0 @TLS@ -t 1 -c 1 -b 64 ;;
		4) run_load 4 "$d" "$2" tls file 0 @TLS@ -t 2 -c 50 -b 1 ;;
		5) run_load 5 "$d" "$2" tls file 600 @TLS@ -t 2 -c 1000 -B 10 -b 1 ;;
		6) run_load 6 "$d" "$2" unix fwd 0 -m unix -u @SOCK@ -t 1 -b 32 ;;
		esac
	done
}

# The loadgen arguments name ports and paths that exist only once the run
# has allocated them: run_load substitutes the placeholders.
run_load() {
	cs=$1 name=$2 rep=$3 ins=$4 outp=$5 hold=$6
	shift 6
	# allocate the ports here; run_load_real takes them from P_UDP, P_TLS
	newport; p1=$PORT; newport; p2=$PORT; newport; p3=$PORT
	args=
	for a in "$@"; do
		case $a in
		@UDP@) a=$p1 ;;
		@TLS@) a="-m tls -P $p2 -k $CERTS/client.key -C $CERTS/client.pem -A $CERTS/ca.pem" ;;
		@SOCK@) a=$WORK/$cs-$name-$rep/log.sock ;;
		esac
		args="$args $a"
	done
	# shellcheck disable=SC2086
	run_load_real "$cs" "$name" "$rep" "$ins" "$outp" "$hold" $args
}

case_idle() {	# case_idle REP: all daemons at once, default configuration
	pids=
	for d in $DAEMONS; do
		w=$WORK/7-$d-$1
		start_daemon "$d" "$w" unix default || continue
		pids="$pids $d:$DPID"
	done
	sleep 2
	for dp in $pids; do
		d=${dp%%:*} p=${dp#*:}
		ctxt_tasks "$p" >"$WORK/7-$d-$1/ctxt0"
	done
	log "7 idle: waiting $IDLE s"
	sleep "$IDLE"
	for dp in $pids; do
		d=${dp%%:*} p=${dp#*:}
		ctxt_tasks "$p" >"$WORK/7-$d-$1/ctxt1"
		record 7 "$d" wakeups "$(ctxt_delta "$WORK/7-$d-$1/ctxt0" "$WORK/7-$d-$1/ctxt1")"
		record 7 "$d" threads "$(wc -l <"$WORK/7-$d-$1/ctxt1")"
		record 7 "$d" hwm "$(status_kb "$p" VmHWM)"
	done
	if [ $HAVE_STRACE = 1 ] && [ "$1" = 1 ]; then
		log "7 idle: strace -c for $IDLE s"
		spids=
		for dp in $pids; do
			d=${dp%%:*} p=${dp#*:}
			timeout -s INT "$IDLE" strace -c -f -p "$p" \
			    -o "$WORK/7-$d-$1/strace" >/dev/null 2>&1 &
			spids="$spids $!"
		done
		for sp in $spids; do wait "$sp"; done
		for dp in $pids; do
			d=${dp%%:*}
			n=$(awk '$NF == "total" { print $4 }' "$WORK/7-$d-$1/strace" 2>/dev/null)
			record 7 "$d" syscalls "${n:-0}"
		done
	fi
	for dp in $pids; do stop_pid "${dp#*:}"; done
}

case_startup() {	# case_startup REP
	for d in $DAEMONS; do
		for v in plain tls; do
			w=$WORK/8-$d-$v-$1
			newport; UDPPORT=$PORT; newport; TLSPORT=$PORT
			ins=unix
			[ $v = tls ] && ins="unix tls"
			start_daemon "$d" "$w" "$ins" default || continue
			sleep 1
			record "8$v" "$d" rss "$(status_kb "$DPID" VmRSS)"
			record "8$v" "$d" pss "$(pss_kb "$DPID")"
			record "8$v" "$d" hwm "$(status_kb "$DPID" VmHWM)"
			stop_pid "$DPID"
		done
	done
	# what the libraries of the usual build cost before our code runs
	case " $DAEMONS " in *" ours "*)
		"$HERE/rssfloor" & fp=$!
		PIDS="$PIDS $fp"
		sleep 1
		record 8plain ours floor_rss "$(status_kb "$fp" VmRSS)"
		record 8plain ours floor_pss "$(pss_kb "$fp")"
		stop_pid "$fp"
	esac
}

# ---- the run -------------------------------------------------------------

# which daemon binary was measured (a tree shared with others may be
# rebuilt during a long run: compare with the end)
ours_ver="$(cd "$TOP" && git rev-parse --short HEAD 2>/dev/null || echo unknown) tree, binary sha256 $(sha256sum "$SYSLOGD" | cut -c1-12) built $(date -r "$SYSLOGD" +%H:%M)"
log "work directory $WORK; $MODE run: $MESSAGES messages, $REPS repetition(s), idle $IDLE s"
log "daemons: $DAEMONS"
START_TIME=$(date +%s)
rep=1
while [ $rep -le "$REPS" ]; do
	for cs in $CASES; do
		case $cs in
		7) case_idle "$rep" ;;
		8) case_startup "$rep" ;;
		*) case_load "$cs" "$rep" ;;
		esac
	done
	rep=$((rep + 1))
done
ELAPSED=$(( $(date +%s) - START_TIME ))
case $ours_ver in *"$(sha256sum "$SYSLOGD" | cut -c1-12)"*) ;;
*) log "WARNING: $SYSLOGD changed during the run"
   ours_ver="$ours_ver (CHANGED DURING THE RUN)" ;;
esac

# ---- the report ------------------------------------------------------------

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rs_ver=$("$RSYSLOGD" -v 2>/dev/null | awk 'NR == 1 { print $2 }')
sng_ver=
[ -n "${SNG_LIB:-}" ] && sng_ver=$(LD_LIBRARY_PATH=$SNG_LIB "$SYSLOG_NG" --version 2>/dev/null | awk 'NR == 1 { print $3 }' | tr -d '()')
static_ld=$(readelf -p .comment "$SYSLOGD_STATIC" 2>/dev/null |
    sed -n 's/.*Linker: *//p' | head -n 1)
case $static_ld in
*LLD*) static_ld="$static_ld, in the order of syslogd/syslogd.order" ;;
'') static_ld="the system linker" ;;
esac
lg_threads_note="loadgen: 1 sender thread for datagrams (sendmmsg, 32 per call; 16 per call when rate-limited) and for 1 TLS connection, 2 threads for 50 and 1,000 connections; TLS with an ECDSA P-256 client certificate verified by the daemon"

{
	echo "# Benchmark results ($MODE run)"
	echo
	echo "- machine: $(nproc) CPUs ($cpu_model), $mem RAM, Linux $(uname -r)"
	echo "- daemons: ours $ours_ver ($SYSLOGD); ours-static: the same sources linked with \`make STATIC_LINK=1\` ($static_ld); rsyslog ${rs_ver:-?}, syslog-ng ${sng_ver:-?}, $(openssl version | awk '{ print $1, $2 }')"
	echo "- command: \`$CMDLINE\` (SYSLOGD=$SYSLOGD), $(date -u +%Y-%m-%dT%H:%MZ), took $((ELAPSED / 60)) min"
	echo "- $MESSAGES messages of 120 bytes per case, $REPS repetition(s), medians; idle window $IDLE s"
	echo "- $lg_threads_note"
	echo "- CPU: the daemon's utime+stime (all threads) from the start of sending (all connections up) to the end of delivery, per million messages delivered; peak RSS: VmHWM; msg/s: delivered / (last growth of the output - start of sending)"
	echo "- ratio: ours / best peer, and ours-static / best peer (best = highest msg/s, lowest otherwise)"
	echo
	awk -F'\t' -v daemons="$DAEMONS" '
	{ k = $1 SUBSEP $3 SUBSEP $2; n[k]++; v[k, n[k]] = $4; seen[$1] = 1 }
	function median(k,   i, j, t, m, a) {
		m = n[k]; if (m == 0) return ""
		for (i = 1; i <= m; i++) a[i] = v[k, i] + 0
		for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function fmt(metric, x, c) {
		if (x == "") return "-"
		if (metric == "rate") return sprintf("%d", x)
		if (metric == "loss") return sprintf("%d (%.2f%%)", x, median(c SUBSEP "losspct" SUBSEP cur))
		if (metric ~ /^(cpu|cpu_sys|lg_cpu|setup)$/) return sprintf("%.2f s", x)
		if (metric ~ /^(hwm|rss|pss|rss_held|floor_rss|floor_pss)$/) return sprintf("%.1f MiB", x / 1024)
		if (metric == "lg_util") return sprintf("%d%%", x)
		return sprintf("%d", x)
	}
	END {
		split("1a 1b 2 3a 3b 4 5 6 7 8plain 8tls", order, " ")
		title["1a"] = "1a UDP, max rate"; title["1b"] = "1b UDP, 100k msg/s"
		title["2"] = "2 unix dgram"; title["3a"] = "3a TLS 1 conn, 1 msg/record"
		title["3b"] = "3b TLS 1 conn, 64 msg/write"; title["4"] = "4 TLS 50 conns"
		title["5"] = "5 TLS 1000 conns (10 busy)"; title["6"] = "6 fwd unix -> TLS"
		title["7"] = "7 idle"; title["8plain"] = "8 start-up"; title["8tls"] = "8 start-up, TLS on"
		nm = split("rate loss cpu cpu_sys setup hwm rss_held wakeups syscalls rss pss floor_rss floor_pss lg_cpu lg_util", metrics, " ")
		mname["rate"] = "delivered msg/s"; mname["loss"] = "loss"; mname["cpu"] = "CPU s / 1M msgs"; mname["setup"] = "CPU s, TLS handshakes"
		mname["cpu_sys"] = "of which in the kernel"
		mname["floor_rss"] = "RSS, empty program linked alike"; mname["floor_pss"] = "PSS, empty program linked alike"
		mname["hwm"] = "peak RSS"; mname["rss_held"] = "RSS, 1000 conns open"
		mname["wakeups"] = "wake-ups (ctxt switches)"; mname["syscalls"] = "syscalls (strace -c, 1st rep)"
		mname["rss"] = "RSS"; mname["pss"] = "PSS"
		mname["lg_cpu"] = "loadgen CPU s / 1M msgs"; mname["lg_util"] = "loadgen CPU use"
		nd = split(daemons, D, " ")
		# one ratio column per daemon of ours
		nr = 0; for (i = 1; i <= nd; i++) if (D[i] ~ /^ours/) R[++nr] = D[i]
		printf "| case | metric |"; for (i = 1; i <= nd; i++) printf " %s |", D[i]
		for (i = 1; i <= nr; i++) printf " %s / best peer |", R[i]; print ""
		printf "|---|---|"; for (i = 1; i <= nd; i++) printf "---:|"
		for (i = 1; i <= nr; i++) printf "---:|"; print ""
		for (o = 1; o <= 11; o++) {
			c = order[o]; if (!(c in seen)) continue
			for (mi = 1; mi <= nm; mi++) {
				m = metrics[mi]; any = 0
				for (i = 1; i <= nd; i++) if (n[c SUBSEP m SUBSEP D[i]] > 0) any = 1
				if (!any) continue
				printf "| %s | %s |", title[c], mname[m]
				# an empty program: its memory is set against what the peers have
				bm = m; if (m ~ /^floor_/) bm = substr(m, 7)
				best = ""
				for (i = 1; i <= nd; i++) {
					cur = D[i]; x = median(c SUBSEP m SUBSEP cur)
					printf " %s |", fmt(m, x, c)
					x = median(c SUBSEP bm SUBSEP cur)
					if (cur !~ /^ours/ && x != "") {
						if (best == "" || (m == "rate" ? x > best : x < best)) best = x
					}
				}
				for (i = 1; i <= nr; i++) {
					o_ = median(c SUBSEP m SUBSEP R[i])
					if (m ~ /^lg_|^cpu_sys$/ || best == "" || o_ == "") r = ""
					else if (best == 0) r = (o_ == 0 ? "= (0)" : "inf")
					else r = sprintf("%.2f", o_ / best)
					printf " %s |", r
				}
				print ""
			}
		}
	}' "$RAW"
	echo
	echo "Raw measurements (one line per run): case, daemon, metric, value."
	echo
	echo '```'
	cat "$RAW"
	echo '```'
} >"$OUT"
log "results written to $OUT"
