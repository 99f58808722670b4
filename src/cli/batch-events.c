/* batch-events.c - where batch's events come from (one file each, or a
 * manifest CSV), the slugs that name their outputs, and the checks on
 * output paths made before any work starts. */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

const char *const batch_output_ext[BATCH_N_OUTPUTS] = {".png", ".svg", ".json",
                                                       ".txt"};

#define MANIFEST_MAX_BYTES (16u << 20)

/* ---- the event list ------------------------------------------------------ */

bool batch_events_add(batch_events *ev, const char *name, const char *title,
                      const char *input, vc_error *err)
{
    if (ev->n == ev->cap) {
        size_t ncap = ev->cap ? ev->cap * 2 : 16;
        if (ncap > SIZE_MAX / sizeof *ev->v) {
            return batch_fail(err, VC_ERR_NOMEM, "too many events");
        }
        batch_event *p = realloc(ev->v, ncap * sizeof *p);
        if (!p) {
            return batch_fail(err, VC_ERR_NOMEM, "out of memory for events");
        }
        ev->v = p;
        ev->cap = ncap;
    }
    batch_event *e = &ev->v[ev->n];
    memset(e, 0, sizeof *e);
    e->name = strdup(name);
    e->title = strdup(title && *title ? title : name);
    e->input = input ? strdup(input) : NULL;
    if (!e->name || !e->title || (input && !e->input)) {
        free(e->name);
        free(e->title);
        free(e->input);
        return batch_fail(err, VC_ERR_NOMEM, "out of memory for events");
    }
    ev->n++;
    return true;
}

void batch_events_free(batch_events *ev)
{
    if (!ev) {
        return;
    }
    for (size_t i = 0; i < ev->n; i++) {
        batch_event *e = &ev->v[i];
        free(e->name);
        free(e->title);
        free(e->input);
        free(e->slug);
        vc_words_free(e->words);
        free(e->alt_text);
        for (size_t j = 0; j < e->boxed; j++) {
            free(e->boxed_words[j].text);
        }
        free(e->boxed_words);
        for (size_t j = 0; j < e->n_rows; j++) {
            free(e->rows[j].text);
            free(e->rows[j].reason);
        }
        free(e->rows);
    }
    free(ev->v);
    memset(ev, 0, sizeof *ev);
}

/* "data/Area Forum.csv" -> "Area Forum". */
static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, base, n);
        s[n] = '\0';
    }
    return s;
}

bool batch_events_from_files(batch_events *ev, const char *const *paths, size_t n,
                             vc_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            return batch_fail(err, VC_ERR_USAGE,
                              "batch: standard input has no event name; use "
                              "--event-column or --manifest");
        }
        char *name = name_from_path(paths[i]);
        if (!name) {
            return batch_fail(err, VC_ERR_NOMEM, "out of memory for events");
        }
        bool ok = *name ? batch_events_add(ev, name, NULL, paths[i], err)
                        : batch_fail(err, VC_ERR_USAGE,
                                     "%s: no event name in this file name", paths[i]);
        free(name);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* ---- the manifest: a small RFC 4180 reader --------------------------------- */

typedef struct csv_reader {
    const char *name;
    const char *p, *end;
    size_t line;        /* line of the next byte */
    size_t record_line; /* line where the record read last starts */
    batch_buf fields;   /* the record's fields, each NUL-terminated */
    size_t starts[8];   /* offsets of up to 8 fields in `fields` */
    size_t n_fields;
} csv_reader;

/* Reads one field; returns the byte that ended it (',' '\n' or EOF as -1),
 * or -2 after an error. */
