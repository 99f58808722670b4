/* count.c - the counter: its options and word lists, the table of counted
 * entries, and the events; each input is counted into a staging table (a
 * vc_input, which the readers feed) and merged in only when complete. */
#include "count/count.h"

#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

/* ---- the counter ----------------------------------------------------------- */

/* How one input was read (vc_input_info with owned strings). */
typedef struct input_record {
    char *name;
    vc_format format;
    vc_file_type file_type;
    const char *encoding; /* static, or the counter's copy of the option */
    bool guessed;
    vc_survey_layout layout;
    char *auto_columns, *auto_free;
} input_record;

struct vc_counter {
    vc_count_options opts;
    char *columns, *free_text_columns, *multi_sep, *event_column;
    char *encoding;
    input_record *inputs;
    size_t n_inputs, cap_inputs;
    vc_wordlists lists;
    vc_entries main;
    char **events;         /* event i + 1 in composite keys */
    char **event_keys;     /* their matching keys: trimmed, NFC, case folded,
                            * so "Area forum " and "Area Forum" are one */
    size_t *event_respondents;
    size_t n_events, cap_events, cap_event_keys, cap_event_resp;
    size_t respondents;
    size_t cleaned_answers, cleaned_chars; /* vc_counter_cleaned_answers */
};

void vc_count_options_init(vc_count_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->format = VC_FORMAT_AUTO;
    opts->multi_sep = NULL;
    opts->header_rows = -1;
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
    if (o->multi_sep && !*o->multi_sep) {
        o->multi_sep = NULL;
    }
    c->columns = vc_strdup(o->columns);
    c->free_text_columns = vc_strdup(o->free_text_columns);
    c->multi_sep = vc_strdup(o->multi_sep);
    c->event_column = vc_strdup(o->event_column);
    c->encoding = vc_strdup(o->encoding);
    bool ok = (!o->multi_sep || c->multi_sep) && (!o->encoding || c->encoding) &&
              (!o->columns || c->columns) &&
              (!o->free_text_columns || c->free_text_columns) &&
              (!o->event_column || c->event_column);
    o->columns = c->columns;
    o->free_text_columns = c->free_text_columns;
    o->multi_sep = c->multi_sep;
    o->event_column = c->event_column;
    o->encoding = c->encoding;
    if (o->header_rows < -1 || o->format > VC_FORMAT_TEXT) {
        vc_fail(err, VC_ERR_USAGE, "count options: header_rows must be >= -1 "
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
    ok = ok && vc_wordlists_add_default_nonanswers(&c->lists);
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
        free(c->event_keys[i]);
    }
    free(c->events);
    free(c->event_keys);
    free(c->event_respondents);
    free(c->columns);
    free(c->free_text_columns);
    free(c->multi_sep);
    free(c->event_column);
    free(c->encoding);
    for (size_t i = 0; i < c->n_inputs; i++) {
        free(c->inputs[i].name);
        free(c->inputs[i].auto_columns);
        free(c->inputs[i].auto_free);
    }
    free(c->inputs);
    free(c);
}

void vc_counter_set_default_exclusions(vc_counter *c, bool on)
{
    if (c) {
        c->lists.no_default_nonanswers = !on;
    }
}

bool vc_counter_load_exclusions(vc_counter *c, const char *path, vc_error *err)
{
    return vc_wordlists_load_nonanswers(&c->lists, path, c->opts.max_line_bytes, err);
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

static size_t find_event_key(const vc_counter *c, const char *key)
{
    for (size_t i = 0; i < c->n_events; i++) {
        if (strcmp(c->event_keys[i], key) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* An event by name as a caller spells it, matched as the inputs are. */
static size_t find_event(const vc_counter *c, const char *event)
{
    vc_buf d, k;
    vc_buf_init(&d);
    vc_buf_init(&k);
    size_t i = SIZE_MAX;
    if (vc_norm_display(event, strlen(event), &d)) {
        const char *name = d.len ? d.data : "(no event)";
        if (vc_norm_key(name, strlen(name), &k)) {
            i = find_event_key(c, k.data);
        }
    }
    vc_buf_finish(&d);
    vc_buf_finish(&k);
    return i;
}

/* ---- vc_input: the staging sink of one input ---------------------------------- */

typedef struct vc_input {
    vc_sink sink;            /* first: the readers see only this */
    vc_counter *c;
    vc_lines *lines;
    vc_entries stage;
    uint32_t event;          /* 0: none; i + 1: c->events[i] */
    size_t n_events_before;  /* events added by this input are rolled back */
    size_t respondents;
    size_t *event_resp;
    size_t cap_event_resp;
    vc_keyset seen;          /* (group, resolved key) of this respondent */
    size_t cleaned_answers, cleaned_chars; /* committed with the counts */
    bool counted;
    bool oom;                /* a respondent could not be recorded */
    vc_buf disp, key, ck;
    vc_buf judge_d, judge_k; /* sink_is_nonanswer's scratch */
    vc_sheet *keep;          /* inspection: the analysed sheet goes here */
    input_record rec;
} vc_input;

/* The input a sink callback was given (the sink is its first member). */
static vc_input *input_of(vc_sink *s)
{
    return (vc_input *)s;
}

/* The survey reader hands over its analysed sheet: an inspection keeps it
 * (and counts nothing). */
static bool sink_take_sheet(vc_sink *s, vc_sheet *sh)
{
    vc_input *in = input_of(s);
    if (!in->keep) {
        return false;
    }
    *in->keep = *sh;
    memset(sh, 0, sizeof *sh);
    return true;
}

static void sink_picked(vc_sink *s, vc_sheet *sh)
{
    vc_input *in = input_of(s);
    in->rec.layout = sh->layout;
    free(in->rec.auto_columns);
    free(in->rec.auto_free);
    in->rec.auto_columns = sh->auto_columns;
    in->rec.auto_free = sh->auto_free;
    sh->auto_columns = sh->auto_free = NULL;
}

static bool too_many(const vc_input *in, vc_error *err)
{
    return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_MAX_ENTRIES, "%s:%zu: more than %zu "
                   "distinct entries", in->lines->name,
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
    if (!(e->count <= VC_MAX_COUNT)) {
        return vc_fail(err, VC_ERR_DATA, "%s:%zu: '%s' has %g votes; the most one entry "
                       "may have is %g", in->lines->name, in->lines->line, in->disp.data,
                       e->count, VC_MAX_COUNT);
    }
    if (!vc_entry_add_spelling(&in->stage, e, in->disp.data, in->disp.len, count)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return true;
}

/* The display spelling of one answer, counting what cleaning removed. */
static bool display(vc_input *in, const char *text, size_t len)
{
    size_t dropped = 0;
    bool ok = vc_norm_display_counted(text, len, &in->disp, &dropped);
    in->cleaned_answers += dropped > 0;
    in->cleaned_chars += dropped;
    return ok;
}

static bool normalise(vc_input *in, const char *text, size_t len,
                      vc_error *err)
{
    if (!display(in, text, len) ||
        (in->disp.len > 0 && !vc_norm_key(in->disp.data, in->disp.len, &in->key))) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return true;
}

static bool sink_add(vc_sink *s, vc_group group, const char *text, size_t len,
                     double count, vc_error *err)
{
    vc_input *in = input_of(s);
    if (!normalise(in, text, len, err)) {
        return false;
    }
    return in->disp.len == 0 || stage_add(in, group, count, err);
}

static bool sink_add_token(vc_sink *s, const char *text, size_t len, vc_error *err)
{
    vc_input *in = input_of(s);
    if (!normalise(in, text, len, err)) {
        return false;
    }
    if (in->disp.len == 0 ||
        vc_wordlists_is_stopword(&in->c->lists, in->key.data, in->key.len)) {
        return true;
    }
    return stage_add(in, VC_GROUP_WORD, 1, err);
}

static bool sink_event(vc_sink *s, const char *name, size_t len, vc_error *err)
{
    vc_input *in = input_of(s);
    vc_counter *c = in->c;
    vc_buf *d = &in->disp;
    if (!vc_norm_display(name, len, d)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    const char *ev = d->len ? d->data : "(no event)";
    if (!vc_norm_key(ev, strlen(ev), &in->key)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    size_t i = find_event_key(c, in->key.data);
    if (i != SIZE_MAX) {
        in->event = (uint32_t)(i + 1);
        return true;
    }
    if (c->n_events >= UINT32_MAX - 1 ||
        !vc_grow((void **)&c->events, &c->cap_events, c->n_events + 1,
                 sizeof *c->events) ||
        !vc_grow((void **)&c->event_keys, &c->cap_event_keys, c->n_events + 1,
                 sizeof *c->event_keys)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    c->events[c->n_events] = vc_strdup(ev);
    c->event_keys[c->n_events] = vc_strdup(in->key.data);
    if (!c->events[c->n_events] || !c->event_keys[c->n_events]) {
        free(c->events[c->n_events]);
        free(c->event_keys[c->n_events]);
        return vc_fail_nomem(err, in->lines->name);
    }
    in->event = (uint32_t)++c->n_events;
    return true;
}

static void sink_respondent_begin(vc_sink *s)
{
    vc_input *in = input_of(s);
    vc_keyset_clear(&in->seen);
    in->counted = false;
}

/* Records a whole answer left out as a non-answer or stopword, so the
 * merge report and summary can count it (never silently dropped). */
static bool stage_excluded(vc_input *in, double count, vc_error *err)
{
    return stage_add(in, VC_KEY_GROUP_EXCLUDED, count, err);
}

/* A written answer that normalises to nothing ("-", "..."): no answer,
 * counted under its own bytes (spaces trimmed) unless it was only space. */
static bool stage_blank_answer(vc_input *in, const char *text, size_t len, vc_error *err)
{
    while (len > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r')) {
        len--;
    }
    if (len == 0 || in->c->lists.no_default_nonanswers) {
        return true;
    }
    in->disp.len = 0;
    in->key.len = 0;
    if (!vc_buf_append(&in->disp, text, len) || !vc_buf_append(&in->key, text, len)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return stage_excluded(in, 1, err);
}

/* Emoji, symbols and punctuation at the ends of a written phrase
 * ("carers!", "Kindness \xF0\x9F\x98\x8A") are not part of the word. */
static bool phrase_trimmable(utf8proc_int32_t c)
{
    if (c == 0x200D || c == 0xFE0E || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF)) {
        return true; /* joiners, variation selectors, skin tones */
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_ZS: return true;
    default: return false;
    }
}

/* Trims a phrase in place in in->disp; an answer of nothing else is
 * left whole, for the non-answer rule to see. */
static void trim_phrase(vc_buf *d)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)d->data;
    size_t a = 0, b = d->len;
    while (a < b) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + a, (utf8proc_ssize_t)(b - a), &c);
        if (k <= 0 || !phrase_trimmable(c)) {
            break;
        }
        a += (size_t)k;
    }
    while (b > a) {
        size_t k = 1;
        while (k < b - a && (p[b - k] & 0xC0) == 0x80) {
            k++;
        }
        utf8proc_int32_t c;
        if (utf8proc_iterate(p + b - k, (utf8proc_ssize_t)k, &c) <= 0 ||
            !phrase_trimmable(c)) {
            break;
        }
        b -= k;
    }
    if (a == b || (a == 0 && b == d->len)) {
        return;
    }
    memmove(d->data, d->data + a, b - a);
    d->len = b - a;
    d->data[d->len] = '\0';
}

bool vc_written_nonanswer(const vc_wordlists *wl, const char *text, size_t len,
                          vc_buf *d, vc_buf *k, bool *is)
{
    *is = false;
    if (!vc_norm_display(text, len, d)) {
        return false;
    }
    trim_phrase(d);
    if (d->len == 0) {
        /* As stage_blank_answer: "-" or "..." is one, unless defaults are off. */
        for (size_t i = 0; i < len && !wl->no_default_nonanswers; i++) {
            *is |= text[i] != ' ' && text[i] != '\t' && text[i] != '\r';
        }
        return true;
    }
    if (!vc_norm_key(d->data, d->len, k)) {
        return false;
    }
    *is = vc_wordlists_is_nonanswer(wl, d->data, d->len, k->data, k->len);
    return true;
}

/* Normalises a free-text answer: trimmed, then keyed. */
static bool normalise_phrase(vc_input *in, const char *text, size_t len, vc_error *err)
{
    if (!display(in, text, len)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    trim_phrase(&in->disp);
    if (in->disp.len > 0 && !vc_norm_key(in->disp.data, in->disp.len, &in->key)) {
        return vc_fail_nomem(err, in->lines->name);
    }
    return true;
}

/* True when this respondent already gave resolved key `k` in the other
 * of the chosen/suggested groups (ticked it and also wrote it in). */
static bool gave_both_ways(vc_input *in, vc_group group, const char *k)
{
    if (group != VC_GROUP_CHOSEN && group != VC_GROUP_SUGGESTED) {
        return false;
    }
    vc_key_prefix(&in->ck, 0, group == VC_GROUP_CHOSEN ? VC_GROUP_SUGGESTED : VC_GROUP_CHOSEN);
    vc_buf_puts(&in->ck, k);
    return !in->ck.failed && vc_keyset_find(&in->seen, in->ck.data, in->ck.len) != SIZE_MAX;
}

static bool sink_answer(vc_sink *s, vc_group group, const char *text, size_t len,
                        vc_error *err)
{
    vc_input *in = input_of(s);
    /* Ticked options are taken as the survey wrote them; written answers
     * are trimmed and may be non-answers or stopwords. */
    bool written = group != VC_GROUP_CHOSEN;
    if (!(written ? normalise_phrase(in, text, len, err) : normalise(in, text, len, err))) {
        return false;
    }
    if (in->disp.len == 0) {
        return written ? stage_blank_answer(in, text, len, err) : true;
    }
    if (written &&
        (vc_wordlists_is_nonanswer(&in->c->lists, in->disp.data, in->disp.len, in->key.data,
                                   in->key.len) ||
         vc_wordlists_is_stopword(&in->c->lists, in->key.data, in->key.len))) {
        return stage_excluded(in, 1, err);
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
    if (!stage_add(in, group, 1, err)) {
        return false;
    }
    return gave_both_ways(in, group, k) ? stage_add(in, VC_KEY_GROUP_OVERLAP, 1, err) : true;
}

static void sink_respondent_end(vc_sink *s)
{
    vc_input *in = input_of(s);
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

/* A written answer counting would leave out as a non-answer (for the
 * survey reader's column analysis, before anything is counted). */
static bool sink_is_nonanswer(vc_sink *s, const char *text, size_t len, bool *is)
{
    vc_input *in = input_of(s);
    return vc_written_nonanswer(&in->c->lists, text, len, &in->judge_d, &in->judge_k, is);
}

static const vc_sink_ops counter_sink = {
    .add = sink_add,
    .add_token = sink_add_token,
    .event = sink_event,
    .respondent_begin = sink_respondent_begin,
    .answer = sink_answer,
    .respondent_end = sink_respondent_end,
    .take_sheet = sink_take_sheet,
    .picked = sink_picked,
    .is_nonanswer = sink_is_nonanswer,
};

static void input_finish(vc_input *in)
{
    vc_entries_finish(&in->stage);
    vc_keyset_finish(&in->seen);
    free(in->event_resp);
    vc_buf_finish(&in->disp);
    vc_buf_finish(&in->key);
    vc_buf_finish(&in->ck);
    vc_buf_finish(&in->judge_d);
    vc_buf_finish(&in->judge_k);
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
    /* The first input's table becomes the counter's as it is: adding it
     * entry by entry to an empty table would copy every key and spelling
     * into the same keys, counts and spellings in the same order. */
    if (c->main.keys.n == 0) {
        vc_entries_finish(&c->main);
        c->main = in->stage;
        memset(&in->stage, 0, sizeof in->stage);
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
        if (!(e->count <= VC_MAX_COUNT)) {
            return vc_fail(err, VC_ERR_DATA, "%s: '%s' reaches %g votes over the inputs; "
                           "the most one entry may have is %g", in->lines->name,
                           vc_entry_display(e), e->count, VC_MAX_COUNT);
        }
        if (!vc_entry_add_spellings(&c->main, e, s)) {
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
    c->cleaned_answers += in->cleaned_answers;
    c->cleaned_chars += in->cleaned_chars;
    return true;
}

/* ---- the counter's inputs and outputs ------------------------------------- */

/* A header line with more tabs than commas (outside quotes) is a
 * tab-separated sheet: Excel's "Unicode Text". */
static bool tab_separated(const char *head, size_t len)
{
    size_t tabs = 0, commas = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && head[i] != '\n' && head[i] != '\r'; i++) {
        quoted ^= head[i] == '"';
        tabs += !quoted && head[i] == '\t';
        commas += !quoted && head[i] == ',';
    }
    return tabs > commas;
}

/* Text whose first lines all hold the same number of tabs (two fields or
 * more, not word<TAB>count) is a sheet saved as text, not prose. */
static bool looks_like_sheet(const char *head, size_t len)
{
    size_t lines = 0, want = 0;
    const char *p = head, *end = head + len;
    while (p < end && lines < 5) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && lines > 0) {
            break;
        }
        size_t tabs = 0;
        for (const char *q = p; q < (nl ? nl : end); q++) {
            tabs += *q == '\t';
        }
        if (tabs < 2 || (lines > 0 && tabs != want)) {
            return false;
        }
        want = tabs;
        lines++;
        p = nl ? nl + 1 : end;
    }
    return lines >= 2;
}

/* Counts one input from its lines (already UTF-8), into a staging table
 * committed whole; `keep` takes the analysed sheet instead (inspection). */
static bool parse_input(vc_counter *c, vc_lines *r, vc_input *in, vc_error *err)
{
    vc_sheet *keep = in->keep;
    input_record rec = in->rec;
    memset(in, 0, sizeof *in);
    in->keep = keep;
    in->rec = rec;
    in->sink.ops = &counter_sink;
    in->sink.opts = &c->opts;
    in->c = c;
    in->lines = r;
    in->n_events_before = c->n_events;
    vc_format format = c->opts.format;
    const char *head = NULL;
    size_t len = 0;
    bool ok = vc_lines_peek(r, &head, &len, err);
    /* A failed peek (empty, UTF-16 in a word list) leaves head unset. */
    if (ok && format == VC_FORMAT_AUTO) {
        format = in->rec.file_type == VC_FILE_XLSX ? VC_FORMAT_SURVEY
                                                    : vc_detect_format(r->name, head, len);
        if (format == VC_FORMAT_TEXT && looks_like_sheet(head, len)) {
            format = VC_FORMAT_SURVEY;
        }
    }
    if (ok && format == VC_FORMAT_SURVEY) {
        in->sink.tabs = tab_separated(head, len);
        if (in->rec.file_type != VC_FILE_XLSX) {
            in->rec.file_type = in->sink.tabs ? VC_FILE_TSV : VC_FILE_CSV;
        }
    }
    in->rec.format = format;
    if (ok) {
        switch (format) {
        case VC_FORMAT_COUNTS: ok = vc_read_counts(&in->sink, r, err); break;
        case VC_FORMAT_SURVEY: ok = vc_read_survey(&in->sink, r, err); break;
        default: ok = vc_read_text(&in->sink, r, err); break;
        }
    }
    ok = ok && (in->keep || commit(in, err));
    if (!ok || in->keep) {
        for (size_t i = in->n_events_before; i < c->n_events; i++) {
            free(c->events[i]);
            free(c->event_keys[i]);
        }
        c->n_events = in->n_events_before;
    }
    input_finish(in);
    return ok;
}

static bool parse_buffer(vc_counter *c, const char *name, const vc_buf *text,
                         vc_input *in, vc_error *err)
{
    vc_lines r;
    vc_lines_open_mem(&r, name, text->data ? text->data : "", text->len,
                      c->opts.max_line_bytes);
    bool ok = parse_input(c, &r, in, err);
    vc_lines_close(&r);
    return ok;
}

/* Turns the rest of `r` (a workbook, or text in another encoding) into
 * UTF-8 text in `out`. */
static bool convert_input(vc_counter *c, vc_lines *r, vc_sniff sniff,
                          input_record *rec, vc_buf *out, vc_error *err)
{
    vc_buf raw;
    if (!vc_lines_slurp(r, VC_DECODE_MAX_BYTES, &raw, err)) {
        return false;
    }
    bool ok;
    if (sniff == VC_SNIFF_ZIP) {
        rec->file_type = VC_FILE_XLSX;
        rec->encoding = "UTF-8";
        ok = vc_xlsx_to_csv(r->name, raw.data, raw.len, out, err);
    } else {
        rec->encoding = c->encoding ? c->encoding : vc_sniff_encoding(sniff);
        ok = vc_decode(r->name, (const unsigned char *)(raw.data ? raw.data : ""),
                       raw.len, c->encoding, out, err);
    }
    vc_buf_finish(&raw);
    return ok;
}

/* Not UTF-8 after all, and nobody said what it is: read the whole input
 * again as Windows-1252, what Excel's "CSV" is on most Western machines. */
static bool retry_as_cp1252(vc_counter *c, vc_lines *r, const char *path,
                            vc_input *in, vc_error *err)
{
    vc_buf raw, text;
    vc_buf_init(&raw);
    bool ok;
    if (r->fd < 0) {
        ok = vc_buf_append(&raw, r->mem, r->mem_len) || vc_fail_nomem(err, r->name);
    } else {
        vc_lines again;
        ok = vc_lines_open(&again, path, c->opts.max_line_bytes, err) &&
             vc_lines_slurp(&again, VC_DECODE_MAX_BYTES, &raw, err);
        vc_lines_close(&again);
    }
    ok = ok && vc_decode(r->name, (const unsigned char *)(raw.data ? raw.data : ""),
                         raw.len, "windows-1252", &text, err);
    vc_buf_finish(&raw);
    if (!ok) {
        return false;
    }
    in->rec.encoding = "windows-1252";
    in->rec.guessed = true;
    ok = parse_buffer(c, r->name, &text, in, err);
    vc_buf_finish(&text);
    return ok;
}

static bool record_input(vc_counter *c, input_record *rec, const char *name)
{
    if (!vc_grow((void **)&c->inputs, &c->cap_inputs, c->n_inputs + 1,
                 sizeof *c->inputs) ||
        !(rec->name = vc_strdup(name))) {
        return false;
    }
    c->inputs[c->n_inputs++] = *rec;
    memset(rec, 0, sizeof *rec);
    return true;
}

/* One input: sniffed, converted when it is not UTF-8 text, counted (or
 * analysed into `keep`), and recorded. */
static bool read_input(vc_counter *c, vc_lines *r, const char *path,
                       vc_sheet *keep, vc_error *err)
{
    vc_input in;
    memset(&in, 0, sizeof in);
    in.rec.encoding = "UTF-8";
    const unsigned char *head;
    size_t len;
    if (!vc_lines_head(r, &head, &len, err)) {
        return false;
    }
    vc_sniff sniff = vc_sniff_bytes(head, len);
    if (sniff == VC_SNIFF_OLE) {
        return vc_fail(err, VC_ERR_DATA, "%s: an encrypted (password-protected) "
                       "workbook or an old .xls file; save it as .xlsx without a "
                       "password, or as CSV UTF-8", r->name);
    }
    bool named = c->encoding && !vc_encoding_is_utf8(c->encoding);
    bool convert = sniff == VC_SNIFF_ZIP || named ||
                   (sniff != VC_SNIFF_TEXT && !c->encoding);
    bool ok;
    if (convert) {
        vc_buf text;
        ok = convert_input(c, r, sniff, &in.rec, &text, err);
        if (ok) {
            in.keep = keep;
            ok = parse_buffer(c, r->name, &text, &in, err);
            vc_buf_finish(&text);
        }
    } else {
        in.keep = keep;
        ok = parse_input(c, r, &in, err);
        bool restartable = r->fd < 0 || (path && strcmp(path, "-") != 0);
        if (!ok && r->bad_utf8 && !c->encoding && restartable) {
            vc_error_clear(err);
            in.keep = keep;
            ok = retry_as_cp1252(c, r, path, &in, err);
        }
    }
    if (ok && keep) {
        keep->info_file_type = in.rec.file_type;
        keep->info_encoding = in.rec.encoding;
        keep->info_guessed = in.rec.guessed;
        keep->info_format = in.rec.format;
    }
    if (ok && !keep && !record_input(c, &in.rec, r->name)) {
        ok = vc_fail_nomem(err, r->name);
    }
    free(in.rec.auto_columns);
    free(in.rec.auto_free);
    return ok;
}

bool vc_counter_add_file(vc_counter *c, const char *path, vc_error *err)
{
    vc_lines r;
    if (!vc_lines_open(&r, path, c->opts.max_line_bytes, err)) {
        return false;
    }
    bool ok = read_input(c, &r, path, NULL, err);
    vc_lines_close(&r);
    return ok;
}

bool vc_counter_add_buffer(vc_counter *c, const char *name, const void *data,
                           size_t len, vc_error *err)
{
    vc_lines r;
    vc_lines_open_mem(&r, name ? name : "<buffer>", data, len,
                      c->opts.max_line_bytes);
    bool ok = read_input(c, &r, NULL, NULL, err);
    vc_lines_close(&r);
    return ok;
}

bool vc_counter_inspect(vc_counter *c, const char *path, const char *name,
                        const void *data, size_t len, vc_sheet *out,
                        vc_error *err)
{
    vc_lines r;
    memset(out, 0, sizeof *out);
    if (path) {
        if (!vc_lines_open(&r, path, c->opts.max_line_bytes, err)) {
            return false;
        }
    } else {
        vc_lines_open_mem(&r, name ? name : "<buffer>", data, len,
                          c->opts.max_line_bytes);
    }
    bool ok = read_input(c, &r, path, out, err);
    vc_lines_close(&r);
    return ok;
}

size_t vc_counter_input_count(const vc_counter *c)
{
    return c ? c->n_inputs : 0;
}

bool vc_counter_input_info(const vc_counter *c, size_t i, vc_input_info *out)
{
    if (!c || i >= c->n_inputs || !out) {
        return false;
    }
    const input_record *rec = &c->inputs[i];
    out->name = rec->name;
    out->format = rec->format;
    out->file_type = rec->file_type;
    out->encoding = rec->encoding;
    out->encoding_guessed = rec->guessed;
    out->layout = rec->layout;
    out->auto_columns = rec->auto_columns;
    out->auto_free_text_columns = rec->auto_free;
    return true;
}

size_t vc_counter_cleaned_answers(const vc_counter *c, size_t *chars)
{
    if (chars) {
        *chars = c ? c->cleaned_chars : 0;
    }
    return c ? c->cleaned_answers : 0;
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
