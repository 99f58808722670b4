/* font.c - the per-thread context, font files and the fallback chain.
 * Bundled fonts are loaded by path so output is the same everywhere;
 * fontconfig is started only for a --font pattern or a character that no
 * bundled font covers, because starting it costs more than a small cloud. */
#include "layout/layout.h"
#include "layout/cairo-lib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include FT_MODULE_H
#include FT_TRUETYPE_TABLES_H
#include <hb-ot.h>

#define PRIMARY_FONT "NotoSans-Bold.ttf"

/* Bundled fallbacks, in the order they are tried after the primary, in
 * the two weights bundled: the one nearer the primary's is used, for an
 * answer drawn in a heavier face than the others (Bengali in bold among
 * English in regular) looks chosen by more people than it was. */
static const char *const fallback_fonts[][2] = {
    {"NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"},
    {"NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"},
};

/* The font's weight on the OpenType scale (400 regular, 700 bold): its
 * OS/2 table's, or from its style flags when it has none. */
static int font_weight(const vc_font *font)
{
    const TT_OS2 *os2 = FT_Get_Sfnt_Table(font->ft, FT_SFNT_OS2);
    if (os2 && os2->usWeightClass >= 1 && os2->usWeightClass <= 1000) {
        return os2->usWeightClass;
    }
    return font->ft->style_flags & FT_STYLE_FLAG_BOLD ? 700 : 400;
}

/* Generic fontconfig families: a match never carries these names. */
static const char *const generic_families[] = {
    "sans-serif", "sans", "serif", "monospace", "mono",
    "cursive", "fantasy", "system-ui", "emoji",
};

/* cairo may keep a font face (and so its FT_Face) alive in its caches after
 * the context is gone, so the face holds a reference on the FreeType
 * library and cairo releases both when it drops the face. */
typedef struct face_owner {
    FT_Library lib;
    FT_Face face;
} face_owner;

static const cairo_user_data_key_t face_owner_key;

static void face_owner_release(void *data)
{
    face_owner *owner = data;
    FT_Done_Face(owner->face);
    FT_Done_Library(owner->lib);
    free(owner);
}

/* FT_Done_FreeType frees the library's memory record even while cairo
 * still caches faces that hold a reference on the library, and their
 * release then reads freed memory.  Each context therefore makes its
 * library with FT_New_Library over this record, which nothing frees or
 * changes, and drops its reference with FT_Done_Library.
 *
 * The three functions live in their own section (VC_FT_MEMORY_SECTION) so
 * the allocation-failure test can tell FreeType's allocations, made on
 * behalf of cairo while it draws, from the engine's own: cairo 1.16
 * asserts when FreeType runs out of memory mid-glyph, which is not ours to
 * fix. */
#define FT_MEMORY_FN __attribute__((section(VC_FT_MEMORY_SECTION), noinline))

FT_MEMORY_FN static void *ft_alloc(FT_Memory memory, long size)
{
    VC_UNUSED(memory);
    return malloc((size_t)size);
}

FT_MEMORY_FN static void ft_free(FT_Memory memory, void *block)
{
    VC_UNUSED(memory);
    free(block);
}

FT_MEMORY_FN static void *ft_realloc(FT_Memory memory, long cur_size, long new_size,
                        void *block)
{
    VC_UNUSED(memory);
    VC_UNUSED(cur_size);
    return realloc(block, (size_t)new_size);
}

static struct FT_MemoryRec_ ft_memory = {NULL, ft_alloc, ft_free, ft_realloc};

/* ---- the font store: the fonts a context loaded, shared with layouts ---- */

static void font_free(vc_font *font);
static bool raster_direct(FT_Face face);

vc_fontstore *vc_fontstore_ref(vc_fontstore *store)
{
    if (store) {
        __atomic_add_fetch(&store->refs, 1, __ATOMIC_RELAXED);
    }
    return store;
}

void vc_fontstore_unref(vc_fontstore *store)
{
    if (!store || __atomic_sub_fetch(&store->refs, 1, __ATOMIC_ACQ_REL) != 0) {
        return;
    }
    vc_font *next;
    for (vc_font *font = store->fonts; font; font = next) {
        next = font->next;
        font_free(font);
    }
    /* Drops the store's reference; faces cairo still caches keep the
     * library alive until cairo lets go of them. */
    FT_Done_Library(store->ft);
    if (store->raster_ft) {
        FT_Done_Library(store->raster_ft);
    }
    pthread_mutex_destroy(&store->raster_mu);
    free(store);
}

