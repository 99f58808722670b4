/* input.c - what every reader shares: a streaming line reader that checks
 * the encoding as it goes (so memory stays bounded by the longest line),
 * format detection from the name and first bytes, and count parsing. */
#include "count-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#define CHUNK 65536

bool vc_lines_open(vc_lines *r, const char *path, size_t max_line,
                   vc_error *err)
{
    memset(r, 0, sizeof *r);
    r->max_line = max_line ? max_line : 1;
    bool is_stdin = strcmp(path, "-") == 0;
    r->name = is_stdin ? "<stdin>" : path;
    r->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        return vc_fail_errno(err, VC_ERR_NOINPUT, path, "cannot open", errno);
    }
    r->close_fd = !is_stdin;
    struct stat st;
    if (fstat(r->fd, &st) != 0) {
        int e = errno;
        vc_lines_close(r);
        return vc_fail_errno(err, VC_ERR_NOINPUT, path, "cannot read", e);
    }
    if (S_ISDIR(st.st_mode)) {
        vc_lines_close(r);
        return vc_fail(err, VC_ERR_NOINPUT,
                       "%s: is a directory; give the files inside it", path);
    }
    return true;
}

void vc_lines_open_mem(vc_lines *r, const char *name, const void *data,
                       size_t len, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    r->mem = data;
    r->mem_len = len;
    r->max_line = max_line ? max_line : 1;
}

void vc_lines_close(vc_lines *r)
{
    if (r->close_fd && r->fd >= 0) {
        close(r->fd);
    }
    free(r->buf);
    r->buf = NULL;
    r->fd = -1;
    r->close_fd = false;
}

/* Reads one more chunk into the buffer, compacting or growing it. */
static bool fill(vc_lines *r, vc_error *err)
{
    if (r->eof) {
        return true;
    }
    if (r->start > 0 && r->start == r->end) {
        r->start = r->end = 0;
    }
    if (r->cap - r->end < CHUNK) {
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->cap - r->end < CHUNK &&
            !vc_grow((void **)&r->buf, &r->cap, r->end + CHUNK, 1)) {
            return vc_fail_nomem(err, r->name);
        }
    }
    size_t got = 0;
    if (r->fd < 0) {
        got = r->mem_len - r->mem_pos < CHUNK ? r->mem_len - r->mem_pos : CHUNK;
        memcpy(r->buf + r->end, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    } else {
        for (;;) {
            ssize_t n = read(r->fd, r->buf + r->end, CHUNK);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                return vc_fail_errno(err, VC_ERR_NOINPUT, r->name,
                                     "read error", errno);
            }
            got = (size_t)n;
            break;
        }
    }
    if (got == 0) {
        r->eof = true;
    }
    r->end += got;
    r->bytes += got;
    return true;
}

static bool looks_utf16(const unsigned char *d, size_t len)
{
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) ||
                     (d[0] == 0xFE && d[1] == 0xFF))) {
        return true;
    }
    /* ASCII in UTF-16 without a byte order mark: every other byte NUL. */
    size_t n = len < 64 ? len : 64, zeros[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (d[i] == 0) {
            zeros[i % 2]++;
        }
    }
    /* Zeros in both halves is binary (or /dev/zero): the NUL check says so. */
    return n >= 4 && ((zeros[0] * 3 >= n) != (zeros[1] * 3 >= n));
}

/* The first read: UTF-16 is refused, a UTF-8 byte order mark dropped. */
static bool start(vc_lines *r, vc_error *err)
{
    r->started = true;
    while (!r->eof && r->end - r->start < 64) {
        if (!fill(r, err)) {
            return false;
        }
    }
    const unsigned char *d = (const unsigned char *)r->buf + r->start;
    size_t len = r->end - r->start;
    if (len == 0) {
        return vc_fail(err, VC_ERR_DATA, "%s: empty file", r->name);
    }
    if (looks_utf16(d, len)) {
        return vc_fail(err, VC_ERR_DATA,
                       "%s: the file is UTF-16; save it as UTF-8 (in Excel: "
                       "CSV UTF-8) and try again", r->name);
    }
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        r->start += 3;
        if (len == 3 && r->eof) {
            return vc_fail(err, VC_ERR_DATA, "%s: empty file", r->name);
        }
    }
    return true;
}

