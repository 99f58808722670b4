/* words.c - the words step's choices for one upload (exclusions, default
 * non-answers kept, synonyms, spellings that are not typos): the edits the
 * page sends, checked and bounded, and the CLI files they become
 * (exclude.txt, synonyms.txt, vocabulary.txt in a job's own folder, never a
 * path from the user).  Pure: no server state, so fuzz-words reaches it. */
#define _GNU_SOURCE
#include "serve.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const lists[] = {"exclude", "keep", "synonyms", "not_typos"};


json_t *sv_words_new(void)
{
    json_t *w = json_object();
    for (size_t i = 0; w != NULL && i < sizeof lists / sizeof lists[0]; i++) {
        json_object_set_new(w, lists[i], json_array());
    }
    return w;
}

/* One item: trimmed by the caller, non-empty, valid text, and nothing the
 * CLI's line files read otherwise (a leading '#' is a comment there). */
static bool item_ok(const char *s, size_t len)
{
    return len > 0 && len <= SV_WORDS_MAX_TEXT && s[0] != '#' && s[0] != ' ' &&
           s[len - 1] != ' ' && memchr(s, '=', len) == NULL && sv_text_ok(s, len);
}

bool sv_words_valid(json_t *w)
{
    json_t *plurals = json_object_get(w, "plurals");
    if (!json_is_object(w) || (plurals != NULL && !json_is_boolean(plurals))) {
        return false;
    }
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        json_t *a = json_object_get(w, lists[i]);
        if (!json_is_array(a) || json_array_size(a) > SV_WORDS_MAX_ITEMS) {
            return false;
        }
        size_t k;
        json_t *v;
        json_array_foreach(a, k, v)
        {
            bool pair = i == 2;
            for (size_t j = 0; j < (pair ? 2u : 1u); j++) {
                json_t *t = pair ? json_array_get(v, j) : v;
                if (!json_is_string(t) || !item_ok(json_string_value(t), json_string_length(t))) {
                    return false;
                }
            }
            if (pair && json_array_size(v) != 2) {
                return false;
            }
        }
    }
    return true;
}

/* ASCII case-insensitive equality: the CLI folds case when it matches, so
 * "N/A" and "n/a" are one item here too. */
static bool same(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static ssize_t find(json_t *a, const char *text, bool pair)
{
    size_t k;
    json_t *v;
    json_array_foreach(a, k, v)
    {
        const char *s = json_string_value(pair ? json_array_get(v, 0) : v);
        if (s != NULL && same(s, text)) {
            return (ssize_t)k;
        }
    }
    return -1;
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
                        (*s)[*len - 1] == '\r')) {
        (*len)--;
    }
}

static int add_text(json_t *a, const char *s, size_t len, size_t line, char *err, size_t errlen)
{
    if (!item_ok(s, len)) {
        return sv_fail(err, errlen,
                    "line %zu: an entry is 1-%d bytes of text, without '=', a leading '#' or "
                    "control characters",
                    line, SV_WORDS_MAX_TEXT);
    }
    char *copy = strndup(s, len);
    if (copy == NULL) {
        return sv_fail(err, errlen, "out of memory");
    }
    if (find(a, copy, false) < 0) {
        if (json_array_size(a) >= SV_WORDS_MAX_ITEMS) {
            free(copy);
            return sv_fail(err, errlen, "line %zu: at most %d entries", line, SV_WORDS_MAX_ITEMS);
        }
        json_array_append_new(a, json_string(copy));
    }
    free(copy);
    return 0;
}

static int add_synonym(json_t *a, const char *s, size_t len, size_t line, char *err,
                       size_t errlen)
{
    const char *eq = memchr(s, '=', len);
    if (eq == NULL || memchr(eq + 1, '=', len - (size_t)(eq + 1 - s)) != NULL) {
        return sv_fail(err, errlen, "line %zu: expected 'variant = canonical' (one '=')", line);
    }
    const char *v = s, *c = eq + 1;
    size_t vlen = (size_t)(eq - s), clen = len - vlen - 1;
    trim(&v, &vlen);
    trim(&c, &clen);
    if (!item_ok(v, vlen) || !item_ok(c, clen)) {
        return sv_fail(err, errlen,
                    "line %zu: each side is 1-%d bytes of text, without a leading '#' or "
                    "control characters",
                    line, SV_WORDS_MAX_TEXT);
    }
    char *variant = strndup(v, vlen), *canonical = strndup(c, clen);
    int rc = 0;
    if (variant == NULL || canonical == NULL) {
        rc = sv_fail(err, errlen, "out of memory");
    } else if (same(variant, canonical)) {
        rc = sv_fail(err, errlen, "line %zu: '%s' is merged into itself", line, variant);
    } else {
        ssize_t at = find(a, variant, true);
        if (at < 0 && json_array_size(a) >= SV_WORDS_MAX_ITEMS) {
            rc = sv_fail(err, errlen, "line %zu: at most %d synonyms", line, SV_WORDS_MAX_ITEMS);
        } else {
            json_t *pair = json_pack("[ss]", variant, canonical);
            if (at >= 0) {
                json_array_set_new(a, (size_t)at, pair); /* the newest line wins */
            } else {
                json_array_append_new(a, pair);
            }
        }
    }
    free(variant);
    free(canonical);
    return rc;
}

