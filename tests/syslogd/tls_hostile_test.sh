#! /usr/bin/env atf-sh
# The TLS listener against clients that stall, flood, lie about frame
# lengths or do not speak TLS: the daemon keeps serving good clients, its
# memory stays bounded, and each kind of abuse is logged once.

. "$(atf_get_srcdir)/../interop/tls.subr"

# setup [OPTION-LINES...]: "recv" listens on 127.0.0.1:$(tport), with a
# self-signed certificate, and admits the client certificate cl.crt by
# its fingerprint.  Clients use cl.key/cl.crt (see good_client).
setup()
{
	pki_self recv recv.test "DNS:recv.test,IP:127.0.0.1"
	pki_self cl client.test "DNS:client.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp cl.crt)" "$@"
	tls_start recv
}

# good_client NAME FILE: sends FILE with the admitted certificate.
good_client()
{
	tls_client "$1" "$2" 127.0.0.1 "$(tport)" -cert "$PWD/cl.crt" \
	    -key "$PWD/cl.key"
}

# frame TEXT: TEXT as one octet-counted frame (RFC 5425), no newline.
frame() { printf '%d %s' "$(printf '%s' "$1" | wc -c)" "$1"; }

require_holdconn()
{
	[ -x "$HOLDCONN" ] || atf_fail "$HOLDCONN is missing: build it with" \
	    "make in tests/interop (the top-level 'make tests' does)"
}

# hold NAME N SECONDS [-s]: N connections held by holdconn; waits until
# all are connected.
hold()
{
	local name=$1 n=$2 secs=$3
	shift 3
	tls_bg "$name" "$HOLDCONN" "$@" -r "$PWD/$name.ready" 127.0.0.1 \
	    "$(tport)" "$n" "$secs"
	tls_wait_for "^connected $n\$" "$name.ready"
}

# vm KEY: the value (kB) of KEY in the receiver's /proc status, or
# nothing without /proc.
vm()
{
	sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB\$/\1/p" \
	    "/proc/$(tls_pid recv)/status" 2>/dev/null
}

# established: how many TCP connections to port $(tport) are established
# on the listener's side (nothing without /proc/net/tcp).
established()
{
	local hex
	[ -r /proc/net/tcp ] || return 0
	hex=$(printf '%04X' "$(tport)")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
	    grep -E -c "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:[0-9A-F]+ 01 "
}

atf_test_case stalled_handshakes cleanup
stalled_handshakes_head()
{
	atf_set descr "200 connections that never finish their handshake do not keep a good client from being served"
	atf_set require.progs openssl
}
stalled_handshakes_body()
{
	local n
	require_holdconn
	# A handshake timeout longer than the test: the stalled
	# connections stay while the good client comes.
	setup tls_handshake_timeout=60
	hold silent 100 40
	hold hello 100 40 -s
	frame '<13>goodtag: served while 200 stall' >good.txt
	good_client good good.txt
	tls_wait_for ' goodtag: served while 200 stall$' recv.log 10
	tls_wait_exit good 10 || atf_fail "s_client failed: $(tls_lines good.err)"
	# The stalled ones were still there (none was closed for the good
	# one) and the daemon did not refuse anybody.
	tls_alive silent
	tls_alive hello
	n=$(established)
	echo "established connections to the listener: ${n:-unknown}"
	[ -z "$n" ] || [ "$n" -ge 200 ] ||
	    atf_fail "only $n connections to the listener are established"
	tls_absent 'tls_max_connections' recv.log
	tls_alive recv
}
stalled_handshakes_cleanup() { tls_cleanup; }

atf_test_case handshake_timeout cleanup
handshake_timeout_head()
{
	atf_set descr "A client that starts a handshake and stalls is closed after tls_handshake_timeout, and that is logged"
	atf_set require.progs openssl
}
handshake_timeout_body()
{
	require_holdconn
	setup tls_handshake_timeout=1
	hold hello 3 30 -s
	tls_wait_for 'TLS: handshake timeout for 127\.0\.0\.1; closing' recv.log 10
	frame '<13>aftertag: after the timeouts' >good.txt
	good_client good good.txt
	tls_wait_for ' aftertag: after the timeouts$' recv.log 10
	tls_alive recv
}
handshake_timeout_cleanup() { tls_cleanup; }

atf_test_case connection_limit cleanup
connection_limit_head()
{
	atf_set descr "Past tls_max_connections new connections are refused and that is logged; once the stalled ones go, good clients are served again"
	atf_set require.progs openssl
}
connection_limit_body()
{
	require_holdconn
	setup tls_max_connections=20 tls_handshake_timeout=60
	hold silent 30 40
	tls_wait_for 'TLS: 20 connections, the limit \(tls_max_connections\); refusing 127\.0\.0\.1' recv.log 10
	kill -TERM "$(tls_pid silent)"
	tls_wait_exit silent 10
	frame '<13>limtag: after the flood' >good.txt
	good_client good good.txt
	tls_wait_for ' limtag: after the flood$' recv.log 15
	tls_alive recv
}
connection_limit_cleanup() { tls_cleanup; }

