/* input.c - reading one input, whatever its format: a streaming line reader
 * that checks the encoding as it goes (so memory stays bounded by the
 * longest line), drops a UTF-8 byte order mark and refuses UTF-16. */
#include "input/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

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
    if (r->cap - r->end < VC_LINES_CHUNK) {
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->cap - r->end < VC_LINES_CHUNK &&
            !vc_grow((void **)&r->buf, &r->cap, r->end + VC_LINES_CHUNK, 1)) {
            return vc_fail_nomem(err, r->name);
        }
    }
    size_t got = 0;
    if (r->fd < 0) {
        got = r->mem_len - r->mem_pos < VC_LINES_CHUNK ? r->mem_len - r->mem_pos : VC_LINES_CHUNK;
        memcpy(r->buf + r->end, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    } else {
        for (;;) {
            ssize_t n = read(r->fd, r->buf + r->end, VC_LINES_CHUNK);
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
    vc_sniff sniff = vc_sniff_bytes(d, len);
    if (sniff != VC_SNIFF_TEXT && sniff != VC_SNIFF_ZIP && sniff != VC_SNIFF_OLE) {
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
    while (!r->eof && r->end - r->start < VC_LINES_CHUNK) {
        if (!fill(r, err)) {
            return false;
        }
    }
    *data = r->buf + r->start;
    *len = r->end - r->start;
    return true;
}

/* Validates one line: UTF-8 without NUL bytes. */
static bool check_line(vc_lines *r, const char *s, size_t len,
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
            r->bad_utf8 = true;
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
    return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_MAX_LINE_BYTES,
                          "%s:%zu: line longer than %zu bytes", r->name, line,
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

bool vc_lines_head(vc_lines *r, const unsigned char **data, size_t *len,
                   vc_error *err)
{
    while (!r->eof && r->end - r->start < VC_LINES_CHUNK) {
        if (!fill(r, err)) {
            return false;
        }
    }
    *data = (const unsigned char *)r->buf + r->start;
    *len = r->end - r->start;
    return true;
}

bool vc_lines_slurp(vc_lines *r, size_t limit, vc_buf *out, vc_error *err)
{
    vc_buf_init(out);
    for (;;) {
        size_t n = r->end - r->start;
        if (out->len + n > limit) {
            vc_buf_finish(out);
            return vc_fail(err, VC_ERR_DATA, "%s: larger than %zu bytes, the "
                           "most votecloud converts from another encoding or "
                           "a spreadsheet", r->name, limit);
        }
        if (n && !vc_buf_append(out, r->buf + r->start, n)) {
            vc_buf_finish(out);
            return vc_fail_nomem(err, r->name);
        }
        r->start = r->end;
        if (r->eof) {
            return true;
        }
        if (!fill(r, err)) {
            vc_buf_finish(out);
            return false;
        }
    }
}
