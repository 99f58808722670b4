/* count-internal.h - private interfaces of the counting stage, shared only
 * by its files: normalize.c, keyset.c, entries.c, wordlists.c, merge.c,
 * count.c (the counter and the vc_input sink), input.c (lines), detect.c
 * and the input-*.c readers. */
#ifndef VC_COUNT_INTERNAL_H
#define VC_COUNT_INTERNAL_H

#include "internal.h"

#include <stdint.h>

/* ---- normalize.c: display spellings and matching keys -------------------- */

/* The "original spelling" of an entry: NFC, trimmed, every run of white
 * space collapsed to one space.  Replaces the contents of `out`; an empty
 * result means the text was blank.  False only when out of memory. */
bool vc_norm_display(const char *s, size_t len, vc_buf *out);
/* vc_norm_display that adds to *dropped the characters it removed
 * (controls, noncharacters, zero-width and bidi controls, marks beyond
 * VC_MAX_COMBINING_MARKS), so the caller can say so. */
bool vc_norm_display_counted(const char *s, size_t len, vc_buf *out, size_t *dropped);
/* The matching key of a display spelling: case folded, curly apostrophes
 * straightened, separators (space, hyphen, U+2010, U+2011, en dash,
 * underscore, soft hyphen) removed.  Never empty for a non-empty input. */
bool vc_norm_key(const char *s, size_t len, vc_buf *out);
/* Letters (general category L) in a UTF-8 string. */
size_t vc_norm_letters(const char *s, size_t len);
/* Decodes a UTF-8 string into code points; *n set.  NULL on no memory. */
int32_t *vc_norm_codepoints(const char *s, size_t len, size_t *n);
/* Unicode white space (Zs, tab, line breaks). */
bool vc_norm_is_space(int32_t c);

/* ---- keyset.c: a hash table of byte-string keys ------------------------- */

/* Open addressing with linear probing; keys are byte strings (they may hold
 * NUL) and get dense indices in order of first insertion, so iteration is
 * deterministic. */
typedef struct vc_keyset {
    char **keys;
    size_t *lens;
    uint64_t *hashes;
    size_t n, cap;
    size_t *slots; /* index + 1, 0 = empty */
    size_t n_slots;
} vc_keyset;

void vc_keyset_init(vc_keyset *set);
void vc_keyset_finish(vc_keyset *set);
/* Forgets every key but keeps the memory, for per-respondent sets. */
void vc_keyset_clear(vc_keyset *set);
/* Index of `key`, or SIZE_MAX. */
size_t vc_keyset_find(const vc_keyset *set, const char *key, size_t len);
/* Index of `key`, inserted when new (*added tells).  False on no memory. */
bool vc_keyset_insert(vc_keyset *set, const char *key, size_t len,
                      size_t *index, bool *added);

/* ---- entries.c: counted entries and their spellings -------------------- */

/* Composite keys: the event (4 bytes, little-endian; 0 = none, i + 1 =
 * event i), the group (1 byte), then the matching key. */
#define VC_KEY_PREFIX 5
/* Combining marks kept on one base character (Zalgo text is clamped;
 * real scripts use at most a handful). */
#define VC_MAX_COMBINING_MARKS 8
/* The group byte of an answer left out as a non-answer or stopword: kept
 * and counted, never drawn (vc_words_exclusion). */
#define VC_KEY_GROUP_EXCLUDED ((vc_group)0xFF)
/* The group byte of "this respondent gave the word both ways": one count
 * per such respondent, subtracted when a chosen and a suggested entry of
 * the same word become one VC_GROUP_BOTH word (merge.c). */
#define VC_KEY_GROUP_OVERLAP ((vc_group)0xFE)

typedef struct vc_spelling {
    char *text;
    double count;
} vc_spelling;

typedef struct vc_entry {
    double count;
    vc_spelling *sp;
    size_t n_sp, cap_sp;
    const char *fallback; /* display when no spelling (vocabulary target) */
    const char *canonical; /* a synonym's canonical spelling, as written in
                            * the synonyms file: wins over every spelling */
    size_t alias;         /* plural merged into this entry, or SIZE_MAX */
} vc_entry;

/* Entries parallel to the keys of `keys`.  Zeroed memory is empty. */
typedef struct vc_entries {
    vc_keyset keys;
    vc_entry *entries;
    size_t cap;
} vc_entries;

void vc_entries_finish(vc_entries *t);
/* The entry for composite key `ck`, created empty when new (*added tells);
 * valid until the next call.  NULL on no memory. */
