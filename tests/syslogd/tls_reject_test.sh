#! /usr/bin/env atf-sh
# TLS peers that must be refused, by the sending syslogd (its server's
# certificate) or by the receiving one (its client's certificate).  In
# every case the refusal is logged with its reason, and nothing from the
# refused connection reaches the receiver's log file.

. "$(atf_get_srcdir)/../interop/tls.subr"

# refused WHO ERE: after the pair was started, the connection is refused
# by WHO (send: the server's certificate; recv: the client's) with a
# line matching ERE in WHO.log.  A message queued meanwhile must not reach
# recv.log even after more attempts (SIGUSR1 makes the sender retry now).
refused()
{
	local who=$1 ere=$2 n
	tls_wait_for "$ere" "$who.log"
	tls_send send rjtag "must not arrive"
	tls_wait_for ' rjtag: must not arrive$' send.log
	if [ "$who" = send ]; then
		# One more refusal, after the message was queued.
		n=$(tls_count "$ere" send.log)
		kill -USR1 "$(tls_pid send)"
		tls_wait_count "$ere" send.log $((n + 1))
	else
		# The receiver folds its identical refusal lines into "last
		# message repeated": count the sender's connections that the
		# receiver ended instead; two more, so that at least one
		# began with the message queued.
		n=$(tls_count 'retrying in the background' send.log)
		kill -USR1 "$(tls_pid send)"
		tls_wait_count 'retrying in the background' send.log $((n + 2))
	fi
	tls_alive recv
	tls_alive send
	tls_absent 'rjtag' recv.log
	if [ "$who" = send ]; then
		tls_absent 'accepted outgoing TLS connection' send.log
	else
		tls_absent 'accepted incoming TLS connection' recv.log
	fi
}

# start_both: both instances, without waiting for a connection.
start_both()
{
	tls_start recv
	tls_start send
}

# out_line REASON-ERE: the sender's refusal line.
out_line()
{
	echo "rejected outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport) \(subject \"[^\"]*\", SHA256:[0-9A-F:]+\): $1"
}
in_line()
{
	echo "rejected incoming TLS connection from 127\.0\.0\.1 \(subject \"[^\"]*\", SHA256:[0-9A-F:]+\): $1"
}

# ca_pair RECV-CN RECV-SAN SEND-CN SEND-SAN: a CA "ca" with certificates
# recv and send (extra openssl ca arguments: RECV_CA_ARGS, SEND_CA_ARGS).
ca_pair()
{
	pki_ca ca
	pki_cert ca recv "$1" "$2" ${RECV_CA_ARGS:-}
	pki_cert ca send "$3" "$4" ${SEND_CA_ARGS:-}
}

# ---- the server's certificate, refused by the sender --------------------

atf_test_case fingerprint_server cleanup
fingerprint_server_head()
{
	atf_set descr "A server whose certificate does not have the pinned fingerprint is refused"
	atf_set require.progs openssl logger
}
fingerprint_server_body()
{
	pki_self recv recv.test "DNS:recv.test,IP:127.0.0.1"
	pki_self send send.test "DNS:send.test"
	pki_self other recv.test "DNS:recv.test,IP:127.0.0.1"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" tls_verify=off
	# The fingerprint of another certificate with the same names.
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp other.crt)\")"
	start_both
	refused send "$(out_line 'self[- ]signed certificate')"
	atf_check -o match:"subject \"CN=recv\.test\", $(ere "$(pki_fp recv.crt)")" \
	    grep 'rejected outgoing' send.log
}
fingerprint_server_cleanup() { tls_cleanup; }

atf_test_case wrong_name cleanup
wrong_name_head()
{
	atf_set descr "A valid server certificate for other.example.com is refused where subject=\"localhost\" is wanted"
	atf_set require.progs openssl logger
}
wrong_name_body()
{
	ca_pair other.example.com "DNS:other.example.com" send.example.test \
	    "DNS:send.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(subject=\"localhost\")" "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused send "$(out_line 'name mismatch: wanted .*localhost.*, certificate has DNS:other\.example\.com')"
}
wrong_name_cleanup() { tls_cleanup; }

atf_test_case prefix_name cleanup
prefix_name_head()
{
	atf_set descr "NetBSD's prefix match: a server certificate for localhost.evil is refused for subject=\"localhost\""
	atf_set require.progs openssl logger
}
prefix_name_body()
{
	ca_pair localhost.evil "DNS:localhost.evil" send.example.test \
	    "DNS:send.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(subject=\"localhost\")" "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused send "$(out_line 'name mismatch: .*certificate has DNS:localhost\.evil')"
}
prefix_name_cleanup() { tls_cleanup; }

