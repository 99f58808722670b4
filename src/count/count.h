/* count/count.h - the counting stage's private interfaces: counted
 * entries and their spellings, the word lists (stopwords, non-answers,
 * synonyms, vocabulary), merging into vc_words.  The counter drives the
 * readers (input/input.h) through their sink. */
#ifndef VC_COUNT_H
#define VC_COUNT_H

#include "core/core.h"
#include "input/input.h"

/* ---- entries.c: counted entries and their spellings -------------------- */

/* Composite keys: the event (4 bytes, little-endian; 0 = none, i + 1 =
 * event i), the group (1 byte), then the matching key. */
#define VC_KEY_PREFIX 5
/* The group byte of an answer left out as a non-answer or stopword: kept
 * and counted, never drawn (vc_words_exclusion). */
#define VC_KEY_GROUP_EXCLUDED ((vc_group)0xFF)

typedef struct vc_spelling {
    char *text;           /* in the table's `texts` */
    double count;
} vc_spelling;

typedef struct vc_entry {
    double count;
    /* n_sp spellings: the first in the entry (most entries have just one,
     * which then costs no allocation), the others in `more`. */
    vc_spelling sp1;
    vc_spelling *more;
    size_t n_sp, cap_more;
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
    vc_strpool texts;     /* every entry's spellings */
} vc_entries;

void vc_entries_finish(vc_entries *t);
/* The entry for composite key `ck`, created empty when new (*added tells);
 * valid until the next call.  NULL on no memory. */
vc_entry *vc_entries_get(vc_entries *t, const char *ck, size_t len, bool *added);
/* Adds `count` to a spelling of `e`, an entry of `t` (copied into t->texts
 * when new; past 32 spellings a new one is not kept).  False on no memory. */
bool vc_entry_add_spelling(vc_entries *t, vc_entry *e, const char *text, size_t len,
                           double count);
/* Adds every spelling of `src` to `e`, an entry of `t`, with its count. */
bool vc_entry_add_spellings(vc_entries *t, vc_entry *e, const vc_entry *src);
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
 * non-answer (the counter's rules: display form trimmed of punctuation
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

/* ---- count.c ------------------------------------------------------------ */

/* Reads one input (a path, or a buffer when path is NULL) as the counter
 * would, counting nothing: the analysed sheet goes to `out` (zeroed for
 * inputs that are no survey). */
bool vc_counter_inspect(vc_counter *c, const char *path, const char *name,
                        const void *data, size_t len, vc_sheet *out,
                        vc_error *err);

#endif /* VC_COUNT_H */
