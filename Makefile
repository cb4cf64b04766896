# syslogd, syslog-verify and newsyslog.  Works with GNU make (4.0 or later) and bmake.
#   make            build
#   make run        start syslogd in the foreground with a demo configuration
#   make check      build and run the whole test suite with kyua
#   make check SANITIZE=1   the same under AddressSanitizer and UBSan
#   make install    PREFIX, DESTDIR, MANDIR, SBINDIR are honoured
include mk/common.mk

all:
	cd syslogd && $(MAKE) all
	cd syslog-verify && $(MAKE) all
	cd newsyslog && $(MAKE) all

tests: all
	cd tests && $(MAKE) all

check: tests
	sh tests/run-kyua.sh

run: all
	sh etc/demo/run.sh

# the benchmark suite against rsyslog and syslog-ng (tests/bench/README.bench),
# with a static copy of syslogd beside the usual one;
# make bench BENCH_ARGS=--quick for a short run
bench: all
	cd tests/bench && $(MAKE) all syslogd-static && sh bench.sh $(BENCH_ARGS)

install: all
	cd syslogd && $(MAKE) install
	cd syslog-verify && $(MAKE) install
	cd newsyslog && $(MAKE) install
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(EXAMPLESDIR)
	$(INSTALL) -m 444 share/man/man5/syslog.conf.5 share/man/man5/newsyslog.conf.5 $(DESTDIR)$(MANDIR)/man5
	$(INSTALL) -m 444 share/man/man8/syslogd.8 share/man/man8/syslog-verify.8 \
	    share/man/man8/newsyslog.8 $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 444 etc/syslog.conf etc/newsyslog.conf $(DESTDIR)$(EXAMPLESDIR)

clean:
	cd syslogd && $(MAKE) clean
	cd syslog-verify && $(MAKE) clean
	cd newsyslog && $(MAKE) clean
	cd tests && $(MAKE) clean
	rm -rf run

.PHONY: all tests check run bench install clean
