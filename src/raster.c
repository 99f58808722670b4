/* raster.c - glyph run -> ink coverage bitmap.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_rasterise(const vc_shaped *shaped, double font_size, double rotation_deg, vc_ink *out, vc_error *err) { VC_UNUSED(shaped); VC_UNUSED(font_size); VC_UNUSED(rotation_deg); VC_UNUSED(out); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
void vc_ink_finish(vc_ink *ink) { VC_UNUSED(ink); }
