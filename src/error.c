/* error.c - filling the caller's vc_error.  The first error wins, so a
 * failure during clean-up never hides the cause the user needs to see. */
#include "internal.h"

#include <string.h>

void vc_error_clear(vc_error *err)
{
    if (!err) {
        return;
    }
    err->status = VC_OK;
    err->message[0] = '\0';
}

const char *vc_version(void)
{
    return VC_VERSION_STRING;
}

bool vc_failv(vc_error *err, vc_status status, const char *fmt, va_list ap)
{
    if (!err || err->status != VC_OK) {
        return false;
    }
    err->status = status;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    /* Messages are one line: a stray newline from input text would split
     * the "FILE:LINE: problem" the user greps for. */
    for (char *p = err->message; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
    return false;
}

bool vc_fail(vc_error *err, vc_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vc_failv(err, status, fmt, ap);
    va_end(ap);
    return false;
}

bool vc_fail_nomem(vc_error *err, const char *what)
{
    return vc_fail(err, VC_ERR_NOMEM, "out of memory (%s)", what);
}

bool vc_fail_errno(vc_error *err, vc_status status, const char *path,
                   const char *verb, int errnum)
{
    return vc_fail(err, status, "%s: %s: %s", path, verb, strerror(errnum));
}
