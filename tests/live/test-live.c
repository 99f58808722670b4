/* test-live.c - the live layout (vc_live): over a shortened replay of a
 * live event (the first PARTICIPANTS of replay.py's output, given as the
 * argument), every frame keeps the truth, checked from the snapshot's own
 * ink bitmaps:
 * - font_size = scale * votes (linear sizing) for every drawn word;
 * - no two drawn words' ink share a pixel, and all ink is on the canvas;
 * - every word given is drawn or dropped with a reason, exactly once;
 * - no word dropped for room or size has more votes than a drawn one;
 * and the cloud is stable: the median share of words moved more than
 * 1 em is at most 5% and below from-scratch layouts'; the same seed gives
 * the same SVG bytes; a hidden word disappears without moving others; a
 * saved and restored cloud is the same frame and goes on the same.
 * Counts only, never times. */
#include "layout/layout.h"
#include "layout/live-internal.h"
#include "replay.h"
#include "tap.h"

#include <unistd.h>

#define PARTICIPANTS 150

typedef struct truth {
    size_t frames, size_wrong, overlaps, off_canvas, missing, twice, no_reason,
        order_wrong;
} truth;

/* Checks one frame against the words given (`words`). */
static void check_frame(const vc_layout *L, const vc_words *words, uint16_t *owner,
                        truth *t)
{
    t->frames++;
    int W = L->width, H = L->height;
    memset(owner, 0, (size_t)W * (size_t)H * sizeof *owner);
    double min_placed = INFINITY;
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        if (p->font_size != L->scale * p->count) {
            t->size_wrong++;
        }
        min_placed = fmin(min_placed, p->count);
        for (int j = 0; j < p->ink.h; j++) {
            for (int k = 0; k < p->ink.w; k++) {
                if (!p->ink.alpha[(size_t)j * (size_t)p->ink.stride + (size_t)k]) {
                    continue;
                }
                int x = p->x + p->ink.x0 + k, y = p->y + p->ink.y0 + j;
                if (x < 0 || y < 0 || x >= W || y >= H) {
                    t->off_canvas++;
                    continue;
                }
                uint16_t *o = &owner[(size_t)y * (size_t)W + (size_t)x];
                if (*o && *o != i + 1) {
                    t->overlaps++;
                }
                *o = (uint16_t)(i + 1);
            }
        }
    }
    for (size_t i = 0; i < L->n_dropped; i++) {
        const vc_dropped_word *d = &L->dropped[i];
        if (!d->reason || !d->reason[0]) {
            t->no_reason++;
        }
        bool exempt = d->why == VC_DROP_NO_VOTES || d->why == VC_DROP_NO_INK;
        if (!exempt && d->count > min_placed) {
            t->order_wrong++;
        }
    }
    /* Every word given, exactly once. */
    for (size_t i = 0; i < vc_words_size(words); i++) {
        const char *text = vc_words_text(words, i);
        size_t seen = 0;
        for (size_t k = 0; k < L->n_placed; k++) {
            seen += strcmp(L->placed[k].text, text) == 0;
        }
        for (size_t k = 0; k < L->n_dropped; k++) {
            seen += strcmp(L->dropped[k].text, text) == 0;
        }
        t->missing += seen == 0;
        t->twice += seen > 1;
    }
    if (L->n_placed + L->n_dropped != vc_words_size(words)) {
        t->twice++;
    }
}

static vc_render_options options(void)
{
    vc_render_options o;
    vc_render_options_init(&o);
    const char *fontdir = getenv("FONTDIR");
    o.font_dir = fontdir && *fontdir ? fontdir : NULL;
    return o;
}

/* Replays n participants into `live`, checking every frame; the live and
 * (when ctx) from-scratch moved shares of every update go to the arrays. */
