/* palette.c - colours: parsing CSS colours and named palettes, WCAG 2.1
 * contrast ratios, and the hue-keeping lightness adjustment that makes a
 * palette colour readable on the background. */
#include "layout/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- colour names ------------------------------------------------------- */

typedef struct named_color {
    const char *name;
    uint32_t rgb;
} named_color;

/* The CSS Color Module Level 4 keywords, sorted for bsearch. */
static const named_color css_colors[] = {
    {"aliceblue", 0xF0F8FF},
    {"antiquewhite", 0xFAEBD7},
    {"aqua", 0x00FFFF},
    {"aquamarine", 0x7FFFD4},
    {"azure", 0xF0FFFF},
    {"beige", 0xF5F5DC},
    {"bisque", 0xFFE4C4},
    {"black", 0x000000},
    {"blanchedalmond", 0xFFEBCD},
    {"blue", 0x0000FF},
    {"blueviolet", 0x8A2BE2},
    {"brown", 0xA52A2A},
    {"burlywood", 0xDEB887},
    {"cadetblue", 0x5F9EA0},
    {"chartreuse", 0x7FFF00},
    {"chocolate", 0xD2691E},
    {"coral", 0xFF7F50},
    {"cornflowerblue", 0x6495ED},
    {"cornsilk", 0xFFF8DC},
    {"crimson", 0xDC143C},
    {"cyan", 0x00FFFF},
    {"darkblue", 0x00008B},
    {"darkcyan", 0x008B8B},
    {"darkgoldenrod", 0xB8860B},
    {"darkgray", 0xA9A9A9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xA9A9A9},
    {"darkkhaki", 0xBDB76B},
    {"darkmagenta", 0x8B008B},
    {"darkolivegreen", 0x556B2F},
    {"darkorange", 0xFF8C00},
    {"darkorchid", 0x9932CC},
    {"darkred", 0x8B0000},
    {"darksalmon", 0xE9967A},
    {"darkseagreen", 0x8FBC8F},
    {"darkslateblue", 0x483D8B},
    {"darkslategray", 0x2F4F4F},
    {"darkslategrey", 0x2F4F4F},
    {"darkturquoise", 0x00CED1},
    {"darkviolet", 0x9400D3},
    {"deeppink", 0xFF1493},
    {"deepskyblue", 0x00BFFF},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1E90FF},
    {"firebrick", 0xB22222},
    {"floralwhite", 0xFFFAF0},
    {"forestgreen", 0x228B22},
    {"fuchsia", 0xFF00FF},
    {"gainsboro", 0xDCDCDC},
    {"ghostwhite", 0xF8F8FF},
    {"gold", 0xFFD700},
    {"goldenrod", 0xDAA520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xADFF2F},
    {"grey", 0x808080},
    {"honeydew", 0xF0FFF0},
    {"hotpink", 0xFF69B4},
    {"indianred", 0xCD5C5C},
    {"indigo", 0x4B0082},
    {"ivory", 0xFFFFF0},
    {"khaki", 0xF0E68C},
    {"lavender", 0xE6E6FA},
    {"lavenderblush", 0xFFF0F5},
    {"lawngreen", 0x7CFC00},
    {"lemonchiffon", 0xFFFACD},
    {"lightblue", 0xADD8E6},
    {"lightcoral", 0xF08080},
    {"lightcyan", 0xE0FFFF},
    {"lightgoldenrodyellow", 0xFAFAD2},
    {"lightgray", 0xD3D3D3},
    {"lightgreen", 0x90EE90},
    {"lightgrey", 0xD3D3D3},
    {"lightpink", 0xFFB6C1},
    {"lightsalmon", 0xFFA07A},
    {"lightseagreen", 0x20B2AA},
    {"lightskyblue", 0x87CEFA},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xB0C4DE},
    {"lightyellow", 0xFFFFE0},
    {"lime", 0x00FF00},
    {"limegreen", 0x32CD32},
    {"linen", 0xFAF0E6},
    {"magenta", 0xFF00FF},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66CDAA},
    {"mediumblue", 0x0000CD},
    {"mediumorchid", 0xBA55D3},
    {"mediumpurple", 0x9370DB},
    {"mediumseagreen", 0x3CB371},
    {"mediumslateblue", 0x7B68EE},
    {"mediumspringgreen", 0x00FA9A},
    {"mediumturquoise", 0x48D1CC},
    {"mediumvioletred", 0xC71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xF5FFFA},
    {"mistyrose", 0xFFE4E1},
    {"moccasin", 0xFFE4B5},
    {"navajowhite", 0xFFDEAD},
    {"navy", 0x000080},
    {"oldlace", 0xFDF5E6},
    {"olive", 0x808000},
    {"olivedrab", 0x6B8E23},
    {"orange", 0xFFA500},
    {"orangered", 0xFF4500},
    {"orchid", 0xDA70D6},
    {"palegoldenrod", 0xEEE8AA},
    {"palegreen", 0x98FB98},
    {"paleturquoise", 0xAFEEEE},
    {"palevioletred", 0xDB7093},
    {"papayawhip", 0xFFEFD5},
    {"peachpuff", 0xFFDAB9},
    {"peru", 0xCD853F},
    {"pink", 0xFFC0CB},
    {"plum", 0xDDA0DD},
    {"powderblue", 0xB0E0E6},
    {"purple", 0x800080},
    {"rebeccapurple", 0x663399},
    {"red", 0xFF0000},
    {"rosybrown", 0xBC8F8F},
    {"royalblue", 0x4169E1},
    {"saddlebrown", 0x8B4513},
    {"salmon", 0xFA8072},
    {"sandybrown", 0xF4A460},
    {"seagreen", 0x2E8B57},
    {"seashell", 0xFFF5EE},
    {"sienna", 0xA0522D},
    {"silver", 0xC0C0C0},
    {"skyblue", 0x87CEEB},
    {"slateblue", 0x6A5ACD},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xFFFAFA},
    {"springgreen", 0x00FF7F},
    {"steelblue", 0x4682B4},
    {"tan", 0xD2B48C},
    {"teal", 0x008080},
    {"thistle", 0xD8BFD8},
    {"tomato", 0xFF6347},
    {"turquoise", 0x40E0D0},
    {"violet", 0xEE82EE},
    {"wheat", 0xF5DEB3},
    {"white", 0xFFFFFF},
    {"whitesmoke", 0xF5F5F5},
    {"yellow", 0xFFFF00},
    {"yellowgreen", 0x9ACD32},
};