atf_test_case suffix_name cleanup
suffix_name_head()
{
	atf_set descr "NetBSD's prefix match the other way: a certificate for host.example.com is refused for subject=\"host.example.com.evil\""
	atf_set require.progs openssl logger
}
suffix_name_body()
{
	# CN only, no SAN: the CN is the name then, and must match whole.
	ca_pair host.example.com "" send.example.test "DNS:send.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(subject=\"host.example.com.evil\")" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused send "$(out_line 'name mismatch: wanted .*host\.example\.com\.evil.*, certificate has .*host\.example\.com$')"
}
suffix_name_cleanup() { tls_cleanup; }

atf_test_case expired_server cleanup
expired_server_head()
{
	atf_set descr "An expired server certificate is refused, even with the right name"
	atf_set require.progs openssl logger
}
expired_server_body()
{
	RECV_CA_ARGS="-startdate 20200101000000Z -enddate 20200201000000Z" \
	    ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	atf_check -o match:'notAfter=Feb  1 00:00:00 2020 GMT' \
	    openssl x509 -in recv.crt -noout -enddate
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused send "$(out_line 'certificate has expired')"
}
expired_server_cleanup() { tls_cleanup; }

atf_test_case revoked_server cleanup
revoked_server_head()
{
	atf_set descr "A server certificate revoked in the sender's tls_crl is refused"
	atf_set require.progs openssl logger
}
revoked_server_body()
{
	ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	pki_revoke ca recv
	pki_crl ca crl.pem
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt" "tls_crl=$PWD/crl.pem"
	start_both
	refused send "$(out_line 'certificate revoked')"
}
revoked_server_cleanup() { tls_cleanup; }

atf_test_case unknown_ca_server cleanup
unknown_ca_server_head()
{
	atf_set descr "A server certificate from a CA the sender does not trust is refused"
	atf_set require.progs openssl logger
}
unknown_ca_server_body()
{
	ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	pki_ca ca2 "Another CA"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca2/ca.crt"
	start_both
	# The server sends its CA certificate along (OpenSSL builds the
	# chain from tls_ca), so the error may name the untrusted root.
	refused send "$(out_line '(unable to get local issuer certificate|self[- ]signed certificate in certificate chain)')"
}
unknown_ca_server_cleanup() { tls_cleanup; }

# ---- the client's certificate, refused by the receiver ------------------

atf_test_case fingerprint_client cleanup
fingerprint_client_head()
{
	atf_set descr "A client whose certificate matches no tls_allow_fingerprints entry is refused"
	atf_set require.progs openssl logger
}
fingerprint_client_body()
{
	pki_self recv recv.test "DNS:recv.test"
	pki_self send send.test "DNS:send.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(decoy_fp)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	start_both
	refused recv "$(in_line 'self[- ]signed certificate')"
	atf_check -o match:"subject \"CN=send\.test\", $(ere "$(pki_fp send.crt)")" \
	    grep 'rejected incoming' recv.log
}
fingerprint_client_cleanup() { tls_cleanup; }

atf_test_case subject_client cleanup
subject_client_head()
{
	atf_set descr "tls_allow_subjects=host.example.com refuses a valid client certificate for host.example.com.evil"
	atf_set require.progs openssl logger
}
subject_client_body()
{
	ca_pair localhost "DNS:localhost,IP:127.0.0.1" host.example.com.evil \
	    "DNS:host.example.com.evil"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt" \
	    "tls_allow_subjects=host.example.com"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused recv "$(in_line 'subject mismatch: wanted host\.example\.com, certificate has .*DNS:host\.example\.com\.evil')"
}
subject_client_cleanup() { tls_cleanup; }

atf_test_case expired_client cleanup
expired_client_head()
{
	atf_set descr "An expired client certificate is refused"
	atf_set require.progs openssl logger
}
expired_client_body()
{
	SEND_CA_ARGS="-startdate 20200101000000Z -enddate 20200201000000Z" \
	    ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused recv "$(in_line 'certificate has expired')"
}
expired_client_cleanup() { tls_cleanup; }

atf_test_case revoked_client cleanup
revoked_client_head()
{
	atf_set descr "A client certificate revoked in the receiver's tls_crl is refused, though it matches tls_allow_subjects"
	atf_set require.progs openssl logger
}
revoked_client_body()
{
	ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	pki_revoke ca send
	pki_crl ca crl.pem
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt" \
	    "tls_crl=$PWD/crl.pem" "tls_allow_subjects=send.example.test"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_both
	refused recv "$(in_line 'certificate revoked')"
}
revoked_client_cleanup() { tls_cleanup; }

