#! /usr/bin/env atf-sh
#
# newsyslog end to end: rotation decisions (size, interval, "@" and "$"
# times on a fixed clock), archive shifting and count limits, compression,
# owner and mode, the rotation notice, dry runs, configuration errors,
# signalling and waiting for the reopen (with the helper daemon h_logd),
# and rotation while the real syslogd writes 100,000 messages.
#
# Every case runs in its own work directory; background processes write
# pid files there and the cleanup routines kill only those.

ns()
{
	"$(atf_get_srcdir)/../../newsyslog/newsyslog" "$@"
}

setup()
{
	TZ=UTC0
	export TZ
	unset NEWSYSLOG_NOW
	NS="$(atf_get_srcdir)/../../newsyslog/newsyslog"
	[ -x "$NS" ] || atf_fail "$NS is not built (run make at the top)"
}

# mklog file count [word]: count BSD lines "... app[1]: word N".
mklog()
{
	awk -v n="$2" -v w="${3:-line}" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf("Nov 23 12:00:%02d myhost app[1]: %s %d\n",
			    i % 60, w, i)
	}' >"$1"
}

# Polls (no fixed sleep) until "test $@" holds; fails after about 10 s.
wait_for()
{
	local i=0
	while ! test "$@"; do
		i=$((i + 1))
		[ $i -lt 1000 ] || atf_fail "timed out waiting for: test $*"
		sleep 0.01
	done
}

# Polls until the shell command $1 succeeds; fails after about 10 s.
wait_until()
{
	local i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -lt 1000 ] || atf_fail "timed out waiting for: $1"
		sleep 0.01
	done
}

# start_logd pidfile logfile [h_logd options]: the helper daemon.
start_logd()
{
	local pidfile="$1" logfile="$2"
	shift 2
	"$(atf_get_srcdir)/h_logd" "$@" "$pidfile" "$logfile" &
	wait_for -s "$pidfile"
}

kill_from()
{
	local f
	for f in "$@"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	return 0
}

# --------------------------------------------------------------------------

atf_test_case size_rotation
size_rotation_head()
{
	atf_set descr "Trims a log when its size reaches the size field"
}
size_rotation_body()
{
	setup
	mklog big 100			# about 4 KiB
	mklog small 10			# about 0.4 KiB
	mklog exact 0
	head -c 2048 /dev/zero | tr '\0' x >exact
	cat >conf <<EOF
$PWD/big	644 3 2 * N
$PWD/small	644 3 2 * N
$PWD/exact	644 3 2 * N
$PWD/nosize	644 3 * * N
EOF
	cp big big.orig
	mklog nosize 1000
	atf_check -s exit:0 -e empty \
	    -o match:"big: size 3 KiB \[2 KiB\], age \* \[\*\]: trimming \(log size >= size\)" \
	    -o match:"small: size 0 KiB \[2 KiB\].*: not trimming" \
	    -o match:"exact: size 2 KiB \[2 KiB\].*: trimming" \
	    -o match:"nosize: .*not trimming" \
	    "$NS" -rv -f conf
	test -f big.0 || atf_fail "big was not rotated"
	test -f exact.0 || atf_fail "exact was not rotated"
	test -f small.0 && atf_fail "small was rotated"
	test -f nosize.0 && atf_fail "nosize was rotated"
	# big.0 is the old log plus the notice; big has only the notice.
	atf_check -o inline:"$(cat big.orig)\n" head -n 100 big.0
	atf_check -o match:"newsyslog\[[0-9]+\]: log file turned over" \
	    tail -n 1 big.0
	atf_check -o match:"^1 " wc -l big
	# The new log is small: a second run leaves it.
	atf_check -s exit:0 -o match:"big: .*not trimming" "$NS" -rv -f conf
	test -f big.1 && atf_fail "big was rotated twice"
	return 0
}

