/* test-occupancy.c - the layout's bit-level machinery against brute force:
 * word masks from ink, collision at every shift 0..63 and at the canvas's
 * edges, growth by the padding with clipping, shapes, the spiral's reach,
 * and PNG masks of every colour type. */
#include "layout/occupancy.h"
#include "tap.h"

#include <png.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* A synthetic ink: random pixels inside a w x h box, with empty margins
 * around it so trimming is exercised. */
static void make_ink(vc_rng *rng, int w, int h, double density, vc_ink *ink)
{
    ink->x0 = -3;
    ink->y0 = -h - 2;
    ink->w = w + 5;
    ink->h = h + 4;
    ink->stride = ink->w + 3;
    ink->alpha = calloc((size_t)ink->h, (size_t)ink->stride);
    for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++) {
            if (vc_rng_double(rng) < density) {
                ink->alpha[(size_t)(j + 2) * (size_t)ink->stride + (size_t)(i + 2)] =
                    (uint8_t)(1 + vc_rng_next(rng) % 255);
            }
        }
    }
    /* Corners set so the trimmed box is exactly w x h. */
    ink->alpha[(size_t)2 * (size_t)ink->stride + 2] = 7;
    ink->alpha[(size_t)(h + 1) * (size_t)ink->stride + (size_t)(w + 1)] = 9;
}

static bool ink_at(const vc_ink *ink, int i, int j)
{
    return ink->alpha[(size_t)j * (size_t)ink->stride + (size_t)i] != 0;
}

static void test_sprite(void)
{
    vc_rng rng;
    vc_rng_seed(&rng, 7);
    vc_ink ink;
    make_ink(&rng, 70, 9, 0.3, &ink);
    vc_sprite s;
    vc_error err = {0};
    TAP_OK(vc_sprite_from_ink(&ink, &s, &err), "sprite from ink");
    TAP_OK(s.w == 70 && s.h == 9 && s.x0 == -1 && s.y0 == -9 && s.nw == 2,
           "sprite is trimmed to the ink (%dx%d at %d,%d)", s.w, s.h, s.x0, s.y0);
    bool same = true;
    for (int j = 0; j < s.h; j++) {
        for (int i = 0; i < s.w; i++) {
            bool bit = (s.bits[(size_t)j * s.nw + (size_t)(i >> 6)] >> (i & 63)) & 1u;
            same = same && bit == ink_at(&ink, i + 2, j + 2);
        }
    }
    TAP_OK(same, "every bit equals alpha > 0");
    TAP_OK((s.bits[(size_t)s.ay * s.nw + (size_t)(s.ax >> 6)] >> (s.ax & 63)) & 1u,
           "the anchor is an ink pixel");
    vc_sprite_finish(&s);
    free(ink.alpha);

    vc_ink empty = {.x0 = 0, .y0 = 0, .w = 4, .h = 4, .stride = 4};
    empty.alpha = calloc(16, 1);
    TAP_OK(vc_sprite_from_ink(&empty, &s, &err) && s.h == 0 && s.w == 0,
           "an ink without any coverage gives an empty sprite");
    vc_sprite_finish(&s);
    free(empty.alpha);
}

/* Brute force: does the sprite at (x, y) touch a taken pixel? */
static bool slow_collides(const vc_occupancy *occ, const vc_sprite *s, int x, int y)
{
    for (int j = 0; j < s->h; j++) {
        for (int i = 0; i < s->w; i++) {
            bool bit = (s->bits[(size_t)j * s->nw + (size_t)(i >> 6)] >> (i & 63)) & 1u;
            if (bit && vc_occupancy_get(occ, x + i, y + j)) {
                return true;
            }
        }
    }
    return false;
}

