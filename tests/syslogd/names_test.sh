#! /usr/bin/env atf-sh
# Names of UDP senders: looked up off the event loop, a sender's messages
# kept in order while its first lookup runs, and its address when there
# is no usable name.  The names come from fakenames.so (LD_PRELOAD), or
# from the hosts file for 127.0.0.1: no name server is ever asked.

. "$(atf_get_srcdir)/common.subr"

SYSLOGD_NAMES=yes
FAKENAMES="$(atf_get_srcdir)/fakenames.so"

# fake_names [DELAY_MS]: from here on, getnameinfo() is fakenames.so's
# (see fakenames.c for the names it gives).
fake_names()
{
	ldd "$SYSLOGD" >/dev/null 2>&1 ||
	    atf_skip "syslogd is linked statically: LD_PRELOAD cannot reach it"
	[ -f "$FAKENAMES" ] || atf_fail "$FAKENAMES is not built"
	LD_PRELOAD="$FAKENAMES"
	FAKENAMES_DELAY_MS=${1:-0}
	# Under SANITIZE=1 the sanitizers' runtime is no longer loaded first.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export LD_PRELOAD FAKENAMES_DELAY_MS ASAN_OPTIONS
}

# from N TEXT: a BSD message without HOSTNAME, "<14>t: TEXT", over UDP
# from 127.0.0.N.
from()
{
	"$SENDRAW" -4 $(port) -S 127.0.0.$1 -s "<14>t: $2"
	case $? in
	0) ;;
	3) atf_skip "cannot send from 127.0.0.$1" ;;
	*) atf_fail "sendraw from 127.0.0.$1 failed" ;;
	esac
}

# start_udp [ARGS...]: *.* to "all", UDP on 127.0.0.1:$(port).
start_udp()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port) "$@"
}

atf_test_case named cleanup
named_head() { atf_set descr "A UDP sender without HOSTNAME is recorded by its name, whole in RFC 5424 output"; }
named_body()
{
	fake_names
	start_udp -o syslog -b "[::1]:$(port 1)"
	from 5 five
	wait_for ' t - - - five$' all
	atf_check -o match:' host5\.example\.test t - - - five$' cat all
	if have_ipv6; then
		"$SENDRAW" -6 $(port 1) -s '<14>t: six' ||
		    atf_fail "sendraw to [::1] failed"
		wait_for ' t - - - six$' all
		atf_check -o match:' host6\.example\.test t - - - six$' cat all
	fi
}
named_cleanup() { common_cleanup; }

atf_test_case named_bsd cleanup
named_bsd_head() { atf_set descr "BSD output shows the name up to its first dot"; }
named_bsd_body()
{
	fake_names
	start_udp
	from 5 five
	wait_for ' t: five$' all
	atf_check -o match:' host5 t: five$' cat all
}
named_bsd_cleanup() { common_cleanup; }

atf_test_case numeric cleanup
numeric_head() { atf_set descr "-n records UDP senders by address and looks nothing up"; }
numeric_body()
{
	fake_names
	start_udp -n
	from 5 five
	wait_for ' t: five$' all
	atf_check -o match:' 127\.0\.0\.5 t: five$' cat all
	kill -USR2 "$(daemon_pid)"
	wait_for ' input: [0-9]+ received' all
	assert_absent 'sender names' all
}
numeric_cleanup() { common_cleanup; }

atf_test_case hosts_file cleanup
hosts_file_head() { atf_set descr "Names come from the system's configuration: 127.0.0.1 as the hosts file names it"; }
hosts_file_body()
{
	local name
	name=$(awk '$1 == "127.0.0.1" { print $2; exit }' /etc/hosts 2>/dev/null)
	[ -n "$name" ] || atf_skip "/etc/hosts does not name 127.0.0.1"
	start_udp -o syslog
	from 1 one
	wait_for ' t - - - one$' all
	atf_check -o match:" $name t - - - one\$" cat all
}
hosts_file_cleanup() { common_cleanup; }

