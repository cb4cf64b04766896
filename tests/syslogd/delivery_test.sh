#! /usr/bin/env atf-sh
# Delivery that loses nothing: a "send" syslogd forwards numbered messages
# over TLS (RFC 5425) to a "recv" syslogd (the collector) on loopback, and
# the collector is restarted, killed or down for a while; the sender is
# restarted with messages still queued; its memory backlog overflows into
# the spool; a disk fills up.  Each case counts what arrived.
#
# SYSLOGD may name another syslogd binary, e.g.
#	SYSLOGD=/tmp/sd/syslogd/syslogd kyua test -k Kyuafile delivery_test

# common.subr sets SYSLOGD to the built daemon: keep the caller's choice.
_dl_syslogd=${SYSLOGD:-}
. "$(atf_get_srcdir)/common.subr"
[ -z "$_dl_syslogd" ] || SYSLOGD=$_dl_syslogd

TAG=dlv
# The collector's port, below the usual ephemeral ranges (Linux: from
# 32768): a sender that connects again and again to a port nobody
# listens on may otherwise connect to itself, or take the port first.
cport() { echo $((10000 + ($$ % 2270) * 10 + 9)); }
dest_ere() { echo "@\\[127\\.0\\.0\\.1\\]:$(cport)"; }

# ---- configuration --------------------------------------------------------

# collector_conf [OPTION-LINES...]: recv.conf, a TLS listener on
# 127.0.0.1:$(cport) that takes any client (tls_verify=off) and writes
# user.* to recv.log, its own messages to recv-own.log.  Its key and
# certificate are generated (syslogd -I); RECV_FP is their fingerprint.
collector_conf()
{
	local l
	: >recv.conf
	for l in tls_server=yes tls_bindhost=127.0.0.1 \
	    "tls_bindport=$(cport)" "tls_key=$PWD/recv.key" \
	    "tls_cert=$PWD/recv.crt" tls_gen_cert=yes tls_verify=off "$@"; do
		printf '%s\n' "$l" >>recv.conf
	done
	add_rule 'user.*' "$PWD/recv.log" recv
	add_rule 'syslog.*' "$PWD/recv-own.log" recv
	"$SYSLOGD" -I -f "$PWD/recv.conf" >recv.id 2>&1 ||
	    atf_fail "syslogd -I -f recv.conf failed: $(_show recv.id)"
	RECV_FP=$(sed -n 's/^fingerprint: *\(SHA256:.*\)$/\1/p' recv.id)
	[ -n "$RECV_FP" ] || atf_fail "no SHA256 fingerprint: $(_show recv.id)"
}

# sender_conf [OPTION-LINES...]: send.conf, user.* to the collector
# (pinned by fingerprint), its own messages to send-own.log.
sender_conf()
{
	local l
	: >send.conf
	for l in "tls_key=$PWD/send.key" "tls_cert=$PWD/send.crt" \
	    tls_gen_cert=yes "$@"; do
		printf '%s\n' "$l" >>send.conf
	done
	add_rule 'user.*' "@[127.0.0.1]:$(cport)(fingerprint=\"$RECV_FP\")" send
	add_rule 'syslog.*' "$PWD/send-own.log" send
}

# ---- daemons ----------------------------------------------------------------

# wait_listen PORT: until something listens on 127.0.0.1:PORT (10 s).
wait_listen()
{
	local hex i=0
	[ -r /proc/net/tcp ] || { sleep 0.3; return 0; }
	hex=$(printf '0100007F:%04X' "$1")
	while ! grep -q " $hex 00000000:0000 0A " /proc/net/tcp; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "nothing listens on port $1"
		_tick
	done
}

# start_recv, start_send: the collector (once it listens), the sender.
# -r: no repeat compression; -s: no UDP.
start_recv()
{
	start_syslogd -n recv -r -s
	wait_listen "$(cport)"
}
start_send() { start_syslogd -n send -r -s; }

