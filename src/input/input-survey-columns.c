/* input-survey-columns.c - what each column of a survey export holds, and
 * which are counted.  The whole sheet is read first (surveys are small next
 * to the text inputs that stream), so a column is judged by all its cells:
 * the header rows and the tool that wrote them, metadata by name or by the
 * look of its values, choices, multi-select cells (Microsoft's "a;b;",
 * Google's "a, b"), and free text.  Non-answers ("n/a", "none", "-") are
 * counted apart and judged nothing by.  Named columns are counted as named;
 * with none named, the one question that can be the answer is. */
#include "input/input.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define TOP_KEPT 5

/* ---- small text helpers ----------------------------------------------------- */

/* The matching key of `s` (case folded, separators dropped), into a fresh
 * string; NULL on no memory. */
static char *key_of(const char *s)
{
    vc_buf k;
    vc_buf_init(&k);
    if (!vc_norm_key(s, strlen(s), &k) || k.failed) {
        vc_buf_finish(&k);
        return NULL;
    }
    char *out = k.data ? k.data : vc_strdup("");
    return out;
}

static bool blank(const char *s)
{
    for (; *s; s++) {
        if (!isspace((unsigned char)*s)) {
            return false;
        }
    }
    return true;
}

/* s[0, len) trimmed of ASCII white space. */
static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1])) {
        (*len)--;
    }
}

static bool key_in(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(key, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- the sheet -------------------------------------------------------------- */

bool vc_sheet_add_row(vc_sheet *sh, char **fields, size_t n)
{
    if (!vc_grow((void **)&sh->rows, &sh->cap_rows, sh->n_rows + 1, sizeof *sh->rows) ||
        !vc_grow((void **)&sh->widths, &sh->cap_widths, sh->n_rows + 1,
                 sizeof *sh->widths)) {
        vc_csv_free_fields(fields, n);
        return false;
    }
    sh->rows[sh->n_rows] = fields;
    sh->widths[sh->n_rows++] = n;
    return true;
}

const char *vc_sheet_cell(const vc_sheet *sh, size_t row, size_t col)
{
    return row < sh->n_rows && col < sh->widths[row] ? sh->rows[row][col] : "";
}

static void column_finish(vc_column *c)
{
    free(c->header);
    free(c->question);
    vc_csv_free_fields(c->options, c->n_options);
    vc_csv_free_fields(c->top, c->n_top);
    free(c->top_count);
}

void vc_sheet_finish(vc_sheet *sh)
{
    for (size_t i = 0; i < sh->n_rows; i++) {
        vc_csv_free_fields(sh->rows[i], sh->widths[i]);
    }
    free(sh->rows);
    free(sh->widths);
    for (size_t i = 0; i < sh->n_cols; i++) {
        column_finish(&sh->cols[i]);
    }
    free(sh->cols);
    free(sh->auto_columns);
    free(sh->auto_free);
    memset(sh, 0, sizeof *sh);
}

/* ---- which tool wrote it ------------------------------------------------------ */

static bool looks_surveymonkey(const vc_sheet *sh)
{
    if (sh->n_rows < 2) {
        return false;
    }
    static const char *const subs[] = {"response", "openendedresponse",
                                       "otherpleasespecify", NULL};
    bool sub_hint = false;
    for (size_t i = 0; i < sh->widths[1] && !sub_hint; i++) {
        char *k = key_of(sh->rows[1][i]);
        sub_hint = k && key_in(k, subs);
        free(k);
    }
    char *first = key_of(vc_sheet_cell(sh, 0, 0));
    bool id_first = first && strcmp(first, "respondentid") == 0 &&
                    blank(vc_sheet_cell(sh, 1, 0));
    free(first);
    return sub_hint || id_first;
}

static vc_survey_layout detect_layout(const vc_sheet *sh, bool monkey,
                                      size_t n_cols)
{
    if (monkey) {
        return VC_LAYOUT_SURVEYMONKEY;
    }
    if (sh->header_rows == 0) {
        return VC_LAYOUT_GENERIC;
    }
    bool id = false, times = false, timestamp = false;
    for (size_t i = 0; i < n_cols; i++) {
        char *k = key_of(vc_sheet_cell(sh, 0, i));
        if (k) {
            id |= strcmp(k, "id") == 0;
            times |= strcmp(k, "starttime") == 0 || strcmp(k, "completiontime") == 0;
            timestamp |= i == 0 && strcmp(k, "timestamp") == 0;
        }
        free(k);
    }
    if (id && times) {
        return VC_LAYOUT_MICROSOFT_FORMS;
    }
    return timestamp ? VC_LAYOUT_GOOGLE_FORMS : VC_LAYOUT_GENERIC;
}

/* ---- metadata -------------------------------------------------------------------- */

/* Headers survey tools write that are never answers. */
static bool metadata_name(const char *key)
{
    static const char *const names[] = {
        "timestamp", "id", "starttime", "completiontime", "email",
        "emailaddress", "name", "respondentid", "collectorid", "startdate",
        "enddate", "ipaddress", "lastmodifiedtime", "firstname", "lastname",
        "customdata", "customdata1", "customdata2", "score", "totalscore",
        "responseid", "submissiondate", "submittedat", "date", "time",
        "language", "userid", "username", "respondentemail", NULL};
    return key_in(key, names);
}

/* The header in ASCII lower case (the phrases looked for are English),
 * cut to fit `low`. */
static void lower_header(const char *header, char *low, size_t size)
{
    size_t n = 0;
    for (; header[n] && n + 1 < size; n++) {
        low[n] = (char)tolower((unsigned char)header[n]);
    }
    low[n] = '\0';
}

/* Whether the lower-cased header holds one of `phrases`. */
static bool has_phrase(const char *low, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++) {
        if (strstr(low, phrases[i])) {
            return true;
        }
    }
    return false;
}

/* Demographic and channel questions: counted only when named. */
static bool demographic_header(const char *header)
{
    static const char *const phrases[] = {
        "postcode", "post code", "zip code", "age group", "age range",
        "gender", "ethnic", "disabilit", "religio", "sexual orientation",
        "where did you fill", "how did you hear", "how did you find out",
        "which area", "which ward", "channel", "where do you live",
        "your age", "how old", "occupation", "employment status",
        "are you responding as", "which best describes you", NULL};
    char low[512];
    lower_header(header, low, sizeof low);
    if (has_phrase(low, phrases)) {
        return true;
    }
    /* "Age" alone, as a word. */
    return strcmp(low, "age") == 0 || strncmp(low, "age ", 4) == 0 ||
           strncmp(low, "age?", 4) == 0;
}

/* Values only a machine writes: times and dates, numbers, emails, IPs. */
static bool machine_value(const char *s)
{
    size_t digits = 0, letters = 0, other = 0, at = 0, spaces = 0;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isdigit(c)) {
            digits++;
        } else if (isalpha(c)) {
            letters++;
        } else if (c == '@') {
            at++;
        } else if (c == ' ') {
            spaces++;
        } else {
            other++;
        }
    }
    if (at == 1 && spaces == 0 && strchr(strchr(s, '@'), '.')) {
        return true; /* an email */
    }
    /* Times, dates, ids and scores: mostly digits; "AM", "GMT", "T" allowed. */
    return digits > 0 && letters <= 4 && digits >= letters + other / 2;
}

