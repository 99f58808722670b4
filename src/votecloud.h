/* votecloud.h - the one public header of libvotecloud.
 *
 * votecloud turns votes (survey exports, free text or counts) into a word
 * cloud where each word's size is proportional to its votes.  The pipeline
 * has two stages with one handle each:
 *
 *   vc_counter  reads inputs and counts entries          -> vc_words
 *   vc_layout   shapes, sizes and places the words        -> PNG/SVG/PDF/JSON
 *
 * A complete program:
 *
 *   #include <votecloud.h>
 *   #include <stdio.h>
 *
 *   int main(void) {
 *       vc_error err = {0};
 *       vc_count_options co;
 *       vc_count_options_init(&co);
 *       vc_counter *counter = vc_counter_new(&co, &err);
 *       vc_words *words = NULL;
 *       vc_context *ctx = NULL;
 *       vc_layout *layout = NULL;
 *       vc_render_options ro;
 *       vc_render_options_init(&ro);
 *       if (counter && vc_counter_add_file(counter, "votes.csv", &err) &&
 *           (words = vc_counter_words(counter, NULL, &err)) &&
 *           (ctx = vc_context_new(&err)) &&
 *           (layout = vc_layout_new(ctx, words, &ro, &err)))
 *           vc_layout_write(layout, "cloud.png", &err);
 *       if (err.status != VC_OK)
 *           fprintf(stderr, "%s\n", err.message);
 *       vc_layout_free(layout);
 *       vc_context_free(ctx);
 *       vc_words_free(words);
 *       vc_counter_free(counter);
 *       return err.status;
 *   }
 *
 * Conventions:
 * - Every function that can fail returns false or NULL and, when `err` is not
 *   NULL, fills it with a status and a one-line message carrying context
 *   ("votes.csv:12: count is negative").  The library never prints or exits.
 * - Every `_new` has a `_free` that accepts NULL.  Strings returned by getters
 *   are borrowed: valid until the owning handle is freed.
 * - Options structs are filled with defaults by their `_init`; set only the
 *   fields you care about, so fields added later keep working.  Each starts
 *   with `struct_size`, which `_init` sets to the size the caller was
 *   compiled with: a program built against an older, smaller struct keeps
 *   working with a newer library (the fields it lacks get their defaults).
 *   Always call `_init` (never fill the struct by hand or with `= {0}`): a
 *   struct_size of 0, or larger than the library knows, is VC_ERR_USAGE.
 * - The library keeps no global state.  Handles are not thread-safe; use one
 *   vc_context per thread (a vc_words may be shared read-only).
 * - Output files are written atomically: a temporary file in the target
 *   folder, renamed into place only when complete.
 */
#ifndef VOTECLOUD_H
#define VOTECLOUD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* VC_VERSION_STRING ("MAJOR.MINOR.MICRO") and VC_VERSION_MAJOR, _MINOR and
 * _MICRO, generated from the build's project version. */
#include "votecloud-version.h"

/* ---- Errors ------------------------------------------------------------ */

/* Status codes double as process exit codes (BSD sysexits). */
typedef enum vc_status {
    VC_OK = 0,
    VC_ERR_USAGE = 64,     /* an option or argument value is wrong */
    VC_ERR_DATA = 65,      /* the input is readable but invalid */
    VC_ERR_NOINPUT = 66,   /* an input cannot be opened or read */
    VC_ERR_SOFTWARE = 70,  /* internal error: a bug in votecloud */
    VC_ERR_NOMEM = 71,     /* out of memory or a resource limit of the OS */
    VC_ERR_CANTCREAT = 73, /* an output cannot be created */
    VC_ERR_IO = 74         /* an output could not be written completely */
} vc_status;

#define VC_ERROR_MESSAGE_MAX 1024

/* Which option an error is about, so a caller can name it its own way (the
 * CLI prints its flag, the web app highlights its field).  Library messages
 * are plain language and never name a CLI flag. */
typedef enum vc_option_id {
    VC_OPTION_NONE = 0,
    /* vc_count_options */
    VC_OPTION_COLUMNS,
    VC_OPTION_FREE_TEXT_COLUMNS,
    VC_OPTION_EVENT_COLUMN,
    VC_OPTION_MAX_ENTRIES,     /* a limit */
    VC_OPTION_MAX_FIELD_BYTES, /* a limit */
    VC_OPTION_MAX_LINE_BYTES,  /* a limit */
    /* vc_render_options */
    VC_OPTION_WIDTH,
    VC_OPTION_HEIGHT,
    VC_OPTION_MAX_PIXELS, /* a limit */
    VC_OPTION_MAX_FONT_SIZE,
    VC_OPTION_MIN_FONT_SIZE,
    VC_OPTION_MAX_WORDS,
    VC_OPTION_FIT,
    VC_OPTION_PADDING,
    VC_OPTION_PADDING_EM,
    VC_OPTION_MARGIN,
    VC_OPTION_PREFER_HORIZONTAL,
    VC_OPTION_SCALE,
    VC_OPTION_DPI,
    VC_OPTION_SAME_SCALE,
    VC_OPTION_ROTATE,
    VC_OPTION_STRICT,
    VC_OPTION_BACKGROUND,
    VC_OPTION_PALETTE,
    VC_OPTION_CONTRAST_AGAINST,
    VC_OPTION_COUNT /* number of ids, not an id */
} vc_option_id;

/* The options struct field an id stands for ("max_font_size"); "none" for
 * VC_OPTION_NONE and "unknown" out of range.  Static storage. */
const char *vc_option_id_to_string(vc_option_id id);
/* True for the ids that are limits a caller may raise (max_entries, ...). */
bool vc_option_id_is_limit(vc_option_id id);

