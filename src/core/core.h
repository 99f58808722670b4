/* core/core.h - what every stage of libvotecloud shares: errors,
 * overflow-checked allocation and buffers, the random generator, atomic
 * output files, Unicode matching keys, byte-string hash sets, and the
 * vc_words list that counting hands to layout.  Nothing here is exported
 * (the shared library exports only votecloud.h); nothing here knows fonts,
 * cairo or HarfBuzz.
 *
 * The stages, one folder each, in pipeline order (see src/README.md):
 *   core/     this header: errors, buffers, atomic files, text keys
 *   input/    readers: bytes of a file -> answers fed to a sink
 *   count/    the counter (the sink), word lists, merges -> vc_words
 *   layout/   fonts, shaping, ink, placement, legend -> a finished vc_layout
 *   render/   PNG, SVG, PDF, JSON report of a finished layout; atomic files
 *   publish/  words about a layout: alt text, tables, chart, long description
 */
#ifndef VC_CORE_H
#define VC_CORE_H

#include "votecloud.h"

#include <stdarg.h>
#include <stdio.h>

#include <stdint.h>

#define VC_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define VC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VC_PRINTF(a, b)
#endif

/* ---- error.c ------------------------------------------------------------ */

/* Records the first error in `err` (NULL-safe) and returns false, so callers
 * can write `return vc_fail(err, VC_ERR_DATA, "%s:%zu: ...", ...)`. */
bool vc_fail(vc_error *err, vc_status status, const char *fmt, ...)
    VC_PRINTF(3, 4);
bool vc_failv(vc_error *err, vc_status status, const char *fmt, va_list ap)
    VC_PRINTF(3, 0);
/* vc_fail about one option: the message in plain words, `option` for the
 * caller to name it (the CLI adds its flag). */
/* Passes on an error recorded elsewhere (another thread's, a callee's
 * scratch record), option included. */
bool vc_fail_copy(vc_error *err, const vc_error *from);
bool vc_fail_option(vc_error *err, vc_status status, vc_option_id option, const char *fmt, ...)
    VC_PRINTF(4, 5);

/* Copies a size-stamped options struct (`in` starts with its size_t
 * struct_size) over `out`, which holds the defaults and is `known_size`
 * bytes: an older caller's smaller struct leaves the newer fields at their
 * defaults.  A struct_size of 0 or above `known_size` is VC_ERR_USAGE,
 * naming `what` (render-options.c). */
/* The folder of the bundled fonts, the one holding `font` (font-dir.c):
 * $VOTECLOUD_DATADIR/fonts, else found relative to the library's own file,
 * else the uninstalled source tree, else the configured install path.
 * Returns `buf` or a constant string. */
const char *vc_bundled_font_dir(const char *font, char *buf, size_t size);

bool vc_options_adopt(const void *in, size_t known_size, void *out, const char *what,
                      vc_error *err);
/* Out of memory, with what was being allocated. */
bool vc_fail_nomem(vc_error *err, const char *what);
/* An errno failure: "path: verb: strerror". */
bool vc_fail_errno(vc_error *err, vc_status status, const char *path,
                   const char *verb, int errnum);

/* ---- util.c ------------------------------------------------------------- */

/* Overflow-checked allocation: NULL on overflow or exhaustion. */
void *vc_malloc2(size_t a, size_t b);
void *vc_calloc2(size_t a, size_t b);
/* vc_malloc2 for large buffers written soon after (the canvas, spiral
 * tables): from 2 MiB up, aligned to 2 MiB and marked for transparent huge
 * pages, so first touch costs a page fault per 2 MiB rather than per 4 KiB
 * (a 1920x1080 canvas: 4 faults, not 1,500).  Free with free(). */
void *vc_malloc_big(size_t a, size_t b);
/* Huge pages are 2 MiB on x86-64 and arm64 (4 KiB base pages). */
#define VC_HUGE_PAGE ((size_t)2 << 20)
/* The bytes vc_malloc_big(n, 1) takes: n, rounded up to whole huge pages
 * from VC_HUGE_PAGE up. */
size_t vc_big_size(size_t n);
void *vc_malloc3(size_t a, size_t b, size_t c);
void *vc_realloc2(void *p, size_t a, size_t b);
char *vc_strdup(const char *s); /* NULL-safe: returns NULL for NULL */
char *vc_strndup(const char *s, size_t n);

/* Grows *items (of *cap elements of `size` bytes) to hold `need` elements. */
bool vc_grow(void **items, size_t *cap, size_t need, size_t size);

/* Strings copied into a few large blocks and freed together: for tables
 * that keep every key until they are cleared or freed, at no malloc a
 * string.  Zeroed memory is an empty pool. */
typedef struct vc_strpool {
    struct vc_strblock *head; /* the newest block; each links the one before */
    size_t used;              /* bytes of head's data in use */
} vc_strpool;

/* A NUL-terminated copy of the `len` bytes at `s` (which may hold NUL),
 * valid until the pool is cleared or finished.  NULL on no memory. */
char *vc_strpool_copy(vc_strpool *pool, const char *s, size_t len);
/* Forgets every string but keeps the newest block. */
void vc_strpool_clear(vc_strpool *pool);
void vc_strpool_finish(vc_strpool *pool);

