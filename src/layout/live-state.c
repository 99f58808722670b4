/* live-state.c - a live cloud's state as bytes and back (vc_live_save,
 * vc_live_restore): every word's anchor and place and the one scale, so a
 * restarted server resumes the cloud where it was instead of laying it
 * out again.  Counts are not in it: they come with the next update.
 *
 * The format is line-based text, numbers as decimal integers or as the
 * 16 hex digits of an IEEE-754 double (exact and locale-free):
 *   votecloud-live-state 1
 *   canvas W H SEED
 *   scale BITS HAVE
 *   words N
 * then N times "GROUP ANCHORED AX AY DRAWN SEQ SIZE X Y LEN\n" + LEN bytes
 * of text + "\n".  Drawn words are seated again in the order they were
 * seated (SEQ): each was checked against the words before it, with their
 * padding, so the same check passes again on a true state. */
#include "layout/live-internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "votecloud-live-state 1\n"
/* Bounds on what a restore accepts: more distinct words than a live event
 * of thousands gives (each word is shaped, and looked up among the others),
 * far less than would exhaust memory or time.  A bigger state is refused
 * and the caller lays out again. */
#define MAX_WORDS 20000
#define MAX_TEXT 4096
/* Anchors and sizes within this many canvases of the canvas. */
#define MAX_REACH 64.0

/* ---- save ----------------------------------------------------------------- */

static uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

char *vc_live_save(const vc_live *live, size_t *len_out, vc_error *err)
{
    if (!live || !len_out) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_live_save: no live layout");
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        vc_fail_nomem(err, "live state");
        return NULL;
    }
    fprintf(f, MAGIC "canvas %d %d %016" PRIx64 "\nscale %016" PRIx64 " %d\nwords %zu\n",
            live->e.occ.w, live->e.occ.h, live->opts.seed, bits_of(live->scale),
            live->have_scale ? 1 : 0, live->n);
    for (size_t i = 0; i < live->n; i++) {
        const live_word *w = &live->w[i];
        bool drawn = w->state == LIVE_DRAWN && w->in_occ;
        fprintf(f,
                "%d %d %016" PRIx64 " %016" PRIx64 " %d %" PRIu64 " %016" PRIx64
                " %d %d %zu\n",
                (int)w->group, w->anchored ? 1 : 0, bits_of(w->ax), bits_of(w->ay),
                drawn ? 1 : 0, drawn ? w->seq : 0, bits_of(drawn ? w->size : 0),
                drawn ? w->x : 0, drawn ? w->y : 0, strlen(w->text));
        fputs(w->text, f);
        fputc('\n', f);
    }
    if (fclose(f) != 0 || !buf) {
        free(buf);
        vc_fail_nomem(err, "live state");
        return NULL;
    }
    *len_out = len;
    return buf;
}

/* ---- restore ---------------------------------------------------------------- */

typedef struct cursor {
    const char *p, *end;
    size_t line;
} cursor;

static bool bad(const cursor *c, vc_error *err, const char *what)
{
    return vc_fail(err, VC_ERR_DATA, "live state:%zu: %s", c->line, what);
}

/* The literal `s`. */
static bool lit(cursor *c, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0) {
        return false;
    }
    c->p += n;
    c->line += s[n - 1] == '\n';
    return true;
}

/* A separator: ' ' or, with nl, the end of the line. */
static bool sep(cursor *c, bool nl)
{
    return lit(c, nl ? "\n" : " ");
}

/* A decimal integer in [lo, hi], optionally signed. */
static bool num(cursor *c, long long lo, long long hi, long long *out)
{
    bool neg = c->p < c->end && *c->p == '-';
    c->p += neg;
    long long v = 0;
    size_t digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 12) {
        v = v * 10 + (*c->p++ - '0');
        digits++;
    }
    v = neg ? -v : v;
    if (digits == 0 || (c->p < c->end && *c->p >= '0' && *c->p <= '9') || v < lo ||
        v > hi) {
        return false;
    }
    *out = v;
    return true;
}

