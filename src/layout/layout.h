/* layout/layout.h - the finished layout and what it is made of: fonts
 * and their fallback chain, shaped glyph runs, ink, masks, palettes, the
 * placed and dropped words and the legend band.  Seen by the layout stage,
 * the renderers and the describers; not by input or counting. */
#ifndef VC_LAYOUT_H
#define VC_LAYOUT_H

#include "core/core.h"

#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <pthread.h>

/* ---- font.c: font files and the fallback chain -------------------------- */

/* What cairo-ft sets on a face for one scaled font (raster-ft.c). */
typedef struct vc_ft_scale {
    FT_Matrix matrix;            /* FT_Set_Transform */
    FT_F26Dot6 cw, ch;           /* FT_Set_Char_Size */
} vc_ft_scale;

/* A FreeType face of a font for one rasterising thread at a time, with
 * the scale last set on it. */
typedef struct vc_raster_face {
    FT_Face face;
    bool set;                    /* `scale` is the face's */
    vc_ft_scale scale;
    struct vc_glyph_cache *cache; /* glyph bitmaps at that scale (raster-ft.c) */
    struct vc_raster_face *next; /* the font's pool */
} vc_raster_face;

/* Frees a raster face's glyph cache (raster-ft.c); NULL is fine. */
void vc_glyph_cache_free(struct vc_glyph_cache *cache);

typedef struct vc_font {
    char *path;
    int index;                   /* face index in a collection (.ttc) */
    FT_Face ft;                  /* owned; once `cairo` is made, cairo frees it */
    hb_font_t *hb;               /* scale = upem: positions in font units */
    unsigned upem;
    cairo_font_face_t *cairo;    /* wraps `ft`; NULL until vc_font_cairo */
    struct vc_fontstore *store;  /* the owner (not a reference) */
    hb_blob_t *blob;             /* the file's bytes, for raster faces */
    bool raster_direct;          /* outlines only: raster.c may skip cairo */
    pthread_mutex_t pool_mu;
    vc_raster_face *pool;        /* idle raster faces (under pool_mu) */
    struct vc_font *next;        /* context's list */
} vc_font;

/* The font as a cairo face, made on first use (cairo is loaded then:
 * cairo-lib.h); NULL with `err` set when cairo cannot be loaded or memory
 * runs out. */
cairo_font_face_t *vc_font_cairo(vc_font *font, vc_error *err);

/* The fonts a layout may use: the primary first, then the bundled
 * fallbacks (Bengali, Arabic), then fontconfig matches found on demand.
 * `missing` remembers code points no font has, so fontconfig is asked once
 * per code point. */
typedef struct vc_fontset {
    vc_font **fonts;
    size_t n, cap;
    uint32_t *missing;
    size_t n_missing, cap_missing;
} vc_fontset;

bool vc_fontset_init(vc_context *ctx, vc_fontset *set, const char *font,
                     const char *font_dir, vc_error *err);
void vc_fontset_finish(vc_fontset *set);
/* The first font of the set (or found through fontconfig, then appended to
 * the set) that has a glyph for `cp`; the primary when none has one. */
vc_font *vc_fontset_font_for(vc_context *ctx, vc_fontset *set, uint32_t cp);

/* Every font a context loaded (the owner of each vc_font) and their
 * FreeType library, reference-counted: the context holds one reference and
 * every layout made with it another, so a finished layout draws with its
 * fonts after the context is freed, as hb_font_t keeps its hb_face_t. */
typedef struct vc_fontstore {
    int refs;                /* atomic */
    FT_Library ft;
    vc_font *fonts;          /* owned list; only the context adds to it */
    /* The raster faces' own library, made on first use, so that making
     * and dropping them never races cairo's use of `ft`; FreeType asks
     * for a lock around FT_New_Face and FT_Done_Face on one library. */
    pthread_mutex_t raster_mu;
    FT_Library raster_ft;    /* NULL until first needed (under raster_mu) */
} vc_fontstore;

