/* style-run.c - house styles and fonts on the server: styles kept in the
 * index ("style:NAME" -> JSON options), turned into the CLI's style file
 * and read back from one (style.c); fonts uploaded as .ttf/.otf, checked
 * by drawing a word with them (the CLI, through the zygote), kept in
 * fonts/ID/font.EXT and linked into a job's folder as font.EXT. */
#define _GNU_SOURCE
#include "serve-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STYLE_NAME_MAX 60

static bool name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 0 && n <= STYLE_NAME_MAX && name[0] != ' ' && name[n - 1] != ' ' &&
           sv_text_ok(name, n);
}

/* Checks options as a render would take them (the whitelist's own
 * rules), without the font, which is ours. */
static unsigned options_ok(json_t *options, char *err, size_t errlen)
{
    if (!json_is_object(options)) {
        snprintf(err, errlen, "options must be a JSON object");
        return 400;
    }
    json_t *copy = json_deep_copy(options);
    json_object_del(copy, "font-id");
    json_object_del(copy, "font-name");
    char *text = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    sv_argv a = {0};
    int rc = text ? sv_options_to_argv(text, strlen(text), SV_RENDER, &a, err, errlen) : -1;
    free(text);
    sv_argv_free(&a);
    json_t *font = json_object_get(options, "font-id");
    if (rc == 0 && font != NULL &&
        (!json_is_string(font) || !sv_id_valid(json_string_value(font), json_string_length(font)))) {
        snprintf(err, errlen, "option 'font-id' takes the id of an uploaded font");
        rc = -1;
    }
    return rc == 0 ? 0 : 400;
}

unsigned sv_style_save_options(sv_server *s, const char *name, json_t *options, char *err,
                               size_t errlen)
{
    if (!name_ok(name)) {
        snprintf(err, errlen, "a house style needs a name: 1-%d characters of text", STYLE_NAME_MAX);
        return 400;
    }
    unsigned st = options_ok(options, err, errlen);
    if (st != 0) {
        return st;
    }
    json_t *keep = json_deep_copy(options);
    json_object_del(keep, "columns");
    json_object_del(keep, "free-text-columns");
    char key[128], *text = json_dumps(keep, JSON_COMPACT);
    snprintf(key, sizeof key, "style:%s", name);
    if (text == NULL || sv_setting_put(s, key, text) != 0) {
        snprintf(err, errlen, "the index could not be written");
        st = 500;
    }
    free(text);
    json_decref(keep);
    return st;
}

unsigned sv_style_save(sv_server *s, const char *body, size_t len, json_t **out, char *err,
                       size_t errlen)
{
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    const char *name = json_string_value(json_object_get(o, "name"));
    unsigned st = sv_style_save_options(s, name, json_object_get(o, "options"), err, errlen);
    if (st == 0) {
        *out = json_pack("{s:s}", "name", name);
    }
    json_decref(o);
    return st;
}

json_t *sv_style_get(sv_server *s, const char *name)
{
    if (!name_ok(name)) {
        return NULL;
    }
    return sv_setting_object(s, "style:", name);
}

json_t *sv_style_list(sv_server *s)
{
    json_t *names = sv_setting_keys(s, "style:");
    json_t *list = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n)
    {
        json_t *options = sv_setting_object(s, "style:", json_string_value(n));
        if (options) {
            json_array_append_new(list, json_pack("{s:O,s:o}", "name", n, "options", options));
        }
    }
    json_decref(names);
    return json_pack("{s:o}", "styles", list);
}

/* The CLI's style file of a saved house style; NULL if unknown. */
char *sv_style_file(sv_server *s, const char *name)
{
    json_t *options = sv_style_get(s, name);
    if (options == NULL) {
        return NULL;
    }
    /* The font is the officer's upload: named for the CLI user, who puts
     * the file beside the style file. */
    const char *font = json_string_value(json_object_get(options, "font-name"));
    json_t *plain = json_deep_copy(options);
    json_object_del(plain, "font-id");
    json_object_del(plain, "font-name");
    char *file = sv_style_write(plain, name);
    if (file != NULL && font != NULL && sv_text_ok(font, strlen(font)) && strchr(font, '/') == NULL) {
        char *with = NULL;
        if (asprintf(&with, "%sfont = %s\n", file, font) >= 0) {
            free(file);
            file = with;
        }
    }
    json_decref(plain);
    json_decref(options);
    return file;
}

unsigned sv_style_load_text(const char *name, const char *text, size_t len, json_t **options,
                            char *err, size_t errlen)
{
    /* Errors name the file as the officer knows it, never a server path. */
    char shown[80];
    snprintf(shown, sizeof shown, "%.60s", name && sv_text_ok(name, strlen(name)) ? name : "style");
    for (char *p = shown; *p; p++) {
        *p = *p == '/' ? '_' : *p;
    }
    *options = NULL;
    unsigned st = sv_style_parse(shown, text, len, options, err, errlen) == 0 ? 0 : 400;
    if (st == 0) {
        st = options_ok(*options, err, errlen);
    }
    if (st != 0) {
        json_decref(*options);
        *options = NULL;
    }
    return st;
}

