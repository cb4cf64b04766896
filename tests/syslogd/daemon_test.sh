#! /usr/bin/env atf-sh
# The real daemon: inputs, output formats, routing, actions, signals.

. "$(atf_get_srcdir)/common.subr"

atf_test_case unix_socket cleanup
unix_socket_head() { atf_set descr "Messages from the unix socket (logger -u and exact bytes) reach a file"; }
unix_socket_body()
{
	require_logger
	add_rule '*.*' "$PWD/all"
	start_syslogd -s
	wait_for ' syslogd\[[0-9]+\]: restart$' all
	logger -u "$PWD/log" -t ltag "hello from logger"
	logger -u "$PWD/log" --id=4242 -t ltag "with a pid"
	send_local user.notice rtag "exact bytes"
	wait_for '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ rtag: exact bytes$' all
	expect_msgs all 'ltag:hello from logger|ltag:with a pid|rtag:exact bytes'
	atf_check -o match:' ltag\[4242\]: with a pid$' cat all
}
unix_socket_cleanup() { common_cleanup; }

atf_test_case udp_rfc3164 cleanup
udp_rfc3164_head() { atf_set descr "RFC 3164 messages over UDP (logger --rfc3164 and exact bytes)"; }
udp_rfc3164_body()
{
	require_logger
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port)
	logger -d -n 127.0.0.1 -P $(port) --rfc3164 -t utag "bsd over udp"
	"$SENDRAW" -4 $(port) -s '<13>Jan  2 03:04:05 farhost ftag[77]: with a host'
	wait_for ' utag: bsd over udp$' all
	wait_for '^Jan  2 03:04:05 farhost ftag\[77\]: with a host$' all
}
udp_rfc3164_cleanup() { common_cleanup; }

atf_test_case udp_rfc5424 cleanup
udp_rfc5424_head() { atf_set descr "RFC 5424 messages over UDP; BSD output converts the time zone offset"; }
udp_rfc5424_body()
{
	require_logger
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port)
	logger -d -n 127.0.0.1 -P $(port) --rfc5424 -t vtag "new format"
	"$SENDRAW" -4 $(port) -s '<13>1 2024-01-02T03:04:05.123+02:00 hosta app 123 ID1 - hello 5424'
	wait_for ' vtag(\[[0-9]+\])?: .*new format$' all
	wait_for '^Jan  2 01:04:05 hosta app\[123\]: hello 5424$' all
}
udp_rfc5424_cleanup() { common_cleanup; }

atf_test_case udp_ipv6 cleanup
udp_ipv6_head() { atf_set descr "-b [::1]:port receives over IPv6"; }
udp_ipv6_body()
{
	have_ipv6 || atf_skip "no IPv6 loopback"
	add_rule '*.*' "$PWD/all"
	start_syslogd -b "[::1]:$(port)"
	"$SENDRAW" -6 $(port) -s '<13>v6tag: over ipv6'
	wait_for ' v6tag: over ipv6$' all
}
udp_ipv6_cleanup() { common_cleanup; }

atf_test_case output_rfc5424 cleanup
output_rfc5424_head() { atf_set descr "-o rfc5424 writes RFC 5424 lines (no PRI) with all fields kept"; }
output_rfc5424_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port) -o rfc5424
	send_local user.info otag "local message"
	"$SENDRAW" -4 $(port) -s '<13>1 2024-01-02T03:04:05.123Z hosta app 123 ID1 [x@1 a="b"] hello sd'
	local ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})'
	wait_for "^$ts [^ ]+ otag - - - local message\$" all
	wait_for "^$ts hosta app 123 ID1 \\[x@1 a=\"b\"\\] hello sd\$" all
	wait_for "^$ts [^ ]+ syslogd [0-9]+ - - restart\$" all
	assert_count '^<' all 0
	assert_count "^$ts " all 3
}
output_rfc5424_cleanup() { common_cleanup; }

