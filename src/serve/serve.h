/* serve.h - `votecloud serve`: the self-hosted web app.  Pure helpers
 * (routing, the option whitelist) are separate from the HTTP server so the
 * fuzzer and tests reach them without a socket. */
#ifndef VC_SERVE_H
#define VC_SERVE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SV_ID_HEX 32            /* 128 random bits, lower-case hex */
#define SV_MAX_OPTION_TEXT 2000 /* bytes of one text option */

enum { SV_RENDER = 1u << 0, SV_BATCH = 1u << 1 };

/* A NULL-terminated argv being built; every string owned. */
typedef struct sv_argv {
    char **v;
    size_t n, cap;
} sv_argv;

int sv_argv_push(sv_argv *a, const char *s);

/* Writes a message into err (errlen bytes) and returns -1: how the
 * parsers here (options, words, styles, live rooms) fail. */
__attribute__((format(printf, 3, 4))) int sv_fail(char *err, size_t errlen, const char *fmt,
                                                  ...);
void sv_argv_free(sv_argv *a);

/* Appends the CLI arguments for the JSON object `json` (options named like
 * the CLI's long options without dashes) to `out`.  `where` is SV_RENDER or
 * SV_BATCH.  Returns 0, or -1 with a message naming the option in err. */
int sv_options_to_argv(const char *json, size_t len, unsigned where, sv_argv *out,
                       char *err, size_t errlen);

typedef enum sv_route_kind {
    SV_NOT_FOUND = 0,
    SV_BAD_METHOD,
    SV_HEALTH,
    SV_PAGE,
    SV_UPLOAD,
    SV_CLOUD,
    SV_BATCH_RUN,
    SV_CLOUD_FILE,
    SV_BATCH_FILE,
    SV_UPLOAD_PAGE, /* GET /u/{id}: the columns and style form (no JavaScript) */
    SV_UPLOAD_FORM, /* POST /u/{id}: that form, form-encoded */
    SV_CLOUD_PAGE,  /* GET /c/{id}: the cloud, its alt text, downloads */
    SV_WORDS,       /* POST /api/uploads/{id}/words: the words step */
    SV_STYLES,      /* GET /api/styles: the house styles */
    SV_STYLE_SAVE,  /* POST /api/styles {"name", "options"} */
    SV_STYLE_LOAD,  /* POST /api/styles/load {"name", "text"}: a CLI style file read */
    SV_STYLE_FILE,  /* GET /api/styles/file?name=NAME: as the CLI's style file */
    SV_FONT,        /* POST /api/fonts multipart, field 'font' (.ttf, .otf) */
    SV_CLOUD_ALT,   /* POST /api/clouds/{id}/alt {"alt_text"}: the officer's alt text */
    SV_CLOUD_FORM,  /* POST /c/{id}: that, form-encoded (no JavaScript) */
    SV_GALLERY_FILE, /* GET /api/batches/{id}/gallery/NAME: one file of the gallery */
} sv_route_kind;

typedef struct sv_request_route {
    sv_route_kind kind;
    char id[SV_ID_HEX + 1]; /* valid hex when the route has an id */
    const char *asset;      /* static: the page asset or the file name */
    char name[128];         /* SV_GALLERY_FILE: [a-z0-9._-], no leading '.' */
} sv_request_route;

/* The value an option of the whitelist takes (UNKNOWN: not allowed). */
typedef enum sv_option_kind {
    SV_OPTION_UNKNOWN = 0,
    SV_OPTION_TEXT,
    SV_OPTION_INT,
    SV_OPTION_NUMBER,
    SV_OPTION_FLAG,
} sv_option_kind;
sv_option_kind sv_option_kind_of(const char *name, unsigned where);

/* style.c: house styles as the CLI's style files (src/cli/style.c's
 * format: 'key = value' lines, keys long option names, '#' comments, values
 * in quotes keep spaces).  Parse: at most SV_STYLE_MAX_BYTES, NUL and
 * invalid UTF-8 refused, every error "NAME:LINE: ..."; keys must be options
 * of the whitelist (a path option is refused by name); the result is a JSON
 * options object.  Write: the reverse, NULL when out of memory. */
#define SV_STYLE_MAX_BYTES (1u << 20)
#define SV_STYLE_MAX_KEYS 200
int sv_style_parse(const char *name, const char *text, size_t len, json_t **out, char *err,
                   size_t errlen);
char *sv_style_write(json_t *options, const char *title);

/* Valid UTF-8 with no control characters (text that reaches argv, files
 * the CLI reads, SVG and alt text). */
bool sv_text_ok(const char *s, size_t len);

/* words.c: an upload's word choices, as JSON
 * {"exclude": [TEXT], "keep": [TEXT], "synonyms": [[VARIANT, CANONICAL]],
 *  "not_typos": [TEXT]}: the officer's exclusions, default non-answers
 * kept as words, synonyms, and spellings that are not typos.  Bounded:
 * SV_WORDS_MAX_ITEMS per list, SV_WORDS_MAX_TEXT bytes per text. */
#define SV_WORDS_MAX_ITEMS 500
#define SV_WORDS_MAX_TEXT 200
json_t *sv_words_new(void);
/* True when `w` has the shape above and every text passes the rules. */
bool sv_words_valid(json_t *w);
/* Applies one edit: op "exclude" or "synonyms" take the text of a box (one
 * item a line; synonyms 'variant = canonical'); "include" (keep an excluded
 * answer), "reexclude", "not-typo" (undo a vocabulary merge), "typo",
 * "remove-synonym" and "remove-exclusion" take one text; "merge-plurals" and
 * "keep-plurals" (the CLI's --merge-plurals, "plurals": true) take none.  Returns 0, or -1
 * with a message naming the line in err; `w` is unchanged on error. */
int sv_words_apply(json_t *w, const char *op, const char *text, size_t len, char *err,
                   size_t errlen);
/* Writes exclude.txt, synonyms.txt and vocabulary.txt (only those needed)
 * into `dir` and appends the CLI flags naming them to args.  `vocab` is a
 * JSON array of words (may be NULL); `defaults` the default non-answers
 * file (src/data/nonanswers-en.txt).  Returns 0 or -1 with err. */
int sv_words_write(json_t *w, const char *dir, json_t *vocab, const char *defaults,
                   size_t dlen, sv_argv *args, char *err, size_t errlen);

/* Parses METHOD and URL path into a route.  Ids are checked as 32
 * lower-case hex digits, so no route can name "..". */
int sv_route(const char *method, const char *url, sv_request_route *r);
bool sv_id_valid(const char *s, size_t len);

/* The subcommand. */
int cmd_serve(int argc, char **argv);

#endif