/* A growable byte buffer, always NUL-terminated when len > 0. */
typedef struct vc_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an append ran out of memory; later appends do nothing */
} vc_buf;
void vc_buf_init(vc_buf *b);
void vc_buf_finish(vc_buf *b);
bool vc_buf_append(vc_buf *b, const void *data, size_t n);
bool vc_buf_puts(vc_buf *b, const char *s);
bool vc_buf_printf(vc_buf *b, const char *fmt, ...) VC_PRINTF(2, 3);
/* Appends s with <, >, &, " and ' escaped for XML/HTML. */
bool vc_buf_xml_escape(vc_buf *b, const char *s);
/* `s` as a quoted JSON string; bytes that are not UTF-8 become U+FFFD. */
bool vc_buf_json_string(vc_buf *b, const char *s);
/* Formats a double with up to `decimals` decimals, trailing zeros removed,
 * independent of the locale ("12", "12.5"). */
bool vc_buf_number(vc_buf *b, double v, int decimals);
/* Appends v in decimal, as "%lld" would. */
bool vc_buf_int(vc_buf *b, long long v);
/* Appends s with control characters as spaces (text for people: alt
 * text, captions, provenance). */
void vc_buf_put_plain(vc_buf *b, const char *s, size_t len);
/* "1 vote", "2.5 votes": vc_buf_number and the noun for that number. */
void vc_buf_count_noun(vc_buf *b, double n, const char *one, const char *many);

/* Deterministic PRNG (splitmix64 seeded xoshiro256**), no global state. */
typedef struct vc_rng {
    uint64_t s[4];
} vc_rng;
void vc_rng_seed(vc_rng *rng, uint64_t seed);
uint64_t vc_rng_next(vc_rng *rng);
double vc_rng_double(vc_rng *rng); /* [0, 1) */

/* Locale-independent seconds from a monotonic clock, for --timings. */
double vc_now(void);

/* Checks that data is UTF-8 (vc_text_check_utf8's engine).  Fails with
 * the line, the offset and a short reason ("overlong encoding",
 * "surrogate", ...); also names UTF-16 and NUL bytes. */
bool vc_utf8_check(const char *data, size_t len, const char *name,
                   vc_error *err);

/* ---- atomic.c: outputs appear complete or not at all -------------------- */

typedef struct vc_atomic {
    char *path;     /* final path */
    char *tmp_path; /* temporary file in the same folder */
    FILE *fp;       /* write here */
} vc_atomic;

/* Creates a temporary file next to `path`. */
bool vc_atomic_open(vc_atomic *a, const char *path, vc_error *err);
/* Flushes, fsyncs, checks close and renames into place; on failure removes
 * the temporary file.  Always releases `a`. */
bool vc_atomic_commit(vc_atomic *a, vc_error *err);
/* Removes the temporary file and releases `a` (NULL-safe, idempotent). */
void vc_atomic_abort(vc_atomic *a);
/* Writes `len` bytes to `path` atomically. */
bool vc_atomic_write(const char *path, const void *data, size_t len,
                     vc_error *err);

/* ---- words.c: the vc_words list ---------------------------------------- */

struct vc_word {
    char *text;
    double count;
    vc_group group;
    double chosen, suggested; /* people who gave it each way (0 for a plain word) */
};
/* vc_words_group_count of one item. */
double vc_word_group_count(const struct vc_word *item, vc_group group);

struct vc_merge_rec {
    char *from, *into;
    vc_merge_kind kind;
    double count;
};

struct vc_words {
    struct vc_word *items;
    size_t n, cap;
    size_t respondents;
    struct vc_merge_rec *merges;
    size_t n_merges, cap_merges;
    struct vc_word *excluded; /* non-answers and stopwords left out */
    size_t n_excluded, cap_excluded;
};

/* Sorts by count desc, text, group. */
void vc_words_sort(vc_words *words);
/* Records an answer left out as no answer (text copied). */
bool vc_words_add_exclusion(vc_words *words, const char *text, double count,
                            vc_error *err);
bool vc_words_add_merge(vc_words *words, const char *from, const char *into,
                        vc_merge_kind kind, double count, vc_error *err);

/* The same pointer without const, for C APIs that take a non-const
 * pointer they only read through (libpng's text, zlib's input, iconv):
 * through an integer, so -Wcast-qual stays meaningful elsewhere. */
static inline void *vc_unconst(const void *p)
{
    return (void *)(uintptr_t)p;
}

/* Little-endian integers read from bytes, the same on every CPU (zip
 * records, the PNG encoder's hash of 4 bytes). */
static inline uint32_t vc_le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t vc_le32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

static inline uint64_t vc_le64(const uint8_t *p)
{
    return (uint64_t)vc_le32(p) | (uint64_t)vc_le32(p + 4) << 32;
}

/* ---- normalize.c: display spellings and matching keys -------------------- */

/* Combining marks kept on one base character (Zalgo text is clamped;
 * real scripts use at most a handful). */
#define VC_MAX_COMBINING_MARKS 8

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
    char **keys;             /* in `pool` */
    vc_strpool pool;
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

#endif /* VC_CORE_H */
