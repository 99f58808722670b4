/* input/input.h - the readers: bytes of a file (any encoding, CSV, TSV,
 * .xlsx, a counts file or free text) turned into answers fed to a sink.
 * The readers know nothing of the counter: they see only vc_sink. */
#ifndef VC_INPUT_H
#define VC_INPUT_H

#include "core/core.h"

/* ---- input.c: streaming lines ------------------------------------------ */

/* Reads a file, standard input or a buffer one line at a time, holding at
 * most one line (bounded by max_line) plus one read chunk, so a 1 GB input
 * counts in bounded memory.  Every line is checked to be UTF-8 without NUL
 * bytes; a UTF-8 byte order mark is dropped and UTF-16 is refused. */
/* Bytes read at a time; vc_lines_peek shows at most this much. */
#define VC_LINES_CHUNK 65536

typedef struct vc_lines {
    const char *name; /* for messages: the path, or "<stdin>" */
    int fd;           /* -1 when reading `mem` */
    bool close_fd;
    const char *mem;
    size_t mem_len, mem_pos;
    char *buf;
    size_t cap, start, end; /* unread bytes are buf[start, end) */
    bool eof, started;
    size_t line;     /* number of the line last returned (1-based) */
    size_t max_line; /* opts->max_line_bytes */
    uint64_t bytes;  /* bytes read so far */
    bool bad_utf8;   /* a line was refused for its encoding */
} vc_lines;

/* Opens `path` ("-" = standard input); directories and unreadable files are
 * VC_ERR_NOINPUT. */
bool vc_lines_open(vc_lines *r, const char *path, size_t max_line,
                   vc_error *err);
void vc_lines_open_mem(vc_lines *r, const char *name, const void *data,
                       size_t len, size_t max_line);
/* Reads ahead (up to VC_LINES_CHUNK) so the start of the input can be inspected
 * without consuming it: *data, *len.  Empty input is an error. */
bool vc_lines_peek(vc_lines *r, const char **data, size_t *len,
                   vc_error *err);
/* The next line with its terminator ("\n" or "\r\n") removed; *line NULL
 * at the end of the input.  *had_newline tells whether one was removed
 * (CSV readers give it back to the parser). */
bool vc_lines_next(vc_lines *r, const char **line, size_t *len,
                   bool *had_newline, vc_error *err);
void vc_lines_close(vc_lines *r);
/* The raw first bytes (up to VC_LINES_CHUNK), before any byte order mark is
 * looked at, without consuming them. */
bool vc_lines_head(vc_lines *r, const unsigned char **data, size_t *len,
                   vc_error *err);
/* Everything not yet consumed, into `out` (initialised here); more than
 * `limit` bytes is an error. */
bool vc_lines_slurp(vc_lines *r, size_t limit, vc_buf *out, vc_error *err);

/* ---- input-decode.c: encodings and containers ---------------------------- */

/* What the first bytes of an input say it is. */
typedef enum vc_sniff {
    VC_SNIFF_TEXT = 0,      /* UTF-8 (with or without BOM) or a legacy encoding */
    VC_SNIFF_UTF16LE,       /* with byte order marks */
    VC_SNIFF_UTF16BE,
    VC_SNIFF_UTF32LE,
    VC_SNIFF_UTF32BE,
    VC_SNIFF_UTF16LE_NOBOM, /* ASCII with every other byte NUL */
    VC_SNIFF_UTF16BE_NOBOM,
    VC_SNIFF_ZIP,           /* an .xlsx workbook (or another zip) */
    VC_SNIFF_OLE            /* an encrypted workbook or an old .xls */
} vc_sniff;

vc_sniff vc_sniff_bytes(const unsigned char *d, size_t len);
/* The encoding a sniff implies ("UTF-8" for text). */
const char *vc_sniff_encoding(vc_sniff s);
bool vc_encoding_is_cp1252(const char *enc);
bool vc_encoding_is_utf8(const char *enc);
/* Converts `len` bytes in `enc` (NULL: from the byte order mark, else
 * UTF-8) to UTF-8 in `out` (initialised here), dropping the byte order mark.
 * Bytes invalid in `enc` are an error naming their offset. */
bool vc_decode(const char *name, const unsigned char *d, size_t len,
               const char *enc, vc_buf *out, vc_error *err);
/* The most bytes converted in memory (a decoded file or a workbook). */
#define VC_DECODE_MAX_BYTES ((size_t)256 << 20)

/* ---- zip-read.c: the zip container of a workbook ------------------------ */

/* A zip archive in memory; borrows `data` and `name`. */
typedef struct vc_zip {
    const char *name;          /* the file, for messages */
    const uint8_t *data;
    size_t len;
    const uint8_t *cd;         /* the central directory, cd_len bytes */
    size_t cd_len, n_entries;
} vc_zip;

