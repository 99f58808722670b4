/* mask.c - PNG shape masks.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool vc_mask_load(const char *path, int width, int height, uint64_t max_pixels, vc_mask *out, vc_error *err) { VC_UNUSED(path); VC_UNUSED(width); VC_UNUSED(height); VC_UNUSED(max_pixels); VC_UNUSED(out); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
void vc_mask_finish(vc_mask *mask) { VC_UNUSED(mask); }
