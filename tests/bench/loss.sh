#!/bin/sh
# Loss and duplicates when the collector restarts: a sender forwards
# 200,000 numbered messages over TLS (RFC 5425) to a collector, which is
# stopped and started again twice while the messages flow (when the
# sender's input has taken 25 % and 55 % of them).  The collector is our
# syslogd in every case; the senders are our syslogd, rsyslog (omfwd,
# OpenSSL driver) and syslog-ng (syslog() driver), each with a large
# in-memory queue and retrying for ever, so that what is lost is lost in
# the forwarding itself.
#
#   sh tests/bench/loss.sh [--messages N] [--kill] [--idle SECONDS]
#                          [--senders "ours rsyslog syslog-ng"]
#
#   --kill      SIGKILL the collector instead of SIGTERM
#   --idle S    a run ends when everything arrived, or nothing more for S
#               seconds (default 30)
#
# Environment: SYSLOGD (default ./syslogd/syslogd, from the top of the
# tree), RSYSLOGD, SYSLOG_NG (default /opt/syslog-ng-private/bin/syslog-ng,
# see tests/interop/install-syslog-ng.sh), KEEP=1 keeps the work directory.
#
# Everything runs on 127.0.0.1, on ports from 10000 to 32767, in a private
# directory made with mktemp; only the processes started here are ended.
# The input of every sender is a unix datagram socket fed by util-linux
# logger, which blocks when the sender is slow: nothing is lost on the way
# in.  Prints a Markdown table.

set -u
LC_ALL=C
export LC_ALL

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

N=200000
HOW=term
IDLE=30
SENDERS="ours rsyslog syslog-ng"
while [ $# -gt 0 ]; do
	case $1 in
	--messages) N=$2; shift ;;
	--kill) HOW=kill ;;
	--idle) IDLE=$2; shift ;;
	--senders) SENDERS=$2; shift ;;
	-h|--help) sed -n '2,26p' "$0"; exit 0 ;;
	*) echo "loss.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

SYSLOGD=${SYSLOGD:-./syslogd/syslogd}
case $SYSLOGD in /*) ;; *) SYSLOGD=$TOP/$SYSLOGD ;; esac
RSYSLOGD=${RSYSLOGD:-$(command -v rsyslogd 2>/dev/null || echo /usr/sbin/rsyslogd)}
SYSLOG_NG=${SYSLOG_NG:-/opt/syslog-ng-private/bin/syslog-ng}

say() { echo "loss.sh: $*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$SYSLOGD" ] || die "our daemon $SYSLOGD is missing: run make (or set SYSLOGD)"
logger --version 2>/dev/null | grep -q util-linux ||
    die "needs the util-linux logger"
command -v awk >/dev/null 2>&1 && command -v seq >/dev/null 2>&1 ||
    die "needs awk and seq"

# Which senders can run; the others are reported and left out.
run_list=
for s in $SENDERS; do
	case $s in
	ours) run_list="$run_list ours" ;;
	rsyslog)
		ok=
		for d in /usr/lib/*/rsyslog /usr/lib/rsyslog /usr/lib64/rsyslog \
		    /usr/local/lib/rsyslog; do
			[ -f "$d/lmnsd_ossl.so" ] && ok=1
		done
		if [ -x "$RSYSLOGD" ] && [ -n "$ok" ]; then
			run_list="$run_list rsyslog"
		else
			say "rsyslog skipped: apt-get install rsyslog rsyslog-openssl"
		fi ;;
	syslog-ng)
		if [ -x "$SYSLOG_NG" ] && "$SYSLOG_NG" --version >/dev/null 2>&1
		then
			run_list="$run_list syslog-ng"
		else
			say "syslog-ng skipped: no $SYSLOG_NG" \
			    "(sh tests/interop/install-syslog-ng.sh)"
		fi ;;
	*) die "unknown sender $s" ;;
	esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/syslogd-loss.XXXXXX") || die "mktemp failed"
PIDS_FILE=$WORK/pids
: >"$PIDS_FILE"

