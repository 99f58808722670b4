/* input-survey.c - reader for survey exports (Google Forms, Microsoft
 * Forms, SurveyMonkey): header rows, choice and free-text columns,
 * multi-select cells, one vote per respondent per word, events.
 *
 * Why libcsv: RFC 4180 has traps (quoted newlines, doubled quotes, CRLF,
 * a last line without a newline) that a small, long-maintained parser gets
 * right; it is incremental, so lines are fed as they are read and memory
 * holds one record.  A small quote tracker runs alongside it only to name
 * the line where an unclosed quote starts and to bound field sizes. */
#include "input/input.h"

#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <utf8proc.h>

/* What the quote tracker is in, mirroring libcsv's states. */
enum { Q_ROW, Q_FIELD, Q_UNQUOTED, Q_QUOTED, Q_QUOTE_IN_QUOTED };

typedef struct survey {
    vc_sink *in;
    vc_lines *r;
    const vc_count_options *o;
    vc_error *err;
    bool failed;
    char **fields; /* the current record */
    size_t n_fields, cap_fields;
    vc_sheet sheet;
    char delim;       /* ',' or '\t' */
    int q;
    size_t quote_line, field_len;
} survey;

/* ---- CSV lines (for --columns and CSV counts) ----------------------------- */

typedef struct split_state {
    char **fields;
    size_t n, cap;
    bool failed;
} split_state;

static void split_field(void *s, size_t len, void *data)
{
    split_state *st = data;
    char *copy = vc_strndup(s ? s : "", s ? len : 0);
    if (!copy || !vc_grow((void **)&st->fields, &st->cap, st->n + 1,
                          sizeof *st->fields)) {
        free(copy);
        st->failed = true;
        return;
    }
    st->fields[st->n++] = copy;
}

void vc_csv_free_fields(char **fields, size_t n)
{
    if (!fields) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        free(fields[i]);
    }
    free(fields);
}

int vc_csv_split_line(const char *s, size_t len, char ***fields, size_t *n)
{
    struct csv_parser p;
    split_state st = {NULL, 0, 0, false};
    *fields = NULL;
    *n = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        return -1;
    }
    int rc = 0;
    if (csv_parse(&p, s, len, split_field, NULL, &st) != len ||
        csv_fini(&p, split_field, NULL, &st) != 0) {
        rc = csv_error(&p) == CSV_ENOMEM ? -1 : 1;
    }
    csv_free(&p);
    if (st.failed) {
        rc = -1;
    }
    if (rc == 0 && st.n == 0 && len == 0) {
        rc = 0;
    }
    if (rc != 0) {
        vc_csv_free_fields(st.fields, st.n);
        return rc;
    }
    *fields = st.fields;
    *n = st.n;
    return 0;
}

/* ---- records ---------------------------------------------------------------- */

static bool choice_cell(survey *s, const char *cell)
{
    const char *sep = s->o->multi_sep ? s->o->multi_sep : ";";
    size_t sl = strlen(sep);
    const char *p = cell;
    for (;;) {
        const char *q = strstr(p, sep);
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (!vc_sink_answer(s->in, VC_GROUP_CHOSEN, p, len, s->err)) {
            return false;
        }
        if (!q) {
            return true;
        }
        p = q + sl;
    }
}

static bool phrase_break(int32_t c)
{
    return c == ',' || c == ';' || c == '\n' || c == '\r' || c == 0x060C ||
           c == 0x061B || c == 0x2028 || c == 0x2029;
}

static bool trimmable(int32_t c)
{
    if (vc_norm_is_space(c)) {
        return true;
    }
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
           cat == UTF8PROC_CATEGORY_CC;
}

/* One phrase, trimmed of surrounding punctuation and space. */
static bool phrase(survey *s, const char *p, size_t len)
{
    size_t a = 0, b = len;
    while (a < b) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p + a,
                                              (utf8proc_ssize_t)(b - a), &c);
        if (k <= 0 || !trimmable(c)) {
            break;
        }
        a += (size_t)k;
    }
    while (b > a) {
        size_t k = 1;
        while (k < b - a && ((unsigned char)p[b - k] & 0xC0) == 0x80) {
            k++;
        }
        utf8proc_int32_t c;
        if (utf8proc_iterate((const utf8proc_uint8_t *)p + b - k,
                             (utf8proc_ssize_t)k, &c) <= 0 || !trimmable(c)) {
            break;
        }
        b -= k;
    }
    return vc_sink_answer(s->in, VC_GROUP_SUGGESTED, p + a, b - a, s->err);
}