/* A box: one entry a line; blank lines and lines starting '#' skipped. */
static int add_lines(json_t *a, bool pairs, const char *text, size_t len, char *err,
                     size_t errlen)
{
    size_t line = 1;
    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        const char *s = text + i;
        size_t sl = n;
        trim(&s, &sl);
        if (sl > 0 && s[0] != '#') {
            int rc = pairs ? add_synonym(a, s, sl, line, err, errlen)
                           : add_text(a, s, sl, line, err, errlen);
            if (rc != 0) {
                return rc;
            }
        }
        i += n + (nl ? 1 : 0);
    }
    return 0;
}

static void remove_item(json_t *a, const char *text, bool pair)
{
    ssize_t at;
    while ((at = find(a, text, pair)) >= 0) {
        json_array_remove(a, (size_t)at);
    }
}

int sv_words_apply(json_t *w, const char *op, const char *text, size_t len, char *err,
                   size_t errlen)
{
    if (!sv_words_valid(w) || op == NULL || text == NULL) {
        return sv_fail(err, errlen, "no word settings to change");
    }
    if (len > 64 * 1024) {
        return sv_fail(err, errlen, "the text is too long (at most 64 KiB)");
    }
    json_t *copy = json_deep_copy(w);
    json_t *exclude = json_object_get(copy, "exclude");
    json_t *keep = json_object_get(copy, "keep");
    json_t *syn = json_object_get(copy, "synonyms");
    json_t *nt = json_object_get(copy, "not_typos");
    const char *s = text;
    size_t sl = len;
    trim(&s, &sl);
    char *one = strndup(s, sl);
    int rc = 0;
    if (one == NULL) {
        rc = sv_fail(err, errlen, "out of memory");
    } else if (strcmp(op, "exclude") == 0) {
        rc = add_lines(exclude, false, text, len, err, errlen);
        size_t k;
        json_t *v;
        json_array_foreach(exclude, k, v)
        {
            remove_item(keep, json_string_value(v), false);
        }
    } else if (strcmp(op, "synonyms") == 0) {
        rc = add_lines(syn, true, text, len, err, errlen);
    } else if (strcmp(op, "include") == 0) {
        remove_item(exclude, one, false);
        rc = add_text(keep, s, sl, 1, err, errlen);
    } else if (strcmp(op, "reexclude") == 0) {
        remove_item(keep, one, false);
    } else if (strcmp(op, "remove-exclusion") == 0) {
        remove_item(exclude, one, false);
    } else if (strcmp(op, "not-typo") == 0) {
        rc = add_text(nt, s, sl, 1, err, errlen);
    } else if (strcmp(op, "typo") == 0) {
        remove_item(nt, one, false);
    } else if (strcmp(op, "remove-synonym") == 0) {
        remove_item(syn, one, true);
    } else if (strcmp(op, "merge-plurals") == 0 || strcmp(op, "keep-plurals") == 0) {
        /* the CLI's --merge-plurals: a plural counted with its singular
         * when both are written; undone as a whole */
        json_object_set_new(copy, "plurals", json_boolean(strcmp(op, "merge-plurals") == 0));
    } else {
        rc = sv_fail(err, errlen, "unknown word edit (exclude, synonyms, include, reexclude, "
                               "remove-exclusion, not-typo, typo, remove-synonym, "
                               "merge-plurals, keep-plurals)");
    }
    free(one);
    if (rc == 0) {
        json_object_update(w, copy);
    }
    json_decref(copy);
    return rc;
}

/* ---- the CLI's files ------------------------------------------------ */