static int csv_field(csv_reader *r, vc_error *err)
{
    size_t start_line = r->line;
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t')) {
        r->p++;
    }
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        for (;;) {
            if (r->p == r->end) {
                batch_fail(err, VC_ERR_DATA,
                           "%s:%zu: quoted field is never closed", r->name, start_line);
                return -2;
            }
            char c = *r->p++;
            if (c == '"') {
                if (r->p < r->end && *r->p == '"') {
                    r->p++;
                    batch_buf_add(&r->fields, "\"", 1);
                    continue;
                }
                break;
            }
            if (c == '\n') {
                r->line++;
            }
            batch_buf_add(&r->fields, &c, 1);
        }
        while (r->p < r->end && (*r->p == ' ' || *r->p == '\t')) {
            r->p++;
        }
        if (r->p < r->end && *r->p == '\r') {
            r->p++;
        }
        if (r->p == r->end) {
            return -1;
        }
        if (*r->p != ',' && *r->p != '\n') {
            batch_fail(err, VC_ERR_DATA,
                       "%s:%zu: unexpected text after a closing quote", r->name,
                       r->line);
            return -2;
        }
        return *r->p++;
    }
    const char *s = r->p;
    while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
        if (*r->p == '"') {
            batch_fail(err, VC_ERR_DATA,
                       "%s:%zu: a quote inside an unquoted field (quote the whole "
                       "field and double the quote)",
                       r->name, r->line);
            return -2;
        }
        r->p++;
    }
    const char *e = r->p;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
        e--;
    }
    batch_buf_add(&r->fields, s, (size_t)(e - s));
    return r->p == r->end ? -1 : *r->p++;
}

/* Reads one record into r->fields; returns 1, 0 at the end, -1 on error. */
static int csv_record(csv_reader *r, vc_error *err)
{
    if (r->p == r->end) {
        return 0;
    }
    r->fields.len = 0;
    r->n_fields = 0;
    r->record_line = r->line;
    for (;;) {
        if (r->n_fields == sizeof r->starts / sizeof r->starts[0]) {
            batch_fail(err, VC_ERR_DATA, "%s:%zu: too many fields", r->name, r->line);
            return -1;
        }
        r->starts[r->n_fields++] = r->fields.len;
        int end = csv_field(r, err);
        if (end == -2) {
            return -1;
        }
        batch_buf_add(&r->fields, "", 1);
        if (r->fields.failed) {
            batch_fail(err, VC_ERR_NOMEM, "%s: out of memory", r->name);
            return -1;
        }
        if (end != ',') {
            if (end == '\n') {
                r->line++;
            }
            return 1;
        }
    }
}

static const char *csv_get(const csv_reader *r, size_t i)
{
    return r->fields.data + r->starts[i];
}

enum { COL_EVENT, COL_INPUT, COL_TITLE, N_COLS };

typedef struct manifest_cols {
    int at[N_COLS]; /* field index of each column; -1: absent */
    size_t n;       /* fields a row may have */
} manifest_cols;

/* A first row naming "event" and "input" is a header; it may put the
 * columns in any order. */
static bool manifest_header(const csv_reader *r, manifest_cols *cols, vc_error *err,
                            bool *is_header)
{
    static const char *const names[N_COLS] = {"event", "input", "title"};
    int found[N_COLS] = {-1, -1, -1};
    for (size_t i = 0; i < r->n_fields; i++) {
        for (int c = 0; c < N_COLS; c++) {
            if (strcasecmp(csv_get(r, i), names[c]) == 0) {
                found[c] = (int)i;
            }
        }
    }
    *is_header = found[COL_EVENT] >= 0 && found[COL_INPUT] >= 0;
    if (!*is_header) {
        return true;
    }
    for (size_t i = 0; i < r->n_fields; i++) {
        bool known = false;
        for (int c = 0; c < N_COLS; c++) {
            known = known || found[c] == (int)i;
        }
        if (!known) {
            return batch_fail(err, VC_ERR_DATA,
                              "%s:1: unknown column '%s' (the columns are event, "
                              "input and title)",
                              r->name, csv_get(r, i));
        }
    }
    memcpy(cols->at, found, sizeof found);
    cols->n = r->n_fields;
    return true;
}