# kill_syslogd NAME: SIGKILL, as a crash.
kill_syslogd()
{
	local pid
	pid=$(daemon_pid "$1")
	kill -KILL "$pid"
	wait "$pid"
	rm -f "$PWD/$1.bgpid" "$PWD/$1.pid"
}

# ---- messages -----------------------------------------------------------

# send_seq FIRST LAST [TAG]: messages "TAG: seq FIRST" .. "seq LAST" to the
# sender's socket (blocking datagrams: none is lost on the way in).
send_seq()
{
	seq "$1" "$2" | sed 's/^/seq /' |
	    logger -u "$PWD/send.sock" -t "${3:-$TAG}" ||
	    atf_fail "logger to send.sock failed"
}

# numbers FILE [TAG]: the numbers of TAG's messages, in file order.
numbers()
{
	sed -n "s/^.* ${2:-$TAG}: seq \\([0-9][0-9]*\\)\$/\\1/p" "$1"
}

# wait_all FILE N IDLE [TAG]: until the numbers 1..N have all arrived in
# FILE, or none more for IDLE seconds (then returns 1).
wait_all()
{
	local last=-1 idle=0 n
	while :; do
		n=$(grep -a -c " ${4:-$TAG}: seq " "$1")
		if [ "$n" -ge "$2" ]; then
			n=$(numbers "$1" "$4" | sort -n -u | wc -l)
			[ "$n" -ge "$2" ] && return 0
		fi
		if [ "$n" = "$last" ]; then
			idle=$((idle + 1))
		else
			idle=0
			last=$n
		fi
		[ $idle -lt $(($3 * 2)) ] || return 1
		sleep 0.5
	done
}

# tally FILE N [TAG]: RECEIVED, UNIQUE, LOST, DUPS of the numbers 1..N in
# FILE; the lost ones in lost.txt, the duplicated ones in dups.txt.
tally()
{
	numbers "$1" "$3" >got.txt
	seq 1 "$2" | sort >want.lex
	sort got.txt >got.lex
	sort -u got.lex >uniq.lex
	comm -23 want.lex uniq.lex | sort -n >lost.txt
	uniq -d got.lex | sort -n >dups.txt
	RECEIVED=$(wc -l <got.txt)
	UNIQUE=$(comm -12 want.lex uniq.lex | wc -l)
	LOST=$(wc -l <lost.txt)
	DUPS=$((RECEIVED - UNIQUE))
	RECEIVED=$((RECEIVED + 0))
	LOST=$((LOST + 0))
	UNIQUE=$((UNIQUE + 0))
}

# ranges FILE: its numbers (sorted) as "a-b c ...", 20 ranges at most.
ranges()
{
	awk 'NR == 1 { s = p = $1; next }
	    $1 == p + 1 { p = $1; next }
	    { out = out (s == p ? s : s "-" p) " "; s = p = $1; if (++n >= 20) exit }
	    END { if (NR > 0) out = out (s == p ? s : s "-" p); print out }' "$1"
}

# report LABEL N: prints the figures of tally.
report()
{
	echo "$1: $2 sent, $RECEIVED received, $UNIQUE unique," \
	    "$LOST lost, $DUPS duplicates"
	[ "$LOST" -eq 0 ] || echo "lost: $(ranges lost.txt)"
	[ "$DUPS" -eq 0 ] || echo "duplicated: $(ranges dups.txt)"
}