vc_fontstore *vc_fontstore_ref(vc_fontstore *store);
void vc_fontstore_unref(vc_fontstore *store);

/* A face of `font` that only the caller uses until it gives it back with
 * vc_font_face_return: rasterising threads share no FreeType face, so no
 * lock.  One already at `scale` if the font has one idle.  NULL when out
 * of memory or FreeType fails. */
vc_raster_face *vc_font_face_borrow(vc_font *font, const vc_ft_scale *scale);
void vc_font_face_return(vc_font *font, vc_raster_face *rf);

/* A context's shaping state (shape.c): scratch arrays reused from word to
 * word and the fonts' answers (glyph for a code point, glyph extents)
 * already asked for.  Made by the first vc_shape_word. */
typedef struct vc_shaper vc_shaper;
void vc_shaper_free(vc_shaper *shaper); /* NULL is fine */

/* Spirals kept for the next layout (spiral-cache.c, occupancy.h). */
typedef struct vc_spiral_cache vc_spiral_cache;
vc_spiral_cache *vc_spiral_cache_new(vc_error *err);
void vc_spiral_cache_free(vc_spiral_cache *cache);

/* The engine's per-thread state: its font store, the shaping buffer and
 * state, and fontconfig, started only when a word needs a font that is not
 * bundled. */
struct vc_context {
    vc_fontstore *store;     /* one reference */
    FcConfig *fc;            /* NULL until first needed */
    hb_buffer_t *hb_buffer;  /* reused by vc_shape */
    hb_language_t language;  /* every word's: not the process locale's */
    vc_shaper *shaper;       /* NULL until the first word; keys on the store's fonts */
    vc_spiral_cache *spirals; /* kept between the layouts (spiral-cache.c) */
};

/* The section holding FreeType's allocation functions (font.c); the linker
 * names its bounds __start_vc_ft_memory and __stop_vc_ft_memory. */
#define VC_FT_MEMORY_SECTION "vc_ft_memory"

/* Loads (or finds already loaded) the font file at `path`. */
vc_font *vc_context_font(vc_context *ctx, const char *path, vc_error *err);

/* ---- shape.c: word -> glyph run ---------------------------------------- */

/* One glyph, positioned for an em size of 1 px, origin at the word's
 * baseline start, x right, y DOWN (already flipped from font units). */
/* A phrase breaks onto at most this many lines, baselines this many em
 * apart (tight, so the lines read as one phrase). */
#define VC_WRAP_MAX_LINES 3
#define VC_WRAP_LEADING 1.05

typedef struct vc_glyph {
    uint32_t id;
    float x, y;
    vc_font *font;
} vc_glyph;

typedef struct vc_shaped {
    vc_glyph *glyphs;
    size_t n;
    double advance;   /* at 1 px em */
    double ink[4];    /* x0, y0, x1, y1 of the union of glyph extents, 1 px em, y down */
    bool rtl;         /* the word's base direction */
    /* The first character no font in the set has, drawn as the primary
     * font's .notdef box; 0 when every character is drawn. */
    uint32_t undrawable;
    /* A phrase broken onto lines (--wrap auto): line k of the text starts
     * at byte line_at[k] (line_at[0] == 0; a space before it is not
     * drawn, a hyphen is).  0 or 1: one line. */
    unsigned n_lines;
    size_t line_at[VC_WRAP_MAX_LINES];
    double line_ink[VC_WRAP_MAX_LINES][4]; /* each line's ink box, as `ink` */
} vc_shaped;

/* Shapes `text` with bidi runs and font fallback.  The result is scaled by
 * font size at use: positions are linear in the em size. */
bool vc_shape_word(vc_context *ctx, vc_fontset *set, const char *text,
              vc_shaped *out, vc_error *err);
/* vc_shape_word without its fast path for printable ASCII: the reference
 * that path must match field for field (test-shape-paths). */
bool vc_shape_word_general(vc_context *ctx, vc_fontset *set, const char *text,
                           vc_shaped *out, vc_error *err);
