#! /usr/bin/env atf-sh
# Hostile senders: huge datagrams, garbage floods, control characters.

. "$(atf_get_srcdir)/common.subr"

# start_all: one daemon, unix socket and UDP on $(port), *.* to "all".
start_all()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port) "$@"
	wait_for ' syslogd\[[0-9]+\]: restart$' all
}

# payload FILE PREFIX SIZE CHAR: PREFIX then CHAR up to SIZE bytes in all.
payload()
{
	{
		printf '%s' "$2"
		head -c $(($3 - ${#2})) /dev/zero | tr '\0' "$4"
	} >"$1"
	[ "$(wc -c <"$1")" -eq "$3" ] || atf_fail "could not build $1"
}

# still_serving TAG: the daemon is alive and logs a normal message (sent
# over unix, then over UDP until one arrives: UDP may drop while busy).
still_serving()
{
	local i=0
	assert_alive
	send_local user.info "$1" "unix still served"
	wait_for " $1: unix still served\$" all 30
	while ! grep -q " $1: udp still served" all; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "UDP no longer served: $(_show all)"
		"$SENDRAW" -4 $(port) -s "<14>$1: udp still served"
		_tick
	done
	assert_alive
}

atf_test_case big_unix cleanup
big_unix_head() { atf_set descr "A 64 KiB (and a 200 KB) unix datagram: logged on one line, the daemon goes on"; }
big_unix_body()
{
	start_all
	payload big '<13>bigu: ' 65536 A
	payload huge '<13>hugeu: ' 200000 C
	atf_check "$SENDRAW" -u "$PWD/log" -f big
	atf_check "$SENDRAW" -u "$PWD/log" -f huge
	still_serving after
	assert_count ' bigu: AAAAAAAAAA+$' all 1
	assert_count ' hugeu: CCCCCCCCCC+$' all 1
}
big_unix_cleanup() { common_cleanup; }

atf_test_case big_udp cleanup
big_udp_head() { atf_set descr "A 65507-byte UDP datagram (the IPv4 maximum): logged, the daemon goes on"; }
big_udp_body()
{
	start_all
	payload big '<13>bigudp: ' 65507 B
	atf_check "$SENDRAW" -4 $(port) -f big
	wait_for ' bigudp: BBBBBBBBBB+$' all
	still_serving after
	assert_count ' bigudp: ' all 1
}
big_udp_cleanup() { common_cleanup; }

atf_test_case flood_udp cleanup
flood_udp_head() { atf_set descr "10,000 random garbage UDP datagrams: the daemon survives and still serves"; }
flood_udp_body()
{
	start_all
	atf_check "$SENDRAW" -4 $(port) -n 5000 -r 100
	atf_check "$SENDRAW" -4 $(port) -n 4000 -r 1400
	atf_check "$SENDRAW" -4 $(port) -n 900 -r 9000
	atf_check "$SENDRAW" -4 $(port) -n 100 -r 65507
	still_serving after
	# One datagram makes one line at most, whatever bytes it holds.
	local n=$(wc -l <all)
	[ $n -le 10010 ] || atf_fail "$n lines from 10,000 datagrams"
}
flood_udp_cleanup() { common_cleanup; }

atf_test_case flood_unix cleanup
flood_unix_head() { atf_set descr "10,000 random garbage unix datagrams: one line each at most, the daemon still serves"; }
flood_unix_body()
{
	start_all
	atf_check "$SENDRAW" -u "$PWD/log" -n 5000 -r 100
	atf_check "$SENDRAW" -u "$PWD/log" -n 4000 -r 1400
	atf_check "$SENDRAW" -u "$PWD/log" -n 900 -r 9000
	atf_check "$SENDRAW" -u "$PWD/log" -n 100 -r 65536
	still_serving after
	# Unix datagrams are not lost: all arrived before "after"; with
	# repeat lines, never more than one line each.
	local n=$(wc -l <all)
	[ $n -le 10010 ] || atf_fail "$n lines from 10,000 datagrams"
	[ $n -ge 100 ] || atf_fail "only $n lines from 10,000 datagrams"
}
flood_unix_cleanup() { common_cleanup; }

atf_test_case control_chars cleanup
control_chars_head() { atf_set descr "NUL, CR/LF, invalid UTF-8 and ANSI escapes: one line per message, escaped"; }
control_chars_body()
{
	start_all -r
	local via
	for via in u n; do
		printf '<13>hnul%s: before\000after\n' $via >m1
		printf '<13>hcrlf%s: one\r\ntwo\nthree\n' $via >m2
		printf '<13>hutf%s: bad \377\376 x \300\200 y \355\240\200 end' $via >m3
		printf '<13>hesc%s: \033[31mred\033[0m \033]0;title\007 \010\177 tab\tkept' $via >m4
		printf '<13>hok%s: gr\303\274\303\237e \346\227\245\346\234\254' $via >m5
		for m in m1 m2 m3 m4 m5; do
			if [ $via = u ]; then
				atf_check "$SENDRAW" -u "$PWD/log" -f $m
			else
				atf_check "$SENDRAW" -4 $(port) -f $m
			fi
		done
		wait_for " hok$via: " all
	done
	for via in u n; do
		for tag in hnul hcrlf hutf hesc hok; do
			assert_count " $tag$via: " all 1
		done
		atf_check -o match:"hcrlf$via: one(\\^M)?\\^Jtwo\\^Jthree\$" cat all
		assert_has "hutf$via: bad \\377\\376 x \\300\\200 y \\355\\240\\200 end" all
		assert_has "hesc$via: ^[[31mred^[[0m ^[]0;title^G ^H^? tab$(printf '\t')kept" all
		assert_has "hnul$via: before" all
		assert_has "hok$via: $(printf 'gr\303\274\303\237e \346\227\245\346\234\254')" all
	done
	# restart + 10 messages, and no raw NUL, CR, ESC, BS, BEL or DEL.
	assert_count '' all 11
	tr -d '\000\007\010\015\033\177' <all >clean
	cmp -s all clean || atf_fail "raw control bytes in the file: $(_show all)"
	# The invalid sequences are escaped byte by byte, none kept raw.
	grep -a "hutf" all | LC_ALL=C grep -q "$(printf '[\200-\377]')" &&
	    atf_fail "raw invalid UTF-8 kept: $(_show all)"
	return 0
}
control_chars_cleanup() { common_cleanup; }

# flood_stopped: stops the daemon, sends 20,000 UDP datagrams (far more
# than its receive buffer holds), lets it go on; still_serving then sends
# until a datagram gets through: it carries the kernel's drop count.
flood_stopped()
{
	[ "$(uname -s)" = Linux ] || atf_skip "only Linux tells how many" \
	    "datagrams a socket dropped (SO_RXQ_OVFL); NetBSD reports" \
	    "overflows without a count, FreeBSD nothing"
	kill -STOP "$(daemon_pid)"
	"$SENDRAW" -4 $(port) -n 20000 -s '<14>flood: while stopped'
	local rc=$?
	kill -CONT "$(daemon_pid)"
	[ $rc -eq 0 ] || atf_fail "sendraw failed"
	still_serving after
}

atf_test_case kernel_drops cleanup
kernel_drops_head() { atf_set descr "UDP datagrams the kernel dropped (receive buffer full) are counted, reported and shown by SIGUSR2"; }
kernel_drops_body()
{
	start_all -B 4096
	flood_stopped
	wait_for " syslogd\\[[0-9]+\\]: [1-9][0-9]* messages lost on input udp 127\\.0\\.0\\.1:$(port): receive buffer full \\(raise it with -B\\)\$" all
	kill -USR2 "$(daemon_pid)"
	wait_for ' input: [0-9]+ received, 0 truncated, [1-9][0-9]* lost in the kernel$' all
	wait_for " input udp 127\\.0\\.0\\.1:$(port): [1-9][0-9]* lost in the kernel\$" all
	# The report and SIGUSR2 agree.
	local said counted
	said=$(sed -n 's/.*: \([0-9]*\) messages lost on input udp.*/\1/p' all)
	counted=$(sed -n 's/.*: \([0-9]*\) lost in the kernel$/\1/p' all | head -1)
	[ "$said" = "$counted" ] || atf_fail "reported $said, counted $counted: $(_show all)"
}
kernel_drops_cleanup() { common_cleanup; }

atf_test_case kernel_drops_quiet cleanup
kernel_drops_quiet_head() { atf_set descr "-X: datagrams the kernel dropped are counted (SIGUSR2) but not reported"; }
kernel_drops_quiet_body()
{
	start_all -B 4096 -X
	flood_stopped
	kill -USR2 "$(daemon_pid)"
	wait_for ' input: [0-9]+ received, 0 truncated, [1-9][0-9]* lost in the kernel$' all
	assert_absent 'messages lost on input' all
}
kernel_drops_quiet_cleanup() { common_cleanup; }

atf_test_case steady_udp cleanup
steady_udp_head() { atf_set descr "a steady UDP flow is read on a timer with nothing lost, and on arrival again once it stops"; }
steady_udp_body()
{
	start_all -d -r -B 4194304
	"$SENDRAW" -4 $(port) -n 30000 -R 30000 -s '<14>steady: flow' ||
	    atf_fail "sendraw failed"
	wait_for_count 'steady: flow$' all 30000 30
	kill -USR2 "$(daemon_pid)"
	wait_for ' input: [0-9]+ received, 0 truncated(, 0 (lost in the kernel|receive buffer overflows.*))?$' all
	# The timer is used only when the buffer holds 20 ms more of the
	# flow than a tick's worth; a small system limit keeps it off.
	local size
	size=$(sed -n 's/.*udp 127\.0\.0\.1:[0-9]*: receive buffer of \([0-9]*\) bytes$/\1/p' syslogd.err)
	[ -n "$size" ] || atf_fail "no receive buffer size: $(_show syslogd.err)"
	if [ "$size" -ge 2097152 ]; then
		wait_for "input udp 127\\.0\\.0\\.1:$(port): reading every [0-9]+ ms\$" syslogd.err
		wait_for "input udp 127\\.0\\.0\\.1:$(port): reading on arrival\$" syslogd.err
	fi
}
steady_udp_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case big_unix
	atf_add_test_case big_udp
	atf_add_test_case flood_udp
	atf_add_test_case flood_unix
	atf_add_test_case control_chars
	atf_add_test_case kernel_drops
	atf_add_test_case kernel_drops_quiet
	atf_add_test_case steady_udp
}