# Ends the processes started here, by their pid, if they still are ours.
cleanup()
{
	local p c
	for p in $(cat "$PIDS_FILE" 2>/dev/null); do
		c=$(ps -p "$p" -o comm= 2>/dev/null)
		case $c in
		syslogd|rsyslogd|syslog-ng|logger|awk|seq) kill "$p" 2>/dev/null ;;
		esac
	done
	sleep 0.5
	for p in $(cat "$PIDS_FILE" 2>/dev/null); do
		c=$(ps -p "$p" -o comm= 2>/dev/null)
		case $c in
		syslogd|rsyslogd|syslog-ng|logger|awk|seq) kill -9 "$p" 2>/dev/null ;;
		esac
	done
	if [ "${KEEP:-0}" = 1 ]; then
		say "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT_BASE=$((10000 + ($$ % 2200) * 10))

# track PID: ended at exit.
track() { echo "$1" >>"$PIDS_FILE"; }

# running PID: exists and is no zombie.
running()
{
	local st
	st=$(ps -p "$1" -o stat= 2>/dev/null | tr -d ' ')
	[ -n "$st" ] && [ "${st#Z}" = "$st" ]
}

# wait_file FILE [SECONDS]: until FILE exists and is not empty.
wait_file()
{
	local i=0
	while ! [ -s "$1" ]; do
		i=$((i + 1))
		[ $i -le $((${2:-15} * 10)) ] || return 1
		sleep 0.1
	done
}

# reap PID: waits up to 10 s for PID, signalled, to exit, then kills it.
reap()
{
	local i=0
	while running "$1"; do
		i=$((i + 1))
		[ $i -le 100 ] || { kill -KILL "$1"; break; }
		sleep 0.1
	done
	wait "$1" 2>/dev/null
}

# wait_listen PORT: until something listens on 127.0.0.1:PORT.
wait_listen()
{
	local hex i=0
	if ! [ -r /proc/net/tcp ]; then
		sleep 0.5
		return 0
	fi
	hex=$(printf '0100007F:%04X' "$1")
	while ! grep -q " $hex 00000000:0000 0A " /proc/net/tcp; do
		i=$((i + 1))
		[ $i -le 150 ] || return 1
		sleep 0.1
	done
}

# ---- the collector (our syslogd) ------------------------------------------

# collector_conf DIR PORT: DIR/recv.conf, its key and certificate.
collector_conf()
{
	local d=$1
	cat >"$d/recv.conf" <<EOF
tls_server=yes
tls_bindhost=127.0.0.1
tls_bindport=$2
tls_key=$d/recv.key
tls_cert=$d/recv.crt
tls_gen_cert=yes
tls_verify=off
user.*	$d/recv.log
syslog.*	$d/recv-own.log
EOF
	: >"$d/recv.log"
	: >"$d/recv-own.log"
	"$SYSLOGD" -I -f "$d/recv.conf" >"$d/recv.id" 2>&1 ||
	    die "syslogd -I failed: $(cat "$d/recv.id")"
	RECV_FP=$(sed -n 's/^fingerprint: *\(SHA256:.*\)$/\1/p' "$d/recv.id")
	[ -n "$RECV_FP" ] || die "no fingerprint in $d/recv.id"
}

# collector_start DIR PORT: sets RECV_PID.
collector_start()
{
	local d=$1
	rm -f "$d/recv.pid"
	"$SYSLOGD" -F -K -s -r -f "$d/recv.conf" -p "$d/recv.sock" \
	    -i "$d/recv.pid" >>"$d/recv.err" 2>&1 &
	RECV_PID=$!
	track $RECV_PID
	wait_file "$d/recv.pid" || die "the collector did not start: $(tail -n 5 "$d/recv.err")"
	wait_listen "$2" || die "the collector does not listen on $2"
}

# collector_stop: SIGTERM (waits for the exit) or SIGKILL, after $HOW.
collector_stop()
{
	if [ "$HOW" = kill ]; then
		kill -KILL "$RECV_PID"
	else
		kill -TERM "$RECV_PID"
	fi
	reap "$RECV_PID"
}

# ---- the senders --------------------------------------------------------------

# sender_start NAME DIR PORT: the sender reading the datagram socket
# DIR/in.sock and forwarding user.* to 127.0.0.1:PORT; sets SEND_PID.
sender_start()
{
	local d=$2 p=$3 v
	case $1 in
	ours)
		cat >"$d/send.conf" <<EOF
