/*
 * The entry point every fuzz target defines.  The same target is built
 * two ways: with libFuzzer (fuzz.sh, clang) to search for inputs, and with
 * replay.c to run the stored corpus in "make check" with any compiler.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which, and crash so that the fuzzer keeps the input. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* Lines in a configuration text: the highest line an error may name. */
static inline long
fuzz_lines(const uint8_t *data, size_t size)
{
	long n = 1;

	for (size_t i = 0; i < size; i++)
		if (data[i] == '\n')
			n++;
	return n;
}

#endif
