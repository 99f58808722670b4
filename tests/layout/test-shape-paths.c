/* test-shape-paths.c - vc_shape_word's fast path for printable ASCII and
 * its remembered font answers give, field for field, what the general path
 * gives and what a shaper that remembers nothing gives: Latin, Polish, Somali, Bengali,
 * Arabic, Urdu, emoji, marks, joiners and mixed directions, before and
 * after enough other words to overwrite the remembered answers. */
#include "layout/layout.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
    "hello", "Wave", "AVATAR", "x", " ", "a b", "!?", "don't", "~tilde~",
    "12345", "covid-19", "(quoted)", "e-mail@host.org", "WWWWWWWWWWWWWWWWWWWWWWWWW",
    "supercalifragilisticexpialidocious-supercalifragilisticexpialidocious-"
    "supercalifragilisticexpialidocious-supercalifragilisticexpialidocious",
    "tab\there", "line\r\nbreak", "",
    /* Polish, Somali */
    "zażółć", "gęślą", "jaźń", "Łódź", "Soomaali", "dhaqaale", "ka'a", "Xamar",
    /* Bengali: conjuncts, vowel signs */
    "বাংলা", "ক্ষ", "স্বাধীনতা", "রবীন্দ্রনাথ",
    /* Arabic, Urdu */
    "السلام", "مرحبا", "اردو", "پاکستان", "گھر", "ٹیکس",
    /* mixed directions and scripts, numbers in Arabic */
    "abc السلام 123", "السلام abc", "كوفيد-19", "ok বাংলা ok", "বাংলা-السلام",
    /* emoji, flags, joiners, variation selectors */
    "👍", "❤️", "👨‍👩‍👧", "🇫🇷🇩🇪", "a\u200db", "x\uFE0F",
    /* marks: decomposed, stacked, alone */
    "e\u0301", "a\u0308b", "o\u0301\u0323", "\u0301", "n\u0303o",
};
#define N_WORDS (sizeof words / sizeof words[0])

static vc_shaped cold[N_WORDS];
static char *cold_font[N_WORDS][512]; /* the path of each glyph's font */

/* Field for field, floats and doubles bit for bit; fonts by file (two
 * contexts load a file each) or by pointer (one context). */
static bool same_shaped(const vc_shaped *a, const vc_shaped *b, char *const *b_fonts,
                        const char *what, const char *word)
{
    bool same = a->n == b->n && a->rtl == b->rtl && a->n_lines == b->n_lines &&
                a->undrawable == b->undrawable &&
                memcmp(&a->advance, &b->advance, sizeof a->advance) == 0 &&
                memcmp(a->ink, b->ink, sizeof a->ink) == 0 &&
                memcmp(a->line_at, b->line_at, sizeof a->line_at) == 0 &&
                memcmp(a->line_ink, b->line_ink, sizeof a->line_ink) == 0;
    for (size_t i = 0; same && i < a->n; i++) {
        const vc_glyph *g = &a->glyphs[i], *h = &b->glyphs[i];
        same = g->id == h->id && memcmp(&g->x, &h->x, sizeof g->x) == 0 &&
               memcmp(&g->y, &h->y, sizeof g->y) == 0 &&
               (b_fonts ? i < 512 && strcmp(g->font->path, b_fonts[i]) == 0
                        : g->font == h->font);
    }
    if (!same) {
        printf("# %s differ for '%s': %zu glyphs, advance %.17g / %zu, %.17g\n", what,
               word, a->n, a->advance, b->n, b->advance);
    }
    return same;
}

static bool shape(vc_context *ctx, vc_fontset *set, const char *w, bool general,
                  vc_shaped *out)
{
    vc_error err = {0};
    bool ok = general ? vc_shape_word_general(ctx, set, w, out, &err)
                      : vc_shape_word(ctx, set, w, out, &err);
    if (!ok) {
        printf("# '%s': %s\n", w, err.message);
    }
    vc_error_clear(&err);
    return ok;
}

/* The words in order in another context, which forgets what the shaper
 * remembered before each word.  (Its font set grows from fontconfig as the
 * other's does: a font found for one word is tried for the next.) */
static bool shape_cold(const char *primary)
{
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    vc_fontset set;
    if (!ctx || !vc_fontset_init(ctx, &set, primary, NULL, &err)) {
        printf("# %s\n", err.message);
        vc_context_free(ctx);
        return false;
    }
    bool ok = true;
    for (size_t k = 0; ok && k < N_WORDS; k++) {
        vc_shaper_free(ctx->shaper);
        ctx->shaper = NULL;
        ok = shape(ctx, &set, words[k], true, &cold[k]);
        for (size_t i = 0; ok && i < cold[k].n && i < 512; i++) {
            cold_font[k][i] = vc_strdup(cold[k].glyphs[i].font->path);
        }
    }
    vc_fontset_finish(&set);
    vc_context_free(ctx);
    return ok;
}