tls_key=$d/send.key
tls_cert=$d/send.crt
tls_gen_cert=yes
user.*	@[127.0.0.1]:$p(fingerprint="$RECV_FP")
syslog.*	$d/send-own.log
EOF
		: >"$d/send-own.log"
		"$SYSLOGD" -F -K -s -r -f "$d/send.conf" -p "$d/in.sock" \
		    -i "$d/send.pid" >"$d/send.err" 2>&1 &
		SEND_PID=$!
		;;
	rsyslog)
		mkdir -p "$d/rs.work"
		cat >"$d/send.conf" <<EOF
global(workDirectory="$d/rs.work" net.enableDNS="off"
       defaultNetstreamDriver="ossl")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$d/in.sock" RateLimit.Interval="0")
user.* action(type="omfwd" target="127.0.0.1" port="$p" protocol="tcp"
    TCP_Framing="octet-counted" StreamDriver="ossl" StreamDriverMode="1"
    StreamDriverAuthMode="anon"
    queue.type="LinkedList" queue.size="1000000"
    action.resumeRetryCount="-1" action.resumeInterval="1")
EOF
		"$RSYSLOGD" -n -f "$d/send.conf" -i "$d/send.pid" \
		    >"$d/send.err" 2>&1 &
		SEND_PID=$!
		;;
	syslog-ng)
		v=$("$SYSLOG_NG" --version |
		    sed -n 's/^Installer-Version: *\([0-9]*\.[0-9]*\).*/\1/p')
		cat >"$d/send.conf" <<EOF
@version: ${v:-3.38}
options { keep-hostname(yes); use-dns(no); stats-freq(0);
    log-fifo-size(1000000); time-reopen(1); };
source s_in { unix-dgram("$d/in.sock"); };
destination d_tls { syslog("127.0.0.1" port($p) transport("tls")
    tls(peer-verify(optional-untrusted))); };
log { source(s_in); filter { facility(user); }; destination(d_tls); };
EOF
		"$SYSLOG_NG" -F -e -f "$d/send.conf" \
		    --persist-file="$d/ng.persist" --pidfile="$d/send.pid" \
		    --control="$d/ng.ctl" >"$d/send.err" 2>&1 &
		SEND_PID=$!
		;;
	esac
	track $SEND_PID
	wait_file "$d/send.pid" || die "$1 did not start: $(tail -n 5 "$d/send.err")"
	local i=0
	while ! [ -S "$d/in.sock" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || die "$1 did not create $d/in.sock"
		sleep 0.1
	done
}

sender_stop()
{
	kill -TERM "$SEND_PID" 2>/dev/null
	reap "$SEND_PID"
}

# ---- one run ------------------------------------------------------------------

# numbers FILE: the numbers of the messages "dlv: seq N" in FILE.
# (syslog-ng's syslog() adds structured data: "[meta sequenceId=...]".)
numbers()
{
	sed -n -E 's/^.* dlv: (\[[^]]*\] )*seq ([0-9]+)$/\2/p' "$1"
}

# unique_count FILE
unique_count() { numbers "$1" | sort -n -u | wc -l | tr -d ' '; }