atf_test_case interval_rotation
interval_rotation_head()
{
	atf_set descr "Trims by the age of the newest archive (fixed clock)"
}
interval_rotation_body()
{
	setup
	NEWSYSLOG_NOW=2026-03-10T12:00:00Z
	export NEWSYSLOG_NOW
	for f in a b c d; do mklog $f 3; done
	mklog b.0 1
	touch -d 2026-03-09T13:00:00Z b.0	# 23 h old
	mklog c.0 1
	gzip c.0
	touch -d 2026-03-09T11:00:00Z c.0.gz	# 25 h old
	mklog d.0 1
	touch -d 2026-03-09T12:30:01Z d.0	# 23.5 h - 1 s: rounds to 23
	cat >conf <<EOF
$PWD/a	644 3 * 24 N
$PWD/b	644 3 * 24 N
$PWD/c	644 3 * 24 N
$PWD/d	644 3 * 24 N
EOF
	atf_check -s exit:0 -e empty \
	    -o match:"/a: size 0 KiB \[\*\], age \* \[24 h\]: trimming \(log age >= interval\)" \
	    -o match:"/b: .*age 23 h \[24 h\]: not trimming" \
	    -o match:"/c: .*age 25 h \[24 h\]: trimming \(log age >= interval\)" \
	    -o match:"/d: .*age 23 h \[24 h\]: not trimming" \
	    "$NS" -rv -f conf
	test -f a.0 || atf_fail "a (no archive yet) was not rotated"
	test -f b.1 && atf_fail "b was rotated"
	test -f c.1.gz || atf_fail "c was not rotated"
	test -f c.0 || atf_fail "c has no new .0"
	# The new archive's age counts from the clock of the run.
	atf_check -o inline:"$(date -d 2026-03-10T12:00:00Z +%s)\n" \
	    stat -c %Y a.0
	atf_check -s exit:0 -o match:"/a: .*age 0 h \[24 h\]: not trimming" \
	    "$NS" -rv -f conf
	NEWSYSLOG_NOW=2026-03-11T12:00:00Z
	atf_check -s exit:0 \
	    -o match:"/a: .*age 24 h \[24 h\]: trimming" \
	    -o match:"/b: .*age 47 h \[24 h\]: trimming" \
	    "$NS" -rv -f conf
	test -f a.1 || atf_fail "a was not rotated a second time"
	test -f b.1 || atf_fail "b was not rotated"
}

atf_test_case iso_time_rotation
iso_time_rotation_head()
{
	atf_set descr "Trims at an @ (ISO 8601) time, once, within the hour after it"
}
iso_time_rotation_body()
{
	setup
	mklog log 3
	mklog once 3
	cat >conf <<EOF
$PWD/log	644 5 * @T05 N
$PWD/once	644 5 * @20260311T0530 N
EOF
	export NEWSYSLOG_NOW
	NEWSYSLOG_NOW=2026-03-10T04:59:59Z
	atf_check -s exit:0 -o match:"/log: .*not trimming" "$NS" -rv -f conf
	test -f log.0 && atf_fail "trimmed before the time"
	NEWSYSLOG_NOW=2026-03-10T05:00:00Z
	atf_check -s exit:0 -o match:"/log: .*trimming \(specific trim time\)" \
	    -o match:"/once: .*not trimming" "$NS" -rv -f conf
	test -f log.0 || atf_fail "not trimmed at the time"
	NEWSYSLOG_NOW=2026-03-10T05:30:00Z
	atf_check -s exit:0 -o match:"/log: .*not trimming" "$NS" -rv -f conf
	test -f log.1 && atf_fail "trimmed twice for one time"
	NEWSYSLOG_NOW=2026-03-11T05:59:59Z
	atf_check -s exit:0 -o match:"/log: .*trimming \(specific trim time\)" \
	    -o match:"/once: .*trimming \(specific trim time\)" \
	    "$NS" -rv -f conf
	test -f log.1 || atf_fail "not trimmed the next day"
	test -f once.0 || atf_fail "the one-time date was not honoured"
	NEWSYSLOG_NOW=2026-03-12T06:00:00Z
	atf_check -s exit:0 -o match:"/log: .*not trimming" "$NS" -rv -f conf
	test -f log.2 && atf_fail "trimmed more than an hour after the time"
	return 0
}

# dwm_case now spec...: a fresh directory, one log per spec; prints the
# specs whose log was trimmed.
dwm_case()
{
	local now="$1" d s i=0
	shift
	d=$(mktemp -d "$PWD/dwm.XXXXXX")
	: >"$d/conf"
	for s in "$@"; do
		i=$((i + 1))
		mklog "$d/l$i" 2
		echo "$d/l$i 644 3 * $s N" >>"$d/conf"
	done
	NEWSYSLOG_NOW="$now" "$NS" -r -f "$d/conf" >/dev/null ||
	    atf_fail "newsyslog failed at $now"
	i=0
	for s in "$@"; do
		i=$((i + 1))
		[ -f "$d/l$i.0" ] && printf '%s ' "$s"
	done
	echo
}

# dwm_expect "specs trimmed" now spec...
dwm_expect()
{
	local want="$1" got
	shift
	got=$(dwm_case "$@")
	got=${got% }
	[ "$got" = "$want" ] ||
	    atf_fail "at $1 (TZ=$TZ): trimmed \"$got\", want \"$want\""
}