# assert_in_order FILE N [TAG]: FILE has exactly the numbers 1..N, once
# each, in increasing order.
assert_in_order()
{
	local bad
	numbers "$1" "$3" >got.txt
	bad=$(awk -v n="$2" '!bad && $1 != NR { bad = NR ": " $1 }
	    END { if (bad == "" && NR != n) bad = "end, " NR; print bad }' \
	    got.txt)
	[ -z "$bad" ] || atf_fail "${3:-$TAG} messages in $1 are not" \
	    "exactly 1..$2 in order: first difference at line $bad;" \
	    "$(wc -l <got.txt) received"
}

# counters: SIGUSR2 to the sender and the figures of its line for the TLS
# destination: C_RECEIVED, C_WRITTEN, C_QUEUED, C_SPOOLED, C_RESENT,
# C_DROPPED (0 when the line lacks one); the whole line in C_LINE.
counters()
{
	local re n
	re="$(dest_ere) \\(line [0-9]+\\): [0-9]+ received,"
	n=$(grep -a -E -c -- "$re" send-own.log)
	kill -USR2 "$(daemon_pid send)"
	wait_for_count "$re" send-own.log $((n + 1))
	C_LINE=$(grep -a -E -- "$re" send-own.log | tail -n 1)
	C_RECEIVED=$(_counter received)
	C_WRITTEN=$(_counter written)
	C_QUEUED=$(_counter queued)
	C_SPOOLED=$(_counter spooled)
	C_RESENT=$(_counter resent)
	C_DROPPED=$(_counter dropped)
}
_counter()
{
	local v
	v=$(printf '%s\n' "$C_LINE" |
	    sed -n -E "s/^.*[:,] ([0-9]+) $1(,.*)?\$/\1/p")
	echo "${v:-0}"
}

# wait_received N: until the sender has received N messages for the
# destination (all in its backlog or beyond).
wait_received()
{
	local i=0
	while :; do
		counters
		[ "$C_RECEIVED" -ge "$1" ] && return 0
		i=$((i + 1))
		[ $i -le 50 ] || atf_fail "the sender received $C_RECEIVED" \
		    "messages for the destination, expected $1: $C_LINE"
		sleep 0.2
	done
}

# spool_files: the files in spool/ (for the cases with spool_dir).
spool_files() { ls spool 2>/dev/null | tr '\n' ' '; }

# ---- collector restarts during a stream ------------------------------------

# restart_scenario HOW: 200,000 messages as fast as logger sends them;
# the collector is stopped with HOW (term or kill) and started again when
# logger has sent a quarter of them, and again at 55 %.  After a restart,
# SIGUSR1 makes the sender reconnect at once.  The stream waits at a mark
# only while the test is not ready for it (the collector still being
# restarted), so that a stop always comes while messages flow: the
# collector's file is no clock for that, a backlog goes over at up to a
# million messages a second.
N_STREAM=200000
restart_scenario()
{
	local lpid n i m1=$((N_STREAM / 4)) m2=$((N_STREAM * 55 / 100))
	collector_conf
	sender_conf
	start_recv
	start_send
	wait_for "accepted outgoing TLS connection to $(dest_ere)" send-own.log
	touch ready.$m1
	( seq 1 $N_STREAM | awk -v a=$m1 -v b=$m2 '{ print "seq " $1 }
	    $1 == a || $1 == b { fflush(); system("touch sent." $1 "; " \
		"while ! [ -e ready." $1 " ]; do sleep 0.01; done") }' |
	    logger -u "$PWD/send.sock" -t $TAG; echo $? >logger.rc ) &
	lpid=$!
	for i in $m1 $m2; do
		n=0
		while ! [ -e sent.$i ]; do
			n=$((n + 1))
			[ $n -le 3000 ] || atf_fail "logger did not send $i" \
			    "messages in 60 s"
			sleep 0.02
		done
		case "$1" in
		term)	stop_syslogd recv ;;
		kill)	kill_syslogd recv ;;
		esac
		n=$(wc -l <recv.log)
		kill -0 $lpid 2>/dev/null || atf_fail "the stream had ended" \
		    "when the collector was stopped ($n lines)"
		echo "collector stopped ($1) after $i sent, with $n lines"
		start_recv
		# Now, not in a second: the stream goes on meanwhile.
		kill -USR1 "$(daemon_pid send)"
		touch ready.$m2
	done
	wait $lpid
	[ "$(cat logger.rc)" = 0 ] || atf_fail "logger failed"
	wait_all recv.log $N_STREAM 30 ||
	    echo "(no more messages arrived for 30 s)"
	tally recv.log $N_STREAM
	report "collector $1" $N_STREAM
	counters
	echo "sender: $C_LINE"
	[ "$C_RECEIVED" -eq $N_STREAM ] || atf_fail "the sender received" \
	    "$C_RECEIVED of the $N_STREAM messages: $C_LINE"
	[ "$DUPS" -eq 0 ] || [ "$C_RESENT" -gt 0 ] ||
	    atf_fail "$DUPS duplicates at the collector but the sender" \
	    "counts none resent: $C_LINE"
	[ "$LOST" -eq 0 ] || atf_fail "$LOST of $N_STREAM messages lost" \
	    "($DUPS duplicates): $(ranges lost.txt)"
	assert_alive send
	assert_alive recv
}