atf_test_case wait_in_order cleanup
wait_in_order_head() { atf_set descr "While a sender's first lookup runs its messages wait, in order, and other inputs go on"; }
wait_in_order_body()
{
	fake_names 700
	start_udp
	for i in 1 2 3 4 5; do from 7 $i; done
	send_local user.info local after
	expect_msgs all 'local:after|t:1|t:2|t:3|t:4|t:5'
	assert_count ' host7 t: [1-5]$' all 5
}
wait_in_order_cleanup() { common_cleanup; }

atf_test_case room_full cleanup
room_full_head() { atf_set descr "When 1 MiB already waits for a name, what waits goes out first, then the rest, in order"; }
room_full_body()
{
	local i pad
	fake_names 3000
	start_udp
	pad=$(head -c 60000 /dev/zero | tr '\0' x)
	for i in 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29; do
		printf '<14>t: %s %s' $i "$pad" >big
		"$SENDRAW" -4 $(port) -S 127.0.0.5 -f big ||
		    atf_fail "sendraw from 127.0.0.5 failed"
	done
	wait_for_count ' t: [0-9]+ x' all 20
	[ "$(sed -n 's/.* t: \([0-9]*\) x.*/\1/p' all | paste -s -d ' ' -)" = \
	    "10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29" ] ||
	    atf_fail "out of order: $(sed -n 's/.* t: \([0-9]*\) x.*/\1/p' all | paste -s -d ' ' -)"
	assert_count ' 127\.0\.0\.5 t: [0-9]+ x' all 20
}
room_full_cleanup() { common_cleanup; }

atf_test_case late_answer cleanup
late_answer_head() { atf_set descr "An answer later than 2 s: the waiting messages go out with the address, later ones with the name"; }
late_answer_body()
{
	fake_names 3000
	start_udp -d
	from 8 early
	wait_for ' t: early$' all
	atf_check -o match:' 127\.0\.0\.8 t: early$' cat all
	assert_has 'sender 127.0.0.8: no name after 2 s' syslogd.err
	wait_for 'sender 127\.0\.0\.8: named host8\.example\.test' syslogd.err
	from 8 later
	wait_for ' t: later$' all
	atf_check -o match:' host8 t: later$' cat all
}
late_answer_cleanup() { common_cleanup; }

atf_test_case unusable_names cleanup
unusable_names_head() { atf_set descr "No name, or an answer that is not a host name: the address"; }
unusable_names_body()
{
	fake_names
	start_udp -o syslog
	from 66 bad
	from 99 none
	wait_for ' t - - - bad$' all
	wait_for ' t - - - none$' all
	atf_check -o match:' 127\.0\.0\.66 t - - - bad$' \
	    -o match:' 127\.0\.0\.99 t - - - none$' cat all
	assert_absent 'bad name' all
}
unusable_names_cleanup() { common_cleanup; }

atf_test_case host_block cleanup
host_block_head() { atf_set descr "A +host block matches a UDP sender by its name"; }
host_block_body()
{
	fake_names
	printf '+host5.example.test\n' >syslog.conf
	add_rule '*.*' "$PWD/h5"
	printf '+*\n' >>syslog.conf
	start_udp
	from 6 six
	from 5 five
	wait_for ' t: six$' all
	wait_for ' t: five$' all
	expect_msgs h5 't:five'
}
host_block_cleanup() { common_cleanup; }

atf_test_case exit_while_waiting cleanup
exit_while_waiting_head() { atf_set descr "At exit what waits for a name is written, with the address, without waiting for the lookup"; }
exit_while_waiting_body()
{
	fake_names 8000
	start_udp
	from 9 pending
	kill -USR2 "$(daemon_pid)"
	wait_for ' sender names: 1 lookups, 0 names found' all
	assert_absent ' t: pending$' all
	stop_syslogd
	[ "$STOP_STATUS" -eq 0 ] || atf_fail "exit status $STOP_STATUS"
	atf_check -o match:' 127\.0\.0\.9 t: pending$' cat all
}
exit_while_waiting_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case named
	atf_add_test_case named_bsd
	atf_add_test_case numeric
	atf_add_test_case hosts_file
	atf_add_test_case wait_in_order
	atf_add_test_case room_full
	atf_add_test_case late_answer
	atf_add_test_case unusable_names
	atf_add_test_case host_block
	atf_add_test_case exit_while_waiting
}