/* One entry, as its central directory record describes it. */
typedef struct vc_zip_entry {
    uint32_t flags, method, crc;
    uint64_t csize, usize, local_off; /* ZIP64 values where the entry has them */
    size_t name_len;
} vc_zip_entry;

/* Finds the central directory; false (an error naming the file) when the
 * bytes are no zip this reader can read. */
bool vc_zip_open(vc_zip *z, const char *name, const void *data, size_t len, vc_error *err);
/* The entry named `part`: 1 found (into e), 0 absent, -1 a damaged
 * directory (with the error). */
int vc_zip_find(const vc_zip *z, const char *part, vc_zip_entry *e, vc_error *err);
/* The entry's bytes into `out` (initialised here, NUL-terminated), exactly
 * e->usize of them with a matching CRC-32, or an error naming `part`.  The
 * caller bounds e->usize first: this allocates it. */
bool vc_zip_read(const vc_zip *z, const vc_zip_entry *e, const char *part, vc_buf *out,
                 vc_error *err);

/* ---- input-xlsx.c: Excel workbooks ------------------------------------- */

/* The first worksheet of an .xlsx workbook in memory as CSV text (RFC 4180,
 * every cell quoted, numbers as written), into `out` (initialised here).
 * Corrupt, encrypted or oversized workbooks are errors naming the file. */
bool vc_xlsx_to_csv(const char *name, const void *data, size_t len,
                    vc_buf *out, vc_error *err);

/* ---- detect.c: format detection ----------------------------------------- */

/* The format of an input from its name and first bytes. */
vc_format vc_detect_format(const char *name, const char *head, size_t len);

/* ---- the sink: where readers put what they read ------------------------- */

/* Readers depend on this interface only, never on the counter: count.c
 * implements it (a staging table merged when the whole input was read),
 * and a test or another tool can implement it to see what a reader reads.
 * Every callback gets the sink back; `err` is filled on failure. */
/* A group a reader may pass besides vc_group's: "this many respondents
 * gave the word both ways" (a counts file's both line), one count per such
 * respondent, subtracted when a chosen and a suggested entry of the same
 * word become one VC_GROUP_BOTH word (count/merge.c). */
#define VC_KEY_GROUP_OVERLAP ((vc_group)0xFE)

typedef struct vc_sink vc_sink;
typedef struct vc_sheet vc_sheet;

typedef struct vc_sink_ops {
    /* `count` votes for `text` (raw: the sink normalises; blank is ignored). */
    bool (*add)(vc_sink *s, vc_group group, const char *text, size_t len,
                double count, vc_error *err);
    /* A token of free text (the sink drops stopwords). */
    bool (*add_token)(vc_sink *s, const char *text, size_t len, vc_error *err);
    /* Survey rows: the event of the rows that follow, and one respondent's
     * answers between begin and end (counted at most once per word). */
    bool (*event)(vc_sink *s, const char *name, size_t len, vc_error *err);
    void (*respondent_begin)(vc_sink *s);
    bool (*answer)(vc_sink *s, vc_group group, const char *text, size_t len,
                   vc_error *err);
    void (*respondent_end)(vc_sink *s);
    /* A survey sheet was analysed.  True: the sink took it (it may move
     * the sheet's contents out) and nothing is to be counted; false: the
     * reader picks the columns and feeds the answers. */
    bool (*take_sheet)(vc_sink *s, vc_sheet *sh);
    /* The columns picked from a sheet about to be counted, for a record of
     * how the input was read (the sink may move auto_columns/auto_free). */
    void (*picked)(vc_sink *s, vc_sheet *sh);
    /* Whether a written answer is one the sink leaves out as a non-answer
     * (so column analysis judges values as counting will).  False only
     * when out of memory. */
    bool (*is_nonanswer)(vc_sink *s, const char *text, size_t len, bool *is);
} vc_sink_ops;

struct vc_sink {
    const vc_sink_ops *ops;
    const vc_count_options *opts; /* the options readers obey (limits, ...) */
    bool tabs;                    /* survey: tab-separated rather than CSV */
};

/* The readers call the sink through these. */
static inline bool vc_sink_add(vc_sink *s, vc_group group, const char *text,
                               size_t len, double count, vc_error *err)
{
    return s->ops->add(s, group, text, len, count, err);
}
static inline bool vc_sink_add_token(vc_sink *s, const char *text, size_t len,
                                     vc_error *err)
{
    return s->ops->add_token(s, text, len, err);
}
static inline bool vc_sink_event(vc_sink *s, const char *name, size_t len,
                                 vc_error *err)
{
    return s->ops->event(s, name, len, err);
}
static inline bool vc_sink_answer(vc_sink *s, vc_group group, const char *text,
                                  size_t len, vc_error *err)
{
    return s->ops->answer(s, group, text, len, err);
}

