/* fuzz-live.c - the live rooms' parsers (src/serve/live-parse.c): routes
 * over METHOD and URL, room options as JSON and as the organiser's form,
 * one participant's word, the Authorization header and the question's
 * script.  The first byte picks the parser.  Invariants checked on every
 * input: routed ids are 32 lower-case hex digits and codes 8 characters of
 * the code alphabet, asset and font names hold no '/' or "..", accepted
 * options are within their limits, an accepted word is 1..40 characters
 * with no control character, a Bearer key is 32 hex digits. */
#include "fuzz.h"
#include "live-serve.h"

#include <stdlib.h>
#include <string.h>

static char *cstr(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (s != NULL) {
        memcpy(s, data, len);
        s[len] = '\0';
    }
    return s;
}

static void check_route(char *buf)
{
    char *space = strchr(buf, ' ');
    const char *method = "GET", *url = buf;
    if (space != NULL) {
        *space = '\0';
        method = buf;
        url = space + 1;
    }
    sv_live_route r;
    sv_live_route_parse(method, url, &r);
    if (r.id[0] != '\0' && !sv_id_valid(r.id, strlen(r.id))) {
        abort();
    }
    if (r.code[0] != '\0' && !sv_live_code_valid(r.code, strlen(r.code))) {
        abort();
    }
    if (strchr(r.asset, '/') != NULL || strstr(r.asset, "..") != NULL) {
        abort();
    }
    bool needs_id = r.kind == LV_COUNTS || r.kind == LV_STREAM || r.kind == LV_EXPORT ||
                    r.kind == LV_HIDE || r.kind == LV_CLOSE || r.kind == LV_PRESENTER ||
                    r.kind == LV_UNHIDE || r.kind == LV_MODLOG;
    bool needs_code = r.kind == LV_JOIN_PAGE || r.kind == LV_JOIN_POST || r.kind == LV_QR;
    if ((needs_id && r.id[0] == '\0') || (needs_code && r.code[0] == '\0')) {
        abort();
    }
}

static void check_opts(const sv_live_opts *o)
{
    size_t q = strlen(o->question);
    if (q == 0 || q > SV_LIVE_QUESTION_BYTES || o->max_words < 1 ||
        o->max_words > SV_LIVE_MAX_WORDS || o->n_choices > SV_LIVE_MAX_CHOICES) {
        abort();
    }
    for (size_t i = 0; i < o->n_choices; i++) {
        if (o->choices[i][0] == '\0' || strpbrk(o->choices[i], ",;\"") != NULL) {
            abort();
        }
    }
}

static void check_word(const uint8_t *data, size_t len)
{
    char out[4 * SV_LIVE_WORD_CHARS + 1];
    if (sv_live_word_check((const char *)data, len, out, sizeof out) != SV_WORD_OK) {
        return;
    }
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            abort();
        }
        chars += (*p & 0xC0) != 0x80;
    }
    if (chars == 0 || chars > SV_LIVE_WORD_CHARS) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned mode = data[0] % 6;
    const uint8_t *rest = data + 1;
    size_t len = size - 1;
    char *s = cstr(rest, len);
    if (s == NULL) {
        return 0;
    }
    sv_live_opts o;
    char err[256];
    char key[SV_ID_HEX + 1];
    switch (mode) {
    case 0:
        check_route(s);
        break;
    case 1:
        if (sv_live_opts_from_json((const char *)rest, len, &o, err, sizeof err) == 0) {
            check_opts(&o);
        } else if (err[0] == '\0') {
            abort(); /* a refusal always says why */
        }
        break;
    case 2: {
        /* question \n max_words \n choices... (the rest, lines) */
        char *mw = strchr(s, '\n');
        char *ch = mw ? strchr(mw + 1, '\n') : NULL;
        if (mw) {
            *mw++ = '\0';
        }
        if (ch) {
            *ch++ = '\0';
        }
        if (sv_live_opts_from_form(s, mw, ch, len & 1, len & 2, &o, err, sizeof err) ==
            0) {
            check_opts(&o);
        }
        break;
    }
    case 3:
        check_word(rest, len);
        break;
    case 4:
        if (sv_live_bearer(s, key) && !sv_id_valid(key, strlen(key))) {
            abort();
        }
        break;
    default:
        (void)sv_live_text_rtl(s);
        (void)sv_live_script_lang(s);
        break;
    }
    free(s);
    return 0;
}
