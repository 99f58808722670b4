/* test-png-deflate.c - the banded, multi-threaded PNG compressor and its
 * deflate encoder (deflate.c), with zlib's inflate as the judge: every
 * case inflates to its input (adler32 checked); the same bytes on 1, 2, 3
 * and 8 threads; runs longer than a match, rows that repeat, tiny images,
 * rows too far apart for a distance, 1 to 64 bands; every row filled
 * exactly once; and a rendered cloud that decodes (libpng) to exactly the
 * sequential composite of its words, in no more than 1.25 times the bytes
 * of zlib level 1. */
#include "helpers.h"
#include "render/deflate.h"
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

/* Rows of noise, each repeated `repeat` times (filter byte 0). */
static uint8_t *repeated_noise(size_t pitch, int h, int repeat, uint64_t seed)
{
    uint8_t *data = malloc(pitch * (size_t)h);
    vc_rng rng;
    vc_rng_seed(&rng, seed);
    for (int j = 0; j < h; j++) {
        uint8_t *row = data + (size_t)j * pitch;
        if (j % repeat) {
            memcpy(row, row - pitch, pitch);
            continue;
        }
        row[0] = 0;
        for (size_t i = 1; i < pitch; i++) {
            row[i] = (uint8_t)(vc_rng_next(&rng) >> 24);
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

/* A zlib header with a valid check, and the input's adler32 at the end. */
static bool zlib_framed(const uint8_t *z, size_t z_len, const uint8_t *data, size_t len)
{
    if (z_len < 6 || z[0] != 0x78 || ((z[0] << 8) | z[1]) % 31 != 0 || (z[1] & 0x20)) {
        return false;
    }
    uLong a = adler32_z(adler32(0, NULL, 0), data, len);
    const uint8_t *t = z + z_len - 4;
    return ((uLong)t[0] << 24 | (uLong)t[1] << 16 | (uLong)t[2] << 8 | t[3]) == a;
}

/* Compresses on `threads` threads; checks it inflates back and is framed.
 * Returns the stream (caller frees) or NULL. */
static uint8_t *round_trip(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                           size_t *z_len)
{
    uint8_t *z = NULL;
    vc_error err = {0};
    size_t len = pitch * (size_t)h;
    if (!vc_png_deflate(data, pitch, h, bpp, threads, NULL, NULL, &z, z_len, &err)) {
        printf("# %s\n", err.message);
        return NULL;
    }
    if (!zlib_framed(z, *z_len, data, len) || !inflates_to(z, *z_len, data, len)) {
        free(z);
        return NULL;
    }
    return z;
}

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
    size_t ref_len = 0;
    uint8_t *ref = round_trip(data, pitch, h, 3, 1, &ref_len);
    TAP_OK(ref, "one thread: a zlib stream (header, adler32) that inflates to the input");
    TAP_OK(ref && ref_len < pitch * (size_t)h * 3 / 4, "and is smaller (%zu of %zu bytes)",
           ref_len, pitch * (size_t)h);
    int counts[] = {2, 3, 8, 0};
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        uint8_t *z = NULL;
        size_t z_len = 0;
        vc_error err = {0};
        bool ok = vc_png_deflate(data, pitch, h, 3, counts[k], NULL, NULL, &z, &z_len, &err);
        TAP_OK(ok && ref && z_len == ref_len && memcmp(z, ref, ref_len) == 0,
               "%d threads (0: online CPUs) give the same %zu bytes", counts[k], ref_len);
        free(z);
    }
    free(ref);
    free(data);
}

/* Noise does not shrink: stored blocks, and the output may outgrow a
 * guessed buffer. */
static void test_incompressible(void)
{
    size_t pitch = 1 + 900 * 3;
    int h = 400;
    size_t len = pitch * (size_t)h;
    uint8_t *data = malloc(len);
    vc_rng rng;
    vc_rng_seed(&rng, 11);
    for (size_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(vc_rng_next(&rng) >> 24);
    }
    size_t z_len = 0;
    uint8_t *z = round_trip(data, pitch, h, 3, 2, &z_len);
    TAP_OK(z, "%zu bytes of noise come back whole", len);
    TAP_OK(z && z_len <= len + len / 1000 + 64,
           "in at most 0.1%% more bytes (%zu): stored, not coded", z_len);
    free(z);
    free(data);
}

/* Flat images: runs far longer than a match (258), at the pixel distance. */
static void test_flat(void)
{
    size_t pitch = 1 + 2000 * 3;
    int h = 300;
    size_t len = pitch * (size_t)h;
    uint8_t *data = calloc(1, len);
    size_t z_len = 0;
    uint8_t *z = round_trip(data, pitch, h, 3, 2, &z_len);
    TAP_OK(z && z_len < len / 200, "all zero: inflates, %zu bytes for %zu", z_len, len);
    free(z);
    static const uint8_t px[4] = {0xf0, 0x80, 0x21, 0x7f};
    for (int bpp = 3; bpp <= 4; bpp++) {
        size_t pitch_b = 1 + 1400 * (size_t)bpp;
        for (int j = 0; j < h; j++) {
            uint8_t *row = data + (size_t)j * pitch_b;
            row[0] = 0;
            for (size_t i = 0; i < 1400; i++) {
                memcpy(row + 1 + i * (size_t)bpp, px, (size_t)bpp);
            }
        }
        z = round_trip(data, pitch_b, h, bpp, 2, &z_len);
        TAP_OK(z && z_len < pitch_b * (size_t)h / 200,
               "one colour, %d bytes a pixel: inflates, %zu bytes for %zu", bpp, z_len,
               pitch_b * (size_t)h);
        free(z);
    }
    free(data);
}

/* Noise rows each drawn 4 times: only the row above matches them. */
static void test_row_above(void)
{
    size_t pitch = 1 + 1200 * 3;
    int h = 240;
    size_t len = pitch * (size_t)h;
    uint8_t *data = repeated_noise(pitch, h, 4, 3);
    size_t z_len = 0;
    uint8_t *z = round_trip(data, pitch, h, 3, 2, &z_len);
    TAP_OK(z && z_len < len / 4 + len / 50,
           "rows repeating the row above: inflates, %zu bytes for %zu (a quarter is noise)",
           z_len, len);
    free(z);
    free(data);
}

/* Rows further apart than deflate's 32 KiB window must not be matched;
 * 32768 itself may. */
static void test_far_rows(void)
{
    struct {
        size_t pitch;
        int bpp;
        bool matched;
    } cases[] = {
        {1 + 12000 * 3, 3, false}, /* 36001 */
        {1 + 8200 * 4, 4, false},  /* 32801 */
        {32769, 1, false},
        {32768, 1, true},
        {1 + 10922 * 3, 3, true}, /* 32767 */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t pitch = cases[k].pitch;
        int h = 12;
        size_t len = pitch * (size_t)h;
        uint8_t *data = repeated_noise(pitch, h, 3, 5 + k);
        size_t z_len = 0;
        uint8_t *z = round_trip(data, pitch, h, cases[k].bpp, 2, &z_len);
        bool small = z_len < len / 3 + len / 50;
        TAP_OK(z && small == cases[k].matched,
               "rows of %zu bytes repeated: inflates, %zu bytes for %zu (%s)", pitch, z_len, len,
               cases[k].matched ? "matched" : "too far to match");
        free(z);
        free(data);
    }
}

static void test_tiny(void)
{
    struct {
        int w, h, bpp;
    } cases[] = {{1, 1, 3}, {1, 1, 4}, {2, 1, 3}, {1000, 1, 3}, {1, 500, 3},
                 {1, 500, 4}, {3, 3, 4}, {1, 2, 8}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        size_t pitch = 1 + (size_t)cases[k].w * (size_t)cases[k].bpp;
        int h = cases[k].h;
        uint8_t *data = make_image(pitch, h);
        size_t z_len = 0;
        uint8_t *z = round_trip(data, pitch, h, cases[k].bpp, 2, &z_len);
        TAP_OK(z, "%dx%d, %d bytes a pixel: inflates (%zu bytes)", cases[k].w, h,
               cases[k].bpp, z_len);
        free(z);
        free(data);
    }
}

/* The encoder alone: empty input; a sync flush ends a non-last stream. */
static void test_raw(void)
{
    uint8_t out[128];
    size_t n = vc_deflate_raw((const uint8_t *)"", 0, 1, 1, true, out);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    uint8_t got[8];
    bool ok = n > 0 && n <= vc_deflate_bound(0) - 8 && inflateInit2(&zs, -15) == Z_OK;
    if (ok) {
        zs.next_in = out;
        zs.avail_in = (uInt)n;
        zs.next_out = got;
        zs.avail_out = sizeof got;
        ok = inflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out == 0 && zs.avail_in == 0;
        inflateEnd(&zs);
    }
    TAP_OK(ok, "no bytes: a final empty block (%zu bytes)", n);
    uint8_t in[] = {0, 1, 2, 3, 1, 2, 3, 1, 2, 3};
    n = vc_deflate_raw(in, sizeof in, sizeof in, 3, false, out);
    TAP_OK(n >= 4 && memcmp(out + n - 4, "\0\0\xff\xff", 4) == 0,
           "not last: ends with an empty stored block (sync flush)");
}

/* 1 to 64 (MAX_BANDS) bands: a flat image with a few noise rows. */
static void test_band_counts(void)
{
    size_t pitch = 1 + 1024 * 4;
    int wanted[] = {1, 2, 3, 5, 8, 16, 33, 64};
    for (size_t k = 0; k < sizeof wanted / sizeof *wanted; k++) {
        int h = (int)(((size_t)wanted[k] << 20) / pitch);
        size_t len = pitch * (size_t)h;
        uint8_t *data = calloc(1, len);
        vc_rng rng;
        vc_rng_seed(&rng, 13);
        for (int j = 0; j < h; j += 97) {
            for (size_t i = 1; i < pitch; i++) {
                data[(size_t)j * pitch + i] = (uint8_t)(vc_rng_next(&rng) >> 24);
            }
        }
        size_t z_len = 0, z1_len = 0;
        uint8_t *z = round_trip(data, pitch, h, 4, 2, &z_len);
        uint8_t *z1 = round_trip(data, pitch, h, 4, 1, &z1_len);
        TAP_OK(z && z1 && z_len == z1_len && memcmp(z, z1, z_len) == 0 &&
                   vc_png_band_count(pitch, h) == wanted[k],
               "%d bands (%d rows): inflates, the same %zu bytes on 1 and 2 threads",
               vc_png_band_count(pitch, h), h, z_len);
        free(z);
        free(z1);
        free(data);
    }
}

typedef struct fill_log {
    uint8_t *data;
    size_t pitch;
    int *filled; /* times each row was filled */
} fill_log;

static void fill(void *user, uint8_t *rows, int y0, int y1)
{
    fill_log *f = user;
    for (int j = y0; j < y1; j++) {
        f->filled[j]++;
        uint8_t *row = rows + (size_t)(j - y0) * f->pitch;
        row[0] = 0;
        for (size_t i = 1; i < f->pitch; i++) {
            row[i] = (uint8_t)((i * 13 + (size_t)j * 5) & 0xff);
        }
    }
}

/* The stream's pieces, joined: NULL when they do not add up to its length. */
static uint8_t *join_pieces(const vc_png_zstream *zs, size_t *len)
{
    uint8_t *out = malloc(zs->len);
    *len = 0;
    const uint8_t *p;
    size_t n;
    for (int k = 0; out && (n = vc_png_zstream_piece(zs, k, &p)) > 0; k++) {
        if (*len + n > zs->len) {
            free(out);
            return NULL;
        }
        memcpy(out + *len, p, n);
        *len += n;
    }
    if (out && *len != zs->len) {
        free(out);
        return NULL;
    }
    return out;
}

/* Without the image in memory, each thread fills its bands in its own
 * buffer: the same rows, filled once each, give the same stream as the
 * image held whole (`want`). */
static void test_fill_bands(fill_log *f, int h, const uint8_t *want, size_t want_len)
{
    int threads[] = {1, 2, 3};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        memset(f->filled, 0, (size_t)h * sizeof *f->filled);
        vc_png_zstream zs;
        vc_error err = {0};
        bool ok = vc_png_deflate_stream(NULL, f->pitch, h, 4, threads[t], fill, f, &zs, &err);
        bool once = true;
        for (int j = 0; j < h; j++) {
            once = once && f->filled[j] == 1;
        }
        size_t len = 0;
        uint8_t *got = ok ? join_pieces(&zs, &len) : NULL;
        TAP_OK(ok && once && got && zs.n_bands == vc_png_band_count(f->pitch, h) &&
                   len == want_len && memcmp(got, want, len) == 0,
               "rows made in band buffers on %d threads: each filled once, %d pieces, the same "
               "%zu bytes as the whole image's", threads[t], zs.n_bands + 2, len);
        free(got);
        vc_png_zstream_finish(&zs);
    }
    vc_png_zstream zs;
    vc_error err = {0};
    TAP_OK(!vc_png_deflate_stream(NULL, f->pitch, h, 4, 1, NULL, NULL, &zs, &err) &&
               err.status == VC_ERR_SOFTWARE && zs.n_bands == 0 && strstr(err.message, "no rows"),
           "neither rows nor a fill function is refused (%s)", err.message);
}