/* Questions that ask people to write: free text whatever the cells say. */
static bool free_text_header(const char *header)
{
    static const char *const phrases[] = {
        "missing", "anything else", "any other", "other words", "comment",
        "suggest", "tell us", "please specify", "why", "explain", "describe in",
        "in your own words", "what else", "other (", NULL};
    char low[512];
    lower_header(header, low, sizeof low);
    return has_phrase(low, phrases) || strcmp(low, "other") == 0;
}

static bool event_header(const char *key)
{
    static const char *const names[] = {"event", "eventname", "eventtitle",
                                        "venue", NULL};
    return key_in(key, names);
}

/* ---- values and options ---------------------------------------------------------- */

/* A tally of distinct strings, in order of first appearance. */
typedef struct tally {
    vc_keyset keys;
    double *counts;
    size_t cap;
    bool oom;
} tally;

static void tally_add(tally *t, const char *s, size_t len)
{
    size_t idx;
    bool added;
    if (len == 0 || t->oom) {
        return;
    }
    if (!vc_keyset_insert(&t->keys, s, len, &idx, &added) ||
        !vc_grow((void **)&t->counts, &t->cap, idx + 1, sizeof *t->counts)) {
        t->oom = true;
        return;
    }
    t->counts[idx] = added ? 1 : t->counts[idx] + 1;
}

static double tally_count(const tally *t, const char *s, size_t len)
{
    size_t i = vc_keyset_find(&t->keys, s, len);
    return i == SIZE_MAX ? 0 : t->counts[i];
}

static void tally_finish(tally *t)
{
    vc_keyset_finish(&t->keys);
    free(t->counts);
}

/* Calls fn for each ", "-separated piece of `cell`, trimmed. */
typedef void (*piece_fn)(void *data, const char *p, size_t len, size_t nth);

static size_t split_pieces(const char *cell, piece_fn fn, void *data)
{
    size_t nth = 0;
    const char *p = cell;
    for (;;) {
        const char *q = strstr(p, ", ");
        size_t len = q ? (size_t)(q - p) : strlen(p);
        const char *t = p;
        size_t tl = len;
        trim(&t, &tl);
        if (fn) {
            fn(data, t, tl, nth);
        }
        nth++;
        if (!q) {
            return nth;
        }
        p = q + 2;
    }
}

static void count_piece(void *data, const char *p, size_t len, size_t nth)
{
    VC_UNUSED(nth);
    tally_add(data, p, len);
}