atf_test_case collector_restart cleanup
collector_restart_head()
{
	atf_set descr "200,000 messages, the collector stopped (SIGTERM) and restarted twice during the stream: every message arrives at least once"
	atf_set require.progs logger seq
	atf_set timeout 300
}
collector_restart_body()
{
	require_logger
	restart_scenario term
}
collector_restart_cleanup() { common_cleanup; }

atf_test_case collector_kill cleanup
collector_kill_head()
{
	atf_set descr "200,000 messages, the collector killed (SIGKILL) and restarted twice during the stream: every message arrives at least once"
	atf_set require.progs logger seq
	atf_set timeout 300
}
collector_kill_body()
{
	require_logger
	restart_scenario kill
}
collector_kill_cleanup() { common_cleanup; }

# ---- an idle connection ----------------------------------------------------

atf_test_case peer_close_noticed cleanup
peer_close_noticed_head()
{
	atf_set descr "An idle connection whose collector stops (close_notify and FIN) or is killed is noticed at once, not at the next message, and the sender reconnects when the collector is back"
	atf_set require.progs logger
	atf_set timeout 120
}
peer_close_noticed_body()
{
	local how n
	require_logger
	collector_conf
	sender_conf
	start_recv
	start_send
	n=1
	for how in term kill; do
		wait_for_count "accepted outgoing TLS connection to $(dest_ere)" \
		    send-own.log $n
		case $how in
		term)	stop_syslogd recv ;;
		kill)	kill_syslogd recv ;;
		esac
		# Nothing is logged meanwhile: only the close can tell.
		wait_for_count "$(dest_ere): connection closed by the peer"\
"( without close_notify)?;" send-own.log $n 5
		start_recv
		n=$((n + 1))
		# The back-off's first retry (1 s) finds it, without SIGUSR1.
		wait_for_count "accepted outgoing TLS connection to" \
		    send-own.log $n 10
	done
	send_seq 1 3
	wait_for_count " $TAG: seq " recv.log 3
	assert_alive send
}
peer_close_noticed_cleanup() { common_cleanup; }

atf_test_case down_dest_no_delay cleanup
down_dest_no_delay_head()
{
	atf_set descr "Two TLS destinations that do not work, one stalled in its handshake and one refused, delay neither each other nor a file: 2,000 messages reach the file at once and wait in both queues"
	atf_set require.progs logger seq
	atf_set timeout 120
}
down_dest_no_delay_body()
{
	local refused=$(($(cport) + 1)) line
	require_logger
	collector_conf
	sender_conf
	add_rule 'user.*' "@[127.0.0.1]:$refused(fingerprint=\"$RECV_FP\")" send
	add_rule 'user.*' "$PWD/local.log" send
	# A stopped collector: its kernel accepts, the handshake never ends.
	start_recv
	kill -STOP "$(daemon_pid recv)"
	start_send
	wait_for "@\\[127\\.0\\.0\\.1\\]:$refused: .*retrying in the background" \
	    send-own.log
	send_seq 1 2000
	wait_for_count " $TAG: seq " local.log 2000 10
	assert_in_order local.log 2000
	kill -USR2 "$(daemon_pid send)"
	for p in "$(cport)" "$refused"; do
		line="@\\[127\\.0\\.0\\.1\\]:$p \\(line [0-9]+\\): 2000 received, 0 written, 2000 queued"
		wait_for "$line" send-own.log
	done
	assert_alive send
}
down_dest_no_delay_cleanup()
{
	kill -CONT "$(cat recv.bgpid 2>/dev/null)" 2>/dev/null
	common_cleanup
}

