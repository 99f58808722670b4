/* layout.c - the layout object: vc_layout_new runs the stage (words in,
 * the canvas, the scale search, colours), vc_layout_free releases it, and
 * the getters read it.  The steps live in layout-words.c, place.c,
 * raster-ahead.c, fit.c and word-colors.c (engine.h). */
#include "layout/engine.h"

#include <stdlib.h>
#include <string.h>

static bool copy_strings(vc_layout *L, const vc_render_options *o, vc_error *err)
{
    L->opts = *o;
    L->font = vc_strdup(o->font);
    L->palette = vc_strdup(o->palette ? o->palette : "nhs");
    L->background = vc_strdup(o->background ? o->background : "#ffffff");
    L->title = vc_strdup(o->title);
    L->question = vc_strdup(o->question);
    L->mask_path = vc_strdup(o->mask_path);
    L->contrast_against = vc_strdup(o->contrast_against);
    if ((o->font && !L->font) || !L->palette || !L->background ||
        (o->title && !L->title) || (o->question && !L->question) ||
        (o->mask_path && !L->mask_path) || (o->contrast_against && !L->contrast_against)) {
        return vc_fail_nomem(err, "layout options");
    }
    L->opts.font = L->font;
    L->opts.palette = L->palette;
    L->opts.background = L->background;
    L->opts.title = L->title;
    L->opts.question = L->question;
    L->opts.mask_path = L->mask_path;
    L->opts.contrast_against = L->contrast_against;
    /* Used only while laying out; not kept, so nothing dangles. */
    L->opts.font_dir = NULL;
    L->width = o->width;
    L->height = o->height;
    /* A colour: vc_render_options_check, which every way in calls first,
     * refused anything else. */
    L->transparent = strcmp(L->background, "transparent") == 0;
    if (L->transparent || !vc_color_parse(L->background, &L->background_rgb)) {
        L->background_rgb = 0xffffff;
    }
    return true;
}

static void engine_finish(vc_engine *e)
{
    vc_made_finish(e);
    vc_cands_finish(e);
    vc_canvas_finish(e);
}

vc_layout *vc_layout_new(vc_context *ctx, const vc_words *words,
                         const vc_render_options *opts, vc_error *err)
{
    vc_render_options given;
    if (!vc_render_options_adopt(opts, &given, err)) {
        return NULL;
    }
    opts = &given;
    if (!ctx) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_layout_new: no context");
        return NULL;
    }
    if (!vc_render_options_check(opts, err)) {
        return NULL;
    }
    double start = vc_now();
    vc_layout *L = calloc(1, sizeof *L);
    if (!L) {
        vc_fail_nomem(err, "layout");
        return NULL;
    }
    L->clock = calloc(1, sizeof *L->clock);
    if (!L->clock) {
        free(L);
        vc_fail_nomem(err, "layout");
        return NULL;
    }
    /* The layout keeps its fonts, not the context (which may go first). */
    L->store = vc_fontstore_ref(ctx->store);
    vc_engine e;
    memset(&e, 0, sizeof e);
    e.L = L;
    e.ctx = ctx;
    e.o = opts;
    vc_trial best;
    memset(&best, 0, sizeof best);
    bool ok = copy_strings(L, opts, err) &&
              vc_fontset_init(ctx, &L->fonts, opts->font, opts->font_dir, err) &&
              vc_canvas_setup(&e, err) && vc_cands_gather(&e, words, err) &&
              vc_fit_scale(&e, &best, err) && vc_layout_take_trial(&e, &best, err) &&
              vc_layout_assign_colors(L, err) && vc_layout_check_strict(L, err) &&
              vc_legend_build(L, ctx, &L->legend, err) &&
              vc_layout_build_drawing(L, err);
    /* Homes are borrowed for the call only (issue 15): nothing dangles. */
    L->opts.homes = NULL;
    L->opts.n_homes = 0;
    vc_trial_free(&best);
    engine_finish(&e);
    /* Rasterising overlaps placement: `rasterise` is the rasteriser
     * thread's busy time, `layout` the rest of this thread's. */
    L->timings.layout = vc_now() - start - L->timings.shape - e.raster_wait;
    if (!ok) {
        vc_layout_free(L);
        return NULL;
    }
    return L;
}

