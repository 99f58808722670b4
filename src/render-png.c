/* render-png.c - PNG output through libpng.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_render_png(const vc_layout *layout, FILE *fp, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(fp); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