/* A FreeType library with the default modules and properties, as cairo's
 * faces get, over the shared memory record. */
static FT_Library library_new(void)
{
    FT_Library lib;
    if (FT_New_Library(&ft_memory, &lib) != 0) {
        return NULL;
    }
    FT_Add_Default_Modules(lib);
    FT_Set_Default_Properties(lib);
    return lib;
}

static vc_fontstore *fontstore_new(vc_error *err)
{
    vc_fontstore *store = calloc(1, sizeof *store);
    if (!store) {
        vc_fail_nomem(err, "fonts");
        return NULL;
    }
    if (pthread_mutex_init(&store->raster_mu, NULL) != 0) {
        free(store);
        vc_fail(err, VC_ERR_NOMEM, "fonts: cannot create a mutex");
        return NULL;
    }
    if (!(store->ft = library_new())) {
        pthread_mutex_destroy(&store->raster_mu);
        free(store);
        vc_fail(err, VC_ERR_SOFTWARE, "FreeType: cannot initialise");
        return NULL;
    }
    store->refs = 1;
    return store;
}

vc_context *vc_context_new(vc_error *err)
{
    vc_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        vc_fail_nomem(err, "context");
        return NULL;
    }
    if (!(ctx->store = fontstore_new(err))) {
        free(ctx);
        return NULL;
    }
    if (!(ctx->spirals = vc_spiral_cache_new(err))) {
        vc_context_free(ctx);
        return NULL;
    }
    ctx->hb_buffer = hb_buffer_create();
    /* HarfBuzz's default language is the process locale's, and fonts
     * change glyphs by language (the bundled Noto Sans draws Romanian s
     * with a comma, not a cedilla, under ro_RO): a program that links the
     * library and adopts its user's locale would get other bytes than the
     * CLI.  Answers carry no language tag, so every word is shaped as
     * "undetermined", which selects each script's default forms. */
    ctx->language = hb_language_from_string("und", -1);
    if (!hb_buffer_allocation_successful(ctx->hb_buffer)) {
        vc_context_free(ctx);
        vc_fail_nomem(err, "shaping buffer");
        return NULL;
    }
    return ctx;
}

static void font_free(vc_font *font)
{
    if (!font) {
        return;
    }
    vc_raster_face *next;
    for (vc_raster_face *rf = font->pool; rf; rf = next) {
        next = rf->next;
        FT_Done_Face(rf->face);
        vc_glyph_cache_free(rf->cache);
        free(rf);
    }
    pthread_mutex_destroy(&font->pool_mu);
    hb_blob_destroy(font->blob);
    hb_font_destroy(font->hb);
    if (font->cairo) {
        cairo_font_face_destroy(font->cairo);
    } else if (font->ft) {
        FT_Done_Face(font->ft);
    }
    free(font->path);
    free(font);
}

void vc_context_free(vc_context *ctx)
{
    if (!ctx) {
        return;
    }
    hb_buffer_destroy(ctx->hb_buffer);
    vc_shaper_free(ctx->shaper);
    vc_spiral_cache_free(ctx->spirals);
    if (ctx->fc) {
        FcConfigDestroy(ctx->fc);
    }
    /* Layouts made with this context keep the fonts they use. */
    vc_fontstore_unref(ctx->store);
    free(ctx);
}

static bool font_open_hb(vc_font *font, vc_error *err)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(font->path);
    if (!blob) {
        return vc_fail(err, VC_ERR_NOINPUT, "%s: cannot read font file",
                       font->path);
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)font->index);
    font->blob = blob;
    font->upem = hb_face_get_upem(face);
    font->hb = hb_font_create(face);
    hb_face_destroy(face);
    if (font->upem == 0) {
        return vc_fail(err, VC_ERR_DATA, "%s: not a usable font file",
                       font->path);
    }
    /* Scale = upem and the OpenType functions: positions come out in font
     * units, unhinted, so they are exactly linear in the size. */
    hb_ot_font_set_funcs(font->hb);
    hb_font_set_scale(font->hb, (int)font->upem, (int)font->upem);
    return true;
}