static void test_collision_every_shift(void)
{
    vc_rng rng;
    vc_rng_seed(&rng, 11);
    int widths[] = {130, 200, 64, 257};
    size_t mismatches = 0, tested = 0, hits = 0;
    bool shifts[64] = {false};
    for (size_t c = 0; c < sizeof widths / sizeof widths[0]; c++) {
        int cw = widths[c], ch = 24;
        vc_occupancy occ;
        vc_error err = {0};
        vc_occupancy_init(&occ, cw, ch, &err);
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                if (vc_rng_double(&rng) < 0.01) {
                    vc_occupancy_set(&occ, x, y);
                }
            }
        }
        int sw[] = {1, 5, 63, 64, 65, 70};
        for (size_t k = 0; k < sizeof sw / sizeof sw[0]; k++) {
            if (sw[k] > cw) {
                continue;
            }
            vc_ink ink;
            make_ink(&rng, sw[k], 6, 0.25, &ink);
            vc_sprite s;
            vc_sprite_from_ink(&ink, &s, &err);
            for (int y = 0; y + s.h <= ch; y++) {
                for (int x = 0; x + s.w <= cw; x++) {
                    bool fast = vc_occupancy_collides(&occ, &s, x, y);
                    bool slow = slow_collides(&occ, &s, x, y);
                    mismatches += fast != slow;
                    hits += slow;
                    tested++;
                    shifts[x & 63] = true;
                }
            }
            vc_sprite_finish(&s);
            free(ink.alpha);
        }
        vc_occupancy_finish(&occ);
    }
    bool all_shifts = true;
    for (int i = 0; i < 64; i++) {
        all_shifts = all_shifts && shifts[i];
    }
    TAP_OK(all_shifts, "positions at every shift 0..63 were tested");
    TAP_OK(hits > 100 && hits < tested, "both hits and misses occur (%zu of %zu)", hits, tested);
    TAP_OK(mismatches == 0, "64-bit collision equals brute force at %zu positions (%zu differ)",
           tested, mismatches);
}

/* Adds sprites grown by the padding (sideways pad_x, up and down pad_y)
 * and compares with a brute-force rectangular dilation, including sprites
 * touching every edge (clipping). */
static void test_dilation(void)
{
    vc_rng rng;
    vc_rng_seed(&rng, 5);
    size_t bad = 0, cases = 0;
    static const int pads[][2] = {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4},
                                  {3, 1}, {12, 4}, {40, 2}, {70, 6},
                                  {0, 9}, {5, 20}, {129, 1}};
    for (size_t q = 0; q < sizeof pads / sizeof pads[0]; q++) {
        int pad_x = pads[q][0], pad = pads[q][1];
        int cw = 150, ch = 40;
        int xs[] = {0, 1, 40, 63, 64, 150 - 70, 150 - 66};
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
            vc_occupancy occ;
            vc_error err = {0};
            vc_occupancy_init(&occ, cw, ch, &err);
            vc_ink ink;
            make_ink(&rng, 66, 7, 0.2, &ink);
            vc_sprite s;
            vc_sprite_from_ink(&ink, &s, &err);
            int x = xs[k], y = (int)(k % 3 == 0 ? 0 : k % 3 == 1 ? ch - s.h : 10);
            uint64_t *scratch = calloc(vc_occupancy_scratch_words(&s, pad_x), sizeof *scratch);
            vc_occupancy_add(&occ, &s, x, y, pad_x, pad, scratch);
            free(scratch);
            for (int py = 0; py < ch; py++) {
                for (int px = 0; px < cw; px++) {
                    bool want = false;
                    for (int j = 0; j < s.h && !want; j++) {
                        for (int i = 0; i < s.w && !want; i++) {
                            bool bit = (s.bits[(size_t)j * s.nw + (size_t)(i >> 6)] >> (i & 63)) & 1u;
                            want = bit && abs(x + i - px) <= pad_x && abs(y + j - py) <= pad;
                        }
                    }
                    bad += want != vc_occupancy_get(&occ, px, py);
                }
            }
            cases++;
            vc_sprite_finish(&s);
            free(ink.alpha);
            vc_occupancy_finish(&occ);
        }
    }
    TAP_OK(bad == 0, "growth by padding (square 0..4, wider sideways up to 129x1, taller up to 5x20) equals "
           "brute-force dilation, clipped at the edges (%zu cases, %zu pixels differ)", cases, bad);
}

