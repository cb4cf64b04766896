# Shared settings for every Makefile of the tree.  Plain make syntax only:
# it must work with GNU make (4.0 or later, for !=) and with bmake.

CC ?= cc
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
EXAMPLESDIR ?= $(PREFIX)/share/examples/syslogd
INSTALL ?= install

PKG_CONFIG ?= pkg-config
DEP_CFLAGS != $(PKG_CONFIG) --cflags libevent_core libevent_extra libevent_openssl openssl 2>/dev/null || true
DEP_LIBS != $(PKG_CONFIG) --libs libevent_core libevent_extra libevent_openssl openssl 2>/dev/null || echo "-levent_core -levent_extra -levent_openssl -lssl -lcrypto"
# `make STATIC_LINK=1` links syslogd statically: a third of the memory at start
# (README, "Build and install"), but its text at a fixed address (no PIE).
# `make STATIC_LINK=pie` links a static PIE (C libraries that support it, as
# glibc): the address is random at every start, for half a MiB more.
# Not STATIC: bmake's sys.mk on Linux sets that to -Bstatic.
STATIC_LINK ?= 0
DEP_LIBS_STATIC != $(PKG_CONFIG) --static --libs libevent_core libevent_extra libevent_openssl openssl 2>/dev/null || echo "-levent_core -levent_extra -levent_openssl -lssl -lcrypto -pthread"
# -pthread: sender names are looked up in worker threads (resolver.c).
DAEMON_LIBS_0 = $(DEP_LIBS) -pthread
DAEMON_LIBS_1 = -static $(DEP_LIBS_STATIC) -pthread
DAEMON_LIBS_pie = -static-pie $(DEP_LIBS_STATIC) -pthread
DAEMON_LIBS = $(DAEMON_LIBS_$(STATIC_LINK))
# When the compiler can link with lld, the static link lays out the code in
# the order of syslogd/syslogd.order (tests/bench/linkorder.sh): what the
# daemon runs is then contiguous, and the kernel maps less of the binary
# around it.  LINK_ORDER=no links in the archives' order.  The test is in
# backquotes so that it runs only when the static binary is linked.
LINK_ORDER ?= yes
LINK_ORDER_FLAGS_yes_1 = `$(CC) -fuse-ld=lld -Wl,--version >/dev/null 2>&1 \
	&& echo -fuse-ld=lld -Wl,--symbol-ordering-file=syslogd.order \
	    -Wl,--no-warn-symbol-ordering`
LINK_ORDER_FLAGS_yes_pie = $(LINK_ORDER_FLAGS_yes_1)
LINK_ORDER_FLAGS = $(LINK_ORDER_FLAGS_$(LINK_ORDER)_$(STATIC_LINK))
ATF_CFLAGS != $(PKG_CONFIG) --cflags atf-c 2>/dev/null || true
ATF_LIBS != $(PKG_CONFIG) --libs atf-c 2>/dev/null || echo -latf-c

# `make SANITIZE=1` builds with AddressSanitizer and UBSan.
SANITIZE ?= 0
SAN_FLAGS_0 =
SAN_FLAGS_1 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_FLAGS = $(SAN_FLAGS_$(SANITIZE))

WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
STD = -std=c11 -D_DEFAULT_SOURCE -D_BSD_SOURCE -D_XOPEN_SOURCE=700 -D_GNU_SOURCE
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(STD) $(WARN) -pthread $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(DEP_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)
