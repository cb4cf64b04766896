/*
 * Linked into every atf-c test program (tests/syslogd, tests/newsyslog):
 * under "make SANITIZE=1", LeakSanitizer ignores what libatf-c itself
 * never frees (its test case list, in frames too shallow to match by
 * function name), quietly, since kyua takes any output on stderr for a
 * broken test program.  Leaks in our own code are still reported.
 * Unused otherwise.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libatf-c.so\n";
}

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
