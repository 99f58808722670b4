/* live-parse.c - the live rooms' pure parsers: routes, room options (JSON
 * or the organiser's form), one submitted word, the Bearer header and the
 * question's script.  No I/O: fuzzed by tests/fuzz/fuzz-serve.c. */
#include "live-serve.h"

#include <jansson.h>
#include <utf8proc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* No 0/o, 1/l: codes are read aloud and typed from a slide. */
const char sv_live_code_alphabet[33] = "abcdefghijkmnpqrstuvwxyz23456789";

bool sv_live_code_valid(const char *s, size_t len)
{
    if (len != SV_LIVE_CODE_LEN) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0' || strchr(sv_live_code_alphabet, s[i]) == NULL) {
            return false;
        }
    }
    return true;
}

static bool font_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 5 || n >= 32) {
        return false;
    }
    if (strcmp(s + n - 4, ".ttf") != 0 && strcmp(s + n - 4, ".otf") != 0) {
        return false;
    }
    for (size_t i = 0; i < n - 4; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

static void set_kind(sv_live_route *r, bool allowed, sv_live_kind kind)
{
    r->kind = allowed ? kind : LV_BAD_METHOD;
}

/* /api/events/{id}/ACTION */
static void event_route(const char *rest, bool get, bool post, sv_live_route *r)
{
    static const struct {
        const char *name;
        bool post;
        sv_live_kind kind;
    } actions[] = {
        {"counts", false, LV_COUNTS},     {"stream", false, LV_STREAM},
        {"export.csv", false, LV_EXPORT}, {"pending", false, LV_PENDING},
        {"hide", true, LV_HIDE},          {"approve", true, LV_APPROVE},
        {"close", true, LV_CLOSE},        {"session", true, LV_SESSION},
        {"unhide", true, LV_UNHIDE},      {"moderation.csv", false, LV_MODLOG},
    };
    const char *slash = strchr(rest, '/');
    r->kind = LV_NOT_FOUND;
    if (slash == NULL || !sv_id_valid(rest, (size_t)(slash - rest))) {
        return;
    }
    memcpy(r->id, rest, SV_ID_HEX);
    r->id[SV_ID_HEX] = '\0';
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (strcmp(slash + 1, actions[i].name) == 0) {
            set_kind(r, actions[i].post ? post : get, actions[i].kind);
            return;
        }
    }
}

/* /j/{code}[/thanks|/qr.svg] */
static void join_route(const char *rest, bool get, bool post, sv_live_route *r)
{
    size_t n = strcspn(rest, "/");
    r->kind = LV_NOT_FOUND;
    if (!sv_live_code_valid(rest, n)) {
        return;
    }
    memcpy(r->code, rest, SV_LIVE_CODE_LEN);
    r->code[SV_LIVE_CODE_LEN] = '\0';
    const char *tail = rest + n;
    if (*tail == '\0') {
        r->kind = get ? LV_JOIN_PAGE : post ? LV_JOIN_POST : LV_BAD_METHOD;
    } else if (strcmp(tail, "/thanks") == 0) {
        set_kind(r, get, LV_THANKS);
    } else if (strcmp(tail, "/qr.svg") == 0) {
        set_kind(r, get, LV_QR);
    }
}

void sv_live_route_parse(const char *method, const char *url, sv_live_route *r)
{
    memset(r, 0, sizeof *r);
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    static const char *const assets[] = {"presenter.js", "presenter.css", "join.css"};
    if (strcmp(url, "/api/events") == 0) {
        set_kind(r, post, LV_CREATE);
    } else if (strncmp(url, "/api/events/", 12) == 0) {
        event_route(url + 12, get, post, r);
    } else if (strcmp(url, "/live") == 0) {
        r->kind = get ? LV_NEW_PAGE : post ? LV_NEW_FORM : LV_BAD_METHOD;
    } else if (strncmp(url, "/live/fonts/", 12) == 0) {
        r->kind = LV_NOT_FOUND;
        if (font_name_valid(url + 12)) {
            snprintf(r->asset, sizeof r->asset, "%s", url + 12);
            set_kind(r, get, LV_FONT);
        }
    } else if (strncmp(url, "/live/", 6) == 0) {
        r->kind = LV_NOT_FOUND;
        for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
            if (strcmp(url + 6, assets[i]) == 0) {
                snprintf(r->asset, sizeof r->asset, "%s", assets[i]);
                set_kind(r, get, LV_ASSET);
            }
        }
    } else if (strncmp(url, "/j/", 3) == 0) {
        join_route(url + 3, get, post, r);
    } else if (strncmp(url, "/p/", 3) == 0) {
        r->kind = LV_NOT_FOUND;
        if (sv_id_valid(url + 3, strlen(url + 3))) {
            memcpy(r->id, url + 3, SV_ID_HEX);
            set_kind(r, get, LV_PRESENTER);
        }
    }
}