static bool free_cell(survey *s, const char *cell)
{
    size_t len = strlen(cell), start = 0, i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)cell + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) {
            k = 1;
            c = 0;
        }
        if (phrase_break(c)) {
            if (!phrase(s, cell + start, i - start)) {
                return false;
            }
            start = i + (size_t)k;
        }
        i += (size_t)k;
    }
    return phrase(s, cell + start, len - start);
}

static bool blank_row(char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (const char *p = fields[i]; *p; p++) {
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
                return false;
            }
        }
    }
    return true;
}

static bool google_piece(void *data, const char *p, size_t len, bool other,
                         vc_error *err)
{
    survey *s = data;
    if (other) {
        char *copy = vc_strndup(p, len);
        bool ok = copy ? free_cell(s, copy) : vc_fail_nomem(err, s->r->name);
        free(copy);
        return ok;
    }
    return vc_sink_answer(s->in, VC_GROUP_CHOSEN, p, len, err);
}

static bool count_cell(survey *s, const vc_column *c, const char *cell)
{
    if (c->count_as == VC_COUNT_FREE) {
        return free_cell(s, cell);
    }
    if (c->sep && !s->o->multi_sep) {
        return vc_column_split(c, cell, google_piece, s, s->err);
    }
    return choice_cell(s, cell);
}

static bool response(survey *s, char *const *fields, size_t n)
{
    const vc_sheet *sh = &s->sheet;
    if (blank_row(fields, n)) {
        return true; /* an empty row: not a respondent */
    }
    if (sh->event_col != SIZE_MAX) {
        const char *ev = sh->event_col < n ? fields[sh->event_col] : "";
        if (!vc_sink_event(s->in, ev, strlen(ev), s->err)) {
            return false;
        }
    }
    s->in->ops->respondent_begin(s->in);
    for (size_t i = 0; i < n && i < sh->n_cols; i++) {
        if (sh->cols[i].count_as != VC_COUNT_NONE &&
            !count_cell(s, &sh->cols[i], fields[i])) {
            return false;
        }
    }
    s->in->ops->respondent_end(s->in);
    return true;
}

/* The whole sheet is in: judge its columns, then count (or hand the sheet
 * to an inspection). */
static bool count_sheet(survey *s)
{
    vc_sheet *sh = &s->sheet;
    const char *name = s->r->name;
    if (!vc_sheet_analyse(sh, s->o, s->in, name, s->err)) {
        return false;
    }
    if (s->in->ops->take_sheet(s->in, sh)) {
        return true;
    }
    if (sh->respondents == 0) {
        return vc_fail(s->err, VC_ERR_DATA, sh->n_rows <= sh->header_rows
                       ? "%s: only a header, no responses"
                       : "%s: every response row is empty", name);
    }
    if (!vc_sheet_pick(sh, s->o, name, s->err)) {
        return false;
    }
    s->in->ops->picked(s->in, sh);
    for (size_t r = sh->header_rows; r < sh->n_rows; r++) {
        if (!response(s, sh->rows[r], sh->widths[r])) {
            return false;
        }
    }
    return true;
}

static void on_field(void *data, size_t len, void *ctx)
{
    survey *s = ctx;
    if (s->failed) {
        return;
    }
    char *copy = vc_strndup(data ? data : "", data ? len : 0);
    if (!copy || !vc_grow((void **)&s->fields, &s->cap_fields, s->n_fields + 1,
                          sizeof *s->fields)) {
        free(copy);
        s->failed = true;
        vc_fail_nomem(s->err, s->r->name);
        return;
    }
    s->fields[s->n_fields++] = copy;
}

static void clear_fields(survey *s)
{
    for (size_t i = 0; i < s->n_fields; i++) {
        free(s->fields[i]);
    }
    s->n_fields = 0;
}