atf_test_case dwm_time_rotation
dwm_time_rotation_head()
{
	atf_set descr "Trims at \$ day, week and month times (fixed clock)"
}
dwm_time_rotation_body()
{
	setup
	# 2026-03-08 is a Sunday.
	dwm_expect '$W0D23' 2026-03-08T23:10:00Z '$W0D23' '$W1D23' '$D0' '$MLD0'
	dwm_expect '$W1 $D0' 2026-03-09T00:10:00Z '$W0D23' '$W1' '$D0' '$D23'
	dwm_expect '' 2026-03-09T01:00:00Z '$W0D23' '$W1' '$D0' '$D23'
	dwm_expect '$M5D6' 2026-03-05T06:59:59Z '$M5D6' '$M5D7' '$M6D6' '$MLD6'
	dwm_expect '$MLD0 $ML $M31' 2026-03-31T00:00:00Z '$MLD0' '$ML' '$M31' '$M30'
	dwm_expect '$MLD0' 2026-04-30T00:10:00Z '$MLD0' '$M31' '$M1'
	# The last day of February of a leap year is the 29th.
	dwm_expect '$MLD0 $D0' 2024-02-29T00:10:00Z '$MLD0' '$D0' '$M28D0'
	dwm_expect '$D0 $M28D0' 2024-02-28T00:10:00Z '$MLD0' '$D0' '$M28D0'
	dwm_expect '$MLD0 $M28D0' 2023-02-28T00:10:00Z '$MLD0' '$M29D0' '$M28D0'
	# With the local time zone of TZ.
	TZ=CET-1
	dwm_expect '$D0' 2026-03-09T23:20:00Z '$D0' '$D23'
}

atf_test_case archive_shift
archive_shift_head()
{
	atf_set descr "Shifts archives and keeps at most count of them"
}
archive_shift_body()
{
	setup
	echo "$PWD/log	600 3 * * N" >conf
	for i in 1 2 3 4 5; do
		echo "generation $i" >log
		atf_check -s exit:0 -o empty -e empty "$NS" -r -F -f conf
	done
	atf_check -o match:"^generation 5$" head -n 1 log.0
	atf_check -o match:"^generation 4$" head -n 1 log.1
	atf_check -o match:"^generation 3$" head -n 1 log.2
	test -e log.3 && atf_fail "more than 3 archives kept"
	for f in log log.0 log.1 log.2; do
		atf_check -o inline:"600\n" stat -c %a $f
	done
	# A smaller count removes the archives above it.
	echo "$PWD/log	600 1 * * N" >conf
	echo "generation 6" >log
	atf_check -s exit:0 "$NS" -r -F -f conf
	atf_check -o inline:"generation 6\n" head -n 1 log.0
	test -e log.1 && atf_fail "log.1 kept with count 1"
	test -e log.2 && atf_fail "log.2 kept with count 1"
	# Count 0: no archive at all.
	echo "$PWD/log	600 0 * * N" >conf
	echo "generation 7" >log
	atf_check -s exit:0 "$NS" -r -F -f conf
	test -e log.0 && atf_fail "log.0 kept with count 0"
	atf_check -o not-match:"generation" cat log
	# Files that only look like archives are left alone.
	touch log.20260101 log.01 log.5.zip
	echo "$PWD/log	600 2 * * N" >conf
	atf_check -s exit:0 "$NS" -r -F -f conf
	test -e log.20260101 -a -e log.01 -a -e log.5.zip ||
	    atf_fail "a file that is not an archive was removed"
}

# comp_case flag suffix tool
comp_case()
{
	setup
	mklog log 500 "$1"
	cp log orig
	echo "$PWD/log	640 3 * * ${1}N" >conf
	atf_check -s exit:0 -e empty -o match:"^$3 $PWD/log.0$" \
	    "$NS" -rv -F -f conf
	test -f log.0 && atf_fail "log.0 left uncompressed"
	test -f "log.0$2" || atf_fail "no log.0$2"
	atf_check -s exit:0 "$3" -t "log.0$2"
	"$3" -dc "log.0$2" >plain
	atf_check -o file:orig head -n 500 plain
	atf_check -o match:"log file turned over" tail -n 1 plain
	atf_check -o inline:"640\n" stat -c %a "log.0$2"
	# The next rotation shifts the compressed archive.
	atf_check -s exit:0 "$NS" -r -F -f conf
	test -f "log.1$2" -a -f "log.0$2" || atf_fail "archives not shifted"
	atf_check -s exit:0 "$3" -t "log.1$2"
	atf_check -o file:orig sh -c "$3 -dc log.1$2 | head -n 500"
}

atf_test_case compress_gzip
compress_gzip_head()
{
	atf_set descr "Z compresses the archives with gzip"
	atf_set require.progs gzip
}
compress_gzip_body()
{
	comp_case Z .gz gzip
	# The gzip header keeps the name and the time of the archive.
	atf_check -o match:"log.0" sh -c 'gzip -lN log.1.gz'
}

atf_test_case compress_bzip2
compress_bzip2_head()
{
	atf_set descr "J compresses the archives with bzip2"
	atf_set require.progs bzip2
}
compress_bzip2_body()
{
	comp_case J .bz2 bzip2
}

atf_test_case compress_xz
compress_xz_head()
{
	atf_set descr "X compresses the archives with xz"
	atf_set require.progs xz
}
compress_xz_body()
{
	comp_case X .xz xz
}

