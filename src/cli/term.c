/* term.c - the one place the CLI writes a message to the terminal.  Data in
 * messages (file names, words, event names) can hold ESC, BEL, bidi
 * overrides or invalid UTF-8: they are shown escaped ("\x1b", "\u202e"),
 * never sent raw, so a file name cannot rewrite the user's terminal. */
#include "cli.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Code points a terminal acts on rather than shows. */
static bool is_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF;
}

void cli_put_escaped(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        size_t len = k > 0 ? (size_t)k : 0;
        if (len == 0) {
            fprintf(f, "\\x%02x", s[i]);
            i++;
        } else if (is_unsafe(cp)) {
            if (cp < 0x100) {
                fprintf(f, "\\x%02x", (unsigned)cp);
            } else {
                fprintf(f, "\\u%04x", (unsigned)cp);
            }
            i += len;
        } else {
            fwrite(s + i, 1, len, f);
            i += len;
        }
    }
}

static _Thread_local const char *context;

void cli_set_context(const char *where)
{
    context = where;
}

void cli_vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
    char small[512];
    va_list copy;
    va_copy(copy, ap);
    int need = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    char *text = small;
    if (need >= (int)sizeof small) {
        text = malloc((size_t)need + 1);
        if (text) {
            vsnprintf(text, (size_t)need + 1, fmt, ap);
        } else {
            text = small; /* truncated beats nothing */
        }
    }
    fputs(prefix, f);
    if (context) {
        cli_put_escaped(f, context);
        fputs(": ", f);
    }
    cli_put_escaped(f, need < 0 ? "(unprintable message)" : text);
    fputc('\n', f);
    if (text != small) {
        free(text);
    }
}

void cli_print(FILE *f, const char *prefix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vprint(f, prefix, fmt, ap);
    va_end(ap);
}
