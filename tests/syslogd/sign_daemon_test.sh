#! /usr/bin/env atf-sh
# syslog-sign (RFC 5848): the real daemon signs what it writes to files
# ("+": PRI kept) and sends over UDP; syslog-verify checks the results.

. "$(atf_get_srcdir)/common.subr"

SIGNVERIFY="$(atf_get_srcdir)/../../syslog-verify/syslog-verify"

# sign_rule SELECTOR FILE [INSTANCE]: a "+" file rule (file created).
sign_rule()
{
	touch "$2"
	printf '%s\t+%s\n' "$1" "$2" >>"$(_conf_of "${3:-syslogd}")"
}

# send_n N [SOCKET] [PRI]: N different messages "stest[i]: message i".
send_n()
{
	local i=1
	while [ $i -le $1 ]; do
		"$SENDRAW" -u "${2:-$PWD/log}" -s "<${3:-13}>stest[$i]: message $i" ||
		    atf_fail "sendraw failed"
		i=$((i + 1))
	done
}

# verify FILE [ARGS...]: syslog-verify accepts FILE.
verify()
{
	local f=$1
	shift
	"$SIGNVERIFY" "$@" "$f" >verify.out 2>&1 ||
	    atf_fail "syslog-verify $* $f failed: $(_show verify.out "$f")"
	grep -q ' 0 errors$' verify.out || atf_fail "syslog-verify: $(_show verify.out)"
}

# verify_fails FILE ERE [ARGS...]: syslog-verify rejects FILE, saying ERE.
verify_fails()
{
	local f=$1 what=$2
	shift 2
	if "$SIGNVERIFY" "$@" "$f" >verify.out 2>&1; then
		atf_fail "syslog-verify $* accepted $f: $(_show "$f")"
	fi
	grep -q -E -- "$what" verify.out ||
	    atf_fail "syslog-verify did not say '$what': $(_show verify.out)"
}

# spris FILE: the SPRI values of FILE's signature blocks, sorted, unique.
spris()
{
	sed -n 's/.*\[ssign VER="0121" RSID="[0-9]*" SG="[0-3]" SPRI="\([0-9]*\)".*/\1/p' "$1" |
	    sort -n -u | tr '\n' ' '
}

