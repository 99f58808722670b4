/* normalize.c - matching keys: NFC, case folding, separators.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef int vc_placeholder_normalize;