static bool run_replay(vc_live *live, vc_context *ctx, const replay *r, size_t n,
                       tally *t, truth *tr, double *moved_live, double *moved_scratch,
                       size_t *n_moved)
{
    vc_render_options o = options();
    uint16_t *owner = calloc((size_t)o.width * (size_t)o.height, sizeof *owner);
    frame pl = {0}, ps = {0};
    bool ok = owner != NULL;
    double diag = hypot(o.width, o.height);
    *n_moved = 0;
    for (size_t p = 0; ok && p < n; p++) {
        vc_error err = {0};
        vc_words *words = NULL;
        vc_layout *L = NULL, *S = NULL;
        frame fl = {0}, fs = {0};
        vc_live_stats st;
        ok = tally_participant(t, r, p) && (words = tally_words(t, &err)) &&
             vc_live_update(live, words, &st, &err) &&
             (L = vc_live_snapshot(live, &err)) && frame_from_layout(L, &fl);
        if (ok) {
            check_frame(L, words, owner, tr);
            ok = st.placed == L->n_placed && st.dropped == L->n_dropped;
            if (!ok) {
                printf("# participant %zu: stats say %zu placed %zu dropped, snapshot "
                       "%zu %zu\n",
                       p + 1, st.placed, st.dropped, L->n_placed, L->n_dropped);
            }
        }
        if (ok && ctx) {
            ok = (S = vc_layout_new(ctx, words, &o, &err)) && frame_from_layout(S, &fs);
        }
        if (ok && p > 0) {
            moved_live[*n_moved] = frame_measure(&pl, &fl, diag).moved_share;
            moved_scratch[*n_moved] = ctx ? frame_measure(&ps, &fs, diag).moved_share : 0;
            (*n_moved)++;
        }
        if (!ok && err.message[0]) {
            printf("# participant %zu: %s\n", p + 1, err.message);
        }
        frame_free(&pl);
        frame_free(&ps);
        pl = fl;
        ps = fs;
        vc_layout_free(L);
        vc_layout_free(S);
        vc_words_free(words);
    }
    frame_free(&pl);
    frame_free(&ps);
    free(owner);
    return ok;
}

