/* options-map.c - the web app's JSON options -> `votecloud render` argv.
 *
 * A hard whitelist: only options that take a plain value or are a flag pass;
 * any option naming a file on the server (output, mask, font, style,
 * synonyms, ...) is refused, because a request must never make the server
 * read or write a path it chose. */
#include "serve.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind { OPT_TEXT, OPT_INT, OPT_NUMBER, OPT_FLAG };

typedef struct opt_def {
    const char *name;
    enum opt_kind kind;
    unsigned where; /* SV_RENDER | SV_BATCH */
} opt_def;

static const opt_def allowed[] = {
    {"format", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"columns", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"free-text-columns", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"multi-sep", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"header-rows", OPT_INT, SV_RENDER | SV_BATCH},
    {"encoding", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"no-stopwords", OPT_FLAG, SV_RENDER | SV_BATCH},
    {"include-numbers", OPT_FLAG, SV_RENDER | SV_BATCH},
    {"merge-plurals", OPT_FLAG, SV_RENDER | SV_BATCH},
    {"sizing", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"fit", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"max-font-size", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"min-font-size", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"max-words", OPT_INT, SV_RENDER | SV_BATCH},
    {"strict", OPT_FLAG, SV_RENDER | SV_BATCH},
    {"padding", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"padding-em", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"margin", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"spiral", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"shape", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"rotate", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"prefer-horizontal", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"seed", OPT_INT, SV_RENDER | SV_BATCH},
    {"palette", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"color-by", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"background", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"width", OPT_INT, SV_RENDER | SV_BATCH},
    {"height", OPT_INT, SV_RENDER | SV_BATCH},
    {"scale", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"dpi", OPT_NUMBER, SV_RENDER | SV_BATCH},
    {"contrast", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"contrast-against", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"title", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"question", OPT_TEXT, SV_RENDER | SV_BATCH},
    {"legend", OPT_FLAG, SV_RENDER | SV_BATCH},
    {"event-column", OPT_TEXT, SV_BATCH},
    {"same-scale", OPT_FLAG, SV_BATCH},
};

/* Options that name a path: refused with their own message, so the user
 * learns why rather than reading "unknown option". */
static const char *const path_options[] = {
    "o", "output", "mask", "font", "font-dir", "style", "synonyms",
    "stopwords", "vocabulary", "report", "alt-text", "table",
    "layout-json", "manifest",
};

static const opt_def *find_allowed(const char *name)
{
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        if (strcmp(allowed[i].name, name) == 0) {
            return &allowed[i];
        }
    }
    return NULL;
}

sv_option_kind sv_option_kind_of(const char *name, unsigned where)
{
    const opt_def *d = find_allowed(name);
    if (d == NULL || (d->where & where) == 0) {
        return SV_OPTION_UNKNOWN;
    }
    switch (d->kind) {
    case OPT_TEXT:
        return SV_OPTION_TEXT;
    case OPT_INT:
        return SV_OPTION_INT;
    case OPT_NUMBER:
        return SV_OPTION_NUMBER;
    case OPT_FLAG:
        return SV_OPTION_FLAG;
    }
    return SV_OPTION_UNKNOWN;
}

static bool is_path_option(const char *name)
{
    for (size_t i = 0; i < sizeof path_options / sizeof path_options[0]; i++) {
        if (strcmp(path_options[i], name) == 0) {
            return true;
        }
    }
    return false;
}

void sv_argv_free(sv_argv *a)
{
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i]);
    }
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

int sv_argv_push(sv_argv *a, const char *s)
{
    if (a->n + 2 > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof *a->v) {
            return -1;
        }
        char **v = realloc(a->v, cap * sizeof *v);
        if (v == NULL) {
            return -1;
        }
        a->v = v;
        a->cap = cap;
    }
    char *copy = strdup(s);
    if (copy == NULL) {
        return -1;
    }
    a->v[a->n++] = copy;
    a->v[a->n] = NULL;
    return 0;
}

/* Text values reach argv and then SVG, PDF and alt text: valid UTF-8, no
 * control characters, bounded. */
