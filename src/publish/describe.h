/* publish/describe.h - words about a layout that the renderers record in
 * their files' metadata (the alt text is public: vc_layout_alt_text). */
#ifndef VC_DESCRIBE_H
#define VC_DESCRIBE_H

#include "layout/layout.h"

/* The provenance string recorded in PNG and SVG metadata. */
char *vc_layout_provenance(const vc_layout *layout);

#endif
