/* words-run.c - the words step on the server: the counted table for an
 * upload and a column choice (`votecloud count` with the merge report), the
 * officer's word choices kept in the index ("words:UPLOAD"), and the
 * vocabulary of typo merges (the ticked choice columns' options, cached per
 * upload and columns as "vocab:UPLOAD:COLUMNS").  Every file the CLI reads
 * is written by words.c into a job's own folder. */
#define _GNU_SOURCE
#include "serve-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define WORDS_SHOWN 300

json_t *sv_words_load(sv_server *s, const char *upload)
{
    json_t *w = sv_setting_object(s, "words:", upload);
    if (!sv_words_valid(w)) {
        json_decref(w);
        w = sv_words_new();
    }
    return w;
}

static int words_save(sv_server *s, const char *upload, json_t *w)
{
    char key[64];
    snprintf(key, sizeof key, "words:%s", upload);
    char *text = json_dumps(w, JSON_COMPACT);
    int rc = text ? sv_setting_put(s, key, text) : -1;
    free(text);
    return rc;
}

/* A job folder under the upload with the upload linked in as upload.EXT. */
static int job_folder(sv_server *s, const char *upload, char *dir, size_t dirlen, char *link,
                      size_t linklen)
{
    char updir[4300], input[32], id[SV_ID_HEX + 1];
    snprintf(updir, sizeof updir, "%s/uploads/%s", s->data, upload);
    if (!sv_upload_input_name(updir, input, sizeof input) || sv_new_id(id) != 0) {
        return -1;
    }
    snprintf(dir, dirlen, "%s/w-%s", updir, id);
    snprintf(link, linklen, "upload.%s", strchr(input, '.') + 1);
    char lpath[4500], target[64];
    snprintf(lpath, sizeof lpath, "%s/%s", dir, link);
    snprintf(target, sizeof target, "../%s", input);
    if (mkdir(dir, 0700) != 0) {
        return -1;
    }
    if (symlink(target, lpath) != 0) {
        sv_rmtree(dir);
        return -1;
    }
    return 0;
}

/* The columns of an options object as CLI arguments (the whitelist's own
 * checks), for `count`. */
static unsigned column_args(json_t *options, sv_argv *cmd, char *err, size_t errlen)
{
    json_t *o = json_object();
    static const char *const keys[] = {"columns", "free-text-columns"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(options, keys[i]);
        if (v != NULL) {
            json_object_set(o, keys[i], v);
        }
    }
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    int rc = text ? sv_options_to_argv(text, strlen(text), SV_RENDER, cmd, err, errlen) : -1;
    free(text);
    return rc == 0 ? 0 : 400;
}

/* Runs `votecloud count` in dir; the TSV rows as [[text, count, group]]. */
static unsigned run_count(sv_server *s, const char *dir, sv_argv *cmd, json_t **rows, char *err,
                          size_t errlen)
{
    char out[4500], errp[4500];
    snprintf(out, sizeof out, "%s/count.tsv", dir);
    snprintf(errp, sizeof errp, "%s/count.err", dir);
    int exit_status = -1;
    unsigned st = sv_run(s, dir, cmd, out, errp, &exit_status) != 0 ? 500
                                                                    : sv_child_status(exit_status);
    if (st != 0) {
        sv_child_reason(errp, st, "the words could not be counted", err, errlen);
        return st;
    }
    char *text = sv_read_small(out, 64 << 20);
    *rows = json_array();
    size_t line = 0;
    for (char *p = text, *nl; p != NULL && *p; p = nl ? nl + 1 : NULL, line++) {
        nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *t1 = strchr(p, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (line == 0 || t2 == NULL) {
            continue; /* the header */
        }
        *t1 = *t2 = '\0';
        json_array_append_new(*rows, json_pack("[s,f,s]", p, strtod(t1 + 1, NULL), t2 + 1));
    }
    free(text);
    return 0;
}

/* The ticked choice columns' options, for typo merges of written answers;
 * NULL when there are not both kinds of column. */
static json_t *vocabulary(sv_server *s, const char *upload, json_t *options, char *err,
                          size_t errlen)
{
    const char *cols = json_string_value(json_object_get(options, "columns"));
    const char *free_cols = json_string_value(json_object_get(options, "free-text-columns"));
    if (cols == NULL || cols[0] == '\0' || free_cols == NULL || free_cols[0] == '\0' ||
        strlen(cols) > 1000) {
        return NULL;
    }
    char key[1100];
    snprintf(key, sizeof key, "vocab:%s:%s", upload, cols);
    char *cached = sv_setting_get(s, key);
    json_t *v = cached ? json_loads(cached, 0, NULL) : NULL;
    free(cached);
    if (json_is_array(v)) {
        return v;
    }
    json_decref(v);
    v = NULL;
    char dir[4500], link[32];
    if (job_folder(s, upload, dir, sizeof dir, link, sizeof link) != 0) {
        return NULL;
    }
    sv_argv cmd = {0};
    json_t *only = json_pack("{s:s}", "columns", cols);
    json_t *rows = NULL;
    if (sv_argv_push(&cmd, "count") == 0 && sv_argv_push(&cmd, link) == 0 &&
        column_args(only, &cmd, err, errlen) == 0 && sv_argv_push(&cmd, "--quiet") == 0 &&
        run_count(s, dir, &cmd, &rows, err, errlen) == 0) {
        v = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            json_array_append(v, json_array_get(r, 0));
        }
        char *text = json_dumps(v, JSON_COMPACT);
        if (text != NULL) {
            sv_setting_put(s, key, text);
        }
        free(text);
    }
    json_decref(rows);
    json_decref(only);
    sv_argv_free(&cmd);
    sv_rmtree(dir);
    return v;
}

