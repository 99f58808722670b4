/* live-serve.h - live event rooms (issue 14) inside `votecloud serve`:
 * phones submit words to a room, the presenter's screen gets the room's
 * live layout over Server-Sent Events.  The pure parsers (routes, room
 * options, words, the Authorization header) are apart from the server so
 * the fuzzer reaches them without a socket (tests/fuzz/fuzz-serve.c). */
#ifndef VC_LIVE_SERVE_H
#define VC_LIVE_SERVE_H

#include "serve.h"

#include <stdbool.h>
#include <stddef.h>

#define SV_LIVE_CODE_LEN 8    /* short join code: /j/{code} */
#define SV_LIVE_MAX_WORDS 10  /* most words per participant a room may ask */
#define SV_LIVE_WORD_CHARS 40 /* characters (code points) of one word */
#define SV_LIVE_QUESTION_BYTES 300
#define SV_LIVE_MAX_CHOICES 50
#define SV_LIVE_BODY_MAX (16 * 1024) /* a participant's form or an action's JSON */

typedef enum sv_live_kind {
    LV_NONE = 0, /* not a live route: the web app's */
    LV_NOT_FOUND,
    LV_BAD_METHOD,
    LV_CREATE,    /* POST /api/events (JSON) */
    LV_NEW_PAGE,  /* GET /live: the organiser's form (no JavaScript) */
    LV_NEW_FORM,  /* POST /live: that form */
    LV_JOIN_PAGE, /* GET /j/{code} */
    LV_JOIN_POST, /* POST /j/{code}, form field `word` repeated */
    LV_THANKS,    /* GET /j/{code}/thanks */
    LV_QR,        /* GET /j/{code}/qr.svg: the join URL as a QR code */
    LV_PRESENTER, /* GET /p/{id}: the presenter page (key from the fragment) */
    LV_ASSET,     /* GET /live/{presenter.js,presenter.css,join.css} */
    LV_FONT,      /* GET /live/fonts/{file}: a font the layout uses */
    LV_COUNTS,    /* GET /api/events/{id}/counts */
    LV_STREAM,    /* GET /api/events/{id}/stream (SSE) */
    LV_EXPORT,    /* GET /api/events/{id}/export.csv */
    LV_PENDING,   /* GET /api/events/{id}/pending: the moderation queue */
    LV_HIDE,      /* POST /api/events/{id}/hide {"word"} */
    LV_APPROVE,   /* POST /api/events/{id}/approve {"word"} */
    LV_UNHIDE,    /* POST /api/events/{id}/unhide {"word"}: a hide undone */
    LV_MODLOG,    /* GET /api/events/{id}/moderation.csv: the decisions */
    LV_CLOSE,     /* POST /api/events/{id}/close */
    LV_SESSION,   /* POST /api/events/{id}/session: the key as an HttpOnly cookie */
} sv_live_kind;

typedef struct sv_live_route {
    sv_live_kind kind;
    char id[SV_ID_HEX + 1];          /* room id, for /api/events/{id} and /p/{id} */
    char code[SV_LIVE_CODE_LEN + 1]; /* join code, for /j/{code} */
    char asset[32];                  /* LV_ASSET, LV_FONT: the file name */
} sv_live_route;

/* Parses METHOD and URL into a live route (LV_NONE: not ours).  Ids are 32
 * lower-case hex digits, codes 8 characters of sv_live_code_alphabet, font
 * names [A-Za-z0-9-] plus ".ttf"/".otf": nothing can name "..". */
void sv_live_route_parse(const char *method, const char *url, sv_live_route *r);
bool sv_live_code_valid(const char *s, size_t len);
extern const char sv_live_code_alphabet[33];

/* A room's options, from POST /api/events (JSON) or the /live form. */
typedef struct sv_live_opts {
    char question[SV_LIVE_QUESTION_BYTES + 1];
    int max_words;    /* 1..SV_LIVE_MAX_WORDS, default 3 */
    size_t n_choices; /* 0: free entry */
    char choices[SV_LIVE_MAX_CHOICES][4 * SV_LIVE_WORD_CHARS + 1];
    bool moderation; /* default false */
    bool profanity;  /* filter, default true */
} sv_live_opts;

void sv_live_opts_init(sv_live_opts *o);
/* Returns 0, or -1 with a message naming the field in err. */
int sv_live_opts_from_json(const char *json, size_t len, sv_live_opts *o, char *err,
                           size_t errlen);
/* The form: question, max_words, choices (one per line), moderation,
 * profanity ("on" when ticked; a hidden "profanity_off" unticks). */
int sv_live_opts_from_form(const char *question, const char *max_words,
                           const char *choices, bool moderation, bool profanity,
                           sv_live_opts *o, char *err, size_t errlen);

typedef enum sv_word_check {
    SV_WORD_OK = 0,
    SV_WORD_EMPTY,    /* only space: ignored */
    SV_WORD_TOO_LONG, /* more than SV_LIVE_WORD_CHARS characters */
    SV_WORD_BAD,      /* not UTF-8, or a control character */
} sv_word_check;

/* Checks one submitted word and copies it, trimmed of ASCII space, to out
 * (at least 4 * SV_LIVE_WORD_CHARS + 1 bytes). */
sv_word_check sv_live_word_check(const char *s, size_t len, char *out, size_t outlen);

/* The key of "Authorization: Bearer KEY" (32 hex digits), or false. */
bool sv_live_bearer(const char *header, char key[SV_ID_HEX + 1]);

/* The text direction a question is written in: true when its first strong
 * character is right-to-left (Hebrew, Arabic, Syriac, Thaana, N'Ko ...). */
bool sv_live_text_rtl(const char *s);
/* A BCP 47 language for the question's first letters' script when one
 * language is by far its most common (Arabic "ar", Hebrew "he", Greek "el",
 * Bengali "bn", Thai "th", Hangul "ko"); NULL otherwise (Latin, Cyrillic,
 * Han...: the page then does not guess). */
const char *sv_live_script_lang(const char *s);

/* ---- the server's side (live-http.c, live-room.c) ---------------------- */

struct sv_server;
struct sv_live;
struct MHD_Connection;

/* Opens DATA/live.sqlite, rebuilds the rooms, starts the layout worker.
 * NULL with a message in err. */
struct sv_live *sv_live_start(struct sv_server *s, char *err, size_t errlen);
/* Ends every SSE stream (at shutdown, before the daemon stops: suspended
 * connections must be resumed first). */
void sv_live_stop_streams(struct sv_live *lv);
void sv_live_free(struct sv_live *lv);
/* The access handler for a live route: called like libmicrohttpd's, with
 * the request's own state in *state (freed by sv_live_request_done) and the
 * answer's status written to *status for the request log.  `team_ok`:
 * the team password (when the server has one) was given.  Returns MHD_YES
 * or MHD_NO. */
int sv_live_handle(struct sv_live *lv, struct MHD_Connection *c,
                   const sv_live_route *route, bool team_ok, const char *upload,
                   size_t *upload_size, void **state, unsigned *status);
void sv_live_request_done(void *state);

#endif