atf_test_case output_rfc3164 cleanup
output_rfc3164_head() { atf_set descr "-o rfc3164 is accepted and writes BSD lines; -o bogus is a usage error naming the valid formats"; }
output_rfc3164_body()
{
	add_rule '*.*' "$PWD/all"
	atf_check -s exit:1 -o empty -e match:'-o bogus: .*bsd, rfc3164, syslog or rfc5424' \
	    "$SYSLOGD" -F -K -s -o bogus -f "$PWD/syslog.conf" -p "$PWD/log" -i "$PWD/syslogd.pid"
	[ ! -e log ] && [ ! -e syslogd.pid ] || atf_fail "started with -o bogus"
	start_syslogd -s -o rfc3164
	send_local user.info btag "bsd line"
	wait_for '^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ btag: bsd line$' all
}
output_rfc3164_cleanup() { common_cleanup; }

atf_test_case verbose_tags cleanup
verbose_tags_head() { atf_set descr "-v and -vv put <fac.sev> before file lines, not before lines that keep their RFC 5424 PRI"; }
verbose_tags_body()
{
	add_rule '*.*' "$PWD/all"
	add_rule '*.*' "+$PWD/withpri"
	touch withpri
	local m='<14>1 2024-01-02T03:04:05Z hostb app - - - text'
	start_syslogd -b 127.0.0.1:$(port) -o rfc5424 -v
	"$SENDRAW" -4 $(port) -s "$m"
	wait_for '^<1\.6> 2024-01-02T03:04:05Z hostb app - - - text$' all
	wait_for '^<14>1 2024-01-02T03:04:05Z hostb app - - - text$' withpri
	assert_count '<1\.6>' withpri 0
	stop_syslogd
	: >all
	start_syslogd -b 127.0.0.1:$(port) -vv
	"$SENDRAW" -4 $(port) -s "$m"
	wait_for '^<user\.info> Jan  2 03:04:05 hostb app: text$' all
}
verbose_tags_cleanup() { common_cleanup; }

atf_test_case selectors cleanup
selectors_head() { atf_set descr "Facility lists, *, none, =level and ! route each message to the right files"; }
selectors_body()
{
	add_rule 'mail.info' "$PWD/mail"
	add_rule '*.err' "$PWD/errors"
	add_rule 'auth,authpriv.*' "$PWD/auth"
	add_rule '*.info;mail.none' "$PWD/messages"
	add_rule '*.=debug' "$PWD/debug"
	add_rule 'local0.!=info' "$PWD/notinfo"
	start_syslogd -s
	send_local mail.info t m1
	send_local mail.debug t m2
	send_local mail.err t m3
	send_local user.err t u1
	send_local auth.notice t a1
	send_local authpriv.debug t a2
	send_local user.debug t u2
	send_local local0.info t l1
	send_local local0.notice t l2
	send_local local0.debug t l3
	expect_msgs mail 't:m1|t:m3'
	expect_msgs errors 't:m3|t:u1'
	expect_msgs auth 't:a1|t:a2'
	expect_msgs messages 't:u1|t:a1|t:l1|t:l2'
	expect_msgs debug 't:m2|t:a2|t:u2|t:l3'
	expect_msgs notinfo 't:l2|t:l3'
}
selectors_cleanup() { common_cleanup; }

atf_test_case program_blocks cleanup
program_blocks_head() { atf_set descr "!prog, !-prog, !* and !a,b program blocks"; }
program_blocks_body()
{
	add_rule 'user.*' "$PWD/all"
	echo '!prog1' >>syslog.conf
	add_rule 'user.*' "$PWD/p1"
	echo '!-prog1' >>syslog.conf
	add_rule 'user.*' "$PWD/notp1"
	echo '!prog2,prog3' >>syslog.conf
	add_rule 'user.*' "$PWD/p23"
	echo '!*' >>syslog.conf
	add_rule 'user.*' "$PWD/after"
	start_syslogd -s
	local n=0 p
	for p in prog1 prog2 prog3 other prog1; do
		n=$((n + 1))
		send_local user.info $p "m$n"
	done
	# No program name: shown as "-", only !- blocks match it.
	"$SENDRAW" -u "$PWD/log" -s '<14>no program here'
	expect_msgs all 'prog1:m1|prog2:m2|prog3:m3|other:m4|prog1:m5|-:no program here'
	expect_msgs after 'prog1:m1|prog2:m2|prog3:m3|other:m4|prog1:m5|-:no program here'
	expect_msgs p1 'prog1:m1|prog1:m5'
	expect_msgs notp1 'prog2:m2|prog3:m3|other:m4|-:no program here'
	expect_msgs p23 'prog2:m2|prog3:m3'
}
program_blocks_cleanup() { common_cleanup; }

