/* replay.h - shared by live-replay.c and test-live.c: reading the replay
 * (replay.py's output: one participant per line, 3 words by tabs), the
 * running tally as a vc_words, and the stability measures between two
 * frames (public API only: each drawn word's ink-box centre and size). */
#ifndef VC_LIVE_REPLAY_H
#define VC_LIVE_REPLAY_H

#include "votecloud.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_WORDS 3
#define REPLAY_WORD_MAX 48

typedef struct replay {
    char (*answer)[REPLAY_WORDS][REPLAY_WORD_MAX];
    size_t n; /* participants */
} replay;

static inline bool replay_load(const char *path, replay *r)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        return false;
    }
    size_t cap = 0;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        if (r->n == cap) {
            cap = cap ? 2 * cap : 1024;
            void *p = realloc(r->answer, cap * sizeof *r->answer);
            if (!p) {
                fclose(fp);
                return false;
            }
            r->answer = p;
        }
        line[strcspn(line, "\r\n")] = 0;
        memset(r->answer[r->n], 0, sizeof r->answer[r->n]);
        char *save = NULL;
        size_t k = 0;
        for (char *t = strtok_r(line, "\t", &save); t && k < REPLAY_WORDS;
             t = strtok_r(NULL, "\t", &save)) {
            snprintf(r->answer[r->n][k++], REPLAY_WORD_MAX, "%s", t);
        }
        r->n++;
    }
    fclose(fp);
    return r->n > 0;
}

static inline void replay_free(replay *r)
{
    free(r->answer);
    memset(r, 0, sizeof *r);
}

/* The running counts, words in order of first appearance. */
typedef struct tally {
    char (*text)[REPLAY_WORD_MAX];
    double *count;
    bool *hidden;
    size_t n, cap;
} tally;

static inline bool tally_add(tally *t, const char *word)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->text[i], word) == 0) {
            t->count[i] += 1;
            return true;
        }
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        void *a = realloc(t->text, cap * sizeof *t->text);
        if (a) {
            t->text = a;
        }
        void *b = realloc(t->count, cap * sizeof *t->count);
        if (b) {
            t->count = b;
        }
        void *c = realloc(t->hidden, cap * sizeof *t->hidden);
        if (c) {
            t->hidden = c;
        }
        if (!a || !b || !c) {
            return false;
        }
        t->cap = cap;
    }
    snprintf(t->text[t->n], REPLAY_WORD_MAX, "%s", word);
    t->count[t->n] = 1;
    t->hidden[t->n] = false;
    t->n++;
    return true;
}

static inline bool tally_participant(tally *t, const replay *r, size_t p)
{
    for (size_t k = 0; k < REPLAY_WORDS; k++) {
        if (r->answer[p][k][0] && !tally_add(t, r->answer[p][k])) {
            return false;
        }
    }
    return true;
}

static inline void tally_free(tally *t)
{
    free(t->text);
    free(t->count);
    free(t->hidden);
    memset(t, 0, sizeof *t);
}

/* The tally's visible words as a vc_words (caller frees). */
static inline vc_words *tally_words(const tally *t, vc_error *err)
{
    vc_words *w = vc_words_new(err);
    for (size_t i = 0; w && i < t->n; i++) {
        if (!t->hidden[i] &&
            !vc_words_add(w, t->text[i], t->count[i], VC_GROUP_WORD, err)) {
            vc_words_free(w);
            return NULL;
        }
    }
    return w;
}

/* A frame as the measures see it: each drawn word's centre and size. */
typedef struct frame_word {
    char text[REPLAY_WORD_MAX];
    double cx, cy, size;
} frame_word;

typedef struct frame {
    frame_word *w;
    size_t n;
} frame;

