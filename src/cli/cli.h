/* cli.h - the votecloud command line: shared option parsing (options.c),
 * house-style files (style.c) and one file per subcommand.  The CLI uses
 * only the public API in votecloud.h. */
#ifndef VC_CLI_H
#define VC_CLI_H

#include "votecloud.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_LIST 32

/* The files of a publish pack (pack.c), in the order they are listed. */
enum {
    CLI_PACK_CLOUD_PNG, CLI_PACK_CLOUD_SVG, CLI_PACK_CLOUD_PDF,
    CLI_PACK_CHART_PNG, CLI_PACK_CHART_SVG, CLI_PACK_CHART_PDF,
    CLI_PACK_CLOUD_ALT, CLI_PACK_CHART_ALT, CLI_PACK_DESC_HTML, CLI_PACK_DESC_TXT,
    CLI_PACK_COUNTS_CSV, CLI_PACK_TABLE_HTML, CLI_PACK_LAYOUT_JSON, CLI_PACK_MERGES_JSON,
    CLI_PACK_INDEX, CLI_PACK_N
};
/* Batch workers: -j above this is refused, and the default (one per core)
 * is capped here, since cairo 1.16 hangs in its font mutexes above ~224. */
#define CLI_MAX_JOBS 64

/* Which subcommand is parsing: options of other subcommands are refused. */
enum {
    CLI_COUNT = 1u << 0,
    CLI_RENDER = 1u << 1,
    CLI_BATCH = 1u << 2,
    CLI_INSPECT = 1u << 3,
};

typedef struct cli_opts {
    unsigned command;            /* one of CLI_COUNT, CLI_RENDER, CLI_BATCH */
    vc_count_options count;
    vc_render_options render;

    /* counting extras */
    const char *stopword_files[CLI_MAX_LIST];
    size_t n_stopword_files;
    const char *synonyms;
    const char *vocabulary;
    const char *report;          /* merge report, JSON */
    const char *exclude_files[CLI_MAX_LIST]; /* --exclude: more non-answers */
    size_t n_exclude_files;
    const char *style;           /* --style, as given */
    bool no_default_exclusions;  /* --no-default-exclusions */

    /* outputs: render files, or batch's folder */
    const char *outputs[CLI_MAX_LIST];
    size_t n_outputs;
    const char *layout_json;
    const char *alt_text;
    const char *tables[CLI_MAX_LIST]; /* .html or .csv */
    size_t n_tables;
    bool timings;
    bool quiet;
    bool json;                   /* inspect --json */

    /* batch */
    const char *manifest;
    int jobs;                    /* 0: number of cores */
    bool same_scale;

    /* the publish pack (issue 15, pack.c) */
    const char *pack;            /* render --pack DIR */
    bool pack_events;            /* batch --pack: a pack per event */
    int64_t pack_date;           /* batch: the description's date, read once */
    size_t chart_top;            /* --chart-top: bars in the pack's chart; 0: all */
    const char *pack_paths[CLI_PACK_N]; /* DIR/each file, owned via cli_own */
    bool coordinate;             /* batch --coordinate */

    const char **inputs;         /* positional arguments, borrowed from argv */
    size_t n_inputs;

    /* Strings read from a --style file; everything above may point here. */
    char **owned;
    size_t n_owned, cap_owned;
} cli_opts;

/* Parses argv (after the subcommand name).  Returns 0 on success, or the
 * exit status after printing one error line.  A --style file is applied
 * first, so options on the command line win.  Returns -1 when --help was
 * printed (exit 0). */
int cli_parse(int argc, char **argv, unsigned command, cli_opts *o);
void cli_opts_free(cli_opts *o);

/* Prints "votecloud: MESSAGE" for `err` and returns its status. */
int cli_report(const vc_error *err);
/* A library error's message with the flag of the option it is about (the
 * library names no flags): what cli_report prints, for batch's summary. */
