/* test-binary.c - binary data is called binary: all-NUL input (/dev/zero,
 * a sparse file) must not be mistaken for UTF-16, while real UTF-16
 * without a byte order mark still is recognised.  Through the counter, so
 * the check tested is the one the readers run (input.c). */
#include "votecloud.h"
#include "tap.h"

static bool count(const char *name, const char *data, size_t len, vc_error *err)
{
    vc_count_options o;
    vc_count_options_init(&o);
    o.format = VC_FORMAT_COUNTS;
    vc_counter *c = vc_counter_new(&o, err);
    bool ok = c && vc_counter_add_buffer(c, name, data, len, err);
    vc_counter_free(c);
    return ok;
}

int main(void)
{
    char zeros[200] = {0};
    vc_error err = {0};
    TAP_OK(!count("zeros", zeros, sizeof zeros, &err) && err.status == VC_ERR_DATA,
           "all-NUL data is refused");
    TAP_OK(strstr(err.message, "NUL") && !strstr(err.message, "UTF-16"),
           "... as NUL bytes, not UTF-16: %s", err.message);
    static const char le[] = "w\0o\0r\0d\0\t\0003\0\n\0h\0o\0p\0e\0\t\0001\0\n\0";
    vc_error_clear(&err);
    TAP_OK(!count("le", le, sizeof le - 1, &err) && strstr(err.message, "UTF-16"),
           "UTF-16LE without a BOM is still recognised: %s", err.message);
    static const char be[] = "\0w\0o\0r\0d\0\t\0003\0\n\0h\0o\0p\0e";
    vc_error_clear(&err);
    TAP_OK(!count("be", be, sizeof be - 1, &err) && strstr(err.message, "UTF-16"),
           "UTF-16BE without a BOM is still recognised: %s", err.message);
    return tap_done();
}