/* Caller-owned error record.  Zero-initialise it; the first error wins (a
 * later failure while cleaning up does not overwrite the original cause).
 * `option` names the option to change when one is at fault. */
typedef struct vc_error {
    vc_status status;
    char message[VC_ERROR_MESSAGE_MAX];
    vc_option_id option;
} vc_error;

/* Reset `err` to VC_OK with an empty message. */
void vc_error_clear(vc_error *err);

/* The library's version: VC_VERSION_STRING of the library that runs, which
 * may be newer than the header a program was compiled with. */
const char *vc_version(void);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * folder, flushed and renamed into place only when complete; on failure the
 * temporary is removed and an existing file at `path` is untouched. */
bool vc_file_write_atomic(const char *path, const void *data, size_t len,
                          vc_error *err);

/* ---- Words: the result of counting -------------------------------------- */

/* Which question a word answered: a fixed choice, a free-text suggestion,
 * both (some people ticked it, others wrote it in: one entry whose votes
 * are the people who gave it either way), or neither (counts files and
 * free text without a group column). */
typedef enum vc_group {
    VC_GROUP_WORD = 0,
    VC_GROUP_CHOSEN,
    VC_GROUP_SUGGESTED,
    VC_GROUP_BOTH
} vc_group;

/* "word", "chosen", "suggested" or "both". */
const char *vc_group_name(vc_group group);
/* Parses a group name; returns false when `name` is not one. */
bool vc_group_parse(const char *name, vc_group *out);

/* An ordered list of (text, count, group) entries, sorted by count
 * descending, then by text (byte order), then by group. */
typedef struct vc_words vc_words;

/* An empty list, for programs that bring their own counts. */
vc_words *vc_words_new(vc_error *err);
void vc_words_free(vc_words *words);

/* Appends an entry as given (no normalisation; see vc_counter for that) and
 * keeps the list sorted.  `count` must be finite and >= 0. */
bool vc_words_add(vc_words *words, const char *text, double count,
                  vc_group group, vc_error *err);

size_t vc_words_size(const vc_words *words);
const char *vc_words_text(const vc_words *words, size_t i);
double vc_words_count(const vc_words *words, size_t i);
vc_group vc_words_group(const vc_words *words, size_t i);
/* People who gave entry i as `group`: for a VC_GROUP_BOTH entry, how many
 * chose it (VC_GROUP_CHOSEN) and how many wrote it in (VC_GROUP_SUGGESTED);
 * someone who did both is in each, once, so the two may add up to more
 * than vc_words_count.  For any other entry its count when `group` is its
 * own group, else 0. */
double vc_words_group_count(const vc_words *words, size_t i, vc_group group);
/* Appends a VC_GROUP_BOTH entry: `count` people in all, `chosen` of them
 * ticked it and `suggested` wrote it in.  Needs max(chosen, suggested) <=
 * count <= chosen + suggested. */
bool vc_words_add_both(vc_words *words, const char *text, double count,
                       double chosen, double suggested, vc_error *err);

/* Respondents who gave at least one counted answer (survey input); 0 when
 * unknown (counts and text input). */
size_t vc_words_respondents(const vc_words *words);

/* Why an entry was merged into another. */
typedef enum vc_merge_kind {
    VC_MERGE_SYNONYM = 0, /* a line of the synonyms file */
    VC_MERGE_VOCABULARY,  /* a near-miss spelling of a vocabulary word */
    VC_MERGE_PLURAL,      /* a plural merged into its singular */
    VC_MERGE_KIND_COUNT   /* number of kinds, not a kind */
} vc_merge_kind;

/* "synonym", "vocabulary", "plural" (the names in the merge report); a
 * static string, "unknown" for values out of range. */
const char *vc_merge_kind_to_string(vc_merge_kind kind);

/* How an entry came to be merged into another. */
typedef struct vc_merge {
    const char *from;   /* the spelling as it appeared in the input */
    const char *into;   /* the displayed entry it was counted for */
    vc_merge_kind kind;
    double count;       /* votes moved */
} vc_merge;

/* Merges that were not exact matches (normalisation variants such as
 * "Well-being"/"wellbeing" are exact and not listed). */
size_t vc_words_merge_count(const vc_words *words);
bool vc_words_merge(const vc_words *words, size_t i, vc_merge *out);

/* Written answers left out because they say nothing ("n/a", "don't
 * know", only punctuation or emoji: src/data/nonanswers-en.txt, and files
 * given to vc_counter_load_exclusions) or are a stopword.  Never drawn,
 * always counted: most votes first.  `text` is borrowed from `words`. */
typedef struct vc_exclusion {
    const char *text;
    double count;
} vc_exclusion;
size_t vc_words_exclusion_count(const vc_words *words);
bool vc_words_exclusion(const vc_words *words, size_t i, vc_exclusion *out);
/* Sum of the counts of every exclusion. */
double vc_words_excluded_total(const vc_words *words);

/* Writes every merge and exclusion as JSON to `path`, atomically:
 * {"merges": N, "by_kind": {"vocabulary": 2, ...},
 *  "list": [{"from", "into", "kind", "count"}, ...],
 *  "excluded": TOTAL, "excluded_list": [{"text", "count"}, ...]}. */
bool vc_words_write_merge_report(const vc_words *words, const char *path,
                                 vc_error *err);

/* ---- Counting ----------------------------------------------------------- */

typedef enum vc_format {
    VC_FORMAT_AUTO = 0, /* from the file name's extension and content */
    VC_FORMAT_COUNTS,   /* word<TAB or comma>count[<sep>group] */
    VC_FORMAT_SURVEY,   /* RFC 4180 CSV survey export */
    VC_FORMAT_TEXT      /* free text, tokenised by Unicode word rules */
} vc_format;

/* Limits and defaults of the count options, defined once here; the CLI
 * checks its arguments against the same numbers. */
