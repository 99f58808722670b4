/* live-room.c - live rooms in memory: participants and their words, the
 * counting (the library's, over the same CSV the export writes, so the
 * screen, /counts and `votecloud count export.csv` always agree), the
 * profanity and hidden-word checks, and the worker that turns changes into
 * layouts at most once per LV_COALESCE seconds per room. */
#define _GNU_SOURCE
#include "live-room.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LV_COALESCE 0.2   /* s between two layouts of one room */
#define LV_KEEPALIVE 15.0 /* s between SSE comment lines */
#define LV_IDLE 600.0     /* s unwatched before a room's live layout is freed */
#define LV_CANVAS_W 1600
#define LV_CANVAS_H 900

/* The export's columns: the survey readers take "In your own words" as the
 * free-text question and "Custom data" as metadata by their headers, so
 * `votecloud count` reads the file with no options, and counts it as here. */
static const char csv_header[] =
    "Response ID,Submission date,Event,In your own words,Custom data";

static const char *const status_names[LW_STATUS_COUNT] = {"ok", "pending", "hidden",
                                                          "profanity"};

const char *lv_status_name(lv_status s)
{
    return (unsigned)s < LW_STATUS_COUNT ? status_names[s] : "ok";
}

bool lv_status_parse(const char *name, lv_status *out)
{
    for (unsigned i = 0; name != NULL && i < LW_STATUS_COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (lv_status)i;
            return true;
        }
    }
    return false;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- rooms -------------------------------------------------------------- */

lv_room *lv_room_new(sv_live *lv, const char *id, const char *code, const char *key,
                     const sv_live_opts *opts, long long created, bool closed)
{
    lv_room *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->code, sizeof r->code, "%s", code);
    snprintf(r->key, sizeof r->key, "%s", key);
    r->opts = *opts;
    r->created = created;
    r->closed = closed;
    snprintf(r->hidden_path, sizeof r->hidden_path, "%s/%s.hidden", lv->dir, id);
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

bool lv_room_list(sv_live *lv, lv_room *r)
{
    pthread_mutex_lock(&lv->rooms_lock);
    if (lv->n_rooms == lv->cap_rooms) {
        size_t cap = lv->cap_rooms ? 2 * lv->cap_rooms : 16;
        lv_room **rooms = realloc(lv->rooms, cap * sizeof *rooms);
        if (rooms == NULL) {
            pthread_mutex_unlock(&lv->rooms_lock);
            return false;
        }
        lv->rooms = rooms;
        lv->cap_rooms = cap;
    }
    lv->rooms[lv->n_rooms++] = r;
    pthread_mutex_unlock(&lv->rooms_lock);
    return true;
}

void lv_room_free(lv_room *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t p = 0; p < r->n_parts; p++) {
        for (size_t k = 0; k < r->parts[p].n; k++) {
            free(r->parts[p].w[k].text);
        }
    }
    for (size_t h = 0; h < r->n_hidden; h++) {
        free(r->hidden[h]);
    }
    free(r->hidden);
    free(r->parts);
    free(r->streams);
    free(r->layout);
    free(r->stats);
    vc_live_free(r->live);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static lv_room *find_room(sv_live *lv, const char *id, const char *code)
{
    lv_room *found = NULL;
    pthread_mutex_lock(&lv->rooms_lock);
    for (size_t i = 0; i < lv->n_rooms && found == NULL; i++) {
        lv_room *r = lv->rooms[i];
        if ((id != NULL && strcmp(r->id, id) == 0) ||
            (code != NULL && strcmp(r->code, code) == 0)) {
            found = r;
        }
    }
    pthread_mutex_unlock(&lv->rooms_lock);
    return found;
}

lv_room *lv_room_by_id(sv_live *lv, const char *id)
{
    return find_room(lv, id, NULL);
}

lv_room *lv_room_by_code(sv_live *lv, const char *code)
{
    return find_room(lv, NULL, code);
}

lv_participant *lv_room_participant(lv_room *r, const char *pid, bool create)
{
    /* Newest first: a participant changing an answer did so recently. */
    for (size_t i = r->n_parts; i-- > 0;) {
        if (strcmp(r->parts[i].pid, pid) == 0) {
            return &r->parts[i];
        }
    }
    if (!create) {
        return NULL;
    }
    if (r->n_parts == r->cap_parts) {
        size_t cap = r->cap_parts ? 2 * r->cap_parts : 64;
        lv_participant *p = realloc(r->parts, cap * sizeof *p);
        if (p == NULL) {
            return NULL;
        }
        r->parts = p;
        r->cap_parts = cap;
    }
    lv_participant *p = &r->parts[r->n_parts];
    memset(p, 0, sizeof *p);
    snprintf(p->pid, sizeof p->pid, "%s", pid);
    p->seq = r->n_parts ? r->parts[r->n_parts - 1].seq + 1 : 1;
    r->n_parts++;
    return p;
}

