/* html.c - the one HTML escaper of the server's pages (pages.c for the web
 * app, live-pages.c for the live rooms): every text from an upload, a
 * request or an answer reaches a page through it. */
#include "html.h"

void sv_html_escape(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}
