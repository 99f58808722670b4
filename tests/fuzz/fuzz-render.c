/* fuzz-render.c - a whole render from fuzzed bytes: counts input, a small
 * canvas, every renderer into memory.  The first byte picks layout options.
 * One context is kept for the process: fontconfig start-up per input would
 * make the target too slow to be useful. */
#include "fuzz.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_FONT_DIR
#define FUZZ_FONT_DIR NULL
#endif

static vc_context *shared_ctx;

static void render_to_memory(const vc_layout *layout,
                             bool (*fn)(const vc_layout *, FILE *, vc_error *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp) {
        return;
    }
    vc_error err = {0};
    if (!fn(layout, fp, &err) && err.message[0] == '\0') {
        __builtin_trap();
    }
    fclose(fp);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    unsigned sel = data[0] | (unsigned)data[1] << 8;
    vc_error err = {0};
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = VC_FORMAT_COUNTS;
    co.max_entries = 1000;
    vc_counter *counter = vc_counter_new(&co, &err);
    vc_words *words = NULL;
    vc_layout *layout = NULL;
    if (!counter || !vc_counter_add_buffer(counter, "fuzz.tsv", data + 2,
                                           size - 2, &err)) {
        goto done;
    }
    words = vc_counter_words(counter, NULL, &err);
    if (!words) {
        goto done;
    }
    if (!shared_ctx && !(shared_ctx = vc_context_new(&err))) {
        goto done;
    }
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 120;
    ro.height = 80;
    ro.max_words = 20;
    ro.font_dir = FUZZ_FONT_DIR;
    ro.sizing = (vc_sizing)(sel % 3);
    ro.rotate = (vc_rotate)((sel >> 2) % 4); /* none, mixed, list, auto */
    if (ro.rotate == VC_ROTATE_LIST) {
        ro.angles[0] = 0;
        ro.angles[1] = -45;
        ro.angles[2] = 90;
        ro.n_angles = 3;
    }
    ro.shape = (sel & 16) ? VC_SHAPE_ELLIPSE : VC_SHAPE_RECTANGLE;
    ro.spiral = (sel & 32) ? VC_SPIRAL_RECTANGULAR : VC_SPIRAL_ARCHIMEDEAN;
    ro.color_by = (vc_color_by)((sel >> 6) % 3);
    ro.legend = (sel & 256) != 0;
    ro.background = (sel & 512) ? "transparent" : NULL;
    ro.seed = sel >> 10;
    if (sel & 0x8000) {
        ro.fit = VC_FIT_NONE;
        ro.max_font_size = 30;
    }
    layout = vc_layout_new(shared_ctx, words, &ro, &err);
    if (!layout) {
        goto done;
    }
    render_to_memory(layout, vc_render_png);
    render_to_memory(layout, vc_render_svg);
    render_to_memory(layout, vc_render_json);
    if (sel & 0x4000) {
        render_to_memory(layout, vc_render_pdf);
    }
    free(vc_layout_alt_text(layout));
done:
    vc_layout_free(layout);
    vc_words_free(words);
    vc_counter_free(counter);
    return 0;
}