# ---- a long outage ------------------------------------------------------------

atf_test_case collector_down_60s cleanup
collector_down_60s_head()
{
	atf_set descr "The collector is down for 60 s while 50,000 messages are logged; when it is back (found by the sender's back-off alone) all arrive, once each, in order"
	atf_set require.progs logger seq
	atf_set timeout 300
}
collector_down_60s_body()
{
	local t0
	require_logger
	collector_conf
	sender_conf
	start_recv
	start_send
	wait_for "accepted outgoing TLS connection to $(dest_ere)" send-own.log
	send_seq 1 10 pre
	wait_for_count " pre: seq " recv.log 10
	stop_syslogd recv
	t0=$(date +%s)
	wait_for "$(dest_ere): .*retrying in the background" send-own.log
	send_seq 1 50000
	wait_received 50010
	[ "$C_QUEUED" -ge 50000 ] || atf_fail "the sender has only" \
	    "$C_QUEUED messages queued while the collector is down: $C_LINE"
	assert_absent " $TAG: seq " recv.log
	t0=$((60 - ($(date +%s) - t0)))
	[ $t0 -le 0 ] || sleep $t0
	start_recv
	# No SIGUSR1: the sender's back-off (at most 60 s) finds it.
	wait_all recv.log 50000 90 || true
	tally recv.log 50000
	report "collector down 60 s" 50000
	assert_in_order recv.log 50000
	counters
	echo "sender: $C_LINE"
	[ "$C_QUEUED" -eq 0 ] && [ "$C_DROPPED" -eq 0 ] ||
	    atf_fail "sender: $C_LINE"
	assert_alive send
}
collector_down_60s_cleanup() { common_cleanup; }

# ---- the spool ------------------------------------------------------------------

# logged_while_down N [sender options]: the collector configured but not
# started, a sender with those options, and messages 1..N logged and
# counted as received by the sender.
logged_while_down()
{
	local n=$1
	shift
	collector_conf
	sender_conf "$@"
	start_send
	wait_for "$(dest_ere): .*retrying in the background" send-own.log
	send_seq 1 "$n"
	wait_received "$n"
}

atf_test_case sender_restart_spool cleanup
sender_restart_spool_head()
{
	atf_set descr "10,000 messages queued for a collector that is down survive a restart of the sender (spool_dir) and arrive in order, before what was logged after the restart"
	atf_set require.progs logger seq
	atf_set timeout 300
}
sender_restart_spool_body()
{
	require_logger
	mkdir spool
	logged_while_down 10000 "spool_dir=$PWD/spool" spool_size=64M
	[ "$C_QUEUED" -eq 10000 ] || atf_fail "sender: $C_LINE"
	stop_syslogd send
	echo "after the sender's exit: spool/: $(spool_files)"
	[ -n "$(spool_files)" ] || atf_fail "the sender exited with 10000" \
	    "messages queued and left no file in spool_dir:" \
	    "$(_show send-own.log)"
	start_send
	send_seq 1 100 post
	wait_received 100
	start_recv
	kill -USR1 "$(daemon_pid send)"
	wait_all recv.log 100 20 post || true
	wait_all recv.log 10000 20 || true
	tally recv.log 10000
	report "spooled across a sender restart" 10000
	assert_in_order recv.log 10000
	assert_in_order recv.log 100 post
	# The spooled ones first: the last of them precedes the first "post".
	last=$(grep -a -n " $TAG: seq 10000\$" recv.log | cut -d: -f1)
	first=$(grep -a -n " post: seq 1\$" recv.log | cut -d: -f1)
	[ "$last" -lt "$first" ] || atf_fail "the spooled messages did not" \
	    "arrive before those logged after the restart (seq 10000 at" \
	    "line $last, post 1 at line $first)"
	assert_alive send
}
sender_restart_spool_cleanup() { common_cleanup; }