static void test_replay(const replay *r)
{
    vc_render_options o = options();
    vc_error err = {0};
    vc_live *live = vc_live_new(&o, &err);
    vc_context *ctx = vc_context_new(&err);
    TAP_OK(live && ctx, "vc_live_new and a context for the comparison (%s)", err.message);
    if (!live || !ctx) {
        vc_live_free(live);
        vc_context_free(ctx);
        return;
    }
    tally t = {0};
    truth tr = {0};
    double ml[PARTICIPANTS], ms[PARTICIPANTS];
    size_t nm = 0;
    size_t n = r->n < PARTICIPANTS ? r->n : PARTICIPANTS;
    bool ok = run_replay(live, ctx, r, n, &t, &tr, ml, ms, &nm);
    TAP_OK(ok && tr.frames == n, "replayed %zu participants, %zu frames checked", n,
           tr.frames);
    TAP_OK(tr.size_wrong == 0,
           "every drawn word's font size is scale x votes (%zu wrong)", tr.size_wrong);
    TAP_OK(tr.overlaps == 0, "no two words' ink share a pixel in any frame (%zu pixels)",
           tr.overlaps);
    TAP_OK(tr.off_canvas == 0, "all ink is on the canvas (%zu pixels off)",
           tr.off_canvas);
    TAP_OK(tr.missing == 0 && tr.twice == 0,
           "every word given is drawn or dropped exactly once (%zu missing, %zu twice)",
           tr.missing, tr.twice);
    TAP_OK(tr.no_reason == 0, "every dropped word has a reason (%zu without)",
           tr.no_reason);
    TAP_OK(tr.order_wrong == 0, "no dropped word has more votes than a drawn one (%zu)",
           tr.order_wrong);
    double med_live = quantile(ml, nm, 0.5), med_scratch = quantile(ms, nm, 0.5);
    printf("# moved > 1 em, median over %zu updates: grow-in-place %.1f%%, from-scratch "
           "%.1f%%\n",
           nm, 100 * med_live, 100 * med_scratch);
    TAP_OK(nm > 0 && med_live <= 0.05,
           "median share of words moved > 1 em is <= 5%% (%.1f%%)", 100 * med_live);
    TAP_OK(nm > 0 && med_live < med_scratch,
           "and below from-scratch layouts' (%.1f%% < %.1f%%)", 100 * med_live,
           100 * med_scratch);

    /* A hidden word (moderation) disappears; nothing else moves. */
    vc_layout *before = vc_live_snapshot(live, &err);
    size_t mid = before ? before->n_placed / 2 : 0;
    char hidden[REPLAY_WORD_MAX] = "";
    if (before && before->n_placed > 2) {
        snprintf(hidden, sizeof hidden, "%s", before->placed[mid].text);
        for (size_t i = 0; i < t.n; i++) {
            t.hidden[i] = strcmp(t.text[i], hidden) == 0;
        }
    }
    vc_words *words = tally_words(&t, &err);
    vc_live_stats st;
    bool upd = words && vc_live_update(live, words, &st, &err);
    vc_layout *after = upd ? vc_live_snapshot(live, &err) : NULL;
    TAP_OK(after && hidden[0], "hid '%s' (%s)", hidden, err.message);
    size_t same = 0, found = 0;
    for (size_t i = 0; after && i < before->n_placed; i++) {
        const vc_placed_word *b = &before->placed[i];
        for (size_t k = 0; k < after->n_placed; k++) {
            const vc_placed_word *a = &after->placed[k];
            if (strcmp(a->text, b->text) == 0) {
                same += a->x == b->x && a->y == b->y && a->font_size == b->font_size;
            }
        }
    }
    for (size_t k = 0; after && k < after->n_placed; k++) {
        found += strcmp(after->placed[k].text, hidden) == 0;
    }
    for (size_t k = 0; after && k < after->n_dropped; k++) {
        found += strcmp(after->dropped[k].text, hidden) == 0;
    }
    TAP_OK(after && found == 0 && after->n_placed + 1 == before->n_placed,
           "the hidden word is neither drawn nor listed (%zu -> %zu drawn)",
           before ? before->n_placed : 0, after ? after->n_placed : 0);
    TAP_OK(after && same == after->n_placed && upd && st.moved == 0 && !st.rescaled,
           "every other word stays exactly where it was (%zu of %zu; stats moved %zu)",
           same, after ? after->n_placed : 0, upd ? st.moved : 0);
    vc_layout_free(before);
    vc_layout_free(after);
    vc_words_free(words);
    tally_free(&t);
    vc_context_free(ctx);
    vc_live_free(live);
}

static bool read_all(const char *path, char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return false;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    *data = malloc(n > 0 ? (size_t)n : 1);
    *len = *data && n >= 0 ? fread(*data, 1, (size_t)n, fp) : 0;
    fclose(fp);
    return *data && (long)*len == n;
}

