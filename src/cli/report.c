/* report.c - how the command line speaks: errors and warnings on
 * standard error, one line each, and library errors with the flag of the
 * option they are about (the library names no flags: they are added here,
 * in one place). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vprint(stderr, "votecloud: ", fmt, ap);
    va_end(ap);
    return status;
}

void cli_warn(const cli_opts *o, const char *fmt, ...)
{
    if (o && o->quiet) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    cli_vprint(stderr, "votecloud: warning: ", fmt, ap);
    va_end(ap);
}

/* The flag of the option a library error is about: the library names no
 * flags, so the CLI adds them here, in one place. */
static const char *option_flag(vc_option_id id)
{
    switch (id) {
    case VC_OPTION_COLUMNS: return "--columns";
    case VC_OPTION_FREE_TEXT_COLUMNS: return "--free-text-columns";
    case VC_OPTION_EVENT_COLUMN: return "--event-column";
    case VC_OPTION_MAX_ENTRIES: return "--max-entries";
    case VC_OPTION_MAX_FIELD_BYTES: return "--max-field-bytes";
    case VC_OPTION_MAX_LINE_BYTES: return "--max-line-bytes";
    case VC_OPTION_WIDTH: return "--width";
    case VC_OPTION_HEIGHT: return "--height";
    case VC_OPTION_MAX_PIXELS: return "--max-megapixels";
    case VC_OPTION_MAX_FONT_SIZE: return "--max-font-size";
    case VC_OPTION_MIN_FONT_SIZE: return "--min-font-size";
    case VC_OPTION_MAX_WORDS: return "--max-words";
    case VC_OPTION_FIT: return "--fit";
    case VC_OPTION_PADDING: return "--padding";
    case VC_OPTION_PADDING_EM: return "--padding-em";
    case VC_OPTION_MARGIN: return "--margin";
    case VC_OPTION_PREFER_HORIZONTAL: return "--prefer-horizontal";
    case VC_OPTION_SCALE: return "--scale";
    case VC_OPTION_DPI: return "--dpi";
    case VC_OPTION_SAME_SCALE: return "--same-scale";
    case VC_OPTION_ROTATE: return "--rotate";
    case VC_OPTION_STRICT: return "--strict";
    case VC_OPTION_BACKGROUND: return "--background";
    case VC_OPTION_PALETTE: return "--palette";
    case VC_OPTION_CONTRAST_AGAINST: return "--contrast-against";
    case VC_OPTION_NONE:
    case VC_OPTION_COUNT: break;
    }
    return NULL;
}

void cli_error_text(const vc_error *err, char *out, size_t len)
{
    const char *msg = err->message[0] ? err->message : "unknown error";
    const char *flag = option_flag(err->option);
    if (!flag) {
        snprintf(out, len, "%s", msg);
    } else if (vc_option_id_is_limit(err->option)) {
        snprintf(out, len, "%s; raise the limit with %s", msg, flag);
    } else if (err->option == VC_OPTION_FIT) {
        snprintf(out, len, "%s (--fit auto, --max-font-size, --allow-gaps)", msg);
    } else {
        snprintf(out, len, "%s (%s)", msg, flag);
    }
}

int cli_report(const vc_error *err)
{
    int status = err->status != VC_OK ? (int)err->status : (int)VC_ERR_SOFTWARE;
    char text[VC_ERROR_MESSAGE_MAX + 128];
    cli_error_text(err, text, sizeof text);
    return cli_fail(status, "%s", text);
}
