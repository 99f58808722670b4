/* test-describe.c - alt text (exact strings for survey, counts and edge
 * cases; never over 250 characters, never a cut word) and provenance. */
#include "layout/layout.h"
#include "publish/describe.h"
#include "layouts.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static void check_alt(const test_word *w, size_t n, size_t respondents,
                      const char *title, const char *question,
                      const char *expected, const char *what)
{
    vc_layout *l = test_layout(w, n, respondents);
    l->title = vc_strdup(title);
    l->question = vc_strdup(question);
    char *alt = vc_layout_alt_text(l);
    TAP_EQ_STR(alt, expected, "%s", what);
    TAP_OK(alt && chars(alt) <= 250, "%s: at most 250 characters", what);
    free(alt);
    test_layout_free(l);
}

static void test_survey(void)
{
    check_alt(survey_words, N_SURVEY, 545, NULL, NULL,
              "Word cloud of 545 responses. Most chosen: prevention (210), "
              "wellbeing (180), person-centred (150), equality (90), "
              "community (60). Most suggested as missing: compassion (12), "
              "trust (5, not shown), listening (3, not shown).",
              "survey with suggested words (dropped ones included)");
    check_alt(survey_words, 6, 545, NULL, NULL,
              "Word cloud of 545 responses. Most chosen: prevention (210), "
              "wellbeing (180), person-centred (150), equality (90), "
              "community (60).",
              "survey without suggested words");
    check_alt(survey_words, N_SURVEY, 545, "Our NHS", "Which three words describe the NHS you want?",
              "Word cloud of 545 responses to \xE2\x80\x9CWhich three words describe "
              "the NHS you want?\xE2\x80\x9D Most chosen: prevention (210), wellbeing "
              "(180), person-centred (150), equality (90), community (60). Most "
              "suggested as missing: compassion (12), trust (5, not shown).",
              "question quoted, no full stop after its question mark");
    check_alt(survey_words, 3, 545, "Staff survey 2025", NULL,
              "Word cloud of 545 responses for \xE2\x80\x9CStaff survey 2025\xE2\x80\x9D. "
              "Most chosen: prevention (210), wellbeing (180), person-centred (150).",
              "title when there is no question");
    check_alt(survey_words, 2, 545, NULL,
              "Thinking about the next ten years of health and care in our area, which three "
              "words best describe the service you would like to see, and why?",
              "Word cloud of 545 responses to \xE2\x80\x9CThinking about the next ten years "
              "of health and care in our area, which three\xE2\x80\xA6\xE2\x80\x9D. Most chosen: "
              "prevention (210), wellbeing (180).",
              "a long question shortened at a word boundary");
}

static void test_counts(void)
{
    const test_word w[] = {
        {"vision", 60, VC_GROUP_WORD, NULL},
        {"care", 40, VC_GROUP_WORD, NULL},
        {"team", 20, VC_GROUP_WORD, "too small"},
    };
    check_alt(w, 3, 0, NULL, NULL,
              "Word cloud of 120 votes. Most votes: vision (60), care (40), team (20, not shown).",
              "counts input: total votes");
    const test_word one[] = {{"hello", 1, VC_GROUP_WORD, NULL}};
    check_alt(one, 1, 0, NULL, NULL, "Word cloud of 1 vote. Most votes: hello (1).",
              "singular vote");
    check_alt(one, 1, 1, NULL, NULL, "Word cloud of 1 response. Most votes: hello (1).",
              "singular response");
    const test_word frac[] = {{"b", 2.5, VC_GROUP_WORD, NULL}, {"a", 2.5, VC_GROUP_WORD, NULL},
                              {"c", 0.25, VC_GROUP_WORD, NULL}};
    check_alt(frac, 3, 0, NULL, NULL,
              "Word cloud of 5.25 votes. Most votes: a (2.5), b (2.5), c (0.25).",
              "fractional counts without trailing zeros, ties by text");
    const test_word zero[] = {{"x", 0, VC_GROUP_WORD, NULL}, {"y", 0, VC_GROUP_WORD, NULL}};
    check_alt(zero, 2, 0, NULL, NULL, "Word cloud of 2 words. Most votes: x (0), y (0).",
              "no votes at all: number of words");
    check_alt(NULL, 0, 0, NULL, NULL, "Word cloud with no words.", "empty layout");
    const test_word nl[] = {{"line\none", 3, VC_GROUP_WORD, NULL}};
    check_alt(nl, 1, 0, NULL, NULL, "Word cloud of 3 votes. Most votes: line one (3).",
              "control characters become spaces");
}