static const char *manifest_get(const csv_reader *r, const manifest_cols *cols, int c)
{
    return cols->at[c] >= 0 && (size_t)cols->at[c] < r->n_fields
               ? csv_get(r, (size_t)cols->at[c])
               : NULL;
}

static bool manifest_row(batch_events *ev, const csv_reader *r,
                         const manifest_cols *cols, const char *dir, vc_error *err)
{
    size_t line = r->record_line;
    const char *event = manifest_get(r, cols, COL_EVENT);
    const char *input = manifest_get(r, cols, COL_INPUT);
    const char *title = manifest_get(r, cols, COL_TITLE);
    if (!event || !input || r->n_fields > cols->n) {
        return batch_fail(err, VC_ERR_DATA,
                          "%s:%zu: expected event,input[,title], got %zu field%s",
                          r->name, line, r->n_fields, r->n_fields == 1 ? "" : "s");
    }
    if (!*event) {
        return batch_fail(err, VC_ERR_DATA, "%s:%zu: the event name is empty", r->name,
                          line);
    }
    if (!*input) {
        return batch_fail(err, VC_ERR_DATA, "%s:%zu: event '%s' has no input file",
                          r->name, line, event);
    }
    if (strcmp(input, "-") == 0) {
        return batch_fail(err, VC_ERR_DATA,
                          "%s:%zu: standard input cannot be a manifest input", r->name,
                          line);
    }
    char *path = input[0] == '/' || !dir || !*dir ? strdup(input)
                                                  : batch_path(dir, input, NULL);
    if (!path) {
        return batch_fail(err, VC_ERR_NOMEM, "%s: out of memory", r->name);
    }
    bool ok = batch_events_add(ev, event, title, path, err);
    free(path);
    return ok;
}

bool batch_manifest_parse(batch_events *ev, const char *name, const char *dir,
                          const char *data, size_t len, vc_error *err)
{
    if (memchr(data, '\0', len)) {
        return batch_fail(err, VC_ERR_DATA, "%s: contains a NUL byte; is it a CSV file?",
                          name);
    }
    csv_reader r = {.name = name, .p = data, .end = data + len, .line = 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        r.p += 3;
    }
    manifest_cols cols = {{COL_EVENT, COL_INPUT, COL_TITLE}, N_COLS};
    bool first = true, ok = true;
    int rc = 0;
    while (ok && (rc = csv_record(&r, err)) == 1) {
        if (r.n_fields == 1 && csv_get(&r, 0)[0] == '\0') {
            continue; /* a blank line */
        }
        if (first) {
            first = false;
            bool is_header = false;
            ok = manifest_header(&r, &cols, err, &is_header);
            if (!ok || is_header) {
                continue;
            }
        }
        ok = manifest_row(ev, &r, &cols, dir, err);
    }
    batch_buf_free(&r.fields);
    if (!ok || rc < 0) {
        return false;
    }
    if (ev->n == 0) {
        return batch_fail(err, VC_ERR_DATA, "%s: no events listed", name);
    }
    return true;
}

bool batch_events_from_manifest(batch_events *ev, const char *path, vc_error *err)
{
    /* A regular file of bounded size: a FIFO or device is refused, not
     * waited on. */
    batch_buf b = {0};
    bool ok = cli_read_small_file(path, MANIFEST_MAX_BYTES, &b.data, &b.len, err);
    if (ok) {
        char *dir = strdup(path);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash) {
            slash[slash == dir ? 1 : 0] = '\0';
        }
        ok = dir ? batch_manifest_parse(ev, path, slash ? dir : "", b.data ? b.data : "",
                                        b.len, err)
                 : batch_fail(err, VC_ERR_NOMEM, "%s: out of memory", path);
        free(dir);
    }
    batch_buf_free(&b);
    return ok;
}

/* ---- slugs ------------------------------------------------------------------- */

