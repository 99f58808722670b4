/* input-survey.c - reader for RFC 4180 survey exports.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef int vc_placeholder_input_survey;