atf_test_case unknown_ca_client cleanup
unknown_ca_client_head()
{
	atf_set descr "A client certificate from a CA the receiver does not trust is refused"
	atf_set require.progs openssl logger
}
unknown_ca_client_body()
{
	ca_pair localhost "DNS:localhost,IP:127.0.0.1" send.example.test \
	    "DNS:send.example.test"
	pki_ca ca2 "Another CA"
	pki_cert ca2 send send.example.test "DNS:send.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	# The sender trusts both CAs.
	cat ca/ca.crt ca2/ca.crt >both.crt
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/both.crt"
	start_both
	refused recv "$(in_line '(unable to get local issuer certificate|self[- ]signed certificate in certificate chain)')"
}
unknown_ca_client_cleanup() { tls_cleanup; }

atf_test_case refused_client_backoff cleanup
refused_client_backoff_head()
{
	atf_set descr "A sender whose certificate the server refuses backs off between attempts instead of reconnecting every second"
	atf_set require.progs openssl logger
}
refused_client_backoff_body()
{
	local n
	pki_self recv recv.test "DNS:recv.test"
	pki_self send send.test "DNS:send.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(decoy_fp)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	start_both
	tls_wait_for 'rejected incoming TLS connection' recv.log
	# A rate is measured over a time: 6 s.  Doubling from 1 s, the
	# sender starts at most 4 connections in it (t = 0, 1, 3, 7 s).
	sleep 6
	n=$(tls_count 'accepted outgoing TLS connection' send.log)
	tls_alive send
	[ "$n" -le 4 ] || atf_fail "$n connections in 6 s"
}
refused_client_backoff_cleanup() { tls_cleanup; }

# ---- a client without a certificate -------------------------------------

# nocert_setup [OPTION-LINES...]: recv alone, with a CA certificate.
nocert_setup()
{
	pki_ca ca
	pki_cert ca recv localhost "DNS:localhost,IP:127.0.0.1"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt" "$@"
	tls_start recv
	printf '%s\n' '<13>nctag: from a client without certificate' >msg.txt
}

atf_test_case no_client_cert cleanup
no_client_cert_head()
{
	atf_set descr "A client without a certificate fails its handshake (tls_verify=on) and what it sends is not logged"
	atf_set require.progs openssl
}
no_client_cert_body()
{
	nocert_setup
	tls_client cl msg.txt 127.0.0.1 "$(tport)" -CAfile "$PWD/ca/ca.crt"
	tls_wait_exit cl 15
	tls_wait_for 'TLS: handshake with 127\.0\.0\.1 failed' recv.log
	tls_absent 'nctag' recv.log
	tls_absent 'accepted incoming' recv.log
	tls_alive recv
	# The reason: OpenSSL's "peer did not return a certificate".
	atf_check -o match:'handshake with 127\.0\.0\.1 failed: .*certificate' \
	    grep 'handshake with' recv.log
}
no_client_cert_cleanup() { tls_cleanup; }

atf_test_case no_client_cert_opt cleanup
no_client_cert_opt_head()
{
	atf_set descr "Control for no_client_cert: with tls_verify=opt the same client is accepted and its message logged"
	atf_set require.progs openssl
}
no_client_cert_opt_body()
{
	nocert_setup tls_verify=opt
	tls_client cl msg.txt 127.0.0.1 "$(tport)" -CAfile "$PWD/ca/ca.crt"
	tls_wait_exit cl 15
	tls_wait_for ' nctag: from a client without certificate$' recv.log
	tls_wait_for 'accepted incoming TLS connection from 127\.0\.0\.1 \(no certificate\): no certificate, verify=opt' recv.log
}
no_client_cert_opt_cleanup() { tls_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case fingerprint_server
	atf_add_test_case wrong_name
	atf_add_test_case prefix_name
	atf_add_test_case suffix_name
	atf_add_test_case expired_server
	atf_add_test_case revoked_server
	atf_add_test_case unknown_ca_server
	atf_add_test_case fingerprint_client
	atf_add_test_case subject_client
	atf_add_test_case expired_client
	atf_add_test_case revoked_client
	atf_add_test_case unknown_ca_client
	atf_add_test_case refused_client_backoff
	atf_add_test_case no_client_cert
	atf_add_test_case no_client_cert_opt
}
