/* shape.c - HarfBuzz shaping: a word -> a glyph run at a 1 px em.
 * The word is cut into runs by font coverage (whole grapheme clusters, so a
 * mark stays with its base) and by direction, the runs are put in visual
 * order and each is shaped with its own font.  A word of printable ASCII
 * that the primary font covers is one left-to-right run of that font
 * without the cutting (what the cutting would give it). */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { DIR_NEUTRAL, DIR_LTR, DIR_RTL };

typedef struct cluster {
    size_t start, end; /* code point offsets */
    vc_font *font;
    int dir;           /* strong direction, then resolved */
} cluster;

typedef struct run {
    size_t start, end; /* code point offsets */
    vc_font *font;
    int dir;
    int level;         /* bidi embedding level */
} run;

/* The fonts' answers remembered by (font, code point) and (font, glyph):
 * a word asks the same few of them again and again, and HarfBuzz's
 * lookups cost far more than a table slot.  A slot is overwritten when
 * another key hashes to it, so the tables stay small.  Only the fonts of
 * the context's own store are remembered: the context holds that store, so
 * no font remembered can be freed and another made at its address. */
#define MEMO_SLOTS 1024

typedef struct cmap_memo {
    const vc_font *font; /* NULL: empty slot */
    uint32_t cp;
    uint32_t gid;        /* 0: the font has no glyph for cp */
} cmap_memo;

typedef struct extents_memo {
    const vc_font *font; /* NULL: empty slot */
    uint32_t gid;
    bool inked;          /* extents known and of non-zero size */
    hb_glyph_extents_t ext;
} extents_memo;

/* A context's shaping state, kept from word to word (see layout.h). */
struct vc_shaper {
    const vc_fontstore *store; /* the context's: whose fonts are remembered */
    uint32_t *cps;
    size_t cap_cps;
    cluster *clusters;
    size_t cap_clusters;
    run *runs;
    size_t cap_runs;
    cmap_memo cmap[MEMO_SLOTS];
    extents_memo extents[MEMO_SLOTS];
};

void vc_shaper_free(vc_shaper *shaper)
{
    if (!shaper) {
        return;
    }
    free(shaper->cps);
    free(shaper->clusters);
    free(shaper->runs);
    free(shaper);
}

static vc_shaper *context_shaper(vc_context *ctx, vc_error *err)
{
    if (!ctx->shaper) {
        if (!(ctx->shaper = calloc(1, sizeof *ctx->shaper))) {
            vc_fail_nomem(err, "shaping state");
            return NULL;
        }
        ctx->shaper->store = ctx->store;
    }
    return ctx->shaper;
}

static size_t memo_slot(const vc_font *font, uint32_t key)
{
    uint64_t h = ((uint64_t)(uintptr_t)font >> 4) ^ ((uint64_t)key * 0x9E3779B97F4A7C15u);
    h ^= h >> 29;
    return (size_t)((h * 0xBF58476D1CE4E5B9u) >> 54) & (MEMO_SLOTS - 1);
}

/* The font's glyph for `cp`, 0 when it has none (hb_font_get_nominal_glyph
 * failing or answering .notdef). */
static uint32_t font_glyph(const vc_font *font, uint32_t cp)
{
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(font->hb, cp, &gid) ? gid : 0;
}

/* The glyph's extents in font units into *ext; false when it has no ink. */
static bool font_ink(const vc_font *font, uint32_t gid, hb_glyph_extents_t *ext)
{
    return hb_font_get_glyph_extents(font->hb, gid, ext) && ext->width != 0 &&
           ext->height != 0;
}

/* font_glyph, remembered. */
static uint32_t nominal_glyph(vc_shaper *sh, const vc_font *font, uint32_t cp)
{
    if (font->store != sh->store) {
        return font_glyph(font, cp);
    }
    cmap_memo *m = &sh->cmap[memo_slot(font, cp)];
    if (m->font != font || m->cp != cp) {
        m->font = font;
        m->cp = cp;
        m->gid = font_glyph(font, cp);
    }
    return m->gid;
}

/* font_ink, remembered: the extents, or NULL when the glyph has no ink.
 * `scratch` holds them for a font that is not remembered. */