bool vc_lines_peek(vc_lines *r, const char **data, size_t *len,
                   vc_error *err)
{
    if (!r->started && !start(r, err)) {
        return false;
    }
    while (!r->eof && r->end - r->start < CHUNK) {
        if (!fill(r, err)) {
            return false;
        }
    }
    *data = r->buf + r->start;
    *len = r->end - r->start;
    return true;
}

/* Validates one line: UTF-8 without NUL bytes. */
static bool check_line(const vc_lines *r, const char *s, size_t len,
                       vc_error *err)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            return vc_fail(err, VC_ERR_DATA,
                           "%s:%zu: NUL byte at column %zu; is this a binary "
                           "file?", r->name, r->line, i + 1);
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            return vc_fail(err, VC_ERR_DATA,
                           "%s:%zu: invalid UTF-8 (byte 0x%02X at column %zu); "
                           "save the file as UTF-8", r->name, r->line, c, i + 1);
        }
        i += (size_t)k;
    }
    return true;
}

/* The first line end in p[0, n): "\n", "\r\n" or a lone "\r" (old Mac
 * exports).  NULL when there is none yet. */
static char *find_eol(char *p, size_t n)
{
    char *nl = memchr(p, '\n', n);
    char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : n);
    return cr ? cr : nl;
}

static bool line_too_long(const vc_lines *r, size_t line, vc_error *err)
{
    return vc_fail(err, VC_ERR_DATA, "%s:%zu: line longer than %zu bytes "
                   "(raise the limit with --max-line-bytes)", r->name, line,
                   r->max_line);
}

bool vc_lines_next(vc_lines *r, const char **line, size_t *len,
                   bool *had_newline, vc_error *err)
{
    *line = NULL;
    *len = 0;
    *had_newline = false;
    if (!r->started && !start(r, err)) {
        return false;
    }
    size_t scanned = 0;
    char *eol;
    for (;;) {
        eol = find_eol(r->buf + r->start + scanned, r->end - r->start - scanned);
        /* A '\r' at the end of what was read may be half of "\r\n". */
        if ((eol && !(*eol == '\r' && eol + 1 == r->buf + r->end && !r->eof)) ||
            r->eof) {
            break;
        }
        /* Binary input may never have a line end: stop at its first NUL
         * rather than at the line limit. */
        const char *nul = memchr(r->buf + r->start + scanned, 0,
                                 r->end - r->start - scanned);
        if (nul) {
            r->line++;
            return check_line(r, r->buf + r->start, r->end - r->start, err);
        }
        scanned = eol ? (size_t)(eol - (r->buf + r->start))
                      : r->end - r->start;
        if (scanned > r->max_line) {
            return line_too_long(r, r->line + 1, err);
        }
        if (!fill(r, err)) {
            return false;
        }
    }
    if (!eol && r->start == r->end) {
        return true; /* end of input */
    }
    r->line++;
    char *s = r->buf + r->start;
    size_t n = eol ? (size_t)(eol - s) : r->end - r->start;
    size_t term = 0;
    if (eol) {
        term = *eol == '\r' && eol + 1 < r->buf + r->end && eol[1] == '\n' ? 2 : 1;
    }
    r->start += n + term;
    *had_newline = eol != NULL;
    if (n > r->max_line) {
        return line_too_long(r, r->line, err);
    }
    if (!check_line(r, s, n, err)) {
        return false;
    }
    *line = s;
    *len = n;
    return true;
}

/* ---- format detection --------------------------------------------------- */

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n < e) {
        return false;
    }
    const char *p = name + n - e;
    for (size_t i = 0; i < e; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        if (c != ext[i]) {
            return false;
        }
    }
    return true;
}

/* ASCII-only, so a Turkish locale cannot change what "nan" means. */
static bool ascii_eq_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        x = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
        y = (char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
        if (x != y) {
            return false;
        }
    }
    return true;
}

bool vc_is_count_header(const char *s, size_t len)
{
    static const char *const names[] = {"count", "counts", "votes", "n",
                                        "frequency", "freq", "weight",
                                        "value", NULL};
    for (size_t i = 0; names[i]; i++) {
        if (strlen(names[i]) == len && ascii_eq_nocase(s, names[i], len)) {
            return true;
        }
    }
    return false;
}

/* The kind of a line "word SEP count [SEP group]": 2 data, 1 a header,
 * 0 neither.  CSV lines are split by libcsv, so quoted commas count. */