atf_test_case sg0_bsd cleanup
sg0_bsd_head() { atf_set descr "sign_sg=0, BSD output: certificate and signature blocks that verify, key fingerprint as logged"; }
sg0_bsd_body()
{
	echo 'sign_sg=0' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd
	send_n 40
	wait_for_count 'stest.* message [0-9]+$' all.log 40
	# blocks go out as hashes accumulate, not only at exit
	wait_for '\[ssign VER="0121" RSID="[0-9]+" SG="0" SPRI="0" GBC=' all.log
	stop_syslogd
	# the certificate goes before each of the first 3 signature blocks
	assert_count '^<110>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ ]+ syslogd\[[0-9]+\]: \[ssign-cert VER="0121" ' all.log 3
	[ "$(grep -c '\[ssign ' all.log)" -ge 3 ] ||
	    atf_fail "too few signature blocks: $(_show all.log)"
	verify all.log -g
	atf_check -o match:' 4[0-9] messages signed' cat verify.out
	fp=$(sed -n 's/.*syslog-sign: sign_sg=0, RSID [0-9]*, DSA-2048 with SHA-256 (RFC 5848 VER 0121), key \(SHA256:[0-9A-F:]*\)$/\1/p' all.log)
	[ -n "$fp" ] || atf_fail "no key line: $(_show all.log)"
	verify all.log -k "$fp"
	verify_fails all.log 'not the expected one' -k SHA256:00
	# no block message is longer than RFC 5848's 2048 octets
	[ "$(grep '\[ssign' all.log | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 2048 ] ||
	    atf_fail "a block is longer than 2048 octets"
}
sg0_bsd_cleanup() { common_cleanup; }

atf_test_case sg1 cleanup
sg1_head() { atf_set descr "sign_sg=1: one group per PRI, SPRI = PRI, RFC 5424 output verifies"; }
sg1_body()
{
	echo 'sign_sg=1' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd -o rfc5424
	send_n 5 "$PWD/log" $(pri mail.info)
	send_n 5 "$PWD/log" $(pri local0.notice)
	send_n 5 "$PWD/log" $(pri user.err)
	wait_for_count 'stest.* message [0-9]+$' all.log 15
	stop_syslogd
	# syslogd's own messages are syslog.info (46)
	[ "$(spris all.log)" = "11 22 46 133 " ] ||
	    atf_fail "SPRI values: '$(spris all.log)': $(_show all.log)"
	verify all.log -g
}
sg1_cleanup() { common_cleanup; }

atf_test_case sg2 cleanup
sg2_head() { atf_set descr "sign_sg=2: groups bounded by sign_delim_sg2, a last one up to 191; and one per facility by default"; }
sg2_body()
{
	printf 'sign_sg=2\nsign_delim_sg2=15 31\n' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd -o rfc5424
	send_n 3 "$PWD/log" $(pri user.err)
	send_n 3 "$PWD/log" $(pri mail.info)
	send_n 3 "$PWD/log" $(pri local0.notice)
	wait_for_count 'stest.* message [0-9]+$' all.log 9
	stop_syslogd
	# user.err 11 -> 15; mail.info 22 -> 31; syslog.info 46 and 133 -> 191
	[ "$(spris all.log)" = "15 31 191 " ] ||
	    atf_fail "SPRI values: '$(spris all.log)': $(_show all.log)"
	verify all.log -g

	printf 'sign_sg=2\n' >syslog.conf
	sign_rule '*.*' "$PWD/def.log"
	start_syslogd -o rfc5424
	send_n 3 "$PWD/log" $(pri mail.info)
	wait_for_count 'stest.* message [0-9]+$' def.log 3
	stop_syslogd
	[ "$(spris def.log)" = "23 47 " ] ||
	    atf_fail "SPRI values: '$(spris def.log)': $(_show def.log)"
	verify def.log -g
}
sg2_cleanup() { common_cleanup; }

atf_test_case sg3 cleanup
sg3_head() { atf_set descr "sign_sg=3: a group per action; each file verifies on its own"; }
sg3_body()
{
	echo 'sign_sg=3' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	sign_rule 'mail.*' "$PWD/mail.log"
	start_syslogd -o rfc5424
	send_n 30 "$PWD/log" $(pri mail.info)
	send_n 10
	wait_for_count 'stest.* message [0-9]+$' all.log 40
	wait_for_count 'stest.* message [0-9]+$' mail.log 30
	stop_syslogd
	[ "$(spris all.log)" = "0 " ] || atf_fail "all.log: SPRI $(spris all.log)"
	[ "$(spris mail.log)" = "1 " ] || atf_fail "mail.log: SPRI $(spris mail.log)"
	assert_absent 'SPRI="1"' all.log
	verify all.log -g
	verify mail.log -g
}
sg3_cleanup() { common_cleanup; }

atf_test_case tampered cleanup
tampered_head() { atf_set descr "A changed line is not signed; a deleted one is missing; a look-alike certificate block is reported and takes nothing away"; }
tampered_body()
{
	echo 'sign_sg=3' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd -o rfc5424
	send_n 20
	wait_for_count 'stest.* message [0-9]+$' all.log 20
	stop_syslogd
	verify all.log -g

	sed 's/ stest 7 - - message 7$/ stest 7 - - message 8/' all.log >changed.log
	! cmp -s all.log changed.log || atf_fail "sed changed nothing"
	verify_fails changed.log ':[0-9]+: message not signed'

	sed '/ stest 12 - - /d' all.log >deleted.log
	! cmp -s all.log deleted.log || atf_fail "sed deleted nothing"
	verify_fails deleted.log 'message [0-9]+ missing' -g

	# a signature block changed: its signature fails, its hashes are unsigned
	sed '/\[ssign VER/s/FMN="1"/FMN="2"/' all.log >badsb.log
	verify_fails badsb.log 'signature block: bad signature'

	# a look-alike certificate block put first is the one error reported:
	# the genuine key is still taken, and every message verifies
	verify all.log -g
	signed=$(sed -n 's/.* \([0-9][0-9]*\) messages signed.*/\1/p' verify.out)
	sed -n '/\[ssign-cert /{s/FRAG="2/FRAG="3/;p;q;}' all.log >lookalike.log
	grep -q 'FRAG="3' lookalike.log || atf_fail "no certificate block to copy"
	cat all.log >>lookalike.log
	verify_fails lookalike.log \
	    ":1: certificate block: not signed by the session's key" -g
	atf_check -o match:" $signed messages signed, .* 0 missing, 1 errors\$" \
	    tail -n 1 verify.out
}
tampered_cleanup() { common_cleanup; }

# verify_eventually FILE [ARGS...]: syslog-verify accepts FILE within 10 s.
verify_eventually()
{
	local f=$1 i=0
	shift
	while ! "$SIGNVERIFY" "$@" "$f" >verify.out 2>&1; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "syslog-verify $*: $(_show verify.out "$f")"
		_tick
	done
}

atf_test_case udp cleanup
udp_head() { atf_set descr "Blocks reach a UDP destination; what another syslogd writes there verifies"; }
udp_body()
{
	sign_rule '*.*' "$PWD/recv.log" recv
	start_syslogd -n recv -b 127.0.0.1:$(port) -o rfc5424
	echo 'sign_sg=3' >sender.conf
	add_rule '*.*' "@127.0.0.1:$(port)" sender
	start_syslogd -n sender -s -o rfc5424
	send_n 40 "$PWD/sender.sock"
	wait_for_count 'stest.* message [0-9]+$' recv.log 40
	stop_syslogd sender
	wait_for 'exiting on signal' recv.log
	# the receiver's own lines are not the sender's to sign
	rpid=$(daemon_pid recv)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -v " syslogd $rpid " recv.log >signed.log
		"$SIGNVERIFY" -g signed.log >/dev/null 2>&1 && break
		sleep 1
	done
	verify signed.log -g
	atf_check -o match:'4[0-9] messages signed' cat verify.out
	assert_alive recv
}
udp_cleanup() { common_cleanup; }

atf_test_case reload cleanup
reload_head() { atf_set descr "SIGHUP starts a new RSID with new counters; both sessions verify"; }
reload_body()
{
	echo 'sign_sg=0' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd -o rfc5424
	send_n 10
	wait_for_count 'stest.* message [0-9]+$' all.log 10
	kill -HUP $(daemon_pid)
	wait_for_count 'syslog-sign: sign_sg=0, RSID' all.log 2
	send_n 10
	wait_for_count 'stest.* message [0-9]+$' all.log 20
	stop_syslogd
	n=$(sed -n 's/.*\[ssign VER="0121" RSID="\([0-9]*\)".*/\1/p' all.log | sort -u | wc -l)
	[ "$n" -eq 2 ] || atf_fail "$n RSIDs, expected 2: $(_show all.log)"
	# one key for the process: the same fingerprint twice
	n=$(sed -n 's/.*, key \(SHA256:[0-9A-F:]*\)$/\1/p' all.log | sort -u | wc -l)
	[ "$n" -eq 1 ] || atf_fail "$n keys, expected 1"
	assert_count 'FMN="1" ' all.log 2
	verify all.log -g
}
reload_cleanup() { common_cleanup; }

atf_test_case idle cleanup
idle_head() { atf_set descr "Pending hashes are signed by a timer; with none pending, no block is sent"; }
idle_body()
{
	echo 'sign_sg=0' >syslog.conf
	sign_rule '*.*' "$PWD/all.log"
	start_syslogd -o rfc5424
	# the start-up lines are signed by the timer, the daemon running
	wait_for '\[ssign VER' all.log 15
	n=$(wc -l <all.log)
	sleep 7		# more than the delay: nothing is pending, nothing comes
	[ "$(wc -l <all.log)" -eq "$n" ] ||
	    atf_fail "lines written while idle: $(_show all.log)"
	send_n 1
	wait_for_count '\[ssign VER' all.log 2 15
	assert_alive
	verify all.log -g
	stop_syslogd
}
idle_cleanup() { common_cleanup; }

atf_test_case bad_config cleanup
bad_config_head() { atf_set descr "Bad sign_sg and sign_delim_sg2 values are errors naming file:line"; }
bad_config_body()
{
	printf '# signing\nsign_sg=4\nsign_delim_sg2=15 200\n' >bad.conf
	atf_check -s not-exit:0 -e match:"bad.conf:2: .*sign_sg" \
	    -e match:"bad.conf:3: .*sign_delim_sg2" "$SYSLOGD" -N -f bad.conf
}
bad_config_cleanup() { common_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case sg0_bsd
	atf_add_test_case sg1
	atf_add_test_case sg2
	atf_add_test_case sg3
	atf_add_test_case tampered
	atf_add_test_case udp
	atf_add_test_case reload
	atf_add_test_case idle
	atf_add_test_case bad_config
}