static bool font_open_ft(vc_context *ctx, vc_font *font, vc_error *err)
{
    FT_Error fe = FT_New_Face(ctx->store->ft, font->path, font->index, &font->ft);
    if (fe != 0) {
        font->ft = NULL;
        return vc_fail(err, VC_ERR_DATA, "%s: not a usable font file",
                       font->path);
    }
    if (!FT_IS_SCALABLE(font->ft) ||
        FT_Select_Charmap(font->ft, FT_ENCODING_UNICODE) != 0) {
        return vc_fail(err, VC_ERR_DATA,
                       "%s: not a usable font file (no scalable Unicode "
                       "glyphs)", font->path);
    }
    font->raster_direct = raster_direct(font->ft);
    return true;
}

/* Wraps the font's FT_Face for cairo, which from then on owns it (and a
 * reference on its library, for cairo's caches may outlive the font). */
static cairo_font_face_t *make_cairo_face(vc_font *font)
{
    face_owner *owner = malloc(sizeof *owner);
    if (!owner) {
        return NULL;
    }
    owner->lib = font->store->ft;
    owner->face = font->ft;
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(font->ft, 0);
    if (cairo_font_face_status(cf) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(cf, &face_owner_key, owner, face_owner_release) !=
            CAIRO_STATUS_SUCCESS) {
        free(owner);
        cairo_font_face_destroy(cf);
        return NULL;
    }
    FT_Reference_Library(font->store->ft);
    return cf;
}

cairo_font_face_t *vc_font_cairo(vc_font *font, vc_error *err)
{
    if (!vc_cairo_require(err)) {
        return NULL;
    }
    pthread_mutex_lock(&font->pool_mu);
    if (!font->cairo) {
        font->cairo = make_cairo_face(font);
    }
    cairo_font_face_t *cf = font->cairo;
    pthread_mutex_unlock(&font->pool_mu);
    if (!cf) {
        vc_fail_nomem(err, font->path);
    }
    return cf;
}

/* ---- raster faces: one per rasterising thread ---------------------------- */

/* raster.c draws a face's glyphs itself, byte for byte as cairo draws
 * them, only for plain outline fonts: cairo treats bitmap strikes, colour
 * glyphs and variable fonts in ways raster.c does not copy. */
static bool raster_direct(FT_Face face)
{
    return FT_IS_SCALABLE(face) && !FT_HAS_FIXED_SIZES(face) &&
           !FT_HAS_COLOR(face) && !FT_HAS_MULTIPLE_MASTERS(face);
}

static vc_raster_face *raster_face_new(vc_font *font)
{
    vc_fontstore *store = font->store;
    vc_raster_face *rf = calloc(1, sizeof *rf);
    if (!rf) {
        return NULL;
    }
    unsigned len;
    const char *data = hb_blob_get_data(font->blob, &len);
    pthread_mutex_lock(&store->raster_mu);
    if (!store->raster_ft) {
        store->raster_ft = library_new();
    }
    FT_Error fe = store->raster_ft ? FT_New_Memory_Face(store->raster_ft, (const FT_Byte *)data,
                                                        (FT_Long)len, font->index, &rf->face)
                                   : FT_Err_Out_Of_Memory;
    pthread_mutex_unlock(&store->raster_mu);
    if (fe != 0) {
        free(rf);
        return NULL;
    }
    return rf;
}

vc_raster_face *vc_font_face_borrow(vc_font *font, const vc_ft_scale *scale)
{
    pthread_mutex_lock(&font->pool_mu);
    /* The face already at `scale` keeps its glyph cache warm; the pool
     * holds one face per thread that ever rasterised, so it is short. */
    vc_raster_face **pick = &font->pool;
    for (vc_raster_face **p = &font->pool; *p; p = &(*p)->next) {
        if ((*p)->set && memcmp(&(*p)->scale, scale, sizeof *scale) == 0) {
            pick = p;
            break;
        }
    }
    vc_raster_face *rf = *pick;
    if (rf) {
        *pick = rf->next;
    }
    pthread_mutex_unlock(&font->pool_mu);
    return rf ? rf : raster_face_new(font);
}

void vc_font_face_return(vc_font *font, vc_raster_face *rf)
{
    pthread_mutex_lock(&font->pool_mu);
    rf->next = font->pool;
    font->pool = rf;
    pthread_mutex_unlock(&font->pool_mu);
}

