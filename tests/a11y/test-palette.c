/* test-palette.c - colour and palette parsing, WCAG 2.1 contrast ratios,
 * and the hue-keeping contrast adjustment on white and black. */
#include "layout/layout.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXC 64

static bool near(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* HSL hue in degrees, or -1 for a grey. */
static double hsl_hue(uint32_t c)
{
    double r = (c >> 16 & 255) / 255.0, g = (c >> 8 & 255) / 255.0,
           b = (c & 255) / 255.0;
    double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
    if (d == 0) {
        return -1;
    }
    double h = mx == r ? fmod((g - b) / d, 6) : mx == g ? (b - r) / d + 2
                                                        : (r - g) / d + 4;
    h *= 60;
    return h < 0 ? h + 360 : h;
}

static double hue_diff(double a, double b)
{
    double d = fabs(a - b);
    return d > 180 ? 360 - d : d;
}

static void test_color_parse(void)
{
    uint32_t c = 0;
    TAP_OK(vc_color_parse("#005EB8", &c) && c == 0x005EB8, "#rrggbb");
    TAP_OK(vc_color_parse("#005eb8", &c) && c == 0x005EB8, "hex is case-insensitive");
    TAP_OK(vc_color_parse("#f0a", &c) && c == 0xFF00AA, "#rgb expands each digit");
    TAP_OK(vc_color_parse("  navy\t", &c) && c == 0x000080, "names, whitespace trimmed");
    TAP_OK(vc_color_parse("White", &c) && c == 0xFFFFFF, "names are case-insensitive");
    TAP_OK(vc_color_parse("rebeccapurple", &c) && c == 0x663399, "CSS4 names");
    TAP_OK(vc_color_parse("grey", &c) && c == 0x808080 &&
           vc_color_parse("gray", &c) && c == 0x808080, "both spellings of grey");
    TAP_OK(vc_color_parse("005EB8", &c) && c == 0x005EB8, "six hex digits without #");
    c = 0x123456;
    TAP_OK(!vc_color_parse("#12345", &c) && c == 0x123456, "five digits refused, out untouched");
    TAP_OK(!vc_color_parse("#ggg", &c), "non-hex refused");
    TAP_OK(!vc_color_parse("", &c) && !vc_color_parse("   ", &c), "empty refused");
    TAP_OK(!vc_color_parse("blurple", &c), "unknown name refused");
    TAP_OK(!vc_color_parse("transparent", &c), "transparent is not a colour");
    TAP_OK(!vc_color_parse(NULL, &c), "NULL refused");
    TAP_OK(!vc_color_parse("averyveryveryverylongcolourname-that-is-not", &c), "long name refused");
}

static void test_palette_parse(void)
{
    uint32_t c[MAXC];
    size_t n = 99;
    vc_error err = {0};
    TAP_OK(vc_palette_parse("nhs", c, MAXC, &n, &err) && n == 15 &&
           c[0] == 0x005EB8 && c[1] == 0x003087, "nhs: 15 colours, NHS Blue first");
    TAP_OK(vc_palette_parse(" NHS ", c, MAXC, &n, &err) && n == 15, "names trimmed, any case");
    TAP_OK(vc_palette_parse(NULL, c, MAXC, &n, &err) && n == 15 && c[0] == 0x005EB8,
           "NULL means the nhs default");
    TAP_OK(vc_palette_parse("okabe-ito", c, MAXC, &n, &err) && n == 8 &&
           c[7] == 0xF0E442, "okabe-ito: 8 colours, yellow last");
    TAP_OK(vc_palette_parse("viridis", c, MAXC, &n, &err) && n == 8 &&
           c[0] == 0x440154 && c[7] == 0xFDE725, "viridis: dark end first");
    TAP_OK(vc_palette_parse("govuk", c, MAXC, &n, &err) && n == 10 &&
           vc_palette_parse("gov-uk", c, MAXC, &n, &err) && c[0] == 0x1D70B8, "govuk and gov-uk");
    TAP_OK(vc_palette_parse("tableau10", c, MAXC, &n, &err) && n == 10, "tableau10");
    TAP_OK(vc_palette_parse("mono", c, MAXC, &n, &err) && n == 4 && hsl_hue(c[0]) < 0, "mono is grey");
    TAP_OK(vc_palette_parse("#005EB8, #fff ,navy", c, MAXC, &n, &err) && n == 3 &&
           c[0] == 0x005EB8 && c[1] == 0xFFFFFF && c[2] == 0x000080, "a list of colours");
    TAP_OK(vc_palette_parse("teal", c, MAXC, &n, &err) && n == 1 && c[0] == 0x008080,
           "one colour name is a one-colour palette");
    TAP_OK(err.status == VC_OK, "no error so far");

    vc_error_clear(&err);
    TAP_OK(!vc_palette_parse("rainbow", c, MAXC, &n, &err) && err.status == VC_ERR_USAGE &&
           strstr(err.message, "rainbow") && strstr(err.message, "okabe-ito") &&
           strstr(err.message, "viridis") && n == 0, "unknown name: usage error listing the names");
    printf("# %s\n", err.message);
    vc_error_clear(&err);
    TAP_OK(!vc_palette_parse("#005EB8,,#fff", c, MAXC, &n, &err) && err.status == VC_ERR_USAGE &&
           strstr(err.message, "\"\""), "an empty list item is refused");
    vc_error_clear(&err);
    TAP_OK(!vc_palette_parse("#005EB8,#12", c, MAXC, &n, &err) && strstr(err.message, "#12"),
           "the bad item is named");
    vc_error_clear(&err);
    TAP_OK(!vc_palette_parse("", c, MAXC, &n, &err) && err.status == VC_ERR_USAGE, "empty refused");
    vc_error_clear(&err);
    TAP_OK(!vc_palette_parse("#000,#111,#222", c, 2, &n, &err) && err.status == VC_ERR_USAGE &&
           strstr(err.message, "more than 2"), "more colours than room refused");
}

static void test_ratio(void)
{
    TAP_OK(near(vc_contrast_ratio(0x000000, 0xFFFFFF), 21.0, 1e-9), "black/white = 21");
    TAP_OK(near(vc_contrast_ratio(0xFFFFFF, 0x000000), 21.0, 1e-9), "symmetric");
    TAP_OK(near(vc_contrast_ratio(0x777777, 0xFFFFFF), 4.48, 0.005), "#777 on white = 4.48");
    TAP_OK(near(vc_contrast_ratio(0x767676, 0xFFFFFF), 4.54, 0.005), "#767676 on white = 4.54");
    TAP_OK(near(vc_contrast_ratio(0x005EB8, 0xFFFFFF), 6.38, 0.01), "NHS Blue on white = 6.38");
    TAP_OK(near(vc_contrast_ratio(0xFFB81C, 0xFFFFFF), 1.73, 0.01), "NHS Warm Yellow on white = 1.73");
    TAP_OK(near(vc_contrast_ratio(0x123456, 0x123456), 1.0, 1e-12), "same colour = 1");
}

/* Every colour of every named palette, adjusted, passes 4.5:1 (the small
 * text threshold, so it holds for large text too) on white and black. */
static void test_palettes_pass(void)
{
    const char *names[] = {"nhs", "okabe-ito", "viridis", "govuk", "tableau10", "grey"};
    const uint32_t bgs[] = {0xFFFFFF, 0x000000};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        uint32_t c[MAXC];
        size_t n = 0;
        vc_error err = {0};
        vc_palette_parse(names[k], c, MAXC, &n, &err);
        for (size_t b = 0; b < 2; b++) {
            size_t fail = 0, changed = 0, kept = 0;
            for (size_t i = 0; i < n; i++) {
                uint32_t a = vc_contrast_adjust(c[i], bgs[b], 4.5);
                double r = vc_contrast_ratio(a, bgs[b]);
                if (r < 4.5) {
                    fail++;
                    printf("# %s #%06X -> #%06X: %.3f\n", names[k], c[i], a, r);
                }
                if (vc_contrast_ratio(c[i], bgs[b]) >= 4.5) {
                    kept += a == c[i];
                } else {
                    changed += a != c[i];
                }
            }
            TAP_OK(n > 0 && fail == 0, "%s on %s: all %zu colours pass 4.5:1 after adjusting",
                   names[k], b ? "black" : "white", n);
            size_t passing = 0;
            for (size_t i = 0; i < n; i++) {
                passing += vc_contrast_ratio(c[i], bgs[b]) >= 4.5;
            }
            TAP_OK(kept == passing && changed == n - passing,
                   "%s on %s: passing colours kept (%zu), failing ones changed (%zu)",
                   names[k], b ? "black" : "white", kept, changed);
        }
    }
}