/* Latin letters that have no decomposition into a base letter and marks. */
static const char *transliterate(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x00E6: return "ae"; /* æ */
    case 0x00F0: return "d";  /* ð */
    case 0x00F8: return "o";  /* ø */
    case 0x00FE: return "th"; /* þ */
    case 0x0111: return "d";  /* đ */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* ı */
    case 0x0142: return "l";  /* ł */
    case 0x0153: return "oe"; /* œ */
    case 0x0167: return "t";  /* ŧ */
    default: break;
    }
    /* Russian Cyrillic and Greek (case folded): one common, unambiguous
     * romanisation each, so "Форум" reads "forum", not a hash. */
    static const char *const cyrillic[] = {
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"};
    if (cp >= 0x0430 && cp <= 0x044F) {
        return cyrillic[cp - 0x0430];
    }
    if (cp == 0x0451) {
        return "e"; /* ё */
    }
    static const char *const greek[] = {
        "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p",
        "r", "s", "s", "t", "y", "f", "ch", "ps", "o"};
    if (cp >= 0x03B1 && cp <= 0x03C9) {
        return greek[cp - 0x03B1];
    }
    return NULL;
}

/* FNV-1a of the name's bytes, for slugs of scripts with no romanisation
 * here: short, stable across runs and machines. */
static unsigned long name_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h ^ *p) * 16777619u;
    }
    return (unsigned long)h;
}

/* Appends `s` (ASCII) lowercased, with every other byte run as one '-'. */
static void slug_push(batch_buf *b, const char *s, bool *pending_dash)
{
    for (; *s; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum) {
            *pending_dash = true;
            continue;
        }
        if (*pending_dash && b->len > 0) {
            batch_buf_add(b, "-", 1);
        }
        *pending_dash = false;
        batch_buf_add(b, &c, 1);
    }
}

char *batch_slug(const char *name)
{
    /* NFKD with the marks stripped and case folded: "Café" -> "cafe",
     * "ﬁ" -> "fi", "ß" -> "ss".  Bytes that are not UTF-8 separate words. */
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)name, 0, &folded,
        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
            UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    batch_buf b = {0};
    bool dash = false, untold = false;
    if (n < 0) {
        slug_push(&b, name, &dash);
    } else {
        const utf8proc_uint8_t *p = folded, *end = folded + n;
        while (p < end) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t len = utf8proc_iterate(p, end - p, &cp);
            if (len <= 0) {
                break;
            }
            p += len;
            char ascii[2] = {(char)cp, '\0'};
            const char *t = cp < 0x80 ? ascii : transliterate(cp);
            utf8proc_category_t cat = utf8proc_category(cp);
            /* A letter or digit we cannot spell in ASCII: the hash keeps
             * the name's identity in the slug. */
            untold = untold || (!t && ((cat >= UTF8PROC_CATEGORY_LU &&
                                        cat <= UTF8PROC_CATEGORY_LO) ||
                                       cat == UTF8PROC_CATEGORY_ND));
            slug_push(&b, t ? t : " ", &dash);
        }
    }
    free(folded);
    /* Room for "-" and 8 hex digits when the name needs its hash. */
    size_t max = untold ? BATCH_SLUG_MAX - 9 : BATCH_SLUG_MAX;
    if (b.len > max && !b.failed) {
        b.len = max;
        while (b.len > 0 && b.data[b.len - 1] == '-') {
            b.len--;
        }
        b.data[b.len] = '\0';
    }
    if (untold) {
        batch_buf_printf(&b, "%s%08lx", b.len ? "-" : "", name_hash(name));
    } else if (b.len == 0 && !b.failed) {
        batch_buf_puts(&b, "event");
    }
    if (b.failed) {
        batch_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static bool slug_taken(const batch_events *ev, size_t upto, const char *slug)
{
    /* The gallery's own files: index.html and summary.json. */
    if (strcmp(slug, "index") == 0 || strcmp(slug, "summary") == 0) {
        return true;
    }
    for (size_t i = 0; i < upto; i++) {
        if (strcmp(ev->v[i].slug, slug) == 0) {
            return true;
        }
    }
    return false;
}

bool batch_assign_slugs(batch_events *ev, vc_error *err)
{
    for (size_t i = 0; i < ev->n; i++) {
        char *base = batch_slug(ev->v[i].name);
        if (!base) {
            return batch_fail(err, VC_ERR_NOMEM, "out of memory for slugs");
        }
        char *slug = strdup(base);
        for (size_t k = 2; slug && slug_taken(ev, i, slug); k++) {
            free(slug);
            char suffix[32];
            snprintf(suffix, sizeof suffix, "-%zu", k);
            slug = batch_path("", base, suffix);
        }
        free(base);
        if (!slug) {
            return batch_fail(err, VC_ERR_NOMEM, "out of memory for slugs");
        }
        ev->v[i].slug = slug;
    }
    return true;
}

/* ---- output paths ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every path the batch writes: the events' files, then index and summary. */
static char **output_paths(const batch_events *ev, const char *outdir, size_t *n)
{
    size_t count = ev->n * BATCH_N_OUTPUTS + 2;
    char **paths = calloc(count, sizeof *paths);
    if (!paths) {
        return NULL;
    }
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < ev->n && ok; i++) {
        for (int j = 0; j < BATCH_N_OUTPUTS && ok; j++) {
            paths[k] = batch_path(outdir, ev->v[i].slug, batch_output_ext[j]);
            ok = paths[k++] != NULL;
        }
    }
    if (ok) {
        paths[k] = batch_path(outdir, "index", ".html");
        paths[k + 1] = batch_path(outdir, "summary", ".json");
        ok = paths[k] && paths[k + 1];
    }
    if (!ok) {
        for (size_t i = 0; i < count; i++) {
            free(paths[i]);
        }
        free(paths);
        return NULL;
    }
    *n = count;
    return paths;
}