static const hb_glyph_extents_t *glyph_extents(vc_shaper *sh, const vc_font *font,
                                               uint32_t gid, hb_glyph_extents_t *scratch)
{
    if (font->store != sh->store) {
        return font_ink(font, gid, scratch) ? scratch : NULL;
    }
    extents_memo *m = &sh->extents[memo_slot(font, gid)];
    if (m->font != font || m->gid != gid) {
        m->font = font;
        m->gid = gid;
        m->inked = font_ink(font, gid, &m->ext);
    }
    return m->inked ? &m->ext : NULL;
}

typedef struct word_parts {
    vc_shaper *sh;       /* owns the arrays below */
    uint32_t *cps;
    size_t n_cps;
    cluster *clusters;
    size_t n_clusters;
    run *runs;
    size_t n_runs;
} word_parts;

/* The word's code points into p->sh->cps (room for `len`). */
static bool decode(const char *text, size_t len, word_parts *p, vc_error *err)
{
    p->cps = p->sh->cps;
    for (size_t off = 0; off < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text +
                                                  off,
                                              (utf8proc_ssize_t)(len - off),
                                              &cp);
        if (n <= 0) {
            /* The word itself is not quoted: it is not valid text. */
            return vc_fail(err, VC_ERR_DATA,
                           "word of %zu bytes: invalid UTF-8 at byte %zu",
                           len, off + 1);
        }
        p->cps[p->n_cps++] = (uint32_t)cp;
        off += (size_t)n;
    }
    return true;
}

/* Zero-width joiners, variation selectors and the like take no part in
 * choosing a font: the shaper handles them with their cluster. */
static bool ignorable(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x206F) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x034F;
}

static int strong_dir(uint32_t cp)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    if (hb_unicode_general_category(uf, cp) ==
        HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER) {
        return DIR_LTR; /* numbers read left to right, even in Arabic */
    }
    hb_script_t script = hb_unicode_script(uf, cp);
    if (script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED ||
        script == HB_SCRIPT_UNKNOWN) {
        return DIR_NEUTRAL;
    }
    return hb_script_get_horizontal_direction(script) == HB_DIRECTION_RTL
               ? DIR_RTL
               : DIR_LTR;
}

static bool covers(const vc_font *font, const word_parts *p,
                   const cluster *c)
{
    for (size_t i = c->start; i < c->end; i++) {
        if (!ignorable(p->cps[i]) && nominal_glyph(p->sh, font, p->cps[i]) == 0) {
            return false;
        }
    }
    return true;
}

static vc_font *covering_font(vc_context *ctx, vc_fontset *set,
                              const word_parts *p, const cluster *c)
{
    for (size_t i = 0; i < set->n; i++) {
        if (covers(set->fonts[i], p, c)) {
            return set->fonts[i];
        }
    }
    return vc_fontset_font_for(ctx, set, p->cps[c->start]);
}

static bool split_clusters(word_parts *p, vc_error *err)
{
    vc_shaper *sh = p->sh;
    if (!vc_grow((void **)&sh->clusters, &sh->cap_clusters, p->n_cps ? p->n_cps : 1,
                 sizeof *sh->clusters)) {
        return vc_fail_nomem(err, "word clusters");
    }
    p->clusters = sh->clusters;
    utf8proc_int32_t state = 0;
    for (size_t i = 0; i < p->n_cps; i++) {
        if (i == 0 ||
            utf8proc_grapheme_break_stateful((utf8proc_int32_t)p->cps[i - 1],
                                             (utf8proc_int32_t)p->cps[i],
                                             &state)) {
            p->clusters[p->n_clusters++] = (cluster){.start = i, .end = i};
        }
        cluster *c = &p->clusters[p->n_clusters - 1];
        c->end = i + 1;
        if (c->dir == DIR_NEUTRAL) {
            c->dir = strong_dir(p->cps[i]);
        }
    }
    return true;
}

/* Strong clusters take the first font that covers them; neutral ones
 * (spaces, hyphens, marks of no script) stay with a neighbour's font when
 * it covers them, so "covid-19" in Arabic is not cut into three fonts. */
