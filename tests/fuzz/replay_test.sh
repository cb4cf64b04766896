#! /usr/bin/env atf-sh
# Every fuzz target over its stored corpus (tests/fuzz/corpus): seeds, a
# sample of what libFuzzer found interesting, and every input that once
# broke an invariant.  A broken invariant aborts the replay program;
# under `make check SANITIZE=1` so does any memory error or leak.

TARGETS="msg frame conf route tlsid spool nsconf sign session"

descr()
{
	case $1 in
	msg)	echo "RFC 3164 and RFC 5424 parsing and formatting: fields" \
		    "in range, no control characters out, RFC 5424 output" \
		    "reads back the same, the time cache changes nothing" ;;
	frame)	echo "TLS stream framing: messages within bounds, the" \
		    "decoder always makes progress" ;;
	conf)	echo "syslog.conf parsing: every error names the file and" \
		    "an existing line" ;;
	route)	echo "routing: host blocks ignore case, a negated block takes" \
		    "exactly what the plain one refuses" ;;
	tlsid)	echo "fingerprints and names of hostile certificates: round" \
		    "trips, log text that cannot forge a line or a quote" ;;
	spool)	echo "damaged spool files: bounded records, progress" ;;
	sign)	echo "signed log lines as syslog-verify reads them: block" \
		    "parameters inside the line, bounded decoding, hostile keys" ;;
	session) echo "a whole signed log as syslog-verify reads it:" \
		    "fragments inside their payloads, keys only from blocks" \
		    "they sign" ;;
	nsconf)	echo "newsyslog.conf and time specifications: errors name" \
		    "the file and line, the time search ends" ;;
	esac
}

replay()
{
	atf_check -s exit:0 -o match:'^[0-9]+ inputs$' -e empty \
	    "$(atf_get_srcdir)/replay_$1" "$(atf_get_srcdir)/corpus/$1"
}

for t in $TARGETS; do
	eval "atf_test_case $t
	${t}_head() { atf_set descr \"\$(descr $t)\"; }
	${t}_body() { replay $t; }"
done

atf_init_test_cases()
{
	for t in $TARGETS; do
		atf_add_test_case "$t"
	done
}
