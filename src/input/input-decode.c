/* input-decode.c - bytes in whatever encoding a survey tool or Excel chose,
 * to UTF-8: what the first bytes say (a byte order mark, a zip or an OLE
 * container), UTF-16/32 through iconv, Windows-1252 by its own table (so
 * the five bytes Windows leaves undefined decode as Excel shows them, and
 * the result does not depend on the C library's tables). */
#include "input/input.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

vc_sniff vc_sniff_bytes(const unsigned char *d, size_t len)
{
    if (len >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0) {
        return VC_SNIFF_UTF32LE;
    }
    if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF) {
        return VC_SNIFF_UTF32BE;
    }
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
        return VC_SNIFF_UTF16LE;
    }
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
        return VC_SNIFF_UTF16BE;
    }
    if (len >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4) {
        return VC_SNIFF_ZIP;
    }
    if (len >= 8 && memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        return VC_SNIFF_OLE;
    }
    /* ASCII in UTF-16 without a byte order mark: every other byte NUL. */
    size_t n = len < 64 ? len : 64, zeros[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        zeros[i % 2] += d[i] == 0;
    }
    /* Zeros in both halves is binary (or /dev/zero): the NUL check says so. */
    if (n >= 4 && (zeros[0] * 3 >= n) != (zeros[1] * 3 >= n)) {
        return zeros[1] * 3 >= n ? VC_SNIFF_UTF16LE_NOBOM : VC_SNIFF_UTF16BE_NOBOM;
    }
    return VC_SNIFF_TEXT;
}

const char *vc_sniff_encoding(vc_sniff s)
{
    switch (s) {
    case VC_SNIFF_UTF16LE:
    case VC_SNIFF_UTF16LE_NOBOM: return "UTF-16LE";
    case VC_SNIFF_UTF16BE:
    case VC_SNIFF_UTF16BE_NOBOM: return "UTF-16BE";
    case VC_SNIFF_UTF32LE: return "UTF-32LE";
    case VC_SNIFF_UTF32BE: return "UTF-32BE";
    default: return "UTF-8";
    }
}

/* Windows-1252 bytes 0x80..0x9F; the rest is Latin-1.  The five bytes
 * Windows leaves undefined map to the C1 controls, as Excel and the WHATWG
 * encoding standard do. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static bool put_cp(vc_buf *out, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    return vc_buf_append(out, u, n);
}

static bool decode_cp1252(const unsigned char *d, size_t len, vc_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = d[i] >= 0x80 && d[i] < 0xA0 ? cp1252_high[d[i] - 0x80] : d[i];
        if (!put_cp(out, cp)) {
            return false;
        }
    }
    return true;
}

static bool is_name(const char *enc, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        if (strcasecmp(enc, names[i]) == 0) {
            return true;
        }
    }
    return false;
}

bool vc_encoding_is_cp1252(const char *enc)
{
    static const char *const names[] = {"windows-1252", "cp1252", "win1252",
                                        "1252", "ansi", NULL};
    return is_name(enc, names);
}

bool vc_encoding_is_utf8(const char *enc)
{
    static const char *const names[] = {"utf-8", "utf8", NULL};
    return is_name(enc, names);
}

/* Everything else goes through iconv, which reports where the bytes stop
 * making sense in the named encoding. */
static bool decode_iconv(const char *name, const char *enc,
                         const unsigned char *d, size_t len, vc_buf *out,
                         vc_error *err)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) {
        return vc_fail(err, VC_ERR_USAGE, "%s: unknown encoding '%s'", name, enc);
    }
    char *in = vc_unconst(d); /* iconv reads through it, writes nothing */
    size_t in_left = len;
    char chunk[16384];
    bool ok = true;
    while (ok && in_left > 0) {
        char *o = chunk;
        size_t o_left = sizeof chunk;
        size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
        int e = errno;
        if (!vc_buf_append(out, chunk, sizeof chunk - o_left)) {
            ok = vc_fail_nomem(err, name);
        } else if (rc == (size_t)-1 && e != E2BIG) {
            ok = vc_fail(err, VC_ERR_DATA, "%s: byte %zu is not valid %s%s", name,
                         len - in_left + 1, enc,
                         e == EINVAL ? " (the file ends inside a character)" : "");
        }
    }
    iconv_close(cd);
    return ok;
}

bool vc_decode(const char *name, const unsigned char *d, size_t len,
               const char *enc, vc_buf *out, vc_error *err)
{
    vc_buf_init(out);
    vc_sniff s = vc_sniff_bytes(d, len);
    size_t bom = 0;
    switch (s) {
    case VC_SNIFF_UTF32LE:
    case VC_SNIFF_UTF32BE: bom = 4; break;
    case VC_SNIFF_UTF16LE:
    case VC_SNIFF_UTF16BE: bom = 2; break;
    default:
        if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
            bom = 3;
        }
        break;
    }
    /* A byte order mark outranks a guess, never the caller's word. */
    if (!enc) {
        enc = bom == 3 ? "UTF-8" : vc_sniff_encoding(s);
    } else {
        bom = 0;
    }
    d += bom;
    len -= bom;
    bool ok;
    if (vc_encoding_is_cp1252(enc)) {
        ok = decode_cp1252(d, len, out) || vc_fail_nomem(err, name);
    } else if (vc_encoding_is_utf8(enc)) {
        ok = vc_buf_append(out, d, len) || vc_fail_nomem(err, name);
    } else {
        ok = decode_iconv(name, enc, d, len, out, err);
    }
    if (!ok) {
        vc_buf_finish(out);
        return false;
    }
    /* A byte order mark written again inside the text (some converters do)
     * is not part of the first header. */
    if (out->len >= 3 && memcmp(out->data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(out->data, out->data + 3, out->len - 3);
        out->len -= 3;
        out->data[out->len] = '\0';
    }
    return true;
}
