#! /usr/bin/env atf-sh
# UDP forwarding from one syslogd ("sender": unix socket in) to another
# ("recv": UDP in on loopback), both started by the test.

. "$(atf_get_srcdir)/common.subr"

# start_pair DESTINATION [SENDER ARGS...]: recv listens on 127.0.0.1 (and
# ::1 when IPv6 works) on $(port); sender forwards everything to
# DESTINATION; recv writes recv.log (all) and l5.log (local5.notice).
start_pair()
{
	local dest=$1
	shift
	add_rule '*.*' "$PWD/recv.log" recv
	add_rule 'local5.notice' "$PWD/l5.log" recv
	if have_ipv6; then
		start_syslogd -n recv -b 127.0.0.1:$(port) -b "[::1]:$(port)"
	else
		start_syslogd -n recv -b 127.0.0.1:$(port)
	fi
	add_rule '*.*' "$dest" sender
	add_rule '*.*' "$PWD/sender.log" sender
	start_syslogd -n sender -s "$@"
}

# to_sender FACILITY.LEVEL TAG TEXT
to_sender() { send_local "$1" "$2" "$3" "$PWD/sender.sock"; }

atf_test_case udp_forward cleanup
udp_forward_head() { atf_set descr "A message forwarded over UDP arrives with its tag, pid, text and priority"; }
udp_forward_body()
{
	start_pair "@127.0.0.1:$(port)"
	"$SENDRAW" -u "$PWD/sender.sock" -s "<$(pri local5.notice)>ftag[321]: forwarded text"
	to_sender user.info other "not for l5"
	wait_for ' ftag\[321\]: forwarded text$' recv.log
	wait_for ' other: not for l5$' recv.log
	# the sender's own start-up message travelled too
	wait_for " syslogd\\[$(daemon_pid sender)\\]: restart\$" recv.log
	expect_msgs l5.log 'ftag:forwarded text'
	atf_check -o match:' ftag\[321\]: forwarded text$' cat sender.log
	assert_alive sender
	assert_alive recv
}
udp_forward_cleanup() { common_cleanup; }

atf_test_case forward_rfc5424 cleanup
forward_rfc5424_head() { atf_set descr "Forwarding with -o rfc5424: the receiver parses the message, tag and fields kept"; }
forward_rfc5424_body()
{
	start_pair "@127.0.0.1:$(port)" -o rfc5424
	"$SENDRAW" -u "$PWD/sender.sock" -s "<$(pri local5.notice)>ftag[321]: new format"
	"$SENDRAW" -u "$PWD/sender.sock" \
	    -s '<13>1 2024-01-02T03:04:05.123Z hosta app 123 ID1 [x@1 a="b"] with sd'
	wait_for ' ftag\[321\]: new format$' recv.log
	expect_msgs l5.log 'ftag:new format'
	# The version, time stamp and fields were parsed, not left in the text.
	assert_absent ': 1 [0-9]{4}-' recv.log
	wait_for ' hosta app\[123\]: (\[x@1 a="b"\] )?with sd$' recv.log
	assert_alive recv
}
forward_rfc5424_cleanup() { common_cleanup; }

atf_test_case forward_verbose cleanup
forward_verbose_head() { atf_set descr "-v on the sender: forwarded messages carry no <fac.sev> tag"; }
forward_verbose_body()
{
	start_pair "@127.0.0.1:$(port)" -o rfc5424 -v
	to_sender local5.notice vtag "no verbose tag"
	wait_for '<21\.5> .* vtag - - - no verbose tag$' sender.log
	wait_for '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ <]+ vtag: no verbose tag$' recv.log
	expect_msgs l5.log 'vtag:no verbose tag'
}
forward_verbose_cleanup() { common_cleanup; }

atf_test_case forward_rfc5424_relay cleanup
forward_rfc5424_relay_head() { atf_set descr "RFC 5424 in, -o rfc5424 out on both: HOSTNAME, PROCID, MSGID and SD survive the relay"; }
forward_rfc5424_relay_body()
{
	add_rule '*.*' "$PWD/recv.log" recv
	start_syslogd -n recv -b 127.0.0.1:$(port) -o rfc5424
	add_rule '*.*' "@127.0.0.1:$(port)" sender
	start_syslogd -n sender -s -o rfc5424
	"$SENDRAW" -u "$PWD/sender.sock" \
	    -s '<13>1 2024-01-02T03:04:05.123Z hosta app 123 ID1 [x@1 a="b"] with sd'
	wait_for '^2024-01-02T03:04:05\.123(Z|\+00:00) hosta app 123 ID1 \[x@1 a="b"\] with sd$' recv.log
}
forward_rfc5424_relay_cleanup() { common_cleanup; }

atf_test_case forward_by_name cleanup
forward_by_name_head() { atf_set descr "@localhost:port is resolved (without blocking the loop) and delivers"; }
forward_by_name_body()
{
	start_pair "@localhost:$(port)"
	# Local delivery works at once, whatever the resolver is doing.
	to_sender user.info ntag "local first"
	wait_for ' ntag: local first$' sender.log 5
	# UDP does not queue: messages sent before the name is resolved may
	# be lost, so send one every 0.1 s until one arrives (10 s at most).
	local i=0
	while ! grep -q ' ntag: by name' recv.log; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "nothing forwarded to localhost:" \
			    "$(_show recv.log sender.err)"
		to_sender user.info ntag "by name $i"
		_tick
	done
	# Once resolved, every message is delivered.
	to_sender user.info ntag "after resolution"
	wait_for ' ntag: after resolution$' recv.log
	assert_alive sender
}
forward_by_name_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case udp_forward
	atf_add_test_case forward_rfc5424
	atf_add_test_case forward_verbose
	atf_add_test_case forward_rfc5424_relay
	atf_add_test_case forward_by_name
}
