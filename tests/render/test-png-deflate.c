/* test-png-deflate.c - the banded, multi-threaded PNG compressor: the same
 * bytes on 1, 2, 3 and 8 threads, a valid zlib stream that inflates to the
 * input, every row filled exactly once, and a rendered multi-band cloud
 * that decodes (libpng) to exactly the sequential composite of its words. */
#include "helpers.h"
#include "render/png-deflate.h"
#include "tap.h"

#include <png.h>
#include <zlib.h>

/* An image with flat runs, repeats and noise, so bands compress
 * differently and a wrong join would show. */
static uint8_t *make_image(size_t pitch, int h)
{
    uint8_t *data = malloc(pitch * (size_t)h);
    vc_rng rng;
    vc_rng_seed(&rng, 7);
    for (int j = 0; j < h; j++) {
        uint8_t *row = data + (size_t)j * pitch;
        row[0] = 0;
        for (size_t i = 1; i < pitch; i++) {
            row[i] = (j / 37) % 3 == 0 ? (uint8_t)(vc_rng_next(&rng) & 0xff)
                     : (j / 37) % 3 == 1 ? (uint8_t)(i * 7 / 40)
                                         : 0xf0;
        }
    }
    return data;
}

static bool inflates_to(const uint8_t *z, size_t z_len, const uint8_t *want, size_t len)
{
    uint8_t *got = malloc(len + 1);
    uLongf got_len = (uLongf)(len + 1);
    int rc = uncompress(got, &got_len, z, (uLong)z_len);
    bool ok = rc == Z_OK && got_len == len && memcmp(got, want, len) == 0;
    if (!ok) {
        printf("# uncompress: %d, %lu of %zu bytes\n", rc, (unsigned long)got_len, len);
    }
    free(got);
    return ok;
}

/* The zlib level renders use, and a slower one. */
#define LEVEL_FAST 1
#define LEVEL_SLOW 6

static void test_threads_same_bytes(void)
{
    size_t pitch = 1 + 1500 * 3;
    int h = 700; /* 3.15 MB: 4 bands */
    TAP_OK(vc_png_band_count(pitch, h) == 4, "3.15 MB is cut into 4 bands (%d)",
           vc_png_band_count(pitch, h));
    TAP_OK(vc_png_band_count(1 + 1920 * 3, 1080) == 6 &&
               vc_png_band_count(1 + 100 * 3, 50) == 1 && vc_png_band_count(4, 3) == 1,
           "band counts depend on the size only (1080p: 6, small: 1)");
    uint8_t *data = make_image(pitch, h);
    uint8_t *ref = NULL;
    size_t ref_len = 0;
    vc_error err = {0};
    TAP_OK(vc_png_deflate(data, pitch, h, LEVEL_FAST, 1, NULL, NULL, &ref, &ref_len, &err),
           "zlib: one thread compresses (%s)", err.message);
    TAP_OK(ref && ref_len > 6 && ref[0] == 0x78 && ((ref[0] << 8) | ref[1]) % 31 == 0,
           "a zlib header with a valid check");
    TAP_OK(ref && inflates_to(ref, ref_len, data, pitch * (size_t)h),
           "zlib: inflates (adler32 checked) to the input");
    TAP_OK(ref && ref_len < pitch * (size_t)h * 3 / 4,
           "zlib: and is smaller (%zu of %zu bytes)", ref_len, pitch * (size_t)h);
    int counts[] = {2, 3, 8, 0};
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        uint8_t *z = NULL;
        size_t z_len = 0;
        bool ok = vc_png_deflate(data, pitch, h, LEVEL_FAST, counts[k], NULL, NULL, &z,
                                 &z_len, &err);
        TAP_OK(ok && z_len == ref_len && memcmp(z, ref, ref_len) == 0,
               "zlib: %d threads (0: online CPUs) give the same %zu bytes", counts[k],
               ref_len);
        free(z);
    }
    uint8_t *zs = NULL;
    size_t zs_len = 0;
    TAP_OK(vc_png_deflate(data, pitch, h, LEVEL_SLOW, 2, NULL, NULL, &zs, &zs_len, &err) &&
               inflates_to(zs, zs_len, data, pitch * (size_t)h),
           "zlib: level %d stream inflates to the input", LEVEL_SLOW);
    free(zs);
    free(ref);
    free(data);
}

/* Noise does not shrink: the output may outgrow a guessed buffer. */
static void test_incompressible(void)
{
    size_t pitch = 1 + 900 * 3;
    int h = 400;
    uint8_t *data = malloc(pitch * (size_t)h);
    vc_rng rng;
    vc_rng_seed(&rng, 11);
    for (size_t i = 0; i < pitch * (size_t)h; i++) {
        data[i] = (uint8_t)(vc_rng_next(&rng) >> 24);
    }
    uint8_t *z = NULL;
    size_t z_len = 0;
    vc_error err = {0};
    bool ok = vc_png_deflate(data, pitch, h, LEVEL_FAST, 2, NULL, NULL, &z, &z_len, &err);
    TAP_OK(ok && inflates_to(z, z_len, data, pitch * (size_t)h),
           "zlib: %zu bytes of noise come back whole (%zu compressed)",
           pitch * (size_t)h, z_len);
    free(z);
    free(data);
}

typedef struct fill_log {
    uint8_t *data;
    size_t pitch;
    int *filled; /* times each row was filled */
} fill_log;

static void fill(void *user, int y0, int y1)
{
    fill_log *f = user;
    for (int j = y0; j < y1; j++) {
        f->filled[j]++;
        uint8_t *row = f->data + (size_t)j * f->pitch;
        row[0] = 0;
        for (size_t i = 1; i < f->pitch; i++) {
            row[i] = (uint8_t)((i * 13 + (size_t)j * 5) & 0xff);
        }
    }
}

