/* batch-coord.c - `batch --coordinate`: comparable event clouds (the idea
 * of "Word Storms", Castella and Sutton 2014).  The union of every event's
 * words is laid out once with the batch's options; each word's ink centre
 * there, normalised to the canvas, is its home, and its colour there its
 * colour.  Each event's cloud then places its words from their homes
 * (vc_render_options.homes), so the same word is found in about the same
 * place, always in the same colour. */
#include "batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct union_word {
    const char *text; /* borrowed from an event's words */
    double count;
    vc_group group;
} union_word;

static int by_text(const void *a, const void *b)
{
    return strcmp(((const union_word *)a)->text, ((const union_word *)b)->text);
}

/* Every word of every counted event once, with its votes summed. */
static vc_words *union_words(const batch_events *ev, vc_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->n; i++) {
        n += ev->v[i].words && !ev->v[i].failed ? vc_words_size(ev->v[i].words) : 0;
    }
    union_word *all = calloc(n ? n : 1, sizeof *all);
    vc_words *out = all ? vc_words_new(err) : NULL;
    if (!out) {
        free(all);
        batch_fail(err, VC_ERR_NOMEM, "--coordinate: out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < ev->n; i++) {
        const vc_words *w = ev->v[i].failed ? NULL : ev->v[i].words;
        for (size_t j = 0; w && j < vc_words_size(w); j++) {
            all[k++] = (union_word){vc_words_text(w, j), vc_words_count(w, j), vc_words_group(w, j)};
        }
    }
    qsort(all, k, sizeof *all, by_text);
    bool ok = true;
    for (size_t i = 0; ok && i < k;) {
        size_t j = i;
        double sum = 0;
        for (; j < k && strcmp(all[j].text, all[i].text) == 0; j++) {
            sum += all[j].count;
        }
        ok = vc_words_add(out, all[i].text, sum, all[i].group, err);
        i = j;
    }
    free(all);
    if (!ok) {
        vc_words_free(out);
        return NULL;
    }
    return out;
}

static int home_cmp(const void *a, const void *b)
{
    return strcmp(((const vc_home *)a)->text, ((const vc_home *)b)->text);
}

/* Homes from the union's layout: placed words at their ink centres in
 * their colours; the rest with no place and the palette colour of their
 * text. */
static bool homes_from(const vc_layout *L, const vc_render_options *ro, batch_homes *h,
                       vc_error *err)
{
    size_t np = vc_layout_placed_count(L), nd = vc_layout_dropped_count(L);
    h->v = calloc(np + nd ? np + nd : 1, sizeof *h->v);
    if (!h->v) {
        return batch_fail(err, VC_ERR_NOMEM, "--coordinate: out of memory");
    }
    for (size_t i = 0; i < np + nd; i++) {
        vc_home home = {.x = -1, .y = -1, .color = VC_HOME_NO_COLOR};
        const char *text = NULL;
        vc_placed p;
        vc_dropped d;
        if (i < np && vc_layout_placed(L, i, &p)) {
            text = p.text;
            home.x = (p.bbox[0] + p.bbox[2]) / 2 / ro->width;
            home.y = (p.bbox[1] + p.bbox[3]) / 2 / ro->height;
            home.color = p.color;
        } else if (i >= np && vc_layout_dropped(L, i - np, &d)) {
            text = d.text;
        }
        if (!text || !(home.text = strdup(text))) {
            batch_homes_free(h);
            return batch_fail(err, VC_ERR_NOMEM, "--coordinate: out of memory");
        }
        h->v[h->n++] = home;
    }
    qsort(h->v, h->n, sizeof *h->v, home_cmp);
    return true;
}

bool batch_homes_make(const cli_opts *o, const batch_events *ev, batch_homes *out,
                      vc_error *err)
{
    memset(out, 0, sizeof *out);
    vc_words *words = union_words(ev, err);
    if (!words) {
        return false;
    }
    vc_render_options ro = o->render;
    /* As the events are laid out (batch-run.c), so normalised places mean
     * the same on every canvas. */
    ro.legend = ro.legend || o->same_scale;
    ro.same_scale = 0;
    vc_context *ctx = vc_context_new(err);
    vc_layout *L = ctx ? vc_layout_new(ctx, words, &ro, err) : NULL;
    bool ok = L && homes_from(L, &ro, out, err);
    vc_layout_free(L);
    vc_context_free(ctx);
    vc_words_free(words);
    return ok;
}

void batch_homes_free(batch_homes *h)
{
    for (size_t i = 0; h && i < h->n; i++) {
        free((char *)(uintptr_t)h->v[i].text);
    }
    if (h) {
        free(h->v);
        memset(h, 0, sizeof *h);
    }
}
