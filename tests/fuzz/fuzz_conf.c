/*
 * conf_parse() on any text: selectors, program and host blocks, options
 * and every action syntax, including the TLS destination options.
 *
 * Invariants: no crash, leak or unbounded work; every error names the
 * file and a line that exists ("fuzz.conf:N: ..." with 1 <= N <= the
 * number of lines), as the manual promises for every configuration error;
 * and every rule keeps a line number in range.
 */
#include <stdbool.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

static const char file[] = "fuzz.conf";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist errors = { NULL, 0 };
	struct conf_env env;
	struct conf *c;
	long lines;
	char *end;

	if (size == 0)
		return 0;
	env.eq_default = (data[0] & 1) != 0;
	data++;
	size--;
	lines = fuzz_lines(data, size);
	c = conf_parse((const char *)data, size, file, &env, &errors);
	if (c == NULL) {
		strlist_free(&errors);
		return 0;
	}
	for (size_t i = 0; i < errors.n; i++) {
		const char *e = errors.v[i];
		long line;

		FUZZ_CHECK(strncmp(e, file, sizeof(file) - 1) == 0);
		FUZZ_CHECK(e[sizeof(file) - 1] == ':');
		line = strtol(e + sizeof(file), &end, 10);
		FUZZ_CHECK(end != e + sizeof(file) && *end == ':');
		FUZZ_CHECK(line >= 1 && line <= lines);
	}
	for (size_t i = 0; i < c->nrules; i++)
		FUZZ_CHECK(c->rules[i].line >= 1 && c->rules[i].line <= lines);
	conf_free(c);
	strlist_free(&errors);
	return 0;
}
