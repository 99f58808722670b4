/* png-deflate.c - the PNG image data as one zlib stream, compressed in row
 * bands on several threads.  Each band is an independent raw deflate
 * stream ended on a byte boundary, so the bands join into one valid
 * stream; the band boundaries depend on the image size only, so the bytes
 * are the same on one core or eight.
 *
 * The encoder is our own (deflate.c), a pure function of the band's bytes.
 * Intel's ISA-L (igzip) was about five times faster than zlib here but was
 * removed: measured on a 2400x1350 cloud it gave different (equally valid)
 * bytes for the same pixels now and then (7-8 renders of 600 on two
 * threads), where zlib gave 600 of 600 the same.  zlib level 1 then cost
 * about 15 ms of CPU on a dense 1,000-word 1080p cloud.  deflate.c trades
 * a few per cent of bytes for speed, measured (CPU, one thread, best of 9,
 * encoder + adler32 against zlib's compress2 level 1, which includes its
 * adler32):
 *   bench-render's 1,000-word 1920x1080 canvas: 5.9 ms, 677,181 bytes;
 *     zlib 18.2 ms, 677,552 bytes (3.1 times less CPU, 0.1% smaller);
 *   bench.py w1k (1,000 words, 1920x1080): 9.6 ms, 1,081,879 bytes;
 *     zlib 26.0 ms, 1,042,319 bytes (2.7 times, 3.8% larger);
 *   bench.py w5k-tiny (5,000 words, 3840x2160): 16.3 ms, 1,612,056
 *     bytes; zlib 54 ms, 1,576,082 bytes (3.3 times, 2.3% larger).
 * With transparency (RGBA) the w1k PNG came out 13.5% smaller than
 * zlib's.  adler32 is zlib's on machines without SSE2, else our own, 6
 * times faster (0.25 against 1.6 ms for 6.2 MB); adler32_combine joins
 * the bands. */
#include "render/png-deflate.h"
#include "render/deflate.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Bands of about this many input bytes: small enough to share a 1080p
 * image between cores, large enough that restarting the 32 KiB window
 * costs well under 1% of the output. */
#define BAND_BYTES ((size_t)1 << 20)
#define MAX_BANDS 64
#define MAX_THREADS 8
/* Bytes per pixel: RGB and RGBA, 8 or 16 bits a channel. */
#define MAX_BPP 8

typedef struct band {
    int y0, y1;
    uint8_t *out;
    size_t len;
    uLong adler;
    bool ok;
} band;

typedef struct job {
    uint8_t *data;     /* the whole image, or NULL: each thread fills its own rows */
    size_t pitch;
    unsigned bpp;
    vc_band_fill_fn fill;
    void *user;
    band *bands;
    int n;
    int most_rows;     /* of any band */
    atomic_int next;
} job;

int vc_png_band_count(size_t pitch, int h)
{
    if (h <= 0) {
        return 0;
    }
    size_t total = pitch * (size_t)h;
    size_t n = (total + BAND_BYTES - 1) / BAND_BYTES;
    n = n < 1 ? 1 : n > MAX_BANDS ? MAX_BANDS : n;
    return n > (size_t)h ? h : (int)n;
}

#if defined(__SSE2__)
#define ADLER_BASE 65521u
/* 32-byte blocks between reductions: 173 * 32 = 5536 <= zlib's NMAX
 * (5552), the most bytes before the sums could overflow 32 bits. */
#define ADLER_BLOCKS 173

static uint64_t lanes_sum(__m128i v)
{
    uint32_t l[4];
    _mm_storeu_si128((__m128i *)l, v);
    return (uint64_t)l[0] + l[1] + l[2] + l[3];
}

/* zlib's adler32, 32 bytes a step with SSE2 (part of every x86-64): the
 * byte sums by _mm_sad_epu8, the weighted sums (32 down to 1) by
 * _mm_madd_epi16, and the sum of the running sums at each step, which
 * the second sum needs 32 times.  zlib's own took 1.6 ms of a 1080p
 * canvas's 6 MB; the tests and the fuzzer check the result against it. */
