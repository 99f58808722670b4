/* input-text.c - reader for free text: Unicode word boundaries (UAX #29
 * style, on utf8proc's general categories) tailored for how people write
 * answers, so "A&E", "COVID-19", "person-centred", "don't", "well‑being"
 * and Bengali or Arabic words (with their combining marks) stay whole.
 * Streams line by line: memory does not grow with the size of the text. */
#include "input/input.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

enum {
    BRK,     /* ends a word */
    LET,     /* letters: a word with one is not a number */
    DIG,     /* digits */
    EXT,     /* marks and format characters (ZWJ, ZWNJ): inside a word */
    JOIN,    /* apostrophes, hyphens, '&': between two word characters */
    NUMJOIN  /* '.' and ',': only between two digits (3.5, 1,000) */
};

static int classify(int32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            return LET;
        }
        if (c >= '0' && c <= '9') {
            return DIG;
        }
        if (c == '\'' || c == '-' || c == '&') {
            return JOIN;
        }
        return c == '.' || c == ',' ? NUMJOIN : BRK;
    }
    /* Apostrophes (right single quote, modifier letter apostrophe) and
     * hyphens (U+2010, non-breaking U+2011), Catalan middle dot. */
    if (c == 0x2019 || c == 0x02BC || c == 0x2010 || c == 0x2011 ||
        c == 0x00B7 || c == 0xFF06) {
        return JOIN;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_PC:
        return LET;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return DIG;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
        return EXT;
    default:
        return BRK;
    }
}

/* The code point at s[i] (valid UTF-8) and its length. */
static size_t decode(const char *s, size_t len, size_t i, int32_t *c)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *c = b;
        return 1;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
        *c = 0xFFFD;
        return 1;
    }
    *c = cp;
    return (size_t)k;
}

bool vc_tokenize(const char *line, size_t len, bool numbers, vc_token_fn fn,
                 void *data, vc_error *err)
{
    size_t i = 0, start = SIZE_MAX, end = 0;
    bool letter = false;
    int last = BRK; /* the last letter or digit class in the word */
    while (i < len) {
        int32_t c;
        size_t k = decode(line, len, i, &c);
        int cls = classify(c);
        if (start == SIZE_MAX) {
            if (cls == LET || cls == DIG) {
                start = i;
                end = i + k;
                letter = cls == LET;
                last = cls;
            }
            i += k;
            continue;
        }
        if (cls == LET || cls == DIG || cls == EXT) {
            end = i + k;
            letter |= cls == LET;
            last = cls == EXT ? last : cls;
            i += k;
            continue;
        }
        if ((cls == JOIN || cls == NUMJOIN) && i + k < len) {
            int32_t next;
            size_t nk = decode(line, len, i + k, &next);
            int ncls = classify(next);
            bool joins = cls == JOIN ? (ncls == LET || ncls == DIG)
                                     : (last == DIG && ncls == DIG);
            if (joins) {
                end = i + k + nk;
                letter |= ncls == LET;
                last = ncls;
                i += k + nk;
                continue;
            }
        }
        if ((letter || numbers) && !fn(data, line + start, end - start, err)) {
            return false;
        }
        start = SIZE_MAX;
        i += k;
    }
    if (start != SIZE_MAX && (letter || numbers)) {
        return fn(data, line + start, end - start, err);
    }
    return true;
}

static bool on_token(void *data, const char *tok, size_t len, vc_error *err)
{
    return vc_sink_add_token(data, tok, len, err);
}

bool vc_read_text(vc_sink *in, vc_lines *r, vc_error *err)
{
    bool numbers = in->opts->include_numbers;
    const char *line;
    size_t len;
    bool nl;
    while (vc_lines_next(r, &line, &len, &nl, err)) {
        if (!line) {
            return true;
        }
        if (!vc_tokenize(line, len, numbers, on_token, in, err)) {
            return false;
        }
    }
    return false;
}
