#!/bin/sh
# Runs the whole suite with kyua and ends with one line "N passed, N failed"
# (", N skipped" when some were).  Exit status 0 only when nothing failed.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/tests" || exit 1

missing=
for p in kyua atf-sh logger; do
	command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "missing:$missing" >&2
	echo "on Debian: apt-get install kyua atf-sh libatf-dev bsdutils" >&2
	exit 1
fi

# Under `make check SANITIZE=1`: undefined behaviour stops the daemon, so
# the test that caused it fails (ASan does so by itself).
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

results="$top/tests/results.db"
rm -f "$results"
kyua test --results-file="$results" -k Kyuafile
kyua report --results-file="$results" --verbose \
    --results-filter=broken,failed,xfail >"$top/tests/failures.txt" 2>&1 || true
kyua report --results-file="$results" --results-filter= \
    >"$top/tests/report.txt" 2>&1 || true

passed=$(grep -c -- '->  *passed' "$top/tests/report.txt")
failed=$(grep -c -E -- '->  *(failed|broken)' "$top/tests/report.txt")
skipped=$(grep -c -- '->  *skipped' "$top/tests/report.txt")
xfail=$(grep -c -- '->  *expected_failure' "$top/tests/report.txt")
passed=$((passed + xfail))
[ "$failed" -gt 0 ] && cat "$top/tests/failures.txt"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