void cli_error_text(const vc_error *err, char *out, size_t len);
/* Prints "votecloud: " + the formatted message and returns `status`. */
int cli_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_warn(const cli_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A counter loaded with every stopword, synonym and vocabulary file of `o`
 * and every input; NULL with `err` filled on failure (prints nothing). */
vc_counter *cli_counter_load(const cli_opts *o, const char *const *inputs,
                             size_t n_inputs, vc_error *err);
/* Counting shared by count, render and batch: a counter loaded with every
 * stopword, synonym and vocabulary file and every input.  On failure prints
 * and returns NULL with *status set. */
vc_counter *cli_count_inputs(const cli_opts *o, const char *const *inputs,
                             size_t n_inputs, int *status);
/* Prints the stderr summary of merges; --report itself is written with
 * the run's other files (staged: none is left when the run fails). */
void cli_report_merges(const cli_opts *o, const vc_words *words);

/* style.c: a --style file split into `key = value` pairs with their
 * line numbers; keys and values are checked by options.c. */
#define CLI_STYLE_MAX_BYTES (1u << 20)
typedef struct cli_style_pair {
    char *key, *value;
    size_t line;
} cli_style_pair;
typedef struct cli_style {
    cli_style_pair *v;
    size_t n, cap;
} cli_style;
/* Returns 0, or an exit status after printing (FILE:LINE when a line is
 * at fault).  Free with cli_style_free (NULL-safe, also after failure). */
int cli_style_read(const char *path, cli_style *st);
void cli_style_free(cli_style *st);

/* files.c: reads a small regular file (not a FIFO or device: they are
 * refused at once, never waited on) of at most max_bytes.  *data is
 * NUL-terminated and the caller frees it.  Fills err on failure. */
bool cli_read_small_file(const char *path, size_t max_bytes, char **data, size_t *len,
                         vc_error *err);

/* term.c: the one way a message reaches the terminal.  Writes `prefix`,
 * the formatted text with control, bidi and invalid bytes escaped, and a
 * newline. */
void cli_print(FILE *f, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Writes `text` escaped as cli_print does, without a newline. */
void cli_put_escaped(FILE *f, const char *text);
/* While set (not NULL), every message printed by this thread starts with
 * `where` and ": " (e.g. "style.txt:3"), so errors found while applying a
 * file's values name the line.  `where` is borrowed. */
void cli_set_context(const char *where);

/* paths.c: refuses (exit 64, after printing) an empty file name, an output
 * name too long for its temporary sibling, and any output that is also an
 * input or another output of the run. */
int cli_check_paths(const cli_opts *o);

/* Keeps a string alive as long as `o`; returns it (NULL on no memory). */
char *cli_own(cli_opts *o, char *s);

int cmd_count(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
/* Prints how each counted input was read (an encoding guessed, the columns
 * chosen when none were named), one line each, unless quiet. */
void cli_note_inputs(const cli_opts *o, const vc_counter *counter);
/* After a counter failed with VC_ERR_USAGE because no question could be
 * chosen: the columns of `input` and a ready --columns line, on stderr. */
void cli_list_columns(const cli_opts *o, const char *input);

/* Render one layout to every output named in o (`votecloud render`).
 * Returns 0 or an exit status after printing. */
int cli_render_outputs(const cli_opts *o, vc_layout *layout, const vc_words *words);

/* pack.c: the publish pack. */
typedef struct cli_pack_job {
    const cli_opts *o;
    const vc_layout *layout;
    const vc_words *words;       /* the layout's words, for the merges */
    const char *const *sources;  /* named in the description */
    size_t n_sources;
    int64_t date;                /* cli_pack_date */
    const char *title;           /* NULL: --title (batch: the event's) */
    /* Prints a library error (naming the user's file, not a staged one)
     * and returns the exit status. */
    int (*report)(void *user, vc_error *err);
    void *report_user;
} cli_pack_job;
/* The file name of pack file i (CLI_PACK_*), e.g. "index.html". */
const char *cli_pack_file_name(int i);
/* paths[i] = DIR/name of pack file i, owned by o.  0 or an exit status. */
int cli_pack_paths(cli_opts *o, const char *dir, const char **paths);
/* The date the description prints: SOURCE_DATE_EPOCH, else now. */
int cli_pack_date(int64_t *out);
/* Writes every pack file i to paths[i] (the caller's staged names).
 * Returns 0 or an exit status after printing. */
int cli_pack_write(const cli_pack_job *job, const char *const *paths);
/* The staged names of one run's outputs (staged.c): written under
 * temporary names in their own folders, renamed into place only when all
 * were written. */
typedef struct cli_staged {
    const char *final[4 * CLI_MAX_LIST + CLI_PACK_N]; /* borrowed: kept by the caller */
    char *tmp[4 * CLI_MAX_LIST + CLI_PACK_N];
    size_t n;
} cli_staged;
/* Reserves a staged name for `path` (returned, owned by st), or NULL with
 * err set (when err holds an error already, the first is kept).  "-" and
 * devices are not staged: `path` itself is returned. */
const char *cli_stage(cli_staged *st, const char *path, vc_error *err);
/* Removes (keep false) or forgets (keep true) the staged files. */
void cli_unstage(cli_staged *st, bool keep);
/* Whether `path` is a name cli_stage returned (not one written directly). */
bool cli_is_staged(const cli_staged *st, const char *path);
/* Renames every staged file into place; false with err (and every staged
 * file removed) when one cannot be. */
bool cli_commit_staged(cli_staged *st, vc_error *err);
/* Puts the user's name back where err's message names a staged file (the
 * library's messages name the file it wrote). */
void cli_unstaged_names(const cli_staged *st, vc_error *err);
/* Ends a run's staging: every file renamed into place when `ok`, else
 * err's names put back (cli_unstaged_names) and the staged files removed.
 * True when the files are in place. */
bool cli_staged_end(cli_staged *st, bool ok, vc_error *err);
/* Prints err with staged names replaced by the user's; returns status. */
int cli_report_staged(const cli_staged *st, vc_error *err);

/* Ctrl-C, SIGTERM and SIGHUP (interrupt.c): taken by a thread of their
 * own from here on, so call before any other thread starts.  They stop
 * the program at once, unless some thread is between cli_writing_begin
 * and _end (writing a run's files under temporary names): then the last
 * such thread to end stops it, every file in place or removed. */
void cli_interrupts_start(void);
void cli_writing_begin(void);
void cli_writing_end(void);

/* accessible.c: writes --alt-text (one line; "-" is standard output) and
 * every --table (.html or .csv) for `layout`.  Returns 0 or an exit status
 * after printing. */
int cli_write_accessibility(const cli_opts *o, const vc_layout *layout);

#endif
