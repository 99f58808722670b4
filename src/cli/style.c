/* style.c - house-style files: `key = value` lines whose keys are long
 * option names, so the comms team sets font and palette once.  Blank lines
 * and '#' comments are ignored; flags take `true`/`false`/`yes`/`no`. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_style_key_ok(const char *key, bool *has_arg);

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

static bool flag_value(const char *v, bool *on)
{
    static const char *const yes[] = {"true", "yes", "on", "1", ""};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0) {
            *on = true;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (strcmp(v, no[i]) == 0) {
            *on = false;
            return true;
        }
    }
    return false;
}

static int push_pair(cli_opts *o, char ***args, size_t *n, const char *key,
                     const char *value)
{
    char **p = realloc(*args, (*n + 2) * sizeof **args);
    if (!p) {
        return cli_fail(VC_ERR_NOMEM, "out of memory reading style");
    }
    *args = p;
    p[*n] = cli_own(o, strdup(key));
    p[*n + 1] = cli_own(o, strdup(value));
    if (!p[*n] || !p[*n + 1]) {
        return cli_fail(VC_ERR_NOMEM, "out of memory reading style");
    }
    *n += 2;
    return 0;
}

int cli_style_load(cli_opts *o, const char *path, char ***args, size_t *n_args)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        return cli_fail(VC_ERR_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    size_t lineno = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, fp) != -1) {
        lineno++;
        if (lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0) {
            memmove(line, line + 3, strlen(line + 3) + 1);
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#') {
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = cli_fail(VC_ERR_USAGE, "%s:%zu: expected 'key = value'", path, lineno);
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        if (strncmp(key, "--", 2) == 0) {
            key += 2;
        }
        bool has_arg = false;
        if (!cli_style_key_ok(key, &has_arg)) {
            rc = cli_fail(VC_ERR_USAGE, "%s:%zu: unknown style key '%s' (keys are "
                          "long option names such as font, palette, width)", path, lineno, key);
            break;
        }
        if (!has_arg) {
            bool on;
            if (!flag_value(value, &on)) {
                rc = cli_fail(VC_ERR_USAGE, "%s:%zu: %s: expected true or false, got '%s'",
                              path, lineno, key, value);
                break;
            }
            if (!on) {
                continue;
            }
        }
        rc = push_pair(o, args, n_args, key, value);
    }
    if (rc == 0 && ferror(fp)) {
        rc = cli_fail(VC_ERR_NOINPUT, "%s: read error", path);
    }
    free(line);
    fclose(fp);
    return rc;
}