/* Google Forms joins the ticked options of a checkbox question with ", "
 * (and appends an "Other" answer the same way).  A column is split so
 * when most pieces of its multi-piece cells recur in other cells.  An
 * option that itself holds ", " shows as pieces that always come together,
 * the later one not capitalised ("Safe, healthy lives"): such runs are
 * joined back into one option. */
typedef struct pieces_ctx {
    const tally *freq;
    size_t recurring, total;
} pieces_ctx;

static void score_piece(void *data, const char *p, size_t len, size_t nth)
{
    VC_UNUSED(nth);
    pieces_ctx *c = data;
    c->total++;
    c->recurring += tally_count(c->freq, p, len) >= 2;
}

/* For joining: what follows each recurring piece, and what precedes it. */
typedef struct links {
    const tally *freq;
    char **next, **prev;      /* per piece index: the one neighbour, or "" if several */
    size_t n;
    const char *last;         /* the previous piece in the current cell */
    size_t last_len;
    bool oom;
} links;

static void set_link(char **slot, const char *s, size_t len, bool *oom)
{
    if (*slot && (strlen(*slot) != len || memcmp(*slot, s, len) != 0)) {
        (*slot)[0] = '\0'; /* several different neighbours */
        return;
    }
    if (!*slot && !(*slot = vc_strndup(s, len))) {
        *oom = true;
    }
}

static void link_piece(void *data, const char *p, size_t len, size_t nth)
{
    links *l = data;
    size_t i = vc_keyset_find(&l->freq->keys, p, len);
    if (nth == 0) {
        l->last = NULL;
    }
    if (l->last) {
        size_t j = vc_keyset_find(&l->freq->keys, l->last, l->last_len);
        if (j != SIZE_MAX) {
            set_link(&l->next[j], p, len, &l->oom);
        }
        if (i != SIZE_MAX) {
            set_link(&l->prev[i], l->last, l->last_len, &l->oom);
        }
    } else if (i != SIZE_MAX) {
        set_link(&l->prev[i], "\x01", 1, &l->oom); /* starts a cell */
    }
    l->last = p;
    l->last_len = len;
}

static bool starts_lower(const char *s)
{
    utf8proc_int32_t c;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &c) <= 0) {
        return false;
    }
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LL || !(cat >= UTF8PROC_CATEGORY_LU &&
                                            cat <= UTF8PROC_CATEGORY_LO);
}

static int longer_first(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* The options of a ", "-joined column, longest first; none when the column
 * is not one. */
static bool google_options(const vc_sheet *sh, size_t col, vc_column *c,
                           bool google)
{
    tally freq;
    memset(&freq, 0, sizeof freq);
    size_t multi = 0;
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        const char *cell = vc_sheet_cell(sh, r, col);
        multi += split_pieces(cell, NULL, NULL) > 1;
    }
    if (multi < 2) {
        return true;
    }
    /* Frequency: the cells a piece appears in (a cell names an option once). */
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        split_pieces(vc_sheet_cell(sh, r, col), count_piece, &freq);
    }
    pieces_ctx pc = {&freq, 0, 0};
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        const char *cell = vc_sheet_cell(sh, r, col);
        if (split_pieces(cell, NULL, NULL) > 1) {
            split_pieces(cell, score_piece, &pc);
        }
    }
    bool ok = !freq.oom;
    double share = pc.total ? (double)pc.recurring / (double)pc.total : 0;
    if (!ok || share < (google ? 0.5 : 0.8)) {
        tally_finish(&freq);
        return ok;
    }
    links l = {&freq, NULL, NULL, freq.keys.n, NULL, 0, false};
    l.next = calloc(l.n, sizeof *l.next);
    l.prev = calloc(l.n, sizeof *l.prev);
    ok = l.next && l.prev;
    for (size_t r = sh->header_rows; ok && r < sh->n_rows; r++) {
        split_pieces(vc_sheet_cell(sh, r, col), link_piece, &l);
    }
    ok = ok && !l.oom;
    /* Options: recurring pieces; a piece always after the same one, and
     * that one always before it, not capitalised, continues it. */
    for (size_t i = 0; ok && i < l.n; i++) {
        const char *p = freq.keys.keys[i];
        if (freq.counts[i] < 2) {
            continue;
        }
        bool continues = l.prev[i] && l.prev[i][0] && l.prev[i][0] != '\x01' &&
                         starts_lower(p);
        if (continues) {
            size_t j = vc_keyset_find(&freq.keys, l.prev[i], strlen(l.prev[i]));
            continues = j != SIZE_MAX && l.next[j] && strcmp(l.next[j], p) == 0;
        }
        if (continues) {
            continue; /* part of the option before it */
        }
        vc_buf opt;
        vc_buf_init(&opt);
        vc_buf_puts(&opt, p);
        /* Follow the chain of continuations. */
        size_t k = i;
        for (int hops = 0; hops < 8; hops++) {
            const char *nx = l.next[k];
            if (!nx || !nx[0] || !starts_lower(nx)) {
                break;
            }
            size_t j = vc_keyset_find(&freq.keys, nx, strlen(nx));
            if (j == SIZE_MAX || !l.prev[j] || strcmp(l.prev[j], freq.keys.keys[k]) != 0) {
                break;
            }
            vc_buf_printf(&opt, ", %s", nx);
            k = j;
        }
        ok = !opt.failed &&
             vc_grow((void **)&c->options, &c->cap_options, c->n_options + 1,
                     sizeof *c->options);
        if (ok) {
            c->options[c->n_options++] = opt.data;
        } else {
            vc_buf_finish(&opt);
        }
    }
    if (ok && c->n_options) {
        qsort(c->options, c->n_options, sizeof *c->options, longer_first);
        c->sep = ", ";
    }
    for (size_t i = 0; i < l.n && l.next && l.prev; i++) {
        free(l.next[i]);
        free(l.prev[i]);
    }
    free(l.next);
    free(l.prev);
    tally_finish(&freq);
    return ok;
}