static void free_cold(void)
{
    for (size_t k = 0; k < N_WORDS; k++) {
        for (size_t i = 0; i < 512; i++) {
            free(cold_font[k][i]);
            cold_font[k][i] = NULL;
        }
        vc_shaped_finish(&cold[k]);
    }
}

/* Words of three letters from Latin Extended-A and -B, Greek, Cyrillic,
 * Latin Extended Additional, Bengali and Arabic: more (font, code point)
 * and (font, glyph) pairs than the shaper remembers, so the answers it
 * holds for the test's words are overwritten. */
static const unsigned churn_ranges[][2] = {
    {0x100, 0x250}, {0x370, 0x3D0}, {0x400, 0x500}, {0x1E00, 0x1F00},
    {0x985, 0x9BA}, {0x621, 0x64B},
};

static size_t utf8_put(char *p, unsigned cp)
{
    if (cp < 0x800) {
        return (size_t)sprintf(p, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
    }
    return (size_t)sprintf(p, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F),
                           0x80 | (cp & 0x3F));
}

/* The number of words that failed to shape, of *n_words. */
static size_t churn(vc_context *ctx, vc_fontset *set, size_t *n_words)
{
    size_t failed = 0;
    *n_words = 0;
    for (size_t r = 0; r < sizeof churn_ranges / sizeof churn_ranges[0]; r++) {
        for (unsigned cp = churn_ranges[r][0]; cp + 3 <= churn_ranges[r][1]; cp += 3) {
            char w[16];
            size_t len = 0;
            for (unsigned j = 0; j < 3; j++) {
                len += utf8_put(w + len, cp + j);
            }
            vc_shaped sh;
            vc_error err = {0};
            failed += !vc_shape_word(ctx, set, w, &sh, &err);
            vc_error_clear(&err);
            vc_shaped_finish(&sh);
            ++*n_words;
        }
    }
    return failed;
}

static void check_primary(const char *primary, const char *label)
{
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    vc_fontset set;
    if (!ctx || !vc_fontset_init(ctx, &set, primary, NULL, &err)) {
        TAP_OK(0, "%s: fonts: %s", label, err.message);
        vc_context_free(ctx);
        return;
    }
    TAP_OK(shape_cold(primary), "%s: every word shapes with nothing remembered", label);
    for (int round = 0; round < 2; round++) {
        size_t fast_same = 0, cold_same = 0;
        for (size_t k = 0; k < N_WORDS; k++) {
            vc_shaped fast, general;
            bool ok = shape(ctx, &set, words[k], false, &fast) &&
                      shape(ctx, &set, words[k], true, &general);
            fast_same += ok && same_shaped(&fast, &general, NULL, "fast and general", words[k]);
            cold_same += ok && same_shaped(&fast, &cold[k], cold_font[k], "warm and cold",
                                           words[k]);
            vc_shaped_finish(&fast);
            vc_shaped_finish(&general);
        }
        const char *when = round == 0 ? "first" : "after the other words";
        TAP_OK(fast_same == N_WORDS, "%s, %s: fast path equals the general path (%zu of %zu)",
               label, when, fast_same, N_WORDS);
        TAP_OK(cold_same == N_WORDS,
               "%s, %s: equals shaping with nothing remembered (%zu of %zu)", label, when,
               cold_same, N_WORDS);
        if (round == 0) {
            size_t n_churn;
            size_t failed = churn(ctx, &set, &n_churn);
            TAP_OK(failed == 0, "%s: %zu other words of five scripts shape (%zu fail)", label,
                   n_churn, failed);
        }
    }
    /* Another context shaping this set's fonts (which it does not own, so
     * does not remember) shapes them alike. */
    vc_context *other = vc_context_new(&err);
    size_t other_same = 0;
    for (size_t k = 0; other && k < N_WORDS; k++) {
        vc_shaped sh;
        other_same += shape(other, &set, words[k], false, &sh) &&
                      same_shaped(&sh, &cold[k], cold_font[k], "another context's", words[k]);
        vc_shaped_finish(&sh);
    }
    TAP_OK(other_same == N_WORDS, "%s: another context shapes the set alike (%zu of %zu)",
           label, other_same, N_WORDS);
    vc_context_free(other);
    free_cold();
    vc_fontset_finish(&set);
    vc_context_free(ctx);
}

int main(void)
{
    const char *dir = getenv("FONTDIR");
    if (!dir) {
        printf("1..0 # SKIP FONTDIR not set\n");
        return 77;
    }
    char regular[4096];
    snprintf(regular, sizeof regular, "%s/NotoSans-Regular.ttf", dir);
    check_primary(NULL, "bundled bold");
    check_primary(regular, "regular");
    return tap_done();
}