static void choose_fonts(vc_context *ctx, vc_fontset *set, word_parts *p)
{
    for (size_t i = 0; i < p->n_clusters; i++) {
        cluster *c = &p->clusters[i];
        c->font = c->dir == DIR_NEUTRAL ? NULL
                                        : covering_font(ctx, set, p, c);
    }
    for (size_t i = 0; i < p->n_clusters; i++) {
        cluster *c = &p->clusters[i];
        if (c->font) {
            continue;
        }
        vc_font *prev = i > 0 ? p->clusters[i - 1].font : NULL;
        vc_font *next = NULL;
        for (size_t j = i + 1; j < p->n_clusters && !next; j++) {
            next = p->clusters[j].font;
        }
        if (prev && covers(prev, p, c)) {
            c->font = prev;
        } else if (next && covers(next, p, c)) {
            c->font = next;
        } else {
            c->font = covering_font(ctx, set, p, c);
        }
    }
}

/* A simplified Unicode bidi algorithm for one word: the first strong
 * cluster sets the base direction; neutrals between two clusters of the
 * same direction take it, others the base. */
static int resolve_dirs(word_parts *p)
{
    int base = DIR_LTR;
    for (size_t i = 0; i < p->n_clusters; i++) {
        if (p->clusters[i].dir != DIR_NEUTRAL) {
            base = p->clusters[i].dir;
            break;
        }
    }
    int prev = base;
    for (size_t i = 0; i < p->n_clusters; i++) {
        cluster *c = &p->clusters[i];
        if (c->dir != DIR_NEUTRAL) {
            prev = c->dir;
            continue;
        }
        int next = base;
        for (size_t j = i + 1; j < p->n_clusters; j++) {
            if (p->clusters[j].dir != DIR_NEUTRAL) {
                next = p->clusters[j].dir;
                break;
            }
        }
        c->dir = prev == next ? prev : base;
    }
    return base;
}

static void reverse_runs(run *runs, size_t a, size_t b)
{
    while (a + 1 < b) {
        run t = runs[a];
        runs[a] = runs[b - 1];
        runs[b - 1] = t;
        a++;
        b--;
    }
}

static bool make_runs(word_parts *p, int base, vc_error *err)
{
    vc_shaper *sh = p->sh;
    if (!vc_grow((void **)&sh->runs, &sh->cap_runs, p->n_clusters ? p->n_clusters : 1,
                 sizeof *sh->runs)) {
        return vc_fail_nomem(err, "word runs");
    }
    p->runs = sh->runs;
    int max_level = 0;
    for (size_t i = 0; i < p->n_clusters; i++) {
        const cluster *c = &p->clusters[i];
        run *last = p->n_runs ? &p->runs[p->n_runs - 1] : NULL;
        if (last && last->font == c->font && last->dir == c->dir) {
            last->end = c->end;
            continue;
        }
        int level = base == DIR_LTR ? (c->dir == DIR_RTL ? 1 : 0)
                                    : (c->dir == DIR_RTL ? 1 : 2);
        max_level = level > max_level ? level : max_level;
        p->runs[p->n_runs++] = (run){c->start, c->end, c->font, c->dir, level};
    }
    /* Rule L2: from the highest level down to the lowest odd one, reverse
     * every maximal sequence of runs at that level or higher. */
    for (int lvl = max_level; lvl >= 1; lvl--) {
        size_t i = 0;
        while (i < p->n_runs) {
            if (p->runs[i].level < lvl) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < p->n_runs && p->runs[j].level >= lvl) {
                j++;
            }
            reverse_runs(p->runs, i, j);
            i = j;
        }
    }
    return true;
}

static void ink_add(vc_shaped *out, bool *any, double x0, double y0,
                    double x1, double y1)
{
    if (!*any) {
        out->ink[0] = x0;
        out->ink[1] = y0;
        out->ink[2] = x1;
        out->ink[3] = y1;
        *any = true;
        return;
    }
    out->ink[0] = x0 < out->ink[0] ? x0 : out->ink[0];
    out->ink[1] = y0 < out->ink[1] ? y0 : out->ink[1];
    out->ink[2] = x1 > out->ink[2] ? x1 : out->ink[2];
    out->ink[3] = y1 > out->ink[3] ? y1 : out->ink[3];
}