atf_test_case spool_overflow cleanup
spool_overflow_head()
{
	atf_set descr "With a 64 KiB memory backlog and spool_dir, 50,000 messages logged while the collector is down all arrive in order when it is back"
	atf_set require.progs logger seq
	atf_set timeout 300
}
spool_overflow_body()
{
	require_logger
	mkdir spool
	logged_while_down 50000 tls_queue_size=64k "spool_dir=$PWD/spool" \
	    spool_size=64M
	echo "sender: $C_LINE"
	echo "spool/: $(spool_files)"
	ls -l spool
	[ -n "$(spool_files)" ] && [ "$C_SPOOLED" -gt 0 ] ||
	    atf_fail "50000 messages for a 64 KiB backlog and nothing" \
	    "spooled: $C_LINE"
	start_recv
	kill -USR1 "$(daemon_pid send)"
	wait_all recv.log 50000 20 || true
	tally recv.log 50000
	report "spool overflow" 50000
	assert_in_order recv.log 50000
	counters
	echo "sender: $C_LINE"
	[ "$C_DROPPED" -eq 0 ] || atf_fail "sender: $C_LINE"
	assert_alive send
}
spool_overflow_cleanup() { common_cleanup; }

atf_test_case spool_full cleanup
spool_full_head()
{
	atf_set descr "With a 64 KiB backlog and a 256 KiB spool_size, 20,000 messages for a collector that is down: what does not fit is dropped, counted and reported as \"spool full\"; the rest arrives in order"
	atf_set require.progs logger seq
	atf_set timeout 300
}
spool_full_body()
{
	local first
	require_logger
	mkdir spool
	logged_while_down 20000 tls_queue_size=64k "spool_dir=$PWD/spool" \
	    spool_size=256k
	echo "sender: $C_LINE"
	[ "$C_DROPPED" -gt 0 ] && [ "$C_SPOOLED" -gt 0 ] ||
	    atf_fail "expected spooled and dropped messages: $C_LINE"
	case $C_LINE in
	*"; dropped: spool full") ;;
	*) atf_fail "the drops are not counted as spool full: $C_LINE" ;;
	esac
	wait_for "[0-9]+ messages? to $(dest_ere) dropped: spool full\$" \
	    send-own.log
	wait_for "$(dest_ere): spool file .*: full \\(spool_size\\)" \
	    send-own.log
	start_recv
	kill -USR1 "$(daemon_pid send)"
	wait_all recv.log $((20000 - C_DROPPED)) 20 || true
	tally recv.log 20000
	report "spool full" 20000
	# What arrived is a prefix of the stream: the spool keeps the oldest.
	[ "$UNIQUE" -eq $((20000 - C_DROPPED)) ] || atf_fail "$UNIQUE" \
	    "arrived, $C_DROPPED dropped of 20000"
	assert_in_order recv.log "$UNIQUE"
	assert_alive send
}
spool_full_cleanup() { common_cleanup; }

