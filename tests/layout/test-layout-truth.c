/* test-layout-truth.c - the truths a finished layout keeps, through the
 * public API:
 * - every left-out word carries a vc_drop_reason, and
 *   vc_drop_reason_to_string names each one;
 * - nothing drawable (no words, or no word with votes) is VC_ERR_DATA;
 * - with VC_FIT_NONE, a word that finds no room while a word with fewer
 *   votes is drawn is VC_ERR_DATA naming the word, its votes and the fix,
 *   unless allow_gaps; then it is listed as VC_DROP_NO_ROOM, and the
 *   caption and alt text say which most-voted words are not shown;
 * - a word far longer than the canvas (10,000 letters) is left out as
 *   VC_DROP_TOO_LONG while the other words are drawn;
 * - thousands of one-vote words that no scale could draw change nothing
 *   that is drawn (the engine does not even shape them) and are each
 *   left out as VC_DROP_TOO_SMALL, after the others, with their size. */
#include "votecloud.h"
#include "publish/describe.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static vc_layout *lay(vc_context *ctx, vc_words *w, const vc_render_options *o, vc_error *err)
{
    vc_error_clear(err);
    return vc_layout_new(ctx, w, o, err);
}

static bool dropped_as(const vc_layout *L, const char *text, vc_drop_reason why)
{
    for (size_t i = 0; i < vc_layout_dropped_count(L); i++) {
        vc_dropped d;
        if (vc_layout_dropped(L, i, &d) && strcmp(d.text, text) == 0) {
            return d.why == why;
        }
    }
    return false;
}

static void test_names(void)
{
    static const struct {
        vc_drop_reason r;
        const char *name;
    } names[] = {
        {VC_DROP_NO_VOTES, "no-votes"},   {VC_DROP_MAX_WORDS, "max-words"},
        {VC_DROP_TOO_SMALL, "too-small"}, {VC_DROP_NOTHING_FITS, "nothing-fits"},
        {VC_DROP_NO_ROOM, "no-room"},     {VC_DROP_NO_INK, "no-ink"},
        {VC_DROP_TOO_LONG, "too-long"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        TAP_OK(strcmp(vc_drop_reason_to_string(names[i].r), names[i].name) == 0, "reason %d is %s",
               (int)names[i].r, names[i].name);
    }
    TAP_OK(strcmp(vc_drop_reason_to_string((vc_drop_reason)99), "unknown") == 0,
           "an unknown reason is 'unknown'");
}

static void test_nothing(vc_context *ctx)
{
    vc_error err = {0};
    vc_render_options o;
    vc_render_options_init(&o);
    vc_words *w = vc_words_new(&err);
    vc_layout *L = lay(ctx, w, &o, &err);
    TAP_OK(!L && err.status == VC_ERR_DATA && strstr(err.message, "nothing to draw"),
           "no words: VC_ERR_DATA, '%s'", err.message);
    vc_layout_free(L);
    vc_words_add(w, "zero", 0, VC_GROUP_WORD, &err);
    L = lay(ctx, w, &o, &err);
    TAP_OK(!L && err.status == VC_ERR_DATA && strstr(err.message, "nothing to draw") &&
               strstr(err.message, "'zero'"),
           "only a word without votes: VC_ERR_DATA naming it, '%s'", err.message);
    vc_layout_free(L);
    vc_words_add(w, "one", 1, VC_GROUP_WORD, &err);
    L = lay(ctx, w, &o, &err);
    TAP_OK(L && vc_layout_placed_count(L) == 1 && dropped_as(L, "zero", VC_DROP_NO_VOTES),
           "with one word with a vote, it is drawn and 'zero' is no-votes");
    vc_layout_free(L);
    vc_words_free(w);
}

/* Big words at a fixed size on a small canvas: some cannot fit while
 * smaller words can. */
static void test_gaps(vc_context *ctx)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    char text[32];
    for (int i = 0; i < 12; i++) {
        snprintf(text, sizeof text, "bigword%02d", i);
        vc_words_add(w, text, 100, VC_GROUP_WORD, &err);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(text, sizeof text, "w%02d", i);
        vc_words_add(w, text, 30, VC_GROUP_WORD, &err);
    }
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = 300;
    o.height = 200;
    o.fit = VC_FIT_NONE;
    o.max_font_size = 40;
    o.sizing = VC_SIZING_LINEAR;
    vc_layout *L = lay(ctx, w, &o, &err);
    TAP_OK(!L && err.status == VC_ERR_DATA && strstr(err.message, "'bigword") &&
               strstr(err.message, "(100 votes)") && strstr(err.message, "larger canvas") &&
               strstr(err.message, "smaller maximum font size") && !strstr(err.message, "--") &&
               err.option == VC_OPTION_FIT,
           "fit none with a gap: VC_ERR_DATA naming the word, votes and fix, no flag: '%s'",
           err.message);
    vc_layout_free(L);
    o.allow_gaps = true;
    L = lay(ctx, w, &o, &err);
    size_t no_room = 0;
    for (size_t i = 0; L && i < vc_layout_dropped_count(L); i++) {
        vc_dropped d;
        no_room += vc_layout_dropped(L, i, &d) && d.why == VC_DROP_NO_ROOM && d.count == 100;
    }
    TAP_OK(L && no_room > 0 && vc_layout_placed_count(L) > 0,
           "allow_gaps: drawn (%zu), %zu most-voted words listed as no-room (%s)",
           L ? vc_layout_placed_count(L) : 0, no_room, err.message);
    char *caption = L ? vc_layout_legend_caption(L) : NULL;
    char *alt = L ? vc_layout_alt_text(L) : NULL;
    TAP_OK(caption && strstr(caption, "not shown, including \xE2\x80\x9C" "bigword") &&
               !strstr(caption, "too small"),
           "the caption names the missing most-voted words: %s", caption ? caption : "");
    TAP_OK(alt && strstr(alt, "Not shown though they have more votes than a drawn word: bigword05"),
           "the alt text says which listed words are not shown: %s", alt ? alt : "");
    free(caption);
    free(alt);
    vc_layout_free(L);
    vc_words_free(w);
}

