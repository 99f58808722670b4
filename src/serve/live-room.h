/* live-room.h - the live rooms' shared state, seen by the live-*.c files
 * only: rooms in memory (rebuilt from SQLite at start), their answers,
 * the layout worker and the SSE streams waiting on it. */
#ifndef VC_LIVE_ROOM_H
#define VC_LIVE_ROOM_H

#include "live-serve.h"
#include "serve-internal.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdint.h>
#include <votecloud.h>

/* What became of one submitted word.  Non-answers are not decided here:
 * they stay OK and the library's counting leaves them out (and counts
 * them), exactly as `votecloud count` does on the export. */
typedef enum lv_status {
    LW_OK = 0,    /* counted */
    LW_PENDING,   /* moderation on: waits for approval */
    LW_HIDDEN,    /* hidden by the presenter */
    LW_PROFANITY, /* matched the profanity list */
    LW_STATUS_COUNT
} lv_status;

const char *lv_status_name(lv_status s);
bool lv_status_parse(const char *name, lv_status *out);

typedef struct lv_word {
    char *text;
    lv_status st;
} lv_word;

typedef struct lv_participant {
    char pid[SV_ID_HEX + 1]; /* the cookie's random id: never shown */
    long seq;                /* response number in the export, from 1 */
    long long updated;       /* unix time of the last answer */
    size_t n;
    lv_word w[SV_LIVE_MAX_WORDS];
} lv_participant;

typedef struct lv_stream lv_stream;

typedef struct lv_room {
    char id[SV_ID_HEX + 1];
    char code[SV_LIVE_CODE_LEN + 1];
    char key[SV_ID_HEX + 1];
    sv_live_opts opts;
    long long created;
    bool closed;
    pthread_mutex_t lock; /* everything below, and the streams */
    lv_participant *parts;
    size_t n_parts, cap_parts;
    char **hidden; /* words the presenter hid, as given */
    size_t n_hidden;
    char hidden_path[4400]; /* the hidden words as an exclusions file */
    /* the live layout: vc_live is the worker's alone */
    vc_live *live;
    char *layout; /* the layout report JSON of the latest frame */
    char *stats;  /* {"participants", ...} JSON of the latest frame */
    uint64_t version;
    uint64_t state_hash; /* of the layout state last stored (0: none) */
    bool dirty;
    double last_update; /* monotonic seconds */
    lv_stream **streams;
    size_t n_streams, cap_streams;
} lv_room;

struct lv_stream {
    struct sv_live *lv;
    lv_room *room;
    struct MHD_Connection *conn;
    uint64_t sent; /* the room version last sent */
    bool suspended;
    bool keepalive; /* send a comment line: finds clients that went away */
    char *out;      /* bytes being sent */
    size_t out_len, out_off;
};

#define LV_RATE_SLOTS 4096

typedef struct lv_rate_slot {
    uint32_t ip;
    long long window; /* the minute counted */
    unsigned n;
} lv_rate_slot;

typedef struct sv_live {
    sv_server *server;
    char dir[4200];            /* DATA/live */
    char profanity_path[4300]; /* the default list plus the house list */
    sqlite3 *db;
    pthread_mutex_t db_lock;
    pthread_mutex_t rooms_lock;
    lv_room **rooms;
    size_t n_rooms, cap_rooms;
    pthread_t worker;
    bool worker_started;
    pthread_mutex_t wake_lock;
    pthread_cond_t wake;
    bool stopping;
    unsigned rate_per_minute; /* submissions per client address per minute */
    pthread_mutex_t rate_lock;
    lv_rate_slot rate[LV_RATE_SLOTS];
    pthread_mutex_t fonts_lock;
    char font_names[16][32];
    char font_paths[16][4096];
    size_t n_fonts;
} sv_live;

/* live-store.c: the rooms' tables in DATA/live.sqlite (WAL, synchronous
 * FULL: an answer is on disk before its participant sees "thank you"). */
int lv_store_open(sv_live *lv, char *err, size_t errlen);
void lv_store_close(sv_live *lv);
int lv_store_room_put(sv_live *lv, const lv_room *r);
/* The room closed, with its log line (`by`: who decided, see lv_actor). */
int lv_store_room_close(sv_live *lv, const lv_room *r, const char *by);
/* Writes one participant's answer (replacing it) in its own transaction. */
int lv_store_answer_put(sv_live *lv, const lv_room *r, const lv_participant *p);
/* Writes several participants' answers, the hidden list's change and a log
 * line (action "hide", "unhide" or "approve", the word, who, how many
 * answers changed) in one transaction. */