static bool shape_run(vc_context *ctx, const word_parts *p, const run *r,
                      vc_shaped *out, size_t *cap, double *pen, bool *any,
                      vc_error *err)
{
    hb_buffer_t *buf = ctx->hb_buffer;
    hb_buffer_clear_contents(buf);
    hb_buffer_add_utf32(buf, p->cps, (int)p->n_cps, (unsigned)r->start,
                        (int)(r->end - r->start));
    hb_buffer_set_direction(buf, r->dir == DIR_RTL ? HB_DIRECTION_RTL
                                                   : HB_DIRECTION_LTR);
    hb_buffer_set_language(buf, ctx->language);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(r->font->hb, buf, NULL, 0);
    if (!hb_buffer_allocation_successful(buf)) {
        return vc_fail_nomem(err, "shaping");
    }
    unsigned n;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    if (!vc_grow((void **)&out->glyphs, cap, out->n + n,
                 sizeof *out->glyphs)) {
        return vc_fail_nomem(err, "glyphs");
    }
    double em = 1.0 / r->font->upem;
    for (unsigned i = 0; i < n; i++) {
        vc_glyph *g = &out->glyphs[out->n++];
        g->id = info[i].codepoint;
        uint32_t cp = info[i].cluster < p->n_cps ? p->cps[info[i].cluster] : 0;
        if (g->id == 0 && out->undrawable == 0 && !ignorable(cp)) {
            out->undrawable = cp;
        }
        g->x = (float)(*pen + pos[i].x_offset * em);
        g->y = (float)(-pos[i].y_offset * em);
        g->font = r->font;
        *pen += pos[i].x_advance * em;
        hb_glyph_extents_t scratch;
        const hb_glyph_extents_t *ext = glyph_extents(p->sh, r->font, g->id, &scratch);
        if (ext) {
            double x0 = g->x + ext->x_bearing * em;
            double y0 = g->y - ext->y_bearing * em;
            ink_add(out, any, x0, y0, x0 + ext->width * em,
                    y0 - ext->height * em);
        }
    }
    return true;
}

/* The general path: clusters, their fonts and directions, and runs in
 * visual order; the base direction in *base. */
static bool cut_runs(vc_context *ctx, vc_fontset *set, const char *text, size_t len,
                     word_parts *p, int *base, vc_error *err)
{
    if (!decode(text, len, p, err) || !split_clusters(p, err)) {
        return false;
    }
    choose_fonts(ctx, set, p);
    *base = resolve_dirs(p);
    return make_runs(p, *base, err);
}

/* The fast path: a word of printable ASCII whose every character the
 * primary font covers.  Each character is then its own grapheme cluster,
 * none is right-to-left, and the neutral ones stay with the primary font,
 * so cut_runs would make one left-to-right run of the primary font: that
 * run, in p->runs.  False (and nothing to undo) for any other word. */
static bool ascii_run(vc_fontset *set, const char *text, size_t len, word_parts *p,
                      run *r)
{
    vc_shaper *sh = p->sh;
    const vc_font *primary = set->fonts[0];
    if (len == 0) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x20 || b > 0x7E || nominal_glyph(sh, primary, b) == 0) {
            return false;
        }
        sh->cps[i] = b;
    }
    p->cps = sh->cps;
    p->n_cps = len;
    *r = (run){0, len, set->fonts[0], DIR_LTR, 0};
    p->runs = r;
    p->n_runs = 1;
    return true;
}

static bool shape_word(vc_context *ctx, vc_fontset *set, const char *text, bool fast,
                       vc_shaped *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    if (set->n == 0) {
        return vc_fail(err, VC_ERR_SOFTWARE, "shape: no fonts");
    }
    vc_shaper *sh = context_shaper(ctx, err);
    if (!sh) {
        return false;
    }
    size_t len = strlen(text);
    if (!vc_grow((void **)&sh->cps, &sh->cap_cps, len + 1, sizeof *sh->cps)) {
        return vc_fail_nomem(err, "word");
    }
    word_parts p = {.sh = sh};
    run one;
    int base = DIR_LTR;
    bool ok = (fast && ascii_run(set, text, len, &p, &one)) ||
              cut_runs(ctx, set, text, len, &p, &base, err);
    size_t cap = 0;
    double pen = 0;
    bool any = false;
    for (size_t i = 0; ok && i < p.n_runs; i++) {
        ok = shape_run(ctx, &p, &p.runs[i], out, &cap, &pen, &any, err);
    }
    if (!ok) {
        vc_shaped_finish(out);
        return false;
    }
    out->advance = pen;
    out->rtl = base == DIR_RTL;
    return true;
}

bool vc_shape_word(vc_context *ctx, vc_fontset *set, const char *text,
                   vc_shaped *out, vc_error *err)
{
    return shape_word(ctx, set, text, true, out, err);
}