static int write_file(const char *dir, const char *name, const char *text, char *err,
                      size_t errlen)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return sv_fail(err, errlen, "%s could not be written", name);
    }
    fputs(text, f);
    return fclose(f) == 0 ? 0 : sv_fail(err, errlen, "%s could not be written", name);
}

/* The default non-answers minus those kept as words. */
static void defaults_except(FILE *f, const char *defaults, size_t dlen, json_t *keep)
{
    for (size_t i = 0; i < dlen;) {
        const char *nl = memchr(defaults + i, '\n', dlen - i);
        size_t n = nl ? (size_t)(nl - (defaults + i)) : dlen - i;
        char line[SV_WORDS_MAX_TEXT + 1];
        if (n > 0 && n <= SV_WORDS_MAX_TEXT && defaults[i] != '#') {
            memcpy(line, defaults + i, n);
            line[n] = '\0';
            if (find(keep, line, false) < 0) {
                fprintf(f, "%s\n", line);
            }
        }
        i += n + (nl ? 1 : 0);
    }
}

static int push2(sv_argv *args, const char *flag, const char *value)
{
    return sv_argv_push(args, flag) | (value ? sv_argv_push(args, value) : 0);
}

int sv_words_write(json_t *w, const char *dir, json_t *vocab, const char *defaults,
                   size_t dlen, sv_argv *args, char *err, size_t errlen)
{
    if (!sv_words_valid(w)) {
        return sv_fail(err, errlen, "the word settings are damaged");
    }
    json_t *exclude = json_object_get(w, "exclude");
    json_t *keep = json_object_get(w, "keep");
    json_t *syn = json_object_get(w, "synonyms");
    json_t *nt = json_object_get(w, "not_typos");
    char *buf = NULL;
    size_t len = 0;
    int rc = 0;
    size_t k;
    json_t *v;
    /* exclude.txt: the officer's exclusions, and the defaults when some
     * are kept (then --no-default-exclusions, the rest listed here). */
    if (json_array_size(exclude) > 0 || json_array_size(keep) > 0) {
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL) {
            return sv_fail(err, errlen, "out of memory");
        }
        json_array_foreach(exclude, k, v)
        {
            fprintf(f, "%s\n", json_string_value(v));
        }
        if (json_array_size(keep) > 0) {
            defaults_except(f, defaults, dlen, keep);
        }
        fclose(f);
        rc = buf ? write_file(dir, "exclude.txt", buf, err, errlen) : -1;
        free(buf);
        buf = NULL;
        rc = rc ? rc : push2(args, "--exclude", "exclude.txt");
        if (rc == 0 && json_array_size(keep) > 0) {
            rc = push2(args, "--no-default-exclusions", NULL);
        }
    }
    if (rc == 0 && json_array_size(syn) > 0) {
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL) {
            return sv_fail(err, errlen, "out of memory");
        }
        json_array_foreach(syn, k, v)
        {
            fprintf(f, "%s = %s\n", json_string_value(json_array_get(v, 0)),
                    json_string_value(json_array_get(v, 1)));
        }
        fclose(f);
        rc = buf ? write_file(dir, "synonyms.txt", buf, err, errlen) : -1;
        free(buf);
        buf = NULL;
        rc = rc ? rc : push2(args, "--synonyms", "synonyms.txt");
    }
    /* vocabulary.txt: the survey's own options (near-misses of them in
     * written answers are typos), and spellings the officer says are not
     * typos (a vocabulary word is never merged into another). */
    if (rc == 0 && json_array_size(vocab) > 0) {
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL) {
            return sv_fail(err, errlen, "out of memory");
        }
        json_array_foreach(vocab, k, v)
        {
            const char *s = json_string_value(v);
            if (s != NULL && item_ok(s, strlen(s))) {
                fprintf(f, "%s\n", s);
            }
        }
        json_array_foreach(nt, k, v)
        {
            fprintf(f, "%s\n", json_string_value(v));
        }
        fclose(f);
        rc = buf ? write_file(dir, "vocabulary.txt", buf, err, errlen) : -1;
        free(buf);
        rc = rc ? rc : push2(args, "--vocabulary", "vocabulary.txt");
    }
    if (rc == 0 && json_is_true(json_object_get(w, "plurals"))) {
        rc = push2(args, "--merge-plurals", NULL);
    }
    if (rc != 0 && err[0] == '\0') {
        sv_fail(err, errlen, "out of memory");
    }
    return rc;
}
