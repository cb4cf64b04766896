#! /usr/bin/env atf-sh
# syslogd and syslog-ng over TLS (RFC 5425: syslog() drivers, RFC 5424
# messages in octet-counted frames), both ways, with fingerprint and with
# name authentication.  (syslog-ng pins fingerprints only of trusted
# certificates: for self-signed ones, its ca-dir() holds the peer's own
# certificate, and trusted-keys() its SHA-1 fingerprint.)  syslog-ng conflicts with rsyslog in Debian, so it
# is unpacked privately by install-syslog-ng.sh and run through its
# wrapper in the foreground, with a private configuration, persist file,
# pid file and control socket.  Its plain input for the tests is a
# network() source on a loopback port, fed by logger.  Every case sends
# 1000 numbered messages and checks that they arrive, intact and in order.

. "$(atf_get_srcdir)/tls.subr"

SYSLOG_NG=${SYSLOG_NG:-${SYSLOG_NG_PREFIX:-/opt/syslog-ng-private}/bin/syslog-ng}

require_syslog_ng()
{
	[ -x "$SYSLOG_NG" ] && "$SYSLOG_NG" --version >/dev/null 2>&1 ||
	    atf_skip "no private syslog-ng at $SYSLOG_NG; install it with" \
	    "sh tests/interop/install-syslog-ng.sh (as root, on Debian)"
	NG_VERSION=$("$SYSLOG_NG" --version |
	    sed -n 's/^Installer-Version: *\([0-9]*\.[0-9]*\).*/\1/p')
	[ -n "$NG_VERSION" ] || atf_fail "cannot tell syslog-ng's version"
}

# ng_conf LINES...: ng.conf with LINES (sources, destinations, log paths)
# after the version and global options.  ng.log is the file destination
# "d_file".
ng_conf()
{
	cat >"$PWD/ng.conf" <<EOF
@version: $NG_VERSION
options { keep-hostname(yes); stats-freq(0); log-fifo-size(20000); };
destination d_file { file("$PWD/ng.log"); };
EOF
	printf '%s\n' "$@" >>"$PWD/ng.conf"
	touch "$PWD/ng.log"
}

# ng_start PORT...: starts syslog-ng (its own messages go to ng.err);
# waits for its pid file and until it listens on each PORT.
ng_start()
{
	local i=0 p
	atf_check -s exit:0 -o ignore -e ignore \
	    "$SYSLOG_NG" --syntax-only -f "$PWD/ng.conf"
	tls_bg ng "$SYSLOG_NG" -F -e -f "$PWD/ng.conf" \
	    --persist-file="$PWD/ng.persist" --pidfile="$PWD/ng.pid" \
	    --control="$PWD/ng.ctl"
	while ! [ -s "$PWD/ng.pid" ]; do
		kill -0 "$(tls_pid ng)" 2>/dev/null ||
		    atf_fail "syslog-ng exited: $(tls_lines ng.err)"
		i=$((i + 1))
		[ $i -le 150 ] || atf_fail "syslog-ng not ready: $(tls_lines ng.err)"
		_tls_tick
	done
	for p in "$@"; do
		tls_wait_listen "$p"
	done
}

# ca_dir DIR CERT: adds CERT to DIR, an OpenSSL hashed directory for
# syslog-ng's ca-dir() ("HASH.N" names).
ca_dir()
{
	local h n=0
	mkdir -p "$1"
	h=$(openssl x509 -in "$2" -noout -hash) || atf_fail "openssl x509 -hash"
	while [ -e "$1/$h.$n" ]; do
		n=$((n + 1))
	done
	cp "$2" "$1/$h.$n"
}

# feed_ng PORT N: N numbered messages (tag seqtag) to syslog-ng's plain
# network() source on PORT, over one connection.
feed_ng()
{
	tls_numbered_lines "$2" |
	    logger --rfc3164 -T -n 127.0.0.1 -P "$1" -t seqtag ||
	    atf_fail "logger -T to port $1 failed"
}

# ---- syslogd sends, syslog-ng receives ----------------------------------