void vc_shaped_finish(vc_shaped *shaped);
/* `text` broken before the bytes at[1 .. n) (at[0] == 0; each just after
 * a space, which is not drawn, or a hyphen, which is) into n lines, each shaped alone and
 * centred on the widest, baselines VC_WRAP_LEADING em apart; the origin
 * is the first line's baseline at the left of the widest line. */
bool vc_shape_lines(vc_context *ctx, vc_fontset *set, const char *text, const size_t *at,
                    unsigned n, vc_shaped *out, vc_error *err);
/* layout-words.c: where `text` may break to go on k = 2 or 3 lines,
 * breaks[k - 1][0 .. k) as vc_shape_lines takes them: at a single space,
 * which is not drawn, or after a hyphen with 3 letters each side, which
 * stays at the line's end, the longest line (in characters) as short as
 * can be.  Returns the most lines `text` can take: 1 when it cannot break
 * (also when it is over 200 bytes or has over 24 places to break). */
unsigned vc_wrap_breaks(const char *text,
                        size_t breaks[VC_WRAP_MAX_LINES][VC_WRAP_MAX_LINES]);
/* How many lines `shaped` is on (1 for vc_shape_word's). */
static inline unsigned vc_shaped_lines(const vc_shaped *shaped)
{
    return shaped->n_lines > 1 ? shaped->n_lines : 1;
}
/* A phrase kept on each number of lines it may take: *now the lines it is
 * drawn on, alt[k - 1] the phrase on k lines for the others (empty for
 * those of *now).  Puts the phrase on k lines (alt[k - 1], already
 * shaped) into *now, and the lines it replaces into their place in alt. */
void vc_shaped_use_lines(vc_shaped *now, vc_shaped alt[VC_WRAP_MAX_LINES], unsigned k);

/* ---- raster.c: glyph run -> ink --------------------------------------- */

/* An 8-bit coverage bitmap of one word at one size and rotation.  Pixel
 * (i, j) of the bitmap sits at canvas pixel (origin_x + x0 + i,
 * origin_y + y0 + j) when the word's baseline origin is at integer pixel
 * (origin_x, origin_y). */
typedef struct vc_ink {
    int x0, y0;        /* top-left of the bitmap relative to the origin */
    int w, h, stride;  /* stride in bytes, >= w */
    uint8_t *alpha;    /* owned, h * stride bytes; NULL when w or h is 0 */
} vc_ink;

bool vc_rasterise(const vc_shaped *shaped, double font_size,
                  double rotation_deg, vc_ink *out, vc_error *err);
void vc_ink_finish(vc_ink *ink);
/* A copy of `from` into `to`, which owns its own bitmap. */
bool vc_ink_copy(const vc_ink *from, vc_ink *to, vc_error *err);
/* vc_rasterise through cairo only: the reference the direct FreeType path
 * must match byte for byte (test-raster). */
bool vc_rasterise_cairo(const vc_shaped *shaped, double font_size,
                        double rotation_deg, vc_ink *out, vc_error *err);

/* ---- raster-ft.c: the direct path of vc_rasterise ---------------------- */

/* How drawing a word (or one glyph) directly went: drawn; not drawable the
 * way cairo draws it (cairo draws it instead); out of memory. */
enum { VC_GLYPH_DRAWN, VC_GLYPH_NOT_DIRECT, VC_GLYPH_NOMEM };
/* True when every glyph's font is one the direct path draws as cairo. */
bool vc_raster_direct_fits(const vc_shaped *shaped, double size);
/* Draws the word at em `size` under the rotation (c, s) into `out`
 * (allocated and zeroed, its origin at -out->x0, -out->y0); a GLYPH_
 * status.  On VC_GLYPH_NOT_DIRECT `out` may hold part of the word. */
int vc_raster_direct(const vc_shaped *shaped, double size, double c, double s, vc_ink *out);

/* Draws the glyphs of `shaped` at em size `size` (px) with cr's current
 * matrix placing the word's baseline origin, one cairo_show_glyphs per run
 * of one font, with the unhinted font options vc_rasterise uses.  Returns
 * false when cairo reports an error. */
