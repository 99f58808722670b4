/* count.c - the counter: its options and word lists, the table of counted
 * entries, and the events; each input is counted into a staging table (a
 * vc_input, which the readers feed) and merged in only when complete. */
#include "count-internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- the counter ----------------------------------------------------------- */

struct vc_counter {
    vc_count_options opts;
    char *columns, *free_text_columns, *multi_sep, *event_column;
    vc_wordlists lists;
    vc_entries main;
    char **events;         /* event i + 1 in composite keys */
    size_t *event_respondents;
    size_t n_events, cap_events, cap_event_resp;
    size_t respondents;
};

void vc_count_options_init(vc_count_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->format = VC_FORMAT_AUTO;
    opts->multi_sep = ";";
    opts->header_rows = 1;
    opts->stopwords = true;
    opts->max_field_bytes = VC_MAX_FIELD_BYTES_DEFAULT;
    opts->max_line_bytes = VC_MAX_LINE_BYTES_DEFAULT;
    opts->max_entries = VC_MAX_ENTRIES_DEFAULT;
}

vc_counter *vc_counter_new(const vc_count_options *opts, vc_error *err)
{
    vc_counter *c = calloc(1, sizeof *c);
    if (!c) {
        vc_fail_nomem(err, "counter");
        return NULL;
    }
    vc_count_options_init(&c->opts);
    if (opts && !vc_options_adopt(opts, sizeof c->opts, &c->opts, "vc_count_options", err)) {
        free(c);
        return NULL;
    }
    vc_count_options *o = &c->opts;
    if (!o->multi_sep || !*o->multi_sep) {
        o->multi_sep = ";";
    }
    c->columns = vc_strdup(o->columns);
    c->free_text_columns = vc_strdup(o->free_text_columns);
    c->multi_sep = vc_strdup(o->multi_sep);
    c->event_column = vc_strdup(o->event_column);
    bool ok = c->multi_sep && (!o->columns || c->columns) &&
              (!o->free_text_columns || c->free_text_columns) &&
              (!o->event_column || c->event_column);
    o->columns = c->columns;
    o->free_text_columns = c->free_text_columns;
    o->multi_sep = c->multi_sep;
    o->event_column = c->event_column;
    if (o->header_rows < 0 || o->format > VC_FORMAT_TEXT) {
        vc_fail(err, VC_ERR_USAGE, "count options: header_rows must be >= 0 "
                "and format one of auto, counts, survey, text");
        vc_counter_free(c);
        return NULL;
    }
    if (o->max_field_bytes == 0) {
        o->max_field_bytes = VC_MAX_FIELD_BYTES_DEFAULT;
    }
    if (o->max_line_bytes == 0) {
        o->max_line_bytes = VC_MAX_LINE_BYTES_DEFAULT;
    }
    if (o->max_entries == 0) {
        o->max_entries = VC_MAX_ENTRIES_DEFAULT;
    }
    if (ok && o->stopwords) {
        ok = vc_wordlists_add_default_stopwords(&c->lists);
    }
    if (!ok) {
        vc_fail_nomem(err, "counter");
        vc_counter_free(c);
        return NULL;
    }
    return c;
}

void vc_counter_free(vc_counter *c)
{
    if (!c) {
        return;
    }
    vc_wordlists_finish(&c->lists);
    vc_entries_finish(&c->main);
    for (size_t i = 0; i < c->n_events; i++) {
        free(c->events[i]);
    }
    free(c->events);
    free(c->event_respondents);
    free(c->columns);
    free(c->free_text_columns);
    free(c->multi_sep);
    free(c->event_column);
    free(c);
}

bool vc_counter_load_stopwords(vc_counter *c, const char *path, vc_error *err)
{
    return vc_wordlists_load_stopwords(&c->lists, path, c->opts.max_line_bytes,
                                       err);
}

bool vc_counter_load_synonyms(vc_counter *c, const char *path, vc_error *err)
{
    return vc_wordlists_load_synonyms(&c->lists, path, c->opts.max_line_bytes,
                                      err);
}

bool vc_counter_load_vocabulary(vc_counter *c, const char *path, vc_error *err)
{
    return vc_wordlists_load_vocabulary(&c->lists, path, c->opts.max_line_bytes,
                                        err);
}