atf_test_case host_blocks cleanup
host_blocks_head() { atf_set descr "+host, -host, +a,b, +@ and +* host blocks use the message's HOSTNAME"; }
host_blocks_body()
{
	add_rule '*.*' "$PWD/all"
	echo '+hosta' >>syslog.conf
	add_rule 'user.*' "$PWD/fa"
	echo '-hosta' >>syslog.conf
	add_rule 'user.*' "$PWD/nota"
	echo '+hostb,hostc' >>syslog.conf
	add_rule 'user.*' "$PWD/fbc"
	echo '+@' >>syslog.conf
	add_rule 'user.*' "$PWD/local"
	echo '+*' >>syslog.conf
	add_rule 'user.*' "$PWD/allh"
	start_syslogd -b 127.0.0.1:$(port)
	for h in hosta hostb hostc hostd; do
		"$SENDRAW" -4 $(port) -s "<14>1 2024-01-02T03:04:05Z $h app - - - from-$h"
		wait_for " app: from-$h\$" all
	done
	send_local user.info app from-local
	expect_msgs allh 'app:from-hosta|app:from-hostb|app:from-hostc|app:from-hostd|app:from-local'
	expect_msgs fa 'app:from-hosta'
	expect_msgs nota 'app:from-hostb|app:from-hostc|app:from-hostd|app:from-local'
	expect_msgs fbc 'app:from-hostb|app:from-hostc'
	expect_msgs local 'app:from-local'
	atf_check -o match:'^Jan  2 03:04:05 hostb app: from-hostb$' cat fbc
}
host_blocks_cleanup() { common_cleanup; }

atf_test_case pipe_action cleanup
pipe_action_head() { atf_set descr "A |command action receives the formatted lines"; }
pipe_action_body()
{
	add_rule 'local3.*' "|cat >>$PWD/piped"
	start_syslogd -s
	send_local local3.info ptag "first piped"
	send_local local3.info ptag "second piped"
	send_local local4.info ptag "not for the pipe"
	wait_for ' ptag: second piped$' piped
	expect_msgs piped 'ptag:first piped|ptag:second piped'
}
pipe_action_cleanup() { common_cleanup; }

atf_test_case pipe_restart cleanup
pipe_restart_head() { atf_set descr "A command that exits is reported and started again for the next message"; }
pipe_restart_body()
{
	add_rule '*.*' "$PWD/all"
	add_rule 'local3.*' "|head -n 1 >>$PWD/piped; exit 3"
	start_syslogd -s
	send_local local3.info ptag "first"
	wait_for ' ptag: first$' piped
	# Once the command is reaped, no write can be lost in a dying pipe.
	wait_for ' syslogd\[[0-9]+\]: .*exited with status 3' all
	send_local local3.info ptag "second"
	wait_for ' ptag: second$' piped
	expect_msgs piped 'ptag:first|ptag:second'
}
pipe_restart_cleanup() { common_cleanup; }

atf_test_case pipe_unread cleanup
pipe_unread_head() { atf_set descr "Lines a command left unread in its pipe when it exited go to the next command, in order"; }
pipe_unread_body()
{
	add_rule '*.*' "$PWD/all"
	# Reads one line a second after it starts; the others wait in the pipe.
	add_rule 'local3.*' "|sleep 1; read l; echo \"\$l\" >>$PWD/piped; exit 3"
	start_syslogd -s
	for i in 1 2 3 4; do send_local local3.info ptag "line $i"; done
	wait_for_count ' ptag: line [0-9]$' piped 4 20
	expect_msgs piped 'ptag:line 1|ptag:line 2|ptag:line 3|ptag:line 4'
	kill -USR2 "$(daemon_pid)"
	wait_for '\|sleep 1; read .* 4 received, 4 written, 0 queued, 0 spooled, [1-9][0-9]* resent, 0 dropped' all
}
pipe_unread_cleanup() { common_cleanup; }

