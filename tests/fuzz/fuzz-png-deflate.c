/* fuzz-png-deflate.c - the PNG image-data compressor (png-deflate.c and
 * its encoder deflate.c) against zlib's inflate.  The input's first 6
 * bytes give the shape: bytes a pixel (1-8), width (1-16384 pixels, so
 * rows can be further apart than deflate's 32 KiB window), height (1-256)
 * and how far each row's start moves through the payload; the rest is the
 * payload, tiled over the rows (so rows, pixels and edges repeat as in a
 * cloud).  The stream must inflate (adler32 checked) to the image, and be
 * the same bytes on 1 and 2 threads. */
#include "fuzz.h"
#include "render/png-deflate.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Keeps each input quick: 4 bands at most. */
#define MAX_IMAGE ((size_t)4 << 20)

static void fill_image(uint8_t *img, size_t pitch, int h, size_t shift, const uint8_t *pay,
                       size_t n)
{
    for (int j = 0; j < h; j++) {
        uint8_t *row = img + (size_t)j * pitch;
        row[0] = 0; /* filter NONE, as the renderer writes */
        if (n == 0) {
            memset(row + 1, 0, pitch - 1);
            continue;
        }
        size_t at = ((size_t)j * shift) % n;
        for (size_t i = 1; i < pitch; i++) {
            row[i] = pay[at];
            at = at + 1 == n ? 0 : at + 1;
        }
    }
}

static bool inflates_to(const uint8_t *z, size_t z_len, const uint8_t *want, size_t len)
{
    uint8_t *got = malloc(len + 1);
    uLongf got_len = (uLongf)(len + 1);
    bool ok = got && uncompress(got, &got_len, z, (uLong)z_len) == Z_OK && got_len == len &&
              memcmp(got, want, len) == 0;
    free(got);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6) {
        return 0;
    }
    int bpp = 1 + data[0] % 8;
    size_t w = 1 + (((size_t)data[1] | (size_t)data[2] << 8) % 16384);
    int h = 1 + data[3];
    size_t shift = (size_t)data[4] | (size_t)data[5] << 8;
    size_t pitch = 1 + w * (size_t)bpp;
    while (h > 1 && pitch * (size_t)h > MAX_IMAGE) {
        h /= 2;
    }
    size_t len = pitch * (size_t)h;
    uint8_t *img = malloc(len);
    if (!img) {
        return 0;
    }
    fill_image(img, pitch, h, shift, data + 6, size - 6);
    uint8_t *z1 = NULL, *z2 = NULL;
    size_t z1_len = 0, z2_len = 0;
    vc_error err = {0};
    if (!vc_png_deflate(img, pitch, h, bpp, 1, NULL, NULL, &z1, &z1_len, &err) ||
        !vc_png_deflate(img, pitch, h, bpp, 2, NULL, NULL, &z2, &z2_len, &err)) {
        __builtin_trap(); /* only memory can run out, and these are small */
    }
    if (z1_len != z2_len || memcmp(z1, z2, z1_len) != 0 || !inflates_to(z1, z1_len, img, len)) {
        __builtin_trap();
    }
    free(z1);
    free(z2);
    free(img);
    return 0;
}
