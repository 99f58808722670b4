/* internal.h - private structures and helpers shared by the stages of
 * libvotecloud.  Nothing here is exported (see src/libvotecloud.map).
 *
 * Stages, in pipeline order, and the file that owns each:
 *   error.c util.c            errors, overflow-checked allocation, buffers
 *   atomic.c                  atomic output files
 *   input-*.c                 one reader per input format -> raw entries
 *   normalize.c               matching keys (NFC, case fold, separators)
 *   count.c words.c           counting, merging, sorting -> vc_words
 *   font.c                    font files, fallback chain (FreeType, fontconfig)
 *   shape.c                   HarfBuzz: word -> glyph run (size independent)
 *   raster.c                  glyph run at a size/rotation -> ink (alpha)
 *   mask.c                    PNG shape masks
 *   render-options.c          render option defaults and range checks
 *   layout.c                  the layout: vc_layout_new runs the steps below
 *     layout-words.c          words in (sorted, shaped, angled), reasons out
 *     fit.c                   the one scale: given, or the largest that fits
 *     place.c                 the canvas; a spiral walk per word (a trial)
 *     raster-ahead.c          words rasterised on a second thread
 *     occupancy.c spiral.c    occupancy bitmap, word bit masks, spirals
 *     word-colors.c           each word's colour, contrast-adjusted
 *   palette.c                 colours, palettes, WCAG contrast
 *   describe.c                alt text
 *   render-png.c render-svg.c render-pdf.c report-json.c   outputs
 *   output.c                  vc_layout_write*: format by name, atomic file
 */
#ifndef VC_INTERNAL_H
#define VC_INTERNAL_H

#include "votecloud.h"

#include <stdarg.h>
#include <stdio.h>

#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <hb.h>

#define VC_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define VC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VC_PRINTF(a, b)
#endif

/* ---- error.c ------------------------------------------------------------ */

/* Records the first error in `err` (NULL-safe) and returns false, so callers
 * can write `return vc_fail(err, VC_ERR_DATA, "%s:%zu: ...", ...)`. */
bool vc_fail(vc_error *err, vc_status status, const char *fmt, ...)
    VC_PRINTF(3, 4);
bool vc_failv(vc_error *err, vc_status status, const char *fmt, va_list ap)
    VC_PRINTF(3, 0);
/* Out of memory, with what was being allocated. */
bool vc_fail_nomem(vc_error *err, const char *what);
/* An errno failure: "path: verb: strerror". */
bool vc_fail_errno(vc_error *err, vc_status status, const char *path,
                   const char *verb, int errnum);

/* ---- util.c ------------------------------------------------------------- */

/* Overflow-checked allocation: NULL on overflow or exhaustion. */
void *vc_malloc2(size_t a, size_t b);
void *vc_calloc2(size_t a, size_t b);
void *vc_malloc3(size_t a, size_t b, size_t c);
void *vc_realloc2(void *p, size_t a, size_t b);
char *vc_strdup(const char *s); /* NULL-safe: returns NULL for NULL */
char *vc_strndup(const char *s, size_t n);

/* Grows *items (of *cap elements of `size` bytes) to hold `need` elements. */
bool vc_grow(void **items, size_t *cap, size_t need, size_t size);

/* A growable byte buffer, always NUL-terminated when len > 0. */
typedef struct vc_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an append ran out of memory; later appends do nothing */
} vc_buf;
void vc_buf_init(vc_buf *b);
void vc_buf_finish(vc_buf *b);
bool vc_buf_append(vc_buf *b, const void *data, size_t n);
bool vc_buf_puts(vc_buf *b, const char *s);
bool vc_buf_printf(vc_buf *b, const char *fmt, ...) VC_PRINTF(2, 3);
/* Appends s with <, >, &, " and ' escaped for XML/HTML. */
bool vc_buf_xml_escape(vc_buf *b, const char *s);
/* `s` as a quoted JSON string; bytes that are not UTF-8 become U+FFFD. */
bool vc_buf_json_string(vc_buf *b, const char *s);
/* Formats a double with up to `decimals` decimals, trailing zeros removed,
 * independent of the locale ("12", "12.5"). */
bool vc_buf_number(vc_buf *b, double v, int decimals);

/* Reads a whole file ("-" = stdin) into memory, refusing directories, FIFOs
 * that never end past `limit` bytes, and files larger than `limit`. */
bool vc_read_file(const char *path, size_t limit, vc_buf *out,
                  vc_error *err);

/* Deterministic PRNG (splitmix64 seeded xoshiro256**), no global state. */
typedef struct vc_rng {
    uint64_t s[4];
} vc_rng;
void vc_rng_seed(vc_rng *rng, uint64_t seed);
uint64_t vc_rng_next(vc_rng *rng);
double vc_rng_double(vc_rng *rng); /* [0, 1) */