/* The hidden words as an exclusions file (one answer a line), so the
 * library matches them with its own rules. */
static bool write_hidden(const lv_room *r)
{
    size_t len = 0;
    for (size_t i = 0; i < r->n_hidden; i++) {
        len += strlen(r->hidden[i]) + 1;
    }
    char *buf = malloc(len + 1), *p = buf;
    if (buf == NULL) {
        return false;
    }
    for (size_t i = 0; i < r->n_hidden; i++) {
        p = stpcpy(p, r->hidden[i]);
        *p++ = '\n';
    }
    vc_error err = {0};
    bool ok = vc_file_write_atomic(r->hidden_path, buf, len, &err);
    free(buf);
    return ok;
}

bool lv_room_add_hidden(lv_room *r, const char *word)
{
    for (size_t i = 0; i < r->n_hidden; i++) {
        if (strcmp(r->hidden[i], word) == 0) {
            return true;
        }
    }
    char **h = realloc(r->hidden, (r->n_hidden + 1) * sizeof *h);
    if (h == NULL) {
        return false;
    }
    r->hidden = h;
    if ((h[r->n_hidden] = strdup(word)) == NULL) {
        return false;
    }
    r->n_hidden++;
    return write_hidden(r);
}

bool lv_room_remove_hidden(lv_room *r, const char *word, char **removed,
                           size_t *n_removed)
{
    size_t kept = 0;
    *n_removed = 0;
    for (size_t i = 0; i < r->n_hidden; i++) {
        if (strcmp(r->hidden[i], word) == 0 || lv_same_word(word, r->hidden[i])) {
            removed[(*n_removed)++] = r->hidden[i];
        } else {
            r->hidden[kept++] = r->hidden[i];
        }
    }
    r->n_hidden = kept;
    return *n_removed == 0 || write_hidden(r);
}

/* ---- the CSV: export and counting --------------------------------------- */