#define NAME_MAX_LEN 32

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Copies s[0..len) lowercased into out (NAME_MAX_LEN); false if too long. */
static bool lower_copy(const char *s, size_t len, char *out)
{
    if (len >= NAME_MAX_LEN) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        out[i] = ascii_lower(s[i]);
    }
    out[len] = '\0';
    return true;
}

static int named_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const named_color *)elem)->name);
}

static bool parse_hex(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = hex_digit(s[i]);
        if (d < 0) {
            return false;
        }
        v = v << 4 | (uint32_t)d;
    }
    if (len == 3) {
        /* #abc is #aabbcc. */
        uint32_t r = v >> 8 & 0xF, g = v >> 4 & 0xF, b = v & 0xF;
        v = (r * 17) << 16 | (g * 17) << 8 | b * 17;
    }
    *out = v;
    return true;
}

/* Parses s[0..len): "#rgb", "#rrggbb", "rrggbb" (a style file's '#' may
 * start a comment) or a CSS name, case-insensitive, spaces trimmed. */
static bool color_parse_n(const char *s, size_t len, uint32_t *out)
{
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1])) {
        len--;
    }
    if (len > 0 && s[0] == '#') {
        return (len == 4 || len == 7) && parse_hex(s + 1, len - 1, out);
    }
    if (len == 6 && parse_hex(s, len, out)) {
        return true;
    }
    char name[NAME_MAX_LEN];
    if (len == 0 || !lower_copy(s, len, name)) {
        return false;
    }
    const named_color *hit =
        bsearch(name, css_colors, sizeof css_colors / sizeof css_colors[0],
                sizeof css_colors[0], named_cmp);
    if (!hit) {
        return false;
    }
    *out = hit->rgb;
    return true;
}