static void test_adjust(void)
{
    uint32_t y = 0xFFB81C;
    uint32_t a = vc_contrast_adjust(y, 0xFFFFFF, 4.5);
    double r = vc_contrast_ratio(a, 0xFFFFFF);
    printf("# #FFB81C on white -> #%06X (%.3f:1, hue %.1f -> %.1f)\n", a, r,
           hsl_hue(y), hsl_hue(a));
    TAP_OK(r >= 4.5, "warm yellow adjusted to pass on white");
    TAP_OK(r < 4.7, "by the minimal change: just over the threshold (%.3f)", r);
    TAP_OK((a >> 16 & 255) < 0xFF, "made darker on white");
    TAP_OK(hue_diff(hsl_hue(a), hsl_hue(y)) <= 3.0, "keeps its hue within 3 degrees");
    TAP_OK(vc_contrast_adjust(y, 0xFFFFFF, 4.5) == a, "deterministic");

    uint32_t d = vc_contrast_adjust(0x003087, 0x000000, 4.5);
    TAP_OK(vc_contrast_ratio(d, 0) >= 4.5 && (d & 0xFF) > 0x87, "dark blue lightened on black");
    TAP_OK(hue_diff(hsl_hue(d), hsl_hue(0x003087)) <= 3.0, "and keeps its hue");

    TAP_OK(vc_contrast_adjust(0x005EB8, 0xFFFFFF, 4.5) == 0x005EB8, "a passing colour is unchanged");
    TAP_OK(vc_contrast_ratio(vc_contrast_adjust(0x005EB8, 0xFFFFFF, 3.0), 0xFFFFFF) >= 3.0,
           "large-text threshold");
    uint32_t g = vc_contrast_adjust(0x808080, 0x000000, 7.0);
    TAP_OK(vc_contrast_ratio(g, 0) >= 7.0 && hsl_hue(g) < 0, "a grey stays grey (#%06X)", g);
    TAP_OK(vc_contrast_adjust(0xFFFFFF, 0xFFFFFF, 21.0) == 0x000000, "white on white at 21:1 is black");
    TAP_OK(vc_contrast_adjust(0x000000, 0x000000, 21.0) == 0xFFFFFF, "black on black at 21:1 is white");
    /* 7:1 is out of reach on a mid grey: the best extreme is returned. */
    TAP_OK(vc_contrast_adjust(0xFFB81C, 0x777777, 7.0) == 0x000000, "unreachable ratio gives the best extreme");
    uint32_t m = vc_contrast_adjust(0xFFB81C, 0x777777, 4.5);
    TAP_OK(vc_contrast_ratio(m, 0x777777) >= 4.5, "mid-grey background reachable at 4.5 (#%06X)", m);
    /* Every colour of a coarse RGB grid passes 4.5:1 on white, black and a
     * mid grey (4.5 is always reachable: the worst background allows 4.58). */
    size_t bad = 0, total = 0;
    const uint32_t bgs[] = {0xFFFFFF, 0x000000, 0x777777, 0x3366CC};
    for (uint32_t rr = 0; rr < 256; rr += 51) {
        for (uint32_t gg = 0; gg < 256; gg += 51) {
            for (uint32_t bb = 0; bb < 256; bb += 51) {
                for (size_t k = 0; k < 4; k++) {
                    uint32_t c = rr << 16 | gg << 8 | bb;
                    total++;
                    bad += vc_contrast_ratio(vc_contrast_adjust(c, bgs[k], 4.5), bgs[k]) < 4.5;
                }
            }
        }
    }
    TAP_OK(bad == 0, "all %zu grid colour/background pairs reach 4.5:1", total);
}

int main(void)
{
    test_color_parse();
    test_palette_parse();
    test_ratio();
    test_palettes_pass();
    test_adjust();
    return tap_done();
}