bool vc_layout_build_drawing(vc_layout *L, vc_error *err)
{
    const vc_legend *lg = &L->legend;
    vc_drawing *d = &L->drawing;
    size_t n = L->n_placed + lg->n;
    d->runs = vc_calloc2(n ? n : 1, sizeof *d->runs);
    if (!d->runs) {
        return vc_fail_nomem(err, "layout drawing");
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *pw = &L->placed[i];
        d->runs[d->n++] = (vc_run){
            .kind = VC_RUN_WORD, .shaped = &pw->shaped, .ink = &pw->ink,
            .size = pw->font_size, .x = pw->x, .y = pw->y, .rotation = pw->rotation,
            .color = pw->color, .text = pw->text ? pw->text : "", .count = pw->count};
    }
    d->n_words = d->n;
    for (size_t i = 0; i < lg->n; i++) {
        const vc_legend_item *it = &lg->items[i];
        d->runs[d->n++] = (vc_run){
            .kind = VC_RUN_LEGEND, .shaped = &it->shaped, .size = it->size,
            .x = it->x, .y = it->y, .color = it->color};
    }
    d->legend_color = lg->color;
    d->legend_title = lg->summary ? lg->summary : "Key";
    return true;
}

vc_layout *vc_layout_begin(vc_context *ctx, const vc_render_options *opts, vc_error *err)
{
    if (!ctx || !opts) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_layout_begin: no context or options");
        return NULL;
    }
    if (!vc_render_options_check(opts, err)) {
        return NULL;
    }
    vc_layout *L = calloc(1, sizeof *L);
    if (!L) {
        vc_fail_nomem(err, "layout");
        return NULL;
    }
    L->store = vc_fontstore_ref(ctx->store);
    L->clock = calloc(1, sizeof *L->clock);
    L->legend_top = opts->height;
    if (!L->clock) {
        vc_layout_free(L);
        vc_fail_nomem(err, "layout");
        return NULL;
    }
    if (!copy_strings(L, opts, err) ||
        !vc_fontset_init(ctx, &L->fonts, opts->font, opts->font_dir, err)) {
        vc_layout_free(L);
        return NULL;
    }
    L->opts.homes = NULL; /* borrowed by vc_layout_new only (issue 15) */
    L->opts.n_homes = 0;
    return L;
}

void vc_layout_free(vc_layout *layout)
{
    if (!layout) {
        return;
    }
    for (size_t i = 0; i < layout->n_placed; i++) {
        free(layout->placed[i].text);
        vc_shaped_finish(&layout->placed[i].shaped);
        vc_ink_finish(&layout->placed[i].ink);
    }
    free(layout->placed);
    for (size_t i = 0; i < layout->n_dropped; i++) {
        free(layout->dropped[i].text);
        free(layout->dropped[i].reason);
    }
    free(layout->dropped);
    vc_legend_finish(&layout->legend);
    free(layout->drawing.runs);
    vc_fontset_finish(&layout->fonts);
    /* Last: the glyph runs above point into these fonts. */
    vc_fontstore_unref(layout->store);
    free(layout->clock);
    free(layout->font);
    free(layout->palette);
    free(layout->background);
    free(layout->title);
    free(layout->question);
    free(layout->mask_path);
    free(layout->contrast_against);
    free(layout);
}

/* ---- getters --------------------------------------------------------------- */

size_t vc_layout_placed_count(const vc_layout *layout)
{
    return layout ? layout->n_placed : 0;
}

bool vc_layout_placed(const vc_layout *layout, size_t i, vc_placed *out)
{
    if (!layout || i >= layout->n_placed || !out) {
        return false;
    }
    const vc_placed_word *p = &layout->placed[i];
    out->text = p->text;
    out->count = p->count;
    out->group = p->group;
    out->font_size = p->font_size;
    out->x = p->x;
    out->y = p->y;
    out->rotation = p->rotation;
    out->advance = p->shaped.advance * p->font_size;
    for (int k = 0; k < 4; k++) {
        out->bbox[k] = p->box[k];
    }
    out->color = p->color;
    out->font = p->shaped.n > 0 && p->shaped.glyphs[0].font ? p->shaped.glyphs[0].font->path
                : layout->fonts.n > 0 ? layout->fonts.fonts[0]->path
                                      : NULL;
    return true;
}

size_t vc_layout_placed_lines(const vc_layout *layout, size_t i, size_t *starts, size_t max)
{
    if (!layout || i >= layout->n_placed) {
        return 0;
    }
    const vc_shaped *s = &layout->placed[i].shaped;
    size_t n = vc_shaped_lines(s);
    for (size_t k = 0; k < n && k < max && starts; k++) {
        starts[k] = n > 1 ? s->line_at[k] : 0;
    }
    return n;
}

