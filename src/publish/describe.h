/* publish/describe.h - words about a layout that the layout stage and the
 * renderers need: the two lines of the --legend band (see the proposal in
 * the a11y report) and the provenance recorded in file metadata. */
#ifndef VC_DESCRIBE_H
#define VC_DESCRIBE_H

#include "layout/layout.h"

/* "Text size shows votes: prevention = 210 votes" (the biggest drawn
 * word; sqrt and log sizing say so).  NULL when nothing is drawn or out of
 * memory.  Caller frees. */
char *vc_layout_legend_key(const vc_layout *layout);
/* "545 responses · 48 words (6 too small to show)".  Caller frees. */
char *vc_layout_legend_caption(const vc_layout *layout);

/* The provenance string recorded in PNG and SVG metadata. */
char *vc_layout_provenance(const vc_layout *layout);

#endif