void lv_csv_cell(FILE *f, const char *s)
{
    fputc('"', f);
    /* A spreadsheet runs a cell starting = + - @ as a formula: an
     * apostrophe in front stops it, and the readers trim it off a written
     * answer as punctuation, so the counts do not change. */
    if (*s && strchr("=+-@", *s) != NULL) {
        fputc('\'', f);
    }
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

static void participant_row(FILE *f, const lv_room *r, const lv_participant *p)
{
    char when[32] = "";
    time_t t = (time_t)p->updated;
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL) {
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    fprintf(f, "%ld,%s,", p->seq, when);
    lv_csv_cell(f, r->opts.question);
    fputc(',', f);
    /* Counted words, "; "-separated: the reader splits a free-text cell
     * at ',' and ';' (words holding either are split the same way here
     * and in `votecloud count`). */
    char *cell = NULL, *notes = NULL;
    size_t cl = 0, nl = 0;
    FILE *c = open_memstream(&cell, &cl), *n = open_memstream(&notes, &nl);
    if (c == NULL || n == NULL) {
        if (c) {
            fclose(c);
        }
        if (n) {
            fclose(n);
        }
        free(cell);
        free(notes);
        fputs("\"\",\"\"\n", f);
        return;
    }
    bool first_c = true, first_n = true;
    for (size_t i = 0; i < p->n; i++) {
        if (p->w[i].st == LW_OK) {
            fprintf(c, "%s%s", first_c ? "" : "; ", p->w[i].text);
            first_c = false;
        } else {
            fprintf(n, "%s%s: %s", first_n ? "" : "; ", lv_status_name(p->w[i].st),
                    p->w[i].text);
            first_n = false;
        }
    }
    fclose(c);
    fclose(n);
    lv_csv_cell(f, cell ? cell : "");
    fputc(',', f);
    lv_csv_cell(f, notes ? notes : "");
    fputc('\n', f);
    free(cell);
    free(notes);
}

char *lv_room_csv(const lv_room *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (f == NULL) {
        return NULL;
    }
    fprintf(f, "%s\n", csv_header);
    for (size_t i = 0; i < r->n_parts; i++) {
        participant_row(f, r, &r->parts[i]);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* A counter for a one-column survey of written answers, with the
 * default non-answers on or off. */
static vc_counter *counter_new(bool default_exclusions, vc_error *err)
{
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = VC_FORMAT_SURVEY;
    vc_counter *c = vc_counter_new(&co, err);
    if (c != NULL) {
        vc_counter_set_default_exclusions(c, default_exclusions);
    }
    return c;
}

vc_words *lv_count_csv(const char *csv, size_t len, vc_error *err)
{
    vc_count_options co;
    vc_count_options_init(&co);
    co.format = VC_FORMAT_SURVEY;
    vc_counter *c = vc_counter_new(&co, err);
    vc_words *w = NULL;
    if (c != NULL && vc_counter_add_buffer(c, "export.csv", csv, len, err)) {
        w = vc_counter_words(c, NULL, err);
    }
    vc_counter_free(c);
    if (w == NULL && (err->status == VC_ERR_USAGE || err->status == VC_ERR_DATA)) {
        /* No participant yet ("only a header"), or none with a counted
         * word (no column to choose): the CSV is ours, so an empty cloud. */
        vc_error_clear(err);
        w = vc_words_new(err);
    }
    return w;
}

/* A spreadsheet would run these as formulas: one quote in front, which
 * the counts reader removes (as `votecloud count` writes). */
static bool needs_quote(const char *s)
{
    while (*s == '\'') {
        s++;
    }
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

static void put_count(FILE *f, double v)
{
    if (v == (double)(long long)v) {
        fprintf(f, "%lld", (long long)v);
        return;
    }
    char num[64];
    snprintf(num, sizeof num, "%.6f", v);
    char *end = num + strlen(num);
    while (end > num && end[-1] == '0') {
        *--end = '\0';
    }
    if (end > num && end[-1] == '.') {
        end[-1] = '\0';
    }
    fputs(num, f);
}

char *lv_counts_tsv(const vc_words *words)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        return NULL;
    }
    fputs("word\tcount\tgroup\n", f);
    for (size_t i = 0; words != NULL && i < vc_words_size(words); i++) {
        const char *text = vc_words_text(words, i);
        fprintf(f, "%s%s\t", needs_quote(text) ? "'" : "", text);
        put_count(f, vc_words_count(words, i));
        fprintf(f, "\t%s\n", vc_group_name(vc_words_group(words, i)));
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* "In your own words\n"a"\n"b"\n": the words as the export's column. */
static char *column_of(const char *const *texts, size_t n, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (f == NULL) {
        return NULL;
    }
    fputs("In your own words\n", f);
    for (size_t i = 0; i < n; i++) {
        lv_csv_cell(f, texts[i]);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static vc_words *count_texts(vc_counter *c, const char *const *texts, size_t n)
{
    vc_error err = {0};
    size_t len = 0;
    char *csv = column_of(texts, n, &len);
    vc_words *w = NULL;
    if (csv != NULL && vc_counter_add_buffer(c, "words.csv", csv, len, &err)) {
        w = vc_counter_words(c, NULL, &err);
    }
    free(csv);
    return w;
}

vc_words *lv_count_texts(const char *const *texts, size_t n)
{
    vc_error err = {0};
    vc_counter *c = counter_new(true, &err);
    vc_words *w = c ? count_texts(c, texts, n) : NULL;
    vc_counter_free(c);
    return w;
}

bool lv_same_word(const char *word, const char *text)
{
    vc_error err = {0};
    vc_counter *c = counter_new(false, &err);
    const char *texts[] = {word, text};
    vc_words *w = c ? count_texts(c, texts, 2) : NULL;
    bool same = w != NULL && vc_words_size(w) == 1 && vc_words_count(w, 0) == 2;
    vc_words_free(w);
    vc_counter_free(c);
    return same;
}

bool lv_listed(const char *path, const char *text)
{
    vc_error err = {0};
    vc_counter *c = counter_new(false, &err);
    if (c == NULL || !vc_counter_load_exclusions(c, path, &err)) {
        vc_counter_free(c);
        return false;
    }
    vc_words *w = count_texts(c, &text, 1);
    bool listed = w != NULL && vc_words_exclusion_count(w) > 0;
    vc_words_free(w);
    vc_counter_free(c);
    return listed;
}

lv_status lv_classify(sv_live *lv, const lv_room *r, bool hidden, const char *text)
{
    if (r->opts.profanity && lv_listed(lv->profanity_path, text)) {
        return LW_PROFANITY;
    }
    if (hidden && lv_listed(r->hidden_path, text)) {
        return LW_HIDDEN;
    }
    return r->opts.moderation ? LW_PENDING : LW_OK;
}

/* ---- the worker: coalesced layouts --------------------------------------- */

void lv_wake_streams(lv_room *r)
{
    for (size_t i = 0; i < r->n_streams; i++) {
        lv_stream *s = r->streams[i];
        if (s->suspended) {
            s->suspended = false;
            MHD_resume_connection(s->conn);
        }
    }
}

void lv_room_touch(sv_live *lv, lv_room *r)
{
    r->dirty = true;
    pthread_mutex_lock(&lv->wake_lock);
    pthread_cond_signal(&lv->wake);
    pthread_mutex_unlock(&lv->wake_lock);
}

void lv_register_font(sv_live *lv, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    pthread_mutex_lock(&lv->fonts_lock);
    bool known = false;
    for (size_t i = 0; i < lv->n_fonts; i++) {
        known |= strcmp(lv->font_names[i], name) == 0;
    }
    if (!known && lv->n_fonts < 16 && strlen(name) < sizeof lv->font_names[0] &&
        strlen(path) < sizeof lv->font_paths[0]) {
        snprintf(lv->font_names[lv->n_fonts], sizeof lv->font_names[0], "%s", name);
        snprintf(lv->font_paths[lv->n_fonts], sizeof lv->font_paths[0], "%s", path);
        lv->n_fonts++;
    }
    pthread_mutex_unlock(&lv->fonts_lock);
}

bool lv_font_path(sv_live *lv, const char *name, char *out, size_t outlen)
{
    bool found = false;
    pthread_mutex_lock(&lv->fonts_lock);
    for (size_t i = 0; i < lv->n_fonts && !found; i++) {
        if (strcmp(lv->font_names[i], name) == 0) {
            snprintf(out, outlen, "%s", lv->font_paths[i]);
            found = true;
        }
    }
    pthread_mutex_unlock(&lv->fonts_lock);
    return found;
}

static vc_live *live_new(void)
{
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = LV_CANVAS_W;
    ro.height = LV_CANVAS_H;
    vc_error err = {0};
    return vc_live_new(&ro, &err);
}

static char *stats_json(const sv_live *lv, const lv_room *r, const vc_words *w, double scale)
{
    size_t st[LW_STATUS_COUNT] = {0};
    for (size_t i = 0; i < r->n_parts; i++) {
        for (size_t k = 0; k < r->parts[i].n; k++) {
            st[r->parts[i].w[k].st]++;
        }
    }
    json_t *j = json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:b, s:b}", "question",
        r->opts.question, "code", r->code, "participants", (json_int_t)r->n_parts,
        "respondents", (json_int_t)(w ? vc_words_respondents(w) : 0), "pending",
        (json_int_t)st[LW_PENDING], "profanity", (json_int_t)st[LW_PROFANITY],
        "no_answer", (json_int_t)(w ? vc_words_excluded_total(w) : 0), "scale", scale,
        "closed", r->closed, "moderation", r->opts.moderation);
    json_object_set_new(j, "hidden", json_integer((json_int_t)st[LW_HIDDEN]));
    const char *pub = lv->server->public_url;
    json_object_set_new(j, "public_url", pub ? json_string(pub) : json_null());
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    return s;
}

static void register_fonts(sv_live *lv, const vc_layout *layout)
{
    for (size_t i = 0; i < vc_layout_placed_count(layout); i++) {
        vc_placed p;
        if (vc_layout_placed(layout, i, &p) && p.font != NULL) {
            lv_register_font(lv, p.font);
        }
    }
}

/* FNV-1a of a state: an unchanged state is not written again. */
static uint64_t state_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    }
    return h | 1; /* never 0, "none" */
}

/* A fresh live layout takes the room's stored state, so the presenter's
 * words stay where they were after a restart (or after the layout was
 * freed while nobody watched).  A missing, old or damaged state only
 * costs the places: the counts come from the answers, and a state the
 * library refuses leaves a fresh layout, laid out from scratch. */
static void resume(sv_live *lv, lv_room *r)
{
    size_t len = 0;
    char *state = lv_store_layout_get(lv, r, &len);
    if (state == NULL) {
        return;
    }
    vc_error err = {0};
    if (vc_live_restore(r->live, state, len, &err)) {
        r->state_hash = state_hash(state, len);
    } else {
        fprintf(stderr,
                "votecloud: live room %.8s: layout not resumed, laid out again: %s\n",
                r->id, err.message);
    }
    free(state);
}

/* The state of the frame about to be sent, stored before it is sent: a
 * presenter never sees a frame a restart could not resume. */
static void keep_state(sv_live *lv, lv_room *r)
{
    size_t len = 0;
    vc_error err = {0};
    char *state = vc_live_save(r->live, &len, &err);
    uint64_t h = state ? state_hash(state, len) : 0;
    if (state != NULL && h != r->state_hash &&
        lv_store_layout_put(lv, r, state, len) == 0) {
        r->state_hash = h;
    }
    free(state);
}

static void update_room(sv_live *lv, lv_room *r)
{
    pthread_mutex_lock(&r->lock);
    size_t len = 0;
    char *csv = r->dirty ? lv_room_csv(r, &len) : NULL;
    r->dirty = csv == NULL && r->dirty;
    pthread_mutex_unlock(&r->lock);
    if (csv == NULL) {
        return;
    }
    vc_error err = {0};
    vc_words *w = lv_count_csv(csv, len, &err);
    free(csv);
    if (r->live == NULL && (r->live = live_new()) != NULL) {
        resume(lv, r);
    }
    vc_layout *layout = NULL;
    if (w != NULL && r->live != NULL && vc_live_update(r->live, w, NULL, &err)) {
        layout = vc_live_snapshot(r->live, &err);
    }
    if (layout != NULL) {
        keep_state(lv, r);
    }
    char *json = layout ? vc_layout_json(layout, NULL, &err) : NULL;
    if (layout != NULL) {
        register_fonts(lv, layout);
    }
    pthread_mutex_lock(&r->lock);
    char *stats = stats_json(lv, r, w, layout ? vc_layout_scale(layout) : 0);
    if (json != NULL && stats != NULL) {
        free(r->layout);
        free(r->stats);
        r->layout = json;
        r->stats = stats;
        json = stats = NULL;
        r->version++;
        lv_wake_streams(r);
    } else {
        r->dirty = true; /* no memory: the next tick tries again */
    }
    r->last_update = now_s();
    pthread_mutex_unlock(&r->lock);
    free(json);
    free(stats);
    vc_layout_free(layout);
    vc_words_free(w);
}

static void keepalive(lv_room *r)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < r->n_streams; i++) {
        r->streams[i]->keepalive = true;
    }
    lv_wake_streams(r);
    pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg)
{
    sv_live *lv = arg;
    double last_keepalive = now_s();
    pthread_mutex_lock(&lv->wake_lock);
    while (!lv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 50 * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&lv->wake, &lv->wake_lock, &until);
        pthread_mutex_unlock(&lv->wake_lock);
        double t = now_s();
        bool ping = t - last_keepalive >= LV_KEEPALIVE;
        last_keepalive = ping ? t : last_keepalive;
        for (size_t i = 0;; i++) {
            pthread_mutex_lock(&lv->rooms_lock);
            lv_room *r = i < lv->n_rooms ? lv->rooms[i] : NULL;
            pthread_mutex_unlock(&lv->rooms_lock);
            if (r == NULL) {
                break;
            }
            /* Only rooms someone watches are laid out; a stream's arrival
             * marks its room dirty. */
            pthread_mutex_lock(&r->lock);
            bool due = r->dirty && r->n_streams > 0 && t - r->last_update >= LV_COALESCE;
            vc_live *idle = NULL;
            if (r->n_streams == 0 && r->live != NULL && t - r->last_update >= LV_IDLE) {
                /* Nobody watches: the layout (fonts, bitmaps: tens of MB)
                 * goes; the next presenter gets a fresh one. */
                idle = r->live;
                r->live = NULL;
                free(r->layout);
                free(r->stats);
                r->layout = r->stats = NULL;
                r->version = 0;
                r->dirty = true;
            }
            pthread_mutex_unlock(&r->lock);
            vc_live_free(idle);
            if (due) {
                update_room(lv, r);
            }
            if (ping) {
                keepalive(r);
            }
        }
        pthread_mutex_lock(&lv->wake_lock);
    }
    pthread_mutex_unlock(&lv->wake_lock);
    return NULL;
}

int lv_worker_start(sv_live *lv)
{
    if (pthread_create(&lv->worker, NULL, worker, lv) != 0) {
        return -1;
    }
    lv->worker_started = true;
    return 0;
}

/* ---- per-address rate limit ---------------------------------------------- */

bool lv_rate_ok(sv_live *lv, uint32_t ip)
{
    long long minute = (long long)time(NULL) / 60;
    uint32_t h = ip * 2654435761u;
    lv_rate_slot *s = &lv->rate[h % LV_RATE_SLOTS];
    pthread_mutex_lock(&lv->rate_lock);
    if (s->ip != ip || s->window != minute) {
        /* A colliding address takes the slot over: the limit is lenient
         * rather than ever refusing an address for another's traffic. */
        s->ip = ip;
        s->window = minute;
        s->n = 0;
    }
    bool ok = s->n < lv->rate_per_minute;
    s->n += ok;
    pthread_mutex_unlock(&lv->rate_lock);
    return ok;
}