bool vc_column_split(const vc_column *c, const char *cell, vc_split_fn fn,
                     void *data, vc_error *err)
{
    const char *p = cell;
    while (*p) {
        size_t hit = 0;
        for (size_t i = 0; i < c->n_options && !hit; i++) {
            size_t n = strlen(c->options[i]);
            if (strncmp(p, c->options[i], n) == 0 &&
                (p[n] == '\0' || strncmp(p + n, ", ", 2) == 0)) {
                hit = n;
            }
        }
        if (!hit) {
            /* Google appends "Other" answers after the ticked options. */
            return fn(data, p, strlen(p), true, err);
        }
        if (!fn(data, p, hit, false, err)) {
            return false;
        }
        p += hit;
        p += strncmp(p, ", ", 2) == 0 ? 2 : 0;
    }
    return true;
}

/* ---- per-column detection --------------------------------------------------------- */

/* A column's judgements are kept for this many distinct values: a choice
 * column repeats a few values in every row, and judging one normalises it
 * (judging the same cells again took a ninth of counting a 200,000-row
 * export, 799 -> 713 ms, and a fifth of a 2,000-row one, 8.1 -> 6.6 ms);
 * a column of unique values (IDs, times) stops adding at this many. */
#define JUDGED_MAX 4096

/* Tells non-answers as counting will (the sink says); no sink: nothing
 * is one.  A sink out of memory is remembered and reported once. */
typedef struct judge {
    vc_sink *sink;
    bool oom;
    vc_keyset judged;       /* cells judged, by their exact bytes */
    bool is[JUDGED_MAX];    /* by index in `judged` */
} judge;

static void judge_init(judge *j, vc_sink *sink)
{
    j->sink = sink;
    j->oom = false;
    vc_keyset_init(&j->judged);
}

static void judge_finish(judge *j)
{
    vc_keyset_finish(&j->judged);
}

static bool nonanswer(judge *j, const char *s, size_t len)
{
    if (!j->sink) {
        return false;
    }
    size_t k = vc_keyset_find(&j->judged, s, len);
    if (k != SIZE_MAX) {
        return j->is[k];
    }
    bool is = false;
    if (!j->sink->ops->is_nonanswer(j->sink, s, len, &is)) {
        j->oom = true;
        return false;
    }
    bool added;
    if (j->judged.n < JUDGED_MAX) {
        if (!vc_keyset_insert(&j->judged, s, len, &k, &added)) {
            j->oom = true;
            return false;
        }
        j->is[k] = is;
    }
    return is;
}

/* A non-blank cell that holds an answer, not only a non-answer. */
static bool answered(judge *j, const char *cell)
{
    return !blank(cell) && !nonanswer(j, cell, strlen(cell));
}

typedef struct values {
    tally t;
    judge *j;
    size_t nonanswers;
} values;

static bool tally_split(void *data, const char *s, size_t len, bool other,
                        vc_error *err)
{
    VC_UNUSED(err);
    VC_UNUSED(other);
    values *v = data;
    trim(&s, &len);
    if (len && nonanswer(v->j, s, len)) {
        v->nonanswers++;
    } else {
        tally_add(&v->t, s, len);
    }
    return true;
}

/* Tallies what column `col` holds: options of multi-select cells, whole
 * cells otherwise; keeps the distinct count and the most frequent few,
 * non-answers left out and counted. */
