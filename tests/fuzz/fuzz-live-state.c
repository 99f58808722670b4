/* fuzz-live-state.c - vc_live_restore over fuzzed bytes (the live layout's
 * state as a server keeps it in SQLite).  Invariants: a refusal always
 * carries a message and leaves the layout as new; an accepted state saves
 * again to bytes that restore and save to the same bytes; an update after
 * it succeeds and its frame is truthful (no two drawn words' ink share a
 * pixel).  One live layout is kept for the process (fontconfig start-up
 * per input would make the target too slow); vc_live_reset returns it to
 * new between inputs.  Seeds (corpus/live-state) are states of a 400x240
 * canvas with the bundled fonts after 1, 4 and 12 updates. */
#include "fuzz.h"
#include "layout/live-internal.h"

#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FONT_DIR
#define FUZZ_FONT_DIR NULL
#endif

static vc_live *shared;

static vc_live *live(void)
{
    if (!shared) {
        vc_render_options o;
        vc_render_options_init(&o);
        o.width = 400;
        o.height = 240;
        o.font_dir = FUZZ_FONT_DIR;
        vc_error err = {0};
        shared = vc_live_new(&o, &err);
    }
    return shared;
}

/* No two drawn words' ink share a pixel. */
static void check_frame(const vc_layout *L)
{
    size_t n = (size_t)L->width * (size_t)L->height;
    unsigned char *taken = calloc(n ? n : 1, 1);
    if (!taken) {
        return;
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        for (int j = 0; j < p->ink.h; j++) {
            for (int k = 0; k < p->ink.w; k++) {
                if (!p->ink.alpha[(size_t)j * (size_t)p->ink.stride + (size_t)k]) {
                    continue;
                }
                int x = p->x + p->ink.x0 + k, y = p->y + p->ink.y0 + j;
                if (x < 0 || y < 0 || x >= L->width || y >= L->height ||
                    taken[(size_t)y * (size_t)L->width + (size_t)x]) {
                    __builtin_trap();
                }
                taken[(size_t)y * (size_t)L->width + (size_t)x] = 1;
            }
        }
    }
    free(taken);
}

/* Every restored word with one vote more than its rank suggests. */
static void update_after(vc_live *lv)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    for (size_t i = 0; w && i < lv->n && i < 64; i++) {
        vc_words_add(w, lv->w[i].text, (double)(1 + i % 5), lv->w[i].group, &err);
    }
    vc_layout *L = NULL;
    if (w && (!vc_live_update(lv, w, NULL, &err) || !(L = vc_live_snapshot(lv, &err)))) {
        if (!err.message[0]) {
            __builtin_trap();
        }
    }
    if (L) {
        check_frame(L);
    }
    vc_layout_free(L);
    vc_words_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vc_live *lv = live();
    if (!lv) {
        return 0;
    }
    vc_error err = {0};
    if (!vc_live_restore(lv, (const char *)data, size, &err)) {
        if (!err.message[0] || lv->n != 0 || lv->have_scale || lv->updated) {
            __builtin_trap();
        }
        return 0;
    }
    size_t len1 = 0, len2 = 0;
    char *s1 = vc_live_save(lv, &len1, &err);
    vc_live_reset(lv);
    if (!s1 || !vc_live_restore(lv, s1, len1, &err)) {
        __builtin_trap();
    }
    char *s2 = vc_live_save(lv, &len2, &err);
    if (!s2 || len1 != len2 || memcmp(s1, s2, len1) != 0) {
        __builtin_trap();
    }
    free(s1);
    free(s2);
    update_after(lv);
    vc_live_reset(lv);
    return 0;
}
