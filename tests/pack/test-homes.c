/* test-homes.c - the per-word start position (vc_render_options.homes):
 * a word with a home is drawn near it (its ink centre within a few em of
 * the home, where without one it would be at the centre), in its home
 * colour whatever its size; a word whose home is taken still gets a place
 * (the centre walk); homes out of order or repeated are refused; and the
 * layout keeps no pointer to them. */
#include "layout/engine.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static vc_layout *lay_out(vc_context *ctx, const vc_words *w, const vc_home *homes, size_t n,
                          vc_error *err)
{
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 800;
    ro.height = 450;
    /* Small words on a roomy canvas, so a home is never crowded out. */
    ro.fit = VC_FIT_NONE;
    ro.max_font_size = 40;
    ro.homes = homes;
    ro.n_homes = n;
    return vc_layout_new(ctx, w, &ro, err);
}

static bool centre_of(const vc_layout *L, const char *text, double *x, double *y, uint32_t *c)
{
    for (size_t i = 0; i < vc_layout_placed_count(L); i++) {
        vc_placed p;
        vc_layout_placed(L, i, &p);
        if (strcmp(p.text, text) == 0) {
            *x = (p.bbox[0] + p.bbox[2]) / 2;
            *y = (p.bbox[1] + p.bbox[3]) / 2;
            *c = p.color;
            return true;
        }
    }
    return false;
}

int main(void)
{
    vc_context *ctx = vc_context_new(NULL);
    vc_words *w = vc_words_new(NULL);
    vc_words_add(w, "alpha", 40, VC_GROUP_WORD, NULL);
    vc_words_add(w, "beta", 30, VC_GROUP_WORD, NULL);
    vc_words_add(w, "gamma", 25, VC_GROUP_WORD, NULL);
    vc_words_add(w, "delta", 20, VC_GROUP_WORD, NULL);
    /* Sorted by text: alpha, beta, delta, gamma. */
    vc_home homes[] = {
        {"alpha", -1, -1, 0x123456},        /* no place: from the centre */
        {"beta", 0.15, 0.2, VC_HOME_NO_COLOR}, /* top left */
        {"delta", 0.85, 0.8, 0xFFD700},     /* bottom right, a pale colour */
        {"gamma", 0.85, 0.2, 0x00A499},     /* top right */
    };
    vc_error err = {0};
    vc_layout *L = lay_out(ctx, w, homes, 4, &err);
    TAP_OK(L != NULL, "layout with homes %s", err.message);
    if (!L) {
        return 1;
    }
    TAP_OK(L->opts.homes == NULL && L->opts.n_homes == 0, "the layout keeps no pointer to them");
    TAP_OK(vc_layout_placed_count(L) == 4, "every word drawn (%zu)", vc_layout_placed_count(L));
    for (size_t i = 1; i < 4; i++) {
        double x = 0, y = 0;
        uint32_t c = 0;
        bool found = centre_of(L, homes[i].text, &x, &y, &c);
        vc_placed p;
        double d = found ? hypot(x - homes[i].x * 800, y - homes[i].y * 450) : 1e9;
        double em = 0;
        for (size_t k = 0; k < vc_layout_placed_count(L); k++) {
            vc_layout_placed(L, k, &p);
            em = strcmp(p.text, homes[i].text) == 0 ? p.font_size : em;
        }
        TAP_OK(found && d < 0.5 * em, "%s drawn %.0f px from its home (under half an em, %.0f px)",
               homes[i].text, d, 0.5 * em);
        if (homes[i].color != VC_HOME_NO_COLOR) {
            uint32_t want = vc_contrast_adjust(homes[i].color, 0xFFFFFF, 4.5);
            TAP_OK(c == want && vc_contrast_ratio(c, 0xFFFFFF) >= 4.5,
                   "%s in its home colour, at 4.5:1 whatever its size (#%06x, want #%06x)",
                   homes[i].text, (unsigned)c, (unsigned)want);
            (void)c;
        }
    }
    double ax = -1e9, ay = -1e9;
    uint32_t ac = 0;
    bool alpha = centre_of(L, "alpha", &ax, &ay, &ac);
    TAP_OK(alpha && ac == 0x123456, "a home with no place still gives its colour (#%06x)",
           (unsigned)ac);
    TAP_OK(alpha && fabs(ax - 400) < 40 && fabs(ay - 225) < 40,
           "a home with no place starts from the centre (%.0f, %.0f)", ax, ay);
    vc_layout_free(L);

    /* Two words with one home: the second still finds room. */
    vc_home same[] = {{"alpha", 0.5, 0.5, VC_HOME_NO_COLOR}, {"beta", 0.5, 0.5, VC_HOME_NO_COLOR}};
    L = lay_out(ctx, w, same, 2, &err);
    TAP_OK(L && vc_layout_placed_count(L) == 4, "words sharing a home are all drawn");
    vc_layout_free(L);

    vc_home unsorted[] = {{"beta", 0.5, 0.5, 0}, {"alpha", 0.5, 0.5, 0}};
    vc_error e2 = {0};
    TAP_OK(!lay_out(ctx, w, unsorted, 2, &e2) && e2.status == VC_ERR_USAGE,
           "homes out of order refused: %s", e2.message);
    vc_home repeated[] = {{"alpha", 0.5, 0.5, 0}, {"alpha", 0.2, 0.5, 0}};
    vc_error e3 = {0};
    TAP_OK(!lay_out(ctx, w, repeated, 2, &e3) && e3.status == VC_ERR_USAGE,
           "a word given twice refused: %s", e3.message);
    vc_words_free(w);
    vc_context_free(ctx);
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}