atf_test_case pipe_cut_line cleanup
pipe_cut_line_head() { atf_set descr "A line a command read only in part before it exited is dropped and counted, not sent again in part; the lines after it are"; }
pipe_cut_line_body()
{
	add_rule '*.*' "$PWD/all"
	add_rule 'local3.*' "|[ -e $PWD/once ] && exec cat >>$PWD/piped; touch $PWD/once; sleep 1; dd bs=5 count=1 of=/dev/null 2>/dev/null; exit 3"
	start_syslogd -s
	for i in 1 2 3; do send_local local3.info ptag "line $i"; done
	wait_for_count ' ptag: line [0-9]$' piped 2 20
	expect_msgs piped 'ptag:line 2|ptag:line 3'
	kill -USR2 "$(daemon_pid)"
	wait_for "\\|\\[ -e .* 3 received, 2 written, 0 queued, 0 spooled, 2 resent, 1 dropped, 0 truncated; dropped: cut by the command's exit\$" all
	wait_for "1 message to \\|\\[ -e .* dropped: cut by the command's exit\$" all
}
pipe_cut_line_cleanup() { common_cleanup; }

atf_test_case repeat_compression cleanup
repeat_compression_head() { atf_set descr "Identical messages are folded into 'last message repeated N times'"; }
repeat_compression_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -s
	for i in 1 2 3 4 5; do send_local user.info rep same; done
	send_local user.info other same
	send_local user.info rep different
	expect_msgs all 'rep:same|syslogd:last message repeated 4 times|other:same|rep:different'
}
repeat_compression_cleanup() { common_cleanup; }

atf_test_case repeat_identity cleanup
repeat_identity_head() { atf_set descr "Only the same host, program, pid and text are folded"; }
repeat_identity_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port)
	for m in 'rep[1]: same' 'rep[2]: same' 'rep[2]: same' 'rep: same' 'sync: unix'; do
		"$SENDRAW" -u "$PWD/log" -s "<14>$m"
	done
	wait_for ' sync: unix$' all
	for h in h1 h2 h2; do
		"$SENDRAW" -4 $(port) -s "<14>Jan  2 03:04:05 $h rep: same"
	done
	"$SENDRAW" -4 $(port) -s '<14>Jan  2 03:04:05 h3 sync: udp'
	expect_msgs all 'rep:same|rep:same|syslogd:last message repeated 1 time|rep:same|sync:unix|rep:same|rep:same|syslogd:last message repeated 1 time|sync:udp'
	atf_check -o match:' rep\[1\]: same$' -o match:' rep\[2\]: same$' \
	    -o match:' h1 rep: same$' -o match:' h2 rep: same$' cat all
}
repeat_identity_cleanup() { common_cleanup; }

atf_test_case repeat_sender_host cleanup
repeat_sender_host_head() { atf_set descr "A UDP message without HOSTNAME is not folded into a local one from another host"; }
repeat_sender_host_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -b 127.0.0.1:$(port)
	"$SENDRAW" -u "$PWD/log" -s '<14>rep: same'
	wait_for ' rep: same$' all
	"$SENDRAW" -4 $(port) -s '<14>rep: same'
	"$SENDRAW" -4 $(port) -s '<14>sync: udp'
	wait_for ' sync: udp$' all
	# The host the daemon gives this sender, from the sync line.
	local hl hu
	hl=$(grep -a ' rep: same$' all | head -n 1 | cut -d' ' -f4)
	hu=$(grep -a ' sync: udp$' all | cut -d' ' -f4)
	[ "$hl" != "$hu" ] || atf_skip "127.0.0.1 is shown as the local host $hl"
	expect_msgs all 'rep:same|rep:same|sync:udp'
	atf_check -o match:" $hu rep: same\$" cat all
}
repeat_sender_host_cleanup() { common_cleanup; }

atf_test_case repeat_off cleanup
repeat_off_head() { atf_set descr "-r writes every copy of repeated messages"; }
repeat_off_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -s -r
	for i in 1 2 3 4 5; do send_local user.info rep same; done
	send_local user.info rep different
	expect_msgs all 'rep:same|rep:same|rep:same|rep:same|rep:same|rep:different'
}
repeat_off_cleanup() { common_cleanup; }