bool vc_draw_glyphs(cairo_t *cr, const vc_shaped *shaped, double size);

/* ---- mask.c: PNG shape masks ------------------------------------------- */

/* 1 = inside (may be drawn on), width x height, scaled to the canvas. */
typedef struct vc_mask {
    int w, h;
    uint8_t *inside;
} vc_mask;

bool vc_mask_load(const char *path, int width, int height,
                  uint64_t max_pixels, vc_mask *out, vc_error *err);
void vc_mask_finish(vc_mask *mask);

/* ---- palette.c: colours and contrast ----------------------------------- */

/* Parses "#rgb", "#rrggbb" or a CSS colour name into 0xRRGGBB. */
bool vc_color_parse(const char *s, uint32_t *out);
/* The most colours a palette may list. */
#define VC_PALETTE_MAX 256
/* A named palette or a list "#rrggbb,#rrggbb"; fills up to `max` colours. */
bool vc_palette_parse(const char *spec, uint32_t *colors, size_t max,
                      size_t *n, vc_error *err);
/* WCAG 2.1 contrast ratio between two colours (1..21). */
double vc_contrast_ratio(uint32_t a, uint32_t b);
/* The colour nearest `c` in lightness, same hue, meeting `ratio` against
 * `bg`. */
uint32_t vc_contrast_adjust(uint32_t c, uint32_t bg, double ratio);
/* Palette colours that were adjusted, kept for the CLI's warning: the
 * first VC_MAX_ADJUSTED distinct (from, needed) pairs of a layout. */
#define VC_MAX_ADJUSTED 32
/* Records that `from` was drawn as `to` to meet `needed` against
 * `against` (a repeat of a recorded pair is ignored). */
void vc_layout_note_adjusted(vc_layout *layout, uint32_t from, uint32_t to,
                             uint32_t against, double needed);

/* ---- layout.c: the finished layout ------------------------------------- */

typedef struct vc_placed_word {
    char *text;
    double count;
    vc_group group;
    double chosen, suggested; /* as in struct vc_word */
    double font_size;
    int x, y;            /* integer baseline origin */
    double rotation;
    vc_shaped shaped;    /* owned */
    vc_ink ink;          /* owned, at scale 1: reused by the PNG renderer */
    int box[4];          /* ink (alpha > 0) x0, y0, x1, y1 in canvas px;
                          * x1, y1 exclusive */
    uint32_t color;
} vc_placed_word;

typedef struct vc_dropped_word {
    char *text;
    double count;
    vc_group group;
    double chosen, suggested; /* as in struct vc_word */
    char *reason;
    vc_drop_reason why;
} vc_dropped_word;

/* ---- legend.c: the --legend band, laid out with the words -------------- */

/* One run of legend text, shaped, at its size and baseline origin. */
typedef struct vc_legend_item {
    int kind;           /* sample, "= R votes", key, group or caption (legend.c) */
    char *text;         /* owned */
    vc_shaped shaped;   /* owned */
    double size;        /* em size in layout px */
    int x, y;           /* baseline origin in layout px */
    uint32_t color;     /* drawn in this colour: the legend's, or a group's */
} vc_legend_item;

/* Sample, "= R votes", key, three groups, caption. */
#define VC_LEGEND_MAX_ITEMS 7

typedef struct vc_legend {
    vc_legend_item items[VC_LEGEND_MAX_ITEMS];
    size_t n;           /* 0: no legend */
    uint32_t color;     /* one colour, 4.5:1 on the background */
    int top;            /* the band runs from here to the canvas's bottom */
    double sample_size; /* em size of the "Aa" sample, 0 without one */
    double sample_votes;/* the votes that sample stands for */
    char *summary;      /* the whole legend as one line, for SVG <title> */
} vc_legend;

/* Shapes and places the legend of a layout made with opts.legend (n = 0
 * otherwise, or when the canvas is too narrow for readable text), while
 * the layout is being made: the renderers only draw it.  Free with
 * vc_legend_finish, also after a failure. */
