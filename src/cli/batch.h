/* batch.h - `votecloud batch` split in three: events and their slugs
 * (batch-events.c), the worker pool that counts, lays out and writes them
 * (batch-run.c), and the gallery page and summary (gallery.c). */
#ifndef VC_BATCH_H
#define VC_BATCH_H

#include "cli.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The files written for each event, in this order. */
enum { BATCH_PNG, BATCH_SVG, BATCH_JSON, BATCH_TXT, BATCH_N_OUTPUTS };
extern const char *const batch_output_ext[BATCH_N_OUTPUTS];

#define BATCH_SLUG_MAX 64

/* A drawn word with a box for a character no font here has (the first
 * such character). */
typedef struct batch_boxed {
    char *text;
    uint32_t cp;
} batch_boxed;

/* One line of an event's table of counts. */
typedef struct batch_row {
    char *text;
    double count;
    vc_group group;
    char *reason; /* why it was left out; NULL when drawn */
} batch_row;

typedef struct batch_event {
    char *name;  /* as given: file name without extension, manifest, column */
    char *title; /* shown as the heading and used for the alt text */
    char *input; /* the file to count; NULL when split by --event-column */
    char *slug;  /* unique, safe file name stem */

    /* Results: written only by the worker that has the event. */
    vc_words *words;
    bool failed;
    vc_error err;
    double fit_scale; /* --same-scale: the scale it fits at on its own */
    size_t drawn, left_out, respondents;
    batch_boxed *boxed_words; /* in drawing order (most votes first) */
    size_t boxed;
    char *alt_text;
    batch_row *rows;
    size_t n_rows;
    bool wrote[BATCH_N_OUTPUTS];
} batch_event;

typedef struct batch_events {
    batch_event *v;
    size_t n, cap;
} batch_events;

/* ---- batch-util.c ---- */

/* Fills `err` (if not NULL and still clear) and returns false. */
bool batch_fail(vc_error *err, vc_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A growable string; `failed` is sticky after an allocation failure. */
typedef struct batch_buf {
    char *data;
    size_t len, cap;
    bool failed;
} batch_buf;

void batch_buf_add(batch_buf *b, const char *s, size_t n);
void batch_buf_puts(batch_buf *b, const char *s);
void batch_buf_printf(batch_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends a number as an integer when it is one, else with up to 15
 * significant digits: the same bytes on every machine. */
void batch_buf_number(batch_buf *b, double v);
void batch_buf_free(batch_buf *b);

/* `dir`/`name``ext` with exactly one '/'.  Caller frees; NULL on no memory. */
char *batch_path(const char *dir, const char *name, const char *ext);

/* mkdir -p. */
bool batch_make_dir(const char *dir, vc_error *err);

/* Copies `s` replacing invalid UTF-8 with U+FFFD, for JSON and HTML.
 * Caller frees; NULL on no memory. */
char *batch_utf8_clean(const char *s);

/* ---- batch-events.c ---- */

/* Appends an event; the strings are copied (`title` NULL: the name). */
bool batch_events_add(batch_events *ev, const char *name, const char *title,
                      const char *input, vc_error *err);
void batch_events_free(batch_events *ev);

/* One event per file, named by the file name without its extension. */
bool batch_events_from_files(batch_events *ev, const char *const *paths, size_t n,
                             vc_error *err);
/* Reads a manifest CSV (RFC 4180): `event,input[,title]` with an optional
 * header row naming those columns in any order.  Relative inputs are
 * resolved against the manifest's folder. */
bool batch_events_from_manifest(batch_events *ev, const char *path, vc_error *err);
/* The same, from `len` bytes; `dir` is the folder relative inputs are in
 * (NULL or "" for the current one).  `name` is used in messages. */
bool batch_manifest_parse(batch_events *ev, const char *name, const char *dir,
                          const char *data, size_t len, vc_error *err);

/* The slug of one name: lowercase ASCII letters and digits, runs of
 * anything else as one '-', accents and a few ligatures transliterated,
 * "event" when nothing is left.  Caller frees; NULL on no memory. */
char *batch_slug(const char *name);
/* Gives every event a slug unique among them (and never "index" or
 * "summary", which the gallery uses): the second "area-forum" is
 * "area-forum-2", deterministically in event order. */
bool batch_assign_slugs(batch_events *ev, vc_error *err);

/* Refuses, before any work: an OUTDIR that is not a folder, two outputs with
 * one path, and an output that is one of `inputs` (every file the batch
 * reads).  Returns false with `err` filled. */
bool batch_check_paths(const batch_events *ev, const char *outdir,
                       const char *const *inputs, size_t n_inputs, vc_error *err);

/* ---- batch-run.c ---- */

typedef enum batch_pass {
    BATCH_PASS_COUNT, /* count only (--coordinate needs every event's words) */
    BATCH_PASS_FIT, /* lay out only, to learn each event's own scale */
    BATCH_PASS_DRAW /* lay out and write every output */
} batch_pass;

typedef struct batch_runner batch_runner;

/* `jobs` worker threads (at most one per event), each with its own
 * vc_context kept across passes; `cores` online (0: unknown).  `progress`
 * draws a bar on stderr. */
batch_runner *batch_runner_new(const cli_opts *o, const char *outdir,
                               batch_events *ev, int jobs, long cores, bool progress);
void batch_runner_free(batch_runner *r);
/* Runs one pass over every event not yet failed; `same_scale` > 0 fixes the
 * scale.  Returns false only when threads cannot be started. */
bool batch_runner_pass(batch_runner *r, batch_pass pass, double same_scale,
                       vc_error *err);
/* Clears the progress line. */
void batch_runner_finish(batch_runner *r);
/* Every event is laid out with these homes (borrowed; --coordinate). */
void batch_runner_set_homes(batch_runner *r, const vc_home *homes, size_t n);

/* ---- batch-coord.c: --coordinate ---- */

/* Each word's home in the series: the union of every event's words laid
 * out once, with the batch's options; a drawn word's home is its ink
 * centre (normalised to the canvas) and its colour, a word left out of
 * the union has no place and the palette colour of its text. */
typedef struct batch_homes {
    vc_home *v;  /* sorted by text; texts owned */
    size_t n;
} batch_homes;
bool batch_homes_make(const cli_opts *o, const batch_events *ev, batch_homes *out,
                      vc_error *err);
void batch_homes_free(batch_homes *h);

/* ---- gallery.c ---- */

/* OUTDIR/index.html and OUTDIR/summary.json, in event order. */
bool gallery_write_index(const cli_opts *o, const char *outdir,
                         const batch_events *ev, double same_scale, vc_error *err);
bool gallery_write_summary(const cli_opts *o, const char *outdir,
                           const batch_events *ev, double same_scale, vc_error *err);
/* Text for HTML, invalid UTF-8 as U+FFFD (gallery.c's escaping). */
void gallery_html_escape(batch_buf *b, const char *s);
/* gallery-compare.c: OUTDIR/compare.html (--coordinate): small multiples
 * and a words x events table with each event's top three marked. */
bool gallery_write_compare(const cli_opts *o, const char *outdir, const batch_events *ev,
                           vc_error *err);

#endif