static bool column_values(const vc_sheet *sh, size_t col, vc_column *c, judge *j,
                          size_t *answers_out)
{
    values v;
    memset(&v, 0, sizeof v);
    v.j = j;
    size_t letters = 0, answers = 0;
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        const char *cell = vc_sheet_cell(sh, r, col);
        if (blank(cell)) {
            continue;
        }
        c->filled++;
        size_t before = v.nonanswers;
        if (c->sep) {
            vc_column_split(c, cell, tally_split, &v, NULL);
        } else if (c->role == VC_COLUMN_ROLE_MULTI_SELECT) {
            for (const char *p = cell;;) {
                const char *q = strchr(p, ';');
                tally_split(&v, p, q ? (size_t)(q - p) : strlen(p), false, NULL);
                if (!q) {
                    break;
                }
                p = q + 1;
            }
        } else {
            tally_split(&v, cell, strlen(cell), false, NULL);
        }
        /* The mean length judges answers: a cell that was only a
         * non-answer does not count. */
        if (c->role == VC_COLUMN_ROLE_MULTI_SELECT || c->sep || v.nonanswers == before) {
            letters += strlen(cell);
            answers++;
        }
    }
    tally t = v.t;
    *answers_out = answers;
    c->nonanswers = v.nonanswers;
    c->mean_len = answers ? (double)letters / (double)answers : 0;
    c->distinct = t.keys.n;
    /* The most frequent few, ties in order of first appearance. */
    bool ok = !t.oom && !j->oom;
    size_t want = t.keys.n < TOP_KEPT ? t.keys.n : TOP_KEPT;
    c->top = ok && want ? calloc(want, sizeof *c->top) : NULL;
    c->top_count = ok && want ? calloc(want, sizeof *c->top_count) : NULL;
    ok = ok && (want == 0 || (c->top && c->top_count));
    for (size_t k = 0; ok && k < want; k++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < t.keys.n; i++) {
            if (t.counts[i] > 0 && (best == SIZE_MAX || t.counts[i] > t.counts[best])) {
                best = i;
            }
        }
        c->top[k] = vc_strndup(t.keys.keys[best], t.keys.lens[best]);
        c->top_count[k] = t.counts[best];
        t.counts[best] = -1;
        ok = c->top[k] != NULL;
        c->n_top = k + 1;
    }
    tally_finish(&t);
    return ok;
}

static size_t share_with(const vc_sheet *sh, size_t col, char ch)
{
    size_t n = 0;
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        n += strchr(vc_sheet_cell(sh, r, col), ch) != NULL;
    }
    return n;
}

static bool machine_column(const vc_sheet *sh, size_t col, judge *j)
{
    size_t filled = 0, machine = 0;
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        const char *cell = vc_sheet_cell(sh, r, col);
        if (answered(j, cell)) {
            filled++;
            machine += machine_value(cell);
        }
    }
    return filled > 0 && machine * 10 >= filled * 9;
}

static bool judge_column(vc_sheet *sh, size_t col, const vc_count_options *o, judge *j)
{
    vc_column *c = &sh->cols[col];
    char *key = key_of(c->question), *sub = key_of(c->sub ? c->sub : "");
    if (!key || !sub) {
        free(key);
        free(sub);
        return false;
    }
    static const char *const other_subs[] = {"openendedresponse",
                                             "otherpleasespecify", NULL};
    bool named_event = col == sh->event_col;
    if (named_event || (!o->event_column && event_header(key))) {
        c->role = VC_COLUMN_ROLE_EVENT;
    } else if (sh->header_rows && (metadata_name(key) || demographic_header(c->question))) {
        c->role = VC_COLUMN_ROLE_METADATA;
    } else if (key_in(sub, other_subs) || strstr(sub, "pleasespecify") ||
               (!c->sub && free_text_header(c->question))) {
        c->role = VC_COLUMN_ROLE_FREE_TEXT;
    } else if (machine_column(sh, col, j)) {
        c->role = VC_COLUMN_ROLE_METADATA;
    } else {
        c->role = VC_COLUMN_ROLE_CHOICE;
    }
    free(key);
    free(sub);
    if (c->role == VC_COLUMN_ROLE_CHOICE) {
        size_t filled = 0;
        for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
            filled += answered(j, vc_sheet_cell(sh, r, col));
        }
        if (filled && share_with(sh, col, ';') * 10 >= filled) {
            c->role = VC_COLUMN_ROLE_MULTI_SELECT;
        } else if (!google_options(sh, col, c, sh->layout == VC_LAYOUT_GOOGLE_FORMS)) {
            return false;
        } else if (c->sep) {
            c->role = VC_COLUMN_ROLE_MULTI_SELECT;
        }
    }
    size_t answers = 0;
    if (!column_values(sh, col, c, j, &answers)) {
        return false;
    }
    /* Mostly different, longish answers are free text, not a choice. */
    if (c->role == VC_COLUMN_ROLE_CHOICE && answers >= 4 &&
        ((c->distinct * 10 > answers * 7 && c->mean_len > 12) || c->mean_len > 40)) {
        c->role = VC_COLUMN_ROLE_FREE_TEXT;
    }
    return true;
}

/* The role of column `col` and its values.  Non-answers are left out of
 * every judgement: a free-text column mostly "n/a" is still free text. */
static bool detect_column(vc_sheet *sh, size_t col, const vc_count_options *o,
                          vc_sink *sink)
{
    judge j;
    judge_init(&j, sink);
    bool ok = judge_column(sh, col, o, &j) && !j.oom;
    judge_finish(&j);
    return ok;
}