static void test_shapes(void)
{
    vc_occupancy occ;
    vc_error err = {0};
    vc_occupancy_init(&occ, 101, 51, &err);
    vc_occupancy_reset(&occ, VC_SHAPE_ELLIPSE, NULL);
    TAP_OK(vc_occupancy_get(&occ, 0, 0) && vc_occupancy_get(&occ, 100, 50) &&
           !vc_occupancy_get(&occ, 50, 25) && !vc_occupancy_get(&occ, 2, 25) &&
           vc_occupancy_get(&occ, 50, 0) == false,
           "ellipse: corners taken, centre and the ends of the axes free");
    vc_occupancy_reset(&occ, VC_SHAPE_RECTANGLE, NULL);
    TAP_OK(!vc_occupancy_get(&occ, 0, 0) && !vc_occupancy_get(&occ, 100, 50),
           "rectangle: corners free");
    vc_mask m = {.w = 101, .h = 51};
    m.inside = calloc(101 * 51, 1);
    m.inside[7 * 101 + 9] = 1;
    vc_occupancy_reset(&occ, VC_SHAPE_RECTANGLE, &m);
    TAP_OK(!vc_occupancy_get(&occ, 9, 7) && vc_occupancy_get(&occ, 10, 7),
           "mask: only inside pixels are free");
    free(m.inside);
    vc_occupancy_finish(&occ);
}

/* A spiral `c` times as coarse as the finest passes near every pixel and
 * has about 1 / c^2 as many points; so does one flattened (the auto fit's
 * variants), on a landscape and a portrait canvas. */
static void test_spiral(vc_spiral kind, const char *name, int c, double flatten, bool portrait,
                        size_t *n_out)
{
    int w = portrait ? 120 : 300, h = portrait ? 300 : 120;
    vc_spiral_walk sp;
    vc_error err = {0};
    TAP_OK(vc_spiral_init(&sp, w, h, kind, c, 3, flatten, &err),
           "%s spiral x%d, flattened %g, %dx%d starts", name, c, flatten, w, h);
    bool nomem = false;
    size_t i = vc_spiral_find(&sp, 0, &nomem);
    int x0 = sp.pt[i].x, y0 = sp.pt[i].y;
    TAP_OK(abs(x0 - w / 2) <= 2 && abs(y0 - h / 2) <= 2, "%s spiral starts at the centre (%d,%d)",
           name, x0, y0);
    uint8_t *near = calloc((size_t)w * (size_t)h, 1);
    size_t n = 0;
    /* The finest reaches every pixel within 2 px; a coarse one within a
     * turn (3 c) at the edges, still under a quarter of the smaller side
     * of the words that walk it. */
    int reach = c == 1 ? 2 : 3 * c;
    size_t outside = 0;
    for (; i != SIZE_MAX; i = vc_spiral_find(&sp, i + 1, &nomem)) {
        int x = sp.pt[i].x, y = sp.pt[i].y;
        if (x < 0 || y < 0 || x >= w || y >= h) {
            outside++;
            continue;
        }
        for (int dy = -reach; dy <= reach; dy++) {
            for (int dx = -reach; dx <= reach; dx++) {
                if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) {
                    near[(size_t)(y + dy) * (size_t)w + (size_t)(x + dx)] = 1;
                }
            }
        }
        n++;
    }
    size_t missed = 0;
    for (size_t k = 0; k < (size_t)w * (size_t)h; k++) {
        missed += !near[k];
    }
    TAP_OK(!nomem && sp.done && n > 1000 / (size_t)(c * c), "%s spiral x%d ends after leaving the canvas (%zu points)",
           name, c, n);
    TAP_OK(missed == 0, "%s spiral x%d passes within %d px of every pixel (%zu missed)", name, c,
           reach, missed);
    TAP_OK(outside == 0, "%s spiral x%d: every point is on the canvas (%zu not)", name, c, outside);
    *n_out = n;
    /* Killing points: the walk skips them, reviving restores them. */
    vc_spiral_kill(&sp, 0);
    vc_spiral_kill(&sp, 1);
    TAP_OK(vc_spiral_find(&sp, 0, &nomem) == 2, "%s spiral: taken points are skipped", name);
    vc_spiral_revive(&sp);
    TAP_OK(vc_spiral_find(&sp, 0, &nomem) == 0, "%s spiral: a new trial revives them", name);
    free(near);
    vc_spiral_finish(&sp);
}