bool vc_color_parse(const char *s, uint32_t *out)
{
    uint32_t v;
    if (!s || !color_parse_n(s, strlen(s), &v)) {
        return false;
    }
    *out = v;
    return true;
}

/* ---- named palettes ----------------------------------------------------- */

typedef struct named_palette {
    const char *name;
    const uint32_t *colors;
    size_t n;
} named_palette;

/* NHS identity colours: the blues that carry the brand first, then the
 * dark supporting colours that read well at any size, then the light and
 * warm accents that need darkening on white. */
static const uint32_t pal_nhs[] = {
    0x005EB8, /* NHS Blue */
    0x003087, /* Dark Blue */
    0x0072CE, /* Bright Blue */
    0x330072, /* Purple */
    0x006747, /* Dark Green */
    0x7C2855, /* Dark Pink */
    0x425563, /* Dark Grey */
    0x8A1538, /* Dark Red */
    0xAE2573, /* Pink */
    0x009639, /* Green */
    0x00A499, /* Aqua Green */
    0x00A9CE, /* Aqua Blue */
    0x41B6E6, /* Light Blue */
    0xED8B00, /* Orange */
    0xFFB81C, /* Warm Yellow */
};

/* Okabe & Ito (2008), distinguishable with every common colour-vision
 * deficiency; the yellow, unreadable on white, comes last. */
static const uint32_t pal_okabe_ito[] = {
    0x0072B2, /* blue */
    0xD55E00, /* vermillion */
    0x009E73, /* bluish green */
    0xCC79A7, /* reddish purple */
    0xE69F00, /* orange */
    0x56B4E9, /* sky blue */
    0x000000, /* black */
    0xF0E442, /* yellow */
};

/* matplotlib's viridis at 8 even stops, dark end first. */
static const uint32_t pal_viridis[] = {
    0x440154, 0x46337E, 0x365C8D, 0x277F8E,
    0x1FA187, 0x4AC16D, 0x9FDA3A, 0xFDE725,
};

/* GOV.UK Design System colours. */
static const uint32_t pal_govuk[] = {
    0x1D70B8, /* blue */
    0x003078, /* dark blue */
    0x00703C, /* green */
    0x4C2C92, /* purple */
    0xD4351C, /* red */
    0x505A5F, /* dark grey */
    0xD53880, /* pink */
    0x28A197, /* turquoise */
    0xF47738, /* orange */
    0xB58840, /* brown */
};

/* Tableau 10 (2016). */
static const uint32_t pal_tableau10[] = {
    0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
    0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
};

/* Greys for print and for clouds where colour would mean something. */
static const uint32_t pal_grey[] = {
    0x1A1A1A, 0x333333, 0x4D4D4D, 0x595959,
};

#define PALETTE(name, arr) {name, arr, sizeof arr / sizeof arr[0]}

static const named_palette palettes[] = {
    PALETTE("nhs", pal_nhs),
    PALETTE("okabe-ito", pal_okabe_ito),
    PALETTE("okabeito", pal_okabe_ito),
    PALETTE("colorblind", pal_okabe_ito),
    PALETTE("viridis", pal_viridis),
    PALETTE("govuk", pal_govuk),
    PALETTE("gov-uk", pal_govuk),
    PALETTE("tableau10", pal_tableau10),
    PALETTE("grey", pal_grey),
    PALETTE("gray", pal_grey),
    PALETTE("mono", pal_grey),
};

#define PALETTE_NAMES "nhs, okabe-ito, viridis, govuk, tableau10, grey"

static const named_palette *palette_find(const char *s, size_t len)
{
    char name[NAME_MAX_LEN];
    if (!lower_copy(s, len, name)) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof palettes / sizeof palettes[0]; i++) {
        if (strcmp(name, palettes[i].name) == 0) {
            return &palettes[i];
        }
    }
    return NULL;
}