uint32_t vc_layout_placed_undrawable(const vc_layout *layout, size_t i)
{
    return layout && i < layout->n_placed ? layout->placed[i].shaped.undrawable : 0;
}

size_t vc_layout_dropped_count(const vc_layout *layout)
{
    return layout ? layout->n_dropped : 0;
}

bool vc_layout_dropped(const vc_layout *layout, size_t i, vc_dropped *out)
{
    if (!layout || i >= layout->n_dropped || !out) {
        return false;
    }
    const vc_dropped_word *d = &layout->dropped[i];
    out->text = d->text;
    out->count = d->count;
    out->group = d->group;
    out->reason = d->reason;
    out->why = d->why;
    return true;
}

const char *vc_drop_reason_to_string(vc_drop_reason reason)
{
    switch (reason) {
    case VC_DROP_NO_VOTES:
        return "no-votes";
    case VC_DROP_MAX_WORDS:
        return "max-words";
    case VC_DROP_TOO_SMALL:
        return "too-small";
    case VC_DROP_NOTHING_FITS:
        return "nothing-fits";
    case VC_DROP_NO_ROOM:
        return "no-room";
    case VC_DROP_NO_INK:
        return "no-ink";
    case VC_DROP_TOO_LONG:
        return "too-long";
    }
    return "unknown";
}

double vc_layout_scale(const vc_layout *layout)
{
    return layout ? layout->scale : 0;
}

/* Pixels of `ink` with any coverage.  Inks never overlap (placement keeps
 * padding between them), so the words' counts add up to the union's. */
static size_t ink_pixels(const vc_ink *ink)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
    size_t n = 0;
    for (int y = 0; ink->alpha && y < ink->h; y++) {
        const uint8_t *row = ink->alpha + (size_t)y * (size_t)ink->stride;
        int x = 0;
        /* Eight at a time: a byte's top bit ends up set when any of its
         * bits is (adding 0x7f carries into it from the low seven), and
         * the multiply sums the eight flags into the top byte (no popcnt
         * instruction is assumed). */
        for (; x + 8 <= ink->w; x += 8) {
            uint64_t v;
            memcpy(&v, row + x, sizeof v);
            uint64_t flags = ((((v & low7) + low7) | v) & ~low7) >> 7;
            n += (size_t)((flags * 0x0101010101010101ULL) >> 56);
        }
        for (; x < ink->w; x++) {
            n += row[x] != 0;
        }
    }
    return n;
}

void vc_layout_packing(const vc_layout *layout, vc_packing *out)
{
    memset(out, 0, sizeof *out);
    if (!layout) {
        return;
    }
    const vc_drawing *d = &layout->drawing;
    bool any = false;
    for (size_t i = 0; i < d->n_words; i++) {
        const vc_run *r = &d->runs[i];
        if (!r->ink || !r->ink->alpha) {
            continue;
        }
        int b[4] = {r->x + r->ink->x0, r->y + r->ink->y0, r->x + r->ink->x0 + r->ink->w,
                    r->y + r->ink->y0 + r->ink->h};
        for (int k = 0; k < 4; k++) {
            bool lower = k < 2 ? b[k] < out->box[k] : b[k] > out->box[k];
            out->box[k] = !any || lower ? b[k] : out->box[k];
        }
        if (!any || r->size < out->smallest_font_size) {
            out->smallest_font_size = r->size;
        }
        any = true;
        out->ink_pixels += ink_pixels(r->ink);
    }
    double area = (double)(out->box[2] - out->box[0]) * (out->box[3] - out->box[1]);
    out->ink_compactness = area > 0 ? (double)out->ink_pixels / area : 0;
}

void vc_layout_timings(const vc_layout *layout, vc_timings *out)
{
    if (!out) {
        return;
    }
    if (!layout) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = layout->timings;
    if (layout->clock) {
        __atomic_load(&layout->clock->draw, &out->draw, __ATOMIC_RELAXED);
        __atomic_load(&layout->clock->encode, &out->encode, __ATOMIC_RELAXED);
    }
}

/* Adds to a double shared between threads, by compare-and-swap (no
 * libatomic needed). */
static void atomic_add(double *p, double v)
{
    double old, sum;
    __atomic_load(p, &old, __ATOMIC_RELAXED);
    do {
        sum = old + v;
    } while (!__atomic_compare_exchange(p, &old, &sum, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED));
}

void vc_render_clock_add(const vc_layout *layout, double draw, double encode)
{
    if (layout && layout->clock) {
        atomic_add(&layout->clock->draw, draw);
        atomic_add(&layout->clock->encode, encode);
    }
}