int sv_words_args(sv_server *s, const char *upload, json_t *options, const char *dir,
                  sv_argv *cmd, char *err, size_t errlen)
{
    json_t *w = sv_words_load(s, upload);
    json_t *vocab = vocabulary(s, upload, options, err, errlen);
    size_t dlen = 0;
    const char *defaults = sv_embedded("nonanswers-en.txt", &dlen);
    err[0] = '\0';
    int rc = sv_words_write(w, dir, vocab, defaults, dlen, cmd, err, errlen);
    json_decref(w);
    json_decref(vocab);
    return rc;
}

/* The report's lists, with who excluded what. */
static json_t *table(json_t *rows, json_t *report, json_t *w)
{
    json_t *words = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (i >= WORDS_SHOWN) {
            break;
        }
        json_array_append_new(words, json_pack("{s:O,s:O,s:O}", "text", json_array_get(r, 0),
                                               "count", json_array_get(r, 1), "group",
                                               json_array_get(r, 2)));
    }
    json_t *excluded = json_array();
    json_array_foreach(json_object_get(report, "excluded_list"), i, r)
    {
        const char *t = json_string_value(json_object_get(r, "text"));
        bool mine = false;
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(w, "exclude"), k, e)
        {
            mine = mine || (t != NULL && strcasecmp(t, json_string_value(e)) == 0);
        }
        json_array_append_new(excluded, json_pack("{s:O,s:O,s:s}", "text",
                                                  json_object_get(r, "text"), "count",
                                                  json_object_get(r, "count"), "by",
                                                  mine ? "you" : "default"));
    }
    json_t *merges = json_object_get(report, "list");
    return json_pack("{s:o,s:I,s:O,s:o,s:O}", "words", words, "n_words",
                     (json_int_t)json_array_size(rows), "merges",
                     json_is_array(merges) ? merges : json_array(), "excluded", excluded,
                     "settings", w);
}

unsigned sv_words_table(sv_server *s, const char *upload, json_t *options, json_t *w,
                        json_t **out, char *err, size_t errlen)
{
    char dir[4500], link[32];
    if (job_folder(s, upload, dir, sizeof dir, link, sizeof link) != 0) {
        snprintf(err, errlen, "no such upload (unknown or expired)");
        return 404;
    }
    sv_argv cmd = {0};
    unsigned st = 500;
    json_t *rows = NULL, *report = NULL;
    json_t *vocab = vocabulary(s, upload, options, err, errlen);
    size_t dlen = 0;
    const char *defaults = sv_embedded("nonanswers-en.txt", &dlen);
    err[0] = '\0';
    if (sv_argv_push(&cmd, "count") == 0 && sv_argv_push(&cmd, link) == 0) {
        st = column_args(options, &cmd, err, errlen);
        if (st == 0 && sv_words_write(w, dir, vocab, defaults, dlen, &cmd, err, errlen) != 0) {
            st = 500;
        }
        if (st == 0 && (sv_argv_push(&cmd, "--report") || sv_argv_push(&cmd, "report.json") ||
                        sv_argv_push(&cmd, "--quiet"))) {
            st = 500;
        }
        if (st == 0) {
            st = run_count(s, dir, &cmd, &rows, err, errlen);
        }
    }
    if (st == 0) {
        char rp[4600];
        snprintf(rp, sizeof rp, "%s/report.json", dir);
        char *text = sv_read_small(rp, 64 << 20);
        report = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        *out = table(rows, report, w);
    }
    json_decref(rows);
    json_decref(report);
    json_decref(vocab);
    sv_argv_free(&cmd);
    sv_rmtree(dir);
    return st;
}

unsigned sv_words_edit(sv_server *s, const char *upload, json_t *options, const char *op,
                       const char *text, json_t **out, char *err, size_t errlen)
{
    json_t *w = sv_words_load(s, upload);
    if (op != NULL && op[0] != '\0' &&
        sv_words_apply(w, op, text ? text : "", text ? strlen(text) : 0, err, errlen) != 0) {
        json_decref(w);
        return 400;
    }
    json_t *cols = json_object();
    static const char *const keys[] = {"columns", "free-text-columns"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(options, keys[i]);
        if (json_is_string(v)) {
            json_object_set(cols, keys[i], v);
        }
    }
    json_object_set_new(w, "selection", cols);
    /* Counted before it is kept: an edit the CLI refuses (a synonym cycle)
     * is reported with its line and not saved. */
    unsigned st = sv_words_table(s, upload, cols, w, out, err, errlen);
    if (st == 0 && words_save(s, upload, w) != 0) {
        json_decref(*out);
        *out = NULL;
        snprintf(err, errlen, "the index could not be written");
        st = 500;
    }
    json_decref(w);
    return st;
}