#define VC_MAX_FIELD_BYTES_DEFAULT ((size_t)1 << 20) /* longest CSV field */
#define VC_MAX_LINE_BYTES_DEFAULT ((size_t)1 << 20)  /* longest input line */
#define VC_MAX_ENTRIES_DEFAULT ((size_t)1000000)     /* distinct entries */
#define VC_INPUT_LIMIT_MAX ((size_t)1 << 40)         /* cap of the three above */

typedef struct vc_count_options {
    size_t struct_size; /* sizeof(vc_count_options), set by _init; see top */
    vc_format format;
    /* Survey: choice columns by header text or 1-based number, as one CSV
     * line ("Word 1,Word 2,\"Best, worst\""); NULL for all but the
     * free-text and event columns.  "#3" is always column 3; a plain "3"
     * that is also another column's header is refused as ambiguous. */
    const char *columns;
    const char *free_text_columns; /* survey: free-text columns, or NULL */
    /* survey: splits multi-select cells; NULL: ";" everywhere, and ", "
     * where a column's cells are recurring options joined that way (Google
     * Forms checkboxes) */
    const char *multi_sep;
    /* survey: header rows; -1 (the default): 2 for a SurveyMonkey export,
     * else 1 */
    int header_rows;
    const char *event_column;      /* survey: split respondents by event */
    bool stopwords;                /* text: drop the shipped stopwords (true) */
    bool include_numbers;          /* text: keep numbers (false) */
    bool merge_plurals;            /* merge plurals when both forms occur */
    size_t max_field_bytes;        /* a longer CSV field is an error (1 MiB) */
    size_t max_line_bytes;         /* a longer line is an error (1 MiB) */
    size_t max_entries;            /* more distinct entries is an error (1e6) */
    /* The input's character encoding ("windows-1252", "UTF-16LE", any name
     * iconv knows); NULL (the default): a byte order mark says, else UTF-8,
     * and a file that is not valid UTF-8 is read as Windows-1252 (reported
     * by vc_counter_input_info). */
    const char *encoding;
} vc_count_options;

void vc_count_options_init(vc_count_options *opts);

typedef struct vc_counter vc_counter;

/* `opts` is copied (strings too); NULL means defaults. */
vc_counter *vc_counter_new(const vc_count_options *opts, vc_error *err);
void vc_counter_free(vc_counter *counter);

/* Non-answers: on by default (src/data/nonanswers-en.txt plus answers of
 * only punctuation or emoji); `on` false keeps them as words.  Files of
 * more, one answer per line ('#' at a line's start is a comment), always
 * apply. */
void vc_counter_set_default_exclusions(vc_counter *counter, bool on);
bool vc_counter_load_exclusions(vc_counter *counter, const char *path, vc_error *err);

/* Extra stopwords, one per line ('#' starts a comment); they also drop
 * whole written survey answers, counted as exclusions. */
bool vc_counter_load_stopwords(vc_counter *counter, const char *path,
                               vc_error *err);
/* Lines `variant = canonical`. */
bool vc_counter_load_synonyms(vc_counter *counter, const char *path,
                              vc_error *err);
/* Known words (one per line, or free text): responses within one edit of an
 * entry of 5+ letters are counted for it. */
bool vc_counter_load_vocabulary(vc_counter *counter, const char *path,
                                vc_error *err);

/* Counts one input; "-" is standard input.  On error nothing of this input
 * is counted. */
bool vc_counter_add_file(vc_counter *counter, const char *path,
                         vc_error *err);
/* Counts `len` bytes; `name` is used in messages and format detection. */
bool vc_counter_add_buffer(vc_counter *counter, const char *name,
                           const void *data, size_t len, vc_error *err);

/* ---- Inputs: how each was read, and the columns of a survey ------------- */

/* "auto", "counts", "survey" or "text". */
const char *vc_format_to_string(vc_format format);

/* What kind of file an input was. */
typedef enum vc_file_type {
    VC_FILE_TEXT = 0, /* plain text (free text or a counts file) */
    VC_FILE_CSV,      /* comma-separated */
    VC_FILE_TSV,      /* tab-separated (Excel's "Unicode Text") */
    VC_FILE_XLSX      /* an Excel workbook: its first worksheet */
} vc_file_type;
/* "text", "csv", "tsv" or "xlsx". */
const char *vc_file_type_to_string(vc_file_type type);

/* The survey tool a survey export looks like it came from. */
typedef enum vc_survey_layout {
    VC_LAYOUT_GENERIC = 0,
    VC_LAYOUT_GOOGLE_FORMS,
    VC_LAYOUT_MICROSOFT_FORMS,
    VC_LAYOUT_SURVEYMONKEY
} vc_survey_layout;
/* "generic", "google-forms", "microsoft-forms" or "surveymonkey". */
const char *vc_survey_layout_to_string(vc_survey_layout layout);

/* What a survey column holds, as detected from its header and cells. */
typedef enum vc_column_role {
    VC_COLUMN_ROLE_CHOICE = 0,   /* one option per cell */
    VC_COLUMN_ROLE_MULTI_SELECT, /* several options joined in a cell */
    VC_COLUMN_ROLE_FREE_TEXT,    /* what people wrote */
    VC_COLUMN_ROLE_METADATA,     /* ids, times, emails, demographics: never
                                    counted unless named */
    VC_COLUMN_ROLE_EVENT         /* which event a response came from */
} vc_column_role;
/* "choice", "multi-select", "free-text", "metadata" or "event". */
const char *vc_column_role_to_string(vc_column_role role);

/* How one input was read.  Strings are borrowed from the counter (or the
 * inspection) that filled the record. */