/* ---- masks -------------------------------------------------------------- */

/* Writes a w x h PNG whose left half is dark (inside), right half white or
 * transparent, in the given colour type and bit depth. */
static bool write_png(const char *path, int w, int h, int color_type, int depth,
                      int interlace, bool all_white)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        return false;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        return false;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, color_type, interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[2] = {{0, 0, 0}, {255, 255, 255}};
        png_set_PLTE(png, info, pal, 2);
    }
    png_write_info(png, info);
    int channels = color_type == PNG_COLOR_TYPE_RGBA ? 4 : color_type == PNG_COLOR_TYPE_RGB ? 3
                   : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    int bytes = depth == 16 ? 2 : 1;
    png_bytep row = calloc((size_t)w * (size_t)channels * (size_t)bytes + 8, 1);
    if (depth < 8) {
        png_set_packing(png);
    }
    int passes = png_set_interlace_handling(png);
    for (int pass = 0; pass < passes; pass++) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bool inside = !all_white && x < w / 2;
                for (int c = 0; c < channels; c++) {
                    int v;
                    bool alpha = (channels == 4 && c == 3) || (channels == 2 && c == 1);
                    if (color_type == PNG_COLOR_TYPE_PALETTE) {
                        v = inside ? 0 : 1;
                    } else if (alpha) {
                        v = inside ? 255 : 0; /* outside: transparent (and black) */
                    } else if (channels >= 2 && color_type != PNG_COLOR_TYPE_RGB) {
                        v = inside ? 40 : 0;
                    } else {
                        v = inside ? (depth < 8 ? 0 : 30) : (depth < 8 ? (1 << depth) - 1 : 255);
                    }
                    size_t at = ((size_t)x * (size_t)channels + (size_t)c) * (size_t)bytes;
                    if (bytes == 2) {
                        int v16 = v * 257;
                        row[at] = (png_byte)(v16 >> 8);
                        row[at + 1] = (png_byte)(v16 & 255);
                    } else {
                        row[at] = (png_byte)v;
                    }
                }
            }
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(fp) == 0;
}

