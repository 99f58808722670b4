/* output.c - writing a finished layout to a file: the format named by the
 * path's extension (PNG for a device, FIFO or /dev/stdout), rendered into
 * a temporary file (atomic.c) that replaces the old one once complete. */
#include "render/render.h"

#include <string.h>
#include <sys/stat.h>

typedef bool (*render_fn)(const vc_layout *, FILE *, vc_error *);

static bool write_with(const vc_layout *layout, const char *path, render_fn fn,
                       vc_error *err)
{
    if (!layout || !path) {
        return vc_fail(err, VC_ERR_SOFTWARE, "write: no layout or path");
    }
    vc_atomic a;
    if (!vc_atomic_open(&a, path, err)) {
        return false;
    }
    vc_error why = {0};
    if (!fn(layout, a.fp, &why)) {
        vc_atomic_abort(&a);
        /* The renderers know the stream, not its name. */
        if (why.status == VC_ERR_IO) {
            return vc_fail(err, why.status, "%s: %s", path, why.message);
        }
        return vc_fail_copy(err, &why);
    }
    return vc_atomic_commit(&a, err);
}

bool vc_layout_write_png(const vc_layout *layout, const char *path, vc_error *err)
{
    return write_with(layout, path, vc_render_png, err);
}

bool vc_layout_write_svg(const vc_layout *layout, const char *path, vc_error *err)
{
    return write_with(layout, path, vc_render_svg, err);
}

bool vc_layout_write_pdf(const vc_layout *layout, const char *path, vc_error *err)
{
    return write_with(layout, path, vc_render_pdf, err);
}

bool vc_layout_write_json(const vc_layout *layout, const char *path, vc_error *err)
{
    return write_with(layout, path, vc_render_json, err);
}

/* ASCII-only, so the locale never changes which files are accepted. */
static bool ext_is(const char *ext, const char *want)
{
    for (; *ext && *want; ext++, want++) {
        char c = *ext >= 'A' && *ext <= 'Z' ? (char)(*ext - 'A' + 'a') : *ext;
        if (c != *want) {
            return false;
        }
    }
    return *ext == '\0' && *want == '\0';
}

/* An existing file that is not a regular file or folder (a device, a
 * FIFO) or a /dev/stdout-style link: its name says nothing of a format and
 * atomic.c writes straight to it, so it gets the default format, PNG. */
static bool is_stream(const char *path)
{
    struct stat st, lst;
    if (stat(path, &st) != 0 || S_ISDIR(st.st_mode)) {
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        return true;
    }
    return lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
           (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0);
}

vc_output_format vc_output_format_for_path(const char *path)
{
    if (!path) {
        return VC_OUTPUT_UNKNOWN;
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    const char *ext = dot ? dot + 1 : "";
    if (ext_is(ext, "png")) {
        return VC_OUTPUT_PNG;
    }
    if (ext_is(ext, "svg")) {
        return VC_OUTPUT_SVG;
    }
    if (ext_is(ext, "pdf")) {
        return VC_OUTPUT_PDF;
    }
    return is_stream(path) ? VC_OUTPUT_PNG : VC_OUTPUT_UNKNOWN;
}

bool vc_layout_write(const vc_layout *layout, const char *path, vc_error *err)
{
    switch (vc_output_format_for_path(path)) {
    case VC_OUTPUT_PNG:
        return vc_layout_write_png(layout, path, err);
    case VC_OUTPUT_SVG:
        return vc_layout_write_svg(layout, path, err);
    case VC_OUTPUT_PDF:
        return vc_layout_write_pdf(layout, path, err);
    case VC_OUTPUT_UNKNOWN:
        break;
    }
    if (!path) {
        return vc_fail(err, VC_ERR_USAGE, "write: no output path");
    }
    return vc_fail(err, VC_ERR_USAGE,
                   "%s: unknown output format; use a .png, .svg or .pdf name", path);
}
