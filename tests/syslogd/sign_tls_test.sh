#! /usr/bin/env atf-sh
# syslog-sign over TLS: a "send" syslogd signs what it forwards to a
# "recv" syslogd's TLS listener; what recv writes verifies.

. "$(atf_get_srcdir)/../interop/tls.subr"

SIGNVERIFY="$(atf_get_srcdir)/../../syslog-verify/syslog-verify"

atf_test_case tls_destination cleanup
tls_destination_head()
{
	atf_set descr "sign_sg=3: blocks reach a TLS destination, before and after a reload, and what the receiver writes (RFC 5424, PRI kept) verifies, without gaps"
	atf_set require.progs openssl logger
}
tls_destination_body()
{
	local rpid i=0
	pki_self recv "recv.test" "DNS:recv.test"
	pki_self send "send.test" "DNS:send.test"
	tls_conf recv tls_server=yes tls_bindhost=127.0.0.1 \
	    "tls_bindport=$(tport)" "tls_key=$PWD/recv.key" \
	    "tls_cert=$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp send.crt)"
	touch signed.log
	tls_rule recv '*.*' "+$PWD/signed.log"
	tls_conf send sign_sg=3 "tls_key=$PWD/send.key" "tls_cert=$PWD/send.crt"
	tls_rule send 'user.*' \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	tls_rule send '*.*' "$PWD/send.log"
	tls_start recv -o syslog
	tls_start send -o syslog
	tls_wait_for 'accepted outgoing TLS connection to ' send.log
	tls_send_numbered send numtag 30
	tls_wait_count ' numtag .* seq 30 ' signed.log 1
	# a reload: the old session's last block goes out before the new
	# destination takes the connection over
	kill -HUP $(tls_pid send)
	tls_wait_count 'syslog-sign: sign_sg=3, RSID' send.log 2
	tls_send_numbered send newtag 10
	tls_wait_count ' newtag .* seq 10 ' signed.log 1
	tls_stop send
	# recv's own lines are not the sender's to sign
	rpid=$(tls_pid recv)
	while :; do
		grep -v " syslogd $rpid " signed.log >only.log
		"$SIGNVERIFY" -g only.log >verify.out 2>&1 && break
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "syslog-verify: $(tls_lines verify.out)"
		_tls_tick
	done
	grep -q -E ' 4[0-9] messages signed' verify.out ||
	    atf_fail "syslog-verify: $(tls_lines verify.out)"
	[ "$(sed -n 's/.*\[ssign-cert VER="0121" RSID="\([0-9]*\)" SG="3" SPRI="0" .*/\1/p' only.log | sort -u | wc -l)" -eq 2 ] ||
	    atf_fail "not two sessions' certificate blocks: $(tls_lines only.log)"
	tls_alive recv
}
tls_destination_cleanup() { tls_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case tls_destination
}