/* Two runs with the same seed: the same SVG bytes. */
static void test_same_bytes(const replay *r, const char *dir)
{
    char path[2][4200];
    char *data[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    bool ok = true;
    for (int run = 0; run < 2; run++) {
        vc_render_options o = options();
        vc_error err = {0};
        vc_live *live = vc_live_new(&o, &err);
        tally t = {0};
        truth tr = {0};
        double ml[60], ms[60];
        size_t nm;
        size_t n = r->n < 60 ? r->n : 60;
        ok = ok && live && run_replay(live, NULL, r, n, &t, &tr, ml, ms, &nm);
        vc_layout *L = ok ? vc_live_snapshot(live, &err) : NULL;
        snprintf(path[run], sizeof path[run], "%s/run%d.svg", dir, run);
        ok = ok && L && vc_layout_write_svg(L, path[run], &err) &&
             read_all(path[run], &data[run], &len[run]);
        if (err.message[0]) {
            printf("# %s\n", err.message);
        }
        vc_layout_free(L);
        tally_free(&t);
        vc_live_free(live);
        unlink(path[run]);
    }
    TAP_OK(ok && len[0] > 1000 && len[0] == len[1] &&
               memcmp(data[0], data[1], len[0]) == 0,
           "same seed, same SVG bytes (%zu and %zu bytes)", len[0], len[1]);
    free(data[0]);
    free(data[1]);
}

/* Options, NULLs and words with no votes. */
static void test_edges(void)
{
    vc_error err = {0};
    vc_render_options o = options();
    o.width = 0;
    TAP_OK(vc_live_new(&o, &err) == NULL && strstr(err.message, "width"),
           "vc_live_new refuses a zero width: %s", err.message);
    vc_error_clear(&err);
    vc_live_free(NULL);
    TAP_OK(!vc_live_update(NULL, NULL, NULL, &err) && err.message[0],
           "vc_live_update(NULL) fails with a message: %s", err.message);
    vc_error_clear(&err);
    TAP_OK(vc_live_snapshot(NULL, &err) == NULL && err.message[0],
           "vc_live_snapshot(NULL) fails with a message: %s", err.message);
    vc_error_clear(&err);

    o = options();
    o.min_font_size = 10;
    vc_live *live = vc_live_new(&o, &err);
    vc_layout *empty = live ? vc_live_snapshot(live, &err) : NULL;
    TAP_OK(empty && empty->n_placed == 0 && empty->n_dropped == 0,
           "a live layout with no update yet is an empty frame (%s)", err.message);
    vc_layout_free(empty);
    vc_words *w = vc_words_new(&err);
    bool ok = w && vc_words_add(w, "big", 100, VC_GROUP_WORD, &err) &&
              vc_words_add(w, "none", 0, VC_GROUP_WORD, &err) &&
              vc_words_add(w, "tiny", 1, VC_GROUP_WORD, &err);
    vc_live_stats st;
    ok = ok && vc_live_update(live, w, &st, &err);
    vc_layout *L = ok ? vc_live_snapshot(live, &err) : NULL;
    TAP_OK(L && L->n_placed == 1 && L->n_dropped == 2 && st.placed == 1 &&
               st.dropped == 2,
           "100 votes drawn, 0 and 1 vote dropped (%s)", err.message);
    TAP_OK(L && L->n_dropped == 2 && strcmp(L->dropped[0].text, "tiny") == 0 &&
               strstr(L->dropped[0].reason, "too small") &&
               strcmp(L->dropped[1].text, "none") == 0 &&
               strstr(L->dropped[1].reason, "no votes") &&
               L->dropped[0].why == VC_DROP_TOO_SMALL && L->dropped[1].why == VC_DROP_NO_VOTES,
           "reasons, in words and as the enum: '%s', '%s'", L && L->n_dropped > 0 ? L->dropped[0].reason : "",
           L && L->n_dropped > 1 ? L->dropped[1].reason : "");
    TAP_OK(L && L->n_placed == 1 && L->placed[0].font_size == 0.45 * 675,
           "the first top word gets 45%% of the canvas height (%g px)",
           L && L->n_placed ? L->placed[0].font_size : 0);
    vc_layout_free(L);
    vc_words_free(w);
    /* The words vanish: an empty frame, no error. */
    w = vc_words_new(&err);
    ok = w && vc_live_update(live, w, &st, &err);
    L = ok ? vc_live_snapshot(live, &err) : NULL;
    TAP_OK(L && L->n_placed == 0 && L->n_dropped == 0 && st.placed == 0,
           "an update with no words empties the frame (%s)", err.message);
    vc_layout_free(L);
    vc_words_free(w);
    vc_live_free(live);
}

/* The layout report of the live cloud's frame (NULL on failure). */
static char *frame_json(const vc_live *live)
{
    vc_error err = {0};
    vc_layout *L = vc_live_snapshot(live, &err);
    char *json = L ? vc_layout_json(L, NULL, &err) : NULL;
    vc_layout_free(L);
    return json;
}

/* Feeds participants [from, to) into `live` (counts in t). */
static bool feed(vc_live *live, tally *t, const replay *r, size_t from, size_t to)
{
    bool ok = true;
    for (size_t p = from; ok && p < to && p < r->n; p++) {
        vc_error err = {0};
        vc_words *words = NULL;
        ok = tally_participant(t, r, p) && (words = tally_words(t, &err)) &&
             vc_live_update(live, words, NULL, &err);
        vc_words_free(words);
    }
    return ok;
}

/* vc_live_save and vc_live_restore: a restored cloud given the same counts
 * is the same frame, byte for byte, and goes on exactly as the one that
 * was never stopped; bad states are refused and leave the layout as new. */
static void test_resume(const replay *r)
{
    vc_render_options o = options();
    vc_error err = {0};
    vc_live *a = vc_live_new(&o, &err), *b = vc_live_new(&o, &err);
    tally ta = {0}, tb = {0};
    bool ok = a && b && feed(a, &ta, r, 0, 80) && feed(b, &tb, r, 0, 80);
    size_t len = 0, len2 = 0;
    char *state = ok ? vc_live_save(a, &len, &err) : NULL;
    /* b has the counts but a fresh layout: restore into a new one. */
    vc_live_free(b);
    b = vc_live_new(&o, &err);
    TAP_OK(state && b && vc_live_restore(b, state, len, &err),
           "vc_live_save, then vc_live_restore into a new live layout (%zu bytes) %s",
           len, err.message);
    vc_words *words = tally_words(&tb, &err);
    ok = words && vc_live_update(b, words, NULL, &err);
    vc_words_free(words);
    char *ja = frame_json(a), *jb = ok ? frame_json(b) : NULL;
    TAP_OK(ja && jb && strcmp(ja, jb) == 0 && strstr(ja, "\"x\""),
           "restored and given the same counts: the same frame (%zu bytes of JSON)",
           ja ? strlen(ja) : 0);
    free(ja);
    free(jb);
    char *again = ok ? vc_live_save(b, &len2, &err) : NULL;
    TAP_OK(again && len2 == len && memcmp(again, state, len) == 0,
           "saved again: the same bytes");
    free(again);
    ok = ok && feed(a, &ta, r, 80, 120) && feed(b, &tb, r, 80, 120);
    ja = frame_json(a);
    jb = ok ? frame_json(b) : NULL;
    TAP_OK(ja && jb && strcmp(ja, jb) == 0,
           "40 participants later: the same frame as the cloud never stopped");
    /* The canvas taken from the words' cached padded masks equals the
     * canvas taken word by word with vc_canvas_take_word. */
    if (ok) {
        vc_engine *e = &a->e;
        size_t words_n = (size_t)e->occ.h * e->occ.nw;
        uint64_t *cached = malloc(words_n * sizeof *cached);
        size_t drawn = 0, differ = 0;
        ok = cached && vc_live_rebuild(a, &err);
        if (ok) {
            memcpy(cached, e->occ.bits, words_n * sizeof *cached);
            memcpy(e->occ.bits, e->base, words_n * sizeof *e->base);
            for (size_t i = 0; ok && i < a->n; i++) {
                live_word *w = &a->w[i];
                if (w->state == LIVE_DRAWN && w->in_occ) {
                    drawn++;
                    ok = vc_canvas_take_word(e, &w->sp, w->x, w->y, w->size, w->rotation,
                                             &err);
                    int box[4] = {w->x, w->y, w->x + w->sp.w, w->y + w->sp.h};
                    if (ok && w->shaped.n_lines > 1) {
                        vc_take_between_lines(&e->occ, &w->shaped, w->size, w->rotation,
                                              w->x - w->sp.x0, w->y - w->sp.y0, box);
                    }
                }
            }
            for (size_t k = 0; ok && k < words_n; k++) {
                differ += __builtin_popcountll(cached[k] ^ e->occ.bits[k]);
            }
        }
        TAP_OK(ok && drawn > 10 && differ == 0,
               "the canvas from cached padded masks equals vc_canvas_take_word's "
               "(%zu words, %zu pixels differ)",
               drawn, differ);
        free(cached);
        ok = ok && vc_live_rebuild(a, &err);
    }
    free(ja);
    free(jb);
    vc_live_free(b);

    /* Refusals. */
    b = vc_live_new(&o, &err);
    words = tally_words(&tb, &err);
    size_t refused = 0, tries = 0, as_new = 0;
    char *bad = state ? malloc(len + 1) : NULL;
    for (size_t cut = 0; bad && cut < len; cut += 1 + cut / 3) {
        tries++;
        vc_error_clear(&err);
        refused += !vc_live_restore(b, state, cut, &err) && err.status == VC_ERR_DATA;
        as_new += b->n == 0 && !b->have_scale;
    }
    TAP_OK(
        tries > 10 && refused == tries && as_new == tries,
        "every cut state is refused (VC_ERR_DATA), the layout left as new (%zu of %zu)",
        refused, tries);
    /* A word moved onto another: a state that is not true. */
    static const char *const flips[][2] = {
        {"votecloud-live-state 1", "votecloud-live-state 2"},
        {"canvas ", "canvas 2"},
        {"words ", "words 9"},
    };
    for (size_t f = 0; bad && f < sizeof flips / sizeof *flips; f++) {
        memcpy(bad, state, len);
        char *at = strstr(bad, flips[f][0]);
        memcpy(at, flips[f][1], strlen(flips[f][1]));
        vc_error_clear(&err);
        TAP_OK(at && !vc_live_restore(b, bad, len, &err) && err.status == VC_ERR_DATA &&
                   b->n == 0,
               "refused: %s", err.message);
    }
    /* The second drawn word put where the first one is: they overlap. */
    size_t drawn = 0;
    char *moved = NULL;
    if (bad) {
        memcpy(bad, state, len);
        bad[len] = '\0';
        char *line = strstr(bad, "words ");
        line = line ? strchr(line, '\n') : NULL;
        int fx = 0, fy = 0;
        while (line && line + 1 < bad + len && !moved) {
            char *l = line + 1;
            int g, an, d, x, y;
            unsigned long long ax, ay, seq, sz;
            size_t tl;
            int used = 0;
            if (sscanf(l, "%d %d %llx %llx %d %llu %llx %d %d %zu%n", &g, &an, &ax, &ay,
                       &d, &seq, &sz, &x, &y, &tl, &used) < 10) {
                break;
            }
            drawn += d == 1;
            if (d == 1 && drawn == 1) {
                fx = x;
                fy = y;
            } else if (d == 1 && drawn == 2) {
                size_t cap = len + 64;
                moved = malloc(cap);
                if (moved) {
                    snprintf(moved, cap,
                             "%.*s%d %d %016llx %016llx %d %llu %016llx %d %d %zu%s",
                             (int)(l - bad), bad, g, an, ax, ay, d, seq, sz, fx, fy, tl,
                             l + used);
                }
            }
            line = strchr(l, '\n');
            line = line ? strchr(line + 1, '\n') : NULL;
        }
    }
    vc_error_clear(&err);
    TAP_OK(moved && !vc_live_restore(b, moved, strlen(moved), &err) &&
               err.status == VC_ERR_DATA && b->n == 0,
           "the second drawn word moved onto the first is refused: %s", err.message);
    free(moved);
    ok = words && vc_live_update(b, words, NULL, &err);
    vc_error_clear(&err);
    TAP_OK(ok && !vc_live_restore(b, state, len, &err) && err.status == VC_ERR_USAGE,
           "restore after an update: VC_ERR_USAGE (%s)", err.message);
    vc_error_clear(&err);
    TAP_OK(!vc_live_restore(a, state, VC_LIVE_STATE_MAX + 1, &err) && err.message[0],
           "more than VC_LIVE_STATE_MAX bytes refused");
    free(bad);
    vc_words_free(words);
    free(state);
    tally_free(&ta);
    tally_free(&tb);
    vc_live_free(a);
    vc_live_free(b);
}

/* The lines of a placed phrase in canvas px (x0, y0, x1, y1 each). */
static unsigned phrase_lines(const vc_placed_word *p, double lines[VC_WRAP_MAX_LINES][4])
{
    const vc_shaped *sh = &p->shaped;
    unsigned n = sh->n_lines > 1 ? sh->n_lines : 1;
    for (unsigned k = 0; k < n; k++) {
        const double *li = n > 1 ? sh->line_ink[k] : sh->ink;
        for (int c = 0; c < 4; c++) {
            lines[k][c] = (c % 2 ? p->y : p->x) + li[c] * p->font_size;
        }
    }
    return n;
}

/* Words of a like size (within 1.5 times) whose ink comes into the band
 * above a phrase's first line or below its last, over that line: 1.25
 * times its widest gap between lines tall, at least 0.15 em (the rule of
 * place.c, measured here from the frame): they would read as one more
 * line of it. */
static size_t near_phrase_lines(const vc_layout *L)
{
    size_t bad = 0;
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        double ln[VC_WRAP_MAX_LINES][4];
        unsigned n = phrase_lines(p, ln);
        if (n < 2 || p->rotation != 0) {
            continue;
        }
        double gap = 0;
        for (unsigned k = 0; k + 1 < n; k++) {
            gap = fmax(gap, ln[k + 1][1] - ln[k][3]);
        }
        gap = fmax(1.25 * gap, 0.15 * p->font_size) - 1; /* a pixel for rounding */
        double above[4] = {ln[0][0], ln[0][1] - gap, ln[0][2], ln[0][1]};
        double below[4] = {ln[n - 1][0], ln[n - 1][3], ln[n - 1][2], ln[n - 1][3] + gap};
        for (size_t j = 0; j < L->n_placed; j++) {
            const vc_placed_word *q = &L->placed[j];
            double r = q->font_size / p->font_size;
            if (j == i || r > 1.5 - 1e-9 || r < 1 / 1.5 + 1e-9) {
                continue; /* not of a like size (an exact 1.5 may round either way) */
            }
            for (int b = 0; b < 2; b++) {
                const double *band = b ? below : above;
                bad += q->box[0] < band[2] && band[0] < q->box[2] && q->box[1] < band[3] &&
                       band[1] < q->box[3];
            }
        }
    }
    return bad;
}

