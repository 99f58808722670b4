/* options.c - one option table for every subcommand, strict value parsing
 * ("--width: expected a whole number from 16 to 30000, got 'wide'"), and
 * house-style files applied before the command line so the command line
 * wins. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_FORMAT = 256, OPT_COLUMNS, OPT_FREE_TEXT_COLUMNS, OPT_MULTI_SEP,
    OPT_HEADER_ROWS, OPT_EVENT_COLUMN, OPT_STOPWORDS, OPT_NO_STOPWORDS,
    OPT_INCLUDE_NUMBERS, OPT_MERGE_PLURALS, OPT_SYNONYMS, OPT_VOCABULARY,
    OPT_REPORT, OPT_MAX_FIELD_BYTES, OPT_MAX_LINE_BYTES, OPT_MAX_ENTRIES,
    OPT_FONT, OPT_FONT_DIR, OPT_SIZING, OPT_FIT, OPT_MAX_FONT_SIZE,
    OPT_MIN_FONT_SIZE, OPT_MAX_WORDS, OPT_STRICT, OPT_ALLOW_GAPS, OPT_PADDING, OPT_SPIRAL,
    OPT_SHAPE, OPT_MASK, OPT_ROTATE, OPT_PREFER_HORIZONTAL, OPT_SEED,
    OPT_PALETTE, OPT_COLOR_BY, OPT_BACKGROUND, OPT_WIDTH, OPT_HEIGHT,
    OPT_SCALE, OPT_DPI, OPT_CONTRAST, OPT_CONTRAST_AGAINST, OPT_TITLE,
    OPT_QUESTION, OPT_LEGEND, OPT_ALT_TEXT, OPT_TABLE, OPT_LAYOUT_JSON,
    OPT_TIMINGS, OPT_MAX_MEGAPIXELS, OPT_STYLE, OPT_MANIFEST, OPT_SAME_SCALE,
    OPT_VERSION, OPT_MARGIN, OPT_PADDING_EM, OPT_ENCODING, OPT_JSON,
    /* issue 17 */
    OPT_EXCLUDE, OPT_NO_DEFAULT_EXCLUSIONS,
    /* issue 15 */
    OPT_PACK, OPT_PACK_EVENTS, OPT_COORDINATE, OPT_CHART_TOP,
    /* issue 16 */
    OPT_WRAP, OPT_THREADS,
};

#define C CLI_COUNT
#define R CLI_RENDER
#define B CLI_BATCH
#define I CLI_INSPECT

typedef struct option_spec {
    const char *name;
    int has_arg;
    int id;
    unsigned commands;
    bool in_style; /* may appear in a --style file */
    const char *arg;
    const char *help;
} option_spec;