atf_test_case sighup_reload cleanup
sighup_reload_head() { atf_set descr "SIGHUP re-reads the configuration and logs restart"; }
sighup_reload_body()
{
	add_rule '*.*' "$PWD/all"
	touch new
	start_syslogd -s
	send_local local1.info t before-hup
	wait_for ' t: before-hup$' all
	add_rule 'local1.*' "$PWD/new"
	kill -HUP $(daemon_pid)
	wait_for_count ' syslogd\[[0-9]+\]: restart$' all 2
	send_local local1.info t after-hup
	wait_for ' t: after-hup$' new
	expect_msgs new 't:after-hup'
	assert_alive
}
sighup_reload_cleanup() { common_cleanup; }

atf_test_case sighup_reopen cleanup
sighup_reopen_head() { atf_set descr "SIGHUP reopens files, so a rotated file is left alone"; }
sighup_reopen_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -s
	send_local user.info t before-rotation
	wait_for ' t: before-rotation$' all
	mv all all.0
	touch all
	kill -HUP $(daemon_pid)
	wait_for ' syslogd\[[0-9]+\]: restart$' all
	send_local user.info t after-rotation
	wait_for ' t: after-rotation$' all
	assert_absent 'after-rotation' all.0
	assert_absent 'before-rotation' all
}
sighup_reopen_cleanup() { common_cleanup; }

atf_test_case sighup_broken cleanup
sighup_broken_head() { atf_set descr "SIGHUP with a broken file logs file:line errors and keeps the old rules"; }
sighup_broken_body()
{
	add_rule '*.*' "$PWD/all"
	add_rule 'local2.*' "$PWD/old"
	start_syslogd -s
	wait_for ' syslogd\[[0-9]+\]: restart$' all
	touch new
	cat >syslog.conf <<EOF
*.*	$PWD/all
local2.*	$PWD/new
nosuch_keyword = 1
local2.nosuchlevel	$PWD/new
bogusfacility.*	$PWD/new
EOF
	kill -HUP $(daemon_pid)
	wait_for "syslogd\\[[0-9]+\\]: $PWD/syslog.conf:3: .*nosuch_keyword" all
	wait_for "syslogd\\[[0-9]+\\]: $PWD/syslog.conf:4: .*nosuchlevel" all
	wait_for "syslogd\\[[0-9]+\\]: $PWD/syslog.conf:5: .*bogusfacility" all
	send_local local2.info t still-old
	wait_for ' t: still-old$' old
	wait_for ' t: still-old$' all
	assert_count ' syslogd\[[0-9]+\]: restart$' all 1
	assert_absent 'still-old' new
	assert_alive
}
sighup_broken_cleanup() { common_cleanup; }

atf_test_case sigterm cleanup
sigterm_head() { atf_set descr "SIGTERM: 'exiting on signal 15', exit 0, socket and pid file removed"; }
sigterm_body()
{
	add_rule '*.*' "$PWD/all"
	start_syslogd -s
	wait_for ' syslogd\[[0-9]+\]: restart$' all
	stop_syslogd
	atf_check_equal 0 $STOP_STATUS
	atf_check -o match:' syslogd\[[0-9]+\]: exiting on signal 15$' tail -n 1 all
	[ ! -e log ] || atf_fail "socket $PWD/log left behind"
	[ ! -e syslogd.pid ] || atf_fail "pid file left behind"
	atf_check -o empty cat syslogd.err
}
sigterm_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case unix_socket
	atf_add_test_case udp_rfc3164
	atf_add_test_case udp_rfc5424
	atf_add_test_case udp_ipv6
	atf_add_test_case output_rfc5424
	atf_add_test_case output_rfc3164
	atf_add_test_case verbose_tags
	atf_add_test_case selectors
	atf_add_test_case program_blocks
	atf_add_test_case host_blocks
	atf_add_test_case pipe_action
	atf_add_test_case pipe_restart
	atf_add_test_case pipe_unread
	atf_add_test_case pipe_cut_line
	atf_add_test_case repeat_compression
	atf_add_test_case repeat_identity
	atf_add_test_case repeat_sender_host
	atf_add_test_case repeat_off
	atf_add_test_case sighup_reload
	atf_add_test_case sighup_reopen
	atf_add_test_case sighup_broken
	atf_add_test_case sigterm
}