typedef struct vc_input_info {
    const char *name;        /* the path as given, or the buffer's name */
    vc_format format;        /* the reader used */
    vc_file_type file_type;
    const char *encoding;    /* "UTF-8", "UTF-16LE", "windows-1252", ... */
    bool encoding_guessed;   /* not UTF-8 and no encoding named: read as
                                Windows-1252, which the caller should say */
    vc_survey_layout layout; /* survey inputs */
    /* Survey inputs counted with no columns named: the columns chosen, as a
     * CSV line of headers (NULL otherwise), and likewise the free-text
     * columns (NULL when none). */
    const char *auto_columns;
    const char *auto_free_text_columns;
} vc_input_info;

/* Answers counted so far from which characters were removed because no
 * word may hold them (controls, noncharacters such as U+FFFE, zero-width
 * spaces, bidi controls, more than 8 marks stacked on one letter); the
 * characters removed go to *chars when not NULL.  Such text would be
 * invalid in SVG/HTML or disguise a word, so it is cleaned, and a caller
 * should say so. */
size_t vc_counter_cleaned_answers(const vc_counter *counter, size_t *chars);

/* Inputs counted so far, in order, and how each was read. */
size_t vc_counter_input_count(const vc_counter *counter);
bool vc_counter_input_info(const vc_counter *counter, size_t i,
                           vc_input_info *out);

/* The columns of one input, detected without counting anything: what the
 * web app shows and `votecloud inspect` prints.  When no columns are named,
 * vc_counter counts exactly the suggested ones, and fails with VC_ERR_USAGE
 * when none can be suggested (more than one question could be the one). */
typedef struct vc_inspection vc_inspection;

/* `opts` as for the counter (format, encoding, header rows, the event
 * column); NULL for defaults.  Caller frees with vc_inspection_free. */
vc_inspection *vc_inspect_file(const char *path, const vc_count_options *opts,
                               vc_error *err);
vc_inspection *vc_inspect_buffer(const char *name, const void *data,
                                 size_t len, const vc_count_options *opts,
                                 vc_error *err);
void vc_inspection_free(vc_inspection *inspection);

/* How the input was read (auto_columns are the suggested columns). */
void vc_inspection_input(const vc_inspection *inspection, vc_input_info *out);
/* Non-blank response rows (survey), 0 for other formats. */
size_t vc_inspection_respondents(const vc_inspection *inspection);

typedef struct vc_column_info {
    size_t index;        /* 1-based column number */
    const char *header;  /* the header (SurveyMonkey: "question / option") */
    const char *question;/* the first header row (the question) */
    vc_column_role role;
    size_t filled;       /* non-blank cells */
    size_t distinct;     /* distinct answers (options, for multi-select) */
    size_t n_top;        /* most frequent answers kept, at most 5 */
    bool suggested;      /* counted when no columns are named */
} vc_column_info;

size_t vc_inspection_column_count(const vc_inspection *inspection);
bool vc_inspection_column(const vc_inspection *inspection, size_t i,
                          vc_column_info *out);
/* The k-th most frequent answer of column i (0-based), with its count.
 * Non-answers are not among them (see vc_inspection_nonanswers). */
bool vc_inspection_top(const vc_inspection *inspection, size_t i, size_t k,
                       const char **value, double *count);
/* How many values of column i (cells, or the options of multi-select
 * cells) are non-answers ("n/a", "none", "-": src/data/nonanswers-en.txt,
 * or only punctuation): left out of its top answers, its distinct count
 * and the guess of its role, as counting leaves them out of written
 * answers.  0 when i is out of range. */
size_t vc_inspection_nonanswers(const vc_inspection *inspection, size_t i);

/* Events seen in the event column, in order of first appearance. */
size_t vc_counter_event_count(const vc_counter *counter);
const char *vc_counter_event_name(const vc_counter *counter, size_t i);

/* The counted, merged and sorted entries, of one event or of all inputs
 * (`event` NULL).  The caller owns the result (vc_words_free). */
vc_words *vc_counter_words(vc_counter *counter, const char *event,
                           vc_error *err);

/* ---- Rendering ---------------------------------------------------------- */

typedef enum vc_sizing {
    VC_SIZING_LINEAR = 0, /* font size proportional to votes */
    VC_SIZING_SQRT,       /* area proportional to votes */
    VC_SIZING_LOG         /* proportional to log(1 + votes) */
} vc_sizing;

typedef enum vc_fit {
    VC_FIT_AUTO = 0, /* the largest scale at which every word fits */
    VC_FIT_NONE      /* the top word gets max_font_size, no search */
} vc_fit;

/* A phrase of several words may break onto 2 or 3 centred lines. */
typedef enum vc_wrap {
    VC_WRAP_AUTO = 0, /* when that raises the scale (or, at a fixed scale,
                       * when the phrase is too wide for the canvas) */
    VC_WRAP_NONE      /* every phrase on one line */
} vc_wrap;

typedef enum vc_spiral { VC_SPIRAL_ARCHIMEDEAN = 0, VC_SPIRAL_RECTANGULAR } vc_spiral;
typedef enum vc_shape { VC_SHAPE_RECTANGLE = 0, VC_SHAPE_ELLIPSE } vc_shape;
typedef enum vc_rotate {
    VC_ROTATE_NONE = 0, /* all horizontal */
    VC_ROTATE_MIXED,    /* mostly horizontal, some reading bottom to top */
    VC_ROTATE_LIST,     /* angles from `angles` */
    VC_ROTATE_AUTO      /* horizontal, but a word too wide for the canvas
                           reads bottom to top where that alone lets the
                           whole cloud draw larger (or, at a fixed scale,
                           lets the word be drawn at all) */
} vc_rotate;
typedef enum vc_color_by {
    VC_COLOR_BY_RANK = 0,
    VC_COLOR_BY_GROUP,
    VC_COLOR_BY_WORD
} vc_color_by;

#define VC_MAX_ANGLES 16

