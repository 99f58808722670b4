/* style.c - house styles in and out of the CLI's style file format
 * (src/cli/style.c): a file loaded in the browser becomes the JSON options
 * the page shows, and a saved house style becomes a file the CLI reads with
 * --style.  The splitting rules are the CLI's (trim, quotes, '#' comments,
 * a leading "--" allowed, a UTF-8 BOM skipped); the keys and values are
 * checked against the web app's option whitelist.  Pure: fuzz-style
 * reaches it. */
#define _GNU_SOURCE
#include "serve.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The CLI's trim: spaces, tabs, CR; then one pair of surrounding quotes. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) {
        s[--n] = '\0';
    }
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

/* The CLI's flag words. */
static int flag_value(const char *v)
{
    static const char *const yes[] = {"true", "yes", "on", "1", ""};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (strcmp(v, no[i]) == 0) {
            return 0;
        }
    }
    return -1;
}

static json_t *value_of(sv_option_kind kind, const char *v)
{
    char *end = NULL;
    errno = 0;
    switch (kind) {
    case SV_OPTION_FLAG: {
        int on = flag_value(v);
        return on < 0 ? NULL : json_boolean(on);
    }
    case SV_OPTION_INT: {
        long long n = strtoll(v, &end, 10);
        return end == v || *end != '\0' || errno != 0 ? NULL : json_integer(n);
    }
    case SV_OPTION_NUMBER: {
        double d = strtod(v, &end);
        return end == v || *end != '\0' || errno != 0 || !isfinite(d) ? NULL : json_real(d);
    }
    case SV_OPTION_TEXT:
        return strlen(v) > SV_MAX_OPTION_TEXT || !sv_text_ok(v, strlen(v)) ? NULL : json_string(v);
    case SV_OPTION_UNKNOWN:
        break;
    }
    return NULL;
}

static const char *kind_words(sv_option_kind kind)
{
    switch (kind) {
    case SV_OPTION_FLAG:
        return "true or false";
    case SV_OPTION_INT:
        return "a whole number";
    case SV_OPTION_NUMBER:
        return "a number";
    case SV_OPTION_TEXT:
    case SV_OPTION_UNKNOWN:
        break;
    }
    return "text (no control characters, at most 2000 bytes)";
}

static int pair(json_t *out, const char *name, size_t lineno, char *text, char *err,
                size_t errlen)
{
    char *s = trim(text);
    if (*s == '\0' || *s == '#') {
        return 0;
    }
    char *eq = strchr(s, '=');
    if (eq == NULL) {
        return sv_fail(err, errlen, "%s:%zu: expected 'key = value'", name, lineno);
    }
    *eq = '\0';
    char *key = trim(s);
    char *value = trim(eq + 1);
    if (strncmp(key, "--", 2) == 0) {
        key += 2;
    }
    char shown[64];
    snprintf(shown, sizeof shown, "%.40s", key);
    sv_option_kind kind = sv_option_kind_of(key, SV_RENDER);
    if (kind == SV_OPTION_UNKNOWN) {
        static const char *const files[] = {"font", "font-dir", "mask", "synonyms", "stopwords",
                                            "vocabulary", "exclude", "style", "manifest"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            if (strcmp(key, files[i]) == 0) {
                return sv_fail(err, errlen,
                            "%s:%zu: '%s' names a file: upload it in the app instead", name,
                            lineno, shown);
            }
        }
        return sv_fail(err, errlen, "%s:%zu: unknown style key '%s' (keys are long option names "
                                 "such as palette, width)", name, lineno, shown);
    }
    json_t *v = value_of(kind, value);
    if (v == NULL) {
        return sv_fail(err, errlen, "%s:%zu: %s takes %s", name, lineno, shown, kind_words(kind));
    }
    if (json_object_size(out) >= SV_STYLE_MAX_KEYS && json_object_get(out, key) == NULL) {
        json_decref(v);
        return sv_fail(err, errlen, "%s:%zu: more than %d keys", name, lineno, SV_STYLE_MAX_KEYS);
    }
    json_object_set_new(out, key, v); /* a later line wins, as in the CLI */
    return 0;
}

int sv_style_parse(const char *name, const char *text, size_t len, json_t **out, char *err,
                   size_t errlen)
{
    *out = NULL;
    if (len > SV_STYLE_MAX_BYTES) {
        return sv_fail(err, errlen, "%s: larger than %u bytes: not a style file", name,
                    SV_STYLE_MAX_BYTES);
    }
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_t *o = json_object();
    char *line = malloc(len + 1);
    if (o == NULL || line == NULL) {
        json_decref(o);
        free(line);
        return sv_fail(err, errlen, "%s: out of memory", name);
    }
    int rc = 0;
    size_t lineno = 1;
    for (size_t i = skip; rc == 0 && i < len; lineno++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        /* NUL and invalid UTF-8 are refused with their line, never cut. */
        if (memchr(text + i, '\0', n) != NULL) {
            rc = sv_fail(err, errlen, "%s:%zu: a NUL byte: not a text file", name, lineno);
            break;
        }
        memcpy(line, text + i, n);
        line[n] = '\0';
        size_t body = n;
        while (body > 0 && line[body - 1] == '\r') {
            body--;
        }
        /* Tabs separate like spaces (the CLI trims them); one inside a
         * value is refused there as a control character. */
        for (size_t k = 0; k < body; k++) {
            line[k] = line[k] == '\t' ? ' ' : line[k];
        }
        bool text_ok = sv_text_ok(line, body);
        memcpy(line, text + i, n);
        if (!text_ok) {
            rc = sv_fail(err, errlen, "%s:%zu: not UTF-8 text, or a control character", name,
                      lineno);
            break;
        }
        rc = pair(o, name, lineno, line, err, errlen);
        i += n + (nl ? 1 : 0);
    }
    free(line);
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* A value as the CLI reads it back: quoted when trimming or '#' would
 * change it. */
static void put_value(FILE *f, const char *v)
{
    size_t n = strlen(v);
    bool quote = n == 0 || v[0] == ' ' || v[n - 1] == ' ' || v[0] == '"' || strchr(v, '#');
    fprintf(f, quote ? "\"%s\"\n" : "%s\n", v);
}

char *sv_style_write(json_t *options, const char *title)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    fputs("# votecloud house style", f);
    if (title != NULL && sv_text_ok(title, strlen(title))) {
        fprintf(f, ": %s", title);
    }
    fputs("\n# use: votecloud render EXPORT --columns ... --style THIS-FILE -o cloud.png\n", f);
    const char *key;
    json_t *v;
    json_object_foreach(options, key, v)
    {
        sv_option_kind kind = sv_option_kind_of(key, SV_RENDER);
        if (kind == SV_OPTION_UNKNOWN || strcmp(key, "columns") == 0 ||
            strcmp(key, "free-text-columns") == 0) {
            continue; /* the question is not part of a house style */
        }
        if (json_is_boolean(v)) {
            fprintf(f, "%s = %s\n", key, json_is_true(v) ? "true" : "false");
        } else if (json_is_integer(v)) {
            fprintf(f, "%s = %lld\n", key, (long long)json_integer_value(v));
        } else if (json_is_real(v)) {
            fprintf(f, "%s = %.17g\n", key, json_real_value(v));
        } else if (json_is_string(v) &&
                   sv_text_ok(json_string_value(v), json_string_length(v))) {
            fprintf(f, "%s = ", key);
            put_value(f, json_string_value(v));
        }
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