/* Loads face `index` of `path`, or returns the one already loaded. */
static vc_font *context_font_index(vc_context *ctx, const char *path,
                                   int index, vc_error *err)
{
    for (vc_font *font = ctx->store->fonts; font; font = font->next) {
        if (font->index == index && strcmp(font->path, path) == 0) {
            return font;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        vc_fail_errno(err, VC_ERR_NOINPUT, path, "cannot open", errno);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        vc_fail(err, VC_ERR_NOINPUT, "%s: cannot open: not a regular file",
                path);
        return NULL;
    }
    vc_font *font = calloc(1, sizeof *font);
    if (!font || !(font->path = vc_strdup(path))) {
        free(font);
        vc_fail_nomem(err, path);
        return NULL;
    }
    font->index = index;
    font->store = ctx->store;
    if (pthread_mutex_init(&font->pool_mu, NULL) != 0) {
        free(font->path);
        free(font);
        vc_fail(err, VC_ERR_NOMEM, "%s: cannot create a mutex", path);
        return NULL;
    }
    if (!font_open_hb(font, err) || !font_open_ft(ctx, font, err)) {
        font_free(font);
        return NULL;
    }
    font->next = ctx->store->fonts;
    ctx->store->fonts = font;
    return font;
}

vc_font *vc_context_font(vc_context *ctx, const char *path, vc_error *err)
{
    return context_font_index(ctx, path, 0, err);
}

static bool fontset_add(vc_fontset *set, vc_font *font, vc_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->fonts[i] == font) {
            return true;
        }
    }
    if (!vc_grow((void **)&set->fonts, &set->cap, set->n + 1,
                 sizeof *set->fonts)) {
        return vc_fail_nomem(err, "font list");
    }
    set->fonts[set->n++] = font;
    return true;
}

static bool fc_start(vc_context *ctx, vc_error *err)
{
    if (ctx->fc) {
        return true;
    }
    ctx->fc = FcInitLoadConfigAndFonts();
    if (!ctx->fc) {
        return vc_fail(err, VC_ERR_SOFTWARE, "fontconfig: cannot load its "
                       "configuration");
    }
    return true;
}

static bool is_font_path(const char *font)
{
    size_t len = strlen(font);
    if (strchr(font, '/')) {
        return true;
    }
    return len > 4 && (strcasecmp(font + len - 4, ".ttf") == 0 ||
                       strcasecmp(font + len - 4, ".otf") == 0 ||
                       strcasecmp(font + len - 4, ".ttc") == 0);
}

/* True when the match carries the family asked for, so "--font Nonesuch"
 * fails instead of quietly drawing in fontconfig's default. */
static bool family_matches(FcPattern *asked, FcPattern *match)
{
    FcChar8 *want;
    if (FcPatternGetString(asked, FC_FAMILY, 0, &want) != FcResultMatch) {
        return true;
    }
    for (size_t i = 0; i < sizeof generic_families / sizeof *generic_families;
         i++) {
        if (strcasecmp((const char *)want, generic_families[i]) == 0) {
            return true;
        }
    }
    FcChar8 *have;
    for (int i = 0;
         FcPatternGetString(match, FC_FAMILY, i, &have) == FcResultMatch;
         i++) {
        if (strcasecmp((const char *)want, (const char *)have) == 0) {
            return true;
        }
    }
    return false;
}