bool vc_legend_build(vc_layout *layout, vc_context *ctx, vc_legend *legend,
                     vc_error *err);
void vc_legend_finish(vc_legend *legend);

/* ---- legend-text.c: the legend's two lines of words --------------------- */

/* "Text size shows votes: prevention = 210 votes" (the biggest drawn
 * word; sqrt and log sizing say so).  NULL when nothing is drawn or out of
 * memory.  Caller frees. */
char *vc_layout_legend_key(const vc_layout *layout);
/* "545 responses · 48 words (6 too small to show)".  Caller frees. */
char *vc_layout_legend_caption(const vc_layout *layout);

/* ---- the drawing: what every renderer draws, made once by the layout --- */

/* One positioned, shaped, coloured glyph run: a placed word or a piece of
 * the legend.  Everything it points to is owned by the layout. */
typedef enum vc_run_kind { VC_RUN_WORD, VC_RUN_LEGEND } vc_run_kind;

typedef struct vc_run {
    vc_run_kind kind;
    const vc_shaped *shaped;
    const vc_ink *ink;  /* the run rasterised at scale 1 (words), or NULL */
    double size;        /* em size in layout px */
    int x, y;           /* baseline origin in layout px */
    double rotation;    /* degrees, clockwise */
    uint32_t color;
    const char *text;   /* a word's text and votes (SVG <title>); NULL */
    double count;       /* for legend runs */
} vc_run;

/* The runs in drawing order (words, then the legend), with what a renderer
 * needs to group the legend's runs.  Built when the layout is finished
 * (vc_layout_new, vc_live_snapshot); the renderers read only this. */
typedef struct vc_drawing {
    vc_run *runs;
    size_t n, n_words;        /* runs[0, n_words) are the words */
    uint32_t legend_color;    /* the legend's colour, 4.5:1 on the background */
    const char *legend_title; /* the legend as one line (SVG <title>) */
} vc_drawing;

/* Fills layout->drawing from its placed words and legend; call once the
 * layout is otherwise finished (the runs point into it). */
bool vc_layout_build_drawing(vc_layout *layout, vc_error *err);

struct vc_layout {
    vc_fontstore *store;       /* a reference: the fonts outlive the context */
    vc_render_options opts;    /* strings below are owned copies */
    char *font, *palette, *background, *title, *question, *mask_path,
        *contrast_against;         /* opts.font_dir is NULL */
    int width, height;
    uint32_t background_rgb;
    bool transparent;
    double scale;              /* font_size = scale * f(count) */
    vc_fontset fonts;
    vc_placed_word *placed;
    size_t n_placed;
    vc_dropped_word *dropped;
    size_t n_dropped;
    size_t respondents;
    size_t total_words;        /* words given, placed + dropped */
    vc_timings timings;        /* the layout stage's; draw and encode: */
    struct vc_render_clock *clock; /* the renderers' time, kept apart (and
                                    * atomic) so a finished layout stays
                                    * immutable while threads draw it */
    int legend_top;            /* words stay above this y (--legend band);
                                * height without a legend */
    uint32_t contrast_rgb;     /* the colour word colours were checked on */
    vc_color_adjustment adjusted[VC_MAX_ADJUSTED]; /* distinct (from, needed) */
    size_t n_adjusted;
    vc_legend legend;          /* laid out by vc_layout_new */
    vc_drawing drawing;        /* the runs the renderers draw */
};

/* Seconds the renderers spent, added from any thread. */
typedef struct vc_render_clock {
    double draw, encode; /* updated with __atomic builtins only */
} vc_render_clock;
void vc_render_clock_add(const vc_layout *layout, double draw, double encode);


/* render-options.c: The render options' dpi and scale, with 96 and 1 standing in for unset
 * (zero or invalid) values. */
double vc_render_dpi(const vc_layout *layout);
double vc_render_scale(const vc_layout *layout);

/* f(count) for the chosen sizing. */
double vc_sizing_value(vc_sizing sizing, double count);

#endif /* VC_LAYOUT_H */
