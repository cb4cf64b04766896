#! /usr/bin/env atf-sh
# syslogd to syslogd over TLS (RFC 5425): a "send" instance forwards user.*
# to a "recv" instance's TLS listener on loopback, with each of the ways
# to authenticate the peer.  Certificates are made with the openssl
# command in the work directory.

. "$(atf_get_srcdir)/../interop/tls.subr"

atf_test_case ca_subject cleanup
ca_subject_head()
{
	atf_set descr "CA mode: the server certificate matches subject= (SAN DNS), the client certificate a tls_allow_subjects pattern; messages arrive"
	atf_set require.progs openssl logger
}
ca_subject_body()
{
	pki_ca ca
	# No IP SAN: only subject="localhost" can match, not the address.
	pki_cert ca recv localhost "DNS:localhost"
	pki_cert ca send sender.example.test "DNS:sender.example.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt" \
	    'tls_allow_subjects=other.example.org *.example.test'
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(subject=\"localhost\")" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_pair
	tls_send send catag "first message over TLS"
	tls_send send catag "second message over TLS"
	tls_wait_for ' catag: second message over TLS$' recv.log
	tls_wait_for ' catag: first message over TLS$' recv.log
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport) \(subject \"CN=localhost\", $(ere "$(pki_fp recv.crt)")\): name localhost matched" send.log
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=sender\.example\.test\", $(ere "$(pki_fp send.crt)")\): subject pattern \*\.example\.test matched" recv.log
	tls_absent 'rejected|refused|failed' recv.log
	tls_absent 'rejected|refused|failed' send.log
	tls_alive recv
	tls_alive send
}
ca_subject_cleanup() { tls_cleanup; }

atf_test_case ca_hostname cleanup
ca_hostname_head()
{
	atf_set descr "CA mode: @[localhost]:port without subject= checks the host name against the SAN; the client is admitted by its valid chain"
	atf_set require.progs openssl logger
}
ca_hostname_body()
{
	pki_ca ca
	pki_cert ca recv "Receiver" "DNS:localhost,IP:127.0.0.1"
	pki_cert ca send "Sender" "DNS:sender.test"
	# The listener takes every address of localhost: the sender may
	# resolve it to ::1 or to 127.0.0.1.
	RECV_BIND=localhost recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[localhost]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_pair
	tls_send send hntag "by host name"
	tls_wait_for ' hntag: by host name$' recv.log
	tls_wait_for "accepted outgoing TLS connection to @\[localhost\]:$(tport) \(subject \"CN=Receiver\", .*\): name localhost matched" send.log
	tls_wait_for 'accepted incoming TLS connection from (127\.0\.0\.1|::1) \(subject "CN=Sender", .*\): valid chain' recv.log
}
ca_hostname_cleanup() { tls_cleanup; }

atf_test_case fingerprint cleanup
fingerprint_head()
{
	atf_set descr "Fingerprint mode: self-signed certificates, each side pins the other's fingerprint (SHA-256 upper case, SHA-1 lower case)"
	atf_set require.progs openssl logger
}
fingerprint_body()
{
	local sfp
	pki_self recv "recv.test" "DNS:recv.test"
	pki_self send "send.test" "DNS:send.test"
	# NetBSD compares case-sensitively; we accept any case.
	sfp=$(pki_fp send.crt sha1 | tr A-Z a-z)
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(decoy_fp) $sfp"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	start_pair
	tls_send send fptag "pinned by fingerprint"
	tls_wait_for ' fptag: pinned by fingerprint$' recv.log
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport) \(subject \"CN=recv\.test\", $(ere "$(pki_fp recv.crt)")\): fingerprint" send.log
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=send\.test\", $(ere "$(pki_fp send.crt)")\): fingerprint" recv.log
}
fingerprint_cleanup() { tls_cleanup; }

atf_test_case certfile cleanup
certfile_head()
{
	atf_set descr "Pinned certificate files: tls_allow_clientcerts on the server, cert= in the destination"
	atf_set require.progs openssl logger
}
certfile_body()
{
	pki_self recv "recv.test" "DNS:recv.test"
	pki_self send "send.test" "DNS:send.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_clientcerts=$PWD/send.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(cert=\"$PWD/recv.crt\")"
	start_pair
	tls_send send cftag "pinned by certificate file"
	tls_wait_for ' cftag: pinned by certificate file$' recv.log
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport) .*: certificate file $(ere "$PWD/recv.crt")" send.log
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 .*: certificate file $(ere "$PWD/send.crt")" recv.log
}
certfile_cleanup() { tls_cleanup; }

