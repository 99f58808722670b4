/* layout.c - sizing search and spiral placement.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void vc_render_options_init(vc_render_options *opts) { memset(opts, 0, sizeof *opts); }
vc_layout *vc_layout_new(vc_context *ctx, const vc_words *words, const vc_render_options *opts, vc_error *err) { VC_UNUSED(ctx); VC_UNUSED(words); VC_UNUSED(opts); vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); return NULL; }
void vc_layout_free(vc_layout *layout) { VC_UNUSED(layout); }
size_t vc_layout_placed_count(const vc_layout *layout) { return layout->n_placed; }
bool vc_layout_placed(const vc_layout *layout, size_t i, vc_placed *out) { VC_UNUSED(layout); VC_UNUSED(i); VC_UNUSED(out); return false; }
size_t vc_layout_dropped_count(const vc_layout *layout) { return layout->n_dropped; }
bool vc_layout_dropped(const vc_layout *layout, size_t i, vc_dropped *out) { VC_UNUSED(layout); VC_UNUSED(i); VC_UNUSED(out); return false; }
double vc_layout_scale(const vc_layout *layout) { return layout->scale; }
void vc_layout_timings(const vc_layout *layout, vc_timings *out) { *out = layout->timings; }
double vc_sizing_value(vc_sizing sizing, double count) { VC_UNUSED(sizing); return count; }
bool vc_layout_write(const vc_layout *layout, const char *path, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_layout_write_png(const vc_layout *layout, const char *path, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_layout_write_svg(const vc_layout *layout, const char *path, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_layout_write_pdf(const vc_layout *layout, const char *path, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_layout_write_json(const vc_layout *layout, const char *path, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