bool vc_shape_word_general(vc_context *ctx, vc_fontset *set, const char *text,
                           vc_shaped *out, vc_error *err)
{
    return shape_word(ctx, set, text, false, out, err);
}

void vc_shaped_finish(vc_shaped *shaped)
{
    if (!shaped) {
        return;
    }
    free(shaped->glyphs);
    memset(shaped, 0, sizeof *shaped);
}

/* Appends `line`'s glyphs moved by (dx, dy) em to `out`, and its ink. */
static bool append_line(vc_shaped *out, size_t *cap, const vc_shaped *line, double dx,
                        double dy, bool *any, vc_error *err)
{
    if (!vc_grow((void **)&out->glyphs, cap, out->n + line->n, sizeof *out->glyphs)) {
        return vc_fail_nomem(err, "glyphs");
    }
    for (size_t i = 0; i < line->n; i++) {
        vc_glyph g = line->glyphs[i];
        g.x = (float)(g.x + dx);
        g.y = (float)(g.y + dy);
        out->glyphs[out->n++] = g;
    }
    if (line->ink[2] > line->ink[0] && line->ink[3] > line->ink[1]) {
        ink_add(out, any, line->ink[0] + dx, line->ink[1] + dy, line->ink[2] + dx,
                line->ink[3] + dy);
    }
    return true;
}

bool vc_shape_lines(vc_context *ctx, vc_fontset *set, const char *text, const size_t *at,
                    unsigned n, vc_shaped *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(text);
    if (n < 1 || n > VC_WRAP_MAX_LINES || at[0] != 0) {
        return vc_fail(err, VC_ERR_SOFTWARE, "shape: %u lines", n);
    }
    vc_shaped lines[VC_WRAP_MAX_LINES];
    memset(lines, 0, sizeof lines);
    char *buf = malloc(len + 1);
    bool ok = buf != NULL;
    if (!ok) {
        vc_fail_nomem(err, "phrase lines");
    }
    double widest = 0;
    for (unsigned k = 0; ok && k < n; k++) {
        if (k + 1 < n && (at[k + 1] <= at[k] || at[k + 1] > len)) {
            ok = vc_fail(err, VC_ERR_SOFTWARE, "shape: bad line break at byte %zu", at[k + 1]);
            break;
        }
        /* A line ends before the space that breaks it, or after a hyphen. */
        size_t end = k + 1 < n ? at[k + 1] - (text[at[k + 1] - 1] == ' ') : len;
        if (at[k] >= end) {
            ok = vc_fail(err, VC_ERR_SOFTWARE, "shape: empty line at byte %zu", at[k]);
            break;
        }
        memcpy(buf, text + at[k], end - at[k]);
        buf[end - at[k]] = '\0';
        ok = vc_shape_word(ctx, set, buf, &lines[k], err);
        widest = ok && lines[k].advance > widest ? lines[k].advance : widest;
    }
    size_t cap = 0;
    bool any = false;
    for (unsigned k = 0; ok && k < n; k++) {
        double dx = (widest - lines[k].advance) / 2, dy = k * VC_WRAP_LEADING;
        ok = append_line(out, &cap, &lines[k], dx, dy, &any, err);
        out->undrawable = out->undrawable ? out->undrawable : lines[k].undrawable;
        for (int j = 0; j < 4; j++) {
            out->line_ink[k][j] = lines[k].ink[j] + (j & 1 ? dy : dx);
        }
    }
    bool rtl = lines[0].rtl;
    for (unsigned k = 0; k < n; k++) {
        vc_shaped_finish(&lines[k]);
    }
    free(buf);
    if (!ok) {
        vc_shaped_finish(out);
        return false;
    }
    out->advance = widest;
    out->rtl = rtl;
    out->n_lines = n;
    memcpy(out->line_at, at, n * sizeof *at);
    return true;
}

void vc_shaped_use_lines(vc_shaped *now, vc_shaped alt[VC_WRAP_MAX_LINES], unsigned k)
{
    unsigned was = vc_shaped_lines(now);
    if (k == was) {
        return;
    }
    vc_shaped t = alt[k - 1];
    alt[was - 1] = *now;
    *now = t;
    memset(&alt[k - 1], 0, sizeof alt[k - 1]);
}