/* ---- readers: one per format --------------------------------------------- */

bool vc_read_counts(vc_sink *s, vc_lines *r, vc_error *err);
bool vc_read_survey(vc_sink *s, vc_lines *r, vc_error *err);
bool vc_read_text(vc_sink *s, vc_lines *r, vc_error *err);

/* input-counts.c: whether a counts file's second header cell names the
 * count column ("count", "votes", ...). */
bool vc_is_count_header(const char *s, size_t len);

/* input-counts.c: parses a count, a non-negative finite decimal number
 * without locale ("12", "0.5", "1e3").  *why says what is wrong on
 * failure. */
bool vc_parse_count(const char *s, size_t len, double *out,
                    const char **why);

/* input-counts.c: the kind of a line "word SEP count [SEP group]" (SEP a
 * tab or ','): 2 data, 1 a header, 0 neither.  CSV lines are split by
 * libcsv, so quoted commas count. */
int vc_counts_line_kind(const char *s, size_t len, char sep);

/* input-survey-columns.c: a survey sheet read whole, what each column
 * holds, and which columns are counted (VC_COUNT_*) and how. */
enum { VC_COUNT_NONE, VC_COUNT_CHOICE, VC_COUNT_FREE };

typedef struct vc_column {
    char *question;      /* the first header row, filled right (SurveyMonkey) */
    const char *sub;     /* the last header row when there are 2+ (borrowed) */
    char *header;        /* for people: "question / sub" */
    vc_column_role role;
    const char *sep;     /* ", " for Google's multi-select, else NULL */
    char **options;      /* its options, longest first */
    size_t n_options, cap_options;
    size_t filled, distinct; /* distinct leaves non-answers out */
    size_t nonanswers;   /* values (cells, options) that are non-answers */
    double mean_len;     /* bytes per filled cell, non-answers left out */
    char **top;          /* the most frequent answers, and how often */
    double *top_count;
    size_t n_top;
    unsigned char suggested; /* VC_COUNT_*: counted when nothing is named */
    unsigned char count_as;  /* VC_COUNT_*: counted in this run */
} vc_column;

struct vc_sheet {
    char ***rows;        /* every record, header rows included */
    size_t *widths;
    size_t n_rows, cap_rows, cap_widths;
    size_t header_rows;
    vc_survey_layout layout;
    vc_column *cols;
    size_t n_cols;
    size_t event_col;    /* SIZE_MAX: none */
    size_t respondents;  /* non-blank rows after the header */
    char *auto_columns, *auto_free; /* what was picked with nothing named */
    /* How the input was read, for an inspection. */
    vc_format info_format;
    vc_file_type info_file_type;
    const char *info_encoding;
    bool info_guessed;
};

/* Takes `fields` (freed on failure, which is only no memory). */
bool vc_sheet_add_row(vc_sheet *sh, char **fields, size_t n);
/* A cell, "" past the end of its row. */
const char *vc_sheet_cell(const vc_sheet *sh, size_t row, size_t col);
/* Header rows, the tool, each column's role and values, the suggestion.
 * Non-answers (as `sink` tells them; NULL: none) are left out of the
 * values and of the role's guess, and counted. */
bool vc_sheet_analyse(vc_sheet *sh, const vc_count_options *o,
                      vc_sink *sink, const char *input, vc_error *err);
/* Sets count_as: named columns, else the suggested ones (VC_ERR_USAGE when
 * there are none). */
bool vc_sheet_pick(vc_sheet *sh, const vc_count_options *o, const char *input,
                   vc_error *err);
void vc_sheet_finish(vc_sheet *sh);

/* Splits a Google multi-select cell into its options, and the "Other"
 * answer that may follow them (other = true). */
typedef bool (*vc_split_fn)(void *data, const char *s, size_t len, bool other,
                            vc_error *err);
bool vc_column_split(const vc_column *c, const char *cell, vc_split_fn fn,
                     void *data, vc_error *err);

/* input-text.c: calls `fn` for every word of `line` by the tailored Unicode
 * word rules; `numbers` keeps tokens without letters. */
typedef bool (*vc_token_fn)(void *data, const char *tok, size_t len,
                            vc_error *err);
bool vc_tokenize(const char *line, size_t len, bool numbers, vc_token_fn fn,
                 void *data, vc_error *err);

/* input-survey.c: splits one CSV line ("a,\"b, c\"") into fields with
 * libcsv, for --columns and CSV counts.  Returns 0, 1 when a quote is not
 * closed, -1 when out of memory.  vc_csv_free_fields releases the fields. */
int vc_csv_split_line(const char *s, size_t len, char ***fields, size_t *n);
void vc_csv_free_fields(char **fields, size_t n);

#endif /* VC_INPUT_H */