int lv_store_moderate(sv_live *lv, const lv_room *r, const lv_participant *const *ps,
                      size_t n, const char *action, const char *word, const char *by,
                      long long answers);
/* The moderation log as CSV (Time,Action,Word,Answers,By; oldest first),
 * malloc'd; NULL when it cannot be read. */
char *lv_store_log_csv(sv_live *lv, const lv_room *r, size_t *len);
/* The room's live layout state (vc_live_save's bytes), replacing the last;
 * written by the worker before the frame it describes is sent. */
int lv_store_layout_put(sv_live *lv, const lv_room *r, const char *state, size_t len);
/* The stored state, malloc'd (NULL: none, or unreadable). */
char *lv_store_layout_get(sv_live *lv, const lv_room *r, size_t *len);
/* Loads every room with its answers and hidden words (at start). */
int lv_store_load(sv_live *lv, char *err, size_t errlen);

/* live-room.c */
lv_room *lv_room_new(sv_live *lv, const char *id, const char *code, const char *key,
                     const sv_live_opts *opts, long long created, bool closed);
/* A room not yet in the list (lv_room_list makes it reachable; rooms are
 * never taken out of it while the server runs).  lv_room_free: NULL-safe. */
bool lv_room_list(sv_live *lv, lv_room *r);
void lv_room_free(lv_room *r);
lv_room *lv_room_by_id(sv_live *lv, const char *id);
lv_room *lv_room_by_code(sv_live *lv, const char *code);
lv_participant *lv_room_participant(lv_room *r, const char *pid, bool create);
bool lv_room_add_hidden(lv_room *r, const char *word);
/* Takes every entry the library counts as `word` off the hidden list; they
 * go to `removed` (room for r->n_hidden; the caller frees them, or gives
 * them back with lv_room_add_hidden).  *n_removed 0: nothing hidden as
 * that.  False when the hidden list could not be written. */
bool lv_room_remove_hidden(lv_room *r, const char *word, char **removed,
                           size_t *n_removed);
/* The export CSV of the room (the caller holds r->lock); NULL: no memory. */
char *lv_room_csv(const lv_room *r, size_t *len);
/* One quoted CSV cell; a leading = + - @ gets an apostrophe (no formula). */
void lv_csv_cell(FILE *f, const char *s);
/* Counts a room's CSV with the library's rules: NULL when no memory or
 * nothing counted (an empty room). */
vc_words *lv_count_csv(const char *csv, size_t len, vc_error *err);
/* The counts as `votecloud count` prints them. */
char *lv_counts_tsv(const vc_words *words);
/* Counts loose answers as one column of written answers. */
vc_words *lv_count_texts(const char *const *texts, size_t n);
/* Whether the library's counting takes `text` for `word` (same entry). */
bool lv_same_word(const char *word, const char *text);
/* Whether `text` is an answer the exclusions file at `path` leaves out. */
bool lv_listed(const char *path, const char *text);
/* OK (or PENDING with moderation), PROFANITY or HIDDEN; `hidden`: the
 * room has hidden words (read under its lock).  Takes no lock. */
lv_status lv_classify(sv_live *lv, const lv_room *r, bool hidden, const char *text);
void lv_room_touch(sv_live *lv, lv_room *r); /* a change: the worker relays out */
void lv_wake_streams(lv_room *r);            /* under r->lock */
void lv_register_font(sv_live *lv, const char *path);
bool lv_font_path(sv_live *lv, const char *name, char *out, size_t outlen);
bool lv_rate_ok(sv_live *lv, uint32_t ip);
int lv_worker_start(sv_live *lv);

/* live-pages.c: malloc'd HTML (NULL when out of memory). */
char *lv_page_join(const lv_room *r, const char *msg, const char *const *prefill,
                   size_t n);
char *lv_page_thanks(const lv_room *r, const lv_participant *p);
char *lv_page_message(const char *title, const char *msg, bool rtl);
char *lv_page_new(const char *msg);
/* `base`: where phones reach the server ("http://host:port"). */
char *lv_page_created(const lv_room *r, const char *base);

/* live-qr.c: the text as an SVG QR code (NULL when it cannot be made). */
char *lv_qr_svg(const char *text);

#endif
