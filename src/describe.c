/* describe.c - plain-language alt text and provenance.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

char *vc_layout_alt_text(const vc_layout *layout) { VC_UNUSED(layout); return NULL; }
char *vc_layout_provenance(const vc_layout *layout) { VC_UNUSED(layout); return NULL; }
