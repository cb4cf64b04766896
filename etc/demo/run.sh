#!/bin/sh
# Runs syslogd in the foreground with a demo configuration, as an ordinary
# user: "make run" calls it after building.  Everything lives in run/ at the
# top of the tree: the configuration, the socket, the pid file and the logs.
# Ctrl-C stops it.
set -e

top=$(cd "$(dirname "$0")/../.." && pwd)
run="$top/run"
cd "$top"

if [ ! -x ./syslogd/syslogd ]; then
	echo "run.sh: ./syslogd/syslogd is not built; run \"make\" first" >&2
	exit 1
fi

case $run in
*[[:space:]]*)
	echo "run.sh: $run contains blanks, which syslog.conf paths cannot" >&2
	exit 1 ;;
esac

mkdir -p "$run"
# The path goes into a sed replacement: escape its special characters.
esc=$(printf '%s\n' "$run" | sed 's/[&|\\]/\\&/g')
sed "s|@RUN@|$esc|g" etc/demo/syslog.conf.in >"$run/syslog.conf"
# syslogd does not create log files: make them (keeping old contents).
for f in messages auth.log errors demo.log; do
	: >>"$run/$f"
done

cat <<MSG
syslogd runs in the foreground with $run/syslog.conf
(local socket run/log, UDP on 127.0.0.1:5514, no kernel log).
In another terminal, from $top:

    logger -u ./run/log hello
    logger -u ./run/log -t demo hello       # also goes to run/demo.log
    logger -u ./run/log -p auth.err oops    # run/auth.log and run/errors
    logger -n 127.0.0.1 -P 5514 hello
    tail -f run/messages

Reload the configuration: kill -HUP \$(cat run/syslogd.pid)
Stop: Ctrl-C here.

MSG

# In the foreground syslogd takes Ctrl-C (SIGINT) as a request to exit.
exec ./syslogd/syslogd -F -K -f "$run/syslog.conf" -p "$run/log" \
    -i "$run/syslogd.pid" -b 127.0.0.1:5514
