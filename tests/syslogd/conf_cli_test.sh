#! /usr/bin/env atf-sh
# syslogd -N (check the configuration) and the command line.

. "$(atf_get_srcdir)/common.subr"

USAGE_RE='^usage: syslogd \[-dFIKkNnrSsTUvX\]'

atf_test_case check_valid
check_valid_head()
{
	atf_set descr "-N on a valid file: exit 0, no output"
	atf_set timeout 20
}
check_valid_body()
{
	cat >syslog.conf <<EOF
# a comment, then a blank line

*.err;kern.*;auth.notice;authpriv.none;mail.crit	/dev/console
*.info;auth,authpriv,cron,ftp,kern,lpr,mail.none	$PWD/messages
security.*	$PWD/security
mail.info	-$PWD/maillog
daemon.=debug	$PWD/daemon.debug
local0.!=info;local0.<=notice	$PWD/local0
*.emerg	*
!ppp
*.*	$PWD/ppp.log
!*
+@
*.*	|cat >/dev/null
+*
local7.*	@127.0.0.1:5140
EOF
	atf_check -s exit:0 -o empty -e empty "$SYSLOGD" -N -f "$PWD/syslog.conf"
	# A file that is only a comment, and an empty file, are valid too.
	echo '# nothing' >comment.conf
	: >empty.conf
	atf_check -s exit:0 -o empty -e empty "$SYSLOGD" -N -f "$PWD/comment.conf"
	atf_check -s exit:0 -o empty -e empty "$SYSLOGD" -N -f "$PWD/empty.conf"
}

atf_test_case check_errors
check_errors_head()
{
	atf_set descr "-N reports every error as file:line: and exits 1; a malformed TLS option list does not hang"
	atf_set timeout 20
}
check_errors_body()
{
	cat >bad.conf <<EOF
# line 1
*.*	$PWD/all
no_such_keyword = yes
mail.info	$PWD/mail
nosuchfacility.info	$PWD/x
auth.*	$PWD/auth
*.*	@[127.0.0.1]:6514(subject="a", fingerprint="SHA1:00"
*.*	@[127.0.0.1]:6514(no_such_option="x")
user.nosuchlevel	$PWD/x
EOF
	atf_check -s exit:1 -o empty -e save:stderr \
	    "$SYSLOGD" -N -f "$PWD/bad.conf"
	local f="$PWD/bad.conf" l
	for l in 3 5 7 8 9; do
		grep -q "^$f:$l: " stderr ||
		    atf_fail "no error for line $l: $(_show stderr)"
	done
	atf_check -o match:"^$f:3: .*no_such_keyword" cat stderr
	atf_check -o match:"^$f:5: .*nosuchfacility" cat stderr
	atf_check -o match:"^$f:9: .*nosuchlevel" cat stderr
	# Valid lines are not reported; every line of stderr names the file.
	atf_check -s exit:1 grep -E "^$f:(1|2|4|6):" stderr
	atf_check -s exit:1 grep -v "^$f:[0-9][0-9]*: " stderr
}

atf_test_case check_missing
check_missing_head()
{
	atf_set descr "-N on a missing file: exit 1, the message names the file"
	atf_set timeout 20
}
check_missing_body()
{
	atf_check -s exit:1 -o empty -e match:"$PWD/no-such.conf" \
	    "$SYSLOGD" -N -f "$PWD/no-such.conf"
}

atf_test_case bad_option
bad_option_head()
{
	atf_set descr "An unknown option prints the usage and exits 1"
	atf_set timeout 20
}
bad_option_body()
{
	touch syslog.conf
	atf_check -s exit:1 -o empty -e match:"$USAGE_RE" \
	    "$SYSLOGD" -Z -N -f "$PWD/syslog.conf"
	# An option missing its argument is a usage error too.
	atf_check -s exit:1 -o empty -e match:"$USAGE_RE" \
	    "$SYSLOGD" -N -f
}

atf_test_case bad_operand
bad_operand_head()
{
	atf_set descr "A leftover operand prints the usage and exits 1"
	atf_set timeout 20
}
bad_operand_body()
{
	touch syslog.conf
	atf_check -s exit:1 -o empty -e match:"$USAGE_RE" \
	    "$SYSLOGD" -N -f "$PWD/syslog.conf" extra
	atf_check -s exit:1 -o empty -e match:"$USAGE_RE" \
	    "$SYSLOGD" -F -K -s -f "$PWD/syslog.conf" -p "$PWD/log" \
	    -i "$PWD/syslogd.pid" extra
	[ ! -e log ] && [ ! -e syslogd.pid ] || atf_fail "the daemon started"
}

atf_test_case bad_numbers
bad_numbers_head()
{
	atf_set descr "Malformed numbers for -m and -B are errors naming the option"
	atf_set timeout 20
}
bad_numbers_body()
{
	touch syslog.conf
	atf_check -s exit:1 -o empty -e match:'-m' \
	    "$SYSLOGD" -N -m abc -f "$PWD/syslog.conf"
	atf_check -s exit:1 -o empty -e match:'-B' \
	    "$SYSLOGD" -N -B -5 -f "$PWD/syslog.conf"
}

atf_init_test_cases()
{
	atf_add_test_case check_valid
	atf_add_test_case check_errors
	atf_add_test_case check_missing
	atf_add_test_case bad_option
	atf_add_test_case bad_operand
	atf_add_test_case bad_numbers
}