static void test_masks(const char *dir)
{
    struct {
        int type, depth, interlace;
        const char *name;
    } kinds[] = {
        {PNG_COLOR_TYPE_GRAY, 8, PNG_INTERLACE_NONE, "grey 8-bit"},
        {PNG_COLOR_TYPE_GRAY, 1, PNG_INTERLACE_NONE, "grey 1-bit"},
        {PNG_COLOR_TYPE_GRAY, 16, PNG_INTERLACE_ADAM7, "grey 16-bit interlaced"},
        {PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, "RGB"},
        {PNG_COLOR_TYPE_RGB, 16, PNG_INTERLACE_NONE, "RGB 16-bit"},
        {PNG_COLOR_TYPE_RGBA, 8, PNG_INTERLACE_ADAM7, "RGBA interlaced (transparent outside)"},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 8, PNG_INTERLACE_NONE, "grey+alpha"},
        {PNG_COLOR_TYPE_PALETTE, 1, PNG_INTERLACE_NONE, "palette 1-bit"},
        {PNG_COLOR_TYPE_PALETTE, 8, PNG_INTERLACE_ADAM7, "palette interlaced"},
    };
    char path[512];
    snprintf(path, sizeof path, "%s/mask.png", dir);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        bool wrote = write_png(path, 40, 20, kinds[k].type, kinds[k].depth, kinds[k].interlace, false);
        vc_mask m;
        vc_error err = {0};
        bool ok = wrote && vc_mask_load(path, 80, 30, 1000000, &m, &err);
        bool right = ok;
        for (int y = 0; ok && y < 30; y++) {
            for (int x = 0; x < 80; x++) {
                right = right && m.inside[(size_t)y * 80 + (size_t)x] == (x < 40);
            }
        }
        TAP_OK(right, "mask %s: left half inside, scaled to the canvas%s%s", kinds[k].name,
               ok ? "" : ": ", ok ? "" : err.message);
        vc_mask_finish(&m);
    }
    vc_mask m;
    vc_error err = {0};
    write_png(path, 10, 10, PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, true);
    TAP_OK(!vc_mask_load(path, 50, 50, 1000000, &m, &err) && err.status == VC_ERR_DATA &&
           strstr(err.message, "no drawable area"), "an all-white mask is refused: %s", err.message);

    /* Truncated: the first 60 bytes of a good PNG. */
    write_png(path, 40, 20, PNG_COLOR_TYPE_RGB, 8, PNG_INTERLACE_NONE, false);
    truncate(path, 60);
    vc_error_clear(&err);
    TAP_OK(!vc_mask_load(path, 50, 50, 1000000, &m, &err) && err.status == VC_ERR_DATA &&
           strstr(err.message, path), "a truncated mask is refused naming the file: %s", err.message);

    /* Not a PNG at all. */
    FILE *fp = fopen(path, "wb");
    fputs("word,count\nhello,3\n", fp);
    fclose(fp);
    vc_error_clear(&err);
    TAP_OK(!vc_mask_load(path, 50, 50, 1000000, &m, &err) && strstr(err.message, "not a PNG"),
           "text given as a mask is refused: %s", err.message);

    /* A decompression bomb: a header claiming 50000 x 50000 and no data.
     * The limit must be reported, not a decoding error. */
    fp = fopen(path, "wb");
    static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    unsigned char ihdr[17] = {'I', 'H', 'D', 'R', 0, 0, 0xc3, 0x50, 0, 0, 0xc3, 0x50, 8, 2, 0, 0, 0};
    uLong crc = crc32(0, ihdr, 17);
    unsigned char len[4] = {0, 0, 0, 13};
    unsigned char crcb[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                             (unsigned char)(crc >> 8), (unsigned char)crc};
    fwrite(sig, 1, 8, fp);
    fwrite(len, 1, 4, fp);
    fwrite(ihdr, 1, 17, fp);
    fwrite(crcb, 1, 4, fp);
    fclose(fp);
    vc_error_clear(&err);
    TAP_OK(!vc_mask_load(path, 50, 50, 100000000, &m, &err) &&
           strstr(err.message, "over the limit") && err.option == VC_OPTION_MAX_PIXELS &&
               !strstr(err.message, "--"),
           "a huge mask is refused from its header: %s", err.message);

    vc_error_clear(&err);
    snprintf(path, sizeof path, "%s/missing.png", dir);
    TAP_OK(!vc_mask_load(path, 50, 50, 1000000, &m, &err) && err.status == VC_ERR_NOINPUT,
           "a missing mask: %s", err.message);
}

/* ---- a spiral generated by two threads ---------------------------------- */

typedef struct helper {
    vc_spiral_walk *sp;
    size_t chunks;
} helper;

static void *generate_all(void *arg)
{
    helper *h = arg;
    /* Keeps up with the walker until the spiral is complete. */
    while (h->sp->shared && !atomic_load(&h->sp->gen_done)) {
        if (vc_spiral_generate_ahead(h->sp)) {
            h->chunks++;
        } else {
            sched_yield();
        }
    }
    return NULL;
}

/* Walks the whole spiral, killing every third point, and returns the
 * points found alive as y * w + x. */
static uint32_t *walk_all(vc_spiral_walk *sp, size_t *n)
{
    bool nomem = false;
    size_t cap = 1024;
    uint32_t *pts = malloc(cap * sizeof *pts);
    *n = 0;
    for (size_t i = vc_spiral_find(sp, 0, &nomem); i != SIZE_MAX;
         i = vc_spiral_find(sp, i + 1, &nomem)) {
        if (*n == cap) {
            pts = realloc(pts, (cap *= 2) * sizeof *pts);
        }
        pts[(*n)++] = sp->pt[i].y * (uint32_t)sp->w + sp->pt[i].x;
        if (i % 3 == 0) {
            vc_spiral_kill(sp, i);
        }
    }
    return nomem ? NULL : pts;
}

