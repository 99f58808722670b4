/* png-deflate.h - private to render-png.c and its tests: the PNG image
 * data (filter byte + row, per row) compressed as one zlib stream, in row
 * bands on several threads, with the same bytes whatever the thread
 * count. */
#ifndef VC_PNG_DEFLATE_H
#define VC_PNG_DEFLATE_H

#include "render/render.h"

/* Called once per band, on the thread that compresses it, before the band
 * is compressed: fills rows [y0, y1) (e.g. composites the words that
 * cross them).  Must touch only those rows and cannot fail. */
typedef void (*vc_band_fill_fn)(void *user, int y0, int y1);

/* The bands `h` rows of `pitch` bytes are cut into: fixed by the image's
 * size alone, so the output never depends on the machine. */
int vc_png_band_count(size_t pitch, int h);

/* Compresses `h` rows of `pitch` bytes at `data` (each row its filter byte
 * then its pixels) into one zlib stream (*out, malloc'd, *out_len bytes;
 * the caller frees it).  Bands are raw deflate streams ended by a sync
 * flush (the last by a final block), joined after a 2-byte header and followed
 * by the adler32 of the whole, combined from the bands'.  `threads` is an
 * upper bound (0: the number of online CPUs, at most 8); a thread that
 * cannot start leaves its bands to the others, so the bytes are the same.
 * `fill` may be NULL.  `bpp`: bytes a pixel (1-8), the distance of the
 * pixel to the left. */
bool vc_png_deflate(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                    vc_band_fill_fn fill, void *user, uint8_t **out, size_t *out_len,
                    vc_error *err);

#endif
