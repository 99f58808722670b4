/* normalize.c - how entries are spelled and matched: the display spelling
 * (NFC, trimmed, white space collapsed) and the matching key (case folded,
 * apostrophes straightened, separators ignored).
 *
 * Why utf8proc: NFC, full case folding and general categories need the
 * Unicode tables, which utf8proc keeps current in one small C library with
 * no locale dependence (towlower and friends depend on the C locale). */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

bool vc_norm_is_space(int32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0x2028 ||
        c == 0x2029) {
        return true;
    }
    return c > 0x7F && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static bool is_separator(int32_t c)
{
    return vc_norm_is_space(c) || c == '-' || c == '_' || c == 0x2010 ||
           c == 0x2011 || c == 0x2013 || c == 0x00AD;
}

static bool is_apostrophe(int32_t c)
{
    return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0xFF07;
}

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            return false;
        }
    }
    return true;
}

/* NFC (and case folding when `fold`) of s[0, len) into a malloc'd string. */
static char *map(const char *s, size_t len, bool fold)
{
    utf8proc_uint8_t *out = NULL;
    int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    if (fold) {
        flags |= UTF8PROC_CASEFOLD;
    }
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, &out,
                                      (utf8proc_option_t)flags);
    if (n == UTF8PROC_ERROR_NOMEM) {
        return NULL;
    }
    if (n < 0) {
        /* Inputs are validated before this point; fall back to a copy
         * rather than losing the entry. */
        return vc_strndup(s, len);
    }
    return (char *)out;
}

static bool display_ascii(const char *s, size_t len, vc_buf *out, size_t *dropped)
{
    if (!vc_grow((void **)&out->data, &out->cap, len + 1, 1)) {
        out->failed = true;
        return false;
    }
    size_t n = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
            pending_space = n > 0;
            continue;
        }
        if ((unsigned char)c < 0x20 || c == 0x7F) {
            (*dropped)++;
            continue; /* controls: invalid in XML, never drawn */
        }
        if (pending_space) {
            out->data[n++] = ' ';
            pending_space = false;
        }
        out->data[n++] = c;
    }
    out->data[n] = '\0';
    out->len = n;
    return true;
}

/* Characters no word keeps: controls and noncharacters (invalid in XML,
 * drawn with a fallback font), zero-width spaces, byte-order marks and
 * bidi controls (they split or disguise words: "kind\u200Bness"). */
static bool is_dropped(int32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200B || c == 0x2060 ||
           c == 0xFEFF || c == 0x200E || c == 0x200F || c == 0x061C ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
           (c >= 0xD800 && c <= 0xDFFF) || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFE) == 0xFFFE;
}

/* ZWJ and ZWNJ shape Indic, Arabic and emoji sequences; after Latin,
 * Greek or Cyrillic they only hide a split word. */
static bool joiner_needed(int32_t c, int32_t prev)
{
    return (c == 0x200C || c == 0x200D) && prev > 0x052F;
}

static bool is_mark(int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME;
}

bool vc_norm_display(const char *s, size_t len, vc_buf *out)
{
    size_t unused = 0;
    return vc_norm_display_counted(s, len, out, &unused);
}

bool vc_norm_display_counted(const char *s, size_t len, vc_buf *out, size_t *dropped)
{
    out->len = 0;
    if (out->data) {
        out->data[0] = '\0';
    }
    if (is_ascii(s, len)) {
        return display_ascii(s, len, out, dropped);
    }
    char *nfc = map(s, len, false);
    if (!nfc) {
        out->failed = true;
        return false;
    }
    const char *p = nfc;
    size_t n = strlen(nfc);
    bool pending_space = false;
    size_t i = 0, marks = 0;
    int32_t prev = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) {
            k = 1;
            c = 0xFFFD;
        }
        /* One cluster keeps at most VC_MAX_COMBINING_MARKS marks: a token
         * of 1,000 stacked marks is one odd word, not a wall of ink. */
        marks = is_mark(c) ? marks + 1 : 0;
        bool drop = (is_dropped(c) && !vc_norm_is_space(c)) ||
                    ((c == 0x200C || c == 0x200D) && !joiner_needed(c, prev)) ||
                    marks > VC_MAX_COMBINING_MARKS;
        if (drop) {
            (*dropped)++;
            i += (size_t)k;
            continue;
        }
        prev = c;
        if (vc_norm_is_space(c)) {
            pending_space = out->len > 0;
        } else {
            if (pending_space) {
                vc_buf_append(out, " ", 1);
                pending_space = false;
            }
            vc_buf_append(out, p + i, (size_t)k);
        }
        i += (size_t)k;
    }
    free(nfc);
    if (!out->data) {
        vc_buf_append(out, "", 0);
    }
    return !out->failed;
}

static bool key_ascii(const char *s, size_t len, vc_buf *out)
{
    if (!vc_grow((void **)&out->data, &out->cap, len + 1, 1)) {
        out->failed = true;
        return false;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '_' || (c >= 0x09 && c <= 0x0D)) {
            continue;
        }
        out->data[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->data[n] = '\0';
    out->len = n;
    return true;
}

bool vc_norm_key(const char *s, size_t len, vc_buf *out)
{
    out->len = 0;
    if (is_ascii(s, len)) {
        if (!key_ascii(s, len, out)) {
            return false;
        }
    } else {
        char *folded = map(s, len, true);
        if (!folded) {
            out->failed = true;
            return false;
        }
        size_t n = strlen(folded), i = 0;
        vc_buf_append(out, "", 0);
        while (i < n) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(
                (const utf8proc_uint8_t *)folded + i, (utf8proc_ssize_t)(n - i), &c);
            if (k <= 0) {
                k = 1;
                c = 0xFFFD;
            }
            if (is_apostrophe(c)) {
                vc_buf_append(out, "'", 1);
            } else if (!is_separator(c)) {
                vc_buf_append(out, folded + i, (size_t)k);
            }
            i += (size_t)k;
        }
        free(folded);
    }
    /* Only separators ("-", "_"): match on the text itself, so the entry
     * is kept rather than silently merged with every other such entry. */
    if (out->len == 0 && len > 0) {
        vc_buf_append(out, s, len);
    }
    return !out->failed;
}

/* The code point at s[*i] (`invalid` for a broken sequence), advancing *i
 * past it. */
static int32_t next_codepoint(const char *s, size_t len, size_t *i, int32_t invalid)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
                                          (utf8proc_ssize_t)(len - *i), &c);
    if (k <= 0) {
        *i += 1;
        return invalid;
    }
    *i += (size_t)k;
    return c;
}

size_t vc_norm_letters(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        utf8proc_category_t cat = utf8proc_category(next_codepoint(s, len, &i, 0));
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
            n++;
        }
    }
    return n;
}

int32_t *vc_norm_codepoints(const char *s, size_t len, size_t *n)
{
    int32_t *cps = vc_malloc2(len + 1, sizeof *cps);
    if (!cps) {
        return NULL;
    }
    size_t m = 0, i = 0;
    while (i < len) {
        cps[m++] = next_codepoint(s, len, &i, 0xFFFD);
    }
    *n = m;
    return cps;
}

/* Public face of the one UTF-8 check (util.c), for the CLI's own strings. */
bool vc_text_check_utf8(const char *text, size_t len, const char *name, vc_error *err)
{
    if (!text) {
        return true;
    }
    return vc_utf8_check(text, len, name ? name : "text", err);
}