static inline bool frame_from_layout(const vc_layout *L, frame *f)
{
    size_t n = vc_layout_placed_count(L);
    f->w = calloc(n ? n : 1, sizeof *f->w);
    f->n = 0;
    if (!f->w) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        vc_placed p;
        if (!vc_layout_placed(L, i, &p)) {
            return false;
        }
        frame_word *w = &f->w[f->n++];
        snprintf(w->text, sizeof w->text, "%s", p.text);
        w->cx = (p.bbox[0] + p.bbox[2]) / 2;
        w->cy = (p.bbox[1] + p.bbox[3]) / 2;
        w->size = p.font_size;
    }
    return true;
}

static inline void frame_free(frame *f)
{
    free(f->w);
    memset(f, 0, sizeof *f);
}

static inline const frame_word *frame_find(const frame *f, const char *text)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->w[i].text, text) == 0) {
            return &f->w[i];
        }
    }
    return NULL;
}

/* The measures of one update, over the words drawn in both frames. */
typedef struct measure {
    size_t compared;
    double moved_share;  /* centres moved more than 1 em (size after) */
    double displacement; /* mean centre move / canvas diagonal */
    double knn;          /* share of each word's 5 nearest kept; -1: < 6 words */
} measure;

#define KNN 5

/* The KNN nearest of word `i` among the words `idx` of frame `f`
 * (indices into idx), by centre distance, ties by index. */
static inline void nearest(const frame *f, const size_t *idx, size_t m, size_t i,
                           size_t *out)
{
    double best_d[KNN];
    size_t got = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == i) {
            continue;
        }
        double d =
            hypot(f->w[idx[j]].cx - f->w[idx[i]].cx, f->w[idx[j]].cy - f->w[idx[i]].cy);
        size_t pos = got < KNN ? got : KNN;
        while (pos > 0 && best_d[pos - 1] > d) {
            pos--;
        }
        if (pos >= KNN) {
            continue;
        }
        size_t last = got < KNN ? got : KNN - 1;
        for (size_t k = last; k > pos; k--) {
            best_d[k] = best_d[k - 1];
            out[k] = out[k - 1];
        }
        best_d[pos] = d;
        out[pos] = j;
        got += got < KNN;
    }
}

static inline measure frame_measure(const frame *before, const frame *after, double diag)
{
    measure m = {0, 0, 0, -1};
    size_t *ia = calloc(after->n ? after->n : 1, sizeof *ia);
    size_t *ib = calloc(after->n ? after->n : 1, sizeof *ib);
    if (!ia || !ib) {
        free(ia);
        free(ib);
        return m;
    }
    double sum = 0;
    size_t moved = 0;
    for (size_t i = 0; i < after->n; i++) {
        const frame_word *b = frame_find(before, after->w[i].text);
        if (!b) {
            continue;
        }
        ia[m.compared] = i;
        ib[m.compared] = (size_t)(b - before->w);
        m.compared++;
        double d = hypot(after->w[i].cx - b->cx, after->w[i].cy - b->cy);
        sum += d;
        moved += d > after->w[i].size;
    }
    if (m.compared > 0) {
        m.moved_share = (double)moved / (double)m.compared;
        m.displacement = sum / (double)m.compared / diag;
    }
    if (m.compared > KNN) {
        double kept = 0;
        for (size_t i = 0; i < m.compared; i++) {
            size_t na[KNN], nb[KNN];
            nearest(after, ia, m.compared, i, na);
            nearest(before, ib, m.compared, i, nb);
            size_t same = 0;
            for (size_t a = 0; a < KNN; a++) {
                for (size_t b = 0; b < KNN; b++) {
                    same += na[a] == nb[b];
                }
            }
            kept += (double)same / KNN;
        }
        m.knn = kept / (double)m.compared;
    }
    free(ia);
    free(ib);
    return m;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* The q-quantile (0..1) of v[0..n), nearest rank; sorts v. */
static inline double quantile(double *v, size_t n, double q)
{
    if (n == 0) {
        return NAN;
    }
    qsort(v, n, sizeof *v, cmp_double);
    size_t k = (size_t)ceil(q * (double)n);
    return v[k > 0 ? k - 1 : 0];
}

#endif /* VC_LIVE_REPLAY_H */
