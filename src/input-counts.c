/* input-counts.c - reader for word<TAB or comma>count files.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef int vc_placeholder_input_counts;