static const option_spec specs[] = {
    {"output", 1, 'o', C | R | B, false, "PATH", "output file (render: repeat for .png/.svg/.pdf; batch: folder)"},
    {"format", 1, OPT_FORMAT, C | R | B | I, true, "counts|survey|text", "input format (default: detect)"},
    {"columns", 1, OPT_COLUMNS, C | R | B, true, "LIST", "survey: choice columns by header or number (#N: column N)"},
    {"free-text-columns", 1, OPT_FREE_TEXT_COLUMNS, C | R | B, true, "LIST", "survey: free-text columns (suggested words)"},
    {"multi-sep", 1, OPT_MULTI_SEP, C | R | B, true, "SEP", "survey: separator inside multi-select cells (';', and ', ' where detected)"},
    {"header-rows", 1, OPT_HEADER_ROWS, C | R | B | I, true, "N", "survey: header rows (detected: 2 for SurveyMonkey, else 1)"},
    {"encoding", 1, OPT_ENCODING, C | R | B | I, true, "NAME", "input encoding (detected: BOM, UTF-8, else windows-1252)"},
    {"event-column", 1, OPT_EVENT_COLUMN, B | I, true, "NAME", "batch: split one survey by this column"},
    {"json", 0, OPT_JSON, I, false, NULL, "inspect: print JSON"},
    {"stopwords", 1, OPT_STOPWORDS, C | R | B, true, "FILE", "text: more stopwords, one per line"},
    {"no-stopwords", 0, OPT_NO_STOPWORDS, C | R | B, true, NULL, "text: keep stopwords"},
    /* issue 17: non-answers ("n/a", "don't know") */
    {"exclude", 1, OPT_EXCLUDE, C | R | B, true, "FILE", "more non-answers to leave out, one per line"},
    {"no-default-exclusions", 0, OPT_NO_DEFAULT_EXCLUSIONS, C | R | B, true, NULL,
     "keep answers like n/a, none, don't know, or only emoji as words"},
    {"include-numbers", 0, OPT_INCLUDE_NUMBERS, C | R | B, true, NULL, "text: keep numbers"},
    {"merge-plurals", 0, OPT_MERGE_PLURALS, C | R | B, true, NULL, "merge plurals when both forms occur"},
    {"synonyms", 1, OPT_SYNONYMS, C | R | B, true, "FILE", "lines 'variant = canonical'"},
    {"vocabulary", 1, OPT_VOCABULARY, C | R | B, true, "FILE", "merge near-misses (one edit) of these words"},
    {"report", 1, OPT_REPORT, C | R, false, "FILE", "write every merge as JSON"},
    {"max-field-bytes", 1, OPT_MAX_FIELD_BYTES, C | R | B, true, "N", "limit: longest CSV field (1048576)"},
    {"max-line-bytes", 1, OPT_MAX_LINE_BYTES, C | R | B, true, "N", "limit: longest line (1048576)"},
    {"max-entries", 1, OPT_MAX_ENTRIES, C | R | B, true, "N", "limit: distinct entries (1000000)"},
    {"font", 1, OPT_FONT, R | B, true, "NAME|PATH", "fontconfig pattern or font file (bundled Noto Sans Bold)"},
    {"font-dir", 1, OPT_FONT_DIR, R | B, true, "DIR", "folder of the bundled fonts"},
    {"sizing", 1, OPT_SIZING, R | B, true, "linear|sqrt|log", "votes to size (linear)"},
    {"fit", 1, OPT_FIT, R | B, true, "auto|none", "auto: largest scale that fits; none: top word = max size"},
    {"max-font-size", 1, OPT_MAX_FONT_SIZE, R | B, true, "PX", "largest font size"},
    {"min-font-size", 1, OPT_MIN_FONT_SIZE, R | B, true, "PX", "smaller words are left out, with a reason (8)"},
    {"max-words", 1, OPT_MAX_WORDS, R | B, true, "N", "keep the top N words"},
    {"strict", 0, OPT_STRICT, R | B, true, NULL, "a left-out word is an error"},
    {"allow-gaps", 0, OPT_ALLOW_GAPS, R | B, true, NULL,
     "fit none: leave out a word that does not fit though fewer-voted words are drawn (said in every description)"},
    {"padding", 1, OPT_PADDING, R | B, true, "PX", "space around each word's ink (2)"},
    {"padding-em", 1, OPT_PADDING_EM, R | B, true, "0..1", "padding grows to this share of a word's size (0.05)"},
    {"margin", 1, OPT_MARGIN, R | B, true, "PX", "space kept free inside the canvas edges (1% of the shorter side)"},
    {"spiral", 1, OPT_SPIRAL, R | B, true, "archimedean|rectangular", "placement spiral"},
    {"shape", 1, OPT_SHAPE, R | B, true, "rectangle|ellipse", "cloud outline"},
    {"mask", 1, OPT_MASK, R | B, true, "FILE.png", "cloud outline from a PNG (white/transparent = outside)"},
    {"rotate", 1, OPT_ROTATE, R | B, true, "none|mixed|auto|ANGLES",
     "word angles (none); auto: a word upright only where that draws larger"},
    {"prefer-horizontal", 1, OPT_PREFER_HORIZONTAL, R | B, true, "0..1", "share of horizontal words, mixed (0.9)"},
    {"seed", 1, OPT_SEED, R | B, true, "N", "random seed; same seed, same bytes"},
    {"palette", 1, OPT_PALETTE, R | B, true, "NAME|#rgb,...", "nhs, okabe-ito, viridis, ... (nhs)"},
    {"color-by", 1, OPT_COLOR_BY, R | B, true, "rank|group|word", "what the colour shows (rank)"},
    {"background", 1, OPT_BACKGROUND, R | B, true, "COLOR|transparent", "background (white)"},
    {"width", 1, OPT_WIDTH, R | B, true, "PX", "canvas width (1200)"},
    {"height", 1, OPT_HEIGHT, R | B, true, "PX", "canvas height (675)"},
    {"scale", 1, OPT_SCALE, R | B, true, "N", "output pixels per layout pixel (1; 2 for high-density)"},
    {"dpi", 1, OPT_DPI, R | B, true, "N", "PDF page size and PNG pHYs (96; PNG records dpi x --scale)"},
    {"contrast", 1, OPT_CONTRAST, R | B, true, "on|off", "adjust colours to meet WCAG 2.1 contrast (on)"},
    {"contrast-against", 1, OPT_CONTRAST_AGAINST, R | B, true, "COLOR", "page colour behind a transparent image (white)"},
    {"title", 1, OPT_TITLE, R | B, true, "TEXT", "title, for alt text and metadata"},
    {"question", 1, OPT_QUESTION, R | B, true, "TEXT", "the question asked, for alt text"},
    {"legend", 0, OPT_LEGEND, R | B, true, NULL, "add a size key and a respondent caption"},
    {"alt-text", 1, OPT_ALT_TEXT, R, false, "FILE", "write the alt text"},
    {"table", 1, OPT_TABLE, R, false, "FILE", "write the data table (.html or .csv)"},
    {"layout-json", 1, OPT_LAYOUT_JSON, R, false, "FILE", "write the layout report"},
    {"timings", 0, OPT_TIMINGS, R, false, NULL, "print where the time went"},
    {"wrap", 1, OPT_WRAP, R | B, true, "auto|none", "phrases may break onto 2-3 lines when that draws bigger (auto)"},
    {"threads", 1, OPT_THREADS, R, false, "N", "threads for rasterising, compression and writing files (0: every core); same bytes"},
    {"max-megapixels", 1, OPT_MAX_MEGAPIXELS, R | B, true, "N", "limit: canvas and mask size (100)"},
    {"style", 1, OPT_STYLE, R | B, false, "FILE", "house style: 'key = value' lines of these options"},
    {"manifest", 1, OPT_MANIFEST, B, false, "FILE", "CSV: event,input[,title]"},
    {"jobs", 1, 'j', B, false, "N", "events in parallel (number of cores)"},
    {"same-scale", 0, OPT_SAME_SCALE, B, true, NULL, "one votes-to-size scale for every event"},
    /* issue 15: the publish pack; batch's --pack takes no folder */
    {"pack", 1, OPT_PACK, R, false, "DIR", "also write the publish pack (cloud, chart, description, data, index.html) to DIR"},
    {"pack", 0, OPT_PACK_EVENTS, B, false, NULL, "also write a publish pack per event (FOLDER/packs/EVENT/)"},
    {"coordinate", 0, OPT_COORDINATE, B, true, NULL, "each word in the same place and colour in every event"},
    {"chart-top", 1, OPT_CHART_TOP, R | B, true, "N", "the pack's bar chart: bars for the top N words (all drawn)"},
    {"quiet", 0, 'q', C | R | B | I, false, NULL, "no warnings or progress"},
    {"help", 0, 'h', C | R | B | I, false, NULL, "this help"},
    {"version", 0, OPT_VERSION, C | R | B | I, false, NULL, "print the version"},
};