static uLong adler32_sse2(uLong adler, const uint8_t *p, size_t n)
{
    uint32_t s1 = (uint32_t)(adler & 0xffff), s2 = (uint32_t)(adler >> 16);
    const __m128i zero = _mm_setzero_si128();
    const __m128i w0 = _mm_setr_epi16(32, 31, 30, 29, 28, 27, 26, 25);
    const __m128i w1 = _mm_setr_epi16(24, 23, 22, 21, 20, 19, 18, 17);
    const __m128i w2 = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9);
    const __m128i w3 = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
    while (n >= 32) {
        size_t k = n / 32 < ADLER_BLOCKS ? n / 32 : ADLER_BLOCKS;
        n -= k * 32;
        uint64_t before = (uint64_t)s1 * (k * 32);
        __m128i v1 = zero, vp = zero, v2 = zero;
        for (; k > 0; k--, p += 32) {
            __m128i a = _mm_loadu_si128((const __m128i *)p);
            __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
            vp = _mm_add_epi32(vp, v1);
            v1 = _mm_add_epi32(
                v1, _mm_add_epi32(_mm_sad_epu8(a, zero), _mm_sad_epu8(b, zero)));
            v2 = _mm_add_epi32(v2, _mm_madd_epi16(_mm_unpacklo_epi8(a, zero), w0));
            v2 = _mm_add_epi32(v2, _mm_madd_epi16(_mm_unpackhi_epi8(a, zero), w1));
            v2 = _mm_add_epi32(v2, _mm_madd_epi16(_mm_unpacklo_epi8(b, zero), w2));
            v2 = _mm_add_epi32(v2, _mm_madd_epi16(_mm_unpackhi_epi8(b, zero), w3));
        }
        s2 = (uint32_t)((s2 + before + 32 * lanes_sum(vp) + lanes_sum(v2)) % ADLER_BASE);
        s1 = (uint32_t)((s1 + lanes_sum(v1)) % ADLER_BASE);
    }
    for (; n > 0; n--) {
        s1 += *p++;
        s2 += s1;
    }
    return (uLong)(s2 % ADLER_BASE) << 16 | (s1 % ADLER_BASE);
}
#endif

/* The adler32 of `n` bytes, as zlib's adler32_z gives it. */
static uLong adler32_of(const uint8_t *p, size_t n)
{
#if defined(__SSE2__)
    return adler32_sse2(1, p, n);
#else
    return adler32_z(adler32(0, NULL, 0), p, n);
#endif
}

/* Compresses band `b`, whose rows are at `in` (deflate.c); the last band
 * of the image ends the stream. */
static bool deflate_band(const job *j, const uint8_t *in, band *b, bool last)
{
    size_t in_len = (size_t)(b->y1 - b->y0) * j->pitch;
    b->adler = adler32_of(in, in_len);
    b->out = malloc(vc_deflate_bound(in_len));
    if (!b->out) {
        return false;
    }
    b->len = vc_deflate_raw(in, in_len, j->pitch, j->bpp, last, b->out);
    return b->len > 0;
}

/* Takes bands until none is left.  Without the whole image, each band is
 * filled in this thread's buffer, one band's size, reused: a 4K cloud
 * then touches 2 MB, not the 25 MB the image would take.  Measured on
 * bench.py's w5k-tiny (3840x2160): peak RSS 45 -> 29 MB, system CPU about
 * 100 -> 25 ms (zeroing fresh pages), task-clock -6%; the same bytes. */
static void *worker(void *arg)
{
    job *j = arg;
    uint8_t *own = NULL;
    for (;;) {
        int i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n) {
            break;
        }
        band *b = &j->bands[i];
        uint8_t *rows = j->data ? j->data + (size_t)b->y0 * j->pitch : own;
        if (!rows) {
            rows = own = vc_malloc2((size_t)j->most_rows, j->pitch);
            if (!own) {
                b->ok = false;
                continue;
            }
        }
        if (j->fill) {
            j->fill(j->user, rows, b->y0, b->y1);
        }
        b->ok = deflate_band(j, rows, b, i == j->n - 1);
    }
    free(own);
    return NULL;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Runs the bands on up to `threads` threads, this one included. */
static void run_bands(job *j, int threads)
{
    pthread_t tids[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads && t < j->n; t++) {
        if (pthread_create(&tids[started], NULL, worker, j) != 0) {
            break; /* the started threads and this one do the rest */
        }
        started++;
    }
    worker(j);
    for (int t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
    }
}

/* The 2-byte zlib header: deflate with a 32 KiB window, FLEVEL 0 (the
 * fastest compressor), no preset dictionary. */
static void zlib_header(uint8_t hdr[2])
{
    unsigned h = 0x78u << 8;
    h += 31 - h % 31;
    hdr[0] = (uint8_t)(h >> 8);
    hdr[1] = (uint8_t)h;
}

size_t vc_png_zstream_piece(const vc_png_zstream *z, int k, const uint8_t **p)
{
    if (k == 0) {
        *p = z->head;
        return sizeof z->head;
    }
    if (k <= z->n_bands) {
        *p = z->band[k - 1];
        return z->band_len[k - 1];
    }
    *p = z->tail;
    return k == z->n_bands + 1 ? sizeof z->tail : 0;
}

