/* live-store.c - the live rooms in SQLite: DATA/live.sqlite, apart from the
 * web app's index so a burst of answers never waits on the index's lock.
 *
 * WAL with synchronous=FULL: each answer's commit fsyncs the WAL before
 * the participant is sent to "thank you".  NORMAL would survive kill -9 as
 * well (the WAL is written before the commit returns) but not a power cut,
 * and at a live event the answers are the point; one fsync per answer is
 * cheap next to a phone's round trip. */
#define _GNU_SOURCE
#include "live-room.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS live_rooms(id TEXT PRIMARY KEY, code TEXT UNIQUE, key "
    "TEXT,"
    " created INTEGER, opts TEXT, closed INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS live_answers(room TEXT, participant TEXT, seq INTEGER,"
    " updated INTEGER, words TEXT, PRIMARY KEY(room, participant));"
    "CREATE TABLE IF NOT EXISTS live_hidden(room TEXT, word TEXT, PRIMARY KEY(room, "
    "word));"
    "CREATE TABLE IF NOT EXISTS live_log(room TEXT, at INTEGER, action TEXT, word TEXT);"
    "CREATE TABLE IF NOT EXISTS live_layout(room TEXT PRIMARY KEY, at INTEGER, state "
    "BLOB);";

/* Columns added to live_log after its first release: each ALTER fails
 * harmlessly ("duplicate column") on a store that has it. */
static const char *const log_columns[] = {
    "ALTER TABLE live_log ADD COLUMN by TEXT",
    "ALTER TABLE live_log ADD COLUMN answers INTEGER",
};

int lv_store_open(sv_live *lv, char *err, size_t errlen)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/live.sqlite", lv->server->data);
    if (sqlite3_open_v2(path, &lv->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path,
                 lv->db ? sqlite3_errmsg(lv->db) : "cannot open");
        return -1;
    }
    sqlite3_busy_timeout(lv->db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(lv->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : "schema");
        sqlite3_free(msg);
        return -1;
    }
    for (size_t i = 0; i < sizeof log_columns / sizeof *log_columns; i++) {
        sqlite3_exec(lv->db, log_columns[i], NULL, NULL, NULL);
    }
    return 0;
}

void lv_store_close(sv_live *lv)
{
    if (lv->db != NULL) {
        sqlite3_close(lv->db);
        lv->db = NULL;
    }
}