atf_test_case compress_flags
compress_flags_head()
{
	atf_set descr "The last of J, X, Z wins; P leaves .0 uncompressed; strays are compressed"
	atf_set require.progs "gzip xz"
}
compress_flags_body()
{
	setup
	for f in jz zx p stray; do mklog $f 20; done
	mklog stray.0 5 old
	mklog stray.1 5 older
	cat >conf <<EOF
$PWD/jz	644 3 * * JZN
$PWD/zx	644 3 * * zxN
$PWD/p	644 3 * * ZPN
$PWD/stray	644 3 * * ZN
EOF
	atf_check -s exit:0 "$NS" -r -F -f conf
	test -f jz.0.gz || atf_fail "JZ did not use gzip"
	test -f zx.0.xz || atf_fail "ZX did not use xz"
	test -f p.0 || atf_fail "P compressed .0"
	test -f p.0.gz && atf_fail "P compressed .0"
	# Archives left uncompressed are compressed before they are shifted.
	test -f stray.1.gz -a -f stray.2.gz -a -f stray.0.gz ||
	    atf_fail "stray archives were not compressed"
	test -e stray.1 -o -e stray.2 && atf_fail "uncompressed archives remain"
	atf_check -o match:"old 1" sh -c 'gzip -dc stray.1.gz'
	atf_check -o match:"older 1" sh -c 'gzip -dc stray.2.gz'
	# P: the .0 of the last run is compressed when it becomes .1.
	atf_check -s exit:0 "$NS" -r -F -f conf
	test -f p.0 -a -f p.1.gz || atf_fail "P: .1 not compressed"
}

atf_test_case owner_mode
owner_mode_head()
{
	atf_set descr "Sets owner, group and mode; keeps the owner when none is given"
	atf_set require.user root
}
owner_mode_body()
{
	setup
	getent passwd nobody >/dev/null || atf_skip "no user nobody"
	group=$(id -gn nobody)
	mklog log 20
	mklog keep 20
	mklog grp 20
	chmod 644 log keep grp
	chown nobody:"$group" keep
	cat >conf <<EOF
$PWD/log	nobody:$group 640 3 * * ZN
$PWD/keep	600 3 * * ZN
$PWD/grp	:$group 604 3 * * N
EOF
	atf_check -s exit:0 "$NS" -F -f conf
	for f in log log.0.gz; do
		atf_check -o inline:"nobody:$group\n" stat -c %U:%G $f
		atf_check -o inline:"640\n" stat -c %a $f
	done
	for f in keep keep.0.gz; do
		atf_check -o inline:"nobody:$group\n" stat -c %U:%G $f
		atf_check -o inline:"600\n" stat -c %a $f
	done
	for f in grp grp.0; do
		atf_check -o inline:"root:$group\n" stat -c %U:%G $f
		atf_check -o inline:"604\n" stat -c %a $f
	done
	# Shifted archives get the owner and mode too.
	chown root:root log.0.gz
	chmod 666 log.0.gz
	atf_check -s exit:0 "$NS" -F -f conf
	atf_check -o inline:"nobody:$group\n" stat -c %U:%G log.1.gz
	atf_check -o inline:"640\n" stat -c %a log.1.gz
}

atf_test_case nonroot cleanup
nonroot_head()
{
	atf_set descr "Needs root unless -r; with -r rotates the user's own files"
	atf_set require.progs "setpriv"
}
nonroot_body()
{
	setup
	if [ "$(id -u)" -eq 0 ]; then
		getent passwd nobody >/dev/null || atf_skip "no user nobody"
		d=$(mktemp -d /tmp/newsyslog-nonroot.XXXXXX)
		echo "$d" >nonroot.dir
		chown nobody "$d"
		chmod 755 "$d"
		run="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
		user=nobody
	else
		d=$PWD
		run=
		user=$(id -un)
	fi
	cp "$NS" "$d/newsyslog"
	chmod 755 "$d/newsyslog"
	$run sh -c "cd $d && touch log other &&
	    awk 'BEGIN { for (i = 0; i < 100; i++) print \"Nov 23 12:00:00 h a: x\", i }' >log"
	cat >"$d/conf" <<EOF
$d/log	$user: 640 2 * * ZN
EOF
	chmod 644 "$d/conf"
	atf_check -s exit:1 -e match:"must be run as root" \
	    $run "$d/newsyslog" -F -f "$d/conf"
	test -f "$d/log.0.gz" && atf_fail "rotated without -r"
	atf_check -s exit:0 -e empty $run "$d/newsyslog" -r -F -f "$d/conf"
	test -f "$d/log.0.gz" || atf_fail "not rotated with -r"
	atf_check -o inline:"$user\n$user\n" stat -c %U "$d/log" "$d/log.0.gz"
	atf_check -o inline:"640\n" stat -c %a "$d/log"
	# As another user, an entry may not name a different owner.
	if [ -n "$run" ]; then
		echo "$d/other	root:root 640 2 * * N" >>"$d/conf"
		atf_check -s exit:1 -e match:"conf:2: .*other: the owner must be you" \
		    $run "$d/newsyslog" -r -F -f "$d/conf"
		test -f "$d/log.1.gz" || atf_fail "log not rotated again"
		test -f "$d/other.0" && atf_fail "other was rotated"
	fi
	return 0
}
nonroot_cleanup()
{
	[ -s nonroot.dir ] && rm -rf "$(cat nonroot.dir)"
	return 0
}

