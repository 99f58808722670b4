/* describe.h - private to describe.c, the renderers and tests: the two
 * lines of the --legend band (see the proposal in the a11y report). */
#ifndef VC_DESCRIBE_H
#define VC_DESCRIBE_H

#include "internal.h"

/* "Text size shows votes: prevention = 210 votes" (the biggest drawn
 * word; sqrt and log sizing say so).  NULL when nothing is drawn or out of
 * memory.  Caller frees. */
char *vc_layout_legend_key(const vc_layout *layout);
/* "545 responses · 48 words (6 too small to show)".  Caller frees. */
char *vc_layout_legend_caption(const vc_layout *layout);

#endif