#undef C
#undef R
#undef B
#undef I

#define N_SPECS (sizeof specs / sizeof specs[0])

static const char *command_name(unsigned command)
{
    return command == CLI_COUNT    ? "count"
           : command == CLI_RENDER ? "render"
           : command == CLI_INSPECT ? "inspect"
                                   : "batch";
}

char *cli_own(cli_opts *o, char *s)
{
    if (!s) {
        return NULL;
    }
    if (o->n_owned == o->cap_owned) {
        size_t ncap = o->cap_owned ? o->cap_owned * 2 : 16;
        char **p = realloc(o->owned, ncap * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        o->owned = p;
        o->cap_owned = ncap;
    }
    o->owned[o->n_owned++] = s;
    return s;
}

void cli_opts_free(cli_opts *o)
{
    if (!o) {
        return;
    }
    for (size_t i = 0; i < o->n_owned; i++) {
        free(o->owned[i]);
    }
    free(o->owned);
    free(o->inputs);
    memset(o, 0, sizeof *o);
}

static void print_help(unsigned command)
{
    static const char *usage[] = {
        [CLI_COUNT] = "usage: votecloud count INPUT... [options]\n"
                      "Counts votes and prints word<TAB>count<TAB>group, most votes first.\n",
        [CLI_RENDER] = "usage: votecloud render INPUT... -o OUT.png [-o OUT.svg] [-o OUT.pdf] [options]\n"
                       "Draws a word cloud where each word's size is proportional to its votes.\n",
        [CLI_BATCH] = "usage: votecloud batch INPUT... -o OUTDIR [options]\n"
                      "Draws one cloud per event, with a gallery page and summary.json.\n",
        [CLI_INSPECT] = "usage: votecloud inspect INPUT [--json] [options]\n"
                        "Lists the columns of a survey export: role, distinct answers, top answers.\n",
    };
    fputs(usage[command], stdout);
    fputs("\noptions:\n", stdout);
    for (size_t i = 0; i < N_SPECS; i++) {
        if (!(specs[i].commands & command)) {
            continue;
        }
        char left[64];
        if (specs[i].id < 256 && specs[i].id != 'h' && specs[i].id != 'q') {
            snprintf(left, sizeof left, "-%c, --%s %s", specs[i].id, specs[i].name,
                     specs[i].arg ? specs[i].arg : "");
        } else {
            snprintf(left, sizeof left, "--%s%s%s", specs[i].name,
                     specs[i].arg ? " " : "", specs[i].arg ? specs[i].arg : "");
        }
        printf("  %-38s %s\n", left, specs[i].help);
    }
}

/* ---- strict value parsing ------------------------------------------------ */

static int bad_value(const char *opt, const char *expected, const char *got)
{
    return cli_fail(VC_ERR_USAGE, "--%s: expected %s, got '%s'", opt, expected, got);
}

static int parse_double(const char *opt, const char *s, double lo, double hi,
                        double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || v < lo ||
        v > hi) {
        char expected[96];
        snprintf(expected, sizeof expected, "a number from %g to %g", lo, hi);
        return bad_value(opt, expected, s);
    }
    *out = v;
    return 0;
}

