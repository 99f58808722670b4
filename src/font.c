/* font.c - the context, font files and the fallback chain.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

vc_context *vc_context_new(vc_error *err) { vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); return NULL; }
void vc_context_free(vc_context *ctx) { VC_UNUSED(ctx); }
vc_font *vc_context_font(vc_context *ctx, const char *path, vc_error *err) { VC_UNUSED(ctx); VC_UNUSED(path); vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); return NULL; }
bool vc_fontset_init(vc_context *ctx, vc_fontset *set, const char *font, const char *font_dir, vc_error *err) { VC_UNUSED(ctx); VC_UNUSED(set); VC_UNUSED(font); VC_UNUSED(font_dir); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
void vc_fontset_finish(vc_fontset *set) { VC_UNUSED(set); }
vc_font *vc_fontset_font_for(vc_context *ctx, vc_fontset *set, uint32_t cp) { VC_UNUSED(ctx); VC_UNUSED(set); VC_UNUSED(cp); return NULL; }
