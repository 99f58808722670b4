/* test-binary.c - binary data is called binary: all-NUL input (/dev/zero,
 * a sparse file) must not be mistaken for UTF-16, while real UTF-16
 * without a byte order mark still is recognised. */
#include "internal.h"
#include "tap.h"

int main(void)
{
    char zeros[200] = {0};
    vc_error err = {0};
    TAP_OK(!vc_utf8_check(zeros, sizeof zeros, "zeros", &err), "all-NUL data is refused");
    TAP_OK(strstr(err.message, "NUL") && !strstr(err.message, "UTF-16"),
           "... as NUL bytes, not UTF-16: %s", err.message);
    static const char le[] = "w\0o\0r\0d\0\t\0003\0\n\0h\0o\0p\0e\0\t\0001\0\n\0";
    vc_error_clear(&err);
    TAP_OK(!vc_utf8_check(le, sizeof le - 1, "le", &err) && strstr(err.message, "UTF-16"),
           "UTF-16LE without a BOM is still recognised: %s", err.message);
    static const char be[] = "\0w\0o\0r\0d\0\t\0003\0\n\0h\0o\0p\0e";
    vc_error_clear(&err);
    TAP_OK(!vc_utf8_check(be, sizeof be - 1, "be", &err) && strstr(err.message, "UTF-16"),
           "UTF-16BE without a BOM is still recognised: %s", err.message);
    return tap_done();
}
