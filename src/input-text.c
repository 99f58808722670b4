/* input-text.c - reader for free text (Unicode word rules).
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef int vc_placeholder_input_text;