static void test_too_long(vc_context *ctx)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    char *longword = malloc(10001);
    memset(longword, 'a', 10000);
    longword[10000] = '\0';
    vc_words_add(w, longword, 5, VC_GROUP_WORD, &err);
    vc_words_add(w, "hello", 3, VC_GROUP_WORD, &err);
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = 400;
    o.height = 300;
    vc_layout *L = lay(ctx, w, &o, &err);
    TAP_OK(L && vc_layout_placed_count(L) == 1 && dropped_as(L, longword, VC_DROP_TOO_LONG),
           "auto fit: the 10,000-letter word is too-long, 'hello' drawn (%s)", err.message);
    vc_layout_free(L);
    o.fit = VC_FIT_NONE;
    o.max_font_size = 40;
    L = lay(ctx, w, &o, &err);
    TAP_OK(!L && err.status == VC_ERR_DATA && strstr(err.message, "aaa...' (5 votes)"),
           "fit none: the long word missing is an error, its text cut: '%s'", err.message);
    vc_layout_free(L);
    o.allow_gaps = true;
    L = lay(ctx, w, &o, &err);
    TAP_OK(L && vc_layout_placed_count(L) == 1 && dropped_as(L, longword, VC_DROP_TOO_LONG),
           "fit none with allow_gaps: too-long, 'hello' drawn (%s)", err.message);
    vc_layout_free(L);
    free(longword);
    vc_words_free(w);
}

/* 330 words of 400 down to 71 votes, then (tail) 3,000 of one vote. */
static vc_words *tail_words(bool tail, vc_error *err)
{
    vc_words *w = vc_words_new(err);
    char text[32];
    for (int i = 0; w && i < 330; i++) {
        snprintf(text, sizeof text, "w%03dx", i);
        vc_words_add(w, text, 400 - i, VC_GROUP_WORD, err);
    }
    for (int i = 0; w && tail && i < 3000; i++) {
        snprintf(text, sizeof text, "t%04d", i);
        vc_words_add(w, text, 1, VC_GROUP_WORD, err);
    }
    return w;
}