/* ---- words ---------------------------------------------------------- */

/* Characters in p[0..len) when they are UTF-8 text on one line (no
 * control characters), or SIZE_MAX. */
static size_t line_chars(const unsigned char *p, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            return SIZE_MAX;
        }
        i += (size_t)k;
    }
    return chars;
}

sv_word_check sv_live_word_check(const char *s, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        return SV_WORD_EMPTY;
    }
    size_t chars = line_chars(p, len);
    if (chars == SIZE_MAX) {
        return SV_WORD_BAD;
    }
    if (chars > SV_LIVE_WORD_CHARS || len + 1 > outlen) {
        return SV_WORD_TOO_LONG;
    }
    memcpy(out, p, len);
    out[len] = '\0';
    return SV_WORD_OK;
}

/* ---- room options ----------------------------------------------------- */


void sv_live_opts_init(sv_live_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_words = 3;
    o->profanity = true;
}

static int set_question(sv_live_opts *o, const char *q, size_t len, char *err,
                        size_t errlen)
{
    /* A question may be long-ish prose: only its bytes and characters are
     * checked, as for a word. */
    if (len > SV_LIVE_QUESTION_BYTES) {
        return sv_fail(err, errlen, "question: longer than %d bytes",
                    SV_LIVE_QUESTION_BYTES);
    }
    const unsigned char *p = (const unsigned char *)q;
    size_t start = 0;
    while (start < len && (p[start] == ' ' || p[start] == '\t')) {
        start++;
    }
    while (len > start && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
        len--;
    }
    if (len == start) {
        return sv_fail(err, errlen, "question: empty");
    }
    if (line_chars(p + start, len - start) == SIZE_MAX) {
        return sv_fail(err, errlen, "question: not UTF-8 text on one line");
    }
    memcpy(o->question, q + start, len - start);
    o->question[len - start] = '\0';
    return 0;
}

/* A choice is also a cell of the export's one answer column, where ',' and
 * ';' separate answers, so they are refused rather than split. */
static int add_choice(sv_live_opts *o, const char *s, size_t len, char *err,
                      size_t errlen)
{
    if (o->n_choices >= SV_LIVE_MAX_CHOICES) {
        return sv_fail(err, errlen, "choices: more than %d", SV_LIVE_MAX_CHOICES);
    }
    char *dst = o->choices[o->n_choices];
    sv_word_check w = sv_live_word_check(s, len, dst, sizeof o->choices[0]);
    if (w == SV_WORD_EMPTY) {
        return 0;
    }
    if (w != SV_WORD_OK) {
        return sv_fail(err, errlen, "choices: each must be 1..%d characters of text",
                    SV_LIVE_WORD_CHARS);
    }
    if (strpbrk(dst, ",;\"") != NULL) {
        return sv_fail(err, errlen, "choices: a choice may not hold ',' ';' or '\"'");
    }
    for (size_t i = 0; i < o->n_choices; i++) {
        if (strcmp(o->choices[i], dst) == 0) {
            return sv_fail(err, errlen, "choices: '%s' is listed twice", dst);
        }
    }
    o->n_choices++;
    return 0;
}

static int json_bool(json_t *v, const char *name, bool *out, char *err, size_t errlen)
{
    if (v == NULL) {
        return 0;
    }
    if (!json_is_boolean(v)) {
        return sv_fail(err, errlen, "%s: must be true or false", name);
    }
    *out = json_is_true(v);
    return 0;
}

static int check_keys(json_t *root, char *err, size_t errlen)
{
    static const char *const known[] = {"question", "max_words", "choices", "moderation",
                                        "profanity"};
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            ok |= strcmp(k, known[i]) == 0;
        }
        if (!ok) {
            return sv_fail(err, errlen, "unknown field '%.40s'", k);
        }
    }
    return 0;
}

