/* test-renderers.c - PNG, SVG and PDF from a layout built by hand: sizes,
 * exact colours and blending, metadata chunks, escaping, well-formed and
 * accessible SVG that rasterises like the PNG, stable bytes, write errors. */
#include "helpers.h"
#include "tap.h"

#include <math.h>
#include <png.h>

static vc_context *ctx;
static struct vc_layout L;
static char title[] = "Test cloud";

static void add_word(const char *text, double count, double size, int x,
                     int y, double rot, uint32_t color)
{
    vc_placed_word *pw = &L.placed[L.n_placed++];
    vc_error err = {0};
    pw->text = vc_strdup(text);
    pw->count = count;
    pw->font_size = size;
    pw->x = x;
    pw->y = y;
    pw->rotation = rot;
    pw->color = color;
    if (!vc_shape_word(ctx, &L.fonts, text, &pw->shaped, &err) ||
        !vc_rasterise(&pw->shaped, size, rot, &pw->ink, &err)) {
        printf("# %s: %s\n", text, err.message);
    }
}

static bool build_layout(void)
{
    vc_error err = {0};
    memset(&L, 0, sizeof L);
    L.store = ctx->store; /* borrowed: this hand-made layout is freed by hand */
    L.width = 400;
    L.height = 240;
    L.background_rgb = 0xFFFFF0;
    L.opts.scale = 1;
    L.opts.dpi = 96;
    L.title = title;
    if (!vc_fontset_init(ctx, &L.fonts, NULL, font_dir(), &err)) {
        printf("# %s\n", err.message);
        return false;
    }
    L.placed = calloc(8, sizeof *L.placed);
    add_word("prevention", 210, 48, 20, 70, 0, 0x005EB8);
    add_word("<A&E>", 1, 30, 20, 130, 0, 0x330072);
    add_word("سلام", 12, 40, 250, 130, 0, 0xDA291C);
    add_word("বাংলা", 7, 36, 20, 200, 0, 0x007F3B);
    add_word("vertical", 3.5, 28, 370, 225, -90, 0x768692);
    /* What vc_layout_new does last: the runs the renderers draw. */
    if (!vc_layout_build_drawing(&L, &err)) {
        printf("# %s\n", err.message);
        return false;
    }
    return true;
}

static void free_layout(void)
{
    for (size_t i = 0; i < L.n_placed; i++) {
        free(L.placed[i].text);
        vc_shaped_finish(&L.placed[i].shaped);
        vc_ink_finish(&L.placed[i].ink);
    }
    free(L.placed);
    free(L.drawing.runs);
    vc_fontset_finish(&L.fonts);
}

/* ---- files ------------------------------------------------------------- */

