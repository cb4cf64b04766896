#!/bin/sh
# Installs syslog-ng privately, for the interoperability tests, under
# PREFIX (default /opt/syslog-ng-private; or $SYSLOG_NG_PREFIX):
#
#	sh tests/interop/install-syslog-ng.sh [PREFIX]
#
# Debian's syslog-ng-core conflicts with rsyslog (both provide
# system-log-daemon), so it is never installed with dpkg: its package is
# downloaded with apt-get download and unpacked with dpkg-deb -x.  Its
# dependencies (libraries, which conflict with nothing) are installed with
# apt-get when they are missing; one that apt-get cannot install is
# unpacked into PREFIX as well.  The result is run through the wrapper
# PREFIX/bin/syslog-ng, which sets the library and module paths.
# Nothing outside PREFIX is touched but the packages apt-get installs.
# Run it again to check an installation; it does nothing when it works.
set -u

PREFIX=${1:-${SYSLOG_NG_PREFIX:-/opt/syslog-ng-private}}
WRAPPER=$PREFIX/bin/syslog-ng

say() { echo "install-syslog-ng: $*" >&2; }
die() { say "$*"; exit 1; }

if [ -x "$WRAPPER" ] && "$WRAPPER" --version >/dev/null 2>&1; then
	say "already installed: $WRAPPER"
	exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "needs apt-get (Debian or Ubuntu)"
command -v dpkg-deb >/dev/null 2>&1 || die "needs dpkg-deb"
[ "$(id -u)" = 0 ] || die "must run as root (apt-get install, $PREFIX)"
export DEBIAN_FRONTEND=noninteractive

tmp=$(mktemp -d "${TMPDIR:-/tmp}/syslog-ng-dl.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
# apt-get download drops privileges to _apt where it can.
chmod 755 "$tmp"
cd "$tmp" || die "cannot cd to $tmp"

download()
{
	apt-get download "$@" >/dev/null 2>&1 && return 0
	apt-get update -qq >/dev/null 2>&1
	apt-get download "$@" >/dev/null 2>&1
}

installed()
{
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = \
	    "install ok installed" ]
}

download syslog-ng-core || die "apt-get download syslog-ng-core failed"
deb=$(ls syslog-ng-core_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "no syslog-ng-core package was downloaded"

# Depends: "a (>= 1), b | c, d" -> one group a line; a group is satisfied
# when one of its packages is installed, else its first one is needed.
missing=
for group in $(dpkg-deb -f "$deb" Depends | tr -d ' ' | tr ',' ' '); do
	first=
	ok=
	for alt in $(echo "$group" | tr '|' ' '); do
		name=${alt%%(*}
		name=${name%%:*}
		[ -n "$first" ] || first=$name
		installed "$name" && { ok=yes; break; }
	done
	[ -n "$ok" ] || missing="$missing $first"
done

unpacked=
if [ -n "$missing" ]; then
	say "installing dependencies:$missing"
	if ! apt-get install -y -qq --no-install-recommends $missing \
	    >/dev/null 2>&1; then
		apt-get update -qq >/dev/null 2>&1
		for p in $missing; do
			apt-get install -y -qq --no-install-recommends "$p" \
			    >/dev/null 2>&1 && continue
			# Could not be installed (a conflict?): unpack it.
			say "unpacking $p into $PREFIX instead"
			download "$p" || die "cannot download $p"
			unpacked="$unpacked $p"
		done
	fi
fi

rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new" || die "cannot create $PREFIX.new"
for d in ./*.deb; do
	dpkg-deb -x "$d" "$PREFIX.new" || die "dpkg-deb -x $d failed"
done

moddir=$(ls -d "$PREFIX.new"/usr/lib/syslog-ng/[0-9]* 2>/dev/null | head -n 1)
[ -n "$moddir" ] && [ -f "$moddir/libafsocket.so" ] ||
    die "no module directory with libafsocket.so in the package"
ver=${moddir##*/}

# Library directories: the private libsyslog-ng (its RUNPATH names
# /usr/lib/syslog-ng) and those of unpacked dependencies.
libpath='$P/usr/lib/syslog-ng'
for d in "$PREFIX.new"/lib/*-linux-gnu* "$PREFIX.new"/usr/lib/*-linux-gnu*; do
	[ -d "$d" ] && libpath="$libpath:\$P${d#"$PREFIX.new"}"
done

# The wrapper finds its prefix from its own path.
mkdir -p "$PREFIX.new/bin"
cat >"$PREFIX.new/bin/syslog-ng" <<WRAP
#!/bin/sh
# syslog-ng $ver, unpacked privately by tests/interop/install-syslog-ng.sh
P=\$(cd "\$(dirname "\$0")/.." && pwd) || exit 1
LD_LIBRARY_PATH="$libpath\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec "\$P/usr/sbin/syslog-ng" --module-path="\$P/usr/lib/syslog-ng/$ver" "\$@"
WRAP
chmod 755 "$PREFIX.new/bin/syslog-ng"

# Checks before the new tree replaces an old one: every library of the
# daemon and of its modules resolves, and a TLS configuration parses.
LD_LIBRARY_PATH=$(P=$PREFIX.new; eval "echo \"$libpath\"")
export LD_LIBRARY_PATH
for f in "$PREFIX.new/usr/sbin/syslog-ng" "$moddir"/*.so; do
	if ldd "$f" 2>/dev/null | grep -q 'not found'; then
		die "unresolved libraries in $f:" \
		    "$(ldd "$f" | grep 'not found' | tr '\n' ' ')"
	fi
done
unset LD_LIBRARY_PATH

tls=
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj /CN=check -days 1 -keyout "$tmp/k.pem" -out "$tmp/c.pem" \
    >/dev/null 2>&1; then
	tls="transport(\"tls\") tls(key-file(\"$tmp/k.pem\")
	    cert-file(\"$tmp/c.pem\") peer-verify(optional-untrusted))"
fi
cat >"$tmp/check.conf" <<CONF
@version: $ver
source s { network(ip(127.0.0.1) port(1) $tls); };
destination d { file("/dev/null"); };
log { source(s); destination(d); };
CONF
"$PREFIX.new/bin/syslog-ng" --syntax-only -f "$tmp/check.conf" \
    >"$tmp/check.out" 2>&1 ||
    die "the new syslog-ng fails its check: $(cat "$tmp/check.out")"

rm -rf "$PREFIX.old"
if [ -e "$PREFIX" ]; then
	mv "$PREFIX" "$PREFIX.old" || die "cannot move the old $PREFIX away"
fi
mv "$PREFIX.new" "$PREFIX" || die "cannot move $PREFIX.new to $PREFIX"
rm -rf "$PREFIX.old"
say "installed syslog-ng $ver in $PREFIX${unpacked:+ (with$unpacked unpacked there)}; run it as $WRAPPER"