static void on_record(int c, void *ctx)
{
    VC_UNUSED(c);
    survey *s = ctx;
    if (s->failed) {
        clear_fields(s);
        return;
    }
    if (!vc_sheet_add_row(&s->sheet, s->fields, s->n_fields)) {
        s->failed = true;
        vc_fail_nomem(s->err, s->r->name);
    }
    s->fields = NULL;
    s->n_fields = s->cap_fields = 0;
}

/* Follows quoting to name the line an unclosed quote starts on, and to
 * stop a runaway field before libcsv buffers all of it. */
static bool track(survey *s, const char *p, size_t len)
{
    size_t max = s->o->max_field_bytes;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        bool term = c == '\n' || c == '\r';
        switch (s->q) {
        case Q_ROW:
        case Q_FIELD:
            if (c == '"') {
                s->q = Q_QUOTED;
                s->quote_line = s->r->line;
                s->field_len = 0;
            } else if (term) {
                s->q = Q_ROW;
            } else if (c == s->delim) {
                s->q = Q_FIELD;
            } else if (c != ' ' && c != '\t') {
                s->q = Q_UNQUOTED;
                s->field_len = 1;
            }
            break;
        case Q_UNQUOTED:
            s->q = c == s->delim ? Q_FIELD : term ? Q_ROW : Q_UNQUOTED;
            s->field_len++;
            break;
        case Q_QUOTED:
            s->q = c == '"' ? Q_QUOTE_IN_QUOTED : Q_QUOTED;
            s->field_len++;
            break;
        default: /* Q_QUOTE_IN_QUOTED */
            s->q = c == '"' ? Q_QUOTED : c == s->delim ? Q_FIELD : term ? Q_ROW
                   : c == ' ' || c == '\t' ? Q_QUOTE_IN_QUOTED : Q_QUOTED;
            break;
        }
        if (s->field_len > max) {
            return vc_fail_option(s->err, VC_ERR_DATA, VC_OPTION_MAX_FIELD_BYTES,
                                  "%s:%zu: field longer than %zu bytes",
                           s->r->name, s->r->line, max);
        }
    }
    return true;
}

static bool feed(survey *s, struct csv_parser *p, const char *data, size_t len)
{
    if (!track(s, data, len)) {
        return false;
    }
    if (csv_parse(p, data, len, on_field, on_record, s) != len) {
        if (!s->failed) {
            int e = csv_error(p);
            if (e == CSV_ENOMEM) {
                return vc_fail_nomem(s->err, s->r->name);
            }
            return vc_fail(s->err, VC_ERR_DATA, "%s:%zu: a quote inside a "
                           "quoted field must be doubled (\"\"): %s",
                           s->r->name, s->r->line, csv_strerror(e));
        }
        return false;
    }
    return !s->failed;
}

static void survey_finish(survey *s)
{
    clear_fields(s);
    free(s->fields);
    vc_sheet_finish(&s->sheet);
}

static bool read_all(survey *s, struct csv_parser *p)
{
    const char *line;
    size_t len;
    bool nl;
    while (vc_lines_next(s->r, &line, &len, &nl, s->err)) {
        if (!line) {
            if (s->q == Q_QUOTED) {
                return vc_fail(s->err, VC_ERR_DATA, "%s:%zu: a quoted field "
                               "starting on this line is never closed (a "
                               "missing \")", s->r->name, s->quote_line);
            }
            if (csv_fini(p, on_field, on_record, s) != 0 || s->failed) {
                return s->failed ? false
                                 : vc_fail(s->err, VC_ERR_DATA, "%s:%zu: %s",
                                           s->r->name, s->r->line,
                                           csv_strerror(csv_error(p)));
            }
            return count_sheet(s);
        }
        if (!feed(s, p, line, len) || (nl && !feed(s, p, "\n", 1))) {
            return false;
        }
    }
    return false;
}

bool vc_read_survey(vc_sink *in, vc_lines *r, vc_error *err)
{
    survey s;
    memset(&s, 0, sizeof s);
    s.in = in;
    s.r = r;
    s.o = in->opts;
    s.err = err;
    s.delim = in->tabs ? '\t' : ',';
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        return vc_fail_nomem(err, r->name);
    }
    csv_set_delim(&p, (unsigned char)s.delim);
    bool ok = read_all(&s, &p);
    csv_free(&p);
    survey_finish(&s);
    return ok;
}
