/* deflate.h - private to png-deflate.c and its tests: a raw deflate
 * (RFC 1951) encoder for PNG image data, fast on word clouds and a pure
 * function of its input, so the same bytes always give the same stream. */
#ifndef VC_DEFLATE_H
#define VC_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most bytes vc_deflate_raw writes for `len` input bytes. */
size_t vc_deflate_bound(size_t len);

/* Compresses `len` bytes at `in`, rows of `pitch` bytes of pixels of `bpp`
 * bytes (the two distances it tries first: the pixel to the left and the
 * row above), into a raw deflate stream at `out` (room for
 * vc_deflate_bound(len) bytes); returns its length, or 0 when out of
 * memory.  `last`: the final block ends the stream; otherwise the stream
 * ends with an empty stored block (a sync flush) on a byte boundary, so
 * another raw stream can follow it. */
size_t vc_deflate_raw(const uint8_t *in, size_t len, size_t pitch, unsigned bpp, bool last,
                      uint8_t *out);

#endif