static void test_spiral_shared(vc_spiral kind, const char *name)
{
    vc_error err = {0};
    vc_spiral_walk alone, shared;
    bool ok = vc_spiral_init(&alone, 1300, 700, kind, 1, 9, 1, &err) &&
              vc_spiral_init(&shared, 1300, 700, kind, 1, 9, 1, &err);
    TAP_OK(ok && shared.shared, "%s spiral: arrays made full size up front (%zu points)", name,
           shared.cap);
    helper h = {&shared, 0};
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, generate_all, &h) == 0;
    size_t n1 = 0, n2 = 0;
    uint32_t *a = walk_all(&alone, &n1);
    uint32_t *b = walk_all(&shared, &n2);
    if (threaded) {
        pthread_join(t, NULL);
    }
    TAP_OK(a && b && n1 > 10000 && n1 == n2 && memcmp(a, b, n1 * sizeof *a) == 0,
           "%s spiral: walked while another thread generates it (%zu busy turns there), the same "
           "%zu points", name, h.chunks, n1);
    TAP_OK(shared.done && !vc_spiral_generate_ahead(&shared),
           "%s spiral: complete, nothing left to generate ahead", name);
    vc_spiral_revive(&shared);
    size_t n3 = 0;
    uint32_t *c = walk_all(&shared, &n3);
    TAP_OK(c && n3 == n1 && memcmp(a, c, n1 * sizeof *a) == 0,
           "%s spiral: revived, the same points again", name);
    free(a);
    free(b);
    free(c);
    vc_spiral_finish(&alone);
    vc_spiral_finish(&shared);
}

/* A spiral reseeded (the auto fit's variants) walks the points of one
 * made afresh with that seed and flattening, and back. */
static void test_spiral_reseed(vc_spiral kind, const char *name)
{
    vc_error err = {0};
    vc_spiral_walk a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    bool ok = vc_spiral_init(&a, 500, 300, kind, 2, 9, 1, &err) &&
              vc_spiral_init(&b, 500, 300, kind, 2, 11, 0.55, &err) &&
              vc_spiral_init(&c, 500, 300, kind, 2, 9, 1, &err);
    size_t na = 0, nb = 0, n1 = 0, n2 = 0;
    uint32_t *pa = ok ? walk_all(&a, &na) : NULL;
    uint32_t *pb = ok ? walk_all(&b, &nb) : NULL;
    ok = ok && vc_spiral_reseed(&c, 11, 0.55, &err);
    uint32_t *p1 = ok ? walk_all(&c, &n1) : NULL;
    ok = ok && vc_spiral_reseed(&c, 9, 1, &err);
    uint32_t *p2 = ok ? walk_all(&c, &n2) : NULL;
    TAP_OK(pa && pb && p1 && n1 == nb && memcmp(p1, pb, nb * sizeof *pb) == 0,
           "%s spiral reseeded: the points of a fresh one with that seed and flattening (%zu)",
           name, n1);
    TAP_OK(p2 && n2 == na && memcmp(p2, pa, na * sizeof *pa) == 0 && (na != nb ||
           memcmp(pa, pb, na * sizeof *pa) != 0),
           "%s spiral reseeded back: its first points again (%zu), not the other's (%zu)", name,
           n2, nb);
    free(pa);
    free(pb);
    free(p1);
    free(p2);
    vc_spiral_finish(&a);
    vc_spiral_finish(&b);
    vc_spiral_finish(&c);
}

/* A spiral given back to a cache is the one borrowed next with the same
 * making, revived; past the cache's budget the oldest go, and whatever a
 * borrow hands out walks the points of one made afresh. */