static size_t find_event(const vc_counter *c, const char *event)
{
    for (size_t i = 0; i < c->n_events; i++) {
        if (strcmp(c->events[i], event) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* ---- vc_input: the staging sink of one input ---------------------------------- */

struct vc_input {
    vc_counter *c;
    vc_lines *lines;
    vc_entries stage;
    uint32_t event;          /* 0: none; i + 1: c->events[i] */
    size_t n_events_before;  /* events added by this input are rolled back */
    size_t respondents;
    size_t *event_resp;
    size_t cap_event_resp;
    vc_keyset seen;          /* (group, resolved key) of this respondent */
    bool counted;
    bool oom;                /* a respondent could not be recorded */
    vc_buf disp, key, ck;
};

const vc_count_options *vc_input_options(const vc_input *in)
{
    return &in->c->opts;
}

const char *vc_input_name(const vc_input *in)
{
    return in->lines->name;
}

size_t vc_input_line(const vc_input *in)
{
    return in->lines->line;
}

static bool too_many(const vc_input *in, vc_error *err)
{
    return vc_fail(err, VC_ERR_DATA, "%s:%zu: more than %zu distinct entries "
                   "(raise the limit with --max-entries)", in->lines->name,
                   in->lines->line, in->c->opts.max_entries);
}

/* Adds the normalised in->disp under in->key. */
static bool stage_add(vc_input *in, vc_group group, double count,
                      vc_error *err)
{
    vc_key_prefix(&in->ck, in->event, group);
    vc_buf_append(&in->ck, in->key.data, in->key.len);
    if (in->ck.failed) {
        return vc_fail_nomem(err, in->lines->name);
    }
    bool added;
    vc_entry *e = vc_entries_get(&in->stage, in->ck.data, in->ck.len, &added);
    if (!e) {
        return vc_fail_nomem(err, in->lines->name);
    }
    if (added && in->stage.keys.n > in->c->opts.max_entries) {
        return too_many(in, err);
    }
    e->count += count;
    if (!vc_entry_add_spelling(e, in->disp.data, in->disp.len, count)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return true;
}

static bool normalise(vc_input *in, const char *text, size_t len,
                      vc_error *err)
{
    if (!vc_norm_display(text, len, &in->disp) ||
        (in->disp.len > 0 && !vc_norm_key(in->disp.data, in->disp.len, &in->key))) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return true;
}

bool vc_input_add(vc_input *in, vc_group group, const char *text, size_t len,
                  double count, vc_error *err)
{
    if (!normalise(in, text, len, err)) {
        return false;
    }
    return in->disp.len == 0 || stage_add(in, group, count, err);
}

bool vc_input_add_token(vc_input *in, const char *text, size_t len,
                        vc_error *err)
{
    if (!normalise(in, text, len, err)) {
        return false;
    }
    if (in->disp.len == 0 ||
        vc_wordlists_is_stopword(&in->c->lists, in->key.data, in->key.len)) {
        return true;
    }
    return stage_add(in, VC_GROUP_WORD, 1, err);
}

bool vc_input_event(vc_input *in, const char *name, size_t len, vc_error *err)
{
    vc_counter *c = in->c;
    vc_buf *d = &in->disp;
    if (!vc_norm_display(name, len, d)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    const char *ev = d->len ? d->data : "(no event)";
    size_t i = find_event(c, ev);
    if (i != SIZE_MAX) {
        in->event = (uint32_t)(i + 1);
        return true;
    }
    if (c->n_events >= UINT32_MAX - 1 ||
        !vc_grow((void **)&c->events, &c->cap_events, c->n_events + 1,
                 sizeof *c->events) ||
        !(c->events[c->n_events] = vc_strdup(ev))) {
        return vc_fail_nomem(err, in->lines->name);
    }
    in->event = (uint32_t)++c->n_events;
    return true;
}

void vc_input_respondent_begin(vc_input *in)
{
    vc_keyset_clear(&in->seen);
    in->counted = false;
}

bool vc_input_answer(vc_input *in, vc_group group, const char *text,
                     size_t len, vc_error *err)
{
    if (!normalise(in, text, len, err)) {
        return false;
    }
    if (in->disp.len == 0) {
        return true;
    }
    vc_resolved res;
    const char *k = in->key.data;
    if (vc_wordlists_resolve(&in->c->lists, in->key.data, in->key.len, &res)) {
        k = res.key;
    }
    vc_key_prefix(&in->ck, 0, group);
    vc_buf_puts(&in->ck, k);
    size_t idx;
    bool added;
    if (in->ck.failed ||
        !vc_keyset_insert(&in->seen, in->ck.data, in->ck.len, &idx, &added)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    if (!added) {
        return true; /* this respondent already voted for it */
    }
    in->counted = true;
    return stage_add(in, group, 1, err);
}

void vc_input_respondent_end(vc_input *in)
{
    if (!in->counted) {
        return;
    }
    in->respondents++;
    if (in->event == 0) {
        return;
    }
    size_t old = in->cap_event_resp;
    if (vc_grow((void **)&in->event_resp, &in->cap_event_resp, in->c->n_events,
                sizeof *in->event_resp)) {
        memset(in->event_resp + old, 0,
               (in->cap_event_resp - old) * sizeof *in->event_resp);
        in->event_resp[in->event - 1]++;
    } else {
        in->oom = true;
    }
}

static void input_finish(vc_input *in)
{
    vc_entries_finish(&in->stage);
    vc_keyset_finish(&in->seen);
    free(in->event_resp);
    vc_buf_finish(&in->disp);
    vc_buf_finish(&in->key);
    vc_buf_finish(&in->ck);
}

/* Merges the staging table into the counter. */
static bool commit(vc_input *in, vc_error *err)
{
    vc_counter *c = in->c;
    if (in->oom) {
        return vc_fail_nomem(err, in->lines->name);
    }
    size_t fresh = 0;
    for (size_t i = 0; i < in->stage.keys.n; i++) {
        fresh += vc_keyset_find(&c->main.keys, in->stage.keys.keys[i],
                                in->stage.keys.lens[i]) == SIZE_MAX;
    }
    if (c->main.keys.n + fresh > c->opts.max_entries) {
        return too_many(in, err);
    }
    if (!vc_grow((void **)&c->event_respondents, &c->cap_event_resp,
                 c->n_events, sizeof *c->event_respondents)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    for (size_t i = 0; i < in->stage.keys.n; i++) {
        const vc_entry *s = &in->stage.entries[i];
        bool added;
        vc_entry *e = vc_entries_get(&c->main, in->stage.keys.keys[i],
                               in->stage.keys.lens[i], &added);
        if (!e) {
            return vc_fail_nomem(err, in->lines->name);
        }
        e->count += s->count;
        if (!vc_entry_add_spellings(e, s)) {
            return vc_fail_nomem(err, in->lines->name);
        }
    }
    for (size_t i = in->n_events_before; i < c->n_events; i++) {
        c->event_respondents[i] = 0;
    }
    for (size_t i = 0; i < c->n_events && i < in->cap_event_resp; i++) {
        c->event_respondents[i] += in->event_resp[i];
    }
    c->respondents += in->respondents;
    return true;
}

/* ---- the counter's inputs and outputs ------------------------------------- */

static bool read_input(vc_counter *c, vc_lines *r, vc_error *err)
{
    vc_input in;
    memset(&in, 0, sizeof in);
    in.c = c;
    in.lines = r;
    in.n_events_before = c->n_events;
    vc_format format = c->opts.format;
    bool ok = true;
    if (format == VC_FORMAT_AUTO) {
        const char *head;
        size_t len;
        ok = vc_lines_peek(r, &head, &len, err);
        /* A failed peek (empty, UTF-16) leaves head and len unset. */
        if (ok) {
            format = vc_detect_format(r->name, head, len);
        }
    }
    if (ok) {
        switch (format) {
        case VC_FORMAT_COUNTS: ok = vc_read_counts(&in, r, err); break;
        case VC_FORMAT_SURVEY: ok = vc_read_survey(&in, r, err); break;
        default: ok = vc_read_text(&in, r, err); break;
        }
    }
    ok = ok && commit(&in, err);
    if (!ok) {
        for (size_t i = in.n_events_before; i < c->n_events; i++) {
            free(c->events[i]);
        }
        c->n_events = in.n_events_before;
    }
    input_finish(&in);
    return ok;
}

bool vc_counter_add_file(vc_counter *c, const char *path, vc_error *err)
{
    vc_lines r;
    if (!vc_lines_open(&r, path, c->opts.max_line_bytes, err)) {
        return false;
    }
    bool ok = read_input(c, &r, err);
    vc_lines_close(&r);
    return ok;
}

bool vc_counter_add_buffer(vc_counter *c, const char *name, const void *data,
                           size_t len, vc_error *err)
{
    vc_lines r;
    vc_lines_open_mem(&r, name ? name : "<buffer>", data, len,
                      c->opts.max_line_bytes);
    bool ok = read_input(c, &r, err);
    vc_lines_close(&r);
    return ok;
}

size_t vc_counter_event_count(const vc_counter *c)
{
    return c ? c->n_events : 0;
}

const char *vc_counter_event_name(const vc_counter *c, size_t i)
{
    return c && i < c->n_events ? c->events[i] : NULL;
}

vc_words *vc_counter_words(vc_counter *c, const char *event, vc_error *err)
{
    size_t ev = SIZE_MAX;
    if (event) {
        ev = find_event(c, event);
        if (ev == SIZE_MAX) {
            vc_fail(err, VC_ERR_USAGE, "no event named '%s' in the inputs",
                    event);
            return NULL;
        }
    }
    vc_words *w = vc_words_new(err);
    if (!w) {
        return NULL;
    }
    uint32_t only = ev == SIZE_MAX ? 0 : (uint32_t)(ev + 1);
    if (!vc_merge_words(&c->main, &c->lists, only, c->opts.merge_plurals, w,
                        err)) {
        vc_words_free(w);
        return NULL;
    }
    w->respondents = ev == SIZE_MAX ? c->respondents : c->event_respondents[ev];
    return w;
}
