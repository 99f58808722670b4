/* style.c - reads house-style files: `key = value` lines whose keys are
 * long option names, so the comms team sets font and palette once.  Blank
 * lines and '#' comments are ignored.  This file only reads and splits;
 * options.c checks the keys and values and reports FILE:LINE, so the two
 * do not call each other. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n')) {
        s[--n] = '\0';
    }
    /* Values may be quoted to keep surrounding spaces or a '#'. */
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

void cli_style_free(cli_style *st)
{
    if (!st) {
        return;
    }
    for (size_t i = 0; i < st->n; i++) {
        free(st->v[i].key);
        free(st->v[i].value);
    }
    free(st->v);
    memset(st, 0, sizeof *st);
}

static bool push(cli_style *st, const char *key, const char *value, size_t line)
{
    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 16;
        cli_style_pair *p = realloc(st->v, ncap * sizeof *p);
        if (!p) {
            return false;
        }
        st->v = p;
        st->cap = ncap;
    }
    cli_style_pair *p = &st->v[st->n];
    p->key = strdup(key);
    p->value = strdup(value);
    p->line = line;
    if (!p->key || !p->value) {
        free(p->key);
        free(p->value);
        return false;
    }
    st->n++;
    return true;
}

/* Splits one line; `text` is NUL-terminated and has no '\n'. */
static int split_line(cli_style *st, const char *path, size_t lineno, char *text)
{
    char *s = trim(text);
    if (*s == '\0' || *s == '#') {
        return 0;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        return cli_fail(VC_ERR_USAGE, "%s:%zu: expected 'key = value'", path, lineno);
    }
    *eq = '\0';
    char *key = trim(s);
    char *value = trim(eq + 1);
    if (strncmp(key, "--", 2) == 0) {
        key += 2;
    }
    if (!push(st, key, value, lineno)) {
        return cli_fail(VC_ERR_NOMEM, "%s: out of memory reading style", path);
    }
    return 0;
}

int cli_style_read(const char *path, cli_style *st)
{
    memset(st, 0, sizeof *st);
    char *data = NULL;
    size_t len = 0;
    vc_error err = {0};
    if (!cli_read_small_file(path, CLI_STYLE_MAX_BYTES, &data, &len, &err)) {
        return cli_report(&err);
    }
    /* NUL and invalid UTF-8 are refused with their line, never truncated. */
    if (!vc_text_check_utf8(data, len, path, &err)) {
        free(data);
        return cli_report(&err);
    }
    char *p = data;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
    }
    int rc = 0;
    for (size_t lineno = 1; rc == 0 && *p; lineno++) {
        char *nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
        }
        rc = split_line(st, path, lineno, p);
        p = nl ? nl + 1 : p + strlen(p);
    }
    free(data);
    if (rc) {
        cli_style_free(st);
    }
    return rc;
}
