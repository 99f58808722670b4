/* html.h - writing server pages. */
#ifndef VC_SERVE_HTML_H
#define VC_SERVE_HTML_H

#include <stdio.h>

/* Writes `s` (NULL: nothing) as HTML text or an attribute value: & < > "
 * and ' escaped, everything else as is (the pages are UTF-8). */
void sv_html_escape(FILE *f, const char *s);

#endif
