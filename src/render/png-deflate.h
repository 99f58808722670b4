/* png-deflate.h - private to render-png.c and its tests: the PNG image
 * data (filter byte + row, per row) compressed as one zlib stream, in row
 * bands on several threads, with the same bytes whatever the thread
 * count. */
#ifndef VC_PNG_DEFLATE_H
#define VC_PNG_DEFLATE_H

#include "render/render.h"

/* Called once per band, on the thread that compresses it, before the band
 * is compressed: fills rows [y0, y1) (e.g. composites the words that
 * cross them), row y0 at `rows` (its filter byte), the next `pitch` bytes
 * on.  Must touch only those rows and cannot fail. */
typedef void (*vc_band_fill_fn)(void *user, uint8_t *rows, int y0, int y1);

/* The bands `h` rows of `pitch` bytes are cut into: fixed by the image's
 * size alone, so the output never depends on the machine. */
int vc_png_band_count(size_t pitch, int h);

/* The zlib stream in pieces, as it is made: its 2-byte header, each
 * band's raw deflate stream, the 4-byte adler32.  Written out piece by
 * piece (vc_png_zstream_piece), it is never copied into one buffer. */
typedef struct vc_png_zstream {
    uint8_t head[2];
    uint8_t tail[4];
    int n_bands;
    uint8_t **band;    /* n_bands streams, owned */
    size_t *band_len;
    size_t len;        /* bytes of the whole stream */
} vc_png_zstream;

/* Piece k (0: the header, 1..n_bands: the bands, n_bands + 1: the
 * adler32) at *p; returns its length (0 past the end). */
size_t vc_png_zstream_piece(const vc_png_zstream *z, int k, const uint8_t **p);
void vc_png_zstream_finish(vc_png_zstream *z);

/* Compresses `h` rows of `pitch` bytes, each row its filter byte then its
 * pixels, into *out.  With `data` NULL the image is never held whole:
 * `fill` (then required) makes each band in a buffer of the thread that
 * compresses it, so memory is a band per thread, not the image.
 * Otherwise the rows are at `data`, and `fill`, when not NULL, fills them
 * in place.  Bands are raw deflate streams ended by a sync flush (the last
 * by a final block); the adler32 of the whole is combined from the
 * bands'.  `threads` is an upper bound (0: the number of online CPUs, at
 * most 8); a thread that cannot start leaves its bands to the others, so
 * the bytes are the same.  `bpp`: bytes a pixel (1-8), the distance of
 * the pixel to the left. */
bool vc_png_deflate_stream(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                           vc_band_fill_fn fill, void *user, vc_png_zstream *out,
                           vc_error *err);

/* vc_png_deflate_stream with the image at `data`, its stream joined into
 * one buffer (*out, malloc'd, *out_len bytes; the caller frees it): for
 * the tests and the fuzzer, which compare whole streams. */
bool vc_png_deflate(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                    vc_band_fill_fn fill, void *user, uint8_t **out, size_t *out_len,
                    vc_error *err);

#endif