atf_test_case gen_cert cleanup
gen_cert_head()
{
	atf_set descr "tls_gen_cert on both sides: syslogd -I generates and prints the fingerprints, which the other side then pins"
	atf_set require.progs openssl logger
}
gen_cert_body()
{
	local rfp sfp rfp1 sfp1
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" tls_gen_cert=yes
	atf_check -s exit:0 -o save:recv.id -e ignore \
	    "$SYSLOGD" -I -f "$PWD/recv.conf"
	atf_check -o match:'^fingerprint: +SHA1(:[0-9A-F]{2}){20}$' cat recv.id
	atf_check -o match:'^fingerprint: +SHA256(:[0-9A-F]{2}){32}$' cat recv.id
	test -s recv.key && test -s recv.crt || atf_fail "-I did not generate"
	# What -I prints is the certificate's fingerprint.
	rfp=$(sed -n 's/^fingerprint: *\(SHA256:.*\)$/\1/p' recv.id)
	rfp1=$(sed -n 's/^fingerprint: *\(SHA1:.*\)$/\1/p' recv.id)
	[ "$rfp" = "$(pki_fp recv.crt)" ] ||
	    atf_fail "-I printed $rfp, the certificate has $(pki_fp recv.crt)"
	[ "$rfp1" = "$(pki_fp recv.crt sha1)" ] ||
	    atf_fail "-I printed $rfp1, the certificate has $(pki_fp recv.crt sha1)"
	# The private key is not readable by others.
	atf_check -o match:'^-rw-------' ls -l recv.key

	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$rfp\")" tls_gen_cert=yes
	atf_check -s exit:0 -o save:send.id -e ignore \
	    "$SYSLOGD" -I -f "$PWD/send.conf"
	sfp=$(sed -n 's/^fingerprint: *\(SHA256:.*\)$/\1/p' send.id)
	[ -n "$sfp" ] && [ "$sfp" != "$rfp" ] ||
	    atf_fail "bad sender fingerprint '$sfp' (receiver's: $rfp)"
	tls_conf recv "tls_allow_fingerprints=$sfp"

	start_pair
	tls_send send gctag "with generated certificates"
	tls_wait_for ' gctag: with generated certificates$' recv.log
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(.*$(ere "$sfp")\): fingerprint" recv.log
	tls_wait_for "accepted outgoing TLS connection to .*$(ere "$rfp")\): fingerprint" send.log

	# A second -I (and the daemons) kept the generated files.
	atf_check -s exit:0 -o save:recv.id2 -e ignore \
	    "$SYSLOGD" -I -f "$PWD/recv.conf"
	sfp1=$(sed -n 's/^fingerprint: *\(SHA256:.*\)$/\1/p' recv.id2)
	[ "$sfp1" = "$rfp" ] || atf_fail "the certificate changed: $rfp -> $sfp1"
}
gen_cert_cleanup() { tls_cleanup; }

atf_test_case ordered cleanup
ordered_head()
{
	atf_set descr "1000 numbered messages arrive complete, intact and in order"
	atf_set require.progs openssl logger seq
}
ordered_body()
{
	pki_ca ca
	pki_cert ca recv localhost "DNS:localhost,IP:127.0.0.1"
	pki_cert ca send sender.test "DNS:sender.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" "tls_ca=$PWD/ca/ca.crt"
	send_conf "$PWD/send.key" "$PWD/send.crt" "@[127.0.0.1]:$(tport)" \
	    "tls_ca=$PWD/ca/ca.crt"
	start_pair
	tls_send_numbered send seqtag 1000
	tls_check_numbered recv.log seqtag 1000
	tls_absent 'not sent|dropped|truncated' send.log
	tls_absent 'not sent|dropped|truncated' recv.log
}
ordered_cleanup() { tls_cleanup; }

atf_test_case ipv6 cleanup
ipv6_head()
{
	atf_set descr "A TLS listener on ::1 and a destination @[::1]:port"
	atf_set require.progs openssl logger
}
ipv6_body()
{
	tls_have_ipv6 || atf_skip "::1 is not configured on this host"
	pki_self recv "recv.test" "DNS:recv.test,IP:::1"
	pki_self send "send.test" "DNS:send.test"
	RECV_BIND=::1 recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp send.crt)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[::1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	start_pair
	tls_send send v6tag "over IPv6"
	tls_wait_for ' v6tag: over IPv6$' recv.log
	tls_wait_for 'accepted incoming TLS connection from ::1 ' recv.log
	tls_wait_for "accepted outgoing TLS connection to @\[::1\]:$(tport) " send.log
}
ipv6_cleanup() { tls_cleanup; }