static int parse_long(const char *opt, const char *s, long long lo, long long hi,
                      long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        char expected[96];
        snprintf(expected, sizeof expected, "a whole number from %lld to %lld", lo, hi);
        return bad_value(opt, expected, s);
    }
    *out = v;
    return 0;
}

static int parse_int(const char *opt, const char *s, long long lo, long long hi,
                     int *out)
{
    long long v = 0;
    int rc = parse_long(opt, s, lo, hi, &v);
    if (rc == 0) {
        *out = (int)v;
    }
    return rc;
}

static int parse_size(const char *opt, const char *s, long long lo, long long hi,
                      size_t *out)
{
    long long v = 0;
    int rc = parse_long(opt, s, lo, hi, &v);
    if (rc == 0) {
        *out = (size_t)v;
    }
    return rc;
}

/* The library's check of a palette, a background or the colour contrast is
 * checked against (whichever is not NULL), so a bad one is refused where it
 * is given (a style file's line, or the command line), not after counting. */
static int check_colors(const char *palette, const char *background, const char *against)
{
    vc_render_options probe;
    vc_render_options_init(&probe);
    probe.palette = palette ? palette : probe.palette;
    probe.background = background ? background : probe.background;
    probe.contrast_against = against ? against : probe.contrast_against;
    vc_error err = {0};
    return vc_render_options_validate(&probe, &err) ? 0 : cli_report(&err);
}

/* Matches `s` against a NULL-terminated list of names; *out = index. */
static int parse_choice(const char *opt, const char *s, const char *const *names,
                        int *out)
{
    for (int i = 0; names[i]; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    char expected[160] = "one of ";
    for (int i = 0; names[i]; i++) {
        strncat(expected, names[i], sizeof expected - strlen(expected) - 3);
        if (names[i + 1]) {
            strcat(expected, "|");
        }
    }
    return bad_value(opt, expected, s);
}

static int parse_rotate(const char *s, vc_render_options *r)
{
    if (strcmp(s, "none") == 0) {
        r->rotate = VC_ROTATE_NONE;
        return 0;
    }
    if (strcmp(s, "mixed") == 0) {
        r->rotate = VC_ROTATE_MIXED;
        return 0;
    }
    if (strcmp(s, "auto") == 0) {
        r->rotate = VC_ROTATE_AUTO;
        return 0;
    }
    /* A list of angles: "0,90" or "-30,0,30". */
    r->n_angles = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        double a = strtod(p, &end);
        if (end == p || errno == ERANGE || !isfinite(a) || a < -360 || a > 360 ||
            (*end != ',' && *end != '\0') || r->n_angles == VC_MAX_ANGLES) {
            return bad_value("rotate", "none, mixed, auto, or up to 16 angles in degrees like 0,90", s);
        }
        r->angles[r->n_angles++] = a;
        p = *end == ',' ? end + 1 : end;
    }
    if (r->n_angles == 0) {
        return bad_value("rotate", "none, mixed, auto, or angles in degrees like 0,90", s);
    }
    r->rotate = VC_ROTATE_LIST;
    return 0;
}

