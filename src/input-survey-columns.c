/* input-survey-columns.c - which columns of a survey export are counted,
 * and as what: --columns, --free-text-columns and --event-column matched
 * against the header rows (or by number), metadata columns left out. */
#include "count-internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct picking {
    vc_columns *cols;
    const char *input; /* for messages */
    vc_error *err;
    bool oom; /* a helper ran out of memory (err is filled) */
} picking;

/* Columns a survey tool adds that are never answers, and the event a
 * response came from (for batch --event-column): left out when no
 * --columns are given. */
static bool is_metadata(picking *s, const char *name)
{
    static const char *const names[] = {
        "timestamp", "id", "starttime", "completiontime", "email",
        "emailaddress", "name", "respondentid", "collectorid", "startdate",
        "enddate", "ipaddress", "lastmodifiedtime", "firstname",
        "lastname", "customdata1", "event", "eventname", NULL};
    vc_buf k;
    vc_buf_init(&k);
    bool meta = false;
    if (vc_norm_key(name, strlen(name), &k) && k.data) {
        for (size_t i = 0; names[i] && !meta; i++) {
            meta = strcmp(k.data, names[i]) == 0;
        }
    } else {
        s->oom = true;
        vc_fail_nomem(s->err, "columns");
    }
    vc_buf_finish(&k);
    return meta;
}

/* Header text matches a requested name after trimming and collapsing
 * white space, ignoring case. */
static bool same_name(picking *s, const char *header, const char *want)
{
    vc_buf a, b;
    vc_buf_init(&a);
    vc_buf_init(&b);
    bool same = false;
    if (vc_norm_display(header, strlen(header), &a) &&
        vc_norm_display(want, strlen(want), &b) && a.data && b.data) {
        same = strcmp(a.data, b.data) == 0;
        if (!same && vc_norm_key(a.data, a.len, &a) &&
            vc_norm_key(b.data, b.len, &b)) {
            same = a.len > 0 && strcmp(a.data, b.data) == 0;
        }
    }
    if (a.failed || b.failed) {
        s->oom = true;
        vc_fail_nomem(s->err, "columns");
    }
    vc_buf_finish(&a);
    vc_buf_finish(&b);
    return same;
}

static size_t n_columns(const vc_columns *c, size_t n_fields)
{
    size_t n = c->n_names > c->n_sub ? c->n_names : c->n_sub;
    return n > n_fields ? n : n_fields;
}

static bool missing_column(picking *s, const char *what, const char *want)
{
    vc_buf list;
    vc_buf_init(&list);
    for (size_t i = 0; i < s->cols->n_names; i++) {
        vc_buf_printf(&list, "%s'%s'", i ? ", " : "", s->cols->names[i]);
    }
    if (s->cols->n_names == 0) {
        vc_buf_puts(&list, "none (no header row)");
    }
    vc_fail(s->err, VC_ERR_DATA, "%s:1: no column '%s' (from --%s); the "
            "columns are: %s", s->input, want, what,
            list.data ? list.data : "");
    vc_buf_finish(&list);
    return false;
}

/* Marks every column named `want` (header text, or a 1-based number). */
static bool mark(picking *s, const char *want, const char *what, int role,
                 size_t *first)
{
    size_t hits = 0;
    *first = SIZE_MAX;
    for (int row = 0; row < 2 && hits == 0; row++) {
        char **names = row ? s->cols->sub : s->cols->names;
        size_t n = row ? s->cols->n_sub : s->cols->n_names;
        for (size_t i = 0; i < n; i++) {
            if (same_name(s, names[i], want)) {
                if (role != VC_COLUMN_NONE) {
                    s->cols->role[i] = (unsigned char)role;
                }
                *first = hits++ ? *first : i;
            }
        }
    }
    if (s->oom) {
        return false;
    }
    if (hits > 0) {
        return true;
    }
    char *end;
    unsigned long v = strtoul(want, &end, 10);
    if (*want >= '0' && *want <= '9' && *end == '\0' && v >= 1 &&
        v <= s->cols->n_role) {
        if (role != VC_COLUMN_NONE) {
            s->cols->role[v - 1] = (unsigned char)role;
        }
        *first = v - 1;
        return true;
    }
    return missing_column(s, what, want);
}

static bool mark_list(picking *s, const char *list, const char *what, int role)
{
    char **names;
    size_t n;
    int rc = vc_csv_split_line(list, strlen(list), &names, &n);
    if (rc != 0) {
        return rc < 0 ? vc_fail_nomem(s->err, "columns")
                      : vc_fail(s->err, VC_ERR_USAGE, "--%s: a quote is not "
                                "closed in '%s'", what, list);
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        size_t first;
        ok = names[i][0] == '\0' || mark(s, names[i], what, role, &first);
    }
    vc_csv_free_fields(names, n);
    return ok;
}

bool vc_columns_setup(vc_columns *cols, size_t n_fields,
                      const vc_count_options *o, const char *input,
                      vc_error *err)
{
    picking p = {cols, input, err, false};
    picking *s = &p;
    cols->n_role = n_columns(cols, n_fields);
    cols->role = calloc(cols->n_role ? cols->n_role : 1, 1);
    if (!cols->role) {
        return vc_fail_nomem(s->err, s->input);
    }
    cols->event_col = SIZE_MAX;
    if (o->event_column && !mark(s, o->event_column, "event-column",
                                 VC_COLUMN_NONE, &cols->event_col)) {
        return false;
    }
    if (o->free_text_columns &&
        !mark_list(s, o->free_text_columns, "free-text-columns", VC_COLUMN_FREE)) {
        return false;
    }
    if (o->columns) {
        if (!mark_list(s, o->columns, "columns", VC_COLUMN_CHOICE)) {
            return false;
        }
    } else {
        for (size_t i = 0; i < cols->n_role; i++) {
            bool meta = i < cols->n_names && is_metadata(s, cols->names[i]);
            if (cols->role[i] == VC_COLUMN_NONE && i != cols->event_col && !meta) {
                cols->role[i] = VC_COLUMN_CHOICE;
            }
        }
    }
    if (s->oom) {
        return false;
    }
    if (cols->event_col != SIZE_MAX) {
        cols->role[cols->event_col] = VC_COLUMN_NONE;
    }
    return true;
}

void vc_columns_finish(vc_columns *cols)
{
    vc_csv_free_fields(cols->names, cols->n_names);
    vc_csv_free_fields(cols->sub, cols->n_sub);
    free(cols->role);
}