atf_test_case huge_frame cleanup
huge_frame_head()
{
	atf_set descr "A frame announcing 2 GB followed by 4 MB: memory stays bounded, the message is truncated to tls_max_msg_size and logged, later clients are served"
	atf_set require.progs openssl head tr
}
huge_frame_body()
{
	local hwm0 hwm line
	setup
	hwm0=$(vm VmHWM)
	{
		printf '2000000000 <13>bigtag: '
		head -c 4000000 /dev/zero | tr '\0' A
	} >big.txt
	good_client big big.txt
	tls_wait_exit big 30 || atf_fail "s_client failed: $(tls_lines big.err)"
	tls_wait_for 'TLS: message from 127\.0\.0\.1 longer than 16384 bytes, truncated' recv.log
	tls_wait_for ' bigtag: AAAA' recv.log
	# The logged message is the first 16384 bytes of the frame.
	line=$(grep -a ' bigtag: ' recv.log | sed 's/^.* bigtag: //')
	[ "${#line}" -le 16384 ] && [ "${#line}" -ge 16000 ] ||
	    atf_fail "truncated message has ${#line} bytes of text"
	case "$line" in
	*[!A]*) atf_fail "truncated text is not all A" ;;
	esac
	# The connection that follows is served.
	frame '<13>nexttag: after the big one' >next.txt
	good_client next next.txt
	tls_wait_for ' nexttag: after the big one$' recv.log
	tls_alive recv
	hwm=$(vm VmHWM)
	if [ -n "$hwm" ]; then
		[ "$hwm" -lt 65536 ] ||
		    atf_fail "peak RSS $hwm kB (at start: $hwm0 kB)"
		echo "peak RSS: $hwm0 kB at start, $hwm kB after"
	else
		echo "no /proc/PID/status: the RSS is not checked"
	fi
}
huge_frame_cleanup() { tls_cleanup; }

atf_test_case oversize_frame cleanup
oversize_frame_head()
{
	atf_set descr "An oversized but complete frame is truncated and logged, and the next frame on the same connection arrives"
	atf_set require.progs openssl head tr
}
oversize_frame_body()
{
	local body
	setup tls_max_msg_size=8192
	body=$(head -c 20000 /dev/zero | tr '\0' B)
	{
		frame "<13>overtag: $body"
		frame '<13>overtag: next on the same connection'
	} >over.txt
	good_client over over.txt
	tls_wait_exit over 15 || atf_fail "s_client failed: $(tls_lines over.err)"
	tls_wait_for ' overtag: next on the same connection$' recv.log
	tls_wait_for 'TLS: message from 127\.0\.0\.1 longer than 8192 bytes, truncated' recv.log
	atf_check -o match:' overtag: B{8000,8192}$' grep -a ' overtag: B' recv.log
	# In order: the truncated one first.
	atf_check -o inline:"B\nn\n" sh -c \
	    "grep -a ' overtag: ' recv.log | sed 's/^.* overtag: \(.\).*/\1/'"
}
oversize_frame_cleanup() { tls_cleanup; }

atf_test_case plaintext cleanup
plaintext_head()
{
	atf_set descr "Plaintext syslog sent to the TLS port is refused, and reported once per sender address"
	atf_set require.progs openssl logger
}
plaintext_body()
{
	setup
	logger --version 2>/dev/null | grep -q util-linux ||
	    atf_skip "needs the util-linux logger (-T, -n, -P)"
	for i in 1 2 3; do
		logger -T -n 127.0.0.1 -P "$(tport)" -t pttag "plaintext $i" ||
		    atf_fail "logger -T failed"
	done
	tls_wait_for 'TLS: 127\.0\.0\.1 sends plaintext, not TLS, to the TLS port; closing its connections' recv.log
	# A good message after them: any later report would come first
	# (a "repeated" line included, which a different message flushes).
	frame '<13>pttag2: TLS after plaintext' >good.txt
	good_client good good.txt
	tls_wait_for ' pttag2: TLS after plaintext$' recv.log
	tls_wait_exit good 10
	[ "$(tls_count 'sends plaintext' recv.log)" = 1 ] ||
	    atf_fail "reported more than once: $(tls_lines recv.log)"
	tls_absent 'repeated' recv.log
	tls_absent 'pttag: plaintext' recv.log
}
plaintext_cleanup() { tls_cleanup; }

atf_test_case newline_framing cleanup
newline_framing_head()
{
	atf_set descr "Newline-framed messages (RFC 6587 non-transparent framing, LF or CRLF) from openssl s_client are accepted"
	atf_set require.progs openssl
}
newline_framing_body()
{
	setup
	printf '<13>nltag: line one\n<13>nltag: line two\r\n\n<13>nltag: line three\n' >nl.txt
	good_client nl nl.txt
	tls_wait_exit nl 15 || atf_fail "s_client failed: $(tls_lines nl.err)"
	tls_wait_count ' nltag: line (one|two|three)$' recv.log 3
	atf_check -o inline:"line one\nline two\nline three\n" sh -c \
	    "grep -a ' nltag: ' recv.log | sed 's/^.* nltag: //'"
}
newline_framing_cleanup() { tls_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case stalled_handshakes
	atf_add_test_case handshake_timeout
	atf_add_test_case connection_limit
	atf_add_test_case huge_frame
	atf_add_test_case oversize_frame
	atf_add_test_case plaintext
	atf_add_test_case newline_framing
}