/* Locale-independent seconds from a monotonic clock, for --timings. */
double vc_now(void);

/* ---- utf8: validation with a precise position (util.c) ------------------ */

/* Checks that data is UTF-8.  On failure fills *bad_offset, *line (1-based)
 * and a short `what` ("overlong encoding", "surrogate", ...).  Also detects
 * UTF-16 (by BOM or NUL pattern) and NUL bytes. */
bool vc_utf8_check(const char *data, size_t len, const char *name,
                   vc_error *err);

/* ---- atomic.c: outputs appear complete or not at all -------------------- */

typedef struct vc_atomic {
    char *path;     /* final path */
    char *tmp_path; /* temporary file in the same folder */
    FILE *fp;       /* write here */
} vc_atomic;

/* Creates a temporary file next to `path`. */
bool vc_atomic_open(vc_atomic *a, const char *path, vc_error *err);
/* Flushes, fsyncs, checks close and renames into place; on failure removes
 * the temporary file.  Always releases `a`. */
bool vc_atomic_commit(vc_atomic *a, vc_error *err);
/* Removes the temporary file and releases `a` (NULL-safe, idempotent). */
void vc_atomic_abort(vc_atomic *a);
/* Writes `len` bytes to `path` atomically. */
bool vc_atomic_write(const char *path, const void *data, size_t len,
                     vc_error *err);

/* ---- words.c: the vc_words list ---------------------------------------- */

struct vc_word {
    char *text;
    double count;
    vc_group group;
};

struct vc_merge_rec {
    char *from, *into;
    const char *kind; /* static string */
    double count;
};

struct vc_words {
    struct vc_word *items;
    size_t n, cap;
    size_t respondents;
    struct vc_merge_rec *merges;
    size_t n_merges, cap_merges;
};

/* Sorts by count desc, text, group. */
void vc_words_sort(vc_words *words);
bool vc_words_add_merge(vc_words *words, const char *from, const char *into,
                        const char *kind, double count, vc_error *err);

/* ---- font.c: font files and the fallback chain -------------------------- */

typedef struct vc_font {
    char *path;
    int index;                   /* face index in a collection (.ttc) */
    FT_Face ft;                  /* shared with `cairo`, which frees it */
    hb_font_t *hb;               /* scale = upem: positions in font units */
    unsigned upem;
    cairo_font_face_t *cairo;    /* wraps `ft` */
    struct vc_font *next;        /* context's list */
} vc_font;

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

/* The engine's per-thread state: every font it loaded (the owner of each
 * vc_font), the FreeType library, and fontconfig, started only when a word
 * needs a font that is not bundled. */
struct vc_context {
    FT_Library ft;
    vc_font *fonts;          /* owned list */
    FcConfig *fc;            /* NULL until first needed */
    hb_buffer_t *hb_buffer;  /* reused by vc_shape */
};

/* The section holding FreeType's allocation functions (font.c); the linker
 * names its bounds __start_vc_ft_memory and __stop_vc_ft_memory. */
#define VC_FT_MEMORY_SECTION "vc_ft_memory"

/* Loads (or finds already loaded) the font file at `path`. */
vc_font *vc_context_font(vc_context *ctx, const char *path, vc_error *err);

/* ---- shape.c: word -> glyph run ---------------------------------------- */

/* One glyph, positioned for an em size of 1 px, origin at the word's
 * baseline start, x right, y DOWN (already flipped from font units). */
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
} vc_shaped;

/* Shapes `text` with bidi runs and font fallback.  The result is scaled by
 * font size at use: positions are linear in the em size. */
bool vc_shape_word(vc_context *ctx, vc_fontset *set, const char *text,
              vc_shaped *out, vc_error *err);
void vc_shaped_finish(vc_shaped *shaped);

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
    char *reason;
    vc_drop_reason why;
} vc_dropped_word;

struct vc_layout {
    vc_context *ctx;           /* borrowed: outlives the layout */
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
    vc_timings timings;        /* written by the renderers too */
    int legend_top;            /* words stay above this y (--legend band);
                                * height without a legend */
    uint32_t contrast_rgb;     /* the colour word colours were checked on */
    vc_color_adjustment adjusted[VC_MAX_ADJUSTED]; /* distinct (from, needed) */
    size_t n_adjusted;
};

/* f(count) for the chosen sizing. */
double vc_sizing_value(vc_sizing sizing, double count);

/* ---- renderers ---------------------------------------------------------- */

/* Render into an open stream (the caller handles atomicity). */
bool vc_render_png(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_svg(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_pdf(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_json(const vc_layout *layout, FILE *fp, vc_error *err);

/* The provenance string recorded in PNG and SVG metadata. */
char *vc_layout_provenance(const vc_layout *layout);

#endif /* VC_INTERNAL_H */
