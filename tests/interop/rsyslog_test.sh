#! /usr/bin/env atf-sh
# syslogd and rsyslog (its OpenSSL stream driver, "ossl") over TLS, both
# ways, with fingerprint and with name authentication.  rsyslog runs in the
# foreground with a private configuration and work directory: no imuxsock,
# no imklog.  Its plain input for the tests is imptcp on a loopback port,
# fed by logger.  Every case sends 1000 numbered messages and checks that
# they all arrive, intact and in order.

. "$(atf_get_srcdir)/tls.subr"

RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}

require_rsyslog()
{
	local m
	[ -x "$RSYSLOGD" ] || atf_skip "rsyslog is not installed" \
	    "(apt-get install rsyslog rsyslog-openssl)"
	for m in /usr/lib/*/rsyslog/lmnsd_ossl.so /usr/lib/rsyslog/lmnsd_ossl.so \
	    /usr/lib64/rsyslog/lmnsd_ossl.so /usr/local/lib/rsyslog/lmnsd_ossl.so; do
		[ -f "$m" ] && return 0
	done
	atf_skip "rsyslog's OpenSSL driver is not installed" \
	    "(apt-get install rsyslog-openssl)"
}

# rs_conf CA CERT KEY LINES...: rs.conf with the TLS files, a single
# worker (order), everything to rs.log; LINES are the inputs and actions.
# The file comes first: with one worker, a forwarding action that is being
# refused would hold up the actions after it.
rs_conf()
{
	local ca=$1 cert=$2 key=$3
	shift 3
	mkdir -p "$PWD/rs.work"
	cat >"$PWD/rs.conf" <<EOF
global(workDirectory="$PWD/rs.work"
    defaultNetstreamDriver="ossl"
    defaultNetstreamDriverCAFile="$ca"
    defaultNetstreamDriverCertFile="$cert"
    defaultNetstreamDriverKeyFile="$key")
main_queue(queue.workerThreads="1")
*.* action(type="omfile" file="$PWD/rs.log"
    template="RSYSLOG_TraditionalFileFormat")
EOF
	printf '%s\n' "$@" >>"$PWD/rs.conf"
	touch "$PWD/rs.log"
}

# rs_start PORT...: starts rsyslogd; waits for its pid file and until it
# listens on each PORT.
rs_start()
{
	local i=0 p
	atf_check -s exit:0 -o ignore -e ignore \
	    "$RSYSLOGD" -N1 -f "$PWD/rs.conf"
	tls_bg rs "$RSYSLOGD" -n -f "$PWD/rs.conf" -i "$PWD/rs.pid"
	while ! [ -s "$PWD/rs.pid" ]; do
		kill -0 "$(tls_pid rs)" 2>/dev/null ||
		    atf_fail "rsyslogd exited: $(tls_lines rs.err)"
		i=$((i + 1))
		[ $i -le 150 ] || atf_fail "rsyslogd not ready: $(tls_lines rs.err)"
		_tls_tick
	done
	for p in "$@"; do
		tls_wait_listen "$p"
	done
}

# feed_rsyslog PORT N: N numbered messages (tag seqtag) to rsyslog's
# imptcp input on PORT, over one connection.
feed_rsyslog()
{
	tls_numbered_lines "$2" |
	    logger --rfc3164 -T -n 127.0.0.1 -P "$1" -t seqtag ||
	    atf_fail "logger -T to port $1 failed"
}

# ---- syslogd sends, rsyslog receives ------------------------------------

atf_test_case to_rsyslog_fingerprint cleanup
to_rsyslog_fingerprint_head()
{
	atf_set descr "syslogd -> rsyslog imtcp over TLS, x509/fingerprint (rsyslog pins our SHA-1, we pin its SHA-256)"
	atf_set require.progs openssl logger seq
}
to_rsyslog_fingerprint_body()
{
	require_rsyslog
	pki_self rs rs.test "DNS:rs.test"
	pki_self send send.test "DNS:send.test"
	rs_conf "$PWD/send.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\"
	        streamDriver.authMode=\"x509/fingerprint\"
	        permittedPeer=[\"$(pki_fp send.crt sha1)\"])" \
	    "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$(tport 1)\")"
	rs_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(fingerprint=\"$(pki_fp rs.crt)\")"
	tls_start send
	tls_send_numbered send seqtag 1000
	tls_check_numbered rs.log seqtag 1000
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport 1) \(subject \"CN=rs\.test\".*\): fingerprint" send.log
	tls_absent 'not sent|dropped' send.log
}
to_rsyslog_fingerprint_cleanup() { tls_cleanup; }

atf_test_case to_rsyslog_name cleanup
to_rsyslog_name_head()
{
	atf_set descr "syslogd -> rsyslog imtcp over TLS, certificates from a CA: rsyslog checks our name (x509/name), we check its (subject=)"
	atf_set require.progs openssl logger seq
}
to_rsyslog_name_body()
{
	require_rsyslog
	pki_ca ca
	pki_cert ca rs rs.example.test "DNS:rs.example.test"
	pki_cert ca send send.example.test "DNS:send.example.test"
	rs_conf "$PWD/ca/ca.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\"
	        streamDriver.authMode=\"x509/name\"
	        permittedPeer=[\"send.example.test\"])" \
	    "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$(tport 1)\")"
	rs_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(subject=\"rs.example.test\")" \
	    "tls_ca=$PWD/ca/ca.crt"
	tls_start send
	tls_send_numbered send seqtag 1000
	tls_check_numbered rs.log seqtag 1000
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport 1) \(subject \"CN=rs\.example\.test\".*\): name rs\.example\.test matched" send.log
}
to_rsyslog_name_cleanup() { tls_cleanup; }

atf_test_case to_rsyslog_refused cleanup
to_rsyslog_refused_head()
{
	atf_set descr "rsyslog refuses a syslogd whose certificate is not the one it permits: nothing arrives"
	atf_set require.progs openssl logger
}
to_rsyslog_refused_body()
{
	require_rsyslog
	pki_self rs rs.test "DNS:rs.test"
	pki_self send send.test "DNS:send.test"
	pki_self other send.test "DNS:send.test"
	rs_conf "$PWD/other.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\"
	        streamDriver.authMode=\"x509/fingerprint\"
	        permittedPeer=[\"$(pki_fp other.crt sha1)\"])" \
	    "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$(tport 1)\")"
	rs_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(fingerprint=\"$(pki_fp rs.crt)\")"
	tls_start send
	tls_send send rjtag "must not arrive"
	tls_wait_for ' rjtag: must not arrive$' send.log
	# rsyslog closes the connection after the handshake: two closes
	# seen by the sender, one at least after the message was queued.
	tls_wait_count 'retrying in the background' send.log 2
	kill -USR1 "$(tls_pid send)"
	tls_wait_count 'retrying in the background' send.log 3
	tls_absent 'rjtag' rs.log
}
to_rsyslog_refused_cleanup() { tls_cleanup; }

# ---- rsyslog sends, syslogd receives ------------------------------------

atf_test_case from_rsyslog_fingerprint cleanup
from_rsyslog_fingerprint_head()
{
	atf_set descr "rsyslog omfwd -> syslogd over TLS, x509/fingerprint (rsyslog pins our SHA-1, we pin its SHA-256)"
	atf_set require.progs openssl logger seq
}
from_rsyslog_fingerprint_body()
{
	require_rsyslog
	pki_self recv recv.test "DNS:recv.test,IP:127.0.0.1"
	pki_self rs rs.test "DNS:rs.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp rs.crt)"
	tls_start recv
	rs_conf "$PWD/recv.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imptcp\")" \
	    "input(type=\"imptcp\" address=\"127.0.0.1\" port=\"$(tport 2)\")" \
	    "user.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$(tport)\"
	        protocol=\"tcp\" tcp_framing=\"octet-counted\"
	        streamDriver=\"ossl\" streamDriverMode=\"1\"
	        streamDriverAuthMode=\"x509/fingerprint\"
	        streamDriverPermittedPeers=\"$(pki_fp recv.crt sha1)\")"
	rs_start "$(tport 2)"
	feed_rsyslog "$(tport 2)" 1000
	tls_check_numbered recv.log seqtag 1000
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=rs\.test\", $(ere "$(pki_fp rs.crt)")\): fingerprint" recv.log
	tls_absent 'truncated|framing error' recv.log
}
from_rsyslog_fingerprint_cleanup() { tls_cleanup; }

atf_test_case from_rsyslog_name cleanup
from_rsyslog_name_head()
{
	atf_set descr "rsyslog omfwd -> syslogd over TLS, certificates from a CA: rsyslog checks our name (x509/name), we check its (tls_allow_subjects)"
	atf_set require.progs openssl logger seq
}
from_rsyslog_name_body()
{
	require_rsyslog
	pki_ca ca
	pki_cert ca recv recv.example.test "DNS:recv.example.test"
	pki_cert ca rs rs.example.test "DNS:rs.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt" \
	    "tls_allow_subjects=rs.example.test"
	tls_start recv
	rs_conf "$PWD/ca/ca.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imptcp\")" \
	    "input(type=\"imptcp\" address=\"127.0.0.1\" port=\"$(tport 2)\")" \
	    "user.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$(tport)\"
	        protocol=\"tcp\" tcp_framing=\"octet-counted\"
	        streamDriver=\"ossl\" streamDriverMode=\"1\"
	        streamDriverAuthMode=\"x509/name\"
	        streamDriverPermittedPeers=\"recv.example.test\")"
	rs_start "$(tport 2)"
	feed_rsyslog "$(tport 2)" 1000
	tls_check_numbered recv.log seqtag 1000
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=rs\.example\.test\", .*\): subject pattern rs\.example\.test matched" recv.log
}
from_rsyslog_name_cleanup() { tls_cleanup; }

atf_test_case from_rsyslog_refused cleanup
from_rsyslog_refused_head()
{
	atf_set descr "syslogd refuses rsyslog when its certificate is not the one pinned: nothing arrives, the refusal is logged"
	atf_set require.progs openssl logger
}
from_rsyslog_refused_body()
{
	require_rsyslog
	pki_self recv recv.test "DNS:recv.test,IP:127.0.0.1"
	pki_self rs rs.test "DNS:rs.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(decoy_fp)"
	tls_start recv
	rs_conf "$PWD/recv.crt" "$PWD/rs.crt" "$PWD/rs.key" \
	    "module(load=\"imptcp\")" \
	    "input(type=\"imptcp\" address=\"127.0.0.1\" port=\"$(tport 2)\")" \
	    "user.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"$(tport)\"
	        protocol=\"tcp\" tcp_framing=\"octet-counted\"
	        streamDriver=\"ossl\" streamDriverMode=\"1\"
	        streamDriverAuthMode=\"x509/fingerprint\"
	        streamDriverPermittedPeers=\"$(pki_fp recv.crt sha1)\")"
	rs_start "$(tport 2)"
	printf 'must not arrive\n' |
	    logger --rfc3164 -T -n 127.0.0.1 -P "$(tport 2)" -t rjtag
	tls_wait_for "rejected incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=rs\.test\", $(ere "$(pki_fp rs.crt)")\): self[- ]signed certificate" recv.log
	# rsyslog received it and tried to send it.
	tls_wait_for ' rjtag: must not arrive$' rs.log
	tls_absent 'rjtag' recv.log
}
from_rsyslog_refused_cleanup() { tls_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case to_rsyslog_fingerprint
	atf_add_test_case to_rsyslog_name
	atf_add_test_case to_rsyslog_refused
	atf_add_test_case from_rsyslog_fingerprint
	atf_add_test_case from_rsyslog_name
	atf_add_test_case from_rsyslog_refused
}