static bool palette_list(const char *spec, uint32_t *colors, size_t max,
                         size_t *n, vc_error *err)
{
    size_t count = 0;
    const char *p = spec;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        uint32_t c;
        if (!color_parse_n(p, len, &c) && !strchr(spec, ',')) {
            return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PALETTE,
                           "unknown palette \"%.64s\": use %s, or colours "
                           "such as #005EB8,#003087", spec, PALETTE_NAMES);
        }
        if (!color_parse_n(p, len, &c)) {
            return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PALETTE,
                           "palette \"%.64s\": \"%.*s\" is not a colour (use "
                           "#rgb, #rrggbb or a CSS colour name)", spec,
                           (int)(len > 64 ? 64 : len), p);
        }
        if (count == max) {
            return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PALETTE,
                           "palette \"%.64s\": more than %zu colours",
                           spec, max);
        }
        colors[count++] = c;
        if (!end) {
            break;
        }
        p = end + 1;
    }
    *n = count;
    return true;
}

bool vc_palette_parse(const char *spec, uint32_t *colors, size_t max,
                      size_t *n, vc_error *err)
{
    *n = 0;
    if (!spec) {
        spec = "nhs";
    }
    const char *s = spec;
    size_t len = strlen(s);
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1])) {
        len--;
    }
    if (len == 0) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PALETTE,
                       "palette is empty: name one (%s) or list colours "
                       "such as #005EB8,#003087", PALETTE_NAMES);
    }
    const named_palette *pal = palette_find(s, len);
    if (!pal) {
        return palette_list(spec, colors, max, n, err);
    }
    size_t count = pal->n < max ? pal->n : max;
    memcpy(colors, pal->colors, count * sizeof *colors);
    *n = count;
    return true;
}

/* ---- WCAG 2.1 contrast -------------------------------------------------- */

/* sRGB transfer function, 8-bit channel -> linear light.  IEC 61966-2-1's
 * threshold 0.04045; WCAG 2.1 prints 0.03928, which differs only for
 * channel values that no 8-bit colour has. */
