# certs.sh: sourced by bench.sh and linkorder.sh.
#
# make_certs DIR: in DIR, a CA (ca.pem, ca.key) and a server and a client
# certificate signed by it (server.pem, server.key, client.pem, client.key),
# ECDSA P-256, for localhost and 127.0.0.1.  Sets SERVER_FP to the server
# certificate's fingerprint, as syslog.conf's fingerprint="..." takes it.
make_certs() {
	mkdir -p "$1" || return 1
	(
		cd "$1" || exit 1
		openssl req -x509 -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
		    -subj "/CN=bench CA" -days 30 -out ca.pem >/dev/null 2>&1 ||
		    exit 1
		for n in server client; do
			openssl req -new -newkey ec \
			    -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			    -keyout $n.key -subj "/CN=$n.bench" -out $n.csr \
			    >/dev/null 2>&1 || exit 1
			printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >$n.ext
			openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key \
			    -CAcreateserial -days 30 -extfile $n.ext -out $n.pem \
			    >/dev/null 2>&1 || exit 1
		done
	) || return 1
	SERVER_FP=SHA256:$(openssl x509 -noout -fingerprint -sha256 \
	    -in "$1/server.pem" | sed 's/.*=//')
}
