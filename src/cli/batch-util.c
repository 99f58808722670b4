/* batch-util.c - small helpers for batch: error records, a growable string,
 * paths and folders, and UTF-8 cleaning for names that came from file
 * systems (bytes, not necessarily text). */
#include "batch.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

bool batch_fail(vc_error *err, vc_status status, const char *fmt, ...)
{
    if (!err || err->status != VC_OK) {
        return false;
    }
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

static bool buf_reserve(batch_buf *b, size_t extra)
{
    if (b->failed) {
        return false;
    }
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return true;
    }
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need) {
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    }
    char *p = realloc(b->data, ncap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = ncap;
    return true;
}

void batch_buf_add(batch_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n)) {
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void batch_buf_puts(batch_buf *b, const char *s)
{
    batch_buf_add(b, s, strlen(s));
}

void batch_buf_printf(batch_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n)) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void batch_buf_number(batch_buf *b, double v)
{
    /* main() sets the C locale, so '.' is the decimal point. */
    if (isfinite(v) && v == floor(v) && fabs(v) < 1e15) {
        batch_buf_printf(b, "%.0f", v);
    } else {
        batch_buf_printf(b, "%.15g", v);
    }
}

void batch_buf_free(batch_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

char *batch_path(const char *dir, const char *name, const char *ext)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') {
        dl--;
    }
    batch_buf b = {0};
    if (dl > 0) {
        batch_buf_add(&b, dir, dl);
        if (dir[dl - 1] != '/') {
            batch_buf_puts(&b, "/");
        }
    }
    batch_buf_puts(&b, name);
    batch_buf_puts(&b, ext ? ext : "");
    if (b.failed || !b.data) {
        batch_buf_free(&b);
        return NULL;
    }
    return b.data;
}

bool batch_make_dir(const char *dir, vc_error *err)
{
    char *p = strdup(dir);
    if (!p) {
        return batch_fail(err, VC_ERR_NOMEM, "%s: out of memory", dir);
    }
    /* Each prefix in turn, so missing parents are made too. */
    for (char *s = p + 1;; s++) {
        bool end = *s == '\0';
        if (*s != '/' && !end) {
            continue;
        }
        *s = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            batch_fail(err, VC_ERR_CANTCREAT, "%s: cannot create folder: %s", p,
                       strerror(e));
            free(p);
            return false;
        }
        if (end) {
            bool ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
            free(p);
            return ok ? true
                      : batch_fail(err, VC_ERR_CANTCREAT,
                                   "%s: exists and is not a folder", dir);
        }
        *s = '/';
    }
}

char *batch_utf8_clean(const char *s)
{
    batch_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    batch_buf_puts(&b, "");
    while (*p) {
        utf8proc_int32_t cp;
        /* -1: p is NUL-terminated, and NUL ends any sequence. */
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            batch_buf_puts(&b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        batch_buf_add(&b, (const char *)p, (size_t)n);
        p += n;
    }
    if (b.failed) {
        batch_buf_free(&b);
        return NULL;
    }
    return b.data;
}
