/* bench-shape.c - shaping every word of a counts file (first column) as
 * the layout does before placing: with the ASCII fast path and without it
 * on one thread, and split over two threads that each have their own
 * context (fonts, hb_font, buffer and shaper: nothing shared).  Prints
 * wall and CPU ms (best of the repeats), the cost of the second context,
 * and a checksum of every shaped word, which must be the same on every
 * line.  Not a test: times belong here.
 * Usage: bench-shape COUNTS.tsv [repeats] [primary font] */
#include "layout/layout.h"
#include "bench-clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The two threads take turns at this many words. */
#define CHUNK 64

typedef struct job {
    vc_context *ctx;
    vc_fontset set;
    char **words;
    size_t n, first, step; /* chunks of CHUNK words: first, first + step, ... */
    bool general;
    uint64_t sum;          /* of every word's hash: the same in any order */
    bool ok;
} job;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 1099511628211u;
    }
    return h;
}

/* Glyph ids, positions, font files, advance, ink and direction. */
static uint64_t hash_shaped(const vc_shaped *s)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < s->n; i++) {
        const vc_glyph *g = &s->glyphs[i];
        h = fnv(h, &g->id, sizeof g->id);
        h = fnv(h, &g->x, sizeof g->x);
        h = fnv(h, &g->y, sizeof g->y);
        h = fnv(h, g->font->path, strlen(g->font->path));
    }
    h = fnv(h, &s->advance, sizeof s->advance);
    h = fnv(h, s->ink, sizeof s->ink);
    return fnv(h, &s->rtl, sizeof s->rtl);
}

static void *run(void *arg)
{
    job *j = arg;
    j->ok = true;
    j->sum = 0;
    for (size_t c = j->first * CHUNK; j->ok && c < j->n; c += j->step * CHUNK) {
        for (size_t i = c; j->ok && i < c + CHUNK && i < j->n; i++) {
            vc_shaped s;
            vc_error err = {0};
            j->ok = j->general ? vc_shape_word_general(j->ctx, &j->set, j->words[i], &s, &err)
                               : vc_shape_word(j->ctx, &j->set, j->words[i], &s, &err);
            if (j->ok) {
                /* Summed, so the split does not change the total. */
                j->sum += hash_shaped(&s);
            } else {
                fprintf(stderr, "bench-shape: %s\n", err.message);
            }
            vc_error_clear(&err);
            vc_shaped_finish(&s);
        }
    }
    return NULL;
}

static bool job_open(job *j, const char *font)
{
    vc_error err = {0};
    memset(j, 0, sizeof *j);
    if (!(j->ctx = vc_context_new(&err)) || !vc_fontset_init(j->ctx, &j->set, font, NULL, &err)) {
        fprintf(stderr, "bench-shape: %s\n", err.message);
        vc_context_free(j->ctx);
        j->ctx = NULL;
        return false;
    }
    return true;
}

static void job_close(job *j)
{
    vc_fontset_finish(&j->set);
    vc_context_free(j->ctx);
}

static char **read_words(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    char **words = NULL;
    size_t cap = 0;
    char line[4096];
    *n = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\t\r\n")] = '\0';
        if (line[0] && vc_grow((void **)&words, &cap, *n + 1, sizeof *words)) {
            words[(*n)++] = vc_strdup(line);
        }
    }
    if (f) {
        fclose(f);
    }
    return words;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench-shape COUNTS.tsv [repeats] [primary font]\n");
        return 2;
    }
    size_t n;
    char **words = read_words(argv[1], &n);
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    const char *font = argc > 3 ? argv[3] : NULL;
    job a, b;
    if (!words || !job_open(&a, font)) {
        return 1;
    }
    double t0 = bench_now(CLOCK_MONOTONIC);
    if (!job_open(&b, font)) {
        return 1;
    }
    printf("%zu words; a second context with its fonts: %.2f ms\n", n,
           (bench_now(CLOCK_MONOTONIC) - t0) * 1e3);
    const char *names[] = {"one thread, fast path", "one thread, general path only",
                           "two threads, a context each"};
    for (int mode = 0; mode < 3; mode++) {
        double best_wall = 1e9, best_cpu = 1e9;
        uint64_t sum = 0;
        bool ok = true;
        for (int r = 0; r < repeats && ok; r++) {
            double w0 = bench_now(CLOCK_MONOTONIC);
            double c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
            a.words = b.words = words;
            a.n = b.n = n;
            a.general = mode == 1;
            b.general = false;
            if (mode < 2) {
                a.first = 0;
                a.step = 1;
                run(&a);
                ok = a.ok;
                sum = a.sum;
            } else {
                pthread_t t;
                a.first = 0;
                b.first = 1;
                a.step = b.step = 2;
                ok = pthread_create(&t, NULL, run, &b) == 0;
                run(&a);
                ok = ok && pthread_join(t, NULL) == 0 && a.ok && b.ok;
                sum = a.sum + b.sum;
            }
            double wall = bench_now(CLOCK_MONOTONIC) - w0;
            double cpu = bench_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
            best_wall = wall < best_wall ? wall : best_wall;
            best_cpu = cpu < best_cpu ? cpu : best_cpu;
        }
        printf("%-32s wall %7.2f ms  cpu %7.2f ms  checksum %016llx%s\n", names[mode],
               best_wall * 1e3, best_cpu * 1e3, (unsigned long long)sum, ok ? "" : "  FAILED");
    }
    job_close(&a);
    job_close(&b);
    for (size_t i = 0; i < n; i++) {
        free(words[i]);
    }
    free(words);
    return 0;
}
