/* paths.c - checks on the files one run reads and writes, before any work:
 * no output is also an input or another output of the same run (compared
 * by device and inode, or for a file not yet made by its folder's inode and
 * its name), no empty output name, and no output name so long that its
 * temporary sibling cannot exist. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

/* render stages each output as ".vc-XXXXXX-NAME" (11 bytes more), which
 * the library writes through ".STAGED.tmp-XXXXXX" (12 more). */
#define TEMP_NAME_EXTRA 23

typedef struct file_id {
    bool exists;     /* dev/ino name the file itself */
    dev_t dev;
    ino_t ino;
    const char *base; /* when !exists: name inside the folder dev/ino */
    size_t base_len;
} file_id;

typedef struct named_path {
    const char *path;
    const char *what; /* the option, for the message */
    bool output;
} named_path;

static const char *base_name(const char *path, size_t *len)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') {
        n--;
    }
    size_t start = n;
    while (start > 0 && path[start - 1] != '/') {
        start--;
    }
    *len = n - start;
    return path + start;
}

/* Identity of `path`; false when neither it nor its folder can be found
 * (then it cannot clash with anything that exists). */
static bool identify(const char *path, file_id *id)
{
    struct stat st;
    memset(id, 0, sizeof *id);
    if (stat(path, &st) == 0) {
        id->exists = true;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return true;
    }
    size_t len;
    const char *base = base_name(path, &len);
    size_t dir_len = (size_t)(base - path);
    char *dir = dir_len ? strndup(path, dir_len) : strdup(".");
    bool ok = dir && stat(dir, &st) == 0;
    free(dir);
    if (!ok) {
        return false;
    }
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->base = base;
    id->base_len = len;
    return true;
}

static bool same_id(const file_id *a, const file_id *b)
{
    if (a->exists != b->exists || a->dev != b->dev || a->ino != b->ino) {
        return false;
    }
    return a->exists || (a->base_len == b->base_len && memcmp(a->base, b->base, a->base_len) == 0);
}

static bool is_stdio(const char *path)
{
    return strcmp(path, "-") == 0;
}

static void add(named_path *v, size_t *n, size_t cap, const char *path, const char *what,
                bool output)
{
    if (path && *n < cap) {
        v[(*n)++] = (named_path){path, what, output};
    }
}

/* Every file the run reads or writes, with the option naming it. */
static size_t collect(const cli_opts *o, named_path *v, size_t cap)
{
    size_t n = 0;
    bool batch = o->command == CLI_BATCH;
    for (size_t i = 0; i < o->n_inputs; i++) {
        add(v, &n, cap, o->inputs[i], "input", false);
    }
    for (size_t i = 0; i < o->n_stopword_files; i++) {
        add(v, &n, cap, o->stopword_files[i], "--stopwords", false);
    }
    for (size_t i = 0; i < o->n_exclude_files; i++) {
        add(v, &n, cap, o->exclude_files[i], "--exclude", false);
    }
    add(v, &n, cap, o->synonyms, "--synonyms", false);
    add(v, &n, cap, o->vocabulary, "--vocabulary", false);
    add(v, &n, cap, o->style, "--style", false);
    add(v, &n, cap, o->manifest, "--manifest", false);
    add(v, &n, cap, o->render.mask_path, "--mask", false);
    add(v, &n, cap, o->render.font, "--font", false);
    if (!batch) {
        for (size_t i = 0; i < o->n_outputs; i++) {
            add(v, &n, cap, o->outputs[i], "-o", true);
        }
    }
    add(v, &n, cap, o->report, "--report", true);
    add(v, &n, cap, o->layout_json, "--layout-json", true);
    add(v, &n, cap, o->alt_text, "--alt-text", true);
    add(v, &n, cap, o->pack, "--pack", true);
    for (size_t i = 0; o->pack && i < CLI_PACK_N; i++) {
        add(v, &n, cap, o->pack_paths[i], "--pack", true);
    }
    for (size_t i = 0; i < o->n_tables; i++) {
        add(v, &n, cap, o->tables[i], "--table", true);
    }
    return n;
}

static int check_name(const named_path *p)
{
    if (!*p->path) {
        return cli_fail(VC_ERR_USAGE, "%s: an empty file name", p->what);
    }
    if (!p->output || is_stdio(p->path)) {
        return 0;
    }
    size_t len;
    base_name(p->path, &len);
    if (len + TEMP_NAME_EXTRA > NAME_MAX) {
        return cli_fail(VC_ERR_USAGE,
                        "%s: the file name is %zu bytes; at most %d fit (the file "
                        "system allows %d, and writing needs %d more for a temporary name)",
                        p->what, len, NAME_MAX - TEMP_NAME_EXTRA, NAME_MAX, TEMP_NAME_EXTRA);
    }
    return 0;
}

int cli_check_paths(const cli_opts *o)
{
    enum { CAP = 7 * CLI_MAX_LIST + 16 + CLI_PACK_N + 1 };
    named_path v[CAP];
    file_id ids[CAP];
    bool known[CAP];
    size_t n = collect(o, v, CAP);
    if (o->command == CLI_BATCH && o->n_outputs == 1 && !*o->outputs[0]) {
        return cli_fail(VC_ERR_USAGE, "-o: an empty folder name");
    }
    for (size_t i = 0; i < n; i++) {
        int rc = check_name(&v[i]);
        if (rc) {
            return rc;
        }
        known[i] = !is_stdio(v[i].path) && identify(v[i].path, &ids[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (!v[i].output || !known[i]) {
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            if (j == i || !known[j] || (v[j].output && j > i) || !same_id(&ids[i], &ids[j])) {
                continue;
            }
            if (v[j].output) {
                return cli_fail(VC_ERR_USAGE, "%s %s and %s %s are the same file; "
                                "refusing to write it twice", v[j].what, v[j].path,
                                v[i].what, v[i].path);
            }
            return cli_fail(VC_ERR_USAGE, "%s %s is also the %s %s; refusing to overwrite "
                            "an input", v[i].what, v[i].path,
                            strcmp(v[j].what, "input") == 0 ? "input" : v[j].what, v[j].path);
        }
    }
    return 0;
}