atf_test_case reload_changed_dest cleanup
reload_changed_dest_head()
{
	atf_set descr "A reload that changes a down destination's options keeps its queue and its spool file: 20,000 messages queued before the reload all arrive, in order"
	atf_set require.progs logger seq sed
	atf_set timeout 300
}
reload_changed_dest_body()
{
	local fp2
	require_logger
	mkdir spool
	logged_while_down 20000 tls_queue_size=64k "spool_dir=$PWD/spool" \
	    spool_size=64M
	[ "$C_SPOOLED" -gt 0 ] || atf_fail "nothing spooled: $C_LINE"
	# A second pinned fingerprint: the same destination, new options.
	fp2="SHA256:$(printf '%064d' 0 | sed 's/../&:/g; s/:$//')"
	sed "s|fingerprint=\"$RECV_FP\"|&,fingerprint=\"$fp2\"|" send.conf \
	    >send.conf.new && mv send.conf.new send.conf
	grep -q "$fp2" send.conf || atf_fail "send.conf unchanged"
	kill -HUP "$(daemon_pid send)"
	wait_for_count ' syslogd\[[0-9]+\]: restart$' send-own.log 2
	start_recv
	kill -USR1 "$(daemon_pid send)"
	wait_all recv.log 20000 20 || true
	tally recv.log 20000
	report "reload with changed options" 20000
	assert_in_order recv.log 20000
	assert_absent 'damaged' send-own.log
	assert_alive send
}
reload_changed_dest_cleanup() { common_cleanup; }

# ---- files on a full disk ----------------------------------------------------

atf_test_case disk_full cleanup
disk_full_head()
{
	atf_set descr "A file action on a full file system keeps its lines and writes them once there is room; the error is logged once; the daemon lives on"
	atf_set require.user root
	atf_set require.progs logger seq dd
	atf_set timeout 120
}
disk_full_body()
{
	local err
	require_logger
	mkdir full
	if ! err=$(mount -t tmpfs -o size=256k tmpfs "$PWD/full" 2>&1); then
		atf_skip "cannot mount a tmpfs here: ${err:-mount failed}"
	fi
	touch mounted
	add_rule 'user.*' "$PWD/full/out.log"
	add_rule 'syslog.*' "$PWD/own.log"
	start_syslogd -r -s
	# Fill it up: out.log is still empty, its first line needs a page.
	dd if=/dev/zero of=full/filler bs=4096 >dd.out 2>&1
	grep -q 'No space left' dd.out || atf_fail "dd did not fill the" \
	    "tmpfs: $(_show dd.out)"
	seq 1 200 | sed 's/^/seq /' | logger -u "$PWD/log" -t $TAG ||
	    atf_fail "logger failed"
	wait_for 'No space left on device' own.log
	# Two retries (every 5 s) fail too.
	sleep 11
	[ ! -s full/out.log ] || atf_fail "out.log got lines on a full disk:" \
	    "$(_show full/out.log)"
	assert_alive
	rm full/filler
	wait_for_count " $TAG: seq " full/out.log 200 15
	seq 201 210 | sed 's/^/seq /' | logger -u "$PWD/log" -t $TAG
	wait_for_count " $TAG: seq " full/out.log 210 10
	numbers full/out.log >got.txt
	atf_check -o file:got.txt seq 1 210
	assert_count 'No space left on device' own.log 1
	assert_alive
	cat own.log
}
disk_full_cleanup()
{
	common_cleanup
	if [ -f mounted ]; then
		umount "$PWD/full" 2>/dev/null || {
			sleep 1
			umount "$PWD/full" 2>/dev/null ||
			    umount -l "$PWD/full"
		}
	fi
	return 0
}

atf_test_case file_too_large cleanup
file_too_large_head()
{
	atf_set descr "A file action past the file size limit (EFBIG): the error is logged once, the lost lines are counted as write errors, the daemon lives on and its other files are written"
	atf_set require.progs logger seq
	atf_set timeout 60
}
file_too_large_body()
{
	require_logger
	add_rule 'user.*' "$PWD/big.log"
	add_rule 'syslog.*' "$PWD/own.log"
	# 8 blocks: 300 lines do not fit.
	( ulimit -f 8 && start_syslogd -r -s ) ||
	    atf_skip "cannot set a file size limit here"
	seq 1 300 | sed 's/^/seq /' | logger -u "$PWD/log" -t $TAG ||
	    atf_fail "logger failed"
	wait_for 'big\.log: write: File too large' own.log
	kill -USR2 "$(daemon_pid)"
	wait_for "big\\.log \\(line 1\\): 300 received, [0-9]+ written, 0 queued, 0 spooled, 0 resent, [1-9][0-9]* dropped, 0 truncated; dropped: write error \\(File too large\\)\$" own.log
	assert_count 'big\.log: write: File too large' own.log 1
	# ulimit counts blocks of 512 (POSIX) or 1024 bytes (bash).
	[ "$(wc -c <big.log)" -le 8192 ] || atf_fail "big.log exceeds the" \
	    "limit: $(wc -c <big.log) bytes"
	assert_alive
}
file_too_large_cleanup() { common_cleanup; }