vc_entry *vc_entries_get(vc_entries *t, const char *ck, size_t len, bool *added);
/* Adds `count` to a spelling of `e` (copied when new; past 32 spellings a
 * new one is not kept).  False on no memory. */
bool vc_entry_add_spelling(vc_entry *e, const char *text, size_t len,
                           double count);
/* Adds every spelling of `src` to `e`, with its count. */
bool vc_entry_add_spellings(vc_entry *e, const vc_entry *src);
/* The most frequent spelling, ties to the first seen; else the fallback;
 * else "".  Borrowed from `e`. */
const char *vc_entry_display(const vc_entry *e);

/* Replaces the contents of `b` with the prefix of a composite key. */
void vc_key_prefix(vc_buf *b, uint32_t event, vc_group group);
uint32_t vc_key_event(const char *ck);
vc_group vc_key_group(const char *ck);

/* ---- wordlists.c: stopwords, synonyms, vocabulary ---------------------- */

/* The lists a counter matches keys against; zeroed memory (or init) is
 * empty, finish frees.  Loaders read files of at most max_line bytes a
 * line and fail with a message naming the file and line. */
typedef struct vc_wordlists {
    vc_keyset stopwords;
    vc_keyset nonanswers_default;      /* src/data/nonanswers-en.txt */
    vc_keyset nonanswers;              /* --exclude files */
    bool no_default_nonanswers;        /* --no-default-exclusions */
    vc_keyset syn;                     /* variant key -> syn_key, syn_text */
    char **syn_key, **syn_text;
    size_t cap_syn;
    vc_keyset canon;                   /* canonical key -> canon_text */
    char **canon_text;                 /* as first written in the file */
    size_t cap_canon;
    vc_keyset vocab;                   /* every vocabulary key */
    struct vc_vocab_word *vocab_words; /* parallel to vocab */
    size_t cap_vocab;
} vc_wordlists;

void vc_wordlists_init(vc_wordlists *wl);
void vc_wordlists_finish(vc_wordlists *wl);
/* The shipped English stopwords.  False only when out of memory. */
bool vc_wordlists_add_default_stopwords(vc_wordlists *wl);
/* One word per line; '#' starts a comment. */
bool vc_wordlists_load_stopwords(vc_wordlists *wl, const char *path,
                                 size_t max_line, vc_error *err);
/* Lines 'variant = canonical'; a variant has one canonical. */
bool vc_wordlists_load_synonyms(vc_wordlists *wl, const char *path,
                                size_t max_line, vc_error *err);
/* Every word, and each line of under four words as a phrase. */
bool vc_wordlists_load_vocabulary(vc_wordlists *wl, const char *path,
                                  size_t max_line, vc_error *err);
/* Non-answers ("n/a", "don't know"): the shipped list, and files of more
 * (one answer per line, '#' comments). */
bool vc_wordlists_add_default_nonanswers(vc_wordlists *wl);
bool vc_wordlists_load_nonanswers(vc_wordlists *wl, const char *path,
                                  size_t max_line, vc_error *err);
/* Whether a whole answer is a non-answer: listed (by key), or, unless the
 * defaults are off, made of no letter, number or ideograph at all (only
 * punctuation, symbols or emoji).  `disp` is the normalised display. */
bool vc_wordlists_is_nonanswer(const vc_wordlists *wl, const char *disp, size_t disp_len,
                               const char *key, size_t key_len);
bool vc_wordlists_is_stopword(const vc_wordlists *wl, const char *key,
                              size_t len);
/* Whether `text`, written as an answer, is one counting leaves out as a
 * non-answer (vc_input_answer's rules: display form trimmed of punctuation
 * at the ends, then vc_wordlists_is_nonanswer; "-" alone is one).  d and k
 * are scratch buffers.  False only when out of memory. */
bool vc_written_nonanswer(const vc_wordlists *wl, const char *text, size_t len,
                          vc_buf *d, vc_buf *k, bool *is);

/* What a matching key merges into; the strings are borrowed from the lists. */
typedef struct vc_resolved {
    const char *key;  /* canonical key */
    const char *text; /* canonical display when nobody wrote it */
    vc_merge_kind kind; /* VC_MERGE_SYNONYM or VC_MERGE_VOCABULARY */
} vc_resolved;

/* Whether `key` merges into another entry: a synonym (chains followed),
 * else the one vocabulary word of 5+ letters within one edit of it.  False
 * for exact vocabulary words, ambiguous near-misses, and no memory. */
/* The canonical spelling a synonyms file gives `key` (as written in the
 * file), or NULL when `key` is no synonym's canonical form. */
