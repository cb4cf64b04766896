#!/bin/sh
# Builds the fuzz targets with libFuzzer (clang) and runs each for a while
# over its corpus.  New inputs go to work/TARGET, findings to
# work/TARGET-crash-* (see README.fuzz); the stored corpus is only read.
#
#   sh fuzz.sh [-t seconds] [target ...]
set -eu

cd "$(dirname "$0")"
seconds=60
while getopts t: opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	*) echo "usage: sh fuzz.sh [-t seconds] [target ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=${*:-$(cd corpus && echo *)}

CC=${FUZZ_CC:-clang}
FLAGS="-std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
# the pure modules each Makefile puts in its library, as sources
lib_srcs() {
	sed -n 's/^LIB_OBJS = //p' "$1/Makefile" | tr ' ' '\n' |
	    sed -n "s|\\(.*\\)\\.o\$|$1/\\1.c|p" | tr '\n' ' '
}
SSL_LIBS=$(pkg-config --libs openssl 2>/dev/null || echo "-lssl -lcrypto")

if ! "$CC" $FLAGS -x c -o /dev/null - 2>/dev/null <<'X'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
X
then
	echo "fuzz.sh: $CC cannot build libFuzzer targets (clang with" \
	    "-fsanitize=fuzzer is needed)" >&2
	exit 1
fi

mkdir -p bin work
for t in $targets; do
	extra=
	case $t in
	nsconf)
		srcs=$(lib_srcs ../../newsyslog)
		inc=../../newsyslog libs= ;;
	session)
		srcs="$(lib_srcs ../../syslogd) ../../syslog-verify/session.c"
		inc=../../syslogd libs=$SSL_LIBS extra=-I../../syslog-verify ;;
	*)
		srcs=$(lib_srcs ../../syslogd)
		inc=../../syslogd libs=$SSL_LIBS ;;
	esac
	echo "== building fuzz_$t"
	"$CC" $FLAGS -I"$inc" $extra -o "bin/fuzz_$t" "fuzz_$t.c" $srcs $libs
done
for t in $targets; do
	echo "== fuzz_$t: $seconds s"
	mkdir -p "work/$t"
	"bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
	    -max_len=70000 \
	    -artifact_prefix="work/$t-" "work/$t" "corpus/$t" 2>&1 |
	    grep -E '^#[0-9]+.*DONE|ERROR|SUMMARY|invariant|Done|^==[0-9]+==' || true
done
found=$(ls work 2>/dev/null | grep -E -e '-(crash|timeout|oom|leak)-' || true)
if [ -n "$found" ]; then
	echo "findings in tests/fuzz/work:"
	echo "$found"
	exit 1
fi
echo "no findings"
