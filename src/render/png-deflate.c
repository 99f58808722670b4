/* png-deflate.c - the PNG image data as one zlib stream, compressed in row
 * bands on several threads.  Each band is an independent raw deflate
 * stream ended on a byte boundary, so the bands join into one valid
 * stream; the band boundaries depend on the image size only, so the bytes
 * are the same on one core or eight.
 *
 * zlib only.  Intel's ISA-L (igzip) was about five times faster here, but
 * measured on a 2400x1350 cloud it gave different (equally valid) bytes
 * for the same pixels now and then: 7-8 renders of 600 with its bands on
 * two threads, 5-6 of 300 with them one after another on one thread,
 * while each band compressed again gave the same bytes; zlib gave 600 of
 * 600 the same.  Same input, same bytes comes first: it costs 3-4 ms on
 * the consultation's 1080p cloud and about 15 ms on a dense 1,000-word
 * one (encode 5-6 -> 21.6 ms in --timings). */
#include "render/png-deflate.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Bands of about this many input bytes: small enough to share a 1080p
 * image between cores, large enough that restarting the 32 KiB window
 * costs well under 1% of the output. */
#define BAND_BYTES ((size_t)1 << 20)
#define MAX_BANDS 64
#define MAX_THREADS 8
/* zlib counts input in 32-bit units. */
#define FEED_MAX ((size_t)1 << 30)

typedef struct band {
    int y0, y1;
    uint8_t *out;
    size_t len;
    uLong adler;
    bool ok;
} band;

typedef struct job {
    uint8_t *data;
    size_t pitch;
    int level;
    vc_band_fill_fn fill;
    void *user;
    band *bands;
    int n;
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

/* Compresses band `b` with zlib; the last band of the image ends the
 * stream. */
static bool zlib_band(const job *j, band *b, bool last)
{
    const uint8_t *in = j->data + (size_t)b->y0 * j->pitch;
    size_t in_len = (size_t)(b->y1 - b->y0) * j->pitch;
    b->adler = adler32_z(adler32(0, NULL, 0), in, in_len);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, j->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return false;
    }
    /* The bound plus room for the sync flush's empty stored block. */
    size_t cap = deflateBound(&zs, (uLong)in_len) + 64;
    b->out = malloc(cap);
    if (!b->out) {
        deflateEnd(&zs);
        return false;
    }
    /* Fed and drained in pieces zlib's 32-bit counters can hold. */
    size_t done = 0;
    bool ok = false;
    zs.next_out = b->out;
    for (;;) {
        if (zs.avail_in == 0 && done < in_len) {
            size_t chunk = in_len - done < FEED_MAX ? in_len - done : FEED_MAX;
            zs.next_in = vc_unconst(in + done);
            zs.avail_in = (uInt)chunk;
            done += chunk;
        }
        size_t room = cap - (size_t)(zs.next_out - b->out);
        zs.avail_out = room < FEED_MAX ? (uInt)room : (uInt)FEED_MAX;
        bool end = done == in_len;
        int rc = deflate(&zs, end ? (last ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR || room == 0) {
            break;
        }
        /* A flush is complete when it left output room unused. */
        if (end && zs.avail_in == 0 && (last ? rc == Z_STREAM_END : zs.avail_out > 0)) {
            ok = true;
            break;
        }
    }
    b->len = (size_t)(zs.next_out - b->out);
    deflateEnd(&zs);
    return ok;
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        int i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n) {
            return NULL;
        }
        band *b = &j->bands[i];
        if (j->fill) {
            j->fill(j->user, b->y0, b->y1);
        }
        b->ok = zlib_band(j, b, i == j->n - 1);
    }
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

/* The 2-byte zlib header for a 32 KiB window at `level` (as zlib writes
 * it: the level's class in FLEVEL, no preset dictionary). */
static void zlib_header(int level, uint8_t hdr[2])
{
    unsigned flevel = level == 1 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
    unsigned h = (0x78u << 8) | (flevel << 6);
    h += 31 - h % 31;
    hdr[0] = (uint8_t)(h >> 8);
    hdr[1] = (uint8_t)h;
}

/* Joins the bands after the header and before the combined adler32. */
static uint8_t *join(const job *j, size_t *out_len)
{
    size_t total = 2 + 4;
    for (int i = 0; i < j->n; i++) {
        total += j->bands[i].len;
    }
    uint8_t *out = malloc(total);
    if (!out) {
        return NULL;
    }
    zlib_header(j->level, out);
    size_t at = 2;
    uLong adler = adler32(0, NULL, 0);
    for (int i = 0; i < j->n; i++) {
        const band *b = &j->bands[i];
        memcpy(out + at, b->out, b->len);
        at += b->len;
        size_t rows = (size_t)(b->y1 - b->y0) * j->pitch;
        adler = adler32_combine(adler, b->adler, (z_off_t)rows);
    }
    out[at++] = (uint8_t)(adler >> 24);
    out[at++] = (uint8_t)(adler >> 16);
    out[at++] = (uint8_t)(adler >> 8);
    out[at++] = (uint8_t)adler;
    *out_len = at;
    return out;
}

bool vc_png_deflate(uint8_t *data, size_t pitch, int h, int level, int threads,
                    vc_band_fill_fn fill, void *user, uint8_t **out, size_t *out_len,
                    vc_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (h <= 0 || pitch == 0 || level < 1 || level > 9) {
        return vc_fail(err, VC_ERR_SOFTWARE, "PNG: bad image data (%d rows of %zu bytes, level %d)",
                       h, pitch, level);
    }
    if (threads <= 0) {
        threads = online_cpus();
    }
    threads = threads > MAX_THREADS ? MAX_THREADS : threads;
    job j = {.data = data, .pitch = pitch, .level = level,
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
    }
    run_bands(&j, threads);
    bool ok = true;
    for (int i = 0; i < j.n; i++) {
        ok = ok && j.bands[i].ok;
    }
    if (ok && !(*out = join(&j, out_len))) {
        ok = vc_fail_nomem(err, "PNG image data");
    } else if (!ok) {
        vc_fail(err, VC_ERR_NOMEM, "PNG: compressing %d rows of %zu bytes failed (out of memory)",
                h, pitch);
    }
    for (int i = 0; i < j.n; i++) {
        free(j.bands[i].out);
    }
    free(j.bands);
    return ok;
}