static int count_line_kind(const char *s, size_t len, char sep)
{
    if (len > 0 && s[len - 1] == '\r') {
        len--;
    }
    char **fields = NULL;
    size_t n = 0;
    const char *f1 = NULL;
    size_t f1_len = 0, tabs = 0;
    if (sep == ',') {
        if (vc_csv_split_line(s, len, &fields, &n) != 0) {
            return 0;
        }
        if (n >= 2) {
            f1 = fields[1];
            f1_len = strlen(f1);
        }
    } else {
        const char *tab = memchr(s, '\t', len);
        for (const char *p = s; (p = memchr(p, '\t', len - (size_t)(p - s))); p++) {
            tabs++;
        }
        n = tabs + 1;
        if (tab) {
            f1 = tab + 1;
            const char *tab2 = memchr(f1, '\t', len - (size_t)(f1 - s));
            f1_len = tab2 ? (size_t)(tab2 - f1) : len - (size_t)(f1 - s);
        }
    }
    int kind = 0;
    double v;
    const char *why;
    if (n >= 2 && n <= 3) {
        kind = vc_parse_count(f1, f1_len, &v, &why) ? 2
               : vc_is_count_header(f1, f1_len) ? 1 : 0;
    }
    if (fields) {
        vc_csv_free_fields(fields, n);
    }
    return kind;
}

/* Counts when the first lines (a header allowed) are word SEP count. */
static bool looks_like_counts(const char *head, size_t len, char sep)
{
    size_t lines = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 5) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && end - head == CHUNK) {
            break; /* a partial line */
        }
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int kind = count_line_kind(p, n, sep);
        if (kind == 0 || (kind == 1 && lines > 0)) {
            return false;
        }
        lines++;
        p = nl ? nl + 1 : end;
    }
    return lines > 0;
}

vc_format vc_detect_format(const char *name, const char *head, size_t len)
{
    if (has_ext(name, ".tsv") || has_ext(name, ".tab")) {
        return VC_FORMAT_COUNTS;
    }
    if (has_ext(name, ".csv")) {
        return looks_like_counts(head, len, ',') ? VC_FORMAT_COUNTS
                                                 : VC_FORMAT_SURVEY;
    }
    if (has_ext(name, ".txt") || has_ext(name, ".md") ||
        has_ext(name, ".text")) {
        return VC_FORMAT_TEXT;
    }
    /* Standard input and unknown names: our own TSV output is counts, so
     * `votecloud count a.txt | votecloud count -` re-counts it exactly. */
    return looks_like_counts(head, len, '\t') ? VC_FORMAT_COUNTS
                                              : VC_FORMAT_TEXT;
}

/* ---- counts ------------------------------------------------------------- */

bool vc_parse_count(const char *s, size_t len, double *out, const char **why)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        *why = "is missing";
        return false;
    }
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') {
        neg = s[i] == '-';
        i++;
    }
    /* Up to 17 significant digits in an integer mantissa, then one exact
     * scaling by a power of ten: locale-free and correctly rounded for the
     * counts people write. */
    uint64_t mant = 0;
    int digits = 0, exp10 = 0;
    bool any = false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
        if (digits < 17) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            digits += mant > 0;
        } else {
            exp10++;
        }
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
            if (digits < 17) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                digits += mant > 0;
                exp10--;
            }
        }
    }
    if (any && i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int esign = 1, e = 0;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            esign = s[i] == '-' ? -1 : 1;
            i++;
        }
        bool edigits = false;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edigits = true) {
            if (e < 10000) {
                e = e * 10 + (s[i] - '0');
            }
        }
        if (!edigits) {
            any = false;
        }
        exp10 += esign * e;
    }
    if (!any || i != len) {
        size_t k = 0;
        while (k < len && s[k] != 'n' && s[k] != 'N' && s[k] != 'i' && s[k] != 'I') {
            k++;
        }
        bool special = (len - k == 3 && ascii_eq_nocase(s + k, "nan", 3)) ||
                       (len - k >= 3 && ascii_eq_nocase(s + k, "inf", 3));
        *why = special ? "is not a finite number" : "is not a number";
        return false;
    }
    double v = (double)mant;
    if (mant != 0) {
        v = exp10 >= 0 ? v * pow(10.0, exp10) : v / pow(10.0, -exp10);
    }
    if (!isfinite(v)) {
        *why = "is too large";
        return false;
    }
    if (neg && mant != 0) {
        *why = "is negative";
        return false;
    }
    *out = v;
    return true;
}