atf_test_case dry_run cleanup
dry_run_head()
{
	atf_set descr "-n prints what would be done and changes nothing"
}
dry_run_body()
{
	setup
	mklog log 100
	mklog t 100
	mklog t.0 10
	mklog t.1 10
	mklog t.2.bz2 1
	mklog d 10
	start_logd h.pid d
	cat >conf <<EOF
$PWD/log	640 3 1 * ZN
$PWD/t	640 3 * * JN
$PWD/miss	640 3 * * CN
$PWD/d	640 3 * * Z $PWD/h.pid
EOF
	snap() {
		find . -mindepth 1 ! -name 'snap*' | sort | while read -r f; do
			stat -c '%n %s %a %U %G %Y %i' "$f"
			[ -f "$f" ] && md5sum <"$f"
		done
		return 0
	}
	snap >snap.before
	pid=$(cat h.pid)
	atf_check -s exit:0 -e empty \
	    -o match:"^rm $PWD/t.2.bz2$" \
	    -o match:"^bzip2 $PWD/t.1$" \
	    -o match:"^mv $PWD/t.0 $PWD/t.1$" \
	    -o match:"^ln $PWD/log $PWD/log.0$" \
	    -o match:"^gzip $PWD/log.0$" \
	    -o match:"^create $PWD/miss$" \
	    -o match:"^kill -HUP $pid$" \
	    -o match:"^gzip $PWD/d.0$" \
	    "$NS" -n -F -f conf
	snap >snap.after
	atf_check -o empty diff snap.before snap.after
	test -e miss && atf_fail "-n created a file"
	atf_check -o not-match:"late|reopened" cat d
}
dry_run_cleanup()
{
	kill_from h.pid
}

atf_test_case malformed_lines
malformed_lines_head()
{
	atf_set descr "Reports each malformed line with its file and line number; runs the others"
}
malformed_lines_body()
{
	setup
	mklog good1 100
	mklog good2 100
	cat >conf <<EOF
# newsyslog.conf with mistakes
$PWD/good1	644 1 1 * N
$PWD/bad1	644 x 1 *
relative	644 1 1 *
$PWD/bad2	644 1 1 * Q
$PWD/good2	\\
	644 1 1 * N
$PWD/bad3	644 1 1 \$W9
$PWD/bad4	nosuchuser:nosuchgroup 644 1 1 *
$PWD/bad5	644 1 1 * N /pid SIGFOO
$PWD/bad6	648 1 1 *
$PWD/bad7	644 1 1 @T25
$PWD/bad8	644 1 1
$PWD/good1	644 1 1 * N
EOF
	atf_check -s exit:1 -o ignore -e save:err "$NS" -r -f conf
	atf_check -o match:"^newsyslog: conf:3: bad count \"x\"" cat err
	atf_check -o match:"^newsyslog: conf:4: log file \"relative\" is not an absolute path" cat err
	atf_check -o match:"^newsyslog: conf:5: unknown flag \"Q\"" cat err
	atf_check -o match:"^newsyslog: conf:8: .*weekday" cat err
	atf_check -o match:"^newsyslog: conf:9: unknown user \"nosuchuser\"" cat err
	atf_check -o match:"^newsyslog: conf:10: unknown signal \"SIGFOO\"" cat err
	atf_check -o match:"^newsyslog: conf:11: bad mode \"648\"" cat err
	atf_check -o match:"^newsyslog: conf:12: hour 25" cat err
	atf_check -o match:"^newsyslog: conf:13: too few fields" cat err
	atf_check -o match:"^newsyslog: conf:14: second entry for $PWD/good1 \(the first is at conf:2\)" cat err
	atf_check -o inline:"10\n" sh -c 'wc -l <err | tr -d " "'
	test -f good1.0 || atf_fail "good1 was not rotated"
	test -f good2.0 || atf_fail "good2 was not rotated"
	# The same from standard input.
	rm -f good1.0
	mklog good1 100
	atf_check -s exit:1 -o ignore \
	    -e match:"^newsyslog: \(stdin\):3: bad count" \
	    sh -c "\"$NS\" -r -f - <conf"
	test -f good1.0 || atf_fail "good1 was not rotated from stdin"
}

