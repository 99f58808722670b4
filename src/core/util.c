/* util.c - small helpers every stage uses: overflow-checked allocation,
 * growable buffers, whole-file reading, UTF-8 validation with positions,
 * a seeded PRNG and a clock. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void *vc_malloc2(size_t a, size_t b)
{
    size_t n;
    if (__builtin_mul_overflow(a, b, &n)) {
        return NULL;
    }
    return malloc(n ? n : 1);
}

size_t vc_big_size(size_t n)
{
    if (n < VC_HUGE_PAGE) {
        return n;
    }
    size_t rounded = (n + VC_HUGE_PAGE - 1) & ~(VC_HUGE_PAGE - 1);
    return rounded < n ? SIZE_MAX : rounded;
}

void *vc_malloc_big(size_t a, size_t b)
{
    size_t n;
    if (__builtin_mul_overflow(a, b, &n)) {
        return NULL;
    }
    if (n < VC_HUGE_PAGE) {
        return malloc(n ? n : 1);
    }
    size_t rounded = vc_big_size(n);
    void *p = NULL;
    if (rounded == SIZE_MAX || posix_memalign(&p, VC_HUGE_PAGE, rounded) != 0) {
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    /* Advice only: without transparent huge pages nothing changes. */
    (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

void *vc_calloc2(size_t a, size_t b)
{
    size_t n;
    if (__builtin_mul_overflow(a, b, &n)) {
        return NULL;
    }
    return calloc(n ? n : 1, 1);
}

void *vc_malloc3(size_t a, size_t b, size_t c)
{
    size_t n;
    if (__builtin_mul_overflow(a, b, &n) || __builtin_mul_overflow(n, c, &n)) {
        return NULL;
    }
    return malloc(n ? n : 1);
}

void *vc_realloc2(void *p, size_t a, size_t b)
{
    size_t n;
    if (__builtin_mul_overflow(a, b, &n)) {
        return NULL;
    }
    return realloc(p, n ? n : 1);
}

char *vc_strdup(const char *s)
{
    return s ? vc_strndup(s, strlen(s)) : NULL;
}

char *vc_strndup(const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        return NULL;
    }
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

bool vc_grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return true;
    }
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            return false;
        }
        ncap *= 2;
    }
    void *p = vc_realloc2(*items, ncap, size);
    if (!p) {
        return false;
    }
    *items = p;
    *cap = ncap;
    return true;
}

/* ---- vc_strpool ---------------------------------------------------------- */

struct vc_strblock {
    struct vc_strblock *prev;
    size_t cap;
    char data[];
};

/* Blocks double from 4 KiB to 256 KiB; a longer string has a block of its
 * own size. */
enum { STRBLOCK_FIRST = 4096, STRBLOCK_MAX = 256 * 1024 };

char *vc_strpool_copy(vc_strpool *pool, const char *s, size_t len)
{
    if (len >= SIZE_MAX - sizeof(struct vc_strblock)) {
        return NULL;
    }
    struct vc_strblock *b = pool->head;
    if (!b || b->cap - pool->used < len + 1) {
        size_t cap = b ? (b->cap < STRBLOCK_MAX ? 2 * b->cap : b->cap) : STRBLOCK_FIRST;
        cap = cap < len + 1 ? len + 1 : cap;
        struct vc_strblock *nb = malloc(sizeof *nb + cap);
        if (!nb) {
            return NULL;
        }
        nb->prev = b;
        nb->cap = cap;
        pool->head = b = nb;
        pool->used = 0;
    }
    char *d = b->data + pool->used;
    memcpy(d, s, len);
    d[len] = '\0';
    pool->used += len + 1;
    return d;
}

static void strblocks_free(struct vc_strblock *b)
{
    while (b) {
        struct vc_strblock *prev = b->prev;
        free(b);
        b = prev;
    }
}

void vc_strpool_clear(vc_strpool *pool)
{
    if (pool->head) {
        strblocks_free(pool->head->prev);
        pool->head->prev = NULL;
    }
    pool->used = 0;
}

void vc_strpool_finish(vc_strpool *pool)
{
    strblocks_free(pool->head);
    memset(pool, 0, sizeof *pool);
}

