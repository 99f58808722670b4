/* mask.c - PNG shape masks: any PNG (palette, grey, 16-bit, interlaced,
 * with or without alpha) becomes one byte per canvas pixel, 1 = inside.
 * White or transparent pixels are outside.  The header's size is checked
 * against the pixel limit before anything is decompressed. */
#include "layout/layout.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct mask_read {
    const char *path;
    char message[256];
} mask_read;

static void on_png_error(png_structp png, png_const_charp msg)
{
    mask_read *mr = png_get_error_ptr(png);
    snprintf(mr->message, sizeof mr->message, "%s", msg ? msg : "unknown libpng error");
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    /* Warnings (a bad gamma chunk, say) do not stop a usable mask. */
    (void)png;
    (void)msg;
}

void vc_mask_finish(vc_mask *mask)
{
    if (mask) {
        free(mask->inside);
        memset(mask, 0, sizeof *mask);
    }
}

/* Outside: mostly transparent, or near white. */
static bool rgba_inside(const png_byte *p)
{
    if (p[3] < 128) {
        return false;
    }
    return !(p[0] >= 240 && p[1] >= 240 && p[2] >= 240);
}

/* Nearest-neighbour scaling of the decoded RGBA image to the canvas. */
static bool scale_to_canvas(const png_byte *rgba, uint32_t sw, uint32_t sh,
                            int width, int height, vc_mask *out)
{
    out->inside = vc_malloc2((size_t)width, (size_t)height);
    if (!out->inside) {
        return false;
    }
    out->w = width;
    out->h = height;
    for (int y = 0; y < height; y++) {
        uint32_t sy = (uint32_t)(((uint64_t)y * 2 + 1) * sh / ((uint64_t)height * 2));
        const png_byte *row = rgba + (size_t)sy * sw * 4;
        for (int x = 0; x < width; x++) {
            uint32_t sx = (uint32_t)(((uint64_t)x * 2 + 1) * sw / ((uint64_t)width * 2));
            out->inside[(size_t)y * (size_t)width + (size_t)x] = rgba_inside(row + (size_t)sx * 4);
        }
    }
    return true;
}

static bool any_inside(const vc_mask *m)
{
    size_t n = (size_t)m->w * (size_t)m->h;
    for (size_t i = 0; i < n; i++) {
        if (m->inside[i]) {
            return true;
        }
    }
    return false;
}

/* A mask needs only the pixels and their transparency: every other
 * ancillary chunk is skipped without being read into memory, since a
 * corrupt one (sPLT, text, ICC profile) can claim gigabytes and libpng
 * allocates what it claims (found by fuzzing).  Libpng handles listed
 * known chunks as unknown, and NEVER discards them. */
static void limit_chunks(png_structp png)
{
    static const png_byte skipped[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0"
                                      "pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, skipped, 17);
    png_set_chunk_malloc_max(png, (png_alloc_size_t)1 << 20);
}

/* Decodes `fp` into RGBA; the caller owns *rgba.  Kept apart from setjmp's
 * caller state so no local is clobbered by longjmp. */
static bool decode(FILE *fp, mask_read *mr, uint64_t max_pixels, png_bytep *rgba,
                   uint32_t *w, uint32_t *h, vc_error *err)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, mr, on_png_error,
                                             on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    png_bytep volatile image = NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, NULL);
        return vc_fail_nomem(err, mr->path);
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(image);
        png_destroy_read_struct(&png, &info, NULL);
        return vc_fail(err, VC_ERR_DATA, "%s: corrupt or truncated PNG: %s", mr->path,
                       mr->message);
    }
    png_init_io(png, fp);
    limit_chunks(png);
    png_read_info(png, info);
    uint32_t pw = png_get_image_width(png, info);
    uint32_t ph = png_get_image_height(png, info);
    uint64_t pixels = (uint64_t)pw * ph;
    if (pixels > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_MAX_PIXELS,
                       "%s: mask is %ux%u (%.3g megapixels), over the limit of %.3g",
                       mr->path, pw, ph, (double)pixels / 1e6, (double)max_pixels / 1e6);
    }
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != (size_t)pw * 4) {
        png_destroy_read_struct(&png, &info, NULL);
        return vc_fail(err, VC_ERR_DATA, "%s: unsupported PNG layout", mr->path);
    }
    image = vc_malloc2(rowbytes, ph);
    rows = vc_malloc2(ph, sizeof *rows);
    if (!image || !rows) {
        free(rows);
        free(image);
        png_destroy_read_struct(&png, &info, NULL);
        return vc_fail_nomem(err, mr->path);
    }
    for (uint32_t y = 0; y < ph; y++) {
        rows[y] = image + (size_t)y * rowbytes;
    }
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *rgba = image;
    *w = pw;
    *h = ph;
    return true;
}

bool vc_mask_load(const char *path, int width, int height, uint64_t max_pixels,
                  vc_mask *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    if (width <= 0 || height <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "%s: canvas %dx%d is empty", path, width, height);
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return vc_fail_errno(err, VC_ERR_NOINPUT, path, "cannot open mask", errno);
    }
    /* The size comes from IHDR, which must be the first chunk: read it
     * ourselves, so a bomb is refused before libpng decodes anything. */
    png_byte head[24];
    size_t got = fread(head, 1, sizeof head, fp);
    if (got < 8 || png_sig_cmp(head, 0, 8) != 0) {
        fclose(fp);
        return vc_fail(err, VC_ERR_DATA, "%s: not a PNG file (masks must be PNG)", path);
    }
    if (got < sizeof head || memcmp(head + 12, "IHDR", 4) != 0) {
        fclose(fp);
        return vc_fail(err, VC_ERR_DATA, "%s: corrupt or truncated PNG: no IHDR header", path);
    }
    uint64_t hw = png_get_uint_32(head + 16), hh = png_get_uint_32(head + 20);
    if (hw * hh > max_pixels) {
        fclose(fp);
        return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_MAX_PIXELS,
                       "%s: mask is %llux%llu (%.3g megapixels), over the limit of %.3g",
                       path, (unsigned long long)hw, (unsigned long long)hh,
                       (double)(hw * hh) / 1e6, (double)max_pixels / 1e6);
    }
    rewind(fp);
    mask_read mr = {.path = path};
    png_bytep rgba = NULL;
    uint32_t sw = 0, sh = 0;
    bool ok = decode(fp, &mr, max_pixels, &rgba, &sw, &sh, err);
    fclose(fp);
    if (!ok) {
        return false;
    }
    ok = scale_to_canvas(rgba, sw, sh, width, height, out);
    free(rgba);
    if (!ok) {
        vc_mask_finish(out);
        return vc_fail_nomem(err, path);
    }
    if (!any_inside(out)) {
        vc_mask_finish(out);
        return vc_fail(err, VC_ERR_DATA,
                       "%s: mask has no drawable area (every pixel is white or transparent)",
                       path);
    }
    return true;
}