/* Round r (1-3) of answers in which one long phrase leads. */
static vc_words *phrase_round(int round, vc_error *err)
{
    static const char *const others[] = {
        "kindness", "care", "hope", "trust", "respect", "listening", "community",
        "safety", "wellbeing", "prevention", "independence", "dignity", "choice",
        "fairness", "inclusion", "access", "home", "family", "friends", "nature"};
    vc_words *w = vc_words_new(err);
    bool ok = w && vc_words_add(w, "Right support at the right time", 30.0 * round,
                                VC_GROUP_WORD, err) &&
              vc_words_add(w, "Green spaces", 3.0 * round, VC_GROUP_WORD, err);
    for (size_t i = 0; ok && i < sizeof others / sizeof *others; i++) {
        ok = vc_words_add(w, others[i], (double)(round * (24 - (int)i)), VC_GROUP_WORD, err);
    }
    if (!ok) {
        vc_words_free(w);
        return NULL;
    }
    return w;
}

/* A live cloud given the three rounds, every frame checked into *tr;
 * NULL on failure. */
static vc_live *feed_phrase(vc_wrap wrap, truth *tr, uint16_t *owner)
{
    vc_render_options o = options();
    o.wrap = wrap;
    vc_error err = {0};
    vc_live *live = vc_live_new(&o, &err);
    bool ok = live != NULL;
    for (int round = 1; ok && round <= 3; round++) {
        vc_words *w = phrase_round(round, &err);
        vc_layout *L = NULL;
        ok = w && vc_live_update(live, w, NULL, &err) && (L = vc_live_snapshot(live, &err));
        if (ok) {
            check_frame(L, w, owner, tr);
        }
        vc_layout_free(L);
        vc_words_free(w);
    }
    if (!ok) {
        printf("# %s\n", err.message);
        vc_live_free(live);
        return NULL;
    }
    return live;
}