static double channel_linear(unsigned v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double linear_channel(double c)
{
    c = c <= 0.0031308 ? c * 12.92 : 1.055 * pow(c, 1 / 2.4) - 0.055;
    return c;
}

static double luminance(uint32_t c)
{
    return 0.2126 * channel_linear(c >> 16 & 0xFF) +
           0.7152 * channel_linear(c >> 8 & 0xFF) +
           0.0722 * channel_linear(c & 0xFF);
}

double vc_contrast_ratio(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

/* ---- OKLab: lightness changes that look like lightness changes ---------- */

typedef struct oklch {
    double l, c, h; /* h in radians */
} oklch;

static oklch to_oklch(uint32_t rgb)
{
    double r = channel_linear(rgb >> 16 & 0xFF);
    double g = channel_linear(rgb >> 8 & 0xFF);
    double b = channel_linear(rgb & 0xFF);
    double l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
    double m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
    double s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
    double L = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
    double A = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s;
    double B = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s;
    double C = hypot(A, B);
    /* A grey's hue is rounding noise; keep greys grey. */
    if (C < 1e-4) {
        return (oklch){L, 0.0, 0.0};
    }
    return (oklch){L, C, atan2(B, A)};
}

/* Linear sRGB of an OKLCh colour; true when inside the gamut. */
static bool oklch_linear(oklch o, double rgb[3])
{
    double A = o.c * cos(o.h), B = o.c * sin(o.h);
    double l = o.l + 0.3963377774 * A + 0.2158037573 * B;
    double m = o.l - 0.1055613458 * A - 0.0638541728 * B;
    double s = o.l - 0.0894841775 * A - 1.2914855480 * B;
    l = l * l * l;
    m = m * m * m;
    s = s * s * s;
    rgb[0] = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
    rgb[1] = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
    rgb[2] = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s;
    const double eps = 1e-9;
    for (int i = 0; i < 3; i++) {
        if (rgb[i] < -eps || rgb[i] > 1 + eps) {
            return false;
        }
    }
    return true;
}

static uint32_t linear_to_rgb8(const double rgb[3])
{
    uint32_t out = 0;
    for (int i = 0; i < 3; i++) {
        double v = rgb[i] < 0 ? 0 : rgb[i] > 1 ? 1 : rgb[i];
        out = out << 8 | (uint32_t)lround(linear_channel(v) * 255.0);
    }
    return out;
}

/* The colour at lightness L with the original hue and as much of the
 * original chroma as the sRGB gamut allows (chroma reduction keeps hue and
 * lightness, the two things a reader notices). */
static uint32_t oklch_rgb8(oklch o)
{
    double rgb[3];
    if (!oklch_linear(o, rgb)) {
        double lo = 0, hi = o.c;
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            oklch t = {o.l, mid, o.h};
            if (oklch_linear(t, rgb)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        o.c = lo;
        oklch_linear(o, rgb);
    }
    return linear_to_rgb8(rgb);
}

/* Searches lightness from o.l towards `end` (0 or 1) for the first colour
 * meeting `ratio`; returns false when even the extreme does not. */
static bool adjust_towards(oklch o, double end, uint32_t bg, double ratio,
                           uint32_t *out, double *moved)
{
    oklch t = o;
    t.l = end;
    uint32_t extreme = oklch_rgb8(t);
    if (vc_contrast_ratio(extreme, bg) < ratio) {
        return false;
    }
    /* Bisect: `pass` always holds a tested, passing lightness. */
    double fail = o.l, pass = end;
    uint32_t best = extreme;
    for (int i = 0; i < 40; i++) {
        t.l = (fail + pass) / 2;
        uint32_t c = oklch_rgb8(t);
        if (vc_contrast_ratio(c, bg) >= ratio) {
            pass = t.l;
            best = c;
        } else {
            fail = t.l;
        }
    }
    *out = best;
    *moved = fabs(pass - o.l);
    return true;
}

uint32_t vc_contrast_adjust(uint32_t c, uint32_t bg, double ratio)
{
    c &= 0xFFFFFF;
    bg &= 0xFFFFFF;
    if (vc_contrast_ratio(c, bg) >= ratio) {
        return c;
    }
    oklch o = to_oklch(c);
    uint32_t dark = 0, light = 0;
    double dark_moved = 0, light_moved = 0;
    bool dark_ok = adjust_towards(o, 0.0, bg, ratio, &dark, &dark_moved);
    bool light_ok = adjust_towards(o, 1.0, bg, ratio, &light, &light_moved);
    if (dark_ok && light_ok) {
        /* The smaller change; a tie goes to the side away from the
         * background. */
        bool light_bg = vc_contrast_ratio(0x000000, bg) >=
                        vc_contrast_ratio(0xFFFFFF, bg);
        if (dark_moved != light_moved) {
            return dark_moved < light_moved ? dark : light;
        }
        return light_bg ? dark : light;
    }
    if (dark_ok) {
        return dark;
    }
    if (light_ok) {
        return light;
    }
    /* The ratio is out of reach (above 4.58:1 on a mid grey): the extreme
     * with the most contrast is the best there is. */
    return vc_contrast_ratio(0x000000, bg) >= vc_contrast_ratio(0xFFFFFF, bg)
               ? 0x000000
               : 0xFFFFFF;
}

/* ---- adjusted colours of a layout --------------------------------------- */

void vc_layout_note_adjusted(vc_layout *layout, uint32_t from, uint32_t to,
                             uint32_t against, double needed)
{
    for (size_t i = 0; i < layout->n_adjusted; i++) {
        const vc_color_adjustment *a = &layout->adjusted[i];
        if (a->from == from && a->needed == needed) {
            return;
        }
    }
    if (layout->n_adjusted >= VC_MAX_ADJUSTED) {
        return;
    }
    layout->adjusted[layout->n_adjusted++] = (vc_color_adjustment){
        .from = from & 0xFFFFFF,
        .to = to & 0xFFFFFF,
        .against = against & 0xFFFFFF,
        .needed = needed,
        .from_ratio = vc_contrast_ratio(from, against),
        .to_ratio = vc_contrast_ratio(to, against),
    };
}

size_t vc_layout_adjusted_color_count(const vc_layout *layout)
{
    return layout ? layout->n_adjusted : 0;
}

bool vc_layout_adjusted_color(const vc_layout *layout, size_t i,
                              vc_color_adjustment *out)
{
    if (!layout || !out || i >= layout->n_adjusted) {
        return false;
    }
    *out = layout->adjusted[i];
    return true;
}