static bool check_outputs(char **paths, size_t n, const char *const *inputs,
                          size_t n_inputs, vc_error *err)
{
    struct stat *in = calloc(n_inputs ? n_inputs : 1, sizeof *in);
    bool *have = calloc(n_inputs ? n_inputs : 1, sizeof *have);
    bool ok = in && have;
    if (!ok) {
        batch_fail(err, VC_ERR_NOMEM, "out of memory checking outputs");
    }
    for (size_t i = 0; ok && i < n_inputs; i++) {
        have[i] = strcmp(inputs[i], "-") != 0 && stat(inputs[i], &in[i]) == 0;
    }
    for (size_t i = 0; ok && i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            continue; /* not there yet, so not an input */
        }
        for (size_t j = 0; ok && j < n_inputs; j++) {
            if (have[j] && in[j].st_dev == st.st_dev && in[j].st_ino == st.st_ino) {
                ok = batch_fail(err, VC_ERR_USAGE,
                                "batch: output %s is the input %s; choose another -o "
                                "folder",
                                paths[i], inputs[j]);
            }
        }
    }
    /* Unique slugs cannot collide; checked anyway, as it costs nothing. */
    qsort(paths, n, sizeof *paths, cmp_str);
    for (size_t i = 1; ok && i < n; i++) {
        if (strcmp(paths[i - 1], paths[i]) == 0) {
            ok = batch_fail(err, VC_ERR_USAGE, "batch: two events would write %s",
                            paths[i]);
        }
    }
    free(in);
    free(have);
    return ok;
}

bool batch_check_paths(const batch_events *ev, const char *outdir,
                       const char *const *inputs, size_t n_inputs, vc_error *err)
{
    struct stat st;
    if (stat(outdir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        return batch_fail(err, VC_ERR_CANTCREAT,
                          "batch: output folder %s exists and is not a folder", outdir);
    }
    size_t n = 0;
    char **paths = output_paths(ev, outdir, &n);
    if (!paths) {
        return batch_fail(err, VC_ERR_NOMEM, "out of memory checking outputs");
    }
    bool ok = check_outputs(paths, n, inputs, n_inputs, err);
    for (size_t i = 0; i < n; i++) {
        free(paths[i]);
    }
    free(paths);
    return ok;
}
