/* palette.c - colours, named palettes and WCAG contrast.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_color_parse(const char *s, uint32_t *out) { VC_UNUSED(s); *out = 0; return false; }
bool vc_palette_parse(const char *spec, uint32_t *colors, size_t max, size_t *n, vc_error *err) { VC_UNUSED(spec); VC_UNUSED(colors); VC_UNUSED(max); *n = 0; return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
double vc_contrast_ratio(uint32_t a, uint32_t b) { VC_UNUSED(a); VC_UNUSED(b); return 1.0; }
uint32_t vc_contrast_adjust(uint32_t c, uint32_t bg, double ratio) { VC_UNUSED(bg); VC_UNUSED(ratio); return c; }