static const vc_placed_word *placed_named(const vc_layout *L, const char *text)
{
    for (size_t i = 0; L && i < L->n_placed; i++) {
        if (strcmp(L->placed[i].text, text) == 0) {
            return &L->placed[i];
        }
    }
    return NULL;
}

/* --wrap auto in the live cloud: a phrase wider than half the canvas goes
 * on more lines, so the cloud draws larger than on one line; it is still
 * one word of the frame; no word of a like size stands where it would
 * read as one more line; a short phrase stays on one line; and a saved
 * state restores to the same frame (the lines follow from the size). */
static void test_wrap(void)
{
    vc_render_options o = options();
    uint16_t *owner = calloc((size_t)o.width * (size_t)o.height, sizeof *owner);
    truth tw = {0}, tn = {0};
    vc_live *wrapped = owner ? feed_phrase(VC_WRAP_AUTO, &tw, owner) : NULL;
    vc_live *flat = owner ? feed_phrase(VC_WRAP_NONE, &tn, owner) : NULL;
    vc_error err = {0};
    vc_layout *W = wrapped ? vc_live_snapshot(wrapped, &err) : NULL;
    vc_layout *F = flat ? vc_live_snapshot(flat, &err) : NULL;
    const vc_placed_word *pw = placed_named(W, "Right support at the right time");
    const vc_placed_word *pf = placed_named(F, "Right support at the right time");
    const vc_placed_word *g = placed_named(W, "Green spaces");
    TAP_OK(pw && pf && pw->shaped.n_lines >= 2 && pf->shaped.n_lines <= 1,
           "the long phrase is on %u lines with --wrap auto, on one with none",
           pw ? pw->shaped.n_lines : 0);
    TAP_OK(W && F && W->scale > 1.2 * F->scale,
           "... and the whole cloud draws larger: top %.1f px against %.1f px",
           pw ? pw->font_size : 0, pf ? pf->font_size : 0);
    TAP_OK(pw && (pw->box[2] - pw->box[0] <= 0.5 * o.width || pw->shaped.n_lines == 3),
           "... as few lines as bring it within half the canvas's width, or all it can take "
           "(%d of %d px)", pw ? pw->box[2] - pw->box[0] : 0, o.width);
    TAP_OK(g && g->shaped.n_lines <= 1, "a short phrase stays on one line");
    TAP_OK(tw.frames == 3 && tw.size_wrong + tw.overlaps + tw.off_canvas + tw.missing +
                                     tw.twice + tw.no_reason + tw.order_wrong == 0,
           "every wrapped frame keeps the truth (sizes %zu, overlaps %zu, off %zu, missing "
           "%zu, twice %zu, order %zu)",
           tw.size_wrong, tw.overlaps, tw.off_canvas, tw.missing, tw.twice, tw.order_wrong);
    size_t near = W ? near_phrase_lines(W) : 1;
    TAP_OK(W && near == 0, "no word of a like size stands a line's gap above or below the "
           "phrase (%zu)", near);
    char *json = W ? vc_layout_json(W, NULL, &err) : NULL;
    TAP_OK(json && strstr(json, "\"lines\""), "the layout report gives the phrase's lines");
    /* Saved, restored into a new live cloud and given the last counts:
     * the same frame. */
    size_t len = 0;
    char *state = wrapped ? vc_live_save(wrapped, &len, &err) : NULL;
    vc_live *back = vc_live_new(&o, &err);
    vc_words *last = phrase_round(3, &err);
    bool ok = state && back && last && vc_live_restore(back, state, len, &err) &&
              vc_live_update(back, last, NULL, &err);
    char *ja = ok ? frame_json(wrapped) : NULL, *jb = ok ? frame_json(back) : NULL;
    TAP_OK(ja && jb && strcmp(ja, jb) == 0,
           "saved and restored: the same frame, the phrase on the same lines %s", err.message);
    free(ja);
    free(jb);
    vc_words_free(last);
    free(state);
    free(json);
    vc_live_free(back);
    vc_layout_free(W);
    vc_layout_free(F);
    vc_live_free(wrapped);
    vc_live_free(flat);
    free(owner);
}

int main(int argc, char **argv)
{
    replay r;
    if (argc < 2 || !replay_load(argv[1], &r)) {
        printf("1..0 # SKIP no replay file given\n");
        return 77;
    }
    test_edges();
    test_wrap();
    test_resume(&r);
    test_replay(&r);
    char dir[] = "/tmp/vc-live-XXXXXX";
    if (mkdtemp(dir)) {
        test_same_bytes(&r, dir);
        rmdir(dir);
    } else {
        TAP_OK(false, "a temporary folder");
    }
    replay_free(&r);
    return tap_done();
}