static void test_fill(void)
{
    size_t pitch = 1 + 2000 * 4;
    int h = 301;
    fill_log f = {malloc(pitch * (size_t)h), pitch, calloc((size_t)h, sizeof(int))};
    uint8_t *z = NULL;
    size_t z_len = 0;
    vc_error err = {0};
    bool ok = vc_png_deflate(f.data, pitch, h, 1, 2, fill, &f, &z,
                             &z_len, &err);
    bool once = true;
    for (int j = 0; j < h; j++) {
        once = once && f.filled[j] == 1;
    }
    TAP_OK(ok && once, "each of %d rows filled exactly once, on 2 threads", h);
    TAP_OK(ok && inflates_to(z, z_len, f.data, pitch * (size_t)h),
           "what was filled is what was compressed");
    free(z);
    free(f.data);
    free(f.filled);
    z = NULL;
    TAP_OK(!vc_png_deflate((uint8_t *)"", 0, 0, 1, 1, NULL, NULL, &z, &z_len,
                           &err) &&
               err.status == VC_ERR_SOFTWARE && !z,
           "an empty image is refused with a message (%s)", err.message);
    uint8_t row[4] = {0, 1, 2, 3};
    TAP_OK(!vc_png_deflate(row, sizeof row, 1, 0, 1, NULL, NULL, &z, &z_len,
                           &err) &&
               !z,
           "zlib level 0 is refused (%s)", err.message);
}

/* ---- a real cloud over several bands ------------------------------------ */

static bool read_rgb(const char *path, png_image *img, uint8_t **px)
{
    memset(img, 0, sizeof *img);
    img->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(img, path)) {
        return false;
    }
    img->format = PNG_FORMAT_RGB;
    *px = malloc(PNG_IMAGE_SIZE(*img));
    return png_image_finish_read(img, NULL, *px, 0, NULL) != 0;
}

/* The canvas drawn word after word over the whole image, as the renderer
 * did before it drew in bands. */
static uint8_t *sequential(const vc_layout *L)
{
    size_t stride = (size_t)L->width * 3;
    uint8_t *px = malloc(stride * (size_t)L->height);
    for (size_t p = 0; p < (size_t)L->width * (size_t)L->height; p++) {
        px[3 * p] = (uint8_t)(L->background_rgb >> 16);
        px[3 * p + 1] = (uint8_t)(L->background_rgb >> 8);
        px[3 * p + 2] = (uint8_t)L->background_rgb;
    }
    for (size_t k = 0; k < L->n_placed; k++) {
        const vc_placed_word *pw = &L->placed[k];
        for (int j = 0; j < pw->ink.h; j++) {
            for (int i = 0; i < pw->ink.w; i++) {
                unsigned a = pw->ink.alpha[(size_t)j * (size_t)pw->ink.stride + (size_t)i];
                long x = pw->x + pw->ink.x0 + i, y = pw->y + pw->ink.y0 + j;
                if (!a || x < 0 || y < 0 || x >= L->width || y >= L->height) {
                    continue;
                }
                uint8_t *d = px + (size_t)y * stride + (size_t)x * 3;
                for (int c = 0; c < 3; c++) {
                    unsigned fg = (pw->color >> (16 - 8 * c)) & 0xff;
                    d[c] = (uint8_t)((fg * a + d[c] * (255 - a) + 127) / 255);
                }
            }
        }
    }
    return px;
}

static void test_cloud(void)
{
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    vc_words *words = vc_words_new(&err);
    char text[32];
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof text, "w%dord%c", i, 'a' + i % 26);
        vc_words_add(words, text, 60 + 940.0 / (1 + i / 4.0), VC_GROUP_WORD, &err);
    }
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = 1600;
    o.height = 1000; /* 4.8 MB: 5 bands */
    o.fit = VC_FIT_NONE;
    o.max_font_size = 140;
    o.min_font_size = 4;
    o.font = font_path("NotoSans-Bold.ttf");
    vc_layout *L = vc_layout_new(ctx, words, &o, &err);
    TAP_OK(L && L->n_placed > 200, "a 300-word 1600x1000 cloud lays out (%zu placed; %s)",
           L ? L->n_placed : 0, err.message);
    bool crosses = false;
    int bh = 1000 / vc_png_band_count(1 + 1600 * 3, 1000);
    for (size_t k = 0; L && k < L->n_placed; k++) {
        crosses = crosses || L->placed[k].box[1] / bh != (L->placed[k].box[3] - 1) / bh;
    }
    TAP_OK(crosses, "some words cross a band boundary");
    png_image img;
    uint8_t *px = NULL;
    bool ok = L && vc_layout_write_png(L, "deflate-cloud.png", &err) &&
              read_rgb("deflate-cloud.png", &img, &px);
    TAP_OK(ok && img.width == 1600 && img.height == 1000, "writes a PNG that libpng decodes (%s)",
           ok ? img.message : err.message);
    uint8_t *want = L ? sequential(L) : NULL;
    TAP_OK(ok && memcmp(px, want, (size_t)1600 * 1000 * 3) == 0,
           "its pixels are exactly the word-by-word composite");
    free(want);
    free(px);
    if (ok) {
        png_image_free(&img);
    }
    vc_layout_free(L);
    vc_words_free(words);
    vc_context_free(ctx);
}

int main(void)
{
    test_threads_same_bytes();
    test_incompressible();
    test_fill();
    test_cloud();
    return tap_done();
}
