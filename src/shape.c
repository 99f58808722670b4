/* shape.c - HarfBuzz shaping: word -> glyph run.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_shape_word(vc_context *ctx, vc_fontset *set, const char *text, vc_shaped *out, vc_error *err) { VC_UNUSED(ctx); VC_UNUSED(set); VC_UNUSED(text); VC_UNUSED(out); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
void vc_shaped_finish(vc_shaped *shaped) { VC_UNUSED(shaped); }