static void test_spiral_cache(void)
{
    vc_error err = {0};
    vc_spiral_cache *cache = vc_spiral_cache_new(&err);
    vc_spiral_walk *a = vc_spiral_borrow(cache, 300, 200, VC_SPIRAL_ARCHIMEDEAN, 1, 5, 1, &err);
    size_t n1 = 0, n2 = 0;
    uint32_t *p1 = a ? walk_all(a, &n1) : NULL;
    vc_spiral_give_back(cache, a);
    vc_spiral_walk *b = vc_spiral_borrow(cache, 300, 200, VC_SPIRAL_ARCHIMEDEAN, 1, 5, 1, &err);
    if (b) {
        vc_spiral_revive(b);
    }
    uint32_t *p2 = b ? walk_all(b, &n2) : NULL;
    TAP_OK(cache && a && b == a && b->gen_n > 0 && p1 && p2 && n1 == n2 && memcmp(p1, p2, n1 * sizeof *p1) == 0,
           "spiral cache: the spiral given back is borrowed again, its %zu points as walked "
           "before", n2);
    vc_spiral_give_back(cache, b);
    vc_spiral_walk *c = vc_spiral_borrow(cache, 300, 200, VC_SPIRAL_ARCHIMEDEAN, 1, 6, 1, &err);
    TAP_OK(c && c != a, "spiral cache: another seed is another spiral");
    vc_spiral_give_back(NULL, c); /* no cache: freed */
    free(p1);
    free(p2);

    /* Twelve spirals of about 1.4 MB each, made in full: more than the
     * cache keeps. */
    enum { N = 12 };
    size_t made[N], made_n[N], kept = 0, fresh_points = 0;
    bool all_fresh = true;
    for (uint64_t k = 0; k < N; k++) {
        vc_spiral_walk *sp = vc_spiral_borrow(cache, 1000, 1000, VC_SPIRAL_ARCHIMEDEAN, 1, 100 + k,
                                              1, &err);
        uint32_t *p = sp ? walk_all(sp, &made[k]) : NULL;
        free(p);
        made_n[k] = sp ? sp->gen_n : 0;
        vc_spiral_give_back(cache, sp);
    }
    for (uint64_t k = N; k-- > 0;) {
        vc_spiral_walk *sp = vc_spiral_borrow(cache, 1000, 1000, VC_SPIRAL_ARCHIMEDEAN, 1, 100 + k,
                                              1, &err);
        vc_spiral_walk alone;
        memset(&alone, 0, sizeof alone);
        size_t n = 0, m = 0;
        if (sp) {
            /* Kept: its points are made; remade or new: none yet. */
            kept += sp->gen_n == made_n[k];
            vc_spiral_revive(sp);
        }
        uint32_t *p = sp ? walk_all(sp, &n) : NULL;
        bool made_alone =
            vc_spiral_init(&alone, 1000, 1000, VC_SPIRAL_ARCHIMEDEAN, 1, 100 + k, 1, &err);
        uint32_t *q = made_alone ? walk_all(&alone, &m) : NULL;
        all_fresh = all_fresh && p && q && n == m && n == made[k] &&
                    memcmp(p, q, n * sizeof *p) == 0;
        fresh_points += n;
        free(p);
        free(q);
        vc_spiral_finish(&alone);
        vc_spiral_give_back(cache, sp);
    }
    TAP_OK(kept >= 4 && kept < N, "spiral cache: %zu of %d full spirals of 1000x1000 kept "
           "within its budget", kept, N);
    TAP_OK(all_fresh, "spiral cache: each borrowed, kept or remade, walks the points of a "
           "fresh one (%zu points)", fresh_points);
    vc_spiral_cache_free(cache);
}

int main(void)
{
    test_spiral_cache();
    test_sprite();
    test_collision_every_shift();
    test_dilation();
    test_shapes();
    for (int kind = 0; kind < 2; kind++) {
        const char *name = kind ? "rectangular" : "archimedean";
        size_t n1 = 0, n2 = 0, n4 = 0;
        test_spiral((vc_spiral)kind, name, 1, 1, false, &n1);
        test_spiral((vc_spiral)kind, name, 2, 1, false, &n2);
        test_spiral((vc_spiral)kind, name, 4, 1, false, &n4);
        TAP_OK(n2 * 3 < n1 && n4 * 3 < n2, "%s: coarser spirals have far fewer points (%zu %zu %zu)",
               name, n1, n2, n4);
        size_t nf = 0;
        test_spiral((vc_spiral)kind, name, 1, 0.4, false, &nf);
        test_spiral((vc_spiral)kind, name, 1, 0.4, true, &nf);
        test_spiral((vc_spiral)kind, name, 2, 0.7, true, &nf);
        test_spiral_shared((vc_spiral)kind, name);
        test_spiral_reseed((vc_spiral)kind, name);
    }
    char dir[] = "/tmp/vc-occupancy-XXXXXX";
    if (mkdtemp(dir)) {
        test_masks(dir);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            printf("# could not remove %s\n", dir);
        }
    }
    return tap_done();
}