static int opts_from_root(json_t *root, sv_live_opts *o, char *err, size_t errlen)
{
    if (!json_is_object(root)) {
        return sv_fail(err, errlen, "send a JSON object");
    }
    if (check_keys(root, err, errlen) != 0) {
        return -1;
    }
    json_t *q = json_object_get(root, "question");
    if (!json_is_string(q)) {
        return sv_fail(err, errlen, "question: a string is required");
    }
    if (set_question(o, json_string_value(q), json_string_length(q), err, errlen) != 0) {
        return -1;
    }
    json_t *mw = json_object_get(root, "max_words");
    if (mw != NULL) {
        if (!json_is_integer(mw) || json_integer_value(mw) < 1 ||
            json_integer_value(mw) > SV_LIVE_MAX_WORDS) {
            return sv_fail(err, errlen, "max_words: must be an integer 1..%d",
                        SV_LIVE_MAX_WORDS);
        }
        o->max_words = (int)json_integer_value(mw);
    }
    json_t *ch = json_object_get(root, "choices");
    if (ch != NULL && !json_is_null(ch)) {
        if (!json_is_array(ch)) {
            return sv_fail(err, errlen, "choices: must be an array of strings");
        }
        size_t i;
        json_t *v;
        json_array_foreach(ch, i, v)
        {
            if (!json_is_string(v)) {
                return sv_fail(err, errlen, "choices: must be an array of strings");
            }
            if (add_choice(o, json_string_value(v), json_string_length(v), err, errlen) !=
                0) {
                return -1;
            }
        }
    }
    if (json_bool(json_object_get(root, "moderation"), "moderation", &o->moderation, err,
                  errlen) != 0 ||
        json_bool(json_object_get(root, "profanity"), "profanity", &o->profanity, err,
                  errlen) != 0) {
        return -1;
    }
    return 0;
}

int sv_live_opts_from_json(const char *json, size_t len, sv_live_opts *o, char *err,
                           size_t errlen)
{
    sv_live_opts_init(o);
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        return sv_fail(err, errlen, "not JSON: %s", je.text);
    }
    int rc = opts_from_root(root, o, err, errlen);
    json_decref(root);
    return rc;
}

int sv_live_opts_from_form(const char *question, const char *max_words,
                           const char *choices, bool moderation, bool profanity,
                           sv_live_opts *o, char *err, size_t errlen)
{
    sv_live_opts_init(o);
    if (question == NULL ||
        set_question(o, question, strlen(question), err, errlen) != 0) {
        return question == NULL ? sv_fail(err, errlen, "question: empty") : -1;
    }
    if (max_words != NULL && max_words[0] != '\0') {
        int v = 0;
        for (const char *p = max_words; *p; p++) {
            if (*p < '0' || *p > '9' || v > SV_LIVE_MAX_WORDS) {
                return sv_fail(err, errlen, "words per person: a number 1..%d",
                            SV_LIVE_MAX_WORDS);
            }
            v = v * 10 + (*p - '0');
        }
        if (v < 1 || v > SV_LIVE_MAX_WORDS) {
            return sv_fail(err, errlen, "words per person: a number 1..%d",
                        SV_LIVE_MAX_WORDS);
        }
        o->max_words = v;
    }
    for (const char *p = choices ? choices : ""; *p;) {
        size_t n = strcspn(p, "\r\n");
        if (add_choice(o, p, n, err, errlen) != 0) {
            return -1;
        }
        p += n;
        p += strspn(p, "\r\n");
    }
    o->moderation = moderation;
    o->profanity = profanity;
    return 0;
}

/* ---- headers and scripts --------------------------------------------- */

bool sv_live_bearer(const char *header, char key[SV_ID_HEX + 1])
{
    if (header == NULL || strncmp(header, "Bearer ", 7) != 0) {
        return false;
    }
    const char *k = header + 7;
    while (*k == ' ') {
        k++;
    }
    size_t n = strcspn(k, " ");
    if (!sv_id_valid(k, n) || k[n + strspn(k + n, " ")] != '\0') {
        return false;
    }
    memcpy(key, k, SV_ID_HEX);
    key[SV_ID_HEX] = '\0';
    return true;
}

/* The first letter-like code point (skipping ASCII punctuation, digits and
 * space), or 0. */
static uint32_t first_strong(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) {
            return 0;
        }
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp >= 0xC0) {
            return (uint32_t)cp;
        }
        i += (size_t)k;
    }
    return 0;
}

bool sv_live_text_rtl(const char *s)
{
    uint32_t c = first_strong(s);
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) ||
           (c >= 0x1E800 && c <= 0x1EFFF);
}

const char *sv_live_script_lang(const char *s)
{
    uint32_t c = first_strong(s);
    static const struct {
        uint32_t lo, hi;
        const char *lang;
    } scripts[] = {
        {0x0370, 0x03FF, "el"}, {0x0590, 0x05FF, "he"}, {0x0600, 0x06FF, "ar"},
        {0x0980, 0x09FF, "bn"}, {0x0E00, 0x0E7F, "th"}, {0xAC00, 0xD7AF, "ko"},
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        if (c >= scripts[i].lo && c <= scripts[i].hi) {
            return scripts[i].lang;
        }
    }
    return NULL;
}