void vc_png_zstream_finish(vc_png_zstream *z)
{
    for (int i = 0; i < z->n_bands; i++) {
        free(z->band[i]);
    }
    free(z->band);
    free(z->band_len);
    memset(z, 0, sizeof *z);
}

/* Hands the bands' streams to *z, after the header and before the adler32
 * of the whole, combined from the bands'. */
static bool take_bands(job *j, vc_png_zstream *z)
{
    z->band = vc_calloc2((size_t)j->n, sizeof *z->band);
    z->band_len = vc_calloc2((size_t)j->n, sizeof *z->band_len);
    if (!z->band || !z->band_len) {
        return false;
    }
    zlib_header(z->head);
    z->len = sizeof z->head + sizeof z->tail;
    uLong adler = adler32(0, NULL, 0);
    for (int i = 0; i < j->n; i++) {
        band *b = &j->bands[i];
        z->band[i] = b->out;
        z->band_len[i] = b->len;
        b->out = NULL;
        z->n_bands++;
        z->len += b->len;
        size_t rows = (size_t)(b->y1 - b->y0) * j->pitch;
        adler = adler32_combine(adler, b->adler, (z_off_t)rows);
    }
    z->tail[0] = (uint8_t)(adler >> 24);
    z->tail[1] = (uint8_t)(adler >> 16);
    z->tail[2] = (uint8_t)(adler >> 8);
    z->tail[3] = (uint8_t)adler;
    return true;
}

bool vc_png_deflate_stream(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                           vc_band_fill_fn fill, void *user, vc_png_zstream *out,
                           vc_error *err)
{
    memset(out, 0, sizeof *out);
    if (h <= 0 || pitch == 0 || bpp < 1 || bpp > MAX_BPP || (!data && !fill)) {
        return vc_fail(err, VC_ERR_SOFTWARE,
                       "PNG: bad image data (%d rows of %zu bytes, %d bytes a pixel%s)",
                       h, pitch, bpp,
                       !data && !fill ? ", no rows and no way to fill them" : "");
    }
    if (threads <= 0) {
        threads = online_cpus();
    }
    threads = threads > MAX_THREADS ? MAX_THREADS : threads;
    job j = {.data = data, .pitch = pitch, .bpp = (unsigned)bpp,
             .fill = fill, .user = user};
    j.n = vc_png_band_count(pitch, h);
    atomic_init(&j.next, 0);
    j.bands = vc_calloc2((size_t)j.n, sizeof *j.bands);
    if (!j.bands) {
        return vc_fail_nomem(err, "PNG bands");
    }
    /* Equal shares of the rows, the remainder spread over the first. */
    int y = 0;
    for (int i = 0; i < j.n; i++) {
        int rows = h / j.n + (i < h % j.n ? 1 : 0);
        j.bands[i].y0 = y;
        j.bands[i].y1 = y += rows;
        j.most_rows = rows > j.most_rows ? rows : j.most_rows;
    }
    run_bands(&j, threads);
    bool ok = true;
    for (int i = 0; i < j.n; i++) {
        ok = ok && j.bands[i].ok;
    }
    if (!ok) {
        vc_fail(err, VC_ERR_NOMEM,
                "PNG: compressing %d rows of %zu bytes failed (out of memory)", h, pitch);
    } else if (!take_bands(&j, out)) {
        ok = vc_fail_nomem(err, "PNG image data");
    }
    for (int i = 0; i < j.n; i++) {
        free(j.bands[i].out);
    }
    free(j.bands);
    if (!ok) {
        vc_png_zstream_finish(out);
    }
    return ok;
}

bool vc_png_deflate(uint8_t *data, size_t pitch, int h, int bpp, int threads,
                    vc_band_fill_fn fill, void *user, uint8_t **out, size_t *out_len,
                    vc_error *err)
{
    *out = NULL;
    *out_len = 0;
    vc_png_zstream z;
    if (!data) {
        return vc_fail(err, VC_ERR_SOFTWARE, "PNG: no image data to join");
    }
    if (!vc_png_deflate_stream(data, pitch, h, bpp, threads, fill, user, &z, err)) {
        return false;
    }
    uint8_t *joined = malloc(z.len);
    if (!joined) {
        vc_png_zstream_finish(&z);
        return vc_fail_nomem(err, "PNG image data");
    }
    const uint8_t *p;
    size_t len;
    for (int k = 0; k <= z.n_bands + 1; k++) {
        len = vc_png_zstream_piece(&z, k, &p);
        memcpy(joined + *out_len, p, len);
        *out_len += len;
    }
    vc_png_zstream_finish(&z);
    *out = joined;
    return true;
}