/* ---- vc_buf ------------------------------------------------------------ */

void vc_buf_init(vc_buf *b)
{
    memset(b, 0, sizeof *b);
}

void vc_buf_finish(vc_buf *b)
{
    if (b) {
        free(b->data);
        vc_buf_init(b);
    }
}

bool vc_buf_append(vc_buf *b, const void *data, size_t n)
{
    if (b->failed) {
        return false;
    }
    /* Room already (the usual case, many small appends): no growing. */
    if (b->cap > b->len && n < b->cap - b->len) {
        memcpy(b->data + b->len, data, n);
        b->len += n;
        b->data[b->len] = '\0';
        return true;
    }
    size_t need;
    if (__builtin_add_overflow(b->len, n, &need) ||
        __builtin_add_overflow(need, 1, &need) ||
        !vc_grow((void **)&b->data, &b->cap, need, 1)) {
        b->failed = true;
        return false;
    }
    if (n) {
        memcpy(b->data + b->len, data, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool vc_buf_puts(vc_buf *b, const char *s)
{
    return vc_buf_append(b, s, strlen(s));
}

bool vc_buf_printf(vc_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return false;
    }
    if ((size_t)n < sizeof small) {
        return vc_buf_append(b, small, (size_t)n);
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bool ok = vc_buf_append(b, big, (size_t)n);
    free(big);
    return ok;
}

bool vc_buf_xml_escape(vc_buf *b, const char *s)
{
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* XML 1.0 forbids most C0 controls even as references. */
            if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' &&
                *p != '\r') {
                rep = " ";
            }
            break;
        }
        if (rep) {
            vc_buf_append(b, run, (size_t)(p - run));
            vc_buf_puts(b, rep);
            run = p + 1;
        }
    }
    return vc_buf_puts(b, run);
}

static size_t utf8_sequence(const unsigned char *d, size_t avail, const char **what);

bool vc_buf_json_string(vc_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    vc_buf_puts(b, "\"");
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        const char *what = NULL;
        size_t n = utf8_sequence(p, strnlen((const char *)p, 4), &what);
        char esc[8] = "";
        if (n == 0) {
            memcpy(esc, "\\ufffd", 7);
            n = 1;
        } else if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
        } else if (*p < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
        }
        if (esc[0]) {
            vc_buf_append(b, run, (size_t)((const char *)p - run));
            vc_buf_puts(b, esc);
            run = (const char *)p + n;
        }
        p += n;
    }
    vc_buf_puts(b, run);
    return vc_buf_puts(b, "\"");
}

bool vc_buf_int(vc_buf *b, long long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    return vc_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* Exact powers of ten, as pow() gives them, for the usual decimals. */
static const double POW10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
#define N_POW10 (int)(sizeof POW10 / sizeof POW10[0])

/* Digits written by hand rather than through snprintf: the layout report
 * writes several numbers a word, and for 5,000 words snprintf made it a
 * tenth of the run's instructions. */
bool vc_buf_number(vc_buf *b, double v, int decimals)
{
    if (!isfinite(v)) {
        return vc_buf_puts(b, "0");
    }
    /* Round half away from zero ourselves and print integers, so the
     * output never depends on the C locale's decimal point. */
    double mul = decimals >= 0 && decimals < N_POW10 ? POW10[decimals] : pow(10.0, decimals);
    double r = round(fabs(v) * mul);
    if (r > 9e15) {
        return vc_buf_printf(b, "%s%.0f", v < 0 ? "-" : "", fabs(v));
    }
    long long whole = (long long)(r / mul);
    long long frac = (long long)(r - (double)whole * mul);
    bool neg = v < 0 && r != 0;
    if ((neg && !vc_buf_append(b, "-", 1)) || !vc_buf_int(b, whole)) {
        return false;
    }
    if (frac == 0 || decimals <= 0) {
        return true;
    }
    /* `decimals` digits with leading zeros, less the trailing zeros. */
    char digits[32];
    int n = decimals < (int)sizeof digits ? decimals : (int)sizeof digits - 1;
    for (int i = n; i-- > 0;) {
        digits[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    while (n > 0 && digits[n - 1] == '0') {
        n--;
    }
    return vc_buf_append(b, ".", 1) && vc_buf_append(b, digits, (size_t)n);
}




/* ---- UTF-8 ------------------------------------------------------------ */

static size_t line_of(const char *data, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            line++;
        }
    }
    return line;
}

static bool looks_utf16(const unsigned char *d, size_t len)
{
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) ||
                     (d[0] == 0xFE && d[1] == 0xFF))) {
        return true;
    }
    /* ASCII text in UTF-16 without a BOM: every other byte is NUL. */
    if (len >= 4) {
        size_t zeros_even = 0, zeros_odd = 0, n = len < 64 ? len : 64;
        for (size_t i = 0; i < n; i++) {
            if (d[i] == 0) {
                *(i % 2 ? &zeros_odd : &zeros_even) += 1;
            }
        }
        /* One parity mostly NUL and the other mostly not: all-NUL data
         * (/dev/zero, a sparse file) is binary, not UTF-16. */
        size_t half = n / 2;
        return (zeros_even * 3 >= n && zeros_odd * 4 < half) ||
               (zeros_odd * 3 >= n && zeros_even * 4 < half);
    }
    return false;
}

