/* fuzz-serve.c - the web app's own request handling (src/serve/
 * options-map.c): the route parser over METHOD and URL, and the option
 * whitelist that turns a request's JSON into `votecloud render` or `batch`
 * arguments.  libmicrohttpd parses HTTP itself.  Invariants checked on
 * every input: a routed id is 32 lower-case hex digits, and no argument
 * the whitelist produces names a path option or is an unexpected flag. */
#include "fuzz.h"
#include "serve.h"

#include <stdlib.h>
#include <string.h>

static const char *const forbidden[] = {
    "--o", "--output", "--mask", "--font", "--font-dir", "--style", "--synonyms",
    "--stopwords", "--vocabulary", "--report", "--alt-text", "--table",
    "--layout-json", "--manifest",
};

/* Is argv[i] the value of the option before it?  getopt_long takes the
 * next element as a required argument whatever it starts with, so
 * "--columns --report" sets columns to "--report": no option. */
static bool is_value(const sv_argv *a, size_t i)
{
    if (i == 0 || strncmp(a->v[i - 1], "--", 2) != 0 || (i >= 2 && is_value(a, i - 1))) {
        return false;
    }
    sv_option_kind k = sv_option_kind_of(a->v[i - 1] + 2, SV_RENDER | SV_BATCH);
    return k != SV_OPTION_UNKNOWN && k != SV_OPTION_FLAG;
}

static void check_argv(const sv_argv *a)
{
    for (size_t i = 0; i < a->n; i++) {
        if (is_value(a, i)) {
            continue;
        }
        for (size_t k = 0; k < sizeof forbidden / sizeof forbidden[0]; k++) {
            if (strcmp(a->v[i], forbidden[k]) == 0) {
                abort(); /* a path option got through */
            }
        }
    }
    if (a->v != NULL && a->v[a->n] != NULL) {
        abort(); /* not NULL-terminated */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned mode = data[0] % 3;
    const char *rest = (const char *)data + 1;
    size_t len = size - 1;
    if (mode == 0) {
        /* "METHOD URL" as a C string, as libmicrohttpd hands them over */
        char *buf = malloc(len + 1);
        if (buf == NULL) {
            return 0;
        }
        memcpy(buf, rest, len);
        buf[len] = '\0';
        char *space = strchr(buf, ' ');
        const char *method = "GET", *url = buf;
        if (space != NULL) {
            *space = '\0';
            method = buf;
            url = space + 1;
        }
        sv_request_route r;
        sv_route(method, url, &r);
        if ((r.kind == SV_CLOUD || r.kind == SV_BATCH_RUN || r.kind == SV_CLOUD_FILE ||
             r.kind == SV_UPLOAD_PAGE || r.kind == SV_UPLOAD_FORM || r.kind == SV_CLOUD_PAGE ||
             r.kind == SV_BATCH_FILE || r.kind == SV_WORDS || r.kind == SV_CLOUD_ALT ||
             r.kind == SV_CLOUD_FORM || r.kind == SV_GALLERY_FILE) &&
            !sv_id_valid(r.id, strlen(r.id))) {
            abort();
        }
        if (r.kind == SV_GALLERY_FILE &&
            (r.name[0] == '.' || r.name[0] == '\0' ||
             strspn(r.name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(r.name))) {
            abort(); /* a gallery name that could leave the folder */
        }
        free(buf);
        return 0;
    }
    sv_argv a = {0};
    char err[512];
    if (sv_options_to_argv(rest, len, mode == 1 ? SV_RENDER : SV_BATCH, &a, err,
                           sizeof err) == 0) {
        check_argv(&a);
    } else if (err[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    sv_argv_free(&a);
    return 0;
}