static bool same_placed(const vc_layout *a, const vc_layout *b)
{
    if (vc_layout_scale(a) != vc_layout_scale(b) ||
        vc_layout_placed_count(a) != vc_layout_placed_count(b)) {
        return false;
    }
    for (size_t i = 0; i < vc_layout_placed_count(a); i++) {
        vc_placed p, q;
        if (!vc_layout_placed(a, i, &p) || !vc_layout_placed(b, i, &q) ||
            strcmp(p.text, q.text) != 0 || p.x != q.x || p.y != q.y ||
            p.font_size != q.font_size || p.rotation != q.rotation || p.color != q.color) {
            return false;
        }
    }
    return true;
}

/* Every word left out as too small is: below 6 px at the layout's scale
 * (linear sizing). */
static bool too_small_true(const vc_layout *L)
{
    for (size_t i = 0; i < vc_layout_dropped_count(L); i++) {
        vc_dropped d;
        if (vc_layout_dropped(L, i, &d) && d.why == VC_DROP_TOO_SMALL &&
            !(d.count * vc_layout_scale(L) < 6)) {
            return false;
        }
    }
    return true;
}

/* Every dropped word of `with` from `first` on is a tail word, too small. */
static bool tail_dropped(const vc_layout *with, size_t first, const char **bad)
{
    size_t n = vc_layout_dropped_count(with);
    *bad = "";
    if (n != first + 3000) {
        *bad = "count";
        return false;
    }
    for (size_t i = first; i < n; i++) {
        vc_dropped d;
        if (!vc_layout_dropped(with, i, &d) || d.why != VC_DROP_TOO_SMALL || d.count != 1 ||
            strncmp(d.text, "t", 1) != 0 || !strstr(d.reason, "below the minimum font size 6 px")) {
            *bad = d.reason ? d.reason : "?";
            return false;
        }
    }
    return true;
}

static void test_unseen_tail(vc_context *ctx)
{
    vc_error err = {0};
    vc_words *base = tail_words(false, &err), *with = tail_words(true, &err);
    static const struct {
        vc_fit fit;
        vc_rotate rotate;
        const char *what;
    } runs[] = {
        {VC_FIT_AUTO, VC_ROTATE_NONE, "auto fit"},
        {VC_FIT_AUTO, VC_ROTATE_MIXED, "auto fit, mixed angles"},
        {VC_FIT_AUTO, VC_ROTATE_AUTO, "auto fit, turned where it helps"},
        {VC_FIT_NONE, VC_ROTATE_NONE, "fit none"},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        vc_render_options o;
        vc_render_options_init(&o);
        o.width = 900;
        o.height = 600;
        o.min_font_size = 6;
        o.fit = runs[r].fit;
        o.rotate = runs[r].rotate;
        o.max_font_size = runs[r].fit == VC_FIT_NONE ? 60 : 0;
        o.allow_gaps = true;
        vc_layout *a = lay(ctx, base, &o, &err);
        vc_layout *b = a ? lay(ctx, with, &o, &err) : NULL;
        const char *bad = "no layout";
        TAP_OK(a && b && same_placed(a, b) && too_small_true(a) && too_small_true(b) &&
                   tail_dropped(b, vc_layout_dropped_count(a), &bad),
               "%s: 3,000 undrawable one-vote words change nothing drawn and are "
               "too small (%s %s)", runs[r].what, bad, err.message);
        vc_layout_free(a);
        vc_layout_free(b);
    }
    vc_words_free(base);
    vc_words_free(with);
}

int main(void)
{
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    TAP_OK(ctx != NULL, "context: %s", err.message);
    if (!ctx) {
        return tap_done();
    }
    test_names();
    test_nothing(ctx);
    test_gaps(ctx);
    test_too_long(ctx);
    test_unseen_tail(ctx);
    vc_context_free(ctx);
    return tap_done();
}