atf_test_case queued_while_down cleanup
queued_while_down_head()
{
	atf_set descr "Messages sent while the receiver is down are queued and delivered in order once it is up; the failed connection is logged with its cause"
	atf_set require.progs openssl logger
}
queued_while_down_body()
{
	pki_self recv recv.test "DNS:recv.test"
	pki_self send send.test "DNS:send.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp send.crt)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport)(fingerprint=\"$(pki_fp recv.crt)\")"
	tls_start send
	tls_send send qtag "queued one"
	tls_send send qtag "queued two"
	tls_wait_for "@\[127\.0\.0\.1\]:$(tport): .*retrying in the background" send.log
	tls_start recv
	kill -USR1 "$(tls_pid send)"
	tls_wait_count ' qtag: queued (one|two)$' recv.log 2
	atf_check -o inline:"queued one\nqueued two\n" sh -c \
	    "grep -a ' qtag: ' recv.log | sed 's/^.* qtag: //'"
	tls_send send qtag "after reconnect"
	tls_wait_for ' qtag: after reconnect$' recv.log
	# Nothing listened: the cause is a refused TCP connection.
	atf_check -o match:'[Cc]onnection refused' \
	    grep 'retrying in the background' send.log
}
queued_while_down_cleanup() { tls_cleanup; }

# held_client [s_client options]: a receiver that admits the client "cl"
# by fingerprint, and that client connected to it.  The client's input is
# the pipe cl.in, held open here on descriptor 3: it sends what is written
# there, and nothing else, and does not close.
held_client()
{
	pki_self recv recv.test "DNS:recv.test"
	pki_self cl client.test "DNS:client.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp cl.crt)"
	tls_start recv
	mkfifo cl.in
	tls_client cl cl.in 127.0.0.1 "$(tport)" -cert "$PWD/cl.crt" \
	    -key "$PWD/cl.key" "$@"
	exec 3>cl.in
	tls_wait_for 'accepted incoming TLS connection from 127\.0\.0\.1 ' \
	    recv.log
}

atf_test_case read_ahead_no_stall cleanup
read_ahead_no_stall_head()
{
	atf_set descr "Many TLS records read in one go are all delivered, though the client then sends nothing more and keeps the connection open"
	atf_set require.progs openssl mkfifo seq
}
read_ahead_no_stall_body()
{
	local n=1000
	# Records of at most 512 bytes: the 1000 lines (130 kB) take about
	# 260, more than one read callback of the receiver takes in.
	held_client -max_send_frag 512
	# Stopped, the receiver finds all the records in its socket at once
	# when it resumes: OpenSSL reads many with each read(), and no
	# readable event follows for the last of them.
	kill -STOP "$(tls_pid recv)"
	tls_numbered_lines $n | sed 's/^/<13>1 - - nstag - - - /' >&3
	sleep 1
	kill -CONT "$(tls_pid recv)"
	tls_check_numbered recv.log nstag $n
	tls_alive recv
	exec 3>&-
}
read_ahead_no_stall_cleanup()
{
	kill -CONT "$(cat recv.bgpid 2>/dev/null)" 2>/dev/null
	tls_cleanup
}

# rx_settled PORT: until the established socket on local TCP PORT holds
# received bytes and no more arrive (Linux /proc/net/tcp; else 1 s).
rx_settled()
{
	local hex q last=-1 i=0
	if ! [ -r /proc/net/tcp ]; then
		sleep 1
		return 0
	fi
	hex=$(printf '%04X' "$1")
	while :; do
		q=$(awk -v p=":$hex" '$2 ~ p "$" && $4 == "01" {
		    split($5, q, ":"); print q[2]; exit }' /proc/net/tcp)
		q=$((0x${q:-0}))
		[ "$q" -gt 0 ] && [ "$q" = "$last" ] && return 0
		last=$q
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "nothing arrives on port $1"
		sleep 0.1
	done
}

atf_test_case read_pending_at_exit cleanup
read_pending_at_exit_head()
{
	atf_set descr "Stopped with SIGTERM, the receiver first reads and writes the messages its TCP has already acknowledged"
	atf_set require.progs openssl mkfifo seq
}
read_pending_at_exit_body()
{
	local n=300
	held_client
	# 40 kB, acknowledged by the stopped receiver's kernel, unread.
	kill -STOP "$(tls_pid recv)"
	tls_numbered_lines $n | sed 's/^/<13>1 - - extag - - - /' >&3
	rx_settled "$(tport)"
	kill -TERM "$(tls_pid recv)"
	kill -CONT "$(tls_pid recv)"
	tls_wait_exit recv 10 || atf_fail "the receiver exited with $?"
	tls_check_numbered recv.log extag $n
	exec 3>&-
}
read_pending_at_exit_cleanup()
{
	kill -CONT "$(cat recv.bgpid 2>/dev/null)" 2>/dev/null
	tls_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case ca_subject
	atf_add_test_case ca_hostname
	atf_add_test_case fingerprint
	atf_add_test_case certfile
	atf_add_test_case gen_cert
	atf_add_test_case ordered
	atf_add_test_case ipv6
	atf_add_test_case queued_while_down
	atf_add_test_case read_ahead_no_stall
	atf_add_test_case read_pending_at_exit
}
