/* fuzz.h - shared helpers for the libFuzzer targets: each target defines
 * LLVMFuzzerTestOneInput; replay-main.c or libFuzzer drives it. */
#ifndef VC_FUZZ_H
#define VC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes `data` to a fresh file in /dev/shm (or $TMPDIR, /tmp) and returns
 * its path (caller frees and unlinks), or NULL. */
char *fuzz_write_temp(const uint8_t *data, size_t size, const char *suffix);

#endif