const char *vc_wordlists_canonical(const vc_wordlists *wl, const char *key, size_t len);

bool vc_wordlists_resolve(const vc_wordlists *wl, const char *key, size_t len,
                          vc_resolved *out);

/* ---- merge.c: the words of counted entries ----------------------------- */

/* Appends to `w`, sorted, the entries of `counted` for `event` (i + 1 for
 * event i; 0: every event) folded through the word lists, with plurals
 * merged when `plurals`, and the log of every merge.  Respondents are the
 * caller's.  False with `err` filled on no memory. */
bool vc_merge_words(const vc_entries *counted, const vc_wordlists *wl,
                    uint32_t event, bool plurals, vc_words *w, vc_error *err);

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

/* ---- input-xlsx.c: Excel workbooks ------------------------------------- */

/* The first worksheet of an .xlsx workbook in memory as CSV text (RFC 4180,
 * every cell quoted, numbers as written), into `out` (initialised here).
 * Corrupt, encrypted or oversized workbooks are errors naming the file. */
bool vc_xlsx_to_csv(const char *name, const void *data, size_t len,
                    vc_buf *out, vc_error *err);

/* ---- detect.c: format detection ----------------------------------------- */

/* The format of an input from its name and first bytes. */
vc_format vc_detect_format(const char *name, const char *head, size_t len);

/* ---- count.c: the sink that readers feed -------------------------------- */

/* One input being counted: everything goes to a staging table merged into
 * the counter only when the whole input was read. */
typedef struct vc_input vc_input;
typedef struct vc_sheet vc_sheet;

const vc_count_options *vc_input_options(const vc_input *in);
/* The counter's word lists (non-answers, stopwords, synonyms). */
const vc_wordlists *vc_input_lists(const vc_input *in);
const char *vc_input_name(const vc_input *in);
/* The line readers are on, for messages about limits. */
size_t vc_input_line(const vc_input *in);

/* Adds `count` votes for `text` (raw: normalised here; blank is ignored). */
bool vc_input_add(vc_input *in, vc_group group, const char *text,
                  size_t len, double count, vc_error *err);
/* A token of free text: dropped when it is a stopword. */
bool vc_input_add_token(vc_input *in, const char *text, size_t len,
                        vc_error *err);

/* Survey respondents: answers between begin and end count at most once per
 * (group, word) after synonyms and vocabulary; a respondent with no counted
 * answer is not counted. */
bool vc_input_event(vc_input *in, const char *name, size_t len,
                    vc_error *err);
void vc_input_respondent_begin(vc_input *in);
bool vc_input_answer(vc_input *in, vc_group group, const char *text,
                     size_t len, vc_error *err);
void vc_input_respondent_end(vc_input *in);

/* Survey readers: tab-separated?  And, for an inspection, whether the
 * analysed sheet is to be kept (vc_input_keep_sheet moves it) rather than
 * counted; vc_input_note_survey records how a counted one was read. */
bool vc_input_tabs(const vc_input *in);
bool vc_input_wants_sheet(const vc_input *in);
void vc_input_keep_sheet(vc_input *in, vc_sheet *sh);
void vc_input_note_survey(vc_input *in, vc_sheet *sh);

/* Reads one input (a path, or a buffer when path is NULL) as the counter
 * would, counting nothing: the analysed sheet goes to `out` (zeroed for
 * inputs that are no survey). */
bool vc_counter_inspect(vc_counter *c, const char *path, const char *name,
                        const void *data, size_t len, vc_sheet *out,
                        vc_error *err);

/* ---- readers: one per format --------------------------------------------- */

bool vc_read_counts(vc_input *in, vc_lines *r, vc_error *err);
bool vc_read_survey(vc_input *in, vc_lines *r, vc_error *err);
bool vc_read_text(vc_input *in, vc_lines *r, vc_error *err);

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

typedef struct vc_sheet {
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
} vc_sheet;

/* Takes `fields` (freed on failure, which is only no memory). */
bool vc_sheet_add_row(vc_sheet *sh, char **fields, size_t n);
/* A cell, "" past the end of its row. */
const char *vc_sheet_cell(const vc_sheet *sh, size_t row, size_t col);
/* Header rows, the tool, each column's role and values, the suggestion.
 * Non-answers (by `lists`, which may be NULL) are left out of the values
 * and of the role's guess, and counted. */
bool vc_sheet_analyse(vc_sheet *sh, const vc_count_options *o,
                      const vc_wordlists *lists, const char *input, vc_error *err);
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

#endif /* VC_COUNT_INTERNAL_H */
