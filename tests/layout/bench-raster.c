/* bench-raster.c - rasterising a 1,000-word cloud's words (sizes as in the
 * bench's w1k, 100 px down to 10 px, largest first, as the layout takes them) with
 * FreeType directly (vc_rasterise) and through cairo (vc_rasterise_cairo),
 * on one thread and split over two, as raster-ahead.c splits them.  Prints
 * wall and CPU ms (best of the repeats) and a checksum of every bitmap,
 * which must be the same on every line.  Not a test: times belong here.
 * Usage: bench-raster [words] [repeats] [mode: 0-3, all when absent] */
#include "layout/layout.h"
#include "bench-clock.h"

#include <math.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const stems[] = {
    "prevention", "wellbeing", "care", "community", "kindness", "respect",
    "access", "equity", "trust", "safety", "compassion", "innovation",
    "quality", "listening", "person-centred", "teamwork", "learning", "hope",
};

/* Two threads take turns at this many words, as the rasteriser runs ahead
 * of the placer in order (the placer makes a few itself). */
#define CHUNK 16

typedef bool (*raster_fn)(const vc_shaped *, double, double, vc_ink *, vc_error *);

typedef struct job {
    raster_fn fn;
    const vc_shaped *words;
    const double *sizes;
    size_t n, first, step;  /* chunks of CHUNK words: first, first + step, ... */
    uint64_t sum;           /* of every bitmap's FNV-1a: the same in any order */
    bool ok;
} job;

static uint64_t hash_ink(uint64_t h, const vc_ink *ink)
{
    int head[4] = {ink->x0, ink->y0, ink->w, ink->h};
    const uint8_t *p = (const uint8_t *)head;
    for (size_t i = 0; i < sizeof head; i++) {
        h = (h ^ p[i]) * 1099511628211u;
    }
    for (int j = 0; j < ink->h; j++) {
        for (int i = 0; i < ink->w; i++) {
            h = (h ^ ink->alpha[(size_t)j * (size_t)ink->stride + (size_t)i]) * 1099511628211u;
        }
    }
    return h;
}

static void *run_job(void *arg)
{
    job *jb = arg;
    jb->ok = true;
    for (size_t i = jb->first * CHUNK; i < jb->n; i += i % CHUNK == CHUNK - 1 ? (jb->step - 1) * CHUNK + 1 : 1) {
        vc_ink ink;
        vc_error err = {0};
        if (!jb->fn(&jb->words[i], jb->sizes[i], 0, &ink, &err)) {
            fprintf(stderr, "rasterise: %s\n", err.message);
            jb->ok = false;
            return NULL;
        }
        jb->sum += hash_ink(14695981039346656037u, &ink);
        vc_ink_finish(&ink);
    }
    return NULL;
}

/* Rasterises every word once with `fn` on `threads` threads (1 or 2);
 * false when a word fails. */
static bool pass(raster_fn fn, const vc_shaped *words, const double *sizes, size_t n,
                 int threads, double *wall, double *cpu, uint64_t *sum)
{
    job jobs[2];
    double w0 = bench_now(CLOCK_MONOTONIC);
    double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){fn, words, sizes, n, (size_t)t, (size_t)threads, 0, false};
    }
    pthread_t th;
    bool two = threads == 2 && pthread_create(&th, NULL, run_job, &jobs[1]) == 0;
    run_job(&jobs[0]);
    if (two) {
        pthread_join(th, NULL);
    } else if (threads == 2) {
        run_job(&jobs[1]);
    }
    *wall = bench_now(CLOCK_MONOTONIC) - w0;
    *cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    *sum = jobs[0].sum + (threads == 2 ? jobs[1].sum : 0);
    return jobs[0].ok && (threads == 1 || jobs[1].ok);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    int only = argc > 3 ? atoi(argv[3]) : -1;
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    vc_fontset fonts;
    if (!ctx || !vc_fontset_init(ctx, &fonts, NULL, VC_TEST_FONT_DIR, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    vc_shaped *words = calloc(n ? n : 1, sizeof *words);
    double *sizes = calloc(n ? n : 1, sizeof *sizes);
    if (!words || !sizes) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    char text[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(text, sizeof text, "%s%zu", stems[i % (sizeof stems / sizeof *stems)], i / 18);
        if (!vc_shape_word(ctx, &fonts, text, &words[i], &err)) {
            fprintf(stderr, "%s: %s\n", text, err.message);
            return 1;
        }
        /* tests/bench's w1k: votes from 2,000 down ~10x as rank^(-1/3),
         * whole numbers (ties share a size, as in a real cloud), the size
         * linear in the votes, 100 px at the top. */
        double votes = round(2000.0 * pow((double)(i + 1), -1.0 / 3.0));
        sizes[i] = 100.0 * votes / 2000.0;
    }
    static const struct {
        const char *name;
        raster_fn fn;
        int threads;
    } modes[] = {
        {"cairo, 1 thread ", vc_rasterise_cairo, 1},
        {"direct, 1 thread", vc_rasterise, 1},
        {"cairo, 2 threads", vc_rasterise_cairo, 2},
        {"direct, 2 threads", vc_rasterise, 2},
    };
    printf("%zu words, best of %d\n", n, repeats);
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        if (only >= 0 && (size_t)only != m) {
            continue;
        }
        double best_wall = 1e9, best_cpu = 1e9;
        uint64_t sum = 0;
        for (int r = 0; r < repeats; r++) {
            double wall, cpu;
            if (!pass(modes[m].fn, words, sizes, n, modes[m].threads, &wall, &cpu, &sum)) {
                return 1;
            }
            best_wall = wall < best_wall ? wall : best_wall;
            best_cpu = cpu < best_cpu ? cpu : best_cpu;
        }
        printf("%-18s wall %7.2f ms  cpu %7.2f ms  checksum %016llx\n", modes[m].name,
               best_wall * 1e3, best_cpu * 1e3, (unsigned long long)sum);
    }
    for (size_t i = 0; i < n; i++) {
        vc_shaped_finish(&words[i]);
    }
    free(words);
    free(sizes);
    vc_fontset_finish(&fonts);
    vc_context_free(ctx);
    return 0;
}