static bool contains(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; data && n <= len && i <= len - n; i++) {
        if (memcmp(data + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

typedef bool (*render_fn)(const vc_layout *, FILE *, vc_error *);

static bool render_to(render_fn fn, const char *path)
{
    vc_error err = {0};
    FILE *fp = fopen(path, "wb");
    bool ok = fp && fn(&L, fp, &err);
    if (fp) {
        fclose(fp);
    }
    if (!ok) {
        printf("# %s: %s\n", path, err.message);
    }
    return ok;
}

static char *slurp(const char *path, size_t *len)
{
    *len = 0;
    return tap_read_file(path, len);
}

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    bool same = da && db && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

/* A decoded PNG, 8-bit RGB or RGBA. */
typedef struct image {
    int w, h, channels;
    uint8_t *px;
    char title[256], software[256], description[1024];
    png_uint_32 ppm;
} image;

static bool read_png(const char *path, image *im)
{
    memset(im, 0, sizeof *im);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return false;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL,
                                             NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        return false;
    }
    png_init_io(png, fp);
    png_read_png(png, info, PNG_TRANSFORM_STRIP_16 | PNG_TRANSFORM_EXPAND,
                 NULL);
    im->w = (int)png_get_image_width(png, info);
    im->h = (int)png_get_image_height(png, info);
    im->channels = png_get_channels(png, info);
    png_bytepp rows = png_get_rows(png, info);
    size_t stride = (size_t)im->w * (size_t)im->channels;
    im->px = malloc((size_t)im->h * stride);
    for (int j = 0; j < im->h; j++) {
        memcpy(im->px + (size_t)j * stride, rows[j], stride);
    }
    png_textp text;
    int n = 0;
    png_get_text(png, info, &text, &n);
    for (int i = 0; i < n; i++) {
        char *dst = strcmp(text[i].key, "Title") == 0      ? im->title
                    : strcmp(text[i].key, "Software") == 0 ? im->software
                    : strcmp(text[i].key, "Description") == 0
                        ? im->description
                        : NULL;
        if (dst) {
            snprintf(dst, 256, "%s", text[i].text);
        }
    }
    png_uint_32 py;
    int unit;
    png_get_pHYs(png, info, &im->ppm, &py, &unit);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    return true;
}

static const uint8_t *pixel(const image *im, int x, int y)
{
    return im->px + ((size_t)y * (size_t)im->w + (size_t)x) *
                        (size_t)im->channels;
}

/* ---- PNG --------------------------------------------------------------- */

/* Every pixel of word `k`'s bitmap is the exact 8-bit "over" of its
 * colour on the background: round((c*a + bg*(255-a)) / 255). */
static bool exact_blend(const image *im, size_t k)
{
    const vc_placed_word *pw = &L.placed[k];
    const vc_ink *ink = &pw->ink;
    for (int j = 0; j < ink->h; j++) {
        for (int i = 0; i < ink->w; i++) {
            unsigned a = ink->alpha[(size_t)j * (size_t)ink->stride +
                                    (size_t)i];
            const uint8_t *p =
                pixel(im, pw->x + ink->x0 + i, pw->y + ink->y0 + j);
            for (int c = 0; c < 3; c++) {
                unsigned fg = (pw->color >> (16 - 8 * c)) & 0xFF;
                unsigned bg = (L.background_rgb >> (16 - 8 * c)) & 0xFF;
                unsigned want = (fg * a + bg * (255 - a) + 127) / 255;
                if (p[c] != want) {
                    printf("# (%d,%d) channel %d: %u, want %u (a=%u)\n", i,
                           j, c, p[c], want, a);
                    return false;
                }
            }
        }
    }
    return true;
}

static void test_png(void)
{
    TAP_OK(render_to(vc_render_png, "out.png"), "PNG renders");
    image im;
    TAP_OK(read_png("out.png", &im), "PNG decodes with libpng");
    TAP_OK(im.w == 400 && im.h == 240 && im.channels == 3,
           "400x240 RGB (%dx%d, %d channels)", im.w, im.h, im.channels);
    const uint8_t *c = pixel(&im, 0, 0);
    TAP_OK(c[0] == 0xFF && c[1] == 0xFF && c[2] == 0xF0,
           "background colour in the corner");
    TAP_OK(exact_blend(&im, 0) && exact_blend(&im, 2) && exact_blend(&im, 4),
           "word pixels are the exactly rounded blend of their ink");
    TAP_EQ_STR(im.title, "Test cloud", "Title chunk");
    TAP_EQ_STR(im.software, "votecloud " VC_VERSION_STRING,
               "Software chunk");
    TAP_OK(im.ppm == 3780, "pHYs: 96 dpi = 3780 px/m (%u)", im.ppm);
    free(im.px);

    TAP_OK(render_to(vc_render_png, "out2.png") &&
               same_file("out.png", "out2.png"),
           "same layout, identical PNG bytes");

    size_t len;
    char *data = slurp("out.png", &len);
    TAP_OK(data && !contains(data, len, "tIME"),
           "no time chunk (stable bytes)");
    free(data);
}

static void test_png_transparent_and_scaled(void)
{
    L.transparent = true;
    image im;
    TAP_OK(render_to(vc_render_png, "out-alpha.png") &&
               read_png("out-alpha.png", &im) && im.channels == 4,
           "transparent background gives RGBA");
    TAP_OK(pixel(&im, 0, 0)[3] == 0, "corner is fully transparent");
    /* Straight alpha over nothing: the colour itself at the coverage. */
    const vc_placed_word *pw = &L.placed[0];
    bool ok = true;
    for (int j = 0; j < pw->ink.h && ok; j++) {
        for (int i = 0; i < pw->ink.w && ok; i++) {
            unsigned a = pw->ink.alpha[(size_t)j * (size_t)pw->ink.stride +
                                       (size_t)i];
            const uint8_t *p = pixel(&im, pw->x + pw->ink.x0 + i,
                                     pw->y + pw->ink.y0 + j);
            ok = p[3] == a && (a == 0 || (p[0] == 0x00 && p[1] == 0x5E &&
                                          p[2] == 0xB8));
        }
    }
    TAP_OK(ok, "alpha is the coverage, colour the word's");
    free(im.px);
    L.transparent = false;

    L.opts.scale = 2;
    TAP_OK(render_to(vc_render_png, "out-2x.png") &&
               read_png("out-2x.png", &im) && im.w == 800 && im.h == 480,
           "--scale 2 doubles the pixels (%dx%d)", im.w, im.h);
    TAP_OK(im.ppm == 7559, "and the pixels per inch (%u px/m)", im.ppm);
    /* The word is re-rasterised, not blown up: its stem pixels are solid. */
    long solid = 0;
    for (int y = 0; y < im.h; y++) {
        for (int x = 0; x < im.w; x++) {
            const uint8_t *p = pixel(&im, x, y);
            solid += p[0] == 0x00 && p[1] == 0x5E && p[2] == 0xB8;
        }
    }
    long solid1 = 0;
    for (size_t k = 0; k < (size_t)L.placed[0].ink.h * L.placed[0].ink.stride;
         k++) {
        solid1 += L.placed[0].ink.alpha[k] == 255;
    }
    TAP_OK(solid > 3 * solid1 && solid < 5 * solid1,
           "about 4x the solid pixels (%ld vs %ld)", solid, solid1);
    free(im.px);
    L.opts.scale = 1;
}

/* ---- SVG --------------------------------------------------------------- */

static bool run(const char *cmd)
{
    return system(cmd) == 0;
}

static void test_svg(void)
{
    TAP_OK(render_to(vc_render_svg, "out.svg"), "SVG renders");
    size_t len;
    char *svg = slurp("out.svg", &len);
    TAP_OK(svg && strstr(svg, "role=\"img\"") &&
               strstr(svg, "aria-labelledby=\"vc-title\" aria-describedby=\"vc-desc\"") &&
               strstr(svg, "<title id=\"vc-title\">Test cloud</title>") &&
               strstr(svg, "<desc id=\"vc-desc\">"),
           "accessible root: role, aria-labelledby, title, desc");
    TAP_OK(svg && strstr(svg, "<title>prevention: 210 votes</title>") &&
               strstr(svg, "<title>vertical: 3.5 votes</title>"),
           "each word's group has a title with its votes");
    TAP_OK(svg && strstr(svg, "<title>&lt;A&amp;E&gt;: 1 vote</title>"),
           "text escaped, 1 vote singular");
    TAP_OK(svg && strstr(svg, "<g fill=\"#005eb8\" transform=\"translate(20 "
                              "70) scale(0.048)\">"),
           "word group: colour, origin, em scale");
    TAP_OK(svg && strstr(svg, "rotate(-90)"), "rotation about the origin");
    TAP_OK(svg && strstr(svg, "<rect width=\"400\" height=\"240\" "
                              "fill=\"#fffff0\"/>"),
           "background rectangle");
    free(svg);

    if (have_program("xmllint")) {
        TAP_OK(run("xmllint --noout out.svg"), "xmllint: well-formed");
        TAP_OK(run("test \"$(xmllint --xpath \"string(//*[local-name()='g']"
                   "[2]/*[local-name()='title'])\" out.svg)\" = '<A&E>: 1 "
                   "vote'"),
               "the escaped title round-trips through an XML parser");
    } else {
        TAP_OK(run("python3 -c 'import sys, xml.dom.minidom as m; "
                   "m.parse(\"out.svg\")'"),
               "python minidom: well-formed");
        TAP_OK(1, "title round-trip # SKIP xmllint not installed");
    }

    TAP_OK(render_to(vc_render_svg, "out2.svg") &&
               same_file("out.svg", "out2.svg"),
           "same layout, identical SVG bytes");

    L.transparent = true;
    svg = NULL;
    TAP_OK(render_to(vc_render_svg, "out-alpha.svg") &&
               (svg = slurp("out-alpha.svg", &len)) && !strstr(svg, "<rect"),
           "transparent: no background rectangle");
    free(svg);
    L.transparent = false;
}

/* rsvg-convert's rendering of our SVG against our PNG. */
static void test_svg_matches_png(void)
{
    if (!have_program("rsvg-convert")) {
        TAP_OK(1, "SVG matches PNG # SKIP rsvg-convert not installed");
        return;
    }
    image a, b;
    TAP_OK(run("rsvg-convert -o out-rsvg.png out.svg") &&
               read_png("out.png", &a) && read_png("out-rsvg.png", &b) &&
               a.w == b.w && a.h == b.h,
           "rsvg-convert renders the SVG at the PNG's size");
    if (a.w != b.w || a.h != b.h) {
        return;
    }
    double sum = 0;
    long big = 0, n = (long)a.w * a.h;
    for (int y = 0; y < a.h; y++) {
        for (int x = 0; x < a.w; x++) {
            const uint8_t *p = pixel(&a, x, y), *q = pixel(&b, x, y);
            int worst = 0;
            for (int c = 0; c < 3; c++) {
                int d = abs(p[c] - q[c]);
                sum += d;
                worst = d > worst ? d : worst;
            }
            big += worst > 64;
        }
    }
    double mean = sum / (3.0 * n);
    TAP_OK(mean < 2.0, "mean absolute difference %.3f < 2 per channel",
           mean);
    TAP_OK(big < n * 3 / 100, "%.2f%% of pixels differ by more than 64",
           100.0 * big / n);
    free(a.px);
    free(b.px);
}

/* ---- PDF --------------------------------------------------------------- */

static void test_pdf(void)
{
    TAP_OK(render_to(vc_render_pdf, "out.pdf"), "PDF renders");
    size_t len;
    char *pdf = slurp("out.pdf", &len);
    TAP_OK(pdf && len > 1000 && memcmp(pdf, "%PDF-", 5) == 0,
           "starts with %%PDF- (%zu bytes)", len);
    TAP_OK(pdf && contains(pdf, len, "/FontFile"),
           "fonts are embedded");
    /* 400 px at 96 dpi = 300 pt; 240 px = 180 pt. */
    TAP_OK(pdf && contains(pdf, len, "/MediaBox [ 0 0 300 180 ]"),
           "page is the canvas at 96 dpi in points");
    TAP_OK(pdf && contains(pdf, len, "/CreationDate (20000101000000Z)"),
           "fixed creation date, so runs do not differ by the clock");
    free(pdf);
    TAP_OK(render_to(vc_render_pdf, "out2.pdf") &&
               same_file("out.pdf", "out2.pdf"),
           "same layout, identical PDF bytes");
}

/* ---- errors ------------------------------------------------------------ */

static void test_write_errors(void)
{
    render_fn fns[3] = {vc_render_png, vc_render_svg, vc_render_pdf};
    const char *names[3] = {"PNG", "SVG", "PDF"};
    for (int i = 0; i < 3; i++) {
        FILE *fp = fopen("/dev/full", "wb");
        if (!fp) {
            TAP_OK(1, "%s to a full disk # SKIP no /dev/full", names[i]);
            continue;
        }
        vc_error err = {0};
        bool ok = fns[i](&L, fp, &err);
        fclose(fp);
        TAP_OK(!ok && err.status == VC_ERR_IO &&
                   strstr(err.message, "No space left on device"),
               "%s to a full disk is an I/O error: %s", names[i],
               err.message);
    }
    L.opts.scale = 1000;
    L.opts.max_pixels = 100000000;
    vc_error err = {0};
    FILE *fp = fopen("out-big.png", "wb");
    TAP_OK(fp && !vc_render_png(&L, fp, &err) && err.status == VC_ERR_USAGE,
           "a scale past the pixel limit is refused: %s", err.message);
    if (fp) {
        fclose(fp);
    }
    L.opts.scale = 1;
    L.opts.max_pixels = 0;
}

int main(void)
{
    enter_test_dir();
    vc_error err = {0};
    ctx = vc_context_new(&err);
    if (!ctx || !build_layout()) {
        TAP_OK(0, "context and layout: %s", err.message);
        return tap_done();
    }
    test_png();
    test_png_transparent_and_scaled();
    test_svg();
    test_svg_matches_png();
    test_pdf();
    test_write_errors();
    free_layout();
    vc_context_free(ctx);
    return tap_done();
}