static char *opts_json(const sv_live_opts *o)
{
    json_t *choices = json_array();
    for (size_t i = 0; choices != NULL && i < o->n_choices; i++) {
        json_array_append_new(choices, json_string(o->choices[i]));
    }
    json_t *j = json_pack("{s:s, s:i, s:o, s:b, s:b}", "question", o->question,
                          "max_words", o->max_words, "choices", choices, "moderation",
                          o->moderation, "profanity", o->profanity);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

/* Runs one statement with text parameters (NULL binds NULL). */
static int exec_bound(sv_live *lv, const char *sql, const char *const *args, size_t n,
                      const long long *ints, size_t n_ints)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(lv->db, sql, -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        rc = sqlite3_bind_text(st, (int)i + 1, args[i], -1, SQLITE_STATIC);
    }
    for (size_t i = 0; rc == SQLITE_OK && i < n_ints; i++) {
        rc = sqlite3_bind_int64(st, (int)(n + i) + 1, ints[i]);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

int lv_store_room_put(sv_live *lv, const lv_room *r)
{
    char *opts = opts_json(&r->opts);
    if (opts == NULL) {
        return -1;
    }
    const char *args[] = {r->id, r->code, r->key, opts};
    long long ints[] = {r->created, r->closed};
    pthread_mutex_lock(&lv->db_lock);
    int rc = exec_bound(lv,
                        "INSERT INTO live_rooms(id,code,key,opts,created,closed) "
                        "VALUES(?,?,?,?,?,?)",
                        args, 4, ints, 2);
    pthread_mutex_unlock(&lv->db_lock);
    free(opts);
    return rc;
}

static const char log_sql[] =
    "INSERT INTO live_log(room,action,word,by,at,answers) VALUES(?,?,?,?,?,?)";

int lv_store_room_close(sv_live *lv, const lv_room *r, const char *by)
{
    const char *args[] = {r->id};
    long long now[] = {(long long)time(NULL), 0};
    const char *log[] = {r->id, "close", "", by};
    pthread_mutex_lock(&lv->db_lock);
    int rc = exec_bound(lv, "BEGIN", NULL, 0, NULL, 0);
    rc = rc ? rc
            : exec_bound(lv, "UPDATE live_rooms SET closed=1 WHERE id=?", args, 1, NULL,
                         0);
    rc = rc ? rc : exec_bound(lv, log_sql, log, 4, now, 2);
    rc = rc ? (exec_bound(lv, "ROLLBACK", NULL, 0, NULL, 0), rc)
            : exec_bound(lv, "COMMIT", NULL, 0, NULL, 0);
    pthread_mutex_unlock(&lv->db_lock);
    return rc;
}

static char *words_json(const lv_participant *p)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < p->n; i++) {
        json_array_append_new(
            a, json_pack("[s,s]", p->w[i].text, lv_status_name(p->w[i].st)));
    }
    char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

static int answer_put(sv_live *lv, const lv_room *r, const lv_participant *p)
{
    char *words = words_json(p);
    if (words == NULL) {
        return -1;
    }
    const char *args[] = {r->id, p->pid, words};
    long long ints[] = {p->seq, p->updated};
    int rc = exec_bound(
        lv,
        "INSERT OR REPLACE INTO live_answers(room,participant,words,seq,updated) "
        "VALUES(?,?,?,?,?)",
        args, 3, ints, 2);
    free(words);
    return rc;
}

int lv_store_answer_put(sv_live *lv, const lv_room *r, const lv_participant *p)
{
    pthread_mutex_lock(&lv->db_lock);
    int rc = answer_put(lv, r, p);
    pthread_mutex_unlock(&lv->db_lock);
    return rc;
}

int lv_store_moderate(sv_live *lv, const lv_room *r, const lv_participant *const *ps,
                      size_t n, const char *action, const char *word, const char *by,
                      long long answers)
{
    long long now[] = {(long long)time(NULL), answers};
    const char *log[] = {r->id, action, word, by};
    const char *hid[] = {r->id, word};
    pthread_mutex_lock(&lv->db_lock);
    int rc = exec_bound(lv, "BEGIN", NULL, 0, NULL, 0);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = answer_put(lv, r, ps[i]);
    }
    if (rc == 0 && strcmp(action, "hide") == 0) {
        rc = exec_bound(lv, "INSERT OR IGNORE INTO live_hidden(room,word) VALUES(?,?)",
                        hid, 2, NULL, 0);
    } else if (rc == 0 && strcmp(action, "unhide") == 0) {
        /* The list as it is now (every spelling of the word is off it). */
        rc = exec_bound(lv, "DELETE FROM live_hidden WHERE room=?", hid, 1, NULL, 0);
        for (size_t i = 0; rc == 0 && i < r->n_hidden; i++) {
            const char *row[] = {r->id, r->hidden[i]};
            rc =
                exec_bound(lv, "INSERT OR IGNORE INTO live_hidden(room,word) VALUES(?,?)",
                           row, 2, NULL, 0);
        }
    }
    rc = rc ? rc : exec_bound(lv, log_sql, log, 4, now, 2);
    rc = rc ? (exec_bound(lv, "ROLLBACK", NULL, 0, NULL, 0), rc)
            : exec_bound(lv, "COMMIT", NULL, 0, NULL, 0);
    pthread_mutex_unlock(&lv->db_lock);
    return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int opts_load(const char *text, sv_live_opts *o)
{
    /* Stored by this server: parsed with the same checks as a request. */
    char err[256];
    return sv_live_opts_from_json(text, strlen(text), o, err, sizeof err);
}

static int load_answers(sv_live *lv, lv_room *r)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(lv->db,
                           "SELECT participant, seq, updated, words FROM live_answers "
                           "WHERE room=? ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *pid = col_text(st, 0);
        lv_participant *p =
            sv_id_valid(pid, strlen(pid)) ? lv_room_participant(r, pid, true) : NULL;
        json_t *a = json_loads(col_text(st, 3), 0, NULL);
        if (p == NULL || !json_is_array(a)) {
            json_decref(a);
            rc = p == NULL ? -1 : 0;
            continue;
        }
        p->seq = (long)sqlite3_column_int64(st, 1);
        p->updated = sqlite3_column_int64(st, 2);
        size_t i;
        json_t *w;
        json_array_foreach(a, i, w)
        {
            const char *text = json_string_value(json_array_get(w, 0));
            lv_status s;
            if (p->n < SV_LIVE_MAX_WORDS && text != NULL &&
                lv_status_parse(json_string_value(json_array_get(w, 1)), &s)) {
                p->w[p->n].text = strdup(text);
                p->w[p->n].st = s;
                p->n += p->w[p->n].text != NULL;
            }
        }
        json_decref(a);
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_hidden(sv_live *lv, lv_room *r)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(lv->db,
                           "SELECT word FROM live_hidden WHERE room=? ORDER BY rowid", -1,
                           &st, NULL) != SQLITE_OK) {
        return -1;
    }
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        rc = lv_room_add_hidden(r, col_text(st, 0)) ? 0 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

int lv_store_load(sv_live *lv, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(lv->db,
                           "SELECT id, code, key, opts, created, closed FROM live_rooms "
                           "ORDER BY created",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "live.sqlite: %s", sqlite3_errmsg(lv->db));
        return -1;
    }
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        sv_live_opts o;
        const char *id = col_text(st, 0), *code = col_text(st, 1), *key = col_text(st, 2);
        if (!sv_id_valid(id, strlen(id)) || !sv_live_code_valid(code, strlen(code)) ||
            !sv_id_valid(key, strlen(key)) || opts_load(col_text(st, 3), &o) != 0) {
            continue; /* not a row this server wrote: left alone */
        }
        lv_room *r = lv_room_new(lv, id, code, key, &o, sqlite3_column_int64(st, 4),
                                 sqlite3_column_int(st, 5) != 0);
        if (r == NULL || load_answers(lv, r) != 0 || load_hidden(lv, r) != 0 ||
            !lv_room_list(lv, r)) {
            lv_room_free(r);
            snprintf(err, errlen, "live.sqlite: room %.8s: cannot be loaded", id);
            rc = -1;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- the live layout's state ----------------------------------------------- */

int lv_store_layout_put(sv_live *lv, const lv_room *r, const char *state, size_t len)
{
    sqlite3_stmt *st = NULL;
    pthread_mutex_lock(&lv->db_lock);
    int rc = sqlite3_prepare_v2(lv->db,
                                "INSERT OR REPLACE INTO live_layout(room,at,state) "
                                "VALUES(?,?,?)",
                                -1, &st, NULL);
    rc = rc ? rc : sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    rc = rc ? rc : sqlite3_bind_int64(st, 2, (long long)time(NULL));
    rc = rc ? rc : sqlite3_bind_blob64(st, 3, state, len, SQLITE_STATIC);
    rc = rc ? rc : (sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&lv->db_lock);
    return rc == SQLITE_OK ? 0 : -1;
}

char *lv_store_layout_get(sv_live *lv, const lv_room *r, size_t *len)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    pthread_mutex_lock(&lv->db_lock);
    if (sqlite3_prepare_v2(lv->db, "SELECT state FROM live_layout WHERE room=?", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        /* One byte more, so an empty state is not NULL. */
        out = n >= 0 && (size_t)n <= VC_LIVE_STATE_MAX ? malloc((size_t)n + 1) : NULL;
        if (out != NULL) {
            memcpy(out, b ? b : "", (size_t)n);
            *len = (size_t)n;
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&lv->db_lock);
    return out;
}

/* ---- the moderation log ------------------------------------------------------ */

char *lv_store_log_csv(sv_live *lv, const lv_room *r, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (f == NULL) {
        return NULL;
    }
    fputs("Time,Action,Word,Answers,By\n", f);
    sqlite3_stmt *st = NULL;
    pthread_mutex_lock(&lv->db_lock);
    int rc = sqlite3_prepare_v2(lv->db,
                                "SELECT at, action, word, answers, by FROM live_log "
                                "WHERE room=? ORDER BY rowid",
                                -1, &st, NULL);
    rc = rc ? rc : sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    int step = SQLITE_DONE;
    while (rc == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char when[32] = "";
        time_t t = (time_t)sqlite3_column_int64(st, 0);
        struct tm tm;
        if (gmtime_r(&t, &tm) != NULL) {
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        }
        fprintf(f, "%s,%s,", when, col_text(st, 1));
        lv_csv_cell(f, col_text(st, 2));
        /* Rows from before the column: no count, "presenter". */
        if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
            fputc(',', f);
        } else {
            fprintf(f, ",%lld", (long long)sqlite3_column_int64(st, 3));
        }
        fprintf(f, ",%s\n",
                sqlite3_column_type(st, 4) == SQLITE_NULL ? "presenter"
                                                          : col_text(st, 4));
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&lv->db_lock);
    if (fclose(f) != 0 || rc != SQLITE_OK || step != SQLITE_DONE) {
        free(buf);
        return NULL;
    }
    return buf;
}