/* "Word 3 (optional)" -> key of "Word": columns of one question share it. */
static char *stem_key(const char *header)
{
    size_t n = strlen(header);
    char *copy = vc_strndup(header, n);
    if (!copy) {
        return NULL;
    }
    for (;;) {
        while (n && (isspace((unsigned char)copy[n - 1]) ||
                     isdigit((unsigned char)copy[n - 1]) ||
                     strchr("#.:-?", copy[n - 1]))) {
            n--;
        }
        if (n && copy[n - 1] == ')') {
            char *open = memchr(copy, '(', n);
            char *last = open;
            while (open) {
                last = open;
                open = memchr(open + 1, '(', n - (size_t)(open + 1 - copy));
            }
            if (last && last > copy) {
                n = (size_t)(last - copy);
                continue;
            }
        }
        break;
    }
    copy[n] = '\0';
    char *k = key_of(copy);
    free(copy);
    return k;
}

/* ---- what to count with no columns named ---------------------------------------- */

static bool answer_role(vc_column_role r)
{
    return r == VC_COLUMN_ROLE_CHOICE || r == VC_COLUMN_ROLE_MULTI_SELECT;
}

/* "3" or "#3": text --columns reads as a column number. */
static bool number_text(const char *s)
{
    s += *s == '#';
    return *s && s[strspn(s, "0123456789")] == '\0';
}

/* Adds column `col` (0-based) to a column list as --columns reads it: by
 * its header, or by number ("#3") when it has none (no header rows) or
 * one that reads as a number ("2", "#2"). */
static bool append_header(char **list, const char *header, size_t col)
{
    vc_buf b;
    vc_buf_init(&b);
    if (*list) {
        vc_buf_printf(&b, "%s,", *list);
    }
    if (!*header || number_text(header)) {
        vc_buf_printf(&b, "#%zu", col + 1);
    } else if (strpbrk(header, ",\"\n\r")) {
        vc_buf_puts(&b, "\"");
        for (const char *p = header; *p; p++) {
            vc_buf_append(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
        }
        vc_buf_puts(&b, "\"");
    } else {
        vc_buf_puts(&b, header);
    }
    if (b.failed) {
        vc_buf_finish(&b);
        return false;
    }
    free(*list);
    *list = b.data;
    return true;
}

/* What makes columns one question: the question's stem (SurveyMonkey: the
 * question).  A column with no header is a question of its own: columns
 * with nothing in common must not be counted together. */
static char *question_key(const vc_sheet *sh, size_t col)
{
    const char *q = sh->cols[col].question;
    if (blank(q)) {
        char own[32];
        snprintf(own, sizeof own, "\x01column %zu", col + 1);
        return vc_strdup(own);
    }
    return sh->layout == VC_LAYOUT_SURVEYMONKEY ? key_of(q) : stem_key(q);
}

/* The question whose answers make the cloud: when exactly one question
 * (choice columns sharing a stem, or one SurveyMonkey question) can be it,
 * its columns, and short free-text answers beside it. */
static bool suggest(vc_sheet *sh)
{
    char *group = NULL;
    bool several = false;
    for (size_t i = 0; i < sh->n_cols; i++) {
        vc_column *c = &sh->cols[i];
        if (!answer_role(c->role) || c->filled == 0) {
            continue;
        }
        char *k = question_key(sh, i);
        if (!k) {
            free(group);
            return false;
        }
        if (!group) {
            group = k;
        } else {
            several |= strcmp(group, k) != 0;
            free(k);
        }
    }
    size_t free_cols = 0;
    for (size_t i = 0; i < sh->n_cols; i++) {
        free_cols += sh->cols[i].role == VC_COLUMN_ROLE_FREE_TEXT && sh->cols[i].filled;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < sh->n_cols && !several; i++) {
        vc_column *c = &sh->cols[i];
        if (!c->filled) {
            continue;
        }
        char *k = group ? question_key(sh, i) : NULL;
        bool in_group = k && strcmp(k, group) == 0;
        free(k);
        if (in_group && (answer_role(c->role) || sh->layout == VC_LAYOUT_SURVEYMONKEY)) {
            c->suggested = VC_COUNT_CHOICE; /* with its "Other" column */
        } else if (c->role == VC_COLUMN_ROLE_FREE_TEXT &&
                   ((group && c->mean_len <= 40) || (!group && free_cols == 1))) {
            c->suggested = VC_COUNT_FREE;
        }
    }
    free(group);
    return ok;
}

/* ---- analysis ------------------------------------------------------------------------ */

static bool header_names(vc_sheet *sh)
{
    const char *prev = "";
    for (size_t i = 0; i < sh->n_cols; i++) {
        vc_column *c = &sh->cols[i];
        const char *q = sh->header_rows ? vc_sheet_cell(sh, 0, i) : "";
        /* SurveyMonkey writes a question once over all its option columns. */
        if (sh->header_rows > 1 && blank(q)) {
            q = prev;
        }
        prev = q;
        c->sub = sh->header_rows > 1 ? vc_sheet_cell(sh, sh->header_rows - 1, i) : NULL;
        c->question = vc_strdup(q);
        vc_buf h;
        vc_buf_init(&h);
        if (c->sub && !blank(c->sub) && strcmp(c->sub, q) != 0) {
            vc_buf_printf(&h, "%s / %s", q, c->sub);
        } else if (blank(q)) {
            vc_buf_printf(&h, "column %zu", i + 1);
        } else {
            vc_buf_puts(&h, q);
        }
        if (h.failed || !h.data) {
            vc_buf_finish(&h);
            return false;
        }
        c->header = h.data;
        if (!c->question) {
            return false;
        }
    }
    return true;
}

static bool find_named_event(vc_sheet *sh, const vc_count_options *o,
                             const char *input, vc_error *err);

bool vc_sheet_analyse(vc_sheet *sh, const vc_count_options *o,
                      vc_sink *sink, const char *input, vc_error *err)
{
    size_t n_cols = 0;
    for (size_t r = 0; r < sh->n_rows; r++) {
        n_cols = sh->widths[r] > n_cols ? sh->widths[r] : n_cols;
    }
    bool monkey = false;
    if (o->header_rows >= 0) {
        sh->header_rows = (size_t)o->header_rows;
        monkey = sh->header_rows == 2 && looks_surveymonkey(sh);
    } else {
        monkey = looks_surveymonkey(sh);
        sh->header_rows = monkey ? 2 : 1;
    }
    if (sh->header_rows > sh->n_rows) {
        sh->header_rows = sh->n_rows;
    }
    sh->layout = detect_layout(sh, monkey, n_cols);
    sh->event_col = SIZE_MAX;
    sh->cols = calloc(n_cols ? n_cols : 1, sizeof *sh->cols);
    sh->n_cols = sh->cols ? n_cols : 0;
    if (!sh->cols || !header_names(sh)) {
        return vc_fail_nomem(err, input);
    }
    if (!find_named_event(sh, o, input, err)) {
        return false;
    }
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        bool any = false;
        for (size_t i = 0; i < sh->widths[r] && !any; i++) {
            any = !blank(sh->rows[r][i]);
        }
        sh->respondents += any;
    }
    for (size_t i = 0; i < sh->n_cols; i++) {
        if (!detect_column(sh, i, o, sink)) {
            return vc_fail_nomem(err, input);
        }
    }
    return suggest(sh) || vc_fail_nomem(err, input);
}