# tls_source PORT TLS-OPTIONS: a syslog() TLS source to d_file.
tls_source()
{
	echo "source s_tls { syslog(ip(127.0.0.1) port($1) transport(\"tls\")
	    tls(key-file(\"$PWD/ng.key\") cert-file(\"$PWD/ng.crt\") $2)); };
	log { source(s_tls); destination(d_file); };"
}

atf_test_case to_syslog_ng_fingerprint cleanup
to_syslog_ng_fingerprint_head()
{
	atf_set descr "syslogd -> syslog-ng syslog() over TLS, self-signed certificates pinned: syslog-ng trusts our certificate (ca-dir) and pins its SHA-1 (trusted-keys), we pin its SHA-256"
	atf_set require.progs openssl logger seq
}
to_syslog_ng_fingerprint_body()
{
	require_syslog_ng
	pki_self ng ng.test "DNS:ng.test"
	pki_self send send.test "DNS:send.test"
	ca_dir "$PWD/cadir" "$PWD/send.crt"
	ng_conf "$(tls_source "$(tport 1)" "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted)
	    trusted-keys(\"$(pki_fp send.crt sha1)\")")"
	ng_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(fingerprint=\"$(pki_fp ng.crt)\")"
	tls_start send -o rfc5424
	tls_send_numbered send seqtag 1000
	tls_check_numbered ng.log seqtag 1000
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport 1) \(subject \"CN=ng\.test\".*\): fingerprint" send.log
	tls_absent 'not sent|dropped' send.log
}
to_syslog_ng_fingerprint_cleanup() { tls_cleanup; }

atf_test_case to_syslog_ng_name cleanup
to_syslog_ng_name_head()
{
	atf_set descr "syslogd -> syslog-ng over TLS, certificates from a CA: syslog-ng checks our subject (trusted-dn()), we check its name (subject=)"
	atf_set require.progs openssl logger seq
}
to_syslog_ng_name_body()
{
	require_syslog_ng
	pki_ca ca
	pki_cert ca ng ng.example.test "DNS:ng.example.test"
	pki_cert ca send send.example.test "DNS:send.example.test"
	ca_dir "$PWD/cadir" "$PWD/ca/ca.crt"
	ng_conf "$(tls_source "$(tport 1)" "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted) trusted-dn(\"CN=send.example.test\")")"
	ng_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(subject=\"ng.example.test\")" \
	    "tls_ca=$PWD/ca/ca.crt"
	tls_start send -o rfc5424
	tls_send_numbered send seqtag 1000
	tls_check_numbered ng.log seqtag 1000
	tls_wait_for "accepted outgoing TLS connection to @\[127\.0\.0\.1\]:$(tport 1) \(subject \"CN=ng\.example\.test\".*\): name ng\.example\.test matched" send.log
}
to_syslog_ng_name_cleanup() { tls_cleanup; }

atf_test_case to_syslog_ng_refused cleanup
to_syslog_ng_refused_head()
{
	atf_set descr "Control for to_syslog_ng_fingerprint: syslog-ng refuses a syslogd whose certificate it trusts but does not pin; nothing arrives"
	atf_set require.progs openssl logger
}
to_syslog_ng_refused_body()
{
	require_syslog_ng
	pki_self ng ng.test "DNS:ng.test"
	pki_self send send.test "DNS:send.test"
	pki_self other send.test "DNS:send.test"
	ca_dir "$PWD/cadir" "$PWD/send.crt"
	ca_dir "$PWD/cadir" "$PWD/other.crt"
	ng_conf "$(tls_source "$(tport 1)" "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted)
	    trusted-keys(\"$(pki_fp other.crt sha1)\")")"
	ng_start "$(tport 1)"
	send_conf "$PWD/send.key" "$PWD/send.crt" \
	    "@[127.0.0.1]:$(tport 1)(fingerprint=\"$(pki_fp ng.crt)\")"
	tls_start send -o rfc5424
	tls_send send rjtag "must not arrive"
	tls_wait_for 'rjtag.*must not arrive$' send.log
	tls_wait_count 'retrying in the background' send.log 2
	kill -USR1 "$(tls_pid send)"
	tls_wait_count 'retrying in the background' send.log 3
	tls_absent 'rjtag' ng.log
	tls_wait_for 'fingerprint constraints were not met' ng.err
}
to_syslog_ng_refused_cleanup() { tls_cleanup; }

# ---- syslog-ng sends, syslogd receives ----------------------------------

# ng_forward IN-PORT HOST TLS-OPTIONS: network() plain source on IN-PORT,
# forwarded with a syslog() TLS destination to HOST port $(tport), and
# kept in ng.log.
ng_forward()
{
	ng_conf "source s_in { network(ip(127.0.0.1) port($1) transport(\"tcp\")); };
	destination d_tls { syslog(\"$2\" port($(tport)) transport(\"tls\")
	    tls(key-file(\"$PWD/ng.key\") cert-file(\"$PWD/ng.crt\") $3)); };
	log { source(s_in); destination(d_tls); destination(d_file); };"
}

atf_test_case from_syslog_ng_fingerprint cleanup
from_syslog_ng_fingerprint_head()
{
	atf_set descr "syslog-ng syslog() -> syslogd over TLS, self-signed certificates pinned: syslog-ng trusts our certificate and pins its SHA-1, we pin its SHA-256"
	atf_set require.progs openssl logger seq
}
from_syslog_ng_fingerprint_body()
{
	require_syslog_ng
	pki_self recv recv.test "DNS:recv.test,IP:127.0.0.1"
	pki_self ng ng.test "DNS:ng.test"
	recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_allow_fingerprints=$(pki_fp ng.crt)"
	tls_start recv
	ca_dir "$PWD/cadir" "$PWD/recv.crt"
	ng_forward "$(tport 2)" 127.0.0.1 "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted)
	    trusted-keys(\"$(pki_fp recv.crt sha1)\")"
	ng_start "$(tport 2)"
	feed_ng "$(tport 2)" 1000
	tls_check_numbered recv.log seqtag 1000
	tls_wait_for "accepted incoming TLS connection from 127\.0\.0\.1 \(subject \"CN=ng\.test\", $(ere "$(pki_fp ng.crt)")\): fingerprint" recv.log
	tls_absent 'truncated|framing error' recv.log
}
from_syslog_ng_fingerprint_cleanup() { tls_cleanup; }

atf_test_case from_syslog_ng_name cleanup
from_syslog_ng_name_head()
{
	atf_set descr "syslog-ng -> syslogd over TLS, certificates from a CA: syslog-ng checks our host name, we check its (tls_allow_subjects)"
	atf_set require.progs openssl logger seq
}
from_syslog_ng_name_body()
{
	require_syslog_ng
	pki_ca ca
	pki_cert ca recv localhost "DNS:localhost"
	pki_cert ca ng ng.example.test "DNS:ng.example.test"
	ca_dir "$PWD/cadir" "$PWD/ca/ca.crt"
	# syslog-ng connects to "localhost": listen on all its addresses.
	RECV_BIND=localhost recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_ca=$PWD/ca/ca.crt" "tls_allow_subjects=ng.example.test"
	tls_start recv
	ng_forward "$(tport 2)" localhost "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted)"
	ng_start "$(tport 2)"
	feed_ng "$(tport 2)" 1000
	tls_check_numbered recv.log seqtag 1000
	tls_wait_for "accepted incoming TLS connection from (127\.0\.0\.1|::1) \(subject \"CN=ng\.example\.test\", .*\): subject pattern ng\.example\.test matched" recv.log
}
from_syslog_ng_name_cleanup() { tls_cleanup; }

atf_test_case from_syslog_ng_wrong_name cleanup
from_syslog_ng_wrong_name_head()
{
	atf_set descr "Control for from_syslog_ng_name: syslog-ng refuses our certificate when it is for another name, nothing arrives"
	atf_set require.progs openssl logger
}
from_syslog_ng_wrong_name_body()
{
	require_syslog_ng
	pki_ca ca
	pki_cert ca recv other.example.test "DNS:other.example.test"
	pki_cert ca ng ng.example.test "DNS:ng.example.test"
	ca_dir "$PWD/cadir" "$PWD/ca/ca.crt"
	RECV_BIND=localhost recv_conf "$PWD/recv.key" "$PWD/recv.crt" \
	    "tls_ca=$PWD/ca/ca.crt" "tls_allow_subjects=ng.example.test"
	tls_start recv
	ng_forward "$(tport 2)" localhost "ca-dir(\"$PWD/cadir\")
	    peer-verify(required-trusted)"
	ng_start "$(tport 2)"
	printf 'must not arrive\n' |
	    logger --rfc3164 -T -n 127.0.0.1 -P "$(tport 2)" -t rjtag
	tls_wait_for ' rjtag: must not arrive$' ng.log
	# syslog-ng says why it closed the connection.
	tls_wait_for 'Certificate subject does not match configured hostname' ng.err
	tls_absent 'rjtag' recv.log
}
from_syslog_ng_wrong_name_cleanup() { tls_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case to_syslog_ng_fingerprint
	atf_add_test_case to_syslog_ng_name
	atf_add_test_case to_syslog_ng_refused
	atf_add_test_case from_syslog_ng_fingerprint
	atf_add_test_case from_syslog_ng_name
	atf_add_test_case from_syslog_ng_wrong_name
}