static void test_fill(void)
{
    size_t pitch = 1 + 2000 * 4;
    int h = 301;
    fill_log f = {malloc(pitch * (size_t)h), pitch, calloc((size_t)h, sizeof(int))};
    uint8_t *z = NULL;
    size_t z_len = 0;
    vc_error err = {0};
    bool ok = vc_png_deflate(f.data, pitch, h, 4, 2, fill, &f, &z, &z_len, &err);
    bool once = true;
    for (int j = 0; j < h; j++) {
        once = once && f.filled[j] == 1;
    }
    TAP_OK(ok && once, "each of %d rows filled exactly once, on 2 threads", h);
    TAP_OK(ok && inflates_to(z, z_len, f.data, pitch * (size_t)h),
           "what was filled is what was compressed");
    test_fill_bands(&f, h, z, z_len);
    free(z);
    free(f.data);
    free(f.filled);
    z = NULL;
    TAP_OK(!vc_png_deflate((uint8_t *)"", 0, 0, 3, 1, NULL, NULL, &z, &z_len, &err) &&
               err.status == VC_ERR_SOFTWARE && !z,
           "an empty image is refused with a message (%s)", err.message);
    uint8_t row[4] = {0, 1, 2, 3};
    err = (vc_error){0};
    TAP_OK(!vc_png_deflate(row, sizeof row, 1, 0, 1, NULL, NULL, &z, &z_len, &err) && !z &&
               !vc_png_deflate(row, sizeof row, 1, 9, 1, NULL, NULL, &z, &z_len, &err) && !z,
           "0 or 9 bytes a pixel are refused (%s)", err.message);
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

/* The cloud's rows compressed here and by zlib level 1 (what the encoder
 * replaced): bytes for speed, but not many. */
static void compare_with_zlib(const uint8_t *px, int w, int h)
{
    if (!px) {
        TAP_OK(false, "no composite to compress");
        return;
    }
    size_t stride = (size_t)w * 3, pitch = stride + 1, len = pitch * (size_t)h;
    uint8_t *rows = malloc(len);
    for (int j = 0; j < h; j++) {
        rows[(size_t)j * pitch] = 0;
        memcpy(rows + (size_t)j * pitch + 1, px + (size_t)j * stride, stride);
    }
    size_t z_len = 0;
    uint8_t *z = round_trip(rows, pitch, h, 3, 2, &z_len);
    uLongf zl_len = compressBound((uLong)len);
    uint8_t *zl = malloc(zl_len);
    bool zl_ok = compress2(zl, &zl_len, rows, (uLong)len, 1) == Z_OK;
    TAP_OK(z && zl_ok && z_len <= (size_t)zl_len + (size_t)zl_len / 4,
           "the cloud's rows: %zu bytes, zlib level 1 %lu (at most 1.25 times)", z_len,
           (unsigned long)zl_len);
    free(zl);
    free(z);
    free(rows);
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
    compare_with_zlib(want, 1600, 1000);
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
    enter_test_dir();
    test_threads_same_bytes();
    test_incompressible();
    test_flat();
    test_row_above();
    test_far_rows();
    test_tiny();
    test_raw();
    test_band_counts();
    test_fill();
    test_cloud();
    return tap_done();
}