# ---- what a full backlog drops --------------------------------------------

atf_test_case queue_priority cleanup
queue_priority_head()
{
	atf_set descr "With tls_queue_length=100 and the collector down, 300 messages of mixed severities: the least severe, oldest go first, emerg and err are all kept, and the drops are reported"
	atf_set require.progs logger seq awk
	atf_set timeout 120
}
queue_priority_body()
{
	require_logger
	collector_conf
	sender_conf tls_queue_length=100
	start_send
	wait_for "$(dest_ere): .*retrying in the background" send-own.log
	# i % 30 == 0: emerg (10); 1..4: err (40); 5..14: info (100);
	# 15..29: debug (150).  Facility user (8).
	seq 1 300 | awk '{ r = $1 % 30
	    s = r == 0 ? 0 : r <= 4 ? 3 : r <= 14 ? 6 : 7
	    print s, $1 }' >sent.txt
	awk '{ printf "<%d>seq %d\n", 8 + $1, $2 }' sent.txt |
	    logger --prio-prefix -u "$PWD/send.sock" -t $TAG ||
	    atf_fail "logger failed"
	wait_received 300
	echo "sender: $C_LINE"
	[ "$C_QUEUED" -eq 100 ] && [ "$C_DROPPED" -eq 200 ] ||
	    atf_fail "expected 100 queued, 200 dropped: $C_LINE"
	wait_for "[0-9]+ messages? to $(dest_ere) dropped: queue full\$" \
	    send-own.log
	case $C_LINE in
	*", 200 dropped, 0 truncated; dropped: queue full") ;;
	*) atf_fail "no reason for the drops in the counters: $C_LINE" ;;
	esac
	# Kept: the 100 most severe, the newest of a severity first; they
	# go out in the order they were logged.
	sort -k1,1n -k2,2nr sent.txt | head -n 100 | sort -k2,2n |
	    awk '{ print $2 }' >want.txt
	start_recv
	kill -USR1 "$(daemon_pid send)"
	wait_for_count " $TAG: seq " recv.log 100 20
	sleep 1
	numbers recv.log >got.txt
	atf_check -o file:want.txt cat got.txt
	# Spelled out: every emerg and err arrived, no debug.
	sort got.txt >got.lex
	for s in 0 3; do
		awk -v s=$s '$1 == s { print $2 }' sent.txt | sort >sev.lex
		missing=$(comm -13 got.lex sev.lex | sort -n | tr '\n' ' ')
		[ -z "$missing" ] || atf_fail "severity $s messages missing:" \
		    "$missing"
	done
	awk '$1 == 7 { print $2 }' sent.txt | sort >debug.lex
	[ -z "$(comm -12 got.lex debug.lex)" ] ||
	    atf_fail "debug messages delivered while others were dropped"
	counters
	echo "sender: $C_LINE"
	assert_alive send
}
queue_priority_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case collector_restart
	atf_add_test_case collector_kill
	atf_add_test_case peer_close_noticed
	atf_add_test_case down_dest_no_delay
	atf_add_test_case collector_down_60s
	atf_add_test_case sender_restart_spool
	atf_add_test_case spool_overflow
	atf_add_test_case spool_full
	atf_add_test_case reload_changed_dest
	atf_add_test_case disk_full
	atf_add_test_case file_too_large
	atf_add_test_case queue_priority
}