static vc_font *font_from_pattern(vc_context *ctx, const char *spec,
                                  vc_error *err)
{
    if (!fc_start(ctx, err)) {
        return NULL;
    }
    FcPattern *pat = FcNameParse((const FcChar8 *)spec);
    if (!pat) {
        vc_fail(err, VC_ERR_USAGE, "font '%s': not a fontconfig pattern",
                spec);
        return NULL;
    }
    FcConfigSubstitute(ctx->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(ctx->fc, pat, &result);
    vc_font *font = NULL;
    FcChar8 *file;
    int index = 0;
    if (!match || !family_matches(pat, match) ||
        FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
        vc_fail(err, VC_ERR_USAGE, "font '%s': no installed font matches",
                spec);
    } else {
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        font = context_font_index(ctx, (const char *)file, index, err);
    }
    if (match) {
        FcPatternDestroy(match);
    }
    FcPatternDestroy(pat);
    return font;
}


static vc_font *bundled_font(vc_context *ctx, const char *dir,
                             const char *name, vc_error *err)
{
    vc_buf path;
    vc_buf_init(&path);
    vc_buf_printf(&path, "%s/%s", dir, name);
    if (path.failed) {
        vc_buf_finish(&path);
        vc_fail_nomem(err, "font path");
        return NULL;
    }
    vc_font *font = vc_context_font(ctx, path.data, err);
    vc_buf_finish(&path);
    return font;
}

bool vc_fontset_init(vc_context *ctx, vc_fontset *set, const char *font,
                     const char *font_dir, vc_error *err)
{
    memset(set, 0, sizeof *set);
    char found[4096]; /* the bundled fonts' folder (font-dir.c) */
    const char *dir = font_dir ? font_dir : vc_bundled_font_dir(PRIMARY_FONT, found, sizeof found);
    vc_font *primary;
    if (!font) {
        primary = bundled_font(ctx, dir, PRIMARY_FONT, err);
    } else if (is_font_path(font)) {
        primary = vc_context_font(ctx, font, err);
    } else {
        primary = font_from_pattern(ctx, font, err);
    }
    if (!primary || !fontset_add(set, primary, err)) {
        vc_fontset_finish(set);
        return false;
    }
    bool bold = font_weight(primary) >= 550;
    for (size_t i = 0; i < sizeof fallback_fonts / sizeof *fallback_fonts; i++) {
        vc_font *f = bundled_font(ctx, dir, fallback_fonts[i][bold], err);
        if (!f || !fontset_add(set, f, err)) {
            vc_fontset_finish(set);
            return false;
        }
    }
    return true;
}

void vc_fontset_finish(vc_fontset *set)
{
    if (!set) {
        return;
    }
    /* The fonts belong to the context. */
    free(set->fonts);
    free(set->missing);
    memset(set, 0, sizeof *set);
}

static bool font_has(const vc_font *font, uint32_t cp)
{
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(font->hb, cp, &gid) && gid != 0;
}

/* Asks fontconfig for an installed font covering `cp`, in its order of
 * preference for the primary font's style. */
static vc_font *fontconfig_font_for(vc_context *ctx, vc_fontset *set,
                                    uint32_t cp)
{
    if (!fc_start(ctx, NULL)) {
        return NULL;
    }
    FcPattern *pat = FcPatternCreate();
    FcCharSet *cs = FcCharSetCreate();
    if (!pat || !cs || !FcCharSetAddChar(cs, cp) ||
        !FcPatternAddCharSet(pat, FC_CHARSET, cs)) {
        goto done;
    }
    if (set->n > 0) {
        /* The primary's weight, for the reason the bundled ones match it. */
        FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType(font_weight(set->fonts[0])));
    }
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(ctx->fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcFontSet *fonts = FcFontSort(ctx->fc, pat, FcFalse, NULL, &result);
    vc_font *found = NULL;
    for (int i = 0; fonts && i < fonts->nfont && !found; i++) {
        FcCharSet *have;
        FcChar8 *file;
        int index = 0;
        if (FcPatternGetCharSet(fonts->fonts[i], FC_CHARSET, 0, &have) !=
                FcResultMatch ||
            !FcCharSetHasChar(have, cp) ||
            FcPatternGetString(fonts->fonts[i], FC_FILE, 0, &file) !=
                FcResultMatch) {
            continue;
        }
        FcPatternGetInteger(fonts->fonts[i], FC_INDEX, 0, &index);
        vc_font *f = context_font_index(ctx, (const char *)file, index, NULL);
        if (f && font_has(f, cp) && fontset_add(set, f, NULL)) {
            found = f;
        }
    }
    if (fonts) {
        FcFontSetDestroy(fonts);
    }
    FcCharSetDestroy(cs);
    FcPatternDestroy(pat);
    return found;
done:
    if (cs) {
        FcCharSetDestroy(cs);
    }
    if (pat) {
        FcPatternDestroy(pat);
    }
    return NULL;
}

vc_font *vc_fontset_font_for(vc_context *ctx, vc_fontset *set, uint32_t cp)
{
    if (set->n == 0) {
        return NULL;
    }
    for (size_t i = 0; i < set->n; i++) {
        if (font_has(set->fonts[i], cp)) {
            return set->fonts[i];
        }
    }
    for (size_t i = 0; i < set->n_missing; i++) {
        if (set->missing[i] == cp) {
            return set->fonts[0];
        }
    }
    vc_font *found = fontconfig_font_for(ctx, set, cp);
    if (found) {
        return found;
    }
    if (vc_grow((void **)&set->missing, &set->cap_missing, set->n_missing + 1,
                sizeof *set->missing)) {
        set->missing[set->n_missing++] = cp;
    }
    return set->fonts[0];
}
