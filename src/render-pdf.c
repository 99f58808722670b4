/* render-pdf.c - PDF output through cairo.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_render_pdf(const vc_layout *layout, FILE *fp, vc_error *err) { VC_UNUSED(layout); VC_UNUSED(fp); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