/* ---- named columns ---------------------------------------------------------------- */

/* Header text matches a requested name after trimming and collapsing
 * white space, ignoring case and separators. */
static bool same_name(const char *header, const char *want, bool *oom)
{
    char *a = key_of(header), *b = key_of(want);
    bool same = a && b && a[0] && strcmp(a, b) == 0;
    *oom |= !a || !b;
    free(a);
    free(b);
    return same;
}

static bool missing_column(const vc_sheet *sh, vc_option_id what,
                           const char *want, const char *input, vc_error *err)
{
    vc_buf list;
    vc_buf_init(&list);
    for (size_t i = 0; i < sh->n_cols; i++) {
        vc_buf_printf(&list, "%s'%s'", i ? ", " : "", sh->cols[i].header);
    }
    if (sh->header_rows == 0 || sh->n_cols == 0) {
        vc_buf_puts(&list, "none (no header row)");
    }
    vc_fail_option(err, VC_ERR_DATA, what, "%s:1: no column '%s'; the columns are: %s", input,
                   want, list.data ? list.data : "");
    vc_buf_finish(&list);
    return false;
}

/* Columns named `want`: a question (every column under it), an option or
 * sub-header, or a 1-based number.  Calls back for each. */
typedef void (*mark_fn)(vc_sheet *sh, size_t col, void *data);

/* The column number `s` names ("3", or "#3"), or 0 when it is not one
 * (not all digits, or out of range). */
static size_t column_number(const vc_sheet *sh, const char *s)
{
    if (!number_text(s)) {
        return 0;
    }
    unsigned long v = strtoul(s + (*s == '#'), NULL, 10); /* too large: ULONG_MAX */
    return v >= 1 && v <= sh->n_cols ? (size_t)v : 0;
}

/* A header that is a number ("2") and also the number of another column
 * would be read as the header: true (with the error set) when `want` is
 * both, so the caller says so rather than count a column not meant. */
static bool ambiguous_number(const vc_sheet *sh, const char *want, size_t number,
                             vc_option_id what, const char *input, vc_error *err)
{
    bool oom = false;
    for (size_t i = 0; i < sh->n_cols && sh->header_rows; i++) {
        const vc_column *c = &sh->cols[i];
        bool named = same_name(c->question, want, &oom) ||
                     (sh->header_rows > 1 && c->sub && same_name(c->sub, want, &oom));
        if (named && i + 1 != number) {
            vc_fail_option(err, VC_ERR_USAGE, what,
                           "%s: '%s' is both the header of column %zu and the number of column "
                           "%zu; write #%zu or #%zu to say which", input, want, i + 1, number,
                           i + 1, number);
            return true;
        }
    }
    if (oom) {
        vc_fail_nomem(err, input);
    }
    return oom;
}