unsigned sv_style_load(const char *body, size_t len, json_t **out, char *err, size_t errlen)
{
    /* NUL allowed through JSON, so the parser can name its line. */
    json_t *o = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
    json_t *text = json_object_get(o, "text");
    if (!json_is_string(text)) {
        json_decref(o);
        snprintf(err, errlen, "send {\"name\": FILE NAME, \"text\": THE STYLE FILE}");
        return 400;
    }
    json_t *options = NULL;
    unsigned st = sv_style_load_text(json_string_value(json_object_get(o, "name")),
                                     json_string_value(text), json_string_length(text), &options,
                                     err, errlen);
    json_decref(o);
    if (st != 0) {
        return st;
    }
    *out = json_pack("{s:o}", "options", options);
    return 0;
}

/* The style fields of an upload's page without JavaScript, kept between
 * its posts ("form:UPLOAD": options without the columns). */
json_t *sv_form_style_load(sv_server *s, const char *upload)
{
    json_t *o = sv_setting_object(s, "form:", upload);
    return o ? o : json_object();
}

int sv_form_style_save(sv_server *s, const char *upload, json_t *options)
{
    json_t *keep = json_deep_copy(options);
    json_object_del(keep, "columns");
    json_object_del(keep, "free-text-columns");
    char key[64], *text = json_dumps(keep, JSON_COMPACT);
    snprintf(key, sizeof key, "form:%s", upload);
    int rc = text ? sv_setting_put(s, key, text) : -1;
    free(text);
    json_decref(keep);
    return rc;
}

/* ---- fonts ----------------------------------------------------------- */

/* Checks a font by drawing one word with it (FreeType loads it, HarfBuzz
 * shapes it, cairo draws it: the same path as a cloud). */
unsigned sv_font_check(sv_server *s, const char *dir, const char *font_name, const char *shown,
                       char *err, size_t errlen)
{
    char path[4500], out[4500], errp[4500];
    snprintf(path, sizeof path, "%s/check.tsv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs("Aa\t1\n", f) < 0 || fclose(f) != 0) {
        snprintf(err, errlen, "the font could not be stored");
        return 500;
    }
    snprintf(out, sizeof out, "%s/check.out", dir);
    snprintf(errp, sizeof errp, "%s/check.err", dir);
    sv_argv cmd = {0};
    int exit_status = -1;
    int bad = sv_argv_push(&cmd, "render") | sv_argv_push(&cmd, "check.tsv") |
              sv_argv_push(&cmd, "--format") | sv_argv_push(&cmd, "counts") |
              sv_argv_push(&cmd, "--font") | sv_argv_push(&cmd, font_name) |
              sv_argv_push(&cmd, "--width") | sv_argv_push(&cmd, "200") |
              sv_argv_push(&cmd, "--height") | sv_argv_push(&cmd, "100") |
              sv_argv_push(&cmd, "-o") | sv_argv_push(&cmd, "check.svg") |
              sv_argv_push(&cmd, "--quiet");
    unsigned st = bad ? 500 : sv_run(s, dir, &cmd, out, errp, &exit_status) != 0 ? 500
                                                                               : sv_child_status(exit_status);
    sv_argv_free(&cmd);
    if (st == 507) {
        /* The check could not write its files: the disk, not the font. */
        sv_child_reason(errp, st, "", err, errlen);
        return st;
    }
    if (st != 0) {
        char msg[1024];
        sv_child_message(errp, msg, sizeof msg);
        /* "font.ttf: ..." names our copy, not the officer's file */
        size_t n = strlen(font_name);
        const char *why = strncmp(msg, font_name, n) == 0 && msg[n] == ':' ? msg + n + 1 : msg;
        why += strspn(why, " ");
        snprintf(err, errlen, "%s%snot a font votecloud can draw with: %s", shown ? shown : "",
                 shown ? ": " : "", why[0] ? why : "it could not be loaded");
        return 415;
    }
    static const char *const leftovers[] = {"check.tsv", "check.out", "check.err", "check.svg"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, leftovers[i]);
        unlink(path);
    }
    return 0;
}

/* Links fonts/ID/font.EXT into a job's folder and adds --font. */
int sv_font_link(sv_server *s, const char *font_id, const char *dir, sv_argv *cmd, char *err,
                 size_t errlen)
{
    if (!sv_id_valid(font_id, strlen(font_id))) {
        snprintf(err, errlen, "option 'font-id' takes the id of an uploaded font");
        return -1;
    }
    static const char *const exts[] = {"ttf", "otf"};
    for (size_t i = 0; i < 2; i++) {
        char src[4400], rel[128], name[16], dst[4500];
        snprintf(src, sizeof src, "%s/fonts/%s/font.%s", s->data, font_id, exts[i]);
        if (access(src, R_OK) != 0) {
            continue;
        }
        snprintf(rel, sizeof rel, "../../fonts/%s/font.%s", font_id, exts[i]);
        snprintf(name, sizeof name, "font.%s", exts[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, name);
        if ((symlink(rel, dst) != 0 && errno != EEXIST) || sv_argv_push(cmd, "--font") != 0 ||
            sv_argv_push(cmd, name) != 0) {
            snprintf(err, errlen, "the font could not be linked");
            return -1;
        }
        return 0;
    }
    snprintf(err, errlen, "no such font (unknown or removed): upload it again");
    return -1;
}
