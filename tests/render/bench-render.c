/* bench-render.c - where the time of drawing a 1,000-word 1920x1080 cloud
 * goes: shaping, rasterising, compositing and PNG encoding, SVG and PDF.
 * Words are placed on a grid (no layout engine needed), sizes follow a
 * Zipf-like vote distribution from 150 px down to 10 px.
 * Usage: bench-render [words] [repeats] [out-prefix] */
#include "render/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const stems[] = {
    "prevention", "wellbeing", "care", "community", "kindness", "respect",
    "access", "equity", "trust", "safety", "compassion", "innovation",
    "quality", "listening", "person-centred", "teamwork", "learning", "hope",
};

/* CPU time of this (single-threaded) process: steadier than the wall
 * clock on a shared machine. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double best(double a, double b)
{
    return a < b ? a : b;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    const char *prefix = argc > 3 ? argv[3] : NULL;
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    struct vc_layout layout;
    memset(&layout, 0, sizeof layout);
    layout.store = ctx ? ctx->store : NULL; /* borrowed */
    layout.width = 1920;
    layout.height = 1080;
    layout.background_rgb = 0xFFFFFF;
    layout.opts.scale = 1;
    layout.opts.dpi = 96;
    /* The renderers add their draw / encode split here. */
    vc_render_clock clock = {0};
    layout.clock = &clock;
    if (!ctx || !vc_fontset_init(ctx, &layout.fonts, NULL, VC_TEST_FONT_DIR,
                                 &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    layout.placed = calloc(n, sizeof *layout.placed);
    layout.n_placed = n;
    char text[64];
    double t_shape = 0, t_raster = 1e9;
    double t0 = cpu_now();
    for (size_t i = 0; i < n; i++) {
        vc_placed_word *pw = &layout.placed[i];
        snprintf(text, sizeof text, "%s%zu", stems[i % 18], i / 18);
        pw->text = strdup(text);
        pw->count = 1000.0 / (1 + i * 0.25);
        pw->font_size = fmax(10, 150 * pw->count / 1000.0);
        pw->x = (int)(i * 97 % 1800);
        pw->y = 20 + (int)(i * 53 % 1060);
        pw->rotation = i % 10 == 9 ? -90 : 0;
        pw->color = (uint32_t)(0x005EB8 + i * 0x010203) & 0xFFFFFF;
        if (!vc_shape_word(ctx, &layout.fonts, text, &pw->shaped, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
    }
    t_shape = cpu_now() - t0;
    if (!vc_layout_build_drawing(&layout, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    for (int r = 0; r < repeats; r++) {
        double t = cpu_now();
        for (size_t i = 0; i < n; i++) {
            vc_placed_word *pw = &layout.placed[i];
            vc_ink_finish(&pw->ink);
            vc_rasterise(&pw->shaped, pw->font_size, pw->rotation, &pw->ink,
                         &err);
        }
        t_raster = best(t_raster, cpu_now() - t);
    }
    double draw = 1e9, encode = 1e9, svg = 1e9, pdf = 1e9;
    long png_bytes = 0, svg_bytes = 0, pdf_bytes = 0;
    for (int r = 0; r < repeats; r++) {
        FILE *fp = tmpfile();
        clock = (vc_render_clock){0};
        double c0 = cpu_now();
        vc_render_png(&layout, fp, &err);
        double c1 = cpu_now();
        /* The renderer's own split (wall clock), scaled to CPU time. */
        double wall = clock.draw + clock.encode;
        double k = wall > 0 ? (c1 - c0) / wall : 1;
        draw = best(draw, clock.draw * k);
        encode = best(encode, clock.encode * k);
        png_bytes = ftell(fp);
        fclose(fp);
        fp = tmpfile();
        double t = cpu_now();
        vc_render_svg(&layout, fp, &err);
        svg = best(svg, cpu_now() - t);
        svg_bytes = ftell(fp);
        fclose(fp);
        fp = tmpfile();
        t = cpu_now();
        vc_render_pdf(&layout, fp, &err);
        pdf = best(pdf, cpu_now() - t);
        pdf_bytes = ftell(fp);
        fclose(fp);
    }
    if (err.status != VC_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("%zu words, 1920x1080, best of %d, CPU time\n", n, repeats);
    printf("shape      %7.2f ms (once)\n", t_shape * 1e3);
    printf("rasterise  %7.2f ms\n", t_raster * 1e3);
    printf("png draw   %7.2f ms\n", draw * 1e3);
    printf("png encode %7.2f ms  %ld bytes\n", encode * 1e3, png_bytes);
    printf("svg        %7.2f ms  %ld bytes\n", svg * 1e3, svg_bytes);
    printf("pdf        %7.2f ms  %ld bytes\n", pdf * 1e3, pdf_bytes);
    if (prefix) {
        char path[4096];
        snprintf(path, sizeof path, "%s.png", prefix);
        FILE *fp = fopen(path, "wb");
        vc_render_png(&layout, fp, &err);
        fclose(fp);
        snprintf(path, sizeof path, "%s.svg", prefix);
        fp = fopen(path, "wb");
        vc_render_svg(&layout, fp, &err);
        fclose(fp);
    }
    for (size_t i = 0; i < n; i++) {
        free(layout.placed[i].text);
        vc_shaped_finish(&layout.placed[i].shaped);
        vc_ink_finish(&layout.placed[i].ink);
    }
    free(layout.placed);
    free(layout.drawing.runs);
    vc_fontset_finish(&layout.fonts);
    vc_context_free(ctx);
    return 0;
}