/* Length of the valid sequence at d (1..4), or 0 with *what set. */
static size_t utf8_sequence(const unsigned char *d, size_t avail,
                            const char **what)
{
    unsigned c = d[0];
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0x80 && c < 0xC0) {
        *what = "unexpected continuation byte";
        return 0;
    }
    if (c == 0xC0 || c == 0xC1 || c > 0xF4) {
        *what = c > 0xF4 ? "byte that never appears in UTF-8" : "overlong encoding";
        return 0;
    }
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (avail < need) {
        *what = "truncated multi-byte sequence";
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if ((d[i] & 0xC0) != 0x80) {
            *what = "truncated multi-byte sequence";
            return 0;
        }
    }
    if (need == 3) {
        if (c == 0xE0 && d[1] < 0xA0) {
            *what = "overlong encoding";
            return 0;
        }
        if (c == 0xED && d[1] >= 0xA0) {
            *what = "UTF-16 surrogate encoded in UTF-8";
            return 0;
        }
    } else if (need == 4) {
        if (c == 0xF0 && d[1] < 0x90) {
            *what = "overlong encoding";
            return 0;
        }
        if (c == 0xF4 && d[1] >= 0x90) {
            *what = "code point above U+10FFFF";
            return 0;
        }
    }
    return need;
}

bool vc_utf8_check(const char *data, size_t len, const char *name,
                   vc_error *err)
{
    const unsigned char *d = (const unsigned char *)data;
    if (looks_utf16(d, len)) {
        return vc_fail(err, VC_ERR_DATA,
                       "%s: the file is UTF-16; save it as UTF-8 (CSV UTF-8 "
                       "in Excel) and try again", name);
    }
    size_t i = 0;
    while (i < len) {
        if (d[i] == 0) {
            return vc_fail(err, VC_ERR_DATA,
                           "%s:%zu: NUL byte in text (byte offset %zu); is "
                           "this a binary file?", name, line_of(data, i), i);
        }
        const char *what = NULL;
        size_t n = utf8_sequence(d + i, len - i, &what);
        if (n == 0) {
            return vc_fail(err, VC_ERR_DATA,
                           "%s:%zu: invalid UTF-8 (%s, byte 0x%02X at offset "
                           "%zu)", name, line_of(data, i), what, d[i], i);
        }
        i += n;
    }
    return true;
}

/* ---- PRNG and clock ----------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void vc_rng_seed(vc_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix64(&seed);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t vc_rng_next(vc_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double vc_rng_double(vc_rng *rng)
{
    return (double)(vc_rng_next(rng) >> 11) * 0x1.0p-53;
}

double vc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void vc_buf_put_plain(vc_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? ' ' : s[i];
        vc_buf_append(b, &c, 1);
    }
}

void vc_buf_count_noun(vc_buf *b, double n, const char *one, const char *many)
{
    vc_buf_number(b, n, 2);
    vc_buf_printf(b, " %s", n == 1 ? one : many);
}
