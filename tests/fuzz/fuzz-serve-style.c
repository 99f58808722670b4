/* fuzz-serve-style.c - the web app's reader and writer of house-style
 * files (src/serve/style.c), fed any bytes as a style file.  Invariants on
 * every input: an error names the file and a line; a style read is an
 * options object the whitelist takes; written back and read again, it is
 * the same object. */
#include "fuzz.h"
#include "serve.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *o = NULL;
    char err[512] = "";
    if (sv_style_parse("in.txt", (const char *)data, size, &o, err, sizeof err) != 0) {
        if (o != NULL || strncmp(err, "in.txt:", 7) != 0) {
            abort(); /* an error without its file and line, or a half result */
        }
        return 0;
    }
    char *text = json_dumps(o, JSON_COMPACT);
    sv_argv a = {0};
    if (text == NULL || sv_options_to_argv(text, strlen(text), SV_RENDER, &a, err, sizeof err) != 0) {
        abort(); /* the reader let through what the whitelist refuses */
    }
    sv_argv_free(&a);
    free(text);
    /* The question is not part of a house style: the writer leaves the
     * columns out. */
    json_object_del(o, "columns");
    json_object_del(o, "free-text-columns");
    char *file = sv_style_write(o, "fuzz");
    json_t *back = NULL;
    if (file == NULL || sv_style_parse("out.txt", file, strlen(file), &back, err, sizeof err) != 0 ||
        !json_equal(o, back)) {
        abort(); /* written and read again, it changed */
    }
    free(file);
    json_decref(back);
    json_decref(o);
    return 0;
}