atf_test_case stdin_and_list
stdin_and_list_head()
{
	atf_set descr "-f - reads stdin; file operands limit the run"
}
stdin_and_list_body()
{
	setup
	mklog a 100
	mklog b 100
	printf '%s\n' "$PWD/a 644 2 1 * N" "$PWD/b 644 2 1 * N" >conf
	atf_check -s exit:0 -o empty -e empty sh -c "\"$NS\" -r -f - \"$PWD/b\" <conf"
	test -f b.0 || atf_fail "b not rotated"
	test -f a.0 && atf_fail "a rotated although not listed"
	atf_check -s exit:1 -e match:"$PWD/c: not in conf" "$NS" -r -f conf "$PWD/c"
	test -f a.0 && atf_fail "a rotated after an unknown operand"
	return 0
}

atf_test_case notice_format
notice_format_head()
{
	atf_set descr "The turned-over notice is in the log's own format"
}
notice_format_body()
{
	setup
	NEWSYSLOG_NOW=2026-03-10T12:34:56Z
	export NEWSYSLOG_NOW
	mklog bsd 3
	printf '%s\n' "2026-11-23T12:00:00.123456+00:00 host app 1 - - x" \
	    "2026-11-23T12:00:01.123456+00:00 host app 1 - - y" >rfc
	printf '%s\n' "<13>Nov 23 12:00:00 host app: x" >pri
	printf '%s\n' "<13>1 2026-11-23T12:00:00Z host app 1 - - x" >pri5424
	: >empty
	printf 'partial' >partial
	printf '\001\002\003' >bin
	cp bin bin.orig
	for f in bsd rfc pri pri5424 empty partial; do
		echo "$PWD/$f 644 2 * * N"
	done >conf
	echo "$PWD/bin 644 2 * * BN" >>conf
	atf_check -s exit:0 "$NS" -r -F -f conf
	host=$(hostname | sed 's/\..*//')
	fqdn=$(hostname)
	bsdline="Mar 10 12:34:56 $host newsyslog\[[0-9]+\]: log file turned over"
	rfcline="2026-03-10T12:34:56.000000\+00:00 $fqdn newsyslog [0-9]+ - - log file turned over"
	for f in bsd empty partial; do
		atf_check -o match:"^$bsdline$" tail -n 1 $f.0
		atf_check -o match:"^$bsdline$" cat $f
	done
	atf_check -o match:"^$rfcline$" tail -n 1 rfc.0
	atf_check -o match:"^$rfcline$" cat rfc
	atf_check -o match:"^<46>$bsdline$" tail -n 1 pri.0
	atf_check -o match:"^<46>1 $rfcline$" tail -n 1 pri5424.0
	atf_check -o inline:"partial\n" head -n 1 partial.0
	# B: binary, no notice anywhere.
	atf_check -s exit:0 cmp bin.orig bin.0
	atf_check -o inline:"0\n" stat -c %s bin
}

atf_test_case create_flag
create_flag_head()
{
	atf_set descr "C creates a missing log; without C it is skipped"
}
create_flag_body()
{
	setup
	cat >conf <<EOF
$PWD/new	640 3 * * CN
$PWD/absent	640 3 * * N
EOF
	atf_check -s exit:0 -e empty -o match:"new: missing, created" \
	    -o match:"absent: missing, skipped" "$NS" -rv -f conf
	test -f new || atf_fail "new not created"
	test -e absent && atf_fail "absent was created"
	atf_check -o inline:"640 0\n" stat -c '%a %s' new
	test -e new.0 && atf_fail "new was rotated"
	return 0
}

atf_test_case signal_wait cleanup
signal_wait_head()
{
	atf_set descr "Signals the daemon once and compresses .0 only after it reopened"
}
signal_wait_body()
{
	setup
	touch log other
	# h_logd reopens 1.5 s after SIGHUP and writes "late" into the old
	# file first: compressing before the reopen would lose that line.
	start_logd h.pid log -d 1500
	cat >conf <<EOF
$PWD/log	644 3 * * Z $PWD/h.pid
$PWD/other	644 3 * * Z $PWD/h.pid SIGHUP
EOF
	atf_check -s exit:0 -e empty -o match:"kill -HUP $(cat h.pid)" \
	    -o match:"let go of $PWD/log.0 after" "$NS" -rv -F -f conf
	atf_check -o inline:"started\nlate\n" \
	    sh -c 'gzip -dc log.0.gz | grep -v "turned over"'
	wait_until 'grep -q reopened log'
	atf_check -o match:"turned over" head -n 1 log
	test -f other.0.gz || atf_fail "other not compressed"
	# One signal for both entries: one reopen.
	atf_check -o inline:"1\n" sh -c 'grep -c reopened log'
}
signal_wait_cleanup()
{
	kill_from h.pid
}