/* Limits and defaults of the render options, defined once here: the
 * library refuses values outside them (VC_ERR_USAGE) and the CLI checks
 * its arguments against the same numbers. */
#define VC_WIDTH_DEFAULT 1200
#define VC_HEIGHT_DEFAULT 675
#define VC_WIDTH_MIN 16
#define VC_WIDTH_MAX 30000
#define VC_HEIGHT_MIN 16
#define VC_HEIGHT_MAX 30000
#define VC_MAX_PIXELS_DEFAULT ((uint64_t)100000000) /* 100 megapixels */
#define VC_FONT_SIZE_MAX 10000.0      /* px, for max_ and min_font_size */
#define VC_MIN_FONT_SIZE_DEFAULT 8.0  /* px */
#define VC_PADDING_DEFAULT 2          /* px */
#define VC_PADDING_MAX 100            /* px */
#define VC_PADDING_EM_DEFAULT 0.05
#define VC_PADDING_EM_MAX 1.0
#define VC_MARGIN_MAX 10000           /* px; -1 is automatic */
#define VC_PREFER_HORIZONTAL_DEFAULT 0.9
#define VC_SCALE_MIN 0.25
#define VC_SCALE_MAX 8.0
#define VC_DPI_DEFAULT 96.0
#define VC_DPI_MIN 10.0
#define VC_DPI_MAX 2400.0
#define VC_ANGLE_MAX 360.0            /* angles are from -360 to 360 */
#define VC_THREADS_MAX 64             /* render option threads: 0 (all cores) to this */
#define VC_MAX_WORDS_MAX ((size_t)10000000)

typedef struct vc_render_options {
    size_t struct_size;         /* sizeof(vc_render_options), set by _init */
    int width, height;          /* canvas in pixels (1200 x 675) */
    const char *font;           /* fontconfig pattern or file; NULL: bundled */
    const char *font_dir;       /* bundled fonts; NULL: built-in location */
    vc_sizing sizing;
    vc_fit fit;
    double max_font_size;       /* px cap; 0: none (auto), required for none */
    double min_font_size;       /* px; smaller words are left out (8) */
    size_t max_words;           /* keep the top N; 0: all */
    bool strict;                /* a left-out word is an error */
    int padding;                /* px of space around each word's ink (2) */
    vc_spiral spiral;
    vc_shape shape;
    const char *mask_path;      /* PNG; white or transparent is outside */
    vc_rotate rotate;
    double angles[VC_MAX_ANGLES]; /* degrees clockwise, for VC_ROTATE_LIST */
    size_t n_angles;
    double prefer_horizontal;   /* share of horizontal words, mixed (0.9) */
    uint64_t seed;              /* fixed default; same seed, same bytes */
    const char *palette;        /* a name or "#rrggbb,#rrggbb,..." ("nhs") */
    vc_color_by color_by;
    const char *background;     /* "#rrggbb", a name or "transparent" */
    double scale;               /* output pixels per layout pixel (1) */
    double dpi;                 /* recorded in PNG pHYs and PDF size (96) */
    bool contrast;              /* adjust colours to meet WCAG 2.1 (true) */
    const char *contrast_against; /* for transparent backgrounds ("white") */
    const char *title;          /* for alt text, <title> and PNG Title */
    const char *question;       /* the question asked, for the alt text */
    bool legend;                /* add a size key and respondent caption */
    double same_scale;          /* >0: fixed px per unit of f(votes) */
    uint64_t max_pixels;        /* canvas limit (100 megapixels) */
    /* px kept free of words inside every canvas edge, beyond each word's
     * padding, so the cloud does not touch the border; -1 (the default):
     * 1% of the canvas's shorter side. */
    int margin;
    /* Space around a word's ink grows with its size, so neighbours never
     * read as one word: the larger of `padding` and padding_em x the font
     * size above and below, four times that to the sides and beside the
     * ends of a line (0.05; 0 for a fixed padding). */
    double padding_em;
    /* With VC_FIT_NONE, a word that finds no room while a word with fewer
     * votes is drawn is an error (VC_ERR_DATA) unless this is true; then
     * the caption, alt text and table name the missing words (false). */
    bool allow_gaps;
    char reserved_[7];          /* keeps what follows out of allow_gaps's tail padding */
    /* Comparable clouds (batch --coordinate): words listed here start
     * their search for room at their home, walking the spiral out from it
     * instead of from the centre, and are drawn in their home colour.
     * Sorted by text in byte order (strcmp; VC_ERR_USAGE otherwise) and
     * borrowed only during vc_layout_new.  NULL: none. */
    const struct vc_home *homes;
    size_t n_homes;
    vc_wrap wrap;               /* VC_WRAP_AUTO */
    /* Threads for rasterising and PNG compression: 0 (the default) uses
     * every online core, 1 this thread only.  The output bytes never
     * depend on it. */
    int threads;
} vc_render_options;

/* A word's home in a series of clouds.  x and y place the centre of its
 * ink, 0..1 across and down the canvas; outside 0..1 (e.g. -1) the word
 * has no home place and starts from the centre as usual.  `color`
 * (0xRRGGBB, or VC_HOME_NO_COLOR for the palette colour of the word's
 * text, as VC_COLOR_BY_WORD picks it) is drawn at 4.5:1 contrast whatever
 * the word's size when contrast is on, so it is the same in every cloud
 * of the series. */
#define VC_HOME_NO_COLOR 0xFFFFFFFFu
typedef struct vc_home {
    const char *text;
    double x, y;
    uint32_t color;
} vc_home;

void vc_render_options_init(vc_render_options *opts);
/* The checks vc_layout_new makes of `opts` alone: numbers in range, the
 * colours and the palette; not the font or the mask, which must be read.
 * For a caller to refuse bad options before reading its input.  Since 0.2. */