static bool text_ok(const char *s, size_t len)
{
    return len <= SV_MAX_OPTION_TEXT && sv_text_ok(s, len);
}

bool sv_text_ok(const char *s, size_t len)
{
    if (s == NULL) {
        return false;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
        size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
                 : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (n == 0 || i + n > len || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4)) {
            return false;
        }
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

int sv_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int push_value(sv_argv *out, const opt_def *d, json_t *v, char *err, size_t errlen)
{
    char buf[64];
    char flag[64];
    snprintf(flag, sizeof flag, "--%s", d->name);
    switch (d->kind) {
    case OPT_FLAG:
        if (!json_is_boolean(v)) {
            return sv_fail(err, errlen, "option '%s' takes true or false", d->name);
        }
        if (json_is_true(v) && sv_argv_push(out, flag) != 0) {
            return sv_fail(err, errlen, "out of memory at option '%s'", d->name);
        }
        return 0;
    case OPT_INT:
        if (!json_is_integer(v)) {
            return sv_fail(err, errlen, "option '%s' takes a whole number", d->name);
        }
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        break;
    case OPT_NUMBER:
        if (!json_is_number(v)) {
            return sv_fail(err, errlen, "option '%s' takes a number", d->name);
        }
        snprintf(buf, sizeof buf, "%.17g", json_number_value(v));
        break;
    case OPT_TEXT:
        if (json_is_integer(v)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            break;
        }
        if (!json_is_string(v) ||
            !text_ok(json_string_value(v), json_string_length(v))) {
            return sv_fail(err, errlen,
                        "option '%s' takes text (UTF-8, no control characters, at most 2000 bytes)",
                        d->name);
        }
        if (sv_argv_push(out, flag) != 0 || sv_argv_push(out, json_string_value(v)) != 0) {
            return sv_fail(err, errlen, "out of memory at option '%s'", d->name);
        }
        return 0;
    }
    if (sv_argv_push(out, flag) != 0 || sv_argv_push(out, buf) != 0) {
        return sv_fail(err, errlen, "out of memory at option '%s'", d->name);
    }
    return 0;
}

int sv_options_to_argv(const char *json, size_t len, unsigned where, sv_argv *out,
                       char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        snprintf(err, errlen, "options are not valid JSON: %s", jerr.text);
        return -1;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, errlen, "options must be a JSON object");
        return -1;
    }
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        const opt_def *d = find_allowed(key);
        if (is_path_option(key)) {
            rc = sv_fail(err, errlen, "option '%s' names a file on the server: not allowed here", key);
        } else if (d == NULL || (d->where & where) == 0) {
            char shown[80];
            snprintf(shown, sizeof shown, "%.60s", key);
            for (char *p = shown; *p; p++) {
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '"' || *p == '\\') {
                    *p = '?';
                }
            }
            rc = sv_fail(err, errlen, "unknown option '%s'", shown);
        } else {
            rc = push_value(out, d, v, err, errlen);
        }
        if (rc != 0) {
            break;
        }
    }
    json_decref(root);
    return rc;
}