static bool mark(vc_sheet *sh, const char *want, vc_option_id what,
                 const char *input, mark_fn fn, void *data, vc_error *err)
{
    /* "#3" is always column 3, whatever the headers say (the web app names
     * the columns ticked so). */
    size_t number = column_number(sh, want);
    if (want[0] == '#' && number) {
        fn(sh, number - 1, data);
        return true;
    }
    if (number && ambiguous_number(sh, want, number, what, input, err)) {
        return false;
    }
    bool oom = false;
    size_t hits = 0;
    for (size_t i = 0; i < sh->n_cols && sh->header_rows; i++) {
        if (same_name(sh->cols[i].question, want, &oom)) {
            fn(sh, i, data);
            hits++;
        }
    }
    for (size_t i = 0; i < sh->n_cols && !hits && sh->header_rows > 1; i++) {
        if (sh->cols[i].sub && same_name(sh->cols[i].sub, want, &oom)) {
            fn(sh, i, data);
            hits++;
        }
    }
    if (oom) {
        return vc_fail_nomem(err, input);
    }
    if (hits) {
        return true;
    }
    if (number) {
        fn(sh, number - 1, data);
        return true;
    }
    return missing_column(sh, what, want, input, err);
}

static void mark_event(vc_sheet *sh, size_t col, void *data)
{
    VC_UNUSED(data);
    if (sh->event_col == SIZE_MAX) {
        sh->event_col = col;
    }
}

static bool find_named_event(vc_sheet *sh, const vc_count_options *o,
                             const char *input, vc_error *err)
{
    return !o->event_column ||
           mark(sh, o->event_column, VC_OPTION_EVENT_COLUMN, input, mark_event, NULL, err);
}

static void mark_count(vc_sheet *sh, size_t col, void *data)
{
    int as = *(const int *)data;
    vc_column *c = &sh->cols[col];
    /* Naming a SurveyMonkey question selects its "Other (please specify)"
     * column too, which holds free text. */
    if (as == VC_COUNT_CHOICE && sh->layout == VC_LAYOUT_SURVEYMONKEY &&
        c->role == VC_COLUMN_ROLE_FREE_TEXT) {
        as = VC_COUNT_FREE;
    }
    c->count_as = (unsigned char)as;
}

static bool mark_list(vc_sheet *sh, const char *list, vc_option_id what,
                      int as, const char *input, vc_error *err)
{
    char **names;
    size_t n;
    int rc = vc_csv_split_line(list, strlen(list), &names, &n);
    if (rc != 0) {
        return rc < 0 ? vc_fail_nomem(err, input)
                      : vc_fail_option(err, VC_ERR_USAGE, what, "a quote is not closed "
                                       "in the column list '%s'", list);
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        ok = names[i][0] == '\0' ||
             mark(sh, names[i], what, input, mark_count, &as, err);
    }
    vc_csv_free_fields(names, n);
    return ok;
}

bool vc_sheet_pick(vc_sheet *sh, const vc_count_options *o, const char *input,
                   vc_error *err)
{
    if (o->free_text_columns &&
        !mark_list(sh, o->free_text_columns, VC_OPTION_FREE_TEXT_COLUMNS, VC_COUNT_FREE, input, err)) {
        return false;
    }
    if (o->columns) {
        if (!mark_list(sh, o->columns, VC_OPTION_COLUMNS, VC_COUNT_CHOICE, input, err)) {
            return false;
        }
    } else {
        size_t picked = 0;
        const char *last_q = NULL;
        for (size_t i = 0; i < sh->n_cols; i++) {
            vc_column *c = &sh->cols[i];
            int as = c->suggested;
            /* Named free text comes beside the suggested question. */
            if (o->free_text_columns && as == VC_COUNT_FREE) {
                continue;
            }
            if (as != VC_COUNT_NONE) {
                mark_count(sh, i, &as);
            }
            picked += c->suggested != VC_COUNT_NONE;
            /* One name for a question that spans several columns. */
            bool again = last_q && strcmp(last_q, c->question) == 0 &&
                         sh->layout == VC_LAYOUT_SURVEYMONKEY;
            if (c->suggested == VC_COUNT_CHOICE) {
                last_q = c->question;
            }
            if ((c->suggested == VC_COUNT_CHOICE && !again &&
                 !append_header(&sh->auto_columns, c->question, i)) ||
                (c->suggested == VC_COUNT_FREE &&
                 !append_header(&sh->auto_free, c->question, i))) {
                return vc_fail_nomem(err, input);
            }
        }
        if (picked == 0 && !o->free_text_columns) {
            return vc_fail(err, VC_ERR_USAGE, "%s: cannot tell which question "
                           "to count; name its columns", input);
        }
    }
    if (sh->event_col != SIZE_MAX) {
        sh->cols[sh->event_col].count_as = VC_COUNT_NONE;
    }
    return true;
}