bool vc_render_options_validate(const vc_render_options *opts, vc_error *err);

/* Fonts, caches and the rasteriser.  One per thread.  Layouts made with
 * one context share its fonts and the spiral points they have made (up to
 * about 12 MB on canvases up to 1 Mpx), so a series of clouds on one
 * canvas is faster with one context; the layouts are the same either way. */
typedef struct vc_context vc_context;

vc_context *vc_context_new(vc_error *err);
void vc_context_free(vc_context *ctx);

/* A finished layout: every word either placed or listed as dropped. */
typedef struct vc_layout vc_layout;

/* Shapes, sizes and places `words` (which is not kept).  Fails only on
 * errors; words that cannot be drawn are listed by vc_layout_dropped, unless
 * opts->strict makes that an error. */
vc_layout *vc_layout_new(vc_context *ctx, const vc_words *words,
                         const vc_render_options *opts, vc_error *err);
void vc_layout_free(vc_layout *layout);

typedef struct vc_placed {
    const char *text;
    double count;
    vc_group group;
    double font_size;   /* em size in px */
    double x, y;        /* baseline origin, canvas px, y down */
    double rotation;    /* degrees clockwise about the origin */
    double advance;     /* shaped advance width in px */
    double bbox[4];     /* ink x0, y0, x1, y1 in canvas px */
    uint32_t color;     /* 0xRRGGBB */
    const char *font;   /* path of the (first) font file used */
} vc_placed;

/* Why a word is not in the image.  Callers switch on this, never on the
 * plain-language reason text. */
typedef enum vc_drop_reason {
    VC_DROP_NO_VOTES,     /* its count is 0 (or not a number) */
    VC_DROP_MAX_WORDS,    /* beyond opts->max_words */
    VC_DROP_TOO_SMALL,    /* fewest votes: below min_font_size at the scale that fits */
    VC_DROP_NOTHING_FITS, /* even the most-voted words do not all fit at min_font_size */
    VC_DROP_NO_ROOM,      /* no free place on the canvas at its size */
    VC_DROP_NO_INK,       /* its glyphs draw nothing visible */
    VC_DROP_TOO_LONG,     /* wider or taller than the canvas at its size */
} vc_drop_reason;

/* "no-votes", "max-words", "too-small", "nothing-fits", "no-room",
 * "no-ink", "too-long"; "unknown" for any other value.  Static storage. */
const char *vc_drop_reason_to_string(vc_drop_reason reason);

/* Strings point into the layout and live as long as it does. */
typedef struct vc_dropped {
    const char *text;
    double count;
    vc_group group;
    const char *reason; /* plain language, made from `why` and the data */
    vc_drop_reason why;
} vc_dropped;

size_t vc_layout_placed_count(const vc_layout *layout);
bool vc_layout_placed(const vc_layout *layout, size_t i, vc_placed *out);
/* A placed phrase broken onto lines (--wrap auto, opts->wrap): returns its
 * number of lines (1 when it is on one line, 0 when i is out of range) and
 * fills starts[0 .. min(lines, max)) with the byte offset in its text
 * where each line starts (starts[0] is 0; the byte before any other is a
 * space, not drawn, or a hyphen, drawn at the end of the line before).  The text itself stays the whole phrase, for
 * alt text, titles and tables.  Since 0.2. */
size_t vc_layout_placed_lines(const vc_layout *layout, size_t i, size_t *starts, size_t max);
/* The first character of placed word i that no font here has (an
 * unassigned code point, or a script with no font installed), which the
 * image shows as a box while the text, alt text and table give the
 * character; 0 when every character is drawn or i is out of range.  The
 * CLI warns, the layout report lists them.  Since 0.2. */
uint32_t vc_layout_placed_undrawable(const vc_layout *layout, size_t i);
size_t vc_layout_dropped_count(const vc_layout *layout);
bool vc_layout_dropped(const vc_layout *layout, size_t i, vc_dropped *out);

/* Pixels of font size per unit of f(votes): font_size = scale * f(count). */
double vc_layout_scale(const vc_layout *layout);

/* How well the drawn words use the canvas, beside the scale: the smallest
 * drawn word's font size, and ink compactness, the share of the box
 * around every drawn word's ink that the ink covers.  All 0 when no word
 * is drawn.  Since 0.2. */
typedef struct vc_packing {
    double smallest_font_size; /* layout px */
    double ink_compactness;    /* ink_pixels / the box's area, 0 to 1 */
    size_t ink_pixels;         /* pixels any word's ink touches */
    int box[4];                /* x0, y0, x1, y1 around all the ink, layout px */
} vc_packing;
void vc_layout_packing(const vc_layout *layout, vc_packing *out);

/* A palette colour that failed WCAG 2.1 contrast and was drawn darker or
 * lighter, keeping its hue (opts->contrast on).  The library does not
 * print: the CLI turns these into one warning per colour. */
typedef struct vc_color_adjustment {
    uint32_t from;      /* the palette colour, 0xRRGGBB */
    uint32_t to;        /* the colour drawn instead */
    uint32_t against;   /* the background (or --contrast-against) */
    double needed;      /* 4.5 (small text) or 3 (large text) */
    double from_ratio;  /* contrast of `from` against `against` */
    double to_ratio;    /* contrast of `to` against `against` */
} vc_color_adjustment;

/* The adjusted colours, one entry per distinct (from, needed), in order of
 * first use (at most 32 are kept).  0 with --contrast off. */
size_t vc_layout_adjusted_color_count(const vc_layout *layout);
/* Fills *out; false when i is out of range. */
bool vc_layout_adjusted_color(const vc_layout *layout, size_t i,
                              vc_color_adjustment *out);

/* Plain-language alt text (under ~250 characters).  Caller frees. */
char *vc_layout_alt_text(const vc_layout *layout);