atf_test_case signal_wait_portable cleanup
signal_wait_portable_head()
{
	atf_set descr "Without access to /proc/PID/fd, waits until the daemon writes to the new log"
}
signal_wait_portable_body()
{
	setup
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || atf_skip "needs setpriv to run as nobody"
		getent passwd nobody >/dev/null || atf_skip "no user nobody"
		d=$(mktemp -d /tmp/newsyslog-portable.XXXXXX)
		echo "$d" >portable.dir
		chown nobody "$d"
		chmod 755 "$d"
		run="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	else
		d=$PWD
		run=
	fi
	cp "$NS" "$(atf_get_srcdir)/h_logd" "$d/"
	chmod 755 "$d/newsyslog" "$d/h_logd"
	echo "$d/h.pid" >logd.pidfile
	$run touch "$d/log"
	# -P: not dumpable, so /proc/PID/fd is root's alone (on Linux).
	$run "$d/h_logd" -P -d 1000 "$d/h.pid" "$d/log" &
	wait_for -s "$d/h.pid"
	pid=$(cat "$d/h.pid")
	if [ -d /proc/$pid/fd ]; then
		$run ls /proc/$pid/fd >/dev/null 2>&1 &&
		    atf_skip "/proc/$pid/fd is readable: the portable rule cannot be isolated here"
	fi
	echo "$d/log	644 3 * * Z $d/h.pid" >"$d/conf"
	atf_check -s exit:0 -e empty -o match:"let go of $d/log.0 after" \
	    $run "$d/newsyslog" -rv -F -f "$d/conf"
	atf_check -o inline:"started\nlate\n" \
	    sh -c "gzip -dc $d/log.0.gz | grep -v 'turned over'"
	atf_check -o match:"reopened" cat "$d/log"
}
signal_wait_portable_cleanup()
{
	[ -s logd.pidfile ] && kill_from "$(cat logd.pidfile)"
	[ -s portable.dir ] && rm -rf "$(cat portable.dir)"
	return 0
}

atf_test_case no_reopen cleanup
no_reopen_head()
{
	atf_set descr "Leaves .0 uncompressed when the daemon does not reopen in time"
	atf_set timeout 120
}
no_reopen_body()
{
	setup
	touch log
	start_logd h.pid log -i
	echo "$PWD/log	644 3 * * Z $PWD/h.pid" >conf
	atf_check -s exit:1 -o ignore \
	    -e match:"log.0 left uncompressed: pid $(cat h.pid) did not reopen" \
	    "$NS" -rv -F -f conf
	test -f log.0 || atf_fail "log.0 missing"
	test -f log.0.gz && atf_fail "log.0 compressed while still open"
	wait_until "grep -q 'hup ignored' log.0"
	kill_from h.pid
	# The next run compresses it as it shifts it (-s: no signal).
	atf_check -s exit:0 -o empty -e empty "$NS" -r -s -F -f conf
	test -f log.1.gz -a -f log.0.gz || atf_fail "not compressed later"
	atf_check -o match:"hup ignored" sh -c 'gzip -dc log.1.gz'
}
no_reopen_cleanup()
{
	kill_from h.pid
}

atf_test_case no_signal cleanup
no_signal_head()
{
	atf_set descr "-s and N send no signal"
}
no_signal_body()
{
	setup
	touch log nlog
	start_logd h.pid log
	cat >conf <<EOF
$PWD/log	644 3 * * Z $PWD/h.pid
$PWD/nlog	644 3 * * ZN $PWD/h.pid
EOF
	atf_check -s exit:0 -o not-match:"kill" "$NS" -rv -s -F -f conf
	test -f log.0.gz || atf_fail ".0 not compressed"
	echo "$PWD/nlog	644 3 * * ZN $PWD/h.pid" >conf
	atf_check -s exit:0 -o not-match:"kill" "$NS" -rv -F -f conf
	# The daemon is still alive and got no SIGHUP.
	kill -0 "$(cat h.pid)" || atf_fail "h_logd died"
	atf_check -o not-match:"late|reopened" sh -c 'gzip -dc log.0.gz; cat log'
}
no_signal_cleanup()
{
	kill_from h.pid
}

atf_test_case bad_usage
bad_usage_head()
{
	atf_set descr "Bad options, NEWSYSLOG_NOW and config paths are errors"
}
bad_usage_body()
{
	setup
	atf_check -s exit:1 -e match:"usage: newsyslog" "$NS" -x
	atf_check -s exit:1 -e match:"NEWSYSLOG_NOW=\"tomorrow\"" \
	    env NEWSYSLOG_NOW=tomorrow "$NS" -r -f /dev/null
	atf_check -s exit:1 -e match:"nonexistent" "$NS" -r -f "$PWD/nonexistent"
	atf_check -s exit:0 -o empty -e empty "$NS" -r -f /dev/null
}

atf_test_case sample_config
sample_config_head()
{
	atf_set descr "The sample etc/newsyslog.conf is valid"
}
sample_config_body()
{
	setup
	sample="$(atf_get_srcdir)/../../etc/newsyslog.conf"
	[ -f "$sample" ] || atf_fail "$sample is missing"
	sed "s|/var/log/|$PWD/|" "$sample" >conf
	atf_check -s exit:0 -e empty -o match:"messages: missing, created" \
	    "$NS" -n -f conf
	atf_check -s exit:0 -e empty -o ignore "$NS" -r -s -f conf
	test -f messages || atf_fail "C did not create messages"
}

