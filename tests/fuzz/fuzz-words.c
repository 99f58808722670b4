/* fuzz-words.c - the web app's words step (src/serve/words.c): the edits
 * the page sends (the exclusions and synonyms boxes, one-click undo) and
 * the settings read back from the index, then the CLI files they become.
 * Invariants on every input: the settings stay valid and bounded, every
 * written line is text without controls, a synonyms line has exactly one
 * '=', and the flags name only the fixed file names. */
#define _GNU_SOURCE
#include "fuzz.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const ops[] = {"exclude", "synonyms", "include", "reexclude",
                                  "remove-exclusion", "not-typo", "typo", "remove-synonym"};

static void check_file(const char *dir, const char *name, bool pairs)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    char line[4096];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\n");
        line[n] = '\0';
        if (!sv_text_ok(line, n)) {
            abort(); /* a control character reached a CLI file */
        }
        char *eq = strchr(line, '=');
        if (pairs && (eq == NULL || strchr(eq + 1, '=') != NULL)) {
            abort(); /* a synonyms line the CLI would split otherwise */
        }
    }
    fclose(f);
    unlink(path);
}

static char dir[64];

static void remove_dir(void)
{
    rmdir(dir); /* every file in it was removed after its check */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/fuzz-words-XXXXXX");
        if (mkdtemp(dir) == NULL) {
            return 0;
        }
        atexit(remove_dir);
    }
    if (size < 1) {
        return 0;
    }
    const char *rest = (const char *)data + 1;
    size_t len = size - 1;
    json_t *w;
    if (data[0] == 0xff) {
        /* settings as stored in the index, possibly damaged */
        w = json_loadb(rest, len, 0, NULL);
        if (!sv_words_valid(w)) {
            json_decref(w);
            return 0;
        }
    } else {
        w = sv_words_new();
        /* several edits: the text split at NUL bytes, one op each */
        unsigned op = data[0];
        size_t at = 0;
        while (at <= len) {
            const char *nul = memchr(rest + at, '\0', len - at);
            size_t n = nul ? (size_t)(nul - (rest + at)) : len - at;
            char err[256] = "";
            sv_words_apply(w, ops[op % 8], rest + at, n, err, sizeof err);
            if (!sv_words_valid(w)) {
                abort(); /* an edit broke the settings */
            }
            op = op / 8 + (unsigned)n;
            at += n + 1;
        }
    }
    json_t *vocab = json_pack("[sss]", "Kindness", "#not a word", "a=b");
    sv_argv args = {0};
    char err[256] = "";
    static const char defaults[] = "# comment\nn/a\nnone\n";
    if (sv_words_write(w, dir, vocab, defaults, sizeof defaults - 1, &args, err, sizeof err) == 0) {
        static const char *const allowed[] = {"--exclude", "exclude.txt", "--no-default-exclusions",
                                              "--synonyms", "synonyms.txt", "--vocabulary",
                                              "vocabulary.txt"};
        for (size_t i = 0; i < args.n; i++) {
            bool fine = false;
            for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++) {
                fine = fine || strcmp(args.v[i], allowed[k]) == 0;
            }
            if (!fine) {
                abort();
            }
        }
    }
    check_file(dir, "exclude.txt", false);
    check_file(dir, "synonyms.txt", true);
    check_file(dir, "vocabulary.txt", false);
    sv_argv_free(&args);
    json_decref(vocab);
    json_decref(w);
    return 0;
}