/* Writes the data behind the image, every word drawn or left out, most
 * votes first, in the format named by the extension, atomically:
 * .html (or .htm) a small standalone page with a captioned <table>, the
 * long description for screen-reader users; .csv RFC 4180 (UTF-8 with a
 * byte-order mark for Excel, CRLF), columns word,votes,group,status, with
 * a cell that a spreadsheet would run as a formula (starting with = + - @,
 * tab or CR) prefixed by an apostrophe. */
bool vc_layout_write_table(const vc_layout *layout, const char *path,
                           vc_error *err);

typedef enum vc_output_format {
    VC_OUTPUT_UNKNOWN = 0,
    VC_OUTPUT_PNG,
    VC_OUTPUT_SVG,
    VC_OUTPUT_PDF
} vc_output_format;

/* The format vc_layout_write uses for `path`: from the extension (.png,
 * .svg, .pdf, any case); an existing device, FIFO or /dev/stdout-style link
 * with no such extension gets PNG; otherwise VC_OUTPUT_UNKNOWN. */
vc_output_format vc_output_format_for_path(const char *path);

/* Writes the image in the format vc_output_format_for_path names,
 * atomically (devices and FIFOs are written directly). */
bool vc_layout_write(const vc_layout *layout, const char *path,
                     vc_error *err);
bool vc_layout_write_png(const vc_layout *layout, const char *path,
                         vc_error *err);
bool vc_layout_write_svg(const vc_layout *layout, const char *path,
                         vc_error *err);
bool vc_layout_write_pdf(const vc_layout *layout, const char *path,
                         vc_error *err);
/* The layout report (see README for the schema). */
bool vc_layout_write_json(const vc_layout *layout, const char *path,
                          vc_error *err);
/* The same report as a NUL-terminated string in memory (for a server that
 * streams it); its length in *len_out when not NULL.  Caller frees with
 * free(); NULL when out of memory. */
char *vc_layout_json(const vc_layout *layout, size_t *len_out, vc_error *err);

/* Where the time went, in seconds, for --timings. */
typedef struct vc_timings {
    double shape, rasterise, layout, draw, encode;
} vc_timings;
void vc_layout_timings(const vc_layout *layout, vc_timings *out);

/* ---- text checks and limits shared with the CLI (issue 17) -------------- */

/* Checks that `text` (len bytes) is UTF-8 with no NUL byte.  On failure
 * fills err (VC_ERR_DATA) with "NAME:LINE: ..." naming the first bad byte
 * and returns false.  `name` labels the text in the message. */
bool vc_text_check_utf8(const char *text, size_t len, const char *name, vc_error *err);

/* The most votes one entry may have, in an input line or summed over
 * inputs: above it counts are refused, so doubles stay exact integers and
 * no total can overflow (1e308 + 1e308). */
#define VC_MAX_COUNT 1e15

/* ---- Ranked bar chart: the same counts as bars (issue 15) -------------- */

/* Limits and defaults of the chart options. */
#define VC_CHART_WIDTH_DEFAULT 800
#define VC_CHART_FONT_SIZE_DEFAULT 16.0 /* px */
#define VC_CHART_FONT_SIZE_MIN 6.0
#define VC_CHART_FONT_SIZE_MAX 200.0
#define VC_CHART_MAX_BARS 10000

typedef struct vc_chart_options {
    size_t struct_size; /* sizeof(vc_chart_options), set by _init; see top */
    int width;          /* px (800); the height follows from the bars */
    size_t top_n;       /* bars for the N most-voted drawn words; 0: all */
    double font_size;   /* px of the labels and values (16) */
    const char *title;  /* NULL: the layout's title, else "Votes per word" */
} vc_chart_options;

void vc_chart_options_init(vc_chart_options *opts);

/* A horizontal bar chart of the words a layout drew, most votes first:
 * each word's label (the glyph run the cloud drew, so right-to-left words
 * read as in the cloud), a bar from zero in the word's colour (at least
 * 3:1 on the background when the layout checked contrast), its votes at
 * the bar's end, an axis in round numbers, and "and K more" naming how
 * many counted words have no bar.  Laid out once by vc_chart_new and
 * immutable: it holds a reference on the layout's fonts and copies
 * everything else, so it may outlive the layout and its context.  Not
 * thread-safe to create; drawing from several threads is safe. */
typedef struct vc_chart vc_chart;

vc_chart *vc_chart_new(const vc_layout *layout, const vc_chart_options *opts,
                       vc_error *err);
void vc_chart_free(vc_chart *chart);

/* One bar, in chart px (y down).  `text` is borrowed from the chart. */
typedef struct vc_chart_bar {
    const char *text;
    double count;
    double x, y, w, h;
    uint32_t color;     /* 0xRRGGBB */
} vc_chart_bar;

size_t vc_chart_bar_count(const vc_chart *chart);
bool vc_chart_get_bar(const vc_chart *chart, size_t i, vc_chart_bar *out);
/* Counted words with no bar: drawn words past top_n plus words left out
 * of the cloud. */
size_t vc_chart_more_count(const vc_chart *chart);
int vc_chart_width(const vc_chart *chart);
int vc_chart_height(const vc_chart *chart);
/* Plain-language alt text naming the top words and their votes (under
 * ~250 characters).  Caller frees. */
char *vc_chart_alt_text(const vc_chart *chart);

/* Writes the chart as vc_layout_write does: format from the extension
 * (vc_output_format_for_path), atomically. */
bool vc_chart_write(const vc_chart *chart, const char *path, vc_error *err);
bool vc_chart_write_png(const vc_chart *chart, const char *path, vc_error *err);
bool vc_chart_write_svg(const vc_chart *chart, const char *path, vc_error *err);
bool vc_chart_write_pdf(const vc_chart *chart, const char *path, vc_error *err);

