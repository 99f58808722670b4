/* error.c - filling the caller's vc_error.  The first error wins, so a
 * failure during clean-up never hides the cause the user needs to see. */
#include "core/core.h"

#include <string.h>

void vc_error_clear(vc_error *err)
{
    if (!err) {
        return;
    }
    err->status = VC_OK;
    err->message[0] = '\0';
    err->option = VC_OPTION_NONE;
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

bool vc_fail_option(vc_error *err, vc_status status, vc_option_id option, const char *fmt, ...)
{
    if (!err || err->status != VC_OK) {
        return false;
    }
    va_list ap;
    va_start(ap, fmt);
    vc_failv(err, status, fmt, ap);
    va_end(ap);
    err->option = option;
    return false;
}

const char *vc_option_id_to_string(vc_option_id id)
{
    static const char *const names[VC_OPTION_COUNT] = {
        [VC_OPTION_NONE] = "none",
        [VC_OPTION_COLUMNS] = "columns",
        [VC_OPTION_FREE_TEXT_COLUMNS] = "free_text_columns",
        [VC_OPTION_EVENT_COLUMN] = "event_column",
        [VC_OPTION_MAX_ENTRIES] = "max_entries",
        [VC_OPTION_MAX_FIELD_BYTES] = "max_field_bytes",
        [VC_OPTION_MAX_LINE_BYTES] = "max_line_bytes",
        [VC_OPTION_WIDTH] = "width",
        [VC_OPTION_HEIGHT] = "height",
        [VC_OPTION_MAX_PIXELS] = "max_pixels",
        [VC_OPTION_MAX_FONT_SIZE] = "max_font_size",
        [VC_OPTION_MIN_FONT_SIZE] = "min_font_size",
        [VC_OPTION_MAX_WORDS] = "max_words",
        [VC_OPTION_FIT] = "fit",
        [VC_OPTION_PADDING] = "padding",
        [VC_OPTION_PADDING_EM] = "padding_em",
        [VC_OPTION_MARGIN] = "margin",
        [VC_OPTION_PREFER_HORIZONTAL] = "prefer_horizontal",
        [VC_OPTION_SCALE] = "scale",
        [VC_OPTION_DPI] = "dpi",
        [VC_OPTION_SAME_SCALE] = "same_scale",
        [VC_OPTION_ROTATE] = "rotate",
        [VC_OPTION_STRICT] = "strict",
        [VC_OPTION_BACKGROUND] = "background",
        [VC_OPTION_PALETTE] = "palette",
        [VC_OPTION_CONTRAST_AGAINST] = "contrast_against",
    };
    return (unsigned)id < VC_OPTION_COUNT && names[id] ? names[id] : "unknown";
}

bool vc_option_id_is_limit(vc_option_id id)
{
    return id == VC_OPTION_MAX_ENTRIES || id == VC_OPTION_MAX_FIELD_BYTES ||
           id == VC_OPTION_MAX_LINE_BYTES || id == VC_OPTION_MAX_PIXELS;
}

bool vc_fail_copy(vc_error *err, const vc_error *from)
{
    if (!err || err->status != VC_OK) {
        return false;
    }
    *err = *from;
    if (err->status == VC_OK) {
        err->status = VC_ERR_SOFTWARE;
    }
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