/* 16 hex digits. */
static bool hex64(cursor *c, uint64_t *out)
{
    if (c->end - c->p < 16) {
        return false;
    }
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char ch = *c->p++;
        unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                                              : 16u;
        if (d == 16) {
            return false;
        }
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* A finite double stored as its bits, in [lo, hi]. */
static bool dbl(cursor *c, double lo, double hi, double *out)
{
    uint64_t b;
    if (!hex64(c, &b)) {
        return false;
    }
    double v;
    memcpy(&v, &b, sizeof v);
    if (!isfinite(v) || v < lo || v > hi) {
        return false;
    }
    *out = v;
    return true;
}

#define MAX_SEQ 999999999999LL

typedef struct saved_word {
    long long group, anchored, drawn, seq, x, y, len;
    size_t index; /* in the live layout's words */
    double ax, ay, size;
    const char *text;
} saved_word;

static bool read_word(cursor *c, double reach, double max_size, saved_word *s,
                      vc_error *err)
{
    double lo = -reach, hi = reach;
    bool ok = num(c, 0, VC_GROUP_BOTH, &s->group) && sep(c, false) &&
              num(c, 0, 1, &s->anchored) && sep(c, false) && dbl(c, lo, hi, &s->ax) &&
              sep(c, false) && dbl(c, lo, hi, &s->ay) && sep(c, false) &&
              num(c, 0, 1, &s->drawn) && sep(c, false) && num(c, 0, MAX_SEQ, &s->seq) &&
              sep(c, false) && dbl(c, 0, max_size, &s->size) && sep(c, false) &&
              num(c, -1000000, 1000000, &s->x) && sep(c, false) &&
              num(c, -1000000, 1000000, &s->y) && sep(c, false) &&
              num(c, 1, MAX_TEXT, &s->len) && sep(c, true);
    if (!ok) {
        return bad(c, err, "not a word line");
    }
    if (s->drawn && !(s->size > 0)) {
        return bad(c, err, "a drawn word with no size");
    }
    if (c->end - c->p < s->len + 1 || memchr(c->p, '\0', (size_t)s->len) ||
        memchr(c->p, '\n', (size_t)s->len) || c->p[s->len] != '\n') {
        return bad(c, err, "a word's text is cut or holds a line break");
    }
    s->text = c->p;
    c->p += s->len + 1;
    c->line++;
    return true;
}

/* The word into lv, not drawn yet. */
static bool add_word(vc_live *lv, const cursor *c, saved_word *s, vc_error *err)
{
    if (s->drawn && !s->anchored) {
        return bad(c, err, "a drawn word with no anchor");
    }
    char *text = vc_malloc2((size_t)s->len + 1, 1);
    if (!text) {
        return vc_fail_nomem(err, "live state");
    }
    memcpy(text, s->text, (size_t)s->len);
    text[s->len] = '\0';
    size_t before = lv->n;
    live_word *lw = vc_live_find_or_add(lv, text, (vc_group)s->group, err);
    free(text);
    if (!lw) {
        return false;
    }
    if (lv->n == before) {
        return bad(c, err, "a word given twice");
    }
    s->index = before;
    return true;
}

/* Not drawn first, then drawn by seq (ties by index: a total order). */
static int cmp_seq(const void *pa, const void *pb)
{
    const saved_word *a = pa, *b = pb;
    long long ka = a->drawn ? a->seq : -1, kb = b->drawn ? b->seq : -1;
    if (ka != kb) {
        return ka < kb ? -1 : 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Every word of the state into lv (as new); on failure lv may hold part. */
static bool take(vc_live *lv, cursor *c, vc_error *err)
{
    long long w, h, n, have;
    uint64_t seed;
    double scale;
    if (!lit(c, MAGIC)) {
        return bad(c, err, "not a live state of this version");
    }
    if (!lit(c, "canvas ") || !num(c, 1, 1 << 20, &w) || !sep(c, false) ||
        !num(c, 1, 1 << 20, &h) || !sep(c, false) || !hex64(c, &seed) || !sep(c, true)) {
        return bad(c, err, "no canvas line");
    }
    if (w != lv->e.occ.w || h != lv->e.occ.h || seed != lv->opts.seed) {
        return bad(c, err, "saved for another canvas size or seed");
    }
    if (!lit(c, "scale ") || !dbl(c, 0, 1e9, &scale) || !sep(c, false) ||
        !num(c, 0, 1, &have) || !sep(c, true) || (have && !(scale > 0))) {
        return bad(c, err, "no scale line");
    }
    if (!lit(c, "words ") || !num(c, 0, MAX_WORDS, &n) || !sep(c, true)) {
        return bad(c, err, "no word count");
    }
    double reach = MAX_REACH * hypot(w, h);
    lv->scale = scale;
    lv->have_scale = have != 0;
    saved_word *sw = vc_malloc2(n ? (size_t)n : 1, sizeof *sw);
    if (!sw) {
        return vc_fail_nomem(err, "live state");
    }
    bool ok = true;
    for (long long k = 0; ok && k < n; k++) {
        ok =
            read_word(c, reach, hypot(w, h), &sw[k], err) && add_word(lv, c, &sw[k], err);
    }
    if (ok && c->p != c->end) {
        ok = bad(c, err, "bytes after the last word");
    }
    /* The drawn words in the order they were seated. */
    if (ok) {
        qsort(sw, (size_t)n, sizeof *sw, cmp_seq);
    }
    for (long long k = 0; ok && k < n; k++) {
        const saved_word *s = &sw[k];
        live_word *lw = &lv->w[s->index];
        if (s->drawn) {
            ok = vc_live_seat_at(lv, s->index, s->size, (int)s->x, (int)s->y, err);
            lw->seq = (uint64_t)s->seq;
            lv->commits = lv->commits > lw->seq ? lv->commits : lw->seq;
        }
        lw->anchored = s->anchored != 0;
        lw->ax = s->ax;
        lw->ay = s->ay;
    }
    free(sw);
    return ok;
}
bool vc_live_restore(vc_live *live, const char *data, size_t len, vc_error *err)
{
    if (!live || (!data && len > 0)) {
        return vc_fail(err, VC_ERR_SOFTWARE, "vc_live_restore: no live layout or data");
    }
    if (live->updated || live->n > 0) {
        return vc_fail(err, VC_ERR_USAGE,
                       "vc_live_restore: the live layout has been updated already");
    }
    if (len > VC_LIVE_STATE_MAX) {
        return vc_fail(err, VC_ERR_DATA, "live state: %zu bytes, more than %u", len,
                       (unsigned)VC_LIVE_STATE_MAX);
    }
    cursor c = {data, data + len, 1};
    if (!take(live, &c, err)) {
        vc_live_reset(live);
        return false;
    }
    return true;
}
