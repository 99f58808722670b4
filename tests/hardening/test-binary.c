/* test-binary.c - binary data is called binary: all-NUL input (/dev/zero,
 * a sparse file) must not be mistaken for UTF-16, while real UTF-16
 * without a byte order mark is recognised and decoded.  Through the counter, so
 * the check tested is the one the readers run (input.c). */
#include "votecloud.h"
#include "tap.h"

#include <string.h>

/* Counts `data`; *top is the top word's votes (0 on failure). */
static bool count_top(const char *name, const char *data, size_t len, vc_error *err,
                      double *top)
{
    vc_count_options o;
    vc_count_options_init(&o);
    o.format = VC_FORMAT_COUNTS;
    vc_counter *c = vc_counter_new(&o, err);
    bool ok = c && vc_counter_add_buffer(c, name, data, len, err);
    vc_words *w = ok ? vc_counter_words(c, NULL, err) : NULL;
    *top = w && vc_words_size(w) == 2 && strcmp(vc_words_text(w, 0), "word") == 0
               ? vc_words_count(w, 0)
               : 0;
    vc_words_free(w);
    vc_counter_free(c);
    return ok;
}

static bool count(const char *name, const char *data, size_t len, vc_error *err)
{
    double top;
    return count_top(name, data, len, err, &top);
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
    double top = 0;
    TAP_OK(count_top("le", le, sizeof le - 1, &err, &top) && top == 3,
           "UTF-16LE without a BOM is recognised and decoded (word: %g) %s", top, err.message);
    static const char be[] = "\0w\0o\0r\0d\0\t\0003\0\n\0h\0o\0p\0e\0\t\0001\0\n";
    vc_error_clear(&err);
    TAP_OK(count_top("be", be, sizeof be - 1, &err, &top) && top == 3,
           "UTF-16BE without a BOM is recognised and decoded (word: %g) %s", top, err.message);
    return tap_done();
}