# run NAME PORT: one scenario; appends a table row to $WORK/rows.
run()
{
	local name=$1 port=$2 d=$WORK/$1 m1=$((N / 4)) m2=$((N * 55 / 100))
	local lpid i n t last idle t0 notes=
	mkdir -p "$d"
	cd "$d" || die "cd $d"
	collector_conf "$d" "$port"
	collector_start "$d" "$port"
	sender_start "$name" "$d" "$port"
	# A first message makes sure the sender is connected.
	logger -u "$d/in.sock" -t warmup "warm-up"
	i=0
	while ! grep -q ' warmup: .*warm-up$' recv.log; do
		i=$((i + 1))
		[ $i -le 300 ] || die "$name: the warm-up message did not arrive: $(tail -n 5 "$d/send.err")"
		sleep 0.1
	done
	say "$name: sending $N messages; the collector is stopped ($HOW)" \
	    "at $m1 and $m2"
	# The stream waits at a mark only while the collector is not back.
	touch ready.$m1
	t0=$(date +%s)
	( seq 1 "$N" | awk -v a=$m1 -v b=$m2 '{ print "seq " $1 }
	    $1 == a || $1 == b { fflush(); system("touch sent." $1 "; " \
		"while ! [ -e ready." $1 " ]; do sleep 0.01; done") }' |
	    logger -u "$d/in.sock" -t dlv; echo $? >logger.rc ) &
	lpid=$!
	track $lpid
	for i in $m1 $m2; do
		while ! [ -e sent.$i ]; do sleep 0.02; done
		collector_stop
		running $lpid || notes="the stream had ended at a stop"
		n=$(wc -l <recv.log | tr -d ' ')
		say "$name: collector stopped after $i sent, with $n lines"
		collector_start "$d" "$port"
		# The stream goes on once the sender is back (its own
		# back-off; no SIGUSR1 for ours): the second stop then
		# comes while messages flow.
		t=0
		while [ "$(wc -l <recv.log)" -le "$n" ]; do
			t=$((t + 1))
			[ $t -le 1200 ] || break
			sleep 0.1
		done
		touch ready.$m2
	done
	wait $lpid
	[ "$(cat logger.rc)" = 0 ] || notes="${notes:+$notes; }logger failed"
	# Until everything arrived or nothing more did for $IDLE s.
	last=-1
	idle=0
	while :; do
		n=$(unique_count recv.log)
		[ "$n" -ge "$N" ] && break
		if [ "$n" = "$last" ]; then
			idle=$((idle + 1))
		else
			idle=0
			last=$n
		fi
		[ $idle -lt $((IDLE * 2)) ] || break
		sleep 0.5
	done
	say "$name: done after $(($(date +%s) - t0)) s"
	numbers recv.log >got.txt
	total=$(wc -l <got.txt | tr -d ' ')
	uniq=$(unique_count recv.log)
	lost=$((N - uniq))
	dups=$((total - uniq))
	if [ "$name" = ours ]; then
		kill -USR2 "$SEND_PID"
		sleep 0.5
		notes="${notes:+$notes; }$(grep -a -F "@[127.0.0.1]:$port (line" \
		    send-own.log | tail -n 1 | sed 's/^.*): //')"
	fi
	if [ "$lost" -gt 0 ]; then
		seq 1 "$N" | sort >want.lex
		sort -u got.txt | comm -23 want.lex - | sort -n >lost.txt
		notes="${notes:+$notes; }lost: $(awk 'NR == 1 { s = p = $1; next }
		    $1 == p + 1 { p = $1; next }
		    { o = o (s == p ? s : s "-" p) " "; s = p = $1 }
		    END { if (NR) o = o (s == p ? s : s "-" p); print o }' \
		    lost.txt | cut -c1-120)"
	fi
	sender_stop
	collector_stop
	printf '| %s | %s | %s | %s | %s | %s |\n' "$(label "$name")" "$N" \
	    "$uniq" "$lost" "$dups" "$notes" >>"$WORK/rows"
	cd "$WORK" || exit 1
}

label()
{
	case $1 in
	ours) echo "our syslogd" ;;
	rsyslog) echo "rsyslog $("$RSYSLOGD" -v 2>/dev/null |
	    sed -n '1s/^rsyslogd *\([0-9.]*\).*/\1/p')" ;;
	syslog-ng) echo "syslog-ng $("$SYSLOG_NG" --version 2>/dev/null |
	    sed -n 's/^Installer-Version: *//p')" ;;
	esac
}

: >"$WORK/rows"
k=0
for s in $run_list; do
	run "$s" $((PORT_BASE + k))
	k=$((k + 1))
done

echo
echo "Collector restarts ($HOW, twice, at 25 % and 55 % of the input)," \
    "$N messages, collector: our syslogd; $(date -u +%Y-%m-%d)," \
    "$(uname -sr), $(nproc 2>/dev/null || echo '?') CPUs"
echo
echo "| sender | messages sent | received unique | lost | duplicates | notes |"
echo "|---|---:|---:|---:|---:|---|"
cat "$WORK/rows"