atf_test_case manual_pages
manual_pages_head()
{
	atf_set descr "newsyslog.8 and newsyslog.conf.5 are clean for mandoc -Tlint"
	atf_set require.progs mandoc
}
manual_pages_body()
{
	man="$(atf_get_srcdir)/../../share/man"
	atf_check -s exit:0 -o empty -e empty \
	    mandoc -Tlint -Wwarning "$man/man8/newsyslog.8" \
	    "$man/man5/newsyslog.conf.5"
	# Every option of the usage line is described.
	for f in F f n r s v; do
		atf_check -o match:"^\.It Fl $f" cat "$man/man8/newsyslog.8"
	done
	# Every flag letter of the configuration is described.
	for f in B C N P J X Z; do
		atf_check -o match:"^\.It Cm $f\$" cat "$man/man5/newsyslog.conf.5"
	done
	atf_check -o match:"NEWSYSLOG_NOW" cat "$man/man8/newsyslog.8"
}

atf_test_case rotation_under_load cleanup
rotation_under_load_head()
{
	atf_set descr "Rotates while the real syslogd writes 100,000 messages: none lost, none duplicated"
	atf_set require.progs "logger gzip"
	atf_set timeout 300
}
rotation_under_load_body()
{
	setup
	syslogd="$(atf_get_srcdir)/../../syslogd/syslogd"
	[ -x "$syslogd" ] || atf_skip "$syslogd is not built"
	echo "*.*	$PWD/out.log" >syslog.conf
	touch out.log
	# -r: no "last message repeated" folding.
	"$syslogd" -F -K -r -f "$PWD/syslog.conf" -p "$PWD/log" \
	    -i "$PWD/syslogd.pid" >syslogd.out 2>&1 &
	wait_for -s syslogd.pid
	wait_for -S log
	# Rotate at 200 KiB (about 6,000 lines): a dozen or so rotations.
	echo "$PWD/out.log	644 100 200 * Z $PWD/syslogd.pid" >ns.conf
	seq 1 100000 | logger -u "$PWD/log" -t t &
	sender=$!
	runs=0
	: >ns.errors
	while kill -0 $sender 2>/dev/null; do
		"$NS" -r -f ns.conf 2>>ns.errors || echo "run $runs failed" >>ns.errors
		runs=$((runs + 1))
	done
	wait $sender || atf_fail "logger failed"
	# Wait until syslogd has written everything (or nothing more comes).
	count() {
		for f in out.log*; do
			case $f in
			*.gz) gzip -dc "$f" ;;
			*) cat "$f" ;;
			esac
		done | awk '$5 == "t:" { print $6 }'
	}
	last=-1 same=0
	while :; do
		n=$(count | wc -l)
		[ "$n" -ge 100000 ] && break
		if [ "$n" -eq "$last" ]; then
			same=$((same + 1))
			[ $same -lt 200 ] || break
		else
			same=0
		fi
		last=$n
		sleep 0.05
	done
	# A last rotation after the stream, to check the tail too.
	atf_check -s exit:0 -o ignore "$NS" -r -F -f ns.conf
	atf_check -o empty cat ns.errors
	narch=$(ls out.log.*.gz | wc -l)
	echo "$runs newsyslog runs, $narch archives"
	[ "$narch" -ge 5 ] || atf_fail "only $narch rotations during the stream"
	count >got
	sort -n got | uniq -d >dups
	atf_check -o empty cat dups
	sort -n got >sorted
	seq 1 100000 >want
	atf_check -o empty diff want sorted
	atf_check -o match:"log file turned over" sh -c 'gzip -dc out.log.0.gz'
	ls out.log.* | grep -v '\.gz$' && atf_fail "an archive left uncompressed"
	return 0
}
rotation_under_load_cleanup()
{
	kill_from syslogd.pid
}

atf_init_test_cases()
{
	atf_add_test_case size_rotation
	atf_add_test_case interval_rotation
	atf_add_test_case iso_time_rotation
	atf_add_test_case dwm_time_rotation
	atf_add_test_case archive_shift
	atf_add_test_case compress_gzip
	atf_add_test_case compress_bzip2
	atf_add_test_case compress_xz
	atf_add_test_case compress_flags
	atf_add_test_case owner_mode
	atf_add_test_case nonroot
	atf_add_test_case dry_run
	atf_add_test_case malformed_lines
	atf_add_test_case stdin_and_list
	atf_add_test_case notice_format
	atf_add_test_case create_flag
	atf_add_test_case signal_wait
	atf_add_test_case signal_wait_portable
	atf_add_test_case no_reopen
	atf_add_test_case no_signal
	atf_add_test_case bad_usage
	atf_add_test_case sample_config
	atf_add_test_case manual_pages
	atf_add_test_case rotation_under_load
}