/* Text that reaches SVG, PDF, PNG iTXt and JSON must be UTF-8. */
static int check_text(const char *opt, const char *v)
{
    vc_error err = {0};
    char label[64];
    snprintf(label, sizeof label, "--%s", opt);
    if (!vc_text_check_utf8(v, strlen(v), label, &err)) {
        err.status = VC_ERR_USAGE; /* a bad argument, not bad data */
        return cli_report(&err);
    }
    return 0;
}

static int push_list(const char *opt, const char **list, size_t *n, const char *value)
{
    if (*n == CLI_MAX_LIST) {
        return cli_fail(VC_ERR_USAGE, "--%s: given more than %d times", opt, CLI_MAX_LIST);
    }
    list[(*n)++] = value;
    return 0;
}

static const option_spec *spec_by_id(int id)
{
    for (size_t i = 0; i < N_SPECS; i++) {
        if (specs[i].id == id) {
            return &specs[i];
        }
    }
    return NULL;
}

/* Applies one option.  `v` outlives o (argv or o->owned). */
static int apply(cli_opts *o, int id, const char *v)
{
    vc_count_options *c = &o->count;
    vc_render_options *r = &o->render;
    const option_spec *spec = spec_by_id(id);
    const char *name = spec ? spec->name : "?";
    int choice = 0, rc = 0;
    double d = 0;
    switch (id) {
    case 'o': return push_list(name, o->outputs, &o->n_outputs, v);
    case OPT_FORMAT: {
        static const char *const names[] = {"auto", "counts", "survey", "text", NULL};
        rc = parse_choice(name, v, names, &choice);
        c->format = (vc_format)choice;
        return rc;
    }
    case OPT_COLUMNS: c->columns = v; return 0;
    case OPT_FREE_TEXT_COLUMNS: c->free_text_columns = v; return 0;
    case OPT_MULTI_SEP:
        if (!*v) {
            return bad_value(name, "a non-empty separator", v);
        }
        c->multi_sep = v;
        return 0;
    case OPT_HEADER_ROWS: return parse_int(name, v, 0, 100, &c->header_rows);
    case OPT_EVENT_COLUMN: c->event_column = v; return 0;
    case OPT_ENCODING:
        if (!*v) {
            return bad_value(name, "an encoding name", v);
        }
        c->encoding = v;
        return 0;
    case OPT_JSON: o->json = true; return 0;
    case OPT_STOPWORDS: return push_list(name, o->stopword_files, &o->n_stopword_files, v);
    case OPT_NO_STOPWORDS: c->stopwords = false; return 0;
    case OPT_EXCLUDE: return push_list(name, o->exclude_files, &o->n_exclude_files, v);
    case OPT_NO_DEFAULT_EXCLUSIONS: o->no_default_exclusions = true; return 0;
    case OPT_INCLUDE_NUMBERS: c->include_numbers = true; return 0;
    case OPT_MERGE_PLURALS: c->merge_plurals = true; return 0;
    case OPT_SYNONYMS: o->synonyms = v; return 0;
    case OPT_VOCABULARY: o->vocabulary = v; return 0;
    case OPT_REPORT: o->report = v; return 0;
    case OPT_MAX_FIELD_BYTES: return parse_size(name, v, 1, (long long)VC_INPUT_LIMIT_MAX, &c->max_field_bytes);
    case OPT_MAX_LINE_BYTES: return parse_size(name, v, 1, (long long)VC_INPUT_LIMIT_MAX, &c->max_line_bytes);
    case OPT_MAX_ENTRIES: return parse_size(name, v, 1, (long long)VC_INPUT_LIMIT_MAX, &c->max_entries);
    case OPT_FONT: r->font = v; return 0;
    case OPT_FONT_DIR: r->font_dir = v; return 0;
    case OPT_SIZING: {
        static const char *const names[] = {"linear", "sqrt", "log", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->sizing = (vc_sizing)choice;
        return rc;
    }
    case OPT_FIT: {
        static const char *const names[] = {"auto", "none", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->fit = (vc_fit)choice;
        return rc;
    }
    case OPT_WRAP: {
        static const char *const names[] = {"auto", "none", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->wrap = (vc_wrap)choice;
        return rc;
    }
    case OPT_THREADS: return parse_int(name, v, 0, VC_THREADS_MAX, &r->threads);
    case OPT_MAX_FONT_SIZE: return parse_double(name, v, 1, VC_FONT_SIZE_MAX, &r->max_font_size);
    case OPT_MIN_FONT_SIZE: return parse_double(name, v, 1, VC_FONT_SIZE_MAX, &r->min_font_size);
    case OPT_MAX_WORDS: return parse_size(name, v, 1, (long long)VC_MAX_WORDS_MAX, &r->max_words);
    case OPT_STRICT: r->strict = true; return 0;
    case OPT_ALLOW_GAPS: r->allow_gaps = true; return 0;
    case OPT_PADDING: return parse_int(name, v, 0, VC_PADDING_MAX, &r->padding);
    case OPT_PADDING_EM: return parse_double(name, v, 0, VC_PADDING_EM_MAX, &r->padding_em);
    case OPT_MARGIN: return parse_int(name, v, 0, VC_MARGIN_MAX, &r->margin);
    case OPT_SPIRAL: {
        static const char *const names[] = {"archimedean", "rectangular", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->spiral = (vc_spiral)choice;
        return rc;
    }
    case OPT_SHAPE: {
        static const char *const names[] = {"rectangle", "ellipse", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->shape = (vc_shape)choice;
        return rc;
    }
    case OPT_MASK: r->mask_path = v; return 0;
    case OPT_ROTATE: return parse_rotate(v, r);
    case OPT_PREFER_HORIZONTAL: return parse_double(name, v, 0, 1, &r->prefer_horizontal);
    case OPT_SEED: {
        long long seed = 0;
        rc = parse_long(name, v, 0, 9007199254740991ll, &seed);
        r->seed = (uint64_t)seed;
        return rc;
    }
    case OPT_PALETTE: r->palette = v; return check_colors(r->palette, NULL, NULL);
    case OPT_COLOR_BY: {
        static const char *const names[] = {"rank", "group", "word", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->color_by = (vc_color_by)choice;
        return rc;
    }
    case OPT_BACKGROUND: r->background = v; return check_colors(NULL, r->background, NULL);
    case OPT_WIDTH: return parse_int(name, v, VC_WIDTH_MIN, VC_WIDTH_MAX, &r->width);
    case OPT_HEIGHT: return parse_int(name, v, VC_HEIGHT_MIN, VC_HEIGHT_MAX, &r->height);
    case OPT_SCALE: return parse_double(name, v, VC_SCALE_MIN, VC_SCALE_MAX, &r->scale);
    case OPT_DPI: return parse_double(name, v, VC_DPI_MIN, VC_DPI_MAX, &r->dpi);
    case OPT_CONTRAST: {
        static const char *const names[] = {"off", "on", NULL};
        rc = parse_choice(name, v, names, &choice);
        r->contrast = choice == 1;
        return rc;
    }
    case OPT_CONTRAST_AGAINST:
        r->contrast_against = v;
        return check_colors(NULL, NULL, r->contrast_against);
    case OPT_TITLE: rc = check_text(name, v); r->title = v; return rc;
    case OPT_QUESTION: rc = check_text(name, v); r->question = v; return rc;
    case OPT_LEGEND: r->legend = true; return 0;
    case OPT_ALT_TEXT: o->alt_text = v; return 0;
    case OPT_TABLE: return push_list(name, o->tables, &o->n_tables, v);
    case OPT_LAYOUT_JSON: o->layout_json = v; return 0;
    case OPT_TIMINGS: o->timings = true; return 0;
    case OPT_MAX_MEGAPIXELS:
        rc = parse_double(name, v, 0.001, 10000, &d);
        r->max_pixels = (uint64_t)(d * 1e6);
        return rc;
    case OPT_STYLE: return 0; /* applied before the command line */
    case OPT_MANIFEST: o->manifest = v; return 0;
    case 'j': return parse_int(name, v, 1, 1000000, &o->jobs); /* capped by batch */
    case OPT_SAME_SCALE: o->same_scale = true; return 0;
    case OPT_PACK: o->pack = v; return cli_pack_paths(o, v, o->pack_paths);
    case OPT_PACK_EVENTS: o->pack_events = true; return 0;
    case OPT_COORDINATE: o->coordinate = true; return 0;
    case OPT_CHART_TOP: return parse_size(name, v, 1, VC_CHART_MAX_BARS, &o->chart_top);
    case 'q': o->quiet = true; return 0;
    default: return cli_fail(VC_ERR_SOFTWARE, "unhandled option %d", id);
    }
}

/* Another spec of the same name that is for `command`. */
static bool has_twin_for(const option_spec *spec, unsigned command)
{
    for (size_t i = 0; i < N_SPECS; i++) {
        if (&specs[i] != spec && (specs[i].commands & command) &&
            strcmp(specs[i].name, spec->name) == 0) {
            return true;
        }
    }
    return false;
}

static void build_long_options(struct option *longs, unsigned command)
{
    size_t n = 0;
    for (size_t i = 0; i < N_SPECS; i++) {
        if (!(specs[i].commands & command) && has_twin_for(&specs[i], command)) {
            continue; /* the same name means something else here (--pack) */
        }
        longs[n].name = specs[i].name;
        longs[n].has_arg = specs[i].has_arg ? required_argument : no_argument;
        longs[n].flag = NULL;
        longs[n].val = specs[i].id;
        n++;
    }
    (void)command;
    memset(&longs[n], 0, sizeof longs[n]);
}

static const option_spec *spec_by_name(const char *name)
{
    for (size_t i = 0; i < N_SPECS; i++) {
        if (strcmp(specs[i].name, name) == 0) {
            return &specs[i];
        }
    }
    return NULL;
}

/* Values a flag takes in a style file. */
static bool flag_value(const char *v, bool *on)
{
    static const char *const yes[] = {"true", "yes", "on", "1", ""};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *on = true;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (strcmp(v, no[i]) == 0) {
            *on = false;
            return true;
        }
    }
    return false;
}

/* Applies one style pair; messages carry FILE:LINE through the context. */
static int apply_style_pair(cli_opts *o, const cli_style_pair *p)
{
    const option_spec *spec = spec_by_name(p->key);
    if (!spec || !spec->in_style) {
        return cli_fail(VC_ERR_USAGE, "unknown style key '%s' (keys are long option "
                        "names such as font, palette, width)", p->key);
    }
    if (!spec->has_arg) {
        bool on = false;
        if (!flag_value(p->value, &on)) {
            return cli_fail(VC_ERR_USAGE, "%s: expected true or false, got '%s'", p->key,
                            p->value);
        }
        return on ? apply(o, spec->id, NULL) : 0;
    }
    char *value = cli_own(o, strdup(p->value));
    if (!value) {
        return cli_fail(VC_ERR_NOMEM, "out of memory");
    }
    return apply(o, spec->id, value);
}

/* Reads --style and applies its pairs before the command line. */
static int apply_style(cli_opts *o, const char *path)
{
    cli_style st;
    int rc = cli_style_read(path, &st);
    char where[4096];
    for (size_t i = 0; rc == 0 && i < st.n; i++) {
        snprintf(where, sizeof where, "%s:%zu", path, st.v[i].line);
        cli_set_context(where);
        rc = apply_style_pair(o, &st.v[i]);
        cli_set_context(NULL);
    }
    cli_style_free(&st);
    return rc;
}

/* Finds --style before parsing, so its settings can be overridden. */
static const char *find_style(int argc, char **argv)
{
    const char *style = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            break;
        }
        if (strcmp(argv[i], "--style") == 0 && i + 1 < argc) {
            style = argv[++i];
        } else if (strncmp(argv[i], "--style=", 8) == 0) {
            style = argv[i] + 8;
        }
    }
    return style;
}

static void set_defaults(cli_opts *o, unsigned command)
{
    memset(o, 0, sizeof *o);
    o->command = command;
    vc_count_options_init(&o->count);
    vc_render_options_init(&o->render);
}

static int check_combinations(cli_opts *o)
{
    vc_render_options *r = &o->render;
    if (r->min_font_size > 0 && r->max_font_size > 0 &&
        r->min_font_size > r->max_font_size) {
        return cli_fail(VC_ERR_USAGE,
                        "--min-font-size (%g) is larger than --max-font-size (%g)",
                        r->min_font_size, r->max_font_size);
    }
    if (r->fit == VC_FIT_NONE && r->max_font_size <= 0) {
        return cli_fail(VC_ERR_USAGE, "--fit none needs --max-font-size PX");
    }
    if (o->n_inputs == 0 && !(o->command == CLI_BATCH && o->manifest)) {
        return cli_fail(VC_ERR_USAGE, "%s: no input given (use - for standard input); "
                        "see 'votecloud %s --help'", command_name(o->command),
                        command_name(o->command));
    }
    if (o->command == CLI_INSPECT && o->n_inputs != 1) {
        return cli_fail(VC_ERR_USAGE, "inspect: give one input");
    }
    if (o->command != CLI_COUNT && o->command != CLI_INSPECT && o->n_outputs == 0 &&
        !(o->command == CLI_RENDER && o->pack)) {
        return cli_fail(VC_ERR_USAGE, "%s: no output given: add -o %s",
                        command_name(o->command),
                        o->command == CLI_RENDER ? "cloud.png" : "FOLDER");
    }
    if (o->command == CLI_COUNT && o->n_outputs > 1) {
        return cli_fail(VC_ERR_USAGE, "count: -o given more than once");
    }
    if (o->command == CLI_BATCH && o->n_outputs > 1) {
        return cli_fail(VC_ERR_USAGE, "batch: -o names one output folder");
    }
    return cli_check_paths(o);
}

int cli_parse(int argc, char **argv, unsigned command, cli_opts *o)
{
    set_defaults(o, command);
    const char *style = find_style(argc, argv);
    o->style = style;
    if (style) {
        if (command == CLI_COUNT) {
            return cli_fail(VC_ERR_USAGE, "count: --style is for render and batch");
        }
        int rc = apply_style(o, style);
        if (rc) {
            return rc;
        }
    }

    struct option longs[N_SPECS + 1];
    build_long_options(longs, command);
    o->inputs = calloc((size_t)argc + 1, sizeof *o->inputs);
    if (!o->inputs) {
        return cli_fail(VC_ERR_NOMEM, "out of memory");
    }
    /* 0, not 1: glibc then also forgets where an earlier parse stopped in
     * a cluster of short options ("-qZq" refused at Z); with 1 the next
     * parse went on from there, in an argv that may be freed (found by
     * fuzz-batch, which parses many argument lists in one process). */
    optind = 0;
    opterr = 0;
    /* A leading '-' keeps positional arguments in order, and lets "-" mean
     * standard input. */
    int id;
    while ((id = getopt_long(argc, argv, "-:o:j:qh", longs, NULL)) != -1) {
        if (id == 1) {
            o->inputs[o->n_inputs++] = optarg;
            continue;
        }
        if (id == '?') {
            const char *bad = argv[optind - 1];
            if (optopt && optopt < 256) {
                return cli_fail(VC_ERR_USAGE, "%s: unknown option '-%c'; see 'votecloud %s --help'",
                                command_name(command), optopt, command_name(command));
            }
            return cli_fail(VC_ERR_USAGE, "%s: unknown option '%s'; see 'votecloud %s --help'",
                            command_name(command), bad, command_name(command));
        }
        if (id == ':') {
            return cli_fail(VC_ERR_USAGE, "%s: option '%s' needs a value",
                            command_name(command), argv[optind - 1]);
        }
        if (id == 'h') {
            print_help(command);
            return -1;
        }
        if (id == OPT_VERSION) {
            printf("votecloud %s\n", vc_version());
            return -1;
        }
        const option_spec *spec = spec_by_id(id);
        if (!spec || !(spec->commands & command)) {
            return cli_fail(VC_ERR_USAGE, "%s: option --%s is not for this command; see "
                            "'votecloud %s --help'", command_name(command),
                            spec ? spec->name : "?", command_name(command));
        }
        int rc = apply(o, id, optarg);
        if (rc) {
            return rc;
        }
    }
    for (; optind < argc; optind++) {
        o->inputs[o->n_inputs++] = argv[optind];
    }
    return check_combinations(o);
}