static void test_many_long_words(void)
{
    enum { N = 200 };
    test_word *w = calloc(N, sizeof *w);
    char (*texts)[64] = calloc(N, sizeof *texts);
    for (size_t i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "extraordinarily-long-hyphenated-word-%03zu", i);
        w[i].text = texts[i];
        w[i].count = 1000 - (double)i;
        w[i].group = i % 3 == 2 ? VC_GROUP_SUGGESTED : VC_GROUP_CHOSEN;
        w[i].reason = i > 50 ? "too small" : NULL;
    }
    vc_layout *l = test_layout(w, N, 12345);
    l->question = vc_strdup("What would make the biggest difference to your experience of "
                            "local services over the next five years, and what should we stop doing?");
    char *alt = vc_layout_alt_text(l);
    printf("# %zu chars: %s\n", alt ? chars(alt) : 0, alt ? alt : "(null)");
    TAP_OK(alt && chars(alt) <= 250, "200 long words: at most 250 characters");
    TAP_EQ_STR(alt, "Word cloud of 12345 responses to \xE2\x80\x9CWhat would make the biggest "
                    "difference to your experience of local services\xE2\x80\xA6\xE2\x80\x9D. "
                    "Most chosen: extraordinarily-long-hyphenated-word-000 (1000). Most suggested "
                    "as missing: extraordinarily-long-hyphenated-word-002 (998).",
               "items dropped from the end of each section to fit");
    TAP_OK(alt && strstr(alt, "extraordinarily-long-hyphenated-word-000 (1000)"),
           "the top word is listed whole");
    TAP_OK(alt && strstr(alt, "extraordinarily-long-hyphenated-word-002 (998)"),
           "the top suggestion is listed whole");
    /* Every listed item is a whole word with its count. */
    size_t cut = 0, listed = 0;
    for (const char *p = alt; p && (p = strstr(p, "extraordinarily")); p++) {
        listed++;
        /* "extraordinarily-long-hyphenated-word-NNN (" */
        cut += p[36] != '-' || p[40] != ' ' || p[41] != '(';
    }
    TAP_OK(listed >= 2 && cut == 0, "%zu words listed, none cut", listed);
    char *again = vc_layout_alt_text(l);
    TAP_OK(alt && again && strcmp(alt, again) == 0, "deterministic");
    free(again);
    free(alt);
    test_layout_free(l);

    /* One word longer than the whole budget: the lead stands alone. */
    char huge[400];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    test_word h[] = {{huge, 5, VC_GROUP_WORD, NULL}};
    vc_layout *hl = test_layout(h, 1, 0);
    alt = vc_layout_alt_text(hl);
    TAP_EQ_STR(alt, "Word cloud of 5 votes.", "a word that cannot fit is left out, not cut");
    free(alt);
    test_layout_free(hl);
    free(w);
    free(texts);
}

static void test_provenance(void)
{
    vc_layout *l = test_layout(survey_words, 3, 545);
    l->scale = 1.5;
    char *p = vc_layout_provenance(l);
    TAP_EQ_STR(p, "votecloud " VC_VERSION_STRING "; seed=1; sizing=linear; fit=auto; width=1200; "
                  "height=675; font=bundled; max-font-size=0; min-font-size=8; "
                  "max-words=0; padding=2; padding-em=0; margin=0; spiral=archimedean; shape=rectangle; "
                  "rotate=none; palette=nhs; color-by=rank; background=#FFFFFF; "
                  "contrast=on; legend=off; scale=1; dpi=96; px-per-unit=1.5",
               "provenance of the defaults");
    free(p);
    l->opts.seed = 18446744073709551615ull;
    l->opts.sizing = VC_SIZING_SQRT;
    l->opts.rotate = VC_ROTATE_LIST;
    l->opts.angles[0] = 0;
    l->opts.angles[1] = -90;
    l->opts.n_angles = 2;
    l->font = vc_strdup("Noto Sans:bold; weird=\"x\"");
    l->transparent = true;
    p = vc_layout_provenance(l);
    TAP_OK(p && strstr(p, "seed=18446744073709551615; sizing=sqrt;"), "full 64-bit seed, sizing");
    TAP_OK(p && strstr(p, "; rotate=0,-90;"), "angle list");
    TAP_OK(p && strstr(p, "; font=\"Noto Sans:bold; weird=\\\"x\\\"\";"), "values with separators quoted");
    TAP_OK(p && strstr(p, "; background=transparent;"), "transparent background");
    printf("# %s\n", p ? p : "(null)");
    free(p);
    test_layout_free(l);
}

static void test_legend(void)
{
    vc_layout *l = test_layout(survey_words, N_SURVEY, 545);
    char *key = vc_layout_legend_key(l), *cap = vc_layout_legend_caption(l);
    TAP_EQ_STR(key, "Text size shows votes: prevention = 210 votes", "legend key names the top word");
    TAP_EQ_STR(cap, "545 responses \xC2\xB7 10 words (3 too small to show)", "legend caption");
    free(key);
    free(cap);
    l->opts.sizing = VC_SIZING_SQRT;
    l->respondents = 0;
    key = vc_layout_legend_key(l);
    cap = vc_layout_legend_caption(l);
    TAP_EQ_STR(key, "Text area shows votes: prevention = 210 votes", "sqrt sizing says area");
    TAP_EQ_STR(cap, "752 votes \xC2\xB7 10 words (3 too small to show)", "votes when respondents unknown");
    free(key);
    free(cap);
    test_layout_free(l);
    const test_word one[] = {{"hello", 1, VC_GROUP_WORD, NULL}};
    l = test_layout(one, 1, 0);
    key = vc_layout_legend_key(l);
    cap = vc_layout_legend_caption(l);
    TAP_EQ_STR(key, "Text size shows votes: hello = 1 vote", "singular");
    TAP_EQ_STR(cap, "1 vote \xC2\xB7 1 word", "singular caption, nothing left out");
    free(key);
    free(cap);
    test_layout_free(l);
    l = test_layout(NULL, 0, 0);
    TAP_OK(vc_layout_legend_key(l) == NULL, "no key when nothing is drawn");
    test_layout_free(l);
}

int main(void)
{
    test_legend();
    test_survey();
    test_counts();
    test_many_long_words();
    test_provenance();
    return tap_done();
}