bool sv_id_valid(const char *s, size_t len)
{
    if (len != SV_ID_HEX) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

int sv_route(const char *method, const char *url, sv_request_route *r)
{
    memset(r, 0, sizeof *r);
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    static const char *const cloud_files[] = {
        "cloud.png", "cloud.svg", "cloud.pdf", "alt.txt", "table.html",
        "table.csv", "layout.json", "pack.zip", "cloud@2x.png", "publish.zip",
    };
    if (strcmp(url, "/healthz") == 0) {
        r->kind = get ? SV_HEALTH : SV_BAD_METHOD;
        return 0;
    }
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0) {
        r->kind = get ? SV_PAGE : SV_BAD_METHOD;
        r->asset = "index.html";
        return 0;
    }
    if (strcmp(url, "/app.css") == 0 || strcmp(url, "/app.js") == 0) {
        r->kind = get ? SV_PAGE : SV_BAD_METHOD;
        r->asset = url + 1;
        return 0;
    }
    if (strcmp(url, "/api/styles") == 0) {
        r->kind = get ? SV_STYLES : post ? SV_STYLE_SAVE : SV_BAD_METHOD;
        return 0;
    }
    if (strcmp(url, "/api/styles/load") == 0) {
        r->kind = post ? SV_STYLE_LOAD : SV_BAD_METHOD;
        return 0;
    }
    if (strcmp(url, "/api/styles/file") == 0) {
        r->kind = get ? SV_STYLE_FILE : SV_BAD_METHOD;
        return 0;
    }
    if (strcmp(url, "/api/fonts") == 0) {
        r->kind = post ? SV_FONT : SV_BAD_METHOD;
        return 0;
    }
    if (strcmp(url, "/api/uploads") == 0) {
        r->kind = post ? SV_UPLOAD : SV_BAD_METHOD;
        return 0;
    }
    const char *p;
    if (strncmp(url, "/u/", 3) == 0 || strncmp(url, "/c/", 3) == 0) {
        p = url + 3;
        if (!sv_id_valid(p, strlen(p))) {
            r->kind = SV_NOT_FOUND;
            return 0;
        }
        memcpy(r->id, p, SV_ID_HEX);
        if (url[1] == 'c') {
            r->kind = get ? SV_CLOUD_PAGE : post ? SV_CLOUD_FORM : SV_BAD_METHOD;
        } else {
            r->kind = get ? SV_UPLOAD_PAGE : post ? SV_UPLOAD_FORM : SV_BAD_METHOD;
        }
        return 0;
    }
    if (strncmp(url, "/api/uploads/", 13) == 0) {
        p = url + 13;
        const char *slash = strchr(p, '/');
        if (slash == NULL || !sv_id_valid(p, (size_t)(slash - p))) {
            r->kind = SV_NOT_FOUND;
            return 0;
        }
        memcpy(r->id, p, SV_ID_HEX);
        if (strcmp(slash, "/clouds") == 0) {
            r->kind = post ? SV_CLOUD : SV_BAD_METHOD;
        } else if (strcmp(slash, "/batch") == 0) {
            r->kind = post ? SV_BATCH_RUN : SV_BAD_METHOD;
        } else if (strcmp(slash, "/words") == 0) {
            r->kind = post ? SV_WORDS : SV_BAD_METHOD;
        } else {
            r->kind = SV_NOT_FOUND;
        }
        return 0;
    }
    if (strncmp(url, "/api/clouds/", 12) == 0 || strncmp(url, "/api/batches/", 13) == 0) {
        bool cloud = url[5] == 'c';
        p = url + (cloud ? 12 : 13);
        const char *slash = strchr(p, '/');
        if (slash == NULL || !sv_id_valid(p, (size_t)(slash - p))) {
            r->kind = SV_NOT_FOUND;
            return 0;
        }
        memcpy(r->id, p, SV_ID_HEX);
        r->kind = SV_NOT_FOUND;
        if (cloud && strcmp(slash + 1, "alt") == 0) {
            r->kind = post ? SV_CLOUD_ALT : SV_BAD_METHOD;
        } else if (!cloud && strncmp(slash + 1, "gallery/", 8) == 0) {
            const char *n = slash + 9;
            size_t len = strlen(n);
            bool fine = len > 0 && len < sizeof r->name && n[0] != '.';
            for (size_t i = 0; fine && i < len; i++) {
                fine = (n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') ||
                       n[i] == '.' || n[i] == '_' || n[i] == '-';
            }
            if (fine) {
                memcpy(r->name, n, len + 1);
                r->kind = get ? SV_GALLERY_FILE : SV_BAD_METHOD;
            }
        } else if (cloud) {
            for (size_t i = 0; i < sizeof cloud_files / sizeof cloud_files[0]; i++) {
                if (strcmp(slash + 1, cloud_files[i]) == 0) {
                    r->kind = get ? SV_CLOUD_FILE : SV_BAD_METHOD;
                    r->asset = cloud_files[i];
                }
            }
        } else if (strcmp(slash + 1, "gallery.zip") == 0) {
            r->kind = get ? SV_BATCH_FILE : SV_BAD_METHOD;
            r->asset = "gallery.zip";
        }
        return 0;
    }
    r->kind = SV_NOT_FOUND;
    return 0;
}