/* ---- Long description and method note (issue 15) ----------------------- */

typedef enum vc_text_format {
    VC_TEXT_PLAIN = 0, /* UTF-8 text, blank lines between sections */
    VC_TEXT_HTML       /* an HTML fragment (<section> with <h2>, <p>, <ul>,
                        * <table>) for the caller's page, escaped */
} vc_text_format;

typedef struct vc_description_options {
    size_t struct_size;   /* sizeof(vc_description_options), set by _init */
    vc_text_format format;
    const char *question; /* NULL: the layout's question (may be none) */
    /* Where the answers came from (input files, channels or events), as
     * the caller wants them named; borrowed for the call. */
    const char *const *sources;
    size_t n_sources;
    /* The date printed (seconds since 1970, UTC): the caller chooses it,
     * e.g. from SOURCE_DATE_EPOCH, so the same inputs give the same bytes. */
    int64_t date;
    size_t top_n;         /* words listed with counts and shares (10); 0: all */
} vc_description_options;

void vc_description_options_init(vc_description_options *opts);

/* The long description of a cloud, for people who cannot see it or want
 * to check it: the question, who answered, the top words with their votes
 * and share of respondents (of votes when respondents are unknown), what
 * was merged (by kind, with counts) and which answers were excluded, what
 * the image leaves out and why, how size encodes votes, then the method
 * note (the matching rules in plain English and every merge), the date
 * and votecloud's version.  `words` is the list the layout was made from
 * (for its merges and exclusions; NULL says they are unknown).  Caller
 * frees; NULL with err filled on failure. */
char *vc_layout_long_description(const vc_layout *layout, const vc_words *words,
                                 const vc_description_options *opts, vc_error *err);

/* ---- Live layout -------------------------------------------------------- */

/* A cloud that grows in place as votes arrive (a live event): each update
 * takes the new full counts; words keep their anchors (ink-box centres),
 * grow where they are, nudge or re-seat smaller neighbours locally, new
 * words go to free space near the centre, and only when a word cannot be
 * fitted does the one scale shrink (in steps of 10%, anchors scaled
 * towards the centre) and the words re-pack in order of votes, each from
 * its anchor.  Every frame is truthful: font_size = scale * f(votes) for
 * every drawn word, no two words' ink (grown by the padding) overlap, and
 * every word given is drawn or listed as dropped with a reason, no
 * dropped word having more votes than a drawn one.  Not thread-safe: one
 * thread per vc_live. */
typedef struct vc_live vc_live;

/* What one update did.  "Moved" compares a word's ink-box centre before
 * and after, among the words drawn in both frames. */
typedef struct vc_live_stats {
    size_t placed;            /* words drawn after the update */
    size_t dropped;           /* words listed as dropped after it */
    size_t compared;          /* words drawn both before and after */
    size_t moved;             /* of those, centres moved more than 1 em
                               * (the word's font size after) */
    double mean_displacement; /* mean centre move of `compared`, px */
    bool rescaled;            /* the scale shrank (everything moved) */
    double scale;             /* font_size = scale * f(votes) after */
} vc_live_stats;

/* A live layout of the canvas, options and seed of `opts` (copied; NULL:
 * the defaults).  fit, max_words and same_scale are honoured as: fit is
 * ignored (the scale only shrinks, when needed), same_scale > 0 gives the
 * first scale; max_font_size (or, when 0, 45% of the canvas height) caps
 * the top word's size.  It owns its own vc_context.  Free with
 * vc_live_free (NULL-safe). */
vc_live *vc_live_new(const vc_render_options *opts, vc_error *err);
void vc_live_free(vc_live *live);

/* Takes the new full counts (`words` is read, not kept): words may
 * appear, grow, shrink or disappear (a word no longer given, e.g. hidden
 * by moderation, is removed and nothing else moves for it).  Fills
 * *stats_out when not NULL.  On failure (no memory) the frame is still
 * truthful but may hold only part of the update; the next update
 * completes it. */
bool vc_live_update(vc_live *live, const vc_words *words,
                    vc_live_stats *stats_out, vc_error *err);

/* The current frame as a new, immutable vc_layout, written with the usual
 * writers (vc_layout_write_png/svg/json ...).  The caller frees it with
 * vc_layout_free, in any order with vc_live_free: like every vc_layout it
 * holds a reference on the fonts it draws with. */
vc_layout *vc_live_snapshot(const vc_live *live, vc_error *err);

/* The most bytes vc_live_restore reads. */
#define VC_LIVE_STATE_MAX (16u << 20)

/* The live layout's state (every word's anchor and place, the scale; not
 * the counts) as bytes to keep, e.g. next to the answers in a database,
 * and give to vc_live_restore after a restart so the cloud resumes where
 * it was instead of being laid out again.  Versioned text with no NUL,
 * not meant for people.  The caller frees the result with free();
 * *len_out is its length.  NULL with err filled on failure (no memory). */
char *vc_live_save(const vc_live *live, size_t *len_out, vc_error *err);

/* Restores a state from vc_live_save into a live layout that has not been
 * updated yet, made with the same canvas size and seed.  `data` (`len`
 * bytes, no NUL needed) is read, not kept.  The next vc_live_update gives
 * the counts: a word whose size is unchanged keeps exactly its place,
 * others grow from their anchors as in any update.  Fails with
 * VC_ERR_DATA on bytes it does not accept (another version or canvas, a
 * bad number, more than VC_LIVE_STATE_MAX bytes or 20,000 words, a word
 * given twice, off the canvas or overlapping another) and VC_ERR_USAGE
 * once `live` has been updated; on failure `live` is as new, so the
 * caller can lay out from scratch.  Since 0.2. */
bool vc_live_restore(vc_live *live, const char *data, size_t len, vc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VOTECLOUD_H */
